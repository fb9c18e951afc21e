"""Ingest on Ray Data: the same stages as :mod:`ingest.pipeline`, run by workers of a Ray cluster.

``radslag ingest --engine ray`` gives the work of the single-process path to
Ray Data actors and keeps the archive write where it is: one writer, the
driver, with the pipeline's own store functions, in the same transactions and
with the same stage records. The workers run the very functions the local
path runs:

* **read + metadata + segmentation**: :func:`ingest.isolate.parse_files`
  (with its per-file time and memory limits) on one file at a time; the
  driver stores each outcome with :func:`ingest.pipeline.store_outcome` in
  input order as soon as it and every file before it are known;
* **embedding**: ``Embedder.encode_passages`` on the same 512-passage chunks
  as :meth:`index.vectors.VectorIndex.sync`, texts made on the driver by
  :func:`index.passages.embedding_texts`; the driver adds the vectors to the
  index in passage order and saves it;
* **enrichment**: :class:`ingest.entities.EntityExtractor` and
  :class:`ingest.topics.TopicTagger` on the same ``batch_size`` chunks as
  :func:`ingest.pipeline.enrich_meetings`; the driver writes each chunk in
  one transaction and records the documents it finishes.

Splitting items into passages (a tokenizer pass) and the links stage
(canonical names, threads, follow-up status: they span the whole archive)
stay on the driver, through :func:`ingest.pipeline.complete_stages`, which
also finishes whatever a failed Ray stage left open, exactly as the next
local ingest would.

The stages are three Ray Data datasets, not one, because each needs what the
writer before it stored: passages are split from stored items (their ids
are the vector ids) and embedded with their meeting's context, and topics use
the item means of the stored vectors.

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
from index.vectors import VectorIndex, open_repaired
from index.watch import after_ingest
from ingest.isolate import ParseOutcome, parse_files
from ingest.pipeline import (FileResult, IngestReport, Recorder, complete_passages, complete_stages, open_archive,
                             prepare_archive)
from ingest.readers import FileEntry, ReadLimits, load_file, walk_files
from radslag.config import Settings
from radslag.errors import IngestError, RadslagError

log = logging.getLogger(__name__)

#: Passages per encode call: the chunk of :meth:`VectorIndex.sync`, so both paths encode the same batches.
EMBED_CHUNK = 512
#: Chunks per Ray dataset: the driver holds this many passage texts at a time and saves the index after each.
EMBED_WINDOW = 32


class RayMissingError(RadslagError):
    """Ray is not installed (it is the optional extra ``radslag[ray]``)."""


@dataclass(frozen=True)
class RayOptions:
    """How to reach Ray and how much of it to use.

    Attributes:
        address: A cluster address (``auto``, ``HEAD:6379``); None starts a
            local cluster in this process.
        workers: Actors per stage (the parallelism of each Ray Data map).
        num_cpus: CPUs of a local cluster (default: ``workers``).
        object_store_mb: Object store of a local cluster, in MiB.
        temp_dir: Ray's session and log folder for a local cluster (default:
            a new temporary folder).
    """

    address: str | None = None
    workers: int = 2
    num_cpus: int | None = None
    object_store_mb: int = 256
    temp_dir: str | None = None


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
    """The embedder :func:`load_embedder` gives the driver, or an error when a node's model differs."""
    from index.embeddings import load_embedder

    embedder = load_embedder(settings)
    if not embedder.matches(*identity):
        raise RadslagError(f"Ray worker has another embedding model ({embedder.name}, "
                           f"{embedder.fingerprint[:12]}…) than the driver ({identity[0]}, {identity[2][:12]}…): "
                           "run `radslag models` on every node")
    return embedder


class _ParseWorker:
    """Read, describe and segment one file per row with :func:`parse_files` (its isolation included)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings.with_(ingest_workers=1)

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        out = []
        for path, source in zip(batch["path"], batch["source"]):
            outcomes = list(parse_files([(Path(path), str(source))], self.settings, workers=1))
            out.append(pickle.dumps(outcomes[0], protocol=pickle.HIGHEST_PROTOCOL))
        return {"n": batch["n"], "outcome": _objects(out)}


class _EmbedWorker:
    """Encode one chunk of passage texts per row, with the driver's model (checked by fingerprint)."""

    def __init__(self, settings: Settings, identity: tuple[str, int, str, list]) -> None:
        self.settings = settings
        self.embedder = _same_embedder(settings, identity)

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        out = []
        for texts in batch["texts"]:
            vecs = self.embedder.encode_passages(pickle.loads(texts), batch_size=self.settings.batch_size)
            out.append(pickle.dumps(vecs, protocol=pickle.HIGHEST_PROTOCOL))
        return {"n": batch["n"], "vectors": _objects(out)}


class _EnrichWorker:
    """Entities and topics for one chunk of items per row (the chunks of :func:`enrich_meetings`)."""

    def __init__(self, settings: Settings, identity: tuple[str, int, str, list] | None) -> None:
        from ingest.entities import EntityExtractor
        from ingest.topics import TopicTagger

        embedder = _same_embedder(settings, identity) if identity is not None else None
        self.extractor = EntityExtractor(settings, progress=False)
        self.tagger = TopicTagger(settings, embedder)

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        out = []
        for payload in batch["chunk"]:
            items, vectors = pickle.loads(payload)
            entities = self.extractor.extract_many([it.text for it in items])
            topics = self.tagger.tag(items, vectors=vectors)
            out.append(pickle.dumps((entities, topics), protocol=pickle.HIGHEST_PROTOCOL))
        return {"n": batch["n"], "result": _objects(out)}


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
        removed_ids = record.removed_ids  # grows as files are recorded

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
        rows = [{"n": n, "path": os.fspath(e.path), "source": e.source} for n, e in enumerate(todo)]
        for _, outcome in _map(rows, _ParseWorker, options.workers, {"settings": settings}, "outcome"):
            record(outcome)

        read_again = [f.source for f in report.files if f.source in reread and f.meeting_id is not None]
        if read_again:
            report.notes.append(f"Lästes om med OCR (read again with OCR): {', '.join(read_again)}")
        archive.record_missing_stages()
        index = _embed(archive, settings, removed_ids, options, report) if settings.embed else None
        if settings.enrich and (index is not None or not settings.embed):
            _enrich(archive, settings, index, options, report)
        # passages/vectors/enrichment left open by a failure above are finished here, as the next ingest would
        complete_stages(archive, settings, report, removed_ids, progress)
        report.notes.extend(after_ingest(archive, settings, record.changed_meetings))
    return report


def _ray_failure(stage: str, exc: Exception, report: IngestReport) -> None:
    log.error("Ray %s failed: %s", stage, exc)
    report.notes.append(f"Ray: steget {stage} gjordes i denna process ({stage} was done in this process): "
                        f"{type(exc).__name__}: {str(exc)[:300]}")


def _embed(archive: Archive, settings: Settings, removed_ids: list[int], options: RayOptions,
           report: IngestReport) -> VectorIndex | None:
    """Passages (here), vectors (on Ray); returns the saved index (None when a stage failed)."""
    from index.embeddings import load_embedder

    try:
        embedder = load_embedder(settings)
        complete_passages(archive, embedder, settings)
        index, notes = open_repaired(settings, embedder, archive)
    except RadslagError:
        return None  # complete_stages meets the same error and says so in the report
    report.notes.extend(notes)
    if removed_ids:
        index.remove(removed_ids)
    missing = sorted(set(archive.passage_items()) - index.ids())
    chunks = [missing[lo : lo + EMBED_CHUNK] for lo in range(0, len(missing), EMBED_CHUNK)]
    try:
        for w in range(0, len(chunks), EMBED_WINDOW):
            window = [archive.passages(chunk) for chunk in chunks[w : w + EMBED_WINDOW]]
            rows = [{"n": n, "texts": pickle.dumps(embedding_texts(archive, passages))}
                    for n, passages in enumerate(window)]
            kwargs = {"settings": settings, "identity": _identity(embedder)}
            for n, vecs in _map(rows, _EmbedWorker, options.workers, kwargs, "vectors"):
                index.add([p.id for p in window[n]], vecs)
            index.save()
    except Exception as exc:  # a worker or cluster failure: complete_stages embeds the rest here
        _ray_failure("vectors", exc, report)
        index.save()
        return None
    index.sync(archive, embedder, progress=False)  # drops vectors of passages gone meanwhile; adds none
    ready = set(archive.unfinished("vectors")) & set(archive.done("passages"))
    archive.mark_stage(ready, "vectors")
    return index


def _enrich(archive: Archive, settings: Settings, index: VectorIndex | None, options: RayOptions,
            report: IngestReport) -> None:
    """Entities and topics on Ray, written here batch by batch as :func:`enrich_meetings` writes them.

    Without an index (embedding off) topics are tagged without vectors, as locally.
    """
    pending = archive.unfinished("enrichment")
    items = [it for mid in archive.document_meeting_ids(pending) for it in archive.items(meeting_id=mid)]
    if not items:
        return
    vectors: dict[int, np.ndarray] = {}
    identity = None
    if index is not None:
        from index.embeddings import load_embedder

        vectors = index.item_means(archive)
        identity = _identity(load_embedder(settings))
    batch = max(1, settings.batch_size)
    chunks = [items[i : i + batch] for i in range(0, len(items), batch)]
    last = {it.document_id: n for n, it in enumerate(items)}  # a document is enriched with its last item
    rows = [{"n": n, "chunk": pickle.dumps((chunk, [vectors.get(it.id) for it in chunk]))}
            for n, chunk in enumerate(chunks)]
    try:
        for n, (entities, topics) in _map(rows, _EnrichWorker, options.workers,
                                          {"settings": settings, "identity": identity}, "result"):
            chunk, i = chunks[n], n * batch
            with archive.transaction():
                for it, ents, tops in zip(chunk, entities, topics):
                    archive.write_enrichment(it.id, ents, tops)
                archive.mark_stage([d for d, k in last.items() if i <= k < i + batch], "enrichment")
    except Exception as exc:  # written batches stay; complete_stages enriches the rest here
        _ray_failure("enrichment", exc, report)
