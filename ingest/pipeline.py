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
a complete result is written, in one SQLite transaction. Embedding and enrichment run
after the text is safely stored: if they fail, the archive still holds every
document and :func:`reindex` / a later ingest completes the vectors (the
vector index is synchronised with the passages table, never trusted blindly).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from index.embeddings import load_embedder
from index.followups import update_status
from index.store import Archive
from index.threads import build_threads
from index.vectors import VectorIndex, build_passages, rebuild
from ingest.entities import EntityExtractor
from ingest.followups import detect_followups
from ingest.isolate import ParseOutcome, parse_files
from ingest.people import canonical_forms
from ingest.readers import walk_files
from ingest.topics import TopicTagger
from radslag.config import Settings
from radslag.errors import RadslagError

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
    meeting_id, written, removed = archive.write_document(outcome.document, outcome.meta, outcome.items)
    return (
        FileResult(source=outcome.source, status=written, meeting_id=meeting_id, items=len(outcome.items),
                   kind=outcome.meta.kind),
        removed,
    )


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
    removed_ids: list[int] = []
    changed_meetings: list[int] = []
    with open_archive(settings) as archive:
        # the FTS index holds analysed terms: keep it in step with today's analysis
        archive.refresh_keyword_index()

        def unchanged(source: str, digest: str) -> bool:
            return archive.document_status(source, digest) == "unchanged"

        with tqdm(total=len(entries), desc="Läser in (ingest)", unit="fil", disable=not progress) as bar:
            for outcome in parse_files(entries, settings, skip=unchanged):
                bar.set_postfix_str(Path(outcome.source).name[-40:])
                bar.update(1)
                result, removed = store_outcome(archive, outcome)
                report.files.append(result)
                removed_ids.extend(removed)
                if result.meeting_id is not None:
                    changed_meetings.append(result.meeting_id)
                if on_file:
                    on_file(result)
        post_process(archive, settings, report, changed_meetings, removed_ids, progress)
    return report


def post_process(
    archive: Archive,
    settings: Settings,
    report: IngestReport,
    meeting_ids: list[int],
    removed_passage_ids: list[int],
    progress: bool,
) -> None:
    """Embed, enrich, detect follow-ups and relink after documents were written.

    Failures here are reported as notes (the text is already stored) and
    never silently ignored.
    """
    vectors = None  # item id -> mean passage vector, shared by enrichment and threads
    if settings.embed:
        try:
            embedder = load_embedder(settings)
            build_passages(archive, embedder, settings)
            index = VectorIndex.open(settings, embedder)
            if removed_passage_ids:
                index.remove(removed_passage_ids)
            counts = index.sync(archive, embedder, progress=progress)
            index.save()
            log.info("vector sync: %s", counts)
            vectors = index.item_means(archive)
        except RadslagError as exc:
            report.notes.append(f"Inbäddningar saknas (embeddings missing): {exc}")
    if not meeting_ids:
        return
    detect_meeting_followups(archive, meeting_ids)
    if settings.enrich:
        try:
            enrich_meetings(archive, settings, meeting_ids, progress=progress, vectors=vectors)
        except RadslagError as exc:
            report.notes.append(f"Berikning saknas (enrichment missing): {exc}")
    try:
        report.notes.extend(relink(archive, settings, vectors=vectors))
    except RadslagError as exc:
        report.notes.append(f"Trådar/uppföljningar ej uppdaterade (threads/follow-ups not updated): {exc}")


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
    vectors: dict[int, np.ndarray] | None = None,
) -> int:
    """Tag entities and topics on every item of ``meeting_ids``; return item count.

    Items go in batches of ``settings.batch_size``, each written in one
    transaction; canonical names are set across the archive afterwards.

    Args:
        vectors: Item vectors by id (:meth:`VectorIndex.item_means`); read
            from the index when None and embedding is on.
    """
    items = [it for mid in meeting_ids for it in archive.items(meeting_id=mid)]
    if not items:
        return 0
    embedder = None
    if settings.embed:
        embedder = load_embedder(settings)
        if vectors is None:
            vectors = item_vectors(settings, archive)
    extractor = EntityExtractor(settings)
    tagger = TopicTagger(settings, embedder)
    batch = max(1, settings.batch_size)
    bar = tqdm(total=len(items), desc="Berikar (entiteter, ämnen)", unit="punkt", disable=not progress)
    for i in range(0, len(items), batch):
        chunk = items[i : i + batch]
        entities = extractor.extract_many([it.text for it in chunk])
        # items without a stored vector are encoded by the tagger itself
        topics = tagger.tag(chunk, vectors=[(vectors or {}).get(it.id) for it in chunk])
        with archive.transaction():
            for it, ents, tops in zip(chunk, entities, topics):
                archive.write_enrichment(it.id, ents, tops)
        log.debug("enriched a batch of %d items", len(chunk))
        bar.update(len(chunk))
    bar.close()
    canonicalize(archive)
    return len(items)


def canonicalize(archive: Archive) -> None:
    """Set the canonical name of every entity in the archive (:func:`ingest.people.canonical_forms`)."""
    archive.set_canonical(canonical_forms(archive.entity_mentions()))


def item_vectors(settings: Settings, archive: Archive) -> dict[int, np.ndarray]:
    """Item vectors by id from the stored vector index (one read of the index)."""
    return VectorIndex.open(settings, load_embedder(settings)).item_means(archive)


def relink(archive: Archive, settings: Settings, vectors: dict[int, np.ndarray] | None = None) -> list[str]:
    """Rebuild issue threads, then assess every follow-up, over the whole archive.

    Args:
        vectors: Item vectors by id; without them threads compute their own
            (from the index, or TF-IDF when embedding is off).

    Returns:
        Notes to pass on (e.g. threads built with TF-IDF, and why).
    """
    report = build_threads(archive, settings, vectors=vectors or None)
    update_status(archive, settings)  # lexical and thread tests (index.followups)
    return report.notes


def reindex(settings: Settings, enrich: bool = True, progress: bool = True) -> dict[str, Any]:
    """Rebuild passages, vectors, (enrichment,) follow-ups and threads from the archive.

    Used after a model change or an upgrade (``radslag reindex``).

    Returns:
        ``{"items", "passages", "vectors", "index_type", "model", "notes"}``.

    Raises:
        RadslagError: When the model cannot be loaded or the archive read.
    """
    with open_archive(settings) as archive:
        archive.refresh_keyword_index()
        embedder = load_embedder(settings)
        counts = rebuild(archive, embedder, settings, progress=progress)
        vectors = item_vectors(settings, archive)
        if enrich:
            enrich_meetings(archive, settings, [m.id for m in archive.meetings()], progress=progress, vectors=vectors)
        detect_meeting_followups(archive)
        counts["notes"] = relink(archive, settings, vectors=vectors)
    return counts
