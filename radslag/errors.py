"""Errors that carry a user-facing reason."""

from __future__ import annotations


class RadslagError(Exception):
    """Base class for errors shown to users without a traceback."""


class IngestError(RadslagError):
    """A file could not be ingested; ``reason`` says why in plain words.

    Attributes:
        reason: Short machine-friendly code: ``empty``, ``binary``,
            ``unsupported``, ``encoding``, ``permission``, ``io``,
            ``not_pdf``, ``corrupt_pdf``, ``encrypted``, ``needs_ocr``,
            ``corrupt_docx``.
        message: Human-readable explanation (Swedish first, English after).
    """

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


class ModelError(RadslagError):
    """A model could not be provisioned or loaded."""


class IndexMismatchError(RadslagError):
    """The vector index was built with a different model than requested."""


class FilterError(RadslagError):
    """A filter value (date, kind, topic, name) cannot be used; the message names it."""
