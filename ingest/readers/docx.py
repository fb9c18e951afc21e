"""DOCX reader built on python-docx.

Paragraphs and tables are read in body order. Each paragraph becomes a block
separated from the next by a blank line; a table becomes one block with one
line per row and the cells separated by tabs. Paragraphs with a heading style
("Heading 1", Swedish "Rubrik 1", "Title"/"Rubrik") are reported as
:class:`Heading` entries with ``source="style"``; short paragraphs whose text
is entirely bold with ``source="bold"``. Core properties (title, author,
created) go into ``front_matter``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from pathlib import Path
from typing import Any

from radslag.errors import IngestError
from radslag.types import Document, Heading

#: Longest paragraph (characters) that may count as an all-bold heading.
_BOLD_HEADING_MAX = 120
_HEADING_STYLE_PREFIXES = ("heading", "rubrik", "title", "titel")


def read_docx(path: Path, source: str) -> Document:
    """Read a Word document into a :class:`Document`.

    Args:
        path: The ``.docx`` file.
        source: The source label to store in the document.

    Returns:
        The document with normalised text, headings with offsets and core
        properties (``title``, ``author``, ``created`` as ISO text) in
        ``front_matter``.

    Raises:
        IngestError: ``io``/``permission`` when the file cannot be read,
            ``empty`` for an empty file, ``corrupt_docx`` when it is not a
            valid Word document (bad zip, missing parts).
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    from ingest.normalize import normalize_text

    path = Path(path)
    try:
        data = path.read_bytes()
    except PermissionError as exc:
        raise IngestError("permission", f"Saknar läsrättighet för {path} (permission denied)") from exc
    except OSError as exc:
        raise IngestError("io", f"Kan inte läsa {path}: {exc} (cannot read file)") from exc
    if not data.strip():
        raise IngestError("empty", f"Tom fil: {path.name} (empty file)")
    try:
        import io

        document = docx.Document(io.BytesIO(data))
        blocks = list(_blocks(document))
        props = document.core_properties
        front = _core_properties(props)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as exc:
        raise IngestError(
            "corrupt_docx",
            f"Word-filen {path.name} är skadad eller ingen DOCX ({type(exc).__name__}) "
            "(corrupt or invalid DOCX file)",
        ) from None
    except Exception as exc:  # lxml and zip errors come in many types
        raise IngestError(
            "corrupt_docx",
            f"Word-filen {path.name} kan inte läsas ({type(exc).__name__}: {str(exc)[:120]}) "
            "(corrupt DOCX file)",
        ) from None

    parts: list[str] = []
    headings: list[Heading] = []
    length = 0
    for text, source_kind in blocks:
        cleaned = normalize_text(text).strip("\n")
        if not cleaned.strip():
            continue
        if parts:
            parts.append("\n\n")
            length += 2
        if source_kind and "\n" not in cleaned:
            headings.append(Heading(text=cleaned, start=length, end=length + len(cleaned), source=source_kind))
        parts.append(cleaned)
        length += len(cleaned)
    text = "".join(parts)
    warnings: list[str] = []
    if not text.strip():
        raise IngestError("empty", f"Word-filen {path.name} innehåller ingen text (the DOCX has no text)")
    return Document(
        source=source,
        text=text,
        reader="docx",
        content_hash=hashlib.sha256(data).hexdigest(),
        size=len(data),
        pages=[],
        headings=headings,
        front_matter=front,
        encoding=None,
        warnings=warnings,
    )


def _blocks(document: Any) -> Any:
    """Yield ``(text, heading_source)`` for paragraphs and tables in body order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            yield item.text, _heading_kind(item)
        elif isinstance(item, Table):
            rows = []
            for row in item.rows:
                cells: list[str] = []
                seen: set[int] = set()
                for cell in row.cells:
                    # Merged cells repeat the same cell object; keep it once.
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    cells.append(" ".join(cell.text.split()))
                if any(cells):
                    rows.append("\t".join(cells).rstrip("\t"))
            if rows:
                yield "\n".join(rows), None


def _heading_kind(paragraph: Any) -> str | None:
    """Return ``style``, ``bold`` or None for a paragraph."""
    text = paragraph.text.strip()
    if not text:
        return None
    style = paragraph.style
    names = []
    while style is not None and len(names) < 5:
        names.append((style.name or "").casefold())
        style = style.base_style
    if any(name.startswith(_HEADING_STYLE_PREFIXES) for name in names):
        return "style"
    if len(text) > _BOLD_HEADING_MAX:
        return None
    runs = [r for r in paragraph.runs if r.text.strip()]
    if runs and all(_run_bold(r, paragraph) for r in runs):
        return "bold"
    return None


def _run_bold(run: Any, paragraph: Any) -> bool:
    if run.bold is not None:
        return bool(run.bold)
    style = run.style
    while style is not None:
        if style.font.bold is not None:
            return bool(style.font.bold)
        style = style.base_style
    style = paragraph.style
    while style is not None:
        if style.font.bold is not None:
            return bool(style.font.bold)
        style = style.base_style
    return False


def _core_properties(props: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if props.title and props.title.strip():
        out["title"] = props.title.strip()
    if props.author and props.author.strip():
        out["author"] = props.author.strip()
    created = props.created
    if isinstance(created, dt.datetime):
        out["created"] = created.replace(tzinfo=None).isoformat()
    return out
