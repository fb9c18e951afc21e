"""Words with their boxes, font size and weight from a PDF, via PDFium.

PDFium (``pypdfium2``, the engine pdfplumber itself ships with) builds each
page's text in C++, with spaces and line breaks it infers from the glyph
positions. Reading one page's text in one call and asking for boxes only at
word ends keeps the number of calls into C small: about five per word instead
of pdfminer's full layout analysis in Python, which read the real protocols
at one to seven pages per second.

Coordinates are PDF points with the origin at the top left of the page as
displayed (``/Rotate`` applied), ``top`` < ``bottom``.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ingest.wordbox import WordBox
from radslag.errors import IngestError

#: Token separators in PDFium's page text (U+FFFE marks a hyphen PDFium
#: found at a line end; it stays with the word as ``-``).
_TOKEN = re.compile(r"[^\s\ufffe]+\ufffe?")
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"}
_BOLD_TAGS = ("bold", "black", "heavy", "semibold", "demi")
#: PDF font descriptor flag "ForceBold".
_FORCE_BOLD = 1 << 18
#: An object that is only a reference, ``N G obj M G R endobj``: found by its
#: tail (a literal-led pattern scans fast), then read backwards.
_REF_TAIL = re.compile(rb"R\s*endobj")
_REF_HEAD = re.compile(rb"(\d{1,10})\s+\d{1,5}\s+obj\s*(\d{1,10})\s+\d{1,5}\s+$")
_SPECIAL = re.compile("[\ufb00-\ufb06\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(slots=True)
class Word(WordBox):
    """One word of a page's text layer (or put there by OCR), with its weight."""

    bold: bool


@dataclass
class PageWords:
    """The words of one page and the facts the reader needs about the page."""

    number: int
    width: float
    height: float
    words: list[Word] = field(default_factory=list)
    images: int = 0
    rotated_dropped: bool = False
    unmapped: int = 0  # glyphs without a Unicode mapping


@dataclass
class Extracted:
    pages: list[PageWords]
    meta: dict[str, Any]


def check_reference_cycles(data: bytes, name: str) -> None:
    """Refuse a PDF whose objects are references that lead back to themselves.

    An object defined as nothing but a reference to another (``4 0 obj 4 0 R
    endobj``) is legal only when the chain ends in a real object. A chain that
    loops makes pdfminer (and other resolvers without a guard) spin forever;
    no PDF writer produces one, so the file is damaged.

    Raises:
        IngestError: ``corrupt_pdf`` naming the object where the chain loops.
    """
    if b"endobj" not in data:
        return
    refs: dict[int, int] = {}
    for tail in _REF_TAIL.finditer(data):
        m = _REF_HEAD.search(data, max(0, tail.start() - 48), tail.start())
        if m:
            refs[int(m.group(1))] = int(m.group(2))
    for start in refs:
        seen = {start}
        cur = refs[start]
        while cur in refs:
            if cur in seen:
                raise IngestError(
                    "corrupt_pdf",
                    f"PDF-filen {name} är skadad: objekt {cur} hänvisar i en slinga till sig självt "
                    f"(corrupt PDF: object {cur} is a reference cycle)",
                )
            seen.add(cur)
            cur = refs[cur]


def open_document(data: bytes) -> Any:
    """Open PDF bytes with PDFium (exceptions are classified by the caller)."""
    import pypdfium2 as pdfium

    return pdfium.PdfDocument(data)


def is_password_error(exc: BaseException) -> bool:
    import pypdfium2.raw as raw

    return getattr(exc, "err_code", None) in (raw.FPDF_ERR_PASSWORD, raw.FPDF_ERR_SECURITY)


def read_words(pdf: Any) -> Extracted:
    """Read every page's words from an open PDFium document."""
    meta = _meta(pdf)
    pages = [_page_words(pdf, i) for i in range(len(pdf))]
    return Extracted(pages, meta)


def _meta(pdf: Any) -> dict[str, Any]:
    """Title, author and creation date from the PDF info dictionary."""
    try:
        raw = pdf.get_metadata_dict(skip_empty=True)
    except Exception:  # a broken info dictionary must not stop the text
        return {}
    out: dict[str, Any] = {}
    for key, name in (("Title", "title"), ("Author", "author")):
        value = raw.get(key)
        if isinstance(value, str) and value.strip():
            out[name] = value.strip()
    created = raw.get("CreationDate")
    if isinstance(created, str):
        m = re.match(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?", created.strip())
        if m:
            try:
                parts = [int(p) if p else d for p, d in zip(m.groups(), (0, 1, 1, 0, 0, 0))]
                out["created"] = dt.datetime(*parts).isoformat()
            except ValueError:
                pass
    return out


@lru_cache(maxsize=1)
def _text_object_getter() -> Any:
    """``FPDFText_GetTextObject`` returning a plain address.

    pypdfium2's binding wraps every result in a new ctypes pointer object,
    which costs more than the call itself; an address compares and hashes
    cheaply and is all that is needed to tell text objects apart.
    """
    import pypdfium2.raw as raw

    addr = ctypes.cast(raw.FPDFText_GetTextObject, ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)(addr)


class _Chars:
    """Thin access to one PDFium text page, with reused ctypes buffers.

    Boxes come back in display space: ``(x0, x1, top, bottom)`` measured
    from the top left of the page as shown (page rotation applied). Font
    size, weight and direction belong to the text object a character comes
    from, so they are asked once per text object.
    """

    def __init__(self, textpage: Any, raw: Any, bbox: tuple[float, float, float, float], rotation: int) -> None:
        self.tp = textpage.raw
        self.tp_addr = ctypes.cast(textpage.raw, ctypes.c_void_p)
        self.raw = raw
        self.get_object = _text_object_getter()
        self.rect = raw.FS_RECTF()
        self.buf = ctypes.create_string_buffer(256)
        self.flags = ctypes.c_int()
        self.flags_ref = ctypes.byref(self.flags)
        self.bold_cache: dict[tuple[bytes, int], bool] = {}
        self.style_cache: dict[int | None, tuple[float, bool, bool]] = {}
        self.bbox = bbox
        self.rotation = rotation
        #: The angle (radians, as PDFium reports it) of text that reads upright on the shown page.
        self.upright_angle = {0: 0.0, 90: 1.5708, 180: 3.1416, 270: 4.7124}.get(rotation, 0.0)

    def box(self, i: int) -> tuple[float, float, float, float]:
        """Loose box of char ``i`` (font ascent to descent) in display space."""
        r = self.rect
        self.raw.FPDFText_GetLooseCharBox(self.tp, i, r)
        left, bottom, right, top = self.bbox
        rot = self.rotation
        if rot == 0:
            return r.left - left, r.right - left, top - r.top, top - r.bottom
        if rot == 90:
            return r.bottom - bottom, r.top - bottom, r.left - left, r.right - left
        if rot == 180:
            return right - r.right, right - r.left, r.bottom - bottom, r.top - bottom
        return top - r.top, top - r.bottom, right - r.right, right - r.left

    def style(self, i: int) -> tuple[float, bool, bool]:
        """(font size, bold, upright) of char ``i``, cached per text object."""
        obj = self.get_object(self.tp_addr, i)
        hit = self.style_cache.get(obj)
        if hit is None or obj is None:
            hit = (self._size(i), self._bold(i), self._upright(i))
            self.style_cache[obj] = hit
        return hit

    def _size(self, i: int) -> float:
        return float(self.raw.FPDFText_GetFontSize(self.tp, i))

    def _bold(self, i: int) -> bool:
        n = self.raw.FPDFText_GetFontInfo(self.tp, i, self.buf, 256, self.flags_ref)
        key = (ctypes.string_at(self.buf, max(0, min(n, 256) - 1)), self.flags.value & _FORCE_BOLD)
        hit = self.bold_cache.get(key)
        if hit is None:
            low = key[0].decode("latin-1").lower()
            hit = any(tag in low for tag in _BOLD_TAGS) or bool(key[1])
            self.bold_cache[key] = hit
        return hit

    def _upright(self, i: int) -> bool:
        diff = abs(float(self.raw.FPDFText_GetCharAngle(self.tp, i)) - self.upright_angle) % 6.2832
        return diff < 0.05 or diff > 6.23


def _page_words(pdf: Any, index: int) -> PageWords:
    import pypdfium2.raw as raw

    page = pdf[index]
    try:
        bbox = tuple(float(v) for v in page.get_bbox())
        rotation = page.get_rotation() % 360
        width, height = bbox[2] - bbox[0], bbox[3] - bbox[1]
        if rotation in (90, 270):
            width, height = height, width
        out = PageWords(index + 1, width, height)
        textpage = page.get_textpage()
        try:
            n = raw.FPDFText_CountChars(textpage.raw)
            text = textpage.get_text_range(0, n) if n > 0 else ""
            if len(text) != n:  # characters outside the BMP: one call per char keeps indices aligned
                text = "".join(chr(raw.FPDFText_GetUnicode(textpage.raw, i)) for i in range(n))
            words, unmapped = _words(text, _Chars(textpage, raw, bbox, rotation))  # type: ignore[arg-type]
        finally:
            textpage.close()
        # Text placed wholly outside the page is never shown (viewers and pdftotext drop it too).
        words = [(w, up) for w, up in words if w.x1 > 0 and w.x0 < width and w.bottom > 0 and w.top < height]
        upright = [w for w, up in words if up]
        if upright and len(upright) < len(words):
            out.rotated_dropped = True
            out.words = upright
        elif not upright and words:
            # A page set entirely in rotated text: keep its words in stream order.
            out.words = [w for w, _ in words]
        else:
            out.words = upright
        out.unmapped = unmapped
        if rotation == 0 and out.words:
            _mark_underlined(out.words, _rules(page, raw, bbox), _link_rects(page, raw, bbox))
        if sum(len(w.text) for w in out.words) < 200:
            out.images = _count_images(page, raw)
        return out
    finally:
        page.close()


#: A page with more drawn objects than this is a drawing or a chart: its rules are not looked at.
_MAX_PATHS = 4000
#: A rule is at most this thick (points) and at least this long.
_RULE_THICK, _RULE_MIN_LEN = 1.5, 6.0


def _rules(page: Any, raw: Any, bbox: tuple[float, float, float, float]) -> list[tuple[float, float, float]]:
    """Thin horizontal path objects of an upright page as ``(x0, x1, y)`` in display space."""
    n = raw.FPDFPage_CountObjects(page.raw)
    if n > _MAX_PATHS:
        return []
    left, _, _, top = bbox
    l, b, r, t = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    out: list[tuple[float, float, float]] = []
    for i in range(n):
        obj = raw.FPDFPage_GetObject(page.raw, i)
        if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_PATH:
            continue
        if not raw.FPDFPageObj_GetBounds(obj, ctypes.byref(l), ctypes.byref(b), ctypes.byref(r), ctypes.byref(t)):
            continue
        if t.value - b.value <= _RULE_THICK and r.value - l.value >= _RULE_MIN_LEN:
            out.append((l.value - left, r.value - left, top - (t.value + b.value) / 2))
    return out


def _link_rects(
    page: Any, raw: Any, bbox: tuple[float, float, float, float]
) -> list[tuple[float, float, float, float]]:
    """The rectangles of an upright page's link annotations as ``(x0, top, x1, bottom)`` in display space."""
    left, _, _, top = bbox
    out: list[tuple[float, float, float, float]] = []
    try:
        n = raw.FPDFPage_GetAnnotCount(page.raw)
    except AttributeError:  # pragma: no cover - a pdfium without the annotation API
        return out
    rect = raw.FS_RECTF()
    for i in range(min(n, _MAX_PATHS)):
        annot = raw.FPDFPage_GetAnnot(page.raw, i)
        if not annot:
            continue
        try:
            link = raw.FPDFAnnot_GetSubtype(annot) == raw.FPDF_ANNOT_LINK
            if link and raw.FPDFAnnot_GetRect(annot, ctypes.byref(rect)):
                lo, hi = sorted((rect.top, rect.bottom))
                out.append((min(rect.left, rect.right) - left, top - hi, max(rect.left, rect.right) - left, top - lo))
        finally:
            raw.FPDFPage_CloseAnnot(annot)
    return out


#: A web address or an e-mail address: how a PDF draws a link, underlined.
_LINK_TEXT = re.compile(r"(?i)(?:^[a-z][a-z0-9+.-]*://|^www\.|@[\w-]+\.\w|\.(?:se|com|nu|org|net|eu)(?:/|$))")


def _mark_underlined(words: list[Word], rules: list[tuple[float, float, float]],
                     links: list[tuple[float, float, float, float]] = ()) -> None:
    """Read underlined words as emphasised, like bold ones (``Word.bold``).

    An underline is a rule drawn through the lower part of the words' boxes (between the baseline
    and the descent) that spans those words and no more: it starts at the first word and ends at
    the last, within half a glyph. A table's or a heading's ruling line runs past the text it lies
    under (or under none), so it marks nothing; a strike-through runs through the middle.
    A link is drawn underlined too: words under a link annotation (``links``) or that read as a web
    or e-mail address ("www.exempel.se/fardtjanst", "anna.berg@exempel.se") are no emphasis.
    """
    for x0, x1, y in rules:
        under = [
            w for w in words
            if w.top + 0.7 * (w.bottom - w.top) <= y <= w.bottom + 0.5 and w.x0 >= x0 - 1.0 and w.x1 <= x1 + 1.0
        ]
        if not under:
            continue
        if any(_LINK_TEXT.search(w.text.strip("<>()[].,;:")) for w in under) or any(
            lx0 - 1.0 <= x0 and x1 <= lx1 + 1.0 and ltop - 1.0 <= y <= lbottom + 1.0
            for lx0, ltop, lx1, lbottom in links
        ):
            continue
        slack = 0.5 * max(w.size for w in under)
        if min(w.x0 for w in under) - x0 > slack or x1 - max(w.x1 for w in under) > slack:
            continue
        for w in under:
            w.bold = True
        # "1.  Stämmans öppnande": the heading's number, left of the underline on its line, goes with it
        top = under[0].top
        before = [w for w in words if abs(w.top - top) <= 1.0 and w.x1 <= x0 + 1.0]
        if len(before) == 1 and _HEADING_NUMBER.match(before[0].text):
            before[0].bold = True


#: The number of a heading ("1.", "§", "12", "3)").
_HEADING_NUMBER = re.compile(r"^(?:§|§?\d{1,3}[.):]?)$")


def _count_images(page: Any, raw: Any) -> int:
    count = 0
    for i in range(raw.FPDFPage_CountObjects(page.raw)):
        obj = raw.FPDFPage_GetObject(page.raw, i)
        if raw.FPDFPageObj_GetType(obj) == raw.FPDF_PAGEOBJ_IMAGE:
            count += 1
    return count


def _words(text: str, chars: _Chars) -> tuple[list[tuple[Word, bool]], int]:
    """Cut the page text into words and give each its box, size and weight.

    A token between white space normally is one word on one line: its box
    comes from its first and last character. When those two characters are
    not on the same line, or the token is much wider than its letters could
    be (glyphs spread apart without a space PDFium noticed), the token is cut
    at every jump between characters instead.

    Returns:
        ``(word, upright)`` pairs in PDFium's reading order, and the number of
        glyphs without a Unicode mapping.
    """
    out: list[tuple[Word, bool]] = []
    seen: set[tuple[str, int, int]] = set()
    unmapped = text.count("\ufffd")
    special = _SPECIAL.search(text) is not None
    box = chars.box
    style = chars.style
    for m in _TOKEN.finditer(text):
        a = m.start()
        b = m.end() - 1
        token = m.group()
        size, bold, upright = style(a)
        x0, x1, top, bottom = box(a)
        if b != a:
            ex0, ex1, etop, ebottom = box(b)
            h = bottom - top if bottom - top > 1.0 else 1.0
            if abs(etop - top) > 0.5 * h or ex1 < x0 or (ex1 - x0) > len(token) * (size if size > h else h) * 1.1 + 2:
                pieces = _split_token(a, token, chars)
            else:
                pieces = [(a, token, x0, ex1 if ex1 > x1 else x1, etop if etop < top else top, ebottom if ebottom > bottom else bottom)]
        else:
            pieces = [(a, token, x0, x1, top, bottom)]
        for start, piece, px0, px1, ptop, pbottom in pieces:
            if special:
                piece = _clean(piece)
                if not piece:
                    continue
            elif piece[-1] == "\ufffe":
                piece = piece[:-1] + "-"
            key = (piece, round(px0), round(ptop))
            if key in seen:  # the same glyphs drawn twice (fake bold, overprint)
                continue
            seen.add(key)
            if start != a:
                size, bold, upright = style(start)
            # PDFium reports the font size before the text matrix scales it (1.0
            # in some files); the loose box, ascent to descent, is about 1.16 em.
            h = pbottom - ptop
            out.append((Word(piece, px0, px1, ptop, pbottom, size if 0.6 * h <= size <= 1.5 * h else h / 1.16, bold), upright))
    return out, unmapped


def _split_token(a: int, token: str, chars: _Chars) -> list[tuple[int, str, float, float, float, float]]:
    """Cut a token at line changes and at gaps wider than a third of the glyph height."""
    pieces: list[tuple[int, str, float, float, float, float]] = []
    cur: list[Any] | None = None
    for k, ch in enumerate(token):
        x0, x1, top, bottom = chars.box(a + k)
        if cur is not None:
            h = max(cur[5] - cur[4], 1.0)
            gap = x0 - cur[3]
            if abs(top - cur[4]) <= 0.5 * h and -0.5 * h <= gap <= max(0.33 * h, 2.0):
                cur[1] += ch
                cur[2], cur[3] = min(cur[2], x0), max(cur[3], x1)
                cur[4], cur[5] = min(cur[4], top), max(cur[5], bottom)
                continue
            pieces.append(tuple(cur))  # type: ignore[arg-type]
        cur = [a + k, ch, x0, x1, top, bottom]
    if cur is not None:
        pieces.append(tuple(cur))  # type: ignore[arg-type]
    return pieces


def _clean(token: str) -> str:
    """Hyphen marks back to ``-``, ligatures spelt out, control characters dropped."""
    if token.endswith("\ufffe"):
        token = token[:-1] + "-"
    if any(c in _LIGATURES for c in token):
        token = "".join(_LIGATURES.get(c, c) for c in token)
    if any(ord(c) < 32 for c in token):
        token = "".join(c for c in token if ord(c) >= 32)
    return token
