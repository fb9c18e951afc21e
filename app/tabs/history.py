"""Frågans historia: when and where one issue came up in one council (or all), and what was promised."""

from __future__ import annotations

import gradio as gr

from app.common import download_path
from app.detail import OPEN_JS, build_panel, wire_panel
from app.render import note, render_history
import index.search as search_module
from index.history import default_name, issue_history
from index.store import Archive
from index.timeline import QUERY_K
from radslag.config import Settings
from radslag.errors import RadslagError
from radslag.filters import ALL, parse_filters
from radslag.i18n import t
from radslag.safe import mask_value

TAB_ID = "historia"
LABEL = "app_history"


def history_files(history, lang: str, masked: bool) -> tuple[str, str, str]:
    """The history as CSV (';', BOM), JSON and Markdown files named after the issue and council."""
    if masked:
        history = mask_value(history, lang)
    csv_path, json_path, md_path = (download_path(default_name(history, ext)) for ext in ("csv", "json", "md"))
    history.to_csv(csv_path, lang=lang)
    history.to_json(json_path)
    md_path.write_text(history.to_markdown(lang), encoding="utf-8")
    return str(csv_path), str(json_path), str(md_path)


def show_history(settings: Settings, council: str, issue: str, topic: str, order: str) -> tuple:
    """The history of an issue (text) or topic in a council (key) or all: (HTML, CSV, JSON, Markdown)."""
    lang = settings.language
    issue = (issue or "").strip()
    topic = None if topic in (None, "", ALL) else topic
    if not issue and not topic:
        return note(t("app_hist_need_issue", lang)), None, None, None
    try:
        filters = parse_filters(council=None if council in (None, "", ALL) else council)
        with Archive(settings.db_path) as arc:
            history = issue_history(arc, settings, query=issue or None, topic=None if issue else topic,
                                    filters=filters, order=order if order in ("newest", "oldest") else "newest",
                                    k=min(QUERY_K, getattr(search_module, "MAX_K", QUERY_K)))
    except RadslagError as exc:
        return note(str(exc)), None, None, None
    files = history_files(history, lang, settings.masks("app"))
    return (render_history(history, lang, query=issue or None), *files)


def build(ctx) -> None:
    """The history tab: council, issue or topic, order; the dated list and three downloads."""
    L, on = ctx.L, ctx.on
    with gr.Row():
        council = ctx.picker("councils", L("app_council"), value=ALL, elem_id="hist-council", scale=2)
        issue = gr.Textbox(label=L("app_issue"), placeholder=L("app_issue_hint"), elem_id="hist-issue", scale=3)
        topic = ctx.picker("topics", L("app_hist_topic"), value=ALL, elem_id="hist-topic", scale=2)
    with gr.Row():
        order = gr.Radio([(L("app_order_newest"), "newest"), (L("app_order_oldest"), "oldest")], value="newest",
                         label=L("app_order"), scale=3)
        button = gr.Button(L("app_show_history"), variant="primary", elem_id="hist-btn", scale=1)
    with gr.Row():
        dl_csv = gr.DownloadButton(L("app_dl_hist_csv"), size="sm", elem_id="hist-csv")
        dl_json = gr.DownloadButton(L("app_dl_hist_json"), size="sm", elem_id="hist-json")
        dl_md = gr.DownloadButton(L("app_dl_hist_md"), size="sm", elem_id="hist-md")
    with gr.Row(equal_height=False):
        with gr.Column(scale=5, min_width=360):
            view = gr.HTML(elem_id="history", js_on_load=OPEN_JS)
        with gr.Column(scale=6, min_width=420, elem_classes=["detail-column"]):
            panel = build_panel(ctx, prefix="hist-")
    wire_panel(ctx, view, *panel, query=issue)
    outputs = [view, dl_csv, dl_json, dl_md]
    inputs = [council, issue, topic, order]
    button.click(on(show_history), inputs, outputs)
    issue.submit(on(show_history), inputs, outputs)
    ctx.shared["history_view"] = view
