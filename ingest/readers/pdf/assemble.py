"""Assembly: ordered lines to document text, page spans and headings.

The text is built piece by piece, each line normalised with
:func:`ingest.normalize.normalize_text`, so page spans and heading offsets are
exact offsets into ``Document.text``. Hyphenated line breaks are joined
("förvalt-" + "ningen"), while real hyphens ("Barn- och", "2025-00013",
"IT-avdelningen") are kept; a paragraph running over a page or column break
stays one paragraph.
"""

from __future__ import annotations

from ingest.normalize import normalize_text
from ingest.readers.pdf.geometry import Line, PageLines
from radslag.types import Heading, PageSpan

_CONJUNCTIONS = {"och", "eller", "samt", "respektive", "resp.", "till", "&", "o.", "som", "resp"}


def join_hyphen(prev: str, nxt: str) -> str | None:
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


def join_heading_lines(parts: list[str]) -> str:
    """Join the wrapped lines of one heading into one line."""
    parts = [p.strip() for p in parts if p.strip()]
    if not parts:
        return ""
    text = parts[0]
    for part in parts[1:]:
        joined = join_hyphen(text, part)
        text = joined if joined is not None else f"{text} {part}"
    return text


def _clean_line(text: str) -> str:
    """Normalise one line (soft hyphens at the end become a plain hyphen)."""
    raw = text.rstrip()
    if raw.endswith(("\u00ad", "\u2010")):
        raw = raw[:-1] + "-"
    cleaned = normalize_text(raw).strip("\n")
    return "\n".join(part.strip() for part in cleaned.split("\n")).strip()


def assemble(pages: list[PageLines]) -> tuple[str, list[PageSpan], list[Heading]]:
    """Build the document text, page spans and headings from ordered lines."""
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

    last_line: Line | None = None
    for page in pages:
        page_has_text = False
        for idx, line in enumerate(page.lines):
            text = _clean_line(line.text)
            if not text:
                continue
            heading_source = "margin" if line.kind == "margin" else ("bold" if line.bold else None)
            para_break = line.new_para
            if idx == 0 and last_line is not None:
                para_break = line.kind == "margin" or not _continues(last_line, line, current or "")
            elif idx > 0 and last_line is not None and line.flow_break:
                para_break = not _continues(last_line, line, current or "")
            if current is not None and not para_break and heading_source != "margin":
                joined = join_hyphen(current, text)
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
    return text, _spans(pages, page_starts, len(text)), headings


def _spans(pages: list[PageLines], page_starts: dict[int, int], length: int) -> list[PageSpan]:
    """Contiguous page spans; a page without text gets an empty span where the next begins."""
    numbers = [p.number for p in pages]
    resolved: list[int] = []
    nxt = length
    for number in reversed(numbers):
        start = page_starts.get(number, -1)
        nxt = start if start >= 0 else nxt
        resolved.append(nxt)
    resolved.reverse()
    if resolved:
        resolved[0] = 0
    spans: list[PageSpan] = []
    for i, number in enumerate(numbers):
        end = resolved[i + 1] if i + 1 < len(resolved) else length
        spans.append(PageSpan(number=number, start=resolved[i], end=end))
    return spans


def _continues(prev: Line, line: Line, prev_text: str) -> bool:
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
