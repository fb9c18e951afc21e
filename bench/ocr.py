"""OCR of scanned minutes: speed and word accuracy against the drawn text.

Inputs are the fixtures of ``tests/tools/make_scanned.py``, whose truth is
known line by line (``tests/fixtures/scanned/scanned_minutes.json``):

* ``scanned_minutes``: two pages scanned at 200 dpi (grey JPEG, 0.35° skew,
  mild noise), no text layer;
* ``mixed_minutes``: page 1 with a text layer, page 2 scanned (only page 2
  is OCR'd and scored);
* ``scanned_150dpi_noisy``: the same two pages made here at 150 dpi with
  more skew (0.8°) and three times the noise, a harder scan.

For every file the reader (``ingest.readers.read_document`` with OCR on:
render at 300 dpi, Tesseract ``swe`` via hOCR, then the PDF reader's layout)
is compared with the baseline: the plain ``tesseract`` command on the same
rendered pages (``-l swe``, text output), which is what a user gets from
running Tesseract by hand.

* ``wer`` / ``cer``: word / character error rate (Levenshtein distance over
  the reference length) of the OCR'd pages against the drawn lines,
  whitespace normalised. The reader's page text is scored together with the
  page numbers it removed as furniture, so both sides are scored on the same
  words.
* ``pages_per_s``: OCR'd pages per second of OCR (render + Tesseract +
  hOCR + weight) for the reader; Tesseract alone for the baseline.
* ``items``: agenda items found (number and title) against the drawn ``§``
  headings.
* ``confidence``: the document's mean word confidence as recorded.

The OCR parameters (row-height snapping, bold ratio, the ``§`` repair) were
set while looking at ``scanned_minutes``: its scores are development
scores. Prints one JSON object.

Usage: python bench/ocr.py
"""

from __future__ import annotations

import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "tools"))

import make_scanned  # noqa: E402
from ingest import ocr  # noqa: E402
from ingest.readers import read_document  # noqa: E402
from ingest.segment import segment  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "scanned"
TRUTH = json.loads((FIXTURES / "scanned_minutes.json").read_text(encoding="utf-8"))



def scores(reference: str, hypothesis: str) -> dict[str, float]:
    ref_words, hyp_words = reference.split(), hypothesis.split()
    ref_chars, hyp_chars = " ".join(ref_words), " ".join(hyp_words)
    return {
        "wer": round(make_scanned.error_rate(ref_words, hyp_words), 4),
        "cer": round(make_scanned.error_rate(ref_chars, hyp_chars), 4),
        "words": len(ref_words),
    }


def noisy_pdf(path: Path) -> None:
    """The two scanned pages at 150 dpi with more skew and noise."""
    pdf = make_scanned._new_pdf()
    for number, lines in enumerate((make_scanned.PAGE_1, make_scanned.PAGE_2), start=1):
        img = make_scanned.scan_image(lines, number, 2, dpi=150, skew=0.8, noise=18.0, seed=10 + number)
        buf = io.BytesIO()
        img.save(buf, format="JPEG", quality=50, dpi=(150, 150))
        buf.seek(0)
        pdf.add_page()
        pdf.image(buf, x=0, y=0, w=make_scanned.A4_W, h=make_scanned.A4_H)
    path.write_bytes(bytes(pdf.output()))


def baseline(path: Path, pages: list[int], options: ocr.OcrOptions) -> tuple[str, float]:
    """Plain ``tesseract -l swe`` text of the rendered pages, and its seconds."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path.read_bytes())
    texts, seconds = [], 0.0
    try:
        for number in pages:
            page = pdf[number - 1]
            width, height = page.get_size()
            image, _ = ocr._render(page, width, height, options.dpi)
            page.close()
            data = ocr.pgm_bytes(image)
            t0 = time.perf_counter()
            done = subprocess.run([options.command, "stdin", "stdout", "-l", options.language, "--dpi",
                                   str(options.dpi)], input=data, capture_output=True, env=ocr._env(), check=True)
            seconds += time.perf_counter() - t0
            texts.append(done.stdout.decode("utf-8"))
    finally:
        pdf.close()
    return "\n".join(texts), seconds


def measure(name: str, path: Path, truth_name: str, options: ocr.OcrOptions) -> dict[str, Any]:
    truth = TRUTH[truth_name]
    scanned = truth["image_pages"]
    reference = "\n".join(line for n in scanned for line in truth["pages"][n - 1])
    t0 = time.perf_counter()
    doc = read_document(path, path.name)
    read_s = time.perf_counter() - t0
    mark = doc.front_matter["ocr"]
    furniture: dict[int, list[str]] = {}
    for piece in doc.front_matter.get("page_furniture", []):
        furniture.setdefault(piece["page"], []).append(piece["text"])
    hyp = "\n".join(doc.text[doc.pages[n - 1].start:doc.pages[n - 1].end] + "\n" + "\n".join(furniture.get(n, []))
                    for n in scanned)
    drawn = [line for page in truth["pages"] for line in page if line.startswith("§ ")]
    found = [f"{i.number} {i.title}" for i in segment(doc)]
    base_text, base_s = baseline(path, scanned, ocr.OcrOptions())
    return {
        "file": name,
        "ocr_pages": mark["pages"],
        "reader": {
            **scores(reference, hyp),
            "ocr_seconds": mark["seconds"],
            "read_seconds": round(read_s, 2),
            "pages_per_s": round(len(mark["pages"]) / mark["seconds"], 3),
            "confidence": mark["confidence"],
            "items_found": sum(1 for h in drawn if h in found),
            "items_drawn": len(drawn),
        },
        "baseline_tesseract_cli": {
            **scores(reference, base_text),
            "seconds": round(base_s, 2),
            "pages_per_s": round(len(scanned) / base_s, 3),
        },
    }


def main() -> None:
    options = ocr.OcrOptions()
    status = ocr.tesseract_status(options)
    if not status.available:
        print(json.dumps({"error": status.problem}, ensure_ascii=False))
        sys.exit(1)
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        noisy = Path(tmp) / "scanned_150dpi_noisy.pdf"
        noisy_pdf(noisy)
        for name, path, truth in (
            ("scanned_minutes", FIXTURES / "scanned_minutes.pdf", "scanned_minutes"),
            ("mixed_minutes", FIXTURES / "mixed_minutes.pdf", "mixed_minutes"),
            ("scanned_150dpi_noisy", noisy, "scanned_minutes"),
        ):
            results.append(measure(name, path, truth, options))
    pages = sum(len(r["ocr_pages"]) for r in results)
    ocr_s = sum(r["reader"]["ocr_seconds"] for r in results)
    base_s = sum(r["baseline_tesseract_cli"]["seconds"] for r in results)

    def pooled(side: str, key: str) -> float:
        return round(sum(r[side][key] * r[side]["words"] for r in results) / sum(r[side]["words"] for r in results), 4)

    print(json.dumps({
        "engine": status.engine,
        "language": options.language,
        "dpi": options.dpi,
        "omp_thread_limit": ocr._env().get("OMP_THREAD_LIMIT"),
        "cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "overall": {
            "ocr_pages": pages,
            "reader_pages_per_s": round(pages / ocr_s, 3),
            "baseline_pages_per_s": round(pages / base_s, 3),
            "reader_wer": pooled("reader", "wer"),
            "baseline_wer": pooled("baseline_tesseract_cli", "wer"),
            "reader_cer": pooled("reader", "cer"),
            "baseline_cer": pooled("baseline_tesseract_cli", "cer"),
            "tesseract_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        },
        "files": results,
        "note": "development scores: OCR parameters were set looking at scanned_minutes",
    }, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
