"""The answerability gate of the relevance cutoff (index.relevance), without a model (fast suite)."""

from __future__ import annotations

import math

import pytest

from index import relevance
from index import search as S
from index.relevance import ANSWER_COSINE, MISSING_WEIGHT, Answerability, missing_share
from index.store import Archive
from radslag.config import load_settings
from radslag.types import AgendaItem, Document, MeetingMeta, TopicTag
from tests.index.test_search_fusion import _FakeDense  # a dense side without a model (score = best cosine)


ROWS = [
    ("Kvalitet i äldreomsorgen", "Nämnden följer upp kvaliteten i hemtjänsten.", None),
    ("Skolans lokaler", "Skolan byggs ut med nya klassrum.", None),
    ("Delårsrapport 2025", "Nämnden godkänner rapporten.", "KS-2025-00620"),
    ("Fokusgrupp", "Fokusgruppen om ungdomar har träffats.", None),
    ("Kollektivtrafik", "Bussar och resor till arbetet.", None),
    *[(f"Punkt {n}", "Budgeten för nästa år diskuterades.", None) for n in range(3)],
]


@pytest.fixture
def gated(tmp_path, monkeypatch):
    """Eight items; "skolmat" occurs in none, "buss" and "resa" in one; a fake dense side whose cosines a test sets."""
    arc = Archive(tmp_path / "g.sqlite")
    items = [AgendaItem(number=str(n), title=t, text=b, start=0, end=len(b), dnr=d)
             for n, (t, b, d) in enumerate(ROWS, 1)]
    mid, _, _ = arc.write_document(Document("m.txt", "x", "txt", "h"), MeetingMeta(kind="minutes"), items)
    ids = arc.item_ids(mid)
    settings = load_settings(archive_dir=tmp_path / "no-index", embed=False, enrich=False)
    dense = _FakeDense([])
    monkeypatch.setattr(S.DenseSearcher, "get", classmethod(lambda cls, s: dense))
    yield arc, ids, settings, dense
    arc.close()


def test_missing_share_weighs_absent_terms_by_idf():
    share, absent = missing_share([("hemlös", 0), ("insats", 29)], 182)
    w_absent, w_common = math.log(183 / 0.5), math.log(183 / 29.5)
    assert share == pytest.approx(w_absent / (w_absent + w_common)) and absent == ("hemlös",)
    assert missing_share([("klott", 3), ("skol", 40)], 182) == (0.0, ())
    assert missing_share([("xyzzy", 0)], 182) == (1.0, ("xyzzy",))
    assert missing_share([], 182) == (0.0, ())
    # a rare present term weighs more than a common one: missing share of the same absent term falls
    assert missing_share([("a", 0), ("b", 2)], 182)[0] < missing_share([("a", 0), ("b", 60)], 182)[0]


def test_the_bar_rises_with_the_missing_share():
    assert Answerability(0.85, 0.0).bar == pytest.approx(ANSWER_COSINE)
    assert Answerability(0.85, 1.0).bar == pytest.approx(ANSWER_COSINE + MISSING_WEIGHT)
    half = ANSWER_COSINE + MISSING_WEIGHT * 0.5
    assert Answerability(half, 0.5).answerable and not Answerability(half - 1e-4, 0.5).answerable
    assert Answerability(None, 1.0).answerable  # no dense side: no gate (keyword mode keeps its per-item rule)
    # the frozen line separates the test2 cases it was fitted on
    assert not Answerability(0.8580, 0.7638).answerable  # "insatser mot hemlöshet"
    assert Answerability(0.8700, 0.7200).answerable  # "motprestation för att få socialbidrag" (answered)


def test_group_frequencies_read_the_keyword_index(gated):
    arc, _, _, _ = gated
    freq = dict(relevance.group_frequencies(arc, "kvaliteten på skolmaten"))
    assert len(freq) == 2 and 0 in freq.values()  # "på" is a stop word; skolmat occurs nowhere
    assert max(freq.values()) == 1  # "kvalitet": one item
    got = relevance.answerability(arc, "kvaliteten på skolmaten", 0.85)
    assert 0 < got.missing < 1 and len(got.absent) == 1
    assert relevance.absent_words("kvaliteten på skolmaten", got.absent) == ["skolmaten"]
    assert relevance.answerability(arc, "kvaliteten", None) == Answerability(None, 0.0)  # nothing read
    # a compound no item holds whole, whose parts an item holds, counts as present
    assert dict(relevance.group_frequencies(arc, "bussresor")) == {"bussres": 1}
    assert relevance.answerability(arc, "bussresor", 0.85).missing == 0.0


def test_an_in_domain_question_the_archive_never_discusses_gets_no_hits(gated):
    arc, ids, settings, dense = gated
    query = "kvaliteten på skolmaten"  # "kvalitet" covers half the query: the per-item rule alone passes it
    assert S.passes_cutoff(None, 0.5)
    dense.ranked = [(ids[0], 0.846), (ids[1], 0.845), *[(i, 0.80) for i in ids[2:]]]
    got = S.search(arc, query, settings=settings, mode="hybrid", show_nearest=True)
    assert got.hits == [] and got.no_match and got.below_cutoff == len(ids)
    assert got.notes[0].startswith("Inga träffar över relevansgränsen")
    assert any("skolmaten" in n and "Finns inte i arkivet" in n for n in got.notes)
    assert ids[0] in [h.item_id for h in got.nearest]  # the nearest only when asked, as before
    # the same question with a passage close enough (above the line for its missing share) is answered
    bar = relevance.answerability(arc, query, 0.0).bar
    dense.ranked = [(ids[0], bar + 0.001), (ids[1], 0.845), *[(i, 0.80) for i in ids[2:]]]
    got = S.search(arc, query, settings=settings, mode="hybrid")
    assert got.hits and got.hits[0].item_id == ids[0]
    assert not any("Finns inte" in n for n in got.notes)


def test_every_term_present_leaves_the_per_item_rule_alone(gated):
    arc, ids, settings, dense = gated
    dense.ranked = [(ids[1], 0.83), *[(i, 0.80) for i in ids if i != ids[1]]]
    got = S.search(arc, "skolans lokaler", settings=settings, mode="hybrid")
    assert [h.item_id for h in got.hits] == [ids[1]]  # cosine 0.83 >= ANSWER_COSINE; coverage vouches


def test_case_number_and_topic_pass_a_closed_gate(gated):
    arc, ids, settings, dense = gated
    dense.ranked = [(i, 0.80) for i in ids]
    got = S.search(arc, "Dnr KS-2025-00620", settings=settings, mode="hybrid")
    assert [h.item_id for h in got.hits] == [ids[2]]  # the case number is in no text: the gate is shut
    assert relevance.answerability(arc, "Dnr KS-2025-00620", 0.80).missing == 1.0
    assert S.search(arc, "Dnr KS-2025-00620", settings=settings, mode="dense").hits == []
    arc.write_enrichment(ids[3], [], [TopicTag("motorburen-ungdom", "Motorburen ungdom", 0.9)])
    got = S.search(arc, "epa-traktor och hög musik", settings=settings, mode="hybrid")
    assert [h.item_id for h in got.hits] == [ids[3]]  # only the tagged item: the others are gated out


def test_keyword_mode_has_no_gate(gated):
    arc, ids, settings, _ = gated
    got = S.search(arc, "kvaliteten på skolmaten", settings=settings, mode="keyword")
    assert [h.item_id for h in got.hits] == [ids[0]]  # half the terms: the per-item rule, no dense side to gate on


# -- the bench's cutoff figures (bench/quality.py) -------------------------------


def _bench_case():
    """Three queries: two answered (items 1 and 11 relevant), one without an answer; gates as given."""
    from bench.quality import CutRow

    queries = [{"id": "a", "type": "keyword", "half": "dev"}, {"id": "b", "type": "paraphrase", "half": "dev"},
               {"id": "z", "type": "none", "half": "dev"}]
    qrels = {"a": {1: 2}, "b": {11: 1}, "z": {}}
    results = {
        "a": [CutRow(2, 0.80, 0.0, False, False), CutRow(1, 0.86, 1.0, False, False),
              CutRow(3, 0.80, 0.5, False, False)],
        "b": [CutRow(11, 0.852, None, False, False), CutRow(12, 0.80, None, False, False)],
        "z": [CutRow(21, 0.855, 0.5, False, False), CutRow(22, 0.80, None, False, False)],
    }
    gates = {"a": Answerability(0.86, 0.0), "b": Answerability(0.852, 0.3), "z": Answerability(0.855, 0.8)}
    return queries, qrels, results, gates


def test_cutoff_report_counts_what_each_rule_keeps():
    from bench.quality import cutoff_report, gated_rule, old_rule

    queries, qrels, results, gates = _bench_case()
    old = cutoff_report(results, gates, qrels, queries, old_rule, ["dev"])
    new = cutoff_report(results, gates, qrels, queries, gated_rule, ["dev"])
    assert old["no_answer_queries_without_hits"] == "0/1" and new["no_answer_queries_without_hits"] == "1/1"
    assert old["relevant_top10_kept"] == new["relevant_top10_kept"] == 1.0
    assert new["mean_hits_per_judged_query"] == 1.5  # a: items 1 and 3 (coverage 0.5); b: item 11
    # nDCG after the cut: query a's relevant item moves from rank 2 to rank 1 once item 2 is cut
    assert new["ndcg10_before"] == pytest.approx((1 / math.log2(3) + 1 / math.log2(2)) / 2, abs=1e-4)
    assert new["ndcg10_after"] == pytest.approx(1.0)
    assert new["precision_of_passed"] == pytest.approx(2 / 3, abs=1e-4)


def test_the_bench_applies_the_products_cutoff_decision(monkeypatch):
    """gated_rule asks index.search.is_hit, the decision search() makes per item, instead of restating it."""
    from bench.quality import CutRow, gated_rule
    from index import search

    row = CutRow(1, 0.86, 1.0, False, False)
    open_, shut = Answerability(0.86, 0.0), Answerability(0.80, 0.9)
    assert gated_rule(row, open_) and not gated_rule(row, shut)
    assert gated_rule(CutRow(2, 0.5, 0.0, False, True), shut)  # named by case number: passes a closed gate
    assert gated_rule(row, shut, (0.70, 0.0)) and not gated_rule(row, open_, (0.90, 0.0))  # a line being fitted
    asked = []
    monkeypatch.setattr(search, "is_hit", lambda *a, **kw: asked.append((a, kw)) or False)
    assert not gated_rule(row, open_)
    assert asked == [((0.86, 1.0), {"answerable": True, "vouched": False})]


def test_the_gate_at_its_frozen_line_is_answerable():
    for gate in (Answerability(0.86, 0.0), Answerability(0.85, 0.7), Answerability(None, 1.0)):
        assert gate.clears(ANSWER_COSINE, MISSING_WEIGHT) == gate.answerable
    assert Answerability(0.85, 0.7).clears(0.80, 0.0) and not Answerability(0.85, 0.0).clears(0.86, 0.0)


@pytest.mark.parametrize("missing", [0.0, 0.3, 1.0])
@pytest.mark.parametrize("cosine, weight", [(ANSWER_COSINE, MISSING_WEIGHT), (0.80, 0.1), (0.70, 0.0)])
def test_the_bar_and_the_gate_read_one_line(missing, cosine, weight):
    """``bar`` is the frozen line and ``clears`` any line, both one formula: a cosine on the line clears it,
    one just below does not."""
    on = Answerability(None, missing).line(cosine, weight)
    assert on == pytest.approx(cosine + weight * missing)
    assert Answerability(on, missing).clears(cosine, weight) and not Answerability(on - 1e-9, missing).clears(cosine, weight)
    assert Answerability(0.5, missing).bar == Answerability(0.5, missing).line()


def test_fit_gate_draws_a_line_between_answered_and_unanswered_queries():
    from bench.quality import CutRow, fit_gate

    queries, qrels, results, gates = [], {}, {}, {}
    for n in range(12):  # answered: close passages, or present words
        qid = f"a{n}"
        queries.append({"id": qid, "type": "keyword", "half": "dev"})
        qrels[qid] = {n: 1}
        results[qid] = [CutRow(n, 0.86 + 0.002 * (n % 4), 1.0, False, False)]
        gates[qid] = Answerability(0.86 + 0.002 * (n % 4), 0.1 * (n % 7))
    for n in range(4):  # unanswered: far passages, missing words
        qid = f"z{n}"
        queries.append({"id": qid, "type": "none", "half": "dev"})
        qrels[qid] = {}
        results[qid] = [CutRow(100 + n, 0.852, 0.5, False, False)]
        gates[qid] = Answerability(0.852, 0.7 + 0.1 * n)
    a, b = fit_gate(results, gates, qrels, queries)
    for qid, g in gates.items():
        assert (g.best_cosine >= a + b * g.missing) == qid.startswith("a"), (qid, a, b)


def test_a_term_counted_in_more_rows_than_the_archive_has_weighs_nothing():
    from index.relevance import missing_share

    # a compound's rows (whole word + rarest part) can exceed the archive's rows: weight 0, never negative
    missing, absent = missing_share([("trygghetsvandring", 250), ("hemlös", 0)], 182)
    assert missing == 1.0 and absent == ("hemlös",)
    assert missing_share([("trygghetsvandring", 250)], 182) == (0.0, ())
