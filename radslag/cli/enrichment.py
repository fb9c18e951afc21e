"""Views of the enrichment: ``radslag entities`` and ``radslag topics``."""

from __future__ import annotations

import json

import click

from radslag.cli.base import (BODY_HELP, CONTEXT, archive_option, cli, emit, fail, filters_from, lang_option,
                              model_option, open_archive, settings_for)
from radslag.errors import RadslagError


@cli.command(context_settings=CONTEXT)
@archive_option
@click.option("--label", help="PER, ORG, LOC, ROLE, DATE, DNR …")
@click.option("--by", type=click.Choice(["body", "year"]), default=None, help="Räkna per organ eller år.")
@click.option("--people", "people_view", is_flag=True, help="Visa personer med roller och perioder.")
@click.option("--body", help=BODY_HELP)
@click.option("--json", "as_json", is_flag=True)
@lang_option
def entities(archive, label, by, people_view, body, as_json, lang):
    """Lista namngivna entiteter med antal, eller personer och deras roller."""
    from index.people import entity_counts, people

    filters = filters_from(body=body)
    settings = settings_for(archive)
    lang = lang or settings.language
    with open_archive(settings) as arc:
        if people_view:
            rows = people(arc, filters)
            emit(rows, as_json, ["name", "roles", "party", "bodies", "first_seen", "last_seen", "mentions"], lang)
        else:
            rows = entity_counts(arc, label=label, by=by, filters=filters)
            emit(rows, as_json, ["entity", "label", *([by] if by else []), "mentions", "items", "meetings"], lang)


@cli.command(context_settings=CONTEXT)
@archive_option
@model_option
@click.option("--by", type=click.Choice(["body", "year", "quarter", "month"]), default=None)
@click.option("--topic", help="Bara ett ämne (id eller etikett).")
@click.option("--body", help=BODY_HELP)
@click.option("--discover", is_flag=True, help="Hitta nya ämnen genom klustring (discover emerging topics).")
@click.option("--calibrate", is_flag=True,
              help="Kalibrera ämnesmärkningen på de märkta exemplen och spara i modellcachen (recalibrate).")
@click.option("--json", "as_json", is_flag=True)
@lang_option
def topics(archive, model, by, topic, body, discover, calibrate, as_json, lang):
    """Lista ämnen med antal per organ och period, upptäck nya ämnen eller kalibrera märkningen."""
    from index.discover import discover_topics
    from index.embeddings import load_embedder
    from index.topics import topic_counts
    from ingest.topics import recalibrate

    settings = settings_for(archive, model)
    lang = lang or settings.language
    try:
        if calibrate:
            result = recalibrate(settings, load_embedder(settings) if settings.embed else None)
            click.echo(json.dumps(result, ensure_ascii=False, indent=2))
            return
        filters = filters_from(topic=topic, body=body)
        with open_archive(settings) as arc:
            if discover:
                rows = discover_topics(arc, load_embedder(settings), filters=filters)
                emit(rows, as_json, ["label", "size", "terms", "bodies", "first_date", "last_date", "overlaps"], lang)
            else:
                rows = topic_counts(arc, by=by, filters=filters)
                emit(rows, as_json, ["topic_id", "label", *([("body" if by == "body" else "period")] if by else []),
                                     "items", "meetings"], lang)
    except RadslagError as exc:
        fail(str(exc))
