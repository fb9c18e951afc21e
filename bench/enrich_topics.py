"""Benchmark topic tagging on the held-out hand labels.

Reports held-out precision/recall/F1 per topic with micro and macro averages
for lexicon-only and hybrid tagging, tagging throughput (items/s) and the
time to embed the taxonomy. ``bench/enrich.py`` imports :func:`evaluate_topics`.

Run: ``python bench/enrich_topics.py [--no-embed]`` (prints JSON).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from index.embeddings import load_embedder  # noqa: E402
from ingest.topics import TopicTagger, evaluate, load_calibration, load_labels  # noqa: E402
from radslag.config import load_settings  # noqa: E402
from radslag.taxonomy import clear_topic_vectors, load_taxonomy, topic_vectors  # noqa: E402


def _throughput(tagger: TopicTagger, items: list[Any]) -> float:
    t0 = time.perf_counter()
    tagger.tag(items)
    return round(len(items) / max(time.perf_counter() - t0, 1e-9), 2)


def evaluate_topics(embed: bool = True, embedder: Any = None) -> dict[str, Any]:
    """Evaluate topic tagging on the held-out half of the hand labels.

    Args:
        embed: Also evaluate hybrid tagging (loads the embedding model).
        embedder: Use this embedder instead of loading the default one.

    Returns:
        ``{"labels": {...}, "calibration": {...}, "lexicon": {...}, "hybrid": {...}}``
        where each method has ``micro``, ``macro``, ``per_topic``,
        ``items_per_s``; ``hybrid`` also ``topic_embedding_s`` and
        ``model_load_s``.
    """
    settings = load_settings()
    labels = load_labels()
    held = load_labels(split="heldout")
    topics = load_taxonomy()
    out: dict[str, Any] = {
        "labels": {"items": len(labels), "heldout": len(held), "topics": len(topics)},
    }
    lex = evaluate(settings, None)
    lex["items_per_s"] = _throughput(TopicTagger(settings), held)
    out["lexicon"] = lex
    out["calibration"] = {"lexicon": load_calibration("lexicon", topics, None, settings.cache_dir)}
    if embed:
        t0 = time.perf_counter()
        embedder = embedder or load_embedder(settings)
        load_s = time.perf_counter() - t0
        clear_topic_vectors()
        t0 = time.perf_counter()
        topic_vectors(topics, embedder)
        topic_s = time.perf_counter() - t0
        hyb = evaluate(settings, embedder)
        hyb["items_per_s"] = _throughput(TopicTagger(settings, embedder), held)
        out["calibration"]["hybrid"] = load_calibration("hybrid", topics, embedder, settings.cache_dir)
        hyb["topic_embedding_s"] = round(topic_s, 3)
        hyb["model_load_s"] = round(load_s, 2)
        hyb["embedder"] = getattr(embedder, "name", type(embedder).__name__)
        out["hybrid"] = hyb
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Topic tagging benchmark (held-out labels).")
    ap.add_argument("--no-embed", action="store_true", help="lexicon only")
    args = ap.parse_args(argv)
    print(json.dumps(evaluate_topics(embed=not args.no_embed), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
