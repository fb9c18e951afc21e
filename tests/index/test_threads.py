"""Issue threads on the synthetic series and with given vectors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from make_series import DEFAULT_OUT, write_series  # noqa: E402

from index.store import Archive  # noqa: E402
from index.threads import build_threads, is_procedural, thread_for_item, threads  # noqa: E402
from radslag.config import load_settings  # noqa: E402
from radslag.types import Filters  # noqa: E402


@pytest.fixture()
def series(tmp_path):
    a = Archive(tmp_path / "a.sqlite")
    refs = write_series(a)
    yield a, refs
    a.close()


def test_tfidf_threads_follow_labels(series):
    a, refs = series
    report = build_threads(a, method="tfidf")
    assert report.links > 5 and report.method == "tfidf" and report.notes == []
    labels = json.loads((DEFAULT_OUT / "labels.json").read_text(encoding="utf-8"))
    inv = {v: k for k, v in refs.items()}
    thread_of = {r: name for name, members in labels["threads"].items() for r in members}
    links = [(link.src_item_id, link.dst_item_id) for link in a.thread_links()]
    correct = sum(1 for s, d in links if thread_of.get(inv[s]) and thread_of.get(inv[s]) == thread_of.get(inv[d]))
    assert correct / len(links) >= 0.7
    # The motorcycle-youth issue reads from first mention to latest.
    chain = thread_for_item(a, refs["2023-09-14#3"])
    assert [inv[c.item_id] for c in chain][0] == "2022-02-10#3"
    dates = [c.date for c in chain]
    assert dates == sorted(dates)
    later = chain[1]
    assert later.reasons[0].startswith("likhet ") and later.predecessor is not None
    assert "gemensamt ämne: motorburen ungdom" in later.reasons
    for s, d in links:  # earlier -> later, never within one meeting
        src, dst = a.item(s), a.item(d)
        assert src.meeting_id != dst.meeting_id and src.date < dst.date


def test_given_vectors_and_filters(series):
    a, refs = series
    rng = np.random.default_rng(0)
    base = rng.normal(size=(3, 16))
    vectors = {}
    for item in a.items():
        key = next(k for k, v in refs.items() if v == item.id)
        topic = {"2022-02-10#3": 0, "2022-05-12#3": 0, "2022-11-17#4": 0, "2022-02-10#4": 1, "2022-09-15#4": 1}.get(key)
        vec = base[topic] + 0.05 * rng.normal(size=16) if topic is not None else rng.normal(size=16)
        vectors[item.id] = vec / np.linalg.norm(vec)
    assert build_threads(a, vectors=vectors).links == 3
    found = threads(a)
    assert [t.size for t in found] == [3, 2]
    assert threads(a, Filters(topic="klotter"))[0].size == 2
    assert threads(a, query="epatraktorer")[0].label == "motorburen ungdom"
    assert threads(a, Filters(body="ingenstans")) == []
    assert thread_for_item(a, refs["2022-09-15#6"]) == []  # one-off item
    # Rebuilding replaces, never duplicates.
    build_threads(a, vectors=vectors)
    assert len(a.thread_links()) == a.count("thread_links") == 3


def test_procedural_titles():
    assert is_procedural("Närvaro") and is_procedural("2. Föregående minnesanteckningar")
    assert is_procedural("Övriga frågor")
    assert not is_procedural("Fokusgrupp motorburen ungdom")


@pytest.mark.slow  # tries to load a model (imports sentence-transformers)
def test_model_that_cannot_load_falls_back_to_tfidf_and_says_why(series, tmp_path):
    """In auto mode a missing model means TF-IDF threads, with a note naming the reason (no silent except)."""
    a, _ = series
    broken = load_settings(archive_dir=tmp_path, model=str(tmp_path / "no-such-model"))
    report = build_threads(a, broken)
    assert report.method == "tfidf" and report.links > 5
    assert len(report.notes) == 1 and "no-such-model" in report.notes[0] and "TF-IDF" in report.notes[0]
