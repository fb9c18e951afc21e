"""The recurrence views read the archive in a fixed number of statements, however many meetings a council has.

Counted with SQLite's trace callback on the real archive: a history, a brief
and a published site of a council with 2 meetings run exactly as many
statements as those of the same council with 7 meetings (no query per
meeting, item or passage).
"""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest

from index.brief import brief
from index.councils import council as find_council
from index.followups import update_status
from index.history import issue_history
from index.store import Archive
from ingest.pipeline import detect_meeting_followups
from publish.collect import collect
from radslag.types import AgendaItem, Document, Filters, MeetingMeta, Participant, Passage, Section, TopicTag

KLOTTER = TopicTag("klotter-skadegorelse", "Klotter och skadegörelse", 0.9)
COUNCIL = "köping/trygghetsråd"


def _write(a: Archive, source: str, municipality: str, date: dt.date, k: int) -> None:
    parts = [("Klotter vid stationen", f"Klotter vid stationen har ökat under månad {k}. Socialtjänsten återkommer "
                                       "med en lägesbild om klottret till nästa möte.\n\nBeslut\n\nRådet noterar "
                                       "informationen."),
             ("Övrigt", "Inga övriga frågor.")]
    text, items, pos = "", [], 0
    for n, (title, body) in enumerate(parts, 1):
        block = f"{n}. {title}\n\n{body}\n\n"
        head = f"{n}. {title}\n\n"
        at = body.find("Beslut\n")  # the Beslut section, cut from the document text when published
        sections = [Section("beslut", "Beslut", pos + len(head) + at, pos + len(head) + len(body))] if at >= 0 else []
        items.append(AgendaItem(str(n), title, body, pos, pos + len(block), sections=sections))
        text += block
        pos += len(block)
    mid, _, _ = a.write_document(
        Document(source, text, "txt", source),
        MeetingMeta(kind="minutes", body="Trygghetsråd", municipality=municipality, date=date, chair="Anna Berg",
                    participants=[Participant(name="Per Lund", role="polis")]),
        items)
    first, *_ = a.item_ids(mid)
    a.write_enrichment(first, [], [KLOTTER])
    a.write_passages([Passage(item_id=first, ordinal=0, text=items[0].text, start=items[0].start, end=items[0].end)])


def _archive(path, meetings: int) -> Archive:
    a = Archive(path)
    for k in range(meetings):
        _write(a, f"koping-{k}.txt", "Köping", dt.date(2021, 1, 15) + dt.timedelta(days=30 * k), k)
    _write(a, "arboga-0.txt", "Arboga", dt.date(2021, 6, 1), 0)  # another council
    detect_meeting_followups(a)
    update_status(a)
    return a


@pytest.fixture(scope="module")
def archives(tmp_path_factory):
    root = tmp_path_factory.mktemp("reads")
    small, large = _archive(root / "small.sqlite", 2), _archive(root / "large.sqlite", 7)
    assert len(large.meetings(Filters(council=COUNCIL))) == 7
    yield small, large
    small.close()
    large.close()


@contextlib.contextmanager
def statements(a: Archive):
    seen: list[str] = []
    a._conn.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        a._conn.set_trace_callback(None)


def _count(archives, run) -> tuple[int, int]:
    counts = []
    for a in archives:
        run(a)  # warm: the first call may read settings once
        with statements(a) as seen:
            result = run(a)
        assert result
        counts.append(len(seen))
    return counts[0], counts[1]


def test_topic_history_reads_do_not_grow_with_items(archives):
    def run(a):
        h = issue_history(a, None, topic="klotter-skadegorelse", filters=Filters(council=COUNCIL))
        assert {e.snippet for e in h.entries} and all(e.snippet for e in h.entries)  # snippets from passages
        return h.entries

    small, large = _count(archives, run)
    assert small == large, (small, large)


def test_brief_reads_do_not_grow_with_meetings(archives):
    def run(a):
        b = brief(a, COUNCIL)
        assert b["sections"]["recurring"]["topics"][0]["label"] == KLOTTER.label
        return b["sections"]["meetings"]["count"]

    small, large = _count(archives, run)
    assert small == large, (small, large)


def test_published_site_reads_do_not_grow_with_meetings(archives):
    def run(a):
        site = collect(a, None, find_council(a, COUNCIL))
        assert site.issues and all(mv.items[0].decision.text == "Rådet noterar informationen." for mv in site.meetings)
        return site.meetings

    small, large = _count(archives, run)
    assert small == large, (small, large)
