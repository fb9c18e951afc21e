"""Ingest throughput: the single-process engine beside Ray Data with 1 and 2 workers, same files, one run.

Prints one JSON object:

* ``local``: :func:`ingest.pipeline.ingest_paths` (its own parse worker pool,
  one process for embedding and enrichment): seconds, documents/s,
  passages/s, items/s.
* ``ray``: :func:`ingest.ray_engine.ingest_paths_ray` on a local Ray cluster
  (``num_cpus`` = the largest worker count) with each worker count of
  ``--workers``: the same figures. Each run starts its own actors, so the
  figures include loading the models in every actor (the price of a
  cluster); ``ray_init_s`` (starting the local cluster once) is not in them.
* ``stage_seconds``: wall seconds of each Ray Data stage (one stage, per
  batch of files: read, segment, passages, embed, entities and topics in one
  actor), actor start and model loading included; the rest of a Ray run is
  the driver (store writes, links).
* ``same_counts``: whether each Ray archive holds as many documents, items,
  passages and vectors as the local one (the full item-for-item comparison is
  ``tests/ingest/test_ray_engine.py``).
* ``load_before``/``load_after``: the machine's load average, since figures
  from a shared machine are only comparable within one run.

Every run writes a fresh archive in a temporary folder; models come from the
provisioned cache. Default files: the bundled plain-text minutes and two
small real PDFs (a few minutes in all on an idle 2-core machine).

Usage: python bench/ray_ingest.py [--workers 1,2] [--files F ...]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from radslag.config import CORPUS_DIR, load_settings  # noqa: E402

DEFAULT_FILES = sorted(str(p) for p in CORPUS_DIR.glob("*.txt") if p.name != "SOURCES.txt") + [
    str(CORPUS_DIR / "real" / "alingsas_bygg-och-miljonamnden_2026-07-07_protokoll.pdf"),
    str(CORPUS_DIR / "real" / "alingsas_kommunfullmaktige_2026-06-10_protokoll.pdf"),
]


def _counts(settings) -> dict[str, int]:
    from index.embeddings import load_embedder
    from index.vectors import VectorIndex

    conn = sqlite3.connect(settings.db_path)
    out = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("documents", "items", "passages")}
    conn.close()
    out["vectors"] = len(VectorIndex.open(settings, load_embedder(settings)))
    return out


class _StageTimes(logging.Handler):
    """Collects the engine's per-stage lines (``ray <worker>: 2 rows on 1 actors in 12.3 s``)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.stages: dict[str, float] = {}

    def emit(self, record: logging.LogRecord) -> None:
        msg = record.getMessage()
        if msg.startswith("ray _") and msg.endswith(" s"):
            name = msg.split()[1].strip(":_").removesuffix("Worker").lower()
            self.stages[name] = round(self.stages.get(name, 0.0) + float(msg.split()[-2]), 2)


def _figures(seconds: float, counts: dict[str, int], report) -> dict:
    return {
        "seconds": round(seconds, 2),
        "documents_per_s": round(counts["documents"] / seconds, 3),
        "items_per_s": round(counts["items"] / seconds, 2),
        "passages_per_s": round(counts["passages"] / seconds, 2),
        "counts": counts,
        "failed": [f.source for f in report.failed],
        "notes": report.notes,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", default="1,2", help="Ray worker counts, comma-separated")
    ap.add_argument("--files", nargs="+", default=DEFAULT_FILES)
    args = ap.parse_args()
    worker_counts = [int(w) for w in args.workers.split(",")]

    from ingest.pipeline import ingest_paths
    from ingest.ray_engine import RayOptions, ingest_paths_ray, start_ray

    engine_log = logging.getLogger("ingest.ray_engine")
    engine_log.setLevel(logging.INFO)

    result: dict = {"files": [Path(f).name for f in args.files], "cpus": os.cpu_count(),
                    "load_before": [round(x, 2) for x in os.getloadavg()]}
    with tempfile.TemporaryDirectory(prefix="rsbench-") as tmp:
        local = load_settings(archive_dir=Path(tmp) / "local", embed=True, enrich=True)
        t0 = time.perf_counter()
        report = ingest_paths(args.files, local)
        result["local"] = _figures(time.perf_counter() - t0, _counts(local), report)

        t0 = time.perf_counter()
        stop = start_ray(RayOptions(workers=max(worker_counts), object_store_mb=256))
        result["ray_init_s"] = round(time.perf_counter() - t0, 2)
        result["ray"] = {}
        try:
            for w in worker_counts:
                settings = load_settings(archive_dir=Path(tmp) / f"ray{w}", embed=True, enrich=True)
                times = _StageTimes()
                engine_log.addHandler(times)
                t0 = time.perf_counter()
                report = ingest_paths_ray(args.files, settings, options=RayOptions(workers=w))
                seconds = time.perf_counter() - t0
                engine_log.removeHandler(times)
                result["ray"][f"workers_{w}"] = _figures(seconds, _counts(settings), report)
                # wall seconds of each Ray Data stage (actor start and model loads included); the rest is the driver
                result["ray"][f"workers_{w}"]["stage_seconds"] = times.stages
        finally:
            if stop:
                stop()
    result["same_counts"] = all(r["counts"] == result["local"]["counts"] for r in result["ray"].values())
    result["load_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
