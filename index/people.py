"""People across meetings: who appears, in what role, party and period.

Persons are read from the archive: person mentions grouped by their
canonical name (set at ingest, see :mod:`ingest.people`) per municipality
(the meeting's municipality, else its body), the role or party tag written
right next to a mention, and the participants listed in each meeting's
metadata (joined to a mentioned person when :func:`radslag.names.cluster_names`
says they are the same). No extra table is needed.

Only names that can be a person's are listed (:func:`radslag.names.looks_like_person`:
two or more name words, no organisation or place word, no municipality first),
unless ``min_evidence=False`` asks for every tagger hit. Each person names the
councils, (municipality, body), they appear in.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from index.councils import swedish_municipalities
from index.store import Archive
from radslag.councils import council_name
from radslag.names import cluster_names, looks_like_person, name_tokens
from radslag.periods import chronological, when
from radslag.types import EntityCount, EntityMention, Filters, Meeting

#: Largest gap in characters between a name and an adjacent role or party tag.
ADJACENT = 3


@dataclass
class Person:
    """One person in one municipality.

    Attributes:
        aliases: The ways the name is written.
        roles: Most frequent first.
        bodies: Bodies the person appears in (as written).
        councils: Councils, "Municipality – Body", the person appears in.
        first_seen, last_seen: The earliest and latest meeting (its day, or
            its year when only that is known).
        mentions: Mentions in item text (0 for someone only listed as present).
        meetings: Meetings the person appears in.
    """

    name: str
    municipality: str | None
    aliases: list[str]
    roles: list[str]
    party: str | None
    bodies: list[str]
    first_seen: str | None
    last_seen: str | None
    mentions: int
    meetings: int
    councils: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Acc:
    name: str
    municipality: str | None
    aliases: set[str] = field(default_factory=set)
    roles: Counter = field(default_factory=Counter)
    parties: Counter = field(default_factory=Counter)
    meetings: set[int] = field(default_factory=set)
    mentions: int = 0
    listed: bool = False


def scope_of(municipality: str | None, body: str | None) -> str:
    """The scope within which one name is one person: municipality, else body."""
    return (municipality or body or "").casefold()


def people(archive: Archive, filters: Filters | None = None, min_evidence: bool = True) -> list[Person]:
    """List persons with aliases, roles, party, bodies and dates.

    Args:
        archive: The archive (canonical names set at ingest).
        filters: Only meetings (and items) passing these filters.
        min_evidence: Leave out names that are neither listed as present,
            nor given a role or party, nor mentioned twice: a single
            tagger hit ("Badkort", "webben") is too weak to call a person.

    Returns:
        Persons sorted by mentions, then name.
    """
    meetings: dict[int, Meeting] = {m.id: m for m in archive.meetings(filters)}
    if not meetings:
        return []
    by_item: dict[int, list[EntityMention]] = defaultdict(list)
    for e in archive.entity_mentions(labels=("PER", "ROLE", "PARTY"), filters=filters):
        if e.meeting_id in meetings:
            by_item[e.item_id].append(e)

    persons: dict[tuple[str, str], _Acc] = {}

    def person(scope: str, name: str, municipality: str | None) -> _Acc:
        key = (scope, name)
        if key not in persons:
            persons[key] = _Acc(name, municipality)
        return persons[key]

    for ents in by_item.values():
        for k, e in enumerate(ents):
            if e.label != "PER":
                continue
            m = meetings[e.meeting_id]
            p = person(scope_of(m.municipality, m.body), e.canonical or " ".join(name_tokens(e.text)),
                       m.municipality)
            p.aliases.add(re.sub(r"\s+", " ", e.text).strip())
            p.meetings.add(e.meeting_id)
            p.mentions += 1
            # adjacent role before: "kommunchef Carin Becker"
            if k > 0 and ents[k - 1].label == "ROLE" and 0 <= e.start - ents[k - 1].end <= ADJACENT:
                p.roles[ents[k - 1].canonical or ents[k - 1].text.casefold()] += 1
            # after: "(M)" then ", ordförande" / "Per Ersgård kommunpolisen"
            end = e.end
            for nxt in ents[k + 1 : k + 3]:
                if not 0 <= nxt.start - end <= ADJACENT:
                    break
                if nxt.label == "PARTY":
                    p.parties[nxt.canonical or nxt.text] += 1
                elif nxt.label == "ROLE":
                    p.roles[nxt.canonical or nxt.text.casefold()] += 1
                    break
                else:
                    break
                end = nxt.end + 1  # skip the closing bracket of "(M)"

    # participants from the meeting metadata
    for mid, m in meetings.items():
        scope = scope_of(m.municipality, m.body)
        known = [name for (s, name) in persons if s == scope]
        for part in m.participants:
            if not part.name:
                continue
            mapping = cluster_names(known + [part.name])
            canon = mapping.get(part.name) or part.name
            same = next((k for k in known if mapping.get(k) == canon), None)
            # a participant who is a person already mentioned joins that person (under the fuller name)
            p = persons[(scope, same)] if same is not None else person(scope, canon, m.municipality)
            p.name = canon
            p.meetings.add(mid)
            p.listed = True
            if part.role:
                p.roles[str(part.role).casefold()] += 1
            if part.party:
                p.parties[str(part.party)] += 1

    if min_evidence:
        places = swedish_municipalities()
        persons = {k: p for k, p in persons.items() if (p.listed or p.roles or p.parties or p.mentions >= 2)
                   and looks_like_person(p.name, places)}
    out = []
    for p in persons.values():
        seen = sorted((w for w in (when(meetings[mid].date, meetings[mid].year, meetings[mid].month) for mid in p.meetings) if w),
                      key=chronological)
        out.append(
            Person(
                name=p.name,
                municipality=p.municipality,
                aliases=sorted(p.aliases),
                roles=[r for r, _ in p.roles.most_common()],
                party=p.parties.most_common(1)[0][0] if p.parties else None,
                bodies=sorted({meetings[mid].body for mid in p.meetings if meetings[mid].body}),
                councils=sorted({council_name(meetings[mid].municipality, meetings[mid].body) for mid in p.meetings}),
                first_seen=seen[0] if seen else None,
                last_seen=seen[-1] if seen else None,
                mentions=p.mentions,
                meetings=len(p.meetings),
            )
        )
    out.sort(key=lambda d: (-d.mentions, d.name.casefold()))
    return out


def entity_counts(
    archive: Archive, label: str | None = None, by: str | None = None, filters: Filters | None = None
) -> list[EntityCount]:
    """Count entity mentions by canonical name, for ``radslag entities``.

    Args:
        archive: The archive.
        label: Only this label (e.g. ``"ORG"``).
        by: ``"body"`` or ``"year"`` to split counts per body or meeting
            year (year-only meetings count in their year); None for totals.
        filters: Only items passing these filters.

    Returns:
        Counts, most mentioned first.

    Raises:
        ValueError: For another ``by``.
    """
    return archive.entity_counts(label=label, by=by, filters=filters)
