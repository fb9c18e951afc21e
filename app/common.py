"""Helpers the tabs share: picker choices from the archive and files for downloads."""

from __future__ import annotations

import contextlib
import os
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path

from index.councils import councils
from index.store import Archive
from radslag.config import Settings
from radslag.filters import ALL
from radslag.i18n import kind_label, t
from radslag.serve import download_file
from radslag.taxonomy import load_taxonomy
from radslag.types import DOCUMENT_KINDS


def choices(settings: Settings) -> dict[str, list]:
    """Dropdown choices: councils (name, key), bodies, municipalities, topics (label, id), kinds (label, kind)."""
    lang = settings.language
    with Archive(settings.db_path) as arc:
        bodies, municipalities = arc.meeting_values("body"), arc.meeting_values("municipality")
        known = councils(arc)
    every = [all_choice(lang)]
    return {
        "councils": every + [(c.name, c.key) for c in known],
        "bodies": every + [(b, b) for b in bodies],
        "municipalities": every + [(m, m) for m in municipalities],
        "topics": every + [(tp.label(lang), tp.id) for tp in load_taxonomy()],
        "kinds": every + [(kind_label(k, lang), k) for k in DOCUMENT_KINDS],
    }


def all_choice(lang: str) -> tuple[str, str]:
    """The "(alla)" choice of a picker: labelled in the app's language, the value the filters know."""
    return t("app_all", lang), ALL


def download_path(name: str) -> Path:
    """A fresh path named ``name`` for a file offered for download (swept after a while)."""
    return download_file(name)


def slug(text: str, limit: int = 40) -> str:
    """A file-name-safe short form of ``text`` (letters, digits, dashes; Swedish letters kept)."""
    out = "".join(c.lower() if c.isalnum() else "-" for c in (text or "").strip())
    out = "-".join(part for part in out.split("-") if part)
    return out[:limit].strip("-") or "radslag"


#: Per archive connection: (its change stamp, the council colours read through it).
_COLOURS: "weakref.WeakKeyDictionary[Archive, tuple[tuple, dict[str, str]]]" = weakref.WeakKeyDictionary()


def colours(archive: Archive) -> dict[str, str]:
    """One plot colour per council of the archive (the same in every plot while the archive is unchanged).

    Kept per connection until the archive changes (``Archive.change_stamp``):
    the search tab's reused connections (:func:`pooled_archive`) count the
    councils once, not on every search.
    """
    from app.render import council_colours

    stamp = archive.change_stamp()
    cached = _COLOURS.get(archive)
    if cached is None or cached[0] != stamp:
        cached = (stamp, council_colours([c.key for c in councils(archive)]))
        _COLOURS[archive] = cached
    return dict(cached[1])


#: Idle archive connections kept per database file (:func:`pooled_archive`). Each holds its own caches
#: (filter sets, passage look-ups: tens of MB at a million items), so few: the app's concurrency on 2 cores.
POOL_SIZE = 8
_POOL: dict[tuple[str, int], list[Archive]] = {}
_POOL_LOCK = threading.Lock()


@contextlib.contextmanager
def pooled_archive(settings: Settings) -> Iterator[Archive]:
    """The archive for one request: an idle connection an earlier request left, else a new one.

    Opening the archive (connection, SQL functions, schema check) was about a
    millisecond of every search, and every per-connection cache
    (:meth:`Archive.allowed_item_ids`, term counts, passage look-ups) started
    empty. Those caches follow the archive's own change counter
    (``PRAGMA data_version``), so a reused connection sees an ingest by any
    process as a new one does. One request uses a connection at a time; one
    left inside a transaction (an error mid-write) is closed, not kept. Keyed
    by the file's inode too: an archive replaced on disk gets new connections,
    and the idle ones to the old file are closed (so its space is freed). A
    backup copied *over* the file keeps its inode: restart the app after that.
    """
    path = Path(settings.db_path)
    try:
        key = (str(path.resolve()), os.stat(path).st_ino)
    except OSError:
        key = (str(path), -1)
    with _POOL_LOCK:
        idle = _POOL.get(key)
        arc = idle.pop() if idle else None
    if arc is None:
        arc = Archive(path)
        if key[1] == -1:  # the file did not exist before this open: key it by its inode now
            key = (str(path.resolve()), os.stat(path).st_ino)
    keep = False
    try:
        yield arc
        keep = not arc._conn.in_transaction
    finally:
        if keep:
            try:
                keep = os.stat(path).st_ino == key[1]  # replaced or deleted meanwhile: not kept
            except OSError:
                keep = False
        if keep:
            stale: list[Archive] = []
            with _POOL_LOCK:
                for other in [k for k in _POOL if k[0] == key[0] and k != key]:
                    stale += _POOL.pop(other)  # idle connections to a file no longer at this path
                idle = _POOL.setdefault(key, [])
                if len(idle) < POOL_SIZE:
                    idle.append(arc)
                    arc = None
            for old in stale:
                old.close()
        if arc is not None:
            arc.close()
