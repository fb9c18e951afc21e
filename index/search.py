"""Hybrid search over agenda items: FTS5/BM25 + FAISS, fused on the dense score scale.

Both sides rank *agenda items*: the keyword side directly (FTS5 rows are
items), the dense side from each item's passages (:func:`item_scores`).
Hybrid fusion (:mod:`index.fusion`) is convex on scores, not ranks: an item's
score is its dense item score (a cosine, comparable across queries, archive
sizes and filters) plus :data:`KEYWORD_WEIGHT` times the keyword evidence, the
share of the query's terms the item matches (BM25 only orders items of equal
share) and the share its title matches (an item the query names by case
number counts as matching all), plus the taxonomy's bonus. Keyword search thus lifts an item the
dense side also finds when the words agree, and brings in items the dense
side missed, without a long paraphrase's one generic word drowning the
semantic side (measured in bench/quality.py; reciprocal rank fusion, the
earlier rule, scored below dense alone because it throws the dense side's
margins away).
If one side cannot run, the result carries a note saying so and lists the
modes actually used; there is no silent fallback.
"""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any, Iterator

from index import bm25, fusion, lemmas, relevance
from index.keyword import analyze, match_query, query_groups, searched_groups
from index.store import Archive
from radslag.config import Settings
from radslag.errors import RadslagError
from radslag.lang import stopwords
from radslag.periods import when
from radslag.taxonomy import TAXONOMY_PATH, load_taxonomy
from radslag.types import Filters, Item, Passage, Record

MODES = ("hybrid", "dense", "keyword")
ORDERS = ("relevance", "date")
#: RRF constant from Cormack et al. (2009); 60 is the customary value
#: (:func:`rrf`, kept for callers fusing rank lists; hybrid search uses :func:`fuse`).
RRF_K = 60
#: Hybrid fusion's weights live in :mod:`index.fusion` (the rule and its
#: figures); named here for the taxonomy's weight and older callers.
KEYWORD_WEIGHT = fusion.KEYWORD_WEIGHT
BM25_SHARE = fusion.BM25_SHARE
#: How many candidates each side contributes before fusion.
CANDIDATES = 100
#: BM25 weights of the FTS5 columns: a term in the title counts twice.
BM25_WEIGHTS = (2.0, 1.0)
#: Longest query searched; longer input is cut (with a note) so one pasted
#: document cannot hold the tokenizer and the FTS engine for minutes.
MAX_QUERY_CHARS = 1000
#: Most hits one search may ask for.
MAX_K = 10_000
#: Relevance cutoff, calibrated by ``bench/quality.py --calibrate`` on the dev
#: half of the team's judged queries (see :func:`passes_cutoff`): the lowest
#: cosine at which every dev no-answer query gets no hit (4/4; "kvantdatorer
#: och kryptografi" reaches 0.848), keeping 87% of the judged-relevant items of
#: the hybrid top 10 on dev and 95% on the test half (also 4/4 no-answer;
#: measured with the score fusion of :func:`fuse`). Applied per item once the
#: query passed the answerability gate of :mod:`index.relevance`.
DENSE_CUTOFF = 0.85
COVERAGE_CUTOFF = 0.5
#: Candidates below the cutoff shown as "nearest" when asked for.
NEAREST_K = 3
#: Dense item score: weights of the item's second-best passage and of its
#: meeting's best passage (see :func:`item_scores`), chosen on the dev half
#: (nDCG@10 dense 0.685 best passage alone, 0.694 with the second passage at
#: 0.3; the meeting's best passage gave nothing on dev, so its weight is 0).
SECOND_PASSAGE_WEIGHT = 0.3
MEETING_WEIGHT = 0.0
#: Weight of the taxonomy in hybrid fusion (see :func:`query_topics`): a
#: candidate tagged with a topic the query names gains ``TOPIC_WEIGHT *
#: share``, the share of the query's terms that the topic's seed terms account
#: for: the same weight as keyword evidence of that share. Not fitted: the
#: bench archive is not enriched, so it has no topic tags.
TOPIC_WEIGHT = KEYWORD_WEIGHT


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
    when: str | None = None  # the meeting's day, else month, else year (radslag.periods.when)


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
    #: Whether the relevance cutoff was applied (``cutoff=False`` turns it off).
    cutoff: bool = True
    #: Candidates the cutoff removed (0 when nothing was cut).
    below_cutoff: int = 0
    #: The best candidates below the cutoff, only when ``show_nearest`` was asked.
    nearest: list[Hit] = field(default_factory=list)
    #: Cleaned query cut to :data:`MAX_QUERY_CHARS` (a note says so too).
    truncated: bool = False

    @property
    def no_match(self) -> bool:
        """True when nothing passed the cutoff: show "Inga träffar" (and ``nearest`` if any)."""
        return not self.hits

    def to_json(self) -> dict[str, Any]:
        """JSON with times rounded to 0.1 ms."""
        out = {key: getattr(self, key) for key in ("query", "mode", "modes_used", "notes", "cutoff",
                                                   "below_cutoff", "truncated")}
        return out | {"no_match": self.no_match, "elapsed_ms": round(self.elapsed_ms, 1),
                      "load_ms": round(self.load_ms, 1), "hits": [h.to_json() for h in self.hits],
                      "nearest": [h.to_json() for h in self.nearest]}


# -- query hygiene ------------------------------------------------------------


def clean_query(query: Any) -> tuple[str, list[str]]:
    """Normalise user input before any tokenizer sees it.

    Unicode NFC; lone surrogates, control characters (other than
    whitespace, which becomes a space), bidi controls and other format
    characters removed; whitespace collapsed; cut at
    :data:`MAX_QUERY_CHARS` on a word boundary.

    Returns:
        ``(query, notes)``: the cleaned query and notes (Swedish, English in
        parentheses) on what was changed that the user should know.
    """
    notes: list[str] = []
    text = "" if query is None else str(query)
    # A lone surrogate cannot be NFC-normalised or UTF-8 encoded: drop it first.
    text = "".join(ch for ch in text if not 0xD800 <= ord(ch) <= 0xDFFF)
    text = unicodedata.normalize("NFC", text)
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch.isspace():
            out.append(" ")
        elif cat in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        else:
            out.append(ch)
    text = " ".join("".join(out).split())
    if len(text) > MAX_QUERY_CHARS:
        cut = text[:MAX_QUERY_CHARS]
        space = cut.rfind(" ")
        text = cut[:space] if space > MAX_QUERY_CHARS // 2 else cut
        notes.append(f"Frågan kortades till {len(text)} tecken (the query was cut to {len(text)} characters; "
                     f"at most {MAX_QUERY_CHARS}).")
    return text, notes


def check_k(k: Any) -> int:
    """Validate the number of hits.

    Raises:
        RadslagError: Unless ``k`` is a whole number from 1 to :data:`MAX_K`.
    """
    if isinstance(k, str) and k.strip().isdigit():
        k = int(k)
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise RadslagError(f"Antal träffar måste vara ett heltal 1–{MAX_K} (k must be a whole number 1-{MAX_K}).")
    return k


# -- keyword side ---------------------------------------------------------------


def keyword_coverage(archive: Archive, query: str, item_ids: list[int]) -> dict[int, float]:
    """Share of the query's terms (term groups) that each item matches.

    BM25 happily ranks an item that matches one generic word of a long
    query; fusion weights the keyword side by this share so such partial
    matches do not crowd out semantic hits (cf. "minimum should match").
    """
    groups = searched_groups(query)
    if not groups or not item_ids:
        return {i: 1.0 for i in item_ids}
    # each candidate looked up in FTS5 by rowid, not every row a common word matches
    # (that read whole doclists: 513 ms p95 at 100k items)
    hits = archive.keyword_group_hits(groups, item_ids)
    return {i: hits[i] / len(groups) for i in item_ids}


def keyword_ranking(archive: Archive, query: str, limit: int, allowed: set[int] | None) -> list[tuple[int, float]]:
    """Return ``(item_id, bm25)`` best first; bm25 is positive, higher is better."""
    if not archive.keyword_current():
        archive.refresh_keyword_index()  # analysed with other data files: re-analyse once
    expr = match_query(query)
    if not expr:
        return []
    # the same list without scoring every row a common word matches, when that can be proved (index.bm25)
    pruned = bm25.top_k(archive, query, limit, BM25_WEIGHTS, allowed)
    return pruned if pruned is not None else archive.keyword_ranking(expr, limit, BM25_WEIGHTS, allowed)


# -- dense side -----------------------------------------------------------------


class DenseSearcher:
    """Embeds queries and searches the FAISS index; cached per settings."""

    _cache: dict[tuple, "DenseSearcher"] = {}

    def __init__(self, settings: Settings):
        self.settings = settings
        from index.embeddings import load_embedder  # the dense side's modules: not loaded by a keyword search
        from index.vectors import VectorIndex

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
        from index.vectors import META_FILE

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
    ) -> tuple[list[tuple[int, float]], dict[int, int], dict[int, float]]:
        """Rank items by :func:`item_scores`.

        Returns:
            ``(item_id, score)`` best first, the best passage id per item and
            the best passage's cosine per item (the scale the cutoff and
            ``Hit.dense_score`` use, whatever the aggregation).
        """
        if len(self.index) == 0:
            raise RadslagError("Vektorindexet är tomt – kör `radslag reindex` (the vector index is empty).")
        from index.query_batch import encode_query  # shares one encoder call among concurrent searches

        qvec = encode_query(self.embedder, query)
        n_passages = len(self.index)
        want = limit * 8 if allowed is None else max(limit * 8, min(n_passages, 4000))
        scores, ids = self.index.search(qvec, min(want, n_passages))
        ids = [int(i) for i in ids[0]]
        scores = [float(s) for s in scores[0]]
        where = archive.passage_meetings(ids) if ids else {}
        best: dict[int, tuple[float, int]] = {}
        rows = []
        for pid, score in zip(ids, scores):
            if pid not in where:
                continue
            item_id, meeting_id = where[pid]
            if allowed is not None and item_id not in allowed:
                continue
            rows.append((item_id, meeting_id, score))
            if item_id not in best or score > best[item_id][0]:
                best[item_id] = (score, pid)
        scored = item_scores(rows)
        ranked = sorted(scored, key=lambda i: -scored[i][0])[:limit]
        return ([(i, scored[i][0]) for i in ranked], {i: best[i][1] for i in ranked},
                {i: scored[i][1] for i in ranked})


def item_scores(
    passages: list[tuple[int, int, float]],
    second_weight: float = SECOND_PASSAGE_WEIGHT,
    meeting_weight: float = MEETING_WEIGHT,
) -> dict[int, tuple[float, float]]:
    """Score items from their passages and their meeting's.

    An item's evidence is its best passage, plus (weighted) its second-best
    passage (an item discussed at length) and the best passage of its whole
    meeting (minutes about the query make each of their items likelier to be
    the one meant): ``best + second_weight * (second - best) + meeting_weight
    * (meeting_best - best)``. Both corrections are differences, so an item
    that is its meeting's best and has one passage keeps its cosine.

    Args:
        passages: ``(item_id, meeting_id, cosine)`` of the retrieved passages.

    Returns:
        ``{item_id: (score, best passage cosine)}``.
    """
    per_item: dict[int, list[float]] = {}
    meeting_of: dict[int, int] = {}
    meeting_best: dict[int, float] = {}
    for item_id, meeting_id, score in passages:
        per_item.setdefault(item_id, []).append(score)
        meeting_of[item_id] = meeting_id
        if score > meeting_best.get(meeting_id, -2.0):
            meeting_best[meeting_id] = score
    out = {}
    for item_id, scores in per_item.items():
        scores.sort(reverse=True)
        best = scores[0]
        second = scores[1] if len(scores) > 1 else best
        top = meeting_best[meeting_of[item_id]]
        out[item_id] = (best + second_weight * (second - best) + meeting_weight * (top - best), best)
    return out


# -- the taxonomy ----------------------------------------------------------------


#: A word as the taxonomy's seed matching reads it (letters and digits; "ANDT-arbetet" is two words).
_SEED_WORD = re.compile(r"[^\W_]+")

#: One seed term: its query term groups, and the words the query must hold whole (its acronyms, folded).
_Seed = tuple[frozenset[str], frozenset[str]]


def _topic_seeds() -> tuple[tuple[str, tuple[_Seed, ...]], ...]:
    """Each issue topic's seed terms as sets of query term groups, per version of the topics file.

    Keyed by the file's mtime and size, so an edited topics.yaml is seen by a running process.
    """
    stat = TAXONOMY_PATH.stat()
    return _seeds_of(stat.st_mtime_ns, stat.st_size)


def _acronyms(seed: str) -> frozenset[str]:
    """The words of a ``=`` seed written in capitals ("=ANDT", "=SFI"), case-folded: the query must hold
    each as a whole word.

    ``radslag/data/topics.yaml`` defines such a seed as the word itself, never
    a stem (the tagger, ``ingest/topics/lexicon.py``, reads it so); analysed
    like a query word it is stemmed, and "ANDT" becomes "and". In a query the
    case is not asked for, as in the tagger: people type "sfi" and "epa", and
    the reason the tagger asks for capitals, the pronoun "sig" (=SIG), is a
    stop word a query's terms leave out.
    """
    if not seed.startswith("="):
        return frozenset()
    return frozenset(w.casefold() for w in _SEED_WORD.findall(seed[1:]) if len(w) >= 2 and w.isupper())


@lru_cache(maxsize=1)
def _seeds_of(mtime_ns: int, size: int) -> tuple[tuple[str, tuple[_Seed, ...]], ...]:
    """The seeds of :func:`_topic_seeds` (analysed like queries) for one version of the file."""
    out = []
    for topic in load_taxonomy():
        if topic.procedural:
            continue
        seeds = [(frozenset(query_groups(seed.lstrip("="), keep_stopwords=True)), _acronyms(seed))
                 for seed in topic.seed_terms]
        out.append((topic.id, tuple(s for s in seeds if s[0])))
    return tuple(out)


_topic_seeds.cache_clear = _seeds_of.cache_clear  # type: ignore[attr-defined]


def query_topics(query: str) -> dict[str, float]:
    """Topics of the taxonomy that the query names, with the share of its terms they account for.

    A topic is named when all terms of one of its seed terms are among the
    query's terms ("epa-traktor", "hög musik" name *motorburen ungdom*); an
    acronym seed ("=ANDT") only when the query holds the acronym as a whole
    word (:func:`_acronyms`: "and" does not name *Narkotika och ANDT*).
    The curated taxonomy knows what a word is a sign of, which neither BM25
    nor a small embedding model does: an item tagged *motorburen ungdom*
    (``radslag.taxonomy``, tagged at ingest) is about EPA-tractors even when
    it never names one.
    """
    groups = set(query_groups(query))
    if not groups:
        return {}
    typed = {w.casefold() for w in _SEED_WORD.findall(query)}
    out = {}
    for topic_id, seeds in _topic_seeds():
        covered: set[str] = set()
        for seed, acronyms in seeds:
            if seed <= groups and acronyms <= typed:
                covered |= seed
        if covered:
            out[topic_id] = len(covered) / len(groups)
    return out


def topic_boost(archive: Archive, query: str, candidates: list[int]) -> dict[int, float]:
    """Fusion bonus of each candidate tagged with a topic the query names (:data:`TOPIC_WEIGHT`)."""
    topics = query_topics(query)
    if not topics:
        return {}
    tagged = archive.topic_items(sorted(topics), candidates)
    return {i: TOPIC_WEIGHT * max(topics[t] for t in ts) for i, ts in tagged.items()}


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
    """Combine the two sides into one score per item.

    Hybrid: :func:`index.fusion.fuse` with ``coverage`` as its only keyword
    evidence (no title share, no case numbers: :func:`search` gathers those
    with :func:`index.fusion.keyword_evidence`): ``dense + KEYWORD_WEIGHT *
    coverage * ((1 - BM25_SHARE) + BM25_SHARE * bm25 / best_bm25)``; an item
    only the keyword side found starts from the lowest dense score (0 when
    the dense side did not run); 1.0 for an item missing from ``coverage``.
    One mode alone: that side's own scores.
    """
    if mode != "hybrid":
        return dict(keyword or dense)
    return fusion.fuse(keyword, dense, fusion.KeywordEvidence(coverage=dict(coverage or {})))


_WORD = re.compile(r"\w[\w\-§]*", re.UNICODE)


def query_terms(query: str) -> set[str]:
    """Analysed content terms of a query, stop words left out (snippets, highlighting)."""
    stop = stopwords()
    words = [w for w in _WORD.findall(query.casefold()) if w not in stop]
    return set(analyze(" ".join(words)).split()) if words else set(analyze(query).split())


def highlight_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Character spans of words in ``text`` whose analysed form matches the query."""
    return list(_spans(text, query))


def _spans(text: str, query: str) -> Iterator[tuple[int, int]]:
    """:func:`highlight_spans` one at a time (a snippet needs only the first)."""
    terms = query_terms(query)
    if not terms:
        return
    stop = stopwords()
    for m in _WORD.finditer(text):
        word = m.group().casefold()
        if word in stop:
            continue
        # cheap test first: a matching word contains a query term, unless its lemma is irregular
        if not any(t in word for t in terms) and not lemmas.lemma(word):
            continue
        if set(analyze(m.group()).split()) & terms:
            yield m.start(), m.end()


def best_snippet(
    archive: Archive, item: Item, query: str, width: int = 320, passages: list[Passage] | None = None
) -> tuple[str, int | None]:
    """The passage of an item that shares the most terms with the query.

    Args:
        passages: The item's passages when the caller has already read them
            (:meth:`Archive.items_passages` reads those of every hit at once);
            None reads them here.
    """
    if passages is None:
        passages = archive.item_passages(item.id)
    candidates = [(p.text, p.start) for p in passages] or _windows(item.text, item.start, width * 2)
    terms = query_terms(query) if len(candidates) > 1 else set()
    # A query term (a stem or compound part) found inside the passage text counts:
    # stems are prefixes of their inflected forms and parts sit inside compounds.
    # Running the full analysis over every passage of every hit instead cost ~80%
    # of a search (profiled on the corpus archive).
    best = max(candidates, key=lambda c: _term_count(c[0], terms)) if terms else candidates[0]
    return _trim(best[0], query, width), best[1]


def _term_count(text: str, terms: set[str]) -> int:
    """How many of ``terms`` occur in the casefolded ``text``."""
    folded = unicodedata.normalize("NFC", text).casefold()
    return sum(1 for t in terms if t in folded)


def _windows(text: str, start: int, size: int) -> list[tuple[str, int]]:
    if not text:
        return [("", start)]
    return [(text[i : i + size], start + i) for i in range(0, len(text), size // 2)]


def _trim(text: str, query: str, width: int) -> str:
    """Cut ``text`` to about ``width`` characters around the first matched word."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    centre = next(_spans(text, query), (0, 0))[0]  # the first matched word
    start = max(0, centre - width // 3)
    start = text.rfind(" ", 0, start) + 1 if start else 0
    snippet = text[start : start + width]
    snippet = snippet[: snippet.rfind(" ")] if " " in snippet[width // 2 :] else snippet
    return ("… " if start else "") + snippet + " …"


def passes_cutoff(dense_score: float | None, coverage: float | None, topic: bool = False) -> bool:
    """The relevance rule: an item is a hit when one kind of evidence vouches for it.

    The keyword side vouches when the item matches at least
    :data:`COVERAGE_CUTOFF` of the query's term groups; the dense side when
    the item's best passage reaches :data:`DENSE_CUTOFF` (cosine); the
    taxonomy when the item is tagged with a topic the query names
    (:func:`query_topics`). The thresholds were calibrated on the dev half of
    the team's judgments (``bench/quality.py --calibrate``), maximising F1 of
    "relevant" over the hybrid top 10 with the no-answer queries included, so
    a query about nothing in the archive gets no hits. :func:`search` applies
    it only when the query is answerable at all (:mod:`index.relevance`: a
    municipal question the archive never discusses reaches these cosines
    too); an item named by case number or tagged with a named topic passes
    regardless.
    """
    if topic or (coverage is not None and coverage >= COVERAGE_CUTOFF):
        return True
    return dense_score is not None and dense_score >= DENSE_CUTOFF


def is_hit(dense_score: float | None, coverage: float | None, *, answerable: bool, vouched: bool = False) -> bool:
    """The relevance cutoff's decision for one item of a search.

    An item the query vouches for itself (named by its case number, or
    tagged with a topic the query names) is a hit; any other only when the
    query is answerable at all (:attr:`index.relevance.Answerability.answerable`)
    and the item passes :func:`passes_cutoff`.
    """
    return vouched or (answerable and passes_cutoff(dense_score, coverage))


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
    cutoff: bool = True,
    show_nearest: bool = False,
    snippets: int | None = None,
) -> SearchResult:
    """Search agenda items.

    Args:
        archive: The open archive.
        query: Free text in Swedish (or anything the model understands).
        settings: Settings naming the model and the vector index.
        k: Number of hits.
        mode: ``hybrid`` (both sides, :func:`fuse`), ``dense`` or ``keyword``.
        filters: Which meetings and items to search.
        order: ``relevance`` or ``date`` (newest first among the hits that
            passed the cutoff).
        cutoff: Apply the relevance cutoff (the answerability gate of
            :mod:`index.relevance`, then :func:`passes_cutoff` per item); off
            gives the ``k`` best candidates whatever their score.
        show_nearest: Also return the best :data:`NEAREST_K` candidates
            below the cutoff in ``SearchResult.nearest``.
        snippets: Give snippets to this many of the best hits only (the
            rest get an empty one); None gives every hit one. A caller that
            shows ten of 2,000 hits (the app: cards plus a timeline) saves the
            snippet work, a third of a search's CPU.

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
    k = check_k(k)
    t0 = time.perf_counter()
    query, notes = clean_query(query)
    result = SearchResult(query=query, mode=mode, hits=[], modes_used=[], notes=notes)
    result.truncated = bool(notes)
    result.cutoff = cutoff
    if not query:
        result.notes.append("Tom fråga (empty query).")
        return result
    allowed = archive.allowed_item_ids(filters)  # resolved once per filter and archive version
    pool = max(CANDIDATES, k * 3)
    keyword: list[tuple[int, float]] = []
    coverage: dict[int, float] = {}
    dense: list[tuple[int, float]] = []
    cosine: dict[int, float] = {}
    best_passage: dict[int, int] = {}
    # a query of stop words only ("vad har vi gjort") is searched by them, but matching them says
    # nothing about relevance: every item does; the keyword side then does not vouch in the cutoff
    stop_only = not query_groups(query) and bool(searched_groups(query))
    if stop_only:
        result.notes.append("Frågan består bara av vanliga småord, som inte säger vad en punkt handlar om "
                            "(the query holds only stop words, which say nothing about what an item is about).")
    if mode in ("hybrid", "keyword"):
        keyword = keyword_ranking(archive, query, pool, allowed)
        if mode == "hybrid" or cutoff:
            coverage = keyword_coverage(archive, query, [i for i, _ in keyword])
        result.modes_used.append("keyword")
    if mode in ("hybrid", "dense"):
        try:
            t_load = time.perf_counter()
            searcher = DenseSearcher.get(settings)
            result.load_ms = (time.perf_counter() - t_load) * 1000
            dense, best_passage, cosine = searcher.ranking(archive, query, pool, allowed)
            result.modes_used.append("dense")
        except RadslagError as exc:
            if mode == "dense":
                raise
            result.notes.append(
                "Semantisk sökning kunde inte köras; resultaten bygger bara på nyckelord "
                f"(dense search unavailable, keyword results only): {exc}"
            )
    if mode == "hybrid":
        evidence = fusion.keyword_evidence(archive, query, keyword, dense, coverage, everywhere=True, allowed=allowed)
        coverage = evidence.coverage  # an item named by its case number vouches for itself in the cutoff
        fused = fusion.fuse(keyword, dense, evidence)
    else:
        fused = fuse(mode, keyword, dense, None)
    boosted = topic_boost(archive, query, list(fused)) if mode == "hybrid" and fused else {}
    for item_id, bonus in boosted.items():
        fused[item_id] += bonus
    ranked = sorted(fused, key=lambda i: -fused[i])
    gate = None
    if cutoff:
        # the query must be answerable at all (index.relevance), then each item must pass;
        # an item named by case number or tagged with a topic the query names passes regardless
        named = evidence.named if mode == "hybrid" else set()
        gate = relevance.answerability(archive, query, max(cosine.values()) if cosine else None)
        passed = [i for i in ranked if is_hit(cosine.get(i), None if stop_only else coverage.get(i),
                                              answerable=gate.answerable, vouched=i in boosted or i in named)]
        kept = set(passed)
        below = [i for i in ranked if i not in kept]
        result.below_cutoff = len(below)
    else:
        passed, below = ranked, []
    ordered = passed[:k]
    nearest = below[:NEAREST_K] if show_nearest and cutoff else []
    if not ordered:
        result.notes.append("Inga träffar över relevansgränsen (no hits above the relevance cutoff)."
                            if ranked else "Inga träffar (no hits).")
        words = relevance.absent_words(query, gate.absent) if ranked and gate is not None else []
        if words:
            result.notes.append(f"Finns inte i arkivet: {', '.join(words)} (not in the archive).")
    result.hits = _hits(archive, query, ordered, fused, keyword, dense, cosine, best_passage, snippets)
    result.nearest = _hits(archive, query, nearest, fused, keyword, dense, cosine, best_passage)
    if order == "date":
        result.hits.sort(key=lambda h: h.when or "", reverse=True)
    for hits in (result.hits, result.nearest):
        for rank, hit in enumerate(hits, start=1):
            hit.rank = rank
    result.elapsed_ms = (time.perf_counter() - t0) * 1000 - result.load_ms
    return result


def _entity_json(entity: Any) -> dict[str, Any]:
    """An entity as a JSON object (``dataclasses.asdict`` was a tenth of a search's time)."""
    data = getattr(entity, "__dict__", None)
    return dict(data) if data is not None else asdict(entity)


def _hits(
    archive: Archive,
    query: str,
    ordered: list[int],
    fused: dict[int, float],
    keyword: list[tuple[int, float]],
    dense: list[tuple[int, float]],
    cosine: dict[int, float],
    best_passage: dict[int, int],
    snippets: int | None = None,
) -> list[Hit]:
    """Presentation records (rank 0) for ``ordered`` item ids.

    Only the first ``snippets`` hits (all when None) are shown, so only they
    get a snippet, entities and topics; the rest are counted (a timeline, a
    threshold) and come without them. Reading every hit's entities was most of
    a search's CPU for a common word (a hundred hits, thousands of entities).
    """
    if not ordered:
        return []
    kw_rank = {item: r for r, (item, _) in enumerate(keyword, start=1)}
    dn_rank = {item: r for r, (item, _) in enumerate(dense, start=1)}
    dn_score = cosine
    hits: list[Hit] = []
    shown = ordered if snippets is None else ordered[: max(snippets, 0)]
    rows = {row.id: row for row in archive.items(item_ids=shown)} if shown else {}
    if len(shown) < len(ordered):
        rows.update((row.id, row) for row in archive.items(item_ids=ordered[len(shown):], enrichment=False))
    wanted = [best_passage[i] for i in shown if i in best_passage]
    passages = {p.id: p for p in archive.passages(wanted)} if wanted else {}
    # items whose snippet is chosen among all their passages: read those in one query
    by_terms = [i for i in shown if best_passage.get(i) not in passages or i in kw_rank]
    item_passages = archive.items_passages(by_terms) if by_terms else {}
    with_snippet = set(shown)
    for item_id in ordered:
        row = rows[item_id]
        pid = best_passage.get(item_id)
        if item_id not in with_snippet:
            snippet, s_start = "", None
        elif pid in passages and item_id not in kw_rank:
            snippet, s_start = _trim(passages[pid].text, query, 320), passages[pid].start
        else:
            snippet, s_start = best_snippet(archive, row, query, passages=item_passages.get(item_id, []))
        hits.append(
            Hit(
                rank=0,
                score=round(float(fused[item_id]), 6),
                item_id=item_id,
                meeting_id=row.meeting_id,
                source=row.source,
                date=row.date,
                when=when(row),
                body=row.body,
                municipality=row.municipality,
                kind=row.kind,
                item_number=row.number,
                item_title=row.title,
                snippet=snippet,
                snippet_start=s_start,
                topics=[{"id": t.id, "label": t.label, "score": round(t.score, 4)} for t in row.topics],
                entities=[_entity_json(e) for e in row.entities],
                keyword_rank=kw_rank.get(item_id),
                dense_rank=dn_rank.get(item_id),
                dense_score=round(dn_score[item_id], 4) if item_id in dn_score else None,
            )
        )
    return hits
