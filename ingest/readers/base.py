"""What every reader shares: reading a file's bytes with errors by name, and the Document they make."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from radslag.errors import IngestError
from radslag.types import Document


def read_bytes(path: Path) -> bytes:
    """Read a whole file, with read errors as :class:`IngestError` (``permission`` or ``io``)."""
    try:
        return path.read_bytes()
    except PermissionError as exc:
        raise IngestError("permission", f"Saknar läsbehörighet för {path} (permission denied)") from exc
    except FileNotFoundError as exc:
        raise IngestError("io", f"Filen finns inte: {path} (file not found)") from exc
    except OSError as exc:
        raise IngestError("io", f"Kunde inte läsa {path} (could not read file): {exc}") from exc


def make_document(raw: bytes, *, source: str, text: str, reader: str, **fields: Any) -> Document:
    """A :class:`Document` of ``raw``: its hash and size taken from the bytes the reader was given."""
    return Document(source=source, text=text, reader=reader,
                    content_hash=hashlib.sha256(raw).hexdigest(), size=len(raw), **fields)
