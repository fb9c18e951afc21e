"""The one place where filter input is read and where names are matched.

:func:`parse_filters` turns what a user typed (CLI options, app fields)
into a :class:`radslag.types.Filters`: blanks and the app's "(alla)" become
None, a topic label becomes its id, and an unknown topic, a malformed or
impossible date, an unknown kind or a name without words is a
:class:`radslag.errors.FilterError` that names the value.

:func:`name_matches` is the matching rule for ``body`` and
``municipality`` (documented on :class:`~radslag.types.Filters`); the
archive registers it as an SQL function, so every listing, search and
export applies the same rule. Nothing is a wildcard: ``%`` and ``_`` are
plain characters (and a filter of only punctuation is refused).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from radslag.errors import FilterError
from radslag.taxonomy import Topic, load_taxonomy
from radslag.types import Filters, name_words

#: What the app's dropdowns show for "no filter".
ALL = "(alla)"


def _blank(value: str | None) -> str | None:
    value = " ".join((value or "").split())
    return None if value in ("", ALL) else value


def resolve_topic(value: str, topics: Iterable[Topic]) -> str:
    """The topic id for an id or a Swedish or English label (case-insensitive).

    Raises:
        FilterError: When no topic has that id or label.
    """
    folded = value.casefold()
    known = list(topics)
    for t in known:
        if folded in (t.id.casefold(), t.label_sv.casefold(), t.label_en.casefold()):
            return t.id
    raise FilterError(
        f"Okänt ämne {value!r}. Ämnen: {', '.join(t.id for t in known)}. (Unknown topic.)"
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
    topics: Iterable[Topic] | None = None,
) -> Filters:
    """Build :class:`Filters` from user input.

    Args:
        municipality, body, kind, topic, entity, since, until: As typed;
            blank values and ``"(alla)"`` mean no filter.
        topics: The taxonomy to resolve ``topic`` against (default: the
            project's taxonomy).

    Raises:
        FilterError: For an unknown topic or kind, a date that is not a
            real ``YYYY-MM-DD`` day, ``since`` after ``until``, or a name
            without a word.
    """
    topic = _blank(topic)
    if topic is not None:
        if topics is None:
            topics = load_taxonomy()
        topic = resolve_topic(topic, topics)
    return Filters(
        municipality=_blank(municipality),
        body=_blank(body),
        kind=_blank(kind),
        topic=topic,
        entity=_blank(entity),
        since=_blank(since),
        until=_blank(until),
    )


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
