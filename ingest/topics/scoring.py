"""Combining the topic signals and choosing topics.

* Lexicon (:mod:`ingest.topics.lexicon`): seed-term hits, title hits
  weighted more, mapped to ``[0, 1)``.
* Embedding (hybrid only): the cosine between the item and each topic's
  label + description, as a z-score over all topics for that item (e5
  similarities lie in a narrow band, so how much a topic stands out from the
  others says more than the absolute value), mapped to ``[0, 1]``.

``score = (1 - beta) * lexicon + beta * embedding``; topics scoring at least
the threshold are kept, at most :data:`MAX_TOPICS` per item.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ingest.topics.lexicon import lexicon_hits, lexicon_score
from radslag.taxonomy import QueryEncoder, Topic, item_text_for_embedding, topic_vectors

#: Never more than this many topics per item.
MAX_TOPICS = 5
#: Topic of formal agenda items; when it is the lexical winner in the title,
#: topics without any lexical evidence are dropped (formal items must not get
#: safety topics from embedding similarity alone).
FORMAL_TOPIC = "motesformalia"
#: z-scores mapped linearly onto [0, 1] for the embedding signal.
Z_LOW, Z_HIGH = 0.5, 3.0
#: The parameters a tagging mode takes.
PARAM_KEYS = ("title_weight", "density", "beta", "threshold")


@dataclass
class Features:
    """Raw signals for a batch of items (rows) against the taxonomy (columns).

    Attributes:
        title_hits, body_hits: Seed-term hits.
        ntok: Body length in tokens, per item.
        emb: Embedding signal in ``[0, 1]`` (hybrid only).
    """

    title_hits: np.ndarray
    body_hits: np.ndarray
    ntok: np.ndarray
    emb: np.ndarray | None = None


def embedding_score(sims: np.ndarray) -> np.ndarray:
    """Turn per-item topic similarities (rows) into ``[0, 1]`` via a z-score over topics."""
    mu = sims.mean(axis=-1, keepdims=True)
    sd = sims.std(axis=-1, keepdims=True) + 1e-6
    z = (sims - mu) / sd
    return np.clip((z - Z_LOW) / (Z_HIGH - Z_LOW), 0.0, 1.0)


def scores(feats: Features, params: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(combined, lexical)`` score matrices."""
    lexical = lexicon_score(feats.title_hits, feats.body_hits, feats.ntok[:, None], params["title_weight"],
                            params["density"])
    beta = params["beta"] if feats.emb is not None else 0.0
    combined = lexical if beta == 0.0 else (1.0 - beta) * lexical + beta * feats.emb
    return combined, lexical


def select(
    scores: np.ndarray, lexical: np.ndarray, title_hits: np.ndarray, threshold: float, formal_idx: int | None
) -> np.ndarray:
    """Return a boolean mask (items x topics) of chosen topics."""
    chosen = scores >= threshold
    if formal_idx is not None:
        # A formal item (formal seed terms in its title, top lexical topic)
        # keeps only topics with lexical evidence.
        formal = (title_hits[:, formal_idx] > 0) & (lexical.argmax(axis=1) == formal_idx)
        chosen[formal] &= lexical[formal] > 0
    # At most MAX_TOPICS per item, the highest scores.
    if chosen.sum(axis=1).max(initial=0) > MAX_TOPICS:
        order = np.argsort(-scores, axis=1, kind="stable")
        rank = np.empty_like(order)
        rows = np.arange(scores.shape[0])[:, None]
        rank[rows, order] = np.arange(scores.shape[1])[None, :]
        chosen &= rank < MAX_TOPICS
    return chosen


class PassageEncoder(QueryEncoder, Protocol):
    """An embedder (:mod:`index.embeddings`): queries for topics, passages for items."""

    def encode_passages(self, texts: list[str]) -> np.ndarray: ...


class TextItem(Protocol):
    """What tagging reads of an item: an :class:`AgendaItem`, a stored :class:`Item`, a label."""

    title: str
    text: str


def compute_features(
    items: Sequence[TextItem],
    topics: Sequence[Topic],
    embedder: PassageEncoder | None = None,
    vectors: Sequence[np.ndarray | None] | None = None,
) -> Features:
    """Compute the raw signals of ``items``.

    Args:
        items: Items with ``title`` and ``text``.
        topics: The taxonomy.
        embedder: Encodes topics (as queries) and items without a vector (as
            passages); None for lexicon only.
        vectors: The items' stored embeddings (L2-normalised), aligned with
            ``items``; None entries are encoded here.
    """
    th, bh, nt = [], [], []
    for it in items:
        a, b, n = lexicon_hits(it.title or "", it.text or "", topics)
        th.append(a)
        bh.append(b)
        nt.append(n)
    k = len(topics)
    feats = Features(
        title_hits=np.array(th, dtype=np.float32).reshape(len(items), k),
        body_hits=np.array(bh, dtype=np.float32).reshape(len(items), k),
        ntok=np.array(nt, dtype=np.float32),
    )
    if embedder is not None and items:
        feats.emb = embedding_score(_similarities(items, topics, embedder, vectors))
    return feats


def _similarities(
    items: Sequence[TextItem], topics: Sequence[Topic], embedder: PassageEncoder,
    vectors: Sequence[np.ndarray | None] | None,
) -> np.ndarray:
    tv = topic_vectors(topics, embedder)
    vecs: list[np.ndarray | None] = [None] * len(items)
    todo = []
    for i in range(len(items)):
        v = vectors[i] if vectors is not None else None
        if v is not None:
            v = np.asarray(v, dtype=np.float32)
            vecs[i] = v / (np.linalg.norm(v) + 1e-12)
        else:
            todo.append(i)
    if todo:
        enc = embedder.encode_passages([item_text_for_embedding(items[i].title or "", items[i].text or "")
                                        for i in todo])
        for i, v in zip(todo, np.asarray(enc, dtype=np.float32)):
            vecs[i] = v
    return np.vstack(vecs) @ tv.T
