"""Written forms of one person's name: shared by canonical names (ingest) and people listings (index).

Two written forms are the same person when their first names are equal
(case-insensitive) and they share a surname part, where a hyphenated surname
counts as its parts and a genitive "-s" may be dropped: "Carin Becker",
"Carin Becker-Åström", "CARIN BECKER" and "Carin Beckers" are one person.
Role words around the name ("kommunchef Carin Becker") are stripped by a
predicate the caller gives (the role lexicon lives with entity extraction).
A first name written in part ("Britt" for "Maj-Britt") is the same person
when at least two surname parts are shared: "Maj-Britt Rane Andersson" and
"Britt Rane-Andersson" are one person, "Britt Andersson" stays apart.
A lone first name or surname joins a person when exactly one person fits.
The canonical form is the fullest written form (most surname parts), then
the most frequent.

:func:`looks_like_person` says whether a name can be a person's at all: two
or more capitalised name words, none of them a word that marks an
organisation or place (``radslag/data/not_person_words.txt``), and no
municipality as the first word ("Köpings Bostäder"); "Lokalbehov",
"Ellevio" and "J" are not persons.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

NOT_PERSON_FILE = Path(__file__).resolve().parent / "data" / "not_person_words.txt"

RoleTest = Callable[[str], bool]


def _no_role(word: str) -> bool:
    return False


def name_tokens(text: str, is_role_word: RoleTest = _no_role) -> list[str]:
    """Split a person mention into name words, without role words, lower-case words or brackets.

    Example: ``name_tokens("kommunchef Carin Becker")`` → ``["Carin", "Becker"]``.
    """
    words = [w.strip(",.;:()[]\"'") for w in text.split()]
    words = [w for w in words if w]
    while words and (is_role_word(words[0]) or words[0][:1].islower()):
        words.pop(0)
    while words and (is_role_word(words[-1]) or words[-1][:1].islower()):
        words.pop()
    return words


def display(words: list[str]) -> str:
    """Join name words; an all-capitals name is shown capitalised."""
    text = " ".join(words)
    if text.isupper():
        text = " ".join("-".join(p.capitalize() for p in w.split("-")) for w in words)
    return text


@dataclass
class _Name:
    words: list[str]
    first: str = ""
    surnames: frozenset[str] = frozenset()
    stripped: frozenset[str] = frozenset()  # surnames with a genitive -s dropped

    def __post_init__(self) -> None:
        folded = [w.casefold() for w in self.words]
        self.first = folded[0] if folded else ""
        parts = {p for w in folded[1:] for p in w.split("-") if p}
        self.surnames = frozenset(parts)
        self.stripped = frozenset(p[:-1] for p in parts if p.endswith("s") and len(p) > 3)

    def matches(self, other: "_Name") -> bool:
        if len(self.words) < 2 or len(other.words) < 2:
            return False
        if self.first != other.first:
            # "Britt" written for "Maj-Britt": the stronger evidence of two shared surname parts
            mine, theirs = set(self.first.split("-")), set(other.first.split("-"))
            return (mine < theirs or theirs < mine) and len(self.surnames & other.surnames) >= 2
        return bool(
            self.surnames & other.surnames
            or self.stripped & other.surnames
            or self.surnames & other.stripped
        )


@dataclass
class _Cluster:
    names: list[_Name] = field(default_factory=list)

    def canonical(self) -> str:
        known = set().union(*(n.surnames for n in self.names))
        counts = Counter(tuple(n.words) for n in self.names)

        def score(words: tuple[str, ...]) -> tuple[int, int, int, int, int]:
            name = _Name(list(words))
            possessive = int(bool(name.stripped & known) and not (name.surnames - {s + "s" for s in known}))
            return (-possessive, int(not " ".join(words).isupper()), len(name.surnames),
                    len(name.first.split("-")), counts[words])

        best = max(counts, key=score)
        return display(list(best))


class UnionFind:
    """Disjoint sets over ``0..n-1`` (path halving)."""

    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def cluster_names(texts: Iterable[str], is_role_word: RoleTest = _no_role) -> dict[str, str]:
    """Map each written person name to its canonical form (one scope, e.g. one municipality).

    Args:
        texts: Person mentions as written.
        is_role_word: Whether a word is a role ("kommunpolisen"), stripped
            from the edges of a mention.

    Returns:
        ``{written form: canonical name}``; a form that cannot be resolved
        maps to itself with role words stripped.
    """
    forms = sorted(set(texts))
    names = {t: _Name(name_tokens(t, is_role_word)) for t in forms}
    full = [t for t in forms if len(names[t].words) >= 2]
    uf = UnionFind(len(full))
    by_first: dict[str, list[int]] = defaultdict(list)
    for i, t in enumerate(full):
        for part in {names[t].first, *names[t].first.split("-")}:  # "maj-britt" meets "britt"
            by_first[part].append(i)
    tried: set[tuple[int, int]] = set()
    for idx in by_first.values():
        for a_pos, a in enumerate(idx):
            for b in idx[a_pos + 1 :]:
                if (a, b) in tried:
                    continue
                tried.add((a, b))
                if names[full[a]].matches(names[full[b]]):
                    uf.union(a, b)
    clusters: dict[int, _Cluster] = defaultdict(_Cluster)
    members: dict[int, list[str]] = defaultdict(list)
    for i, t in enumerate(full):
        root = uf.find(i)
        clusters[root].names.append(names[t])
        members[root].append(t)
    result: dict[str, str] = {}
    canon = {root: c.canonical() for root, c in clusters.items()}
    for root, ts in members.items():
        for t in ts:
            result[t] = canon[root]
    # lone words: attach when exactly one person fits
    for t in forms:
        if t in result:
            continue
        words = names[t].words
        if not words:
            result[t] = t.strip()
            continue
        word = words[0].casefold()
        candidates = {word, word[:-1]} if word.endswith("s") and len(word) > 3 else {word}
        hits = {
            root
            for root, c in clusters.items()
            if any(n.first in candidates or n.surnames & candidates for n in c.names)
        }
        result[t] = canon[hits.pop()] if len(hits) == 1 else display(words)
    return result


@lru_cache(maxsize=1)
def not_person_words() -> frozenset[str]:
    """Words that mark an organisation or place name (``radslag/data/not_person_words.txt``)."""
    lines = NOT_PERSON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().casefold() for w in lines if w.strip() and not w.startswith("#"))


def _name_word(word: str) -> bool:
    parts = [p for p in word.split("-") if p]
    return bool(parts) and all(p[:1].isupper() and len(p.rstrip(".")) >= 2 and p.replace("'", "").rstrip(".").isalpha()
                               and not (p.isupper() and len(p) <= 4) for p in parts)


def looks_like_person(text: str, places: Iterable[str] = (), is_role_word: RoleTest = _no_role) -> bool:
    """Whether ``text`` can be a person's name (see the module doc).

    Args:
        text: The name as listed ("Carin Becker", "Köpings Bostäder (AB)").
        places: Municipality names, refused as the first word (a genitive -s allowed).
        is_role_word: Role words stripped from the edges first.

    Example:
        >>> [looks_like_person(x) for x in ("Maj-Britt Rane Andersson", "Lokalbehov", "J", "Köpings Bostäder (AB)")]
        [True, False, False, False]
    """
    if "(" in text and not text.rstrip().endswith(")"):
        return False
    core = text.split("(")[0] if "(" in text else text
    if any(w.strip("()").casefold() in ("ab", "hb", "kb") for w in text.split()):
        return False
    words = name_tokens(core, is_role_word)
    if len(words) < 2 or not all(_name_word(w) for w in words):
        return False
    stop = not_person_words()
    for w in words:
        low = w.casefold()
        if low in stop or (low.endswith("s") and low[:-1] in stop):
            return False
    first = words[0].casefold()
    folded = {p.casefold() for p in places}
    return not (first in folded or (first.endswith("s") and first[:-1] in folded))
