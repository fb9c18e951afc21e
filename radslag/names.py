"""Written forms of one person's name: shared by canonical names (ingest) and people listings (index).

Two written forms are the same person when their first names are equal
(case-insensitive) and they share a surname part, where a hyphenated surname
counts as its parts and a genitive "-s" may be dropped: "Carin Becker",
"Carin Becker-Åström", "CARIN BECKER" and "Carin Beckers" are one person.
Role words around the name ("kommunchef Carin Becker") are stripped by a
predicate the caller gives (the role lexicon lives with entity extraction).
A lone first name or surname joins a person when exactly one person fits.
The canonical form is the fullest written form (most surname parts), then
the most frequent.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

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
        if len(self.words) < 2 or len(other.words) < 2 or self.first != other.first:
            return False
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

        def score(words: tuple[str, ...]) -> tuple[int, int, int, int]:
            name = _Name(list(words))
            possessive = int(bool(name.stripped & known) and not (name.surnames - {s + "s" for s in known}))
            return (-possessive, int(not " ".join(words).isupper()), len(name.surnames), counts[words])

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
        by_first[names[t].first].append(i)
    for idx in by_first.values():
        for a_pos, a in enumerate(idx):
            for b in idx[a_pos + 1 :]:
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
