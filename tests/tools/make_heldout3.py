"""Write the third held-out structure set: layouts that neither the reader nor sets 1 and 2 used.

Run ``python tests/tools/make_heldout3.py`` to regenerate ``tests/data/heldout3/docs/``
(PDF, DOCX, TXT, MD) and their gold labels in ``tests/data/heldout3/gold/``. The content lives
in ``tests/tools/data/heldout3_meetings.yaml``; the records, PDF machinery, Word setup and the set
writer are imported from ``make_heldout.py`` / ``make_heldout2.py``. Each label comes from the same
record its document is rendered from; none was made by running the reader, and the author of this
file did not read the reader's code (see ``tests/data/heldout3/README.md``).

Needs fpdf2, python-docx, PyYAML and the DejaVu/Liberation TrueType fonts.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_heldout as h  # noqa: E402
import make_heldout2 as h2  # noqa: E402
from make_heldout import (  # noqa: E402
    Meeting, cell_at, line_in, item_blocks, label_rows, load_meetings, need, new_docx, new_pdf, renders,
    start_item, sv_date_long, sv_weekday, two_pass, write_blocks,
)

ROOT = h.ROOT
OUT = ROOT / "tests" / "data" / "heldout3"
DOCS = OUT / "docs"
GOLD = OUT / "gold"
CONTENT = Path(__file__).resolve().parent / "data" / "heldout3_meetings.yaml"
MEETINGS: list[Meeting] = load_meetings(CONTENT)
PDF_RENDERERS: dict = {}  # family -> render(m, pages) returning the FPDF
shown = h2.shown


def justerare_footer(pdf) -> None:
    """A text footer on every page: 'Justerare: ____' and 'Utdragsbestyrkande: ____'."""
    cell_at(pdf, ("", 8.5), 20, pdf.h - 18, 85, 4, "Justerare: ____________________")
    pdf.cell(85, 4, "Utdragsbestyrkande: ____________________", align="R")


# --------------------------------------------------------------------------------------
# PDF families
# --------------------------------------------------------------------------------------


@renders(PDF_RENDERERS, "heldout3-ownline")
def render_ownline(m: Meeting, pages: dict):
    """Boxed header table on every page; '§ 32' alone, 'Dnr …' below, a blank line, then the title."""
    f = m.front

    def header(pdf):
        pdf.set_draw_color(0)
        cell_at(pdf, ("B", 10), 20, 10, 70, 7, f["org"], border=1)
        pdf.cell(60, 7, "PROTOKOLL", border=1, align="C")
        pdf.set_font("F", "", 9)
        pdf.cell(40, 7, f"Sida {pdf.page_no()} av {{nb}}", border=1, align="R")
        cell_at(pdf, None, 20, 17, 70, 7, m.body, border=1)
        pdf.cell(60, 7, f"Sammanträdesdatum {m.date}", border=1, align="C")
        pdf.cell(40, 7, f"Paragrafer {f['paragrafer']}", border=1, align="R")
        pdf.set_xy(20, 32)

    pdf = new_pdf(m, "liberation-sans", header, justerare_footer, top=32, bottom=26)
    pdf.add_page()
    label_rows(pdf, h2.front_rows(m), 20, 48, 170, size=9.5)
    h2.signatures(pdf, m)
    pdf.add_page()
    for it in m.items:
        start_item(pdf, it, 50)
        pdf.ln(4)
        line_in(pdf, ("B", 12), 170, 6, it.number)
        line_in(pdf, ("", 9), 170, 5, f"Dnr {it.dnr}" if it.dnr else "")
        pdf.ln(5)
        pdf.set_font("F", "B", 12)
        pdf.multi_cell(170, 6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        write_blocks(pdf, item_blocks(it, "Nämndens beslut"), 20, 170, size=10)
    return pdf


@renders(PDF_RENDERERS, "heldout3-rightcol")
def render_rightcol(m: Meeting, pages: dict):
    """Title at the left, 'TN § 34' in a right-hand column on the same line, the dnr under the title."""
    pdf = new_pdf(m, "dejavu-sans", h2.simple_header(m.front["org"], "Sammanträdesprotokoll", m.body, m.date),
                  h.box_footer, top=30)
    pdf.add_page()
    line_in(pdf, ("B", 16), 170, 9, f"{m.body} – protokoll")
    pdf.ln(3)
    label_rows(pdf, h2.front_rows(m), 20, 48, 170, size=9.5)
    h2.signatures(pdf, m)
    pdf.add_page()
    for it in m.items:
        start_item(pdf, it, 45)
        pdf.ln(5)
        y = pdf.get_y()
        cell_at(pdf, ("B", 11), 150, y, 40, 6, shown(it), align="R")
        pdf.set_xy(20, y)
        pdf.multi_cell(115, 6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        if it.dnr:
            line_in(pdf, ("", 9), 115, 5, f"Dnr {it.dnr}")
        write_blocks(pdf, item_blocks(it, "Tekniska nämndens beslut"), 20, 125, size=10)
    return pdf


@renders(PDF_RENDERERS, "heldout3-bolag")
def render_bolag(m: Meeting, pages: dict):
    """A municipal housing company's board minutes: '§ 1 Mötets öppnande' with prose under it."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("", 8.5), 20, 10, 170, 4, f"{f['org']}  ·  Org.nr {f['orgnr']}", align="C")
        pdf.set_xy(20, 26)

    def footer(pdf):
        cell_at(pdf, ("", 8.5), 20, pdf.h - 14, 170, 4, f"{pdf.page_no()}/{{nb}}", align="C")

    pdf = new_pdf(m, "dejavu-serif", header, footer, top=26, bottom=22)
    pdf.add_page()
    pdf.set_font("F", "B", 14)
    pdf.multi_cell(170, 7, f"Protokoll fört vid styrelsesammanträde i {f['org']}", align="C",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("F", "", 10)
    pdf.cell(170, 5, f"Tid: {sv_weekday(m.date)}en den {sv_date_long(m.date)}, {f['tid']}",
             new_x="LMARGIN", new_y="NEXT")
    pdf.cell(170, 5, f"Plats: {f['plats']}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.multi_cell(170, 5, "Närvarande ledamöter: " + ", ".join(f["ledamoter"]), align="L",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(170, 5, "Övriga närvarande: " + ", ".join(f["ovriga"]), align="L",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for it in m.items:
        start_item(pdf, it, 25)
        pdf.ln(2)
        line_in(pdf, ("B", 10.5), 170, 6, f"{it.number} {it.title}")
        pdf.set_font("F", "", 10)
        for line in it.desc + it.beslut:
            pdf.multi_cell(170, 5, line, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    need(pdf, 45)
    pdf.ln(8)
    line_in(pdf, ("", 10), 170, 5, "Vid protokollet")
    pdf.ln(10)
    pdf.cell(170, 5, f"{f['sekreterare']}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.cell(85, 5, "Justeras")
    pdf.ln(12)
    pdf.cell(85, 5, f"{f['ordforande']}, ordförande")
    pdf.cell(85, 5, f"{f['justerande']}", new_x="LMARGIN", new_y="NEXT")
    return pdf


@renders(PDF_RENDERERS, "heldout3-kallelse")
def render_kallelse(m: Meeting, pages: dict):
    """A kallelse: 'KALLELSE' letterhead, then 'Föredragningslista' with '1.' items, dnr and presenter."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 11), 20, 12, 85, 5, f["org"])
        cell_at(pdf, ("", 9), 105, 12, 85, 5, f"KALLELSE  {pdf.page_no()}({{nb}})", align="R")
        pdf.set_xy(20, 28)

    def footer(pdf):
        cell_at(pdf, ("", 7.5), 20, pdf.h - 15, 170, 4, "Falköpings kommun · 521 81 Falköping · Besök Stadshuset, S:t Olofsgatan 27", align="C")

    pdf = new_pdf(m, "liberation-sans", header, footer, top=28, bottom=22)
    pdf.add_page()
    line_in(pdf, ("B", 15), 170, 8, m.body)
    line_in(pdf, ("", 10.5), 170, 6, f"Tid: {sv_date_long(m.date)} {f['tid']}")
    pdf.cell(170, 6, f"Plats: {f['plats']}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("F", "", 10)
    pdf.multi_cell(170, 5, "Ledamöterna kallas härmed till sammanträde. Ersättarna underrättas. Anmäl förhinder "
                   "till kommunkansliet.", align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(5)
    line_in(pdf, ("B", 12.5), 170, 7, "Föredragningslista")
    pdf.ln(2)
    for it in m.items:
        need(pdf, 18)
        pdf.item_pages[it.number] = pdf.page_no()
        y = pdf.get_y()
        cell_at(pdf, ("", 10.5), 20, y, 9, 5.5, f"{it.number}.")
        pdf.set_xy(29, y)
        pdf.multi_cell(161, 5.5, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("F", "", 9)
        if it.dnr:
            pdf.set_x(29)
            pdf.cell(161, 4.5, it.dnr, new_x="LMARGIN", new_y="NEXT")
        for line in it.desc:
            pdf.set_x(29)
            pdf.cell(161, 4.5, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2.5)
    pdf.ln(8)
    pdf.set_font("F", "", 10.5)
    pdf.cell(85, 5, f["ordforande"])
    pdf.cell(85, 5, f["sekreterare"], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("F", "I", 9)
    pdf.cell(85, 5, "Ordförande")
    pdf.cell(85, 5, "Sekreterare", new_x="LMARGIN", new_y="NEXT")
    return pdf


@renders(PDF_RENDERERS, "heldout3-region")
def render_region(m: Meeting, pages: dict):
    """A region committee: '§ 89  Title', 'Ärendenummer RUN 2024-00342' below, the paragraph list at the end."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 12), 20, 11, 90, 6, f["org"].upper())
        cell_at(pdf, ("", 9), 120, 11, 70, 5, f"Protokoll {pdf.page_no()} (av {{nb}})", align="R")
        cell_at(pdf, None, 120, 16, 70, 5, m.date, align="R")
        cell_at(pdf, None, 20, 17, 90, 5, m.body)
        pdf.set_xy(20, 30)

    def footer(pdf):
        cell_at(pdf, ("", 7.5), 20, pdf.h - 16, 120, 4, "Region Kronoberg · Box 1223 · 351 12 Växjö · region.kronoberg.se")
        pdf.cell(50, 4, "Ordf. sign ______  Just. sign ______", align="R")

    pdf = new_pdf(m, "dejavu-condensed", header, footer, top=30, bottom=24)
    pdf.add_page()
    line_in(pdf, ("B", 15), 170, 8, "Protokoll")
    pdf.ln(2)
    label_rows(pdf, h.front_rows(m), 20, 48, 170, size=9.5)
    h2.signatures(pdf, m)
    pdf.add_page()
    for it in m.items:
        start_item(pdf, it, 40)
        pdf.ln(4)
        pdf.set_font("F", "B", 12)
        pdf.multi_cell(170, 6.5, f"{it.number}  {it.title}", align="L", new_x="LMARGIN", new_y="NEXT")
        if it.dnr:
            line_in(pdf, ("", 9), 170, 5, f"Ärendenummer {it.dnr}")
        write_blocks(pdf, item_blocks(it, "Beslut", desc_heading="Sammanfattning"), 20, 170, size=10)
    need(pdf, 60)
    pdf.ln(8)
    line_in(pdf, ("B", 11), 170, 7, "Paragrafförteckning")
    pdf.set_font("F", "", 9.5)
    for it in m.items:
        y = pdf.get_y()
        cell_at(pdf, None, 20, y, 18, 5, it.number)
        pdf.set_xy(38, y)
        pdf.multi_cell(118, 5, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        y2 = pdf.get_y()
        cell_at(pdf, None, 158, y, 32, 5, it.dnr or "", align="R")
        pdf.set_y(y2 + 1)
    return pdf


# --------------------------------------------------------------------------------------
# Text, Markdown and Word
# --------------------------------------------------------------------------------------

OCR_SWAPS = (("m", "rn", 7), ("l", "1", 11), ("ö", "o", 9), ("å", "a", 13))


def ocr_noise(text: str, seed: int) -> str:
    """Deterministic OCR-style slips in body text (every n-th occurrence of a letter)."""
    for src, dst, every in OCR_SWAPS:
        parts = text.split(src)
        text = parts[0] + "".join((dst if (i + seed) % every == 0 else src) + p
                                  for i, p in enumerate(parts[1:], 1))
    return text


def render_ocr(m: Meeting) -> str:
    """An OCR'd protocol: 62-column lines, titles broken over lines, page headers, form feeds."""
    f = m.front
    width = 62
    lines: list[str] = []
    lines += [f"{f['org']}                     SAMMANTRÄDESPROTOKOLL", f"{m.body}",
              f"Sammanträdesdatum {m.date}", "",
              f"Plats och tid    {f['plats']}", ""]
    lines += ["Beslutande       " + f["ledamoter"][0]] + ["                 " + x for x in f["ledamoter"][1:]]
    lines += ["", f"Justerare        {f['justerare']}", f"Paragrafer       {f['paragrafer']}", "",
              "Sekreterare      ..............................", f"                 {f['sekreterare']}", "",
              "Ordförande       ..............................", f"                 {f['ordforande']}", "",
              "Justerare        ..............................", f"                 {f['justerande']}"]
    pages = [lines]
    for k, it in enumerate(m.items):
        page: list[str] = []
        page += [f"{it.number}", ""]
        page += textwrap.wrap(it.title, 40)
        if it.dnr:
            page += [it.dnr]
        page.append("")
        for kind, text in item_blocks(it, "Socialnämndens beslut"):
            if kind == "h":
                page += ["", text]
            else:
                page += textwrap.wrap(ocr_noise(text, k), width)
        page.append("")
        # two items to a page, as scanned
        if k % 2 == 0:
            pages.append(page)
        else:
            pages[-1] += [""] + page
    out = []
    for n, page in enumerate(pages, 1):
        head = [] if n == 1 else [f"{f['org']}   SAMMANTRÄDESPROTOKOLL   Sida {n}", f"{m.body}   {m.date}", ""]
        foot = ["", "Justerandes sign        Utdragsbestyrkande"]
        out.append("\n".join(head + page + foot))
    return "\n\f".join(out) + "\n"


def render_md_h3(m: Meeting) -> str:
    f = m.front
    out = [f"# Protokoll – {m.body}", "", f"**{f['org']}** · Sammanträdesdatum {m.date}", "",
           "| | |", "|---|---|", f"| Plats och tid | {f['plats']} |",
           f"| Beslutande | {', '.join(f['ledamoter'])} |", f"| Justerare | {f['justerare']} |",
           f"| Paragrafer | {f['paragrafer']} |", "", "## Ärenden", ""]
    for it in m.items:
        out += [f"### {it.number} {it.title}", ""]
        if it.dnr:
            out += [f"*Dnr {it.dnr}*", ""]
        for kind, text in item_blocks(it, "Beslut"):
            out += [f"**{text}**" if kind == "h" else text, ""]
    out += ["---", "", f"Vid protokollet: {f['sekreterare']}  ", f"Ordförande: {f['ordforande']}  ",
            f"Justerare: {f['justerande']}", ""]
    return "\n".join(out)


def render_arende_label(m: Meeting) -> str:
    f = m.front
    out = [f"{f['org']} – Lokala BRÅ (samverkansråd)", "Minnesanteckningar", "",
           f"Mötesdatum: {m.date}, kl. 09.00–11.00", "Plats: Stadshuset, sal Hjälmaren", "",
           f"Deltagare: {f['narvarande']}", "", "=" * 60, ""]
    for it in m.items:
        out += [f"Ärende: {it.title}", f"Diskussion: {' '.join(it.desc)}", f"Åtgärd: {' '.join(it.beslut)}", ""]
    out += ["=" * 60, f"Antecknat av {f['sekreterare']}", ""]
    return "\n".join(out)


def stable_zip(path: Path) -> None:
    """Rewrite a saved .docx with fixed zip timestamps so each run gives the same bytes."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        parts = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            z.writestr(zipfile.ZipInfo(name, date_time=(2024, 12, 1, 12, 0, 0)), data,
                       compress_type=zipfile.ZIP_DEFLATED)


def render_docx_caps(m: Meeting, path: Path) -> None:
    """Bold all-caps headings with typed numbers '2. LÄGESBILD FRÅN POLISEN'."""
    from docx.shared import Pt

    f = m.front
    doc = new_docx(m, "Arial", 10.5)
    doc.sections[0].header.paragraphs[0].text = f"{f['org']}\t\t{m.date}"
    p = doc.add_paragraph()
    r = p.add_run(f"PROTOKOLL {m.body.upper()}")
    r.bold = True
    r.font.size = Pt(15)
    doc.add_paragraph(f"Datum: {m.date}\nPlats och tid: {f['plats']}\nNärvarande: {f['narvarande']}")
    for it in m.items:
        p = doc.add_paragraph()
        p.add_run(f"{it.number}. {it.title.upper()}").bold = True
        for line in it.desc:
            doc.add_paragraph(line)
    doc.add_paragraph(f"Sekreterare: {f['sekreterare']}")
    doc.save(str(path))
    stable_zip(path)


def render_docx_punkt(m: Meeting, path: Path) -> None:
    """'Punkt 1 – Title' lines; the date only as 'tisdagen den 12 mars 2024' in the running text."""
    f = m.front
    doc = new_docx(m, "Calibri", 11)
    doc.sections[0].header.paragraphs[0].text = f"{f['org']} – {m.body}"
    doc.add_paragraph(f"Minnesanteckningar {m.body}", style="Title")
    doc.add_paragraph(f"Mötet hölls {sv_weekday(m.date)}en den {sv_date_long(m.date)} kl. 13.00–15.00 i "
                      f"{f['plats']}.")
    doc.add_paragraph(f"Närvarande: {f['narvarande']}")
    for it in m.items:
        p = doc.add_paragraph()
        p.add_run(f"Punkt {it.number} – {it.title}").bold = True
        for line in it.desc:
            doc.add_paragraph(line)
    doc.add_paragraph(f"Vid anteckningarna: {f['sekreterare']}")
    doc.save(str(path))
    stable_zip(path)


# --------------------------------------------------------------------------------------
# Gold labels and main
# --------------------------------------------------------------------------------------


gold_for = h.set_gold_for("heldout3")


def write_doc(m: Meeting, path: Path) -> None:
    if m.fmt == "pdf":
        path.write_bytes(two_pass(PDF_RENDERERS[m.family], m))
    elif m.family == "heldout3-docxcaps":
        render_docx_caps(m, path)
    elif m.family == "heldout3-punkt":
        render_docx_punkt(m, path)
    elif m.family == "heldout3-ocr":
        path.write_text(render_ocr(m), encoding="utf-8")
    elif m.family == "heldout3-mdh3":
        path.write_text(render_md_h3(m), encoding="utf-8")
    else:
        path.write_text(render_arende_label(m), encoding="utf-8")


def main() -> None:
    h.write_set(MEETINGS, write_doc, gold_for, DOCS, GOLD, ROOT)


if __name__ == "__main__":
    main()
