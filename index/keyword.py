"""Swedish keyword analysis for the FTS5 index (first version: fold + stem)."""

from __future__ import annotations

import re

import snowballstemmer

_WORD = re.compile(r"\w+", re.UNICODE)
_stemmer = snowballstemmer.stemmer("swedish")


def analyze(text: str) -> str:
    """Return the analysed form of ``text`` as space-separated index terms."""
    return " ".join(_stemmer.stemWords(_WORD.findall(text.casefold())))


def match_query(query: str) -> str:
    """Build an FTS5 MATCH expression (OR of analysed terms) for ``query``."""
    terms = analyze(query).split()
    return " OR ".join(f'"{t}"' for t in dict.fromkeys(terms))
