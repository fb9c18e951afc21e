"""Tests for the on-disk lookup tables behind the compound lexicon and the lemma table."""

from __future__ import annotations

import os
import sqlite3
import time

import pytest

from index import table_cache
from index.table_cache import TableFile, write


def _file(tmp_path, **tables):
    path = tmp_path / "demo-abc.sqlite"
    assert write(path, tables, {"note": "hej"}, "demo")
    return TableFile(path)


def test_views_answer_like_the_dict_and_set_they_were_written_from(tmp_path) -> None:
    mapping = {"trygghets": "trygghet", "skol": "skola", "råd": "råd"}
    members = {"vandring", "chef", "ungdom"}
    f = _file(tmp_path, begin=mapping, end=members)
    begin, end = f.view("begin"), f.view("end")
    for key in ["trygghets", "skol", "råd", "xyz", "", "Trygghets"]:
        assert begin.get(key) == mapping.get(key)
        assert (key in begin) == (key in mapping)
        assert (key in end) == (key in members)
    assert begin.get("xyz", "default") == "default"
    assert len(begin) == 3 and len(end) == 3
    assert f.meta("note") == "hej" and f.meta("missing") is None
    assert not begin.loaded and not end.loaded  # lookups alone never read the whole table
    assert begin == mapping and end == members  # comparing reads it
    with pytest.raises(KeyError):
        f.view("nope")


def test_a_view_loads_its_table_after_many_distinct_keys(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(table_cache, "LOAD_AFTER", 3)
    table = {f"k{i}": f"v{i}" for i in range(10)}
    view = _file(tmp_path, t=table).view("t")
    for key in ["k1", "k1", "k2", "missing"]:
        assert view.get(key) == table.get(key)
    assert not view.loaded  # three distinct keys so far (a repeated key is remembered)
    assert view.get("k9") == "v9" and view.loaded
    assert "missing" not in view and view.get("k0") == "v0"


def test_writing_replaces_older_files_of_the_prefix(tmp_path) -> None:
    old_sqlite, old_pickle, other = (tmp_path / "lexicon-old.sqlite", tmp_path / "lexicon-old.pickle",
                                     tmp_path / "lemmas-1.sqlite")
    for p in (old_sqlite, old_pickle, other):
        p.write_bytes(b"x")
    assert write(tmp_path / "lexicon-new.sqlite", {"t": {"a": "b"}}, {}, "demo")
    assert not old_sqlite.exists() and not old_pickle.exists() and other.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lemmas-1.sqlite", "lexicon-new.sqlite"]
    # a half-written file of a dead writer goes once it is old; a current one (another writer's) stays
    dead, busy = tmp_path / "lexicon-x.sqlite.tmp111", tmp_path / "lexicon-y.sqlite.tmp222"
    dead.write_bytes(b"x")
    busy.write_bytes(b"x")
    os.utime(dead, (time.time() - 2 * table_cache.STALE_TMP_S,) * 2)
    assert write(tmp_path / "lexicon-new2.sqlite", {"t": {"a": "b"}}, {}, "demo")
    assert not dead.exists() and busy.exists()


def test_unreadable_file_counts_as_missing(tmp_path) -> None:
    bad = tmp_path / "lexicon-bad.sqlite"
    bad.write_bytes(b"not a database" * 100)
    assert TableFile.open(bad, "demo") is None
    assert TableFile.open(tmp_path / "absent.sqlite", "demo") is None
    assert TableFile.open(None, "demo") is None


def test_file_is_opened_read_only(tmp_path) -> None:
    f = _file(tmp_path, t={"a": "b"})
    with pytest.raises(sqlite3.OperationalError):
        f._query('INSERT INTO "t_t" VALUES (?, ?)', ("c", "d"))


def test_get_many_answers_only_the_stored_keys_and_remembers_them(tmp_path) -> None:
    table = {f"k{i}": f"v{i}" for i in range(1200)}
    view = _file(tmp_path, t=table).view("t")
    keys = [f"k{i}" for i in range(0, 2400, 2)] + ["k1", "nope"]  # more than one query's worth, repeats, misses
    assert view.get_many(keys) == {k: table[k] for k in keys if k in table}
    assert not view.loaded
    # remembered: answered again without the file
    view._source._query = lambda *a: (_ for _ in ()).throw(AssertionError("asked the file again"))
    assert view.get_many(["k2", "k1", "nope"]) == {"k2": "v2", "k1": "v1"}
    assert view.get("k4") == "v4" and "nope" not in view
