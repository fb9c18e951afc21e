"""Containers the readers open: Word content controls (``w:sdt``) and Markdown pipe tables of items."""
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


# --- Markdown pipe tables ------------------------------------------------------------------------------

_POINTS_TABLE = """# Minnesanteckningar – exempelrådet

**Datum:** 3 mars 2031

| Nr | Punkt | Anteckning | Ansvarig |
|:--:|-------|------------|----------|
| 1 | Föregående anteckningar | Godkänns utan ändringar. | Ordföranden |
| 2 | Skolskjutsar | Två linjer ändras.<br>Beslut tas i maj. | Eva |
| 3 | Övrigt | Inget att anteckna. | – |

*Antecknat av sekreteraren*
"""


def _md(tmp_path, text: str):
    from ingest.readers.text import read_markdown

    path = tmp_path / "m.md"
    path.write_text(text, encoding="utf-8")
    return read_markdown(path, "m.md")


def test_pipe_table_rows_counting_up_are_numbered_items(tmp_path) -> None:
    doc = _md(tmp_path, _POINTS_TABLE)
    assert "1\tFöregående anteckningar\nAnteckning: Godkänns utan ändringar.\nAnsvarig: Ordföranden" in doc.text
    assert "2\tSkolskjutsar\nAnteckning: Två linjer ändras.\nBeslut tas i maj.\nAnsvarig: Eva" in doc.text
    items = segment(doc)
    assert [(i.number, i.title) for i in items] == [
        ("1", "Föregående anteckningar"), ("2", "Skolskjutsar"), ("3", "Övrigt")]
    assert "Godkänns utan ändringar." in items[0].text


def test_pipe_tables_of_attendance_or_figures_stay_as_written(tmp_path) -> None:
    attendance = "| Namn | Parti |\n|---|---|\n| Eva Ek | S |\n| Ola Berg | M |\n"
    figures = "| Nr | Budget 2030 | Budget 2031 |\n|---|---:|---:|\n| 1 | 1 200 | 1 300 |\n| 2 | 800 | 850 |\n"
    gaps = "| Nr | Ärende |\n|---|---|\n| 1 | Budget |\n| 3 | Taxor |\n"
    for table in (attendance, figures, gaps):
        text = f"# Protokoll\n\nText före.\n\n{table}\nText efter.\n"
        doc = _md(tmp_path, text)
        assert table.strip() in doc.text
        assert "\t" not in doc.text
