"""Retrieval quality per layer: nDCG@10, recall@10 and MRR on the team's judged queries.

Builds (or reuses) an archive of ``corpus/`` (seeds, Kungsbacka, the real
PDFs) with the real pipeline and prints one JSON object with a row per
retrieval layer, each split into every half the query file holds (``dev``:
the queries tuned on, the 41 earlier queries plus every other new one;
``test``: new queries never tuned on; any later half such as ``test2``
likewise, in the file's order after those two) and by query type
(``keyword``, ``paraphrase``):

* ``bm25_stem``: Okapi BM25 (k1 1.2, b 0.75, title x2) over Snowball stems
  of casefolded words: what an Elasticsearch user with a Swedish stemmer gets.
* ``bm25_lemma``: the same with efselab/SALDO lemmas (and hunspell lemmas)
  before stemming (:mod:`index.lemmas`).
* ``bm25_lemma_compound``: plus compound parts and hyphen joins: Rådslag's
  full analysis (:func:`index.keyword.analyze`) under the same BM25.
* ``keyword``: the product's keyword mode (FTS5 BM25 over that analysis).
* ``dense_item``: e5 over the passage text alone, an item scored by its best
  passage (the earlier design).
* ``dense_context``: e5 over the passage with its context line (municipality,
  body, date, item title; :func:`index.passages.embedding_texts`), best passage.
* ``dense``: the product's dense mode (context passages, item score from its
  passages and its meeting's: :func:`index.search.item_scores`).
* ``dense_document``: one vector per document (its first 512 tokens), every
  item of a document scored by the document's vector (ties: item order).
* ``hybrid``: the product's hybrid mode (cutoff off, so ranking is measured):
  the dense item score plus keyword evidence (share of query terms matched,
  share matched in the title, case numbers the query names) on the cosine
  scale (:mod:`index.fusion`).
* ``hybrid_coverage``: the previous hybrid rule on the same two lists: the
  dense score plus the share of query terms matched only (no title share, no
  case numbers, no coverage gate: :func:`index.fusion.fuse` with that
  evidence alone and ``gate=0``).
* ``hybrid_rrf``: the earlier fusion rule on the same two lists: reciprocal
  rank fusion (k 60), keyword hits weighted by their coverage.

``cutoff`` reports the relevance cutoff on hybrid search, per half: the
share of no-answer queries given no hits, the share of judged-relevant
top-10 items the cutoff keeps, hits per query with an answer, and nDCG@10
of the first 10 candidates that pass against the uncut top 10;
``cutoff_old_rule`` the same for the per-item rule alone (no answerability
gate, :mod:`index.relevance`), from the same searches. ``--calibrate`` fits
the gate's line (``calibration_gate``: on all queries, on dev+test scored on
the later halves, and grouped 5-fold cross-validation by query) and grids
the per-item rule's two thresholds on the dev half. ``latency`` times
hybrid searches (query embedding included, models loaded) against keyword-only searches, and the
fusion's own share of a hybrid search (``fusion_evidence``: title coverage,
case numbers and the fused scores, :mod:`index.fusion`).

Judgments name items by file-name suffix plus a substring of the title
(``title_contains``) or of the text (``text_contains``); judgments that match
no item are listed under ``unmatched``.

Usage::

    python -m bench.quality                      # temp archive, all rows
    python -m bench.quality --archive DIR        # reuse (or build into) DIR
    python -m bench.quality --calibrate          # also fit the cutoff's gate and grid its per-item rule
    python -m bench.quality --per-query
"""

from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

DEFAULT_QUERIES = REPO_ROOT / "tests" / "data" / "queries.jsonl"
#: Halves reported first, in this order; any other half in the query file follows.
HALVES = ("dev", "test")


def halves_of(queries: Sequence[Mapping[str, Any]]) -> list[str]:
    """Every half the query set holds: ``dev`` and ``test`` first, then the others in file order."""
    present = list(dict.fromkeys(q["half"] for q in queries))
    return [h for h in HALVES if h in present] + [h for h in present if h not in HALVES]


# -- metrics -------------------------------------------------------------------


def dcg(gains: Sequence[float]) -> float:
    """Discounted cumulative gain with exponential gain ``2**g - 1``."""
    return sum((2.0**g - 1.0) / math.log2(rank + 2) for rank, g in enumerate(gains))


def ndcg_at_k(ranked: Sequence[int], qrels: Mapping[int, int], k: int = 10) -> float:
    """nDCG@k of a ranking against graded judgments (item id -> grade); 0.0 without relevant items."""
    ideal = dcg(sorted((g for g in qrels.values() if g > 0), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg([qrels.get(i, 0) for i in ranked[:k]]) / ideal


def recall_at_k(ranked: Sequence[int], qrels: Mapping[int, int], k: int = 10) -> float:
    """Share of relevant items (grade >= 1) found in the top ``k``."""
    relevant = {i for i, g in qrels.items() if g > 0}
    if not relevant:
        return 0.0
    return len(relevant & set(ranked[:k])) / len(relevant)


def reciprocal_rank(ranked: Sequence[int], qrels: Mapping[int, int], k: int = 10) -> float:
    """1 / rank of the first relevant item within the top ``k`` (0 if none)."""
    for rank, item in enumerate(ranked[:k], start=1):
        if qrels.get(item, 0) > 0:
            return 1.0 / rank
    return 0.0


def evaluate(ranked: Sequence[int], qrels: Mapping[int, int], k: int = 10) -> dict[str, float]:
    """All metrics of one query."""
    return {
        f"ndcg@{k}": ndcg_at_k(ranked, qrels, k),
        f"recall@{k}": recall_at_k(ranked, qrels, k),
        "mrr": reciprocal_rank(ranked, qrels, k),
    }


def mean_metrics(rows: Iterable[Mapping[str, float]]) -> dict[str, float]:
    """Average per-query metric dicts; adds ``n`` (0 and no metrics if empty)."""
    rows = list(rows)
    if not rows:
        return {"n": 0}
    out: dict[str, float] = {key: round(sum(r[key] for r in rows) / len(rows), 4) for key in rows[0]}
    out["n"] = len(rows)
    return out


# -- judgments -----------------------------------------------------------------


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.casefold()).strip()


def load_queries(path: Path) -> list[dict[str, Any]]:
    """Read the JSONL query set (``half`` defaults to ``dev``)."""
    queries = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            q = json.loads(line)
            for key in ("id", "query", "type", "relevant"):
                if key not in q:
                    raise ValueError(f"{path}:{n}: missing {key!r}")
            q.setdefault("half", "dev")
            queries.append(q)
    return queries


def map_judgments(
    queries: Sequence[Mapping[str, Any]], items: Sequence[Mapping[str, Any]]
) -> tuple[dict[str, dict[int, int]], list[str]]:
    """Map each query's judgments to ``{item_id: grade}``; also return the unmatched ones."""
    prepared = [
        (it["id"], str(it["source"]).replace("\\", "/"), _norm(it["title"] or ""), _norm(f"{it['title']} {it['text']}"))
        for it in items
    ]
    qrels: dict[str, dict[int, int]] = {}
    unmatched: list[str] = []
    for q in queries:
        grades: dict[int, int] = {}
        for judgment in q["relevant"]:
            suffix = judgment["source_suffix"]
            grade = int(judgment.get("grade", 1))
            if "title_contains" in judgment:
                needle, field = _norm(judgment["title_contains"]), 2
            else:
                needle, field = _norm(judgment["text_contains"]), 3
            hits = [row[0] for row in prepared if row[1].endswith(suffix) and needle in row[field]]
            if not hits:
                unmatched.append(f"{q['id']}: {suffix} {'title' if field == 2 else 'text'} ~ {needle!r}")
            for item_id in hits:
                grades[item_id] = max(grades.get(item_id, 0), grade)
        qrels[q["id"]] = grades
    return qrels, unmatched


# -- BM25 layers -----------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


def stem_terms(text: str) -> list[str]:
    """Snowball stems of casefolded words (hyphenated words split): the plain baseline."""
    from index import compounds

    return [compounds.stem(w) for m in _WORD.finditer(text.casefold()) for w in m.group().split("-") if w]


def lemma_terms(text: str) -> list[str]:
    """Stems of efselab (then hunspell) lemmas, no compound parts."""
    from index import compounds, lemmas

    lex = compounds.get_lexicon()
    out = []
    for m in _WORD.finditer(text.casefold()):
        for w in m.group().split("-"):
            if w:
                out.append(compounds.stem(lemmas.lemma(w) or lex.lemma(w) or w) if len(w) >= 3 else w)
    return out


def full_terms(text: str) -> list[str]:
    """Rådslag's keyword analysis: lemmas, stems, compound parts, hyphen joins, special tokens."""
    from index.keyword import analyze

    return analyze(text).split()


class BM25:
    """Okapi BM25 over items (title weighted x2 like the product's FTS5 columns)."""

    def __init__(self, items: Sequence[Any], analyse: Callable[[str], list[str]], k1: float = 1.2, b: float = 0.75):
        self.analyse, self.k1, self.b = analyse, k1, b
        self.ids = [it.id for it in items]
        self.tf: list[Counter] = []
        for it in items:
            tf = Counter(analyse(it.text or ""))
            for t in analyse(it.title or ""):
                tf[t] += 2
            self.tf.append(tf)
        self.len = [sum(tf.values()) for tf in self.tf]
        self.avg = sum(self.len) / max(1, len(self.len))
        df: Counter = Counter()
        for tf in self.tf:
            df.update(tf.keys())
        n = len(self.tf)
        self.idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}

    def rank(self, query: str, stop: frozenset[str]) -> list[int]:
        words = [w for w in _WORD.findall(query.casefold()) if w not in stop] or _WORD.findall(query.casefold())
        terms = set(self.analyse(" ".join(words)))
        scores = []
        for item_id, tf, length in zip(self.ids, self.tf, self.len):
            s = 0.0
            for t in terms:
                f = tf.get(t)
                if f:
                    s += self.idf[t] * f * (self.k1 + 1) / (f + self.k1 * (1 - self.b + self.b * length / self.avg))
            if s > 0:
                scores.append((s, item_id))
        return [i for _, i in sorted(scores, key=lambda x: (-x[0], x[1]))]


# -- dense layers ----------------------------------------------------------------


def _encode_cached(embedder: Any, texts: list[str], cache: Path, name: str) -> Any:
    """Passage vectors, cached beside the archive by a hash of the texts and the model."""
    import hashlib

    import numpy as np

    key = hashlib.sha256((embedder.fingerprint + "\x00" + "\x00".join(texts)).encode()).hexdigest()[:16]
    path = cache / f"bench-{name}-{key}.npy"
    if path.exists():
        return np.load(path)
    vecs = embedder.encode_passages(texts, batch_size=16)
    np.save(path, vecs)
    return vecs


def _index_vectors(settings: Any, embedder: Any, passages: list[Any]) -> Any:
    """The archive's own (context) passage vectors from its FAISS index, or None when incomplete."""
    import numpy as np

    from index.vectors import VectorIndex

    try:
        index = VectorIndex.open(settings, embedder)
    except Exception:  # noqa: BLE001 - no usable index: encode instead
        return None
    ids, vecs = index.vectors()
    row = {int(i): n for n, i in enumerate(ids)}
    if any(p.id not in row for p in passages):
        return None
    return np.vstack([vecs[row[p.id]] for p in passages])


def _baseline_vectors(folder: Path, passages: list[Any]) -> Any:
    """Passage-text-only vectors from an archive embedded before context lines (same items, same split).

    Read with :func:`index.vectors.stored_vectors`, base and segment (the embedder refuses
    that index as another passage format, rightly); passages are matched by (item id, ordinal, text).
    """
    import numpy as np

    from index.store import Archive
    from index.vectors import stored_vectors

    ids, vecs = stored_vectors(folder)
    row = {int(i): n for n, i in enumerate(ids)}
    with Archive(folder / "archive.sqlite") as old:
        key = {(p.item_id, p.ordinal, p.text): p.id for p in old.passages()}
    out = []
    for p in passages:
        pid = key.get((p.item_id, p.ordinal, p.text))
        if pid is None or pid not in row:
            return None
        out.append(vecs[row[pid]])
    return np.vstack(out)


def dense_rankings(archive: Any, settings: Any, embedder: Any, queries: list[dict[str, Any]],
                   grid: Sequence[tuple[float, float]] = (), plain_from: Path | None = None) -> dict[str, dict[str, list[int]]]:
    """Rankings of the bench-computed dense rows (``dense_item``, ``dense_context``, ``dense_document``).

    ``grid``: ``(second_weight, meeting_weight)`` pairs of :func:`index.search.item_scores`
    to rank with too (rows ``agg_<second>_<meeting>``, over context passages).
    """
    from index.search import item_scores

    import numpy as np

    from index.passages import embedding_texts

    passages = archive.passages()
    items = archive.items(enrichment=False)
    item_doc = {it.id: it.document_id for it in items}
    order = {it.id: (it.document_id, it.ordinal) for it in items}
    cache = Path(settings.archive_dir)
    plain = _baseline_vectors(plain_from, passages) if plain_from else None
    if plain is None:
        plain = _encode_cached(embedder, [p.text for p in passages], cache, "plain")
    ctx = _index_vectors(settings, embedder, passages)
    if ctx is None:
        ctx = _encode_cached(embedder, embedding_texts(archive, passages), cache, "ctx")
    docs = sorted({it.document_id for it in items})
    doc_texts = []
    tok = embedder.tokenizer
    for d in docs:
        text = archive.document_text(d) or ""
        ids = tok(text[:20000], add_special_tokens=False)["input_ids"][: embedder.max_tokens - embedder.reserved_tokens]
        doc_texts.append(tok.decode(ids))
    dvecs = _encode_cached(embedder, doc_texts, cache, "doc")
    qvecs = embedder.encode_queries([q["query"] for q in queries])
    p_item = np.array([p.item_id for p in passages])
    meeting_of = {it.id: it.meeting_id for it in items}
    out: dict[str, dict[str, list[int]]] = {"dense_item": {}, "dense_context": {}, "dense_document": {}}
    for sw, mw in grid:
        out[f"agg_{sw}_{mw}"] = {}
    for qi, q in enumerate(queries):
        for name, mat in (("dense_item", plain), ("dense_context", ctx)):
            sims = mat @ qvecs[qi]
            best: dict[int, float] = {}
            for item_id, s in zip(p_item.tolist(), sims.tolist()):
                if s > best.get(item_id, -9):
                    best[item_id] = s
            out[name][q["id"]] = sorted(best, key=lambda i: -best[i])
        if grid:
            sims = (ctx @ qvecs[qi]).tolist()
            rows = [(i, meeting_of[i], sc) for i, sc in zip(p_item.tolist(), sims)]
            for sw, mw in grid:
                scored = item_scores(rows, sw, mw)
                out[f"agg_{sw}_{mw}"][q["id"]] = sorted(scored, key=lambda i: -scored[i][0])
        dsims = dict(zip(docs, (dvecs @ qvecs[qi]).tolist()))
        out["dense_document"][q["id"]] = sorted(item_doc, key=lambda i: (-dsims[item_doc[i]], order[i]))
    return out


def _earlier_rankings(archive: Any, settings: Any, query: str, k: int) -> dict[str, list[int]]:
    """The earlier hybrid rules on the product's keyword and dense lists.

    ``hybrid_rrf``: RRF, keyword weighted by coverage; ``hybrid_coverage``:
    the score fusion with the share of query terms matched as its only
    keyword evidence (no title share, no case numbers, no gate).
    """
    from index import fusion
    from index import search as S

    keyword = S.keyword_ranking(archive, query, S.CANDIDATES, None)
    coverage = S.keyword_coverage(archive, query, [i for i, _ in keyword])
    dense, _, _ = S.DenseSearcher.get(settings).ranking(archive, query, S.CANDIDATES, None)
    rrf = S.rrf([[i for i, _ in keyword], [i for i, _ in dense]], weights=[coverage, {}])
    cover = fusion.fuse(keyword, dense, fusion.KeywordEvidence(coverage=coverage), gate=0.0)
    return {name: sorted(fused, key=lambda i: -fused[i])[:k] for name, fused in
            (("hybrid_coverage", cover), ("hybrid_rrf", rrf))}


# -- running -------------------------------------------------------------------


def corpus_paths(corpus: Path) -> list[str]:
    """The meeting documents of a corpus folder (provenance files in capitals left out)."""
    paths = sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix in {".txt", ".md", ".pdf", ".docx"})
    return [str(p) for p in paths if not p.stem.isupper()]


def _summary(per_query: dict[str, dict[str, float]], queries: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    judged = [q for q in queries if q["type"] != "none"]
    for half in (*halves_of(queries), "all"):
        qs = [q for q in judged if half == "all" or q["half"] == half]
        entry = {"all": mean_metrics(per_query[q["id"]] for q in qs)}
        for kind in ("keyword", "paraphrase"):
            entry[kind] = mean_metrics(per_query[q["id"]] for q in qs if q["type"] == kind)
        out[half] = entry
    return out


@dataclass(frozen=True)
class CutRow:
    """One candidate of a hybrid result as the relevance cutoff reads it."""

    item: int
    dense: float | None  # best passage cosine (Hit.dense_score)
    coverage: float | None  # share of query term groups matched (1.0 when named by case number)
    topic: bool  # tagged with a topic the query names
    named: bool  # named by case number


#: Candidates per query the cutoff figures read (the ranking's top 30: a hit cut from
#: the top 10 lets the next passing candidate in, as the product does; at most
#: ``CANDIDATES / 3`` so the search's candidate pool, and so the ranking, stay those of k = 10).
CUT_DEPTH = 30


def old_rule(row: CutRow, gate: Any) -> bool:
    """The per-item rule alone (:func:`index.search.passes_cutoff`), no answerability gate."""
    from index.search import passes_cutoff

    return passes_cutoff(row.dense, row.coverage, row.topic)


def gated_rule(row: CutRow, gate: Any, line: tuple[float, float] | None = None) -> bool:
    """The product's rule (:func:`index.search.is_hit`): topic or case number, else the gate
    (:mod:`index.relevance`) and the per-item rule.

    ``line``: ``(answer_cosine, missing_weight)`` to try instead of the frozen constants.
    """
    return _product_rule(row, gate.answerable if line is None else gate.clears(*line))


def _product_rule(row: CutRow, answerable: bool) -> bool:
    """:func:`index.search.is_hit` for one candidate, given the gate's decision."""
    from index.search import is_hit

    return is_hit(row.dense, row.coverage, answerable=answerable, vouched=row.topic or row.named)


def cutoff_report(results: dict[str, list[CutRow]], gates: dict[str, Any], qrels: dict[str, dict[int, int]],
                  queries: list[dict[str, Any]], rule: Callable[[CutRow, Any], bool], halves: Sequence[str],
                  k: int = 10) -> dict[str, Any]:
    """How a cutoff rule treats the hybrid ranking (``results[qid]``: its top :data:`CUT_DEPTH` candidates).

    ``relevant_top10_kept``: share of the judged-relevant items of the uncut
    top ``k`` that pass; ``mean_hits_per_judged_query``: hits (at most ``k``)
    per query with a judged answer; ``ndcg10_before``/``ndcg10_after``: nDCG
    of the uncut top ``k`` and of the first ``k`` candidates that pass.
    """
    none_q = [q for q in queries if q["type"] == "none" and q["half"] in halves]
    judged = [q for q in queries if q["type"] != "none" and q["half"] in halves]
    empty = sum(1 for q in none_q if not any(rule(r, gates[q["id"]]) for r in results[q["id"]]))
    kept = total = fp = tp = 0
    hits, before, after = [], [], []
    for q in judged:
        rows, gate = results[q["id"]], gates[q["id"]]
        rel = {i for i, g in qrels[q["id"]].items() if g > 0}
        passed = [r.item for r in rows if rule(r, gate)]
        top = [r.item for r in rows[:k]]
        hits.append(len(passed[:k]))
        top_rel = [i for i in top if i in rel]
        total += len(top_rel)
        kept += sum(1 for i in top_rel if i in passed)
        tp += sum(1 for i in passed[:k] if i in rel)
        fp += sum(1 for i in passed[:k] if i not in rel)
        before.append(ndcg_at_k(top, qrels[q["id"]], k))
        after.append(ndcg_at_k(passed, qrels[q["id"]], k))
    for q in none_q:
        fp += sum(1 for r in results[q["id"]][:k] if rule(r, gates[q["id"]]))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = kept / total if total else 0.0
    return {
        "no_answer_queries_without_hits": f"{empty}/{len(none_q)}",
        "relevant_top10_kept": round(recall, 4),
        "precision_of_passed": round(precision, 4),
        "f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
        "mean_hits_per_judged_query": round(statistics.mean(hits), 2) if hits else 0,
        "ndcg10_before": round(statistics.mean(before), 4) if before else 0.0,
        "ndcg10_after": round(statistics.mean(after), 4) if after else 0.0,
    }


def _gate_objective(rep: dict[str, Any]) -> tuple[float, float]:
    """Share of no-answer queries without hits plus share of relevant top-10 items kept (then kept alone)."""
    done, total = rep["no_answer_queries_without_hits"].split("/")
    share = int(done) / int(total) if int(total) else 0.0
    return share + rep["relevant_top10_kept"], rep["relevant_top10_kept"]


def fit_gate(results: dict[str, list[CutRow]], gates: dict[str, Any], qrels: dict[str, dict[int, int]],
             queries: list[dict[str, Any]], c: float = 1.0) -> tuple[float, float]:
    """Fit the answerability line ``best cosine >= a + b * missing`` on ``queries``.

    A class-balanced logistic regression (C ``c``) of "the query has a judged
    answer" on standardised (best cosine, missing share) over the queries
    with a dense side and no named item or topic gives the line's slope; its
    threshold is the midpoint between two neighbouring queries' decision
    values that maximises :func:`_gate_objective` over ``queries`` (per-item
    rule as in the product). Returns ``(a, b)`` in cosine units.
    """
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    qs = [q for q in queries if gates[q["id"]].best_cosine is not None
          and not any(r.topic or r.named for r in results[q["id"]])]
    x = np.array([[gates[q["id"]].best_cosine, gates[q["id"]].missing] for q in qs])
    y = np.array([int(q["type"] != "none") for q in qs])
    mu, sd = x.mean(0), x.std(0) + 1e-12
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit((x - mu) / sd, y)
    w = model.coef_[0] / sd
    b0 = model.intercept_[0] - float((model.coef_[0] * mu / sd).sum())
    values = sorted(set((x @ w + b0).tolist()))
    cuts = [values[0] - 1.0] + [(lo + hi) / 2 for lo, hi in zip(values, values[1:])]
    halves = sorted({q["half"] for q in queries})
    best = None
    for t in cuts:
        line = ((t - b0) / w[0], -w[1] / w[0])  # w0 * cos + w1 * missing + b0 >= t
        rep = cutoff_report(results, gates, qrels, queries, lambda r, g, line=line: gated_rule(r, g, line), halves)
        key = _gate_objective(rep)
        if best is None or key > best[0]:
            best = (key, line)
    return best[1]


def calibrate_gate(results: dict[str, list[CutRow]], gates: dict[str, Any], qrels: dict[str, dict[int, int]],
                   queries: list[dict[str, Any]], folds: int = 5, seed: int = 0) -> dict[str, Any]:
    """The gate fitted three ways: on all queries; on dev+test scored on the other halves; grouped k-fold CV.

    Cross-validation folds are by query (a query's candidates never in its own
    fold's training); each fold's line is fitted on the other folds and its
    queries scored with it; the figures pool every fold's queries.
    """
    import random

    halves = halves_of(queries)
    out: dict[str, Any] = {}
    a, b = fit_gate(results, gates, qrels, queries)
    out["fit_all"] = {"answer_cosine": round(a, 4), "missing_weight": round(b, 4), **{
        h: cutoff_report(results, gates, qrels, queries, lambda r, g: gated_rule(r, g, (a, b)), [h]) for h in halves}}
    train = [q for q in queries if q["half"] in HALVES]
    rest = [h for h in halves if h not in HALVES]
    if train and rest:
        a2, b2 = fit_gate(results, gates, qrels, train)
        out["fit_dev_test"] = {"answer_cosine": round(a2, 4), "missing_weight": round(b2, 4), **{
            h: cutoff_report(results, gates, qrels, queries, lambda r, g: gated_rule(r, g, (a2, b2)), [h])
            for h in rest}}
    ids = [q["id"] for q in queries]
    random.Random(seed).shuffle(ids)
    fold_of = {qid: n % folds for n, qid in enumerate(ids)}
    decided: dict[str, bool] = {}  # (query id) -> gate open, from the line fitted without its fold
    lines = []
    for f in range(folds):
        a3, b3 = fit_gate(results, gates, qrels, [q for q in queries if fold_of[q["id"]] != f])
        lines.append((round(a3, 4), round(b3, 4)))
        for q in queries:
            if fold_of[q["id"]] == f:
                decided[q["id"]] = gates[q["id"]].clears(a3, b3)

    def cv_rule(row: CutRow, qid: str) -> bool:
        return _product_rule(row, decided[qid])

    by_id = {qid: qid for qid in gates}  # cross-validation decides per query: the rule is given the query id
    out[f"cv{folds}"] = {"lines": lines, **{
        h: cutoff_report(results, by_id, qrels, queries, cv_rule, halves if h == "all" else [h])
        for h in (*halves, "all")}}
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Build (or reuse) the archive, run every layer, return the report."""
    from index import fusion, relevance
    from index import search as S
    from index.embeddings import load_embedder
    from index.store import Archive
    from ingest.pipeline import ingest_paths
    from radslag.config import CORPUS_DIR, load_settings
    from radslag.lang import stopwords

    queries = load_queries(Path(args.queries))
    tmp = None
    if args.archive:
        archive_dir = Path(args.archive)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="radslag-bench-")
        archive_dir = Path(tmp.name) / "archive"
    settings = load_settings(archive_dir=archive_dir, embed=True, enrich=False)
    t0 = time.perf_counter()
    report = ingest_paths(corpus_paths(Path(args.corpus or CORPUS_DIR)), settings, progress=False)
    out: dict[str, Any] = {
        "n_queries": len(queries),
        "queries_by_half_and_type": {f"{h}/{t}": n for (h, t), n in sorted(Counter((q["half"], q["type"]) for q in queries).items())},
        "halves": halves_of(queries),
        "tuned_on": "dev (the 41 earlier queries + every other new query); every other half: queries never tuned on",
        "k": args.k,
        "ingest_seconds": round(time.perf_counter() - t0, 1),
        "ingest_failed": [(f.source, getattr(f, "message", "")) for f in report.failed],
        "ingest_notes": list(report.notes),
        "rows": {},
    }
    with Archive(settings.db_path) as archive:
        items = archive.items(enrichment=False)
        out["n_items"] = len(items)
        out["n_passages"] = archive.count("passages")
        qrels, unmatched = map_judgments(queries, [{"id": it.id, "source": it.source, "title": it.title,
                                                    "text": it.text} for it in items])
        out["unmatched"] = unmatched
        stop = frozenset(stopwords())
        rankings: dict[str, dict[str, list[int]]] = {}
        for name, fn in (("bm25_stem", stem_terms), ("bm25_lemma", lemma_terms), ("bm25_lemma_compound", full_terms)):
            bm = BM25(items, fn)
            rankings[name] = {q["id"]: bm.rank(q["query"], stop) for q in queries}
        embedder = load_embedder(settings)
        grid = [(sw, mw) for sw in (0.0, 0.3) for mw in (0.0, 0.1, 0.2, 0.3, 0.5)] if args.calibrate else []
        rankings.update(dense_rankings(archive, settings, embedder, queries, grid,
                                       Path(args.plain_from) if args.plain_from else None))
        cut_data: dict[str, list[CutRow]] = {}
        gates: dict[str, Any] = {}
        agree = 0
        times: dict[str, list[float]] = {"hybrid": [], "keyword": [], "dense": []}
        for mode in ("keyword", "dense", "hybrid"):
            rankings[mode] = {}
            for q in queries:
                depth = max(args.k, CUT_DEPTH) if mode == "hybrid" else args.k  # same pool, same order
                result = S.search(archive, q["query"], settings=settings, k=depth, mode=mode, cutoff=False)
                rankings[mode][q["id"]] = [h.item_id for h in result.hits][:args.k]
                times[mode].append(result.elapsed_ms)
                if mode == "hybrid":
                    for name, ranked in _earlier_rankings(archive, settings, result.query, args.k).items():
                        rankings.setdefault(name, {})[q["id"]] = ranked
                    ids = [h.item_id for h in result.hits]
                    kw_ids = [h.item_id for h in result.hits if h.keyword_rank]
                    # coverage as the product's cutoff reads it: keyword candidates, and items named by case number
                    ev = fusion.keyword_evidence(archive, result.query, [(i, 0.0) for i in kw_ids],
                                                 [(i, 0.0) for i in ids],
                                                 S.keyword_coverage(archive, result.query, kw_ids))
                    topical = S.topic_boost(archive, result.query, ids)
                    # the cosines unrounded (Hit.dense_score is rounded to 4 places)
                    _, _, cosine = S.DenseSearcher.get(settings).ranking(archive, result.query, S.CANDIDATES, None)
                    cut_data[q["id"]] = [CutRow(h.item_id, cosine.get(h.item_id), ev.coverage.get(h.item_id),
                                                h.item_id in topical, h.item_id in ev.named) for h in result.hits]
                    best = max(cosine.values(), default=None)
                    gates[q["id"]] = relevance.answerability(archive, result.query, best)
                    # the product's own cut agrees with the rule simulated here
                    cut = S.search(archive, q["query"], settings=settings, k=args.k, mode=mode, snippets=0)
                    simulated = [r.item for r in cut_data[q["id"]] if gated_rule(r, gates[q["id"]])][:args.k]
                    agree += [h.item_id for h in cut.hits] == simulated
        for name, ranks in rankings.items():
            per_query = {q["id"]: evaluate(ranks[q["id"]], qrels[q["id"]], args.k) for q in queries}
            out["rows"][name] = _summary(per_query, queries)
        if args.per_query:
            out["per_query"] = {
                q["id"]: {"query": q["query"], "type": q["type"], "half": q["half"],
                          **{name: [r[q["id"]].index(i) + 1 if i in r[q["id"]][:args.k] else None for i in qrels[q["id"]]]
                             for name, r in rankings.items()}}
                for q in queries}
        out["cutoff"] = {
            "rule": "per item: dense >= DENSE_CUTOFF or coverage >= COVERAGE_CUTOFF or topic (index.search."
                    "passes_cutoff), once the query is answerable (index.relevance); topic or case number always",
            "thresholds": {"dense": S.DENSE_CUTOFF, "coverage": S.COVERAGE_CUTOFF,
                           "answer_cosine": relevance.ANSWER_COSINE, "missing_weight": relevance.MISSING_WEIGHT},
            "product_agrees_with_simulated_rule": f"{agree}/{len(queries)}",
            **{half: cutoff_report(cut_data, gates, qrels, queries, gated_rule, [half]) for half in halves_of(queries)},
        }
        out["cutoff_old_rule"] = {
            "rule": "per item only (no answerability gate): the rule before index.relevance",
            **{half: cutoff_report(cut_data, gates, qrels, queries, old_rule, [half]) for half in halves_of(queries)},
        }
        if args.calibrate:
            out["calibration_gate"] = calibrate_gate(cut_data, gates, qrels, queries)
            grid = []
            for d in [x / 1000 for x in range(800, 881, 5)]:
                for c in (0.34, 0.5, 0.67, 0.75, 1.0):
                    def trial(row, gate, d=d, c=c):
                        return row.topic or (row.coverage is not None and row.coverage >= c) or \
                            (row.dense is not None and row.dense >= d)
                    rep = cutoff_report(cut_data, gates, qrels, queries, trial, ["dev"])
                    grid.append({"dense": d, "coverage": c, **rep})
            # the per-item rule alone: every no-answer query without hits, then as many relevant items kept as possible
            def empty_share(r: dict[str, Any]) -> float:
                done, total = r["no_answer_queries_without_hits"].split("/")
                return int(done) / max(1, int(total))
            grid.sort(key=lambda r: (-empty_share(r), -r["relevant_top10_kept"], -r["precision_of_passed"]))
            out["calibration_dev_top5"] = grid[:5]
        # latency: one more pass of hybrid and keyword-only queries, models warm
        lat: dict[str, list[float]] = {"hybrid": [], "keyword": []}
        for mode in lat:
            for q in queries:
                lat[mode].append(S.search(archive, q["query"], settings=settings, k=args.k, mode=mode).elapsed_ms)
        # the fusion's own reads (title coverage, case numbers) per hybrid query, on the same candidates
        lat["fusion_evidence"] = []
        for q in queries:
            query, _ = S.clean_query(q["query"])
            keyword = S.keyword_ranking(archive, query, S.CANDIDATES, None)
            dense, _, _ = S.DenseSearcher.get(settings).ranking(archive, query, S.CANDIDATES, None)
            coverage = S.keyword_coverage(archive, query, [i for i, _ in keyword])
            t0 = time.perf_counter()
            fusion.fuse(keyword, dense, fusion.keyword_evidence(archive, query, keyword, dense, coverage))
            lat["fusion_evidence"].append((time.perf_counter() - t0) * 1000)
        out["latency_ms"] = {mode: {"p50": round(statistics.median(v), 1),
                                    "p95": round(sorted(v)[int(0.95 * (len(v) - 1))], 1)} for mode, v in lat.items()}
    if tmp is not None:
        tmp.cleanup()
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", default=str(DEFAULT_QUERIES), help="JSONL query set")
    parser.add_argument("--corpus", default=None, help="corpus folder (default: the bundled corpus/)")
    parser.add_argument("--archive", default=None, help="archive folder to build into or reuse (default: a temp dir)")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--calibrate", action="store_true",
                        help="fit the cutoff's answerability gate (all, dev+test, 5-fold CV); grid its per-item rule on dev")
    parser.add_argument("--per-query", action="store_true", help="include per-query ranks of relevant items")
    parser.add_argument("--plain-from", default=None,
                        help="archive of the same corpus embedded without context lines (dense_item row without re-encoding)")
    args = parser.parse_args(argv)
    print(json.dumps(run(args), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
