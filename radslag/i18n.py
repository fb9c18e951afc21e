"""User-facing strings in Swedish (default) and English, from ``data/ui.yaml``."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

_DATA = Path(__file__).with_name("data") / "ui.yaml"


@functools.cache
def _strings() -> dict[str, dict[str, str]]:
    return yaml.safe_load(_DATA.read_text(encoding="utf-8"))


def t(key: str, lang: str = "sv", **kwargs: object) -> str:
    """Return the string ``key`` in ``lang`` (falling back to Swedish), formatted."""
    entry = _strings().get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry["sv"]
    return text.format(**kwargs) if kwargs else text


def kind_label(kind: str | None, lang: str) -> str:
    """Human label of a document kind in ``lang`` (always given: no silent Swedish)."""
    return t(f"kind_{kind or 'other'}", lang)
