"""Sharing work among concurrent searches: query embeddings in shared encoder calls, repeated searches cached."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from index.query_batch import QueryBatcher, ResultCache, archive_version, encode_query, normalise_query


class SlowEmbedder:
    """Encodes text as a vector of its character codes, slowly, counting calls (no model)."""

    def __init__(self, delay: float = 0.05, fail_on: str | None = None):
        self.delay = delay
        self.fail_on = fail_on
        self.calls: list[list[str]] = []
        self.lock = threading.Lock()

    def encode_queries(self, texts):
        with self.lock:
            self.calls.append(list(texts))
        time.sleep(self.delay)
        if self.fail_on is not None and self.fail_on in texts:
            raise ValueError("encoder broke")
        return np.array([[float(len(t)), float(sum(map(ord, t)) % 997), 1.0] for t in texts], dtype=np.float32)


def alone(text: str) -> np.ndarray:
    return SlowEmbedder(0).encode_queries([text])


def _concurrently(batcher: QueryBatcher, texts: list[str]) -> dict[str, object]:
    out: dict[str, object] = {}
    barrier = threading.Barrier(len(texts))

    def one(text: str) -> None:
        barrier.wait()
        try:
            out[text] = batcher.encode(text)
        except Exception as exc:  # noqa: BLE001 - the test looks at it
            out[text] = exc

    threads = [threading.Thread(target=one, args=(t,)) for t in texts]
    for th in threads:
        th.start()
    for th in threads:
        th.join(10)
    return out


def test_concurrent_queries_share_encoder_calls_and_get_their_own_vectors():
    emb = SlowEmbedder()
    batcher = QueryBatcher(emb, cache_size=0)
    texts = [f"fråga nummer {i}" for i in range(12)]
    out = _concurrently(batcher, texts)
    for text in texts:
        assert out[text].shape == (1, 3)
        np.testing.assert_array_equal(out[text], alone(text))
    assert sum(len(c) for c in emb.calls) == len(texts)
    assert len(emb.calls) < len(texts)  # some queries waited for a call and went in the next one together
    assert batcher.stats()["largest"] > 1


def test_a_lone_query_is_encoded_at_once_by_itself():
    emb = SlowEmbedder(0)
    batcher = QueryBatcher(emb, cache_size=0)
    np.testing.assert_array_equal(batcher.encode("klotter"), alone("klotter"))
    assert emb.calls == [["klotter"]]


def test_a_long_query_is_not_padded_into_a_batch():
    emb = SlowEmbedder()
    batcher = QueryBatcher(emb, cache_size=0)
    long = "brott " * 100
    texts = [long] + [f"kort {i}" for i in range(6)]
    out = _concurrently(batcher, texts)
    np.testing.assert_array_equal(out[long], alone(long))
    assert [long] in emb.calls and all(long not in c or len(c) == 1 for c in emb.calls)


def test_an_encoder_error_reaches_every_caller_of_its_call_and_later_calls_still_work():
    emb = SlowEmbedder(fail_on="trasig")
    batcher = QueryBatcher(emb, cache_size=0)
    out = _concurrently(batcher, ["trasig"] + [f"hel {i}" for i in range(5)])
    assert isinstance(out["trasig"], ValueError)
    failed_with = [c for c in emb.calls if "trasig" in c][0]
    for text in failed_with:
        assert isinstance(out[text], ValueError)
    np.testing.assert_array_equal(batcher.encode("efteråt"), alone("efteråt"))


def test_vector_cache_and_switches(monkeypatch):
    emb = SlowEmbedder(0)
    batcher = QueryBatcher(emb, cache_size=4)
    first = batcher.encode("klotter")
    again = batcher.encode("klotter")
    np.testing.assert_array_equal(first, again)
    assert len(emb.calls) == 1 and batcher.stats()["cache_hits"] == 1
    monkeypatch.setenv("RADSLAG_SEARCH_CACHE", "0")
    batcher.encode("klotter")
    assert len(emb.calls) == 2  # cache off: encoded again
    monkeypatch.setenv("RADSLAG_QUERY_BATCH", "0")
    encode_query(emb, "direkt")
    assert emb.calls[-1] == ["direkt"]


def test_result_cache_is_keyed_by_archive_version(tmp_path, monkeypatch):
    db = tmp_path / "arkiv.db"
    db.write_bytes(b"x")
    cache = ResultCache(2)
    key = ("klotter", "hybrid", archive_version(db, tmp_path))
    assert cache.get(key) is None
    cache.put(key, "svar")
    assert cache.get(key) == "svar"
    db.write_bytes(b"xy")  # a write (an ingest) changes the version: the old answer is not found
    assert cache.get(("klotter", "hybrid", archive_version(db, tmp_path))) is None
    cache.put(("a",), 1)
    cache.put(("b",), 2)
    assert cache.get(key) is None  # least recently used went first (size 2)
    monkeypatch.setenv("RADSLAG_SEARCH_CACHE", "off")
    assert cache.get(("b",)) is None
    assert normalise_query("  klotter ") == "klotter"


def test_search_tab_answers_a_repeated_search_from_the_cache_until_the_archive_changes(tmp_settings, monkeypatch):
    """The same search twice runs once; a write to the archive (as an ingest makes) makes it run again."""
    import app.tabs.search as tab
    from index.store import Archive
    from radslag.filters import ALL
    from tests.app.test_handlers import _archive

    _archive(tmp_settings)
    calls = []
    real = tab.search

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(tab, "search", counted)
    args = ("klotter", "keyword", ALL, ALL, ALL, ALL, "", "", "relevance")
    first = tab.run_search(tmp_settings, *args)
    folder = Path(first[3]).parent
    os.utime(folder, (1_000_000_000, 1_000_000_000))  # as if the answer's downloads were about to be swept
    second = tab.run_search(tmp_settings, "  klotter ", *args[1:])
    assert len(calls) == 1 and second[0] == first[0] and second[1] == first[1]
    assert second[3] == first[3] and folder.stat().st_mtime > time.time() - 60  # handed out again: kept longer
    with Archive(tmp_settings.db_path) as arc:
        arc.set_setting("x-probe", "ändrad")
    tab.run_search(tmp_settings, *args)
    assert len(calls) == 2
    monkeypatch.setenv("RADSLAG_SEARCH_CACHE", "0")
    tab.run_search(tmp_settings, *args)
    assert len(calls) == 3


@pytest.mark.slow
def test_real_encoder_gives_a_batched_query_the_vector_it_gives_it_alone():
    from index.embeddings import load_embedder
    from radslag.config import load_settings

    embedder = load_embedder(load_settings())
    texts = ["klotter", "motorburen ungdom", "ungdomar som kör epa-traktor och spelar hög musik",
             "belysning i parken", "narkotika i centrum", "trygghetsvandring"]
    out = _concurrently(QueryBatcher(embedder, cache_size=0), texts)
    for text in texts:
        np.testing.assert_allclose(out[text], embedder.encode_queries([text]), atol=1e-5)


def test_archive_version_sees_a_log_started_anew_at_the_same_size_and_time(tmp_path):
    import os

    db = tmp_path / "arkiv.db"
    db.write_bytes(b"x")
    wal = tmp_path / "arkiv.db-wal"
    wal.write_bytes(b"A" * 32 + b"frames" * 10)
    before = archive_version(db)
    st = wal.stat()
    with open(wal, "r+b") as fh:  # SQLite restarting the log: a new header over the old file, same size
        fh.write(b"B" * 32)
    os.utime(wal, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert wal.stat().st_size == st.st_size and wal.stat().st_mtime_ns == st.st_mtime_ns
    assert archive_version(db) != before


def test_archive_version_is_the_same_with_no_log_and_an_empty_one(tmp_path):
    """Opening a connection creates an empty log; that changes nothing, so an app that keeps its connections
    open does not make the answer before the first open stale. A log with frames does."""
    db = tmp_path / "arkiv.db"
    db.write_bytes(b"x")
    before = archive_version(db)
    wal = tmp_path / "arkiv.db-wal"
    wal.write_bytes(b"")
    assert archive_version(db) == before
    wal.write_bytes(b"A" * 32 + b"frames")
    assert archive_version(db) != before


def test_the_same_search_asked_at_once_is_computed_once():
    cache = ResultCache(8)
    calls = []
    barrier = threading.Barrier(6)
    answers = []

    def compute():
        calls.append(1)
        time.sleep(0.2)
        return ("svar",)

    def one():
        barrier.wait()
        answers.append(cache.get_or_compute(("klotter",), compute))

    threads = [threading.Thread(target=one) for _ in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(10)
    assert answers == [("svar",)] * 6 and len(calls) == 1 and cache.stats()["shared"] == 5
    assert cache.get_or_compute(("klotter",), compute) == ("svar",) and len(calls) == 1
    # an answer that can no longer be given (its files swept) is computed again; one not to keep is not kept
    assert cache.get_or_compute(("klotter",), compute, usable=lambda a: False) == ("svar",) and len(calls) == 2
    cache.get_or_compute(("fel",), compute, keep=lambda a: False)
    cache.get_or_compute(("fel",), compute, keep=lambda a: False)
    assert len(calls) == 4
