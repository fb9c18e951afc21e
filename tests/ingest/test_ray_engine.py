"""``--engine ray`` writes the archive the single-process path writes (real models, real Ray).

Both engines ingest the same corpus files (plain text, two meetings of one council, and a real
PDF) into two archives; every document, meeting, item, passage, entity,
topic, follow-up, thread link, stage record and the FAISS vector of every
passage must agree, matched by source file and position, not by row id.
"""

from __future__ import annotations

import shutil
import sqlite3

import numpy as np
import pytest

from index.embeddings import load_embedder
from index.vectors import VectorIndex
from ingest.pipeline import ingest_paths
from radslag.config import CORPUS_DIR, load_settings


@pytest.fixture
def ray():
    """Ray itself, or a skip saying how to install it."""
    return pytest.importorskip("ray", reason="Ray is the optional extra: pip install 'radslag[ray]'")


FILES = [
    "arboga-forebyggande-radet-2021.txt",
    "hallstahammar-trygghetsrad-2019.txt",
    "hallstahammar-trygghetsrad-2021-09-15.txt",
    "vasteras-trygghetsrad-2021.txt",
    "real/alingsas_bygg-och-miljonamnden_2026-07-07_protokoll.pdf",
]

_ITEM = "(SELECT d.source || '#' || i.ordinal FROM items i JOIN meetings m ON m.id = i.meeting_id " \
        "JOIN documents d ON d.id = m.document_id WHERE i.id = {col})"


def snapshot(settings) -> dict:
    """Everything the archive holds, keyed by source file and ordinals instead of row ids."""
    conn = sqlite3.connect(settings.db_path)
    q = lambda sql: [tuple(r) for r in conn.execute(sql)]  # noqa: E731
    snap = {
        "documents": q("SELECT source, content_hash, size, reader, kind, encoding, text, pages, front_matter, "
                       "warnings FROM documents ORDER BY source"),
        "meetings": q("SELECT d.source, m.kind, body, municipality, date, year, month, time, place, chair, "
                      "secretary, next_meeting, title, participants, provenance FROM meetings m "
                      "JOIN documents d ON d.id = m.document_id ORDER BY d.source"),
        "items": q(f"SELECT {_ITEM.format(col='i0.id')}, number, title, text, start, end, pages, dnr, "
                   "heading_source, sections FROM items i0 ORDER BY 1"),
        "passages": q(f"SELECT {_ITEM.format(col='p.item_id')}, ordinal, text, start, end FROM passages p "
                      "ORDER BY 1, 2"),
        "entities": q(f"SELECT {_ITEM.format(col='e.item_id')}, text, label, start, end, canonical FROM entities e "
                      "ORDER BY 1, 4, 5, 3, 2"),
        "topics": q(f"SELECT {_ITEM.format(col='t.item_id')}, topic_id, label, method FROM item_topics t "
                    "ORDER BY 1, 2"),
        "followups": q(f"SELECT {_ITEM.format(col='f.item_id')}, ordinal, who, what, due, sentence, cue, context, "
                       f"status, {_ITEM.format(col='f.answered_by_item_id')}, answered_reason FROM followups f "
                       "ORDER BY 1, 2"),
        "thread_links": q(f"SELECT {_ITEM.format(col='src_item_id')}, {_ITEM.format(col='dst_item_id')}, reasons, "
                          "method FROM thread_links ORDER BY 1, 2"),
        "stages": q("SELECT d.source, stage, state, detail FROM document_stages s "
                    "JOIN documents d ON d.id = s.document_id ORDER BY 1, 2"),
        "topic_scores": dict(((k, tid), score) for k, tid, score in q(
            f"SELECT {_ITEM.format(col='item_id')}, topic_id, score FROM item_topics")),
        "link_scores": dict(((a, b), (s, sim)) for a, b, s, sim in q(
            f"SELECT {_ITEM.format(col='src_item_id')}, {_ITEM.format(col='dst_item_id')}, score, similarity "
            "FROM thread_links")),
        "passage_ids": dict(((k, o), pid) for pid, k, o in q(
            f"SELECT id, {_ITEM.format(col='item_id')}, ordinal FROM passages")),
    }
    conn.close()
    ids, vecs = VectorIndex.open(settings, load_embedder(settings)).vectors()
    row = {int(i): n for n, i in enumerate(ids)}
    snap["vectors"] = {key: vecs[row[pid]] for key, pid in snap.pop("passage_ids").items() if pid in row}
    return snap


def assert_same_archive(local: dict, other: dict) -> None:
    """Exact equality of the text-level records; float tolerance for scores and vectors."""
    for table in ("documents", "meetings", "items", "passages", "entities", "topics", "followups",
                  "thread_links", "stages"):
        assert len(other[table]) == len(local[table]), table
        for a, b in zip(local[table], other[table]):
            assert a == b, (table, a[:2], b[:2])
    assert local["topic_scores"].keys() == other["topic_scores"].keys()
    for key, score in local["topic_scores"].items():
        assert other["topic_scores"][key] == pytest.approx(score, abs=1e-4), key
    assert local["link_scores"].keys() == other["link_scores"].keys()
    for key, scores in local["link_scores"].items():
        assert other["link_scores"][key] == pytest.approx(scores, abs=1e-4), key
    assert local["vectors"].keys() == other["vectors"].keys()
    assert len(local["vectors"]) == len(local["passages"])  # every passage has its vector
    for key, vec in local["vectors"].items():
        assert np.allclose(other["vectors"][key], vec, atol=1e-5), key


@pytest.fixture
def corpus_files(tmp_path):
    """A few bundled corpus files, copied so both archives name the same sources."""
    folder = tmp_path / "in"
    for name in FILES:
        dst = folder / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS_DIR / name, dst)
    return folder


@pytest.fixture
def ray_options(ray):
    from ingest.ray_engine import RayOptions

    yield RayOptions(workers=2, num_cpus=2, object_store_mb=128)  # a short temp folder of its own, removed after
    if ray.is_initialized():  # the engine shuts down what it started; this catches a failure half-way
        ray.shutdown()


@pytest.fixture
def driver_work(monkeypatch, caplog):
    """What the driver itself still had to do after the Ray stage, and the Ray stages that ran.

    ``open``: the documents whose passages, vectors or enrichment were still
    open when :func:`complete_stages` was called (the actors did nothing for
    them); ``stages``: the engine's one log line per Ray Data stage.
    """
    import logging

    import ingest.ray_engine as engine

    seen = {"open": [], "stages": []}
    real = engine.complete_stages

    def spy(archive, *args, **kwargs):
        seen["open"].append({s: archive.unfinished(s) for s in ("passages", "vectors", "enrichment")})
        return real(archive, *args, **kwargs)

    monkeypatch.setattr(engine, "complete_stages", spy)
    caplog.set_level(logging.INFO, logger="ingest.ray_engine")
    seen["stages"] = lambda: [r.getMessage().split(":")[0] for r in caplog.records
                              if r.name == "ingest.ray_engine" and r.getMessage().startswith("ray _")]
    return seen


@pytest.mark.ray
@pytest.mark.slow
def test_ray_engine_writes_the_archive_of_the_local_engine(tmp_path, corpus_files, ray, ray_options, driver_work):
    from ingest.ray_engine import ingest_paths_ray

    local = load_settings(archive_dir=tmp_path / "local", embed=True, enrich=True)
    distributed = load_settings(archive_dir=tmp_path / "ray-archive", embed=True, enrich=True)
    local_report = ingest_paths([str(corpus_files)], local)
    ray_report = ingest_paths_ray([str(corpus_files)], distributed, options=ray_options)
    assert not ray.is_initialized()  # the local cluster it started is shut down
    # one Ray stage did everything up to the links: the driver found no passages, vectors or enrichment open
    assert driver_work["stages"]() == ["ray _DocumentWorker"]
    assert driver_work["open"] == [{"passages": [], "vectors": [], "enrichment": []}]

    assert not local_report.notes and not ray_report.notes, (local_report.notes, ray_report.notes)
    by_source = lambda r: sorted((f.source, f.status, f.items, f.kind) for f in r.files)  # noqa: E731
    assert by_source(ray_report) == by_source(local_report)
    assert len(ray_report.files) == len(FILES) and not ray_report.failed
    # documents are stored in walk order (the local path stores them as its workers finish)
    assert [f.source for f in ray_report.files] == sorted(f.source for f in ray_report.files)

    want, got = snapshot(local), snapshot(distributed)
    assert len(want["items"]) > 20 and len(want["entities"]) > 20 and want["topics"]  # a real comparison
    assert all(s[2] == "done" for s in want["stages"])
    assert_same_archive(want, got)

    # a changed file replaces its earlier version (its vectors removed, the new passages embedded)
    changed = corpus_files / FILES[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n10. Klotter vid stationen\n\nKlotter vid stationen anmäls till polisen.\n",
                       encoding="utf-8")
    ingest_paths([str(corpus_files)], local)
    again = ingest_paths_ray([str(corpus_files)], distributed, options=ray_options)
    replaced = [f for f in again.files if f.status != "unchanged"]
    assert [f.status for f in replaced] == ["replaced"] and replaced[0].source.endswith(FILES[0])
    assert driver_work["open"][-1] == {"passages": [], "vectors": [], "enrichment": []}
    assert_same_archive(snapshot(local), snapshot(distributed))


@pytest.mark.slow
def test_comparison_notices_a_moved_vector_and_a_lost_item(tmp_path, corpus_files):
    """The check above can fail: one vector given to the wrong passage, or one item dropped, is caught."""
    settings = load_settings(archive_dir=tmp_path / "a", embed=True, enrich=False)
    ingest_paths([str(corpus_files / FILES[0])], settings)
    snap = snapshot(settings)
    keys = sorted(snap["vectors"])
    moved = {**snap["vectors"], keys[0]: snap["vectors"][keys[1]]}
    with pytest.raises(AssertionError):
        assert_same_archive(snap, dict(snap, vectors=moved))
    with pytest.raises(AssertionError):
        assert_same_archive(snap, dict(snap, items=snap["items"][:-1]))
    assert_same_archive(snap, snapshot(settings))


def test_missing_ray_is_a_swedish_error_naming_the_extra(monkeypatch):
    import ingest.ray_engine as engine

    monkeypatch.setitem(__import__("sys").modules, "ray", None)  # import ray now raises ImportError
    with pytest.raises(engine.RayMissingError, match=r"pip install 'radslag\[ray\]'") as info:
        engine.require_ray()
    assert "inte installerat" in str(info.value)


def test_cli_engine_ray_without_ray_says_how_to_install_it(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from radslag.cli import cli

    monkeypatch.setitem(__import__("sys").modules, "ray", None)
    doc = tmp_path / "mote.txt"
    doc.write_text("Trygghetsråd\n\n1. Klotter\n\nKlotter vid stationen.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(doc), "--engine", "ray", "--archive", str(tmp_path / "a"),
                                      "--no-embed", "--no-enrich", "-q"])
    assert result.exit_code == 1
    assert "Ray är inte installerat" in result.output and "pip install 'radslag[ray]'" in result.output
    assert not (tmp_path / "a").exists() or not list((tmp_path / "a").glob("*.faiss"))
