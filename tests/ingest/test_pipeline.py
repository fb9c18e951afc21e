"""The ingest pipeline with real models: vectors follow documents, enrichment lands."""

from __future__ import annotations

import json
import logging

import pytest

from index.embeddings import load_embedder
from index.store import Archive
from index.vectors import VectorIndex
from ingest.pipeline import ingest_paths
from radslag.config import load_settings
from radslag.types import Filters


FIRST = "Trygghetsråd\n\n1. Klotter\n\nKlotter vid stationen ska saneras inom ett dygn.\n\n2. Övrigt\n\nInget.\n"
SECOND = ("Trygghetsråd\n\n1. Belysning\n\nFler lampor i parken efter trygghetsvandringen.\n\n"
          "2. Motorburen ungdom\n\nEPA-traktorer och hög musik på torget.\n\n3. Övrigt\n\nInget.\n")


def _state(settings):
    with Archive(settings.db_path) as arc:
        passage_ids = {p.id for p in arc.passages()}
        items = arc.items()
    index = VectorIndex.open(settings, load_embedder(settings))
    return passage_ids, index.ids(), items


@pytest.mark.slow
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


@pytest.mark.slow
def test_entity_filter_finds_items_naming_a_person(corpus_settings):
    from index.search import search

    with Archive(corpus_settings.db_path) as arc:
        hits = search(arc, "lägesbild", settings=corpus_settings, k=10, filters=Filters(entity="Joar Larsson")).hits
    assert hits and all(any((e.get("canonical") or e["text"]) == "Joar Larsson" for e in h.entities) for h in hits)


@pytest.mark.slow
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


# -- stages: every ingest completes what an earlier run left open (no models: embed and enrich off) --------

THIRD = ("Trygghetsråd\n\n1. Klotter\n\nSaneringen av klotter vid stationen är klar. Tekniska förvaltningen "
         "återkommer med en plan för tunneln till nästa möte.\n\n2. Övrigt\n\nInget.\n")


def _corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in (("a.txt", FIRST), ("b.txt", SECOND), ("c.txt", THIRD)):
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_stages_are_recorded_with_each_document(tmp_settings, tmp_path):
    folder = _corpus(tmp_path)
    report = ingest_paths([str(folder)], tmp_settings)
    assert report.counts()["ingested"] == 3
    with Archive(tmp_settings.db_path) as arc:
        docs = arc.document_stages()
        assert len(docs) == 3
        for d in docs:
            # embedding and enrichment are off here: their stages stay open, and say so
            assert d.stages == {"read": "done", "store": "done", "passages": "pending", "vectors": "pending",
                                "enrichment": "pending", "links": "done"}
        assert arc.stage_counts()["links"] == {"pending": 0, "done": 3, "failed": 0}
        assert arc.count("followups") > 0  # detected in the document's own transaction


def test_rerun_completes_stages_of_unchanged_documents(tmp_settings, tmp_path):
    """The bug of issue 15: a rerun said "3 unchanged" and never relinked documents stored before a kill."""
    folder = _corpus(tmp_path)
    ingest_paths([str(folder)], tmp_settings)
    with Archive(tmp_settings.db_path) as arc:
        statuses = sorted((f.item_id, f.status, f.answered_by_item_id) for f in arc.followups())
        links = sorted((link.src_item_id, link.dst_item_id) for link in arc.thread_links())
        assert statuses and arc.followups_assessed()
        # what a kill after the documents' commit and before the links' leaves behind
        first = arc.document_stages()[0].document_id
        arc.reset_stages(["links"], [first])
        arc.delete_setting("followups_assessed")
        arc.replace_threads([], [], "tfidf")
        arc.thread_meetings_forget([m.id for m in arc.meetings()])
    report = ingest_paths([str(folder)], tmp_settings)
    assert report.counts()["unchanged"] == 3
    with Archive(tmp_settings.db_path) as arc:
        assert arc.unfinished("links") == []
        assert arc.followups_assessed()  # the links stage ran although no file changed
        assert sorted((f.item_id, f.status, f.answered_by_item_id) for f in arc.followups()) == statuses
        assert sorted((link.src_item_id, link.dst_item_id) for link in arc.thread_links()) == links
    again = ingest_paths([str(folder)], tmp_settings)  # nothing open: nothing relinked
    assert again.counts()["unchanged"] == 3


def test_the_links_stage_plans_its_scopes_once(tmp_settings, tmp_path, monkeypatch):
    """Canonical names, threads and follow-up statuses of one ingest share one plan of the scopes:
    the meetings' councils and the stored thread scopes are read once (they were read 5 and 2 times)."""
    folder = _corpus(tmp_path)
    ingest_paths([str(folder / "a.txt"), str(folder / "b.txt")], tmp_settings)
    calls = {"meeting_councils": 0, "thread_scopes_seen": 0}
    for name in calls:
        real = getattr(Archive, name)

        def counted(self, *args, _real=real, _name=name, **kwargs):
            calls[_name] += 1
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(Archive, name, counted)
    report = ingest_paths([str(folder)], tmp_settings)  # one new file: its scope is relinked
    assert report.counts()["ingested"] == 1 and report.counts()["unchanged"] == 2
    assert calls == {"meeting_councils": 1, "thread_scopes_seen": 1}
    with Archive(tmp_settings.db_path) as arc:
        assert arc.unfinished("links") == [] and arc.followups_assessed()


def test_a_relink_names_organisation_texts_not_mentions(tmp_path, monkeypatch):
    """canonicalize(scopes=) names every organisation text again (its name depends on the text and the set
    of texts), read grouped by text instead of every ORG mention with its item and meeting; a new bare form
    in one scope renames the genitive in another, as a run over the whole archive does."""
    import datetime as dt
    import shutil

    from ingest.pipeline import canonicalize
    from radslag.types import AgendaItem, Document, Entity, MeetingMeta

    def meeting(arc, source, municipality, ents):
        text = "Punkt om klubben."
        mid, _, _ = arc.write_document(Document(source, text, "txt", source), MeetingMeta(
            kind="minutes", body="Trygghetsråd", municipality=municipality, date=dt.date(2024, 3, 1)),
            [AgendaItem(number="1", title="Klubben", text=text, start=0, end=len(text))])
        arc.write_enrichment(arc.item_ids(mid)[0], ents, [])

    db = tmp_path / "a.sqlite"
    with Archive(db) as arc:
        meeting(arc, "a.txt", "Köping", [Entity("Zorbaklubbens", "ORG", 0, 13), Entity("Eva Ek", "PER", 14, 20)])
        canonicalize(arc)
        assert {m.text: m.canonical for m in arc.entity_mentions()} == {"Zorbaklubbens": "Zorbaklubbens",
                                                                       "Eva Ek": "Eva Ek"}
        meeting(arc, "b.txt", "Arboga", [Entity("Zorbaklubben", "ORG", 0, 12), Entity("Zorbaklubbens", "ORG", 13, 26)])
    shutil.copy(db, tmp_path / "whole.sqlite")
    asked = []
    real = Archive.entity_mentions
    monkeypatch.setattr(Archive, "entity_mentions", lambda self, labels=None, *a, **kw: asked.append(labels)
                        or real(self, labels, *a, **kw))
    names = []
    for path, scopes in ((db, {"arboga"}), (tmp_path / "whole.sqlite", None)):
        with Archive(path) as arc:
            canonicalize(arc, scopes)
            names.append(sorted((m.id, m.canonical) for m in arc.entity_mentions()))
    assert names[0] == names[1]
    assert sorted({name for _, name in names[0]}) == ["Eva Ek", "Zorbaklubben"]  # Köping's genitive renamed too
    assert asked[0] is None and ["ORG"] not in asked  # the scope's mentions, then no read of every ORG mention


def test_status_lists_documents_with_unfinished_stages(tmp_settings, tmp_path):
    from click.testing import CliRunner

    from radslag.cli import cli

    folder = _corpus(tmp_path)
    ingest_paths([str(folder)], tmp_settings)
    with Archive(tmp_settings.db_path) as arc:
        arc.mark_stage([d.document_id for d in arc.document_stages()], "passages")
        arc.mark_stage([d.document_id for d in arc.document_stages()], "vectors")
        arc.mark_stage([d.document_id for d in arc.document_stages()], "enrichment")
        arc.mark_stage([d.document_id for d in arc.document_stages()], "links")
        b = next(d.document_id for d in arc.document_stages() if d.source.endswith("b.txt"))
        arc.reset_stages(["vectors"], [b])
    runner = CliRunner()
    out = runner.invoke(cli, ["status", "--archive", str(tmp_settings.archive_dir)])
    assert out.exit_code == 0, out.output
    assert "3 dokument, 1 med ofärdiga steg" in out.output
    lines = [ln for ln in out.output.splitlines() if "b.txt" in ln]
    assert len(lines) == 1 and "vektorer" in lines[0] and "berikning" not in lines[0]
    assert "a.txt" not in out.output
    en = runner.invoke(cli, ["status", "--archive", str(tmp_settings.archive_dir), "--lang", "en"])
    assert "3 documents, 1 with unfinished stages" in en.output and "vectors" in en.output
    data = json.loads(runner.invoke(cli, ["status", "--archive", str(tmp_settings.archive_dir), "--json"]).output)
    assert data["unfinished"] == 1 and data["documents_unfinished"][0]["stages"]["vectors"] == "pending"
    assert data["stages"]["vectors"] == {"pending": 1, "done": 2, "failed": 0}
    arc_done = runner.invoke(cli, ["status", "--archive", str(tmp_path / "none")])
    assert "Inget arkiv" in arc_done.output


# -- OCR: a document stored while OCR was unavailable is read again once it is there -------------------


def _tesseract_ready() -> bool:
    from ingest.ocr import OcrOptions, tesseract_status

    return tesseract_status(OcrOptions()).available


@pytest.mark.skipif(not _tesseract_ready(), reason="Tesseract with the Swedish model is not installed here "
                    "(./run.sh test installs it)")
def test_document_read_without_ocr_is_read_again_once_ocr_is_available(tmp_settings, tmp_path):
    from pathlib import Path

    from click.testing import CliRunner

    from radslag.cli import cli

    mixed = Path(__file__).resolve().parents[1] / "fixtures" / "scanned" / "mixed_minutes.pdf"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "blandad.pdf").write_bytes(mixed.read_bytes())
    no_ocr = tmp_settings.with_(ocr_command=str(tmp_path / "saknas" / "tesseract"))
    first = ingest_paths([str(folder)], no_ocr)
    assert first.counts()["ingested"] == 1
    with Archive(tmp_settings.db_path) as arc:
        (doc,) = arc.document_stages()
        assert doc.stages["read"] == "failed" and doc.details["read"] == "ocr-unavailable: 2"
        text_before = arc.document_text(doc.document_id)
    status = CliRunner().invoke(cli, ["status", "--archive", str(tmp_settings.archive_dir)])
    assert "väntar på OCR: sidor 2" in status.output
    # still no OCR: the document is not read again (nothing would change)
    assert ingest_paths([str(folder)], no_ocr).counts()["unchanged"] == 1

    second = ingest_paths([str(folder)], tmp_settings)  # Tesseract found now
    assert second.counts()["replaced"] == 1
    assert any("Lästes om med OCR" in n for n in second.notes)
    with Archive(tmp_settings.db_path) as arc:
        (doc,) = arc.document_stages()
        assert doc.stages["read"] == "done" and "read" not in doc.details
        assert len(arc.document_text(doc.document_id)) > len(text_before) + 100  # page 2's text is in
    assert ingest_paths([str(folder)], tmp_settings).counts()["unchanged"] == 1  # read once, not every time


def test_archive_from_before_stages_gets_its_stages_judged_from_what_is_there(tmp_settings, tmp_path):
    from radslag.types import AgendaItem, Document, MeetingMeta

    with Archive(tmp_settings.db_path) as arc:
        text = "Klotter\nKlotter vid stationen.\n\nBelysning\nFler lampor.\n"
        items = [AgendaItem(number=None, title="Klotter", text="Klotter vid stationen.", start=0, end=30,
                            heading_source="numbered"),
                 AgendaItem(number=None, title="Belysning", text="Fler lampor.", start=31, end=53,
                            heading_source="numbered")]
        arc.write_document(Document(source="gammal.txt", text=text, reader="txt", content_hash="x", size=len(text)),
                           MeetingMeta(kind="minutes", body="Trygghetsrådet"), items)
        with arc.transaction():  # an archive written before stages were recorded
            arc._conn.execute("DELETE FROM document_stages")
    with Archive(tmp_settings.db_path) as arc:
        assert arc.document_stages() == []
        assert arc.record_missing_stages() == 1  # what the pipeline does first
        (doc,) = arc.document_stages()
        assert doc.stages == {"read": "done", "store": "done", "passages": "pending", "vectors": "pending",
                              "enrichment": "pending", "links": "pending"}
    ingest_paths([str(_corpus(tmp_path))], tmp_settings)  # any ingest relinks the old document too
    with Archive(tmp_settings.db_path) as arc:
        assert arc.unfinished("links") == []
