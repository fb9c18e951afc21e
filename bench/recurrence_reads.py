"""Archive reads of the recurrence views, before and after, in one run; prints JSON.

``python bench/recurrence_reads.py [--baseline REF] [--meetings 1500] [--bodies 30] [--archive DIR]``

The same measurements run twice in fresh processes over one archive: once
with the code of ``--baseline`` (a commit, unpacked with ``git archive`` into
a temporary folder; nothing in the repository changes) and once with the
working tree. Each process counts the SQL statements the archive runs (a
trace callback on every connection it opens) and the wall time (best of
``--repeat``):

* ``assess``: :func:`index.followups.assess` for one council's meetings, with
  the number of item rows read;
* ``publish``: ``radslag publish`` of one council (statements, seconds and a
  digest of every file written, so "byte-identical" is checked, not assumed);
* ``brief`` and ``history`` (topic) of that council.

The archive is generated (:func:`make_series.generate_archive`: ``--meetings``
meetings over ``--bodies`` councils, lexicon topics, follow-ups detected and
assessed) unless ``--archive`` names an existing one (e.g. the bundled corpus
ingested with ``radslag ingest corpus/``); then every council is published and
the digests compared, and ``--council`` picks the one measured.
Timings taken on a shared, loaded machine are noisy; statement counts are not.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import io
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The commit before the batched reads (session 4 start).
BASELINE = "8aa8d06"


def _measure(tree: Path, db: Path, council: str, topic: str, repeat: int, all_councils: bool) -> dict:
    """Run in a child process whose ``sys.path`` starts with ``tree``."""
    import index.store as store
    from index.brief import brief, render_markdown
    from index.followups import assess
    from index.history import issue_history
    from publish import publish
    from radslag.config import load_settings
    from radslag.types import Filters

    assert Path(store.__file__).resolve().is_relative_to(tree.resolve()), store.__file__
    counter = {"n": 0}
    original_init = store.Archive.__init__

    def traced_init(self, path):
        original_init(self, path)
        self._conn.set_trace_callback(lambda _sql: counter.__setitem__("n", counter["n"] + 1))

    store.Archive.__init__ = traced_init  # count every statement of every archive opened

    class Counting(store.Archive):
        """Counts item rows returned by the item reads (whichever the code uses)."""

        rows_read = 0

        def items(self, *a, **kw):
            rows = super().items(*a, **kw)
            Counting.rows_read += len(rows)
            return rows

        def council_items(self, *a, **kw):  # absent in the baseline store: never called there
            rows = super().council_items(*a, **kw)
            Counting.rows_read += len(rows)
            return rows

    settings = load_settings(archive_dir=db.parent, embed=False, enrich=False)
    from index.keyword import content_terms

    content_terms("Klotter vid stationen")  # warm the term tables (a cold cache is not what is measured)

    def run(fn) -> tuple[float, int, object]:
        best, statements, out = float("inf"), 0, None
        for _ in range(repeat):
            counter["n"] = 0
            t0 = time.perf_counter()
            out = fn()
            best = min(best, time.perf_counter() - t0)
            statements = counter["n"]
        return round(best, 4), statements, out

    result: dict = {"tree": str(tree)}
    with Counting(db) as arc:
        meeting_ids = [m.id for m in arc.meetings(Filters(council=council))]

        def one_assess():
            Counting.rows_read = 0
            return assess(arc, meeting_ids=meeting_ids)

        seconds, statements, rows = run(one_assess)
        result["assess"] = {"seconds": seconds, "statements": statements, "item_rows_read": Counting.rows_read,
                            "followups": len(rows), "items_in_archive": arc.count("items"),
                            "digest": hashlib.sha256(repr(sorted(
                                (r.id, r.status, r.answered_by_item_id, r.answered_reason) for r in rows)).encode()
                            ).hexdigest()[:16]}
        seconds, statements, text = run(lambda: render_markdown(brief(arc, council, settings=settings)))
        result["brief"] = {"seconds": seconds, "statements": statements,
                           "digest": hashlib.sha256(text.encode()).hexdigest()[:16]}
        seconds, statements, hist = run(lambda: issue_history(arc, settings, topic=topic,
                                                              filters=Filters(council=council)).to_json())
        result["history"] = {"seconds": seconds, "statements": statements,
                             "digest": hashlib.sha256(hist.encode()).hexdigest()[:16]}
        keys = [c.key for c in arc.councils()] if all_councils else [council]
    out_root = Path(tempfile.mkdtemp(prefix="site-"))
    digests = {}
    try:
        for key in keys:
            out = out_root / hashlib.sha1(key.encode()).hexdigest()[:8]
            seconds, statements, report = run(lambda: publish(settings, key, out))
            h = hashlib.sha256()
            for path in sorted(p for p in out.rglob("*") if p.is_file()):
                h.update(str(path.relative_to(out)).encode() + b"\0" + path.read_bytes())
            digests[key] = h.hexdigest()[:16]
            if key == council:
                result["publish"] = {"seconds": seconds, "statements": statements, "meetings": report.meetings,
                                     "items": report.items, "issues": report.issues}
    finally:
        shutil.rmtree(out_root, ignore_errors=True)
    result["site_digests"] = digests
    return result


def _unpack(ref: str, into: Path) -> Path:
    data = subprocess.run(["git", "-C", str(ROOT), "archive", ref], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    return into


def _generate(db: Path, meetings: int, bodies: int) -> dict:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "tests" / "tools"))
    import make_series

    from index.followups import update_status
    from index.store import Archive
    from ingest.pipeline import detect_meeting_followups

    from radslag.taxonomy import load_taxonomy
    from radslag.types import TopicTag

    # the series' lexicon topics under the taxonomy's ids, so histories and published issue pages resolve them
    ids = {"motorburen_ungdom": "motorburen-ungdom", "klotter": "klotter-skadegorelse",
           "narkotika": "narkotika-andt", "belysning": "belysning-fysisk-miljo",
           "trygghetsmatning": "brottsstatistik-trygghetsundersokning"}
    labels = {tp.id: tp.label_sv for tp in load_taxonomy()}
    lexicon_tags = make_series.tag_topics
    make_series.tag_topics = lambda text: [TopicTag(ids[tp.id], labels[ids[tp.id]], tp.score)
                                           for tp in lexicon_tags(text)]
    with Archive(db) as arc:
        gen = make_series.generate_archive(arc, meetings, bodies=bodies)
        detect_meeting_followups(arc)
        update_status(arc)
        return {**gen, "items": arc.count("items"), "followups": arc.count("followups")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", default=BASELINE, help="commit to compare with")
    ap.add_argument("--meetings", type=int, default=600)
    ap.add_argument("--bodies", type=int, default=20)
    ap.add_argument("--archive", type=Path, help="an existing archive folder instead of a generated one")
    ap.add_argument("--council", default="kommun007/trygghetsråd")
    ap.add_argument("--topic", default="klotter-skadegorelse")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--measure", nargs=2, metavar=("TREE", "DB"), help=argparse.SUPPRESS)
    ap.add_argument("--all", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        tree, db = Path(args.measure[0]), Path(args.measure[1])
        sys.path.insert(0, str(tree))
        print(json.dumps(_measure(tree, db, args.council, args.topic, args.repeat, args.all)))
        return
    report: dict = {"baseline": args.baseline}
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        if args.archive:
            source = args.archive / "archive.sqlite"
            report["archive"] = str(args.archive)
        else:
            source = tmp_path / "gen" / "archive.sqlite"
            source.parent.mkdir()
            t0 = time.perf_counter()
            report["archive"] = _generate(source, args.meetings, args.bodies)
            report["archive"]["build_s"] = round(time.perf_counter() - t0, 2)
        base = _unpack(args.baseline, tmp_path / "base")
        for name, tree in (("before", base), ("after", ROOT)):
            work = tmp_path / f"db-{name}"
            work.mkdir()
            shutil.copy2(source, work / "archive.sqlite")
            cmd = [sys.executable, str(Path(__file__).resolve()), "--measure", str(tree), str(work / "archive.sqlite"),
                   "--council", args.council, "--topic", args.topic, "--repeat", str(args.repeat)]
            if args.archive:
                cmd.append("--all")
            done = subprocess.run(cmd, cwd=tree, capture_output=True, text=True)
            if done.returncode:
                raise SystemExit(done.stderr[-3000:])
            report[name] = json.loads(done.stdout.strip().splitlines()[-1])
    before, after = report["before"], report["after"]
    report["same_output"] = {
        "sites": before.pop("site_digests") == after.pop("site_digests"),
        "brief": before["brief"]["digest"] == after["brief"]["digest"],
        "history": before["history"]["digest"] == after["history"]["digest"],
        "assess": before["assess"]["digest"] == after["assess"]["digest"],
    }
    report["sites_compared"] = "every council" if args.archive else args.council
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
