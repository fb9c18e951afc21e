"""``radslag status``: documents whose ingest stages are not all done.

Every document goes through read → store → passages → vectors → enrichment
→ links (:mod:`index.store.stages`); an interrupted ingest leaves some of
them open and the next ingest completes them. This command shows where the
archive stands without loading any model.
"""

from __future__ import annotations

import json

import click

from radslag.cli.base import CONTEXT, archive_option, cli, lang_option, settings_for
from radslag.i18n import t

#: Documents listed without ``--all``.
LIMIT = 50


def _detail(stage: str, detail: str, lang: str) -> str:
    """A stage's recorded reason in words (pages awaiting OCR are said in ``lang``)."""
    from ingest.pipeline import OCR_UNAVAILABLE

    if stage == "read" and detail.startswith(OCR_UNAVAILABLE):
        return t("p_status_ocr", lang, pages=detail.partition(":")[2].strip())
    return detail


def _vector_line(settings, passages: int, lang: str) -> str:
    """Vectors in the index's manifest against passages in the archive (no model, no FAISS load)."""
    from index.vectors import META_FILE

    path = settings.index_dir / META_FILE
    try:
        count = int(json.loads(path.read_text(encoding="utf-8"))["count"])
    except (OSError, ValueError, KeyError, TypeError):
        return t("p_status_no_index", lang)
    return t("p_status_vectors", lang, vectors=count, passages=passages)


@cli.command(context_settings=CONTEXT)
@archive_option
@click.option("--all", "show_all", is_flag=True, help=f"Visa alla dokument med ofärdiga steg (inte bara {LIMIT}).")
@click.option("--json", "as_json", is_flag=True, help="Skriv JSON (write JSON).")
@lang_option
def status(archive, show_all, as_json, lang):
    """Visa dokument vars inläsning inte är klar (documents with unfinished ingest stages).

    Stegen är läsning, lagring, passager, vektorer, berikning och länkar
    (trådar, uppföljningar). Nästa `radslag ingest` slutför de ofärdiga,
    vad som än avbröt förra körningen. Avslutas med felkod 0.

    Lists documents with unfinished stages; the next ingest completes them.
    """
    from index.store import Archive
    from index.store.stages import STAGES, STATES

    settings = settings_for(archive)
    lang = lang or settings.language
    if not settings.db_path.exists():
        click.echo(t("p_status_no_archive", lang, archive=settings.archive_dir))
        return
    with Archive(settings.db_path) as arc:
        counts = arc.stage_counts()
        open_docs = arc.document_stages(unfinished_only=True)
        documents = arc.count("documents")
        passages = arc.count("passages")
    if as_json:
        click.echo(json.dumps({
            "archive": str(settings.archive_dir),
            "documents": documents,
            "unfinished": len(open_docs),
            "stages": counts,
            "passages": passages,
            "documents_unfinished": [d.to_json() for d in open_docs],
        }, ensure_ascii=False))
        return
    click.echo(t("p_status_head", lang, archive=settings.archive_dir, documents=documents, unfinished=len(open_docs)))
    heads = [t("p_col_stage", lang)] + [t(f"p_col_{s}", lang) for s in STATES]
    rows = [[t(f"p_stage_{stage}", lang)] + [str(counts[stage][s]) for s in STATES] for stage in STAGES]
    widths = [max(len(r[i]) for r in [heads, *rows]) for i in range(len(heads))]
    for r in [heads, *rows]:
        click.echo("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    click.echo(_vector_line(settings, passages, lang))
    if not open_docs:
        click.echo(t("p_status_all_done", lang))
        return
    click.echo("")
    click.echo(t("p_status_docs", lang))
    shown = open_docs if show_all else open_docs[:LIMIT]
    table = [[t("p_col_source", lang), t("p_col_unfinished", lang), t("p_col_detail", lang)]]
    for d in shown:
        table.append([
            d.source,
            ", ".join(t(f"p_stage_{s}", lang) for s in d.unfinished),
            "; ".join(_detail(s, why, lang) for s, why in d.details.items()),
        ])
    widths = [min(60, max(len(r[i]) for r in table)) for i in range(2)]
    for r in table:
        click.echo("  ".join([(r[0] if len(r[0]) <= 60 else "…" + r[0][-59:]).ljust(widths[0]), r[1].ljust(widths[1]), r[2]]).rstrip())
    if len(open_docs) > len(shown):
        click.echo(t("p_status_more", lang, n=len(open_docs) - len(shown)))
    click.echo(t("p_status_hint", lang))
