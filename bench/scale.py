"""One machine serving a large archive, end to end; prints one JSON object.

``nice python bench/scale.py --items 100000 [--items 1000000] [--keep DIR [--reuse]] [--serve-index ivfpq]``

``nice python bench/scale.py --ingest-only [--items 40000]`` builds an archive
(default :data:`DEFAULT_INGEST_ITEMS` items, about 58k passages: a few minutes)
and measures only step 3, the 10-meeting incremental ingest (with the
profiled second batch and the ingest process's peak RSS), not serving.

``--serve-index`` rebuilds the built archive's vector index as HNSW or
IVF-PQ before serving (what ``auto`` would choose at a larger size);
``--keep DIR --reuse`` serves an archive built there before (the build is
the slow part).

Per size, in this order and in separate processes:

1. **build** (a spawned process): :mod:`tests.tools.make_scale` writes the
   synthetic archive through the store's public API (real SQLite + FTS5),
   stores random-but-clustered unit vectors for every passage through
   ``index.vectors.VectorIndex`` under the real e5 model's identity (embedding
   a million passages is out of reach here), marks the pipeline stages done,
   detects follow-ups and builds threads over the whole archive
   (``ingest.pipeline.relink``), as a finished ingest leaves it.
2. **serve** (a fresh spawned process, so its RSS is a server's): opens the
   archive like the app does and measures hybrid search (real query embedding
   with the e5 model + FAISS + FTS5 + filters + snippets, ``index.search.search``)
   p50/p95 without and with filters, keyword-only and dense-only p95 (the
   baselines), a per-stage breakdown of the hybrid query (filters SQL, FTS5
   BM25 and coverage, query embedding, FAISS, passage lookup, topic boost,
   hits and snippets), recall@10 against exact search of the product's own
   index and of HNSW and IVF-PQ as the product builds them (build/train
   time, FAISS-only latency), the planted
   ground truth found by keyword search, query timeline, brief and issue
   history times, the RSS, and the archive size on disk.
3. **incremental ingest** (same process): 10 new meetings as text files
   through ``ingest.pipeline.ingest_paths`` (read, segment, passages, e5
   encoding of the new passages only, vector sync, follow-ups, threads of the
   changed municipalities); the encoding of the same passages is timed apart
   so the goal's "plus encoding" can be subtracted, and ``phases_s`` says
   where the timed ingest's wall time went (functions wrapped in this
   process; nested phases are counted in their parents too: ``vector save``
   is inside ``vector sync``, ``item means`` inside ``threads``). The
   relink reads only the changed municipalities (their items, their item
   vectors, their councils' follow-ups), and the new vectors are saved as a
   segment beside the memory-mapped base file (``index.vectors``, "Segments").

Dense relevance is not measured (bulk vectors are synthetic); latency,
memory and approximate-search recall are. Goals are from issue 13 (for 1M
items): hybrid p95 <= 100 ms, recall@10 >= 0.95, 10 meetings <= 30 s + encoding.
"""

from __future__ import annotations

import argparse
import inspect
import multiprocessing as mp
import os
import resource
import shutil
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "tools"))

from bench.common import latencies, log, percentiles_ms, print_json  # noqa: E402

QUERIES = [
    "när diskuterade vi motorburen ungdom", "skadegörelse vid skolor", "trygghetsvandring i bostadsområden",
    "narkotika bland unga", "polisens lägesbild", "belysning i parker och gångtunnlar",
    "nattvandrare och föräldrar", "inbrott i villor", "detaljplan för bostäder", "budget och ekonomi",
    "epatraktorer", "laddstolpar vid stationen", "fyrverkerier vid nyår", "klotterplank",
]
#: The default size finishes in a few minutes (a smoke run of every measurement);
#: the figures for issue 13 come from --items 100000 (about 40 min on a busy
#: 2-core machine, most of it the build: keep it with --keep DIR and serve it
#: again with --reuse).
DEFAULT_ITEMS = 2000
#: ``--ingest-only``'s default size: an HNSW index (over ``approx_threshold`` vectors), build + ingest in minutes.
DEFAULT_INGEST_ITEMS = 40000
GOALS = {"hybrid_p95_ms": 100.0, "recall_at_10": 0.95, "incremental_10_meetings_s_excl_encoding": 30.0}


def rss_mb() -> float:
    """Current resident set size of this process (MB)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def du_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20, 1)


def _settings(folder: str, embed: bool = True):
    from radslag.config import load_settings

    return load_settings(archive_dir=folder, embed=embed, enrich=False)


# -- 1. build ---------------------------------------------------------------------------------


def build(folder: str, n_items: int) -> dict:
    import make_scale

    from index.embeddings import load_embedder
    from index.store import Archive
    from ingest.pipeline import detect_meeting_followups, relink

    settings = _settings(folder)
    out: dict = {}
    with Archive(settings.db_path) as archive:
        rep = make_scale.generate(archive, n_items, batch=2000, bulk=True)
        out.update(meetings=rep.meetings, items=rep.items, passages=rep.passages, councils=rep.councils,
                   generate_text_s=rep.seconds)
        t0 = time.perf_counter()
        embedder = load_embedder(settings)
        vi = make_scale.write_vectors(settings, embedder, rep.passage_clusters)
        out["vectors_s"] = round(time.perf_counter() - t0, 2)
        out["index_type_auto"] = vi.kind
        docs = [r for r in range(1, archive.count("documents") + 1)]
        archive.record_missing_stages()
        for stage in ("passages", "vectors", "enrichment"):
            archive.mark_stage(docs, stage)
        t0 = time.perf_counter()
        meeting_ids = sorted(archive.meeting_councils())
        out["followups_detected"] = sum(  # chunks of meetings: the items of a million are not held at once
            detect_meeting_followups(archive, meeting_ids[lo:lo + 5000]) for lo in range(0, len(meeting_ids), 5000))
        out["followups_s"] = round(time.perf_counter() - t0, 2)
        t0 = time.perf_counter()
        with archive.transaction():
            # item means read scope by scope (index.threads.compute_links), as an ingest's relink reads them
            relink(archive, settings, vectors=partial(vi.item_means, archive))
            archive.mark_stage(docs, "links")
        out["threads_full_s"] = round(time.perf_counter() - t0, 2)
        t0 = time.perf_counter()
        archive.optimize_keyword_index()  # one FTS5 segment, as after a bulk import
        out["fts_optimize_s"] = round(time.perf_counter() - t0, 2)
        out["thread_links"] = len(archive.thread_links())
        out["planted"] = [(p.marker, p.item_id, p.municipality, p.body) for p in rep.planted]
    out["build_peak_rss_mb"] = peak_mb()
    return out


# -- 2./3. serve and ingest --------------------------------------------------------------------


def _timed(fn, inputs, warmup=2) -> list[float]:
    return latencies(fn, list(inputs), warmup=warmup)


def breakdown(archive, settings, queries: list, filters: list) -> dict:
    """Where a hybrid query's time goes: the stages of ``index.search.search`` timed per call.

    The stage functions are wrapped in this process only (a measuring
    harness, the product code is unchanged); ``other`` is the rest of the
    query (fusion, cutoff, Python glue).
    """
    import index.search as S

    spent: dict[str, float] = {}

    def wrap(owner, name, key):
        orig = getattr(owner, name)

        def timed_call(*a, **kw):
            t0 = time.perf_counter()
            try:
                return orig(*a, **kw)
            finally:
                spent[key] = spent.get(key, 0.0) + time.perf_counter() - t0
        setattr(owner, name, timed_call)
        return owner, name, orig

    ds = S.DenseSearcher.get(settings)
    filter_fn = "allowed_item_ids" if hasattr(archive, "allowed_item_ids") else "filter_item_ids"
    patches = [wrap(archive, filter_fn, "filters"), wrap(S, "keyword_ranking", "fts5_bm25"),
               wrap(S, "keyword_coverage", "fts5_coverage"), wrap(ds.embedder, "encode_queries", "query_embedding"),
               wrap(ds.index, "search", "faiss"), wrap(archive, "passage_meetings", "passage_lookup_sql"),
               wrap(S, "topic_boost", "topic_boost"), wrap(S, "_hits", "hits_and_snippets")]
    out: dict = {}
    try:
        for label, flt in (("hybrid", [None]), ("hybrid_filtered", filters)):
            per: dict[str, list[float]] = {}
            for n, q in enumerate(queries):
                spent.clear()
                t0 = time.perf_counter()
                S.search(archive, q, settings=settings, k=10, mode="hybrid", filters=flt[n % len(flt)])
                total = time.perf_counter() - t0
                spent["other"] = total - sum(spent.values())
                spent["total"] = total
                for key, sec in spent.items():
                    per.setdefault(key, []).append(sec)
            out[label] = {k: percentiles_ms(v) for k, v in per.items()}
    finally:
        for owner, name, orig in patches:
            if owner is S:
                setattr(owner, name, orig)
            else:
                delattr(owner, name)  # the instance attribute shadowed the class's method
    return out


def ann_rows(vecs: np.ndarray, xq: np.ndarray, truth_nn: np.ndarray, ids: np.ndarray) -> dict:
    """HNSW (as the product builds it) and IVF-PQ (likewise) on the same vectors: build time, recall@10, latency."""
    import faiss

    from index.vectors import HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH, HNSW_M, IVF_K_FACTOR, IVF_MIN_VECTORS, _new_index

    v: dict = {}
    t0 = time.perf_counter()
    hnsw = faiss.IndexHNSWFlat(vecs.shape[1], HNSW_M, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    hnsw.add(vecs)
    v["hnsw_build_s"] = round(time.perf_counter() - t0, 1)
    for ef in (HNSW_EF_SEARCH, 128):
        hnsw.hnsw.efSearch = ef
        _, got = hnsw.search(xq, 10)
        rec = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(got, truth_nn)]))
        v[f"hnsw_ef{ef}"] = {"recall_at_10": round(rec, 4),
                             **percentiles_ms(_timed(lambda x: hnsw.search(x[None, :], 10), list(xq)))}
    del hnsw
    if len(vecs) < IVF_MIN_VECTORS:
        return v
    t0 = time.perf_counter()
    ivf = _new_index("ivfpq", vecs.shape[1], train=vecs)
    v["ivfpq_train_s"] = round(time.perf_counter() - t0, 1)
    t0 = time.perf_counter()
    ivf.add_with_ids(vecs, ids)
    v["ivfpq_add_s"] = round(time.perf_counter() - t0, 1)
    refine = faiss.downcast_index(ivf.index)
    inner = faiss.extract_index_ivf(refine.base_index)
    pos = {int(i): n for n, i in enumerate(ids)}
    for kf in (8, IVF_K_FACTOR):  # IVF_K_FACTOR: the product's
        refine.k_factor = kf
        _, got = ivf.search(xq, 10)
        rec = float(np.mean([len({pos[int(i)] for i in a if i >= 0} & set(b)) / 10 for a, b in zip(got, truth_nn)]))
        v[f"ivfpq_nlist{inner.nlist}_nprobe{inner.nprobe}_kfactor{kf}"] = {
            "recall_at_10": round(rec, 4), **percentiles_ms(_timed(lambda x: ivf.search(x[None, :], 10), list(xq)))}
    return v


def serve(folder: str, planted: list, repeat: int, skip_ann: bool = False) -> dict:
    import faiss

    from index.brief import brief, render_markdown
    from index.history import issue_history
    from index.keyword import match_query
    from index.search import DenseSearcher, search
    from index.store import Archive
    from index.timeline import timeline
    from radslag.types import Filters

    settings = _settings(folder)
    out: dict = {"rss_start_mb": rss_mb()}
    archive = Archive(settings.db_path)
    t0 = time.perf_counter()
    search(archive, "trygghet", settings=settings, k=10)  # model, index and FTS loaded, as a server's first query
    out["first_query_s"] = round(time.perf_counter() - t0, 2)
    queries = QUERIES * repeat
    filt = [Filters(municipality="Arboga"), Filters(since="2015-01-01", until="2019-12-31"),
            Filters(municipality="Lund", body="Socialnämnden")]
    q: dict = {}
    # each filter's item set resolved once (what a search pays when the archive changed since the last)
    q["filter_sets_uncached_ms"] = {str(f): round(latencies(archive.filter_item_ids, [f], warmup=0)[0] * 1000, 1)
                                    for f in filt}
    for mode in ("hybrid", "keyword", "dense"):
        lat = _timed(lambda x: search(archive, x, settings=settings, k=10, mode=mode), queries)
        q[mode] = percentiles_ms(lat) | {"n": len(lat)}
    lat = _timed(lambda x: search(archive, x[0], settings=settings, k=10, mode="hybrid", filters=x[1]),
                 [(x, filt[i % len(filt)]) for i, x in enumerate(queries)])
    q["hybrid_filtered"] = percentiles_ms(lat) | {"n": len(lat), "filters": "municipality / date range / council"}
    ds = DenseSearcher.get(settings)
    lat = _timed(lambda x: ds.embedder.encode_queries([x]), queries)
    q["query_embedding_only"] = percentiles_ms(lat)
    q["breakdown_ms"] = breakdown(archive, settings, queries, filt)
    out["search"] = q
    # Planted ground truth found by the keyword index.
    truth: dict[str, set[int]] = {}
    for marker, item_id, _, _ in planted:
        truth.setdefault(marker, set()).add(item_id)
    found = {m: archive.keyword_matches(match_query(m)) for m in truth}
    out["planted_ground_truth"] = {"items": sum(len(v) for v in truth.values()),
                                   "keyword_recall": round(sum(len(found[m] & truth[m]) for m in truth)
                                                           / max(1, sum(len(v) for v in truth.values())), 4),
                                   "keyword_extra": sum(len(found[m] - truth[m]) for m in truth)}
    # Vector index: the product's index, exact flat and HNSW on the same vectors.
    ids, vecs = ds.index.vectors()
    rng = np.random.default_rng(5)
    sample = vecs[rng.choice(len(vecs), 200, replace=False)]
    noisy = sample + rng.standard_normal(sample.shape).astype(np.float32) * np.float32(0.03)
    xq = np.vstack([noisy / np.linalg.norm(noisy, axis=1, keepdims=True),
                    ds.embedder.encode_queries(QUERIES)]).astype(np.float32)
    v: dict = {"product_index": ds.index.kind, "vectors": int(len(ids)),
               "queries": f"{len(xq) - len(QUERIES)} perturbed archive vectors + {len(QUERIES)} real e5 queries"}
    flat = faiss.IndexFlatIP(vecs.shape[1])
    flat.add(vecs)
    _, truth_nn = flat.search(xq, 10)
    v["flat_faiss_only"] = percentiles_ms(_timed(lambda x: flat.search(x[None, :], 10), list(xq)))
    del flat
    # the product's own index (whatever size chose), through VectorIndex.search
    _, got = ds.index.search(xq, 10)
    pos = {int(i): n for n, i in enumerate(ids)}
    v["product_recall_at_10"] = round(float(np.mean(
        [len({pos[int(i)] for i in a} & set(b)) / 10 for a, b in zip(got, truth_nn)])), 4)
    v["product_faiss_only"] = percentiles_ms(_timed(lambda x: ds.index.search(x, 10), list(xq)))
    if not skip_ann:
        v.update(ann_rows(vecs, xq, truth_nn, ids))
    del vecs
    out["vector_index"] = v
    # Timeline, brief, issue history.
    t: dict = {}
    t0 = time.perf_counter()
    tl = timeline(archive, query="epatraktorer", settings=settings, by="year")
    t["timeline_query_hybrid_all_s"] = round(time.perf_counter() - t0, 3)
    t["timeline_mentions"] = tl.total_items
    t0 = time.perf_counter()
    timeline(archive, query="laddstolpar", settings=settings, by="meeting", filters=Filters(municipality="Arboga"))
    t["timeline_query_one_municipality_s"] = round(time.perf_counter() - t0, 3)
    t0 = time.perf_counter()
    render_markdown(brief(archive, "Arboga trygghetsråd"))
    t["brief_s"] = round(time.perf_counter() - t0, 3)
    t0 = time.perf_counter()
    import make_scale

    c = make_scale.councils().index(("Arboga", "Trygghetsrådet"))
    marker, heading, _ = make_scale.ISSUES[make_scale.issue_of(c)]
    h = issue_history(archive, settings, query=heading, filters=Filters(council="arboga/trygghetsråd"))
    t["issue_history_query"] = heading
    t["issue_history_planted_in_council"] = sum(1 for p in planted if p[2] == "Arboga" and p[3] == "Trygghetsrådet")
    t["issue_history_one_council_s"] = round(time.perf_counter() - t0, 3)
    t["issue_history_entries"] = len(h.entries)
    t0 = time.perf_counter()
    issue_history(archive, settings, query="nattvandrarna")
    t["issue_history_all_councils_s"] = round(time.perf_counter() - t0, 3)
    out["recurrence"] = t
    out["rss_serving_mb"] = rss_mb()
    out["peak_rss_serving_mb"] = peak_mb()
    archive.close()
    return out


def _write_meetings(folder: Path, seed: int, tag: str) -> Path:
    import make_scale

    folder.mkdir(parents=True, exist_ok=True)
    for n, (doc, _m, _i, _p, _x) in enumerate(make_scale.meetings(10, seed=seed, years=(2025, 2025), tag=tag)):
        (folder / f"{tag}-{n:02d}.txt").write_text(doc.text, encoding="utf-8")
    return folder


def _time_phases():
    """Time the ingest's phases (wall seconds, nested phases counted in their parents too) by wrapping
    the functions in this process only; returns the totals (filled in as they run) and an undo."""
    import index.followups
    import index.threads
    import index.vectors
    import ingest.pipeline as P

    spent: dict[str, float] = {}
    undo = []

    def wrap(owner, name, key):
        orig = getattr(owner, name)

        def add(t0):
            spent[key] = spent.get(key, 0.0) + time.perf_counter() - t0

        def steps(gen):  # a generator's time is spent in its steps
            while True:
                t0 = time.perf_counter()
                try:
                    value = next(gen)
                except StopIteration:
                    add(t0)
                    return
                add(t0)
                yield value

        def timed(*a, **kw):
            t0 = time.perf_counter()
            try:
                out = orig(*a, **kw)
            finally:
                add(t0)
            return steps(out) if inspect.isgenerator(out) else out
        setattr(owner, name, timed)
        undo.append((owner, name, orig))

    for owner, name, key in (
            (P, "prepare_archive", "prepare_archive (FTS refresh)"), (P, "parse_files", "read+segment (workers)"),
            (P, "store_outcome", "store documents"), (P, "load_embedder", "load model"),
            (P, "complete_passages", "passages"), (P, "open_repaired", "open vector index"),
            (index.vectors.VectorIndex, "sync", "vector sync (encode+save)"),
            (index.vectors.VectorIndex, "save", "vector save"), (index.vectors.VectorIndex, "item_means", "item means"),
            (P, "canonicalize", "canonical names"), (P, "build_threads", "threads"),
            (P, "update_status", "follow-up status"), (P, "after_ingest", "saved searches")):
        wrap(owner, name, key)

    def restore():
        for owner, name, orig in reversed(undo):
            setattr(owner, name, orig)
    return spent, restore


def incremental(folder: str) -> dict:
    """10 new meetings through the real ingest path; encoding of their passages timed apart.

    A second batch of 10 other meetings is ingested under cProfile (its
    times are inflated by the profiler) to show where the time goes.
    """
    import cProfile
    import pstats

    from index.embeddings import load_embedder
    from index.store import Archive
    from ingest.pipeline import ingest_paths

    settings = _settings(folder)
    with Archive(settings.db_path) as a:
        before = {"items": a.count("items"), "passages": a.count("passages"), "links": len(a.thread_links())}
        docs = a.count("documents")
    # named after the archive's size, so a reused archive (--reuse) gets meetings it has not seen
    new_dir = _write_meetings(Path(folder) / f"incoming-{docs}", 99 + docs, f"new{docs}")
    embedder = load_embedder(settings)
    spent, restore = _time_phases()
    t0 = time.perf_counter()
    try:
        report = ingest_paths([str(new_dir)], settings)
    finally:
        restore()
    total = time.perf_counter() - t0
    with Archive(settings.db_path) as a:
        after = {"items": a.count("items"), "passages": a.count("passages"), "links": len(a.thread_links())}
        texts = [p.text for p in a.passages()[before["passages"]:]]
    t0 = time.perf_counter()
    embedder.encode_passages(texts, batch_size=settings.batch_size)
    enc = time.perf_counter() - t0
    if after["items"] == before["items"]:
        raise RuntimeError("the incremental ingest added nothing: the meetings were in the archive already")
    out = {"meetings": len(report.files), "failed": [f.source for f in report.failed],
           "new_items": after["items"] - before["items"], "new_passages": len(texts),
           "thread_links_before": before["links"], "thread_links_after": after["links"],
           "total_s": round(total, 2), "encoding_same_passages_s": round(enc, 2),
           "excl_encoding_s": round(total - enc, 2), "notes": report.notes[:5],
           "phases_s": {k: round(v, 2) for k, v in spent.items()}}
    second = _write_meetings(Path(folder) / f"incoming2-{docs}", 98 + docs, f"new2{docs}")
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    ingest_paths([str(second)], settings)
    prof.disable()
    stats = pstats.Stats(prof)
    top = sorted(((v[3], f"{Path(k[0]).parent.name}/{Path(k[0]).name}:{k[2]}") for k, v in stats.stats.items()
                  if k[0].startswith(str(ROOT))), reverse=True)
    out["second_batch_profiled"] = {"total_s_with_profiler": round(time.perf_counter() - t0, 2),
                                    "cumulative_s_by_function": {n: round(sec, 2) for sec, n in top[:18]}}
    return out


def convert(folder: str, kind: str) -> dict:
    """Rebuild the stored vector index as ``kind`` (``hnsw``/``ivfpq``) from its own vectors, timed."""
    from index.embeddings import load_embedder
    from index.vectors import VectorIndex

    settings = _settings(folder).with_(index_type=kind)
    vi = VectorIndex.open(settings, load_embedder(settings))
    vi._own()
    ids, vecs = vi.vectors()
    t0 = time.perf_counter()
    vi._rebuild_as(kind, ids, vecs)
    built = time.perf_counter() - t0
    vi.save()
    return {"index_type": vi.kind, "build_s": round(built, 1), "build_and_save_s": round(time.perf_counter() - t0, 1)}


def ingest_only(folder: str) -> dict:
    """Step 3 alone, with the peak RSS of the process that ran it."""
    out = incremental(folder)
    out["peak_rss_mb"] = peak_mb()
    return out


def serve_and_ingest(folder: str, planted: list, repeat: int, skip_ann: bool = False) -> dict:
    out = serve(folder, planted, repeat, skip_ann)
    out["incremental_ingest_10_meetings"] = incremental(folder)
    return out


def isolated(fn, *args):
    """Run ``fn(*args)`` in a fresh spawned process (not daemonic: ingest starts its own workers)."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=mp.get_context("spawn")) as pool:
        return pool.submit(fn, *args).result()


def run_size(n_items: int, keep: str | None, repeat: int, serve_index: str = "auto", skip_ann: bool = False,
             reuse: bool = False, only_ingest: bool = False) -> dict:
    folder = Path(keep) / f"scale-{n_items}" if keep else Path(tempfile.mkdtemp(prefix="radslag-scale-"))
    import json

    built = folder / "build.json"
    if not (reuse and built.exists()):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    try:
        t0 = time.perf_counter()
        if reuse and built.exists():
            log(f"scale: reusing the archive built in {folder}")
            b = json.loads(built.read_text())
        else:
            log(f"scale: building {n_items} items in {folder}")
            b = isolated(build, str(folder), n_items)
            b["build_total_s"] = round(time.perf_counter() - t0, 1)
            built.write_text(json.dumps(b))
        planted = b.pop("planted")
        if serve_index != "auto":
            log(f"scale: rebuilding the vector index as {serve_index}")
            b["served_index"] = isolated(convert, str(folder), serve_index)
        index_dir = _settings(str(folder)).index_dir
        if only_ingest:
            log("scale: incremental ingest only")
            t0 = time.perf_counter()
            inc = isolated(ingest_only, str(folder))
            return {"target_items": n_items, "build": b, "vector_index_mb": du_mb(index_dir),
                    "incremental_ingest_10_meetings": inc,
                    "incremental_process_s": round(time.perf_counter() - t0, 1)}
        size = {"archive_mb": du_mb(folder), "vector_index_mb": du_mb(index_dir),
                "sqlite_mb": round(du_mb(folder) - du_mb(index_dir), 1)}
        log("scale: serving")
        s = isolated(serve_and_ingest, str(folder), planted, repeat, skip_ann)
        entry = {"target_items": n_items, "build": b, "disk": size, **s}
        inc = s["incremental_ingest_10_meetings"]
        rec = s["vector_index"]["product_recall_at_10"]
        entry["goals_1m_checked_at_this_size"] = {
            "hybrid_p95_ms<=100": s["search"]["hybrid"]["p95_ms"] <= GOALS["hybrid_p95_ms"],
            f"recall_at_10>=0.95 (product index, {s['vector_index']['product_index']})": rec >= GOALS["recall_at_10"],
            "incremental_10_meetings<=30s+encoding": inc["excl_encoding_s"] <= GOALS["incremental_10_meetings_s_excl_encoding"],
        }
        return entry
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--items", type=int, action="append",
                    help=f"archive sizes in agenda items (repeatable; default {DEFAULT_ITEMS})")
    ap.add_argument("--repeat", type=int, default=3, help="passes over the query list")
    ap.add_argument("--keep", default=None, help="build the archives under this folder and keep them")
    ap.add_argument("--reuse", action="store_true", help="with --keep: serve an archive built there before")
    ap.add_argument("--serve-index", default="auto", choices=("auto", "hnsw", "ivfpq"),
                    help="rebuild the built archive's vector index as this type before serving")
    ap.add_argument("--skip-ann", action="store_true", help="skip building HNSW and IVF-PQ beside the product index")
    ap.add_argument("--ingest-only", action="store_true",
                    help=f"build, then measure only the 10-meeting ingest (default {DEFAULT_INGEST_ITEMS} items)")
    args = ap.parse_args(argv)
    import faiss

    result: dict = {
        "machine": {"cpus": os.cpu_count(), "faiss_threads": faiss.omp_get_max_threads(),
                    "loadavg_start": [round(x, 2) for x in os.getloadavg()]},
        "synthetic": ("text: real corpus sentences in generated minutes (tests/tools/make_scale.py); "
                      "vectors: random clustered unit vectors, NOT e5 embeddings (dense relevance not measured); "
                      "queries: embedded with the real e5 model"),
        "goals_at_1m": GOALS,
        "sizes": [],
    }
    for n in args.items or [DEFAULT_INGEST_ITEMS if args.ingest_only else DEFAULT_ITEMS]:
        result["sizes"].append(run_size(n, args.keep, args.repeat, args.serve_index, args.skip_ann, args.reuse,
                                        args.ingest_only))
    result["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    print_json(result)


if __name__ == "__main__":
    main()
