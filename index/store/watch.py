"""The archive's part for saved searches and their alerts (:mod:`index.watch`).

A saved search (``watches``) keeps its query or topic, its filters as JSON
and a watermark, ``last_item_id``: items with a higher id had not been
checked against it yet. An alert (``watch_alerts``) copies the item's
fields, so it and its feed entry survive a re-ingest that replaces the
document (``item_id`` then becomes NULL). ``key`` identifies an item across
such replacements, so a replaced but unchanged item never alerts twice.
Both ids are AUTOINCREMENT: a feed URL (``/feeds/<id>.atom``) or an entry
id never comes to mean another search or item.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import asdict

from index.store.base import StorePart
from radslag.types import Filters, Watch, WatchAlert


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def _watch(row: sqlite3.Row) -> Watch:
    return Watch(
        id=row["id"], uid=row["uid"], name=row["name"], query=row["query"],
        filters=Filters(**json.loads(row["filters"])), mode=row["mode"], created_at=row["created_at"],
        email=row["email"], checked_at=row["checked_at"], last_item_id=row["last_item_id"],
        alert_count=row["alert_count"],
    )


def _alert(row: sqlite3.Row) -> WatchAlert:
    return WatchAlert(**{k: row[k] for k in row.keys()})


_WATCH_SELECT = (
    "SELECT w.*, (SELECT count(*) FROM watch_alerts a WHERE a.watch_id = w.id) AS alert_count FROM watches w"
)
_ALERT_COLUMNS = ("uid", "watch_id", "item_id", "meeting_id", "key", "source", "date", "body", "municipality",
                  "number", "title", "snippet", "reason", "score", "created_at")


class WatchStore(StorePart):
    """Saved searches and the alerts they recorded."""

    SCHEMA = """
CREATE TABLE IF NOT EXISTS watches (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    uid          TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    query        TEXT,
    filters      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(filters)),
    mode         TEXT NOT NULL,
    email        TEXT,
    created_at   TEXT NOT NULL,
    checked_at   TEXT,
    last_item_id INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS watch_alerts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    uid          TEXT NOT NULL UNIQUE,
    watch_id     INTEGER NOT NULL REFERENCES watches(id) ON DELETE CASCADE,
    item_id      INTEGER REFERENCES items(id) ON DELETE SET NULL,
    meeting_id   INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
    key          TEXT NOT NULL,
    source       TEXT NOT NULL,
    date         TEXT,
    body         TEXT,
    municipality TEXT,
    number       TEXT,
    title        TEXT NOT NULL,
    snippet      TEXT NOT NULL,
    reason       TEXT NOT NULL,
    score        REAL,
    created_at   TEXT NOT NULL,
    emailed_at   TEXT,
    UNIQUE (watch_id, key)
);
CREATE INDEX IF NOT EXISTS watch_alerts_watch ON watch_alerts(watch_id, id);
CREATE INDEX IF NOT EXISTS watch_alerts_item ON watch_alerts(item_id);
"""

    def add_watch(self, name: str, query: str | None, filters: Filters, mode: str, *,
                  email: str | None = None) -> Watch:
        """Save a search; its watermark is the archive's newest item, so only later items alert."""
        with self._tx() as c:
            last = c.execute("SELECT coalesce(max(id), 0) FROM items").fetchone()[0]
            cur = c.execute(
                "INSERT INTO watches(uid, name, query, filters, mode, email, created_at, last_item_id)"
                " VALUES (?,?,?,?,?,?,?,?)",
                (str(uuid.uuid4()), name, query,
                 json.dumps({k: v for k, v in asdict(filters).items() if v is not None}, ensure_ascii=False),
                 mode, email, _now(), last),
            )
            watch_id = cur.lastrowid
        return self.watch(watch_id)

    def watches(self) -> list[Watch]:
        """Every saved search, oldest first."""
        return [_watch(r) for r in self._conn.execute(f"{_WATCH_SELECT} ORDER BY w.id")]

    def watch(self, watch_id: int) -> Watch | None:
        row = self._conn.execute(f"{_WATCH_SELECT} WHERE w.id = ?", (watch_id,)).fetchone()
        return _watch(row) if row else None

    def remove_watch(self, watch_id: int) -> bool:
        """Delete a saved search with its alerts; False when there was none."""
        with self._tx() as c:
            return c.execute("DELETE FROM watches WHERE id = ?", (watch_id,)).rowcount > 0

    def item_ids_after(self, item_id: int) -> list[int]:
        """Ids of the items stored after ``item_id`` (higher ids), ascending."""
        return [r[0] for r in self._conn.execute("SELECT id FROM items WHERE id > ? ORDER BY id", (item_id,))]

    def max_item_id(self) -> int:
        return self._conn.execute("SELECT coalesce(max(id), 0) FROM items").fetchone()[0]

    def record_alerts(self, watch_id: int, alerts: Sequence[WatchAlert], last_item_id: int) -> list[WatchAlert]:
        """Store new alerts and move the watch's watermark, in one transaction.

        An alert whose ``key`` the watch already has is skipped.

        Returns:
            The alerts actually stored (with their ids and uids).
        """
        now = _now()
        added: list[int] = []
        with self._tx() as c:
            for a in alerts:
                values = asdict(a) | {"uid": str(uuid.uuid4()), "watch_id": watch_id, "created_at": now}
                cur = c.execute(
                    f"INSERT OR IGNORE INTO watch_alerts({', '.join(_ALERT_COLUMNS)})"
                    f" VALUES ({', '.join('?' * len(_ALERT_COLUMNS))})",
                    [values[k] for k in _ALERT_COLUMNS],
                )
                if cur.rowcount:
                    added.append(cur.lastrowid)
            c.execute("UPDATE watches SET checked_at = ?, last_item_id = max(last_item_id, ?) WHERE id = ?",
                      (now, last_item_id, watch_id))
        return self.alerts(alert_ids=added) if added else []

    def alerts(self, watch_id: int | None = None, *, limit: int | None = None, unsent: bool = False,
               alert_ids: Iterable[int] | None = None) -> list[WatchAlert]:
        """Alerts, newest first: of one watch, not yet e-mailed, or by id."""
        where, args = [], []
        if watch_id is not None:
            where.append("watch_id = ?")
            args.append(watch_id)
        if unsent:
            where.append("emailed_at IS NULL")
        if alert_ids is not None:
            where.append("id IN (SELECT value FROM json_each(?))")
            args.append(json.dumps(sorted(int(i) for i in alert_ids)))
        sql = "SELECT * FROM watch_alerts" + (f" WHERE {' AND '.join(where)}" if where else "") + " ORDER BY id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(int(limit))
        return [_alert(r) for r in self._conn.execute(sql, args)]

    def mark_emailed(self, alert_ids: Iterable[int]) -> None:
        """Record that these alerts went out in a digest."""
        with self._tx() as c:
            c.execute("UPDATE watch_alerts SET emailed_at = ? WHERE id IN (SELECT value FROM json_each(?))",
                      (_now(), json.dumps(sorted(int(i) for i in alert_ids))))
