"""Export: field order, CSV/JSONL/Parquet round trips, atomic files, stdout writer."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from make_series import write_series  # noqa: E402

from index.export import ITEM_FIELDS, export, fields, rows_for, write_rows  # noqa: E402
from index.followups import update_status  # noqa: E402
from index.store import Archive  # noqa: E402
from index.threads import build_threads  # noqa: E402
from ingest.pipeline import detect_meeting_followups  # noqa: E402
from radslag.types import AgendaItem, Document, Filters, MeetingMeta  # noqa: E402
from tests.archives import write_arboga_year_only  # noqa: E402

LEADING = ("source", "meeting_id", "date", "body", "municipality", "kind", "item_number", "title", "text",
           "pages", "entities", "topics")


@pytest.fixture()
def archive(tmp_path):
    a = Archive(tmp_path / "a.sqlite")
    write_series(a)
    build_threads(a, method="tfidf")
    detect_meeting_followups(a)
    update_status(a)
    yield a
    a.close()


def test_item_field_order(archive):
    assert ITEM_FIELDS == LEADING
    rows = rows_for(archive, "items")
    assert tuple(rows[0])[:12] == LEADING
    with_ents = next(r for r in rows if r["entities"])
    assert set(with_ents["entities"][0]) == {"text", "label", "start", "end", "canonical"}
    with_topics = next(r for r in rows if r["topics"])
    assert set(with_topics["topics"][0]) == {"id", "label", "score"}


def test_jsonl_roundtrip(archive, tmp_path):
    since = Filters(since="2023-01-01")
    [path] = export(archive, "items", "jsonl", tmp_path / "items.jsonl", filters=since)
    lines = [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines()]
    assert lines == json.loads(json.dumps(rows_for(archive, "items", since)))
    assert all(l["date"] >= "2023-01-01" for l in lines)
    assert not list(tmp_path.glob(".*.tmp"))


def test_csv_roundtrip(archive, tmp_path):
    [path] = export(archive, "items", "csv", tmp_path / "items.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0])[:12] == LEADING
    orig = rows_for(archive, "items")
    assert len(rows) == len(orig)
    assert [json.loads(r["entities"]) for r in rows] == [o["entities"] for o in orig]
    assert rows[3]["title"] == orig[3]["title"] and "ö" in "".join(r["text"] for r in rows)


def test_parquet_roundtrip_all_tables(archive, tmp_path):
    paths = export(archive, "all", "parquet", tmp_path / "out")
    assert {p.name for p in paths} == {f"{w}.parquet" for w in ("items", "meetings", "entities", "topics", "threads", "followups")}
    for p in paths:
        table = pq.read_table(p)
        what = p.stem
        assert table.column_names == fields(what)
        assert table.num_rows == len(rows_for(archive, what)) > 0
    items = pq.read_table(tmp_path / "out" / "items.parquet").to_pylist()
    assert items == rows_for(archive, "items")


def test_write_rows_to_stream(archive):
    buf = io.StringIO()
    n = write_rows(rows_for(archive, "items", Filters(body="trygghetsråd")), "csv", buf, bom=False)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert not buf.getvalue().startswith("\ufeff") and tuple(rows[0])[:12] == LEADING
    assert n == len(rows) == len(archive.items()) > 0
    buf = io.StringIO()
    write_rows(rows_for(archive, "items"), "jsonl", buf)
    assert json.loads(buf.getvalue().splitlines()[0])["source"].endswith(".txt")


def test_every_table_honours_the_kind_filter(archive, tmp_path):
    """`export --kind` was applied to items on stdout only, never to files or other tables."""
    text = "Nyhet om klotter. Vi tar med oss frågan."
    archive.write_document(Document("nyhet.txt", text, "txt", "n"),
                           MeetingMeta(kind="news", body="Trygghetsrådet", municipality="Exempelstad"),
                           [AgendaItem(None, "Nyhet", text, 0, len(text))])
    detect_meeting_followups(archive)
    paths = export(archive, "all", "jsonl", tmp_path / "news", filters=Filters(kind="news"))
    for path in paths:
        lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        if path.stem in ("items", "meetings"):
            assert [line["source"] for line in lines] == ["nyhet.txt"], path.stem
        else:
            assert all(line["source"] == "nyhet.txt" for line in lines), path.stem
    assert len(rows_for(archive, "followups", Filters(kind="news"))) == 1
    assert all(r["kind"] == "minutes" for r in rows_for(archive, "items", Filters(kind="minutes")))


def test_every_table_names_the_council_and_the_time_as_precisely_as_known(tmp_path):
    with Archive(tmp_path / "y.sqlite") as a:
        write_arboga_year_only(a, "Vi tar med oss frågan om belysningen.", "y", "Belysning",
                               "Vi tar med oss frågan om belysningen.")
        detect_meeting_followups(a)
        [meeting] = rows_for(a, "meetings")
        [item] = rows_for(a, "items")
        [promise] = rows_for(a, "followups")
    assert (meeting["when"], meeting["date_precision"], meeting["date_source"]) == ("2021", "year", "text:ort den år")
    assert meeting["council"] == item["council"] == "Arboga – Förebyggande rådet"
    assert item["council_key"] == "arboga/förebyggande råd" and item["when"] == "2021"
    assert (promise["who"], promise["who_written"], promise["when"]) == ("Arboga – Förebyggande rådet", "vi", "2021")
    assert all(f in fields(w) for w in ("items", "meetings", "entities", "topics", "threads", "followups")
               for f in ("when", "council", "council_key"))
