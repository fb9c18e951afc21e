"""Work shared across concurrent searches: one encoder call for the queries that wait together, and a
cache of whole answers (:class:`ResultCache`) that the next write to the archive makes stale.

When many people search at once (the app answers several requests in
parallel, see :func:`radslag.serve.concurrency`), each search used to run its
own encoder call, and their onnxruntime thread pools fought over the same
cores. :func:`encode_query` instead hands the query to a :class:`QueryBatcher`
per embedder:

- when no encoder call is running, the query is encoded at once (no added
  latency for a lone user, unless a collection window is set);
- while one runs, arriving queries wait in a queue; when it ends, one of the
  waiting threads takes every queued query and encodes them in one call
  (batches form by themselves under load, as large as the load makes them);
- optionally, the thread that starts a call first waits ``window_ms``
  milliseconds for more queries (``RADSLAG_QUERY_BATCH_MS``; 0 by default,
  since under load batches form without waiting and alone a wait is pure
  latency).

Long queries are encoded in a call of their own (a batch is padded to its
longest member, so one 300-token query would make every short one cost 300
tokens). A query seen a moment ago is answered from a small cache of
vectors (:data:`VECTOR_CACHE`, per embedder).

Only the embedder's public :meth:`index.embeddings.Embedder.encode_queries`
is used. A query's vector from a batch is the one it gets alone (the ONNX
encoder, 25 queries of 1-300 characters: largest difference 0.0); one encoder
call for 8 queries costs 3.6-3.9 ms of CPU per query against 9 ms one by one
(2 cores, loaded). That saving is the fp32 encoders': the int8 default runs one
text per onnxruntime call (:data:`index.embeddings.INT8_BATCH`, so a vector
never depends on its batch), and there the batcher only keeps concurrent
searches from running encoder calls over each other.
"""

from __future__ import annotations

import os
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import numpy as np

#: Queries longer than this (characters) are encoded alone, not padded into a batch.
LONG_QUERY_CHARS = 200
#: Most queries in one encoder call.
MAX_BATCH = 32
#: Query vectors kept per embedder (the same query typed again, or a search's timeline asking again).
VECTOR_CACHE = 256


def window_ms() -> float:
    """Milliseconds a new encoder call waits for more queries (``RADSLAG_QUERY_BATCH_MS``, default 0)."""
    try:
        return max(0.0, min(50.0, float(os.environ.get("RADSLAG_QUERY_BATCH_MS", "0") or 0)))
    except ValueError:
        return 0.0


def batching_on() -> bool:
    """Whether queries are batched (``RADSLAG_QUERY_BATCH=0`` encodes each query alone, for A/B runs)."""
    return os.environ.get("RADSLAG_QUERY_BATCH", "1").strip().lower() not in ("0", "false", "no", "off")


class _Waiter:
    """One query waiting for its vector."""

    __slots__ = ("text", "vector", "error", "done", "promoted")

    def __init__(self, text: str):
        self.text = text
        self.promoted = False
        self.vector: np.ndarray | None = None
        self.error: BaseException | None = None
        self.done = threading.Event()


class QueryBatcher:
    """Encodes queries of concurrent callers in shared calls to ``embedder.encode_queries``.

    Args:
        embedder: Anything with ``encode_queries(texts) -> (n, dim) float32``.
        window_ms: Milliseconds the first query of a call waits for more
            (0: start at once; batches still form while a call runs).
        max_batch: Most queries per call.
        cache_size: Query vectors kept (0: none).

    Attributes:
        calls: Encoder calls made.
        encoded: Queries encoded (``encoded / calls`` is the mean batch size).
        cache_hits: Queries answered from the vector cache.
        largest: The largest batch so far.
    """

    def __init__(self, embedder: Any, window_ms: float = 0.0, max_batch: int = MAX_BATCH,
                 cache_size: int = VECTOR_CACHE):
        self.embedder = embedder
        self.window_s = max(0.0, float(window_ms)) / 1000.0
        self.max_batch = max(1, int(max_batch))
        self.cache_size = max(0, int(cache_size))
        self._lock = threading.Lock()
        self._queue: list[_Waiter] = []
        self._busy = False
        self._vectors = ResultCache(self.cache_size)  # the same LRU as whole answers, keyed by the text
        self.calls = 0
        self.encoded = 0
        self.cache_hits = 0
        self.largest = 0

    def encode(self, text: str) -> np.ndarray:
        """The query's vector, ``(1, dim)`` float32, as ``embedder.encode_queries([text])`` gives it.

        Raises:
            Whatever the encoder raised for the call this query was part of.
        """
        with self._lock:
            cached = self._vectors.get(text)
            if cached is not None:
                self.cache_hits += 1
                return cached.copy()
            if len(text) > LONG_QUERY_CHARS:
                waiter = None
            else:
                waiter = _Waiter(text)
                self._queue.append(waiter)
                lead = not self._busy
                if lead:
                    self._busy = True
        if waiter is None:  # long: alone, outside the batch (it would pad every short query)
            vec = self._call([text])
            self._remember([text], vec)
            return vec
        if not lead:
            waiter.done.wait()
            if not waiter.promoted:
                if waiter.error is not None:
                    raise waiter.error
                return waiter.vector  # type: ignore[return-value]
        elif self.window_s:
            time.sleep(self.window_s)
        self._lead_once()
        if waiter.error is not None:
            raise waiter.error
        return waiter.vector  # type: ignore[return-value]

    def _lead_once(self) -> None:
        """Encode the queued queries (this thread's own first) in one call, then hand the lead on.

        The next leader is the first query still queued: it is woken and runs the
        next call, so no caller keeps encoding other people's queries after its own.
        """
        with self._lock:
            batch, self._queue = self._queue[: self.max_batch], self._queue[self.max_batch :]
        texts = list(dict.fromkeys(w.text for w in batch))  # the same query twice is encoded once
        try:
            vecs = self._call(texts)
            rows = {text: vecs[i : i + 1] for i, text in enumerate(texts)}
            self._remember(texts, vecs)
            for w in batch:
                w.vector = rows[w.text].copy()
        except BaseException as exc:  # noqa: BLE001 - handed to every waiter of this batch
            for w in batch:
                w.error = exc
        with self._lock:
            if self._queue:
                nxt = self._queue[0]
                nxt.promoted = True
                nxt.done.set()
            else:
                self._busy = False
        for w in batch:
            w.promoted = False
            w.done.set()

    def _call(self, texts: Sequence[str]) -> np.ndarray:
        vecs = np.asarray(self.embedder.encode_queries(list(texts)), dtype=np.float32)
        with self._lock:
            self.calls += 1
            self.encoded += len(texts)
            self.largest = max(self.largest, len(texts))
        return vecs

    def _remember(self, texts: Sequence[str], vecs: np.ndarray) -> None:
        for i, text in enumerate(texts):
            self._vectors.put(text, vecs[i : i + 1].copy())

    def stats(self) -> dict[str, Any]:
        """Calls, queries encoded, mean and largest batch, vector cache hits."""
        with self._lock:
            return {"calls": self.calls, "encoded": self.encoded, "largest": self.largest,
                    "mean_batch": round(self.encoded / self.calls, 2) if self.calls else None,
                    "cache_hits": self.cache_hits}


_BATCHERS: "weakref.WeakKeyDictionary[Any, QueryBatcher]" = weakref.WeakKeyDictionary()
_BATCHERS_LOCK = threading.Lock()


def batcher_for(embedder: Any) -> QueryBatcher:
    """The batcher of ``embedder`` (one per loaded embedder; a reloaded model gets a new one)."""
    with _BATCHERS_LOCK:
        batcher = _BATCHERS.get(embedder)
        if batcher is None:
            batcher = _BATCHERS[embedder] = QueryBatcher(embedder, window_ms=window_ms())
        return batcher


def encode_query(embedder: Any, text: str) -> np.ndarray:
    """The vector of one search query, ``(1, dim)``: batched with concurrent searches (see the module doc).

    ``RADSLAG_QUERY_BATCH=0`` calls ``embedder.encode_queries([text])`` directly.
    """
    if not batching_on():
        return embedder.encode_queries([text])
    return batcher_for(embedder).encode(text)


def all_stats() -> list[dict[str, Any]]:
    """:meth:`QueryBatcher.stats` of every live batcher (for benches and the log)."""
    with _BATCHERS_LOCK:
        return [b.stats() for b in list(_BATCHERS.values())]


# -- results of whole searches ---------------------------------------------------------


def cache_on() -> bool:
    """Whether repeated searches are answered from caches (``RADSLAG_SEARCH_CACHE=0``: never, for A/B runs).

    Turns off both :class:`ResultCache` and the query vector cache of :class:`QueryBatcher`.
    """
    return os.environ.get("RADSLAG_SEARCH_CACHE", "1").strip().lower() not in ("0", "false", "no", "off")


def _file_state(path: Any) -> tuple | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _wal_header(path: str) -> bytes | None:
    """The write-ahead log's header: its salts change whenever SQLite starts the log anew (a reset log
    may keep its size, and a file time may not tick between two writes)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(32)
    except OSError:
        return None


def archive_version(db_path: Any, index_dir: Any = None) -> tuple:
    """What changes with every write to the archive: (mtime, size, inode) of the database, its
    write-ahead log (and the log's header) and the vector index's manifest.

    Taken before a search runs, so a write during the search makes its cached
    answer stale at the next look-up. An ingest in another process counts too.
    """
    wal = _file_state(f"{db_path}-wal")
    if wal is not None and wal[1] == 0:
        wal = None  # an empty log holds nothing: the same state as none (opening a connection creates one)
    state = [_file_state(db_path), wal, _wal_header(f"{db_path}-wal") if wal else None]
    if index_dir is not None:
        from pathlib import Path

        state.append(_file_state(Path(index_dir) / "vectors.json"))
    return tuple(state)


def normalise_query(query: Any) -> str:
    """The query as a cache key: leading and trailing white space dropped (the search ignores it)."""
    return str(query or "").strip()


class ResultCache:
    """A small LRU cache of search answers, keyed by the caller (query, filters, mode, k, archive version).

    The archive version in the key (:func:`archive_version`) invalidates every
    entry at the next ingest; old versions simply age out.

    Args:
        size: Most answers kept.

    Attributes:
        hits: Look-ups answered from the cache.
        misses: Look-ups that were not.
        shared: Misses answered by another caller's computation of the same key.
    """

    def __init__(self, size: int = 128):
        self.size = max(0, int(size))
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._running: dict[tuple, threading.Event] = {}
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        self.shared = 0

    def get(self, key: Hashable) -> Any:
        """The answer stored under ``key``, or None (counted as a miss); always None when caching is off."""
        if not self.size or not cache_on():
            return None
        with self._lock:
            value = self._data.get(key)
            if value is None:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: Hashable, value: Any) -> None:
        """Store ``value`` under ``key`` (the least recently used answer goes when full)."""
        if not self.size or not cache_on() or value is None:
            return
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def get_or_compute(self, key: tuple, compute: Callable[[], Any], keep: Callable[[Any], bool] = bool,
                       usable: Callable[[Any], bool] = bool, wait_s: float = 120.0) -> Any:
        """The answer under ``key``; else ``compute()`` it once for every caller asking at the same time.

        Concurrent callers with the same key (many people running the same
        search just after an ingest made the cache stale) wait for the first
        one's answer instead of each computing it.

        Args:
            key: The cache key.
            compute: Makes the answer.
            keep: Whether an answer may be stored (e.g. not an error).
            usable: Whether a stored answer can still be given (e.g. its files still exist).
            wait_s: Most seconds a caller waits for another's answer before computing its own.
        """
        if not self.size or not cache_on():
            return compute()
        with self._lock:
            value = self._data.get(key)
            if value is not None and usable(value):
                self._data.move_to_end(key)
                self.hits += 1
                return value
            self.misses += 1
            running = self._running.get(key)
            if running is None:
                running = self._running[key] = threading.Event()
                lead = True
            else:
                lead = False
        if not lead:
            running.wait(wait_s)
            with self._lock:
                value = self._data.get(key)
            if value is not None and usable(value):
                with self._lock:
                    self.shared += 1
                return value
            return compute()
        try:
            value = compute()
            if value is not None and keep(value):
                self.put(key, value)
            return value
        finally:
            with self._lock:
                self._running.pop(key, None)
            running.set()

    def clear(self) -> None:
        """Forget every answer."""
        with self._lock:
            self._data.clear()

    def stats(self) -> dict[str, int]:
        """Hits, misses and answers kept."""
        with self._lock:
            return {"hits": self.hits, "misses": self.misses, "shared": self.shared, "kept": len(self._data)}
