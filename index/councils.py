"""The archive's councils and the values filters are checked against.

A council is (municipality, body) with the body normalised within its
municipality (:mod:`radslag.councils`). :func:`councils` lists them with
meeting counts and date spans (for ``radslag councils`` and the app's
pickers); :func:`known_values` gives what :func:`radslag.filters.parse_filters`
checks names against; :func:`resolve_filters` parses user input against this
archive in one step, so a misspelt municipality, an unknown body or a council
text that fits several councils is an error that names the value and the
closest known ones.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from index.store import Archive
from radslag.filters import Known, check_filters, parse_filters, resolve_council
from radslag.types import Council, Filters

#: Sweden's municipalities (name, official name, county); shared with metadata extraction.
MUNICIPALITIES_FILE = Path(__file__).resolve().parents[1] / "ingest" / "data" / "municipalities.tsv"


@lru_cache(maxsize=1)
def swedish_municipalities() -> tuple[str, ...]:
    """The 290 municipality names (for suggestions and for telling a typo from an absent one)."""
    with MUNICIPALITIES_FILE.open(encoding="utf-8") as fh:
        return tuple(row["name"] for row in csv.DictReader(fh, delimiter="\t") if row.get("name"))


def councils(archive: Archive, kind: str | None = None) -> list[Council]:
    """The archive's councils, by municipality and name, with counts and first/last dates.

    Args:
        archive: The open archive.
        kind: Count only documents of this kind (``minutes`` for meetings held).
    """
    return archive.councils(kind=kind)


def known_values(archive: Archive) -> Known:
    """The municipalities and councils in ``archive`` (read fresh: a new ingest shows at once)."""
    return Known(
        municipalities=archive.meeting_values("municipality"),
        councils=archive.councils(),
        all_municipalities=list(swedish_municipalities()),
    )


def resolve_filters(archive: Archive, **values: str | None) -> Filters:
    """:func:`radslag.filters.parse_filters` against this archive's names.

    Raises:
        FilterError: For anything :func:`~radslag.filters.parse_filters`
            refuses, and for a municipality, body or council the archive does
            not know (with the closest ones named) or a council text that
            fits several councils (all listed).
    """
    return parse_filters(**values, known=known_values(archive))


def check(archive: Archive, filters: Filters | None) -> Filters:
    """Check a ready :class:`Filters` against the archive's names; return it unchanged.

    Every recurrence view (timeline, brief, history, follow-ups, people,
    threads, exports) calls this first, so a filter that fits nothing is an
    error and never an empty answer.
    """
    filters = filters or Filters()
    if filters.municipality or filters.body or filters.council:
        check_filters(filters, known_values(archive))
    return filters


def council(archive: Archive, text: str) -> Council:
    """The one council ``text`` names (key, display name or free text).

    Raises:
        FilterError: When none fits (closest named) or several do (all listed).
    """
    return resolve_council(text, archive.councils())
