"""Lägg till protokoll: upload minutes (files or a zip) and ingest them into the archive.

Uploads are checked before anything is written: the type (the reader's
suffixes, or a zip of them), the size (``settings.upload_max_mb`` per file
and for a zip's contents together, read from the zip's directory before
inflating), and the name (only the file name is kept, cleaned). Files are
written only into a fresh folder under the archive's inbox
(``<archive>/inbox/<time>-<random>/``), then ingested like ``radslag ingest``
with progress per file, and the same per-file report the CLI prints.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import shutil
import unicodedata
import zipfile
from pathlib import Path

import gradio as gr

from ingest.pipeline import ingest_paths
from ingest.readers import SIDECAR_SUFFIXES, SUPPORTED_SUFFIXES
from radslag.config import Settings
from radslag.i18n import t
from radslag.safe import html_text
from radslag.summaries import ingest_lines

TAB_ID = "lagg-till"
LABEL = "app_add"

#: Most files taken from one zip.
ZIP_MAX_FILES = 500
_CHUNK = 1 << 20


def inbox_dir(settings: Settings) -> Path:
    """The archive's inbox: uploaded files are written here and nowhere else."""
    return (settings.archive_dir / "inbox").resolve()


def _new_batch(settings: Settings) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = inbox_dir(settings) / f"{stamp}-{secrets.token_hex(3)}"
    folder.mkdir(parents=True, exist_ok=False)
    return folder


def clean_name(name: str) -> str:
    """A safe file name from an uploaded name: no folders, no control or path characters, not hidden."""
    base = unicodedata.normalize("NFC", str(name).replace("\\", "/").rsplit("/", 1)[-1])
    base = re.sub(r"[\x00-\x1f\x7f<>:\"|?*]", "_", base).strip(" .")
    return base[:150] or "fil"


def _supported(name: str) -> bool:
    lower = name.lower()
    return lower.endswith(SUPPORTED_SUFFIXES) or lower.endswith(SIDECAR_SUFFIXES)


def _unique(folder: Path, name: str) -> Path:
    target = folder / name
    n = 2
    while target.exists():
        stem, dot, suffix = name.partition(".")
        target = folder / f"{stem}-{n}{dot}{suffix}"
        n += 1
    # never outside the batch folder, whatever the name
    if target.resolve().parent != folder.resolve():
        raise ValueError(name)
    return target


def _copy_limited(src, dst: Path, limit: int) -> bool:
    """Copy a stream to ``dst`` up to ``limit`` bytes; False (and nothing left) when it is bigger."""
    written = 0
    with open(dst, "wb") as out:
        while chunk := src.read(_CHUNK):
            written += len(chunk)
            if written > limit:
                break
            out.write(chunk)
    if written > limit:
        dst.unlink(missing_ok=True)
        return False
    return True


def accept_uploads(settings: Settings, paths: list[str], names: list[str] | None = None) -> tuple[list[Path], list[str]]:
    """Check uploaded files and write the accepted ones into a new inbox folder.

    Args:
        settings: Settings (archive, language, ``upload_max_mb``).
        paths: The uploaded files (Gradio's temporary copies).
        names: The names the user gave them (default: the paths' names).

    Returns:
        (files written into the inbox, rejection lines naming each refused file and why).
    """
    lang = settings.language
    limit = max(1, int(settings.upload_max_mb)) * 1024 * 1024
    names = names or [Path(p).name for p in paths]
    accepted: list[Path] = []
    refused: list[str] = []
    batch: Path | None = None
    for path, given in zip(paths, names):
        name = clean_name(given)
        src = Path(path)
        try:
            size = src.stat().st_size
        except OSError:
            refused.append(t("app_add_unreadable", lang, name=name))
            continue
        if size > limit:
            refused.append(t("app_add_too_big", lang, name=name, mb=settings.upload_max_mb))
            continue
        batch = batch or _new_batch(settings)
        if name.lower().endswith(".zip"):
            got, bad = _unzip(src, name, batch, limit, lang)
            accepted += got
            refused += bad
        elif _supported(name):
            target = _unique(batch, name)
            with open(src, "rb") as fh:
                _copy_limited(fh, target, limit)
            accepted.append(target)
        else:
            refused.append(t("app_add_bad_type", lang, name=name, types=", ".join(SUPPORTED_SUFFIXES + (".zip",))))
    return accepted, refused


def _unzip(src: Path, name: str, batch: Path, limit: int, lang: str) -> tuple[list[Path], list[str]]:
    """The supported files of a zip, flattened into ``batch``; sizes checked on its directory first."""
    try:
        with zipfile.ZipFile(src) as zf:
            members = [m for m in zf.infolist() if not m.is_dir()]
            wanted = [m for m in members if _supported(clean_name(m.filename))]
            skipped = [clean_name(m.filename) for m in members if m not in wanted]
            if len(wanted) > ZIP_MAX_FILES:
                return [], [t("app_add_zip_many", lang, name=name, n=len(wanted), max=ZIP_MAX_FILES)]
            if sum(m.file_size for m in wanted) > limit:
                return [], [t("app_add_zip_big", lang, name=name, mb=limit // (1024 * 1024))]
            out, refused = [], []
            for m in wanted:
                inner = clean_name(m.filename)
                target = _unique(batch, inner)
                with zf.open(m) as fh:  # the declared size may lie: stop at the limit while inflating
                    if _copy_limited(fh, target, min(limit, m.file_size)):
                        out.append(target)
                    else:
                        refused.append(t("app_add_zip_big", lang, name=f"{name}: {inner}", mb=limit // (1024 * 1024)))
            refused += [t("app_add_bad_type", lang, name=f"{name}: {s}", types=", ".join(SUPPORTED_SUFFIXES))
                        for s in skipped if not s.startswith(".") and "__MACOSX" not in s]
            return out, refused
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
        return [], [t("app_add_bad_zip", lang, name=name)]


def report_html(lines: list[tuple[str, str]]) -> str:
    """The per-file report as an HTML list (level classes: info, error, note)."""
    items = "".join(f'<li class="{html_text(level)}">{html_text(text)}</li>' for level, text in lines)
    return f'<ul class="ingest-report">{items}</ul>'


def add_files(settings: Settings, files, progress=None) -> str:
    """Accept uploaded files, ingest them with progress per file, and report each file as the CLI does."""
    lang = settings.language
    paths = [getattr(f, "name", f) for f in (files or [])]
    paths = [str(p) for p in paths if p]
    if not paths:
        return report_html([("note", t("app_add_none", lang))])
    accepted, refused = accept_uploads(settings, paths, [getattr(f, "orig_name", None) or Path(p).name
                                                         for f, p in zip(files, paths)])
    lines = [("error", line) for line in refused]
    if accepted:
        total = len(accepted)
        done = {"n": 0}

        def on_file(result) -> None:
            done["n"] += 1
            if progress is not None:
                progress(done["n"] / total, desc=t("app_add_progress", lang, n=done["n"], total=total,
                                                   name=Path(result.source).name))

        if progress is not None:
            progress(0, desc=t("app_add_reading", lang, n=total))
        report = ingest_paths([str(p) for p in accepted], settings, on_file=on_file)
        # the CLI's report, with the file names the user knows instead of inbox paths
        for line in ingest_lines(report, lang, unchanged=True):
            lines.append((line.level, line.text.replace(str(accepted[0].parent) + "/", "")))
    return report_html(lines)


def build(ctx) -> None:
    """The upload tab: files or a zip, a button, and the report; pickers refresh after each ingest."""
    L = ctx.L
    settings = ctx.settings
    gr.Markdown(L("app_add_intro", mb=settings.upload_max_mb))
    files = gr.File(label=L("app_add_files"), file_count="multiple",
                    file_types=[*SUPPORTED_SUFFIXES, ".zip"], elem_id="add-files")
    button = gr.Button(L("app_add_go"), variant="primary", elem_id="add-btn")
    report = gr.HTML(elem_id="add-report")

    def run(uploaded, progress=gr.Progress()):
        return add_files(settings, uploaded, progress), None  # the report; the picker emptied for the next batch

    event = button.click(run, [files], [report, files])
    ctx.shared.setdefault("ingest_events", []).append(event)
