"""Search CPU: where one search's CPU goes, in ``index.search.search`` alone and in the app's handler.

Runs distinct queries (``bench/load.py``'s :func:`~bench.load.distinct_queries`,
none repeated, the app's result cache off) one after another against an
archive (a copy of ``--archive``) and reports CPU milliseconds per search
(``time.process_time``: every thread of this process):

- ``search``: ``index.search.search`` as the app's search tab calls it
  (``k`` = the timeline's 2,000, snippets for the ten cards), on one open
  archive connection;
- ``handler``: the search tab's handler (``app.tabs.search._run_search``):
  opening the archive, the search, the hit facts, the timeline and its plot,
  the downloads and the HTML;
- ``stages``: the handler's CPU split by function (``cProfile``, cumulative
  time of the functions named in :data:`STAGES`; profiling inflates every
  figure by about the same factor, so the shares are what to read).

- ``--app``: the same searches one after another through the running app
  (``radslag serve`` in its own process, Gradio's HTTP API as
  ``bench/load.py`` calls it): the app process's CPU per search, and, with
  ``--py-spy PATH`` (a ``py-spy`` binary), where it goes: samples of every
  thread, split into the handler (``_run_search``), Gradio's pre- and
  postprocessing of the components, and the rest (HTTP, the queue, SSE,
  JSON), see :data:`APP_PARTS`.

``--snapshot FILE`` writes, and ``--compare FILE`` checks, the answers of a
fixed list of :data:`CHECK_COUNT` queries (hybrid, keyword and dense; with
and without the relevance cutoff; a filter): hit ids in order, scores,
dense scores, ranks, snippets, entities and topics, plus the keyword side's
own BM25 list and coverage, to 1e-9. A change that only makes search cheaper
must leave the comparison empty::

    python bench/search_cpu.py --archive /tmp/arch --snapshot /tmp/before.json
    python bench/search_cpu.py --archive /tmp/arch --compare /tmp/before.json
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

#: Queries compared by ``--snapshot``/``--compare`` (with :data:`bench.load.QUERIES` first).
CHECK_COUNT = 50
#: Functions whose cumulative CPU the ``stages`` breakdown reports: ``(label, file suffix, function)``.
STAGES = (
    ("archive_open", "index/store/__init__.py", "__init__"),
    ("search", "index/search.py", "search"),
    ("  clean_query", "index/search.py", "clean_query"),
    ("  filters", "index/store/search.py", "allowed_item_ids"),
    ("  keyword_ranking", "index/search.py", "keyword_ranking"),
    ("    bm25_top_k", "index/bm25.py", "top_k"),
    ("  keyword_coverage", "index/search.py", "keyword_coverage"),
    ("  dense_ranking", "index/search.py", "ranking"),
    ("    encode_query", "index/query_batch.py", "encode_query"),
    ("    faiss_search", "index/vectors.py", "search"),
    ("    passage_meetings", "index/store/search.py", "passage_meetings"),
    ("    item_scores", "index/search.py", "item_scores"),
    ("  keyword_evidence", "index/fusion.py", "keyword_evidence"),
    ("  answerability_gate", "index/relevance.py", "answerability"),
    ("    title_coverage", "index/fusion.py", "title_coverage"),
    ("    named_in_archive", "index/fusion.py", "named_in_archive"),
    ("  fusion", "index/fusion.py", "fuse"),
    ("  topic_boost", "index/search.py", "topic_boost"),
    ("  hits", "index/search.py", "_hits"),
    ("    items_rows", "index/store/__init__.py", "items"),
    ("    snippets", "index/search.py", "best_snippet"),
    ("    trim", "index/search.py", "_trim"),
    ("    entity_json", "index/search.py", "_entity_json"),
    ("hit_facts", "app/tabs/search.py", "hit_facts"),
    ("timeline", "index/timeline.py", "timeline"),
    ("  all_terms", "index/timeline.py", "_all_terms_items"),
    ("colours", "app/common.py", "colours"),
    ("timeline_plot", "app/render.py", "timeline_plot"),
    ("render_hits", "app/render.py", "render_hits"),
    ("hits_json", "index/search.py", "to_json"),
    ("hits_csv", "app/tabs/search.py", "_hits_csv"),
    ("timeline_csv", "index/timeline.py", "to_csv"),
    ("download_path", "app/common.py", "download_path"),
)


#: Parts of the app process's CPU (``--app --py-spy``): ``(label, function, file)`` matched against each
#: sample's frames (``function (…file:line)``); the first label any frame matches decides, so the
#: handler's parts come before Gradio's and Gradio's before the server's. Samples matching none are
#: ``other`` (listed by leaf).
APP_PARTS = (
    ("handler: search", "search", "index/search.py"),
    ("handler: timeline", "timeline", "index/timeline.py"),
    ("handler: timeline_plot", "timeline_plot", "app/render.py"),
    ("handler: render_hits", "render_hits", "app/render.py"),
    ("handler: hits_csv", "_hits_csv", "app/tabs/search.py"),
    ("handler: rest", "_run_search", "app/tabs/search.py"),
    ("handler: cache wrapper", "run_search", "app/tabs/search.py"),
    ("gradio: postprocess", "postprocess_data", "blocks.py"),
    ("gradio: preprocess", "preprocess_data", "blocks.py"),
    ("gradio: process_api rest", "process_api", "blocks.py"),
    ("gradio: queue", "", "gradio/queueing.py"),
    ("gradio: routes", "", "gradio/routes.py"),
    ("gradio: other", "", "/gradio/"),
    ("http: uvicorn/starlette/fastapi", "", "/uvicorn/"),
    ("http: uvicorn/starlette/fastapi", "", "/starlette/"),
    ("http: uvicorn/starlette/fastapi", "", "/fastapi/"),
    ("asyncio", "", "/asyncio/"),
)


def check_queries() -> list[tuple[str, str, bool, dict[str, str]]]:
    """``(query, mode, cutoff, filters)`` of the comparison: fixed, the same in every run."""
    from bench.load import QUERIES, distinct_queries

    texts = [q for q in QUERIES if q.strip()][:12] + ["Dnr KS-2019-00123 klotter", "§ 12 trygghet"]
    texts += distinct_queries(CHECK_COUNT - len(texts), seed=99, avoid=set(texts))
    out = []
    for n, q in enumerate(texts):
        out.append((q, "hybrid", True, {}))
        if n % 3 == 0:
            out.append((q, "keyword", True, {}))
        if n % 3 == 1:
            out.append((q, "dense", True, {}))
        if n % 5 == 0:
            out.append((q, "hybrid", False, {}))
        if n % 7 == 0:
            out.append((q, "hybrid", True, {"since": "2020-01-01"}))
    return out


def answers(settings, k: int = 2000, snippets: int | None = 10) -> list[dict[str, Any]]:
    """Every check query's answer as JSON (the search, the keyword side's list and coverage)."""
    from index.fusion import title_coverage
    from index.search import CANDIDATES, keyword_coverage, keyword_ranking, search
    from index.store import Archive
    from radslag.filters import parse_filters

    out = []
    with Archive(settings.db_path) as arc:
        for query, mode, cutoff, filt in check_queries():
            filters = parse_filters(**filt) if filt else None
            res = search(arc, query, settings=settings, k=k, mode=mode, filters=filters, cutoff=cutoff,
                         snippets=snippets, show_nearest=cutoff)
            data = res.to_json()
            data.pop("elapsed_ms", None)
            data.pop("load_ms", None)
            allowed = arc.allowed_item_ids(filters)
            kw = keyword_ranking(arc, res.query, max(CANDIDATES, 3 * k), allowed) if res.query else []
            ids = [i for i, _ in kw]
            data["keyword_side"] = [[i, s] for i, s in kw]
            data["coverage"] = sorted(keyword_coverage(arc, res.query, ids).items()) if res.query else []
            data["title_coverage"] = sorted(title_coverage(arc, res.query, ids).items()) if res.query else []
            out.append({"query": query, "mode": mode, "cutoff": cutoff, "filters": filt, "answer": data})
    return json.loads(json.dumps(out, ensure_ascii=False))  # as a file holds them (tuples are lists)


def _diff(a: Any, b: Any, path: str, out: list[str], tol: float = 1e-9) -> None:
    if isinstance(a, float) or isinstance(b, float):
        if not (isinstance(a, (int, float)) and isinstance(b, (int, float))) or abs(a - b) > tol:
            out.append(f"{path}: {a!r} != {b!r}")
    elif isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b), key=str):
            if key not in a or key not in b:
                out.append(f"{path}.{key}: only in {'before' if key in a else 'after'}")
            else:
                _diff(a[key], b[key], f"{path}.{key}", out, tol)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append(f"{path}: {len(a)} != {len(b)} entries")
        for n, (x, y) in enumerate(zip(a, b)):
            _diff(x, y, f"{path}[{n}]", out, tol)
    elif a != b:
        out.append(f"{path}: {str(a)[:80]!r} != {str(b)[:80]!r}")


def compare(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[str]:
    """Differences between two :func:`answers` lists (empty: the same answers)."""
    out: list[str] = []
    if len(before) != len(after):
        out.append(f"{len(before)} != {len(after)} answers")
    for b, a in zip(before, after):
        _diff(b, a, f"[{b['query'][:30]!r} {b['mode']} cutoff={b['cutoff']} {b['filters']}]", out)
    return out


def cpu_ms(fn, inputs: list[Any]) -> list[float]:
    """CPU milliseconds (this process, all threads) of ``fn(x)`` for each input."""
    out = []
    for x in inputs:
        c0 = time.process_time()
        fn(x)
        out.append(1000 * (time.process_time() - c0))
    return out


def stage_table(profile: cProfile.Profile, n: int) -> dict[str, float]:
    """Cumulative CPU ms per search of each :data:`STAGES` function (profiled, so inflated)."""
    stats = pstats.Stats(profile)
    out: dict[str, float] = {}
    for label, suffix, name in STAGES:
        total = 0.0
        for (path, _line, func), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
            if func == name and path.replace(os.sep, "/").endswith(suffix):
                total = max(total, ct)  # the outermost frame: a recursive or nested call is counted once
        out[label] = round(1000 * total / n, 2)
    return out


def top_functions(profile: cProfile.Profile, n: int, count: int = 25) -> list[str]:
    """The functions with the most own CPU (profiled), per search."""
    stats = pstats.Stats(profile)
    rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:count]  # type: ignore[attr-defined]
    return [f"{1000 * tt / n:7.2f} ms own {1000 * ct / n:7.2f} ms cum  {Path(p).name}:{line} {func}"
            for (p, line, func), (_cc, _nc, tt, ct, _c) in rows]


def parts_of(raw: str) -> tuple[dict[str, int], dict[str, int]]:
    """Samples per :data:`APP_PARTS` label of a ``py-spy --format raw`` file, and ``other``'s leaves."""
    parts: dict[str, int] = {}
    leaves: dict[str, int] = {}
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames = stack.split(";")
        label = next((name for name, func, path in APP_PARTS
                      if any(f.startswith(func + " (") and path in f if func else path in f for f in frames)),
                     "other")
        parts[label] = parts.get(label, 0) + int(count)
        if label == "other":
            leaf = frames[-1].split(" (")[0] + " " + frames[-1].rsplit("/", 1)[-1]
            leaves[leaf] = leaves.get(leaf, 0) + int(count)
    return parts, leaves


def thread_cpu(pid: int) -> dict[str, float]:
    """CPU seconds so far of each thread of process ``pid``, summed by thread name (``comm``)."""
    out: dict[str, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            stat = (task / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat.rsplit(")", 1)[1].split()
        out[name] = out.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / tick
    return out


def idle_cpu_ms_per_s(pid: int, seconds: float = 5.0) -> float:
    """CPU milliseconds per second process ``pid`` spends while nobody searches."""
    from bench.load import cpu_seconds

    c0 = cpu_seconds(pid)
    time.sleep(seconds)
    c1 = cpu_seconds(pid)
    return round(1000 * (c1 - c0) / seconds, 2) if c0 is not None and c1 is not None else float("nan")


def run_app(args: argparse.Namespace, archive: Path, work: Path) -> dict[str, Any]:
    """Searches one after another through the app's HTTP API; the app's CPU per search and, with
    ``--py-spy``, its split (:func:`parts_of`)."""
    import subprocess

    from bench.load import QUERIES, GradioHTTP, cpu_seconds, distinct_queries, free_port, start_app, stop

    port = free_port()
    env = {"RADSLAG_SEARCH_CACHE": "0"}
    app = start_app(archive, port, args.mode != "keyword", work / "app.log", extra_env=env)
    out: dict[str, Any] = {}
    try:
        client = GradioHTTP(f"http://127.0.0.1:{port}")
        queries = distinct_queries(args.queries + 10, seed=11, avoid=set(QUERIES))
        for q in queries[:10]:
            client.search(q, args.mode)
        out["idle_app_cpu_ms_per_s"] = idle_cpu_ms_per_s(app.pid)
        spy = None
        if args.py_spy:
            raw = Path(args.spy_out) if args.spy_out else work / "spy.txt"
            spy = subprocess.Popen([args.py_spy, "record", "-p", str(app.pid), "-r", "250", "--threads", "-f", "raw",
                                    "-o", str(raw), "--nonblocking"], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
            time.sleep(1.0)
        session = "cpu" + str(port)
        threads0 = thread_cpu(app.pid)
        cpu0, t0 = cpu_seconds(app.pid), time.perf_counter()
        for q in queries[10:]:
            client.search(q, args.mode, session)
        cpu1, wall = cpu_seconds(app.pid), time.perf_counter() - t0
        threads1 = thread_cpu(app.pid)
        n = len(queries) - 10
        out["thread_cpu_ms_per_search"] = {
            name: round(1000 * (sec - threads0.get(name, 0.0)) / n, 2)
            for name, sec in sorted(threads1.items(), key=lambda kv: -(kv[1] - threads0.get(kv[0], 0.0)))
            if sec - threads0.get(name, 0.0) > 0}
        out["app_cpu_ms_per_search"] = round(1000 * (cpu1 - cpu0) / n, 2) if cpu0 is not None else None
        out["wall_ms_per_search"] = round(1000 * wall / n, 2)
        if spy is not None:
            spy.send_signal(2)  # SIGINT: py-spy writes its file
            spy.wait(timeout=60)
            parts, leaves = parts_of(raw.read_text(encoding="utf-8", errors="replace"))
            total = sum(parts.values()) or 1
            out["app_parts_share"] = {k: round(v / total, 3) for k, v in sorted(parts.items(), key=lambda kv: -kv[1])}
            out["other_leaves"] = [f"{v / total:.3f} {k}" for k, v in sorted(leaves.items(), key=lambda kv: -kv[1])[:15]]
    finally:
        stop(app)
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--archive", required=True, help="an archive folder (copied first)")
    ap.add_argument("--queries", type=int, default=60, help="distinct queries timed")
    ap.add_argument("--mode", choices=["hybrid", "keyword", "dense"], default="hybrid")
    ap.add_argument("--snapshot", help="write the check queries' answers to this file")
    ap.add_argument("--compare", help="compare the check queries' answers with this file")
    ap.add_argument("--app", action="store_true", help="through the running app's HTTP API instead")
    ap.add_argument("--py-spy", help="with --app: a py-spy binary, to split the app's CPU")
    ap.add_argument("--spy-out", help="with --py-spy: keep its raw samples in this file")
    ap.add_argument("--top", type=int, default=0, help="also list the N functions with the most own CPU")
    args = ap.parse_args(argv)

    os.environ["RADSLAG_SEARCH_CACHE"] = "0"
    os.environ.setdefault("RADSLAG_ENRICH", "0")
    from radslag.config import load_settings

    work = Path(tempfile.mkdtemp(prefix="radslag-cpu-"))
    try:
        shutil.copytree(args.archive, work / "archive")
        settings = load_settings(archive_dir=work / "archive")
        result: dict[str, Any] = {"bench": "search_cpu", "mode": args.mode, "cores": os.cpu_count(),
                                  "loadavg_start": [round(x, 2) for x in os.getloadavg()]}
        if args.snapshot or args.compare:
            got = answers(settings)
            result["check_answers"] = len(got)
            if args.snapshot:
                Path(args.snapshot).write_text(json.dumps(got, ensure_ascii=False), encoding="utf-8")
            if args.compare:
                diffs = compare(json.loads(Path(args.compare).read_text(encoding="utf-8")), got)
                result["check_differences"] = len(diffs)
                result["check_examples"] = diffs[:10]
            return result
        if args.app:
            result.update(run_app(args, work / "archive", work))
            result["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
            return result
        from app.tabs.search import _run_search
        from bench.load import QUERIES, distinct_queries
        from index.search import search
        from index.store import Archive
        from index.timeline import QUERY_K
        from radslag.filters import ALL
        from radslag.serve import warm_up

        warm_up(settings)
        queries = distinct_queries(3 * args.queries + 10, seed=7, avoid=set(QUERIES))
        warm, q_search, q_handler = queries[:10], queries[10:10 + args.queries], queries[10 + args.queries:]

        def handler(q: str) -> Any:
            return _run_search(settings, q, args.mode, ALL, ALL, ALL, ALL, "", "", "relevance")

        for q in warm:
            handler(q)
        with Archive(settings.db_path) as arc:
            ms = cpu_ms(lambda q: search(arc, q, settings=settings, k=QUERY_K, mode=args.mode, snippets=10),
                        q_search)
        result["search_cpu_ms"] = {"p50": round(statistics.median(ms), 2), "mean": round(statistics.mean(ms), 2)}
        ms = cpu_ms(handler, q_handler[:args.queries])
        result["handler_cpu_ms"] = {"p50": round(statistics.median(ms), 2), "mean": round(statistics.mean(ms), 2)}
        profile = cProfile.Profile()
        profiled = q_handler[args.queries:2 * args.queries] or q_handler[:args.queries]
        c0 = time.process_time()
        profile.enable()
        for q in profiled:
            handler(q)
        profile.disable()
        result["profiled_handler_cpu_ms"] = round(1000 * (time.process_time() - c0) / len(profiled), 2)
        result["stages_ms_profiled"] = stage_table(profile, len(profiled))
        if args.top:
            result["top_own"] = top_functions(profile, len(profiled), args.top)
        result["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False, indent=2))
