"""Generate the scanned-minutes fixtures for the OCR tests and bench.

Run from the project root::

    python tests/tools/make_scanned.py

Writes to ``tests/fixtures/scanned/`` (a folder of its own: the benches
that time the PDF reader over ``tests/fixtures/pdf/`` should not time OCR):

* ``scanned_minutes.pdf``: a two-page protocol of a trygghetsråd as a
  scanner makes it: each page is a grey-scale JPEG image (200 dpi, slightly
  skewed, with sensor noise), no text layer at all;
* ``mixed_minutes.pdf``: page 1 with a real text layer, page 2 the same
  kind of scanned image (an attachment scanned into a born-digital file);
* ``scanned_minutes.json``: the truth: every line drawn on every page of
  both files, and which page of the mixed file is the image.

The pages are drawn with DejaVu Sans (å, ä, ö and §), so the text is known
exactly and the OCR word error rate can be measured against it
(``bench/ocr.py``). Needs fpdf2, Pillow, numpy and the DejaVu fonts (Debian
``fonts-dejavu-core``). The output is deterministic: running the generator
twice gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PDF_DIR = ROOT / "tests" / "fixtures" / "scanned"
FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"), Path("/usr/local/share/fonts")]

A4_W, A4_H = 595.28, 841.89  # points
LEFT = 64.0
TOP = 70.0
BODY = 11.0
LEADING = 16.0
SCAN_DPI = 200
FIXED_DATE = dt.datetime(2021, 9, 20, 9, 0, 0, tzinfo=dt.timezone.utc)

#: One page is a list of ``(text, style)`` lines; style ``b`` bold, ``h`` a
#: larger bold title, ``""`` body, and an empty text a blank line.
PAGE_1 = [
    ("Hallstahammars kommun", "b"),
    ("PROTOKOLL", "h"),
    ("Trygghetsrådet", "b"),
    ("Sammanträdesdatum 2021-09-15", ""),
    ("", ""),
    ("Plats och tid: Kommunhuset, sal Kolbäcksån, kl. 13.00–15.30", ""),
    ("Beslutande: Anna Öberg (S), ordförande, Johan Ekström (M), Maria Håkansson (C)", ""),
    ("Övriga: Lars Sjögren, kommunpolis, Eva Lindqvist, säkerhetssamordnare", ""),
    ("Sekreterare: Karin Åström", ""),
    ("", ""),
    ("§ 1 Mötets öppnande", "b"),
    ("Ordföranden hälsade alla välkomna och förklarade mötet öppnat.", ""),
    ("", ""),
    ("§ 2 Val av justerare", "b"),
    ("Rådet beslutade att utse Johan Ekström att jämte ordföranden justera", ""),
    ("dagens protokoll.", ""),
    ("", ""),
    ("§ 3 Motorburen ungdom i centrum", "b"),
    ("Kommunpolisen rapporterade att ungdomar kör epa-traktorer och mopeder", ""),
    ("runt torget på fredagskvällarna och spelar hög musik. Boende vid", ""),
    ("Stationsgatan har klagat på buller och farlig körning. Polisen har", ""),
    ("genomfört tre kontroller sedan förra mötet.", ""),
    ("Rådet beslutade att säkerhetssamordnaren tillsammans med fritidsgården", ""),
    ("bjuder in ungdomarna till ett samtal om en alternativ träffpunkt.", ""),
]
PAGE_2 = [
    ("§ 4 Klotter vid Kvarnbacksskolan", "b"),
    ("Fastighetsavdelningen meddelade att klottret på skolans gavel har", ""),
    ("sanerats. Kostnaden uppgick till 18 500 kronor. Skolgårdsbelysningen", ""),
    ("ska förbättras före vintern, enligt förvaltningens förslag.", ""),
    ("Rådet beslutade att frågan följs upp vid nästa sammanträde.", ""),
    ("", ""),
    ("§ 5 Trygghetsvandring i Eriksberg", "b"),
    ("En trygghetsvandring genomfördes den 2 september med tjugo deltagare.", ""),
    ("Synpunkter gällde mörka gångtunnlar, buskage och trasiga lampor.", ""),
    ("Tekniska förvaltningen återkommer med en åtgärdsplan.", ""),
    ("", ""),
    ("§ 6 Nästa möte", "b"),
    ("Nästa sammanträde hålls den 17 november 2021 i kommunhuset.", ""),
    ("", ""),
    ("Vid protokollet", ""),
    ("Karin Åström", ""),
]
#: The mixed file: born-digital first page (text layer), scanned second page.
MIXED_TEXT_PAGE = PAGE_1
MIXED_IMAGE_PAGE = PAGE_2


def find_font(name: str) -> Path:
    """Return the path of a DejaVu TTF."""
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return folder / name
    raise SystemExit(f"Hittar inte {name} – installera fonts-dejavu-core (font not found)")


def _size(style: str) -> float:
    return 15.0 if style == "h" else BODY


def _font_file(style: str) -> str:
    return "DejaVuSans-Bold.ttf" if style in ("b", "h") else "DejaVuSans.ttf"


def _footer(number: int, total: int) -> str:
    return f"Sida {number} av {total}"


def scan_image(lines: list[tuple[str, str]], number: int, total: int, *, dpi: int = SCAN_DPI,
               skew: float = 0.35, noise: float = 6.0, seed: int = 1):
    """Draw a page as a scanner would deliver it.

    Args:
        lines: The page's lines.
        number: Page number (drawn in the footer).
        total: Page count (drawn in the footer).
        dpi: Scan resolution.
        skew: Rotation in degrees (a sheet never lies quite straight).
        noise: Standard deviation of the grey-level noise.
        seed: Seed of the noise (deterministic output).

    Returns:
        A grey-scale PIL image.
    """
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    scale = dpi / 72.0
    img = Image.new("L", (round(A4_W * scale), round(A4_H * scale)), 255)
    draw = ImageDraw.Draw(img)
    fonts: dict[tuple[str, float], ImageFont.FreeTypeFont] = {}

    def font(style: str) -> ImageFont.FreeTypeFont:
        key = (_font_file(style), _size(style))
        if key not in fonts:
            fonts[key] = ImageFont.truetype(str(find_font(key[0])), round(key[1] * scale))
        return fonts[key]

    y = TOP
    for text, style in lines:
        if text:
            draw.text((LEFT * scale, y * scale), text, font=font(style), fill=20)
        y += LEADING * (1.4 if style == "h" else 1.0)
    draw.text((LEFT * scale, (A4_H - 50) * scale), _footer(number, total), font=font(""), fill=20)
    img = img.rotate(skew, resample=Image.BICUBIC, fillcolor=255)
    rng = np.random.default_rng(seed)
    pixels = np.asarray(img, dtype=np.float32) + rng.normal(0.0, noise, (img.height, img.width))
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")


def _jpeg(img) -> io.BytesIO:
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=50, dpi=(SCAN_DPI, SCAN_DPI))
    buf.seek(0)
    return buf


def _new_pdf():
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", "", str(find_font("DejaVuSans.ttf")))
    pdf.add_font("DejaVu", "B", str(find_font("DejaVuSans-Bold.ttf")))
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_creator("radslag make_scanned")
    return pdf


def _add_scanned_page(pdf, lines, number: int, total: int) -> None:
    pdf.add_page()
    pdf.image(_jpeg(scan_image(lines, number, total, seed=number)), x=0, y=0, w=A4_W, h=A4_H)


def _add_text_page(pdf, lines, number: int, total: int) -> None:
    pdf.add_page()
    y = TOP
    for text, style in lines:
        size = _size(style)
        if text:
            pdf.set_font("DejaVu", "B" if style in ("b", "h") else "", size)
            pdf.text(LEFT, y + size * 0.93, text)  # text() takes the baseline; PIL draws from the ascent
        y += LEADING * (1.4 if style == "h" else 1.0)
    pdf.set_font("DejaVu", "", BODY)
    pdf.text(LEFT, A4_H - 50 + BODY * 0.93, _footer(number, total))


def scanned_pdf() -> bytes:
    """The two-page scanned protocol (images only)."""
    pdf = _new_pdf()
    for number, lines in enumerate((PAGE_1, PAGE_2), start=1):
        _add_scanned_page(pdf, lines, number, 2)
    return bytes(pdf.output())


def mixed_pdf() -> bytes:
    """Page 1 with a text layer, page 2 a scanned image."""
    pdf = _new_pdf()
    _add_text_page(pdf, MIXED_TEXT_PAGE, 1, 2)
    _add_scanned_page(pdf, MIXED_IMAGE_PAGE, 2, 2)
    return bytes(pdf.output())


def truth() -> dict:
    """What was drawn: the lines of each page (footers included)."""

    def page(lines, number):
        return [text for text, _ in lines if text] + [_footer(number, 2)]

    return {
        "dpi": SCAN_DPI,
        "scanned_minutes": {"pages": [page(PAGE_1, 1), page(PAGE_2, 2)], "image_pages": [1, 2]},
        "mixed_minutes": {"pages": [page(MIXED_TEXT_PAGE, 1), page(MIXED_IMAGE_PAGE, 2)], "image_pages": [2]},
    }


def error_rate(reference: list[str] | str, hypothesis: list[str] | str) -> float:
    """Levenshtein distance between two word lists (or strings) over the reference length:
    the word (or character) error rate the OCR tests and bench/ocr.py report against :func:`truth`."""
    prev = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, 1):
        cur = [i] + [0] * len(hypothesis)
        for j, hyp in enumerate(hypothesis, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ref != hyp))
        prev = cur
    return prev[-1] / max(1, len(reference))


def main() -> None:
    PDF_DIR.mkdir(parents=True, exist_ok=True)
    (PDF_DIR / "scanned_minutes.pdf").write_bytes(scanned_pdf())
    (PDF_DIR / "mixed_minutes.pdf").write_bytes(mixed_pdf())
    (PDF_DIR / "scanned_minutes.json").write_text(
        json.dumps(truth(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"wrote scanned_minutes.pdf, mixed_minutes.pdf and scanned_minutes.json to {PDF_DIR}", file=sys.stderr)


if __name__ == "__main__":
    main()
