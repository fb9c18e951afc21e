"""Layout-aware PDF reader.

Municipal minutes are laid out for print, so the reader looks at where words
sit on the page rather than at the raw text stream. The stages, one module
each:

* :mod:`~ingest.readers.pdf.extract`: words with boxes, size and weight,
  read with PDFium (``pypdfium2``); a guard refuses object reference cycles.
* :mod:`~ingest.readers.pdf.geometry`: words grouped into segments and rows.
* :mod:`~ingest.readers.pdf.furniture`: running headers and footers, page
  numbers and signature boxes, learnt from repetition across pages.
* :mod:`~ingest.readers.pdf.regions`: tables read row by row, side blocks.
* :mod:`~ingest.readers.pdf.layout`: two columns, margin headings, numbers
  and form labels, paragraph breaks.
* :mod:`~ingest.readers.pdf.assemble`: the text, exact page spans and
  heading offsets, hyphenated line breaks joined.

What was removed as furniture stays available in ``Document.front_matter``:
``running_lines`` (distinct running header/footer lines; the metadata
extractor reads dates from them), ``page_header`` (the running header, kept
once as text at the top of page 1) and ``page_furniture`` (every removed
piece: ``{"page", "kind": header|footer|page_number, "text"}``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ingest.ocr import OcrOptions, OcrRun, no_text_message, not_available_message, run_ocr
from ingest.readers.base import read_bytes
from ingest.readers.pdf.assemble import assemble, join_hyphen
from ingest.readers.pdf.extract import (
    Extracted,
    Word,
    check_reference_cycles,
    is_password_error,
    open_document,
    read_words,
)
from ingest.readers.pdf.furniture import strip_furniture
from ingest.readers.pdf.geometry import rows_of
from ingest.readers.pdf.layout import document_body_left, layout_page, mark_paragraphs
from radslag.errors import IngestError
from radslag.types import Document

__all__ = ["read_pdf", "join_hyphen", "page_count"]


def read_pdf(
    path: Path,
    source: str,
    *,
    ocr: OcrOptions | None = None,
    on_ocr_pages: Callable[[int], None] | None = None,
) -> Document:
    """Read a PDF into a :class:`Document` with layout-derived structure.

    Args:
        path: The PDF file.
        source: The source label to store in the document.
        ocr: How scanned pages are read (:mod:`ingest.ocr`); None reads the
            text layer only, as does mode ``off``.
        on_ocr_pages: Called with the number of pages about to be OCR'd
            (the isolation layer extends the file's time limit by it).

    Returns:
        The document: normalised text, one :class:`PageSpan` per page,
        margin and bold headings with offsets, PDF info in ``front_matter``
        (``title``, ``author``, ``created`` when present) and the removed
        page furniture (``running_lines``, ``page_header``,
        ``page_furniture``). Pages read by OCR are recorded in
        ``front_matter["ocr"]`` (:meth:`ingest.ocr.OcrRun.front_matter`) and
        noted in ``warnings`` with their confidence.

    Raises:
        IngestError: ``io``/``permission`` when the file cannot be read,
            ``empty`` for an empty file, ``not_pdf`` when the bytes are not a
            PDF, ``corrupt_pdf`` when it is truncated, broken or its objects
            refer to themselves in a loop, ``encrypted`` when it needs a
            password and ``needs_ocr`` when no page has a text layer and
            OCR is off, unavailable (the message names what to install) or
            finds no text.
    """
    path = Path(path)
    data = read_bytes(path)
    content_hash = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise IngestError("empty", f"Tom fil: {path.name} (empty file)")
    if b"%PDF-" not in data[:1024]:
        raise IngestError(
            "not_pdf",
            f"Filen {path.name} är ingen PDF (saknar %PDF-huvud) (not a PDF: no %PDF header)",
        )
    if b"%%EOF" not in data.rstrip(b"\x00\r\n\t\f ")[-2048:]:
        raise IngestError(
            "corrupt_pdf",
            f"PDF-filen {path.name} är avkortad eller skadad (saknar %%EOF) – hämta den igen "
            "(truncated or damaged PDF: no %%EOF at the end; download it again)",
        )
    check_reference_cycles(data, path.name)

    try:
        pdf = open_document(data)
    except Exception as exc:  # PdfiumError carries the reason as a code
        raise _open_error(exc, path) from None
    try:
        try:
            extracted = read_words(pdf)
        except IngestError:
            raise
        except Exception as exc:
            raise IngestError(
                "corrupt_pdf",
                f"PDF-filen {path.name} är skadad och kan inte läsas ({str(exc)[:200]}) "
                "(corrupt PDF: cannot be parsed)",
            ) from None
        # OCR: scanned pages get words read from their picture (the document must still be open).
        ocr_run = run_ocr(pdf, extracted.pages, path.name, ocr, on_ocr_pages) if ocr is not None else None
    finally:
        pdf.close()
    _apply_ocr(extracted, ocr_run)
    return _build(extracted, path, source, data, content_hash, ocr, ocr_run)


def _apply_ocr(extracted: Extracted, run: OcrRun | None) -> None:
    """Put the words OCR read in place of the (empty) text layer of the scanned pages."""
    if run is None:
        return
    for page in extracted.pages:
        read = run.pages.get(page.number)
        if read is not None and read.words:
            page.words = [Word(w.text, w.x0, w.x1, w.top, w.bottom, w.size, w.bold) for w in read.words]
            page.unmapped = 0
            page.rotated_dropped = False


def page_count(data: bytes) -> int | None:
    """The number of pages of PDF bytes, or None when the file cannot be opened.

    Cheap (PDFium reads the page tree, no page is parsed) and safe on damaged
    files: a reference cycle is caught before anything resolves it, where
    pdfminer's page walk would loop forever. ``read_pdf`` then reports what is
    wrong with the file in its own words.
    """
    try:
        check_reference_cycles(data, "")
        pdf = open_document(data)
    except Exception:
        return None
    try:
        return len(pdf)
    finally:
        pdf.close()


def _build(
    extracted: Any,
    path: Path,
    source: str,
    data: bytes,
    content_hash: str,
    ocr: OcrOptions | None = None,
    ocr_run: OcrRun | None = None,
) -> Document:
    pages = extracted.pages
    if not pages:
        raise IngestError(
            "corrupt_pdf",
            f"PDF-filen {path.name} har inga sidor som går att läsa (corrupt PDF: no readable pages)",
        )
    if not any(p.words for p in pages):
        raise IngestError("needs_ocr", _needs_ocr_message(path.name, ocr, ocr_run))
    warnings: list[str] = []
    ocr_pages = set(ocr_run.needed) if ocr_run is not None else set()
    for page in pages:
        if not page.words and page.images and page.number not in ocr_pages:
            warnings.append(
                f"Sida {page.number} saknar textlager och har bara bild – OCR behövs för den sidan "
                f"(page {page.number} has no text layer)"
            )
        if page.rotated_dropped:
            warnings.append(
                f"Roterad text på sida {page.number} utelämnad (rotated text on page {page.number} left out)"
            )
    furniture = strip_furniture([rows_of(p.words) for p in pages], [p.height for p in pages])
    doc_left = document_body_left(furniture.pages)
    laid = [layout_page(p.number, rows, doc_left) for p, rows in zip(pages, furniture.pages)]
    mark_paragraphs([p.lines for p in laid])
    text, spans, headings = assemble(laid)
    unmapped = sum(p.unmapped for p in pages)
    if unmapped >= 20 and unmapped >= 0.02 * max(1, len(text)):
        warnings.append(
            "Texten innehåller okodade tecken – PDF:ens typsnitt saknar teckentabell, "
            "OCR kan ge bättre text (unmapped glyphs in the PDF font)"
        )
    if sum(p.images for p in pages) >= len(pages) and _letters(text) < 40 * len(pages):
        if ocr_run is not None and ocr_run.pages:
            raise IngestError("needs_ocr", no_text_message(path.name, ocr_run))
        raise IngestError(
            "needs_ocr",
            f"Skannad PDF med nästan inget textlager – OCR behövs: {path.name} "
            "(installera tesseract-ocr-swe och kör ocrmypdf -l swe) "
            "(scanned PDF with almost no text layer: OCR needed)"
            if ocr is None
            else _needs_ocr_message(path.name, ocr, ocr_run),
        )
    front: dict[str, Any] = dict(extracted.meta)
    if ocr_run is not None:
        front["ocr"] = ocr_run.front_matter()
        warnings.extend(ocr_run.warnings())
    if furniture.running_lines:
        front["running_lines"] = furniture.running_lines
    if furniture.header_lines:
        front["page_header"] = furniture.header_lines
    if furniture.removed:
        front["page_furniture"] = [r.to_json() for r in furniture.removed]
    return Document(
        source=source,
        text=text,
        reader="pdf",
        content_hash=content_hash,
        size=len(data),
        pages=spans,
        headings=headings,
        front_matter=front,
        encoding=None,
        warnings=warnings,
    )


def _needs_ocr_message(name: str, ocr: OcrOptions | None, run: OcrRun | None) -> str:
    """Why a scanned file has no text: no OCR asked for, OCR off or unavailable, or OCR found nothing."""
    if ocr is None:
        return (
            f"Skannad PDF utan textlager – OCR behövs: {name}. Kör till exempel "
            "ocrmypdf -l swe (kräver paketet tesseract-ocr-swe) och läs in resultatet "
            "(scanned PDF without text layer: OCR needed, e.g. ocrmypdf -l swe with tesseract-ocr-swe)"
        )
    if run is not None and run.pages:
        return no_text_message(name, run)
    return not_available_message(name, ocr, run.status if run is not None else None)


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)



def _open_error(exc: BaseException, path: Path) -> IngestError:
    """Turn a PDFium load error into an :class:`IngestError`."""
    if is_password_error(exc):
        return IngestError(
            "encrypted",
            f"PDF-filen {path.name} är krypterad och kräver lösenord – spara en olåst kopia "
            "(encrypted PDF: a password is needed; save an unlocked copy)",
        )
    return IngestError(
        "corrupt_pdf",
        f"PDF-filen {path.name} är skadad och kan inte läsas ({str(exc)[:200]}) (corrupt PDF: cannot be parsed)",
    )
