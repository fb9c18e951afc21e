"""Write a council's static site, atomically: everything into a temporary folder, then one rename.

Layout (every link relative, so the folder works from disk and from any web host)::

    index.html               search box + meetings by date, newest first
    meetings/<date>-<id>.html one meeting: facts, plain-language summary, items (Beslut first)
    issues/index.html        the council's issues (topics)
    issues/<topic>.html      one issue's history: each time it came up, what was promised, answers
    followups.html           open follow-ups
    assets/style.css, assets/search.js, assets/search-index.js
    .radslag-site            marker: this folder was written by ``radslag publish``

An existing output folder is replaced only when it holds the marker (a site
written earlier) or nothing at all; any other folder is refused, so a wrong
``-o`` never deletes someone's files. A failure leaves the old site as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from index.councils import council as find_council
from index.store import Archive
from publish import render
from publish.collect import SiteData, collect
from publish.search_index import index_script
from radslag.config import Settings
from radslag.errors import RadslagError
from radslag.i18n import LANGUAGES, t
from radslag.safe import masking

ASSETS = Path(__file__).resolve().parent / "assets"
MARKER = ".radslag-site"


@dataclass
class PublishReport:
    """What was published: the folder, the council and counts."""

    out: Path
    council: str
    council_key: str
    meetings: int
    items: int
    issues: int
    open_followups: int
    masked: bool
    lang: str
    files: list[str] = field(default_factory=list)  # relative paths of the written files


def site_files(site: SiteData, lang: str, masked: bool) -> dict[str, str]:
    """Every file of the site as ``{relative path: text}``."""
    files = {
        "index.html": render.index_page(site, lang, masked),
        "followups.html": render.followups_page(site, lang, masked),
        f"{render.ISSUES_DIR}/index.html": render.issues_index(site, lang, masked),
        "assets/search-index.js": index_script(site, lang),
    }
    for mv in site.meetings:
        files[f"{render.MEETINGS_DIR}/{mv.page}"] = render.meeting_page(mv, site, lang, masked)
    for iv in site.issues:
        files[f"{render.ISSUES_DIR}/{iv.page}"] = render.issue_page(iv, site, lang, masked)
    for asset in ("style.css", "search.js"):
        files[f"assets/{asset}"] = (ASSETS / asset).read_text(encoding="utf-8")
    files[MARKER] = f"{site.council.key}\n"
    return files


def _check_out(out: Path, lang: str) -> None:
    if out.exists() and not out.is_dir():
        raise RadslagError(t("pub_out_not_folder", lang, path=str(out)))
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise RadslagError(t("pub_out_not_site", lang, path=str(out)))


def write_site(files: dict[str, str], out: Path, lang: str = "sv") -> None:
    """Write ``files`` to a temporary folder beside ``out``, then put it in place by renaming.

    Raises:
        RadslagError: When ``out`` is a file, or a non-empty folder that no
            ``radslag publish`` wrote.
    """
    out = out.resolve()
    _check_out(out, lang)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    old = None
    try:
        for rel, text in files.items():
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        for folder in [tmp, *(p for p in tmp.rglob("*") if p.is_dir())]:
            folder.chmod(0o755)  # mkdtemp makes 0700; a web server must read the site
        for path in tmp.rglob("*"):
            if path.is_file():
                path.chmod(0o644)
        if out.exists():
            old = out.with_name(f".{out.name}.old-{os.getpid()}")
            os.replace(out, old)
        os.replace(tmp, out)
    except BaseException:
        if old is not None and not out.exists():
            os.replace(old, out)  # put the earlier site back
            old = None
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def publish(settings: Settings, council: str, out: str | Path, *, lang: str | None = None,
            mask: bool | None = None) -> PublishReport:
    """Publish one council's archive as a static site in ``out``.

    Args:
        settings: Settings naming the archive (and the model, unused here).
        council: A council key (``hallstahammar/trygghetsråd``), its display
            name, or text naming exactly one council.
        out: The output folder (created; a site written earlier is replaced).
        lang: ``sv`` (default: the settings' language) or ``en``.
        mask: Mask personal identity numbers, e-mail addresses and phone
            numbers (default: ``settings.masks("publish")``, on unless
            ``RADSLAG_MASK_PERSONAL=off``).

    Raises:
        FilterError: When no council fits ``council`` (the closest are named)
            or several do (all listed).
        RadslagError: For an output folder that is not a site (see :func:`write_site`).
    """
    lang = lang or settings.language
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}")
    masked = settings.masks("publish") if mask is None else bool(mask)
    out = Path(out)
    _check_out(out.resolve(), lang)  # before the work: a wrong -o fails at once
    with Archive(settings.db_path) as archive:
        found = find_council(archive, council)
        site = collect(archive, settings, found)
    with masking(masked, lang):
        files = site_files(site, lang, masked)
    write_site(files, out, lang)
    return PublishReport(
        out=out, council=found.name, council_key=found.key, meetings=len(site.meetings),
        items=sum(len(mv.items) for mv in site.meetings), issues=len(site.issues),
        open_followups=len(site.open_followups), masked=masked, lang=lang, files=sorted(files),
    )
