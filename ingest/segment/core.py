"""Split a document into agenda items (ärenden, punkter, paragrafer).

``segment(doc)`` never raises and never returns an empty list. It tries the
following schemes in order and takes the first one that yields an accepted
item structure:

1. **§ headings** (``heading_source="paragraph"``): a line starting with
   ``§ 12`` (``§12``), ``12 §`` (the number before the sign) or a joint
   ``§§ 41–42`` (numbered by its first paragraph, "§ 41"), optionally followed by ``Dnr …`` and/or the title on
   the same line; otherwise the title is the next line (wrapped titles of up
   to three lines are joined; across a blank line only after a line ending in
   a function word, "… SERVERINGSTILLSTÅND FÖR" / "GLASBRUKSFESTEN"). ``number`` is ``"§ 12"`` (as written, with the
   space normalised) and the diarienummer goes to ``dnr``. A case-number
   line under the title ("Dnr 2024/89", "Diarienummer: UN 2024/12") belongs
   to the heading (``dnr``), neither to the title nor to the body; one that
   stands between two title lines (a margin column read between them) is
   lifted out and the title joined. A case-number label alone in a cell or
   on a line of its own ("§ 35<TAB>Title<TAB>Dnr" over "SN 2025/0045", a
   heading laid out as a ruled table row) is neither title nor number. Title
   lines never take in a bullet line or a ``Label: value`` line
   ("Föredragande: …"), nor, as the last joined line, a lead-in ending in a
   colon or a line ending in a function word whose sentence goes on below
   ("Rådet beslutar att" over its points). When § headings
   exist, nothing else starts an item: "1." lists, "Beslut", "Beslutsgång"
   inside a paragraph stay in it.
2. **Keyword items** ("Punkt 3", "Ärende 4"; ``numbered``): ``number`` is
   the digits, "3".
3. **Numbered lines** ("1. Närvaro", "2) Lägesbild"; ``numbered``):
   ``number`` is the digits, "1". Titles must start with a capital letter.
   A Markdown entry in bold ("1. **Mötets öppnande**") is such a line; where
   markup delimits the heading (that, "**1. Välkomna**", "### 1. Välkomna")
   the title is all of it and the lines under it are its text. A bold run-in
   title ("1. **Lägesbild.** Polisen …") heads the text after it on the line.
   A numbered line indented deeper than the list's own entries is a point
   nested in an entry, and a numbered list that is the content of one
   Markdown section (a lead-in above it, a heading after it) stays in that
   section (``_list_inside_section``).

   A number standing in its own table cell ("3<TAB>Title<TAB>2024/134-KS",
   an agenda table) is a numbered line too; trailing case-number and page
   cells are cut off the title (the case number goes to ``dnr``). A row whose
   last cell is running text after a short title cell ("3<TAB>Lägesbild<TAB>Lugnt
   i tätorten. Informationen noteras.", a Nr / Ärende / Beslut table) is a whole
   item: its body is that cell, and rows of such a table are not an inner list.

   For 1–3 the numbers must increase: the item sequence is the best-scoring
   increasing chain (small gaps allowed, so a stray or out-of-order line is
   dropped and stays inside the previous item). Lines inside a tight run of
   numbered lines (an inner list) weigh less than isolated ones, so a
   "1. 2. 3." list inside an item does not replace the outer numbering.
   A numbered line is never a heading when it continues a sentence from the
   line above, when its title starts in lower case, or when it belongs to a
   table of contents (an ``Innehåll``-type block, or its title lines end in
   dot leaders and a page number).
4. **Markup headings** (Markdown ``#``, a whole line in ``**bold**``
   (``bold``), ``- **bold bullet**`` or a labelled ``- **Label:** text``
   (``bullet``, the text after the label is its body)): the shallowest kind
   that occurs at least twice starts items; deeper kinds stay inside as
   sub-headings. Markdown with labelled bullets skips the layout scheme (which
   would take every ``#`` heading, levels unweighed).
5. **Layout headings** reported by the reader in ``doc.headings`` (PDF margin
   headings: ``margin``).
6. **Heading lines** (``heading_line``): a short block (≤ 8 words over at
   most three wrapped lines, capitalised, no final ``.,;:``, not ending in a
   function word such as "och"/"om", not a list item or ``label: value``) separated by blank lines and followed by prose, or a
   cue word from ``data/segment.yaml`` (``Inledning``, ``Övrigt``, …) on its
   own line. The first block of the document is its title, not an item.
   Where headings stand directly above their text (no blank line between),
   a block whose first line is heading-shaped and whose rest holds a
   sentence is split in two, when that shape recurs and outnumbers headings
   set apart (beside those it marks sub-headings inside items).
   Flattened margin layouts (TXT from PDF): several heading blocks stacked
   together are assigned to the *last* N sections (separated by 2+ blank
   lines) that follow them, the first sections continuing the previous item
   across the page break; such items start at their body (the heading text
   lies inside the previous item's span) and get ``heading_source="margin"``.

In schemes 4–6 a line starting with a closing cue ("Nästa möte 4 juni
kl. 17") opens a final item titled with the cue (here "Nästa möte"), so the
next-meeting note is its own item in every unnumbered document. In numbered
documents it is whatever the numbering makes it.

Text before the first item (title, participants, "Plats och tid", a lead-in
sentence) is **not** an item; the meeting metadata covers it. A scheme that
finds a single item while most of the text lies before it is rejected (a
stray heading in a news text must not hide the text).

A signing-service receipt (twoday/Ciceron/Verifikat …, once in the second
half of the document), a trailing signature block ("Vid protokollet", names,
"Ordförande", "Arboga den 2021") and trailing footer residue ("Det här
dokumentet är digitalt signerat", "Transaktionsidentitet") are cut from the
last item. Once the items are known, the end matter inside the last item is
cut as well (``_end_matter_start``; phrases in ``data/segment.yaml``): a
letterhead footer (contact lines and lines repeated from earlier text), an
attachment such as the attendance and voting list ("Bilaga 1 Närvaro- och
omröstningslista", ANSLAG/BEVIS), a table of contents after the items, a
"Bilagor" list under the signatures and the signature block itself (roles,
names, "Name, role", "Role: Name", signature rules, cells side by side). A
document whose only item would be left without text keeps it.

A document that is only an agenda list (a kallelse, a dagordning: a run of
at least three numbers counting up, each entry with little text, little text
after the last) has its entries as items when no scheme above found any, or
when the headings schemes 4–6 found only introduce the list (the document's
title and the list's own heading above the rows: ``_list_below_heads``). In
such a run a row may be numbered by a bare number ("1 Val av justerare").

A document with no accepted structure becomes one item (``whole``) titled
with its first layout heading, first Markdown heading or first line, or
"Hela dokumentet" when it has no text.

Offsets: ``doc.text[item.start:item.end]`` holds the heading and the body;
items are ordered and do not overlap. ``item.text`` is a verbatim slice of
``doc.text`` (heading excluded, outer whitespace stripped), so
``doc.text.index(item.text, item.start)`` locates it; running-header residue
a reader left inside an item stays in its text.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ingest.segment import agenda as _agenda
from ingest.segment.casenum import (
    COLON_DNR,
    bare_case_number,
    case_number_at_start,
    find_labelled,
    is_case_number_line,
    is_label_only,
    starts_labelled,
)
from ingest.segment.flat import is_flattened, virtual_lines
from ingest.segment.lines import Line, mark_styles, split_lines
from ingest.segment.sections import add_sections, recurring_headings, section_kind, section_names
from radslag.types import AgendaEntry, AgendaItem, Document

__all__ = ["segment"]

log = logging.getLogger(__name__)

_DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "segment.yaml"

#: Word-ish token: anything containing a letter or a digit.
_WORD = re.compile(r"[\wÅÄÖåäö]+", re.UNICODE)
_TERMINAL = ".!?"
_DOT_LEADER = re.compile(r"(?:\.{4,}|\s\.{2,}|…{2,}|(?:\.\s){4,}|_{5,})\s*\d{1,4}\s*$")
#: A register code before a § sign: "KF", "BUN", "KSAU" or printed in mixed case, "Kf", "Ks", "Bun".
_REG = r"(?:[A-ZÅÄÖ]{2,8}|[A-ZÅÄÖ][a-zåäö]{1,4})"
#: "§ 12", "§12.", "§ 3a", "KF § 24", "BUN § 1", "Kf § 115" (register codes before the sign).
_PARA = re.compile(rf"^(?:{_REG}(?:[ -]{_REG})?\s+)?§\s*(\d{{1,4}})([a-z])?(?![\d§\w])\s*[.:]?\s*(.*)$")
#: "33 §  Title": the number before the sign, as many Swedish protocols print it.
_PARA_POST = re.compile(r"^(\d{1,4})([a-z])?\s*§(?![§\d])\s*[.:]?\s*(.*)$")
#: "§§ 41–42 Title", "§ 7 och 8": one heading for a run of paragraphs; numbered by its first.
_PARA_JOINT = re.compile(
    rf"^(?:{_REG}\s+)?§§?\s*(\d{{1,4}})()\s*(?:[–-]|,|&|och)\s*§?\s*\d{{1,4}}(?![\d\w])\s*[.:]?\s*(.*)$"
)


def _para(s: str) -> re.Match[str] | None:
    """Match a § heading line: "§ 33 Title", "33 § Title" or a joint "§§ 41–42 Title".

    All give group 1 the (first) number, group 2 the letter suffix and group 3 the rest.
    A capitalised word before the sign that starts a sentence ("Se § 12 …",
    ``sentence_words`` of ``data/segment.yaml``) is not a register code.
    """
    m = _PARA_JOINT.match(s) or _PARA.match(s)
    if m and _sentence_word_before_sign(s):
        m = None
    return m or _PARA_POST.match(s)


def _sentence_word_before_sign(s: str) -> bool:
    """The line opens with a capitalised function word before its § sign ("Se § 4", "Enligt § 3")."""
    head = s.split("§", 1)[0].split()
    return bool(head) and not head[0].isupper() and any(w.casefold() in _cues().sentence_words for w in head)


#: The number cell of a right-hand column: "TN § 34", "§ 34", "34 §" alone in its cell.
_PARA_CELL = re.compile(rf"^(?:{_REG}(?:[ -]{_REG})?\s+)?§\s*(\d{{1,4}})([a-z])?\.?$|^(\d{{1,4}})([a-z])?\s*§$")
#: Cells of a layout line: a tab or a run of three or more spaces (a text copy of a column layout).
_CELLS = re.compile(r"\t+| {3,}")


def _para_right(s: str) -> tuple[int, str, str] | None:
    """A § number standing in a right-hand column of the title's line.

    "Belysning i gångtunneln vid Presterud<TAB>TN § 34": the layout put the
    number in its own cell after the title (a column, not the end of a
    sentence). Cells after the number (a case number) are kept for the
    caller. Returns ``(number, suffix, rest)`` with the number cell removed,
    or None.
    """
    if "§" not in s:
        return None
    cells = [c.strip() for c in _CELLS.split(s.strip())]
    if len(cells) < 2:
        return None
    for k in range(1, len(cells)):
        m = _PARA_CELL.match(cells[k])
        if m and not _sentence_word_before_sign(cells[k]):
            num, suffix = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            title = " ".join(cells[:k])
            if not _starts_upper(title) or _words(title) > 25 or "§" in title:
                return None
            return int(num), suffix or "", "\t".join([title] + cells[k + 1:])
    return None


#: "FHR 29", "KSAU 12": a register code and a number standing alone, no §.
_CODE_NUM = re.compile(r"^([A-ZÅÄÖ]{2,8})\s+(\d{1,4})(?![\d\w./:-])\s*[.:]?\s*(.*)$")
#: Every § number on a line ("§ 94 § 95 § 96": numbers of an agenda-list column).
_PARA_ANY = re.compile(r"(?:(?<=\s)|^)(?:[A-ZÅÄÖ]{2,8}\s+)?§\s*(\d{1,4})([a-z])?(?![\d\w])")
_LIST = re.compile(r"^(\d{1,3})\s*[.)](?!\d)\s+(\S.*)$")
# "3 – Lägesbild från polisen": a number, a spaced dash and a capitalised title (a dash stands for the full
# stop of "3. Lägesbild"); the items still have to make a numbering sequence to be taken.
_LIST_DASH = re.compile(r"^(\d{1,3})\s+[–—-]\s+(?=[A-ZÅÄÖ])(\S.*)$")
#: "2.1 Polisen", "3.1. Tidplan": a decimal sub-point heading inside an item, never part of a title.
_SUBNUM = re.compile(r"^\d{1,3}\.\d{1,3}(?:\.\d{1,3})*\.?\s+\S")
#: "3<TAB>Information: trygghetsläget …<TAB>2024/134-KS": a number in its own table cell.
_TAB_ROW = re.compile(r"^(\d{1,3})\t+(\S.*)$")
#: Trailing table cells: a case number, a page number.
_PAGE_CELL = re.compile(r"^\d{1,3}$")
#: "17." alone on its line, the title below.
_LIST_ALONE = re.compile(r"^(\d{1,3})\s*[.)]$")
#: "17 Föregående protokoll" on a line cut out of flattened text.
_LIST_FLAT = re.compile(r"^(\d{1,3})\s*[.)]?\s+(\S.*)$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BOLD_LINE = re.compile(r"^(\*\*|__)(?P<t>[^*_].*?)\1\s*$")
_BULLET_BOLD = re.compile(r"^[-*•–]\s+(\*\*|__)(?P<t>[^*_].*?)\1\s*$")
#: "1. **Mötets öppnande**": an ordered-list entry whose text is all bold (the number is kept).
_NUMBER_BOLD = re.compile(r"^(?P<n>\d{1,3}[.)])\s+(\*\*|__)(?P<t>[^*_].*?)\2\s*$")
#: "1. **Lägesbild.** Polisen redogör …": a bold run-in title, its text after it on the same line.
_NUMBER_BOLD_RUN_IN = re.compile(r"^(?P<n>\d{1,3}[.)])\s+(\*\*|__)(?P<t>[^*_].*?)\2[ \t]*(?P<rest>\S.*)$")
#: Words of a run-in title at most.
_RUN_IN_WORDS = 12
#: "- **Lägesbild:** text …": a bullet whose bold label (ending in a colon) heads the text after it.
_BULLET_LABEL = re.compile(r"^[-*•–]\s+(\*\*|__)(?P<t>[^*_][^*_]*?)(?P<c1>:?)\1(?P<c2>:?)\s+(?P<rest>\S.*)$")
_BULLET = re.compile(r"^(?:[-*•–·▪●◦]|\d{1,3}[.)])\s")
_DATEISH = re.compile(r"\d{4}-\d{2}-\d{2}|\b\d{1,2}[:.]\d{2}\b")
_LABEL = re.compile(r"^[^:]{1,40}:\s+\S")
_PLACE_DATE = re.compile(
    r"^[A-ZÅÄÖ][\w-]+(?:\s[\w-]+)?,?\s+(?:den\s+)?(?:\d{1,2}\s+\w+\s+)?\d{4}(?:-\d{2}-\d{2})?\.?$"
)
_NAME = re.compile(r"^[A-ZÅÄÖÉ][\w'’.-]+(?:\s+(?:[A-ZÅÄÖÉ][\w'’.-]+|von|af|de|van))" r"{0,4}(?:\s*\([A-ZÅÄÖ]{1,3}\))?,?$")


# --------------------------------------------------------------------------
# Cue data
# --------------------------------------------------------------------------


def _norm(s: str) -> str:
    """Lower-case, collapse whitespace, drop trailing ``:``/``?``/``.``."""
    return re.sub(r"\s+", " ", s).strip().rstrip(":?.!").strip().casefold()


@dataclass(frozen=True)
class _Cues:
    heading: frozenset[str]
    closing: tuple[str, ...]
    toc: frozenset[str]
    keywords: tuple[str, ...]
    subheading: frozenset[str]
    trailer_cut: tuple[re.Pattern[str], ...]
    residue: tuple[re.Pattern[str], ...]
    roles: frozenset[str]
    fragment_endings: frozenset[str]
    sentence_words: frozenset[str]
    end_matter: tuple[re.Pattern[str], ...]
    end_lists: frozenset[str]
    contact: tuple[re.Pattern[str], ...]
    keyword_re: re.Pattern[str]
    counted_re: re.Pattern[str]


@functools.lru_cache(maxsize=1)
def _cues() -> _Cues:
    """Load and compile ``data/segment.yaml`` once."""
    data: dict[str, Any] = yaml.safe_load(_DATA_FILE.read_text(encoding="utf-8")) or {}

    def words(key: str) -> list[str]:
        return [str(w) for w in data.get(key) or []]

    keywords = tuple(words("item_keywords"))
    kw_alt = "|".join(re.escape(k) for k in sorted(keywords, key=len, reverse=True)) or r"(?!x)x"
    count_alt = "|".join(re.escape(w) for w in words("count_words")) or r"(?!x)x"
    return _Cues(
        heading=frozenset(_norm(w) for w in words("heading_cues")),
        closing=tuple(sorted((w.casefold() for w in words("closing_cues")), key=len, reverse=True)),
        toc=frozenset(_norm(w) for w in words("toc_cues")),
        keywords=keywords,
        subheading=frozenset(_norm(w) for w in words("subheading_cues")),
        trailer_cut=tuple(re.compile(p, re.IGNORECASE) for p in words("trailer_cut")),
        residue=tuple(re.compile(p, re.IGNORECASE) for p in words("trailer_residue")),
        roles=frozenset(_norm(w) for w in words("signature_roles")),
        fragment_endings=frozenset(_norm(w) for w in words("fragment_endings")),
        sentence_words=frozenset(_norm(w) for w in words("fragment_endings") + words("sentence_words")),
        end_matter=tuple(re.compile(p, re.IGNORECASE) for p in words("end_matter")),
        end_lists=frozenset(_norm(w) for w in words("end_lists")),
        contact=tuple(re.compile(p) for p in words("contact_lines")),
        keyword_re=re.compile(
            rf"^(?i:{kw_alt})\s+(?i:nr\.?\s*)?(\d{{1,3}})(?!\d)\s*[.:)\-–]?\s*(.*)$"
        ),
        counted_re=re.compile(
            rf"^((?i:{kw_alt})\s+(?i:nr\.?\s*)?(\d{{1,3}}))\s+(?i:{count_alt})\s+(\d{{1,3}})(?![\d\w])"
        ),
    )


# --------------------------------------------------------------------------
# Lines
# --------------------------------------------------------------------------


_Line = Line
_split_lines = split_lines


def _unmarkup(s: str) -> str:
    """Strip Markdown heading marks, bold markers and a bullet before bold.

    An ordered-list entry in bold keeps its number: "1. **Mötets öppnande**" is "1. Mötets öppnande".
    """
    s = s.strip()
    m = _MD_HEADING.match(s)
    if m:
        s = m.group(2)
    m = _BULLET_BOLD.match(s) or _BOLD_LINE.match(s)
    if m:
        s = m.group("t")
    elif m := _NUMBER_BOLD.match(s):
        s = f"{m.group('n')} {m.group('t')}"
    return s.strip().strip("*_").strip()


def _words(s: str) -> int:
    return len(_WORD.findall(s))


def _clean_title(s: str) -> str:
    """Collapse whitespace; drop edge dashes/colons and one final period."""
    s = re.sub(r"\s+", " ", s).strip().strip(" -–—:").strip()
    return s[:-1].rstrip() if s.endswith(".") and not s.endswith("..") else s


def _starts_upper(s: str) -> bool:
    s = s.lstrip("\"'”“«»(")
    return bool(s) and s[0].isupper()


def _continues_sentence(lines: list[_Line], i: int) -> bool:
    """True when line ``i`` directly continues an unfinished sentence above.

    A line numbered next in sequence after a numbered line above ("8.<TAB>Information
    om kulturskolans nya lokaler" / "9.<TAB>Delegationsbeslut"), or after one whose
    title wrapped onto the lines between (up to three lines, no blank), is that list's
    next entry: the line above is an entry's title, not a sentence that goes on.
    """
    if i == 0 or lines[i - 1].blank:
        return False
    prev = lines[i - 1].text
    if _NAMED_LABEL.match(prev):
        return False  # "Föredragande: Föreningskonsulent Tobias Ek": a record ending in a name, no sentence
    here = _parse_number(_unmarkup(lines[i].text), lines[i].virtual, _marked_heading(lines[i]))
    if here:
        for k in range(i - 1, max(i - 4, -1), -1):  # the row above, maybe wrapped over two lines
            if lines[k].blank:
                break
            above = _parse_number(_unmarkup(lines[k].text), lines[k].virtual, _marked_heading(lines[k]))
            if above:
                if above[0] == here[0] and here[1] == above[1] + 1:
                    return False
                break
    return len(prev) > 40 and prev[-1].isalpha() and prev[-1].islower() or prev.endswith(",")


#: A label line of one or two words whose value ends in a capitalised word (a person's name):
#: "Föredragande: Fritidschef Annika Berg", "Handläggare: Planarkitekt Johan Ek".
_NAMED_LABEL = re.compile(r"^[A-ZÅÄÖ][\wåäö-]*(?:\s[\wåäö-]+)?:\s+\S.*\s[A-ZÅÄÖÉ][\wåäöé'’-]*$")


def _next_nonblank(lines: list[_Line], i: int, limit: int) -> int | None:
    j = i
    while j < limit and lines[j].blank:
        j += 1
    return j if j < limit else None


# --------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------


@dataclass
class _Head:
    """An accepted heading: where the item starts and where its body starts."""

    start: int
    body_start: int
    title: str
    number: str | None = None
    dnr: str | None = None
    source: str = "heading_line"
    title_source: str = "heading"


# --------------------------------------------------------------------------
# Trailer
# --------------------------------------------------------------------------


def _trailer_limit(lines: list[_Line]) -> int:
    """Index of the first line that belongs to the receipt/signature trailer."""
    cues = _cues()
    n = len(lines)
    counts: dict[str, int] = {}
    for ln in lines:
        if ln.text:
            counts[ln.text.casefold()] = counts.get(ln.text.casefold(), 0) + 1
    total = max(lines[-1].end, 1) if lines else 1
    limit = n
    for ln in lines:
        if ln.blank or ln.start < total * 0.5:
            continue
        if counts.get(ln.text.casefold(), 0) >= 3:
            continue
        if any(p.match(ln.text) for p in cues.trailer_cut):
            limit = ln.idx
            break
    limit = _signature_start(lines, limit)
    # Trailing footer residue and blank lines.
    while limit > 0 and (
        lines[limit - 1].blank or any(p.match(lines[limit - 1].text) for p in cues.residue)
    ):
        limit -= 1
    return max(limit, 0) if any(not ln.blank for ln in lines[:limit]) else n


def _is_role(s: str) -> bool:
    roles = _cues().roles
    t = _norm(s)
    if t in roles:
        return True
    return any(t.startswith(r + " ") and _words(t) <= 6 for r in roles if " " in r)


def _signature_start(lines: list[_Line], limit: int) -> int:
    """Move ``limit`` up over a trailing signature block, if there is one."""
    j = limit
    has_role = False
    first = limit
    while j > 0:
        ln = lines[j - 1]
        t = ln.text
        if ln.blank:
            j -= 1
            continue
        if _is_role(t):
            has_role = True
        elif not (_NAME.match(t) or _PLACE_DATE.match(t) or re.fullmatch(r"[\d\s./-]{6,}", t)):
            break
        j -= 1
        first = j
    if not has_role:
        return limit
    # Keep at least one non-blank line before the block.
    if not any(not ln.blank for ln in lines[:first]):
        return limit
    return first


# --------------------------------------------------------------------------
# End matter after the last item
# --------------------------------------------------------------------------

#: A signature rule: "……………………", "______", ". . . . ." (a cell left for a hand to sign).
_SIG_RULE = re.compile(r"^[.…_·\s-]{3,}$")
#: A Markdown or plain-text separator line: "---", "***", "=====".
_SEPARATOR = re.compile(r"^[-*_=~]{3,}$")
#: A sign-off: "/Karin", "/Kjell Å".
_SIGN_OFF = re.compile(r"^/\s?[A-ZÅÄÖ][\w.-]*(?:\s[A-ZÅÄÖ][\w.-]*){0,3}$")
#: "Bilaga 1" alone on its line: the heading of the attachment that follows it.
_ATTACHMENT = re.compile(r"^bilaga\s+\d+[a-z]?\s*:?$", re.IGNORECASE)
#: A role label with its value: "Vid protokollet: Hanna Moberg", "Justeras: Tony Bengtsson (M)".
_ROLE_LABEL = re.compile(r"^([^:]{2,40}):\s*(\S.*)$")


def _signature_cell(t: str) -> str | None:
    """What one cell of a signature line is: ``role``, ``name``, ``rule`` or None (not one)."""
    t = t.strip().strip("*_").strip()
    if not t or _SIG_RULE.match(t):
        return "rule"
    if _is_role(t) or _SIGN_OFF.match(t):
        return "role"
    m = _ROLE_LABEL.match(t)
    if m and _is_role(m.group(1)) and _words(m.group(2)) <= 8 and not re.search(r"[.!?]$", m.group(2)):
        return "role"
    head, comma, tail = t.rpartition(",")
    if comma and _is_role(tail) and _NAME.match(head.strip()):
        return "role"  # "Maja Ström, sekreterare"
    if _NAME.match(t) and len(t.split()) >= 2 and not any(ch.isdigit() for ch in t):
        return "name"
    if _PLACE_DATE.match(t):
        return "name"  # "Arboga den 3 maj 2021"
    return None


def _signature_line(t: str) -> str | None:
    """A line of a signature block (cells side by side: names over roles), or None."""
    kinds = [_signature_cell(c) for c in _CELLS.split(t) if c.strip()] or ["rule"]
    if None in kinds:
        return None
    return "role" if "role" in kinds else ("name" if "name" in kinds else "rule")


def _signature_block_start(lines: list[_Line], lo: int, hi: int) -> int:
    """Where a signature block that ends at line ``hi`` begins (``hi`` when there is none).

    The block is a run of signature lines (a role such as "Vid protokollet"
    or "Justeras", "Name, role", "Role: Name", names, signature rules, a
    place and date) holding at least one role; separators and blank lines
    above it go with it.
    """
    j, first, role = hi, hi, False
    while j > lo:
        ln = lines[j - 1]
        if ln.blank or _SEPARATOR.match(ln.text):
            j -= 1
            continue
        kind = _signature_line(_unmarkup(ln.text))
        if kind is None:
            break
        role = role or kind == "role"
        j -= 1
        first = j
    if not role:
        return hi
    while first > lo and (lines[first - 1].blank or _SEPARATOR.match(lines[first - 1].text)):
        first -= 1
    return first


def _contact_footer_start(lines: list[_Line], lo: int, hi: int) -> int:
    """Where a letterhead footer at the end begins (``hi`` when there is none).

    The footer is a trailing run of contact lines (``contact_lines``: a postcode
    and town, a phone number, a web address) and short lines that repeat text
    printed before the last item (the organisation's name of the same letterhead
    on an earlier page); it needs at least one contact line.
    """
    cues = _cues()
    earlier: set[str] | None = None
    j, first, contact = hi, hi, False
    while j > lo:
        t = lines[j - 1].text
        if not t:
            j -= 1
            continue
        if _words(t) <= 15 and any(p.search(t) for p in cues.contact):
            contact = True
        else:
            if earlier is None:
                earlier = {ln.text.casefold() for ln in lines[:lo] if ln.text}
            if t.casefold() not in earlier or _words(t) > 8 or t[-1:] in ".!?:":
                break
        j -= 1
        first = j
    return first if contact else hi


def _end_matter_start(lines: list[_Line], lo: int, hi: int) -> int:
    """The first line of the end matter in lines ``lo``–``hi`` of the last item (``hi``: none).

    End matter is what a protocol prints after its last paragraph: a
    letterhead footer, an attachment such as the attendance and voting list
    (``end_matter`` phrases of ``data/segment.yaml``, with a "Bilaga 1" line
    directly above), a table of contents after the items, a "Bilagor" list
    under the signatures (``end_lists``) and the signature block itself.
    """
    cues = _cues()
    hi = _contact_footer_start(lines, lo, hi)
    cut = hi
    for j in range(lo, hi):
        t = _unmarkup(lines[j].text)
        if not t:
            continue
        toc = _norm(t) in cues.toc and (k := _next_nonblank(lines, j + 1, hi)) is not None and (
            _parse_number(_unmarkup(lines[k].text), False) is not None
        )
        if toc or any(p.match(t) for p in cues.end_matter):
            cut = j
            k = j - 1
            while k > lo and lines[k].blank:
                k -= 1
            if k > lo and _ATTACHMENT.match(_unmarkup(lines[k].text)):
                cut = k
            break
    for j in range(cut - 1, lo, -1):
        if _norm(_unmarkup(lines[j].text)) in cues.end_lists:
            above = _signature_block_start(lines, lo, j)
            if above < j:
                cut = above
            break
    return _signature_block_start(lines, lo, cut)


def _closing_end_matter(lines: list[_Line], lo: int, hi: int) -> int:
    """:func:`_end_matter_start` of lines ``lo``–``hi`` when the end matter closes them, else ``hi``.

    A signature cue can as well stand between a numbered agenda and the minutes
    themselves ("Dagordning" / "1. …" / "Justerandes sign" / "## Mötets
    öppnande" / …): what follows it is then no end matter. The cut counts only
    when no heading-like line (a Markdown or layout heading, a numbered heading)
    and no prose (a sentence of :data:`_PROSE_WORDS` words or more) stands
    after its first line.
    """
    cut = _end_matter_start(lines, lo, hi)
    for j in range(cut + 1, hi):
        ln = lines[j]
        if ln.blank:
            continue
        t = _unmarkup(ln.text)
        if (_MD_HEADING.match(ln.text) or ln.style or _parse_number(t, ln.virtual, False) is not None
                or (_words(t) >= _PROSE_WORDS and re.search(r"[.!?]$", t))):
            return hi
    return cut


#: A line of this many words that ends a sentence is prose, no end matter (a signature, a footer row).
_PROSE_WORDS = 10


def _trim_end_matter(doc: Document, lines: list[_Line], items: list[AgendaItem]) -> list[AgendaItem]:
    """Cut the end matter (:func:`_end_matter_start`) from the last item.

    Some text always stays when the last item is the only one (the whole
    document, an extract); an agenda entry whose only text is the signature
    under it (a kallelse) is left with none.
    """
    if not items or not lines:
        return items
    last = items[-1]
    text = doc.text or ""
    body = text.find(last.text, last.start) if last.text else -1
    if body < 0:
        return items
    lo = bisect.bisect_left(lines, body, key=lambda ln: ln.end)
    hi = bisect.bisect_left(lines, last.end, key=lambda ln: ln.start)
    if lo >= hi:
        return items
    cut = _end_matter_start(lines, lo, hi)
    kept = any(not lines[j].blank for j in range(lo, cut))
    if cut >= hi or not (kept or len(items) > 1):
        return items
    end = lines[cut - 1].end if kept else body
    while end > last.start and text[end - 1].isspace():
        end -= 1
    items[-1] = dataclasses.replace(
        last, text=text[body:end].strip() if kept else "", end=end,
        pages=doc.pages_for(last.start, end) if doc.pages else [],
    )
    return items


# --------------------------------------------------------------------------
# Numbered schemes
# --------------------------------------------------------------------------


@dataclass
class _Cand:
    kind: str  # "para", "code", "keyword", "list"
    line: int
    num: int
    title: str
    body_line: int  # first line after the title
    dnr: str | None
    weight: float = 1.0
    suffix: str = ""  # the letter of "§ 3a"
    rest: str = ""  # the heading line after the number, as written
    code: str = ""  # the register code of "FHR 29"
    multi: bool = False  # one of several numbers on a line: an agenda-list column
    body_chars: int = 0
    body_off: int | None = None  # a table row's body cell: the body starts on the heading line
    cell_off: int | None = None  # the later cells of a row whose title a case-number or empty cell ended
    head_line: int | None = None  # where the heading starts when its title stands above the number
    bare: bool = False  # a one-line row numbered by a bare number ("1 Val av justerare"), see _bare_rows
    run_in: bool = False  # "1. **Lägesbild.** Polisen redogör …": a bold title with its text on the line
    bare_number: bool = False  # no title on the number line itself ("§ 62", "§ 62<TAB>Dnr ON 2025/14")

    @property
    def key(self) -> float:
        return self.num + ((ord(self.suffix) - 96) / 100 if self.suffix else 0.0)

    @property
    def label(self) -> str:
        if self.kind == "para":
            return f"§ {self.num}{self.suffix}"
        if self.kind == "code":
            return f"{self.code} {self.num}"
        return str(self.num)


def _is_subheading(s: str) -> bool:
    t = _norm(_unmarkup(s))
    subs = _cues().subheading
    if t in subs or (_starts_upper(_unmarkup(s)) and any(t.startswith(c + " ") and _words(t) <= 6 for c in subs)):
        return True
    return t in section_names() or section_kind(_unmarkup(s)) is not None


def _joinable(prev: str, nxt: str) -> bool:
    if (_is_subheading(nxt) or _words(nxt) > 15 or _DOT_LEADER.search(nxt) or _BULLET.match(nxt) or _LABEL.match(nxt)
            or is_label_only(nxt)):
        return False  # a bullet or a "Föredragande: …" line belongs to the body, never to the title
    if _para(nxt) or _para_right(nxt) or _LIST.match(nxt) or _LIST_DASH.match(nxt) or _TAB_ROW.match(nxt) or _SUBNUM.match(nxt) or is_case_number_line(nxt):
        return False
    if not nxt[0].isalpha() or not _starts_upper(nxt) or prev[-1:] in ("&", "-", "–", ",", "/"):
        return True
    return (
        bool(prev)
        and not (re.search(r"[.!?]\s", nxt) and _words(prev) <= 4)  # a short heading, then a sentence
        and prev[-1] not in _TERMINAL + ":;"
        and prev[-1].isalpha()
        and prev.split()[-1].islower()
        and not nxt.endswith(".")
    )


def _tail(s: str) -> bool:
    """A short title tail a PDF layout set apart: "2026/2027", "(V)"."""
    return bool(s) and _words(s) <= 3 and (s[0].isdigit() or s[0] == "(") and s[-1] not in ".:;," and not is_case_number_line(s)


def _title_lines(lines: list[_Line], i: int, limit: int, first: str) -> tuple[str, int, str | None]:
    """Return the title of the heading on line ``i``, the first body line and a case number.

    ``first`` is the title text found on the heading line itself (may be
    empty; then the next line, across at most two blank lines and a line of
    case numbers, is the title).
    """
    parts: list[str] = []
    dnr: str | None = None
    j = i + 1
    last = i  # the last line of the title
    if first:
        parts.append(first)
    else:
        k = _next_nonblank(lines, j, min(limit, j + 3))
        if k is not None and is_case_number_line(_unmarkup(lines[k].text)):
            dnr = case_number_at_start(_unmarkup(lines[k].text))[0]
            j = k + 1
            k = _next_nonblank(lines, j, min(limit, j + 3))
        if k is not None and not _is_subheading(lines[k].text):
            t = _unmarkup(lines[k].text)
            if "\t" in t and not _para(t):
                # "Dnr TN 2024/77<TAB>Belysning i gångtunneln": a case-number cell beside the title.
                t, cell_dnr = _split_cells(t)
                if cell_dnr:
                    dnr = ", ".join(x for x in (dnr, cell_dnr) if x)
            if not (_para(t) or starts_labelled(t) or _DOT_LEADER.search(t)) and _words(t) <= 40:
                parts.append(t)
                j = k + 1
                last = k
    if lines[i].virtual:
        # Flattened text: the title was cut from its body by the flat reader.
        return _clean_title(" ".join(parts)), j, dnr
    # A title block set apart by a blank line (as PDF layouts give it) is joined whole.
    block_end = j
    while block_end < limit and not lines[block_end].blank and block_end - j < 4:
        block_end += 1
    in_block = parts and block_end - j <= 3 and (block_end >= limit or lines[block_end].blank)
    joined: list[tuple[int, str | None, int]] = []  # (line, case number, last title line) before each join
    wrap = _wrap_width(lines, lines[i].quoted)
    while parts and len(parts) < 4 and j < limit and not lines[j].blank:
        nxt = _unmarkup(lines[j].text)
        if wrap and lines[last].lead + len(lines[last].text) + 1 + len(nxt.split()[0]) <= wrap:
            break  # hard-wrapped text: the next line's first word fitted, so the writer ended the title here
        joinable = _joinable(parts[-1], nxt) or (
            in_block and _words(nxt) <= 12 and parts[-1][-1:] not in ".!?:" and not _is_subheading(nxt)
            and not is_case_number_line(nxt) and not is_label_only(nxt) and not re.search(r"[.!?](?:\s|$)", nxt)
            and not _BULLET.match(nxt) and not _LABEL.match(nxt) and not _SUBNUM.match(nxt)
            and _parse_number(nxt, lines[j].virtual, _marked_heading(lines[j])) is None  # the next item
        )
        if not joinable or _words(" ".join(parts + [nxt])) > 40:
            break
        if "\t" in nxt:
            # "ansökan till Integritetsskyddsmyndigheten<TAB>Dnr TN 2024/52": the case number
            # in the right-hand column of the title's second line.
            nxt, cell_dnr = _split_cells(nxt)
        else:
            cell_dnr = None
        joined.append((j, dnr, last))
        if cell_dnr:
            dnr = ", ".join(x for x in (dnr, cell_dnr) if x)
        parts.append(nxt)
        last = j
        j += 1
    if joined and (parts[-1].endswith(":") or (j < limit and not lines[j].blank and _ends_in_fragment(parts[-1]))):
        # "3. Budget" / "Rådet beslutar att" / "1. budgeten antas,": a line ending in a function word
        # whose sentence goes on below, outside the title, opens the text; so does a lead-in ending
        # in a colon ("Rådet föreslår:") over what it introduces. Neither ends a title.
        j, dnr, last = joined.pop()
        parts.pop()
    row = _title_row_below(lines, i, j, limit, parts) if not joined else None
    if row is not None:
        # "Val av ledamot … efter Lena Hörberg<TAB>§ 10" / "(S)<TAB>Dnr KS 2025/214": the title's
        # column goes on in the next row, whose right-hand cell (under the number) is the case number.
        k, more, cell_dnr = row
        parts.append(more)
        dnr = ", ".join(x for x in (dnr, cell_dnr) if x)
        last = k
        j = k + 1
    elif parts and j + 1 < limit and lines[j].blank and _tail(_unmarkup(lines[j + 1].text)):
        after = j + 2
        if after >= limit or lines[after].blank:
            parts.append(_unmarkup(lines[j + 1].text))
            last = j + 1
            j += 2
    elif parts and j + 1 < limit and lines[j].blank and _wrapped_across_gap(parts[-1], lines, j + 1, limit, last):
        parts.append(_unmarkup(lines[j + 1].text))
        last = j + 1
        j += 2
    if parts:
        j, dnr = _case_line_below(lines, j, limit, parts, dnr, lines[last].style)
    return _clean_title(" ".join(parts)), j, dnr


#: Hard-wrapped text: the widest line is at most this wide, and at least this many lines
#: (this share of the lines with text below them) end within ``_WRAP_SLACK`` columns of it.
_WRAP_MAX, _WRAP_MIN_FULL, _WRAP_SHARE, _WRAP_SLACK = 100, 5, 0.5, 16
_wrap_cache: dict[tuple[int, bool], tuple[list[_Line], int | None]] = {}


def _wrap_width(lines: list[_Line], quoted: bool = False) -> int | None:
    """The column a hard-wrapped plain text was wrapped at, learnt from its lines; None otherwise.

    A text wrapped at a fixed width ("… at 76 columns") has many lines that end
    just short of that width and run on into the next line. A layout (a PDF's
    columns, a tab row, a gap of three spaces) or a text with long paragraph
    lines has none. In such a text a line whose next line's first word would
    have fitted was ended by the writer, so a heading does not take that line in.
    The numbered heading lines are what the rule decides about, so they are no
    evidence either way: in short notes ("2) Title" over two lines of text) they
    are as many as the wrapped lines and would hide the width.

    Lines quoted in an e-mail (``quoted``) were wrapped by their own writer,
    the mail around them by another: each part's width is learnt from its
    own lines.
    """
    hit = _wrap_cache.get((id(lines), quoted))
    if hit is not None and hit[0] is lines:
        return hit[1]
    width: int | None = None
    texts = [ln for ln in lines if not ln.blank and ln.quoted == quoted]
    if texts and not any(ln.virtual or "\t" in ln.text or "   " in ln.text for ln in texts):
        w = max(ln.lead + len(ln.text) for ln in texts)
        runs = [
            ln for ln in lines[:-1]
            if not ln.blank and ln.quoted == quoted and not lines[ln.idx + 1].blank
            and _parse_number(_unmarkup(ln.text), ln.virtual, _marked_heading(ln)) is None
        ]
        full = [ln for ln in runs if ln.lead + len(ln.text) >= w - _WRAP_SLACK]
        # The lines whose sentence runs on into the next line (which starts in lower case) are the
        # wrapped ones; short list lines (one name a line) do not count against them.
        broken = [ln for ln in runs if lines[ln.idx + 1].text.strip()[:1].islower()]
        full_broken = [ln for ln in broken if ln.lead + len(ln.text) >= w - _WRAP_SLACK]
        if 40 <= w <= _WRAP_MAX and (
            (len(full) >= _WRAP_MIN_FULL and len(full) >= _WRAP_SHARE * len(runs))
            or (len(full_broken) >= _WRAP_MIN_FULL and len(full_broken) == len(broken))
        ):
            width = w
    if len(_wrap_cache) > 1:
        _wrap_cache.clear()
    _wrap_cache[(id(lines), quoted)] = (lines, width)
    return width


def _title_row_below(lines: list[_Line], i: int, j: int, limit: int,
                     parts: list[str]) -> tuple[int, str, str] | None:
    """The next row of a heading laid out "Title<TAB>§ 10", when its left cell continues the title.

    A layout with the number in a right-hand column prints the case number in
    that column under the number, and a wrapped title goes on in the left
    column of the same row ("(S)<TAB>Dnr KS 2025/214"), maybe after a blank
    line. The row counts only when its right-hand cell is a case number and
    its left cell is a short phrase: no sentence, no sub-heading, no number.
    Returns (line, the left cell, the case number) or None.
    """
    if not parts or not _para_right(_unmarkup(lines[i].text)):
        return None
    k = _next_nonblank(lines, j, min(limit, j + 2))
    if k is None:
        return None
    t = _unmarkup(lines[k].text)
    if not _CELLS.search(t.strip()):
        return None
    left, cell_dnr = _split_cells(t)
    if (
        not cell_dnr or not left or _words(left) > 12 or not _title_phrase(left, lines[k])
        or _words(" ".join(parts + [left])) > 40
    ):
        return None
    return k, left, cell_dnr


def _title_phrase(s: str, ln: _Line) -> bool:
    """``s`` (line ``ln`` or a cell of it) may go on a title: no sub-heading, case
    number, bullet or new number, and no sentence or label punctuation ("Budget.
    …", "Beslut: …")."""
    return not (
        _is_subheading(s) or is_case_number_line(s) or _BULLET.match(s)
        or re.search(r"[.!?:;](?:\s|$)", s) or _parse_number(s, ln.virtual, _marked_heading(ln)) is not None
    )


def _ends_in_fragment(s: str) -> bool:
    """The text's last word is a function word ("… beslutar att"): an unfinished phrase."""
    words = s.split()
    return bool(words) and words[-1].casefold() in _cues().fragment_endings


def _wrapped_across_gap(prev: str, lines: list[_Line], k: int, limit: int, at: int | None = None) -> bool:
    """A title line ending in a function word ("… SERVERINGSTILLSTÅND FÖR"), or a wrapped title line
    followed by a line that starts in lower case ("… ungdomar," / "förlängning"), continues on line
    ``k`` after a blank line a PDF layout put between the wrapped lines: a short line set apart, no
    sentence, no case number, no sub-heading, no new number.

    Whether the title line (line ``at``, its text ``prev``) was wrapped is :func:`_wrapped_line`:
    a complete title over a lower-case note set apart ("2. Information om skolvalet 2025" /
    "muntlig föredragning") stays as it is.
    """
    nxt = _unmarkup(lines[k].text)
    if not _ends_in_fragment(prev) and not (nxt[:1].islower() and _wrapped_line(prev, lines, at)):
        return False  # a short line set apart that starts in lower case goes on with a wrapped line above
    if not nxt or _words(nxt) > 8 or not (k + 1 >= limit or lines[k + 1].blank):
        return False
    return not (
        is_case_number_line(nxt) or _is_subheading(nxt) or _BULLET.match(nxt) or _LABEL.match(nxt)
        or _SUBNUM.match(nxt) or _parse_number(nxt, lines[k].virtual, _marked_heading(lines[k])) is not None
        or re.search(r"[.!?:;]$", nxt) or _words(prev + " " + nxt) > 40
    )


def _wrapped_line(prev: str, lines: list[_Line], at: int | None) -> bool:
    """The title line ``prev`` (line ``at``) was wrapped: it ends in a comma; or it ends in no
    closing punctuation and fills the document's wrap width (:func:`_wrap_width`), or the
    document wraps its lines across a blank line elsewhere (:func:`_wraps_across_gaps`)."""
    if prev[-1:] == ",":
        return True
    if prev[-1:] in ".!?:;" or at is None:
        return False
    wrap = _wrap_width(lines)
    if wrap and lines[at].lead + len(lines[at].text) >= wrap - _WRAP_SLACK:
        return True
    return _wraps_across_gaps(lines)


_gap_cache: dict[int, tuple[list[_Line], bool]] = {}


def _wraps_across_gaps(lines: list[_Line]) -> bool:
    """The document's layout puts a blank line between a wrapped line and its rest.

    Shown by a line that is certainly unfinished, ending in a function word or a
    comma ("Rapport enligt lex Sarah om brister i"), then a blank line and a short
    line set apart that starts in lower case ("läkemedelshanteringen på
    Hagagården"). A lower-case line after a blank is then a title's wrapped rest
    even under a line that ends in a full word; elsewhere it is a note.
    """
    hit = _gap_cache.get(id(lines))
    if hit is not None and hit[0] is lines:
        return hit[1]
    found = False
    for j in range(len(lines) - 2):
        if lines[j].blank or not lines[j + 1].blank or lines[j + 2].blank:
            continue
        t, nxt = _unmarkup(lines[j].text), _unmarkup(lines[j + 2].text)
        if (nxt[:1].islower() and _words(nxt) <= 8 and (t[-1:] == "," or _ends_in_fragment(t))
                and (j + 3 >= len(lines) or lines[j + 3].blank)):
            found = True
            break
    if len(_gap_cache) > 64:
        _gap_cache.clear()
    _gap_cache[id(lines)] = (lines, found)
    return found


def _case_line_below(lines: list[_Line], j: int, limit: int, parts: list[str],
                     dnr: str | None, style: str = "") -> tuple[int, str | None]:
    """Lift a case-number line that stands under the title (or between its lines).

    "§ 46 Årsredovisning 2023" / "Dnr 2024/89": the case-number line belongs
    to the heading, not to the title or the body. A margin case number can
    also stand between two title lines ("… nämnderna för" / "Dnr KS 2024/0131"
    / "verksamhetsåret 2023"); the line after it continues the title when the
    title so far ends in a function word, or the line starts in lower case,
    or it is a short tail set apart ("3:18"), or the reader saw it in the same
    heading type as the title (``style``: both bold). Returns the new first
    body line and the case number; ``parts`` is extended in place.
    """
    k = _next_nonblank(lines, j, min(limit, j + 3))
    if k is None:
        return j, dnr
    t = _unmarkup(lines[k].text)
    if is_label_only(t):
        # The label on a line of its own over the number ("Dnr" / "SN 2025/0045", a table cell's lines).
        below = _next_nonblank(lines, k + 1, min(limit, k + 3))
        if below is None or not is_case_number_line(_unmarkup(lines[below].text)):
            return j, dnr
        k = below
        t = _unmarkup(lines[k].text)
    if not is_case_number_line(t) or _para(t):
        return j, dnr
    found = case_number_at_start(t)[0]
    dnr = ", ".join(x for x in (dnr, found) if x) if found and found != dnr else dnr
    j = k + 1
    m = _next_nonblank(lines, j, min(limit, j + 3))
    if m is None:
        return j, dnr
    nxt = _unmarkup(lines[m].text)
    if (
        _words(nxt) > 12 or _is_subheading(nxt) or is_case_number_line(nxt) or _para(nxt)
        or _BULLET.match(nxt) or re.search(r"[.!?:;](?:\s|$)", nxt)
        or _words(" ".join(parts + [nxt])) > 40
    ):
        return j, dnr
    single = m + 1 >= limit or lines[m + 1].blank
    continues = (
        _ends_in_fragment(parts[-1])
        or (nxt[:1].islower() and single)
        or (_tail(nxt) and single)
        # The reader saw both in the same heading type (bold title lines around a margin case number).
        or (bool(style) and style != "margin" and lines[m].style == style and single)
    )
    if continues:
        parts.append(nxt)
        j = m + 1
        # The title may wrap once more in its column ("… trygghetskameror på Stora" / "Torget"):
        # lines of the same block go on as they do above the case number, joinable or in the same type.
        styled = lines[m].style not in ("", "margin")
        while j < limit and not lines[j].blank and len(parts) < 5:
            more = _unmarkup(lines[j].text)
            if not (_joinable(parts[-1], more) or (styled and lines[j].style == lines[m].style)):
                break
            if not _title_phrase(more, lines[j]) or _words(" ".join(parts + [more])) > 40:
                break
            parts.append(more)
            j += 1
    return j, dnr


def _split_cells(rest: str) -> tuple[str, str | None]:
    """Drop the case-number and page cells of a heading row.

    "Information: trygghetsläget i Borgholm<TAB>2024/134-KS" (or the case
    number in the first cell) gives the title and the case number of an
    agenda-table row. Cells are split at the project's cell border, a tab or
    three or more spaces (a text copy of a column layout: "Budget   KS 2025/3").
    """
    title, dnr, _ = _split_row(rest)
    return title, dnr


def _split_row(rest: str) -> tuple[str, str | None, str | None]:
    """:func:`_split_cells`, and the first cell after the one that ended the title.

    A case-number or empty cell inside the row ends the title; the cells after
    it are later columns (a decision: "Title<TAB>KS 2025/288<TAB>Utskottet
    föreslår …"), the item's text, not dropped. Returns ``(title, case number,
    first later cell or None)``.
    """
    if not _CELLS.search(rest.strip()):
        return rest, None, None
    cells, dnr = _row_cells(rest)
    while len(cells) > 1:
        if _PAGE_CELL.match(cells[-1]):
            cells.pop()
        elif dnr is None and is_case_number_line(cells[-1]):
            dnr = case_number_at_start(cells.pop())[0]
        else:
            break
    # "Title<TAB>KS 2025/288<TAB>Utskottet föreslår …" (§ | Ärende | Diarienummer | Beslut): a case-number
    # cell inside the row ends the title; the cells after it are later columns. So does an empty cell
    # ("Title<TAB><TAB>Informationen noteras.", the case-number column left empty).
    for k in range(1, len(cells)):
        lead, after = case_number_at_start(cells[k])
        if dnr is None and lead and not after.strip():
            return " ".join(cells[:k]), lead, cells[k + 1] if k + 1 < len(cells) else None
    empty = re.search(r"\t[ ]*\t", rest.strip())
    if empty and len(cells) > 1:
        head = [c.strip() for c in _CELLS.split(rest.strip()[: empty.start()]) if c.strip()]
        if head and len(head) < len(cells) and cells[: len(head)] == head:
            return " ".join(head), dnr, cells[len(head)]
    return " ".join(cells), dnr, None


def _row_ends_unfinished(rest: str) -> bool:
    """The row's last cell ends in a comma ("… <TAB>Ola Ek,"): the line under it is that cell's rest."""
    cells = [c.strip() for c in _CELLS.split(rest.strip()) if c.strip()]
    return len(cells) > 1 and cells[-1].endswith(",")


def _row_cells(rest: str) -> tuple[list[str], str | None]:
    """The cells of a row split at the cell border, and a case number in its first cell.

    A label cell ("Dnr", "Diarienummer:") over or beside the number's cell is
    neither title nor number and is dropped; a first cell that is a case number
    ("Nr<TAB>Dnr<TAB>Ärende" tables) is taken off as the row's case number.
    """
    cells = [c.strip() for c in _CELLS.split(rest) if c.strip()]
    cells = [c for c in cells if not is_label_only(c)] or cells
    dnr = None
    if len(cells) > 1 and is_case_number_line(cells[0]):
        dnr = case_number_at_start(cells.pop(0))[0]
    return cells, dnr


def _row_body(ln: _Line, rest: str) -> tuple[str, int | None]:
    """Split a numbered table row into its heading cells and its body cell.

    "3<TAB>Lägesbild från polisen<TAB>Lugnt i tätorten. Informationen noteras.":
    a row whose last cell is running text (a sentence) after a short title cell
    is a whole item (Nr / Ärende / Beslut tables); the body is that cell.
    Returns the heading cells and the offset of the body cell in the document,
    or ``(rest, None)`` for an agenda-table row (title, case number, page).
    """
    cells = [c for c in rest.split("\t") if c.strip()]
    if len(cells) < 2:
        return rest, None
    body = cells[-1].strip()
    head = "\t".join(cells[:-1])
    if not (re.search(r"[.!?]$", body) and _words(body) >= 3) or _words(head) > 15 or head.strip()[-1:] in ".!?":
        return rest, None
    at = ln.text.rfind(cells[-1])
    return (head, ln.start + ln.lead + at) if at >= 0 else (rest, None)


def _marked_heading(ln: _Line) -> bool:
    """The line is a heading by its markup: a Markdown ``#`` line or a layout heading of the reader."""
    return bool(ln.style) or bool(_MD_HEADING.match(ln.text))


def _parse_number(s: str, virtual: bool, heading: bool = False) -> tuple[str, int, str, str, str] | None:
    """``(kind, number, suffix, code, rest)`` of a numbered heading line, or None.

    On a line that is a heading by its markup (``heading``: "## 2 Lägesbild",
    a Word or PDF heading "3 Budget") a number before a capitalised title
    needs no full stop: the markup already sets the line apart from the text.
    """
    m = _para(s)
    if m:
        return "para", int(m.group(1)), m.group(2) or "", "", m.group(3)
    right = _para_right(s)
    if right:
        return "para", right[0], right[1], "", right[2]
    m = _cues().keyword_re.match(s)
    if m:
        return "keyword", int(m.group(1)), "", "", m.group(2)
    m = _CODE_NUM.match(s)
    if m:
        return "code", int(m.group(2)), "", m.group(1), m.group(3)
    m = _LIST.match(s) or _TAB_ROW.match(s) or _LIST_DASH.match(s)
    if m:
        return "list", int(m.group(1)), "", "", m.group(2)
    m = _LIST_ALONE.match(s)
    if m:
        return "list", int(m.group(1)), "", "", ""
    if virtual or heading:
        m = _LIST_FLAT.match(s)
        if m and (virtual or _starts_upper(m.group(2))):
            return "list", int(m.group(1)), "", "", m.group(2)
    return None


_PAREN_TAIL = re.compile(r"\s*\(([^()]{4,40})\)\s*$")


def _paren_case_number(title: str, colon_numbers: bool = False) -> tuple[str, str | None]:
    """Split a case number in parentheses off the end of a title: "Skattesats 2026 (KS 2025/198)".

    Only a parenthesis holding nothing but a case number counts ("(S)", "(dnr saknas)" stay).
    A law's number ("plan- och bygglagen (2010:900)", "(SFS 1993:1617)") is written so
    after its name and stays in the title, unless labelled ("(Dnr 2025:14)") or
    ``colon_numbers``: the document's labelled case numbers have that year:number shape.
    Returns the title without it and the case number (or the title unchanged and None).
    """
    m = _PAREN_TAIL.search(title)
    if not m:
        return title, None
    inner = m.group(1).strip()
    lead, rest = find_labelled(inner)  # "(Dnr KS 2025/198)"
    if not lead:
        if _SFS_NUMBER.match(inner) and not colon_numbers:
            return title, None
        lead, rest = case_number_at_start(inner)
    if not lead or rest.strip(" ,.") or not title[: m.start()].strip():
        return title, None
    return title[: m.start()].rstrip(), lead


#: A Swedish statute's number, year and running number: "2010:900", "SFS 1993:1617".
_SFS_NUMBER = re.compile(r"^(?:SFS\s*)?(?:1[89]|20)\d\d:\d{1,4}$", re.IGNORECASE)


def _counted_lines(lines: list[_Line], limit: int) -> dict[int, int]:
    """Lines numbered "Ärende 3 av 9", mapped to where their count ("av 9") ends.

    A keyword number followed by the count it runs up to is an item number
    only when the document shows the sequence: at least two such lines, all
    with the same count M, their numbers rising and none above M. Anything
    else ("Punkt 2 av 3 i förslaget …" once, counts that differ) is left alone.
    """
    found: list[tuple[int, int, int, int]] = []  # (line, number, count, end of the count)
    for ln in lines[:limit]:
        if ln.blank:
            continue
        m = _cues().counted_re.match(_unmarkup(ln.text))
        if m:
            found.append((ln.idx, int(m.group(2)), int(m.group(3)), m.end()))
    if len(found) < 2 or len({c for _, _, c, _ in found}) != 1:
        return {}
    numbers = [n for _, n, _, _ in found]
    if any(b <= a for a, b in zip(numbers, numbers[1:])) or numbers[-1] > found[0][2]:
        return {}
    return {i: end for i, _, _, end in found}


def _numbered_candidates(lines: list[_Line], limit: int) -> list[_Cand]:
    out: list[_Cand] = []
    colon_numbers = any(COLON_DNR.search(ln.text) for ln in lines[:limit] if not ln.blank)
    counted = _counted_lines(lines, limit)
    for ln in lines[:limit]:
        if ln.blank:
            continue
        s = _unmarkup(ln.text)
        if ln.idx in counted:  # "Ärende 3 av 9<TAB>Dnr …": the count is no part of the heading
            m = _cues().counted_re.match(s)
            s = m.group(1) + s[counted[ln.idx]:]
        run_in = _run_in_title(ln)
        if run_in:
            s = f"{run_in[0]} {run_in[1]}"
        many = list(_PARA_ANY.finditer(s))
        if len(many) >= 2 and not _PARA_ANY.sub("", s).strip(" \t,.–-"):
            # "§ 94 § 95 § 96": the number column of an agenda list.
            for m in many:
                out.append(_Cand("para", ln.idx, int(m.group(1)), "", ln.idx + 1, None, suffix=m.group(2) or "", multi=True))
            continue
        parsed = _parse_number(s, ln.virtual, _marked_heading(ln))
        if parsed is None:
            continue
        kind, num, suffix, code, rest = parsed
        table_row = bool(_TAB_ROW.match(s))  # a number in its own cell never continues a sentence
        if (not ln.virtual and not table_row and _continues_sentence(lines, ln.idx)
                and not (kind == "para" and not rest.strip())):
            continue  # a bare "§ 116" line is never inside a sentence (a title wrapped around it is)
        raw_rest = rest
        body_off = None
        if table_row and not ln.virtual:
            rest, body_off = _row_body(ln, rest)
        elif run_in and kind == "list":
            body_off = run_in[2]  # the title is the bold span, the text after it is the body
        rest, cell_dnr, later = _split_row(rest)
        if later and body_off is None and not run_in and not ln.virtual:
            # the cells after the one that ended the title (a decision column) open the item's text
            at = ln.text.find(later, max(0, len(ln.text) - len(raw_rest)))
            cell_off = ln.start + ln.lead + at if at >= 0 else None
        else:
            cell_off = None
        dnr, rest = find_labelled(rest)
        dnr = ", ".join(x for x in (dnr, cell_dnr) if x) or None
        if kind in ("para", "code", "keyword"):
            lead, rest = case_number_at_start(rest)
            if lead is None and (bare := bare_case_number(rest)):
                lead, rest = bare, ""  # "§ 15   2024/38": a number alone beside the § is no title
            dnr = ", ".join(x for x in (dnr, lead) if x) or None
        dash = re.search(r"\s[–—-]\s*$", rest)  # "… resecentrum –" / "ansökan till …": the title goes on
        rest = _clean_title(rest)
        if rest and dash:
            rest += " –"
        if rest and not _starts_upper(rest) and not rest[0].isdigit():
            continue  # "§ 5 ska …", "3. att …": part of a sentence
        if kind == "code" and rest and _words(rest) > 20:
            continue
        if kind == "list" and ((not rest and not _LIST_ALONE.match(s)) or _words(rest) > 40):
            continue
        if body_off is not None:
            title, body_line, dnr2 = _clean_title(rest), ln.idx + 1, None  # the row is the whole item
        elif cell_off is not None and _row_ends_unfinished(raw_rest):
            # "3<TAB>Riktlinjer för bistånd enligt<TAB>SN 2024/210<TAB>Ola Ek," / "socialchef": the line
            # under the row goes on with its last cell (unfinished), not with the title.
            title, body_line, dnr2 = _clean_title(rest), ln.idx + 1, None
        elif rest and _markup_delimited(ln):
            # "1. **Mötets öppnande**", "**1. Välkomna**", "### 2. Lägesbild": the markup delimits the
            # whole title; the lines under it are text (a case-number line under it still belongs to
            # the heading).
            title = _clean_title(rest)
            body_line, dnr2 = _case_line_below(lines, ln.idx + 1, limit, [title], None)
        else:
            title, body_line, dnr2 = _title_lines(lines, ln.idx, limit, rest)
        if kind == "list" and not title:
            continue
        if title and not (dnr or dnr2):
            title, dnr2 = _paren_case_number(title, colon_numbers)
        head_line = None
        if kind in ("para", "code") and not rest and (not title or _sentence_title(lines, body_line, title)):
            above = _title_above(lines, ln.idx)
            if above is not None:
                head_line, title = above, _clean_title(" ".join(_unmarkup(lines[j].text) for j in range(above, ln.idx)))
                body_line = _body_after_number(lines, ln.idx, limit, dnr2)
        out.append(_Cand(kind, ln.idx, num, title, body_line, dnr or dnr2, suffix=suffix, rest=raw_rest, code=code,
                         body_off=body_off, cell_off=cell_off, head_line=head_line,
                         run_in=bool(run_in and kind == "list"),
                         bare_number=not rest))
    return _drop_range_lines(lines, _drop_nested(lines, out))


def _markup_delimited(ln: _Line) -> bool:
    """The line's Markdown markup delimits a whole heading: a ``#`` heading, a whole line in bold, or an
    ordered-list entry in bold ("1. **Mötets öppnande**"). Such a title never wraps onto the next line."""
    t = ln.text.strip()
    return bool(_MD_HEADING.match(t) or _BOLD_LINE.match(t) or _NUMBER_BOLD.match(t))


def _run_in_title(ln: _Line) -> tuple[str, str, int] | None:
    """``(number, title, body offset)`` of an ordered-list entry with a bold run-in title, or None.

    "1. **Mötets öppnande.** Ordföranden öppnar mötet." / "2. **Lägesbild:** Polisen …" /
    "3. **Övriga frågor** – Inga.": the bold span is the title when it is set off as
    one (it ends in "." or ":", or the text after it starts with a dash or a
    capital letter) and short; a bold word that opens a sentence ("1. **Budgeten**
    antas.") is emphasis, not a title.
    """
    m = _NUMBER_BOLD_RUN_IN.match(ln.text.strip())
    if not m:
        return None
    title, rest = m.group("t").strip(), m.group("rest")
    if not title or _words(title) > _RUN_IN_WORDS or not _starts_upper(title):
        return None
    if not (title[-1] in ".:" or rest[0] in "–—-" or _starts_upper(rest)):
        return None
    body = rest.lstrip("–—- \t")
    if not body:
        return None
    at = ln.text.strip().index(body, m.start("rest"))
    return m.group("n"), title, ln.start + ln.lead + (len(ln.text) - len(ln.text.lstrip())) + at


#: A numbered line indented at least this many characters deeper than the list's own entries is nested in one.
_NEST_INDENT = 2


def _drop_range_lines(lines: list[_Line], cands: list[_Cand]) -> list[_Cand]:
    """Drop a joint "§§ 12–18" line whose every paragraph has a heading of its own after it.

    A joint heading ("§§ 41–42 Title") stands for paragraphs that have no
    other heading. When each number of the range is found again, later, as a
    heading of its own, the range line only names the meeting's paragraphs (a
    page band or a front page's "§§ 12–18"); it is no item.
    """
    joint: dict[int, int] = {}  # line -> last number of its range
    for c in cands:
        if c.kind != "para" or c.multi:
            continue
        s = _unmarkup(lines[c.line].text)
        m = _PARA_JOINT.match(s)
        if m and not _sentence_word_before_sign(s):
            joint[c.line] = int(re.findall(r"\d{1,4}", s[: m.start(3)])[-1])
    if not joint:
        return cands
    last_seen: dict[int, int] = {}  # number -> last line where it heads alone
    for c in cands:
        if c.kind == "para" and c.line not in joint:
            last_seen[c.num] = max(last_seen.get(c.num, -1), c.line)
    drop = {
        c.line for c in cands
        if c.line in joint and c.num < joint[c.line] <= c.num + len(last_seen)
        and all(last_seen.get(n, -1) > c.line for n in range(c.num, joint[c.line] + 1))
    }
    return [c for c in cands if c.line not in drop] if drop else cands


def _drop_nested(lines: list[_Line], cands: list[_Cand]) -> list[_Cand]:
    """Drop numbered lines nested inside a list entry (decision points indented under an item).

    The document's own list entries stand at one indentation (the smallest of
    its numbered lines); a numbered line indented deeper after the first of
    them ("   1. Budgeten antas" under "2. Budget") is a point inside that
    entry, as a Markdown or text list nests it, never an item. Needs two
    entries at the outer indentation; lines of flattened text (no layout
    indentation) are left alone.
    """
    listed = [c for c in cands if c.kind == "list" and not lines[c.line].virtual]
    if not listed:
        return cands
    base = min(lines[c.line].lead for c in listed)
    outer = [c for c in listed if lines[c.line].lead == base]
    if len(outer) < 2:
        return cands
    nested = {c.line for c in listed if lines[c.line].lead >= base + _NEST_INDENT and c.line > outer[0].line}
    return [c for c in cands if not (c.kind == "list" and c.line in nested)]


#: A line opener must start the text under at least this many other headings to count as recurring.
_OPENER_MIN = 2


def _opener(s: str) -> str | None:
    """The first word of a line when it is a capitalised word ("Föredragande")."""
    m = re.match(r"([A-ZÅÄÖ][a-zåäöéü]{2,})\b", _unmarkup(s))
    return m.group(1) if m else None


def _drop_recurring_sublines(lines: list[_Line], cands: list[_Cand], limit: int, learnt: frozenset[str]) -> None:
    """Give back to the body a title's last line that opens the text of other headings.

    "3. Information från kommundirektören" / "Föredragande kommundirektör …":
    when the line under the other entries' titles (or case numbers) starts
    with the same word in at least ``_OPENER_MIN`` of them, that word opens a
    sub-line of this document (a presenter, a note), not a wrapped title. A
    title line wrapped after a function word, a hyphen or a comma, or shown
    in the heading's own type, stays, unless the line is a sub-heading the
    document repeats, set apart, in several places (``Ärendet`` under every
    case-numbered title: :func:`recurring_headings`): that is never a title's
    last line, whatever the line before it ends in and whatever its type.
    """
    ordered = sorted(cands, key=lambda c: c.line)
    openers: dict[int, str | None] = {}
    for k, c in enumerate(ordered):
        nxt = ordered[k + 1].line if k + 1 < len(ordered) else limit
        j = _next_nonblank(lines, c.body_line, min(nxt, limit))
        openers[c.line] = _opener(lines[j].text) if j is not None else None
    counts: dict[str, int] = {}
    for w in openers.values():
        if w:
            counts[w] = counts.get(w, 0) + 1
    for c in ordered:
        k = c.body_line - 1
        while k > c.line and lines[k].blank:
            k -= 1
        if k <= c.line or c.body_off is not None:
            continue
        t = _unmarkup(lines[k].text)
        sub = _norm(t) in learnt and not is_case_number_line(t)
        w = _opener(t)
        own = 1 if openers.get(c.line) == w else 0
        if not sub and (not w or counts.get(w, 0) - own < _OPENER_MIN or is_case_number_line(t)):
            continue
        if not sub and lines[k].style and lines[k].style == lines[c.line].style:
            continue
        cut = _clean_title(t)
        if not c.title.endswith(cut) or len(c.title) <= len(cut):
            continue
        head = c.title[: -len(cut)].rstrip()
        if not head or (not sub and (head[-1] in "-–,&/" or _ends_in_fragment(head))):
            continue
        c.title = _clean_title(head)
        c.body_line = k


def _sentence_title(lines: list[_Line], body_line: int, title: str) -> bool:
    """The "title" taken from under a bare number is a sentence of body text."""
    k = body_line - 1
    while k > 0 and lines[k].blank:
        k -= 1
    return _words(title) > 8 and lines[k].text[-1:] in ".!?"


def _title_above(lines: list[_Line], i: int, gap: bool = False) -> int | None:
    """First line of a title standing directly above a bare number line, if there is one.

    "Belysning i gångtunneln" / "KS § 34": a layout that prints the number in
    a right-hand column comes out, as text, with the number on the line after
    the title. The title is a block of at most three heading-shaped lines set
    apart by a blank line above it and touching the number line (with ``gap``, also one blank line
    above the number line).
    """
    if gap and i > 1 and lines[i - 1].blank and not lines[i - 2].blank:
        i -= 1
    j = i
    while j > 0 and not lines[j - 1].blank and i - j < 3:
        j -= 1
    if j == i or (j > 0 and not lines[j - 1].blank):
        return None
    texts = [_unmarkup(lines[k].text) for k in range(j, i)]
    if not _starts_upper(texts[0]) or _words(" ".join(texts)) > 25:
        return None
    for t in texts:
        if (t[-1:] in ".!?:;," or _is_subheading(t) or is_case_number_line(t) or _LABEL.match(t)
                or _BULLET.match(t) or _parse_number(t, False) is not None or _is_role(t)):
            return None
    return j


#: "Paragraf<TAB>§ 89": a label cell left of the number must recur at this many numbers to be a label.
_ROW_LABEL_MIN = 2
_ROW_LABEL = re.compile(r"^(?P<label>[^\t§\d]{1,30}?)\t+(?P<value>\S.*)$")
#: At most this many labelled rows make a heading block under the number's row.
_ROW_BLOCK_MAX = 4


def _labelled_heading_rows(lines: list[_Line], cands: list[_Cand], limit: int) -> None:
    """Read headings printed as a block of labelled rows: "Paragraf<TAB>§ 89" / "Diarienummer<TAB>SN
    2025/0233" / "Ärende<TAB>Ansökan om …".

    The number stands in the right-hand cell of a row whose left cell is the same short text at
    every number (at least ``_ROW_LABEL_MIN`` times, and at ``_ROW_LABEL_SHARE`` of the document's
    numbers or with a case-number row under it): that cell is a label the template repeats, not a
    title. A title that merely recurs ("Information<TAB>§ 11", "Information<TAB>§ 13", a
    presenter's row under each) stays the title. The rows directly under it that are laid out the same way ("label<TAB>value") are
    the rest of the heading block: a value that is a case number is the case number, the first other
    value is the title (with its wrapped lines). Learnt from the repetition, not from the label words.
    """
    firsts: dict[str, list[_Cand]] = {}
    for c in cands:
        if c.body_off is not None or c.head_line is not None or "\t" in c.rest:
            continue
        m = _ROW_LABEL.match(_unmarkup(lines[c.line].text).strip())
        if not m or _para(m.group("label")) or _words(m.group("label")) > 3:
            continue
        if _norm(m.group("label")) != _norm(c.rest):
            continue
        firsts.setdefault(_norm(c.rest), []).append(c)
    for group in firsts.values():
        if len(group) < _ROW_LABEL_MIN:
            continue
        numbers = {c.num for c in cands if c.kind == group[0].kind and not c.multi}
        if len(group) < _ROW_LABEL_SHARE * len(numbers) and not any(_case_row_below(lines, c, limit) for c in group):
            continue
        for c in group:
            dnr, title, body = c.dnr, "", c.line + 1
            for k in range(c.line + 1, min(limit, c.line + 1 + _ROW_BLOCK_MAX)):
                m = _ROW_LABEL.match(_unmarkup(lines[k].text).strip()) if not lines[k].blank else None
                if not m or _parse_number(_unmarkup(lines[k].text), False) is not None:
                    break
                value = m.group("value").strip()
                lead, rest = case_number_at_start(value)
                if lead and not rest.strip():
                    dnr = dnr or lead
                    body = k + 1
                    continue
                title, body, dnr2 = _title_lines(lines, k, limit, value)
                dnr = dnr or dnr2
                break
            if title:
                c.title, c.body_line, c.dnr = title, body, dnr


def _case_row_below(lines: list[_Line], c: _Cand, limit: int) -> bool:
    """A labelled row under ``c``'s number row, in its block of such rows, holds a case number."""
    for k in range(c.line + 1, min(limit, c.line + 1 + _ROW_BLOCK_MAX)):
        m = _ROW_LABEL.match(_unmarkup(lines[k].text).strip()) if not lines[k].blank else None
        if not m:
            return False
        lead, rest = case_number_at_start(m.group("value").strip())
        if lead and not rest.strip():
            return True
    return False


#: A label row at fewer of the document's numbers than this share needs a case-number row under it.
_ROW_LABEL_SHARE = 0.75


#: Bare number lines under a title block, each followed by no title of its own, that make a document's
#: layout "title first".
_TITLE_FIRST_MIN = 2


def _titles_above_numbers(lines: list[_Line], cands: list[_Cand], limit: int, learnt: frozenset[str]) -> None:
    """Take the titles from above the numbers in a layout that prints the title first.

    "Månadsrapport augusti 2025" / blank / "§ 62<TAB>Dnr ON 2025/014" / blank / "Ärendet": when
    a bare number line (nothing but the number and maybe a case number) is followed by no title —
    only a sub-heading of the document (one it repeats, set apart, under several items, or a known
    one) or nothing — the heading-shaped block set apart just above the number is its title. It is
    learnt from the document: at least ``_TITLE_FIRST_MIN`` such numbers must have such a block
    above them, else nothing changes (a single bare number over a sub-heading keeps its reading).
    """
    found: list[tuple[_Cand, int]] = []
    for c in cands:
        if not c.bare_number or c.head_line is not None or c.body_off is not None:
            continue
        if c.title and not (_norm(c.title) in learnt or _is_subheading(c.title)):
            continue
        j = _title_above(lines, c.line, gap=True)
        if j is not None:
            found.append((c, j))
    if len(found) < _TITLE_FIRST_MIN:
        return
    for c, j in found:
        end = c.line - 1 if lines[c.line - 1].blank else c.line
        c.head_line = j
        c.title = _clean_title(" ".join(_unmarkup(lines[k].text) for k in range(j, end)))
        c.body_line = _body_after_number(lines, c.line, limit, None)


def _body_after_number(lines: list[_Line], i: int, limit: int, dnr: str | None) -> int:
    """First body line after a bare number line whose title stands above it (past its case-number line)."""
    k = _next_nonblank(lines, i + 1, min(limit, i + 4))
    if k is not None and dnr and is_case_number_line(_unmarkup(lines[k].text)):
        return k + 1
    return i + 1


def _toc_like(lines: list[_Line], cand: _Cand, next_line: int, limit: int) -> bool:
    """A candidate whose title lines end in dot leaders and a page number."""
    seen = 0
    for j in range(cand.line, min(next_line, limit)):
        if lines[j].blank:
            continue
        if _DOT_LEADER.search(lines[j].text):
            return True
        seen += 1
        if seen > 12:
            break
    return False


#: A list entry has at most this many characters of text before the next number.
_LIST_BODY_CHARS = 150


def _split_list(lines: list[_Line], cands: list[_Cand], limit: int) -> tuple[list[_Cand], list[_Cand]]:
    """Separate agenda-list entries from item headings.

    An entry is a number line in a table-of-contents block (after a list cue
    such as ``Innehåll``, or ending in dot leaders and a page number), a
    number in a column of numbers, or a number with (almost) no text before
    the next number whose number comes back later in the document.
    """
    if not cands:
        return [], []
    for k, c in enumerate(cands):
        nxt = next((d.line for d in cands[k + 1:] if d.line > c.line), limit)
        c.body_chars = sum(len(lines[j].text) for j in range(c.body_line, min(nxt, limit)))
    listed = [c.multi for c in cands]
    # Table-of-contents blocks (the old rule): a cue line, dot leaders.
    toc_lines = [ln.idx for ln in lines[:limit] if ln.text and _norm(_unmarkup(ln.text)) in _cues().toc]
    toc_start = min(toc_lines) if toc_lines else None
    in_toc = False
    seen_item = False
    for k, c in enumerate(cands):
        nxt = cands[k + 1].line if k + 1 < len(cands) else limit
        tocish = _toc_like(lines, c, nxt, limit)
        if toc_start is not None and c.line > toc_start and not in_toc and not seen_item:
            in_toc = True
        if in_toc:
            if tocish or not c.title:
                listed[k] = True
                continue
            in_toc = False
            toc_start = None
        if tocish:
            listed[k] = True
            continue
        if not listed[k]:
            seen_item = True
    # Numbers that come back later as a heading standing on its own (not in a
    # tight run of numbered lines, an inner list): the first, bodiless
    # occurrence is a list entry.
    cand_lines = {c.line for c in cands}

    def tight(c: _Cand) -> bool:
        above = c.line > 0 and not lines[c.line - 1].blank and c.line - 1 in cand_lines
        below = c.body_line < limit and not lines[c.body_line].blank and c.body_line in cand_lines
        return above or below

    later: set[float] = set()
    comes_back = [False] * len(cands)
    for k in range(len(cands) - 1, -1, -1):
        comes_back[k] = cands[k].key in later
        if not tight(cands[k]):
            later.add(cands[k].key)
    # Runs of short entries with increasing numbers; a run is a list when its
    # numbers come back later. A lone short entry counts only when the very
    # next heading repeats its number (a one-item list).
    k = 0
    while k < len(cands):
        if listed[k] or cands[k].body_chars >= _LIST_BODY_CHARS:
            k += 1
            continue
        j = k
        while (
            j + 1 < len(cands) and not listed[j + 1] and cands[j + 1].key > cands[j].key
            and (cands[j + 1].body_chars < _LIST_BODY_CHARS or comes_back[j + 1])
        ):
            j += 1
            if cands[j].body_chars >= _LIST_BODY_CHARS:
                break  # the run's last entry may be followed by other text
        run = range(k, j + 1)
        back = sum(1 for r in run if comes_back[r])
        if len(run) >= 2 and back >= 2:
            for r in run:
                listed[r] = comes_back[r] or cands[r].body_chars < _LIST_BODY_CHARS
        elif len(run) == 1 and comes_back[k] and k + 1 < len(cands) and cands[k + 1].key == cands[k].key:
            listed[k] = True
        k = j + 1
    items = [c for k, c in enumerate(cands) if not listed[k]]
    entries = [c for k, c in enumerate(cands) if listed[k]]
    return items, entries


def _weigh(lines: list[_Line], cands: list[_Cand], limit: int) -> None:
    """Isolated headings weigh 1, lines of a tight run (inner list) 0.3.

    A line that carries its own text (a table row with a body cell, a run-in
    title in a loose list) is no line of an inner list.
    """
    by_line = {c.line: c for c in cands}
    for k, c in enumerate(cands):
        prev = c.line - 1
        while prev >= 0 and lines[prev].blank:
            prev -= 1
        nxt = _next_nonblank(lines, c.body_line, limit)
        in_run = (prev in by_line) or (nxt is not None and nxt in by_line)
        before_blank = c.line == 0 or lines[c.line - 1].blank
        after_blank = c.body_line >= limit or lines[c.body_line].blank
        # A table row with its body cell carries its own text, and so does a run-in title set apart
        # by blank lines (a loose list of paragraphs); a tight run of run-in lines is an inner list.
        own_text = c.body_off is not None and (not c.run_in or (before_blank and after_blank))
        w = _RUN_WEIGHT if (c.kind == "list" and in_run and not own_text) else 1.0
        if before_blank and after_blank:
            w += _ISOLATION_BONUS
        end = cands[k + 1].line if k + 1 < len(cands) else limit
        body = sum(len(lines[j].text) for j in range(c.body_line, min(end, limit)))
        c.weight = w + min(body, 5000) / 1e6


#: Weight of a numbered line inside a tight run of numbered lines (an inner list).
_RUN_WEIGHT = 0.3
#: Extra weight of a heading with blank lines above and below.
_ISOLATION_BONUS = 0.2


def _best_chain(cands: list[_Cand], max_gap: int, max_first: int | None) -> list[_Cand]:
    """Best-scoring chain of strictly increasing numbers with small gaps."""
    n = len(cands)
    if not n:
        return []
    best = [0.0] * n
    back = [-1] * n
    for i, c in enumerate(cands):
        best[i] = c.weight if (max_first is None or c.num <= max_first) else float("-inf")
        for j in range(max(0, i - 300), i):
            d = c.key - cands[j].key
            if 0 < d <= max_gap and best[j] != float("-inf") and best[j] + c.weight > best[i]:
                best[i] = best[j] + c.weight
                back[i] = j
    i = max(range(n), key=lambda k: best[k])
    if best[i] == float("-inf"):
        return []
    chain: list[_Cand] = []
    while i >= 0:
        chain.append(cands[i])
        i = back[i]
    return chain[::-1]


def _isolated(chain: list[_Cand]) -> int:
    return sum(1 for c in chain if c.weight >= 1.0)


def _list_chain(cands: list[_Cand], flattened: bool) -> list[_Cand]:
    """Numbered lines: a chain from 1 or 2, or one that runs on through the year.

    A chain may start anywhere ("17. Föregående protokoll") when it is at least
    three isolated headings numbered one by one.
    """
    short = _best_chain(cands, 2, None if flattened else 2)
    free = _best_chain(cands, 1, None)
    if _isolated(free) >= 3 and _isolated(free) > _isolated(short):
        return free
    return short


@dataclass
class _Option:
    heads: list[_Head]
    entries: list[AgendaEntry]
    warnings: list[str]
    kind: str = ""  # the numbering: "para", "code", "keyword" or "list"


def _list_entries(lines: list[_Line], listed: list[_Cand], stop_line: int,
                  body_titles: dict[str, str]) -> list[AgendaEntry]:
    """Agenda entries from the list's number lines and the text lines around them."""
    if not listed:
        return []
    listed = sorted(listed, key=lambda c: (c.line, c.key))
    numbers = [
        _agenda.NumberToken(c.line, c.label, c.key, "" if c.multi else _unmarkup(c.rest) if c.rest else "")
        for c in listed
    ]
    number_lines = {c.line for c in listed}
    first = listed[0].line
    start = first
    # A title wrapped around a centred number starts on the lines above it.
    if not listed[0].rest:
        k = first - 1
        while k >= 0 and not lines[k].blank and first - k <= 3 and lines[k].text[-1:] not in ".:":
            start = k
            k -= 1
    end = max(stop_line, listed[-1].line + 1)
    texts = [(ln.idx, _unmarkup(ln.text)) for ln in lines[start:end] if not ln.blank and ln.idx not in number_lines]

    def stop(t: str) -> bool:
        return _is_subheading(t) or bool(_cues().toc and _norm(t) in _cues().toc)

    return _agenda.parse_entries(texts, numbers, body_titles, stop)


def _numbered_scheme(lines: list[_Line], limit: int, text: str = "", flattened: bool = False) -> list[_Option]:
    """Return candidate head lists for §, code, keyword and list numbering, best first."""
    all_cands = _numbered_candidates(lines, limit)
    # the document's repeated sub-headings, learnt once for every kind of numbering
    learnt = recurring_headings([("" if ln.blank else _unmarkup(ln.text)) for ln in lines[:limit]])
    for kind in {c.kind for c in all_cands}:
        _drop_recurring_sublines(lines, [c for c in all_cands if c.kind == kind], limit, learnt)
    _titles_above_numbers(lines, [c for c in all_cands if c.kind in ("para", "code")], limit, learnt)
    _labelled_heading_rows(lines, [c for c in all_cands if c.kind == "para"], limit)
    options: list[_Option] = []
    groups: list[tuple[str, list[_Cand]]] = [("para", [c for c in all_cands if c.kind == "para"])]
    codes: dict[str, list[_Cand]] = {}
    for c in all_cands:
        if c.kind == "code":
            codes.setdefault(c.code, []).append(c)
    if codes:
        groups.append(("code", max(codes.values(), key=len)))
    groups.append(("keyword", [c for c in all_cands if c.kind == "keyword"]))
    groups.append(("list", [c for c in all_cands if c.kind == "list"]))
    for kind, cands in groups:
        items, listed = _split_list(lines, cands, limit)
        if not items:
            continue
        _weigh(lines, items, limit)
        if kind == "list":
            chain = _list_chain(items, flattened)
        else:
            chain = _best_chain(items, 10 if kind in ("para", "code") else 3, None)
        if _isolated(chain) < (2 if kind in ("list", "code") else 1):
            continue
        heads = []
        for c in chain:
            body_start = lines[c.body_line].start if c.body_line < len(lines) else lines[-1].end
            if c.body_off is not None:
                body_start = c.body_off
            elif c.cell_off is not None:
                body_start = c.cell_off
            source = "paragraph" if kind == "para" else "numbered"
            start = lines[c.head_line if c.head_line is not None else c.line].start
            heads.append(_Head(start, body_start, c.title, c.label, c.dnr, source))
        body_titles = {h.number: h.title for h in heads if h.title}
        stop_line = chain[0].line if chain else limit
        entries = _list_entries(lines, [c for c in listed if c.line < stop_line], stop_line, body_titles)
        warnings: list[str] = []
        if entries:
            heads, warnings = _agenda.align(
                entries, heads, lambda t, lo, hi: _find_title_line(lines, t, lo, hi),
                lambda e, a, b: _Head(a, b, e.title, e.number, e.dnr, "agenda", "agenda"),
                lines[limit - 1].end if limit > 0 else 0,
            )
        for h in heads:
            if not h.title:
                h.title = h.number or ""
                h.title_source = "number"
        options.append(_Option(heads, entries, warnings, kind))
    return options


def _find_title_line(lines: list[_Line], title: str, lo: int, hi: int) -> tuple[int, int] | None:
    """A line in ``[lo, hi)`` whose text is ``title`` (an item the numbering missed)."""
    key = _agenda.title_key(title)
    if not key:
        return None
    for ln in lines:
        if ln.start < lo or ln.blank:
            continue
        if ln.start >= hi:
            break
        if _agenda.title_key(_unmarkup(ln.text)) == key:
            return ln.start, ln.end
    return None


# --------------------------------------------------------------------------
# Markup and layout headings
# --------------------------------------------------------------------------


def _first_content_line(lines: list[_Line], limit: int) -> int | None:
    return _next_nonblank(lines, 0, limit)


def _markup_scheme(lines: list[_Line], limit: int) -> list[_Head] | None:
    first = _first_content_line(lines, limit)
    found: dict[int, list[tuple[int, str, str]]] = {}
    body_at: dict[int, int] = {}  # line -> body offset on the heading line itself
    for ln in lines[:limit]:
        if ln.blank:
            continue
        m = _MD_HEADING.match(ln.text)
        if m:
            level, title, src = len(m.group(1)), m.group(2).strip("*_ "), "heading_line"
        elif _BOLD_LINE.match(ln.text):
            level, title, src = 7, _BOLD_LINE.match(ln.text).group("t"), "bold"  # type: ignore[union-attr]
        elif _BULLET_BOLD.match(ln.text):
            level, title, src = 8, _BULLET_BOLD.match(ln.text).group("t"), "bullet"  # type: ignore[union-attr]
        elif (bl := _BULLET_LABEL.match(ln.text)) and (bl.group("c1") or bl.group("c2")):
            # The label heads the item; its text starts on the same line.
            level, title, src = 8, bl.group("t"), "bullet"
            body_at[ln.idx] = ln.start + ln.lead + bl.start("rest")
        else:
            continue
        title = _clean_title(title)
        if not title or _words(title) > 30 or _DOT_LEADER.search(title):
            continue
        if ln.idx == first and level <= 7:
            continue  # the document title
        found.setdefault(level, []).append((ln.idx, title, src))
    for level in sorted(found):
        if len(found[level]) >= 2:
            return [
                _Head(lines[i].start, body_at.get(i, lines[i].end), t, None, _dnr(t), src)
                for i, t, src in found[level]
            ]
    total = [h for hs in found.values() for h in hs]
    if len(total) == 1:
        i, t, src = total[0]
        return [_Head(lines[i].start, lines[i].end, t, None, _dnr(t), src)]
    return None


def _dnr(s: str) -> str | None:
    """A labelled case number anywhere in a layout heading ("… Dnr KS 2024/12")."""
    return find_labelled(s)[0]


def _layout_scheme(doc: Document, lines: list[_Line], limit_off: int) -> list[_Head] | None:
    """Items from the reader's layout headings (PDF margin/bold, Word styles and bold).

    Headings of the item's sections are left out: those named in
    ``data/sections.yaml`` and any heading text that recurs in the document
    ("Ärendebeskrivning", "Beslut" under every item; structure learnt from
    repetition). The first heading is the document's title when nothing
    precedes it and other headings follow. A case-number line under a
    heading goes to ``dnr``.
    """
    heads: list[_Head] = []
    text = doc.text
    layout = sorted(doc.headings or [], key=lambda h: h.start)
    seen: dict[str, int] = {}
    for h in layout:
        key = _norm(str(h.text or ""))
        seen[key] = seen.get(key, 0) + 1
    layout = [h for h in layout if seen[_norm(str(h.text or ""))] < 2 and not _is_subheading(str(h.text or ""))]
    if len(layout) >= 3 and not text[: int(layout[0].start)].strip():
        layout = layout[1:]  # the document's title
    by_start = {ln.start + ln.lead: ln for ln in lines if not ln.blank}
    for h in layout:
        if h.source == "markdown" and any(_BULLET_LABEL.match(ln.text) for ln in lines):
            # Markdown with labelled bullets: the markup scheme weighs heading levels and bullets.
            return None
        try:
            start, end = int(h.start), int(h.end)
        except (TypeError, ValueError):
            continue
        title = _clean_title(str(h.text or ""))
        if not title or not (0 <= start < end <= len(text)) or start >= limit_off:
            continue
        line_start = text.rfind("\n", 0, start) + 1
        if text[line_start:start].strip():
            line_start = start
        line_end = text.find("\n", end)
        body_start = end if line_end < 0 or text[end:line_end].strip() else line_end
        if heads and line_start < heads[-1].body_start:
            continue
        src = "margin" if h.source == "margin" else "heading_line"
        dnr = _dnr(title)
        ln = by_start.get(line_start) or by_start.get(start)
        if ln is not None and _table_header(lines, ln.idx):
            continue  # a table's header row in bold names columns, it heads no text
        if ln is not None and dnr is None:
            k = _next_nonblank(lines, ln.idx + 1, min(len(lines), ln.idx + 3))
            if k is not None and is_case_number_line(_unmarkup(lines[k].text)):
                dnr = case_number_at_start(_unmarkup(lines[k].text))[0]
                body_start = lines[k].end
        heads.append(_Head(line_start, body_start, title, None, dnr, src))
    return heads or None


# --------------------------------------------------------------------------
# Label items ("Ärende: Title" records)
# --------------------------------------------------------------------------


#: "Ärende: Title", "**Punkt:** Title": a short label, a colon, the value.
_LABEL_LINE = re.compile(r"^(?:\*\*|__)?(?P<label>[A-ZÅÄÖ][\wåäöÅÄÖ-]*(?: [\wåäöÅÄÖ-]+){0,2}?)\s*:(?:\*\*|__)?\s+(?P<value>\S.*)$")
#: A label must open at least this many records to be read as the item label.
_LABEL_MIN_RECORDS = 2


def _label_value_title(value: str) -> bool:
    """A label's value reads as a title: short, capitalised, not a sentence, date or time."""
    v = _clean_title(_unmarkup(value))
    return (
        bool(v) and _starts_upper(v) and _words(v) <= 15 and len(v) <= 120
        and value.rstrip()[-1:] not in ".;:!," and not re.search(r"[.!?]\s", v)
        and not _DATEISH.search(v) and not _LABEL.match(v)
    )


def _opens_record(lines: list[_Line], i: int, first: bool) -> bool:
    """Line ``i`` opens a record: after a blank line or a rule ("=====") or, except
    for the first record, directly after the previous record's last label line."""
    if i == 0 or lines[i - 1].blank or not re.search(r"\w", lines[i - 1].text):
        return True
    return not first and bool(_LABEL_LINE.match(lines[i - 1].text))


def _label_scheme(lines: list[_Line], limit: int) -> list[_Head] | None:
    """Items written as label records: "Ärende: Title" / "Diskussion: …" / "Åtgärd: …".

    Structure learnt from repetition, not from a list of label words: the
    labels that recur on at least two lines are candidates; a label whose
    values all read as titles, and whose lines each have other text after
    them before the next one, is the item label (the earliest such label, so
    a record's other short-valued labels stay inside it). Labels that occur
    once (front matter: "Plats:", "Deltagare:") never start items, and labels
    with sentence values ("Diskussion: Polisen redovisade …") are the
    records' text.
    """
    occ: dict[str, list[tuple[int, str]]] = {}
    for ln in lines[:limit]:
        if ln.blank:
            continue
        m = _LABEL_LINE.match(ln.text)
        label = m.group("label") if m else ""
        if m and _words(label) <= 3 and not _is_subheading(label) and not _is_role(label):
            # A section's label ("Beslut: Noteras") or a signature role ("Sekreterare: …") is no record.
            occ.setdefault(_norm(m.group("label")), []).append((ln.idx, m.group("value")))
    best: list[tuple[int, str]] | None = None
    for found in occ.values():
        if len(found) < _LABEL_MIN_RECORDS or not all(_label_value_title(v) for _, v in found):
            continue
        ends = [i for i, _ in found[1:]] + [limit]
        if not all(any(not lines[j].blank for j in range(i + 1, e)) for (i, _), e in zip(found, ends)):
            continue  # every record has text after its label line
        if not all(_opens_record(lines, i, first=k == 0) for k, (i, _) in enumerate(found)):
            continue
        if best is None or found[0][0] < best[0][0]:
            best = found
    if best is None:
        return None
    heads = []
    for i, value in best:
        title = _clean_title(_unmarkup(value))
        heads.append(_Head(lines[i].start, lines[i].end, title, None, _dnr(title), "heading_line"))
    return heads


# --------------------------------------------------------------------------
# Bulleted headings ("• Lägesbild" / text below)
# --------------------------------------------------------------------------


#: "• Lägesbild", "- Skolans arbete", "▪ Övrigt": a plain bullet line.
_PLAIN_BULLET = re.compile(r"^[-*•–·▪●◦]\s+(?P<t>\S.*)$")
#: Bulleted headings needed before they count as the document's item headings.
_BULLET_HEAD_MIN = 2


def _bullet_heading_scheme(lines: list[_Line], limit: int) -> list[_Head] | None:
    """Bullet lines that head text of their own in informal notes.

    "• Lägesbild" / "Polisen rapporterade om läget …": a heading-shaped
    bullet whose next line is not a bullet but prose is a heading. The shape
    must recur (``_BULLET_HEAD_MIN``) and make up most of the document's
    bullets, so a list of points (bullets after bullets) stays text.
    """
    bullets = 0
    heads: list[_Head] = []
    for ln in lines[:limit]:
        m = _PLAIN_BULLET.match(ln.text)
        if not m or _BOLD_LINE.match(m.group("t")):
            continue
        bullets += 1
        title = _clean_title(m.group("t"))
        nxt = ln.idx + 1
        if nxt >= limit or lines[nxt].blank or _BULLET.match(lines[nxt].text):
            continue
        if not _heading_ish([title]) or _is_subheading(title):
            continue
        k = nxt
        while k + 1 < limit and not lines[k + 1].blank and not _PLAIN_BULLET.match(lines[k + 1].text):
            k += 1
        if not _prose([lines[j].text for j in range(nxt, k + 1)]):
            continue
        heads.append(_Head(ln.start, lines[nxt].start, title, None, _dnr(title), "bullet"))
    if len(heads) < _BULLET_HEAD_MIN or len(heads) * 2 < bullets:
        return None
    return heads


# --------------------------------------------------------------------------
# Heading lines (plain text)
# --------------------------------------------------------------------------


@dataclass
class _Block:
    first: int
    last: int
    gap_before: int
    kind: str = "P"  # "H" heading, "C" closing cue, "P" prose, "X" other, "T" title


def _is_cue(s: str) -> bool:
    return _norm(_unmarkup(s)) in _cues().heading


def _closing_rest(s: str) -> str | None:
    """If ``s`` starts with a closing cue, return the rest of the line."""
    t = _unmarkup(s)
    low = t.casefold()
    for cue in _cues().closing:
        if low.startswith(cue):
            rest = t[len(cue) :]
            if rest and rest[0].isalnum():
                continue
            rest = rest.lstrip(" :–-")
            if not rest or (
                _words(rest) <= 15 and (re.search(r"\d", rest) or _LABEL.match(t) or rest[0].isupper())
            ):
                return rest
    return None


def _heading_ish(texts: list[str]) -> bool:
    if not texts or len(texts) > 3:
        return False
    if len(texts) == 1 and _is_cue(texts[0]):
        return True
    joined = " ".join(_unmarkup(t) for t in texts)
    if _ends_in_fragment(texts[-1]):
        return False
    if _words(joined) > 8 or not _starts_upper(joined) or len(joined) > 90:
        return False
    if any(t.rstrip()[-1] in ".,;:" for t in texts):
        return False
    if any(_BULLET.match(t) for t in texts) or _LABEL.match(joined) or _DATEISH.search(joined):
        return False
    if any(_words(t) > 6 for t in texts[1:]):
        return False
    if _is_role(joined):
        return False
    return bool(re.search(r"[^\W\d_]{3,}", joined))


def _prose(texts: list[str]) -> bool:
    joined = " ".join(texts)
    if _words(joined) >= 40:
        return True
    for sent in re.split(r"(?<=[.!?])\s+", joined):
        if sent and sent[-1] in _TERMINAL and _words(sent) >= 5:
            return True
    return any(_words(t) >= 12 for t in texts)


def _blocks(lines: list[_Line], limit: int) -> list[_Block]:
    blocks: list[_Block] = []
    gap = 99
    cur: _Block | None = None
    for ln in lines[:limit]:
        if ln.blank:
            if cur is not None:
                blocks.append(cur)
                cur = None
                gap = 0
            gap += 1
            continue
        if cur is None:
            cur = _Block(ln.idx, ln.idx, gap)
        else:
            cur.last = ln.idx
    if cur is not None:
        blocks.append(cur)
    # Split cue lines (and closing-cue lines) off their blocks when the line
    # above ends a sentence: "… bifaller det.\nÖvrigt\nInga frågor."
    out: list[_Block] = []
    for b in blocks:
        start = b.first
        gap = b.gap_before
        for i in range(b.first, b.last + 1):
            t = lines[i].text
            if not (_is_cue(t) or _closing_rest(t) is not None):
                continue
            if i > start:
                if lines[i - 1].text[-1] not in _TERMINAL + ":":
                    continue
                out.append(_Block(start, i - 1, gap))
                start, gap = i, 0
            if i < b.last:
                out.append(_Block(i, i, gap))
                start, gap = i + 1, 0
        if start <= b.last:
            out.append(_Block(start, b.last, gap))
    return out


def _texts(lines: list[_Line], b: _Block) -> list[str]:
    return [lines[i].text for i in range(b.first, b.last + 1)]


def _heading_line_scheme(lines: list[_Line], limit: int) -> list[_Head] | None:
    blocks = _blocks(lines, limit)
    if not blocks:
        return None
    # Stacked margin headings glued to the end of a page: split the last line
    # off a prose block when a heading block follows after a large gap.
    k = 0
    while k < len(blocks) - 1:
        b, nb = blocks[k], blocks[k + 1]
        if (
            b.last > b.first
            and nb.gap_before >= 2
            and _heading_ish(_texts(lines, nb))
            and _heading_ish([lines[b.last].text])
            and not _is_role(lines[b.last].text)
        ):
            blocks.insert(k + 1, _Block(b.last, b.last, 0))
            b.last -= 1
            k += 1
        k += 1
    split = _split_head_blocks(lines, blocks)
    # Where headings stand directly above their text, a one-sentence text ("Godkändes utan
    # ändringar.") is enough of a body.
    short_ok = len(split) > len(blocks)
    blocks = split
    for k, b in enumerate(blocks):
        texts = _texts(lines, b)
        if len(texts) == 1 and _closing_rest(texts[0]) is not None:
            b.kind = "C"
        elif _table_header(lines, b.first):
            b.kind = "X"  # a table's header row (with its rows below it) names columns, it heads no text
        elif _heading_ish(texts):
            b.kind = "T" if k == 0 and not _is_cue(texts[0]) else "H"
        elif _prose(texts):
            b.kind = "P"
        else:
            b.kind = "X"

    heads: list[_Head] = []
    k = 0
    n = len(blocks)
    while k < n:
        b = blocks[k]
        if b.kind == "C":
            heads.append(_closing_head(lines[b.first]))
            k += 1
            continue
        if b.kind != "H":
            k += 1
            continue
        stack = [b]
        j = k + 1
        while j < n and blocks[j].kind == "H":
            stack.append(blocks[j])
            j += 1
        body: list[_Block] = []
        m = j
        while m < n and blocks[m].kind not in ("H", "C"):
            body.append(blocks[m])
            m += 1
        if not any(x.kind == "P" or (short_ok and x.kind == "X" and lines[x.last].text[-1] in _TERMINAL) for x in body):
            k = m if m > k else k + 1
            continue
        if len(stack) == 1:
            heads.append(_stack_head(lines, b, None))
        else:
            sections: list[_Block] = []
            for x in body:
                if not sections or x.gap_before >= 2:
                    sections.append(x)
            assign = min(len(stack), len(sections))
            for h, sec in zip(stack[len(stack) - assign :], sections[len(sections) - assign :]):
                heads.append(_stack_head(lines, h, sec))
        k = m
    return heads or None


def _head_and_text(lines: list[_Line], b: _Block) -> bool:
    """A block whose first line is a heading and whose other lines are its text.

    "Lägesbild ANDT" / "Folkhälsosamordnaren gick igenom … 2024." with no blank
    line between: the first line is heading-shaped and the rest holds a sentence.
    """
    if b.last == b.first:
        return False
    first = lines[b.first].text
    if _closing_rest(first) is not None or not _heading_ish([first]) or _is_subheading(first):
        return False
    if first[-1] in "?!" or "," in first:
        return False  # a question or a list of names is text
    rest = [lines[i].text for i in range(b.first + 1, b.last + 1)]
    if _heading_ish(rest[:1]) and len(rest) == 1:
        return False
    return any(t[-1] in _TERMINAL for t in rest) and _words(" ".join(rest)) >= 3


#: Blocks of heading-and-text shape needed before their first lines count as headings.
_HEAD_TEXT_MIN = 2


def _split_head_blocks(lines: list[_Line], blocks: list[_Block]) -> list[_Block]:
    """Split heading lines off their text when the document is written that way.

    Informal notes often put a heading line directly above its text. One such
    block may be a paragraph that happens to open with a short line; the
    shape counts only when it recurs (at least ``_HEAD_TEXT_MIN`` blocks after
    the title block) and outnumbers headings set apart by blank lines (where
    it recurs beside those it marks sub-headings inside items).
    """
    shaped = [k for k, b in enumerate(blocks) if k > 0 and _head_and_text(lines, b)]
    if len(shaped) < _HEAD_TEXT_MIN:
        return blocks
    apart = sum(
        1 for k, b in enumerate(blocks)
        if k > 0 and k not in shaped and _heading_ish(_texts(lines, b))
    )
    if apart >= len(shaped):
        return blocks
    out: list[_Block] = []
    for k, b in enumerate(blocks):
        if k in shaped:
            out.append(_Block(b.first, b.first, b.gap_before))
            out.append(_Block(b.first + 1, b.last, 0))
        else:
            out.append(b)
    return out


def _stack_head(lines: list[_Line], h: _Block, section: _Block | None) -> _Head:
    title = _clean_title(" ".join(_unmarkup(t) for t in _texts(lines, h)))
    if section is None:
        return _Head(lines[h.first].start, lines[h.last].end, title, None, _dnr(title), "heading_line")
    start = lines[section.first].start
    return _Head(start, start, title, None, _dnr(title), "margin")


def _add_closing(heads: list[_Head], lines: list[_Line], limit: int) -> list[_Head]:
    """Add a final "Nästa möte" item after the last heading of an unnumbered scheme."""
    if not heads:
        return heads
    after = heads[-1].body_start
    for ln in lines[:limit]:
        if ln.start < after or ln.blank:
            continue
        rest = _closing_rest(ln.text)
        if rest is not None and (rest or ln.idx + 1 < limit):
            return heads + [_closing_head(ln)]
    return heads


def _closing_head(ln: _Line) -> _Head:
    """Head for a closing-cue line; the rest of the line is the body."""
    t = ln.text
    rest = _closing_rest(t) or ""
    cut = len(t) - len(rest)
    title = _clean_title(_unmarkup(t[:cut]))
    body = ln.start + ln.lead + cut if rest else ln.end
    return _Head(ln.start, body, title, None, None, "heading_line")


# --------------------------------------------------------------------------
# Assembly
# --------------------------------------------------------------------------


def _case_numbers_above(heads: list[_Head], lines: list[_Line]) -> list[_Head]:
    """Case numbers printed on a line of their own above the headings they belong to.

    Some templates set "Dnr KS 2025/00312" (or a bare "KS 2025/00312") right-
    aligned above the "§ 146  Title" heading, so the line stands at the end of
    the item before. Where a case number stands is learnt from the whole
    document: when no heading has a case number of its own (on its line, beside
    or under it) and at least two headings have a case-number line directly
    above them (the next non-blank line is the heading), each such line is the
    case number of the heading below and starts that item. In a document whose
    case numbers stand under the titles those lines are under the heading before
    (which then has its case number) and stay where they are; one such line
    alone is no pattern.
    """
    if len(heads) < 2 or any(h.dnr for h in heads):
        return heads
    by_start = {ln.start + ln.lead: ln for ln in lines if not ln.blank}
    by_start.update({ln.start: ln for ln in lines if not ln.blank})
    found: dict[int, tuple[int, str]] = {}
    for k, h in enumerate(heads):
        ln = by_start.get(h.start)
        if ln is None:
            continue
        j = ln.idx - 1
        while j >= 0 and lines[j].blank:
            j -= 1
        if j < 0 or (k > 0 and lines[j].start < heads[k - 1].body_start):
            continue
        t = _unmarkup(lines[j].text)
        if is_case_number_line(t):
            dnr, rest = case_number_at_start(t)
            if dnr and not rest.strip():
                found[k] = (lines[j].start, dnr)
    if len(found) < 2:
        return heads
    out = list(heads)
    for k, (start, dnr) in found.items():
        out[k] = dataclasses.replace(heads[k], start=start, dnr=dnr)
    return out


#: Lines of fact ("Fastighet: …", "Sökande: …") an item may open with above its case number.
_OPENING_FACTS = 6


def _case_numbers_in_opening(heads: list[_Head], lines: list[_Line], text: str) -> list[_Head]:
    """A labelled case number standing among the fact lines an item opens with.

    Some templates print "Fastighet: …", "Fastighetsägare: …" or
    "Verksamhetsutövare: …" lines between the title and the labelled case
    number ("Ärendenummer MHN 2025-318") in the items that concern a property
    or a business, and the case number right under the title in the others.
    Where a case number stands is learnt from the document: when another item
    has its case number in its heading (on the heading's line or under the
    title, before the text), a heading without one takes a labelled case-number
    line that follows its opening "Label: value" lines directly (no blank line,
    no sentence between), as the same item's case number. A case number after
    a line of text, or in a document whose items have none in their headings,
    stays text; a bare number without a label is never taken so.
    """
    placed = [h for h in heads if h.dnr and h.dnr in text[h.start:h.body_start]]
    if not placed or all(h.dnr for h in heads):
        return heads
    by_start = sorted(lines, key=lambda ln: ln.start)
    starts = [ln.start for ln in by_start]
    out = list(heads)
    for k, h in enumerate(heads):
        if h.dnr:
            continue
        end = heads[k + 1].start if k + 1 < len(heads) else len(text)
        at = bisect.bisect_left(starts, h.body_start)  # the first line of the item's body
        if at >= len(by_start):
            continue
        i = by_start[at].idx
        while i < len(lines) and lines[i].blank and lines[i].start < end:
            i += 1
        facts = 0
        while i < len(lines) and not lines[i].blank and lines[i].start < end and facts <= _OPENING_FACTS:
            t = _unmarkup(lines[i].text)
            if facts and starts_labelled(t) and is_case_number_line(t):
                dnr, rest = case_number_at_start(t)
                if dnr and not rest.strip():
                    out[k] = dataclasses.replace(h, dnr=dnr)
                break
            if not _LABEL.match(t) or is_case_number_line(t):
                break
            facts += 1
            i += 1
    return out


def _place_case_numbers(heads: list[_Head], lines: list[_Line], text: str) -> list[_Head]:
    """Case numbers that stand away from the heading: above it, or under its fact lines."""
    return _case_numbers_in_opening(_case_numbers_above(heads, lines), lines, text)


def _build(doc: Document, heads: list[_Head], lines: list[_Line], end_off: int) -> list[AgendaItem]:
    text = doc.text
    heads = _place_case_numbers(heads, lines, text or "")
    heads = sorted(heads, key=lambda h: h.start)
    heads = [h for k, h in enumerate(heads) if k == 0 or h.start > heads[k - 1].start]
    items: list[AgendaItem] = []
    for k, h in enumerate(heads):
        end = heads[k + 1].start if k + 1 < len(heads) else max(end_off, h.body_start)
        end = max(end, h.start)
        body_start = min(max(h.body_start, h.start), end)
        # Trim whitespace at the end so offsets are tight.
        while end > body_start and text[end - 1].isspace():
            end -= 1
        items.append(
            AgendaItem(
                number=h.number,
                title=h.title or "Hela dokumentet",
                text=text[body_start:end].strip(),
                start=h.start,
                end=max(end, h.start),
                pages=doc.pages_for(h.start, max(end, h.start)) if doc.pages else [],
                dnr=h.dnr,
                heading_source=h.source,
            )
        )
    return items


def _preamble_ok(heads: list[_Head], lines: list[_Line], limit: int) -> bool:
    """Reject a one-item structure that leaves most of the text before it."""
    if not heads:
        return False
    if len(heads) > 1:
        return True
    first = heads[0].start
    before = sum(_words(ln.text) for ln in lines[:limit] if ln.end <= first)
    total = sum(_words(ln.text) for ln in lines[:limit]) or 1
    return before <= 80 or before / total <= 0.4


def _whole(doc: Document, lines: list[_Line], limit: int) -> list[AgendaItem]:
    text = doc.text or ""
    end = lines[limit - 1].end if 0 < limit <= len(lines) else len(text)
    title = ""
    body_start = 0
    for h in doc.headings or []:
        if str(h.text or "").strip():
            title = _clean_title(str(h.text))
            break
    first = _first_content_line(lines, limit)
    start = lines[first].start if first is not None else 0
    if first is not None:
        ft = _unmarkup(lines[first].text)
        if not title:
            title = _clean_title(ft)
            if _words(title) > 15 or len(title) > 120:
                cut = title[:80].rsplit(" ", 1)[0] if " " in title[:80] else title[:80]
                title = cut + " …"
            else:
                body_start = lines[first].end
        elif _clean_title(ft) == title:
            body_start = lines[first].end
    body_start = max(body_start, start)
    end = max(end, body_start)
    return [
        AgendaItem(
            number=None,
            title=title or "Hela dokumentet",
            text=text[body_start:end].strip(),
            start=start,
            end=end,
            pages=doc.pages_for(start, end) if doc.pages else [],
            dnr=None,
            heading_source="whole",
        )
    ]


@dataclass
class Structure:
    """How a document was understood: its items, its own agenda list and warnings.

    Attributes:
        items: The agenda items (see :func:`segment`).
        agenda: The document's agenda list (Ärendelista, Innehåll), if any.
        warnings: Disagreements between the agenda list and the body, in
            Swedish with an English gloss.
        flattened: True when the text had lost its line breaks and items
            were cut at inline numbers.
        scheme: The heading scheme that was used (``paragraph``,
            ``numbered``, ``margin``, ``bold``, ``heading_line``, ``whole`` …).
    """

    items: list[AgendaItem]
    agenda: list[AgendaEntry]
    warnings: list[str]
    flattened: bool = False
    scheme: str = "whole"


def _segment(doc: Document) -> Structure:
    text = doc.text or ""
    lines = _split_lines(text)
    flattened = is_flattened(lines)
    if flattened:
        lines = virtual_lines(text, lines)
    else:
        mark_styles(lines, doc.headings)
    limit = _trailer_limit(lines)
    end_off = lines[limit - 1].end if limit > 0 else 0

    def trimmed(items: list[AgendaItem]) -> list[AgendaItem]:
        return items if flattened else _trim_end_matter(doc, lines, items)

    once: dict[str, list[_Head] | None] = {}  # the list and markup readings, each made at most once

    def markup() -> list[_Head] | None:
        if "markup" not in once:
            once["markup"] = _markup_scheme(lines, limit)
        return once["markup"]

    def listed() -> list[_Head] | None:
        if "listed" not in once:
            once["listed"] = _list_document(lines, limit)
        return once["listed"]

    for opt in _numbered_scheme(lines, limit, text, flattened):
        if opt.kind == "list" and _list_inside_section(opt.heads, markup() or [], lines):
            continue
        if _preamble_ok(opt.heads, lines, limit):
            items = trimmed(_build(doc, opt.heads, lines, end_off))
            return Structure(items, opt.entries, opt.warnings, flattened, opt.heads[0].source)
    for scheme in (
        lambda: _layout_scheme(doc, lines, end_off),
        markup,
        lambda: _label_scheme(lines, limit),
        lambda: _heading_line_scheme(lines, limit),
        lambda: _bullet_heading_scheme(lines, limit),  # only where no plain heading lines are found
    ):
        heads = scheme()
        if heads:
            heads = _add_closing(heads, lines, limit)
            listing = listed()
            if listing and _list_below_heads(heads, listing, lines):
                heads = listing
            if _preamble_ok(heads, lines, limit):
                return Structure(trimmed(_build(doc, heads, lines, end_off)), [], [], flattened, heads[0].source)
    heads = listed()
    if heads:
        return Structure(trimmed(_build(doc, heads, lines, end_off)), [], [], flattened, heads[0].source)
    return Structure(trimmed(_whole(doc, lines, limit)), [], [], flattened, "whole")


def _list_inside_section(listed: list[_Head], markup: list[_Head], lines: list[_Line]) -> bool:
    """A numbered list that is the content of one section under Markdown or bold headings.

    "## Budget" / "Rådet föreslår att …" / "1. Budgeten antas" / "2. …" / "## Övriga
    frågor": the numbered points (decisions, proposals) belong to the section
    whose heading stands above them; the headings are the items. The list is
    inside a section when text stands between the nearest heading above it and
    its first row (a lead-in, not a list heading) and a heading follows its last
    row. A list directly under its heading ("## Anteckningar" / "1. …"), or one
    with no heading after it, is the document's own list of items.
    """
    rows = {h.start for h in listed}
    others = [h for h in markup if h.start not in rows]
    if not listed or not others:
        return False
    first, last = listed[0].start, listed[-1].start
    above = [h for h in others if h.start < first]
    if not above or not any(h.start > last for h in others):
        return False
    return any(not ln.blank and above[-1].body_start <= ln.start < first for ln in lines)


#: A list document's entries, each with at most this many characters of text.
_LIST_DOC_ENTRY_CHARS = _LIST_BODY_CHARS
#: ... and at most this much text after its last entry (signatures, a greeting).
_LIST_DOC_TAIL_CHARS = 300


def _list_document(lines: list[_Line], limit: int) -> list[_Head] | None:
    """A document that is an agenda list (kallelse, dagordning): its entries are its items.

    Used only when no other scheme found items. The entries must be a run of
    at least three numbers counting up one by one (plain numbers from 1 or 2;
    § numbers may run on through the year), each with little text under it
    ("Föredragande: …", "Handlingar bifogas.") and little after the last one.
    A text that merely contains a short list (a news item with three points
    and more prose after them) fails the last condition and stays whole.

    In such a run a row may be a bare number before its title ("1 Val av
    justerare", the number set apart by a space only, :func:`_bare_rows`): the
    run's counting makes it a list row, which a lone line of that shape is not.
    """
    cands = [c for c in _numbered_candidates(lines, limit) if not c.multi]
    taken = {c.line for c in cands}
    cands += [c for c in _bare_rows(lines, limit) if c.line not in taken]
    header = next((ln.idx for ln in lines[:limit] if not ln.blank and _table_header(lines, ln.idx)), None)
    if header is not None:  # rows of a table with a header row: their cells are its columns
        for c in cands:
            m = _ROW_NUMBER.match(_unmarkup(lines[c.line].text)) if c.line > header else None
            if m:
                title, dnr = _column_cells(lines, c.line, _unmarkup(lines[c.line].text)[m.end():], limit)
                c.title, c.dnr = _clean_title(title), dnr
    for kind in ("para", "keyword", "list"):
        best: list[_Cand] = []
        run: list[_Cand] = []
        for c in sorted((c for c in cands if c.kind == kind), key=lambda c: c.line):
            if run and c.key == run[-1].key + 1:
                run.append(c)
            else:
                run = [c] if (kind == "para" or c.num <= (1 if c.bare else 2)) else []
            if len(run) > len(best):
                best = list(run)
        if len(best) < 3:
            continue
        # the signature block and a letterhead footer after the last entry are end matter, not its text
        ends = [c.line for c in best[1:]] + [_closing_end_matter(lines, best[-1].body_line, limit)]
        chars = [sum(len(lines[j].text) for j in range(c.body_line, min(e, limit))) for c, e in zip(best, ends)]
        if any(n > _LIST_DOC_ENTRY_CHARS for n in chars[:-1]) or chars[-1] > _LIST_DOC_TAIL_CHARS:
            continue
        source = "paragraph" if kind == "para" else "numbered"
        return [
            _Head(lines[c.line].start,
                  c.body_off if c.body_off is not None  # a body cell, a run-in title's text on its line
                  else c.cell_off if c.cell_off is not None
                  else lines[c.body_line].start if c.body_line < len(lines) else lines[-1].end,
                  c.title or c.label, c.label, c.dnr, source)
            for c in best
        ]
    return None


#: "1 Val av justerare", "4   Budget 2026   KS 2025/3": a bare number, a space, a capitalised title.
_BARE_ROW = re.compile(r"^(\d{1,3})\s+(?=[A-ZÅÄÖ])(\S.*)$")


def _bare_rows(lines: list[_Line], limit: int) -> list[_Cand]:
    """One-line agenda rows numbered by a bare number ("1 Val av justerare").

    Only :func:`_list_document` looks at them, in a run counting up one by one:
    alone, "3 Kommunstyrelsen …" could as well be a sentence about three boards.
    A case-number or page cell at the right of the row goes to ``dnr``.
    """
    out: list[_Cand] = []
    for ln in lines[:limit]:
        m = _BARE_ROW.match(_unmarkup(ln.text)) if not ln.blank else None
        if not m:
            continue
        title, dnr, later = _split_row(m.group(2))
        title = _clean_title(title)
        at = ln.text.rfind(later) if later else -1
        if title and _words(title) <= 40 and not is_case_number_line(title):
            out.append(_Cand("list", ln.idx, int(m.group(1)), title, ln.idx + 1, dnr, bare=True,
                             cell_off=ln.start + ln.lead + at if at >= 0 else None))
    return out


def _list_below_heads(heads: list[_Head], listed: list[_Head], lines: list[_Line]) -> bool:
    """An agenda-list run outweighs the unnumbered headings that only introduce it.

    A kallelse prints its own heading ("Kallelse till …"), the meeting facts and
    often a list heading ("Föredragningslista") before the numbered rows; the
    heading schemes take those for items, the last holding the whole list as its
    text. The rows (counting up one by one and holding the rest of the document,
    :func:`_list_document`) are the document's items and the headings its
    preamble when every heading starts before the first row and the headings are
    no more than the document's title and the list's own heading: at most one
    heading, or two when the second stands directly above the first row (the
    list is all its text). A third heading, or a second one with text of its own
    above the list, is a topic (notes whose last topic holds a short numbered
    list): the headings stay the items.

    A heading between two rows of the run, directly above the next row
    ("2. Godkännande av dagordning" / "Beslutsärenden" / "3. Budget 2026"), groups
    the rows: the numbering goes on across it, so it is no item of its own and
    does not count.
    """
    rows = {h.start for h in listed}
    first = listed[0].start

    def groups_rows(h: _Head) -> bool:
        k = bisect.bisect_left(lines, h.body_start, key=lambda ln: ln.start)
        k = _next_nonblank(lines, k, len(lines))
        return first < h.start and k is not None and lines[k].start in rows

    heads = [h for h in heads if not groups_rows(h)]
    last = bisect.bisect_left(lines, listed[-1].start, key=lambda ln: ln.start)
    cut = _closing_end_matter(lines, last + 1, len(lines)) if last + 1 < len(lines) else len(lines)
    if cut < len(lines):
        # The signature block and footer closing the document under the last row are end matter, no heading.
        heads = [h for h in heads if h.start < lines[cut].start]
    if not heads:
        return True
    if not all(h.start < first for h in heads) or len(listed) <= len(heads) or len(heads) > 2:
        return False
    if len(heads) == 2:
        return not any(
            not ln.blank and heads[-1].body_start <= ln.start < first and not _table_header(lines, ln.idx)
            for ln in lines
        )
    return True


#: A header cell: one to three capitalised words, no digits, no sentence or label punctuation.
_HEADER_CELL = re.compile(r"^(?=[A-ZÅÄÖ§])[^\d.:;!?,]{1,30}$")
#: A table row's first cell: a bare or § number ("3", "3.", "§ 12") set apart from the next cell.
_ROW_NUMBER = re.compile(r"^(?:§\s*)?\d{1,3}[.)]?(?:\t| {2,}|\s(?=[A-ZÅÄÖ]))")


def _table_header(lines: list[_Line], i: int) -> bool:
    """A ruled table's header row: column names above numbered rows.

    "Nr<TAB>Ärende<TAB>Diarienummer<TAB>Föredragande" (or "§ / Ärende / Dnr",
    "Punkt / Ämne / Ansvarig"): at least three cells, each a short name of one
    to three words without digits or punctuation, and the next non-blank line
    is a row that starts with a number in its own cell. Names in columns over
    names ("Ordförande<TAB>Sekreterare<TAB>Justerare" over signatures) or over
    prose are no header: the rows under a header are what it is learnt from.
    """
    cells = [c.strip() for c in _CELLS.split(lines[i].text) if c.strip()]
    if len(cells) < 3 or not all(_HEADER_CELL.match(c) and len(c.split()) <= 3 for c in cells):
        return False
    for ln in lines[i + 1 : i + 4]:
        if not ln.blank:
            return bool(_ROW_NUMBER.match(_unmarkup(ln.text)))
    return False


def _column_cells(lines: list[_Line], i: int, rest: str, limit: int) -> tuple[str, str | None]:
    """Title and case number of a row of a table with a header row (:func:`_table_header`).

    The header says the row is cells of named columns: the title is its first
    text cell alone and a case-number cell is its case number; the other cells
    (Föredragande, Beslut, Sida …) are columns of their own, never title words,
    though a row of a table without a header joins them (:func:`_split_cells`).
    Lines directly under the row that start no new row are its cells wrapping:
    they go on the title, unless the row's last other cell ends unfinished (a
    comma: "Johanna Fors," over "verksamhetschef"), whose continuation they are.
    """
    cells, dnr = _row_cells(rest)
    title, others = cells[0], cells[1:]
    for c in others:
        if dnr is None and is_case_number_line(c):
            dnr = case_number_at_start(c)[0]
    rest_cells = [c for c in others if not is_case_number_line(c)]
    if not (rest_cells and rest_cells[-1].endswith(",")):
        for ln in lines[i + 1 : limit]:
            if ln.blank or _ROW_NUMBER.match(_unmarkup(ln.text)) or _CELLS.search(ln.text):
                break
            title = f"{title} {ln.text}"
    return title, dnr


@functools.lru_cache(maxsize=1)
def _preamble_cfg() -> dict[str, Any]:
    data = yaml.safe_load(_DATA_FILE.read_text(encoding="utf-8")) or {}
    return {"title": "Inledning", "min_words": 25, "min_line_words": 6, **(data.get("preamble") or {})}


# Attendance lines ("Fredrik Hansson (C), 1:e vice ordförande") are not prose.
_PARTY_TAG = re.compile(r"\([A-ZÅÄÖ][A-Za-zÅÄÖåäö]{0,2}\)")
_SENTENCE_END = re.compile(r"[.!?:]\s*$|[.!?]\s+\S")


def _with_prose_preamble(doc: Document, items: list[AgendaItem]) -> list[AgendaItem]:
    """Prepend the text before the first item when it is prose, not a label block."""
    if not items or items[0].heading_source == "whole" or items[0].start <= 0:
        return items
    cfg = _preamble_cfg()
    head = doc.text[: items[0].start]
    prose_lines = [
        line for line in head.splitlines()
        if len(line.split()) >= cfg["min_line_words"] and "\t" not in line and "..." not in line
        and "…" not in line and "§" not in line and not _PARTY_TAG.search(line) and _SENTENCE_END.search(line)
    ]
    if sum(len(line.split()) for line in prose_lines) < cfg["min_words"]:
        return items
    first = head.index(prose_lines[0])
    body = head[first:].rstrip()
    end = first + len(body)
    preamble = AgendaItem(None, cfg["title"], body, first, end, doc.pages_for(first, end), None, "preamble")
    return [preamble, *items]


def analyze(doc: Document) -> Structure:
    """Understand ``doc``: items with sections, its agenda list and warnings.

    Never raises; on an internal error the whole document is one item.

    Args:
        doc: A document as returned by a reader.

    Returns:
        The :class:`Structure`.
    """
    try:
        st = _segment(doc)
        if st.items:
            st.items = _with_prose_preamble(doc, st.items)
            add_sections(doc.text, [it for it in st.items if it.heading_source != "preamble"])
            return st
    except Exception:  # noqa: BLE001 - segmentation must never fail ingest
        log.exception("segmentation failed for %s; using one item", getattr(doc, "source", "?"))
    text = getattr(doc, "text", "") or ""
    try:
        lines = _split_lines(text)
        return Structure(_whole(doc, lines, len(lines)), [], [])
    except Exception:  # noqa: BLE001
        log.exception("whole-document fallback failed for %s", getattr(doc, "source", "?"))
        return Structure([AgendaItem(None, "Hela dokumentet", text.strip(), 0, len(text), [], None, "whole")], [], [])


def segment(doc: Document) -> list[AgendaItem]:
    """Split ``doc`` into agenda items; see the package docstring for the rules.

    Warnings about disagreements between the document's agenda list and its
    body are appended to ``doc.warnings``.

    Args:
        doc: A document as returned by a reader.

    Returns:
        The items in document order; never empty. Never raises.
    """
    st = analyze(doc)
    for w in st.warnings:
        if w not in doc.warnings:
            doc.warnings.append(w)
    return st.items
