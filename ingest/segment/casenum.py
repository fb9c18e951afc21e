"""Case numbers (diarienummer) in item headings.

Swedish councils write case numbers in many shapes: ``Dnr KS 2021/45``,
``Dnr: FG-2025-00001``, ``2026.034 SN`` (Meetings Plus), ``KS KF/2023:3``,
``BUN/2023:25`` (Lomma), ``KS 2020.008``, ``KS.2025.0019``, and with the register code written
against the year (``KS2024/0612``, ``RS-LED24-0712``). What they share is a
number with separators (``.``, ``/``, ``:`` or ``-``) between digit groups, with
optional short upper-case register codes before or after it. A heading line
made only of such tokens is a case-number line, never a title.

Some registers write the number compact, a code glued to one run of digits
(``RV250312``: year 25, serial 0312). Without separators such a token could be
anything, so it counts only after a label (``Diarienummer RV250312``; the code
may then be missing, ``Dnr 250312``) or standing alone as a line or a table cell
of its own, where nothing else than a case number is printed. Plain numbers
(amounts, phone numbers, postcodes, page numbers) carry no code and no label and
are never compact case numbers. Labels and sizes: ``data/case_numbers.yaml``.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

__all__ = [
    "case_number_at_start", "is_case_number_line", "find_labelled", "bare_case_number", "starts_labelled",
    "is_label_only",
]

_CODE = r"[A-ZÅÄÖ]{1,6}(?:-?[A-ZÅÄÖ]{1,4})?"
#: A register code written against the year: "KS2024/0612", "RS-LED24-0712" (two
#: letters at least, and a two- or four-digit year with a separator after it).
_GLUED_CODE = r"[A-ZÅÄÖ]{2,6}(?:-[A-ZÅÄÖ]{1,4})?(?=(?:19|20)?\d{2}[./:-]\d)"
#: One case number: optional register code(s), digit groups, optional code after.
#: Bounded repetitions keep matching linear on any input.
_CASE = (
    rf"(?:{_CODE}(?:\s{_CODE})?[\s/.-]|{_GLUED_CODE})?"
    r"\d{1,4}(?:[./:-]\d{1,7}){1,3}"
    rf"(?:[\s-]{_CODE}(?:-\d{{1,4}})?(?![\wÅÄÖåäö]))?"
)
_DATA = yaml.safe_load(
    (Path(__file__).resolve().parent.parent / "data" / "case_numbers.yaml").read_text(encoding="utf-8")
) or {}
#: A case-number label ("Dnr", "Diarienummer", "Ärendenr."), from ``data/case_numbers.yaml``.
_LABEL_WORDS = (
    r"(?i:"
    + "|".join(re.escape(str(w)) for w in sorted(_DATA.get("labels") or ["Dnr"], key=len, reverse=True))
    + r")(?![A-Za-zÅÄÖåäö])"
)
_LABEL = rf"{_LABEL_WORDS}\.?\s*:?\s*"
#: A labelled case number written year:serial ("Dnr 2010:900", "Diarienummer KS 2024:12"): a document
#: that labels its numbers so makes "(2010:900)" at a title's end a case number, not a law's SFS number.
COLON_DNR = re.compile(rf"\b{_LABEL}(?:[A-ZÅÄÖ]{{1,6}}\s*)?(?:19|20)\d\d:\d{{1,4}}\b")
_COMPACT_CFG = _DATA.get("compact") or {}
_CL = _COMPACT_CFG.get("code_letters", [2, 6])
_CD = _COMPACT_CFG.get("digits", [6, 10])
_LD = _COMPACT_CFG.get("labelled_digits", [4, 10])
#: A compact case number: a register code glued to one run of digits ("RV250312"); the code is
#: optional after a label ("Dnr 250312"). Nothing of a word or a number may follow it.
_COMPACT = rf"(?P<code>[A-ZÅÄÖ]{{{_CL[0]},{_CL[1]}}}-?)?(?P<digits>\d{{{min(_CD[0], _LD[0])},{max(_CD[1], _LD[1])}}})"
_COMPACT_RE = re.compile(rf"(?:{_LABEL})?(?P<case>{_COMPACT})(?![\wåäöÅÄÖ/.:,-]*\d|[\wåäöÅÄÖ])")
_LABEL_ONLY_RE = re.compile(rf"{_LABEL_WORDS}\.?\s*:?")
_CASE_RE = re.compile(rf"(?:{_LABEL})?(?P<case>{_CASE})(?![\w/.:-]*\d)")
_LABELLED_RE = re.compile(rf"(?<![\wåäöÅÄÖ]){_LABEL}(?P<case>{_CASE}|{_COMPACT}(?![\wåäöÅÄÖ/.:-]*\d|[\wåäöÅÄÖ]))")
_ISO_DATE = re.compile(r"(?:19|20)\d{2}-\d{2}-\d{2}")
_TIME = re.compile(r"\d{1,2}[.:]\d{2}")
_SEP = re.compile(r"[\s,;]*")
#: A year and a serial number with nothing else: "2024/38", "2023:112".
_BARE = re.compile(r"(?P<year>(?:19|20)\d{2})[/:](?P<serial>\d{1,6})")


def _plausible(case: str, labelled: bool = False) -> bool:
    """Reject dates, clock times, decimals and year spans that look like case numbers."""
    digits = re.search(r"\d[\d./:-]*\d", case)
    core = digits.group(0) if digits else case
    if not labelled and not re.search(r"[A-ZÅÄÖ]", case):
        # A bare number is a case number only in the year-and-serial shape "2026.034".
        groups = re.split(r"[./:-]", core)
        if not (re.fullmatch(r"(?:19|20)\d{2}", groups[0]) and len(groups[-1]) >= 3):
            return False
        if all(re.fullmatch(r"(?:19|20)\d{2}", g) for g in groups):
            return False  # a span of years, "2024-2027"
    if _ISO_DATE.fullmatch(core):
        try:
            dt.date.fromisoformat(core)
            return False
        except ValueError:
            return True
    if _TIME.fullmatch(core) and not re.search(r"[A-ZÅÄÖ]", case):
        return False  # "17.30" without a register code is a time or a decimal
    return True


def case_number_at_start(text: str) -> tuple[str | None, str]:
    """Split leading case numbers off ``text``.

    Returns:
        ``(dnr, rest)``: the case numbers as written (several joined with
        ", "), or None, and the text after them.
    """
    pos = 0
    found: list[str] = []
    s = text.strip()
    labelled = False
    while pos < len(s) and len(found) < 4:
        m = _CASE_RE.match(s, pos)
        if not m or not _plausible(m.group("case"), labelled=labelled or m.start("case") > m.start()):
            m = _compact_at(s, pos, labelled)
            if not m:
                break
        labelled = labelled or m.start("case") > m.start()
        found.append(" ".join(m.group("case").split()))
        pos = _SEP.match(s, m.end()).end()
    if not found:
        return None, text.strip()
    return ", ".join(found), s[pos:].strip()


def _compact_at(s: str, pos: int, labelled: bool) -> re.Match[str] | None:
    """A compact case number at ``pos`` ("RV250312"), when its context lets it count.

    After a label (at ``pos`` or earlier in the same run) the code may be
    missing and the digits are ``labelled_digits`` long; without one the token
    needs a register code, ``digits`` digits, and must stand alone: nothing but
    separators after it.
    """
    m = _COMPACT_RE.match(s, pos)
    if not m:
        return None
    n = len(m.group("digits"))
    if labelled or m.start("case") > m.start():
        if not m.group("code") and re.fullmatch(r"(?:19|20)\d{2}", m.group("digits")):
            return None  # a year alone ("Dnr 2024 års …") is no case number
        return m if _LD[0] <= n <= _LD[1] else None
    if not m.group("code") or not (_CD[0] <= n <= _CD[1]):
        return None
    return m if _SEP.match(s, m.end()).end() == len(s) else None


def is_case_number_line(text: str) -> bool:
    """True when ``text`` holds nothing but case numbers (and a Dnr label)."""
    dnr, rest = case_number_at_start(text)
    return dnr is not None and not rest


def find_labelled(text: str) -> tuple[str | None, str]:
    """Find a ``Dnr X`` anywhere in ``text``; return it and the text without it.

    Case numbers listed after the first under the same label ("Dnr
    KS-2024-00215, KS-2023-00412") are taken with it, joined with ", ".
    """
    m = _LABELLED_RE.search(text)
    if not m or not _plausible(m.group("case"), labelled=True):
        return None, text
    found, after = case_number_at_start(text[m.start():])  # the label and its numbers, at the start
    rest = (text[: m.start()] + " " + after).strip()
    return found, rest


def starts_labelled(text: str) -> bool:
    """True when ``text`` opens with a labelled case number ("Dnr KS 2024/12 …", "Diarienummer RV250312")."""
    s = text.strip()
    # the label found here; whether a case number follows it, by the one rule case_number_at_start applies
    return bool(_LABELLED_RE.match(s)) and case_number_at_start(s)[0] is not None


def is_label_only(text: str) -> bool:
    """True when ``text`` is a case-number label with no number ("Dnr", "Diarienummer:", "Ärendenr.").

    A heading laid out as a table row prints the label in its own cell, the
    number under it ("Dnr" over "SN 2025/0045") or in the next cell; the label
    alone is part of neither the title nor the body. Labels: ``data/case_numbers.yaml``.
    """
    return bool(_LABEL_ONLY_RE.fullmatch(text.strip()))


def bare_case_number(text: str) -> str | None:
    """A bare year-and-serial case number that makes up the whole of ``text``, or None.

    "2024/38" alone after a § number ("§ 15   2024/38", the title on the next
    line) is the case number: a title is never a number alone. Without a label
    or a register code only the year-and-serial shape counts, with "/" or ":"
    between (a span of years "2024/2025" and "2024-05" are not case numbers).
    """
    m = _BARE.fullmatch(text.strip())
    if not m or (len(m.group("serial")) == 4 and m.group("serial")[:2] in ("19", "20")):
        return None
    return m.group(0)
