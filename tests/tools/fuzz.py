"""Malformed-file generator and checker for the isolated parse step.

:func:`generate` writes a folder of hostile and good files, deterministic for
a seed: random bytes under every supported extension, tiny text files,
truncated PDFs (with and without a new ``%%EOF``), corrupted xref tables,
flipped bytes, deeply nested PDF objects, reference cycles (``4 0 R``), a
page tree with thousands of pages, broken DOCX zips, zip bombs (honest and
lying sizes), paragraph bombs, deeply nested XML, invalid UTF-8, NUL bytes, a
very long word, texts with thousands of numbered items, dates, headings or
pages, names with spaces, newlines, non-ASCII and non-UTF-8 bytes,
symbolic-link loops and links out of the folder, folders named ``x.pdf``,
FIFOs, mixed with good files (corpus texts, test fixtures, generated PDFs and
DOCX files). Every case says what must happen to it:

* ``good``: must be parsed;
* ``bad``: must fail with a reason (not ``internal``, ``crashed`` or
  ``too_slow``);
* ``either``: may be parsed or refused, but must not crash, hang or raise.

:func:`check` runs :func:`ingest.isolate.parse_files` over the folder (and
the paths named directly, such as a FIFO and ``/dev/zero``) and returns a
JSON-ready report. ``tests/ingest/test_fuzz.py`` runs a few hundred cases;
``bench/fuzz.py`` the full set.

Usage: python tests/tools/fuzz.py OUT_DIR [--count 1000] [--seed 0]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
CORPUS = ROOT / "corpus"

#: Share of the cases per kind (scaled to the requested count, at least one each).
WEIGHTS: dict[str, float] = {
    "random_bytes": 0.12,
    "tiny_text": 0.06,
    "pdf_truncated": 0.08,
    "pdf_xref": 0.05,
    "pdf_flip": 0.06,
    "pdf_nested": 0.02,
    "pdf_cycle": 0.02,
    "pdf_pages": 0.004,
    "pdf_stream_bomb": 0.004,
    "docx_broken": 0.08,
    "docx_zip_bomb": 0.006,
    "docx_paragraph_bomb": 0.006,
    "docx_deep": 0.006,
    "text_invalid_utf8": 0.06,
    "text_nul": 0.03,
    "text_long_word": 0.004,
    "text_structure": 0.008,
    "odd_names": 0.04,
    "symlinks": 0.02,
    "dir_named_pdf": 0.01,
    "fifo": 0.01,
    "good": 0.20,
    "good_generated": 0.08,
}

#: Reasons that mean the isolation caught a bug or a hang, never a proper refusal.
BUG_REASONS = ("internal", "crashed", "too_slow")

SWEDISH_LINES = [
    "Trygghetsrådet i Arboga kommun",
    "Protokoll från sammanträde 2021-09-15",
    "1. Mötets öppnande",
    "Ordföranden hälsar alla välkomna och förklarar mötet öppnat.",
    "2. Lägesbild från polisen",
    "Kommunpolisen redovisar en lugn sommar utan grova brott i centrum.",
    "3. Motorburen ungdom",
    "Klagomål på epa-traktorer och hög musik vid torget under helgerna.",
    "4. Trygghetsvandring",
    "En trygghetsvandring genomförs i Västra området den 28 oktober.",
    "5. Övriga frågor",
    "Inga övriga frågor. Nästa möte hålls den 3 november 2021.",
]


@dataclass
class Case:
    """One generated path and what must become of it."""

    path: Path
    kind: str
    expect: str  # good | bad | either


# ---------------------------------------------------------------------------
# Small builders
# ---------------------------------------------------------------------------


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252", "replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def build_pdf(objects: list[bytes], root: int = 1, info: int | None = None) -> bytes:
    """A PDF with a correct xref table from object bodies (object i+1 = objects[i])."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    extra = b" /Info %d 0 R" % info if info else b""
    out += b"trailer\n<< /Size %d /Root %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, extra, xref)
    return bytes(out)


def _content(lines: list[str]) -> bytes:
    ops = [b"BT /F1 11 Tf 56 790 Td 15 TL"]
    for line in lines:
        ops.append(_pdf_string(line) + b" Tj T*")
    ops.append(b"ET")
    return b"\n".join(ops)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def text_pdf(pages: list[list[str]]) -> bytes:
    """A plain PDF with one content stream per page (Helvetica, WinAnsi)."""
    n = len(pages)
    # 1 catalog, 2 pages, 3 font, then (page, content) pairs
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n), _FONT]
    for i, lines in enumerate(pages):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
                       b" /Contents %d 0 R >>" % (5 + 2 * i))
        objects.append(_stream(_content(lines)))
    return build_pdf(objects)


def _page_objects(contents: bytes = b"4 0 R", resources: bytes = b"<< /Font << /F1 3 0 R >> >>") -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        _FONT,
        _stream(_content(SWEDISH_LINES[:4])),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s /Contents %s >>" % (resources, contents),
    ]


def cycle_pdfs() -> list[tuple[str, bytes]]:
    """PDFs whose references loop (the ``4 0 R`` family)."""
    out = []
    objs = _page_objects()
    objs[3] = b"4 0 R"  # object 4 is a reference to itself
    out.append(("self_ref_contents", build_pdf(objs)))
    objs = _page_objects(resources=b"6 0 R") + [b"7 0 R", b"6 0 R"]
    out.append(("resources_cycle", build_pdf(objs)))
    objs = _page_objects()
    objs[1] = b"<< /Type /Pages /Kids [2 0 R 5 0 R] /Count 2 >>"  # the page tree contains itself
    out.append(("pages_tree_cycle", build_pdf(objs)))
    objs = _page_objects()
    objs[3] = b"<< /Length 4 0 R >>\nstream\nBT ET\nendstream"  # length refers to its own object
    out.append(("length_self_ref", build_pdf(objs)))
    objs = _page_objects() + [b"6 0 R"]
    objs[5] = b"6 0 R"
    out.append(("info_self_ref", build_pdf(objs, info=6)))
    objs = _page_objects()
    objs[0] = b"1 0 R"  # the catalog itself
    out.append(("catalog_self_ref", build_pdf(objs)))
    return out


def nested_pdf(depth: int, kind: str) -> bytes:
    objs = _page_objects()
    if kind == "array":
        deep = b"[" * depth + b"]" * depth
    else:
        deep = b"<< /A " * depth + b"1" + b" >>" * depth
    objs.append(deep)
    objs[4] = objs[4][:-2] + b" /Annots 6 0 R >>"
    return build_pdf(objs, info=6 if kind == "dict" else None)


def page_bomb_pdf(pages: int) -> bytes:
    """Thousands of pages sharing one small content stream."""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        _FONT,
        _stream(_content(["Sida med text om trygghet och klotter."])),
    ]
    for _ in range(pages):
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
                    b" /Contents 4 0 R >>")
    return build_pdf(objs)


def stream_bomb_pdf(mb: int) -> bytes:
    """A content stream that inflates from a few kB to ``mb`` MB of spaces."""
    comp = zlib.compressobj(9)
    body = b"".join(comp.compress(b" " * (1 << 20)) for _ in range(mb)) + comp.flush()
    objs = _page_objects()
    objs[3] = _stream(body, b" /Filter /FlateDecode")
    return build_pdf(objs)


def docx_bytes(paragraphs: list[str], *, table: list[list[str]] | None = None, merged_rows: int = 0) -> bytes:
    """A Word file made with python-docx (headings, paragraphs, an optional table)."""
    import docx

    document = docx.Document()
    document.add_heading(paragraphs[0], level=1)
    for text in paragraphs[1:]:
        if text[:2].rstrip(".").isdigit():
            document.add_heading(text, level=2)
        else:
            document.add_paragraph(text)
    if table:
        t = document.add_table(rows=0, cols=len(table[0]))
        for row in table:
            for cell, value in zip(t.add_row().cells, row):
                cell.text = value
    if merged_rows:
        # A first column merged vertically over every row, written as Word writes it
        # (w:vMerge restart/continue); python-docx's own merge() is too slow for tall tables.
        from docx.oxml.ns import qn
        from docx.oxml.parser import OxmlElement

        from docx.table import _Cell

        t = document.add_table(rows=merged_rows, cols=2)
        for i, tr in enumerate(t._tbl.tr_lst):  # row.cells is itself slow on tall tables
            first, second = tr.tc_lst
            _Cell(second, t).text = f"Rad {i}"
            if i == 0:
                _Cell(first, t).text = "Sammanslagen cell"
            merge = OxmlElement("w:vMerge")
            if i == 0:
                merge.set(qn("w:val"), "restart")
            first.get_or_add_tcPr().append(merge)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _zip(members: dict[str, bytes], compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compress) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _document_xml(body: bytes) -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document ' + _W + b"><w:body>" + body + b"</w:body></w:document>"


def zip_bomb_docx(base: bytes, mb: int, lie: bool) -> bytes:
    """A DOCX with an extra part of ``mb`` MB of zeros; ``lie`` patches the sizes it declares.

    The zeros are never held or compressed as a whole: one compressed
    megabyte (flushed so it stands alone) is repeated, as zip bombs are made.
    """
    members = [(name, data) for name, data in _members(base).items()]
    data = bytearray(_raw_zip(members, bomb=("word/media/bomb.bin", mb)))
    if lie:
        _patch_sizes(data, b"word/media/bomb.bin", 1000)
    return bytes(data)


def _raw_zip(members: list[tuple[str, bytes]], bomb: tuple[str, int] | None = None) -> bytes:
    """Write a zip by hand (deflated members, plus an optional bomb part of zeros)."""
    import struct

    entries = []
    for name, data in members:
        comp = zlib.compressobj(6, zlib.DEFLATED, -15)
        entries.append((name.encode(), comp.compress(data) + comp.flush(), zlib.crc32(data), len(data)))
    if bomb:
        name, mb = bomb
        block = b"\0" * (1 << 20)
        comp = zlib.compressobj(9, zlib.DEFLATED, -15)
        chunk = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
        crc = 0
        for _ in range(mb):
            crc = zlib.crc32(block, crc)
        entries.append((name.encode(), chunk * mb + b"\x03\x00", crc, mb << 20))
    out = bytearray()
    central = bytearray()
    for name, comp, crc, size in entries:
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(comp), size, len(name), 0) + name + comp
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(comp), size,
                               len(name), 0, 0, 0, 0, 0, offset) + name
    start = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), start, 0)
    return bytes(out)


def _patch_sizes(data: bytearray, name: str | bytes, size: int) -> None:
    """Rewrite the uncompressed size a zip declares for ``name`` (local and central headers)."""
    import struct

    name = name.encode() if isinstance(name, str) else name
    # (header signature, offset of the name length, of the name, of the uncompressed size)
    for signature, len_at, name_at, size_at in ((b"PK\x03\x04", 26, 30, 22), (b"PK\x01\x02", 28, 46, 24)):
        pos = 0
        while (pos := data.find(signature, pos)) >= 0:
            n = struct.unpack_from("<H", data, pos + len_at)[0]
            if data[pos + name_at:pos + name_at + n] == name:
                struct.pack_into("<I", data, pos + size_at, size)
            pos += 4


def paragraph_bomb_docx(base: bytes, count: int) -> bytes:
    members = _members(base)
    members["word/document.xml"] = _document_xml(b"<w:p/>" * count)
    return _zip(members)


def deep_docx(base: bytes, depth: int) -> bytes:
    members = _members(base)
    members["word/document.xml"] = _document_xml(b"<w:p><w:r>" + b"<w:t>" * depth + b"x" + b"</w:t>" * depth
                                                 + b"</w:r></w:p>")
    return _zip(members)


def broken_docx(base: bytes, rng: random.Random, variant: int) -> bytes:
    members = _members(base)
    if variant == 0:
        return base[: rng.randrange(30, len(base) - 1)]
    if variant == 1:
        data = bytearray(base)
        for _ in range(rng.randrange(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    if variant == 2:
        members.pop("word/document.xml", None)
    elif variant == 3:
        members["word/document.xml"] = b"<w:document " + rng.randbytes(200)
    elif variant == 4:
        members.pop("[Content_Types].xml", None)
    elif variant == 5:
        members = {f"x{i}.bin": rng.randbytes(100) for i in range(3)}
    elif variant == 6:
        members["word/styles.xml"] = b"<?xml version='1.0'?><w:styles " + _W + b"><w:style"
    elif variant == 7:
        members["word/document.xml"] = _document_xml(b"")  # no text at all
    else:
        members["word/_rels/document.xml.rels"] = rng.randbytes(64)
    return _zip(members)


# ---------------------------------------------------------------------------
# Sources of good files
# ---------------------------------------------------------------------------


def good_sources() -> list[Path]:
    """Files that must parse: corpus texts, Kungsbacka protocols and readable fixtures."""
    import json

    files = sorted(CORPUS.glob("*.txt")) + sorted((CORPUS / "kungsbacka").glob("*-protokoll.md"))
    files = [f for f in files if not f.name.upper().startswith("SOURCE")]
    files += sorted((FIXTURES / "text").glob("*.txt"))
    expected = json.loads((FIXTURES / "pdf" / "expected.json").read_text(encoding="utf-8"))
    files += [FIXTURES / "pdf" / f"{name}.pdf" for name, truth in sorted(expected.items()) if "error" not in truth]
    files.append(FIXTURES / "docx" / "minutes.docx")
    return files


def _swedish_text(rng: random.Random, lines: int = 30) -> str:
    picked = [SWEDISH_LINES[0], SWEDISH_LINES[1]] + [rng.choice(SWEDISH_LINES[2:]) for _ in range(lines)]
    return "\n\n".join(picked) + "\n"


# ---------------------------------------------------------------------------
# Generator
# ---------------------------------------------------------------------------


def structure_texts(n: int) -> list[tuple[str, str]]:
    """Texts that stress metadata and segmentation: thousands of numbers, dates, headings, pages."""
    return [
        ("paragraphs.txt", "Trygghetsrådet\n\n" + "".join(f"§ {i}\nKlotter vid torget.\n\n" for i in range(n))),
        ("numbered.txt", "Trygghetsrådet\n\n" + "".join(f"{i}. Punkt om klotter\n" for i in range(n))),
        ("dates.txt", "Trygghetsrådet\n\n" + "Datum: 2021-01-01\nNästa möte den 3 november 2021\n" * n),
        ("headings.md", "# Trygghetsråd\n\n" + "".join(f"## {i}. Rubrik om möte\n" for i in range(n))),
        ("participants.txt", "Trygghetsrådet\n\nNärvarande:\n" + "".join(f"Anna Berg{i} (S), ordförande\n" for i in range(n))),
        ("formfeeds.txt", "Trygghetsrådet möte\n" + "\fSida\nTrygghetsrådet i Arboga\n" * n),
        ("pagemarkers.md", "Trygghetsråd\n" + "".join(f"<!-- sida {i} -->\nTrygghetsrådet i Arboga\nText om klotter.\n"
                                                        for i in range(n))),
        ("bullets.txt", "Trygghetsrådet\n\n" + "- klotter och skadegörelse\n" * n),
        ("capitals.txt", "Trygghetsrådet\n\n" + "KLOTTER VID TORGET\n\n" * n),
        ("one_line.txt", "Trygghetsrådet i Arboga " + "och klotter vid torget " * n),
    ]


def _counts(count: int, weights: dict[str, float] | None = None) -> dict[str, int]:
    shares = {**WEIGHTS, **(weights or {})}
    return {kind: max(1, round(weight * count)) for kind, weight in shares.items()}


def generate(out: Path, count: int = 1000, seed: int = 0, weights: dict[str, float] | None = None) -> list[Case]:
    """Write about ``count`` cases into the empty folder ``out``; return them.

    Args:
        out: Target folder (created).
        count: Approximate number of cases.
        seed: Random seed; the same seed gives the same files.
        weights: Shares that replace those of :data:`WEIGHTS` for some kinds.

    Returns:
        The cases, including paths meant to be named directly (outside
        ``out``'s walk: a FIFO and ``/dev/zero``), see :func:`direct_paths`.
    """
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []
    counts = _counts(count, weights)
    goods = good_sources()
    pdf_goods = [p.read_bytes() for p in goods if p.suffix == ".pdf"]
    pdf_goods.append(text_pdf([SWEDISH_LINES[:6], SWEDISH_LINES[6:]]))
    docx_base = (FIXTURES / "docx" / "minutes.docx").read_bytes()
    swedish = (CORPUS / "hallstahammar-trygghetsrad-2021-09-15.txt").read_bytes()

    def put(rel: str | bytes, data: bytes, kind: str, expect: str) -> None:
        path = out / os.fsdecode(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        cases.append(Case(path, kind, expect))

    exts = [".pdf", ".docx", ".txt", ".md", ".text", ".markdown"]
    for i in range(counts["random_bytes"]):
        ext = exts[i % len(exts)]
        put(f"random/r{i:04d}{ext}", rng.randbytes(rng.choice([0, 1, 17, 512, 4096, 20000])), "random_bytes", "bad")
    for i in range(counts["tiny_text"]):
        ext = (".txt", ".md")[i % 2]
        put(f"tiny/t{i:04d}{ext}", rng.randbytes(rng.randrange(1, 8)), "tiny_text", "bad")
    for i in range(counts["pdf_truncated"]):
        base = rng.choice(pdf_goods)
        cut = rng.randrange(8, len(base) - 8)
        data = base[:cut] + (b"\n%%EOF\n" if i % 2 else b"")
        put(f"pdf/trunc{i:04d}.pdf", data, "pdf_truncated", "either" if i % 2 else "bad")
    for i in range(counts["pdf_xref"]):
        base = bytearray(rng.choice(pdf_goods))
        start = base.rfind(b"xref")
        variant = i % 4
        if variant == 0:  # garbage over the table
            for _ in range(30):
                base[rng.randrange(start, len(base) - 6)] = rng.randrange(256)
        elif variant == 1:  # every offset shifted
            tail = bytes(base[start:]).replace(b" 00000 n", b" 00000 n ")
            base = base[:start] + tail
            base = base.replace(b"0000000", b"0000001", 1)
        elif variant == 2:  # startxref points into nowhere
            pos = base.rfind(b"startxref")
            base = base[:pos] + b"startxref\n999999999\n%%EOF\n"
        else:  # xref table removed
            pos = base.rfind(b"startxref")
            base = base[:start] + base[pos:]
        put(f"pdf/xref{i:04d}.pdf", bytes(base), "pdf_xref", "either")
    for i in range(counts["pdf_flip"]):
        base = bytearray(rng.choice(pdf_goods))
        for _ in range(rng.randrange(1, 40)):
            base[rng.randrange(16, len(base) - 8)] = rng.randrange(256)
        put(f"pdf/flip{i:04d}.pdf", bytes(base), "pdf_flip", "either")
    for i in range(counts["pdf_nested"]):
        depth = rng.choice([100, 1000, 10000, 100000])
        put(f"pdf/nested{i:04d}.pdf", nested_pdf(depth, ("array", "dict")[i % 2]), "pdf_nested", "either")
    variants = cycle_pdfs()
    for i in range(counts["pdf_cycle"]):
        name, data = variants[i % len(variants)]
        put(f"pdf/cycle{i:04d}_{name}.pdf", data, "pdf_cycle", "either")
    for i in range(counts["pdf_pages"]):
        put(f"pdf/pages{i:04d}.pdf", page_bomb_pdf(2500), "pdf_pages", "bad")
    for i in range(counts["pdf_stream_bomb"]):
        put(f"pdf/streambomb{i:04d}.pdf", stream_bomb_pdf(64), "pdf_stream_bomb", "either")
    for i in range(counts["docx_broken"]):
        variant = i % 9
        put(f"docx/broken{i:04d}.docx", broken_docx(docx_base, rng, variant), "docx_broken",
            "either" if variant in (1, 6, 8) else "bad")
    for i in range(counts["docx_zip_bomb"]):
        put(f"docx/zipbomb{i:04d}.docx", zip_bomb_docx(docx_base, 300, lie=bool(i % 2)), "docx_zip_bomb", "bad")
    for i in range(counts["docx_paragraph_bomb"]):
        put(f"docx/parabomb{i:04d}.docx", paragraph_bomb_docx(docx_base, 3_000_000), "docx_paragraph_bomb", "bad")
    for i in range(counts["docx_deep"]):
        put(f"docx/deep{i:04d}.docx", deep_docx(docx_base, rng.choice([300, 5000, 100000])), "docx_deep", "bad")
    for i in range(counts["text_invalid_utf8"]):
        data = bytearray(swedish)
        for _ in range(rng.randrange(1, 50)):
            data.insert(rng.randrange(len(data)), rng.choice([0xFF, 0xFE, 0xC3, 0x80, 0xE5]))
        put(f"text/utf8_{i:04d}.txt", bytes(data), "text_invalid_utf8", "either")
    for i in range(counts["text_nul"]):
        data = bytearray(swedish)
        data.insert(rng.randrange(min(len(data), 8000)), 0)
        put(f"text/nul{i:04d}{('.txt', '.md')[i % 2]}", bytes(data), "text_nul", "bad")
    for i in range(counts["text_long_word"]):
        put(f"text/longword{i:04d}.txt", ("Trygghetsråd\n\n" + "ö" * rng.choice([4000, 20000])).encode(),
            "text_long_word", "either")
    structures = structure_texts(1500)
    for i in range(counts["text_structure"]):
        name, text = structures[i % len(structures)]
        put(f"text/structure{i:04d}_{name}", text.encode(), "text_structure", "either")
    odd = ["med mellanslag.txt", "rad\nbrytning.txt", "Protokoll möte åäö.txt", "  ledande blanksteg.md",
           "tab\there.txt", "citat'\"tecken.md", "emoji \U0001f600.txt", "ÅÄÖ/Östersund möte.txt"]
    for i in range(counts["odd_names"]):
        src = goods[i % len(goods)] if i % 3 else CORPUS / "hallstahammar-trygghetsrad-2019.txt"
        ext = src.suffix
        if i % 5 == 4:
            name: str | bytes = b"odd/latin1-m\xf6te-%d" % i + ext.encode()
        else:
            name = f"odd/{i:04d} " + odd[i % len(odd)].rsplit(".", 1)[0] + ext
        put(name, src.read_bytes(), "odd_names", "good")
    for i in range(counts["good"]):
        src = goods[i % len(goods)]
        put(f"good/g{i:04d}_{src.name}", src.read_bytes(), "good", "good")
    for i in range(counts["good_generated"]):
        kind = i % 4
        lines = [SWEDISH_LINES[0]] + [rng.choice(SWEDISH_LINES[1:]) for _ in range(12)]
        if kind == 0:
            put(f"gen/g{i:04d}.pdf", text_pdf([lines[:7], lines[7:]]), "good_generated", "good")
        elif kind == 1:
            put(f"gen/g{i:04d}.docx", docx_bytes(lines, table=[["Anna Berg", "ordförande"], ["Nils Ek", "sekreterare"]],
                                                 merged_rows=rng.choice([0, 3, 2000])), "good_generated", "good")
        elif kind == 2:
            put(f"gen/g{i:04d}.txt", _swedish_text(rng).encode(rng.choice(["utf-8", "cp1252", "utf-16", "utf-8-sig"])),
                "good_generated", "good")
        else:
            text = "---\ntitle: Trygghetsråd\n---\n\n" + _swedish_text(rng).replace("\n\n1.", "\n\n## 1.")
            text += "\nKontakt: anna_svensson@arboga.se\n"
            put(f"gen/g{i:04d}.md", text.replace("\n", "\r\n").encode(), "good_generated", "good")
    # Things the walk must report or leave alone.
    links = out / "links"
    links.mkdir()
    for i in range(counts["symlinks"]):
        variant = i % 5
        if variant == 0:
            a, b = links / f"loop{i}a.pdf", links / f"loop{i}b.pdf"
            os.symlink(b.name, a)
            os.symlink(a.name, b)
            cases += [Case(a, "symlinks", "bad"), Case(b, "symlinks", "bad")]
        elif variant == 1:
            link = links / f"passwd{i}.txt"
            os.symlink("/etc/passwd", link)
            cases.append(Case(link, "symlinks", "bad"))
        elif variant == 2:
            link = links / f"missing{i}.md"
            os.symlink(f"finns-inte-{i}.md", link)
            cases.append(Case(link, "symlinks", "bad"))
        elif variant == 3:
            link = links / f"up{i}"
            os.symlink("..", link)  # a folder loop
            cases.append(Case(link, "symlinks", "bad"))
        else:
            target = out / "good" / sorted(os.listdir(out / "good"))[0]
            link = links / f"inside{i}{target.suffix}"
            os.symlink(os.path.relpath(target, links), link)
            cases.append(Case(link, "symlinks", "good"))
    for i in range(counts["dir_named_pdf"]):
        folder = out / "dirs" / f"mapp{i}.pdf"
        folder.mkdir(parents=True)
        put(f"dirs/mapp{i}.pdf/inne.txt", swedish, "dir_named_pdf", "good")
    for i in range(counts["fifo"]):
        fifo = out / "fifo" / f"rör{i}.txt"
        fifo.parent.mkdir(exist_ok=True)
        os.mkfifo(fifo)
        cases.append(Case(fifo, "fifo", "bad"))
    # Left out by the walk: no outcome expected.
    (out / ".dold.txt").write_bytes(swedish)
    (out / "README.md").write_bytes(swedish)
    return cases


def direct_paths(out: Path) -> list[Case]:
    """Paths named directly on a command line: a FIFO, a device, a folder named x.pdf's file, a missing file."""
    fifo = out.parent / f"{out.name}-fifo.txt"
    if not fifo.exists():
        os.mkfifo(fifo)
    cases = [Case(fifo, "fifo", "bad"), Case(Path("/dev/null"), "device", "bad"), Case(out / "finns-inte.pdf", "missing", "bad")]
    if os.path.exists("/dev/zero"):
        cases.append(Case(Path("/dev/zero"), "device", "bad"))
    return cases


# ---------------------------------------------------------------------------
# Checker
# ---------------------------------------------------------------------------


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def check(out: Path, cases: list[Case], settings: Any, *, direct: list[Case] | None = None,
          workers: int | None = None, watchdog_s: float = 1800.0) -> dict[str, Any]:
    """Run :func:`ingest.isolate.parse_files` over ``out`` (and ``direct``) and judge every outcome.

    Returns:
        A report: files, outcomes by status, failures by reason, per-file wall
        time (p50/p95/max), peak RSS of this process and of the workers,
        ``problems`` (good files not parsed, bad files parsed, bug reasons,
        files without exactly one outcome) and ``batch_seconds``.
    """
    import resource

    from ingest.isolate import parse_files
    from ingest.readers import walk_files

    direct = direct or []
    expected = {os.fsencode(c.path): c for c in cases + direct}
    seen: dict[bytes, Any] = {}
    problems: list[dict[str, str]] = []
    started = time.monotonic()
    entries = list(walk_files([out] + [c.path for c in direct]))
    walk_seconds = time.monotonic() - started
    for outcome in parse_files(entries, settings, workers=workers):
        key = os.fsencode(outcome.path)
        if key in seen:
            problems.append({"path": outcome.source, "problem": "two outcomes"})
        seen[key] = outcome
        if time.monotonic() - started > watchdog_s:
            problems.append({"path": outcome.source, "problem": "batch watchdog expired"})
            break
    batch_seconds = time.monotonic() - started
    reasons: dict[str, int] = {}
    statuses: dict[str, int] = {}
    by_kind: dict[str, dict[str, int]] = {}
    seconds_by_kind: dict[str, float] = {}
    for key, outcome in seen.items():
        statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
        if outcome.error:
            reasons[outcome.error.reason] = reasons.get(outcome.error.reason, 0) + 1
        case = expected.get(key)
        kind = case.kind if case else "unlisted"
        cell = by_kind.setdefault(kind, {})
        label = outcome.status if outcome.status != "failed" else outcome.error.reason
        cell[label] = cell.get(label, 0) + 1
        seconds_by_kind[kind] = seconds_by_kind.get(kind, 0.0) + outcome.seconds
        if case is None:
            continue
        if outcome.error and outcome.error.reason in BUG_REASONS:
            problems.append({"path": outcome.source, "kind": case.kind, "problem": outcome.error.reason,
                             "message": outcome.error.message[:300], "detail": (outcome.detail or "")[-600:]})
        elif case.expect == "good" and outcome.status != "parsed":
            problems.append({"path": outcome.source, "kind": case.kind, "problem": "good file not parsed",
                             "message": outcome.error.message[:300] if outcome.error else ""})
        elif case.expect == "bad" and outcome.status == "parsed":
            problems.append({"path": outcome.source, "kind": case.kind, "problem": "bad file parsed"})
    for key, case in expected.items():
        if key not in seen:
            problems.append({"path": os.fsdecode(key), "kind": case.kind, "problem": "no outcome"})
    times = [o.seconds for o in seen.values() if o.seconds]
    worker_peak = max((o.worker_peak_rss or 0 for o in seen.values()), default=0)
    return {
        "files": len(seen),
        "cases": len(expected),
        "statuses": statuses,
        "failures_by_reason": dict(sorted(reasons.items())),
        "by_kind": dict(sorted(by_kind.items())),
        "file_seconds": {
            "p50": round(_percentile(times, 0.5), 4),
            "p95": round(_percentile(times, 0.95), 4),
            "max": round(max(times, default=0.0), 4),
            "mean": round(statistics.fmean(times), 4) if times else 0.0,
        },
        "worker_seconds_by_kind": {k: round(v, 2) for k, v in sorted(seconds_by_kind.items())},
        "walk_seconds": round(walk_seconds, 3),
        "batch_seconds": round(batch_seconds, 2),
        "peak_rss_mb": {
            "parent": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "worker_max": round(worker_peak / (1 << 20), 1),
        },
        "hangs": sum(1 for p in problems if p["problem"] in ("too_slow", "batch watchdog expired")),
        "tracebacks": sum(1 for p in problems if p["problem"] in ("internal", "crashed")),
        "problems": problems,
    }


def write_manifest(cases: list[Case], path: Path) -> None:
    """Save the cases (paths as hex of their bytes: names need not be UTF-8)."""
    import json

    rows = [{"path": os.fsencode(c.path).hex(), "kind": c.kind, "expect": c.expect} for c in cases]
    path.write_text(json.dumps(rows), encoding="utf-8")


def read_manifest(path: Path) -> list[Case]:
    import json

    rows = json.loads(path.read_text(encoding="utf-8"))
    return [Case(Path(os.fsdecode(bytes.fromhex(r["path"]))), r["kind"], r["expect"]) for r in rows]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--manifest", type=Path, help="write the cases here as JSON")
    args = parser.parse_args(argv)
    cases = generate(args.out, args.count, args.seed)
    if args.manifest:
        write_manifest(cases, args.manifest)
    print(f"{len(cases)} cases in {args.out}", file=sys.stderr)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
