"""Measure entity extraction against the hand-labelled passages.

Usage::

    python bench/enrich.py [--labels tests/data/labels/entities.jsonl] [--repeat 3]

Prints one JSON object: per-label and micro-averaged precision, recall and F1
(a predicted entity counts only when its span and label both match a gold
entity exactly), throughput in items (passages) per second, the model load
time, and the topic figures from ``bench/enrich_topics.py``.

Labelling conventions in ``tests/data/labels/entities.jsonl`` (the same as the
label set documented in :mod:`ingest.entities`): PER without titles or party
tags; PARTY is the letters inside the brackets; ROLE includes modifiers
("bitr lokalpolisområdeschef", "1:e vice ordförande"); ORG covers
authorities, boards, committees, departments and companies ("polisen" in
lower case too when it means the Police); municipalities are LOC; DATE needs
a day or a year ("22 april", "april 2019"), bare years and times are not
labelled.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from radslag.config import load_settings  # noqa: E402

DEFAULT_LABELS = REPO / "tests" / "data" / "labels" / "entities.jsonl"


def load_labels(path: Path) -> list[dict[str, Any]]:
    """Read the labelled passages (one JSON object per line)."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "gold": tp + fn, "predicted": tp + fp}


def score(gold: list[set[tuple[int, int, str]]], pred: list[set[tuple[int, int, str]]]) -> dict[str, Any]:
    """Exact-match precision/recall/F1 per label and micro-averaged."""
    tp: Counter = Counter()
    fp: Counter = Counter()
    fn: Counter = Counter()
    for g, p in zip(gold, pred):
        for s in p & g:
            tp[s[2]] += 1
        for s in p - g:
            fp[s[2]] += 1
        for s in g - p:
            fn[s[2]] += 1
    labels = sorted(set(tp) | set(fp) | set(fn))
    per_label = {lab: _prf(tp[lab], fp[lab], fn[lab]) for lab in labels}
    micro = _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return {"per_label": per_label, "micro": micro}


def evaluate_entities(labels_path: Path = DEFAULT_LABELS, repeat: int = 3) -> dict[str, Any]:
    """Run the EntityExtractor on the labelled passages and score it."""
    from ingest.entities import EntityExtractor

    passages = load_labels(labels_path)
    texts = [p["text"] for p in passages]
    settings = load_settings()
    started = time.perf_counter()
    extractor = EntityExtractor(settings)
    load_seconds = time.perf_counter() - started
    predictions = extractor.extract_many(texts)  # warm-up and the scored run
    timings = []
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        extractor.extract_many(texts)
        timings.append(time.perf_counter() - t0)
    best = min(timings)
    gold = [{(e["start"], e["end"], e["label"]) for e in p["entities"]} for p in passages]
    pred = [{(e.start, e.end, e.label) for e in ents} for ents in predictions]
    result = score(gold, pred)
    chars = sum(len(t) for t in texts)
    result.update(
        {
            "passages": len(passages),
            "sources": sorted({p["source"] for p in passages}),
            "items_per_s": round(len(texts) / best, 1),
            "chars_per_s": round(chars / best),
            "model_load_s": round(load_seconds, 2),
        }
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    report: dict[str, Any] = {"entities": evaluate_entities(args.labels, args.repeat)}
    try:
        from bench.enrich_topics import evaluate_topics
    except ImportError:
        report["topics"] = "not available"
    else:
        report["topics"] = evaluate_topics()
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
