"""Issue threads: agenda items in different meetings that deal with the same issue.

A thread belongs to one council, (municipality, body) (:mod:`radslag.councils`),
unless a link says otherwise: a link that crosses councils carries the reason
"över råd: A → B". Linking rule (one pass per municipality, chronological):

* Items are ordered by their meeting's time as precisely as known
  (:func:`radslag.periods.when`: a year-only meeting sorts before that year's
  dated ones), then meeting id; meetings with no date at all sort last, and
  their links (and those to year- or month-only meetings) carry the reason
  "odaterat möte" / "ungefärligt datum" because the order is then a guess.
* **Case number first.** Items of one municipality whose case numbers
  (``dnr``) are the same case (:func:`case_key`: same registry letters, year
  and number, however written: "KS 2021/123", "KS-2021-00123", "2021.123 KS")
  are chained first mention to latest, across councils: the nämnd → KS → KF
  path of one case, which similarity alone does not see. Reason
  "samma diarienummer: KS 2021/123" (plus "över råd: …" when the councils differ).
* **Similarity within a council.** For every other item, the candidates are
  items of *earlier* meetings of the same council (never the same meeting;
  other councils of the municipality too with ``across_councils=True``, each
  such link labelled "över råd"). Each candidate gets ``score = similarity +
  bonuses``: similarity is the cosine of item vectors (mean of the item's
  passage vectors, L2-normalised); bonuses are :data:`TOPIC_BONUS` per shared
  topic (at most 2) and :data:`ENTITY_BONUS` per shared canonical person,
  organisation or place (at most 3).
* The item links to its single best predecessor when ``similarity >=
  min_sim`` and ``score >= link_threshold`` (see :data:`THRESHOLDS`; they
  depend on how the vectors were made). Greedy best-predecessor linking means
  a thread reads from the first mention to the latest and an item is never
  pulled into two threads through two weak links.
* Threads are the connected components of the links (union-find); the thread
  id is the id of its earliest item.
* Procedural items (the ``procedural_titles`` list in
  ``index/data/procedural.yaml``: "Närvaro", "Föregående minnesanteckningar",
  "Övriga frågor" …) are never linked.

**Incremental.** Links never leave a municipality (the *scope*; a meeting
without a municipality is its own council's scope), so after an ingest
:func:`build_threads` relinks only the scopes with a new, changed or removed
meeting (``thread_meetings`` in :mod:`index.store.recurrence` records what the
stored threads took into account); ``full=True`` rebuilds everything, as does
a change of vector method.

Vectors: the items' mean passage vectors from the FAISS index, or given by
the caller; with ``method="auto"`` and embedding turned off (or the model
unavailable, said in the result's ``notes``), TF-IDF over content terms.

Every link stores ``reasons`` in Swedish, e.g. ``["likhet 0.87",
"gemensamt ämne: motorburen ungdom", "gemensam plats: Hallstahammar"]`` or
``["samma diarienummer: KS 2021/123", "över råd: Alingsås – Kommunstyrelsen →
Alingsås – Kommunfullmäktige"]``.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from collections.abc import Callable
from pathlib import Path
from typing import Any, Union

import numpy as np
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer

from index.casenumbers import case_numbers
from index.embeddings import load_embedder
from index.keyword import all_terms_expression, content_terms
from index.store import Archive
from index.vectors import VectorIndex
from radslag.config import Settings
from radslag.councils import council_key, council_name
from radslag.errors import RadslagError
from radslag.periods import chronological, when
from radslag.taxonomy import item_text_for_embedding
from radslag.types import Filters, Item, ThreadEntry, ThreadLink

log = logging.getLogger(__name__)

PROCEDURAL_FILE = Path(__file__).resolve().parent / "data" / "procedural.yaml"

#: Per-method thresholds: ``(min_sim, link_threshold)``. ``embedder`` values
#: are for multilingual-e5 cosines (which sit high: unrelated Swedish
#: paragraphs are often ~0.75-0.80); ``tfidf`` for TF-IDF cosines over
#: stemmed Swedish terms. The e5 values were raised from (0.83, 0.88) after
#: the corpus archive showed one connected thread of 85 items: mean passage
#: vectors of long administrative items sit at 0.85-0.95 to each other. At
#: (0.86, 0.94) a link between items below ~0.90 needs shared topics or
#: entities, the motorburen-ungdom link (Arboga -> Hallstahammar) survives
#: and the largest thread has 22 items (bench/recurrence.py measures it).
THRESHOLDS: dict[str, tuple[float, float]] = {
    "embedder": (0.86, 0.94),
    "tfidf": (0.10, 0.22),
    "given": (0.86, 0.94),
}
TOPIC_BONUS = 0.04
ENTITY_BONUS = 0.02
#: How many nearest earlier items are scored per item.
CANDIDATES_PER_ITEM = 12


#: Item vectors by item id, or a function giving them for a list of item ids (read only for
#: the items a relink needs: :meth:`index.vectors.VectorIndex.item_means` with ``item_ids``).
ItemVectors = Union[dict[int, np.ndarray], Callable[[list[int]], dict[int, np.ndarray]]]

_PLACE_LABELS = {"loc", "gpe", "place", "plats", "location", "lok"}
_PERSON_LABELS = {"per", "person", "prs", "pers"}
_ORG_LABELS = {"org", "organisation", "organization", "orgn"}


@dataclass
class ThreadReport:
    """What :func:`build_threads` did.

    Attributes:
        links: Links stored in this run (0 when nothing changed).
        method: How item vectors were made: ``given``, ``embedder`` or ``tfidf``.
        notes: Anything the caller should pass on (a fallback and why).
        scopes: Municipalities (scopes) relinked in this run.
        full: Whether the whole archive was relinked.
        dirty: The scopes relinked, None when the whole archive was (see
            :func:`index.followups.update_status`).
    """

    links: int
    method: str
    notes: list[str] = field(default_factory=list)
    scopes: int = 0
    full: bool = False
    dirty: set[str] | None = None


@dataclass
class Thread:
    """An issue thread: items of several meetings, first mention first."""

    thread_id: int
    label: str
    size: int
    meeting_count: int
    first_date: str | None
    last_date: str | None
    bodies: list[str]
    topics: dict[str, int]
    items: list[ThreadEntry]
    councils: list[str] = field(default_factory=list)
    council_keys: list[str] = field(default_factory=list)

    @property
    def across(self) -> bool:
        """Whether the thread crosses councils (its links then say "över råd")."""
        return len(self.council_keys) > 1

    def to_json(self) -> dict[str, Any]:
        return {**{k: getattr(self, k) for k in ("thread_id", "label", "size", "meeting_count", "first_date",
                                                  "last_date", "bodies", "topics", "councils", "council_keys")},
                "across": self.across,
                "items": [i.to_json() for i in self.items]}


@lru_cache(maxsize=1)
def _procedural() -> re.Pattern[str]:
    pats = yaml.safe_load(PROCEDURAL_FILE.read_text(encoding="utf-8")).get("procedural_titles", [])
    return re.compile(r"^\s*(?:\d+[.)]?\s*|§\s*\d+\s*)?(?:" + "|".join(f"(?:{p})" for p in pats) + r")\s*[.:]?\s*$", re.I)


def is_procedural(title: str | None) -> bool:
    """Whether an item title is procedure (attendance, minutes approval …)."""
    return bool(title) and bool(_procedural().match(title))


# -- vectors ----------------------------------------------------------------------


def _tfidf_matrix(texts: list[str]):
    vec = TfidfVectorizer(analyzer=content_terms, sublinear_tf=True, min_df=1)
    try:
        return vec.fit_transform(texts)  # rows are L2-normalised
    except ValueError:  # no content term at all ("empty vocabulary"): nothing to link by similarity
        from scipy.sparse import csr_matrix

        return csr_matrix((len(texts), 1), dtype=np.float64)


# -- linking -------------------------------------------------------------------------


def _enrichment(row: Item) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    topics = {t.id: t.label for t in row.topics}
    ents: dict[str, tuple[str, str]] = {}
    for e in row.entities:
        label = (e.label or "").casefold()
        name = (e.canonical or e.text or "").strip()
        if not name:
            continue
        if label in _PLACE_LABELS:
            kind = "plats"
        elif label in _PERSON_LABELS:
            kind = "person"
        elif label in _ORG_LABELS:
            kind = "organisation"
        else:
            continue
        ents[f"{kind}:{name.casefold()}"] = (kind, name)
    return topics, ents


def case_key(dnr: str | None) -> tuple[str, int, int] | None:
    """``(registry letters, year, number)`` of a case number, however written; None when it has none.

    The registry letters are what the number carries besides year and number
    ("KS", "BUN"; "Dnr" dropped): the same case keeps them when it moves from
    a nämnd to KS and KF, and two registries' "2021/12" are two cases. The
    field's first number, read by :func:`index.casenumbers.case_numbers` (the
    parser search reads queries with).

    Example:
        >>> case_key("Dnr KS 2021/123") == case_key("KS-2021-00123") == case_key("2021.123 KS")
        True
        >>> case_key("BUN 2021/123") == case_key("KS 2021/123")
        False
        >>> case_key("Diarienummer RV250312"), case_key("Dnr HSN/462/2025")
        (('RV', 2025, 312), ('HSN', 2025, 462))
    """
    found = case_numbers(dnr) if dnr else []
    return found[0] if found else None


def thread_scope(municipality: str | None, body: str | None) -> str:
    """The scope a meeting is linked in: its municipality, or its council when the municipality is unknown."""
    key = council_key(municipality, body)
    return key.split("/", 1)[0] if municipality else key


def _order(row: Any) -> tuple[int, str, int]:
    known = when(row)
    return (0 if known else 1, known or "", row.meeting_id)


def _order_reason(a: tuple[int, str, int], b: tuple[int, str, int]) -> str | None:
    if a[0] or b[0]:
        return "odaterat möte: ordningen är osäker"
    if len(a[1]) < 10 or len(b[1]) < 10:
        return "ungefärligt datum: ordningen är osäker"
    return None


class _ScopeVectors:
    """Item vectors for one scope at a time, by a method decided once for the whole run.

    ``given`` (the caller's vectors or function), ``embedder`` (the stored
    index's item means, opened once; items without vectors encoded from
    title and text) or ``tfidf`` (fitted per scope, so relinking one scope
    gives what a full build gives). The model is loaded only when a scope
    has items; when it cannot be, ``auto`` falls back to TF-IDF and says why.
    """

    def __init__(self, archive: Archive, settings: Settings | None, vectors: ItemVectors | None, method: str):
        self.archive, self.settings, self.vectors, self.method = archive, settings, vectors, method
        self.used: str | None = "given" if vectors is not None else None
        self.notes: list[str] = []
        self._embedder = None
        self._index: VectorIndex | None = None

    def _decide(self) -> None:
        use_model = self.method == "embedder" or (self.method == "auto" and self.settings is not None
                                                  and self.settings.embed)
        if use_model:
            try:
                self._embedder = load_embedder(self.settings)
                self._index = VectorIndex.open(self.settings, self._embedder)
                self.used = "embedder"
                return
            except RadslagError as exc:
                if self.method == "embedder":
                    raise
                log.warning("threads fall back to TF-IDF: %s", exc)
                self.notes.append(f"Trådar byggda med TF-IDF eftersom inbäddningar saknas (threads built with "
                                  f"TF-IDF, embeddings unavailable): {exc}")
        self.used = "tfidf"

    def matrix(self, rows: list[Item]) -> tuple[list[Item], Any]:
        """The rows that have vectors and their L2-normalised matrix (dense, or sparse for TF-IDF)."""
        if self.used is None:
            self._decide()
        if self.used == "given":
            given = self.vectors([r.id for r in rows]) if callable(self.vectors) else self.vectors
            rows = [r for r in rows if r.id in given]
            if not rows:
                return [], np.zeros((0, 1))
            mat = np.stack([np.asarray(given[r.id], dtype=np.float32) for r in rows])
            return rows, mat / np.maximum(np.linalg.norm(mat, axis=1, keepdims=True), 1e-9)
        if self.used == "tfidf":
            return rows, _tfidf_matrix([f"{r.title}\n{r.text}" for r in rows])
        return rows, _with_missing(self._index.item_means(self.archive, [r.id for r in rows]), rows, self._embedder)

    def fallback_method(self) -> str:
        """What :func:`compute_links` reports when no scope had items (nothing was decided)."""
        return self.used or ("tfidf" if self.method == "tfidf" else self.method)


def _with_missing(means: dict[int, np.ndarray], items: list[Item], embedder) -> np.ndarray:
    """Item vectors in ``items`` order; items without stored vectors encoded from title and text."""
    mat = np.zeros((len(items), embedder.dim), dtype=np.float32)
    missing = []
    for n, r in enumerate(items):
        if r.id in means:
            mat[n] = means[r.id]
        else:
            missing.append(n)
    if missing:
        texts = [item_text_for_embedding(items[n].title, items[n].text) for n in missing]
        mat[missing] = np.asarray(embedder.encode_passages(texts), dtype=np.float32)
    return mat


def compute_links(
    archive: Archive,
    settings: Settings | None = None,
    vectors: ItemVectors | None = None,
    *,
    method: str = "auto",
    min_sim: float | None = None,
    link_threshold: float | None = None,
    across_councils: bool = False,
    meeting_ids: set[int] | None = None,
    scope_of: dict[int, str] | None = None,
) -> tuple[list[ThreadLink], str, list[str]]:
    """Compute links (case number first, then best predecessor) without storing them.

    Scope by scope (municipalities never link): each scope's items and
    vectors are read, linked and let go before the next, so neither a full
    build nor a relink holds the whole archive's items or vectors at once,
    and relinking one scope gives what a full build gives.

    Args:
        archive: The open archive.
        settings: Settings for the embedder.
        vectors: Item vectors by id, or a function giving those of a list of
            item ids (else computed, see :class:`_ScopeVectors`).
        method, min_sim, link_threshold: See :class:`_ScopeVectors` and :data:`THRESHOLDS`.
        across_councils: Let similarity link items of different councils of
            one municipality (such links say "över råd"); case numbers always may.
        meeting_ids: Link only these meetings' items (whole scopes; None = all).
        scope_of: ``{meeting id: scope}`` of every meeting, when the caller
            has it (:class:`LinkPlan`); read from the archive when None.

    Returns:
        ``(links, method_used, notes)``; each link goes from the earlier item
        to the later one and says why.
    """
    if scope_of is None:
        scope_of = {mid: thread_scope(mun, body) for mid, (mun, body) in archive.meeting_councils(meeting_ids).items()}
    by_scope: dict[str, list[int]] = defaultdict(list)
    for mid in sorted(scope_of if meeting_ids is None else set(meeting_ids) & scope_of.keys()):
        by_scope[scope_of[mid]].append(mid)
    source = _ScopeVectors(archive, settings, vectors, method)
    links: list[ThreadLink] = []
    for scope_meetings in by_scope.values():
        ids = archive.meeting_item_ids(scope_meetings)
        rows = [r for r in archive.items(item_ids=ids) if not is_procedural(r.title)] if ids else []
        if not rows:
            continue
        rows, mat = source.matrix(rows)
        if not rows:
            continue
        d_min, d_link = THRESHOLDS[source.used]
        links += _link_rows(rows, mat, d_min if min_sim is None else min_sim,
                            d_link if link_threshold is None else link_threshold, across_councils)
    return links, source.fallback_method(), source.notes


def _link_rows(rows: list[Item], mat: Any, min_sim: float, link_threshold: float,
               across_councils: bool) -> list[ThreadLink]:
    """Links among the items of one scope (see the module doc for the rule)."""
    keys = [_order(r) for r in rows]
    rank_of_key = {k: n for n, k in enumerate(sorted(set(keys), key=lambda k: (k[0], chronological(k[1] or None), k[2])))}
    rank = np.array([rank_of_key[k] for k in keys])
    meeting = np.array([r.meeting_id for r in rows])
    ckeys = [council_key(r.municipality, r.body) for r in rows]
    names = {k: council_name(r.municipality, r.body) for k, r in zip(ckeys, rows)}
    council_ids = {k: n for n, k in enumerate(sorted(set(ckeys)))}
    council = np.array([council_ids[k] for k in ckeys])
    links: list[ThreadLink] = []
    has_pred: set[int] = set()

    def across(i: int, j: int) -> list[str]:
        return [] if ckeys[i] == ckeys[j] else [f"över råd: {names[ckeys[i]]} → {names[ckeys[j]]}"]

    # 1. The same case number: chained in order, across councils of one scope.
    cases: dict[tuple[str, int, int], list[int]] = defaultdict(list)
    for n, r in enumerate(rows):
        ck = case_key(r.dnr)
        if ck is not None:
            cases[ck].append(n)
    for members in cases.values():
        members.sort(key=lambda n: (rank[n], rows[n].ordinal))
        prev = None
        for n in members:
            if prev is not None and meeting[prev] != meeting[n]:
                sim = float((mat[prev] @ mat[n].T).toarray()[0, 0]) if hasattr(mat, "toarray") else float(mat[prev] @ mat[n])
                reasons = [f"samma diarienummer: {rows[n].dnr}"] + across(prev, n)
                order = _order_reason(keys[prev], keys[n])
                if order:
                    reasons.append(order)
                links.append(ThreadLink(src_item_id=rows[prev].id, dst_item_id=rows[n].id, score=1.0,
                                        similarity=round(sim, 4), reasons=reasons))
                has_pred.add(n)
            prev = n
    # 2. The best earlier item by similarity (and shared topics/entities), within the council.
    enrich = [_enrichment(r) for r in rows]
    n = len(rows)
    block = 1024
    for b0 in range(0, n, block):
        b1 = min(n, b0 + block)
        sims = mat[b0:b1] @ mat.T
        sims = sims.toarray() if hasattr(sims, "toarray") else np.asarray(sims)
        allowed = (rank[None, :] < rank[b0:b1, None]) & (meeting[None, :] != meeting[b0:b1, None])
        if not across_councils:
            allowed &= council[None, :] == council[b0:b1, None]
        sims = np.where(allowed, sims, -1.0)
        k = min(CANDIDATES_PER_ITEM, n)
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k] if n > k else np.tile(np.arange(n), (b1 - b0, 1))
        for local, j in enumerate(range(b0, b1)):
            if j in has_pred:
                continue
            best = None
            for i in top[local]:
                sim = float(sims[local, i])
                if sim < min_sim:
                    continue
                topics_i, ents_i = enrich[i]
                topics_j, ents_j = enrich[j]
                shared_topics = sorted(set(topics_i) & set(topics_j))
                shared_ents = sorted(set(ents_i) & set(ents_j))
                score = sim + TOPIC_BONUS * min(len(shared_topics), 2) + ENTITY_BONUS * min(len(shared_ents), 3)
                if score >= link_threshold and (best is None or score > best[0]):
                    reasons = [f"likhet {sim:.2f}"]
                    reasons += [f"gemensamt ämne: {topics_j[t]}" for t in shared_topics]
                    reasons += [f"gemensam {ents_j[e][0]}: {ents_j[e][1]}" for e in shared_ents]
                    reasons += across(int(i), j)
                    order = _order_reason(keys[int(i)], keys[j])
                    if order:
                        reasons.append(order)
                    best = (score, int(i), sim, reasons)
            if best is not None:
                links.append(ThreadLink(src_item_id=rows[best[1]].id, dst_item_id=rows[j].id,
                                        score=round(best[0], 4), similarity=round(best[2], 4), reasons=best[3]))
    return links


def _components(links: list[ThreadLink]) -> dict[int, int]:
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in links:
        a, b = find(link.src_item_id), find(link.dst_item_id)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {x: find(x) for x in list(parent)}


def _planned_method(vectors: Any, settings: Settings | None, method: str) -> str:
    if vectors is not None:
        return "given"
    if method == "embedder" or (method == "auto" and settings is not None and settings.embed):
        return "embedder"
    return "tfidf"


@dataclass(frozen=True)
class LinkPlan:
    """What one links stage relinks, read from the archive once (:func:`plan_links`).

    The canonical names, the thread relink and the follow-up status of one
    ingest all work on this plan, so the scopes are planned once, not once
    per step.

    Attributes:
        councils: ``{meeting id: (municipality, body)}`` of every meeting.
        scope_of: ``{meeting id: thread scope}`` (:func:`thread_scope`).
        changed: The scopes :func:`build_threads` relinks (a new, changed or
            removed meeting or a broken thread); None: all of them.
        pending: The scopes of meetings whose ``links`` stage is open.
        method: The vector method ``changed`` was planned for (``auto``,
            ``embedder`` or ``tfidf``): :func:`build_threads` links with it.
    """

    councils: dict[int, tuple[str | None, str | None]]
    scope_of: dict[int, str]
    changed: set[str] | None
    pending: set[str]
    method: str = "auto"

    @property
    def scopes(self) -> set[str] | None:
        """The scopes the links stage touches: changed and pending ones (None: all)."""
        return None if self.changed is None else self.changed | self.pending


def meeting_scopes(archive: Archive) -> tuple[dict[int, tuple[str | None, str | None]], dict[int, str]]:
    """``({meeting id: (municipality, body)}, {meeting id: thread scope})`` of every meeting."""
    councils = archive.meeting_councils()
    return councils, {mid: thread_scope(mun, body) for mid, (mun, body) in councils.items()}


def pending_scopes(archive: Archive, scope_of: dict[int, str]) -> set[str]:
    """The scopes of the meetings whose ``links`` stage is open."""
    return {scope_of[m] for m in archive.document_meeting_ids(archive.unfinished("links")) if m in scope_of}


def plan_links(archive: Archive, settings: Settings | None = None, vectors: ItemVectors | None = None, *,
               full: bool = False, method: str = "auto") -> LinkPlan:
    """The scopes :func:`build_threads` would relink now, with what the rest of the links stage needs.

    ``changed`` is None when everything is relinked (``full``, nothing
    stored yet, or another vector method).
    """
    councils, scope_of = meeting_scopes(archive)
    pending = pending_scopes(archive, scope_of)
    seen = archive.thread_scopes_seen()
    if full or not seen or archive.get_setting("threads_method") != _planned_method(vectors, settings, method):
        return LinkPlan(councils, scope_of, None, pending, method)
    dirty = {sc for mid, sc in scope_of.items() if seen.get(mid) != sc}
    dirty |= {seen[mid] for mid in seen if mid not in scope_of or seen[mid] != scope_of[mid]}
    dirty |= archive.broken_thread_scopes()
    return LinkPlan(councils, scope_of, dirty, pending, method)


def build_threads(
    archive: Archive,
    settings: Settings | None = None,
    vectors: ItemVectors | None = None,
    *,
    full: bool = False,
    plan: LinkPlan | None = None,
    **options: Any,
) -> ThreadReport:
    """Link the scopes (municipalities) that changed since the last build, or everything.

    Args:
        archive: The open archive.
        settings: Settings (for the embedder when ``vectors`` is None).
        vectors: Item vectors by item id, or a function giving those of a
            list of item ids (called with the relinked items only); when None
            they are computed with the embedder, or TF-IDF (see :class:`_ScopeVectors`).
        full: Relink the whole archive (also done when the vector method
            differs from the stored threads' or nothing was stored yet),
            whatever ``plan`` says is changed.
        plan: The links stage's plan (:func:`plan_links`, made with these
            ``vectors``); planned here when None. Its ``method`` is the one
            linked with.
        **options: ``method``, ``min_sim``, ``link_threshold``,
            ``across_councils`` for :func:`compute_links`.

    Returns:
        A :class:`ThreadReport` (``links`` = links written in this run).

    Raises:
        ValueError: ``method`` differs from ``plan``'s (its changed scopes
            were planned for another method's stored threads).
    """
    if plan is None:
        plan = plan_links(archive, settings, vectors, full=full, method=options.get("method", "auto"))
    elif options.setdefault("method", plan.method) != plan.method:
        raise ValueError(f"build_threads: method={options['method']!r} differs from the plan's {plan.method!r};"
                         " plan with plan_links(..., method=...)")
    scope_of, changed = plan.scope_of, plan.changed
    full = full or changed is None
    dirty = set(scope_of.values()) if full or changed is None else changed
    if not full and not dirty:
        planned = _planned_method(vectors, settings, options.get("method", "auto"))
        return ThreadReport(links=0, method=archive.get_setting("threads_method") or planned, notes=[], scopes=0,
                            full=False, dirty=set())
    meetings = {mid for mid, sc in scope_of.items() if sc in dirty}
    links, used, notes = compute_links(archive, settings, vectors, meeting_ids=None if full else meetings,
                                       scope_of=scope_of, **options)
    comp = _components(links)
    chron = {r.id: (_order(r), r.ordinal) for r in archive.item_refs(item_ids=list(comp))} if comp else {}
    members: dict[int, list[int]] = defaultdict(list)
    for item, root in comp.items():
        members[root].append(item)
    ordered = [sorted(items, key=lambda i: (chron[i][0][0], chronological(chron[i][0][1] or None), chron[i][0][2],
                                            chron[i][1])) for items in members.values()]
    archive.replace_scope_threads({mid: scope_of[mid] for mid in meetings}, links, ordered, used, everything=full)
    return ThreadReport(links=len(links), method=used, notes=notes, scopes=len(dirty), full=full,
                        dirty=None if full else dirty)


def has_threads(archive: Archive) -> bool:
    """Whether threads have been built."""
    return archive.count("threads") > 0


def thread_for_item(archive: Archive, item_id: int) -> list[ThreadEntry]:
    """The thread an item belongs to, first mention first (empty if none).

    Every entry but the first carries ``predecessor``, ``score``,
    ``similarity`` and ``reasons`` of the link that joined it.
    """
    thread_id = archive.thread_of_items().get(item_id)
    return archive.thread_entries(thread_id) if thread_id is not None else []


def threads(
    archive: Archive, filters: Filters | None = None, *, query: str | None = None, item_ids: set[int] | None = None
) -> list[Thread]:
    """List threads, those spanning most meetings first.

    Args:
        archive: The open archive.
        filters: Keep threads with an item passing these filters (topic,
            body, ...; see :class:`radslag.types.Filters`).
        query: Keep threads with an item matching all query terms (keyword index).
        item_ids: Keep threads touching these items.
    """
    keep: set[int] | None = None

    def restrict(ids: set[int]) -> None:
        nonlocal keep
        keep = ids if keep is None else keep & ids

    if filters:
        restrict(archive.filter_item_ids(filters) or set())
    if query:
        expr = all_terms_expression(query)
        restrict(archive.keyword_matches(expr) if expr else set())
    if item_ids is not None:
        restrict(set(item_ids))
    membership = archive.thread_of_items()
    wanted = {tid for item, tid in membership.items() if keep is None or item in keep}
    by_thread: dict[int, list[ThreadEntry]] = defaultdict(list)
    if keep is not None and len(wanted) <= 200:  # one council's threads: read just those
        for tid in sorted(wanted):
            by_thread[tid] = archive.thread_entries(tid)
    else:
        for entry in archive.thread_entries():
            if entry.thread_id in wanted:
                by_thread[entry.thread_id].append(entry)
    labels = archive.thread_topic_labels()
    members = [i.item_id for items in by_thread.values() for i in items]
    known = {r.id: when(r) for r in archive.item_refs(item_ids=members)} if members else {}
    out = []
    for tid, items in by_thread.items():
        dates = sorted((known.get(i.item_id) for i in items if known.get(i.item_id)), key=chronological)
        topics = Counter(labels.get(tid, []))
        keys = list(dict.fromkeys(council_key(i.municipality, i.body) for i in items))
        names = list(dict.fromkeys(council_name(i.municipality, i.body) for i in items))
        out.append(
            Thread(
                thread_id=tid,
                label=topics.most_common(1)[0][0] if topics else items[0].title,
                size=len(items),
                meeting_count=len({i.meeting_id for i in items}),
                first_date=dates[0] if dates else None,
                last_date=dates[-1] if dates else None,
                bodies=sorted(set(names)),
                topics=dict(topics.most_common()),
                items=items,
                councils=names,
                council_keys=keys,
            )
        )
    out.sort(key=lambda t: (-t.meeting_count, -t.size, t.last_date or "", t.thread_id))
    return out
