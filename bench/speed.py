"""Speed benchmark: FAISS index sizes, the query path and the ingest embedding.

Prints one JSON object on stdout (progress goes to stderr)::

    python bench/speed.py                      # sizes 10k, 100k, 1M
    python bench/speed.py --sizes 10000,100000 --skip-model

Sections:

Each size and the model section run in a fresh process.

* ``faiss``: per size, synthetic L2-normalised vectors (dim 384, drawn around
  random cluster centres so neighbourhoods look more like text embeddings than
  uniform noise): build time of the exact (``IndexFlatIP``) and HNSW
  (``IndexHNSWFlat``, M 32, efConstruction as in :mod:`index.vectors`) indexes
  behind ``IndexIDMap2``,
  single-query latency p50/p95 for k=10 and HNSW recall@10 against exact search
  for several efSearch values. When the HNSW build at the largest size is
  predicted (from the previous size, n·log n) to exceed ``--hnsw-budget-s``,
  it is built with M 16 / efConstruction 32 and the entry says so.
* ``query_path``: latency of the whole query path (``index.search.search``,
  hybrid and dense-only, real e5 model) on an archive built from ``corpus/``,
  and of embedding + FAISS alone.
* ``encode``: passages/s of the ingest pipeline's passage embedding
  (``build_passages`` + ``Embedder.encode_passages``) against raw
  ``SentenceTransformer.encode`` on the same texts in the same run.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import latencies, log, peak_rss_mb, percentiles_ms, print_json  # noqa: E402

DIM = 384
#: Per-dimension noise around a cluster centre: a point's cosine to its centre
#: is then about 0.86 and to a neighbour in its cluster about 0.74, the range in
#: which e5 passage similarities lie.
NOISE = 0.03
N_CENTRES = 2000
QUERIES = [
    "när diskuterade vi motorburen ungdom",
    "skadegörelse vid skolor",
    "trygghetsvandring i bostadsområden",
    "narkotika bland unga",
    "polisens lägesbild",
    "belysning i parker och gångtunnlar",
    "nattvandrare och föräldrar",
    "inbrott i villor",
    "samverkan med Svenska kyrkan",
    "otrygghet vid busstationen",
    "brandanlagda bilar",
    "fyrverkerier vid nyår",
]


def synthetic(n: int, seed: int, centres: np.ndarray) -> np.ndarray:
    """Clustered unit vectors: a random centre plus noise, normalised."""
    rng = np.random.default_rng(seed)
    out = np.empty((n, DIM), dtype=np.float32)
    step = 100_000
    for lo in range(0, n, step):
        m = min(step, n - lo)
        c = centres[rng.integers(0, len(centres), m)]
        v = c + rng.standard_normal((m, DIM), dtype=np.float32) * np.float32(NOISE)
        out[lo : lo + m] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


def bench_faiss_size(n: int, n_queries: int, M: int, efc: int, efs: tuple[int, ...] = (32, 64, 128)) -> dict:
    """Build and query exact and HNSW indexes over ``n`` synthetic vectors."""
    import faiss

    rng = np.random.default_rng(0)
    centres = rng.standard_normal((N_CENTRES, DIM)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    xb = synthetic(n, 1, centres)
    xq = synthetic(n_queries, 2, centres)
    ids = np.arange(n, dtype=np.int64) + 1
    entry: dict = {"n": n, "dim": DIM}

    t0 = time.perf_counter()
    flat = faiss.IndexIDMap2(faiss.IndexFlatIP(DIM))
    flat.add_with_ids(xb, ids)
    entry["flat_build_s"] = round(time.perf_counter() - t0, 3)
    n_lat = n_queries if n <= 100_000 else min(n_queries, 50)
    entry["flat_query"] = percentiles_ms(latencies(lambda q: flat.search(q[None, :], 10), xq[:n_lat]))
    _, truth = flat.search(xq, 10)
    del flat

    t0 = time.perf_counter()
    inner = faiss.IndexHNSWFlat(DIM, M, faiss.METRIC_INNER_PRODUCT)
    inner.hnsw.efConstruction = efc
    hnsw = faiss.IndexIDMap2(inner)
    hnsw.add_with_ids(xb, ids)
    entry.update(hnsw_M=M, hnsw_ef_construction=efc, hnsw_build_s=round(time.perf_counter() - t0, 3))
    per_ef = {}
    for ef in efs:
        inner.hnsw.efSearch = ef
        _, got = hnsw.search(xq, 10)
        recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(got, truth)])
        lat = latencies(lambda q: hnsw.search(q[None, :], 10), xq)
        per_ef[str(ef)] = {"recall_at_10": round(float(recall), 4), **percentiles_ms(lat)}
    entry["hnsw_by_ef_search"] = per_ef
    entry["peak_rss_mb"] = peak_rss_mb()
    return entry


def bench_faiss(sizes: list[int], n_queries: int, budget_s: float, ef_construction: int = 40,
                efs: tuple[int, ...] = (32, 64, 128)) -> list[dict]:
    """Run :func:`bench_faiss_size` per size, each in a fresh process."""
    results = []
    prev: tuple[int, float] | None = None
    for n in sizes:
        M, efc, note, predicted = 32, ef_construction, None, None
        if prev is not None:
            pn, ps = prev
            predicted = ps * (n * math.log(n)) / (pn * math.log(pn))
            if predicted > budget_s:
                M, efc = 16, 32
                note = (f"predicted M=32/efConstruction={ef_construction} build {predicted:.0f}s > budget "
                        f"{budget_s:.0f}s: "
                        "built with M=16, efConstruction=32 instead")
        log(f"faiss n={n} M={M} efConstruction={efc}")
        entry = isolated(bench_faiss_size, n, n_queries, M, efc, efs)
        if predicted is not None:
            entry["hnsw_predicted_build_s_M32"] = round(predicted, 1)
        if note:
            entry["note"] = note
        if M == 32:
            prev = (n, entry["hnsw_build_s"])
        results.append(entry)
    return results


def isolated(fn, *args):
    """Run ``fn(*args)`` in a fresh spawned process (no shared thread pools or RSS)."""
    import multiprocessing as mp

    with mp.get_context("spawn").Pool(1) as pool:
        return pool.apply(fn, args)


def build_corpus_archive(folder: Path):
    from ingest.pipeline import ingest_paths
    from radslag.config import CORPUS_DIR, load_settings

    settings = load_settings(archive_dir=folder / "archive", embed=True, enrich=False)
    t0 = time.perf_counter()
    report = ingest_paths([str(CORPUS_DIR)], settings, progress=False)
    return settings, round(time.perf_counter() - t0, 2), report


def bench_model(n_repeat: int) -> dict:
    from index.embeddings import load_embedder
    from index.store import Archive
    from index.vectors import VectorIndex, build_passages

    out: dict = {}
    tmp = Path(tempfile.mkdtemp(prefix="radslag-bench-"))
    try:
        t0 = time.perf_counter()
        from radslag.config import load_settings

        embedder = load_embedder(load_settings(archive_dir=tmp / "archive"))
        out["model_load_s"] = round(time.perf_counter() - t0, 2)
        log("ingesting corpus/")
        settings, ingest_s, report = build_corpus_archive(tmp)
        out["corpus_ingest_s"] = ingest_s
        out["corpus_failed"] = [f.source for f in report.failed]
        with Archive(settings.db_path) as arc:
            out["corpus"] = {"documents": arc.count("documents"), "items": arc.count("items"),
                             "passages": arc.count("passages")}

            # -- query path ------------------------------------------------------
            try:
                from index.search import search

                queries = QUERIES * n_repeat
                for mode in ("hybrid", "dense"):
                    lat = latencies(lambda q: search(arc, q, settings=settings, k=10, mode=mode), queries)
                    out[f"query_path_{mode}"] = percentiles_ms(lat) | {"n": len(lat), "via": "index.search.search"}
            except ImportError:
                out["query_path_note"] = "index.search not available"
            index = VectorIndex.open(settings, embedder)
            lat = latencies(lambda q: index.search(embedder.encode_queries([q]), 10), QUERIES * n_repeat)
            out["query_embed_plus_faiss"] = percentiles_ms(lat) | {"n": len(lat)}
            lat = latencies(lambda q: embedder.encode_queries([q]), QUERIES * n_repeat)
            out["query_embed_only"] = percentiles_ms(lat)

            # -- ingest passage embedding vs raw encode -------------------------
            log("encode throughput")
            arc.clear_passages()
            t0 = time.perf_counter()
            ids = build_passages(arc, embedder, settings)
            split_s = time.perf_counter() - t0
            texts = [r.text for r in arc.passages(ids)]
            t0 = time.perf_counter()
            embedder.encode_passages(texts, batch_size=settings.batch_size)
            pipe_s = split_s + (time.perf_counter() - t0)
            t0 = time.perf_counter()
            embedder.model.encode(["passage: " + t for t in texts], batch_size=settings.batch_size)
            raw_s = time.perf_counter() - t0
            n_tokens = sum(len(x) for x in embedder.tokenizer(texts)["input_ids"])
            out["encode"] = {
                "passages": len(texts),
                "mean_tokens_per_passage": round(n_tokens / max(1, len(texts)), 1),
                "split_s": round(split_s, 3),
                "pipeline_passages_per_s": round(len(texts) / pipe_s, 2),
                "raw_encode_passages_per_s": round(len(texts) / raw_s, 2),
                "pipeline_to_raw_ratio": round(raw_s / pipe_s, 3),
                "batch_size": settings.batch_size,
            }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    import torch

    out["torch_threads"] = torch.get_num_threads()
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def _old_best_snippet(archive, item, query, width=320):
    """``index.search.best_snippet`` before the latency fix: the full analysis of every passage."""
    from index.keyword import analyze
    from index.search import _trim, _windows, query_terms

    terms = query_terms(query)
    passages = archive.item_passages(item.id)
    candidates = [(p.text, p.start) for p in passages] or _windows(item.text, item.start, width * 2)
    best = max(candidates, key=lambda c: len(set(analyze(c[0]).split()) & terms)) if terms else candidates[0]
    return _trim(best[0], query, width), best[1]


def _old_highlight_spans(text, query):
    """``index.search.highlight_spans`` before the latency fix: every word analysed."""
    from index.keyword import analyze
    from index.search import _WORD, query_terms
    from radslag.lang import stopwords

    terms = query_terms(query)
    if not terms:
        return []
    stop = stopwords()
    return [(m.start(), m.end()) for m in _WORD.finditer(text)
            if m.group().casefold() not in stop and set(analyze(m.group()).split()) & terms]


def bench_search_ab(archive_dir: str, n_repeat: int) -> dict:
    """Hybrid search latency, current code against the snippet code before the fix, alternating in one run.

    Word-analysis caches are cleared before every search in both arms, so each
    search pays for the words it meets for the first time (new minutes keep
    bringing new words to a long-running app).
    """
    import dataclasses

    from index import keyword
    from index import search as S
    from index.store import Archive
    from radslag.config import load_settings

    settings = load_settings(archive_dir=archive_dir, embed=True, enrich=False)
    queries = ["motorburen ungdom", "klotter på skolor", "hur gick ekonomin under de första åtta månaderna",
               "reporäntan", "tonåringar som kör runt i bil och stör grannarna", "trygghetsvandring",
               "detaljplan för bostäder", "lokalbehovsplan"]
    current = (S.best_snippet, S.highlight_spans, S._entity_json)
    old = (_old_best_snippet, _old_highlight_spans, dataclasses.asdict)
    times: dict[str, list[float]] = {"current": [], "before_fix": []}
    with Archive(settings.db_path) as archive:
        S.search(archive, "uppvärmning", settings=settings, k=10)  # models and FTS ready
        for _ in range(n_repeat):
            for q in queries:
                for arm, funcs in (("current", current), ("before_fix", old)):
                    S.best_snippet, S.highlight_spans, S._entity_json = funcs
                    keyword._word_cache.clear()
                    keyword._index_cache.clear()
                    t = time.perf_counter()
                    S.search(archive, q, settings=settings, k=10)
                    times[arm].append((time.perf_counter() - t) * 1000)
        S.best_snippet, S.highlight_spans, S._entity_json = current
    out = {arm: {"p50_ms": round(float(np.median(v)), 1), "p95_ms": round(float(np.percentile(v, 95)), 1),
                 "n": len(v)} for arm, v in times.items()}
    out["speedup_p50"] = round(out["before_fix"]["p50_ms"] / out["current"]["p50_ms"], 2)
    return out


def _search_module_at(rev: str):
    """``index/search.py`` as it was at git revision ``rev``, imported as a separate module.

    It runs against the current store and analysis (only the search module is
    taken from ``rev``), so the A/B isolates what changed in the search code.
    """
    import importlib.util
    import subprocess

    root = Path(__file__).resolve().parent.parent
    source = subprocess.run(["git", "show", f"{rev}:index/search.py"], cwd=root, check=True,
                            capture_output=True, text=True).stdout
    folder = Path(tempfile.mkdtemp(prefix="radslag-search-rev-"))
    path = folder / "search_at_rev.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("search_at_rev", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["search_at_rev"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def bench_search_rev(archive_dir: str, rev: str, n_repeat: int) -> dict:
    """Hybrid search latency, the current ``index.search`` against the one at git ``rev``, alternating in one run.

    Word-analysis caches are cleared before every search in both arms (as in
    :func:`bench_search_ab`); both arms share the loaded model and index.
    """
    from index import keyword
    from index import search as S
    from index.store import Archive
    from radslag.config import load_settings

    old = _search_module_at(rev)
    settings = load_settings(archive_dir=archive_dir, embed=True, enrich=False)
    queries = ["motorburen ungdom", "klotter på skolor", "hur gick ekonomin under de första åtta månaderna",
               "reporäntan", "tonåringar som kör runt i bil och stör grannarna", "trygghetsvandring",
               "detaljplan för bostäder", "lokalbehovsplan"]
    arms = {"current": S, rev: old}
    times: dict[str, list[float]] = {arm: [] for arm in arms}
    with Archive(settings.db_path) as archive:
        for module in arms.values():
            module.search(archive, "uppvärmning", settings=settings, k=10)  # models and FTS ready
        for n in range(n_repeat):
            for q in queries:
                order = list(arms.items()) if n % 2 == 0 else list(arms.items())[::-1]  # neither arm always first
                for arm, module in order:
                    keyword._word_cache.clear()
                    keyword._index_cache.clear()
                    t = time.perf_counter()
                    module.search(archive, q, settings=settings, k=10)
                    times[arm].append((time.perf_counter() - t) * 1000)
    out = {arm: {"p50_ms": round(float(np.median(v)), 1), "p95_ms": round(float(np.percentile(v, 95)), 1),
                 "n": len(v)} for arm, v in times.items()}
    out["ratio_p50_current_to_rev"] = round(out["current"]["p50_ms"] / out[rev]["p50_ms"], 2)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000",
                        help="comma-separated vector counts (default 10000,100000,1000000)")
    parser.add_argument("--queries", type=int, default=200, help="queries per FAISS size")
    parser.add_argument("--hnsw-budget-s", type=float, default=400.0,
                        help="largest predicted HNSW build (M=32) before falling back to M=16")
    from index.vectors import HNSW_EF_CONSTRUCTION

    parser.add_argument("--ef-construction", type=int, default=HNSW_EF_CONSTRUCTION,
                        help=f"HNSW efConstruction (default: the index's, {HNSW_EF_CONSTRUCTION})")
    parser.add_argument("--ef-search", default="32,64,128", help="efSearch values to measure recall/latency for")
    parser.add_argument("--repeat", type=int, default=4, help="passes over the query list for the query path")
    parser.add_argument("--skip-model", action="store_true", help="FAISS section only")
    parser.add_argument("--search-ab", default=None, metavar="ARCHIVE",
                        help="only: hybrid search latency on ARCHIVE, current code vs the snippet code before the fix")
    parser.add_argument("--rev", default=None, metavar="GIT_REV",
                        help="with --search-ab: compare against index/search.py at this git revision instead")
    args = parser.parse_args(argv)
    if args.search_ab:
        load_start = [round(x, 2) for x in os.getloadavg()]
        ab = (bench_search_rev(args.search_ab, args.rev, args.repeat) if args.rev
              else bench_search_ab(args.search_ab, args.repeat))
        print_json({"loadavg_start": load_start,
                    "search_ab": ab,
                    "loadavg_end": [round(x, 2) for x in os.getloadavg()]})
        return

    import faiss

    result: dict = {
        "machine": {"cpus": os.cpu_count(), "faiss_threads": faiss.omp_get_max_threads(),
                    "faiss": faiss.__version__, "loadavg_start": [round(x, 2) for x in os.getloadavg()]},
        "synthetic_data": f"{N_CENTRES} random unit centres + N(0, {NOISE}^2) per dim, normalised",
    }
    t0 = time.perf_counter()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    efs = tuple(int(x) for x in args.ef_search.split(",") if x.strip())
    result["faiss"] = bench_faiss(sizes, args.queries, args.hnsw_budget_s, args.ef_construction, efs)
    if not args.skip_model:
        result["model"] = isolated(bench_model, args.repeat)
    result["total_s"] = round(time.perf_counter() - t0, 1)
    result["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    print_json(result)


if __name__ == "__main__":
    main()
