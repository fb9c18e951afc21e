"""Hybrid fusion and the hit presentation's batched reads, without a model (fast suite)."""

from __future__ import annotations

import pytest

from index import fusion
from index import search as S
from index.store import Archive
from radslag.types import AgendaItem, Document, MeetingMeta, Passage


@pytest.fixture
def archive(tmp_path):
    """One meeting of three items; the first two have two passages each, the third none."""
    arc = Archive(tmp_path / "a.sqlite")
    rows = [("Klotter", "Vi talade om klotter. Skolan saneras."), ("Belysning", "Tunneln får ny belysning."),
            ("Övrigt", "Inget mer.")]
    items = [AgendaItem(number=str(n), title=t, text=b, start=0, end=len(b)) for n, (t, b) in enumerate(rows, 1)]
    mid, _, _ = arc.write_document(Document("m.txt", "x", "txt", "h"), MeetingMeta(kind="minutes"), items)
    ids = arc.item_ids(mid)
    arc.write_passages([Passage(ids[0], 0, "Vi talade om budget.", 0, 20), Passage(ids[0], 1, "Klotter vid skolan.", 20, 40),
                        Passage(ids[1], 0, "Tunneln.", 0, 8), Passage(ids[1], 1, "Ny belysning i tunneln.", 8, 30)])
    yield arc, ids
    arc.close()


def test_items_passages_reads_every_hits_passages_in_order(archive):
    arc, ids = archive
    got = arc.items_passages([ids[1], ids[0], ids[2]])
    assert set(got) == {ids[0], ids[1]}  # an item without passages is absent
    assert [p.text for p in got[ids[0]]] == ["Vi talade om budget.", "Klotter vid skolan."]
    assert [p.ordinal for p in got[ids[1]]] == [0, 1]
    assert got[ids[0]] == arc.item_passages(ids[0])
    assert arc.items_passages([]) == {}


def test_best_snippet_from_prefetched_passages_equals_its_own_read(archive):
    arc, ids = archive
    item = arc.items(item_ids=[ids[0]])[0]
    own = S.best_snippet(arc, item, "klotter skolan")
    given = S.best_snippet(arc, item, "klotter skolan", passages=arc.items_passages([ids[0]])[ids[0]])
    assert own == given and "Klotter vid skolan" in own[0] and own[1] == 20


def _order(scores: dict[int, float]) -> list[int]:
    return sorted(scores, key=lambda i: -scores[i])


def test_keyword_agreement_lifts_a_close_dense_candidate_but_not_over_a_clear_margin():
    kw, cov = [(2, 3.0)], {2: 1.0}
    # the top items of a query lie hundredths apart on the cosine scale: agreement decides ...
    assert _order(S.fuse("hybrid", kw, [(1, 0.86), (2, 0.85)], cov)) == [2, 1]
    # ... but not against a clear dense margin
    assert _order(S.fuse("hybrid", kw, [(1, 0.90), (2, 0.85)], cov)) == [1, 2]
    fused = S.fuse("hybrid", kw, [(1, 0.86), (2, 0.85)], cov)
    assert fused[2] == pytest.approx(0.85 + S.KEYWORD_WEIGHT) and fused[1] == pytest.approx(0.86)


def test_keyword_evidence_is_the_share_of_query_terms_matched():
    dense = [(1, 0.86), (2, 0.85)]
    # one term of four matched, beside a candidate matching half: a quarter of the weight, not enough to pass item 1
    part = S.fuse("hybrid", [(2, 9.0), (5, 1.0)], dense, {2: 0.25, 5: 0.5})
    assert part[2] == pytest.approx(0.85 + S.KEYWORD_WEIGHT * 0.25) and _order(part).index(1) < _order(part).index(2)
    # of two keyword-only items, the one matching more of the query wins over a higher BM25
    both = S.fuse("hybrid", [(3, 9.0), (4, 2.0)], dense, {3: 0.5, 4: 1.0})
    assert both[4] > both[3] and _order(both) == [4, 3, 1, 2]
    # at equal share BM25 orders them, by BM25_SHARE of the weight
    tie = S.fuse("hybrid", [(3, 9.0), (4, 3.0)], dense, {3: 1.0, 4: 1.0})
    assert tie[3] - tie[4] == pytest.approx(S.KEYWORD_WEIGHT * S.BM25_SHARE * (1 - 3 / 9))


def test_keyword_evidence_reorders_dense_candidates_only_when_some_candidate_meets_the_gate():
    dense = [(1, 0.86), (2, 0.85), (3, 0.80)]
    gate = fusion.QUERY_COVERAGE_GATE
    # the best candidate matches less than the gate's share: a paraphrase; the dense ranking stands ...
    below = S.fuse("hybrid", [(2, 9.0), (6, 5.0)], dense, {2: gate - 0.01, 6: gate - 0.01})
    assert below[2] == pytest.approx(0.85) and _order(below) == [1, 2, 6, 3]
    # ... and a keyword-only candidate still joins from the lowest dense score
    assert below[6] == pytest.approx(0.80 + S.KEYWORD_WEIGHT * (gate - 0.01) * (1 - S.BM25_SHARE * (1 - 5 / 9)))
    # at the gate's share the evidence counts
    at = S.fuse("hybrid", [(2, 9.0)], dense, {2: gate})
    assert at[2] == pytest.approx(0.85 + S.KEYWORD_WEIGHT * gate) and _order(at)[0] == 2
    # an item named by its case number opens the gate
    named = fusion.fuse([(2, 9.0)], dense, fusion.KeywordEvidence(coverage={2: 0.25, 3: 1.0}, title={3: 1.0},
                                                                  named={3}))
    assert named[2] == pytest.approx(0.85 + S.KEYWORD_WEIGHT * 0.25) and _order(named)[0] == 3
    assert fusion.QUERY_COVERAGE_GATE == S.COVERAGE_CUTOFF  # the share at which the keyword side vouches


def test_keyword_only_items_start_from_the_lowest_dense_score_or_zero():
    fused = S.fuse("hybrid", [(5, 4.0)], [(1, 0.9), (2, 0.8)], {5: 1.0})
    assert fused[5] == pytest.approx(0.8 + S.KEYWORD_WEIGHT) and _order(fused) == [1, 5, 2]
    alone = S.fuse("hybrid", [(5, 4.0), (6, 2.0)], [], {5: 0.5, 6: 1.0})  # dense side did not run
    assert alone[6] == pytest.approx(S.KEYWORD_WEIGHT * (1 - S.BM25_SHARE / 2)) and _order(alone) == [6, 5]
    assert S.fuse("hybrid", [], [(1, 0.9)], {}) == {1: 0.9}
    assert S.fuse("keyword", [(5, 4.0)], [], None) == {5: 4.0} and S.fuse("dense", [], [(1, 0.9)], None) == {1: 0.9}


# -- the product's hybrid mode uses index.fusion's evidence ----------------------


class _FakeDense:
    """A dense side without a model: fixed ``(item_id, score)`` list, cosine = score."""

    def __init__(self, ranked):
        self.ranked = ranked

    def ranking(self, archive, query, limit, allowed):
        ranked = [(i, s) for i, s in self.ranked if allowed is None or i in allowed][:limit]
        return ranked, {}, dict(ranked)


@pytest.fixture
def titled(tmp_path, monkeypatch):
    """Items: a case-numbered report, one titled "Klotter", one mentioning klotter in passing, fillers."""
    from radslag.config import load_settings

    arc = Archive(tmp_path / "t.sqlite")
    rows = [("Delårsrapport 2025", "Nämnden godkänner rapporten.", "KS-2025-00620"),
            ("Klotter vid skolan", "Fastigheten saneras.", None),
            ("Övrigt", "Klotter vid skolan nämndes, klotter igen, och budgeten.", None),
            *[(f"Punkt {n}", "Budgeten för nästa år diskuterades.", None) for n in range(4)]]
    items = [AgendaItem(number=str(n), title=t, text=b, start=0, end=len(b), dnr=d)
             for n, (t, b, d) in enumerate(rows, 1)]
    mid, _, _ = arc.write_document(Document("m.txt", "x", "txt", "h"), MeetingMeta(kind="minutes"), items)
    ids = arc.item_ids(mid)
    settings = load_settings(archive_dir=tmp_path / "no-index", embed=False, enrich=False)
    fake = _FakeDense([(ids[2], 0.84), (ids[1], 0.83), (ids[0], 0.80), *[(i, 0.79) for i in ids[3:]]])
    monkeypatch.setattr(S.DenseSearcher, "get", classmethod(lambda cls, s: fake))
    yield arc, ids, settings
    arc.close()


def test_hybrid_search_lifts_the_item_titled_with_the_query(titled):
    arc, (report, title, passing, *_), settings = titled
    got = S.search(arc, "klotter skolan", settings=settings, mode="hybrid", cutoff=False)
    assert got.modes_used == ["keyword", "dense"]
    ranked = [h.item_id for h in got.hits]
    assert ranked[:2] == [title, passing]  # dense put the mention in passing a hundredth ahead
    w, t = S.KEYWORD_WEIGHT, fusion.TITLE_WEIGHT
    # both match every query term; only the first has them in its title (BM25 orders within BM25_SHARE)
    assert 0.83 + w * (1 - S.BM25_SHARE + t) <= got.hits[0].score <= 0.83 + w * (1 + t) + 1e-6
    assert 0.84 + w * (1 - S.BM25_SHARE) <= got.hits[1].score <= 0.84 + w + 1e-6


def test_hybrid_search_finds_the_item_named_by_its_case_number_and_keeps_it_past_the_cutoff(titled):
    arc, (report, *_), settings = titled
    got = S.search(arc, "Dnr KS-2025-00620", settings=settings, mode="hybrid")
    assert [h.item_id for h in got.hits] == [report]  # cosine 0.80 < DENSE_CUTOFF; the case number vouches
    assert got.hits[0].score == pytest.approx(0.80 + S.KEYWORD_WEIGHT * (1 - S.BM25_SHARE + 1.0))
    dense = S.search(arc, "Dnr KS-2025-00620", settings=settings, mode="dense")
    assert dense.hits == []  # the dense side alone: below the cutoff
