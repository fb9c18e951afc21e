"""Text normalisation shared by all readers.

Two public functions:

* :func:`normalize_text` makes text comparable across sources: NFC, ``\\n``
  line ends, plain spaces, no soft hyphens, ``- `` bullets, no trailing
  spaces and bounded runs of blank lines.
* :func:`strip_running_lines` removes running headers, footers and page
  numbers from per-page texts.

Blank-line runs carry layout information: in flattened two-column PDFs (see
``corpus/hallstahammar-trygghetsrad-2021-09-15.txt``) gaps of two or three
blank lines separate paragraphs that belong to margin headings listed
together. Readers therefore call ``normalize_text(text, keep_gaps=True)``
(the default), which keeps up to three blank lines in a row.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict

__all__ = ["normalize_text", "strip_running_lines", "is_page_number_line", "running_key"]

#: Unicode space characters (other than the ASCII space and tab) turned into " ".
_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
#: Invisible characters removed outright (zero-width space, word joiner, BOM).
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")
#: Control characters other than tab, newline and form feed.
_CONTROL = re.compile("[\u0000-\u0008\u000b\u000e-\u001f\u007f]")
#: Line-start bullet glyphs (incl. Word's Symbol-font private-use bullets).
_GLYPH_BULLET = re.compile("^[ \t]*[\u2022\u25cf\u25aa\u25e6\u25a0\u25a1\u25ba\u25b8\u2023\u2043\u2219\uf0b7\uf0a7\uf076\uf0d8\u27a2][ \t]*")
#: En/em dash or hyphen used as a bullet (followed by white space).
_DASH_BULLET = re.compile("^[ \t]*[\u2013\u2014][ \t]+(?=\\S)")
_HYPHEN_BULLET = re.compile("^[ \t]*-[ \t]+(?=\\S)")


def normalize_text(text: str, keep_gaps: bool = True) -> str:
    """Normalise text read from any source.

    Steps: Unicode NFC; CRLF, CR, NEL and U+2028/2029 become ``\\n``; NBSP,
    narrow NBSP and other Unicode spaces become a plain space; soft hyphens,
    zero-width spaces and stray BOMs are removed; control characters other
    than tab, newline and form feed (page break) are removed; line-start
    bullet glyphs (``•``, ``●``, ``▪``, ``◦``, ``\uf0b7`` …) become ``- ``; a
    line-start en/em dash followed by a space becomes ``- `` when a
    neighbouring line is also a bullet (a lone ``– Vi har …`` is a quote dash
    and is kept); trailing spaces are stripped and whitespace-only lines
    become empty; leading blank lines and trailing white space of the whole
    text are removed.

    Args:
        text: Raw decoded text.
        keep_gaps: When True (the default, used by the readers), runs of blank
            lines are shortened to at most three, keeping the gaps that
            separate margin-heading paragraphs in flattened layouts. When
            False, every run of blank lines becomes a single blank line.

    Returns:
        The normalised text.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u0085", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _SPACES.sub(" ", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub("", text)

    lines = [line.rstrip(" \t") for line in text.split("\n")]
    lines = [_GLYPH_BULLET.sub("- ", line) for line in lines]
    lines = _dash_bullets(lines)

    max_blank = 3 if keep_gaps else 1
    out: list[str] = []
    blank_run = 0
    for line in lines:
        if line == "" or line == "\f":
            if line == "\f":
                # A page break on its own line is kept; it is not a blank line.
                out.append(line)
                blank_run = 0
                continue
            blank_run += 1
            if blank_run <= max_blank:
                out.append("")
            continue
        blank_run = 0
        out.append(line)
    while out and out[0] == "":
        out.pop(0)
    return "\n".join(out).rstrip()


def _dash_bullets(lines: list[str]) -> list[str]:
    """Turn en/em-dash bullets into ``- `` when they form a list."""

    def is_bullet(line: str) -> bool:
        return bool(_DASH_BULLET.match(line) or _HYPHEN_BULLET.match(line) or line.startswith("- "))

    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    result = list(lines)
    for pos, i in enumerate(nonblank):
        if not _DASH_BULLET.match(lines[i]):
            continue
        prev_i = nonblank[pos - 1] if pos > 0 else None
        next_i = nonblank[pos + 1] if pos + 1 < len(nonblank) else None
        if (prev_i is not None and is_bullet(lines[prev_i])) or (next_i is not None and is_bullet(lines[next_i])):
            result[i] = _DASH_BULLET.sub("- ", lines[i])
    return result


# --------------------------------------------------------------------------
# Running headers and footers
# --------------------------------------------------------------------------

#: Lines that are only a page number.
_PAGE_NUMBER_LINES = [
    re.compile(r"^\d{1,4}\s*[(\[]\s*\d{1,4}\s*[)\]]$"),  # 2 (110), 1 [15]
    re.compile(r"^(?:sida|page|s\.)\s*\d{1,4}(?:\s*(?:av|of|/|\()\s*\d{1,4}\)?)?$", re.I),  # Sida 2 av 9
    re.compile(r"^[-\u2013\u2014]\s*\d{1,4}\s*[-\u2013\u2014]$"),  # - 3 -
    re.compile(r"^\d{1,4}\s*/\s*\d{1,4}$"),  # 3/9 (not 2026/2027: see is_page_number_line)
]
BARE_NUMBER = re.compile(r"^\d{1,4}$")
#: Page-number tokens at the end of a header line ("SAMMANTRÄDESPROTOKOLL 2 (23)").
_PAGE_TOKEN = re.compile(
    r"(?:\s+|^)(?:(?:sida|page)\s*\d{1,4}(?:\s*(?:av|of|/)\s*\d{1,4})?|\d{1,4}\s*[(\[]\s*\d{1,4}\s*[)\]]|\d{1,4}\s*/\s*\d{1,4})\s*$",
    re.I,
)
#: Dates in the forms running headers carry (masked before lines are compared across pages).
DATE_LIKE = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{1,2}\s+[a-zåäö]{3,9}\.?\s+\d{4}", re.I
)

#: How many non-blank lines at each page edge are examined.
EDGE_LINES = 6
#: A running line must recur on at least this share of the pages on which the
#: most frequent running line of the same page edge recurs.
RUNNING_RATIO = 0.8


def is_page_number_line(line: str, bare_numbers: bool = True) -> bool:
    """Return True if ``line`` is only a page number.

    Recognised: ``2 (110)``, ``1 [15]``, ``Sida 2 av 9``, ``Page 3``,
    ``- 3 -``, ``3/9`` and, when ``bare_numbers`` is True, a bare number. A
    second number is the page count, so it is never smaller than the page
    ("2026/2027" is a school year and "12/3" a date, not page numbers).
    """
    s = " ".join(line.split())
    if not s:
        return False
    if bare_numbers and BARE_NUMBER.match(s):
        return True
    if not any(p.match(s) for p in _PAGE_NUMBER_LINES):
        return False
    nums = [int(n) for n in re.findall(r"\d+", s)]
    return len(nums) < 2 or nums[0] <= nums[1] < 1000


def running_key(line: str) -> str:
    """Comparison key for a possible running line.

    White space is collapsed, trailing page-number tokens are dropped, case is
    folded and runs of digits become ``#`` (so ``2 (23)``/``3 (23)`` and
    varying dates compare equal).
    """
    s = " ".join(line.split())
    s = _PAGE_TOKEN.sub("", s).strip()
    return re.sub(r"\d+", "#", s).casefold()


def _exact_key(line: str) -> str:
    s = " ".join(line.split())
    return _PAGE_TOKEN.sub("", s).strip().casefold()


def strip_running_lines(
    pages: list[str], bare_numbers: bool = True
) -> tuple[list[str], list[str]]:
    """Remove running headers, footers and page-number lines from pages.

    A line is *running* when it appears among the first (header) or last
    (footer) :data:`EDGE_LINES` non-blank lines of at least half of the pages
    (and of at least two pages). Lines are compared by :func:`running_key`;
    when the digits differ between pages the line only counts as running if
    the digits are a page number or a date, so that per-page content such as
    ``§ 94 Dnr FG-2025-00001`` is never taken for a header. Only the block of
    running lines touching the page edge is removed (a running line after a
    non-running one is kept), and page-number lines in that block are removed
    as well.

    Page 1 and the document title: the header block at the top of page 1 is
    *kept* when it is made of running lines, because on the first page the
    running header doubles as the document's title block (the body name
    "Förebyggande rådet" in Arboga; "Nämnden för Förskola & Grundskola",
    "Datum", "2025-10-15" in Kungsbacka). Metadata extraction needs it, and it
    is kept exactly once, at the top. Page-number lines and footers are
    removed from page 1 as from every other page.

    Args:
        pages: Per-page texts (already normalised).
        bare_numbers: Treat a bare number at a page edge as a page number.
            Readers pass False for pseudo-pages guessed from blank-line gaps,
            where a bare number may be content.

    Returns:
        ``(cleaned_pages, removed_lines)``: the pages with running lines
        removed, and the distinct removed lines (first raw form of each key,
        white space collapsed) in order of first removal.
    """
    n = len(pages)
    if n < 2:
        return list(pages), []
    split = [page.split("\n") for page in pages]
    edges: list[tuple[list[int], list[int]]] = []
    for lines in split:
        idx = [i for i, line in enumerate(lines) if line.strip()]
        edges.append((idx[:EDGE_LINES], idx[-EDGE_LINES:][::-1]))

    threshold = max(2, math.ceil(n / 2))
    running: dict[str, set[str]] = {}
    for side in (0, 1):
        masked_pages: dict[str, set[int]] = defaultdict(set)
        exact_pages: dict[str, Counter[str]] = defaultdict(Counter)
        for p, lines in enumerate(split):
            seen: set[str] = set()
            for i in edges[p][side]:
                line = lines[i]
                if is_page_number_line(line, bare_numbers):
                    continue
                key = running_key(line)
                if not key or key in seen:
                    continue
                seen.add(key)
                masked_pages[key].add(p)
                exact_pages[key][_exact_key(line)] += 1
        qualified: dict[str, int] = {}
        for key, found in masked_pages.items():
            if len(found) < threshold:
                continue
            sample, most_common = exact_pages[key].most_common(1)[0]
            if most_common >= threshold or DATE_LIKE.search(sample):
                # Page 1 is left out of the comparison below: its top is the title block,
                # which may repeat one header line ("Socialnämnden") but not the others.
                qualified[key] = len(found - {0}) if side == 0 else len(found)
        # Real headers/footers recur on (nearly) the same pages as the most
        # frequent one; a repeated content line (a decision formula that ends
        # many short items) recurs noticeably less often.
        top_count = max(qualified.values(), default=0)
        keys = {key for key, count in qualified.items() if count >= RUNNING_RATIO * top_count}
        running["top" if side == 0 else "bottom"] = keys

    removed: dict[str, str] = {}
    cleaned: list[str] = []
    drops: list[set[int]] = []
    blocks: dict[str, Counter[tuple[str, ...]]] = {"top": Counter(), "bottom": Counter()}
    for p, lines in enumerate(split):
        drop: set[int] = set()
        for side, name in ((0, "top"), (1, "bottom")):
            block: list[int] = []
            for i in edges[p][side]:
                line = lines[i]
                if is_page_number_line(line, bare_numbers):
                    block.append(i)
                elif running_key(line) in running[name]:
                    block.append(i)
                else:
                    break
            seq = tuple(running_key(lines[i]) for i in sorted(block) if not is_page_number_line(lines[i], bare_numbers))
            if len(seq) >= 2:
                blocks[name][seq] += 1
            if p == 0 and name == "top":
                # Keep page 1's header block as the title, drop page numbers only.
                block = [i for i in block if is_page_number_line(lines[i], bare_numbers)]
            drop.update(block)
        drops.append(drop)

    # A multi-line header/footer block that is not at the page edge (e.g. a
    # table extracted after the footer) is removed where it occurs verbatim.
    for name, counter in blocks.items():
        if not counter:
            continue
        seq, count = counter.most_common(1)[0]
        if count < threshold:
            continue
        for p, lines in enumerate(split):
            if p == 0 and name == "top":
                continue
            idx = [i for i, line in enumerate(lines) if line.strip() and i not in drops[p]]
            keys = [running_key(lines[i]) for i in idx]
            for start in range(len(keys) - len(seq) + 1):
                if tuple(keys[start:start + len(seq)]) == seq:
                    drops[p].update(idx[start:start + len(seq)])

    for p, lines in enumerate(split):
        drop = drops[p]
        for i in sorted(drop):
            raw = " ".join(lines[i].split())
            key = running_key(raw) or raw
            removed.setdefault(key, raw)
        kept = [line for i, line in enumerate(lines) if i not in drop]
        cleaned.append(_trim_blank_edges("\n".join(kept)))
    return cleaned, list(removed.values())


def _trim_blank_edges(text: str) -> str:
    """Remove blank lines at the start and end of a page."""
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)
