"""``search(snippets=n)``: only the first n hits get a snippet (the app shows ten of up to 2,000)."""

from __future__ import annotations

import datetime as dt

from index.search import search
from index.store import Archive
from radslag.types import AgendaItem, Document, MeetingMeta


def test_only_the_first_hits_get_snippets_and_the_ranking_is_unchanged(tmp_settings):
    with Archive(tmp_settings.db_path) as arc:
        for n in range(5):
            text = f"Klotter vid skola {n}. " + "Klotter på väggarna. " * (n + 1)
            arc.write_document(Document(f"m{n}.txt", text, "txt", f"h{n}"),
                               MeetingMeta(kind="minutes", body="Trygghetsråd", municipality="Arboga",
                                           date=dt.date(2021, 1, n + 1)),
                               [AgendaItem("1", f"Klotter {n}", text, 0, len(text))])
        full = search(arc, "klotter", settings=tmp_settings, mode="keyword", k=5)
        some = search(arc, "klotter", settings=tmp_settings, mode="keyword", k=5, snippets=2)
    assert [h.item_id for h in some.hits] == [h.item_id for h in full.hits] and len(full.hits) == 5
    assert [h.snippet for h in some.hits[:2]] == [h.snippet for h in full.hits[:2]]
    assert all("Klotter" in h.snippet for h in full.hits)
    assert [h.snippet for h in some.hits[2:]] == ["", "", ""]


def test_only_the_shown_hits_carry_entities_and_topics(tmp_settings):
    from radslag.types import Entity, TopicTag

    with Archive(tmp_settings.db_path) as arc:
        for n in range(4):
            text = f"Klotter vid Hagaskolan {n}. Polisen talade."
            meeting_id = arc.write_document(
                Document(f"e{n}.txt", text, "txt", f"e{n}"),
                MeetingMeta(kind="minutes", body="Trygghetsråd", municipality="Arboga", date=dt.date(2021, 2, n + 1)),
                [AgendaItem("1", f"Klotter {n}", text, 0, len(text))])[0]
            (item_id,) = arc.item_ids(meeting_id)
            arc.write_enrichment(item_id, [Entity("Hagaskolan", "LOC", 11, 21)],
                                 [TopicTag("klotter", "Klotter och skadegörelse", 0.9, "lexicon")])
        full = search(arc, "klotter", settings=tmp_settings, mode="keyword", k=4)
        some = search(arc, "klotter", settings=tmp_settings, mode="keyword", k=4, snippets=1)
    assert [h.item_id for h in some.hits] == [h.item_id for h in full.hits] and len(full.hits) == 4
    assert [h.score for h in some.hits] == [h.score for h in full.hits]
    assert all(h.entities and h.topics for h in full.hits)  # every hit read whole without a snippet limit
    assert some.hits[0].entities == full.hits[0].entities and some.hits[0].topics == full.hits[0].topics
    assert [(h.entities, h.topics) for h in some.hits[1:]] == [([], [])] * 3  # counted, not shown
