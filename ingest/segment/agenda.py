"""The document's own agenda list (Ärendelista, Innehåll, Föredragningslista).

An agenda list is found from structure, not from its name: numbered headings
that follow each other with no body between them and whose numbers come back
later in the document with a body are list entries, never items (a heading
under a list cue such as ``Innehåll``, or one that ends in dot leaders and a
page number, is a list entry too). :func:`parse_entries` reads the list's
lines into :class:`~radslag.types.AgendaEntry` records, also when the PDF
layout wrapped titles around the § number or put the numbers and the titles
in separate columns: the title lines are read in order and handed out to the
numbers, guided by the titles the items carry in the body.

:func:`align` then uses the entries to name the items (the list's title when
the body heading carries only a case number), to find an item the numbering
missed (its listed title standing as a line in the body), and reports every
disagreement as a warning instead of guessing silently.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ingest.segment.casenum import case_number_at_start, is_case_number_line
from radslag.types import AgendaEntry

__all__ = ["NumberToken", "parse_entries", "align", "title_key"]

_DOT_LEADER = re.compile(r"\s*(?:\.{3,}|…{2,}|(?:\.\s){3,}|_{4,})\s*(\d{1,4})\s*$")
_TRAIL_PAGE = re.compile(r"\s{2,}(\d{1,4})\s*$|\t(\d{1,4})\s*$")


def title_key(s: str) -> str:
    """Comparison form of a title: case-folded words only."""
    return " ".join(re.findall(r"\w+", s.casefold()))


@dataclass
class NumberToken:
    """A number in the list region: its label ("§ 94"), key and the rest of its line."""

    line: int
    label: str
    key: float
    rest: str


def _strip_page(s: str) -> tuple[str, int | None]:
    m = _DOT_LEADER.search(s)
    if m:
        return s[: m.start()].rstrip(" .…"), int(m.group(1))
    return s, None


def parse_entries(
    texts: Sequence[tuple[int, str]],
    numbers: Sequence[NumberToken],
    body_titles: dict[str, str],
    is_stop: Callable[[str], bool],
) -> list[AgendaEntry]:
    """Read agenda entries from the list region.

    Args:
        texts: ``(line index, stripped text)`` of the region's non-number
            lines, in document order (lines before the first number included:
            a title wrapped around a centred number starts above it).
        numbers: The number tokens of the region, in document order.
        body_titles: Title of each item in the body by label, used to hand
            out wrapped title lines (may be empty).
        is_stop: True for a line that can never be part of a title
            (a section heading, a signature line).

    Returns:
        The entries in list order.
    """
    entries: list[AgendaEntry] = []
    ti = 0
    texts = [(i, t) for i, t in texts if t]
    first_line = numbers[0].line if numbers else 0
    for k, tok in enumerate(numbers):
        next_line = numbers[k + 1].line if k + 1 < len(numbers) else None
        dnr, rest = case_number_at_start(tok.rest)
        rest, page = _strip_page(rest)
        rest = re.sub(r"^[\t .:–-]+", "", rest).strip()
        m = _TRAIL_PAGE.search(rest)
        if m:
            page = int(m.group(1) or m.group(2))
            rest = rest[: m.start()].rstrip()
        parts = [rest] if rest else []
        target = title_key(body_titles.get(tok.label, ""))
        # Lines above a centred number belong to it only before the first number
        # or when they lie between this number and the previous one.
        while ti < len(texts):
            idx, t = texts[ti]
            if is_stop(t):
                ti += 1
                continue
            if idx < first_line and k > 0:
                ti += 1
                continue
            if is_case_number_line(t) and not parts:
                dnr = dnr or case_number_at_start(t)[0]
                ti += 1
                continue
            clean, pg = _strip_page(t)
            cand = title_key(" ".join(parts + [clean]))
            if target:
                if not target.startswith(cand) or not cand:
                    break
            else:
                if parts and next_line is not None and idx > next_line:
                    break
                if parts and not _continues(parts[-1], clean):
                    break
            parts.append(clean)
            page = page or pg
            ti += 1
            if pg is not None:
                break  # the page number closes the entry
            if target and cand == target:
                break
        title = re.sub(r"\s+", " ", " ".join(parts)).strip(" .-–")
        entries.append(AgendaEntry(number=tok.label, title=title, dnr=dnr, page=page))
    return entries


def _continues(prev: str, nxt: str) -> bool:
    """A wrapped title line: the previous line is unfinished or this one starts low."""
    if not nxt:
        return False
    if nxt[0].islower() or nxt[0] in "(-–&":
        return True
    return prev.rstrip()[-1:] in ("-", "–", ",", "&", "/") or prev.split()[-1].islower() and len(prev) > 50


def _agree(a: str, b: str) -> bool:
    ka, kb = title_key(a), title_key(b)
    if not ka or not kb:
        return False
    if ka == kb or ka.startswith(kb) or kb.startswith(ka):
        return True
    return difflib.SequenceMatcher(None, ka, kb).ratio() >= 0.85


def align(entries: list[AgendaEntry], heads: list, find_line: Callable[[str, int, int], tuple[int, int] | None],
          make_head: Callable[[AgendaEntry, int, int], object], limit_off: int) -> tuple[list, list[str]]:
    """Name and complete the body items from the agenda list.

    Args:
        entries: The agenda entries.
        heads: Item heads in order; each has ``number``, ``title``, ``dnr``,
            ``start`` (``title`` may be empty when the body heading is only a
            case number).
        find_line: ``find_line(title, lo, hi)`` returns the offsets of a line
            in ``[lo, hi)`` whose text is ``title`` (used for missed items).
        make_head: Builds a head for an entry found at a line.
        limit_off: End offset of the searchable body.

    Returns:
        ``(heads, warnings)``: the heads (titles filled, missed items added)
        and Swedish warnings with English glosses.
    """
    warnings: list[str] = []
    if not entries:
        return heads, warnings
    by_num = {e.number: e for e in entries if e.number}
    head_nums = {h.number for h in heads}
    # Items the numbering missed: look for the listed title as a line.
    added = []
    for k, e in enumerate(entries):
        if not e.number or e.number in head_nums or not e.title:
            continue
        lo = max((h.start for h in heads if _before(h.number, e.number)), default=0)
        hi = min((h.start for h in heads if _before(e.number, h.number)), default=limit_off)
        hit = find_line(e.title, lo, hi)
        if hit:
            added.append(make_head(e, *hit))
    if added:
        heads = sorted(list(heads) + added, key=lambda h: h.start)
        head_nums = {h.number for h in heads}
    for h in heads:
        e = by_num.get(h.number)
        if e is None:
            warnings.append(
                f"{h.number} finns i texten men inte i ärendelistan ({h.number} is in the text but not in the agenda list)"
            )
            continue
        if not h.title or h.title == h.number:
            if e.title:
                h.title = e.title
                h.title_source = "agenda"
            continue
        if e.title and not _agree(h.title, e.title):
            warnings.append(
                f"{h.number}: rubriken i ärendelistan \"{e.title}\" skiljer sig från rubriken i texten \"{h.title}\" "
                f"({h.number}: the agenda list title differs from the heading in the text)"
            )
        if e.dnr and h.dnr and title_key(e.dnr) != title_key(h.dnr):
            warnings.append(
                f"{h.number}: diarienumret i ärendelistan {e.dnr} skiljer sig från {h.dnr} i texten "
                f"({h.number}: the case number in the agenda list differs from the text)"
            )
        if not h.dnr and e.dnr:
            h.dnr = e.dnr
    for e in entries:
        if e.number and e.number not in head_nums:
            warnings.append(
                f"{e.number} \"{e.title}\" står i ärendelistan men hittades inte i texten "
                f"({e.number} is in the agenda list but was not found in the text)"
            )
    return heads, warnings


def _num_key(label: str | None) -> float:
    m = re.search(r"(\d+)([a-z])?", label or "")
    if not m:
        return -1.0
    return int(m.group(1)) + ((ord(m.group(2)) - 96) / 100 if m.group(2) else 0.0)


def _before(a: str | None, b: str | None) -> bool:
    return _num_key(a) < _num_key(b)
