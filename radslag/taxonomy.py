"""The topic taxonomy, shared by tagging (ingest) and the archive's views (index).

Topics live in ``radslag/data/topics.yaml``: a stable id, Swedish and
English labels, a short Swedish description (embedded for similarity) and
seed terms (matched by the lexicon tagger in :mod:`ingest.topics`).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import yaml

if TYPE_CHECKING:  # numpy loads in topic_vectors only: a keyword search never needs it
    import numpy as np

TAXONOMY_PATH = Path(__file__).resolve().parent / "data" / "topics.yaml"
#: Characters of title + text embedded for an item without a stored vector.
EMBED_CHARS = 2000


class QueryEncoder(Protocol):
    """What :func:`topic_vectors` needs of an embedder (see :mod:`index.embeddings`)."""

    name: str

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class Topic:
    """One topic of the taxonomy.

    Attributes:
        id: Stable slug stored in ``item_topics.topic_id``.
        label_sv: Swedish label.
        label_en: English label.
        description_sv: Two or three Swedish sentences, embedded for similarity.
        seed_terms: Swedish seed words and phrases for lexicon matching.
        procedural: Meeting formalities, not an issue: left out of
            "recurring issues" in briefs.
    """

    id: str
    label_sv: str
    label_en: str
    description_sv: str
    seed_terms: tuple[str, ...] = field(default_factory=tuple)
    procedural: bool = False

    def embedding_text(self) -> str:
        """Return the text embedded for this topic (label and description)."""
        return f"{self.label_sv}. {self.description_sv}"

    def label(self, language: str = "sv") -> str:
        """Return the label in ``language`` (``sv`` or ``en``)."""
        return self.label_en if language == "en" else self.label_sv


def _read_yaml(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        # libyaml's parser (as radslag.i18n): 4x faster, and every hybrid search reads this file
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}


def load_taxonomy(path: str | Path | None = None) -> list[Topic]:
    """Load the topic taxonomy.

    Args:
        path: YAML file; defaults to ``radslag/data/topics.yaml``.

    Returns:
        Topics in file order.

    Raises:
        ValueError: If a topic lacks a field or an id is repeated.
    """
    file = Path(path) if path else TAXONOMY_PATH
    stat = file.stat()  # the cache is keyed by the file's version: an edited file is read again
    return list(_load(str(file), stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=8)
def _load(path: str, mtime_ns: int = 0, size: int = 0) -> tuple[Topic, ...]:
    data = _read_yaml(Path(path))
    topics: list[Topic] = []
    seen: set[str] = set()
    for raw in data.get("topics") or []:
        missing = [k for k in ("id", "label_sv", "label_en", "description_sv", "seed_terms") if not raw.get(k)]
        if missing:
            raise ValueError(f"topic {raw.get('id')!r} lacks {', '.join(missing)}")
        if raw["id"] in seen:
            raise ValueError(f"duplicate topic id {raw['id']!r}")
        seen.add(raw["id"])
        topics.append(
            Topic(
                id=str(raw["id"]),
                label_sv=str(raw["label_sv"]),
                label_en=str(raw["label_en"]),
                description_sv=" ".join(str(raw["description_sv"]).split()),
                seed_terms=tuple(str(s) for s in raw["seed_terms"]),
                procedural=bool(raw.get("procedural", False)),
            )
        )
    return tuple(topics)


def taxonomy_key(topics: Sequence[Topic]) -> str:
    """A digest of everything in the taxonomy that tagging depends on."""
    h = hashlib.sha1()
    for t in topics:
        h.update(repr((t.id, t.embedding_text(), t.seed_terms)).encode())
    return h.hexdigest()


_TOPIC_VECTORS: dict[tuple[str, str], np.ndarray] = {}


def topic_vectors(topics: Sequence[Topic], embedder: QueryEncoder) -> np.ndarray:
    """Embed the topics' label + description once per process and embedder.

    Topic texts are encoded as queries (they describe what is sought); items
    as passages.
    """
    key = (str(getattr(embedder, "name", id(embedder))), taxonomy_key(topics))
    vecs = _TOPIC_VECTORS.get(key)
    if vecs is None:
        import numpy as np

        vecs = np.asarray(embedder.encode_queries([t.embedding_text() for t in topics]), dtype=np.float32)
        _TOPIC_VECTORS[key] = vecs
    return vecs


def clear_topic_vectors() -> None:
    """Forget embedded topics (benchmarks time the embedding)."""
    _TOPIC_VECTORS.clear()


def item_text_for_embedding(title: str, text: str) -> str:
    """Return the truncated text embedded for an item without a stored vector."""
    return f"{title}\n{text}"[:EMBED_CHARS]
