"""Ingest throughput: the PDF reader beside pdftotext, and read + segment over the corpus.

Prints one JSON object, everything measured in this one run:

* ``pdf_reader``: pages/s of :func:`ingest.readers.pdf.read_pdf` alone on the
  real PDFs (``corpus/real``), single process, beside ``pdftotext -layout``
  (poppler) on the same files. Both wall-clock and CPU rates are given: the
  CPU rate (process time; for pdftotext the children's time) is what a
  loaded machine does not distort. Each tool runs ``--repeat`` times and the
  best pass counts. Parallelism over files comes from the ingest worker pool,
  not from the reader; these are one-core figures.
  With ``--old-reader REV`` the PDF reader as it was at git revision ``REV``
  (e.g. the pdfplumber reader, ``798ea44``) is timed on the same files too.
* ``corpus`` and ``pdf_fixtures``: documents/s, MB/s and items/s for
  read + metadata + segment (no database, no models), with the raw
  read-and-decode rate of the same files as the baseline.
* Peak Python heap and peak RSS.

Usage: python bench/ingest.py [--repeat 3] [--old-reader REV]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.metadata import extract_metadata  # noqa: E402
from ingest.readers import iter_files, read_document  # noqa: E402
from ingest.readers.pdf import read_pdf  # noqa: E402
from ingest.segment import segment  # noqa: E402
from radslag.errors import IngestError  # noqa: E402

REAL = ROOT / "corpus" / "real"


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _time_pass(fn: Callable[[], int], child: bool = False) -> tuple[float, float, int]:
    """(wall s, CPU s, pages) of one pass."""
    c0 = _children_cpu() if child else time.process_time()
    w0 = time.perf_counter()
    pages = fn()
    wall = time.perf_counter() - w0
    cpu = (_children_cpu() if child else time.process_time()) - c0
    return wall, cpu, pages


def _rates(passes: list[tuple[float, float, int]]) -> dict[str, Any]:
    wall = min(p[0] for p in passes)
    cpu = min(p[1] for p in passes)
    pages = passes[0][2]
    return {
        "pages": pages,
        "seconds_wall": round(wall, 3),
        "seconds_cpu": round(cpu, 3),
        "pages_per_s_wall": round(pages / wall, 1),
        "pages_per_s_cpu": round(pages / cpu, 1) if cpu > 0 else None,
    }


def _page_count(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return next(int(line.split()[-1]) for line in out.splitlines() if line.startswith("Pages:"))


def _old_reader(rev: str) -> Callable[[Path, str], Any]:
    """The PDF reader as it was at a git revision, loaded as a throwaway module."""
    for candidate in ("ingest/readers/pdf.py", "ingest/readers/pdf/__init__.py"):
        res = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:{candidate}"], capture_output=True)
        if res.returncode == 0:
            break
    else:
        raise SystemExit(f"no PDF reader at revision {rev}")
    if candidate.endswith("__init__.py"):
        raise SystemExit("--old-reader supports single-module readers (ingest/readers/pdf.py) only")
    folder = Path(tempfile.mkdtemp(prefix="oldpdf"))
    (folder / "old_pdf_reader.py").write_bytes(res.stdout)
    spec = importlib.util.spec_from_file_location("old_pdf_reader", folder / "old_pdf_reader.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["old_pdf_reader"] = module
    spec.loader.exec_module(module)
    return module.read_pdf


def pdf_reader(repeat: int, old_rev: str | None) -> dict[str, Any]:
    """Reader pages/s beside pdftotext (and optionally an older reader) on corpus/real."""
    files = sorted(REAL.glob("*.pdf"))
    pages_total = sum(_page_count(p) for p in files)
    read_pdf(files[0], "warm-up")  # imports and the PDFium library load, not per-file work

    def reader() -> int:
        return sum(len(read_pdf(p, str(p)).pages) for p in files)

    def poppler() -> int:
        for p in files:
            subprocess.run(["pdftotext", "-layout", str(p), os.devnull], check=True)
        return pages_total

    out: dict[str, Any] = {"files": len(files), "pages": pages_total, "repeat": repeat}
    out["reader"] = _rates([_time_pass(reader) for _ in range(repeat)])
    out["pdftotext"] = _rates([_time_pass(poppler, child=True) for _ in range(repeat)])
    if old_rev:
        old = _old_reader(old_rev)
        out["old_reader"] = {"revision": old_rev, **_rates([_time_pass(lambda: sum(len(old(p, str(p)).pages) for p in files))])}
        out["speedup_cpu_vs_old"] = round(out["old_reader"]["seconds_cpu"] / out["reader"]["seconds_cpu"], 1)
    out["reader_cpu_vs_pdftotext"] = round(out["reader"]["seconds_cpu"] / out["pdftotext"]["seconds_cpu"], 2)
    out["load_average_1m"] = round(os.getloadavg()[0], 2)
    return out


def run(paths: list[Path], repeat: int) -> dict[str, Any]:
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
    c0 = time.process_time()
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
    cpu = time.process_time() - c0
    return {
        "files": len(files),
        "bytes": size,
        "repeat": repeat,
        "failed_reads": failed // repeat,
        "documents_per_s": round(docs / elapsed, 2),
        "documents_per_s_cpu": round(docs / cpu, 2) if cpu > 0 else None,
        "mb_per_s": round(size * repeat / elapsed / 1e6, 3),
        "items_per_s": round(items / elapsed, 1),
        "items_per_pass": items // repeat,
        "baseline_raw_read_mb_per_s": round(size * repeat / raw / 1e6, 1),
        "overhead_vs_raw_read": round(elapsed / raw, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--old-reader", metavar="REV", help="also time the PDF reader of this git revision")
    args = ap.parse_args()
    out = {
        "pdf_reader": pdf_reader(args.repeat, args.old_reader),
        "corpus": run([ROOT / "corpus"], 1),
        "pdf_fixtures": run([ROOT / "tests" / "fixtures" / "pdf"], args.repeat),
    }
    # memory in a separate pass: tracemalloc roughly doubles run time
    tracemalloc.start()
    run([ROOT / "corpus"], 1)
    _, peak = tracemalloc.get_traced_memory()
    out["peak_python_heap_mb"] = round(peak / 1e6, 1)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
