"""Page furniture: running headers and footers, page numbers, signature boxes.

Everything here is learnt from the document itself, never from one
template's phrases:

* **Running lines** are rows in the top or bottom band of a page whose text
  comes back, at the same height, on a good share of the pages. Rows are
  compared with dates and the page's own number masked, so "Sida 4 av 12" and
  "Sida 5 av 12" compare equal while "§ 33 2026.007 BUN" at the top of one page
  and "§ 34 2026.134 BUN" at the top of the next do not. A signature box that
  is drawn on every page ("Justerandes sign", "Utdragsbestyrkande") is
  furniture because it repeats, not because of its words.
* **Page numbers** are band segments in a page-number form ("2 (110)",
  "Sida 4 av 12", "4/12", "1 [15]", "- 3 -", "Page 3") or bare numbers that
  run in step with the page index ("4" on page 4, or "2" on page 3 when the
  cover is unnumbered), learnt per band from the document.

On the first page a running header is kept once as text: it usually names the
body and the kind of document, which metadata extraction needs. Everything
removed is reported per page, so ``radslag inspect`` can show it and the
metadata extractor can read dates from it.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from ingest.normalize import BARE_NUMBER, DATE_LIKE
from ingest.readers.pdf.geometry import Row, Seg

#: Fraction of the page height that counts as the header/footer band.
BAND = 0.22
#: Rows looked at in each band.
BAND_ROWS = 8
#: A row repeated (same masked text, same height) on this share of the pages is running.
REPEAT_SHARE = 0.4
#: Height tolerance (points) for "the same place on the page".
Y_TOLERANCE = 4.0

#: Unambiguous page-number forms (the first number is the page, a second one the total).
_PAGE_FORMS = [
    re.compile(r"^\d{1,4}\s*[(\[]\s*\d{1,4}\s*[)\]]$"),  # 2 (110), 1 [15]
    re.compile(r"^(?:sida|sid\.?|s\.|page|p\.)\s*\d{1,4}(?:\s*(?:av|of|/|\()\s*\d{1,4}\)?)?$", re.I),
    re.compile(r"^\d{1,4}\s+(?:av|of)\s+\d{1,4}$", re.I),  # 2 av 9
    re.compile(r"^[-\u2013\u2014]\s*\d{1,4}\s*[-\u2013\u2014]$"),  # - 3 -
]
#: "4/12" is a page number only when it runs in step with the pages ("2026/2027" is a school year).
_SLASH_FORM = re.compile(r"^\d{1,4}\s*/\s*\d{1,4}$")
_BARE = BARE_NUMBER
#: A page-number form at the end of a longer segment ("Protokoll 2 (23)").
_TRAILING_FORM = re.compile(
    r"^(?P<rest>.*\S)\s+(?P<num>(?:sida|page)\s*\d{1,4}(?:\s*(?:av|of|/)\s*\d{1,4})?|\d{1,4}\s*[(\[]\s*\d{1,4}\s*[)\]])$",
    re.I,
)
_DATE = DATE_LIKE
_INT = re.compile(r"\d+")
#: A number standing alone (not part of a code such as "E5F6C113" or "FG-2025-00001").
_LONE_INT = re.compile(r"(?<![\w-])\d{1,4}(?![\w-])")


@dataclass
class Removed:
    """One piece of furniture taken off a page."""

    page: int
    kind: str  # "header", "footer" or "page_number"
    text: str

    def to_json(self) -> dict[str, object]:
        return {"page": self.page, "kind": self.kind, "text": self.text}


@dataclass
class Furniture:
    """The outcome: cleaned rows, what was removed, and the title header kept on page 1."""

    pages: list[list[Row]]
    removed: list[Removed]
    header_lines: list[str]
    running_lines: list[str]


def is_page_number(text: str) -> bool:
    """True for an unambiguous page-number form ("2 (110)", "Sida 4 av 12", "- 3 -").

    A second number, when there is one, is the page count and may not be
    smaller than the page number.
    """
    s = " ".join(text.split())
    if not any(rx.match(s) for rx in _PAGE_FORMS):
        return False
    nums = [int(n) for n in _INT.findall(s)]
    return len(nums) < 2 or nums[0] <= nums[1]


def _first_int(text: str) -> int | None:
    m = _INT.search(text)
    return int(m.group()) if m else None


def _bands(rows: list[Row], height: float) -> tuple[list[int], list[int]]:
    top = [i for i, r in enumerate(rows[:BAND_ROWS]) if r.top < BAND * height]
    lo = max(0, len(rows) - BAND_ROWS)
    bottom = [i for i in range(lo, len(rows)) if rows[i].bottom > (1 - BAND) * height and i not in top]
    return top, bottom


def _number_offsets(pages: list[list[Row]], bands: list[tuple[list[int], list[int]]]) -> dict[str, int | None]:
    """Per band, the offset between bare numbers and the page index, if they run in step."""
    offsets: dict[str, int | None] = {}
    n = len(pages)
    for zone in (0, 1):
        counts: Counter[int] = Counter()
        for p, rows in enumerate(pages):
            seen: set[int] = set()
            for i in bands[p][zone]:
                for seg in rows[i].segs:
                    text = seg.text.strip()
                    numbered = _BARE.match(text) or _SLASH_FORM.match(text) or is_page_number(text)
                    value = _first_int(text) if numbered else None
                    if value is not None and value - (p + 1) not in seen:
                        seen.add(value - (p + 1))
                        counts[value - (p + 1)] += 1
        best = counts.most_common(1)
        need = max(2, math.ceil(0.3 * n))
        offsets["top" if zone == 0 else "bottom"] = best[0][0] if best and best[0][1] >= need and n >= 2 else None
    return offsets


def _is_page_segment(seg: Seg, page: int, offset: int | None, outermost: bool, alone: bool) -> bool:
    text = " ".join(seg.text.split())
    if is_page_number(text):
        return True
    if not (_BARE.match(text) or _SLASH_FORM.match(text)):
        return False
    value = _first_int(text)
    if value is None:
        return False
    if offset is not None and value - page == offset:
        return True
    # A lone number equal to the page number on the page's outermost row.
    return outermost and alone and value == page


def _mask(text: str, page: int, offset: int | None) -> str:
    """Comparison key: dates and the page's own number masked, case folded.

    Only the first number equal to the page is masked: on the last page of
    "Protokoll 3 (av 3)" the second 3 is the page count, as on every other page.
    """
    s = " ".join(text.split()).casefold()
    s = _DATE.sub("<d>", s)
    targets = {page, page + (offset or 0)}
    done = False

    def mask(m: re.Match[str]) -> str:
        nonlocal done
        if done or int(m.group()) not in targets:
            return m.group()
        done = True
        return "<p>"

    return _LONE_INT.sub(mask, s)


def strip_furniture(pages: list[list[Row]], heights: list[float]) -> Furniture:
    """Remove running headers/footers and page numbers from every page.

    Args:
        pages: Rows per page, top to bottom.
        heights: Page heights (points), for the bands and footer positions.

    Returns:
        The cleaned rows per page (page 1's running header kept, marked
        ``header``), every removed piece with its page, the header lines kept
        on page 1, and the distinct running lines removed (headers and
        footers; dates in them are read by the metadata extractor).
    """
    n = len(pages)
    bands = [_bands(rows, h) for rows, h in zip(pages, heights)]
    offsets = _number_offsets(pages, bands)

    # 1. Page numbers out of the band rows; what is left of each row gets a key.
    keyed: dict[tuple[int, int], tuple[str, str, list[Seg]]] = {}  # (page, row) -> (zone, key, kept segs)
    numbers: dict[tuple[int, int], list[str]] = {}
    for p, rows in enumerate(pages):
        top_idx, bottom_idx = bands[p]
        for zone, idx in (("top", top_idx), ("bottom", bottom_idx)):
            edge = (idx[0] if zone == "top" else idx[-1]) if idx else -1
            for i in idx:
                row = rows[i]
                kept: list[Seg] = []
                found: list[str] = []
                for seg in row.segs:
                    if _is_page_segment(seg, p + 1, offsets[zone], i == edge, len(row.segs) == 1):
                        found.append(seg.text)
                        continue
                    m = _TRAILING_FORM.match(" ".join(seg.text.split()))
                    if m and (_first_int(m.group("num")) or -1) - (p + 1) in (0, offsets[zone] or 0):
                        found.append(m.group("num"))
                        kept.append(_trim_segment(seg, m.group("rest")))
                        continue
                    kept.append(seg)
                if found:
                    numbers[(p, i)] = found
                text = " ".join(s.text for s in kept)
                keyed[(p, i)] = (zone, _mask(text, p + 1, offsets[zone]) if text.strip() else "", kept)

    # 2. Running rows: same key, same height, on enough pages.
    need = max(2, math.ceil(REPEAT_SHARE * n))
    places: dict[tuple[str, str], list[tuple[int, float]]] = defaultdict(list)
    for (p, i), (zone, key, _) in keyed.items():
        if key:
            row = pages[p][i]
            y = row.top if zone == "top" else heights[p] - row.top
            places[(zone, key)].append((p, y))
    running: dict[tuple[str, str], float] = {}
    if n >= 2:
        anywhere: Counter[str] = Counter()  # every row's key, band or not: how often the text occurs
        for p, rows in enumerate(pages):
            for row in rows:
                anywhere[_mask(" ".join(s.text for s in row.segs), p + 1, None)] += 1
        for zk, seen in places.items():
            if len({p for p, _ in seen}) < need:
                continue
            mode = Counter(round(y / 2) for _, y in seen).most_common(1)[0][0] * 2
            at_place = len({p for p, y in seen if abs(y - mode) <= Y_TOLERANCE})
            if at_place < need:
                continue
            if 2 * at_place < n and anywhere[zk[1]] - at_place > at_place:
                # On a minority of the pages at one height, and used more often elsewhere:
                # text that happens to stand there (a section heading such as
                # "Kommunfullmäktiges beslut" over the footer on two pages of five), not furniture.
                continue
            running[zk] = mode

    def is_running(p: int, i: int) -> bool:
        zone, key, _ = keyed[(p, i)]
        mode = running.get((zone, key))
        row = pages[p][i]
        y = row.top if zone == "top" else heights[p] - row.top
        return mode is not None and abs(y - mode) <= Y_TOLERANCE

    # 3. Remove. Only the run of furniture rows touching the page edge goes:
    # a repeated line below a line that is not furniture is content (an item
    # that starts every page with "Ärendebeskrivning" at the same height).
    removed: list[Removed] = []
    header_lines: list[str] = []
    running_lines: list[str] = []
    cleaned: list[list[Row]] = []
    for p, rows in enumerate(pages):
        chain: set[int] = set()
        top_idx, bottom_idx = bands[p]
        for idx in (top_idx, bottom_idx[::-1]):
            for i in idx:
                if not keyed[(p, i)][2]:  # only a page number
                    continue
                if not is_running(p, i):
                    break
                chain.add(i)
        keep: list[Row] = []
        for i, row in enumerate(rows):
            if (p, i) not in keyed:
                keep.append(row)
                continue
            zone, key, segs = keyed[(p, i)]
            for text in numbers.get((p, i), []):
                removed.append(Removed(p + 1, "page_number", " ".join(text.split())))
            if not segs:
                continue
            text = " ".join(s.text for s in segs)
            if i in chain:
                if text not in running_lines:
                    running_lines.append(text)
                if zone == "top" and p == 0:
                    keep.append(Row(segs, header=True))
                    if text not in header_lines:
                        header_lines.append(text)
                    continue
                removed.append(Removed(p + 1, "header" if zone == "top" else "footer", text))
                continue
            keep.append(row if len(segs) == len(row.segs) else Row(segs))
        cleaned.append(keep)
    # Header lines seen only after page 1 (page 1 is a cover) are still worth reporting.
    if not header_lines:
        header_lines = [r.text for r in removed if r.kind == "header"]
        header_lines = list(dict.fromkeys(header_lines))
    return Furniture(cleaned, removed, header_lines, running_lines)


def _trim_segment(seg: Seg, rest: str) -> Seg:
    """The segment without its trailing page-number words."""
    keep = len(rest.split())
    return Seg(seg.words[:keep])
