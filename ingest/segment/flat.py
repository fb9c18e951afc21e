"""Flattened text: minutes whose line breaks are gone (one line per page).

Web copies and older OCR often give a page, or the whole document, as one
line. Headings are then inline: "… godkändes. 17 Föregående protokoll
Protokollet … 18 Politiska beslut som rör unga …". The items are found from
the numbering itself: § numbers, or plain numbers that run on one by one
(17, 18, 19 …) at least three times. Each long line is cut into virtual
lines at those numbers (offsets stay those of ``Document.text``), and the
heading text after a number is cut from its body:

* by the document's agenda list when it has one (the same numbers in a run
  with only short titles between them): the body's heading is the listed
  title;
* otherwise by the shape of a heading: it ends before the first sentence
  mark or where a new capitalised sentence starts after at least two words
  (Swedish capitalises only names inside a phrase), at most 12 words.
"""

from __future__ import annotations

import re

from ingest.segment.casenum import case_number_at_start

__all__ = ["is_flattened", "virtual_lines"]

#: A text is flattened when most of its characters sit on lines this long ...
LONG_LINE = 200
#: ... and it has fewer non-blank lines than this per 1,000 characters
#: (a text with one paragraph per line has many more).
MAX_LINES_PER_1000 = 4.0
_SECTION_NUM = re.compile(r"(?:(?<=[\s.!?:;)])|^)(?:[A-ZÅÄÖ]{2,8}\s+)?§\s*(\d{1,4})([a-z])?(?![\d\w§])")
_PLAIN_NUM = re.compile(r"(?:(?<=[.!?:;)\]]\s)|(?<=[.!?:;)\]]\s\s)|^)(\d{1,3})[.)]?\s+(?=[A-ZÅÄÖ])")
_WORD = re.compile(r"\S+")
_MAX_TITLE_WORDS = 12
_LIST_GAP = 120  # characters between two numbers of an agenda list


def is_flattened(lines) -> bool:
    """True when most text sits on very long lines (one line per page)."""
    total = sum(len(ln.text) for ln in lines if ln.text)
    if total < 800:
        return False
    long = sum(len(ln.text) for ln in lines if len(ln.text) >= LONG_LINE)
    count = sum(1 for ln in lines if ln.text)
    return long / total >= 0.6 and count / (total / 1000) < MAX_LINES_PER_1000


def _chains(tokens: list[tuple[int, int]], min_len: int) -> list[list[tuple[int, int]]]:
    """Runs of numbers increasing by one, in text order: ``(position, number)``."""
    chains: list[list[tuple[int, int]]] = []
    used: set[int] = set()
    for i, (pos, num) in enumerate(tokens):
        if i in used:
            continue
        chain = [(pos, num)]
        last = num
        idx = [i]
        for j in range(i + 1, len(tokens)):
            if j in used:
                continue
            if tokens[j][1] == last + 1:
                chain.append(tokens[j])
                idx.append(j)
                last += 1
        if len(chain) >= min_len:
            chains.append(chain)
            used.update(idx)
    return chains


_NUM_PREFIX = re.compile(r"(?:[A-ZÅÄÖ]{2,8}\s+)?§?\s*(\d{1,4})([a-z])?[.)]?\s*")


def _skip_case_numbers(text: str, start: int, end: int) -> int:
    """Offset after the case numbers that open ``text[start:end]``."""
    seg = text[start:end]
    dnr, rest = case_number_at_start(seg)
    if not dnr:
        return start
    return start + (seg.rfind(rest) if rest else len(seg))


def _title_end(text: str, start: int, end: int, listed: str | None) -> int:
    """Offset where the heading after a number ends (the body starts)."""
    seg = text[start:end]
    words = list(_WORD.finditer(seg))
    if listed:
        want = re.findall(r"\w+", listed.casefold())
        got: list[str] = []
        for m in words:
            got.extend(re.findall(r"\w+", m.group(0).casefold()))
            if got != want[: len(got)]:
                break
            if len(got) >= len(want):
                return start + m.end()
    for k, m in enumerate(words[: _MAX_TITLE_WORDS + 1]):
        w = m.group(0)
        prev = words[k - 1].group(0) if k else ""
        if k >= 2 and w[:1].isupper() and prev[-1:].isalpha() and prev[:1].islower():
            return start + m.start()  # a new sentence starts
        if w[-1] in ".!?:":
            return start + m.end() - 1
        if k == _MAX_TITLE_WORDS:
            return start + m.start()
    return end


def virtual_lines(text: str, lines):
    """Cut long lines at inline item numbers; return new ``_Line`` objects.

    Short lines are kept as they are. A cut yields a heading line (number and
    heading text) and a body line; ``virtual`` is set on both.
    """
    from ingest.segment.core import _Line

    long_lines = [ln for ln in lines if ln.text]
    para: list[tuple[int, int]] = []
    plain: list[tuple[int, int]] = []
    for ln in long_lines:
        base = ln.start + ln.lead
        for m in _SECTION_NUM.finditer(ln.text):
            para.append((base + m.start(), int(m.group(1))))
        for m in _PLAIN_NUM.finditer(ln.text):
            plain.append((base + m.start(), int(m.group(1))))
    if len(para) >= 2:
        cuts = sorted({p for p, _ in para})
        chains = _chains(sorted(para), 2)
    else:
        chains = _chains(sorted(plain), 3)
        cuts = sorted({p for ch in chains for p, _ in ch})
    # An agenda list: a run of numbers close together; its titles name the items.
    listed: dict[int, str] = {}
    for ch in chains:
        gaps = [b[0] - a[0] for a, b in zip(ch, ch[1:])]
        if not gaps or max(gaps) > _LIST_GAP:
            continue
        for k, (pos, num) in enumerate(ch):
            nxt = ch[k + 1][0] if k + 1 < len(ch) else None
            hs = pos + _NUM_PREFIX.match(text, pos).end()
            hs = _skip_case_numbers(text, hs, nxt if nxt is not None else min(len(text), hs + _LIST_GAP))
            te = nxt if nxt is not None else _title_end(text, hs, min(len(text), hs + 2 * _LIST_GAP), None)
            listed.setdefault(num, text[hs:te].strip(" .,;"))
    out = []
    for ln in lines:
        lo, hi = ln.start + ln.lead, ln.start + ln.lead + len(ln.text)
        inner = [c for c in cuts if lo <= c < hi] if ln.text else []
        if not inner:
            out.append(ln)
            continue
        bounds = [lo] + inner + [hi]
        for a, b in zip(bounds, bounds[1:]):
            if a >= b:
                continue
            if a not in inner:
                out.append(_mk(_Line, text, a, b))
                continue
            m = _NUM_PREFIX.match(text, a)
            num = int(m.group(1))
            hs = _skip_case_numbers(text, m.end(), b)
            te = max(hs, min(b, _title_end(text, hs, b, listed.get(num))))
            out.append(_mk(_Line, text, a, te))
            if te < b and text[te:b].strip():
                out.append(_mk(_Line, text, te, b))
    for i, ln in enumerate(out):
        ln.idx = i
    return out


def _mk(cls, text: str, a: int, b: int):
    raw = text[a:b]
    lead = len(raw) - len(raw.lstrip())
    return cls(0, a, b, raw.strip(), lead, True)
