"""Tests for the efselab lemma table kept on disk (index.lemmas)."""

from __future__ import annotations

from index import lemmas
from index.table_cache import TableView

SALDO_LINES = (
    "städer\tstad\tNN|UTR|PLU|IND|NOM\n"
    "gick\tgå\tVB|PRT|AKT\n"
    "skolans\tskola\tNN|UTR|SIN|DEF|GEN\n"
)


def test_table_is_built_once_then_looked_up_on_disk(tmp_path, monkeypatch) -> None:
    saldo = tmp_path / "suc-saldo.lemmas"
    saldo.write_text(SALDO_LINES, encoding="utf-8")
    cache = tmp_path / "compounds" / "lemmas-0123456789abcdef.sqlite"
    monkeypatch.setattr(lemmas, "table_file", lambda: saldo)
    monkeypatch.setattr(lemmas, "_cache_file", lambda path: cache)
    saved, saved_source = lemmas._TABLE, lemmas._SOURCE
    try:
        lemmas.set_table(None)
        assert lemmas.lemma("städer") == "stad" and lemmas.lemma("skolans") is None
        assert cache.is_file()
        # the source names the file and the count: part of the analyzer fingerprint, as before
        assert lemmas.lemma_source() == "lemmas-0123456789abcdef:2"

        def no_build(path):
            raise AssertionError("the cached table must not be rebuilt")

        monkeypatch.setattr(lemmas, "build_table", no_build)
        lemmas.set_table(None)
        table = lemmas.get_table()
        assert isinstance(table, TableView)
        assert lemmas.lemma("gick") == "gå" and "städer" in table and "skola" not in table
        assert not table.loaded  # a few words never read the whole table
        assert lemmas.lemma_source() == "lemmas-0123456789abcdef:2"
    finally:
        lemmas.set_table(saved, saved_source)


def test_without_efselab_the_layer_is_off(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(lemmas, "table_file", lambda: tmp_path / "missing.lemmas")
    saved, saved_source = lemmas._TABLE, lemmas._SOURCE
    try:
        lemmas.set_table(None)
        assert lemmas.lemma("städer") is None and lemmas.lemma_source() == "none"
    finally:
        lemmas.set_table(saved, saved_source)
