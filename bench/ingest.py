"""Read + segment throughput over the corpus, against a raw-read baseline.

Prints one JSON object: documents/s, MB/s and items/s for read + metadata +
segment (no database, no models) over corpus/ (seeds + Kungsbacka protocols)
and over the PDF test fixtures, the raw read-and-decode rate of the same
files as the baseline, and peak memory.

Usage: python bench/ingest.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.metadata import extract_metadata  # noqa: E402
from ingest.readers import iter_files, read_document  # noqa: E402
from ingest.segment import segment  # noqa: E402
from radslag.errors import IngestError  # noqa: E402


def run(paths: list[Path], repeat: int) -> dict:
    files = [(p, s) for p, s in iter_files([str(x) for x in paths])]
    size = sum(p.stat().st_size for p, _ in files)
    # baseline: read and decode the bytes, nothing else
    t0 = time.perf_counter()
    for _ in range(repeat):
        for p, _ in files:
            p.read_bytes().decode("utf-8", errors="replace")
    raw = time.perf_counter() - t0
    items = docs = failed = 0
    t0 = time.perf_counter()
    for _ in range(repeat):
        for p, s in files:
            try:
                doc = read_document(p, s)
            except IngestError:
                failed += 1
                continue
            extract_metadata(doc)
            items += len(segment(doc))
            docs += 1
    elapsed = time.perf_counter() - t0
    return {
        "files": len(files),
        "bytes": size,
        "repeat": repeat,
        "failed_reads": failed // repeat,
        "documents_per_s": round(docs / elapsed, 2),
        "mb_per_s": round(size * repeat / elapsed / 1e6, 3),
        "items_per_s": round(items / elapsed, 1),
        "items_per_pass": items // repeat,
        "baseline_raw_read_mb_per_s": round(size * repeat / raw / 1e6, 1),
        "overhead_vs_raw_read": round(elapsed / raw, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    out = {
        "corpus_text": run([ROOT / "corpus"], args.repeat),
        "pdf_fixtures": run([ROOT / "tests" / "fixtures" / "pdf"], max(1, args.repeat // 2)),
    }
    # memory in a separate pass: tracemalloc roughly doubles run time
    tracemalloc.start()
    run([ROOT / "corpus"], 1)
    run([ROOT / "tests" / "fixtures" / "pdf"], 1)
    _, peak = tracemalloc.get_traced_memory()
    out["peak_python_heap_mb"] = round(peak / 1e6, 1)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
