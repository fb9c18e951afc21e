"""Lines of a document's text with their offsets (shared by the segmenter's modules)."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Line", "split_lines", "mark_styles"]


@dataclass
class Line:
    """One line of ``Document.text``: offsets of the raw line and its stripped text."""

    idx: int
    start: int
    end: int
    text: str  # stripped
    lead: int = 0  # leading whitespace before ``text``
    virtual: bool = False  # cut out of a flattened line at an inline number
    style: str = ""  # the layout heading kind the reader saw on this line ("bold", "margin", …)
    quoted: bool = False  # in a block of e-mail quoted lines, read without its "> " marks

    @property
    def blank(self) -> bool:
        return not self.text


#: An e-mail quoting prefix: one or more ">" marks, each with the space after it (metadata reads it too).
QUOTE_PREFIX = re.compile(r"^[ \t]*(?:>[ \t]?)+")
#: A quoted block is read without its marks when it has at least this many lines.
QUOTE_BLOCK_MIN = 3


def split_lines(text: str) -> list[Line]:
    """Split ``text`` at newlines, keeping each line's offsets.

    A block of consecutive lines that all start with an e-mail quoting prefix
    ("> 1. Lägesbild", ">" for a blank line; notes quoted in a forwarded
    mail) is read without the prefix: the marks count as leading space, so
    each line's text is what was quoted and its offsets still point into
    ``text``. A single line starting with ">" is left as it is.
    """
    raws = text.split("\n")
    quoted = [bool(QUOTE_PREFIX.match(r)) for r in raws]
    lines: list[Line] = []
    pos = 0
    i = 0
    while i < len(raws):
        j = i
        while j < len(raws) and quoted[j]:
            j += 1
        block = j - i >= QUOTE_BLOCK_MIN
        for k in range(i, max(j, i + 1)):
            raw = raws[k]
            lead = QUOTE_PREFIX.match(raw).end() if block else 0
            body = raw[lead:]
            lead += len(body) - len(body.lstrip())
            lines.append(Line(k, pos, pos + len(raw), body.strip(), lead, quoted=block))
            pos += len(raw) + 1
        i = max(j, i + 1)
    return lines


def mark_styles(lines: list[Line], headings) -> None:
    """Set ``style`` on every line that a layout heading of the reader covers."""
    spans = sorted(
        (int(h.start), int(h.end), str(getattr(h, "source", "") or "layout"))
        for h in headings or []
        if isinstance(getattr(h, "start", None), int) and isinstance(getattr(h, "end", None), int)
    )
    if not spans:
        return
    k = 0
    for ln in lines:
        if ln.blank:
            continue
        a, b = ln.start + ln.lead, ln.start + ln.lead + len(ln.text)
        while k < len(spans) and spans[k][1] <= a:
            k += 1
        j = k
        while j < len(spans) and spans[j][0] < b:
            if spans[j][1] > a:
                ln.style = spans[j][2]
                break
            j += 1
