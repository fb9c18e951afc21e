"""Issue threads on the synthetic series and with given vectors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from make_series import DEFAULT_OUT, write_series  # noqa: E402

from index.store import Archive  # noqa: E402
from index.threads import build_threads, is_procedural, thread_for_item, threads  # noqa: E402
from radslag.config import load_settings  # noqa: E402
from radslag.types import Filters  # noqa: E402


@pytest.fixture()
def series(tmp_path):
    a = Archive(tmp_path / "a.sqlite")
    refs = write_series(a)
    yield a, refs
    a.close()


def test_tfidf_threads_follow_labels(series):
    a, refs = series
    report = build_threads(a, method="tfidf")
    assert report.links > 5 and report.method == "tfidf" and report.notes == []
    labels = json.loads((DEFAULT_OUT / "labels.json").read_text(encoding="utf-8"))
    inv = {v: k for k, v in refs.items()}
    thread_of = {r: name for name, members in labels["threads"].items() for r in members}
    links = [(link.src_item_id, link.dst_item_id) for link in a.thread_links()]
    correct = sum(1 for s, d in links if thread_of.get(inv[s]) and thread_of.get(inv[s]) == thread_of.get(inv[d]))
    assert correct / len(links) >= 0.7
    # The motorcycle-youth issue reads from first mention to latest.
    chain = thread_for_item(a, refs["2023-09-14#3"])
    assert [inv[c.item_id] for c in chain][0] == "2022-02-10#3"
    dates = [c.date for c in chain]
    assert dates == sorted(dates)
    later = chain[1]
    assert later.reasons[0].startswith("likhet ") and later.predecessor is not None
    assert "gemensamt ämne: motorburen ungdom" in later.reasons
    for s, d in links:  # earlier -> later, never within one meeting
        src, dst = a.item(s), a.item(d)
        assert src.meeting_id != dst.meeting_id and src.date < dst.date


def test_given_vectors_and_filters(series):
    a, refs = series
    rng = np.random.default_rng(0)
    base = rng.normal(size=(3, 16))
    vectors = {}
    for item in a.items():
        key = next(k for k, v in refs.items() if v == item.id)
        topic = {"2022-02-10#3": 0, "2022-05-12#3": 0, "2022-11-17#4": 0, "2022-02-10#4": 1, "2022-09-15#4": 1}.get(key)
        vec = base[topic] + 0.05 * rng.normal(size=16) if topic is not None else rng.normal(size=16)
        vectors[item.id] = vec / np.linalg.norm(vec)
    assert build_threads(a, vectors=vectors).links == 3
    found = threads(a)
    assert [t.size for t in found] == [3, 2]
    assert threads(a, Filters(topic="klotter"))[0].size == 2
    assert threads(a, query="epatraktorer")[0].label == "motorburen ungdom"
    assert threads(a, Filters(body="ingenstans")) == []
    assert thread_for_item(a, refs["2022-09-15#6"]) == []  # one-off item
    # Rebuilding replaces, never duplicates.
    build_threads(a, vectors=vectors)
    assert len(a.thread_links()) == a.count("thread_links") == 3


def test_procedural_titles():
    assert is_procedural("Närvaro") and is_procedural("2. Föregående minnesanteckningar")
    assert is_procedural("Övriga frågor")
    assert not is_procedural("Fokusgrupp motorburen ungdom")


@pytest.mark.slow  # tries to load a model (imports sentence-transformers)
def test_model_that_cannot_load_falls_back_to_tfidf_and_says_why(series, tmp_path):
    """In auto mode a missing model means TF-IDF threads, with a note naming the reason (no silent except)."""
    a, _ = series
    broken = load_settings(archive_dir=tmp_path, model=str(tmp_path / "no-such-model"))
    report = build_threads(a, broken)
    assert report.method == "tfidf" and report.links > 5
    assert len(report.notes) == 1 and "no-such-model" in report.notes[0] and "TF-IDF" in report.notes[0]


# -- councils, case numbers, incremental -------------------------------------------------

def _write(a, source, municipality, body, date, items):
    """items: (title, text, dnr) per agenda item; returns the item ids."""
    from radslag.types import AgendaItem, Document, MeetingMeta
    import datetime as dt

    text = "\n".join(f"{t}\n{x}" for t, x, _ in items)
    mid, _, _ = a.write_document(Document(source, text, "txt", source),
                                 MeetingMeta(kind="minutes", body=body, municipality=municipality,
                                             date=dt.date.fromisoformat(date)),
                                 [AgendaItem(str(n), t, x, 0, 1, dnr=d) for n, (t, x, d) in enumerate(items, 1)])
    return a.item_ids(mid)


EPA = "Motorburen ungdom: buskörning med epatraktorer vid torget och klagomål från boende på hög musik."
BUDGET = "Budgetuppföljning för verksamhetsåret med prognos för helåret och åtgärder mot underskott."


def test_similar_items_of_two_councils_are_not_one_thread(tmp_path):
    with Archive(tmp_path / "a.sqlite") as a:
        k1 = _write(a, "k1.txt", "Köping", "Trygghetsrådet", "2021-03-01", [("Lägesbild", EPA, None)])
        r1 = _write(a, "r1.txt", "Arboga", "Förebyggande rådet", "2021-04-01", [("Lägesbild", EPA, None)])
        k2 = _write(a, "k2.txt", "Köping", "Trygghetsrådet", "2021-05-01", [("Lägesbild", EPA, None)])
        s1 = _write(a, "s1.txt", "Köping", "Socialnämnden", "2021-06-01", [("Lägesbild", EPA, None)])
        build_threads(a, method="tfidf")
        pairs = {(l.src_item_id, l.dst_item_id) for l in a.thread_links()}
        assert pairs == {(k1[0], k2[0])}  # not Arboga's, not Köping's social committee
        assert {t.council_keys[0] for t in threads(a)} == {"köping/trygghetsråd"}
        assert not threads(a)[0].across
        # Across councils only when asked, and then labelled; never across municipalities.
        build_threads(a, method="tfidf", full=True, across_councils=True)
        links = {(l.src_item_id, l.dst_item_id): l.reasons for l in a.thread_links()}
        assert r1[0] not in {i for p in links for i in p}
        across = next(reasons for (src, dst), reasons in links.items() if dst == s1[0] and src in (k1[0], k2[0]))
        assert "över råd: Köping – Trygghetsrådet → Köping – Socialnämnden" in across
        assert threads(a)[0].across


def test_case_number_links_namnd_ks_kf_and_says_why(tmp_path):
    with Archive(tmp_path / "a.sqlite") as a:
        n = _write(a, "n.txt", "Alingsås", "Socialnämnden", "2021-02-01",
                   [("Ny policy för trygghetskameror", "Nämnden föreslår en policy för kameraövervakning.", "KS 2021/45")])
        ks = _write(a, "ks.txt", "Alingsås", "Kommunstyrelsen", "2021-03-01",
                    [("Policy för kameraövervakning", "Kommunstyrelsen föreslår fullmäktige att anta policyn.", "KS-2021-00045"),
                     ("Annat ärende", "Ett annat ärende med samma nummer i ett annat diarium.", "BUN 2021/45")])
        kf = _write(a, "kf.txt", "Alingsås", "Kommunfullmäktige", "2021-04-01",
                    [("Antagande av policy", "Fullmäktige antar policyn.", "2021.045 KS")])
        other = _write(a, "o.txt", "Köping", "Kommunstyrelsen", "2021-05-01",
                       [("Policy", "Ett helt annat ärende i en annan kommun.", "KS 2021/45")])
        build_threads(a, method="tfidf")
        links = {(l.src_item_id, l.dst_item_id): l.reasons for l in a.thread_links()}
        assert set(links) == {(n[0], ks[0]), (ks[0], kf[0])}
        assert links[(n[0], ks[0])][0] == "samma diarienummer: KS-2021-00045"
        assert "över råd: Alingsås – Socialnämnden → Alingsås – Kommunstyrelsen" in links[(n[0], ks[0])]
        chain = thread_for_item(a, kf[0])
        assert [c.item_id for c in chain] == [n[0], ks[0], kf[0]]
        assert other[0] not in {c.item_id for c in chain} and ks[1] not in {c.item_id for c in chain}


def test_compact_and_year_last_case_numbers_link_namnd_and_ks(tmp_path):
    with Archive(tmp_path / "a.sqlite") as a:
        n = _write(a, "n.txt", "Region Västmanland", "Hälso- och sjukvårdsnämnden", "2025-05-01",
                   [("Ny vårdplan", "Nämnden föreslår en plan för vården.", "Diarienummer RV250312"),
                    ("Budget", "Nämnden antar budgeten.", "HSN/462/2025")])
        rs = _write(a, "rs.txt", "Region Västmanland", "Regionstyrelsen", "2025-06-10",
                    [("Vårdplan", "Regionstyrelsen föreslår fullmäktige att anta planen.", "RV250312"),
                     ("Budget", "Styrelsen tar del av nämndens budget.", "Dnr HSN 462/2025"),
                     ("Annat", "Ett annat ärende.", "RV250313")])
        build_threads(a, method="tfidf")
        links = {(l.src_item_id, l.dst_item_id): l.reasons for l in a.thread_links()}
        assert links[(n[0], rs[0])][0] == "samma diarienummer: RV250312"
        assert links[(n[1], rs[1])][0].startswith("samma diarienummer")
        assert not any(rs[2] in pair for pair in links if "samma diarienummer" in links[pair][0])


def test_relinks_only_the_municipality_that_changed(tmp_path):
    with Archive(tmp_path / "a.sqlite") as a:
        _write(a, "k1.txt", "Köping", "Trygghetsrådet", "2021-03-01", [("Lägesbild", EPA, None), ("Budget", BUDGET, None)])
        _write(a, "k2.txt", "Köping", "Trygghetsrådet", "2021-05-01", [("Lägesbild", EPA, None), ("Budget", BUDGET, None)])
        r1 = _write(a, "r1.txt", "Arboga", "Förebyggande rådet", "2021-04-01", [("Lägesbild", EPA, None)])
        first = build_threads(a, method="tfidf")
        assert first.full and first.links == 2
        assert build_threads(a, method="tfidf").scopes == 0  # nothing changed: nothing relinked
        before = {(l.src_item_id, l.dst_item_id) for l in a.thread_links()}
        r2 = _write(a, "r2.txt", "Arboga", "Förebyggande rådet", "2021-06-01", [("Lägesbild", EPA, None)])
        again = build_threads(a, method="tfidf")
        assert (again.scopes, again.full, again.links) == (1, False, 1)
        after = {(l.src_item_id, l.dst_item_id) for l in a.thread_links()}
        assert after == before | {(r1[0], r2[0])}
        a.delete_source("r1.txt")  # a removed meeting: its scope is relinked
        gone = build_threads(a, method="tfidf")
        assert gone.scopes == 1 and {(l.src_item_id, l.dst_item_id) for l in a.thread_links()} == before


def test_items_without_words_do_not_stop_linking(tmp_path):
    """A scope whose items have no content term (an empty file) links nothing and raises nothing."""
    with Archive(tmp_path / "a.sqlite") as a:
        _write(a, "e1.txt", "Köping", "Trygghetsrådet", "2021-03-01", [("–", "…", None)])
        _write(a, "e2.txt", "Köping", "Trygghetsrådet", "2021-04-01", [("–", "…", "KS 2021/7")])
        _write(a, "e3.txt", "Köping", "Trygghetsrådet", "2021-05-01", [("–", "…", "KS 2021/7")])
        report = build_threads(a, method="tfidf")
        assert report.links == 1 and a.thread_links()[0].reasons == ["samma diarienummer: KS 2021/7"]


def test_a_plan_does_not_silence_full_or_method(series):
    """With a plan, ``full=True`` still relinks everything, and a ``method`` other than the plan's is refused
    (the plan's changed scopes were planned for its method's threads); without one the plan's method links."""
    from index.threads import plan_links

    a, _ = series
    first = build_threads(a, method="tfidf")
    plan = plan_links(a, method="tfidf")
    assert plan.changed == set() and plan.method == "tfidf"  # nothing changed since
    assert build_threads(a, plan=plan).links == 0
    again = build_threads(a, plan=plan, full=True)
    assert again.full and again.links == first.links and again.method == "tfidf"
    with pytest.raises(ValueError, match="method"):
        build_threads(a, plan=plan, method="embedder")
    assert build_threads(a, plan=plan, method="tfidf").links == 0
