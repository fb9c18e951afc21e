"""Page layout: reading order, columns, margin headings and paragraph breaks.

* **Tables and side blocks** are read apart first (:mod:`.regions`).
* **Two-column pages** are read left column first, then right column, when
  a clear vertical gutter is found (rows that span it stay in place).
* **Margin columns**: when the body text of a page starts at an x well to the
  right of the page's left edge, what stands left of it is a margin column.
  Consecutive rows of that column form a block (a wrapped heading is one
  block; a number column beside it belongs to the same block). A block that
  is a form label ("Plats och tid", "Ej tjänstgörande ersättare",
  "Justeringens plats och tid", anything ending in ``:``) stays on the row of
  its value, separated by a tab; any other block is a heading and becomes
  its own line before the paragraph it stands beside. Margin text is never
  interleaved with the body lines.
* **Paragraph breaks** come from vertical spacing, weight and size changes.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest.readers.pdf.extract import Word
from ingest.readers.pdf.geometry import Line, PageLines, Row, line_of, rows_of
from ingest.readers.pdf.regions import split_sidebars, split_tables

_DATA = Path(__file__).resolve().parents[2] / "data" / "pdf_form_labels.txt"
#: An item or section number on its own: "§ 3a.", "5.", "12)", "3.2", "FHR 29" is not one.
_NUMBER = re.compile(r"^(?:§{1,2}\s*)?\d{1,4}[a-z]?(?:[.:]\d{1,3})*[.):]?$")


@lru_cache(maxsize=1)
def _labels() -> tuple[frozenset[str], tuple[str, ...]]:
    """Form labels (whole texts) and label prefixes, from the data file."""
    whole: set[str] = set()
    prefixes: list[str] = []
    for line in _DATA.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip().casefold()
        if not line:
            continue
        if line.endswith("*"):
            prefixes.append(line[:-1].strip())
        else:
            whole.add(line)
    return frozenset(whole), tuple(prefixes)


# ---------------------------------------------------------------------------
# Page layout
# ---------------------------------------------------------------------------


def layout_page(number: int, rows: list[Row], doc_left: float | None = None) -> PageLines:
    """Turn the rows of one page into ordered output lines.

    Args:
        number: The page number.
        rows: The page's rows, furniture removed.
        doc_left: Where body lines start in the document as a whole
            (:func:`document_body_left`), used when the page itself has too
            few lines to tell.
    """
    out = PageLines(number)
    if not rows:
        return out
    rows, sidebars = split_sidebars(rows)
    gutter = find_gutter(rows)
    if gutter is not None:
        out.lines = two_column_lines(rows, gutter)
    else:
        rows, tables = split_tables(rows)
        out.lines = single_column_lines(rows, doc_left)
        for table in tables:
            pos = next((i for i, ln in enumerate(out.lines) if ln.top > table[0].top), len(out.lines))
            table[0].new_para = True
            if pos < len(out.lines):
                out.lines[pos].new_para = True
            out.lines[pos:pos] = table
    for side in sidebars:
        # The side block follows the main text it stands beside.
        bottom = max(r.bottom for r in side)
        pos = next((i for i, ln in enumerate(out.lines) if ln.top > bottom), len(out.lines))
        block = [line_of(r) for r in side]
        block[0].new_para = True
        if pos < len(out.lines):
            out.lines[pos].new_para = True
        out.lines[pos:pos] = block
    return out


def document_body_left(pages: list[list[Row]]) -> float | None:
    """The x where most body lines of the document start (4 pt bins)."""
    bins: Counter[int] = Counter()
    for rows in pages:
        bins.update(round(seg.x0 / 4) for r in rows for seg in r.segs if len(seg.words) > 1 or len(seg.words[0].text) >= 3)
    if not bins:
        return None
    ((best, _),) = bins.most_common(1)
    return min(seg.x0 for rows in pages for r in rows for seg in r.segs if round(seg.x0 / 4) == best)


def find_gutter(rows: list[Row]) -> tuple[float, float] | None:
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
    # Occupancy by difference array: +1 where a word starts, -1 after it ends.
    diff = [0] * (stop - start + 3)
    for row in rows:
        for seg in row.segs:
            for w in seg.words:
                lo, hi = max(start, int(w.x0) - 1), min(stop, int(math.ceil(w.x1)) + 1)
                if lo <= hi:
                    diff[lo - start] += 1
                    diff[hi - start + 1] -= 1
    occupancy = []
    running = 0
    for d in diff[: stop - start + 1]:
        running += d
        occupancy.append(running)
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
        left = [r for r in rows if any(w.x1 <= lo + 1 for w in r.words)]
        right = [r for r in rows if any(w.x0 >= hi - 1 for w in r.words)]
        if len(left) < 0.3 * len(rows) or len(right) < 0.3 * len(rows):
            continue
        left_fill = [max(w.x1 for w in r.words if w.x1 <= lo + 1) for r in left]
        right_fill = [max(w.x1 for w in r.words if w.x0 >= hi - 1) for r in right]
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


def two_column_lines(rows: list[Row], gutter: tuple[float, float]) -> list[Line]:
    """Order a two-column page: spanning rows in place, each band left then right."""
    lo, hi = gutter
    lines: list[Line] = []
    left: list[Line] = []
    right: list[Line] = []

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
        if any(w.x0 < mid - 2 and w.x1 > mid + 2 for w in words):
            flush()
            lines.append(line_of(row))
            continue
        lw = [w for w in words if (w.x0 + w.x1) / 2 < mid]
        rw = [w for w in words if (w.x0 + w.x1) / 2 >= mid]
        if lw:
            left.append(line_of(rows_of(lw)[0]))
        if rw:
            right.append(line_of(rows_of(rw)[0]))
    flush()
    return lines


def is_label(text: str) -> bool:
    """A form label ("Plats och tid", "Justerare:") rather than a heading."""
    if text.rstrip().endswith(":"):
        return True
    whole, prefixes = _labels()
    plain = " ".join(text.split()).rstrip(":").strip().casefold()
    return plain in whole or plain.startswith(prefixes)


def _body_left(rows: list[Row], doc_left: float | None = None) -> float | None:
    """The x where most body lines start (4 pt bins), or None if unclear.

    A page with too few lines to tell takes the document's body column when
    some of its lines start there.
    """
    bins = Counter(round(seg.x0 / 4) for r in rows for seg in r.segs if len(seg.words) > 1 or len(seg.words[0].text) >= 3)
    if bins:
        ((best, count),) = bins.most_common(1)
        if count >= 3:
            return min(seg.x0 for r in rows for seg in r.segs if round(seg.x0 / 4) == best)
    if doc_left is not None and any(abs(w.x0 - doc_left) <= 2 for r in rows for s in r.segs for w in s.words):
        return doc_left
    return None


def _margin_part(row: Row, body_left: float) -> tuple[list[Word], list[Word]] | None:
    """Split a row at the body column: (margin words, body words), or None.

    The row must start well left of the body column, and no word may cross
    the column's left edge (a full-width line crosses it).
    """
    if row.header or row.x0 > body_left - 40:
        return None
    words = row.words
    margin = [w for w in words if w.x1 <= body_left - 4]
    body = [w for w in words if w.x0 >= body_left - 3]
    if not margin or len(margin) + len(body) != len(words):
        return None
    if body and body[0].x0 - margin[-1].x1 < 6:
        return None
    return margin, body


def _crosses(row: Row, body_left: float) -> bool:
    """A full-width line: some word spans the body column's left edge."""
    return any(w.x0 < body_left - 3 and w.x1 > body_left + 4 for s in row.segs for w in s.words)


def _short_line_in_block(idx: int, rows: list[Row], margin: list[Word], body_left: float) -> bool:
    """A short line inside a block of full-width lines starting at the same x.

    E.g. "Plats: Teams" among the meeting facts: it is just a short line.
    """
    x0 = margin[0].x0
    size = margin[0].size or (margin[0].bottom - margin[0].top)
    for j in (idx - 1, idx + 1):
        if 0 <= j < len(rows):
            other = rows[j]
            near = abs(other.top - rows[idx].top) <= 2.2 * size
            if near and abs(other.x0 - x0) <= 4 and _crosses(other, body_left):
                return True
    return False


@dataclass
class _Block:
    """Consecutive margin-column rows: a heading, a label or a number."""

    parts: list[list[Word]]
    rows: list[int]  # index into the body rows of the row each part sat on (-1: none)

    @property
    def top(self) -> float:
        return min(w.top for w in self.parts[0])

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.parts[-1])

    @property
    def x0(self) -> float:
        return min(w.x0 for p in self.parts for w in p)

    @property
    def size(self) -> float:
        return statistics.median(w.size or (w.bottom - w.top) for p in self.parts for w in p)

    @property
    def bold(self) -> bool:
        return all(w.bold for p in self.parts for w in p)

    def texts(self) -> list[str]:
        return [" ".join(w.text for w in rows_of(p)[0].words) if p else "" for p in self.parts]


def single_column_lines(rows: list[Row], doc_left: float | None = None) -> list[Line]:
    """Lines of a one-column page, with margin-column text pulled out of the flow."""
    from ingest.readers.pdf.assemble import join_heading_lines

    body_left = _body_left(rows, doc_left)
    blocks: list[_Block] = []
    body_rows: list[Row | None] = []
    for idx, row in enumerate(rows):
        split = _margin_part(row, body_left) if body_left is not None else None
        if split is not None:
            margin, body = split
            text = " ".join(w.text for w in margin)
            if not any(ch.isalnum() for ch in text) or _short_line_in_block(idx, rows, margin, body_left):  # type: ignore[arg-type]
                split = None
        if split is None:
            body_rows.append(row)
            continue
        margin, body = split
        body_rows.append(rows_of(body)[0] if body else None)
        here = len(body_rows) - 1 if body else -1
        size = margin[0].size or (margin[0].bottom - margin[0].top)
        top = min(w.top for w in margin)
        if blocks:
            last = blocks[-1]
            # A wrapped line follows at line spacing; a label ending in ":" is complete.
            close = top - last.bottom <= 0.5 * size
            # Aligned with the block's first word, or with the text after a hanging number.
            starts = {last.parts[-1][0].x0}
            if len(last.parts[-1]) > 1 and _NUMBER.match(last.parts[-1][0].text):
                starts.add(last.parts[-1][1].x0)
            aligned = any(abs(margin[0].x0 - x) <= 12 for x in starts)
            numbers = _NUMBER.match(" ".join(w.text for w in last.parts[-1])) or _NUMBER.match(text)
            if close and aligned and not numbers and not last.parts[-1][-1].text.endswith(":"):
                last.parts.append(margin)
                last.rows.append(here)
                continue
        blocks.append(_Block([margin], [here]))

    lines: list[Line | None] = [line_of(r) if r is not None else None for r in body_rows]
    ordered = [ln for ln in lines if ln is not None]
    inserts: list[tuple[int, Line]] = []  # (index in ordered to insert before, line)
    for block in blocks:
        joined = join_heading_lines(block.texts())
        first_row = block.rows[0]
        anchor = _anchor(ordered, block)
        if _NUMBER.match(joined) and anchor is not None:
            # A number hanging in the margin ("§ 3a.", "§ 99" centred on a wrapped
            # title) belongs to the text it stands beside; it never drifts away.
            target = ordered[anchor]
            same_row = abs(target.top - block.top) <= 0.45 * block.size
            gap = max(1.6 * block.size, 12.0)
            sep = " " if same_row and _gap_before(target, block) <= gap else "\t"
            target.text = f"{joined}{sep}{target.text}"
            continue
        labelish = is_label(joined) or ":" in joined.rstrip(":")
        if labelish and first_row >= 0 and lines[first_row] is not None:
            # A label stays on the row of its value; its wrapped parts leave their rows.
            target = lines[first_row]
            assert target is not None
            target.text = f"{joined}\t{target.text}"
            target.bold = False
            continue
        if labelish:
            # A label with its value below it (e.g. "Sekreterare" over a signature).
            line = Line(joined, block.top, block.bottom, block.size, False, kind="body", new_para=True)
        else:
            line = Line(joined, block.top, block.bottom, block.size, block.bold, kind="margin", new_para=True)
        pos = anchor if anchor is not None else _position(ordered, block)
        inserts.append((pos, line))
    out: list[Line] = []
    pending = sorted(inserts, key=lambda item: (item[0], item[1].top))
    k = 0
    for i, line in enumerate(ordered + [None]):  # type: ignore[list-item]
        while k < len(pending) and pending[k][0] == i:
            out.append(pending[k][1])
            k += 1
            if line is not None:
                line.new_para = True
        if line is not None:
            out.append(line)
    return out


def _anchor(ordered: list[Line], block: _Block) -> int | None:
    """The first body line the block stands beside (overlapping it vertically)."""
    first = block.parts[0]
    height = max(w.bottom for w in first) - min(w.top for w in first)
    for i, line in enumerate(ordered):
        overlap = min(line.bottom, block.bottom) - max(line.top, block.top)
        if overlap >= 0.3 * min(height, line.bottom - line.top):
            return i
        if line.top > block.bottom:
            return None
    return None


def _position(ordered: list[Line], block: _Block) -> int:
    """Where a block beside no body line goes: before the first line below its top."""
    slack = 0.5 * block.size
    return next((i for i, ln in enumerate(ordered) if ln.top >= block.top - slack), len(ordered))


def _gap_before(line: Line, block: _Block) -> float:
    """Horizontal gap between a margin block and the line it is joined to (approximate)."""
    right = max(w.x1 for p in block.parts for w in p)
    return max(0.0, line.x0 - right) if line.x0 is not None else 0.0


# ---------------------------------------------------------------------------
# Paragraphs
# ---------------------------------------------------------------------------


def mark_paragraphs(pages: list[list[Line]]) -> None:
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


def _mark_page_paragraphs(lines: list[Line], typical: float) -> None:
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
        elif prev.bold != line.bold and not _wraps_bold_cell(prev, line):
            line.new_para = True
        elif abs(prev.size - line.size) > 1.5:
            line.new_para = True


def _wraps_bold_cell(prev: Line, line: Line) -> bool:
    """``line`` is the wrapped rest of the bold first cell of ``prev``.

    "Yttrande till Inspektionen för vård och omsorg<TAB>SN 2024/0377" over
    "angående klagomål på handläggning": a bold title beside a plain case
    number makes a row that is not bold as a whole, but the bold line under
    it starts where the title cell starts and stays left of the next cell,
    so it continues the title, not a new paragraph. A form label never
    continues a cell.
    """
    if not line.bold or prev.bold or prev.cell is None or not prev.cell[2]:
        return False
    if prev.x0 is None or line.x0 is None or line.x1 is None or abs(line.x0 - prev.x0) > 2.0:
        return False
    return line.x1 <= prev.cell[1] and not is_label(line.text)
