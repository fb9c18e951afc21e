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
