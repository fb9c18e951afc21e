"""Crash consistency: SIGKILL an ingest (and a reindex) at named points, rerun, compare with a clean run.

Each trial starts an ingest (or a reindex of a finished archive, or a second
ingest that replaces a changed file) in a subprocess with
``RADSLAG_TEST_KILL_AT=<point>:<n>`` set: the process SIGKILLs itself the
n-th time it passes ``point`` (:func:`index.store.stages.kill_point`):

=============  ==============================================================
``parse``      a file parsed by its worker, not yet stored
``store``      inside a document's transaction (document, items, follow-ups)
``passages``   inside a document's passage transaction
``embed``      passages embedded in memory, the FAISS file not yet written
``faiss-write`` the new FAISS file written, its manifest not yet swapped
``enrich``     inside an enrichment batch's transaction
``links``      inside the links transaction (names, threads, follow-up status)
``reindex``    inside the reindex transaction that clears the passages
=============  ==============================================================

Right after the kill the archive must pass ``PRAGMA integrity_check``, the
vector index must open (its manifest and FAISS file agree), every document
marked ``vectors`` done must have all its vectors, and no document may be
half stored. Then a plain ``ingest`` of the same files runs (in this
process) and the archive must equal a clean run's: every stage done, the
index holding exactly the passages, and the same content table by table
(documents, items, passages, entities, topics, follow-ups and their
status, threads), compared by source and position rather than row ids, plus
the same hits for a fixed query.

Prints one JSON object: ``{"trials", "consistent", "summary": "N trials / N
consistent", "results": [...]}``. ``tests/ingest/test_crash.py`` runs a few
of these trials in CI.

Usage::

    python bench/crash.py                 # every kill point (>= 20 trials)
    python bench/crash.py --points store:2 embed:1
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: The fixed query whose hits a healed archive must share with a clean one.
QUERY = "ungdomar som kör epa-traktor och spelar hög musik"
#: Settings of every run: one parse worker (files stored in a fixed order) and
#: small enrichment batches (several kill points inside enrichment).
BATCH_SIZE = 3

#: A tiny corpus of three meetings of one council: recurring issues (threads),
#: a commitment and its answer (follow-ups), people and places (entities).
CORPUS = {
    "arboga-2021-03-10.txt": """Trygghetsrådet i Arboga 2021-03-10

Närvarande: Anna Svensson (S), ordförande, Per Holm, polisen

1. Klotter

Klotter vid stationen ska saneras inom ett dygn. Tekniska förvaltningen återkommer med en plan till nästa möte.

2. Motorburen ungdom

EPA-traktorer och hög musik på torget på fredagskvällar. Polisen följer upp och rapporterar vid nästa möte.

3. Övrigt

Inget.
""",
    "arboga-2021-06-09.txt": """Trygghetsrådet i Arboga 2021-06-09

Närvarande: Anna Svensson (S), ordförande, Per Holm, polisen

1. Motorburen ungdom

Per Holm redovisade uppföljningen om EPA-traktorer på torget. Störningarna har minskat sedan i våras.

2. Belysning

Fler lampor i Stadsparken efter trygghetsvandringen. Tekniska förvaltningen ansvarar.

3. Övrigt

Inget.
""",
    "arboga-2021-09-15.txt": """Trygghetsrådet i Arboga 2021-09-15

Närvarande: Anna Svensson (S), ordförande

1. Narkotika i centrum

Polisen ser ökad narkotikaförsäljning vid busstationen. Kameraövervakning diskuteras.

2. Klotter

Saneringen av klotter vid stationen är klar enligt Tekniska förvaltningen.
""",
}
#: The changed version of one file, for the "replace" trials.
CHANGED = ("arboga-2021-06-09.txt", CORPUS["arboga-2021-06-09.txt"].replace(
    "2. Belysning", "2. Trygghetsvandring\n\nEn trygghetsvandring genomförs i centrum i oktober.\n\n3. Belysning"
).replace("3. Övrigt", "4. Övrigt"))

#: Kill points of the full run: (operation, point, n). ``ingest``: a first
#: ingest of the corpus; ``reindex``: ``radslag reindex`` of a finished
#: archive; ``replace``: a second ingest after one file changed.
TRIALS = [
    ("ingest", "parse", 1), ("ingest", "parse", 3), ("ingest", "store", 1), ("ingest", "store", 2),
    ("ingest", "store", 3), ("ingest", "passages", 1), ("ingest", "passages", 3), ("ingest", "embed", 1),
    ("ingest", "faiss-write", 1), ("ingest", "enrich", 1), ("ingest", "enrich", 2), ("ingest", "enrich", 3),
    ("ingest", "links", 1),
    ("reindex", "reindex", 1), ("reindex", "passages", 2), ("reindex", "embed", 1), ("reindex", "faiss-write", 1),
    ("reindex", "enrich", 2), ("reindex", "links", 1),
    ("replace", "store", 1), ("replace", "passages", 1), ("replace", "embed", 1), ("replace", "faiss-write", 1),
    ("replace", "enrich", 1), ("replace", "links", 1),
]


# -- runs ------------------------------------------------------------------------------------


def settings_for(archive: Path):
    """The settings of every run (real models, one parse worker, small enrichment batches)."""
    from radslag.config import load_settings

    return load_settings(archive_dir=archive, embed=True, enrich=True, ingest_workers=1, batch_size=BATCH_SIZE)


def write_corpus(folder: Path, changed: bool = False) -> Path:
    """Write the tiny corpus (with the changed file when ``changed``) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in CORPUS.items():
        (folder / name).write_text(CHANGED[1] if changed and name == CHANGED[0] else text, encoding="utf-8")
    return folder


def run_child(operation: str, archive: Path, corpus: Path, kill: str | None, timeout: float = 600) -> int:
    """Run ``ingest`` or ``reindex`` in a subprocess; returns its exit code (``-9`` when it was killed)."""
    env = dict(os.environ)
    env.pop("RADSLAG_TEST_KILL_AT", None)
    if kill:
        env["RADSLAG_TEST_KILL_AT"] = kill
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", operation, str(archive), str(corpus)]
    return subprocess.run(cmd, env=env, cwd=ROOT, timeout=timeout, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE).returncode


def child(operation: str, archive: str, corpus: str) -> None:
    """The subprocess: one ingest or reindex (the kill hook may end it)."""
    from ingest.pipeline import ingest_paths, reindex

    settings = settings_for(Path(archive))
    if operation == "reindex":
        reindex(settings, progress=False)
    else:
        ingest_paths([corpus], settings)


def ingest_here(archive: Path, corpus: Path) -> list[str]:
    """A plain ingest in this process (models loaded once); returns its notes."""
    from ingest.pipeline import ingest_paths

    report = ingest_paths([str(corpus)], settings_for(archive))
    if report.failed:
        raise RuntimeError([(f.source, f.message) for f in report.failed])
    return report.notes


# -- checks ----------------------------------------------------------------------------------


def after_kill(archive: Path) -> list[str]:
    """What must hold right after a kill; returns the problems found."""
    from index.embeddings import load_embedder
    from index.store import Archive
    from index.vectors import VectorIndex
    from radslag.errors import RadslagError

    problems = []
    settings = settings_for(archive)
    if not settings.db_path.exists():
        return problems  # killed before the archive was created
    with sqlite3.connect(settings.db_path) as conn:
        verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            problems.append(f"integrity_check: {verdict}")
        half = conn.execute(
            "SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM meetings m JOIN items i"
            " ON i.meeting_id = m.id WHERE m.document_id = d.id)"
            " OR NOT EXISTS (SELECT 1 FROM document_stages s WHERE s.document_id = d.id AND s.stage = 'store'"
            " AND s.state = 'done')"
        ).fetchone()[0]
        if half:
            problems.append(f"{half} documents half stored")
    try:
        index = VectorIndex.open(settings, load_embedder(settings))
    except RadslagError as exc:
        return problems + [f"index does not open: {exc}"]
    with Archive(settings.db_path) as arc:
        done = set(arc.done("vectors"))
        want = {pid for pid, item in arc.passage_items().items()
                if arc.document_ids_of_items([item]).get(item) in done}
        passages_done = set(arc.done("passages"))
        for doc in passages_done:
            for mid in arc.document_meeting_ids([doc]):
                if any(not arc.item_passages(i) for i in arc.item_ids(mid)):
                    problems.append(f"document {doc}: passages done but an item has none")
    missing = want - index.ids()
    if missing:
        problems.append(f"{len(missing)} vectors missing for documents marked done")
    return problems


def healed(archive: Path) -> list[str]:
    """What must hold after the rerun: every stage done, index == passages, search works."""
    from index.embeddings import load_embedder
    from index.search import search
    from index.store import Archive
    from index.vectors import VectorIndex

    problems = []
    settings = settings_for(archive)
    with sqlite3.connect(settings.db_path) as conn:
        verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            problems.append(f"integrity_check: {verdict}")
    with Archive(settings.db_path) as arc:
        open_docs = arc.document_stages(unfinished_only=True)
        if open_docs:
            problems.append(f"unfinished stages: {[(d.source, d.unfinished) for d in open_docs]}")
        passages = set(arc.passage_items())
        vectors = VectorIndex.open(settings, load_embedder(settings)).ids()
        if passages != vectors:
            problems.append(f"{len(passages - vectors)} passages without vector, {len(vectors - passages)} "
                            "vectors without passage")
        for mode in ("hybrid", "dense", "keyword"):
            if not search(arc, QUERY, settings=settings, k=5, mode=mode).hits:
                problems.append(f"{mode} search finds nothing")
    return problems


def signature(archive: Path) -> dict[str, Any]:
    """The archive's content, compared by source and position (row ids may differ between runs)."""
    from index.search import search
    from index.store import Archive

    settings = settings_for(archive)
    with sqlite3.connect(settings.db_path) as conn:
        def q(sql: str) -> list:
            return sorted(tuple(r) for r in conn.execute(sql))

        item = ("(SELECT d.source || '#' || i.ordinal FROM items i JOIN meetings m ON m.id = i.meeting_id"
                " JOIN documents d ON d.id = m.document_id WHERE i.id = {})")
        tables = {
            "documents": q("SELECT source, content_hash, kind FROM documents"),
            "items": q(f"SELECT {item.format('x.id')}, title, number FROM items x"),
            "passages": q(f"SELECT {item.format('p.item_id')}, p.ordinal, p.text, p.start, p.end FROM passages p"),
            "entities": q(f"SELECT {item.format('e.item_id')}, e.text, e.label, e.start, e.canonical FROM entities e"),
            "topics": q(f"SELECT {item.format('t.item_id')}, t.topic_id, round(t.score, 3), t.method"
                        " FROM item_topics t"),
            "followups": q(f"SELECT {item.format('f.item_id')}, f.ordinal, f.what, f.status,"
                           f" {item.format('f.answered_by_item_id')} FROM followups f"),
            "thread_links": q(f"SELECT {item.format('l.src_item_id')}, {item.format('l.dst_item_id')}"
                              " FROM thread_links l"),
            "threads": q(f"SELECT {item.format('t.thread_id')}, {item.format('t.item_id')}, t.position FROM threads t"),
        }
    out: dict[str, Any] = {name: [len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()[:16]]
                           for name, rows in tables.items()}
    with Archive(settings.db_path) as arc:
        out["query"] = [f"{h.source}#{h.item_title}" for h in search(arc, QUERY, settings=settings, k=5).hits]
    return out


def diff(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """Keys whose values differ, with both values."""
    return [f"{k}: {a.get(k)} != {b.get(k)}" for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]


# -- trials ----------------------------------------------------------------------------------


class Bench:
    """Clean reference archives (built once) and trials against them."""

    def __init__(self, work: Path):
        self.work = work
        self.corpus = write_corpus(work / "corpus")
        self.changed = write_corpus(work / "corpus-changed", changed=True)
        self.clean = work / "clean"
        ingest_here(self.clean, self.corpus)
        self.reference = signature(self.clean)
        self._reference_changed: dict[str, Any] | None = None

    @property
    def reference_changed(self) -> dict[str, Any]:
        """The clean archive after the changed file was ingested over the clean one (built on first use)."""
        if self._reference_changed is None:
            clean_changed = self.work / "clean-changed"
            shutil.copytree(self.clean, clean_changed)
            ingest_here(clean_changed, self.changed)
            self._reference_changed = signature(clean_changed)
        return self._reference_changed

    def trial(self, operation: str, point: str, n: int) -> dict[str, Any]:
        """One kill and rerun; returns the outcome with the problems found (none: consistent)."""
        archive = self.work / f"{operation}-{point}-{n}"
        shutil.rmtree(archive, ignore_errors=True)
        corpus, reference = self.corpus, self.reference
        if operation in ("reindex", "replace"):
            shutil.copytree(self.clean, archive)
        if operation == "replace":
            corpus, reference = self.changed, self.reference_changed
        t0 = time.perf_counter()
        code = run_child("reindex" if operation == "reindex" else "ingest", archive, corpus, f"{point}:{n}")
        killed = code == -signal.SIGKILL
        problems = [] if killed else [f"not killed at {point}:{n} (exit {code})"]
        problems += after_kill(archive)
        notes = ingest_here(archive, corpus)
        problems += healed(archive)
        problems += diff(signature(archive), reference)
        return {"operation": operation, "point": f"{point}:{n}", "killed": killed, "consistent": not problems,
                "problems": problems, "notes": notes, "seconds": round(time.perf_counter() - t0, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", nargs=3, metavar=("OPERATION", "ARCHIVE", "CORPUS"), help=argparse.SUPPRESS)
    parser.add_argument("--points", nargs="*", help="operation:point:n (default: every trial)")
    parser.add_argument("--keep", help="Work folder to keep (default: a temporary one)")
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    trials = TRIALS if not args.points else [(p.split(":")[0], p.split(":")[1], int(p.split(":")[2]))
                                             for p in args.points]
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="radslag-crash-"))
    t0 = time.perf_counter()
    bench = Bench(work)
    results = []
    for t in trials:
        try:
            r = bench.trial(*t)
        except Exception as exc:  # a trial that crashes the harness counts as inconsistent, with why
            r = {"operation": t[0], "point": f"{t[1]}:{t[2]}", "killed": None, "consistent": False,
                 "problems": [f"{type(exc).__name__}: {exc}"]}
        print(json.dumps({k: r[k] for k in ("operation", "point", "consistent", "problems")}, ensure_ascii=False),
              file=sys.stderr, flush=True)
        results.append(r)
    ok = sum(r["consistent"] for r in results)
    print(json.dumps({
        "bench": "crash",
        "trials": len(results),
        "consistent": ok,
        "summary": f"{len(results)} trials / {ok} consistent",
        "reference": bench.reference,
        "results": results,
        "seconds": round(time.perf_counter() - t0, 1),
    }, ensure_ascii=False, indent=1))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
