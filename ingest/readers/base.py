"""What every reader shares: reading a file's bytes with errors by name, the Document they make, and the rule
for tables whose rows are a meeting's items (Word tables, Markdown pipe tables)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
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


#: The number cell of an item table: "3", "3.", "3:", "§ 3".
NUMBER_CELL = re.compile(r"^(?:§\s*)?(\d{1,3})[.:]?$")


def counted_rows(first_cells: Sequence[list[str]]) -> list[int] | None:
    """The numbers of a table's rows when their first cells count up by one (1, 2, 3 … or § 34, § 35 …).

    Args:
        first_cells: Each row's first cell, as its paragraphs.

    Returns:
        The numbers, or None when a row has no number cell, the numbers skip,
        or there are fewer than two rows.
    """
    numbers = []
    for paras in first_cells:
        m = NUMBER_CELL.match(" ".join(paras)) if paras else None
        if m is None:
            return None
        numbers.append(int(m.group(1)))
    if len(numbers) < 2 or any(b != a + 1 for a, b in zip(numbers, numbers[1:])):
        return None
    return numbers


def item_row_lines(number_cell: list[str], cells: Sequence[tuple[str, list[str]]]) -> list[str]:
    """One numbered item row as the lines the segmenter reads.

    The number and the first paragraph of the first text cell
    ("1<TAB>Föregående anteckningar"), that cell's other paragraphs, then the
    other cells labelled with their column's header ("Ansvarig: Nina
    Rudberg"). A row of one paragraph per cell would otherwise be one line and
    lose where its title ends.

    Args:
        number_cell: The row's number cell, as its paragraphs.
        cells: ``(column header, paragraphs)`` of the row's other non-empty cells, in order.
    """
    number = " ".join(number_cell)
    if not cells:
        return [number]
    (_, main), rest = cells[0], cells[1:]
    lines = [f"{number}\t{main[0]}", *main[1:]]
    for label, paras in rest:
        label = label.rstrip(":")
        lines.append(f"{label}: {paras[0]}" if label else paras[0])
        lines.extend(paras[1:])
    return lines
