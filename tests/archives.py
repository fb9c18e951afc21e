"""Small documents the tests write into a real archive, shared by several test files."""

from __future__ import annotations

import datetime as dt

from index.followups import update_status
from ingest.pipeline import detect_meeting_followups
from radslag.types import AgendaItem, Document, MeetingMeta


def write_vasteras(arc, text: str, kind: str, date: dt.date, number: str | None, title: str) -> None:
    """Add Västerås trygghetsråd's one-item document ``text``, then detect and assess follow-ups."""
    arc.write_document(Document("vasteras.txt", text, "txt", "v"),
                       MeetingMeta(kind=kind, body="Trygghetsråd", municipality="Västerås", date=date),
                       [AgendaItem(number, title, text, 0, len(text))])
    detect_meeting_followups(arc)
    update_status(arc)


def write_arboga_year_only(arc, text: str, digest: str, title: str, item_text: str) -> None:
    """Add an Arboga förebyggande råd meeting dated only by its year (2021), as the text said."""
    arc.write_document(Document("arboga.txt", text, "txt", digest),
                       MeetingMeta(kind="minutes", body="Förebyggande rådet", municipality="Arboga", year=2021,
                                   provenance={"date": "year_only:2021 (text:ort den år)"}),
                       [AgendaItem("1", title, item_text, 0, 1)])
