"""Tests for the layout-aware PDF reader against generated fixtures.

The fixtures and ``expected.json`` come from ``tests/tools/make_fixtures.py``;
the expectations are the generator's own source data, so the reader is
compared with what was actually drawn on the page.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import signal
from pathlib import Path

import pytest

from ingest.normalize import normalize_text
from ingest.readers.pdf import join_hyphen, page_count, read_pdf
from ingest.readers.pdf.extract import check_reference_cycles
from radslag.errors import IngestError
from radslag.types import Document
from tests.cases import cases

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pdf"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
_CACHE: dict[str, Document] = {}


def read(name: str) -> Document:
    if name not in _CACHE:
        _CACHE[name] = read_pdf(FIXTURES / f"{name}.pdf", f"fixtures/{name}.pdf")
    return _CACHE[name]


def lines_of(doc: Document) -> list[str]:
    return doc.text.split("\n")


def check_spans(doc: Document, pages: int) -> None:
    """Page spans are ordered, contiguous and cover the whole text."""
    assert [p.number for p in doc.pages] == list(range(1, pages + 1))
    assert doc.pages[0].start == 0
    assert doc.pages[-1].end == len(doc.text)
    for a, b in zip(doc.pages, doc.pages[1:]):
        assert a.start <= a.end == b.start <= b.end


def check_headings(doc: Document) -> None:
    for h in doc.headings:
        assert doc.text[h.start : h.end] == h.text
        # Every heading is a whole line.
        assert h.start == 0 or doc.text[h.start - 1] == "\n"
        assert h.end == len(doc.text) or doc.text[h.end] == "\n"


@pytest.mark.parametrize(
    "name", ["margin", "running_header", "hyphenated", "toc", "two_column", "margin_numbers", "table"]
)
def test_common_document_fields(name: str) -> None:
    doc = read(name)
    raw = (FIXTURES / f"{name}.pdf").read_bytes()
    assert doc.reader == "pdf"
    assert doc.size == len(raw)
    assert doc.content_hash == hashlib.sha256(raw).hexdigest()
    assert doc.source == f"fixtures/{name}.pdf"
    check_spans(doc, EXPECTED[name]["pages"])
    check_headings(doc)
    # The text is already normalised: normalising again changes nothing.
    assert normalize_text(doc.text) == doc.text
    assert "\n\n\n" not in doc.text


def test_margin_headings_become_lines_before_their_paragraph() -> None:
    doc = read("margin")
    truth = EXPECTED["margin"]
    lines = lines_of(doc)
    margin = [h for h in doc.headings if h.source == "margin"]
    assert [h.text for h in margin] == [item["heading"] for item in truth["headings"]]
    for item, h in zip(truth["headings"], margin):
        # The heading stands alone on its line, a blank line follows, then its paragraph.
        i = lines.index(item["heading"])
        assert lines[i + 1] == ""
        assert lines[i + 2].startswith(item["next"]), (item, lines[i + 2])
        # A wrapped heading is one line, not two.
        for part in item["heading_lines"]:
            if len(item["heading_lines"]) > 1:
                assert part not in lines
    # Headings are in document order and never interleaved into body lines.
    starts = [h.start for h in margin]
    assert starts == sorted(starts)


def test_margin_labels_stay_with_their_value() -> None:
    doc = read("margin")
    truth = EXPECTED["margin"]
    assert truth["label_line"] in lines_of(doc)
    heading_texts = {h.text for h in doc.headings}
    for text in truth["not_headings"]:
        assert text not in heading_texts
    assert "Plats: Digitalt via Teams" in lines_of(doc)


def test_margin_running_header_and_page_numbers_removed() -> None:
    doc = read("margin")
    truth = EXPECTED["margin"]
    # Kept once, as the document's first line (it names the body)...
    assert doc.text.startswith(truth["running_header"] + "\n")
    assert doc.text.count(truth["running_header"] + "\n") == 1
    assert doc.front_matter["page_header"] == [truth["running_header"]]
    # ...and page numbers are gone everywhere.
    for number in truth["page_numbers"]:
        assert number not in doc.text
    # The paragraph running over the page break is one paragraph.
    page2 = doc.text[doc.pages[1].start : doc.pages[1].end]
    assert page2.startswith("som finns.")
    assert doc.text[doc.pages[1].start - 1] == "\n" and doc.text[doc.pages[1].start - 2] != "\n"


def test_running_header_three_pages() -> None:
    doc = read("running_header")
    truth = EXPECTED["running_header"]
    header = truth["running_header"]
    assert doc.text.startswith(header + "\n")
    # The header line stands alone once; "Förebyggande rådet kommer …" in the body stays.
    assert lines_of(doc).count(header) == 1
    for number in truth["page_numbers"]:
        assert not re.search(rf"(^|\n){re.escape(number)}(\n|$)", doc.text)
        assert number not in doc.text
    # Paragraph continuing across a page break: the two lines are adjacent.
    crossing = truth["crossing"]
    assert f"{crossing['before']}\n{crossing['after']}" in doc.text
    # Its page break falls between those lines.
    boundary = next(p.start for p in doc.pages if doc.text.startswith(crossing["after"], p.start))
    assert boundary > 0
    # Numbered bold item headings are found as bold headings, each on its own line.
    bold = [h.text for h in doc.headings if h.source == "bold"]
    assert bold == truth["bold_headings"]
    for label_line in truth["label_lines"]:
        assert label_line in lines_of(doc)


def test_hyphenation_joined_and_real_hyphens_kept() -> None:
    doc = read("hyphenated")
    truth = EXPECTED["hyphenated"]
    words = set(re.findall(r"[\wåäöÅÄÖ-]+", doc.text))
    for word in truth["joined"]:
        assert word in words, word
    for phrase in truth["kept"]:
        assert phrase in doc.text, phrase
    for fragment in truth["absent"]:
        assert fragment not in doc.text, fragment


@pytest.mark.parametrize(("prev", "nxt", "joined"), cases("join_hyphen"))
def test_join_hyphen_rules(prev: str, nxt: str, joined: str | None) -> None:
    assert join_hyphen(prev, nxt) == joined


def test_toc_protocol_headers_footers_removed() -> None:
    doc = read("toc")
    truth = EXPECTED["toc"]
    for line in truth["footer"]:
        assert line not in doc.text
    assert "Transaktionsidentitet" not in doc.text
    for number in truth["page_numbers"]:
        assert number not in doc.text
    # The header lines appear once, at the start of page 1 only.
    for part in truth["running_header"]:
        assert doc.text.count(part) == 1, part
        assert doc.text.index(part) < doc.pages[0].end
    # Table of contents and items survive in order; each § line is on its own line.
    lines = lines_of(doc)
    assert truth["toc_title"] in lines
    for line in truth["toc_lines"]:
        assert line in lines
    for item in truth["items"]:
        assert lines.count(item["heading"]) == 2  # table of contents + the item itself
    toc_end = doc.text.index(truth["toc_lines"][-1])
    positions = [doc.text.index(item["title"] + "\n", toc_end) for item in truth["items"]]
    assert positions == sorted(positions)
    bold = {h.text for h in doc.headings if h.source == "bold"}
    assert {item["heading"] for item in truth["items"]} <= bold
    for label_line in truth["label_lines"]:
        assert label_line in lines
    # Item pages: page 3 starts with § 94, page 4 with § 96.
    assert doc.text.startswith(truth["items"][0]["heading"], doc.pages[2].start)
    assert doc.text.startswith(truth["items"][2]["heading"], doc.pages[3].start)


def test_two_column_reading_order() -> None:
    doc = read("two_column")
    truth = EXPECTED["two_column"]
    text = doc.text
    flat = " ".join(text.split())
    left_last = flat.index(truth["left_last_sentence"])
    right_first = flat.index(truth["right_first_sentence"])
    assert left_last < right_first
    assert text.index(truth["left_first"]) < text.index(truth["left_last"]) < text.index(truth["right_first"])
    assert text.index(truth["right_first"]) < text.index(truth["right_last"])
    # Lines from the two columns are never glued together on one line.
    for line in lines_of(doc):
        assert "\t" not in line
    assert "Sida 1 av 1" not in text


@pytest.mark.parametrize(("name", "reason", "needle"), cases("pdf_errors"))
def test_errors(name: str, reason: str, needle: str) -> None:
    assert EXPECTED[name]["error"] == reason
    with _no_hang(), pytest.raises(IngestError) as info:
        read_pdf(FIXTURES / f"{name}.pdf", name)
    assert info.value.reason == reason
    assert needle in info.value.message


@contextlib.contextmanager
def _no_hang(seconds: int = 30):
    """Turn a hang into a test failure (a guard, not a timing assertion)."""

    def fail(*_: object) -> None:
        raise TimeoutError(f"reader did not return within {seconds} s")

    old = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def test_self_referencing_object_is_refused_at_the_cause() -> None:
    """Object 4 is ``4 0 R``: pdfminer resolves it forever; the guard names the loop."""
    data = (FIXTURES / "selfref.pdf").read_bytes()
    assert b"4 0 obj\n4 0 R\nendobj" in data and len(data) < 600
    with pytest.raises(IngestError) as info:
        check_reference_cycles(data, "selfref.pdf")
    assert info.value.reason == "corrupt_pdf"
    # A longer loop (4 -> 5 -> 4) is found too ...
    loop = b"%PDF-1.4\n4 0 obj 5 0 R endobj\n5 0 obj\n4 0 R\nendobj\n"
    with pytest.raises(IngestError):
        check_reference_cycles(loop, "loop.pdf")
    # ... while a chain that ends in a real object is legal and passes.
    chain = b"%PDF-1.4\n4 0 obj 5 0 R endobj\n5 0 obj << /Type /Font >> endobj\n"
    check_reference_cycles(chain, "chain.pdf")


def _refusal(path: Path) -> str:
    """The reason read_pdf gives for refusing ``path`` (it must raise IngestError)."""
    with pytest.raises(IngestError) as info:
        read_pdf(path, path.name)
    return info.value.reason


def test_corrupt_body_with_eof_marker(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\nxref\ngarbage\n%%EOF\n")
    assert _refusal(bad) == "corrupt_pdf"


def test_empty_and_missing_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    assert _refusal(empty) == "empty"
    assert _refusal(tmp_path / "missing.pdf") == "io"


def test_corpus_like_margin_layout_is_not_mistaken_for_two_columns() -> None:
    """The margin page has a wide gap between columns but must not be read column-wise."""
    doc = read("margin")
    inledning = doc.text.index("Inledning\n")
    assert doc.text.index("Anna Gunstad Bäckman öppnar") > inledning
    assert doc.text.index("Samverkan mellan tre förvaltningar") > doc.text.index("pågår.")


def test_margin_numbers_labels_and_agenda_keep_their_rows() -> None:
    """Numbers and wrapped labels in a margin column (the layout that interleaved before).

    Wrapped labels stay one label on the row of their value; agenda numbers
    centred on wrapped titles open their title's line; numbered margin
    headings ("5." in a column of its own, the heading text beside it,
    wrapped) are one line before their paragraph, never inside it.
    """
    doc = read("margin_numbers")
    truth = EXPECTED["margin_numbers"]
    lines = lines_of(doc)
    for label in truth["labels"]:
        assert label in lines, label
    for entry in truth["agenda"]:
        assert entry in lines, entry
    margin = [h.text for h in doc.headings if h.source == "margin"]
    expected = [h["heading"] for h in truth["headings"]]
    assert [h for h in margin if h in expected] == expected
    for item in truth["headings"]:
        i = lines.index(item["heading"])
        assert lines[i + 1] == "" and lines[i + 2] == item["next"], (item, lines[i : i + 3])
        for part in item["lines"][1:]:  # wrapped heading lines never stand among the body lines
            assert not any(ln == part or ln.startswith(part + "\t") for ln in lines), part
    # An item number never drifts to the end of a line.
    assert not re.search(r"\S \d{1,2}\.$", doc.text, re.M)


def test_margin_numbers_furniture_is_reported_per_page() -> None:
    doc = read("margin_numbers")
    truth = EXPECTED["margin_numbers"]
    furniture = doc.front_matter["page_furniture"]
    for number, text in enumerate(truth["page_numbers"], 1):
        assert {"page": number, "kind": "page_number", "text": text} in furniture
        assert text not in doc.text
    # The signature box repeats on both pages: furniture because it repeats.
    footer = " ".join(truth["footer"])
    assert [e["page"] for e in furniture if e["kind"] == "footer" and e["text"] == footer] == [1, 2]
    for word in truth["footer"]:
        assert word not in doc.text
    # The header is kept once on page 1 and reported as removed on page 2;
    # its date is readable for metadata.
    assert doc.front_matter["page_header"] == truth["running_header"]
    assert {e["text"] for e in furniture if e["kind"] == "header"} == set(truth["running_header"])
    assert "2024-03-14" in doc.front_matter["running_lines"]
    assert lines_of(doc).count("Trygghetsrådet") == 1


def test_table_rows_stay_in_reading_order() -> None:
    """Each table row is one line: its cells in column order, wrapped cells joined."""
    doc = read("table")
    truth = EXPECTED["table"]
    lines = lines_of(doc)
    positions = []
    for row in truth["rows"]:
        line = "\t".join(row)
        assert line in lines, line
        positions.append(lines.index(line))
    assert positions == sorted(positions)
    assert lines.index(truth["intro"]) < positions[0] and positions[-1] < lines.index(truth["outro"])
    # The wrapped part of a cell is not left on a line of its own.
    assert "byts ut" not in lines and "anmälan" not in lines


def test_toc_furniture_kept_for_inspection() -> None:
    doc = read("toc")
    truth = EXPECTED["toc"]
    furniture = doc.front_matter["page_furniture"]
    for line in truth["footer"]:
        assert line in doc.front_matter["running_lines"]
        assert {e["page"] for e in furniture if e["text"] == line} == {1, 2, 3, 4}
    assert sorted(e["text"] for e in furniture if e["kind"] == "page_number") == truth["page_numbers"]


def test_page_count_is_cheap_and_safe() -> None:
    """The page count a dispatcher needs before reading: right, and None where the file is broken."""
    for name in ("margin", "toc", "running_header"):
        assert page_count((FIXTURES / f"{name}.pdf").read_bytes()) == EXPECTED[name]["pages"]
    with _no_hang():
        assert page_count((FIXTURES / "selfref.pdf").read_bytes()) is None
    assert page_count((FIXTURES / "notpdf.pdf").read_bytes()) is None


def test_turned_page_reads_as_shown() -> None:
    """On a page with /Rotate 90 the words are placed as a viewer shows them."""
    doc = read("rotated")
    # The lines as shown; the text drawn beyond the page edge is not among them.
    assert doc.text == "\n".join(EXPECTED["rotated"]["lines"])
    assert "Osynlig" in EXPECTED["rotated"]["off_page"]
    assert doc.warnings == []
