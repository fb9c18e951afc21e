"""Issue threads: agenda items in different meetings that deal with the same issue.

Linking rule (one pass, chronological):

* Items are ordered by meeting date, then meeting id (undated meetings sort
  after all dated ones, in ingest order; their links carry the reason
  "odaterat möte" because the direction is then a guess).
* For every item, the candidates are items of *earlier* meetings (never the
  same meeting). Each candidate gets ``score = similarity + bonuses``:
  similarity is the cosine of item vectors (mean of the item's passage
  vectors, L2-normalised); bonuses are :data:`TOPIC_BONUS` per shared topic
  (at most 2) and :data:`ENTITY_BONUS` per shared canonical person,
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

Vectors: the items' mean passage vectors from the FAISS index, or given by
the caller; with ``method="auto"`` and embedding turned off (or the model
unavailable, said in the result's ``notes``), TF-IDF over content terms.

Every link stores ``reasons`` in Swedish, e.g. ``["likhet 0.87",
"gemensamt ämne: motorburen ungdom", "gemensam plats: Hallstahammar"]``.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer

from index.embeddings import load_embedder
from index.keyword import all_terms_expression, content_terms
from index.store import Archive
from index.vectors import VectorIndex
from radslag.config import Settings
from radslag.errors import RadslagError
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


_PLACE_LABELS = {"loc", "gpe", "place", "plats", "location", "lok"}
_PERSON_LABELS = {"per", "person", "prs", "pers"}
_ORG_LABELS = {"org", "organisation", "organization", "orgn"}


@dataclass
class ThreadReport:
    """What :func:`build_threads` did.

    Attributes:
        links: Links stored.
        method: How item vectors were made: ``given``, ``embedder`` or ``tfidf``.
        notes: Anything the caller should pass on (a fallback and why).
    """

    links: int
    method: str
    notes: list[str] = field(default_factory=list)


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

    def to_json(self) -> dict[str, Any]:
        return {**{k: getattr(self, k) for k in ("thread_id", "label", "size", "meeting_count", "first_date",
                                                  "last_date", "bodies", "topics")},
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
    return vec.fit_transform(texts)  # rows are L2-normalised


def item_vectors(
    archive: Archive, items: list[Item], settings: Settings | None = None, method: str = "auto"
) -> tuple[Any, str, list[str]]:
    """Compute vectors for ``items`` (rows in the same order).

    Args:
        archive: The open archive (for the stored vector index).
        items: The items.
        settings: Settings for the embedder.
        method: ``embedder`` (mean of passage embeddings; the item title and
            text when it has no passages), ``tfidf`` (content terms), or
            ``auto`` (embedder when embedding is on, else tfidf; when the
            model cannot be loaded, tfidf with a note saying why).

    Returns:
        ``(matrix, method_used, notes)``; rows of ``matrix`` are
        L2-normalised (a dense ``np.ndarray``, or a scipy sparse matrix for tfidf).
    """
    notes: list[str] = []
    use_model = method == "embedder" or (method == "auto" and settings is not None and settings.embed)
    if use_model:
        try:
            return stored_item_vectors(archive, settings, items), "embedder", notes
        except RadslagError as exc:
            if method == "embedder":
                raise
            log.warning("threads fall back to TF-IDF: %s", exc)
            notes.append(f"Trådar byggda med TF-IDF eftersom inbäddningar saknas (threads built with TF-IDF, "
                         f"embeddings unavailable): {exc}")
    return _tfidf_matrix([f"{r.title}\n{r.text}" for r in items]), "tfidf", notes


def stored_item_vectors(archive: Archive, settings: Settings, items: list[Item]) -> np.ndarray:
    """Item vectors from the FAISS index (:meth:`VectorIndex.item_means`).

    Items whose passages are missing from the index (embedding off or
    failed) are encoded from title and text.
    """
    embedder = load_embedder(settings)
    means = VectorIndex.open(settings, embedder).item_means(archive)
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


def compute_links(
    archive: Archive,
    settings: Settings | None = None,
    vectors: dict[int, np.ndarray] | None = None,
    *,
    method: str = "auto",
    min_sim: float | None = None,
    link_threshold: float | None = None,
) -> tuple[list[ThreadLink], str, list[str]]:
    """Compute best-predecessor links without storing them.

    Returns:
        ``(links, method_used, notes)``; each link goes from the earlier item
        to the later one.
    """
    rows = [r for r in archive.items() if not is_procedural(r.title)]
    notes: list[str] = []
    if vectors is not None:
        rows = [r for r in rows if r.id in vectors]
        mat = np.stack([np.asarray(vectors[r.id], dtype=np.float32) for r in rows]) if rows else np.zeros((0, 1))
        mat = mat / np.maximum(np.linalg.norm(mat, axis=1, keepdims=True), 1e-9)
        used = "given"
    else:
        mat, used, notes = item_vectors(archive, rows, settings, method)
    if not rows:
        return [], used, notes
    d_min, d_link = THRESHOLDS[used]
    min_sim = d_min if min_sim is None else min_sim
    link_threshold = d_link if link_threshold is None else link_threshold

    # Chronological rank: dated meetings by date, undated after them.
    keys = [(0 if r.date else 1, r.date or "", r.meeting_id) for r in rows]
    meeting = np.array([r.meeting_id for r in rows])
    rank_of_key = {k: n for n, k in enumerate(sorted(set(keys)))}
    rank = np.array([rank_of_key[k] for k in keys])
    enrich = [_enrichment(r) for r in rows]
    links: list[ThreadLink] = []
    n = len(rows)
    block = 1024
    for b0 in range(0, n, block):
        b1 = min(n, b0 + block)
        sims = mat[b0:b1] @ mat.T
        sims = sims.toarray() if hasattr(sims, "toarray") else np.asarray(sims)
        earlier = rank[None, :] < rank[b0:b1, None]
        sims = np.where(earlier & (meeting[None, :] != meeting[b0:b1, None]), sims, -1.0)
        k = min(CANDIDATES_PER_ITEM, n)
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k] if n > k else np.tile(np.arange(n), (b1 - b0, 1))
        for local, j in enumerate(range(b0, b1)):
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
                    if keys[j][0] or keys[i][0]:
                        reasons.append("odaterat möte: ordningen är osäker")
                    best = (score, int(i), sim, reasons)
            if best is not None:
                links.append(ThreadLink(src_item_id=rows[best[1]].id, dst_item_id=rows[j].id,
                                        score=round(best[0], 4), similarity=round(best[2], 4), reasons=best[3]))
    return links, used, notes


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


def build_threads(
    archive: Archive, settings: Settings | None = None, vectors: dict[int, np.ndarray] | None = None, **options: Any
) -> ThreadReport:
    """Compute issue threads and store them (replacing earlier ones).

    Args:
        archive: The open archive.
        settings: Settings (for the embedder when ``vectors`` is None).
        vectors: Item vectors by item id; when None they are computed with
            the embedder, or TF-IDF (see :func:`item_vectors`).
        **options: ``method``, ``min_sim``, ``link_threshold`` for
            :func:`compute_links`.

    Returns:
        A :class:`ThreadReport`.
    """
    links, used, notes = compute_links(archive, settings, vectors, **options)
    comp = _components(links)
    chron = {
        r.id: (0 if r.date else 1, r.date or "", r.meeting_id, r.ordinal)
        for r in archive.items(item_ids=list(comp), enrichment=False)
    }
    members: dict[int, list[int]] = defaultdict(list)
    for item, root in comp.items():
        members[root].append(item)
    ordered = [sorted(items, key=lambda i: chron[i]) for items in members.values()]
    archive.replace_threads(links, ordered, used)
    return ThreadReport(links=len(links), method=used, notes=notes)


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
    for entry in archive.thread_entries():
        if entry.thread_id in wanted:
            by_thread[entry.thread_id].append(entry)
    labels = archive.thread_topic_labels()
    out = []
    for tid, items in by_thread.items():
        dates = [i.date for i in items if i.date]
        topics = Counter(labels.get(tid, []))
        out.append(
            Thread(
                thread_id=tid,
                label=topics.most_common(1)[0][0] if topics else items[0].title,
                size=len(items),
                meeting_count=len({i.meeting_id for i in items}),
                first_date=min(dates) if dates else None,
                last_date=max(dates) if dates else None,
                bodies=sorted({" ".join(x for x in (i.municipality, i.body) if x) for i in items}),
                topics=dict(topics.most_common()),
                items=items,
            )
        )
    out.sort(key=lambda t: (-t.meeting_count, -t.size, t.last_date or "", t.thread_id))
    return out
