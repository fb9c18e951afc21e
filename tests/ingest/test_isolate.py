"""Files parsed in worker processes under a time and a memory limit (ingest.isolate).

The jobs below that hang, hog memory or crash stand in for a reader bug; they
run in real worker processes exactly as the default job does.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import time
from pathlib import Path

from ingest.isolate import IsolationLimits, ParseOutcome, parse_document, parse_files
from ingest.readers import walk_files
from radslag.config import CORPUS_DIR, load_settings
from radslag.types import Document, MeetingMeta

GOOD = CORPUS_DIR / "hallstahammar-trygghetsrad-2021-09-15.txt"


def _settings(tmp_path: Path, **limits):
    return load_settings(archive_dir=tmp_path / "archive", embed=False, enrich=False, **limits)


def _files(tmp_path: Path, names: list[str]) -> list[tuple[Path, str]]:
    out = []
    for name in names:
        path = tmp_path / name
        path.write_bytes(GOOD.read_bytes())
        out.append((path, name))
    return out


def _by_source(outcomes: list[ParseOutcome]) -> dict[str, ParseOutcome]:
    result = {o.source: o for o in outcomes}
    assert len(result) == len(outcomes), "one outcome per file"
    return result


# Worker jobs: module-level so the worker can import them. The file name says what to do.


def misbehaving(path: Path, source: str, data, limits, on_pages):
    name = path.name
    if name.startswith("hang"):
        while True:
            time.sleep(1)
    if name.startswith("hog"):
        blocks = []
        while True:
            blocks.append(bytearray(64 << 20))
    if name.startswith("segv"):
        os.kill(os.getpid(), signal.SIGSEGV)
    if name.startswith("kill"):
        os.kill(os.getpid(), signal.SIGKILL)
    if name.startswith("bug"):
        raise KeyError("a reader bug")
    if name.startswith("pages"):
        on_pages(10)  # 10 pages buy 10 × page_timeout_s more
        time.sleep(3)
    if name.startswith("slow"):
        time.sleep(3)
    result = parse_document(path, source, data, limits, on_pages)
    if name.startswith("textpages"):
        time.sleep(3)  # after the text's length in pages was reported
    return result


def test_parses_real_files_with_digest(tmp_path):
    files = _files(tmp_path, ["a.txt", "b.txt"])
    out = _by_source(list(parse_files(files, _settings(tmp_path), workers=2)))
    digest = hashlib.sha256(GOOD.read_bytes()).hexdigest()
    for name in ("a.txt", "b.txt"):
        o = out[name]
        assert o.status == "parsed" and o.error is None
        assert isinstance(o.document, Document) and isinstance(o.meta, MeetingMeta) and o.items
        assert o.digest == o.document.content_hash == digest
        assert o.meta.municipality == "Hallstahammar"
        assert o.worker_peak_rss and o.worker_peak_rss > 1 << 20


def test_hanging_reader_times_out_and_the_next_file_is_parsed(tmp_path):
    files = _files(tmp_path, ["hang.txt", "after.txt"])
    settings = _settings(tmp_path, file_timeout_s=2.0)
    out = _by_source(list(parse_files(files, settings, workers=1, parse=misbehaving)))
    assert out["hang.txt"].status == "failed"
    assert out["hang.txt"].reason == "too_slow"
    assert "För långsam att läsa" in out["hang.txt"].error.message
    assert "RADSLAG_FILE_TIMEOUT" in out["hang.txt"].error.message
    assert out["after.txt"].status == "parsed"


def test_page_count_extends_the_time_limit(tmp_path):
    files = _files(tmp_path, ["pages.txt", "slow.txt"])
    settings = _settings(tmp_path, file_timeout_s=1.0, page_timeout_s=1.0)
    out = _by_source(list(parse_files(files, settings, workers=2, parse=misbehaving)))
    assert out["pages.txt"].status == "parsed"  # 1 s + 10 pages × 1 s
    assert out["slow.txt"].reason == "too_slow"  # 1 s, no pages reported


def test_text_length_extends_the_time_limit(tmp_path):
    long_text = tmp_path / "textpages.txt"
    long_text.write_text(GOOD.read_text(encoding="utf-8") * 8, encoding="utf-8")  # > 10 pages of 3,000 characters
    short = tmp_path / "textpages-kort.txt"
    short.write_text("Trygghetsrådet möttes och talade om klotter.\n", encoding="utf-8")  # one page
    settings = _settings(tmp_path, file_timeout_s=1.0, page_timeout_s=1.0)
    files = [(long_text, "lång"), (short, "kort")]
    out = _by_source(list(parse_files(files, settings, workers=2, parse=misbehaving)))
    assert out["lång"].status == "parsed"
    assert out["kort"].reason == "too_slow" and "1 sidor" in out["kort"].error.message


def test_memory_hog_is_stopped_at_the_memory_limit(tmp_path):
    files = _files(tmp_path, ["hog.txt", "after.txt"])
    settings = _settings(tmp_path, file_memory_mb=400, file_timeout_s=60.0)
    out = _by_source(list(parse_files(files, settings, workers=1, parse=misbehaving)))
    assert out["hog.txt"].reason == "too_large"
    assert "400 MB" in out["hog.txt"].error.message and "RADSLAG_FILE_MEMORY_MB" in out["hog.txt"].error.message
    assert out["after.txt"].status == "parsed"
    assert out["after.txt"].worker_peak_rss < 400 << 20  # a fresh worker, not the one that hit the limit


def test_memory_limit_applies_to_the_real_readers(tmp_path):
    # A worker starts at about 60 MB of address space; 120 MB leaves room for a
    # small file but not for decoding and normalising ~10 MB of text.
    small, big = tmp_path / "liten.txt", tmp_path / "stor.txt"
    small.write_bytes(GOOD.read_bytes())
    line = "Trygghetsrådet i Hallstahammar diskuterade klotter och belysning vid torget. " * 40 + "\n"
    big.write_text(line * 3000, encoding="utf-8")
    settings = _settings(tmp_path, file_memory_mb=120, file_timeout_s=120.0)
    out = _by_source(list(parse_files([(small, "liten.txt"), (big, "stor.txt")], settings, workers=1)))
    assert out["liten.txt"].status == "parsed"
    assert out["stor.txt"].reason == "too_large" and "minne" in out["stor.txt"].error.message


def test_crashing_and_killed_workers_become_errors(tmp_path):
    files = _files(tmp_path, ["segv.txt", "kill.txt", "bug.txt", "ok.txt"])
    out = _by_source(list(parse_files(files, _settings(tmp_path), workers=2, parse=misbehaving)))
    assert out["segv.txt"].reason == "crashed" and "SIGSEGV" in out["segv.txt"].error.message
    assert out["kill.txt"].reason == "crashed" and "SIGKILL" in out["kill.txt"].error.message
    assert out["bug.txt"].reason == "internal" and "KeyError" in out["bug.txt"].error.message
    assert "a reader bug" in out["bug.txt"].detail  # the traceback, for logs
    assert out["ok.txt"].status == "parsed"


def test_results_stream_as_files_finish(tmp_path):
    files = _files(tmp_path, ["slow.txt", "fast.txt"])
    settings = _settings(tmp_path, file_timeout_s=30.0)
    order = [o.source for o in parse_files(files, settings, workers=2, parse=misbehaving)]
    assert order == ["fast.txt", "slow.txt"]


def test_skip_sees_the_digest_with_the_sidecar_and_prevents_parsing(tmp_path):
    files = _files(tmp_path, ["hang.txt"])
    (tmp_path / "hang.txt.meta.json").write_text(json.dumps({"body": "EST"}), encoding="utf-8")
    seen = []

    def skip(source, digest):
        seen.append((source, digest))
        return True

    settings = _settings(tmp_path, file_timeout_s=1.0)
    [outcome] = list(parse_files(files, settings, skip=skip, parse=misbehaving))
    assert outcome.status == "unchanged"  # the hanging job never ran
    assert seen == [("hang.txt", outcome.digest)]
    assert outcome.digest != hashlib.sha256(GOOD.read_bytes()).hexdigest()


def test_changed_sidecar_changes_the_stored_hash(tmp_path):
    path = tmp_path / "p.txt"
    path.write_text("Anteckningar\n\nVi pratade om klotter och belysning vid torget.\n", encoding="utf-8")
    sidecar = tmp_path / "p.txt.meta.json"
    sidecar.write_text(json.dumps({"date": "2023-01-31"}), encoding="utf-8")
    settings = _settings(tmp_path)
    [first] = list(parse_files([(path, str(path))], settings, workers=1))
    sidecar.write_text(json.dumps({"date": "2024-02-29"}), encoding="utf-8")
    [second] = list(parse_files([(path, str(path))], settings, workers=1))
    assert first.document.content_hash != second.document.content_hash
    assert str(first.meta.date) == "2023-01-31" and str(second.meta.date) == "2024-02-29"


def test_walk_problems_and_unreadable_paths_are_outcomes(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    (root / "ok.txt").write_bytes(GOOD.read_bytes())
    os.symlink("/etc/passwd", root / "lösen.txt")
    os.mkfifo(root / "rör.md")
    named = [root, tmp_path / "saknas.docx", Path("/dev/null")]
    out = _by_source(list(parse_files(walk_files(named), _settings(tmp_path), workers=1)))
    reasons = {Path(s).name: (o.reason or o.status) for s, o in out.items()}
    assert reasons == {"ok.txt": "parsed", "lösen.txt": "outside", "rör.md": "not_regular",
                       "saknas.docx": "io", "null": "not_regular"}


def test_early_close_stops_the_workers(tmp_path):
    import multiprocessing

    files = _files(tmp_path, ["fast.txt", "hang.txt", "hang2.txt"])
    outcomes = parse_files(files, _settings(tmp_path, file_timeout_s=60.0), workers=3, parse=misbehaving)
    first = next(outcomes)
    assert first.source == "fast.txt"
    outcomes.close()
    assert not [p for p in multiprocessing.active_children() if p.name == "radslag-parse"]


def test_limits_from_settings_and_environment(monkeypatch):
    monkeypatch.setenv("RADSLAG_FILE_TIMEOUT", "7.5")
    monkeypatch.setenv("RADSLAG_FILE_MEMORY_MB", "300")
    monkeypatch.setenv("RADSLAG_WORKERS", "3")
    monkeypatch.setenv("RADSLAG_MAX_PAGES", "12")
    limits = IsolationLimits.from_settings(load_settings())
    assert limits.timeout_s == 7.5 and limits.memory_bytes == 300 << 20 and limits.workers == 3
    assert limits.read.max_pages == 12
    monkeypatch.setenv("RADSLAG_WORKERS", "0")
    assert IsolationLimits.from_settings(load_settings()).workers >= 1


def test_pdf_page_limit(tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
    import fuzz

    path = tmp_path / "sidor.pdf"
    path.write_bytes(fuzz.page_bomb_pdf(30))
    [refused] = list(parse_files([(path, "sidor.pdf")], _settings(tmp_path, max_pages=20), workers=1))
    assert refused.reason == "too_large" and "RADSLAG_MAX_PAGES" in refused.error.message
    [parsed] = list(parse_files([(path, "sidor.pdf")], _settings(tmp_path, max_pages=30), workers=1))
    assert parsed.status == "parsed" and len(parsed.document.pages) == 30
