"""Ranking formulas without a model: RRF, coverage weighting, BM25 column weights, hybrid fallback.

These run in the fast suite so that a change to a formula is caught there
(``python tests/tools/mutate.py`` shows it for each formula).
"""

from __future__ import annotations

import pytest

from index.search import fuse, keyword_coverage, keyword_ranking, rrf, search
from index.store import Archive
from radslag.config import load_settings
from radslag.types import AgendaItem, Document, MeetingMeta

FILLER = "Kommunens budget för nästa år diskuterades utan beslut och mötet avslutades."
COMMON = "Skolan och tunneln nämndes när budget för nästa år diskuterades."


def _archive(tmp_path, rows: list[tuple[str, str]]) -> tuple[Archive, list[int]]:
    arc = Archive(tmp_path / "a.sqlite")
    items = [AgendaItem(number=str(n), title=t, text=b, start=0, end=1) for n, (t, b) in enumerate(rows, 1)]
    mid, _, _ = arc.write_document(Document("m.txt", "x", "txt", "h"), MeetingMeta(kind="minutes"), items)
    return arc, arc.item_ids(mid)


def test_rrf_prefers_items_ranked_by_both():
    fused = rrf([[1, 2, 3], [3, 1, 4]])
    assert sorted(fused, key=fused.get, reverse=True) == [1, 3, 2, 4]
    assert fused[1] == pytest.approx(1 / 61 + 1 / 62)
    assert fused[4] == pytest.approx(1 / 63)


def test_rrf_weights_scale_one_list():
    fused = rrf([[1, 2], [2]], weights=[{1: 0.5}, {}])
    assert fused[1] == pytest.approx(0.5 / 61)
    assert fused[2] == pytest.approx(1 / 62 + 1 / 61)


def test_hybrid_fusion_weights_keyword_hits_by_coverage():
    keyword = [(10, 9.0), (11, 5.0)]
    dense = [(12, 0.9)]
    fused = fuse("hybrid", keyword, dense, {10: 0.25, 11: 1.0})
    assert fused[10] == pytest.approx(0.25 / 61) and fused[11] == pytest.approx(1 / 62)
    assert fused[12] == pytest.approx(1 / 61)
    assert sorted(fused, key=fused.get, reverse=True) == [12, 11, 10]
    assert fuse("keyword", keyword, [], None) == {10: 9.0, 11: 5.0}
    assert fuse("dense", [], dense, None) == {12: 0.9}


def test_keyword_coverage_is_the_share_of_query_terms(tmp_path):
    arc, (both, one, none) = _archive(tmp_path, [
        ("Klotter", "Klotter vid skolan ska saneras."),
        ("Övrigt", "Mer klotter i tunneln."),
        ("Budget", FILLER),
    ])
    try:
        assert keyword_coverage(arc, "klotter på skolan", [both, one, none]) == {both: 1.0, one: 0.5, none: 0.0}
    finally:
        arc.close()


def test_title_counts_twice_the_body(tmp_path):
    """BM25 weights (2, 1): one title hit beats one body hit but not two."""
    arc, (title, body_once, body_twice, *_) = _archive(tmp_path, [
        ("Klotter vid skolan", "Rektorn berättar om läget på skolan och om elevernas trivsel under hösten."),
        ("Övrigt", "Klotter på skolan har sanerats och fler ska anmälas till polisen snart."),
        ("Övrigt", "Mer klotter och klotter vid skolan."),
        *[(f"Punkt {n}", FILLER) for n in range(12)],
    ])
    try:
        assert [i for i, _ in keyword_ranking(arc, "klotter", 10, None)] == [body_twice, title, body_once]
    finally:
        arc.close()


def test_hybrid_without_vectors_says_so_and_still_weights_by_coverage(tmp_path):
    # "skolan" and "tunneln" are common, "klotter" rare: BM25 favours the item
    # that says "klotter" over and over but matches one term of three.
    arc, (p, full, *_) = _archive(tmp_path, [
        ("Klotter", "Klotter. " * 6),
        ("Övrigt", "Vi talade om klotter vid skolan och om belysningen i tunneln."),
        *[(f"Punkt {n}", COMMON) for n in range(8)],
    ])
    settings = load_settings(archive_dir=tmp_path / "no-index", embed=False, enrich=False)
    query = "klotter skolan tunneln"
    try:
        keyword = search(arc, query, settings=settings, k=5, mode="keyword")
        assert [h.item_id for h in keyword.hits][:2] == [p, full]  # BM25 alone prefers the one-term item
        hybrid = search(arc, query, settings=settings, k=10, mode="hybrid")
        assert hybrid.modes_used == ["keyword"]
        assert hybrid.notes and "Semantisk sökning kunde inte köras" in hybrid.notes[0]
        ranked = [h.item_id for h in hybrid.hits]
        assert ranked[0] == full and ranked.index(p) > ranked.index(full)  # coverage: all terms first
    finally:
        arc.close()
