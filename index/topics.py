"""Topic reports over the archive: how often each topic came up, per body or period."""

from __future__ import annotations

from collections import defaultdict

from index.store import Archive
from radslag.periods import chronological
from radslag.types import Filters, TopicCount


def topic_counts(archive: Archive, by: str | None = None, filters: Filters | None = None) -> list[TopicCount]:
    """Count tagged items (and meetings) per topic, optionally per body or period.

    Args:
        archive: The open archive.
        by: ``None`` (totals), ``body``, ``year``, ``quarter``, ``month`` or
            ``meeting``; periods follow :func:`radslag.periods.period_of`
            (``period`` None for meetings too vaguely dated).
        filters: Only items passing these filters; with ``filters.topic``
            only that topic is counted.

    Returns:
        Counts sorted by topic (most items first), then body or period
        (chronological, unknown last).

    Raises:
        ValueError: For an unknown ``by``.
    """
    rows = archive.topic_counts(by=by, filters=filters)
    totals: dict[str, int] = defaultdict(int)
    for r in rows:
        totals[r.topic_id] += r.items
    key = (lambda r: chronological(r.period)) if by not in (None, "body") else (lambda r: (r.body is None, r.body or ""))
    rows.sort(key=lambda r: (-totals[r.topic_id], r.topic_id, key(r)))
    return rows
