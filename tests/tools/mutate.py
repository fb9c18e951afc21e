"""Break the formulas the fast tests guard, one at a time, and show which breakages they catch.

``python tests/tools/mutate.py [--only NAME ...] [--tests PATH ...] [--list]``

Each mutation replaces one exact piece of source text (it must occur exactly
once) in a private copy of the working tree, then the fast suite
(``pytest -m "not slow and not browser" -x``) runs in that copy with a
private model cache, so the real tree and the user's cache are never
touched. A mutation is *caught* when the suite fails, *survived* when it
passes, and *not_applicable* when its source text is no longer in the tree
(the code moved: update the entry). The unmutated copy is run first; a red
baseline makes every result meaningless and is reported as such.

Prints one JSON object: the baseline, one record per mutation (with the
first failing test) and the count caught.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Mutation:
    """One deliberate breakage: ``old`` becomes ``new`` in ``file``."""

    name: str
    file: str
    old: str
    new: str
    why: str
    owner: str = "R1"  # who keeps the entry in step with the code


MUTATIONS = [
    Mutation("rrf_constant", "index/search.py", "RRF_K = 60", "RRF_K = 10",
             "RRF constant k changed"),
    Mutation("rrf_formula", "index/search.py",
             "w.get(item_id, 1.0) / (k + rank)", "w.get(item_id, 1.0) / (k + rank) ** 2",
             "RRF term 1/(k+rank) changed"),
    Mutation("bm25_title_weight", "index/search.py", "BM25_WEIGHTS = (2.0, 1.0)", "BM25_WEIGHTS = (1.0, 1.0)",
             "BM25 column weights equal (title no longer counts twice)"),
    Mutation("bm25_weights_dropped", "index/store/__init__.py",
             "(weights[0], weights[1], expr, limit if allowed is None else -1)",
             "(1.0, 1.0, expr, limit if allowed is None else -1)",
             "store ignores the BM25 weights it is given"),
    Mutation("coverage_off_in_search", "index/search.py",
             "coverage = keyword_coverage(archive, query, [i for i, _ in keyword])", "coverage = {}",
             "hybrid search no longer weights keyword hits by coverage"),
    Mutation("coverage_always_full", "index/search.py",
             "return {i: hits[i] / len(groups) for i in item_ids}", "return {i: 1.0 for i in item_ids}",
             "keyword coverage reports every item as a full match"),
    Mutation("coverage_ignored_in_fusion", "index/fusion.py",
             "body = evidence.coverage.get(item_id, 1.0) * (1.0 - BM25_SHARE + share)",
             "body = 1.0 - BM25_SHARE + share",
             "score fusion drops the keyword coverage"),
    Mutation("title_ignored_in_fusion", "index/fusion.py",
             "gain = body + TITLE_WEIGHT * evidence.title.get(item_id, 0.0)", "gain = body",
             "score fusion drops the title's share of the query terms"),
    Mutation("title_share_all_or_nothing", "index/fusion.py",
             "return {i: n / len(groups) for i, n in hits.items() if n}", "return {i: 1.0 for i, n in hits.items() if n}",
             "title coverage reports any title match as a full match"),
    Mutation("query_gate_off", "index/fusion.py",
             "continue  # no candidate meets the query's words", "pass  # no candidate meets the query's words",
             "keyword evidence reorders the dense candidates of a paraphrase no candidate covers"),
    Mutation("case_number_not_in_cutoff", "index/search.py",
             "if i in boosted or i in named", "if i in boosted",
             "an item named by its case number no longer passes the relevance cutoff"),
    Mutation("case_number_registry_ignored", "index/fusion.py",
             "have[1:] == w[1:] and (not w[0] or not have[0] or w[0] == have[0])", "have[1:] == w[1:]",
             "another registry's case with the same year and number counts as named"),
    Mutation("lexicon_curve_scale", "ingest/topics/lexicon.py",
             "return 1.0 - np.exp(-x / 2.0)", "return 1.0 - np.exp(-x / 3.0)",
             "topic lexicon curve 1 - exp(-x/2) flattened"),
    Mutation("lexicon_curve_shape", "ingest/topics/lexicon.py",
             "return 1.0 - np.exp(-x / 2.0)", "return np.minimum(x / 4.0, 1.0)",
             "topic lexicon curve made linear"),
    # Segmentation is helper S2's (ingest/segment/); the entries point at the
    # code as it stood when this tool was written and report not_applicable
    # once it moves.
    Mutation("segment_run_weight", "ingest/segment/core.py", "_RUN_WEIGHT = 0.3", "_RUN_WEIGHT = 1.0",
             "numbered lines of an inner list weigh as much as headings", owner="S2"),
    Mutation("segment_isolation_bonus", "ingest/segment/core.py", "_ISOLATION_BONUS = 0.2",
             "_ISOLATION_BONUS = 0.0", "no bonus for a heading between blank lines", owner="S2"),
    Mutation("list_numbering_gap", "ingest/segment/core.py",
             "short = _best_chain(cands, 2, None if flattened else 2)",
             "short = _best_chain(cands, 5, None if flattened else 2)",
             "numbered list may skip four numbers", owner="S2"),
    Mutation("list_numbering_first", "ingest/segment/core.py",
             "short = _best_chain(cands, 2, None if flattened else 2)",
             "short = _best_chain(cands, 2, None if flattened else 9)",
             "numbered list may start anywhere up to 9", owner="S2"),
]


#: Test files that guard the formulas, run first so a caught mutation fails fast;
#: the rest of the fast suite follows (pytest skips paths given twice).
FIRST = ["tests/index/test_ranking.py", "tests/ingest/test_topics.py", "tests/ingest/test_segment.py",
         "tests/ingest/test_structure.py"]


def tree_files(root: Path) -> list[str]:
    """Tracked files and untracked ones git does not ignore (the working tree as it is)."""
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=root, check=True,
                         capture_output=True).stdout
    return [f for f in out.decode().split("\0") if f and (root / f).is_file()]


def copy_tree(root: Path, dest: Path) -> None:
    for rel in tree_files(root):
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / rel, target)


def run_suite(tree: Path, cache: Path, tests: list[str]) -> tuple[bool, str | None, float]:
    """Run the fast suite in ``tree``; return (passed, first failing test, seconds)."""
    env = {**os.environ, "RADSLAG_CACHE": str(cache), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("RADSLAG_ARCHIVE", None)
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-m", "not slow and not browser", "-p", "no:cacheprovider",
         *tests],
        cwd=tree, env=env, capture_output=True, text=True,
    )
    failed = re.findall(r"^(?:FAILED|ERROR) (\S+)", proc.stdout, re.M)
    return proc.returncode == 0, (failed[0] if failed else None), round(time.perf_counter() - t0, 1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", help="run only these mutations (by name)")
    ap.add_argument("--tests", nargs="*", default=None,
                    help="test paths (default: the whole fast suite, the formula tests first)")
    ap.add_argument("--list", action="store_true", help="list the mutations and exit")
    args = ap.parse_args(argv)
    chosen = [m for m in MUTATIONS if not args.only or m.name in args.only]
    if args.list:
        print(json.dumps([m.__dict__ for m in chosen], ensure_ascii=False, indent=1))
        return 0
    with tempfile.TemporaryDirectory(prefix="radslag-mutate-") as tmp:
        tree, cache = Path(tmp) / "tree", Path(tmp) / "cache"
        copy_tree(ROOT, tree)
        if args.tests is None:
            args.tests = [t for t in FIRST if (tree / t).exists()] + ["tests"]
        report: dict = {"suite": "pytest -m 'not slow and not browser' -x " + " ".join(args.tests), "mutations": []}
        passed, failed, seconds = run_suite(tree, cache, args.tests)
        report["baseline"] = {"passed": passed, "first_failure": failed, "seconds": seconds}
        for m in chosen:
            path = tree / m.file
            original = path.read_text(encoding="utf-8") if path.exists() else ""
            record = {"name": m.name, "file": m.file, "why": m.why, "owner": m.owner}
            if original.count(m.old) != 1:
                record["status"] = "not_applicable"
                record["detail"] = f"source text found {original.count(m.old)} times, expected once"
                report["mutations"].append(record)
                continue
            # a fresh copy of the baseline cache: mutated code must not feed the next run
            run_cache = Path(tmp) / f"cache-{m.name}"
            if cache.exists():
                shutil.copytree(cache, run_cache)
            path.write_text(original.replace(m.old, m.new), encoding="utf-8")
            try:
                ok, failed, seconds = run_suite(tree, run_cache, args.tests)
            finally:
                path.write_text(original, encoding="utf-8")
                shutil.rmtree(run_cache, ignore_errors=True)
            record.update(status="survived" if ok else "caught", caught_by=failed, seconds=seconds)
            report["mutations"].append(record)
    applicable = [r for r in report["mutations"] if r["status"] != "not_applicable"]
    report["caught"] = f"{sum(r['status'] == 'caught' for r in applicable)}/{len(applicable)}"
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0 if report["baseline"]["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
