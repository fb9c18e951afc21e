"""Topic tagging of agenda items against a curated taxonomy.

Each agenda item gets zero to :data:`MAX_TOPICS` topics from
``ingest/data/topics.yaml``. Two signals are combined:

* **Lexicon**: the topic's seed terms are matched on case-folded, Snowball-
  stemmed words. Matching is inflection-agnostic and compound-aware (a seed
  stem matches the start of a word, a long one anywhere inside it, so
  "trygghetsvandringen" and "grannsamverkansombud" match). Hits in the title
  weigh more than hits in the text. The hit count ``x`` becomes a score
  ``1 - exp(-x / 2)``.
* **Embedding** (hybrid mode only): the cosine similarity between the item
  (title + text, truncated) and each topic's label + description, turned into
  a z-score over all topics for that item (e5 similarities lie in a narrow
  band, so the absolute value says little; how much a topic stands out from
  the others says more) and mapped to ``[0, 1]``.

``score = (1 - beta) * lexicon + beta * embedding``; topics scoring at least
the threshold are kept. The weights and thresholds are chosen by
:func:`calibrate` on the calibration half of hand-labelled items
(``tests/data/labels/topics.jsonl``) and stored in the ``calibration:``
section of the taxonomy file, so nothing is recomputed at run time.

The lexicon uses its own Snowball analysis rather than
:func:`index.keyword.analyze`, so that the stored calibration does not shift
when the search analyser changes; compounds are handled by the prefix/infix
matching described above.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import snowballstemmer
import yaml

from radslag.config import REPO_ROOT, Settings
from radslag.types import TopicTag

TAXONOMY_PATH = Path(__file__).resolve().parent / "data" / "topics.yaml"
LABELS_PATH = REPO_ROOT / "tests" / "data" / "labels" / "topics.jsonl"

#: Never more than this many topics per item.
MAX_TOPICS = 5
#: Characters of title + text embedded for an item without a precomputed vector.
EMBED_CHARS = 2000
#: Topic of formal agenda items; when it is the lexical winner in the title,
#: topics without any lexical evidence are dropped (formal items must not get
#: safety topics from embedding similarity alone).
FORMAL_TOPIC = "motesformalia"

#: Parameters used when the taxonomy has no calibration section.
DEFAULT_PARAMS: dict[str, dict[str, float]] = {
    "lexicon": {"title_weight": 2.0, "density": 0.0, "beta": 0.0, "threshold": 0.5},
    "hybrid": {"title_weight": 2.0, "density": 0.0, "beta": 0.5, "threshold": 0.5},
}
#: z-scores mapped linearly onto [0, 1] for the embedding signal.
Z_LOW, Z_HIGH = 0.5, 3.0
#: Reference length (tokens) for the optional length damping of body hits.
REF_TOKENS = 150

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_ENDINGS = ("", "n", "en", "et", "na", "ar", "er", "or", "arna", "erna", "orna", "ens", "ets", "s", "ns")
_stemmer = snowballstemmer.stemmer("swedish")


# -- taxonomy -----------------------------------------------------------------------------


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
        return yaml.safe_load(fh) or {}


def load_taxonomy(path: str | Path | None = None) -> list[Topic]:
    """Load the topic taxonomy.

    Args:
        path: YAML file; defaults to ``ingest/data/topics.yaml``.

    Returns:
        Topics in file order.

    Raises:
        ValueError: If a topic lacks a field or an id is repeated.
    """
    data = _read_yaml(Path(path) if path else TAXONOMY_PATH)
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
    return topics


def load_calibration(path: str | Path | None = None) -> dict[str, Any]:
    """Return the stored ``calibration:`` section (empty dict when none)."""
    return dict(_read_yaml(Path(path) if path else TAXONOMY_PATH).get("calibration") or {})


def save_calibration(calibration: dict[str, Any], path: str | Path | None = None) -> None:
    """Replace the ``calibration:`` section of the taxonomy file, keeping the rest verbatim."""
    path = Path(path) if path else TAXONOMY_PATH
    text = path.read_text(encoding="utf-8")
    head = re.split(r"^calibration:.*$", text, maxsplit=1, flags=re.M)[0].rstrip("\n")
    body = yaml.safe_dump({"calibration": calibration}, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(head + "\n\n" + body, encoding="utf-8")


# -- lexicon --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Tok:
    surface: str
    folded: str
    stem: str


@dataclass(frozen=True)
class _SeedTok:
    kind: str  # "cs" (acronym, case-sensitive), "exact" (word + ending), "stem"
    value: str


def _tokens(text: str) -> list[_Tok]:
    words = _WORD.findall(text)
    folded = [w.casefold() for w in words]
    stems = _stemmer.stemWords(folded)
    return [_Tok(w, f, s) for w, f, s in zip(words, folded, stems)]


def _compile_seed(seed: str) -> tuple[_SeedTok, ...]:
    exact = seed.startswith("=")
    words = _WORD.findall(seed[1:] if exact else seed)
    out = []
    for w in words:
        if len(w) >= 2 and w.isupper():
            out.append(_SeedTok("cs", w))
        elif exact:
            out.append(_SeedTok("exact", w.casefold()))
        else:
            out.append(_SeedTok("stem", _stemmer.stemWord(w.casefold())))
    return tuple(out)


def _tok_match(tok: _Tok, seed: _SeedTok) -> bool:
    if seed.kind == "cs":
        return tok.surface == seed.value
    if seed.kind == "exact":
        return tok.folded.startswith(seed.value) and tok.folded[len(seed.value) :] in _ENDINGS
    v = seed.value
    if len(v) < 4:
        return tok.stem == v
    if tok.stem.startswith(v) or tok.folded.startswith(v):
        return True
    return len(v) >= 6 and v in tok.folded


@lru_cache(maxsize=4)
def _compiled_lexicon(taxonomy_key: str, seeds: tuple[tuple[str, ...], ...]) -> list[list[tuple[_SeedTok, ...]]]:
    return [[c for c in (_compile_seed(s) for s in topic_seeds) if c] for topic_seeds in seeds]


def _hits(tokens: Sequence[_Tok], seeds: list[tuple[_SeedTok, ...]]) -> int:
    """Count distinct token positions where any of ``seeds`` starts a match."""
    starts: set[int] = set()
    n = len(tokens)
    for seed in seeds:
        k = len(seed)
        first = seed[0]
        for i in range(n - k + 1):
            if i in starts or not _tok_match(tokens[i], first):
                continue
            if all(_tok_match(tokens[i + j], seed[j]) for j in range(1, k)):
                starts.add(i)
    return len(starts)


def lexicon_hits(title: str, text: str, topics: Sequence[Topic]) -> tuple[np.ndarray, np.ndarray, int]:
    """Count seed-term hits per topic.

    Args:
        title: Item title.
        text: Item text.
        topics: The taxonomy.

    Returns:
        ``(title_hits, body_hits, body_token_count)``; the arrays have one
        entry per topic.
    """
    key = ",".join(t.id for t in topics)
    lex = _compiled_lexicon(key, tuple(t.seed_terms for t in topics))
    ttoks, btoks = _tokens(title or ""), _tokens(text or "")
    th = np.array([_hits(ttoks, s) for s in lex], dtype=np.float32)
    bh = np.array([_hits(btoks, s) for s in lex], dtype=np.float32)
    return th, bh, len(btoks)


def _lexicon_score(th: np.ndarray, bh: np.ndarray, ntok: np.ndarray | float, title_weight: float, density: float) -> np.ndarray:
    """Map hit counts to ``[0, 1)``.

    With ``density`` > 0 body hits are weighed by ``(REF_TOKENS / tokens) **
    density`` (clipped to ``[0.25, 4]``): a mention in a short item says more
    than one in a long report.
    """
    damp = np.clip((REF_TOKENS / np.maximum(ntok, 1.0)) ** density, 0.25, 4.0)
    x = title_weight * th + bh * damp
    return 1.0 - np.exp(-x / 2.0)


def _embedding_score(sims: np.ndarray) -> np.ndarray:
    """Turn per-item topic similarities (rows) into ``[0, 1]`` via a z-score over topics."""
    mu = sims.mean(axis=-1, keepdims=True)
    sd = sims.std(axis=-1, keepdims=True) + 1e-6
    z = (sims - mu) / sd
    return np.clip((z - Z_LOW) / (Z_HIGH - Z_LOW), 0.0, 1.0)


def _select(
    scores: np.ndarray, lexical: np.ndarray, title_hits: np.ndarray, threshold: float, formal_idx: int | None
) -> np.ndarray:
    """Return a boolean mask (items x topics) of chosen topics."""
    chosen = scores >= threshold
    if formal_idx is not None:
        # A formal item (formal seed terms in its title, top lexical topic)
        # keeps only topics with lexical evidence.
        formal = (title_hits[:, formal_idx] > 0) & (lexical.argmax(axis=1) == formal_idx)
        chosen[formal] &= lexical[formal] > 0
    # At most MAX_TOPICS per item, the highest scores.
    if chosen.sum(axis=1).max(initial=0) > MAX_TOPICS:
        order = np.argsort(-scores, axis=1, kind="stable")
        rank = np.empty_like(order)
        rows = np.arange(scores.shape[0])[:, None]
        rank[rows, order] = np.arange(scores.shape[1])[None, :]
        chosen &= rank < MAX_TOPICS
    return chosen


# -- tagger ---------------------------------------------------------------------------------

_TOPIC_VECTORS: dict[tuple[str, str], np.ndarray] = {}


def _taxonomy_key(topics: Sequence[Topic]) -> str:
    h = hashlib.sha1()
    for t in topics:
        h.update(t.id.encode())
        h.update(t.embedding_text().encode())
    return h.hexdigest()


def topic_vectors(topics: Sequence[Topic], embedder: Any) -> np.ndarray:
    """Embed the topics' label + description once per process and embedder.

    Topic texts are encoded as queries (they describe what is sought); items
    as passages.
    """
    key = (str(getattr(embedder, "name", id(embedder))), _taxonomy_key(topics))
    vecs = _TOPIC_VECTORS.get(key)
    if vecs is None:
        vecs = np.asarray(embedder.encode_queries([t.embedding_text() for t in topics]), dtype=np.float32)
        _TOPIC_VECTORS[key] = vecs
    return vecs


def item_text_for_embedding(title: str, text: str) -> str:
    """Return the truncated text embedded for an item."""
    return f"{title}\n{text}"[:EMBED_CHARS]


class TopicTagger:
    """Tag agenda items with topics.

    Args:
        settings: Run-time settings (``language`` picks the stored label).
        embedder: An :mod:`index.embeddings` embedder; ``None`` tags by lexicon
            only (method ``lexicon``), otherwise method ``hybrid``.
        taxonomy_path: Alternative taxonomy file (tests).
        params: Override the stored calibration for this tagger's mode
            (keys ``title_weight``, ``density``, ``beta``, ``threshold``).
    """

    def __init__(
        self,
        settings: Settings | None = None,
        embedder: Any = None,
        taxonomy_path: str | Path | None = None,
        params: dict[str, float] | None = None,
    ):
        self.settings = settings
        self.language = getattr(settings, "language", "sv") if settings else "sv"
        self.embedder = embedder
        self.topics = load_taxonomy(taxonomy_path)
        self.method = "hybrid" if embedder is not None else "lexicon"
        stored = load_calibration(taxonomy_path).get(self.method) or {}
        base = dict(DEFAULT_PARAMS[self.method])
        base.update({k: float(v) for k, v in stored.items() if k in base})
        if params:
            base.update({k: float(v) for k, v in params.items() if k in base})
        self.params = base
        ids = [t.id for t in self.topics]
        self._formal_idx = ids.index(FORMAL_TOPIC) if FORMAL_TOPIC in ids else None

    def features(self, items: Sequence[dict[str, Any]]) -> dict[str, np.ndarray]:
        """Compute the raw signals for ``items`` (used by :meth:`tag` and :func:`calibrate`).

        Returns:
            Dict with ``title_hits`` and ``body_hits`` (items x topics),
            ``ntok`` (items) and, in hybrid mode, ``emb`` (items x topics,
            in ``[0, 1]``).
        """
        th, bh, nt = [], [], []
        for it in items:
            a, b, n = lexicon_hits(it.get("title") or "", it.get("text") or "", self.topics)
            th.append(a)
            bh.append(b)
            nt.append(n)
        k = len(self.topics)
        out = {
            "title_hits": np.array(th, dtype=np.float32).reshape(len(items), k),
            "body_hits": np.array(bh, dtype=np.float32).reshape(len(items), k),
            "ntok": np.array(nt, dtype=np.float32),
        }
        if self.embedder is not None and items:
            out["emb"] = _embedding_score(self._similarities(items))
        return out

    def _similarities(self, items: Sequence[dict[str, Any]]) -> np.ndarray:
        tv = topic_vectors(self.topics, self.embedder)
        vecs: list[np.ndarray | None] = [None] * len(items)
        todo = []
        for i, it in enumerate(items):
            v = it.get("vector")
            if v is not None:
                v = np.asarray(v, dtype=np.float32)
                vecs[i] = v / (np.linalg.norm(v) + 1e-12)
            else:
                todo.append(i)
        if todo:
            enc = self.embedder.encode_passages(
                [item_text_for_embedding(items[i].get("title") or "", items[i].get("text") or "") for i in todo]
            )
            for i, v in zip(todo, np.asarray(enc, dtype=np.float32)):
                vecs[i] = v
        return np.vstack(vecs) @ tv.T

    def scores(self, feats: dict[str, np.ndarray], params: dict[str, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(combined, lexical)`` score matrices for precomputed features."""
        p = params or self.params
        lexical = _lexicon_score(feats["title_hits"], feats["body_hits"], feats["ntok"][:, None], p["title_weight"], p["density"])
        emb = feats.get("emb")
        beta = p["beta"] if emb is not None else 0.0
        combined = lexical if beta == 0.0 else (1.0 - beta) * lexical + beta * emb
        return combined, lexical

    def choose(self, feats: dict[str, np.ndarray], params: dict[str, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(mask, combined_scores)`` for precomputed features."""
        p = params or self.params
        combined, lexical = self.scores(feats, p)
        mask = _select(combined, lexical, feats["title_hits"], p["threshold"], self._formal_idx)
        return mask, combined

    def tag(self, items: list[dict[str, Any]]) -> list[list[TopicTag]]:
        """Tag items.

        Args:
            items: Dicts with ``title`` and ``text``; optionally ``vector`` (the
                item's embedding, L2-normalised) to avoid re-encoding.

        Returns:
            For each item, its topics sorted by descending score (possibly none,
            never more than :data:`MAX_TOPICS`).
        """
        if not items:
            return []
        feats = self.features(items)
        mask, combined = self.choose(feats)
        out: list[list[TopicTag]] = []
        for row in range(len(items)):
            idx = [int(j) for j in np.flatnonzero(mask[row])]
            idx.sort(key=lambda j: (-combined[row, j], j))
            out.append(
                [
                    TopicTag(
                        id=self.topics[j].id,
                        label=self.topics[j].label(self.language),
                        score=round(float(combined[row, j]), 4),
                        method=self.method,
                    )
                    for j in idx
                ]
            )
        return out


# -- labels, calibration and evaluation -----------------------------------------------------


def load_labels(path: str | Path | None = None, split: str | None = None) -> list[dict[str, Any]]:
    """Read hand-labelled items, optionally one half.

    Args:
        path: JSONL file; defaults to ``tests/data/labels/topics.jsonl``.
        split: ``calibration``, ``heldout`` or ``None`` for all.
    """
    rows = []
    with open(Path(path) if path else LABELS_PATH, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
    if split is None:
        return rows
    if split not in ("calibration", "heldout"):
        raise ValueError(split)
    halves = label_splits(rows)
    return [r for r, h in zip(rows, halves) if h == split]


def _label_key(row: dict[str, Any]) -> str:
    return hashlib.sha1(f"{row['source']}\x00{row['title']}".encode()).hexdigest()


def label_splits(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Deterministic halves of labelled items.

    Items are ordered by SHA-1 of source and title; even ranks form the
    calibration half, odd ranks the held-out half. The halves are equal in
    size (within one) and independent of file order.
    """
    order = sorted(range(len(rows)), key=lambda i: _label_key(rows[i]))
    halves = [""] * len(rows)
    for rank, i in enumerate(order):
        halves[i] = "calibration" if rank % 2 == 0 else "heldout"
    return halves


def _gold_matrix(labels: Sequence[dict[str, Any]], topics: Sequence[Topic]) -> np.ndarray:
    index = {t.id: j for j, t in enumerate(topics)}
    gold = np.zeros((len(labels), len(topics)), dtype=bool)
    for i, row in enumerate(labels):
        for tid in row.get("topics") or []:
            if tid not in index:
                raise ValueError(f"label uses unknown topic {tid!r}")
            gold[i, index[tid]] = True
    return gold


def _micro_f1(pred: np.ndarray, gold: np.ndarray) -> float:
    tp = float((pred & gold).sum())
    fp = float((pred & ~gold).sum())
    fn = float((~pred & gold).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def metrics(pred: np.ndarray, gold: np.ndarray, topics: Sequence[Topic]) -> dict[str, Any]:
    """Per-topic precision/recall/F1 plus micro and macro averages.

    Macro averages run over topics that occur in the gold labels or the
    predictions (topics absent from both say nothing).
    """
    per: dict[str, dict[str, float]] = {}
    for j, t in enumerate(topics):
        p, g = pred[:, j], gold[:, j]
        tp, fp, fn = int((p & g).sum()), int((p & ~g).sum()), int((~p & g).sum())
        if tp + fp + fn == 0:
            continue
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per[t.id] = {"precision": round(prec, 3), "recall": round(rec, 3), "f1": round(f1, 3), "support": int(g.sum()), "tp": tp, "fp": fp, "fn": fn}
    tp = float((pred & gold).sum())
    fp = float((pred & ~gold).sum())
    fn = float((~pred & gold).sum())
    micro_p = tp / (tp + fp) if tp + fp else 0.0
    micro_r = tp / (tp + fn) if tp + fn else 0.0
    micro_f = 2 * micro_p * micro_r / (micro_p + micro_r) if micro_p + micro_r else 0.0
    n = max(len(per), 1)
    empty_gold = ~gold.any(axis=1)
    return {
        "items": int(gold.shape[0]),
        "micro": {"precision": round(micro_p, 3), "recall": round(micro_r, 3), "f1": round(micro_f, 3)},
        "macro": {
            "precision": round(sum(v["precision"] for v in per.values()) / n, 3),
            "recall": round(sum(v["recall"] for v in per.values()) / n, 3),
            "f1": round(sum(v["f1"] for v in per.values()) / n, 3),
        },
        "empty_items_correct": f"{int((empty_gold & ~pred.any(axis=1)).sum())}/{int(empty_gold.sum())}",
        "per_topic": per,
    }


#: Search grid of :func:`calibrate`; the defaults are inside it, so a
#: calibrated F1 is never below the uncalibrated one on the same data.
GRID = {
    "title_weight": (1.0, 2.0, 3.0, 5.0),
    "density": (0.0, 0.5, 1.0),
    "beta": tuple(round(b, 2) for b in np.arange(0.0, 0.95, 0.1)),
    "threshold": tuple(round(t, 3) for t in np.arange(0.10, 0.951, 0.025)),
}


def calibrate(labels: Sequence[dict[str, Any]], embedder: Any = None, settings: Settings | None = None) -> dict[str, Any]:
    """Choose the weights and threshold that maximise micro-F1 on ``labels``.

    Args:
        labels: Labelled items (pass the calibration half).
        embedder: When given, the hybrid parameters are calibrated too.
        settings: Passed to the tagger.

    Returns:
        ``{"lexicon": {...params, "f1": ...}, "hybrid": {...}}`` (``hybrid``
        only with an embedder), each with the micro-F1 reached and the F1 of
        the default parameters (``f1_default``). Ties keep the earlier grid
        point (lower weight on embeddings, lower threshold).
    """
    result: dict[str, Any] = {}
    modes = [("lexicon", None)] + ([("hybrid", embedder)] if embedder is not None else [])
    for mode, emb in modes:
        tagger = TopicTagger(settings, emb, params=DEFAULT_PARAMS[mode])
        gold = _gold_matrix(labels, tagger.topics)
        feats = tagger.features(labels)
        default_f1 = _micro_f1(tagger.choose(feats, DEFAULT_PARAMS[mode])[0], gold)
        best_f1, best = -1.0, dict(DEFAULT_PARAMS[mode])
        betas = GRID["beta"] if mode == "hybrid" else (0.0,)
        for tw in GRID["title_weight"]:
            for dens in GRID["density"]:
                for beta in betas:
                    p = {"title_weight": tw, "density": dens, "beta": float(beta), "threshold": 0.0}
                    combined, lexical = tagger.scores(feats, p)
                    for thr in GRID["threshold"]:
                        mask = _select(combined, lexical, feats["title_hits"], thr, tagger._formal_idx)
                        f1 = _micro_f1(mask, gold)
                        if f1 > best_f1 + 1e-9:
                            best_f1, best = f1, {**p, "threshold": float(thr)}
        result[mode] = {**best, "f1": round(best_f1, 4), "f1_default": round(default_f1, 4), "items": len(labels)}
    return result


def evaluate(
    labels_path: str | Path | None = None,
    embedder: Any = None,
    split: str | None = "heldout",
    settings: Settings | None = None,
) -> dict[str, Any]:
    """Evaluate the stored calibration on labelled items.

    Args:
        labels_path: JSONL labels; defaults to the project's labels.
        embedder: ``None`` evaluates lexicon-only tagging, else hybrid.
        split: ``heldout`` (default), ``calibration`` or ``None`` for all.
        settings: Passed to the tagger.

    Returns:
        :func:`metrics` output plus ``method``, ``split`` and ``params``.
    """
    labels = load_labels(labels_path, split)
    tagger = TopicTagger(settings, embedder)
    gold = _gold_matrix(labels, tagger.topics)
    mask, _ = tagger.choose(tagger.features(labels))
    return {"method": tagger.method, "split": split or "all", "params": tagger.params, **metrics(mask, gold, tagger.topics)}


# -- counts for `radslag topics` ------------------------------------------------------------

_PERIOD_SQL = {
    "year": "coalesce(substr(m.date, 1, 4), CAST(m.year AS TEXT))",  # year-only meetings count too
    "month": "substr(m.date, 1, 7)",
    "quarter": "substr(m.date, 1, 4) || '-Q' || ((CAST(substr(m.date, 6, 2) AS INTEGER) + 2) / 3)",
}


def topic_counts(
    archive: Any, by: str | None = None, topic: str | None = None, body: str | None = None
) -> list[dict[str, Any]]:
    """Count tagged items (and meetings) per topic, optionally per body or period.

    Args:
        archive: An open :class:`index.store.Archive`.
        by: ``None`` (totals), ``body``, ``year``, ``quarter`` or ``month``.
        topic: Only this topic (id or stored label).

    Returns:
        Rows with ``topic_id``, ``label``, ``items``, ``meetings`` and, with
        ``by``, ``body`` or ``period`` (``None`` for undated meetings). Sorted
        by topic (most items first), then body/period.
    """
    if by not in (None, "body", "year", "quarter", "month"):
        raise ValueError(f"by must be body, year, quarter or month, not {by!r}")
    group_col = {"body": "m.body"}.get(by or "", _PERIOD_SQL.get(by or ""))
    key = "body" if by == "body" else "period"
    select_extra = f", {group_col} AS {key}" if group_col else ""
    group_extra = f", {key}" if group_col else ""
    where, args = "1=1", []
    if topic:
        where = "(t.topic_id = ? OR t.label = ?)"
        args = [topic, topic]
    if body:  # one body (case-insensitive substring, as the other filters)
        where += " AND sv_fold(m.body) LIKE '%' || sv_fold(?) || '%'"
        args.append(body)
    rows = archive.conn.execute(
        "SELECT t.topic_id AS topic_id, max(t.label) AS label, count(DISTINCT t.item_id) AS items,"
        f" count(DISTINCT i.meeting_id) AS meetings{select_extra}"
        " FROM item_topics t JOIN items i ON i.id = t.item_id JOIN meetings m ON m.id = i.meeting_id"
        f" WHERE {where} GROUP BY t.topic_id{group_extra}",
        args,
    ).fetchall()
    out = [dict(r) for r in rows]
    totals: dict[str, int] = defaultdict(int)
    for r in out:
        totals[r["topic_id"]] += r["items"]
    out.sort(key=lambda r: (-totals[r["topic_id"]], r["topic_id"], r.get(key) is None, r.get(key) or ""))
    return out


# -- command line ---------------------------------------------------------------------------


def load_default_embedder(settings: Settings | None = None) -> Any:
    """Return the project's embedder for ``settings`` (default settings when None)."""
    from index.embeddings import load_embedder
    from radslag.config import load_settings

    return load_embedder(settings or load_settings())


def main(argv: Iterable[str] | None = None) -> int:
    """``python -m ingest.topics --calibrate [--no-embed] [--dry-run]``: calibrate and store."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calibrate", action="store_true", help="calibrate on the calibration half and store the result")
    ap.add_argument("--no-embed", action="store_true", help="lexicon only")
    ap.add_argument("--dry-run", action="store_true", help="print, do not write topics.yaml")
    args = ap.parse_args(list(argv) if argv is not None else None)
    embedder = None if args.no_embed else load_default_embedder()
    if args.calibrate:
        t0 = time.perf_counter()
        cal = calibrate(load_labels(split="calibration"), embedder)
        cal["source"] = {
            "labels": "tests/data/labels/topics.jsonl, calibration half (even ranks by sha1 of source+title)",
            "embedder": getattr(embedder, "name", None),
            "seconds": round(time.perf_counter() - t0, 2),
        }
        if not args.dry_run:
            save_calibration(cal)
        print(json.dumps(cal, ensure_ascii=False, indent=2))
    report = {"lexicon": evaluate(None, None)}
    if embedder is not None:
        report["hybrid"] = evaluate(None, embedder)
    print(json.dumps({m: {k: r[k] for k in ("items", "micro", "macro", "params")} for m, r in report.items()}, indent=2))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
