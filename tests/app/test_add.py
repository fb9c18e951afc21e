"""Adding minutes from the browser: checked uploads, only into the inbox, the CLI's report, fresh pickers."""

from __future__ import annotations

import zipfile
from pathlib import Path

import gradio as gr

from app import archive_stamp, refresh_pickers
from app.tabs.add import accept_uploads, add_files, inbox_dir

MINUTES = """Protokoll Trygghetsrådet i Ljusdal 2024-03-12

1. Klotter vid stationen
Klotter vid stationen har ökat. Kommunen sanerar inom ett dygn.

2. Trygghetsvandring
En trygghetsvandring hålls i april.
"""


def _file(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / "uploads" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def test_uploads_are_checked_and_land_only_in_the_inbox(tmp_settings, tmp_path):
    good = _file(tmp_path, "protokoll.txt", MINUTES)
    exe = _file(tmp_path, "program.exe", b"MZ\x90\x00")
    big = _file(tmp_path, "stor.pdf", b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024))
    archive = _file(tmp_path, "paket.zip", b"")
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../../utanfor.txt", MINUTES)  # a name that climbs out of any folder
        zf.writestr("mapp/inne.md", MINUTES)
        zf.writestr("bild.png", b"\x89PNG")
    broken = _file(tmp_path, "trasig.zip", b"PK\x03\x04 not really a zip")
    settings = tmp_settings.with_(upload_max_mb=1)
    accepted, refused = accept_uploads(settings, [str(p) for p in (good, exe, big, archive, broken)],
                                       ["protokoll.txt", "program.exe", "stor.pdf", "paket.zip", "trasig.zip"])
    inbox = inbox_dir(settings)
    assert sorted(p.name for p in accepted) == ["inne.md", "protokoll.txt", "utanfor.txt"]
    assert all(p.resolve().is_relative_to(inbox) for p in accepted)
    assert not (tmp_path / "utanfor.txt").exists() and not (settings.archive_dir / "utanfor.txt").exists()
    text = "\n".join(refused)
    assert "program.exe: filtypen kan inte läsas in" in text
    assert "stor.pdf: för stor (högst 1 MB)." in text
    assert "paket.zip: bild.png: filtypen" in text
    assert "trasig.zip: zip-filen är trasig" in text
    assert len(refused) == 4


def test_zip_contents_limited_before_inflating(tmp_settings, tmp_path):
    archive = _file(tmp_path, "bomb.zip", b"")
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("noll.txt", b"0" * (3 * 1024 * 1024))  # 3 MB of zeros, a few kB packed
    assert archive.stat().st_size < 100_000
    accepted, refused = accept_uploads(tmp_settings.with_(upload_max_mb=1), [str(archive)], ["bomb.zip"])
    assert accepted == [] and refused == ["bomb.zip: innehållet är för stort (högst 1 MB uppackat)."]


def test_added_files_are_reported_and_appear_in_the_pickers(tmp_settings, tmp_path):
    keys = ["councils", "bodies", "municipalities"]
    stamp = archive_stamp(tmp_settings)
    unchanged = refresh_pickers(tmp_settings, keys, stamp)
    assert unchanged[0] == stamp and all(u == gr.update() for u in unchanged[1:])
    first = _file(tmp_path, "ljusdal-2024-03-12.txt", MINUTES)
    second = _file(tmp_path, "ljusdal-2024-05-14.txt", MINUTES.replace("2024-03-12", "2024-05-14"))
    report = add_files(tmp_settings, [str(first), str(second)])
    assert report.count('<li class="info">') == 3  # two files and the closing line, as the CLI prints them
    assert "ljusdal-2024-03-12.txt" in report and "Klart: 2 inlästa" in report and "inbox" not in report
    new_stamp, councils, bodies, municipalities = refresh_pickers(tmp_settings, keys, stamp)
    assert new_stamp != stamp
    assert "ljusdal/trygghetsråd" in [key for _, key in councils["choices"]]
    assert ("Ljusdal", "Ljusdal") in municipalities["choices"]
    # the same files again: unchanged, nothing new
    again = add_files(tmp_settings, [str(first)])
    assert "Klart: 0 inlästa, 1 oförändrad" in again
    assert add_files(tmp_settings, []).count("Välj minst en fil först.") == 1
