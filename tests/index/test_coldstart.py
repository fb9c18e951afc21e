"""The cold-start paths of a search give the results of the paths they replace (issue #11.4).

A cold ``radslag search`` looks the compound lexicon and the lemma table up
on disk key by key (:mod:`index.table_cache`) and tokenises the query from
e5's piece table (:class:`index.embeddings.PieceTokenizer`). Here the same
queries run over the bundled corpus archive both ways in one process: cold
paths first, then everything loaded whole in memory and the full
``tokenizer.json``, as before. Ranks, scores and snippets must be equal.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index import compounds, keyword, lemmas
from index import search as search_module
from index.compounds import Lexicon
from index.embeddings import load_embedder
from index.store import Archive
from index.table_cache import TableView

QUERIES_FILE = Path(__file__).resolve().parents[1] / "data" / "queries.jsonl"


def _queries(n: int = 8) -> list[str]:
    lines = [json.loads(line) for line in QUERIES_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [q["query"] for q in lines[:: max(1, len(lines) // n)]][:n]


def _forget_analysis() -> None:
    keyword._word_cache.clear()
    keyword._index_cache.clear()
    compounds.split.cache_clear()
    search_module._topic_seeds.cache_clear()


def _results(settings, queries: list[str]) -> list:
    out = []
    with Archive(settings.db_path) as arc:
        for q in queries:
            for mode in ("keyword", "hybrid"):
                res = search_module.search(arc, q, settings=settings, mode=mode)
                out.append([(mode, q, h.item_id, h.score, h.snippet) for h in res.hits])
    return out


@pytest.mark.slow
def test_cold_paths_rank_like_the_loaded_ones(corpus_settings) -> None:
    queries = _queries()
    embedder = load_embedder(corpus_settings)
    model = embedder.model
    saved_table, saved_source = lemmas._TABLE, lemmas._SOURCE
    saved_full = getattr(model, "_full_tok", None)
    try:
        # cold: fresh disk views, queries tokenised from the piece table
        compounds.set_lexicon(None)
        lemmas.set_table(None)
        _forget_analysis()
        if hasattr(model, "_full_tok"):
            model._full_tok = None
        cold = _results(corpus_settings, queries)
        lex = compounds.get_lexicon()
        assert isinstance(lex.whole, TableView) and not any(getattr(lex, n).loaded for n in compounds._TABLES)
        assert getattr(model, "_full_tok", None) is None  # the whole tokenizer was never loaded

        # reference: everything in memory, the whole tokenizer.json
        memory = Lexicon(**{n: (dict if n in ("begin", "middle") else set)(getattr(lex, n).load())
                            for n in compounds._TABLES},
                         domain=lex.domain, endings=lex.endings, source=lex.source)
        table = lemmas.get_table()
        lemmas.set_table(dict(table.load()) if isinstance(table, TableView) else dict(table), lemmas.lemma_source())
        compounds.set_lexicon(memory)
        _forget_analysis()
        if hasattr(model, "_full_tokenizer"):
            model._full_tokenizer()
        loaded = _results(corpus_settings, queries)
    finally:
        compounds.set_lexicon(None)
        lemmas.set_table(saved_table, saved_source)
        _forget_analysis()
        if hasattr(model, "_full_tok"):
            model._full_tok = saved_full
    assert sum(len(r) for r in cold) > 0
    assert cold == loaded
