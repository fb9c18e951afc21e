"""Containers the readers open: Word content controls (``w:sdt``)."""
from __future__ import annotations

import io
from pathlib import Path

from docx import Document as WordDocument
from docx.oxml import OxmlElement
from docx.shared import Pt

from ingest.readers.docx import read_docx
from ingest.segment import segment


def _wrap_in_sdt(elements: list, tag: str = "punkt") -> object:
    """Put body elements inside one block-level content control, where the first one stood."""
    sdt = OxmlElement("w:sdt")
    pr = OxmlElement("w:sdtPr")
    tag_el = OxmlElement("w:tag")
    tag_el.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val", tag)
    pr.append(tag_el)
    content = OxmlElement("w:sdtContent")
    sdt.append(pr)
    sdt.append(content)
    elements[0].addprevious(sdt)
    for el in elements:
        content.append(el)
    return sdt


def _minutes(controls: bool) -> bytes:
    """An invented protocol; with ``controls`` every item sits in a content control (one nested)."""
    doc = WordDocument()
    doc.add_paragraph("Protokoll – Fritidsnämnden, Exempelby kommun")
    doc.add_paragraph("Sammanträdesdatum 2031-03-04")
    groups = []
    for number, title, text in (
        (12, "Öppettider i simhallen", "Nämnden beslutar om nya öppettider."),
        (13, "Bidrag till föreningar", "Tre ansökningar har kommit in."),
        (14, "Informationsärenden", "Förvaltningschefen informerar."),
    ):
        head = doc.add_paragraph()
        run = head.add_run(f"§ {number}\t{title}")
        run.bold = True
        run.font.size = Pt(13)
        label = doc.add_paragraph()
        label.add_run("Beslut").bold = True
        body = doc.add_paragraph(text)
        groups.append([head._p, label._p, body._p])
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Bilaga"
    table.cell(0, 1).text = "Taxa 2031"
    groups[-1].append(table._tbl)
    doc.add_paragraph("Vid protokollet")
    if controls:
        _wrap_in_sdt(groups[0])
        _wrap_in_sdt(groups[1])
        inner = _wrap_in_sdt(groups[2])
        _wrap_in_sdt([inner], tag="yttre")  # a content control nested in another
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _read(data: bytes):
    return read_docx(Path("p.docx"), "p.docx", data=data)


def test_paragraphs_and_tables_inside_content_controls_are_read_in_order() -> None:
    doc = _read(_minutes(controls=True))
    order = ["Sammanträdesdatum", "§ 12\tÖppettider i simhallen", "Nämnden beslutar", "§ 13\tBidrag",
             "Tre ansökningar", "§ 14\tInformationsärenden", "Förvaltningschefen", "Bilaga\tTaxa 2031",
             "Vid protokollet"]
    positions = [doc.text.index(part) for part in order]
    assert positions == sorted(positions)
    assert [h.text for h in doc.headings if h.text.startswith("§")] == [
        "§ 12\tÖppettider i simhallen", "§ 13\tBidrag till föreningar", "§ 14\tInformationsärenden"]
    assert [(i.number, i.title) for i in segment(doc)] == [
        ("§ 12", "Öppettider i simhallen"), ("§ 13", "Bidrag till föreningar"), ("§ 14", "Informationsärenden")]


def test_a_document_without_content_controls_reads_as_before() -> None:
    plain = _read(_minutes(controls=False))
    wrapped = _read(_minutes(controls=True))
    assert plain.text == wrapped.text
    assert [(h.text, h.source, h.start) for h in plain.headings] == [
        (h.text, h.source, h.start) for h in wrapped.headings]


def test_inline_content_control_text_is_kept_in_its_paragraph() -> None:
    doc = WordDocument()
    p = doc.add_paragraph("Ordförande: ")
    sdt = OxmlElement("w:sdt")
    content = OxmlElement("w:sdtContent")
    sdt.append(OxmlElement("w:sdtPr"))
    sdt.append(content)
    p._p.append(sdt)
    run = p.add_run("Anna Exempel")
    content.append(run._r)
    p.add_run(" (S)")
    buf = io.BytesIO()
    doc.save(buf)
    assert "Ordförande: Anna Exempel (S)" in _read(buf.getvalue()).text

