"""Write the seventh held-out structure set: a KS protocol from a Lex-like system, a kommunfullmäktige with
avsägelser and val, a nämnd with the case number at the right of the bold heading line, a KS arbetsutskott, a
valnämnd, a regionstyrelse, a kallelse with its föredragningslista, and council notes (Word, plain text,
Markdown).

Run ``python tests/tools/make_heldout7.py`` to regenerate ``tests/data/heldout7/docs/`` (PDF, DOCX, TXT, MD)
and their gold labels in ``tests/data/heldout7/gold/``. The content lives in
``tests/tools/data/heldout7_meetings.yaml``; the records, PDF machinery, two of the templates (Lex-like and
W3D3-like, reused as they are), section blocks, front matter, headers, footers, the stable zip and the set
writer are imported from ``make_heldout.py`` … ``make_heldout6.py``. The set aims to be representative of what
Swedish municipalities publish, mostly in shapes the earlier sets used, in municipalities none of them used.
Each label comes from the same record its document is rendered from; none was made by running the reader, and
the author of this file did not read the reader's code (see ``tests/data/heldout7/README.md``).

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
import make_heldout6 as h6  # noqa: E402
from make_heldout import (  # noqa: E402
    Meeting, cell_at, line_in, new_docx, new_pdf, renders, start_item, sv_date_long, sv_weekday,
    write_blocks,
)

CONTENT = Path(__file__).resolve().parent / "data" / "heldout7_meetings.yaml"
blocks, shown, ALL_SECTIONS = h4.blocks, h4.shown, h5.ALL_SECTIONS
MEETINGS: list[Meeting] = h4.load_meetings(CONTENT)
# Two earlier templates are common enough to meet again as they are: the Lex-like KS protocol (number and
# 'Dnr' in the left margin, the text column at 60 mm) and the W3D3-like nämnd ('§ 6   Dnr VN 2024/14' bold
# on one line, the title below).
PDF_RENDERERS: dict = {"heldout7-kslex": h.render_lex, "heldout7-valnamnd": h.render_w3d3}


# --------------------------------------------------------------------------------------
# PDF families
# --------------------------------------------------------------------------------------


@renders(PDF_RENDERERS, "heldout7-kfval")
def render_kfval(m: Meeting, pages: dict):
    """A kommunfullmäktige protocol (serif): two-row header, '§ 23' in the margin with the bold title beside
    it and 'Dnr KS 2025/0087' under the title; annual report, reglemente, motion, then avsägelser, val and the
    Länsstyrelse's new count; the attendance list (Bilaga 1) after the items."""
    f = m.front
    header = h5.two_row_header((f["org"], m.body), ("PROTOKOLL", f"Sammanträdesdatum {m.date}"),
                               page_fmt="Sida {n} av {nb}", top=32, rule=25)
    pdf = new_pdf(m, "liberation-serif", header, h5.sign_footer(("Justerandes sign", "Utdragsbestyrkande")),
                  top=32, bottom=28)
    h6.front_page(pdf, m, [(("B", 16), "Protokoll"),
                           (("", 10.5), f"{m.body}s sammanträde {sv_weekday(m.date)}en den {sv_date_long(m.date)}")],
                  h4.front_rows(m))
    for it in m.items:
        start_item(pdf, it, 32)
        pdf.ln(5)
        pdf.set_font("F", "B", 12)
        h.inline_heading(pdf, pdf.get_y(), it.number, it.title, it.dnr and f"Dnr {it.dnr}", 42, 9)
        pdf.ln(1)
        write_blocks(pdf, blocks(it, desc_h="Ärendebeskrivning", forslag_h="Kommunstyrelsens förslag",
                                 beslut_h="Kommunfullmäktiges beslut", order=ALL_SECTIONS), 42, 148, size=10.5,
                     lh=5.2)
    pdf.add_page()
    line_in(pdf, ("B", 12), 170, 7, f"Bilaga 1, {m.body} {m.date}")
    line_in(pdf, ("B", 10.5), 170, 6, "Närvaro- och omröstningslista")
    pdf.ln(2)
    members = (("Lars Frisk", "KD"), ("Bo Sunesson", "M"), ("Linda Stenberg", "S"), ("Anders Karlsson", "SD"),
               ("Henrik Ask", "M"), ("Göran Lindahl", "KD"), ("Sara Holm", "S"), ("Rickard Öberg", "M"),
               ("Emma Wiik", "V"), ("Olof Brink", "C"))
    h5.grid(pdf, (("Ledamot", 64), ("Parti", 16), ("Närvarande", 26), ("Anmärkning", 50)),
            [(name, party, "X", "") for name, party in members])
    pdf.ln(3)
    pdf.set_font("F", "", 9.5)
    pdf.multi_cell(170, 5, "Förkortad lista. Vid sammanträdet var 49 av 51 ledamöter närvarande.", align="L",
                   new_x="LMARGIN", new_y="NEXT")
    return pdf


@renders(PDF_RENDERERS, "heldout7-tnright")
def render_tnright(m: Meeting, pages: dict):
    """A nämnd protocol whose heading line holds '§ 15 Title' in bold at the left and the case number
    'TN 2025/00012' in plain type at the right (a long title wraps in its column under the number's line);
    the text in full width below; signature boxes at the foot."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 14), 20, 11, 90, 7, f["org"])
        h6.right_block(pdf, [(("B", 10), "SAMMANTRÄDESPROTOKOLL"), (("", 9.5), m.body),
                             (("", 9.5), f"Sammanträdesdatum {m.date}"),
                             (("", 8.5), f"Sida {pdf.page_no()} ({{nb}})")], y=9, lh=4.6)
        pdf.set_draw_color(0)
        pdf.line(20, 29, 190, 29)
        pdf.set_xy(20, 35)

    pdf = new_pdf(m, "liberation-sans", header, h.box_footer, top=35, bottom=28)
    h6.front_page(pdf, m, [(("B", 15), m.body)], h4.front_rows(m))
    for it in m.items:
        start_item(pdf, it, 36)
        pdf.ln(6)
        y = pdf.get_y()
        if it.dnr:
            cell_at(pdf, ("", 9.5), 150, y, 40, 6, it.dnr, align="R")
        pdf.set_xy(20, y)
        pdf.set_font("F", "B", 12)
        pdf.multi_cell(126, 6, f"{it.number} {it.title}", align="L", new_x="LMARGIN", new_y="NEXT")
        write_blocks(pdf, blocks(it, desc_h="Sammanfattning", beslut_h="Tekniska nämndens beslut",
                                 order=ALL_SECTIONS), 20, 170, size=10, lh=5)
    return pdf


@renders(PDF_RENDERERS, "heldout7-ksau")
def render_ksau(m: Meeting, pages: dict):
    """A KS arbetsutskott protocol: two-row header, 'KSAU § 41' at the left and 'Dnr KS 2025/112' at the right,
    the bold title below; several items to a page; signature boxes with the labels in the foot."""
    f = m.front
    header = h5.two_row_header((f["org"], m.body), ("PROTOKOLL", f"Sammanträdesdatum {m.date}"))
    pdf = new_pdf(m, "dejavu-sans", header, h5.sign_footer(boxes=2), top=30, bottom=28)
    h6.front_page(pdf, m, [(("B", 15), m.body)], h4.front_rows(m, justerare="Justerare"), anslag=False)
    for it in m.items:
        start_item(pdf, it, 36)
        pdf.ln(5)
        h.stacked_heading(pdf, pdf.get_y(), shown(it), 40, it.dnr, it.title, 7, 11.5)
        write_blocks(pdf, blocks(it, desc_h="Ärendebeskrivning", beslut_h="Arbetsutskottets beslut",
                                 order=ALL_SECTIONS), 20, 170, size=9.5, lh=4.8)
    return pdf


@renders(PDF_RENDERERS, "heldout7-region")
def render_region(m: Meeting, pages: dict):
    """A regionstyrelse protocol: the region's name, the board and 'Protokoll' at the left, date and 'Sida 2 av
    6' at the right; '§ 112' at the left margin with the bold title beside it and 'Diarienummer RV250312'
    under the title, sections indented; a text footer with the signature labels and the region's address."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 13), 20, 10, 100, 6, f["org"])
        cell_at(pdf, ("", 10), 20, 16.5, 100, 5, f"{m.body} – Protokoll")
        h6.right_block(pdf, [(("", 9), m.date), (("", 9), f"Sida {pdf.page_no()} av {{nb}}")], y=11, x=130, w=60)
        pdf.set_draw_color(120)
        pdf.line(20, 25, 190, 25)
        pdf.set_xy(20, 31)

    def footer(pdf):
        y = pdf.h - 19
        cell_at(pdf, ("", 8), 20, y, 85, 4, "Justerandes sign ____________")
        pdf.cell(85, 4, "Utdragsbestyrkande ____________", align="R")
        cell_at(pdf, ("", 7), 20, y + 6, 170, 3.5, "Region Västmanland · 721 89 Västerås · Växel 021-17 30 00 · "
                "regionvastmanland.se", align="C")

    pdf = new_pdf(m, "dejavu-sans", header, footer, top=31, bottom=25)
    h6.front_page(pdf, m, [(("B", 15), "Protokoll"),
                           (("", 10.5), f"{m.body}s sammanträde {sv_weekday(m.date)}en den {sv_date_long(m.date)}")],
                  h4.front_rows(m), anslag=False)
    for it in m.items:
        start_item(pdf, it, 36)
        pdf.ln(4)
        pdf.set_font("F", "B", 11)
        h.inline_heading(pdf, pdf.get_y(), it.number, it.title, it.dnr and f"Diarienummer {it.dnr}", 40, 8.5)
        pdf.ln(1)
        write_blocks(pdf, blocks(it, desc_h="Sammanfattning", beslut_h="Regionstyrelsens beslut",
                                 order=ALL_SECTIONS), 40, 150, size=9.5, lh=4.8)
    return pdf


@renders(PDF_RENDERERS, "heldout7-kallelse")
def render_kallelse(m: Meeting, pages: dict):
    """A kallelse to a nämnd with its föredragningslista as a table (number, title, dnr) and a notice
    paragraph; the document is dated nine days before the meeting; the meeting date written out."""
    f = m.front
    header = h5.two_row_header((f["org"], m.body), ("KALLELSE", f"Datum {f['utskick']}"), page_fmt="{n} ({nb})")

    def footer(pdf):
        cell_at(pdf, ("", 7.5), 20, pdf.h - 15, 170, 4, "Flens kommun · 642 81 Flen · Besöksadress Drottninggatan 2 "
                "· 0157-43 00 00 · flen.se", align="C")

    pdf = new_pdf(m, "liberation-sans", header, footer, top=30, bottom=22)
    pdf.add_page()
    line_in(pdf, ("B", 15), 170, 8, f"Kallelse till {m.body.lower()}")
    pdf.ln(2)
    h.label_rows(pdf, [("Tid", f"{sv_weekday(m.date).capitalize()}en den {sv_date_long(m.date)} {f['tid']}"),
                       ("Plats", f["plats"])], 20, 30, 170, size=10)
    pdf.set_font("F", "", 10)
    pdf.multi_cell(170, 5, "Ledamot som är förhindrad att delta meddelar detta till nämndsekreteraren och kallar "
                   "själv in sin ersättare. Handlingarna publiceras i Netpublicator.", align="L",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    h.agenda_table(pdf, m, pages, 20, 170, title="Föredragningslista")
    pdf.ln(10)
    line_in(pdf, ("", 10.5), 170, 5.5, f"{f['ordforande']}, ordförande")
    line_in(pdf, ("", 10.5), 170, 5.5, f"{f['sekreterare']}, nämndsekreterare")
    return pdf


# --------------------------------------------------------------------------------------
# Word, text and Markdown
# --------------------------------------------------------------------------------------


def render_trygghetdocx(m: Meeting, path: Path) -> None:
    """Trygghetsråd notes in Word: a bold title, date and place lines, participants in one paragraph, items as
    Heading 2 paragraphs whose number is typed ('1. Mötets öppnande'), notes as Normal paragraphs."""
    from docx.shared import Pt

    f = m.front
    doc = new_docx(m, "Calibri", 11)
    doc.sections[0].header.paragraphs[0].text = f"{f['org']}\t\tMinnesanteckningar"
    r = doc.add_paragraph().add_run(f"Minnesanteckningar {m.body}")
    r.bold = True
    r.font.size = Pt(16)
    doc.add_paragraph(f"Datum: {m.date}")
    doc.add_paragraph(f"Plats och tid: {f['plats']}")
    doc.add_paragraph(f"Närvarande: {f['narvarande']}")
    for it in m.items:
        doc.add_paragraph(f"{it.number}. {it.title}", style="Heading 2")
        for line in it.desc:
            doc.add_paragraph(line)
    doc.add_paragraph()
    doc.add_paragraph(f"Vid anteckningarna\n{f['sekreterare']}")
    doc.save(str(path))
    h3.stable_zip(path)


def render_fhrtxt(m: Meeting) -> str:
    """Folkhälsoråd notes as plain text (UTF-8, LF): '1. Title' lines, the date as 'tisdagen den 18 mars 2025',
    participants one to a line."""
    f = m.front
    out = [f["org"], f"{m.body} – minnesanteckningar", "",
           f"Datum: {sv_weekday(m.date)}en den {sv_date_long(m.date)}, {f['tid']}", f"Plats: {f['plats']}", "",
           "Närvarande:"] + f["narvarande"] + [""]
    for it in m.items:
        out += [f"{it.number}. {it.title}"] + it.desc + [""]
    out += [f"Antecknat av {f['sekreterare']}"]
    return "\n".join(out) + "\n"


def render_estmd(m: Meeting) -> str:
    """EST notes in Markdown: a '#' title, bold label lines, items as '## 1. Title' headings."""
    f = m.front
    out = [f"# {m.body} {m.municipality} – minnesanteckningar", "",
           f"**Datum:** {sv_weekday(m.date)} {sv_date_long(m.date)}, {f['tid']}  ", f"**Plats:** {f['plats']}  ",
           f"**Deltagare:** {f['deltagare']}", "", "*Anteckningarna innehåller inga uppgifter om enskilda.*", ""]
    for it in m.items:
        out += [f"## {it.number}. {it.title}", ""]
        for line in it.desc:
            out += [line, ""]
    out += ["---", "", f"Antecknat av {f['sekreterare']}", ""]
    return "\n".join(out)


# --------------------------------------------------------------------------------------
# Gold labels and main
# --------------------------------------------------------------------------------------


TEXT_RENDERERS = {"heldout7-fhrtxt": render_fhrtxt, "heldout7-estmd": render_estmd}


def main() -> None:
    h.write_set_main("heldout7", MEETINGS, TEXT_RENDERERS, render_trygghetdocx, PDF_RENDERERS)


if __name__ == "__main__":
    main()
