""""Lätt svenska" meeting summaries: a short plain list of key sentences, decisions first.

Extractive, no model: every line is a sentence of the minutes as written
(shortened at a word boundary when very long). Per meeting:

1. **Decisions first** (those that change something before those that
   only note something). For each item, the first sentence of its Beslut
   section ("Nämnden beslutar att godkänna …"; a bare lead-in such as
   "Nämnden beslutar att" is joined with the point that follows), or, in an
   item without one, the first sentence that states a decision (cues in
   ``publish/data/easy_sv.yaml``).
2. **Then one key sentence per remaining item** that is an issue, not
   procedure (``index.threads.is_procedural`` titles are skipped): the
   sentence whose content words recur most in its item and its title,
   preferring short, plain sentences (LIX, the Swedish readability index).

Which sentences are procedure ("Ordföranden öppnar mötet") comes from the
same data file.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from radslag.lang import minutes_words, split_sentences, stopwords

DATA_FILE = Path(__file__).resolve().parent / "data" / "easy_sv.yaml"
#: Decision lines at most per meeting.
MAX_DECISIONS = 5
#: Lines at most per meeting (decisions included).
MAX_LINES = 8
#: A longer sentence is cut at a word boundary (a summary line stays readable).
MAX_WORDS = 30
#: Shorter sentences say too little to stand alone.
MIN_WORDS = 4
#: Sentences longer than this are penalised (plain language keeps sentences short).
PLAIN_WORDS = 20

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_MARKER_ONLY = re.compile(r"^\s*(?:\d{1,2}|[a-z])[.)]\s*$")
_NUMBERED = re.compile(r"^\s*(?:\d{1,2}[.)]|[a-z][.)])\s+")


@dataclass
class SummaryItem:
    """What the summary needs of one agenda item.

    Attributes:
        anchor: The item's anchor on the meeting page (``punkt-3``).
        title: The item's title.
        decision: The text of its Beslut section (heading excluded), or None.
        text: The item's whole body text.
        procedural: Whether the item is procedure, not an issue.
    """

    anchor: str
    title: str
    decision: str | None
    text: str
    procedural: bool = False


@dataclass
class SummaryLine:
    """One line of a meeting summary: ``kind`` is ``beslut`` or ``punkt``."""

    kind: str
    text: str
    anchor: str
    title: str


@lru_cache(maxsize=1)
def _cues() -> dict[str, re.Pattern[str]]:
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    return {key: re.compile("|".join(f"(?:{p})" for p in data[key]), re.IGNORECASE)
            for key in ("decision_cues", "procedure_cues", "noting_cues", "decision_frames")}


def words(text: str) -> list[str]:
    """The words of ``text``, casefolded (hyphenated compounds kept whole)."""
    return [w.casefold() for w in _WORD.findall(text)]


def lix(text: str) -> float:
    """LIX readability of ``text``: words per sentence + percentage of words over six letters.

    Below 30 is very easy, 40 plain newspaper text, over 50 official prose.
    """
    found = words(text)
    if not found:
        return 0.0
    sentences = max(1, len(re.findall(r"[.!?:](?:\s|$)", text)))
    long_words = sum(1 for w in found if len(w) > 6)
    return len(found) / sentences + 100.0 * long_words / len(found)


def _content(text: str) -> list[str]:
    skip = stopwords() | minutes_words()
    return [w for w in words(text) if len(w) > 2 and w not in skip]


def shorten(text: str, limit: int = MAX_WORDS) -> str:
    """``text`` cut after ``limit`` words with an ellipsis (unchanged when shorter)."""
    parts = text.split()
    if len(parts) <= limit:
        return text
    return " ".join(parts[:limit]).rstrip(",;:–-") + " …"


def _sentences(text: str) -> list[str]:
    out = []
    for s in split_sentences(text or ""):
        if _MARKER_ONLY.match(s.text):
            continue  # "1." split off its point by the sentence splitter
        clean = _NUMBERED.sub("", s.text).strip()
        if clean:
            out.append(clean)
    return out


def _is_procedure(sentence: str) -> bool:
    return bool(_cues()["procedure_cues"].search(sentence))


def decision_line(item: SummaryItem) -> str | None:
    """The sentence that says what was decided in ``item``, or None."""
    if item.decision and item.decision.strip():
        sentences = _sentences(item.decision)
        for i, sentence in enumerate(sentences):
            if _is_procedure(sentence) and len(sentences) > i + 1:
                continue
            if _cues()["decision_frames"].search(sentence):
                if i + 1 >= len(sentences):
                    break  # a lead-in with nothing after it says nothing
                nxt = sentences[i + 1]
                return shorten(f"{sentence.rstrip(': ')} {nxt[:1].lower() + nxt[1:]}")
            return shorten(sentence)
    for sentence in _sentences(item.text):
        if _cues()["decision_cues"].search(sentence) and not _is_procedure(sentence):
            if len(words(sentence)) >= MIN_WORDS:
                return shorten(sentence)
    return None


def key_sentence(item: SummaryItem) -> str | None:
    """The sentence that best sums up ``item``: central, on its title, short and plain."""
    sentences = [s for s in _sentences(item.text)
                 if len(words(s)) >= MIN_WORDS and not _is_procedure(s)]
    if not sentences:
        return None
    freq = Counter(_content(item.text))
    title_words = set(_content(item.title))

    def score(sentence: str) -> float:
        content = _content(sentence)
        if not content:
            return -1.0
        # How much of what the item is about this sentence carries (words recurring in the item).
        central = sum(math.log1p(freq[w]) for w in set(content)) / math.sqrt(len(content))
        on_title = len(title_words & set(content))
        n = len(words(sentence))
        # Minutes are written in long words: only clearly heavy sentences lose (LIX over 50).
        plain = max(0.0, (lix(sentence) - 50.0) / 25.0) + max(0, n - PLAIN_WORDS) / 10.0
        return central + on_title - plain

    best = max(sentences, key=score)
    return shorten(best) if score(best) > 0 else None


def summarise(items: list[SummaryItem]) -> list[SummaryLine]:
    """The meeting's summary lines: its decisions first, then one key sentence per issue.

    Decisions that change something come before those that only note
    something ("har tagit del av informationen"); the same sentence is listed once.
    """
    items = [x for x in items if not (x.procedural or _is_procedure(x.title))]
    decisions: list[SummaryLine] = []
    for item in items:
        text = decision_line(item)
        if text and not _is_procedure(text) and all(text != x.text for x in decisions):
            decisions.append(SummaryLine("beslut", text, item.anchor, item.title))
    decisions.sort(key=lambda x: bool(_cues()["noting_cues"].search(x.text)))  # stable: minutes order kept
    lines = decisions[:MAX_DECISIONS]
    decided = {x.anchor for x in decisions}
    for item in items:
        if len(lines) >= MAX_LINES:
            break
        if item.anchor in decided:
            continue
        text = key_sentence(item)
        if text and all(text != x.text for x in lines):
            lines.append(SummaryLine("punkt", text, item.anchor, item.title))
    return lines
