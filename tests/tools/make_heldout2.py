"""Write the second held-out structure set: layouts that neither the reader nor the first set used.

Run ``python tests/tools/make_heldout2.py`` to regenerate ``tests/data/heldout2/docs/``
(PDF, DOCX, TXT in UTF-8 and Windows-1252, MD) and their gold labels in
``tests/data/heldout2/gold/``. The content lives in ``tests/tools/data/heldout2_meetings.yaml``;
the records, PDF machinery and gold format are imported from ``make_heldout.py``. Each label
comes from the same record its document is rendered from; none was made by running the reader,
and the author of this file did not read the reader's code (see ``tests/data/heldout2/README.md``).

Needs fpdf2, python-docx, PyYAML and the DejaVu/Liberation TrueType fonts.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_heldout as h  # noqa: E402
from make_heldout import (  # noqa: E402
    Item, Meeting, anslag_block, cell_at, line_in, box_footer, item_blocks, label_rows, load_meetings, need, new_pdf,
    new_docx, owner_genitive, renders, sign_line, start_item, sv_date_long, sv_weekday, write_blocks,
)

ROOT = h.ROOT
OUT = ROOT / "tests" / "data" / "heldout2"
DOCS = OUT / "docs"
GOLD = OUT / "gold"
CONTENT = Path(__file__).resolve().parent / "data" / "heldout2_meetings.yaml"
MEETINGS: list[Meeting] = load_meetings(CONTENT)
PDF_RENDERERS: dict = {}  # family -> render(m, pages) returning the FPDF


def shown(it: Item) -> str:
    return it.shown_number or it.number or ""


def front_rows(m: Meeting) -> list[tuple[str, object]]:
    f = m.front
    rows = [("Plats och tid", f["plats"]), ("Beslutande", f["ledamoter"])]
    if f.get("ovriga"):
        rows.append(("Övriga närvarande", f["ovriga"]))
    rows.append(("Justerare", f["justerare"]))
    if f.get("justering"):
        rows.append(("Justeringens plats och tid", f["justering"]))
    rows.append(("Paragrafer" if m.items[0].number and m.items[0].number.startswith("§") else "Ärenden",
                 f["paragrafer"]))
    return rows


def simple_header(org: str, right: str, body: str, date: str, line_w: float = 190):
    def header(pdf):
        cell_at(pdf, ("B", 10), 20, 12, 80, 5, org)
        cell_at(pdf, ("", 9), line_w - 60, 12, 60, 5, f"{right}  {pdf.page_no()} ({{nb}})", align="R")
        cell_at(pdf, None, 20, 17, 80, 5, body)
        cell_at(pdf, None, line_w - 60, 17, 60, 5, date, align="R")
        pdf.line(20, 24, line_w, 24)
        pdf.set_xy(20, 30)
    return header


def boxed_pdf(m: Meeting, fonts: str, word: str):
    """A PDF with the simple ruled header (org, ``word``, body, date) and the signature-box footer."""
    return new_pdf(m, fonts, simple_header(m.front["org"], word, m.body, m.date), box_footer, top=30)


def signatures(pdf, m: Meeting, x: float = 20) -> None:
    f = m.front
    need(pdf, 60)
    pdf.ln(4)
    sign_line(pdf, x, "Sekreterare", f["sekreterare"])
    sign_line(pdf, x, "Ordförande", f["ordforande"])
    sign_line(pdf, x, "Justerare", f["justerande"])


# --------------------------------------------------------------------------------------
# PDF families
# --------------------------------------------------------------------------------------


@renders(PDF_RENDERERS, "heldout2-arende")
def render_arende(m: Meeting, pages: dict):
    """A 'Dagordning' numbered list, then 'Protokoll' with 'Ärende N' over each title."""
    pdf = boxed_pdf(m, "dejavu-sans", "Protokoll")
    pdf.add_page()
    line_in(pdf, ("B", 18), 170, 10, m.body)
    line_in(pdf, ("", 11), 170, 6, f"Sammanträde {sv_weekday(m.date)} {sv_date_long(m.date)}")
    pdf.ln(4)
    line_in(pdf, ("B", 13), 170, 8, "Dagordning")
    pdf.set_font("F", "", 10.5)
    for it in m.items:
        pdf.cell(8, 6, f"{it.number}.")
        pdf.cell(160, 6, it.title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    line_in(pdf, ("B", 16), 170, 10, "Protokoll")
    pdf.ln(2)
    label_rows(pdf, front_rows(m), 20, 48, 170, size=9.5)
    signatures(pdf, m)
    pdf.add_page()
    for it in m.items:
        start_item(pdf, it, 45)
        pdf.ln(4)
        line_in(pdf, ("B", 10), 170, 5.5, shown(it))
        pdf.set_font("F", "B", 12.5)
        pdf.multi_cell(170, 6.5, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        if it.dnr:
            line_in(pdf, ("", 9), 170, 5, f"Diarienummer {it.dnr}")
        write_blocks(pdf, item_blocks(it, "Nämndens beslut"), 20, 170, size=10)
    return pdf


@renders(PDF_RENDERERS, "heldout2-landscape")
def render_landscape(m: Meeting, pages: dict):
    """Landscape A4 notes: 'Punkt N: Title' on one line, decimal sub-points (2.1, 2.2) inside items."""
    f = m.front

    def header(pdf):
        pdf.set_font("F", "", 9)
        pdf.set_xy(20, 10)
        pdf.cell(257, 5, f"{f['org']}  |  {m.body}  |  Minnesanteckningar {m.date}  |  sida {pdf.page_no()}",
                 align="R")
        pdf.line(20, 16, 277, 16)
        pdf.set_xy(20, 22)

    def footer(pdf):
        cell_at(pdf, ("I", 8), 20, pdf.h - 12, 257, 4, "Anteckningarna är inte justerade och utgör inte ett protokoll.")

    pdf = new_pdf(m, "liberation-sans", header, footer, top=22, bottom=18)
    pdf.def_orientation = "L"
    pdf.add_page(orientation="L")
    line_in(pdf, ("B", 18), 257, 10, f"Minnesanteckningar {m.body}")
    pdf.set_font("F", "", 10.5)
    pdf.multi_cell(257, 5.5, f"Datum: {sv_date_long(m.date)}\nPlats och tid: {f['plats']}\n"
                   f"Närvarande: {f['narvarande']}", align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for it in m.items:
        need(pdf, 25)
        pdf.ln(3)
        pdf.set_font("F", "B", 12)
        pdf.multi_cell(257, 6.5, f"{shown(it)} {it.title}", align="L", new_x="LMARGIN", new_y="NEXT")
        for line in it.desc:
            head, _, rest = line.partition(" ")
            if head.replace(".", "").isdigit() and "." in head and len(line) < 40:
                pdf.set_font("F", "B", 10.5)
                pdf.set_x(28)
                pdf.cell(240, 6, line, new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.set_font("F", "", 10.5)
                pdf.set_x(28)
                pdf.multi_cell(249, 5.5, line, align="L", new_x="LMARGIN", new_y="NEXT")
                pdf.ln(1)
    pdf.ln(4)
    line_in(pdf, ("I", 10), 257, 5, f"Vid anteckningarna: {f['sekreterare']}")
    return pdf


def small_caps(pdf, x: float, y: float, text: str, size: float = 11.5, lh: float = 6.5,
               w: float = 140) -> None:
    """Bold small caps: capitals at full size, lower-case letters as smaller capitals; wraps at ``w``."""
    small = size * 0.78
    cx = x
    for word in text.split(" "):
        ww = 0.0
        parts = []
        for ch in word:
            up = ch.upper()
            sz = size if (ch == up) else small
            pdf.set_font("F", "B", sz)
            parts.append((up, sz))
            ww += pdf.get_string_width(up)
        pdf.set_font("F", "B", size)
        space = pdf.get_string_width(" ")
        if cx > x and cx + ww > x + w:
            cx = x
            y += lh
        for up, sz in parts:
            cell_at(pdf, ("B", sz), cx, y + (size - sz) * 0.12, pdf.get_string_width(up), lh, up)
            cx += pdf.get_string_width(up)
        cx += space
    pdf.set_xy(x, y + lh)


@renders(PDF_RENDERERS, "heldout2-smallcaps")
def render_smallcaps(m: Meeting, pages: dict):
    """Two-column front table, '§ 87' beside a title in bold small caps, dnr below."""
    f = m.front
    pdf = boxed_pdf(m, "liberation-serif", "PROTOKOLL")
    pdf.add_page()
    line_in(pdf, ("B", 20), 170, 11, "Protokoll")
    line_in(pdf, ("", 11), 170, 6, f"{m.body}, {sv_date_long(m.date)}")
    pdf.ln(4)
    y0 = pdf.get_y()
    left = [("Plats och tid", [f["plats"]]), ("Beslutande", f["ledamoter"])]
    right = [("Övriga närvarande", f["ovriga"]), ("Justerare", [f["justerare"]]),
             ("Justering", [f["justering"]]), ("Paragrafer", [f["paragrafer"]])]
    ends = []
    for x, rows in ((20, left), (108, right)):
        pdf.set_y(y0)
        for label, lines in rows:
            pdf.set_x(x)
            line_in(pdf, ("B", 9.5), 80, 5, label)
            pdf.set_font("F", "", 9.5)
            for line in lines:
                pdf.set_x(x)
                pdf.multi_cell(80, 5, line, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        ends.append(pdf.get_y())
    pdf.rect(18, y0 - 2, 174, max(ends) - y0 + 2)
    pdf.line(105, y0 - 2, 105, max(ends))
    pdf.set_y(max(ends) + 6)
    signatures(pdf, m)
    anslag_block(pdf, m, 20, 170, size=9)
    pdf.add_page()
    for it in m.items:
        start_item(pdf, it, 40)
        pdf.ln(5)
        y = pdf.get_y()
        cell_at(pdf, ("B", 11.5), 20, y, 25, 6.5, it.number)
        small_caps(pdf, 45, y, it.title)
        if it.dnr:
            pdf.set_font("F", "", 9.5)
            pdf.set_x(45)
            pdf.cell(100, 5, it.dnr, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        write_blocks(pdf, item_blocks(it, owner_genitive(m.body) + " beslut", desc_heading="Bakgrund"),
                     45, 145, size=10.5)
    return pdf


@renders(PDF_RENDERERS, "heldout2-roman")
def render_roman(m: Meeting, pages: dict):
    """Items '31 §  Title' grouped under Roman-numeral section headings; register number below in grey."""
    f = m.front
    pdf = boxed_pdf(m, "dejavu-condensed", "Sammanträdesprotokoll")
    pdf.add_page()
    line_in(pdf, ("B", 16), 170, 9, f"{m.body}")
    line_in(pdf, ("", 10.5), 170, 6, f"Sammanträdesprotokoll {m.date}")
    pdf.ln(4)
    label_rows(pdf, front_rows(m), 20, 48, 170, size=9.5)
    signatures(pdf, m)
    pdf.add_page()
    section_of = {num: name for name, nums in m.extra["sections"].items() for num in nums}
    for it in m.items:
        sec = section_of.get(it.number)
        if sec and m.extra["sections"][sec][0] == it.number:
            need(pdf, 50)
            pdf.ln(5)
            line_in(pdf, ("B", 14), 170, 8, sec)
            pdf.line(20, pdf.get_y(), 190, pdf.get_y())
        start_item(pdf, it, 36)
        pdf.ln(4)
        pdf.set_font("F", "B", 12)
        pdf.multi_cell(170, 6.5, f"{shown(it)}  {it.title}", align="L", new_x="LMARGIN", new_y="NEXT")
        if it.dnr:
            pdf.set_text_color(110)
            line_in(pdf, ("", 9), 170, 5, it.dnr)
            pdf.set_text_color(0)
        write_blocks(pdf, item_blocks(it, "Arbetsutskottets beslut"), 20, 170, size=10)
    return pdf


def vote_table(pdf, voters: list, x: float = 20) -> None:
    need(pdf, 10 + 5.5 * (len(voters) + 2))
    pdf.set_font("F", "B", 9.5)
    pdf.set_x(x)
    for head, w in (("Ledamot", 60), ("Parti", 20), ("Ja", 15), ("Nej", 15), ("Avstår", 18)):
        pdf.cell(w, 6, head, border=1)
    pdf.ln(6)
    pdf.set_font("F", "", 9.5)
    counts = {"Ja": 0, "Nej": 0, "Avstår": 0}
    for name, party, vote in voters:
        counts[vote] += 1
        pdf.set_x(x)
        pdf.cell(60, 5.5, name, border=1)
        pdf.cell(20, 5.5, party, border=1)
        for v, w in (("Ja", 15), ("Nej", 15), ("Avstår", 18)):
            pdf.cell(w, 5.5, "X" if vote == v else "", border=1, align="C")
        pdf.ln(5.5)
    pdf.set_font("F", "B", 9.5)
    pdf.set_x(x)
    pdf.cell(80, 6, "Summa", border=1)
    for v, w in (("Ja", 15), ("Nej", 15), ("Avstår", 18)):
        pdf.cell(w, 6, str(counts[v]), border=1, align="C")
    pdf.ln(9)


@renders(PDF_RENDERERS, "heldout2-kf")
def render_kf(m: Meeting, pages: dict):
    """Council protocol: '§ 43 Title' one line, '§§ 41–42' joint item, interpellations, a voting table."""
    f = m.front
    pdf = boxed_pdf(m, "liberation-sans", "PROTOKOLL")
    pdf.add_page()
    line_in(pdf, ("B", 20), 170, 11, m.body)
    line_in(pdf, ("", 11), 170, 6, f"Protokoll {sv_weekday(m.date)} {sv_date_long(m.date)}")
    pdf.ln(4)
    label_rows(pdf, front_rows(m), 20, 48, 170, size=9.5)
    signatures(pdf, m)
    pdf.add_page()
    line_in(pdf, ("B", 14), 170, 8, "Justering och anslag")
    pdf.set_font("F", "", 10)
    pdf.multi_cell(170, 5.2, f"Protokollet justerades {f['justering']}. Justerare: {f['justerande']}.",
                   align="L", new_x="LMARGIN", new_y="NEXT")
    anslag_block(pdf, m, 20, 170, size=9)
    pdf.add_page()
    for it in m.items:
        start_item(pdf, it, 40)
        pdf.ln(4)
        pdf.set_font("F", "B", 12.5)
        pdf.multi_cell(170, 6.5, f"{shown(it)} {it.title}", align="L", new_x="LMARGIN", new_y="NEXT")
        if it.dnr:
            line_in(pdf, ("", 9), 170, 5, f"Dnr {it.dnr}")
        blocks = item_blocks(it, "Kommunfullmäktiges beslut")
        if it.number == m.extra.get("vote_item"):
            cut = next(i for i, b in enumerate(blocks) if b == ("h", "Kommunfullmäktiges beslut"))
            write_blocks(pdf, blocks[:cut], 20, 170, size=10)
            line_in(pdf, ("B", 10), 170, 7, "Omröstningsresultat")
            vote_table(pdf, m.extra["voters"])
            write_blocks(pdf, blocks[cut:], 20, 170, size=10)
        else:
            write_blocks(pdf, blocks, 20, 170, size=10)
    pdf.add_page()
    line_in(pdf, ("B", 13), 170, 8, "Bilaga 1  Närvaro- och omröstningslista")
    line_in(pdf, ("", 10), 170, 6, f"Votering {m.extra['vote_item']}")
    vote_table(pdf, m.extra["voters"])
    return pdf


@renders(PDF_RENDERERS, "heldout2-utdrag")
def render_utdrag(m: Meeting, pages: dict):
    """A one-item extract: 'PROTOKOLLSUTDRAG', the item, then a page of justering, anslag, bestyrkande."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 12), 20, 12, 80, 6, f["org"].upper())
        cell_at(pdf, ("B", 11), 110, 12, 80, 6, "PROTOKOLLSUTDRAG", align="R")
        cell_at(pdf, ("", 9), 110, 18, 80, 5, f"Sammanträdesdatum {m.date}", align="R")
        cell_at(pdf, None, 20, 18, 80, 5, m.body)
        pdf.line(20, 25, 190, 25)
        pdf.set_xy(20, 32)

    pdf = new_pdf(m, "dejavu-sans", header, box_footer, top=32)
    pdf.add_page()
    for it in m.items:
        start_item(pdf, it)
        y = pdf.get_y()
        cell_at(pdf, ("B", 12), 20, y, 25, 6.5, it.number)
        pdf.set_xy(45, y)
        pdf.multi_cell(145, 6.5, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("F", "", 9)
        pdf.set_x(45)
        pdf.cell(100, 5, f"Dnr {it.dnr}", new_x="LMARGIN", new_y="NEXT")
        write_blocks(pdf, item_blocks(it, "Kommunstyrelsens beslut"), 45, 145, size=10)
    pdf.add_page()
    line_in(pdf, ("B", 12), 170, 7, "Justering")
    pdf.set_font("F", "", 10)
    pdf.multi_cell(170, 5.2, f"Paragrafen justerades omedelbart {f['justering']}.", align="L",
                   new_x="LMARGIN", new_y="NEXT")
    sign_line(pdf, 20, "Ordförande", f["ordforande"])
    sign_line(pdf, 20, "Justerare", f["justerande"])
    anslag_block(pdf, m, 20, 170, size=9)
    line_in(pdf, ("B", 10), 170, 6, "Utdragsbestyrkande")
    pdf.set_font("F", "", 10)
    pdf.multi_cell(170, 5.2, f"Utdraget överensstämmer med originalprotokollet. Arvika {f['justering']}.",
                   align="L", new_x="LMARGIN", new_y="NEXT")
    sign_line(pdf, 20, "", f["sekreterare"] + ", nämndsekreterare")
    return pdf



# --------------------------------------------------------------------------------------
# DOCX: items in a table (Nr | Ärende | Beslut/åtgärd)
# --------------------------------------------------------------------------------------


def render_docx_table(m: Meeting, path: Path) -> None:
    from docx.shared import Cm, Pt

    f = m.front
    doc = new_docx(m, "Arial", 10.5)
    sec = doc.sections[0]
    sec.left_margin = sec.right_margin = Cm(2)
    sec.header.paragraphs[0].text = f"{f['org']}\t\tMinnesanteckningar"
    p = doc.add_paragraph()
    r = p.add_run(f"{m.body} (BRÅ)")
    r.bold = True
    r.font.size = Pt(16)
    doc.add_paragraph(f"Datum: {m.date}\nPlats och tid: {f['plats']}\nNärvarande: {f['narvarande']}")
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Nr", "Ärende", "Beslut/åtgärd")):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for it in m.items:
        cells = table.add_row().cells
        cells[0].text = it.number
        cells[1].text = it.title
        cells[2].text = " ".join(it.desc + it.beslut)
    for row in table.rows:
        row.cells[0].width = Cm(1.2)
        row.cells[1].width = Cm(6)
        row.cells[2].width = Cm(9.8)
    doc.add_paragraph()
    doc.add_paragraph(f"Vid anteckningarna\n{f['sekreterare']}")
    doc.save(str(path))


def render_docx_list(m: Meeting, path: Path) -> None:
    """Item headings in Word's automatic 'List Number' style: the numbers are not in the text."""
    f = m.front
    doc = new_docx(m, "Calibri", 11)
    doc.sections[0].header.paragraphs[0].text = f["org"]
    doc.add_paragraph(f"Minnesanteckningar {m.body}", style="Title")
    doc.add_paragraph(f"{sv_weekday(m.date).capitalize()} {sv_date_long(m.date)}\n{f['plats']}")
    doc.add_paragraph(f"Närvarande: {f['narvarande']}")
    for it in m.items:
        p = doc.add_paragraph(style="List Number")
        p.add_run(it.title).bold = True
        for line in it.desc:
            doc.add_paragraph(line)
    doc.add_paragraph(f"Vid anteckningarna: {f['sekreterare']}")
    doc.save(str(path))


# --------------------------------------------------------------------------------------
# Text and Markdown
# --------------------------------------------------------------------------------------


def d_m_y(iso: str) -> str:
    """'2021-09-15' -> '15/9 2021', the way small-municipality notes write dates."""
    y, mo, d = iso.split("-")
    return f"{int(d)}/{int(mo)} {y}"


def render_cp1252(m: Meeting) -> bytes:
    out = [f"{m.front['org'].upper()}", "Minnesanteckningar EST-gruppen", "",
           f"Datum: {d_m_y(m.date)} kl 13.15-14.30", "Plats: Stadshuset, lilla sammanträdesrummet", "",
           "Närvarande: Kjell Åhlén (säkerhetssamordnare), Birgitta Ståhl (fältarna), Polisen LPO Avesta, "
           "Hedemora Energi, Räddningstjänsten", "", "OBS: innehåller uppgifter om enskilda - sprids inte", ""]
    for it in m.items:
        out.append(f"{it.number}) {it.title}")
        out += it.desc
        out.append("")
    out += ["", "/Kjell Å"]
    return ("\r\n".join(out) + "\r\n").encode("cp1252")


def render_md_bullets(m: Meeting) -> str:
    day_month, year = sv_date_long(m.date).rsplit(" ", 1)
    out = [f"# BRÅ {year} – anteckningar", "", f"{m.front['org']}, Brottsförebyggande rådet. "
           f"Mötet hölls den {day_month} i Stadshuset.", "",
           "Närvarande: Anna Lindqvist (ordf.), Per Axelsson (polisen), Lena Sjögren (socialtjänsten), "
           "Mattias Holm (fritid)", "", "## Anteckningar", ""]
    for it in m.items:
        out.append(f"- **{it.title}:** {' '.join(it.desc)}")
    out += ["", "_Antecknat av Lena Sjögren_", ""]
    return "\n".join(out)


def render_inline(m: Meeting) -> str:
    f = m.front
    out = [f"{f['org']}", f"PROTOKOLL {m.body.upper()}", "",
           f"Datum: {sv_weekday(m.date)} {sv_date_long(m.date)}",
           f"Närvarande: {f['narvarande']}", "", ""]
    for it in m.items:
        out.append(f"{it.number} {it.title}")
        if it.desc:
            out.append(" ".join(it.desc) + " Beslut: " + " ".join(it.beslut))
        else:
            out.append("Beslut: " + " ".join(it.beslut))
        out.append("")
    out += ["", f"Vid protokollet: {f['sekreterare']}"]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------
# Gold labels and main
# --------------------------------------------------------------------------------------


gold_for = h.set_gold_for("heldout2")


def write_doc(m: Meeting, path: Path) -> None:
    if m.family == "heldout2-docxlist":
        render_docx_list(m, path)
    elif m.fmt == "docx":
        render_docx_table(m, path)
    elif m.family == "heldout2-cp1252":
        path.write_bytes(render_cp1252(m))
    elif m.fmt == "md":
        path.write_text(render_md_bullets(m), encoding="utf-8")
    else:
        path.write_text(render_inline(m), encoding="utf-8")


def main() -> None:
    h.write_set(MEETINGS, write_doc, gold_for, DOCS, GOLD, ROOT, PDF_RENDERERS)


if __name__ == "__main__":
    main()
