"""Swedish keyword analysis for the FTS5 index and query building.

The ``items_fts`` columns hold the *analysed* form of each item's title and
text (see :func:`analyze`); queries go through the same analysis in
:func:`match_query`, so both sides meet on the same terms:

* Case is folded with ``str.casefold`` (å, ä, ö are kept; no diacritics are
  removed, matching the FTS5 tokenizer option ``remove_diacritics 0``).
* Words are reduced to a lemma and then stemmed with Snowball Swedish. The
  lemma comes from efselab's SALDO lemma table where suffix stripping cannot
  reach it (städer -> stad, gick -> gå; :mod:`index.lemmas`), else from the
  hunspell dictionary (skolans -> skola, motorburna -> motorburen; see
  :meth:`index.compounds.Lexicon.lemma`).
* Compounds are indexed whole *and* as their parts, so "trygghetsvandring"
  adds the terms ``trygghetsvandring trygghet vandring``. A compound in a
  query matches the whole term or all of its parts.
* Diarienummer (``ks-2025-00620``), dates (``2021-09-15``), paragraph numbers
  (``§ 12`` -> ``§12``) and property designations (``3:4`` -> ``3_4``) are
  kept as single tokens. The FTS5 tokenizer treats ``-``, ``_`` and ``§`` as
  token characters, so these survive it unchanged.
* Hyphenated words (``epa-traktor``) give their parts and the joined word.

Queries drop Swedish stop words (:func:`radslag.lang.stopwords`) unless
nothing else is left, ignore FTS5 operators and punctuation typed by users, and join
the terms with ``OR`` so BM25 ranks items that match more of them higher.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from index import compounds, lemmas
from radslag.lang import STOPWORDS_FILE, minutes_words, stopwords

# Order matters: special tokens are tried before plain words at each position.
_TOKEN = re.compile(
    r"""
    (?P<dnr>(?<![\w-])[^\W\d_]{1,8}-\d{4}-\d{2,7}(?![\w-]))     # KS-2025-00620
    |(?P<date>(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-]))             # 2021-09-15
    |(?P<para>§§?\s*(?P<p1>\d+)(?:\s*[-–]\s*(?P<p2>\d+))?)      # § 12, §§ 94-109
    |(?P<prop>(?<![\w:])\d+:\d+(?![\w:]))                       # Tölö 1:17, SOU 2025:83
    |(?P<word>[^\W_]+(?:-[^\W_]+)*)                             # ord, epa-traktor
    """,
    re.VERBOSE,
)
_FTS_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})
_OPERATOR_RE = re.compile(r"(?<!\w)(?:AND|OR|NOT|NEAR)(?!\w)")
_CACHE_LIMIT = 300_000


_word_cache: dict[str, tuple[str, tuple[str, ...]]] = {}


def word_terms(word: str) -> tuple[str, tuple[str, ...]]:
    """Analyse one casefolded word without hyphens.

    Returns:
        ``(full, parts)``: the stem of the whole word and the stems of its
        compound parts (empty when it is not a compound; never contains
        ``full``).
    """
    cached = _word_cache.get(word)
    if cached is not None:
        return cached
    if word.isdigit() or len(word) < 3:
        result: tuple[str, tuple[str, ...]] = (word, ())
    else:
        lex = compounds.get_lexicon()
        base = lemmas.lemma(word) or lex.lemma(word) or word
        full = compounds.stem(base)
        parts = compounds.split(base) or compounds.split(word)
        stems = tuple(p for p in dict.fromkeys(compounds.stem(p) for p in parts) if p != full)
        result = (full, stems)
    if len(_word_cache) >= _CACHE_LIMIT:
        _word_cache.clear()
    _word_cache[word] = result
    return result


def _hyphen_terms(token: str) -> tuple[str, tuple[str, ...]]:
    """Analyse a hyphenated word: the joined word, plus every part's terms."""
    pieces = [p for p in token.split("-") if p]
    if len(pieces) == 1:
        return word_terms(pieces[0])
    parts: list[str] = []
    for piece in pieces:
        full, sub = word_terms(piece)
        parts.append(full)
        parts.extend(sub)
    if any(not p.isdigit() for p in pieces):
        joined, joined_parts = word_terms("".join(pieces))
    else:  # 10-12, 17.30-19.00: no joined form
        joined, joined_parts = parts[0], ()
    merged = tuple(p for p in dict.fromkeys([*parts, *joined_parts]) if p != joined)
    return joined, merged


def _tokens(text: str) -> Iterator[tuple[str, str, str]]:
    """Yield ``(kind, token, surface)`` for a casefolded text.

    ``kind`` is ``special`` (kept verbatim as one index term) or ``word``.
    """
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind in ("dnr", "date"):
            yield "special", m.group(kind), m.group(kind)
        elif kind == "para":
            yield "special", "§" + m.group("p1"), m.group(0)
            if m.group("p2"):
                yield "special", "§" + m.group("p2"), m.group(0)
        elif kind == "prop":
            yield "special", m.group(kind).replace(":", "_"), m.group(kind)
        elif m.group("word"):
            yield "word", m.group("word"), m.group("word")


def _prepare(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


_index_cache: dict[str, str] = {}


def _index_terms(token: str) -> str:
    """Return the space-joined index terms of one word token (cached)."""
    joined = _index_cache.get(token)
    if joined is None:
        full, parts = _hyphen_terms(token) if "-" in token else word_terms(token)
        joined = " ".join((full, *parts))
        if len(_index_cache) >= _CACHE_LIMIT:
            _index_cache.clear()
        _index_cache[token] = joined
    return joined


@lru_cache(maxsize=1)
def analyzer_fingerprint() -> str:
    """Identify the analysis in force: data files, dictionary and splitter version.

    The FTS index stores analysed terms, so an archive analysed differently
    from today's queries must be re-analysed (see ``Archive.refresh_keyword_index``).
    """
    h = hashlib.sha256(f"{compounds._CACHE_VERSION}|{version('snowballstemmer')}|{lemmas.lemma_source()}".encode())
    for path in [*sorted((Path(__file__).parent / "data").glob("*.txt")), STOPWORDS_FILE]:
        h.update(path.read_bytes())
    dic = compounds.find_dictionary()
    h.update(str(dic.stat().st_size if dic else "no-dictionary").encode())
    return h.hexdigest()[:16]


def analyze(text: str) -> str:
    """Return the analysed form of ``text`` as space-separated index terms.

    Every word contributes its stem and, for compounds and hyphenated words,
    the stems of its parts; special tokens (diarienummer, dates, § numbers)
    are kept whole.

    Example:
        >>> analyze("Trygghetsvandringar i centrum, § 12")  # doctest: +SKIP
        'trygghetsvandring trygg vandring i centrum §12'
    """
    out: list[str] = []
    append = out.append
    cache = _index_cache
    for m in _TOKEN.finditer(_prepare(text)):
        word = m.group("word")
        if word is not None:
            terms = cache.get(word)
            append(terms if terms is not None else _index_terms(word))
            continue
        kind = m.lastgroup
        if kind == "para":
            append("§" + m.group("p1"))
            if m.group("p2"):
                append("§" + m.group("p2"))
        elif kind == "prop":
            append(m.group(kind).replace(":", "_"))
        else:
            append(m.group(kind))
    return " ".join(out)


def _quote(term: str) -> str:
    # Terms hold only word characters, '-', '_' and '§' (the tokenizer's
    # token characters), never a double quote; quoting makes each one an
    # FTS5 string so no term can be read as an operator or column filter.
    return '"' + term.replace('"', '""') + '"'


def query_group_terms(query: str, *, keep_stopwords: bool = False) -> list[tuple[str, tuple[str, ...]]]:
    """The terms of each of :func:`query_groups`, in the same order: ``(term, compound parts)``.

    A plain word or special token has no parts; a compound's group matches
    the whole term or all of its parts.
    """
    text = _prepare(_OPERATOR_RE.sub(" ", query))
    stop = frozenset() if keep_stopwords else stopwords()
    groups: list[tuple[str, tuple[str, ...]]] = []
    for kind, token, surface in _tokens(text):
        if kind == "special":
            groups.append((token, ()))
            continue
        if token in stop or all(p in stop for p in token.split("-")):
            continue
        groups.append(_hyphen_terms(token) if "-" in token else word_terms(token))
    return list(dict.fromkeys(groups))  # two analysed words may give one group


def group_expression(full: str, parts: tuple[str, ...]) -> str:
    """The FTS5 sub-expression of one query group (see :func:`query_groups`)."""
    if not parts:
        return _quote(full)
    both = " AND ".join(_quote(p) for p in parts)
    return f"({_quote(full)} OR ({both}))"


def query_groups(query: str, *, keep_stopwords: bool = False) -> list[str]:
    """Return one FTS5 sub-expression per distinct query term.

    A plain word gives ``"stem"``; a compound gives
    ``("whole" OR ("part1" AND "part2"))`` so it matches the same compound or
    an item holding all of its parts, but never just one part.
    """
    # query_group_terms gives each group once, so each expression comes once
    return [group_expression(full, parts) for full, parts in query_group_terms(query, keep_stopwords=keep_stopwords)]


def searched_group_terms(query: str) -> list[tuple[str, tuple[str, ...]]]:
    """:func:`query_group_terms` as a search reads them: stop words left out unless nothing else is left."""
    return query_group_terms(query) or query_group_terms(query, keep_stopwords=True)


def searched_groups(query: str) -> list[str]:
    """:func:`query_groups` as a search reads them: stop words left out unless nothing else is left.

    The one rule :func:`match_query`, :func:`all_terms_expression`, keyword
    coverage, title coverage and BM25 pruning share.
    """
    return query_groups(query) or query_groups(query, keep_stopwords=True)


def match_query(query: str) -> str:
    """Build an FTS5 MATCH expression for a free-text user query.

    Never raises and never returns invalid FTS5 syntax: quotes, parentheses,
    ``*``, ``-``, ``AND``/``OR``/``NOT`` and other punctuation typed by the
    user are ignored. Stop words are dropped unless the query has nothing
    else.

    Returns:
        The expression, or ``""`` when the query holds no searchable term
        (the caller must then skip the keyword search).
    """
    if not query or not query.strip():
        return ""
    return " OR ".join(searched_groups(query))


@lru_cache(maxsize=1)
def _content_stop_terms() -> frozenset[str]:
    return frozenset(analyze(" ".join(sorted(stopwords() | minutes_words()))).split())


def content_terms(text: str) -> list[str]:
    """Analysed terms that say what an item is about, in text order.

    Stop words and the words of meeting procedure (:mod:`radslag.lang`),
    terms of two letters or fewer and numbers are left out. Follow-up
    answers and TF-IDF threads compare items by these.
    """
    stop = _content_stop_terms()
    return [t for t in analyze(text).split() if t not in stop and len(t) > 2 and not t.isdigit()]


def all_terms_expression(query: str) -> str:
    """FTS5 expression requiring every term of ``query`` (``""`` when it has none).

    Terms as keyword search reads them (:func:`query_groups`): stop words
    left out ("klotter i centrum" does not require "i"), a compound met by
    the same compound or all of its parts. A query of stop words only
    requires those.
    """
    return " AND ".join(searched_groups(query))
