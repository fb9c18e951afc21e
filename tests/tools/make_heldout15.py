"""Write the fifteenth held-out structure set: layouts none of sets 1–14 has, as Swedish municipalities publish
them — a scanned protocol made searchable (every page an image, the text in an invisible layer over it),
council notes numbered in chapters ('1 Inledning', points '1.1', '1.2'), a protocol whose headings stand in a
shaded left sidebar with the text in the right column, a Swedish–Finnish protocol in two language columns,
a beslutsprotokoll whose items are run-in paragraphs ('**§ 203 Title.** Dnr …. decision'), a kallelse whose
programme gives a time slot per point ('13.15–13.45  Lägesbild'), a Word protocol whose items sit inside
content controls (w:sdt), a protocol saved as fixed-width text in two columns, and notes kept as one Markdown
pipe table.

Run ``python tests/tools/make_heldout15.py`` to regenerate ``tests/data/heldout15/docs/`` (PDF, DOCX, TXT, MD)
and their gold labels in ``tests/data/heldout15/gold/``. The content lives in
``tests/tools/data/heldout15_meetings.yaml``; the records, PDF machinery, Word setup, the stable zip, the gold
label and the set writer are imported from ``make_heldout.py``, ``make_heldout3.py``, ``make_heldout8.py`` and
``make_heldout13.py``. Each label comes from the same record its document is rendered from; none was made by
running the reader, and the author of this file did not read the reader's code (see
``tests/data/heldout15/README.md``).

Needs fpdf2, python-docx, PyYAML, pypdfium2, Pillow and the DejaVu and Liberation TrueType fonts.
"""

from __future__ import annotations

import io
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_heldout as h  # noqa: E402
import make_heldout3 as h3  # noqa: E402
import make_heldout8 as h8  # noqa: E402
import make_heldout13 as h13  # noqa: E402
from make_heldout14 import para  # noqa: E402  (the same column paragraph as set 14)
from make_heldout import Meeting, cell_at, label_rows, need, new_docx, new_pdf, sv_date_long, sv_weekday  # noqa: E402

CONTENT = Path(__file__).resolve().parent / "data" / "heldout15_meetings.yaml"
PDF_RENDERERS: dict = {}
GREY = (105, 105, 105)


@dataclass
class Item15(h8.Item8):
    """An item with the extra parts some templates print: its chapter, its Finnish column, its time slot."""

    group: str | None = None  # chapter heading ('1 Inledning') over decimal points; not an item
    fi_title: str | None = None
    fi_desc: list[str] = field(default_factory=list)
    fi_text: list[str] = field(default_factory=list)
    tid: str | None = None  # programme time slot '13.15–13.45'
    pause: bool = False  # a programme line that is no agenda point (Fika); not an item
    ansvarig: str | None = None


def load_meetings(path: Path = CONTENT) -> list[Meeting]:
    """The set's documents, in the order they are written."""
    import yaml

    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Meeting(**{**r, "items": [Item15(**it) for it in r["items"]]}) for r in records]


MEETINGS: list[Meeting] = load_meetings()


def sections(it: Item15, beslut_h: str, desc_h: str | None = None) -> list[tuple[str, str]]:
    """An item's text as blocks: description, Yrkanden, the decision, Reservation."""
    out: list[tuple[str, str]] = []
    if it.desc and desc_h:
        out.append(("h", desc_h))
    out += [("p", p) for p in it.desc]
    if it.yrkanden:
        out += [("h", "Yrkanden")] + [("p", p) for p in it.yrkanden]
    if it.beslut:
        out += [("h", beslut_h)] + [("p", p) for p in it.beslut]
    if it.reservation:
        out += [("h", "Reservation"), ("p", it.reservation)]
    return out


def page_no_footer(fmt: str, labels: tuple[str, ...] = ()):
    """A rule, signature labels and the page number ('Sida 2 (3)' style given by ``fmt``) at the foot."""
    def footer(pdf):
        y = pdf.h - 16
        pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
        pdf.set_font("F", "", 8)
        pdf.set_xy(pdf.l_margin, y + 2)
        pdf.cell(120, 4, "      ".join(f"{label} ………………" for label in labels))
        pdf.set_xy(pdf.w - pdf.r_margin - 40, y + 2)
        pdf.cell(40, 4, fmt.format(n=pdf.page_no()), align="R")
    return footer


# --------------------------------------------------------------------------------------
# Norberg: a scanned protocol made searchable (page images, invisible text layer)
# --------------------------------------------------------------------------------------


def _norberg(m: Meeting, images: list[bytes] | None):
    """The protocol drawn once: visible when ``images`` is None; else every page is its image and the same
    text is written over it in invisible mode (text render mode 3), as OCR software makes a searchable PDF."""
    f = m.front

    def header(pdf):
        if images is not None:
            pdf.text_mode = "FILL"
            pdf.image(io.BytesIO(images[pdf.page_no() - 1]), 0, 0, pdf.w, pdf.h)
            pdf.text_mode = "INVISIBLE"
        cell_at(pdf, ("B", 12), 20, 12, 90, 5, f["org"])
        cell_at(pdf, ("", 10), 110, 12, 80, 5, "SAMMANTRÄDESPROTOKOLL", align="R")
        cell_at(pdf, ("", 9.5), 20, 18, 90, 5, m.body)
        cell_at(pdf, ("", 9.5), 110, 18, 80, 5, f"{m.date}   Sida {pdf.page_no()} ({{nb}})", align="R")
        pdf.line(20, 25, 190, 25)
        pdf.set_y(34)

    pdf = new_pdf(m, "liberation-serif", header, h13.text_footer(("Justerandes sign", "Utdragsbestyrkande")),
                  top=34)
    if images is not None:  # the rules are in the image; only text goes over it
        pdf.line = lambda *a, **k: None
    pdf.add_page()
    cell_at(pdf, ("B", 15), 20, 34, 170, 8, "Protokoll")
    pdf.set_y(46)
    label_rows(pdf, h13.front_facts(m), 20, 50, 170, size=10.5)
    h13.signature_rows(pdf, m, 20, f["paragrafer"])
    pdf.add_page()
    for it in m.items:
        h.start_item(pdf, it, 40)
        y = pdf.get_y() + 3
        cell_at(pdf, ("B", 12), 20, y, 25, 6, it.number)
        pdf.set_xy(45, y)
        pdf.set_font("F", "B", 12)
        pdf.multi_cell(145, 6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        if it.dnr:
            cell_at(pdf, ("", 9.5), 45, pdf.get_y(), 100, 5, f"Dnr {it.dnr}")
            pdf.set_y(pdf.get_y() + 5)
        pdf.ln(2)
        h.write_blocks(pdf, sections(it, "Kommunstyrelsens beslut", "Ärendebeskrivning" if it.desc else None),
                       45, 145, size=11)
        pdf.ln(4)
    return pdf


def page_images(pdf_bytes: bytes, dpi: int = 110) -> list[bytes]:
    """Each page of a PDF as a grey-scale JPEG, as a scanner gives it (rendered by pdfium, so deterministic)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf_bytes)
    out = []
    try:
        for page in doc:
            img = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            buf = io.BytesIO()
            img.save(buf, format="JPEG", quality=55, optimize=False)
            out.append(buf.getvalue())
    finally:
        doc.close()
    return out


@h.renders(PDF_RENDERERS, "heldout15-ocrlager")
def render_ocrlager(m: Meeting, pages: dict):
    """A searchable scan: the visible protocol rendered to page images, then the images with the same text
    drawn over them invisibly, so the text layer is there but nothing of it is painted."""
    visible = _norberg(m, None)
    return _norberg(m, page_images(bytes(visible.output())))


# --------------------------------------------------------------------------------------
# Hofors: notes in chapters '1 Inledning' with points '1.1', '1.2'
# --------------------------------------------------------------------------------------


@h.renders(PDF_RENDERERS, "heldout15-decimal")
def render_decimal(m: Meeting, pages: dict):
    """Chapter headings '2  Beslutspunkter' (bold 12.5 pt) and under them the points '2.1' with the bold title
    beside and the text under the title; the chapters are not items, the points are."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 11), 20, 12, 100, 5, f["org"])
        cell_at(pdf, ("", 9.5), 120, 12, 70, 5, "Minnesanteckningar", align="R")
        cell_at(pdf, ("", 9.5), 120, 17, 70, 5, m.date, align="R")
        pdf.set_y(30)

    pdf = new_pdf(m, "dejavu-sans", header, page_no_footer("{n} ({{nb}})"), top=30)
    pdf.add_page()
    cell_at(pdf, ("B", 15), 20, 30, 170, 8, m.body)
    pdf.set_y(42)
    label_rows(pdf, [("Tid", f"{sv_weekday(m.date).capitalize()} {sv_date_long(m.date)}, {f['tid']}"),
                     ("Plats", f["plats"]), ("Närvarande", f["deltagare"])], 20, 30, 170, size=9.5)
    pdf.ln(2)
    group = None
    for it in m.items:
        if it.group != group:
            group = it.group
            need(pdf, 30)
            y = pdf.get_y() + 4
            num, name = group.split(" ", 1)
            cell_at(pdf, ("B", 12.5), 20, y, 12, 7, num)
            cell_at(pdf, ("B", 12.5), 32, y, 150, 7, name)
            pdf.set_y(y + 9)
        h.start_item(pdf, it, 20)
        y = pdf.get_y() + 1
        cell_at(pdf, ("B", 10), 20, y, 12, 5.2, it.number)
        cell_at(pdf, ("B", 10), 32, y, 158, 5.2, it.title)
        pdf.set_y(y + 6)
        for p in it.desc:
            para(pdf, 32, 158, p, size=9.5, lh=4.9)
        pdf.ln(1.5)
    pdf.ln(5)
    para(pdf, 20, 170, "Vid anteckningarna", size=9.5)
    para(pdf, 20, 170, f"{f['sekreterare']}, folkhälsosamordnare", size=9.5)
    return pdf


# --------------------------------------------------------------------------------------
# Sorsele: headings in a shaded left sidebar, the text in the right column
# --------------------------------------------------------------------------------------

SIDE_X, SIDE_W, MAIN_X, MAIN_W = 20, 44, 72, 118


@h.renders(PDF_RENDERERS, "heldout15-sidokolumn")
def render_sidokolumn(m: Meeting, pages: dict):
    """Item pages have a light shaded sidebar (18–66 mm); in it '§ 162' bold, the bold title wrapping in the
    44 mm column and 'Dnr KS 2025/330' below; the item's text starts at the same height in the right column."""
    f = m.front

    def header(pdf):
        if pdf.page_no() > 1:
            pdf.set_fill_color(236, 238, 233)
            pdf.rect(18, 28, 48, pdf.h - 28 - 20, style="F")
        cell_at(pdf, ("B", 11), 20, 11, 90, 5, f["org"])
        cell_at(pdf, ("", 9.5), 110, 11, 80, 5, f"Protokoll   {m.date}", align="R")
        cell_at(pdf, ("", 9.5), 20, 16, 90, 5, m.body)
        cell_at(pdf, ("", 9.5), 110, 16, 80, 5, f"Sida {pdf.page_no()} av {{nb}}", align="R")
        pdf.set_y(34)

    pdf = new_pdf(m, "liberation-sans", header, h13.text_footer(("Justerandes sign", "Utdragsbestyrkande"), 14),
                  top=34, bottom=24)
    pdf.add_page()
    cell_at(pdf, ("B", 15), 20, 34, 170, 8, "Protokoll")
    pdf.set_y(46)
    label_rows(pdf, h13.front_facts(m), 20, 50, 170, size=10)
    h13.signature_rows(pdf, m, 20, f"§§ {f['paragrafer']}")
    pdf.add_page()
    for it in m.items:
        h.start_item(pdf, it, 50)
        y = pdf.get_y() + 2
        cell_at(pdf, ("B", 11), SIDE_X, y, SIDE_W, 5.5, it.number)
        pdf.set_xy(SIDE_X, y + 6)
        pdf.set_font("F", "B", 10.5)
        pdf.multi_cell(SIDE_W, 5, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        if it.dnr:
            cell_at(pdf, ("", 8.5), SIDE_X, pdf.get_y() + 1, SIDE_W, 4.5, f"Dnr {it.dnr}")
            pdf.set_y(pdf.get_y() + 5.5)
        side_end = (pdf.page_no(), pdf.get_y())
        pdf.set_y(y)
        blocks = sections(it, "Kommunstyrelsens beslut")
        first = True
        for kind, text in blocks:
            if first:  # the first block starts on the number's line, not after a heading gap
                pdf.set_xy(MAIN_X, y)
                pdf.set_font("F", "B" if kind == "h" else "", 10.5)
                pdf.multi_cell(MAIN_W, 5.2, text, align="L", new_x="LMARGIN", new_y="NEXT")
                pdf.ln(1.2)
                first = False
                continue
            h.write_blocks(pdf, [(kind, text)], MAIN_X, MAIN_W, size=10.5)
        if pdf.page_no() == side_end[0]:
            pdf.set_y(max(pdf.get_y(), side_end[1]))
        pdf.ln(6)
    return pdf


# --------------------------------------------------------------------------------------
# Övertorneå: a Swedish–Finnish protocol in two language columns
# --------------------------------------------------------------------------------------

SV_X, FI_X, COL_W = 20, 108, 82


@h.renders(PDF_RENDERERS, "heldout15-tvasprakig")
def render_tvasprakig(m: Meeting, pages: dict):
    """Swedish in the left column, Finnish in the right, a rule between; every item opens in both columns on
    the same line ('§ 73  Skattesats för år 2026' | '§ 73  Veroprosentti vuodelle 2026'); the whole Swedish
    column of an item is written before its Finnish column."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 11), SV_X, 11, COL_W, 5, f["org"])
        cell_at(pdf, ("B", 11), FI_X, 11, COL_W, 5, f["org_fi"])
        cell_at(pdf, ("", 9.5), SV_X, 16, COL_W, 5, f"Protokoll {m.date}")
        cell_at(pdf, ("", 9.5), FI_X, 16, COL_W, 5, f"Pöytäkirja {m.date}")
        cell_at(pdf, ("", 9), 150, 11, 40, 5, f"{pdf.page_no()} ({{nb}})", align="R")
        pdf.line(20, 23, 190, 23)
        pdf.line(105, 26, 105, pdf.h - 22)
        pdf.set_y(30)

    pdf = new_pdf(m, "dejavu-sans", header, h13.text_footer(("Justerandes sign", "Tarkastajien nimikirjaimet")),
                  top=30)
    pdf.add_page()
    cell_at(pdf, ("B", 13), SV_X, 30, COL_W, 7, m.body)
    cell_at(pdf, ("B", 13), FI_X, 30, COL_W, 7, "Kunnanvaltuusto")
    y0 = 42
    sv_rows = [("Plats och tid", [f["plats"]]), ("Beslutande", f["ledamoter"]), ("Sekreterare", [f["sekreterare"]]),
               ("Justerare", [f["justerare"]]), ("Paragrafer", [f"§§ {f['paragrafer']}"])]
    fi_rows = [("Paikka ja aika", [f["plats_fi"]]), ("Päättäjät", f["ledamoter"]), ("Sihteeri", [f["sekreterare"]]),
               ("Tarkastajat", [f["justerare"]]), ("Pykälät", [f"§§ {f['paragrafer']}"])]
    ends = []
    for x, rows in ((SV_X, sv_rows), (FI_X, fi_rows)):
        pdf.set_y(y0)
        for label, lines in rows:
            para(pdf, x, COL_W, label, "B", size=9.5, lh=4.8)
            for line in lines:
                para(pdf, x, COL_W, line, size=9.5, lh=4.8)
        ends.append(pdf.get_y())
    pdf.set_y(max(ends) + 6)
    for it in m.items:
        h.start_item(pdf, it, 45)
        y = pdf.get_y()
        ends = []
        for x, title, dnr_label, desc, beslut_h, beslut in (
                (SV_X, it.title, "Dnr", it.desc, "Beslut", it.beslut),
                (FI_X, it.fi_title, "Dnro", it.fi_desc, "Päätös", it.fi_text)):
            cell_at(pdf, ("B", 11), x, y, 16, 5.6, it.number)
            pdf.set_xy(x + 16, y)
            pdf.set_font("F", "B", 11)
            pdf.multi_cell(COL_W - 16, 5.6, title, align="L", new_x="LMARGIN", new_y="NEXT")
            if it.dnr:
                cell_at(pdf, ("", 8.5), x + 16, pdf.get_y(), 60, 4.5, f"{dnr_label} {it.dnr}")
                pdf.set_y(pdf.get_y() + 4.5)
            pdf.ln(1.5)
            for p in desc:
                para(pdf, x + 16, COL_W - 16, p, size=9.5, lh=4.8)
            para(pdf, x + 16, COL_W - 16, beslut_h, "B", size=9.5, lh=4.8)
            for p in beslut:
                para(pdf, x + 16, COL_W - 16, p, size=9.5, lh=4.8)
            ends.append(pdf.get_y())
        pdf.set_y(max(ends) + 5)
    return pdf


# --------------------------------------------------------------------------------------
# Dorotea: a beslutsprotokoll of run-in paragraphs
# --------------------------------------------------------------------------------------


@h.renders(PDF_RENDERERS, "heldout15-inledrubrik")
def render_inledrubrik(m: Meeting, pages: dict):
    """Each item is one paragraph that opens with the bold '§ 203 Title.' and runs on in regular type with
    'Dnr KS 2025/402.' and the decision on the same line; no headings stand on lines of their own."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 11), 20, 12, 90, 5, f["org"])
        cell_at(pdf, ("B", 10), 110, 12, 80, 5, "BESLUTSPROTOKOLL", align="R")
        cell_at(pdf, ("", 9.5), 20, 17, 90, 5, m.body)
        cell_at(pdf, ("", 9.5), 110, 17, 80, 5, f"{m.date}   {pdf.page_no()} ({{nb}})", align="R")
        pdf.line(20, 24, 190, 24)
        pdf.set_y(30)

    pdf = new_pdf(m, "liberation-serif", header, h13.text_footer(("Justerandes sign",)), top=30)
    pdf.add_page()
    label_rows(pdf, [("Tid och plats", f["plats"]), ("Beslutande", ", ".join(f["ledamoter"])),
                     ("Övriga", ", ".join(f["ovriga"])), ("Justerare", f["justerare"])], 20, 34, 170, size=10.5)
    pdf.ln(4)
    for it in m.items:
        h.start_item(pdf, it, 14)
        run = f"**{it.number} {it.title}.** " + (f"Dnr {it.dnr}. " if it.dnr else "") + " ".join(it.beslut)
        pdf.set_font("F", "", 11)
        pdf.set_x(20)
        pdf.multi_cell(170, 5.6, run, align="L", markdown=True, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.ln(4)
    h13.signature_rows(pdf, m, 20, f"§§ {f['paragrafer']}")
    return pdf


# --------------------------------------------------------------------------------------
# Malå: a kallelse whose programme gives each point a time slot
# --------------------------------------------------------------------------------------


@h.renders(PDF_RENDERERS, "heldout15-tider")
def render_tider(m: Meeting, pages: dict):
    """'KALLELSE' with time, place and the invited; 'Program' as rows: the time slot '13.15–13.45' at the left,
    the bold point beside it and who presents it in italics below; the coffee break in grey italics."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 12), 20, 12, 90, 5, f["org"])
        cell_at(pdf, ("", 9.5), 110, 12, 80, 5, "Kallelse", align="R")
        pdf.set_y(30)

    pdf = new_pdf(m, "liberation-sans", header, lambda pdf: None, top=30)
    pdf.add_page()
    cell_at(pdf, ("B", 18), 20, 30, 170, 9, "KALLELSE")
    cell_at(pdf, ("", 13), 20, 40, 170, 7, f"{m.body}s höstmöte")
    pdf.set_y(52)
    start, end = m.items[0].tid.split("–")[0], m.items[-1].tid.split("–")[1]
    label_rows(pdf, [("Tid", f"{sv_weekday(m.date).capitalize()} {sv_date_long(m.date)} kl. {start}–{end}"),
                     ("Plats", f["plats"]), ("Kallade", f["kallade"])], 20, 28, 170, size=10.5)
    pdf.ln(4)
    cell_at(pdf, ("B", 13), 20, pdf.get_y(), 170, 7, "Program")
    pdf.set_y(pdf.get_y() + 10)
    for it in m.items:
        h.start_item(pdf, it, 16)
        y = pdf.get_y()
        if it.pause:
            pdf.set_text_color(*GREY)
            cell_at(pdf, ("I", 10.5), 20, y, 30, 5.5, it.tid)
            cell_at(pdf, ("I", 10.5), 52, y, 138, 5.5, it.title)
            pdf.set_text_color(0)
            pdf.set_y(y + 9)
            continue
        cell_at(pdf, ("", 10.5), 20, y, 30, 5.5, it.tid)
        cell_at(pdf, ("B", 10.5), 52, y, 138, 5.5, it.title)
        pdf.set_y(y + 5.5)
        for p in it.desc:
            cell_at(pdf, ("I", 9.5), 52, pdf.get_y(), 138, 5, p)
            pdf.set_y(pdf.get_y() + 5)
        pdf.set_y(pdf.get_y() + 3.5)
    pdf.ln(6)
    para(pdf, 20, 170, "Anmäl förhinder eller kost till samordnaren senast måndagen den 3 november.", size=10.5)
    para(pdf, 20, 170, "Varmt välkomna!", size=10.5)
    pdf.ln(3)
    para(pdf, 20, 170, f"{f['ordforande']}, ordförande", size=10.5)
    para(pdf, 20, 170, f"{f['sekreterare']}, samordnare", size=10.5)
    return pdf


# --------------------------------------------------------------------------------------
# Gullspång: a Word protocol whose items sit in content controls
# --------------------------------------------------------------------------------------


def wrap_in_sdt(paragraphs, alias: str, tag: str, sdt_id: int) -> None:
    """Move ``paragraphs`` (consecutive, in the body) into one block-level content control (w:sdt), as
    protocol systems fill a Word template's 'Paragraf' fields."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    sdt = OxmlElement("w:sdt")
    pr = OxmlElement("w:sdtPr")
    for name, val in (("w:alias", alias), ("w:tag", tag), ("w:id", str(sdt_id))):
        el = OxmlElement(name)
        el.set(qn("w:val"), val)
        pr.append(el)
    sdt.append(pr)
    content = OxmlElement("w:sdtContent")
    sdt.append(content)
    paragraphs[0]._p.addprevious(sdt)
    for p in paragraphs:
        content.append(p._p)


def render_innehallskontroll(m: Meeting, path: Path) -> None:
    """Header 'Gullspångs kommun<TAB>Protokoll<TAB>date'; front facts as bold-label paragraphs; every item —
    its bold '§ 89<TAB>Title' paragraph, the italic 'Dnr' line, the text and bold labels — inside its own
    block-level content control tagged 'paragraf'; the signature paragraphs after them outside any control."""
    from docx.shared import Pt

    f = m.front
    doc = new_docx(m, "Calibri", 11)
    sec = doc.sections[0]
    sec.header.paragraphs[0].text = f"{f['org']}\tProtokoll\t{m.date}"
    sec.footer.paragraphs[0].text = "Justerandes sign ……………\tUtdragsbestyrkande ……………"
    p = doc.add_paragraph()
    r = p.add_run(m.body)
    r.bold = True
    r.font.size = Pt(16)
    doc.add_paragraph(f"{sv_weekday(m.date).capitalize()}en den {sv_date_long(m.date)}, {f['tid']}, {f['plats']}")
    for label, value in [("Beslutande", f["ledamoter"]), ("Övriga närvarande", f["ovriga"]),
                         ("Utses att justera", [f["justerare"]])]:
        doc.add_paragraph().add_run(label).bold = True
        for v in value:
            doc.add_paragraph(v)
    for n, it in enumerate(m.items, 1):
        paras = []
        hp = doc.add_paragraph()
        hp.paragraph_format.space_before = Pt(18)
        run = hp.add_run(f"{it.number}\t{it.title}")
        run.bold = True
        run.font.size = Pt(13)
        paras.append(hp)
        if it.dnr:
            dp = doc.add_paragraph()
            dp.add_run(f"Dnr {it.dnr}").italic = True
            paras.append(dp)
        for kind, text in sections(it, "Socialnämndens beslut", "Ärendebeskrivning" if it.desc else None):
            q = doc.add_paragraph()
            if kind == "h":
                q.add_run(text).bold = True
            else:
                q.add_run(text)
            paras.append(q)
        wrap_in_sdt(paras, "Paragraf", "paragraf", 4100 + n)
    doc.add_paragraph()
    doc.add_paragraph(f"Vid protokollet\t{f['sekreterare']}")
    doc.add_paragraph(f"Ordförande\t{f['ordforande']}")
    doc.add_paragraph(f"Justerare\t{f['justerande']}")
    doc.save(str(path))
    h3.stable_zip(path)


# --------------------------------------------------------------------------------------
# Överkalix: a protocol saved as fixed-width text in two columns
# --------------------------------------------------------------------------------------

LEFT_W, RIGHT_W, GAP = 22, 62, 2


def two_columns(left: list[str], right: list[str]) -> list[str]:
    """Lines of a left and a right column side by side, the left padded to ``LEFT_W`` + ``GAP``."""
    n = max(len(left), len(right))
    left = left + [""] * (n - len(left))
    right = right + [""] * (n - len(right))
    return [(a.ljust(LEFT_W + GAP) + b).rstrip() for a, b in zip(left, right)]


def render_spalttext(m: Meeting) -> str:
    """A protocol saved as text with its layout kept: page furniture at the top, then for each item the left
    column '§ 42', the title wrapped at 20 and the case number, beside it the text wrapped at 62."""
    f = m.front
    W = LEFT_W + GAP + RIGHT_W
    out = [f["org"].upper().ljust(W - 21) + "SAMMANTRÄDESPROTOKOLL",
           m.body.ljust(W - 28) + f"Sammanträdesdatum {m.date}", ""]
    front = [("Plats och tid", [f["plats"]]), ("Beslutande", f["ledamoter"]), ("Övriga", f["ovriga"]),
             ("Utses att justera", [f["justerare"]]), ("Paragrafer", [f"§§ {f['paragrafer']}"])]
    for label, values in front:
        out += two_columns([label], values) + [""]
    out += ["-" * W, ""]
    for it in m.items:
        left = [it.number, ""] + textwrap.wrap(it.title, LEFT_W - 2)
        if it.dnr:
            left += ["", it.dnr]
        right: list[str] = []
        for kind, text in sections(it, "Beslut"):
            if kind == "h":
                right += ([""] if right else []) + [text]
            else:
                right += textwrap.wrap(text, RIGHT_W)
        out += two_columns(left, right) + ["", ""]
    out += ["-" * W, "", two_columns(["Vid protokollet"], [f["sekreterare"]])[0],
            two_columns(["Ordförande"], [f["ordforande"]])[0], two_columns(["Justerare"], [f["justerande"]])[0]]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------
# Bollebygd: notes as one Markdown pipe table
# --------------------------------------------------------------------------------------


def render_mdtabell(m: Meeting) -> str:
    """Notes kept in a shared document and exported as Markdown: a title, the facts as bold labels with hard
    breaks, and the points as rows of one pipe table (# | Punkt | Anteckning | Ansvarig)."""
    f = m.front
    out = [f"# Minnesanteckningar – {m.body.lower()}", "",
           f"**Datum:** {sv_weekday(m.date)} {sv_date_long(m.date)}, {f['tid']}  ",
           f"**Plats:** {f['plats']}  ", f"**Närvarande:** {'; '.join(f['deltagare'])}", "",
           "| # | Punkt | Anteckning | Ansvarig |", "|---|-------|------------|----------|"]
    for it in m.items:
        out.append(f"| {it.number} | {it.title} | {' '.join(it.desc)} | {it.ansvarig} |")
    out += ["", f"*Antecknat av {f['sekreterare']}, {f['org']}*"]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------
# Gold and main
# --------------------------------------------------------------------------------------


def gold_for(m: Meeting) -> dict:
    """The label of ``make_heldout.set_gold_for('heldout15')`` without the programme's breaks (Fika)."""
    g = h.set_gold_for("heldout15")(m)
    g["items"] = [{"number": it.number, "dnr": it.dnr, "title": it.title} for it in m.items if not it.pause]
    return g


def main() -> None:
    out = h.ROOT / "tests" / "data" / "heldout15"
    text = {"heldout15-spalttext": render_spalttext, "heldout15-mdtabell": render_mdtabell}

    def write_doc(m: Meeting, path: Path) -> None:
        if m.fmt == "docx":
            render_innehallskontroll(m, path)
        else:
            path.write_bytes(text[m.family](m).encode("utf-8"))

    h.write_set(MEETINGS, write_doc, gold_for, out / "docs", out / "gold", h.ROOT, PDF_RENDERERS)


if __name__ == "__main__":
    main()
