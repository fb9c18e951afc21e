"""Concurrent use: the archive in WAL mode, and the app answering many searches during an ingest.

A small version of ``bench/load.py``: the app (launched through
``radslag.serve``) answers 40 keyword searches from 8 threads over its HTTP
API while ``radslag ingest`` adds new meetings to the same archive in another
process; every search must succeed and the new meetings must be found
afterwards. No timing is asserted (the bench measures it).
"""

from __future__ import annotations

import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest

from bench.load import MARKER, GradioHTTP, _env, free_port, hit_count, new_meetings, radslag, run_load
from index.store import Archive
from radslag.config import CORPUS_DIR


def test_archive_is_wal_with_a_busy_timeout(tmp_settings):
    with Archive(tmp_settings.db_path) as arc:
        conn = arc._conn  # the connection the store itself uses
        assert conn.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"
        # a writer in another process makes a search wait, not fail at once
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_a_write_waits_for_another_writer_and_reads_go_on(tmp_settings):
    """Two connections: while one holds the write lock, the other reads at once and its write waits."""
    with Archive(tmp_settings.db_path) as arc:
        arc.set_setting("x-probe", "before")
    holder = sqlite3.connect(tmp_settings.db_path, isolation_level=None, check_same_thread=False)
    with Archive(tmp_settings.db_path) as arc:
        holder.execute("BEGIN IMMEDIATE")
        holder.execute("INSERT OR REPLACE INTO settings(key, value) VALUES ('x-holder', ?)", ('"held"',))
        released = threading.Event()

        def release() -> None:
            time.sleep(0.6)
            holder.execute("COMMIT")
            released.set()

        threading.Thread(target=release).start()
        assert arc.get_setting("x-probe") == "before"  # WAL: the reader is not blocked by the writer
        assert not released.is_set()
        arc.set_setting("x-probe", "after")  # waits for the lock (busy timeout) instead of failing
        assert released.is_set()
        assert arc.get_setting("x-probe") == "after" and arc.get_setting("x-holder") == "held"
    holder.close()


def test_opening_the_archive_to_read_does_not_wait_for_a_long_write(tmp_settings):
    """A search opens the archive while an ingest holds a write transaction longer than the busy timeout."""
    with Archive(tmp_settings.db_path) as arc:
        arc.set_setting("x-probe", "before")
    holder = sqlite3.connect(tmp_settings.db_path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT OR REPLACE INTO settings(key, value) VALUES ('x-holder', ?)", ('"held"',))
    try:
        with Archive(tmp_settings.db_path) as arc:  # as the app does for every request
            busy_ms = arc._conn.execute("PRAGMA busy_timeout").fetchone()[0]
            assert arc.get_setting("x-probe") == "before"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert busy_ms > 0


def _small_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name in ("hallstahammar-trygghetsrad-2021-09-15.txt", "arboga-forebyggande-radet-2021.txt"):
        (folder / name).write_bytes((CORPUS_DIR / name).read_bytes())
    return folder


@pytest.mark.slow
def test_app_answers_searches_during_an_ingest_and_sees_the_new_meetings(tmp_path):
    from ingest.pipeline import ingest_paths
    from radslag import serve as server
    from radslag.config import load_settings

    settings = load_settings(archive_dir=tmp_path / "archive", embed=False, enrich=False)
    report = ingest_paths([str(_small_corpus(tmp_path / "corpus"))], settings, progress=False)
    assert not report.failed
    port = free_port()
    app = server.serve(settings, port=port, corpus=tmp_path / "none", block=False)
    ingest = None
    try:
        client = GradioHTTP(f"http://127.0.0.1:{port}")
        assert hit_count(client.search("trygghetsvandring", "keyword")) > 0
        assert hit_count(client.search(MARKER, "keyword")) == 0
        new_meetings(tmp_path / "new", 8)
        ingest = subprocess.Popen(
            radslag("ingest", "--archive", str(settings.archive_dir), "-q", str(tmp_path / "new")),
            env=_env(embed=False), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        load = run_load(client, searches=40, threads=8, mode="keyword", ingest=ingest)
        out, _ = ingest.communicate(timeout=300)
        assert ingest.returncode == 0, out.decode(errors="replace")[-2000:]
        assert load["errors"] == 0, load["error_examples"]
        assert load["searches"] == 40 and load["p50_s"] is not None
        # the running app sees what another process wrote, without a restart
        assert hit_count(client.search(MARKER, "keyword")) == 8
    finally:
        if ingest is not None and ingest.poll() is None:
            ingest.kill()
            ingest.wait()
        app.close()
