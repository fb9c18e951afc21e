"""Reading case numbers (diarienummer) as ``(registry letters, year, serial)``: the one parser.

Threads (:func:`index.threads.case_key`, an item's ``dnr`` against another's)
and search (:func:`index.fusion.query_case_numbers`, a query against the
items' ``dnr``) both read case numbers with :func:`case_numbers` (a query
through :func:`query_case_numbers`, stricter about a word after the number),
so the same case meets itself however the nämnd, KS and KF print it and
however a user types it. The common shape is a four-digit year, a separator and a serial
("KS 2021/123", "KS-2021-00123", "2021.123 KS", "KS.2025.0019"); registers
also print

* compact numbers, a register code glued to one run of digits
  ("RV250312": year 25, serial 0312; "KS20250019": year 2025, serial 0019);
* a register code glued to a two-digit year, then the serial ("RS-LED24-0712");
* the serial before the year ("HSN/462/2025").

The reader keeps a case number as printed (``ingest/segment/casenum.py`` finds
these forms in headings); both callers parse both sides with the same
function, so the reading of a two-digit year only has to be consistent, not
certain. Sizes and labels come from the reader's ``ingest/data/case_numbers.yaml``.
It imports nothing heavy: the search path uses it.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

_DATA = yaml.safe_load((Path(__file__).resolve().parents[1] / "ingest" / "data" / "case_numbers.yaml")
                       .read_text(encoding="utf-8")) or {}
#: The reader's compact case-number sizes (``ingest/data/case_numbers.yaml``), so a number the reader
#: stores is one this module parses.
_SIZES = _DATA.get("compact") or {}
#: The reader's case-number labels ("Dnr", "Diarie-nr", "Ärendenr"), upper-cased without hyphens: a label
#: before a number is not its registry letters.
_LABELS = frozenset(re.sub(r"[^\w]", "", str(w)).upper() for w in _DATA.get("labels") or ["Dnr"])
_CL = _SIZES.get("code_letters", [2, 6])
_CD = _SIZES.get("digits", [6, 10])
#: A register code glued to one run of digits: year (2 or 4 digits) + serial.
_COMPACT = re.compile(rf"(?<![\w/.:-])([A-ZÅÄÖ]{{{_CL[0]},{_CL[1]}}})-?(\d{{{_CD[0]},{_CD[1]}}})(?![\w/.:-])")
#: A register code glued to a two-digit year, a separator, the serial ("LED24-0712").
_SHORT_YEAR = re.compile(r"(?<![\dA-ZÅÄÖ])([A-ZÅÄÖ]{2,6})(\d{2})[-/.:](\d{1,7})(?![\d/.:-])")
#: The serial before a four-digit year ("HSN/462/2025", "462:2025").
_YEAR_LAST = re.compile(r"(?:(?<=[A-ZÅÄÖ]/)|(?<![\d/.:-]))(\d{1,7})\s*[/:]\s*((?:19|20)\d{2})(?![\d/.:-])")


#: The year-first shape: a code before (one word of letters, any case, joined by nothing or one of
#: " /.-"), a four-digit year, a separator, the serial (leading zeros are padding), further digit groups
#: ("2025/14-041", "KS/2022/0154/214") and an upper-case code after ("2026.034 SN", "2024/120-KS").
#: The year is never the second group of a number ("462/2025") nor glued to other digits.
_YEAR_FIRST = re.compile(
    r"(?:(?<![\w/.:-])(?P<before>[^\W\d_]{1,8})[ /.-]?|(?<![^\W_])(?<!\d[./:-]))"
    r"(?P<year>(?:19|20)\d{2})\s*[/.:-]\s*0*(?P<serial>\d{1,7})(?!\d)"
    r"(?:[./:-]\d{1,7}(?!\d))*"
    r"(?:(?=[ -](?P<after>[A-ZÅÄÖ]{1,8})(?![^\W_])))?"  # looked at, not taken: it may be the next one's code
)
#: Year, month and day with one separator: a date, not a case number ("2021-09-15").
_DATE = re.compile(r"(?:19|20)\d{2}([./-])(?:0[1-9]|1[0-2])\1(?:0[1-9]|[12]\d|3[01])(?!\d)")


def case_numbers(text: str) -> list[tuple[str, int, int]]:
    """Every case number in ``text`` as ``(registry letters, year, serial)`` ("" when it gives no letters).

    The registry letters are the code printed before the number, else an
    upper-case code printed after it (Meetings Plus: "2026.134 BUN" and
    "2026.134 KUN" are two registries' cases); a label ("Dnr", from
    ``ingest/data/case_numbers.yaml``) is no code. A code before may be typed
    in lower case ("ks 2025/620"); a word after is a code only in capitals
    ("2021/123 kommunstyrelsen" gives no letters). Each number of a list
    keeps its own code. When no year-first number is there, the compact,
    two-digit-year and year-last forms are read (:func:`other_case_numbers`).

    Example:
        >>> case_numbers("Dnr KS-2025-00620")
        [('KS', 2025, 620)]
        >>> case_numbers("2026.034 SN"), case_numbers("KS.2025.0019"), case_numbers("KS/2022/0154/214")
        ([('SN', 2026, 34)], [('KS', 2025, 19)], [('KS', 2022, 154)])
        >>> case_numbers("KS-2024-00215, BN-2023-00412")
        [('KS', 2024, 215), ('BN', 2023, 412)]
        >>> case_numbers("möte 2021-09-15")
        []
        >>> case_numbers("rv250312")
        [('RV', 2025, 312)]
    """
    return [n[:3] for n in _read(text, query=False)]


def query_case_numbers(text: str) -> list[tuple[str, int, int, bool]]:
    """Case numbers a free-text query names, as ``(registry letters, year, serial, letters printed after)``.

    Read as :func:`case_numbers` reads a stored field, except that a word
    after the number is its registry code only when it has at least two
    letters and ends the query or is followed by punctuation or another case
    number: in a query, a capitalised word after a number is as often text
    ("2021/123 I Köping", "2021/123 EU-projekt"). The last element says the
    letters were printed after the number, so that the caller may drop them
    when no stored case number carries them (:func:`index.fusion.named_items`).

    Example:
        >>> query_case_numbers("2026.134 BUN"), query_case_numbers("KS 2021/123")
        ([('BUN', 2026, 134, True)], [('KS', 2021, 123, False)])
        >>> query_case_numbers("2021/123 I Köping"), query_case_numbers("2021/123 EU-projekt")
        ([('', 2021, 123, False)], [('', 2021, 123, False)])
    """
    return _read(text, query=True)


#: What may follow a query's code after the number: the query's end or punctuation (not a hyphen or
#: slash joining a word, nor a full stop inside one).
_AFTER_CODE_END = re.compile(r"\s*(?:$|[,;:!?)\]]|\.(?!\w))")


def _code_after(text: str, m: re.Match[str], query: bool) -> str:
    after = m.group("after") or ""
    if not after or not query:
        return after
    if len(after) < 2:
        return ""
    end = m.end("after")
    if _AFTER_CODE_END.match(text, end):
        return after
    gap = re.match(r"\s+", text[end:])
    follower = _YEAR_FIRST.match(text, end + gap.end()) if gap else None
    return after if follower and not _DATE.match(text, follower.start("year")) else ""


def _read(text: str, query: bool) -> list[tuple[str, int, int, bool]]:
    out: list[tuple[str, int, int, bool]] = []
    for m in _YEAR_FIRST.finditer(text):
        if _DATE.match(text, m.start("year")):
            continue
        letters = (m.group("before") or "").upper()
        if letters in _LABELS:
            letters = ""
        after = "" if letters else _code_after(text, m, query)
        out.append((letters or after, int(m.group("year")), int(m.group("serial")), bool(after)))
    return out or [(*n, False) for n in other_case_numbers(text.upper())]


def _year(digits: str) -> int:
    return int(digits) if len(digits) == 4 else 2000 + int(digits)


def other_case_numbers(text: str) -> list[tuple[str, int, int]]:
    """The case numbers in ``text`` written in the forms above, as ``(letters, year, serial)``.

    Example:
        >>> other_case_numbers("Diarienummer RV250312")
        [('RV', 2025, 312)]
        >>> other_case_numbers("KS20250019")
        [('KS', 2025, 19)]
        >>> other_case_numbers("RS-LED24-0712")
        [('RSLED', 2024, 712)]
        >>> other_case_numbers("Dnr HSN/462/2025")
        [('HSN', 2025, 462)]
        >>> other_case_numbers("telefon 0701234567, 2021-09-15, 12 500 kr")
        []
    """
    out: list[tuple[str, int, int]] = []
    for m in _COMPACT.finditer(text):
        code, digits = m.group(1), m.group(2)
        four = len(digits) >= 8 and digits[:2] in ("19", "20")
        year, serial = (digits[:4], digits[4:]) if four else (digits[:2], digits[2:])
        out.append((code, _year(year), int(serial)))
    for m in _SHORT_YEAR.finditer(text):
        letters = re.sub(r"[^A-ZÅÄÖ]", "", (text[: m.start()].split()[-1:] or [""])[0].upper() + m.group(1))
        out.append((letters, _year(m.group(2)), int(m.group(3))))
    for m in _YEAR_LAST.finditer(text):
        before = text[: m.start()].rstrip("/ :-")
        code = re.search(r"([A-ZÅÄÖ]{1,8})$", before)
        out.append((code.group(1) if code else "", int(m.group(2)), int(m.group(1))))
    return out
