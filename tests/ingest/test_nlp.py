"""efselab provisioning and the efselab_tagger spaCy component."""

from __future__ import annotations

import time

import pytest
import spacy

from radslag.config import Settings
from radslag.errors import ModelError
from ingest import nlp
from ingest.nlp import EfselabTokenizer, efselab_status, ensure_efselab, tokenize_with_offsets

SENTENCE = (
    "Per Ersgård kommunpolisen berättar om lägesbilden i Hallstahammar. "
    "Anna Gunstad Bäckman öppnar mötet."
)


def test_tokenizer_keeps_offsets_and_sentences():
    text = "  Jonna Lindman (M) öppnar mötet.\n\nKS-2025-00620 gäller § 12.\nBitr. chef t.ex. Per."
    doc = EfselabTokenizer(spacy.blank("sv").vocab)(text)
    assert doc.text == text
    words = [t.text for t in doc if not t.is_space]
    assert words[:6] == ["Jonna", "Lindman", "(", "M", ")", "öppnar"]
    assert "KS-2025-00620" in words
    starts = [s.text.strip() for s in doc.sents]
    assert starts[0] == "Jonna Lindman (M) öppnar mötet."
    assert any(s.startswith("KS-2025-00620") for s in starts)
    spans, flags = tokenize_with_offsets("Mötet öppnas. Ordförande hälsar.")
    assert [("Mötet öppnas. Ordförande hälsar."[s:e]) for s, e in spans][2:4] == [".", "Ordförande"]
    assert flags[3] is True


def test_missing_compiler_gives_swedish_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    settings = Settings(archive_dir=tmp_path / "a", cache_dir=tmp_path / "cache")
    with pytest.raises(ModelError) as err:
        ensure_efselab(settings, progress=False)
    message = str(err.value)
    assert "C-kompilator" in message and "build-essential" in message and "gcc" in message
    assert not efselab_status(settings)["built"]


def test_component_requires_models_dir():
    with pytest.raises(ModelError):
        spacy.blank("sv").add_pipe("efselab_tagger")


@pytest.mark.slow
def test_build_is_reused(efselab_settings):
    started = time.perf_counter()
    folder = ensure_efselab(efselab_settings, progress=False)
    assert time.perf_counter() - started < 1.0
    assert folder == nlp.models_dir(efselab_settings)
    status = efselab_status(efselab_settings)
    assert status["built"] and status["size_mb"] > 100


@pytest.mark.slow
def test_efselab_finds_persons_and_places(extractor):
    doc = extractor.nlp(SENTENCE)
    ents = {(e.text, e.label_) for e in doc.ents}
    assert ("Per Ersgård", "PER") in ents
    assert ("Anna Gunstad Bäckman", "PER") in ents
    assert ("Hallstahammar", "LOC") in ents
    assert ("kommunpolisen", "ROLE") in ents
    # the statistical component alone, without rules
    bare = spacy.blank("sv")
    bare.tokenizer = EfselabTokenizer(bare.vocab)
    bare.add_pipe("efselab_tagger", config={"models_dir": str(nlp.models_dir(extractor.settings))})
    model_ents = {(e.text, e.label_) for e in bare(SENTENCE).ents}
    assert {("Per Ersgård", "PER"), ("Anna Gunstad Bäckman", "PER"), ("Hallstahammar", "LOC")} <= model_ents


@pytest.mark.slow
def test_lemmas_and_tags(extractor):
    doc = extractor.nlp("Per Ersgård kommunpolisen berättar. Kommunstyrelsen beslutar.")
    by_text = {t.text: t for t in doc}
    assert by_text["kommunpolisen"].lemma_ == "kommunpolis"
    assert by_text["kommunpolisen"].pos_ == "NOUN"
    assert by_text["kommunpolisen"].tag_.startswith("NN")
    assert by_text["berättar"].lemma_ == "berätta"
    assert by_text["berättar"].pos_ == "VERB"
    assert by_text["Kommunstyrelsen"].lemma_ == "kommunstyrelse"
    assert "Definite=Def" in str(by_text["kommunpolisen"].morph)


@pytest.mark.slow
def test_weights_loaded_once(extractor):
    folder = nlp.models_dir(extractor.settings)
    assert nlp.load_efselab(folder) is nlp.load_efselab(folder)
    assert efselab_status(extractor.settings)["loaded"]
