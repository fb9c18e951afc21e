"""Store part for councils, issue threads kept incrementally, and recurrence reads.

* :meth:`RecurrenceStore.councils`: the archive's councils (municipality,
  body normalised by :func:`radslag.councils.council_key`) with meeting
  counts and date spans.
* ``thread_meetings``: the meetings whose items the stored threads took into
  account, so :func:`index.threads.build_threads` relinks only the scopes
  (municipalities) with new, changed or removed meetings.
* Small reads the recurrence views need without loading whole items.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence

from index.store.base import StorePart
from radslag.councils import council_key, council_name, display_body
from radslag.periods import when
from radslag.types import Council, Filters, Item, ItemRef, ThreadLink


def _ids(ids: Iterable[int]) -> str:
    return json.dumps(sorted({int(i) for i in ids}))


def _ym(year: int | None, month: int | None) -> tuple[int, int] | None:
    return (year, month or 0) if year else None


class RecurrenceStore(StorePart):
    """Councils, incremental thread bookkeeping and light reads for timelines and histories."""

    SCHEMA = """
    CREATE TABLE IF NOT EXISTS thread_meetings (
        meeting_id INTEGER PRIMARY KEY REFERENCES meetings(id) ON DELETE CASCADE,
        scope      TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS thread_meetings_scope ON thread_meetings(scope);
    CREATE INDEX IF NOT EXISTS meetings_municipality ON meetings(municipality);
    CREATE INDEX IF NOT EXISTS items_dnr ON items(dnr) WHERE dnr IS NOT NULL;
    """

    # -- councils ------------------------------------------------------------------

    def councils(self, kind: str | None = None) -> list[Council]:
        """The archive's councils with document counts and first/last dates, by name.

        Args:
            kind: Count only documents of this kind (e.g. ``minutes``).
        """
        where, args = ("WHERE kind = ?", [kind]) if kind else ("", [])
        rows = self._conn.execute(
            "SELECT municipality, body, count(*) AS n, sum(kind = 'minutes') AS minutes,"
            " sum(date IS NULL AND year IS NULL) AS undated,"
            " min(date) AS min_date, max(date) AS max_date,"
            " min(CASE WHEN date IS NULL AND year IS NOT NULL THEN year * 100 + coalesce(month, 0) END) AS min_ym,"
            " max(CASE WHEN date IS NULL AND year IS NOT NULL THEN year * 100 + coalesce(month, 0) END) AS max_ym"
            f" FROM meetings {where} GROUP BY municipality, body",
            args,
        ).fetchall()
        groups: dict[str, list[sqlite3.Row]] = defaultdict(list)
        for r in rows:
            groups[council_key(r["municipality"], r["body"])].append(r)
        out = []
        for key, members in groups.items():
            municipality = max((r["municipality"] for r in members), key=lambda m: (m is not None, m or ""))
            forms: dict[str, int] = defaultdict(int)
            for r in members:
                if r["body"]:
                    forms[r["body"]] += r["n"]
            body = display_body([f for f, n in forms.items() for _ in range(n)], municipality) or None
            spans = []
            for r in members:
                for d in (r["min_date"], r["max_date"]):
                    if d:
                        spans.append(d)
                for ym in (r["min_ym"], r["max_ym"]):
                    if ym:
                        spans.append(when(None, ym // 100, ym % 100 or None))
            spans.sort()
            out.append(Council(
                key=key, name=council_name(municipality, body), municipality=municipality, body=body,
                forms=sorted(forms, key=lambda f: (-forms[f], f)), meetings=sum(r["n"] for r in members),
                minutes=sum(r["minutes"] or 0 for r in members), first=spans[0] if spans else None,
                last=spans[-1] if spans else None, undated=sum(r["undated"] or 0 for r in members),
            ))
        out.sort(key=lambda c: (c.municipality is None, (c.municipality or "").casefold(), c.name.casefold()))
        return out

    def meeting_councils(self, meeting_ids: Iterable[int] | None = None) -> dict[int, tuple[str | None, str | None]]:
        """``{meeting id: (municipality, body)}`` for all meetings or those given."""
        if meeting_ids is None:
            rows = self._conn.execute("SELECT id, municipality, body FROM meetings")
        else:
            rows = self._conn.execute(
                "SELECT id, municipality, body FROM meetings WHERE id IN (SELECT value FROM json_each(?))",
                (_ids(meeting_ids),),
            )
        return {r[0]: (r[1], r[2]) for r in rows}

    def item_refs(self, item_ids: Iterable[int] | None = None, filters: Filters | None = None) -> list[ItemRef]:
        """Items without their text (ids, number, title, case number, meeting fields), in reading order.

        Much lighter than :meth:`items` for the thousands of rows a timeline
        or a thread rebuild needs.
        """
        where, args = self._where(filters, item_ids=item_ids)  # type: ignore[attr-defined]
        rows = self._conn.execute(
            "SELECT i.id, i.meeting_id, i.ordinal, i.number, i.title, i.dnr, m.date, m.year, m.month, m.body,"
            " m.municipality, m.kind, d.source FROM items i JOIN meetings m ON m.id = i.meeting_id"
            f" JOIN documents d ON d.id = m.document_id WHERE {where}"
            " ORDER BY m.date IS NULL, m.date, m.id, i.ordinal",
            args,
        )
        return [ItemRef(*r) for r in rows]

    def items_with_case_serial(self, serials: Iterable[int]) -> list[tuple[int, str]]:
        """``(item id, case number)`` of the items whose case number holds one of ``serials``' digits.

        A prefilter for a query that names a case number (the caller parses
        what it gets): the serial's digits occur in the case number however it
        is written ("620" in "KS-2025-00620", "2025.620 KS"). Reads the
        ``items_dnr`` index only, not the items' text.
        """
        digits = sorted({str(int(s)) for s in serials})
        if not digits:
            return []
        like = " OR ".join("dnr LIKE ?" for _ in digits)
        rows = self._conn.execute(
            f"SELECT id, dnr FROM items INDEXED BY items_dnr WHERE dnr IS NOT NULL AND ({like})", [f"%{d}%" for d in digits]
        )
        return [(r[0], r[1]) for r in rows]

    def meeting_item_ids(self, meeting_ids: Iterable[int]) -> list[int]:
        """Ids of the items of the given meetings (one query; the thread relink of a few scopes)."""
        rows = self._conn.execute("SELECT id FROM items WHERE meeting_id IN (SELECT value FROM json_each(?))",
                                  (_ids(meeting_ids),))
        return [r[0] for r in rows]

    def council_items(self, meeting_ids: Iterable[int]) -> list[Item]:
        """Every item of the councils the given meetings belong to, without entities and topics, in reading order.

        A council is (municipality, body) normalised by
        :func:`radslag.councils.council_key`, so "Trygghetsrådet" and
        "Trygghetsråd" of one municipality are one council. The follow-up
        assessment (:func:`index.followups.assess`) reads only these items,
        not the whole archive. One query; the key is computed per meeting,
        not per item.
        """
        from index.store import _ITEM_COLUMNS, _ITEM_FROM, _ITEM_ORDER, _item  # the core item row (circular import)

        rows = self._conn.execute(
            f"{_ITEM_COLUMNS}{_ITEM_FROM} WHERE m.id IN (SELECT id FROM meetings"
            " WHERE rs_council_key(municipality, body) IN (SELECT rs_council_key(municipality, body) FROM meetings"
            f" WHERE id IN (SELECT value FROM json_each(?)))){_ITEM_ORDER}",
            (_ids(meeting_ids),),
        )
        return [_item(r) for r in rows]

    def document_texts(self, document_ids: Iterable[int]) -> dict[int, str]:
        """``{document id: normalised text}`` of several documents (one query; unknown ids absent)."""
        rows = self._conn.execute("SELECT id, text FROM documents WHERE id IN (SELECT value FROM json_each(?))",
                                  (_ids(document_ids),))
        return {r[0]: r[1] for r in rows}

    def vague_meeting_counts(self, filters: Filters | None = None) -> dict[tuple[str | None, str | None, str | None], int]:
        """Meetings without a full date per ``(when, body, municipality)``; ``when`` is
        ``2021-09``, ``2021`` or None (no date at all), as :func:`radslag.periods.when` gives it."""
        where, args = self._meeting_where(filters)  # type: ignore[attr-defined]
        rows = self._conn.execute(
            "SELECT m.year, m.month, m.body, m.municipality, count(*) FROM meetings m"
            f" WHERE m.date IS NULL AND {where} GROUP BY m.year, m.month, m.body, m.municipality",
            args,
        )
        out: dict[tuple[str | None, str | None, str | None], int] = defaultdict(int)
        for year, month, body, mun, n in rows:
            out[(when(None, year, month), body, mun)] += n
        return dict(out)

    # -- incremental threads -------------------------------------------------------

    def thread_scopes_seen(self) -> dict[int, str]:
        """``{meeting id: scope}`` of the meetings the stored threads took into account."""
        return {r[0]: r[1] for r in self._conn.execute("SELECT meeting_id, scope FROM thread_meetings")}

    def broken_thread_scopes(self) -> set[str]:
        """Scopes whose stored threads lost an item (a removed or replaced document).

        A thread member after the first that no longer has the link that
        joined it, or a thread whose first item is gone, marks its scope.
        """
        rows = self._conn.execute(
            "SELECT DISTINCT tm.scope FROM threads t JOIN items i ON i.id = t.item_id"
            " JOIN thread_meetings tm ON tm.meeting_id = i.meeting_id"
            " WHERE (t.position > 0 AND NOT EXISTS (SELECT 1 FROM thread_links l WHERE l.dst_item_id = t.item_id))"
            " OR NOT EXISTS (SELECT 1 FROM items i2 WHERE i2.id = t.thread_id)"
        )
        return {r[0] for r in rows}

    def replace_scope_threads(
        self,
        meeting_scopes: dict[int, str],
        links: Sequence[ThreadLink],
        threads: Sequence[Sequence[int]],
        method: str,
        *,
        everything: bool = False,
    ) -> None:
        """Replace the threads of some scopes (or of the whole archive) in one transaction.

        Args:
            meeting_scopes: Every meeting of the scopes rebuilt, with its scope.
            links: The new links among those meetings' items.
            threads: Item ids of each new thread in reading order (thread id =
                its first item's id).
            method: How the item vectors were made (``threads_method``).
            everything: Drop every stored thread first (a full rebuild).
        """
        with self._tx() as c:
            if everything:
                c.execute("DELETE FROM thread_links")
                c.execute("DELETE FROM threads")
                c.execute("DELETE FROM thread_meetings")
            else:
                ids = _ids(meeting_scopes)
                inside = "SELECT id FROM items WHERE meeting_id IN (SELECT value FROM json_each(?))"
                c.execute(f"DELETE FROM thread_links WHERE dst_item_id IN ({inside}) OR src_item_id IN ({inside})",
                          (ids, ids))
                c.execute(f"DELETE FROM threads WHERE item_id IN ({inside})", (ids,))
                c.execute("DELETE FROM thread_meetings WHERE meeting_id IN (SELECT value FROM json_each(?))", (ids,))
            c.executemany(
                "INSERT INTO thread_links(src_item_id, dst_item_id, score, similarity, reasons, method)"
                " VALUES (?,?,?,?,?,?)",
                [(l.src_item_id, l.dst_item_id, l.score, l.similarity, json.dumps(l.reasons, ensure_ascii=False),
                  method) for l in links],
            )
            c.executemany(
                "INSERT INTO threads(item_id, thread_id, position) VALUES (?,?,?)",
                [(item, items[0], pos) for items in threads for pos, item in enumerate(items)],
            )
            c.executemany("INSERT INTO thread_meetings(meeting_id, scope) VALUES (?, ?)",
                          list(meeting_scopes.items()))
            c.execute(
                "INSERT INTO settings(key, value) VALUES ('threads_method', ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (json.dumps(method),),
            )

    def thread_meetings_forget(self, meeting_ids: Iterable[int]) -> None:
        """Mark meetings as not yet linked (their enrichment or text changed)."""
        with self._tx() as c:
            c.execute("DELETE FROM thread_meetings WHERE meeting_id IN (SELECT value FROM json_each(?))",
                      (_ids(meeting_ids),))

    def thread_links_of(self, item_ids: Iterable[int]) -> list[ThreadLink]:
        """Stored links that start or end at the given items."""
        ids = _ids(item_ids)
        rows = self._conn.execute(
            "SELECT src_item_id, dst_item_id, score, similarity, reasons FROM thread_links"
            " WHERE src_item_id IN (SELECT value FROM json_each(?)) OR dst_item_id IN (SELECT value FROM json_each(?))",
            (ids, ids),
        )
        return [ThreadLink(r[0], r[1], r[2], r[3], json.loads(r[4])) for r in rows]
