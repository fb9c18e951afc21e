"""Write the reference words of the real PDFs for tests/ingest/test_pdf_real.py.

For every PDF in ``corpus/real`` the words ``pdftotext -layout`` (poppler-utils)
finds on each page are stored, as casefolded token counts, in
``tests/fixtures/pdf/real_reference.json.gz``. The tests compare the reader's
page spans with them, so they need no poppler at test time. Run from the
project root after adding a real PDF::

    python tests/tools/make_pdf_reference.py
"""

from __future__ import annotations

import gzip
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.pdfwords import pdftotext_pages, tokens  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "pdf" / "real_reference.json.gz"


def main() -> None:
    data = {}
    for path in sorted((ROOT / "corpus" / "real").glob("*.pdf")):
        pages = [dict(sorted(Counter(tokens(page)).items())) for page in pdftotext_pages(path)]
        data[path.name] = {"reference": "pdftotext -layout", "pages": pages}
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")
    OUT.write_bytes(gzip.compress(raw, mtime=0))
    print(f"{OUT.relative_to(ROOT)}\t{OUT.stat().st_size} B\t{len(data)} files")


if __name__ == "__main__":
    main()
