"""A one-council query history searches once: the council's entries and the other councils' mentions both
come from one search of all councils, and are the ones a search per scope gives."""

from __future__ import annotations

import pytest

import index.history as history_module
import index.timeline as timeline_module
from index.history import issue_history
from index.timeline import query_mentions
from radslag.config import load_settings
from radslag.councils import council_key
from radslag.types import Filters
from tests.index.test_issue_history import archive  # noqa: F401  the four-meeting archive (two councils in Köping)

COUNCIL = "köping/trygghetsråd"
QUERY = "epatraktorer torget"


@pytest.fixture
def searches(monkeypatch):
    """Every search run, by the history itself or through the timeline's mention rule."""
    calls: list[Filters | None] = []

    def counting(real):
        def run(*args, **kwargs):
            calls.append(kwargs.get("filters"))
            return real(*args, **kwargs)
        return run

    monkeypatch.setattr(history_module, "search", counting(history_module.search))
    monkeypatch.setattr(timeline_module, "search", counting(timeline_module.search))
    return calls


def _per_scope(arc, settings, k):
    """What a search per scope finds: the council's mentions and the other councils' (as before the change)."""
    mine, _, _ = query_mentions(arc, QUERY, settings=settings, mode="keyword", k=k, filters=Filters(council=COUNCIL))
    wide, _, _ = query_mentions(arc, QUERY, settings=settings, mode="keyword", k=k, filters=Filters())
    rows = {r.id: r for r in arc.items(item_ids=[h.item_id for h in wide], enrichment=False)}
    others = sorted(i for i in rows if council_key(rows[i].municipality, rows[i].body) != COUNCIL)
    return sorted(h.item_id for h in mine), others


def test_one_council_with_elsewhere_is_one_search(archive, tmp_path, searches):  # noqa: F811
    settings = load_settings(archive_dir=tmp_path)
    want_mine, want_others = _per_scope(archive, settings, k=2000)
    assert want_mine and want_others  # both sides have something: the split is really tested
    searches.clear()

    h = issue_history(archive, settings, query=QUERY, mode="keyword", filters=Filters(council=COUNCIL))

    assert len(searches) == 1 and searches[0].council is None  # one search, of all councils
    assert sorted(e.item_id for e in h.entries) == want_mine
    assert all(e.council_key == COUNCIL for e in h.entries)
    assert sorted(x.item_id for x in h.elsewhere) == want_others
    assert h.elsewhere and all(x.council_key != COUNCIL for x in h.elsewhere)


def test_without_elsewhere_the_council_alone_is_searched(archive, tmp_path, searches):  # noqa: F811
    settings = load_settings(archive_dir=tmp_path)
    h = issue_history(archive, settings, query=QUERY, mode="keyword", filters=Filters(council=COUNCIL),
                      elsewhere=False)
    assert [f.council for f in searches] == [COUNCIL] and not h.elsewhere


def test_a_capped_search_of_all_councils_searches_the_council_too(archive, tmp_path, searches):  # noqa: F811
    """With the cap reached, the k best of all councils may miss some of this council's: it is searched alone."""
    settings = load_settings(archive_dir=tmp_path)
    want_mine, want_others = _per_scope(archive, settings, k=1)
    searches.clear()
    h = issue_history(archive, settings, query=QUERY, mode="keyword", k=1, filters=Filters(council=COUNCIL))
    assert [f.council for f in searches] == [None, COUNCIL]
    assert sorted(e.item_id for e in h.entries) == want_mine
    assert sorted(x.item_id for x in h.elsewhere) == want_others


def test_the_split_is_used_only_where_it_equals_the_councils_own_search():
    """A hybrid score depends on the whole candidate set, and a cut list may leave the council's hits out."""
    from index.history import _split_is_exact
    from index.search import CANDIDATES, SearchResult

    def result(hits, below):
        return SearchResult(query="q", mode="keyword", hits=[object()] * hits, modes_used=[], notes=[],
                            below_cutoff=below)

    assert _split_is_exact(result(5, 10), "keyword", k=20)
    assert not _split_is_exact(result(5, 10), "hybrid", k=20)  # fusion scores depend on the other councils
    assert not _split_is_exact(result(20, 0), "keyword", k=20)  # the k best of all may leave this one's out
    assert not _split_is_exact(result(5, CANDIDATES), "keyword", k=20)  # candidates cut to the pool
