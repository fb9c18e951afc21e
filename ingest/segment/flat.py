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
  (Swedish capitalises only names inside a phrase), at most 12 words. A
  colon ends it only when a capitalised word follows ("Sommarinsatser 2023:
  nattvandring och fältarbete" is one title).

Running furniture is learnt from repetition before any cut: the page header
and footer of a web copy stand inline at the start and end of every page
line ("MÖRBYLÅNGA KOMMUN SAMMANTRÄDESPROTOKOLL Sida 2 (4) … Justerandes sign
Utdragsbestyrkande"). The longest run of words that opens (or closes) most
page lines, digits counted as equal (page numbers differ), is furniture: it
becomes a blank virtual line, so a § number left before a footer ("… § 20
Justerandes sign Utdragsbestyrkande") finds its case number and title after
the next page's header.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml

from ingest.segment.casenum import case_number_at_start
from ingest.segment.lines import Line, split_lines

__all__ = ["is_flattened", "is_flattened_text", "virtual_lines", "furniture_spans", "running_phrases"]

#: A text is flattened when most of its characters sit on lines this long ...
LONG_LINE = 200
#: ... and it has fewer non-blank lines than this per 1,000 characters
#: (a text with one paragraph per line has many more).
MAX_LINES_PER_1000 = 4.0
_SECTION_NUM = re.compile(r"(?:(?<=[\s.!?:;)])|^)(?:[A-ZÅÄÖ]{2,8}\s+)?§\s*(\d{1,4})([a-z])?(?![\d\w§])")
#: "… godkändes. 17 Föregående …" after a sentence, or "… Övriga 1. Närvaro …" with its own dot.
_PLAIN_NUM = re.compile(
    r"(?:(?<=[.!?:;)\]]\s)|(?<=[.!?:;)\]]\s\s)|^)(\d{1,3})[.)]?\s+(?=[A-ZÅÄÖ])"
    r"|(?<=\s)(\d{1,3})[.)]\s+(?=[A-ZÅÄÖ])"
)
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


#: Share of page lines a phrase must open or close to count as running furniture.
FURNITURE_SHARE = 0.6
_TOKEN = re.compile(r"\S+")


def _edge_phrase(token_lists: list[list[re.Match[str]]], from_end: bool) -> tuple[int, list[int]]:
    """Longest run of tokens shared by most lines at their start (or end).

    Returns ``(length, indices of the lines that share it)``; digits compare
    equal so "Sida 2 (4)" and "Sida 3 (4)" are the same phrase.
    """
    need = max(2, -(-int(FURNITURE_SHARE * 100) * len(token_lists) // 100))
    norm = [[re.sub(r"\d+", "#", m.group(0)) for m in (reversed(t) if from_end else t)] for t in token_lists]
    members = list(range(len(norm)))
    best_len, best_members = 0, []
    for length in range(1, 41):
        groups: dict[tuple[str, ...], list[int]] = {}
        for i in members:
            if len(norm[i]) > length:  # furniture never fills a whole page line
                groups.setdefault(tuple(norm[i][:length]), []).append(i)
        if not groups:
            break
        group = max(groups.values(), key=len)
        if len(group) < need or (best_members and len(group) < len(best_members)):
            break  # furniture stands on every page alike: a phrase shared by fewer lines is text
        best_len, best_members = length, group
        members = group
    return best_len, best_members


def _is_furniture_phrase(words: list[str]) -> bool:
    """A running phrase has two words or more, real letters and no item number."""
    if len(words) < 2 or any(w.startswith("§") for w in words):
        return False
    return sum(len(re.findall(r"[^\W\d_]", w)) for w in words) >= 10


def furniture_spans(text: str, lines) -> list[tuple[int, int]]:
    """Offsets of running headers and footers inside flattened page lines."""
    page_lines = [ln for ln in lines if len(ln.text) >= LONG_LINE]
    if len(page_lines) < 2:
        return []
    toks = [list(_TOKEN.finditer(text, ln.start + ln.lead, ln.start + ln.lead + len(ln.text))) for ln in page_lines]
    spans: list[tuple[int, int]] = []
    for from_end in (False, True):
        length, members = _edge_phrase(toks, from_end)
        if not length:
            continue
        for i in members:
            t = toks[i]
            part = t[len(t) - length:] if from_end else t[:length]
            if not _is_furniture_phrase([m.group(0) for m in part]):
                break
            spans.append((part[0].start(), part[-1].end()))
    return sorted(spans)


def is_flattened_text(text: str) -> bool:
    """:func:`is_flattened` on a whole text."""
    return is_flattened(split_lines(text))


def running_phrases(text: str) -> list[str]:
    """The running header/footer phrases of a flattened text, as first written."""
    lines = split_lines(text)
    if not is_flattened(lines):
        return []
    seen: list[str] = []
    for a, b in furniture_spans(text, lines):
        phrase = " ".join(text[a:b].split())
        key = re.sub(r"\d+", "#", phrase)
        if all(re.sub(r"\d+", "#", x) != key for x in seen):
            seen.append(phrase)
    return seen


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


@functools.lru_cache(maxsize=1)
def _glue_words() -> frozenset[str]:
    """Function words (``fragment_endings`` of ``data/segment.yaml``): never the end of a title."""
    path = Path(__file__).resolve().parent.parent / "data" / "segment.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return frozenset(str(w).casefold() for w in data.get("fragment_endings") or [])


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
    glue = _glue_words()
    for k, m in enumerate(words[: _MAX_TITLE_WORDS + 1]):
        w = m.group(0)
        prev = words[k - 1].group(0) if k else ""
        if (
            k >= 2 and w[:1].isupper() and prev.casefold() not in glue  # "EST-grupp i Arboga": a name
            and (prev[-1:].isalpha() and prev[:1].islower() or prev.isdigit())
        ):
            return start + m.start()  # a new sentence starts
        if k >= 2 and w[:1].isupper() and w.casefold() in glue:
            return start + m.start()  # a capitalised function word ("En", "Det") opens a sentence
        if w[-1] == ":" and k + 1 < len(words) and words[k + 1].group(0)[:1].islower():
            continue  # "Sommarinsatser 2023: nattvandring och fältarbete"
        if w[-1] in ".!?:":
            return start + m.end() - 1
        if k == _MAX_TITLE_WORDS:
            return start + m.start()
    return end


def virtual_lines(text: str, lines):
    """Cut long lines at inline item numbers; return new :class:`~ingest.segment.lines.Line` objects.

    Short lines are kept as they are. A cut yields a heading line (number and
    heading text) and a body line; ``virtual`` is set on both.
    """
    long_lines = [ln for ln in lines if ln.text]
    fspans = furniture_spans(text, lines)

    def in_furniture(pos: int) -> bool:
        return any(a <= pos < b for a, b in fspans)

    para: list[tuple[int, int]] = []
    plain: list[tuple[int, int]] = []
    for ln in long_lines:
        base = ln.start + ln.lead
        for m in _SECTION_NUM.finditer(ln.text):
            if not in_furniture(base + m.start()):
                para.append((base + m.start(), int(m.group(1))))
        for m in _PLAIN_NUM.finditer(ln.text):
            if not in_furniture(base + m.start()):
                plain.append((base + m.start(), int(m.group(1) or m.group(2))))
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
    cut_set = set(cuts)
    out = []
    pending: int | None = None  # a number whose title follows after page furniture
    for ln in lines:
        lo, hi = ln.start + ln.lead, ln.start + ln.lead + len(ln.text)
        if not ln.text:
            out.append(ln)
            continue
        marks = {c for c in cuts if lo <= c < hi}
        for a, b in fspans:
            if lo <= a < hi:
                marks.update((a, min(b, hi)))
        if not marks:
            if pending is None:
                out.append(ln)
                continue
        bounds = sorted({lo, hi} | marks)
        for a, b in zip(bounds, bounds[1:]):
            if a >= b:
                continue
            if in_furniture(a):
                out.append(Line(0, a, b, "", 0, True))  # running furniture reads as a blank line
                continue
            if not text[a:b].strip():
                continue
            if a not in cut_set:
                if pending is not None:
                    out.extend(_heading_pieces(text, a, b, listed.get(pending)))
                    pending = None
                else:
                    out.append(_mk(Line, text, a, b))
                continue
            m = _NUM_PREFIX.match(text, a)
            num = int(m.group(1))
            hs = _skip_case_numbers(text, m.end(), b)
            te = max(hs, min(b, _title_end(text, hs, b, listed.get(num))))
            out.append(_mk(Line, text, a, te))
            pending = num if not text[hs:b].strip() else None
            if te < b and text[te:b].strip():
                out.append(_mk(Line, text, te, b))
    for i, ln in enumerate(out):
        ln.idx = i
    return out


def _heading_pieces(text: str, a: int, b: int, listed: str | None) -> list:
    """Case-number line, title line and body line of a heading cut off by page furniture."""
    pieces = []
    hs = _skip_case_numbers(text, a, b)
    if hs > a and text[a:hs].strip():
        pieces.append(_mk(Line, text, a, hs))
    te = max(hs, min(b, _title_end(text, hs, b, listed)))
    if text[hs:te].strip():
        pieces.append(_mk(Line, text, hs, te))
    if te < b and text[te:b].strip():
        pieces.append(_mk(Line, text, te, b))
    return pieces


def _mk(cls, text: str, a: int, b: int):
    raw = text[a:b]
    lead = len(raw) - len(raw.lstrip())
    return cls(0, a, b, raw.strip(), lead, True)
