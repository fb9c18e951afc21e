"""Write the fourteenth held-out structure set: layouts none of sets 1–13 has, as Swedish municipalities publish
them — council notes whose numbered points hold sub-points '4a', '4b', items headed 'Ärende 3 av 9', headings in
capitals without bold, a filled header band on every page naming '§§ 12–18' with decisions as numbered lists and
titles wrapping over three lines, a council protocol with an attendance table page and the § number drawn after
the title in the content stream, a protokollsutdrag with two paragraphs and a 'Rätt utdraget intygar' block, a
protocol with one paragraph a page whose running header names the paragraph and its title, a
Word protocol whose items are the rows of a two-column table (number | content), and notes forwarded by e-mail
with '> ' quoted lines and signatures.

Run ``python tests/tools/make_heldout14.py`` to regenerate ``tests/data/heldout14/docs/`` (PDF, DOCX, TXT) and
their gold labels in ``tests/data/heldout14/gold/``. The content lives in
``tests/tools/data/heldout14_meetings.yaml``; the records, PDF machinery, Word setup, the stable zip, the gold
label and the set writer are imported from ``make_heldout.py``, ``make_heldout3.py``, ``make_heldout8.py`` and
``make_heldout13.py``. Each label comes from the same record its document is rendered from; none was made by
running the reader, and the author of this file did not read the reader's code (see
``tests/data/heldout14/README.md``).

Needs fpdf2, python-docx, PyYAML and the DejaVu and Liberation TrueType fonts (Debian: fonts-liberation).
"""

from __future__ import annotations

import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_heldout as h  # noqa: E402
import make_heldout3 as h3  # noqa: E402
import make_heldout8 as h8  # noqa: E402
import make_heldout13 as h13  # noqa: E402
from make_heldout import Meeting, cell_at, label_rows, need, new_docx, new_pdf, sv_date_long, sv_weekday  # noqa: E402

CONTENT = Path(__file__).resolve().parent / "data" / "heldout14_meetings.yaml"
PDF_RENDERERS: dict = {}
GREY = (105, 105, 105)


@dataclass
class Item14(h8.Item8):
    """An item with sub-points printed inside it ('4a', title, text) or its decision as a numbered list."""

    subs: list[list[str]] = field(default_factory=list)
    beslut_list: list[str] = field(default_factory=list)


def load_meetings(path: Path = CONTENT) -> list[Meeting]:
    """The set's documents, in the order they are written."""
    import yaml

    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Meeting(**{**r, "items": [Item14(**it) for it in r["items"]]}) for r in records]


MEETINGS: list[Meeting] = load_meetings()


def sections(it: Item14, beslut_h: str, desc_h: str | None = None) -> list[tuple[str, str]]:
    """An item's text as blocks: description, Yrkanden, the decision, Reservation."""
    out: list[tuple[str, str]] = []
    if it.desc and desc_h:
        out.append(("h", desc_h))
    out += [("p", p) for p in it.desc]
    if it.underlag:
        out += [("h", "Beslutsunderlag")] + [("li", p) for p in it.underlag]
    if it.yrkanden:
        out += [("h", "Yrkanden")] + [("p", p) for p in it.yrkanden]
    if it.beslut:
        out += [("h", beslut_h)] + [("p", p) for p in it.beslut]
    if it.reservation:
        out += [("h", "Reservation"), ("p", it.reservation)]
    return out


def para(pdf, x: float, w: float, text: str, style: str = "", size: float = 10.5, lh: float = 5.2) -> None:
    """A paragraph in a column at ``x``, then a small gap."""
    pdf.set_font("F", style, size)
    pdf.set_x(x)
    pdf.multi_cell(w, lh, text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.2)


def page_footer(fmt: str, labels: tuple[str, ...] = ()):
    """Page number ('1 (3)' style given by ``fmt``) and optional signature labels at the foot."""
    def footer(pdf):
        y = pdf.h - 16
        pdf.set_draw_color(0)
        pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
        pdf.set_font("F", "", 8)
        pdf.set_xy(pdf.l_margin, y + 2)
        pdf.cell(120, 4, "      ".join(f"{label} ………………" for label in labels))
        pdf.set_xy(pdf.w - pdf.r_margin - 40, y + 2)
        pdf.cell(40, 4, fmt.format(n=pdf.page_no()), align="R")
    return footer


# --------------------------------------------------------------------------------------
# Ljusnarsberg: BRÅ notes, numbered points with sub-points 4a, 4b, 4c
# --------------------------------------------------------------------------------------


@h.renders(PDF_RENDERERS, "heldout14-undernummer")
def render_undernummer(m: Meeting, pages: dict):
    """'1.'–'9.' bold points with the title hanging; some points hold sub-points '4a  Skolan' (bold, indented)
    with their text below; a serif notes layout with the page as '1 (2)'."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 11), 20, 12, 100, 5, f["org"])
        cell_at(pdf, ("", 10), 120, 12, 70, 5, "MINNESANTECKNINGAR", align="R")
        cell_at(pdf, ("", 10), 120, 17, 70, 5, m.date, align="R")
        pdf.set_y(30)

    pdf = new_pdf(m, "liberation-serif", header, page_footer("{n} ({{nb}})"), top=30)
    pdf.add_page()
    cell_at(pdf, ("B", 16), 20, 30, 170, 8, f"{m.body} (BRÅ)")
    pdf.set_y(42)
    label_rows(pdf, [("Tid", f"{sv_weekday(m.date).capitalize()} {sv_date_long(m.date)}, {f['tid']}"),
                     ("Plats", f["plats"]), ("Närvarande", f["deltagare"])], 20, 32, 170, size=10.5)
    pdf.ln(4)
    for it in m.items:
        h.start_item(pdf, it, 30)
        y = pdf.get_y() + 2
        cell_at(pdf, ("B", 11.5), 20, y, 8, 6, f"{it.number}.")
        pdf.set_xy(28, y)
        pdf.set_font("F", "B", 11.5)
        pdf.multi_cell(162, 6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(0.5)
        for p in it.desc:
            para(pdf, 28, 162, p)
        for label, title, text in it.subs:
            need(pdf, 16)
            y = pdf.get_y() + 0.5
            cell_at(pdf, ("B", 10.5), 28, y, 10, 5.2, label)
            cell_at(pdf, ("B", 10.5), 38, y, 150, 5.2, title)
            pdf.set_y(y + 5.6)
            para(pdf, 38, 152, text)
        pdf.ln(1.5)
    pdf.ln(6)
    cell_at(pdf, ("", 10.5), 20, pdf.get_y(), 170, 5, "Vid anteckningarna")
    cell_at(pdf, ("", 10.5), 20, pdf.get_y() + 12, 170, 5, f"{f['sekreterare']}")
    pdf.set_y(pdf.get_y() + 12)
    return pdf


# --------------------------------------------------------------------------------------
# Vilhelmina: 'Ärende 3 av 9'
# --------------------------------------------------------------------------------------


@h.renders(PDF_RENDERERS, "heldout14-arendeav")
def render_arendeav(m: Meeting, pages: dict):
    """Each item opens with a small grey 'Ärende 3 av 9' at the left and 'Dnr SN 2025/87' at the right, the
    bold title below, a rule; 'Ärendet', Yrkanden, 'Socialnämndens beslut', Reservation."""
    f = m.front
    total = len(m.items)

    def header(pdf):
        cell_at(pdf, ("B", 11), 20, 12, 90, 5, f["org"])
        cell_at(pdf, ("B", 10), 110, 12, 80, 5, "SAMMANTRÄDESPROTOKOLL", align="R")
        cell_at(pdf, ("", 9.5), 20, 17, 90, 5, m.body)
        cell_at(pdf, ("", 9.5), 110, 17, 80, 5, f"{m.date}   Sida {pdf.page_no()} av {{nb}}", align="R")
        pdf.line(20, 24, 190, 24)
        pdf.set_y(32)

    pdf = new_pdf(m, "liberation-sans", header, h13.text_footer(("Justerandes sign", "Utdragsbestyrkande")),
                  top=32)
    pdf.add_page()
    cell_at(pdf, ("B", 15), 20, 32, 170, 8, "Protokoll")
    pdf.set_y(44)
    label_rows(pdf, h13.front_facts(m), 20, 50, 170, size=10)
    h13.signature_rows(pdf, m, 20, f"1–{total}")
    pdf.add_page()
    for n, it in enumerate(m.items, 1):
        h.start_item(pdf, it, 45)
        y = pdf.get_y() + 3
        pdf.set_text_color(*GREY)
        cell_at(pdf, ("", 9), 20, y, 60, 5, f"Ärende {n} av {total}")
        if it.dnr:
            cell_at(pdf, ("", 9), 120, y, 70, 5, f"Dnr {it.dnr}", align="R")
        pdf.set_text_color(0)
        pdf.set_xy(20, y + 5.5)
        pdf.set_font("F", "B", 13)
        pdf.multi_cell(170, 6.5, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_draw_color(150)
        pdf.line(20, pdf.get_y() + 1, 190, pdf.get_y() + 1)
        pdf.set_draw_color(0)
        pdf.ln(3)
        h.write_blocks(pdf, sections(it, f"{h.owner_genitive(m.body)} beslut", "Ärendet" if it.desc else None),
                       20, 170, size=10.5)
        pdf.ln(4)
    return pdf


# --------------------------------------------------------------------------------------
# Åsele: headings in capitals, not bold
# --------------------------------------------------------------------------------------


@h.renders(PDF_RENDERERS, "heldout14-versaler")
def render_versaler(m: Meeting, pages: dict):
    """'§ 141' at the left and the title in capitals beside it, both in regular (not bold) type; the case
    number in small type under the title; the section labels ('Beslut', 'Yrkanden') are the only bold text."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("", 12), 20, 12, 90, 5, f["org"].upper())
        cell_at(pdf, ("", 10), 110, 12, 80, 5, "PROTOKOLL", align="R")
        cell_at(pdf, ("", 9.5), 20, 18, 90, 5, m.body)
        cell_at(pdf, ("", 9.5), 110, 18, 80, 5, f"Sammanträdesdatum {m.date}", align="R")
        pdf.set_y(32)

    pdf = new_pdf(m, "liberation-serif", header, page_footer("{n} ({{nb}})", ("Justerandes sign",)), top=32)
    pdf.add_page()
    cell_at(pdf, ("", 15), 20, 32, 170, 8, f"PROTOKOLL {m.body.upper()}")
    pdf.set_y(44)
    label_rows(pdf, h13.front_facts(m), 20, 50, 170, size=10.5)
    h13.signature_rows(pdf, m, 20, f"§§ {f['paragrafer']}")
    pdf.add_page()
    for it in m.items:
        h.start_item(pdf, it, 40)
        y = pdf.get_y() + 3
        cell_at(pdf, ("", 12), 20, y, 22, 6, it.number)
        pdf.set_xy(42, y)
        pdf.set_font("F", "", 12)
        pdf.multi_cell(148, 6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        if it.dnr:
            cell_at(pdf, ("", 9), 42, pdf.get_y(), 100, 4.5, f"Dnr {it.dnr}")
            pdf.set_y(pdf.get_y() + 4.5)
        pdf.ln(2)
        h.write_blocks(pdf, sections(it, "Beslut"), 42, 148, size=10.5)
        pdf.ln(5)
    return pdf


# --------------------------------------------------------------------------------------
# Älvdalen: a filled header band with '§§ 12–18', numbered decision lists, three-line titles
# --------------------------------------------------------------------------------------


@h.renders(PDF_RENDERERS, "heldout14-sidhuvud")
def render_sidhuvud(m: Meeting, pages: dict):
    """A grey band at the top of every page: org and body on the left, 'Sammanträdesdatum 2025-10-15', '§§ 12–18'
    and the page on the right; '§ 13' bold at the left, the bold title beside it in a narrow column (wrapping
    over up to three lines), the case number at the right of the first line; the decision as a numbered list
    '1.', '2.', '3.' under 'Beslut'."""
    f = m.front

    def header(pdf):
        pdf.set_fill_color(222, 226, 230)
        pdf.rect(0, 0, pdf.w, 24, style="F")
        cell_at(pdf, ("B", 11), 20, 7, 100, 5, f["org"])
        cell_at(pdf, ("", 9.5), 20, 13, 100, 5, m.body)
        cell_at(pdf, ("", 9), 120, 5, 70, 4.5, f"Sammanträdesdatum {m.date}", align="R")
        cell_at(pdf, ("B", 9), 120, 10, 70, 4.5, f"§§ {f['paragrafer']}", align="R")
        cell_at(pdf, ("", 9), 120, 15, 70, 4.5, f"Sida {pdf.page_no()} ({{nb}})", align="R")
        pdf.set_y(34)

    pdf = new_pdf(m, "dejavu-sans", header, h13.text_footer(("Justerandes sign", "Utdragsbestyrkande")), top=34)
    pdf.add_page()
    cell_at(pdf, ("B", 14), 20, 34, 170, 8, "Protokoll")
    pdf.set_y(46)
    label_rows(pdf, h13.front_facts(m), 20, 50, 170, size=9.5)
    h13.signature_rows(pdf, m, 20, f"§§ {f['paragrafer']}")
    pdf.add_page()
    for it in m.items:
        h.start_item(pdf, it, 50)
        y = pdf.get_y() + 3
        cell_at(pdf, ("B", 11), 20, y, 18, 6, it.number)
        if it.dnr:
            cell_at(pdf, ("", 8.5), 145, y + 0.5, 45, 5, it.dnr, align="R")
        pdf.set_xy(38, y)
        pdf.set_font("F", "B", 11)
        pdf.multi_cell(100, 5.6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2.5)
        for p in it.desc:
            para(pdf, 38, 152, p, size=9.5, lh=4.8)
        need(pdf, 14)
        pdf.ln(1)
        para(pdf, 38, 152, "Beslut", "B", size=9.5, lh=4.8)
        for n, p in enumerate(it.beslut_list, 1):
            y = pdf.get_y()
            cell_at(pdf, ("", 9.5), 38, y, 7, 4.8, f"{n}.")
            pdf.set_xy(45, y)
            pdf.multi_cell(145, 4.8, p, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(0.8)
        pdf.ln(5)
    return pdf


# --------------------------------------------------------------------------------------
# Bjurholm: an attendance table page, the § number drawn after the title
# --------------------------------------------------------------------------------------


@h.renders(PDF_RENDERERS, "heldout14-narvaro")
def render_narvaro(m: Meeting, pages: dict):
    """Front facts on page 1; page 2 a ruled 'Närvarolista' table (Namn | Parti | Uppdrag | Närvarande |
    Tjänstgörande ersättare); items from page 3: the bold title at 45 mm and the case number under it are written
    into the page first, the '§ 45' at the left margin after them, so the text order is title, Dnr, number."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 12), 20, 12, 90, 5, f["org"])
        cell_at(pdf, ("", 10), 110, 12, 80, 5, "SAMMANTRÄDESPROTOKOLL", align="R")
        cell_at(pdf, ("", 9.5), 20, 18, 90, 5, m.body)
        cell_at(pdf, ("", 9.5), 110, 18, 80, 5, f"{sv_date_long(m.date)}", align="R")
        pdf.set_y(32)

    pdf = new_pdf(m, "liberation-serif", header, page_footer("Sida {n} av {{nb}}", ("Justerandes sign",
                                                                                        "Utdragsbestyrkande")),
                  top=32)
    pdf.add_page()
    cell_at(pdf, ("B", 15), 20, 32, 170, 8, "Protokoll")
    pdf.set_y(44)
    rows = [("Plats och tid", f["plats"]), ("Beslutande", "Se närvarolista, sidan 2"),
            ("Utses att justera", f["justerare"]), ("Justeringens plats och tid", f["justering"])]
    label_rows(pdf, rows, 20, 55, 170, size=10.5)
    h13.signature_rows(pdf, m, 20, f"§§ {f['paragrafer']}")
    pdf.add_page()
    cell_at(pdf, ("B", 13), 20, 32, 170, 7, "Närvarolista")
    pdf.set_y(42)
    cols = [("Namn", 48), ("Parti", 16), ("Uppdrag", 28), ("Närvarande", 24), ("Tjänstgörande ersättare", 54)]
    body_rows = [[name, party, role, "x" if sub == "x" else "", "" if sub == "x" else sub]
                 for name, party, role, sub in f["narvaro"]]
    for r, row in enumerate([[c for c, _ in cols]] + body_rows):
        x, y = 20, pdf.get_y()
        for (name, w), value in zip(cols, row):
            if r == 0:
                pdf.set_fill_color(225)
                pdf.rect(x, y, w, 7, style="DF")
            else:
                pdf.rect(x, y, w, 7)
            cell_at(pdf, ("B" if r == 0 else "", 9.5), x + 1.5, y + 1, w - 3, 5, value,
                    align="C" if name == "Närvarande" and r else "L")
            x += w
        pdf.set_y(y + 7)
    pdf.add_page()
    for it in m.items:
        h.start_item(pdf, it, 40)
        y = pdf.get_y() + 3
        pdf.set_xy(45, y)
        pdf.set_font("F", "B", 12)
        pdf.multi_cell(145, 6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        if it.dnr:
            cell_at(pdf, ("", 9.5), 45, pdf.get_y(), 100, 5, f"Dnr {it.dnr}")
            pdf.set_y(pdf.get_y() + 5)
        after = pdf.get_y()
        cell_at(pdf, ("B", 12), 20, y, 22, 6, it.number)  # drawn last: text order is title, Dnr, number
        pdf.set_y(after + 2)
        h.write_blocks(pdf, sections(it, "Kommunfullmäktiges beslut"), 45, 145, size=11)
        pdf.ln(4)
    return pdf


# --------------------------------------------------------------------------------------
# Munkfors: a protokollsutdrag with two paragraphs and 'Rätt utdraget intygar'
# --------------------------------------------------------------------------------------


@h.renders(PDF_RENDERERS, "heldout14-utdrag")
def render_utdrag(m: Meeting, pages: dict):
    """'PROTOKOLLSUTDRAG' header; 'Utdrag ur protokoll fört vid kommunstyrelsens sammanträde 2025-09-30'; two
    paragraphs '§ 87' with the bold title beside and 'Dnr …' below; 'Beslutet skickas till' after the last;
    'Rätt utdraget intygar' with a signature line, name, role and date at the end."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 12), 20, 12, 90, 5, f["org"])
        cell_at(pdf, ("B", 11), 110, 12, 80, 5, "PROTOKOLLSUTDRAG", align="R")
        cell_at(pdf, ("", 9.5), 20, 18, 90, 5, m.body)
        cell_at(pdf, ("", 9.5), 110, 18, 80, 5, f"Sammanträdesdatum {m.date}", align="R")
        pdf.line(20, 25, 190, 25)
        pdf.set_y(34)

    pdf = new_pdf(m, "liberation-sans", header, page_footer("Sida {n} ({{nb}})", ("Justerandes sign",
                                                                                      "Utdragsbestyrkande")),
                  top=34)
    pdf.add_page()
    para(pdf, 20, 170, f"Utdrag ur protokoll fört vid {m.body.lower()}s sammanträde {m.date}", "I", size=10)
    pdf.ln(3)
    for it in m.items:
        h.start_item(pdf, it, 40)
        y = pdf.get_y() + 3
        cell_at(pdf, ("B", 12), 20, y, 20, 6, it.number)
        pdf.set_xy(40, y)
        pdf.set_font("F", "B", 12)
        pdf.multi_cell(150, 6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        cell_at(pdf, ("", 9.5), 40, pdf.get_y(), 100, 5, f"Dnr {it.dnr}")
        pdf.set_y(pdf.get_y() + 7)
        h.write_blocks(pdf, sections(it, "Kommunstyrelsens beslut", "Ärendebeskrivning"), 40, 150, size=10.5)
        pdf.ln(5)
    h.write_blocks(pdf, [("h", "Beslutet skickas till")], 40, 150, size=10.5)
    for s in f["skickas"]:
        para(pdf, 40, 150, s, size=10.5)
    need(pdf, 45)
    pdf.ln(10)
    y = pdf.get_y()
    cell_at(pdf, ("B", 10.5), 40, y, 100, 5, "Rätt utdraget intygar")
    cell_at(pdf, ("", 10.5), 40, y + 14, 80, 5, "…" * 24)
    cell_at(pdf, ("", 10.5), 40, y + 19, 80, 5, f"{f['sekreterare']}, kommunsekreterare")
    cell_at(pdf, ("", 10.5), 40, y + 24, 80, 5, "Munkfors den 3 oktober 2025")
    return pdf


# --------------------------------------------------------------------------------------
# Laxå: one paragraph a page, the running header names the paragraph and its title
# --------------------------------------------------------------------------------------


@h.renders(PDF_RENDERERS, "heldout14-sidrubrik")
def render_sidrubrik(m: Meeting, pages: dict):
    """Every item on a page of its own; the running header holds, under the org and date, the current
    paragraph's number and title ('§ 103  Lokal överenskommelse …') on every page of it, also on the page it runs
    on to; the item itself opens with the bold '§ 103' and the title in 14 pt, the case number below."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 11), 20, 11, 90, 5, f["org"])
        cell_at(pdf, ("", 9.5), 110, 11, 80, 5, f"Protokoll {m.date}   Sida {pdf.page_no()} ({{nb}})", align="R")
        cell_at(pdf, ("", 9.5), 20, 16, 170, 5, m.body)
        cur = getattr(pdf, "cur", None)
        if cur is not None:
            pdf.set_text_color(*GREY)
            cell_at(pdf, ("I", 9), 20, 21, 170, 5, f"{cur.number}  {cur.title}")
            pdf.set_text_color(0)
        pdf.line(20, 27, 190, 27)
        pdf.set_y(36)

    pdf = new_pdf(m, "liberation-sans", header, h13.text_footer(("Justerandes sign", "Utdragsbestyrkande")),
                  top=36)
    pdf.cur = None
    pdf.add_page()
    cell_at(pdf, ("B", 15), 20, 36, 170, 8, f"Protokoll {m.body.lower()}")
    pdf.set_y(48)
    label_rows(pdf, h13.front_facts(m), 20, 50, 170, size=10.5)
    h13.signature_rows(pdf, m, 20, f"§§ {f['paragrafer']}")
    for it in m.items:
        pdf.cur = it
        pdf.add_page()
        pdf.item_pages[it.number] = pdf.page_no()
        y = pdf.get_y()
        cell_at(pdf, ("B", 14), 20, y, 25, 7, it.number)
        pdf.set_xy(45, y)
        pdf.set_font("F", "B", 14)
        pdf.multi_cell(145, 7, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        if it.dnr:
            cell_at(pdf, ("", 10), 45, pdf.get_y() + 1, 100, 5, f"Dnr {it.dnr}")
            pdf.set_y(pdf.get_y() + 6)
        pdf.ln(4)
        h.write_blocks(pdf, sections(it, "Arbetsutskottets beslut", "Ärendebeskrivning" if it.desc else None),
                       45, 145, size=11, lh=5.8)
    return pdf


# --------------------------------------------------------------------------------------
# Storfors: a Word protocol whose items are the rows of a two-column table
# --------------------------------------------------------------------------------------


def render_tabelldocx(m: Meeting, path: Path) -> None:
    """Header 'Storfors kommun / Protokoll'; front facts as paragraphs; the items as one two-column table
    without header row: '§ 34' bold in the narrow left cell, the right cell holding the bold title, an italic
    'Dnr …' paragraph, the text and bold 'Yrkanden' / 'Beslut' / 'Reservation' labels."""
    from docx.shared import Cm, Pt

    f = m.front
    doc = new_docx(m, "Arial", 10)
    sec = doc.sections[0]
    sec.header.paragraphs[0].text = f"{f['org']}\tProtokoll\t{m.date}"
    sec.footer.paragraphs[0].text = "Justerandes signatur ……………\tUtdragsbestyrkande ……………"
    p = doc.add_paragraph()
    r = p.add_run(m.body)
    r.bold = True
    r.font.size = Pt(16)
    doc.add_paragraph(f"Sammanträde {sv_weekday(m.date)}en den {sv_date_long(m.date)}, {f['tid']}, {f['plats']}")
    for label, value in [("Beslutande", f["ledamoter"]), ("Övriga", f["ovriga"]), ("Justerare", [f["justerare"]])]:
        p = doc.add_paragraph()
        p.add_run(label).bold = True
        for v in value:
            doc.add_paragraph(v)
    doc.add_paragraph()
    table = doc.add_table(rows=0, cols=2)
    table.style = doc.styles["Table Grid"]
    for it in m.items:
        left, right = table.add_row().cells
        left.width, right.width = Cm(2.2), Cm(14)
        left.paragraphs[0].add_run(it.number).bold = True
        tp = right.paragraphs[0]
        run = tp.add_run(it.title)
        run.bold = True
        run.font.size = Pt(11)
        if it.dnr:
            right.add_paragraph().add_run(f"Dnr {it.dnr}").italic = True
        for kind, text in sections(it, "Beslut"):
            if kind == "h":
                right.add_paragraph().add_run(text).bold = True
            else:
                right.add_paragraph(text)
    doc.add_paragraph()
    doc.add_paragraph(f"Vid protokollet\t{f['sekreterare']}")
    doc.add_paragraph(f"Ordförande\t{f['ordforande']}")
    doc.add_paragraph(f"Justerare\t{f['justerande']}")
    doc.save(str(path))
    h3.stable_zip(path)


# --------------------------------------------------------------------------------------
# Pajala: notes forwarded by e-mail
# --------------------------------------------------------------------------------------


def render_epost(m: Meeting) -> str:
    """A forwarded e-mail saved as text: the forwarder's headers, greeting and signature ('-- '), then the
    original message's headers and the notes quoted with '> ' (hard-wrapped at 72), items '3. Title'."""
    f = m.front
    first = f["ursprung"].split()[0]
    subject = f"Minnesanteckningar trygghetsrådet {int(m.date[8:])} {sv_date_long(m.date).split()[1]}"
    out = [f"Från: {f['fran']}", f"Skickat: {f['skickat']}", f"Till: {f['till']}", f"Ämne: VB: {subject}", "",
           "Hej alla,", "",
           f"Här kommer {first}s anteckningar från senaste mötet i trygghetsrådet. Hör av er till mig om",
           "något saknas eller behöver rättas.", "", "Hälsningar", f["fran"].split()[0], "", "-- ",
           f["fran"].split("<")[0].strip(), "Trygghetssamordnare", f["org"], "Telefon: 0978-120 00", "",
           "-----Ursprungligt meddelande-----", f"Från: {f['ursprung']}", f"Skickat: {f['ursprung_skickat']}",
           f"Till: {f['fran']}", f"Ämne: {subject}", ""]
    q = [f"Minnesanteckningar, {m.body}, {f['org']}",
         f"Datum: {sv_weekday(m.date)} {sv_date_long(m.date)}, {f['tid']}", f"Plats: {f['plats']}",
         "Närvarande: " + "; ".join(f"{a}, {b}" for a, b in zip(f["deltagare"][::2], f["deltagare"][1::2])), ""]
    for it in m.items:
        q.append(f"{it.number}. {it.title}")
        for p in it.desc:
            q += textwrap.wrap(p, 70)
        q.append("")
    q += [f"/{first}"]
    wrapped: list[str] = []
    for line in q:
        wrapped += textwrap.wrap(line, 70) if len(line) > 70 else [line]
    out += [f"> {line}".rstrip() for line in wrapped]
    return "\n".join(out) + "\n"


def main() -> None:
    out = h.ROOT / "tests" / "data" / "heldout14"

    def write_doc(m: Meeting, path: Path) -> None:
        if m.fmt == "docx":
            render_tabelldocx(m, path)
        else:
            path.write_bytes(render_epost(m).encode("utf-8"))

    h.write_set(MEETINGS, write_doc, h.set_gold_for("heldout14"), out / "docs", out / "gold", h.ROOT,
                PDF_RENDERERS)


if __name__ == "__main__":
    main()
