"""Helpers the tabs share: picker choices from the archive and files for downloads."""

from __future__ import annotations

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


def colours(archive: Archive) -> dict[str, str]:
    """One plot colour per council of the archive (the same in every plot while the archive is unchanged)."""
    from app.render import council_colours

    return council_colours([c.key for c in councils(archive)])
