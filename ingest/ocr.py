"""OCR of scanned PDF pages with Tesseract.

Older minutes are scans: pages that are pictures of paper, without a text
layer. This module reads such pages:

* :func:`page_needs_ocr` picks the pages: an image and (almost) no text
  layer, or any page of a document that has no text layer at all. Pages with
  text are never OCR'd, so a born-digital protocol with a scanned appendix
  has only the appendix read by OCR.
* :func:`ocr_pdf_page` renders one page with PDFium (``pypdfium2``) at
  :attr:`OcrOptions.dpi` and has the ``tesseract`` command read it (one
  process per page, with its own time limit, Swedish model by default). The
  hOCR output gives every word's box and confidence and every line's
  baseline and size, so the words come back in PDF points like the words of
  a text layer, and the PDF reader's own stages (rows, running headers and
  page numbers, margins, paragraphs, hyphenation) assemble them.
* :func:`run_ocr` does this for a whole document and returns an
  :class:`OcrRun`: the words per page, the mean word confidence per page
  and per document, and what goes into ``Document.front_matter["ocr"]`` and
  ``Document.warnings``.
* :func:`tesseract_status` says whether Tesseract and the language models
  are installed, and what to install when they are not. A missing
  Tesseract is never a traceback: a scanned file is refused with reason
  ``needs_ocr`` and a message naming the packages.

The module reads images and runs a command; it knows nothing of the PDF
reader's records (the reader turns :class:`OcrWord` into its own words).
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from PIL import Image, ImageChops

from ingest.wordbox import WordBox
from radslag.errors import IngestError

__all__ = [
    "OCR_MODES",
    "OcrOptions",
    "OcrStatus",
    "OcrWord",
    "OcrPage",
    "OcrRun",
    "tesseract_status",
    "page_needs_ocr",
    "image_coverage",
    "parse_hocr",
    "mark_bold",
    "pgm_bytes",
    "ocr_image",
    "ocr_pdf_page",
    "run_ocr",
    "item_ocr_mark",
    "install_hint",
    "not_available_message",
    "no_text_message",
]

#: ``auto``: OCR scanned pages when Tesseract is installed (a wholly scanned
#: file without it is refused with the install hint, a mixed file keeps its
#: text pages); ``on``: every file with a scanned page needs Tesseract;
#: ``off``: never OCR (scanned files are refused as before).
OCR_MODES = ("auto", "on", "off")

#: A page whose text layer holds fewer letters than this, and that shows an
#: image, is a scanned page (the PDF reader refuses a document below the same
#: count per page as "almost no text layer").
MIN_PAGE_LETTERS = 40
#: Share of a page its largest image must cover for a page with a few words
#: of text layer to be read as a scan (a scan fills the page; the logos on
#: the cover pages of corpus/real cover 16–19 %).
MIN_SCAN_COVERAGE = 0.5
#: Largest page bitmap handed to Tesseract (pixels): A4 at 300 dpi is 8.7
#: million; a poster-sized page is rendered at a lower resolution instead of
#: exhausting the worker's memory.
MAX_PIXELS = 25_000_000
#: Words Tesseract itself gives a confidence below this are noise (specks,
#: stamps, signatures read as letters) and are left out.
MIN_WORD_CONFIDENCE = 0.10
#: Below this mean confidence a page's text is flagged as unreliable.
LOW_CONFIDENCE = 0.60
#: hOCR classes of a line (tesseract 4/5 marks headings and captions apart).
_LINE_CLASSES = frozenset({"ocr_line", "ocr_header", "ocr_caption", "ocr_textfloat"})
#: Row height (x_size: ascenders to descenders) per em of the font.
_ROW_PER_EM = 1.08
#: A line whose row height is within this share of the page's typical row
#: height is set in the body size (Tesseract's estimate varies by a few
#: pixels with the letters a line happens to hold; the layout stage reads a
#: size change as a paragraph break).
_SIZE_SNAP = 0.2
#: Ascent and descent per em, the box a text layer gives a word.
_ASCENT, _DESCENT = 0.93, 0.24
_VERSION = re.compile(r"tesseract\s+v?(\d+(?:\.\d+)*)", re.IGNORECASE)
_CHECK_TIMEOUT_S = 20.0


# ---------------------------------------------------------------------------
# Options and availability
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OcrOptions:
    """How scanned pages are read (see :class:`radslag.config.Settings`).

    Attributes:
        mode: ``auto``, ``on`` or ``off`` (:data:`OCR_MODES`).
        language: Tesseract language models joined by ``+`` (``swe``:
            Swedish). Adding ``eng`` reads "§" better but lets the English
            model take whole lines, which then lose å, ä and ö; the Swedish
            model's "&"/"8" for "§" is put right afterwards instead
            (:func:`_paragraph_signs`).
        dpi: Resolution pages are rendered at for OCR.
        page_timeout_s: Seconds Tesseract may take for one page; the worker's
            time limit grows by as much per OCR'd page.
        command: The Tesseract program (a name on ``PATH`` or a path).
    """

    mode: str = "auto"
    language: str = "swe"
    dpi: int = 300
    page_timeout_s: float = 60.0
    command: str = "tesseract"

    @classmethod
    def from_settings(cls, settings: Any) -> "OcrOptions":
        """Options from :class:`radslag.config.Settings` (an unknown mode counts as ``auto``)."""
        mode = str(getattr(settings, "ocr", "auto")).strip().lower()
        mode = {"1": "on", "true": "on", "yes": "on", "ja": "on", "0": "off", "false": "off", "no": "off",
                "nej": "off"}.get(mode, mode)
        return cls(
            mode=mode if mode in OCR_MODES else "auto",
            language=str(getattr(settings, "ocr_language", cls.language)) or cls.language,
            dpi=max(72, min(600, int(getattr(settings, "ocr_dpi", cls.dpi)))),
            page_timeout_s=float(getattr(settings, "ocr_page_timeout_s", cls.page_timeout_s)),
            command=str(getattr(settings, "ocr_command", cls.command)) or cls.command,
        )

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(part for part in self.language.split("+") if part)


@dataclass(frozen=True)
class OcrStatus:
    """Whether OCR can run, and what is missing when it cannot.

    Attributes:
        available: Tesseract runs and has every language model asked for.
        command: The resolved program path (None when not found).
        version: Tesseract's version ("5.3.0"), when it runs.
        languages: Installed language models.
        missing: Asked-for language models that are not installed.
        problem: Why OCR is unavailable, Swedish then English (None when available).
    """

    available: bool
    command: str | None = None
    version: str | None = None
    languages: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    problem: str | None = None

    @property
    def engine(self) -> str:
        """``tesseract 5.3.0`` (what ``front_matter["ocr"]["engine"]`` records)."""
        return f"tesseract {self.version}" if self.version else "tesseract"

    def to_json(self) -> dict[str, Any]:
        """For ``radslag models --json``: availability, engine, program, languages, what is missing and why."""
        return {
            "available": self.available,
            "engine": self.engine if self.version else None,
            "command": self.command,
            "languages": list(self.languages),
            "missing": list(self.missing),
            "problem": self.problem,
        }


def _packages(languages: Sequence[str]) -> list[str]:
    # English ships with Debian's tesseract-ocr itself; every other language is a package of its own.
    return ["tesseract-ocr"] + [f"tesseract-ocr-{lang}" for lang in languages if lang != "eng"]


def install_hint(languages: Sequence[str] = ("swe",)) -> str:
    """The packages to install, as a Swedish sentence ("Installera tesseract-ocr och tesseract-ocr-swe (apt-get …)")."""
    packages = _packages(languages)
    names = packages[0] if len(packages) == 1 else ", ".join(packages[:-1]) + " och " + packages[-1]
    return f"Installera {names} (apt-get install {' '.join(packages)})"


def tesseract_status(options: OcrOptions | None = None) -> OcrStatus:
    """Find Tesseract and its language models.

    Not cached: it costs two short runs of the program, against seconds of
    OCR per page, and it sees a model installed since the last file.

    Args:
        options: OCR options (the program and the languages asked for).

    Returns:
        The status; never raises.
    """
    options = options or OcrOptions()
    languages = options.languages
    install = f"install {' '.join(_packages(languages))}"
    path = shutil.which(options.command)
    if path is None:
        return OcrStatus(
            False,
            problem=(f"Tesseract saknas (programmet {options.command!r} hittades inte). {install_hint(languages)} "
                     f"(Tesseract OCR is not installed: {install})"),
        )
    try:
        ver = subprocess.run([path, "--version"], capture_output=True, timeout=_CHECK_TIMEOUT_S, env=_env())
        listed = subprocess.run([path, "--list-langs"], capture_output=True, timeout=_CHECK_TIMEOUT_S, env=_env())
    except (OSError, subprocess.SubprocessError) as exc:
        return OcrStatus(False, path, problem=(f"Tesseract ({path}) går inte att köra: {exc}. "
                                               f"{install_hint(languages)} (Tesseract cannot be run: {install})"))
    text = (ver.stdout + ver.stderr).decode("utf-8", "replace")
    m = _VERSION.search(text)
    version = m.group(1) if m else None
    out = (listed.stdout + listed.stderr).decode("utf-8", "replace").splitlines()
    installed = tuple(sorted({ln.strip() for ln in out if ln.strip() and not ln.lower().startswith(("list of", "error"))
                              and " " not in ln.strip()}))
    missing = tuple(lang for lang in languages if lang not in installed)
    if missing:
        names = ", ".join(missing)
        return OcrStatus(
            False, path, version, installed, missing,
            problem=(f"Tesseracts språkmodell saknas: {names}. {install_hint(missing)} "
                     f"(Tesseract language model missing: {names}; install {' '.join(_packages(missing))})"),
        )
    return OcrStatus(True, path, version, installed)


def not_available_message(name: str, options: OcrOptions, status: OcrStatus | None = None) -> str:
    """The ``needs_ocr`` message for a scanned file that cannot be OCR'd here."""
    head = f"Skannad PDF utan textlager – OCR behövs: {name}."
    if options.mode == "off":
        return (f"{head} OCR är avstängt (RADSLAG_OCR=off); sätt RADSLAG_OCR=auto och läs in filen igen "
                "(scanned PDF without text layer: OCR is turned off)")
    problem = status.problem if status is not None and status.problem else install_hint(options.languages)
    return f"{head} {problem}; läs sedan in filen igen (scanned PDF without text layer: OCR needed)"


def no_text_message(name: str, run: "OcrRun") -> str:
    """The ``needs_ocr`` message when OCR ran but found no readable text."""
    failed = [p.error for p in run.pages.values() if p.error]
    why = f" ({failed[0]})" if failed and len(failed) == len(run.pages) else ""
    return (f"Skannad PDF: OCR ({run.status.engine}, {run.options.language}) hittade ingen läsbar text "
            f"i {name}{why} – kontrollera skanningen, eller skanna om med högre upplösning "
            "(scanned PDF: OCR found no readable text)")


# ---------------------------------------------------------------------------
# Reading one image
# ---------------------------------------------------------------------------


@dataclass(slots=True)
class OcrWord(WordBox):
    """A word read by OCR, in the coordinates of the image or page it came from.

    Attributes (besides the box of :class:`~ingest.wordbox.WordBox`):
        confidence: Tesseract's word confidence, 0–1.
        line: Index of the line Tesseract put the word on (within its page).
        bold: Whether the word's line is set in a heavier weight than the
            page's body text (:func:`mark_bold`).
    """

    confidence: float
    line: int = 0
    bold: bool = False


@dataclass
class OcrPage:
    """One page read by OCR.

    Attributes:
        number: Page number (1-based).
        words: The words, in PDF points (origin top left).
        seconds: Rendering and recognition time.
        dpi: Resolution the page was read at.
        error: Why the page could not be read (None when it was).
    """

    number: int
    words: list[OcrWord] = field(default_factory=list)
    seconds: float = 0.0
    dpi: float = 0.0
    error: str | None = None

    @property
    def confidence(self) -> float | None:
        """Mean word confidence (0–1), None without words."""
        if not self.words:
            return None
        return sum(w.confidence for w in self.words) / len(self.words)


def _floats(title: str, key: str) -> list[float]:
    for part in title.split(";"):
        bits = part.split()
        if bits and bits[0] == key:
            try:
                return [float(b) for b in bits[1:]]
            except ValueError:
                return []
    return []


def parse_hocr(hocr: str | bytes) -> list[OcrWord]:
    """Words from Tesseract's hOCR output, in pixels.

    Every word of a line gets the line's vertical extent, computed from its
    baseline and row height, so that the words of one line form one row
    whatever letters they hold; a row height close to the page's typical one
    is set to it (see :data:`_SIZE_SNAP`).

    Args:
        hocr: The hOCR document (XHTML).

    Returns:
        Words in reading order; empty words and words below
        :data:`MIN_WORD_CONFIDENCE` left out.
    """
    root = ET.fromstring(hocr.encode("utf-8") if isinstance(hocr, str) else hocr)
    lines: list[tuple[list[float], list[float], float, list[tuple[str, list[float], float]]]] = []
    for elem in root.iter():
        if (elem.get("class") or "") not in _LINE_CLASSES:
            continue
        title = elem.get("title") or ""
        bbox = _floats(title, "bbox")
        if len(bbox) != 4:
            continue
        words: list[tuple[str, list[float], float]] = []
        for child in elem.iter():
            if (child.get("class") or "") != "ocrx_word":
                continue
            text = " ".join("".join(child.itertext()).split())
            wtitle = child.get("title") or ""
            wbox = _floats(wtitle, "bbox")
            conf = _floats(wtitle, "x_wconf")
            confidence = (conf[0] / 100.0) if conf else 0.0
            if text and len(wbox) == 4 and confidence >= MIN_WORD_CONFIDENCE:
                words.append((text, wbox, confidence))
        if words:
            size = _floats(title, "x_size")
            row = size[0] if size and size[0] > 0 else bbox[3] - bbox[1]
            lines.append((bbox, _floats(title, "baseline"), row, words))
    if not lines:
        return []
    typical = statistics.median(row for _, _, row, _ in lines)
    out: list[OcrWord] = []
    for index, (bbox, baseline, row, words) in enumerate(lines):
        words = _paragraph_signs(words)
        if abs(row - typical) <= _SIZE_SNAP * typical:
            row = typical
        em = row / _ROW_PER_EM
        # hOCR baseline: slope and offset from the line box's bottom left corner.
        slope, offset = (baseline + [0.0, 0.0])[:2] if baseline else (0.0, 0.0)
        base = bbox[3] + offset + slope * (bbox[2] - bbox[0]) / 2
        top, bottom = base - _ASCENT * em, base + _DESCENT * em
        for text, wbox, confidence in words:
            out.append(OcrWord(text, wbox[0], wbox[2], top, bottom, em, confidence, index))
    return out


#: A line is bold when its strokes, measured in ems, are this much thicker
#: than the page's typical line (DejaVu Sans Bold against Regular: about 1.6).
BOLD_RATIO = 1.3
#: Lines a page needs before its typical stroke width is trusted.
_BOLD_MIN_LINES = 4


def mark_bold(words: list[OcrWord], image: Image.Image) -> None:
    """Mark the words of lines set heavier than the page's body text as bold.

    Tesseract's LSTM engine reports no font weight, yet minutes set item
    headings in bold and the layout stage uses weight for headings and
    paragraph breaks. The weight is measured on the page itself: the mean
    length of horizontal runs of ink (the width of vertical strokes) per
    line, divided by the line's em, against the median line of the page.

    Args:
        words: Words in pixel coordinates (from :func:`parse_hocr`), changed in place.
        image: The grey-scale page image (mode ``L``, 0 = black).
    """
    lines: dict[int, list[OcrWord]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    if len(lines) < _BOLD_MIN_LINES:
        return
    light, dark = _quantile(image, 0.5), _quantile(image, 0.005)
    if light - dark < 40:  # no contrast to speak of
        return
    threshold = (light + dark) / 2
    ink = image.point([255 if v < threshold else 0 for v in range(256)])
    # 255 where a run of ink starts: ink here, none in the pixel to the left.
    starts = ImageChops.subtract(ink, ImageChops.offset(ink, 1, 0))
    width, height = image.size
    strokes: dict[int, float] = {}
    for index, line in lines.items():
        dark_px = runs = 0
        for word in line:
            box = (max(0, int(word.x0)), max(0, int(word.top)), min(width, int(word.x1) + 1),
                   min(height, int(word.bottom) + 1))
            if box[2] - box[0] < 2 or box[3] - box[1] < 2:
                continue
            dark_px += ink.crop(box).histogram()[255]
            runs += starts.crop(box).histogram()[255]
        if runs and line[0].size > 0:
            strokes[index] = dark_px / runs / line[0].size
    if len(strokes) < _BOLD_MIN_LINES:
        return
    typical = statistics.median(strokes.values())
    for index, stroke in strokes.items():
        if stroke >= BOLD_RATIO * typical:
            for word in lines[index]:
                word.bold = True


#: What Tesseract's Swedish model reads the paragraph sign "§" as: "&" and
#: "$" anywhere (neither stands alone before a number in Swedish minutes),
#: "8" and "S" only as the first word of a line before a number and a
#: capitalised word ("8 5 Trygghetsvandring": a numbered heading).
_SIGN_ANYWHERE = frozenset({"&", "$"})
_SIGN_LINE_START = frozenset({"8", "S", "&", "$"})
_ITEM_NUMBER = re.compile(r"^\d{1,4}[a-z]?[.:)]?$")
_GLUED_SIGN = re.compile(r"^[&$](\d{1,4}[a-z]?[.:)]?)$")


def _paragraph_signs(words: list[tuple[str, list[float], float]]) -> list[tuple[str, list[float], float]]:
    """Put back the paragraph signs the Swedish model misreads (see :data:`_SIGN_ANYWHERE`)."""
    out = list(words)
    for i, (text, box, conf) in enumerate(out):
        glued = _GLUED_SIGN.match(text)
        if glued:
            out[i] = ("§" + glued.group(1), box, conf)
            continue
        nxt = out[i + 1][0] if i + 1 < len(out) else ""
        if not _ITEM_NUMBER.match(nxt):
            continue
        after = out[i + 2][0] if i + 2 < len(out) else ""
        if text in _SIGN_ANYWHERE or (i == 0 and text in _SIGN_LINE_START and after[:1].isupper()):
            out[i] = ("§", box, conf)
    return out


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # One thread per page: workers already run one per core.
    env.setdefault("OMP_THREAD_LIMIT", "1")
    return env


@lru_cache(maxsize=1)
def _die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` that has Linux kill Tesseract when the worker that started it dies.

    The worker is killed when a file runs past its time limit; without this
    its Tesseract would run on. The C function is looked up here, in the
    parent, so the child between fork and exec only makes the call.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    kill = int(signal.SIGKILL)

    def preexec() -> None:  # pragma: no cover - runs in the child
        prctl(1, kill)  # PR_SET_PDEATHSIG

    return preexec


class OcrError(Exception):
    """Tesseract could not read a page (the message says why, in Swedish)."""


def ocr_image(pgm: bytes, dpi: float, options: OcrOptions, command: str | None = None) -> list[OcrWord]:
    """Read one grey-scale image with Tesseract.

    Args:
        pgm: The image as binary PGM (``P5``) bytes.
        dpi: Its resolution (Tesseract scales its size expectations by it).
        options: Language and time limit.
        command: The resolved program (defaults to ``options.command``).

    Returns:
        The words in pixels (:func:`parse_hocr`).

    Raises:
        OcrError: Tesseract failed, ran past ``options.page_timeout_s`` or
            wrote no hOCR.
    """
    args = [command or options.command, "stdin", "stdout", "-l", options.language, "--dpi", str(round(dpi)), "hocr"]
    try:
        done = subprocess.run(
            args,
            input=pgm,
            capture_output=True,
            timeout=options.page_timeout_s,
            env=_env(),
            preexec_fn=_die_with_parent(),
        )
    except subprocess.TimeoutExpired:
        raise OcrError(f"OCR tog mer än {options.page_timeout_s:g} s (RADSLAG_OCR_PAGE_TIMEOUT)") from None
    except OSError as exc:
        raise OcrError(f"Tesseract gick inte att starta: {exc}") from None
    if done.returncode != 0 or not done.stdout.strip():
        err = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrError(f"Tesseract misslyckades (status {done.returncode}): {(err[-1] if err else '')[:200]}")
    try:
        return parse_hocr(done.stdout)
    except ET.ParseError as exc:
        raise OcrError(f"Tesseracts hOCR gick inte att läsa: {exc}") from None


def _quantile(image: Image.Image, q: float) -> int:
    """The grey level below which a share ``q`` of the pixels lie."""
    hist = image.histogram()
    want = q * sum(hist)
    seen = 0
    for level, count in enumerate(hist):
        seen += count
        if seen > want:
            return level
    return 255


def _render(page: Any, width: float, height: float, dpi: float) -> tuple[Image.Image, float]:
    """Render a PDFium page in grey scale; return the image and the scale used (pixels per point)."""
    scale = dpi / 72.0
    if width * height * scale * scale > MAX_PIXELS:
        scale = (MAX_PIXELS / max(1.0, width * height)) ** 0.5
    bitmap = page.render(scale=scale, grayscale=True, may_draw_forms=True)
    try:
        image = bitmap.to_pil().convert("L")  # a copy: the bitmap's memory is freed below
    finally:
        bitmap.close()
    return image, scale


def pgm_bytes(image: Image.Image) -> bytes:
    """A grey-scale image as binary PGM, the simplest format Tesseract reads from a pipe."""
    image = image if image.mode == "L" else image.convert("L")
    return b"P5\n%d %d\n255\n" % image.size + image.tobytes()


def ocr_pdf_page(pdf: Any, index: int, width: float, height: float, options: OcrOptions,
                 command: str | None = None) -> OcrPage:
    """Render page ``index`` of an open PDFium document and read it with Tesseract.

    Args:
        pdf: The open ``pypdfium2.PdfDocument``.
        index: The page index (0-based).
        width: Page width in points as displayed.
        height: Page height in points as displayed.
        options: OCR options.
        command: The resolved Tesseract program.

    Returns:
        The page with its words in points (origin top left, like a text
        layer's); ``error`` set when Tesseract could not read it.
    """
    started = time.perf_counter()
    out = OcrPage(index + 1)
    page = pdf[index]
    try:
        image, scale = _render(page, width, height, options.dpi)
    finally:
        page.close()
    out.dpi = scale * 72.0
    try:
        words = ocr_image(pgm_bytes(image), out.dpi, options, command)
    except OcrError as exc:
        out.error = str(exc)
        words = []
    mark_bold(words, image)
    del image
    out.words = [OcrWord(w.text, w.x0 / scale, w.x1 / scale, w.top / scale, w.bottom / scale, w.size / scale,
                         w.confidence, w.line, w.bold) for w in words]
    out.seconds = time.perf_counter() - started
    return out


# ---------------------------------------------------------------------------
# A whole document
# ---------------------------------------------------------------------------


def _letters(page: Any) -> int:
    return sum(ch.isalpha() for w in page.words for ch in w.text)


def page_needs_ocr(page: Any, document_has_text: bool = True, coverage: float = 1.0) -> bool:
    """Whether a page is a scan to be read by OCR.

    A page is read when its text layer holds fewer than
    :data:`MIN_PAGE_LETTERS` letters and it shows an image: with no text
    layer at all any image will do; with a few words (a stamped page
    number, a file name printed over the scan) the image must cover
    :data:`MIN_SCAN_COVERAGE` of the page, so that a born-digital cover page
    (a title and a logo) keeps its own text.

    Args:
        page: A page with ``words`` (objects with ``text``) and ``images``
            (image objects counted on a page with little text), as the PDF
            reader extracts them.
        document_has_text: False when no page of the document has a text
            layer; then every page is read (text drawn as outlines has no
            image object).
        coverage: Share of the page covered by its largest image
            (:func:`image_coverage`).
    """
    if _letters(page) >= MIN_PAGE_LETTERS:
        return False
    if not document_has_text:
        return True
    if page.images <= 0:
        return False
    return not page.words or coverage >= MIN_SCAN_COVERAGE


def image_coverage(pdf: Any, index: int) -> float:
    """Share of page ``index``'s area covered by its largest image (0–1)."""
    import pypdfium2.raw as raw  # as in the PDF reader: PDFium is loaded when a PDF is read

    page = pdf[index]
    try:
        left, bottom, right, top = (float(v) for v in page.get_bbox())
        area = max(1e-6, (right - left) * (top - bottom))
        best = 0.0
        for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=1):
            x0, y0, x1, y1 = obj.get_bounds()
            width, height = min(x1, right) - max(x0, left), min(y1, top) - max(y0, bottom)
            if width > 0 and height > 0:
                best = max(best, width * height / area)
        return best
    finally:
        page.close()


@dataclass
class OcrRun:
    """OCR of one document's scanned pages.

    Attributes:
        options: The options used.
        status: Tesseract's status.
        needed: Page numbers that needed OCR.
        pages: The pages read (page number → result); empty when OCR could
            not run.
        seconds: Time spent on OCR.
    """

    options: OcrOptions
    status: OcrStatus
    needed: list[int]
    pages: dict[int, OcrPage] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def read_pages(self) -> list[int]:
        """Pages where OCR found words."""
        return sorted(n for n, p in self.pages.items() if p.words)

    @property
    def confidence(self) -> float | None:
        """Mean word confidence over every OCR'd word of the document (0–1)."""
        words = [w.confidence for p in self.pages.values() for w in p.words]
        return sum(words) / len(words) if words else None

    def front_matter(self) -> dict[str, Any]:
        """What the reader records in ``Document.front_matter["ocr"]``.

        ``pages``: pages whose text comes from OCR; ``confidence``: mean word
        confidence of the document, 0–1 (None without OCR text);
        ``page_confidence``: per OCR'd page ``{"page", "confidence",
        "words"}``; ``not_read``: pages that needed OCR but got no text
        (Tesseract missing, failed or found nothing); ``engine``,
        ``language``, ``dpi``, ``seconds``.
        """
        conf = self.confidence
        return {
            "pages": self.read_pages,
            "confidence": round(conf, 4) if conf is not None else None,
            "page_confidence": [
                {"page": n, "confidence": round(p.confidence or 0.0, 4), "words": len(p.words)}
                for n, p in sorted(self.pages.items()) if p.words
            ],
            "not_read": [n for n in self.needed if not (n in self.pages and self.pages[n].words)],
            "engine": self.status.engine if self.status.available else None,
            "language": self.options.language,
            "dpi": round(max((p.dpi for p in self.pages.values()), default=0.0)) or None,
            "seconds": round(self.seconds, 2),
        }

    def warnings(self) -> list[str]:
        """Notes for ``Document.warnings``: which pages are OCR text and how sure, which were not read."""
        out: list[str] = []
        read = self.read_pages
        if read:
            conf = self.confidence or 0.0
            out.append(
                f"OCR-text: {_pages_sv(read)} lästes med OCR ({self.status.engine}, {self.options.language}), "
                f"säkerhet {_percent(conf)} (OCR text: {len(read)} page(s), confidence {conf:.0%})"
            )
            for n in read:
                pconf = self.pages[n].confidence or 0.0
                if pconf < LOW_CONFIDENCE:
                    out.append(f"Osäker OCR-text på sida {n}: säkerhet {_percent(pconf)} – kontrollera mot "
                               f"originalet (low OCR confidence on page {n}: {pconf:.0%})")
        for n in self.needed:
            page = self.pages.get(n)
            if page is not None and page.words:
                continue
            if not self.status.available:
                why = self.status.problem or install_hint(self.options.languages)
                out.append(f"Sida {n} saknar textlager och lästes inte med OCR: {why} (page {n}: OCR not available)")
            elif page is not None and page.error:
                out.append(f"Sida {n} kunde inte läsas med OCR: {page.error} (page {n}: OCR failed)")
            else:
                out.append(f"Sida {n}: OCR hittade ingen text (page {n}: OCR found no text)")
        return out


def item_ocr_mark(front_matter: dict[str, Any], pages: Sequence[int]) -> dict[str, Any] | None:
    """How much of an agenda item is OCR text, from its document's ``front_matter["ocr"]``.

    Args:
        front_matter: The document's front matter (as stored).
        pages: The item's pages (``AgendaItem.pages``).

    Returns:
        None when none of the item's pages was read by OCR; else
        ``{"pages": [...], "confidence": 0.87, "engine": "tesseract 5.3.0"}``:
        the item's OCR'd pages and the mean word confidence over them
        (weighted by their words).
    """
    mark = front_matter.get("ocr") if isinstance(front_matter, dict) else None
    if not isinstance(mark, dict):
        return None
    wanted = set(pages)
    rows = [r for r in mark.get("page_confidence") or [] if r.get("page") in wanted and r.get("words")]
    if not rows:
        return None
    words = sum(r["words"] for r in rows)
    return {
        "pages": sorted(r["page"] for r in rows),
        "confidence": round(sum(r["confidence"] * r["words"] for r in rows) / words, 4),
        "engine": mark.get("engine"),
    }


def _percent(share: float) -> str:
    """A share as Swedish writes a percentage: "87 %"."""
    return f"{round(100 * share)} %"


def _pages_sv(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"sida {numbers[0]}"
    return "sidorna " + ", ".join(str(n) for n in numbers[:-1]) + f" och {numbers[-1]}"


def run_ocr(
    pdf: Any,
    pages: Sequence[Any],
    name: str,
    options: OcrOptions,
    on_pages: Callable[[int], None] | None = None,
) -> OcrRun | None:
    """OCR the scanned pages of an open PDF.

    Args:
        pdf: The open ``pypdfium2.PdfDocument``.
        pages: Its pages as the PDF reader extracted them (``number``,
            ``width``, ``height``, ``words``, ``images``).
        name: File name for messages.
        options: OCR options.
        on_pages: Called with the number of pages about to be OCR'd, before
            the first (the isolation layer extends the file's time limit).

    Returns:
        None when no page needs OCR or OCR is off; else the run (with no
        pages read when Tesseract is unavailable and the file has text
        pages of its own in ``auto`` mode).

    Raises:
        IngestError: ``needs_ocr`` when pages need OCR, Tesseract or a
            language model is missing and either every page needs OCR or the
            mode is ``on``.
    """
    has_text = any(p.words for p in pages)
    needed = [
        p for p in pages
        if page_needs_ocr(p, has_text, image_coverage(pdf, p.number - 1) if p.words and p.images else 1.0)
    ]
    if not needed or options.mode == "off":
        return None
    status = tesseract_status(options)
    run = OcrRun(options, status, [p.number for p in needed])
    if not status.available:
        if options.mode == "on" or len(needed) == len(pages):
            raise IngestError("needs_ocr", not_available_message(name, options, status))
        return run
    if on_pages is not None:
        on_pages(len(needed))
    started = time.perf_counter()
    for page in needed:
        run.pages[page.number] = ocr_pdf_page(pdf, page.number - 1, page.width, page.height, options, status.command)
    run.seconds = time.perf_counter() - started
    return run
