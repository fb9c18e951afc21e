"""Discover topics the taxonomy lacks by clustering agenda-item embeddings.

Items across the archive are embedded (or given vectors are used), clustered
with KMeans on the L2-normalised vectors (cosine geometry) with ``k`` chosen
by the silhouette score, and every cluster of at least ``min_cluster`` items
is described by:

* its most distinctive terms: class-based TF-IDF (c-TF-IDF, as in BERTopic)
  over Snowball-stemmed item text, Swedish stop words, the words of meeting
  procedure (:mod:`radslag.lang`) and the archive's own municipality names
  removed, each stem shown as its most frequent surface word;
* size, item ids, bodies, first and last meeting date;
* the known topic it overlaps most: the topic tagged on the largest share of
  its items (from ``item_topics``), or, when items are untagged, the topic
  whose embedded description is closest to the cluster centroid. When neither
  passes its threshold the overlap is ``"ny"`` (new), so emerging issues show
  up.

Everything is deterministic: fixed seeds, stable sorting.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from typing import Any

import numpy as np
import snowballstemmer
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

from index.embeddings import Embedder
from index.store import Archive
from radslag.lang import minutes_words, stopwords
from radslag.taxonomy import item_text_for_embedding, load_taxonomy, topic_vectors
from radslag.types import Filters, Item

#: A known topic counts as overlapping when it is tagged on at least this share of the cluster's items.
OVERLAP_SHARE = 0.4
#: z-score of the centroid-to-topic similarity over all topics above which an untagged cluster overlaps a topic.
OVERLAP_Z = 2.5
SEED = 0
#: Silhouette scores this close to the best count as equal; the smaller k wins.
SILHOUETTE_TOLERANCE = 0.02
MAX_K = 20
N_TERMS = 8

_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_stemmer = snowballstemmer.stemmer("swedish")


def place_words(names: Collection[str]) -> frozenset[str]:
    """Case-folded words of place names and their genitives ("hallstahammars")."""
    words = {w.casefold() for name in names for w in _WORD.findall(name)}
    return frozenset(words | {w + "s" for w in words if not w.endswith("s")})


def analyse_terms(text: str, extra_stop: Collection[str] = ()) -> list[tuple[str, str]]:
    """Return ``(stem, surface)`` pairs of content words in ``text``.

    Words are case-folded, at least three letters, not stop words, words of
    meeting procedure or ``extra_stop``, and stemmed with Snowball (Swedish).
    """
    stop = stopwords() | minutes_words()
    words = [w.casefold() for w in _WORD.findall(text)]
    words = [w for w in words if w not in stop and w not in extra_stop]
    return list(zip(_stemmer.stemWords(words), words))


def c_tf_idf(docs: Sequence[Counter], n_terms: int = N_TERMS) -> list[list[tuple[str, float]]]:
    """Class-based TF-IDF: the most distinctive terms of each class.

    ``score(t, c) = tf(t, c) / |c| * log(1 + A / f(t)) * log((K + 1) / df(t))``
    where ``A`` is the average number of words per class, ``f(t)`` the
    frequency of ``t`` over all classes, ``K`` the number of classes and
    ``df(t)`` the number of classes containing ``t``.

    Args:
        docs: Term counts per class (cluster).
        n_terms: Terms to return per class.

    Returns:
        For each class, ``(term, score)`` pairs, best first (ties by term).
    """
    total: Counter = Counter()
    df: Counter = Counter()
    for d in docs:
        total.update(d)
        df.update(d.keys())
    k = len(docs)
    avg = sum(total.values()) / max(k, 1)
    out = []
    for d in docs:
        size = sum(d.values()) or 1
        # c-TF-IDF, times a class-frequency factor so that words found in
        # every class (shared boilerplate) sink.
        scored = [(t, (c / size) * math.log(1 + avg / total[t]) * math.log((k + 1) / df[t])) for t, c in d.items()]
        scored.sort(key=lambda x: (-x[1], x[0]))
        out.append([(t, round(s, 5)) for t, s in scored[:n_terms]])
    return out


def _choose_k(x: np.ndarray, min_cluster: int) -> np.ndarray:
    """KMeans labels with ``k`` chosen by the cosine silhouette.

    Silhouette curves on sentence embeddings are flat near the optimum, so the
    smallest ``k`` whose score is within :data:`SILHOUETTE_TOLERANCE` of the
    best is taken (parsimony: do not split a theme for a negligible gain).
    """
    n = x.shape[0]
    k_max = min(MAX_K, n - 1, max(2, n // 2))  # clusters average at least two items
    runs: list[tuple[float, np.ndarray]] = []
    for k in range(2, k_max + 1):
        labels = KMeans(n_clusters=k, n_init=10, random_state=SEED).fit_predict(x)
        if len(set(labels)) < 2:
            continue
        runs.append((float(silhouette_score(x, labels, metric="cosine")), labels))
    if not runs:
        return np.zeros(n, dtype=int)
    best = max(score for score, _ in runs)
    return next(labels for score, labels in runs if score >= best - SILHOUETTE_TOLERANCE)


def _item_vectors(items: list[Item], embedder: Embedder | None, vectors: Any) -> np.ndarray:
    if vectors is None:
        if embedder is None:
            raise ValueError("discover_topics needs an embedder or precomputed vectors")
        x = np.asarray(
            embedder.encode_passages([item_text_for_embedding(it.title, it.text) for it in items]),
            dtype=np.float32,
        )
    elif isinstance(vectors, dict):
        missing = [it.id for it in items if it.id not in vectors]
        if missing:
            raise ValueError(f"no vector for items {missing[:5]}")
        x = np.vstack([np.asarray(vectors[it.id], dtype=np.float32) for it in items])
    else:
        x = np.asarray(vectors, dtype=np.float32)
        if x.shape[0] != len(items):
            raise ValueError(f"{x.shape[0]} vectors for {len(items)} items")
    return x / (np.linalg.norm(x, axis=1, keepdims=True) + 1e-12)


def _overlap(members: list[Item], centroid: np.ndarray, embedder: Embedder | None) -> tuple[str, float, str]:
    """Return ``(topic_id or "ny", strength, basis)`` for a cluster."""
    counts: Counter = Counter()
    tagged = 0
    for it in members:
        ids = {t.id for t in it.topics}
        tagged += bool(ids)
        counts.update(ids)
    if tagged:
        # Share over all members: a cluster whose items mostly lack a known
        # topic is "ny" even if a few items carry one.
        best = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if best and best[0][1] / len(members) >= OVERLAP_SHARE:
            return best[0][0], round(best[0][1] / len(members), 3), "tags"
        return "ny", round(best[0][1] / len(members), 3) if best else 0.0, "tags"
    if embedder is None:
        return "ny", 0.0, "none"
    topics = load_taxonomy()
    sims = topic_vectors(topics, embedder) @ centroid
    z = (sims - sims.mean()) / (sims.std() + 1e-9)
    j = int(np.argmax(z))
    return (topics[j].id if z[j] >= OVERLAP_Z else "ny"), round(float(z[j]), 3), "embedding"


def discover_topics(
    archive: Archive,
    embedder: Embedder | None = None,
    vectors: Any = None,
    min_cluster: int = 3,
    filters: Filters | None = None,
) -> list[dict[str, Any]]:
    """Cluster the archive's agenda items and describe each cluster.

    Args:
        archive: An open :class:`index.store.Archive`.
        embedder: Encodes item texts when ``vectors`` is not given; also used
            to compare untagged clusters with the taxonomy.
        vectors: Precomputed item vectors: a dict ``item_id -> vector`` or an
            array aligned with ``archive.items(filters)``.
        min_cluster: Smallest cluster reported.
        filters: Which items to cluster.

    Returns:
        Clusters, largest first, each with ``cluster`` (number), ``label``
        (top three terms), ``terms``, ``size``, ``item_ids``, ``bodies``,
        ``first_date``, ``last_date``, ``overlaps`` (topic id or ``"ny"``),
        ``overlap_score`` and ``overlap_basis`` (``tags`` or ``embedding``).
    """
    items = archive.items(filters)
    if len(items) < max(min_cluster, 3):
        return []
    x = _item_vectors(items, embedder, vectors)
    labels = _choose_k(x, min_cluster)

    clusters: dict[int, list[int]] = defaultdict(list)
    for i, lab in enumerate(labels):
        clusters[int(lab)].append(i)
    kept = sorted((c for c in clusters.values() if len(c) >= min_cluster), key=lambda c: (-len(c), c[0]))

    # A council's own town names are in most of its items and name no issue.
    places = place_words(archive.meeting_values("municipality"))
    surface: dict[str, Counter] = defaultdict(Counter)
    docs = []
    for members in kept:
        cnt: Counter = Counter()
        for i in members:
            it = items[i]
            for stem, word in analyse_terms(f"{it.title}\n{it.text}", places):
                cnt[stem] += 1
                surface[stem][word] += 1
        docs.append(cnt)
    # Terms are scored against all clusters, the unclustered remainder included.
    rest = Counter()
    in_kept = {i for c in kept for i in c}
    for i, it in enumerate(items):
        if i not in in_kept:
            rest.update(stem for stem, _ in analyse_terms(f"{it.title}\n{it.text}", places))
    terms_per = c_tf_idf(docs + ([rest] if rest else []))[: len(docs)]

    out = []
    for n, (members, terms) in enumerate(zip(kept, terms_per)):
        member_items = [items[i] for i in members]
        words = [sorted(surface[t].items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for t, _ in terms]
        dates = sorted(it.date for it in member_items if it.date)
        centroid = x[members].mean(axis=0)
        centroid /= np.linalg.norm(centroid) + 1e-12
        overlap, strength, basis = _overlap(member_items, centroid, embedder)
        out.append(
            {
                "cluster": n,
                "label": ", ".join(words[:3]),
                "terms": words,
                "size": len(members),
                "item_ids": [int(it.id) for it in member_items],
                "bodies": sorted({it.body for it in member_items if it.body}),
                "first_date": dates[0] if dates else None,
                "last_date": dates[-1] if dates else None,
                "overlaps": overlap,
                "overlap_score": strength,
                "overlap_basis": basis,
                "cohesion": round(float(np.mean(x[members] @ centroid)), 3),
            }
        )
    return out
