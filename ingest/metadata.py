"""Meeting metadata from a document: date, body, municipality, kind, people.

:func:`extract_metadata` reads a :class:`~radslag.types.Document` and returns
a :class:`~radslag.types.MeetingMeta` whose ``provenance`` names the source of
every field it set. All Swedish language data (month names, cue words, body
name patterns, role words, the municipality list) lives in ``ingest/data/``.

Sources by trust, highest first (each field uses the first that gives a value):

* date: a labelled date in the text (``text:Datum och tid``; day first also
  written short, "Tid: onsdag 17/9-25"), a long Swedish
  form in the title block, a signature line or a meeting sentence
  (``text:lång datumform``), a bare "22 april" next to a meeting verb with the
  year from the file name or the text (``text:dag och månad``), front matter
  ``datum``/``date`` (``front_matter``), the removed running page header
  (``page_header``), a full date in the file name (``file_name``), a sidecar
  file (``sidecar``). A label naming the meeting's date also counts where it
  opens a later cell of a row ("Kommunstyrelsen<TAB>Sammanträdesdatum …").
  Dates referring to other meetings ("mötet den 25 maj 2021", "Nästa möte …")
  are ignored, and so are the document's own dates, which follow the meeting:
  an e-mail's header ("Skickat: den 10 oktober 2025"; a quoted e-mail's "> "
  marks are read off), the adjusting and the notice ("Justering: …", "Datum då
  anslaget sätts upp …") and a place-and-date line under a certification
  ("Rätt utdraget intygar … Munkfors den 3 oktober 2025"). When only a year is
  known the date stays None and ``provenance["date"]`` reads
  ``year_only:2021 (<source>)``.
* municipality: scored mentions (front matter, title block, text, file name);
  the sidecar fills a gap.
* body: a general meeting the title block names ("fört vid årsstämma i Trosa
  Kommunfastigheter AB": ``text:rubrik``, an organ of its own beside the
  company's board), else the name as the document prints it in its running page header
  (``page_header``, ``running_lines``; a date cell after it dropped), on an
  "Organ" label line (ANSLAG/BEVIS, ``text:organ``; a name no pattern knows
  when the title block prints it too, "Revisorerna"), in its title block
  (``text:rubrik``, a document-type word such as "Minnesanteckningar"
  dropped), as a standalone line of the front matter (``text:försättsblad``),
  in the running phrase of flattened text (``text:sidhuvud``), then front
  matter keys, a mention in the front matter's text (``text:omnämnande``) and
  the sidecar. Item text and distribution lists ("Beslutet skickas till") are
  never evidence. The body is *not* canonicalised ("Brottsförebyggande rådet"
  stays as printed): matching variants is the archive's business (its name
  filter matches word starts).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ingest.segment.core import _CELLS  # table cells of a line: a tab, or three spaces and more, between them
from ingest.segment.flat import is_flattened_text, running_phrases
from ingest.segment.lines import QUOTE_PREFIX  # the quote marks of a quoted e-mail ("> Datum: …", ">> …")
from radslag.types import Document, MeetingMeta, Participant

__all__ = [
    "extract_metadata",
    "Municipality",
    "load_municipalities",
    "find_municipality",
    "classify_kind",
    "parse_participants",
    "find_sidecar",
    "load_sidecar",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
#: Non-blank lines at the top of a document that form its title block.
TITLE_LINES = 12


# --------------------------------------------------------------------------
# Data files
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Municipality:
    """One row of ``municipalities.tsv``."""

    name: str
    official: str
    county: str


@lru_cache(maxsize=None)
def load_municipalities() -> tuple[Municipality, ...]:
    """Load the 290 municipalities from ``ingest/data/municipalities.tsv``."""
    with (DATA_DIR / "municipalities.tsv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if r.get("name")]
    return tuple(Municipality(r["name"], r["official"], r["county"]) for r in rows)


@lru_cache(maxsize=None)
def _ambiguous_municipalities() -> frozenset[str]:
    path = DATA_DIR / "municipality_ambiguous.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(s.strip() for s in lines if s.strip() and not s.startswith("#"))


@lru_cache(maxsize=None)
def _months() -> dict[str, int]:
    out: dict[str, int] = {}
    for line in (DATA_DIR / "months.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("name\t"):
            continue
        name, number = line.split("\t")
        out[name.strip().lower()] = int(number)
    return out


@lru_cache(maxsize=None)
def _yaml(name: str) -> dict[str, Any]:
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def _labels() -> dict[str, Any]:
    return _yaml("meeting_labels.yaml")


def _alt(words: list[str]) -> str:
    """Regex alternation of literal words, longest first."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _ralt(patterns: list[str]) -> str:
    """Regex alternation of regex fragments from a data file, longest first."""
    return "|".join(f"(?:{p})" for p in sorted(patterns, key=len, reverse=True))


def _fold(text: str) -> str:
    """ASCII fold for file-name matching (Västerås → vasteras)."""
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


# --------------------------------------------------------------------------
# Names of people
# --------------------------------------------------------------------------

_NAME_TOKEN = r"[A-ZÅÄÖÉÜØÆ][a-zåäöéüëèáíóúøæ'’]+(?:-[A-ZÅÄÖÉÜ]?[a-zåäöéüëèáíóúøæ'’]+)*"
_NAME = rf"{_NAME_TOKEN}(?:[ \t]+(?:(?:af|von|van|de|der|da)[ \t]+)?{_NAME_TOKEN}){{1,3}}"
#: A first name just before a match (the match being a surname): "Jenny |Norberg".
_NAME_BEFORE = re.compile(rf"({_NAME_TOKEN}) $")
_NAME_RE = re.compile(rf"^{_NAME_TOKEN}$")


@lru_cache(maxsize=None)
def _party_re() -> re.Pattern[str]:
    return re.compile(r"\s*\((" + _alt([str(p) for p in _labels()["parties"]]) + r")\)")


@lru_cache(maxsize=None)
def _role_words() -> tuple[frozenset[str], tuple[str, ...], tuple[str, ...]]:
    labels = _labels()
    roles = frozenset(r.lower() for r in labels["roles"])
    return roles, tuple(labels["role_suffixes"]), tuple(labels["organisation_suffixes"])


def _is_name_token(token: str) -> bool:
    """A capitalised word that can be part of a person's name."""
    if not _NAME_RE.match(token):
        return False
    roles, role_suffixes, org_suffixes = _role_words()
    low = token.lower()
    if low in roles or low.endswith(role_suffixes) or low.endswith(org_suffixes):
        return False
    return True


def _role_text(text: str) -> str | None:
    """Clean a role phrase; lower-case a leading role word ("Kommunpolis")."""
    text = re.sub(r"\s*§§?[\d,\s-]*$", "", text).strip(" ,.;:-\t")
    if not text:
        return None
    roles, role_suffixes, _ = _role_words()
    first = text.split()[0]
    low = first.lower()
    if (low in roles or low.endswith(role_suffixes)) and not first.isupper():
        text = low + text[len(first):]
    return text


def _role_like(text: str) -> bool:
    """True when a phrase before a name names a role or an organisation."""
    roles, role_suffixes, org_suffixes = _role_words()
    for word in text.split():
        low = word.lower().strip(",.")
        if low in roles or low.endswith(role_suffixes) or low.endswith(org_suffixes):
            return True
        if word.isupper() and len(word) >= 2:
            return True
    return False


def _known_role_start(text: str) -> bool:
    """True when ``text`` starts with a role word ("ordförande", "…samordnare")."""
    words = text.split()
    if not words:
        return False
    roles, role_suffixes, _ = _role_words()
    first = words[0].lower().strip(",.")
    return bool(_starts_with_role(text)) or first in roles or first.endswith(role_suffixes)


def _starts_with_role(text: str) -> str | None:
    """Return the leading chair-type role of ``text`` ("1:e vice ordförande")."""
    m = re.match(r"^((?:\d:[ea]\s+)?(?:vice\s+)?ordförande)\b", text.strip(), re.I)
    return m.group(1) if m else None


def _parse_entry(text: str) -> tuple[Participant | None, str]:
    """Parse "Kommunpolis Stefan Persson" / "Jonna Lindman (M) ordförande".

    Returns:
        ``(participant or None, leftover)``; leftover is the text when no
        name was found (used as a role for the previous entry).
    """
    text = text.strip(" .;:\t")
    if not text:
        return None, ""
    party = None
    suffix = ""
    pm = _party_re().search(text)
    if pm:
        party = pm.group(1)
        suffix = text[pm.end():].strip(" ,.;")
        text = text[: pm.start()].strip()
    tokens = text.split()
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        if _is_name_token(tokens[i]):
            j = i
            while j + 1 < len(tokens) and (
                _is_name_token(tokens[j + 1]) or tokens[j + 1] in ("af", "von", "van", "de", "der", "da")
            ):
                j += 1
            runs.append((i, j + 1))
            i = j + 1
        else:
            i += 1
    good = [r for r in runs if 2 <= r[1] - r[0] <= 4]
    if not good:
        # A single token with three capitalised parts ("Ann-Marie-Lund").
        singles = [r for r in runs if r[1] - r[0] == 1 and tokens[r[0]].count("-") >= 2]
        good = singles
    if not good:
        return None, text
    start, end = good[0] if good[0][0] == 0 else good[-1]
    if pm and end != len(tokens):
        return None, text  # the party tag must follow the name directly
    name = " ".join(tokens[start:end])
    prefix = " ".join(tokens[:start])
    rest = " ".join(tokens[end:])
    role = None
    if prefix and _role_like(prefix):
        role = _role_text(prefix)
    elif rest:
        role = _role_text(rest)
    if suffix:
        roles, role_suffixes, _ = _role_words()
        first = suffix.split()[0].lower()
        if _starts_with_role(suffix) or first in roles or first.endswith(role_suffixes):
            role = role or _role_text(suffix)
    return Participant(name=name, role=role, party=party), ""


def _label_re(labels: list[str]) -> re.Pattern[str]:
    return re.compile(r"^\s*(" + _alt(labels) + r")(?![\wåäöÅÄÖ])\s*:?\s*(.*)$")


def parse_participants(lines: list[str]) -> list[Participant]:
    """Parse the participant block(s) of a meeting record.

    A block starts at a label such as "Deltagare:", "Närvarande",
    "Ledamöter", "Rådsrepresentanter", "Förtroendevalda:", "Gäster:" or
    "Beslutande" (``participant_labels`` in ``meeting_labels.yaml``); the
    label becomes the participant's ``group``. Entries are split at tabs,
    wide column gaps and commas. A block ends at a stop label (signature
    labels, "Frånvarande", "Plats och tid för justering"), a numbered
    heading, or a line without names after a blank line.

    Args:
        lines: Document lines.

    Returns:
        Participants in order, one per name.
    """
    labels = _labels()
    start_re = _label_re(labels["participant_labels"])
    stop_re = _label_re(labels["participant_stop_labels"])
    numbered = re.compile(r"^\s*(?:\d{1,2}[.)]\s+\S|§\s*\d)")
    found: dict[str, Participant] = {}
    i = 0
    while i < len(lines):
        m = start_re.match(lines[i])
        if not m or stop_re.match(lines[i]):
            i += 1
            continue
        group = None
        prev_blank = False
        unparsed = 0
        while i < len(lines):
            line = lines[i]
            i += 1
            if not line.strip():
                prev_blank = True
                continue
            if stop_re.match(line) and not start_re.match(line):
                break
            if group is not None and numbered.match(line):
                break
            rest = line
            stripped: list[str] = []
            while True:
                lm = start_re.match(rest)
                if not lm:
                    break
                stripped.append(lm.group(1))
                rest = lm.group(2)
            cells = [c for c in _CELLS.split(rest) if c.strip()]
            # Column headers ("Beslutande  Ledamöter  Tjänstgörande ersättare").
            cell_labels = [c for c in cells if start_re.fullmatch(c.strip()) or start_re.match(c.strip() + ":")]
            if stripped and len(cell_labels) == len(cells):
                group = stripped[0]
                prev_blank = False
                continue
            if stripped:
                group = stripped[-1]
            if group is None:
                break
            people = _parse_cells(cells, group)
            if people:
                for p in people:
                    if p.name in found:
                        old = found[p.name]
                        old.role = old.role or p.role
                        old.party = old.party or p.party
                    else:
                        found[p.name] = p
                unparsed = 0
            elif not stripped:
                unparsed += 1
                if prev_blank or unparsed >= 4 or numbered.match(line):
                    break
            prev_blank = False
        # Only the first block (and its continuation) is read.
        break
    return list(found.values())


def _parse_cells(cells: list[str], group: str) -> list[Participant]:
    people: list[Participant] = []
    for cell in cells:
        last: Participant | None = None
        last_had_party = False
        for part in cell.split(","):
            part = part.strip()
            if not part:
                continue
            lead = _starts_with_role(part)
            if lead and last is not None and last.role is None and last_had_party:
                last.role = lead.lower()
                part = part[len(lead):].strip()
                if not part:
                    continue
            person, leftover = _parse_entry(part)
            if person is not None:
                person.group = group
                people.append(person)
                last = person
                last_had_party = person.party is not None
            elif leftover and last is not None and last.role is None:
                if not last_had_party or _known_role_start(leftover):
                    last.role = _role_text(leftover)
    return people


# --------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _date_res() -> dict[str, re.Pattern[str]]:
    months = _alt(list(_months()))
    return {
        "iso": re.compile(r"(?<!\d)((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})(?!\d)"),
        "long": re.compile(rf"(?<![\d])(\d{{1,2}})(?::[ae])?\s+({months})\.?\s+((?:19|20)\d{{2}})(?!\d)", re.I),
        "bare": re.compile(rf"(?<![\d.-])(\d{{1,2}})(?::[ae])?\s+({months})\b\.?(?!\s*(?:19|20)\d{{2}})", re.I),
        "month_year": re.compile(rf"\b({months})\.?\s+((?:19|20)\d{{2}})(?!\d)", re.I),
        "year": re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)"),
    }


def _mkdate(year: int, month: int, day: int) -> dt.date | None:
    try:
        d = dt.date(year, month, day)
    except ValueError:
        return None
    return d if 1990 <= d.year <= 2100 else None


def _first_date(text: str) -> dt.date | None:
    """First ISO or long-form date in ``text``."""
    res = _date_res()
    best: tuple[int, dt.date] | None = None
    m = res["iso"].search(text)
    if m:
        d = _mkdate(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            best = (m.start(), d)
    m = res["long"].search(text)
    if m:
        d = _mkdate(int(m.group(3)), _months()[m.group(2).lower()], int(m.group(1)))
        if d and (best is None or m.start() < best[0]):
            best = (m.start(), d)
    return best[1] if best else None


#: Day/month with the year after a dash or a space: "17/9-25", "17/9 2025" (Swedish order, day first).
#: After a space only a four-digit year counts ("17/9 18.30" is a day and a time), and a year
#: group followed by a time's separator and digit ("17/9-13.00") is a time, not a year.
_SHORT_DATE = re.compile(
    r"(?<![\d/.-])(\d{1,2})/(\d{1,2})(?:-(?P<y2>(?:19|20)?\d{2})|\s(?P<y4>(?:19|20)\d{2}))(?![\d/]|[.:]\d)"
)


def _short_date(text: str) -> dt.date | None:
    """A date written short, day first: "onsdag 17/9-25" (2025-09-17), "17/9 2025".

    Read only in a labelled date value ("Tid: onsdag 17/9-25, kl. 13.00"),
    where the label says a date follows; a two-digit year is this century's.
    """
    for m in _SHORT_DATE.finditer(text):
        year = int(m.group("y2") or m.group("y4"))
        d = _mkdate(year + 2000 if year < 100 else year, int(m.group(2)), int(m.group(1)))
        if d:
            return d
    return None


def _is_reference(line: str, pos: int, title: bool = False) -> bool:
    """True when the date at ``pos`` in ``line`` refers to another meeting.

    In a title-block line (``title``) the word "protokoll" is the document's
    own name ("Protokoll 10 mars 2025"), not a cue, as for its ISO dates.
    """
    labels = _labels()
    if re.match(r"^\s*(?:" + _alt(labels["next_meeting_labels"]) + r")\b", line, re.I):
        return True
    before = line[max(0, pos - 45): pos].lower()
    cues = _alt([c for c in labels["date_reference_cues"] if not (title and c == "protokoll")])
    return bool(re.search(r"\b(?:" + cues + r")\b(?:\s+\w+){0,2}\s*(?:den\s*)?$", before))


def _meeting_sentence(line: str) -> bool:
    return bool(re.search(r"\b(?:" + _ralt(_labels()["meeting_verbs"]) + r")", line, re.I))


def _years_in(text: str) -> list[int]:
    return [int(y) for y in _date_res()["year"].findall(text)]


def _file_stem(source: str) -> str:
    return Path(source).name


def _unquote(line: str) -> str:
    """``line`` without the quote marks of a quoted e-mail ("> Datum: …" reads "Datum: …")."""
    return QUOTE_PREFIX.sub("", line)


#: Fewest "<label>: …" lines in a row read as an e-mail's header.
MAIL_HEADER_LINES = 3


@lru_cache(maxsize=None)
def _mail_header_res() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    groups = _labels().get("mail_header_labels") or {}
    sender, subject = list(groups.get("sender") or []), list(groups.get("subject") or [])
    every = sender + subject + list(groups.get("other") or [])

    def rx(words: list[str]) -> re.Pattern[str]:
        return re.compile(r"^\s*(?:" + (_alt(words) or r"(?!x)x") + r")\s*:", re.I)

    return rx(sender), rx(subject), rx(every)


def _mail_header_lines(lines: Sequence[str]) -> set[int]:
    """Indices of the lines of the e-mail headers in ``lines``.

    A header is a run of at least :data:`MAIL_HEADER_LINES` lines that each
    start with a mail header label and a colon ("Från:", "Skickat:", "Ämne:"),
    one line after the other as mail programs write them (a blank line ends
    it: the notes' own "Datum:" after it stays theirs), with a sender and a subject label among them
    (``mail_header_labels`` in ``meeting_labels.yaml``). Its dates are when the
    message was sent, after the meeting, so none of them is the meeting's.
    """
    sender, subject, every = _mail_header_res()
    found: set[int] = set()
    i = 0
    while i < len(lines):
        run: list[int] = []
        j = i
        while j < len(lines) and every.match(lines[j]):
            run.append(j)
            j += 1
        if (len(run) >= MAIL_HEADER_LINES and any(sender.match(lines[k]) for k in run)
                and any(subject.match(lines[k]) for k in run)):
            found.update(run)
        i = max(j, i + 1)
    return found


#: Non-blank lines above a place-and-date line searched for the label of a block signed after the meeting.
SIGNED_BLOCK_LINES = 4


@lru_cache(maxsize=None)
def _signed_opener_re() -> re.Pattern[str] | None:
    """The opening line of a block signed after the meeting (``date_signed_after_meeting``); None if none listed."""
    patterns = [str(x) for x in _labels().get("date_signed_after_meeting") or []]
    return re.compile(r"(?:" + _ralt(patterns) + r")", re.I) if patterns else None


@lru_cache(maxsize=None)
def _after_meeting_line_re() -> re.Pattern[str]:
    """Lines that date something after the meeting: the adjusting, the notice, a signature's place."""
    labels = _labels()
    return re.compile(r"(?:" + _ralt([str(x) for x in labels.get("date_exclude_starts") or []]
                                     + [re.escape(str(x)) for x in labels["place_exclude"]]) + r")", re.I)


def _signed_after_meeting(lines: Sequence[str], i: int) -> bool:
    """True when line ``i`` stands in a block signed after the meeting.

    The block opens with a line of ``date_signed_after_meeting`` ("Rätt
    utdraget intygar", "Justerat", "Anslaget …") at most
    :data:`SIGNED_BLOCK_LINES` non-blank lines above: a place-and-date line
    there ("Munkfors den 3 oktober 2025") dates the certifying, adjusting or
    posting, which follows the meeting.
    """
    opener = _signed_opener_re()
    if opener is None:
        return False
    above = [x for x in lines[max(0, i - 3 * SIGNED_BLOCK_LINES): i] if x.strip()][-SIGNED_BLOCK_LINES:]
    return any(opener.match(x.strip()) for x in above)


#: Longest title-block line (words) whose ISO date is read as the meeting's ("Protokoll 2024-03-12").
TITLE_DATE_WORDS = 6
#: Words at the head of a flattened text read as its title block.
FLAT_TITLE_WORDS = 25


def _find_date(doc: Document, lines: list[str], title_end: int, sidecar: dict[str, Any],
               flattened: bool = False) -> tuple[dt.date | None, str | None, int | None, str | None]:
    """Return ``(date, provenance, year, year_source)``."""
    res = _date_res()
    labels = _labels()
    label_re = _label_re(labels["date_labels"])

    # Lines of an e-mail's header date the message, not the meeting.
    foreign = _mail_header_lines(lines)
    # Lines that date something after the meeting (the adjusting, the notice, a signature),
    # also under a date label ("Datum då anslaget sätts upp 2024-03-16"): no step reads them.
    place_re = _label_re(labels["place_labels"])
    skip_re = _after_meeting_line_re()

    def skip(line: str) -> bool:
        return bool(skip_re.match(line.strip()))

    # 1. Labelled dates ("Datum och tid: 2021-09-15", "Datum\n2025-10-15"), also a label naming
    # the meeting's date that opens a later cell of a row ("Kommunstyrelsen<TAB>Sammanträdesdatum
    # 2025-09-30"; not a bare "Datum" there: a header cell's "Datum" dates the document).
    cell_labels = [str(x) for x in labels.get("date_cell_labels") or []]
    cell_label_re = _label_re(cell_labels) if cell_labels else None
    for i, line in enumerate(lines):
        if i in foreign or skip(line):
            continue
        m = label_re.match(line)
        if m and not line[: m.start(1)].strip():
            value = m.group(2)
            if not value.strip():
                nxt = next((ln for ln in lines[i + 1: i + 3] if ln.strip()), "")
                value = nxt
            if re.search(r"\d{1,2}:\d{2}:\d{2}", value):
                continue  # a signing time stamp, not the meeting
            d = _first_date(value) or _short_date(value)
            if d:
                return d, f"text:{m.group(1)}", None, None
            continue
        cells = line.split("\t") if cell_label_re else []
        for k, cell in enumerate(cells[1:], start=1):
            m = cell_label_re.match(cell)
            if not m:
                continue
            value = m.group(2) if m.group(2).strip() else (cells[k + 1] if k + 1 < len(cells) else "")
            d = None if re.search(r"\d{1,2}:\d{2}:\d{2}", value) else _first_date(value) or _short_date(value)
            if d:
                return d, f"text:{m.group(1)}", None, None

    # 1b. Flattened text (one line per page): the title block is the head of the
    # first line and the running header phrase, not the whole first lines.
    if flattened:
        head = " ".join(doc.text.split()[:FLAT_TITLE_WORDS])
        for value in [head] + running_phrases(doc.text):
            d = _first_date(value)
            if d:
                return d, "text:rubrik", None, None
        title_end = 0

    # 2. Long forms in the title block, in "Ort den <datum>" lines, in meeting sentences.
    for i, line in enumerate(lines):
        if i in foreign or skip(line):
            continue
        for m in res["long"].finditer(line):
            if _is_reference(line, m.start(), title=i < title_end):
                continue
            signature = re.match(r"^\s*[A-ZÅÄÖ][\wåäö-]+\s+den\s+$", line[: m.start()])
            if signature and _signed_after_meeting(lines, i):
                continue  # "Rätt utdraget intygar … Munkfors den 3 oktober 2025": the certifying's date
            if i < title_end or signature or _meeting_sentence(line):
                d = _mkdate(int(m.group(3)), _months()[m.group(2).lower()], int(m.group(1)))
                if d:
                    return d, "text:lång datumform", None, None

    # 2b. An ISO date in the title block: a short header line ("Protokoll 2024-03-12",
    # "Socialnämnden<TAB>2024-03-12") or the "Plats och tid" line; never the
    # adjusting, the notice or a reference ("förra mötet 2024-01-10").
    for i, line in enumerate(lines[:title_end]):
        if not line.strip() or skip(line) or i in foreign:
            continue
        m = res["iso"].search(line)
        if not m or re.search(r"\d{1,2}:\d{2}:\d{2}", line):
            continue
        before = line[: m.start()].strip().lower()
        header = len(line.split()) <= TITLE_DATE_WORDS and not re.search(r"\b(?:" + _alt(
            [c for c in labels["date_reference_cues"] if c != "protokoll"]) + r")\b", before)
        if header or place_re.match(line):
            d = _mkdate(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if d:
                return d, "text:rubrik", None, None

    # 2c. The document's own title line (the first non-blank lines) dates it whatever its
    # length ("Protokoll fört vid sammanträde med Socialnämnden 2024-03-12"), unless the
    # date is said to be another meeting's.
    other = _alt([str(x) for x in labels.get("date_other_meeting_cues") or []]) or r"(?!x)x"
    for line in [x for i, x in enumerate(lines[:title_end]) if x.strip() and i not in foreign][:TITLE_SENTENCE_LINES]:
        m = res["iso"].search(line)
        if not m or skip(line) or re.search(r"\d{1,2}:\d{2}:\d{2}", line):
            continue
        if re.search(rf"\b(?:{other})\b", line[: m.start()], re.I):
            continue
        d = _mkdate(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            return d, "text:rubrik", None, None

    # Year context (for bare dates and year-only notes).
    name = _file_stem(doc.source)
    name_years = [y for y in _years_in(name) if 1990 <= y <= 2100]
    text_years = [y for y in _years_in(doc.text) if 1990 <= y <= 2100]
    year: int | None = None
    year_src: str | None = None
    sig_year = None
    for line in lines:
        sm = re.match(r"^\s*[A-ZÅÄÖ][\wåäö-]+\s+den\s+((?:19|20)\d{2})\s*$", line)
        if sm:
            sig_year = int(sm.group(1))
    my = res["month_year"].search(doc.text)
    if sig_year:
        year, year_src = sig_year, "text:ort den år"
    elif name_years:
        year, year_src = name_years[0], "file_name"
    elif my:
        year, year_src = int(my.group(2)), "text:månad år"
    elif text_years:
        year, year_src = min(text_years), "text:årtal"

    # 3. Bare "22 april" next to a meeting verb, year from context.
    if year:
        for i, line in enumerate(lines):
            if i in foreign or skip(line):
                continue
            for m in res["bare"].finditer(line):
                if _is_reference(line, m.start()):
                    continue
                if _meeting_sentence(line) or (i < title_end and len(line.split()) <= 6):
                    d = _mkdate(year, _months()[m.group(2).lower()], int(m.group(1)))
                    if d:
                        return d, f"text:dag och månad (år från {year_src})", None, None

    # 4. Front matter.
    fm = {k.lower(): v for k, v in doc.front_matter.items()}
    for key in ("datum", "date", "sammanträdesdatum", "motesdatum"):
        value = fm.get(key)
        if value:
            d = _first_date(str(value))
            if d:
                return d, "front_matter", None, None

    # 5. Running page header removed by the reader.
    for line in fm.get("running_lines") or []:
        d = _first_date(str(line))
        if d:
            return d, "page_header", None, None

    # 6. File name.
    m = re.search(r"((?:19|20)\d{2})[-_]?(\d{2})[-_]?(\d{2})(?!\d)", name)
    if m:
        d = _mkdate(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            return d, "file_name", None, None

    # 7. Sidecar.
    if sidecar.get("date"):
        d = _first_date(str(sidecar["date"]))
        if d:
            return d, "sidecar", None, None
    return None, None, year, year_src


#: Characters from the top of the text where a "månad år" dates the document itself.
MONTH_SPAN = 1500


def _find_month(text: str, year: int) -> int | None:
    """The month of a year-only document: "undertecknat i april 2019" near the top.

    Only the document's opening (title block and lead paragraph) counts, and
    not a month that refers to another meeting ("förra mötet i mars 2019").
    """
    head = text[:MONTH_SPAN]
    for m in _date_res()["month_year"].finditer(head):
        if int(m.group(2)) != year:
            continue
        line_start = head.rfind("\n", 0, m.start()) + 1
        if _is_reference(head[line_start:m.end()], m.start() - line_start):
            continue
        return _months()[m.group(1).lower()]
    return None


# --------------------------------------------------------------------------
# Municipality
# --------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _municipality_index() -> tuple[re.Pattern[str], dict[str, Municipality], dict[str, Municipality]]:
    munis = load_municipalities()
    by_name = {m.name: m for m in munis}
    by_fold: dict[str, Municipality] = {}
    for m in munis:
        by_fold[_fold(m.name)] = m
        by_fold[_fold(m.name).replace(" ", "-")] = m
        by_fold[_fold(m.official)] = m
    forms = [m.name for m in munis] + list(_official_stems())
    pattern = re.compile(r"(?<![\w-])(" + _alt(forms) + r")(s)?(?![\wåäöÅÄÖ])", re.I)
    return pattern, by_name, by_fold


@lru_cache(maxsize=1)
def _official_stems() -> dict[str, str]:
    """The official name's own form before "kommun"/"stad" where it is not the short name.

    "Falu kommun" (Falun): the letterhead "FALU KOMMUN" names Falun only in
    this form, so it is searched for too (lower-cased form → short name), and
    counts only before "kommun"/"stad" ("Falu tingsrätt" names no organiser).
    """
    out: dict[str, str] = {}
    for m in load_municipalities():
        stem = re.sub(r"\s+(?:kommun|stad)$", "", m.official, flags=re.I).strip()
        if stem.lower() not in (m.name.lower(), m.name.lower() + "s") and " " not in stem:
            out[stem.lower()] = m.name
    return out


def _person_surname_pairs(text: str, pattern: re.Pattern[str]) -> set[str]:
    """"Förnamn Efternamn" pairs of this document whose surname is a municipality's name.

    "Jenny Norberg, kommunsekreterare": a name-shaped word before the
    municipality name, the two a person's name (``radslag.names.looks_like_person``,
    no place or organisation word), and the pair shown as a person somewhere in
    the document: a role after it ("…, kommunsekreterare"), a party tag
    ("(S)"), or a role word before it on its line ("Sekreterare<TAB>…"). Every
    occurrence of such a pair is the person, also where no role stands beside it.
    """
    from radslag.names import looks_like_person

    roles, role_suffixes, _ = _role_words()
    places = [m.name for m in load_municipalities()]

    def role(word: str) -> bool:
        low = word.lower().strip(",.:;")
        return bool(low) and (low in roles or low.endswith(role_suffixes))

    pairs: set[str] = set()
    for m in pattern.finditer(text):
        if m.group(2):
            continue  # a genitive is no surname as written
        head = text[max(0, m.start() - 40): m.start()]
        pm = _NAME_BEFORE.search(head)
        if not pm or not _is_name_token(pm.group(1)):
            continue
        pair = f"{pm.group(1)} {m.group(1)}"
        if pair in pairs or not looks_like_person(pair, places):
            continue
        after = text[m.end(): m.end() + 40]
        line_before = text[max(0, m.start() - 120): m.start()].rsplit("\n", 1)[-1][: -len(pm.group(0))]
        shown = (
            bool(_party_re().match(after))
            or bool((am := re.match(r",\s*(\S+)", after)) and role(am.group(1)))
            or any(role(w) for w in line_before.split())
        )
        if shown:
            pairs.add(pair)
    return pairs


@lru_cache(maxsize=1)
def _names_by_lower() -> dict[str, str]:
    """Lower-cased municipality name or form → the name as listed."""
    _, by_name, _ = _municipality_index()
    out: dict[str, str] = {}
    for name in by_name:  # first listed wins, as the linear scan it replaces did
        out.setdefault(name.lower(), name)
    return out


def find_municipality(value: str) -> Municipality | None:
    """Look up a municipality by name, official form or slug ("kungsbacka")."""
    if not value:
        return None
    _, by_name, by_fold = _municipality_index()
    value = str(value).strip()
    if value in by_name:
        return by_name[value]
    key = _fold(value)
    if key in by_fold:
        return by_fold[key]
    key = re.sub(r"s?\s+(?:kommun|stad)$", "", key).strip()
    return by_fold.get(key) or by_fold.get(key.replace(" ", "-"))


#: Lines at the top of the text that make up its letterhead (the organiser's name).
_LETTERHEAD_LINES = 3
#: Longest letterhead line (words): "REGION KRONOBERG<TAB>Protokoll 1 (av 3)".
_LETTERHEAD_WORDS = 8


@lru_cache(maxsize=1)
def _region_res() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.I) for p in (_labels().get("region_organisers") or []))


def _region_organiser(text: str) -> str | None:
    """The name of a region that organises the meeting, from its header or title block."""
    for rx in _region_res():
        m = rx.search(text)
        if m:
            return m.group("name")
    return None


#: A further word of an organiser's proper name after its first: capitalised, or "län".
_NAME_WORD = re.compile(r"[ ]+([A-ZÅÄÖÉ][\wåäöÅÄÖ-]*|län)(?![\w])")
#: A capitalised word before a joint body's word on its line ("Västra Skaraborgs samordningsförbund").
_NAME_WORD_BEFORE = re.compile(r"([A-ZÅÄÖÉ][\wåäöÅÄÖ-]*)[ ]+$")


def _name_run(text: str, start: int, end: int, first: str) -> tuple[int, int]:
    """Widen ``text[start:end]`` over the proper name's further words on its line.

    A word counts when it is written like the name's first word (all capitals
    after "REGION KRONOBERG", capitalised after "Region Jämtland"), so
    "REGION KRONOBERG Protokoll" stops before "Protokoll"; a lower-case "län"
    ends a county's name ("Region Kalmar län").
    """
    upper = first.isupper() and len(first) > 1
    while True:
        m = _NAME_WORD.match(text, end)
        if not m:
            return start, end
        word = m.group(1)
        if word != "län" and (word.isupper() and len(word) > 1) != upper:
            return start, end
        end = m.end()
        if word == "län":
            return start, end


def _organiser_names(text: str) -> list[str]:
    """The full proper names of the regions and joint bodies that name themselves in ``text``.

    "Region Jämtland Härjedalen", "Samordningsförbundet Kungälv Ale": a
    municipality's name inside such a name is part of the organiser's name,
    not the organiser (the region spans the county, the förbund its members).
    """
    names: list[str] = []
    for rx in _region_res():
        for m in rx.finditer(text):
            a, b = _name_run(text, m.start(), m.end(), m.group("name"))
            names.append(text[a:b])
    jrx = _joint_body_re()
    if jrx is not None:
        for m in jrx.finditer(text):
            a = m.start()
            while (bm := _NAME_WORD_BEFORE.search(text, 0, a)) and "\n" not in text[bm.start():a]:
                a = bm.start()
            a, b = _name_run(text, a, m.end(), text[a:m.end()].split()[0])
            names.append(text[a:b])
    return names


@lru_cache(maxsize=1)
def _region_municipalities() -> frozenset[str]:
    """Regions that are municipalities too, by their full name ("Gotland": Region Gotland)."""
    return frozenset(str(x) for x in (_labels().get("region_municipalities") or []))


@lru_cache(maxsize=1)
def _joint_body_re() -> re.Pattern[str] | None:
    words = [str(w) for w in (_labels().get("joint_body_words") or [])]
    if not words:
        return None
    return re.compile(rf"(?<!\w)\w*(?:{_alt(words)})(?:ets|et|en|s)?(?!\w)", re.I)


def _joint_body(text: str) -> bool:
    """True when a joint body of several municipalities (a kommunalförbund) organises the meeting."""
    rx = _joint_body_re()
    return bool(rx and rx.search(text))


#: Distinct municipalities named bare on a front page with no header naming one: a body of several.
_MEMBER_TOWNS = 3
#: Sources by which a document names its own municipality (file front matter, page header, region).
_OWN_NAME = ("front_matter", "page_header", "page_header:region")
#: A postal code before a place name makes it an address ("103 37 Stockholm").
_POSTAL = re.compile(r"\b\d{3}\s?\d{2}\s+$")


def _find_municipality(doc: Document, title_end_offset: int, sidecar: dict[str, Any],
                       front_end_offset: int | None = None) -> tuple[str | None, str | None]:
    """The municipality from the document's own header and front matter.

    Evidence, strongest first: file front matter (``kommun``), the page
    header and title block, the front matter before the first item ("…
    Alingsås kommuns digitala anslagstavla"), the file name. A name merely
    mentioned in the items' text counts only when none of these gives one,
    so a property called "Munkedal 4" never overrides the header. A name
    after a postal code is an address, not the council's municipality.
    A region or a joint body of several municipalities (a kommunalförbund,
    ``joint_body_words`` in ``data/meeting_labels.yaml``) naming itself in the
    header or letterhead has no municipality of its own: only an official
    "X kommun" or a stronger source names one.
    """
    pattern, by_name, _ = _municipality_index()
    ambiguous = _ambiguous_municipalities()
    scores: dict[str, float] = {}
    sources: dict[str, tuple[int, str]] = {}
    mentions: dict[str, float] = {}

    own: set[str] = set()  # named as the document's own (front matter key, page header, region, file name)

    def add(name: str, weight: float, rank: int, label: str) -> None:
        scores[name] = scores.get(name, 0.0) + weight
        if label in _OWN_NAME or label == "file_name":
            own.add(name)
        if name not in sources or rank < sources[name][0]:
            sources[name] = (rank, label)

    fm = {k.lower(): v for k, v in doc.front_matter.items()}
    for key in ("kommun", "municipality", "kommunnamn"):
        if fm.get(key):
            hit = find_municipality(str(fm[key]))
            if hit:
                add(hit.name, 10, 0, "front_matter")
    front_end = max(title_end_offset, front_end_offset or 0)
    header = "\n".join(str(x) for x in (fm.get("page_header") or []) + (fm.get("running_lines") or [])
                       if isinstance(x, str))
    letterhead = [x for x in [x for x in doc.text[:title_end_offset].split("\n") if x.strip()][:_LETTERHEAD_LINES]
                  if len(x.split()) <= _LETTERHEAD_WORDS]  # a name, not a sentence mentioning a region
    region = _region_organiser("\n".join([header, *letterhead]))
    org_names = _organiser_names("\n".join([header, *letterhead]))
    if region is not None:
        hit = find_municipality(region)
        if hit and hit.name in _region_municipalities():
            add(hit.name, 10, 1, "page_header:region")  # "Region Gotland" is a municipality too
    # A region or a joint body of several municipalities (a kommunalförbund) has no town of its own.
    several = region is not None or _joint_body("\n".join([header, *letterhead]))
    people = _person_surname_pairs(doc.text, pattern)
    stems = _official_stems()
    front_bare: set[str] = set()  # municipalities the front matter names without "kommun"
    front_official: set[str] = set()
    for text, base in ((doc.text, 0), (header, -1)):
        for m in pattern.finditer(text):
            raw = m.group(1)
            name = _names_by_lower().get(raw.lower())
            stem = name is None and raw.lower() in stems
            if stem:
                name = stems[raw.lower()]
                if not (raw.isupper() or raw == raw.capitalize()):
                    continue
            elif name is None or not (raw == name or raw.isupper()):
                continue
            after = text[m.end(): m.end() + 8].lower()
            before = text[max(0, m.start() - 3): m.start()]
            if _POSTAL.search(text[max(0, m.start() - 12): m.start()]):
                continue
            official = bool(re.match(r"\s+(?:kommuns?|stads?)\b", after))
            if stem and not official:
                continue  # "Falu tingsrätt": only "Falu kommun" names the organiser
            pm = _NAME_BEFORE.search(text[max(0, m.start() - 40): m.start()])
            if not official and pm and f"{pm.group(1)} {raw}" in people:
                continue  # "Jenny Norberg, kommunsekreterare": a person's surname, not a town
            if several and not official:
                continue  # in a region's or a förbund's minutes a bare town name is a place (an address)
            in_context = official or before.endswith("i ") or raw.isupper() and official
            if name in ambiguous and not in_context:
                continue
            if base < 0:
                add(name, 10, 1, "page_header")  # repeated on every page: the strongest evidence in the text
            elif m.start() < title_end_offset:
                add(name, 5 + (2 if official else 0), 1, "text:rubrik")
                (front_official if official else front_bare).add(name)
            elif m.start() < front_end:
                add(name, 3 + (2 if official else 0), 2, "text:försättsblad")
                (front_official if official else front_bare).add(name)
            else:
                mentions[name] = mentions.get(name, 0.0) + 1 + (1 if official else 0)
    src_path = Path(doc.source)
    # The file name, then its folders ("lerum/socialnamnden-2024-03-12.txt"): a weaker source.
    stem = " ".join(_fold(x) for x in [src_path.stem, *[p.name for p in list(src_path.parents)[:2]]] if x)
    tokens = re.split(r"[^a-z0-9]+", stem)
    for org in org_names:
        # "region-jamtland-harjedalen-…": a town inside the organiser's own name names no town.
        # Two or more of its words in a row are enough ("jamtland-harjedalen-hsn-…").
        words = [w for w in re.split(r"[^a-z0-9]+", _fold(org)) if w]
        for n in range(len(words), 1, -1):
            for j in range(len(words) - n + 1):
                for i in range(len(tokens) - n + 1):
                    if tokens[i: i + n] == words[j: j + n]:
                        tokens[i: i + n] = [""] * n
    _, _, by_fold = _municipality_index()
    for n in (3, 2, 1):
        for i in range(len(tokens) - n + 1):
            key = "-".join(tokens[i: i + n])
            hit = by_fold.get(key)
            if hit and (hit.name not in ambiguous or n > 1 or i == 0):
                add(hit.name, 3, 3, "file_name")
    if len(front_bare) >= _MEMBER_TOWNS and not front_official and not own & front_bare:
        # A body of several municipalities whose name shows no "förbund" (Räddningstjänsten
        # X, a joint nämnd, a bolag): its front page names several towns (members by their
        # home towns, the meeting place) and its header none; no one of them is its own.
        several = True
        for name in front_bare:
            if name in scores and sources[name][1] in ("text:rubrik", "text:försättsblad"):
                del scores[name], sources[name]
    if not scores and not several:  # in a region's or a förbund's minutes, municipalities in the items are places
        for name, w in mentions.items():
            add(name, w, 4, "text")
    if scores:
        best = max(scores, key=lambda n: (scores[n], -sources[n][0]))
        return best, sources[best][1]
    if sidecar.get("municipality"):
        hit = find_municipality(str(sidecar["municipality"]))
        if hit:
            return hit.name, "sidecar"
        return str(sidecar["municipality"]), "sidecar"
    return None, None


# --------------------------------------------------------------------------
# Body, title, kind
# --------------------------------------------------------------------------


def _clean_line(line: str) -> str:
    line = re.sub(r"^\s*(?:#{1,6}\s+|-\s+)", "", line)
    line = line.replace("**", "").replace("__", "")
    return " ".join(line.split()).strip(" :.")


@lru_cache(maxsize=None)
def _body_res() -> tuple[list[re.Pattern[str]], list[re.Pattern[str]], frozenset[str]]:
    data = _yaml("bodies.yaml")
    lines = [re.compile(p) for p in data["line_patterns"]]
    mentions = [re.compile(p) for p in data["mention_patterns"]]
    exclude = frozenset(e.lower() for e in data.get("exclude", []))
    return lines, mentions, exclude


#: Longest line that can name a body (longer lines are prose; keeps matching bounded).
_BODY_LINE_MAX = 120
_BODY_SUFFIX = re.compile(r"(?:,\s*|\s+)(?:nr|nummer)\.?\s*\d{1,3}\s*$", re.I)
#: The first item heading ends the front matter: "§ 12", "KF § 3", "1. Title".
_FIRST_ITEM = re.compile(r"^\s*(?:[A-ZÅÄÖ]{2,8}\s+)?§\s*\d|^\s*\d{1,2}[.)]\s+[A-ZÅÄÖ]")
#: The same, anywhere in the text (line starts).
_FIRST_ITEM_LINE = re.compile(r"^[ \t]*(?:[A-ZÅÄÖ]{2,8}[ \t]+)?§[ \t]*\d|^[ \t]*\d{1,2}[.)][ \t]+[A-ZÅÄÖ]", re.M)
#: Non-blank lines read as front matter when no item heading is found.
FRONT_LINES = 40


_ISO_EDGE = re.compile(r"^(?:\d{4}-\d{2}-\d{2}\s+)+|(?:\s+\d{4}-\d{2}-\d{2})+$")


@lru_cache(maxsize=None)
def _doc_type_re() -> re.Pattern[str]:
    """Words by which a document names its own kind ("Minnesanteckningar", "Kallelse").

    Taken from the title cues of ``kinds.yaml`` (minutes and agenda), so a
    title line "Minnesanteckningar Folkhälsorådet" or "EST-gruppen –
    minnesanteckningar" gives the body without the document-type word.
    """
    cues = _yaml("kinds.yaml")
    words = [str(w) for k in ("minutes", "agenda") for w in (cues.get(k, {}).get("title") or [])]
    alt = _ralt(words) or r"(?!x)x"
    return re.compile(rf"^(?:{alt})(?:\s*[-–:]\s*|\s+)|(?:\s*[-–:]\s*|\s+)(?:{alt})$", re.I)


#: "Brottsförebyggande rådet (BRÅ)": the abbreviation after the name is not part of it.
#: "Lokala BRÅ (samverkansråd)": a short gloss in brackets after the name is not part of it either.
_ABBREVIATION = re.compile(r"\s*\((?:[A-ZÅÄÖ]{2,6}|[a-zåäö][\wåäö -]{2,40})\)$")


def _body_clean(line: str) -> str:
    clean = _BODY_SUFFIX.sub("", _clean_line(line)).strip(" ,")
    clean = _ABBREVIATION.sub("", clean)
    clean = _ISO_EDGE.sub("", clean).strip(" ,")
    # A header set in capitals ("PROTOKOLL FOLKHÄLSORÅDET"): read it in sentence case,
    # the name's own capital restored after the document-type word is dropped.
    caps = any(c.isalpha() for c in clean) and not any(c.islower() for c in clean) and len(clean) >= 4
    if caps:
        clean = clean.lower()
    # A document-type word before or after the name (not the whole line).
    stripped = _doc_type_re().sub("", clean).strip(" ,–-")
    out = stripped if stripped else clean
    return out[:1].upper() + out[1:] if caps else out


@lru_cache(maxsize=None)
def _hanging_hyphen_re() -> re.Pattern[str]:
    """A name's shared last part left out of its first members: "Folkhälso- och brottsförebyggande rådet".

    "Bygg-, miljö- och hälsoskyddsnämnden": the members before the
    conjunction (``list_conjunctions`` in ``bodies.yaml``) end in a hanging
    hyphen; group ``rest`` is the last member, written out in full.
    """
    words = [str(w) for w in (_yaml("bodies.yaml").get("list_conjunctions") or [])]
    alt = _alt(words) or r"(?!x)x"
    return re.compile(rf"[A-ZÅÄÖ][^\W\d_]{{1,30}}-(?:,\s[^\W\d_]{{1,30}}-)*\s(?:{alt})\s(?P<rest>\S.*)")


def _is_body_line(line: str) -> bool:
    patterns, _, exclude = _body_res()
    if len(line) > _BODY_LINE_MAX:
        return False
    clean = _body_clean(line)
    if not clean or clean.lower() in exclude or len(clean.split()) > 8:
        return False
    if any(p.fullmatch(clean) for p in patterns):
        return True
    # "Folkhälso- och brottsförebyggande rådet": a name whose first members hang on the last
    # one's ending is a body's name when its last member, written alone, is one.
    m = _hanging_hyphen_re().fullmatch(clean)
    if m:
        rest = m.group("rest")
        return _is_body_line(rest[:1].upper() + rest[1:])
    return False


#: Table cells of a layout line: a tab or a run of three or more spaces; parts of a
#: letterhead line set apart by a spaced dash or a middle dot ("Eksjö kommun – Lokala BRÅ",
#: "Åmåls Kommunfastigheter AB · Org.nr 556123-4567").
_CELL_SPLIT = re.compile(r"\t+| {3,}|\s+[–—·•|]\s+")


def _header_candidates(lines: list[str]) -> list[str]:
    """Lines, their table cells and pairs of wrapped lines ("Barn- och" + "ungdomsnämnden") of a header.

    A header row such as "Socialnämnden<TAB>2024-03-12" gives its cells as
    candidates after the whole line.
    """
    out: list[str] = []
    raw = [x for x in lines if x.strip() and len(x) <= _BODY_LINE_MAX]
    clean = [_clean_line(x) for x in raw]
    for i, line in enumerate(clean):
        if i + 1 < len(clean) and re.search(r"(?:-|\s(?:och|&))$", line):
            out.append(line + " " + clean[i + 1])
        out.append(line)
        cells = [c for c in _CELL_SPLIT.split(raw[i].strip()) if c.strip()]
        if len(cells) > 1:
            out.extend(_clean_line(c) for c in cells)
    return out


def _phrase_body(phrase: str, max_words: int = 6) -> str | None:
    """The longest body name inside a run of words (a flattened header line).

    Flattened text gives a whole page header as one phrase ("MÖRBYLÅNGA
    KOMMUN SAMMANTRÄDESPROTOKOLL Sida 1 (4) Brottsförebyggande rådet
    Sammanträdesdatum …"); the body is the longest word span that is a body
    line on its own, the earliest of equal length.
    """
    words = phrase.split()[:40]
    best: tuple[int, int] | None = None
    for i in range(len(words)):
        if not words[i][:1].isupper():
            continue
        for n in range(min(max_words, len(words) - i), 0, -1):
            if best is not None and n <= best[1] - best[0]:
                break
            if _is_body_line(" ".join(words[i:i + n])):
                best = (i, i + n)
                break
    return _body_clean(" ".join(words[best[0]:best[1]])) if best else None


#: First lines of a text searched for a body named inside a title sentence.
TITLE_SENTENCE_LINES = 2
#: A definite genitive before a lower-case word: "Kommunstyrelsens sammanträde" → "Kommunstyrelsen".
_GENITIVE = re.compile(r"\b([A-ZÅÄÖ][\wåäö-]+e[nt])s(?=\s+[a-zåäö])")


#: "i Lerums kommun" after a name in a title sentence.
_IN_MUNICIPALITY = re.compile(r"\s+i\s+[A-ZÅÄÖ][\wåäö-]+\s+(?:kommun|stad)\b")


def _front_lines(nonblank: list[str]) -> list[str]:
    """Non-blank lines before the first item heading (the front matter)."""
    for i, line in enumerate(nonblank[: FRONT_LINES * 4]):
        if _FIRST_ITEM.match(line):
            return nonblank[:i]
    return nonblank[:FRONT_LINES]


@lru_cache(maxsize=None)
def _body_label_re() -> re.Pattern[str]:
    """A line "Organ<TAB>Socialnämnden" / "Nämnd: …" (labels in ``meeting_labels.yaml``)."""
    labels = [str(x) for x in (_labels().get("body_labels") or [])]
    return re.compile(rf"^\s*(?:{_alt(labels) or '(?!x)x'})(?:\s*:\s*|\t+\s*| {{2,}})(?P<v>\S.*?)\s*$", re.I)


#: A name as a label value: one to five words, capitalised, letters and hyphens only.
_NAME_VALUE = re.compile(r"[A-ZÅÄÖ][^\W\d_]*-?(?: [^\W\d_]+-?){0,4}")


def _labelled_body(lines: list[str], title_block: Sequence[str] = ()) -> str | None:
    """The body named by a label line ("Organ", ANSLAG/BEVIS) anywhere in the document.

    The value is taken when it reads as a body's name (``bodies.yaml``), or when
    the document's title block prints the same name as a line or cell of its own
    ("Revisorerna", "Kommunrevisionen": a body no pattern knows): the label says
    what the name is, its repetition at the top says it is this meeting's.
    """
    rx = _body_label_re()
    confirmed = {  # the label lines themselves confirm nothing
        _body_clean(x).casefold() for x in _header_candidates([x for x in title_block if not rx.match(x)])
    }
    for line in lines:
        if len(line) > _BODY_LINE_MAX:
            continue
        m = rx.match(line)
        if not m:
            continue
        value = m.group("v")
        if _is_body_line(value):
            return _body_clean(value)
        if _NAME_VALUE.fullmatch(value) and _body_clean(value).casefold() in confirmed:
            return _body_clean(value)
    return None


@lru_cache(maxsize=None)
def _general_meeting_re() -> re.Pattern[str]:
    """"årsstämma i", "extra bolagsstämma för": a company's or association's general meeting.

    Words and prepositions from ``general_meeting_words`` and
    ``general_meeting_prepositions`` in ``bodies.yaml``; words between them
    that are left out of the name ("med aktieägarna") from ``general_meeting_between``.
    """
    data = _yaml("bodies.yaml")
    words = _alt([str(w) for w in (data.get("general_meeting_words") or [])]) or r"(?!x)x"
    preps = _alt([str(w) for w in (data.get("general_meeting_prepositions") or [])]) or r"(?!x)x"
    between = _alt([str(w) for w in (data.get("general_meeting_between") or [])]) or r"(?!x)x"
    return re.compile(rf"(?<![\w-])(?P<meeting>{words})(?:\s+(?:{between}))?\s+(?P<prep>{preps})\s+(?P<rest>\S.*)",
                      re.I)


#: Words after "årsstämma i" searched for the organisation's name.
_GENERAL_MEETING_NAME_WORDS = 8


@lru_cache(maxsize=None)
def _general_meeting_intro_re() -> re.Pattern[str]:
    """What may stand before a general meeting on its line: nothing, or the document's own description.

    "fört vid", "Protokoll fört vid", "Kallelse till" (``general_meeting_intro``
    in ``bodies.yaml``); an agenda number or an item's title ("2<TAB>Instruktion
    till ombud vid årsstämma i X AB") is something else, a matter for the meeting.
    """
    intro = _alt([str(w) for w in (_yaml("bodies.yaml").get("general_meeting_intro") or [])]) or r"(?!x)x"
    return re.compile(rf"(?:(?:{intro})[\s,:]*)?", re.I)


def _general_meeting_body(title_block: Sequence[str]) -> str | None:
    """The general meeting of an organisation that the title block says this meeting is.

    "PROTOKOLL / fört vid årsstämma i Trosa Kommunfastigheter AB (org.nr …)":
    a company's annual general meeting is an organ of its own, not the board
    (whose minutes are "Styrelsen för Trosa Kommunfastigheter AB"), so the
    body is "Årsstämma i Trosa Kommunfastigheter AB": the meeting word as
    printed, capitalised, and the name after the preposition, taken as far as
    it reads as a body's name (``bodies.yaml``, the company pattern). The title
    block's lines are read as one text, so a name wrapped over two lines counts.
    The meeting counts only as the document's own description: at the start of
    a line, or after "fört vid", "Kallelse till" (:func:`_general_meeting_intro_re`);
    an agenda row or an item's title that mentions a stämma names no body.
    """
    lines = [" ".join(x.split()) for x in title_block]
    text = " ".join(lines)
    starts: list[int] = []
    pos = 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    intro = _general_meeting_intro_re()
    for m in _general_meeting_re().finditer(text):
        line_start = max(s for s in starts if s <= m.start())
        if not intro.fullmatch(text[line_start:m.start()].strip()):
            continue
        words = m.group("rest").split()[:_GENERAL_MEETING_NAME_WORDS]
        for n in range(len(words), 0, -1):
            candidate = " ".join(words[:n])
            if _is_body_line(candidate):
                meeting = m.group("meeting")
                return f"{meeting[:1].upper()}{meeting[1:]} {m.group('prep')} {_body_clean(candidate)}"
    return None


#: Longest line in capitals looked up in its own mixed-case spelling (words).
_OWN_SPELLING_WORDS = 6


def _own_spelling(line: str, text: str) -> str | None:
    """The document's own mixed-case spelling of a line set in capitals, or None.

    "TROSA KOMMUNFASTIGHETER AB" in a letterhead and "årsstämma i Trosa
    Kommunfastigheter AB" in the title sentence: the same words written
    with their capitals elsewhere in the document give the name as written
    (sentence case would give "Trosa kommunfastigheter ab", which is no
    company's name). The first occurrence with a lower-case letter counts.
    """
    clean = _clean_line(line)
    words = clean.split()
    if not words or len(words) > _OWN_SPELLING_WORDS or any(c.islower() for c in clean):
        return None
    if not any(c.isalpha() for c in clean):
        return None
    rx = re.compile(r"(?<![\w-])" + r"\s+".join(re.escape(w) for w in words) + r"(?![\w-])", re.I)
    for m in rx.finditer(text):
        found = " ".join(m.group(0).split())
        if any(c.islower() for c in found):
            return found
    return None


def _find_body(doc: Document, nonblank: list[str], kind: str, sidecar: dict[str, Any]) -> tuple[str | None, str | None]:
    """The body from the document's own header and front matter.

    Order: a general meeting named in the title block ("årsstämma i X AB"),
    the page header the reader removed (``front_matter["page_header"]``,
    then the other ``running_lines``; cells of a header row, a date after the
    name dropped), a label line such as "Organ<TAB>Socialnämnden" (the
    ANSLAG/BEVIS block), the title block, then a standalone line in the front
    matter (before the first item), the running phrase of flattened text, the title sentence,
    a line in capitals read in the document's own mixed-case spelling
    ("TROSA KOMMUNFASTIGHETER AB"), file front matter keys; a council named in the front matter's running
    text only when nothing else names a body; the sidecar last. Item text and
    distribution lists ("Beslutet skickas till Kommunstyrelsen") never count.
    The name is kept as the header prints it ("Brottsförebyggande rådet"),
    without a document-type word ("Minnesanteckningar Folkhälsorådet" →
    "Folkhälsorådet"); matching variants is the archive's business.
    """
    fmd = doc.front_matter or {}
    header = [str(x) for x in (fmd.get("page_header") or []) if isinstance(x, str)]
    running = [str(x) for x in (fmd.get("running_lines") or []) if isinstance(x, str) and str(x) not in header]
    front = _front_lines(nonblank)
    # "Protokoll fört vid årsstämma i X AB": the meeting is the organisation's general meeting,
    # whatever its letterhead or page header names (the company itself).
    general = _general_meeting_body(front[:TITLE_LINES])
    # A body's own line in the title block ("Kommunstyrelsen") wins; the organisation's
    # own name there (its letterhead, "Trosa Kommunfastigheter AB") does not.
    if general and not any(
        _is_body_line(line) and not general.casefold().endswith(" " + _body_clean(line).casefold())
        for line in _header_candidates(front[:TITLE_LINES])
    ):
        return general, "text:rubrik"
    for lines, src in ((header, "page_header"), (running, "running_lines")):
        for line in _header_candidates(lines):
            if _is_body_line(line):
                return _body_clean(line), src
    labelled = _labelled_body(nonblank, header + running + front[:TITLE_LINES])
    if labelled:
        return labelled, "text:organ"
    for line in _header_candidates(front[:TITLE_LINES]):  # the title block ends where the items begin
        if _is_body_line(line):
            return _body_clean(line), "text:rubrik"
    # A header row whose cells were joined by the reader ("Utbildningsnämnden
    # Sammanträdesdatum 2024-02-08"): the body is a run of words inside it.
    for lines, src in ((header, "page_header"), (running, "running_lines")):
        for line in lines:
            found = _phrase_body(line)
            if found:
                return found, src
    for line in _header_candidates(front[TITLE_LINES:]):
        if len(line.split()) <= 5 and _is_body_line(line):
            return _body_clean(line), "text:försättsblad"
    flat_header = running_phrases(doc.text or "")
    first = nonblank[:1] if nonblank and len(nonblank[0]) > _BODY_LINE_MAX else []
    for phrase in flat_header + [" ".join(x.split()[:15]) for x in first]:
        found = _phrase_body(phrase)
        if found:
            return found, "text:sidhuvud"
    # The title sentence names it ("Protokoll fört vid sammanträde med Socialnämnden",
    # "Protokoll från Kommunstyrelsens sammanträde"): a run of words in the first lines,
    # a definite genitive read as the name.
    for line in nonblank[:TITLE_SENTENCE_LINES]:
        if len(line) > _BODY_LINE_MAX * 2 or line.rstrip().endswith("."):
            continue  # a sentence of prose mentions a body; a title line names it
        line = _IN_MUNICIPALITY.sub(" ,", line)  # "rådet i Lerums kommun": the name ends before "i"
        for phrase in (line, _GENITIVE.sub(r"\1", line)):
            found = _phrase_body(phrase, max_words=8)
            if found:
                return found, "text:rubrik"
    # A name set in capitals that reads as no body in sentence case ("TROSA KOMMUNFASTIGHETER AB"
    # → "Trosa kommunfastigheter ab"): the document's own mixed-case spelling of the same words.
    for lines, src in ((header, "page_header"), (running, "running_lines"), (front[:TITLE_LINES], "text:rubrik")):
        for line in _header_candidates(lines):
            own = _own_spelling(line, doc.text or "")
            if own and _is_body_line(own):
                return _body_clean(own), src
    fm = {k.lower(): v for k, v in fmd.items()}
    for key in ("body", "organ", "nämnd", "namnd"):
        value = fm.get(key)
        if isinstance(value, str) and (" " in value.strip() or _is_body_line(value)):
            return value.strip(), "front_matter"
    if kind not in ("citizen_promise",):
        _, mentions, _ = _body_res()
        counts: dict[str, int] = {}
        front_text = "\n".join(front)
        for pattern in mentions:
            for m in pattern.finditer(front_text):
                phrase = " ".join(m.group(0).split())
                counts[phrase] = counts.get(phrase, 0) + 1
        if counts:
            best = max(counts, key=lambda k: (counts[k], len(k)))
            return best, "text:omnämnande"
    if sidecar.get("body"):
        return str(sidecar["body"]), "sidecar"
    return None, None


def _is_chrome(line: str) -> bool:
    chrome = {c.lower() for c in _yaml("kinds.yaml").get("web_chrome", [])}
    return _clean_line(line).lower() in chrome


def _is_letterhead(line: str) -> bool:
    clean = " ".join(line.split())
    return clean.isupper() and bool(re.search(r"\b(?:KOMMUN|STAD|REGION)\b", clean))


def _find_title(doc: Document, nonblank: list[str]) -> tuple[str | None, str | None]:
    fm = {k.lower(): v for k, v in doc.front_matter.items()}
    for key in ("title", "titel", "namn", "rubrik"):
        if isinstance(fm.get(key), str) and fm[key].strip():
            return fm[key].strip(), "front_matter"
    if doc.headings:
        return " ".join(doc.headings[0].text.split()), f"heading:{doc.headings[0].source}"
    for line in nonblank[:TITLE_LINES]:
        clean = _clean_line(line)
        if not clean or _is_chrome(line) or _is_letterhead(line) or len(clean) > 150:
            continue
        return clean, "text:första raden"
    return None, None


def _prose_paragraphs(text: str) -> int:
    """Paragraphs of running prose: wrapped lines read together, not line by line.

    A narrow layout wraps every sentence over several short lines, so counting
    long lines sees no prose in a protocol (or an extract of one) set in a
    narrow column. A paragraph counts when its lines together hold at least
    two sentences' worth of words (24) and end a sentence, and it is not a
    list (no line starts with a number or a bullet).
    """
    n = 0
    for para in re.split(r"\n\s*\n", text):
        lines = [l.strip() for l in para.splitlines() if l.strip()]
        if len(lines) < 2 or any(re.match(r"(?:\d+[.)]|[-–•*])\s", l) for l in lines):
            continue
        words = sum(len(l.split()) for l in lines)
        if words >= 24 and lines[-1][-1:] in ".!?" and all("\t" not in l for l in lines):
            n += 1
    return n


#: A field separator of a letterhead or footer row: a middle dot, a bullet or a bar between spaces, or a tab.
_FIELD_SEPARATOR = re.compile(r"\s[·•|]\s|\t")


def _cell_row(line: str) -> bool:
    """True for a row of fields, not a sentence: "Askersunds kommun · Torget 1 · 696 81 Askersund · 0583-810 00".

    Three fields or more set apart by a middle dot, a bullet, a bar or a tab
    (an address footer, a letterhead) are no prose, however many words they hold.
    """
    return len(_FIELD_SEPARATOR.findall(line)) >= 2


def classify_kind(doc: Document, nonblank: list[str], signals: dict[str, Any]) -> tuple[str, str]:
    """Decide the document kind from cue words and the shape of the text.

    Args:
        doc: The document.
        nonblank: Its non-blank lines.
        signals: Shape signals: ``participants`` (count), ``secretary`` and
            ``chair`` (bool).

    Returns:
        ``(kind, provenance)`` where provenance lists the main signals.
    """
    cues = _yaml("kinds.yaml")
    title = "\n".join(_clean_line(l) for l in nonblank[:TITLE_LINES] if not _is_chrome(l))
    text = doc.text
    scores = {k: 0.0 for k in ("minutes", "agenda", "news", "citizen_promise")}
    why: dict[str, list[str]] = {k: [] for k in scores}

    def rx(p: str) -> re.Pattern[str]:
        return re.compile(r"(?<![\wåäöÅÄÖ])(?:" + p + r")(?![\wåäöÅÄÖ])", re.I)

    prose = max(
        sum(1 for l in nonblank if len(l.split()) >= 12 and not re.match(r"^\s*(?:\d+[.)]|-)\s", l)
            and not _cell_row(l)),
        _prose_paragraphs(text),
    )
    numbered = sum(1 for l in nonblank if re.match(r"^\s*(?:\d{1,2}[.)]|§\s*\d+)\s+\S", l))
    listed = numbered >= 3 and prose <= 2  # an agenda's shape: numbered items, little prose

    for kind in scores:
        spec = cues.get(kind, {})
        for p in spec.get("title", []) + (spec.get("title_with_items", []) if listed else []):
            if rx(p).search(title):
                scores[kind] += 3
                why[kind].append(f"rubrik:{p}")
                break
        hits = sum(len(rx(p).findall(text)) for p in spec.get("body", []))
        if hits:
            scores[kind] += min(spec.get("cap", 3), hits) * float(spec.get("body_weight", 0.5))
            why[kind].append(f"ord:{hits}")
        line_hits = 0
        for p in spec.get("lines", []):
            pat = re.compile(p, re.I)
            line_hits += sum(1 for l in nonblank if pat.fullmatch(_clean_line(l)))
        if line_hits:
            scores[kind] += min(2, line_hits) * float(spec.get("line_weight", 3.0))
            why[kind].append(f"rader:{line_hits}")

    if signals.get("participants", 0) >= 2:
        scores["minutes"] += 2
        why["minutes"].append("deltagare")
    if signals.get("secretary"):
        scores["minutes"] += 2
        why["minutes"].append("sekreterare")
    if signals.get("chair"):
        scores["minutes"] += 1
        why["minutes"].append("ordförande")
    scores["minutes"] += min(3.0, prose / 3)
    if prose:
        why["minutes"].append(f"prosa:{prose}")
    if numbered >= 3:
        scores["agenda"] += 2 if prose <= 2 else 0.5
        why["agenda"].append(f"punkter:{numbered}")
    if prose == 0:
        scores["agenda"] += 2
        why["agenda"].append("ingen prosa")
    elif prose <= 2:
        scores["agenda"] += 1
    # News: web-page lines are decisive only when the text is not a protocol.
    if scores["news"] < 3:
        scores["news"] = min(scores["news"], 1.5)
    kind = max(scores, key=lambda k: scores[k])
    if scores[kind] < 2:
        return "other", "text:inga tydliga signaler"
    return kind, "text:" + "; ".join(why[kind])


# --------------------------------------------------------------------------
# Place, time, people, next meeting
# --------------------------------------------------------------------------

_TIME_RANGE = re.compile(
    r"(?:,?\s*\b(?:kl(?:ockan)?\.?|klockan|tid)\s*)?(\d{1,2}[.:]\d{2})\s*(?:[-–—]|till)\s*(\d{1,2}[.:]\d{2})", re.I
)
_TIME_ONE = re.compile(r"(?:,?\s*\b(?:kl(?:ockan)?\.?|klockan)\s*)(\d{1,2}(?:[.:]\d{2})?)", re.I)


def _split_time(value: str) -> tuple[str, str | None]:
    m = _TIME_RANGE.search(value)
    if m:
        return (value[: m.start()] + " " + value[m.end():]).strip(" ,;"), f"{m.group(1)}-{m.group(2)}"
    m = _TIME_ONE.search(value)
    if m:
        return (value[: m.start()] + " " + value[m.end():]).strip(" ,;"), m.group(1)
    return value.strip(), None


def _find_place_time(lines: list[str]) -> tuple[str | None, str | None, str | None, str | None]:
    labels = _labels()
    place_re = _label_re(labels["place_labels"])
    exclude = tuple(e.lower() for e in labels["place_exclude"])
    date_re = _label_re(labels["date_labels"])
    place = time = place_src = time_src = None
    for i, line in enumerate(lines[:150]):
        if line.strip().lower().startswith(exclude):
            continue
        m = place_re.match(line)
        if m and place is None:
            value = m.group(2).strip()
            if not value:
                value = next((ln.strip() for ln in lines[i + 1: i + 3] if ln.strip()), "")
            value = re.sub(r"(?:19|20)\d{2}-\d{1,2}-\d{1,2}", "", value)
            value, t = _split_time(value)
            value = " ".join(value.split()).strip(" ,;")
            if value:
                place, place_src = value, f"text:{m.group(1)}"
            if t and time is None:
                time, time_src = t, f"text:{m.group(1)}"
            continue
        m = date_re.match(line)
        if m and time is None:
            _, t = _split_time(m.group(2))
            if t and not re.search(r"\d{1,2}:\d{2}:\d{2}", m.group(2)):
                time, time_src = t, f"text:{m.group(1)}"
    return place, place_src, time, time_src


def _find_next_meeting(lines: list[str]) -> str | None:
    label_re = _label_re(_labels()["next_meeting_labels"])
    for i, line in enumerate(lines):
        m = re.match(label_re.pattern, line, re.I)
        if not m:
            continue
        value = m.group(2).strip()
        if not value:
            value = next((ln.strip() for ln in lines[i + 1: i + 3] if ln.strip()), "")
        value = " ".join(value.split())
        if value and len(value) <= 160:
            return value
    return None


def _strip_party(name: str) -> str:
    return _party_re().sub("", name).strip(" ,")


def _find_officers(lines: list[str], participants: list[Participant]) -> dict[str, tuple[str, str]]:
    """Find chair and secretary with provenance."""
    labels = _labels()
    out: dict[str, tuple[str, str]] = {}
    name_line = re.compile(rf"^\s*({_NAME})(?:\s*\([A-ZÅÄÖ-]{{1,4}}\))?\s*,?\s*$")
    for field, key in (("chair", "chair_labels"), ("secretary", "secretary_labels")):
        lab = _alt(labels[key])
        inline = re.compile(rf"^\s*({lab})\s*[:\t ]\s*({_NAME})(?:\s*\([A-ZÅÄÖ-]{{1,4}}\))?\s*(?:$|\s{{2,}}|\t)")
        alone = re.compile(rf"^\s*({lab})\s*:?\s*$")
        # "Sekreterare<TAB>…………………… Paragrafer §§ 88–96" / "Maja Kvist": the label, the rule
        # to sign on, the name printed under it.
        signed = re.compile(rf"^\s*({lab})\s*:?\s*[.…_]{{3,}}")
        for line in lines:
            m = inline.match(line)
            if m:
                out[field] = (m.group(2), f"text:{m.group(1)}")
                break
        if field in out:
            continue
        for i, line in enumerate(lines):
            m = signed.match(line)
            if m:
                nm = name_line.match(next((ln for ln in lines[i + 1: i + 3] if ln.strip()), ""))
                if nm:
                    out[field] = (nm.group(1), f"text:{m.group(1)}")
                    break
                continue
            m = alone.match(line)
            if m:
                # "Vid tangenterna\nAnne Alamaa," or "Jonna Lindman\nOrdförande".
                nxt = next((ln for ln in lines[i + 1: i + 3] if ln.strip()), "")
                prev = lines[i - 1] if i > 0 else ""
                nm = name_line.match(nxt)
                if nm and not re.match(r"^\s*(?:" + lab + r")\b", nxt, re.I):
                    if m.group(1).lower() not in ("ordförande", "sekreterare") or not name_line.match(prev):
                        out[field] = (nm.group(1), f"text:{m.group(1)}")
                        break
                pm = name_line.match(prev)
                if pm:
                    out[field] = (pm.group(1), f"text:underskrift {m.group(1).lower()}")
                    break
        if field not in out and (found := _officer_in_columns(lines, alone, name_line)):
            out[field] = found
    if "secretary" not in out and (name := _named_before(lines, _ralt(labels["secretary_phrases"]))):
        out["secretary"] = (name, "text:skrivit anteckningar")
    if "chair" not in out:
        for p in participants:
            if p.role and re.match(r"^ordförande\b", p.role, re.I):
                out["chair"] = (p.name, "participants:ordförande")
                break
    if "chair" not in out and (name := _named_before(lines, _alt(labels["chair_phrases"]))):
        out["chair"] = (name, "text:öppnar mötet (svag)")
    return {field: (_cell_names(name), source) for field, (name, source) in out.items()}


#: A signature rule: dots, an ellipsis, underscores or dashes (cells apart by tabs or spaces).
_SIGNATURE_RULE = re.compile(r"[.…_\-–—\s]+")
#: Lines looked at below a label row for its names (past a signature rule), and above it.
_COLUMN_BELOW, _COLUMN_ABOVE = 4, 2


def _officer_in_columns(lines: list[str], label: re.Pattern[str],
                        name_line: re.Pattern[str]) -> tuple[str, str] | None:
    """The name in a label's column of a signature block set in cells.

    "Vid protokollet<TAB>Justeras" over a rule and "Camilla Örn<TAB>Anders
    Tysk" (the name below the label, in the same column), or "Britt-Marie
    Lundin<TAB>Stefan Haraldsson" over "Ordförande<TAB>Sekreterare" (the
    name above): the row of names holds as many cells as the row of labels,
    and the cell in the label's place is a name. The nearest non-blank row
    below (a signature rule of dots or underscores skipped) is read first,
    then the row above. The provenance ends in "(kolumn)": a notice is
    signed so as often as minutes are, so such a signature is no evidence of
    the kind (:func:`extract_metadata` leaves it out of the kind's signals).

    Returns:
        ``(name, provenance)`` or None.
    """
    for i, line in enumerate(lines):
        cells = [c.strip() for c in _CELLS.split(line.strip())]
        if len(cells) < 2:
            continue
        for j, cell in enumerate(cells):
            m = label.match(cell)
            if not m:
                continue
            for rows, how in ((range(i + 1, min(len(lines), i + 1 + _COLUMN_BELOW)), f"text:{m.group(1)} (kolumn)"),
                              (range(i - 1, max(-1, i - 1 - _COLUMN_ABOVE), -1),
                               f"text:underskrift {m.group(1).lower()} (kolumn)")):
                for k in rows:
                    row = lines[k].strip()
                    if not row or _SIGNATURE_RULE.fullmatch(row):
                        continue
                    other = [c.strip() for c in _CELLS.split(row)]
                    nm = name_line.match(other[j]) if len(other) == len(cells) else None
                    if nm:
                        return nm.group(1), how
                    break
    return None


def _cell_names(name: str) -> str:
    """Names signed side by side ("Jesper Johansson<TAB>Stefania Mammos") as a list, "A, B".

    A tab or three spaces or more (the cell border used throughout) is a border, not a space inside a name,
    when every cell holds a name of its own (two words at least).
    """
    cells = [c.strip() for c in _CELLS.split(name) if c.strip()]
    if len(cells) > 1 and all(len(c.split()) >= 2 for c in cells):
        return ", ".join(cells)
    return " ".join(name.split())


def _named_before(lines: list[str], phrases: str) -> str | None:
    """The first name in ``lines`` followed by one of ``phrases`` (an alternation), or None."""
    m = re.search(rf"({_NAME})\s+(?:{phrases})", "\n".join(lines))
    return m.group(1) if m else None


# --------------------------------------------------------------------------
# Sidecar
# --------------------------------------------------------------------------


def find_sidecar(path: Path) -> Path | None:
    """Return the sidecar metadata file of ``path`` if there is one.

    Looked for, in order: ``<file>.meta.json``, ``<file>.meta.yaml``,
    ``<file>.meta.yml`` and the same with the document's extension removed
    (``protokoll.pdf`` → ``protokoll.meta.json``).
    """
    path = Path(path)
    for base in (path.name, path.stem):
        for suffix in (".meta.json", ".meta.yaml", ".meta.yml"):
            candidate = path.with_name(base + suffix)
            if candidate.is_file():
                return candidate
    return None


def load_sidecar(path: Path) -> dict[str, Any]:
    """Load the sidecar of ``path`` (keys ``date``, ``body``, ``municipality``, ``kind``).

    Returns an empty dict when there is none or it cannot be parsed.
    """
    found = find_sidecar(path)
    if found is None:
        return {}
    try:
        raw = found.read_text(encoding="utf-8")
        data = json.loads(raw) if found.suffix == ".json" else yaml.safe_load(raw)
    except (OSError, ValueError, yaml.YAMLError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k).lower(): v for k, v in data.items()}


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------


def extract_metadata(doc: Document) -> MeetingMeta:
    """Extract meeting metadata from a document.

    Args:
        doc: A document from :func:`ingest.readers.read_document`.

    Returns:
        The metadata; ``provenance`` says where every field that is set came
        from (``text:<label>``, ``text:lång datumform``, ``front_matter``,
        ``page_header``, ``file_name``, ``sidecar``, …).
    """
    lines = [_unquote(line) for line in doc.text.split("\n")]  # a quoted e-mail's notes read as written
    nonblank = [l for l in lines if l.strip()]
    title_end = 0
    seen = 0
    offset = 0
    title_end_offset = len(doc.text)
    for idx, line in enumerate(lines):
        if line.strip():
            seen += 1
            if seen == TITLE_LINES:
                title_end = idx + 1
                title_end_offset = offset + len(line)
                break
        offset += len(line) + 1
    else:
        title_end = len(lines)
    sidecar = load_sidecar(Path(doc.source))
    meta = MeetingMeta()
    prov = meta.provenance

    meta.title, src = _find_title(doc, nonblank)
    if meta.title:
        prov["title"] = src

    meta.participants = parse_participants(lines)
    if meta.participants:
        prov["participants"] = "text:deltagarlista"
    officers = _find_officers(lines, meta.participants)
    if "chair" in officers:
        meta.chair, prov["chair"] = _strip_party(officers["chair"][0]), officers["chair"][1]
    if "secretary" in officers:
        meta.secretary, prov["secretary"] = _strip_party(officers["secretary"][0]), officers["secretary"][1]

    meta.place, place_src, meta.time, time_src = _find_place_time(lines)
    if meta.place:
        prov["place"] = place_src
    if meta.time:
        prov["time"] = time_src

    meta.next_meeting = _find_next_meeting(lines)
    if meta.next_meeting:
        prov["next_meeting"] = "text:Nästa möte"

    flattened = is_flattened_text(doc.text)
    date, src, year, year_src = _find_date(doc, lines, title_end, sidecar, flattened)
    if date:
        meta.date, prov["date"] = date, src
        meta.year = date.year
    elif year:
        meta.year = year
        prov["date"] = f"year_only:{year} ({year_src})"
        month = _find_month(doc.text, year)
        if month:
            meta.month = month
            prov["date"] = f"month_only:{year:04d}-{month:02d} (text:månad år)"

    front = _front_lines(nonblank)
    front_end_offset = doc.text.find(front[-1]) + len(front[-1]) if front else 0
    # The title block ends where the first item begins (a short note's items are not its header).
    first_item = next((m.start() for m in _FIRST_ITEM_LINE.finditer(doc.text)), len(doc.text))
    meta.municipality, src = _find_municipality(doc, min(title_end_offset, first_item), sidecar, front_end_offset)
    if meta.municipality:
        prov["municipality"] = src

    signals = {  # a signature set in columns signs a notice as often as minutes: no evidence of the kind
        "participants": len(meta.participants),
        "secretary": meta.secretary is not None and not prov.get("secretary", "").endswith("(kolumn)"),
        "chair": meta.chair is not None and not prov.get("chair", "").endswith(("(svag)", "(kolumn)")),
    }
    kind, src = classify_kind(doc, nonblank, signals)
    if kind == "other" and sidecar.get("kind") in ("minutes", "agenda", "news", "citizen_promise", "other"):
        kind, src = sidecar["kind"], "sidecar"
    meta.kind = kind
    prov["kind"] = src

    meta.body, src = _find_body(doc, nonblank, meta.kind, sidecar)
    if meta.body:
        prov["body"] = src
    return meta
