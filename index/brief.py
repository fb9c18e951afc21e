"""Catch-up brief for a body: what a new member wants to know on day one.

``brief(archive, "Hallstahammar trygghetsråd")`` collects, for the matched
meetings: meetings held and their span, recurring issues, open follow-ups,
people and their roles, and an extractive summary of the latest meeting.
:func:`render_markdown` turns it into Markdown with Swedish headings
("Möten", "Återkommande frågor", "Öppna uppföljningar", "Personer och
roller", "Senaste mötet"), or English ones with ``lang="en"``.

``BODY`` names one council, (municipality, body) (:mod:`radslag.councils`):
its key ("hallstahammar/trygghetsråd"), its display name, or free text by
the ``body`` filter rule (each word begins a word of "<municipality> <body>",
case-insensitive, a genitive "-s" allowed, definite forms and abbreviations
normalised), so "Hallstahammars trygghetsråd" is municipality "Hallstahammar",
body "Trygghetsråd". A text that fits no council is an error naming the
closest ones; a text that fits several ("trygghetsråd") is an error listing
them, never a brief that mixes municipalities. Only meetings of kind
``minutes`` count as meetings held; the council's other documents (news,
agendas) are listed separately. Dates are shown as precisely as known
(:func:`radslag.periods.when`): a meeting known only by its year is "2021 (år)",
not undated.

The summary is extractive: the latest meeting's sentences are scored by
TF-IDF centrality (cosine to the meeting's centroid) plus a small bonus for
coming early in their item; procedural items are skipped. No language model.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sklearn.feature_extraction.text import TfidfVectorizer

from index.followups import assess, followups, present
from index.keyword import analyze
from index.people import people as people_of
from index.store import STATUS_OPEN, Archive
from index.threads import has_threads, is_procedural, threads
from index.councils import council as resolve_council
from radslag.config import Settings
from radslag.errors import RadslagError
from radslag.i18n import t
from radslag.periods import chronological, date_source, when, when_label
from radslag.lang import split_sentences
from radslag.taxonomy import load_taxonomy
from radslag.types import Filters, Item, Meeting


def summarise(items: list[Item], n: int = 4) -> list[dict[str, Any]]:
    """Pick ``n`` central sentences from a meeting's items (document order)."""
    cands = []
    for item in items:
        if is_procedural(item.title):
            continue
        sents = [s.text for s in split_sentences(item.text or "")]
        for pos, s in enumerate(sents):
            words = s.split()
            if len(words) < 6 or len(words) > 60 or s.endswith("?"):
                continue
            if sum(1 for w in words if w[:1].isupper()) > 0.5 * len(words):  # name lists
                continue
            cands.append({"item_id": item.id, "item_title": item.title, "sentence": s,
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


def _people(archive: Archive, meetings: list[Meeting], filters: Filters) -> list[dict[str, Any]]:
    people: dict[str, dict[str, Any]] = {}
    for m in meetings:
        listed = [(p.name, p.role, p.group, p.party) for p in m.participants]
        for names, role in ((m.chair, "ordförande"), (m.secretary, "sekreterare")):
            # two signing side by side are read as "A, B" (ingest.metadata._cell_names)
            listed += [(name, role, None, None) for name in (names or "").split(", ") if name]
        for name, role, group, party in listed:
            name = (name or "").strip()
            if not name:
                continue
            rec = people.setdefault(name.casefold(), {"name": name, "roles": [], "party": None, "groups": [],
                                                      "meetings": set(), "last_date": None})
            if role and role not in rec["roles"]:
                rec["roles"].append(role)
            if group and group not in rec["groups"]:
                rec["groups"].append(group)
            rec["party"] = rec["party"] or party
            rec["meetings"].add(m.id)
            seen = when(m)
            if seen and (rec["last_date"] is None or chronological(seen) > chronological(rec["last_date"])):
                rec["last_date"] = seen
    # People found in the text (merged name variants, roles from the text;
    # people() leaves out single unsupported tagger hits such as "Badkort").
    for p in people_of(archive, filters):
        name = p.name.strip()
        if not name:
            continue
        rec = people.setdefault(name.casefold(), {"name": name, "roles": [], "party": None, "groups": [],
                                                  "meetings": set(), "last_date": None})
        rec["roles"].extend(r for r in p.roles if r)
        rec["party"] = rec["party"] or p.party
        rec.setdefault("mentioned_in", p.meetings)
        if p.last_seen and (rec["last_date"] is None or p.last_seen > rec["last_date"]):
            rec["last_date"] = p.last_seen
    out = []
    for rec in people.values():
        rec["meeting_count"] = max(len(rec.pop("meetings")), rec.pop("mentioned_in", 0))
        seen: set[str] = set()  # same role written with other case ("… på Socialförvaltningen")
        rec["roles"] = [r for r in rec["roles"] if not (r.casefold() in seen or seen.add(r.casefold()))]
        out.append(rec)
    out.sort(key=lambda r: (-r["meeting_count"], r["name"]))
    return out


def brief(archive: Archive, body: str, *, settings: Settings | None = None, lang: str = "sv",
          summary_sentences: int = 4, max_issues: int = 10) -> dict[str, Any]:
    """Collect the catch-up brief for ``body``.

    Args:
        archive: The open archive.
        body: The council (see module doc), e.g. "Hallstahammar trygghetsråd".
        settings: Unused today (kept for an embedding-based summary).
        lang: ``sv`` or ``en`` for the prose in the rendered brief.
        summary_sentences: Sentences in the latest-meeting summary.
        max_issues: Recurring issues listed.

    Returns:
        A dict with ``query``, ``lang``, ``bodies``, ``sections``
        (``meetings``, ``recurring``, ``followups``, ``people``, ``latest``)
        and ``notes``.

    Raises:
        RadslagError: When the archive holds no meeting at all (the message
            says how to add minutes, in ``lang``).
        FilterError: When ``body`` holds no word, fits no council (the
            closest named) or fits several (all listed).
    """
    Filters(body=body)  # a text with no word is refused before the archive is read
    if not archive.count("meetings"):  # not "unknown council, closest: –"
        raise RadslagError(t("brief_empty_archive", lang))
    chosen = resolve_council(archive, body)
    filters = Filters(council=chosen.key)
    all_docs = archive.meetings(filters)
    meetings = [m for m in all_docs if m.kind == "minutes"] or all_docs
    other = [m for m in all_docs if m not in meetings]
    ids = [m.id for m in meetings]
    known = [m for m in meetings if when(m)]
    bodies = [chosen.name]
    notes: list[str] = []

    items = archive.items(filters, meeting_ids=ids)  # one query, not one per meeting
    item_ids = {i.id for i in items}

    # Recurring issues: topics by number of meetings, then threads.
    procedural = {tp.id for tp in load_taxonomy() if tp.procedural}
    topic_meetings: dict[str, set[int]] = defaultdict(set)
    topic_dates: dict[str, list[str]] = defaultdict(list)
    for it in items:
        for tp in it.topics:
            if tp.id in procedural:
                continue
            topic_meetings[tp.label].add(it.meeting_id)
            if when(it):
                topic_dates[tp.label].append(when(it))
    topics = [
        {"label": label, "meeting_count": len(ms),
         "first_date": min(topic_dates[label], key=chronological, default=None),
         "last_date": max(topic_dates[label], key=chronological, default=None)}
        for label, ms in topic_meetings.items() if len(ms) >= 2
    ]
    topics.sort(key=lambda x: (-x["meeting_count"], x["label"]))
    thread_list = []
    if has_threads(archive) and item_ids:
        for th in threads(archive, item_ids=item_ids):
            own = [i for i in th.items if i.item_id in item_ids]
            if len({i.meeting_id for i in own}) < 2 and th.meeting_count < 2:
                continue
            thread_list.append({"thread_id": th.thread_id, "label": th.label, "size": th.size,
                                "meeting_count": th.meeting_count, "first_date": th.first_date,
                                "last_date": th.last_date, "bodies": th.bodies,
                                "titles": list(dict.fromkeys(i.title for i in th.items))[:4]})
    # Open follow-ups.
    if archive.followups_assessed():
        open_fus = followups(archive, status=STATUS_OPEN, meeting_ids=ids)
    else:
        notes.append(t("brief_followups_unchecked", lang))
        open_fus = present([f for f in assess(archive, meeting_ids=ids) if f.status == STATUS_OPEN])
    open_list = [{"who": f.who, "what": f.what, "due": f.due, "sentence": f.sentence, "date": f.date,
                  "item_id": f.item_id, "item_title": f.item_title, "meeting_id": f.meeting_id} for f in open_fus]
    # Latest meeting.
    latest = max(known, key=lambda m: (chronological(when(m)), m.id)) if known else (meetings[-1] if meetings else None)
    latest_section = None
    if latest is not None:
        latest_items = [i for i in items if i.meeting_id == latest.id]
        latest_section = {
            "meeting_id": latest.id, "date": when(latest), "precision": latest.date_precision,
            "date_source": date_source(latest), "source": latest.source,
            "title": latest.title, "items": [i.title for i in latest_items],
            "summary": summarise(latest_items, summary_sentences),
        }
    sections = {
        "meetings": {
            "count": len(meetings),
            "first_date": min((when(m) for m in known), key=chronological, default=None),
            "last_date": max((when(m) for m in known), key=chronological, default=None),
            "list": [{"meeting_id": m.id, "date": when(m), "precision": m.date_precision,
                      "date_source": date_source(m), "source": m.source, "body": m.body,
                      "municipality": m.municipality, "item_count": m.item_count}
                     for m in sorted(meetings, key=lambda m: (chronological(when(m)), m.id))],
            "undated": [m.source for m in meetings if not when(m)],
            "other_documents": [{"source": m.source, "kind": m.kind, "date": when(m)} for m in other],
        },
        "recurring": {"topics": topics[:max_issues], "threads": thread_list[:max_issues]},
        "followups": open_list,
        "people": _people(archive, meetings, filters),
        "latest": latest_section,
    }
    return {"query": body, "lang": lang, "council": chosen.name, "council_key": chosen.key, "bodies": bodies,
            "sections": sections, "notes": notes}


def _label(known: str | None, lang: str) -> str:
    """A :func:`~radslag.periods.when` value as users see it ("2021 (år)", "okänt datum")."""
    return when_label(known, lang)


def render_markdown(b: dict[str, Any]) -> str:
    """Render a brief as Markdown (headings in the brief's language)."""
    lang = b.get("lang", "sv")

    def h(key: str, **kw: Any) -> str:
        return t(f"brief_{key}", lang, **kw)

    s = b["sections"]
    name = ", ".join(b["bodies"]) or b["query"]
    out = [f"# {h('title', name=name)}", ""]
    for note in b.get("notes", []):
        out += [f"> {note}", ""]
    m = s["meetings"]
    out += [f"## {h('meetings')}", ""]
    if m["count"]:
        out.append(h("count", n=m["count"], first=m["first_date"] or "–", last=m["last_date"] or "–"))
        out.append("")
        for mt in m["list"]:
            out.append(f"- {_label(mt.get('date'), lang)} – {mt['source']}")
    else:
        out.append(h("none"))
    if m["undated"]:
        out += ["", f"**{h('undated')}:** " + ", ".join(m["undated"])]
    if m["other_documents"]:
        out += ["", f"**{h('other_docs')}:** " + ", ".join(d["source"] for d in m["other_documents"])]
    out += ["", f"## {h('recurring')}", ""]
    rec = s["recurring"]
    if not rec["topics"] and not rec["threads"]:
        out.append(h("no_recurring"))
    for tp in rec["topics"]:
        out.append(f"- **{tp['label']}** – {h('in_meetings', n=tp['meeting_count'])}"
                   f" ({tp['first_date'] or '–'}–{tp['last_date'] or '–'})")
    for th in rec["threads"]:
        titles = "; ".join(th["titles"])
        span = h("thread", n=th["size"], m=th["meeting_count"], first=th["first_date"] or "–",
                 last=th["last_date"] or "–")
        out.append(f"- {th['label']} – {span}: {titles}")
    out += ["", f"## {h('followups')}", ""]
    if not s["followups"]:
        out.append(h("no_followups"))
    for f in s["followups"]:
        who = f"{f['who']}: " if f.get("who") else ""
        due = f" ({h('due')} {f['due']})" if f.get("due") else ""
        out.append(f"- {_label(f.get('date'), lang)} – {who}{f['what']}{due} _{f.get('item_title') or ''}_")
    out += ["", f"## {h('people')}", ""]
    for p in s["people"]:
        roles = ", ".join(p["roles"])
        party = f" ({p['party']})" if p.get("party") else ""
        seen = h("seen_one" if p["meeting_count"] == 1 else "seen", n=p["meeting_count"],
                 last=p.get("last_date") or "–")
        out.append(f"- **{p['name']}**{party}" + (f" – {roles}" if roles else "") + f"; {seen}")
    out += ["", f"## {h('latest')}", ""]
    latest = s["latest"]
    if latest:
        out.append(f"**{_label(latest.get('date'), lang)}** – {latest['source']}")
        out.append("")
        for sent in latest["summary"]:
            out.append(f"- {sent['sentence']} _({sent['item_title']})_")
    return "\n".join(out).rstrip() + "\n"
