"""Arkivet: every meeting in the archive."""

from __future__ import annotations

from typing import Any

import gradio as gr

from app.render import file_name
from index.store import Archive
from radslag.config import Settings
from radslag.i18n import kind_label, t
from radslag.safe import shown

TAB_ID = "arkiv"
LABEL = "app_archive"


def list_meetings(settings: Settings) -> list[list[Any]]:
    """Every meeting: rows for the archive table."""
    lang = settings.language
    with Archive(settings.db_path) as arc:
        rows = arc.meetings()
    return [[m.id, m.date or t("unknown_date", lang), kind_label(m.kind, lang), shown(m.body), shown(m.municipality),
             m.item_count, shown(file_name(m.source))] for m in rows]


def build(ctx) -> None:
    """The archive tab: the table of meetings, filled when the page loads."""
    L = ctx.L
    button = gr.Button(L("app_show_meetings"))
    table = gr.Dataframe(headers=["ID", L("app_col_date"), L("app_col_kind"), L("app_body"),
                                  L("app_municipality"), L("app_col_items"), L("app_col_file")], wrap=True)
    button.click(ctx.on(list_meetings), None, table)
    ctx.blocks.load(ctx.on(list_meetings), None, table)
