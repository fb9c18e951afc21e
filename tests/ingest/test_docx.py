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
