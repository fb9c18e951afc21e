"""Derived lookup tables kept in a SQLite file, read one key at a time.

The compound lexicon (:mod:`index.compounds`, 660k entries) and the lemma
table (:mod:`index.lemmas`) are costly to build, so they are built once and
kept in the settings cache folder as ``<prefix>-<hash>.sqlite`` (a changed
source gets a new file; writing one removes the older files of the prefix).

A search only looks up the few words of its query, so a process does not
load a table to use it: :class:`TableView` answers ``key in view`` and
``view.get(key)`` with an indexed SQLite lookup (a few microseconds,
remembered per key). Loading a whole table took 0.4 s of every cold
``radslag search``; a view loads its table into memory only when it has
been asked about :data:`LOAD_AFTER` distinct keys (ingest analyses whole
archives), which costs what it did before, once. Either way the answers are
the same.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

log = logging.getLogger(__name__)

#: Distinct keys a view looks up on disk before it loads its whole table.
LOAD_AFTER = 20_000
#: A temporary file this old was left by a writer that died (removed by the next write).
STALE_TMP_S = 3600
#: Bump when the file layout changes (part of the file name's hash in the callers).
FORMAT = "sqlite-1"
_MISSING = object()


def write(path: Path, tables: Mapping[str, Mapping[str, str] | Iterable[str]], meta: Mapping[str, str],
          what: str) -> bool:
    """Write ``tables`` to a new SQLite file at ``path`` (written whole, then renamed).

    Args:
        path: The file, ``<prefix>-<hash>.sqlite``; older files of the prefix are removed.
        tables: Table name -> a ``{key: value}`` mapping, or a set of keys (a table of members).
        meta: Extra strings kept with the tables (read back with :meth:`TableFile.meta`).
        what: What the file holds, for the log line.

    Returns:
        True when written. A cache that cannot be written only costs the
        build next time, so an ``OSError``/``sqlite3.Error`` is logged, not raised.
    """
    prefix = path.stem.rsplit("-", 1)[0]
    tmp = path.with_name(f"{path.name}.tmp{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.unlink(missing_ok=True)
        con = sqlite3.connect(tmp)
        try:
            con.execute("PRAGMA journal_mode=OFF")
            con.execute("PRAGMA synchronous=OFF")
            con.execute("CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID")
            counts = {}
            for name, table in tables.items():
                con.execute(f'CREATE TABLE "t_{name}" (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID')
                rows = table.items() if isinstance(table, Mapping) else ((k, None) for k in table)
                # sorted: the B-tree is filled in order (faster, smaller)
                con.executemany(f'INSERT INTO "t_{name}" VALUES (?, ?)', sorted(rows))
                counts[name] = len(table)
            con.executemany("INSERT INTO meta VALUES (?, ?)",
                            [*((f"count:{n}", str(c)) for n, c in counts.items()), *meta.items()])
            con.commit()
        finally:
            con.close()
        tmp.replace(path)
        stale = time.time() - STALE_TMP_S
        for old in path.parent.glob(f"{prefix}-*"):
            # older tables (and the pickles they replace), and what a killed writer left half-written
            if old != path and (old.suffix in (".sqlite", ".pickle")
                                or (".tmp" in old.suffix and old.stat().st_mtime < stale)):
                old.unlink(missing_ok=True)
        return True
    except (OSError, sqlite3.Error) as exc:
        log.warning("could not cache the %s in %s: %s", what, path, exc)
        tmp.unlink(missing_ok=True)
        return False


class TableFile:
    """A read-only file written by :func:`write`; one connection per process, shared by its views."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._con: sqlite3.Connection | None = None
        self._pid = -1
        self._meta = dict(self._query("SELECT k, v FROM meta", ()))

    @classmethod
    def open(cls, path: Path | None, what: str) -> "TableFile | None":
        """The file at ``path``, or None when it is missing or unreadable (logged; the caller rebuilds it)."""
        if path is None or not path.is_file():
            return None
        try:
            return cls(path)
        except sqlite3.Error as exc:
            log.warning("ignoring unreadable %s cache %s: %s", what, path, exc)
            return None

    def _connection(self) -> sqlite3.Connection:
        # A connection must not cross fork(): a child process opens its own.
        if self._con is None or self._pid != os.getpid():
            uri = f"file:{self.path.resolve()}?mode=ro&immutable=1"
            self._con = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._pid = os.getpid()
        return self._con

    def _query(self, sql: str, args: tuple) -> list[tuple]:
        with self._lock:
            return self._connection().execute(sql, args).fetchall()

    def meta(self, key: str) -> str | None:
        """A string kept with the tables (see :func:`write`)."""
        return self._meta.get(key)

    def view(self, name: str) -> "TableView":
        """The table ``name``, looked up key by key."""
        count = self._meta.get(f"count:{name}")
        if count is None:
            raise KeyError(f"no table {name!r} in {self.path}")
        return TableView(self, name, int(count))


class TableView:
    """One table of a :class:`TableFile`, answering like the dict (or set) it was written from.

    ``get`` and ``in`` look the key up on disk, remember the answer, and
    after :data:`LOAD_AFTER` distinct keys read the whole table into memory.
    A table written from a set answers ``get`` with ``None`` for members.
    """

    def __init__(self, source: TableFile, name: str, count: int):
        self._source = source
        self._sql = f'SELECT v FROM "t_{name}" WHERE k = ?'
        self._name = name
        self._count = count
        self._seen: dict[str, object] = {}
        self._all: dict[str, str | None] | None = None

    def _lookup(self, key: str) -> object:
        if self._all is not None:
            return self._all.get(key, _MISSING)
        found = self._seen.get(key, self._seen)
        if found is not self._seen:
            return found
        if len(self._seen) >= LOAD_AFTER:
            self.load()
            return self._all.get(key, _MISSING)  # type: ignore[union-attr]
        rows = self._source._query(self._sql, (key,))
        found = rows[0][0] if rows else _MISSING
        self._seen[key] = found
        return found

    def get_many(self, keys: Iterable[str]) -> dict[str, str | None]:
        """The stored ``{key: value}`` of those ``keys`` that are in the table (one query per 500 keys)."""
        keys = list(dict.fromkeys(keys))
        if self._all is not None:
            return {k: self._all[k] for k in keys if k in self._all}
        found = {k: v for k in keys if (v := self._seen.get(k, _MISSING)) is not _MISSING}
        todo = [k for k in keys if k not in self._seen]
        base = self._sql.split(" WHERE ")[0].replace("SELECT v", "SELECT k, v")
        for start in range(0, len(todo), 500):
            chunk = todo[start:start + 500]
            rows = dict(self._source._query(f"{base} WHERE k IN ({','.join('?' * len(chunk))})", tuple(chunk)))
            for key in chunk:
                self._seen[key] = rows.get(key, _MISSING)
            found.update(rows)
        return found

    def load(self) -> dict[str, str | None]:
        """Read the whole table into memory (done by itself after :data:`LOAD_AFTER` keys)."""
        if self._all is None:
            self._all = dict(self._source._query(f'SELECT k, v FROM "t_{self._name}"', ()))
            self._seen = {}
        return self._all

    @property
    def loaded(self) -> bool:
        """Whether the whole table is in memory."""
        return self._all is not None

    def get(self, key: str, default: str | None = None) -> str | None:
        found = self._lookup(key)
        return default if found is _MISSING else found  # type: ignore[return-value]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._lookup(key) is not _MISSING

    def __getitem__(self, key: str) -> str | None:
        found = self._lookup(key)
        if found is _MISSING:
            raise KeyError(key)
        return found  # type: ignore[return-value]

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[str]:
        return iter(self.load())

    def items(self):
        """``(key, value)`` pairs (loads the table)."""
        return self.load().items()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TableView):
            other = other.load()
        if isinstance(other, (set, frozenset)):
            return set(self.load()) == other
        if isinstance(other, Mapping):
            return self.load() == dict(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"TableView({self._source.path.name}:{self._name}, {self._count} keys)"
