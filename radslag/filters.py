"""The one place where filter input is read and where names are matched.

:func:`parse_filters` turns what a user typed (CLI options, app fields)
into a :class:`radslag.types.Filters`: blanks and the app's "(alla)" become
None, a topic label becomes its id, a year or month (``2021``, ``2021-09``)
becomes the first or last day it covers, and an unknown topic, a malformed or
impossible date, an unknown kind or a name without words is a
:class:`radslag.errors.FilterError` that names the value. Given the values
the archive knows (:class:`Known`, from :func:`index.councils.known_values`),
an unknown municipality, body or council is an error too, naming the value and
the closest known ones; a council written as free text ("Hallstahammars
trygghetsråd") becomes its key, and text that fits several councils is an
error listing them.

:func:`name_matches` is the matching rule for ``municipality``, and
:func:`council_matches` for ``body`` (the same rule over the council's
written or normalised name, see :mod:`radslag.councils`); the archive
registers both as SQL functions, so every listing, search and export applies
the same rule. Nothing is a wildcard: ``%`` and ``_`` are plain characters
(and a filter of only punctuation is refused).
"""

from __future__ import annotations

import calendar
import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from radslag.councils import abbreviation, head_word, is_key, normal_body
from radslag.errors import FilterError
from radslag.taxonomy import Topic, load_taxonomy
from radslag.types import Council, Filters, name_words

#: What the app's dropdowns show for "no filter".
ALL = "(alla)"


def _blank(value: str | None) -> str | None:
    value = " ".join((value or "").split())
    return None if value in ("", ALL) else value


#: How many close values an error suggests.
SUGGESTIONS = 3


def closest(value: str, candidates: Iterable[str], n: int = SUGGESTIONS) -> list[str]:
    """The ``n`` known values nearest to ``value``: prefixes first, then by edit similarity.

    Case and Swedish letters are folded; a candidate is compared whole and
    word by word, so "klotter" finds "klotter-skadegorelse" and "Halstahammar"
    finds "Hallstahammar".
    """
    want = " ".join(name_words(value))
    scored = []
    for cand in dict.fromkeys(c for c in candidates if c):
        folded = " ".join(name_words(cand))
        words = folded.split()
        prefix = bool(want) and (folded.startswith(want) or any(w.startswith(want) for w in words)
                                 or want.startswith(folded))
        ratio = max([difflib.SequenceMatcher(None, want, folded).ratio()]
                    + [difflib.SequenceMatcher(None, want, w).ratio() for w in words])
        scored.append((not prefix, -ratio, cand))
    scored.sort()
    near = [c for miss, ratio, c in scored if not miss or -ratio >= 0.6]
    return (near or [c for _, _, c in scored])[:n]


def _suggest(values: Sequence[str]) -> str:
    return ", ".join(repr(v) for v in values) if values else "–"


def resolve_topic(value: str, topics: Iterable[Topic]) -> str:
    """The topic id for an id or a Swedish or English label (case-insensitive).

    Raises:
        FilterError: When no topic has that id or label; the message names the
            value and the closest ids and labels.
    """
    folded = value.casefold()
    known = list(topics)
    for t in known:
        if folded in (t.id.casefold(), t.label_sv.casefold(), t.label_en.casefold()):
            return t.id
    names = {t.id: t for t in known}
    near = closest(value, [x for t in known for x in (t.id, t.label_sv, t.label_en)], n=8)
    ids = list(dict.fromkeys(next(t.id for t in known if n in (t.id, t.label_sv, t.label_en)) for n in near))
    shown = [f"{i} ({names[i].label_sv})" for i in ids[:SUGGESTIONS]]
    raise FilterError(
        f"Okänt ämne {value!r}. Närmast: {', '.join(shown)}. Alla ämnen: `radslag topics`. "
        f"(Unknown topic {value!r}; closest: {', '.join(ids[:SUGGESTIONS])}.)"
    )


@dataclass
class Known:
    """The values filters are checked against (see :func:`index.councils.known_values`).

    Attributes:
        municipalities: Municipalities with meetings in the archive.
        councils: The archive's councils.
        all_municipalities: Sweden's municipalities (for telling a misspelling
            from a municipality without meetings).
    """

    municipalities: list[str] = field(default_factory=list)
    councils: list[Council] = field(default_factory=list)
    all_municipalities: list[str] = field(default_factory=list)


def _partial_day(value: str | None, end: bool) -> str | None:
    """``2021`` → ``2021-01-01`` (``2021-12-31`` as an end), ``2021-09`` → its first (last) day."""
    if value is None:
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?", value)
    if not m:
        return value
    year, month = int(m.group(1)), m.group(2)
    if month is None:
        return f"{year:04d}-12-31" if end else f"{year:04d}-01-01"
    mon = int(month)
    if not 1 <= mon <= 12:
        return value  # Filters names it as no valid date
    return f"{year:04d}-{mon:02d}-{calendar.monthrange(year, mon)[1] if end else 1:02d}"


def resolve_council(value: str, councils: Sequence[Council]) -> Council:
    """The one council ``value`` names: its key, its display name, or free text by the body rule.

    Raises:
        FilterError: When no council fits (naming the closest) or several do
            (listing them: "trygghetsråd" alone does not pick a municipality).
    """
    text = " ".join(value.split())
    by_key = {c.key: c for c in councils}
    if is_key(text) or " – " in text:
        key = Filters(council=text).council
        if key in by_key:
            return by_key[key]
    for c in councils:
        if text.casefold() == c.name.casefold():
            return c
    fits = [c for c in councils if council_matches(text, c.municipality, c.body)
            or any(council_matches(text, c.municipality, f) for f in c.forms)]
    if len(fits) == 1:
        return fits[0]
    if fits:
        names = "; ".join(c.name for c in fits)
        raise FilterError(
            f"{value!r} passar flera råd: {names}. Ange kommunen också, t.ex. {fits[0].name!r}. "
            f"(Several councils match {value!r}: {names}.)"
        )
    label: dict[str, str] = {}
    for c in councils:
        label.setdefault(c.name, c.name)
        for f in c.forms:
            label.setdefault(f"{c.municipality or ''} {f}".strip(), c.name)
    names = list(dict.fromkeys(label[n] for n in closest(text, label, n=2 * SUGGESTIONS)))[:SUGGESTIONS]
    raise FilterError(
        f"Okänt råd {value!r}. Närmast: {_suggest(names)}. Alla råd: `radslag councils`. "
        f"(Unknown council {value!r}; closest: {_suggest(names)}.)"
    )


def _check_municipality(value: str, known: Known) -> None:
    if any(name_matches(value, m) for m in known.municipalities):
        return
    real = [m for m in known.all_municipalities if name_matches(value, m)]
    near = closest(value, known.municipalities)
    if real:
        raise FilterError(
            f"Arkivet har inga möten från {value!r}. Kommuner i arkivet: {_suggest(near)}. "
            f"(No meetings from {value!r} in the archive; closest: {_suggest(near)}.)"
        )
    raise FilterError(
        f"Okänd kommun {value!r}. Närmast: {_suggest(near)}. "
        f"(Unknown municipality {value!r}; closest: {_suggest(near)}.)"
    )


def _check_body(value: str, known: Known) -> None:
    for c in known.councils:
        if council_matches(value, c.municipality, c.body) or any(
                council_matches(value, c.municipality, f) for f in c.forms):
            return
    candidates = [c.name for c in known.councils] + [f for c in known.councils for f in c.forms]
    near = closest(value, candidates)
    raise FilterError(
        f"Okänt organ {value!r}. Närmast: {_suggest(near)}. Alla råd: `radslag councils`. "
        f"(Unknown body {value!r}; closest: {_suggest(near)}.)"
    )


def parse_filters(
    *,
    municipality: str | None = None,
    body: str | None = None,
    kind: str | None = None,
    topic: str | None = None,
    entity: str | None = None,
    since: str | None = None,
    until: str | None = None,
    council: str | None = None,
    topics: Iterable[Topic] | None = None,
    known: Known | None = None,
) -> Filters:
    """Build :class:`Filters` from user input.

    Args:
        municipality, body, kind, topic, entity, since, until, council: As
            typed; blank values and ``"(alla)"`` mean no filter. ``since`` and
            ``until`` may be a year or a month (``2021``, ``2021-09``).
        topics: The taxonomy to resolve ``topic`` against (default: the
            project's taxonomy).
        known: The archive's municipalities and councils
            (:func:`index.councils.known_values`). With it, an unknown
            municipality, body or council is an error, and a council may be
            written as free text; without it, ``council`` must be a key or a
            display name.

    Raises:
        FilterError: For an unknown topic, kind, municipality, body or council
            (naming the closest known values), a council text that fits
            several councils, a date that is not a real day, ``since`` after
            ``until``, or a name without a word.
    """
    topic = _blank(topic)
    if topic is not None:
        if topics is None:
            topics = load_taxonomy()
        topic = resolve_topic(topic, topics)
    council = _blank(council)
    if council is not None and known is not None:
        council = resolve_council(council, known.councils).key
    filters = Filters(
        municipality=_blank(municipality),
        body=_blank(body),
        kind=_blank(kind),
        topic=topic,
        entity=_blank(entity),
        since=_partial_day(_blank(since), end=False),
        until=_partial_day(_blank(until), end=True),
        council=council,
    )
    if known is not None:
        check_filters(filters, known)
    return filters


def check_filters(filters: Filters, known: Known) -> None:
    """Raise :class:`FilterError` when a name filter fits nothing the archive knows.

    The message names the value and the closest known values. An empty
    archive accepts every name (there is nothing to check against).
    """
    if filters.municipality and known.municipalities:
        _check_municipality(filters.municipality, known)
    if filters.body and known.councils:
        _check_body(filters.body, known)
    if filters.council and known.councils and filters.council not in {c.key for c in known.councils}:
        resolve_council(filters.council, known.councils)


def _word_matches(word: str, name: tuple[str, ...]) -> bool:
    stem = word[:-1] if word.endswith("s") and len(word) > 3 else None  # "Hallstahammars"
    return any(w.startswith(word) or (stem is not None and w.startswith(stem)) for w in name)


@lru_cache(maxsize=4096)
def name_matches(wanted: str | None, name: str | None) -> bool:
    """Whether every word of ``wanted`` begins a word of ``name``.

    Case-insensitive with Swedish letters folded; a filter word ending in a
    genitive "-s" also matches without it. An empty ``wanted`` matches all.

    Example:
        >>> name_matches("Hallstahammars trygghetsråd", "Hallstahammar Trygghetsrådet")
        True
    """
    words = tuple(name_words(name))
    return all(_word_matches(w, words) for w in name_words(wanted))


@lru_cache(maxsize=16384)
def council_matches(wanted: str | None, municipality: str | None, body: str | None) -> bool:
    """Whether a ``body`` filter matches the council ``(municipality, body)``.

    Every word of ``wanted`` must begin a word of the council's name (the
    :func:`name_matches` rule) written as ``"<municipality> <body>"``, or of
    its normalised name (:func:`radslag.councils.normal_body`: definite
    endings dropped, abbreviations expanded) with the filter's words
    normalised the same way: "trygghetsrådet" finds "Trygghetsråd", "brå"
    finds "Brottsförebyggande rådet (BRÅ)" and "BRÅ".

    Example:
        >>> council_matches("Hallstahammars trygghetsrådet", "Hallstahammar", "Trygghetsråd")
        True
    """
    if not name_words(wanted):
        return True
    if name_matches(wanted, " ".join(x for x in (municipality, body) if x)):
        return True
    normal = " ".join(x for x in (municipality, normal_body(body, municipality)) if x)
    long_form = abbreviation(wanted or "")
    want = long_form or " ".join(head_word(w) or w for w in name_words(wanted))
    return name_matches(want, normal)
