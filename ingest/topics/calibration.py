"""Calibration of topic tagging: weights and threshold chosen on labelled items, kept in the cache.

The labelled items ship with the package (``ingest/data/topic_labels.json``:
source, title, text and the topics a person assigned). They are split into
two deterministic halves (:func:`label_splits`); :func:`calibrate` searches
:data:`GRID` for the parameters with the best micro-F1 on the calibration
half, and the held-out half is left for evaluation.

Results are stored like a model's own config, in the model cache
(``<cache>/topics/calibration-<method>-<key>.json``), never in the data
files. The key covers everything the result depends on: the taxonomy, the
labels, the scoring code (grid and defaults included) and, for hybrid
tagging, the embedding model's fingerprint. :func:`ensure_calibration` calibrates on first use
(lexicon: well under a second; hybrid: the labelled items are embedded
once) and reads the stored result afterwards; ``radslag topics
--calibrate`` (:func:`recalibrate`) reruns it.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ingest.topics.scoring import (
    FORMAL_TOPIC,
    PARAM_KEYS,
    Features,
    PassageEncoder,
    compute_features,
    scores,
    select,
)
from radslag.taxonomy import Topic, taxonomy_key

LABELS_PATH = Path(__file__).resolve().parent.parent / "data" / "topic_labels.json"
#: The code a calibration depends on: changing it invalidates stored calibrations.
_SCORING_SOURCES = tuple(Path(__file__).resolve().parent / f for f in ("lexicon.py", "scoring.py", "calibration.py"))

#: Parameters before calibration (and the grid's starting point).
DEFAULT_PARAMS: dict[str, dict[str, float]] = {
    "lexicon": {"title_weight": 2.0, "density": 0.0, "beta": 0.0, "threshold": 0.5},
    "hybrid": {"title_weight": 2.0, "density": 0.0, "beta": 0.5, "threshold": 0.5},
}

#: Search grid of :func:`calibrate`; the defaults are inside it, so a
#: calibrated F1 is never below the uncalibrated one on the same data.
GRID = {
    "title_weight": (1.0, 2.0, 3.0, 5.0),
    "density": (0.0, 0.5, 1.0),
    "beta": tuple(round(b, 2) for b in np.arange(0.0, 0.95, 0.1)),
    "threshold": tuple(round(t, 3) for t in np.arange(0.10, 0.951, 0.025)),
}


@dataclass(frozen=True)
class LabelledItem:
    """An agenda item with the topics a person gave it."""

    source: str
    title: str
    text: str
    topics: tuple[str, ...] = field(default_factory=tuple)


def load_labels(path: str | Path | None = None, split: str | None = None) -> list[LabelledItem]:
    """Read hand-labelled items, optionally one half.

    Args:
        path: JSON file (a list of ``{source, title, text, topics}``);
            defaults to the packaged labels.
        split: ``calibration``, ``heldout`` or ``None`` for all.
    """
    raw = json.loads(Path(path or LABELS_PATH).read_text(encoding="utf-8"))
    rows = [LabelledItem(r["source"], r["title"], r["text"], tuple(r.get("topics") or ())) for r in raw]
    if split is None:
        return rows
    if split not in ("calibration", "heldout"):
        raise ValueError(split)
    halves = label_splits(rows)
    return [r for r, h in zip(rows, halves) if h == split]


def _label_key(row: LabelledItem) -> str:
    return hashlib.sha1(f"{row.source}\x00{row.title}".encode()).hexdigest()


def label_splits(rows: Sequence[LabelledItem]) -> list[str]:
    """Deterministic halves of labelled items.

    Items are ordered by SHA-1 of source and title; even ranks form the
    calibration half, odd ranks the held-out half. The halves are equal in
    size (within one) and independent of file order.
    """
    order = sorted(range(len(rows)), key=lambda i: _label_key(rows[i]))
    halves = [""] * len(rows)
    for rank, i in enumerate(order):
        halves[i] = "calibration" if rank % 2 == 0 else "heldout"
    return halves


def gold_matrix(labels: Sequence[LabelledItem], topics: Sequence[Topic]) -> np.ndarray:
    """Items x topics, True where the label gives the topic."""
    index = {t.id: j for j, t in enumerate(topics)}
    gold = np.zeros((len(labels), len(topics)), dtype=bool)
    for i, row in enumerate(labels):
        for tid in row.topics:
            if tid not in index:
                raise ValueError(f"label uses unknown topic {tid!r}")
            gold[i, index[tid]] = True
    return gold


def micro_f1(pred: np.ndarray, gold: np.ndarray) -> float:
    tp = float((pred & gold).sum())
    fp = float((pred & ~gold).sum())
    fn = float((~pred & gold).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def formal_index(topics: Sequence[Topic]) -> int | None:
    ids = [t.id for t in topics]
    return ids.index(FORMAL_TOPIC) if FORMAL_TOPIC in ids else None


def choose(feats: Features, params: dict[str, float], topics: Sequence[Topic]) -> tuple[np.ndarray, np.ndarray]:
    """``(mask, combined scores)`` of the topics chosen with ``params``."""
    combined, lexical = scores(feats, params)
    return select(combined, lexical, feats.title_hits, params["threshold"], formal_index(topics)), combined


def calibrate(
    labels: Sequence[LabelledItem], topics: Sequence[Topic], embedder: PassageEncoder | None = None
) -> dict[str, dict[str, Any]]:
    """Choose the weights and threshold that maximise micro-F1 on ``labels``.

    Args:
        labels: Labelled items (pass the calibration half).
        topics: The taxonomy.
        embedder: When given, the hybrid parameters are calibrated too.

    Returns:
        ``{"lexicon": {...params, "f1", "f1_default", "items"}, "hybrid": {...}}``
        (``hybrid`` only with an embedder). Ties keep the earlier grid point
        (lower weight on embeddings, lower threshold).
    """
    result: dict[str, dict[str, Any]] = {}
    gold = gold_matrix(labels, topics)
    formal = formal_index(topics)
    modes = [("lexicon", None)] + ([("hybrid", embedder)] if embedder is not None else [])
    for mode, emb in modes:
        feats = compute_features(labels, topics, emb)
        default_f1 = micro_f1(choose(feats, DEFAULT_PARAMS[mode], topics)[0], gold)
        best_f1, best = -1.0, dict(DEFAULT_PARAMS[mode])
        betas = GRID["beta"] if mode == "hybrid" else (0.0,)
        for tw in GRID["title_weight"]:
            for dens in GRID["density"]:
                for beta in betas:
                    p = {"title_weight": tw, "density": dens, "beta": float(beta), "threshold": 0.0}
                    combined, lexical = scores(feats, p)
                    for thr in GRID["threshold"]:
                        f1 = micro_f1(select(combined, lexical, feats.title_hits, thr, formal), gold)
                        if f1 > best_f1 + 1e-9:
                            best_f1, best = f1, {**p, "threshold": float(thr)}
        result[mode] = {**best, "f1": round(best_f1, 4), "f1_default": round(default_f1, 4), "items": len(labels)}
    return result


# -- stored calibrations ---------------------------------------------------------------


def calibration_key(method: str, topics: Sequence[Topic], embedder: PassageEncoder | None,
                    labels_path: Path = LABELS_PATH) -> str:
    """What a calibration depends on, as a short digest."""
    h = hashlib.sha256()
    for part in (method, taxonomy_key(topics), str(getattr(embedder, "fingerprint", "") if method == "hybrid" else "")):
        h.update(part.encode())
        h.update(b"\x00")
    for path in (labels_path, *_SCORING_SOURCES):
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def calibration_path(cache_dir: Path, method: str, key: str) -> Path:
    return Path(cache_dir) / "topics" / f"calibration-{method}-{key}.json"


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
        os.replace(tmp, path)  # atomic: parallel runs never read half a file
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def run_calibration(method: str, topics: Sequence[Topic], embedder: PassageEncoder | None,
                    cache_dir: Path) -> dict[str, Any]:
    """Calibrate ``method`` on the calibration half of the labels and store the result."""
    t0 = time.perf_counter()
    labels = load_labels(split="calibration")
    result = calibrate(labels, topics, embedder if method == "hybrid" else None)[method]
    result["source"] = {
        "labels": f"{LABELS_PATH.name}, calibration half (even ranks by sha1 of source+title)",
        "embedder": getattr(embedder, "name", None) if method == "hybrid" else None,
        "seconds": round(time.perf_counter() - t0, 2),
    }
    _write_json(calibration_path(cache_dir, method, calibration_key(method, topics, embedder)), result)
    return result


def load_calibration(method: str, topics: Sequence[Topic], embedder: PassageEncoder | None,
                     cache_dir: Path) -> dict[str, Any] | None:
    """The stored calibration for this taxonomy, labels and model, or None."""
    path = calibration_path(cache_dir, method, calibration_key(method, topics, embedder))
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def ensure_calibration(method: str, topics: Sequence[Topic], embedder: PassageEncoder | None,
                       cache_dir: Path) -> dict[str, float]:
    """The calibrated parameters of ``method``: stored ones, or calibrated now and stored."""
    stored = load_calibration(method, topics, embedder, cache_dir)
    if stored is None:
        stored = run_calibration(method, topics, embedder, cache_dir)
    return {k: float(stored[k]) for k in PARAM_KEYS}
