"""Sök: search the archive, see the hits, open an item or its meeting, when the issue came up."""

from __future__ import annotations

import csv
import json
import os
from dataclasses import replace
from pathlib import Path

import gradio as gr

from app.common import colours, download_path, pooled_archive, slug
from app.detail import OPEN_JS, build_panel, item_view, meeting_view, open_outputs, wire_panel
from app.render import note, render_hits, timeline_plot, undated_note
from index.export import safe_cell
from index.query_batch import ResultCache, archive_version, normalise_query
from index.search import MAX_K, SearchResult, display_title, search
from index.store import Archive
from index.timeline import QUERY_K, timeline
from ingest.ocr import item_ocr_mark
from radslag.config import Settings
from radslag.councils import council_name
from radslag.errors import RadslagError
from radslag.filters import ALL, parse_filters
from radslag.i18n import t
from radslag.periods import when_label
from radslag.safe import mask_value, masking_on

TAB_ID = "sok"
LABEL = "app_search"


def _hits_csv(result: SearchResult, path: Path) -> None:
    """The hits as CSV for Swedish Excel: ';', a BOM, cells that cannot run as formulas, personal data
    masked when the app masks it."""
    hits = mask_value(result.hits) if masking_on() else result.hits
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(["rank", "date", "when", "body", "municipality", "item_number", "item_title", "source",
                         "meeting_id", "item_id", "snippet"])
        for h in hits:
            writer.writerow([safe_cell(v) for v in (h.rank, h.date, h.when, h.body, h.municipality, h.item_number,
                                                    h.item_title, h.source, h.meeting_id, h.item_id, h.snippet)])


def hit_facts(arc: Archive, result: SearchResult, lang: str) -> tuple[dict[int, str], dict[int, dict]]:
    """Each hit's date as precisely as known (``2021 (år)``) and its OCR mark (items read by OCR only).

    Takes the archive the search ran on, so a search opens it once.
    """
    shown = result.hits or result.nearest
    if not shown:
        return {}, {}
    rows = arc.items(item_ids=[h.item_id for h in shown], enrichment=False)
    front = arc.document_front_matter({r.document_id for r in rows})
    marks = {r.id: item_ocr_mark(front.get(r.document_id, {}), r.pages) for r in rows}
    return {r.id: when_label(r, lang) for r in rows}, {k: v for k, v in marks.items() if v}


#: Hits shown as cards (and offered in the pick list and the hit downloads).
SHOWN = 10


def first_hits(result: SearchResult, n: int, order: str) -> SearchResult:
    """The first ``n`` hits of a relevance-ordered ``result`` (newest first for ``order="date"``), renumbered.

    What ``search(k=n, order=order)`` gives, taken from a longer search, so the
    tab searches once for its cards and its timeline.
    """
    hits = list(result.hits[:n])
    if order == "date":
        hits.sort(key=lambda h: h.when or "", reverse=True)
    hits = [replace(h, rank=rank) for rank, h in enumerate(hits, start=1)]
    return replace(result, hits=hits)


#: Whole answers of the search tab, per (query, filters, mode, order, language, masking, archive version).
ANSWERS = ResultCache(128)


def run_search(settings: Settings, query: str, mode: str, body: str, municipality: str, kind: str, topic: str,
               since: str, until: str, order: str, nearest: bool = False) -> tuple:
    """Search; returns (hits HTML, pick-list update, timeline figure, hits CSV, hits JSON, timeline CSV, note).

    One search serves both: its first :data:`SHOWN` hits are the cards, and all
    its hits (up to the timeline's ``k``) are what the timeline counts. The same
    search again, while the archive is unchanged, is answered from :data:`ANSWERS`
    (``RADSLAG_SEARCH_CACHE=0`` turns that off); any write to the archive, e.g.
    an ingest, makes every earlier answer stale. ``nearest`` shows the closest
    items below the relevance cutoff when no item passes it (marked as such).
    """
    version = archive_version(settings.db_path, settings.index_dir)  # before searching: a write during it counts
    key = (str(settings.db_path), normalise_query(query), mode, body, municipality, kind, topic,
           (since or "").strip(), (until or "").strip(), order, bool(nearest), settings.language, masking_on(), version)

    def compute() -> tuple:
        answer = _run_search(settings, query, mode, body, municipality, kind, topic, since, until, order,
                             bool(nearest))
        return tuple(dict(x) if isinstance(x, dict) else x for x in answer)

    answer = ANSWERS.get_or_compute(
        key, compute,
        keep=lambda a: bool(a[3]),  # a search that ran (not a refused filter)
        usable=lambda a: all(Path(f).exists() for f in a[3:6] if f))  # downloads not swept yet
    for folder in {Path(f).parent for f in answer[3:6] if f}:
        try:
            os.utime(folder)  # a repeated answer hands out these files again: the sweep counts from now
        except OSError:
            pass
    return tuple(dict(x) if isinstance(x, dict) else x for x in answer)  # Gradio consumes update dicts


def _run_search(settings: Settings, query: str, mode: str, body: str, municipality: str, kind: str, topic: str,
                since: str, until: str, order: str, nearest: bool = False) -> tuple:
    """:func:`run_search` without its cache."""
    lang = settings.language
    tl, tl_error, palette = None, "", {}
    try:
        filters = parse_filters(body=body, municipality=municipality, kind=kind, topic=topic, since=since,
                                until=until)
        with pooled_archive(settings) as arc:
            k = min(QUERY_K, MAX_K)
            full = search(arc, query or "", settings=settings, k=k, mode=mode, filters=filters,
                          snippets=SHOWN, show_nearest=nearest)
            result = first_hits(full, SHOWN, order)
            dates, ocr = hit_facts(arc, result, lang)
            if result.hits and query and query.strip():
                try:
                    tl = timeline(arc, query=query, by="meeting", settings=settings, filters=filters, mode=mode,
                                  k=k, result=full)
                    palette = colours(arc)
                except RadslagError as exc:
                    tl_error = str(exc)
    except RadslagError as exc:
        return note(str(exc)), gr.update(choices=[], value=None), None, None, None, None, ""
    picks = [(f"{dates.get(h.item_id) or t('unknown_date', lang)} – {council_name(h.municipality, h.body)} – "
              f"{display_title(h.item_number, h.item_title)}", str(h.item_id)) for h in result.hits or result.nearest]
    name = slug(query)
    res_json = download_path(f"traffar-{name}.json")
    payload = result.to_json()
    # compact: json's C encoder; indent=2 runs the pure-Python one, 3-9 ms of a search for ten hits' entities
    res_json.write_text(json.dumps(mask_value(payload) if masking_on() else payload, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    res_csv = res_json.with_name(f"traffar-{name}.csv")  # one fresh folder per search holds its files
    _hits_csv(result, res_csv)
    fig, tl_csv, tl_note = None, None, tl_error
    if tl is not None:
        rows = [vars(r) for r in tl.rows]
        fig = timeline_plot(rows, t("app_when_title", lang, query=query), lang, palette)
        tl_csv = res_json.with_name(f"tidslinje-{name}.csv")
        tl.to_csv(tl_csv)
        tl_note = "  \n".join(x for x in (t("app_rule_query", lang), undated_note(rows, lang)) if x)
    return (render_hits(result, lang, dates, ocr), gr.update(choices=picks, value=picks[0][1] if picks else None),
            fig, str(res_csv), str(res_json), str(tl_csv) if tl_csv else None, tl_note)


def open_item(settings: Settings, item_id: str | None, query: str | None = None) -> str:
    """HTML of the picked hit's whole item (opened in place beside the hits)."""
    return item_view(settings, item_id, query)


def open_meeting(settings: Settings, item_id: str | None) -> str:
    """HTML of the meeting of the picked hit, the item marked."""
    return meeting_view(settings, item_id)


def from_address(settings: Settings, request: gr.Request) -> tuple:
    """What a shared address asks for (``?q=…&item=…``): the query, its hits and the opened item."""
    params = dict(request.query_params) if request is not None else {}
    query = (params.get("q") or "").strip()
    item = params.get("item")
    if query:
        found = run_search(settings, query, "hybrid", ALL, ALL, ALL, ALL, "", "", "relevance")
    else:
        found = (gr.update(), gr.update(), gr.update(), gr.update(), gr.update(), gr.update(), gr.update())
    if item:
        view, picked, original = open_outputs(settings, item, query)
        found = (found[0], gr.update(value=picked) if not query else gr.update(
            choices=_with_pick(found[1], picked), value=picked), *found[2:])
    else:
        view, original = gr.update(), gr.update()
    return (gr.update(value=query) if query else gr.update(), *found, view, original)


def _with_pick(update, picked: str | None) -> list:
    """The pick list of a search update, with ``picked`` in it (a shared item need not be among the hits)."""
    choices = list((update or {}).get("choices") or [])
    if picked and all(value != picked for _, value in choices):
        choices.append((picked, picked))
    return choices


def build(ctx) -> None:
    """The search tab: query and filters; hit cards on the left, the opened item on the right."""
    L, on = ctx.L, ctx.on
    modes = [(L("app_mode_hybrid"), "hybrid"), (L("app_mode_dense"), "dense"), (L("app_mode_keyword"), "keyword")]
    orders = [(L("app_order_relevance"), "relevance"), (L("app_order_date"), "date")]
    with gr.Row():
        query = gr.Textbox(label=L("app_query"), placeholder=L("app_query_hint"), scale=5, elem_id="query")
        go_btn = gr.Button(L("app_search"), variant="primary", scale=1, elem_id="search-btn")
    with gr.Accordion(L("app_filters"), open=False):
        with gr.Row():
            mode = gr.Radio(modes, value="hybrid", label=L("app_mode"))
            order = gr.Radio(orders, value="relevance", label=L("app_order"))
        with gr.Row():
            body = ctx.picker("bodies", L("app_body"), value=ALL)
            municipality = ctx.picker("municipalities", L("app_municipality"), value=ALL)
            kind = ctx.picker("kinds", L("app_kind"), value=ALL)
            topic = ctx.picker("topics", L("app_topic"), value=ALL)
        with gr.Row():
            since = gr.Textbox(label=L("app_since"))
            until = gr.Textbox(label=L("app_until"))
            nearest = gr.Checkbox(label=L("app_nearest"), value=False)
    with gr.Row(equal_height=False):
        with gr.Column(scale=5, min_width=360):
            results = gr.HTML(elem_id="results", js_on_load=OPEN_JS)
        with gr.Column(scale=6, min_width=420, elem_classes=["detail-column"]):
            view, pick, item_btn, meeting_btn, original = build_panel(ctx, picks=True)
    timeline_plot = gr.Plot(label=L("app_timeline"))
    timeline_note = gr.Markdown()
    with gr.Row():
        dl_csv = gr.DownloadButton(L("app_dl_csv"), size="sm")
        dl_json = gr.DownloadButton(L("app_dl_json"), size="sm")
        dl_tl = gr.DownloadButton(L("app_dl_timeline"), size="sm")
    outputs = [results, pick, timeline_plot, dl_csv, dl_json, dl_tl, timeline_note]
    inputs = [query, mode, body, municipality, kind, topic, since, until, order, nearest]
    go_btn.click(on(run_search), inputs, outputs)
    query.submit(on(run_search), inputs, outputs)
    wire_panel(ctx, results, view, pick, item_btn, meeting_btn, original, query=query)
    settings = ctx.settings

    def load(request: gr.Request):
        return from_address(settings, request)

    ctx.blocks.load(load, None, [query, *outputs, view, original])
    ctx.shared["query"] = query
