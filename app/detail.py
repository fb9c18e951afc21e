"""Open in place: the panel beside a result list that shows an opened item or its whole meeting.

A click on anything in a list carrying ``data-item`` (a hit card, a history
entry, a link to an answering item) opens that item in the panel without
leaving the page (:data:`OPEN_JS`); the same links are plain addresses
(``?q=…&item=…``) that open it when shared. The panel offers the whole
meeting with the item marked, and the original file with the item's page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr
from fastapi import Request

from app.render import render_item_view, render_meeting_view, source_label
from index.store import Archive
from ingest.ocr import item_ocr_mark
from radslag.config import Settings
from radslag.i18n import t
from radslag.safe import clean_html, html_text, masking_on

#: ``js_on_load`` of a list: a click on an element with ``data-item`` opens it in place and puts the
#: item (and the query) in the address, so it can be shared. A modified click (new tab, new window)
#: still follows the link's own address.
OPEN_JS = """
element.addEventListener('click', (ev) => {
  const el = ev.target.closest('[data-item]');
  if (!el || !element.contains(el)) return;
  if (ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
  ev.preventDefault();
  const link = ev.target.closest('a[href^="?"]');
  const url = link ? new URL(link.getAttribute('href'), window.location.href) : new URL(window.location.href);
  if (!link) {
    url.searchParams.set('item', el.dataset.item);
    const box = document.querySelector('#query textarea, #query input');
    if (box && box.value.trim()) url.searchParams.set('q', box.value.trim());
  }
  window.history.replaceState(null, '', url);
  trigger('click', {item: el.dataset.item});
});
"""


def _item_id(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _opened(settings: Settings, item_id, read) -> tuple[int | None, Any]:
    """The item id picked, and what ``read(archive, item, meeting)`` gives for it (None: no id picked)."""
    wanted = _item_id(item_id)
    if wanted is None:
        return None, None
    with Archive(settings.db_path) as arc:
        item = arc.item(wanted)
        meeting = arc.meeting(item.meeting_id) if item else None
        return wanted, read(arc, item, meeting)


def item_view(settings: Settings, item_id, query: str | None = None) -> str:
    """HTML of the opened item (or a line saying to pick one / that it is gone)."""
    wanted, found = _opened(settings, item_id, _read_item)
    return _item_html(settings.language, wanted, found, query)


def _read_item(arc, item, meeting) -> tuple:
    return item, meeting, (arc.document_front_matter([item.document_id]).get(item.document_id, {}) if item else {})


def _item_html(lang: str, wanted, found, query: str | None) -> str:
    if wanted is None:
        return t("app_pick_first", lang)
    item, meeting, front = found
    if item is None:
        return t("app_no_item", lang)
    return render_item_view(item, meeting, lang, query=query or None, ocr=item_ocr_mark(front, item.pages))


def meeting_view(settings: Settings, item_id) -> str:
    """HTML of the whole meeting of an item, the item marked."""
    lang = settings.language
    wanted, found = _opened(settings, item_id, lambda arc, item, meeting: (
        meeting, arc.items(meeting_id=meeting.id, enrichment=False) if meeting else []))
    if wanted is None:
        return t("app_pick_first", lang)
    meeting, items = found
    if meeting is None:
        return t("app_no_meeting", lang)
    return render_meeting_view(meeting, items, lang, marked=wanted)


def meeting_by_id(settings: Settings, meeting_id) -> str:
    """HTML of a meeting by its id (the archive table opens meetings)."""
    lang = settings.language
    wanted = _item_id(meeting_id)
    with Archive(settings.db_path) as arc:
        meeting = arc.meeting(wanted) if wanted is not None else None
        items = arc.items(meeting_id=meeting.id, enrichment=False) if meeting else []
    if meeting is None:
        return t("app_no_meeting", lang)
    return render_meeting_view(meeting, items, lang)


#: Where the app serves originals: ``original/<item id>`` (relative, so it works under a path prefix).
ORIGINAL_PATH = "original"
#: How each original is sent: shown in the browser (PDF at its page, text as text) or downloaded (Word).
ORIGINAL_TYPES = {".pdf": ("application/pdf", "inline"), ".txt": ("text/plain; charset=utf-8", "inline"),
                  ".md": ("text/plain; charset=utf-8", "inline"),
                  ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "attachment")}

#: ``js_on_load`` of the original-file link: it opens in a new browser tab, so the app stays where it was.
ORIGINAL_JS = """
element.addEventListener('click', (ev) => {
  const a = ev.target.closest('a.original');
  if (!a || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
  ev.preventDefault();
  window.open(a.href, '_blank', 'noopener');
});
"""


def original_file(settings: Settings, item_id) -> Path | None:
    """The original file of item ``item_id``, if the archive read it and it is still there.

    Only files the archive records as an item's source are ever served, found
    by the item's id: nothing in the request names a path. None also while
    personal data is masked (the original is not).
    """
    wanted = _item_id(item_id)
    if wanted is None or masking_on():
        return None
    with Archive(settings.db_path) as arc:
        item = arc.item(wanted)
    if item is None or not item.source:
        return None
    path = Path(item.source)
    return path if path.suffix.lower() in ORIGINAL_TYPES and path.is_file() else None


def original_href(item) -> str:
    """The address of an item's original, at the item's first page for a PDF (``original/12#page=7``)."""
    href = f"{ORIGINAL_PATH}/{int(item.id)}"
    if Path(item.source or "").suffix.lower() == ".pdf" and item.pages:
        href += f"#page={int(item.pages[0])}"
    return href


def original_link(item, lang: str) -> str:
    """HTML link to the item's original file and page (empty when it is gone, or while masking is on)."""
    path = Path(item.source) if item is not None and item.source else None
    if path is None or masking_on() or path.suffix.lower() not in ORIGINAL_TYPES or not path.is_file():
        return ""
    label = t("app_original", lang, where=source_label(item.source, item.pages, lang))
    return clean_html(f'<a class="original" href="{original_href(item)}">{html_text(label)}</a>')


def _logged_in(server: Any, request: Any, auth: tuple[str, str] | None) -> bool:
    """Whether ``request`` may read originals: no login set, or Gradio's login cookie of this app."""
    if auth is None and getattr(server, "auth", None) is None:
        return True
    tokens = getattr(server, "tokens", None) or {}
    cookie_id = getattr(server, "cookie_id", "")
    return any(request.cookies.get(f"access-token{kind}-{cookie_id}") in tokens for kind in ("", "-unsecure"))


def add_original_route(server: Any, settings: Settings, auth: tuple[str, str] | None = None) -> None:
    """Serve ``/original/<item id>`` on the app's FastAPI ``server``, behind the app's login.

    The file is the item's recorded source (:func:`original_file`); PDFs and
    text are shown in the browser, Word files downloaded. The response may not
    run anything (``Content-Security-Policy: sandbox``, no sniffing).
    """
    from urllib.parse import quote

    from fastapi.responses import FileResponse, PlainTextResponse

    lang = settings.language

    def original(item_id: str, request: Request):
        if not _logged_in(server, request, auth):
            return PlainTextResponse(t("app_original_login", lang), status_code=401)
        path = original_file(settings, item_id) if item_id.isdigit() and len(item_id) < 12 else None
        if path is None:
            return PlainTextResponse(t("app_original_gone", lang), status_code=404)
        media, disposition = ORIGINAL_TYPES[path.suffix.lower()]
        headers = {"Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(path.name)}",
                   "Content-Security-Policy": "sandbox", "X-Content-Type-Options": "nosniff",
                   "Cache-Control": "no-store"}
        return FileResponse(path, media_type=media, headers=headers)

    server.add_api_route(f"/{ORIGINAL_PATH}/{{item_id}}", original, methods=["GET"], include_in_schema=False)


def open_outputs(settings: Settings, item_id, query: str | None = None) -> tuple:
    """Everything the panel shows for an opened item: (view HTML, picked id, link to the original file)."""
    wanted, found = _opened(settings, item_id, _read_item)  # one archive read for the view and the link
    item = found[0] if found else None
    return (_item_html(settings.language, wanted, found, query), str(wanted) if wanted is not None else None,
            original_link(item, settings.language))


def build_panel(ctx, prefix: str = "", picks: bool = False):
    """The panel's components: (view, picked item id, open-item button, open-meeting button, original file).

    With ``picks``, the picked id is a dropdown of the list's results (``#pick``); else a hidden textbox.
    Element ids get ``prefix`` (the search tab's have none: ``#detail``, ``#open-item``, ...).
    """
    L = ctx.L
    with gr.Row():
        if picks:
            picked = gr.Dropdown([], label=L("app_pick"), scale=4, elem_id=f"{prefix}pick")
        else:
            picked = gr.Textbox(visible=False, elem_id=f"{prefix}picked")
        item_btn = gr.Button(L("app_open_item"), scale=1, size="sm", elem_id=f"{prefix}open-item")
        meeting_btn = gr.Button(L("app_open_meeting"), scale=1, size="sm", elem_id=f"{prefix}open-meeting")
    original = gr.HTML("", elem_id=f"{prefix}original", js_on_load=ORIGINAL_JS)
    view = gr.HTML(f'<p class="hint">{L("app_open_hint")}</p>', elem_id=f"{prefix}detail",
                   js_on_load=OPEN_JS)
    return view, picked, item_btn, meeting_btn, original


def wire_panel(ctx, source: gr.HTML, view, picked, item_btn, meeting_btn, original, query=None) -> None:
    """Clicks in ``source`` (and in the panel itself) open items; the buttons show the item or meeting.

    With a ``query`` box, its words are marked in the opened item.
    """
    settings = ctx.settings
    outputs = [view, picked, original]
    if query is None:
        def clicked(evt: gr.EventData):
            return open_outputs(settings, (evt._data or {}).get("item"))

        def opened(item_id):
            return open_outputs(settings, item_id)

        for box in (source, view):
            box.click(clicked, None, outputs)
        item_btn.click(opened, [picked], outputs)
    else:
        def clicked_q(q, evt: gr.EventData):
            return open_outputs(settings, (evt._data or {}).get("item"), q)

        def opened_q(item_id, q):
            return open_outputs(settings, item_id, q)

        for box in (source, view):
            box.click(clicked_q, [query], outputs)
        item_btn.click(opened_q, [picked, query], outputs)
    meeting_btn.click(lambda item_id: meeting_view(settings, item_id), [picked], view)
