"""The topic tagger: zero to :data:`MAX_TOPICS` topics of the taxonomy per agenda item."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ingest.topics.calibration import DEFAULT_PARAMS, choose, ensure_calibration, formal_index
from ingest.topics.scoring import PARAM_KEYS, Features, PassageEncoder, TextItem, compute_features
from radslag.config import Settings, load_settings
from radslag.taxonomy import load_taxonomy
from radslag.types import TopicTag


class TopicTagger:
    """Tag agenda items with topics.

    Args:
        settings: Run-time settings: ``language`` picks the stored label,
            ``cache_dir`` holds the calibration (default settings when None).
        embedder: An :mod:`index.embeddings` embedder; ``None`` tags by lexicon
            only (method ``lexicon``), otherwise method ``hybrid``.
        taxonomy_path: Alternative taxonomy file (tests).
        params: Parameters overriding the calibrated ones (keys
            ``title_weight``, ``density``, ``beta``, ``threshold``); when all
            four are given no calibration is read or run.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        embedder: PassageEncoder | None = None,
        taxonomy_path: str | Path | None = None,
        params: dict[str, float] | None = None,
    ):
        settings = settings or load_settings()
        self.language = settings.language
        self.embedder = embedder
        self.topics = load_taxonomy(taxonomy_path)
        self.method = "hybrid" if embedder is not None else "lexicon"
        base = dict(DEFAULT_PARAMS[self.method])
        given = {k: float(v) for k, v in (params or {}).items() if k in base}
        if set(given) != set(PARAM_KEYS):
            base.update(ensure_calibration(self.method, self.topics, embedder, settings.cache_dir))
        base.update(given)
        self.params = base
        self._formal_idx = formal_index(self.topics)

    def features(self, items: Sequence[TextItem], vectors: Sequence[np.ndarray | None] | None = None) -> Features:
        """Compute the raw signals for ``items`` (see :func:`~ingest.topics.scoring.compute_features`)."""
        return compute_features(items, self.topics, self.embedder, vectors)

    def choose(self, feats: Features, params: dict[str, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(mask, combined_scores)`` for precomputed features."""
        return choose(feats, params or self.params, self.topics)

    def tag(
        self, items: Sequence[TextItem], vectors: Sequence[np.ndarray | None] | None = None
    ) -> list[list[TopicTag]]:
        """Tag items.

        Args:
            items: Items with ``title`` and ``text`` (agenda items, stored
                items, labelled items).
            vectors: The items' embeddings (L2-normalised), aligned with
                ``items``, to avoid re-encoding; None entries are encoded.

        Returns:
            For each item, its topics sorted by descending score (possibly none,
            never more than :data:`~ingest.topics.scoring.MAX_TOPICS`).
        """
        if not items:
            return []
        mask, combined = self.choose(self.features(items, vectors))
        out: list[list[TopicTag]] = []
        for row in range(len(items)):
            idx = [int(j) for j in np.flatnonzero(mask[row])]
            idx.sort(key=lambda j: (-combined[row, j], j))
            out.append(
                [
                    TopicTag(
                        id=self.topics[j].id,
                        label=self.topics[j].label(self.language),
                        score=round(float(combined[row, j]), 4),
                        method=self.method,
                    )
                    for j in idx
                ]
            )
        return out
