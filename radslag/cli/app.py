"""``radslag serve``: the Gradio app."""

from __future__ import annotations

from pathlib import Path

import click

from radslag.cli.base import CONTEXT, archive_option, cli, lang_option, model_option, settings_for
from radslag.config import CORPUS_DIR


@cli.command(context_settings=CONTEXT)
@archive_option
@model_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=7860, show_default=True, type=int)
@click.option("--corpus", type=click.Path(), default=str(CORPUS_DIR), show_default=True,
              help="Läses in om arkivet är tomt (ingested when the archive is empty).")
@lang_option
def serve(archive, model, host, port, corpus, lang):
    """Starta sökappen i webbläsaren (start the Gradio search app)."""
    import search_app  # the app loads Gradio: only when serving

    settings = settings_for(archive, model, language=lang)
    search_app.main(settings=settings, host=host, port=port, corpus=Path(corpus))
