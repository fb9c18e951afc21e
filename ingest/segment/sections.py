"""Named sections inside agenda items: Beslut, Beslutsunderlag, Yrkanden, ...

A section starts at a heading line (a listed name from
``ingest/data/sections.yaml``, a "<Nämnden>s beslut" pattern, or a label
``Beslut:`` that opens a line) and runs to the next section heading or the
end of the item. Headings that recur as standalone heading lines, each opening a block (after
a blank line), in several items of the same document are sections too (kind
``ovrigt``), so a template's own section names ("Beredning", "Föredragning")
are learnt from the document instead of a list; an entry that recurs inside
lists ("Socialnämnden" under "Beslutet skickas till") is not.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from radslag.types import AgendaItem, Section

__all__ = ["section_kind", "add_sections", "section_names", "recurring_headings"]

_DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "sections.yaml"
_WORD = re.compile(r"\w+")


def _norm(s: str) -> str:
    s = s.replace("**", "").replace("__", "")
    s = re.sub(r"^#{1,6}\s+", "", s.strip())
    return re.sub(r"\s+", " ", s).strip().rstrip(":.").strip().casefold()


@dataclass(frozen=True)
class _Spec:
    names: dict[str, str]  # normalised heading -> kind
    patterns: tuple[tuple[re.Pattern[str], str], ...]
    label_re: re.Pattern[str]
    recurring_min_items: int
    recurring_max_words: int


@functools.lru_cache(maxsize=1)
def _spec() -> _Spec:
    data: dict[str, Any] = yaml.safe_load(_DATA_FILE.read_text(encoding="utf-8")) or {}
    names: dict[str, str] = {}
    for kind, heads in (data.get("kinds") or {}).items():
        for h in heads or []:
            names[_norm(str(h))] = str(kind)
    patterns = tuple(
        (re.compile(str(p), re.IGNORECASE), str(kind))
        for kind, ps in (data.get("patterns") or {}).items()
        for p in ps or []
    )
    alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    label_re = re.compile(rf"^(?:\*\*)?({alt})(?:\*\*)?\s*:(?:\*\*)?\s*\S", re.IGNORECASE)
    return _Spec(
        names=names,
        patterns=patterns,
        label_re=label_re,
        recurring_min_items=int(data.get("recurring_min_items", 3)),
        recurring_max_words=int(data.get("recurring_max_words", 5)),
    )


def section_names() -> frozenset[str]:
    """Normalised section headings from the data file (never item titles)."""
    return frozenset(_spec().names)


def section_kind(line: str) -> str | None:
    """Return the section kind when the whole ``line`` is a section heading."""
    t = _norm(line)
    if not t or len(t) > 90:
        return None
    spec = _spec()
    if t in spec.names:
        return spec.names[t]
    clean = re.sub(r"\s+", " ", line.replace("**", "")).strip().rstrip(":").strip()
    for pattern, kind in spec.patterns:
        if pattern.fullmatch(clean):
            return kind
    return None


def _label_kind(line: str) -> tuple[str, str] | None:
    """``Beslut: Nämnden beslutar …`` → (kind, heading as written)."""
    m = _spec().label_re.match(line.strip())
    if not m:
        return None
    return _spec().names[_norm(m.group(1))], m.group(1)


def _headingish(line: str, max_words: int) -> bool:
    t = line.strip().replace("**", "")
    if not t or t[-1] in ".,;" or not t[0].isupper() or len(t) > 60:
        return False
    if re.match(r"^(?:§|\d|[-•*])", t):
        return False
    return len(_WORD.findall(t)) <= max_words


def _standalone_lines(text: str, start: int, end: int, max_words: int) -> list[tuple[int, int, str, bool]]:
    """Lines in ``text[start:end]`` followed by more text.

    Returns ``(line_start, line_end, stripped, heading_shaped)``;
    ``heading_shaped`` is True for a line that opens a block (the first line,
    or one after a blank line) and does not stand directly over another short
    heading-like line: a heading does, while an entry of a list ("Socialnämnden"
    / "Löneenheten" under "Beslutet skickas till", documents under
    "Beslutsunderlag") stands inside a run of such lines.
    """
    rows: list[tuple[int, int, str, bool]] = []
    pos = start
    apart = True
    for ln in text[start:end].split("\n"):
        s = ln.strip()
        if s:
            rows.append((pos, pos + len(ln), s, apart))
        apart = not s
        pos += len(ln) + 1
    out: list[tuple[int, int, str, bool]] = []
    for k, (a, b, s, apart) in enumerate(rows[:-1]):
        _, _, ns, napart = rows[k + 1]
        in_run = not napart and _headingish(ns, max_words)
        out.append((a, b, s, apart and not in_run))
    return out


def recurring_headings(lines: list[str]) -> frozenset[str]:
    """Short heading lines that recur, each set apart, in several places of a document.

    The template's own sub-headings ("Ärendet" under every case-numbered
    title) are learnt from repetition, before items are known: a line of at
    most ``recurring_max_words`` words, capitalised, opening a block (after a
    blank line) and not standing directly over another such line (an entry of
    a list under "Beslutet skickas till" does), in at least
    ``recurring_min_items`` places. Returns the lines normalised as
    :func:`section_kind` normalises them.

    Args:
        lines: The document's lines, markup removed ("" for a blank line).
    """
    spec = _spec()
    counts: Counter[str] = Counter()
    for k, s in enumerate(lines):
        s = s.strip()
        if not s or (k > 0 and lines[k - 1].strip()) or not _headingish(s, spec.recurring_max_words):
            continue
        nxt = lines[k + 1].strip() if k + 1 < len(lines) else ""
        if nxt and _headingish(nxt, spec.recurring_max_words):
            continue
        counts[_norm(s)] += 1
    return frozenset(k for k, n in counts.items() if n >= spec.recurring_min_items)


def add_sections(text: str, items: list[AgendaItem]) -> None:
    """Fill ``item.sections`` for every item (in place).

    Args:
        text: ``Document.text``.
        items: The items, ordered, with offsets into ``text``.
    """
    spec = _spec()
    per_item: list[list[tuple[int, int, str]]] = []
    recurring: Counter[str] = Counter()
    for it in items:
        body_start = text.find(it.text, it.start) if it.text else it.end
        body_start = it.start if body_start < 0 else body_start
        lines = _standalone_lines(text, body_start, it.end, spec.recurring_max_words)
        per_item.append(lines)
        seen = {_norm(s) for _, _, s, shaped in lines if shaped and _headingish(s, spec.recurring_max_words)}
        recurring.update(seen)
    learnt = {
        k for k, n in recurring.items() if n >= spec.recurring_min_items and k not in spec.names
    } if len(items) >= spec.recurring_min_items else set()
    for it, lines in zip(items, per_item):
        found: list[Section] = []
        for a, b, s, shaped in lines:
            if not s.lstrip("*#_ ")[:1].isupper():
                continue  # a heading starts with a capital; "… förslag till beslut i nämnden:" is prose
            kind = section_kind(s)
            title = re.sub(r"\s+", " ", s.replace("**", "")).strip().rstrip(":").strip()
            if kind is None:
                lab = _label_kind(s)
                if lab:
                    kind, title = lab
                elif shaped and _norm(s) in learnt and _headingish(s, spec.recurring_max_words):
                    kind = "ovrigt"
            if kind is None:
                continue
            if found:
                found[-1].end = _trim_end(text, found[-1].start, a)
            found.append(Section(kind=kind, title=title, start=a, end=it.end))
        if found:
            found[-1].end = _trim_end(text, found[-1].start, it.end)
        it.sections = found


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
