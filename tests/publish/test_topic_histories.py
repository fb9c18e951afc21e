"""``radslag publish`` reads every topic's history in one pass (index.history.topic_histories), and what it
reads is what issue_history gives topic by topic."""

from __future__ import annotations

import datetime as dt

import pytest

from index.followups import update_status
from index.history import ORDERS, issue_history, topic_histories
from index.store import Archive
from index.threads import build_threads
from ingest.pipeline import detect_meeting_followups
from radslag.taxonomy import load_taxonomy
from radslag.types import AgendaItem, Document, Filters, MeetingMeta, TopicTag
from tests.publish.conftest import COUNCIL

LABELS = {tp.id: tp.label_sv for tp in load_taxonomy()}
MU, KL, TV = "motorburen-ungdom", "klotter-skadegorelse", "trygghetsvandring"


def _tag(tid: str, score: float = 0.8) -> TopicTag:
    return TopicTag(tid, LABELS[tid], score)


def _meeting(a: Archive, source: str, municipality: str, body: str, items, date=None, year=None) -> None:
    """items: (title, text, dnr, topic ids) per agenda item."""
    text = "\n".join(f"{t}\n{x}" for t, x, _, _ in items)
    mid, _, _ = a.write_document(
        Document(source, text, "txt", source),
        MeetingMeta(kind="minutes", body=body, municipality=municipality, year=year,
                    date=dt.date.fromisoformat(date) if date else None),
        [AgendaItem(str(n), t, x, 0, 1, dnr=d) for n, (t, x, d, _) in enumerate(items, 1)])
    for item_id, (_, _, _, topics) in zip(a.item_ids(mid), items):
        a.write_enrichment(item_id, [], [_tag(tid, 0.9 - 0.1 * n) for n, tid in enumerate(topics)])


@pytest.fixture()
def archive(tmp_path):
    """Three councils; items with one, two or no topics; follow-ups, answers and links across councils."""
    a = Archive(tmp_path / "a.sqlite")
    _meeting(a, "k2019.txt", "Köping", "Trygghetsrådet", [
        ("Mopeder", "Buskörning med epatraktorer vid torget. Vi återkommer med förslag om fartgupp vid torget.",
         None, [MU]),
        ("Klotter vid skolan", "Klotter och skadegörelse vid skolan och buskörning på skolgården.", "KS 2019/7",
         [KL, MU]),
        ("Övrigt", "Inga övriga frågor.", None, []),
    ], year=2019)
    _meeting(a, "k2021.txt", "Köping", "Trygghetsråd", [
        ("Fartgupp", "Fartgupp vid torget är beställda mot buskörning med epatraktorer.", "KS 2021/12", [MU]),
        ("Trygghetsvandring", "Trygghetsvandring i centrum; klotter noterades vid stationen. "
         "Kommunen ska återkomma med en plan för belysning.", None, [TV, KL]),
    ], date="2021-03-01")
    _meeting(a, "k2021b.txt", "Köping", "Trygghetsråd", [
        ("Belysning", "Planen för belysning i centrum redovisades efter trygghetsvandringen.", None, [TV]),
    ], date="2021-06-01")
    _meeting(a, "ks2021.txt", "Köping", "Kommunstyrelsen", [
        ("Fartgupp", "Kommunstyrelsen beviljar medel till fartgupp mot buskörning.", "KS-2021-00012", [MU]),
        ("Skolan", "Klotter vid skolan sanerat.", "KS 2019/7", [KL]),
    ], date="2021-04-01")
    _meeting(a, "a2021.txt", "Arboga", "Förebyggande rådet", [
        ("Fokusgrupp", "Epatraktorer på torget i Arboga.", None, [MU]),
        ("Klotter", "Klotter i gångtunneln.", None, [KL]),
    ], date="2021-05-25")
    _meeting(a, "a2020.txt", "Arboga", "Förebyggande rådet", [
        ("Trygghetsvandring", "Trygghetsvandring i Arboga centrum.", None, [TV]),
    ], year=2020)
    detect_meeting_followups(a)
    build_threads(a, method="tfidf")
    update_status(a)
    yield a
    a.close()


def _dicts(histories) -> dict:
    return {tid: h.to_dict() for tid, h in histories.items()}


@pytest.mark.parametrize("council", ["köping/trygghetsråd", "arboga/förebyggande råd", None])
@pytest.mark.parametrize("elsewhere", [False, True])
def test_batched_histories_are_the_per_topic_ones(archive, council, elsewhere):
    filters = Filters(council=council) if council else None
    topics = [MU, KL, TV, "Trygghetsvandring"]  # a label too: resolved to its id, once
    for order in ORDERS:
        batched = topic_histories(archive, topics, filters=filters, order=order, elsewhere=elsewhere)
        per_topic = {tid: issue_history(archive, None, topic=tid, filters=filters, order=order, elsewhere=elsewhere)
                     for tid in (MU, KL, TV)}
        assert list(batched) == [MU, KL, TV]
        assert _dicts(batched) == _dicts(per_topic)


def test_the_comparison_sees_followups_links_and_elsewhere(archive):
    """The archive gives the comparison above something to compare: every kind of record is there."""
    filters = Filters(council="köping/trygghetsråd")
    batched = topic_histories(archive, [MU, KL, TV], filters=filters, elsewhere=True)
    entries = [e for h in batched.values() for e in h.entries]
    assert len(entries) >= 6 and any(e.followups for e in entries) and any(e.linked for e in entries)
    assert all(h.elsewhere for h in batched.values())
    ids = {tid: {e.item_id for e in h.entries} for tid, h in batched.items()}
    assert ids[MU] & ids[KL] and ids[TV] & ids[KL]  # items with two topics are in both histories


def test_one_pass_whatever_the_number_of_topics(archive, monkeypatch):
    """The reads do not grow with the topics: one read of the items in scope for all of them."""
    calls = []
    real = Archive.items

    def counting(self, *args, **kwargs):
        calls.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Archive, "items", counting)
    filters = Filters(council="köping/trygghetsråd")
    topic_histories(archive, [MU], filters=filters, elsewhere=True)
    one = len(calls)
    calls.clear()
    topic_histories(archive, [MU, KL, TV], filters=filters, elsewhere=True)
    assert len(calls) == one <= 3


def test_published_issues_are_the_per_topic_histories(publish_settings):
    """The site's issues (collect) hold what issue_history gives per topic, for every topic of the council."""
    from index.councils import council as find_council
    from publish.collect import collect

    with Archive(publish_settings.db_path) as arc:
        site = collect(arc, publish_settings, find_council(arc, COUNCIL))
        assert site.issues
        tagged = {tid for mv in site.meetings for iv in mv.items for tid, _ in iv.topics}
        want = {}
        for tid in tagged:
            h = issue_history(arc, publish_settings, topic=tid, filters=Filters(council=COUNCIL), order="oldest",
                              elsewhere=False)
            if h.entries:
                want[tid] = h.to_dict()
        assert {view.topic: view.history.to_dict() for view in site.issues} == want
