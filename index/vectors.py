"""The FAISS vector index over passages.

Vectors are L2-normalised and compared by inner product (= cosine). Vector ids
are ``passages.id`` values from the archive. Three index types:

* ``flat``: ``IndexIDMap2(IndexFlatIP)``, exact search;
* ``hnsw``: ``IndexIDMap2(IndexHNSWFlat(dim, 32, METRIC_INNER_PRODUCT))``,
  efConstruction 80, approximate search with ``efSearch`` 64 by default
  (recall@10 against exact search is measured by ``bench/speed.py`` and
  ``bench/scale.py``);
* ``ivfpq``: ``IndexIDMap2(IndexRefineFlat(IndexIVFPQ(..., nlist, 48 x 8 bit)))``:
  the inverted file of 48-byte PQ codes finds ``k_factor * k`` candidates
  (``nprobe`` lists of ``nlist``), which are re-ranked exactly against the
  raw vectors the refine stage keeps. Coarse centroids and PQ codebooks are
  trained once, on a fixed-seed sample, when the index becomes ``ivfpq``;
  later additions are encoded with them. It builds in minutes where HNSW
  takes hours at millions of vectors, removes in place, and keeps only the
  codes and lists in memory: the raw vectors are memory-mapped.

With ``index_type="auto"`` the index is flat below ``approx_threshold``
vectors, HNSW from there and IVF-PQ from ``ivf_threshold`` on;
``flat``/``hnsw``/``ivfpq`` force a type (``ivfpq`` stays flat below
:data:`IVF_MIN_VECTORS`, too few to train on).

**Memory mapping.** :meth:`VectorIndex.open` reads the FAISS file with
``IO_FLAG_MMAP_IFC``: the flat vector storage of every type (and the id
map) stays in the page cache instead of the process's heap, so a server's
RSS holds the HNSW graph or the IVF codes only. A mapped index cannot grow:
the first edit reads the file into memory (:meth:`VectorIndex._own`).

**Removal.** HNSW cannot remove vectors. Every index type stores the raw
vectors (``IndexFlat``, ``IndexHNSWFlat`` and the refine stage keep them
uncompressed), and ``IndexIDMap2`` keeps the id of every row, so the vectors
are always reconstructable from the FAISS file itself: removing from an HNSW
index rebuilds it from the kept vectors; flat and IVF-PQ indexes remove in
place. There is no second vector file to keep consistent.

**Files** in ``settings.index_dir``: the FAISS file ``vectors-<generation>.faiss``
(vectors and their ids, ``IndexIDMap2``: index and id map are one file) and
the manifest ``vectors.json`` that names it (``file``) with the model name,
dim, fingerprint, probe vectors, index type, count, created, faiss version,
generation and a checksum of the FAISS content. A save writes a new FAISS
file under a new generation's name (temp file, fsync, ``os.replace``), then
swaps the manifest the same way, last, then deletes older FAISS files. So
whatever kills a save, the manifest names a complete FAISS file that matches
it: the old pair or the new one. An archive from before (``vectors.faiss``
with no ``file`` in the manifest) is read as before; a FAISS file and
manifest that disagree there (an interrupted write of that older scheme) are
repaired from the archive by :func:`open_repaired`, not left disabled.

**Writers.** A lock file serialises *saves*, not writers: two ingests (the
app's upload tab and a CLI ingest) may each open the index, edit it and save.
Each index remembers the generation it was opened at (or last saved) and the
ids it added and removed since; a save that finds a newer generation on disk
(under the lock) opens that one and applies its own removals and additions on
top, so neither writer's vectors are lost. An index built new (``radslag
reindex``) replaces the stored one whole. A save also deletes the temp files
(``vectors*.faiss.tmp``) of saves killed before their rename.

**Readers.** A writer may swap the manifest and delete the files the old one
named while :meth:`VectorIndex.open` reads them: it reads the small segment
first and maps the base after (a mapped file may then be deleted), and reads
again from the new manifest when a file is gone, unreadable or disagrees and
the generation on disk has changed since it read the manifest.

**Segments.** Rewriting the whole FAISS file for a few new vectors cost 43 s
of a 10-meeting ingest at 1.44M vectors (issue 13). So while an index opened
from its file (memory-mapped, unedited) only *grows* by vectors with new ids
and keeps its type, the new vectors are held in a small exact segment
(``IndexIDMap2(IndexFlatIP)``) beside the mapped base, and a save writes only
the segment (``vectors-<generation>-segment.faiss``, the same temp file,
fsync and rename), then the manifest naming base file *and* segment
(``segment``; ``count`` and ``content`` cover both), last. Searches query both
and merge by score. Any other edit (a removal, a replaced id, a change of
type), or a segment past :data:`SEGMENT_MAX_SHARE` of the base (at least
:data:`SEGMENT_MIN`), first folds the segment into the base in memory and
the next save writes one whole file again; that file is then mapped as the
base, so later growth goes to a new segment again. A crash leaves the old manifest
naming the old base and old segment, both still there (older files are
deleted only after the swap).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import functools
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from index.embeddings import Embedder
from index.passages import embedding_texts, split_item
from index.store import Archive
from index.store.stages import kill_point
from radslag.config import Settings
from radslag.errors import IndexMismatchError, RadslagError
from radslag.types import Item, Passage

#: The FAISS file of archives written before the manifest named its file.
FAISS_FILE = "vectors.faiss"
META_FILE = "vectors.json"
#: FAISS file name of one generation (named by the manifest's ``file``).
FAISS_PATTERN = "vectors-{:06d}.faiss"
#: File name of a generation's segment (vectors added since the base file was written).
SEGMENT_PATTERN = "vectors-{:06d}-segment.faiss"
#: A segment holds at most this share of the base's vectors (but SEGMENT_MIN always) before it is folded in.
SEGMENT_MAX_SHARE = 0.05
SEGMENT_MIN = 2048
LOCK_FILE = ".vectors.lock"
#: Reads of the manifest's files in :meth:`VectorIndex.open` while writers keep saving new generations.
_OPEN_TRIES = 8
FORMAT_VERSION = 1
HNSW_M = 32
#: 80 rather than FAISS's default 40: on 1M synthetic vectors recall@10 at
#: efSearch 64 rose from 0.84 to 0.97 for 2.6x the build time (bench/speed.py).
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 64
#: IVF-PQ: 48 sub-quantisers of 8 bits (48-byte codes for 384 dimensions).
PQ_M = 48
PQ_BITS = 8
#: Lists probed per query and the candidates re-ranked exactly (``k_factor * k``).
#: PQ alone orders near neighbours poorly: on bench/scale.py's 144k clustered
#: vectors (perturbed archive vectors as queries) recall@10 was 0.945 / 0.953 /
#: 0.964 / 0.977 with k_factor 8 / 16 / 32 / 64 at 1.2 / 1.9 / 2.3 / 3.8 ms per
#: query (one thread, busy machine); nprobe 32 gained nothing over 16. On the
#: 1.44M vectors of the 1M-item archive (nlist 1024) k_factor 32 fell to 0.888
#: and 64 gives 0.962 (128: 0.965; nprobe 32-128 gained nothing), at 0.9 ms per
#: query for k 10 and 11.7 ms instead of 9.4 for the 800 candidates a search asks.
IVF_NPROBE = 16
IVF_K_FACTOR = 64
#: Fewest vectors an IVF-PQ index is trained on (256 PQ centroids need several
#: points each); a forced ``ivfpq`` index is flat below this.
IVF_MIN_VECTORS = 2000
#: Training points per coarse list (FAISS warns below 39), and at least this many for the PQ codebooks.
IVF_TRAIN_PER_LIST = 40
IVF_TRAIN_MIN = 20_000
IVF_TRAIN_ITER = 10
IVF_SEED = 1234
#: Passages embedded per chunk in :meth:`VectorIndex.sync`; the index is saved
#: every ``_SAVE_EVERY`` chunks so an interrupted sync keeps its work.
_SYNC_CHUNK = 512
_SAVE_EVERY = 20
_CHECK_VECTORS = 64
#: Index types in the order ``auto`` grows through them.
_GROWTH = ("flat", "hnsw", "ivfpq")


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def ivf_lists(count: int) -> int:
    """Coarse lists for ``count`` vectors: a power of two near sqrt(count), 16 to 4096."""
    return int(min(4096, max(16, 2 ** round(np.log2(max(1.0, np.sqrt(count)))))))


def _train_ivfpq(dim: int, vecs: np.ndarray) -> faiss.IndexRefineFlat:
    """An empty IVF-PQ index with exact re-ranking, trained on a fixed-seed sample of ``vecs``."""
    nlist = min(ivf_lists(len(vecs)), max(1, len(vecs) // IVF_TRAIN_PER_LIST))
    ivf = faiss.IndexIVFPQ(faiss.IndexFlatIP(dim), dim, nlist, PQ_M, PQ_BITS, faiss.METRIC_INNER_PRODUCT)
    ivf.cp.niter = IVF_TRAIN_ITER
    ivf.cp.seed = IVF_SEED
    ivf.pq.cp.niter = IVF_TRAIN_ITER
    ivf.pq.cp.seed = IVF_SEED
    # a sample of IVF_MIN_VECTORS is enough with exact re-ranking: no FAISS warning for it
    ivf.cp.min_points_per_centroid = ivf.pq.cp.min_points_per_centroid = 4
    # FAISS trains 48 separate 8-dimensional k-means slowly (~6 ms per point on a loaded
    # 2-core machine); with the exact re-rank, 64 points per PQ centroid are plenty
    ivf.pq.cp.max_points_per_centroid = 64
    want = min(len(vecs), max(IVF_TRAIN_PER_LIST * nlist, IVF_TRAIN_MIN))
    rows = np.sort(np.random.default_rng(IVF_SEED).choice(len(vecs), want, replace=False))
    ivf.train(np.ascontiguousarray(vecs[rows], np.float32))
    ivf.nprobe = min(IVF_NPROBE, nlist)
    refine = faiss.IndexRefineFlat(ivf)  # the Python wrapper keeps a reference to ``ivf``
    refine.k_factor = IVF_K_FACTOR
    return refine


def _new_index(kind: str, dim: int, ef_search: int = HNSW_EF_SEARCH,
               train: np.ndarray | None = None) -> faiss.IndexIDMap2:
    """An empty index of ``kind``; ``ivfpq`` is trained on ``train`` (the vectors it will hold)."""
    if kind == "ivfpq":
        if train is None or len(train) < IVF_MIN_VECTORS:
            raise ValueError(f"an IVF-PQ index needs at least {IVF_MIN_VECTORS} training vectors")
        inner = _train_ivfpq(dim, train)
    elif kind == "hnsw":
        inner = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        inner.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        inner.hnsw.efSearch = ef_search
    elif kind == "flat":
        inner = faiss.IndexFlatIP(dim)
    else:
        raise ValueError(f"unknown index type {kind!r}")
    return faiss.IndexIDMap2(inner)  # the wrapper keeps a reference to ``inner``


def _kind_of(index: faiss.IndexIDMap2) -> str:
    inner = faiss.downcast_index(index.index)
    if isinstance(inner, faiss.IndexRefine):
        return "ivfpq"
    return "hnsw" if isinstance(inner, faiss.IndexHNSW) else "flat"


def _raw_store(index: faiss.IndexIDMap2) -> faiss.Index:
    """The flat index holding the raw vectors, row for row (reconstructing through it is a copy;
    through ``IndexRefine``/``IndexHNSW`` it is one virtual call per vector: 6.1 s for 144k vectors)."""
    inner = faiss.downcast_index(index.index)
    if isinstance(inner, faiss.IndexRefine):
        return faiss.downcast_index(inner.refine_index)
    if isinstance(inner, faiss.IndexHNSW):
        return faiss.downcast_index(inner.storage)
    return inner


def _ivf_of(index: faiss.IndexIDMap2) -> faiss.IndexIVF:
    return faiss.extract_index_ivf(faiss.downcast_index(index.index).base_index)


def _ivf_remove(index: faiss.IndexIDMap2, keep: np.ndarray) -> None:
    """Remove the rows where ``keep`` is False from an ``ivfpq`` index, in place.

    ``IndexIDMap2`` numbers rows 0..n-1 and expects its inner index to close
    the gaps when rows go, as ``IndexFlat`` does; ``IndexIVF`` removes list
    entries but keeps the others' row labels. So the refine stage and the id
    map shift, and the list entries' labels are renumbered to match.
    """
    refine = faiss.downcast_index(index.index)
    ivf = _ivf_of(index)
    gone = np.flatnonzero(~keep).astype(np.int64)
    new_row = (np.cumsum(keep) - 1).astype(np.int64)
    ivf.remove_ids(faiss.IDSelectorBatch(gone))
    lists = ivf.invlists
    for n in range(ivf.nlist):
        size = lists.list_size(n)
        if size:
            labels = faiss.rev_swig_ptr(lists.get_ids(n), size)
            labels[:] = new_row[labels]
    refine.refine_index.remove_ids(faiss.IDSelectorBatch(gone))
    kept_ids = faiss.vector_to_array(index.id_map).astype(np.int64)[keep]
    faiss.copy_array_to_vector(kept_ids, index.id_map)
    refine.ntotal = index.ntotal = len(kept_ids)
    index.construct_rev_map()


#: Query batches up to this size search on the calling thread only. FAISS would
#: spread one query's flat scan over OpenMP threads that spin while they wait: on
#: a busy 2-core machine one query took 30-48 ms that way and 3.9 ms on one thread
#: (2.4k vectors; HNSW and IVF search one query on one thread anyway). A server
#: runs queries side by side, one thread each.
_SERIAL_QUERIES = 4


@contextlib.contextmanager
def _threads(n: int | None) -> Iterator[None]:
    """Run the block with ``n`` OpenMP threads (this thread's setting; None: unchanged)."""
    if n is None:
        yield
        return
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(n)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _file_of(meta: dict[str, Any]) -> str:
    """The FAISS file a manifest names (``vectors.faiss`` for a manifest from before generations)."""
    name = meta.get("file") or FAISS_FILE
    if not isinstance(name, str) or "/" in name or not name.endswith(".faiss"):
        raise ValueError(f"bad index file name {name!r}")
    return name


def _faiss_files(folder: Path) -> list[Path]:
    """Every FAISS file of the index folder (the current one and leftovers)."""
    return sorted(folder.glob("vectors*.faiss")) if folder.is_dir() else []


class ModelChangedError(IndexMismatchError):
    """The stored index belongs to another embedding model: a reindex, not a repair, is needed."""


def _read_idmap(path: Path, flags: int = 0) -> faiss.IndexIDMap2:
    """Read (or with ``IO_FLAG_MMAP_IFC`` map) one FAISS file of the index; IndexMismatchError when unreadable."""
    try:
        index = faiss.read_index(str(path), flags) if flags else faiss.read_index(str(path))
    except RuntimeError as exc:
        raise IndexMismatchError(f"{path} går inte att läsa ({exc}); kör `radslag reindex`. "
                                 "(Unreadable vector index.)") from exc
    if not isinstance(index, faiss.IndexIDMap2):
        index = faiss.downcast_index(index)
    if not isinstance(index, faiss.IndexIDMap2):
        raise IndexMismatchError(f"{path} har ett okänt format. (Unknown index format.)")
    return index


def _atomic_write(path: Path, write) -> None:
    """Write ``path`` atomically: ``write(tmp)`` to a temp file in the same folder, fsync, rename.

    Args:
        path: Final file path.
        write: Callable that writes the complete content to the path it is given.
    """
    tmp = path.with_name(path.name + ".tmp")
    if tmp.exists() or tmp.is_symlink():
        tmp.unlink()  # a leftover of an interrupted write
    try:
        write(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            if tmp.is_file():
                tmp.unlink()
        raise
    _fsync_dir(path.parent)


def _disk_generation(folder: Path) -> int:
    """The generation of the manifest on disk (0 when none or unreadable)."""
    try:
        return int(json.loads((folder / META_FILE).read_text(encoding="utf-8")).get("generation", 0))
    except (OSError, ValueError, TypeError, AttributeError):
        return 0


class VectorIndex:
    """A FAISS index of passage vectors bound to one embedding model.

    Use :meth:`open` to load or create; :meth:`save` to persist.

    Attributes:
        settings: Settings the index was opened with.
        dim: Vector dimension.
        model: Model name the vectors belong to.
        fingerprint: The model fingerprint (see :mod:`index.embeddings`).
        ef_search: HNSW search breadth.
    """

    def __init__(
        self,
        settings: Settings,
        dim: int,
        model: str,
        fingerprint: str,
        probes: list[list[float]] | None = None,
        index: faiss.IndexIDMap2 | None = None,
        meta: dict[str, Any] | None = None,
    ):
        self.settings = settings
        self.dim = int(dim)
        self.model = model
        self.fingerprint = fingerprint
        self.probes = probes
        self.ef_search = HNSW_EF_SEARCH
        self._index = index if index is not None else _new_index(self._wanted_kind(0), self.dim)
        self._meta = dict(meta or {})
        self._dirty = index is None
        #: The FAISS file ``_index`` is memory-mapped from (None: it is in memory and editable).
        self._mapped: Path | None = None
        #: Vectors added to a mapped base since it was written (exact search; see "Segments").
        self._segment: faiss.IndexIDMap2 | None = None
        #: The generation this index was opened at or last saved as (None: a new index that replaces
        #: the stored one whole, as ``radslag reindex`` builds; see "Writers").
        self._opened_gen: int | None = None
        #: Opens the stored index again (for the same model); set by :meth:`open` and :func:`open_repaired`.
        self._reopen: Callable[[], VectorIndex] | None = None
        #: Ids added and ids removed since ``_opened_gen`` (chunks), applied to a newer stored index on save.
        self._added: list[np.ndarray] = []
        self._removed: list[np.ndarray] = []

    # -- opening --------------------------------------------------------------------

    @classmethod
    def open(cls, settings: Settings, embedder: Embedder) -> "VectorIndex":
        """Open the index in ``settings.index_dir`` for ``embedder``, or start an empty one.

        Args:
            settings: Run-time settings.
            embedder: The :class:`index.embeddings.Embedder` queries will use.

        Raises:
            IndexMismatchError: If the stored index was built with another
                model (name, dimension or fingerprint), or its files disagree
                (an interrupted write).
        """

        def check(meta: dict[str, Any]) -> None:
            if not embedder.matches(meta.get("model", ""), meta.get("dim", -1), meta.get("fingerprint", ""),
                                    meta.get("probes")):
                raise ModelChangedError(
                    f"Indexet byggdes med modellen {meta.get('model')!r} (dim {meta.get('dim')}, "
                    f"fingeravtryck {str(meta.get('fingerprint'))[:12]}), men nu används {embedder.name!r} "
                    f"(dim {embedder.dim}, fingeravtryck {embedder.fingerprint[:12]}). Kör `radslag reindex` "
                    "för att bygga om indexet med den nya modellen, eller välj den gamla modellen med --model. "
                    f"(The index was built with model {meta.get('model')!r}; run `radslag reindex` "
                    "to rebuild it with the current model.)"
                )

        vi = cls._load(settings, embedder.dim, embedder.name, embedder.fingerprint,
                       np.round(embedder.probe_vectors, 6).tolist(), check)
        vi._reopen = functools.partial(cls.open, settings, embedder)
        return vi

    @classmethod
    def _load(cls, settings: Settings, dim: int, model: str, fingerprint: str, probes: Any,
              check: Callable[[dict[str, Any]], None]) -> "VectorIndex":
        """Read the manifest's files (see :meth:`open`); ``check(meta)`` raises for another model.

        A writer may swap the manifest and delete the files the old one named
        while this reads them. So the small segment is read first, then the
        base is mapped (slow at scale; once mapped, deleting its file does no
        harm); a file that is gone, unreadable or disagrees with the manifest
        is read again from the new manifest when the generation on disk is no
        longer the one read at the start, and is an error only when it is.
        """
        folder = Path(settings.index_dir)
        meta_path = folder / META_FILE
        if not meta_path.exists() and not (folder / FAISS_FILE).exists():
            # no manifest: nothing was committed (a generation file without one is a
            # leftover of an interrupted first save, swept by the next save)
            vi = cls(settings, dim, model, fingerprint, probes)
            vi._opened_gen = 0
            return vi
        if not meta_path.exists():
            raise IndexMismatchError(
                f"Vektorindexet i {folder} är ofullständigt ({META_FILE} saknas); "
                "kör `radslag reindex`. (The vector index is incomplete; run `radslag reindex`.)"
            )
        for attempt in range(_OPEN_TRIES):
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
                generation = int(meta.get("generation", 0) or 0)
                faiss_path = folder / _file_of(meta)
                segment_path = folder / _file_of({"file": meta["segment"]}) if meta.get("segment") else None
            except (ValueError, TypeError, AttributeError) as exc:
                raise IndexMismatchError(
                    f"{meta_path} går inte att läsa; kör `radslag reindex`. (Unreadable index metadata.)"
                ) from exc
            check(meta)
            try:
                vi = cls._read_files(settings, dim, model, fingerprint, probes, meta, faiss_path, segment_path)
            except IndexMismatchError:
                if attempt + 1 < _OPEN_TRIES and _disk_generation(folder) != generation:
                    continue  # a writer saved meanwhile: read what its manifest names
                raise
            vi._opened_gen = generation
            return vi
        raise AssertionError("unreachable")  # the last attempt returns or raises

    @classmethod
    def _read_files(cls, settings: Settings, dim: int, model: str, fingerprint: str, probes: Any,
                    meta: dict[str, Any], faiss_path: Path, segment_path: Path | None) -> "VectorIndex":
        """The segment (read), then the base (mapped), checked against ``meta``; IndexMismatchError otherwise."""
        folder = faiss_path.parent
        for path in (segment_path, faiss_path):
            if path is not None and not path.exists():
                raise IndexMismatchError(
                    f"Vektorindexet i {folder} är ofullständigt ({path.name} saknas); "
                    "kör `radslag reindex`. (The vector index is incomplete; run `radslag reindex`.)"
                )
        segment = None
        if segment_path is not None:
            segment = _read_idmap(segment_path)  # small: read, not mapped, and first (see _load)
        # mapped, not read: the raw vectors stay in the page cache (see _own before editing)
        index = _read_idmap(faiss_path, faiss.IO_FLAG_MMAP_IFC)
        if segment is not None and segment.d != index.d:
            raise IndexMismatchError(f"{segment_path} har ett okänt format. (Unknown index format.)")
        vi = cls(settings, dim, model, fingerprint, probes, index=index, meta=meta)
        vi._mapped = faiss_path
        vi._segment = segment
        if meta.get("content") != vi._content_checksum() or meta.get("count") != len(vi):
            raise IndexMismatchError(
                f"{FAISS_FILE} och {META_FILE} i {folder} hör inte ihop (avbruten skrivning?); "
                "kör `radslag reindex`. (The index files disagree, probably an interrupted write; "
                "run `radslag reindex`.)"
            )
        vi.ef_search = int(meta.get("ef_search", HNSW_EF_SEARCH))
        vi._apply_ef()
        return vi

    # -- properties -------------------------------------------------------------------

    @property
    def kind(self) -> str:
        """``flat``, ``hnsw`` or ``ivfpq``."""
        return _kind_of(self._index)

    def __len__(self) -> int:
        return int(self._index.ntotal) + (int(self._segment.ntotal) if self._segment is not None else 0)

    def ids(self) -> set[int]:
        """Return the set of vector (passage) ids in the index."""
        return set(self._id_array().tolist())

    def _id_array(self) -> np.ndarray:
        """The ids of every row: the base's, then the segment's."""
        ids = faiss.vector_to_array(self._index.id_map).astype(np.int64)
        if self._segment is not None:
            ids = np.concatenate([ids, faiss.vector_to_array(self._segment.id_map).astype(np.int64)])
        return ids

    def _sorted_ids(self) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`_id_array` and its sort order, kept while the index is saved and unedited.

        A relink asks for a few items' means once per scope; sorting every id
        of a large index each time (0.16 s at 1.4M) cost more than the reads.
        Every edit sets ``_dirty`` and a save moves the generation, so a kept
        order is never stale.
        """
        key = (self._meta.get("generation"), len(self))
        kept = self.__dict__.get("_sorted")
        if kept is not None and kept[0] == key and not self._dirty:
            return kept[1], kept[2]
        ids = self._id_array()
        order = np.argsort(ids, kind="stable")
        self._sorted = None if self._dirty else (key, ids, order)
        return ids, order

    def _rows(self, rows: np.ndarray) -> np.ndarray:
        """The raw vectors of the given rows (of :meth:`_id_array`'s order), base or segment."""
        rows = np.ascontiguousarray(rows, np.int64)
        base = int(self._index.ntotal)
        out = np.empty((len(rows), self.dim), np.float32)
        low = rows < base
        if low.any():
            out[low] = _raw_store(self._index).reconstruct_batch(np.ascontiguousarray(rows[low]))
        if (~low).any():
            out[~low] = _raw_store(self._segment).reconstruct_batch(np.ascontiguousarray(rows[~low] - base))
        return out

    def _wanted_kind(self, count: int) -> str:
        kind = self.settings.index_type
        if kind == "auto":
            if count >= max(self.settings.ivf_threshold, IVF_MIN_VECTORS):
                kind = "ivfpq"
            else:
                return "hnsw" if count >= self.settings.approx_threshold else "flat"
        if kind == "ivfpq":
            return "ivfpq" if count >= IVF_MIN_VECTORS else "flat"
        if kind in ("flat", "hnsw"):
            return kind
        raise RadslagError(
            f"Okänd indextyp {kind!r}; använd auto, flat, hnsw eller ivfpq. (Unknown index type.)"
        )

    def _apply_ef(self) -> None:
        inner = faiss.downcast_index(self._index.index)
        if isinstance(inner, faiss.IndexHNSW):
            inner.hnsw.efSearch = self.ef_search
        elif isinstance(inner, faiss.IndexRefine):
            inner.k_factor = IVF_K_FACTOR
            ivf = _ivf_of(self._index)
            ivf.nprobe = min(IVF_NPROBE, ivf.nlist)

    def _own(self) -> None:
        """Read a memory-mapped index into memory before it is edited (a mapped one cannot grow)."""
        if self._mapped is None:
            return
        if self._mapped.exists():
            index = faiss.read_index(str(self._mapped))
        else:  # swept by another writer's save; the mapping itself stays valid
            index = faiss.deserialize_index(faiss.serialize_index(self._index))
        self._index = index if isinstance(index, faiss.IndexIDMap2) else faiss.downcast_index(index)
        self._mapped = None
        self._apply_ef()
        if self._segment is not None:  # folded in, in row order: the base's rows, then the segment's
            segment, self._segment = self._segment, None
            if segment.ntotal:
                self._index.add_with_ids(_raw_store(segment).reconstruct_n(0, segment.ntotal),
                                         faiss.vector_to_array(segment.id_map).astype(np.int64))
            self._dirty = True

    def _appendable(self, ids: np.ndarray) -> bool:
        """Whether ``ids`` (new to the index) can go to the segment: the base is mapped and stays as it is."""
        if self._mapped is None:
            return False
        base = int(self._index.ntotal)
        held = int(self._segment.ntotal) if self._segment is not None else 0
        if held + len(ids) > max(SEGMENT_MIN, SEGMENT_MAX_SHARE * base):
            return False
        wanted = self._wanted_kind(base + held + len(ids))
        return wanted == self.kind or (self.settings.index_type == "auto" and _GROWTH.index(wanted) < _GROWTH.index(self.kind))

    # -- editing ----------------------------------------------------------------------

    def vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(ids, vectors)`` of every stored vector, in storage order."""
        n = len(self)
        if n == 0:
            return np.zeros(0, np.int64), np.zeros((0, self.dim), np.float32)
        vecs = _raw_store(self._index).reconstruct_n(0, int(self._index.ntotal))
        if self._segment is not None and self._segment.ntotal:
            vecs = np.vstack([vecs, _raw_store(self._segment).reconstruct_n(0, self._segment.ntotal)])
        return self._id_array(), vecs

    def item_means(self, archive: Archive, item_ids: Iterable[int] | None = None) -> dict[int, np.ndarray]:
        """Mean passage vector (L2-normalised) of every item (or of ``item_ids``) that has vectors here.

        Topic tagging and issue threads use these, so the archive is encoded
        once, at passage level, and never again per item. Summed with numpy
        (rows grouped by item), not per passage in Python. With ``item_ids``
        only those items' passages are read (an ingest relinks a few scopes:
        the whole index is not copied out for them).
        """
        links = archive.passage_items() if item_ids is None else archive.passage_items(item_ids=item_ids)
        if not len(self) or not links:
            return {}
        if item_ids is None:
            ids, vecs = self.vectors()
            order = np.argsort(ids, kind="stable")
        else:  # the rows of just these passages, read from the raw store
            (ids, order), vecs = self._sorted_ids(), None
        pids = np.fromiter(links.keys(), np.int64, len(links))
        items = np.fromiter(links.values(), np.int64, len(links))
        at = np.minimum(np.searchsorted(ids, pids, sorter=order), len(ids) - 1)
        found = ids[order[at]] == pids
        rows, items = order[at[found]], items[found]
        if vecs is None:
            vecs = self._rows(rows)
            rows = np.arange(len(rows))
        return mean_by_item(items, vecs, rows)

    def _rebuild_as(self, kind: str, ids: np.ndarray, vecs: np.ndarray) -> None:
        index = _new_index(kind, self.dim, self.ef_search, train=vecs if kind == "ivfpq" else None)
        self._mapped = None
        if len(ids):
            index.add_with_ids(np.ascontiguousarray(vecs, np.float32), np.ascontiguousarray(ids, np.int64))
        self._index = index
        self._dirty = True

    def add(self, ids: Sequence[int] | np.ndarray, vecs: np.ndarray) -> None:
        """Add vectors with their passage ids; existing ids are replaced.

        Switches to HNSW when ``index_type`` is ``auto`` and the count reaches
        ``approx_threshold``, and to IVF-PQ (trained on all the vectors then)
        at ``ivf_threshold``.
        """
        ids = np.asarray(list(ids) if not isinstance(ids, np.ndarray) else ids, dtype=np.int64)
        vecs = np.ascontiguousarray(vecs, dtype=np.float32)
        if vecs.ndim != 2 or vecs.shape[1] != self.dim or len(ids) != len(vecs):
            raise ValueError(f"expected ({len(ids)}, {self.dim}) vectors, got {vecs.shape}")
        if len(ids) == 0:
            return
        if len(np.unique(ids)) != len(ids):
            raise ValueError("duplicate ids in one add() call")
        present = ids[np.isin(ids, self._id_array())]
        if not len(present) and self._appendable(ids):  # the mapped base stays; the segment grows
            if self._segment is None:
                self._segment = _new_index("flat", self.dim)
            self._segment.add_with_ids(vecs, ids)
            self._dirty = True
            self._added.append(ids)
            return
        self._own()
        if len(present):
            self.remove(present.tolist())
        wanted = self._wanted_kind(len(self) + len(ids))
        # In auto mode the index only grows here (flat -> HNSW -> IVF-PQ); it
        # shrinks back to flat in remove(), below approx_threshold.
        order = _GROWTH
        if wanted != self.kind and (self.settings.index_type != "auto" or order.index(wanted) > order.index(self.kind)):
            old_ids, old_vecs = self.vectors()
            self._rebuild_as(wanted, np.concatenate([old_ids, ids]), np.vstack([old_vecs, vecs]))
        else:
            self._index.add_with_ids(vecs, ids)
        self._dirty = True
        self._added.append(ids)

    def remove(self, ids: Iterable[int]) -> int:
        """Remove vectors by id (unknown ids are ignored); returns how many were removed.

        Flat and IVF-PQ indexes remove in place; HNSW indexes are rebuilt
        from the kept vectors (HNSW has no removal). In ``auto`` mode an
        IVF-PQ index stays one (its training is kept) until fewer than
        ``approx_threshold`` vectors are left, when it becomes flat.
        """
        drop = np.fromiter((int(i) for i in ids), dtype=np.int64)
        self._removed.append(drop)  # even ids not here: another writer may have stored them
        if len(drop) == 0 or len(self) == 0:
            return 0
        all_ids = self._id_array()
        keep = ~np.isin(all_ids, drop)
        removed = int((~keep).sum())
        if removed == 0:
            return 0
        self._own()
        wanted = self._wanted_kind(int(keep.sum()))
        if self.kind == "ivfpq" and self.settings.index_type == "auto" and wanted == "hnsw":
            wanted = "ivfpq"  # no HNSW build (hours at this size) just because a few vectors went
        if self.kind == "flat" and wanted == "flat":
            self._index.remove_ids(faiss.IDSelectorBatch(drop))
        elif self.kind == "ivfpq" and wanted == "ivfpq":
            _ivf_remove(self._index, keep)
        else:
            vecs = _raw_store(self._index).reconstruct_n(0, len(all_ids))
            self._rebuild_as(wanted, all_ids[keep], vecs[keep])
        self._dirty = True
        return removed

    def search(self, query_vecs: np.ndarray, k: int) -> tuple[Any, Any]:
        """Search the nearest passages by inner product (cosine).

        Args:
            query_vecs: One normalised query ``(dim,)`` or several ``(n, dim)``.
            k: Hits per query (capped at the index size).

        Returns:
            ``(scores, ids)`` best first, FAISS's ``-1`` fillers removed. For a
            1-D query two 1-D arrays; for a 2-D batch two lists holding one
            such array per query (so ``ids[0]`` is the first query's hits).
        """
        single = np.ndim(query_vecs) == 1
        q = np.ascontiguousarray(np.atleast_2d(query_vecs), dtype=np.float32)
        if q.shape[1] != self.dim:
            raise ValueError(f"query dimension {q.shape[1]} != index dimension {self.dim}")
        k = int(min(k, len(self)))
        if k <= 0:
            out_s = [np.zeros(0, np.float32) for _ in range(len(q))]
            out_i = [np.zeros(0, np.int64) for _ in range(len(q))]
        else:
            with _threads(1 if len(q) <= _SERIAL_QUERIES else None):
                scores, ids = self._index.search(q, k)
                if self._segment is not None and self._segment.ntotal:  # exact over the segment, merged by score
                    more_s, more_i = self._segment.search(q, int(min(k, self._segment.ntotal)))
                    scores, ids = np.hstack([scores, more_s]), np.hstack([ids, more_i])
                    best = np.argsort(-scores, axis=1, kind="stable")[:, :k]
                    scores, ids = np.take_along_axis(scores, best, 1), np.take_along_axis(ids, best, 1)
            keep = ids >= 0
            out_s = [scores[r][keep[r]] for r in range(len(q))]
            out_i = [ids[r][keep[r]] for r in range(len(q))]
        return (out_s[0], out_i[0]) if single else (out_s, out_i)

    # -- persistence ---------------------------------------------------------------------

    def _ivf_params(self) -> dict[str, Any] | None:
        if self.kind != "ivfpq":
            return None
        ivf = _ivf_of(self._index)
        return {"nlist": int(ivf.nlist), "pq_m": PQ_M, "pq_bits": PQ_BITS, "nprobe": int(ivf.nprobe),
                "k_factor": float(faiss.downcast_index(self._index.index).k_factor)}

    def _content_checksum(self) -> str:
        ids = self._id_array()
        digest = hashlib.sha256(np.sort(ids).tobytes())
        if len(ids):
            order = np.argsort(ids)[:_CHECK_VECTORS]
            digest.update(np.round(self._rows(order.astype(np.int64)), 5).tobytes())
        return digest.hexdigest()

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        folder = Path(self.settings.index_dir)
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / LOCK_FILE, "a") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)

    def save(self) -> None:
        """Write a new FAISS file (or only the segment beside the mapped base), then swap the manifest
        naming it, then delete older FAISS files."""
        folder = Path(self.settings.index_dir)
        with self._lock():
            if self._opened_gen is not None and _disk_generation(folder) > self._opened_gen:
                self._merge_stored()  # another writer saved since this one opened
            generation = max(int(self._meta.get("generation", 0)), _disk_generation(folder)) + 1
            if self._segment is not None and self._mapped is not None and not self._mapped.exists():
                self._own()  # another writer swept the base: write one whole file
            if self._segment is not None and self._segment.ntotal and self._mapped is not None:
                name, segment = self._mapped.name, SEGMENT_PATTERN.format(generation)
                _atomic_write(folder / segment, lambda tmp: faiss.write_index(self._segment, str(tmp)))
            else:
                name, segment = FAISS_PATTERN.format(generation), None
                _atomic_write(folder / name, lambda tmp: faiss.write_index(self._index, str(tmp)))
            kill_point("faiss-write")  # test hook: a new FAISS file, the old manifest
            meta = {
                "format": FORMAT_VERSION,
                "file": name,
                "segment": segment,
                "model": self.model,
                "dim": self.dim,
                "fingerprint": self.fingerprint,
                "probes": self.probes,
                "index_type": self.kind,
                "count": len(self),
                "ef_search": self.ef_search,
                "hnsw": {"M": HNSW_M, "ef_construction": HNSW_EF_CONSTRUCTION} if self.kind == "hnsw" else None,
                "ivf": self._ivf_params(),
                "created": self._meta.get("created") or _now(),
                "updated": _now(),
                "faiss_version": faiss.__version__,
                "generation": generation,
                "content": self._content_checksum(),
            }
            payload = json.dumps(meta, indent=1).encode("utf-8")
            _atomic_write(folder / META_FILE, lambda tmp: tmp.write_bytes(payload))
            self._meta = meta
            self._dirty = False
            self._opened_gen = generation
            self._added, self._removed = [], []
            for old in _faiss_files(folder) + sorted(folder.glob("vectors*.faiss.tmp")):
                # older generations, and temp files of saves killed before their rename (writers
                # save under the lock, so no other save is writing one now)
                if old.name not in (name, segment):
                    with contextlib.suppress(OSError):
                        old.unlink()
            if segment is None:
                self._map_base(folder / name)

    def _map_base(self, path: Path) -> None:
        """Map the whole file just saved as the base, so later growth goes to a segment again."""
        try:
            index = _read_idmap(path, faiss.IO_FLAG_MMAP_IFC)
        except IndexMismatchError:
            return  # keep the index in memory: the next save writes a whole file
        if int(index.ntotal) != int(self._index.ntotal):
            return
        self._index, self._mapped, self._segment = index, path, None
        self._apply_ef()

    def _merge_stored(self) -> None:
        """Take the stored index another writer saved after this one opened, with this one's edits on top.

        The ids this writer removed go, the vectors it added (and still holds)
        are added; ids already stored are kept as stored (passage ids are never
        reused: a vector is right for its id whichever writer embedded it).
        A stored index that cannot be read is replaced by this one, whole.

        Raises:
            ModelChangedError: The stored index now belongs to another model.
        """
        if self._reopen is None:
            return
        try:
            stored = self._reopen()
        except ModelChangedError:
            raise
        except IndexMismatchError:
            return
        held = self._id_array()
        added = np.unique(np.concatenate(self._added)) if self._added else np.zeros(0, np.int64)
        added = added[np.isin(added, held)]  # not removed again later
        removed = np.unique(np.concatenate(self._removed)) if self._removed else np.zeros(0, np.int64)
        removed = removed[~np.isin(removed, held)]  # not added again later
        if len(removed):
            stored.remove(removed.tolist())
        added = added[~np.isin(added, stored._id_array())]
        if len(added):
            order = np.argsort(held, kind="stable")
            rows = order[np.searchsorted(held, added, sorter=order)]
            stored.add(added, self._rows(rows))
        self._index, self._segment, self._mapped = stored._index, stored._segment, stored._mapped
        self._meta = stored._meta
        self._apply_ef()
        self._dirty = True

    # -- archive synchronisation -------------------------------------------------------------

    def sync(self, archive: Archive, embedder: Embedder, progress: bool = True) -> dict[str, int]:
        """Make the index hold exactly the passages in ``archive``.

        Embeds passages missing from the index (in chunks, saving now and
        then so an interruption keeps finished work) and removes vectors whose
        passage is gone.

        Returns:
            ``{"added", "removed", "total"}``.
        """
        from tqdm.auto import tqdm

        table = set(archive.passage_items())
        present = self.ids()
        stale = present - table
        missing = sorted(table - present)
        removed = self.remove(stale) if stale else 0
        added = 0
        with tqdm(total=len(missing), desc="Bäddar in passager", unit="passage", disable=not progress) as bar:
            for n, lo in enumerate(range(0, len(missing), _SYNC_CHUNK)):
                chunk = missing[lo : lo + _SYNC_CHUNK]
                rows = archive.passages(chunk)
                vecs = embedder.encode_passages(embedding_texts(archive, rows), batch_size=self.settings.batch_size)
                self.add([r.id for r in rows], vecs)
                kill_point("embed")  # test hook: vectors in memory, not yet saved
                added += len(rows)
                bar.update(len(rows))
                if (n + 1) % _SAVE_EVERY == 0:
                    self.save()
        if added or removed or self._dirty:
            self.save()
        return {"added": added, "removed": removed, "total": len(self)}

    @classmethod
    def rebuild(cls, archive: Archive, embedder: Embedder, settings: Settings, progress: bool = True) -> "VectorIndex":
        """Re-split every item, re-embed every passage and replace the index (``radslag reindex``).

        The stored index is ignored (it may belong to another model) and
        overwritten.
        """
        archive.clear_passages()
        build_passages(archive, embedder, settings)
        vi = cls(settings, embedder.dim, embedder.name, embedder.fingerprint,
                 np.round(embedder.probe_vectors, 6).tolist())
        vi._meta = {}
        total = archive.count("passages")
        kind = vi._wanted_kind(total)
        # an IVF-PQ index is trained on vectors: the sync grows into it from flat/HNSW
        vi._index = _new_index(kind if kind != "ivfpq" else "flat", vi.dim, vi.ef_search)
        vi.sync(archive, embedder, progress=progress)
        vi.save()
        return vi


def _fold_readable_segment(base: faiss.IndexIDMap2, path: Path) -> None:
    """Add the vectors of the segment file ``path`` (ids new to ``base``) to the in-memory ``base``, if it reads."""
    try:
        segment = _read_idmap(path)
    except IndexMismatchError:
        return
    if segment.d != base.d or not segment.ntotal:
        return
    ids = faiss.vector_to_array(segment.id_map).astype(np.int64)
    new = ~np.isin(ids, faiss.vector_to_array(base.id_map).astype(np.int64))
    if new.any():
        vecs = _raw_store(segment).reconstruct_n(0, segment.ntotal)
        base.add_with_ids(np.ascontiguousarray(vecs[new]), ids[new])


def stored_vectors(archive_dir: Path) -> tuple[np.ndarray, np.ndarray]:
    """``(ids, vectors)`` of the index stored with the archive in ``archive_dir`` (base and segment),
    whichever model made it; for tools that compare two models' vectors (``bench/quality.py``).

    Raises:
        IndexMismatchError: No readable index there.
    """
    settings = Settings(archive_dir=Path(archive_dir))
    try:
        meta = json.loads((settings.index_dir / META_FILE).read_text(encoding="utf-8"))
        dim = int(meta["dim"])
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise IndexMismatchError(f"{settings.index_dir / META_FILE} går inte att läsa. "
                                 "(Unreadable index metadata.)") from exc
    vi = VectorIndex._load(settings, dim, str(meta.get("model", "")), str(meta.get("fingerprint", "")),
                           meta.get("probes"), lambda _meta: None)
    return vi.vectors()


def open_repaired(settings: Settings, embedder: Embedder, archive: Archive) -> tuple[VectorIndex, list[str]]:
    """Open the index; when its files are damaged or disagree, repair it from the archive.

    The repair keeps what can be trusted and leaves the rest to
    :meth:`VectorIndex.sync`: when a FAISS file is readable, has the model's
    dimension and the manifest names this model, its vectors of live
    passages are kept (each FAISS file holds vectors and ids together, and
    passage ids are never reused, so a vector is right for its id whichever
    generation it came from); otherwise the index starts empty and every
    passage is embedded again.

    Returns:
        The index and notes saying what was repaired (empty when nothing was).

    Raises:
        ModelChangedError: The index belongs to another model (``radslag reindex``).
    """
    try:
        return VectorIndex.open(settings, embedder), []
    except ModelChangedError:
        raise
    except IndexMismatchError as exc:
        reason = str(exc).split(";")[0]
    folder = Path(settings.index_dir)
    meta: dict[str, Any] = {}
    with contextlib.suppress(OSError, ValueError, TypeError):
        meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    same_model = isinstance(meta, dict) and bool(meta) and embedder.matches(
        meta.get("model", ""), meta.get("dim", -1), meta.get("fingerprint", ""), meta.get("probes"))
    kept = None
    if same_model:
        named: list[Path] = []
        segment: Path | None = None
        with contextlib.suppress(ValueError, TypeError):
            named = [folder / _file_of(meta)]
            segment = folder / _file_of({"file": meta["segment"]}) if meta.get("segment") else None
        others = sorted(_faiss_files(folder), key=lambda p: p.stat().st_mtime, reverse=True)
        for path in named + [p for p in others if p not in named and p != segment]:
            try:
                index = faiss.read_index(str(path))  # keep this reference: it owns the C++ object
            except RuntimeError:
                continue
            if not isinstance(index, faiss.IndexIDMap2):
                continue
            if isinstance(index, faiss.IndexIDMap2) and index.d == embedder.dim:
                kept = index
                if path in named and segment is not None:
                    _fold_readable_segment(kept, segment)  # the manifest's base and segment together
                break
    probes = np.round(embedder.probe_vectors, 6).tolist()
    vi = VectorIndex(settings, embedder.dim, embedder.name, embedder.fingerprint, probes, index=kept,
                     meta={"generation": int(meta.get("generation", 0) or 0)} if isinstance(meta, dict) else None)
    vi._reopen = functools.partial(VectorIndex.open, settings, embedder)
    vi._opened_gen = int(meta.get("generation", 0) or 0) if isinstance(meta, dict) else 0
    if kept is not None:
        vi._apply_ef()
        stale = vi.ids() - set(archive.passage_items())
        if stale:
            vi.remove(stale)
    vi._dirty = True
    note = (f"Vektorindexet reparerades från arkivet ({reason}): {len(vi)} vektorer behölls, övriga passager "
            f"bäddas in igen. (The vector index was repaired from the archive: {len(vi)} vectors kept, "
            "the other passages are embedded again.)")
    return vi, [note]


def rebuild(archive: Archive, embedder: Embedder, settings: Settings, progress: bool = True) -> dict[str, Any]:
    """Rebuild passages and vectors (``radslag reindex``); returns counts.

    Returns:
        ``{"items", "passages", "vectors", "index_type", "model"}``.
    """
    vi = VectorIndex.rebuild(archive, embedder, settings, progress=progress)
    return {
        "items": archive.count("items"),
        "passages": archive.count("passages"),
        "vectors": len(vi),
        "index_type": vi.kind,
        "model": vi.model,
    }


# -- items -> passages ------------------------------------------------------------------------


def passage_budget(embedder: Embedder, settings: Settings) -> int:
    """Content tokens per passage: ``passage_tokens`` within the model limit."""
    return max(16, min(int(settings.passage_tokens), embedder.max_tokens - embedder.reserved_tokens))


def _item_passages(item: Item, doc_text: str | None, embedder: Embedder, settings: Settings) -> list[Passage]:
    """Split one item (title + "\\n" + text) with offsets into ``Document.text``.

    When the item's heading and body are a verbatim slice of the document at
    ``start``, offsets are exact. Otherwise (a heading rewritten by the
    segmenter) the body's position is looked up and passage offsets are mapped
    onto it; a passage containing the title then starts at the item start.
    """
    title, body, start = item.title or "", item.text or "", int(item.start)
    full = f"{title}\n{body}" if title else body
    budget = passage_budget(embedder, settings)
    if doc_text is None or doc_text[start : start + len(full)] == full:
        return split_item(item.id, full, start, embedder.tokenizer, budget, settings.passage_overlap)
    head = len(full) - len(body)
    body_at = doc_text.find(body, start) if body else -1
    parts = split_item(item.id, full, 0, embedder.tokenizer, budget, settings.passage_overlap)
    for p in parts:
        if body_at < 0:
            p.start, p.end = start, int(item.end)
            continue
        p.start = body_at + (p.start - head) if p.start >= head else start
        p.end = body_at + max(0, p.end - head)
    return parts


def build_passages(
    archive: Archive, embedder: Embedder, settings: Settings, item_ids: Sequence[int] | None = None
) -> list[int]:
    """Split items into passages and store them with ``archive.write_passages``.

    Items that already have passages are skipped, so the call is idempotent;
    delete an item's passages first to re-split it.

    Args:
        archive: The archive.
        embedder: Provides ``tokenizer``, ``max_tokens`` and ``reserved_tokens``.
        settings: ``passage_tokens`` and ``passage_overlap`` are used.
        item_ids: Items to split; default all items without passages.

    Returns:
        The new passage ids (the vector ids to embed).
    """
    if item_ids is not None and not item_ids:
        return []
    new_ids: list[int] = []
    doc_id, doc_text = None, None
    batch: list[Passage] = []
    for item in archive.items_needing_passages(item_ids):
        if item.document_id != doc_id:
            if batch:
                new_ids += archive.write_passages(batch)
                batch = []
            doc_id = item.document_id
            doc_text = archive.document_text(doc_id)
        batch.extend(_item_passages(item, doc_text, embedder, settings))
    if batch:
        new_ids += archive.write_passages(batch)
    return new_ids


def mean_by_item(items: np.ndarray, vecs: np.ndarray, rows: np.ndarray | None = None) -> dict[int, np.ndarray]:
    """Mean vector (L2-normalised) per item of passage vectors, each item's summed in passage order.

    Args:
        items: The item id of each passage, in passage order within an item.
        vecs: The vectors (``rows`` picks each passage's row; default: row i is passage i).
        rows: Row of ``vecs`` per passage; saves copying a large memory-mapped store.
    """
    items = np.asarray(items, np.int64)
    rows = np.arange(len(items)) if rows is None else np.asarray(rows)
    if not len(rows):
        return {}
    by_item = np.argsort(items, kind="stable")
    rows, items = rows[by_item], items[by_item]
    starts = np.flatnonzero(np.r_[True, items[1:] != items[:-1]])
    lengths = np.diff(np.r_[starts, len(items)])
    # the j-th passage of every item that has one, added in one vector step per j
    # (np.add.reduceat over rows took 11 s for 144k passages; an item has few passages)
    sums = np.array(vecs[rows[starts]], dtype=np.float32)  # a copy: a few unit vectors per sum
    for j in range(1, int(lengths.max())):
        more = np.flatnonzero(lengths > j)
        sums[more] += vecs[rows[starts[more] + j]]
    sums /= np.maximum(np.sqrt(np.einsum("ij,ij->i", sums, sums)), 1e-9)[:, None]
    return dict(zip(items[starts].tolist(), sums))
