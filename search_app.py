"""Rådslag's Gradio app: search, timelines, topic explorer, brief, follow-ups.

Run with ``radslag serve`` (or ``python search_app.py``). With no archive yet,
the bundled ``corpus/`` is ingested first, with progress shown in the
terminal. Binds 127.0.0.1 by default; Gradio analytics are off.
"""

from __future__ import annotations

import functools
import html
import json
import os
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import gradio as gr  # noqa: E402

from index.brief import brief, render_markdown  # noqa: E402
from index.followups import followups  # noqa: E402
from index.search import SearchResult, display_title, highlight_spans, search  # noqa: E402
from index.store import STATUS_ANSWERED, STATUS_OPEN, Archive  # noqa: E402
from index.timeline import timeline  # noqa: E402
from index.topics import topic_counts  # noqa: E402
from ingest.pipeline import ingest_paths  # noqa: E402
from radslag.config import CORPUS_DIR, Settings, load_settings  # noqa: E402
from radslag.errors import RadslagError  # noqa: E402
from radslag.filters import ALL, parse_filters  # noqa: E402
from radslag.i18n import kind_label, t  # noqa: E402
from radslag.periods import chronological  # noqa: E402
from radslag.taxonomy import load_taxonomy  # noqa: E402
from radslag.types import DOCUMENT_KINDS, Item, Meeting  # noqa: E402

CSS = """
.hit {border:1px solid #d0d7de; border-radius:8px; padding:10px 14px; margin:8px 0; background:#fff}
.hit h4 {margin:0 0 4px 0; font-size:1.05em}
.hit .meta {color:#57606a; font-size:0.9em; margin-bottom:6px}
.hit .snippet {line-height:1.45}
.hit mark {background:#fff3b0; padding:0 1px}
.hit .topics span {display:inline-block; background:#eef4ff; border-radius:10px; padding:1px 8px; margin:2px 4px 0 0; font-size:0.85em}
.note {color:#9a6700}
"""


# -- archive bootstrap ------------------------------------------------------------


def ensure_archive(settings: Settings, corpus: Path = CORPUS_DIR) -> None:
    """Ingest ``corpus`` when the archive has no meetings yet (progress on stderr)."""
    with Archive(settings.db_path) as arc:
        empty = arc.count("meetings") == 0
    if empty and corpus.exists():
        print(f"Arkivet är tomt – läser in {corpus} (building the archive from the sample corpus) …", flush=True)
        # sources are stored as given: relative to where the app was started when possible
        given = os.path.relpath(corpus) if corpus.resolve().is_relative_to(Path.cwd()) else str(corpus)
        report = ingest_paths([given], settings, progress=True)
        print(f"Klart: {report.counts()}", flush=True)
        for note in report.notes:
            print(f"OBS: {note}", flush=True)


# -- rendering helpers ------------------------------------------------------------


def _highlight(text: str, query: str) -> str:
    out, last = [], 0
    for start, end in highlight_spans(text, query):
        out.append(html.escape(text[last:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


def render_hits(result: SearchResult, lang: str) -> str:
    """HTML cards for a search result."""
    parts = [f'<div class="note">{html.escape(n)}</div>' for n in result.notes]
    if not result.hits:
        parts.append(f"<p>{html.escape(t('no_hits', lang))}</p>")
        return "\n".join(parts)
    parts.append(
        f"<p>{html.escape(t('app_hits', lang, n=len(result.hits), modes='+'.join(result.modes_used), ms=f'{result.elapsed_ms:.0f}'))}</p>"
    )
    for h in result.hits:
        topics = "".join(f"<span>{html.escape(tp['label'])}</span>" for tp in h.topics[:5])
        parts.append(
            f'<div class="hit" data-item="{h.item_id}" data-meeting="{h.meeting_id}">'
            f"<h4>{h.rank}. {html.escape(display_title(h.item_number, h.item_title))}</h4>"
            f'<div class="meta">{html.escape(h.date or t("unknown_date", lang))} · {html.escape(h.body or "–")} · '
            f"{html.escape(h.municipality or '–')} · {html.escape(kind_label(h.kind, lang))} · "
            f"{html.escape(Path(h.source).name)}</div>"
            f'<div class="snippet">{_highlight(h.snippet, result.query)}</div>'
            f'<div class="topics">{topics}</div></div>'
        )
    return "\n".join(parts)


def render_item(item: Item, lang: str) -> str:
    """Markdown view of one whole agenda item."""
    pages = f" · {t('app_pages', lang)} {', '.join(map(str, item.pages))}" if item.pages else ""
    lines = [
        f"### {display_title(item.number, item.title)}",
        f"**{item.date or t('unknown_date', lang)}** · {item.body or '–'} · {item.municipality or '–'}"
        f" · {Path(item.source).name}{pages}",
        "",
        item.text,
    ]
    if item.topics:
        lines += ["", f"**{t('app_topics', lang)}:** " + ", ".join(f"{tp.label} ({tp.score:.2f})" for tp in item.topics)]
    people = sorted({e.canonical or e.text for e in item.entities if e.label == "PER"})
    orgs = sorted({e.canonical or e.text for e in item.entities if e.label == "ORG"})
    if people:
        lines.append(f"**{t('app_people', lang)}:** " + ", ".join(people))
    if orgs:
        lines.append(f"**{t('app_orgs', lang)}:** " + ", ".join(orgs))
    return "\n".join(lines)


def render_meeting(meeting: Meeting, items: list[Item], lang: str) -> str:
    """Markdown view of a whole meeting: metadata and every agenda item."""
    m = meeting
    lines = [
        f"## {m.body or t('app_meeting', lang)} – {m.date or t('unknown_date', lang)}",
        f"{m.municipality or '–'} · {kind_label(m.kind, lang)} · {Path(m.source).name}",
    ]
    for key, value in (("app_place", m.place), ("app_chair", m.chair), ("app_secretary", m.secretary)):
        if value:
            lines.append(f"**{t(key, lang)}:** {value}")
    if m.participants:
        people = [p.name + (f" ({p.party})" if p.party else "") + (f", {p.role}" if p.role else "")
                  for p in m.participants]
        lines.append(f"**{t('app_participants', lang)}:** " + "; ".join(people))
    if m.next_meeting:
        lines.append(f"**{t('app_next_meeting', lang)}:** {m.next_meeting}")
    for item in items:
        lines += ["", f"### {display_title(item.number, item.title)}", "", item.text]
    return "\n".join(lines)


def timeline_figure(rows: list[dict[str, Any]], title: str, lang: str):
    """Plotly bar chart: items per period, coloured by body."""
    import plotly.graph_objects as go

    fig = go.Figure()
    bodies = sorted({r["body"] or "–" for r in rows})
    for body in bodies:
        sel = [r for r in rows if (r["body"] or "–") == body]
        fig.add_bar(x=[r["period"] for r in sel], y=[r["item_count"] for r in sel], name=body,
                    hovertext=[t("app_hover", lang, m=r["meeting_count"], n=r["item_count"]) for r in sel])
    fig.update_layout(title=title, barmode="stack", xaxis_title=t("app_period", lang),
                      yaxis_title=t("app_col_items", lang), height=320, margin=dict(l=40, r=20, t=50, b=40),
                      legend_title=t("app_body", lang))
    # chronological, undated last (periods are ISO strings, so they sort as text)
    periods = sorted({r["period"] for r in rows}, key=lambda p: (not p[:1].isdigit(), p))
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=periods)
    return fig


def _tmpfile(suffix: str) -> Path:
    fd, name = tempfile.mkstemp(prefix="radslag-", suffix=suffix)
    os.close(fd)
    return Path(name)


def _hits_csv(result: SearchResult, path: Path) -> None:
    import csv

    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["rank", "score", "date", "body", "municipality", "item_number", "item_title", "source",
                         "meeting_id", "item_id", "snippet"])
        for h in result.hits:
            writer.writerow([h.rank, h.score, h.date, h.body, h.municipality, h.item_number, h.item_title,
                             h.source, h.meeting_id, h.item_id, h.snippet])


def _note(text: str) -> str:
    return f'<div class="note">{html.escape(text)}</div>'


# -- handlers: settings and the widgets' values in, the widgets' new values out ----------


def choices(settings: Settings) -> dict[str, list]:
    """Dropdown choices: bodies, municipalities, topics (label, id), kinds (label, kind)."""
    lang = settings.language
    with Archive(settings.db_path) as arc:
        bodies, municipalities = arc.meeting_values("body"), arc.meeting_values("municipality")
    return {
        "bodies": [ALL, *bodies],
        "municipalities": [ALL, *municipalities],
        "topics": [(ALL, ALL)] + [(tp.label(lang), tp.id) for tp in load_taxonomy()],
        "kinds": [(ALL, ALL)] + [(kind_label(k, lang), k) for k in DOCUMENT_KINDS],
    }


def run_search(settings: Settings, query: str, mode: str, body: str, municipality: str, kind: str, topic: str,
               since: str, until: str, order: str) -> tuple:
    """Search; returns (hits HTML, pick-list update, timeline figure, hits CSV, hits JSON, timeline CSV, note)."""
    lang = settings.language
    try:
        filters = parse_filters(body=body, municipality=municipality, kind=kind, topic=topic, since=since,
                                until=until)
        with Archive(settings.db_path) as arc:
            result = search(arc, query or "", settings=settings, k=10, mode=mode, filters=filters, order=order)
    except RadslagError as exc:
        return _note(str(exc)), gr.update(choices=[], value=None), None, None, None, None, ""
    picks = [(f"{h.rank}. {h.date or t('unknown_date', lang)} – {h.body or '–'} – {h.item_title}", str(h.item_id))
             for h in result.hits]
    res_json = _tmpfile(".json")
    res_json.write_text(json.dumps(result.to_json(), ensure_ascii=False, indent=2), encoding="utf-8")
    res_csv = _tmpfile(".csv")
    _hits_csv(result, res_csv)
    fig, tl_csv, note = None, None, ""
    if result.hits and query and query.strip():
        try:
            with Archive(settings.db_path) as arc:
                tl = timeline(arc, query=query, by="meeting", settings=settings, filters=filters)
            fig = timeline_figure([vars(r) for r in tl.rows], t("app_when_title", lang, query=query), lang)
            tl_csv = _tmpfile(".csv")
            tl.to_csv(tl_csv)
            note = tl.threshold_note
        except RadslagError as exc:
            note = str(exc)
    return (render_hits(result, lang), gr.update(choices=picks, value=picks[0][1] if picks else None),
            fig, str(res_csv), str(res_json), str(tl_csv) if tl_csv else None, note)


def open_item(settings: Settings, item_id: str | None, query: str | None = None) -> str:
    """Markdown of the picked hit's whole item."""
    if not item_id:
        return t("app_pick_first", settings.language)
    with Archive(settings.db_path) as arc:
        item = arc.item(int(item_id))
    return render_item(item, settings.language) if item else t("app_no_item", settings.language)


def open_meeting(settings: Settings, item_id: str | None) -> str:
    """Markdown of the meeting of the picked hit."""
    if not item_id:
        return t("app_pick_first", settings.language)
    with Archive(settings.db_path) as arc:
        item = arc.item(int(item_id))
        meeting = arc.meeting(item.meeting_id) if item else None
        items = arc.items(meeting_id=meeting.id) if meeting else []
    if meeting is None:
        return t("app_no_meeting", settings.language)
    return render_meeting(meeting, items, settings.language)


def topic_heatmap(settings: Settings, by: str, body: str):
    """Heatmap of tagged items per topic and period (or body), for one body or all."""
    import plotly.graph_objects as go

    lang = settings.language
    filters = parse_filters(body=body)
    with Archive(settings.db_path) as arc:
        rows = topic_counts(arc, by=by, filters=filters)
    unknown = t("unknown_date", lang)
    column = [str((r.body if by == "body" else r.period) or unknown) for r in rows]
    labels = sorted({r.label for r in rows})
    periods = sorted(set(column), key=lambda p: chronological(None if p == unknown else p))
    z = [[0] * len(periods) for _ in labels]
    for r, col in zip(rows, column):
        z[labels.index(r.label)][periods.index(col)] += r.items
    fig = go.Figure(go.Heatmap(z=z, x=periods, y=labels, colorscale="YlOrRd",
                               hovertemplate="%{y}<br>%{x}: %{z}<extra></extra>"))
    title = t("app_heat_title", lang) + (f" – {filters.body}" if filters.body else "")
    fig.update_layout(title=title, height=max(360, 22 * len(labels) + 120), margin=dict(l=220, r=20, t=50, b=60))
    fig.update_xaxes(type="category")
    return fig


def topic_timeline(settings: Settings, topic: str, by: str) -> tuple:
    """Timeline of one topic: (figure, CSV path, mention rule)."""
    lang = settings.language
    filters = parse_filters(topic=topic)
    if not filters.topic:
        return None, None, t("app_pick_topic", lang)
    with Archive(settings.db_path) as arc:
        tl = timeline(arc, topic=filters.topic, by=by, settings=settings)
    path = _tmpfile(".csv")
    tl.to_csv(path)
    label = next((tp.label(lang) for tp in load_taxonomy() if tp.id == filters.topic), filters.topic)
    return timeline_figure([vars(r) for r in tl.rows], t("app_topic_title", lang, topic=label), lang), str(path), \
        tl.threshold_note


def make_brief(settings: Settings, body: str) -> str:
    """The catch-up brief of a body, as Markdown."""
    filters = parse_filters(body=body)
    if not filters.body:
        return t("app_pick_body", settings.language)
    with Archive(settings.db_path) as arc:
        return render_markdown(brief(arc, filters.body, settings=settings, lang=settings.language))


def list_followups(settings: Settings, body: str, status: str) -> list[list[Any]]:
    """Follow-ups of a body (or all) with a status (or any): rows for the table."""
    status = None if status in (None, "", ALL) else status
    with Archive(settings.db_path) as arc:
        rows = followups(arc, parse_filters(body=body), status=status)
    return [[f.date, f.body, f.who, f.what, f.due, f.status] for f in rows]


def list_meetings(settings: Settings) -> list[list[Any]]:
    """Every meeting: rows for the archive table."""
    lang = settings.language
    with Archive(settings.db_path) as arc:
        rows = arc.meetings()
    return [[m.id, m.date or t("unknown_date", lang), kind_label(m.kind, lang), m.body, m.municipality,
             m.item_count, Path(m.source).name] for m in rows]


# -- the app: components and their wiring ----------------------------------------------


def build_app(settings: Settings) -> gr.Blocks:
    """Build the Blocks app over the archive named by ``settings``: components wired to the handlers."""
    lang = settings.language

    def L(key: str) -> str:  # noqa: N802 - short on purpose: every label goes through it
        return t(key, lang)

    def on(handler):
        return functools.partial(handler, settings)

    modes = [(L("app_mode_hybrid"), "hybrid"), (L("app_mode_dense"), "dense"), (L("app_mode_keyword"), "keyword")]
    orders = [(L("app_order_relevance"), "relevance"), (L("app_order_date"), "date")]
    options = choices(settings)

    with gr.Blocks(title=L("app_title")) as app:
        gr.Markdown("# Rådslag\n" + L("app_intro"))
        with gr.Tabs():
            with gr.Tab(L("app_search"), id="sok"):
                with gr.Row():
                    query = gr.Textbox(label=L("app_query"), placeholder=L("app_query_hint"),
                                       scale=5, elem_id="query")
                    go_btn = gr.Button(L("app_search"), variant="primary", scale=1, elem_id="search-btn")
                with gr.Accordion(L("app_filters"), open=False):
                    with gr.Row():
                        mode = gr.Radio(modes, value="hybrid", label=L("app_mode"))
                        order = gr.Radio(orders, value="relevance", label=L("app_order"))
                    with gr.Row():
                        body = gr.Dropdown(options["bodies"], value=ALL, label=L("app_body"))
                        municipality = gr.Dropdown(options["municipalities"], value=ALL, label=L("app_municipality"))
                        kind = gr.Dropdown(options["kinds"], value=ALL, label=L("app_kind"))
                        topic = gr.Dropdown(options["topics"], value=ALL, label=L("app_topic"))
                    with gr.Row():
                        since = gr.Textbox(label=L("app_since"))
                        until = gr.Textbox(label=L("app_until"))
                results = gr.HTML(elem_id="results")
                with gr.Row():
                    pick = gr.Dropdown([], label=L("app_pick"), scale=4, elem_id="pick")
                    item_btn = gr.Button(L("app_open_item"), scale=1, elem_id="open-item")
                    meeting_btn = gr.Button(L("app_open_meeting"), scale=1, elem_id="open-meeting")
                detail = gr.Markdown(elem_id="detail")
                timeline_plot = gr.Plot(label=L("app_timeline"))
                timeline_note = gr.Markdown()
                with gr.Row():
                    dl_csv = gr.DownloadButton(L("app_dl_csv"), size="sm")
                    dl_json = gr.DownloadButton(L("app_dl_json"), size="sm")
                    dl_tl = gr.DownloadButton(L("app_dl_timeline"), size="sm")
                outputs = [results, pick, timeline_plot, dl_csv, dl_json, dl_tl, timeline_note]
                inputs = [query, mode, body, municipality, kind, topic, since, until, order]
                go_btn.click(on(run_search), inputs, outputs)
                query.submit(on(run_search), inputs, outputs)
                item_btn.click(on(open_item), [pick, query], detail)
                meeting_btn.click(on(open_meeting), [pick], detail)
            with gr.Tab(L("app_topics"), id="amnen"):
                with gr.Row():
                    by = gr.Radio([(L("app_quarter"), "quarter"), (L("app_year"), "year"), (L("app_month"), "month"),
                                   (L("app_body"), "body")], value="year", label=L("app_per"))
                    heat_body = gr.Dropdown(options["bodies"], value=ALL, label=L("app_heat_body"))
                    heat_btn = gr.Button(L("app_show_heat"), variant="primary")
                heat = gr.Plot(label=L("app_explorer"))
                heat_btn.click(on(topic_heatmap), [by, heat_body], heat)
                with gr.Row():
                    one_topic = gr.Dropdown(options["topics"], value=ALL, label=L("app_topic_timeline"))
                    tl_by = gr.Radio([(L("app_meeting"), "meeting"), (L("app_month"), "month"),
                                      (L("app_quarter"), "quarter"), (L("app_year"), "year")],
                                     value="meeting", label=L("app_period"))
                    tl_btn = gr.Button(L("app_show_timeline"))
                topic_plot = gr.Plot()
                topic_note = gr.Markdown()
                topic_dl = gr.DownloadButton(L("app_dl_topic"), size="sm")
                tl_btn.click(on(topic_timeline), [one_topic, tl_by], [topic_plot, topic_dl, topic_note])
            with gr.Tab(L("app_brief"), id="brief"):
                brief_body = gr.Dropdown(options["bodies"], value=ALL, label=L("app_body"))
                brief_btn = gr.Button(L("app_make_brief"), variant="primary")
                brief_md = gr.Markdown(elem_id="brief-text")
                brief_btn.click(on(make_brief), [brief_body], brief_md)
            with gr.Tab(L("app_followups"), id="followups"):
                with gr.Row():
                    fu_body = gr.Dropdown(options["bodies"], value=ALL, label=L("app_body"))
                    fu_status = gr.Dropdown([ALL, STATUS_OPEN, STATUS_ANSWERED], value=ALL, label=L("app_status"))
                    fu_btn = gr.Button(L("app_show_followups"), variant="primary")
                fu_table = gr.Dataframe(headers=[L("app_col_date"), L("app_body"), L("app_col_who"), L("app_col_what"),
                                                 L("app_col_when"), L("app_status")], wrap=True, elem_id="followups-table")
                fu_btn.click(on(list_followups), [fu_body, fu_status], fu_table)
            with gr.Tab(L("app_archive"), id="arkiv"):
                meetings_btn = gr.Button(L("app_show_meetings"))
                meetings_table = gr.Dataframe(headers=["ID", L("app_col_date"), L("app_col_kind"), L("app_body"),
                                                       L("app_municipality"), L("app_col_items"), L("app_col_file")],
                                              wrap=True)
                meetings_btn.click(on(list_meetings), None, meetings_table)
                app.load(on(list_meetings), None, meetings_table)
    return app


def main(settings: Settings | None = None, host: str = "127.0.0.1", port: int = 7860,
         corpus: Path = CORPUS_DIR, block: bool = True) -> gr.Blocks:
    """Ensure an archive, build the app and launch it."""
    settings = settings or load_settings()
    ensure_archive(settings, corpus)
    app = build_app(settings)
    print(f"Rådslag körs på http://{host}:{port} (Ctrl+C avslutar)", flush=True)
    app.launch(server_name=host, server_port=port, prevent_thread_lock=not block, css=CSS,
               footer_links=[], quiet=True)
    return app


if __name__ == "__main__":
    main()
