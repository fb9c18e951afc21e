"""Evaluation of topic tagging on the held-out labelled items."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ingest.topics.calibration import gold_matrix, load_labels
from ingest.topics.scoring import PassageEncoder
from ingest.topics.tagger import TopicTagger
from radslag.config import Settings
from radslag.taxonomy import Topic


def metrics(pred: np.ndarray, gold: np.ndarray, topics: Sequence[Topic]) -> dict[str, Any]:
    """Per-topic precision/recall/F1 plus micro and macro averages.

    Macro averages run over topics that occur in the gold labels or the
    predictions (topics absent from both say nothing).
    """
    per: dict[str, dict[str, float]] = {}
    for j, t in enumerate(topics):
        p, g = pred[:, j], gold[:, j]
        tp, fp, fn = int((p & g).sum()), int((p & ~g).sum()), int((~p & g).sum())
        if tp + fp + fn == 0:
            continue
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per[t.id] = {"precision": round(prec, 3), "recall": round(rec, 3), "f1": round(f1, 3),
                     "support": int(g.sum()), "tp": tp, "fp": fp, "fn": fn}
    tp = float((pred & gold).sum())
    fp = float((pred & ~gold).sum())
    fn = float((~pred & gold).sum())
    micro_p = tp / (tp + fp) if tp + fp else 0.0
    micro_r = tp / (tp + fn) if tp + fn else 0.0
    micro_f = 2 * micro_p * micro_r / (micro_p + micro_r) if micro_p + micro_r else 0.0
    n = max(len(per), 1)
    empty_gold = ~gold.any(axis=1)
    return {
        "items": int(gold.shape[0]),
        "micro": {"precision": round(micro_p, 3), "recall": round(micro_r, 3), "f1": round(micro_f, 3)},
        "macro": {
            "precision": round(sum(v["precision"] for v in per.values()) / n, 3),
            "recall": round(sum(v["recall"] for v in per.values()) / n, 3),
            "f1": round(sum(v["f1"] for v in per.values()) / n, 3),
        },
        "empty_items_correct": f"{int((empty_gold & ~pred.any(axis=1)).sum())}/{int(empty_gold.sum())}",
        "per_topic": per,
    }


def evaluate(
    settings: Settings | None = None,
    embedder: PassageEncoder | None = None,
    split: str | None = "heldout",
) -> dict[str, Any]:
    """Evaluate the calibrated tagger on labelled items.

    Args:
        settings: Settings for the tagger (its calibration cache).
        embedder: ``None`` evaluates lexicon-only tagging, else hybrid.
        split: ``heldout`` (default), ``calibration`` or ``None`` for all.

    Returns:
        :func:`metrics` output plus ``method``, ``split`` and ``params``.
    """
    labels = load_labels(split=split)
    tagger = TopicTagger(settings, embedder)
    gold = gold_matrix(labels, tagger.topics)
    mask, _ = tagger.choose(tagger.features(labels))
    return {"method": tagger.method, "split": split or "all", "params": tagger.params,
            **metrics(mask, gold, tagger.topics)}
