"""Follow-up detection: commitments made in an agenda item's text.

Detection is rule based and works on text alone: the item text is split into
sentences (:func:`radslag.lang.split_sentences`) and a sentence is a
follow-up when one of the cue patterns in ``ingest/data/followups.yaml``
matches and no exclusion pattern does ("Vi tar med oss frågan",
"Kommunchefen Carin Becker ska undersöka detta närmare och återkoppla",
"Nämnden ger förvaltningen i uppdrag att … och återredovisa"). Decisions are
not promises: an assignment that asks for nothing back and names no deadline
("… uppdrar åt förvaltningschefen att upprätta förvaltningsbudget för 2026")
is not a follow-up (``decision_cues`` and ``report_back`` in the data file). From the sentence we extract
*who* (the actor: a person, role, organisation or "vi"), *what* (the
commitment clause) and *due* (a deadline when stated: "till nästa möte",
"i oktober", a date).

The pipeline stores what is found; whether a commitment was answered in a
later meeting is decided over the archive by :mod:`index.followups`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from radslag.lang import split_sentences
from radslag.types import FollowUp

DATA_FILE = Path(__file__).resolve().parent / "data" / "followups.yaml"
#: Cues whose sentences are passive: the actor is not named.
_PASSIVE_CUES = {"utskick", "aterrapporteras"}


# -- cue data ---------------------------------------------------------------------


@dataclass
class _Rules:
    cues: list[tuple[str, re.Pattern[str]]]
    exclude: list[re.Pattern[str]]
    subject_verbs: re.Pattern[str]
    non_subjects: set[str]
    pronoun_actors: set[str]
    due: list[re.Pattern[str]]
    decision_cues: frozenset[str] = frozenset()
    report_back: list[re.Pattern[str]] = field(default_factory=list)


@lru_cache(maxsize=4)
def load_rules(path: str | None = None) -> _Rules:
    """Load and compile the cue-phrase file (cached)."""
    data = yaml.safe_load(Path(path or DATA_FILE).read_text(encoding="utf-8"))
    flags = re.IGNORECASE | re.UNICODE
    return _Rules(
        cues=[(c["id"], re.compile(c["pattern"], flags)) for c in data["cues"]],
        exclude=[re.compile(p, flags) for p in data.get("exclude", [])],
        subject_verbs=re.compile(r"\b" + data["subject_verbs"] + r"\b", flags),
        non_subjects={w.casefold() for w in data.get("non_subjects", [])},
        pronoun_actors={w.casefold() for w in data.get("pronoun_actors", [])},
        due=[re.compile(p, flags) for p in data.get("due", [])],
        decision_cues=frozenset(data.get("decision_cues", [])),
        report_back=[re.compile(p, flags) for p in data.get("report_back", [])],
    )


# -- detection ----------------------------------------------------------------------


def _clean_clause(text: str) -> str:
    return text.strip(" \t:;,.").strip()


def _find_who(sentence: str, rules: _Rules) -> tuple[str | None, int]:
    """Return ``(actor, offset where the commitment clause starts)``."""
    verb = rules.subject_verbs.search(sentence)
    if verb is not None:
        prefix = sentence[: verb.start()].strip(" -–•,")
        words = prefix.split()
        if words and words[0].casefold() not in rules.non_subjects and words[0].casefold() not in ("en", "ett"):
            if " som " in f" {prefix} ":
                prefix = prefix.split(" som ")[0].strip()
                words = prefix.split()
            if 0 < len(words) <= 6:
                return prefix, verb.start()
        # Inverted word order: "Detta tar vi med oss", "På nästa möte ska deltagarna".
        after = sentence[verb.end() :].split()
        if after and after[0].casefold().strip(",.") in rules.pronoun_actors:
            return after[0].strip(",.").lower() if after[0].casefold() in ("vi", "dom", "de") else after[0].strip(",."), 0
    m = re.search(r"\bvi\b", sentence, re.IGNORECASE)
    if m:
        return "vi", 0
    return None, 0


def _find_due(sentence: str, rules: _Rules) -> str | None:
    for pattern in rules.due:
        m = pattern.search(sentence)
        if m:
            return m.group().strip()
    return None


def detect_followups(text: str, rules_path: str | None = None) -> list[FollowUp]:
    """Find commitments in an agenda item's text.

    Args:
        text: The item text (or any minutes text).
        rules_path: Another cue-phrase file (tests, other languages).

    Returns:
        Follow-ups in text order; offsets refer to ``text``.
    """
    rules = load_rules(rules_path)
    sentences = split_sentences(text)
    found: list[FollowUp] = []
    consumed: set[int] = set()
    for idx, sent in enumerate(sentences):
        if idx in consumed:
            continue
        s = sent.text
        if any(p.search(s) for p in rules.exclude):
            continue
        match = None
        cue_id = ""
        for cid, pattern in rules.cues:
            match = pattern.search(s)
            if match:
                cue_id = cid
                break
        if match is None:
            continue
        groups = match.groupdict()
        who: str | None = None
        clause_start = 0
        if groups.get("who"):
            who = _clean_clause(groups["who"])
        else:
            who, clause_start = _find_who(s, rules)
        if cue_id in _PASSIVE_CUES:
            who = None  # "En inbjudan kommer att skickas ut", "… ska återrapporteras"
        if who and who.casefold() in ("vi", "dom", "de"):
            who = who.casefold()
        if groups.get("what") is not None and cue_id in ("uppdrag", "uppdrar_at"):
            what = _clean_clause(groups["what"])
        else:
            what = _clean_clause(s[clause_start:]) if clause_start else _clean_clause(s)
        if not what or len(what.split()) < 2:
            # "… ger förvaltningen i uppdrag att:" followed by a bullet list.
            following = []
            for j in range(idx + 1, min(idx + 8, len(sentences))):
                if not sentences[j].bullet:
                    break
                following.append(sentences[j].text)
                consumed.add(j)
            what = _clean_clause(" ".join(following)) or _clean_clause(s)
        due = _find_due(s, rules)
        if cue_id in rules.decision_cues and due is None and not any(p.search(what) for p in rules.report_back):
            continue  # a decision carried out, not a promise to come back (see followups.yaml)
        context = ""
        if idx > 0 and sentences[idx - 1].paragraph >= sent.paragraph - 1:
            context = sentences[idx - 1].text
        found.append(
            FollowUp(
                who=who,
                what=what,
                due=due,
                sentence=s,
                start=sent.start,
                end=sent.end,
                cue=cue_id,
                context=context,
            )
        )
    return found


__all__ = ["FollowUp", "detect_followups", "load_rules"]
