"""Research exports: items, meetings, entities, topics, threads, follow-ups.

Formats: JSON Lines (one record a line, UTF-8, lists and objects native),
CSV (UTF-8 with BOM, comma separated by default, list and object fields as
JSON strings, a text cell that starts like a spreadsheet formula prefixed
with ``'``: see :func:`safe_cell`) and Parquet (pyarrow; lists as list<struct>). Files are written
atomically (temporary file in the same folder, then rename). The fields of
every table are documented in ``docs/export-schema.md``; the first twelve
item fields are a fixed contract.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import pyarrow as pa
import pyarrow.parquet as pq

from index.store import Archive
from radslag.councils import council_key, council_name
from radslag.periods import date_source, when
from radslag.safe import mask_value
from radslag.types import Filters

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

#: Fields every table ends with: the meeting's time as precisely as known
#: (:func:`radslag.periods.when`: ``2021-09-15``, ``2021-09`` or ``2021``) and
#: its council, (municipality, body) (:mod:`radslag.councils`).
COUNCIL_FIELDS: list[tuple[str, pa.DataType]] = [
    ("when", pa.string()), ("council", pa.string()), ("council_key", pa.string()),
]
SCHEMAS["meetings"] += [("year", pa.int64()), ("month", pa.int64()), ("date_precision", pa.string()),
                       ("date_source", pa.string())]
SCHEMAS["followups"] += [("who_written", pa.string())]
for _table in SCHEMAS.values():
    _table += COUNCIL_FIELDS

#: The fixed leading fields of item records (a contract with users).
ITEM_FIELDS = tuple(name for name, _ in SCHEMAS["items"][:12])


def _council(municipality: str | None, body: str | None) -> dict[str, str]:
    return {"council": council_name(municipality, body), "council_key": council_key(municipality, body)}


def fields(what: str) -> list[str]:
    """Field names of a table in output order."""
    return [name for name, _ in SCHEMAS[what]]


# -- rows ---------------------------------------------------------------------------


def _entity(e: Any) -> dict[str, Any]:
    return {"text": e.text, "label": e.label, "start": e.start, "end": e.end, "canonical": e.canonical}


def item_rows(archive: Archive, filters: Filters | None = None) -> list[dict[str, Any]]:
    """Item records (fields as in :data:`SCHEMAS` ``items``)."""
    tids = archive.thread_of_items()
    return [
        {
            "source": r.source, "meeting_id": r.meeting_id, "date": r.date, "body": r.body,
            "municipality": r.municipality, "kind": r.kind, "item_number": r.number, "title": r.title,
            "text": r.text, "pages": r.pages,
            "entities": [_entity(e) for e in r.entities],
            "topics": [{"id": t.id, "label": t.label, "score": round(t.score, 4)} for t in r.topics],
            "item_id": r.id, "ordinal": r.ordinal, "dnr": r.dnr, "heading_source": r.heading_source,
            "thread_id": tids.get(r.id), "when": when(r), **_council(r.municipality, r.body),
        }
        for r in archive.items(filters)
    ]


def meeting_rows(archive: Archive, filters: Filters | None = None) -> list[dict[str, Any]]:
    return [r.to_json() | {"meeting_id": r.id, "when": when(r), "date_precision": r.date_precision,
                           "date_source": date_source(r), **_council(r.municipality, r.body)}
            for r in archive.meetings(filters)]


def entity_rows(archive: Archive, filters: Filters | None = None) -> list[dict[str, Any]]:
    return [
        {"source": r.source, "meeting_id": r.meeting_id, "date": r.date, "body": r.body,
         "municipality": r.municipality, "item_id": r.id, "item_number": r.number, "when": when(r),
         **_council(r.municipality, r.body)} | _entity(e)
        for r in archive.items(filters) for e in r.entities
    ]


def topic_rows(archive: Archive, filters: Filters | None = None) -> list[dict[str, Any]]:
    return [
        {"source": r.source, "meeting_id": r.meeting_id, "date": r.date, "body": r.body,
         "municipality": r.municipality, "item_id": r.id, "item_number": r.number, "topic_id": t.id,
         "label": t.label, "score": t.score, "method": t.method, "when": when(r),
         **_council(r.municipality, r.body)}
        for r in sorted(archive.items(filters), key=lambda r: r.id) for t in r.topics
    ]


def thread_rows(archive: Archive, filters: Filters | None = None) -> list[dict[str, Any]]:
    allowed = archive.filter_item_ids(filters)
    known = {m.id: when(m) for m in archive.meetings()}
    return [
        {"thread_id": e.thread_id, "position": e.position, "item_id": e.item_id, "meeting_id": e.meeting_id,
         "source": e.source, "date": e.date, "body": e.body, "municipality": e.municipality,
         "item_number": e.number, "title": e.title, "predecessor_item_id": e.predecessor, "score": e.score,
         "similarity": e.similarity, "reasons": e.reasons, "when": known.get(e.meeting_id),
         **_council(e.municipality, e.body)}
        for e in archive.thread_entries()
        if allowed is None or e.item_id in allowed
    ]


def followup_rows(archive: Archive, filters: Filters | None = None) -> list[dict[str, Any]]:
    from index.followups import present  # index.followups imports the embedder: only when exporting these

    known = {m.id: when(m) for m in archive.meetings()}
    return [r.to_json() | {"followup_id": r.id, "when": known.get(r.meeting_id)}
            for r in present(archive.followups(filters), merge=False)]


_ROWS = {"items": item_rows, "meetings": meeting_rows, "entities": entity_rows, "topics": topic_rows,
         "threads": thread_rows, "followups": followup_rows}


def rows_for(archive: Archive, what: str, filters: Filters | None = None, mask: bool = False) -> list[dict[str, Any]]:
    """Records of one table, ordered by meeting date, with ``filters`` applied to its meetings and items.

    With ``mask``, personal identity numbers, phone numbers and e-mail
    addresses in every text value are masked (``settings.masks("export")``).
    """
    if what not in _ROWS:
        raise ValueError(f"what must be one of {WHATS} or 'all'")
    rows = _ROWS[what](archive, filters)
    order = fields(what)
    rows = [{k: r.get(k) for k in order} for r in rows]
    return mask_value(rows) if mask else rows


# -- writing ---------------------------------------------------------------------------


#: First characters that make a spreadsheet read a cell as a formula (or split it).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows as text: a text starting like a formula gets a leading ``'``.

    Excel, LibreOffice and Google Sheets run a cell starting with ``=``,
    ``+``, ``-`` or ``@`` as a formula (and tab or CR can start one after a
    split), so document text such as ``=HYPERLINK(...)`` or ``-2+3`` is
    neutralised; numbers stay numbers.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv_value(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return safe_cell(json.dumps(value, ensure_ascii=False))
    return "" if value is None else safe_cell(value)


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
    archive: Archive,
    what: str = "items",
    fmt: str = "jsonl",
    out: str | Path = ".",
    filters: Filters | None = None,
    sep: str = ",",
    mask: bool = False,
) -> list[Path]:
    """Export one table (or ``all``) to files.

    Args:
        archive: The open archive.
        what: A table in :data:`WHATS` or ``all``.
        fmt: ``jsonl``, ``csv`` or ``parquet``.
        out: A file path for one table, or a folder (existing, ending in a
            path separator, or always for ``all``): files are then named
            ``<table>.<fmt>``.
        filters: Which meetings and items to export (every table).
        sep: CSV separator.
        mask: Mask personal data in every table (see :func:`rows_for`).

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
        rows = rows_for(archive, table, filters, mask=mask)
        path = out / f"{table}.{fmt}" if as_dir else out
        written.append(_atomic(path, fmt, rows, table, sep))
    return written
