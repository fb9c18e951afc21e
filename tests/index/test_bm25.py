"""index.bm25: FTS5's bm25 recomputed for chosen rows, and the pruned top-k, against FTS5 itself."""

from __future__ import annotations

import random

import pytest

from index import bm25
from index.keyword import match_query, searched_group_terms
from index.search import BM25_WEIGHTS
from index.store import Archive
from radslag.types import AgendaItem, Document, MeetingMeta

WORDS = ["klotter", "polisen", "skolan", "budget", "trygghetsvandring", "centrum", "vandring", "trygg", "parken",
         "belysning", "nattvandrare", "ungdomar", "epatraktor", "laddstolpe", "brand", "fritidsgård"]
QUERIES = ["klotter vid skolan", "trygghetsvandring i centrum", "budget polisen parken", "epatraktor ungdomar",
           "nattvandrare och belysning i parken", "laddstolpe", "brand fritidsgård klotter skolan budget",
           "vandring trygg", "Mötets öppnande"]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    rng = random.Random(7)
    arc = Archive(tmp_path_factory.mktemp("bm25") / "a.sqlite")
    weights = [30, 30, 20, 25, 3, 15, 5, 6, 10, 4, 2, 12, 1, 1, 8, 3]  # common and rare words
    for m in range(40):
        items = [AgendaItem(number="1", title="Mötets öppnande", text="Ordföranden öppnade mötet.", start=0, end=1)]
        for n in range(2, 14):
            words = rng.choices(WORDS, weights, k=rng.randint(3, 40))
            title = " ".join(rng.choices(WORDS, weights, k=rng.randint(1, 3))).capitalize()
            items.append(AgendaItem(number=str(n), title=title, text=" ".join(words) + ".", start=0, end=1))
        arc.write_document(Document(f"m{m}.txt", "x", "txt", f"h{m}"), MeetingMeta(kind="minutes"), items)
    yield arc
    arc.close()


def fts_scores(archive: Archive, query: str) -> dict[int, float]:
    rows = archive._conn.execute("SELECT rowid, -bm25(items_fts, ?, ?) FROM items_fts WHERE items_fts MATCH ?",
                                 (*BM25_WEIGHTS, match_query(query)))
    return {r[0]: r[1] for r in rows}


@pytest.mark.parametrize("query", QUERIES)
def test_scores_are_fts5s_to_the_last_bit(archive, query):
    want = fts_scores(archive, query)
    scorer = bm25._Scorer(archive, searched_group_terms(query), BM25_WEIGHTS)
    got = scorer.scores(range(1, archive.count("items") + 1))
    assert got == want  # the same rows match, the same floats


@pytest.mark.parametrize("query", QUERIES)
def test_pruned_top_k_is_fts5s_list(archive, query, monkeypatch):
    monkeypatch.setattr(bm25, "COST_RATIO", 0)  # prune whenever the rare groups are small enough
    monkeypatch.setattr(bm25, "MAX_ROWS", 10_000)
    expr = match_query(query)
    for limit in (1, 5, 20, 100):
        for allowed in (None, frozenset(range(1, 300)), frozenset(range(200, 520, 3))):
            got = bm25.top_k(archive, query, limit, BM25_WEIGHTS, allowed)
            if got is not None:
                assert got == archive.keyword_ranking(expr, limit, BM25_WEIGHTS, allowed), (limit, allowed)


def test_pruning_is_used_and_stops_when_it_cannot_prove(archive, monkeypatch):
    monkeypatch.setattr(bm25, "COST_RATIO", 0)
    calls = []
    real = archive.fts_rows
    monkeypatch.setattr(archive, "fts_rows", lambda ids: calls.append(len(ids)) or real(ids))
    # a rare word and a common one: the rare word's rows are scored, not every row the common word matches
    assert bm25.top_k(archive, "epatraktor budget", 3, BM25_WEIGHTS, None) is not None
    assert calls and calls[0] < len(fts_scores(archive, "budget"))
    monkeypatch.setattr(bm25, "MAX_ROWS", 1)
    assert bm25.top_k(archive, "epatraktor budget", 3, BM25_WEIGHTS, None) is None  # too many rows: FTS5
    assert bm25.top_k(archive, "budget", 3, BM25_WEIGHTS, None) is None  # one group: nothing to prune


def test_a_term_fts5_might_split_goes_to_fts5(archive):
    assert not bm25._plain("北京") and not bm25._plain("a.b") and bm25._plain("ks-2025-00620") and bm25._plain("§12")


@pytest.mark.parametrize("query", QUERIES)
def test_each_row_is_read_and_scored_once_however_many_pruning_passes(archive, query, monkeypatch):
    monkeypatch.setattr(bm25, "COST_RATIO", 0)
    monkeypatch.setattr(bm25, "MAX_ROWS", 10_000)
    scored: list[int] = []
    real = archive.fts_rows
    monkeypatch.setattr(archive, "fts_rows", lambda ids: scored.extend(ids) or real(ids))
    for limit in (5, 100):  # 100: passes that cannot prove the list, each adding a group
        scored.clear()
        got = bm25.top_k(archive, query, limit, BM25_WEIGHTS, None)
        assert len(scored) == len(set(scored)), (query, limit)
        if got is not None:
            assert got == archive.keyword_ranking(match_query(query), limit, BM25_WEIGHTS, None)
