"""The PDF reader on real protocols (corpus/real: Alingsås, Meetings Plus; Riksbanken).

The word reference is ``pdftotext -layout`` (poppler), stored per page in
``tests/fixtures/pdf/real_reference.json.gz`` by
``tests/tools/make_pdf_reference.py``. Page furniture expectations come from
looking at the rendered pages: every Alingsås page carries the body name,
"Protokoll" and the meeting date at the top right, its page number above them
and a signature box captioned "Utdragsbestyrkande"; the Riksbank 2019
protocol numbers its pages "N [15]".
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from bench.pdfwords import compare, tokens
from ingest.readers.pdf import read_pdf
from radslag.types import Document

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "corpus" / "real"
REFERENCE = json.loads(gzip.decompress((ROOT / "tests/fixtures/pdf/real_reference.json.gz").read_bytes()))
FILES = sorted(p.name for p in REAL.glob("*.pdf"))
ALINGSAS = [f for f in FILES if f.startswith("alingsas_")]
_CACHE: dict[str, Document] = {}


def read(name: str) -> Document:
    if name not in _CACHE:
        _CACHE[name] = read_pdf(REAL / name, f"corpus/real/{name}")
    return _CACHE[name]


def page_text(doc: Document, number: int) -> str:
    span = doc.pages[number - 1]
    return doc.text[span.start : span.end]


def test_reference_covers_every_real_pdf() -> None:
    assert FILES and sorted(REFERENCE) == FILES


@pytest.mark.parametrize("name", FILES)
def test_every_word_of_every_page_is_kept_on_its_page(name: str) -> None:
    """Each page's span holds its words: nothing lost, nothing moved to another page."""
    doc = read(name)
    ref = [Counter(page) for page in REFERENCE[name]["pages"]]
    assert len(doc.pages) == len(ref)
    figures = compare(doc, ref)
    assert figures["lost"] <= 0.001 * figures["ref_words"], figures["lost_examples"]
    assert min(figures["per_page_kept_share"]) >= 0.99, figures["worst_page"]
    # Words the reader invents or duplicates would show up as extras.
    assert figures["extra"] <= 0.001 * figures["ref_words"]


@pytest.mark.parametrize("name", FILES)
def test_page_spans_are_contiguous(name: str) -> None:
    doc = read(name)
    assert doc.pages[0].start == 0 and doc.pages[-1].end == len(doc.text)
    for a, b in zip(doc.pages, doc.pages[1:]):
        assert a.end == b.start and a.start <= a.end
    for h in doc.headings:
        assert doc.text[h.start : h.end] == h.text


@pytest.mark.parametrize("name", ALINGSAS)
def test_alingsas_running_header_footer_and_page_numbers_removed(name: str) -> None:
    doc = read(name)
    date = re.search(r"\d{4}-\d{2}-\d{2}", name).group()
    furniture = doc.front_matter["page_furniture"]
    # The signature box caption repeats on every page: it is furniture, never text.
    assert "Utdragsbestyrkande" not in doc.text
    assert "Utdragsbestyrkande" in doc.front_matter["running_lines"]
    # The running header is kept once, at the top of page 1 (it names the body) ...
    header = doc.front_matter["page_header"]
    assert date in header and "Protokoll" in header
    header_words = Counter(tokens(" ".join(header)))
    assert header_words <= Counter(tokens(doc.text[:120]))
    # ... and removed from every later page that has it (a cover's second page
    # may not), as is every page number.
    with_header = 0
    for number in range(1, len(doc.pages) + 1):
        removed = [e for e in furniture if e["page"] == number]
        assert {"kind": "page_number", "text": str(number), "page": number} in removed
        lines = [ln for ln in page_text(doc, number).split("\n") if ln.strip()]
        if number > 1:
            assert not set(lines[:3]) & (set(header) | {str(number)}), (number, lines[:3])
            if Counter(REFERENCE[name]["pages"][number - 1]) & header_words == header_words:
                assert {e["text"] for e in removed if e["kind"] == "header"} == set(header), number
                with_header += 1
    assert with_header >= len(doc.pages) - 2
    # The meeting date stays readable for the metadata extractor.
    assert date in doc.front_matter["running_lines"]


def test_repeated_section_heading_below_the_header_is_content() -> None:
    """Items that each start a page put 'Ärendebeskrivning' at the same height on many
    pages; it sits below the item heading, not at the page edge, so it stays."""
    doc = read("alingsas_tekniska-namnden_2026-05-18_protokoll.pdf")
    starts = [m.start() for m in re.finditer(r"^§ \d+ ", doc.text, re.M)]
    assert len(starts) >= 6
    assert doc.text.count("\nÄrendebeskrivning\n") >= 6


def test_riksbank_bracket_page_numbers_removed() -> None:
    doc = read("riksbanken_direktionen_2019-02-12_protokoll.pdf")
    numbers = [e for e in doc.front_matter["page_furniture"] if e["kind"] == "page_number"]
    assert [e["text"] for e in numbers] == [f"{i} [15]" for i in range(1, 16)]
    assert not re.search(r"\d+ \[ ?15 ?\]", doc.text)


@pytest.mark.parametrize(
    ("name", "first", "last"),
    [
        ("alingsas_kommunstyrelsen_2026-06-01_protokoll.pdf", 94, 110),
        ("alingsas_kultur-och-utbildningsnamnden_2026-06-17_protokoll.pdf", 63, 76),
        ("alingsas_barn-och-ungdomsnamnden_2026-05-26_protokoll.pdf", 32, 40),
    ],
)
def test_agenda_numbers_stay_with_their_titles(name: str, first: int, last: int) -> None:
    """The agenda's § numbers stand in a column of their own, centred on titles that wrap.

    Each number must open the line of its own title, never stack with the
    other numbers ("§ 94 § 95 § 96") or drift to the end of another line.
    """
    doc = read(name)
    agenda = page_text(doc, 2) + page_text(doc, 3)
    for number in range(first, last + 1):
        assert re.search(rf"^§ {number}\t[A-ZÅÄÖ]", agenda, re.M), number
    assert not re.search(r"§ \d+ § \d+", doc.text)
    assert not re.search(r"\S[ \t]§ \d+$", agenda, re.M)


@pytest.mark.parametrize("name", ALINGSAS)
def test_wrapped_form_labels_stay_whole_beside_their_value(name: str) -> None:
    doc = read(name)
    lines = doc.text.split("\n")
    assert "Justeringens plats och tid\tProtokollet justeras på distans." in lines
    # A label wrapped over two lines is one label, on the row of the value's first line.
    assert "tid" not in lines and "ersättare" not in lines
    if "Ej tjänstgörande" in doc.text:
        assert any(ln.startswith("Ej tjänstgörande ersättare\t") for ln in lines)


def test_riksbank_labels_and_hanging_section_numbers() -> None:
    doc = read("riksbanken_direktionen_2025-03-19_protokoll.pdf")
    lines = doc.text.split("\n")
    for label, value in (("DATUM:", "2025-03-19"), ("MÖTESTID:", "09:00"), ("NÄRVARANDE:", "Erik Thedéen")):
        assert any(ln.startswith(f"{label}\t{value}") for ln in lines), label
    # "§ 3a." hangs in the margin before its heading; it stays on the heading's line.
    assert "§ 3a. Den ekonomiska utvecklingen" in lines
    assert "§ 3b. Det ekonomiska läget och penningpolitiken" in lines


def test_table_with_centred_cells_reads_row_by_row() -> None:
    """A three-column table whose cells wrap and are centred vertically (politikerkontakter)."""
    doc = read("alingsas_vard-och-omsorgsnamnden_2026-06-11_protokoll.pdf")
    lines = doc.text.split("\n")
    for row in (
        "Avdelning\tKontaktperson på vård- och omsorgsförvaltningen\tLedamöter/Ersättare",
        "Äldreboende\tAvdelningschef äldreboende\tVeronica Alvdén Bona (M), Viola Schüberg Lundgren (S), "
        "Emil Arvidsson (L) och Bo Kuylenstierna (MP)",
        "Myndighet och kommunal primärvård\tAvdelningschef myndighet och kommunal primärvård\t"
        "Lena Karlsson (S) och Eva Hult (M)",
    ):
        assert row in lines, row
