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


def test_indexed_assessment_equals_scanning_every_later_item(tmp_path):
    """assess scores only the later items its term index offers; the plain scan of all must agree."""
    import sys
    from collections import Counter
    from pathlib import Path

    from index.followups import assess
    from index.threads import build_threads
    from ingest.pipeline import detect_meeting_followups

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
    import make_scale

    with Archive(tmp_path / "a.sqlite") as arc:
        make_scale.generate(arc, 2500, seed=4, batch=500, bulk=True)
        detect_meeting_followups(arc)
        build_threads(arc, method="tfidf")
        reasons: Counter = Counter()
        for threshold in (0.2, 0.45, 0.9):  # low: many lexical answers; high: thread links answer too
            fast = assess(arc, lexical_threshold=threshold)
            slow = assess(arc, lexical_threshold=threshold, exhaustive=True)
            assert fast == slow
            reasons.update((r.answered_reason or "öppen").split()[0] for r in fast)
        assert reasons["ordlikhet"] >= 20 and reasons["trådlänk"] >= 1 and reasons["öppen"] >= 100, reasons


def test_a_thread_successor_sharing_one_term_is_still_scored(tmp_path):
    """The term index offers items sharing two terms; a thread successor sharing one can answer too."""
    import datetime as dt

    from index.followups import assess
    from ingest.pipeline import detect_meeting_followups
    from radslag.types import AgendaItem, Document, MeetingMeta, ThreadLink

    with Archive(tmp_path / "a.sqlite") as arc:
        def meeting(source, date, items):
            text = "\n".join(f"{t}\n{x}" for t, x in items)
            mid, _, _ = arc.write_document(
                Document(source, text, "txt", source),
                MeetingMeta(kind="minutes", body="Trygghetsrådet", municipality="Arboga",
                            date=dt.date.fromisoformat(date)),
                [AgendaItem(str(n), t, x, 0, 1) for n, (t, x) in enumerate(items, 1)])
            return arc.item_ids(mid)

        made = meeting("a.txt", "2023-02-01",
                       [("Klotter", "Socialtjänsten återkommer med en redovisning av klottret till nästa möte.")])
        later = meeting("b.txt", "2023-05-01", [("Stationen", "Klottret är borttaget."),
                                               ("Budget", "Prognos för helåret.")])
        detect_meeting_followups(arc)
        arc.replace_threads([ThreadLink(made[0], later[0], 0.9, 0.9, ["likhet 0.90"])], [[made[0], later[0]]],
                            "tfidf")
        fast, slow = assess(arc), assess(arc, exhaustive=True)
        assert fast == slow
        assert [(r.answered_by_item_id, r.answered_reason) for r in fast] == [(later[0], "trådlänk + ordlikhet 0.32")]
