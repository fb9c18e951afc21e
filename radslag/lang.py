"""Swedish language helpers shared by ingest and index: stop words and sentences.

* :func:`stopwords`: the one general Swedish stop-word list
  (``radslag/data/stopwords_sv.txt``). Keyword queries drop these words.
* :func:`minutes_words`: words of meeting procedure found in nearly all
  minutes (``radslag/data/minutes_words.txt``). Comparisons of items by
  content words (follow-up answers, TF-IDF threads, discovered topics)
  leave out both lists.
* :func:`question_words`: words of a question about an issue ("när
  diskuterade vi …"), left out when judging whether an item mentions a query
  (``radslag/data/question_words.txt``).
* :func:`split_sentences`: minutes text split into sentences with offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
STOPWORDS_FILE = DATA_DIR / "stopwords_sv.txt"
MINUTES_WORDS_FILE = DATA_DIR / "minutes_words.txt"
QUESTION_WORDS_FILE = DATA_DIR / "question_words.txt"


def read_word_list(path: Path) -> list[str]:
    """Read a one-word-per-line data file, skipping blank lines and ``#`` comments."""
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.append(line.casefold())
    return words


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The Swedish stop words (casefolded)."""
    return frozenset(read_word_list(STOPWORDS_FILE))


@lru_cache(maxsize=1)
def question_words() -> frozenset[str]:
    """Words that ask about an issue rather than name it ("diskuterade", "tog", casefolded)."""
    return frozenset(read_word_list(QUESTION_WORDS_FILE))


@lru_cache(maxsize=1)
def minutes_words() -> frozenset[str]:
    """Words of meeting procedure common to all minutes (casefolded)."""
    return frozenset(read_word_list(MINUTES_WORDS_FILE))


# -- sentences ----------------------------------------------------------------------

_PARA_BREAK = re.compile(r"\n[ \t\u00a0]*\n|\n(?=[ \t\u00a0]*(?:[-•*▪–]|\d+\.)\s)")
_SENT_END = re.compile(r"(?<=[.!?…])[\"”»)]?\s+(?=[\"“«(]?[A-ZÅÄÖÉ])")
_BULLET = re.compile(r"^\s*(?:[-•*▪–]|\*\*)\s*")


@dataclass
class Sentence:
    """A sentence with offsets into the source text."""

    text: str
    start: int
    end: int
    paragraph: int
    bullet: bool


def split_sentences(text: str) -> list[Sentence]:
    """Split minutes text into sentences with offsets.

    Paragraph breaks (blank lines, also lines holding only spaces) and bullet
    lines always end a sentence; inside a paragraph, sentences end at ``.``,
    ``!``, ``?`` followed by space and a capital letter. Single line breaks
    inside a paragraph are joined (PDF text breaks lines mid-sentence).
    """
    out: list[Sentence] = []
    para_start = 0
    paragraph = 0
    bounds = [m.start() for m in _PARA_BREAK.finditer(text)] + [len(text)]
    for bound in bounds:
        chunk = text[para_start:bound]
        bullet = bool(_BULLET.match(chunk.lstrip("\n")))
        pos = 0
        pieces = []
        for m in _SENT_END.finditer(chunk):
            pieces.append((pos, m.start()))
            pos = m.end()
        pieces.append((pos, len(chunk)))
        for s, e in pieces:
            raw = chunk[s:e]
            stripped = raw.strip()
            if not stripped:
                continue
            lead = len(raw) - len(raw.lstrip())
            start = para_start + s + lead
            end = start + len(stripped)
            clean = " ".join(_BULLET.sub("", stripped).replace("**", "").split())
            if not clean:
                continue
            if out and s == 0 and not bullet and clean[0].islower() and not out[-1].bullet:
                # A paragraph starting in lower case continues the previous
                # sentence (a PDF page or column break, not a new paragraph).
                prev = out[-1]
                out[-1] = Sentence(f"{prev.text} {clean}", prev.start, end, prev.paragraph, prev.bullet)
                continue
            out.append(Sentence(clean, start, end, paragraph, bullet))
        para_start = bound
        paragraph += 1
    return out
