"""Reader dispatch: turn a file into a :class:`~radslag.types.Document`.

* :func:`walk_files` walks the paths a user gave: regular files only,
  symbolic links never followed out of a given folder, and every problem
  (unreadable folder, link loop, link pointing outside, FIFO or device)
  reported by name as a :class:`FileEntry` with an error.
* :func:`load_file` is the one read-and-hash step: it opens a path without
  blocking (a FIFO or ``/dev/zero`` is refused, not read), refuses files over
  the size limit, reads the bytes once and hashes them together with the
  file's metadata sidecar.
* :func:`read_document` checks the file, enforces the page, unpacked-size and
  paragraph limits, picks a reader by extension and magic bytes, and refuses
  documents with no (Swedish) text. Every failure is an
  :class:`~radslag.errors.IngestError` with a plain reason.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from ingest.ocr import OcrOptions
from radslag.errors import IngestError
from radslag.types import Document

__all__ = [
    "SUPPORTED_SUFFIXES",
    "SIDECAR_SUFFIXES",
    "ReadLimits",
    "FileData",
    "FileEntry",
    "load_file",
    "read_document",
    "check_text",
    "file_error",
    "walk_files",
    "iter_files",
    "is_sidecar",
]

#: File extensions the archive can read (lower case).
SUPPORTED_SUFFIXES: tuple[str, ...] = (".pdf", ".docx", ".txt", ".text", ".md", ".markdown")
TEXT_SUFFIXES = (".txt", ".text")
MARKDOWN_SUFFIXES = (".md", ".markdown")
#: Metadata sidecar files (``<name>.meta.json`` / ``<name>.meta.yaml``), never read as documents.
SIDECAR_SUFFIXES: tuple[str, ...] = (".meta.json", ".meta.yaml", ".meta.yml")
#: Folder walking skips files whose name starts with one of these (case-insensitive).
SKIPPED_PREFIXES = ("readme", "source", "license", "licence")
#: A sidecar holds a few keys; anything bigger is not one.
SIDECAR_MAX_BYTES = 1 << 20

_MB = 1 << 20
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


# ---------------------------------------------------------------------------
# Limits and file bytes
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadLimits:
    """Size limits that keep one hostile file from exhausting the machine.

    Defaults match :class:`radslag.config.Settings`; each is far above what a
    real 200-page protocol needs (a few MB, a few hundred pages, a few MB of
    XML and some ten thousand paragraphs).

    Attributes:
        max_file_bytes: Largest file that is read at all.
        max_pages: Most pages a PDF may have.
        max_unzipped_bytes: Most bytes a DOCX may unpack to.
        max_paragraphs: Most paragraphs and table cells a DOCX may hold.
        ocr: How scanned PDF pages are read (:class:`ingest.ocr.OcrOptions`;
            it travels with the limits into the parsing worker).
    """

    max_file_bytes: int = 100 * _MB
    max_pages: int = 2000
    max_unzipped_bytes: int = 200 * _MB
    max_paragraphs: int = 50_000
    ocr: OcrOptions = OcrOptions()

    @classmethod
    def from_settings(cls, settings: Any) -> "ReadLimits":
        """Limits from :class:`radslag.config.Settings`."""
        return cls(
            max_file_bytes=int(settings.max_file_mb * _MB),
            max_pages=int(settings.max_pages),
            max_unzipped_bytes=int(settings.max_unzipped_mb * _MB),
            max_paragraphs=int(settings.max_paragraphs),
            ocr=OcrOptions.from_settings(settings),
        )


@dataclass
class FileData:
    """A file's bytes, read once, with its hashes.

    Attributes:
        path: The file.
        data: Its bytes.
        raw_hash: SHA-256 of ``data`` alone.
        digest: SHA-256 of ``data`` and the metadata sidecar's name and bytes;
            equal to ``raw_hash`` when there is no sidecar. This is the
            archive's ``content_hash``: a changed sidecar changes it.
        sidecar: The sidecar file that went into ``digest``, if any.
    """

    path: Path
    data: bytes
    raw_hash: str
    digest: str
    sidecar: Path | None = None

    @property
    def size(self) -> int:
        return len(self.data)


def file_error(exc: OSError, path: Path | str, *, folder: bool = False) -> IngestError:
    """Map an :class:`OSError` on ``path`` to an :class:`IngestError` (the one place that does).

    Args:
        exc: The error from ``open``/``stat``/``read``/``scandir``.
        path: What was being read (for the message).
        folder: True when ``path`` is a folder being listed.
    """
    name = _display(path)
    what_sv, what_en = ("mappen", "folder") if folder else ("filen", "file")
    if isinstance(exc, PermissionError):
        return IngestError("permission", f"Saknar läsbehörighet för {what_sv} {name} (permission denied: {what_en})")
    if isinstance(exc, FileNotFoundError):
        return IngestError("io", f"Filen finns inte: {name} (file not found)")
    if isinstance(exc, IsADirectoryError):
        return IngestError("io", f"Är en mapp, inte en fil: {name} (is a folder, not a file)")
    if exc.errno == errno.ELOOP:
        return IngestError("symlink_loop", f"Symbolisk länk i en slinga: {name} (symbolic link loop)")
    if exc.errno in (errno.ENXIO, errno.ENODEV, errno.EOPNOTSUPP):
        return _not_regular(name, "socket eller enhet", "socket or device")
    return IngestError("io", f"Kunde inte läsa {what_sv} {name} (could not read {what_en}): {exc.strerror or exc}")


def _not_regular(name: str, kind_sv: str, kind_en: str) -> IngestError:
    return IngestError(
        "not_regular",
        f"Ingen vanlig fil ({kind_sv}), läses inte: {name} (not a regular file: {kind_en})",
    )


def _kind_of(mode: int) -> tuple[str, str]:
    if stat.S_ISFIFO(mode):
        return "FIFO/namngiven rörledning", "FIFO"
    if stat.S_ISSOCK(mode):
        return "socket", "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "enhetsfil", "device"
    return "okänd filtyp", "unknown file type"


def _too_large(name: str, size: int, limit: int) -> IngestError:
    return IngestError(
        "too_large",
        f"För stor att läsa: {name} är {size / _MB:.1f} MB, gränsen är {limit / _MB:.0f} MB "
        f"(RADSLAG_MAX_FILE_MB) (too large to read: {size / _MB:.1f} MB, limit {limit / _MB:.0f} MB)",
    )


def _read_regular(path: Path, limit: int) -> bytes:
    """Read a regular file of at most ``limit`` bytes without ever blocking on it.

    ``O_NONBLOCK`` makes opening a FIFO return at once instead of waiting for
    a writer; ``fstat`` on the open descriptor then refuses anything that is
    not a regular file, so the check and the read see the same file.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    name = _display(path)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise file_error(exc, path) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IngestError("io", f"Är en mapp, inte en fil: {name} (is a folder, not a file)")
        if not stat.S_ISREG(st.st_mode):
            raise _not_regular(name, *_kind_of(st.st_mode))
        if st.st_size > limit:
            raise _too_large(name, st.st_size, limit)
        # One read normally gets it all; the loop notices a file that grows meanwhile.
        chunks: list[bytes] = []
        total = 0
        want = st.st_size + 1
        while block := os.read(fd, want):
            total += len(block)
            if total > limit:
                raise _too_large(name, total, limit)
            chunks.append(block)
            want = _MB
        return b"".join(chunks)  # no copy for a single block
    except OSError as exc:
        raise file_error(exc, path) from None
    finally:
        os.close(fd)


def _sidecar_of(path: Path) -> Path | None:
    from ingest.metadata import find_sidecar

    try:
        return find_sidecar(path)
    except OSError:
        return None


def load_file(path: Path | str, limits: ReadLimits | None = None) -> FileData:
    """Read a file once and hash it with its metadata sidecar.

    Args:
        path: The file.
        limits: Size limit (``max_file_bytes``); defaults to :class:`ReadLimits`.

    Returns:
        The bytes and both hashes.

    Raises:
        IngestError: ``io`` (missing, a folder, read error), ``permission``,
            ``not_regular`` (FIFO, socket, device), ``symlink_loop``,
            ``too_large`` (over ``max_file_bytes``) or ``empty`` (empty,
            whitespace only or only a byte-order mark).
    """
    path = Path(path)
    limits = limits or ReadLimits()
    data = _read_regular(path, limits.max_file_bytes)
    if not data.strip(b" \t\r\n\f\v") or data in _TEXT_BOMS:
        raise IngestError("empty", f"Tom fil: {_display(path)} (empty file)")
    digest = hashlib.sha256(data)
    raw_hash = digest.hexdigest()
    sidecar = _sidecar_of(path)
    if sidecar is not None:
        try:
            extra = _read_regular(sidecar, SIDECAR_MAX_BYTES)
        except IngestError:
            sidecar = None  # the metadata reader ignores an unreadable sidecar too
        else:
            digest.update(b"\0radslag-sidecar\0" + os.fsencode(sidecar.name) + b"\0" + extra)
    return FileData(path=path, data=data, raw_hash=raw_hash, digest=digest.hexdigest(), sidecar=sidecar)


# ---------------------------------------------------------------------------
# Reading a document
# ---------------------------------------------------------------------------


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


def _check_pages(path: Path, data: bytes, limits: ReadLimits, on_pages: Callable[[int], None] | None) -> None:
    from ingest.readers.pdf import page_count

    pages = page_count(data)  # PDFium reads the page tree only; None when it cannot open the file
    if pages is None:
        return
    if pages > limits.max_pages:
        raise IngestError(
            "too_large",
            f"För stor att läsa: {_display(path.name)} har fler än {limits.max_pages} sidor "
            f"(RADSLAG_MAX_PAGES) (too large to read: more than {limits.max_pages} pages)",
        )
    if on_pages is not None:
        on_pages(pages)


def _read_pdf(path: Path, source: str, fd: FileData, limits: ReadLimits, on_pages, on_ocr_pages=None) -> Document:
    try:
        from ingest.readers.pdf import read_pdf
    except ImportError as exc:
        raise IngestError("unsupported", f"PDF-läsaren saknas (PDF reader not available): {exc}") from exc
    # Only files read_pdf will parse (it first wants %PDF- and %%EOF) are counted.
    if _PDF_MAGIC in fd.data[:1024] and b"%%EOF" in fd.data.rstrip(b"\x00\r\n\t\f ")[-2048:]:
        _check_pages(path, fd.data, limits, on_pages)
    return read_pdf(path, source, ocr=limits.ocr, on_ocr_pages=on_ocr_pages)


def _read_docx(path: Path, source: str, fd: FileData, limits: ReadLimits) -> Document:
    try:
        from ingest.readers.docx import read_docx
    except ImportError as exc:
        raise IngestError("unsupported", f"DOCX-läsaren saknas (DOCX reader not available): {exc}") from exc
    return read_docx(path, source, data=fd.data, limits=limits)


def read_document(
    path: Path,
    source: str,
    *,
    data: FileData | None = None,
    limits: ReadLimits | None = None,
    on_pages: Callable[[int], None] | None = None,
    on_ocr_pages: Callable[[int], None] | None = None,
) -> Document:
    """Read any supported file into a :class:`Document`.

    Dispatch is by extension, checked against the magic bytes: ``.pdf`` →
    :func:`ingest.readers.pdf.read_pdf`, ``.docx`` →
    :func:`ingest.readers.docx.read_docx`, ``.txt``/``.text`` →
    :func:`ingest.readers.text.read_text`, ``.md``/``.markdown`` →
    :func:`ingest.readers.text.read_markdown`. A file with an unknown
    extension that starts with ``%PDF-`` is read as PDF. The result must hold
    Swedish text (:func:`check_text`).

    Args:
        path: The file.
        source: The path as given at ingest (stored in the archive).
        data: The file as read by :func:`load_file`; read here when None.
        limits: Size, page, unpacked-size and paragraph limits.
        on_pages: Called with a PDF's page count before its pages are read
            (the isolation layer extends the file's time limit by it).
        on_ocr_pages: Called with the number of scanned pages before they
            are read by OCR (``limits.ocr``), likewise.

    Returns:
        The document; ``content_hash`` is the SHA-256 of the file's bytes.

    Raises:
        IngestError: the reasons of :func:`load_file`, ``binary`` (a text
            file that holds NUL bytes or PDF/ZIP/image magic),
            ``unsupported`` (unknown extension, a sidecar), ``too_large``
            (over a limit), ``no_text``/``not_swedish`` (see
            :func:`check_text`), ``changed`` (the file changed while it was
            being read) and the readers' own reasons (``encoding``,
            ``not_pdf``, ``corrupt_pdf``, ``corrupt_docx``, …).
    """
    path = Path(path)
    limits = limits or ReadLimits()
    if is_sidecar(path):
        raise IngestError(
            "unsupported",
            f"{_display(path.name)} är en metadatafil, inget dokument (is a metadata sidecar, not a document)",
        )
    fd = data if data is not None else load_file(path, limits)
    head = fd.data[:8192]
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        doc = _read_pdf(path, source, fd, limits, on_pages, on_ocr_pages)
    elif suffix == ".docx":
        doc = _read_docx(path, source, fd, limits)
    elif suffix in TEXT_SUFFIXES or suffix in MARKDOWN_SUFFIXES:
        if _looks_binary(head):
            what = "en PDF" if head.startswith(_PDF_MAGIC) else "binärdata"
            what_en = "a PDF" if head.startswith(_PDF_MAGIC) else "binary data"
            name = _display(path.name)
            raise IngestError(
                "binary",
                f"{name} har textfiländelse men innehåller {what} ({name} has a text extension but holds {what_en})",
            )
        from ingest.readers.text import read_markdown, read_text

        doc = read_text(path, source) if suffix in TEXT_SUFFIXES else read_markdown(path, source)
    elif head.startswith(_PDF_MAGIC):
        doc = _read_pdf(path, source, fd, limits, on_pages, on_ocr_pages)
    else:
        raise IngestError(
            "unsupported",
            f"Filtypen stöds inte: {_display(path.name)} "
            f"(unsupported file type; supported: {', '.join(SUPPORTED_SUFFIXES)})",
        )
    if doc.content_hash != fd.raw_hash:
        # The PDF and text readers read the file again themselves.
        raise IngestError(
            "changed",
            f"Filen ändrades medan den lästes: {_display(path.name)} – läs in den igen "
            "(the file changed while it was being read; ingest it again)",
        )
    check_text(doc, _display(path.name))
    return doc


# ---------------------------------------------------------------------------
# Is there Swedish text?
# ---------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]{2,}")
_SWEDISH_LETTERS = re.compile("[åäöÅÄÖ]")
#: Words that must be found before a document counts as text, and how much
#: of the text (after whitespace) must be letters.
MIN_WORDS = 2
MIN_LETTER_SHARE = 0.3
#: Share of the first :data:`MIN_SHAPE_WORDS` words that must be well formed.
MIN_SHAPED_SHARE = 0.7
MIN_SHAPE_WORDS = 200
#: How much text is scanned for the checks (they stop as soon as they pass).
_SCAN_CHARS = 1 << 20


def _well_formed(word: str) -> bool:
    """Written the way words are: lower case, capitalised or all capitals ("ÉNlRñ" is not)."""
    return word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())


def check_text(doc: Document, name: str | None = None) -> None:
    """Refuse a document that holds no Swedish text.

    A document needs at least :data:`MIN_WORDS` words (runs of two or more
    letters), most of them written the way words are (lower case,
    capitalised or all capitals: random bytes decoded as a legacy code page
    give "ÉNlRñáë"), letters must make up at least :data:`MIN_LETTER_SHARE`
    of its non-space characters, and it must show Swedish: a letter å, ä or
    ö, or a word from the Swedish stop-word list
    (``radslag/data/stopwords_sv.txt``). Random bytes that happen to decode,
    a file of digits and punctuation and a text in another language are
    refused by name.

    Args:
        doc: The document a reader returned.
        name: File name for the message (defaults to ``doc.source``).

    Raises:
        IngestError: ``no_text`` or ``not_swedish``.
    """
    from radslag.lang import stopwords

    name = name or _display(doc.source)
    sample = doc.text[:_SCAN_CHARS]
    words = shaped = 0
    swedish = bool(_SWEDISH_LETTERS.search(sample))
    stop = stopwords()
    for match in _WORD.finditer(sample):
        word = match.group()
        words += 1
        shaped += _well_formed(word)
        if not swedish and word.casefold() in stop:
            swedish = True
        if words >= MIN_SHAPE_WORDS and swedish:
            break
    nonspace = len(sample) - sum(sample.count(c) for c in " \n\t\r\f\v\u00a0")
    letters = sum(1 for c in sample if c.isalpha())
    if words < MIN_WORDS or letters < MIN_LETTER_SHARE * nonspace or shaped < MIN_SHAPED_SHARE * words:
        raise IngestError(
            "no_text",
            f"Ingen läsbar text i {name}: inga ord, bara tecken och siffror (no readable text: no words)",
        )
    if not swedish:
        raise IngestError(
            "not_swedish",
            f"Ingen svensk text i {name} (inga å, ä, ö eller vanliga svenska ord) (no Swedish text)",
        )


# ---------------------------------------------------------------------------
# Walking the paths a user gave
# ---------------------------------------------------------------------------


class FileEntry(NamedTuple):
    """One file to ingest, or one problem found while walking.

    Attributes:
        path: The file (or the folder or link with the problem).
        source: The path as the user gave it, joined with the relative path
            inside a folder; file names that are not UTF-8 are shown with
            ``\\xNN`` escapes.
        error: Set when the entry is a problem to report, not a file to read.
    """

    path: Path
    source: str
    error: IngestError | None = None


def _display(path: Path | str | bytes) -> str:
    """A path as text that can be printed and stored (non-UTF-8 bytes as ``\\xNN``)."""
    text = os.fsdecode(path) if isinstance(path, bytes) else str(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _skip_in_walk(rel: Path) -> bool:
    """True for files a folder walk leaves out."""
    if any(part.startswith(".") for part in rel.parts):
        return True
    name = rel.name.lower()
    if name.startswith(SKIPPED_PREFIXES) or is_sidecar(rel):
        return True
    return rel.suffix.lower() not in SUPPORTED_SUFFIXES


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _link_problem(link: str, real_root: str, source: str, *, folder: bool) -> IngestError | None:
    """What is wrong with following the symbolic link ``link``, or None when it may be followed."""
    try:
        target = os.path.realpath(link, strict=True)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return IngestError("symlink_loop", f"Symbolisk länk i en slinga: {source} (symbolic link loop)")
        return IngestError("io", f"Symbolisk länk till något som inte finns: {source} (broken symbolic link)")
    if not _inside(target, real_root):
        return IngestError(
            "outside",
            f"Symbolisk länk som pekar utanför den angivna mappen följs inte: {source} "
            "(symbolic link pointing outside the given folder is not followed)",
        )
    if folder and _inside(os.path.realpath(os.path.dirname(link)), target):
        return IngestError(
            "symlink_loop", f"Symbolisk länk i en slinga: {source} pekar på en mapp ovanför sig (link loop)"
        )
    return None


def walk_files(paths: Iterable[str | Path]) -> Iterator[FileEntry]:
    """Yield every file to ingest, and every problem, as :class:`FileEntry`.

    A path named directly is yielded as given (a symbolic link named directly
    is followed: the user chose it); :func:`load_file` then refuses what is
    not a readable regular file. A folder is walked recursively in sorted
    order; hidden files and folders, ``README*``, ``SOURCE*``, ``LICENSE*``,
    metadata sidecars and files with unsupported extensions are left out.
    Inside a folder:

    * a symbolic link to a file inside the folder is read; one pointing
      outside it (``outside``), a broken one (``io``) and a loop
      (``symlink_loop``) are reported;
    * linked folders are never walked (inside the folder their files are
      found at their real place); one pointing outside or to a folder above
      it is reported;
    * an unreadable folder is reported (``permission``), as is a FIFO,
      socket or device with a supported extension (``not_regular``).

    Args:
        paths: Files and folders as the user gave them.

    Yields:
        Entries in order: per given path, sorted by relative path.
    """
    for given in paths:
        given_str = os.fsdecode(given) if isinstance(given, bytes) else str(given)
        root = Path(given_str)
        if not root.is_dir():
            yield FileEntry(root, _display(given_str))
            continue
        yield from _walk_folder(root, given_str)


def _walk_folder(root: Path, given_str: str) -> Iterator[FileEntry]:
    real_root = os.path.realpath(root)
    found: list[tuple[str, FileEntry]] = []

    def source_of(full: str) -> tuple[str, str]:
        rel = os.path.relpath(full, root)
        src = given_str if rel == "." else os.path.join(given_str, rel)
        return Path(rel).as_posix(), _display(src)

    def on_error(exc: OSError) -> None:
        full = exc.filename or str(root)
        key, src = source_of(full)
        found.append((key, FileEntry(Path(full), src, file_error(exc, src, folder=True))))

    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error):
        kept = []
        for d in sorted(dirnames):
            if d.startswith("."):
                continue
            full = os.path.join(dirpath, d)
            if os.path.islink(full):
                key, src = source_of(full)
                problem = _link_problem(full, real_root, src, folder=True)
                if problem is not None:
                    found.append((key, FileEntry(Path(full), src, problem)))
                continue
            kept.append(d)
        dirnames[:] = kept
        for fname in filenames:
            full = os.path.join(dirpath, fname)
            key, src = source_of(full)
            if _skip_in_walk(Path(key)):
                continue
            problem = None
            if os.path.islink(full):
                problem = _link_problem(full, real_root, src, folder=False)
            if problem is None:
                try:
                    mode = os.stat(full).st_mode
                except OSError as exc:
                    problem = file_error(exc, src)
                else:
                    if stat.S_ISDIR(mode):
                        continue  # a link to a folder inside: walked at its real place
                    if not stat.S_ISREG(mode):
                        problem = _not_regular(src, *_kind_of(mode))
            found.append((key, FileEntry(Path(full), src, problem)))
    found.sort(key=lambda pair: pair[0])
    for _, entry in found:
        yield entry


def iter_files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, str]]:
    """Yield ``(path, source)`` for every file to ingest (the problem-free part of :func:`walk_files`).

    Problems found while walking (unreadable folders, links out of the folder,
    loops, FIFOs) are left out here; use :func:`walk_files` to report them.
    """
    for entry in walk_files(paths):
        if entry.error is None:
            yield entry.path, entry.source
