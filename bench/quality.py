"""Retrieval quality on the bundled corpus: nDCG@10, recall@10 and MRR per mode.

Builds a temporary archive from ``corpus/`` with the real pipeline
(``ingest.pipeline.ingest_paths``), runs every query of
``bench/data/queries.jsonl`` through ``index.search.search`` in the keyword,
dense and hybrid modes, and prints JSON with the metrics overall and split by
query type (``keyword`` / ``paraphrase``).

Relevance judgments name items by file-name suffix plus a substring of the
agenda-item title (``title_contains``) or of its text (``text_contains``);
they are mapped to item ids after ingest, comparing case-folded text with
whitespace collapsed. Judgments that match no item are listed under
``unmatched`` (a segmentation change, or a judgment to fix).

Usage::

    python -m bench.quality                 # build a temp archive, all modes
    python -m bench.quality --archive DIR   # reuse (or build into) DIR
    python -m bench.quality --no-embed      # keyword mode only, no model
    python -m bench.quality --per-query     # add per-query ranks
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

DEFAULT_QUERIES = REPO_ROOT / "bench" / "data" / "queries.jsonl"
MODES = ("keyword", "dense", "hybrid")


# -- metrics -------------------------------------------------------------------


def dcg(gains: Sequence[float]) -> float:
    """Discounted cumulative gain with exponential gain ``2**g - 1``."""
    return sum((2.0**g - 1.0) / math.log2(rank + 2) for rank, g in enumerate(gains))


def ndcg_at_k(ranked: Sequence[int], qrels: Mapping[int, int], k: int = 10) -> float:
    """nDCG@k of a ranking against graded judgments (item id -> grade).

    Returns 0.0 when the query has no relevant item.
    """
    ideal = dcg(sorted((g for g in qrels.values() if g > 0), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg([qrels.get(i, 0) for i in ranked[:k]]) / ideal


def recall_at_k(ranked: Sequence[int], qrels: Mapping[int, int], k: int = 10) -> float:
    """Share of relevant items (grade >= 1) found in the top ``k``."""
    relevant = {i for i, g in qrels.items() if g > 0}
    if not relevant:
        return 0.0
    return len(relevant & set(ranked[:k])) / len(relevant)


def reciprocal_rank(ranked: Sequence[int], qrels: Mapping[int, int], k: int = 10) -> float:
    """1 / rank of the first relevant item within the top ``k`` (0 if none)."""
    for rank, item in enumerate(ranked[:k], start=1):
        if qrels.get(item, 0) > 0:
            return 1.0 / rank
    return 0.0


def evaluate(ranked: Sequence[int], qrels: Mapping[int, int], k: int = 10) -> dict[str, float]:
    """All metrics of one query."""
    return {
        f"ndcg@{k}": ndcg_at_k(ranked, qrels, k),
        f"recall@{k}": recall_at_k(ranked, qrels, k),
        "mrr": reciprocal_rank(ranked, qrels, k),
    }


def mean_metrics(rows: Iterable[Mapping[str, float]]) -> dict[str, float]:
    """Average per-query metric dicts; adds ``n`` (0 and no metrics if empty)."""
    rows = list(rows)
    if not rows:
        return {"n": 0}
    out: dict[str, float] = {key: round(sum(r[key] for r in rows) / len(rows), 4) for key in rows[0]}
    out["n"] = len(rows)
    return out


# -- judgments -----------------------------------------------------------------


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.casefold()).strip()


def load_queries(path: Path) -> list[dict[str, Any]]:
    """Read the JSONL query set."""
    queries = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            q = json.loads(line)
            for key in ("id", "query", "type", "relevant"):
                if key not in q:
                    raise ValueError(f"{path}:{n}: missing {key!r}")
            queries.append(q)
    return queries


def map_judgments(
    queries: Sequence[Mapping[str, Any]], items: Sequence[Mapping[str, Any]]
) -> tuple[dict[str, dict[int, int]], list[str]]:
    """Map each query's judgments to ``{item_id: grade}``.

    Args:
        queries: Queries with ``relevant`` lists.
        items: Archive items with ``id``, ``source``, ``title``, ``text``.

    Returns:
        ``(qrels by query id, unmatched judgment descriptions)``.
    """
    prepared = [
        (it["id"], str(it["source"]).replace("\\", "/"), _norm(it["title"] or ""), _norm(f"{it['title']} {it['text']}"))
        for it in items
    ]
    qrels: dict[str, dict[int, int]] = {}
    unmatched: list[str] = []
    for q in queries:
        grades: dict[int, int] = {}
        for judgment in q["relevant"]:
            suffix = judgment["source_suffix"]
            grade = int(judgment.get("grade", 1))
            if "title_contains" in judgment:
                needle, field = _norm(judgment["title_contains"]), 2
            else:
                needle, field = _norm(judgment["text_contains"]), 3
            hits = [row[0] for row in prepared if row[1].endswith(suffix) and needle in row[field]]
            if not hits:
                unmatched.append(f"{q['id']}: {suffix} {'title' if field == 2 else 'text'} ~ {needle!r}")
            for item_id in hits:
                grades[item_id] = max(grades.get(item_id, 0), grade)
        qrels[q["id"]] = grades
    return qrels, unmatched


# -- running -------------------------------------------------------------------


def corpus_paths(corpus: Path) -> list[str]:
    """The meeting documents of a corpus folder.

    Files named in capitals (``SOURCE.md``, ``SOURCES.txt``, ``README.md``)
    document provenance and are not meetings, so they are left out.
    """
    paths = sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix in {".txt", ".md", ".pdf", ".docx"})
    return [str(p) for p in paths if not p.stem.isupper()]


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Build (or reuse) the archive, run all queries, return the report."""
    from index.search import search
    from index.store import Archive
    from ingest.pipeline import ingest_paths
    from radslag.config import CORPUS_DIR, load_settings

    queries = load_queries(Path(args.queries))
    tmp = None
    if args.archive:
        archive_dir = Path(args.archive)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="radslag-bench-")
        archive_dir = Path(tmp.name) / "archive"
    settings = load_settings(archive_dir=archive_dir, embed=not args.no_embed, enrich=False)
    modes = ["keyword"] if args.no_embed else list(args.modes)
    t0 = time.perf_counter()
    report = ingest_paths(corpus_paths(Path(args.corpus or CORPUS_DIR)), settings, progress=False)
    ingest_s = time.perf_counter() - t0
    failed = [(f.source, getattr(f, "message", "")) for f in report.failed]

    out: dict[str, Any] = {
        "n_queries": len(queries),
        "k": args.k,
        "ingest_seconds": round(ingest_s, 1),
        "ingest_failed": failed,
        "modes": {},
    }
    with Archive(settings.db_path) as archive:
        items = archive.items()
        out["n_items"] = len(items)
        if not items:
            out["error"] = "the archive has no items: ingest failed (see ingest_failed)"
            if tmp is not None:
                tmp.cleanup()
            return out
        qrels, unmatched = map_judgments(queries, [{"id": it.id, "source": it.source, "title": it.title,
                                                    "text": it.text} for it in items])
        out["unmatched"] = unmatched
        per_query: dict[str, dict[str, Any]] = {}
        for mode in modes:
            rows: dict[str, list[dict[str, float]]] = {"all": [], "keyword": [], "paraphrase": []}
            errors: list[str] = []
            t1 = time.perf_counter()
            for q in queries:
                try:
                    result = search(archive, q["query"], settings=settings, k=args.k, mode=mode)
                    ranked = [h.item_id for h in result.hits]
                except Exception as exc:  # report, keep going (e.g. no model for dense)
                    errors.append(f"{q['id']}: {type(exc).__name__}: {exc}")
                    ranked = []
                metrics = evaluate(ranked, qrels[q["id"]], args.k)
                rows["all"].append(metrics)
                rows.setdefault(q["type"], []).append(metrics)
                if args.per_query:
                    entry = per_query.setdefault(q["id"], {"query": q["query"], "type": q["type"]})
                    entry[mode] = {
                        "ranks_of_relevant": [ranked.index(i) + 1 if i in ranked else None for i in qrels[q["id"]]],
                        **{key: round(v, 3) for key, v in metrics.items()},
                    }
            out["modes"][mode] = {name: mean_metrics(r) for name, r in rows.items()}
            out["modes"][mode]["seconds"] = round(time.perf_counter() - t1, 2)
            if errors:
                out["modes"][mode]["errors"] = errors[:5] + ([f"... {len(errors) - 5} more"] if len(errors) > 5 else [])
        if args.per_query:
            out["per_query"] = per_query
    if tmp is not None:
        tmp.cleanup()
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", default=str(DEFAULT_QUERIES), help="JSONL query set")
    parser.add_argument("--corpus", default=None, help="corpus folder (default: the bundled corpus/)")
    parser.add_argument("--archive", default=None, help="archive folder to build into (default: a temp dir)")
    parser.add_argument("--modes", nargs="+", default=list(MODES), choices=MODES)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--no-embed", action="store_true", help="skip embeddings; keyword mode only")
    parser.add_argument("--per-query", action="store_true", help="include per-query results")
    args = parser.parse_args(argv)
    print(json.dumps(run(args), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
