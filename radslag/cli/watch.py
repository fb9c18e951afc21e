"""``radslag watch``: saved searches, their alerts, Atom feeds and e-mail digests."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from radslag.cli.base import (CONTEXT, archive_option, cli, emit, fail, filter_options, filters_from, lang_option,
                              open_archive,
                              model_option, settings_for)
from radslag.errors import RadslagError
from radslag.i18n import t


@cli.group(context_settings=CONTEXT)
def watch() -> None:
    """Bevakade sökningar: nya träffar efter varje inläsning, Atom-flöde, e-post.

    \b
    Exempel:
      radslag watch add "motorburen ungdom" --municipality Hallstahammar
      radslag watch add --topic klotter-skadegorelse --email samordnare@kommun.se
      radslag watch list
      radslag watch run              kontrollera nu (görs även efter varje inläsning)
      radslag watch alerts 1
      radslag watch feed 1 -o motorburen.atom
      radslag watch remove 1
    """


@contextmanager
def _watch_in(archive, lang: str | None, watch_id: int, find: Callable) -> Iterator[tuple]:
    """Open the archive and look one watch up with ``find(arc, watch_id, lang)``.

    Yields ``(settings, lang, arc, watch)``; an unknown id fails by name.
    """
    settings = settings_for(archive)
    lang = lang or settings.language
    with open_archive(settings) as arc:
        try:
            found = find(arc, watch_id, lang)
        except RadslagError as exc:
            fail(str(exc))
        yield settings, lang, arc, found


def _table(rows: list[dict], keys: list[str], lang: str) -> None:
    """Rows as a table whose headers are the string table's ``watch_col_<key>``."""
    emit([{t(f"watch_col_{k}", lang): r[k] for k in keys} for r in rows], False,
         [t(f"watch_col_{k}", lang) for k in keys])


@watch.command("add", context_settings=CONTEXT)
@click.argument("query", required=False)
@click.option("--topic", help="Ämnes-id eller etikett: bevaka ett ämne (eller begränsa frågan till det).")
@click.option("--entity", help="Entitet (person, organisation, plats).")
@click.option("--name", help="Namn på bevakningen (standard: frågan eller ämnet).")
@click.option("--mode", type=click.Choice(["hybrid", "dense", "keyword"]), default="hybrid", show_default=True)
@click.option("--email", help="Mottagare av sammandraget (kommaseparerade), i stället för RADSLAG_SMTP_TO.")
@filter_options
@archive_option
@lang_option
@click.option("--json", "as_json", is_flag=True, help="Skriv JSON.")
def add(query, topic, entity, name, mode, email, body, municipality, kind, since, until, archive, lang, as_json):
    """Spara en sökning. Punkter som redan finns i arkivet räknas inte."""
    from index.watch import add_watch, describe, feed_url

    settings = settings_for(archive)
    lang = lang or settings.language
    filters = filters_from(topic=topic, entity=entity, body=body, municipality=municipality, kind=kind,
                           since=since, until=until)
    with open_archive(settings) as arc:
        try:
            saved = add_watch(arc, query=query, filters=filters, mode=mode, name=name, email=email, lang=lang)
        except RadslagError as exc:
            fail(str(exc))
    if as_json:
        click.echo(json.dumps(saved.to_json() | {"feed": feed_url(settings, saved.id)}, ensure_ascii=False))
        return
    click.echo(t("watch_added", lang, id=saved.id, what=describe(saved, lang)))
    click.echo(t("watch_added_feed", lang, url=feed_url(settings, saved.id)))
    click.secho(t("watch_added_note", lang), dim=True)


@watch.command("list", context_settings=CONTEXT)
@archive_option
@lang_option
@click.option("--json", "as_json", is_flag=True, help="Skriv JSON (en rad per bevakning).")
def list_(archive, lang, as_json):
    """Lista bevakade sökningar med antal träffar och flödesadress."""
    from index.watch import describe, feed_url

    settings = settings_for(archive)
    lang = lang or settings.language
    with open_archive(settings) as arc:
        watches = arc.watches()
    if as_json:
        for w in watches:
            click.echo(json.dumps(w.to_json() | {"feed": feed_url(settings, w.id)}, ensure_ascii=False))
        return
    if not watches:
        click.echo(t("watch_none", lang))
        return
    rows = [{"id": w.id, "name": w.name, "what": describe(w, lang), "mode": w.mode if w.query else "–",
             "alerts": w.alert_count, "checked": (w.checked_at or t("watch_never", lang)).replace("+00:00", "Z"),
             "feed": feed_url(settings, w.id)} for w in watches]
    _table(rows, ["id", "name", "what", "mode", "alerts", "checked", "feed"], lang)


@watch.command("run", context_settings=CONTEXT)
@click.argument("ids", type=int, nargs=-1)
@click.option("--email/--no-email", "send", default=True, show_default=True,
              help="Skicka sammandrag med e-post när RADSLAG_SMTP_HOST är satt.")
@archive_option
@model_option
@lang_option
def run(ids, send, archive, model, lang):
    """Kontrollera bevakningarna nu mot punkter som kommit sedan förra kontrollen.

    IDS: bara dessa bevakningar (standard: alla).
    """
    from index.watch import email_configured, get_watch, run_watches, send_digest

    settings = settings_for(archive, model)
    lang = lang or settings.language
    settings = settings.with_(language=lang)
    with open_archive(settings) as arc:
        try:
            for i in ids:
                get_watch(arc, i, lang)
        except RadslagError as exc:
            fail(str(exc))
        if not arc.watches():
            click.echo(t("watch_none", lang))
            return
        runs = run_watches(arc, settings, watch_ids=ids or None)
        for r in runs:
            click.echo(t("watch_run_line", lang, id=r.watch.id, name=r.watch.name, n=len(r.alerts),
                         checked=r.checked))
            for note in r.notes:
                click.secho(f"  {note}", fg="yellow", err=True)
        click.echo(t("watch_run_total", lang, n=sum(len(r.alerts) for r in runs)))
        if send and email_configured(settings):
            try:
                digest = send_digest(arc, settings, watch_ids=ids or None)
            except RadslagError as exc:
                fail(str(exc))
            if digest.messages:
                click.echo(t("watch_sent", lang, alerts=digest.alerts, messages=digest.messages,
                             to=", ".join(digest.recipients)))
            else:
                click.echo(t("watch_sent_none", lang))


@watch.command("alerts", context_settings=CONTEXT)
@click.argument("watch_id", type=int)
@click.option("--limit", type=int, default=50, show_default=True, help="Högst så många (nyaste först).")
@archive_option
@lang_option
@click.option("--json", "as_json", is_flag=True, help="Skriv JSON (en rad per träff).")
def alerts(watch_id, limit, archive, lang, as_json):
    """Visa en bevaknings träffar, nyaste först."""
    from index.atom import entry_title
    from index.watch import get_watch, item_url, why

    with _watch_in(archive, lang, watch_id, get_watch) as (settings, lang, arc, w):
        found = arc.alerts(w.id, limit=limit)
    if as_json:
        for a in found:
            link = item_url(settings, a.item_id) if a.item_id is not None else None
            click.echo(json.dumps(a.to_json() | {"url": link}, ensure_ascii=False))
        return
    if not found:
        click.echo(t("w_alerts_none", lang, name=w.name))
        return
    for a in found:
        click.secho(entry_title(a, lang), bold=True)
        click.echo(f"    {a.snippet}")
        click.secho(f"    {why(a, lang)}  {a.source}"
                    + (f"  {item_url(settings, a.item_id)}" if a.item_id is not None else ""), dim=True)


@watch.command("feed", context_settings=CONTEXT)
@click.argument("watch_id", type=int)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Fil (standard: skärmen).")
@archive_option
@lang_option
def feed(watch_id, output, archive, lang):
    """Skriv en bevaknings Atom-flöde (samma som appens /feeds/<id>.atom)."""
    from index.atom import watch_feed
    from index.watch import FEED_ENTRIES, get_watch

    with _watch_in(archive, lang, watch_id, get_watch) as (settings, lang, arc, w):
        data = watch_feed(w, arc.alerts(w.id, limit=FEED_ENTRIES), settings.with_(language=lang))
    if output:
        Path(output).write_bytes(data)
        click.echo(t("w_wrote", lang, path=output))
    else:
        click.echo(data.decode("utf-8"))


@watch.command("remove", context_settings=CONTEXT)
@click.argument("watch_id", type=int)
@archive_option
@lang_option
def remove(watch_id, archive, lang):
    """Ta bort en bevakning och dess träffar (flödets adress återanvänds aldrig)."""
    from index.watch import remove_watch

    with _watch_in(archive, lang, watch_id, remove_watch) as (_settings, lang, _arc, gone):
        pass
    click.echo(t("watch_removed", lang, id=gone.id, name=gone.name))
