"""Ranking formulas without a model: RRF, coverage weighting, BM25 column weights, hybrid fallback.

These run in the fast suite so that a change to a formula is caught there
(``python tests/tools/mutate.py`` shows it for each formula).
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Iterator

import pytest

from index.search import (BM25_SHARE, COVERAGE_CUTOFF, DENSE_CUTOFF, KEYWORD_WEIGHT, MAX_K, MAX_QUERY_CHARS,
                          TOPIC_WEIGHT, check_k,
                          clean_query, fuse, item_scores, keyword_coverage, keyword_ranking, passes_cutoff,
                          query_topics, rrf, search, topic_boost)
from radslag.errors import RadslagError
from index.store import Archive
from radslag.config import load_settings
from radslag.types import AgendaItem, Document, MeetingMeta, TopicTag

FILLER = "Kommunens budget för nästa år diskuterades utan beslut och mötet avslutades."
COMMON = "Skolan och tunneln nämndes när budget för nästa år diskuterades."
# for "klotter skolan tunneln": an item saying one rare term six times, one saying all three, eight common ones
ONE_TERM_OR_ALL = [
    ("Klotter", "Klotter. " * 6),
    ("Övrigt", "Vi talade om klotter vid skolan och om belysningen i tunneln."),
    *[(f"Punkt {n}", COMMON) for n in range(8)],
]


def _keyword_settings(tmp_path):
    """Settings with no vector index and no models: keyword search only."""
    return load_settings(archive_dir=tmp_path / "no-index", embed=False, enrich=False)


@contextlib.contextmanager
def _archive(tmp_path, rows: list[tuple[str, str]]) -> Iterator[tuple[Archive, list[int]]]:
    """An archive of one meeting whose items are ``rows`` (title, text), with the items' ids; closed after."""
    arc = Archive(tmp_path / "a.sqlite")
    try:
        items = [AgendaItem(number=str(n), title=t, text=b, start=0, end=1) for n, (t, b) in enumerate(rows, 1)]
        mid, _, _ = arc.write_document(Document("m.txt", "x", "txt", "h"), MeetingMeta(kind="minutes"), items)
        yield arc, arc.item_ids(mid)
    finally:
        arc.close()


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
    dense = [(12, 0.9), (13, 0.8)]
    fused = fuse("hybrid", keyword, dense, {10: 0.25, 11: 1.0})
    # keyword-only items start from the lowest dense score (0.8) and add KEYWORD_WEIGHT x evidence
    assert fused[10] == pytest.approx(0.8 + KEYWORD_WEIGHT * 0.25 * (1 - BM25_SHARE + BM25_SHARE))
    assert fused[11] == pytest.approx(0.8 + KEYWORD_WEIGHT * (1 - BM25_SHARE + BM25_SHARE * 5 / 9))
    assert fused[12] == pytest.approx(0.9)
    assert sorted(fused, key=fused.get, reverse=True) == [12, 11, 10, 13]
    assert fuse("keyword", keyword, [], None) == {10: 9.0, 11: 5.0}
    assert fuse("dense", [], dense, None) == {12: 0.9, 13: 0.8}


def test_keyword_coverage_is_the_share_of_query_terms(tmp_path):
    with _archive(tmp_path, [
        ("Klotter", "Klotter vid skolan ska saneras."),
        ("Övrigt", "Mer klotter i tunneln."),
        ("Budget", FILLER),
    ]) as (arc, (both, one, none)):
        assert keyword_coverage(arc, "klotter på skolan", [both, one, none]) == {both: 1.0, one: 0.5, none: 0.0}


def test_title_counts_twice_the_body(tmp_path):
    """BM25 weights (2, 1): one title hit beats one body hit but not two."""
    with _archive(tmp_path, [
        ("Klotter vid skolan", "Rektorn berättar om läget på skolan och om elevernas trivsel under hösten."),
        ("Övrigt", "Klotter på skolan har sanerats och fler ska anmälas till polisen snart."),
        ("Övrigt", "Mer klotter och klotter vid skolan."),
        *[(f"Punkt {n}", FILLER) for n in range(12)],
    ]) as (arc, (title, body_once, body_twice, *_)):
        assert [i for i, _ in keyword_ranking(arc, "klotter", 10, None)] == [body_twice, title, body_once]


def test_hybrid_without_vectors_says_so_and_still_weights_by_coverage(tmp_path):
    # "skolan" and "tunneln" are common, "klotter" rare: BM25 favours the item
    # that says "klotter" over and over but matches one term of three.
    with _archive(tmp_path, ONE_TERM_OR_ALL) as (arc, (p, full, *_)):
        settings = _keyword_settings(tmp_path)
        query = "klotter skolan tunneln"
        keyword = search(arc, query, settings=settings, k=5, mode="keyword", cutoff=False)
        assert [h.item_id for h in keyword.hits][:2] == [p, full]  # BM25 alone prefers the one-term item
        hybrid = search(arc, query, settings=settings, k=10, mode="hybrid", cutoff=False)
        assert hybrid.modes_used == ["keyword"]
        assert hybrid.notes and "Semantisk sökning kunde inte köras" in hybrid.notes[0]
        ranked = [h.item_id for h in hybrid.hits]
        assert ranked[0] == full and ranked.index(p) > ranked.index(full)  # coverage: all terms first


def test_cutoff_keeps_items_matching_enough_of_the_query(tmp_path):
    with _archive(tmp_path, ONE_TERM_OR_ALL) as (arc, (p, full, *_)):
        settings = _keyword_settings(tmp_path)
        cut = search(arc, "klotter skolan tunneln", settings=settings, k=10, mode="keyword")
        ranked = [h.item_id for h in cut.hits]
        assert full in ranked and p not in ranked  # p matches 1 of 3 terms: below COVERAGE_CUTOFF
        assert cut.cutoff and cut.below_cutoff >= 1 and not cut.nearest
        near = search(arc, "klotter skolan tunneln", settings=settings, k=10, mode="keyword", show_nearest=True)
        assert p in [h.item_id for h in near.nearest] and [h.rank for h in near.nearest][0] == 1
        assert passes_cutoff(None, COVERAGE_CUTOFF) and not passes_cutoff(None, COVERAGE_CUTOFF - 0.01)
        assert passes_cutoff(DENSE_CUTOFF, 0.0) and not passes_cutoff(DENSE_CUTOFF - 0.001, None)


def test_nonsense_query_says_no_hits_and_date_order_keeps_the_cutoff(tmp_path):
    with _archive(tmp_path, ONE_TERM_OR_ALL) as (arc, (p, full, *rest)):
        settings = _keyword_settings(tmp_path)
        nothing = search(arc, "xyzzyqwerty", settings=settings, k=10, mode="keyword", show_nearest=True)
        assert nothing.hits == [] and nothing.no_match and nothing.to_json()["no_match"] is True
        assert any("Inga träffar" in n for n in nothing.notes)
        dated = search(arc, "klotter skolan tunneln", settings=settings, k=10, mode="keyword", order="date")
        relevance = search(arc, "klotter skolan tunneln", settings=settings, k=10, mode="keyword")
        assert p not in [h.item_id for h in dated.hits]  # the cut item is not re-admitted by date order
        assert {h.item_id for h in dated.hits} == {h.item_id for h in relevance.hits} == {full, *rest}


@pytest.mark.parametrize("query", ['"', "NEAR(", "*", "AND OR", "", "   ", "\ud800klotter", "klotter\x00\x1b[31m",
                                   "\u202eklotter", "NOT klotter", "(klotter"])
def test_hostile_queries_never_raise(tmp_path, query):
    with _archive(tmp_path, [("Klotter", "Klotter vid skolan ska saneras.")]) as (arc, _):
        settings = _keyword_settings(tmp_path)
        result = search(arc, query, settings=settings, k=5, mode="keyword")
        assert all(0xD800 > ord(c) or ord(c) > 0xDFFF for c in result.query)
        assert not any(unicodedata.category(c) in ("Cc", "Cf") for c in result.query)
        if "klotter" in query:
            assert [h.item_title for h in result.hits] == ["Klotter"]
        result.query.encode("utf-8")  # would raise on a surrogate


def test_long_query_is_cut_with_a_note():
    text, notes = clean_query("klotter " * 400)
    assert len(text) <= MAX_QUERY_CHARS and text.endswith("klotter") and notes
    assert clean_query("kort fråga") == ("kort fråga", [])
    assert clean_query("a\tb\n c\u200b") == ("a b c", [])


@pytest.mark.parametrize("k", [0, -1, MAX_K + 1, "tio", None, 2.5, True])
def test_bad_k_is_refused_by_name(tmp_path, k):
    with _archive(tmp_path, [("Klotter", "Klotter vid skolan.")]) as (arc, _):
        settings = _keyword_settings(tmp_path)
        with pytest.raises(RadslagError, match="Antal träffar"):
            search(arc, "klotter", settings=settings, k=k, mode="keyword")
        assert check_k("3") == 3 and check_k(MAX_K) == MAX_K


def test_item_scores_use_second_passage_and_meeting():
    rows = [(1, 10, 0.90), (2, 10, 0.80), (2, 10, 0.79), (3, 20, 0.82)]
    plain = item_scores(rows, second_weight=0.0, meeting_weight=0.0)
    assert {i: s for i, (s, _) in plain.items()} == pytest.approx({1: 0.90, 2: 0.80, 3: 0.82})
    met = item_scores(rows, second_weight=0.0, meeting_weight=0.5)
    # item 2 shares its meeting with the 0.90 passage: pulled half-way up, past item 3
    assert met[2][0] == pytest.approx(0.85) and met[3][0] == pytest.approx(0.82) and met[1][0] == pytest.approx(0.90)
    assert met[2][1] == pytest.approx(0.80)  # the best cosine is kept for the cutoff
    two = item_scores(rows, second_weight=0.5, meeting_weight=0.0)
    assert two[2][0] == pytest.approx(0.795) and two[3][0] == pytest.approx(0.82)  # one passage: its cosine


def test_query_topics_name_taxonomy_topics_by_their_seed_terms():
    topics = query_topics("ungdomar som kör epa-traktor och spelar hög musik")
    assert set(topics) == {"motorburen-ungdom"}
    assert topics["motorburen-ungdom"] == pytest.approx(3 / 6)  # epa-traktor, hög, musik of six terms
    assert query_topics("xyzzyqwerty") == {} and query_topics("kvantdatorer och kryptografi") == {}
    assert passes_cutoff(None, None, topic=True) and not passes_cutoff(None, None)


def test_an_acronym_seed_names_its_topic_only_as_a_whole_word():
    """"=ANDT" stemmed like a query word became "and": "and", "andas" (breathe) and "anden" named
    *Narkotika och ANDT*. The acronym must be the query's word, in any case (people type "sfi")."""
    for query in ("and", "And", "andas", "anden", "English and Swedish"):
        assert "narkotika-andt" not in query_topics(query), query
    assert query_topics("ANDT") == query_topics("andt") == {"narkotika-andt": 1.0}
    assert query_topics("narkotika and alkohol") == {"narkotika-andt": pytest.approx(2 / 3)}  # its other seeds
    assert query_topics("sfi") == {"integration": 1.0} and query_topics("EST-grupp") == {"est-sig": 1.0}
    assert "motorburen-ungdom" in query_topics("epa") and "motorburen-ungdom" in query_topics("EPA")


def test_item_tagged_with_the_named_topic_is_lifted_and_passes_the_cutoff(tmp_path):
    with _archive(tmp_path, [
        ("Fokusgrupp", "Fokusgruppen om ungdomar har träffats."),  # one query term of six
        ("Fritid", "Ungdomar spelar musik på fritidsgården."),     # three of six
        *[(f"Punkt {n}", FILLER) for n in range(4)],
    ]) as (arc, (tagged, other, *_)):
        arc.write_enrichment(tagged, [], [TopicTag("motorburen-ungdom", "Motorburen ungdom", 0.9)])
        settings = _keyword_settings(tmp_path)
        query = "ungdomar som kör epa-traktor och spelar hög musik"
        bonus = topic_boost(arc, query, [tagged, other])
        assert bonus == {tagged: pytest.approx(TOPIC_WEIGHT * 0.5)}
        result = search(arc, query, settings=settings, k=5, mode="hybrid")
        ranked = [h.item_id for h in result.hits]
        assert tagged in ranked  # coverage 1/6 alone would be cut; the topic vouches
        plain = search(arc, query, settings=settings, k=5, mode="keyword")
        assert tagged not in [h.item_id for h in plain.hits]  # keyword mode: no taxonomy, cut
