"""The SQLite archive: documents, meetings, agenda items, passages, enrichment.

SQLite is used fully: a versioned schema (``PRAGMA user_version``), foreign
keys with cascading deletes, JSON columns read with ``json_extract``, an FTS5
table for keyword search and one transaction per document so a crash never
leaves half a meeting behind. Vectors live in FAISS (:mod:`index.vectors`);
their ids are the ``passages.id`` values here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from radslag.types import AgendaItem, Document, Entity, MeetingMeta, Passage, TopicTag

SCHEMA_VERSION = 2

#: Steps that bring an archive of version N up to N + 1 before the
#: (idempotent, CREATE ... IF NOT EXISTS) schema script runs.
_MIGRATIONS: dict[int, str] = {
    1: "ALTER TABLE meetings ADD COLUMN year INTEGER;"
    " UPDATE meetings SET year = CAST(substr(date, 1, 4) AS INTEGER) WHERE date IS NOT NULL;"
    # passages are derived data: recreated with never-reused ids, then rebuilt
    # by the next ingest or `radslag reindex` (the vector index syncs to them)
    " DROP TABLE IF EXISTS passages;",
}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS documents (
    id            INTEGER PRIMARY KEY,
    source        TEXT NOT NULL UNIQUE,
    content_hash  TEXT NOT NULL,
    size          INTEGER NOT NULL DEFAULT 0,
    reader        TEXT NOT NULL,
    kind          TEXT NOT NULL,
    encoding      TEXT,
    text          TEXT NOT NULL,
    pages         TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(pages)),
    front_matter  TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(front_matter)),
    warnings      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(warnings)),
    ingested_at   TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meetings (
    id            INTEGER PRIMARY KEY,
    document_id   INTEGER NOT NULL UNIQUE REFERENCES documents(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    body          TEXT,
    municipality  TEXT,
    date          TEXT,
    year          INTEGER,  -- the date's year, or a year known without the full date
    time          TEXT,
    place         TEXT,
    chair         TEXT,
    secretary     TEXT,
    next_meeting  TEXT,
    title         TEXT,
    participants  TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(participants)),
    provenance    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(provenance))
);
CREATE INDEX IF NOT EXISTS meetings_body_date ON meetings(body, date);
CREATE INDEX IF NOT EXISTS meetings_date ON meetings(date);
CREATE TABLE IF NOT EXISTS items (
    id             INTEGER PRIMARY KEY,
    meeting_id     INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    ordinal        INTEGER NOT NULL,
    number         TEXT,
    title          TEXT NOT NULL,
    text           TEXT NOT NULL,
    start          INTEGER NOT NULL,
    end            INTEGER NOT NULL,
    pages          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(pages)),
    dnr            TEXT,
    heading_source TEXT NOT NULL,
    UNIQUE (meeting_id, ordinal)
);
CREATE INDEX IF NOT EXISTS items_meeting ON items(meeting_id);
-- AUTOINCREMENT: passage ids are FAISS vector ids and must never be reused,
-- or a vector left behind by an interrupted run could pass for a new passage.
CREATE TABLE IF NOT EXISTS passages (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id  INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    ordinal  INTEGER NOT NULL,
    text     TEXT NOT NULL,
    start    INTEGER NOT NULL,
    end      INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS passages_item ON passages(item_id);
CREATE TABLE IF NOT EXISTS entities (
    id        INTEGER PRIMARY KEY,
    item_id   INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    text      TEXT NOT NULL,
    label     TEXT NOT NULL,
    start     INTEGER NOT NULL,
    end       INTEGER NOT NULL,
    canonical TEXT
);
CREATE INDEX IF NOT EXISTS entities_item ON entities(item_id);
CREATE INDEX IF NOT EXISTS entities_canonical ON entities(canonical);
CREATE TABLE IF NOT EXISTS item_topics (
    item_id  INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    topic_id TEXT NOT NULL,
    label    TEXT NOT NULL,
    score    REAL NOT NULL,
    method   TEXT NOT NULL,
    PRIMARY KEY (item_id, topic_id)
);
CREATE INDEX IF NOT EXISTS item_topics_topic ON item_topics(topic_id);
-- Issue threads (index.threads) and follow-up commitments (ingest.followups).
CREATE TABLE IF NOT EXISTS thread_links (
    src_item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    dst_item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    score       REAL NOT NULL,
    similarity  REAL NOT NULL,
    reasons     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(reasons)),
    method      TEXT NOT NULL,
    PRIMARY KEY (src_item_id, dst_item_id)
);
CREATE INDEX IF NOT EXISTS thread_links_dst ON thread_links(dst_item_id);
CREATE TABLE IF NOT EXISTS threads (
    item_id   INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
    thread_id INTEGER NOT NULL,
    position  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS threads_thread ON threads(thread_id);
CREATE TABLE IF NOT EXISTS followups (
    id                  INTEGER PRIMARY KEY,
    item_id             INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    meeting_id          INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    ordinal             INTEGER NOT NULL,
    who                 TEXT,
    what                TEXT NOT NULL,
    due                 TEXT,
    sentence            TEXT NOT NULL,
    start               INTEGER NOT NULL,
    end                 INTEGER NOT NULL,
    cue                 TEXT NOT NULL,
    context             TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL CHECK (status IN ('öppen', 'besvarad')),
    answered_by_item_id INTEGER REFERENCES items(id) ON DELETE SET NULL,
    answered_reason     TEXT,
    answered_score      REAL,
    UNIQUE (item_id, ordinal)
);
CREATE INDEX IF NOT EXISTS followups_meeting ON followups(meeting_id);
CREATE INDEX IF NOT EXISTS followups_status ON followups(status);
-- Keyword index over items. The columns hold the Swedish analysed form
-- (folded, stemmed, compounds split) from index.keyword, not the raw text.
CREATE VIRTUAL TABLE IF NOT EXISTS items_fts USING fts5(
    title, body,
    tokenize="unicode61 remove_diacritics 0 tokenchars '-_§'"
);
"""


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def _fold(value: str | None) -> str | None:
    return value.casefold() if isinstance(value, str) else value


def _row_dict(row: sqlite3.Row | None) -> dict[str, Any] | None:
    if row is None:
        return None
    data = dict(row)
    for key in ("pages", "front_matter", "warnings", "participants", "provenance", "entities", "topics"):
        if key in data and isinstance(data[key], str):
            data[key] = json.loads(data[key])
    return data


class Archive:
    """A Rådslag archive in one SQLite file.

    Args:
        path: Path of the SQLite database; parent folders are created.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.conn.row_factory = sqlite3.Row
        # SQLite's lower() folds ASCII only; Swedish needs Å, Ä, Ö folded too.
        self.conn.create_function("sv_fold", 1, _fold, deterministic=True)
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self._migrate()

    # -- lifecycle -----------------------------------------------------------

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise RuntimeError(
                f"Arkivet {self.path} har schemaversion {version}, nyare än programmets "
                f"{SCHEMA_VERSION}. Uppdatera Rådslag. (Archive schema is newer than this program.)"
            )
        if version < SCHEMA_VERSION:
            # executescript commits any open transaction, so the script carries its own.
            steps = "".join(_MIGRATIONS[v] for v in range(max(version, 1), SCHEMA_VERSION)) if version else ""
            try:
                self.conn.executescript(
                    "BEGIN IMMEDIATE;" + steps + _SCHEMA + f"PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
                )
            except sqlite3.Error:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    def refresh_keyword_index(self) -> int:
        """Re-analyse every item into FTS5 if the keyword analysis changed.

        Returns:
            The number of items re-analysed (0 when the index was current).
        """
        from index.keyword import analyze, analyzer_fingerprint

        current = analyzer_fingerprint()
        if self.get_setting("keyword_analyzer") == current:
            return 0
        rows = self.conn.execute("SELECT id, title, text FROM items").fetchall()
        with self.transaction() as c:
            c.execute("DELETE FROM items_fts")
            c.executemany(
                "INSERT INTO items_fts(rowid, title, body) VALUES (?, ?, ?)",
                [(r["id"], analyze(r["title"]), analyze(r["text"])) for r in rows],
            )
            c.execute(
                "INSERT INTO settings(key, value) VALUES ('keyword_analyzer', ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (json.dumps(current),),
            )
        return len(rows)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block in one write transaction; roll back on any error."""
        if self.conn.in_transaction:
            yield self.conn
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    # -- settings --------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value: Any) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value, ensure_ascii=False)),
            )

    # -- writing ---------------------------------------------------------------

    def document_status(self, source: str, content_hash: str) -> str:
        """Return ``new``, ``unchanged`` or ``changed`` for a file about to be ingested.

        A file is identified by its source path; the same bytes under another
        path are also ``unchanged`` so a moved copy is not archived twice.
        """
        row = self.conn.execute("SELECT content_hash FROM documents WHERE source = ?", (source,)).fetchone()
        if row is not None:
            return "unchanged" if row[0] == content_hash else "changed"
        same = self.conn.execute("SELECT 1 FROM documents WHERE content_hash = ?", (content_hash,)).fetchone()
        return "unchanged" if same else "new"

    def write_document(
        self, doc: Document, meta: MeetingMeta, items: Sequence[AgendaItem]
    ) -> tuple[int, str, list[int]]:
        """Store a document with its meeting and items in one transaction.

        An earlier version under the same source is deleted (with its items,
        passages and enrichment) in the same transaction.

        Returns:
            ``(meeting_id, status, removed_passage_ids)`` where status is
            ``ingested`` or ``replaced`` and the removed passage ids are the
            vectors the caller must remove from the vector index.
        """
        if not items:
            raise ValueError(f"{doc.source}: a document must have at least one agenda item")
        with self.transaction() as c:
            removed: list[int] = []
            old = c.execute("SELECT id FROM documents WHERE source = ?", (doc.source,)).fetchone()
            if old is not None:
                removed = self._delete_document(old[0])
            cur = c.execute(
                "INSERT INTO documents(source, content_hash, size, reader, kind, encoding, text, pages,"
                " front_matter, warnings, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    doc.source,
                    doc.content_hash,
                    doc.size,
                    doc.reader,
                    meta.kind,
                    doc.encoding,
                    doc.text,
                    json.dumps([asdict(p) for p in doc.pages]),
                    json.dumps(doc.front_matter, ensure_ascii=False, default=str),
                    json.dumps(doc.warnings, ensure_ascii=False),
                    _now(),
                ),
            )
            document_id = cur.lastrowid
            cur = c.execute(
                "INSERT INTO meetings(document_id, kind, body, municipality, date, year, time, place, chair,"
                " secretary, next_meeting, title, participants, provenance) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    document_id,
                    meta.kind,
                    meta.body,
                    meta.municipality,
                    meta.date.isoformat() if meta.date else None,
                    meta.date.year if meta.date else meta.year,
                    meta.time,
                    meta.place,
                    meta.chair,
                    meta.secretary,
                    meta.next_meeting,
                    meta.title,
                    json.dumps([asdict(p) for p in meta.participants], ensure_ascii=False),
                    json.dumps(meta.provenance, ensure_ascii=False),
                ),
            )
            meeting_id = cur.lastrowid
            from index.keyword import analyze  # local import: keyword imports nothing from here

            for ordinal, item in enumerate(items):
                cur = c.execute(
                    "INSERT INTO items(meeting_id, ordinal, number, title, text, start, end, pages, dnr,"
                    " heading_source) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (
                        meeting_id,
                        ordinal,
                        item.number,
                        item.title,
                        item.text,
                        item.start,
                        item.end,
                        json.dumps(item.pages),
                        item.dnr,
                        item.heading_source,
                    ),
                )
                c.execute(
                    "INSERT INTO items_fts(rowid, title, body) VALUES (?, ?, ?)",
                    (cur.lastrowid, analyze(item.title), analyze(item.text)),
                )
            return meeting_id, ("replaced" if old is not None else "ingested"), removed

    def _delete_document(self, document_id: int) -> list[int]:
        c = self.conn
        passage_ids = [
            r[0]
            for r in c.execute(
                "SELECT p.id FROM passages p JOIN items i ON i.id = p.item_id"
                " JOIN meetings m ON m.id = i.meeting_id WHERE m.document_id = ?",
                (document_id,),
            )
        ]
        for (item_id,) in c.execute(
            "SELECT i.id FROM items i JOIN meetings m ON m.id = i.meeting_id WHERE m.document_id = ?",
            (document_id,),
        ).fetchall():
            c.execute("DELETE FROM items_fts WHERE rowid = ?", (item_id,))
        c.execute("DELETE FROM documents WHERE id = ?", (document_id,))
        return passage_ids

    def delete_source(self, source: str) -> list[int]:
        """Delete a document by source path; return its passage ids."""
        with self.transaction() as c:
            row = c.execute("SELECT id FROM documents WHERE source = ?", (source,)).fetchone()
            return self._delete_document(row[0]) if row else []

    def write_passages(self, passages: Sequence[Passage]) -> list[int]:
        """Insert passages and return their ids (used as vector ids)."""
        ids = []
        with self.transaction() as c:
            for p in passages:
                cur = c.execute(
                    "INSERT INTO passages(item_id, ordinal, text, start, end) VALUES (?,?,?,?,?)",
                    (p.item_id, p.ordinal, p.text, p.start, p.end),
                )
                ids.append(cur.lastrowid)
        return ids

    def clear_passages(self) -> None:
        with self.transaction() as c:
            c.execute("DELETE FROM passages")

    def write_enrichment(
        self, item_id: int, entities: Sequence[Entity], topics: Sequence[TopicTag]
    ) -> None:
        """Replace an item's entities and topics in one transaction."""
        with self.transaction() as c:
            c.execute("DELETE FROM entities WHERE item_id = ?", (item_id,))
            c.execute("DELETE FROM item_topics WHERE item_id = ?", (item_id,))
            c.executemany(
                "INSERT INTO entities(item_id, text, label, start, end, canonical) VALUES (?,?,?,?,?,?)",
                [(item_id, e.text, e.label, e.start, e.end, e.canonical) for e in entities],
            )
            c.executemany(
                "INSERT INTO item_topics(item_id, topic_id, label, score, method) VALUES (?,?,?,?,?)",
                [(item_id, t.id, t.label, t.score, t.method) for t in topics],
            )

    # -- reading ---------------------------------------------------------------

    def count(self, table: str) -> int:
        if table not in {"documents", "meetings", "items", "passages", "entities", "item_topics", "thread_links",
                         "threads", "followups"}:
            raise ValueError(table)
        return self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def meetings(
        self,
        body: str | None = None,
        municipality: str | None = None,
        kind: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> list[dict[str, Any]]:
        """List meetings with their document source and item count, oldest first."""
        where, args = meeting_filters(body=body, municipality=municipality, kind=kind, since=since, until=until)
        rows = self.conn.execute(
            "SELECT m.*, d.source, d.reader, d.warnings,"
            " (SELECT count(*) FROM items i WHERE i.meeting_id = m.id) AS item_count"
            " FROM meetings m JOIN documents d ON d.id = m.document_id"
            f" WHERE {where} ORDER BY m.date IS NULL, m.date, m.id",
            args,
        ).fetchall()
        return [_row_dict(r) for r in rows]

    def meeting(self, meeting_id: int) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT m.*, d.source, d.reader, d.text AS document_text, d.warnings"
            " FROM meetings m JOIN documents d ON d.id = m.document_id WHERE m.id = ?",
            (meeting_id,),
        ).fetchone()
        return _row_dict(row)

    def items(
        self,
        meeting_id: int | None = None,
        item_ids: Sequence[int] | None = None,
        body: str | None = None,
        municipality: str | None = None,
        kind: str | None = None,
        since: str | None = None,
        until: str | None = None,
        topic: str | None = None,
        entity: str | None = None,
    ) -> list[dict[str, Any]]:
        """Return agenda items joined with their meeting, with entities and topics.

        Each row has the item columns plus ``source``, ``date``, ``body``,
        ``municipality``, ``kind``, ``entities`` and ``topics`` (lists).
        """
        where, args = _item_filters(
            meeting_id=meeting_id, item_ids=item_ids, body=body, municipality=municipality, kind=kind,
            since=since, until=until, topic=topic, entity=entity,
        )
        if where is None:
            return []
        rows = self.conn.execute(
            "SELECT i.*, d.source, m.date, m.year, m.body, m.municipality, m.kind,"
            " (SELECT coalesce(json_group_array(json_object('text', e.text, 'label', e.label,"
            "   'start', e.start, 'end', e.end, 'canonical', e.canonical)), '[]')"
            "   FROM (SELECT * FROM entities WHERE item_id = i.id ORDER BY start) e) AS entities,"
            " (SELECT coalesce(json_group_array(json_object('id', t.topic_id, 'label', t.label,"
            "   'score', round(t.score, 4))), '[]')"
            "   FROM (SELECT * FROM item_topics WHERE item_id = i.id ORDER BY score DESC) t) AS topics"
            " FROM items i JOIN meetings m ON m.id = i.meeting_id JOIN documents d ON d.id = m.document_id"
            f" WHERE {where} ORDER BY m.date IS NULL, m.date, m.id, i.ordinal",
            args,
        ).fetchall()
        return [_row_dict(r) for r in rows]

    def filter_item_ids(self, **filters: Any) -> set[int] | None:
        """Return the ids of items passing ``filters``, or None when no filter is set."""
        if not any(v not in (None, "", []) for v in filters.values()):
            return None
        where, args = _item_filters(**filters)
        if where is None:
            return set()
        rows = self.conn.execute(
            "SELECT i.id FROM items i JOIN meetings m ON m.id = i.meeting_id"
            f" JOIN documents d ON d.id = m.document_id WHERE {where}",
            args,
        )
        return {r[0] for r in rows}

    def item(self, item_id: int) -> dict[str, Any] | None:
        rows = self.items(item_ids=[item_id])
        return rows[0] if rows else None

    def passages(self, ids: Sequence[int] | None = None) -> list[dict[str, Any]]:
        """Return passages (all, or those with ``ids``) with their item id."""
        if ids is None:
            rows = self.conn.execute("SELECT * FROM passages ORDER BY id").fetchall()
        else:
            ids = list(ids)
            if not ids:
                return []
            rows = self.conn.execute(
                f"SELECT * FROM passages WHERE id IN ({','.join('?' * len(ids))})", ids
            ).fetchall()
        return [dict(r) for r in rows]

    def items_without_passages(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT i.id, i.title, i.text, i.start FROM items i"
            " WHERE NOT EXISTS (SELECT 1 FROM passages p WHERE p.item_id = i.id) ORDER BY i.id"
        ).fetchall()
        return [dict(r) for r in rows]


def _item_filters(
    meeting_id: int | None = None,
    item_ids: Sequence[int] | None = None,
    topic: str | None = None,
    entity: str | None = None,
    **on_meeting: str | None,
) -> tuple[str | None, list[Any]]:
    """WHERE clause over ``items i`` joined with ``meetings m``; None if it can match nothing."""
    where, args = meeting_filters(**on_meeting)
    if meeting_id is not None:
        where += " AND i.meeting_id = ?"
        args.append(meeting_id)
    if item_ids is not None:
        ids = list(item_ids)
        if not ids:
            return None, []
        where += f" AND i.id IN ({','.join('?' * len(ids))})"
        args.extend(ids)
    if topic:
        where += (
            " AND EXISTS (SELECT 1 FROM item_topics t WHERE t.item_id = i.id"
            " AND (t.topic_id = ? OR sv_fold(t.label) = sv_fold(?)))"
        )
        args.extend([topic, topic])
    if entity:
        where += (
            " AND EXISTS (SELECT 1 FROM entities e WHERE e.item_id = i.id"
            " AND (sv_fold(e.canonical) = sv_fold(?) OR sv_fold(e.text) = sv_fold(?)))"
        )
        args.extend([entity, entity])
    return where, args


def meeting_filters(**filters: str | None) -> tuple[str, list[Any]]:
    """Build a WHERE clause over ``meetings m`` from the common filters.

    Body and municipality match case-insensitively and as substrings, so
    ``--body trygghetsråd`` finds "Trygghetsråd" and "Västerås trygghetsråd".
    """
    where, args = "1=1", []
    if filters.get("body"):
        where += " AND sv_fold(m.body) LIKE '%' || sv_fold(?) || '%'"
        args.append(filters["body"])
    if filters.get("municipality"):
        where += " AND sv_fold(m.municipality) LIKE '%' || sv_fold(?) || '%'"
        args.append(filters["municipality"])
    if filters.get("kind"):
        where += " AND m.kind = ?"
        args.append(filters["kind"])
    if filters.get("since"):
        where += " AND m.date >= ?"
        args.append(filters["since"])
    if filters.get("until"):
        where += " AND m.date <= ?"
        args.append(filters["until"])
    return where, args
