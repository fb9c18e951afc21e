"""Malformed-file batch through the isolated parse step, with per-file figures.

Generates ``--count`` cases with ``tests/tools/fuzz.py`` (in a subprocess, so
this process's peak memory is the parse step's alone), runs them through
:func:`ingest.isolate.parse_files` together with paths named directly (a
FIFO, ``/dev/null``, ``/dev/zero``, a missing file) and prints one JSON
object:

* ``files``, outcomes by status and failures by reason, and per kind;
* per-file wall time in the worker (p50/p95/max);
* peak RSS of this process and of the largest worker, and the bound the
  settings promise (this process + workers × ``file_memory_mb`` + one file
  of at most ``max_file_mb`` on its way to a worker);
* ``hangs`` (files stopped at the time limit, plus a batch that never
  finished), ``tracebacks`` (``internal`` errors and crashed workers) and the
  list of ``problems`` (any good file not parsed, bad file parsed, hang or
  traceback), each with its path;
* ``start_cost``: per start method, each in a fresh interpreter:
  ``first_file_s`` is the time to the first outcome of one small text file
  (for forkserver: server start with the readers preloaded + one worker),
  ``new_pool_s`` a second ``parse_files`` call in the same process (a new
  worker from the warm server); also with torch imported in the parent;
* the baseline: the good files read in this process without isolation,
  against the same files through one worker and through all workers.

Usage: python bench/fuzz.py [--count 1200] [--seed 0] [--workers N] [--timeout 60]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "tools"))

import fuzz  # noqa: E402

from ingest.isolate import default_workers, parse_document, parse_files  # noqa: E402
from ingest.readers import ReadLimits, load_file  # noqa: E402
from radslag.config import load_settings  # noqa: E402

_START_PROBE = r"""
import sys, time
sys.path.insert(0, {root!r})
{pre}
t0 = time.perf_counter()
import ingest.isolate as iso
iso.START_METHOD = {method!r}
from radslag.config import load_settings
from pathlib import Path
path = Path({path!r})
s = load_settings(ingest_workers=1)
first = next(iso.parse_files([(path, "probe.txt")], s, workers=1))
t1 = time.perf_counter()
for _ in iso.parse_files([(path, "probe.txt")], s, workers=1):
    pass
t2 = time.perf_counter()
assert first.status == "parsed", first
print(round(t1 - t0, 3), round(t2 - t1, 3))
"""


def start_cost(tmp: Path) -> dict:
    """Seconds to the first outcome (cold) and for a second pool (warm), per start method."""
    path = tmp / "probe.txt"
    path.write_text("Trygghetsrådet möttes och talade om klotter i centrum.\n", encoding="utf-8")
    out = {}
    variants = [("forkserver", ""), ("spawn", ""), ("fork", "")]
    try:
        import importlib.util

        if importlib.util.find_spec("torch") is not None:
            variants += [("forkserver", "import torch"), ("fork", "import torch")]
    except ImportError:
        pass
    for method, pre in variants:
        code = _START_PROBE.format(root=str(ROOT), pre=pre, method=method, path=str(path))
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
        key = method + (" (torch in parent)" if pre else "")
        if proc.returncode != 0:
            out[key] = {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else proc.returncode}
            continue
        cold, warm = (float(x) for x in proc.stdout.split())
        out[key] = {"first_file_s": cold, "new_pool_s": warm}
    return out


def baseline(goods: list[fuzz.Case], settings, workers: int) -> dict:
    """The good files in this process without isolation, against one worker and all workers."""
    limits = ReadLimits.from_settings(settings)
    files = [(c.path, os.fsdecode(c.path)) for c in goods]
    t0 = time.perf_counter()
    for path, source in files:
        parse_document(path, source, load_file(path, limits), limits, lambda n: None)
    in_process = time.perf_counter() - t0
    timings = {}
    for n in (1, workers):
        t0 = time.perf_counter()
        outcomes = list(parse_files(files, settings, workers=n))
        timings[n] = time.perf_counter() - t0
        assert all(o.status == "parsed" for o in outcomes)
    return {
        "files": len(files),
        "in_process_s": round(in_process, 2),
        "isolated_1_worker_s": round(timings[1], 2),
        f"isolated_{workers}_workers_s": round(timings[workers], 2),
        "overhead_per_file_ms_1_worker": round(1000 * (timings[1] - in_process) / max(1, len(files)), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=0, help="0: one per core")
    parser.add_argument("--timeout", type=float, default=None, help="per-file seconds (default: settings)")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--no-start-cost", action="store_true")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="radslag-fuzz-"))
    out = args.keep or tmp / "filer"
    if out.exists():
        shutil.rmtree(out)
    manifest = tmp / "manifest.json"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "tests" / "tools" / "fuzz.py"), str(out), "--count", str(args.count),
                    "--seed", str(args.seed), "--manifest", str(manifest)], check=True)
    generate_s = time.perf_counter() - t0
    cases = fuzz.read_manifest(manifest)
    direct = fuzz.direct_paths(tmp / "direkt")
    settings = load_settings(archive_dir=tmp / "archive", embed=False, enrich=False,
                             ingest_workers=args.workers or None, file_timeout_s=args.timeout)
    workers = args.workers or settings.ingest_workers or default_workers()
    report = fuzz.check(out, cases, settings, direct=direct, workers=workers)
    goods = [c for c in cases if c.kind == "good"][:40]
    result = {
        "count_requested": args.count,
        "seed": args.seed,
        "workers": workers,
        "generate_s": round(generate_s, 1),
        **report,
        "memory_bound_mb": {
            "rule": "parent + workers × file_memory_mb + max_file_mb (one file in flight)",
            "bound": round(report["peak_rss_mb"]["parent"] + workers * settings.file_memory_mb + settings.max_file_mb),
            "measured_worst_case": round(report["peak_rss_mb"]["parent"] + workers * report["peak_rss_mb"]["worker_max"]),
        },
        "limits": {k: getattr(settings, k) for k in ("max_file_mb", "max_pages", "max_unzipped_mb", "max_paragraphs",
                                                     "file_timeout_s", "page_timeout_s", "file_memory_mb")},
        "baseline_good_files": baseline(goods, settings, workers),
    }
    if not args.no_start_cost:
        result["start_cost"] = start_cost(tmp)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
