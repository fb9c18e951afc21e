"""Unit tests for the retrieval metrics and judgment mapping in bench/quality.py."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from bench.quality import (
    DEFAULT_QUERIES,
    load_queries,
    map_judgments,
    mean_metrics,
    ndcg_at_k,
    recall_at_k,
    reciprocal_rank,
)


def test_ndcg_perfect_and_swapped() -> None:
    qrels = {1: 2, 2: 1}
    assert ndcg_at_k([1, 2, 3], qrels) == pytest.approx(1.0)
    swapped = ndcg_at_k([2, 1], qrels)
    expected = (1 + 3 / math.log2(3)) / (3 + 1 / math.log2(3))
    assert swapped == pytest.approx(expected)
    assert ndcg_at_k([9, 8], qrels) == 0.0
    assert ndcg_at_k([1], {}) == 0.0


def test_ndcg_cut_off_at_k() -> None:
    qrels = {5: 2}
    assert ndcg_at_k([1, 2, 5], qrels, k=2) == 0.0
    assert ndcg_at_k([1, 2, 5], qrels, k=3) == pytest.approx(1 / math.log2(4))


def test_recall_and_mrr() -> None:
    qrels = {1: 2, 2: 1, 3: 1, 4: 0}
    assert recall_at_k([3, 9, 1], qrels) == pytest.approx(2 / 3)
    assert recall_at_k([4], qrels) == 0.0
    assert reciprocal_rank([9, 3, 1], qrels) == pytest.approx(0.5)
    assert reciprocal_rank([9, 8], qrels) == 0.0
    assert reciprocal_rank([9, 1], qrels, k=1) == 0.0


def test_mean_metrics() -> None:
    m = mean_metrics([{"mrr": 1.0}, {"mrr": 0.0}])
    assert m == {"mrr": 0.5, "n": 2}
    assert mean_metrics([]) == {"n": 0}


def test_map_judgments_by_title_and_text() -> None:
    items = [
        {"id": 1, "source": "corpus/a-2021.txt", "title": "5. Fokusgrupp motorburen ungdom", "text": "..."},
        {"id": 2, "source": "corpus/b-2021.txt", "title": "Övrigt", "text": "en del problem\nmed  motorburen\nungdom"},
        {"id": 3, "source": "corpus/b-2021.txt", "title": "Lägesbild", "text": "lugnt"},
    ]
    queries = [
        {
            "id": "q",
            "query": "x",
            "type": "keyword",
            "relevant": [
                {"source_suffix": "a-2021.txt", "title_contains": "MOTORBUREN", "grade": 2},
                {"source_suffix": "b-2021.txt", "text_contains": "motorburen ungdom", "grade": 1},
                {"source_suffix": "b-2021.txt", "title_contains": "Inledning", "grade": 1},
            ],
        }
    ]
    qrels, unmatched = map_judgments(queries, items)
    assert qrels["q"] == {1: 2, 2: 1}
    assert len(unmatched) == 1 and "inledning" in unmatched[0]


def test_query_set_is_well_formed() -> None:
    queries = load_queries(DEFAULT_QUERIES)
    assert len(queries) >= 100
    assert len({q["id"] for q in queries}) == len(queries)
    types = [q["type"] for q in queries]
    assert set(types) == {"keyword", "paraphrase", "none"}
    judged = [q for q in queries if q["type"] != "none"]
    assert types.count("paraphrase") * 2 >= len(judged)  # at least half paraphrases
    for half in ("dev", "test"):  # both halves hold every type
        assert {q["type"] for q in queries if q["half"] == half} == {"keyword", "paraphrase", "none"}
    corpus = Path(__file__).resolve().parents[2] / "corpus"
    names = [p.name for p in corpus.rglob("*.*")]
    texts = {p.name: " ".join(p.read_text(encoding="utf-8").split()).casefold() for p in corpus.rglob("*.*") if p.suffix in (".txt", ".md")}
    for q in queries:
        assert bool(q["relevant"]) == (q["type"] != "none"), q["id"]
        for j in q["relevant"]:
            assert j["grade"] in (1, 2)
            assert ("title_contains" in j) != ("text_contains" in j), json.dumps(j)
            assert len([n for n in names if n.endswith(j["source_suffix"])]) == 1, j
            matches = [name for name in texts if name.endswith(j["source_suffix"])]
            if not matches:  # a PDF: bench/quality.py lists judgments matching no item as "unmatched"
                continue
            needle = " ".join((j.get("title_contains") or j["text_contains"]).split()).casefold()
            assert needle in texts[matches[0]], (q["id"], j)
