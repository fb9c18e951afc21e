"""``radslag search``: hybrid, semantic or keyword search over agenda items."""

from __future__ import annotations

import json
import threading

import click

from radslag.cli.base import (CONTEXT, archive_option, cli, fail, filter_options, filters_from, lang_option,
                              model_option, open_archive, settings_for)
from radslag.errors import RadslagError
from radslag.i18n import t
from radslag.councils import council_name
from radslag.periods import when_label
from radslag.summaries import search_summary


def _print_result(result, lang: str) -> None:
    for note in result.notes:
        click.secho(t("sum_note", lang, note=note), fg="yellow", err=True)
    if not result.hits:
        click.echo(t("no_hits", lang))
        if result.nearest:
            click.secho(t("nearest_head", lang), fg="yellow")
            _print_hits(result.nearest, lang)
        return
    click.secho(search_summary(result, lang), dim=True)
    _print_hits(result.hits, lang)


def _print_hits(hits, lang: str) -> None:
    from index.search import display_title

    for h in hits:
        head = f"{h.rank:>2}  {when_label(h.when, lang)}  {council_name(h.municipality, h.body)}"
        click.secho(head, bold=True)
        click.echo(f"    {t('col_item', lang)}: {display_title(h.item_number, h.item_title)}")
        click.echo(f"    {h.snippet}")
        if h.topics:
            click.echo(f"    {t('col_topics', lang)}: {', '.join(tp['label'] for tp in h.topics[:4])}")
        click.secho(f"    {h.source}  [{t('cli_hit_ids', lang, meeting=h.meeting_id, item=h.item_id)}]", dim=True)


def _preload_model(settings) -> None:
    """Load the embedding model in a background thread while the keyword side runs.

    A cold hybrid search spends most of its time loading the model, much of
    it in onnxruntime's session set-up, which runs without the GIL; started
    first, it overlaps the imports, the keyword ranking and the topic seeds
    instead of following them. ``load_embedder`` is locked and cached, so the
    search's own call waits for this load (or repeats a failed one and
    reports its error) rather than loading twice.
    """
    if not (settings.index_dir / "vectors.json").exists():
        return  # no vector index: the search says so without a model
    from index.embeddings import load_embedder  # imported here, not by both threads at once

    def load() -> None:
        try:
            load_embedder(settings)
        except Exception:  # noqa: BLE001 - the search's own load reports it
            pass

    # not a daemon: an exit before the search needs the model waits for the load to finish cleanly
    threading.Thread(target=load, name="radslag-model-preload").start()


@cli.command(context_settings=CONTEXT)
@click.argument("query", required=False)
@click.option("-k", "k", default=10, show_default=True, help="Antal träffar.")
@click.option("--mode", type=click.Choice(["hybrid", "dense", "keyword"]), default="hybrid", show_default=True)
@click.option("--queries", type=click.File("r", encoding="utf-8"), help="Fil med en fråga per rad (batch).")
@click.option("--order", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True)
@click.option("--topic", help="Ämnes-id eller etikett, t.ex. motorburen-ungdom.")
@click.option("--entity", help="Entitet (person, organisation, plats).")
@filter_options
@archive_option
@model_option
@click.option("--json", "as_json", is_flag=True, help="Skriv JSON (en rad per fråga).")
@click.option("--nearest", is_flag=True,
              help="Visa de närmaste punkterna under relevansgränsen när ingen når den "
                   "(show the nearest below the cutoff).")
@lang_option
def search(query, k, mode, queries, order, topic, entity, body, municipality, kind, since, until, archive, model,
           as_json, nearest, lang):
    """Sök bland dagordningspunkter (hybrid: nyckelord + semantik).

    \b
    Exempel:
      radslag search "när diskuterade vi motorburen ungdom"
      radslag search "epa-traktorer och hög musik" --municipality Arboga
      radslag search --queries frågor.txt --json
      radslag search "färdtjänst för äldre" --nearest
    """
    settings = settings_for(archive, model)
    if mode != "keyword" and (query or queries):
        _preload_model(settings)
    from index.search import search as do_search

    lang = lang or settings.language
    if not query and not queries:
        fail(t("cli_need_query", lang))
    filters = filters_from(body=body, municipality=municipality, kind=kind, since=since, until=until, topic=topic,
                           entity=entity)
    batch = [q.strip() for q in queries if q.strip()] if queries else [query]
    with open_archive(settings) as arc:
        for q in batch:
            try:
                result = do_search(arc, q, settings=settings, k=k, mode=mode, order=order, filters=filters,
                                   show_nearest=nearest)
            except RadslagError as exc:
                fail(str(exc))
            if as_json or queries:
                out = result.to_json()
                click.echo(json.dumps(out, ensure_ascii=False))
            else:
                _print_result(result, lang)
