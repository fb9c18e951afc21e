"""Hybrid search over agenda items: FTS5/BM25 + FAISS, fused by reciprocal rank.

Both sides rank *agenda items*: the keyword side directly (FTS5 rows are
items), the dense side by the best-scoring passage of each item. Reciprocal
rank fusion (RRF) combines the two rankings without calibrating their scores;
each keyword hit's contribution is weighted by the share of query terms the
item matches, so a long paraphrase whose one generic word matches many items
does not drown the semantic side (measured in bench/quality.py).
If one side cannot run, the result carries a note saying so and lists the
modes actually used; there is no silent fallback.
"""

from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from index.embeddings import load_embedder
from index.keyword import analyze, match_query, query_groups
from index.store import Archive
from index.vectors import META_FILE, VectorIndex
from radslag.config import Settings
from radslag.errors import RadslagError
from radslag.lang import stopwords
from radslag.types import Filters, Item, Record

MODES = ("hybrid", "dense", "keyword")
ORDERS = ("relevance", "date")
#: RRF constant from Cormack et al. (2009); 60 is the customary value.
RRF_K = 60
#: How many candidates each side contributes before fusion.
CANDIDATES = 100
#: BM25 weights of the FTS5 columns: a term in the title counts twice.
BM25_WEIGHTS = (2.0, 1.0)


@dataclass
class Hit(Record):
    """One agenda item in a result list (``topics`` and ``entities`` as JSON objects)."""

    rank: int
    score: float
    item_id: int
    meeting_id: int
    source: str
    date: str | None
    body: str | None
    municipality: str | None
    kind: str | None
    item_number: str | None
    item_title: str
    snippet: str
    snippet_start: int | None = None
    topics: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    keyword_rank: int | None = None
    dense_rank: int | None = None
    dense_score: float | None = None


@dataclass
class SearchResult:
    """Hits plus what the search actually did."""

    query: str
    mode: str
    hits: list[Hit]
    modes_used: list[str]
    notes: list[str] = field(default_factory=list)
    elapsed_ms: float = 0.0  # the query itself, models already loaded
    load_ms: float = 0.0  # one-time model and index loading spent in this call

    def to_json(self) -> dict[str, Any]:
        """JSON with times rounded to 0.1 ms."""
        out = {key: getattr(self, key) for key in ("query", "mode", "modes_used", "notes")}
        return out | {"elapsed_ms": round(self.elapsed_ms, 1), "load_ms": round(self.load_ms, 1),
                      "hits": [h.to_json() for h in self.hits]}


# -- keyword side ---------------------------------------------------------------


def keyword_coverage(archive: Archive, query: str, item_ids: list[int]) -> dict[int, float]:
    """Share of the query's terms (term groups) that each item matches.

    BM25 happily ranks an item that matches one generic word of a long
    query; fusion weights the keyword side by this share so such partial
    matches do not crowd out semantic hits (cf. "minimum should match").
    """
    groups = query_groups(query) or query_groups(query, keep_stopwords=True)
    if not groups or not item_ids:
        return {i: 1.0 for i in item_ids}
    hits = dict.fromkeys(item_ids, 0)
    for group in groups:  # only the candidates, not every row a common word matches
        for rowid in archive.keyword_matches(group, item_ids):
            hits[rowid] += 1
    return {i: n / len(groups) for i, n in hits.items()}


def keyword_ranking(archive: Archive, query: str, limit: int, allowed: set[int] | None) -> list[tuple[int, float]]:
    """Return ``(item_id, bm25)`` best first; bm25 is positive, higher is better."""
    if not archive.keyword_current():
        archive.refresh_keyword_index()  # analysed with other data files: re-analyse once
    expr = match_query(query)
    if not expr:
        return []
    return archive.keyword_ranking(expr, limit, BM25_WEIGHTS, allowed)


# -- dense side -----------------------------------------------------------------


class DenseSearcher:
    """Embeds queries and searches the FAISS index; cached per settings."""

    _cache: dict[tuple, "DenseSearcher"] = {}

    def __init__(self, settings: Settings):
        self.settings = settings
        self.embedder = load_embedder(settings)
        self.index = VectorIndex.open(settings, self.embedder)
        self._stamp = self._index_stamp()

    def _index_stamp(self) -> float:
        meta = self.settings.index_dir / "vectors.json"
        return meta.stat().st_mtime if meta.exists() else 0.0

    @classmethod
    def get(cls, settings: Settings) -> "DenseSearcher":
        """The searcher for ``settings``, reloaded when the index changed on disk.

        Raises:
            RadslagError: When there is no vector index (checked before the
                model is loaded).
        """
        if not (settings.index_dir / META_FILE).exists():
            raise RadslagError(
                f"Inget vektorindex i {settings.index_dir} – kör `radslag reindex` (no vector index)."
            )
        key = (settings.model, str(settings.index_dir.resolve()), str(settings.cache_dir))
        searcher = cls._cache.get(key)
        if searcher is None or searcher._stamp != searcher._index_stamp():
            searcher = cls._cache[key] = cls(settings)
        return searcher

    def ranking(
        self, archive: Archive, query: str, limit: int, allowed: set[int] | None
    ) -> tuple[list[tuple[int, float]], dict[int, int]]:
        """Return ``(item_id, cosine)`` best first and the best passage id per item."""
        if len(self.index) == 0:
            raise RadslagError("Vektorindexet är tomt – kör `radslag reindex` (the vector index is empty).")
        qvec = self.embedder.encode_queries([query])
        n_passages = len(self.index)
        want = limit * 8 if allowed is None else max(limit * 8, min(n_passages, 4000))
        scores, ids = self.index.search(qvec, min(want, n_passages))
        ids = [int(i) for i in ids[0]]
        scores = [float(s) for s in scores[0]]
        item_of = archive.passage_items(ids) if ids else {}
        best: dict[int, tuple[float, int]] = {}
        for pid, score in zip(ids, scores):
            item_id = item_of.get(pid)
            if item_id is None or (allowed is not None and item_id not in allowed):
                continue
            if item_id not in best or score > best[item_id][0]:
                best[item_id] = (score, pid)
        ranked = sorted(best.items(), key=lambda kv: -kv[1][0])[:limit]
        return [(item, s) for item, (s, _) in ranked], {item: pid for item, (_, pid) in ranked}


# -- fusion and presentation ----------------------------------------------------


def rrf(rankings: list[list[int]], k: int = RRF_K, weights: list[dict[int, float]] | None = None) -> dict[int, float]:
    """Reciprocal rank fusion of several best-first id lists.

    Args:
        rankings: Best-first item id lists.
        k: The RRF constant.
        weights: Optional per-list ``{item_id: weight}`` (default 1.0).
    """
    scores: dict[int, float] = {}
    for n, ranking in enumerate(rankings):
        w = weights[n] if weights else {}
        for rank, item_id in enumerate(ranking, start=1):
            scores[item_id] = scores.get(item_id, 0.0) + w.get(item_id, 1.0) / (k + rank)
    return scores


def fuse(
    mode: str,
    keyword: list[tuple[int, float]],
    dense: list[tuple[int, float]],
    coverage: dict[int, float] | None = None,
) -> dict[int, float]:
    """Combine the two sides' rankings into one score per item.

    Hybrid: RRF of both best-first lists, each keyword hit weighted by its
    ``coverage`` (:func:`keyword_coverage`). One mode alone: that side's own
    scores.
    """
    if mode != "hybrid":
        return dict(keyword or dense)
    rankings = [[i for i, _ in keyword], [i for i, _ in dense]]
    return rrf(rankings, weights=[coverage or {}, {}])


_WORD = re.compile(r"\w[\w\-§]*", re.UNICODE)


def query_terms(query: str) -> set[str]:
    """Analysed content terms of a query, stop words left out (snippets, highlighting)."""
    stop = stopwords()
    words = [w for w in _WORD.findall(query.casefold()) if w not in stop]
    return set(analyze(" ".join(words)).split()) if words else set(analyze(query).split())


def highlight_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Character spans of words in ``text`` whose analysed form matches the query."""
    terms = query_terms(query)
    if not terms:
        return []
    stop = stopwords()
    spans = []
    for m in _WORD.finditer(text):
        if m.group().casefold() not in stop and set(analyze(m.group()).split()) & terms:
            spans.append((m.start(), m.end()))
    return spans


def best_snippet(archive: Archive, item: Item, query: str, width: int = 320) -> tuple[str, int | None]:
    """The passage of an item that shares the most terms with the query."""
    terms = query_terms(query)
    passages = archive.item_passages(item.id)
    candidates = [(p.text, p.start) for p in passages] or _windows(item.text, item.start, width * 2)
    best = max(candidates, key=lambda c: len(set(analyze(c[0]).split()) & terms)) if terms else candidates[0]
    return _trim(best[0], query, width), best[1]


def _windows(text: str, start: int, size: int) -> list[tuple[str, int]]:
    if not text:
        return [("", start)]
    return [(text[i : i + size], start + i) for i in range(0, len(text), size // 2)]


def _trim(text: str, query: str, width: int) -> str:
    """Cut ``text`` to about ``width`` characters around the first matched word."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    spans = highlight_spans(text, query)
    centre = spans[0][0] if spans else 0
    start = max(0, centre - width // 3)
    start = text.rfind(" ", 0, start) + 1 if start else 0
    snippet = text[start : start + width]
    snippet = snippet[: snippet.rfind(" ")] if " " in snippet[width // 2 :] else snippet
    return ("… " if start else "") + snippet + " …"


def display_title(number: str | None, title: str) -> str:
    """Item title with its number as minutes write it: "5. Titel", "§ 12 Titel"."""
    if not number:
        return title
    return f"{number} {title}" if number.startswith("§") else f"{number}. {title}"


def search(
    archive: Archive,
    query: str,
    *,
    settings: Settings,
    k: int = 10,
    mode: str = "hybrid",
    filters: Filters | None = None,
    order: str = "relevance",
) -> SearchResult:
    """Search agenda items.

    Args:
        archive: The open archive.
        query: Free text in Swedish (or anything the model understands).
        settings: Settings naming the model and the vector index.
        k: Number of hits.
        mode: ``hybrid`` (RRF of both sides), ``dense`` or ``keyword``.
        filters: Which meetings and items to search.
        order: ``relevance`` or ``date`` (newest first among the top hits).

    Returns:
        A :class:`SearchResult`; ``notes`` explain anything that did not run.

    Raises:
        RadslagError: for an unknown mode, or when the only requested side
            cannot run.
    """
    if mode not in MODES:
        raise RadslagError(f"Okänt sökläge {mode!r}; välj {', '.join(MODES)} (unknown mode).")
    if order not in ORDERS:
        raise RadslagError(f"Okänd sortering {order!r}; välj {', '.join(ORDERS)} (unknown order).")
    t0 = time.perf_counter()
    query = query.strip()
    result = SearchResult(query=query, mode=mode, hits=[], modes_used=[])
    if not query:
        result.notes.append("Tom fråga (empty query).")
        return result
    allowed = archive.filter_item_ids(filters)
    pool = max(CANDIDATES, k * 3)
    keyword: list[tuple[int, float]] = []
    coverage: dict[int, float] = {}
    dense: list[tuple[int, float]] = []
    best_passage: dict[int, int] = {}
    if mode in ("hybrid", "keyword"):
        keyword = keyword_ranking(archive, query, pool, allowed)
        if mode == "hybrid":
            coverage = keyword_coverage(archive, query, [i for i, _ in keyword])
        result.modes_used.append("keyword")
    if mode in ("hybrid", "dense"):
        try:
            t_load = time.perf_counter()
            searcher = DenseSearcher.get(settings)
            result.load_ms = (time.perf_counter() - t_load) * 1000
            dense, best_passage = searcher.ranking(archive, query, pool, allowed)
            result.modes_used.append("dense")
        except RadslagError as exc:
            if mode == "dense":
                raise
            result.notes.append(
                "Semantisk sökning kunde inte köras; resultaten bygger bara på nyckelord "
                f"(dense search unavailable, keyword results only): {exc}"
            )
    fused = fuse(mode, keyword, dense, coverage)
    ordered = sorted(fused, key=lambda i: -fused[i])[:k]
    kw_rank = {item: r for r, (item, _) in enumerate(keyword, start=1)}
    dn_rank = {item: r for r, (item, _) in enumerate(dense, start=1)}
    dn_score = dict(dense)
    rows = {row.id: row for row in archive.items(item_ids=ordered)}
    passages = {p.id: p for p in archive.passages(list(best_passage.values()))} if best_passage else {}
    for item_id in ordered:
        row = rows[item_id]
        pid = best_passage.get(item_id)
        if pid in passages and item_id not in kw_rank:
            snippet, s_start = _trim(passages[pid].text, query, 320), passages[pid].start
        else:
            snippet, s_start = best_snippet(archive, row, query)
        result.hits.append(
            Hit(
                rank=0,
                score=round(float(fused[item_id]), 6),
                item_id=item_id,
                meeting_id=row.meeting_id,
                source=row.source,
                date=row.date,
                body=row.body,
                municipality=row.municipality,
                kind=row.kind,
                item_number=row.number,
                item_title=row.title,
                snippet=snippet,
                snippet_start=s_start,
                topics=[{"id": t.id, "label": t.label, "score": round(t.score, 4)} for t in row.topics],
                entities=[asdict(e) for e in row.entities],
                keyword_rank=kw_rank.get(item_id),
                dense_rank=dn_rank.get(item_id),
                dense_score=round(dn_score[item_id], 4) if item_id in dn_score else None,
            )
        )
    if order == "date":
        result.hits.sort(key=lambda h: h.date or "", reverse=True)
    for rank, hit in enumerate(result.hits, start=1):
        hit.rank = rank
    result.elapsed_ms = (time.perf_counter() - t0) * 1000 - result.load_ms
    return result
