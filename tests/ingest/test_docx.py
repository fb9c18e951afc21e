"""Tests for the DOCX reader against the generated ``minutes.docx``."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from ingest.normalize import normalize_text
from ingest.readers.docx import read_docx
from radslag.errors import IngestError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "docx"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def doc():
    return read_docx(FIXTURES / "minutes.docx", "fixtures/minutes.docx")


def test_fields_and_front_matter(doc) -> None:
    raw = (FIXTURES / "minutes.docx").read_bytes()
    assert doc.reader == "docx"
    assert doc.size == len(raw)
    assert doc.content_hash == hashlib.sha256(raw).hexdigest()
    assert doc.pages == []
    for key, value in EXPECTED["minutes"]["front_matter"].items():
        assert doc.front_matter[key] == value
    assert normalize_text(doc.text) == doc.text


def test_headings_with_offsets(doc) -> None:
    truth = EXPECTED["minutes"]
    assert [h.text for h in doc.headings if h.source == "style"] == truth["style_headings"]
    assert [h.text for h in doc.headings if h.source == "bold"] == truth["bold_headings"]
    for h in doc.headings:
        assert doc.text[h.start : h.end] == h.text
    # Plain paragraphs are not headings.
    assert "Inga övriga frågor." not in {h.text for h in doc.headings}


def test_table_rows_and_order(doc) -> None:
    truth = EXPECTED["minutes"]
    lines = doc.text.split("\n")
    rows = truth["table_rows"]
    i = lines.index(rows[0])
    assert lines[i : i + len(rows)] == rows
    positions = [doc.text.index(part) for part in truth["order"]]
    assert positions == sorted(positions)
    assert "\n\n\n" not in doc.text


def test_corrupt_docx() -> None:
    with pytest.raises(IngestError) as info:
        read_docx(FIXTURES / "corrupt.docx", "corrupt.docx")
    assert info.value.reason == "corrupt_docx"


def test_zip_without_document_part(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "fake.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hej")
    with pytest.raises(IngestError) as info:
        read_docx(path, "fake.docx")
    assert info.value.reason == "corrupt_docx"


# -- hostile files: refused before python-docx inflates them --------------------------

import io  # noqa: E402
import sys  # noqa: E402
import tracemalloc  # noqa: E402
import zipfile  # noqa: E402

from ingest.readers import ReadLimits  # noqa: E402
from ingest.readers.docx import check_package  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import fuzz  # noqa: E402

BASE = (FIXTURES / "minutes.docx").read_bytes()
MB = 1 << 20


def _refusal(data: bytes, limits: ReadLimits | None = None, tmp_path: Path | None = None) -> IngestError:
    with pytest.raises(IngestError) as info:
        read_docx(Path("bomb.docx"), "bomb.docx", data=data, limits=limits or ReadLimits())
    return info.value


def _refusal_and_peak(data: bytes):
    """The reader's refusal of ``data`` and the peak memory Python allocated while reading it."""
    tracemalloc.start()
    try:
        error = _refusal(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return error, peak


def test_zip_bomb_refused_from_the_directory_without_inflating() -> None:
    bomb = fuzz.zip_bomb_docx(BASE, 300, lie=False)
    assert len(bomb) < 2 * MB
    error, peak = _refusal_and_peak(bomb)
    assert error.reason == "too_large" and "RADSLAG_MAX_UNZIPPED_MB" in error.message
    assert peak < 8 * MB  # nothing near 300 MB was allocated


def test_part_that_lies_about_its_size_is_caught_while_inflating() -> None:
    bomb = fuzz.zip_bomb_docx(BASE, 300, lie=True)
    assert sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(bomb)).infolist()) < MB  # the directory lies
    error, peak = _refusal_and_peak(bomb)
    assert error.reason == "corrupt_docx"
    assert peak < 8 * MB


def test_unpacked_size_limit_counts_real_bytes() -> None:
    honest = fuzz.zip_bomb_docx(BASE, 3, lie=False)
    check_package(honest, ReadLimits(max_unzipped_bytes=4 * MB))  # inflates fine, within the limit
    assert _refusal(honest, ReadLimits(max_unzipped_bytes=2 * MB)).reason == "too_large"


def test_paragraph_bomb_refused() -> None:
    bomb = fuzz.paragraph_bomb_docx(BASE, 3_000_000)
    assert len(bomb) < MB
    error = _refusal(bomb)
    assert error.reason == "too_large" and "RADSLAG_MAX_PARAGRAPHS" in error.message
    # the limit is about paragraphs and cells: the fixture has 19 of them
    assert _refusal(BASE, ReadLimits(max_paragraphs=10)).reason == "too_large"
    assert read_docx(FIXTURES / "minutes.docx", "m.docx", limits=ReadLimits(max_paragraphs=60)).text


def test_style_lookups_are_cached(monkeypatch) -> None:
    from docx.parts.document import DocumentPart

    lines = ["Trygghetsrådet"] + [f"Stycke {i} om klotter i centrum." for i in range(3000)]
    data = fuzz.docx_bytes(lines)
    calls = []
    real = DocumentPart.get_style

    def counting(self, style_id, style_type):
        calls.append(style_id)
        return real(self, style_id, style_type)

    monkeypatch.setattr(DocumentPart, "get_style", counting)
    doc = read_docx(Path("x.docx"), "x.docx", data=data)
    assert doc.text.count("Stycke") == 3000
    assert len(calls) < 20, f"{len(calls)} style lookups for 3001 paragraphs"


def test_tall_vertically_merged_table_reads_every_row() -> None:
    data = fuzz.docx_bytes(["Trygghetsrådet", "Deltagare"], merged_rows=3000)
    doc = read_docx(Path("t.docx"), "t.docx", data=data)
    lines = [line for line in doc.text.split("\n") if line.endswith(("Rad 0", "Rad 1", "Rad 2999"))]
    # the merged cell is repeated on every row, as python-docx's row.cells gives it
    assert lines == ["Sammanslagen cell\tRad 0", "Sammanslagen cell\tRad 1", "Sammanslagen cell\tRad 2999"]


def test_merged_cells_match_python_docx() -> None:
    import docx

    document = docx.Document()
    t = document.add_table(rows=3, cols=3)
    for r in range(3):
        for c in range(3):
            t.cell(r, c).text = f"{r}{c}"
    t.cell(0, 0).merge(t.cell(1, 0))  # vertical
    t.cell(2, 1).merge(t.cell(2, 2))  # horizontal
    buf = io.BytesIO()
    document.save(buf)
    from ingest.readers.docx import _table_rows

    table = docx.Document(io.BytesIO(buf.getvalue())).tables[0]
    expected = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(" ".join(cell.text.split()))
        expected.append("\t".join(cells))
    assert _table_rows(table) == expected


def test_element_bomb_refused() -> None:
    members = fuzz._members(BASE)
    members["word/document.xml"] = fuzz._document_xml(b"<w:p>" + b"<w:r/>" * 3_000_000 + b"</w:p>")
    error = _refusal(fuzz._zip(members))
    assert error.reason == "too_large" and "XML-element" in error.message


def test_word_list_numbering_becomes_item_numbers(tmp_path) -> None:
    # Headings in Word's automatic "List Number" style: the numbers are list numbering, not text.
    import docx

    from ingest.segment import segment

    document = docx.Document()
    document.add_paragraph("Minnesanteckningar Trygghetsrådet", style="Title")
    document.add_paragraph("Närvarande: Anna Andersson, Bo Berg")
    for title, body in [("Föregående anteckningar", "Anteckningarna godkänns."),
                        ("Lägesbild", "Polisen redogör för läget i centrum under sommaren."),
                        ("Kommande möten", "Rådet träffas nästa gång den 26 november.")]:
        document.add_paragraph(style="List Number").add_run(title).bold = True
        document.add_paragraph(body)
    document.add_paragraph("Punktlista", style="List Bullet")  # a bullet gets no number
    path = tmp_path / "lista.docx"
    document.save(path)
    doc = read_docx(path, "lista.docx")
    assert "1. Föregående anteckningar" in doc.text and "3. Kommande möten" in doc.text
    assert "\n\nPunktlista" in doc.text
    items = segment(doc)
    assert [(i.number, i.title) for i in items] == [
        ("1", "Föregående anteckningar"), ("2", "Lägesbild"), ("3", "Kommande möten"),
    ]
