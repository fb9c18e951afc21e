"""Uppföljningar: the promises made in meetings and whether they were followed up."""

from __future__ import annotations

from typing import Any

import gradio as gr

from app.common import all_choice
from index.followups import followups
from index.store import STATUS_ANSWERED, STATUS_OPEN, Archive
from radslag.config import Settings
from radslag.filters import ALL, parse_filters
from radslag.i18n import t
from radslag.safe import shown

TAB_ID = "followups"
LABEL = "app_followups"


def list_followups(settings: Settings, body: str, status: str) -> list[list[Any]]:
    """Follow-ups of a body (or all) with a status (or any): rows for the table."""
    status = None if status in (None, "", ALL) else status
    with Archive(settings.db_path) as arc:
        rows = followups(arc, parse_filters(body=body), status=status)
    # a Dataframe shows cell text as text (never HTML); masking still applies
    names = {STATUS_OPEN: t("app_hist_open", settings.language), STATUS_ANSWERED: t("app_hist_answered", settings.language)}
    return [[f.date, shown(f.body), shown(f.who), shown(f.what), shown(f.due), names.get(f.status, f.status)]
            for f in rows]


def build(ctx) -> None:
    """The follow-ups tab: body and status pickers and the table."""
    L = ctx.L
    with gr.Row():
        body = ctx.picker("bodies", L("app_body"), value=ALL)
        status = gr.Dropdown([all_choice(ctx.lang), (L("app_hist_open"), STATUS_OPEN),
                              (L("app_hist_answered"), STATUS_ANSWERED)], value=ALL, label=L("app_status"))
        button = gr.Button(L("app_show_followups"), variant="primary")
    table = gr.Dataframe(headers=[L("app_col_date"), L("app_body"), L("app_col_who"), L("app_col_what"),
                                  L("app_col_when"), L("app_status")], wrap=True, elem_id="followups-table")
    button.click(ctx.on(list_followups), [body, status], table)
