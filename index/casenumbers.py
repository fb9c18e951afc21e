"""Case numbers without a year-first separator: compact, two-digit-year and year-last forms.

Threads (:func:`index.threads.case_key`) and search (:func:`index.fusion.query_case_numbers`)
read the common shape, a four-digit year, a separator and a serial
("KS 2021/123", "KS-2021-00123", "2021.123 KS"). Registers also print

* compact numbers, a register code glued to one run of digits
  ("RV250312": year 25, serial 0312; "KS20250019": year 2025, serial 0019);
* a register code glued to a two-digit year, then the serial ("RS-LED24-0712");
* the serial before the year ("HSN/462/2025").

The reader keeps a case number as printed (``ingest/segment/casenum.py`` finds
these forms in headings); this module reads them as ``(registry letters, year,
serial)`` so the same case meets itself however the nämnd, KS and KF print it.
Both callers parse both sides (an item's ``dnr`` and a query, or two items'
``dnr``) with the same functions, so the reading of a two-digit year only has to be
consistent, not certain. It imports nothing heavy: the search path uses it.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

#: The reader's compact case-number sizes (``ingest/data/case_numbers.yaml``), so a number the reader
#: stores is one this module parses.
_SIZES = (yaml.safe_load((Path(__file__).resolve().parents[1] / "ingest" / "data" / "case_numbers.yaml")
                         .read_text(encoding="utf-8")) or {}).get("compact") or {}
_CL = _SIZES.get("code_letters", [2, 6])
_CD = _SIZES.get("digits", [6, 10])
#: A register code glued to one run of digits: year (2 or 4 digits) + serial.
_COMPACT = re.compile(rf"(?<![\w/.:-])([A-ZÅÄÖ]{{{_CL[0]},{_CL[1]}}})-?(\d{{{_CD[0]},{_CD[1]}}})(?![\w/.:-])")
#: A register code glued to a two-digit year, a separator, the serial ("LED24-0712").
_SHORT_YEAR = re.compile(r"(?<![\dA-ZÅÄÖ])([A-ZÅÄÖ]{2,6})(\d{2})[-/.:](\d{1,7})(?![\d/.:-])")
#: The serial before a four-digit year ("HSN/462/2025", "462:2025").
_YEAR_LAST = re.compile(r"(?:(?<=[A-ZÅÄÖ]/)|(?<![\d/.:-]))(\d{1,7})\s*[/:]\s*((?:19|20)\d{2})(?![\d/.:-])")


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
