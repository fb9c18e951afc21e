"""OCR of scanned minutes (ingest.ocr and the PDF reader's OCR hook).

The fixtures (``tests/tools/make_scanned.py``) are a two-page protocol drawn
with DejaVu Sans and saved as grey-scale JPEG scans without a text layer, and
a mixed file whose first page has a text layer and whose second is a scan.
The generator wrote down every line it drew, so the tests compare OCR output
with the truth. Tests that run Tesseract are skipped, with the reason, where
it or its Swedish model is not installed (``./run.sh test`` installs both).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from PIL import Image, ImageDraw, ImageFont

from ingest import ocr
from tests.tools.make_scanned import error_rate
from ingest.isolate import parse_files
from ingest.metadata import extract_metadata
from ingest.readers import ReadLimits, read_document
from ingest.segment import segment
from radslag.config import Settings, load_settings
from radslag.errors import IngestError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scanned"
PDF_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pdf"
SCANNED = FIXTURES / "scanned_minutes.pdf"
MIXED = FIXTURES / "mixed_minutes.pdf"
TRUTH = json.loads((FIXTURES / "scanned_minutes.json").read_text(encoding="utf-8"))

_STATUS = ocr.tesseract_status(ocr.OcrOptions())
needs_tesseract = pytest.mark.skipif(
    not _STATUS.available,
    reason=f"Tesseract with the Swedish model is not installed here ({_STATUS.problem}); ./run.sh test installs it",
)



def truth_words(name: str, pages: list[int] | None = None, furniture: bool = False) -> list[str]:
    """The drawn words of a fixture (page numbers in the footer left out unless asked for)."""
    out: list[str] = []
    for number, lines in enumerate(TRUTH[name]["pages"], start=1):
        if pages is None or number in pages:
            out += [w for line in (lines if furniture else lines[:-1]) for w in line.split()]
    return out


@pytest.fixture(scope="module")
def scanned():
    """The scanned protocol read once (two pages of OCR)."""
    if not _STATUS.available:
        pytest.skip(f"Tesseract not installed: {_STATUS.problem}")
    calls: list[int] = []
    doc = read_document(SCANNED, "skannad.pdf", on_ocr_pages=calls.append)
    return doc, calls


@pytest.fixture(scope="module")
def mixed():
    if not _STATUS.available:
        pytest.skip(f"Tesseract not installed: {_STATUS.problem}")
    return read_document(MIXED, "blandad.pdf")


# ---------------------------------------------------------------------------
# A scanned protocol
# ---------------------------------------------------------------------------


@needs_tesseract
def test_scanned_words_come_back(scanned):
    doc, calls = scanned
    assert calls == [2]  # the isolation layer is told before OCR starts
    words = doc.text.split()
    assert error_rate(truth_words("scanned_minutes"), words) <= 0.03
    for word in ("Skolgårdsbelysningen", "Kvarnbacksskolan", "Åström", "epa-traktorer", "säkerhetssamordnaren"):
        assert word in words
    # the page numbers were furniture, removed as in any PDF
    assert "Sida 1 av 2" not in doc.text
    assert [p["text"] for p in doc.front_matter["page_furniture"]] == ["Sida 1 av 2", "Sida 2 av 2"]
    # the text is split into pages at the right place
    assert doc.text[doc.pages[1].start:].startswith("§ 4 Klotter vid Kvarnbacksskolan")


@needs_tesseract
def test_scanned_items_and_metadata_are_found(scanned):
    doc, _ = scanned
    items = segment(doc)
    headings = [line for page in TRUTH["scanned_minutes"]["pages"] for line in page if line.startswith("§ ")]
    assert [f"{i.number} {i.title}" for i in items] == headings
    assert [i.pages for i in items] == [[1], [1], [1], [2], [2], [2]]
    assert items[3].text.startswith("Fastighetsavdelningen meddelade att klottret på skolans gavel")
    meta = extract_metadata(doc)
    assert meta.date.isoformat() == "2021-09-15"
    assert meta.municipality == "Hallstahammar"
    assert "Anna Öberg" in [p.name for p in meta.participants]


@needs_tesseract
def test_scanned_text_is_marked_as_ocr_with_its_confidence(scanned):
    doc, _ = scanned
    mark = doc.front_matter["ocr"]
    assert mark["pages"] == [1, 2] and mark["not_read"] == []
    assert mark["engine"] == f"tesseract {_STATUS.version}" and mark["language"] == "swe" and mark["dpi"] == 300
    pages = mark["page_confidence"]
    assert [p["page"] for p in pages] == [1, 2]
    # the document's confidence is the mean over all words: the page means weighted by words
    weighted = sum(p["confidence"] * p["words"] for p in pages) / sum(p["words"] for p in pages)
    assert mark["confidence"] == pytest.approx(weighted, abs=2e-4)
    assert 0.8 < mark["confidence"] <= 1.0  # a clean 200 dpi scan
    assert sum(p["words"] for p in pages) == pytest.approx(len(truth_words("scanned_minutes", furniture=True)), abs=3)
    note = next(w for w in doc.warnings if w.startswith("OCR-text"))
    assert "sidorna 1 och 2" in note and f"säkerhet {round(100 * mark['confidence'])} %" in note


@needs_tesseract
def test_item_headings_are_bold_as_drawn(scanned):
    doc, _ = scanned
    bold = [h.text for h in doc.headings if h.source == "bold"]
    drawn = [line for page in TRUTH["scanned_minutes"]["pages"] for line in page
             if line.startswith("§ ") or line in ("Hallstahammars kommun", "PROTOKOLL", "Trygghetsrådet")]
    assert bold == drawn


# ---------------------------------------------------------------------------
# A mixed file: only the scanned page is OCR'd
# ---------------------------------------------------------------------------


@needs_tesseract
def test_mixed_pdf_ocrs_only_the_page_without_text(mixed):
    doc = mixed
    assert doc.front_matter["ocr"]["pages"] == [2]
    page1 = doc.text[doc.pages[0].start:doc.pages[0].end]
    page2 = doc.text[doc.pages[1].start:doc.pages[1].end]
    # page 1 is the text layer exactly: OCR would have read the en dash as a hyphen
    assert "kl. 13.00–15.30" in page1
    assert page1.split() == truth_words("mixed_minutes", [1])
    assert error_rate(truth_words("mixed_minutes", [2]), page2.split()) <= 0.03
    assert [f"{i.number} {i.title}" for i in segment(doc)] == [
        line for page in TRUTH["mixed_minutes"]["pages"] for line in page if line.startswith("§ ")
    ]
    assert any(w.startswith("OCR-text: sida 2 ") for w in doc.warnings)


# ---------------------------------------------------------------------------
# OCR unavailable or off: a clear message per file, never a traceback
# ---------------------------------------------------------------------------


def test_missing_tesseract_is_reported_per_file(tmp_path):
    settings = Settings(archive_dir=tmp_path / "a", ocr_command=str(tmp_path / "saknas" / "tesseract"),
                        ingest_workers=1)
    files = [(SCANNED, "skannad.pdf"), (MIXED, "blandad.pdf"), (PDF_FIXTURES / "margin.pdf", "marginal.pdf")]
    out = {o.source: o for o in parse_files(files, settings)}
    scan = out["skannad.pdf"]
    assert scan.status == "failed" and scan.reason == "needs_ocr" and scan.detail is None
    assert "scanned_minutes.pdf" in scan.error.message  # the reader names the file
    assert "Installera tesseract-ocr och tesseract-ocr-swe" in scan.error.message
    # the mixed file keeps its text page and says why page 2 is missing
    mixed = out["blandad.pdf"]
    assert mixed.status == "parsed"
    assert [i.number for i in mixed.items] == ["§ 1", "§ 2", "§ 3"]
    assert mixed.document.front_matter["ocr"]["not_read"] == [2]
    assert mixed.document.front_matter["ocr"]["pages"] == []
    assert any("Sida 2" in w and "tesseract-ocr-swe" in w for w in mixed.document.warnings)
    assert out["marginal.pdf"].status == "parsed" and "ocr" not in out["marginal.pdf"].document.front_matter


def test_mode_on_refuses_a_mixed_file_without_tesseract(tmp_path):
    limits = ReadLimits.from_settings(Settings(ocr="on", ocr_command=str(tmp_path / "tesseract")))
    with pytest.raises(IngestError) as info:
        read_document(MIXED, "blandad.pdf", limits=limits)
    assert info.value.reason == "needs_ocr" and "tesseract-ocr-swe" in info.value.message


def test_ocr_off_refuses_scans_and_says_how_to_turn_it_on():
    limits = ReadLimits.from_settings(Settings(ocr="off"))
    with pytest.raises(IngestError) as info:
        read_document(SCANNED, "skannad.pdf", limits=limits)
    assert info.value.reason == "needs_ocr" and "RADSLAG_OCR" in info.value.message
    doc = read_document(MIXED, "blandad.pdf", limits=limits)
    assert "ocr" not in doc.front_matter
    assert any("Sida 2 saknar textlager" in w for w in doc.warnings)


@needs_tesseract
def test_missing_swedish_model_names_the_package(tmp_path, monkeypatch):
    # A tessdata folder holding only the English model.
    listed = re.search(r'"([^"]+)"', " ".join(_STATUS.languages) + " " + _tessdata_listing())
    assert listed, "tesseract --list-langs names its folder"
    english = Path(listed.group(1)) / "eng.traineddata"
    if not english.exists():
        pytest.skip(f"no English model at {english} to build a Swedish-less tessdata folder")
    folder = tmp_path / "tessdata"
    folder.mkdir()
    shutil.copy(english, folder / "eng.traineddata")
    monkeypatch.setenv("TESSDATA_PREFIX", str(folder))
    status = ocr.tesseract_status(ocr.OcrOptions())
    assert not status.available and status.missing == ("swe",)
    with pytest.raises(IngestError) as info:
        read_document(SCANNED, "skannad.pdf")
    assert info.value.reason == "needs_ocr"
    assert "Installera tesseract-ocr och tesseract-ocr-swe" in info.value.message


def _tessdata_listing() -> str:
    import subprocess

    done = subprocess.run([_STATUS.command, "--list-langs"], capture_output=True, text=True, timeout=30)
    return done.stdout + done.stderr


def test_item_mark_covers_only_ocr_pages_weighted_by_words():
    front = {"ocr": {"pages": [2, 3], "engine": "tesseract 5.3.0", "page_confidence": [
        {"page": 2, "confidence": 0.9, "words": 300}, {"page": 3, "confidence": 0.6, "words": 100}]}}
    assert ocr.item_ocr_mark(front, [1]) is None  # a text-layer page
    assert ocr.item_ocr_mark({}, [2]) is None
    assert ocr.item_ocr_mark(front, [2]) == {"pages": [2], "confidence": 0.9, "engine": "tesseract 5.3.0"}
    assert ocr.item_ocr_mark(front, [1, 2, 3]) == {"pages": [2, 3], "confidence": 0.825,
                                                   "engine": "tesseract 5.3.0"}


@needs_tesseract
def test_item_marks_of_the_mixed_file(mixed):
    marks = [ocr.item_ocr_mark(mixed.front_matter, item.pages) for item in segment(mixed)]
    assert [m is not None for m in marks] == [False, False, False, True, True, True]
    assert marks[3]["confidence"] == mixed.front_matter["ocr"]["confidence"]


def test_status_of_a_missing_program_is_plain_data(tmp_path):
    status = ocr.tesseract_status(ocr.OcrOptions(command=str(tmp_path / "tesseract")))
    assert status.to_json() == {"available": False, "engine": None, "command": None, "languages": [],
                                "missing": [], "problem": status.problem}
    assert "Installera tesseract-ocr och tesseract-ocr-swe" in status.problem


def test_settings_reach_the_options():
    options = ocr.OcrOptions.from_settings(
        Settings(ocr="nej", ocr_language="swe+eng", ocr_dpi=5000, ocr_page_timeout_s=7, ocr_command="/x/t")
    )
    assert options == ocr.OcrOptions(mode="off", language="swe+eng", dpi=600, page_timeout_s=7.0, command="/x/t")
    assert ocr.OcrOptions.from_settings(Settings(ocr="kanske")).mode == "auto"
    assert ReadLimits.from_settings(Settings(ocr="on")).ocr.mode == "on"
    assert ocr.install_hint(("swe", "eng")) == (
        "Installera tesseract-ocr och tesseract-ocr-swe (apt-get install tesseract-ocr tesseract-ocr-swe)"
    )


def test_environment_sets_ocr(monkeypatch):
    monkeypatch.setenv("RADSLAG_OCR", "off")
    monkeypatch.setenv("RADSLAG_OCR_PAGE_TIMEOUT", "12.5")
    monkeypatch.setenv("RADSLAG_TESSERACT", "/opt/tesseract")
    settings = load_settings()
    assert (settings.ocr, settings.ocr_page_timeout_s, settings.ocr_command) == ("off", 12.5, "/opt/tesseract")


# ---------------------------------------------------------------------------
# The time limit counts OCR'd pages
# ---------------------------------------------------------------------------


@needs_tesseract
def test_ocr_pages_extend_the_file_time_limit(tmp_path):
    # One second per file and nothing per page is far too little for a page of
    # OCR; the OCR budget per page is what lets the file through.
    base = dict(archive_dir=tmp_path / "a", ingest_workers=1, file_timeout_s=1.0, page_timeout_s=0.0)
    ok = list(parse_files([(MIXED, "blandad.pdf")], Settings(**base, ocr_page_timeout_s=120.0)))
    assert ok[0].status == "parsed", ok[0].error
    assert ok[0].document.front_matter["ocr"]["pages"] == [2]
    assert ok[0].seconds > 1.0  # it did run past the plain file limit
    plain = list(parse_files([(MIXED, "blandad.pdf")], Settings(**base, ocr="off")))
    assert plain[0].status == "parsed"  # without OCR the same limit is plenty
    assert "ocr" not in plain[0].document.front_matter


# ---------------------------------------------------------------------------
# Pieces without Tesseract: hOCR geometry, the paragraph sign, bold, page choice
# ---------------------------------------------------------------------------

HOCR = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
    "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
 <body>
  <div class='ocr_page' id='page_1' title='bbox 0 0 1000 1400'>
   <p class='ocr_par'>
    <span class='ocr_line' id='line_1_1' title="bbox 100 100 500 140; baseline 0 -8; x_size 40; x_descenders 8; x_ascenders 10">
     <span class='ocrx_word' title='bbox 100 104 116 132; x_wconf 91'>&amp;</span>
     <span class='ocrx_word' title='bbox 130 104 150 132; x_wconf 90'>3</span>
     <span class='ocrx_word' title='bbox 165 100 400 140; x_wconf 95'>Motorburen</span>
     <span class='ocrx_word' title='bbox 410 110 420 120; x_wconf 4'>~</span>
    </span>
    <span class='ocr_line' id='line_1_2' title="bbox 100 160 520 196; baseline 0.01 -6; x_size 37; x_descenders 7; x_ascenders 9">
     <span class='ocrx_word' title='bbox 100 160 180 190; x_wconf 80'>Bygg</span>
     <span class='ocrx_word' title='bbox 190 162 205 190; x_wconf 70'>&amp;</span>
     <span class='ocrx_word' title='bbox 215 160 300 190; x_wconf 85'>Miljö</span>
     <span class='ocrx_word' title='bbox 310 160 330 190; x_wconf 85'>18</span>
     <span class='ocrx_word' title='bbox 340 160 400 190; x_wconf 85'>500</span>
    </span>
    <span class='ocr_header' id='line_1_3' title="bbox 100 220 520 290; baseline 0 -10; x_size 70; x_descenders 12; x_ascenders 16">
     <span class='ocrx_word' title='bbox 100 220 300 280; x_wconf 60'>PROTOKOLL</span>
    </span>
   </p>
  </div>
 </body>
</html>"""


def test_hocr_words_get_line_geometry_and_confidence():
    words = ocr.parse_hocr(HOCR)
    assert [w.text for w in words] == ["§", "3", "Motorburen", "Bygg", "&", "Miljö", "18", "500", "PROTOKOLL"]
    first, second = words[:3], words[3:8]
    # every word of a line shares the line's extent, from its baseline (140 - 8 = 132)
    assert {(w.top, w.bottom) for w in first} == {(first[0].top, first[0].bottom)}
    em = 40 / 1.08  # row heights 40 and 37 are within 20 % of their median: one body size
    assert first[0].bottom == pytest.approx(132 + 0.24 * em)
    assert first[0].top == pytest.approx(132 - 0.93 * em)
    assert [w.size for w in first + second] == pytest.approx([em] * 8)
    # the sloped baseline is taken at the middle of the line: 196 - 6 + 0.01 * 210
    assert second[0].bottom == pytest.approx(196 - 6 + 0.01 * 210 + 0.24 * em)
    assert words[-1].size == pytest.approx(70 / 1.08)  # a heading far above the body size keeps its own
    assert [w.confidence for w in first] == [0.91, 0.90, 0.95]  # the 4 % speck is dropped
    assert [w.line for w in words] == [0, 0, 0, 1, 1, 1, 1, 1, 2]
    assert (first[2].x0, first[2].x1) == (165, 400)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("& 3 Motorburen ungdom", "§ 3 Motorburen ungdom"),
        ("8 5 Trygghetsvandring i Eriksberg", "§ 5 Trygghetsvandring i Eriksberg"),
        ("$12 Övrigt", "§12 Övrigt"),
        ("enligt & 5 i reglementet", "enligt § 5 i reglementet"),
        ("Bygg & Miljö", "Bygg & Miljö"),
        ("8 5 kronor per styck", "8 5 kronor per styck"),  # not a heading: no capital after the number
        ("kostade 8 500 kronor", "kostade 8 500 kronor"),  # "8" mid-line is a digit
        ("S 4 Klotter", "§ 4 Klotter"),
    ],
)
def test_paragraph_sign_misreadings_are_put_right(line, expected):
    words = [(w, [0.0, 0.0, 1.0, 1.0], 0.9) for w in line.split()]
    assert " ".join(w for w, _, _ in ocr._paragraph_signs(words)) == expected


def _font(bold: bool, px: int) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu"):
        if Path(folder, name).exists():
            return ImageFont.truetype(str(Path(folder, name)), px)
    pytest.skip(f"DejaVu font {name} not installed (fonts-dejavu-core)")


def test_bold_lines_are_told_from_stroke_width():
    lines = [("§ 1 Mötets öppnande", True), ("Ordföranden hälsade alla välkomna.", False),
             ("Rådet beslutade att utse en justerare.", False), ("§ 2 Klotter", True),
             ("Klottret på gaveln har sanerats i veckan.", False), ("Nästa möte hålls i november.", False)]
    px = 40
    image = Image.new("L", (1400, 80 * len(lines) + 40), 250)
    draw = ImageDraw.Draw(image)
    words: list[ocr.OcrWord] = []
    for index, (text, bold) in enumerate(lines):
        font = _font(bold, px)
        y = 40 + 80 * index
        x = 40.0
        for word in text.split():
            left, _, right, _ = draw.textbbox((x, y), word, font=font)
            draw.text((x, y), word, font=font, fill=15)
            words.append(ocr.OcrWord(word, left, right, y, y + 1.17 * px, px, 0.9, index))
            x = right + 0.3 * px
    ocr.mark_bold(words, image)
    assert [next(w.bold for w in words if w.line == i) for i in range(len(lines))] == [b for _, b in lines]
    # a page set all in one weight has no bold lines
    for w in words:
        w.bold = False
    flat = Image.new("L", image.size, 250)
    ocr.mark_bold([w for w in words if not lines[w.line][1]], flat)
    assert not any(w.bold for w in words)


def _page(number: int, text: str, images: int) -> SimpleNamespace:
    return SimpleNamespace(number=number, words=[SimpleNamespace(text=t) for t in text.split()], images=images,
                           width=595.0, height=842.0)


def test_pages_needing_ocr_are_those_showing_an_image_without_text():
    full = _page(1, "Rådet beslutade att frågan följs upp vid nästa sammanträde i november", 0)
    scan = _page(2, "", 1)
    stamp = _page(3, "Sida 3", 1)  # a page number stamped on a scan is not a text layer
    figure = _page(4, "Rådet beslutade att frågan följs upp vid nästa sammanträde i november", 2)
    blank = _page(5, "", 0)
    assert [ocr.page_needs_ocr(p) for p in (full, scan, stamp, figure, blank)] == [False, True, True, False, False]
    # without any text layer in the document every page is read (text drawn as outlines has no image)
    assert ocr.page_needs_ocr(blank, document_has_text=False)
    # a few words beside a small image (a title and a logo on a cover page) are the page's own text
    cover = _page(6, "Penningpolitiskt protokoll februari 2019", 3)
    assert not ocr.page_needs_ocr(cover, coverage=0.16)
    assert ocr.page_needs_ocr(stamp, coverage=0.95)
    assert ocr.page_needs_ocr(scan, coverage=0.0)  # no text layer at all: any image is read


def test_image_coverage_of_the_fixtures():
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(MIXED.read_bytes())
    try:
        assert [round(ocr.image_coverage(pdf, i), 2) for i in range(len(pdf))] == [0.0, 1.0]
    finally:
        pdf.close()


def test_run_ocr_asks_for_nothing_when_no_page_is_scanned():
    pages = [_page(1, "Rådet beslutade att frågan följs upp vid nästa sammanträde i november", 0)]
    assert ocr.run_ocr(None, pages, "x.pdf", ocr.OcrOptions(command="/saknas/tesseract")) is None


# ---------------------------------------------------------------------------
# End to end: a scanned protocol is searchable
# ---------------------------------------------------------------------------


@needs_tesseract
def test_scanned_protocol_is_ingested_and_found_by_keyword_search(tmp_path):
    from index.search import search
    from index.store import Archive
    from ingest.pipeline import ingest_paths

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SCANNED, folder / "skannat-protokoll.pdf")
    settings = load_settings(archive_dir=tmp_path / "arkiv", embed=False, enrich=False)
    report = ingest_paths([str(folder)], settings)
    assert [f.status for f in report.files] == ["ingested"], report.files
    with Archive(settings.db_path) as archive:
        (meeting,) = archive.meetings()
        assert meeting.date == "2021-09-15" and meeting.item_count == 6
        assert any(w.startswith("OCR-text") and "säkerhet" in w for w in meeting.warnings)
        hits = search(archive, "skolgårdsbelysningen", settings=settings, k=5, mode="keyword").hits
        assert hits and hits[0].item_title == "Klotter vid Kvarnbacksskolan"
        assert hits[0].item_number == "§ 4"
        hits = search(archive, "epa-traktorer", settings=settings, k=5, mode="keyword").hits
        assert hits and hits[0].item_title == "Motorburen ungdom i centrum"
