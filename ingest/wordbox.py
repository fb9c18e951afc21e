"""The box of one word on a page, as the PDF text layer and OCR both give it.

:class:`ingest.readers.pdf.extract.Word` (a word of the text layer) and
:class:`ingest.ocr.OcrWord` (a word Tesseract read) add their own fields to
this one record, so the PDF reader lays out words from either source alike.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class WordBox:
    """One word and where it stands.

    Attributes:
        text: The word.
        x0: Left edge.
        x1: Right edge.
        top: Top of the line's ascent (all words of a line share it).
        bottom: Bottom of the line's descent.
        size: Font size (em) in the same unit.
    """

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
