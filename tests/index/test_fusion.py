"""Hybrid fusion's rule and its keyword evidence (index.fusion), without a model (fast suite)."""

from __future__ import annotations

import pytest

from index import fusion as F
from index.store import Archive
from radslag.types import AgendaItem, Document, MeetingMeta


@pytest.fixture
def archive(tmp_path):
    """One meeting: an item titled "Klotter", one mentioning klotter in its text, one with a case number."""
    arc = Archive(tmp_path / "a.sqlite")
    rows = [("Klotter på skolan", "Skolan saneras.", None),
            ("Övrigt", "Vi talade om klotter och skolan.", None),
            ("Delårsrapport 2025", "Nämnden godkänner rapporten.", "KS-2025-00620, KS-2025-00014")]
    items = [AgendaItem(number=str(n), title=t, text=b, start=0, end=len(b), dnr=d)
             for n, (t, b, d) in enumerate(rows, 1)]
    mid, _, _ = arc.write_document(Document("m.txt", "x", "txt", "h"), MeetingMeta(kind="minutes"), items)
    yield arc, arc.item_ids(mid)
    arc.close()


def _order(scores: dict[int, float]) -> list[int]:
    return sorted(scores, key=lambda i: -scores[i])


@pytest.mark.parametrize("query, want", [
    ("Dnr KS-2025-00620", [("KS", 2025, 620)]),
    ("ks 2025/620", [("KS", 2025, 620)]),
    ("diarienummer 2021.123", [("", 2021, 123)]),
    ("BN-2023-00211 och FG-2025-00614", [("BN", 2023, 211), ("FG", 2025, 614)]),
    ("möte 2021-09-15", []),  # a date, not a case number
    ("§ 218 taxa för avfall", []),
    ("budget 2025", []),
    ("RV250312", [("RV", 2025, 312)]),  # compact: a code glued to year and serial
    ("diarienummer rv250312", [("RV", 2025, 312)]),
    ("KS20250019", [("KS", 2025, 19)]),
    ("HSN/462/2025", [("HSN", 2025, 462)]),  # the serial before the year
    ("RS-LED24-0712", [("RSLED", 2024, 712)]),  # a code glued to a two-digit year
    ("ring 0701234567", []),  # a phone number has no code
    ("iso14001", []),
])
def test_case_numbers_in_a_query(query, want):
    assert F.query_case_numbers(query) == want


def test_named_items_match_the_case_number_however_written(archive):
    arc, ids = archive
    assert F.named_items(arc, "Dnr KS-2025-00620", ids) == {ids[2]}
    assert F.named_items(arc, "KS 2025/14", ids) == {ids[2]}  # the second number of the field
    assert F.named_items(arc, "2025-00620", ids) == {ids[2]}  # no registry letters: any registry
    assert F.named_items(arc, "BN-2025-00620", ids) == set()  # another registry's case
    assert F.named_items(arc, "KS-2024-00620", ids) == set()
    assert F.named_items(arc, "KS-2025-00620", ids[:2]) == set()  # only among the candidates
    assert F.named_items(arc, "klotter", ids) == set()


def test_title_coverage_is_the_share_of_query_terms_in_the_title(archive):
    arc, ids = archive
    title = F.title_coverage(arc, "klotter skolan", ids)
    assert title == {ids[0]: 1.0}  # the second item has both words in its text only
    assert F.title_coverage(arc, "klotter kameror", ids) == {ids[0]: 0.5}
    assert F.title_coverage(arc, "klotter", []) == {}


def test_keyword_evidence_counts_a_named_item_as_a_full_match_in_its_title(archive):
    arc, ids = archive
    ev = F.keyword_evidence(arc, "Dnr KS-2025-00620", [], [(ids[2], 0.8), (ids[0], 0.82)], {})
    assert ev.named == {ids[2]} and ev.coverage == {ids[2]: 1.0} and ev.title == {ids[2]: 1.0}
    ev = F.keyword_evidence(arc, "klotter skolan", [(ids[1], 3.0), (ids[0], 2.0)], [], {ids[0]: 1.0, ids[1]: 1.0})
    assert ev.named == set() and ev.title == {ids[0]: 1.0} and ev.coverage == {ids[0]: 1.0, ids[1]: 1.0}


def test_a_named_item_is_found_in_the_whole_archive_within_the_filter(archive):
    arc, ids = archive
    # neither side ranked it (no candidates at all): the case-number index finds it
    assert F.named_in_archive(arc, "Dnr KS-2025-00620") == {ids[2]}
    assert F.named_in_archive(arc, "ks 2025/14") == {ids[2]}  # the second number of the field
    assert F.named_in_archive(arc, "KS-2025-00621") == set() and F.named_in_archive(arc, "BN-2025-00620") == set()
    assert F.named_in_archive(arc, "klotter") == set()
    assert F.named_in_archive(arc, "KS-2025-00620", allowed=frozenset(ids[:2])) == set()  # the filter holds
    ev = F.keyword_evidence(arc, "KS-2025-00620", [], [], {}, everywhere=True)
    assert ev.named == {ids[2]} and list(F.fuse([], [], ev)) == [ids[2]]  # fused though no side found it
    assert F.keyword_evidence(arc, "KS-2025-00620", [], [], {}).named == set()  # candidates only by default


def test_fuse_formula():
    kw = [(1, 8.0), (2, 4.0), (3, 2.0)]
    dense = [(1, 0.85), (2, 0.86), (4, 0.87)]
    ev = F.KeywordEvidence(coverage={1: 1.0, 2: 0.5, 3: 1.0}, title={2: 0.5})
    got = F.fuse(kw, dense, ev)
    w, s, t = F.KEYWORD_WEIGHT, F.BM25_SHARE, F.TITLE_WEIGHT
    assert got[1] == pytest.approx(0.85 + w * 1.0)
    assert got[2] == pytest.approx(0.86 + w * (0.5 * (1 - s + s * 4 / 8) + t * 0.5))
    assert got[3] == pytest.approx(0.85 + w * (1 - s + s * 2 / 8))  # keyword-only: from the lowest dense score
    assert got[4] == pytest.approx(0.87)


def test_a_title_match_lifts_an_item_over_a_mention_in_passing():
    kw = [(1, 5.0), (2, 5.0)]
    dense = [(1, 0.86), (2, 0.85)]  # the item mentioning the words is a hundredth ahead on the dense side
    both = F.fuse(kw, dense, F.KeywordEvidence(coverage={1: 1.0, 2: 1.0}))
    assert _order(both) == [1, 2]
    titled = F.fuse(kw, dense, F.KeywordEvidence(coverage={1: 1.0, 2: 1.0}, title={2: 1.0}))
    assert _order(titled) == [2, 1]
    # ... but not over a clear dense margin
    far = F.fuse(kw, [(1, 0.92), (2, 0.85)], F.KeywordEvidence(coverage={1: 1.0, 2: 1.0}, title={2: 1.0}))
    assert _order(far) == [1, 2]


def test_a_named_item_found_by_the_dense_side_alone_gets_the_full_evidence():
    dense = [(1, 0.88), (2, 0.87), (3, 0.84)]
    ev = F.KeywordEvidence(coverage={3: 1.0}, title={3: 1.0}, named={3})
    got = F.fuse([], dense, ev)
    assert got[3] == pytest.approx(0.84 + F.KEYWORD_WEIGHT * (1 - F.BM25_SHARE + F.TITLE_WEIGHT))
    assert _order(got)[0] == 3
    assert F.fuse([], dense, F.KeywordEvidence()) == dict(dense)


def test_fuse_without_the_dense_side_ranks_by_keyword_evidence_from_zero():
    got = F.fuse([(5, 4.0), (6, 2.0)], [], F.KeywordEvidence(coverage={5: 0.5, 6: 1.0}, title={5: 0.5}))
    assert got[6] == pytest.approx(F.KEYWORD_WEIGHT * (1 - F.BM25_SHARE / 2))
    assert got[5] == pytest.approx(F.KEYWORD_WEIGHT * (0.5 + F.TITLE_WEIGHT * 0.5))
    assert F.fuse([], [], F.KeywordEvidence()) == {}


def test_gate_zero_lets_any_share_reorder_the_dense_candidates():
    dense = [(1, 0.86), (2, 0.85)]
    ev = F.KeywordEvidence(coverage={2: 0.25})
    assert F.fuse([(2, 3.0)], dense, ev)[2] == pytest.approx(0.85)  # below the gate: dense stands
    assert F.fuse([(2, 3.0)], dense, ev, gate=0.0)[2] == pytest.approx(0.85 + F.KEYWORD_WEIGHT * 0.25)


@pytest.fixture
def registries(tmp_path):
    """Items of the case numbers 'KS 2021/123', '2026.134 BUN' and '2026.134 KUN' (two registries' cases)."""
    arc = Archive(tmp_path / "r.sqlite")
    items = [AgendaItem(number=str(n), title=f"Ärende {n}", text="Text.", start=0, end=5, dnr=d)
             for n, d in enumerate(["KS 2021/123", "2026.134 BUN", "2026.134 KUN"], 1)]
    mid, _, _ = arc.write_document(Document("r.txt", "x", "txt", "h"), MeetingMeta(kind="minutes"), items)
    yield arc, arc.item_ids(mid)
    arc.close()


@pytest.mark.parametrize("query, want", [
    # a capitalised word after the number is text: any registry's 2021/123
    ("2021/123 I Köping", [0]),
    ("2021/123 EU-projekt", [0]),
    ("2021/123 ANDT-arbete", [0]),
    # a code at the query's end that no stored 2021/123 carries was text too
    ("2021/123 EU", [0]),
    ("KS 2021/123", [0]),
    ("BN 2021/123", []),  # a code before the number is the user's: another registry's case
    # a code after the number that a stored number carries names that registry's case only
    ("2026.134 BUN", [1]),
    ("2026.134 KUN.", [2]),
    ("2026.134 BUN, 2021/123 EU", [0, 1]),
    ("2026.134 bygglov", [1, 2]),
])
def test_a_code_after_a_query_number_is_a_registry_only_where_one_is_stored(registries, query, want):
    arc, ids = registries
    assert F.named_in_archive(arc, query) == {ids[i] for i in want}
    assert F.named_items(arc, query, ids) == {ids[i] for i in want}
