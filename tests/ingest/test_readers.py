"""Tests for reader dispatch and the plain-text/Markdown readers."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import pytest

from ingest.readers import SUPPORTED_SUFFIXES, iter_files, read_document
from ingest.readers.text import decode_bytes, read_markdown, read_text
from radslag.config import CORPUS_DIR
from radslag.errors import IngestError

SWEDISH = "Trygghetsrådet träffades i Hallstahammar. Över 20 deltagare från Ängelholm, Örebro och Åre – ”bra möte”.\n"


def _reason(path: Path) -> str:
    with pytest.raises(IngestError) as info:
        read_document(path, str(path))
    assert info.value.message
    return info.value.reason


def test_corpus_txt_reads_and_hashes():
    path = CORPUS_DIR / "hallstahammar-trygghetsrad-2021-09-15.txt"
    doc = read_document(path, "corpus/x.txt")
    raw = path.read_bytes()
    assert doc.reader == "txt" and doc.encoding == "utf-8"
    assert doc.content_hash == hashlib.sha256(raw).hexdigest() and doc.size == len(raw)
    assert doc.source == "corpus/x.txt"
    assert doc.text.startswith(" Trygghetsråd") or doc.text.startswith("Trygghetsråd")
    assert "\n\n\n\n\n" not in doc.text and "\n\n\n" in doc.text  # gaps kept, bounded
    assert not any(line != line.rstrip() for line in doc.text.splitlines())


def test_arboga_running_header_kept_once_and_sentence_joined():
    doc = read_document(CORPUS_DIR / "arboga-forebyggande-radet-2021.txt", "a.txt")
    assert doc.text.startswith("Förebyggande rådet\n")
    assert doc.text.count("Förebyggande rådet\n") == 1
    assert "upp mot\nresacentrum" in doc.text
    assert doc.front_matter["running_lines"] == ["Förebyggande rådet"]


def test_bullets_normalised_in_reader():
    doc = read_document(CORPUS_DIR / "hallstahammar-medborgarloften-2019.txt", "m.txt")
    assert "•" not in doc.text and "\n- tre till fyra gånger" in doc.text


@pytest.mark.parametrize(
    "encoding,expected",
    [("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("cp1252", "cp1252"), ("latin-1", "latin-1"), ("cp850", "cp850")],
)
def test_encodings(tmp_path, encoding, expected):
    text = SWEDISH if encoding in ("cp1252", "utf-8-sig", "utf-16") else SWEDISH.replace("”", '"').replace("–", "-")
    path = tmp_path / "f.txt"
    path.write_bytes(text.encode(encoding))
    doc = read_document(path, "f.txt")
    assert doc.encoding == expected
    assert "Trygghetsrådet träffades" in doc.text and "Över 20" in doc.text and "Ängelholm, Örebro och Åre" in doc.text
    if encoding == "cp1252":
        assert "– ”bra möte”" in doc.text


def test_mojibake_is_repaired_not_refused(tmp_path):
    moj = tmp_path / "moj.txt"
    plain = "Trygghetsrådet i Hallstahammar, Örebro och Ängelholm. Mötet på Åre är över.\n"
    moj.write_text(plain.encode("utf-8").decode("cp1252"), encoding="utf-8")  # "Ã¥" etc.
    doc = read_document(moj, "moj.txt")
    assert doc.encoding == "utf-8" and "Trygghetsrådet i Hallstahammar, Örebro och Ängelholm" in doc.text
    assert any("mojibake" in w for w in doc.warnings)
    twice = "Rådet".encode("utf-8").decode("cp1252").encode("utf-8").decode("cp1252").encode("utf-8")
    assert decode_bytes(twice * 5, "x.txt") == ("Rådet" * 5, "utf-8")


@pytest.mark.parametrize(
    "text",
    [
        "Kontakt: anna_svensson@arboga.se eller c:\\protokoll\\2021.\n",
        "Närvarande: Gul$tafsson, Pettersson. ~~~ {sidan 3} ~~~\n",
        "OCR-brus: Kommunstyr~lsen beslöt_ att {godkänna} protokollet.\n",
    ],
)
def test_valid_utf8_is_never_refused(tmp_path, text):
    path = tmp_path / "ocr.txt"
    path.write_bytes(text.encode("utf-8"))
    doc = read_document(path, "ocr.txt")
    assert doc.encoding == "utf-8" and doc.text.strip() == text.strip() and not doc.warnings


def test_undecodable_bytes_are_an_encoding_error(tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_bytes(bytes(range(0x80, 0x100)) * 8)  # not UTF-8, garbage in every single-byte encoding
    assert _reason(junk) == "encoding"


def test_empty_whitespace_missing_binary_unsupported(tmp_path):
    cases = {
        "e.txt": (b"", "empty"),
        "b.md": (b"  \n\t\r\n  ", "empty"),
        "n.txt": (b"abc\x00\x01\x02def", "binary"),
        "p.txt": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary"),
        "x.xyz": ("hej".encode(), "unsupported"),
    }
    for name, (data, _) in cases.items():
        (tmp_path / name).write_bytes(data)
    assert {name: _reason(tmp_path / name) for name in cases} == {name: r for name, (_, r) in cases.items()}
    assert _reason(tmp_path / "missing.txt") == "io"
    assert ".pdf" in SUPPORTED_SUFFIXES and ".docx" in SUPPORTED_SUFFIXES and ".markdown" in SUPPORTED_SUFFIXES


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes needed")
def test_permission_denied(tmp_path):
    from tests.conftest import unprivileged

    tmp_path.chmod(0o755)
    tmp_path.parent.chmod(0o755)
    path = tmp_path / "secret.txt"
    path.write_text("hemligt", encoding="utf-8")
    path.chmod(0)
    try:
        with unprivileged():
            assert _reason(path) == "permission"
    finally:
        path.chmod(0o644)


def test_form_feed_pages(tmp_path):
    pages = [f"Trygghetsråd\nSida {n} av 3\n\nInnehåll på sida {n}.\n" for n in (1, 2, 3)]
    path = tmp_path / "ff.txt"
    path.write_text("\f".join(pages), encoding="utf-8")
    doc = read_text(path, "ff.txt")
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert doc.text.count("Trygghetsråd") == 1 and "Sida" not in doc.text
    for p in doc.pages:
        assert doc.text[p.start:p.end].endswith(f"Innehåll på sida {p.number}.")


def test_markdown_kungsbacka_pages_headers_links():
    path = CORPUS_DIR / "kungsbacka" / "ifo-2025-10-16-protokoll.md"
    doc = read_document(path, "k.md")
    assert doc.reader == "markdown"
    assert doc.front_matter["kommun"] == "kungsbacka" and doc.front_matter["datum"] == "2025-10-16"
    assert len(doc.pages) == 31 and doc.pages[0].number == 1 and doc.pages[-1].number == 31
    assert all(a.end <= b.start for a, b in zip(doc.pages, doc.pages[1:]))
    assert "<!--" not in doc.text and "---\nkommun" not in doc.text
    assert doc.text.startswith("KUNGSBACKA KOMMUN")  # page-1 title block kept once
    assert doc.text.count("Nämnden för Individ & Familjeomsorg\nDatum\n2025-10-16") == 1
    assert "Transaktionsidentitet: 3C14" not in doc.text
    assert "[Tabell 10-1]" not in doc.text and "Tabell 10-1" in doc.text and ".csv)" not in doc.text
    page4 = doc.text[doc.pages[3].start:doc.pages[3].end]
    assert page4.startswith("§ ")


def test_markdown_headings_bold_and_broken_yaml(tmp_path):
    path = tmp_path / "m.md"
    path.write_text(
        "---\ndatum: [2021-09-15\n---\n# Trygghetsråd\n\n<!-- kommentar -->\n**Inledning**\n\nText med [länk](http://x).\n\n## Övrigt\nSlut\n",
        encoding="utf-8",
    )
    doc = read_markdown(path, "m.md")
    assert doc.front_matter == {} and any("YAML" in w for w in doc.warnings)
    assert "**Inledning**" in doc.text and "# Trygghetsråd" in doc.text and "kommentar" not in doc.text
    assert "Text med länk." in doc.text
    assert [h.text for h in doc.headings] == ["Trygghetsråd", "Övrigt"]
    for h in doc.headings:
        assert h.source == "markdown" and h.text in doc.text[h.start:h.end]


def test_iter_files(tmp_path):
    root = tmp_path / "in"
    (root / "b" / ".git").mkdir(parents=True)
    (root / "a").mkdir()
    for rel in ("z.txt", "a/y.md", "b/x.pdf", "b/.hidden.txt", "b/.git/c.txt", "README.md", "SOURCE.md",
                "LICENSE.txt", "a/y.md.meta.json", "a/y.meta.yaml", "notes.csv"):
        (root / rel).write_text("x", encoding="utf-8")
    got = list(iter_files([str(root)]))
    assert [s for _, s in got] == [os.path.join(str(root), p) for p in ("a/y.md", "b/x.pdf", "z.txt")]
    assert all(p.is_file() for p, _ in got)
    single = root / "notes.csv"
    assert list(iter_files([single])) == [(single, str(single))]
