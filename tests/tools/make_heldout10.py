"""Write the tenth held-out structure set: a kommunstyrelse whose headings carry the body's prefix ('KS § 187'), a
kommunfullmäktige with the number on a line of its own and a labelled 'Diarienummer' under the title, a miljö- och
hälsoskyddsnämnd with the number in the margin and Fastighet lines, a krisledningsnämnd and an individ- och
familjeomsorgsutskott in two templates of set 1 as they are, a region's hälso- och sjukvårdsnämnd, a housing
company's board, a kallelse with grouped numbered items, and council or beredning notes (Word, plain text,
Markdown).

Run ``python tests/tools/make_heldout10.py`` to regenerate ``tests/data/heldout10/docs/`` (PDF, DOCX, TXT, MD)
and their gold labels in ``tests/data/heldout10/gold/``. The content lives in
``tests/tools/data/heldout10_meetings.yaml``; the records, PDF machinery, the Ciceron-like and W3D3-like
templates, section blocks, front rows and front page, headers, footers, Word setup, the stable zip and the set
writer are imported from ``make_heldout.py`` … ``make_heldout9.py``. Like sets 7–9 the set aims to be
representative of what Swedish municipalities publish, mostly in common shapes, in municipalities none of the
earlier sets used. Each label comes from the same record its document is rendered from; none was made by
running the reader, and the author of this file did not read the reader's code (see
``tests/data/heldout10/README.md``).

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
import make_heldout9 as h9  # noqa: E402
from make_heldout import (  # noqa: E402
    Meeting, cell_at, label_rows, line_in, need, new_docx, new_pdf, renders, start_item, sv_date_long,
    sv_weekday, write_blocks,
)

CONTENT = Path(__file__).resolve().parent / "data" / "heldout10_meetings.yaml"
blocks, shown, ALL_SECTIONS = h4.blocks, h4.shown, h5.ALL_SECTIONS
MEETINGS: list[Meeting] = h8.load_meetings(CONTENT)
# Two templates of set 1 are common enough to meet again as they are: the W3D3-like one ('§ 24   Dnr KLN 2025/3'
# bold on one line, the title below) and the Ciceron-like one ('§ 61' and 'Dnr SN 2025/0412' at the right on one
# line, the title below, an Ärendelista page).
PDF_RENDERERS: dict = {"heldout10-w3d3": h.render_w3d3, "heldout10-ciceron": h.render_ciceron}


def beslut_heading(m: Meeting) -> str:
    """'Kommunstyrelsens beslut', 'Hälso- och sjukvårdsnämndens beslut'."""
    return h.owner_genitive(m.body) + " beslut"


# --------------------------------------------------------------------------------------
# PDF families
# --------------------------------------------------------------------------------------


@renders(PDF_RENDERERS, "heldout10-kspref")
def render_kspref(m: Meeting, pages: dict):
    """A KS protocol (serif): the heading 'KS § 187' bold at the left (the body's prefix before the number), the
    bold title beside it from 45 mm and 'Dnr KS-2025-231' (dash form) in small type under the title; a two-row
    header, a foot rule with signature boxes; several items to a page, long ones running on."""
    f = m.front
    header = h5.two_row_header((f["org"], m.body), ("PROTOKOLL", f"Sammanträdesdatum {m.date}"),
                               page_fmt="{n}({nb})")
    pdf = new_pdf(m, "liberation-serif", header, h5.sign_footer(), top=30, bottom=28)
    h6.front_page(pdf, m, [(("B", 16), f"Protokoll {m.body.lower()}"),
                           (("", 10.5), f"{sv_weekday(m.date).capitalize()} {sv_date_long(m.date)}")],
                  h4.front_rows(m))
    for it in m.items:
        start_item(pdf, it, 42)
        pdf.ln(5)
        y = pdf.get_y()
        cell_at(pdf, ("B", 12), 20, y, 25, 6, shown(it))
        pdf.set_xy(45, y)
        pdf.set_font("F", "B", 12)
        pdf.multi_cell(145, 6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        if it.dnr:
            pdf.set_x(45)
            line_in(pdf, ("", 9), 145, 5, f"Dnr {it.dnr}")
        pdf.ln(1)
        write_blocks(pdf, blocks(it, beslut_h=beslut_heading(m), order=ALL_SECTIONS), 45, 145, size=10.5,
                     lh=5.2)
    return pdf


@renders(PDF_RENDERERS, "heldout10-kfdiarie")
def render_kfdiarie(m: Meeting, pages: dict):
    """A kommunfullmäktige protocol (sans): '§ 98' bold on a line of its own, the bold 13 pt title below it and
    a labelled 'Diarienummer: KS 2025.112' (dot form) in italics under the title; the header's date in
    numbers, a text footer 'Justerandes signatur … Utdragsbestyrkande …'."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 13), 20, 11, 90, 6, f["org"])
        cell_at(pdf, ("", 10), 20, 17.5, 90, 5, m.body)
        h6.right_block(pdf, [(("B", 10), "SAMMANTRÄDESPROTOKOLL"), (("", 9.5), m.date),
                             (("", 8.5), f"{pdf.page_no()} (av {{nb}})")], y=10, lh=4.8)
        pdf.set_draw_color(0)
        pdf.line(20, 26, 190, 26)
        pdf.set_xy(20, 32)

    pdf = new_pdf(m, "liberation-sans", header, h9.text_footer(
        "Justerandes signatur  ………………  ………………                    Utdragsbestyrkande  ………………"),
        top=32, bottom=26)
    h6.front_page(pdf, m, [(("B", 16), m.body),
                           (("", 10.5), f"Sammanträde {sv_weekday(m.date)}en den {sv_date_long(m.date)}")],
                  h4.front_rows(m))
    for it in m.items:
        start_item(pdf, it, 44)
        pdf.ln(6)
        line_in(pdf, ("B", 11.5), 170, 6, it.number)
        pdf.set_font("F", "B", 13)
        pdf.multi_cell(170, 6.5, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        if it.dnr:
            line_in(pdf, ("I", 9.5), 170, 5, f"Diarienummer: {it.dnr}")
        pdf.ln(1)
        write_blocks(pdf, blocks(it, desc_h="Sammanfattning", beslut_h=beslut_heading(m), order=ALL_SECTIONS),
                     20, 170, size=10, lh=5)
    return pdf


@renders(PDF_RENDERERS, "heldout10-mhnmargin")
def render_mhnmargin(m: Meeting, pages: dict):
    """A miljö- och hälsoskyddsnämnd protocol (sans): '§ 54' bold in a margin column, the bold title beside it
    from 45 mm, 'Fastighet:' / 'Verksamhetsutövare:' lines, then 'Ärendenummer MHN 2025-318' in small type;
    the date written out in the right-hand header block; signature boxes in the footer."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 12), 20, 11, 90, 6, f["org"])
        cell_at(pdf, ("", 10), 20, 17.5, 100, 5, m.body)
        h6.right_block(pdf, [(("B", 10), "PROTOKOLL"), (("", 9.5), sv_date_long(m.date)),
                             (("", 8.5), f"Sida {pdf.page_no()} av {{nb}}")], y=10, lh=4.8)
        pdf.set_draw_color(0)
        pdf.line(20, 26, 190, 26)
        pdf.set_xy(20, 32)

    pdf = new_pdf(m, "dejavu-sans", header, h.box_footer, top=32, bottom=28)
    h6.front_page(pdf, m, [(("B", 15), m.body), (("", 10), f"Sammanträdesdatum {m.date}")], h4.front_rows(m))
    for it in m.items:
        start_item(pdf, it, 42)
        pdf.ln(5)
        y = pdf.get_y()
        cell_at(pdf, ("B", 10.5), 20, y, 24, 5.8, it.number)
        pdf.set_xy(45, y)
        pdf.set_font("F", "B", 10.5)
        pdf.multi_cell(145, 5.8, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        for line in it.extra_lines:
            pdf.set_x(45)
            line_in(pdf, ("", 9), 145, 4.8, line)
        if it.dnr:
            pdf.set_x(45)
            line_in(pdf, ("", 8), 145, 4.5, f"Ärendenummer {it.dnr}")
        pdf.ln(1)
        write_blocks(pdf, blocks(it, desc_h="Sammanfattning av ärendet", beslut_h=beslut_heading(m),
                                 order=ALL_SECTIONS), 45, 145, size=9.5, lh=4.8)
    return pdf


@renders(PDF_RENDERERS, "heldout10-region")
def render_region(m: Meeting, pages: dict):
    """A region's nämnd protocol (condensed sans): '§ 143  Title' bold on one line (wrapped lines back at the
    margin), 'Dnr HSN/462/2025' (register, serial, year) right-aligned on the line below; the header with
    'PROTOKOLL', the date and 'Sida 2 (6)'; signature boxes in the footer."""
    f = m.front
    header = h5.two_row_header((f["org"], m.body), ("PROTOKOLL", sv_date_long(m.date)), page_fmt="Sida {n} ({nb})")
    pdf = new_pdf(m, "dejavu-condensed", header, h.box_footer, top=30, bottom=28)
    h6.front_page(pdf, m, [(("B", 15), m.body), (("", 10), f"Sammanträdesdatum: {m.date}")],
                  h4.front_rows(m, beslutande="Närvarande beslutande"))
    for it in m.items:
        start_item(pdf, it, 40)
        pdf.ln(5)
        pdf.set_font("F", "B", 12)
        pdf.multi_cell(170, 6, f"{it.number}  {it.title}", align="L", new_x="LMARGIN", new_y="NEXT")
        if it.dnr:
            line_in(pdf, ("", 9), 170, 5, f"Dnr {it.dnr}", align="R")
        pdf.ln(1)
        write_blocks(pdf, blocks(it, desc_h="Ärendebeskrivning", beslut_h=beslut_heading(m), order=ALL_SECTIONS),
                     20, 170, size=10, lh=5)
    return pdf


@renders(PDF_RENDERERS, "heldout10-bolag")
def render_bolag(m: Meeting, pages: dict):
    """A housing company's board minutes (serif): 'Protokoll nr 5/2025' and the date at the top, 'Närvarande'
    rows; items as '§ 3' bold at the left and the bold title beside it from 32 mm, the text indented to the
    title; no case numbers; 'Vid protokollet' / 'Justeras' signatures at the end; 'Sida 1 av 2' at the foot."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 11), 20, 12, 120, 5, f["org"])
        cell_at(pdf, ("", 9), 140, 12, 50, 5, f["protokoll_nr"], align="R")
        pdf.set_xy(20, 26)

    def footer(pdf):
        cell_at(pdf, ("", 8), 20, pdf.h - 15, 170, 4, f"Sida {pdf.page_no()} av {{nb}}", align="C")

    pdf = new_pdf(m, "dejavu-serif", header, footer, top=26, bottom=22)
    pdf.add_page()
    pdf.set_font("F", "B", 14)
    pdf.multi_cell(170, 7, f"Protokoll fört vid styrelsemöte i {f['org']}", align="L", new_x="LMARGIN",
                   new_y="NEXT")
    pdf.ln(2)
    label_rows(pdf, [("Datum", f"{sv_date_long(m.date)}, {f['tid']}"), ("Plats", f["plats"]),
                     ("Närvarande", f["narvarande"]), ("Övriga", f["ovriga"])], 20, 32, 170, size=9.5, lh=4.8)
    for it in m.items:
        start_item(pdf, it, 30)
        pdf.ln(4)
        y = pdf.get_y()
        cell_at(pdf, ("B", 11), 20, y, 12, 5.8, it.number)
        pdf.set_xy(32, y)
        pdf.set_font("F", "B", 11)
        pdf.multi_cell(158, 5.8, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        write_blocks(pdf, blocks(it, desc_h=None, beslut_h="Styrelsen beslutar", order=ALL_SECTIONS), 32, 158,
                     size=9.5, lh=4.8)
    need(pdf, 40)
    pdf.ln(10)
    for label, name in (("Vid protokollet", f["sekreterare"]), ("Justeras", f["ordforande"]),
                        ("Justeras", f["justerande"])):
        y = pdf.get_y()
        cell_at(pdf, ("I", 9), 20, y, 40, 5, label)
        cell_at(pdf, ("", 9.5), 60, y, 90, 5, "…" * 20)
        cell_at(pdf, ("", 9.5), 60, y + 5, 90, 5, name)
        pdf.set_y(y + 13)
    return pdf


@renders(PDF_RENDERERS, "heldout10-kallelsegrupper")
def render_kallelsegrupper(m: Meeting, pages: dict):
    """A kallelse (sans) dated two weeks before the meeting: 'Tid' with the weekday, then a 'Föredragningslista'
    of numbered items ('1.' at the margin, the title beside it, the bare case number 'BUN 2025/0087' in a
    right-hand column, 'Föredragande:' in italics under the title) in groups under the unnumbered headings
    'Beslutsärenden' and 'Informationsärenden'."""
    f = m.front
    header = h5.two_row_header((f["org"], m.body), ("KALLELSE", f["utskick"]), page_fmt="Sida {n}({nb})")

    def footer(pdf):
        cell_at(pdf, ("", 7.5), 20, pdf.h - 15, 170, 4, f["adress"], align="C")

    pdf = new_pdf(m, "liberation-sans", header, footer, top=30, bottom=22)
    pdf.add_page()
    line_in(pdf, ("B", 15), 170, 8, f"Kallelse till {m.body.lower()}")
    pdf.ln(2)
    label_rows(pdf, [("Tid", f"{sv_weekday(m.date).capitalize()} {sv_date_long(m.date)}, {f['tid']}"),
                     ("Plats", f["plats"])], 20, 24, 170, size=10)
    pdf.ln(3)
    line_in(pdf, ("B", 12.5), 170, 7, "Föredragningslista")
    groups = f["grupper"]
    for it in m.items:
        if it.number in groups:
            need(pdf, 20)
            pdf.ln(3)
            line_in(pdf, ("B", 10.5), 170, 6, groups[it.number])
        start_item(pdf, it, 14)
        pdf.ln(1.5)
        y = pdf.get_y()
        cell_at(pdf, ("", 10), 20, y, 10, 5.2, f"{it.number}.")
        if it.dnr:
            cell_at(pdf, ("", 9), 152, y, 38, 5.2, it.dnr, align="R")
        pdf.set_xy(30, y)
        pdf.set_font("F", "", 10)
        pdf.multi_cell(118, 5.2, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        if it.foredragande:
            pdf.set_x(30)
            line_in(pdf, ("I", 8.5), 118, 4.5, f"Föredragande: {it.foredragande}")
    pdf.ln(10)
    pdf.set_font("F", "", 10)
    pdf.cell(85, 5.5, f["ordforande"])
    line_in(pdf, ("", 10), 85, 5.5, f["sekreterare"])
    pdf.set_font("F", "I", 9.5)
    pdf.cell(85, 5, "Ordförande")
    line_in(pdf, ("I", 9.5), 85, 5, "Sekreterare")
    return pdf


# --------------------------------------------------------------------------------------
# Word, text and Markdown
# --------------------------------------------------------------------------------------


def render_beredningdocx(m: Meeting, path: Path) -> None:
    """A beredning's minutes in Word: the title and date as Normal paragraphs, 'Närvarande' in one paragraph;
    items as 'Heading 2' paragraphs '§ 14 Title', a Normal 'Diarienummer: 2025/187' paragraph under the heading
    where there is one, then the notes and a bold 'Beredningen beslutar' paragraph."""
    from docx.shared import Pt

    f = m.front
    doc = new_docx(m, "Calibri", 11)
    doc.sections[0].header.paragraphs[0].text = f"{f['org']}\t\tProtokoll"
    r = doc.add_paragraph().add_run(f"Protokoll – {m.body}")
    r.bold = True
    r.font.size = Pt(16)
    doc.add_paragraph(f"Datum: {sv_date_long(m.date)}, {f['tid']}")
    doc.add_paragraph(f"Plats: {f['plats']}")
    doc.add_paragraph(f"Närvarande: {f['narvarande']}")
    doc.add_paragraph(f"Justerare: {f['justerare']}")
    for it in m.items:
        doc.add_heading(f"{it.number} {it.title}", level=2)
        if it.dnr:
            doc.add_paragraph(f"Diarienummer: {it.dnr}")
        for line in it.desc:
            doc.add_paragraph(line)
        if it.beslut:
            doc.add_paragraph().add_run("Beredningen beslutar").bold = True
            for line in it.beslut:
                doc.add_paragraph(line)
    doc.add_paragraph()
    doc.add_paragraph(f"Vid protokollet: {f['sekreterare']}")
    doc.add_paragraph(f"Justeras: {f['ordforande']}, {f['justerare']}")
    doc.save(str(path))
    h3.stable_zip(path)


def render_tryggtxt(m: Meeting) -> str:
    """Trygghetsråd notes as plain text (UTF-8, CRLF): the date as '4/9 2025', items as '3. Title' lines
    underlined with a row of dashes as long as the line, their paragraphs below after a blank line."""
    f = m.front
    d = m.date.split("-")
    out = [f"{f['org']}", f"Anteckningar från {m.body.lower()}", "",
           f"Datum: {int(d[2])}/{int(d[1])} {d[0]}, kl. {f['tid']}", f"Plats: {f['plats']}",
           f"Deltagare: {f['deltagare']}", ""]
    for it in m.items:
        head = f"{it.number}. {it.title}"
        out += [head, "-" * len(head), ""] + [p for line in it.desc for p in (line, "")]
    out += [f"Vid anteckningarna: {f['sekreterare']}"]
    return "\r\n".join(out) + "\r\n"


def render_fhrmd(m: Meeting) -> str:
    """Folkhälsoråd notes in Markdown: '## Minnesanteckningar', a bold date line; items as an ordered list
    ('1. **Title**') whose notes are indented under each entry (three spaces)."""
    f = m.front
    out = [f"# {m.body} i {f['org']}", "", "## Minnesanteckningar", "",
           f"**Datum:** {m.date}, kl. {f['tid']}  ", f"**Plats:** {f['plats']}  ",
           f"**Närvarande:** {f['deltagare']}", ""]
    for it in m.items:
        out += [f"{it.number}. **{it.title}**", ""]
        for line in it.desc:
            out += [f"   {line}", ""]
    out += [f"*Antecknat av {f['sekreterare']}*", ""]
    return "\n".join(out)


# --------------------------------------------------------------------------------------
# Gold labels and main
# --------------------------------------------------------------------------------------


TEXT_RENDERERS = {"heldout10-tryggtxt": render_tryggtxt, "heldout10-fhrmd": render_fhrmd}


def main() -> None:
    h.write_set_main("heldout10", MEETINGS, TEXT_RENDERERS, render_beredningdocx, PDF_RENDERERS)


if __name__ == "__main__":
    main()
