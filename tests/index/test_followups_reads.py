"""Follow-up assessment reads only the councils it judges (Archive.council_items), not the whole archive."""

from __future__ import annotations

import pytest

from index.followups import assess
from index.store import STATUS_ANSWERED, Archive
from ingest.pipeline import ingest_paths

MEETINGS = {
    "arboga-1.txt": ("Arboga kommun\nTrygghetsrådet\nProtokoll 2023-02-01\n\n"
                     "1. Klotter\n\nSocialtjänsten återkommer med en redovisning av klottret till nästa möte.\n\n"
                     "2. Övrigt\n\nInget.\n"),
    # the same council written without the definite form
    "arboga-2.txt": ("Arboga kommun\nTrygghetsråd\nProtokoll 2023-05-03\n\n"
                     "1. Klotter\n\nSocialtjänsten redovisade klottret vid stationen.\n\n2. Övrigt\n\nInget.\n"),
    "koping-1.txt": ("Köpings kommun\nBrottsförebyggande rådet\nProtokoll 2023-03-08\n\n"
                     "1. Belysning\n\nTekniska kontoret ska undersöka belysningen i parken och återkoppla.\n\n"
                     "2. Övrigt\n\nInget.\n"),
    "koping-2.txt": ("Köpings kommun\nBrottsförebyggande rådet\nProtokoll 2023-06-08\n\n"
                     "1. Belysning\n\nTekniska kontoret har undersökt belysningen i parken.\n\n"
                     "2. Övrigt\n\nInget.\n"),
}


class ReadCountingArchive(Archive):
    """The real archive, remembering the ids of every item its item reads returned."""

    def __init__(self, path):
        super().__init__(path)
        self.read: list[int] = []

    def items(self, *args, **kwargs):
        rows = super().items(*args, **kwargs)
        self.read += [r.id for r in rows]
        return rows

    def council_items(self, meeting_ids):
        rows = super().council_items(meeting_ids)
        self.read += [r.id for r in rows]
        return rows


@pytest.fixture
def archive_path(tmp_settings, tmp_path):
    folder = tmp_path / "minutes"
    folder.mkdir()
    for name, text in MEETINGS.items():
        (folder / name).write_text(text, encoding="utf-8")
    report = ingest_paths([str(folder)], tmp_settings)
    assert not report.failed
    return tmp_settings.db_path


def _meetings(arc: Archive) -> dict[str, int]:
    return {m.source.rsplit("/", 1)[-1]: m.id for m in arc.meetings()}


def test_council_items_are_the_items_of_the_meetings_councils(archive_path):
    with Archive(archive_path) as arc:
        ids = _meetings(arc)
        arboga = arc.council_items([ids["arboga-1.txt"]])
        # both Arboga meetings (body written two ways), in reading order, and nothing of Köping
        assert [(i.meeting_id, i.ordinal) for i in arboga] == [
            (ids["arboga-1.txt"], 0), (ids["arboga-1.txt"], 1), (ids["arboga-2.txt"], 0), (ids["arboga-2.txt"], 1)]
        assert [i.text for i in arboga] == [i.text for i in arc.items(filters=None) if i.municipality == "Arboga"]
        assert {i.municipality for i in arc.council_items(ids.values())} == {"Arboga", "Köping"}
        assert arc.council_items([]) == []


def test_assess_reads_only_the_assessed_councils_items(archive_path):
    with ReadCountingArchive(archive_path) as arc:
        ids = _meetings(arc)
        koping = {i.id for m in ("koping-1.txt", "koping-2.txt") for i in arc.items(meeting_id=ids[m])}
        arc.read.clear()
        rows = assess(arc, meeting_ids=[ids["arboga-1.txt"]])
        assert rows and {r.meeting_id for r in rows} == {ids["arboga-1.txt"]}
        # answered by the later meeting of the same council, written "Trygghetsråd"
        answered = [r for r in rows if r.status == STATUS_ANSWERED]
        assert answered and {arc.item(r.answered_by_item_id).meeting_id for r in answered} == {ids["arboga-2.txt"]}
        assert arc.read and not koping & set(arc.read), "assess read items of a council it did not assess"
