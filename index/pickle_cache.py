"""Derived tables pickled in the cache folder, named by a hash of their source.

The compound lexicon (:mod:`index.compounds`) and the lemma table
(:mod:`index.lemmas`) are costly to build and cheap to unpickle. Each is
kept as ``<prefix>-<hash>.pickle``: a changed source gets a new file, and
writing one removes the older files of the same prefix.
"""

from __future__ import annotations

import logging
import os
import pickle
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def load(cache: Path | None, kind: type, what: str) -> Any | None:
    """The object pickled in ``cache`` when it is a ``kind``, else None.

    Args:
        cache: The cache file (None: no cache folder).
        kind: The type the object must have; anything else counts as missing.
        what: What the file holds, for the log line.

    Returns:
        The object, or None when the file is missing, corrupt (logged) or of
        another type; the caller rebuilds it.
    """
    if cache is None or not cache.is_file():
        return None
    try:
        with cache.open("rb") as handle:
            obj = pickle.load(handle)
    except Exception as exc:  # noqa: BLE001 - a corrupt cache is rebuilt
        log.warning("ignoring unreadable %s cache %s: %s", what, cache, exc)
        return None
    return obj if isinstance(obj, kind) else None


def store(cache: Path, obj: Any, what: str) -> None:
    """Pickle ``obj`` to ``cache`` (written whole, then renamed) and drop older files.

    A cache that cannot be written only costs the build next time, so an
    ``OSError`` is logged, not raised.

    Args:
        cache: The cache file, ``<prefix>-<hash>.pickle``.
        obj: What to keep.
        what: What the file holds, for the log line.
    """
    prefix = cache.stem.rsplit("-", 1)[0]
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".tmp{os.getpid()}")
        with tmp.open("wb") as handle:
            pickle.dump(obj, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(cache)
        for old in cache.parent.glob(f"{prefix}-*{cache.suffix}"):
            if old != cache:
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("could not cache the %s in %s: %s", what, cache, exc)
