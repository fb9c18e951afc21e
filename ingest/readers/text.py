"""Readers for plain text and Markdown files.

Encoding is judged by decoding plus repair (see :func:`decode_bytes`): valid
UTF-8 is always accepted and mojibake in it ("Ã¤" for "ä") is repaired with
ftfy; other bytes are tried in the single-byte encodings of old Swedish
files, scored for plausibility, with charset-normalizer breaking ties. Only
bytes that decode plausibly in no encoding are refused.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ingest.normalize import normalize_text, strip_running_lines
from ingest.readers.base import counted_rows, item_row_lines, make_document, read_bytes
from radslag.errors import IngestError
from radslag.types import Document, Heading, PageSpan

__all__ = ["read_text", "read_markdown", "decode_bytes", "repair_mojibake"]

_SWEDISH = set("åäöÅÄÖéÉüÜ")
#: Non-ASCII characters that are normal in Swedish texts besides the letters.
_PLAUSIBLE_EXTRA = set(
    "\u2013\u2014\u201c\u201d\u201e\u2018\u2019\u201a\u2022\u2026§½¼¾°€£©®™«»·\u00a0\u00ad×÷±²³µ¹ºª¿¡"
    "àáâãæçèêëìíîïðñòóôõøùúûýþÿÀÁÂÃÆÇÈÊËÌÍÎÏÐÑÒÓÔÕØÙÚÛÝÞß\u202f\u2212\u2192\u2190\u2011\u2010"
)
#: UTF-8 bytes of å/ä/ö/Å/Ä/Ö read as cp1252 or latin-1 ("Ã¥", "Ã¤" …).
_MOJIBAKE = re.compile("Ã[\u0080-\u00bf\u201e\u2026\u2013\u2014\u2020\u2021\u2030\u0160\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u02dc\u2122\u0161\u203a\u0153\u017e\u0178]|Â[\u00a0-\u00bf]")
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def _score(text: str) -> tuple[float, int]:
    """Plausibility of a decoding: (score, number of bad signs)."""
    bad = 0
    bad += len(re.findall("[\u0080-\u009f]", text)) * 3
    bad += text.count("\ufffd") * 3
    bad += len(_MOJIBAKE.findall(text)) * 3
    non_ascii = [c for c in text if ord(c) > 127]
    swedish = sum(1 for c in non_ascii if c in _SWEDISH)
    odd = sum(1 for c in non_ascii if c not in _SWEDISH and c not in _PLAUSIBLE_EXTRA)
    bad += odd
    return swedish - 2 * bad, bad


def _is_plausible(text: str) -> bool:
    """Swedish-aware check that a single-byte decoding is not garbage.

    Text with Swedish letters must decode to them: mojibake sequences
    (``Ã¤``), C1 control characters, replacement characters and unusual
    characters must be rare compared with å/ä/ö. Punctuation between
    letters ("anna_svensson@arboga.se", "Gul$tafsson") is never counted.
    """
    _, bad = _score(text)
    non_ascii = sum(1 for c in text if ord(c) > 127)
    if non_ascii == 0:
        return True
    return bad <= max(1, 0.05 * non_ascii)


def decode_bytes(raw: bytes, name: str = "") -> tuple[str, str]:
    """Decode text bytes, detecting the encoding.

    Order: a byte-order mark (UTF-8, UTF-16, UTF-32); strict UTF-8, whose
    mojibake is repaired (:func:`repair_mojibake`) and which is never
    refused; then the
    single-byte encodings used for old Swedish files: cp1252 (chosen when
    bytes 0x80–0x9F decode to typographic characters such as “ ” –), latin-1
    (when there are no such bytes the two decode identically; ``latin-1`` is
    reported), cp850 (DOS) and mac_roman. Each candidate gets a Swedish-aware
    plausibility score; charset-normalizer breaks ties.

    Args:
        raw: The file bytes.
        name: File name for error messages.

    Returns:
        ``(text, encoding)``.

    Raises:
        IngestError: ``encoding`` when the bytes are not UTF-8 and no
            single-byte decoding is plausible. Valid UTF-8 is never refused.
    """
    for bom, enc in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(enc)
            except UnicodeDecodeError as exc:
                raise IngestError(
                    "encoding",
                    f"Kan inte avkoda {name} som {enc} trots byte-order mark "
                    f"(cannot decode {name} as {enc} despite its byte-order mark): {exc}",
                ) from exc
            return text.lstrip("\ufeff"), enc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        return repair_mojibake(text), "utf-8"

    has_c1 = any(0x80 <= b <= 0x9F for b in raw)
    candidates: list[tuple[float, str, str]] = []
    for enc in ("cp1252", "latin-1", "cp850", "mac_roman"):
        if enc == "latin-1" and not has_c1:
            continue  # identical to cp1252 then; reported below as latin-1
        try:
            decoded = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        if not _is_plausible(decoded):
            continue
        label = enc
        if enc == "cp1252" and not has_c1:
            label = "latin-1"
        candidates.append((_score(decoded)[0], label, decoded))
    if not candidates:
        raise IngestError(
            "encoding",
            f"Kunde inte avgöra teckenkodningen för {name} (could not determine the text encoding of {name})",
        )
    candidates.sort(key=lambda c: -c[0])
    if len(candidates) > 1 and candidates[0][0] - candidates[1][0] < 2:
        guess = _charset_normalizer_guess(raw)
        for cand in candidates:
            if guess and guess == _canonical(cand[1]):
                return cand[2], cand[1]
    return candidates[0][2], candidates[0][1]


def repair_mojibake(text: str) -> str:
    """Repair text that was decoded with the wrong encoding before it was saved.

    ftfy undoes "Ã¤" → "ä" style damage (also twice-encoded text) and leaves
    correct text alone; quotes, dashes and line breaks are not touched.
    """
    if not _MOJIBAKE.search(text) and "\u00c3" not in text and "\u00e2\u20ac" not in text:
        return text  # nothing that looks like UTF-8 read as a single-byte encoding
    import ftfy

    fixed = text
    for _ in range(3):  # text encoded twice needs two rounds
        again = ftfy.fix_encoding(fixed)
        if again == fixed:
            again = _reencode(fixed)  # short runs ftfy judges too uncertain
        if again == fixed:
            break
        fixed = again
    return fixed


def _reencode(text: str) -> str:
    """Undo one round of UTF-8 read as cp1252/latin-1 when that removes all mojibake."""
    if not _MOJIBAKE.search(text):
        return text
    for enc in ("cp1252", "latin-1"):
        try:
            fixed = text.encode(enc).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if len(_MOJIBAKE.findall(fixed)) < len(_MOJIBAKE.findall(text)):
            return fixed
    return text


def _canonical(enc: str) -> str:
    enc = enc.lower().replace("_", "-")
    return {"iso-8859-1": "latin-1", "latin1": "latin-1", "windows-1252": "cp1252", "macroman": "mac-roman",
            "mac-roman": "mac-roman", "ibm850": "cp850"}.get(enc, enc)


def _charset_normalizer_guess(raw: bytes) -> str | None:
    """Ask charset-normalizer for its best guess (tie-break only)."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - dependency is installed
        return None
    best = from_bytes(raw).best()
    return _canonical(best.encoding) if best is not None else None



def _empty(path: Path) -> IngestError:
    return IngestError("empty", f"Tom fil: {path} (empty file)")


# Pseudo-page breaks in plain text: a line break followed by 3+ blank lines.
_GAP = re.compile(r"(\n(?:[ \t]*\n){3,})")
_SENTENCE_END = re.compile(r"[.!?:;)\]\"”]\s*$")


def _strip_pseudo_pages(text: str) -> tuple[str, list[str]]:
    """Remove running lines from a text whose pages were flattened into gaps.

    Text exported from PDF often marks page breaks only by a gap of three
    blank lines, with the running header (e.g. "Förebyggande rådet") on top
    of every page. The gaps are treated as pseudo-pages for
    :func:`strip_running_lines` (bare numbers are left alone); the original
    gaps are kept, except that a sentence broken by a removed header is
    joined again.
    """
    parts = _GAP.split(text)
    chunks = parts[0::2]
    seps = parts[1::2]
    if len(chunks) < 3:
        return text, []
    cleaned, removed = strip_running_lines(chunks, bare_numbers=False)
    if not removed:
        return text, []
    out = cleaned[0]
    for i in range(1, len(cleaned)):
        chunk = cleaned[i]
        header_removed = chunks[i].lstrip("\n").split("\n", 1)[0] != chunk.split("\n", 1)[0]
        if header_removed and out and chunk[:1].islower() and not _SENTENCE_END.search(out):
            out += "\n" + chunk  # a sentence ran across the page break
        else:
            out += seps[i - 1] + chunk
    return out, removed


def _pages_from_formfeeds(text: str) -> tuple[str, list[PageSpan], list[str]]:
    """Split at form feeds, strip running lines and join with blank lines."""
    pages = [p.strip("\n") for p in text.split("\f")]
    cleaned, removed = strip_running_lines(pages)
    return _join_pages(cleaned, range(1, len(cleaned) + 1)) + (removed,)


def _join_pages(pages: list[str], numbers) -> tuple[str, list[PageSpan]]:
    """Join pages with a blank line, or a line break where a sentence runs across the break."""
    text = ""
    spans: list[PageSpan] = []
    for number, page in zip(numbers, pages):
        if text:
            text += "\n" if page[:1].islower() and not _SENTENCE_END.search(text) else "\n\n"
        start = len(text)
        text += page
        spans.append(PageSpan(number=number, start=start, end=len(text)))
    return text, spans


_REPAIRED = "Felkodade tecken reparerades (mojibake such as 'Ã¤' was repaired)"


def _load(path: Path) -> tuple[bytes, str, str, list[str]]:
    """Raw bytes, decoded text, encoding and reader warnings of a non-empty text file."""
    raw = read_bytes(path)
    if not raw.strip():
        raise _empty(path)
    decoded, encoding = decode_bytes(raw, path.name)
    repaired = encoding == "utf-8" and decoded != raw.decode("utf-8", errors="replace")
    return raw, decoded, encoding, [_REPAIRED] if repaired else []


def read_text(path: Path, source: str) -> Document:
    """Read a plain-text file into a :class:`Document`.

    The encoding is detected with :func:`decode_bytes`; the text is
    normalised with ``keep_gaps=True``. Form feeds split real pages (page
    spans are recorded and running lines removed); without form feeds, gaps
    of three blank lines are treated as pseudo-pages for running-line
    removal only (no page spans).

    Args:
        path: File to read.
        source: The path as given at ingest.

    Returns:
        The document (``reader="txt"``).

    Raises:
        IngestError: ``empty``, ``encoding``, ``permission`` or ``io``.
    """
    path = Path(path)
    raw, decoded, encoding, warnings = _load(path)
    text = normalize_text(decoded, keep_gaps=True)
    if not text.strip():
        raise _empty(path)
    front: dict[str, Any] = {}
    pages: list[PageSpan] = []
    if "\f" in text:
        text, pages, removed = _pages_from_formfeeds(text)
    else:
        text, removed = _strip_pseudo_pages(text)
    if removed:
        front["running_lines"] = removed
        warnings.append(
            f"{len(removed)} återkommande sidhuvud-/sidfotsrader togs bort "
            f"({len(removed)} running header/footer lines removed)"
        )
    return make_document(
        raw,
        source=source,
        text=text,
        reader="txt",
        pages=pages,
        front_matter=front,
        encoding=encoding,
        warnings=warnings,
    )


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_PAGE_MARKER = re.compile(r"<!--\s*(?:sida|page|p\.?)\s*(\d+)\s*-->", re.I)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_ATX = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)


#: A backslash that ends a line is a hard line break (CommonMark, pandoc's Markdown): markup, not text.
_HARD_BREAK = re.compile(r"(?<!\\)\\[ \t]*$", re.M)


#: The delimiter row under a pipe table's header: "|---|:---:|", "--- | ---".
_PIPE_DELIMITER = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
#: A cell border: a pipe not escaped with a backslash.
_PIPE = re.compile(r"(?<!\\)\|")
#: A line break inside a cell ("<br>", "<br/>"): the cell's paragraphs.
_CELL_BREAK = re.compile(r"<br\s*/?>", re.I)


def _pipe_cells(line: str) -> list[list[str]]:
    """The cells of a pipe-table row, each as its paragraphs (split at ``<br>``)."""
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    cells = []
    for cell in _PIPE.split(s):
        cell = cell.replace("\\|", "|")
        cells.append([t for t in (" ".join(p.split()) for p in _CELL_BREAK.split(cell)) if t])
    return cells


def _item_table_lines(header: list[list[str]], rows: list[list[list[str]]]) -> list[str] | None:
    """Lines for a pipe table whose rows are the meeting's items, or None for any other table.

    The rule of the DOCX reader's item tables: the first column counts up by
    one (1, 2, 3 … or § 34, § 35 …) in every row, and the next cell is text
    (not a figure). Each row becomes the number and the first paragraph of
    its first text cell ("1<TAB>Lägesbild"), the way the segmenter reads a
    numbered table row; that cell's other paragraphs follow as body lines and
    the other cells are labelled with their column's header ("Ansvarig: Lisa").
    """
    rows = [r for r in rows if any(r)]
    if counted_rows([r[0] if r else [] for r in rows]) is None:
        return None
    for r in rows:
        first_text = next((c for c in r[1:] if c), None)
        if first_text is None or not any(ch.isalpha() for ch in first_text[0]):
            return None
    labels = [" ".join(c) for c in header]
    lines: list[str] = []
    for r in rows:
        cells = [(labels[k] if k < len(labels) else "", c) for k, c in enumerate(r) if k > 0 and c]
        lines.extend(item_row_lines(r[0], cells))
    return lines


def _pipe_item_tables(text: str) -> str:
    """Rewrite Markdown pipe tables whose rows are the items as numbered lines; other tables stay as written.

    A table of attendance, votes or figures is left untouched (its first
    column does not count up, or its cells are figures).
    """
    if "|" not in text:
        return text
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if (
            "|" in line
            and i + 1 < len(lines)
            and "|" in lines[i + 1]
            and _PIPE_DELIMITER.match(lines[i + 1])
        ):
            header = _pipe_cells(line)
            if len(_pipe_cells(lines[i + 1])) == len(header):
                j = i + 2
                rows = []
                while j < len(lines) and "|" in lines[j] and lines[j].strip():
                    rows.append(_pipe_cells(lines[j]))
                    j += 1
                items = _item_table_lines(header, rows)
                if items is not None:
                    out.extend(items)
                    i = j
                    continue
        out.append(line)
        i += 1
    return "\n".join(out)


def _clean_markdown(text: str) -> str:
    text = _HTML_COMMENT.sub("", text)
    text = _HARD_BREAK.sub("", text)
    text = _pipe_item_tables(text)
    return _LINK.sub(r"\1", text)


def read_markdown(path: Path, source: str) -> Document:
    """Read a Markdown file into a :class:`Document`.

    * YAML front matter (``---`` … ``---``) goes to ``front_matter``; broken
      YAML gives a warning, not a failure.
    * ``<!-- sida N -->`` / ``<!-- page N -->`` markers split pages; running
      lines are removed with :func:`strip_running_lines` (the removed lines
      are kept in ``front_matter["running_lines"]`` for metadata) and page
      spans are recorded.
    * Other HTML comments are removed; link syntax ``[Tabell 10-1](x.csv)``
      becomes its text. Headings (``#``) and ``**bold**`` stay as written;
      ATX headings are recorded as ``Heading(source="markdown")``.
    * A pipe table whose rows are the items (the first column counts up,
      ``| 1 | Lägesbild | … |``) becomes one numbered line per row with the
      other cells labelled by their header, as the DOCX reader reads item
      tables; other pipe tables stay as written.

    Args:
        path: File to read.
        source: The path as given at ingest.

    Returns:
        The document (``reader="markdown"``).

    Raises:
        IngestError: ``empty``, ``encoding``, ``permission`` or ``io``.
    """
    path = Path(path)
    raw, decoded, encoding, warnings = _load(path)
    decoded = decoded.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    front: dict[str, Any] = {}
    m = _FRONT_MATTER.match(decoded)
    if m:
        decoded = decoded[m.end():]
        try:
            loaded = yaml.safe_load(m.group(1))
        except yaml.YAMLError as exc:
            loaded = None
            warnings.append(
                f"Trasig YAML-front matter ignorerades (broken YAML front matter ignored): {str(exc).splitlines()[0]}"
            )
        if isinstance(loaded, dict):
            front = {str(k): v for k, v in loaded.items()}
        elif loaded is not None:
            warnings.append("Front matter är inte en nyckel–värde-tabell (front matter is not a mapping)")

    markers = list(_PAGE_MARKER.finditer(decoded))
    pages: list[PageSpan] = []
    if markers:
        chunks: list[str] = []
        numbers: list[int] = []
        head = decoded[: markers[0].start()]
        for i, mk in enumerate(markers):
            end = markers[i + 1].start() if i + 1 < len(markers) else len(decoded)
            body = decoded[mk.end(): end]
            if i == 0 and head.strip():
                body = head + "\n" + body
            chunks.append(normalize_text(_clean_markdown(body), keep_gaps=True))
            numbers.append(int(mk.group(1)))
        cleaned, removed = strip_running_lines(chunks)
        if removed:
            front["running_lines"] = removed
        text, pages = _join_pages(cleaned, numbers)
    else:
        text = normalize_text(_clean_markdown(decoded), keep_gaps=True)
    if not text.strip():
        raise _empty(path)

    headings = [
        Heading(text=hm.group(2).strip(), start=hm.start(), end=hm.end(), source="markdown")
        for hm in _ATX.finditer(text)
    ]
    return make_document(
        raw,
        source=source,
        text=text,
        reader="markdown",
        pages=pages,
        headings=headings,
        front_matter=_jsonable(front),
        encoding=encoding,
        warnings=warnings,
    )


def _jsonable(value: Any) -> Any:
    """Make YAML values JSON-safe (dates become ISO strings)."""
    import datetime as dt

    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value
