"""What a published council site shows, read from the archive into plain records.

:func:`collect` reads one council's meetings (each item split into its
sections, the Beslut section first), the council's issue histories (one per
topic its items carry, :func:`index.history.topic_histories`), its open
follow-ups and a "lätt svenska" summary per meeting (:mod:`publish.easy`).
Nothing here escapes or masks: :mod:`publish.render` does that for every
string it writes, and :mod:`publish.search_index` for the search index.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePath

from index.followups import followups as stored_followups
from index.history import IssueHistory, topic_histories
from index.store import STATUS_OPEN, Archive
from index.threads import is_procedural
from publish.easy import SummaryItem, SummaryLine, summarise
from radslag.config import Settings
from radslag.periods import when
from radslag.types import Council, Filters, FollowUpRecord, Item, Meeting

#: The section kind that holds what was decided.
DECISION = "beslut"


@dataclass
class Part:
    """A piece of an item's text: the text before its first section (``title`` None) or a section."""

    kind: str | None
    title: str | None
    text: str


@dataclass
class ItemView:
    """One agenda item as published."""

    id: int
    anchor: str
    number: str | None
    title: str
    dnr: str | None
    text: str
    decision: Part | None
    parts: list[Part]
    topics: list[tuple[str, str]] = field(default_factory=list)  # (id, label)
    followups: list[FollowUpRecord] = field(default_factory=list)


@dataclass
class MeetingView:
    """One meeting as published, with its page name and summary."""

    meeting: Meeting
    page: str  # file name under meetings/
    when: str | None
    source_name: str  # the file name only: the folder it was read from is nobody's business
    items: list[ItemView]
    summary: list[SummaryLine]


@dataclass
class IssueView:
    """One issue (topic) and its history in the council."""

    topic: str
    label: str
    page: str  # file name under issues/
    history: IssueHistory


@dataclass
class SiteData:
    """Everything a council's site shows."""

    council: Council
    meetings: list[MeetingView]  # newest first, undated last
    issues: list[IssueView]  # most items first
    open_followups: list[FollowUpRecord]
    notes: list[str] = field(default_factory=list)
    _pages: dict[int, tuple[str, str]] | None = field(default=None, repr=False)

    def item_page(self, item_id: int) -> tuple[str, str] | None:
        """``(meeting page, anchor)`` of an item on this site, or None when it is not here."""
        if self._pages is None:
            self._pages = {iv.id: (mv.page, iv.anchor) for mv in self.meetings for iv in mv.items}
        return self._pages.get(item_id)


def slug(text: str) -> str:
    """A file-name-safe ASCII slug ("Motorburen ungdom" -> "motorburen-ungdom")."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    ascii_ = "".join(c for c in folded if not unicodedata.combining(c)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-") or "x"


def _body_start(doc: str, item: Item) -> int:
    """Offset of the item's body text in the document text (the body is an exact slice of it)."""
    guess = item.end - len(item.text)
    if item.text and doc[guess:item.end] == item.text:
        return guess
    found = doc.find(item.text, item.start) if item.text else -1
    return found if found >= 0 else item.start


def _strip_heading(text: str, title: str) -> str:
    head = text.lstrip()
    if title and head.casefold().startswith(title.casefold()):
        head = head[len(title):]
        head = head.lstrip(" \t:.–-")
    return head.strip("\n").strip()


def split_parts(doc: str | None, item: Item) -> tuple[Part | None, list[Part]]:
    """The item's Beslut section and the rest of its text in order (intro, then other sections)."""
    sections = sorted(item.sections or [], key=lambda s: s.start)
    if not doc or not sections:
        return None, [Part(None, None, item.text.strip())] if item.text.strip() else []
    body = _body_start(doc, item)
    parts: list[Part] = []
    intro = doc[body:sections[0].start].strip() if sections[0].start > body else ""
    if intro:
        parts.append(Part(None, None, intro))
    decision = None
    for s in sections:
        text = _strip_heading(doc[s.start:s.end], s.title)
        part = Part(s.kind, s.title, text)
        if s.kind == DECISION and decision is None:
            decision = part
        else:
            parts.append(part)
    return decision, parts


def _meeting_page(meeting: Meeting) -> str:
    return f"{when(meeting) or 'odaterat'}-{meeting.id}.html"


def collect(archive: Archive, settings: Settings | None, council: Council) -> SiteData:
    """Read ``council``'s meetings, issue histories and open follow-ups from ``archive``."""
    filters = Filters(council=council.key)
    meetings = archive.meetings(filters)
    # newest first, undated last
    dated = sorted((m for m in meetings if when(m)), key=lambda m: (when(m), m.id), reverse=True)
    meetings = dated + [m for m in meetings if not when(m)]
    followups = stored_followups(archive, filters)
    by_item: dict[int, list[FollowUpRecord]] = {}
    for f in followups:
        by_item.setdefault(f.item_id, []).append(f)
    views: list[MeetingView] = []
    topic_items: dict[str, set[int]] = {}
    topic_label: dict[str, str] = {}
    # every meeting's text and items in two queries, not two per meeting
    texts = archive.document_texts(m.document_id for m in meetings)
    items_of: dict[int, list[Item]] = {}
    for it in archive.items(filters):
        items_of.setdefault(it.meeting_id, []).append(it)
    for m in meetings:
        doc = texts.get(m.document_id)
        items = sorted(items_of.get(m.id, []), key=lambda i: i.ordinal)
        ivs = []
        for it in items:
            decision, parts = split_parts(doc, it)
            topics = [(tp.id, tp.label) for tp in it.topics]
            for tid, label in topics:
                topic_items.setdefault(tid, set()).add(it.id)
                topic_label[tid] = label
            ivs.append(ItemView(
                id=it.id, anchor=f"punkt-{it.ordinal + 1}", number=it.number, title=it.title, dnr=it.dnr,
                text=it.text, decision=decision, parts=parts, topics=topics, followups=by_item.get(it.id, []),
            ))
        summary = summarise([
            SummaryItem(iv.anchor, iv.title, iv.decision.text if iv.decision else None, iv.text,
                        procedural=is_procedural(iv.title))
            for iv in ivs
        ])
        views.append(MeetingView(m, _meeting_page(m), when(m), PurePath(m.source).name, ivs, summary))
    issues = []
    ranked = sorted(topic_items, key=lambda x: (-len(topic_items[x]), topic_label[x].casefold()))
    # every topic's history in one pass over the archive (issue_history per topic read it once per topic)
    histories = topic_histories(archive, ranked, filters=filters, order="oldest", elsewhere=False)
    for tid in ranked:
        history = histories[tid]
        if history.entries:
            issues.append(IssueView(tid, history.topic_label or topic_label[tid], f"{slug(tid)}.html", history))
    open_followups = [f for f in followups if f.status == STATUS_OPEN]
    return SiteData(council=council, meetings=views, issues=issues, open_followups=open_followups)
