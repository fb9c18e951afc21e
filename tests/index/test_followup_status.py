"""Follow-up status reassessed per thread scope: a municipality nothing changed in keeps its statuses."""

from __future__ import annotations

from index.followups import update_status
from index.store import Archive
from index.threads import thread_scope
from ingest.pipeline import ingest_paths

MEETINGS = {
    "arboga-1.txt": ("Arboga kommun\nTrygghetsrådet\nProtokoll 2023-02-01\n\n"
                     "1. Klotter\n\nSocialtjänsten återkommer med en redovisning av klottret till nästa möte.\n\n"
                     "2. Övrigt\n\nInget.\n"),
    "arboga-2.txt": ("Arboga kommun\nTrygghetsrådet\nProtokoll 2023-05-03\n\n"
                     "1. Klotter\n\nSocialtjänsten redovisade klottret vid stationen.\n\n2. Övrigt\n\nInget.\n"),
    "koping-1.txt": ("Köpings kommun\nBrottsförebyggande rådet\nProtokoll 2023-03-08\n\n"
                     "1. Belysning\n\nTekniska kontoret ska undersöka belysningen i parken och återkoppla.\n\n"
                     "2. Övrigt\n\nInget.\n"),
}


def _scopes_of_followups(arc: Archive) -> dict[int, str]:
    councils = arc.meeting_councils()
    return {f.item_id: thread_scope(*councils[arc.item(f.item_id).meeting_id]) for f in arc.followups()}


def test_update_status_assesses_only_the_given_scopes(tmp_settings, tmp_path):
    folder = tmp_path / "minutes"
    folder.mkdir()
    for name, text in MEETINGS.items():
        (folder / name).write_text(text, encoding="utf-8")
    ingest_paths([str(folder)], tmp_settings)
    with Archive(tmp_settings.db_path) as arc:
        scope_of = _scopes_of_followups(arc)
        scopes = set(scope_of.values())
        assert len(scopes) == 2, scope_of  # one follow-up scope per municipality
        before = sorted((f.item_id, f.status, f.answered_by_item_id) for f in arc.followups())
        total = update_status(arc, tmp_settings)
        assert total == len(scope_of)
        for scope in scopes:
            mine = sum(1 for s in scope_of.values() if s == scope)
            assert update_status(arc, tmp_settings, scopes={scope}) == mine < total
        assert update_status(arc, tmp_settings, scopes=set()) == 0  # nothing changed, nothing open
        # the scoped runs store the same statuses as the full one
        assert sorted((f.item_id, f.status, f.answered_by_item_id) for f in arc.followups()) == before
