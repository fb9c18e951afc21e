"""Ingest on Ray Data: the stages of :mod:`ingest.pipeline`, run by workers of a Ray cluster in one pass.

``radslag ingest --engine ray`` gives the work of the single-process path to
Ray Data actors and keeps the archive write where it is: one writer, the
driver, with the pipeline's own store functions, in the same transactions and
with the same stage records. There is one Ray Data stage, over batches of
files: each actor loads its models once (embedding model, entity extractor,
topic tagger) and takes each batch through every stage that needs no other
document, running the very functions the local path runs:

* **read + metadata + segmentation**: :func:`ingest.isolate.parse_files`
  (with its per-file time and memory limits);
* **passages**: :func:`index.vectors.build_passages` on the items as the
  store gives them back (the actor writes each document to a scratch archive
  of its own and reads it again), so the split, the offsets and the
  embedded context line are the local path's;
* **embedding**: ``Embedder.encode_passages`` on the texts of
  :func:`index.passages.embedding_texts`, with the driver's model (checked
  by fingerprint);
* **enrichment**: :class:`ingest.entities.EntityExtractor` and
  :class:`ingest.topics.TopicTagger`, topics scored with the item means of
  the vectors just made (what :meth:`VectorIndex.item_means` gives the local
  path).

The driver stores each file's outcome with :func:`ingest.pipeline.store_outcome`
in input order as soon as it and every file before it are known, then the
batch's passages (their ids are the vector ids), adds the vectors to the
index and saves it, and writes the entities and topics, each stage recorded
done as the local path records it. The links stage (canonical names,
threads, follow-up status: they span the whole archive) stays on the driver,
through :func:`ingest.pipeline.complete_stages`, which also finishes whatever
the Ray stage left open (a failed actor, a document whose stored items differ
from the actor's, files the cluster never returned), exactly as the next
local ingest would.

``ray.init()`` starts a local cluster when no address is given; with
``--ray-address`` (``auto`` or ``HEAD:6379``, run on a node of the cluster;
a ``ray://`` client address also needs ``ray[client]``) the same code runs on
an existing cluster, whose nodes need Rådslag installed, the input files at
the same paths and the models in their cache (``radslag models``). Ray is an
optional extra: ``pip install 'radslag[ray]'``.
"""

from __future__ import annotations

import heapq
import logging
import math
import os
import pickle
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.passages import embedding_texts
from index.store import Archive
from index.vectors import VectorIndex, build_passages, mean_by_item, open_repaired
from index.watch import after_ingest
from ingest.isolate import ParseOutcome, parse_files
from ingest.pipeline import FileResult, IngestReport, Recorder, complete_stages, open_archive, prepare_archive
from ingest.readers import FileEntry, ReadLimits, load_file, walk_files
from radslag.config import Settings
from radslag.errors import IngestError, RadslagError
from radslag.types import Entity, Passage, TopicTag

log = logging.getLogger(__name__)

#: Files per row of the Ray stage (a document batch); fewer when that leaves a worker without a batch.
FILES_PER_BATCH = 4


class RayMissingError(RadslagError):
    """Ray is not installed (it is the optional extra ``radslag[ray]``)."""


@dataclass(frozen=True)
class RayOptions:
    """How to reach Ray and how much of it to use.

    Attributes:
        address: A cluster address (``auto``, ``HEAD:6379``); None starts a
            local cluster in this process.
        workers: Actors of the Ray stage (each loads its models once).
        num_cpus: CPUs of a local cluster (default: ``workers``).
        object_store_mb: Object store of a local cluster, in MiB.
        temp_dir: Ray's session and log folder for a local cluster (default:
            a new temporary folder).
        files_per_batch: Files per document batch (one row of the Ray stage).
    """

    address: str | None = None
    workers: int = 2
    num_cpus: int | None = None
    object_store_mb: int = 256
    temp_dir: str | None = None
    files_per_batch: int = FILES_PER_BATCH


def require_ray() -> Any:
    """Import Ray Data, or raise :class:`RayMissingError` saying how to install it."""
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as exc:
        raise RayMissingError(
            "Ray är inte installerat: kör pip install 'radslag[ray]' för --engine ray. "
            f"(Ray is not installed: run pip install 'radslag[ray]' for --engine ray.) [{exc}]"
        ) from exc
    return ray


def start_ray(options: RayOptions) -> Callable[[], None] | None:
    """Connect to Ray (starting a small local cluster without an address).

    Returns:
        None when Ray was already connected (the caller's cluster stays up);
        otherwise the function that shuts down what this call started and
        removes the temporary folder it made.
    """
    ray = require_ray()
    if ray.is_initialized():
        return None
    quiet = dict(include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING)
    made = None
    if options.address:
        ray.init(address=options.address, **quiet)
    else:
        # short: Ray's socket paths under it must stay within the 107 bytes of AF_UNIX
        made = None if options.temp_dir else tempfile.mkdtemp(prefix="rsray-", dir=_short_tmp())
        temp = options.temp_dir or made
        ray.init(
            num_cpus=options.num_cpus or max(1, options.workers),
            object_store_memory=int(options.object_store_mb) << 20,
            _temp_dir=temp,
            **quiet,
        )

    def stop() -> None:
        ray.shutdown()
        if made:
            shutil.rmtree(made, ignore_errors=True)

    return stop


def _short_tmp() -> str | None:
    return "/tmp" if os.path.isdir("/tmp") else None


def _quiet_data(progress: bool) -> None:
    """Ray Data's progress output only when asked for; results in input order."""
    import ray.data

    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = progress
    ctx.execution_options.preserve_order = True
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.WARNING)


# ---------------------------------------------------------------------------
# Workers: each holds its models for the whole dataset; rows carry pickles
# ---------------------------------------------------------------------------


def _objects(values: list[bytes]) -> np.ndarray:
    """Pickles as an object array (a plain bytes array would be fixed-width ``S`` and drop trailing NULs)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _identity(embedder: Any) -> tuple[str, int, str, list]:
    """What :meth:`Embedder.matches` compares: name, dimension, fingerprint, probe vectors."""
    return embedder.name, embedder.dim, embedder.fingerprint, np.round(embedder.probe_vectors, 6).tolist()


def _same_embedder(settings: Settings, identity: tuple[str, int, str, list]) -> Any:
    """The embedder :func:`load_embedder` gives the driver, or an error when a node's model differs.

    The driver's fingerprint picks the precision (fp32 or int8) under the ``auto`` backend, as a stored
    index does: a node need not see the archive to run the encoder the driver runs.
    """
    from index.embeddings import load_embedder

    embedder = load_embedder(settings, index_fingerprint=identity[2])
    if not embedder.matches(*identity):
        raise RadslagError(f"Ray worker has another embedding model ({embedder.name}, "
                           f"{embedder.fingerprint[:12]}…) than the driver ({identity[0]}, {identity[2][:12]}…): "
                           "run `radslag models` on every node")
    return embedder


@dataclass
class _Derived:
    """What an actor made of one parsed document after reading it: everything up to the links stage.

    Items are named by their position in the document (the driver maps them to
    the ids the archive gives them); None where the stage is not run here.
    """

    titles: list[tuple[str | None, str, str]]  # (number, title, text) per item: checked against the store
    passages: list[tuple[int, int, str, int, int]] | None = None  # (item position, ordinal, text, start, end)
    vectors: np.ndarray | None = None  # one per passage, in that order
    enrichment: list[tuple[list[Entity], list[TopicTag]]] | None = None  # per item


class _DocumentWorker:
    """One batch of files per row, each file through every stage up to the links (one pass, models loaded once).

    Read, metadata and segmentation with :func:`parse_files` (its isolation
    included); then, for a parsed document, its passages, their vectors and
    its items' entities and topics, made from the document as the store gives
    it back (a scratch archive of the actor's own).
    """

    def __init__(self, settings: Settings, identity: tuple[str, int, str, list] | None, derive: bool) -> None:
        self.settings = settings.with_(ingest_workers=1)
        self.embedder = self.extractor = self.tagger = None
        if derive and settings.embed:
            self.embedder = _same_embedder(settings, identity)
        if derive and settings.enrich:
            from ingest.entities import EntityExtractor
            from ingest.topics import TopicTagger

            self.extractor = EntityExtractor(settings, progress=False)
            self.tagger = TopicTagger(settings, self.embedder)
        self.folder = tempfile.mkdtemp(prefix="rsray-doc-", dir=_short_tmp())
        self.scratch = Archive(Path(self.folder) / "scratch.sqlite") if derive else None

    def __del__(self) -> None:
        if getattr(self, "scratch", None) is not None:
            self.scratch.close()
        if getattr(self, "folder", None):
            shutil.rmtree(self.folder, ignore_errors=True)

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        out = []
        for payload in batch["files"]:
            files = pickle.loads(payload)
            outcomes = {o.source: o for o in parse_files([(Path(p), s) for p, s in files], self.settings, workers=1)}
            results = []
            for _, source in files:
                outcome = outcomes[source]
                derived = self.derive(outcome) if outcome.status == "parsed" and self.scratch is not None else None
                results.append((outcome, derived))
            out.append(pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL))
        return {"n": batch["n"], "documents": _objects(out)}

    def derive(self, outcome: ParseOutcome) -> _Derived | None:
        """Passages, vectors, entities and topics of one parsed document (None when none could be made)."""
        try:
            meeting_id, _, _ = self.scratch.write_document(outcome.document, outcome.meta, outcome.items)
        except Exception as exc:  # the driver's store meets the same problem and reports it
            log.warning("scratch write of %s failed: %s", outcome.source, exc)
            return None
        try:
            items = self.scratch.items(meeting_id=meeting_id, enrichment=False)
            derived = _Derived([(it.number, it.title, it.text) for it in items])
            position = {it.id: n for n, it in enumerate(items)}
            means: dict[int, np.ndarray] = {}
            if self.embedder is not None:
                ids = build_passages(self.scratch, self.embedder, self.settings, item_ids=[it.id for it in items])
                rows = self.scratch.passages(ids)
                derived.vectors = self.embedder.encode_passages(embedding_texts(self.scratch, rows),
                                                                batch_size=self.settings.batch_size)
                derived.passages = [(position[p.item_id], p.ordinal, p.text, p.start, p.end) for p in rows]
                means = mean_by_item([p.item_id for p in rows], derived.vectors)
            if self.tagger is not None:
                entities = self.extractor.extract_many([it.text for it in items])
                # items without a vector are encoded by the tagger itself, as locally
                topics = self.tagger.tag(items, vectors=[means.get(it.id) for it in items])
                derived.enrichment = list(zip(entities, topics))
            return derived
        except Exception as exc:  # a model failure: the driver's complete_stages does this document's stages
            log.warning("Ray stages of %s failed: %s", outcome.source, exc)
            return None
        finally:
            self.scratch.delete_source(outcome.document.source)


def _in_order(rows: Iterable[dict[str, Any]], key: str) -> Iterator[tuple[int, Any]]:
    """``(n, unpickled row[key])`` in order of ``n`` (0, 1, …), each as soon as it and all before it are known.

    Ray Data keeps order when asked to; this holds whatever the engine does.
    """
    waiting: list[tuple[int, bytes]] = []
    expected = 0
    for row in rows:
        heapq.heappush(waiting, (int(row["n"]), row[key]))
        while waiting and waiting[0][0] == expected:
            n, payload = heapq.heappop(waiting)
            yield n, pickle.loads(payload)
            expected += 1
    if waiting:  # a row lost by the engine would leave a gap: never write past it silently
        raise RadslagError(f"Ray returned rows out of sequence (expected {expected}, have {waiting[0][0]})")


def _map(rows: list[dict[str, Any]], worker: type, workers: int, fn_kwargs: dict[str, Any],
         key: str) -> Iterator[tuple[int, Any]]:
    """Run ``worker`` over ``rows`` (one row per call) on ``workers`` actors; results in row order."""
    import ray.data

    if not rows:
        return iter(())
    started = time.perf_counter()
    ds = ray.data.from_items(rows, override_num_blocks=len(rows))
    # no more actors than rows: each one loads its models before its first row
    pool = ray.data.ActorPoolStrategy(size=max(1, min(workers, len(rows))))
    ds = ds.map_batches(worker, batch_size=1, compute=pool, num_cpus=1, fn_constructor_kwargs=fn_kwargs,
                        batch_format="numpy")
    count = 0
    for n, value in _in_order(ds.iter_rows(), key):
        count += 1
        yield n, value
    if count != len(rows):
        raise RadslagError(f"Ray returned {count} of {len(rows)} rows")
    log.info("ray %s: %d rows on %d actors in %.1f s", worker.__name__, count, pool.min_size,
             time.perf_counter() - started)


# ---------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------


def ingest_paths_ray(
    paths: Iterable[str | Path],
    settings: Settings,
    progress: bool = False,
    on_file: Callable[[FileResult], None] | None = None,
    options: RayOptions | None = None,
) -> IngestReport:
    """Ingest files and folders like :func:`ingest.pipeline.ingest_paths`, the work done on Ray.

    The archive written is the one the local path writes (same documents,
    items, passages, vectors, enrichment, stage records); documents are
    stored in the order the files are walked.

    Args:
        paths: Files or folders as the user gave them.
        settings: Run settings.
        progress: Show Ray Data's progress on stderr.
        on_file: Called with each file's result as soon as it is stored.
        options: Ray address and worker count (default: a local cluster, 2 workers).

    Raises:
        RayMissingError: Ray is not installed.
    """
    options = options or RayOptions()
    stop = start_ray(options)
    try:
        _quiet_data(progress)
        return _ingest(paths, settings, progress, on_file, options)
    finally:
        if stop:
            stop()


def _ingest(paths: Iterable[str | Path], settings: Settings, progress: bool,
            on_file: Callable[[FileResult], None] | None, options: RayOptions) -> IngestReport:
    report = IngestReport()
    entries = list(walk_files([str(p) for p in paths]))
    with open_archive(settings) as archive:
        reread = prepare_archive(archive, settings)
        record = Recorder(archive, report, on_file)

        # what needs no parsing (walk problems, unreadable or unchanged files) is known here, as in parse_files
        limits = ReadLimits.from_settings(settings)
        todo: list[FileEntry] = []
        for entry in entries:
            if entry.error is not None:
                record(ParseOutcome(entry.path, entry.source, "failed", error=entry.error))
                continue
            try:
                digest = load_file(entry.path, limits).digest
            except IngestError as exc:
                record(ParseOutcome(entry.path, entry.source, "failed", error=exc))
                continue
            if entry.source not in reread and archive.document_status(entry.source, digest) == "unchanged":
                record(ParseOutcome(entry.path, entry.source, "unchanged", digest=digest))
                continue
            todo.append(entry)
        archive.record_missing_stages()
        writer = _Writer(archive, settings, record)
        size = max(1, min(options.files_per_batch, math.ceil(len(todo) / max(1, options.workers))))
        batches = [todo[lo : lo + size] for lo in range(0, len(todo), size)]
        rows = [{"n": n, "files": pickle.dumps([(os.fspath(e.path), e.source) for e in batch])}
                for n, batch in enumerate(batches)]
        kwargs = {"settings": settings, "identity": writer.identity, "derive": writer.derive}
        try:
            for _, results in _map(rows, _DocumentWorker, options.workers, kwargs, "documents"):
                writer.write(results)
        except Exception as exc:  # a worker or cluster failure: the files not yet stored are read here
            _ray_failure("documents", exc, report)
            rest = [e for e in todo if e.source not in writer.sources]
            for outcome in parse_files(rest, settings):
                record(outcome)

        read_again = [f.source for f in report.files if f.source in reread and f.meeting_id is not None]
        if read_again:
            report.notes.append(f"Lästes om med OCR (read again with OCR): {', '.join(read_again)}")
        # what the Ray stage left open (a failure, a document stored otherwise than the actor read it) is
        # finished here, as the next ingest would; vectors of replaced documents the writer removed are gone
        complete_stages(archive, settings, report, writer.removed_left(), progress)
        report.notes.extend(after_ingest(archive, settings, record.changed_meetings))
    return report


def _ray_failure(stage: str, exc: Exception, report: IngestReport) -> None:
    log.error("Ray %s failed: %s", stage, exc)
    report.notes.append(f"Ray: steget {stage} gjordes i denna process ({stage} was done in this process): "
                        f"{type(exc).__name__}: {str(exc)[:300]}")


class _Writer:
    """The driver's side of the Ray stage: stores each batch's documents, passages, vectors and enrichment.

    Each stage of a document is recorded done in the transaction that writes
    it (vectors: right after the FAISS file is saved), as the local path does.
    """

    def __init__(self, archive: Archive, settings: Settings, record: Recorder) -> None:
        self.archive, self.settings, self.record = archive, settings, record
        self.sources: set[str] = set()  # files stored so far
        self.removed = 0  # how many of record.removed_ids were taken out of the index here
        self.index: VectorIndex | None = None
        self.identity = None
        self.derive = True
        if settings.embed:
            from index.embeddings import load_embedder

            try:
                embedder = load_embedder(settings)
                self.index, notes = open_repaired(settings, embedder, archive)
                self.identity = _identity(embedder)
            except RadslagError:
                # complete_stages meets the same error and says so; the actors only read and segment
                self.derive = False
                return
            record.report.notes.extend(notes)

    def removed_left(self) -> list[int]:
        """Vectors of replaced documents still to be removed (those of documents stored after a failure)."""
        return self.record.removed_ids[self.removed:]

    def write(self, results: list[tuple[ParseOutcome, _Derived | None]]) -> None:
        archive = self.archive
        docs: list[tuple[int, list[int], _Derived]] = []
        for outcome, derived in results:
            result = self.record(outcome)
            self.sources.add(outcome.source)
            if result.meeting_id is None or derived is None:
                continue
            items = archive.items(meeting_id=result.meeting_id, enrichment=False)
            if [(it.number, it.title, it.text) for it in items] != derived.titles:
                log.warning("%s: stored items differ from the Ray actor's; its stages are done here", outcome.source)
                continue
            docs.append((items[0].document_id, [it.id for it in items], derived))
        if self.index is not None:
            removed = self.removed_left()
            if removed:
                self.index.remove(removed)
                self.removed += len(removed)
            embedded = []
            for doc_id, item_ids, derived in docs:
                if derived.passages is None:
                    continue
                with archive.transaction():
                    ids = archive.write_passages([Passage(item_id=item_ids[n], ordinal=o, text=text, start=a, end=b)
                                                  for n, o, text, a, b in derived.passages])
                    archive.mark_stage([doc_id], "passages")
                self.index.add(ids, derived.vectors)
                embedded.append(doc_id)
            if embedded or removed:
                self.index.save()
                archive.mark_stage(embedded, "vectors")
        for doc_id, item_ids, derived in docs:
            if derived.enrichment is None or (self.settings.embed and derived.passages is None):
                continue  # topics are scored with the document's vectors: not before they are stored
            with archive.transaction():
                for item_id, (entities, topics) in zip(item_ids, derived.enrichment):
                    archive.write_enrichment(item_id, entities, topics)
                archive.mark_stage([doc_id], "enrichment")
