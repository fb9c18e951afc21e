"""Lägesbrev: the catch-up brief of one council."""

from __future__ import annotations

import gradio as gr

from index.brief import brief, render_markdown
from index.store import Archive
from radslag.config import Settings
from radslag.errors import RadslagError
from radslag.filters import ALL
from radslag.i18n import t

TAB_ID = "brief"
LABEL = "app_brief"


def make_brief(settings: Settings, council: str) -> str:
    """The catch-up brief of a council (its key, name or words naming it), as Markdown."""
    if not council or not str(council).strip() or council == ALL:
        return t("app_pick_council", settings.language)
    try:
        with Archive(settings.db_path) as arc:
            return render_markdown(brief(arc, council, settings=settings, lang=settings.language))
    except RadslagError as exc:
        return str(exc)


def build(ctx) -> None:
    """The brief tab: a council picker, a button and the brief."""
    council = ctx.picker("councils", ctx.L("app_council"), value=ALL, elem_id="brief-council")
    button = gr.Button(ctx.L("app_make_brief"), variant="primary")
    text = gr.Markdown(elem_id="brief-text")
    button.click(ctx.on(make_brief), [council], text)
