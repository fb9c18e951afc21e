"""Score the reader on the held-out structure set (tests/data/heldout).

Prints one JSON object in the shape of ``bench/structure.py`` (per document, per
family, overall), computed by that script's own ``run`` with ``gold_dir`` set to
``tests/data/heldout/gold`` (the same as ``python bench/structure.py --gold
tests/data/heldout/gold``). The held-out templates were written without looking
at the reader, so these were first-sight scores; the families the reader was
since tuned on are listed in ``bench/structure.py``'s ``DEVELOPMENT_FAMILIES``
and their scores are development scores.

Usage: python tests/tools/score_heldout.py [--only NAME] [--families A,B] [--summary] [--items]
``--items`` adds, per document, the items the reader found (number, title, dnr)
next to the gold items, to see why an item was missed.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HELDOUT_GOLD = ROOT / "tests" / "data" / "heldout" / "gold"


def load_bench():
    """Import bench/structure.py as a module (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location("bench_structure", ROOT / "bench" / "structure.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def reader_items(source: str) -> list[dict]:
    """What the reader made of one held-out file (for --items)."""
    from ingest.readers import read_document
    from ingest.segment import segment

    doc = read_document(ROOT / source, source)
    return [{"number": i.number, "title": i.title, "dnr": i.dnr, "how": i.heading_source}
            for i in segment(doc)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default=None, help="score only held-out files whose name contains this")
    ap.add_argument("--summary", action="store_true", help="leave out the per-document detail")
    ap.add_argument("--items", action="store_true", help="list the reader's items next to the gold items")
    ap.add_argument("--families", default=None, help="comma-separated families to score (default all)")
    args = ap.parse_args()
    families = [f.strip() for f in args.families.split(",") if f.strip()] if args.families else None
    bench = load_bench()
    out = bench.run(None, args.only, HELDOUT_GOLD, families)
    out["gold_folder"] = str(HELDOUT_GOLD.relative_to(ROOT))
    out["note"] = ("Held-out templates written without reading the reader's code (tests/data/heldout/README.md). "
                   "Families in development_families were looked at while the reader was changed: their scores "
                   "are development scores; the others are held-out scores.")
    if args.summary:
        out.pop("documents", None)
    if args.items:
        out["items"] = {}
        for path in sorted(HELDOUT_GOLD.glob("*.json")):
            if args.only and args.only not in path.stem:
                continue
            gold = json.loads(path.read_text(encoding="utf-8"))
            if families and gold.get("family") not in families:
                continue
            out["items"][path.stem] = {"gold": gold["items"], "reader": reader_items(gold["source"])}
    print(json.dumps(out, ensure_ascii=False, indent=1, default=str))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
