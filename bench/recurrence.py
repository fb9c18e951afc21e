"""Benchmark recurrence features; prints JSON.

``python bench/recurrence.py [--meetings 10000] [--method auto|tfidf|embedder]``

* Precision/recall of follow-up detection on the labelled seeds
  (``tests/data/labels/recurrence.json``) and the synthetic series
  (``tests/data/synthetic/labels.json``); accuracy of answered/open status
  on the synthetic series.
* Precision/recall of thread links on both sets. A predicted link is
  correct when both items belong to the same labelled thread; a labelled
  link (consecutive items of a labelled thread) is recalled when both items
  end up in the same predicted thread.
* Time to build a topic timeline, a query timeline (keyword mode: no dense
  index is built here) and a brief on a generated archive of N meetings.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "tools"))

import make_series  # noqa: E402

from index.brief import brief, render_markdown  # noqa: E402
from index.followups import assess  # noqa: E402
from index.store import Archive  # noqa: E402
from index.threads import build_threads  # noqa: E402
from index.timeline import timeline  # noqa: E402
from ingest.followups import detect_followups  # noqa: E402
from ingest.pipeline import detect_meeting_followups  # noqa: E402
from radslag.config import load_settings  # noqa: E402
from radslag.councils import council_key  # noqa: E402
from radslag.types import AgendaItem, Document, Filters, MeetingMeta  # noqa: E402

LABELS = ROOT / "tests" / "data" / "labels" / "recurrence.json"


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _pr(tp: int, n_pred: int, n_true: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_true if n_true else 1.0
    return {"precision": round(p, 3), "recall": round(r, 3), "tp": tp, "predicted": n_pred, "labelled": n_true}


def followup_detection(docs: list[tuple[str, list[str], list[str | None]]]) -> dict:
    """docs: (text, label match strings, label who)."""
    tp = n_pred = n_true = who_ok = 0
    misses, extras = [], []
    for text, matches, whos in docs:
        found = detect_followups(text)
        n_pred += len(found)
        n_true += len(matches)
        used = set()
        for fu in found:
            window = _norm(f"{fu.context} {fu.sentence}")
            hit = next((i for i, m in enumerate(matches) if i not in used and _norm(m) in window), None)
            if hit is None:
                extras.append(fu.sentence[:90])
                continue
            used.add(hit)
            tp += 1
            who_ok += (fu.who or None) == whos[hit]
        misses += [m for i, m in enumerate(matches) if i not in used]
    out = _pr(tp, n_pred, n_true)
    out["who_correct"] = who_ok
    out["false_positives"] = extras
    out["missed"] = misses
    return out


def seed_docs(labels: dict) -> list:
    docs = []
    for file, items in labels["followups"].items():
        text = (ROOT / file).read_text(encoding="utf-8")
        docs.append((text, [i["match"] for i in items], [i["who"] for i in items]))
    docs.append(("\n\n".join(labels["negatives"]), [], []))
    return docs


def synthetic_docs() -> list:
    lab = json.loads((make_series.DEFAULT_OUT / "labels.json").read_text(encoding="utf-8"))
    docs = []
    for doc, meta, items in make_series.load_series():
        for item in items:
            ref = f"{meta.date.isoformat()}#{item.number}"
            fus = [f for f in lab["followups"] if f["item"] == ref]
            docs.append((item.text, [f["sentence"] for f in fus], [f["who"] for f in fus]))
    docs.append(("\n\n".join(lab["negatives"]), [], []))
    return docs


def thread_scores(archive: Archive, refs: dict[str, int], truth: dict[str, list[str]]) -> dict:
    inv = {v: k for k, v in refs.items()}
    thread_of = {r: name for name, members in truth.items() for r in members}
    links = [(link.src_item_id, link.dst_item_id) for link in archive.thread_links()]
    good = sum(1 for s, d in links if thread_of.get(inv.get(s)) and thread_of.get(inv.get(s)) == thread_of.get(inv.get(d)))
    pred_thread = archive.thread_of_items()
    true_links = [(m[i], m[i + 1]) for m in truth.values() for i in range(len(m) - 1)]
    recalled = sum(
        1 for a, b in true_links
        if pred_thread.get(refs[a]) is not None and pred_thread.get(refs[a]) == pred_thread.get(refs[b])
    )
    p = good / len(links) if links else 1.0
    r = recalled / len(true_links) if true_links else 1.0
    wrong = [f"{inv.get(s)} -> {inv.get(d)}" for s, d in links
             if not (thread_of.get(inv.get(s)) and thread_of.get(inv.get(s)) == thread_of.get(inv.get(d)))]
    # Threads stay inside a council unless a case number joins them (index.threads), so a
    # labelled link between two councils is the history's "elsewhere", not a thread link.
    refs_items = {r.id: r for r in archive.item_refs(item_ids=[refs[x] for x in refs])}
    council = {ref: council_key(refs_items[i].municipality, refs_items[i].body) for ref, i in refs.items()
               if i in refs_items}
    within = [(a, b) for a, b in true_links if council.get(a) == council.get(b)]
    recalled_within = sum(
        1 for a, b in within
        if pred_thread.get(refs[a]) is not None and pred_thread.get(refs[a]) == pred_thread.get(refs[b])
    )
    return {"precision": round(p, 3), "recall": round(r, 3), "links_predicted": len(links),
            "links_labelled": len(true_links), "wrong_links": wrong,
            "links_labelled_within_council": len(within),
            "recall_within_council": round(recalled_within / len(within), 3) if within else None,
            "links_labelled_across_councils": len(true_links) - len(within)}


def _thread_sizes(archive: Archive) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for item, tid in archive.thread_of_items().items():
        out.setdefault(tid, []).append(item)
    return out


def seed_archive(path: Path, labels: dict) -> dict[str, int]:
    archive = Archive(path)
    refs: dict[str, int] = {}
    by_file: dict[str, list[tuple[str, dict]]] = {}
    for ref, spec in labels["thread_items"].items():
        by_file.setdefault(spec["file"], []).append((ref, spec))
    for file, specs in by_file.items():
        text = (ROOT / file).read_text(encoding="utf-8")
        m = labels["meetings"][file]
        items = []
        for ref, spec in specs:
            start = text.index(spec["start"])
            end = text.index(spec["end"], start + 1) if spec["end"] else len(text)
            items.append(AgendaItem(number=ref.split("#")[1], title=spec["title"], text=text[start:end].strip(),
                                    start=start, end=end))
        doc = Document(source=file, text=text, reader="txt", content_hash=hashlib.sha256(text.encode()).hexdigest())
        meta = MeetingMeta(kind=m["kind"], body=m["body"], municipality=m["municipality"],
                           date=dt.date.fromisoformat(m["date"]) if m["date"] else None)
        mid, _, _ = archive.write_document(doc, meta, items)
        for row, (ref, _) in zip(archive.items(meeting_id=mid), specs):
            refs[ref] = row.id
    archive.close()
    return refs


def pipeline_seed_refs(archive: Archive, labels: dict) -> dict[str, int]:
    """Map labelled refs to items the real segmenter produced (matched by file and title)."""
    refs: dict[str, int] = {}
    items = archive.items()
    for ref, spec in labels["thread_items"].items():
        name, title = Path(spec["file"]).name, _norm(spec["title"])
        for it in items:
            t = _norm(it.title)
            if it.source.endswith(name) and (title in t or t in title):
                refs[ref] = it.id
                break
    return refs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--meetings", type=int, default=10_000)
    ap.add_argument("--method", default="tfidf", choices=["auto", "tfidf", "embedder"])
    args = ap.parse_args()
    labels = json.loads(LABELS.read_text(encoding="utf-8"))
    report: dict = {"thread_vectors": args.method}
    report["followup_detection"] = {"seeds": followup_detection(seed_docs(labels)),
                                    "synthetic": followup_detection(synthetic_docs())}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # Synthetic series: threads and follow-up status.
        a = Archive(tmp / "syn.sqlite")
        refs = make_series.write_series(a)
        settings = load_settings(archive_dir=tmp)
        build_threads(a, settings, method=args.method)
        report["thread_vectors"] = a.get_setting("threads_method")
        syn = json.loads((make_series.DEFAULT_OUT / "labels.json").read_text(encoding="utf-8"))
        report["threads"] = {"synthetic": thread_scores(a, refs, syn["threads"])}
        detect_meeting_followups(a)
        got = {(r.item_id, _norm(r.sentence)[:30]): r for r in assess(a)}
        ok, status_rows = 0, []
        for lab in syn["followups"]:
            r = got.get((refs[lab["item"]], _norm(lab["sentence"])[:30]))
            want = refs[lab["answered_by"]] if lab["answered_by"] else None
            right = r is not None and r.status == lab["status"] and r.answered_by_item_id == want
            ok += right
            if not right:
                status_rows.append({"sentence": lab["sentence"], "label": lab["status"],
                                    "got": r and r.status, "reason": r and r.answered_reason})
        report["followup_status_synthetic"] = {"correct": ok, "total": len(syn["followups"]), "errors": status_rows}
        a.close()
        # Seeds: threads over hand-segmented items.
        srefs = seed_archive(tmp / "seed.sqlite", labels)
        s = Archive(tmp / "seed.sqlite")
        build_threads(s, settings, method=args.method)
        report["threads"]["seeds"] = thread_scores(s, srefs, labels["threads"])
        s.close()
        if args.method != "tfidf":
            # Seeds as users get them: real readers, segmenter, e5 vectors,
            # topics and entities (the link bonuses), then relinking.
            from ingest.pipeline import ingest_paths

            real = load_settings(archive_dir=tmp / "pipeline")
            ingest_paths([str(ROOT / "corpus" / Path(f).name) for f in labels["meetings"]], real)
            with Archive(real.db_path) as p:
                prefs = pipeline_seed_refs(p, labels)
                known = {k: v for k, v in labels["threads"].items() if all(r in prefs for r in v)}
                report["threads"]["seeds_pipeline"] = {**thread_scores(p, prefs, known),
                                                       "labelled_threads_matched": f"{len(known)}/{len(labels['threads'])}"}
        # Scale: N meetings.
        big = Archive(tmp / "big.sqlite")
        gen = make_series.generate_archive(big, args.meetings)
        report["scale"] = {"meetings": gen["meetings"], "items": big.count("items"), "generate_s": gen["seconds"]}
        timings = {}
        t0 = time.perf_counter()
        tl = timeline(big, topic="klotter", by="quarter", settings=settings)
        timings["timeline_topic_all_bodies_s"] = round(time.perf_counter() - t0, 3)
        timings["timeline_topic_mentions"] = tl.total_items
        t0 = time.perf_counter()
        tl = timeline(big, topic="klotter", by="meeting", settings=settings, filters=Filters(municipality="Kommun042"))
        timings["timeline_topic_one_body_s"] = round(time.perf_counter() - t0, 3)
        t0 = time.perf_counter()
        tl = timeline(big, query="motorburen ungdom", settings=settings, mode="keyword", by="year")
        timings["timeline_query_keyword_all_s"] = round(time.perf_counter() - t0, 3)
        timings["timeline_query_mentions"] = tl.total_items
        timings["timeline_query_notes"] = tl.notes
        t0 = time.perf_counter()
        tl = timeline(big, query="motorburen ungdom", settings=settings, mode="keyword",
                      filters=Filters(municipality="Kommun042"))
        timings["timeline_query_keyword_one_body_s"] = round(time.perf_counter() - t0, 3)
        # Threads over the whole archive, then again with nothing changed, then after one new meeting.
        t0 = time.perf_counter()
        rep = build_threads(big, settings, method="tfidf")
        timings["threads_full_s"] = round(time.perf_counter() - t0, 3)
        timings["threads_full_links"] = rep.links
        timings["threads_largest"] = max((len(v) for v in _thread_sizes(big).values()), default=0)
        t0 = time.perf_counter()
        rep = build_threads(big, settings, method="tfidf")
        timings["threads_unchanged_s"] = round(time.perf_counter() - t0, 3)
        one = next(iter(make_series.load_series()))
        big.write_document(dataclasses.replace(one[0], source="gen/Kommun042/extra.txt", content_hash="extra"),
                           dataclasses.replace(one[1], municipality="Kommun042"), one[2])
        t0 = time.perf_counter()
        rep = build_threads(big, settings, method="tfidf")
        timings["threads_one_new_meeting_s"] = round(time.perf_counter() - t0, 3)
        timings["threads_one_new_meeting_scopes"] = rep.scopes
        t0 = time.perf_counter()
        b = brief(big, "Kommun042 trygghetsråd")
        render_markdown(b)
        timings["brief_cold_s"] = round(time.perf_counter() - t0, 3)
        t0 = time.perf_counter()
        b = brief(big, "Kommun043 trygghetsråd")
        render_markdown(b)
        timings["brief_warm_s"] = round(time.perf_counter() - t0, 3)
        timings["brief_meetings"] = b["sections"]["meetings"]["count"]
        report["scale"].update(timings)
        big.close()
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
