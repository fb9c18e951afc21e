"""Timeline counts, periods, gaps and writers on a small archive built here."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json

import pyarrow.parquet as pq
import pytest

from index.store import Archive
from index.timeline import UNKNOWN_PERIOD, timeline
from radslag.config import load_settings
from radslag.types import AgendaItem, Document, Filters, MeetingMeta, TopicTag


def _meeting(archive, source, date, items, body="Trygghetsråd", municipality="Hallstahammar", kind="minutes"):
    text = "\n\n".join(f"{t}\n{b}" for t, b in items)
    doc = Document(source=source, text=text, reader="txt", content_hash=hashlib.sha256(source.encode()).hexdigest())
    meta = MeetingMeta(kind=kind, body=body, municipality=municipality,
                       date=dt.date.fromisoformat(date) if date else None)
    agenda = [AgendaItem(number=str(n), title=t, text=b, start=0, end=1) for n, (t, b) in enumerate(items, 1)]
    mid, _, _ = archive.write_document(doc, meta, agenda)
    for row in archive.items(meeting_id=mid):
        if "epatraktor" in row.text.casefold():
            archive.write_enrichment(row.id, [], [TopicTag("motorburen_ungdom", "motorburen ungdom", 0.9)])
    return mid


@pytest.fixture()
def archive(tmp_path):
    a = Archive(tmp_path / "a.sqlite")
    _meeting(a, "m1.txt", "2021-01-20", [("Lägesbild", "Buskörning med epatraktorer vid torget."), ("Klotter", "Klotter på skolan.")])
    _meeting(a, "m2.txt", "2021-02-25", [("Trafik", "Fler epatraktorer och hög musik."), ("Övrigt", "Inget.")])
    _meeting(a, "m3.txt", "2021-09-15", [("Sommaren", "Lugnt, men epatraktorer vid skolan och klotter.")])
    _meeting(a, "m4.txt", "2021-11-17", [("Budget", "Ingen fråga om trafik.")])
    _meeting(a, "m5.txt", None, [("Okänt", "Epatraktorer nämns även här.")])
    _meeting(a, "v1.txt", "2021-03-01", [("Lägesbild", "Epatraktorer i Västerås.")], municipality="Västerås")
    _meeting(a, "n1.txt", "2021-03-05", [("Nyhet", "Epatraktorer och klotter i Västerås.")], municipality="Västerås",
             kind="news")
    yield a
    a.close()


def test_topic_timeline_by_meeting_counts_and_gaps(archive):
    t = timeline(archive, topic="motorburen ungdom", filters=Filters(municipality="Hallstahammar"))
    periods = [(r.period, r.item_count, r.meeting_count) for r in t.rows]
    assert periods == [("2021-01-20", 1, 1), ("2021-02-25", 1, 1), ("2021-09-15", 1, 1), (UNKNOWN_PERIOD, 1, 1)]
    assert t.first_mention["date"] == "2021-01-20"
    assert t.last_mention["date"] == "2021-09-15"
    assert [g["days"] for g in t.gaps] == [36, 202]
    assert t.undated_items == 1
    assert any(UNKNOWN_PERIOD in n for n in t.notes)
    assert "item_topics" in t.threshold_note


def test_periods_quarter_and_bodies_separate(archive):
    t = timeline(archive, topic="motorburen_ungdom", by="quarter", filters=Filters(kind="minutes"))
    rows = {(r.period, r.municipality): r for r in t.rows}
    assert rows[("2021-Q1", "Hallstahammar")].item_count == 2
    assert rows[("2021-Q1", "Hallstahammar")].meetings_held == 2
    assert rows[("2021-Q1", "Västerås")].item_count == 1
    assert rows[("2021-Q3", "Hallstahammar")].first_date == "2021-09-15"
    assert timeline(archive, topic="motorburen_ungdom", by="year").rows[0].period == "2021"
    assert timeline(archive, topic="motorburen_ungdom", by="month").rows[0].period == "2021-01"


def test_query_timeline_keyword_rule(archive, tmp_path):
    settings = load_settings(archive_dir=tmp_path)
    t = timeline(archive, query="klotter", settings=settings, mode="keyword", filters=Filters(kind="minutes"))
    assert sum(r.item_count for r in t.rows) == 2
    assert "alla sökord" in t.threshold_note and "all query terms" in t.threshold_note
    both = timeline(archive, query="klotter skolan", settings=settings, mode="keyword", filters=Filters(kind="minutes"))
    # Only items with both terms count, although search ORs the terms.
    assert [r.period for r in both.rows] == ["2021-01-20", "2021-09-15"]


def test_query_timeline_counts_the_search_it_is_given(archive, tmp_path):
    """A caller that already searched passes its result: the timeline judges those hits, no second search."""
    from dataclasses import replace

    from index.search import search

    settings = load_settings(archive_dir=tmp_path)
    minutes = Filters(kind="minutes")
    full = search(archive, "klotter", settings=settings, k=50, mode="keyword", filters=minutes)
    alone = timeline(archive, query="klotter", settings=settings, mode="keyword", filters=minutes, k=50)
    given = timeline(archive, query="klotter", settings=settings, mode="keyword", filters=minutes, k=50, result=full)
    assert [(r.period, r.item_ids) for r in given.rows] == [(r.period, r.item_ids) for r in alone.rows]
    assert given.total_items == 2
    # only the hits handed in count (a search of its own would find both items again)
    first = replace(full, hits=[h for h in full.hits if h.date == "2021-09-15"])
    one = timeline(archive, query="klotter", settings=settings, mode="keyword", filters=minutes, k=50, result=first)
    assert [r.period for r in one.rows] == ["2021-09-15"] and one.total_items == 1


def test_mention_options_are_one_object_or_its_fields(archive, tmp_path):
    """query_mentions and mentions take their search options as one MentionSearch or as its fields, alike."""
    from index.timeline import DENSE_THRESHOLD, MentionSearch, mentions, query_mentions

    settings = load_settings(archive_dir=tmp_path)
    how = MentionSearch(settings=settings, mode="keyword", k=50, filters=Filters(kind="minutes"))
    hits, note, _ = query_mentions(archive, "klotter", how)
    fielded, same_note, _ = query_mentions(archive, "klotter", settings=settings, mode="keyword", k=50,
                                           filters=Filters(kind="minutes"))
    assert [h.item_id for h in hits] == [h.item_id for h in fielded] and len(hits) == 2 and note == same_note
    assert mentions(archive, query="klotter", how=how)[0] == {h.item_id for h in hits}
    assert mentions(archive, topic="motorburen-ungdom", how=how)[0] == mentions(
        archive, topic="motorburen-ungdom", filters=Filters(kind="minutes"))[0]
    assert how.bar == DENSE_THRESHOLD and MentionSearch(threshold=0.9).bar == 0.9
    with pytest.raises(TypeError):
        query_mentions(archive, "klotter", how, k=10)  # an object and fields: which one counts is unclear
    with pytest.raises(TypeError):
        query_mentions(archive, "klotter", tresh=0.9, settings=settings)  # a misspelt option is an error


def test_writers_carry_note_and_roundtrip(archive, tmp_path):
    t = timeline(archive, topic="motorburen ungdom", by="year", filters=Filters(kind="minutes"))
    path = tmp_path / "t.csv"
    t.to_csv(path, sep=";")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0]["threshold_note"] == t.threshold_note
    assert json.loads(rows[0]["item_ids"]) == t.rows[0].item_ids
    data = json.loads(t.to_json(tmp_path / "t.json"))
    assert data["threshold_note"] == t.threshold_note and data["rows"][0]["period"] == "2021"
    table = pq.read_table(t.to_parquet(tmp_path / "t.parquet"))
    assert table.schema.metadata[b"threshold_note"].decode() == t.threshold_note
    assert table.column("item_count").to_pylist() == [r.item_count for r in t.rows]
    assert table.column("period").to_pylist()[-1] == UNKNOWN_PERIOD


def test_requires_exactly_one_subject(archive):
    with pytest.raises(ValueError):
        timeline(archive)
    with pytest.raises(ValueError):
        timeline(archive, topic="x", by="week")


def test_year_only_meeting_counts_in_its_year(tmp_path):
    with Archive(tmp_path / "a.sqlite") as arc:
        mid, _, _ = arc.write_document(Document("arboga.txt", "x", "txt", "h"),
                                       MeetingMeta(kind="minutes", body="Förebyggande rådet", year=2021),
                                       [AgendaItem("5", "Fokusgrupp motorburen ungdom", "EPA-traktorer.", 0, 1)])
        arc.write_enrichment(arc.item_ids(mid)[0], [], [TopicTag("motorburen-ungdom", "Motorburen ungdom", 0.9)])
        by_year = timeline(arc, topic="motorburen-ungdom", by="year")
        by_month = timeline(arc, topic="motorburen-ungdom", by="month")
    assert [r.period for r in by_year.rows] == ["2021"] and by_year.rows[0].meetings_held == 1
    # Known only by its year: a row of its own at the precision known, not "okänt datum".
    assert [(r.period, r.precision, r.meetings_held) for r in by_month.rows] == [("2021", "year", 1)]
    assert by_month.rows[0].council_key == "/förebyggande råd" and by_month.rows[0].body == "Förebyggande rådet"
    assert any("månad eller år" in n for n in by_month.notes) and by_month.undated_items == 0


def test_undated_and_month_only_rows_carry_their_council(tmp_path):
    """Undated and month-only mentions are rows of their own with municipality and body."""
    with Archive(tmp_path / "a.sqlite") as arc:
        for name, mun, meta in [("a.txt", "Arboga", dict(year=2021, month=9)), ("k.txt", "Köping", {}),
                                ("h.txt", "Hallstahammar", dict(date=dt.date(2021, 9, 15)))]:
            mid, _, _ = arc.write_document(Document(name, "x", "txt", name),
                                           MeetingMeta(kind="minutes", body="Trygghetsrådet", municipality=mun, **meta),
                                           [AgendaItem("1", "Motorburen ungdom", "EPA-traktorer.", 0, 1)])
            arc.write_enrichment(arc.item_ids(mid)[0], [], [TopicTag("mu", "Motorburen ungdom", 0.9)])
        t = timeline(arc, topic="mu")
    rows = [(r.period, r.precision, r.municipality, r.body, r.meetings_held) for r in t.rows]
    assert rows == [("2021-09", "month", "Arboga", "Trygghetsrådet", 1),
                    ("2021-09-15", "meeting", "Hallstahammar", "Trygghetsrådet", 1),
                    (UNKNOWN_PERIOD, None, "Köping", "Trygghetsrådet", 1)]
    assert t.rows[-1].council.startswith("Köping") and t.undated_items == 1


def test_kind_filter_is_applied(archive, tmp_path):
    """`timeline --kind` used to be accepted and dropped: news items counted as minutes."""
    everything = timeline(archive, topic="motorburen_ungdom", by="year")
    minutes = timeline(archive, topic="motorburen_ungdom", by="year", filters=Filters(kind="minutes"))
    news = timeline(archive, topic="motorburen_ungdom", by="year", filters=Filters(kind="news"))
    assert everything.total_items == minutes.total_items + news.total_items and news.total_items == 1
    assert [(r.municipality, r.meetings_held) for r in news.rows] == [("Västerås", 1)]
    settings = load_settings(archive_dir=tmp_path)
    query = timeline(archive, query="klotter", settings=settings, mode="keyword", filters=Filters(kind="news"))
    assert query.total_items == 1


def test_csv_neutralises_formula_cells(tmp_path):
    """Issue 15: a body or municipality written like a formula is text in the CSV."""
    with Archive(tmp_path / "a.sqlite") as arc:
        _meeting(arc, "x.txt", "2021-01-20", [("Lägesbild", "Epatraktorer.")], body="@SUM(A1)", municipality="=cmd|' /C calc'!A0")
        text = timeline(arc, topic="motorburen_ungdom").to_csv(sep=";")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert rows[0]["municipality"] == "'=cmd|' /C calc'!A0" and rows[0]["body"] == "'@SUM(A1)"
    assert not any(v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values() if v)


def test_question_words_are_not_required_terms(archive, tmp_path):
    """"När diskuterade vi klotter" counts the items about klotter: minutes do not say "diskuterade"."""
    from index.timeline import issue_words

    assert issue_words("När diskuterade vi motorburen ungdom?") == "När vi motorburen ungdom?"
    assert issue_words("diskuterade") == "diskuterade"  # nothing else left: the query as typed
    settings = load_settings(archive_dir=tmp_path)
    minutes = Filters(kind="minutes")
    plain = timeline(archive, query="klotter", settings=settings, mode="keyword", filters=minutes)
    asked = timeline(archive, query="när diskuterade vi klotter", settings=settings, mode="keyword", filters=minutes)
    assert sum(r.item_count for r in asked.rows) == sum(r.item_count for r in plain.rows) == 2


def test_stop_words_are_not_required_terms(archive, tmp_path):
    settings = load_settings(archive_dir=tmp_path)
    minutes = Filters(kind="minutes")
    rows = timeline(archive, query="klotter på skolan", settings=settings, mode="keyword", filters=minutes).rows
    assert [r.period for r in rows] == ["2021-01-20", "2021-09-15"]  # as for "klotter skolan": "på" not required
