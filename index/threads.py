"""Issue threads: agenda items in different meetings that deal with the same issue.

Linking rule (one pass, chronological):

* Items are ordered by meeting date, then meeting id (undated meetings sort
  after all dated ones, in ingest order; their links carry the reason
  "odaterat möte" because the direction is then a guess).
* For every item, the candidates are items of *earlier* meetings (never the
  same meeting). Each candidate gets ``score = similarity + bonuses``:
  similarity is the cosine of item vectors (mean of the item's passage
  vectors, L2-normalised); bonuses are :data:`TOPIC_BONUS` per shared topic
  (at most 2) and :data:`ENTITY_BONUS` per shared canonical person,
  organisation or place (at most 3).
* The item links to its single best predecessor when ``similarity >=
  min_sim`` and ``score >= link_threshold`` (see :data:`THRESHOLDS`; they
  depend on how the vectors were made). Greedy best-predecessor linking means
  a thread reads from the first mention to the latest and an item is never
  pulled into two threads through two weak links.
* Threads are the connected components of the links (union-find); the thread
  id is the id of its earliest item.
* Procedural items (the ``procedural_titles`` list in
  ``ingest/data/followups.yaml``: "Närvaro", "Föregående minnesanteckningar",
  "Övriga frågor" …) are never linked.

Every link stores ``reasons`` in Swedish, e.g. ``["likhet 0.87",
"gemensamt ämne: motorburen ungdom", "gemensam plats: Hallstahammar"]``.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

#: Per-method thresholds: ``(min_sim, link_threshold)``. ``embedder`` values
#: are for multilingual-e5 cosines (which sit high: unrelated Swedish
#: paragraphs are often ~0.75-0.80); ``tfidf`` for TF-IDF cosines over
#: stemmed Swedish terms. The e5 values were raised from (0.83, 0.88) after
#: the corpus archive showed one connected thread of 85 items: mean passage
#: vectors of long administrative items sit at 0.85-0.95 to each other. At
#: (0.86, 0.94) a link between items below ~0.90 needs shared topics or
#: entities, the motorburen-ungdom link (Arboga -> Hallstahammar) survives
#: and the largest thread has 22 items (bench/recurrence.py measures it).
THRESHOLDS: dict[str, tuple[float, float]] = {
    "embedder": (0.86, 0.94),
    "tfidf": (0.10, 0.22),
    "given": (0.86, 0.94),
}
TOPIC_BONUS = 0.04
ENTITY_BONUS = 0.02
#: How many nearest earlier items are scored per item.
CANDIDATES_PER_ITEM = 12


_PLACE_LABELS = {"loc", "gpe", "place", "plats", "location", "lok"}
_PERSON_LABELS = {"per", "person", "prs", "pers"}
_ORG_LABELS = {"org", "organisation", "organization", "orgn"}


@lru_cache(maxsize=1)
def _procedural() -> re.Pattern[str]:
    import yaml

    path = Path(__file__).resolve().parent.parent / "ingest" / "data" / "followups.yaml"
    pats = yaml.safe_load(path.read_text(encoding="utf-8")).get("procedural_titles", [])
    return re.compile(r"^\s*(?:\d+[.)]?\s*|§\s*\d+\s*)?(?:" + "|".join(f"(?:{p})" for p in pats) + r")\s*[.:]?\s*$", re.I)


def is_procedural(title: str | None) -> bool:
    """Whether an item title is procedure (attendance, minutes approval …)."""
    return bool(title) and bool(_procedural().match(title))


# -- vectors ----------------------------------------------------------------------


def _tfidf_matrix(texts: list[str]):
    from sklearn.feature_extraction.text import TfidfVectorizer

    from index.keyword import analyze
    from ingest.followups import _stop_terms

    stop = _stop_terms()

    def tokens(text: str) -> list[str]:
        return [t for t in analyze(text).split() if t not in stop and len(t) > 2 and not t.isdigit()]

    vec = TfidfVectorizer(analyzer=tokens, sublinear_tf=True, min_df=1)
    return vec.fit_transform(texts)  # rows are L2-normalised


def item_vectors(archive, settings=None, method: str = "auto", item_ids: list[int] | None = None):
    """Compute item vectors.

    Args:
        archive: The open archive.
        settings: Settings for the embedder.
        method: ``embedder`` (mean of passage embeddings; the item title and
            text when it has no passages), ``tfidf`` (stemmed Swedish terms),
            or ``auto`` (embedder if it loads, else tfidf).
        item_ids: Restrict to these items.

    Returns:
        ``(ids, matrix, method_used)``; rows of ``matrix`` are L2-normalised
        (a dense ``np.ndarray`` or a scipy sparse matrix for tfidf).
    """
    rows = archive.items(item_ids=item_ids) if item_ids is not None else archive.items()
    ids = [r["id"] for r in rows]
    use_model = method == "embedder" or (method == "auto" and settings is not None and settings.embed)
    if use_model:
        try:
            return ids, stored_item_vectors(archive, settings, rows), "embedder"
        except Exception:  # noqa: BLE001 - fall back to tfidf in auto mode
            if method == "embedder":
                raise
    return ids, _tfidf_matrix([f"{r['title']}\n{r['text']}" for r in rows]), "tfidf"


def stored_item_vectors(archive, settings, rows: list[dict[str, Any]]) -> np.ndarray:
    """Item vectors from the FAISS index (:meth:`VectorIndex.item_means`).

    Items whose passages are missing from the index (embedding off or
    failed) are encoded from title and text.
    """
    from index.embeddings import load_embedder
    from index.vectors import VectorIndex

    embedder = load_embedder(settings)
    means = VectorIndex.open(settings, embedder).item_means(archive)
    mat = np.zeros((len(rows), embedder.dim), dtype=np.float32)
    missing = []
    for n, r in enumerate(rows):
        if r["id"] in means:
            mat[n] = means[r["id"]]
        else:
            missing.append(n)
    if missing:
        texts = [f"{rows[n]['title']}\n{rows[n]['text'][:2000]}" for n in missing]
        mat[missing] = np.asarray(embedder.encode_passages(texts), dtype=np.float32)
    return mat


# -- linking -------------------------------------------------------------------------


def _enrichment(row: dict[str, Any]) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    topics = {t["id"]: t["label"] for t in row.get("topics") or []}
    ents: dict[str, tuple[str, str]] = {}
    for e in row.get("entities") or []:
        label = (e.get("label") or "").casefold()
        name = (e.get("canonical") or e.get("text") or "").strip()
        if not name:
            continue
        if label in _PLACE_LABELS:
            kind = "plats"
        elif label in _PERSON_LABELS:
            kind = "person"
        elif label in _ORG_LABELS:
            kind = "organisation"
        else:
            continue
        ents[f"{kind}:{name.casefold()}"] = (kind, name)
    return topics, ents


def compute_links(
    archive,
    settings=None,
    vectors: dict[int, np.ndarray] | None = None,
    *,
    method: str = "auto",
    min_sim: float | None = None,
    link_threshold: float | None = None,
) -> tuple[list[dict[str, Any]], str]:
    """Compute best-predecessor links without storing them.

    Returns:
        ``(links, method_used)``; each link has ``src_item_id`` (earlier),
        ``dst_item_id`` (later), ``score``, ``similarity`` and ``reasons``.
    """
    rows = archive.items()
    rows = [r for r in rows if not is_procedural(r["title"])]
    if vectors is not None:
        rows = [r for r in rows if r["id"] in vectors]
        ids = [r["id"] for r in rows]
        mat = np.stack([np.asarray(vectors[i], dtype=np.float32) for i in ids]) if ids else np.zeros((0, 1))
        mat = mat / np.maximum(np.linalg.norm(mat, axis=1, keepdims=True), 1e-9)
        used = "given"
    else:
        ids, mat, used = item_vectors(archive, settings, method, item_ids=[r["id"] for r in rows])
        order = {i: n for n, i in enumerate(ids)}
        rows = sorted(rows, key=lambda r: order[r["id"]])
    if not rows:
        return [], used
    d_min, d_link = THRESHOLDS[used]
    min_sim = d_min if min_sim is None else min_sim
    link_threshold = d_link if link_threshold is None else link_threshold

    # Chronological rank: dated meetings by date, undated after them.
    keys = [(0 if r["date"] else 1, r["date"] or "", r["meeting_id"]) for r in rows]
    meeting = np.array([r["meeting_id"] for r in rows])
    rank_of_key = {k: n for n, k in enumerate(sorted(set(keys)))}
    rank = np.array([rank_of_key[k] for k in keys])
    enrich = [_enrichment(r) for r in rows]
    links: list[dict[str, Any]] = []
    n = len(rows)
    block = 1024
    for b0 in range(0, n, block):
        b1 = min(n, b0 + block)
        sims = mat[b0:b1] @ mat.T
        sims = sims.toarray() if hasattr(sims, "toarray") else np.asarray(sims)
        earlier = rank[None, :] < rank[b0:b1, None]
        sims = np.where(earlier & (meeting[None, :] != meeting[b0:b1, None]), sims, -1.0)
        k = min(CANDIDATES_PER_ITEM, n)
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k] if n > k else np.tile(np.arange(n), (b1 - b0, 1))
        for local, j in enumerate(range(b0, b1)):
            best = None
            for i in top[local]:
                sim = float(sims[local, i])
                if sim < min_sim:
                    continue
                topics_i, ents_i = enrich[i]
                topics_j, ents_j = enrich[j]
                shared_topics = sorted(set(topics_i) & set(topics_j))
                shared_ents = sorted(set(ents_i) & set(ents_j))
                score = sim + TOPIC_BONUS * min(len(shared_topics), 2) + ENTITY_BONUS * min(len(shared_ents), 3)
                if score >= link_threshold and (best is None or score > best[0]):
                    reasons = [f"likhet {sim:.2f}"]
                    reasons += [f"gemensamt ämne: {topics_j[t]}" for t in shared_topics]
                    reasons += [f"gemensam {ents_j[e][0]}: {ents_j[e][1]}" for e in shared_ents]
                    if keys[j][0] or keys[i][0]:
                        reasons.append("odaterat möte: ordningen är osäker")
                    best = (score, int(i), sim, reasons)
            if best is not None:
                links.append(
                    {
                        "src_item_id": rows[best[1]]["id"],
                        "dst_item_id": rows[j]["id"],
                        "score": round(best[0], 4),
                        "similarity": round(best[2], 4),
                        "reasons": best[3],
                    }
                )
    return links, used


def _components(links: list[dict[str, Any]]) -> dict[int, int]:
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in links:
        a, b = find(link["src_item_id"]), find(link["dst_item_id"])
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {x: find(x) for x in list(parent)}


def build_threads(archive, settings=None, vectors: dict[int, np.ndarray] | None = None, **options: Any) -> int:
    """Compute issue threads and store them (replacing earlier ones).

    Args:
        archive: The open archive.
        settings: Settings (for the embedder when ``vectors`` is None).
        vectors: Item vectors by item id; when None they are computed with
            the embedder, or TF-IDF if no embedder can be loaded.
        **options: ``method``, ``min_sim``, ``link_threshold`` for
            :func:`compute_links`.

    Returns:
        The number of links stored.
    """
    links, used = compute_links(archive, settings, vectors, **options)
    comp = _components(links)
    chron = {
        r["id"]: (0 if r["date"] else 1, r["date"] or "", r["meeting_id"], r["ordinal"])
        for r in archive.items(item_ids=list(comp))
    }
    members: dict[int, list[int]] = defaultdict(list)
    for item, root in comp.items():
        members[root].append(item)
    with archive.transaction() as c:
        c.execute("DELETE FROM thread_links")
        c.execute("DELETE FROM threads")
        c.executemany(
            "INSERT INTO thread_links(src_item_id, dst_item_id, score, similarity, reasons, method) VALUES (?,?,?,?,?,?)",
            [
                (l["src_item_id"], l["dst_item_id"], l["score"], l["similarity"], json.dumps(l["reasons"], ensure_ascii=False), used)
                for l in links
            ],
        )
        for items in members.values():
            items.sort(key=lambda i: chron[i])
            c.executemany(
                "INSERT INTO threads(item_id, thread_id, position) VALUES (?,?,?)",
                [(item, items[0], pos) for pos, item in enumerate(items)],
            )
    archive.set_setting("threads_method", used)
    return len(links)


def has_threads(archive) -> bool:
    """Whether threads have been built."""
    try:
        return archive.conn.execute("SELECT 1 FROM threads LIMIT 1").fetchone() is not None
    except Exception:  # noqa: BLE001 - table absent
        return False


def _thread_items(archive, thread_id: int) -> list[dict[str, Any]]:
    rows = archive.conn.execute(
        "SELECT t.item_id, t.thread_id, t.position, i.meeting_id, i.number, i.title, m.date, m.body,"
        " m.municipality, d.source, l.src_item_id AS predecessor, l.score, l.similarity, l.reasons"
        " FROM threads t JOIN items i ON i.id = t.item_id JOIN meetings m ON m.id = i.meeting_id"
        " JOIN documents d ON d.id = m.document_id"
        " LEFT JOIN thread_links l ON l.dst_item_id = t.item_id"
        " WHERE t.thread_id = ? ORDER BY t.position",
        (thread_id,),
    ).fetchall()
    out = []
    for r in rows:
        d = dict(r)
        d["reasons"] = json.loads(d["reasons"]) if d["reasons"] else []
        out.append(d)
    return out


def thread_for_item(archive, item_id: int) -> list[dict[str, Any]]:
    """The thread an item belongs to, first mention first (empty if none).

    Each entry has ``item_id``, ``thread_id``, ``position``, ``meeting_id``,
    ``number``, ``title``, ``date``, ``body``, ``municipality``, ``source``
    and, except for the first, ``predecessor``, ``score``, ``similarity``
    and ``reasons`` of the link that joined it.
    """
    row = archive.conn.execute("SELECT thread_id FROM threads WHERE item_id = ?", (item_id,)).fetchone()
    return _thread_items(archive, row[0]) if row else []


def threads(
    archive,
    topic: str | None = None,
    query: str | None = None,
    *,
    body: str | None = None,
    item_ids: set[int] | None = None,
) -> list[dict[str, Any]]:
    """List threads, those spanning most meetings first.

    Args:
        archive: The open archive.
        topic: Keep threads with an item carrying this topic (id or label).
        query: Keep threads with an item matching all query terms (keyword index).
        body: Keep threads with an item of a matching body (substring, case-folded).
        item_ids: Keep threads touching these items.

    Returns:
        Dicts with ``thread_id``, ``label``, ``size``, ``meeting_count``,
        ``first_date``, ``last_date``, ``bodies``, ``topics`` (label → item
        count) and ``items`` (as from :func:`thread_for_item`).
    """
    keep: set[int] | None = None

    def restrict(ids: set[int]) -> None:
        nonlocal keep
        keep = ids if keep is None else keep & ids

    if topic:
        restrict({r[0] for r in archive.conn.execute(
            "SELECT item_id FROM item_topics WHERE topic_id = ? OR label = ?", (topic, topic))})
    if query:
        from index.keyword import analyze

        terms = list(dict.fromkeys(analyze(query).split()))
        expr = " AND ".join(f'"{t}"' for t in terms)
        restrict({r[0] for r in archive.conn.execute("SELECT rowid FROM items_fts WHERE items_fts MATCH ?", (expr,))} if expr else set())
    if body:
        restrict(archive.filter_item_ids(body=body) or set())
    if item_ids is not None:
        restrict(set(item_ids))
    rows = archive.conn.execute("SELECT item_id, thread_id FROM threads").fetchall()
    wanted = {r[1] for r in rows if keep is None or r[0] in keep}
    topic_rows = defaultdict(list)
    for r in archive.conn.execute(
        "SELECT t.thread_id, it.label FROM threads t JOIN item_topics it ON it.item_id = t.item_id"
    ):
        topic_rows[r[0]].append(r[1])
    out = []
    for tid in wanted:
        items = _thread_items(archive, tid)
        dates = [i["date"] for i in items if i["date"]]
        topics = Counter(topic_rows.get(tid, []))
        label = topics.most_common(1)[0][0] if topics else items[0]["title"]
        out.append(
            {
                "thread_id": tid,
                "label": label,
                "size": len(items),
                "meeting_count": len({i["meeting_id"] for i in items}),
                "first_date": min(dates) if dates else None,
                "last_date": max(dates) if dates else None,
                "bodies": sorted({" ".join(x for x in (i["municipality"], i["body"]) if x) for i in items}),
                "topics": dict(topics.most_common()),
                "items": items,
            }
        )
    out.sort(key=lambda t: (-t["meeting_count"], -t["size"], t["last_date"] or "", t["thread_id"]))
    return out
