"""Typed records passed between the pipeline stages and read back from the archive.

The stages are: a reader turns a file into a :class:`Document`; metadata
extraction turns a document into a :class:`MeetingMeta`; segmentation splits
it into :class:`AgendaItem` objects; the index splits items into
:class:`Passage` objects; enrichment adds :class:`Entity`, :class:`TopicTag`
and :class:`FollowUp` objects to items. Every stage reads and writes only
these records, so each can be tested and replaced on its own.

What the archive (:class:`index.store.Archive`) gives back is typed too: a
:class:`Meeting` (a stored meeting with its document source), an
:class:`Item` (a stored agenda item with its meeting's fields, entities,
topics and sections), :class:`FollowUpRecord`, :class:`ThreadEntry`,
:class:`EntityMention` and the count rows. :class:`Filters` is the one
filter record every listing and search takes (see :mod:`radslag.filters`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from radslag.councils import KEY_SEP, NAME_SEP, council_key, is_key, split_key
from radslag.errors import FilterError

#: Document kinds, the one list of them. Only ``minutes`` are meetings in the
#: strict sense, but every kind is archived and searchable; an agenda must
#: never pass for minutes.
DOCUMENT_KINDS = ("minutes", "agenda", "news", "citizen_promise", "other")


def _json_value(value: Any) -> Any:
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return asdict(value)
    return value


class Record:
    """Base of the records that travel as JSON (CLI ``--json``, exports): :meth:`to_json`."""

    _JSON_SKIP: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The fields as plain JSON values (nested records as objects)."""
        return {f.name: _json_value(getattr(self, f.name)) for f in fields(self) if f.name not in self._JSON_SKIP}


@dataclass
class PageSpan:
    """Where one PDF page lies in the normalised document text."""

    number: int
    start: int
    end: int


@dataclass
class Heading:
    """A heading the reader saw in the layout (e.g. a PDF margin heading).

    Readers that know the layout (PDF, DOCX) report headings with their
    offsets so the segmenter need not guess them from flattened text.
    """

    text: str
    start: int
    end: int
    source: str = "layout"


@dataclass
class Document:
    """A file read into normalised text.

    Attributes:
        source: The path as given at ingest (as the user typed it, joined with
            the relative path inside a folder).
        text: Normalised text: NFC, ``\\n`` line ends, no soft hyphens, no
            running headers or page numbers, hyphenated line breaks joined.
        reader: Name of the reader (``pdf``, ``txt``, ``markdown``, ``docx``).
        content_hash: SHA-256 of the raw file bytes.
        size: Raw file size in bytes.
        pages: Page spans for paged formats, empty otherwise.
        headings: Headings the reader identified from layout.
        front_matter: Metadata given by the file itself (YAML front matter,
            DOCX core properties, a sidecar file).
        encoding: Detected text encoding for text formats.
        warnings: Human-readable notes about things the reader had to repair.
    """

    source: str
    text: str
    reader: str
    content_hash: str
    size: int = 0
    pages: list[PageSpan] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    front_matter: dict[str, Any] = field(default_factory=dict)
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)

    def pages_for(self, start: int, end: int) -> list[int]:
        """Return the page numbers that overlap ``[start, end)``."""
        return [p.number for p in self.pages if p.start < max(end, start + 1) and p.end > start]


@dataclass
class Participant:
    """A person listed as present, with role and party tag when given."""

    name: str
    role: str | None = None
    party: str | None = None
    group: str | None = None  # e.g. "Förtroendevalda", "Gäster", "Ledamöter"


@dataclass
class MeetingMeta:
    """Metadata of one meeting; ``provenance`` says where each field came from.

    ``provenance`` maps a field name to a short source label such as
    ``"text:Datum och tid"``, ``"text:long date"``, ``"front_matter"``,
    ``"page_header"``, ``"file_name"``, ``"sidecar"`` or ``"default"``.
    """

    kind: str = "other"
    body: str | None = None
    municipality: str | None = None
    date: dt.date | None = None
    year: int | None = None  # the date's year, or the only part of the date the text gives
    month: int | None = None  # the month when the text gives month and year but no day
    time: str | None = None
    place: str | None = None
    participants: list[Participant] = field(default_factory=list)
    chair: str | None = None
    secretary: str | None = None
    next_meeting: str | None = None
    title: str | None = None
    provenance: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        return data


@dataclass
class Section:
    """A named part inside an agenda item: Beslut, Beslutsunderlag, Yrkanden, ...

    Attributes:
        kind: Canonical key from ``ingest/data/sections.yaml`` (``beslut``,
            ``arendebeskrivning``, ``beslutsunderlag``, ``forslag_till_beslut``,
            ``yrkanden``, ``propositionsordning``, ``votering``,
            ``reservation``, ``protokollsanteckning``, ``expedieras``, ...).
        title: The heading as written ("Beslut", "Kommunstyrelsens beslut").
        start: Offset of the section heading in ``Document.text``.
        end: End offset of the section's text in ``Document.text``.
    """

    kind: str
    title: str
    start: int
    end: int


@dataclass
class AgendaEntry:
    """One line of a document's own agenda list (Ärendelista, Innehållsförteckning)."""

    number: str | None
    title: str
    dnr: str | None = None
    page: int | None = None


@dataclass
class AgendaItem:
    """One agenda item (ärende, punkt, §) of a meeting.

    Attributes:
        number: The item's own number as written ("3", "§ 12"), or None.
        title: The heading; for unstructured documents, the document title.
        text: The item's body text (heading excluded).
        start: Offset of the item (heading included) in ``Document.text``.
        end: End offset in ``Document.text``.
        pages: PDF pages the item spans; empty for unpaged formats.
        dnr: Diarienummer (case number) when the heading carries one; several
            are joined with ", ".
        sections: Named parts of the item (Beslut, Yrkanden, ...), in order.
        heading_source: How the heading was found (``numbered``, ``paragraph``,
            ``bold``, ``bullet``, ``margin``, ``heading_line``, ``preamble``, ``whole``).
    """

    number: str | None
    title: str
    text: str
    start: int
    end: int
    pages: list[int] = field(default_factory=list)
    dnr: str | None = None
    heading_source: str = "whole"
    sections: list[Section] = field(default_factory=list)


@dataclass
class Passage:
    """A window of an agenda item sized for the embedding model.

    ``id`` is set once the passage is stored; it is also its vector id.
    """

    item_id: int
    ordinal: int
    text: str
    start: int  # offsets into Document.text
    end: int
    id: int | None = None


@dataclass
class Entity:
    """A named entity mention in an agenda item (offsets into the item text)."""

    text: str
    label: str
    start: int
    end: int
    canonical: str | None = None


@dataclass
class TopicTag:
    """A topic assigned to an agenda item, with its confidence score."""

    id: str
    label: str
    score: float
    method: str = "lexicon"


@dataclass
class FollowUp(Record):
    """A commitment found in an agenda item's text ("Vi tar med oss frågan").

    Attributes:
        who: The actor ("Kommunchefen Carin Becker", "Polisen", "vi",
            "förvaltningen"), or None when the sentence is passive.
        what: The commitment clause.
        due: The deadline phrase when stated ("till nästa möte", "i oktober").
        sentence: The whole sentence, whitespace collapsed.
        start: Offset of the sentence in the text it was found in.
        end: End offset of the sentence.
        cue: Id of the cue pattern that matched.
        context: The preceding sentence in the same paragraph (often names
            what "frågan" or "detta" refers to).
    """

    who: str | None
    what: str
    due: str | None
    sentence: str
    start: int
    end: int
    cue: str = ""
    context: str = ""


# -- records read back from the archive ----------------------------------------------


@dataclass
class Meeting(Record):
    """A stored meeting (one per document) with its document source.

    Attributes:
        date: ISO day (``2021-09-15``) when the text gives a full date.
        year: The date's year, or the only part of the date the text gives.
        month: The date's month when the text gives month and year but no day.
        provenance: Where each field came from (see :class:`MeetingMeta`).
        item_count: Number of agenda items.
        warnings: The reader's repair notes for the document.
    """

    id: int
    document_id: int
    source: str
    reader: str
    kind: str
    body: str | None = None
    municipality: str | None = None
    date: str | None = None
    year: int | None = None
    month: int | None = None
    time: str | None = None
    place: str | None = None
    chair: str | None = None
    secretary: str | None = None
    next_meeting: str | None = None
    title: str | None = None
    participants: list[Participant] = field(default_factory=list)
    provenance: dict[str, str] = field(default_factory=dict)
    item_count: int = 0
    warnings: list[str] = field(default_factory=list)

    _JSON_SKIP = ("warnings",)  # the reader's notes stay out of listings and exports

    @property
    def date_precision(self) -> str | None:
        """``day`` with a full date, ``month`` or ``year`` when only those are known, else None."""
        if self.date:
            return "day"
        return ("month" if self.month else "year") if self.year else None

    @property
    def council(self) -> str:
        """``"<municipality> <body>"``, the name a council goes by."""
        return " ".join(x for x in (self.municipality, self.body) if x)



@dataclass(kw_only=True)
class Item(AgendaItem, Record):
    """A stored agenda item: the :class:`AgendaItem` with its ids, its meeting's fields and its enrichment.

    Attributes:
        ordinal: Position in the meeting (0-based).
        source, date, year, month, body, municipality, kind: The meeting's.
        entities: Entities by offset.
        topics: Topics, highest score first.
    """

    id: int
    meeting_id: int
    document_id: int
    ordinal: int
    source: str = ""
    date: str | None = None
    year: int | None = None
    month: int | None = None
    body: str | None = None
    municipality: str | None = None
    kind: str = "other"
    entities: list[Entity] = field(default_factory=list)
    topics: list[TopicTag] = field(default_factory=list)


@dataclass(kw_only=True)
class FollowUpRecord(FollowUp):
    """A stored follow-up: the :class:`FollowUp` with its status and where it was made.

    ``status`` is ``öppen`` or ``besvarad``; the answering item, why and how
    strongly are set when answered. As listed by :func:`index.followups.followups`,
    ``council``/``council_key`` name the council it was made in, ``who`` is
    the council when the minutes say "vi" (``who_written`` keeps what was
    written), and ``duplicates`` holds the ids of near-identical follow-ups
    of the same meeting merged into this one.
    """

    id: int
    item_id: int
    meeting_id: int
    ordinal: int
    status: str
    answered_by_item_id: int | None = None
    answered_reason: str | None = None
    answered_score: float | None = None
    answered_date: str | None = None
    date: str | None = None
    body: str | None = None
    municipality: str | None = None
    source: str = ""
    item_title: str = ""
    item_number: str | None = None
    item_ordinal: int = 0
    council: str = ""
    council_key: str = ""
    who_written: str | None = None
    duplicates: list[int] = field(default_factory=list)


@dataclass
class ThreadLink:
    """A link from an earlier item to a later one about the same issue."""

    src_item_id: int
    dst_item_id: int
    score: float
    similarity: float
    reasons: list[str] = field(default_factory=list)


@dataclass
class ThreadEntry(Record):
    """One item of an issue thread; the link that joined it (None for the first)."""

    item_id: int
    thread_id: int
    position: int
    meeting_id: int
    number: str | None
    title: str
    date: str | None
    body: str | None
    municipality: str | None
    source: str
    predecessor: int | None = None
    score: float | None = None
    similarity: float | None = None
    reasons: list[str] = field(default_factory=list)


@dataclass
class EntityMention:
    """A stored entity with its id, item and meeting (for canonical names)."""

    id: int
    item_id: int
    meeting_id: int
    text: str
    label: str
    start: int
    end: int
    canonical: str | None
    municipality: str | None
    body: str | None
    date: str | None
    year: int | None


@dataclass
class EntityCount(Record):
    """Mentions of one canonical entity, optionally per body or year."""

    entity: str
    label: str
    mentions: int
    items: int
    meetings: int
    body: str | None = None
    year: str | None = None


@dataclass
class ItemRef(Record):
    """An agenda item without its text: what timelines, threads and histories list.

    Attributes:
        id, meeting_id, ordinal, number, title, dnr: The item's.
        date, year, month, body, municipality, kind, source: Its meeting's.
    """

    id: int
    meeting_id: int
    ordinal: int
    number: str | None
    title: str
    dnr: str | None
    date: str | None
    year: int | None
    month: int | None
    body: str | None
    municipality: str | None
    kind: str
    source: str


@dataclass
class Council(Record):
    """A council: one body of one municipality (see :mod:`radslag.councils`).

    Attributes:
        key: ``"<municipality>/<normalised body>"``, e.g. ``"hallstahammar/trygghetsråd"``;
            what :attr:`Filters.council` holds.
        name: ``"Hallstahammar – Trygghetsrådet"``, for lists and pickers.
        municipality: The municipality as written in the archive (None when unknown).
        body: The body as shown (its most frequent written form).
        forms: Every way the archive writes the body name.
        meetings: Documents of the council in the archive (all kinds).
        minutes: Of which minutes.
        first, last: The earliest and latest meeting, as precisely as known
            (:func:`radslag.periods.when`: ``2021-09-15``, ``2021-09`` or ``2021``).
        undated: Documents without any known date.
    """

    key: str
    name: str
    municipality: str | None
    body: str | None
    forms: list[str] = field(default_factory=list)
    meetings: int = 0
    minutes: int = 0
    first: str | None = None
    last: str | None = None
    undated: int = 0


@dataclass
class TopicCount(Record):
    """Items and meetings tagged with one topic, optionally per body or period."""

    topic_id: str
    label: str
    items: int
    meetings: int
    body: str | None = None
    period: str | None = None


# -- filters -------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")


def name_words(text: str | None) -> list[str]:
    """Case-folded words of a name (Swedish letters folded by ``str.casefold``)."""
    return _WORD.findall((text or "").casefold())


def _iso_day(value: str, what: str) -> str:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or len(value) != 10:
        raise FilterError(
            f"{what} {value!r} är inget giltigt datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2021-09-15. "
            f"({what}: not a valid date, expected YYYY-MM-DD.)"
        )
    return day.isoformat()


def _council_value(value: str) -> str:
    """A council key from a key or a display name; anything else is an error naming it."""
    text = " ".join(value.split())
    if NAME_SEP in text:
        municipality, _, body = text.partition(NAME_SEP)
        return council_key(municipality or None, body or None)
    if is_key(text) and name_words(text):
        mun, body = split_key(text.casefold())
        return f"{mun.strip()}{KEY_SEP}{body.strip()}"
    raise FilterError(
        f"Rådet {value!r} är inte angivet som kommun/organ (t.ex. 'hallstahammar/trygghetsråd' eller "
        f"'Hallstahammar – Trygghetsrådet'). (Council not given as municipality/body.)"
    )


@dataclass(frozen=True)
class Filters:
    """Which meetings and items a listing or search covers; one meaning per field.

    Build from user input with :func:`radslag.filters.parse_filters`, which
    also resolves topic labels. Values are checked here, so a record can
    never hold a malformed date, an unknown kind or a name without words.

    Attributes:
        municipality: Each word must begin a word of the meeting's
            municipality (case-insensitive, Swedish letters folded; a
            genitive "-s" on the filter word may be dropped).
        body: The same rule against the council's name
            ``"<municipality> <body>"``: "trygghetsråd" matches
            "Trygghetsråd" and "Trygghetsrådet", "Hallstahammars
            trygghetsråd" matches body "Trygghetsråd" in Hallstahammar.
        kind: One of :data:`DOCUMENT_KINDS`.
        topic: Items carrying this topic (id, or label case-insensitively).
        entity: Items naming this entity (canonical name or text as
            written, case-insensitively).
        since, until: ISO days, inclusive. A meeting known only by its
            year (or month) passes when that year (month) overlaps the range;
            undated meetings never pass a date filter.
        council: One council by its key (``"hallstahammar/trygghetsråd"``,
            see :mod:`radslag.councils`); a display name
            ``"Hallstahammar – Trygghetsrådet"`` is turned into its key.
            Resolve free text with :func:`radslag.filters.parse_filters`.
    """

    municipality: str | None = None
    body: str | None = None
    kind: str | None = None
    topic: str | None = None
    entity: str | None = None
    since: str | None = None
    until: str | None = None
    council: str | None = None

    def __post_init__(self) -> None:
        if self.council is not None:
            object.__setattr__(self, "council", _council_value(self.council))
        for name in ("municipality", "body", "topic", "entity"):
            value = getattr(self, name)
            if value is not None and not name_words(value):
                raise FilterError(
                    f"Filtret --{name} {value!r} innehåller inget ord att söka på. "
                    f"(The --{name} filter holds no word to match.)"
                )
        if self.kind is not None and self.kind not in DOCUMENT_KINDS:
            raise FilterError(
                f"Okänd dokumenttyp {self.kind!r}; välj {', '.join(DOCUMENT_KINDS)}. (Unknown document kind.)"
            )
        since = _iso_day(self.since, "--since") if self.since is not None else None
        until = _iso_day(self.until, "--until") if self.until is not None else None
        if since and until and since > until:
            raise FilterError(f"--since {since} ligger efter --until {until}. (since is after until.)")

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) is not None for f in fields(self))

    def with_(self, **changes: Any) -> "Filters":
        """A copy with ``changes`` applied (``None`` clears a field)."""
        return replace(self, **changes)

    @property
    def meeting_part(self) -> "Filters":
        """Only the fields that concern meetings (no topic, no entity)."""
        return replace(self, topic=None, entity=None)


# -- saved searches (index.watch) -------------------------------------------------------


@dataclass
class Watch(Record):
    """A saved search: a query or a topic, with filters and a search mode.

    Attributes:
        id: Never reused (the feed ``/feeds/<id>.atom`` keeps meaning one search).
        uid: UUID; the Atom feed's id is ``urn:uuid:<uid>``.
        name: What the user called it (the query or topic when not named).
        query: Free text, or None for a topic watch (``filters.topic`` set).
        mode: Search mode (``hybrid``, ``dense``, ``keyword``).
        email: Recipients of this watch's digest (comma-separated), or None
            for the configured ``smtp_to``.
        created_at, checked_at: UTC ISO times of saving and of the last check.
        last_item_id: Items with a higher id had not been checked yet.
        alert_count: Alerts recorded so far.
    """

    id: int
    uid: str
    name: str
    query: str | None
    filters: Filters
    mode: str
    created_at: str
    email: str | None = None
    checked_at: str | None = None
    last_item_id: int = 0
    alert_count: int = 0

    def to_json(self) -> dict[str, Any]:
        out = super().to_json()
        out["filters"] = {k: v for k, v in asdict(self.filters).items() if v is not None}
        return out


@dataclass
class WatchAlert(Record):
    """An item that matched a saved search when it was new, as it was then.

    The item's fields are copied so the alert (and its feed entry) outlives
    a later replacement of the document; ``item_id`` is then None.

    Attributes:
        reason: Why it matched: ``terms`` (every query term), ``dense``
            (cosine >= the threshold), ``cutoff`` (passed the search's
            relevance cutoff) or ``topic`` (tagged with the topic).
        score: The score behind the reason (cosine, topic score or search score).
        key: Identity of the item across re-ingests (source, number, title, date).
    """

    id: int
    uid: str
    watch_id: int
    item_id: int | None
    meeting_id: int | None
    key: str
    source: str
    date: str | None
    body: str | None
    municipality: str | None
    number: str | None
    title: str
    snippet: str
    reason: str
    score: float | None
    created_at: str
    emailed_at: str | None = None


@dataclass
class DocumentStages(Record):
    """One document's progress through the ingest stages (:mod:`index.store.stages`).

    Attributes:
        document_id, source: The document.
        stages: ``{stage: state}`` in pipeline order (read, store, passages,
            vectors, enrichment, links); state ``pending``, ``done`` or ``failed``.
        details: ``{stage: why}`` for stages with a recorded reason.
        updated: When a stage last changed (ISO time, UTC).
    """

    document_id: int
    source: str
    stages: dict[str, str] = field(default_factory=dict)
    details: dict[str, str] = field(default_factory=dict)
    updated: str | None = None

    @property
    def unfinished(self) -> list[str]:
        """Stages not done, in pipeline order."""
        return [s for s, state in self.stages.items() if state != "done"]
