"""Swedish compound splitting for the keyword index.

Swedish writes compounds as one word ("trygghetsvandring", "lokalpolis-
områdeschef"), so a search for "vandring" would never find them without
splitting. The splitter uses the hunspell-sv dictionary, whose affix file
marks which words may begin (flag ``X``), continue (``U``) or end (``Y``) a
compound and derives the linking forms (``trygghet`` -> ``trygghets-``,
``skola`` -> ``skol-``) with suffix rules carrying the compound-permit flag
``W``. A data file of frequent domain words (``data/domain_words.txt``) adds
words allowed in every position, with generic linking morphemes
(``data/linking_morphemes.txt``).

Splitting is a dynamic programme over the word that prefers few, long parts.
The last part may be inflected ("trygghetsvandring|ar"): it is accepted when
its Snowball stem is the stem of a word allowed last. Parts are returned as
base forms (linking morphemes removed). A word the dictionary knows whole is
split only when every part has at least :data:`WHOLE_WORD_MIN_PART` letters,
so "ungdom" stays whole while "kommunstyrelse" becomes kommun + styrelse; the
caller indexes the whole word as well, so both forms are kept.

The lexicon is parsed once, lazily, and kept as a SQLite file in the
settings cache folder (parsing and stemming 279k entries takes a few
seconds). A process does not load it whole: splitting a query's few words
looks each candidate part up on disk (:mod:`index.table_cache`), so a cold
``radslag search`` does not pay 0.4 s for 660k entries it never reads; a
process that analyses many words (ingest) loads the tables it uses.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sys
import sysconfig
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import snowballstemmer

from index import table_cache
from radslag.config import load_settings
from radslag.lang import read_word_list

DATA_DIR = Path(__file__).resolve().parent / "data"
DOMAIN_WORDS_FILE = DATA_DIR / "domain_words.txt"
LINKING_FILE = DATA_DIR / "linking_morphemes.txt"
ENDINGS_FILE = DATA_DIR / "inflection_endings.txt"

#: Shortest compound part (in letters, base form).
MIN_PART = 3
#: Parts of a split word that the dictionary also knows whole must be this long.
WHOLE_WORD_MIN_PART = 4
#: Words shorter than this are never split.
MIN_WORD = 6
#: Most parts in one compound (hunspell-sv's COMPOUNDWORDMAX).
MAX_PARTS = 4
#: Bump when the lexicon's construction changes (it is part of the keyword
#: analyzer's fingerprint: a bump re-analyses every archive).
_CACHE_VERSION = 4
#: Tables of the lexicon kept on disk (the rest is small and kept as metadata).
_TABLES = ("begin", "middle", "end", "end_stems", "whole", "whole_stems")

log = logging.getLogger(__name__)

_stemmer = snowballstemmer.stemmer("swedish")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Return the Snowball Swedish stem of a lower-case word (cached)."""
    return _stemmer.stemWord(word)


@dataclass
class Lexicon:
    """Compound-part lexicon.

    A lexicon read from the cache (:func:`get_lexicon`) holds read-only
    :class:`index.table_cache.TableView` objects in place of the dicts and
    sets below; they answer ``in`` and ``get`` alike.

    Attributes:
        begin: Surface form allowed first in a compound -> base form.
        middle: Surface form allowed inside a compound -> base form.
        end: Base forms allowed last.
        end_stems: Stems of the ``end`` words (to accept inflected last parts).
        whole: Lower-case words the dictionary knows as independent words.
        whole_stems: Stems of ``whole``.
        domain: The domain words (always clear compound parts).
        endings: ``(ending, replacement)`` pairs for :meth:`lemma`, tried in order.
        source: Where the dictionary came from (path, or ``domain list only``).
    """

    begin: dict[str, str] = field(default_factory=dict)
    middle: dict[str, str] = field(default_factory=dict)
    end: set[str] = field(default_factory=set)
    end_stems: set[str] = field(default_factory=set)
    whole: set[str] = field(default_factory=set)
    whole_stems: set[str] = field(default_factory=set)
    domain: set[str] = field(default_factory=set)
    endings: list[tuple[str, str]] = field(default_factory=list)
    source: str = ""

    def lemma(self, word: str, words: set[str] | None = None) -> str | None:
        """Guess the dictionary lemma of an inflected form, or None.

        Args:
            word: Lower-case word form.
            words: The lemma set to look in (default: :attr:`whole`).
        """
        words = self.whole if words is None else words
        if word in words:
            return word
        for ending, repl in self.endings:
            if word.endswith(ending) and len(word) - len(ending) + len(repl) >= MIN_PART:
                cand = word[: len(word) - len(ending)] + repl
                if cand in words:
                    return cand
        return None

    def knows_whole(self, word: str) -> bool:
        """Return True if ``word`` (or an inflection of it) is a dictionary word."""
        return self.lemma(word) is not None or stem(word) in self.whole_stems

    def is_clear_part(self, part: str) -> bool:
        """Return True if ``part`` is long enough (or a domain word) to split a known word."""
        return len(part) >= WHOLE_WORD_MIN_PART or part in self.domain or stem(part) in self.domain


def find_dictionary() -> Path | None:
    """Locate ``sv_SE.dic``: the environment's ``share/hunspell``, then the system's."""
    candidates = []
    for prefix in dict.fromkeys([sysconfig.get_paths().get("data", sys.prefix), sys.prefix, sys.base_prefix]):
        candidates.append(Path(prefix) / "share" / "hunspell" / "sv_SE.dic")
    candidates.append(Path("/usr/share/hunspell/sv_SE.dic"))
    candidates.append(Path("/usr/local/share/hunspell/sv_SE.dic"))
    for path in candidates:
        if path.is_file() and path.with_suffix(".aff").is_file():
            return path
    return None


_SFX_HEADER = re.compile(r"^SFX\s+(\S)\s+([YN])\s+(\d+)\s*$")
_SFX_RULE = re.compile(r"^SFX\s+(\S)\s+(\S+)\s+(\S+)\s+(\S+)")


def _parse_linking_rules(aff: Path) -> dict[str, list[tuple[str, str, re.Pattern[str], bool, bool]]]:
    """Parse the suffix rules that build compound-part forms (those carrying ``W``).

    Returns:
        Flag -> list of ``(strip, add, condition, may_begin, may_middle)``.
    """
    rules: dict[str, list[tuple[str, str, re.Pattern[str], bool, bool]]] = {}
    for line in aff.read_text(encoding="utf-8", errors="replace").splitlines():
        if _SFX_HEADER.match(line):
            continue
        m = _SFX_RULE.match(line)
        if not m:
            continue
        flag, strip, add, cond = m.groups()
        add, _, cont = add.partition("/")
        if "W" not in cont:
            continue
        strip = "" if strip == "0" else strip
        add = "" if add == "0" else add
        cond_re = re.compile("(?:" + (cond if cond != "." else ".") + ")$")
        rules.setdefault(flag, []).append((strip, add, cond_re, "X" in cont, "U" in cont))
    return rules


def _add_domain_words(lex: Lexicon, words: list[str], links: list[str]) -> None:
    """Allow domain words in every position, with generic linking forms."""
    for w in words:
        forms = {w}
        forms.update(w + link for link in links)
        if len(w) > MIN_PART and w[-1] in "ae":  # skola -> skol-, pojke -> pojk-
            forms.add(w[:-1])
            forms.update(w[:-1] + link for link in links)
        for f in forms:
            lex.begin.setdefault(f, w)
            lex.middle.setdefault(f, w)
        lex.end.add(w)
        lex.end_stems.add(stem(w))
        lex.whole.add(w)
        lex.whole_stems.add(stem(w))
        lex.domain.add(w)
        lex.domain.add(stem(w))


def build_lexicon(dic: Path | None) -> Lexicon:
    """Build the lexicon from a hunspell dictionary (or none) plus the domain list."""
    lex = Lexicon(source=str(dic) if dic else "domain list only")
    if dic is not None:
        rules = _parse_linking_rules(dic.with_suffix(".aff"))
        lines = dic.read_text(encoding="utf-8", errors="replace").splitlines()[1:]
        for line in lines:
            entry = line.split(None, 1)[0] if line.strip() else ""
            word, _, flags = entry.partition("/")
            if len(word) < MIN_PART or not word.isalpha() or word != word.lower():
                continue
            only_in_compound = "Z" in flags
            if not only_in_compound:
                lex.whole.add(word)
            if "X" in flags:
                lex.begin.setdefault(word, word)
            if "U" in flags:
                lex.middle.setdefault(word, word)
            if "Y" in flags:
                lex.end.add(word)
            for flag in flags:
                for strip_, add, cond, may_begin, may_middle in rules.get(flag, ()):
                    if not cond.search(word) or (strip_ and not word.endswith(strip_)):
                        continue
                    form = (word[: len(word) - len(strip_)] if strip_ else word) + add
                    if len(form) < MIN_PART:
                        continue
                    if may_begin:
                        lex.begin.setdefault(form, word)
                    if may_middle:
                        lex.middle.setdefault(form, word)
        lex.end_stems = {stem(w) for w in lex.end}
        lex.whole_stems = {stem(w) for w in lex.whole}
    endings = [tuple((line.split() + [""])[:2]) for line in read_word_list(ENDINGS_FILE)]
    lex.endings = sorted(endings, key=lambda e: (bool(e[1]), -len(e[0])))
    links = read_word_list(LINKING_FILE)
    _add_domain_words(lex, read_word_list(DOMAIN_WORDS_FILE), links)
    return lex


def _cache_path(dic: Path | None) -> Path | None:
    cache_dir = load_settings().cache_dir
    h = hashlib.sha256(f"{_CACHE_VERSION}|{table_cache.FORMAT}".encode())
    for p in (dic, dic.with_suffix(".aff") if dic else None, DOMAIN_WORDS_FILE, LINKING_FILE, ENDINGS_FILE):
        if p is not None:
            st = p.stat()
            h.update(f"{p}|{st.st_size}|{st.st_mtime_ns}".encode())
    return Path(cache_dir) / "compounds" / f"lexicon-{h.hexdigest()[:16]}.sqlite"


def store_lexicon(lex: Lexicon, cache: Path) -> bool:
    """Keep ``lex`` in ``cache`` (see :func:`open_lexicon`); False when it could not be written."""
    meta = {"source": lex.source, "endings": json.dumps(lex.endings, ensure_ascii=False),
            "domain": json.dumps(sorted(lex.domain), ensure_ascii=False)}
    return table_cache.write(cache, {name: getattr(lex, name) for name in _TABLES}, meta, "compound lexicon")


def open_lexicon(cache: Path | None) -> Lexicon | None:
    """The lexicon kept in ``cache``, looked up on disk; None when missing or unreadable."""
    tables = table_cache.TableFile.open(cache, "compound lexicon")
    if tables is None:
        return None
    try:
        return Lexicon(
            **{name: tables.view(name) for name in _TABLES},  # type: ignore[arg-type]
            domain=set(json.loads(tables.meta("domain") or "")),
            endings=[(str(e), str(r)) for e, r in json.loads(tables.meta("endings") or "")],
            source=tables.meta("source") or "",
        )
    except (KeyError, TypeError, ValueError) as exc:
        log.warning("ignoring unreadable compound lexicon cache %s: %s", cache, exc)
        return None


_LEXICON: Lexicon | None = None


def get_lexicon() -> Lexicon:
    """Return the process-wide lexicon, building (or opening the cached) one on first use."""
    global _LEXICON
    if _LEXICON is not None:
        return _LEXICON
    dic = find_dictionary()
    if dic is None:
        warnings.warn(
            "hunspell-sv dictionary (sv_SE.dic) not found; compound splitting uses only the "
            "domain word list in index/data/domain_words.txt. Install the hunspell-sv package.",
            RuntimeWarning,
            stacklevel=2,
        )
    cache = _cache_path(dic)
    lex = open_lexicon(cache)
    if lex is not None:
        _LEXICON = lex
        return lex
    lex = build_lexicon(dic)
    if cache is not None:
        store_lexicon(lex, cache)
    _LEXICON = lex  # this process keeps the one it built, in memory
    return lex


def set_lexicon(lex: Lexicon | None) -> None:
    """Replace the process-wide lexicon (for tests); ``None`` forces a reload."""
    global _LEXICON
    _LEXICON = lex
    split.cache_clear()


def _split_once(word: str, lex: Lexicon) -> list[str] | None:
    """Split ``word`` into 2..MAX_PARTS base-form parts, or return None.

    Dynamic programme from the right: ``best[i]`` is the best split of
    ``word[i:]`` where position ``i`` starts a middle part (or the first part
    when ``i == 0``). Cost: fewest parts, then largest sum of squared part
    lengths (long parts win over many short ones).
    """
    n = len(word)
    best: list[tuple[tuple[int, int], list[str]] | None] = [None] * (n + 1)
    for i in range(n - MIN_PART, -1, -1):
        candidates: list[tuple[tuple[int, int], list[str]]] = []
        # last part word[i:]
        if i > 0:
            seg = word[i:]
            base = lex.lemma(seg, lex.end)
            if base is None and stem(seg) in lex.end_stems:
                base = seg
            if base is not None:
                candidates.append(((1, -len(seg) ** 2), [base]))
        table = lex.begin if i == 0 else lex.middle
        for j in range(i + MIN_PART, n - MIN_PART + 1):
            rest = best[j]
            if rest is None or rest[0][0] >= MAX_PARTS:
                continue
            base = table.get(word[i:j])
            if base is None:
                continue
            (parts, score), tail = rest
            candidates.append(((parts + 1, score - (j - i) ** 2), [base, *tail]))
        if candidates:
            best[i] = min(candidates, key=lambda c: c[0])
    result = best[0]
    if result is None or len(result[1]) < 2:
        return None
    return result[1]


@lru_cache(maxsize=100_000)
def split(word: str) -> tuple[str, ...]:
    """Split a lower-case word into its compound parts (base forms).

    Parts that are themselves compounds are split again, so
    ``lokalpolisområdeschef`` gives ``("lokal", "polis", "område", "chef")``.
    The last part is reduced to its lemma when the dictionary knows it
    (``trygghetsvandringar`` -> ``("trygghet", "vandring")``), else kept as
    written; stem the parts before indexing.

    Args:
        word: A single lower-case (casefolded) word without hyphens.

    Returns:
        The parts, or an empty tuple when the word is not a compound.
    """
    if len(word) < MIN_WORD or not word.isalpha():
        return ()
    lex = get_lexicon()
    parts = _split_once(word, lex)
    if parts is None:
        return ()
    flat: list[str] = []
    for part in parts:
        sub = split(part) if len(part) >= 2 * MIN_PART else ()
        flat.extend(sub or (part,))
    if lex.knows_whole(word) and not all(lex.is_clear_part(p) for p in flat):
        return ()
    return tuple(flat)
