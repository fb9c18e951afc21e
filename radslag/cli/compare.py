"""``radslag compare``: how often a topic comes up in each council, against councils of its kind elsewhere."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from radslag.cli.base import CONTEXT, archive_option, cli, emit, fail, filters_from, lang_option, open_archive
from radslag.errors import RadslagError
from radslag.i18n import kind_label, t
from radslag.types import DOCUMENT_KINDS


def _table(comparison, lang: str) -> None:
    """The comparison as a table with headers in ``lang``, then one sentence per council."""
    from index.compare import share_text, summary, verdict_text, year_label

    heads = {k: t(f"w_cmp_col_{k}", lang) for k in ("council", "year", "meetings", "items", "peers",
                                                        "peer_meetings", "verdict")}
    rows = [{heads["council"]: r.name, heads["year"]: year_label(r, lang),
             heads["meetings"]: share_text(r.meetings, lang), heads["items"]: share_text(r.items, lang),
             heads["peers"]: len(r.peers), heads["peer_meetings"]: share_text(r.peer_meetings, lang),
             heads["verdict"]: verdict_text(r, lang)} for r in comparison.rows]
    # the verdict last: the table never cuts its last column
    emit(rows, False, list(heads.values()))
    click.echo("")
    for line in summary(comparison):
        click.echo(line)
    click.echo("")
    click.secho(comparison.rule(), dim=True)


@cli.command(context_settings=CONTEXT)
@click.option("--topic", required=True, help="Ämnes-id eller etikett, t.ex. motorburen-ungdom.")
@click.option("--municipality", help="Visa bara denna kommuns råd (jämförs ändå med alla andra).")
@click.option("--body", help="Visa bara råd vars namn passar (t.ex. 'trygghetsråd').")
@click.option("--council", help="Visa bara detta råd, t.ex. 'Hallstahammar trygghetsråd'.")
@click.option("--kind", "doc_kind", type=click.Choice([*DOCUMENT_KINDS, "all"]), default="minutes", show_default=True,
              help="Dokumenttyp som räknas som möte.")
@click.option("--since", metavar="YYYY[-MM-DD]", help="Från och med (år eller datum).")
@click.option("--until", metavar="YYYY[-MM-DD]", help="Till och med (år eller datum).")
@click.option("--min-meetings", type=click.IntRange(1, 1000), default=None,
              help="Minsta antal möten på varje sida för en slutsats (standard 4).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Fil (standard: skärmen).")
@archive_option
@lang_option
def compare(topic, municipality, body, council, doc_kind, since, until, min_meetings, fmt, output, archive, lang):
    """Jämför kommuner: hur ofta ett ämne tas upp i varje råd, mot råd av samma slag i andra kommuner.

    Andel möten (och punkter) med ämnet per år, med 95 % Wilson-intervall.
    Med för få möten sägs det rakt ut att jämförelsen inte går att göra.

    \b
    Exempel:
      radslag compare --topic motorburen-ungdom --municipality Hallstahammar
      radslag compare --topic klotter-skadegorelse --format csv -o klotter.csv
    """
    from index.compare import MIN_MEETINGS, dumps
    from index.compare import compare as do_compare
    from index.councils import resolve_filters
    from radslag.config import load_settings

    settings = load_settings(archive_dir=archive)
    lang = lang or settings.language
    span = filters_from(since=since, until=until)
    with open_archive(settings) as arc:
        try:
            # focus names are checked against the archive: a typo names the closest councils
            focus = resolve_filters(arc, municipality=municipality, body=body, council=council)
            result = do_compare(arc, topic, focus=focus, kind=None if doc_kind == "all" else doc_kind,
                                since=span.since, until=span.until,
                                min_meetings=min_meetings or MIN_MEETINGS, lang=lang)
        except RadslagError as exc:
            fail(str(exc))
    for note in result.notes:
        click.secho(note, fg="yellow", err=True)
    if fmt == "table":
        if output:
            fail(t("w_cmp_table_output", lang))
        click.secho(t("w_cmp_title", lang, topic=result.topic_label), bold=True)
        click.secho(t("w_cmp_kind_label", lang, kind=kind_label(doc_kind, lang)) if doc_kind != "all"
                    else t("w_cmp_kind_all", lang), dim=True)
        _table(result, lang)
        return
    if fmt == "json":
        text = dumps(result) + "\n"
        data = text.encode("utf-8")
    else:
        text = result.to_csv(sep=";" if lang == "sv" else ",")
        data = ("\ufeff" + text).encode("utf-8")  # Excel reads UTF-8 with a BOM
    if output:
        Path(output).write_bytes(data)
        click.echo(t("w_wrote", lang, path=output))
    else:
        sys.stdout.write(text)
