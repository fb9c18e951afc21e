"""Recurrence over meetings: ``timeline``, ``brief``, ``followups``, ``threads``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from radslag.cli.base import (CONTEXT, archive_option, cli, emit, fail, filter_options, filters_from, lang_option,
                              model_option, open_archive, readable, settings_for)
from radslag.errors import RadslagError
from radslag.i18n import t

#: index.store's STATUS_OPEN and STATUS_ANSWERED, written out so that --help does not load the store
#: (a test checks they agree).
FOLLOWUP_STATUSES = ("öppen", "besvarad")


def mention_rule(tl, lang: str) -> str:
    """What counts as a mention, in plain words (the exports keep the technical rule)."""
    if "topic" in tl.subject:
        return t("cli_tl_rule_topic", lang)
    # the technical note names the similarity bound only when semantic search ran
    return t("cli_tl_rule_query" if "≥" in tl.threshold_note else "cli_tl_rule_query_keyword", lang)


def known_councils(arc, wanted: str) -> str:
    """The councils closest to ``wanted`` (for an error message), or every one when few."""
    from index.councils import councils
    from radslag.filters import closest

    names = sorted({c.name for c in councils(arc)})
    return ", ".join(closest(wanted, names) if len(names) > 5 else names) or "–"


@cli.command(context_settings=CONTEXT)
@click.argument("query", required=False)
@click.option("--topic", help="Ämnes-id i stället för fråga.")
@click.option("--by", type=click.Choice(["meeting", "month", "quarter", "year"]), default="meeting", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "parquet"]), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(), help="Fil (krävs för parquet).")
@filter_options
@archive_option
@model_option
@lang_option
def timeline(query, topic, by, fmt, output, body, municipality, kind, since, until, archive, model, lang):
    """Tidslinje: när en fråga eller ett ämne kom upp, per period och organ."""
    from index.timeline import timeline as do_timeline

    settings = settings_for(archive, model)
    lang = lang or settings.language
    if not query and not topic:
        fail(t("cli_need_query_or_topic", lang))
    filters = filters_from(body=body, municipality=municipality, kind=kind, since=since, until=until)
    subject = filters_from(topic=topic).topic if topic else None
    with open_archive(settings) as arc:
        try:
            tl = do_timeline(arc, query=query, topic=subject, by=by, settings=settings, filters=filters)
        except RadslagError as exc:
            fail(str(exc))
    if fmt == "table":
        click.echo(mention_rule(tl, lang))
        if not tl.rows:
            click.echo(t("cli_tl_no_mentions", lang))
            return
        emit([vars(r) for r in tl.rows], False,
             ["period", "municipality", "body", "meeting_count", "item_count", "meetings_held"], lang)
        return
    if fmt == "parquet" and not output:
        fail(t("cli_parquet_output", lang))
    writer = {"csv": tl.to_csv, "json": tl.to_json, "parquet": tl.to_parquet}[fmt]
    if output:
        writer(Path(output))
        readable(output)
        click.echo(t("cli_wrote", lang, path=output))
    else:
        writer(sys.stdout)


@cli.command(context_settings=CONTEXT)
@click.argument("body")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@archive_option
@model_option
@lang_option
def brief(body, fmt, archive, model, lang):
    """Lägesbrev för nya ledamöter: möten, återkommande frågor, uppföljningar, personer.

    Organet: varje ord inleder ett ord i '<kommun> <organ>' (t.ex. 'Hallstahammars trygghetsråd').
    """
    from index.brief import brief as do_brief
    from index.brief import render_markdown

    settings = settings_for(archive, model)
    lang = lang or settings.language
    with open_archive(settings) as arc:
        try:
            data = do_brief(arc, body, settings=settings, lang=lang)
        except RadslagError as exc:
            fail(str(exc))
        if not data["sections"]["meetings"]["count"]:
            fail(t("cli_brief_unknown", lang, body=body, known=known_councils(arc, body)))
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str) if fmt == "json" else render_markdown(data))


@cli.command(context_settings=CONTEXT)
@click.option("--status", type=click.Choice(FOLLOWUP_STATUSES), default=None,
              help="Bara öppna eller bara besvarade uppföljningar.")
@click.option("--json", "as_json", is_flag=True)
@filter_options
@archive_option
@lang_option
def followups(status, as_json, body, municipality, kind, since, until, archive, lang):
    """Lista utlovade uppföljningar ("vi tar med oss frågan") och om de besvarats."""
    from index.followups import followups as list_followups

    filters = filters_from(body=body, municipality=municipality, kind=kind, since=since, until=until)
    settings = settings_for(archive)
    lang = lang or settings.language
    with open_archive(settings) as arc:
        rows = list_followups(arc, filters, status=status)
    emit(rows, as_json, ["date", "body", "who", "what", "due", "status"], lang)


@cli.command(context_settings=CONTEXT)
@click.argument("item_id", type=int, required=False)
@click.option("--topic", help="Bara trådar med detta ämne.")
@click.option("--json", "as_json", is_flag=True)
@archive_option
@lang_option
def threads(item_id, topic, as_json, archive, lang):
    """Visa frågetrådar över möten (issue threads), eller tråden för en punkt."""
    from index.threads import thread_for_item
    from index.threads import threads as list_threads

    filters = filters_from(topic=topic)
    settings = settings_for(archive)
    lang = lang or settings.language
    with open_archive(settings) as arc:
        rows = thread_for_item(arc, item_id) if item_id else list_threads(arc, filters)
    columns = (["item_id", "thread_id", "position", "meeting_id", "number", "title", "date"] if item_id else
               ["thread_id", "label", "size", "meeting_count", "first_date", "last_date", "bodies"])
    emit(rows, as_json, columns, lang)
