"""Write the fifth held-out structure set: ordinary Swedish protocols, a region's and a kommunalförbund's
protocols, a kallelse and council notes, unseen by the reader.

Run ``python tests/tools/make_heldout5.py`` to regenerate ``tests/data/heldout5/docs/`` (PDF, DOCX, TXT,
MD) and their gold labels in ``tests/data/heldout5/gold/``. The content lives in
``tests/tools/data/heldout5_meetings.yaml``; the records, PDF machinery, section blocks, front matter,
Word setup, stable zip and the set writer are imported from ``make_heldout.py`` / ``make_heldout3.py`` /
``make_heldout4.py``. Like set 4 the set aims to be representative (Ciceron-, Netpublicator- and Meetings
Plus-like protocols with case numbers in the formats municipalities use, a regionfullmäktige, a
kommunalförbund's direktion, an individutskott, a kallelse, BRÅ/folkhälsoråd/trygghetsråd notes), in
municipalities and with page furniture the earlier sets did not use. Each label comes from the same record
its document is rendered from; none was made by running the reader, and the author of this file did not
read the reader's code (see ``tests/data/heldout5/README.md``).

Needs fpdf2, python-docx, PyYAML and the DejaVu and Liberation TrueType fonts (Debian: fonts-liberation).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_heldout as h  # noqa: E402
import make_heldout3 as h3  # noqa: E402
import make_heldout4 as h4  # noqa: E402
from make_heldout import (  # noqa: E402
    Meeting, cell_at, label_rows, line_in, need, new_docx, new_pdf, renders, start_item, sv_date_long,
    sv_weekday, write_blocks,
)

ROOT = h.ROOT
OUT = ROOT / "tests" / "data" / "heldout5"
DOCS = OUT / "docs"
GOLD = OUT / "gold"
CONTENT = Path(__file__).resolve().parent / "data" / "heldout5_meetings.yaml"
MEETINGS: list[Meeting] = h4.load_meetings(CONTENT)
PDF_RENDERERS: dict = {}  # family -> render(m, pages) returning the FPDF
blocks = h4.blocks
shown = h4.shown
ALL_SECTIONS = "desc underlag forslag yrkanden proposition beslut reservation anteckning skickas"


def sign_footer(labels: tuple[str, str] = ("Justerandes signatur", "Utdragsbestyrkande"), boxes: int = 2):
    """A foot rule with ``boxes`` empty initial boxes after the first label and one box after the second."""
    def footer(pdf):
        y = pdf.h - 21
        right = pdf.w - 20
        pdf.set_draw_color(0)
        pdf.line(20, y, right, y)
        cell_at(pdf, ("", 7.5), 20, y + 1, 40, 3.5, labels[0])
        for k in range(boxes):
            pdf.rect(20 + k * 24, y + 5, 22, 8)
        cell_at(pdf, None, right - 50, y + 1, 50, 3.5, labels[1])
        pdf.rect(right - 50, y + 5, 50, 8)
    return footer


def two_columns(pdf, label: str, columns: list[tuple[str, list[str]]], x_label: float = 20,
                x0: float = 62, col_w: float = 64, size: float = 9.5, lh: float = 4.8) -> None:
    """A front-matter row whose value is set in side-by-side columns, each with a bold sub-heading."""
    need(pdf, lh * (max(len(c[1]) for c in columns) + 2))
    y = pdf.get_y()
    cell_at(pdf, ("B", size), x_label, y, x0 - x_label - 2, lh, label)
    bottom = y
    for k, (head, lines) in enumerate(columns):
        x = x0 + k * col_w
        cell_at(pdf, ("B", size), x, y, col_w - 2, lh, head)
        pdf.set_font("F", "", size)
        pdf.set_xy(x, y + lh)
        for line in lines:
            pdf.set_x(x)
            pdf.multi_cell(col_w - 3, lh, line, align="L", new_x="LMARGIN", new_y="NEXT")
        bottom = max(bottom, pdf.get_y())
    pdf.set_y(bottom + 3)


def grid(pdf, cols, rows, head_h: float = 5.5, row_h: float = 5.5, size: float = 8.5) -> None:
    """A ruled table: ``cols`` as (heading, width) in bold, then one row of cells per entry of ``rows``."""
    for style, height, cells in [("B", head_h, [c for c, _ in cols])] + [("", row_h, list(r)) for r in rows]:
        pdf.set_font("F", style, size)
        pdf.set_x(20)
        for text, (_, width) in zip(cells, cols):
            pdf.cell(width, height, text, border=1)
        pdf.ln(height)


def two_row_header(left: tuple[str, str], middle: tuple[str, str], right: tuple[str, str] | None = None,
                   *, page_fmt: str = "Sida {n} ({nb})", top: float = 30, rule: float = 24):
    """A running header of two rows (left: org / body; middle: document word / date), the page number at the
    right and a rule below; in landscape the columns follow the page width."""
    def header(pdf):
        w = pdf.w - 40
        cell_at(pdf, ("B", 11), 20, 11, w * 0.45, 5, left[0])
        cell_at(pdf, ("", 10), 20, 17, w * 0.45, 5, left[1])
        cell_at(pdf, ("B", 10), 20 + w * 0.47, 11, w * 0.33, 5, middle[0])
        cell_at(pdf, ("", 9.5), 20 + w * 0.47, 17, w * 0.33, 5, middle[1])
        page = page_fmt.format(n=pdf.page_no(), nb="{nb}")
        cell_at(pdf, ("", 9), 20 + w * 0.8, 11, w * 0.2, 5, page, align="R")
        if right:
            cell_at(pdf, ("", 9), 20 + w * 0.8, 17, w * 0.2, 5, right[1], align="R")
        pdf.set_draw_color(0)
        pdf.line(20, rule, pdf.w - 20, rule)
        pdf.set_xy(20, top)
    return header


# --------------------------------------------------------------------------------------
# PDF families
# --------------------------------------------------------------------------------------


@renders(PDF_RENDERERS, "heldout5-ciceron")
def render_ciceron(m: Meeting, pages: dict):
    """Ciceron-like KS protocol: two-row header with 'Sida 3 (9)', a front page whose attendance is set in
    two columns (Ledamöter / Tjänstgörande ersättare, Tjänstepersoner / Övriga), ANSLAG/BEVIS; items
    flowing on, '§ 246' at the left and 'Dnr KS/2024:688' at the right, the bold title below; foot rule
    with 'Justerandes signatur' boxes and 'Utdragsbestyrkande'."""
    f = m.front
    header = two_row_header((f["org"], m.body), ("PROTOKOLL", f"Sammanträdesdatum {m.date}"))
    pdf = new_pdf(m, "liberation-sans", header, sign_footer(boxes=3), top=30, bottom=28)
    pdf.add_page()
    line_in(pdf, ("B", 16), 170, 9, m.body)
    pdf.ln(2)
    label_rows(pdf, [("Plats och tid", [f["plats"], f["ajournering"]])], 20, 42, 170, size=9.5, lh=4.8)
    two_columns(pdf, "Beslutande", [("Ledamöter", f["ledamoter"]), ("Tjänstgörande ersättare", f["ersattare"])])
    two_columns(pdf, "Övriga närvarande", [("Tjänstepersoner", f["ovriga_tj"]), ("Övriga", f["ovriga"])])
    label_rows(pdf, [("Utses att justera", f["justerare"]), ("Justeringens plats och tid", f["justering"]),
                     ("Paragrafer", f"§§ {f['paragrafer']}")], 20, 42, 170, size=9.5, lh=4.8)
    h4.signature_block(pdf, m)
    h.anslag_block(pdf, m, 20, 170, size=9)
    pdf.add_page()
    for it in m.items:
        start_item(pdf, it, 40)
        pdf.ln(5)
        h.stacked_heading(pdf, pdf.get_y(), it.number, 30, it.dnr, it.title, 7, 12)
        write_blocks(pdf, blocks(it, desc_h="Sammanfattning", forslag_h="Arbetsutskottets förslag till beslut",
                                 beslut_h="Kommunstyrelsens beslut", order=ALL_SECTIONS), 20, 170, size=10, lh=5)
    return pdf


@renders(PDF_RENDERERS, "heldout5-region")
def render_region(m: Meeting, pages: dict):
    """A regionfullmäktige protocol: region name and 'PROTOKOLL' header with 'Sida 3 av 8', a text footer with
    signature lines and the region's address; '§ 88' at the left with the bold title beside it (hanging
    indent), 'Diarienummer RS-LED24-0712' under the title, sections indented; attendance and voting list
    (Bilaga 1) after the items."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("B", 13), 20, 10, 90, 6, f["org"])
        cell_at(pdf, ("B", 10), 120, 10, 70, 5, "PROTOKOLL", align="R")
        cell_at(pdf, ("", 10), 20, 17, 90, 5, m.body)
        cell_at(pdf, ("", 9), 120, 15.5, 70, 5, f"Sammanträdesdatum: {m.date}", align="R")
        cell_at(pdf, None, 120, 20.5, 70, 5, f"Sida {pdf.page_no()} av {{nb}}", align="R")
        pdf.set_xy(20, 32)

    def footer(pdf):
        y = pdf.h - 20
        cell_at(pdf, ("", 8.5), 20, y, 85, 4, "Justerandes signatur ____________________")
        pdf.cell(85, 4, "Utdragsbestyrkande ____________________", align="R")
        cell_at(pdf, ("", 7), 20, y + 6, 170, 3.5, "Region Sörmland · 611 88 Nyköping · Telefon 0155-24 50 00 · "
                "regionsormland.se", align="C")

    pdf = new_pdf(m, "dejavu-sans", header, footer, top=32, bottom=26)
    pdf.add_page()
    line_in(pdf, ("B", 15), 170, 8, "Protokoll")
    line_in(pdf, ("", 10.5), 170, 6, f"{m.body}s sammanträde {sv_weekday(m.date)}en den {sv_date_long(m.date)}")
    pdf.ln(3)
    label_rows(pdf, h4.front_rows(m, beslutande="Beslutande ledamöter"), 20, 48, 170, size=9.5)
    h4.signature_block(pdf, m)
    pdf.add_page()
    beslut_h = "Regionfullmäktiges beslut"
    for it in m.items:
        start_item(pdf, it, 36)
        pdf.ln(4)
        pdf.set_font("F", "B", 11.5)
        h.inline_heading(pdf, pdf.get_y(), it.number, it.title, it.dnr and f"Diarienummer {it.dnr}", 40, 8.5)
        pdf.ln(1)
        write_blocks(pdf, blocks(it, desc_h=None, forslag_h="Regionstyrelsens förslag till beslut",
                                 beslut_h=beslut_h, order=ALL_SECTIONS), 40, 150, size=9.5, lh=4.8)
    pdf.add_page()
    line_in(pdf, ("B", 12), 170, 7, f"Bilaga 1, {m.body} {m.date}")
    line_in(pdf, ("B", 10.5), 170, 6, "Närvaro- och voteringslista")
    pdf.ln(2)
    voters = (("Magnus Berggren", "C", "Ja"), ("Ingela Kärnlöf Pallhed", "S", "Ja"), ("Jan Hammarström", "M", "Nej"),
              ("Karin Hjelm", "KD", "Nej"), ("Katarina Sjöberg", "SD", "Nej"), ("Stefan Grönholm", "V", "Ja"),
              ("Helena Ljung", "S", "Ja"), ("Johan Fredriksson", "M", "Nej"), ("Lena Björk", "L", "Ja"),
              ("Ann-Charlotte Rosén", "MP", "Ja"))
    grid(pdf, (("Ledamot", 62), ("Parti", 16), ("Närvarande", 26), ("Votering § 89", 30)),
         [(name, party, "X", vote) for name, party, vote in voters])
    pdf.ln(3)
    pdf.set_font("F", "", 9)
    pdf.multi_cell(170, 4.8, "Listan är förkortad i denna version. Summa vid voteringen: 41 ja, 30 nej, 0 avstår.",
                   align="L", new_x="LMARGIN", new_y="NEXT")
    return pdf


@renders(PDF_RENDERERS, "heldout5-namnd")
def render_namnd(m: Meeting, pages: dict):
    """A nämnd protocol from a Word template: '§ 55 Title' bold on one line, 'Dnr VON 2024/12' below,
    Ärendebeskrivning / Beslutsunderlag / Förslag till beslut / Beslut sub-headings; a 'Bilagor' list after
    the items and a landscape attachment page (delegation decisions as a table)."""
    f = m.front
    header = two_row_header((f["org"], m.body), ("Protokoll", f"Sammanträdesdatum {m.date}"),
                            page_fmt="Sida {n} av {nb}", top=30)

    def footer(pdf):
        y = pdf.h - 16
        cell_at(pdf, ("", 8), 20, y, 90, 4, "Justerandes signatur: ………………  ………………")
        cell_at(pdf, None, pdf.w - 100, y, 80, 4, "Utdragsbestyrkande: ………………", align="R")

    pdf = new_pdf(m, "liberation-sans", header, footer, top=30, bottom=22)
    pdf.add_page()
    line_in(pdf, ("B", 15), 170, 8, f"{m.body}s protokoll")
    pdf.ln(2)
    label_rows(pdf, h4.front_rows(m), 20, 48, 170, size=9.5)
    h4.signature_block(pdf, m)
    pdf.add_page()
    for it in m.items:
        start_item(pdf, it, 36)
        pdf.ln(5)
        pdf.set_font("F", "B", 12)
        pdf.multi_cell(170, 6, f"{it.number} {it.title}", align="L", new_x="LMARGIN", new_y="NEXT")
        if it.dnr:
            line_in(pdf, ("", 9), 170, 5, f"Dnr {it.dnr}")
        write_blocks(pdf, blocks(it, order=ALL_SECTIONS), 20, 170, size=10, lh=5)
    need(pdf, 50)
    pdf.ln(8)
    line_in(pdf, ("B", 11), 170, 7, "Bilagor")
    pdf.set_font("F", "", 9.5)
    for k, (num, text) in enumerate((("§ 55", "Ekonomisk uppföljning april 2024"),
                                      ("§ 56", "Riskanalys och internkontrollplan 2024"),
                                      ("§ 58", "Yttrande över motion om trygghetsboende i Skultorp"),
                                      ("§ 60", "Delegationsbeslut april 2024")), start=1):
        pdf.cell(22, 5, f"Bilaga {k}")
        pdf.cell(16, 5, num)
        pdf.cell(130, 5, text, new_x="LMARGIN", new_y="NEXT")
    # The delegation list is printed on a landscape page of its own.
    pdf.add_page(orientation="L")
    line_in(pdf, ("B", 12), 257, 7, "Bilaga 4 till § 60 – Redovisning av delegationsbeslut april 2024")
    pdf.ln(2)
    cols = (("Datum", 24), ("Beslut", 92), ("Lagrum", 44), ("Delegat", 62), ("Diarienummer", 35))
    rows = (("2024-04-03", "Bistånd i form av hemtjänst, beviljat", "4 kap. 1 § SoL", "Biståndshandläggare",
             "VON 2024/1044"),
            ("2024-04-05", "Bistånd i form av särskilt boende, beviljat", "4 kap. 1 § SoL", "Biståndshandläggare",
             "VON 2024/1051"),
            ("2024-04-11", "Avgiftsbeslut, nedsättning av avgift", "8 kap. 2 § SoL", "Avgiftshandläggare",
             "VON 2024/1077"),
            ("2024-04-18", "Anställning av enhetschef hemtjänst Norr", "Delegationsordning 3.2", "Förvaltningschef",
             "VON 2024/36"),
            ("2024-04-24", "Yttrande till IVO i tillsynsärende", "Delegationsordning 1.7", "Förvaltningschef",
             "VON 2024/40"),
            ("2024-04-29", "Bistånd i form av korttidsvistelse, avslag", "4 kap. 1 § SoL", "Biståndshandläggare",
             "VON 2024/1102"))
    grid(pdf, cols, rows, head_h=6)
    return pdf


@renders(PDF_RENDERERS, "heldout5-utskott")
def render_utskott(m: Meeting, pages: dict):
    """An individutskott protocol: 'SAMMANTRÄDESPROTOKOLL' header with 'Blad 2', 'IU § 32' at the left and
    'Dnr SN 2024/0112' at the right, the title below (several identical titles, one naming '2 §' of a
    law); most items only point to a sekretessbilaga; signature boxes at the foot."""
    f = m.front
    header = two_row_header((f["org"], m.body), ("SAMMANTRÄDESPROTOKOLL", f"Sammanträdesdatum {m.date}"),
                            page_fmt="Blad {n}")
    pdf = new_pdf(m, "dejavu-sans", header,
                  lambda p: h.box_footer(p, labels=("Justerandes signatur", "Utdragsbestyrkande")), top=30)
    pdf.add_page()
    label_rows(pdf, h4.front_rows(m, justerare="Justerare"), 20, 48, 170, size=9.5)
    h4.signature_block(pdf, m)
    pdf.set_font("F", "I", 8.5)
    pdf.multi_cell(170, 4.5, "Protokollet innehåller uppgifter som omfattas av sekretess enligt 26 kap. 1 § "
                   "offentlighets- och sekretesslagen. Sekretessbilagor förvaras hos socialförvaltningen.",
                   align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    for it in m.items:
        start_item(pdf, it, 34)
        pdf.ln(4)
        h.stacked_heading(pdf, pdf.get_y(), shown(it), 40, it.dnr, it.title, 7, 11)
        write_blocks(pdf, blocks(it, desc_h="Ärendet", beslut_h="Individutskottets beslut",
                                 order="desc beslut skickas"), 20, 170, size=10, lh=5)
    return pdf


@renders(PDF_RENDERERS, "heldout5-kallelse")
def render_kallelse(m: Meeting, pages: dict):
    """A kallelse with a 'Föredragningslista' table (Nr / Ärende / Diarienummer) whose numbered items are
    grouped under Inledning / Informationsärenden / Beslutsärenden / Anmälningsärenden; the document is dated
    a week before the meeting."""
    f = m.front
    header = two_row_header((f["org"], m.body), ("KALLELSE", f"Datum {f['utskick']}"), page_fmt="{n} ({nb})")

    def footer(pdf):
        pdf.set_draw_color(150)
        pdf.line(20, pdf.h - 17, 190, pdf.h - 17)
        cell_at(pdf, ("", 7.5), 20, pdf.h - 15, 170, 4, "Kungälvs kommun · 442 81 Kungälv · Besöksadress "
                "Ytterbyvägen 1 · 0303-23 80 00 · kungalv.se", align="C")

    pdf = new_pdf(m, "liberation-sans", header, footer, top=30, bottom=22)
    pdf.add_page()
    line_in(pdf, ("B", 15), 170, 8, f"Kallelse till sammanträde med {m.body.lower()}")
    pdf.ln(2)
    label_rows(pdf, [("Tid", f"{sv_weekday(m.date).capitalize()}en den {sv_date_long(m.date)} {f['tid']}"),
                     ("Plats", f["plats"])], 20, 30, 170, size=10)
    pdf.set_font("F", "", 10)
    pdf.multi_cell(170, 5, "Ledamöter som har förhinder meddelar detta till kommunstyrelsens kansli så snart som "
                   "möjligt. Ersättare tjänstgör endast vid ordinarie ledamots förhinder. Handlingarna finns "
                   "i appen Meetings och på kommunens webbplats.", align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(5)
    line_in(pdf, ("B", 13), 170, 8, "Föredragningslista")
    pdf.set_font("F", "B", 9.5)
    pdf.cell(14, 6, "Nr", border="B")
    pdf.cell(118, 6, "Ärende", border="B")
    pdf.cell(38, 6, "Diarienummer", border="B", new_x="LMARGIN", new_y="NEXT")
    groups = m.extra.get("groups", {})
    for it in m.items:
        need(pdf, 16)
        if it.number in groups:
            pdf.ln(3)
            line_in(pdf, ("B", 10.5), 170, 6, groups[it.number])
        pdf.item_pages[it.number] = pdf.page_no()
        y = pdf.get_y() + 1.5
        cell_at(pdf, ("", 10), 20, y, 14, 5.5, it.number)
        pdf.set_xy(34, y)
        pdf.multi_cell(116, 5.5, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        y2 = pdf.get_y()
        if it.dnr:
            cell_at(pdf, ("", 9.5), 152, y, 38, 5.5, it.dnr)
        pdf.set_y(y2)
        for line in it.desc:
            pdf.set_font("F", "I", 9)
            pdf.set_x(34)
            pdf.cell(116, 4.5, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    y = pdf.get_y() + 10
    for x, name, role in ((20, f["ordforande"], "Ordförande"), (105, f["sekreterare"], "Sekreterare")):
        cell_at(pdf, ("", 10.5), x, y, 85, 5.5, name)
        cell_at(pdf, ("I", 9.5), x, y + 6, 85, 5, role)
    return pdf


@renders(PDF_RENDERERS, "heldout5-netpub")
def render_netpub(m: Meeting, pages: dict):
    """Netpublicator-like protocol (serif): ANSLAG/BEVIS, an 'Ärendeförteckning' with dnr and page; each item
    headed by a grey band '§ 178   Sandskogen 4:12 – Bygglov …', 'Dnr SBN 2024/000342' and 'Sökande:'
    below it, the decision first."""
    f = m.front
    header = two_row_header((f["org"], m.body), ("SAMMANTRÄDESPROTOKOLL", f"Sammanträdesdatum {m.date}"))
    pdf = new_pdf(m, "liberation-serif", header,
                  lambda p: h.box_footer(p, labels=("Justerandes signatur", "Utdragsbestyrkande")), top=30)
    pdf.add_page()
    label_rows(pdf, h4.front_rows(m), 20, 48, 170, size=10)
    h4.signature_block(pdf, m)
    h.anslag_block(pdf, m, 20, 170, size=9)
    beslut_h = h.owner_genitive(m.body) + " beslut"
    pdf.add_page()
    h.agenda_table(pdf, m, pages, 20, 170, title="Ärendeförteckning")
    pdf.add_page()
    for it in m.items:
        start_item(pdf, it, 42)
        pdf.ln(5)
        pdf.set_font("F", "B", 11.5)
        lines = pdf.multi_cell(146, 6, it.title, dry_run=True, output="LINES")
        y = pdf.get_y()
        pdf.set_fill_color(222, 226, 230)
        pdf.rect(20, y, 170, 6 * len(lines) + 3, style="F")
        cell_at(pdf, None, 22, y + 1.5, 20, 6, it.number)
        pdf.set_xy(42, y + 1.5)
        pdf.multi_cell(146, 6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(y + 6 * len(lines) + 4)
        for line in ([f"Dnr {it.dnr}"] if it.dnr else []) + it.extra_lines:
            line_in(pdf, ("I", 9.5), 170, 5, line)
        write_blocks(pdf, blocks(it, desc_h=None, beslut_h=beslut_h, order="beslut desc skickas"), 20, 170,
                     size=10.5, lh=5.2)
    return pdf


@renders(PDF_RENDERERS, "heldout5-forbund")
def render_forbund(m: Meeting, pages: dict):
    """A kommunalförbund's direktion, Meetings Plus-like: the association's name at the top left, 'Direktionen /
    Protokoll / date' at the right, page number alone; '§ 15   2024/38' (bare case number) over the bold
    title; members listed with their municipality."""
    f = m.front

    def header(pdf):
        cell_at(pdf, ("", 8), 180, 8, 10, 4, str(pdf.page_no()), align="R")
        pdf.set_xy(20, 12)
        pdf.set_font("F", "B", 12)
        pdf.multi_cell(80, 5.5, f["org"].replace("förbundet ", "förbundet\n"), align="L")
        cell_at(pdf, ("B", 10), 125, 12, 65, 5, m.body)
        cell_at(pdf, ("", 10), 125, 17, 65, 5, "Protokoll")
        cell_at(pdf, None, 125, 24, 65, 5, m.date)
        pdf.set_xy(20, 38)

    pdf = new_pdf(m, "dejavu-sans", header, sign_footer(boxes=4), top=38, bottom=28)
    pdf.add_page()
    label_rows(pdf, h4.front_rows(m), 20, 46, 170, size=9)
    h4.signature_block(pdf, m)
    pdf.add_page()
    for it in m.items:
        start_item(pdf, it, 40)
        pdf.ln(6)
        line_in(pdf, ("", 9.5), 170, 5, f"{it.number}   {it.dnr}" if it.dnr else it.number)
        pdf.ln(1.5)
        pdf.set_font("F", "B", 11.5)
        pdf.multi_cell(170, 6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        write_blocks(pdf, blocks(it, beslut_h="Direktionens beslut", order="desc underlag beslut skickas"),
                     20, 170, size=9.5, lh=4.8)
    return pdf


# --------------------------------------------------------------------------------------
# Word, text and Markdown
# --------------------------------------------------------------------------------------


def number_headings(doc, style: str = "Heading 1") -> None:
    """Give ``style`` Word's automatic numbering '1.', '2.', … (a list linked to the heading style): the
    numbers are drawn by Word and are not in the paragraphs' text."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = doc.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90"><w:multiLevelType w:val="multilevel"/>'
        f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="{style.replace(" ", "")}"/>'
        '<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="432" w:hanging="432"/></w:pPr>'
        '</w:lvl></w:abstractNum>')
    first_num = numbering.find(abstract.tag.replace("abstractNum", "num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    num_pr = doc.styles[style].element.get_or_add_pPr().get_or_add_numPr()  # in schema order
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = 90


def render_bradocx(m: Meeting, path: Path) -> None:
    """BRÅ notes in Word: Title, date/place lines, a participants table, items as Heading 1 numbered by Word
    (the numbers are list numbering), bold sub-headings per organisation, bullet lists."""
    from docx.shared import Pt

    f = m.front
    doc = new_docx(m, "Calibri", 11)
    doc.sections[0].header.paragraphs[0].text = f"{f['org']}\tMinnesanteckningar\t{m.date}"
    number_headings(doc)
    doc.add_paragraph(f"Minnesanteckningar {m.body}", style="Title")
    doc.add_paragraph(f"Datum: {sv_weekday(m.date)} {sv_date_long(m.date)}\nPlats och tid: {f['plats']}")
    p = doc.add_paragraph()
    p.add_run("Deltagare").bold = True
    table = doc.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Namn", "Funktion")):
        cell.paragraphs[0].add_run(text).bold = True
    for name, role in f["narvarande"]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = name, role
    doc.add_paragraph()
    for it in m.items:
        doc.add_paragraph(it.title, style="Heading 1")
        for line in it.desc:
            if line.startswith("# "):
                r = doc.add_paragraph().add_run(line[2:])
                r.bold = True
                r.font.size = Pt(11)
            elif line.startswith("- "):
                doc.add_paragraph(line[2:], style="List Bullet")
            else:
                doc.add_paragraph(line)
    doc.add_paragraph()
    doc.add_paragraph(f"Vid anteckningarna\n{f['sekreterare']}")
    doc.save(str(path))
    h3.stable_zip(path)


def render_ksaudocx(m: Meeting, path: Path) -> None:
    """A KSAU protocol in Word: front matter as tabbed paragraphs; each item opens with 'KSAU § 145' and a
    right-tabbed 'Dnr KS2024/211' on one paragraph, the title as Heading 2 below it; sections as bold
    paragraphs; signatures at the end; 'Justerandes signatur' in the page footer."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Cm, Pt

    doc = new_docx(m, "Arial", 10)
    f = m.front
    hp = doc.sections[0].header.paragraphs[0]
    hp.text = f"{f['org']}\tPROTOKOLL\t{m.date}\n{m.body}"
    hp.paragraph_format.tab_stops.add_tab_stop(Cm(8), WD_TAB_ALIGNMENT.CENTER)
    hp.paragraph_format.tab_stops.add_tab_stop(Cm(16), WD_TAB_ALIGNMENT.RIGHT)
    doc.sections[0].footer.paragraphs[0].text = "Justerandes signatur\t\tUtdragsbestyrkande"

    def bold(text: str, size: float | None = None):
        r = doc.add_paragraph().add_run(text)
        r.bold = True
        if size:
            r.font.size = Pt(size)

    bold(m.body, 16)
    doc.add_paragraph(f"Sammanträdesdatum {m.date}")
    for label, value in (("Plats och tid", f["plats"]), ("Beslutande", "; ".join(f["ledamoter"])),
                         ("Övriga närvarande", "; ".join(f["ovriga"])), ("Utses att justera", f["justerare"]),
                         ("Justeringens plats och tid", f["justering"]), ("Paragrafer", f"§§ {f['paragrafer']}")):
        p = doc.add_paragraph()
        p.paragraph_format.tab_stops.add_tab_stop(Cm(5))
        p.add_run(label).bold = True
        p.add_run("\t" + value)
    doc.add_paragraph(f"Sekreterare\t……………………………  {f['sekreterare']}")
    doc.add_paragraph(f"Ordförande\t……………………………  {f['ordforande']}")
    doc.add_paragraph(f"Justerande\t……………………………  {f['justerande']}")
    doc.add_page_break()
    for it in m.items:
        p = doc.add_paragraph()
        p.paragraph_format.tab_stops.add_tab_stop(Cm(16), WD_TAB_ALIGNMENT.RIGHT)
        p.paragraph_format.space_before = Pt(12)
        p.add_run(f"KSAU {it.number}").bold = True
        if it.dnr:
            p.add_run(f"\tDnr {it.dnr}")
        doc.add_paragraph(it.title, style="Heading 2")
        for kind, text in blocks(it, beslut_h="Arbetsutskottets beslut", order=ALL_SECTIONS):
            if kind == "h":
                bold(text)
            elif kind == "li":
                doc.add_paragraph(text, style="List Bullet")
            else:
                doc.add_paragraph(text)
    doc.add_paragraph()
    doc.add_paragraph("Vid protokollet")
    doc.add_paragraph(f"{f['sekreterare']}")
    doc.save(str(path))
    h3.stable_zip(path)


def render_fhrtxt(m: Meeting) -> str:
    """Folkhälsoråd notes saved from Word as plain text: 'N.<TAB>Title' lines, text and '*' bullets indented
    by a tab, one paragraph a line."""
    out = ["MARIESTADS KOMMUN", m.body, f"Minnesanteckningar från möte {m.date}", "",
           "Tid:\tkl. 13.30–16.00", "Plats:\tStadshuset, sammanträdesrum Vänern", "",
           "Närvarande:", "\tMarie Engström Rosengren, KS (ordförande)", "\tKarin Bodin, folkhälsostrateg",
           "\tElin Strand, Västra Götalandsregionen", "\tPeter Ljung, Polisen", "\tSara Hellström, elevhälsan",
           "\tMikael Ek, kultur och fritid", "Frånvarande:", "\tAnna Dahl, Västra Skaraborgs socialtjänst", ""]
    for it in m.items:
        out += [f"{it.number}.\t{it.title}"]
        for line in it.desc:
            out.append("\t" + line)
        out.append("")
    out += ["Antecknat av: Karin Bodin, folkhälsostrateg"]
    return "\r\n".join(out) + "\r\n"


def render_trygghetmd(m: Meeting) -> str:
    """Trygghetsråd notes in Markdown (an intranet export): the date written out in an italic line, the
    participants as a bullet list, items as '## 2 Title' headings (number, no full stop)."""
    d = m.date
    out = [f"# {m.body} {m.municipality}", "", f"*Minnesanteckningar {sv_date_long(d)}, kl. 09.00–11.00, "
           "Stadshuset, rum Kinnekulle*", "", "**Närvarande**", "",
           "- Kristina Bäckström, kommunstyrelsens ordförande (ordförande)", "- Jonas Ring, kommunpolis",
           "- Maja Lundin, socialtjänsten", "- Henrik Ask, tekniska förvaltningen",
           "- Lina Falk, AB Bostäder i Lidköping",
           "- Omar Haddad, räddningstjänsten Västra Skaraborg", "- Anna Ström, trygghetssamordnare (antecknar)", ""]
    for it in m.items:
        paragraphs: list[str] = []  # a run of bullets stays one block
        for line in it.desc:
            if line.startswith("- ") and paragraphs and paragraphs[-1].startswith("- "):
                paragraphs[-1] += "\n" + line
            else:
                paragraphs.append(line)
        out += [f"## {it.number} {it.title}", "", "\n\n".join(paragraphs), ""]
    out += ["---", "", "Anteckningar: Anna Ström", ""]
    return "\n".join(out)


# --------------------------------------------------------------------------------------
# Gold labels and main
# --------------------------------------------------------------------------------------


gold_for = h.set_gold_for("heldout5")


TEXT_RENDERERS = {"heldout5-fhrtxt": render_fhrtxt, "heldout5-trygghetmd": render_trygghetmd}
DOCX_RENDERERS = {"heldout5-bradocx": render_bradocx, "heldout5-ksaudocx": render_ksaudocx}


def write_doc(m: Meeting, path: Path) -> None:
    if m.fmt == "docx":
        DOCX_RENDERERS[m.family](m, path)
    else:
        path.write_bytes(TEXT_RENDERERS[m.family](m).encode("utf-8"))


def main() -> None:
    h.write_set(MEETINGS, write_doc, gold_for, DOCS, GOLD, ROOT, PDF_RENDERERS)


if __name__ == "__main__":
    main()
