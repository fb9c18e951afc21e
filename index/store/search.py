"""The archive's part for search: look-ups the ranking needs on its hot path.

No schema of its own: the keyword index (``items_fts``) and passages belong to
the core store; this part only reads.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from index.store.base import StorePart
from radslag.types import Filters, Passage


#: Filter results kept per archive connection (see :meth:`SearchStore.allowed_item_ids`).
FILTER_CACHE_SIZE = 16
#: Term row counts kept per connection until the archive changes (see :meth:`SearchStore.term_rows`).
TERM_CACHE_SIZE = 20_000
#: A MATCH expression's rows are read whole when they are at most this many per candidate
#: (:meth:`SearchStore.keyword_group_hits`): FTS5 streams a row of a doclist for a small fraction
#: of what one ``rowid = ?`` look-up costs from Python (about 5 µs), so reading a few rows per
#: candidate is cheaper; beyond that, the look-ups (the cost follows the candidates).
SCAN_ROWS_PER_CANDIDATE = 4
#: Passages whose (item, meeting) are kept per connection until the archive changes
#: (see :meth:`SearchStore.passage_meetings`).
PASSAGE_CACHE_SIZE = 200_000


class SearchStore(StorePart):
    """Reads for :mod:`index.search`."""

    def change_stamp(self) -> tuple[int, int]:
        """Changes as this connection sees them: another connection's commit or a write of its own moves it."""
        return self._conn.execute("PRAGMA data_version").fetchone()[0], self._conn.total_changes

    def _stamped(self, name: str) -> dict:
        """This connection's cache ``name``, emptied whenever the archive has changed (:meth:`change_stamp`)."""
        stamp = self.change_stamp()
        cache = self.__dict__.get(name)
        if cache is None or cache[0] != stamp:
            cache = self.__dict__[name] = (stamp, {})
        return cache[1]

    def allowed_item_ids(self, filters: Filters | None) -> frozenset[int] | None:
        """``filter_item_ids`` resolved once per filter and archive version.

        A search with a filter needs the ids of every item passing it; at a
        million items that query (Python name rules over every meeting) costs
        more than the search. The sets are kept per connection until the
        archive changes (:meth:`change_stamp`), at most
        :data:`FILTER_CACHE_SIZE` of them.
        """
        if not filters:
            return None
        sets = self._stamped("_filter_cache")
        got = sets.get(filters)
        if got is None:
            got = frozenset(self.filter_item_ids(filters) or ())  # type: ignore[attr-defined]
            if len(sets) >= FILTER_CACHE_SIZE:
                sets.pop(next(iter(sets)))
            sets[filters] = got
        return got

    def passage_meetings(self, passage_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
        """``{passage id: (item id, meeting id)}`` for the given passages (one query for those not known).

        Every dense search reads these for all its retrieved passages; the
        answers are kept per connection until the archive changes
        (:meth:`change_stamp`), at most :data:`PASSAGE_CACHE_SIZE` of them, so
        a connection the app reuses reads each passage once. A passage id not
        in the archive is absent, as before.
        """
        if not passage_ids:
            return {}
        known = self._stamped("_passage_meetings")
        missing = [int(i) for i in passage_ids if i not in known]
        if missing:
            rows = self._conn.execute(
                "SELECT p.id, p.item_id, i.meeting_id FROM passages p JOIN items i ON i.id = p.item_id "
                "WHERE p.id IN (SELECT value FROM json_each(?))",
                (json.dumps(missing),),
            )
            found = {int(pid): (int(item), int(meeting)) for pid, item, meeting in rows}
            if len(known) + len(missing) > PASSAGE_CACHE_SIZE:
                known.clear()
            known.update(found)
            known.update((i, None) for i in missing if i not in found)  # type: ignore[misc]
        out = {}
        for i in passage_ids:
            where = known.get(i)
            if where is not None:
                out[int(i)] = where
        return out

    def items_passages(self, item_ids: Sequence[int]) -> dict[int, list[Passage]]:
        """``{item id: its passages in order}`` for several items (one query; items without passages absent)."""
        if not item_ids:
            return {}
        rows = self._conn.execute(
            "SELECT id, item_id, ordinal, text, start, end FROM passages "
            "WHERE item_id IN (SELECT value FROM json_each(?)) ORDER BY item_id, ordinal",
            (json.dumps([int(i) for i in item_ids]),),
        )
        out: dict[int, list[Passage]] = {}
        for pid, item_id, ordinal, text, start, end in rows:
            out.setdefault(int(item_id), []).append(
                Passage(item_id=int(item_id), ordinal=ordinal, text=text, start=start, end=end, id=int(pid)))
        return out

    def topic_items(self, topic_ids: Sequence[str], candidates: Sequence[int]) -> dict[int, set[str]]:
        """``{item id: topic ids}`` of the ``candidates`` tagged with any of ``topic_ids``."""
        if not topic_ids or not candidates:
            return {}
        rows = self._conn.execute(
            "SELECT item_id, topic_id FROM item_topics WHERE topic_id IN (SELECT value FROM json_each(?)) "
            "AND item_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(topic_ids)), json.dumps([int(i) for i in candidates])),
        )
        out: dict[int, set[str]] = {}
        for item_id, topic_id in rows:
            out.setdefault(int(item_id), set()).add(str(topic_id))
        return out

    def keyword_group_hits(self, groups: Sequence[str], candidates: Sequence[int]) -> dict[int, int]:
        """How many of the MATCH expressions ``groups`` each of the ``candidates`` matches.

        The same test as ``keyword_matches(group, candidates)`` per group, but
        FTS5 is asked one row at a time (``rowid = ?`` beside ``MATCH``, which
        FTS5 answers by seeking in the terms' doclists) instead of reading a
        common term's whole doclist and filtering it by the candidates: the
        cost follows the number of candidates, not the archive's size.

        A group that matches few rows (at most :data:`SCAN_ROWS_PER_CANDIDATE`
        per candidate) is read whole instead, in one statement: the same rows,
        far cheaper than a look-up per candidate. Whether it does is found
        out by reading at most that many rows of it.

        Returns:
            ``{candidate: groups matched}`` for every candidate (0 included).
        """
        out = dict.fromkeys((int(i) for i in candidates), 0)
        if not groups or not out:
            return out
        # One statement per (candidate, group): a correlated sub-query over json_each
        # measured ten times slower than these point look-ups (FTS5 re-plans per row).
        execute = self._conn.execute
        sql = "SELECT 1 FROM items_fts WHERE items_fts MATCH ? AND rowid = ?"
        few = SCAN_ROWS_PER_CANDIDATE * len(out)
        for group in groups:
            rows = execute("SELECT rowid FROM items_fts WHERE items_fts MATCH ? LIMIT ?", (group, few + 1)).fetchall()
            if len(rows) <= few:  # every row the group matches
                for (rowid,) in rows:
                    if rowid in out:
                        out[rowid] += 1
                continue
            for item_id in out:
                if execute(sql, (group, item_id)).fetchone() is not None:
                    out[item_id] += 1
        return out

    # -- the keyword index's own statistics (index.bm25 scores rows as FTS5's bm25 does) --------

    def fts_totals(self) -> tuple[int, int]:
        """``(rows, tokens in all columns)`` of the keyword index, as FTS5's ``bm25`` reads them.

        From the FTS5 averages record (``items_fts_data`` row 1: varints, the
        row count then each column's token total).
        """
        row = self._conn.execute("SELECT block FROM items_fts_data WHERE id = 1").fetchone()
        if row is None or not row[0]:
            return 0, 0
        values = _varints(bytes(row[0]))
        return values[0], sum(values[1:])

    def term_rows(self, term: str) -> int:
        """Rows of the keyword index holding ``term`` (one analysed token), as ``bm25``'s IDF counts them.

        Counting reads the term's doclist, so counts are kept until the
        archive changes (:meth:`change_stamp`).
        """
        if self.__dict__.get("_vocab") is None:
            # fts5vocab answers "term = ?" from the term's doclist without the MATCH machinery
            self._conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.items_fts_vocab"
                               " USING fts5vocab(main, items_fts, 'row')")
            self.__dict__["_vocab"] = True
        counts = self._stamped("_term_rows")
        got = counts.get(term)
        if got is None:
            row = self._conn.execute("SELECT doc FROM temp.items_fts_vocab WHERE term = ?", (term,)).fetchone()
            got = int(row[0]) if row else 0
            if len(counts) >= TERM_CACHE_SIZE:
                counts.pop(next(iter(counts)))
            counts[term] = got
        return got

    def fts_rows(self, item_ids: Sequence[int]) -> list[tuple[int, str, str, int]]:
        """``(item id, analysed title, analysed text, tokens in all columns)`` from the keyword index."""
        if not item_ids:
            return []
        rows = self._conn.execute(
            "SELECT c.id, c.c0, c.c1, d.sz FROM items_fts_content c JOIN items_fts_docsize d ON d.id = c.id"
            " WHERE c.id IN (SELECT value FROM json_each(?))",
            (json.dumps([int(i) for i in item_ids]),),
        )
        return [(int(i), title or "", body or "", sum(_varints(bytes(sz)))) for i, title, body, sz in rows]


def _varints(blob: bytes) -> list[int]:
    """Decode SQLite's big-endian varints (7 bits a byte, the ninth byte whole), as FTS5 stores sizes."""
    out = []
    pos, n = 0, len(blob)
    while pos < n:
        value = 0
        for k in range(9):
            byte = blob[pos]
            pos += 1
            if k == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if byte < 0x80:
                break
        out.append(value)
    return out
