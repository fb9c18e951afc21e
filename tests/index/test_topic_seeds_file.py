"""The hybrid search's topic seeds follow the topics data file: an edited topics.yaml is seen in-process."""

from __future__ import annotations

import os

import radslag.taxonomy as taxonomy
from index import search


def test_query_topics_sees_an_edited_topics_file(tmp_path, monkeypatch):
    topics = tmp_path / "topics.yaml"
    text = taxonomy.TAXONOMY_PATH.read_text(encoding="utf-8")
    topics.write_text(text, encoding="utf-8")
    monkeypatch.setattr(taxonomy, "TAXONOMY_PATH", topics)
    monkeypatch.setattr(search, "TAXONOMY_PATH", topics, raising=False)

    assert "motorburen-ungdom" in search.query_topics("epa-traktor")
    assert not search.query_topics("zorbaflykt")  # a made-up word no topic names
    before = os.stat(topics)

    # a seed term added to the topic, as an editor of the data file would
    edited = text.replace("seed_terms: [motorburen ungdom,", "seed_terms: [zorbaflykt, motorburen ungdom,", 1)
    assert edited != text
    topics.write_text(edited, encoding="utf-8")
    os.utime(topics, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))  # a later mtime, whatever the clock

    assert "motorburen-ungdom" in search.query_topics("zorbaflykt")
    assert "zorbaflykt" in next(t.seed_terms for t in taxonomy.load_taxonomy() if t.id == "motorburen-ungdom")
    # and read once per version, not once per search
    assert search._topic_seeds() is search._topic_seeds()
