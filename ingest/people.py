"""One name per person and organisation: canonical forms of entity mentions.

:func:`canonical_forms` is a pure function from entity mentions (with their
meeting's municipality, body and date) to canonical names; the pipeline
reads the mentions from the archive and stores the result
(:func:`ingest.pipeline.canonicalize`).

* PER: mentions are grouped per municipality (the meeting's municipality,
  else its body) and merged across written forms by
  :func:`radslag.names.cluster_names`, role words stripped with the entity
  rules' role lexicon ("Per Ersgård kommunpolisen").
* ORG: the name the entity rules give the mention's text (the alias table
  ``ingest/data/entities/organisations.tsv``: Polisen/Polismyndigheten/
  Polisens → Polisen; a genitive "-s" after a rule's name dropped);
  otherwise the text with a genitive "-s" dropped when the bare form occurs
  as an organisation anywhere in the archive. The stored canonical is never
  read back for ORG: it is a pure function of the mention's text and the set
  of organisation texts, whatever order the mentions were ingested in.
* LOC: municipality names → official name ("Hallstahammars kommun").
* DATE: a day without a year ("--06-04") gets the meeting's year.
* ROLE, PARTY, DNR, PARAGRAPH keep the canonical set at extraction.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

from ingest.entities import get_rules, resolve
from radslag.names import cluster_names as _cluster_names
from radslag.names import name_tokens as _name_tokens
from radslag.types import EntityMention


def name_tokens(text: str) -> list[str]:
    """Split a person mention into name words, without role words or brackets.

    Example: ``"kommunchef Carin Becker"`` → ``["Carin", "Becker"]``.
    """
    return _name_tokens(text, get_rules().is_role_word)


def cluster_names(texts: Iterable[str]) -> dict[str, str]:
    """Map written person names (one municipality) to canonical forms, role words stripped."""
    return _cluster_names(texts, get_rules().is_role_word)


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=1 << 16)
def org_rule_canonical(text: str) -> str | None:
    """The canonical name the entity rules give an organisation written as ``text``, alone.

    The rules' names depend on the matched text only, so this is what
    extraction stored for a rule's organisation (None for one the model found).
    """
    for span in resolve(get_rules().find(text)):
        if span.label == "ORG" and span.start == 0 and span.end == len(text):
            return span.canonical
    return None


def _org_canonical(text: str, seen_orgs: set[str]) -> str:
    rule = org_rule_canonical(text)
    if rule:
        return rule
    rules = get_rules()
    norm = _collapse(text)
    folded = norm.casefold()
    if folded in rules.org_canonical:
        return rules.org_canonical[folded]
    if folded.endswith("s") and folded[:-1] in rules.org_canonical:
        return rules.org_canonical[folded[:-1]]
    if folded.endswith("s") and folded[:-1] in seen_orgs:
        return norm[:-1]
    return norm


def org_names(texts: Iterable[str]) -> dict[str, str]:
    """The canonical name of each organisation text, given every organisation text of the archive.

    What :func:`canonical_forms` gives each ``ORG`` mention written so: the
    name depends on the text and the set of texts only.
    """
    texts = set(texts)
    seen_orgs = {_collapse(t).casefold() for t in texts}
    return {t: _org_canonical(t, seen_orgs) for t in texts}


def _loc_canonical(text: str) -> str:
    rules = get_rules()
    norm = _collapse(text)
    if norm.casefold() in rules.municipality_official:
        return rules.municipality_official[norm.casefold()]
    if norm in rules.municipality_bare:
        return rules.municipality_bare[norm]
    if norm.endswith("s") and norm[:-1] in rules.municipality_bare:
        return rules.municipality_bare[norm[:-1]]
    return norm


def _meeting_year(m: EntityMention) -> str | None:
    return m.date[:4] if m.date else (str(m.year) if m.year else None)


def canonical_forms(mentions: Sequence[EntityMention]) -> list[tuple[int, str | None]]:
    """Canonical names for entity mentions across an archive.

    The result depends on the set of mentions only, not on their order nor
    on names stored by an earlier call: an organisation's stored name is
    never read; another label's stored name is extraction's or this
    function's answer for that mention alone, which gives the same again.

    Args:
        mentions: Every stored entity mention (person names are merged
            within a municipality and an organisation's name depends on
            the set of all organisation texts, so pass all of them), or
            the mentions of whole person groups without organisations:
            name those by text with :func:`org_names` over every
            organisation text, as :func:`ingest.pipeline.canonicalize`
            does for some scopes.

    Returns:
        ``(entity id, canonical)`` pairs, one per mention.
    """
    updates: list[tuple[int, str | None]] = []
    per_scope: dict[str, list[EntityMention]] = defaultdict(list)
    orgs = org_names(m.text for m in mentions if m.label == "ORG")
    for m in mentions:
        if m.label == "PER":
            per_scope[(m.municipality or m.body or "").casefold()].append(m)
        elif m.label == "ORG":
            # never m.canonical: a name this function set earlier would keep an older set's answer
            updates.append((m.id, orgs[m.text]))
        elif m.label == "LOC":
            updates.append((m.id, m.canonical or _loc_canonical(m.text)))
        elif m.label == "DATE":
            canon = m.canonical
            year = _meeting_year(m)
            if canon and canon.startswith("--") and year:
                canon = year + canon[1:]
            updates.append((m.id, canon or m.text))
        elif m.label == "ROLE":
            updates.append((m.id, m.canonical or m.text.casefold()))
        else:
            updates.append((m.id, m.canonical or _collapse(m.text)))
    for scope in per_scope.values():
        mapping = cluster_names(m.text for m in scope)
        updates.extend((m.id, mapping[m.text]) for m in scope)
    return updates
