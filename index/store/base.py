"""Base of the store's parts.

The archive (:class:`index.store.Archive`) is one class that owns every read
and write, datasette-style; it is composed of domain parts (mixins) that each
keep their SQL in a module of this package. A part may declare idempotent DDL
in ``SCHEMA`` (run at every open, after the core schema and its migrations)
and add columns to existing tables in ``_upgrade`` with :meth:`_ensure_column`.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3


class StorePart:
    """A domain part of the archive.

    Subclasses use ``self._conn`` (the SQLite connection) and ``self._tx()``
    (a write transaction) provided by :class:`index.store.Archive`.

    Attributes:
        SCHEMA: ``CREATE TABLE IF NOT EXISTS`` / ``CREATE INDEX IF NOT EXISTS``
            statements for this part's tables.
    """

    SCHEMA: str = ""
    _conn: sqlite3.Connection

    def _upgrade(self, conn: sqlite3.Connection) -> None:
        """Additive changes to existing tables (override; runs inside a transaction)."""

    def _ensure_column(self, conn: sqlite3.Connection, table: str, column: str, decl: str) -> None:
        """Add ``column`` with SQL declaration ``decl`` to ``table`` unless it exists."""
        have = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
        if column not in have:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")

    def _apply_parts(self) -> None:
        """Run every part's ``SCHEMA`` and ``_upgrade`` once, in one transaction.

        Skipped when the archive already carries this exact set of parts (a
        fingerprint kept in ``settings``): reading that needs no write lock, so
        opening the archive for a search never waits for an ingest that is
        writing (WAL readers do not block on a writer).
        """
        parts = [c for c in reversed(type(self).__mro__) if issubclass(c, StorePart) and c is not StorePart]
        script = "".join(c.__dict__.get("SCHEMA", "") for c in parts)
        upgrades = [c.__dict__["_upgrade"] for c in parts if "_upgrade" in c.__dict__]
        fingerprint = _parts_fingerprint(script, upgrades)
        if self._stored_fingerprint() == fingerprint:
            return
        # executescript commits any open transaction, so the script carries its own.
        self._conn.executescript("BEGIN IMMEDIATE;" + script + ";COMMIT;")
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            for upgrade in upgrades:
                upgrade(self, self._conn)
            self._conn.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (PARTS_KEY, json.dumps(fingerprint)),
            )
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def _stored_fingerprint(self) -> str | None:
        try:
            row = self._conn.execute("SELECT value FROM settings WHERE key = ?", (PARTS_KEY,)).fetchone()
        except sqlite3.OperationalError:  # no settings table yet
            return None
        return json.loads(row[0]) if row else None


#: The ``settings`` key holding the fingerprint of the parts' schema last applied.
PARTS_KEY = "store_parts_schema"


def _parts_fingerprint(script: str, upgrades: list) -> str:
    """What identifies the parts' schema: their DDL and the code of their upgrades."""
    h = hashlib.sha256(script.encode())
    for fn in upgrades:
        code = fn.__code__
        h.update(fn.__qualname__.encode() + code.co_code + repr(code.co_consts).encode())
    return h.hexdigest()[:16]
