"""Keyword analysis and query building, checked through the archive's real FTS5 table."""

from __future__ import annotations

import pytest

from index import keyword, lemmas
from index.keyword import analyze, content_terms, match_query
from index.search import keyword_ranking
from index.store import Archive
from radslag.types import AgendaItem, Document, MeetingMeta

ROWS = {
    1: ("Trygghetsvandring hösten 2021", "Rådet genomför en trygghetsvandring i centrum den 28 oktober."),
    2: ("Fokusgrupp motorburen ungdom", "Problematiken med motorburen ungdom har kartlagts."),
    3: ("Lägesbild", "Det har varit relativt lugnt. Polisen rapporterar få inbrott."),
    4: ("§ 199 Dnr KS-2025-00620 Delårsrapport 2025", "Kommunstyrelsen godkänner delårsrapporten."),
    5: ("Trygghetsråd", "Datum och tid: 2021-09-15 klockan 17.30. Säkerhetssamordnaren berättar."),
    6: ("Kulturskolans avgifter", "Justering av Kulturskolans avgifter. Skolan höjer taxan."),
    7: ("Övrigt", "Vi pratade om klotter på fastigheterna och att sanera det."),
    8: ("Vandring i skogen", "Friluftsliv: en vandring längs leden."),
    9: ("Ärende § 12", "Brottsförebyggande arbete i Västerås."),
}


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Archive:
    """One meeting whose items are ROWS, in order, so item ids are the ROWS keys."""
    text = "\n".join(f"{t}\n{b}" for t, b in ROWS.values())
    items = [AgendaItem(number=str(k), title=t, text=b, start=0, end=1) for k, (t, b) in ROWS.items()]
    arc = Archive(tmp_path_factory.mktemp("kw") / "a.sqlite")
    mid, _, _ = arc.write_document(Document("rows.txt", text, "txt", "h"), MeetingMeta(kind="minutes"), items)
    assert arc.item_ids(mid) == list(ROWS)
    yield arc
    arc.close()


def ids(archive: Archive, query: str, k: int = 10) -> list[int]:
    return [rowid for rowid, _ in keyword_ranking(archive, query, k, None)]


def test_casefold_keeps_swedish_letters() -> None:
    terms = analyze("ÖVRIGT Åtgärder Ärende").split()
    assert all(t[0] in "öåä" for t in terms), terms
    assert "ovrigt" not in analyze("Övrigt")


def test_stemming_matches_inflections(archive: Archive) -> None:
    assert ids(archive, "trygghetsvandringar")[0] == 1
    assert 6 in ids(archive, "avgiften")
    assert 3 in ids(archive, "polisens")
    assert 6 in ids(archive, "kulturskola")


def test_compound_parts_are_indexed(archive: Archive) -> None:
    terms = analyze("trygghetsvandring").split()
    assert terms[0] == analyze("trygghetsvandring").split()[0]
    assert set(analyze("vandring").split()) <= set(terms)
    hits = ids(archive, "vandring i centrum")
    assert hits[0] == 1  # the compound + centrum beats the plain "vandring" item
    assert 8 in hits


def test_compound_query_needs_whole_word_or_all_parts(archive: Archive) -> None:
    # "trygghetsvandring" must not match every item that only mentions trygghet.
    hits = ids(archive, "trygghetsvandring")
    assert hits == [1]
    assert 5 not in hits and 8 not in hits


def test_motorburna_ungdomar_finds_motorburen_ungdom(archive: Archive) -> None:
    assert ids(archive, "motorburna ungdomar")[0] == 2
    assert ids(archive, "motorburen ungdom")[0] == 2


def test_special_tokens_stay_intact() -> None:
    terms = analyze("Dnr KS-2025-00620, § 12, §§ 94-109, möte 2021-09-15, Tölö 1:17").split()
    for t in ("ks-2025-00620", "§12", "§94", "§109", "2021-09-15", "1_17"):
        assert t in terms
    assert match_query("Dnr FG-2025-00001") == '"fg-2025-00001"'
    assert match_query("§ 12") == '"§12"'
    assert match_query("2021-09-15") == '"2021-09-15"'


def test_special_tokens_search(archive: Archive) -> None:
    assert ids(archive, "KS-2025-00620") == [4]
    assert ids(archive, "dnr ks-2025-00620") == [4]
    assert ids(archive, "§ 12") == [9]
    assert ids(archive, "§12") == [9]
    assert ids(archive, "2021-09-15") == [5]
    assert ids(archive, "KS-2025-00621") == []


def test_stop_words_dropped_from_queries() -> None:
    q = match_query("hur har vi upplevt sommaren i kommunen")
    for stop in ('"hur"', '"har"', '"vi"', '"i"'):
        assert stop not in q
    assert '"sommar"' in q or '"somm"' in q
    # a query made only of stop words still searches
    assert match_query("och i att") != ""


def test_hyphenated_words(archive: Archive) -> None:
    terms = analyze("epa-traktor").split()
    assert analyze("epatraktor").split()[0] in terms
    assert analyze("traktor").split()[0] in terms
    assert set(analyze("barn- och ungdomscoacher").split()) >= set(analyze("barn ungdom").split())


NASTY = [
    '"',
    '""',
    '"trygghet',
    "(",
    ")",
    "((klotter)",
    "*",
    "klotter*",
    "AND",
    "OR OR",
    "NOT klotter",
    "klotter AND",
    "- klotter",
    "-klotter",
    "NEAR(a b)",
    "title:klotter",
    "body : polis",
    "^klotter",
    "{title body}: x",
    "a'b\"c",
    "💥 ungdom 🚓",
    "§",
    "§§",
    "---",
    "ks-2025-",
    "\x00\x01",
    "   ",
    "",
    "+-*/\\%$#@!",
    "Ω≈ç√∫",
    "北京 polis",
    "ö" * 500,
    "och",
]


@pytest.mark.parametrize("query", NASTY)
def test_nasty_queries_never_break_fts5(archive: Archive, query: str) -> None:
    expr = match_query(query)
    assert isinstance(expr, str)
    if expr:
        archive.keyword_matches(expr)
    keyword_ranking(archive, query, 5, None)


def test_empty_query_gives_empty_expression(archive: Archive) -> None:
    assert match_query("") == ""
    assert match_query("  ()*\"  ") == ""
    assert keyword_ranking(archive, "***", 5, None) == []


def test_keyword_ranking_allowed_and_scores(archive: Archive) -> None:
    hits = keyword_ranking(archive, "klotter polisen", 10, None)
    assert {i for i, _ in hits} == {3, 7}
    assert hits == sorted(hits, key=lambda h: -h[1]) and all(s > 0 for _, s in hits)
    only = keyword_ranking(archive, "klotter polisen", 10, {3})
    assert [i for i, _ in only] == [3]


def test_content_terms_leave_out_stop_words_and_procedure() -> None:
    terms = content_terms("Vi tar med oss frågan om klotter till nästa möte, beslut 2021.")
    assert analyze("klotter").split()[0] in terms
    for word in ("vi", "tar", "frågan", "möte", "beslut", "2021"):
        assert not set(analyze(word).split()) & set(terms), word


def test_title_weight(archive: Archive) -> None:
    # "lägesbild" is the title of item 3 only.
    assert ids(archive, "lägesbilden")[0] == 3


# -- efselab lemmas ------------------------------------------------------------------------------

SALDO_LINES = (  # the format of efselab's suc-saldo.lemmas: form, lemma, SUC tag
    "städer\tstad\tNN|UTR|PLU|IND|NOM\n"
    "städer\tstädja\tVB|PRS|AKT\n"
    "städerna\tstad\tNN|UTR|PLU|DEF|NOM\n"
    "gick\tgå\tVB|PRT|AKT\n"
    "skolor\tskola\tNN|UTR|PLU|IND|NOM\n"
    "ungdomarnas\tungdom\tNN|UTR|PLU|DEF|GEN\n"
    "Googles\tGoogle\tPM|GEN\n"
    "horn-\thorn\tNN|NEU|-|-|SMS\n"
)


def test_lemma_table_keeps_irregular_forms_and_prefers_nouns(tmp_path) -> None:
    path = tmp_path / "suc-saldo.lemmas"
    path.write_text(SALDO_LINES, encoding="utf-8")
    table = lemmas.build_table(path)
    # suffix stripping already reaches skola and ungdom: only the irregular forms are kept
    assert table == {"städer": "stad", "städerna": "stad", "gick": "gå"}


def test_lemmas_join_irregular_inflections_in_the_index(tmp_path) -> None:
    path = tmp_path / "suc-saldo.lemmas"
    path.write_text(SALDO_LINES, encoding="utf-8")
    saved, saved_source = lemmas.get_table(), lemmas.lemma_source()
    keyword._word_cache.clear()
    keyword._index_cache.clear()
    try:
        lemmas.set_table({}, "none")
        assert analyze("städerna") != analyze("stad")  # Snowball alone: städ- vs stad
        keyword._word_cache.clear()
        keyword._index_cache.clear()
        lemmas.set_table(lemmas.build_table(path), "test")
        assert analyze("städerna") == analyze("städer") == analyze("stad")
        assert analyze("gick") == analyze("gå")
        arc = Archive(tmp_path / "a.sqlite")
        items = [AgendaItem(number="1", title="Trygghet i städerna", text="Otrygga platser i städerna.", start=0, end=1),
                 AgendaItem(number="2", title="Budget", text="Budgeten gick igenom.", start=0, end=1)]
        arc.write_document(Document("s.txt", "x", "txt", "h"), MeetingMeta(kind="minutes"), items)
        try:
            assert [i for i, _ in keyword_ranking(arc, "trygg stad", 5, None)][:1] == arc.item_ids(1)[:1]
        finally:
            arc.close()
    finally:
        lemmas.set_table(saved, saved_source)
        keyword._word_cache.clear()
        keyword._index_cache.clear()


@pytest.mark.skipif(not lemmas.table_file().is_file(), reason="efselab is not built in the model cache")
def test_real_efselab_table_joins_umlaut_plurals() -> None:
    table = lemmas.get_table()
    assert table.get("städer") == "stad" and table.get("fötter") == "fot" and table.get("gick") == "gå"
    assert "ungdomarnas" not in table  # Snowball reaches ungdom already
