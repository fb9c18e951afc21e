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
@click.option("--no-auth", is_flag=True, help="Öppna en adress utanför datorn utan inloggning (no login on a "
              "non-loopback --host). Lösenord: RADSLAG_PASSWORD eller RADSLAG_PASSWORD_FILE.")
@click.option("--mask-personal", type=click.Choice(["publish", "on", "off"]), default=None,
              help="Maskera personnummer, telefon och e-post (on: även i appen). Standard: publish.")
@lang_option
def serve(archive, model, host, port, corpus, no_auth, mask_personal, lang):
    """Starta sökappen i webbläsaren (start the Gradio search app).

    Lyssnar på 127.0.0.1. En annan adress (t.ex. --host 0.0.0.0) kräver
    inloggning: lösenord i RADSLAG_PASSWORD eller i filen RADSLAG_PASSWORD_FILE.
    """
    from radslag import serve as server  # the app loads Gradio: only when serving

    settings = settings_for(archive, model, language=lang, mask_personal=mask_personal)
    server.main(settings, host=host, port=port, corpus=Path(corpus), no_auth=no_auth)
