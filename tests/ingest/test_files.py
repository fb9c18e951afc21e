"""Only files, only inside what was given: reading, hashing and walking (ingest.readers)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
from pathlib import Path

import pytest

from ingest.readers import FileEntry, ReadLimits, iter_files, load_file, read_document, walk_files
from radslag.config import CORPUS_DIR
from radslag.errors import IngestError
from tests.conftest import unprivileged

GOOD = (CORPUS_DIR / "hallstahammar-trygghetsrad-2021-09-15.txt").read_bytes()


def _reason(call, *args, **kwargs) -> str:
    with pytest.raises(IngestError) as info:
        call(*args, **kwargs)
    assert info.value.message
    return info.value.reason


def _finishes(call, seconds: float = 20.0):
    """Run ``call`` in a thread; fail (instead of hanging the suite) if it blocks."""
    box: dict = {}

    def run():
        try:
            box["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"{call} blocked"
    if "error" in box:
        raise box["error"]
    return box.get("value")


# -- load_file: one read, one hash ----------------------------------------------


def test_load_file_hashes_file_and_sidecar(tmp_path):
    path = tmp_path / "protokoll.txt"
    path.write_bytes(GOOD)
    plain = load_file(path)
    assert plain.data == GOOD and plain.size == len(GOOD)
    assert plain.raw_hash == plain.digest == hashlib.sha256(GOOD).hexdigest()
    assert plain.sidecar is None

    sidecar = tmp_path / "protokoll.txt.meta.json"
    sidecar.write_text(json.dumps({"body": "EST-gruppen"}), encoding="utf-8")
    first = load_file(path)
    assert first.sidecar == sidecar
    assert first.raw_hash == plain.raw_hash and first.digest != plain.digest
    sidecar.write_text(json.dumps({"body": "Trygghetsrådet"}), encoding="utf-8")
    second = load_file(path)
    assert second.digest not in (first.digest, plain.digest)  # a changed sidecar is a changed document
    assert second.raw_hash == plain.raw_hash


def test_load_file_refuses_what_is_not_a_regular_file(tmp_path):
    fifo = tmp_path / "rör.txt"
    os.mkfifo(fifo)
    assert _finishes(lambda: _reason(load_file, fifo)) == "not_regular"  # must not wait for a writer
    if os.path.exists("/dev/zero"):
        assert _finishes(lambda: _reason(load_file, Path("/dev/zero"))) == "not_regular"
    assert _reason(load_file, tmp_path) == "io"
    assert _reason(load_file, tmp_path / "saknas.pdf") == "io"
    loop = tmp_path / "slinga.pdf"
    os.symlink(loop.name, loop)
    assert _reason(load_file, loop) == "symlink_loop"


def test_load_file_size_limit_and_empty(tmp_path):
    path = tmp_path / "stor.txt"
    path.write_bytes(GOOD)
    limits = ReadLimits(max_file_bytes=len(GOOD) - 1)
    with pytest.raises(IngestError) as info:
        load_file(path, limits)
    assert info.value.reason == "too_large" and "RADSLAG_MAX_FILE_MB" in info.value.message
    assert load_file(path, ReadLimits(max_file_bytes=len(GOOD))).size == len(GOOD)
    for content in (b"", b" \n\t ", b"\xef\xbb\xbf"):
        path.write_bytes(content)
        assert _reason(load_file, path) == "empty"


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions needed")
def test_unreadable_file_is_an_error_for_that_file(tmp_path):
    path = tmp_path / "hemlig.txt"
    path.write_bytes(GOOD)
    path.chmod(0o000)
    tmp_path.chmod(0o755)
    try:
        with unprivileged():
            assert _reason(load_file, path) == "permission"
    finally:
        path.chmod(0o644)


# -- read_document: text that is Swedish ------------------------------------------


@pytest.mark.parametrize(
    "content,reason",
    [
        (b"\x93\xa7q", "no_text"),
        (b"x", "no_text"),
        (b"ab\xe5", "no_text"),
        (b"12 345 678 -- 90 %% !!", "no_text"),
        (b"#### ---- ==== 1234 5678 #### ---- ==== ab", "no_text"),
        (b")\r\x90NlR\x16\xa4\xa0\x04\x89-\xcd\x94mI\x0c", "no_text"),  # cp850: "ÉNlRñáë-═ömI"
        (b"The committee met on Tuesday and discussed the budget.", "not_swedish"),
    ],
)
def test_files_without_swedish_text_are_refused(tmp_path, content, reason):
    path = tmp_path / "liten.txt"
    path.write_bytes(content)
    assert _reason(read_document, path, "liten.txt") == reason


@pytest.mark.parametrize("content", ["Trygghetsrådet möttes.", "Mötet i Arboga", "Vi talade om det och mer."])
def test_short_swedish_text_is_read(tmp_path, content):
    path = tmp_path / "kort.md"
    path.write_text(content, encoding="utf-8")
    doc = read_document(path, "kort.md")
    assert doc.text.strip() == content


def test_read_document_uses_the_bytes_it_is_given(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(GOOD)
    data = load_file(path)
    path.write_bytes(GOOD.replace(b"Hallstahammar", b"Hallstahamnar"))  # changed after the hash
    with pytest.raises(IngestError) as info:
        read_document(path, "a.txt", data=data)
    assert info.value.reason == "changed"


# -- walk_files: only inside what was given ---------------------------------------


def _tree(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    (root / "a").mkdir(parents=True)
    (root / "a" / "ok.txt").write_bytes(GOOD)
    (root / "b.md").write_bytes(GOOD)
    return root


def test_walk_reports_links_out_loops_and_fifos(tmp_path):
    root = _tree(tmp_path)
    outside = tmp_path / "hemligt.txt"
    outside.write_bytes(GOOD)
    os.symlink(outside, root / "ut.txt")
    os.symlink("/etc", root / "etc")
    os.symlink("a/ok.txt", root / "inne.txt")
    os.symlink("x.pdf", root / "y.pdf")
    os.symlink("y.pdf", root / "x.pdf")
    os.symlink("..", root / "a" / "upp")
    os.symlink("borta.md", root / "trasig.md")
    os.symlink("a", root / "a-igen")
    os.mkfifo(root / "rör.txt")
    (root / "mapp.pdf").mkdir()
    (root / "mapp.pdf" / "inuti.txt").write_bytes(GOOD)
    (root / "anteckning.csv").write_bytes(GOOD)

    entries = _finishes(lambda: list(walk_files([str(root)])))
    got = {Path(e.source).relative_to(root).as_posix(): (e.error.reason if e.error else None) for e in entries}
    assert got == {
        "a/ok.txt": None,
        "a/upp": "symlink_loop",
        "b.md": None,
        "etc": "outside",
        "inne.txt": None,
        "mapp.pdf/inuti.txt": None,
        "rör.txt": "not_regular",
        "trasig.md": "io",
        "ut.txt": "outside",
        "x.pdf": "symlink_loop",
        "y.pdf": "symlink_loop",
    }
    messages = [e.error.message for e in entries if e.error]
    assert all(str(root) in m for m in messages)  # every problem is named by its path
    # iter_files keeps its old shape and leaves the problems out
    assert [s for _, s in iter_files([str(root)])] == [
        os.path.join(str(root), p) for p in ("a/ok.txt", "b.md", "inne.txt", "mapp.pdf/inuti.txt")
    ]


def test_walk_reads_nothing_outside_even_through_a_linked_folder(tmp_path):
    root = _tree(tmp_path)
    secret = tmp_path / "privat"
    secret.mkdir()
    (secret / "lösen.txt").write_bytes(GOOD)
    os.symlink(secret, root / "länk")
    sources = [e.source for e in walk_files([root]) if e.error is None]
    assert not any("lösen" in s for s in sources)


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions needed")
def test_unreadable_folder_is_reported_by_name_and_the_rest_walked():
    work = Path(tempfile.mkdtemp(prefix="radslag-walk-"))
    try:
        work.chmod(0o755)
        root = work / "in"
        (root / "stängd").mkdir(parents=True)
        (root / "stängd" / "x.txt").write_bytes(GOOD)
        (root / "öppen.txt").write_bytes(GOOD)
        for d in (root,):
            d.chmod(0o755)
        (root / "stängd").chmod(0o000)
        with unprivileged():
            entries = list(walk_files([root]))
        got = {Path(e.source).name: (e.error.reason if e.error else None) for e in entries}
        assert got == {"stängd": "permission", "öppen.txt": None}
        assert "stängd" in next(e.error.message for e in entries if e.error)
    finally:
        (work / "in" / "stängd").chmod(0o755)
        shutil.rmtree(work, ignore_errors=True)


def test_non_utf8_file_name_gets_a_printable_source(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    raw = os.path.join(os.fsencode(root), b"m\xf6te.txt")
    with open(raw, "wb") as fh:
        fh.write(GOOD)
    entries = list(walk_files([root]))
    assert len(entries) == 1 and entries[0].error is None
    source = entries[0].source
    assert source.endswith("m\\xf6te.txt")
    source.encode("utf-8")  # storable and printable
    doc = read_document(entries[0].path, source)
    assert doc.source == source and "Hallstahammar" in doc.text


def test_named_paths_are_yielded_as_given(tmp_path):
    missing = tmp_path / "saknas.pdf"
    assert list(walk_files([missing])) == [FileEntry(missing, str(missing))]
