"""The SQLite archive: the only module that speaks SQL.

One class, :class:`Archive`, owns every read and write of the archive and
returns typed records (:mod:`radslag.types`): :class:`Meeting`,
:class:`Item`, :class:`Passage`, :class:`FollowUpRecord`,
:class:`ThreadEntry`, :class:`EntityMention` and count rows. Everything
else (search, timelines, threads, follow-up status, people, briefs,
exports, the pipeline, the CLI and the app) calls these methods.

SQLite is used fully: a versioned schema (``PRAGMA user_version``) with
migrations, foreign keys with cascading deletes, JSON columns, an FTS5
table for keyword search and one transaction per document so a crash never
leaves half a meeting behind. Vectors live in FAISS (:mod:`index.vectors`);
their ids are the ``passages.id`` values here.

Filters (:class:`radslag.types.Filters`) become SQL in one place,
:meth:`Archive._where`; name matching and period bucketing are the Python
rules of :mod:`radslag.filters` and :mod:`radslag.periods`, registered as
SQL functions so SQL and Python never disagree.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from index.keyword import analyze, analyzer_fingerprint
from radslag.errors import RadslagError
from radslag.councils import council_key
from radslag.filters import council_matches, name_matches
from radslag.periods import PERIODS, period_of
from index.store.app import AppStore
from index.store.base import StorePart
from index.store.recurrence import RecurrenceStore
from index.store.search import SearchStore
from index.store.stages import StagesStore
from index.store.watch import WatchStore
from radslag.types import (
    AgendaItem,
    Document,
    Entity,
    EntityCount,
    EntityMention,
    Filters,
    FollowUp,
    FollowUpRecord,
    Item,
    Meeting,
    MeetingMeta,
    Participant,
    Passage,
    Section,
    ThreadEntry,
    ThreadLink,
    TopicCount,
    TopicTag,
)

SCHEMA_VERSION = 3

STATUS_OPEN = "öppen"
STATUS_ANSWERED = "besvarad"

#: Tables :meth:`Archive.count` may count.
TABLES = frozenset({"documents", "meetings", "items", "passages", "entities", "item_topics", "thread_links",
                    "threads", "followups"})


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}


def _add_year(conn: sqlite3.Connection) -> str:
    """1 -> 2: ``meetings.year``; passages recreated with never-reused ids."""
    return (
        "ALTER TABLE meetings ADD COLUMN year INTEGER;"
        " UPDATE meetings SET year = CAST(substr(date, 1, 4) AS INTEGER) WHERE date IS NOT NULL;"
        # passages are derived data: recreated with never-reused ids, then rebuilt
        # by the next ingest or `radslag reindex` (the vector index syncs to them)
        " DROP TABLE IF EXISTS passages;"
    )


def _add_sections_and_month(conn: sqlite3.Connection) -> str:
    """2 -> 3: ``items.sections`` (Beslut, Yrkanden, ... of each item) and ``meetings.month``."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    steps = ""
    if "items" in tables and "sections" not in _columns(conn, "items"):
        steps += "ALTER TABLE items ADD COLUMN sections TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(sections));"
    if "meetings" in tables and "month" not in _columns(conn, "meetings"):
        steps += (" ALTER TABLE meetings ADD COLUMN month INTEGER;"
                  " UPDATE meetings SET month = CAST(substr(date, 6, 2) AS INTEGER) WHERE date IS NOT NULL;")
    return steps


#: Steps that bring an archive of version N up to N + 1 before the
#: (idempotent, CREATE ... IF NOT EXISTS) schema script runs.
_MIGRATIONS: dict[int, Callable[[sqlite3.Connection], str]] = {1: _add_year, 2: _add_sections_and_month}

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
    month         INTEGER,  -- the date's month, or a month known without the day (since schema 3)
    time          TEXT,
    place         TEXT,
    chair         TEXT,
    secretary     TEXT,
    next_meeting  TEXT,
    title         TEXT,
    participants  TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(participants)),
    provenance    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(provenance))
);
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
    sections       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(sections)),
    UNIQUE (meeting_id, ordinal)
);
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
CREATE TABLE IF NOT EXISTS entities (
    id        INTEGER PRIMARY KEY,
    item_id   INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    text      TEXT NOT NULL,
    label     TEXT NOT NULL,
    start     INTEGER NOT NULL,
    end       INTEGER NOT NULL,
    canonical TEXT
);
CREATE TABLE IF NOT EXISTS item_topics (
    item_id  INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    topic_id TEXT NOT NULL,
    label    TEXT NOT NULL,
    score    REAL NOT NULL,
    method   TEXT NOT NULL,
    PRIMARY KEY (item_id, topic_id)
);
-- Issue threads (index.threads) and follow-ups: commitments detected at ingest
-- (ingest.followups), their status assessed over the archive (index.followups).
CREATE TABLE IF NOT EXISTS thread_links (
    src_item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    dst_item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    score       REAL NOT NULL,
    similarity  REAL NOT NULL,
    reasons     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(reasons)),
    method      TEXT NOT NULL,
    PRIMARY KEY (src_item_id, dst_item_id)
);
CREATE TABLE IF NOT EXISTS threads (
    item_id   INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
    thread_id INTEGER NOT NULL,
    position  INTEGER NOT NULL
);
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
-- Keyword index over items. The columns hold the Swedish analysed form
-- (folded, stemmed, compounds split) from index.keyword, not the raw text.
CREATE VIRTUAL TABLE IF NOT EXISTS items_fts USING fts5(
    title, body,
    tokenize="unicode61 remove_diacritics 0 tokenchars '-_§'"
);
-- Indexes, after all tables.
CREATE INDEX IF NOT EXISTS meetings_body_date ON meetings(body, date);
CREATE INDEX IF NOT EXISTS meetings_date ON meetings(date);
CREATE INDEX IF NOT EXISTS items_meeting ON items(meeting_id);
CREATE INDEX IF NOT EXISTS passages_item ON passages(item_id);
CREATE INDEX IF NOT EXISTS entities_item ON entities(item_id);
CREATE INDEX IF NOT EXISTS entities_canonical ON entities(canonical);
CREATE INDEX IF NOT EXISTS item_topics_topic ON item_topics(topic_id);
CREATE INDEX IF NOT EXISTS thread_links_dst ON thread_links(dst_item_id);
CREATE INDEX IF NOT EXISTS threads_thread ON threads(thread_id);
CREATE INDEX IF NOT EXISTS followups_meeting ON followups(meeting_id);
CREATE INDEX IF NOT EXISTS followups_status ON followups(status);
"""

_ITEM_COLUMNS = "SELECT i.*, d.source, m.document_id, m.date, m.year, m.month, m.body, m.municipality, m.kind"
_ITEM_ENRICHMENT = (
    ", (SELECT coalesce(json_group_array(json_object('text', e.text, 'label', e.label,"
    "   'start', e.start, 'end', e.end, 'canonical', e.canonical)), '[]')"
    "   FROM (SELECT * FROM entities WHERE item_id = i.id ORDER BY start) e) AS entities,"
    " (SELECT coalesce(json_group_array(json_object('id', t.topic_id, 'label', t.label,"
    "   'score', t.score, 'method', t.method)), '[]')"
    "   FROM (SELECT * FROM item_topics WHERE item_id = i.id ORDER BY score DESC) t) AS topics"
)
_ITEM_FROM = " FROM items i JOIN meetings m ON m.id = i.meeting_id JOIN documents d ON d.id = m.document_id"
_ITEM_SELECT = _ITEM_COLUMNS + _ITEM_ENRICHMENT + _ITEM_FROM
_ITEM_ORDER = " ORDER BY m.date IS NULL, m.date, m.id, i.ordinal"

_MEETING_SELECT = (
    "SELECT m.*, d.source, d.reader, d.warnings,"
    " (SELECT count(*) FROM items i WHERE i.meeting_id = m.id) AS item_count"
    " FROM meetings m JOIN documents d ON d.id = m.document_id"
)

_FOLLOWUP_SELECT = (
    "SELECT f.*, m.date, m.body, m.municipality, d.source, i.title AS item_title, i.number AS item_number,"
    " i.ordinal AS item_ordinal,"
    " (SELECT m2.date FROM items i2 JOIN meetings m2 ON m2.id = i2.meeting_id"
    "   WHERE i2.id = f.answered_by_item_id) AS answered_date"
    " FROM followups f JOIN items i ON i.id = f.item_id JOIN meetings m ON m.id = f.meeting_id"
    " JOIN documents d ON d.id = m.document_id"
)

_THREAD_SELECT = (
    "SELECT t.item_id, t.thread_id, t.position, i.meeting_id, i.number, i.title, m.date, m.body,"
    " m.municipality, d.source, l.src_item_id AS predecessor, l.score, l.similarity, l.reasons"
    " FROM threads t JOIN items i ON i.id = t.item_id JOIN meetings m ON m.id = i.meeting_id"
    " JOIN documents d ON d.id = m.document_id"
    " LEFT JOIN thread_links l ON l.dst_item_id = t.item_id"
)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def _fold(value: str | None) -> str | None:
    return value.casefold() if isinstance(value, str) else value


def _ids_json(ids: Iterable[int]) -> str:
    return json.dumps(sorted({int(i) for i in ids}))


def _json(text: str) -> Any:
    """Decode a JSON column; the common empty values without the decoder (thousands per listing)."""
    if text == "[]":
        return []
    if text == "{}":
        return {}
    return json.loads(text)


def _meeting(row: sqlite3.Row) -> Meeting:
    return Meeting(
        id=row["id"], document_id=row["document_id"], source=row["source"], reader=row["reader"],
        kind=row["kind"], body=row["body"], municipality=row["municipality"], date=row["date"],
        year=row["year"], month=row["month"], time=row["time"], place=row["place"], chair=row["chair"],
        secretary=row["secretary"], next_meeting=row["next_meeting"], title=row["title"],
        participants=[Participant(**p) for p in _json(row["participants"])],
        provenance=_json(row["provenance"]), item_count=row["item_count"],
        warnings=_json(row["warnings"]),
    )


def _item(row: sqlite3.Row) -> Item:
    enriched = "entities" in row.keys()
    return Item(
        id=row["id"], meeting_id=row["meeting_id"], document_id=row["document_id"], ordinal=row["ordinal"],
        number=row["number"], title=row["title"], text=row["text"], start=row["start"], end=row["end"],
        pages=_json(row["pages"]), dnr=row["dnr"], heading_source=row["heading_source"],
        sections=[Section(**s) for s in _json(row["sections"])],
        source=row["source"], date=row["date"], year=row["year"], month=row["month"], body=row["body"],
        municipality=row["municipality"], kind=row["kind"],
        entities=[Entity(**e) for e in _json(row["entities"])] if enriched else [],
        topics=[TopicTag(**t) for t in _json(row["topics"])] if enriched else [],
    )


def _followup(row: sqlite3.Row) -> FollowUpRecord:
    return FollowUpRecord(**{k: row[k] for k in row.keys()})


def _thread_entry(row: sqlite3.Row) -> ThreadEntry:
    data = dict(row)
    data["reasons"] = json.loads(data["reasons"]) if data["reasons"] else []
    return ThreadEntry(**data)


def _insert(table: str, columns: str, with_id: bool = False) -> str:
    """``INSERT INTO table(columns) VALUES (?, …)``; ``with_id``: the row id given too (bulk writes)."""
    names = (["id"] if with_id else []) + columns.split()
    return f"INSERT INTO {table}({', '.join(names)}) VALUES ({','.join('?' * len(names))})"


_DOCUMENT_FIELDS = "source content_hash size reader kind encoding text pages front_matter warnings ingested_at"
_MEETING_FIELDS = ("document_id kind body municipality date year month time place chair secretary next_meeting"
                    " title participants provenance")
_ITEM_FIELDS = "meeting_id ordinal number title text start end pages dnr heading_source sections"
_INSERT_DOCUMENT = _insert("documents", _DOCUMENT_FIELDS)
_INSERT_MEETING = _insert("meetings", _MEETING_FIELDS)
_INSERT_ITEM = _insert("items", _ITEM_FIELDS)
_INSERT_FTS = "INSERT INTO items_fts(rowid, title, body) VALUES (?, ?, ?)"
#: Merge the FTS5 index into one segment: search looks candidates up by rowid.
_OPTIMIZE_FTS = "INSERT INTO items_fts(items_fts) VALUES ('optimize')"


def _document_row(doc: Document, meta: MeetingMeta) -> tuple:
    """The ``documents`` row of :data:`_INSERT_DOCUMENT`."""
    return (
        doc.source, doc.content_hash, doc.size, doc.reader, meta.kind, doc.encoding, doc.text,
        json.dumps([asdict(p) for p in doc.pages]),
        json.dumps(doc.front_matter, ensure_ascii=False, default=str),
        json.dumps(doc.warnings, ensure_ascii=False),
        _now(),
    )


def _meeting_row(meta: MeetingMeta) -> tuple:
    """The ``meetings`` row of :data:`_INSERT_MEETING` after its document id."""
    return (
        meta.kind, meta.body, meta.municipality,
        meta.date.isoformat() if meta.date else None,
        meta.date.year if meta.date else meta.year,
        meta.date.month if meta.date else (meta.month if meta.year else None),
        meta.time, meta.place, meta.chair, meta.secretary, meta.next_meeting, meta.title,
        json.dumps([asdict(p) for p in meta.participants], ensure_ascii=False),
        json.dumps(meta.provenance, ensure_ascii=False),
    )


def _item_row(item: AgendaItem) -> tuple:
    """The ``items`` row of :data:`_INSERT_ITEM` after its meeting id and ordinal."""
    return (
        item.number, item.title, item.text, item.start, item.end, json.dumps(item.pages), item.dnr,
        item.heading_source, json.dumps([asdict(s) for s in item.sections], ensure_ascii=False),
    )


class Archive(AppStore, SearchStore, StagesStore, WatchStore, RecurrenceStore, StorePart):
    """A Rådslag archive in one SQLite file.

    Args:
        path: Path of the SQLite database; parent folders are created.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._conn.row_factory = sqlite3.Row
        # SQLite's lower() folds ASCII only; Swedish needs Å, Ä, Ö folded too.
        self._conn.create_function("sv_fold", 1, _fold, deterministic=True)
        # The filter and period rules in Python, so SQL applies exactly them.
        self._conn.create_function("rs_name_match", 2, name_matches, deterministic=True)
        self._conn.create_function("rs_period", 4, period_of, deterministic=True)
        self._conn.create_function("rs_council_key", 2, council_key, deterministic=True)
        self._conn.create_function("rs_council_match", 3, council_matches, deterministic=True)
        self._conn.execute("PRAGMA foreign_keys = ON")
        self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute("PRAGMA synchronous = NORMAL")
        self._migrate()
        self._apply_parts()

    # -- lifecycle -----------------------------------------------------------

    @property
    def schema_version(self) -> int:
        """The archive's ``PRAGMA user_version``."""
        return self._conn.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise RuntimeError(
                f"Arkivet {self.path} har schemaversion {version}, nyare än programmets "
                f"{SCHEMA_VERSION}. Uppdatera Rådslag. (Archive schema is newer than this program.)"
            )
        if version < SCHEMA_VERSION:
            steps = "".join(_MIGRATIONS[v](self._conn) for v in range(max(version, 1), SCHEMA_VERSION)) if version else ""
            # executescript commits any open transaction, so the script carries its own.
            try:
                self._conn.executescript(
                    "BEGIN IMMEDIATE;" + steps + _SCHEMA + f"PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
                )
            except sqlite3.Error:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Run a block of store calls in one write transaction; roll back on any error.

        Nested blocks join the outer transaction.
        """
        with self._tx():
            yield

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        if self._conn.in_transaction:
            yield self._conn
            return
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        else:
            self._conn.execute("COMMIT")

    # -- settings --------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        row = self._conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value: Any) -> None:
        with self._tx() as c:
            c.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value, ensure_ascii=False)),
            )

    def delete_setting(self, key: str) -> None:
        with self._tx() as c:
            c.execute("DELETE FROM settings WHERE key = ?", (key,))

    # -- documents -------------------------------------------------------------

    def document_status(self, source: str, content_hash: str) -> str:
        """Return ``new``, ``unchanged`` or ``changed`` for a file about to be ingested.

        A file is identified by its source path; the same bytes under another
        path are also ``unchanged`` so a moved copy is not archived twice.
        """
        row = self._conn.execute("SELECT content_hash FROM documents WHERE source = ?", (source,)).fetchone()
        if row is not None:
            return "unchanged" if row[0] == content_hash else "changed"
        same = self._conn.execute("SELECT 1 FROM documents WHERE content_hash = ?", (content_hash,)).fetchone()
        return "unchanged" if same else "new"

    def write_document(
        self, doc: Document, meta: MeetingMeta, items: Sequence[AgendaItem]
    ) -> tuple[int, str, list[int]]:
        """Store a document with its meeting and items in one transaction.

        An earlier version under the same source is deleted (with its items,
        passages, enrichment and follow-ups) in the same transaction.

        Returns:
            ``(meeting_id, status, removed_passage_ids)`` where status is
            ``ingested`` or ``replaced`` and the removed passage ids are the
            vectors the caller must remove from the vector index.
        """
        if not items:
            raise ValueError(f"{doc.source}: a document must have at least one agenda item")
        with self._tx() as c:
            removed: list[int] = []
            old = c.execute("SELECT id FROM documents WHERE source = ?", (doc.source,)).fetchone()
            if old is not None:
                removed = self._delete_document(old[0])
            document_id = c.execute(_INSERT_DOCUMENT, _document_row(doc, meta)).lastrowid
            meeting_id = c.execute(_INSERT_MEETING, (document_id, *_meeting_row(meta))).lastrowid
            for ordinal, item in enumerate(items):
                cur = c.execute(_INSERT_ITEM, (meeting_id, ordinal, *_item_row(item)))
                c.execute(_INSERT_FTS, (cur.lastrowid, analyze(item.title), analyze(item.text)))
            return meeting_id, ("replaced" if old is not None else "ingested"), removed

    def write_new_documents(
        self, entries: Sequence[tuple[Document, MeetingMeta, Sequence[AgendaItem]]]
    ) -> list[tuple[int, list[int]]]:
        """Store many *new* documents at once (bulk loading; ``executemany`` in one transaction).

        The rows are those :meth:`write_document` writes, ids given in order
        after the largest ones stored. No source may be in the archive
        already (nothing is replaced).

        Returns:
            ``(meeting_id, item ids in agenda order)`` per entry.

        Raises:
            ValueError: When an entry has no items or its source is stored already.
        """
        if not entries:
            return []
        with self._tx() as c:
            sources = [doc.source for doc, _, _ in entries]
            if len(set(sources)) != len(sources):
                raise ValueError("the same source twice in one bulk write")
            taken = c.execute("SELECT source FROM documents WHERE source IN (SELECT value FROM json_each(?)) LIMIT 1",
                              (json.dumps(sources),)).fetchone()
            if taken is not None:
                raise ValueError(f"{taken[0]}: stored already (write_new_documents never replaces)")
            next_doc, next_meeting, next_item = (
                (c.execute(f"SELECT coalesce(max(id), 0) FROM {t}").fetchone()[0] + 1)
                for t in ("documents", "meetings", "items"))
            docs, meetings, items, fts, out = [], [], [], [], []
            for n, (doc, meta, agenda) in enumerate(entries):
                if not agenda:
                    raise ValueError(f"{doc.source}: a document must have at least one agenda item")
                document_id, meeting_id = next_doc + n, next_meeting + n
                docs.append((document_id, *_document_row(doc, meta)))
                meetings.append((meeting_id, document_id, *_meeting_row(meta)))
                ids = []
                for ordinal, item in enumerate(agenda):
                    ids.append(next_item)
                    items.append((next_item, meeting_id, ordinal, *_item_row(item)))
                    fts.append((next_item, analyze(item.title), analyze(item.text)))
                    next_item += 1
                out.append((meeting_id, ids))
            c.executemany(_insert("documents", _DOCUMENT_FIELDS, with_id=True), docs)
            c.executemany(_insert("meetings", _MEETING_FIELDS, with_id=True), meetings)
            c.executemany(_insert("items", _ITEM_FIELDS, with_id=True), items)
            c.executemany(_INSERT_FTS, fts)
        return out

    def _delete_document(self, document_id: int) -> list[int]:
        c = self._conn
        passage_ids = [
            r[0]
            for r in c.execute(
                "SELECT p.id FROM passages p JOIN items i ON i.id = p.item_id"
                " JOIN meetings m ON m.id = i.meeting_id WHERE m.document_id = ?",
                (document_id,),
            )
        ]
        c.execute(
            "DELETE FROM items_fts WHERE rowid IN (SELECT i.id FROM items i JOIN meetings m ON m.id = i.meeting_id"
            " WHERE m.document_id = ?)",
            (document_id,),
        )
        c.execute("DELETE FROM documents WHERE id = ?", (document_id,))
        return passage_ids

    def delete_source(self, source: str) -> list[int]:
        """Delete a document by source path; return its passage ids."""
        with self._tx() as c:
            row = c.execute("SELECT id FROM documents WHERE source = ?", (source,)).fetchone()
            return self._delete_document(row[0]) if row else []

    def document_text(self, document_id: int) -> str | None:
        """The normalised text of a stored document."""
        row = self._conn.execute("SELECT text FROM documents WHERE id = ?", (document_id,)).fetchone()
        return row[0] if row else None

    # -- keyword index -----------------------------------------------------------

    def refresh_keyword_index(self) -> int:
        """Re-analyse every item into FTS5 if the keyword analysis changed.

        Returns:
            The number of items re-analysed (0 when the index was current).
        """
        current = analyzer_fingerprint()
        if self.get_setting("keyword_analyzer") == current:
            return 0
        rows = self._conn.execute("SELECT id, title, text FROM items").fetchall()
        with self._tx() as c:
            c.execute("DELETE FROM items_fts")
            c.executemany(_INSERT_FTS, [(r["id"], analyze(r["title"]), analyze(r["text"])) for r in rows])
            if rows:  # one segment again: search looks candidates up by rowid (measured at 1M items:
                # coverage p50 3.6 ms on the merged index, 59 ms after a re-analysis left it in pieces)
                c.execute(_OPTIMIZE_FTS)
            c.execute(
                "INSERT INTO settings(key, value) VALUES ('keyword_analyzer', ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (json.dumps(current),),
            )
        return len(rows)

    def optimize_keyword_index(self) -> None:
        """Merge the FTS5 index into one segment (after a bulk import; look-ups by rowid seek one b-tree)."""
        with self._tx() as c:
            c.execute(_OPTIMIZE_FTS)

    def keyword_current(self) -> bool:
        """Whether the keyword index was analysed as today's analysis would (or never recorded)."""
        return self.get_setting("keyword_analyzer") in (None, analyzer_fingerprint())

    def keyword_ranking(
        self, expr: str, limit: int, weights: tuple[float, float], allowed: set[int] | None = None
    ) -> list[tuple[int, float]]:
        """BM25 ranking of items for an FTS5 MATCH expression.

        Args:
            expr: MATCH expression (from :func:`index.keyword.match_query`).
            limit: Most rows returned.
            weights: BM25 weights of the ``title`` and ``body`` columns.
            allowed: Keep only these item ids (None: all).

        Returns:
            ``(item_id, score)`` best first; the score is the negated FTS5
            ``bm25`` (higher is better).
        """
        out: list[tuple[int, float]] = []
        if limit < 1:
            return out
        try:
            cursor = self._conn.execute(
                "SELECT rowid, -bm25(items_fts, ?, ?) AS s FROM items_fts WHERE items_fts MATCH ?"
                " ORDER BY s DESC LIMIT ?",
                (weights[0], weights[1], expr, limit if allowed is None else -1),
            )
            # with a filter, rows are read best first only until ``limit`` pass it (not every match into Python)
            for rowid, score in cursor:
                if allowed is None or rowid in allowed:
                    out.append((rowid, score))
                    if len(out) >= limit:
                        break
            cursor.close()
        except sqlite3.OperationalError as exc:  # should not happen: match_query escapes input
            raise RadslagError(f"Nyckelordssökningen misslyckades (keyword search failed): {exc}") from exc
        return out

    def keyword_matches(self, expr: str, candidates: Iterable[int] | None = None) -> set[int]:
        """Ids of items matching an FTS5 MATCH expression, optionally among ``candidates``."""
        if candidates is None:
            rows = self._conn.execute("SELECT rowid FROM items_fts WHERE items_fts MATCH ?", (expr,))
        else:
            rows = self._conn.execute(
                "SELECT rowid FROM items_fts WHERE items_fts MATCH ? AND rowid IN (SELECT value FROM json_each(?))",
                (expr, _ids_json(candidates)),
            )
        return {r[0] for r in rows}

    # -- passages ------------------------------------------------------------------

    def write_passages(self, passages: Sequence[Passage]) -> list[int]:
        """Insert passages and return their ids (used as vector ids)."""
        ids = []
        with self._tx() as c:
            for p in passages:
                cur = c.execute(
                    "INSERT INTO passages(item_id, ordinal, text, start, end) VALUES (?,?,?,?,?)",
                    (p.item_id, p.ordinal, p.text, p.start, p.end),
                )
                ids.append(cur.lastrowid)
        return ids

    def clear_passages(self) -> None:
        with self._tx() as c:
            c.execute("DELETE FROM passages")

    def passages(self, ids: Sequence[int] | None = None) -> list[Passage]:
        """Passages (all, or those with ``ids``) in id order."""
        if ids is None:
            rows = self._conn.execute("SELECT * FROM passages ORDER BY id").fetchall()
        else:
            rows = self._conn.execute(
                "SELECT * FROM passages WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id", (_ids_json(ids),)
            ).fetchall()
        return [Passage(item_id=r["item_id"], ordinal=r["ordinal"], text=r["text"], start=r["start"],
                        end=r["end"], id=r["id"]) for r in rows]

    def item_passages(self, item_id: int) -> list[Passage]:
        """One item's passages in order."""
        rows = self._conn.execute("SELECT * FROM passages WHERE item_id = ? ORDER BY ordinal", (item_id,))
        return [Passage(item_id=r["item_id"], ordinal=r["ordinal"], text=r["text"], start=r["start"],
                        end=r["end"], id=r["id"]) for r in rows]

    def passage_items(self, ids: Sequence[int] | None = None, *, item_ids: Iterable[int] | None = None) -> dict[int, int]:
        """``{passage id: item id}`` for all passages, those with ``ids``, or those of the items ``item_ids``."""
        if item_ids is not None:
            rows = self._conn.execute(
                "SELECT id, item_id FROM passages WHERE item_id IN (SELECT value FROM json_each(?))",
                (_ids_json(item_ids),))
        elif ids is None:
            rows = self._conn.execute("SELECT id, item_id FROM passages")
        else:
            rows = self._conn.execute(
                "SELECT id, item_id FROM passages WHERE id IN (SELECT value FROM json_each(?))", (_ids_json(ids),)
            )
        return {r[0]: r[1] for r in rows}

    def items_needing_passages(self, item_ids: Sequence[int] | None = None) -> list[Item]:
        """Items without passages (optionally among ``item_ids``), grouped by document."""
        where, args = "NOT EXISTS (SELECT 1 FROM passages p WHERE p.item_id = i.id)", []
        if item_ids is not None:
            where += " AND i.id IN (SELECT value FROM json_each(?))"
            args.append(_ids_json(item_ids))
        rows = self._conn.execute(f"{_ITEM_SELECT} WHERE {where} ORDER BY m.document_id, i.ordinal", args)
        return [_item(r) for r in rows]

    # -- enrichment ------------------------------------------------------------------

    def write_enrichment(self, item_id: int, entities: Sequence[Entity], topics: Sequence[TopicTag]) -> None:
        """Replace an item's entities and topics in one transaction."""
        with self._tx() as c:
            # threads use the enrichment: the meeting must be linked again (index.threads)
            c.execute("DELETE FROM thread_meetings WHERE meeting_id = (SELECT meeting_id FROM items WHERE id = ?)",
                      (item_id,))
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

    def entity_mentions(self, labels: Sequence[str] | None = None, filters: Filters | None = None, *,
                        meeting_ids: Iterable[int] | None = None) -> list[EntityMention]:
        """Stored entities with their item and meeting (only those of ``meeting_ids`` when given), by item then offset."""
        where, args = self._where(filters, meeting_ids=meeting_ids)
        if labels is not None:
            where += " AND e.label IN (SELECT value FROM json_each(?))"
            args.append(json.dumps(list(labels)))
        rows = self._conn.execute(
            "SELECT e.id, e.item_id, i.meeting_id, e.text, e.label, e.start, e.end, e.canonical,"
            " m.municipality, m.body, m.date, m.year"
            " FROM entities e JOIN items i ON i.id = e.item_id JOIN meetings m ON m.id = i.meeting_id"
            f" WHERE {where} ORDER BY e.item_id, e.start, e.id",
            args,
        )
        return [EntityMention(**dict(r)) for r in rows]

    def set_canonical(self, updates: Sequence[tuple[int, str | None]]) -> None:
        """Set ``entities.canonical`` by entity id, in one transaction."""
        with self._tx() as c:
            c.executemany("UPDATE entities SET canonical = ? WHERE id = ?", [(v, i) for i, v in updates])

    def org_texts(self) -> dict[str, set[str | None]]:
        """Every organisation (``ORG``) text of the archive, with the canonical names its mentions hold.

        One grouped pass over the entities, without their items and meetings:
        an organisation's name depends on its text and the set of all
        organisation texts (:func:`ingest.people.org_names`), not on the
        mention, so a relink names texts, not mentions.
        """
        out: dict[str, set[str | None]] = {}
        for text, canonical in self._conn.execute(
                "SELECT text, canonical FROM entities WHERE label = 'ORG' GROUP BY text, canonical"):
            out.setdefault(text, set()).add(canonical)
        return out

    def set_org_canonical(self, names: Mapping[str, str]) -> None:
        """Set the canonical name of every organisation mention written as each text of ``names``.

        One ``UPDATE`` joined to a temporary table of the names, in one
        transaction: ``entities.text`` has no index, so an update per text
        would scan every entity once per text (most new texts are renamed).
        """
        if not names:
            return
        with self._tx() as c:
            c.execute("CREATE TEMP TABLE IF NOT EXISTS org_names (text TEXT PRIMARY KEY, name TEXT NOT NULL)")
            c.execute("DELETE FROM temp.org_names")
            c.executemany("INSERT INTO temp.org_names(text, name) VALUES (?, ?)", list(names.items()))
            if sqlite3.sqlite_version_info >= (3, 33, 0):
                c.execute("UPDATE entities SET canonical = n.name FROM temp.org_names n"
                          " WHERE entities.label = 'ORG' AND entities.text = n.text AND entities.canonical IS NOT n.name")
            else:  # no UPDATE ... FROM: one scan, each row's name looked up by the temp table's key
                c.execute("UPDATE entities SET canonical = (SELECT n.name FROM temp.org_names n WHERE n.text = entities.text)"
                          " WHERE label = 'ORG' AND canonical IS NOT"
                          " (SELECT n.name FROM temp.org_names n WHERE n.text = entities.text)"
                          " AND text IN (SELECT text FROM temp.org_names)")
            c.execute("DELETE FROM temp.org_names")

    def entity_counts(self, label: str | None = None, by: str | None = None,
                      filters: Filters | None = None) -> list[EntityCount]:
        """Entity mentions by canonical name (optionally per ``body`` or ``year``), most first."""
        groups = {None: None, "body": "m.body", "year": "rs_period(m.date, 'year', m.year, m.month)"}
        if by not in groups:
            raise ValueError(f"by must be 'body', 'year' or None, not {by!r}")
        group_expr = groups[by]
        select_group = f", {group_expr} AS {by}" if by else ""
        group_by = f", {group_expr}" if by else ""
        where, args = self._where(filters)
        if label:
            where += " AND e.label = ?"
            args.append(label)
        rows = self._conn.execute(
            "SELECT COALESCE(e.canonical, e.text) AS entity, e.label AS label"
            f"{select_group}, count(*) AS mentions, count(DISTINCT e.item_id) AS items,"
            " count(DISTINCT i.meeting_id) AS meetings"
            " FROM entities e JOIN items i ON i.id = e.item_id JOIN meetings m ON m.id = i.meeting_id"
            f" WHERE {where} GROUP BY COALESCE(e.canonical, e.text), e.label{group_by}"
            " ORDER BY mentions DESC, entity",
            args,
        )
        return [EntityCount(**dict(r)) for r in rows]

    def topic_counts(self, by: str | None = None, filters: Filters | None = None) -> list[TopicCount]:
        """Tagged items and meetings per topic, optionally per ``body`` or period.

        With ``filters.topic`` only that topic is counted. Periods follow
        :func:`radslag.periods.period_of` (``None`` when too vague).
        """
        if by not in (None, "body", *PERIODS):
            raise ValueError(f"by must be body or one of {PERIODS}, not {by!r}")
        group_col = "m.body" if by == "body" else (f"rs_period(m.date, '{by}', m.year, m.month)" if by else None)
        key = "body" if by == "body" else "period"
        select_extra = f", {group_col} AS {key}" if group_col else ""
        group_extra = f", {key}" if group_col else ""
        where, args = self._where(filters)
        if filters is not None and filters.topic:
            where += " AND (t.topic_id = ? OR sv_fold(t.label) = sv_fold(?))"
            args.extend([filters.topic, filters.topic])
        rows = self._conn.execute(
            "SELECT t.topic_id AS topic_id, max(t.label) AS label, count(DISTINCT t.item_id) AS items,"
            f" count(DISTINCT i.meeting_id) AS meetings{select_extra}"
            " FROM item_topics t JOIN items i ON i.id = t.item_id JOIN meetings m ON m.id = i.meeting_id"
            f" WHERE {where} GROUP BY t.topic_id{group_extra}",
            args,
        )
        return [TopicCount(**dict(r)) for r in rows]

    # -- follow-ups --------------------------------------------------------------------

    def replace_followups(self, found: Mapping[int, Sequence[FollowUp]]) -> int:
        """Replace the detected follow-ups of the given items (status ``öppen``, unassessed).

        Marks follow-up status as not assessed (see :meth:`followups_assessed`).

        Returns:
            The number of follow-ups written.
        """
        written = 0
        with self._tx() as c:
            meeting_of = {
                r[0]: r[1]
                for r in c.execute(
                    "SELECT id, meeting_id FROM items WHERE id IN (SELECT value FROM json_each(?))",
                    (_ids_json(found),),
                )
            }
            for item_id, fus in found.items():
                c.execute("DELETE FROM followups WHERE item_id = ?", (item_id,))
                c.executemany(
                    "INSERT INTO followups(item_id, meeting_id, ordinal, who, what, due, sentence, start, end, cue,"
                    " context, status) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    [
                        (item_id, meeting_of[item_id], n, f.who, f.what, f.due, f.sentence, f.start, f.end, f.cue,
                         f.context, STATUS_OPEN)
                        for n, f in enumerate(fus)
                    ],
                )
                written += len(fus)
            c.execute("DELETE FROM settings WHERE key = 'followups_assessed'")
        return written

    def followups(
        self, filters: Filters | None = None, status: str | None = None, meeting_ids: Iterable[int] | None = None
    ) -> list[FollowUpRecord]:
        """Stored follow-ups with their meeting, oldest first.

        Args:
            filters: Meetings (and items) the follow-ups were made in.
            status: ``öppen`` or ``besvarad``.
            meeting_ids: Only follow-ups made in these meetings.
        """
        where, args = self._where(filters, meeting_ids=meeting_ids)  # a follow-up's meeting is its item's
        if status:
            where += " AND f.status = ?"
            args.append(status)
        rows = self._conn.execute(
            f"{_FOLLOWUP_SELECT} WHERE {where}"
            " ORDER BY m.date IS NULL, m.date, f.meeting_id, i.ordinal, f.ordinal",
            args,
        )
        return [_followup(r) for r in rows]

    def set_followup_statuses(self, updates: Sequence[FollowUpRecord]) -> None:
        """Store status, answering item, reason and score of follow-ups; mark them assessed."""
        with self._tx() as c:
            c.executemany(
                "UPDATE followups SET status = ?, answered_by_item_id = ?, answered_reason = ?, answered_score = ?"
                " WHERE id = ?",
                [(f.status, f.answered_by_item_id, f.answered_reason, f.answered_score, f.id) for f in updates],
            )
            c.execute(
                "INSERT INTO settings(key, value) VALUES ('followups_assessed', 'true')"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value"
            )

    def followups_assessed(self) -> bool:
        """Whether the stored follow-ups' status was assessed after they were last detected."""
        return bool(self.get_setting("followups_assessed", False))

    # -- threads ---------------------------------------------------------------------------

    def replace_threads(self, links: Sequence[ThreadLink], threads: Sequence[Sequence[int]], method: str) -> None:
        """Replace all thread links and threads in one transaction.

        Args:
            links: Best-predecessor links.
            threads: Item ids of each thread in reading order; the thread id
                is its first item's id.
            method: How the item vectors were made (stored as ``threads_method``).
        """
        with self._tx() as c:
            c.execute("DELETE FROM thread_links")
            c.execute("DELETE FROM threads")
            c.executemany(
                "INSERT INTO thread_links(src_item_id, dst_item_id, score, similarity, reasons, method)"
                " VALUES (?,?,?,?,?,?)",
                [(l.src_item_id, l.dst_item_id, l.score, l.similarity, json.dumps(l.reasons, ensure_ascii=False),
                  method) for l in links],
            )
            for items in threads:
                c.executemany(
                    "INSERT INTO threads(item_id, thread_id, position) VALUES (?,?,?)",
                    [(item, items[0], pos) for pos, item in enumerate(items)],
                )
            c.execute(
                "INSERT INTO settings(key, value) VALUES ('threads_method', ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (json.dumps(method),),
            )

    def thread_links(self) -> list[ThreadLink]:
        """All stored thread links."""
        rows = self._conn.execute("SELECT src_item_id, dst_item_id, score, similarity, reasons FROM thread_links")
        return [ThreadLink(r[0], r[1], r[2], r[3], json.loads(r[4])) for r in rows]

    def thread_successors(self) -> dict[int, set[int]]:
        """``{item id: items linked from it}`` over all thread links."""
        out: dict[int, set[int]] = defaultdict(set)
        for src, dst in self._conn.execute("SELECT src_item_id, dst_item_id FROM thread_links"):
            out[src].add(dst)
        return dict(out)

    def thread_of_items(self) -> dict[int, int]:
        """``{item id: thread id}`` for every item in a thread."""
        return {r[0]: r[1] for r in self._conn.execute("SELECT item_id, thread_id FROM threads")}

    def thread_entries(self, thread_id: int | None = None) -> list[ThreadEntry]:
        """Items of one thread (or of all threads), in thread then reading order."""
        if thread_id is None:
            rows = self._conn.execute(f"{_THREAD_SELECT} ORDER BY t.thread_id, t.position")
        else:
            rows = self._conn.execute(f"{_THREAD_SELECT} WHERE t.thread_id = ? ORDER BY t.position", (thread_id,))
        return [_thread_entry(r) for r in rows]

    def thread_topic_labels(self) -> dict[int, list[str]]:
        """``{thread id: topic labels of its items}`` (a label once per item)."""
        out: dict[int, list[str]] = defaultdict(list)
        for tid, label in self._conn.execute(
            "SELECT t.thread_id, it.label FROM threads t JOIN item_topics it ON it.item_id = t.item_id"
        ):
            out[tid].append(label)
        return dict(out)

    # -- reading ---------------------------------------------------------------------

    def count(self, table: str) -> int:
        """Rows in one of :data:`TABLES`."""
        if table not in TABLES:
            raise ValueError(table)
        return self._conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def meetings(self, filters: Filters | None = None) -> list[Meeting]:
        """Meetings passing ``filters`` with their source and item count, oldest first.

        With a topic or entity filter, meetings with at least one such item.
        """
        where, args = self._meeting_where(filters)
        rows = self._conn.execute(f"{_MEETING_SELECT} WHERE {where} ORDER BY m.date IS NULL, m.date, m.id", args)
        return [_meeting(r) for r in rows]

    def meeting(self, meeting_id: int) -> Meeting | None:
        row = self._conn.execute(f"{_MEETING_SELECT} WHERE m.id = ?", (meeting_id,)).fetchone()
        return _meeting(row) if row else None

    def meeting_counts(self, by: str, filters: Filters | None = None) -> dict[tuple[str | None, str | None, str | None], int]:
        """Meetings per ``(period, body, municipality)``; the period as :func:`radslag.periods.period_of` gives it."""
        if by not in PERIODS:
            raise ValueError(f"by must be one of {PERIODS}, not {by!r}")
        where, args = self._meeting_where(filters)
        rows = self._conn.execute(
            f"SELECT rs_period(m.date, ?, m.year, m.month) AS period, m.body, m.municipality, count(*) FROM meetings m"
            f" WHERE {where} GROUP BY period, m.body, m.municipality",
            [by, *args],
        )
        return {(r[0], r[1], r[2]): r[3] for r in rows}

    def meeting_values(self, column: str) -> list[str]:
        """Distinct ``body`` or ``municipality`` values, sorted."""
        if column not in ("body", "municipality"):
            raise ValueError(column)
        rows = self._conn.execute(f"SELECT DISTINCT {column} FROM meetings WHERE {column} IS NOT NULL ORDER BY {column}")
        return [r[0] for r in rows]

    def items(
        self,
        filters: Filters | None = None,
        *,
        meeting_id: int | None = None,
        meeting_ids: Iterable[int] | None = None,
        item_ids: Iterable[int] | None = None,
        enrichment: bool = True,
    ) -> list[Item]:
        """Agenda items passing ``filters`` (and in ``meeting_id`` / ``meeting_ids`` / ``item_ids``), in reading order.

        With ``enrichment=False`` the items come without their entities and
        topics (empty lists), which is much faster for thousands of items.
        """
        where, args = self._where(filters, meeting_id=meeting_id, meeting_ids=meeting_ids, item_ids=item_ids)
        select = _ITEM_SELECT if enrichment else _ITEM_COLUMNS + _ITEM_FROM
        rows = self._conn.execute(f"{select} WHERE {where}{_ITEM_ORDER}", args)
        return [_item(r) for r in rows]

    def item_ids(self, meeting_id: int) -> list[int]:
        """Ids of a meeting's items in agenda order."""
        rows = self._conn.execute("SELECT id FROM items WHERE meeting_id = ? ORDER BY ordinal", (meeting_id,))
        return [r[0] for r in rows]

    def item(self, item_id: int) -> Item | None:
        rows = self.items(item_ids=[item_id])
        return rows[0] if rows else None

    def filter_item_ids(self, filters: Filters | None) -> set[int] | None:
        """Ids of items passing ``filters``, or None when no filter is set."""
        if not filters:
            return None
        where, args = self._where(filters)
        rows = self._conn.execute(
            f"SELECT i.id FROM items i JOIN meetings m ON m.id = i.meeting_id WHERE {where}", args
        )
        return {r[0] for r in rows}

    # -- filters ---------------------------------------------------------------------

    @staticmethod
    def _meeting_conditions(filters: Filters | None) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        args: list[Any] = []
        if filters is None:
            return where, args
        for value, condition in (
            (filters.body, "rs_council_match(?, m.municipality, m.body)"),
            (filters.council, "rs_council_key(m.municipality, m.body) = ?"),
            (filters.municipality, "rs_name_match(?, m.municipality)"),
            (filters.kind, "m.kind = ?"),
        ):
            if value:
                where.append(condition)
                args.append(value)
        # A meeting known only by its year (or month) passes when that span overlaps the range.
        if filters.since:
            where.append("(m.date >= ? OR (m.date IS NULL AND m.year * 100 + coalesce(m.month, 12) >= ?))")
            args.extend([filters.since, int(filters.since[:4]) * 100 + int(filters.since[5:7])])
        if filters.until:
            where.append("(m.date <= ? OR (m.date IS NULL AND m.year * 100 + coalesce(m.month, 1) <= ?))")
            args.extend([filters.until, int(filters.until[:4]) * 100 + int(filters.until[5:7])])
        return where, args

    @staticmethod
    def _item_conditions(filters: Filters | None) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        args: list[Any] = []
        if filters is not None and filters.topic:
            where.append(
                "EXISTS (SELECT 1 FROM item_topics t2 WHERE t2.item_id = i.id"
                " AND (t2.topic_id = ? OR sv_fold(t2.label) = sv_fold(?)))"
            )
            args.extend([filters.topic, filters.topic])
        if filters is not None and filters.entity:
            where.append(
                "EXISTS (SELECT 1 FROM entities e2 WHERE e2.item_id = i.id"
                " AND (sv_fold(e2.canonical) = sv_fold(?) OR sv_fold(e2.text) = sv_fold(?)))"
            )
            args.extend([filters.entity, filters.entity])
        return where, args

    def _meeting_where(self, filters: Filters | None) -> tuple[str, list[Any]]:
        """WHERE clause over ``meetings m`` alone."""
        where, args = self._meeting_conditions(filters)
        inner, inner_args = self._item_conditions(filters)
        if inner:
            where.append(f"EXISTS (SELECT 1 FROM items i WHERE i.meeting_id = m.id AND {' AND '.join(inner)})")
            args.extend(inner_args)
        return " AND ".join(where) or "1=1", args

    def _where(
        self,
        filters: Filters | None,
        *,
        meeting_id: int | None = None,
        meeting_ids: Iterable[int] | None = None,
        item_ids: Iterable[int] | None = None,
    ) -> tuple[str, list[Any]]:
        """WHERE clause over ``items i`` joined with ``meetings m``: the filters, then one meeting,
        a set of meetings or a set of items (each None: no limit)."""
        where, args = self._meeting_conditions(filters)
        inner, inner_args = self._item_conditions(filters)
        where += inner
        args += inner_args
        if meeting_id is not None:
            where.append("i.meeting_id = ?")
            args.append(meeting_id)
        if meeting_ids is not None:
            where.append("i.meeting_id IN (SELECT value FROM json_each(?))")
            args.append(_ids_json(meeting_ids))
        if item_ids is not None:
            where.append("i.id IN (SELECT value FROM json_each(?))")
            args.append(_ids_json(item_ids))
        return " AND ".join(where) or "1=1", args
