"""Keyword analysis and query building, checked through a real FTS5 table."""

from __future__ import annotations

import sqlite3
import time

import pytest

from index.keyword import analyze, keyword_search, match_query

# Same tokenizer options as index/store.py.
_FTS = (
    "CREATE VIRTUAL TABLE items_fts USING fts5(title, body, "
    "tokenize=\"unicode61 remove_diacritics 0 tokenchars '-_§'\")"
)

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


@pytest.fixture()
def conn() -> sqlite3.Connection:
    c = sqlite3.connect(":memory:")
    c.execute(_FTS)
    for rowid, (title, body) in ROWS.items():
        c.execute("INSERT INTO items_fts(rowid, title, body) VALUES (?, ?, ?)", (rowid, analyze(title), analyze(body)))
    yield c
    c.close()


def ids(conn: sqlite3.Connection, query: str, k: int = 10) -> list[int]:
    return [rowid for rowid, _ in keyword_search(conn, query, k)]


def test_casefold_keeps_swedish_letters() -> None:
    terms = analyze("ÖVRIGT Åtgärder Ärende").split()
    assert all(t[0] in "öåä" for t in terms), terms
    assert "ovrigt" not in analyze("Övrigt")


def test_stemming_matches_inflections(conn: sqlite3.Connection) -> None:
    assert ids(conn, "trygghetsvandringar")[0] == 1
    assert 6 in ids(conn, "avgiften")
    assert 3 in ids(conn, "polisens")
    assert 6 in ids(conn, "kulturskola")


def test_compound_parts_are_indexed(conn: sqlite3.Connection) -> None:
    terms = analyze("trygghetsvandring").split()
    assert terms[0] == analyze("trygghetsvandring").split()[0]
    assert set(analyze("vandring").split()) <= set(terms)
    hits = ids(conn, "vandring i centrum")
    assert hits[0] == 1  # the compound + centrum beats the plain "vandring" item
    assert 8 in hits


def test_compound_query_needs_whole_word_or_all_parts(conn: sqlite3.Connection) -> None:
    # "trygghetsvandring" must not match every item that only mentions trygghet.
    hits = ids(conn, "trygghetsvandring")
    assert hits == [1]
    assert 5 not in hits and 8 not in hits


def test_motorburna_ungdomar_finds_motorburen_ungdom(conn: sqlite3.Connection) -> None:
    assert ids(conn, "motorburna ungdomar")[0] == 2
    assert ids(conn, "motorburen ungdom")[0] == 2


def test_special_tokens_stay_intact() -> None:
    terms = analyze("Dnr KS-2025-00620, § 12, §§ 94-109, möte 2021-09-15, Tölö 1:17").split()
    for t in ("ks-2025-00620", "§12", "§94", "§109", "2021-09-15", "1_17"):
        assert t in terms
    assert match_query("Dnr FG-2025-00001") == '"fg-2025-00001"'
    assert match_query("§ 12") == '"§12"'
    assert match_query("2021-09-15") == '"2021-09-15"'


def test_special_tokens_search(conn: sqlite3.Connection) -> None:
    assert ids(conn, "KS-2025-00620") == [4]
    assert ids(conn, "dnr ks-2025-00620") == [4]
    assert ids(conn, "§ 12") == [9]
    assert ids(conn, "§12") == [9]
    assert ids(conn, "2021-09-15") == [5]
    assert ids(conn, "KS-2025-00621") == []


def test_stop_words_dropped_from_queries() -> None:
    q = match_query("hur har vi upplevt sommaren i kommunen")
    for stop in ('"hur"', '"har"', '"vi"', '"i"'):
        assert stop not in q
    assert '"sommar"' in q or '"somm"' in q
    # a query made only of stop words still searches
    assert match_query("och i att") != ""


def test_hyphenated_words(conn: sqlite3.Connection) -> None:
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
def test_nasty_queries_never_break_fts5(conn: sqlite3.Connection, query: str) -> None:
    expr = match_query(query)
    assert isinstance(expr, str)
    if expr:
        conn.execute("SELECT rowid FROM items_fts WHERE items_fts MATCH ?", (expr,)).fetchall()
    keyword_search(conn, query, 5)


def test_empty_query_gives_empty_expression(conn: sqlite3.Connection) -> None:
    assert match_query("") == ""
    assert match_query("  ()*\"  ") == ""
    assert keyword_search(conn, "***", 5) == []


def test_keyword_search_where_and_scores(conn: sqlite3.Connection) -> None:
    hits = keyword_search(conn, "klotter polisen", 10)
    assert {i for i, _ in hits} == {3, 7}
    assert hits == sorted(hits, key=lambda h: -h[1])
    only = keyword_search(conn, "klotter polisen", 10, where_sql="rowid IN (?)", args=(3,))
    assert [i for i, _ in only] == [3]


def test_title_weight(conn: sqlite3.Connection) -> None:
    # "lägesbild" is the title of item 3 only.
    assert ids(conn, "lägesbilden")[0] == 3


def test_analyze_speed() -> None:
    text = " ".join(" ".join(t) for t in ROWS.values()) * 3  # ~2 kB, a long agenda item
    analyze(text)  # warm the lexicon
    start = time.perf_counter()
    for i in range(300):
        analyze(text + f" ord{i} trygghetsärende{i % 7}")
    per_second = 300 / (time.perf_counter() - start)
    assert per_second > 1000, per_second
