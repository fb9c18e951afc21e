"""Typed records passed between the pipeline stages.

The stages are: a reader turns a file into a :class:`Document`; metadata
extraction turns a document into a :class:`MeetingMeta`; segmentation splits
it into :class:`AgendaItem` objects; the index splits items into
:class:`Passage` objects; enrichment adds :class:`Entity` and
:class:`TopicTag` objects to items. Every stage reads and writes only these
records, so each can be tested and replaced on its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

#: Document kinds. Only ``minutes`` are meetings in the strict sense, but every
#: kind is archived and searchable; an agenda must never pass for minutes.
DOCUMENT_KINDS = ("minutes", "agenda", "news", "citizen_promise", "other")


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
    """A window of an agenda item sized for the embedding model."""

    item_id: int
    ordinal: int
    text: str
    start: int  # offsets into Document.text
    end: int


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
