"""A council is (municipality, body): the one key and name every listing uses.

Minutes write one body many ways ("Trygghetsrådet", "trygghetsråd",
"Västerås trygghetsråd", "Brottsförebyggande rådet (BRÅ)", "BRÅ"), and the
same body name ("Trygghetsråd") belongs to many municipalities. The council
key joins the municipality with the body name normalised *by rule* (the rules
and the few abbreviations live in ``radslag/data/bodies_normal.yaml``):

1. casefold; "&" reads as "och"; a parenthesised part ("(BRÅ)") is dropped;
2. the municipality's own name in front ("Västerås", "Hallstahammars kommuns")
   or behind ("i Arboga kommun") is dropped;
3. a whole name that is a known abbreviation ("brå", "ks") becomes its long form;
4. every word that ends in a definite council noun loses the ending
   ("trygghetsrådet" → "trygghetsråd", "nämnden" → "nämnd"), and adjectives
   before the first council noun lose theirs ("Tekniska nämnden" → "teknisk nämnd").

``council_key("Hallstahammar", "Trygghetsrådet") == "hallstahammar/trygghetsråd"``.
A meeting without a municipality keys on its body alone ("/direktion").

:func:`radslag.filters.council_matches` (the body filter's rule) matches
against the written name and this normalised one, so "trygghetsrådet",
"brå" and "Hallstahammars trygghetsråd" all find their council. The archive
registers :func:`council_key` as an SQL function.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml


DATA_FILE = Path(__file__).resolve().parent / "data" / "bodies_normal.yaml"
#: Separator of municipality and body in a council's display name.
NAME_SEP = " – "
#: Separator of municipality and body in a council key.
KEY_SEP = "/"


@lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    return {
        "suffixes": [(a.casefold(), b.casefold()) for a, b in data["definite_suffixes"]],
        "heads": tuple(b.casefold() for _, b in data["definite_suffixes"]),
        "adj_end": tuple(data.get("adjective_endings", [])),
        "adj_min": int(data.get("adjective_min_length", 6)),
        "adj_keep": frozenset(w.casefold() for w in data.get("adjective_keep", [])),
        "abbr": {k.casefold(): v.casefold() for k, v in (data.get("abbreviations") or {}).items()},
        "mun_words": frozenset(w.casefold() for w in data.get("municipality_words", [])),
    }


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text).casefold().replace("&", " och ")
    text = re.sub(r"\([^)]*\)", " ", text)  # "(BRÅ)": an alias, not part of the name
    text = re.sub(r"[–—,:;.]+", " ", text)
    return " ".join(text.split())


def _strip_municipality(words: list[str], municipality: str | None) -> list[str]:
    if not municipality:
        return words
    mun = _clean(municipality).split()
    rules = _rules()
    n = len(mun)
    lead = words[:n]
    if n and len(words) > n and lead[:-1] == mun[:-1] and lead[-1] in (mun[-1], mun[-1] + "s"):
        rest = words[n:]
        while len(rest) > 1 and rest[0] in rules["mun_words"]:
            rest = rest[1:]
        words = rest
    # "... i Arboga", "... i Arboga kommun"
    for k in range(len(words) - 1, 0, -1):
        if words[k - 1] == "i" and words[k : k + n] == mun and all(w in rules["mun_words"] for w in words[k + n :]):
            return words[: k - 1] or words
    return words


def head_word(word: str) -> str | None:
    """The word with a definite council-noun ending made indefinite, or None when it has none."""
    for definite, indefinite in _rules()["suffixes"]:
        if word.endswith(definite):
            return word[: len(word) - len(definite)] + indefinite
    return None


def abbreviation(text: str) -> str | None:
    """The long form of a body name written as an abbreviation (``"BRÅ"`` → ``"brottsförebyggande råd"``)."""
    return _rules()["abbr"].get(_clean(text))


def _is_head(word: str) -> bool:
    return word.endswith(_rules()["heads"]) or word in ("fullmäktige",) or word.endswith("fullmäktige")


def normal_body(body: str | None, municipality: str | None = None) -> str:
    """The body's name normalised within its municipality (the part of the key after ``/``).

    Example:
        >>> normal_body("Brottsförebyggande rådet (BRÅ)")
        'brottsförebyggande råd'
        >>> normal_body("Västerås trygghetsråd", "Västerås")
        'trygghetsråd'
    """
    if not body:
        return ""
    rules = _rules()
    words = _strip_municipality(_clean(body).split(), municipality)
    joined = " ".join(words)
    if joined in rules["abbr"]:
        words = _clean(rules["abbr"][joined]).split()
    out: list[str] = []
    seen_head = False
    for w in words:
        head = head_word(w)
        if head is not None:
            out.append(head)
            seen_head = True
            continue
        if _is_head(w):
            seen_head = True
        elif (not seen_head and len(w) >= rules["adj_min"] and w.endswith(rules["adj_end"])
              and w not in rules["adj_keep"] and w[-2:-1].isalpha()):
            w = w[:-1]
        out.append(w)
    return " ".join(out)


@lru_cache(maxsize=16384)
def council_key(municipality: str | None, body: str | None) -> str:
    """``"<municipality casefolded>/<normalised body>"``: one key per council."""
    mun = " ".join(_clean(municipality).split()) if municipality else ""
    return f"{mun}{KEY_SEP}{normal_body(body, municipality)}"


def split_key(key: str) -> tuple[str, str]:
    """``(municipality part, body part)`` of a council key."""
    mun, _, body = key.partition(KEY_SEP)
    return mun, body


def is_key(value: str) -> bool:
    """Whether ``value`` is written as a council key (``"arboga/förebyggande råd"``)."""
    return KEY_SEP in value and NAME_SEP.strip() not in value


def display_body(forms: Iterable[str], municipality: str | None = None) -> str:
    """The name to show for a council's body: its most frequent written form.

    Ties go to the longer form (the definite "Trygghetsrådet" over
    "Trygghetsråd"); the municipality's own name in front is dropped
    ("Västerås trygghetsråd" → "Trygghetsråd") and the first letter capitalised.
    """
    counts = Counter(f for f in forms if f)
    if not counts:
        return ""
    best = max(counts, key=lambda f: (counts[f], len(f), f))
    words = best.split()
    if municipality:
        kept = _strip_municipality([w.casefold() for w in words], municipality)
        if len(kept) < len(words):
            words = words[len(words) - len(kept):] if kept == [w.casefold() for w in words[-len(kept):]] else words
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def council_name(municipality: str | None, body: str | None) -> str:
    """``"Hallstahammar – Trygghetsrådet"`` (the body alone when the municipality is unknown)."""
    shown = display_body([body or ""], municipality) if body else ""
    return NAME_SEP.join(x for x in (municipality, shown) if x) or "–"
