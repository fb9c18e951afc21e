"""Hybrid search over the real corpus archive (real e5 model, real FAISS, real FTS5)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from index.search import search
from index.store import Archive
from radslag.cli import cli
from radslag.errors import RadslagError
from radslag.types import Filters

pytestmark = pytest.mark.slow

MOTOR = [("arboga-forebyggande-radet-2021.txt", "motorburen"),
         ("hallstahammar-trygghetsrad-2021-09-15.txt", None)]


def _find(hits, name, title_part=None):
    return [h for h in hits if h.source.endswith(name) and (title_part is None or title_part in h.item_title.lower())]


@pytest.fixture
def archive(corpus_settings):
    with Archive(corpus_settings.db_path) as arc:
        yield arc


@pytest.mark.parametrize("query", [
    "när diskuterade vi motorburen ungdom",
    "ungdomar som kör epa-traktor och spelar hög musik",
])
def test_motorburen_ungdom_found_in_arboga_and_hallstahammar(archive, corpus_settings, query):
    result = search(archive, query, settings=corpus_settings, k=10)
    assert result.modes_used == ["keyword", "dense"] and not result.notes
    arboga = _find(result.hits, "arboga-forebyggande-radet-2021.txt", "motorburen")
    hal = _find(result.hits, "hallstahammar-trygghetsrad-2021-09-15.txt")
    assert arboga and arboga[0].rank <= 10, [(h.source, h.item_title) for h in result.hits]
    assert hal and hal[0].rank <= 5, [(h.source, h.item_title) for h in result.hits]
    assert arboga[0].date is None or arboga[0].date.startswith("2021")
    assert "motorburen" in arboga[0].snippet.lower() or "ungdom" in arboga[0].snippet.lower()


def test_paraphrase_without_shared_words_needs_dense(archive, corpus_settings):
    query = "tonåringar som kör runt i bil och stör grannarna"  # no content word of the Arboga item
    # the ranking is what is tested here, not the relevance cutoff (a paraphrase's cosines sit near it)
    dense = search(archive, query, settings=corpus_settings, k=10, mode="dense", cutoff=False)
    assert _find(dense.hits, "arboga-forebyggande-radet-2021.txt", "motorburen") or \
        _find(dense.hits, "hallstahammar-trygghetsrad-2021-09-15.txt")


def test_keyword_mode_understands_swedish_inflection(archive, corpus_settings):
    result = search(archive, "trygghetsvandringar", settings=corpus_settings, k=5, mode="keyword")
    assert result.modes_used == ["keyword"]
    assert _find(result.hits, "arboga-forebyggande-radet-2021.txt", "trygghetsvandring")
    assert all(h.dense_rank is None for h in result.hits)


def test_filters_and_date_order(archive, corpus_settings):
    only = search(archive, "lägesbild", settings=corpus_settings, k=10, filters=Filters(municipality="Hallstahammar"))
    assert only.hits and {h.municipality for h in only.hits} == {"Hallstahammar"}
    recent = search(archive, "beslut", settings=corpus_settings, k=10, filters=Filters(since="2025-01-01"),
                    order="date")
    dates = [h.date for h in recent.hits]
    assert dates and all(d >= "2025-01-01" for d in dates) and dates == sorted(dates, reverse=True)
    assert search(archive, "klotter", settings=corpus_settings, k=5, filters=Filters(until="1999-12-31")).hits == []


def test_missing_dense_side_is_reported_not_hidden(archive, corpus_settings, tmp_path):
    settings = corpus_settings.with_(archive_dir=tmp_path / "empty")  # no vector index there
    shutil.copy(corpus_settings.db_path, tmp_path / "x.sqlite")
    result = search(archive, "klotter", settings=settings, k=5)
    assert result.modes_used == ["keyword"]
    assert result.notes and "Semantisk sökning kunde inte köras" in result.notes[0]
    assert result.hits
    with pytest.raises(RadslagError):
        search(archive, "klotter", settings=settings, k=5, mode="dense")


def test_cli_batch_search_writes_one_json_line_per_query(corpus_settings, tmp_path):
    queries = tmp_path / "q.txt"
    queries.write_text("motorburen ungdom\nklotter på skolor\n\n", encoding="utf-8")
    out = CliRunner().invoke(cli, ["search", "--queries", str(queries), "--json", "-k", "3",
                                   "--archive", str(corpus_settings.archive_dir)], catch_exceptions=False)
    lines = [json.loads(x) for x in out.stdout.splitlines()]
    assert [x["query"] for x in lines] == ["motorburen ungdom", "klotter på skolor"]
    hit = lines[0]["hits"][0]
    for field in ("rank", "score", "meeting_id", "source", "date", "body", "municipality", "item_number",
                  "item_title", "snippet", "topics", "entities"):
        assert field in hit
    assert len(lines[0]["hits"]) == 3


def test_search_hits_carry_topics_and_entities(archive, corpus_settings):
    hits = search(archive, "Fokusgrupp motorburen ungdom", settings=corpus_settings, k=3).hits
    top = _find(hits, "arboga-forebyggande-radet-2021.txt", "motorburen")[0]
    assert any(t["id"] == "motorburen-ungdom" for t in top.topics)
    assert any(e["label"] == "ORG" for e in top.entities)


def test_topic_filter_returns_both_motorburen_items(archive, corpus_settings):
    result = search(archive, "ungdomar", settings=corpus_settings, k=10, filters=Filters(topic="motorburen-ungdom"))
    names = {Path(h.source).name for h in result.hits}
    assert {"arboga-forebyggande-radet-2021.txt", "hallstahammar-trygghetsrad-2021-09-15.txt"} <= names


def test_nonsense_query_gives_no_hits_and_nearest_only_when_asked(archive, corpus_settings):
    result = search(archive, "xyzzyqwerty", settings=corpus_settings, k=10)
    assert result.modes_used == ["keyword", "dense"]
    assert result.hits == [] and result.no_match and result.nearest == [] and result.below_cutoff > 0
    assert any("Inga träffar" in n for n in result.notes)
    near = search(archive, "xyzzyqwerty", settings=corpus_settings, k=10, show_nearest=True)
    assert near.hits == [] and 1 <= len(near.nearest) <= 3
    assert [h.rank for h in near.nearest] == list(range(1, len(near.nearest) + 1))


def test_date_order_orders_only_what_passed_the_cutoff(archive, corpus_settings):
    by_relevance = search(archive, "motorburen ungdom", settings=corpus_settings, k=50)
    by_date = search(archive, "motorburen ungdom", settings=corpus_settings, k=50, order="date")
    assert by_relevance.below_cutoff > 0  # unrelated candidates were cut ...
    assert {h.item_id for h in by_date.hits} == {h.item_id for h in by_relevance.hits}  # ... and stay cut
    dates = [h.date or "" for h in by_date.hits]
    assert dates == sorted(dates, reverse=True)
    assert _find(by_date.hits, "arboga-forebyggande-radet-2021.txt", "motorburen")


def test_hostile_query_is_cleaned_before_the_model_sees_it(archive, corpus_settings):
    result = search(archive, "motorburen\ud800 ungdom\x00" + " ungdom" * 400, settings=corpus_settings, k=5)
    assert result.truncated and len(result.query) <= 1000 and "\x00" not in result.query
    assert _find(result.hits, "arboga-forebyggande-radet-2021.txt", "motorburen")


def test_hybrid_lifts_an_item_both_sides_find_above_dense_alone(archive, corpus_settings):
    """The fusion adds the keyword side's agreement to the dense score: an item matching every query
    term that dense ranks low rises; an item dense ranks first stays near the top."""
    query = "klotter"
    dense = search(archive, query, settings=corpus_settings, k=30, mode="dense", cutoff=False)
    hybrid = search(archive, query, settings=corpus_settings, k=30, cutoff=False)
    d_rank = {h.item_id: h.rank for h in dense.hits}
    h_rank = {h.item_id: h.rank for h in hybrid.hits}
    both = [h for h in hybrid.hits if h.keyword_rank is not None and h.dense_rank is not None]
    lifted = [h.item_id for h in both if h.item_id in d_rank and h_rank[h.item_id] < d_rank[h.item_id]]
    assert lifted, [(h.item_title, h.keyword_rank, h.dense_rank) for h in both]
    assert min(h_rank.get(i, 99) for i in [dense.hits[0].item_id]) <= 3
    old = _find(hybrid.hits, "hallstahammar-trygghetsrad-2019.txt")  # "inbrott, klotter" in its text
    assert old and old[0].rank < _find(dense.hits, "hallstahammar-trygghetsrad-2019.txt")[0].rank
    top = hybrid.hits[0]  # hybrid scores live on the cosine scale: the best item's cosine plus the agreement
    assert top.dense_score is not None and top.score >= top.dense_score


def test_cli_shows_the_nearest_below_the_cutoff_only_with_nearest(corpus_settings):
    from radslag.cli import cli

    args = ["search", "xyzzyqwerty", "--archive", str(corpus_settings.archive_dir)]
    plain = CliRunner().invoke(cli, args, catch_exceptions=False)
    asked = CliRunner().invoke(cli, [*args, "--nearest"], catch_exceptions=False)
    assert plain.exit_code == asked.exit_code == 0
    assert "Inga träffar." in plain.stdout and "Närmast under relevansgränsen" not in plain.stdout
    assert "Närmast under relevansgränsen" in asked.stdout
    nearest = asked.stdout.split("Närmast under relevansgränsen", 1)[1]
    assert re.search(r"^ 1  ", nearest, re.M) and "Punkt:" in nearest  # the closest items, as cards


def test_a_query_of_stop_words_only_is_not_vouched_for_by_matching_them(archive, corpus_settings):
    for mode in ("hybrid", "keyword"):
        result = search(archive, "vad har vi gjort", settings=corpus_settings, k=10, mode=mode)
        assert result.hits == [] and any("vanliga småord" in n for n in result.notes), mode
    ranked = search(archive, "vad har vi gjort", settings=corpus_settings, k=10, cutoff=False)
    assert len(ranked.hits) == 10  # still searched by those words: the cutoff, not the search, drops them
    assert not any("vanliga småord" in n for n in search(archive, "klotter", settings=corpus_settings).notes)
