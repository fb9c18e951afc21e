"""Arkivet: every meeting in the archive."""

from __future__ import annotations

from typing import Any

import gradio as gr

from app.detail import build_panel, meeting_by_id, wire_panel
from app.render import file_name
from index.store import Archive
from radslag.config import Settings
from radslag.i18n import kind_label, t
from radslag.periods import when_label
from radslag.safe import shown

TAB_ID = "arkiv"
LABEL = "app_archive"


def list_meetings(settings: Settings) -> list[list[Any]]:
    """Every meeting: rows for the archive table."""
    lang = settings.language
    with Archive(settings.db_path) as arc:
        rows = arc.meetings()
    return [[m.id, when_label(m, lang), kind_label(m.kind, lang), shown(m.body), shown(m.municipality),
             m.item_count, shown(file_name(m.source))] for m in rows]


def open_row(settings: Settings, evt: gr.SelectData) -> str:
    """The meeting of the clicked row of the archive table (its first cell is the meeting id)."""
    row = getattr(evt, "row_value", None) or []
    return meeting_by_id(settings, row[0] if row else None)


def build(ctx) -> None:
    """The archive tab: the table of meetings (filled when the page loads); a click on a row opens its meeting."""
    L = ctx.L
    settings = ctx.settings
    button = gr.Button(L("app_show_meetings"))
    with gr.Row(equal_height=False):
        with gr.Column(scale=5, min_width=360):
            table = gr.Dataframe(headers=["ID", L("app_col_date"), L("app_col_kind"), L("app_body"),
                                          L("app_municipality"), L("app_col_items"), L("app_col_file")],
                                 wrap=True, interactive=False, elem_id="meetings-table")
        with gr.Column(scale=6, min_width=420, elem_classes=["detail-column"]):
            panel = build_panel(ctx, prefix="arkiv-")
    view = panel[0]
    wire_panel(ctx, view, *panel)

    def opened(evt: gr.SelectData):
        return open_row(settings, evt)

    table.select(opened, None, view)
    button.click(ctx.on(list_meetings), None, table)
    ctx.blocks.load(ctx.on(list_meetings), None, table)
