"""``radslag inspect FILE``: how one file was understood, before it is ingested."""

from __future__ import annotations

import json

import click

from radslag.cli.base import CONTEXT, cli, fail, lang_option
from radslag.config import load_settings
from radslag.errors import RadslagError


@cli.command(context_settings=CONTEXT)
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Skriv JSON (write JSON).")
@lang_option
def inspect(path, as_json, lang):
    """Visa hur en fil förstås: mötesfakta med källa, punkter, avsnitt, borttagna sidhuvuden (nothing is stored).

    Show how a file is understood: meeting facts with their sources, the
    items with sections, the document's own agenda list, removed page
    furniture and warnings. Nothing is written to the archive.
    """
    from ingest.inspect import inspect_file, render

    lang = lang or load_settings().language
    try:
        info = inspect_file(path)
    except RadslagError as exc:
        fail(str(exc))
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False, indent=2, default=str))
        return
    click.echo(render(info, lang), nl=False)
