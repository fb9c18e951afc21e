"""Hybrid fusion and the hit presentation's batched reads, without a model (fast suite)."""

from __future__ import annotations

import pytest

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
