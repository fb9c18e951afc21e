"""Base of the store's parts.

The archive (:class:`index.store.Archive`) is one class that owns every read
and write, datasette-style; it is composed of domain parts (mixins) that each
keep their SQL in a module of this package. A part may declare idempotent DDL
in ``SCHEMA`` (run at every open, after the core schema and its migrations)
and add columns to existing tables in ``_upgrade`` with :meth:`_ensure_column`.
"""

from __future__ import annotations

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
        """Run every part's ``SCHEMA`` and ``_upgrade`` once, in one transaction."""
        parts = [c for c in reversed(type(self).__mro__) if issubclass(c, StorePart) and c is not StorePart]
        script = "".join(c.__dict__.get("SCHEMA", "") for c in parts)
        if script.strip():
            # executescript commits any open transaction, so the script carries its own.
            self._conn.executescript("BEGIN IMMEDIATE;" + script + ";COMMIT;")
        upgrades = [c.__dict__["_upgrade"] for c in parts if "_upgrade" in c.__dict__]
        if upgrades:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                for upgrade in upgrades:
                    upgrade(self, self._conn)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
