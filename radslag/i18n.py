"""User-facing strings in Swedish (default) and English, from ``data/ui.yaml``.

One string table: every label, note, header and message shown to users is a
key in ``ui.yaml`` with a Swedish and an English text. :func:`t` picks the
language and fills the placeholders. Plurals: when a call passes ``n=1`` and
the table has ``<key>_one``, that text is used ("1 möte" beside "{n} möten").
Numbers are written as each language writes them (:func:`number`,
:func:`percent`).
"""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

_DATA = Path(__file__).with_name("data") / "ui.yaml"
LANGUAGES = ("sv", "en")


@functools.cache
def _strings() -> dict[str, dict[str, str]]:
    return yaml.safe_load(_DATA.read_text(encoding="utf-8"))


def has(key: str) -> bool:
    """Whether the string table has ``key``."""
    return key in _strings()


def t(key: str, lang: str = "sv", **kwargs: object) -> str:
    """Return the string ``key`` in ``lang`` (falling back to Swedish), formatted.

    With ``n=1`` among the arguments, ``<key>_one`` is used when it exists.
    An unknown key is returned as itself, so a missing string shows up in the
    output (and in the tests that look for raw keys) rather than crashing.
    """
    table = _strings()
    entry = table.get(key)
    if kwargs.get("n") == 1 and f"{key}_one" in table:
        entry = table[f"{key}_one"]
    if entry is None:
        return key
    text = entry.get(lang) or entry["sv"]
    return text.format(**kwargs) if kwargs else text


def kind_label(kind: str | None, lang: str) -> str:
    """Human label of a document kind in ``lang`` (always given: no silent Swedish)."""
    return t(f"kind_{kind or 'other'}", lang)


def number(value: int | float, lang: str, decimals: int = 0) -> str:
    """A number as ``lang`` writes it: "1 234,5" in Swedish, "1,234.5" in English."""
    text = f"{value:,.{decimals}f}"
    if lang == "sv":
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text


def percent(share: float, lang: str) -> str:
    """A share (0–1) as a whole percentage: "87 %" in Swedish, "87%" in English."""
    value = round(100 * share)
    return f"{value}\u00a0%" if lang == "sv" else f"{value}%"
