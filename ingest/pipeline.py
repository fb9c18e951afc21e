"""Ingest orchestration: files → documents → meetings → items → archive.

This is the one module of ``ingest`` that uses ``index``: it runs the
text-level stages (reading, metadata, segmentation, entities, topics,
follow-up detection, canonical names: pure functions from text and records
to records) and writes their results with the archive's store methods, then
has the archive side recompute what spans meetings (vectors, issue threads,
follow-up status).

Each file is read once and hashed with its sidecar here (an unchanged file
is skipped at once), then read, described and segmented in an isolated
worker process under time and memory limits (:mod:`ingest.isolate`); only
a complete result is written, in one SQLite transaction, with its detected
follow-ups and its stage records (:mod:`index.store.stages`).

Every document then goes through the later stages, passages → vectors →
enrichment → links, each recorded as done in the transaction that writes its
output (vectors: right after the FAISS file is committed). Every ingest
completes every unfinished stage of every document in the archive, not only
of the files it read: whatever stopped an earlier run (a kill, a power cut, a
model that would not load), the next ingest finishes its work, and
``radslag status`` lists what is still open. A document stored while OCR was
unavailable is read again once Tesseract is there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from index.embeddings import load_embedder
from index.followups import update_status
from index.store import Archive
from index.threads import ItemVectors, LinkPlan, build_threads, meeting_scopes, plan_links
from index.store.stages import DERIVED, kill_point
from index.vectors import VectorIndex, build_passages, open_repaired
from index.watch import after_ingest
from ingest.entities import EntityExtractor
from ingest.followups import detect_followups
from ingest.isolate import ParseOutcome, parse_files
from ingest.ocr import OcrOptions, tesseract_status
from ingest.people import canonical_forms, org_names
from ingest.readers import walk_files
from ingest.topics import TopicTagger
from radslag.config import Settings
from radslag.errors import RadslagError
from radslag.types import Document, EntityMention

log = logging.getLogger(__name__)


@dataclass
class FileResult:
    """Outcome for one file: status is ingested, unchanged, replaced or failed."""

    source: str
    status: str
    reason: str | None = None
    message: str | None = None
    meeting_id: int | None = None
    items: int = 0
    kind: str | None = None


@dataclass
class IngestReport:
    """Summary of one ingest run."""

    files: list[FileResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def by_status(self, status: str) -> list[FileResult]:
        return [f for f in self.files if f.status == status]

    @property
    def failed(self) -> list[FileResult]:
        return self.by_status("failed")

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in ("ingested", "unchanged", "replaced", "failed")}
        for f in self.files:
            out[f.status] = out.get(f.status, 0) + 1
        return out


def open_archive(settings: Settings) -> Archive:
    """Open (creating if needed) the archive named by ``settings``."""
    return Archive(settings.db_path)


def store_outcome(archive: Archive, outcome: ParseOutcome) -> tuple[FileResult, list[int]]:
    """Write one parsed file to the archive (or report why not).

    Returns:
        The file's result and the passage ids of a replaced earlier version
        (vectors the caller must remove).
    """
    if outcome.status == "unchanged":
        return FileResult(source=outcome.source, status="unchanged"), []
    if outcome.status == "failed":
        if outcome.detail:
            log.error("unexpected error in %s:\n%s", outcome.source, outcome.detail)
        return FileResult(outcome.source, "failed", outcome.error.reason, outcome.error.message), []
    with archive.transaction():  # document, items, follow-ups and stage records: all or nothing
        meeting_id, written, removed = archive.write_document(outcome.document, outcome.meta, outcome.items)
        archive.start_document(meeting_id, read_detail=unread_pages(outcome.document))
        detect_meeting_followups(archive, [meeting_id])
        kill_point("store")  # test hook: inside the document's transaction
    return (
        FileResult(source=outcome.source, status=written, meeting_id=meeting_id, items=len(outcome.items),
                   kind=outcome.meta.kind),
        removed,
    )


#: Start of the ``read`` stage's detail for a document with pages OCR could not read.
OCR_UNAVAILABLE = "ocr-unavailable"



@dataclass
class Recorder:
    """Stores each parsed file as it arrives (:func:`store_outcome`) and keeps what later stages need.

    Shared by both engines (:func:`ingest_paths`, ``ingest.ray_engine``).
    """

    archive: Archive
    report: IngestReport
    on_file: Callable[[FileResult], None] | None = None
    removed_ids: list[int] = field(default_factory=list)  # vectors of replaced documents to drop
    changed_meetings: list[int] = field(default_factory=list)  # for saved searches after the ingest

    def __call__(self, outcome: ParseOutcome) -> FileResult:
        result, removed = store_outcome(self.archive, outcome)
        self.report.files.append(result)
        self.removed_ids.extend(removed)
        if result.meeting_id is not None:
            self.changed_meetings.append(result.meeting_id)
        if self.on_file:
            self.on_file(result)
        return result

def unread_pages(doc: Document) -> str | None:
    """Why a document's read is incomplete: scanned pages left unread because OCR was unavailable.

    Pages OCR did run on but found no text in are read as well as they can
    be; reading them again would give the same, so they do not count.
    """
    ocr = doc.front_matter.get("ocr") if isinstance(doc.front_matter, dict) else None
    if not isinstance(ocr, dict) or not ocr.get("not_read") or ocr.get("engine"):
        return None
    return f"{OCR_UNAVAILABLE}: " + ", ".join(str(n) for n in ocr["not_read"])


def _ocr_ready(settings: Settings) -> bool:
    options = OcrOptions.from_settings(settings)
    return options.mode != "off" and tesseract_status(options).available


def prepare_archive(archive: Archive, settings: Settings) -> set[str]:
    """Ready an archive for an ingest (both engines): the FTS index in step with today's analysis.

    Returns:
        The sources of documents stored while OCR was unavailable, to be read
        again now that it is there (empty otherwise).
    """
    archive.refresh_keyword_index()  # the FTS index holds analysed terms
    awaiting = archive.documents_awaiting_ocr()
    return awaiting if awaiting and _ocr_ready(settings) else set()


def ingest_paths(
    paths: Iterable[str | Path],
    settings: Settings,
    progress: bool = False,
    on_file: Callable[[FileResult], None] | None = None,
) -> IngestReport:
    """Ingest files and folders (recursively) into the archive.

    Every file is attempted; a bad file (unreadable, too large, too slow to
    parse, a crash in a reader) is reported with its reason and the rest of
    the batch goes on. After the text is stored, passages are embedded and
    items enriched according to ``settings.embed`` and ``settings.enrich``;
    follow-ups are detected and threads relinked.

    Args:
        paths: Files or folders as the user gave them.
        settings: Run settings (archive location, model, ingest limits, ...).
        progress: Show progress bars on stderr.
        on_file: Called with each file's result as soon as it is known.
    """
    report = IngestReport()
    entries = list(walk_files([str(p) for p in paths]))
    with open_archive(settings) as archive:
        reread = prepare_archive(archive, settings)  # read again: stored while OCR was unavailable
        record = Recorder(archive, report, on_file)

        def unchanged(source: str, digest: str) -> bool:
            return source not in reread and archive.document_status(source, digest) == "unchanged"

        with tqdm(total=len(entries), desc="Läser in (ingest)", unit="fil", disable=not progress) as bar:
            for outcome in parse_files(entries, settings, skip=unchanged):
                kill_point("parse")  # test hook: a file parsed, not yet stored
                bar.set_postfix_str(Path(outcome.source).name[-40:])
                bar.update(1)
                record(outcome)
        read_again = [f.source for f in report.files if f.source in reread and f.meeting_id is not None]
        if read_again:
            report.notes.append(f"Lästes om med OCR (read again with OCR): {', '.join(read_again)}")
        complete_stages(archive, settings, report, record.removed_ids, progress)
        report.notes.extend(after_ingest(archive, settings, record.changed_meetings))  # saved searches; never raises
    return report


def complete_stages(
    archive: Archive,
    settings: Settings,
    report: IngestReport,
    removed_passage_ids: Iterable[int] = (),
    progress: bool = False,
    *,
    fresh_index: bool = False,
) -> None:
    """Complete every unfinished stage of every document in the archive, in stage order.

    Passages, then vectors (when ``settings.embed``), enrichment (when
    ``settings.enrich``), then links (canonical names, threads, follow-up
    status) when any document's links are open. The links stage reads only
    the thread scopes (municipalities) with new, changed or removed meetings
    or open links (:func:`index.threads.plan_links`, planned once for names,
    threads and statuses), and item vectors only of the items it relinks or
    enriches: an archive built in two ingests has the links of one built in
    one. Each stage is recorded done
    with its output, so an interruption anywhere leaves the rest for the next
    call. Failures become notes (the text is stored) and leave their stage
    open.

    Args:
        removed_passage_ids: Vectors of replaced documents to drop.
        fresh_index: Start a new vector index instead of the stored one
            (``radslag reindex``: the stored one may belong to another model).
    """
    archive.record_missing_stages()  # documents written without the pipeline
    # item ids -> their mean passage vectors, read from the index for just the items enrichment
    # and the relinked thread scopes need (not the whole archive's: issue 13)
    vectors: ItemVectors | None = None
    if settings.embed:
        try:
            embedder = load_embedder(settings)
            complete_passages(archive, embedder, settings)
            if fresh_index:
                index = VectorIndex(settings, embedder.dim, embedder.name, embedder.fingerprint,
                                    np.round(embedder.probe_vectors, 6).tolist())
            else:
                index, notes = open_repaired(settings, embedder, archive)
                report.notes.extend(notes)
            removed = list(removed_passage_ids)
            if removed:
                index.remove(removed)
            counts = index.sync(archive, embedder, progress=progress)  # saves when anything changed
            log.info("vector sync: %s", counts)
            # the saved index holds exactly the stored passages: every document with passages has its vectors
            ready = set(archive.unfinished("vectors")) & set(archive.done("passages"))
            archive.mark_stage(ready, "vectors")
            if len(index):
                vectors = partial(index.item_means, archive)
        except RadslagError as exc:
            report.notes.append(f"Inbäddningar saknas (embeddings missing): {exc}")
    if settings.enrich:
        pending = archive.unfinished("enrichment")
        if pending:
            try:
                enrich_meetings(archive, settings, archive.document_meeting_ids(pending), progress=progress,
                                vectors=vectors)
            except RadslagError as exc:
                report.notes.append(f"Berikning saknas (enrichment missing): {exc}")
    pending = archive.unfinished("links")
    if pending:
        try:
            with archive.transaction():
                plan = plan_links(archive, settings, vectors or None)  # once for names, threads and statuses
                canonicalize(archive, plan.scopes, plan=plan)
                notes = relink(archive, settings, vectors=vectors, plan=plan)
                kill_point("links")  # test hook: threads and statuses written, not committed
                archive.mark_stage(pending, "links")
            report.notes.extend(notes)
        except RadslagError as exc:
            report.notes.append(f"Trådar/uppföljningar ej uppdaterade (threads/follow-ups not updated): {exc}")


def complete_passages(archive: Archive, embedder, settings: Settings) -> int:
    """Split the items of every document whose ``passages`` stage is open; one transaction per document.

    Returns:
        The number of passages written.
    """
    written = 0
    for doc_id in archive.unfinished("passages"):
        item_ids = [i for mid in archive.document_meeting_ids([doc_id]) for i in archive.item_ids(mid)]
        with archive.transaction():
            written += len(build_passages(archive, embedder, settings, item_ids=item_ids))
            kill_point("passages")  # test hook: passages written, not committed
            archive.mark_stage([doc_id], "passages")
    return written


def detect_meeting_followups(archive: Archive, meeting_ids: Iterable[int] | None = None) -> int:
    """Detect the follow-ups in every item of ``meeting_ids`` (all meetings when None) and store them.

    Returns:
        The number of follow-ups stored.
    """
    if meeting_ids is None:
        items = archive.items()
    else:
        items = [it for mid in meeting_ids for it in archive.items(meeting_id=mid)]
    return archive.replace_followups({it.id: detect_followups(it.text) for it in items})


def enrich_meetings(
    archive: Archive,
    settings: Settings,
    meeting_ids: list[int],
    progress: bool = False,
    vectors: ItemVectors | None = None,
) -> int:
    """Tag entities and topics on every item of ``meeting_ids``; return item count.

    Items go in batches of ``settings.batch_size``, each written in one
    transaction; canonical names are set by the links stage that follows
    (:func:`complete_stages`).

    Args:
        vectors: Item vectors by id, or a function giving those of a list of
            item ids (:meth:`VectorIndex.item_means`); read from the index
            when None and embedding is on.
    """
    items = [it for mid in meeting_ids for it in archive.items(meeting_id=mid)]
    if not items:
        return 0
    embedder = None
    if settings.embed:
        embedder = load_embedder(settings)
        if vectors is None:
            vectors = item_vectors(settings, archive, [it.id for it in items])
    if callable(vectors):
        vectors = vectors([it.id for it in items])
    extractor = EntityExtractor(settings)
    tagger = TopicTagger(settings, embedder)
    batch = max(1, settings.batch_size)
    bar = tqdm(total=len(items), desc="Berikar (entiteter, ämnen)", unit="punkt", disable=not progress)
    last = {it.document_id: n for n, it in enumerate(items)}  # a document is enriched with its last item
    for i in range(0, len(items), batch):
        chunk = items[i : i + batch]
        entities = extractor.extract_many([it.text for it in chunk])
        # items without a stored vector are encoded by the tagger itself
        topics = tagger.tag(chunk, vectors=[(vectors or {}).get(it.id) for it in chunk])
        with archive.transaction():
            for it, ents, tops in zip(chunk, entities, topics):
                archive.write_enrichment(it.id, ents, tops)
            kill_point("enrich")  # test hook: a batch written, not committed
            archive.mark_stage([d for d, n in last.items() if i <= n < i + batch], "enrichment")
        log.debug("enriched a batch of %d items", len(chunk))
        bar.update(len(chunk))
    bar.close()
    return len(items)


def canonicalize(archive: Archive, scopes: set[str] | None = None, plan: LinkPlan | None = None) -> None:
    """Set the canonical name of the entities in ``scopes`` (thread scopes), or of every entity.

    :func:`ingest.people.canonical_forms` merges person names within a
    municipality (or a body, without one) and names every organisation from
    its text and the set of all organisation texts (never from a name stored
    before, so the names do not depend on ingest order); any other name
    depends on its mention alone. So for some scopes it is given every mention
    of the person groups that meet those scopes, and every organisation text
    (not mention: :meth:`Archive.org_texts`, :func:`ingest.people.org_names`)
    is named again, and the names it sets are those a run over the whole
    archive sets.

    Args:
        plan: The links stage's plan (:func:`index.threads.plan_links`), when
            the caller has made it: its meetings' councils and scopes are
            read instead of the archive's.
    """
    if scopes is None:
        archive.set_canonical(_changed_names(archive.entity_mentions()))
        return
    councils, scope_of = (plan.councils, plan.scope_of) if plan is not None else meeting_scopes(archive)
    groups = {mid: (mun or body or "").casefold() for mid, (mun, body) in councils.items()}
    touched = {groups[mid] for mid, sc in scope_of.items() if sc in scopes}
    meetings = [mid for mid, g in groups.items() if g in touched]
    archive.set_canonical(_changed_names([m for m in archive.entity_mentions(meeting_ids=meetings)
                                          if m.label != "ORG"]))
    stored = archive.org_texts()  # {text: the names its mentions hold}
    archive.set_org_canonical({text: name for text, name in org_names(stored).items() if stored[text] != {name}})


def _changed_names(mentions: list[EntityMention]) -> list[tuple[int, str | None]]:
    """The canonical names of ``mentions`` that differ from the stored ones (most of a rerun's are equal:
    writing them all would cost more than reading)."""
    stored = {m.id: m.canonical for m in mentions}
    return [(i, name) for i, name in canonical_forms(mentions) if stored[i] != name]


def item_vectors(settings: Settings, archive: Archive, item_ids: Iterable[int] | None = None) -> dict[int, np.ndarray]:
    """Item vectors by id (all, or of ``item_ids``) from the stored vector index."""
    return VectorIndex.open(settings, load_embedder(settings)).item_means(archive, item_ids)


def relink(archive: Archive, settings: Settings, vectors: ItemVectors | None = None,
           plan: LinkPlan | None = None) -> list[str]:
    """Relink what changed: issue threads of the municipalities with new, changed or removed meetings,
    then the follow-up status in those municipalities (and wherever a links stage is open).

    Args:
        vectors: Item vectors by id, or a function giving those of a list of
            item ids (called for the relinked scopes' items only); without
            them threads compute their own (from the index, or TF-IDF when
            embedding is off).
        plan: The links stage's plan (:func:`index.threads.plan_links` with
            these ``vectors``); planned here when None.

    Returns:
        Notes to pass on (e.g. threads built with TF-IDF, and why).
    """
    plan = plan or plan_links(archive, settings, vectors or None)
    report = build_threads(archive, settings, vectors=vectors or None, plan=plan)
    # only scopes that changed, and those with open links (index.followups)
    update_status(archive, settings, scopes=report.dirty, plan=plan)
    return report.notes


def reindex(settings: Settings, enrich: bool = True, progress: bool = True) -> dict[str, Any]:
    """Rebuild passages, vectors, (enrichment,) follow-ups and threads from the archive.

    Used after a model change or an upgrade (``radslag reindex``). The
    derived stages of every document are set back to pending in the
    transaction that clears the passages, so an interrupted reindex is
    finished by the next ingest (or reindex).

    Returns:
        ``{"items", "passages", "vectors", "index_type", "model", "notes"}``.

    Raises:
        RadslagError: When the model cannot be loaded or the archive read.
    """
    with open_archive(settings) as archive:
        archive.refresh_keyword_index()
        embedder = load_embedder(settings)  # fails before anything is cleared
        with archive.transaction():
            archive.clear_passages()
            archive.reset_stages([s for s in DERIVED if enrich or s != "enrichment"])
            detect_meeting_followups(archive)
            kill_point("reindex")  # test hook: passages cleared, not committed
        report = IngestReport()
        complete_stages(archive, settings.with_(embed=True, enrich=enrich), report, progress=progress,
                        fresh_index=True)
        if any(n.startswith("Inbäddningar saknas") for n in report.notes):
            raise RadslagError(report.notes[0])
        index = VectorIndex.open(settings, embedder)
        return {
            "items": archive.count("items"),
            "passages": archive.count("passages"),
            "vectors": len(index),
            "index_type": index.kind,
            "model": index.model,
            "notes": report.notes,
        }
