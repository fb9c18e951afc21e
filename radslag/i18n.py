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
import hashlib
import json
import os
from pathlib import Path

_DATA = Path(__file__).with_name("data") / "ui.yaml"
LANGUAGES = ("sv", "en")


@functools.cache
def _strings() -> dict[str, dict[str, str]]:
    """The string table, parsed once per process.

    Parsing the YAML costs a noticeable part of a command's start, so the
    parsed table is kept as JSON in the cache folder, named by a hash of the
    YAML bytes: an edited table gets a new file, a stale one is never read.
    """
    raw = _DATA.read_bytes()
    cached = _cache_path(raw)
    try:
        return json.loads(cached.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    import yaml  # only when the cached copy is missing

    table = yaml.load(raw.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
        tmp.replace(cached)
        for old in cached.parent.glob("ui-*.json"):
            if old != cached:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only cache only costs the parse next time
    return table


def _cache_path(raw: bytes) -> Path:
    from radslag.config import _default_cache

    folder = Path(os.environ["RADSLAG_CACHE"]) if os.environ.get("RADSLAG_CACHE") else _default_cache()
    return folder / "ui" / f"ui-{hashlib.sha256(raw).hexdigest()[:16]}.json"


def keys(prefix: str) -> list[str]:
    """Every key of the string table that starts with ``prefix``."""
    return [k for k in _strings() if k.startswith(prefix)]


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
