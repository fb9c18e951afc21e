"""The app's archive connections (reused between requests, never shared by two at once) and download files."""

from __future__ import annotations

import shutil

from app.common import pooled_archive


def test_a_connection_is_reused_after_a_request_and_not_shared_during_one(tmp_settings):
    with pooled_archive(tmp_settings) as first:
        with pooled_archive(tmp_settings) as second:  # a concurrent request
            assert second is not first
    with pooled_archive(tmp_settings) as again:
        assert again in (first, second)
        again.set_setting("x-probe", "seen")  # a write through a reused connection works
    with pooled_archive(tmp_settings) as arc:
        assert arc.get_setting("x-probe") == "seen"


def test_a_connection_left_in_a_transaction_is_not_kept(tmp_settings):
    with pooled_archive(tmp_settings) as arc:
        arc._conn.execute("BEGIN")
        left = arc
    with pooled_archive(tmp_settings) as arc:
        assert arc is not left


def test_an_archive_replaced_on_disk_gets_new_connections(tmp_settings, tmp_path):
    with pooled_archive(tmp_settings) as old:
        old.set_setting("x-probe", "old")
    saved = tmp_path / "saved"
    shutil.copytree(tmp_settings.archive_dir, saved)
    with pooled_archive(tmp_settings) as arc:
        arc.set_setting("x-probe", "new")
    shutil.rmtree(tmp_settings.archive_dir)
    shutil.copytree(saved, tmp_settings.archive_dir)  # another file at the same path
    with pooled_archive(tmp_settings) as arc:
        assert arc is not old
        assert arc.get_setting("x-probe") == "old"


def test_connections_to_a_replaced_archive_are_closed_not_kept(tmp_settings, tmp_path):
    import sqlite3

    import pytest

    def swap():
        saved = tmp_path / "saved"
        shutil.rmtree(saved, ignore_errors=True)
        shutil.copytree(tmp_settings.archive_dir, saved)
        shutil.rmtree(tmp_settings.archive_dir)
        shutil.copytree(saved, tmp_settings.archive_dir)

    with pooled_archive(tmp_settings) as idle:
        pass  # kept idle for the file now at the path
    with pooled_archive(tmp_settings) as busy:
        assert busy is idle
        with pooled_archive(tmp_settings) as other:
            swap()  # the file is replaced while two requests use it
    for arc in (busy, other):  # back after the swap: closed, not kept
        with pytest.raises(sqlite3.ProgrammingError):
            arc._conn.execute("SELECT 1")
    with pooled_archive(tmp_settings) as kept:
        pass
    swap()
    with pooled_archive(tmp_settings) as new:
        assert new is not kept
    with pytest.raises(sqlite3.ProgrammingError):  # the idle one to the old file was closed on the way
        kept._conn.execute("SELECT 1")
    with pooled_archive(tmp_settings) as again:
        assert again is new


def test_download_files_lie_in_gradios_cache_so_it_serves_them_without_a_copy():
    import gradio  # noqa: F401 - the app's process has Gradio loaded
    from gradio.utils import get_upload_folder, is_in_or_equal

    from radslag.serve import download_file

    path = download_file("träffar.csv")
    assert is_in_or_equal(str(path), get_upload_folder())


def test_council_colours_follow_the_archive_through_a_reused_connection(tmp_settings):
    from app.common import colours
    from radslag.types import AgendaItem, Document, MeetingMeta

    with pooled_archive(tmp_settings) as arc:
        assert colours(arc) == {}
        other = type(arc)(tmp_settings.db_path)  # another connection (an ingest) adds a council
        other.write_document(Document("a.txt", "x", "txt", "h1"),
                             MeetingMeta(kind="minutes", municipality="Arboga", body="Trygghetsrådet"),
                             [AgendaItem(number="1", title="Klotter", text="Klotter.", start=0, end=1)])
        other.close()
        assert len(colours(arc)) == 1
