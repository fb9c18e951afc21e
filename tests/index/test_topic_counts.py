"""Topic counts over the archive (index.topics): totals, per body, per period."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from index.store import Archive
from index.topics import topic_counts
from radslag.types import AgendaItem, Document, Filters, MeetingMeta, TopicTag


def _archive_with_topics(tmp_path) -> Archive:
    arc = Archive(tmp_path / "archive.sqlite")
    specs = [
        ("a.txt", "Trygghetsråd", dt.date(2021, 3, 10), [["motorburen-ungdom"], ["klotter-skadegorelse", "motorburen-ungdom"]]),
        ("b.txt", "Trygghetsråd", dt.date(2021, 9, 15), [["motorburen-ungdom"]]),
        ("c.txt", "Förebyggande rådet", dt.date(2022, 1, 5), [["klotter-skadegorelse"], []]),
    ]
    for source, body, date, item_topics in specs:
        text = "\n".join(f"Punkt {i}" for i in range(len(item_topics)))
        doc = Document(source=source, text=text, reader="txt", content_hash=hashlib.sha256(source.encode()).hexdigest())
        items = [AgendaItem(number=str(i), title=f"Punkt {i}", text="", start=0, end=1) for i in range(len(item_topics))]
        mid, _, _ = arc.write_document(doc, MeetingMeta(kind="minutes", body=body, date=date), items)
        for item_id, tids in zip(arc.item_ids(mid), item_topics):
            arc.write_enrichment(item_id, [], [TopicTag(t, t.upper(), 0.9) for t in tids])
    return arc


def test_topic_counts(tmp_path):
    arc = _archive_with_topics(tmp_path)
    try:
        total = topic_counts(arc)
        assert [(r.topic_id, r.items, r.meetings) for r in total] == [
            ("motorburen-ungdom", 3, 2),
            ("klotter-skadegorelse", 2, 2),
        ]
        by_body = topic_counts(arc, by="body", filters=Filters(topic="klotter-skadegorelse"))
        assert {(r.body, r.items) for r in by_body} == {("Trygghetsråd", 1), ("Förebyggande rådet", 1)}
        by_q = topic_counts(arc, by="quarter", filters=Filters(topic="motorburen-ungdom"))
        assert [(r.period, r.items) for r in by_q] == [("2021-Q1", 2), ("2021-Q3", 1)]
        by_month = topic_counts(arc, by="month", filters=Filters(topic="MOTORBUREN-UNGDOM"))
        assert [r.period for r in by_month] == ["2021-03", "2021-09"]
        assert [r.period for r in topic_counts(arc, by="year")] == ["2021", "2021", "2022"]
        with pytest.raises(ValueError):
            topic_counts(arc, by="week")
    finally:
        arc.close()


def test_topic_counts_per_body_and_year(tmp_path):
    with Archive(tmp_path / "a.sqlite") as arc:
        for n, (body, date, year) in enumerate([("Trygghetsråd", "2021-09-15", None),
                                                 ("Förebyggande rådet", None, 2021),
                                                 ("Trygghetsråd", "2022-03-01", None)]):
            meta = MeetingMeta(kind="minutes", body=body, date=dt.date.fromisoformat(date) if date else None, year=year)
            mid, _, _ = arc.write_document(Document(f"{n}.txt", "x", "txt", str(n)), meta,
                                           [AgendaItem("1", "Klotter", "Klotter.", 0, 1)])
            arc.write_enrichment(arc.item_ids(mid)[0], [],
                                 [TopicTag("klotter-skadegorelse", "Klotter och skadegörelse", 0.9)])
        per_year = {r.period: r.items for r in topic_counts(arc, by="year")}
        one_body = {r.period: r.items for r in topic_counts(arc, by="year", filters=Filters(body="trygghetsråd"))}
        per_quarter = [r.period for r in topic_counts(arc, by="quarter")]
    assert per_year == {"2021": 2, "2022": 1}  # the year-only meeting counts in 2021
    assert one_body == {"2021": 1, "2022": 1}
    assert per_quarter == ["2021-Q3", "2022-Q1", None]  # too vague for a quarter: last
