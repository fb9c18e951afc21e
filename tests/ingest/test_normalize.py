"""Tests for ingest.normalize: text normalisation and running-line removal."""

from __future__ import annotations

from ingest.normalize import is_page_number_line, normalize_text, strip_running_lines


def test_line_ends_spaces_and_soft_hyphens():
    raw = "Trygg\u00adhets\u00adråd\r\nPlats:\u00a0Teams\u202fnu  \rslut\u2009här\t \n"
    assert normalize_text(raw) == "Trygghetsråd\nPlats: Teams nu\nslut här"


def test_nfc():
    decomposed = "a\u030angermanland o\u0308ver"  # å and ö as base letter + combining mark
    assert normalize_text(decomposed) == "ångermanland över"


def test_bullet_glyphs_become_dash():
    raw = "Löftet:\n  • tre till fyra gånger\n\u25cf polisen\n\uf0b7 kommunen\n▪ handlarna\n◦ skolan"
    assert normalize_text(raw).splitlines()[1:] == [
        "- tre till fyra gånger", "- polisen", "- kommunen", "- handlarna", "- skolan"
    ]


def test_en_dash_bullets_only_in_lists():
    listed = "Frågor\n– belysning\n– klotter\n"
    assert normalize_text(listed) == "Frågor\n- belysning\n- klotter"
    quote = "Han sa:\n\n– Vi har sett att insatserna inte räcker.\n\nSlut."
    assert "– Vi har sett" in normalize_text(quote)


def test_blank_runs_keep_gaps_default_and_collapse():
    raw = "A\n \n\t\n\n\n\n\nB\n\n\nC"
    assert normalize_text(raw) == "A\n\n\n\nB\n\n\nC"  # at most 3 blank lines
    assert normalize_text(raw, keep_gaps=False) == "A\n\nB\n\nC"


def test_page_number_lines():
    for line in ("2 (110)", "Sida 2 av 9", "- 3 -", "17", "3/9", "sida 4", "1 [15]", "4 [ 15 ]"):
        assert is_page_number_line(line), line
    # A school year, a date-like fraction: not page numbers (the count is never below the page).
    for line in ("2026/2027", "12/3", "Sida 12 av 3"):
        assert not is_page_number_line(line), line
    assert not is_page_number_line("17", bare_numbers=False)
    assert not is_page_number_line("§ 94 Dnr FG-2025-00001")


def _page(n: int, total: int, body: str) -> str:
    header = f"KUNGSBACKA KOMMUN     SAMMANTRÄDESPROTOKOLL     {n} ({total})" if n > 1 else \
        "KUNGSBACKA KOMMUN     SAMMANTRÄDESPROTOKOLL"
    return (
        f"{header}\nNämnden för Förskola & Grundskola\nDatum\n2025-10-15\n\n{body}\n\n"
        "Det här dokumentet är digitalt signerat\nTransaktionsidentitet: AB12CD34"
    )


def test_strip_running_lines_headers_footers_and_title():
    total = 5
    bodies = [f"§ {90 + n} Dnr FG-2025-0000{n}\nRubrik {n}\n\nBeslut\n\nText på sidan {n}." for n in range(1, total + 1)]
    pages = [_page(n, total, bodies[n - 1]) for n in range(1, total + 1)]
    cleaned, removed = strip_running_lines(pages)
    # Page 1 keeps its header block once (the document title), footers go.
    assert cleaned[0].startswith("KUNGSBACKA KOMMUN")
    assert "Nämnden för Förskola & Grundskola" in cleaned[0]
    assert "digitalt signerat" not in cleaned[0]
    for n, page in enumerate(cleaned[1:], start=2):
        assert page.startswith(f"§ {90 + n} Dnr"), page  # per-page § line is content
        assert "SAMMANTRÄDESPROTOKOLL" not in page and "Datum" not in page
        assert "Transaktionsidentitet" not in page
        assert page.endswith(f"Text på sidan {n}.")
    assert "Nämnden för Förskola & Grundskola" in removed
    assert "2025-10-15" in removed
    assert len(removed) == len(set(removed))


def test_strip_running_lines_page_numbers_and_single_page():
    pages = ["Sida 1 av 3\nInledning\nText", "Sida 2 av 3\nMer text\n- 2 -", "Sida 3 av 3\nSlut\n3"]
    cleaned, _ = strip_running_lines(pages)
    assert cleaned == ["Inledning\nText", "Mer text", "Slut"]
    assert strip_running_lines(["Bara en sida\n1"]) == (["Bara en sida\n1"], [])


def test_repeated_content_line_is_not_a_header():
    # "Beslut" opens every page but after a non-running line: it stays.
    pages = [f"§ {n}\nBeslut\nNämnden beslutar {n}." for n in range(1, 7)]
    cleaned, removed = strip_running_lines(pages)
    assert cleaned == pages and removed == []
