"""Document structure against gold labels: items, titles, case numbers, meeting facts.

Prints one JSON object. For every labelled document in ``tests/data/gold``
(made by hand, see its README): item precision/recall/F1 (an item counts
only when its number AND its title are right; titles compared after
whitespace/case normalisation and dropping a final period), title accuracy
and case-number accuracy over the gold items, body/date/municipality/kind
accuracy, furniture leaked (removed running lines of the reader still found
in an item's text), warnings, and pages per second (metadata + segmentation
only when documents come from ``--doc-cache``; reading included otherwise).

Scores are reported per template family and leave-one-family-out. The rules
have no parameters fitted to data, so "leave-one-family-out" cannot retrain
anything: for each family it reports the score on that family alone and
states which families the rules were written while looking at
(``development_families``); a held-out score is honest only for a family
that is not in that list.

Baseline: the same measures for the segmenter and metadata extractor of a
given git revision (``--baseline REV``), run in a subprocess on the same
documents.

``--gold DIR`` scores another labelled set in the same format (the held-out
set: ``--gold tests/data/heldout/gold``); ``--families A,B`` keeps only those
families (so a held-out half can stay unseen while the other half is scored).
``--all`` scores every development set (:data:`DEVELOPMENT_SETS`, never a blind
one) together: the overall figure, one per set, and leave-one-family-out over
all their families.

Usage: python bench/structure.py [--gold DIR | --all] [--families A,B] [--doc-cache DIR]
       [--baseline REV] [--only NAME] [--summary]
"""

from __future__ import annotations

import argparse
import json
import pickle
import re
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOLD = ROOT / "tests" / "data" / "gold"

#: Families whose documents were looked at while the rules were written. All
#: held-out families are now among them: the development half of
#: tests/data/heldout (ciceron, lex, netpublicator, notes, flattened) was used
#: to fix the failures found at first sight; the other half (platina, w3d3,
#: twocolumn, word) was scored once unseen (item F1 1.0, dnr 1.0, body 5/6;
#: first sight: 1.0, 0.717, 1/6) and then looked at, and one body bug found
#: there was fixed (a mention read as "råd" instead of "rådet", a name with
#: "(BRÅ)" after it). A new held-out set is needed for an honest figure.
DEVELOPMENT_FAMILIES = [
    "seeds", "kungsbacka", "meetings_plus", "riksbank", "synthetic",
    "heldout-ciceron", "heldout-lex", "heldout-netpublicator", "heldout-notes", "heldout-flattened",
    "heldout-platina", "heldout-w3d3", "heldout-twocolumn", "heldout-word",
    # tests/data/heldout2: scored once unseen (first-sight-score.json, item F1 0.52), then the
    # reader was fixed while looking at all eleven documents: development scores from then on.
    "heldout2-arende", "heldout2-landscape", "heldout2-smallcaps", "heldout2-roman", "heldout2-kf",
    "heldout2-utdrag", "heldout2-docxtable", "heldout2-docxlist", "heldout2-cp1252",
    "heldout2-mdbullets", "heldout2-inline",
    # tests/data/heldout3: scored once unseen (first-sight-score.json, item F1 0.76), then the
    # reader was fixed while looking at all ten documents (right-hand § column, label records,
    # recurring sub-lines, region organiser, letterhead bodies, Word page headers, page count
    # masking): development scores from then on (development-score.json).
    "heldout3-ownline", "heldout3-rightcol", "heldout3-bolag", "heldout3-kallelse", "heldout3-region",
    "heldout3-ocr", "heldout3-docxcaps", "heldout3-mdh3", "heldout3-arendelabel", "heldout3-punkt",
    # tests/data/heldout4: scored twice unseen (first-sight-score.json and final-reader-score.json,
    # item F1 0.989, case numbers 0.892), then the reader was fixed while looking at the Piteå and
    # Ljungby documents (a bold title wrapped beside a plain case number, "Kf § 115" register codes,
    # a Dnr label over two numbers): development scores from then on.
    "heldout4-mplus", "heldout4-kf", "heldout4-oneline", "heldout4-bygg", "heldout4-word360",
    "heldout4-ksprotokoll", "heldout4-webtxt", "heldout4-worddoc", "heldout4-brapdf", "heldout4-esttxt",
    "heldout4-fhrmd", "heldout4-worddocx",
    # tests/data/heldout5: scored once unseen (first-sight-score.json, item F1 0.747, case numbers
    # 0.648), then the reader was fixed while looking at the Lidköping, Kungälv, Enköping, Mitt
    # Bohuslän and Region Sörmland documents (a number before a Markdown heading's title, register
    # codes written against the year, a bare year/serial case number beside the § sign, a
    # kommunalförbund has no municipality): development scores from then on.
    "heldout5-ciceron", "heldout5-region", "heldout5-namnd", "heldout5-utskott", "heldout5-kallelse",
    "heldout5-netpub", "heldout5-forbund", "heldout5-bradocx", "heldout5-fhrtxt", "heldout5-trygghetmd",
    "heldout5-ksaudocx",
    # tests/data/heldout6: scored once unseen (first-sight-score.json, item F1 0.889, case numbers
    # 0.925, municipality 0.9), then the reader was fixed while looking at the Härryda, Karlstad,
    # Kalmar and Falun documents (items as rows of a Word table with a title paragraph in a cell, a
    # sub-heading the document repeats after a title, a title wrapping twice beside a margin column,
    # the municipality in removed letterhead furniture and never from a person's surname):
    # development scores from then on.
    "heldout6-kfval", "heldout6-sekretess", "heldout6-mhn", "heldout6-bun", "heldout6-ofn",
    "heldout6-cover", "heldout6-sbn", "heldout6-kprdocx", "heldout6-estdocx", "heldout6-bratxt",
    # tests/data/heldout7: scored once unseen (first-sight-score.json, item F1 0.933, case numbers
    # 0.812), then the reader was fixed while looking at the Flen kallelse and the Region
    # Västmanland documents (agenda rows tight under the list heading with no header row, bare
    # numbers in such a run, three spaces as a cell border, compact case numbers "RV250312" after a
    # label or alone in a cell): development scores from then on.
    "heldout7-kslex", "heldout7-kfval", "heldout7-tnright", "heldout7-ksau", "heldout7-valnamnd",
    "heldout7-region", "heldout7-kallelse", "heldout7-trygghetdocx", "heldout7-fhrtxt", "heldout7-estmd",
    # tests/data/heldout8: scored unseen (README "First-sight result": item F1 0.898, titles 0.880,
    # case numbers 0.940), then the reader was fixed while looking at the Kiruna and Tanum documents
    # (a "Dnr" label cell over the case number in a heading laid out as a ruled table row, a Markdown
    # ordered list with bold titles and indented text): development scores from then on.
    "heldout8-mplusks", "heldout8-kf", "heldout8-boxhead", "heldout8-msn", "heldout8-ksau",
    "heldout8-bunmargin", "heldout8-ciceron", "heldout8-kallelse", "heldout8-tryggdocx", "heldout8-fhrtxt",
    "heldout8-bramd",
    # tests/data/heldout9: scored unseen (README "First-sight result": item F1 0.931, case numbers
    # 0.796, body 0.909, municipality 0.909, 10 furniture lines), then the reader was fixed while
    # looking at the Nyköping, Kumla, Tibro, Räddningstjänsten Mitt Bohuslän and Simrishamn documents
    # (a table's header row, case numbers above the headings, a board's personalutskott, a body of
    # several towns, a section heading over the footer): development scores from then on.
    "heldout9-dnrabove", "heldout9-kfslash", "heldout9-sbnmargin", "heldout9-w3d3", "heldout9-dnrcolumn",
    "heldout9-forbund", "heldout9-ciceron", "heldout9-kallelsetabell", "heldout9-bratxt", "heldout9-fhrdocx",
    "heldout9-estmd",
    # tests/data/heldout10: scored unseen (README "First-sight result": item F1 1.0, case numbers
    # 0.968, body 0.909, municipality 0.909), then the reader was fixed while looking at the Höganäs,
    # Vaxholm and Region Jämtland Härjedalen documents (a labelled case number under an item's fact
    # lines, a beredning's name, a municipality's name inside a region's): development scores from then on.
    "heldout10-kspref", "heldout10-kfdiarie", "heldout10-mhnmargin", "heldout10-w3d3", "heldout10-ciceron",
    "heldout10-region", "heldout10-bolag", "heldout10-kallelsegrupper", "heldout10-beredningdocx",
    "heldout10-tryggtxt", "heldout10-fhrmd",
    # tests/data/heldout11: scored unseen (README "First-sight result": item F1 0.938, titles 0.929,
    # case numbers 0.939, body 0.727), then the reader was fixed while looking at the Kinda, Ödeshög,
    # Svalöv, Åstorp, Räddningstjänsten Östra Kronoberg and Tingsryd documents (a title row under a
    # right-hand § number, a label line ending in a name, a hard-wrapped text's width, three body
    # shapes): development scores from then on.
    "heldout11-bnrow", "heldout11-kfdiarie", "heldout11-kspref", "heldout11-ciceron", "heldout11-region",
    "heldout11-titleleft", "heldout11-w3d3", "heldout11-kallelsegrupper", "heldout11-rffdocx",
    "heldout11-bratxt", "heldout11-ftrmd",
    # tests/data/heldout12: scored unseen (README "First-sight result": item F1 0.971, titles 0.966,
    # case numbers 0.989, body 0.909), then the reader was fixed while looking at the Torsås,
    # Valdemarsvik and Boxholm documents (a hard-wrap width hidden by short notes, a numbered row
    # under a long row, a body named by its "Organ" label): development scores from then on.
    "heldout12-bnrow", "heldout12-bratxt", "heldout12-ciceron", "heldout12-estmd", "heldout12-kallelsegrupper",
    "heldout12-kfdiarie", "heldout12-kspref", "heldout12-region", "heldout12-rffdocx", "heldout12-titleleft",
    "heldout12-w3d3",
    # tests/data/heldout13: scored unseen (README "First-sight result": item F1 0.535, titles 0.491,
    # case numbers 0.759, body 0.818, kind 0.909), then the reader was fixed while looking at the Båstad,
    # Hylte, Askersund, Nordmaling, Hagfors, Trosa and Krokom documents (title above the number,
    # labelled heading rows, a notice list, `N – Title`, table cells, underlines, pandoc line breaks):
    # development scores from then on.
    "heldout13-arsstamma", "heldout13-etiketter", "heldout13-innehall", "heldout13-kungorelse",
    "heldout13-listnummer", "heldout13-pandocmd", "heldout13-streck", "heldout13-tabell",
    "heldout13-titelforst", "heldout13-tvaspalt", "heldout13-utanmellanrum",
    # tests/data/heldout14: scored unseen (README "First-sight result": item F1 0.642, titles 0.623,
    # case numbers 0.768, date 0.778), then the reader was fixed while looking at the Storfors,
    # Vilhelmina, Älvdalen and Pajala documents (a Word number | content table without a header row,
    # `Ärende 3 av 9`, a page band's `§§ 12–18`, notes quoted `> ` in an e-mail) and the dates of the
    # Pajala and Munkfors documents: development scores from then on.
    "heldout14-arendeav", "heldout14-epost", "heldout14-narvaro", "heldout14-sidhuvud", "heldout14-sidrubrik",
    "heldout14-tabelldocx", "heldout14-undernummer", "heldout14-utdrag", "heldout14-versaler",
]

#: The labelled sets whose families are all in DEVELOPMENT_FAMILIES, scored together by ``--all``.
#: A blind set is never listed here: it is scored once, by name (``--gold``), when it is made.
DEVELOPMENT_SETS = [
    "tests/data/gold", "tests/data/heldout/gold", "tests/data/heldout2/gold", "tests/data/heldout3/gold",
    "tests/data/heldout4/gold", "tests/data/heldout5/gold", "tests/data/heldout6/gold",
    "tests/data/heldout7/gold", "tests/data/heldout8/gold", "tests/data/heldout9/gold",
    "tests/data/heldout10/gold", "tests/data/heldout11/gold", "tests/data/heldout12/gold",
    "tests/data/heldout13/gold", "tests/data/heldout14/gold",
]


def norm_title(s: str | None) -> str:
    s = re.sub(r"\s+", " ", (s or "")).strip().casefold()
    return s[:-1].rstrip() if s.endswith(".") else s


def norm_dnr(s: str | None) -> str:
    return re.sub(r"\s+", " ", (s or "")).strip().casefold()


def load_doc(source: str, cache: Path | None):
    from ingest.readers import read_document

    path = ROOT / source
    if cache is not None:
        hit = cache / (path.name + ".pkl")
        if hit.exists():
            return pickle.loads(hit.read_bytes()), 0.0
    t0 = time.perf_counter()
    doc = read_document(path, source)
    took = time.perf_counter() - t0
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        (cache / (path.name + ".pkl")).write_bytes(pickle.dumps(doc))
    return doc, took


def date_text(meta) -> str | None:
    if meta.date:
        return meta.date.isoformat()
    month = getattr(meta, "month", None)
    if meta.year and month:
        return f"{meta.year:04d}-{month:02d}"
    return str(meta.year) if meta.year else None


def score_doc(gold: dict, doc, seconds_read: float) -> dict:
    from ingest.metadata import extract_metadata
    from ingest.segment import segment

    t0 = time.perf_counter()
    meta = extract_metadata(doc)
    items = [i for i in segment(doc) if i.heading_source != "preamble"]
    took = time.perf_counter() - t0 + seconds_read
    pred = [(i.number, norm_title(i.title), norm_dnr(i.dnr)) for i in items]
    gold_items = [(g["number"], norm_title(g["title"]), norm_dnr(g["dnr"])) for g in gold["items"]]
    pred_pairs = {(n, t) for n, t, _ in pred}
    gold_pairs = {(n, t) for n, t, _ in gold_items}
    tp = len(pred_pairs & gold_pairs)
    by_num = {}
    for n, t, d in pred:
        by_num.setdefault(n, (t, d))
    titles_ok = sum(
        1 for n, t, _ in gold_items if (by_num.get(n, (None,))[0] == t if n is not None else (n, t) in pred_pairs)
    )
    dnr_ok = sum(1 for n, _, d in gold_items if n in by_num and by_num[n][1] == d)
    m = gold["meeting"]
    bodies = [norm_title(b) for b in [m.get("body")] + m.get("body_alternatives", [])]
    leaked = furniture_leaked(doc, items)
    pages = max(1, len(doc.pages))
    return {
        "family": gold["family"],
        "synthetic": gold.get("synthetic", False),
        "gold_items": len(gold_items),
        "pred_items": len(pred),
        "tp": tp,
        "titles_ok": titles_ok,
        "dnr_ok": dnr_ok,
        "body_ok": norm_title(meta.body) in bodies,
        "municipality_ok": (meta.municipality or None) == m.get("municipality"),
        "date_ok": date_text(meta) == m.get("date"),
        "kind_ok": meta.kind == m.get("kind"),
        "furniture_leaked": leaked,
        "warnings": len([w for w in doc.warnings if "ärendelist" in w]),
        "pages": pages,
        "seconds": took,
        "got": {"body": meta.body, "municipality": meta.municipality, "date": date_text(meta), "kind": meta.kind},
        "wrong_items": sorted(
            [f"{n} {t}" for n, t in gold_pairs - pred_pairs], key=lambda s: s
        )[:8],
        "extra_items": sorted([f"{n} {t}" for n, t in pred_pairs - gold_pairs])[:8],
    }


def _squash(s: str) -> str:
    return " ".join(s.split())


def furniture_leaked(doc, items) -> int:
    """Removed running lines that still stand as a line of their own in an item's text.

    A running line such as "Kommunfullmäktige" also occurs as an ordinary word
    ("Kommunfullmäktiges beslut"); only a whole line equal to it is a leak.
    Counted once per (item, running line).
    """
    running = {_squash(r) for r in (doc.front_matter.get("running_lines") or [])
               if isinstance(r, str) and len(r.strip()) >= 8}
    if not running:
        return 0
    leaked = 0
    for it in items:
        lines = {_squash(x) for x in it.text.splitlines()}
        leaked += len(running & lines)
    return leaked


def aggregate(rows: list[dict]) -> dict:
    if not rows:
        return {}
    tp = sum(r["tp"] for r in rows)
    pred = sum(r["pred_items"] for r in rows)
    gold = sum(r["gold_items"] for r in rows)
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    n = len(rows)
    secs = sum(x["seconds"] for x in rows)
    return {
        "documents": n,
        "items_gold": gold,
        "item_precision": round(p, 3),
        "item_recall": round(r, 3),
        "item_f1": round(f1, 3),
        "title_accuracy": round(sum(x["titles_ok"] for x in rows) / gold, 3) if gold else None,
        "dnr_accuracy": round(sum(x["dnr_ok"] for x in rows) / gold, 3) if gold else None,
        "documents_all_items_right": sum(1 for x in rows if x["tp"] == x["gold_items"] == x["pred_items"]),
        "body_accuracy": round(sum(x["body_ok"] for x in rows) / n, 3),
        "municipality_accuracy": round(sum(x["municipality_ok"] for x in rows) / n, 3),
        "date_accuracy": round(sum(x["date_ok"] for x in rows) / n, 3),
        "kind_accuracy": round(sum(x["kind_ok"] for x in rows) / n, 3),
        "furniture_leaked": sum(x["furniture_leaked"] for x in rows),
        "pages_per_s": round(sum(x["pages"] for x in rows) / secs, 1) if secs else None,
    }


def run(cache: Path | None, only: str | None, gold_dir: Path | None = None,
        families: list[str] | None = None, gold_dirs: list[Path] | None = None) -> dict:
    """Score every gold file of ``gold_dir`` (default :data:`GOLD`), or of every folder in ``gold_dirs``.

    Args:
        cache: Folder to pickle read documents into and reuse them from.
        only: Keep only gold files whose name contains this.
        gold_dir: Folder of gold labels.
        families: Keep only gold files of these families.
        gold_dirs: Several folders scored together (``--all``); the result then
            also holds ``sets``, the overall figure of each folder.
    """
    per_doc: dict[str, dict] = {}
    by_set: dict[str, list[dict]] = defaultdict(list)
    for folder in gold_dirs or [gold_dir or GOLD]:
        name = str(folder.relative_to(ROOT)) if folder.is_relative_to(ROOT) else str(folder)
        for path in sorted(folder.glob("*.json")):
            if only and only not in path.stem:
                continue
            gold = json.loads(path.read_text(encoding="utf-8"))
            if families and gold.get("family") not in families:
                continue
            doc, read_s = load_doc(gold["source"], cache)
            row = score_doc(gold, doc, read_s)
            per_doc[f"{name}/{path.stem}" if gold_dirs else path.stem] = row
            by_set[name].append(row)
    fams: dict[str, list[dict]] = defaultdict(list)
    for row in per_doc.values():
        fams[row["family"]].append(row)
    families = {f: aggregate(rows) for f, rows in sorted(fams.items())}
    lofo = {
        f: {
            "held_out": f,
            "item_f1": families[f]["item_f1"],
            "others_item_f1": aggregate([r for g, rows in fams.items() if g != f for r in rows]).get("item_f1"),
            "honest_held_out": f not in DEVELOPMENT_FAMILIES,
        }
        for f in sorted(fams)
    }
    out = {
        "overall": aggregate(list(per_doc.values())),
        "real_documents": aggregate([r for r in per_doc.values() if not r["synthetic"]]),
        "families": families,
        "leave_one_family_out": lofo,
        "development_families": DEVELOPMENT_FAMILIES,
        "note": (
            "The rules have no parameters fitted to data; leave-one-family-out therefore equals the "
            "per-family score. Every family listed in development_families was looked at while the "
            "rules were written, so all these figures are development scores."
        ),
        "documents": {k: {kk: vv for kk, vv in v.items() if kk not in ("family",)} for k, v in per_doc.items()},
    }
    if gold_dirs:
        out["sets"] = {name: aggregate(rows) for name, rows in by_set.items()}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--doc-cache", type=Path, default=None, help="pickle read documents here and reuse them")
    ap.add_argument("--baseline", default=None, help="git revision whose segmenter/metadata to score as baseline")
    ap.add_argument("--only", default=None, help="score only gold files whose name contains this")
    ap.add_argument("--summary", action="store_true", help="leave out the per-document detail")
    ap.add_argument("--gold", type=Path, default=None, help=f"gold folder (default {GOLD.relative_to(ROOT)})")
    ap.add_argument("--all", action="store_true", help="score every development set together (DEVELOPMENT_SETS)")
    ap.add_argument("--families", default=None, help="comma-separated families to score (default all)")
    args = ap.parse_args()
    gold_dir = args.gold.resolve() if args.gold else None
    families = [f.strip() for f in args.families.split(",") if f.strip()] if args.families else None
    if args.all and (args.gold or args.baseline):
        ap.error("--all scores the development sets; it takes neither --gold nor --baseline")
    gold_dirs = [ROOT / d for d in DEVELOPMENT_SETS] if args.all else None
    out = run(args.doc_cache, args.only, gold_dir, families, gold_dirs)
    if gold_dirs:
        out["gold_folders"] = DEVELOPMENT_SETS
    else:
        out["gold_folder"] = (str((gold_dir or GOLD).relative_to(ROOT)) if (gold_dir or GOLD).is_relative_to(ROOT)
                              else str(gold_dir))
    if families:
        out["families_scored"] = families
    if args.baseline:
        out["baseline"] = baseline(args.baseline, args.doc_cache, args.only, gold_dir, families)
    if args.summary:
        out.pop("documents", None)
    print(json.dumps(out, ensure_ascii=False, indent=1, default=str))


def baseline(rev: str, cache: Path | None, only: str | None, gold_dir: Path | None = None,
             families: list[str] | None = None) -> dict:
    """Score the segmenter and metadata of ``rev`` (checked out into a temp folder)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", tmp, rev],
                       check=True, capture_output=True)
        try:
            script = (
                "import importlib.util, json, sys, pathlib\n"
                f"spec = importlib.util.spec_from_file_location('bstruct', {str(Path(__file__).resolve())!r})\n"
                "b = importlib.util.module_from_spec(spec); spec.loader.exec_module(b)\n"
                f"sys.path.insert(0, {tmp!r})\n"
                f"r = b.run({('pathlib.Path(' + repr(str(cache)) + ')') if cache else 'None'}, {only!r}, "
                f"pathlib.Path({str(gold_dir or GOLD)!r}), {families!r})\n"
                "print(json.dumps({'overall': r['overall'], 'families': r['families']}))\n"
            )
            res = subprocess.run([sys.executable, "-c", script], cwd=tmp, capture_output=True, text=True, check=True)
            return {"revision": rev, **json.loads(res.stdout.strip().splitlines()[-1])}
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", tmp], capture_output=True)


if __name__ == "__main__":
    main()
