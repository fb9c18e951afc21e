"""Geometry records of a page: words grouped into segments, rows and output lines.

* **Rows** are words sharing a baseline; a row is cut into **segments** at
  gaps much wider than a word space (table cells, label and value, the two
  halves of a two-column page).
* **Lines** are what the layout stage emits, in reading order, with the facts
  paragraph marking and assembly need.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from ingest.readers.pdf.extract import Word


class _Run:
    """A segment or a row: its text and weight are those of its parts, in order."""

    __slots__ = ()
    #: What joins the parts' texts.
    _SEP = " "

    def _parts(self) -> list:
        raise NotImplementedError

    @property
    def text(self) -> str:
        return self._SEP.join(p.text for p in self._parts())

    @property
    def bold(self) -> bool:
        return all(p.bold for p in self._parts())


class Seg(_Run):
    """A horizontally contiguous run of words on one row."""

    __slots__ = ("words", "x0", "x1", "top", "bottom")

    def __init__(self, words: list[Word]) -> None:
        self.words = words
        self.x0 = words[0].x0
        self.x1 = words[-1].x1
        if len(words) == 1:
            self.top, self.bottom = words[0].top, words[0].bottom
        else:
            self.top = min([w.top for w in words])
            self.bottom = max([w.bottom for w in words])

    def _parts(self) -> list[Word]:
        return self.words

    @property
    def size(self) -> float:
        return statistics.median(w.size or (w.bottom - w.top) for w in self.words)


class Row(_Run):
    """Words sharing a baseline, split into segments at wide gaps."""

    __slots__ = ("segs", "header", "top", "bottom", "x0", "x1")
    _SEP = "\t"  # segments are cells: a tab keeps them apart

    def __init__(self, segs: list[Seg], header: bool = False) -> None:
        self.segs = segs
        self.header = header  # a running header kept on the first page
        self.top = min(s.top for s in segs)
        self.bottom = max(s.bottom for s in segs)
        self.x0 = segs[0].x0
        self.x1 = segs[-1].x1

    def _parts(self) -> list[Seg]:
        return self.segs

    @property
    def size(self) -> float:
        return statistics.median(s.size for s in self.segs)

    @property
    def words(self) -> list[Word]:
        return [w for s in self.segs for w in s.words]


@dataclass
class Line:
    """One output line with its layout facts.

    Attributes:
        text: The raw text (before normalisation).
        top: Top of the line on its page.
        bottom: Bottom of the line on its page.
        size: Font size.
        bold: Whether the whole line is bold (and so may be a heading).
        kind: ``body`` or ``margin`` (a margin heading).
        new_para: Force a paragraph break before this line.
        flow_break: The line follows a jump in reading order (column or
            page change); spacing says nothing about paragraphs there.
        x0: Left edge of the line's first word.
        x1: Right edge of the line's last word.
        cell: Of a row cut into cells, its first cell: ``(right edge, where
            the next cell starts, bold)``; None for a one-cell line.
    """

    text: str
    top: float
    bottom: float
    size: float
    bold: bool = False
    kind: str = "body"
    new_para: bool = False
    flow_break: bool = False
    x0: float | None = None
    x1: float | None = None
    cell: tuple[float, float, bool] | None = None


@dataclass
class PageLines:
    number: int
    lines: list[Line] = field(default_factory=list)




def rows_of(words: list[Word]) -> list[Row]:
    """Group words into rows by vertical position and split rows at wide gaps."""
    groups: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        height = word.bottom - word.top
        if height < 1.0:
            height = 1.0
        placed = False
        for group in groups[-1:-4:-1]:
            ref = group[0]
            ref_h = ref.bottom - ref.top
            if ref_h < 1.0:
                ref_h = 1.0
            if abs(word.top - ref.top) <= 0.45 * (height if height < ref_h else ref_h) and abs(
                word.bottom - ref.bottom
            ) <= 0.6 * (height if height > ref_h else ref_h):
                group.append(word)
                placed = True
                break
        if not placed:
            groups.append([word])
    out: list[Row] = []
    for group in groups:
        group.sort(key=lambda w: w.x0)
        segs: list[Seg] = []
        current: list[Word] = []
        right = 0.0
        for word in group:
            size = word.size or (word.bottom - word.top)
            if current and word.x0 - right <= (1.6 * size if size > 7.5 else 12.0):
                current.append(word)
            else:
                if current:
                    segs.append(Seg(current))
                current = [word]
            right = word.x1
        if current:
            segs.append(Seg(current))
        out.append(Row(segs))
    out.sort(key=lambda r: (r.top, r.x0))
    return out


def line_of(row: Row) -> Line:
    first = row.segs[0]
    cell = (first.x1, row.segs[1].x0, first.bold and has_letters(first.text)) if len(row.segs) > 1 else None
    return Line(
        row.text, row.top, row.bottom, row.size, row.bold and not row.header and has_letters(row.text),
        x0=row.x0, x1=row.x1, cell=cell,
    )


def has_letters(text: str) -> bool:
    return sum(ch.isalpha() for ch in text) >= 2
