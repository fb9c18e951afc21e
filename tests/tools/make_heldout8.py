"""Write the eighth held-out structure set: a Meetings Plus-like kommunstyrelse, a kommunfullmäktige whose items
run on with '(forts.)' lines, a socialnämnd whose item headings are ruled table rows, a miljö- och
stadsbyggnadsnämnd with a delegation table inside an item, a KS arbetsutskott, a barn- och utbildningsnämnd with
section headings in the margin, a kallelse, and council notes (Word, plain text, Markdown).

Run ``python tests/tools/make_heldout8.py`` to regenerate ``tests/data/heldout8/docs/`` (PDF, DOCX, TXT, MD)
and their gold labels in ``tests/data/heldout8/gold/``. The content lives in
``tests/tools/data/heldout8_meetings.yaml``; the records, PDF machinery, section blocks, front matter and front
page, headers, footers, Word setup, the stable zip and the set writer are imported from ``make_heldout.py`` …
``make_heldout6.py``. Like set 7 the set aims to be representative of what Swedish municipalities publish,
mostly in shapes the earlier sets used, in municipalities none of them used, with a few common variations they
lacked. Each label comes from the same record its document is rendered from; none was made by running the
reader, and the author of this file did not read the reader's code (see ``tests/data/heldout8/README.md``).

Needs fpdf2, python-docx, PyYAML and the DejaVu and Liberation TrueType fonts (Debian: fonts-liberation).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_heldout as h  # noqa: E402
import make_heldout3 as h3  # noqa: E402
import make_heldout4 as h4  # noqa: E402
import make_heldout5 as h5  # noqa: E402
import make_heldout6 as h6  # noqa: E402
from make_heldout import (  # noqa: E402
    Meeting, cell_at, label_rows, line_in, need, new_docx, new_pdf, renders, start_item, sv_date_long,
    sv_weekday, write_blocks,
)

CONTENT = Path(__file__).resolve().parent / "data" / "heldout8_meetings.yaml"
blocks, shown, ALL_SECTIONS = h4.blocks, h4.shown, h5.ALL_SECTIONS
# The Ciceron-like template of set 1 ('§ 47' and 'Dnr VON 2025/0041' at the right on one line, the title
# below, signature boxes in the footer) is common enough to meet again as it is.
PDF_RENDERERS: dict = {"heldout8-ciceron": h.render_ciceron}


@dataclass
class Item8(h4.Item4):
    """An item with a ruled table in its text (delegation decisions) or a föredragande (kallelse)."""

    table: list[list[str]] = field(default_factory=list)
    foredragande: str | None = None


def load_meetings(path: Path = CONTENT) -> list[Meeting]:
    """The set's documents, in the order they are written."""
    import yaml

    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Meeting(**{**r, "items": [Item8(**it) for it in r["items"]]}) for r in records]


MEETINGS: list[Meeting] = load_meetings()


def renamed(bl: list[tuple[str, str]], names: dict[str, str]) -> list[tuple[str, str]]:
    """Section blocks with some headings printed under another name ('Expedieras till')."""
    return [(kind, names.get(text, text) if kind == "h" else text) for kind, text in bl]


def ruled_rows(pdf, x: float, cols: list[tuple[str, float]], rows: list[list[str]], size: float = 8.5,
               lh: float = 5) -> None:
    """A small ruled table at ``x``: a bold header row and one row per entry (cells on one line)."""
    for style, cells in [("B", [c for c, _ in cols])] + [("", r) for r in rows]:
        pdf.set_font("F", style, size)
        pdf.set_x(x)
        for text, (_, width) in zip(cells, cols):
            pdf.cell(width, lh, text, border=1)
        pdf.ln(lh)
    pdf.ln(2)


# --------------------------------------------------------------------------------------
# PDF families
# --------------------------------------------------------------------------------------


@renders(PDF_RENDERERS, "heldout8-mplusks")
def render_mplusks(m: Meeting, pages: dict):
    """Meetings Plus-like KS protocol (the shape of the Alingsås development files and set 4's Motala): logo
    text at the left and body / Protokoll / date at the right of every page, the page number alone at the top
    right, a row of empty signature boxes with 'Utdragsbestyrkande' at the foot; a front page, a bare
    paragraph list on page 2; every item on a new page as '§ 62  2025.041 KS' over the bold title; Beredning,
    Beslut, Expedieras till, Beslutsunderlag; 'Paragrafen är justerad'."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("", 8), 180, 8, 10, 4, str(pdf.page_no()), align="R")
        cell_at(pdf, ("B", 16), 20, 15, 70, 8, f["org"])
        cell_at(pdf, ("B", 10), 122, 13, 68, 5, m.body)
        cell_at(pdf, None, 122, 18, 68, 5, "Protokoll")
        cell_at(pdf, ("", 10), 122, 26, 68, 5, m.date)
        pdf.set_xy(20, 42)

    def footer(pdf):
        y = pdf.h - 22
        pdf.set_draw_color(0)
        pdf.line(20, y, 190, y)
        pdf.line(20, y + 9, 190, y + 9)
        for x in (20, 45, 70, 95, 120, 150, 190):
            pdf.line(x, y, x, y + 9)
        cell_at(pdf, ("", 6), 151, y + 0.5, 38, 3, "Utdragsbestyrkande")

    pdf = new_pdf(m, "liberation-sans", header, footer, top=42, bottom=30)
    pdf.add_page()
    y = pdf.get_y() + 2
    cell_at(pdf, ("B", 8.5), 20, y, 30, 4.5, "Plats och tid")
    pdf.set_xy(52, y)
    pdf.set_font("F", "", 8.5)
    pdf.multi_cell(62, 4.5, f["plats"], align="L")
    cell_at(pdf, ("B", 8.5), 120, y, 22, 4.5, "Paragrafer")
    cell_at(pdf, ("", 8.5), 142, y, 40, 4.5, f["paragrafer"])
    pdf.set_y(y + 14)
    label_rows(pdf, [("Beslutande", f["ledamoter"]), ("Ej tjänstgörande ersättare", f["ej_tjanstgorande"]),
                     ("Övriga deltagare", f["ovriga"]), ("Utses att justera", f["justerare"]),
                     ("Justeringens plats och tid", f["justering"])], 20, 32, 170, size=8.5, lh=4.3)
    pdf.ln(2)
    for label, name in (("Sekreterare", f["sekreterare"]), ("Ordförande", f["ordforande"]),
                        ("Justerande", f["justerande"])):
        yy = pdf.get_y()
        cell_at(pdf, ("B", 8.5), 20, yy, 40, 4.5, label)
        cell_at(pdf, ("", 9), 52, yy + 7, 80, 4.5, name)
        pdf.set_y(yy + 16)
    pdf.set_font("F", "", 8.5)
    pdf.multi_cell(170, 4.5, "Protokollet är justerat. Justeringen har tillkännagivits på Mora kommuns digitala "
                   "anslagstavla.", align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.line(20, pdf.get_y() + 1, 190, pdf.get_y() + 1)
    pdf.add_page()
    pdf.ln(14)
    pdf.set_font("F", "", 9)
    for it in m.items:
        yy = pdf.get_y()
        cell_at(pdf, None, 20, yy, 20, 4.5, it.number)
        pdf.set_xy(42, yy)
        pdf.multi_cell(130, 4.5, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
    for it in m.items:
        pdf.add_page()
        pdf.item_pages[it.number] = pdf.page_no()
        pdf.ln(8)
        line_in(pdf, ("", 9.5), 170, 5, f"{it.number}  {it.dnr}" if it.dnr else it.number)
        pdf.ln(3)
        pdf.set_font("F", "B", 12.5)
        pdf.multi_cell(170, 6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        bl = blocks(it, order="desc yrkanden proposition beslut reservation skickas underlag")
        write_blocks(pdf, renamed(bl, {"Beslutet skickas till": "Expedieras till"}), 20, 170, size=9.5, lh=4.8)
        pdf.ln(6)
        line_in(pdf, ("B", 9.5), 170, 5, "Paragrafen är justerad")
    return pdf


@renders(PDF_RENDERERS, "heldout8-kf")
def render_kf(m: Meeting, pages: dict):
    """A kommunfullmäktige protocol (serif): two-row header with 'Sida 3(9)', a text footer with 'Justerandes
    sign' and 'Utdragsbestyrkande'; '§ 39' at the margin with the bold title beside it and 'Diarienr:
    KS-2025-00087' under the title; an item that runs on to a new page gets a '§ 39 (forts.)' line under the
    header; decisions in numbered points; the attendance and voting list (Bilaga 1) after the items."""
    f = m.front
    base = h5.two_row_header((f["org"], m.body), ("SAMMANTRÄDESPROTOKOLL", f"Sammanträdesdatum {m.date}"),
                             page_fmt="Sida {n}({nb})", top=32, rule=25)

    def header(pdf):
        base(pdf)
        if getattr(pdf, "forts", None):
            cell_at(pdf, ("B", 10.5), 20, 31, 80, 5, f"{pdf.forts} (forts.)")
            pdf.set_xy(20, 39)

    def footer(pdf):
        cell_at(pdf, ("", 8.5), 20, pdf.h - 18, 170, 4,
                "Justerandes sign  ……………………  ……………………          Utdragsbestyrkande  ……………………")

    pdf = new_pdf(m, "liberation-serif", header, footer, top=32, bottom=26)
    h6.front_page(pdf, m, [(("B", 16), m.body),
                           (("", 10.5), f"Sammanträde {sv_weekday(m.date)}en den {sv_date_long(m.date)}")],
                  h4.front_rows(m))
    for it in m.items:
        start_item(pdf, it, 44)
        pdf.ln(5)
        pdf.set_font("F", "B", 12)
        h.inline_heading(pdf, pdf.get_y(), it.number, it.title, it.dnr and f"Diarienr: {it.dnr}", 42, 9)
        pdf.ln(1)
        pdf.forts = it.number  # the '(forts.)' line on the pages this item runs on to
        write_blocks(pdf, blocks(it, desc_h="Ärendebeskrivning", beslut_h="Kommunfullmäktiges beslut",
                                 order=ALL_SECTIONS), 42, 148, size=10.5, lh=5.2)
        pdf.forts = None
    pdf.add_page()
    line_in(pdf, ("B", 12), 170, 7, f"Bilaga 1, {m.body} {m.date}")
    line_in(pdf, ("B", 10.5), 170, 6, "Närvaro- och omröstningslista")
    pdf.ln(2)
    members = (("Gunilla Häggström", "S", "Nej"), ("Glenn Nordlund", "S", "Nej"), ("Eva Nordin", "S", "Nej"),
               ("Sven-Olof Backlund", "M", "Nej"), ("Stefan Edin", "SD", "Ja"), ("Gunnar Höglund", "V", "Nej"),
               ("Ann-Sofie Åkerlund", "L", "Nej"), ("Oskar Näslund", "C", "Nej"), ("Hanna Lidén", "KD", "Nej"),
               ("Maja Berglund", "SD", "Ja"))
    h5.grid(pdf, (("Ledamot", 60), ("Parti", 16), ("Närvarande", 24), ("§ 46", 20)),
            [(name, party, "X", vote) for name, party, vote in members])
    pdf.ln(3)
    pdf.set_font("F", "", 9.5)
    pdf.multi_cell(170, 5, "Förkortad lista. Omröstning i § 46: 18 ja, 39 nej, 4 frånvarande.", align="L",
                   new_x="LMARGIN", new_y="NEXT")
    return pdf


@renders(PDF_RENDERERS, "heldout8-boxhead")
def render_boxhead(m: Meeting, pages: dict):
    """A nämnd protocol from a Word template whose item heading is a ruled table row of three cells: '§ 35',
    the bold title (wrapping inside its cell) and 'Dnr' over 'SN 2025/0045'; the text in full width below."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 13), 20, 11, 90, 6, f["org"])
        cell_at(pdf, ("", 10), 20, 17.5, 90, 5, m.body)
        h6.right_block(pdf, [(("B", 10), "PROTOKOLL"), (("", 9.5), m.date),
                             (("", 8.5), f"Sida {pdf.page_no()} av {{nb}}")], y=10, lh=4.8)
        pdf.set_draw_color(0)
        pdf.line(20, 26, 190, 26)
        pdf.set_xy(20, 32)

    pdf = new_pdf(m, "dejavu-sans", header, h.box_footer, top=32, bottom=28)
    h6.front_page(pdf, m, [(("B", 15), f"{m.body}s protokoll"),
                           (("", 10), f"Sammanträde {sv_weekday(m.date)} {sv_date_long(m.date)}")],
                  h4.front_rows(m))
    for it in m.items:
        start_item(pdf, it, 40)
        pdf.ln(5)
        pdf.set_font("F", "B", 11)
        lines = pdf.multi_cell(112, 5.5, it.title, dry_run=True, output="LINES")
        height = max(len(lines) * 5.5, 11) + 3
        y = pdf.get_y()
        pdf.set_draw_color(0)
        for x, w in ((20, 22), (42, 116), (158, 32)):
            pdf.rect(x, y, w, height)
        cell_at(pdf, ("B", 11), 22, y + 1.5, 18, 5.5, it.number)
        pdf.set_xy(44, y + 1.5)
        pdf.set_font("F", "B", 11)
        pdf.multi_cell(112, 5.5, it.title, align="L")
        if it.dnr:
            cell_at(pdf, ("", 7.5), 160, y + 1.5, 28, 4, "Dnr")
            cell_at(pdf, ("", 9.5), 160, y + 5.5, 28, 5, it.dnr)
        pdf.set_xy(20, y + height + 2)
        write_blocks(pdf, blocks(it, desc_h="Ärendet", beslut_h="Socialnämndens beslut", order=ALL_SECTIONS),
                     20, 170, size=9.5, lh=4.8)
    return pdf


@renders(PDF_RENDERERS, "heldout8-msn")
def render_msn(m: Meeting, pages: dict):
    """A miljö- och stadsbyggnadsnämnd protocol: 'MSN § 62' in a margin column with the bare case number
    'MSN 2025/412' in small type under it, the bold title in the text column beside, 'Sökande:' /
    'Fastighetsadress:' lines under the title; a delegation item whose text holds a ruled table of decisions
    (Dnr / Ärende / Beslutsdatum), its rows starting with case numbers."""
    pdf = new_pdf(m, "liberation-sans", h.lex_header(m), h5.sign_footer(("Justerandes sign", "Utdragsbestyrkande"),
                                                                         boxes=3), top=34, bottom=28)
    h6.front_page(pdf, m, [(("B", 15), m.body), (("", 10), f"Sammanträdesdatum {m.date}")], h4.front_rows(m))
    for it in m.items:
        start_item(pdf, it, 40)
        pdf.ln(5)
        y = pdf.get_y()
        cell_at(pdf, ("B", 10.5), 20, y, 32, 5.5, shown(it))
        if it.dnr:
            cell_at(pdf, ("", 8), 20, y + 6, 32, 4, it.dnr)
        pdf.set_xy(54, y)
        pdf.set_font("F", "B", 11.5)
        pdf.multi_cell(136, 5.8, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        for line in it.extra_lines:
            pdf.set_x(54)
            line_in(pdf, ("", 9.5), 136, 5, line)
        pdf.set_y(max(pdf.get_y(), y + 11))
        write_blocks(pdf, blocks(it, desc_h="Ärendet", order="desc"), 54, 136, size=9.5, lh=4.8)
        if it.table:
            ruled_rows(pdf, 54, [("Dnr", 28), ("Ärende", 80), ("Beslutsdatum", 26)], it.table)
        write_blocks(pdf, blocks(it, beslut_h="Miljö- och stadsbyggnadsnämndens beslut",
                                 order="yrkanden proposition beslut reservation skickas"), 54, 136, size=9.5, lh=4.8)
    return pdf


@renders(PDF_RENDERERS, "heldout8-ksau")
def render_ksau(m: Meeting, pages: dict):
    """A KS arbetsutskott protocol: the header date written out ('18 februari 2025'), '§ 19' bold at the left
    with the bold title beside it (hanging), the bare case number 'KS 2025/31' right-aligned on the line below
    the title; Bakgrund / Förslag till beslut / Arbetsutskottets beslut; 'Justerare' / 'Utdragsbestyrkande'
    text footer."""
    f = m.front
    header = h5.two_row_header((f["org"], m.body), ("PROTOKOLL", f"Sammanträdesdatum {sv_date_long(m.date)}"),
                               page_fmt="Sida {n} av {nb}")

    def footer(pdf):
        cell_at(pdf, ("", 8.5), 20, pdf.h - 18, 170, 4, "Justerare ____________________     "
                "Utdragsbestyrkande ____________________")

    pdf = new_pdf(m, "liberation-sans", header, footer, top=30, bottom=26)
    h6.front_page(pdf, m, [(("B", 15), m.body), (("", 10), f"Sammanträdesdatum {m.date}")],
                  h4.front_rows(m, justerare="Justerare"), anslag=False)
    for it in m.items:
        start_item(pdf, it, 36)
        pdf.ln(5)
        y = pdf.get_y()
        cell_at(pdf, ("B", 11.5), 20, y, 16, 6, it.number)
        pdf.set_xy(36, y)
        pdf.multi_cell(154, 6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        if it.dnr:
            line_in(pdf, ("", 9.5), 170, 5, it.dnr, align="R")
        pdf.ln(1)
        write_blocks(pdf, blocks(it, desc_h="Bakgrund", beslut_h="Arbetsutskottets beslut", order=ALL_SECTIONS),
                     36, 154, size=10, lh=5)
    return pdf


@renders(PDF_RENDERERS, "heldout8-bunmargin")
def render_bunmargin(m: Meeting, pages: dict):
    """A nämnd protocol (serif) whose heading line holds '§ 52' at the left and the bare case number
    'BUN 2025/0112' at the right, the bold title below in full width; the item's section headings
    (Ärendebeskrivning, Beslutsunderlag, Yrkanden, Beslut …) in the left margin beside their text."""
    f = m.front
    header = h5.two_row_header((f["org"], m.body), ("PROTOKOLL", f"Sammanträdesdatum {m.date}"),
                               page_fmt="{n}({nb})")
    pdf = new_pdf(m, "dejavu-serif", header, h5.sign_footer(("Justerandes sign", "Utdragsbestyrkande"), boxes=2),
                  top=30, bottom=28)
    h6.front_page(pdf, m, [(("B", 15), "Protokoll"), (("", 10), f"{m.body}, {sv_date_long(m.date)}")],
                  h4.front_rows(m))
    for it in m.items:
        start_item(pdf, it, 40)
        pdf.ln(5)
        y = pdf.get_y()
        cell_at(pdf, ("B", 11), 20, y, 30, 6, it.number)
        if it.dnr:
            cell_at(pdf, ("", 9.5), 120, y, 70, 6, it.dnr, align="R")
        pdf.set_xy(20, y + 7)
        pdf.set_font("F", "B", 12)
        pdf.multi_cell(170, 6.2, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        write_blocks(pdf, blocks(it, beslut_h="Beslut", order=ALL_SECTIONS), 62, 128, size=9.5, lh=4.8,
                     heading_margin=(20, 40))
    return pdf


@renders(PDF_RENDERERS, "heldout8-kallelse")
def render_kallelse(m: Meeting, pages: dict):
    """A kallelse to the kommunstyrelse dated a week before the meeting ('Datum 4 mars 2025'): the meeting
    'tisdagen den 11 mars 2025', then 'Ärenden' as typed '1.' rows with the case number in a right column and
    'Föredragande: …' under the title, grouped under 'Beslutsärenden' and 'Anmälnings- och
    informationsärenden'."""
    f = m.front
    header = h5.two_row_header((f["org"], m.body), ("KALLELSE", f"Datum {f['utskick']}"), page_fmt="Sida {n} av {nb}")

    def footer(pdf):
        cell_at(pdf, ("", 7.5), 20, pdf.h - 15, 170, 4, "Sölvesborgs kommun · 294 80 Sölvesborg · Besöksadress "
                "Stortorget 1 · 0456-81 60 00 · solvesborg.se", align="C")

    pdf = new_pdf(m, "liberation-sans", header, footer, top=30, bottom=22)
    pdf.add_page()
    line_in(pdf, ("B", 16), 170, 9, "Kallelse")
    pdf.set_font("F", "", 10.5)
    pdf.multi_cell(170, 5.5, f"{m.body} kallas till sammanträde.", align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    label_rows(pdf, [("Tid", f"{sv_weekday(m.date).capitalize()}en den {sv_date_long(m.date)} {f['tid']}"),
                     ("Plats", f["plats"])], 20, 26, 170, size=10)
    pdf.set_font("F", "", 9.5)
    pdf.multi_cell(170, 4.8, "Förhinder anmäls till kommunledningsförvaltningen senast dagen före sammanträdet. "
                   "Handlingarna finns i Meetings Plus.", align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    line_in(pdf, ("B", 13), 170, 8, "Ärenden")
    groups = {"3": "Beslutsärenden", "8": "Anmälnings- och informationsärenden"}
    for it in m.items:
        if it.number in groups:
            need(pdf, 20)
            pdf.ln(2)
            line_in(pdf, ("B", 10.5), 170, 6, groups[it.number])
        need(pdf, 14)
        pdf.item_pages[it.number] = pdf.page_no()
        y = pdf.get_y() + 1.5
        cell_at(pdf, ("", 10.5), 20, y, 8, 5.5, f"{it.number}.")
        pdf.set_xy(28, y)
        pdf.multi_cell(120, 5.5, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        y2 = pdf.get_y()
        if it.dnr:
            cell_at(pdf, ("", 9.5), 152, y, 38, 5.5, it.dnr, align="R")
        pdf.set_y(y2)
        if it.foredragande:
            pdf.set_x(28)
            line_in(pdf, ("I", 9), 120, 4.8, f"Föredragande: {it.foredragande}")
        pdf.ln(1.5)
    pdf.ln(8)
    line_in(pdf, ("", 10.5), 170, 5.5, "Välkomna!")
    pdf.ln(4)
    pdf.cell(85, 5.5, f["ordforande"])
    line_in(pdf, ("", 10.5), 85, 5.5, f["sekreterare"])
    pdf.set_font("F", "I", 9.5)
    pdf.cell(85, 5, "Ordförande")
    line_in(pdf, ("I", 9.5), 85, 5, "Sekreterare")
    return pdf


# --------------------------------------------------------------------------------------
# Word, text and Markdown
# --------------------------------------------------------------------------------------


def numbered_paragraph(doc, p, num_id: int = 91) -> None:
    """Number paragraph ``p`` with Word's automatic numbering '1.', '2.', … set on the paragraph itself (not
    on its style): the number is drawn by Word and is not in the paragraph's text. The numbering definition is
    added on first use."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = doc.part.numbering_part.element
    if not numbering.xpath(f'./w:num[@w:numId="{num_id}"]'):
        abstract = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{num_id}"><w:multiLevelType w:val="hybridMultilevel"/>'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>'
            '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="360" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>')
        first_num = numbering.find(abstract.tag.replace("abstractNum", "num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
        numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId '
                                   f'w:val="{num_id}"/></w:num>'))
    num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id


def render_tryggdocx(m: Meeting, path: Path) -> None:
    """Trygghetsråd notes in Word: a bold title, 'Datum: 20 maj 2025', participants as a bullet list; items as
    bold 'List Paragraph' paragraphs numbered by Word on the paragraph itself (no heading style, the numbers not
    in the text), the notes as indented Normal paragraphs."""
    from docx.shared import Cm, Pt

    f = m.front
    doc = new_docx(m, "Calibri", 11)
    doc.sections[0].header.paragraphs[0].text = f"{f['org']}\tKommunledningsförvaltningen"
    r = doc.add_paragraph().add_run(f"Minnesanteckningar {m.body.lower()}")
    r.bold = True
    r.font.size = Pt(16)
    doc.add_paragraph(f"Datum: {sv_date_long(m.date)}")
    doc.add_paragraph(f"Plats och tid: {f['plats']}")
    doc.add_paragraph("Närvarande:")
    for name in f["narvarande"]:
        doc.add_paragraph(name, style="List Bullet")
    doc.add_paragraph()
    for it in m.items:
        p = doc.add_paragraph(style="List Paragraph")
        p.paragraph_format.space_before = Pt(10)
        p.add_run(it.title).bold = True
        numbered_paragraph(doc, p)
        for line in it.desc:
            q = doc.add_paragraph(line)
            q.paragraph_format.left_indent = Cm(0.63)
    doc.add_paragraph()
    doc.add_paragraph(f"Vid anteckningarna\n{f['sekreterare']}, säkerhetssamordnare")
    doc.save(str(path))
    h3.stable_zip(path)


def render_fhrtxt(m: Meeting) -> str:
    """Folkhälsoråd notes as plain text (UTF-8, LF): the date 'torsdag 3 april 2025', a 'Dagordning' list of the
    item titles ('1. Mötets öppnande'), a dashed rule, then the items under the same '1. Title' lines."""
    f = m.front
    out = [f["org"].upper(), f"Minnesanteckningar, {m.body.lower()}", "",
           f"Datum: {sv_weekday(m.date)} {sv_date_long(m.date)}, {f['tid']}", f"Plats: {f['plats']}", "",
           "Närvarande:"] + [f"  {p}" for p in f["narvarande"]] + ["", "Dagordning"]
    out += [f"{it.number}. {it.title}" for it in m.items] + ["", "-" * 60, ""]
    for it in m.items:
        out += [f"{it.number}. {it.title}"] + it.desc + [""]
    out += [f"Vid anteckningarna: {f['sekreterare']}"]
    return "\n".join(out) + "\n"


def render_bramd(m: Meeting) -> str:
    """BRÅ notes in Markdown: a '#' title, the date in a sentence ('onsdag 26 februari 2025'), items as an
    ordered list whose entries are a bold title ('1. **Mötets öppnande**') followed by indented paragraphs."""
    f = m.front
    out = [f"# {m.body} (BRÅ) i {f['org']}", "",
           f"Minnesanteckningar från mötet {sv_weekday(m.date)} {sv_date_long(m.date)} kl. {f['tid']}  ",
           f"Plats: {f['plats']}", "", f"**Deltagare:** {f['deltagare']}", "", "## Anteckningar", ""]
    for it in m.items:
        out += [f"{it.number}. **{it.title}**  "]
        for k, line in enumerate(it.desc):
            out += ([""] if k else []) + [f"   {line}"]
        out += [""]
    out += ["---", "", f"*Antecknat av {f['sekreterare']}*", ""]
    return "\n".join(out)


# --------------------------------------------------------------------------------------
# Gold labels and main
# --------------------------------------------------------------------------------------


TEXT_RENDERERS = {"heldout8-fhrtxt": render_fhrtxt, "heldout8-bramd": render_bramd}


def main() -> None:
    h.write_set_main("heldout8", MEETINGS, TEXT_RENDERERS, render_tryggdocx, PDF_RENDERERS)


if __name__ == "__main__":
    main()
