"""Write the held-out structure set: new templates the reader was never tuned on.

Run ``python tests/tools/make_heldout.py`` to regenerate ``tests/data/heldout/docs/``
(PDF, DOCX, TXT, MD) and their gold labels in ``tests/data/heldout/gold/``. The
documents are invented but written the way Swedish municipal protocols and
meeting notes look in templates the team has not used (Ciceron, Lex/Formpipe,
Platina, W3D3, NetPublicator, a plain Word protocol, informal notes, a
flattened web copy). Each label is produced from the same data the document is
rendered from, so the labels are the truth of what was written. The labels were
not made by running the reader, and the person who wrote this file did not read
the reader's code (see ``tests/data/heldout/README.md``).

Needs fpdf2, python-docx and the DejaVu/Liberation TrueType fonts in
``/usr/share/fonts/truetype``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "data" / "heldout"
DOCS = OUT / "docs"
GOLD = OUT / "gold"
FONTS = Path("/usr/share/fonts/truetype")
FIXED_DATE = dt.datetime(2024, 12, 1, 12, 0, 0, tzinfo=dt.timezone.utc)


# --------------------------------------------------------------------------------------
# Content records
# --------------------------------------------------------------------------------------


@dataclass
class Item:
    """One agenda item as written: heading parts and its named sections."""

    number: str | None  # gold number: "§ 45", "3" or None
    title: str
    dnr: str | None = None
    desc: list[str] = field(default_factory=list)  # Ärendebeskrivning paragraphs
    underlag: list[str] = field(default_factory=list)  # Beslutsunderlag list
    forslag: list[str] = field(default_factory=list)  # Förslag till beslut
    yrkanden: list[str] = field(default_factory=list)
    proposition: str | None = None
    beslut: list[str] = field(default_factory=list)  # one line, or numbered points
    reservation: str | None = None
    anteckning: str | None = None
    skickas: list[str] = field(default_factory=list)
    shown_number: str | None = None  # how the number is printed when it differs


@dataclass
class Meeting:
    """One held-out document: meeting facts, front matter and items."""

    key: str
    family: str
    fmt: str
    kind: str
    body: str
    municipality: str
    date: str
    items: list[Item]
    body_alternatives: list[str] = field(default_factory=list)
    agenda_list: bool = False
    front: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)


def sv_date_long(iso: str) -> str:
    months = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
              "september", "oktober", "november", "december"]
    d = dt.date.fromisoformat(iso)
    return f"{d.day} {months[d.month - 1]} {d.year}"


def sv_weekday(iso: str) -> str:
    return ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"][dt.date.fromisoformat(iso).weekday()]


# The documents' content lives in a data file: one record per document, fields as above.
CONTENT = Path(__file__).resolve().parent / "data" / "heldout_meetings.yaml"


def load_meetings(path: Path = CONTENT) -> list[Meeting]:
    """The held-out documents' content, in the order they are written."""
    import yaml

    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Meeting(**{**r, "items": [Item(**it) for it in r["items"]]}) for r in records]


MEETINGS: list[Meeting] = load_meetings()


# --------------------------------------------------------------------------------------
# Item bodies as blocks: ("h", heading) / ("p", paragraph) / ("li", bullet) / ("gap", mm)
# --------------------------------------------------------------------------------------


def item_blocks(it: Item, beslut_heading: str = "Beslut", beslut_first: bool = False,
                desc_heading: str = "Ärendebeskrivning") -> list[tuple[str, str]]:
    """The named sections of an item in the order protocols print them."""
    def paras(lines: list[str]) -> list[tuple[str, str]]:
        return [("li", s[2:]) if s.startswith("- ") else ("p", s) for s in lines]

    desc = [("h", desc_heading)] + paras(it.desc) if it.desc else []
    beslut = [("h", beslut_heading)] + paras(it.beslut) if it.beslut else []
    out: list[tuple[str, str]] = []
    if beslut_first:
        out += beslut
    out += desc
    if it.underlag:
        out += [("h", "Beslutsunderlag")] + [("li", u) for u in it.underlag]
    if it.forslag:
        out += [("h", "Förslag till beslut")] + paras(it.forslag)
    if it.yrkanden:
        out += [("h", "Yrkanden")] + paras(it.yrkanden)
    if it.proposition:
        out += [("h", "Propositionsordning"), ("p", it.proposition)]
    if not beslut_first:
        out += beslut
    if it.reservation:
        out += [("h", "Reservation"), ("p", it.reservation)]
    if it.anteckning:
        out += [("h", "Protokollsanteckning"), ("p", it.anteckning)]
    if it.skickas:
        out += [("h", "Beslutet skickas till")] + [("p", s) for s in it.skickas]
    return out


def owner_genitive(body: str) -> str:
    """'Socialnämnden' -> 'Socialnämndens' (for the '<body>s beslut' heading)."""
    return body if body.endswith("s") else body + "s"


# --------------------------------------------------------------------------------------
# PDF machinery (fpdf2)
# --------------------------------------------------------------------------------------

FONT_SETS = {
    "liberation-sans": ("liberation/LiberationSans-Regular.ttf", "liberation/LiberationSans-Bold.ttf",
                        "liberation/LiberationSans-Italic.ttf"),
    "liberation-serif": ("liberation/LiberationSerif-Regular.ttf", "liberation/LiberationSerif-Bold.ttf",
                         "liberation/LiberationSerif-Italic.ttf"),
    "dejavu-sans": ("dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf", "dejavu/DejaVuSans-Oblique.ttf"),
    "dejavu-condensed": ("dejavu/DejaVuSansCondensed.ttf", "dejavu/DejaVuSansCondensed-Bold.ttf",
                         "dejavu/DejaVuSansCondensed-Oblique.ttf"),
    "dejavu-serif": ("dejavu/DejaVuSerif.ttf", "dejavu/DejaVuSerif-Bold.ttf", "dejavu/DejaVuSerif-Italic.ttf"),
}


def new_pdf(m: Meeting, fonts: str, header, footer, *, left: float = 20, top: float = 38,
            bottom: float = 28):
    """An A4 FPDF whose header/footer callbacks draw the template's running furniture."""
    from fpdf import FPDF

    class Proto(FPDF):
        def header(self):  # noqa: D401 - fpdf hook
            header(self)

        def footer(self):  # noqa: D401 - fpdf hook
            footer(self)

    pdf = Proto(format="A4", unit="mm")
    reg, bold, ital = FONT_SETS[fonts]
    pdf.add_font("F", "", str(FONTS / reg))
    pdf.add_font("F", "B", str(FONTS / bold))
    pdf.add_font("F", "I", str(FONTS / ital))
    pdf.set_margins(left, top, 20)
    pdf.set_auto_page_break(True, bottom)
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(f"Protokoll {m.body} {m.date}" if m.kind == "minutes" else f"Kallelse {m.body} {m.date}")
    pdf.set_author(m.front.get("sekreterare", m.front.get("org", "")))
    pdf.meeting = m
    pdf.cont = None  # label printed under the header when an item runs on to a new page
    pdf.item_pages = {}
    pdf.body_top = top
    return pdf


def cell_at(pdf, font: tuple | None, x: float, y: float, *cell, **kw) -> None:
    """One ``pdf.cell(*cell, **kw)`` at (x, y), in family F with ``font`` (style, size) unless None."""
    if font:
        pdf.set_font("F", *font)
    pdf.set_xy(x, y)
    pdf.cell(*cell, **kw)


def line_in(pdf, font: tuple, *cell, **kw) -> None:
    """One ``pdf.cell(*cell, **kw)`` in family F with ``font`` (style, size), then on to the next line."""
    pdf.set_font("F", *font)
    pdf.cell(*cell, new_x="LMARGIN", new_y="NEXT", **kw)


def need(pdf, mm: float) -> None:
    """Start a new page unless ``mm`` millimetres are left (keeps headings with their text)."""
    if pdf.get_y() + mm > pdf.h - pdf.b_margin:
        pdf.cont = None
        pdf.add_page()


def write_blocks(pdf, blocks, x: float, w: float, size: float = 10.5, lh: float = 5.2,
                 heading_margin: tuple[float, float] | None = None) -> None:
    """Write section blocks in a column starting at ``x``; headings optionally in the margin."""
    pending_margin = False
    margin_bottom = (0, 0.0)  # (page, y) where the last margin heading ends; the next section starts below
    for kind, text in blocks:
        if kind == "h":
            if heading_margin:
                if margin_bottom[0] == pdf.page_no() and pdf.get_y() < margin_bottom[1]:
                    pdf.set_y(margin_bottom[1])
                need(pdf, 14)
                mx, mw = heading_margin
                y = pdf.get_y() + 2
                pdf.set_font("F", "B", size - 1)
                pdf.set_xy(mx, y)
                pdf.multi_cell(mw, lh, text, align="L")
                margin_bottom = (pdf.page_no(), pdf.get_y())
                pdf.set_xy(x, y)
                pending_margin = True
                continue
            need(pdf, 16)
            pdf.ln(2)
            pdf.set_x(x)
            pdf.set_font("F", "B", size)
            pdf.multi_cell(w, lh, text, align="L", new_x="LMARGIN", new_y="NEXT")
        elif kind == "p":
            if not pending_margin:
                pdf.set_x(x)
            pdf.set_font("F", "", size)
            pdf.multi_cell(w, lh, text, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.2)
        elif kind == "li":
            if not pending_margin:
                pdf.set_x(x)
            pdf.set_font("F", "", size)
            pdf.cell(5, lh, "–")
            pdf.multi_cell(w - 5, lh, text, align="L", new_x="LMARGIN", new_y="NEXT")
        pending_margin = False


def label_rows(pdf, rows, x: float, label_w: float, w: float, size: float = 10, lh: float = 5.2) -> None:
    """Front matter as label | value rows (value may be several lines)."""
    for label, value in rows:
        lines = value if isinstance(value, list) else [value]
        need(pdf, lh * (len(lines) + 1))
        y = pdf.get_y()
        pdf.set_font("F", "B", size)
        pdf.set_xy(x, y)
        pdf.multi_cell(label_w - 2, lh, label, align="L")
        y_label = pdf.get_y()
        pdf.set_xy(x + label_w, y)
        pdf.set_font("F", "", size)
        for line in lines:
            pdf.set_x(x + label_w)
            pdf.multi_cell(w - label_w, lh, line, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(max(pdf.get_y(), y_label) + 2.5)


def sign_line(pdf, x: float, label: str, name: str, right: str = "", size: float = 10) -> None:
    y = pdf.get_y()
    cell_at(pdf, ("B", size), x, y + 6, 40, 5, label)
    pdf.set_font("F", "", size)
    pdf.cell(75, 5, "…" * 22)
    if right:
        pdf.cell(40, 5, right)
    cell_at(pdf, None, x + 40, y + 11, 75, 5, name)
    pdf.set_y(y + 19)


def anslag_block(pdf, m: Meeting, x: float, w: float, size: float = 9.5) -> None:
    f = m.front
    need(pdf, 50)
    pdf.ln(3)
    pdf.set_draw_color(0)
    y0 = pdf.get_y()
    pdf.set_xy(x, y0 + 2)
    line_in(pdf, ("B", size + 1), w, 6, "ANSLAG/BEVIS", align="C")
    pdf.set_x(x + 2)
    pdf.set_font("F", "", size)
    pdf.multi_cell(w - 4, 5, "Protokollet är justerat. Justeringen har tillkännagivits genom anslag.",
                   align="L", new_x="LMARGIN", new_y="NEXT")
    rows = [("Organ", m.body), ("Sammanträdesdatum", m.date),
            ("Datum då anslaget sätts upp", f.get("anslag_upp", "")),
            ("Datum då anslaget tas ned", f.get("anslag_ned", "")),
            ("Förvaringsplats för protokollet", f.get("forvaring", "")),
            ("Underskrift", "…" * 20 + "  " + f.get("sekreterare", ""))]
    for label, value in rows:
        pdf.set_x(x + 2)
        pdf.set_font("F", "B", size)
        pdf.cell(58, 5.5, label)
        line_in(pdf, ("", size), w - 62, 5.5, value)
    pdf.rect(x, y0, w, pdf.get_y() - y0 + 2)
    pdf.set_y(pdf.get_y() + 4)


def front_rows(m: Meeting, style: str = "ciceron") -> list[tuple[str, object]]:
    f = m.front
    beslutande = (["Ledamöter"] + f["ledamoter"]) if style != "plain" else f["ledamoter"]
    if f.get("ersattare"):
        beslutande += ["", "Tjänstgörande ersättare"] + f["ersattare"]
    rows = [("Plats och tid", f["plats"]), ("Beslutande", beslutande)]
    if f.get("ovriga"):
        rows.append(("Övriga deltagare" if style != "lex" else "Övriga närvarande", f["ovriga"]))
    rows.append(("Utses att justera", f["justerare"]))
    if f.get("justering"):
        rows.append(("Justeringens plats och tid", f["justering"]))
    return rows


def signatures(pdf, m: Meeting, x: float) -> None:
    f = m.front
    need(pdf, 60)
    pdf.set_font("F", "B", 10)
    pdf.set_x(x)
    pdf.cell(40, 6, "Underskrifter", new_x="LMARGIN", new_y="NEXT")
    sign_line(pdf, x, "Sekreterare", f["sekreterare"], f"Paragrafer {f['paragrafer']}")
    sign_line(pdf, x, "Ordförande", f["ordforande"])
    sign_line(pdf, x, "Justerande", f["justerande"])


def box_footer(pdf, labels=("Justerandes sign", "Utdragsbestyrkande"), y_off: float = 22) -> None:
    """The two signature boxes at the foot of every page of a Swedish protocol."""
    y = pdf.h - y_off
    pdf.set_draw_color(0)
    pdf.set_font("F", "", 7.5)
    x = pdf.w - 20 - 2 * 42
    for label in labels:
        pdf.rect(x, y, 40, 12)
        cell_at(pdf, None, x + 1, y + 1, 38, 3.5, label)
        x += 42


def agenda_table(pdf, m: Meeting, pages: dict, x: float, w: float, title: str = "Ärendelista",
                 dotted: bool = False, with_dnr: bool = True, prefix: str = "") -> None:
    pdf.set_font("F", "B", 13)
    pdf.set_x(x)
    pdf.cell(w, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for it in m.items:
        num = f"{prefix} {it.number}".strip() if it.number else ""
        page = str(pages.get(it.number, ""))
        pdf.set_font("F", "", 10)
        y = pdf.get_y()
        cell_at(pdf, None, x, y, 22, 5.5, num)
        tw = w - 22 - (32 if with_dnr else 0) - 10
        title_text = it.title
        if dotted:
            while pdf.get_string_width(title_text + " .") < tw - 2:
                title_text += " ."
        pdf.multi_cell(tw, 5.5, title_text, align="L")
        y2 = pdf.get_y()
        if with_dnr:
            cell_at(pdf, None, x + 22 + tw, y, 32, 5.5, it.dnr or "")
        cell_at(pdf, None, x + w - 10, y, 10, 5.5, page, align="R")
        pdf.set_y(max(y2, y + 5.5) + 1)


# --------------------------------------------------------------------------------------
# Family renderers
# --------------------------------------------------------------------------------------


PDF_RENDERERS: dict = {}  # family -> render(m, pages) returning the FPDF


def renders(registry: dict, family: str):
    """Register the decorated PDF renderer in ``registry`` under ``family``."""
    def register(render):
        registry[family] = render
        return render
    return register


def front_matter(pdf, m: Meeting, rows, label_w: float, *, size: float = 10, anslag_size: float = 9.5,
                 agenda: bool = False, pages: dict | None = None, **agenda_kw) -> None:
    """Meeting facts, signatures and the notice block; the agenda on a page of its own where ``agenda``;
    then a fresh page for the items."""
    label_rows(pdf, rows, 20, label_w, 170, size=size)
    signatures(pdf, m, 20)
    anslag_block(pdf, m, 20, 170, size=anslag_size)
    if agenda:
        pdf.add_page()
        agenda_table(pdf, m, pages, 20, 170, **agenda_kw)
    pdf.add_page()


def inline_heading(pdf, y: float, number: str, title: str, dnr_line: str | None, x: float,
                   dnr_size: float) -> None:
    """Number at the left margin, the title beside it from ``x``, the dnr line (if any) below the title."""
    cell_at(pdf, ("B", 11.5), 20, y, x - 20, 6, number)
    pdf.set_xy(x, y)
    pdf.multi_cell(190 - x, 6, title, align="L", new_x="LMARGIN", new_y="NEXT")
    if dnr_line:
        pdf.set_font("F", "", dnr_size)
        pdf.set_x(x)
        pdf.cell(100, 5, dnr_line, new_x="LMARGIN", new_y="NEXT")


def stacked_heading(pdf, y: float, number: str, number_w: float, dnr: str | None, title: str,
                    title_dy: float, title_size: float) -> None:
    """Number at the left and 'Dnr …' at the right on one line, the bold title ``title_dy`` below."""
    cell_at(pdf, ("B", 11), 20, y, number_w, 6, number)
    if dnr:
        cell_at(pdf, ("", 10), 120, y, 70, 6, f"Dnr {dnr}", align="R")
    pdf.set_xy(20, y + title_dy)
    pdf.set_font("F", "B", title_size)
    pdf.multi_cell(170, 6.5, title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def two_pass(render, m: Meeting) -> bytes:
    """Render twice so an agenda list can print the page each item starts on."""
    pages: dict = {}
    for _ in range(2):
        pdf = render(m, pages)
        pages = dict(pdf.item_pages)
    return bytes(pdf.output())


def start_item(pdf, it: Item, room: float = 40) -> None:
    pdf.cont = None
    need(pdf, room)
    pdf.item_pages[it.number] = pdf.page_no()


@renders(PDF_RENDERERS, "heldout-ciceron")
def render_ciceron(m: Meeting, pages: dict):
    inline = m.extra.get("title_inline", False)

    def header(pdf):
        cell_at(pdf, ("B", 11), 20, 12, 70, 5, m.front["org"])
        cell_at(pdf, None, 95, 12, 60, 5, "SAMMANTRÄDESPROTOKOLL")
        cell_at(pdf, ("", 8), 165, 11, 25, 4, "Sida")
        cell_at(pdf, ("", 10), 165, 15, 25, 5, f"{pdf.page_no()}({{nb}})")
        cell_at(pdf, ("", 8), 95, 19, 60, 4, "Sammanträdesdatum")
        cell_at(pdf, ("", 10), 95, 23, 60, 5, m.date)
        cell_at(pdf, ("B", 10), 20, 23, 70, 5, m.body)
        pdf.line(20, 30, 190, 30)
        if pdf.cont:
            cell_at(pdf, ("B", 10), 20, 33, 60, 5, pdf.cont)
            pdf.set_xy(20, 40)
        else:
            pdf.set_xy(20, 34)

    pdf = new_pdf(m, "liberation-sans" if not inline else "dejavu-sans", header, box_footer, top=34)
    pdf.add_page()
    front_matter(pdf, m, front_rows(m), 48, agenda=m.agenda_list, pages=pages)
    beslut_h = owner_genitive(m.body) + " beslut"
    for it in m.items:
        start_item(pdf, it)
        pdf.ln(4)
        y = pdf.get_y()
        if inline:
            inline_heading(pdf, y, it.number, it.title, it.dnr and f"Dnr {it.dnr}", 40, 9)
            pdf.ln(2)
            pdf.cont = f"Forts. {it.number}"
            write_blocks(pdf, item_blocks(it, beslut_h, beslut_first=True,
                                          desc_heading="Sammanfattning av ärendet"), 40, 150, size=10)
        else:
            stacked_heading(pdf, y, it.number, 30, it.dnr, it.title, 7, 12.5)
            write_blocks(pdf, item_blocks(it, beslut_h), 20, 170)
        pdf.cont = None
    return pdf


def lex_header(m: Meeting, word: str = "PROTOKOLL"):
    def header(pdf):
        cell_at(pdf, ("B", 13), 20, 11, 80, 6, m.front["org"])
        cell_at(pdf, ("B", 11), 110, 11, 50, 5, word)
        cell_at(pdf, ("", 8), 110, 17, 40, 4, "Sammanträdesdatum")
        cell_at(pdf, None, 165, 17, 25, 4, "Sida")
        cell_at(pdf, ("", 10.5), 20, 21, 80, 5, m.body)
        cell_at(pdf, None, 110, 21, 40, 5, m.date)
        cell_at(pdf, None, 165, 21, 25, 5, f"{pdf.page_no()} ({{nb}})")
        pdf.line(20, 28, 190, 28)
        pdf.set_xy(pdf.l_margin, 34)
    return header


@renders(PDF_RENDERERS, "heldout-lex")
def render_lex(m: Meeting, pages: dict):
    margin_heads = m.extra.get("appendix", False)  # Ludvika: section headings in the margin too
    pdf = new_pdf(m, "liberation-serif", lex_header(m), box_footer, left=60, top=34)
    pdf.add_page()
    front_matter(pdf, m, front_rows(m, "lex"), 40, size=10.5)
    beslut_h = owner_genitive(m.body) + " beslut"
    for it in m.items:
        start_item(pdf, it)
        pdf.ln(5)
        y = pdf.get_y()
        cell_at(pdf, ("B", 12), 20, y, 36, 6, it.number)
        if it.dnr:
            cell_at(pdf, ("", 8.5), 20, y + 6.5, 38, 4.5, f"Dnr {it.dnr}")
        pdf.set_font("F", "B", 12)
        pdf.set_xy(60, y)
        pdf.multi_cell(130, 6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(max(pdf.get_y(), y + 12 if it.dnr else y))
        pdf.ln(1)
        write_blocks(pdf, item_blocks(it, beslut_h), 60, 130, size=11, lh=5.4,
                     heading_margin=(20, 38) if margin_heads else None)
    if m.extra.get("appendix"):
        pdf.add_page()
        pdf.set_font("F", "B", 13)
        pdf.set_x(20)
        pdf.cell(170, 7, "Bilaga 1", new_x="LMARGIN", new_y="NEXT")
        pdf.set_x(20)
        pdf.set_font("F", "B", 11)
        pdf.cell(170, 6, f"Närvaro- och omröstningslista, Kommunfullmäktige {m.date}, § 91",
                 new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        members = [("Bo Brännström", "S", "Ja"), ("Ronny Hedlund", "S", "Ja"), ("Annika Hoffman", "M", "Ja"),
                   ("Anders Wallin", "SD", "Nej"), ("Karin Sandberg", "S", "Ja"), ("Mikael Ahlberg", "SD", "Nej"),
                   ("Lena Nises", "V", "Ja"), ("Johan Sand", "C", "Ja"), ("Marie Sjöberg", "SD", "Nej"),
                   ("Per Ohlsson", "KD", "Ja"), ("Jan Persson", "L", "Ja"), ("Sofia Berglund", "MP", "Ja")]
        pdf.set_font("F", "B", 10)
        for col, w in (("Ledamot", 60), ("Parti", 20), ("Närvarande", 30), ("§ 91", 20)):
            pdf.set_x(20) if col == "Ledamot" else None
            pdf.cell(w, 6, col, border=1)
        pdf.ln(6)
        pdf.set_font("F", "", 10)
        for name, party, vote in members:
            pdf.set_x(20)
            for val, w in ((name, 60), (party, 20), ("X", 30), (vote, 20)):
                pdf.cell(w, 5.5, val, border=1)
            pdf.ln(5.5)
        pdf.ln(3)
        pdf.set_x(20)
        pdf.multi_cell(170, 5, "Sammanlagt 45 närvarande ledamöter. Omröstning § 91: 34 ja, 11 nej.",
                       new_x="LMARGIN", new_y="NEXT")
    return pdf


@renders(PDF_RENDERERS, "heldout-platina")
def render_platina(m: Meeting, pages: dict):
    prefix = m.extra["prefix"]
    inline = m.extra.get("inline", False)

    def header(pdf):
        pdf.set_draw_color(0)
        cells = [(20, 50, m.front["org"], m.body if inline else ""), (70, 60, "SAMMANTRÄDESPROTOKOLL",
                 "" if inline else m.body), (130, 35, "Sammanträdesdatum", m.date),
                 (165, 25, "Sida", f"{pdf.page_no()} ({{nb}})")]
        for x, w, top, bottom in cells:
            pdf.rect(x, 10, w, 16)
            cell_at(pdf, ("B" if top == m.front["org"] else "", 9 if top != m.front["org"] else 11), x + 1.5, 11.5, w - 3, 5, top)
            cell_at(pdf, ("B" if bottom == m.body else "", 10), x + 1.5, 19, w - 3, 5, bottom)
        pdf.set_xy(20, 34)

    pdf = new_pdf(m, "liberation-sans" if not inline else "dejavu-condensed", header, box_footer, top=34)
    pdf.add_page()
    front_matter(pdf, m, front_rows(m), 46, agenda=m.agenda_list, pages=pages, prefix=prefix)
    for it in m.items:
        start_item(pdf, it)
        pdf.ln(4)
        y = pdf.get_y()
        shown = it.number.replace("§", f"{prefix} §")
        if inline:
            inline_heading(pdf, y, shown, it.title, it.dnr and f"Diarienummer: {it.dnr}", 45, 9.5)
            pdf.ln(1)
            write_blocks(pdf, item_blocks(it, owner_genitive(m.body) + " beslut", beslut_first=True,
                                          desc_heading="Sammanfattning"), 45, 145, size=10)
        else:
            stacked_heading(pdf, y, shown, 40, it.dnr, it.title, 8, 13)
            write_blocks(pdf, item_blocks(it, "Beslut"), 20, 170)
    return pdf


@renders(PDF_RENDERERS, "heldout-w3d3")
def render_w3d3(m: Meeting, pages: dict):
    def header(pdf):
        cell_at(pdf, ("B", 12), 20, 12, 70, 6, m.front["org"])
        cell_at(pdf, ("B", 11), 100, 12, 50, 6, "PROTOKOLL")
        cell_at(pdf, ("", 10), 160, 12, 30, 6, f"Sida {pdf.page_no()}({{nb}})", align="R")
        cell_at(pdf, None, 20, 19, 70, 5, m.body)
        cell_at(pdf, None, 100, 19, 60, 5, f"Sammanträdesdatum {m.date}")
        pdf.set_xy(20, 34)

    def footer(pdf):
        cell_at(pdf, ("", 8.5), 20, pdf.h - 18, 170, 4, "Justerare  …………………………        Utdragsbestyrkande  …………………………")

    pdf = new_pdf(m, "liberation-sans", header, footer, top=34, bottom=24)
    pdf.add_page()
    line_in(pdf, ("B", 16), 170, 9, "Protokoll")
    pdf.ln(3)
    front_matter(pdf, m, front_rows(m), 46)
    for it in m.items:
        start_item(pdf, it)
        pdf.ln(4)
        pdf.set_font("F", "B", 11)
        head = it.number + (f"   Dnr {it.dnr}" if it.dnr else "")
        pdf.cell(170, 6, head, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        pdf.set_font("F", "B", 12)
        pdf.multi_cell(170, 6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        write_blocks(pdf, item_blocks(it, "Beslut"), 20, 170, size=10.5)
    return pdf


@renders(PDF_RENDERERS, "heldout-twocolumn")
def render_twocolumn(m: Meeting, pages: dict):
    def header(pdf):
        cell_at(pdf, ("B", 11), 15, 11, 90, 5, m.front["org"])
        cell_at(pdf, None, 115, 11, 80, 5, "MINNESANTECKNINGAR", align="R")
        cell_at(pdf, ("", 9.5), 115, 16.5, 80, 5, f"{m.body} {m.date}", align="R")
        pdf.line(15, 24, 195, 24)
        pdf.set_xy(15, 30)

    def footer(pdf):
        cell_at(pdf, ("", 8.5), 15, pdf.h - 14, 180, 4, f"Sida {pdf.page_no()} av {{nb}}", align="C")

    pdf = new_pdf(m, "dejavu-serif", header, footer, left=15, top=30, bottom=22)
    pdf.set_right_margin(15)
    pdf.add_page()
    line_in(pdf, ("B", 17), 180, 9, f"{m.body} – minnesanteckningar")
    line_in(pdf, ("", 10), 180, 6, f"Tid och plats: {m.front['plats']}")
    pdf.ln(3)
    f = m.front
    with pdf.text_columns(ncols=2, gutter=8, text_align="LEFT", line_height=1.3) as cols:
        def para(text: str, style: str = "", size: float = 10, after: float = 2):
            pdf.set_font("F", style, size)
            with cols.paragraph(text_align="LEFT", bottom_margin=after) as par:
                par.write(text)

        para("Närvarande", "B", 10, 0.5)
        para("; ".join(f["ledamoter"]) + ".")
        para("Övriga", "B", 10, 0.5)
        para("; ".join(f["ovriga"]) + ".", after=4)
        for it in m.items:
            para(f"{it.number}. {it.title}", "B", 10.5, 1)
            for line in it.desc:
                para(line)
            if it.beslut:
                para("Beslut", "B", 9.5, 0.5)
                for line in it.beslut:
                    para(line)
            para("", after=2)
        para(f"Vid anteckningarna: {f['ovriga'][0].split(',')[0]}", after=1)
        para(f"Justeras: {f['justerare']}")
    for it in m.items:
        pdf.item_pages[it.number] = 1
    return pdf


@renders(PDF_RENDERERS, "heldout-netpublicator")
def render_netpublicator(m: Meeting, pages: dict):
    word = "PROTOKOLL" if m.kind == "minutes" else "KALLELSE"

    def header(pdf):
        cell_at(pdf, ("B", 12), 20, 12, 80, 6, m.front["org"])
        cell_at(pdf, ("B", 10), 130, 10, 60, 4.5, word, align="R")
        cell_at(pdf, ("", 9), 130, 14.5, 60, 4.5, m.body, align="R")
        cell_at(pdf, None, 130, 19, 60, 4.5, m.date, align="R")
        pdf.set_draw_color(120)
        pdf.line(20, 26, 190, 26)
        pdf.set_xy(20, 32)

    def footer(pdf):
        pdf.set_font("F", "", 8)
        pdf.set_xy(20, pdf.h - 16)
        if m.kind == "minutes":
            pdf.cell(120, 4, "Justerandes signatur: ……………  ……………    Utdragsbestyrkande: ……………")
        cell_at(pdf, None, 150, pdf.h - 16, 40, 4, f"Sida {pdf.page_no()} av {{nb}}", align="R")

    pdf = new_pdf(m, "dejavu-sans" if m.kind == "minutes" else "liberation-sans", header, footer,
                  top=32, bottom=24)
    pdf.add_page()
    if m.kind == "agenda":
        return render_kallelse(pdf, m)
    line_in(pdf, ("B", 20), 170, 11, m.body)
    pdf.set_font("F", "", 11)
    pdf.cell(170, 6, f"Protokoll från sammanträde {sv_weekday(m.date)}en den {sv_date_long(m.date)}",
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(5)
    front_matter(pdf, m, front_rows(m), 50, size=9.5, anslag_size=9, agenda=True, pages=pages,
                 title="Innehållsförteckning", dotted=True, with_dnr=False)
    for it in m.items:
        start_item(pdf, it)
        pdf.ln(5)
        pdf.set_font("F", "B", 13)
        pdf.multi_cell(170, 6.5, f"{it.number} {it.title}", align="L", new_x="LMARGIN", new_y="NEXT")
        if it.dnr:
            line_in(pdf, ("", 9), 170, 5, f"Dnr {it.dnr}")
        write_blocks(pdf, item_blocks(it, owner_genitive(m.body) + " beslut"), 20, 170, size=10)
    return pdf


def render_kallelse(pdf, m: Meeting):
    f = m.front
    line_in(pdf, ("B", 18), 170, 10, "Kallelse")
    pdf.set_font("F", "", 11)
    pdf.multi_cell(170, 6, f"{m.body} kallas till sammanträde.", align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    label_rows(pdf, [("Tid", f"{sv_weekday(m.date).capitalize()} {sv_date_long(m.date)} kl. 08:30"),
                     ("Plats", "Kommunkontoret, Mittplånet, Borgholm"),
                     ("Ordförande", f["ordforande"]), ("Sekreterare", f["sekreterare"])], 20, 35, 170)
    pdf.set_font("F", "", 10)
    pdf.multi_cell(170, 5, "Förhinder anmäls till sekreteraren senast dagen före sammanträdet. "
                   "Ersättare tjänstgör endast vid ordinarie ledamots förhinder. Handlingarna finns i "
                   "appen Netpublicator och på kommunens webbplats.", align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    line_in(pdf, ("B", 13), 170, 8, "Föredragningslista")
    pdf.set_font("F", "B", 9.5)
    pdf.cell(12, 6, "Nr", border="B")
    pdf.cell(118, 6, "Ärende", border="B")
    pdf.cell(40, 6, "Dnr", border="B", new_x="LMARGIN", new_y="NEXT")
    for it in m.items:
        need(pdf, 22)
        pdf.item_pages[it.number] = pdf.page_no()
        y = pdf.get_y() + 3
        cell_at(pdf, ("B", 10.5), 20, y, 12, 6, it.number)
        pdf.set_xy(32, y)
        pdf.multi_cell(118, 6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        y2 = pdf.get_y()
        if it.dnr:
            cell_at(pdf, ("", 9.5), 150, y, 40, 6, it.dnr)
        pdf.set_y(y2)
        for line in it.desc:
            pdf.set_font("F", "I", 9.5)
            pdf.set_x(32)
            pdf.multi_cell(118, 5, line, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_x(32)
        pdf.set_font("F", "", 9.5)
        if it.dnr:
            pdf.multi_cell(118, 5, "Handlingar bifogas.", align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(pdf.get_y() + 6)
    pdf.ln(6)
    pdf.set_font("F", "", 10.5)
    pdf.cell(85, 6, f["ordforande"])
    pdf.cell(85, 6, f["sekreterare"], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("F", "I", 9.5)
    pdf.cell(85, 5, "Ordförande")
    pdf.cell(85, 5, "Sekreterare", new_x="LMARGIN", new_y="NEXT")
    return pdf



# --------------------------------------------------------------------------------------
# DOCX (python-docx): a plain Word protocol from a small council
# --------------------------------------------------------------------------------------


def new_docx(m: Meeting, font: str, size: float):
    """An empty Word document with fixed dates (so the zip is the same each run) and its Normal font."""
    from docx import Document as Docx
    from docx.shared import Pt

    doc = Docx()
    doc.core_properties.created = FIXED_DATE.replace(tzinfo=None)
    doc.core_properties.modified = FIXED_DATE.replace(tzinfo=None)
    doc.core_properties.author = m.front.get("sekreterare", "")
    doc.core_properties.title = ""
    doc.styles["Normal"].font.name = font
    doc.styles["Normal"].font.size = Pt(size)
    return doc


def render_docx(m: Meeting, path: Path) -> None:
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Cm, Pt

    f = m.front
    styled = m.extra.get("styles", False)
    doc = new_docx(m, "Calibri" if styled else "Times New Roman", 11)
    sec = doc.sections[0]
    sec.left_margin = sec.right_margin = Cm(2.2)

    hp = sec.header.paragraphs[0]
    hp.text = f"{f['org']}\tPROTOKOLL\t{m.date}"
    hp.paragraph_format.tab_stops.add_tab_stop(Cm(8), WD_TAB_ALIGNMENT.CENTER)
    hp.paragraph_format.tab_stops.add_tab_stop(Cm(16.5), WD_TAB_ALIGNMENT.RIGHT)
    if not styled:
        sec.header.add_paragraph(m.body)
    fp = sec.footer.paragraphs[0]
    fp.text = "Justerandes signatur …………………\tUtdragsbestyrkande …………………"

    def bold_para(text: str, size: float | None = None, italic: bool = False):
        p = doc.add_paragraph()
        r = p.add_run(text)
        r.bold = not italic
        r.italic = italic
        if size:
            r.font.size = Pt(size)
        return p

    def plain(text: str):
        if text.startswith("- "):
            return doc.add_paragraph(text[2:], style="List Bullet")
        return doc.add_paragraph(text)

    if styled:
        doc.add_paragraph(f"{m.body} (BRÅ)", style="Title")
        doc.add_paragraph("Protokoll från sammanträde", style="Subtitle")
        table = doc.add_table(rows=0, cols=2)
        rows = [("Plats och tid", f["plats"]), ("Beslutande", "\n".join(f["ledamoter"])),
                ("Övriga deltagare", "\n".join(f["ovriga"])), ("Utses att justera", f["justerare"]),
                ("Paragrafer", f["paragrafer"])]
        for label, value in rows:
            cells = table.add_row().cells
            cells[0].text = label
            cells[0].paragraphs[0].runs[0].bold = True
            cells[1].text = value
        doc.add_paragraph()
    else:
        bold_para(f["org"], 14)
        bold_para("PROTOKOLL", 12)
        doc.add_paragraph(f"{m.body}\nSammanträdesdatum {m.date}")
        for label, value in (("Plats och tid", f["plats"]), ("Beslutande", ", ".join(f["ledamoter"])),
                             ("Övriga närvarande", ", ".join(f["ovriga"])),
                             ("Utses att justera", f["justerare"]),
                             ("Justeringens tid och plats", f["justering"] + ", kommunkontoret"),
                             ("Paragrafer", f["paragrafer"])):
            p = doc.add_paragraph()
            r = p.add_run(label + ":")
            r.bold = True
            p.add_run("\t" + value)
        doc.add_paragraph()
        doc.add_paragraph(f"Sekreterare\t……………………………\n\t{f['sekreterare']}")
        doc.add_paragraph(f"Ordförande\t……………………………\n\t{f['ordforande']}")
        doc.add_paragraph(f"Justerande\t……………………………\n\t{f['justerande']}")
        doc.add_page_break()

    for it in m.items:
        if styled:
            doc.add_heading(f"{it.number} {it.title}", level=2)
            if it.dnr:
                doc.add_paragraph(f"Dnr {it.dnr}")
        else:
            bold_para(f"{it.number}\t{it.title}", 12)
            if it.dnr:
                bold_para(f"Dnr {it.dnr}", italic=True)
        for kind, text in item_blocks(it, "Beslut" if styled else "Arbetsutskottets beslut",
                                      desc_heading="Ärendet" if styled else "Ärendebeskrivning"):
            if kind == "h":
                bold_para(text)
            else:
                plain(("- " if kind == "li" else "") + text)
    if styled:
        doc.add_paragraph()
        doc.add_paragraph(f"Vid protokollet\n\n……………………………\n{f['sekreterare']}, sekreterare")
        doc.add_paragraph(f"Justeras\n\n……………………………\t……………………………\n"
                          f"{f['ordforande']}, ordförande\t{f['justerande']}, justerare")
    doc.save(str(path))


# --------------------------------------------------------------------------------------
# Text: informal notes (Markdown / TXT) and a flattened web copy
# --------------------------------------------------------------------------------------


def render_markdown_notes(m: Meeting) -> str:
    out = [f"# Minnesanteckningar – {m.body}", "",
           f"**Höörs kommun**  ",
           f"**Datum:** {sv_weekday(m.date)} {sv_date_long(m.date)}, kl. 15.00–16.45  ",
           "**Plats:** Kommunhuset, sammanträdesrum Ringsjön", "",
           "**Närvarande:** Anders Jönsson (ordförande, KS), Jimmy Olsson (kommunpolis), "
           "Lisa Hansson (socialtjänsten), Sofie Nyman (Höörs fastighets AB), Karim Said (räddningstjänsten "
           "Skåne Mitt), Petra Lund (säkerhetssamordnare, antecknar)", "",
           "**Förhinder:** Tomas Ek (fritid)", "", "---", ""]
    for it in m.items:
        out += [f"## {it.number}. {it.title}", ""]
        for line in it.desc:
            out.append(line)
            if not line.startswith("- "):
                out.append("")
        if out[-1] != "":
            out.append("")
    out += ["---", "", "*Vid anteckningarna: Petra Lund*", ""]
    return "\n".join(out)


def render_txt_notes(m: Meeting) -> str:
    if m.key.startswith("notes-lerum"):
        out = ["LERUMS KOMMUN", "EST-gruppen (Effektiv samordning för trygghet) – minnesanteckningar", "",
               f"Datum: {sv_date_long(m.date)}, kl. 09.00–10.15",
               "Plats: Lerums kommunhus, rum Aspen och Teams", "",
               "Deltagare: Maria Fors (säkerhetssamordnare, sammankallande), Oskar Lind (Polisen), "
               "Amira Jusic (fältgruppen), Henrik Bergh (socialtjänsten), Ulla Stake (Lerums bostäder), "
               "Johan Winther (räddningstjänsten Storgöteborg)", "",
               "OBS! Anteckningarna innehåller uppgifter om enskilda och lämnas inte ut utan "
               "sekretessprövning.", "", ""]
        for it in m.items:
            out += [f"{it.shown_number} {it.title}"]
            out += it.desc
            out += ["", ""]
        out += ["Antecknat av Maria Fors"]
        return "\n".join(out) + "\n"
    out = ["Strömstads kommun", "Minnesanteckningar Folkhälsorådet", "",
           f"Tid: {sv_weekday(m.date)} {sv_date_long(m.date)}, kl. 13.00–15.30",
           "Plats: Stadshuset, sammanträdesrum Kosterhavet", "",
           "Närvarande: Lars Tysklind (ordförande), Kent Hansson, Karin Lindahl "
           "(folkhälsosamordnare), Anna-Lena Karlsson (Västra Götalandsregionen), Erik Holm (Polisen), "
           "Mona Sjöström (elevhälsan)", "Frånvarande: Ida Hedberg", "", ""]
    for it in m.items:
        out += [it.title]
        out += it.desc
        out += [""]
    out += ["", "Vid anteckningarna", "Karin Lindahl"]
    return "\n".join(out) + "\n"


def flattened_pages(m: Meeting) -> list[str]:
    """The protocol's pages as a web page copy gives them: one line per page, furniture inline."""
    f = m.front
    head = lambda n, total: (f"{f['org'].upper()} SAMMANTRÄDESPROTOKOLL Sida {n} ({total}) "  # noqa: E731
                             f"{m.body} Sammanträdesdatum {m.date}")
    foot = "Justerandes sign Utdragsbestyrkande"
    front = " ".join([
        f"Plats och tid {f['plats']}", "Beslutande " + ", ".join(f["ledamoter"]),
        "Övriga deltagare " + ", ".join(f["ovriga"]), f"Utses att justera {f['justerare']}",
        f"Justeringens plats och tid Kommunhuset 2023-06-16",
        f"Underskrifter Sekreterare ................................ Paragrafer {f['paragrafer']} "
        f"{f['sekreterare']} Ordförande ................................ {f['ordforande']} "
        f"Justerande ................................ {f['justerande']}",
        f"ANSLAG/BEVIS Protokollet är justerat. Justeringen har tillkännagivits genom anslag. Organ {m.body} "
        f"Sammanträdesdatum {m.date} Datum då anslaget sätts upp 2023-06-19 Datum då anslaget tas ned "
        "2023-07-11 Förvaringsplats för protokollet Kommunledningskontoret"])
    bodies = []
    for it in m.items:
        parts = [it.number + (f" Dnr {it.dnr}" if it.dnr else ""), it.title]
        for kind, text in item_blocks(it, "Brottsförebyggande rådets beslut"):
            parts.append(("– " if kind == "li" else "") + text)
        bodies.append(" ".join(parts))
    # The body runs on from page to page, so items break across page lines as on paper.
    words = " ".join(bodies).split(" ")
    n = 3
    cut = [round(len(words) * k / n) for k in range(n + 1)]
    total = 1 + n
    pages = [f"{head(1, total)} {front} {foot}"]
    for k in range(n):
        pages.append(f"{head(k + 2, total)} {' '.join(words[cut[k]:cut[k + 1]])} {foot}")
    return pages


# --------------------------------------------------------------------------------------
# Gold labels and main
# --------------------------------------------------------------------------------------

EXT = {"pdf": ".pdf", "docx": ".docx", "md": ".md", "txt": ".txt"}


def gold_for(m: Meeting) -> dict:
    meeting = {"kind": m.kind, "body": m.body, "municipality": m.municipality, "date": m.date}
    if m.body_alternatives:
        meeting["body_alternatives"] = m.body_alternatives
    return {
        "source": f"tests/data/heldout/docs/{m.key}{EXT[m.fmt]}",
        "family": m.family,
        "synthetic": True,
        "heldout": True,
        "meeting": meeting,
        "agenda_list": m.agenda_list,
        "items": [{"number": it.number, "dnr": it.dnr, "title": it.title} for it in m.items],
    }


def set_gold_for(name: str):
    """A ``gold_for`` for a later set ``name`` ('heldout11'): the label of :func:`gold_for` with the set's
    source path and a ``name: true`` flag, so later generators need not copy the same three lines."""
    def gold(m: Meeting) -> dict:
        g = gold_for(m)
        g["source"] = f"tests/data/{name}/docs/{m.key}{EXT[m.fmt]}"
        g[name] = True
        return g
    return gold


def page_count(path: Path) -> int | None:
    if path.suffix != ".pdf":
        return None
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


def write_set(meetings: list[Meeting], write_doc, gold_for, docs: Path, gold: Path, root: Path,
              pdf_renderers: dict | None = None) -> None:
    """Write each meeting's document into ``docs`` and its label into ``gold``: PDFs with their family's
    renderer in ``pdf_renderers`` where given, anything else with ``write_doc(m, path)``."""
    docs.mkdir(parents=True, exist_ok=True)
    gold.mkdir(parents=True, exist_ok=True)
    for m in meetings:
        path = docs / f"{m.key}{EXT[m.fmt]}"
        if pdf_renderers is not None and m.fmt == "pdf":
            path.write_bytes(two_pass(pdf_renderers[m.family], m))
        else:
            write_doc(m, path)
        (gold / f"{m.key}.json").write_text(
            json.dumps(gold_for(m), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{path.relative_to(root)}  pages={page_count(path)}  items={len(m.items)}")


def write_set_main(set_name: str, meetings: list[Meeting], text_renderers: dict, docx_renderer,
                   pdf_renderers: dict) -> None:
    """Write a later set ``set_name`` ('heldout8') into ``tests/data/<set_name>/docs`` and ``gold``: PDFs with
    their family's renderer in ``pdf_renderers``, the Word document with ``docx_renderer(m, path)``, text and
    Markdown with their family's renderer in ``text_renderers`` written as UTF-8, and the labels of
    :func:`set_gold_for`, so later generators need not copy the same ``write_doc`` and ``main``."""
    def write_doc(m: Meeting, path: Path) -> None:
        if m.fmt == "docx":
            docx_renderer(m, path)
        else:
            path.write_bytes(text_renderers[m.family](m).encode("utf-8"))

    out = ROOT / "tests" / "data" / set_name
    write_set(meetings, write_doc, set_gold_for(set_name), out / "docs", out / "gold", ROOT, pdf_renderers)


def write_doc(m: Meeting, path: Path) -> None:
    if m.fmt == "docx":
        render_docx(m, path)
    elif m.fmt == "md":
        path.write_text(render_markdown_notes(m), encoding="utf-8")
    elif m.family == "heldout-flattened":
        path.write_text("\n".join(flattened_pages(m)) + "\n", encoding="utf-8")
    else:
        path.write_text(render_txt_notes(m), encoding="utf-8")


def main() -> None:
    write_set(MEETINGS, write_doc, gold_for, DOCS, GOLD, ROOT, PDF_RENDERERS)


if __name__ == "__main__":
    main()
