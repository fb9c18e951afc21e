"""Write the eleventh held-out structure set: a byggnadsnämnd whose number, title and case number share one row,
a kommunfullmäktige, a servicenämnd, a räddningstjänstförbund's direktion and a fritidsnämnd's kallelse in four
templates of set 10, a kommunstyrelse's allmänna utskott and a socialnämnd in two templates of set 1, a
valberedning with the title at the left and the number at the right, and council notes (Word, plain text,
Markdown).

Run ``python tests/tools/make_heldout11.py`` to regenerate ``tests/data/heldout11/docs/`` (PDF, DOCX, TXT, MD)
and their gold labels in ``tests/data/heldout11/gold/``. The content lives in
``tests/tools/data/heldout11_meetings.yaml``; the records, PDF machinery, templates, section blocks, front rows
and front page, headers, footers, Word setup, the stable zip, the gold label and the set writer are imported
from ``make_heldout.py`` … ``make_heldout10.py``. Like sets 7–10 the set aims to be representative of what
Swedish municipalities publish, mostly in common shapes, in municipalities none of the earlier sets used. Each
label comes from the same record its document is rendered from; none was made by running the reader, and the
author of this file did not read the reader's code (see ``tests/data/heldout11/README.md``).

Needs fpdf2, python-docx, PyYAML and the DejaVu and Liberation TrueType fonts (Debian: fonts-liberation).
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_heldout as h  # noqa: E402
import make_heldout3 as h3  # noqa: E402
import make_heldout4 as h4  # noqa: E402
import make_heldout5 as h5  # noqa: E402
import make_heldout6 as h6  # noqa: E402
import make_heldout8 as h8  # noqa: E402
import make_heldout9 as h9  # noqa: E402
import make_heldout10 as h10  # noqa: E402
from make_heldout import (  # noqa: E402
    Meeting, cell_at, line_in, new_docx, new_pdf, renders, start_item, sv_date_long, sv_weekday, write_blocks,
)

CONTENT = Path(__file__).resolve().parent / "data" / "heldout11_meetings.yaml"
blocks, ALL_SECTIONS = h4.blocks, h5.ALL_SECTIONS
MEETINGS: list[Meeting] = h8.load_meetings(CONTENT)
# Common templates met again as they are: set 1's Ciceron-like one ('§ 202' and 'Dnr KS 2025/0233' on one line,
# the title below, an Ärendelista page), set 1's W3D3-like one ('§ 102   Dnr SN 2025/88' bold on one line, the
# title below) and four of set 10 (the number on its own line with 'Diarienummer:' under the title; the body's
# prefix 'SEN § 45' with a dash case number; '§ 38  Title' on one line with the case
# number right-aligned below; the kallelse with grouped numbered items).
PDF_RENDERERS: dict = {
    "heldout11-ciceron": h.render_ciceron,
    "heldout11-w3d3": h.render_w3d3,
    "heldout11-kfdiarie": h10.render_kfdiarie,
    "heldout11-kspref": h10.render_kspref,
    "heldout11-region": h10.render_region,
    "heldout11-kallelsegrupper": h10.render_kallelsegrupper,
}


# --------------------------------------------------------------------------------------
# PDF families
# --------------------------------------------------------------------------------------


@renders(PDF_RENDERERS, "heldout11-bnrow")
def render_bnrow(m: Meeting, pages: dict):
    """A byggnadsnämnd protocol (sans): one row per heading, '§ 114' bold at the left, the bold title from
    38 mm (wrapping within 100 mm) and 'Dnr BN 2025-000412' right-aligned on the title's first line;
    'Fastighet:' / 'Sökande:' lines under the title; the date written out in a two-row header."""
    f = m.front
    header = h5.two_row_header((f["org"], m.body), ("PROTOKOLL", sv_date_long(m.date)), page_fmt="{n} ({nb})")
    pdf = new_pdf(m, "liberation-sans", header, h5.sign_footer(), top=30, bottom=28)
    h6.front_page(pdf, m, [(("B", 16), f"{m.body}s protokoll"),
                           (("", 10.5), f"Sammanträdesdag {sv_weekday(m.date)} {sv_date_long(m.date)}")],
                  h4.front_rows(m))
    for it in m.items:
        start_item(pdf, it, 42)
        pdf.ln(5)
        y = pdf.get_y()
        cell_at(pdf, ("B", 11), 20, y, 18, 6, it.number)
        if it.dnr:
            cell_at(pdf, ("", 9), 140, y, 50, 6, f"Dnr {it.dnr}", align="R")
        pdf.set_xy(38, y)
        pdf.set_font("F", "B", 11)
        pdf.multi_cell(100, 6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        for line in it.extra_lines:
            pdf.set_x(38)
            line_in(pdf, ("", 9), 152, 4.8, line)
        pdf.ln(1)
        write_blocks(pdf, blocks(it, beslut_h=h10.beslut_heading(m), order=ALL_SECTIONS), 38, 152, size=10,
                     lh=5)
    return pdf


@renders(PDF_RENDERERS, "heldout11-titleleft")
def render_titleleft(m: Meeting, pages: dict):
    """A valberedning protocol (serif): the bold title at the left and '§ 10' bold right-aligned on the same
    line, 'Dnr KS 2025/214' small and right-aligned under the number; a header with the organisation, the
    document word and the date written out; a one-line text footer."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 12), 20, 11, 80, 6, f["org"])
        cell_at(pdf, ("", 9.5), 20, 17, 80, 5, m.body)
        h6.right_block(pdf, [(("B", 10), "SAMMANTRÄDESPROTOKOLL"),
                             (("", 9.5), f"{sv_weekday(m.date).capitalize()} {sv_date_long(m.date)}"),
                             (("", 8.5), f"Sida {pdf.page_no()} av {{nb}}")], y=10, lh=4.8)
        pdf.set_draw_color(120)
        pdf.line(20, 26, 190, 26)
        pdf.set_draw_color(0)
        pdf.set_xy(20, 32)

    foot = "Justerare ………………………                                   Utdragsbestyrkande ………………………"
    pdf = new_pdf(m, "dejavu-serif", header, h9.text_footer(foot), top=32, bottom=26)
    h6.front_page(pdf, m, [(("B", 15), f"Protokoll från {m.body.lower()}"),
                           (("", 10), f"Sammanträdesdatum {m.date}")], h4.front_rows(m))
    for it in m.items:
        start_item(pdf, it, 40)
        pdf.ln(5)
        y = pdf.get_y()
        cell_at(pdf, ("B", 11.5), 160, y, 30, 6, it.number, align="R")
        if it.dnr:
            cell_at(pdf, ("", 8.5), 150, y + 6, 40, 4.5, f"Dnr {it.dnr}", align="R")
        pdf.set_xy(20, y)
        pdf.set_font("F", "B", 11.5)
        pdf.multi_cell(125, 6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(max(pdf.get_y(), y + 10.5 if it.dnr else y))
        pdf.ln(1)
        write_blocks(pdf, blocks(it, desc_h="Bakgrund", beslut_h=h10.beslut_heading(m), order=ALL_SECTIONS), 20,
                     170, size=10, lh=5)
    return pdf


# --------------------------------------------------------------------------------------
# Word, text and Markdown
# --------------------------------------------------------------------------------------


def render_rffdocx(m: Meeting, path: Path) -> None:
    """A council's minutes in Word: 'Minnesanteckningar' as Title, the council's name as Heading 1, meeting facts
    as Normal paragraphs; items as 'Heading 3' paragraphs '§ 3<tab>Title', an italic 'Dnr KS 2025/176'
    paragraph where there is one, the notes, and 'Beslut:' in bold before the decision."""
    f = m.front
    doc = new_docx(m, "Arial", 11)
    doc.sections[0].header.paragraphs[0].text = f["org"]
    doc.add_heading("Minnesanteckningar", level=0)
    doc.add_heading(m.body, level=1)
    doc.add_paragraph(f"Datum: {m.date}, kl. {f['tid']}")
    doc.add_paragraph(f"Plats: {f['plats']}")
    doc.add_paragraph(f"Närvarande: {f['narvarande']}")
    doc.add_paragraph(f"Tjänstepersoner: {f['tjanstepersoner']}")
    for it in m.items:
        doc.add_heading(f"{it.number}\t{it.title}", level=3)
        if it.dnr:
            doc.add_paragraph().add_run(f"Dnr {it.dnr}").italic = True
        for line in it.desc:
            doc.add_paragraph(line)
        for line in it.beslut:
            p = doc.add_paragraph()
            p.add_run("Beslut: ").bold = True
            p.add_run(line)
    doc.add_paragraph()
    doc.add_paragraph(f"Vid anteckningarna: {f['sekreterare']}")
    doc.add_paragraph(f"Justeras: {f['justerare']}")
    doc.save(str(path))
    h3.stable_zip(path)


def render_bratxt(m: Meeting) -> str:
    """BRÅ notes as plain text (UTF-8, LF) hard-wrapped at 76 columns: the date as 'tisdagen den 23 september
    2025', items as '2) Title' lines with their text straight below, a blank line between items."""
    f = m.front
    wrap = textwrap.TextWrapper(width=76, break_on_hyphens=False)
    out = [f["org"], f"{m.body} (BRÅ)", "MINNESANTECKNINGAR", "",
           f"Tid: {sv_weekday(m.date)}en den {sv_date_long(m.date)}, kl. {f['tid']}", f"Plats: {f['plats']}"]
    out += wrap.wrap(f"Närvarande: {f['deltagare']}") + [""]
    for it in m.items:
        out.append(f"{it.number}) {it.title}")
        for line in it.desc:
            out += wrap.wrap(line)
        out.append("")
    out += [f"Antecknat av {f['sekreterare']}"]
    return "\n".join(out) + "\n"


def render_ftrmd(m: Meeting) -> str:
    """Council notes in Markdown: the organisation as '#', the council as '##', the date as 'tisdag 18 november
    2025'; items as bold paragraphs '**3. Title**' (not a list, not a heading) with their notes below."""
    f = m.front
    out = [f"# {f['org']}", "", f"## {m.body} – anteckningar", "",
           f"Datum: {sv_weekday(m.date)} {sv_date_long(m.date)}, kl. {f['tid']}  ", f"Plats: {f['plats']}  ",
           f"Närvarande: {f['deltagare']}", "", "---", ""]
    for it in m.items:
        out += [f"**{it.number}. {it.title}**", ""]
        for line in it.desc:
            out += [line, ""]
    out += ["---", "", f"Vid pennan: {f['sekreterare']}", ""]
    return "\n".join(out)


# --------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------

TEXT_RENDERERS = {"heldout11-bratxt": render_bratxt, "heldout11-ftrmd": render_ftrmd}


def main() -> None:
    h.write_set_main("heldout11", MEETINGS, TEXT_RENDERERS, render_rffdocx, PDF_RENDERERS)


if __name__ == "__main__":
    main()
