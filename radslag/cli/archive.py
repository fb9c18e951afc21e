"""Commands over the archive's contents: ingest, meetings, export, reindex."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from radslag.cli.base import (CONTEXT, archive_option, cli, echo_lines, fail, filter_options, filters_from,
                              lang_option, model_option, open_archive, readable, settings_for, when)
from radslag.errors import RadslagError
from radslag.i18n import kind_label, t
from radslag.summaries import Line, ingest_lines, reindex_line


@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@archive_option
@model_option
@click.option("--no-embed", is_flag=True, help="Hoppa över inbäddningar (skip embeddings).")
@click.option("--no-enrich", is_flag=True, help="Hoppa över entiteter och ämnen (skip enrichment).")
@click.option("--quiet", "-q", is_flag=True, help="Ingen förloppsindikator (no progress bar).")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help=f"{t('cli_engine_help')} ({t('cli_engine_help', 'en')})")
@click.option("--ray-address", metavar="ADDRESS", help=f"{t('cli_ray_address_help')} ({t('cli_ray_address_help', 'en')})")
@click.option("--ray-workers", type=click.IntRange(min=1), default=2, show_default=True,
              help=f"{t('cli_ray_workers_help')} ({t('cli_ray_workers_help', 'en')})")
@lang_option
def ingest(paths, archive, model, no_embed, no_enrich, quiet, engine, ray_address, ray_workers, lang):
    """Läs in protokoll (PDF, TXT, Markdown, DOCX) från filer och mappar.

    Mappar läses rekursivt. Samma fil två gånger lägger inte till något; en
    ändrad fil ersätter sin tidigare version. Avslutas med felkod 1 om någon
    fil misslyckades – övriga filer läses ändå in.

    Ingest files and folders (recursively); exits 1 if any file failed.
    """
    from ingest.pipeline import ingest_paths

    settings = settings_for(archive, model, embed=False if no_embed else None, enrich=False if no_enrich else None)
    lang = lang or settings.language
    if engine == "ray":
        from ingest.ray_engine import RayMissingError, RayOptions, ingest_paths_ray

        try:
            report = ingest_paths_ray(paths, settings, progress=not quiet,
                                      options=RayOptions(address=ray_address, workers=ray_workers))
        except RayMissingError:
            fail(t("cli_ray_missing", lang))
    elif ray_address:
        fail(t("cli_ray_address_local", lang))
    else:
        report = ingest_paths(paths, settings, progress=not quiet)
    echo_lines(ingest_lines(report, lang))
    sys.exit(1 if report.failed else 0)


@cli.command(context_settings=CONTEXT)
@archive_option
@filter_options
@click.option("--json", "as_json", is_flag=True, help="Skriv JSON.")
@lang_option
def meetings(archive, body, municipality, kind, since, until, as_json, lang):
    """Lista möten i arkivet (list meetings)."""
    filters = filters_from(body=body, municipality=municipality, kind=kind, since=since, until=until)
    settings = settings_for(archive)
    lang = lang or settings.language
    with open_archive(settings) as arc:
        rows = arc.meetings(filters)
    if as_json:
        for r in rows:
            click.echo(json.dumps(r.to_json(), ensure_ascii=False))
        return
    if not rows:
        click.echo(t("no_meetings", lang))
        return
    click.echo(
        f"{'ID':>4}  {t('col_date', lang):<16}  {t('col_kind', lang):<18}  {t('col_body', lang):<34}  "
        f"{t('col_municipality', lang):<14}  {t('col_items', lang):>6}  {t('col_source', lang)}"
    )
    for r in rows:
        click.echo(
            f"{r.id:>4}  {when(r, lang):<16}  {kind_label(r.kind, lang):<18}  "
            f"{(r.body or '–')[:34]:<34}  {(r.municipality or '–')[:14]:<14}  {r.item_count:>6}  {r.source}"
        )


@cli.command(context_settings=CONTEXT)
@click.argument(
    "what",
    type=click.Choice(["items", "meetings", "entities", "topics", "threads", "followups", "all"]),
    default="items",
)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl", show_default=True)
@click.option("--output", "-o", type=click.Path(), help="Fil eller mapp; standard: stdout (jsonl/csv).")
@click.option("--sep", default=",", show_default=True, help="CSV-avgränsare; ';' för svensk Excel.")
@archive_option
@filter_options
@lang_option
def export(what, fmt, output, sep, archive, body, municipality, kind, since, until, lang):
    """Exportera arkivet för analys (research export: JSONL, CSV, Parquet).

    `radslag export items` skriver en post per dagordningspunkt med fälten
    source, meeting_id, date, body, municipality, kind, item_number, title,
    text, pages, entities, topics. `all` skriver alla tabeller till en mapp.
    Schemat beskrivs i docs/export-schema.md.
    """
    from index.export import export as do_export
    from index.export import rows_for, write_rows

    filters = filters_from(body=body, municipality=municipality, kind=kind, since=since, until=until)
    settings = settings_for(archive)
    lang = lang or settings.language
    if output is None and (fmt == "parquet" or what == "all"):
        fail(t("cli_need_output", lang))
    with open_archive(settings) as arc:
        if output is None:
            write_rows(rows_for(arc, what, filters, mask=settings.masks("export")), fmt, sys.stdout, what=what,
                       sep=sep, bom=False)
            return
        paths = do_export(arc, what=what, fmt=fmt, out=Path(output), filters=filters, sep=sep,
                          mask=settings.masks("export"))
    for p in paths:
        readable(p)
        click.echo(t("cli_wrote", lang, path=p))


@cli.command(context_settings=CONTEXT)
@archive_option
@model_option
@click.option("--enrich/--no-enrich", default=True, help="Gör om entiteter och ämnen också.")
@lang_option
def reindex(archive, model, enrich, lang):
    """Bygg om passager, vektorindex, berikning, uppföljningar och trådar från arkivet (rebuild)."""
    from ingest.pipeline import reindex as do_reindex

    settings = settings_for(archive, model)
    lang = lang or settings.language
    try:
        counts = do_reindex(settings, enrich=enrich, progress=True)
    except RadslagError as exc:
        fail(str(exc))
    echo_lines([Line("note", t("sum_note", lang, note=note)) for note in counts.pop("notes", [])])
    click.echo(reindex_line(counts, lang))
