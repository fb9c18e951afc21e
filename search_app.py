"""Rådslag's Gradio app: search, timelines, topic explorer, brief, follow-ups.

Run with ``radslag serve`` (or ``python search_app.py``). With no archive yet,
the bundled ``corpus/`` is ingested first, with progress shown in the
terminal. Binds 127.0.0.1 by default; Gradio analytics are off.
"""

from __future__ import annotations

import html
import json
import os
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import gradio as gr  # noqa: E402

from radslag.config import CORPUS_DIR, Settings, load_settings  # noqa: E402
from radslag.errors import RadslagError  # noqa: E402
from radslag.i18n import kind_label, t  # noqa: E402
from index.search import display_title  # noqa: E402
from index.store import Archive  # noqa: E402

ALL = "(alla)"

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
    from ingest.pipeline import ingest_paths

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
    from index.search import highlight_spans

    out, last = [], 0
    for start, end in highlight_spans(text, query):
        out.append(html.escape(text[last:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


def render_hits(result, lang: str = "sv") -> str:
    """HTML cards for a search result."""
    parts = [f'<div class="note">{html.escape(n)}</div>' for n in result.notes]
    if not result.hits:
        parts.append("<p>Inga träffar.</p>")
        return "\n".join(parts)
    parts.append(
        f"<p>{len(result.hits)} träffar · sökläge: {'+'.join(result.modes_used)} · {result.elapsed_ms:.0f} ms</p>"
    )
    for h in result.hits:
        topics = "".join(f"<span>{html.escape(t['label'])}</span>" for t in h.topics[:5])
        parts.append(
            f'<div class="hit" data-item="{h.item_id}" data-meeting="{h.meeting_id}">'
            f"<h4>{h.rank}. {html.escape(display_title(h.item_number, h.item_title))}</h4>"
            f'<div class="meta">{html.escape(h.date or "okänt datum")} · {html.escape(h.body or "–")} · '
            f"{html.escape(h.municipality or '–')} · {html.escape(kind_label(h.kind, lang))} · "
            f"{html.escape(Path(h.source).name)}</div>"
            f'<div class="snippet">{_highlight(h.snippet, result.query)}</div>'
            f'<div class="topics">{topics}</div></div>'
        )
    return "\n".join(parts)


def render_item(item: dict[str, Any], query: str = "") -> str:
    """Markdown view of one whole agenda item."""
    lines = [
        f"### {display_title(item.get('number'), item['title'])}",
        f"**{item.get('date') or 'okänt datum'}** · {item.get('body') or '–'} · {item.get('municipality') or '–'}"
        f" · {Path(item['source']).name}" + (f" · sidor {', '.join(map(str, item['pages']))}" if item.get("pages") else ""),
        "",
        item["text"],
    ]
    if item.get("topics"):
        lines += ["", "**Ämnen:** " + ", ".join(f"{t['label']} ({t['score']:.2f})" for t in item["topics"])]
    people = sorted({e.get("canonical") or e["text"] for e in item.get("entities", []) if e["label"] in ("PER",)})
    orgs = sorted({e.get("canonical") or e["text"] for e in item.get("entities", []) if e["label"] in ("ORG",)})
    if people:
        lines.append("**Personer:** " + ", ".join(people))
    if orgs:
        lines.append("**Organisationer:** " + ", ".join(orgs))
    return "\n".join(lines)


def render_meeting(archive: Archive, meeting_id: int) -> str:
    """Markdown view of a whole meeting: metadata and every agenda item."""
    m = archive.meeting(meeting_id)
    if m is None:
        return "Mötet finns inte."
    lines = [
        f"## {m.get('body') or 'Möte'} – {m.get('date') or 'okänt datum'}",
        f"{m.get('municipality') or '–'} · {kind_label(m['kind'])} · {Path(m['source']).name}",
    ]
    if m.get("place"):
        lines.append(f"**Plats:** {m['place']}")
    if m.get("chair"):
        lines.append(f"**Ordförande:** {m['chair']}")
    if m.get("secretary"):
        lines.append(f"**Sekreterare/antecknare:** {m['secretary']}")
    if m.get("participants"):
        people = [
            p["name"] + (f" ({p['party']})" if p.get("party") else "") + (f", {p['role']}" if p.get("role") else "")
            for p in m["participants"]
        ]
        lines.append("**Deltagare:** " + "; ".join(people))
    if m.get("next_meeting"):
        lines.append(f"**Nästa möte:** {m['next_meeting']}")
    for item in archive.items(meeting_id=meeting_id):
        lines += ["", f"### {display_title(item.get('number'), item['title'])}", "", item["text"]]
    return "\n".join(lines)


def _choices(archive: Archive, column: str) -> list[str]:
    rows = archive.conn.execute(
        f"SELECT DISTINCT {column} FROM meetings WHERE {column} IS NOT NULL ORDER BY {column}"
    ).fetchall()
    return [ALL] + [r[0] for r in rows]


def _topic_choices(lang: str = "sv") -> list[tuple[str, str]]:
    from ingest.topics import load_taxonomy

    return [(ALL, ALL)] + [(t.label(lang), t.id) for t in load_taxonomy()]


def _opt(value: str | None) -> str | None:
    value = (value or "").strip()
    return None if value in ("", ALL) else value


def timeline_figure(rows: list[dict[str, Any]], title: str):
    """Plotly bar chart: items per period, coloured by body."""
    import plotly.graph_objects as go

    fig = go.Figure()
    bodies = sorted({r["body"] or "–" for r in rows})
    for body in bodies:
        sel = [r for r in rows if (r["body"] or "–") == body]
        fig.add_bar(x=[r["period"] for r in sel], y=[r["item_count"] for r in sel], name=body,
                    hovertext=[f"{r['meeting_count']} möten, {r['item_count']} punkter" for r in sel])
    fig.update_layout(title=title, barmode="stack", xaxis_title="Period", yaxis_title="Punkter",
                      height=320, margin=dict(l=40, r=20, t=50, b=40), legend_title="Organ")
    # chronological, undated last (periods are ISO strings, so they sort as text)
    periods = sorted({r["period"] for r in rows}, key=lambda p: (not p[:1].isdigit(), p))
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=periods)
    return fig


def _tmpfile(suffix: str) -> Path:
    fd, name = tempfile.mkstemp(prefix="radslag-", suffix=suffix)
    os.close(fd)
    return Path(name)


# -- the app --------------------------------------------------------------------------


def build_app(settings: Settings) -> gr.Blocks:
    """Build the Blocks app over the archive named by ``settings``."""
    from index.search import search

    def L(key: str) -> str:  # noqa: N802 - short on purpose: every label goes through it
        return t(key, settings.language)

    modes = [(L("app_mode_hybrid"), "hybrid"), (L("app_mode_dense"), "dense"), (L("app_mode_keyword"), "keyword")]
    orders = [(L("app_order_relevance"), "relevance"), (L("app_order_date"), "date")]

    with Archive(settings.db_path) as arc:
        bodies = _choices(arc, "body")
        municipalities = _choices(arc, "municipality")
    topic_choices = _topic_choices(settings.language)

    def do_search(query, mode, body, municipality, kind, topic, since, until, order):
        with Archive(settings.db_path) as arc:
            try:
                result = search(
                    arc, query or "", settings=settings, k=10, mode=mode, body=_opt(body),
                    municipality=_opt(municipality), kind=_opt(kind), topic=_opt(topic),
                    since=_opt(since), until=_opt(until), order=order,
                )
            except RadslagError as exc:
                return (f'<div class="note">{html.escape(str(exc))}</div>', gr.update(choices=[], value=None),
                        None, None, None, None, "")
            hits_html = render_hits(result, settings.language)
            choices = [(f"{h.rank}. {h.date or 'okänt datum'} – {h.body or '–'} – {h.item_title}", str(h.item_id))
                       for h in result.hits]
            res_json = _tmpfile(".json")
            res_json.write_text(json.dumps(result.to_json(), ensure_ascii=False, indent=2), encoding="utf-8")
            res_csv = _tmpfile(".csv")
            _hits_csv(result, res_csv)
            fig, tl_csv, note = None, None, ""
            if result.hits and query and query.strip():
                try:
                    from index.timeline import timeline

                    tl = timeline(arc, query=query, by="meeting", settings=settings, body=_opt(body),
                                  municipality=_opt(municipality), since=_opt(since), until=_opt(until))
                    rows = [r if isinstance(r, dict) else r.__dict__ for r in tl.rows]
                    fig = timeline_figure(rows, f"När kom frågan upp? – {query}")
                    tl_csv = _tmpfile(".csv")
                    tl.to_csv(tl_csv)
                    note = tl.threshold_note
                except RadslagError as exc:
                    note = str(exc)
        return (hits_html, gr.update(choices=choices, value=choices[0][1] if choices else None),
                fig, str(res_csv), str(res_json), str(tl_csv) if tl_csv else None, note)

    def open_item(item_id, query):
        if not item_id:
            return L("app_pick_first")
        with Archive(settings.db_path) as arc:
            item = arc.item(int(item_id))
            return render_item(item, query or "") if item else L("app_no_item")

    def open_meeting(item_id):
        if not item_id:
            return L("app_pick_first")
        with Archive(settings.db_path) as arc:
            item = arc.item(int(item_id))
            return render_meeting(arc, item["meeting_id"]) if item else L("app_no_meeting")

    def topic_heatmap(by, body):
        import plotly.graph_objects as go
        from ingest.topics import topic_counts

        with Archive(settings.db_path) as arc:
            rows = topic_counts(arc, by=by, body=_opt(body))
        labels = sorted({r["label"] for r in rows})
        periods = sorted({str(r.get("period") or r.get("body") or "okänt datum") for r in rows},
                         key=lambda p: (not p[:1].isdigit(), p))
        z = [[0] * len(periods) for _ in labels]
        for r in rows:
            z[labels.index(r["label"])][periods.index(str(r.get("period") or r.get("body") or "okänt datum"))] += r["items"]
        fig = go.Figure(go.Heatmap(z=z, x=periods, y=labels, colorscale="YlOrRd", hovertemplate="%{y}<br>%{x}: %{z} punkter<extra></extra>"))
        fig.update_layout(title="Ämnen över tid (antal dagordningspunkter)" + (f" – {body}" if _opt(body) else ""), height=max(360, 22 * len(labels) + 120),
                          margin=dict(l=220, r=20, t=50, b=60))
        fig.update_xaxes(type="category")
        return fig

    def topic_timeline(topic, by):
        if not _opt(topic):
            return None, None, L("app_pick_topic")
        from index.timeline import timeline

        with Archive(settings.db_path) as arc:
            tl = timeline(arc, topic=topic, by=by, settings=settings)
        rows = [r if isinstance(r, dict) else r.__dict__ for r in tl.rows]
        path = _tmpfile(".csv")
        tl.to_csv(path)
        label = dict((v, k) for k, v in topic_choices).get(topic, topic)
        return timeline_figure(rows, f"Ämne: {label}"), str(path), tl.threshold_note

    def make_brief(body):
        if not _opt(body):
            return L("app_pick_body")
        from index.brief import brief, render_markdown

        with Archive(settings.db_path) as arc:
            return render_markdown(brief(arc, body, settings=settings, lang=settings.language))

    def list_followups(body, status):
        from ingest.followups import followups

        with Archive(settings.db_path) as arc:
            rows = followups(arc, body=_opt(body), status=_opt(status))
        cols = ["date", "body", "who", "what", "due", "status"]
        return [[r.get(c) for c in cols] for r in rows]

    def list_meetings():
        with Archive(settings.db_path) as arc:
            rows = arc.meetings()
        return [[r["id"], r["date"] or "okänt datum", kind_label(r["kind"]), r["body"], r["municipality"],
                 r["item_count"], Path(r["source"]).name] for r in rows]

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
                        body = gr.Dropdown(bodies, value=ALL, label=L("app_body"))
                        municipality = gr.Dropdown(municipalities, value=ALL, label=L("app_municipality"))
                        kind = gr.Dropdown([(ALL, ALL)] + [(kind_label(k), k) for k in
                                           ("minutes", "agenda", "news", "citizen_promise", "other")],
                                           value=ALL, label=L("app_kind"))
                        topic = gr.Dropdown(topic_choices, value=ALL, label=L("app_topic"))
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
                go_btn.click(do_search, inputs, outputs)
                query.submit(do_search, inputs, outputs)
                item_btn.click(open_item, [pick, query], detail)
                meeting_btn.click(open_meeting, [pick], detail)
            with gr.Tab(L("app_topics"), id="amnen"):
                with gr.Row():
                    by = gr.Radio([(L("app_quarter"), "quarter"), (L("app_year"), "year"), (L("app_month"), "month"), (L("app_body"), "body")],
                                  value="year", label=L("app_per"))
                    heat_body = gr.Dropdown(bodies, value=ALL, label=L("app_heat_body"))
                    heat_btn = gr.Button(L("app_show_heat"), variant="primary")
                heat = gr.Plot(label=L("app_explorer"))
                heat_btn.click(topic_heatmap, [by, heat_body], heat)
                with gr.Row():
                    one_topic = gr.Dropdown(topic_choices, value=ALL, label=L("app_topic_timeline"))
                    tl_by = gr.Radio([(L("app_meeting"), "meeting"), (L("app_month"), "month"), (L("app_quarter"), "quarter"), (L("app_year"), "year")],
                                     value="meeting", label=L("app_period"))
                    tl_btn = gr.Button(L("app_show_timeline"))
                topic_plot = gr.Plot()
                topic_note = gr.Markdown()
                topic_dl = gr.DownloadButton(L("app_dl_topic"), size="sm")
                tl_btn.click(topic_timeline, [one_topic, tl_by], [topic_plot, topic_dl, topic_note])
            with gr.Tab(L("app_brief"), id="brief"):
                brief_body = gr.Dropdown(bodies, value=ALL, label=L("app_body"))
                brief_btn = gr.Button(L("app_make_brief"), variant="primary")
                brief_md = gr.Markdown()
                brief_btn.click(make_brief, [brief_body], brief_md)
            with gr.Tab(L("app_followups"), id="followups"):
                with gr.Row():
                    fu_body = gr.Dropdown(bodies, value=ALL, label=L("app_body"))
                    fu_status = gr.Dropdown([ALL, "öppen", "besvarad"], value=ALL, label=L("app_status"))
                    fu_btn = gr.Button(L("app_show_followups"), variant="primary")
                fu_table = gr.Dataframe(headers=[L("app_col_date"), L("app_body"), L("app_col_who"), L("app_col_what"), L("app_col_when"), L("app_status")], wrap=True)
                fu_btn.click(list_followups, [fu_body, fu_status], fu_table)
            with gr.Tab(L("app_archive"), id="arkiv"):
                meetings_btn = gr.Button(L("app_show_meetings"))
                meetings_table = gr.Dataframe(headers=["ID", L("app_col_date"), L("app_col_kind"), L("app_body"), L("app_municipality"), L("app_col_items"), L("app_col_file")],
                                              wrap=True)
                meetings_btn.click(list_meetings, None, meetings_table)
                app.load(list_meetings, None, meetings_table)
    return app


def _hits_csv(result, path: Path) -> None:
    import csv

    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["rank", "score", "date", "body", "municipality", "item_number", "item_title", "source",
                         "meeting_id", "item_id", "snippet"])
        for h in result.hits:
            writer.writerow([h.rank, h.score, h.date, h.body, h.municipality, h.item_number, h.item_title,
                             h.source, h.meeting_id, h.item_id, h.snippet])


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
