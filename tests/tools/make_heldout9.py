"""Write the ninth held-out structure set: a kommunstyrelse whose case number stands above the item heading, a
kommunfullmäktige with slash-colon case numbers under the titles, a samhällsbyggnadsnämnd with number and case
number in the margin, an överförmyndarnämnd and a kultur- och fritidsnämnd in two templates of set 1 as they
are, a KS personalutskott with the case number in a right-hand column, a räddningstjänst förbund's direktion,
a kallelse whose föredragningslista is a ruled table, and council notes (plain text, Word, Markdown).

Run ``python tests/tools/make_heldout9.py`` to regenerate ``tests/data/heldout9/docs/`` (PDF, DOCX, TXT, MD)
and their gold labels in ``tests/data/heldout9/gold/``. The content lives in
``tests/tools/data/heldout9_meetings.yaml``; the records, PDF machinery, the Ciceron-like and W3D3-like
templates, section blocks, front rows and front page, headers, footers, Word setup, the stable zip and the set
writer are imported from ``make_heldout.py`` … ``make_heldout8.py``. Like sets 7 and 8 the set aims to be
representative of what Swedish municipalities publish, mostly in common shapes, in municipalities none of the
earlier sets used. Each label comes from the same record its document is rendered from; none was made by
running the reader, and the author of this file did not read the reader's code (see
``tests/data/heldout9/README.md``).

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
import make_heldout8 as h8  # noqa: E402
from make_heldout import (  # noqa: E402
    Meeting, cell_at, label_rows, line_in, need, new_docx, new_pdf, renders, start_item, sv_date_long,
    sv_weekday, write_blocks,
)

CONTENT = Path(__file__).resolve().parent / "data" / "heldout9_meetings.yaml"
blocks, ALL_SECTIONS = h4.blocks, h5.ALL_SECTIONS
MEETINGS: list[Meeting] = h8.load_meetings(CONTENT)
# Two templates of set 1 are common enough to meet again as they are: the Ciceron-like one ('§ 42' and
# 'Dnr KFN 2025/0021' at the right on one line, the title below, an Ärendelista page) and the W3D3-like one
# ('§ 24   Dnr ÖFN 2025/41' bold on one line, the title below).
PDF_RENDERERS: dict = {"heldout9-ciceron": h.render_ciceron, "heldout9-w3d3": h.render_w3d3}


def text_footer(text: str):
    """A one-line text footer ('Justerandes sign …') near the foot of every page."""
    def footer(pdf):
        cell_at(pdf, ("", 8.5), 20, pdf.h - 18, 170, 4, text)
    return footer


# --------------------------------------------------------------------------------------
# PDF families
# --------------------------------------------------------------------------------------


@renders(PDF_RENDERERS, "heldout9-dnrabove")
def render_dnrabove(m: Meeting, pages: dict):
    """A KS protocol (serif) whose case number 'Dnr KS 2025/00312' stands right-aligned in small type on a line
    of its own above the item heading; the heading '§ 146' bold at the left with the bold title hanging beside
    it; several items to a page, long ones running on; a foot rule with signature boxes."""
    f = m.front
    header = h5.two_row_header((f["org"], m.body), ("PROTOKOLL", f"Sammanträdesdatum {m.date}"),
                               page_fmt="Sida {n} av {nb}")
    pdf = new_pdf(m, "liberation-serif", header, h5.sign_footer(), top=30, bottom=28)
    h6.front_page(pdf, m, [(("B", 16), m.body), (("", 10.5), f"Sammanträdesdatum {sv_date_long(m.date)}")],
                  h4.front_rows(m))
    for it in m.items:
        start_item(pdf, it, 44)
        pdf.ln(5)
        if it.dnr:
            line_in(pdf, ("", 8.5), 170, 4.5, f"Dnr {it.dnr}", align="R")
        y = pdf.get_y()
        cell_at(pdf, ("B", 12), 20, y, 20, 6, it.number)
        pdf.set_xy(40, y)
        pdf.multi_cell(150, 6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        write_blocks(pdf, blocks(it, beslut_h="Kommunstyrelsens beslut", order=ALL_SECTIONS), 40, 150,
                     size=10.5, lh=5.2)
    return pdf


@renders(PDF_RENDERERS, "heldout9-kfslash")
def render_kfslash(m: Meeting, pages: dict):
    """A kommunfullmäktige protocol (serif): '§ 113' at the margin, the bold title beside it and the bare case
    number 'KS/2025:318' (register, slash, year, colon) under the title; Beslutande 'Se bifogad närvaro- och
    omröstningslista'; a text footer with 'Justerandes sign' and 'Utdragsbestyrkande'."""
    f = m.front
    header = h5.two_row_header((f["org"], m.body), ("PROTOKOLL", f"Sammanträdesdatum {m.date}"),
                               page_fmt="{n} ({nb})")
    pdf = new_pdf(m, "dejavu-serif", header, text_footer(
        "Justerandes sign  ……………  ……………                    Utdragsbestyrkande  ……………"), top=30, bottom=26)
    h6.front_page(pdf, m, [(("B", 16), m.body),
                           (("", 10.5), f"Sammanträde {sv_weekday(m.date)}en den {sv_date_long(m.date)}")],
                  h4.front_rows(m))
    for it in m.items:
        start_item(pdf, it, 42)
        pdf.ln(5)
        pdf.set_font("F", "B", 11.5)
        h.inline_heading(pdf, pdf.get_y(), it.number, it.title, it.dnr, 42, 9)
        pdf.ln(1)
        write_blocks(pdf, blocks(it, desc_h="Sammanfattning", beslut_h="Kommunfullmäktiges beslut",
                                 order=ALL_SECTIONS), 42, 148, size=10, lh=5)
    return pdf


@renders(PDF_RENDERERS, "heldout9-sbnmargin")
def render_sbnmargin(m: Meeting, pages: dict):
    """A samhällsbyggnadsnämnd protocol (sans): '§ 113' bold in a margin column with 'Dnr SBN 2025-000412' in
    small type under it, the bold title in the text column at 55 mm, 'Sökande:' lines under the title; the
    date written out in the right-hand header block; signature boxes in the footer."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 13), 20, 11, 90, 6, f["org"])
        cell_at(pdf, ("", 10), 20, 17.5, 90, 5, m.body)
        h6.right_block(pdf, [(("B", 10), "SAMMANTRÄDESPROTOKOLL"), (("", 9.5), sv_date_long(m.date)),
                             (("", 8.5), f"Sida {pdf.page_no()}({{nb}})")], y=10, lh=4.8)
        pdf.set_draw_color(0)
        pdf.line(20, 26, 190, 26)
        pdf.set_xy(20, 32)

    pdf = new_pdf(m, "liberation-sans", header, h.box_footer, top=32, bottom=28)
    h6.front_page(pdf, m, [(("B", 15), m.body), (("", 10), f"Sammanträde {sv_weekday(m.date)} "
                                                           f"{sv_date_long(m.date)}")], h4.front_rows(m))
    for it in m.items:
        start_item(pdf, it, 40)
        pdf.ln(5)
        y = pdf.get_y()
        cell_at(pdf, ("B", 11), 20, y, 32, 5.8, it.number)
        if it.dnr:
            cell_at(pdf, ("", 7.5), 20, y + 6, 34, 4, f"Dnr {it.dnr}")
        pdf.set_xy(55, y)
        pdf.set_font("F", "B", 11.5)
        pdf.multi_cell(135, 5.8, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        for line in it.extra_lines:
            pdf.set_x(55)
            line_in(pdf, ("", 9.5), 135, 5, line)
        pdf.set_y(max(pdf.get_y(), y + 11))
        write_blocks(pdf, blocks(it, desc_h="Ärendet", beslut_h="Samhällsbyggnadsnämndens beslut",
                                 order=ALL_SECTIONS), 55, 135, size=9.5, lh=4.8)
    return pdf


@renders(PDF_RENDERERS, "heldout9-dnrcolumn")
def render_dnrcolumn(m: Meeting, pages: dict):
    """A KS personalutskott protocol (sans): the header date with its weekday ('Tisdag 14 oktober 2025');
    '§ 32' bold at the left, the bold title in a column from 38 to 150 mm and the bare case number
    'KS 2025/00145' in a right-hand column level with the title's first line; the text from 38 mm in full
    width; 'Justerare' / 'Utdragsbestyrkande' text footer; no ANSLAG."""
    f = m.front
    header = h5.two_row_header((f["org"], m.body),
                               ("PROTOKOLL", f"{sv_weekday(m.date).capitalize()} {sv_date_long(m.date)}"),
                               page_fmt="Sida {n} av {nb}")
    pdf = new_pdf(m, "liberation-sans", header, text_footer(
        "Justerare ____________________     Utdragsbestyrkande ____________________"), top=30, bottom=26)
    h6.front_page(pdf, m, [(("B", 15), f"Protokoll – {m.body.lower()}"),
                           (("", 10), f"Sammanträdesdatum {m.date}")],
                  h4.front_rows(m, justerare="Justerare"), anslag=False)
    for it in m.items:
        start_item(pdf, it, 38)
        pdf.ln(5)
        y = pdf.get_y()
        cell_at(pdf, ("B", 11.5), 20, y, 16, 6, it.number)
        if it.dnr:
            cell_at(pdf, ("", 9), 152, y, 38, 6, it.dnr, align="R")
        pdf.set_xy(38, y)
        pdf.set_font("F", "B", 11.5)
        pdf.multi_cell(110, 6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        write_blocks(pdf, blocks(it, desc_h="Ärendebeskrivning", beslut_h="Personalutskottets beslut",
                                 order=ALL_SECTIONS), 38, 152, size=10, lh=5)
    return pdf


@renders(PDF_RENDERERS, "heldout9-forbund")
def render_forbund(m: Meeting, pages: dict):
    """A kommunalförbund's direktion (condensed sans): the förbund's name and 'Direktionen' at the left, the
    date written out and 'Sida 2/4' at the right; '§ 2  Årsredovisning …' bold on one line, the case number
    with its filing-plan code 'Dnr 2025/14-041' under it at the left; 'Direktionens beslut'."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 12), 20, 11, 100, 6, f["org"])
        cell_at(pdf, ("", 10), 20, 17.5, 100, 5, m.body)
        h6.right_block(pdf, [(("B", 10), "PROTOKOLL"), (("", 9.5), sv_date_long(m.date)),
                             (("", 8.5), f"Sida {pdf.page_no()}/{{nb}}")], y=10, lh=4.8)
        pdf.set_draw_color(0)
        pdf.line(20, 27, 190, 27)
        pdf.set_xy(20, 33)

    pdf = new_pdf(m, "dejavu-condensed", header, h.box_footer, top=33, bottom=28)
    h6.front_page(pdf, m, [(("B", 15), f"Protokoll från direktionens sammanträde"),
                           (("", 10), f"{sv_weekday(m.date).capitalize()} {sv_date_long(m.date)}")],
                  h4.front_rows(m))
    for it in m.items:
        start_item(pdf, it, 40)
        pdf.ln(5)
        pdf.set_font("F", "B", 11.5)
        pdf.multi_cell(170, 6, f"{it.number}  {it.title}", align="L", new_x="LMARGIN", new_y="NEXT")
        if it.dnr:
            line_in(pdf, ("", 9), 170, 5, f"Dnr {it.dnr}")
        pdf.ln(1)
        write_blocks(pdf, blocks(it, desc_h="Bakgrund", beslut_h="Direktionens beslut", order=ALL_SECTIONS),
                     20, 170, size=10, lh=5)
    return pdf


def table_rows(pdf, x: float, cols: list[tuple[str, float]], rows: list[list[str]], size: float = 9.5,
               lh: float = 5) -> None:
    """A ruled table whose cells wrap: a bold header row, then each row as tall as its tallest cell."""
    for style, cells in [("B", [c for c, _ in cols])] + [("", r) for r in rows]:
        pdf.set_font("F", style, size)
        heights = [len(pdf.multi_cell(w - 2, lh, text, dry_run=True, output="LINES")) for text, (_, w)
                   in zip(cells, cols)]
        height = max(heights) * lh + 2
        need(pdf, height)
        y = pdf.get_y()
        xx = x
        for text, (_, w) in zip(cells, cols):
            pdf.rect(xx, y, w, height)
            pdf.set_xy(xx + 1, y + 1)
            pdf.multi_cell(w - 2, lh, text, align="L")
            xx += w
        pdf.set_xy(x, y + height)


@renders(PDF_RENDERERS, "heldout9-kallelsetabell")
def render_kallelsetabell(m: Meeting, pages: dict):
    """A kallelse to the gymnasienämnd dated eleven days before the meeting ('2025-11-07' in the header): the
    meeting 'Tisdag 18 november 2025 kl. 13.15', then a 'Föredragningslista' as a ruled table (Nr / Ärende /
    Diarienummer / Föredragande) whose number cells hold bare numbers."""
    f = m.front
    header = h5.two_row_header((f["org"], m.body), ("KALLELSE", f["utskick"]), page_fmt="{n} ({nb})")

    def footer(pdf):
        cell_at(pdf, ("", 7.5), 20, pdf.h - 15, 170, 4, "Nyköpings kommun · 611 83 Nyköping · Stadshuset, "
                "Stora torget · 0155-24 80 00 · nykoping.se", align="C")

    pdf = new_pdf(m, "liberation-sans", header, footer, top=30, bottom=22)
    pdf.add_page()
    line_in(pdf, ("B", 15), 170, 8, "Kallelse till sammanträde")
    pdf.ln(2)
    label_rows(pdf, [("Tid", f"{sv_weekday(m.date).capitalize()} {sv_date_long(m.date)} {f['tid']}"),
                     ("Plats", f["plats"])], 20, 24, 170, size=10)
    pdf.set_font("F", "", 9.5)
    pdf.multi_cell(170, 4.8, "Ledamot som är förhindrad att delta kallar själv sin ersättare. Handlingarna "
                   "publiceras i nämndappen senast en vecka före sammanträdet.", align="L", new_x="LMARGIN",
                   new_y="NEXT")
    pdf.ln(5)
    line_in(pdf, ("B", 12.5), 170, 7, "Föredragningslista")
    pdf.ln(1)
    for it in m.items:
        pdf.item_pages[it.number] = pdf.page_no()
    table_rows(pdf, 20, [("Nr", 10), ("Ärende", 90), ("Diarienummer", 28), ("Föredragande", 42)],
               [[it.number, it.title, it.dnr or "", it.foredragande or ""] for it in m.items])
    pdf.ln(10)
    pdf.set_font("F", "", 10)
    pdf.cell(85, 5.5, f["ordforande"])
    line_in(pdf, ("", 10), 85, 5.5, f["sekreterare"])
    pdf.set_font("F", "I", 9.5)
    pdf.cell(85, 5, "Ordförande")
    line_in(pdf, ("I", 9.5), 85, 5, "Nämndsekreterare")
    return pdf


# --------------------------------------------------------------------------------------
# Text, Word and Markdown
# --------------------------------------------------------------------------------------


def render_bratxt(m: Meeting) -> str:
    """BRÅ notes as plain text (UTF-8, LF): 'Tid: tisdagen den 6 maj 2025, kl. …', participants one per line,
    items as '1) Mötets öppnande' lines with their paragraphs below."""
    f = m.front
    out = [f["org"].upper(), f"{m.body} (BRÅ)", "MINNESANTECKNINGAR", "",
           f"Tid: {sv_weekday(m.date)}en den {sv_date_long(m.date)}, kl. {f['tid']}", f"Plats: {f['plats']}", "",
           "Närvarande:"] + f["narvarande"] + [""]
    for it in m.items:
        out += [f"{it.number}) {it.title}"] + it.desc + [""]
    out += [f"Antecknat av: {f['sekreterare']}"]
    return "\n".join(out) + "\n"


def render_fhrdocx(m: Meeting, path: Path) -> None:
    """Folkhälsoråd notes in Word: 'Tisdagen den 9 september 2025, kl. …', participants in one paragraph;
    items as bold Normal paragraphs with a typed number and a tab ('3<tab>Resultat från …', hanging indent),
    the notes as Normal paragraphs indented to the title."""
    from docx.shared import Cm, Pt

    f = m.front
    doc = new_docx(m, "Arial", 10.5)
    doc.sections[0].header.paragraphs[0].text = f"{f['org']}\tMinnesanteckningar"
    r = doc.add_paragraph().add_run(m.body)
    r.bold = True
    r.font.size = Pt(15)
    doc.add_paragraph("Minnesanteckningar")
    doc.add_paragraph(f"{sv_weekday(m.date).capitalize()}en den {sv_date_long(m.date)}, {f['tid']}")
    doc.add_paragraph(f"Plats: {f['plats']}")
    doc.add_paragraph(f"Närvarande: {f['narvarande']}")
    for it in m.items:
        p = doc.add_paragraph()
        p.paragraph_format.space_before = Pt(10)
        p.paragraph_format.left_indent = Cm(1)
        p.paragraph_format.first_line_indent = Cm(-1)
        p.paragraph_format.tab_stops.add_tab_stop(Cm(1))
        p.add_run(f"{it.number}\t{it.title}").bold = True
        for line in it.desc:
            q = doc.add_paragraph(line)
            q.paragraph_format.left_indent = Cm(1)
    doc.add_paragraph()
    doc.add_paragraph(f"Vid anteckningarna: {f['sekreterare']}")
    doc.save(str(path))
    h3.stable_zip(path)


def render_estmd(m: Meeting) -> str:
    """EST notes in Markdown: a '#' title, 'Datum: 2025-06-12, kl. …', a rule, then items as bold paragraphs
    with the number inside the bold ('**1. Genomgång av föregående vecka**'), a blank line, their text."""
    f = m.front
    out = [f"# Minnesanteckningar {m.body}", "", f"**{f['org']}** · Effektiv samordning för trygghet", "",
           f"Datum: {m.date}, kl. {f['tid']}  ", f"Plats: {f['plats']}  ", f"Deltagare: {f['deltagare']}", "",
           "---", ""]
    for it in m.items:
        out += [f"**{it.number}. {it.title}**", ""]
        for line in it.desc:
            out += [line, ""]
    out += ["---", "", f"Antecknat av {f['sekreterare']}", ""]
    return "\n".join(out)


# --------------------------------------------------------------------------------------
# Gold labels and main
# --------------------------------------------------------------------------------------


TEXT_RENDERERS = {"heldout9-bratxt": render_bratxt, "heldout9-estmd": render_estmd}


def main() -> None:
    h.write_set_main("heldout9", MEETINGS, TEXT_RENDERERS, render_fhrdocx, PDF_RENDERERS)


if __name__ == "__main__":
    main()
