"""One name per person and organisation across the archive.

:func:`canonicalize` sets ``entities.canonical`` for every entity:

* PER: mentions are grouped per municipality (the meeting's municipality,
  else its body). Two written forms are the same person when their first
  names are equal (case-insensitive) and they share a surname part, where a
  hyphenated surname counts as its parts and a genitive "-s" may be dropped:
  "Carin Becker", "Carin Becker-Åström", "kommunchef Carin Becker",
  "CARIN BECKER" and "Carin Beckers" are one person. Role words before or
  after the name are stripped ("Per Ersgård kommunpolisen"). A lone first
  name or surname ("Carins", "Becker") joins a person when exactly one person
  in the same municipality fits. The canonical form is the fullest written
  form (most surname parts), then the most frequent.
* ORG: the alias table ``ingest/data/entities/organisations.tsv``
  (Polisen/polisen/Polismyndigheten/Polisens → Polisen); otherwise the text
  with a genitive "-s" dropped when the bare form also occurs.
* LOC: municipality names → official name ("Hallstahammars kommun").
* DATE: a day without a year ("--06-04") gets the meeting's year.
* ROLE, PARTY, DNR, PARAGRAPH keep the canonical set at extraction.

Person listings (:func:`people`) are computed from ``entities`` and
``meetings.participants``; no extra table is needed.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from index.store import Archive
from ingest.entities import get_rules

#: Largest gap in characters between a name and an adjacent role or party tag.
_ADJACENT = 3


# -- person names ----------------------------------------------------------------


def name_tokens(text: str) -> list[str]:
    """Split a person mention into name words, without role words or brackets.

    Example: ``"kommunchef Carin Becker"`` → ``["Carin", "Becker"]``.
    """
    rules = get_rules()
    words = [w.strip(",.;:()[]\"'") for w in text.split()]
    words = [w for w in words if w]
    while words and (rules.is_role_word(words[0]) or words[0][:1].islower()):
        words.pop(0)
    while words and (rules.is_role_word(words[-1]) or words[-1][:1].islower()):
        words.pop()
    return words


def _display(words: list[str]) -> str:
    text = " ".join(words)
    if text.isupper():
        text = " ".join("-".join(p.capitalize() for p in w.split("-")) for w in words)
    return text


@dataclass
class _Name:
    words: list[str]
    first: str = ""
    surnames: frozenset[str] = frozenset()
    stripped: frozenset[str] = frozenset()  # surnames with a genitive -s dropped

    def __post_init__(self) -> None:
        folded = [w.casefold() for w in self.words]
        self.first = folded[0] if folded else ""
        parts = {p for w in folded[1:] for p in w.split("-") if p}
        self.surnames = frozenset(parts)
        self.stripped = frozenset(p[:-1] for p in parts if p.endswith("s") and len(p) > 3)

    def matches(self, other: "_Name") -> bool:
        if len(self.words) < 2 or len(other.words) < 2 or self.first != other.first:
            return False
        return bool(
            self.surnames & other.surnames
            or self.stripped & other.surnames
            or self.surnames & other.stripped
        )


@dataclass
class _Cluster:
    names: list[_Name] = field(default_factory=list)

    def canonical(self) -> str:
        known = set().union(*(n.surnames for n in self.names))
        counts = Counter(tuple(n.words) for n in self.names)

        def score(words: tuple[str, ...]) -> tuple[int, int, int, int]:
            name = _Name(list(words))
            possessive = int(bool(name.stripped & known) and not (name.surnames - {s + "s" for s in known}))
            return (-possessive, int(not " ".join(words).isupper()), len(name.surnames), counts[words])

        best = max(counts, key=score)
        return _display(list(best))


class _UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def cluster_names(texts: Iterable[str]) -> dict[str, str]:
    """Map each written person name to its canonical form (one scope).

    Args:
        texts: Person mentions as written, all from one municipality.

    Returns:
        ``{written form: canonical name}``; a form that cannot be resolved
        maps to itself with role words stripped.
    """
    forms = sorted(set(texts))
    names = {t: _Name(name_tokens(t)) for t in forms}
    full = [t for t in forms if len(names[t].words) >= 2]
    uf = _UnionFind(len(full))
    by_first: dict[str, list[int]] = defaultdict(list)
    for i, t in enumerate(full):
        by_first[names[t].first].append(i)
    for idx in by_first.values():
        for a_pos, a in enumerate(idx):
            for b in idx[a_pos + 1 :]:
                if names[full[a]].matches(names[full[b]]):
                    uf.union(a, b)
    clusters: dict[int, _Cluster] = defaultdict(_Cluster)
    members: dict[int, list[str]] = defaultdict(list)
    for i, t in enumerate(full):
        root = uf.find(i)
        clusters[root].names.append(names[t])
        members[root].append(t)
    result: dict[str, str] = {}
    canon = {root: c.canonical() for root, c in clusters.items()}
    for root, ts in members.items():
        for t in ts:
            result[t] = canon[root]
    # lone words: attach when exactly one person fits
    for t in forms:
        if t in result:
            continue
        words = names[t].words
        if not words:
            result[t] = t.strip()
            continue
        word = words[0].casefold()
        candidates = {word, word[:-1]} if word.endswith("s") and len(word) > 3 else {word}
        hits = {
            root
            for root, c in clusters.items()
            if any(n.first in candidates or n.surnames & candidates for n in c.names)
        }
        result[t] = canon[hits.pop()] if len(hits) == 1 else _display(words)
    return result


# -- canonicalize ---------------------------------------------------------------------


def _scope(row: Any) -> str:
    return (row["municipality"] or row["body"] or "").casefold()


def _org_canonical(text: str, seen_orgs: set[str]) -> str:
    rules = get_rules()
    norm = re.sub(r"\s+", " ", text).strip()
    folded = norm.casefold()
    if folded in rules.org_canonical:
        return rules.org_canonical[folded]
    if folded.endswith("s") and folded[:-1] in rules.org_canonical:
        return rules.org_canonical[folded[:-1]]
    if folded.endswith("s") and folded[:-1] in seen_orgs:
        return norm[:-1]
    return norm


def _loc_canonical(text: str) -> str:
    rules = get_rules()
    norm = re.sub(r"\s+", " ", text).strip()
    if norm.casefold() in rules.municipality_official:
        return rules.municipality_official[norm.casefold()]
    if norm in rules.municipality_bare:
        return rules.municipality_bare[norm]
    if norm.endswith("s") and norm[:-1] in rules.municipality_bare:
        return rules.municipality_bare[norm[:-1]]
    return norm


def canonicalize(archive: Archive) -> None:
    """Set ``entities.canonical`` across the whole archive in one transaction."""
    rows = archive.conn.execute(
        "SELECT e.id, e.text, e.label, e.canonical, m.municipality, m.body, m.date"
        " FROM entities e JOIN items i ON i.id = e.item_id JOIN meetings m ON m.id = i.meeting_id"
    ).fetchall()
    updates: list[tuple[str | None, int]] = []
    per_scope: dict[str, list[Any]] = defaultdict(list)
    seen_orgs = {re.sub(r"\s+", " ", r["text"]).strip().casefold() for r in rows if r["label"] == "ORG"}
    for r in rows:
        label = r["label"]
        if label == "PER":
            per_scope[_scope(r)].append(r)
        elif label == "ORG":
            updates.append((r["canonical"] or _org_canonical(r["text"], seen_orgs), r["id"]))
        elif label == "LOC":
            updates.append((r["canonical"] or _loc_canonical(r["text"]), r["id"]))
        elif label == "DATE":
            canon = r["canonical"]
            if canon and canon.startswith("--") and r["date"]:
                canon = r["date"][:4] + canon[1:]
            updates.append((canon or r["text"], r["id"]))
        elif label == "ROLE":
            updates.append((r["canonical"] or r["text"].casefold(), r["id"]))
        else:
            updates.append((r["canonical"] or re.sub(r"\s+", " ", r["text"]).strip(), r["id"]))
    for scope_rows in per_scope.values():
        mapping = cluster_names(r["text"] for r in scope_rows)
        updates.extend((mapping[r["text"]], r["id"]) for r in scope_rows)
    with archive.transaction() as c:
        c.executemany("UPDATE entities SET canonical = ? WHERE id = ?", updates)


# -- listings -------------------------------------------------------------------------


def _meeting_rows(archive: Archive, body: str | None) -> dict[int, Any]:
    sql = "SELECT id, body, municipality, date, participants FROM meetings"
    args: list[Any] = []
    if body:
        sql += " WHERE sv_fold(body) = sv_fold(?)"
        args.append(body)
    return {r["id"]: r for r in archive.conn.execute(sql, args)}


def people(archive: Archive, body: str | None = None, min_evidence: bool = True) -> list[dict[str, Any]]:
    """List canonical persons with aliases, roles, party, bodies and dates.

    Call :func:`canonicalize` first (persons are grouped by
    ``entities.canonical``, per municipality). Persons listed only in a
    meeting's participants are included with ``mentions`` 0.

    Args:
        archive: The archive.
        body: Only meetings of this body (case-insensitive).
        min_evidence: Leave out names that are neither listed as present,
            nor given a role or party, nor mentioned twice: a single
            tagger hit ("Badkort", "webben") is too weak to call a person.

    Returns:
        One dict per person: ``name``, ``municipality``, ``aliases``,
        ``roles`` (most frequent first), ``party``, ``bodies``,
        ``first_seen``, ``last_seen`` (meeting dates, ISO), ``mentions``,
        ``meetings``; sorted by mentions, then name.
    """
    meetings = _meeting_rows(archive, body)
    if not meetings:
        return []
    rows = archive.conn.execute(
        "SELECT e.item_id, e.text, e.label, e.start, e.end, e.canonical, i.meeting_id"
        " FROM entities e JOIN items i ON i.id = e.item_id"
        " WHERE e.label IN ('PER', 'ROLE', 'PARTY') ORDER BY e.item_id, e.start"
    ).fetchall()
    by_item: dict[int, list[Any]] = defaultdict(list)
    for r in rows:
        if r["meeting_id"] in meetings:
            by_item[r["item_id"]].append(r)

    @dataclass
    class _Person:
        name: str
        municipality: str | None
        aliases: set[str] = field(default_factory=set)
        roles: Counter = field(default_factory=Counter)
        parties: Counter = field(default_factory=Counter)
        meetings: set[int] = field(default_factory=set)
        mentions: int = 0
        listed: bool = False

    persons: dict[tuple[str, str], _Person] = {}

    def person(scope: str, name: str, municipality: str | None) -> _Person:
        key = (scope, name)
        if key not in persons:
            persons[key] = _Person(name, municipality)
        return persons[key]

    for ents in by_item.values():
        for k, e in enumerate(ents):
            if e["label"] != "PER":
                continue
            m = meetings[e["meeting_id"]]
            p = person(_scope(m), e["canonical"] or " ".join(name_tokens(e["text"])), m["municipality"])
            p.aliases.add(re.sub(r"\s+", " ", e["text"]).strip())
            p.meetings.add(e["meeting_id"])
            p.mentions += 1
            # adjacent role before: "kommunchef Carin Becker"
            if k > 0 and ents[k - 1]["label"] == "ROLE" and 0 <= e["start"] - ents[k - 1]["end"] <= _ADJACENT:
                p.roles[ents[k - 1]["canonical"] or ents[k - 1]["text"].casefold()] += 1
            # after: "(M)" then ", ordförande" / "Per Ersgård kommunpolisen"
            end = e["end"]
            for nxt in ents[k + 1 : k + 3]:
                if not 0 <= nxt["start"] - end <= _ADJACENT:
                    break
                if nxt["label"] == "PARTY":
                    p.parties[nxt["canonical"] or nxt["text"]] += 1
                elif nxt["label"] == "ROLE":
                    p.roles[nxt["canonical"] or nxt["text"].casefold()] += 1
                    break
                else:
                    break
                end = nxt["end"] + 1  # skip the closing bracket of "(M)"

    # participants from the meeting metadata
    for mid, m in meetings.items():
        try:
            participants = json.loads(m["participants"] or "[]")
        except (TypeError, ValueError):
            participants = []
        scope = _scope(m)
        known = [name for (s, name) in persons if s == scope]
        for part in participants:
            if not isinstance(part, dict) or not part.get("name"):
                continue
            mapping = cluster_names(known + [part["name"]])
            name = mapping.get(part["name"]) or part["name"]
            p = person(scope, name, m["municipality"])
            p.meetings.add(mid)
            p.listed = True
            if part.get("role"):
                p.roles[str(part["role"]).casefold()] += 1
            if part.get("party"):
                p.parties[str(part["party"])] += 1

    if min_evidence:
        persons = {k: p for k, p in persons.items() if p.listed or p.roles or p.parties or p.mentions >= 2}
    out = []
    for p in persons.values():
        dates = sorted(meetings[mid]["date"] for mid in p.meetings if meetings[mid]["date"])
        out.append(
            {
                "name": p.name,
                "municipality": p.municipality,
                "aliases": sorted(p.aliases),
                "roles": [r for r, _ in p.roles.most_common()],
                "party": p.parties.most_common(1)[0][0] if p.parties else None,
                "bodies": sorted({meetings[mid]["body"] for mid in p.meetings if meetings[mid]["body"]}),
                "first_seen": dates[0] if dates else None,
                "last_seen": dates[-1] if dates else None,
                "mentions": p.mentions,
                "meetings": len(p.meetings),
            }
        )
    out.sort(key=lambda d: (-d["mentions"], d["name"].casefold()))
    return out


def entity_counts(archive: Archive, label: str | None = None, by: str | None = None) -> list[dict[str, Any]]:
    """Count entity mentions by canonical name, for ``radslag entities``.

    Args:
        archive: The archive.
        label: Only this label (e.g. ``"ORG"``).
        by: ``"body"`` or ``"year"`` to split counts per body or meeting
            year; None for totals.

    Returns:
        Dicts with ``entity``, ``label``, ``mentions``, ``items``,
        ``meetings`` and, when ``by`` is given, ``body`` or ``year``;
        most mentioned first.
    """
    groups = {None: None, "body": "m.body", "year": "substr(m.date, 1, 4)"}
    if by not in groups:
        raise ValueError(f"by must be 'body', 'year' or None, not {by!r}")
    group_expr = groups[by]
    select_group = f", {group_expr} AS {by}" if by else ""
    group_by = f", {group_expr}" if by else ""
    where = "WHERE e.label = ?" if label else ""
    args = [label] if label else []
    sql = (
        "SELECT COALESCE(e.canonical, e.text) AS entity, e.label AS label"
        f"{select_group}, count(*) AS mentions, count(DISTINCT e.item_id) AS items,"
        " count(DISTINCT i.meeting_id) AS meetings"
        " FROM entities e JOIN items i ON i.id = e.item_id JOIN meetings m ON m.id = i.meeting_id"
        f" {where} GROUP BY COALESCE(e.canonical, e.text), e.label{group_by}"
        " ORDER BY mentions DESC, entity"
    )
    return [dict(r) for r in archive.conn.execute(sql, args)]
