"""Timelines: when an issue was raised, meeting by meeting or per month, quarter, year.

Mentions of a **topic** are the items carrying it in ``item_topics`` (topic
id or label). Mentions of a **query** come from :func:`index.search.search`
(hybrid by default, ``k`` large) and are kept only when they pass the
relevance rule below, because RRF scores have no absolute meaning:

    An item mentions the query when it contains *all* analysed query terms
    (Swedish stemming, title or text: the FTS5 index with AND), **or** its
    best passage has dense cosine >= ``threshold`` (default
    :data:`DENSE_THRESHOLD` = 0.86, multilingual-e5) to the query. 0.86 maximised
    F1 of "item is relevant" over the judged development queries
    (bench/data/queries.jsonl; P 0.47, R 0.30 there, against P 0.04 at 0.82).

The rule in Swedish and English travels with every output as
``threshold_note`` (a field in JSON, a column in CSV and Parquet, and
Parquet file metadata).

CSV: UTF-8 with BOM (Excel then reads å, ä, ö right), comma separator by
default (what pandas, R and most tools expect; ``pd.read_csv(path)`` works
as is). Swedish Excel expects ``;``: pass ``sep=";"``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from datetime import date as Date
from pathlib import Path
from typing import Any, TextIO

from index.export import safe_cell
from index.keyword import all_terms_expression
from index.search import Hit, SearchResult, search
from index.store import Archive
from radslag.config import Settings
from radslag.councils import council_key, council_name, display_body
from radslag.lang import question_words
from radslag.periods import PERIODS, chronological, period_of, when
from radslag.types import Filters, ItemRef

#: The period label of mentions whose meeting date is too vague for the period.
UNKNOWN_PERIOD = "okänt datum"
DENSE_THRESHOLD = 0.86
#: How many search hits a query timeline asks for.
QUERY_K = 2000


@dataclass
class TimelineRow:
    """One period × council.

    Attributes:
        period: The period label (``2021-09-15``, ``2021-09``, ``2021-Q3``,
            ``2021``). Mentions in meetings known less precisely than the
            period asked for get a row of their own at the precision known
            (a meeting known only by its year is "2021" in a quarterly
            timeline); mentions in meetings with no date at all get a row
            :data:`UNKNOWN_PERIOD` per council.
        body, municipality: The council's (body as the archive shows it).
        council, council_key: The council's display name and key (:mod:`radslag.councils`).
        precision: ``meeting``, ``month``, ``quarter`` or ``year``: what the
            period label is; None for the undated row.
    """

    period: str
    body: str | None
    municipality: str | None
    meeting_count: int
    item_count: int
    meetings_held: int
    item_ids: list[int] = field(default_factory=list)
    meeting_ids: list[int] = field(default_factory=list)
    first_date: str | None = None
    last_date: str | None = None
    council: str = ""
    council_key: str = ""
    precision: str | None = None

    @property
    def dated(self) -> bool:
        """Whether the row has a period (False for the undated row)."""
        return self.precision is not None


@dataclass
class Timeline:
    """A timeline of mentions.

    Attributes:
        subject: ``{"query": …}`` or ``{"topic": …}``.
        by: ``meeting``, ``month``, ``quarter`` or ``year``.
        rows: One per period × body, chronological; undated last.
        first_mention, last_mention: ``{date, item_id, meeting_id, body,
            municipality, title}`` or None.
        gaps: Days between consecutive mention dates (distinct meeting
            dates): ``{from, to, days}``.
        threshold_note: The mention rule in Swedish and English.
        undated_items: Mentions in meetings without a date (counted in the
            period "okänt datum").
        notes: Anything the reader should know (search fallbacks, caps).
    """

    subject: dict[str, Any]
    by: str
    rows: list[TimelineRow]
    first_mention: dict[str, Any] | None
    last_mention: dict[str, Any] | None
    gaps: list[dict[str, Any]]
    threshold_note: str
    undated_items: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def total_items(self) -> int:
        return sum(r.item_count for r in self.rows)

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "by": self.by,
            "threshold_note": self.threshold_note,
            "first_mention": self.first_mention,
            "last_mention": self.last_mention,
            "gaps": self.gaps,
            "undated_items": self.undated_items,
            "notes": self.notes,
            "rows": [asdict(r) for r in self.rows],
        }

    # -- writers ---------------------------------------------------------------

    _COLUMNS = ("period", "body", "municipality", "meeting_count", "item_count", "meetings_held",
                "first_date", "last_date", "item_ids", "meeting_ids", "council", "council_key", "precision")

    def _flat_rows(self) -> list[dict[str, Any]]:
        out = []
        for r in self.rows:
            d = asdict(r)
            d["item_ids"] = json.dumps(r.item_ids)
            d["meeting_ids"] = json.dumps(r.meeting_ids)
            out.append({c: safe_cell(d[c]) for c in self._COLUMNS} | {"threshold_note": safe_cell(self.threshold_note)})
        return out

    def to_csv(self, out: str | Path | TextIO | None = None, sep: str = ",") -> str:
        """Write CSV (UTF-8 with BOM when writing a file); return the text.

        Lists (``item_ids``, ``meeting_ids``) are JSON arrays; every row
        carries ``threshold_note``.
        """
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=[*self._COLUMNS, "threshold_note"], delimiter=sep, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self._flat_rows())
        text = buf.getvalue()
        if isinstance(out, (str, Path)):
            _atomic_write(Path(out), ("\ufeff" + text).encode("utf-8"))
        elif out is not None:
            out.write(text)
        return text

    def to_json(self, out: str | Path | TextIO | None = None) -> str:
        """Write JSON; return the text."""
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=2)
        if isinstance(out, (str, Path)):
            _atomic_write(Path(out), text.encode("utf-8"))
        elif out is not None:
            out.write(text)
        return text

    def to_parquet(self, out: str | Path) -> Path:
        """Write Parquet (lists as list<int64>; the note as a column and file metadata)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pa.schema(
            [
                ("period", pa.string()), ("body", pa.string()), ("municipality", pa.string()),
                ("meeting_count", pa.int64()), ("item_count", pa.int64()), ("meetings_held", pa.int64()),
                ("first_date", pa.string()), ("last_date", pa.string()),
                ("item_ids", pa.list_(pa.int64())), ("meeting_ids", pa.list_(pa.int64())),
                ("council", pa.string()), ("council_key", pa.string()), ("precision", pa.string()),
                ("threshold_note", pa.string()),
            ],
            metadata={"threshold_note": self.threshold_note, "subject": json.dumps(self.subject, ensure_ascii=False),
                      "by": self.by},
        )
        rows = [{c: getattr(r, c) for c in self._COLUMNS} | {"threshold_note": self.threshold_note} for r in self.rows]
        table = pa.Table.from_pylist(rows, schema=schema)
        path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(fd)
        try:
            pq.write_table(table, tmp)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return path


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def threshold_note(subject: str, threshold: float, modes_used: list[str] | None = None) -> str:
    """The mention rule, Swedish then English."""
    if subject == "topic":
        return ("Omnämnande = punkten har ämnet i item_topics (ämnesmärkning vid inläsning). "
                "| Mention = the item carries the topic in item_topics (assigned at ingest).")
    dense = modes_used is None or "dense" in modes_used
    sv = "Omnämnande = punkten innehåller alla sökord (efter svensk stamning)"
    en = "Mention = the item contains all query terms (after Swedish stemming)"
    if dense:
        sv += f" eller har semantisk likhet (cosinus) ≥ {threshold:.2f} med frågan"
        en += f" or has dense cosine similarity ≥ {threshold:.2f} to the query"
    else:
        sv += "; semantisk sökning användes inte"
        en += "; dense search was not used"
    return f"{sv}. | {en}."


def issue_words(query: str) -> str:
    """``query`` without the words that ask about the issue (:func:`radslag.lang.question_words`):
    "när diskuterade vi motorburen ungdom" → "när vi motorburen ungdom", whose stop words the
    all-terms test leaves out in turn; the query itself when nothing else is left."""
    words = query.split()
    ask = question_words()
    kept = [w for w in words if w.strip("?!.,:;\"'").casefold() not in ask]
    return " ".join(kept) if kept and len(kept) < len(words) else query


def _all_terms_items(archive: Archive, query: str, candidates: set[int] | None) -> set[int]:
    expr = all_terms_expression(issue_words(query))
    if not expr:
        return set()
    ids = archive.keyword_matches(expr)  # all matches, then the candidates: faster than IN (...) in FTS5
    return ids if candidates is None else ids & candidates


@dataclass(frozen=True)
class MentionSearch:
    """How the mentions of a query are found: the options :func:`query_mentions`,
    :func:`mentions` and :func:`timeline` share, defined once.

    Attributes:
        settings: Settings naming the model and the vector index (needed
            unless ``result`` is given).
        threshold: Dense cosine a hit without every query term needs (None:
            :data:`DENSE_THRESHOLD`; see :attr:`bar`).
        mode: Search mode (``hybrid``, ``keyword``, ``dense``).
        k: Number of search hits judged.
        filters: Which meetings and items count (None: all).
        result: A search for the query that the caller already ran (same
            filters, ``k`` hits asked for, relevance cutoff on): its hits are
            judged instead of searching again. ``mode`` is then the result's.
    """

    settings: Settings | None = None
    threshold: float | None = None
    mode: str = "hybrid"
    k: int = QUERY_K
    filters: Filters | None = None
    result: SearchResult | None = None

    @property
    def bar(self) -> float:
        """The dense threshold in force: ``threshold``, or :data:`DENSE_THRESHOLD`."""
        return DENSE_THRESHOLD if self.threshold is None else self.threshold

    @classmethod
    def of(cls, how: "MentionSearch | None", fields: dict[str, Any]) -> "MentionSearch":
        """``how``, or one made of ``fields`` (the same options as keywords); not both."""
        if how is not None and fields:
            raise TypeError(f"give a MentionSearch or its fields, not both: {sorted(fields)}")
        return how if how is not None else cls(**fields)


def query_mentions(
    archive: Archive,
    query: str,
    how: MentionSearch | None = None,
    *,
    snippets: int | None = None,
    **fields: Any,
) -> tuple[list[Hit], str, list[str]]:
    """The search hits that mention ``query`` by the module's rule, best first.

    Args:
        how: The search and its threshold (:class:`MentionSearch`), or its
            fields as keywords (``settings=``, ``threshold=``, ``mode=``,
            ``k=``, ``filters=``, ``result=``).
        snippets: Snippets for this many of the best hits (None: all), as
            :func:`index.search.search` takes it.

    Returns:
        ``(hits, threshold_note, notes)``.
    """
    how = MentionSearch.of(how, fields)
    result = how.result
    if result is None:
        if how.settings is None:
            raise TypeError("query_mentions needs settings= (or a result=) to search")
        result = search(archive, query, settings=how.settings, k=how.k, mode=how.mode, filters=how.filters,
                        snippets=snippets)
    notes = list(result.notes)
    hit_ids = {h.item_id for h in result.hits}
    keyword_ok = _all_terms_items(archive, query, hit_ids)
    keep = [h for h in result.hits
            if h.item_id in keyword_ok or (h.dense_score is not None and h.dense_score >= how.bar)]
    if len(result.hits) >= how.k:
        notes.append(f"Sökningen gav {how.k} träffar (taket); öka k för fullständighet "
                     f"(search hit the cap k={how.k}; raise k for completeness).")
    return keep, threshold_note("query", how.bar, result.modes_used), notes


def mentions(
    archive: Archive,
    *,
    query: str | None = None,
    topic: str | None = None,
    how: MentionSearch | None = None,
    **fields: Any,
) -> tuple[set[int], str, list[str]]:
    """Return ``(item ids, threshold_note, notes)`` for a query or topic (``how`` and ``fields``: see
    :func:`query_mentions`)."""
    if bool(query) == bool(topic):
        raise ValueError("give exactly one of query= or topic=")
    how = MentionSearch.of(how, fields)
    how = replace(how, filters=how.filters or Filters())
    if topic:
        ids = archive.filter_item_ids(how.filters.with_(topic=topic))
        return set(ids or ()), threshold_note("topic", how.bar), []
    hits, note, notes = query_mentions(archive, query, how, snippets=0)  # counted, not shown
    return {h.item_id for h in hits}, note, notes


def _period(row: Any, by: str) -> tuple[str, str | None]:
    """``(period label, precision)``: at ``by`` when the date allows, else as precisely as known."""
    label = period_of(row.date, by, row.year, row.month)
    if label is not None:
        return label, by
    known = when(row)
    if known is None:
        return UNKNOWN_PERIOD, None
    return known, "month" if len(known) == 7 else "year"


def timeline(
    archive: Archive,
    *,
    query: str | None = None,
    topic: str | None = None,
    by: str = "meeting",
    settings: Settings | None = None,
    threshold: float | None = None,
    filters: Filters | None = None,
    mode: str = "hybrid",
    k: int = QUERY_K,
    result: SearchResult | None = None,
) -> Timeline:
    """Build the timeline of a query or a topic.

    Args:
        archive: The open archive.
        query: Free-text query (mentions via :func:`index.search.search`).
        topic: Topic id or label (mentions via ``item_topics``).
        by: ``meeting`` (one period per meeting date), ``month``, ``quarter``, ``year``.
        settings: Settings for search (needed for queries).
        threshold: Dense cosine threshold (default 0.86).
        filters: Which meetings and items count (see :class:`radslag.types.Filters`).
        mode: Search mode for queries (``hybrid``, ``keyword``, ``dense``).
        k: Number of search hits to consider for queries.
        result: The search for ``query`` the caller already ran (``k`` hits,
            these filters, relevance order): counted instead of searching a
            second time (the app's search tab shows its first hits and draws
            this timeline from one search).

    Returns:
        A :class:`Timeline`.
    """
    if by not in PERIODS:
        raise ValueError(f"by must be one of {PERIODS}")
    if query and settings is None:
        raise ValueError("a query timeline needs settings (model and vector index)")
    filters = filters or Filters()
    how = MentionSearch(settings=settings, threshold=threshold, mode=mode, k=k, filters=filters, result=result)
    if topic and not query:
        # one query instead of ids then rows: the topic is a filter like any other
        rows = archive.item_refs(filters=filters.with_(topic=topic))
        note, notes = threshold_note("topic", how.bar), []
    else:
        ids, note, notes = mentions(archive, query=query, topic=topic, how=how)
        rows = archive.item_refs(item_ids=ids) if ids else []
    # One pass: each mention's period (as precisely as its meeting is known) and council.
    groups: dict[tuple[str, str | None, str], list[ItemRef]] = defaultdict(list)
    forms: dict[str, list[str]] = defaultdict(list)
    munis: dict[str, str | None] = {}
    vague = undated = 0
    for r in rows:
        period, precision = _period(r, by)
        key = council_key(r.municipality, r.body)
        groups[(period, precision, key)].append(r)
        forms[key].append(r.body or "")
        munis.setdefault(key, r.municipality)
        if precision is None:
            undated += 1
        elif precision != by:
            vague += 1
    # Meetings held per period × council (the denominator researchers need).
    held: dict[tuple[str, str], int] = defaultdict(int)
    for (period, b, mun), n in archive.meeting_counts(by, filters.meeting_part).items():
        if period is not None:
            held[(period, council_key(mun, b))] += n
    if vague or undated:
        # meetings known less precisely than `by` (or not at all) are held in their own rows
        for (known, b, mun), n in archive.vague_meeting_counts(filters.meeting_part).items():
            if known is None or period_of(None, by, int(known[:4]), int(known[5:]) if len(known) == 7 else None) is None:
                held[(known or UNKNOWN_PERIOD, council_key(mun, b))] += n
    shown = {key: display_body(f, munis[key]) or None for key, f in forms.items()}
    names = {key: council_name(munis[key], shown[key]) for key in forms}
    out_rows = []
    for (period, precision, key), members in groups.items():
        dates = sorted(r.date for r in members if r.date)
        out_rows.append(
            TimelineRow(
                period=period, body=shown[key], municipality=munis[key],
                meeting_count=len({r.meeting_id for r in members}),
                item_count=len(members),
                meetings_held=held.get((period, key), 0),
                item_ids=sorted(r.id for r in members),
                meeting_ids=sorted({r.meeting_id for r in members}),
                first_date=dates[0] if dates else None,
                last_date=dates[-1] if dates else None,
                council=names[key], council_key=key, precision=precision,
            )
        )
    out_rows.sort(key=lambda r: (chronological(r.period if r.dated else None), r.municipality or "", r.body or ""))
    dated = sorted((r for r in rows if r.date), key=lambda r: (r.date, r.meeting_id, r.id))

    def describe(r: ItemRef) -> dict[str, Any]:
        return {"date": r.date, "item_id": r.id, "meeting_id": r.meeting_id, "body": r.body,
                "municipality": r.municipality, "title": r.title}

    mention_dates = sorted({r.date for r in dated})
    gaps = [
        {"from": a, "to": b, "days": (Date.fromisoformat(b) - Date.fromisoformat(a)).days}
        for a, b in zip(mention_dates, mention_dates[1:])
    ]
    if vague:
        notes.append(f"{vague} omnämnanden är bara daterade till månad eller år och står på egna rader "
                     f"({vague} mentions are dated only to the month or year and have rows of their own).")
    if undated:
        notes.append(f"{undated} omnämnanden saknar mötesdatum och räknas under \"{UNKNOWN_PERIOD}\" "
                     f"({undated} mentions lack a meeting date; counted under \"{UNKNOWN_PERIOD}\").")
    return Timeline(
        subject={"query": query} if query else {"topic": topic},
        by=by,
        rows=out_rows,
        first_mention=describe(dated[0]) if dated else None,
        last_mention=describe(dated[-1]) if dated else None,
        gaps=gaps,
        threshold_note=note,
        undated_items=undated,
        notes=notes,
    )
