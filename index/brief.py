"""Catch-up brief for a body: what a new member wants to know on day one.

``brief(archive, "Hallstahammar trygghetsråd")`` collects, for the matched
meetings: meetings held and their span, recurring issues, open follow-ups,
people and their roles, and an extractive summary of the latest meeting.
:func:`render_markdown` turns it into Markdown with Swedish headings
("Möten", "Återkommande frågor", "Öppna uppföljningar", "Personer och
roller", "Senaste mötet"), or English ones with ``lang="en"``.

How ``BODY`` is matched (case-insensitive, å/ä/ö folded as Swedish): a
meeting matches when BODY is a substring of its body, or of
"<municipality> <body>", or when every word of BODY is a prefix of a word in
"<municipality> <body>" or has one as a prefix (so "Hallstahammars
trygghetsråd" matches municipality "Hallstahammar", body "Trygghetsråd").
Only meetings of kind ``minutes`` count as meetings held; other documents
(news, agendas) are listed separately. When BODY matches several councils
(e.g. "trygghetsråd"), the brief covers all of them and says so.

The summary is extractive: the latest meeting's sentences are scored by
TF-IDF centrality (cosine to the meeting's centroid) plus a small bonus for
coming early in their item; procedural items are skipped. No language model.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

_HEADINGS = {
    "sv": {
        "title": "Lägesbrev: {name}",
        "meetings": "Möten",
        "recurring": "Återkommande frågor",
        "followups": "Öppna uppföljningar",
        "people": "Personer och roller",
        "latest": "Senaste mötet",
        "covers": "Omfattar",
        "count": "{n} möten från {first} till {last}.",
        "none": "Inga möten hittades.",
        "undated": "Dokument utan datum",
        "other_docs": "Andra dokument (inte protokoll)",
        "in_meetings": "i {n} möten",
        "thread": "tråd: {n} punkter i {m} möten, {first}–{last}",
        "no_followups": "Inga öppna uppföljningar.",
        "no_recurring": "Inga frågor har återkommit i mer än ett möte ännu.",
        "seen": "med i {n} möten, senast {last}",
        "seen_one": "med i 1 möte, senast {last}",
        "followups_unchecked": "Uppföljningarna är inte lagrade (kör build_followups); visade här efter direkt analys.",
        "made": "lovat",
        "due": "senast",
        "unknown_date": "okänt datum",
    },
    "en": {
        "title": "Catch-up brief: {name}",
        "meetings": "Meetings",
        "recurring": "Recurring issues",
        "followups": "Open follow-ups",
        "people": "People and roles",
        "latest": "Latest meeting",
        "covers": "Covers",
        "count": "{n} meetings from {first} to {last}.",
        "none": "No meetings found.",
        "undated": "Documents without a date",
        "other_docs": "Other documents (not minutes)",
        "in_meetings": "in {n} meetings",
        "thread": "thread: {n} items in {m} meetings, {first}–{last}",
        "no_followups": "No open follow-ups.",
        "no_recurring": "No issue has come up in more than one meeting yet.",
        "seen": "present at {n} meetings, last {last}",
        "seen_one": "present at 1 meeting, last {last}",
        "followups_unchecked": "Follow-ups are not stored (run build_followups); shown from on-the-fly analysis.",
        "made": "promised",
        "due": "due",
        "unknown_date": "unknown date",
    },
}

SECTION_ORDER = ("meetings", "recurring", "followups", "people", "latest")


def _fold(text: str | None) -> str:
    return (text or "").casefold()


def match_body(query: str, body: str | None, municipality: str | None) -> bool:
    """Whether a meeting's body/municipality matches ``query`` (see module doc)."""
    q = _fold(query).strip()
    if not q:
        return True
    b, full = _fold(body), _fold(" ".join(x for x in (municipality, body) if x))
    if q in b or q in full:
        return True
    words = re.findall(r"\w+", full)
    return all(
        any(w.startswith(qw) or (len(w) >= 4 and qw.startswith(w)) for w in words) for qw in re.findall(r"\w+", q)
    )


def _matched_meetings(archive, body: str) -> list[dict[str, Any]]:
    return [m for m in archive.meetings() if match_body(body, m.get("body"), m.get("municipality"))]


def _sentences(text: str) -> list[str]:
    from ingest.followups import split_sentences

    return [s.text for s in split_sentences(text)]


def summarise(items: list[dict[str, Any]], n: int = 4) -> list[dict[str, Any]]:
    """Pick ``n`` central sentences from a meeting's items (document order)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from index.keyword import analyze
    from index.threads import is_procedural

    cands = []
    for item in items:
        if is_procedural(item.get("title")):
            continue
        sents = _sentences(item.get("text") or "")
        for pos, s in enumerate(sents):
            words = s.split()
            if len(words) < 6 or len(words) > 60 or s.endswith("?"):
                continue
            if sum(1 for w in words if w[:1].isupper()) > 0.5 * len(words):  # name lists
                continue
            cands.append({"item_id": item["id"], "item_title": item.get("title"), "sentence": s,
                          "position": pos, "n_sents": len(sents), "order": len(cands)})
    if not cands:
        return []
    if len(cands) <= n:
        return [{k: c[k] for k in ("item_id", "item_title", "sentence")} for c in cands]
    vec = TfidfVectorizer(analyzer=lambda t: analyze(t).split(), sublinear_tf=True)
    mat = vec.fit_transform([c["sentence"] for c in cands])
    centroid = mat.mean(axis=0).A1
    norm = (centroid @ centroid) ** 0.5 or 1.0
    central = (mat @ centroid) / norm
    for c, score in zip(cands, central):
        c["score"] = float(score) + 0.1 * (1 - c["position"] / max(1, c["n_sents"]))
    chosen = sorted(cands, key=lambda c: -c["score"])
    picked, per_item = [], Counter()
    for c in chosen:  # at most two sentences per item, for coverage
        if per_item[c["item_id"]] >= 2:
            continue
        picked.append(c)
        per_item[c["item_id"]] += 1
        if len(picked) == n:
            break
    picked.sort(key=lambda c: c["order"])
    return [{"item_id": c["item_id"], "item_title": c["item_title"], "sentence": c["sentence"],
             "score": round(c["score"], 3)} for c in picked]


def _people(archive, meetings: list[dict[str, Any]], body: str) -> list[dict[str, Any]]:
    people: dict[str, dict[str, Any]] = {}
    for m in meetings:
        listed = list(m.get("participants") or [])
        for key, role in (("chair", "ordförande"), ("secretary", "sekreterare")):
            if m.get(key):
                listed.append({"name": m[key], "role": role})
        for p in listed:
            name = (p.get("name") or "").strip()
            if not name:
                continue
            rec = people.setdefault(name.casefold(), {"name": name, "roles": [], "party": None, "groups": [],
                                                      "meetings": set(), "last_date": None})
            if p.get("role") and p["role"] not in rec["roles"]:
                rec["roles"].append(p["role"])
            if p.get("group") and p["group"] not in rec["groups"]:
                rec["groups"].append(p["group"])
            rec["party"] = rec["party"] or p.get("party")
            rec["meetings"].add(m["id"])
            if m.get("date") and (rec["last_date"] is None or m["date"] > rec["last_date"]):
                rec["last_date"] = m["date"]
    # People found in the text (merged name variants, roles from the text;
    # people() leaves out single unsupported tagger hits such as "Badkort").
    from ingest.people import people as people_of

    for p in people_of(archive, body=body) or []:
        name = (p.get("name") or "").strip()
        if not name:
            continue
        rec = people.setdefault(name.casefold(), {"name": name, "roles": [], "party": None, "groups": [],
                                                  "meetings": set(), "last_date": None})
        rec["roles"].extend(r for r in p.get("roles") or [] if r)
        rec["party"] = rec["party"] or p.get("party")
        rec.setdefault("mentioned_in", p.get("meetings") or 0)
        if p.get("last_seen") and (rec["last_date"] is None or p["last_seen"] > rec["last_date"]):
            rec["last_date"] = p["last_seen"]
    out = []
    for rec in people.values():
        rec["meeting_count"] = max(len(rec.pop("meetings")), rec.pop("mentioned_in", 0))
        seen: set[str] = set()  # same role written with other case ("… på Socialförvaltningen")
        rec["roles"] = [r for r in rec["roles"] if not (r.casefold() in seen or seen.add(r.casefold()))]
        out.append(rec)
    out.sort(key=lambda r: (-r["meeting_count"], r["name"]))
    return out


def brief(archive, body: str, *, settings=None, lang: str = "sv", summary_sentences: int = 4,
          max_issues: int = 10) -> dict[str, Any]:
    """Collect the catch-up brief for ``body``.

    Args:
        archive: The open archive.
        body: Body to match (see module doc), e.g. "Hallstahammar trygghetsråd".
        settings: Unused today (kept for an embedding-based summary).
        lang: ``sv`` or ``en`` for the prose in the rendered brief.
        summary_sentences: Sentences in the latest-meeting summary.
        max_issues: Recurring issues listed.

    Returns:
        A dict with ``query``, ``lang``, ``bodies``, ``sections`` (the keys in
        :data:`SECTION_ORDER`) and ``notes``.
    """
    from index.threads import has_threads, threads
    from ingest.followups import STATUS_OPEN, assess, followups, has_followups

    all_docs = _matched_meetings(archive, body)
    meetings = [m for m in all_docs if m.get("kind") == "minutes"] or all_docs
    other = [m for m in all_docs if m not in meetings]
    ids = [m["id"] for m in meetings]
    dated = [m for m in meetings if m.get("date")]
    bodies = sorted({" ".join(x for x in (m.get("municipality"), m.get("body")) if x) for m in meetings})
    notes: list[str] = []
    if len(bodies) > 1:
        notes.append(("Flera råd matchade: " if lang == "sv" else "Several bodies matched: ") + ", ".join(bodies))

    items = [i for mid in ids for i in archive.items(meeting_id=mid)]
    item_ids = {i["id"] for i in items}

    # Recurring issues: topics by number of meetings, then threads.
    from ingest.topics import load_taxonomy

    procedural = {t.id for t in load_taxonomy() if t.procedural}
    topic_meetings: dict[str, set[int]] = defaultdict(set)
    topic_dates: dict[str, list[str]] = defaultdict(list)
    for it in items:
        for t in it.get("topics") or []:
            if t["id"] in procedural:
                continue
            topic_meetings[t["label"]].add(it["meeting_id"])
            if it.get("date"):
                topic_dates[t["label"]].append(it["date"])
    topics = [
        {"label": label, "meeting_count": len(ms), "first_date": min(topic_dates[label], default=None),
         "last_date": max(topic_dates[label], default=None)}
        for label, ms in topic_meetings.items() if len(ms) >= 2
    ]
    topics.sort(key=lambda t: (-t["meeting_count"], t["label"]))
    thread_list = []
    if has_threads(archive) and item_ids:
        for t in threads(archive, item_ids=item_ids):
            own = [i for i in t["items"] if i["item_id"] in item_ids]
            if len({i["meeting_id"] for i in own}) < 2 and t["meeting_count"] < 2:
                continue
            thread_list.append({k: t[k] for k in ("thread_id", "label", "size", "meeting_count", "first_date",
                                                   "last_date", "bodies")}
                               | {"titles": list(dict.fromkeys(i["title"] for i in t["items"]))[:4]})
    # Open follow-ups.
    if has_followups(archive):
        open_fus = followups(archive, status=STATUS_OPEN, meeting_ids=ids)
    else:
        notes.append(_HEADINGS[lang]["followups_unchecked"])
        open_fus = [f for f in assess(archive, meeting_ids=ids) if f["status"] == STATUS_OPEN]
    open_fus = [{k: f.get(k) for k in ("who", "what", "due", "sentence", "date", "item_id", "item_title",
                                       "meeting_id")} for f in open_fus]
    # Latest meeting.
    latest = max(dated, key=lambda m: (m["date"], m["id"])) if dated else (meetings[-1] if meetings else None)
    latest_section = None
    if latest is not None:
        latest_items = [i for i in items if i["meeting_id"] == latest["id"]]
        latest_section = {
            "meeting_id": latest["id"], "date": latest.get("date"), "source": latest.get("source"),
            "title": latest.get("title"), "items": [i["title"] for i in latest_items],
            "summary": summarise(latest_items, summary_sentences),
        }
    sections = {
        "meetings": {
            "count": len(meetings),
            "first_date": min((m["date"] for m in dated), default=None),
            "last_date": max((m["date"] for m in dated), default=None),
            "list": [{"meeting_id": m["id"], "date": m.get("date"), "source": m.get("source"),
                      "body": m.get("body"), "municipality": m.get("municipality"),
                      "item_count": m.get("item_count")} for m in meetings],
            "undated": [m.get("source") for m in meetings if not m.get("date")],
            "other_documents": [{"source": m.get("source"), "kind": m.get("kind"), "date": m.get("date")} for m in other],
        },
        "recurring": {"topics": topics[:max_issues], "threads": thread_list[:max_issues]},
        "followups": open_fus,
        "people": _people(archive, meetings, body),
        "latest": latest_section,
    }
    return {"query": body, "lang": lang, "bodies": bodies, "sections": sections, "notes": notes}


def render_markdown(b: dict[str, Any]) -> str:
    """Render a brief as Markdown (headings in the brief's language)."""
    h = _HEADINGS.get(b.get("lang", "sv"), _HEADINGS["sv"])
    s = b["sections"]
    name = ", ".join(b["bodies"]) or b["query"]
    out = [f"# {h['title'].format(name=name)}", ""]
    for note in b.get("notes", []):
        out += [f"> {note}", ""]
    m = s["meetings"]
    out += [f"## {h['meetings']}", ""]
    if m["count"]:
        out.append(h["count"].format(n=m["count"], first=m["first_date"] or "–", last=m["last_date"] or "–"))
        out.append("")
        for mt in m["list"]:
            out.append(f"- {mt['date'] or h['unknown_date']} – {mt['source']}")
    else:
        out.append(h["none"])
    if m["undated"]:
        out += ["", f"**{h['undated']}:** " + ", ".join(m["undated"])]
    if m["other_documents"]:
        out += ["", f"**{h['other_docs']}:** " + ", ".join(d["source"] for d in m["other_documents"])]
    out += ["", f"## {h['recurring']}", ""]
    rec = s["recurring"]
    if not rec["topics"] and not rec["threads"]:
        out.append(h["no_recurring"])
    for t in rec["topics"]:
        out.append(f"- **{t['label']}** – {h['in_meetings'].format(n=t['meeting_count'])}"
                   f" ({t['first_date'] or '–'}–{t['last_date'] or '–'})")
    for t in rec["threads"]:
        titles = "; ".join(t["titles"])
        out.append(f"- {t['label']} – {h['thread'].format(n=t['size'], m=t['meeting_count'], first=t['first_date'] or '–', last=t['last_date'] or '–')}: {titles}")
    out += ["", f"## {h['followups']}", ""]
    if not s["followups"]:
        out.append(h["no_followups"])
    for f in s["followups"]:
        who = f"{f['who']}: " if f.get("who") else ""
        due = f" ({h['due']} {f['due']})" if f.get("due") else ""
        out.append(f"- {f.get('date') or h['unknown_date']} – {who}{f['what']}{due} _{f.get('item_title') or ''}_")
    out += ["", f"## {h['people']}", ""]
    for p in s["people"]:
        roles = ", ".join(p["roles"])
        party = f" ({p['party']})" if p.get("party") else ""
        seen = h["seen_one" if p["meeting_count"] == 1 else "seen"].format(
            n=p["meeting_count"], last=p.get("last_date") or "–")
        out.append(f"- **{p['name']}**{party}" + (f" – {roles}" if roles else "") + f"; {seen}")
    out += ["", f"## {h['latest']}", ""]
    latest = s["latest"]
    if latest:
        out.append(f"**{latest['date'] or h['unknown_date']}** – {latest['source']}")
        out.append("")
        for sent in latest["summary"]:
            out.append(f"- {sent['sentence']} _({sent['item_title']})_")
    return "\n".join(out).rstrip() + "\n"
