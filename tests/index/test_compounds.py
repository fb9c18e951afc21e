"""Tests for the Swedish compound splitter (real hunspell-sv dictionary)."""

from __future__ import annotations

import pytest

from index import compounds
from index.compounds import Lexicon, build_lexicon, find_dictionary, split

needs_dic = pytest.mark.skipif(find_dictionary() is None, reason="hunspell-sv not installed")


@needs_dic
@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("trygghetsvandring", ("trygghet", "vandring")),
        ("trygghetsvandringar", ("trygghet", "vandring")),
        ("kommunstyrelse", ("kommun", "styrelse")),
        ("kommunstyrelsens", ("kommun", "styrelse")),
        ("brottsförebyggande", ("brott", "förebyggande")),
        ("lokalpolisområdeschef", ("lokal", "polis", "område", "chef")),
        ("säkerhetssamordnare", ("säkerhet", "samordnare")),
        ("socialförvaltningen", ("social", "förvaltning")),
        ("kameraövervakning", ("kamera", "övervakning")),
        ("belysningsanläggning", ("belysning", "anläggning")),
        ("trygghetsrådet", ("trygghet", "råd")),
        ("trygghetsråd", ("trygghet", "råd")),
        ("kulturskolans", ("kultur", "skola")),
        ("förvaltningschef", ("förvaltning", "chef")),
    ],
)
def test_splits_real_compounds(word: str, parts: tuple[str, ...]) -> None:
    assert split(word) == parts


@needs_dic
@pytest.mark.parametrize(
    "word",
    ["ungdom", "ungdomar", "förvaltning", "samordnare", "polisen", "vandringar", "hallstahammar", "kommun", "klotter"],
)
def test_keeps_simple_words_whole(word: str) -> None:
    assert split(word) == ()


@needs_dic
def test_lemma_guess_handles_definite_and_participle_forms() -> None:
    lex = compounds.get_lexicon()
    assert lex.lemma("skolans") == "skola"
    assert lex.lemma("motorburna") == "motorburen"
    assert lex.lemma("polisen") == "polis"
    assert lex.lemma("xyzzyqq") is None


def test_domain_list_alone_still_splits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a dictionary the domain list with linking morphemes is used."""
    lex = build_lexicon(None)
    assert lex.source == "domain list only"
    try:
        compounds.set_lexicon(lex)
        assert split("trygghetsvandring") == ("trygghet", "vandring")
        assert split("säkerhetssamordnare") == ("säkerhet", "samordnare")
        assert split("skolgård") == ("skola", "gård")
        assert split("xylofon") == ()
    finally:
        compounds.set_lexicon(None)


def test_missing_dictionary_warns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compounds, "find_dictionary", lambda: None)
    monkeypatch.setattr(compounds, "_cache_path", lambda dic: None)
    compounds.set_lexicon(None)
    try:
        with pytest.warns(RuntimeWarning, match="hunspell-sv"):
            lex = compounds.get_lexicon()
        assert isinstance(lex, Lexicon) and lex.source == "domain list only"
    finally:
        compounds.set_lexicon(None)


def test_prefers_few_long_parts() -> None:
    lex = Lexicon(
        begin={"abc": "abc", "abcdef": "abcdef", "def": "def"},
        middle={"def": "def"},
        end={"ghi", "efghi"},
        source="test",
    )
    # two parts beat three (abc|def|ghi); 6+3 letters beat 4+5 is not offered,
    # and among two-part splits the longer first part wins over abcd|efghi.
    lex.begin["abcd"] = "abcd"
    assert compounds._split_once("abcdefghi", lex) == ["abcdef", "ghi"]
    assert compounds._split_once("abcghi", lex) == ["abc", "ghi"]
    assert compounds._split_once("zzzghi", lex) is None


def _words(limit: int = 600) -> list[str]:
    """Distinct long words of the bundled corpus texts (where compounds are)."""
    import re

    from radslag.config import CORPUS_DIR

    words: set[str] = set()
    for path in sorted(CORPUS_DIR.glob("*.txt")):
        words.update(w for w in re.findall(r"[^\W\d_]+", path.read_text(encoding="utf-8").casefold()) if len(w) >= 6)
    return sorted(words, key=lambda w: (-len(w), w))[:limit]


@needs_dic
def test_stored_lexicon_is_looked_up_on_disk_and_splits_like_one_in_memory(monkeypatch) -> None:
    """A query's few words are split without loading the 660k-entry lexicon, with the same parts."""
    from index import table_cache

    compounds.set_lexicon(None)
    compounds.get_lexicon()  # builds and stores the cache when missing
    cache = compounds._cache_path(find_dictionary())
    disk = compounds.open_lexicon(cache)
    assert disk is not None, f"no readable lexicon cache at {cache}"
    monkeypatch.setattr(table_cache, "LOAD_AFTER", 10**9)  # every lookup goes to the file
    memory = Lexicon(
        **{name: (dict if name in ("begin", "middle") else set)(getattr(disk, name).load())
           for name in compounds._TABLES},
        domain=disk.domain, endings=disk.endings, source=disk.source)
    disk = compounds.open_lexicon(cache)  # fresh views: nothing loaded
    words = ["trygghetsvandringar", "motorburna", "lokalpolisområdeschef", *_words()]
    try:
        compounds.set_lexicon(disk)
        on_disk = [(split(w), disk.lemma(w), disk.knows_whole(w)) for w in words]
        assert not any(getattr(disk, name).loaded for name in compounds._TABLES)
        compounds.set_lexicon(memory)
        in_memory = [(split(w), memory.lemma(w), memory.knows_whole(w)) for w in words]
    finally:
        compounds.set_lexicon(None)
    assert on_disk == in_memory
    assert on_disk[0][0] == ("trygghet", "vandring") and on_disk[1][1] == "motorburen"


def test_lexicon_round_trips_through_the_cache_file(tmp_path) -> None:
    lex = build_lexicon(None)
    cache = tmp_path / "lexicon-0123.sqlite"
    assert compounds.store_lexicon(lex, cache)
    back = compounds.open_lexicon(cache)
    assert back is not None
    for name in compounds._TABLES:
        assert getattr(back, name) == getattr(lex, name), name
    assert (back.domain, back.endings, back.source) == (lex.domain, lex.endings, lex.source)
    cache.write_bytes(b"garbage")
    assert compounds.open_lexicon(cache) is None  # unreadable: rebuilt by get_lexicon
