"""The ingest pipeline with real models: vectors follow documents, enrichment lands."""

from __future__ import annotations

import logging

import pytest

from index.embeddings import load_embedder
from index.store import Archive
from index.vectors import VectorIndex
from ingest.pipeline import ingest_paths
from radslag.config import load_settings
from radslag.types import Filters

pytestmark = pytest.mark.slow

FIRST = "Trygghetsråd\n\n1. Klotter\n\nKlotter vid stationen ska saneras inom ett dygn.\n\n2. Övrigt\n\nInget.\n"
SECOND = ("Trygghetsråd\n\n1. Belysning\n\nFler lampor i parken efter trygghetsvandringen.\n\n"
          "2. Motorburen ungdom\n\nEPA-traktorer och hög musik på torget.\n\n3. Övrigt\n\nInget.\n")


def _state(settings):
    with Archive(settings.db_path) as arc:
        passage_ids = {p.id for p in arc.passages()}
        items = arc.items()
    index = VectorIndex.open(settings, load_embedder(settings))
    return passage_ids, index.ids(), items


def test_changed_document_replaces_its_vectors_and_enrichment(tmp_path):
    settings = load_settings(archive_dir=tmp_path / "archive")
    doc = tmp_path / "mote.txt"
    doc.write_text(FIRST, encoding="utf-8")
    assert not ingest_paths([str(doc)], settings).notes
    first_passages, first_vectors, items = _state(settings)
    assert first_passages and first_passages == first_vectors
    assert any(t.id == "klotter-skadegorelse" for t in items[0].topics)

    doc.write_text(SECOND, encoding="utf-8")
    report = ingest_paths([str(doc)], settings)
    assert [f.status for f in report.files] == ["replaced"] and not report.notes
    passages, vectors, items = _state(settings)
    assert passages == vectors  # the index holds exactly the live passages
    assert not (first_vectors & vectors)  # the replaced document's vectors are gone
    assert [i.title for i in items] == ["Belysning", "Motorburen ungdom", "Övrigt"]
    motor = items[1]
    assert any(t.id == "motorburen-ungdom" for t in motor.topics)

    again = ingest_paths([str(doc)], settings)
    assert [f.status for f in again.files] == ["unchanged"]
    assert _state(settings)[1] == vectors


def test_entity_filter_finds_items_naming_a_person(corpus_settings):
    from index.search import search

    with Archive(corpus_settings.db_path) as arc:
        hits = search(arc, "lägesbild", settings=corpus_settings, k=10, filters=Filters(entity="Joar Larsson")).hits
    assert hits and all(any((e.get("canonical") or e["text"]) == "Joar Larsson" for e in h.entities) for h in hits)


def test_enrichment_goes_in_batches_of_the_configured_size(tmp_path, caplog):
    """Settings.batch_size sets the enrichment batch (it was a hard-coded 32)."""
    settings = load_settings(archive_dir=tmp_path / "archive", embed=False, batch_size=2)
    doc = tmp_path / "mote.txt"
    doc.write_text(SECOND, encoding="utf-8")
    with caplog.at_level(logging.DEBUG, logger="ingest.pipeline"):
        report = ingest_paths([str(doc)], settings)
    assert not report.notes
    batches = [r.getMessage() for r in caplog.records if r.getMessage().startswith("enriched a batch")]
    assert batches == ["enriched a batch of 2 items", "enriched a batch of 1 items"]
    with Archive(settings.db_path) as arc:
        assert all(i.topics or i.title == "Övrigt" for i in arc.items())
