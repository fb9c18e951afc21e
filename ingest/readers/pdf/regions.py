"""Regions read apart from the flow of a page: tables and side blocks.

* **Tables** of three or more columns are read row by row: the cells of a
  table row (found by vertical overlap, since cells are often centred on the
  tallest) become one line, tab-separated, each cell's wrapped lines joined.
* **Side blocks** (an address column in small type beside a title page) are
  taken out and put after the text they stand beside, instead of
  alternating with its lines.
"""

from __future__ import annotations

import statistics
from collections import Counter
from typing import Any

from ingest.readers.pdf.extract import Word
from ingest.readers.pdf.geometry import Line, Row, Seg, has_letters


def split_tables(rows: list[Row]) -> tuple[list[Row], list[list[Line]]]:
    """Take out tables of three or more columns and read them row by row, cell by cell.

    Columns are x positions where segments of several rows start. A table is
    a run of consecutive rows whose segments all start at those columns and
    where no word crosses a column edge (a paragraph line crosses them). In
    each column the lines are cut into cells at vertical gaps wider than the
    line spacing; cells that overlap vertically across columns form one
    table row (cells are often centred on the tallest one). Each table row
    becomes one line: its cells in column order, tab-separated, each cell's
    wrapped lines joined.

    Returns:
        The rows outside tables, and the lines of each table.
    """
    from ingest.readers.pdf.assemble import join_heading_lines

    multi = [r for r in rows if len(r.segs) >= 3]
    if len(multi) < 2:
        return rows, []
    starts = Counter(round(seg.x0 / 3) for r in rows if len(r.segs) >= 2 for seg in r.segs)
    cols = sorted(min(seg.x0 for r in rows for seg in r.segs if round(seg.x0 / 3) == k) for k, n in starts.items() if n >= 2)
    # Merge column starts closer than 6 pt.
    merged: list[float] = []
    for x in cols:
        if not merged or x - merged[-1] > 6:
            merged.append(x)
    cols = merged
    if len(cols) < 3:
        return rows, []

    def fits(row: Row) -> bool:
        """Inside the table's columns, no word crossing a column edge."""
        if row.x0 < cols[0] - 3:
            return False
        return not any(w.x0 < c - 2 < w.x1 for c in cols[1:] for w in row.words)

    ok = [fits(r) for r in rows]
    tables: list[tuple[int, int]] = []
    i = 0
    while i < len(rows):
        if not ok[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(rows) and ok[j + 1] and rows[j + 1].top - rows[j].bottom < 3 * (rows[j].bottom - rows[j].top):
            j += 1
        run = rows[i : j + 1]
        if j - i + 1 >= 3 and sum(1 for r in run if len(r.segs) >= 3) >= 2:
            tables.append((i, j))
        i = j + 1
    if not tables:
        return rows, []
    out_tables: list[list[Line]] = []
    skip: set[int] = set()
    for i, j in tables:
        skip.update(range(i, j + 1))
        out_tables.append(_table_lines(rows[i : j + 1], cols, join_heading_lines))
    return [r for k, r in enumerate(rows) if k not in skip], out_tables


def _table_lines(rows: list[Row], cols: list[float], join: Any) -> list[Line]:
    """One line per table row: cells cut at vertical gaps, grouped by vertical overlap."""
    edges = cols[1:] + [float("inf")]
    # Per column: its lines (words of one row within the column).
    column_lines: list[list[tuple[float, float, list[Word]]]] = [[] for _ in cols]
    for row in rows:
        for k, (lo, hi) in enumerate(zip(cols, edges)):
            words = [w for w in row.words if lo - 3 <= w.x0 < hi - 2]
            if words:
                column_lines[k].append((min(w.top for w in words), max(w.bottom for w in words), words))
    cells: list[tuple[float, float, int, list[list[Word]]]] = []  # top, bottom, column, lines
    for k, lines in enumerate(column_lines):
        current: list[tuple[float, float, list[Word]]] = []
        for line in lines:
            # Wrapped lines of a cell follow at line spacing; the next cell after a wider gap.
            if current and line[0] - current[-1][1] > 0.3 * (current[-1][1] - current[-1][0]):
                cells.append((current[0][0], current[-1][1], k, [ln[2] for ln in current]))
                current = []
            current.append(line)
        if current:
            cells.append((current[0][0], current[-1][1], k, [ln[2] for ln in current]))
    cells.sort(key=lambda c: c[0])
    groups: list[list[tuple[float, float, int, list[list[Word]]]]] = []
    bottom = -1.0
    for cell in cells:
        overlap = groups and cell[0] < bottom - 0.2 * (cell[1] - cell[0])
        if overlap:
            groups[-1].append(cell)
            bottom = max(bottom, cell[1])
        else:
            groups.append([cell])
            bottom = cell[1]
    out: list[Line] = []
    for group in groups:
        texts = []
        for k in range(len(cols)):
            parts = [" ".join(w.text for w in sorted(ws, key=lambda w: w.x0)) for c in group if c[2] == k for ws in c[3]]
            texts.append(join(parts))
        words = [w for c in group for ws in c[3] for w in ws]
        text = "\t".join(texts).strip("\t")
        top = min(c[0] for c in group)
        line = Line(text, top, max(c[1] for c in group), statistics.median(w.size or (w.bottom - w.top) for w in words))
        line.bold = all(w.bold for w in words) and has_letters(text)
        line.x0 = min(w.x0 for w in words)
        out.append(line)
    return out


def split_sidebars(rows: list[Row]) -> tuple[list[Row], list[list[Row]]]:
    """Take out a side block (an address column beside the title) that interleaves with the text.

    A side block is a stack of at least three left-aligned lines at the right
    of the page, in smaller type than the text at its left and with a clear
    gap to it, whose lines mostly do not share a baseline with that text (a
    table's last column does). Left in place, its lines alternate with the
    lines beside it.

    Returns:
        The rows without the side blocks, and each side block's rows.
    """
    if len(rows) < 4:
        return rows, []
    left = min(r.x0 for r in rows)
    right = max(r.x1 for r in rows)
    width = right - left
    if width < 200:
        return rows, []
    # Candidates: a row's last segment, in the right part, well apart from the rest of its row.
    cands: list[tuple[int, Seg]] = []
    for i, row in enumerate(rows):
        seg = row.segs[-1]
        if seg.x0 < left + 0.55 * width:
            continue
        if len(row.segs) > 1 and seg.x0 - row.segs[-2].x1 < 24:
            continue
        cands.append((i, seg))
    groups: dict[int, list[tuple[int, Seg]]] = {}
    for i, seg in cands:
        groups.setdefault(round(seg.x0 / 3), []).append((i, seg))
    taken: dict[int, Seg] = {}
    sidebars: list[list[Row]] = []
    for members in sorted(groups.values(), key=len, reverse=True):
        if len(members) < 3:
            break
        x_s = min(seg.x0 for _, seg in members)
        # Split into vertical runs: consecutive members closer than two line heights.
        runs: list[list[tuple[int, Seg]]] = [[members[0]]]
        for cur in members[1:]:
            prev = runs[-1][-1][1]
            if cur[1].top - prev.bottom <= 2 * (prev.bottom - prev.top):
                runs[-1].append(cur)
            else:
                runs.append([cur])
        for run in runs:
            if len(run) < 3 or any(i in taken for i, _ in run):
                continue
            top, bottom = run[0][1].top, run[-1][1].bottom
            beside = [r for r in rows if r.bottom > top and r.top < bottom]
            # Nothing may cross the side block's left edge, and some text must stand beside it.
            if any(w.x0 < x_s - 2 < w.x1 for r in beside for w in r.words):
                continue
            if not any(r.x0 < x_s - 24 for r in beside):
                continue
            shared = sum(1 for i, _ in run if len(rows[i].segs) > 1)
            if shared > len(run) / 2:
                continue  # a table column: its cells share their rows
            # Set apart in smaller type, as address and contact blocks are; a
            # table column in the text's own size stays with its rows.
            side_h = statistics.median(w.bottom - w.top for _, seg in run for w in seg.words)
            main_h = [w.bottom - w.top for r in beside for w in r.words if w.x1 < x_s - 2]
            if side_h > 0.85 * statistics.median(main_h):
                continue
            if max(seg.x1 for _, seg in run) - x_s > 0.45 * width:
                continue
            for i, seg in run:
                taken[i] = seg
            sidebars.append([Row([seg]) for _, seg in run])
    if not taken:
        return rows, []
    out: list[Row] = []
    for i, row in enumerate(rows):
        if i not in taken:
            out.append(row)
        elif len(row.segs) > 1:
            out.append(Row(row.segs[:-1], header=row.header))
    return out, sidebars
