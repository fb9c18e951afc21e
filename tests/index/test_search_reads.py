"""The search's hot-path reads (index/store/search.py): the same answers whichever way they are read."""

from __future__ import annotations

import random

import pytest

import index.store.search as store_search
from index.keyword import searched_groups
from index.store import Archive
from radslag.types import AgendaItem, Document, MeetingMeta, Passage

WORDS = ["klotter", "polisen", "skolan", "budget", "trygghetsvandring", "centrum", "vandring", "trygg", "parken",
         "belysning", "nattvandrare", "ungdomar"]
QUERIES = ["klotter vid skolan", "trygghetsvandring i centrum", "budget polisen parken", "nattvandrare",
           "vandring trygg belysning"]


def _archive(path) -> Archive:
    rng = random.Random(3)
    arc = Archive(path)
    weights = [30, 30, 20, 25, 3, 15, 5, 6, 10, 4, 2, 12]
    for m in range(15):
        items = []
        for n in range(1, 10):
            words = rng.choices(WORDS, weights, k=rng.randint(3, 30))
            items.append(AgendaItem(number=str(n), title=" ".join(rng.choices(WORDS, weights, k=2)).capitalize(),
                                    text=" ".join(words) + ".", start=0, end=1))
        arc.write_document(Document(f"m{m}.txt", "x", "txt", f"h{m}"), MeetingMeta(kind="minutes"), items)
    return arc


@pytest.fixture
def archive(tmp_path):
    arc = _archive(tmp_path / "a.sqlite")
    yield arc
    arc.close()


@pytest.mark.parametrize("per_candidate", [0, 4, 10_000])
def test_group_hits_are_the_groups_matches_whether_read_whole_or_looked_up(archive, monkeypatch, per_candidate):
    """0: every candidate looked up by rowid; 10,000: every group read whole; 4: as each group's size decides."""
    monkeypatch.setattr(store_search, "SCAN_ROWS_PER_CANDIDATE", per_candidate)
    ids = [r[0] for r in archive._conn.execute("SELECT id FROM items ORDER BY id")]
    rng = random.Random(5)
    for query in QUERIES:
        groups = searched_groups(query)
        groups += ["{title} : (" + g + ")" for g in groups]
        for candidates in (ids, rng.sample(ids, 7), ids[:1]):
            want = {i: sum(i in archive.keyword_matches(g) for g in groups) for i in candidates}
            assert archive.keyword_group_hits(groups, candidates) == want, (query, len(candidates))


def test_passage_meetings_follow_a_write_by_another_connection(archive, tmp_path):
    items = {r[0]: r[1] for r in archive._conn.execute("SELECT id, meeting_id FROM items")}
    first, second = sorted(items)[:2]
    pids = archive.write_passages([Passage(item_id=first, ordinal=0, text="klotter", start=0, end=7)])
    assert archive.passage_meetings(pids + [10**9]) == {pids[0]: (first, items[first])}  # unknown ids absent
    other = Archive(tmp_path / "a.sqlite")
    other._conn.execute("UPDATE passages SET item_id = ? WHERE id = ?", (second, pids[0]))
    other.close()
    assert archive.passage_meetings(pids) == {pids[0]: (second, items[second])}  # not the cached answer
    archive._conn.execute("DELETE FROM passages WHERE id = ?", (pids[0],))
    assert archive.passage_meetings(pids) == {}
