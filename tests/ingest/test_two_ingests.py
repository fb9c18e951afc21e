"""Two ingests into one archive at once (the app's upload tab and a CLI ingest): both keep their vectors."""

from __future__ import annotations

import pytest

import index.vectors as vectors_module
from index.embeddings import load_embedder
from index.store import Archive
from index.vectors import VectorIndex
from ingest.pipeline import ingest_paths
from radslag.config import load_settings

FIRST = "Trygghetsråd\n\n1. Klotter\n\nKlotter vid stationen ska saneras inom ett dygn.\n\n2. Övrigt\n\nInget.\n"
SECOND = ("Trygghetsråd\n\n1. Belysning\n\nFler lampor i parken efter trygghetsvandringen.\n\n"
          "2. Motorburen ungdom\n\nEPA-traktorer och hög musik på torget.\n\n3. Övrigt\n\nInget.\n")


@pytest.mark.slow
def test_an_ingest_saving_while_another_embeds_loses_no_vectors(tmp_path, monkeypatch):
    """Review 1.2: the second ingest opens the index, embeds, and saves while the first has its new vectors
    in memory only; the first one's save merges onto the second's instead of replacing it."""
    settings = load_settings(archive_dir=tmp_path / "archive").with_(enrich=False)
    first, second = tmp_path / "forsta.txt", tmp_path / "andra.txt"
    first.write_text(FIRST, encoding="utf-8")
    second.write_text(SECOND, encoding="utf-8")
    real = vectors_module.kill_point
    inner: list[object] = []

    def kill_point(name: str) -> None:
        if name == "embed" and not inner:  # the first ingest's vectors are in memory, not saved
            inner.append(None)
            inner[0] = ingest_paths([str(second)], settings)
        real(name)

    monkeypatch.setattr(vectors_module, "kill_point", kill_point)
    report = ingest_paths([str(first)], settings)
    assert inner and not report.notes and not inner[0].notes
    with Archive(settings.db_path) as arc:
        passages = {p.id for p in arc.passages()}
        documents = arc.count("documents")
    assert len(passages) >= 5 and documents == 2
    assert VectorIndex.open(settings, load_embedder(settings)).ids() == passages
