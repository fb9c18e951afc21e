"""The archive's part for each document's progress through the ingest stages.

A document goes through :data:`STAGES` in order:

====================  =====================================================
``read``              the file read, described and segmented (in a worker)
``store``             document, meeting, items and detected follow-ups stored
``passages``          items split into passages (``passages`` rows)
``vectors``           every passage embedded into the FAISS index
``enrichment``        entities and topics of every item
``links``             archive-wide: canonical names, issue threads, follow-up
                      status, computed with this document in the archive
====================  =====================================================

Each ``(document, stage)`` has a row in ``document_stages`` with a state:
``pending`` (still to do), ``done``, or ``failed`` (the last attempt failed;
``detail`` says why). ``read`` and ``store`` are written ``done`` with the
document, in its transaction; every other stage is marked ``done`` in the
transaction that writes its output (for ``vectors``, whose output is the
FAISS file, right after the file is committed). So a stage is ``done`` only
when its output is in the archive, whatever stopped the last run, and the
next ingest finishes what is not (:mod:`ingest.pipeline`).

``read`` is ``failed`` for a document read while OCR was unavailable and
pages were left unread; the next ingest reads it again once Tesseract is
installed.

Also here: :func:`kill_point`, a test-only hook the kill tests use to
SIGKILL an ingest at a chosen point.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sqlite3
from collections.abc import Iterable, Sequence

from index.store.base import StorePart
from radslag.types import DocumentStages

#: The stages in order.
STAGES = ("read", "store", "passages", "vectors", "enrichment", "links")
#: Stage states.
PENDING, DONE, FAILED = "pending", "done", "failed"
STATES = (PENDING, DONE, FAILED)
#: Stages whose output is derived from the stored text (redone by ``radslag reindex``).
DERIVED = ("passages", "vectors", "enrichment", "links")


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def _ids(ids: Iterable[int]) -> str:
    return json.dumps(sorted({int(i) for i in ids}))


# -- test-only kill hook ----------------------------------------------------------------

#: Environment variable naming the kill point: ``<point>:<n>`` kills the
#: process the n-th time it passes ``point`` (tests/ingest/test_crash.py,
#: bench/crash.py). Unset in normal use: the hook is then a dictionary lookup.
KILL_ENV = "RADSLAG_TEST_KILL_AT"
_passes: dict[str, int] = {}


def kill_point(point: str) -> None:
    """Test-only: SIGKILL this process at the n-th pass of ``point`` when ``RADSLAG_TEST_KILL_AT=point:n``.

    The kill tests use it to stop an ingest deterministically in the middle
    of a stage (inside a transaction, between the FAISS file and its
    manifest, ...). Without the variable it does nothing.
    """
    wanted = os.environ.get(KILL_ENV)
    if not wanted:
        return
    name, _, count = wanted.partition(":")
    if name != point:
        return
    _passes[point] = _passes.get(point, 0) + 1
    if _passes[point] >= int(count or 1):
        os.kill(os.getpid(), signal.SIGKILL)


# -- the store part ---------------------------------------------------------------------------


class StagesStore(StorePart):
    """Per-document stage records (``document_stages``)."""

    SCHEMA = """
CREATE TABLE IF NOT EXISTS document_stages (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    stage       TEXT NOT NULL CHECK (stage IN ('read', 'store', 'passages', 'vectors', 'enrichment', 'links')),
    state       TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
    detail      TEXT,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (document_id, stage)
);
CREATE INDEX IF NOT EXISTS document_stages_open ON document_stages(stage, state);
"""

    def _upgrade(self, conn: sqlite3.Connection) -> None:
        """Give documents stored before stages were recorded their rows (:meth:`_judge_stages`)."""
        self._judge_stages(conn)

    def record_missing_stages(self) -> int:
        """Give every document without stage rows its rows, judged from what is there; returns how many.

        For documents written without the pipeline (or before stages
        existed): the pipeline calls it before completing stages.
        """
        with self._tx() as c:
            return self._judge_stages(c)

    def _judge_stages(self, conn: sqlite3.Connection) -> int:
        """Rows for documents without any, judged from what is there.

        ``passages`` is done when every item has passages; ``enrichment``
        when any item has entities or topics (an item may rightly have
        neither, so a document with none is enriched again); ``vectors`` and
        ``links`` are pending (the next ingest checks the index against the
        passages, and relinks once).
        """
        legacy = [r[0] for r in conn.execute(
            "SELECT id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM document_stages s WHERE s.document_id = d.id)"
        )]
        if not legacy:
            return 0
        now = _now()
        rows = []
        for doc_id in legacy:
            has_passages = conn.execute(
                "SELECT NOT EXISTS (SELECT 1 FROM items i JOIN meetings m ON m.id = i.meeting_id"
                " WHERE m.document_id = ? AND NOT EXISTS (SELECT 1 FROM passages p WHERE p.item_id = i.id))",
                (doc_id,),
            ).fetchone()[0]
            enriched = conn.execute(
                "SELECT EXISTS (SELECT 1 FROM items i JOIN meetings m ON m.id = i.meeting_id WHERE m.document_id = ?"
                " AND (EXISTS (SELECT 1 FROM entities e WHERE e.item_id = i.id)"
                "   OR EXISTS (SELECT 1 FROM item_topics t WHERE t.item_id = i.id)))",
                (doc_id,),
            ).fetchone()[0]
            states = {"read": DONE, "store": DONE, "passages": DONE if has_passages else PENDING,
                      "vectors": PENDING, "enrichment": DONE if enriched else PENDING, "links": PENDING}
            rows += [(doc_id, stage, states[stage], None, now) for stage in STAGES]
        conn.executemany(
            "INSERT OR IGNORE INTO document_stages(document_id, stage, state, detail, updated_at) VALUES (?,?,?,?,?)",
            rows,
        )
        return len(legacy)

    # -- writing ----------------------------------------------------------------------

    def _start_stages(self, conn: sqlite3.Connection, document_id: int, read_detail: str | None = None) -> None:
        """Rows of a newly stored document (called inside its write transaction).

        Args:
            read_detail: Why the read is incomplete (pages OCR could not
                read); ``read`` is then ``failed`` with this detail.
        """
        now = _now()
        states = {"read": FAILED if read_detail else DONE, "store": DONE}
        conn.executemany(
            "INSERT OR REPLACE INTO document_stages(document_id, stage, state, detail, updated_at) VALUES (?,?,?,?,?)",
            [(document_id, stage, states.get(stage, PENDING), read_detail if stage == "read" else None, now)
             for stage in STAGES],
        )

    def start_document(self, meeting_id: int, read_detail: str | None = None) -> int:
        """Record a just-written document's stages (joins the transaction that wrote it).

        ``read`` and ``store`` become done (``read`` failed with
        ``read_detail`` when pages were left unread), every later stage
        pending.

        Returns:
            The document id.
        """
        with self._tx() as c:
            row = c.execute("SELECT document_id FROM meetings WHERE id = ?", (meeting_id,)).fetchone()
            if row is None:
                raise ValueError(f"no meeting {meeting_id}")
            self._start_stages(c, row[0], read_detail)
        return int(row[0])

    def mark_stage(self, document_ids: Iterable[int], stage: str, state: str = DONE, detail: str | None = None) -> int:
        """Set ``stage`` of the given documents to ``state`` (joins an open transaction).

        Completing ``vectors`` or ``enrichment`` sets ``links`` back to
        pending (threads and follow-up status read both), unless ``links``
        is marked in the same transaction afterwards.

        Returns:
            The number of documents whose row changed.
        """
        if stage not in STAGES or state not in STATES:
            raise ValueError(f"unknown stage or state: {stage!r}, {state!r}")
        ids = _ids(document_ids)
        with self._tx() as c:
            cur = c.execute(
                "UPDATE document_stages SET state = ?, detail = ?, updated_at = ?"
                " WHERE stage = ? AND document_id IN (SELECT value FROM json_each(?))"
                " AND (state != ? OR coalesce(detail, '') != coalesce(?, ''))",
                (state, detail, _now(), stage, ids, state, detail),
            )
            changed = cur.rowcount
            if state == DONE and stage in ("vectors", "enrichment") and changed:
                c.execute(
                    "UPDATE document_stages SET state = 'pending', detail = NULL, updated_at = ?"
                    " WHERE stage = 'links' AND state = 'done' AND document_id IN (SELECT value FROM json_each(?))",
                    (_now(), ids),
                )
        return changed

    def reset_stages(self, stages: Sequence[str], document_ids: Iterable[int] | None = None) -> None:
        """Set ``stages`` back to pending (all documents when ``document_ids`` is None)."""
        if any(s not in STAGES for s in stages):
            raise ValueError(f"unknown stage in {stages!r}")
        with self._tx() as c:
            where, args = "stage IN (SELECT value FROM json_each(?))", [json.dumps(list(stages))]
            if document_ids is not None:
                where += " AND document_id IN (SELECT value FROM json_each(?))"
                args.append(_ids(document_ids))
            c.execute(f"UPDATE document_stages SET state = 'pending', detail = NULL, updated_at = ? WHERE {where}",
                      [_now(), *args])

    # -- reading ------------------------------------------------------------------------

    def unfinished(self, stage: str) -> list[int]:
        """Ids of documents whose ``stage`` is not done (pending or failed), in id order."""
        return self._stage_ids(stage, "!=")

    def done(self, stage: str) -> list[int]:
        """Ids of documents whose ``stage`` is done, in id order."""
        return self._stage_ids(stage, "=")

    def _stage_ids(self, stage: str, op: str) -> list[int]:
        """Ids of documents whose ``stage`` state is (``=``) or is not (``!=``) done."""
        if stage not in STAGES:
            raise ValueError(stage)
        rows = self._conn.execute(
            f"SELECT document_id FROM document_stages WHERE stage = ? AND state {op} 'done' ORDER BY document_id",
            (stage,),
        )
        return [r[0] for r in rows]

    def document_stages(self, unfinished_only: bool = False) -> list[DocumentStages]:
        """Every document's stages (or only documents with an unfinished stage), by source."""
        where = (" WHERE EXISTS (SELECT 1 FROM document_stages u WHERE u.document_id = d.id AND u.state != 'done')"
                 if unfinished_only else "")
        rows = self._conn.execute(
            "SELECT d.id, d.source, s.stage, s.state, s.detail, s.updated_at FROM documents d"
            " JOIN document_stages s ON s.document_id = d.id" + where + " ORDER BY d.source, d.id"
        ).fetchall()
        out: dict[int, DocumentStages] = {}
        for doc_id, source, stage, state, detail, updated in rows:
            rec = out.setdefault(doc_id, DocumentStages(document_id=doc_id, source=source))
            rec.stages[stage] = state
            if detail:
                rec.details[stage] = detail
            rec.updated = max(rec.updated or "", updated)
        for rec in out.values():  # stages in pipeline order
            rec.stages = {s: rec.stages.get(s, PENDING) for s in STAGES}
        return list(out.values())

    def stage_counts(self) -> dict[str, dict[str, int]]:
        """``{stage: {state: documents}}`` over the archive (every state present, 0 when none)."""
        out = {s: {state: 0 for state in STATES} for s in STAGES}
        for stage, state, n in self._conn.execute(
            "SELECT stage, state, count(*) FROM document_stages GROUP BY stage, state"
        ):
            out[stage][state] = n
        return out

    def documents_awaiting_ocr(self) -> set[str]:
        """Sources of documents whose ``read`` failed because OCR was unavailable (pages left unread)."""
        rows = self._conn.execute(
            "SELECT d.source FROM documents d JOIN document_stages s ON s.document_id = d.id"
            " WHERE s.stage = 'read' AND s.state = 'failed'"
        )
        return {r[0] for r in rows}

    def passage_summary(self) -> tuple[int, int]:
        """``(count, sum of ids)`` of the passages: a cheap check of the vector index's manifest."""
        n, total = self._conn.execute("SELECT count(*), coalesce(sum(id), 0) FROM passages").fetchone()
        return int(n), int(total)

    def document_ids_of_items(self, item_ids: Iterable[int]) -> dict[int, int]:
        """``{item id: document id}``."""
        rows = self._conn.execute(
            "SELECT i.id, m.document_id FROM items i JOIN meetings m ON m.id = i.meeting_id"
            " WHERE i.id IN (SELECT value FROM json_each(?))",
            (_ids(item_ids),),
        )
        return {r[0]: r[1] for r in rows}

    def document_meeting_ids(self, document_ids: Iterable[int]) -> list[int]:
        """Meeting ids of the given documents, in document order."""
        rows = self._conn.execute(
            "SELECT id FROM meetings WHERE document_id IN (SELECT value FROM json_each(?)) ORDER BY document_id",
            (_ids(document_ids),),
        )
        return [r[0] for r in rows]
