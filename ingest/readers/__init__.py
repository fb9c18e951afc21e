"""Reader dispatch: turn a file into a :class:`~radslag.types.Document`.

:func:`read_document` checks the file, picks a reader by extension and magic
bytes and raises :class:`~radslag.errors.IngestError` with a plain reason
when the file cannot be read. :func:`iter_files` walks the paths a user gave.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from radslag.errors import IngestError
from radslag.types import Document

__all__ = ["SUPPORTED_SUFFIXES", "SIDECAR_SUFFIXES", "read_document", "iter_files", "is_sidecar"]

#: File extensions the archive can read (lower case).
SUPPORTED_SUFFIXES: tuple[str, ...] = (".pdf", ".docx", ".txt", ".text", ".md", ".markdown")
TEXT_SUFFIXES = (".txt", ".text")
MARKDOWN_SUFFIXES = (".md", ".markdown")
#: Metadata sidecar files (``<name>.meta.json`` / ``<name>.meta.yaml``), never read as documents.
SIDECAR_SUFFIXES: tuple[str, ...] = (".meta.json", ".meta.yaml", ".meta.yml")
#: Folder walking skips files whose name starts with one of these (case-insensitive).
SKIPPED_PREFIXES = ("readme", "source", "license", "licence")

_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"
_BINARY_MAGIC = (
    _PDF_MAGIC,
    _ZIP_MAGIC,
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\xd0\xcf\x11\xe0",  # OLE2: old .doc/.xls
    b"{\\rtf",
)
_TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


def is_sidecar(path: Path) -> bool:
    """Return True for metadata sidecar files such as ``x.txt.meta.json``."""
    return path.name.lower().endswith(SIDECAR_SUFFIXES)


def _looks_binary(head: bytes) -> bool:
    """True for bytes that are not a text file (NUL bytes or a binary magic)."""
    if head.startswith(_TEXT_BOMS):
        return False  # UTF-16/32 text legitimately holds NUL bytes
    if head.startswith(_BINARY_MAGIC):
        return True
    return b"\x00" in head


def _check_file(path: Path) -> bytes:
    """Read the first bytes, mapping file-system errors to :class:`IngestError`."""
    try:
        if path.is_dir():
            raise IngestError("io", f"Är en mapp, inte en fil: {path} (is a folder, not a file)")
        if not path.exists():
            raise IngestError("io", f"Filen finns inte: {path} (file not found)")
        with path.open("rb") as fh:
            head = fh.read(8192)
            rest_nonblank = bool(head.strip(b" \t\r\n\f\v"))
            if not rest_nonblank:
                # The first block is blank: look further before calling it empty.
                for block in iter(lambda: fh.read(1 << 16), b""):
                    if block.strip(b" \t\r\n\f\v"):
                        rest_nonblank = True
                        break
    except PermissionError as exc:
        raise IngestError("permission", f"Saknar läsbehörighet för {path} (permission denied)") from exc
    except IngestError:
        raise
    except OSError as exc:
        raise IngestError("io", f"Kunde inte läsa {path} (could not read file): {exc}") from exc
    if not head or not rest_nonblank or head in _TEXT_BOMS:
        raise IngestError("empty", f"Tom fil: {path} (empty file)")
    return head


def _read_pdf(path: Path, source: str) -> Document:
    try:
        from ingest.readers.pdf import read_pdf
    except ImportError as exc:
        raise IngestError("unsupported", f"PDF-läsaren saknas (PDF reader not available): {exc}") from exc
    return read_pdf(path, source)


def _read_docx(path: Path, source: str) -> Document:
    try:
        from ingest.readers.docx import read_docx
    except ImportError as exc:
        raise IngestError("unsupported", f"DOCX-läsaren saknas (DOCX reader not available): {exc}") from exc
    return read_docx(path, source)


def read_document(path: Path, source: str) -> Document:
    """Read any supported file into a :class:`Document`.

    Dispatch is by extension, checked against the magic bytes: ``.pdf`` →
    :func:`ingest.readers.pdf.read_pdf`, ``.docx`` →
    :func:`ingest.readers.docx.read_docx`, ``.txt``/``.text`` →
    :func:`ingest.readers.text.read_text`, ``.md``/``.markdown`` →
    :func:`ingest.readers.text.read_markdown`. A file with an unknown
    extension that starts with ``%PDF-`` is read as PDF.

    Args:
        path: The file.
        source: The path as given at ingest (stored in the archive).

    Returns:
        The document.

    Raises:
        IngestError: ``io`` (missing file, folder, read error),
            ``permission``, ``empty`` (empty or whitespace-only file),
            ``binary`` (a text file that holds NUL bytes or PDF/ZIP/image
            magic), ``unsupported`` (unknown extension), and the readers' own
            reasons (``encoding``, ``not_pdf``, ``corrupt_pdf``, …).
    """
    path = Path(path)
    head = _check_file(path)
    suffix = path.suffix.lower()
    if is_sidecar(path):
        raise IngestError(
            "unsupported", f"{path.name} är en metadatafil, inget dokument (is a metadata sidecar, not a document)"
        )
    if suffix == ".pdf":
        return _read_pdf(path, source)
    if suffix == ".docx":
        return _read_docx(path, source)
    if suffix in TEXT_SUFFIXES or suffix in MARKDOWN_SUFFIXES:
        if _looks_binary(head):
            what = "en PDF" if head.startswith(_PDF_MAGIC) else "binärdata"
            what_en = "a PDF" if head.startswith(_PDF_MAGIC) else "binary data"
            raise IngestError(
                "binary",
                f"{path.name} har textfiländelse men innehåller {what} ({path.name} has a text extension but holds {what_en})",
            )
        from ingest.readers.text import read_markdown, read_text

        return read_text(path, source) if suffix in TEXT_SUFFIXES else read_markdown(path, source)
    if head.startswith(_PDF_MAGIC):
        return _read_pdf(path, source)
    raise IngestError(
        "unsupported",
        f"Filtypen stöds inte: {path.name} (unsupported file type; supported: {', '.join(SUPPORTED_SUFFIXES)})",
    )


def _skip_in_walk(rel: Path) -> bool:
    """True for files a folder walk leaves out."""
    if any(part.startswith(".") for part in rel.parts):
        return True
    name = rel.name.lower()
    if name.startswith(SKIPPED_PREFIXES) or is_sidecar(rel):
        return True
    return rel.suffix.lower() not in SUPPORTED_SUFFIXES


def iter_files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, str]]:
    """Yield ``(path, source)`` for every file to ingest.

    A file named directly is yielded as given (so that an unsupported or
    missing file gets a clear error from :func:`read_document`). A folder is
    walked recursively in sorted order (symlinked folders are not followed);
    hidden files and folders, ``README*``, ``SOURCE*``, ``LICENSE*``,
    metadata sidecars (``*.meta.json``, ``*.meta.yaml``) and files with
    unsupported extensions are skipped. ``source`` is the path as the user
    gave it joined with the relative path inside the folder.

    Args:
        paths: Files and folders as the user gave them.

    Yields:
        ``(Path, source)`` pairs.
    """
    for given in paths:
        given_str = str(given)
        root = Path(given_str)
        if not root.is_dir():
            yield root, given_str
            continue
        found: list[Path] = []
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for fname in filenames:
                full = Path(dirpath) / fname
                rel = full.relative_to(root)
                if _skip_in_walk(rel) or not full.is_file():
                    continue
                found.append(rel)
        for rel in sorted(found, key=lambda r: r.as_posix()):
            yield root / rel, os.path.join(given_str, *rel.parts)
