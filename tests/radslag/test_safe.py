"""Document text never becomes markup: escaping, sanitising, masking."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pytest
from markdown_it import MarkdownIt

from radslag.safe import (
    clean_html,
    html_text,
    mask_personal,
    mask_value,
    masking,
    masking_on,
    md_text,
    plain,
    shown,
)

HOSTILE = [
    '<img src="http://127.0.0.2:9/beacon.png">',
    "<video autoplay src=http://127.0.0.2:9/v.mp4></video>",
    '<svg><image href="http://127.0.0.2:9/i.svg"/></svg>',
    '<p style="position:fixed;top:0;left:0;width:100vw;height:100vh">Sessionen har gått ut</p>',
    '<form action="http://127.0.0.2:9/steal"><input type=password name=pw></form>',
    "<iframe src=http://127.0.0.2:9/></iframe>",
    "[klicka](javascript:alert(1))",
    "![bild](http://127.0.0.2:9/md.png)",
    "<http://127.0.0.2:9/auto>",
    "http://127.0.0.2:9/bare www.example.se anna@arboga.se",
    "Rubrik\n=====\n# H1\n> citat\n- lista\n1. nummer\n| a | b |\n|---|---|\n| c | d |",
    "`kod` **fet** _kursiv_ ~~struken~~ &lt;img&gt; &amp;",
    "<img src=x onerror=alert(9)>.txt",
]


def _render(markdown: str) -> str:
    """CommonMark with GFM tables and strikethrough and raw HTML on, as permissive as a renderer gets."""
    return MarkdownIt("commonmark", {"html": True, "linkify": False}).enable(["table", "strikethrough"]).render(markdown)


@pytest.mark.parametrize("text", HOSTILE)
def test_md_text_renders_as_the_same_text_and_no_markup(text):
    rendered = _render(md_text(text))
    # the only element is the paragraph (and line breaks) the renderer wraps text in
    tags = set(re.findall(r"<\s*([a-zA-Z][a-zA-Z0-9]*)", rendered))
    assert tags <= {"p", "br"}, (tags, rendered)
    # and what the reader sees is exactly the document's text
    seen = html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()
    assert seen.split() == text.split()


def test_md_text_escapes_autolink_and_latex_starts():
    out = md_text("http://e.se/x a@b.se $$x$$ www.e.se")
    assert "http:" not in out and "@" not in out.replace("\\@", "") and "$$" not in out
    assert "\\:" in out and "\\@" in out and "\\$\\$" in out


@pytest.mark.parametrize("text", HOSTILE)
def test_html_text_leaves_no_tag_or_attribute_break_out(text):
    out = html_text(text)
    assert "<" not in out and ">" not in out and '"' not in out and "'" not in out
    assert html.unescape(out) == text


def test_plain_drops_controls_bidi_and_lone_surrogates():
    name = "rapport\u202egpj.exe\x00\x1b[31m\ud800.txt"
    out = plain(name)
    assert "\u202e" not in out and "\x00" not in out and "\x1b" not in out
    assert "\ufffd" in out  # the surrogate is replaced, not silently joined
    out.encode("utf-8")  # a lone surrogate would fail here
    assert html_text(name).encode("utf-8") and md_text(name).encode("utf-8")
    assert plain("rad ett\nrad två\ttab") == "rad ett\nrad två\ttab"


def test_clean_html_drops_media_styles_forms_and_bad_links():
    dirty = ('<p style="position:fixed">x<img src="http://e/b.png"><video src="http://e/v"></video>'
             '<form action="http://e/s"><input type=password></form><svg><image href="http://e/i"/></svg>'
             '<a href="javascript:alert(1)">j</a><a href="https://ok.se">ok</a><iframe src="http://e"></iframe>'
             '<audio autoplay src="http://e/a"></audio><object data="http://e/o"></object><embed src="http://e/e">'
             '<link rel=stylesheet href="http://e/c.css"><style>*{display:none}</style><script>alert(1)</script>'
             '<a href="data:text/html,x">d</a><a href="vbscript:x">v</a><div onclick="alert(1)" id="query">c</div></p>')
    out = clean_html(dirty)
    for bad in ("style", "<img", "<video", "<audio", "<form", "<input", "<svg", "<image", "javascript:", "<iframe",
                "<object", "<embed", "<link", "<script", "alert(1)</", "data:", "vbscript:", "onclick", 'id="query"'):
        assert bad not in out, bad
    assert 'href="https://ok.se"' in out and 'rel="noopener noreferrer nofollow"' in out


def test_clean_html_keeps_the_products_own_markup():
    ours = ('<div class="hit" data-item="12"><h4>1. Klotter</h4><mark>klotter</mark>'
            '<a href="?item=12">öppna</a><table><tr><td>x</td></tr></table></div>')
    out = clean_html(ours)
    for kept in ('class="hit"', 'data-item="12"', "<mark>", 'href="?item=12"', "<td>x</td>", "<h4>"):
        assert kept in out, kept


# -- personal data ----------------------------------------------------------------------

MINUTES = """§ 12 Trygghetsvandring i centrum (Dnr KS 2023/415)
Mötet hölls 2021-09-15 kl. 09.00–12.00 i Kommunhuset, Storgatan 5, 735 81 Arboga.
Kostnad 12 500 kr enligt beslut 2024.012. Statistik 2019–2021: 0 12 45 33 21.
Kontaktperson: Anna Svensson, anna_svensson@arboga.se, tel. 0589-870 00, mobil 070-123 45 67.
Polisen: Per Olsson (per.olsson(at)polisen.se), +46 (0)21 39 10 00 eller 021-39 10 00.
Anmälan gällde en person född 19800101-1234 (även skrivet 800101-1234) och en med samordningsnummer 800161-1234.
Nästa möte 2021-11-10; protokollet justeras 2021-09-20. Mobil 0701234567. Org.nr 212000-2262, bankgiro 5050-1055.
Tid 0915-1130 i sal 3. Beviljat 2021-09-15 12 500 kr, ärende KS 2023/0415 och 2024.0123 45. Postadress Box 45, 732 21 Arboga. Dnr 2021/0123, KS 2022.0456, § 3-5."""

PERSONAL = ["19800101-1234", "800101-1234", "800161-1234", "anna_svensson@arboga.se", "per.olsson(at)polisen.se",
            "0589-870 00", "070-123 45 67", "+46 (0)21 39 10 00", "021-39 10 00", "0701234567"]
NOT_PERSONAL = ["§ 12", "KS 2023/415", "2021-09-15", "09.00–12.00", "735 81", "12 500 kr", "2024.012", "2019–2021",
                "0 12 45 33 21", "2021-11-10", "2021-09-20", "212000-2262", "5050-1055", "0915-1130", "732 21",
                "2021/0123", "KS 2022.0456", "§ 3-5", "2021-09-15 12 500 kr", "KS 2023/0415", "2024.0123 45", "Storgatan 5", "Box 45"]


def test_mask_personal_masks_numbers_and_addresses_in_swedish_minutes():
    out = mask_personal(MINUTES)
    for value in PERSONAL:
        assert value not in out, value
    assert out.count("[personnummer]") == 3
    assert out.count("[e-post]") == 2
    assert out.count("[telefon]") == 5


def test_mask_personal_leaves_dates_case_numbers_amounts_and_postal_codes():
    out = mask_personal(MINUTES)
    for value in NOT_PERSONAL:
        assert value in out, value


@pytest.mark.parametrize("phone", ["08-123 45 67", "08-12 34 56", "070-123 45 67", "0701234567", "+46 70 123 45 67",
                                   "+46701234567", "0221-123 45", "(08) 123 45 67", "031-123456", "0589-870 00"])
def test_phone_formats(phone):
    assert mask_personal(f"Ring {phone}.") == "Ring [telefon]."


@pytest.mark.parametrize("number", ["19800101-1234", "198001011234", "800101-1234", "800101+1234", "20050101-1234",
                                    "800161-1234"])
def test_personal_number_formats(number):
    assert mask_personal(f"pnr {number} här") == "pnr [personnummer] här"


@pytest.mark.parametrize("number", ["801301-1234", "800100-1234", "800141-1234", "8001011234567", "1800101-1234"])
def test_not_personal_numbers(number):
    assert mask_personal(f"nr {number} här") == f"nr {number} här"


def test_masks_in_english_and_idempotent():
    once = mask_personal("070-123 45 67, a@b.se, 800101-1234", "en")
    assert once == "[phone], [e-mail], [personal ID number]"
    assert mask_personal(once, "en") == once


def test_masking_switch_reaches_both_escapers_and_is_restored():
    text = "Ring 070-123 45 67 <b>"
    assert not masking_on()
    assert "070" in html_text(text) and "070" in md_text(text)
    with masking(True):
        assert masking_on()
        assert "070" not in html_text(text) and "[telefon]" in html_text(text)
        assert "070" not in md_text(text) and "\\[telefon\\]" in md_text(text)
        assert shown(text) == "Ring [telefon] <b>"
    assert not masking_on() and shown(text) == text


@dataclass
class _Row:
    title: str
    count: int
    people: list


def test_mask_value_walks_rows_records_and_leaves_numbers():
    row = {"title": "Kontakt 070-123 45 67", "n": 3, "nested": [("a@b.se", None)], "item": _Row("x@y.se", 2, ["800101-1234"])}
    out = mask_value(row)
    assert out["title"] == "Kontakt [telefon]" and out["n"] == 3
    assert out["nested"] == [("[e-post]", None)]
    assert out["item"] == _Row("[e-post]", 2, ["[personnummer]"])
    assert row["title"] == "Kontakt 070-123 45 67"  # a copy; the original is untouched
