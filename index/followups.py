"""Follow-up status: whether a commitment made in a meeting was answered later.

Commitments are detected at ingest (:mod:`ingest.followups`) and stored; this
module decides, over the whole archive, whether each was answered. A
follow-up is ``besvarad`` (answered) when an item in a later meeting of the
same body (same body and municipality, compared case-folded)

1. covers the commitment lexically: the idf-weighted share of the content
   terms (:func:`index.keyword.content_terms`) of *what* (or of *what* plus
   the preceding context sentence, whichever covers more) that occur in the
   later item is at least :data:`LEXICAL_THRESHOLD` with at least
   :data:`MIN_SHARED_TERMS` shared terms, or
2. is the direct successor of the follow-up's item in an issue thread
   (``thread_links``) *and* covers it at least :data:`THREAD_LEXICAL_THRESHOLD`
   (a thread link alone only says the issue came back, not that the
   promise was kept), or
3. is close in embedding space: cosine between the commitment (query
   embedding) and the item vector is at least :data:`DENSE_THRESHOLD` (only
   when item vectors are given and embedding is asked for).

The first later meeting with such an item answers the follow-up and that item
is recorded. Otherwise the status is ``öppen``. Follow-ups in undated
meetings stay ``öppen`` because "later" cannot be decided.

"Same body" is the same council, (municipality, body) with the body name
normalised (:func:`radslag.councils.council_key`). As listed
(:func:`followups`, :func:`present`), the actor "vi" is the council itself
("Hallstahammar – Trygghetsråd"; ``who_written`` keeps "vi"), and
near-identical follow-ups of one meeting (a proposal repeated in the
decision, :func:`near_duplicates`) are one row that lists the others' ids.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from index.embeddings import load_embedder
from index.keyword import content_terms
from index.store import STATUS_ANSWERED, STATUS_OPEN, Archive
from radslag.config import Settings
from radslag.councils import council_key, council_name
from radslag.periods import chronological, when
from radslag.types import Filters, FollowUpRecord, Item

if TYPE_CHECKING:  # index.threads loads scikit-learn
    from index.threads import LinkPlan

#: Minimum idf-weighted coverage of the commitment's content terms in a later item.
LEXICAL_THRESHOLD = 0.45
#: Lower coverage that suffices when the later item is the direct thread successor.
THREAD_LEXICAL_THRESHOLD = 0.30
#: Minimum number of shared content terms for a lexical answer.
MIN_SHARED_TERMS = 2
#: Minimum cosine between the commitment embedding and a later item vector.
DENSE_THRESHOLD = 0.86

#: Thread scopes (municipalities) assessed per pass of :func:`update_status`.
_SCOPES_PER_PASS = 25

#: Status words users may type, mapped to the stored ones.
STATUS_ALIASES = {"open": STATUS_OPEN, "oppen": STATUS_OPEN, "answered": STATUS_ANSWERED}


#: Actors that are the council itself ("Vi tar med oss frågan").
SELF_ACTORS = frozenset({"vi", "oss"})
#: Share of content terms two follow-ups of one meeting must share to be one (Jaccard).
DUPLICATE_OVERLAP = 0.8


def _body_key(row: Item) -> str:
    return council_key(row.municipality, row.body)


def surely_after(first: str | None, then: str | None) -> bool:
    """Whether a meeting at ``then`` is surely later than one at ``first`` (:func:`~radslag.periods.when` values).

    Compared at the precision both share: "2022-03-01" is after "2021", but
    "2021-09-15" is not surely after "2021" (the year-only meeting may be later).
    """
    if not first or not then:
        return False
    n = min(len(first), len(then))
    return then[:n] > first[:n]


def present(records: list[FollowUpRecord], *, merge: bool = True) -> list[FollowUpRecord]:
    """Follow-ups as users see them: council named, "vi" resolved, near-duplicates merged.

    Args:
        records: Follow-ups in reading order (:meth:`Archive.followups` or :func:`assess`).
        merge: Merge near-identical follow-ups of one meeting (:func:`near_duplicates`).
    """
    out = []
    for r in records:
        name = council_name(r.municipality, r.body)
        who, written = r.who, r.who_written
        if who and who.casefold() in SELF_ACTORS:
            who, written = name, who
        out.append(replace(r, council=name, council_key=council_key(r.municipality, r.body), who=who,
                           who_written=written))
    return near_duplicates(out) if merge else out


def _dup_terms(r: FollowUpRecord) -> set[str]:
    return set(content_terms(r.what))


def near_duplicates(records: list[FollowUpRecord], overlap: float = DUPLICATE_OVERLAP) -> list[FollowUpRecord]:
    """Merge follow-ups of one meeting whose commitments are (nearly) the same text.

    Two follow-ups are one when they share at least ``overlap`` of their
    content terms (Jaccard) and the smaller has at least three, or their
    sentences are equal. The first in reading order is kept (an answered one
    over an open one), with the others' ids in ``duplicates``.
    """
    kept: list[FollowUpRecord] = []
    terms: list[set[str]] = []
    for r in records:
        mine = _dup_terms(r)
        same = None
        for n, k in enumerate(kept):
            if k.meeting_id != r.meeting_id:
                continue
            other = terms[n]
            small = min(len(mine), len(other))
            union = len(mine | other) or 1
            if " ".join(k.sentence.split()).casefold() == " ".join(r.sentence.split()).casefold() or (
                    small >= 3 and len(mine & other) / union >= overlap):
                same = n
                break
        if same is None:
            kept.append(replace(r, duplicates=list(r.duplicates)))
            terms.append(mine)
            continue
        first = kept[same]
        if first.status != STATUS_ANSWERED and r.status == STATUS_ANSWERED:
            kept[same] = replace(r, duplicates=[*first.duplicates, first.id, *r.duplicates])
        else:
            first.duplicates.extend([r.id, *r.duplicates])
    return kept


@dataclass
class _CouncilIndex:
    """One council's items, indexed once per :func:`assess` for all of its follow-ups.

    Attributes:
        rows: The items in answering order (time as :func:`~radslag.periods.when` gives it, meeting, ordinal).
        made: Each row's :func:`~radslag.periods.when`.
        terms: Each row's content terms (title and text).
        df: Document frequency of each term in the council (idf weights).
        postings: The rows (positions in ``rows``, ascending) holding each term asked for.
    """

    rows: list[Item]
    made: list[str | None]
    terms: list[set[str]]
    df: Counter
    postings: dict[str, np.ndarray]

    @classmethod
    def of(cls, items: list[Item], wanted: set[str]) -> "_CouncilIndex":
        """Index ``items``; postings only for the ``wanted`` terms (those of the council's follow-ups)."""
        made = [when(r) for r in items]
        # sorted from reading order, stably: every later-items list of the old per-follow-up sort is a subsequence
        order = sorted(range(len(items)), key=lambda n: (chronological(made[n]), items[n].meeting_id,
                                                         items[n].ordinal))
        rows = [items[n] for n in order]
        terms = [set(content_terms(f"{r.title}\n{r.text}")) for r in rows]
        df: Counter = Counter()
        postings: dict[str, list[int]] = {}
        for pos, ts in enumerate(terms):
            df.update(ts)
            for t in ts & wanted:
                postings.setdefault(t, []).append(pos)
        return cls(rows, [made[n] for n in order], terms, df,
                   {t: np.asarray(p, dtype=np.int64) for t, p in postings.items()})

    def sharing(self, view: set[str], least: int) -> np.ndarray:
        """Positions of the rows holding at least ``least`` of the terms of ``view``."""
        lists = [self.postings[t] for t in view if t in self.postings]
        if not lists:
            return np.zeros(0, dtype=np.int64)
        counts = np.bincount(np.concatenate(lists), minlength=len(self.rows))
        return np.flatnonzero(counts >= least)


def assess(
    archive: Archive,
    settings: Settings | None = None,
    *,
    vectors: dict[int, np.ndarray] | None = None,
    meeting_ids: list[int] | None = None,
    lexical_threshold: float = LEXICAL_THRESHOLD,
    dense_threshold: float = DENSE_THRESHOLD,
    embed: bool = False,
    exhaustive: bool = False,
) -> list[FollowUpRecord]:
    """Decide whether each stored follow-up was answered, without storing.

    Each council's items are read and indexed once (content terms, document
    frequencies, a term -> items list); a follow-up then scores only the
    later items that can answer it: those sharing at least
    :data:`MIN_SHARED_TERMS` content terms with one of its views, its thread
    successors, and (dense test) the items with a vector. Every other later
    item scores nothing, so skipping it changes no result.

    Args:
        archive: The open archive.
        settings: Settings (used only when ``embed`` is true).
        vectors: Precomputed item vectors (L2-normalised) by item id. The
            embedding test runs only when these are given and ``embed`` is
            true (the commitment itself must be embedded with the same
            model); otherwise only the thread and lexical tests run.
        meeting_ids: Only follow-ups made in these meetings (answers may
            come from any later meeting of the same body).
        lexical_threshold: See :data:`LEXICAL_THRESHOLD`.
        dense_threshold: See :data:`DENSE_THRESHOLD`.
        embed: Embed commitments with the model named by ``settings``; a
            model that cannot be loaded raises (no silent fallback).
        exhaustive: Score every later item of the council, not only those
            the term index offers (the plain scan the indexed one must equal).

    Returns:
        The follow-ups with ``status``, ``answered_by_item_id``,
        ``answered_date``, ``answered_reason`` and ``answered_score`` decided,
        in reading order.
    """
    commitments = archive.followups(meeting_ids=meeting_ids)
    if not commitments:
        return []
    # Only the councils the follow-ups were made in: answers come from the same council.
    by_body: dict[str, list[Item]] = {}
    for row in archive.council_items({f.meeting_id for f in commitments}):
        by_body.setdefault(_body_key(row), []).append(row)
    item_of = {i.id: i for rows in by_body.values() for i in rows}
    # Two views of each commitment: its own clause, and the clause with the
    # preceding sentence ("Vi tar med oss frågan" needs context).
    views_of: dict[int, list[set[str]]] = {}
    wanted: dict[str, set[str]] = {}
    by_item: dict[int, list[FollowUpRecord]] = {}
    for f in commitments:
        by_item.setdefault(f.item_id, []).append(f)
        views = [set(content_terms(f.what)), set(content_terms(f"{f.context} {f.what}"))]
        views_of[f.id] = [v for v in views if v]
        wanted.setdefault(_body_key(item_of[f.item_id]), set()).update(*views)
    councils = {key: _CouncilIndex.of(rows, wanted.get(key, set())) for key, rows in by_body.items()}

    embedder = load_embedder(settings) if embed and vectors is not None else None
    # thread links leaving the follow-ups' own items (not every link of the archive)
    successors: dict[int, set[int]] = {}
    for link in archive.thread_links_of(by_item):
        if link.src_item_id in by_item:
            successors.setdefault(link.src_item_id, set()).add(link.dst_item_id)

    results: list[FollowUpRecord] = []
    for item_id, fus in by_item.items():
        row = item_of[item_id]
        council = councils[_body_key(row)]
        made = when(row)
        threaded = successors.get(row.id, set())
        threaded_at = [p for p, r in enumerate(council.rows) if r.id in threaded] if threaded else []
        df = council.df
        n_docs = max(1, len(council.rows))
        later_all: list[int] | None = None
        qvecs = None
        if embedder is not None or exhaustive:
            later_all = [p for p, w in enumerate(council.made) if surely_after(made, w)]
            if later_all and embedder is not None:
                qvecs = embedder.encode_queries([f"{f.context} {f.what}".strip() for f in fus])
        for n, fu in enumerate(fus):
            rec = replace(
                fu, status=STATUS_OPEN, answered_by_item_id=None, answered_date=None, answered_score=None,
                answered_reason=None if made else "odaterat möte (undated meeting)",
            )
            views = views_of[fu.id]
            q_terms = set().union(*views) if views else set()
            weight = {t: math.log((n_docs + 1) / (df.get(t, 0) + 0.5)) for t in q_terms}
            if later_all is not None:  # the dense test (or the reference scan) looks at every later item
                candidates = later_all
            else:  # only rows that can score: enough shared terms, or a thread successor
                found = {int(p) for v in views for p in council.sharing(v, MIN_SHARED_TERMS)}
                found.update(threaded_at)
                candidates = [p for p in sorted(found) if surely_after(made, council.made[p])]
            best: tuple[str, float, Item, float] | None = None
            for pos in candidates:
                cand = council.rows[pos]
                if best is not None and cand.meeting_id != best[2].meeting_id:
                    break  # the first answering meeting wins
                scores: list[tuple[float, str, float]] = []
                cand_terms = council.terms[pos]
                for view in views:
                    shared = view & cand_terms
                    coverage = sum(weight[t] for t in shared) / (sum(weight[t] for t in view) or 1.0)
                    if len(shared) >= MIN_SHARED_TERMS and coverage >= lexical_threshold:
                        scores.append((coverage, f"ordlikhet {coverage:.2f}", coverage))
                    elif cand.id in threaded and coverage >= THREAD_LEXICAL_THRESHOLD:
                        scores.append((coverage, f"trådlänk + ordlikhet {coverage:.2f}", coverage))
                if qvecs is not None and vectors and cand.id in vectors:
                    cos = float(qvecs[n] @ vectors[cand.id])
                    if cos >= dense_threshold:
                        scores.append((cos, f"likhet {cos:.2f}", cos))
                if scores:
                    top = max(scores)
                    if best is None or top[0] > best[1]:
                        best = (top[1], top[0], cand, top[2])
            if best is not None:
                rec = replace(
                    rec, status=STATUS_ANSWERED, answered_by_item_id=best[2].id, answered_date=when(best[2]),
                    answered_reason=best[0], answered_score=round(best[3], 4),
                )
            results.append(rec)
    return results


def update_status(
    archive: Archive,
    settings: Settings | None = None,
    vectors: dict[int, np.ndarray] | None = None,
    *,
    scopes: set[str] | None = None,
    plan: LinkPlan | None = None,
) -> int:
    """Assess the stored follow-ups and store the outcome.

    Build threads first (:func:`index.threads.build_threads`) so thread links
    count as answers. The embedding test runs when both ``vectors`` and
    ``settings`` are given.

    Args:
        scopes: Only the follow-ups of these thread scopes (municipalities,
            :func:`index.threads.thread_scope`) and of the scopes of meetings
            whose ``links`` stage is open; None assesses every follow-up. A
            follow-up's answers come from its own council, which lies in one
            scope, so a scope nothing changed in keeps its statuses.
        plan: The links stage's plan (:func:`index.threads.plan_links`): its
            meetings' scopes and open links are not read again.

    Returns:
        The number of follow-ups assessed.
    """
    from index.threads import meeting_scopes, pending_scopes  # deferred: index.threads loads scikit-learn

    scope_of = plan.scope_of if plan is not None else meeting_scopes(archive)[1]
    if scopes is not None:
        wanted = set(scopes) | (plan.pending if plan is not None else pending_scopes(archive, scope_of))
    else:
        wanted = set(scope_of.values())
    by_scope: dict[str, list[int]] = {}
    for mid, sc in sorted(scope_of.items()):
        if sc in wanted:
            by_scope.setdefault(sc, []).append(mid)
    # A few scopes at a time (answers never leave a council, so never a scope): a whole archive's
    # items and their terms are not held at once; the statuses are stored together, as before.
    rows: list[FollowUpRecord] = []
    groups = sorted(by_scope)
    for lo in range(0, len(groups), _SCOPES_PER_PASS):
        meeting_ids = [m for sc in groups[lo:lo + _SCOPES_PER_PASS] for m in by_scope[sc]]
        rows += assess(archive, settings, vectors=vectors, meeting_ids=meeting_ids,
                       embed=vectors is not None and settings is not None)
    archive.set_followup_statuses(rows)
    return len(rows)


def followups(
    archive: Archive,
    filters: Filters | None = None,
    status: str | None = None,
    *,
    meeting_ids: list[int] | None = None,
    merge: bool = True,
) -> list[FollowUpRecord]:
    """Stored follow-ups with their meeting and council, oldest first (see :func:`present`).

    Args:
        archive: The open archive.
        filters: Meetings (and items) the follow-ups were made in.
        status: ``öppen`` or ``besvarad`` (``open``/``answered`` accepted too).
        meeting_ids: Only follow-ups made in these meetings.
        merge: Merge near-identical follow-ups of one meeting.
    """
    status = STATUS_ALIASES.get(status or "", status)
    return present(archive.followups(filters, status=status, meeting_ids=meeting_ids), merge=merge)


def to_rows(records: list[FollowUpRecord]) -> list[dict[str, Any]]:
    """Plain dicts of follow-up records (for tables and JSON)."""
    return [r.to_json() for r in records]
