"""DOCX reader built on python-docx.

Paragraphs and tables are read in body order, also those inside Word content
controls (``w:sdt``, block-level or around runs). Each paragraph becomes a block
separated from the next by a blank line; a table becomes one block with one
line per row and the cells separated by tabs. Paragraphs with a heading style
("Heading 1", Swedish "Rubrik 1", "Title"/"Rubrik") are reported as
:class:`Heading` entries with ``source="style"``; short paragraphs whose text
is entirely bold with ``source="bold"``. Core properties (title, author,
created) go into ``front_matter``, and the text of the page headers and
footers (the letterhead: "Säters kommun – Folkhälsorådet") into
``front_matter["page_header"]`` / ``["running_lines"]``, as the PDF reader
reports its running lines, so meeting facts come from the document's header.

A DOCX is a zip: before python-docx inflates anything, :func:`check_package`
checks the zip directory and then inflates each part in bounded chunks,
counting bytes and paragraphs, so a zip bomb or a paragraph bomb is refused
with memory still flat. Style lookups are cached per style id and tables are
read row by row in linear time, so the time per paragraph stays constant.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from ingest.readers.base import NUMBER_CELL, counted_rows, item_row_lines, make_document
from radslag.errors import IngestError
from radslag.types import Document, Heading

#: Longest paragraph (characters) that may count as an all-bold heading.
_BOLD_HEADING_MAX = 120
_HEADING_STYLE_PREFIXES = ("heading", "rubrik", "title", "titel")
#: A Word file has tens of parts, a few hundred with many images.
MAX_PARTS = 10_000
#: Inflate step: memory for checking a part stays at this size.
_CHUNK = 1 << 20
#: XML elements allowed per permitted paragraph (runs, properties, text), plus a
#: fixed allowance for the style, numbering and theme parts every file has.
ELEMENTS_PER_PARAGRAPH = 10
ELEMENTS_BASE = 100_000
_MB = 1 << 20
#: Start tags of paragraphs, table rows and table cells, whatever the namespace prefix.
_BLOCK_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:p|tr|tc)[\s/>]")
_START_TAG = re.compile(rb"<[A-Za-z_]")


def read_docx(path: Path, source: str, data: bytes | None = None, limits: Any = None) -> Document:
    """Read a Word document into a :class:`Document`.

    Args:
        path: The ``.docx`` file.
        source: The source label to store in the document.
        data: The file's bytes when already read (:func:`ingest.readers.load_file`).
        limits: :class:`ingest.readers.ReadLimits` (defaults when None).

    Returns:
        The document with normalised text, headings with offsets and core
        properties (``title``, ``author``, ``created`` as ISO text) in
        ``front_matter``.

    Raises:
        IngestError: ``io``/``permission`` when the file cannot be read,
            ``empty`` for an empty file, ``corrupt_docx`` when it is not a
            valid Word document (bad zip, missing parts), ``too_large`` when
            it unpacks to more than ``limits.max_unzipped_bytes`` or holds
            more than ``limits.max_paragraphs`` paragraphs and table cells.
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    from ingest.normalize import normalize_text
    from ingest.readers import ReadLimits, load_file

    path = Path(path)
    limits = limits or ReadLimits()
    if data is None:
        data = load_file(path, limits).data
    if not data.strip():
        raise IngestError("empty", f"Tom fil: {path.name} (empty file)")
    check_package(data, limits, path.name)
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = list(_blocks(document))
        props = document.core_properties
        front = _core_properties(props)
        header, footer = _page_lines(document)
        if header:
            front["page_header"] = header
        if header or footer:
            front["running_lines"] = header + [x for x in footer if x not in header]
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as exc:
        raise IngestError(
            "corrupt_docx",
            f"Word-filen {path.name} är skadad eller ingen DOCX ({type(exc).__name__}) "
            "(corrupt or invalid DOCX file)",
        ) from None
    except MemoryError:
        raise
    except Exception as exc:  # lxml and zip errors come in many types
        raise IngestError(
            "corrupt_docx",
            f"Word-filen {path.name} kan inte läsas ({type(exc).__name__}: {str(exc)[:120]}) "
            "(corrupt DOCX file)",
        ) from None

    parts: list[str] = []
    headings: list[Heading] = []
    length = 0
    for text, source_kind in blocks:
        cleaned = normalize_text(text).strip("\n")
        if not cleaned.strip():
            continue
        if parts:
            parts.append("\n\n")
            length += 2
        if source_kind and "\n" not in cleaned:
            headings.append(Heading(text=cleaned, start=length, end=length + len(cleaned), source=source_kind))
        parts.append(cleaned)
        length += len(cleaned)
    text = "".join(parts)
    warnings: list[str] = []
    if not text.strip():
        raise IngestError("empty", f"Word-filen {path.name} innehåller ingen text (the DOCX has no text)")
    return make_document(
        data,
        source=source,
        text=text,
        reader="docx",
        pages=[],
        headings=headings,
        front_matter=front,
        encoding=None,
        warnings=warnings,
    )


def _corrupt(name: str, why: str) -> IngestError:
    return IngestError("corrupt_docx", f"Word-filen {name} är skadad eller ingen DOCX ({why}) (corrupt or invalid DOCX file)")


def _too_large(name: str, what_sv: str, what_en: str, setting: str) -> IngestError:
    return IngestError("too_large", f"För stor att läsa: {name} {what_sv} ({setting}) (too large to read: {what_en})")


def check_package(data: bytes, limits: Any, name: str = "") -> None:
    """Refuse zip bombs and paragraph bombs before python-docx inflates anything.

    First the zip directory: the number of parts (at most :data:`MAX_PARTS`)
    and the sizes the parts declare (together at most
    ``limits.max_unzipped_bytes``). Then every part is inflated in chunks of
    1 MB and discarded, so a part that unpacks to more than it declared is
    caught without holding it; in the XML parts the paragraphs, table rows
    and cells are counted (at most ``limits.max_paragraphs``) and all
    elements (at most :data:`ELEMENTS_PER_PARAGRAPH` times that plus
    :data:`ELEMENTS_BASE`).

    Args:
        data: The file's bytes.
        limits: :class:`ingest.readers.ReadLimits`.
        name: File name for messages.

    Raises:
        IngestError: ``corrupt_docx`` (not a zip, a part that lies about its
            size, a bad checksum) or ``too_large``.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise _corrupt(name, type(exc).__name__) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_PARTS:
            raise _too_large(name, f"har {len(infos)} delar i zip-filen, högst {MAX_PARTS}",
                             f"{len(infos)} zip parts, limit {MAX_PARTS}", "MAX_PARTS")
        limit = limits.max_unzipped_bytes
        declared = sum(info.file_size for info in infos)
        if declared > limit:
            raise _too_large(name, f"packas upp till {declared / _MB:.0f} MB, gränsen är {limit / _MB:.0f} MB",
                             f"unpacks to {declared / _MB:.0f} MB, limit {limit / _MB:.0f} MB",
                             "RADSLAG_MAX_UNZIPPED_MB")
        blocks = elements = total = 0
        max_blocks = limits.max_paragraphs
        max_elements = max_blocks * ELEMENTS_PER_PARAGRAPH + ELEMENTS_BASE
        for info in infos:
            if info.is_dir():
                continue
            is_xml = info.filename.lower().endswith((".xml", ".rels"))
            size = 0
            carry = b""
            try:
                with archive.open(info) as member:
                    while chunk := member.read(_CHUNK):
                        size += len(chunk)
                        total += len(chunk)
                        if size > info.file_size:
                            raise _corrupt(name, f"delen {info.filename} packas upp till mer än den anger")
                        if total > limit:
                            raise _too_large(name, f"packas upp till mer än {limit / _MB:.0f} MB",
                                             f"unpacks to more than {limit / _MB:.0f} MB", "RADSLAG_MAX_UNZIPPED_MB")
                        if not is_xml:
                            continue
                        # Count only up to the last '<' so no tag is split between chunks.
                        text = carry + chunk
                        cut = text.rfind(b"<")
                        if cut < 0 or len(text) - cut > 256:
                            cut = len(text)
                        counted, carry = text[:cut], text[cut:]
                        blocks += len(_BLOCK_TAG.findall(counted))
                        elements += len(_START_TAG.findall(counted))
                        if blocks > max_blocks:
                            raise _too_large(name, f"har fler än {max_blocks} stycken och tabellceller",
                                             f"more than {max_blocks} paragraphs and table cells",
                                             "RADSLAG_MAX_PARAGRAPHS")
                        if elements > max_elements:
                            raise _too_large(name, f"har fler än {max_elements} XML-element",
                                             f"more than {max_elements} XML elements", "RADSLAG_MAX_PARAGRAPHS")
            except IngestError:
                raise
            except MemoryError:
                raise
            except Exception as exc:  # zlib.error, BadZipFile (CRC), RuntimeError (encrypted), ...
                raise _corrupt(name, f"{type(exc).__name__}: {str(exc)[:80]}") from None
            if carry:
                blocks += len(_BLOCK_TAG.findall(carry + b" "))
                if blocks > max_blocks:
                    raise _too_large(name, f"har fler än {max_blocks} stycken och tabellceller",
                                     f"more than {max_blocks} paragraphs and table cells", "RADSLAG_MAX_PARAGRAPHS")


class _Styles:
    """Style facts per style id, looked up once (a lookup scans the style part)."""

    def __init__(self) -> None:
        self._heading: dict[str | None, bool] = {}
        self._para_bold: dict[str | None, bool | None] = {}
        self._char_bold: dict[str | None, bool | None] = {}

    def is_heading(self, paragraph: Any) -> bool:
        key = paragraph._p.style
        if key not in self._heading:
            style = paragraph.style
            names = []
            while style is not None and len(names) < 5:
                names.append((style.name or "").casefold())
                style = style.base_style
            self._heading[key] = any(name.startswith(_HEADING_STYLE_PREFIXES) for name in names)
        return self._heading[key]

    def paragraph_bold(self, paragraph: Any) -> bool | None:
        key = paragraph._p.style
        if key not in self._para_bold:
            self._para_bold[key] = _style_bold(paragraph.style)
        return self._para_bold[key]

    def run_bold(self, run: Any) -> bool | None:
        key = run._r.style
        if key not in self._char_bold:
            self._char_bold[key] = _style_bold(run.style)
        return self._char_bold[key]


def _style_bold(style: Any) -> bool | None:
    """Bold as set by a style or the first base style that says, else None."""
    depth = 0
    while style is not None and depth < 16:  # base-style chains can be cyclic in broken files
        if style.font.bold is not None:
            return bool(style.font.bold)
        style = style.base_style
        depth += 1
    return None


class _Numbering:
    """Automatic list numbers ("List Number" style, numbered paragraphs) as Word prints them.

    The numbers live in the numbering part, not in the text; a reader that
    drops them loses the item numbers of documents whose headings are a
    numbered list. Only counting formats are rendered (decimal, letters,
    Roman numerals); bullets give no label.
    """

    _MAX_LEVELS = 9

    def __init__(self, document: Any) -> None:
        from docx.oxml.ns import qn

        self._qn = qn
        self._levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # (numId, ilvl) -> fmt, text, start
        self._counts: dict[str, list[int]] = {}
        self._style_num: dict[Any, tuple[str, int] | None] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError, ValueError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in root.findall(qn("w:abstractNum")):
            levels: dict[int, tuple[str, str, int]] = {}
            for lvl in an.findall(qn("w:lvl")):
                ilvl = _int(lvl.get(qn("w:ilvl")), 0)
                fmt = _val(lvl, "w:numFmt", qn) or "decimal"
                text = _val(lvl, "w:lvlText", qn) or ""
                levels[ilvl] = (fmt, text, _int(_val(lvl, "w:start", qn), 1))
            abstract[an.get(qn("w:abstractNumId")) or ""] = levels
        for num in root.findall(qn("w:num")):
            aid = _val(num, "w:abstractNumId", qn)
            for ilvl, spec in abstract.get(aid or "", {}).items():
                self._levels[(num.get(qn("w:numId")) or "", ilvl)] = spec

    def _num_pr(self, paragraph: Any) -> tuple[str, int] | None:
        qn = self._qn
        ppr = paragraph._p.pPr
        pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if pr is not None:
            nid = _val(pr, "w:numId", qn)
            return (nid, _int(_val(pr, "w:ilvl", qn), 0)) if nid and nid != "0" else None
        key = paragraph._p.style
        if key not in self._style_num:
            found = None
            style, depth = paragraph.style, 0
            while style is not None and depth < 16:
                sppr = style.element.find(qn("w:pPr"))
                spr = sppr.find(qn("w:numPr")) if sppr is not None else None
                if spr is not None:
                    nid = _val(spr, "w:numId", qn)
                    found = (nid, _int(_val(spr, "w:ilvl", qn), 0)) if nid and nid != "0" else None
                    break
                style, depth = style.base_style, depth + 1
            self._style_num[key] = found
        return self._style_num[key]

    def label(self, paragraph: Any) -> str:
        """The printed list number of ``paragraph`` ("3."), or "" (no counting list)."""
        if not self._levels or not paragraph.text.strip():
            return ""
        pr = self._num_pr(paragraph)
        if pr is None or pr not in self._levels:
            return ""
        nid, ilvl = pr
        ilvl = min(max(ilvl, 0), self._MAX_LEVELS - 1)
        fmt, text, _start = self._levels[pr]
        if fmt not in _COUNT_FORMATS:
            return ""
        counts = self._counts.setdefault(nid, [0] * self._MAX_LEVELS)
        for k in range(ilvl):  # a deeper level before its parent: the parent counts from its start
            if counts[k] == 0:
                counts[k] = self._levels.get((nid, k), ("", "", 1))[2]
        counts[ilvl] = counts[ilvl] + 1 if counts[ilvl] else _start
        for k in range(ilvl + 1, self._MAX_LEVELS):
            counts[k] = 0

        def one(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            spec = self._levels.get((nid, k), (fmt, "", 1))
            return _format_count(counts[k] if 0 <= k < self._MAX_LEVELS else 0, spec[0])

        return re.sub(r"%([1-9])", one, text).strip()


#: Word number formats rendered as text; others (bullet, none) give no label.
_COUNT_FORMATS = frozenset({"decimal", "decimalZero", "lowerLetter", "upperLetter", "lowerRoman", "upperRoman"})


def _format_count(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        s = ""
        while n > 0:
            n, r = divmod(n - 1, 26)
            s = chr(97 + r) + s
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("lowerRoman", "upperRoman"):
        out = ""
        for v, r in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                     (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
            while n >= v:
                out, n = out + r, n - v
        return out.upper() if fmt == "upperRoman" else out
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


def _val(el: Any, tag: str, qn: Any) -> str | None:
    child = el.find(qn(tag))
    return child.get(qn("w:val")) if child is not None else None


def _int(s: str | None, default: int) -> int:
    try:
        return int(s) if s is not None else default
    except ValueError:
        return default


def _blocks(document: Any) -> Any:
    """Yield ``(text, heading_source)`` for paragraphs and tables in body order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    styles = _Styles()
    numbering = _Numbering(document)
    for item in _body_items(document):
        if isinstance(item, Paragraph):
            label = numbering.label(item)
            text = _paragraph_text(item)
            # Word prints automatic list numbers that are not in the text: put them there.
            yield (f"{label} {text}" if label and text.strip() else text), _heading_kind(item, styles)
        elif isinstance(item, Table):
            blocks = _item_table_blocks(item)
            if blocks is not None:
                yield from blocks
                continue
            rows = _table_rows(item)
            if rows:
                yield "\n".join(rows), None


def _body_items(document: Any) -> Any:
    """Paragraphs and tables of the body in document order, also inside content controls.

    python-docx's ``iter_inner_content`` lists only the body's own ``w:p`` and
    ``w:tbl`` children, so a template that puts its text in block-level content
    controls (``w:sdt``/``w:sdtContent``, nested or not) would lose it; here
    the control's content is read in place, as Word shows it.
    """
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    body = document._body
    p_tag, tbl_tag, sdt_tag, content_tag = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")

    def walk(element: Any) -> Any:
        for child in element.iterchildren():
            if child.tag == p_tag:
                yield Paragraph(child, body)
            elif child.tag == tbl_tag:
                yield Table(child, body)
            elif child.tag == sdt_tag:
                for content in child.iterchildren(content_tag):
                    yield from walk(content)

    yield from walk(document.element.body)


def _paragraph_text(paragraph: Any) -> str:
    """The paragraph's text, with that of inline content controls (``w:sdt`` around runs) in place.

    python-docx's ``Paragraph.text`` reads only ``w:r`` and ``w:hyperlink``
    children; a paragraph without an inline content control reads exactly so.
    """
    from docx.oxml.ns import qn

    p = paragraph._p
    sdt_tag = qn("w:sdt")
    if p.find(sdt_tag) is None:
        return paragraph.text
    r_tag, link_tag, content_tag = qn("w:r"), qn("w:hyperlink"), qn("w:sdtContent")

    def text(element: Any) -> str:
        parts: list[str] = []
        for child in element.iterchildren():
            if child.tag in (r_tag, link_tag):
                parts.append(child.text)
            elif child.tag == sdt_tag:
                for content in child.iterchildren(content_tag):
                    parts.append(text(content))
        return "".join(parts)

    return text(p)


#: Header rows allowed above the first numbered row of an item table.
_ITEM_TABLE_HEADER_ROWS = 2


def _cell_grid(table: Any) -> list[list[tuple[int, list[str]]]]:
    """Per row, ``(grid column, paragraph texts)`` of each cell; a vertically merged continuation is empty."""
    from docx.table import _Cell

    grid: list[list[tuple[int, list[str]]]] = []
    for tr in table._tbl.tr_lst:
        column = tr.grid_before
        row: list[tuple[int, list[str]]] = []
        for tc in tr.tc_lst:
            paras: list[str] = []
            if tc.vMerge != "continue":
                paras = [t for t in (" ".join(p.text.split()) for p in _Cell(tc, table).paragraphs) if t]
            row.append((column, paras))
            column += max(1, tc.grid_span)
        grid.append(row)
    return grid


def _item_table_blocks(table: Any) -> list[tuple[str, str | None]] | None:
    """Blocks for a table whose rows are the meeting's items, or None for any other table.

    The table's own shape says so: rows whose first cell is a numbering
    sequence (1, 2, 3 … or § 34, § 35 …), under a header row ("Punkt | Ämne |
    Ansvarig") or none, and a cell holding several paragraphs (the bold
    title, then its case number and notes). One
    tab-separated line per row would join those paragraphs and lose where the
    title ends, so each row becomes the number and the first paragraph of its
    first text cell ("1<TAB>Föregående anteckningar"), the cell's other
    paragraphs as body paragraphs, and the other cells labelled with their
    column's header ("Ansvarig: Nina Rudberg"). Tables with one paragraph per
    cell keep their row lines (the segmenter reads those whole).
    """
    grid = _cell_grid(table)
    first = None
    for k, row in enumerate(grid[: _ITEM_TABLE_HEADER_ROWS + 1]):
        if row and row[0][1] and NUMBER_CELL.match(" ".join(row[0][1])):
            first = k
            break
    if first is None:  # no numbered row near the top
        return None
    rows = [r for r in grid[first:] if any(p for _, p in r)]
    if counted_rows([r[0][1] for r in rows]) is None:
        return None
    if not any(len(p) > 1 for r in rows for _, p in r[1:]):
        return None
    header = {col: " ".join(p) for col, p in grid[first - 1]} if first else {}
    blocks: list[tuple[str, str | None]] = []
    if first:
        blocks.append(("\t".join(" ".join(p) for _, p in grid[first - 1]).rstrip("\t"), None))
    for r in rows:
        cells = [(header.get(col, ""), p) for col, p in r[1:] if p]
        blocks.extend((line, None) for line in item_row_lines(r[0][1], cells))
    return blocks


def _table_rows(table: Any) -> list[str]:
    """One tab-separated line per row, in time linear in the number of cells.

    A cell spanning several columns is kept once; a cell continuing a
    vertical merge repeats the text of the cell it continues (as python-docx's
    ``row.cells`` does, but without searching upwards for it row by row).
    """
    from docx.table import _Cell

    rows: list[str] = []
    above: dict[int, str] = {}  # grid column -> text of the cell there in the row above
    for tr in table._tbl.tr_lst:
        here: dict[int, str] = {}
        cells: list[str] = []
        column = tr.grid_before
        for tc in tr.tc_lst:
            span = max(1, tc.grid_span)
            if tc.vMerge == "continue":
                text = above.get(column, "")
            else:
                text = " ".join(_Cell(tc, table).text.split())
            for k in range(span):
                here[column + k] = text
            cells.append(text)
            column += span
        above = here
        if any(cells):
            rows.append("\t".join(cells).rstrip("\t"))
    return rows


def _heading_kind(paragraph: Any, styles: _Styles) -> str | None:
    """Return ``style``, ``bold`` or None for a paragraph."""
    text = paragraph.text.strip()
    if not text:
        return None
    if styles.is_heading(paragraph):
        return "style"
    if len(text) > _BOLD_HEADING_MAX:
        return None
    runs = [r for r in paragraph.runs if r.text.strip()]
    if runs and all(_run_bold(r, paragraph, styles) for r in runs):
        return "bold"
    return None


def _run_bold(run: Any, paragraph: Any, styles: _Styles) -> bool:
    if run.bold is not None:
        return bool(run.bold)
    bold = styles.run_bold(run)
    if bold is None:
        bold = styles.paragraph_bold(paragraph)
    return bool(bold)


#: Most lines taken from a section's page header or footer (a letterhead, not a document).
_PAGE_LINES_MAX = 12


def _page_lines(document: Any) -> tuple[list[str], list[str]]:
    """The text lines of the page headers and footers of all sections, each line once.

    Word keeps the letterhead ("Säters kommun", the body, a logo's caption) in
    the page header, outside the body text; the PDF reader reports its running
    lines the same way (``front_matter["page_header"]``, ``running_lines``), so
    the meeting facts can come from the document's own header.
    """
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    header: list[str] = []
    footer: list[str] = []
    for section in document.sections:
        for parts, out in (
            ((section.first_page_header, section.header, section.even_page_header), header),
            ((section.first_page_footer, section.footer, section.even_page_footer), footer),
        ):
            for part in parts:
                try:
                    if part.is_linked_to_previous:
                        continue
                    content = list(part.iter_inner_content())
                except Exception:  # noqa: BLE001 - a broken header part must not lose the document
                    continue
                for item in content:
                    if isinstance(item, Paragraph):
                        texts = [item.text]
                    elif isinstance(item, Table):
                        texts = _table_rows(item)
                    else:
                        continue
                    for text in texts:
                        line = " ".join(text.split("\n")).strip()
                        if line and line not in out and len(out) < _PAGE_LINES_MAX:
                            out.append(line)
    return header, footer


def _core_properties(props: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if props.title and props.title.strip():
        out["title"] = props.title.strip()
    if props.author and props.author.strip():
        out["author"] = props.author.strip()
    created = props.created
    if isinstance(created, dt.datetime):
        out["created"] = created.replace(tzinfo=None).isoformat()
    return out
