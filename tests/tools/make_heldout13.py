"""Write the thirteenth held-out structure set: layouts none of sets 1–12 has, as Swedish municipalities publish
them — a landscape protocol whose items are the rows of a ruled table running over pages, a protocol with a
two-line "Innehåll" and coloured heading bars with white text, a protocol whose title comes before its number,
headings printed '§112' without a space and a page header naming the paragraphs on each page, a two-column
council protocol, a protocol whose items open with labelled rows (Paragraf, Diarienummer, Ärende), a
kommunfullmäktige kungörelse with the case number in parentheses after the title, a
municipal company's årsstämma with underlined titles, a Word protocol whose '§ 23' numbers are Word's list
numbering, Windows-1252 notes with 'N – Title' items, and a Word-to-Markdown (pandoc-style) export.

Run ``python tests/tools/make_heldout13.py`` to regenerate ``tests/data/heldout13/docs/`` (PDF, DOCX, TXT, MD)
and their gold labels in ``tests/data/heldout13/gold/``. The content lives in
``tests/tools/data/heldout13_meetings.yaml``; the records, PDF machinery, section blocks, Word setup, the stable
zip, the gold label and the set writer are imported from ``make_heldout.py`` … ``make_heldout8.py``. Each label
comes from the same record its document is rendered from; none was made by running the reader, and the author
of this file did not read the reader's code (see ``tests/data/heldout13/README.md``).

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
import make_heldout8 as h8  # noqa: E402
from make_heldout import (  # noqa: E402
    Meeting, cell_at, label_rows, need, new_docx, new_pdf, sv_date_long, sv_weekday, write_blocks,
)

CONTENT = Path(__file__).resolve().parent / "data" / "heldout13_meetings.yaml"
MEETINGS: list[Meeting] = h8.load_meetings(CONTENT)
PDF_RENDERERS: dict = {}
TEAL = (0, 84, 122)


def lines_of(pdf, style: str, size: float, w: float, text: str, lh: float = 5) -> list[str]:
    """``text`` broken into the lines a ``multi_cell`` of width ``w`` would print."""
    pdf.set_font("F", style, size)
    return pdf.multi_cell(w, lh, text, dry_run=True, output="LINES")


def front_facts(m: Meeting) -> list[tuple[str, object]]:
    """Plats och tid, Beslutande (ledamöter and tjänstgörande ersättare), Övriga, Justerare, Justering."""
    f = m.front
    beslutande = list(f["ledamoter"])
    if f.get("ersattare"):
        beslutande += ["Tjänstgörande ersättare"] + f["ersattare"]
    rows = [("Plats och tid", f["plats"]), ("Beslutande", beslutande), ("Övriga närvarande", f["ovriga"]),
            ("Utses att justera", f["justerare"])]
    if f.get("justering"):
        rows.append(("Justeringens plats och tid", f["justering"]))
    return rows


def signature_rows(pdf, m: Meeting, x: float, paragrafer: str) -> None:
    """Underskrifter: Sekreterare (with the paragraphs), Ordförande, Justerande."""
    f = m.front
    need(pdf, 60)
    cell_at(pdf, ("B", 10), x, pdf.get_y(), 40, 6, "Underskrifter")
    pdf.set_y(pdf.get_y() + 6)
    h.sign_line(pdf, x, "Sekreterare", f["sekreterare"], f"Paragrafer {paragrafer}")
    h.sign_line(pdf, x, "Ordförande", f["ordforande"])
    h.sign_line(pdf, x, "Justerande", f["justerande"])


def text_footer(labels: tuple[str, ...], y_off: float = 16):
    """A rule and a line of signature labels with blanks at the foot of every page."""
    def footer(pdf):
        y = pdf.h - y_off
        pdf.set_draw_color(0)
        pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
        pdf.set_font("F", "", 8)
        pdf.set_xy(pdf.l_margin, y + 2)
        pdf.cell(0, 4, "      ".join(f"{label} ………………" for label in labels))
    return footer


# --------------------------------------------------------------------------------------
# Hagfors: a landscape protocol whose items are the rows of one ruled table
# --------------------------------------------------------------------------------------


def render_tabell(m: Meeting, pages: dict):
    """Landscape A4. Front facts and signatures on page 1; from page 2 one ruled table '§ | Ärende |
    Diarienummer | Beslut' whose header row is repeated on every page; the Ärende cell holds the bold title and
    the description, rows break over pages where they do not fit."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 12), 15, 9, 90, 5, f["org"])
        cell_at(pdf, ("B", 11), 120, 9, 60, 5, "PROTOKOLL")
        cell_at(pdf, ("", 9), 232, 9, 50, 5, f"Sida {pdf.page_no()} ({{nb}})", align="R")
        cell_at(pdf, ("", 10), 15, 15, 90, 5, m.body)
        cell_at(pdf, ("", 10), 120, 15, 80, 5, f"Sammanträdesdatum {m.date}")
        pdf.line(15, 22, 282, 22)
        pdf.set_xy(15, 27)

    pdf = new_pdf(m, "liberation-sans", header, text_footer(("Justerandes sign", "Utdragsbestyrkande")),
                  left=15, top=27, bottom=22)
    pdf.set_right_margin(15)
    pdf.def_orientation = "L"
    pdf.add_page()
    cell_at(pdf, ("B", 15), 15, 27, 200, 8, f"Protokoll {m.body.lower()}")
    pdf.set_y(37)
    label_rows(pdf, front_facts(m), 15, 50, 180, size=9.5, lh=4.8)
    signature_rows(pdf, m, 15, f"§§ {f['paragrafer']}")
    pdf.add_page()

    cols = [("§", 18), ("Ärende", 112), ("Diarienummer", 32), ("Beslut", 105)]
    lh, size, pad = 4.6, 9.5, 1.5

    def head_row():
        y = pdf.get_y()
        x = 15
        pdf.set_fill_color(215, 222, 230)
        for name, w in cols:
            pdf.rect(x, y, w, 7, style="DF")
            cell_at(pdf, ("B", 9.5), x + 1, y + 1, w - 2, 5, name)
            x += w
        pdf.set_y(y + 7)

    head_row()
    for it in m.items:
        cells = [[("B", it.number)], [], [("", it.dnr or "")], []]
        for ln in lines_of(pdf, "B", size, cols[1][1] - 3, it.title, lh):
            cells[1].append(("B", ln))
        for para in it.desc:
            cells[1].append(("", ""))
            cells[1] += [("", ln) for ln in lines_of(pdf, "", size, cols[1][1] - 3, para, lh)]
        for para in it.beslut:
            cells[3] += [("", ln) for ln in lines_of(pdf, "", size, cols[3][1] - 3, para, lh)]
        n = max(len(c) for c in cells)
        pdf.item_pages[it.number] = pdf.page_no()
        start = 0
        while start < n:
            room = int((pdf.h - pdf.b_margin - pdf.get_y() - 2 * pad) // lh)
            if room < min(3, n - start):
                pdf.add_page()
                head_row()
                continue
            end = min(n, start + room)
            y0 = pdf.get_y()
            x = 15
            for (_, w), cell in zip(cols, cells):
                for i, (style, text) in enumerate(cell[start:end]):
                    cell_at(pdf, (style, size), x + 1.5, y0 + pad + i * lh, w - 3, lh, text)
                x += w
            y1 = y0 + 2 * pad + (end - start) * lh
            x = 15
            for _, w in cols:
                pdf.rect(x, y0, w, y1 - y0)
                x += w
            pdf.set_y(y1)
            start = end
            if start < n:
                pdf.add_page()
                head_row()
    return pdf


PDF_RENDERERS["heldout13-tabell"] = render_tabell


# --------------------------------------------------------------------------------------
# Stenungsund: a two-line "Innehåll" and coloured heading bars with white text
# --------------------------------------------------------------------------------------


def render_innehall(m: Meeting, pages: dict):
    """Front facts, signatures and ANSLAG/BEVIS on page 1; page 2 'Innehåll' with each entry on two lines
    ('§ 78 Dnr BIN 2025/0001', then the title, dotted leaders and the page); each item opens with a teal bar
    holding '§ 78' and 'Dnr BIN 2025/0001' in white, the teal title below it."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 11), 20, 11, 90, 5, f["org"].upper())
        cell_at(pdf, ("B", 10), 120, 11, 70, 5, "SAMMANTRÄDESPROTOKOLL", align="R")
        cell_at(pdf, ("", 10), 20, 16, 90, 5, m.body)
        cell_at(pdf, ("", 9), 120, 16, 70, 5, f"Datum {m.date}", align="R")
        cell_at(pdf, ("", 9), 120, 21, 70, 5, f"{pdf.page_no()} ({{nb}})", align="R")
        pdf.line(20, 28, 190, 28)
        pdf.set_xy(20, 33)

    pdf = new_pdf(m, "liberation-sans", header, h.box_footer, top=33)
    pdf.add_page()
    label_rows(pdf, front_facts(m), 20, 48, 170, size=10)
    signature_rows(pdf, m, 20, f"§§ {f['paragrafer']}")
    h.anslag_block(pdf, m, 20, 170)
    pdf.add_page()
    cell_at(pdf, ("B", 14), 20, pdf.get_y(), 100, 8, "Innehåll")
    pdf.set_y(pdf.get_y() + 12)
    for it in m.items:
        cell_at(pdf, ("", 10), 20, pdf.get_y(), 150, 5, f"{it.number} Dnr {it.dnr}")
        pdf.set_y(pdf.get_y() + 5)
        lines = lines_of(pdf, "", 10, 150, it.title)
        for ln in lines[:-1]:
            cell_at(pdf, None, 20, pdf.get_y(), 150, 5, ln)
            pdf.set_y(pdf.get_y() + 5)
        last = lines[-1] + " "
        while pdf.get_string_width(last + ".") < 158:
            last += "."
        cell_at(pdf, None, 20, pdf.get_y(), 160, 5, last)
        cell_at(pdf, None, 180, pdf.get_y(), 10, 5, str(pages.get(it.number, "")), align="R")
        pdf.set_y(pdf.get_y() + 8)
    pdf.add_page()
    beslut_h = "Bildningsnämndens beslut"
    for it in m.items:
        h.start_item(pdf, it, 45)
        pdf.ln(3)
        y = pdf.get_y()
        pdf.set_fill_color(*TEAL)
        pdf.rect(20, y, 170, 8, style="F")
        pdf.set_text_color(255, 255, 255)
        cell_at(pdf, ("B", 11), 23, y + 1.5, 40, 5, it.number)
        if it.dnr:
            cell_at(pdf, ("", 10), 110, y + 1.5, 77, 5, f"Dnr {it.dnr}", align="R")
        pdf.set_text_color(*TEAL)
        pdf.set_xy(20, y + 10)
        pdf.set_font("F", "B", 14)
        pdf.multi_cell(170, 7, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        write_blocks(pdf, h4.blocks(it, beslut_h=beslut_h, desc_h="Sammanfattning"), 20, 170, size=10)
        pdf.ln(3)
    return pdf


PDF_RENDERERS["heldout13-innehall"] = render_innehall


# --------------------------------------------------------------------------------------
# Båstad: the title first, the number and case number on a small line under it
# --------------------------------------------------------------------------------------


def render_titelforst(m: Meeting, pages: dict):
    """Each item opens with its bold title; under it a small grey line '§ 62' … 'Dnr ON 2025/014' and a thin
    rule; the text follows. Footer: ordförandes, justerandes sign and utdragsbestyrkande blanks."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 12), 20, 11, 90, 5, f["org"])
        cell_at(pdf, ("", 10), 20, 17, 90, 5, m.body)
        cell_at(pdf, ("B", 10), 110, 11, 80, 5, "SAMMANTRÄDESPROTOKOLL", align="R")
        cell_at(pdf, ("", 10), 110, 17, 80, 5, sv_date_long(m.date), align="R")
        cell_at(pdf, ("", 9), 110, 22, 80, 5, f"Sida {pdf.page_no()} av {{nb}}", align="R")
        pdf.set_draw_color(0)
        pdf.line(20, 29, 190, 29)
        pdf.set_xy(20, 35)

    pdf = new_pdf(m, "liberation-serif", header,
                  text_footer(("Ordförandes sign", "Justerandes sign", "Utdragsbestyrkande")), top=35, bottom=24)
    pdf.add_page()
    cell_at(pdf, ("B", 16), 20, 35, 170, 8, "Protokoll")
    cell_at(pdf, ("", 11), 20, 43, 170, 6, f"{m.body}, {sv_weekday(m.date)} {sv_date_long(m.date)}")
    pdf.set_y(54)
    label_rows(pdf, front_facts(m), 20, 48, 170, size=10.5)
    signature_rows(pdf, m, 20, f"§§ {f['paragrafer']}")
    h.anslag_block(pdf, m, 20, 170)
    pdf.add_page()
    beslut_h = "Omsorgsnämndens beslut"
    for it in m.items:
        h.start_item(pdf, it, 42)
        pdf.ln(5)
        pdf.set_font("F", "B", 13.5)
        pdf.multi_cell(170, 6.5, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        y = pdf.get_y() + 0.5
        pdf.set_text_color(90, 90, 90)
        cell_at(pdf, ("B", 9), 20, y, 30, 4.5, it.number)
        if it.dnr:
            cell_at(pdf, ("", 9), 50, y, 60, 4.5, f"Dnr {it.dnr}")
        pdf.set_text_color(0, 0, 0)
        pdf.set_draw_color(160, 160, 160)
        pdf.line(20, y + 5.5, 190, y + 5.5)
        pdf.set_draw_color(0)
        pdf.set_y(y + 7)
        write_blocks(pdf, h4.blocks(it, beslut_h=beslut_h, desc_h="Ärendet"), 20, 170, size=10.5)
    return pdf


PDF_RENDERERS["heldout13-titelforst"] = render_titelforst


# --------------------------------------------------------------------------------------
# Heby: '§112' without a space; the page header names the paragraphs on the page
# --------------------------------------------------------------------------------------


def render_utanmellanrum(m: Meeting, pages: dict):
    """'§112' bold at the left with the bold title beside it from 40 mm, 'Dnr 0341/25' (serial/two-digit
    year) under the title; the running header prints the paragraphs on the page ('§§113–115'), taken from
    the previous pass."""
    f = m.front
    ranges = pages.get("__ranges__", {})

    def header(pdf):
        page = pdf.page_no()
        cell_at(pdf, ("B", 11), 20, 11, 90, 5, f["org"].upper())
        cell_at(pdf, ("", 10), 20, 16, 90, 5, m.body)
        cell_at(pdf, ("B", 10), 120, 11, 70, 5, f"PROTOKOLL {m.date}", align="R")
        shown = ranges.get(page)
        if shown:
            text = shown[0] if shown[0] == shown[-1] else f"§§{shown[0][1:]}–{shown[-1][1:]}"
            cell_at(pdf, ("", 10), 120, 16, 70, 5, text, align="R")
        cell_at(pdf, ("", 9), 120, 21, 70, 5, f"Sida {page} av {{nb}}", align="R")
        pdf.line(20, 28, 190, 28)
        pdf.set_xy(20, 34)
        if pdf.current:
            pdf.on_page.setdefault(page, []).append(pdf.current)

    pdf = new_pdf(m, "liberation-sans", header, text_footer(("Justerandes sign", "Utdragsbestyrkande")),
                  top=34, bottom=24)
    pdf.current = None
    pdf.on_page = {}
    pdf.add_page()
    cell_at(pdf, ("B", 15), 20, 34, 170, 8, "Sammanträdesprotokoll")
    pdf.set_y(46)
    label_rows(pdf, front_facts(m), 20, 48, 170, size=10)
    signature_rows(pdf, m, 20, f"§§{f['paragrafer']}")
    h.anslag_block(pdf, m, 20, 170)
    pdf.add_page()
    beslut_h = "Samhällsutskottets beslut"
    for it in m.items:
        pdf.current = None
        h.start_item(pdf, it, 40)
        pdf.current = h4.shown(it)
        pdf.on_page.setdefault(pdf.page_no(), []).append(pdf.current)
        pdf.ln(4)
        pdf.set_font("F", "B", 12)
        h.inline_heading(pdf, pdf.get_y(), h4.shown(it), it.title, it.dnr and f"Dnr {it.dnr}", 40, 9)
        pdf.ln(1)
        write_blocks(pdf, h4.blocks(it, beslut_h=beslut_h, desc_h="Bakgrund"), 40, 150, size=10)
    pdf.current = None
    pdf.item_pages["__ranges__"] = {p: v for p, v in pdf.on_page.items()}
    return pdf


PDF_RENDERERS["heldout13-utanmellanrum"] = render_utanmellanrum


# --------------------------------------------------------------------------------------
# Rättvik: a council protocol set in two columns
# --------------------------------------------------------------------------------------


def render_tvaspalt(m: Meeting, pages: dict):
    """Page 1 opens with the facts across the page; then the items flow through two columns of 82 mm, each
    headed '§ 24 Title' in bold (wrapping inside the column), over the page break into the next page's
    columns; signatures at the end of the flow."""
    f = m.front
    col_w, gap, lh, size = 82, 6, 4.8, 10

    def header(pdf):
        cell_at(pdf, ("B", 11), 20, 11, 100, 5, f["org"])
        cell_at(pdf, ("", 9), 120, 11, 70, 5, f"Protokoll {m.date}", align="R")
        cell_at(pdf, ("", 9), 20, 16, 100, 5, m.body)
        pdf.line(20, 23, 190, 23)
        pdf.set_xy(20, 28)

    def footer(pdf):
        cell_at(pdf, ("", 8), 20, pdf.h - 14, 80, 4, "Justerandes sign ………………")
        cell_at(pdf, ("", 8), 120, pdf.h - 14, 70, 4, f"{pdf.page_no()} ({{nb}})", align="R")

    pdf = new_pdf(m, "dejavu-serif", header, footer, top=28, bottom=20)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    cell_at(pdf, ("B", 17), 20, 29, 170, 9, "Protokoll")
    cell_at(pdf, ("", 12), 20, 38, 170, 6, m.body)
    pdf.set_y(48)
    rows = [("Datum", f"{sv_weekday(m.date).capitalize()} {sv_date_long(m.date)}"), ("Plats och tid", f["plats"]),
            ("Närvarande", ", ".join(f["ledamoter"])), ("Övriga", ", ".join(f["ovriga"])),
            ("Justerare", f["justerare"])]
    label_rows(pdf, rows, 20, 36, 170, size=9.5, lh=4.6)
    pdf.line(20, pdf.get_y(), 190, pdf.get_y())
    top_first = pdf.get_y() + 5
    bottom = pdf.h - 22
    state = {"col": 0, "y": top_first, "top": top_first}

    def next_column():
        if state["col"] == 0:
            state["col"] = 1
        else:
            pdf.add_page()
            state["col"], state["top"] = 0, 30
        state["y"] = state["top"]

    def put(lines: list[tuple[str, str]], keep: int = 1, after: float = 1.5):
        if state["y"] + keep * lh > bottom:
            next_column()
        for style, text in lines:
            if state["y"] + lh > bottom:
                next_column()
            x = 20 + state["col"] * (col_w + gap)
            cell_at(pdf, (style, size), x, state["y"], col_w, lh, text)
            state["y"] += lh
        state["y"] += after

    for it in m.items:
        pdf.item_pages[it.number] = pdf.page_no()
        head = [("B", ln) for ln in lines_of(pdf, "B", size, col_w, f"{it.number} {it.title}", lh)]
        state["y"] += 2
        put(head, keep=len(head) + 2, after=0.8)
        for para in it.desc:
            put([("", ln) for ln in lines_of(pdf, "", size, col_w, para, lh)])
    state["y"] += 6
    put([("", "Vid protokollet"), ("", ""), ("", f["sekreterare"]), ("", ""), ("", "Justeras"), ("", ""),
         ("", f"{f['ordforande']}, ordförande"), ("", ""), ("", f"{f['justerande']}, justerare")], keep=9)
    return pdf


PDF_RENDERERS["heldout13-tvaspalt"] = render_tvaspalt


# --------------------------------------------------------------------------------------
# Hylte: each item opens with a shaded block of labelled rows (Paragraf, Diarienummer, Ärende)
# --------------------------------------------------------------------------------------


def render_etiketter(m: Meeting, pages: dict):
    """Each item opens with a light grey block of label/value rows: 'Paragraf' '§ 89', 'Diarienummer'
    'SN 2025/0233' (the row left out where there is none) and 'Ärende' with the bold title (wrapping); the
    sections follow in full width. Signature boxes at the foot (set 1's box footer)."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 11), 20, 11, 90, 5, f["org"].upper())
        cell_at(pdf, ("", 10), 20, 16, 90, 5, m.body)
        cell_at(pdf, ("B", 10), 120, 11, 70, 5, "Protokoll", align="R")
        cell_at(pdf, ("", 10), 120, 16, 70, 5, m.date, align="R")
        cell_at(pdf, ("", 9), 120, 21, 70, 5, f"Sida {pdf.page_no()} ({{nb}})", align="R")
        pdf.line(20, 28, 190, 28)
        pdf.set_xy(20, 34)

    pdf = new_pdf(m, "dejavu-sans", header, h.box_footer, top=34)
    pdf.add_page()
    cell_at(pdf, ("B", 15), 20, 34, 170, 8, "Sammanträdesprotokoll")
    pdf.set_y(46)
    label_rows(pdf, front_facts(m), 20, 50, 170, size=9.5, lh=5)
    signature_rows(pdf, m, 20, f"§§ {f['paragrafer']}")
    h.anslag_block(pdf, m, 20, 170, size=9)
    pdf.add_page()
    beslut_h = "Arbetsutskottets beslut"
    for it in m.items:
        h.start_item(pdf, it, 50)
        pdf.ln(4)
        rows = [("Paragraf", "B", it.number)] + ([("Diarienummer", "", it.dnr)] if it.dnr else [])
        rows.append(("Ärende", "B", it.title))
        y0 = pdf.get_y()
        height = 3 + sum(5.5 * len(lines_of(pdf, st, 10.5 if lab == "Ärende" else 9.5, 128, v, 5.5))
                         for lab, st, v in rows)
        pdf.set_fill_color(236, 236, 236)
        pdf.rect(20, y0, 170, height, style="F")
        y = y0 + 1.5
        for label, style, value in rows:
            pdf.set_text_color(90, 90, 90)
            cell_at(pdf, ("", 8.5), 23, y + 0.5, 35, 5, label)
            pdf.set_text_color(0, 0, 0)
            pdf.set_xy(58, y)
            pdf.set_font("F", style, 10.5 if label == "Ärende" else 9.5)
            pdf.multi_cell(128, 5.5, value, align="L", new_x="LMARGIN", new_y="NEXT")
            y = pdf.get_y()
        pdf.set_y(y0 + height + 1)
        write_blocks(pdf, h4.blocks(it, beslut_h=beslut_h, desc_h="Ärendebeskrivning"), 20, 170, size=9.5,
                     lh=4.8)
    return pdf


PDF_RENDERERS["heldout13-etiketter"] = render_etiketter


# --------------------------------------------------------------------------------------
# Askersund: a kommunfullmäktige kungörelse
# --------------------------------------------------------------------------------------


def render_kungorelse(m: Meeting, pages: dict):
    """A KUNGÖRELSE: the meeting in a sentence, 'Ärenden' as '1.'–'12.' with the case number in parentheses at
    the end of the title (wrapping with it), a notice on the handlingar, the chair and secretary."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 14), 20, 12, 100, 7, f["org"])
        cell_at(pdf, ("B", 12), 120, 12, 70, 6, "KUNGÖRELSE", align="R")
        cell_at(pdf, ("", 10), 120, 18, 70, 5, f["kungord"], align="R")
        pdf.set_xy(20, 34)

    def footer(pdf):
        pdf.line(20, pdf.h - 18, 190, pdf.h - 18)
        cell_at(pdf, ("", 8), 20, pdf.h - 16, 170, 4,
                "Askersunds kommun · Torget 1 · 696 81 Askersund · 0583-810 00 · askersund.se", align="C")

    pdf = new_pdf(m, "liberation-serif", header, footer, top=34, bottom=24)
    pdf.add_page()
    cell_at(pdf, ("B", 20), 20, 34, 170, 10, m.body)
    pdf.set_xy(20, 48)
    pdf.set_font("F", "", 11.5)
    pdf.multi_cell(170, 6, f"{m.body} sammanträder {f['tid'][0].lower()}{f['tid'][1:]} i {f['plats']}.",
                   align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(5)
    cell_at(pdf, ("B", 12), 20, pdf.get_y(), 100, 6, "Ärenden")
    pdf.set_y(pdf.get_y() + 9)
    for it in m.items:
        text = f"{it.title} ({it.dnr})" if it.dnr else it.title
        y = pdf.get_y()
        cell_at(pdf, ("", 11.5), 20, y, 9, 6, f"{it.number}.", align="R")
        pdf.set_xy(32, y)
        pdf.multi_cell(158, 6, text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)
    pdf.ln(5)
    pdf.set_font("F", "", 11)
    for para in ["Sammanträdet är offentligt och sänds direkt på kommunens webbplats. Handlingarna finns "
                 "tillgängliga i kommunhusets reception och på webbplatsen från den 8 december.",
                 "Allmänheten hälsas välkommen!"]:
        pdf.multi_cell(170, 5.8, para, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.ln(8)
    y = pdf.get_y()
    cell_at(pdf, ("", 11), 20, y, 80, 6, f["ordforande"])
    cell_at(pdf, ("", 11), 110, y, 80, 6, f["sekreterare"])
    cell_at(pdf, ("I", 10), 20, y + 6, 80, 5, "Ordförande")
    cell_at(pdf, ("I", 10), 110, y + 6, 80, 5, "Sekreterare")
    return pdf


PDF_RENDERERS["heldout13-kungorelse"] = render_kungorelse


# --------------------------------------------------------------------------------------
# Trosa: a municipal company's årsstämma
# --------------------------------------------------------------------------------------


def render_arsstamma(m: Meeting, pages: dict):
    """'Protokoll fört vid årsstämma i …' with the org.nr; items '1.'–'12.' in a 10 mm column, the title
    underlined (not bold) beside it, the text below the title; 'Vid protokollet' / 'Justeras' at the end."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("", 9), 120, 10, 70, 5, f"{pdf.page_no()} ({{nb}})", align="R")
        pdf.set_xy(20, 25)

    pdf = new_pdf(m, "dejavu-serif", header, lambda pdf: None, top=25, bottom=22)
    pdf.add_page()
    cell_at(pdf, ("B", 12), 20, 25, 170, 6, f["org"].upper())
    cell_at(pdf, ("B", 16), 20, 38, 170, 8, "PROTOKOLL")
    pdf.set_xy(20, 48)
    pdf.set_font("F", "", 10.5)
    pdf.multi_cell(170, 5.5, f"fört vid årsstämma i {f['org']} (org.nr {f['orgnr']}) i {f['plats']}, "
                   f"{sv_weekday(m.date)}en den {sv_date_long(m.date)}.", align="L", new_x="LMARGIN",
                   new_y="NEXT")
    pdf.ln(3)
    label_rows(pdf, [("Aktieägare", f["aktieagare"]), ("Därutöver närvarande", f["ovriga"])], 20, 45, 170,
               size=10, lh=5)
    pdf.ln(2)
    for it in m.items:
        h.start_item(pdf, it, 25)
        pdf.ln(3)
        y = pdf.get_y()
        cell_at(pdf, ("", 10.5), 20, y, 10, 5.5, f"{it.number}.")
        pdf.set_xy(30, y)
        pdf.set_font("F", "U", 10.5)
        pdf.multi_cell(160, 5.5, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        for para in it.desc:
            pdf.set_x(30)
            pdf.set_font("F", "", 10.5)
            pdf.multi_cell(160, 5.5, para, align="L", new_x="LMARGIN", new_y="NEXT")
    need(pdf, 50)
    pdf.ln(12)
    y = pdf.get_y()
    cell_at(pdf, ("", 10.5), 20, y, 80, 5, "Vid protokollet")
    cell_at(pdf, ("", 10.5), 110, y, 80, 5, "Justeras")
    for x, name in [(20, f["sekreterare"]), (110, f["ordforande"])]:
        cell_at(pdf, None, x, y + 14, 70, 5, "…" * 18)
        cell_at(pdf, None, x, y + 19, 70, 5, name)
    cell_at(pdf, None, 110, y + 33, 70, 5, "…" * 18)
    cell_at(pdf, None, 110, y + 38, 70, 5, f["justerande"])
    return pdf


PDF_RENDERERS["heldout13-arsstamma"] = render_arsstamma


# --------------------------------------------------------------------------------------
# Word, text and Markdown
# --------------------------------------------------------------------------------------


def paragraph_numbering(doc, style_name: str, start: int) -> None:
    """Create the paragraph style ``style_name`` numbered by Word as '§ 23', '§ 24', … from ``start``: the
    numbering definition is linked to the style, so the '§ N' is drawn by Word and is in no paragraph's text."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Pt

    style = doc.styles.add_style(style_name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.next_paragraph_style = doc.styles["Normal"]
    style.font.bold = True
    style.font.size = Pt(12)
    style.paragraph_format.space_before = Pt(14)
    style.paragraph_format.space_after = Pt(4)
    style.paragraph_format.keep_with_next = True
    numbering = doc.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="91"><w:multiLevelType w:val="singleLevel"/>'
        f'<w:lvl w:ilvl="0"><w:start w:val="{start}"/><w:numFmt w:val="decimal"/>'
        f'<w:pStyle w:val="{style.style_id}"/><w:suff w:val="tab"/><w:lvlText w:val="§ %1"/>'
        '<w:lvlJc w:val="left"/><w:pPr><w:tabs><w:tab w:val="num" w:pos="1134"/></w:tabs>'
        '<w:ind w:left="1134" w:hanging="1134"/></w:pPr></w:lvl></w:abstractNum>')
    first_num = numbering.find(abstract.tag.replace("abstractNum", "num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="91"><w:abstractNumId w:val="91"/></w:num>'))
    num_pr = style.element.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = 91


def render_listnummer(m: Meeting, path: Path) -> None:
    """A Word protocol whose item headings are paragraphs of the style 'Paragrafrubrik', numbered by Word
    '§ 23' … '§ 32' (the numbers are not in the text); front facts in a two-column table; 'Dnr …' in small
    italics under some headings; bold 'Yrkanden' and 'Beslut' labels."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Cm, Pt

    f = m.front
    doc = new_docx(m, "Calibri", 11)
    sec = doc.sections[0]
    hp = sec.header.paragraphs[0]
    hp.text = f"{f['org']}\tPROTOKOLL\t{m.date}"
    hp.paragraph_format.tab_stops.add_tab_stop(Cm(8), WD_TAB_ALIGNMENT.CENTER)
    hp.paragraph_format.tab_stops.add_tab_stop(Cm(16), WD_TAB_ALIGNMENT.RIGHT)
    sec.header.add_paragraph(m.body)
    sec.footer.paragraphs[0].text = "Justerandes sign …………………\tUtdragsbestyrkande …………………"
    paragraph_numbering(doc, "Paragrafrubrik", f["first"])
    p = doc.add_paragraph()
    r = p.add_run(f"Protokoll {m.body.lower()}")
    r.bold = True
    r.font.size = Pt(16)
    doc.add_paragraph(f"{sv_weekday(m.date).capitalize()}en den {sv_date_long(m.date)}")
    table = doc.add_table(rows=0, cols=2)
    for label, value in [("Plats och tid", f"{f['plats']}, {f['tid']}"), ("Beslutande", "\n".join(f["ledamoter"])),
                         ("Övriga", "\n".join(f["ovriga"])), ("Justerare", f["justerare"])]:
        cells = table.add_row().cells
        cells[0].text = label
        cells[0].paragraphs[0].runs[0].bold = True
        cells[1].text = value
    for it in m.items:
        doc.add_paragraph(it.title, style="Paragrafrubrik")
        if it.dnr:
            run = doc.add_paragraph().add_run(f"Dnr {it.dnr}")
            run.italic = True
            run.font.size = Pt(9)
        for line in it.desc:
            doc.add_paragraph(line)
        if it.yrkanden:
            doc.add_paragraph().add_run("Yrkanden").bold = True
            for line in it.yrkanden:
                doc.add_paragraph(line)
        doc.add_paragraph().add_run("Beslut").bold = True
        for line in it.beslut:
            doc.add_paragraph(line)
    doc.add_paragraph()
    doc.add_paragraph(f"Sekreterare\t{f['sekreterare']}")
    doc.add_paragraph(f"Ordförande\t{f['ordforande']}")
    doc.add_paragraph(f"Justerare\t{f['justerande']}")
    doc.save(str(path))
    h3.stable_zip(path)


def render_streck(m: Meeting) -> str:
    """Notes saved as plain text: items 'N – Title' (number, en dash, title), their text hard-wrapped at 78
    columns straight below, a blank line between items; the date only as 'onsdag 17/9-25'."""
    f = m.front
    day = int(m.date[8:]), int(m.date[5:7]), m.date[2:4]
    out = [f["org"], m.body, "Minnesanteckningar", "",
           f"Tid: {sv_weekday(m.date)} {day[0]}/{day[1]}-{day[2]}, {f['tid']}",
           f"Plats: {f['plats']}", "", "Närvarande:"]
    out += [f"  {p}" for p in f["deltagare"]]
    out.append("")
    for it in m.items:
        out.append(f"{it.number} – {it.title}")
        for para in it.desc:
            out += textwrap.wrap(para, 78)
        out.append("")
    out += [f"Vid anteckningarna: {f['sekreterare']}", ""]
    return "\r\n".join(out)


def render_pandocmd(m: Meeting) -> str:
    """A Word protocol converted to Markdown the way pandoc writes it: no '#' headings, bold paragraphs for the
    title lines, backslash line breaks, a grid table for the attendance; items as '**§ 32 Title**' with the
    case number in italics after a backslash break."""
    f = m.front
    wide = max(len(x) for x in f["ledamoter"] + f["ovriga"]) + 2

    def grid_rows(label: str, values: list[str]) -> list[str]:
        rows = []
        for i, v in enumerate(values):
            cell = v + ("\\" if i < len(values) - 1 else "")
            rows.append(f"| {(label if i == 0 else ''):<16} | {cell:<{wide}} |")
        return rows

    rule = f"+{'-' * 18}+{'-' * (wide + 2)}+"
    out = [f"**{f['org']}**\\", "**PROTOKOLL**", "", f"{m.body}", "",
           f"Datum: {m.date}\\", f"Tid: {f['tid']}\\", f"Plats: {f['plats']}", "", rule]
    out += grid_rows("**Närvarande**", f["ledamoter"]) + [rule]
    out += grid_rows("**Övriga**", f["ovriga"]) + [rule]
    out += grid_rows("**Justerare**", [f["justerare"]]) + [rule, ""]
    for it in m.items:
        if it.dnr:
            out += [f"**{it.number} {it.title}**\\", f"*Dnr {it.dnr}*", ""]
        else:
            out += [f"**{it.number} {it.title}**", ""]
        for para in it.desc:
            out += [para, ""]
        if it.beslut:
            out += ["**Beslut**", ""] + [b for para in it.beslut for b in (para, "")]
    out += ["Vid protokollet\\", f"{f['sekreterare']}", "", "Justeras\\",
            f"{f['ordforande']}, ordförande\\", f"{f['justerare']}, justerare", ""]
    return "\n".join(out)


TEXT_RENDERERS = {"heldout13-pandocmd": render_pandocmd}


def main() -> None:
    out = h.ROOT / "tests" / "data" / "heldout13"

    def write_doc(m: Meeting, path: Path) -> None:
        if m.fmt == "docx":
            render_listnummer(m, path)
        elif m.family == "heldout13-streck":
            path.write_bytes(render_streck(m).encode("cp1252"))
        else:
            path.write_bytes(TEXT_RENDERERS[m.family](m).encode("utf-8"))

    h.write_set(MEETINGS, write_doc, h.set_gold_for("heldout13"), out / "docs", out / "gold", h.ROOT,
                PDF_RENDERERS)


if __name__ == "__main__":
    main()
