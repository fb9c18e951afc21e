"""The keyword side's top-k BM25 without scoring every row a common word matches.

FTS5 ranks an OR query by scoring every row that any of its terms matches
(about 2 µs a row); at a million agenda items a common word matches hundreds
of thousands of rows. :func:`top_k` gives the same list when it can prove it
cheaply, and None otherwise (the caller then asks FTS5):

* **The score** is FTS5's ``bm25`` recomputed for chosen rows from the index's
  own statistics (:meth:`Archive.fts_totals`, :meth:`Archive.term_rows`,
  :meth:`Archive.fts_rows`), operation by operation as ``fts5_aux.c`` does it
  in double precision, so the floats are identical (tested against FTS5). A
  phrase of a compound's ``("whole" OR ("part" AND "part"))`` counts only
  where its AND matches, as FTS5 reports phrase hits. Any row whose analysed
  text does not split into the token count FTS5 stored gives up (None).
* **Pruning** (max-score): the query's groups are ordered by how many rows
  they can match; the rows ``S`` matching the rarest groups ``R`` are scored
  exactly. A row outside ``S`` matches none of ``R`` so its score is below
  ``U``, the sum of the other phrases' largest possible contributions
  (``idf * (k1 + 1)``, plus the parts of ``R``'s compounds, which such a row
  may hold without matching). When the ``limit``-th best row of ``S`` scores
  at least ``U``, no row outside can enter the list, and the list is FTS5's
  (ties by item id, as FTS5's ordered scan leaves them). Otherwise one more
  group joins ``R``, while ``S`` stays under :data:`MAX_ROWS`.
* **A filter** of at most :data:`MAX_ROWS` items is scored whole.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from index.keyword import group_expression, searched_group_terms

if TYPE_CHECKING:
    from collections.abc import Callable

    from index.store import Archive

#: FTS5's bm25 constants (fts5_aux.c).
K1 = 1.2
B = 0.75
#: Most rows scored here for one query; beyond that FTS5 ranks.
MAX_ROWS = 6000
#: A row scored here costs about this many rows scored by FTS5 (measured on 100k items, CPU time:
#: ~13 µs a row read and scored here, ~1 µs a row in FTS5's bm25); rows are scored here only when
#: that is cheaper than FTS5 scoring every row the query matches.
COST_RATIO = 12
#: Relative margin on the bound ``U`` (the bound is exact in real numbers; this covers rounding).
MARGIN = 1e-9
_TOKEN_PUNCT = frozenset("-_§")


def group_rows(rows_of: Callable[[str], int], full: str, parts: tuple[str, ...]) -> int:
    """At most the rows one query group matches: the whole term's rows, plus its rarest part's for a compound.

    ``rows_of`` gives a term's row count (``Archive.term_rows`` or counts already read).
    """
    return rows_of(full) + (min(rows_of(p) for p in parts) if parts else 0)


def _plain(term: str) -> bool:
    """A term FTS5's unicode61 tokenizer reads as this one token (Latin letters, digits, ``-_§``)."""
    return bool(term) and all(
        (ch.isalnum() and (ch.isascii() or "\u00c0" <= ch <= "\u017f")) or ch in _TOKEN_PUNCT for ch in term
    ) and term == term.lower()


class _Scorer:
    """FTS5's bm25 of one OR query, for rows read from the index."""

    def __init__(self, archive: "Archive", groups: list[tuple[str, tuple[str, ...]]], weights: tuple[float, float]):
        self.archive = archive
        self.groups = groups
        self.weights = weights
        rows, tokens = archive.fts_totals()
        self.ok = rows > 0
        self.avgdl = tokens / rows if rows else 0.0
        hits: dict[str, int] = {}
        # phrases in the expression's order: each group's term, then its parts
        self.phrases: list[tuple[int, str, bool]] = []
        for g, (full, parts) in enumerate(groups):
            self.phrases.append((g, full, False))
            self.phrases.extend((g, p, True) for p in parts)
        for _, term, _ in self.phrases:
            if term not in hits:
                hits[term] = archive.term_rows(term)
        self.hits = hits
        self.idf = {}
        for term, n_hit in hits.items():
            idf = math.log((rows - n_hit + 0.5) / (n_hit + 0.5))
            self.idf[term] = idf if idf > 0.0 else 1e-6

    def most(self, term: str) -> float:
        """More than the largest contribution one phrase of ``term`` can make."""
        return self.idf[term] * (K1 + 1.0) * (1.0 + MARGIN)

    def group_rows(self, g: int) -> int:
        """At most the rows group ``g`` matches (:func:`group_rows`)."""
        return group_rows(self.hits.__getitem__, *self.groups[g])

    def scores(self, item_ids) -> dict[int, float] | None:
        """``{item: bm25}`` of the given items that match the query; None when a row cannot be read as FTS5 does."""
        w_title, w_body = self.weights
        terms = list(dict.fromkeys(t for _, t, _ in self.phrases))
        groups = self.groups
        # per phrase: its IDF, its term, and the parts whose AND must match for it to count (None: its own term)
        phrases = [(self.idf[t], t, self.groups[g][1] if part else None) for g, t, part in self.phrases]
        avgdl = self.avgdl
        needles = [(t, f" {t} ") for t in terms]
        out: dict[int, float] = {}
        for item_id, title, body, n_tokens in self.archive.fts_rows(list(item_ids)):
            # analyse() joins terms with one space: with every space doubled, " term " occurrences
            # cannot overlap, so str.count counts the term's tokens (C speed, no split)
            t_pad = " " + title.replace(" ", "  ") + " " if title else ""
            b_pad = " " + body.replace(" ", "  ") + " " if body else ""
            if (title.count(" ") + 1 if title else 0) + (body.count(" ") + 1 if body else 0) != n_tokens or "  " in title \
                    or "  " in body or title[:1] == " " or body[:1] == " " or title[-1:] == " " or body[-1:] == " ":
                return None  # this text does not tokenize here as FTS5 tokenized it
            freq = {t: t_pad.count(n) * w_title + b_pad.count(n) * w_body for t, n in needles}
            if not any(freq[full] or parts and all(freq[p] for p in parts) for full, parts in groups):
                continue
            D = float(n_tokens)  # noqa: N806 (fts5_aux.c's name)
            norm = K1 * (1 - B + B * D / avgdl)  # the same double fts5_aux.c computes for every phrase
            score = 0.0
            for idf, term, parts in phrases:
                f = freq[term] if parts is None or all(freq[p] for p in parts) else 0.0
                score += idf * ((f * (K1 + 1.0)) / (f + norm))
            out[item_id] = score
        return out


def _best(scores: dict[int, float], limit: int) -> list[tuple[int, float]]:
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


def top_k(
    archive: "Archive", query: str, limit: int, weights: tuple[float, float], allowed: frozenset[int] | set[int] | None
) -> list[tuple[int, float]] | None:
    """FTS5's ``bm25`` ranking of the query's OR expression, best first, when it can be had cheaply.

    Returns:
        ``(item_id, score)`` as :meth:`Archive.keyword_ranking` gives them
        (score = -bm25, ties by item id), or None: ask FTS5.
    """
    groups = searched_group_terms(query)  # as match_query joins them
    if not groups or limit < 1 or not all(_plain(t) for full, parts in groups for t in (full, *parts)):
        return None
    if allowed is None and len(groups) < 2:
        return None
    scorer = _Scorer(archive, groups, weights)
    if not scorer.ok:
        return None
    fts_rows = sum(scorer.group_rows(g) for g in range(len(groups)))  # about the rows FTS5 would score
    if allowed is not None and len(allowed) <= MAX_ROWS:
        if len(allowed) * COST_RATIO > fts_rows:
            return None  # FTS5 is cheaper
        got = scorer.scores(sorted(allowed))
        return None if got is None else _best(got, limit)
    order = sorted(range(len(groups)), key=scorer.group_rows)
    rows: set[int] = set()  # the rows matching the rare groups so far (each group's rows read once)
    scored: dict[int, float] = {}  # every row of ``rows`` scored so far: a pass scores only the new ones
    done: set[int] = set()
    for r in range(1, len(groups)):
        rare, rest = order[:r], order[r:]
        rare_rows = sum(scorer.group_rows(g) for g in rare)
        if rare_rows > MAX_ROWS or rare_rows * COST_RATIO > fts_rows:
            return None
        bound = sum(scorer.most(t) for g in rest for t in (groups[g][0], *groups[g][1]))
        bound += sum(scorer.most(p) for g in rare for p in groups[g][1])
        new = archive.keyword_matches(group_expression(*groups[rare[-1]]))  # OR of the rare groups: their union
        rows |= new if allowed is None else new & allowed
        if len(rows) < limit:
            continue
        got = scorer.scores([i for i in rows if i not in done])
        if got is None:
            return None
        done |= rows
        scored.update(got)
        best = _best(scored, limit)
        if len(best) == limit and best[-1][1] >= bound:
            return best
    return None
