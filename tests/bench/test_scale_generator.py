"""The synthetic scale archive (tests/tools/make_scale.py): counts and planted ground truth."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

import make_scale  # noqa: E402

from index.keyword import match_query  # noqa: E402
from index.store import Archive  # noqa: E402


@pytest.fixture(scope="module")
def scale(tmp_path_factory):
    archive = Archive(tmp_path_factory.mktemp("scale") / "a.sqlite")
    report = make_scale.generate(archive, 1300, seed=3, batch=50)
    yield archive, report
    archive.close()


def test_counts_match_the_archive(scale):
    archive, rep = scale
    assert rep.meetings == round(1300 / 6.0)
    assert archive.count("meetings") == rep.meetings
    assert archive.count("items") == rep.items
    assert archive.count("passages") == rep.passages == len(rep.passage_clusters)
    assert 1000 <= rep.items <= 1600  # 2 procedural + 3-5 + a planted item every third meeting
    # every council got its share of the meetings
    per_council = Counter((m.municipality, m.body) for m in archive.meetings())
    assert len(per_council) == len(make_scale.councils())
    assert max(per_council.values()) - min(per_council.values()) <= 1


def test_planted_items_are_exactly_what_keyword_search_finds(scale):
    archive, rep = scale
    # every council's first meeting (k = 0) carries its issue
    assert len(rep.planted) == len(make_scale.councils())
    truth: dict[str, set[int]] = {}
    for p in rep.planted:
        truth.setdefault(p.marker, set()).add(p.item_id)
        item = archive.item(p.item_id)
        assert p.marker in item.text
        assert item.number == p.number
    assert set(truth) == {m for m, _, _ in make_scale.ISSUES}
    for marker, ids in truth.items():
        assert archive.keyword_matches(match_query(marker)) == ids, marker


def test_keyword_analysis_is_recorded_as_current(scale):
    archive, _ = scale
    assert archive.refresh_keyword_index() == 0  # a first ingest into the archive re-analyses nothing


def test_planted_issue_follows_its_council(scale):
    archive, rep = scale
    pairs = make_scale.councils()
    for p in rep.planted:
        issue = make_scale.ISSUES[make_scale.issue_of(pairs.index((p.municipality, p.body)))]
        assert issue[0] == p.marker


def test_passages_point_into_the_document(scale):
    archive, _ = scale
    texts: dict[int, str] = {}
    items = {it.id: it for it in archive.items()}
    for p in archive.passages()[:300]:
        doc_id = items[p.item_id].document_id
        doc = texts.setdefault(doc_id, archive.document_text(doc_id))
        body = p.text.split("\n", 1)[1] if p.ordinal == 0 else p.text
        assert doc[p.start:p.end].endswith(body)
        assert doc[p.start:p.end].startswith(p.text.split("\n", 1)[0])


def test_clustered_vectors_are_unit_and_clustered(scale):
    _, rep = scale
    pids = sorted(rep.passage_clusters)[:400]
    cl = np.array([rep.passage_clusters[p] for p in pids])
    vecs = make_scale.clustered_vectors(cl)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    centres = make_scale.cluster_centres()
    own = np.einsum("ij,ij->i", vecs, centres[cl])
    other = vecs @ centres[(cl + 1) % len(centres)].T
    assert own.min() > 0.7 and np.abs(np.diag(other)).max() < 0.4
    planted = np.array([c for c in rep.passage_clusters.values() if c < len(make_scale.ISSUES)])
    assert len(planted), "planted passages carry their issue's cluster"
    # one issue's vectors sit above index.threads' e5 link threshold (0.94), so they can thread
    pv = make_scale.clustered_vectors(planted[planted == planted[0]][:20])
    sims = pv @ pv.T
    assert sims[np.triu_indices(len(pv), 1)].min() > 0.94


def test_bulk_path_writes_the_same_rows(tmp_path):
    rows = {}
    for bulk in (False, True):
        with Archive(tmp_path / f"{bulk}.sqlite") as archive:
            rep = make_scale.generate(archive, 400, seed=4, batch=30, bulk=bulk)
            c = archive._conn
            rows[bulk] = {
                "documents": c.execute("SELECT id, source, content_hash, size, reader, kind, text, pages, front_matter,"
                                       " warnings FROM documents ORDER BY id").fetchall(),
                "meetings": c.execute("SELECT * FROM meetings ORDER BY id").fetchall(),
                "items": c.execute("SELECT * FROM items ORDER BY id").fetchall(),
                "fts": c.execute("SELECT rowid, title, body FROM items_fts ORDER BY rowid").fetchall(),
                "passages": c.execute("SELECT * FROM passages ORDER BY id").fetchall(),
                "planted": [(p.marker, p.item_id) for p in rep.planted],
            }
            rows[bulk] = {k: [tuple(r) for r in v] for k, v in rows[bulk].items()}
    for table in rows[False]:
        assert rows[True][table] == rows[False][table], table
    assert len(rows[True]["items"]) > 300


def test_bulk_path_never_replaces(tmp_path):
    with Archive(tmp_path / "a.sqlite") as archive:
        entry = next(make_scale.meetings(1, seed=1))
        archive.write_new_documents([entry[:3]])
        with pytest.raises(ValueError):
            archive.write_new_documents([entry[:3]])


def test_large_archives_get_more_municipalities():
    assert make_scale.n_municipalities(round(100_000 / 6)) == len(make_scale.MUNICIPALITIES)
    n = make_scale.n_municipalities(round(1_000_000 / 6))
    assert 250 <= n <= 290
    names = make_scale.municipalities(n)
    assert names[:len(make_scale.MUNICIPALITIES)] == make_scale.MUNICIPALITIES and len(set(names)) == n
    pairs = make_scale.councils(n)
    assert pairs.index(("Arboga", "Trygghetsrådet")) == make_scale.councils().index(("Arboga", "Trygghetsrådet"))
