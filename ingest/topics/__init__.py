"""Topic tagging of agenda items against the curated taxonomy (:mod:`radslag.taxonomy`).

One module per job:

* :mod:`ingest.topics.lexicon`: seed terms matched on stemmed words;
* :mod:`ingest.topics.scoring`: the signals combined, topics chosen;
* :mod:`ingest.topics.tagger`: :class:`TopicTagger`, what the pipeline calls;
* :mod:`ingest.topics.calibration`: weights and threshold chosen on the
  packaged labelled items and stored in the model cache
  (``radslag topics --calibrate`` reruns it);
* :mod:`ingest.topics.evaluation`: scores on the held-out half.

Counting topics over the archive is :mod:`index.topics`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ingest.topics.calibration import (
    DEFAULT_PARAMS,
    GRID,
    LABELS_PATH,
    LabelledItem,
    calibrate,
    ensure_calibration,
    label_splits,
    load_calibration,
    load_labels,
    run_calibration,
)
from ingest.topics.evaluation import evaluate, metrics
from ingest.topics.lexicon import lexicon_hits, lexicon_score
from ingest.topics.scoring import (
    FORMAL_TOPIC,
    MAX_TOPICS,
    Features,
    PassageEncoder,
    compute_features,
    embedding_score,
)
from ingest.topics.tagger import TopicTagger
from radslag.config import Settings
from radslag.taxonomy import load_taxonomy

__all__ = [
    "DEFAULT_PARAMS", "FORMAL_TOPIC", "GRID", "LABELS_PATH", "MAX_TOPICS", "Features", "LabelledItem",
    "TopicTagger", "calibrate", "compute_features", "embedding_score", "ensure_calibration", "evaluate",
    "label_splits", "lexicon_hits", "lexicon_score", "load_calibration", "load_labels", "metrics",
    "recalibrate", "run_calibration",
]


def recalibrate(settings: Settings, embedder: PassageEncoder | None = None) -> dict[str, Any]:
    """Calibrate lexicon (and, with an embedder, hybrid) tagging again and store it.

    Returns:
        ``{"lexicon": {...}, "hybrid": {...}}``: the chosen parameters with
        their calibration F1, and the held-out evaluation (``heldout``:
        items, micro and macro averages).
    """
    topics = load_taxonomy()
    out: dict[str, Any] = {}
    for method, emb in [("lexicon", None)] + ([("hybrid", embedder)] if embedder is not None else []):
        result = run_calibration(method, topics, emb, Path(settings.cache_dir))
        report = evaluate(settings, emb)
        out[method] = {**result, "heldout": {k: report[k] for k in ("items", "micro", "macro")}}
    return out
