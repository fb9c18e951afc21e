"""Recurrence over meetings: ``timeline``, ``brief``, ``followups``, ``threads``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from index.store import STATUS_ANSWERED, STATUS_OPEN, Archive
from radslag.cli.base import (CONTEXT, archive_option, cli, emit, fail, filter_options, filters_from, lang_option,
                              model_option, settings_for)
from radslag.errors import RadslagError


@cli.command(context_settings=CONTEXT)
@click.argument("query", required=False)
@click.option("--topic", help="Ämnes-id i stället för fråga.")
@click.option("--by", type=click.Choice(["meeting", "month", "quarter", "year"]), default="meeting", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "parquet"]), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(), help="Fil (krävs för parquet).")
@filter_options
@archive_option
@model_option
def timeline(query, topic, by, fmt, output, body, municipality, kind, since, until, archive, model):
    """Tidslinje: när en fråga eller ett ämne kom upp, per period och organ."""
    from index.timeline import timeline as do_timeline

    if not query and not topic:
        fail("Ange en fråga eller --topic ID.")
    filters = filters_from(body=body, municipality=municipality, kind=kind, since=since, until=until)
    subject = filters_from(topic=topic).topic if topic else None
    settings = settings_for(archive, model)
    with Archive(settings.db_path) as arc:
        try:
            tl = do_timeline(arc, query=query, topic=subject, by=by, settings=settings, filters=filters)
        except RadslagError as exc:
            fail(str(exc))
    if fmt == "table":
        click.echo(tl.threshold_note)
        emit([vars(r) for r in tl.rows], False,
             ["period", "body", "municipality", "meeting_count", "item_count", "item_ids"])
        return
    if fmt == "parquet" and not output:
        fail("Parquet kräver --output FIL.")
    writer = {"csv": tl.to_csv, "json": tl.to_json, "parquet": tl.to_parquet}[fmt]
    if output:
        writer(Path(output))
        click.echo(f"Skrev {output}")
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

    BODY: varje ord inleder ett ord i '<kommun> <organ>' (t.ex. 'Hallstahammars trygghetsråd').
    """
    from index.brief import brief as do_brief
    from index.brief import render_markdown

    settings = settings_for(archive, model)
    with Archive(settings.db_path) as arc:
        try:
            data = do_brief(arc, body, settings=settings, lang=lang or settings.language)
        except RadslagError as exc:
            fail(str(exc))
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str) if fmt == "json" else render_markdown(data))


@cli.command(context_settings=CONTEXT)
@click.option("--status", type=click.Choice([STATUS_OPEN, STATUS_ANSWERED]), default=None)
@click.option("--json", "as_json", is_flag=True)
@filter_options
@archive_option
def followups(status, as_json, body, municipality, kind, since, until, archive):
    """Lista utlovade uppföljningar ("vi tar med oss frågan") och om de besvarats."""
    from index.followups import followups as list_followups

    filters = filters_from(body=body, municipality=municipality, kind=kind, since=since, until=until)
    settings = settings_for(archive)
    with Archive(settings.db_path) as arc:
        rows = list_followups(arc, filters, status=status)
    emit(rows, as_json, ["date", "body", "who", "what", "due", "status"])


@cli.command(context_settings=CONTEXT)
@click.argument("item_id", type=int, required=False)
@click.option("--topic", help="Bara trådar med detta ämne.")
@click.option("--json", "as_json", is_flag=True)
@archive_option
def threads(item_id, topic, as_json, archive):
    """Visa frågetrådar över möten (issue threads), eller tråden för en punkt."""
    from index.threads import thread_for_item
    from index.threads import threads as list_threads

    filters = filters_from(topic=topic)
    settings = settings_for(archive)
    with Archive(settings.db_path) as arc:
        rows = thread_for_item(arc, item_id) if item_id else list_threads(arc, filters)
    columns = (["item_id", "thread_id", "position", "meeting_id", "number", "title", "date"] if item_id else
               ["thread_id", "label", "size", "meeting_count", "first_date", "last_date", "bodies"])
    emit(rows, as_json, columns)
