"""Issue history: every time an issue came up in one council (or all), with what was promised.

``issue_history(archive, settings, query="motorburen ungdom",
filters=Filters(council="hallstahammar/trygghetsråd"))`` answers "när och
var kom frågan upp hos oss, och vad lovade vi?" in one list:

* the meetings and items where the issue came up, newest (or oldest) first,
  each dated as precisely as the evidence allows (:func:`radslag.periods.when`)
  and with the passage that mentions it;
* the follow-ups promised in those items, and whether and when they were
  answered (by which item, on which date);
* the linked items in other councils, each labelled with why: a shared case
  number (``samma diarienummer``), an issue thread across councils, or a
  mention of the same issue elsewhere (``annan kommun/organ``).

Which items mention the issue: for a **topic**, the items carrying it; for a
**query**, the search hits that pass the timeline's mention rule
(:func:`index.timeline.query_mentions`), so the history, the timeline and the
counts agree.

Exports: :meth:`IssueHistory.to_csv` (``;`` and a UTF-8 BOM for Swedish
Excel, formula-like cells neutralised), :meth:`IssueHistory.to_json` and
:meth:`IssueHistory.to_markdown` (for pasting into a report; document text
escaped).
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, TextIO

from index.councils import check
from index.followups import present
from index.export import safe_cell
from index.search import CANDIDATES, SearchResult, best_snippet, display_title, search
from index.store import STATUS_ANSWERED, Archive
from index.timeline import (DENSE_THRESHOLD, QUERY_K, MentionSearch, _atomic_write, mentions, query_mentions,
                            threshold_note)
from radslag.config import Settings
from radslag.councils import council_key, council_name
from radslag.errors import RadslagError
from radslag.filters import resolve_topic
from radslag.i18n import t
from radslag.periods import chronological, precision, when, when_label
from radslag.safe import md_text
from radslag.taxonomy import load_taxonomy
from radslag.types import Filters, FollowUpRecord, Item, Record

ORDERS = ("newest", "oldest")
#: Reason of a link to a mention of the issue in another council.
ELSEWHERE = "annan kommun/organ"
#: Reason of a link through a shared case number.
SAME_DNR = "samma diarienummer"
#: Mentions shown per other council.
ELSEWHERE_PER_COUNCIL = 3


#: File endings of the history's formats (``radslag history --format`` names and plain endings).
SUFFIXES = {"table": ".txt", "txt": ".txt", "csv": ".csv", "json": ".json", "markdown": ".md", "md": ".md"}


def file_slug(text: str, limit: int = 60) -> str:
    """A file-name part in ASCII: 'Hallstahammar – Trygghetsråd' -> 'hallstahammar-trygghetsrad'."""
    folded = unicodedata.normalize("NFKD", (text or "").casefold())
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", ascii_text)[:limit].strip("-") or "x"


def default_name(history: "IssueHistory", fmt: str) -> str:
    """The file name of a history: 'historia-motorburen-ungdom-hallstahammar-trygghetsrad.csv'.

    What and where, not a random name, in ASCII so it survives every file
    system, zip tool and mail client. The one rule for ``radslag history -o
    FOLDER`` and the app's downloads.

    Args:
        history: The history written.
        fmt: ``csv``, ``json``, ``markdown`` (or ``md``), ``table`` (or ``txt``).
    """
    parts = ["historia", file_slug(history.subject)]
    if history.council_key:
        parts.append(file_slug(history.council_key))
    return "-".join(parts) + SUFFIXES[fmt]


@dataclass
class HistoryFollowUp(Record):
    """A follow-up promised in a history item, and its answer."""

    id: int
    who: str | None
    what: str
    due: str | None
    sentence: str
    status: str
    answered: bool
    answered_by_item_id: int | None = None
    answered_when: str | None = None
    answered_title: str | None = None
    answered_council: str | None = None
    answered_reason: str | None = None


@dataclass
class LinkedItem(Record):
    """An item in another council linked to a history item (or to the issue), and why."""

    item_id: int
    meeting_id: int
    when: str | None
    council: str
    council_key: str
    municipality: str | None
    body: str | None
    title: str
    reason: str
    source: str = ""
    linked_from: int | None = None  # the history item it is linked to (None: the issue itself)


@dataclass
class HistoryEntry(Record):
    """One item where the issue came up, with its meeting and what was promised there."""

    item_id: int
    meeting_id: int
    when: str | None
    precision: str | None
    date: str | None
    year: int | None
    month: int | None
    municipality: str | None
    body: str | None
    council: str
    council_key: str
    kind: str
    source: str
    item_number: str | None
    item_title: str
    snippet: str
    pages: list[int] = field(default_factory=list)
    dnr: str | None = None
    score: float | None = None
    followups: list[HistoryFollowUp] = field(default_factory=list)
    linked: list[LinkedItem] = field(default_factory=list)


@dataclass
class IssueHistory(Record):
    """The history of one issue in one council (or all).

    Attributes:
        query, topic: What was asked (one of them).
        topic_label: The topic's Swedish label when a topic was asked.
        council, council_key: The council asked for (None: all councils).
        order: ``newest`` or ``oldest`` (undated entries last either way).
        entries: The items where the issue came up.
        elsewhere: Mentions of the issue in other councils (only when one
            council was asked for), labelled :data:`ELSEWHERE`.
        mention_rule: How "came up" was decided (Swedish | English).
        notes: Anything the reader should know.
    """

    query: str | None
    topic: str | None
    topic_label: str | None
    council: str | None
    council_key: str | None
    order: str
    entries: list[HistoryEntry]
    elsewhere: list[LinkedItem] = field(default_factory=list)
    mention_rule: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def subject(self) -> str:
        return self.query or self.topic_label or self.topic or ""

    # -- exports -------------------------------------------------------------------

    _COLUMNS = ("when", "council", "source", "item", "snippet", "followups", "followup_status", "answered",
                "linked", "item_id", "meeting_id")

    def to_rows(self, lang: str = "sv") -> list[dict[str, Any]]:
        """One flat row per entry (what the CSV holds), headers in ``lang``."""
        rows = []
        for e in self.entries:
            fus = e.followups
            rows.append({
                t("history_col_when", lang): when_label(e.when, lang),
                t("history_col_council", lang): e.council,
                t("history_col_source", lang): e.source,
                t("history_col_item", lang): display_title(e.item_number, e.item_title),
                t("history_col_snippet", lang): e.snippet,
                t("history_col_followups", lang): " | ".join(_promise(f) for f in fus),
                t("history_col_status", lang): " | ".join(_status(f, lang) for f in fus),
                t("history_col_answered", lang): " | ".join(_answer(f, lang) for f in fus if f.answered),
                t("history_col_linked", lang): " | ".join(_linked(link, lang) for link in e.linked),
                "item_id": e.item_id,
                "meeting_id": e.meeting_id,
            })
        return rows

    def to_csv(self, out: str | Path | TextIO | None = None, sep: str = ";", lang: str = "sv",
               bom: bool = True) -> str:
        """CSV for Swedish Excel: ``;`` separated, UTF-8 with a BOM, formula-like cells neutralised.

        Args:
            out: A path (written atomically) or an open text stream; None only returns the text.
            sep: Separator (``,`` for tools that expect it).
            lang: Column headers and status words in ``sv`` or ``en``.
            bom: Start with a UTF-8 BOM (Excel needs it to read å, ä, ö).

        Returns:
            The CSV text (with the BOM when ``bom``).
        """
        rows = self.to_rows(lang)
        header = [t(f"history_col_{c}", lang) if c not in ("item_id", "meeting_id") else c for c in
                  ("when", "council", "source", "item", "snippet", "followups", "status", "answered", "linked",
                   "item_id", "meeting_id")]
        buf = io.StringIO()
        if bom:
            buf.write("\ufeff")
        writer = csv.writer(buf, delimiter=sep, lineterminator="\n")
        writer.writerow(header)
        for r in rows:
            writer.writerow([safe_cell(r[h]) for h in header])
        return _emit(buf.getvalue(), out)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON values (what :meth:`to_json` writes)."""
        return {
            "query": self.query, "topic": self.topic, "topic_label": self.topic_label,
            "council": self.council, "council_key": self.council_key, "order": self.order,
            "mention_rule": self.mention_rule, "notes": self.notes,
            "entries": [e.to_json() for e in self.entries],
            "elsewhere": [x.to_json() for x in self.elsewhere],
        }

    def to_json(self, out: str | Path | TextIO | None = None) -> str:  # type: ignore[override]
        """JSON (UTF-8, indented); written to ``out`` when given. Returns the text."""
        return _emit(json.dumps(self.to_dict(), ensure_ascii=False, indent=2), out)

    def to_markdown(self, lang: str = "sv") -> str:
        """Markdown for a report: one section per entry, newest or oldest first as ordered.

        Document text (titles, passages, promises) is escaped, so nothing in
        a document is read as Markdown or HTML.
        """
        where = self.council or t("history_all_councils", lang)
        out = [f"# {md_text(t('history_title', lang, subject=self.subject, council=where))}", ""]
        for note in self.notes:
            out += [f"> {md_text(note)}", ""]
        if not self.entries:
            out += [t("history_none", lang), ""]
        for e in self.entries:
            head = when_label(e, lang)
            council = "" if self.council_key else f" – {md_text(e.council)}"
            out.append(f"## {md_text(head)}{council}")
            out.append("")
            out.append(f"**{md_text(display_title(e.item_number, e.item_title))}** "
                       f"_({md_text(e.source)})_")
            out.append("")
            if e.snippet:
                out += [f"> {md_text(e.snippet)}", ""]
            for f in e.followups:
                out.append(f"- {md_text(t('history_promised', lang))}: {md_text(_promise(f))} "
                           f"– {md_text(_status(f, lang))}"
                           + (f" ({md_text(_answer(f, lang))})" if f.answered else ""))
            for link in e.linked:
                out.append(f"- {md_text(t('history_linked', lang))}: {md_text(_linked(link, lang))}")
            if e.followups or e.linked:
                out.append("")
        if self.elsewhere:
            out += [f"## {md_text(t('history_elsewhere', lang))}", ""]
            for link in self.elsewhere:
                out.append(f"- {md_text(_linked(link, lang))}")
            out.append("")
        out += [f"_{md_text(self.mention_rule)}_", ""]
        return "\n".join(out).rstrip() + "\n"


def _emit(text: str, out: str | Path | TextIO | None) -> str:
    if isinstance(out, (str, Path)):
        _atomic_write(Path(out), text.encode("utf-8"))
    elif out is not None:
        out.write(text)
    return text


def _promise(f: HistoryFollowUp) -> str:
    who = f"{f.who}: " if f.who else ""
    due = f" ({f.due})" if f.due else ""
    return f"{who}{f.what}{due}"


def _status(f: HistoryFollowUp, lang: str) -> str:
    return t("history_answered" if f.answered else "history_open", lang)


def _answer(f: HistoryFollowUp, lang: str) -> str:
    title = f.answered_title or ""
    return t("history_answered_by", lang, when=when_label(f.answered_when, lang), title=title,
             council=f.answered_council or "")


def _linked(link: LinkedItem, lang: str) -> str:
    return f"{when_label(link.when, lang)} – {link.council} – {link.title} ({link.reason})"


# -- building ---------------------------------------------------------------------------


def _council_of(row: Any) -> tuple[str, str]:
    return council_key(row.municipality, row.body), council_name(row.municipality, row.body)


def _linked_item(row: Item, reason: str, linked_from: int | None) -> LinkedItem:
    key, name = _council_of(row)
    return LinkedItem(item_id=row.id, meeting_id=row.meeting_id, when=when(row), council=name, council_key=key,
                      municipality=row.municipality, body=row.body, title=display_title(row.number, row.title),
                      reason=reason, source=row.source, linked_from=linked_from)


def _followups(archive: Archive, item_ids: set[int], meeting_ids: set[int]) -> dict[int, list[HistoryFollowUp]]:
    records: list[FollowUpRecord] = [f for f in present(archive.followups(meeting_ids=meeting_ids))
                                     if f.item_id in item_ids]
    answer_ids = {f.answered_by_item_id for f in records if f.answered_by_item_id}
    answers = {r.id: r for r in archive.items(item_ids=answer_ids, enrichment=False)} if answer_ids else {}
    out: dict[int, list[HistoryFollowUp]] = defaultdict(list)
    for f in records:
        ans = answers.get(f.answered_by_item_id) if f.answered_by_item_id else None
        out[f.item_id].append(HistoryFollowUp(
            id=f.id, who=f.who, what=f.what, due=f.due, sentence=f.sentence, status=f.status,
            answered=f.status == STATUS_ANSWERED,
            answered_by_item_id=f.answered_by_item_id,
            answered_when=when(ans) if ans else f.answered_date,
            answered_title=display_title(ans.number, ans.title) if ans else None,
            answered_council=council_name(ans.municipality, ans.body) if ans else None,
            answered_reason=f.answered_reason,
        ))
    return out


def _thread_links(archive: Archive, rows: dict[int, Item], links: list | None = None,
                  items: dict[int, Item] | None = None) -> dict[int, list[LinkedItem]]:
    """Stored thread links from the history's items to items of other councils.

    Args:
        links, items: Links and linked items already read for a superset of
            ``rows`` (:func:`topic_histories`); read here when None.
    """
    if links is None:
        links = archive.thread_links_of(rows)
    else:
        links = [x for x in links if x.src_item_id in rows or x.dst_item_id in rows]
    links = sorted(links, key=lambda x: (x.src_item_id, x.dst_item_id))  # not the order SQLite happened to read
    other_ids = {x for link in links for x in (link.src_item_id, link.dst_item_id)} - set(rows)
    if items is not None:
        others = {i: items[i] for i in other_ids if i in items}
    else:
        others = {r.id: r for r in archive.items(item_ids=other_ids, enrichment=False)} if other_ids else {}
    out: dict[int, list[LinkedItem]] = defaultdict(list)
    for link in links:
        for mine, theirs in ((link.src_item_id, link.dst_item_id), (link.dst_item_id, link.src_item_id)):
            if mine in rows and theirs in others:
                a, b = rows[mine], others[theirs]
                if _council_of(a)[0] == _council_of(b)[0]:
                    continue
                reason = next((r for r in link.reasons if r.startswith(SAME_DNR)), None) or ELSEWHERE
                out[mine].append(_linked_item(b, reason, mine))
    return out


def _order_key(entry: HistoryEntry) -> tuple:
    return chronological(entry.when), entry.meeting_id


def _entries(rows: dict[int, Item], snippets: dict[int, str], scores: dict[int, float | None],
             fus: dict[int, list[HistoryFollowUp]], linked: dict[int, list[LinkedItem]],
             order: str) -> list[HistoryEntry]:
    """The history's entries of ``rows`` (reading order): meetings newest (or oldest) first, undated last."""
    entries = []
    for r in rows.values():
        key, name = _council_of(r)
        entries.append(HistoryEntry(
            item_id=r.id, meeting_id=r.meeting_id, when=when(r), precision=precision(r), date=r.date, year=r.year,
            month=r.month, municipality=r.municipality, body=r.body, council=name, council_key=key, kind=r.kind,
            source=r.source, item_number=r.number, item_title=r.title, snippet=snippets.get(r.id, ""),
            pages=r.pages, dnr=r.dnr, score=scores.get(r.id), followups=fus.get(r.id, []),
            linked=linked.get(r.id, []),
        ))
    ordinal = {r.id: r.ordinal for r in rows.values()}
    newest = order == "newest"
    # meetings newest (or oldest) first; items of one meeting in agenda order
    dated = sorted(sorted((e for e in entries if e.when), key=lambda e: ordinal[e.item_id]),
                   key=_order_key, reverse=newest)
    undated = sorted((e for e in entries if not e.when), key=lambda e: (e.meeting_id, ordinal[e.item_id]))
    return dated + undated


def _council_name(archive: Archive, filters: Filters) -> str | None:
    if not filters.council:
        return None
    return next((c.name for c in archive.councils() if c.key == filters.council), filters.council)


def _elsewhere(other_rows: list[Item]) -> list[LinkedItem]:
    """Mentions in other councils: each council's newest :data:`ELSEWHERE_PER_COUNCIL`, councils by name."""
    per: dict[str, list[Item]] = defaultdict(list)
    for r in sorted(other_rows, key=lambda r: chronological(when(r)), reverse=True):
        per[_council_of(r)[0]].append(r)
    others: list[LinkedItem] = []
    for key in sorted(per, key=lambda k: _council_of(per[k][0])[1]):
        others += [_linked_item(r, ELSEWHERE, None) for r in per[key][:ELSEWHERE_PER_COUNCIL]]
    return others


def _topic_scores_snippets(archive: Archive, rows: dict[int, Item], topic: str, label: str,
                           passages: dict[int, list]) -> tuple[dict[int, float | None], dict[int, str]]:
    """Each item's score for ``topic`` (its tag's, None when untagged) and its snippet for the topic's label."""
    scores: dict[int, float | None] = {}
    snippets: dict[int, str] = {}
    for r in rows.values():
        tag = next((tp for tp in r.topics if tp.id == topic), None)
        scores[r.id] = round(tag.score, 4) if tag else None
        snippets[r.id] = best_snippet(archive, r, label, passages=passages.get(r.id, []))[0]
    return scores, snippets


def _split_is_exact(result: SearchResult, mode: str, k: int) -> bool:
    """Whether a search of all councils, split by council, gives one council's own search.

    Only in keyword mode (a hybrid score depends on the whole candidate set:
    the fusion's floor, best BM25 and gate) and only when nothing was cut: all
    candidates fitted in the pool and fewer than ``k`` passed the cutoff.
    """
    pool = max(CANDIDATES, k * 3)
    return mode == "keyword" and len(result.hits) < k and len(result.hits) + result.below_cutoff < pool


def issue_history(
    archive: Archive,
    settings: Settings | None,
    *,
    query: str | None = None,
    topic: str | None = None,
    filters: Filters | None = None,
    order: str = "newest",
    mode: str = "hybrid",
    k: int = QUERY_K,
    elsewhere: bool = True,
) -> IssueHistory:
    """The dated history of an issue in the chosen council (or all councils).

    Args:
        archive: The open archive.
        settings: Settings for search (needed for a query; unused for a topic).
        query: The issue in words ("motorburen ungdom").
        topic: A topic id or label instead of a query.
        filters: Which council (``council``), municipality, body, kind and
            dates; checked against the archive (an unknown name is a
            :class:`~radslag.errors.FilterError` naming the closest ones).
        order: ``newest`` or ``oldest`` first; undated entries come last.
        mode: Search mode for a query (``hybrid``, ``keyword``, ``dense``).
        k: Search hits considered for a query.
        elsewhere: With one council chosen, also list mentions of the issue in
            other councils (labelled :data:`ELSEWHERE`).

    Returns:
        An :class:`IssueHistory`.

    Raises:
        ValueError: For neither or both of ``query`` and ``topic``, or an unknown order.
        FilterError: For an unknown topic or filter value.
    """
    query = (query or "").strip() or None
    topic = (topic or "").strip() or None
    if bool(query) == bool(topic):
        raise ValueError("give exactly one of query= or topic=")
    if order not in ORDERS:
        raise ValueError(f"order must be one of {ORDERS}, not {order!r}")
    if query and settings is None:
        raise RadslagError("En frågehistorik behöver inställningar för sökningen (a query history needs settings).")
    filters = check(archive, filters)
    topic_label = None
    if topic:
        taxonomy = load_taxonomy()
        topic = resolve_topic(topic, taxonomy)
        topic_label = next(tp.label_sv for tp in taxonomy if tp.id == topic)
    notes: list[str] = []
    snippets: dict[int, str] = {}
    scores: dict[int, float | None] = {}
    # one council and the mentions elsewhere: one search of all councils, its hits split by council
    # when that split is what the council's own search would give (_split_is_exact), else two searches
    wider = filters.with_(council=None) if elsewhere and filters.council else None
    wide_rows: list[Item] | None = None
    if query:
        own = MentionSearch(settings=settings, mode=mode, k=k, filters=filters)  # the council's own search
        if wider is None:
            hits, rule, more = query_mentions(archive, query, own)
        else:
            result = search(archive, query, settings=settings, k=k, mode=mode, filters=wider)
            wide_hits, rule, more = query_mentions(archive, query, replace(own, filters=wider, result=result))
            wide_rows = archive.items(item_ids=[h.item_id for h in wide_hits], enrichment=False)
            if not _split_is_exact(result, mode, k):  # the council's own search is the answer: run it
                hits, rule, more = query_mentions(archive, query, own)
            else:
                mine = {r.id for r in wide_rows if _council_of(r)[0] == filters.council}
                hits = [h for h in wide_hits if h.item_id in mine]
        notes += more
        ids = [h.item_id for h in hits]
        snippets = {h.item_id: h.snippet for h in hits}
        scores = {h.item_id: h.score for h in hits}
    else:
        found, rule, more = mentions(archive, topic=topic, settings=settings, filters=filters)
        notes += more
        ids = sorted(found)
    rows = {r.id: r for r in archive.items(item_ids=ids, enrichment=not query)}
    if topic:
        passages = archive.items_passages(list(rows))  # one query, not one per item
        scores, snippets = _topic_scores_snippets(archive, rows, topic, topic_label or topic, passages)
    fus = _followups(archive, set(rows), {r.meeting_id for r in rows.values()})
    linked = _thread_links(archive, rows)
    entries = _entries(rows, snippets, scores, fus, linked, order)
    council = _council_name(archive, filters)
    others: list[LinkedItem] = []
    if wider is not None:
        if wide_rows is None:
            other_ids = sorted(mentions(archive, topic=topic, settings=settings, filters=wider)[0])
            wide_rows = archive.items(item_ids=other_ids, enrichment=False)
        others = _elsewhere([r for r in wide_rows if _council_of(r)[0] != filters.council])
    return IssueHistory(
        query=query, topic=topic, topic_label=topic_label, council=council, council_key=filters.council,
        order=order, entries=entries, elsewhere=others, mention_rule=rule, notes=notes,
    )


def topic_histories(
    archive: Archive,
    topics: Iterable[str],
    *,
    filters: Filters | None = None,
    order: str = "newest",
    elsewhere: bool = True,
) -> dict[str, IssueHistory]:
    """The history of each of several topics, in one pass over the archive.

    What :func:`issue_history` gives for ``topic=`` one topic at a time (the
    same entries, follow-ups, links and mentions elsewhere), read with one
    query per kind of record for all topics together instead of one set of
    queries per topic (``radslag publish`` shows a history for every topic of
    a council).

    Args:
        archive: The open archive.
        topics: Topic ids or labels.
        filters, order, elsewhere: As for :func:`issue_history`.

    Returns:
        ``{topic id: history}`` in the order the topics were given.

    Raises:
        ValueError: For an unknown order.
        FilterError: For an unknown topic or filter value.
    """
    if order not in ORDERS:
        raise ValueError(f"order must be one of {ORDERS}, not {order!r}")
    filters = check(archive, filters)
    taxonomy = load_taxonomy()
    label_of = {tp.id: tp.label_sv for tp in taxonomy}
    wanted = list(dict.fromkeys(resolve_topic((tp or "").strip(), taxonomy) for tp in topics))
    if not wanted:
        return {}
    wider = filters.with_(council=None) if elsewhere and filters.council else None
    # the one pass: every item in scope with its topics (a topic matches by id or label, as the topic filter does)
    scope = archive.items(wider if wider is not None else filters)
    folded = {tid: tid.casefold() for tid in wanted}
    members: dict[str, list[Item]] = {tid: [] for tid in wanted}
    for r in scope:
        for tid in wanted:
            if any(tp.id == tid or (tp.label or "").casefold() == folded[tid] for tp in r.topics):
                members[tid].append(r)
    mine = [r for r in scope if wider is None or _council_of(r)[0] == filters.council]
    shown = {r.id for tid in wanted for r in members[tid]} & {r.id for r in mine}
    rows_all = {r.id: r for r in mine if r.id in shown}
    passages = archive.items_passages(list(rows_all))
    fus = _followups(archive, set(rows_all), {r.meeting_id for r in rows_all.values()})
    links = archive.thread_links_of(rows_all) if rows_all else []
    link_ids = {x for link in links for x in (link.src_item_id, link.dst_item_id)}
    linked_items = {r.id: r for r in archive.items(item_ids=link_ids, enrichment=False)} if link_ids else {}
    council = _council_name(archive, filters)
    rule = threshold_note("topic", DENSE_THRESHOLD)
    out: dict[str, IssueHistory] = {}
    for tid in wanted:
        label = label_of[tid]
        rows = {r.id: r for r in members[tid] if r.id in rows_all}
        scores, snippets = _topic_scores_snippets(archive, rows, tid, label or tid, passages)
        linked = _thread_links(archive, rows, links=links, items=linked_items)
        others: list[LinkedItem] = []
        if wider is not None:
            others = _elsewhere([r for r in members[tid] if _council_of(r)[0] != filters.council])
        out[tid] = IssueHistory(
            query=None, topic=tid, topic_label=label, council=council, council_key=filters.council, order=order,
            entries=_entries(rows, snippets, scores, {i: fus.get(i, []) for i in rows}, linked, order),
            elsewhere=others, mention_rule=rule, notes=[],
        )
    return out
