"""Bevakningar: save a search, see what it found since, check now, remove it; its Atom feed route.

The feed of saved search N is served at ``/feeds/N.atom`` on the app's own
server (:func:`add_feed_routes`, called once by :func:`radslag.serve.serve`).
When the app asks for a login, so does the feed, with HTTP Basic
authentication and the same user and password (feed readers support it);
personal data in feed text is masked when the app masks it.
"""

from __future__ import annotations

import hashlib
import hmac
from base64 import b64decode
from dataclasses import replace
from typing import Any

import gradio as gr
from fastapi import Request, Response

from index.atom import CONTENT_TYPE, entry_title, watch_feed
from index.store import Archive
from index.watch import FEED_ENTRIES, add_watch, describe, feed_url, remove_watch, run_watches, why
from radslag.config import Settings
from radslag.errors import RadslagError
from radslag.filters import ALL, parse_filters
from radslag.i18n import t
from radslag.safe import clean_html, html_text, mask_personal, masking_on

TAB_ID = "bevakningar"
LABEL = "w_tab_watch"

# -- handlers (settings and widget values in, widget values out) ------------------------


def _saved(settings: Settings) -> list:
    with Archive(settings.db_path) as arc:
        return arc.watches()


def _rows(settings: Settings, watches: list) -> list[list[Any]]:
    lang = settings.language
    return [[w.id, w.name, describe(w, lang), w.alert_count,
             (w.checked_at or t("watch_never", lang)).replace("+00:00", "Z"), feed_url(settings, w.id)]
            for w in watches]


def _choices(watches: list) -> list[tuple[str, str]]:
    return [(f"{w.id}. {w.name}", str(w.id)) for w in watches]


def watch_rows(settings: Settings) -> list[list[Any]]:
    """Rows of the saved-search table: number, name, what it looks for, matches, last check, feed."""
    return _rows(settings, _saved(settings))


def watch_choices(settings: Settings) -> list[tuple[str, str]]:
    """(label, id) of every saved search, for the picker."""
    return _choices(_saved(settings))


def _message(text: str, error: bool = False) -> str:
    return clean_html(f'<div class="{"note" if error else "w-ok"}">{html_text(text)}</div>')


def _refresh(settings: Settings, message: str, selected: str | None = None) -> tuple:
    watches = _saved(settings)  # one read for both the table and the picker
    picks = _choices(watches)
    keep = selected if selected in {v for _, v in picks} else (picks[-1][1] if picks else None)
    return message, _rows(settings, watches), gr.update(choices=picks, value=keep)


def save_watch(settings: Settings, query: str, mode: str, topic: str, municipality: str, body: str,
               name: str, email: str) -> tuple:
    """Save a search; returns (message HTML, table rows, picker update)."""
    lang = settings.language
    try:
        filters = parse_filters(topic=topic, municipality=municipality, body=body)
        with Archive(settings.db_path) as arc:
            saved = add_watch(arc, query=query, filters=filters, mode=mode or "hybrid", name=name,
                              email=(email or "").strip() or None, lang=lang)
    except RadslagError as exc:
        return _refresh(settings, _message(str(exc), error=True))
    text = " ".join([t("watch_added", lang, what=describe(saved, lang), id=saved.id),
                     t("watch_added_feed", lang, url=feed_url(settings, saved.id)),
                     t("watch_added_note", lang)])
    return _refresh(settings, _message(text), str(saved.id))


def show_alerts(settings: Settings, watch_id: str | None) -> str:
    """HTML list of a saved search's matches, newest first, each linking to its item."""
    lang = settings.language
    if not watch_id:
        return _message(t("w_app_pick", lang))
    with Archive(settings.db_path) as arc:
        watch = arc.watch(int(watch_id))
        alerts = arc.alerts(int(watch_id), limit=FEED_ENTRIES) if watch else []
    if watch is None:
        return _message(t("watch_err_unknown", lang, id=watch_id, ids="–"), error=True)
    parts = [f"<p><b>{html_text(watch.name)}</b> · {html_text(describe(watch, lang))} · "
             f'<a href="{html_text(feed_url(settings, watch.id))}">{html_text(t("w_app_feed", lang))}</a></p>']
    if not alerts:
        parts.append(f"<p>{html_text(t('w_alerts_none', lang, name=watch.name))}</p>")
    for a in alerts:
        head = html_text(entry_title(a, lang))
        if a.item_id is not None:
            head = f'<a href="?item={int(a.item_id)}">{head}</a>'
        parts.append(f'<div class="hit"><h4>{head}</h4><div class="snippet">{html_text(a.snippet)}</div>'
                     f'<div class="meta">{html_text(why(a, lang))}</div></div>')
    return clean_html("\n".join(parts))


def check_now(settings: Settings, watch_id: str | None) -> tuple:
    """Check every saved search now; returns (message HTML, table rows, picker update)."""
    lang = settings.language
    with Archive(settings.db_path) as arc:
        if not arc.watches():
            return _refresh(settings, _message(t("watch_none", lang)))
        runs = run_watches(arc, settings)
    lines = [t("watch_run_line", lang, id=r.watch.id, name=r.watch.name, n=len(r.alerts), checked=r.checked)
             for r in runs] + [n for r in runs for n in r.notes]
    lines.append(t("watch_run_total", lang, n=sum(len(r.alerts) for r in runs)))
    body = "".join(f"<div>{html_text(line)}</div>" for line in lines)
    return _refresh(settings, clean_html(f'<div class="w-ok">{body}</div>'), watch_id)


def delete_watch(settings: Settings, watch_id: str | None) -> tuple:
    """Remove the picked saved search; returns (message HTML, table rows, picker update)."""
    lang = settings.language
    if not watch_id:
        return _refresh(settings, _message(t("w_app_pick", lang), error=True))
    try:
        with Archive(settings.db_path) as arc:
            gone = remove_watch(arc, int(watch_id), lang)
    except RadslagError as exc:
        return _refresh(settings, _message(str(exc), error=True))
    return _refresh(settings, _message(t("watch_removed", lang, id=gone.id, name=gone.name)))


def build(ctx) -> None:
    """The saved-search tab: a form to save one, the list, matches of the picked one, check and remove."""
    L, on = ctx.L, ctx.on
    modes = [(L("app_mode_hybrid"), "hybrid"), (L("app_mode_dense"), "dense"), (L("app_mode_keyword"), "keyword")]
    gr.Markdown(L("w_app_intro"))
    with gr.Row():
        query = gr.Textbox(label=L("app_query"), placeholder=L("w_app_query_hint"), scale=4, elem_id="w-query")
        mode = gr.Radio(modes, value="hybrid", label=L("app_mode"), scale=2)
        if "query" in ctx.shared:  # the search tab's query box: save what was just searched
            copy_btn = gr.Button(L("w_app_from_search"), size="sm", scale=1, elem_id="w-from-search")
            copy_btn.click(lambda text: text, [ctx.shared["query"]], [query])
    with gr.Row():
        topic = ctx.picker("topics", L("app_topic"), value=ALL)
        municipality = ctx.picker("municipalities", L("app_municipality"), value=ALL)
        body = ctx.picker("bodies", L("app_body"), value=ALL)
    with gr.Row():
        name = gr.Textbox(label=L("w_app_name"), scale=2)
        email = gr.Textbox(label=L("w_app_email"), placeholder=L("app_email_hint"), scale=2)
        save_btn = gr.Button(L("w_app_save"), variant="primary", scale=1, elem_id="w-save")
    message = gr.HTML(elem_id="w-message")
    table = gr.Dataframe(value=lambda: watch_rows(ctx.settings), elem_id="w-table", wrap=True,
                         headers=[L(f"watch_col_{k}") for k in ("id", "name", "what", "alerts", "checked", "feed")])
    with gr.Row():
        pick = gr.Dropdown(watch_choices(ctx.settings), label=L("w_app_pick_label"), scale=3, elem_id="w-pick")
        show_btn = gr.Button(L("w_app_show"), scale=1, elem_id="w-show")
        run_btn = gr.Button(L("w_app_run"), scale=1, elem_id="w-run")
        remove_btn = gr.Button(L("w_app_remove"), variant="stop", scale=1, elem_id="w-remove")
    alerts = gr.HTML(elem_id="w-alerts")
    outputs = [message, table, pick]
    save_btn.click(on(save_watch), [query, mode, topic, municipality, body, name, email], outputs)
    run_btn.click(on(check_now), [pick], outputs)
    remove_btn.click(on(delete_watch), [pick], outputs)
    show_btn.click(on(show_alerts), [pick], alerts)
    pick.change(on(show_alerts), [pick], alerts)


# -- the feed route ---------------------------------------------------------------------


def _authorized(header: str | None, auth: tuple[str, str] | None) -> bool:
    """Whether an ``Authorization`` header carries the app's login (always, without a login)."""
    if auth is None:
        return True
    scheme, _, value = (header or "").partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        user, _, password = b64decode(value.strip(), validate=True).decode("utf-8").partition(":")
    except ValueError:
        return False
    # compare both in constant time (no early exit on the user name)
    ok_user = hmac.compare_digest(user.encode(), auth[0].encode())
    ok_password = hmac.compare_digest(password.encode(), auth[1].encode())
    return ok_user and ok_password


def feed_document(settings: Settings, watch_id: int) -> bytes | None:
    """The Atom document of saved search ``watch_id`` (masked when the app masks), or None if there is none."""
    with Archive(settings.db_path) as arc:
        watch = arc.watch(int(watch_id))
        if watch is None:
            return None
        alerts = arc.alerts(watch.id, limit=FEED_ENTRIES)
    if masking_on():  # the text fields only: ids and uids must stay as they are
        lang = settings.language
        watch = replace(watch, name=mask_personal(watch.name, lang),
                        query=mask_personal(watch.query, lang) if watch.query else None)
        alerts = [replace(a, **{f: mask_personal(getattr(a, f) or "", lang) or getattr(a, f)
                                for f in ("title", "snippet", "source", "body", "municipality")})
                  for a in alerts]
    return watch_feed(watch, alerts, settings)


def add_feed_routes(server: Any, settings: Settings, auth: tuple[str, str] | None = None) -> None:
    """Serve ``/feeds/<id>.atom`` on the app's FastAPI ``server`` (behind the app's login, if any).

    Answers 401 with a Basic challenge without the login, 404 for an unknown
    saved search, and 304 when the reader's ``If-None-Match`` already names
    the current document.
    """
    def feed(watch_id: str, request: Request) -> Response:
        if not _authorized(request.headers.get("authorization"), auth):
            return Response(t("w_feed_login", settings.language), status_code=401, media_type="text/plain",
                            headers={"WWW-Authenticate": 'Basic realm="Radslag", charset="UTF-8"'})
        data = feed_document(settings, int(watch_id)) if watch_id.isdigit() and len(watch_id) < 12 else None
        if data is None:
            return Response(t("w_feed_unknown", settings.language, id=watch_id[:20]), status_code=404,
                            media_type="text/plain; charset=utf-8")
        etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
        headers = {"ETag": etag, "Cache-Control": "no-cache"}
        if etag in (request.headers.get("if-none-match") or ""):
            return Response(status_code=304, headers=headers)
        return Response(data, media_type=CONTENT_TYPE, headers=headers)

    server.add_api_route("/feeds/{watch_id}.atom", feed, methods=["GET"], include_in_schema=False)

