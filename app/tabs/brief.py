"""Lägesbrev: the catch-up brief of one body."""

from __future__ import annotations

import gradio as gr

from index.brief import brief, render_markdown
from index.store import Archive
from radslag.config import Settings
from radslag.filters import ALL, parse_filters
from radslag.i18n import t

TAB_ID = "brief"
LABEL = "app_brief"


def make_brief(settings: Settings, body: str) -> str:
    """The catch-up brief of a body, as Markdown."""
    filters = parse_filters(body=body)
    if not filters.body:
        return t("app_pick_body", settings.language)
    with Archive(settings.db_path) as arc:
        return render_markdown(brief(arc, filters.body, settings=settings, lang=settings.language))


def build(ctx) -> None:
    """The brief tab: a body picker, a button and the brief."""
    body = ctx.picker("bodies", ctx.L("app_body"), value=ALL)
    button = gr.Button(ctx.L("app_make_brief"), variant="primary")
    text = gr.Markdown(elem_id="brief-text")
    button.click(ctx.on(make_brief), [body], text)
