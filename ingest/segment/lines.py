"""Lines of a document's text with their offsets (shared by the segmenter's modules)."""

from __future__ import annotations

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

    @property
    def blank(self) -> bool:
        return not self.text


def split_lines(text: str) -> list[Line]:
    """Split ``text`` at newlines, keeping each line's offsets."""
    lines: list[Line] = []
    pos = 0
    for i, raw in enumerate(text.split("\n")):
        lines.append(Line(i, pos, pos + len(raw), raw.strip(), len(raw) - len(raw.lstrip())))
        pos += len(raw) + 1
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
