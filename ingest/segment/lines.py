"""Lines of a document's text with their offsets (shared by the segmenter's modules)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Line", "split_lines"]


@dataclass
class Line:
    """One line of ``Document.text``: offsets of the raw line and its stripped text."""

    idx: int
    start: int
    end: int
    text: str  # stripped
    lead: int = 0  # leading whitespace before ``text``
    virtual: bool = False  # cut out of a flattened line at an inline number

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
