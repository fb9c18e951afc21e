"""The lexicon signal: seed terms of each topic matched on stemmed, case-folded words.

Matching is inflection-agnostic and compound-aware: a seed stem matches the
start of a word, a long one (at least six letters) anywhere inside it, so
"trygghetsvandringen" and "grannsamverkansombud" match. A seed written
``=word`` matches only the word itself with an inflection ending; one in
capitals (``SIG``) is also case-sensitive. Multi-word seeds match
consecutive words.

The lexicon uses its own Snowball analysis rather than
:func:`index.keyword.analyze`, so that a calibration does not shift when
the search analyser changes; compounds are handled by the prefix/infix
matching above.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import snowballstemmer

from radslag.taxonomy import Topic

#: Reference length (tokens) for the optional length damping of body hits.
REF_TOKENS = 150

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_ENDINGS = ("", "n", "en", "et", "na", "ar", "er", "or", "arna", "erna", "orna", "ens", "ets", "s", "ns")
_stemmer = snowballstemmer.stemmer("swedish")


class _Tok:
    """A word of an item: as written, case-folded and stemmed."""

    __slots__ = ("surface", "folded", "stem")  # attribute access is the hot path of matching

    def __init__(self, surface: str, folded: str, stem: str):
        self.surface, self.folded, self.stem = surface, folded, stem


class _SeedTok:
    """A word of a seed term: ``kind`` "cs" (acronym, case-sensitive), "exact" (word + ending) or "stem"."""

    __slots__ = ("kind", "value")

    def __init__(self, kind: str, value: str):
        self.kind, self.value = kind, value


def _tokens(text: str) -> list[_Tok]:
    words = _WORD.findall(text)
    folded = [w.casefold() for w in words]
    stems = _stemmer.stemWords(folded)
    return [_Tok(w, f, s) for w, f, s in zip(words, folded, stems)]


def _compile_seed(seed: str) -> tuple[_SeedTok, ...]:
    exact = seed.startswith("=")
    words = _WORD.findall(seed[1:] if exact else seed)
    out = []
    for w in words:
        if len(w) >= 2 and w.isupper():
            out.append(_SeedTok("cs", w))
        elif exact:
            out.append(_SeedTok("exact", w.casefold()))
        else:
            out.append(_SeedTok("stem", _stemmer.stemWord(w.casefold())))
    return tuple(out)


def _tok_match(tok: _Tok, seed: _SeedTok) -> bool:
    if seed.kind == "cs":
        return tok.surface == seed.value
    if seed.kind == "exact":
        return tok.folded.startswith(seed.value) and tok.folded[len(seed.value) :] in _ENDINGS
    v = seed.value
    if len(v) < 4:
        return tok.stem == v
    if tok.stem.startswith(v) or tok.folded.startswith(v):
        return True
    return len(v) >= 6 and v in tok.folded


@lru_cache(maxsize=4)
def _compiled_lexicon(seeds: tuple[tuple[str, ...], ...]) -> list[list[tuple[_SeedTok, ...]]]:
    return [[c for c in (_compile_seed(s) for s in topic_seeds) if c] for topic_seeds in seeds]


def _hits(tokens: Sequence[_Tok], seeds: list[tuple[_SeedTok, ...]]) -> int:
    """Count distinct token positions where any of ``seeds`` starts a match."""
    starts: set[int] = set()
    n = len(tokens)
    for seed in seeds:
        k = len(seed)
        first = seed[0]
        for i in range(n - k + 1):
            if i in starts or not _tok_match(tokens[i], first):
                continue
            if all(_tok_match(tokens[i + j], seed[j]) for j in range(1, k)):
                starts.add(i)
    return len(starts)


def lexicon_hits(title: str, text: str, topics: Sequence[Topic]) -> tuple[np.ndarray, np.ndarray, int]:
    """Count seed-term hits per topic.

    Args:
        title: Item title.
        text: Item text.
        topics: The taxonomy.

    Returns:
        ``(title_hits, body_hits, body_token_count)``; the arrays have one
        entry per topic.
    """
    lex = _compiled_lexicon(tuple(t.seed_terms for t in topics))
    ttoks, btoks = _tokens(title or ""), _tokens(text or "")
    th = np.array([_hits(ttoks, s) for s in lex], dtype=np.float32)
    bh = np.array([_hits(btoks, s) for s in lex], dtype=np.float32)
    return th, bh, len(btoks)


def lexicon_score(
    title_hits: np.ndarray, body_hits: np.ndarray, ntok: np.ndarray | float, title_weight: float, density: float
) -> np.ndarray:
    """Map hit counts to ``[0, 1)``: ``1 - exp(-x / 2)`` with ``x = title_weight * title + body``.

    With ``density`` > 0 body hits are weighed by ``(REF_TOKENS / tokens) **
    density`` (clipped to ``[0.25, 4]``): a mention in a short item says more
    than one in a long report.
    """
    damp = np.clip((REF_TOKENS / np.maximum(ntok, 1.0)) ** density, 0.25, 4.0)
    x = title_weight * title_hits + body_hits * damp
    return 1.0 - np.exp(-x / 2.0)
