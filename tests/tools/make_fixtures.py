"""Generate the PDF and DOCX test fixtures for the readers.

Run from the project root::

    python tests/tools/make_fixtures.py

The fixtures are small, realistic Swedish minutes laid out the way real
municipal PDFs are (margin headings, running headers, page numbers, signature
footers, two columns, a scanned page). Every text line is placed explicitly, so
the generator knows the truth; it writes that truth to
``tests/fixtures/pdf/expected.json`` and ``tests/fixtures/docx/expected.json``
so the tests compare reader output with what was actually drawn.

Needs fpdf2 (``pip install fpdf2``) and the DejaVu fonts
(``apt-get install fonts-dejavu-core`` on Debian/Ubuntu), python-docx and
Pillow. The output is deterministic: running the generator twice gives the
same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
PDF_DIR = ROOT / "tests" / "fixtures" / "pdf"
DOCX_DIR = ROOT / "tests" / "fixtures" / "docx"

FONT_DIRS = [
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts"),
]

A4_W, A4_H = 595.28, 841.89
LEFT = 57.0  # 2 cm
RIGHT = A4_W - 57.0
BODY_SIZE = 10.5
LEADING = 14.0  # baseline-to-baseline distance inside a paragraph
PARA_GAP = 10.0  # extra space between paragraphs
FIXED_DATE = dt.datetime(2024, 3, 1, 12, 0, 0, tzinfo=dt.timezone.utc)


def find_font(name: str) -> Path:
    """Return the path of a DejaVu TTF, searching system and site-packages."""
    for folder in FONT_DIRS:
        candidate = folder / name
        if candidate.exists():
            return candidate
    for entry in sys.path:
        hits = list(Path(entry).glob(f"**/{name}")) if Path(entry).is_dir() else []
        if hits:
            return hits[0]
    raise SystemExit(
        f"Hittar inte {name} – installera fonts-dejavu-core "
        f"(font {name} not found: apt-get install fonts-dejavu-core)"
    )


# ---------------------------------------------------------------------------
# A tiny layout model: every line is placed explicitly.
# ---------------------------------------------------------------------------


@dataclass
class Line:
    """One text line drawn at baseline ``y``."""

    x: float
    y: float
    text: str
    bold: bool = False
    size: float = BODY_SIZE


@dataclass
class Page:
    lines: list[Line] = field(default_factory=list)
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)  # drawn lines x1, y1, x2, y2


def new_pdf():
    """Return an FPDF object in points with DejaVu regular and bold loaded."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", "", str(find_font("DejaVuSans.ttf")))
    pdf.add_font("DejaVu", "B", str(find_font("DejaVuSans-Bold.ttf")))
    pdf.set_font("DejaVu", "", BODY_SIZE)
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_creator("radslag make_fixtures")
    return pdf


def width_of(pdf, text: str, bold: bool = False, size: float = BODY_SIZE) -> float:
    pdf.set_font("DejaVu", "B" if bold else "", size)
    return pdf.get_string_width(text)


def wrap(pdf, text: str, width: float, bold: bool = False, size: float = BODY_SIZE) -> list[str]:
    """Greedy word wrap of ``text`` to ``width`` points (no hyphenation)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}" if current else word
        if current and width_of(pdf, trial, bold, size) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines


def render(pdf, pages: list[Page]) -> bytes:
    """Draw ``pages`` into ``pdf`` and return the PDF bytes."""
    for page in pages:
        pdf.add_page()
        for line in page.lines:
            pdf.set_font("DejaVu", "B" if line.bold else "", line.size)
            pdf.text(line.x, line.y, line.text)
        for x1, y1, x2, y2 in page.rules:
            pdf.line(x1, y1, x2, y2)
    return bytes(pdf.output())


def right_aligned(pdf, text: str, y: float, bold: bool = False, size: float = BODY_SIZE) -> Line:
    return Line(RIGHT - width_of(pdf, text, bold, size), y, text, bold, size)


def centred(pdf, text: str, y: float, bold: bool = False, size: float = BODY_SIZE) -> Line:
    return Line((A4_W - width_of(pdf, text, bold, size)) / 2, y, text, bold, size)


class Flow:
    """Places paragraphs in a column, breaking pages when the column is full.

    Args:
        pdf: The FPDF object (used for measuring only).
        pages: The page list to append to (a fresh page is added as needed).
        x: Left edge of the body column.
        width: Width of the body column.
        top: Baseline of the first body line on a page.
        bottom: Lowest allowed baseline.
    """

    def __init__(self, pdf, pages: list[Page], x: float, width: float, top: float, bottom: float):
        self.pdf, self.pages, self.x, self.width = pdf, pages, x, width
        self.top, self.bottom = top, bottom
        if not pages:
            pages.append(Page())
        self.y = top

    def new_page(self) -> None:
        self.pages.append(Page())
        self.y = self.top

    def line(self, text: str, x: float | None = None, bold: bool = False) -> None:
        if self.y > self.bottom:
            self.new_page()
        self.pages[-1].lines.append(Line(self.x if x is None else x, self.y, text, bold))
        self.y += LEADING

    def paragraph(self, text: str, bold: bool = False) -> None:
        for part in wrap(self.pdf, text, self.width, bold):
            self.line(part, bold=bold)
        self.y += PARA_GAP

    def lines(self, lines: list[str], bold: bool = False) -> None:
        for part in lines:
            self.line(part, bold=bold)
        self.y += PARA_GAP

    def space(self, points: float) -> None:
        self.y += points


# ---------------------------------------------------------------------------
# 1. margin.pdf: headings in a left margin column (Hallstahammar layout)
# ---------------------------------------------------------------------------

ITEM_TEXTS = Path(__file__).resolve().parent / "data" / "fixture_items.yaml"


def _texts(name: str) -> list[tuple]:
    """One fixture's items from ``data/fixture_items.yaml``, each a tuple ([number,] title, paragraphs)."""
    return [tuple(row) for row in yaml.safe_load(ITEM_TEXTS.read_text(encoding="utf-8"))[name]]


MARGIN_X = LEFT
MARGIN_W = 112.0
BODY_X = 200.0
BODY_W = RIGHT - BODY_X

MARGIN_META = [
    "Datum och tid: 2021-09-15 klockan 17.30-19.00",
    "Plats: Digitalt via Teams",
    "Deltagare: Förtroendevalda: Anna Gunstad Bäckman (C), Hans Strandlund (M), "
    "Joar Larsson, säkerhetssamordnare, Anne Alamaa, samordnare",
    "Gäster: Anna Landehag, förvaltningschef på Barn- och utbildningsförvaltningen, "
    "Anna Sundin, förvaltningschef på Socialförvaltningen",
]

MARGIN_ITEMS = _texts("margin_items")

MARGIN_LABEL = ("Nästa möte", "Onsdag 17 november, klockan 17.30-19.30, digitalt")


def make_margin(pdf) -> tuple[bytes, dict[str, Any]]:
    pages: list[Page] = []
    flow = Flow(pdf, pages, BODY_X, BODY_W, top=100.0, bottom=770.0)
    # Meeting facts span the full width (they start in the margin column).
    flow.x = LEFT
    for text in MARGIN_META:
        for part in wrap(pdf, text, RIGHT - LEFT):
            flow.line(part)
    flow.space(2 * PARA_GAP)
    flow.x = BODY_X
    expected_items = []
    for heading, paragraphs in MARGIN_ITEMS:
        heading_lines = wrap(pdf, heading, MARGIN_W, bold=True)
        first = wrap(pdf, paragraphs[0], BODY_W)
        # Keep the heading with at least its first body lines on one page.
        if flow.y + LEADING * max(len(heading_lines), 2) > flow.bottom:
            flow.new_page()
        y0, page0 = flow.y, len(pages)
        for i, part in enumerate(heading_lines):
            pages[-1].lines.append(Line(MARGIN_X, y0 + i * LEADING, part, bold=True))
        for para in paragraphs:
            flow.paragraph(para)
        if len(pages) == page0:  # the heading may be taller than its text
            flow.y = max(flow.y, y0 + len(heading_lines) * LEADING + PARA_GAP)
        expected_items.append(
            {"heading": heading, "heading_lines": heading_lines, "next": " ".join(first[0].split()[:4])}
        )
    # A label row: label in the margin, value on the same baseline in the body.
    flow.space(PARA_GAP)
    pages[-1].lines.append(Line(MARGIN_X, flow.y, MARGIN_LABEL[0]))
    flow.line(MARGIN_LABEL[1])
    flow.space(PARA_GAP)
    flow.lines(["Vid tangenterna", "Anne Alamaa,", "Samordnare"])
    n = len(pages)
    for number, page in enumerate(pages, 1):
        page.lines.append(Line(LEFT, 50.0, "Trygghetsråd", bold=True, size=12))
        page.lines.append(right_aligned(pdf, f"{number} ({n})", 50.0))
    expected = {
        "pages": n,
        "headings": expected_items,
        "running_header": "Trygghetsråd",
        "header_kept_on_first_page": True,
        "page_numbers": [f"{i} ({n})" for i in range(1, n + 1)],
        "label_line": f"{MARGIN_LABEL[0]}\t{MARGIN_LABEL[1]}",
        "not_headings": ["Plats: Digitalt via Teams", MARGIN_LABEL[0]],
        "continued_across_pages": True,
    }
    return render(pdf, pages), expected


# ---------------------------------------------------------------------------
# 2. running_header.pdf: Arboga layout, numbered items, paragraph over a page
# ---------------------------------------------------------------------------

ARBOGA_FACTS = [
    ("Plats och tid", "Kommunstyrelsensalen kl 08.30 – 10.30"),
    ("Ledamöter", "Jonna Lindman (M) ordförande, Kerstin Rosenkvist (S)."),
    ("Rådsrepresentanter", "Kommunpolis Stefan Persson, säkerhetssamordnare Andreas Ahlsén"),
]

ARBOGA_ITEMS = _texts("arboga_items")


def make_running_header(pdf, bottom: float = 385.0) -> tuple[bytes, dict[str, Any]]:
    pages: list[Page] = []
    # A short page body (bottom=385) so that the text runs over three pages.
    flow = Flow(pdf, pages, LEFT, RIGHT - LEFT, top=110.0, bottom=bottom)
    for label, value in ARBOGA_FACTS:
        pages[-1].lines.append(Line(LEFT, flow.y, label))
        flow.line(value, x=180.0)
    flow.space(2 * PARA_GAP)
    crossing = None
    for heading, paragraphs in ARBOGA_ITEMS:
        if flow.y + 3 * LEADING > flow.bottom:
            flow.new_page()
        flow.paragraph(heading, bold=True)
        for para in paragraphs:
            start_page = len(pages)
            lines_before = len(pages[-1].lines)
            wrapped = wrap(pdf, para, flow.width)
            flow.paragraph(para)
            split = len(pages) > start_page and len(pages[start_page - 1].lines) > lines_before
            if split and crossing is None:
                # Find the two lines on either side of the page break.
                last = pages[start_page - 1].lines[-1].text
                first = pages[start_page].lines[0].text
                crossing = {"before": last, "after": first, "paragraph_start": wrapped[0]}
    n = len(pages)
    for number, page in enumerate(pages, 1):
        page.lines.append(Line(LEFT, 60.0, "Förebyggande rådet", bold=True, size=14))
        page.lines.append(centred(pdf, f"{number} ({n})", 800.0, size=9))
    expected = {
        "pages": n,
        "running_header": "Förebyggande rådet",
        "header_kept_on_first_page": True,
        "page_numbers": [f"{i} ({n})" for i in range(1, n + 1)],
        "bold_headings": [h for h, _ in ARBOGA_ITEMS],
        "label_lines": [f"{label}\t{value}" for label, value in ARBOGA_FACTS],
        "crossing": crossing,
    }
    return render(pdf, pages), expected


# ---------------------------------------------------------------------------
# 3. hyphenated.pdf: words split across line ends
# ---------------------------------------------------------------------------

HYPHEN_LINES = [
    "Ordföranden informerar om att social- och arbetsmarknadsförvalt-",
    "ningen har tagit fram en ny handlingsplan mot klotter och skade-",
    "görelse. Planen har remitterats till Barn-",
    "och utbildningsförvaltningen, Kultur- och fritidsförvaltningen samt till",
    "polisen. Ärendet har diarienummer KS 2025-",
    "00013 och behandlas på nästa sammanträde. Trygghets-",
    "vandringen i Kolbäck genomförs i oktober tillsammans med IT-",
    "avdelningen som ansvarar för kameraövervakningen vid stations-",
    "området. Kommunpolisen deltar i trygghetsvandringen.",
]

HYPHEN_SECOND = [
    "Säkerhetssamordnaren redovisar lägesbilden för september. Antalet an-",
    "mälda skadegörelser har minskat jämfört med föregående år. Covid-",
    "19-pandemins effekter på ungdomars fritid diskuteras kort.",
]


def make_hyphenated(pdf) -> tuple[bytes, dict[str, Any]]:
    page = Page()
    page.lines.append(Line(LEFT, 70.0, "Minnesanteckningar trygghetsrådet 2025-09-10", bold=True, size=13))
    y = 110.0
    for text in HYPHEN_LINES:
        page.lines.append(Line(LEFT, y, text))
        y += LEADING
    y += PARA_GAP + 4
    for text in HYPHEN_SECOND:
        page.lines.append(Line(LEFT, y, text))
        y += LEADING
    expected = {
        "pages": 1,
        "joined": [
            "arbetsmarknadsförvaltningen",
            "skadegörelse",
            "Trygghetsvandringen",
            "stationsområdet",
            "anmälda",
        ],
        "kept": [
            "social- och arbetsmarknadsförvaltningen",
            "Barn- och utbildningsförvaltningen",
            "Kultur- och fritidsförvaltningen",
            "KS 2025-00013",
            "IT-avdelningen",
            "Covid-19-pandemins",
        ],
        "absent": ["förvalt-", "skade-\n", "Trygghets-", "stations-", "an-\n"],
    }
    return render(pdf, [page]), expected


# ---------------------------------------------------------------------------
# 4. toc.pdf: Kungsbacka protocol with a table of contents and signature footer
# ---------------------------------------------------------------------------

KB_ITEMS = _texts("kb_items")

KB_SIGNATURE = [
    "Det här dokumentet är digitalt signerat",
    "Transaktionsidentitet: E5F6C11312BA08292B4337EC7999E1637A0F5C2CF8",
    "Transaktionsidentitet: DD4B498CFFC90B1B656E35C45688389BBD35C1602A",
]


def make_toc(pdf) -> tuple[bytes, dict[str, Any]]:
    pages: list[Page] = []
    # Page 1: cover with the meeting facts.
    cover = Page()
    y = 130.0
    facts = [
        ("Plats och tid för sammanträde", "Stadshuset, Kungsbackarummet Klockan 16:00-19:40"),
        ("Beslutande", "Emanuel Forsell (M), Ordförande"),
        ("", "Elin Hysén (L), 1:e vice ordförande"),
        ("", "Johan Tolinsson (S), 2:e vice ordförande"),
        ("Sekreterare", "Lars Sundbom"),
        ("Paragrafer", "§§ 94-96"),
        ("Ordförande", "Emanuel Forsell (M)"),
        ("Protokolljusterare", "Jan-Christer Jansson (V)"),
    ]
    for label, value in facts:
        if label:
            cover.lines.append(Line(LEFT, y, label))
        cover.lines.append(Line(240.0, y, value))
        y += LEADING + 6
    pages.append(cover)
    # Page 2: the table of contents.
    toc = Page()
    toc.lines.append(Line(LEFT, 160.0, "Innehåll", bold=True, size=13))
    y = 190.0
    toc_lines = []
    for i, (par, dnr, title, _) in enumerate(KB_ITEMS):
        toc.lines.append(Line(LEFT, y, f"{par} Dnr {dnr}"))
        page_no = str(3 + i // 2)
        dots_w = RIGHT - LEFT - width_of(pdf, title + " ") - width_of(pdf, " " + page_no)
        dots = "." * int(dots_w / width_of(pdf, "."))
        toc.lines.append(Line(LEFT, y + LEADING, f"{title} {dots} {page_no}"))
        toc_lines.append(f"{title} {dots} {page_no}")
        y += 2 * LEADING + PARA_GAP
    pages.append(toc)
    # Pages 3-4: the items, two per page.
    flow = Flow(pdf, pages, LEFT, RIGHT - LEFT, top=160.0, bottom=690.0)
    flow.new_page()
    for i, (par, dnr, title, paragraphs) in enumerate(KB_ITEMS):
        if i == 2:
            flow.new_page()
        flow.line(f"{par} Dnr {dnr}", bold=True)
        flow.paragraph(title, bold=True)
        for para in paragraphs:
            flow.paragraph(para)
    n = len(pages)
    for number, page in enumerate(pages, 1):
        page.lines.append(Line(LEFT, 50.0, "KUNGSBACKA KOMMUN", bold=True))
        page.lines.append(Line(260.0, 50.0, "SAMMANTRÄDESPROTOKOLL"))
        if number > 1:
            page.lines.append(right_aligned(pdf, f"{number} ({n})", 50.0))
        page.lines.append(Line(LEFT, 66.0, "Nämnden för Förskola & Grundskola"))
        page.lines.append(Line(400.0, 66.0, "Datum"))
        page.lines.append(Line(400.0, 80.0, "2025-10-15"))
        for j, text in enumerate(KB_SIGNATURE):
            page.lines.append(Line(LEFT, 760.0 + j * 11, text, size=8))
    expected = {
        "pages": n,
        "running_header": ["KUNGSBACKA KOMMUN", "SAMMANTRÄDESPROTOKOLL", "Nämnden för Förskola & Grundskola"],
        "header_kept_on_first_page": True,
        "page_numbers": [f"{i} ({n})" for i in range(2, n + 1)],
        "footer": KB_SIGNATURE,
        "toc_title": "Innehåll",
        "toc_lines": toc_lines,
        "items": [{"heading": f"{p} Dnr {d}", "title": t} for p, d, t, _ in KB_ITEMS],
        "label_lines": [f"{a}\t{b}" for a, b in facts if a],
    }
    return render(pdf, pages), expected


# ---------------------------------------------------------------------------
# 5. two_column.pdf
# ---------------------------------------------------------------------------

TWO_COL_LEFT = [
    "Trygghetsrådet samlades i stadshuset för att följa upp höstens arbete. Polisen "
    "redovisade att antalet anmälda inbrott i bostadsområdena har minskat under perioden.",
    "Kommunens trygghetsvärdar har varit ute varje fredag och lördag kväll. De har mött "
    "många ungdomar i centrum och vid idrottsplatsen. Samarbetet med fältassistenterna "
    "fungerar väl.",
    "Belysningen i gångtunneln vid stationen är nu utbytt och upplevs som betydligt bättre "
    "av de boende.",
]
TWO_COL_RIGHT = [
    "Rådet beslutade att genomföra en ny trygghetsvandring i Västerås centrum under våren. "
    "Inbjudan skickas till fastighetsägare, handlare och föreningar.",
    "Nästa möte hålls den 12 december. Då redovisas resultatet från den nationella "
    "trygghetsundersökningen och en lägesbild från polisen.",
]


def make_two_column(pdf) -> tuple[bytes, dict[str, Any]]:
    page = Page()
    page.lines.append(Line(LEFT, 70.0, "Trygghetsrådet Västerås – minnesanteckningar 2023-11-08", bold=True, size=13))
    gutter = 24.0
    col_w = (RIGHT - LEFT - gutter) / 2
    expected_cols = []
    for x, paragraphs in ((LEFT, TWO_COL_LEFT), (LEFT + col_w + gutter, TWO_COL_RIGHT)):
        y = 110.0
        col_lines = []
        for para in paragraphs:
            for part in wrap(pdf, para, col_w):
                page.lines.append(Line(x, y, part))
                col_lines.append(part)
                y += LEADING
            y += PARA_GAP
        expected_cols.append(col_lines)
    page.lines.append(centred(pdf, "Sida 1 av 1", 800.0, size=9))
    expected = {
        "pages": 1,
        "left_first": expected_cols[0][0],
        "left_last": expected_cols[0][-1],
        "right_first": expected_cols[1][0],
        "right_last": expected_cols[1][-1],
        "left_last_sentence": TWO_COL_LEFT[-1].split(". ")[-1],
        "right_first_sentence": TWO_COL_RIGHT[0].split(". ")[0],
        "page_numbers": ["Sida 1 av 1"],
    }
    return render(pdf, [page]), expected


# ---------------------------------------------------------------------------
# 5b. margin_numbers.pdf: numbers and wrapped labels in a margin column
# ---------------------------------------------------------------------------

NUM_X = LEFT  # number column
NUM_HEAD_X = LEFT + 24.0  # heading text beside the number, still in the margin
NUM_BODY_X = 200.0
NUM_HEAD_W = NUM_BODY_X - NUM_HEAD_X - 16.0

NUM_LABELS = [
    (["Beslutande"], ["Anna Gunstad Bäckman (C), ordförande", "Hans Strandlund (M)"]),
    (["Ej tjänstgörande", "ersättare"], ["Jenny Helgesson (S)", "Irene Lidvall (L)", "Katarina Berg (SD)"]),
    (["Justeringens plats och", "tid"], ["Digitalt, 2024-03-20"]),
]

NUM_AGENDA = [
    ("§ 12", "Val av justerare"),
    ("§ 13", "Svar på motion gällande att utreda möjligheten till fler trygghetsvandringar i centrum och vid stationen"),
    ("§ 14", "Lägesbild"),
    ("§ 15", "Information om medborgarlöftet och om polisens arbete med motorburen ungdom under sommaren"),
]

NUM_ITEMS = _texts("num_items")

NUM_FOOTER = ("Justerandes sign", "Utdragsbestyrkande")


def make_margin_numbers(pdf) -> tuple[bytes, dict[str, Any]]:
    """Form labels, an agenda list and numbered margin headings (two pages).

    The form labels wrap over two lines beside their values; the agenda's
    numbers stand in their own column, vertically centred on titles that wrap;
    the numbered headings sit in the margin column with their number in a
    column of its own, and one heading is taller than its paragraph. Every
    page has a running header with "Sida N av M" and a signature box footer.
    """
    pages: list[Page] = [Page()]
    y = 110.0
    labels = []
    for label_lines, values in NUM_LABELS:
        for i, part in enumerate(label_lines):
            pages[-1].lines.append(Line(LEFT, y + i * (BODY_SIZE + 1.5), part, bold=True, size=9))
        for i, value in enumerate(values):
            pages[-1].lines.append(Line(NUM_BODY_X, y + i * (BODY_SIZE + 1.5), value))
        labels.append(f"{' '.join(label_lines)}\t{values[0]}")
        y += max(len(label_lines), len(values)) * (BODY_SIZE + 1.5) + 12
    y += 20
    pages[-1].lines.append(Line(LEFT, y, "Ärendelista", bold=True, size=12))
    y += 24
    agenda = []
    for number, title in NUM_AGENDA:
        parts = wrap(pdf, title, RIGHT - NUM_BODY_X)
        # The number is centred on the title's lines, as meeting systems print it.
        mid = y + (len(parts) - 1) * LEADING / 2
        pages[-1].lines.append(Line(NUM_X, mid, number))
        for i, part in enumerate(parts):
            pages[-1].lines.append(Line(NUM_BODY_X, y + i * LEADING, part))
        agenda.append(f"{number}\t{parts[0]}")
        y += len(parts) * LEADING + 4
    flow = Flow(pdf, pages, NUM_BODY_X, RIGHT - NUM_BODY_X, top=110.0, bottom=600.0)
    flow.y = y + 30
    headings = []
    for number, heading, paragraphs in NUM_ITEMS:
        heading_lines = wrap(pdf, heading, NUM_HEAD_W, bold=True)
        if flow.y + LEADING * max(len(heading_lines), 2) > flow.bottom:
            flow.new_page()
        y0, page0 = flow.y, len(pages)
        pages[-1].lines.append(Line(NUM_X, y0, number, bold=True))
        for i, part in enumerate(heading_lines):
            pages[-1].lines.append(Line(NUM_HEAD_X, y0 + i * LEADING, part, bold=True))
        first = wrap(pdf, paragraphs[0], flow.width)[0]
        for para in paragraphs:
            flow.paragraph(para)
        if len(pages) == page0:  # the heading may be taller than its text
            flow.y = max(flow.y, y0 + len(heading_lines) * LEADING + PARA_GAP)
        headings.append({"heading": f"{number} {heading}", "lines": heading_lines, "next": first})
    n = len(pages)
    for number, page in enumerate(pages, 1):
        page.lines.append(Line(LEFT, 50.0, "Trygghetsrådet", bold=True, size=12))
        page.lines.append(right_aligned(pdf, f"Sida {number} av {n}", 50.0, size=9))
        page.lines.append(Line(LEFT, 66.0, "2024-03-14", size=9))
        # A signature box: two cells with captions, on every page.
        top, bottom = 770.0, 805.0
        page.rules.extend([(LEFT, top, RIGHT, top), (LEFT, bottom, RIGHT, bottom), (LEFT, top, LEFT, bottom),
                           (RIGHT, top, RIGHT, bottom), (300.0, top, 300.0, bottom)])
        page.lines.append(Line(LEFT + 4, top + 10, NUM_FOOTER[0], size=7))
        page.lines.append(Line(304.0, top + 10, NUM_FOOTER[1], size=7))
    expected = {
        "pages": n,
        "labels": labels,
        "agenda": agenda,
        "headings": headings,
        "running_header": ["Trygghetsrådet", "2024-03-14"],
        "page_numbers": [f"Sida {i} av {n}" for i in range(1, n + 1)],
        "footer": list(NUM_FOOTER),
    }
    return render(pdf, pages), expected


# ---------------------------------------------------------------------------
# 5c. table.pdf: a table with wrapped cells
# ---------------------------------------------------------------------------

TABLE_ROWS = [
    ("Åtgärd", "Ansvarig", "Klart"),
    ("Belysning i gångtunneln vid stationen byts ut", "Tekniska förvaltningen", "2024-04-30"),
    ("Trygghetsvandring i Kolbäck", "Säkerhetssamordnare", "2024-10-28"),
    ("Klotter saneras inom ett dygn efter anmälan", "Fastighetsavdelningen", "Löpande"),
]


def make_table(pdf) -> tuple[bytes, dict[str, Any]]:
    """A three-column table between two paragraphs; the first column's cells wrap."""
    page = Page()
    page.lines.append(Line(LEFT, 70.0, "Handlingsplan för trygghet 2024", bold=True, size=13))
    y = 110.0
    intro = "Rådet har enats om följande åtgärder för året. Uppföljning sker på varje möte."
    page.lines.append(Line(LEFT, y, intro))
    y += LEADING + PARA_GAP + 6
    cols = (LEFT, 280.0, 440.0)
    widths = (200.0, 150.0, RIGHT - 440.0)
    rows_out = []
    for r, row in enumerate(TABLE_ROWS):
        cells = [wrap(pdf, text, w, bold=(r == 0)) for text, w in zip(row, widths)]
        for c, parts in enumerate(cells):
            for i, part in enumerate(parts):
                page.lines.append(Line(cols[c], y + i * LEADING, part, bold=(r == 0)))
        rows_out.append([" ".join(parts) for parts in cells])
        y += max(len(p) for p in cells) * LEADING + 6
    y += PARA_GAP
    outro = "Nästa uppföljning sker den 12 juni."
    page.lines.append(Line(LEFT, y, outro))
    expected = {"pages": 1, "rows": rows_out, "intro": intro, "outro": outro}
    return render(pdf, [page]), expected


# ---------------------------------------------------------------------------
# 5c'. rotated.pdf: a page shown turned (/Rotate 90), its text upright on screen
# ---------------------------------------------------------------------------

ROTATED_LINES = [
    "Minnesanteckningar från trygghetsrådet, bilaga i liggande format.",
    "Belysningen vid stationen är utbytt.",
    "Nästa trygghetsvandring genomförs i oktober.",
]


def make_rotated(pdf) -> tuple[bytes, dict[str, Any]]:
    """Text drawn turned a quarter counter-clockwise on a page whose /Rotate is 90.

    A viewer shows the page turned back, so the text reads upright, as in
    scanned-and-OCR'd or landscape attachments. The reader must order the
    words as they are shown, not as they lie in PDF space.
    """
    import pypdfium2 as pdfium

    pdf.add_page(format=(A4_H, A4_W))
    pdf.set_font("DejaVu", "", 12)
    for i, text in enumerate(ROTATED_LINES):
        x = 100.0 + i * 20
        with pdf.rotation(90, x=x, y=520.0):
            pdf.text(x, 520.0, text)
    # Text placed beyond the page edge is never shown; a reader must not invent it.
    pdf.text(A4_H + 40.0, 300.0, "Osynlig text utanför sidan")
    doc = pdfium.PdfDocument(bytes(pdf.output()))
    doc[0].set_rotation(90)
    buf = io.BytesIO()
    doc.save(buf)
    doc.close()
    # PDFium writes a random second file /ID; repeat the first (same length, offsets unchanged).
    data = re.sub(rb"/ID\[<([0-9A-F]+)><[0-9A-F]+>\]", rb"/ID[<\1><\1>]", buf.getvalue())
    return data, {"pages": 1, "lines": ROTATED_LINES, "off_page": "Osynlig text utanför sidan"}


# ---------------------------------------------------------------------------
# 5d. selfref.pdf: an object that refers to itself (4 0 obj 4 0 R endobj)
# ---------------------------------------------------------------------------


def make_selfref() -> bytes:
    """A tiny PDF whose page resources are object 4, and object 4 is ``4 0 R``.

    pdfminer resolves such a chain forever; the reader must refuse the file
    promptly as corrupt. Written by hand: no PDF library writes this.
    """
    objs = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources 4 0 R/Contents 5 0 R>>",
        b"4 0 R",
    ]
    stream = b"BT /F1 12 Tf 72 720 Td (Trygghetsradet) Tj ET"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    offsets.append(len(out))
    out += b"5 0 obj\n<</Length %d>>\nstream\n%s\nendstream\nendobj\n" % (len(stream), stream)
    xref = len(out)
    out += b"xref\n0 6\n0000000000 65535 f \n"
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<</Size 6/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


# ---------------------------------------------------------------------------
# 6. scanned.pdf, 7. truncated.pdf / notpdf.pdf, encrypted.pdf
# ---------------------------------------------------------------------------


def make_scanned(pdf) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("L", (620, 877), 255)
    draw = ImageDraw.Draw(img)
    rng = random.Random(7)
    y = 60
    while y < 800:
        x1 = 60 + rng.randint(250, 500)
        draw.rectangle((60, y, x1, y + 6), fill=40)
        y += rng.choice((14, 14, 14, 30))
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    buf.seek(0)
    pdf.add_page()
    pdf.image(buf, x=0, y=0, w=A4_W, h=A4_H)
    return bytes(pdf.output())


def make_encrypted(pdf) -> bytes:
    pdf.set_encryption(owner_password="ägare", user_password="hemligt")
    page = Page([Line(LEFT, 100.0, "Sekretessbelagda minnesanteckningar från trygghetsrådet.")])
    return render(pdf, [page])


# ---------------------------------------------------------------------------
# 8. minutes.docx
# ---------------------------------------------------------------------------

DOCX_PARTICIPANTS = [
    ("Namn", "Roll", "Parti"),
    ("Anna Gunstad Bäckman", "ordförande", "C"),
    ("Hans Strandlund", "ledamot", "M"),
    ("Joar Larsson", "säkerhetssamordnare", ""),
]

DOCX_ITEMS = _texts("docx_items")


def make_docx() -> tuple[bytes, dict[str, Any]]:
    import docx

    document = docx.Document()
    props = document.core_properties
    props.title = "Trygghetsrådet 2023-03-14"
    props.author = "Anne Alamaa"
    props.created = dt.datetime(2023, 3, 15, 9, 30, 0)
    props.modified = dt.datetime(2023, 3, 15, 9, 30, 0)
    props.last_modified_by = "Anne Alamaa"
    props.revision = 1
    document.add_heading("Minnesanteckningar trygghetsrådet", level=1)
    document.add_paragraph("Datum och tid: 2023-03-14 klockan 17.30–19.00")
    document.add_paragraph("Deltagare:")
    table = document.add_table(rows=0, cols=3)
    for row in DOCX_PARTICIPANTS:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = value
    for heading, body in DOCX_ITEMS:
        document.add_heading(heading, level=2)
        document.add_paragraph(body)
    bold = document.add_paragraph()
    bold.add_run("Övrigt").bold = True
    document.add_paragraph("Inga övriga frågor.")
    document.add_paragraph("")  # an empty paragraph must not create a blank run
    document.add_paragraph("Vid tangenterna: Anne Alamaa")
    buf = io.BytesIO()
    document.save(buf)
    data = buf.getvalue()
    data = _fix_zip_dates(data)
    expected = {
        "front_matter": {"title": props.title, "author": props.author, "created": "2023-03-15T09:30:00"},
        "style_headings": ["Minnesanteckningar trygghetsrådet"] + [h for h, _ in DOCX_ITEMS],
        "bold_headings": ["Övrigt"],
        "table_rows": ["\t".join(r).rstrip("\t") for r in DOCX_PARTICIPANTS],
        "order": ["Minnesanteckningar trygghetsrådet", "Deltagare:", "Anna Gunstad Bäckman", "1. Mötets öppnande",
                  "Övrigt", "Inga övriga frågor.", "Vid tangenterna"],
    }
    return data, expected


def _fix_zip_dates(data: bytes) -> bytes:
    """Rewrite a zip with fixed member timestamps so output is reproducible."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            new = zipfile.ZipInfo(info.filename, date_time=(2023, 3, 15, 9, 30, 0))
            new.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(new, src.read(info.filename))
    return out.getvalue()


# ---------------------------------------------------------------------------


def main() -> None:
    """Write all fixtures and the expected.json files."""
    PDF_DIR.mkdir(parents=True, exist_ok=True)
    DOCX_DIR.mkdir(parents=True, exist_ok=True)
    expected: dict[str, Any] = {}
    for name, maker in (
        ("margin", make_margin),
        ("running_header", make_running_header),
        ("hyphenated", make_hyphenated),
        ("toc", make_toc),
        ("two_column", make_two_column),
        ("margin_numbers", make_margin_numbers),
        ("table", make_table),
        ("rotated", make_rotated),
    ):
        data, truth = maker(new_pdf())
        (PDF_DIR / f"{name}.pdf").write_bytes(data)
        expected[name] = truth
    (PDF_DIR / "scanned.pdf").write_bytes(make_scanned(new_pdf()))
    expected["scanned"] = {"error": "needs_ocr"}
    margin = (PDF_DIR / "margin.pdf").read_bytes()
    (PDF_DIR / "truncated.pdf").write_bytes(margin[: len(margin) // 2])
    expected["truncated"] = {"error": "corrupt_pdf"}
    (PDF_DIR / "notpdf.pdf").write_bytes(random.Random(42).randbytes(4096))
    expected["notpdf"] = {"error": "not_pdf"}
    (PDF_DIR / "encrypted.pdf").write_bytes(make_encrypted(new_pdf()))
    expected["encrypted"] = {"error": "encrypted"}
    (PDF_DIR / "selfref.pdf").write_bytes(make_selfref())
    expected["selfref"] = {"error": "corrupt_pdf"}
    (PDF_DIR / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    data, truth = make_docx()
    (DOCX_DIR / "minutes.docx").write_bytes(data)
    (DOCX_DIR / "corrupt.docx").write_bytes(data[: len(data) // 3])
    truth_all = {"minutes": truth, "corrupt": {"error": "corrupt_docx"}}
    (DOCX_DIR / "expected.json").write_text(json.dumps(truth_all, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for path in sorted([*PDF_DIR.iterdir(), *DOCX_DIR.iterdir()]):
        print(f"{path.relative_to(ROOT)}\t{path.stat().st_size} B")


if __name__ == "__main__":
    main()
