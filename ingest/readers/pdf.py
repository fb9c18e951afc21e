"""Layout-aware PDF reader built on pdfplumber.

Municipal minutes are laid out for print, so the reader looks at where words
sit on the page rather than at the raw text stream:

* **Running headers, footers and page numbers** are found geometrically: rows
  in the top or bottom band of a page whose text (page number removed) repeats
  on at least half of the pages. The header on the first page is kept once
  (it usually names the body and the kind of document, which metadata
  extraction needs); every later copy and every footer copy is dropped. Page
  numbers ("2 (110)", "Sida 2 av 9", bare "3") are dropped on every page.
* **Margin headings** (a narrow left column beside the body text, as in
  Hallstahammar's minutes) are detected from word x-positions and emitted as
  their own line immediately before the paragraph they sit beside. Short
  form labels in that column ("Plats och tid", "Nästa möte") stay on the row
  of their value, separated by a tab.
* **Two-column pages** are read left column first, then right column, when
  a clear vertical gutter is found.
* **Paragraph breaks** come from vertical spacing and become blank lines;
  hyphenated line breaks are joined ("förvalt-" + "ningen"), while real
  hyphens ("Barn- och", "2025-00013", "IT-avdelningen") are kept.

The text is built piece by piece, each line normalised with
:func:`ingest.normalize.normalize_text`, so page spans and heading offsets are
exact offsets into ``Document.text``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from radslag.errors import IngestError
from radslag.types import Document, Heading, PageSpan

logger = logging.getLogger(__name__)

#: Fraction of the page height that counts as the header/footer band.
_BAND = 0.22
#: Rows looked at in each band.
_BAND_ROWS = 6
#: A row repeated on at least this share of pages is a running line.
_REPEAT_SHARE = 0.5

_PAGE_NUMBER_RES = [
    re.compile(r"^\d{1,4}\s*\(\s*\d{1,4}\s*\)$"),  # 2 (110)
    re.compile(r"^(sida|sid\.?|s\.|page|p\.)\s*\d{1,4}(\s*(av|of|/|\()\s*\d{1,4}\)?)?$", re.I),
    re.compile(r"^\d{1,4}\s*(/|av|of)\s*\d{1,4}$", re.I),  # 2/9, 2 av 9
    re.compile(r"^[-–—]?\s*\d{1,4}\s*[-–—]?$"),  # 3, - 3 -
]

#: Words that, in the left column, are form labels rather than item headings.
_LABELS = {
    "datum", "tid", "datum och tid", "tid och plats", "plats", "plats och tid", "lokal", "mötestid",
    "mötesplats", "sammanträdesdatum", "närvarande", "närvarande ledamöter", "deltagare",
    "deltagande", "ledamöter", "ersättare", "tjänstgörande ersättare", "beslutande", "övriga",
    "övriga närvarande", "övriga deltagare", "frånvarande", "anmält förhinder", "förhinder",
    "sekreterare", "ordförande", "vice ordförande", "justerare", "justerande", "justering",
    "protokolljusterare", "utses att justera", "justeringens plats och tid", "gäster",
    "inbjudna", "tjänstepersoner", "tjänstemän", "förtroendevalda", "paragrafer", "paragraf",
    "nästa möte", "nästa sammanträde", "underskrifter", "underskrift", "organ", "dnr",
    "diarienummer", "vid tangenterna", "antecknare", "mötesanteckningar", "anteckningar",
    "sign", "signatur", "bilaga", "bilagor", "kopia till", "för kännedom",
}
_LABEL_PREFIXES = ("plats och tid", "datum och tid", "justeringens", "underskrift", "närvarande")

_CONJUNCTIONS = {"och", "eller", "samt", "respektive", "resp.", "till", "&", "o.", "som", "resp"}
_SENTENCE_END = tuple(".!?:;")


# ---------------------------------------------------------------------------
# Geometry records
# ---------------------------------------------------------------------------


@dataclass
class _Seg:
    """A horizontally contiguous run of words on one row."""

    words: list[dict[str, Any]]

    @property
    def x0(self) -> float:
        return self.words[0]["x0"]

    @property
    def x1(self) -> float:
        return self.words[-1]["x1"]

    @property
    def top(self) -> float:
        return min(w["top"] for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w["bottom"] for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w["text"] for w in self.words)

    @property
    def bold(self) -> bool:
        return all(_is_bold(w.get("fontname", "")) for w in self.words)

    @property
    def size(self) -> float:
        return statistics.median(float(w.get("size") or (w["bottom"] - w["top"])) for w in self.words)


@dataclass
class _Row:
    """Words sharing a baseline, split into segments at wide gaps."""

    segs: list[_Seg]
    header: bool = False  # a running header kept on the first page

    @property
    def top(self) -> float:
        return min(s.top for s in self.segs)

    @property
    def bottom(self) -> float:
        return max(s.bottom for s in self.segs)

    @property
    def x0(self) -> float:
        return self.segs[0].x0

    @property
    def x1(self) -> float:
        return self.segs[-1].x1

    @property
    def text(self) -> str:
        return "\t".join(s.text for s in self.segs)

    @property
    def bold(self) -> bool:
        return all(s.bold for s in self.segs)

    @property
    def size(self) -> float:
        return statistics.median(s.size for s in self.segs)

    @property
    def words(self) -> list[dict[str, Any]]:
        return [w for s in self.segs for w in s.words]


@dataclass
class _Line:
    """One output line with its layout facts.

    Attributes:
        text: The raw text (before normalisation).
        top: Top of the line on its page.
        bottom: Bottom of the line on its page.
        size: Font size.
        bold: Whether the whole line is bold.
        kind: ``body`` or ``margin`` (a margin heading).
        new_para: Force a paragraph break before this line.
        flow_break: The line follows a jump in reading order (column or
            page change); spacing says nothing about paragraphs there.
    """

    text: str
    top: float
    bottom: float
    size: float
    bold: bool = False
    kind: str = "body"
    new_para: bool = False
    flow_break: bool = False


@dataclass
class _PageOut:
    number: int
    lines: list[_Line] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Public entry point
# ---------------------------------------------------------------------------


def read_pdf(path: Path, source: str) -> Document:
    """Read a PDF into a :class:`Document` with layout-derived structure.

    Args:
        path: The PDF file.
        source: The source label to store in the document.

    Returns:
        The document: normalised text, one :class:`PageSpan` per page,
        margin and bold headings with offsets, PDF info in ``front_matter``
        (``title``, ``author``, ``created`` when present, plus
        ``page_header``: the running header lines that were removed).

    Raises:
        IngestError: ``io``/``permission`` when the file cannot be read,
            ``empty`` for an empty file, ``not_pdf`` when the bytes are not a
            PDF, ``corrupt_pdf`` when it is truncated or broken,
            ``encrypted`` when it needs a password and ``needs_ocr`` when no
            page has a text layer.
    """
    path = Path(path)
    data = _read_bytes(path)
    content_hash = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise IngestError("empty", f"Tom fil: {path.name} (empty file)")
    head = data[:1024]
    if b"%PDF-" not in head:
        raise IngestError(
            "not_pdf",
            f"Filen {path.name} är ingen PDF (saknar %PDF-huvud) (not a PDF: no %PDF header)",
        )
    if b"%%EOF" not in data.rstrip(b"\x00\r\n\t\f ")[-2048:]:
        raise IngestError(
            "corrupt_pdf",
            f"PDF-filen {path.name} är avkortad eller skadad (saknar %%EOF) – hämta den igen "
            "(truncated or damaged PDF: no %%EOF at the end; download it again)",
        )

    warnings: list[str] = []
    try:
        pages_rows, n_images, info, dropped_rotated = _extract(data)
    except IngestError:
        raise
    except Exception as exc:  # pdfminer raises many exception types
        raise _classify_error(exc, path) from None

    if not pages_rows:
        raise IngestError(
            "corrupt_pdf",
            f"PDF-filen {path.name} har inga sidor som går att läsa (corrupt PDF: no readable pages)",
        )
    total_words = sum(len(r.words) for rows in pages_rows for r in rows)
    if total_words == 0:
        raise IngestError(
            "needs_ocr",
            f"Skannad PDF utan textlager – OCR behövs: {path.name}. Kör till exempel "
            "ocrmypdf -l swe (kräver paketet tesseract-ocr-swe) och läs in resultatet "
            "(scanned PDF without text layer: OCR needed, e.g. ocrmypdf -l swe with tesseract-ocr-swe)",
        )
    for number, rows in enumerate(pages_rows, 1):
        if not rows and n_images[number - 1]:
            warnings.append(
                f"Sida {number} saknar textlager och har bara bild – OCR behövs för den sidan "
                f"(page {number} has no text layer)"
            )
    for number in dropped_rotated:
        warnings.append(f"Roterad text på sida {number} utelämnad (rotated text on page {number} left out)")

    pages_rows, header_lines = _strip_running(pages_rows, info["heights"])
    pages_out = [
        _layout_page(number, rows, info["widths"][number - 1])
        for number, rows in enumerate(pages_rows, 1)
    ]
    _mark_paragraphs([p.lines for p in pages_out])
    text, spans, headings = _assemble(pages_out)
    if "(cid:" in text:
        warnings.append(
            "Texten innehåller okodade tecken (cid:…) – PDF:ens typsnitt saknar teckentabell, "
            "OCR kan ge bättre text (unmapped glyphs in the PDF font)"
        )
    letters = sum(ch.isalpha() for ch in text)
    if letters < 40 * len(pages_out) and sum(n_images) >= len(pages_out):
        raise IngestError(
            "needs_ocr",
            f"Skannad PDF med nästan inget textlager – OCR behövs: {path.name} "
            "(installera tesseract-ocr-swe och kör ocrmypdf -l swe) "
            "(scanned PDF with almost no text layer: OCR needed)",
        )

    front: dict[str, Any] = {}
    for key, value in info["meta"].items():
        front[key] = value
    if header_lines:
        front["page_header"] = header_lines
    return Document(
        source=source,
        text=text,
        reader="pdf",
        content_hash=content_hash,
        size=len(data),
        pages=spans,
        headings=headings,
        front_matter=front,
        encoding=None,
        warnings=warnings,
    )


# ---------------------------------------------------------------------------
# Reading and error classification
# ---------------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except PermissionError as exc:
        raise IngestError("permission", f"Saknar läsrättighet för {path} (permission denied)") from exc
    except OSError as exc:
        raise IngestError("io", f"Kan inte läsa {path}: {exc} (cannot read file)") from exc


def _classify_error(exc: BaseException, path: Path) -> IngestError:
    """Turn a pdfminer/pdfplumber exception into an :class:`IngestError`."""
    chain: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and len(chain) < 6:
        chain.append(cur)
        inner = cur.args[0] if cur.args and isinstance(cur.args[0], BaseException) else None
        cur = inner or cur.__cause__ or cur.__context__
    names = {type(e).__name__ for e in chain}
    if names & {"PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning",
                "PDFTextExtractionNotAllowed"}:
        return IngestError(
            "encrypted",
            f"PDF-filen {path.name} är krypterad och kräver lösenord – spara en olåst kopia "
            "(encrypted PDF: a password is needed; save an unlocked copy)",
        )
    detail = str(chain[-1])[:200]
    return IngestError(
        "corrupt_pdf",
        f"PDF-filen {path.name} är skadad och kan inte läsas ({detail}) "
        "(corrupt PDF: cannot be parsed)",
    )


def _extract(data: bytes) -> tuple[list[list[_Row]], list[int], dict[str, Any], list[int]]:
    """Open the PDF and return rows per page, image counts and document info."""
    import pdfplumber

    pages_rows: list[list[_Row]] = []
    n_images: list[int] = []
    heights: list[float] = []
    widths: list[tuple[float, float]] = []
    dropped: list[int] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        meta = _pdf_meta(pdf.metadata or {})
        for page in pdf.pages:
            words = page.dedupe_chars().extract_words(
                extra_attrs=["fontname", "size"], keep_blank_chars=False, use_text_flow=False
            )
            upright = [w for w in words if w.get("upright", True)]
            if upright and len(upright) < len(words):
                dropped.append(page.page_number)
                words = upright
            elif not upright and words:
                # A page set entirely in rotated text: keep it in stream order.
                words = sorted(words, key=lambda w: (round(w["x0"]), -w["bottom"]))
            words = [w for w in words if w["text"].strip()]
            pages_rows.append(_rows(words))
            n_images.append(len(page.images))
            heights.append(float(page.height))
            widths.append((float(page.bbox[0]), float(page.bbox[2])))
            page.flush_cache()
            page.close()
    return pages_rows, n_images, {"meta": meta, "heights": heights, "widths": widths}, dropped


def _pdf_meta(raw: dict[str, Any]) -> dict[str, Any]:
    """Pick title, author and creation date from the PDF info dictionary."""
    out: dict[str, Any] = {}
    for key, name in (("Title", "title"), ("Author", "author")):
        value = raw.get(key)
        if isinstance(value, bytes):
            value = value.decode("latin-1", "replace")
        if isinstance(value, str) and value.strip():
            out[name] = value.strip()
    created = raw.get("CreationDate")
    if isinstance(created, bytes):
        created = created.decode("latin-1", "replace")
    if isinstance(created, str):
        m = re.match(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?", created.strip())
        if m:
            try:
                parts = [int(p) if p else d for p, d in zip(m.groups(), (0, 1, 1, 0, 0, 0))]
                out["created"] = dt.datetime(*parts).isoformat()
            except ValueError:
                pass
    return out


# ---------------------------------------------------------------------------
# Words -> rows -> segments
# ---------------------------------------------------------------------------


def _is_bold(fontname: str) -> bool:
    name = fontname.lower()
    return any(tag in name for tag in ("bold", "black", "heavy", "semibold", "demi"))


def _rows(words: list[dict[str, Any]]) -> list[_Row]:
    """Group words into rows by vertical position and split rows at wide gaps."""
    rows: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        height = max(word["bottom"] - word["top"], 1.0)
        placed = False
        for row in reversed(rows[-3:]):
            ref = row[0]
            ref_h = max(ref["bottom"] - ref["top"], 1.0)
            if abs(word["top"] - ref["top"]) <= 0.45 * min(height, ref_h) and abs(
                word["bottom"] - ref["bottom"]
            ) <= 0.6 * max(height, ref_h):
                row.append(word)
                placed = True
                break
        if not placed:
            rows.append([word])
    out: list[_Row] = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        segs: list[_Seg] = []
        for word in row:
            size = float(word.get("size") or (word["bottom"] - word["top"]))
            if segs and word["x0"] - segs[-1].x1 <= max(1.6 * size, 12.0):
                segs[-1].words.append(word)
            else:
                segs.append(_Seg([word]))
        out.append(_Row(segs))
    out.sort(key=lambda r: (r.top, r.x0))
    return out


# ---------------------------------------------------------------------------
# Running headers, footers and page numbers
# ---------------------------------------------------------------------------


def _is_page_number(text: str) -> bool:
    text = " ".join(text.split())
    return any(rx.match(text) for rx in _PAGE_NUMBER_RES)


def _row_key(row: _Row) -> str:
    """The row text without page-number segments, folded for comparison."""
    parts = [s.text for s in row.segs if not _is_page_number(s.text)]
    return " ".join(" ".join(parts).split()).casefold()


def _strip_running(
    pages_rows: list[list[_Row]], heights: list[float]
) -> tuple[list[list[_Row]], list[str]]:
    """Remove running headers/footers and page numbers from every page.

    Returns:
        The cleaned rows per page and the distinct header lines removed.
    """
    n = len(pages_rows)
    bands: list[tuple[set[int], set[int]]] = []
    tops: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for page_idx, (rows, height) in enumerate(zip(pages_rows, heights)):
        top_idx = {i for i, r in enumerate(rows[:_BAND_ROWS]) if r.top < _BAND * height}
        bottom_idx = {
            i for i in range(max(0, len(rows) - _BAND_ROWS), len(rows)) if rows[i].bottom > (1 - _BAND) * height
        }
        bands.append((top_idx, bottom_idx))
        for zone, idx in (("top", top_idx), ("bottom", bottom_idx)):
            for i in idx:
                key = _row_key(rows[i])
                if key:
                    # Footers are measured from the page bottom (page sizes may differ).
                    y = rows[i].top if zone == "top" else height - rows[i].top
                    tops.setdefault((zone, key), []).append((page_idx, y))
    need = max(2, math.ceil(_REPEAT_SHARE * n))

    def is_running(zone: str, key: str, y: float) -> bool:
        seen = tops.get((zone, key), [])
        if n < 2 or len({p for p, _ in seen}) < need:
            return False
        mode = Counter(round(v / 2) for _, v in seen).most_common(1)[0][0] * 2
        pages_at = {p for p, v in seen if abs(v - mode) <= 4}
        return len(pages_at) >= need and abs(y - mode) <= 4

    header_lines: list[str] = []
    cleaned: list[list[_Row]] = []
    for page_idx, (rows, (top_idx, bottom_idx)) in enumerate(zip(pages_rows, bands)):
        keep: list[_Row] = []
        for i, row in enumerate(rows):
            in_band = i in top_idx or i in bottom_idx
            if not in_band:
                keep.append(row)
                continue
            key = _row_key(row)
            if not key:  # only a page number
                continue
            zone = "top" if i in top_idx else "bottom"
            y = row.top if zone == "top" else heights[page_idx] - row.top
            running = is_running(zone, key, y)
            segs = [s for s in row.segs if not _is_page_number(s.text)]
            if running and i in top_idx:
                plain = " ".join(s.text for s in segs)
                if plain not in header_lines:
                    header_lines.append(plain)
                if page_idx == 0:
                    keep.append(_Row(segs, header=True))
                continue
            if running:
                continue
            keep.append(_Row(segs) if len(segs) != len(row.segs) else row)
        cleaned.append(keep)
    return cleaned, header_lines


# ---------------------------------------------------------------------------
# Page layout: columns, margin headings, paragraphs
# ---------------------------------------------------------------------------


def _layout_page(number: int, rows: list[_Row], xspan: tuple[float, float]) -> _PageOut:
    """Turn the rows of one page into ordered output lines."""
    out = _PageOut(number)
    if not rows:
        return out
    gutter = _find_gutter(rows)
    if gutter is not None:
        out.lines = _two_column_lines(rows, gutter)
    else:
        out.lines = _single_column_lines(rows)
    return out


def _find_gutter(rows: list[_Row]) -> tuple[float, float] | None:
    """Find a vertical gutter splitting the page into two text columns.

    A gutter is an x-range crossed by few rows, with many rows having text on
    both sides, where the lines on each side mostly fill their column (that
    rules out label/value tables and margin headings).
    """
    if len(rows) < 6:
        return None
    x0 = min(r.x0 for r in rows)
    x1 = max(r.x1 for r in rows)
    width = x1 - x0
    if width < 200:
        return None
    start, stop = int(x0 + 0.25 * width), int(x1 - 0.25 * width)
    occupancy = [0] * (stop - start + 1)
    for row in rows:
        for w in row.words:
            lo, hi = max(start, int(w["x0"]) - 1), min(stop, int(math.ceil(w["x1"])) + 1)
            for x in range(lo, hi + 1):
                occupancy[x - start] += 1
    limit = max(1, int(0.2 * len(rows)))
    runs: list[tuple[int, int]] = []
    run_start = None
    for i, count in enumerate(occupancy + [limit + 1]):
        if count <= limit and run_start is None:
            run_start = i
        elif count > limit and run_start is not None:
            runs.append((start + run_start, start + i - 1))
            run_start = None
    best = None
    for lo, hi in runs:
        if hi - lo < 8:
            continue
        left = [r for r in rows if any(w["x1"] <= lo + 1 for w in r.words)]
        right = [r for r in rows if any(w["x0"] >= hi - 1 for w in r.words)]
        if len(left) < 0.3 * len(rows) or len(right) < 0.3 * len(rows):
            continue
        left_fill = [max(w["x1"] for w in r.words if w["x1"] <= lo + 1) for r in left]
        right_fill = [max(w["x1"] for w in r.words if w["x0"] >= hi - 1) for r in right]
        left_w, right_w = lo - x0, x1 - hi
        if left_w < 0.3 * width or right_w < 0.3 * width:
            continue
        full_left = sum(f - x0 >= 0.7 * left_w for f in left_fill) / len(left_fill)
        full_right = sum(f - hi >= 0.7 * right_w for f in right_fill) / len(right_fill)
        if full_left < 0.5 or full_right < 0.5:
            continue
        if best is None or hi - lo > best[1] - best[0]:
            best = (float(lo), float(hi))
    return best


def _line_from_words(words: list[dict[str, Any]]) -> _Line:
    row = _rows(words)[0] if words else None
    assert row is not None
    return _Line(row.text, row.top, row.bottom, row.size, row.bold and _has_letters(row.text))


def _two_column_lines(rows: list[_Row], gutter: tuple[float, float]) -> list[_Line]:
    """Order a two-column page: spanning rows in place, each band left then right."""
    lo, hi = gutter
    lines: list[_Line] = []
    left: list[_Line] = []
    right: list[_Line] = []

    def flush() -> None:
        for i, line in enumerate(right):
            if i == 0 and left:
                line.flow_break = True
        lines.extend(left)
        lines.extend(right)
        left.clear()
        right.clear()

    mid = (lo + hi) / 2
    for row in rows:
        words = row.words
        if any(w["x0"] < mid - 2 and w["x1"] > mid + 2 for w in words):
            flush()
            lines.append(_Line(row.text, row.top, row.bottom, row.size, row.bold and not row.header))
            continue
        lw = [w for w in words if (w["x0"] + w["x1"]) / 2 < mid]
        rw = [w for w in words if (w["x0"] + w["x1"]) / 2 >= mid]
        if lw:
            left.append(_line_from_words(lw))
        if rw:
            right.append(_line_from_words(rw))
    flush()
    return lines


def _has_letters(text: str) -> bool:
    return sum(ch.isalpha() for ch in text) >= 2


def _is_label(text: str) -> bool:
    plain = " ".join(text.split()).rstrip(":").strip().casefold()
    if text.rstrip().endswith(":"):
        return True
    return plain in _LABELS or plain.startswith(_LABEL_PREFIXES)


def _single_column_lines(rows: list[_Row]) -> list[_Line]:
    """Lines of a one-column page, with margin headings pulled out of the flow."""
    body_left = _body_left(rows)
    margin_blocks: list[list[_Seg]] = []
    body_rows: list[_Row] = []
    margin_ok = body_left is not None
    for idx, row in enumerate(rows):
        first = row.segs[0]
        if (
            not row.header
            and margin_ok
            and body_left is not None
            and first.x1 <= body_left - 15
            and first.x0 <= body_left - 40
            and _is_margin_heading(first, idx, rows, body_left)
        ):
            if margin_blocks and _continues_block(margin_blocks[-1][-1], first):
                margin_blocks[-1].append(first)
            else:
                margin_blocks.append([first])
            rest = row.segs[1:]
            if rest:
                body_rows.append(_Row(rest))
            continue
        body_rows.append(row)
    lines = [
        _Line(r.text, r.top, r.bottom, r.size, r.bold and not r.header and _has_letters(r.text)) for r in body_rows
    ]
    for block in margin_blocks:
        text = _join_heading_lines([s.text for s in block])
        top = block[0].top
        heading = _Line(
            text, top, block[-1].bottom, block[0].size, all(s.bold for s in block), kind="margin", new_para=True
        )
        slack = 0.5 * block[0].size
        pos = next((i for i, ln in enumerate(lines) if ln.kind == "body" and ln.top >= top - slack), len(lines))
        lines.insert(pos, heading)
        if pos + 1 < len(lines):
            lines[pos + 1].new_para = True
    return lines


def _body_left(rows: list[_Row]) -> float | None:
    """The x where most body lines start (4 pt bins), or None if unclear."""
    bins = Counter(round(seg.x0 / 4) for r in rows for seg in r.segs if len(seg.text) >= 3)
    if not bins:
        return None
    (best, count), = bins.most_common(1)
    if count < 3:
        return None
    xs = [seg.x0 for r in rows for seg in r.segs if round(seg.x0 / 4) == best]
    return min(xs)


def _is_margin_heading(seg: _Seg, idx: int, rows: list[_Row], body_left: float) -> bool:
    """Decide whether a left-column segment is a heading (not a label or a full-width line)."""
    text = seg.text.strip()
    if not any(ch.isalnum() for ch in text) or _is_page_number(text):
        return False
    if ":" in text.rstrip(":") or _is_label(text):
        return False
    # A short line inside a block of full-width lines starting at the same x is
    # just a short line (e.g. "Plats: Teams" in the meeting facts).
    for j in (idx - 1, idx + 1):
        if 0 <= j < len(rows):
            other = rows[j]
            near = abs(other.top - rows[idx].top) <= 2.2 * seg.size
            if near and abs(other.segs[0].x0 - seg.x0) <= 4 and other.segs[0].x1 > body_left + 10:
                return False
    return True


def _continues_block(prev: _Seg, cur: _Seg) -> bool:
    return abs(cur.x0 - prev.x0) <= 12 and cur.top - prev.bottom <= 0.9 * prev.size


def _join_heading_lines(parts: list[str]) -> str:
    text = parts[0].strip()
    for part in parts[1:]:
        joined = _join_hyphen(text, part.strip())
        text = joined if joined is not None else f"{text} {part.strip()}"
    return text


def _mark_paragraphs(pages: list[list[_Line]]) -> None:
    """Set ``new_para`` where the vertical gap or the weight changes.

    The normal gap between lines of a paragraph is taken as the lower
    quartile of all gaps in the document, so pages with many short paragraphs
    do not make paragraph spacing look normal.
    """
    gaps = sorted(
        b.top - a.bottom
        for lines in pages
        for a, b in zip(lines, lines[1:])
        if not b.flow_break and a.kind == b.kind == "body" and b.top > a.top
    )
    typical = gaps[len(gaps) // 4] if gaps else 2.0
    for lines in pages:
        _mark_page_paragraphs(lines, typical)


def _mark_page_paragraphs(lines: list[_Line], typical: float) -> None:
    for prev, line in zip(lines, lines[1:]):
        if line.new_para or line.flow_break:
            continue
        if line.kind == "margin" or prev.kind == "margin":
            line.new_para = True
            continue
        gap = line.top - prev.bottom
        if line.top < prev.top - 1:  # reading order jumped up
            line.new_para = True
        elif gap > typical + 0.4 * min(prev.size, line.size) and gap > 0.25 * prev.size:
            line.new_para = True
        elif prev.bold != line.bold:
            line.new_para = True
        elif abs(prev.size - line.size) > 1.5:
            line.new_para = True


# ---------------------------------------------------------------------------
# Hyphenation
# ---------------------------------------------------------------------------


def _join_hyphen(prev: str, nxt: str) -> str | None:
    """Join two lines if ``prev`` ends in a hyphen, else return None.

    Returns the joined text: hyphen removed for a word split by the line break
    ("förvalt-" + "ningen"), hyphen kept for compounds and codes ("Barn-" +
    "och ...", "2025-" + "00013", "IT-" + "avdelningen", "Covid-" + "19").
    """
    if not prev.endswith("-") or len(prev) < 2 or not nxt:
        return None
    before = prev[-2]
    if not before.isalnum():
        return None
    first = nxt.split()[0]
    last = prev.split()[-1][:-1]
    if first.casefold() in _CONJUNCTIONS or nxt[0] in ",;":
        return f"{prev} {nxt}" if nxt[0] not in ",;" else prev + nxt
    if nxt[0].isdigit() or nxt[0].isupper():
        return prev + nxt
    if len(last) == 1 or (len(last) >= 2 and last.isupper()) or any(ch.isdigit() for ch in last):
        return prev + nxt
    if "-" in last:  # "Covid-19-" + "pandemin" keeps the hyphen chain
        return prev + nxt
    if nxt[0].islower():
        return prev[:-1] + nxt
    return None


# ---------------------------------------------------------------------------
# Assembly: build the final text and offsets
# ---------------------------------------------------------------------------


def _normalizer() -> Callable[[str], str]:
    from ingest.normalize import normalize_text

    return normalize_text


def _clean_line(text: str, normalize: Callable[[str], str]) -> tuple[str, bool]:
    """Normalise one line; return it and whether it ends in a hyphen break."""
    raw = text.rstrip()
    soft = raw.endswith(("\u00ad", "\u2010"))
    if soft:
        raw = raw[:-1] + "-"
    cleaned = normalize(raw).strip("\n")
    cleaned = "\n".join(part.strip() for part in cleaned.split("\n")).strip()
    return cleaned, cleaned.endswith("-")


def _assemble(pages: list[_PageOut]) -> tuple[str, list[PageSpan], list[Heading]]:
    """Build the document text, page spans and headings from ordered lines."""
    normalize = _normalizer()
    buf: list[str] = []
    length = 0
    page_starts: dict[int, int] = {}
    headings: list[Heading] = []
    current: str | None = None  # the line being built (not yet in buf)
    current_start = 0
    current_heading: tuple[str, str] | None = None  # (source, text) of the current line

    def flush_current() -> None:
        nonlocal current, length, current_heading
        if current is None:
            return
        buf.append(current)
        if current_heading is not None:
            source, text = current_heading
            if current == text:
                headings.append(Heading(text=text, start=current_start, end=current_start + len(text), source=source))
        length += len(current)
        current = None
        current_heading = None

    last_line: _Line | None = None
    for page in pages:
        page_has_text = False
        for idx, line in enumerate(page.lines):
            text, _ = _clean_line(line.text, normalize)
            if not text:
                continue
            heading_source = "margin" if line.kind == "margin" else ("bold" if line.bold else None)
            para_break = line.new_para
            if idx == 0 and last_line is not None:
                para_break = line.kind == "margin" or not _continues(last_line, line, current or "")
            elif idx > 0 and last_line is not None and line.flow_break:
                para_break = not _continues(last_line, line, current or "")
            if current is not None and not para_break and heading_source != "margin":
                joined = _join_hyphen(current, text)
                if joined is not None:
                    if not page_has_text:
                        page_starts[page.number] = current_start + len(joined) - len(text)
                        page_has_text = True
                    current = joined
                    current_heading = None
                    last_line = line
                    continue
            if current is not None:
                flush_current()
                sep = "\n\n" if para_break else "\n"
                buf.append(sep)
                length += len(sep)
            current = text
            current_start = length
            current_heading = (heading_source, text) if heading_source else None
            if not page_has_text:
                page_starts[page.number] = current_start
                page_has_text = True
            last_line = line
    flush_current()
    text = "".join(buf)
    spans: list[PageSpan] = []
    numbers = [p.number for p in pages]
    starts: list[int] = []
    for number in numbers:
        starts.append(page_starts.get(number, -1))
    # Pages without text get an empty span at the start of the next page.
    resolved: list[int] = []
    nxt = len(text)
    for start in reversed(starts):
        nxt = start if start >= 0 else nxt
        resolved.append(nxt)
    resolved.reverse()
    if resolved:
        resolved[0] = 0
    for i, number in enumerate(numbers):
        end = resolved[i + 1] if i + 1 < len(resolved) else len(text)
        spans.append(PageSpan(number=number, start=resolved[i], end=end))
    return text, spans, headings


def _continues(prev: _Line, line: _Line, prev_text: str) -> bool:
    """Whether ``line`` continues the paragraph of ``prev`` across a page or column jump."""
    if line.kind == "margin" or prev.kind == "margin" or line.bold or prev.bold:
        return False
    tail = prev_text.rstrip()
    if not tail:
        return False
    if tail.endswith("-"):
        return True
    head = line.text.lstrip()
    if not head:
        return False
    return head[0].islower() or tail.endswith(",")
