"""The archive's part for the app: what it shows beside items that the other parts do not read."""

from __future__ import annotations

import json
from collections.abc import Iterable

from index.store.base import StorePart


class AppStore(StorePart):
    """Reads for the app's views (no tables of its own)."""

    def document_front_matter(self, document_ids: Iterable[int]) -> dict[int, dict]:
        """The stored front matter of documents (e.g. ``ocr``: pages read by OCR and their confidence)."""
        ids = sorted({int(i) for i in document_ids})
        out: dict[int, dict] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            rows = self._conn.execute(
                f"SELECT id, front_matter FROM documents WHERE id IN ({','.join('?' * len(chunk))})", chunk
            ).fetchall()
            for row in rows:
                try:
                    value = json.loads(row[1] or "{}")
                except ValueError:
                    value = {}
                out[row[0]] = value if isinstance(value, dict) else {}
        return out
