"""Write the sixth held-out structure set: a kommunfullmäktige with interpellations and elections, nämnd
protocols with sekretess and information items, 'Ärende 5' headings, a gemensam nämnd, a protocol with a
cover page and a table of contents, and council notes (Word table, plain text, Word paragraphs).

Run ``python tests/tools/make_heldout6.py`` to regenerate ``tests/data/heldout6/docs/`` (PDF, DOCX, TXT) and
their gold labels in ``tests/data/heldout6/gold/``. The content lives in
``tests/tools/data/heldout6_meetings.yaml``; the records, PDF machinery, section blocks, front matter, Word
setup, stable zip, footers and the set writer are imported from ``make_heldout.py`` / ``make_heldout3.py`` /
``make_heldout4.py`` / ``make_heldout5.py``. Like sets 4 and 5 the set aims to be representative of what
Swedish municipalities publish, in municipalities and families the earlier sets did not use. Each label comes
from the same record its document is rendered from; none was made by running the reader, and the author of
this file did not read the reader's code (see ``tests/data/heldout6/README.md``).

Needs fpdf2, python-docx, PyYAML and the DejaVu and Liberation TrueType fonts (Debian: fonts-liberation).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_heldout as h  # noqa: E402
import make_heldout3 as h3  # noqa: E402
import make_heldout4 as h4  # noqa: E402
import make_heldout5 as h5  # noqa: E402
from make_heldout import (  # noqa: E402
    Meeting, cell_at, label_rows, line_in, need, new_docx, new_pdf, renders, start_item, sv_date_long,
    sv_weekday, write_blocks,
)

ROOT = h.ROOT
OUT = ROOT / "tests" / "data" / "heldout6"
DOCS = OUT / "docs"
GOLD = OUT / "gold"
CONTENT = Path(__file__).resolve().parent / "data" / "heldout6_meetings.yaml"
blocks, shown, ALL_SECTIONS = h4.blocks, h4.shown, h5.ALL_SECTIONS
PDF_RENDERERS: dict = {}  # family -> render(m, pages) returning the FPDF
MEETINGS: list[Meeting] = h4.load_meetings(CONTENT)


def right_block(pdf, lines: list[tuple[tuple, str]], y: float = 10, x: float = 110, w: float = 80,
                lh: float = 5) -> None:
    """Right-aligned header lines (font, text) stacked from ``y``."""
    for k, (font, text) in enumerate(lines):
        cell_at(pdf, font, x, y + k * lh, w, lh, text, align="R")


def front_page(pdf, m: Meeting, title_lines: list[tuple[tuple, str]], rows, *, anslag: bool = True,
               paragrafer: bool = True) -> None:
    """Title lines, label rows, the signature block and the notice block on a first page; then a new page."""
    pdf.add_page()
    for font, text in title_lines:
        pdf.set_font("F", *font)
        pdf.multi_cell(170, font[1] * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    label_rows(pdf, rows, 20, 48, 170, size=9.5, lh=4.8)
    h4.signature_block(pdf, m, paragrafer=paragrafer)
    if anslag:
        h.anslag_block(pdf, m, 20, 170, size=9)
    pdf.add_page()


def sekretess_row(text: str) -> tuple[str, str]:
    return ("Sekretess", text)


# --------------------------------------------------------------------------------------
# PDF families
# --------------------------------------------------------------------------------------


@renders(PDF_RENDERERS, "heldout6-kfval")
def render_kfval(m: Meeting, pages: dict):
    """A kommunfullmäktige protocol: the number in a margin column with the case number in small type under
    it, the bold title in the text column beside; interpellations, a question, motions, resignations and a
    long run of elections flowing several to a page; attendance list (Bilaga 1) after the items."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 15), 20, 11, 80, 7, f["org"].upper())
        right_block(pdf, [(("B", 10), "PROTOKOLL"), (("", 9.5), m.body), (("", 9.5), m.date),
                          (("", 8.5), f"Sida {pdf.page_no()} av {{nb}}")], y=9, lh=4.6)
        pdf.set_draw_color(90)
        pdf.line(20, 29, 190, 29)
        pdf.set_xy(20, 35)

    pdf = new_pdf(m, "dejavu-serif", header, h5.sign_footer(boxes=2), top=35, bottom=28)
    front_page(pdf, m, [(("B", 16), "Protokoll"), (("", 10.5), f"{m.body}s sammanträde {sv_weekday(m.date)}en "
                                                                 f"den {sv_date_long(m.date)}")],
               h4.front_rows(m))
    for it in m.items:
        start_item(pdf, it, 32)
        pdf.ln(5)
        y = pdf.get_y()
        cell_at(pdf, ("B", 11), 20, y, 28, 6, it.number)
        if it.dnr:
            cell_at(pdf, ("", 7.5), 20, y + 6, 28, 4, it.dnr)
        pdf.set_xy(50, y)
        pdf.set_font("F", "B", 11)
        pdf.multi_cell(140, 6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(max(pdf.get_y(), y + (11 if it.dnr else 6)))
        write_blocks(pdf, blocks(it, desc_h="Ärendebeskrivning", forslag_h="Kommunstyrelsens förslag till beslut",
                                 beslut_h="Kommunfullmäktiges beslut", order=ALL_SECTIONS), 50, 140, size=9.5,
                     lh=4.8)
    pdf.add_page()
    line_in(pdf, ("B", 12), 170, 7, f"Bilaga 1 till protokoll {m.body} {m.date}")
    line_in(pdf, ("B", 10.5), 170, 6, "Närvaro- och omröstningslista § 35")
    pdf.ln(2)
    voters = (("Joakim Storck", "C", "Ja"), ("Christina Haggren", "S", "Ja"), ("Kjell Forsberg", "S", "Ja"),
              ("Annika Wall", "M", "Ja"), ("Mats Eklund", "SD", "Nej"), ("Anna Lindqvist", "V", "Ja"),
              ("Ulrika Hedin", "KD", "Ja"), ("Erik Kjellberg", "L", "Ja"), ("Jonas Frid", "C", "Ja"),
              ("Birgitta Sahlén", "SD", "Nej"), ("Lars Isacsson", "S", "Ja"), ("Elin Grahn", "S", "Ja"))
    h5.grid(pdf, (("Ledamot", 64), ("Parti", 16), ("Närvarande", 26), ("Ja", 14), ("Nej", 14)),
            [(name, party, "X", "X" if vote == "Ja" else "", "X" if vote == "Nej" else "")
             for name, party, vote in voters])
    pdf.ln(3)
    pdf.set_font("F", "", 9)
    pdf.multi_cell(170, 4.8, "Förkortad lista. Summa vid omröstningen: 48 ja, 13 nej, 0 avstår, 0 frånvarande.",
                   align="L", new_x="LMARGIN", new_y="NEXT")
    return pdf


@renders(PDF_RENDERERS, "heldout6-sekretess")
def render_sekretess(m: Meeting, pages: dict):
    """A socialnämnd protocol whose paragraph numbers continue from the previous meeting (§ 87): the number
    on a line of its own, the bold title and 'Dnr SN-2025-00045' below; items whose text is withheld
    ('Sekretess enligt 26 kap. 1 § …'), several items to a page; signature boxes at the foot right."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 12), 20, 10, 80, 6, f["org"])
        cell_at(pdf, ("", 10), 20, 16, 80, 5, m.body)
        right_block(pdf, [(("B", 9.5), "SAMMANTRÄDESPROTOKOLL"), (("", 9), f"Sammanträdesdatum {m.date}"),
                          (None, f"Sida {pdf.page_no()} av {{nb}}")])
        pdf.set_draw_color(0)
        pdf.line(20, 26, 190, 26)
        pdf.set_xy(20, 32)

    pdf = new_pdf(m, "liberation-sans", header, h.box_footer, top=32, bottom=28)
    rows = h4.front_rows(m) + [sekretess_row(f"§§ 92–95 innehåller uppgifter som omfattas av sekretess och "
                                             f"redovisas i ett särskilt protokoll.")]
    front_page(pdf, m, [(("B", 15), m.body)], rows)
    for it in m.items:
        start_item(pdf, it, 34)
        pdf.ln(6)
        line_in(pdf, ("B", 11), 170, 6, it.number)
        pdf.set_font("F", "B", 12)
        pdf.multi_cell(170, 6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        if it.dnr:
            line_in(pdf, ("", 9), 170, 5, f"Dnr {it.dnr}")
        write_blocks(pdf, blocks(it, desc_h="Ärendet" if it.dnr else None, beslut_h="Socialnämndens beslut",
                                 order=ALL_SECTIONS), 20, 170, size=10, lh=5)
    return pdf


@renders(PDF_RENDERERS, "heldout6-mhn")
def render_mhn(m: Meeting, pages: dict):
    """A miljö- och hälsoskyddsnämnd protocol: '§ 22' at the left and 'Dnr MHN 2025-000041' at the right, the
    title below; information items without case numbers (two titled just 'Information') between numbered
    cases; the header date written out ('den 3 mars 2025'), items flowing."""
    f = m.front
    header = h5.two_row_header((f["org"], m.body), ("PROTOKOLL", f"den {sv_date_long(m.date)}"),
                               page_fmt="{n} ({nb})", top=32, rule=25)
    pdf = new_pdf(m, "liberation-sans", header,
                  lambda p: h.box_footer(p, labels=("Justerare", "Utdragsbestyrkande")), top=32, bottom=28)
    front_page(pdf, m, [(("B", 15), m.body), (("", 10.5), f"Sammanträde {m.date}")], h4.front_rows(m))
    for it in m.items:
        start_item(pdf, it, 36)
        pdf.ln(5)
        h.stacked_heading(pdf, pdf.get_y(), it.number, 30, it.dnr, it.title, 7, 12)
        write_blocks(pdf, blocks(it, desc_h="Ärendet", beslut_h="Miljö- och hälsoskyddsnämndens beslut",
                                 order=ALL_SECTIONS), 20, 170, size=10, lh=5)
    return pdf


@renders(PDF_RENDERERS, "heldout6-bun")
def render_bun(m: Meeting, pages: dict):
    """A barn- och utbildningsnämnd protocol numbered 'Ärende 5' instead of '§': the label in the margin, the
    bold title beside it, 'Dnr BUN-2025-00021' under the title, sections indented; 'Ärenden 1–8' in the front
    matter."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 11), 20, 10, 90, 5, f["org"])
        cell_at(pdf, ("", 9.5), 20, 15.5, 90, 5, m.body)
        right_block(pdf, [(("B", 10), "PROTOKOLL"), (("", 9.5), m.date),
                          (("", 8.5), f"Sida {pdf.page_no()} ({{nb}})")], y=10, lh=5.5)
        pdf.set_draw_color(120)
        pdf.line(20, 28, 190, 28)
        pdf.set_xy(20, 34)

    def footer(pdf):
        cell_at(pdf, ("", 8), 20, pdf.h - 16, 170, 4, "Justerandes signatur ……………………        "
                "Utdragsbestyrkande ……………………", align="C")

    pdf = new_pdf(m, "dejavu-sans", header, footer, top=34, bottom=24)
    rows = h4.front_rows(m, paragrafer=False) + [("Ärenden", f["paragrafer"])]
    front_page(pdf, m, [(("B", 15), "Protokoll"),
                        (("", 10.5), f"fört vid sammanträde med {m.body.lower()} {sv_weekday(m.date)}en den "
                                     f"{sv_date_long(m.date)}")], rows, paragrafer=False)
    for it in m.items:
        start_item(pdf, it, 34)
        pdf.ln(5)
        h.inline_heading(pdf, pdf.get_y(), shown(it), it.title, it.dnr and f"Dnr {it.dnr}", 50, 9)
        pdf.ln(1)
        write_blocks(pdf, blocks(it, desc_h="Sammanfattning", beslut_h="Barn- och utbildningsnämndens beslut",
                                 order=ALL_SECTIONS), 50, 140, size=9.5, lh=4.8)
    return pdf


@renders(PDF_RENDERERS, "heldout6-ofn")
def render_ofn(m: Meeting, pages: dict):
    """A gemensam nämnd (överförmyndare for three municipalities) on the host municipality's letterhead:
    '§ 32   Title' bold on one line, 'Diarienummer ÖFN 2025/14' below; two items withheld for sekretess."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 11), 20, 10, 100, 5, f["org"])
        cell_at(pdf, ("", 9.5), 20, 15.5, 100, 5, m.body)
        cell_at(pdf, ("", 8), 20, 20.5, 100, 4, "för Marks, Svenljunga och Tranemo kommuner")
        right_block(pdf, [(("B", 10), "PROTOKOLL"), (("", 9), f"Sammanträdesdatum {m.date}"),
                          (("", 9), f"Sida {pdf.page_no()} av {{nb}}")], x=120, w=70)
        pdf.set_draw_color(0)
        pdf.line(20, 27, 190, 27)
        pdf.set_xy(20, 33)

    pdf = new_pdf(m, "liberation-sans", header, h5.sign_footer(boxes=2), top=33, bottom=28)
    rows = h4.front_rows(m) + [sekretess_row("§§ 34–35 redovisas i särskilda protokoll enligt 32 kap. 4 § OSL.")]
    front_page(pdf, m, [(("B", 15), f"{m.body}s protokoll")], rows)
    for it in m.items:
        start_item(pdf, it, 34)
        pdf.ln(6)
        pdf.set_font("F", "B", 12)
        pdf.multi_cell(170, 6, f"{it.number}   {it.title}", align="L", new_x="LMARGIN", new_y="NEXT")
        if it.dnr:
            line_in(pdf, ("", 9), 170, 5, f"Diarienummer {it.dnr}")
        write_blocks(pdf, blocks(it, desc_h="Ärendebeskrivning" if it.dnr else None,
                                 beslut_h="Överförmyndarnämndens beslut", order=ALL_SECTIONS), 20, 170, size=10,
                     lh=5)
    return pdf


@renders(PDF_RENDERERS, "heldout6-cover")
def render_cover(m: Meeting, pages: dict):
    """A protocol with a cover page (no running header) and an 'Innehållsförteckning' with dotted leaders and
    page numbers, then front matter; every item on a new page, 'KFN § 3' at the left and 'Dnr KFN 2025/11'
    at the right over the title."""
    f = m.front

    def header(pdf):
        if pdf.page_no() == 1:
            pdf.set_xy(20, 20)
            return
        cell_at(pdf, ("B", 11), 20, 10, 90, 5, f["org"])
        cell_at(pdf, ("", 9.5), 20, 15.5, 90, 5, m.body)
        right_block(pdf, [(("", 9.5), f"Protokoll {m.date}"), (("", 8.5), f"Sida {pdf.page_no()} av {{nb}}")],
                    x=120, w=70)
        pdf.set_xy(20, 32)

    def footer(pdf):
        if pdf.page_no() > 1:
            h.box_footer(pdf)

    pdf = new_pdf(m, "liberation-sans", header, footer, top=32, bottom=28)
    pdf.add_page()
    line_in(pdf, ("B", 18), 170, 10, f["org"])
    pdf.set_y(95)
    line_in(pdf, ("B", 30), 170, 16, "PROTOKOLL", align="C")
    line_in(pdf, ("", 18), 170, 11, m.body, align="C")
    line_in(pdf, ("", 13), 170, 9, f"Sammanträdesdatum {m.date}", align="C")
    pdf.set_y(230)
    line_in(pdf, ("", 9.5), 170, 5, f"Paragrafer §§ {f['paragrafer']}")
    line_in(pdf, ("", 9.5), 170, 5, f"Justerat {f['justering'].split()[-1]}")
    pdf.add_page()
    h.agenda_table(pdf, m, pages, 20, 170, title="Innehållsförteckning", dotted=True, with_dnr=False,
                   prefix="KFN")
    front_page(pdf, m, [(("B", 14), "Sammanträdesuppgifter")], h4.front_rows(m))
    for k, it in enumerate(m.items):
        if k:
            pdf.add_page()
        pdf.item_pages[it.number] = pdf.page_no()
        pdf.ln(6)
        h.stacked_heading(pdf, pdf.get_y(), shown(it), 30, it.dnr, it.title, 8, 13)
        write_blocks(pdf, blocks(it, desc_h="Ärendebeskrivning", beslut_h="Kultur- och fritidsnämndens beslut",
                                 order=ALL_SECTIONS), 20, 170, size=10, lh=5)
    return pdf


@renders(PDF_RENDERERS, "heldout6-sbn")
def render_sbn(m: Meeting, pages: dict):
    """A samhällsbyggnadsnämnd protocol (condensed sans): the bold title at the left and the paragraph
    number right-aligned on the title's first line, 'Dnr SBN 2024-001842' and the address below; the
    decision first; several items to a page."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("", 8), 170, 6, 20, 4, f"{pdf.page_no()}({{nb}})", align="R")
        cell_at(pdf, ("B", 15), 20, 11, 70, 7, f["org"])
        right_block(pdf, [(("B", 10), "PROTOKOLL"), (("", 9.5), m.body), (("", 9), f"Sammanträdesdatum {m.date}")],
                    y=11, x=110)
        pdf.set_draw_color(0)
        pdf.line(20, 28, 190, 28)
        pdf.set_xy(20, 34)

    pdf = new_pdf(m, "dejavu-condensed", header,
                  h5.sign_footer(("Justerandes signatur", "Utdragsbestyrkande"), boxes=2), top=34, bottom=28)
    front_page(pdf, m, [(("B", 15), m.body)], h4.front_rows(m))
    for it in m.items:
        start_item(pdf, it, 36)
        pdf.ln(6)
        y = pdf.get_y()
        cell_at(pdf, ("B", 11.5), 160, y, 30, 6, it.number, align="R")
        pdf.set_xy(20, y)
        pdf.multi_cell(135, 6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        for line in ([f"Dnr {it.dnr}"] if it.dnr else []) + it.extra_lines:
            line_in(pdf, ("", 9), 170, 4.8, line)
        write_blocks(pdf, blocks(it, desc_h="Ärendet", beslut_h="Samhällsbyggnadsnämndens beslut",
                                 order="beslut desc yrkanden proposition skickas"), 20, 170, size=9.5, lh=4.8)
    return pdf


# --------------------------------------------------------------------------------------
# Word and text
# --------------------------------------------------------------------------------------


def render_kprdocx(m: Meeting, path: Path) -> None:
    """A pensionärsråd protocol in Word: the date as 'måndagen den 3 mars 2025', participants one to a
    paragraph, items as bold 12 pt Normal paragraphs '§ 9 Mötets öppnande' (no heading style), paragraph
    numbers running through the year; signatures at the end."""
    from docx.shared import Pt

    f = m.front
    doc = new_docx(m, "Arial", 11)
    doc.sections[0].header.paragraphs[0].text = f"{f['org']}\t\tProtokoll {m.date}"

    def bold(text: str, size: float) -> None:
        r = doc.add_paragraph().add_run(text)
        r.bold = True
        r.font.size = Pt(size)

    bold(f"{m.body} (KPR)", 16)
    doc.add_paragraph(f"Protokoll från sammanträde {sv_weekday(m.date)}en den {sv_date_long(m.date)}")
    doc.add_paragraph(f"Tid och plats: {f['plats']}")
    bold("Närvarande", 11)
    for name in f["narvarande"]:
        doc.add_paragraph(name)
    doc.add_paragraph()
    for it in m.items:
        bold(f"{it.number} {it.title}", 12)
        for line in it.desc:
            doc.add_paragraph(line)
    doc.add_paragraph()
    doc.add_paragraph(f"Vid protokollet\n\n……………………………\n{f['sekreterare']}")
    doc.add_paragraph(f"Justeras\n\n……………………………\t……………………………\n{f['ordforande']}\t{f['justerande']}")
    doc.save(str(path))
    h3.stable_zip(path)


def render_estdocx(m: Meeting, path: Path) -> None:
    """EST notes in Word whose items are the rows of a 'Punkt | Ämne | Ansvarig' table: the number in the
    first cell, the bold title and its notes as paragraphs in the second, a name in the third."""
    from docx.shared import Cm

    f = m.front
    doc = new_docx(m, "Calibri", 11)
    doc.sections[0].header.paragraphs[0].text = f"{f['org']}\tMinnesanteckningar"
    doc.add_paragraph(f"Minnesanteckningar {m.body} i {m.municipality}", style="Title")
    doc.add_paragraph(f"Datum: {sv_weekday(m.date)} {sv_date_long(m.date)}, kl. 08.30–10.00")
    doc.add_paragraph(f"Plats: {f['plats']}")
    doc.add_paragraph(f"Deltagare: {f['deltagare']}")
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    widths = (Cm(1.6), Cm(11.4), Cm(3.5))
    for cell, text, width in zip(table.rows[0].cells, ("Punkt", "Ämne", "Ansvarig"), widths):
        cell.paragraphs[0].add_run(text).bold = True
        cell.width = width
    for it in m.items:
        cells = table.add_row().cells
        for cell, width in zip(cells, widths):
            cell.width = width
        cells[0].text = it.number
        cells[1].paragraphs[0].add_run(it.title).bold = True
        for line in it.desc:
            cells[1].add_paragraph(line)
        cells[2].text = ", ".join(it.extra_lines)
    doc.add_paragraph()
    doc.add_paragraph(f"Antecknat av {f['sekreterare']}")
    doc.save(str(path))
    h3.stable_zip(path)


def render_bratxt(m: Meeting) -> str:
    """BRÅ notes as plain text: 'Punkt 3: Title' headings, the date as 'onsdagen den 12 mars 2025',
    participants one to a line, dash bullets."""
    f = m.front
    out = [f["org"], f"{m.body} (BRÅ)", "Minnesanteckningar", "",
           f"Datum: {sv_weekday(m.date)}en den {sv_date_long(m.date)}", f"Tid: {f['tid']}", f"Plats: {f['plats']}", "",
           "Närvarande:"] + f["narvarande"] + ["", ""]
    for it in m.items:
        out.append(f"Punkt {it.number}: {it.title}")
        out += it.desc
        out.append("")
    out += ["", f"Vid anteckningarna: {f['sekreterare']}"]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------
# Gold labels and main
# --------------------------------------------------------------------------------------


gold_for = h.set_gold_for("heldout6")


TEXT_RENDERERS = {"heldout6-bratxt": render_bratxt}
DOCX_RENDERERS = {"heldout6-kprdocx": render_kprdocx, "heldout6-estdocx": render_estdocx}


def write_doc(m: Meeting, path: Path) -> None:
    """Word documents are saved by their renderer; plain text is written as UTF-8."""
    if m.family in TEXT_RENDERERS:
        path.write_bytes(TEXT_RENDERERS[m.family](m).encode("utf-8"))
        return
    DOCX_RENDERERS[m.family](m, path)


def main() -> None:
    h.write_set(MEETINGS, write_doc, gold_for, DOCS, GOLD, ROOT, PDF_RENDERERS)


if __name__ == "__main__":
    main()
