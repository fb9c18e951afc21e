"""Write the fourth held-out structure set: ordinary Swedish protocols and council notes, unseen by the reader.

Run ``python tests/tools/make_heldout4.py`` to regenerate ``tests/data/heldout4/docs/`` (PDF, DOCX, TXT,
MD) and their gold labels in ``tests/data/heldout4/gold/``. The content lives in
``tests/tools/data/heldout4_meetings.yaml``; the records, PDF machinery, Word setup, stable zip and the
set writer are imported from ``make_heldout.py`` / ``make_heldout3.py``. Unlike the earlier sets, which
looked for layouts the reader had not met, this set aims to be representative: what municipalities
using Meetings Plus, Ciceron, Platina, W3D3, NetPublicator or plain Word typically publish, with
variations the earlier sets did not use. Each label comes from the same record its document is
rendered from; none was made by running the reader, and the author of this file did not read the
reader's code (see ``tests/data/heldout4/README.md``).

Needs fpdf2, python-docx, PyYAML and the DejaVu/Liberation TrueType fonts.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_heldout as h  # noqa: E402
import make_heldout3 as h3  # noqa: E402
from make_heldout import (  # noqa: E402
    Item, Meeting, cell_at, label_rows, line_in, need, new_docx, new_pdf, renders, sign_line,
    start_item, sv_date_long, sv_weekday, write_blocks,
)

ROOT = h.ROOT
OUT = ROOT / "tests" / "data" / "heldout4"
DOCS = OUT / "docs"
GOLD = OUT / "gold"
CONTENT = Path(__file__).resolve().parent / "data" / "heldout4_meetings.yaml"
PDF_RENDERERS: dict = {}  # family -> render(m, pages) returning the FPDF


@dataclass
class Item4(Item):
    """An item with lines printed under its heading (bygglov: Sökande, Fastighetsadress)."""

    extra_lines: list[str] = field(default_factory=list)
    proposition: list[str] = field(default_factory=list)  # type: ignore[assignment]


def load_meetings(path: Path = CONTENT) -> list[Meeting]:
    import yaml

    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Meeting(**{**r, "items": [Item4(**it) for it in r["items"]]}) for r in records]


MEETINGS: list[Meeting] = load_meetings()


def shown(it: Item) -> str:
    return it.shown_number or it.number or ""


def blocks(it: Item4, *, beslut_h: str = "Beslut", desc_h: str | None = "Ärendebeskrivning",
           forslag_h: str = "Förslag till beslut", order: str = "desc underlag forslag yrkanden proposition "
           "beslut reservation anteckning skickas") -> list[tuple[str, str]]:
    """An item's sections as ("h"|"p"|"li", text) blocks in the template's ``order``."""
    def paras(lines: list[str]) -> list[tuple[str, str]]:
        out = []
        for s in lines:
            if s.startswith("# "):
                out.append(("h", s[2:]))
            elif s.startswith("- "):
                out.append(("li", s[2:]))
            else:
                out.append(("p", s))
        return out

    parts = {
        "desc": ([("h", desc_h)] if desc_h and it.desc and not it.desc[0].startswith("# ") else [])
        + paras(it.desc),
        "underlag": [("h", "Beslutsunderlag")] + [("li", u) for u in it.underlag] if it.underlag else [],
        "forslag": [("h", forslag_h)] + paras(it.forslag) if it.forslag else [],
        "yrkanden": [("h", "Yrkanden")] + paras(it.yrkanden) if it.yrkanden else [],
        "proposition": [("h", "Propositionsordning")] + paras(it.proposition) if it.proposition else [],
        "beslut": [("h", beslut_h)] + paras(it.beslut) if it.beslut else [],
        "reservation": [("h", "Reservation"), ("p", it.reservation)] if it.reservation else [],
        "anteckning": [("h", "Protokollsanteckning"), ("p", it.anteckning)] if it.anteckning else [],
        "skickas": [("h", "Beslutet skickas till")] + [("p", s) for s in it.skickas] if it.skickas else [],
    }
    return [b for key in order.split() for b in parts[key]]


def front_rows(m: Meeting, *, beslutande: str = "Beslutande", justerare: str = "Utses att justera",
               paragrafer: bool = True) -> list[tuple[str, object]]:
    f = m.front
    rows: list[tuple[str, object]] = [("Plats och tid", [f["plats"]] + ([f["ajournering"]] if f.get("ajournering") else []))]
    if f.get("beslutande"):
        rows.append((beslutande, f["beslutande"]))
    else:
        led = ["Ledamöter"] + f["ledamoter"]
        if f.get("ersattare"):
            led += ["", "Tjänstgörande ersättare"] + f["ersattare"]
        rows.append((beslutande, led))
    if f.get("ej_tjanstgorande"):
        rows.append(("Ej tjänstgörande ersättare", f["ej_tjanstgorande"]))
    if f.get("ovriga"):
        rows.append(("Övriga deltagare", f["ovriga"]))
    rows.append((justerare, f["justerare"]))
    if f.get("justering"):
        rows.append(("Justeringens plats och tid", f["justering"]))
    if paragrafer:
        rows.append(("Paragrafer", f"§§ {f['paragrafer']}"))
    return rows


def signature_block(pdf, m: Meeting, *, paragrafer: bool = True, x: float = 20) -> None:
    """Underskrifter: Sekreterare (with 'Paragrafer …' beside), Ordförande, Justerande."""
    f = m.front
    need(pdf, 62)
    pdf.ln(3)
    line_in(pdf, ("B", 10), 40, 6, "Underskrifter")
    sign_line(pdf, x, "Sekreterare", f["sekreterare"], f"Paragrafer {f['paragrafer']}" if paragrafer else "")
    sign_line(pdf, x, "Ordförande", f["ordforande"])
    sign_line(pdf, x, "Justerande", f["justerande"])


# --------------------------------------------------------------------------------------
# PDF families
# --------------------------------------------------------------------------------------


@renders(PDF_RENDERERS, "heldout4-mplus")
def render_mplus(m: Meeting, pages: dict):
    """Meetings Plus style: logo text and body/Protokoll/date block on every page, empty signature boxes
    along the foot with 'Utdragsbestyrkande'; front matter, signatures, a bare '§ N Title' list; every
    item on a new page as '§ 102  TN 2024/58' over its bold title, then Ärendebeskrivning, Beslut,
    Beslutsunderlag."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("", 8), 180, 8, 10, 4, str(pdf.page_no()), align="R")
        cell_at(pdf, ("B", 15), 20, 14, 70, 7, f["org"])
        cell_at(pdf, ("B", 10), 120, 13, 70, 5, m.body)
        cell_at(pdf, None, 120, 18, 70, 5, "Protokoll")
        cell_at(pdf, ("", 10), 120, 26, 70, 5, m.date)
        pdf.set_xy(20, 40)

    def footer(pdf):
        y = pdf.h - 22
        pdf.set_draw_color(0)
        pdf.line(20, y, 190, y)
        for x in (20, 42, 64, 86, 108):
            pdf.line(x, y, x, y + 8)
        pdf.line(150, y, 150, y + 8)
        pdf.line(190, y, 190, y + 8)
        pdf.line(20, y + 8, 190, y + 8)
        cell_at(pdf, ("", 6), 151, y + 0.5, 38, 3, "Utdragsbestyrkande")

    pdf = new_pdf(m, "liberation-sans", header, footer, top=40, bottom=28)
    pdf.add_page()
    # Page 1: front matter, 'Paragrafer' beside 'Plats och tid'.
    y = pdf.get_y() + 4
    cell_at(pdf, ("B", 8.5), 20, y, 30, 4.5, "Plats och tid")
    pdf.set_xy(52, y)
    pdf.set_font("F", "", 8.5)
    pdf.multi_cell(60, 4.5, f["plats"], align="L")
    cell_at(pdf, ("B", 8.5), 118, y, 22, 4.5, "Paragrafer")
    cell_at(pdf, ("", 8.5), 142, y, 40, 4.5, f["paragrafer"])
    pdf.set_y(y + 14)
    rows = [("Beslutande", f["ledamoter"]), ("Ej tjänstgörande ersättare", f["ej_tjanstgorande"]),
            ("Övriga deltagare", f["ovriga"]), ("Utses att justera", f["justerare"]),
            ("Justeringens plats och tid", f["justering"])]
    label_rows(pdf, rows, 20, 32, 170, size=8.5, lh=4.3)
    # Page 2: signatures and the notice line.
    pdf.add_page()
    pdf.ln(6)
    for label, name in (("Sekreterare", f["sekreterare"]), ("Ordförande", f["ordforande"]),
                        ("Justerande", f["justerande"])):
        y = pdf.get_y()
        cell_at(pdf, ("B", 8.5), 20, y, 40, 4.5, label)
        cell_at(pdf, ("", 9), 60, y + 7, 80, 4.5, name)
        pdf.set_y(y + 18)
    pdf.set_font("F", "", 8.5)
    pdf.multi_cell(170, 4.5, "Protokollet är justerat. Justeringen har tillkännagivits på Motala kommuns "
                   "digitala anslagstavla.", align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.line(20, pdf.get_y() + 1, 190, pdf.get_y() + 1)
    # Page 3: the paragraph list, no heading, no page numbers.
    pdf.add_page()
    pdf.ln(20)
    pdf.set_font("F", "", 9)
    for it in m.items:
        yy = pdf.get_y()
        cell_at(pdf, None, 20, yy, 20, 4.5, it.number)
        pdf.set_xy(42, yy)
        pdf.multi_cell(120, 4.5, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    for it in m.items:
        pdf.add_page()
        pdf.item_pages[it.number] = pdf.page_no()
        pdf.ln(12)
        line_in(pdf, ("", 9.5), 170, 5, f"{it.number}   {it.dnr}" if it.dnr else it.number)
        pdf.ln(2)
        pdf.set_font("F", "B", 12)
        pdf.multi_cell(170, 6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        write_blocks(pdf, blocks(it, order="desc beslut underlag skickas"), 20, 170, size=9.5, lh=4.8)
    return pdf


def verifikat_page(pdf, m: Meeting, signers: list[tuple[str, str]]) -> None:
    """The e-signing service's verification page appended to a digitally signed protocol."""
    pdf.plain = True
    pdf.add_page()
    pdf.set_xy(20, 20)
    line_in(pdf, ("B", 16), 170, 9, "Verifikat")
    line_in(pdf, ("", 9), 170, 5, "Transaktion 09222115557528734519")
    pdf.ln(4)
    rows = [("Dokument", f"Protokoll {m.body} {m.date}"), ("", "Huvuddokument"),
            ("", f"{pdf.main_pages} sidor"), ("", f"Startades 2024-09-30 15:02:11 CEST (+0200) av {m.front['sekreterare']}"),
            ("", "Färdigställt 2024-10-01 08:14:52 CEST (+0200)")]
    for label, val in rows:
        if label:
            line_in(pdf, ("B", 10), 170, 6, label)
        line_in(pdf, ("", 9), 170, 4.8, val)
    pdf.ln(4)
    line_in(pdf, ("B", 10), 170, 6, "Signerare")
    for name, when in signers:
        pdf.ln(2)
        line_in(pdf, ("B", 9), 170, 4.8, name)
        line_in(pdf, ("", 9), 170, 4.8, f"{m.municipality} kommun")
        line_in(pdf, ("", 9), 170, 4.8, f"Signerade {when} CEST (+0200)")
    pdf.ln(6)
    pdf.set_font("F", "", 8)
    pdf.multi_cell(170, 4, "Detta verifikat är utfärdat av Scrive. Information i kursiv stil är säkert verifierad "
                   "av Scrive. Se de dolda bilagorna för mer information/bevis om detta dokument.", align="L",
                   new_x="LMARGIN", new_y="NEXT")


@renders(PDF_RENDERERS, "heldout4-kf")
def render_kf(m: Meeting, pages: dict):
    """A kommunfullmäktige protocol: 'SAMMANTRÄDESPROTOKOLL … Sida 3 av 12' header, text footer with
    'Justerandes sign' and 'Utdragsbestyrkande'; front page with ANSLAG/BEVIS; 'Innehållsförteckning'
    with § and page; sixteen short items flowing on, 'Kf § 115' at the left and 'Dnr KS-2024-00388' at
    the right, the title below; attendance and voting list (Bilaga 1) and an e-signing 'Verifikat'."""
    f = m.front

    def header(pdf):
        if getattr(pdf, "plain", False):
            return
        cell_at(pdf, ("B", 12), 20, 11, 70, 6, f["org"])
        cell_at(pdf, ("B", 10), 95, 11, 60, 6, "SAMMANTRÄDESPROTOKOLL")
        # The e-signing service appends its page after the protocol was numbered.
        cell_at(pdf, ("", 9), 150, 11, 40, 6, f"Sida {pdf.page_no()} av {pages.get('__main', '{nb}')}", align="R")
        cell_at(pdf, ("", 10), 20, 17, 70, 5, m.body)
        cell_at(pdf, ("", 9), 95, 17, 95, 5, f"Sammanträdesdatum {m.date}")
        pdf.line(20, 24, 190, 24)
        pdf.set_xy(20, 30)

    def footer(pdf):
        if getattr(pdf, "plain", False):
            return
        pdf.line(20, pdf.h - 20, 190, pdf.h - 20)
        cell_at(pdf, ("", 8), 20, pdf.h - 18, 100, 4, "Justerandes sign ____________  ____________")
        cell_at(pdf, None, 120, pdf.h - 18, 70, 4, "Utdragsbestyrkande ____________", align="R")

    pdf = new_pdf(m, "dejavu-sans", header, footer, top=30, bottom=26)
    pdf.plain = False
    pdf.add_page()
    line_in(pdf, ("B", 16), 170, 9, m.body)
    pdf.ln(2)
    label_rows(pdf, front_rows(m, paragrafer=False), 20, 48, 170, size=9.5)
    signature_block(pdf, m)
    h.anslag_block(pdf, m, 20, 170, size=9)
    pdf.add_page()
    line_in(pdf, ("B", 13), 170, 8, "Innehållsförteckning")
    pdf.ln(2)
    yy = pdf.get_y()
    cell_at(pdf, ("B", 9), 20, yy, 22, 5, "Paragraf")
    cell_at(pdf, None, 42, yy, 100, 5, "Ärende")
    cell_at(pdf, None, 175, yy, 15, 5, "Sida", align="R")
    pdf.set_y(yy + 6)
    for it in m.items:
        yy = pdf.get_y()
        cell_at(pdf, ("", 9.5), 20, yy, 22, 5, it.number)
        pdf.set_xy(42, yy)
        pdf.multi_cell(130, 5, it.title, align="L")
        y2 = pdf.get_y()
        cell_at(pdf, None, 175, yy, 15, 5, str(pages.get(it.number, "")), align="R")
        pdf.set_y(max(y2, yy + 5) + 0.8)
    pdf.add_page()
    for it in m.items:
        start_item(pdf, it, 34)
        pdf.ln(5)
        yy = pdf.get_y()
        cell_at(pdf, ("B", 11), 20, yy, 40, 6, shown(it))
        if it.dnr:
            cell_at(pdf, ("", 9.5), 100, yy, 90, 6, f"Dnr {it.dnr}", align="R")
        pdf.set_xy(20, yy + 7)
        pdf.set_font("F", "B", 11.5)
        pdf.multi_cell(170, 6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        desc_h = "Ärendebeskrivning" if it.forslag else None
        write_blocks(pdf, blocks(it, desc_h=desc_h, forslag_h="Kommunstyrelsens förslag till beslut",
                                 beslut_h="Kommunfullmäktiges beslut"), 20, 170, size=9.5, lh=4.8)
    # Bilaga 1: attendance and the vote in § 118.
    pdf.add_page()
    line_in(pdf, ("B", 12), 170, 7, "Bilaga 1 till protokoll " + m.date)
    line_in(pdf, ("B", 10.5), 170, 6, "Närvaro- och omröstningslista")
    pdf.ln(2)
    members = [("Karin Andersson", "C", "Ja"), ("Karl-Johan Ek", "S", "Ja"), ("Maria Petersson", "M", "Ja"),
               ("Sven-Erik Nilsson", "S", "Ja"), ("Anna Lind", "C", "Ja"), ("Jimmie Svensson", "SD", "Nej"),
               ("Lena Sand", "V", "Avstår"), ("Per Nordh", "L", "Ja"), ("Gunilla Rask", "SD", "Nej"),
               ("Tomas Berg", "KD", "Ja"), ("Hanna Öst", "MP", "Avstår"), ("Oskar Wahl", "SD", "Nej")]
    cols = (("Ledamot", 55), ("Parti", 18), ("Närvaro §§ 112–127", 40), ("Votering § 118", 32))
    pdf.set_font("F", "B", 8.5)
    pdf.set_x(20)
    for col, w in cols:
        pdf.cell(w, 5.5, col, border=1)
    pdf.ln(5.5)
    pdf.set_font("F", "", 8.5)
    for name, party, vote in members:
        pdf.set_x(20)
        for val, (_, w) in zip((name, party, "X", vote), cols):
            pdf.cell(w, 5, val, border=1)
        pdf.ln(5)
    pdf.ln(3)
    pdf.set_font("F", "", 9)
    pdf.multi_cell(170, 4.8, "Förteckningen är förkortad i denna version: 49 ledamöter närvarande. "
                   "Omröstning § 118: 34 ja, 12 nej, 3 avstår.", align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.main_pages = pdf.item_pages["__main"] = pdf.page_no()
    verifikat_page(pdf, m, [("Linnea Sjöberg (LS)", "2024-09-30 15:04:40"),
                            ("Karin Andersson (KA)", "2024-09-30 17:21:03"),
                            ("Maria Petersson (MP)", "2024-09-30 19:45:18"),
                            ("Sven-Erik Nilsson (SN)", "2024-10-01 08:14:52")])
    return pdf


@renders(PDF_RENDERERS, "heldout4-oneline")
def render_oneline(m: Meeting, pages: dict):
    """'§ 143' at the left, the bold title beside it (wrapping) and the case number(s) at the right of
    the same line; the body's decision first; items run on across pages without a continuation mark;
    page number '3 (7)' in the footer between the signature labels."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 13), 20, 12, 80, 6, f["org"])
        cell_at(pdf, ("B", 10), 120, 11, 70, 5, "Sammanträdesprotokoll", align="R")
        cell_at(pdf, ("", 10), 20, 19, 80, 5, m.body)
        cell_at(pdf, ("", 9.5), 120, 16.5, 70, 5, m.date, align="R")
        pdf.set_draw_color(150)
        pdf.line(20, 26, 190, 26)
        pdf.set_xy(20, 32)

    def footer(pdf):
        y = pdf.h - 20
        pdf.set_draw_color(0)
        pdf.rect(20, y, 45, 10)
        pdf.rect(145, y, 45, 10)
        cell_at(pdf, ("", 7), 21, y + 0.8, 40, 3, "Justerandes sign")
        cell_at(pdf, None, 146, y + 0.8, 40, 3, "Utdragsbestyrkande")
        cell_at(pdf, ("", 8.5), 85, y + 3, 40, 4, f"{pdf.page_no()} ({{nb}})", align="C")

    pdf = new_pdf(m, "liberation-sans", header, footer, top=32, bottom=26)
    pdf.add_page()
    line_in(pdf, ("B", 15), 170, 8, "Protokoll")
    pdf.ln(2)
    label_rows(pdf, front_rows(m, paragrafer=False), 20, 46, 170, size=9.5)
    signature_block(pdf, m)
    h.anslag_block(pdf, m, 20, 170, size=9)
    pdf.add_page()
    beslut_h = h.owner_genitive(m.body) + " beslut"
    for it in m.items:
        start_item(pdf, it, 30)
        pdf.ln(5)
        yy = pdf.get_y()
        cell_at(pdf, ("B", 11), 20, yy, 18, 5.5, shown(it))
        if it.dnr:
            cell_at(pdf, ("", 8.5), 140, yy, 50, 5.5, it.dnr, align="R")
        pdf.set_xy(38, yy)
        pdf.set_font("F", "B", 11)
        pdf.multi_cell(98, 5.5, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        write_blocks(pdf, blocks(it, beslut_h=beslut_h, order="beslut desc underlag yrkanden proposition "
                                 "reservation anteckning skickas"), 38, 152, size=10, lh=5)
    return pdf


@renders(PDF_RENDERERS, "heldout4-bygg")
def render_bygg(m: Meeting, pages: dict):
    """A bygg- och miljönämnd (serif): '§ 99 Ekeby 4:12 – Bygglov …' with a hanging indent, 'Dnr BMN
    2024-000512', Sökande/Fastighetsadress lines, the decision first, then Ärendet, Skäl för beslutet,
    Upplysningar; signature boxes at the foot left, 'Sida 3' at the right."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 12), 20, 12, 90, 6, f["org"])
        cell_at(pdf, ("B", 10.5), 120, 12, 50, 6, "SAMMANTRÄDESPROTOKOLL")
        cell_at(pdf, ("", 10), 20, 18, 90, 5, m.body)
        cell_at(pdf, None, 120, 18, 70, 5, f"Sammanträdesdatum {m.date}")
        pdf.line(20, 25, 190, 25)
        pdf.set_xy(20, 31)

    def footer(pdf):
        y = pdf.h - 21
        pdf.set_draw_color(0)
        pdf.rect(20, y, 55, 11)
        pdf.rect(77, y, 55, 11)
        cell_at(pdf, ("", 7.5), 21, y + 0.8, 50, 3.5, "Justerandes signatur")
        cell_at(pdf, None, 78, y + 0.8, 50, 3.5, "Utdragsbestyrkande")
        cell_at(pdf, ("", 9), 150, y + 4, 40, 4, f"Sida {pdf.page_no()}", align="R")

    pdf = new_pdf(m, "liberation-serif", header, footer, top=31, bottom=26)
    pdf.add_page()
    label_rows(pdf, front_rows(m, paragrafer=False), 20, 46, 170, size=10.5)
    signature_block(pdf, m)
    pdf.add_page()
    beslut_h = h.owner_genitive(m.body) + " beslut"
    for it in m.items:
        start_item(pdf, it, 40)
        pdf.ln(5)
        yy = pdf.get_y()
        cell_at(pdf, ("B", 12), 20, yy, 16, 6, shown(it))
        pdf.set_xy(36, yy)
        pdf.multi_cell(154, 6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        for line in ([f"Dnr {it.dnr}"] if it.dnr else []) + it.extra_lines:
            pdf.set_x(36)
            line_in(pdf, ("", 10), 154, 5, line)
        pdf.ln(1)
        write_blocks(pdf, blocks(it, beslut_h=beslut_h, desc_h=None, order="beslut desc skickas"),
                     36, 154, size=10.5, lh=5.2)
    return pdf


@renders(PDF_RENDERERS, "heldout4-word360")
def render_word360(m: Meeting, pages: dict):
    """A protocol written in Word (Public 360 template) and saved as PDF: 'UN § 87' on its own line, the
    title as a large blue heading, 'Dnr UN-2024-00145' under it; footer 'Justerandes signatur' and
    'Sida 3 av 9'."""
    f = m.front

    def header(pdf):
        pdf.set_text_color(90)
        cell_at(pdf, ("", 8.5), 20, 10, 85, 4, f["org"])
        cell_at(pdf, None, 105, 10, 85, 4, "PROTOKOLL", align="R")
        cell_at(pdf, None, 20, 14, 85, 4, m.body)
        cell_at(pdf, None, 105, 14, 85, 4, m.date, align="R")
        pdf.set_text_color(0)
        pdf.set_xy(20, 26)

    def footer(pdf):
        pdf.set_text_color(90)
        cell_at(pdf, ("", 8), 20, pdf.h - 15, 100, 4, "Justerandes signatur: ______________")
        cell_at(pdf, None, 120, pdf.h - 15, 70, 4, f"Sida {pdf.page_no()} av {{nb}}", align="R")
        pdf.set_text_color(0)

    pdf = new_pdf(m, "dejavu-sans", header, footer, top=26, bottom=22)
    pdf.add_page()
    pdf.set_text_color(31, 56, 100)
    line_in(pdf, ("B", 20), 170, 11, "Protokoll")
    pdf.set_text_color(0)
    line_in(pdf, ("", 11), 170, 6, f"{m.body}, {sv_weekday(m.date)} {sv_date_long(m.date)}")
    pdf.ln(4)
    label_rows(pdf, front_rows(m, justerare="Justerare"), 20, 46, 170, size=9.5)
    signature_block(pdf, m, paragrafer=False)
    pdf.add_page()
    for it in m.items:
        start_item(pdf, it, 36)
        pdf.ln(6)
        line_in(pdf, ("B", 10), 170, 5, shown(it))
        pdf.set_text_color(31, 56, 100)
        pdf.set_font("F", "B", 14)
        pdf.multi_cell(170, 7, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0)
        if it.dnr:
            line_in(pdf, ("", 9), 170, 5, f"Dnr {it.dnr}")
        pdf.ln(1)
        write_blocks(pdf, blocks(it, desc_h=None, forslag_h="Förvaltningens förslag till beslut",
                                 order="desc underlag forslag yrkanden proposition beslut reservation "
                                 "anteckning skickas"), 20, 170, size=9.5, lh=4.8)
    return pdf


@renders(PDF_RENDERERS, "heldout4-ksprotokoll")
def render_ksprotokoll(m: Meeting, pages: dict):
    """A kommunstyrelse protocol: '§ 203' at the left and the bare case number 'KS/2024/0412/109' at the
    right, the title below; an 'Ärendeförteckning' after the front page; items flowing on, referring
    to the arbetsutskott's and other bodies' paragraphs in their text."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 11), 20, 11, 70, 5, f["org"])
        cell_at(pdf, ("B", 10), 100, 11, 50, 5, "PROTOKOLL")
        cell_at(pdf, ("", 9), 160, 11, 30, 5, f"sida {pdf.page_no()} ({{nb}})", align="R")
        cell_at(pdf, ("", 10), 20, 16, 70, 5, m.body)
        cell_at(pdf, ("", 9), 100, 16, 60, 5, f"Sammanträdesdatum {m.date}")
        pdf.set_draw_color(0)
        pdf.line(20, 23, 190, 23)
        pdf.set_xy(20, 29)

    pdf = new_pdf(m, "liberation-sans", header, h.box_footer, top=29, bottom=28)
    pdf.add_page()
    line_in(pdf, ("B", 15), 170, 8, f"{m.body}s protokoll")
    pdf.ln(2)
    label_rows(pdf, front_rows(m), 20, 48, 170, size=9.5)
    signature_block(pdf, m)
    h.anslag_block(pdf, m, 20, 170, size=9)
    pdf.add_page()
    line_in(pdf, ("B", 13), 170, 8, "Ärendeförteckning")
    pdf.ln(2)
    for it in m.items:
        yy = pdf.get_y()
        cell_at(pdf, ("", 9.5), 20, yy, 18, 5, it.number)
        pdf.set_xy(38, yy)
        pdf.multi_cell(112, 5, it.title, align="L")
        y2 = pdf.get_y()
        cell_at(pdf, None, 152, yy, 38, 5, it.dnr or "", align="R")
        pdf.set_y(max(y2, yy + 5) + 0.8)
    pdf.add_page()
    for it in m.items:
        start_item(pdf, it, 36)
        pdf.ln(5)
        yy = pdf.get_y()
        cell_at(pdf, ("B", 11.5), 20, yy, 30, 6, shown(it))
        if it.dnr:
            cell_at(pdf, ("", 9.5), 120, yy, 70, 6, it.dnr, align="R")
        pdf.set_xy(20, yy + 7.5)
        pdf.set_font("F", "B", 12)
        pdf.multi_cell(170, 6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        write_blocks(pdf, blocks(it, desc_h="Sammanfattning", forslag_h="Arbetsutskottets förslag till beslut",
                                 beslut_h="Kommunstyrelsens beslut"), 20, 170, size=10, lh=5)
    return pdf


@renders(PDF_RENDERERS, "heldout4-brapdf")
def render_brapdf(m: Meeting, pages: dict):
    """BRÅ notes written in Word and saved as PDF: 'Dagordning' 1–7, then Word numbered headings
    '3   Lägesbild från Polisen' (number, gap, title, no full stop)."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 10), 20, 11, 85, 5, f["org"])
        cell_at(pdf, ("", 9), 105, 11, 85, 5, f"Minnesanteckningar  {m.date}", align="R")
        pdf.set_xy(20, 26)

    def footer(pdf):
        cell_at(pdf, ("", 8.5), 20, pdf.h - 14, 170, 4, str(pdf.page_no()), align="C")

    pdf = new_pdf(m, "liberation-sans", header, footer, top=26, bottom=20)
    pdf.add_page()
    pdf.set_font("F", "B", 17)
    pdf.multi_cell(170, 8, f"Minnesanteckningar\n{m.body} (BRÅ)", align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    label_rows(pdf, [("Datum", f"{sv_weekday(m.date).capitalize()} {sv_date_long(m.date)}"),
                     ("Plats och tid", f["plats"]), ("Närvarande", f["narvarande"]),
                     ("Frånvarande", f["franvarande"])], 20, 34, 170, size=10)
    pdf.ln(2)
    line_in(pdf, ("B", 12), 170, 7, "Dagordning")
    pdf.set_font("F", "", 10.5)
    for it in m.items:
        pdf.set_x(24)
        pdf.cell(8, 5.5, f"{it.number}.")
        pdf.cell(150, 5.5, it.title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for it in m.items:
        start_item(pdf, it, 24)
        pdf.ln(3)
        yy = pdf.get_y()
        cell_at(pdf, ("B", 12), 20, yy, 12, 6.5, it.number)
        cell_at(pdf, None, 32, yy, 158, 6.5, it.title)
        pdf.set_y(yy + 8)
        write_blocks(pdf, blocks(it, desc_h=None, order="desc"), 20, 170, size=10.5, lh=5.3)
    pdf.ln(6)
    line_in(pdf, ("", 10.5), 170, 5.5, "Vid anteckningarna")
    line_in(pdf, ("", 10.5), 170, 5.5, f["sekreterare"])
    return pdf


# --------------------------------------------------------------------------------------
# Text, Markdown and Word
# --------------------------------------------------------------------------------------


def text_sections(it: Item4, order: str) -> list[str]:
    out: list[str] = []
    for kind, text in blocks(it, desc_h=None, order=order):
        if kind == "h":
            out += ["", text]
        elif kind == "li":
            out.append(f"• {text}")
        else:
            out.append(text)
    return out


def render_webtxt(m: Meeting) -> str:
    """A protocol copied from the municipality's web publication: '§ 122 Title' lines, 'Diarienummer:'
    below, section names on lines of their own, no page furniture."""
    f = m.front
    out = [f"{f['org']}", "Protokoll", m.body, f"Sammanträdesdatum: {m.date}", "",
           f"Plats och tid: {f['plats']}", f"Beslutande: {', '.join(f['ledamoter'])}",
           f"Övriga deltagare: {', '.join(f['ovriga'])}", f"Justerare: {f['justerare']}",
           f"Justeringsdatum: {f['justering']}", f"Paragrafer: {f['paragrafer']}", "", ""]
    for it in m.items:
        out.append(f"{it.number} {it.title}")
        if it.dnr:
            out.append(f"Diarienummer: {it.dnr}")
        out += text_sections(it, "desc underlag yrkanden proposition beslut reservation skickas")
        out += ["", ""]
    out += [f"Sekreterare: {f['sekreterare']}", f"Ordförande: {f['ordforande']}", f"Justerare: {f['justerande']}",
            "", "Protokollet justerades digitalt " + f["justering"] + "."]
    return "\n".join(out) + "\n"


def render_esttxt(m: Meeting) -> str:
    """EST notes as a plain text file: '1. Title' lines, dash bullets, participants by organisation."""
    out = ["Hudiksvalls kommun", "EST-gruppen Hudiksvall (Effektiv samordning för trygghet)", "Minnesanteckningar",
           f"Datum: {m.date}, kl. 09.00–09.45 (Teams)", "",
           "Deltagare:", "Erik Sjölund, Polisen LPO Hudiksvall", "Sanna Olsson, fältgruppen",
           "Johanna Berg, socialtjänsten", "Mats Hedlund, tekniska förvaltningen",
           "Lina Åström, Hudiksvallsbostäder", "Peter Nyman, Räddningstjänsten Hudiksvall",
           "Karin Westlund, säkerhetssamordnare (sammankallande, antecknar)", "",
           "Anteckningarna innehåller inte personuppgifter. Uppgifter om enskilda hanteras i respektive "
           "organisation.", "", ""]
    for it in m.items:
        out.append(f"{it.number}. {it.title}")
        out += it.desc
        out.append("")
    out += ["", "/Karin"]
    return "\n".join(out) + "\n"


def render_fhrmd(m: Meeting) -> str:
    """Folkhälsoråd notes in Markdown: numbered items as bold paragraphs '**3. Title**'."""
    out = [f"# {m.body} i Vara kommun – minnesanteckningar", "",
           f"Datum: {m.date}, kl. 13.15–15.30  ", "Plats: Kommunhuset, sammanträdesrum Kinnekulle  ",
           "Närvarande: Ingvar Svensson (ordförande, KS), Louise Hjelm (folkhälsostrateg), "
           "Maria Blom (Skaraborgs kommunalförbund), Roger Ek (Polisen), Jenny Falk (elevhälsan), "
           "Ahmed Noor (fritid)  ", "Förhinder: Annika Strand (Västra Götalandsregionen)", ""]
    for it in m.items:
        out += [f"**{it.number}. {it.title}**  "]
        for line in it.desc:
            out.append(line if line.startswith("- ") else line + "  ")
        out.append("")
    out += ["Vid anteckningarna: Louise Hjelm", ""]
    return "\n".join(out)


def render_worddoc(m: Meeting, path: Path) -> None:
    """A council's Word protocol: each item headed by a borderless two-cell table '§ 21 | Title'."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Cm, Pt

    f = m.front
    doc = new_docx(m, "Arial", 10)
    sec = doc.sections[0]
    hp = sec.header.paragraphs[0]
    hp.text = f"{f['org']}\tPROTOKOLL\t{m.date}"
    hp.paragraph_format.tab_stops.add_tab_stop(Cm(8), WD_TAB_ALIGNMENT.CENTER)
    hp.paragraph_format.tab_stops.add_tab_stop(Cm(16), WD_TAB_ALIGNMENT.RIGHT)
    sec.footer.paragraphs[0].text = "Justerandes sign ………………"
    p = doc.add_paragraph()
    r = p.add_run(m.body)
    r.bold = True
    r.font.size = Pt(16)
    doc.add_paragraph(f"Protokoll från sammanträde {sv_weekday(m.date)}en den {sv_date_long(m.date)}")
    table = doc.add_table(rows=0, cols=2)
    for label, value in (("Plats och tid", f["plats"]), ("Närvarande ledamöter", "\n".join(f["ledamoter"])),
                         ("Övriga", "\n".join(f["ovriga"])), ("Justerare", f["justerare"]),
                         ("Paragrafer", f"§§ {f['paragrafer']}")):
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].text = value
    doc.add_paragraph()
    for it in m.items:
        t = doc.add_table(rows=1, cols=2)
        t.columns[0].width = Cm(2.5)
        c0, c1 = t.rows[0].cells
        c0.width, c1.width = Cm(2.5), Cm(13.5)
        c0.paragraphs[0].add_run(it.number).bold = True
        r = c1.paragraphs[0].add_run(it.title)
        r.bold = True
        r.font.size = Pt(11)
        for line in it.desc:
            doc.add_paragraph(line)
    doc.add_paragraph()
    doc.add_paragraph("Vid protokollet")
    doc.add_paragraph(f"{f['sekreterare']}, sekreterare")
    doc.add_paragraph("Justeras")
    doc.add_paragraph(f"{f['ordforande']}, ordförande\t\t{f['justerande']}, justerare")
    doc.save(str(path))
    h3.stable_zip(path)


def render_worddocx(m: Meeting, path: Path) -> None:
    """Trygghetsråd notes in Word: attendance table, a typed 'Dagordning', items as Heading 2 with typed
    numbers '3. Medborgarlöfte 2024', an action table after the items."""
    from docx.shared import Pt

    f = m.front
    doc = new_docx(m, "Calibri", 11)
    doc.sections[0].header.paragraphs[0].text = f"{f['org']} – Kommunledningsförvaltningen"
    doc.add_paragraph(f"Minnesanteckningar {m.body}", style="Title")
    doc.add_paragraph(f"Datum: {m.date} kl. 09.00–11.00\nPlats: Kommunhuset, Östhammar, sammanträdesrum Kraften")
    p = doc.add_paragraph()
    p.add_run("Närvarande").bold = True
    table = doc.add_table(rows=0, cols=2)
    for name, role in f["narvarande"]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = name, role
    p = doc.add_paragraph()
    p.add_run("Dagordning").bold = True
    for it in m.items:
        doc.add_paragraph(f"{it.number}. {it.title}")
    for it in m.items:
        doc.add_paragraph(f"{it.number}. {it.title}", style="Heading 2")
        for line in it.desc:
            doc.add_paragraph(line)
    p = doc.add_paragraph()
    r = p.add_run("Åtgärdslista")
    r.bold = True
    r.font.size = Pt(12)
    actions = doc.add_table(rows=1, cols=3)
    actions.style = "Table Grid"
    for cell, text in zip(actions.rows[0].cells, ("Åtgärd", "Ansvarig", "Klart")):
        cell.paragraphs[0].add_run(text).bold = True
    for row in (("Utkast till medborgarlöfte till KS", "Margareta Widén Berggren, Lars O Holm", "2024-03-05"),
                ("Enkät trygghetsmätning skickas ut", "Ulrika Åkerlund", "2024-04-02"),
                ("Planera trygghetsvandring Österbybruk", "Anna Wiklund, Ulrika Åkerlund", "2024-05-14")):
        cells = actions.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = text
    doc.add_paragraph(f"Vid anteckningarna: {f['sekreterare']}")
    doc.save(str(path))
    h3.stable_zip(path)


# --------------------------------------------------------------------------------------
# Gold labels and main
# --------------------------------------------------------------------------------------


gold_for = h.set_gold_for("heldout4")


TEXT_RENDERERS = {"heldout4-webtxt": render_webtxt, "heldout4-esttxt": render_esttxt,
                  "heldout4-fhrmd": render_fhrmd}
DOCX_RENDERERS = {"heldout4-worddoc": render_worddoc, "heldout4-worddocx": render_worddocx}


def write_doc(m: Meeting, path: Path) -> None:
    if m.fmt == "docx":
        DOCX_RENDERERS[m.family](m, path)
    else:
        path.write_text(TEXT_RENDERERS[m.family](m), encoding="utf-8")


def main() -> None:
    h.write_set(MEETINGS, write_doc, gold_for, DOCS, GOLD, ROOT, PDF_RENDERERS)


if __name__ == "__main__":
    main()
