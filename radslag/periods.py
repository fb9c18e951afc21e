"""Period bucketing of meeting dates: the one rule for timelines, topic counts and people.

A period label is ``2021-09-15`` (meeting), ``2021-09`` (month),
``2021-Q3`` (quarter) or ``2021`` (year). A meeting whose text gives only
the year counts in that year's period when bucketing by year, one known to
the month also in its month and quarter; at finer periods it is undated
(``None``). The archive registers :func:`period_of`
as an SQL function, so counts computed in SQL bucket the same way.
"""

from __future__ import annotations

from typing import Any

from radslag.i18n import t

PERIODS = ("meeting", "month", "quarter", "year")


def period_of(date: str | None, by: str, year: int | None = None, month: int | None = None) -> str | None:
    """The period label of a meeting, or None when its date is too vague for ``by``.

    Args:
        date: The meeting's ISO day, if known.
        by: One of :data:`PERIODS`.
        year: The meeting's year when the full date is unknown.
        month: The meeting's month when the day is unknown (with ``year``).

    Raises:
        ValueError: For an unknown ``by``.
    """
    if by not in PERIODS:
        raise ValueError(f"by must be one of {PERIODS}, not {by!r}")
    if not date:
        if not year or by == "meeting" or (by != "year" and not month):
            return None
        if by == "year":
            return str(year)
        return f"{year}-{month:02d}" if by == "month" else f"{year}-Q{(month - 1) // 3 + 1}"
    if by == "meeting":
        return date
    if by == "month":
        return date[:7]
    if by == "quarter":
        return f"{date[:4]}-Q{(int(date[5:7]) - 1) // 3 + 1}"
    return date[:4]


def when(date: Any, year: int | None = None, month: int | None = None) -> str | None:
    """The most precise known time of a meeting: its day, else its month, else its year.

    ``when(meeting)`` reads ``date``, ``year`` and ``month`` from any record
    that has them (a meeting, an item, a follow-up); ``when(date, year,
    month)`` takes them apart. Every command and view shows a meeting's time
    through this function (or :func:`when_label`), so they always agree.

    Example:
        >>> when("2021-09-15"), when(None, 2021, 9), when(None, 2021), when(None)
        ('2021-09-15', '2021-09', '2021', None)
    """
    if date is not None and not isinstance(date, str):
        date, year, month = getattr(date, "date", None), getattr(date, "year", None), getattr(date, "month", None)
    if date:
        return date
    if year and month:
        return f"{year}-{month:02d}"
    return str(year) if year else None


def precision(date: Any, year: int | None = None, month: int | None = None) -> str | None:
    """``day``, ``month`` or ``year``: how precisely :func:`when` knows the time; None when not at all."""
    known = when(date, year, month)
    if known is None:
        return None
    return {10: "day", 7: "month"}.get(len(known), "year")


def date_source(record: Any) -> str | None:
    """Where a meeting's :func:`when` came from: ``text:Datum och tid``, ``page_header``, ``file_name`` …

    Reads ``provenance["date"]`` of a meeting (or the provenance dict
    itself); a year- or month-only date ("year_only:2021 (file_name)") gives
    the source in brackets. None when the meeting has no date or no record of
    its source.

    Example:
        >>> date_source({"date": "month_only:2019-04 (text:månad år)"})
        'text:månad år'
    """
    prov = record if isinstance(record, dict) else getattr(record, "provenance", None) or {}
    raw = prov.get("date") if isinstance(prov, dict) else None
    if not raw:
        return None
    head, _, rest = str(raw).partition(":")
    if head in ("year_only", "month_only") and "(" in rest and rest.endswith(")"):
        return rest[rest.index("(") + 1 : -1]
    return str(raw)


def when_label(date: Any, lang: str = "sv", year: int | None = None, month: int | None = None) -> str:
    """:func:`when` as shown to users: ``2021-09-15``, ``2021-09 (månad)``, ``2021 (år)``, ``okänt datum``.

    Only a meeting with no date, month or year at all is "okänt datum".
    """
    from_obj = date is not None and not isinstance(date, str)
    known = when(date) if from_obj else when(date, year, month)
    if known is None:
        return t("unknown_date", lang)
    kind = precision(known)
    return known if kind == "day" else t(f"when_{kind}", lang, when=known)


def chronological(label: str | None) -> tuple[bool, str]:
    """Sort key for period labels and :func:`when` values: oldest first, unknown last."""
    return (label is None or not label[:1].isdigit(), label or "")
