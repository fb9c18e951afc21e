"""Research exports: items, meetings, entities, topics, threads, follow-ups.

Formats: JSON Lines (one record a line, UTF-8, lists and objects native),
CSV (UTF-8 with BOM, comma separated by default, list and object fields as
JSON strings) and Parquet (pyarrow; lists as list<struct>). Files are written
atomically (temporary file in the same folder, then rename). The fields of
every table are documented in ``docs/export-schema.md``; the first twelve
item fields are a fixed contract.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import pyarrow as pa

WHATS = ("items", "meetings", "entities", "topics", "threads", "followups")
FORMATS = ("jsonl", "csv", "parquet")

_ENTITY = pa.struct([("text", pa.string()), ("label", pa.string()), ("start", pa.int64()),
                     ("end", pa.int64()), ("canonical", pa.string())])
_TOPIC = pa.struct([("id", pa.string()), ("label", pa.string()), ("score", pa.float64())])

#: Field names and Arrow types per table, in output order.
SCHEMAS: dict[str, list[tuple[str, pa.DataType]]] = {
    "items": [
        ("source", pa.string()), ("meeting_id", pa.int64()), ("date", pa.string()), ("body", pa.string()),
        ("municipality", pa.string()), ("kind", pa.string()), ("item_number", pa.string()),
        ("title", pa.string()), ("text", pa.string()), ("pages", pa.list_(pa.int64())),
        ("entities", pa.list_(_ENTITY)), ("topics", pa.list_(_TOPIC)),
        ("item_id", pa.int64()), ("ordinal", pa.int64()), ("dnr", pa.string()), ("heading_source", pa.string()),
        ("thread_id", pa.int64()),
    ],
    "meetings": [
        ("meeting_id", pa.int64()), ("source", pa.string()), ("date", pa.string()), ("time", pa.string()),
        ("body", pa.string()), ("municipality", pa.string()), ("kind", pa.string()), ("place", pa.string()),
        ("title", pa.string()), ("chair", pa.string()), ("secretary", pa.string()), ("next_meeting", pa.string()),
        ("participants", pa.list_(pa.struct([("name", pa.string()), ("role", pa.string()),
                                             ("party", pa.string()), ("group", pa.string())]))),
        ("item_count", pa.int64()), ("reader", pa.string()),
    ],
    "entities": [
        ("source", pa.string()), ("meeting_id", pa.int64()), ("date", pa.string()), ("body", pa.string()),
        ("municipality", pa.string()), ("item_id", pa.int64()), ("item_number", pa.string()),
        ("text", pa.string()), ("label", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
        ("canonical", pa.string()),
    ],
    "topics": [
        ("source", pa.string()), ("meeting_id", pa.int64()), ("date", pa.string()), ("body", pa.string()),
        ("municipality", pa.string()), ("item_id", pa.int64()), ("item_number", pa.string()),
        ("topic_id", pa.string()), ("label", pa.string()), ("score", pa.float64()), ("method", pa.string()),
    ],
    "threads": [
        ("thread_id", pa.int64()), ("position", pa.int64()), ("item_id", pa.int64()), ("meeting_id", pa.int64()),
        ("source", pa.string()), ("date", pa.string()), ("body", pa.string()), ("municipality", pa.string()),
        ("item_number", pa.string()), ("title", pa.string()), ("predecessor_item_id", pa.int64()),
        ("score", pa.float64()), ("similarity", pa.float64()), ("reasons", pa.list_(pa.string())),
    ],
    "followups": [
        ("followup_id", pa.int64()), ("source", pa.string()), ("meeting_id", pa.int64()), ("date", pa.string()),
        ("body", pa.string()), ("municipality", pa.string()), ("item_id", pa.int64()),
        ("item_number", pa.string()), ("item_title", pa.string()), ("who", pa.string()), ("what", pa.string()),
        ("due", pa.string()), ("sentence", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
        ("cue", pa.string()), ("status", pa.string()), ("answered_by_item_id", pa.int64()),
        ("answered_date", pa.string()), ("answered_reason", pa.string()), ("answered_score", pa.float64()),
    ],
}

#: The fixed leading fields of item records (a contract with users).
ITEM_FIELDS = tuple(name for name, _ in SCHEMAS["items"][:12])


def fields(what: str) -> list[str]:
    """Field names of a table in output order."""
    return [name for name, _ in SCHEMAS[what]]


# -- rows ---------------------------------------------------------------------------


def _thread_ids(archive) -> dict[int, int]:
    try:
        return {r[0]: r[1] for r in archive.conn.execute("SELECT item_id, thread_id FROM threads")}
    except Exception:  # noqa: BLE001 - threads not built
        return {}


def item_rows(archive, **filters: Any) -> list[dict[str, Any]]:
    """Item records (fields as in :data:`SCHEMAS` ``items``)."""
    tids = _thread_ids(archive)
    out = []
    for r in archive.items(**filters):
        out.append({
            "source": r["source"], "meeting_id": r["meeting_id"], "date": r["date"], "body": r["body"],
            "municipality": r["municipality"], "kind": r["kind"], "item_number": r["number"], "title": r["title"],
            "text": r["text"], "pages": r["pages"] or [],
            "entities": [{k: e.get(k) for k in ("text", "label", "start", "end", "canonical")} for e in r["entities"]],
            "topics": [{k: t.get(k) for k in ("id", "label", "score")} for t in r["topics"]],
            "item_id": r["id"], "ordinal": r["ordinal"], "dnr": r["dnr"], "heading_source": r["heading_source"],
            "thread_id": tids.get(r["id"]),
        })
    return out


def meeting_rows(archive, **filters: Any) -> list[dict[str, Any]]:
    out = []
    for m in archive.meetings(**filters):
        rec = {k: m.get(k) for k in fields("meetings")}
        rec["meeting_id"] = m["id"]
        rec["participants"] = [{k: p.get(k) for k in ("name", "role", "party", "group")} for p in m["participants"]]
        out.append(rec)
    return out


def entity_rows(archive, **filters: Any) -> list[dict[str, Any]]:
    return [
        {"source": r["source"], "meeting_id": r["meeting_id"], "date": r["date"], "body": r["body"],
         "municipality": r["municipality"], "item_id": r["id"], "item_number": r["number"]}
        | {k: e.get(k) for k in ("text", "label", "start", "end", "canonical")}
        for r in archive.items(**filters) for e in r["entities"]
    ]


def topic_rows(archive, **filters: Any) -> list[dict[str, Any]]:
    ids = {r["id"]: r for r in archive.items(**filters)}
    rows = archive.conn.execute("SELECT * FROM item_topics ORDER BY item_id, score DESC").fetchall()
    return [
        {"source": ids[t["item_id"]]["source"], "meeting_id": ids[t["item_id"]]["meeting_id"],
         "date": ids[t["item_id"]]["date"], "body": ids[t["item_id"]]["body"],
         "municipality": ids[t["item_id"]]["municipality"], "item_id": t["item_id"],
         "item_number": ids[t["item_id"]]["number"], "topic_id": t["topic_id"], "label": t["label"],
         "score": t["score"], "method": t["method"]}
        for t in rows if t["item_id"] in ids
    ]


def thread_rows(archive, **filters: Any) -> list[dict[str, Any]]:
    allowed = archive.filter_item_ids(**filters)
    rows = archive.conn.execute(
        "SELECT t.thread_id, t.position, t.item_id, i.meeting_id, d.source, m.date, m.body, m.municipality,"
        " i.number AS item_number, i.title, l.src_item_id AS predecessor_item_id, l.score, l.similarity, l.reasons"
        " FROM threads t JOIN items i ON i.id = t.item_id JOIN meetings m ON m.id = i.meeting_id"
        " JOIN documents d ON d.id = m.document_id LEFT JOIN thread_links l ON l.dst_item_id = t.item_id"
        " ORDER BY t.thread_id, t.position"
    ).fetchall()
    out = []
    for r in rows:
        if allowed is not None and r["item_id"] not in allowed:
            continue
        rec = dict(r)
        rec["reasons"] = json.loads(rec["reasons"]) if rec["reasons"] else []
        out.append(rec)
    return out


def followup_rows(archive, **filters: Any) -> list[dict[str, Any]]:
    from ingest.followups import followups

    out = []
    for f in followups(archive, body=filters.get("body"), municipality=filters.get("municipality"),
                       since=filters.get("since"), until=filters.get("until")):
        rec = {k: f.get(k) for k in fields("followups")}
        rec["followup_id"] = f["id"]
        out.append(rec)
    return out


_ROWS = {"items": item_rows, "meetings": meeting_rows, "entities": entity_rows, "topics": topic_rows,
         "threads": thread_rows, "followups": followup_rows}


def rows_for(archive, what: str, **filters: Any) -> list[dict[str, Any]]:
    """Records of one table, ordered by meeting date, with ``filters`` applied."""
    if what not in _ROWS:
        raise ValueError(f"what must be one of {WHATS} or 'all'")
    filters = {k: v for k, v in filters.items() if v is not None}
    rows = _ROWS[what](archive, **filters)
    order = fields(what)
    return [{k: r.get(k) for k in order} for r in rows]


# -- writing ---------------------------------------------------------------------------


def _csv_value(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


def write_rows(rows: Iterable[dict[str, Any]], fmt: str, stream: TextIO | BinaryIO, what: str = "items",
               sep: str = ",", bom: bool = True) -> int:
    """Write records to an open stream; return the number written.

    Args:
        rows: Records (dicts in field order).
        fmt: ``jsonl``, ``csv`` or ``parquet`` (parquet needs a binary stream).
        stream: Text stream for jsonl/csv (a binary one is accepted too),
            binary for parquet.
        what: Table name, for the Parquet schema and CSV header.
        sep: CSV separator (``;`` for Swedish Excel).
        bom: Start CSV with a UTF-8 BOM (Excel needs it for å, ä, ö).
    """
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}")
    rows = list(rows)
    if fmt == "parquet":
        import pyarrow.parquet as pq

        schema = pa.schema(SCHEMAS[what])
        table = pa.Table.from_pylist([{k: r.get(k) for k in schema.names} for r in rows], schema=schema)
        pq.write_table(table, stream)
        return len(rows)
    buf = io.StringIO()
    if fmt == "jsonl":
        for r in rows:
            buf.write(json.dumps(r, ensure_ascii=False) + "\n")
    else:
        if bom:
            buf.write("\ufeff")
        writer = csv.writer(buf, delimiter=sep, lineterminator="\n")
        writer.writerow(fields(what))
        for r in rows:
            writer.writerow([_csv_value(r.get(k)) for k in fields(what)])
    text = buf.getvalue()
    if isinstance(stream, io.TextIOBase) or hasattr(stream, "encoding"):
        stream.write(text)
    else:
        stream.write(text.encode("utf-8"))
    return len(rows)


def write_items(rows: Iterable[dict[str, Any]], fmt: str, stream: TextIO | BinaryIO | None = None,
                sep: str = ",") -> int:
    """Write item records to ``stream`` (stdout by default; parquet goes to its binary buffer).

    CSV written to a terminal or pipe carries no BOM; files written by
    :func:`export` do.
    """
    if stream is None:
        stream = sys.stdout.buffer if fmt == "parquet" else sys.stdout
    return write_rows(rows, fmt, stream, what="items", sep=sep, bom=False)


def _atomic(path: Path, fmt: str, rows: list[dict[str, Any]], what: str, sep: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            write_rows(rows, fmt, fh, what=what, sep=sep)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def export(
    archive,
    what: str = "items",
    fmt: str = "jsonl",
    out: str | Path = ".",
    body: str | None = None,
    municipality: str | None = None,
    since: str | None = None,
    until: str | None = None,
    sep: str = ",",
) -> list[Path]:
    """Export one table (or ``all``) to files.

    Args:
        archive: The open archive.
        what: A table in :data:`WHATS` or ``all``.
        fmt: ``jsonl``, ``csv`` or ``parquet``.
        out: A file path for one table, or a folder (existing, ending in a
            path separator, or always for ``all``): files are then named
            ``<table>.<fmt>``.
        body, municipality, since, until: Meeting filters (substring match,
            ISO dates inclusive).
        sep: CSV separator.

    Returns:
        The paths written.
    """
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}")
    tables = list(WHATS) if what == "all" else [what]
    if what != "all" and what not in WHATS:
        raise ValueError(f"what must be one of {WHATS} or 'all'")
    out = Path(out)
    as_dir = what == "all" or out.is_dir() or str(out).endswith(os.sep)
    written = []
    for table in tables:
        rows = rows_for(archive, table, body=body, municipality=municipality, since=since, until=until)
        path = out / f"{table}.{fmt}" if as_dir else out
        written.append(_atomic(path, fmt, rows, table, sep))
    return written
