"""Tests for index.discover: clustering item embeddings into emerging topics."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter

import numpy as np
import pytest

from index.discover import analyse_terms, c_tf_idf, discover_topics, place_words
from index.store import Archive
from radslag.types import AgendaItem, Document, MeetingMeta, TopicTag

THEMES = {
    "moped": [
        "Mopedbilar och A-traktorer kör runt på torget på kvällarna med hög musik.",
        "Boende klagar på A-traktorer som spelar hög musik vid parkeringen.",
        "Polisen kontrollerar mopedbilar och trimmade A-traktorer i centrum.",
        "Ungdomar i mopedbilar samlas vid bensinstationen och spelar hög musik.",
        "Fokusgruppen diskuterar buskörning med A-traktorer och mopedbilar.",
    ],
    "klotter": [
        "Klotter på skolans fasad har sanerats av fastighetsförvaltningen.",
        "Mer klotter i gångtunneln, saneringen tar lång tid.",
        "Klottret på busskuren polisanmäls och saneras inom ett dygn.",
        "Klotterpolicyn säger att klotter ska saneras snabbt och polisanmälas.",
        "Fastighetsägare vill samordna saneringen av klotter i centrum.",
    ],
    "bad": [
        "Badplatsen vid sjön behöver fler livräddare under sommaren.",
        "Simskola och livräddare på badplatsen, drunkningstillbud vid bryggan.",
        "Badplatsen får nya bryggor och livräddare anställs.",
        "Drunkningstillbud vid badplatsen, fler livräddare och simskola.",
        "Livräddare och simskola vid badplatsen utvärderas efter sommaren.",
    ],
}


def _archive(tmp_path, tag_moped: bool = False) -> Archive:
    arc = Archive(tmp_path / "archive.sqlite")
    months = iter(range(1, 13))
    for theme, texts in THEMES.items():
        for i, text in enumerate(texts):
            source = f"{theme}-{i}.txt"
            body = "Trygghetsråd" if i % 2 == 0 else "Förebyggande rådet"
            date = dt.date(2020 + i, next(months) if theme == "moped" else 6, 1)
            doc = Document(source=source, text=text, reader="txt", content_hash=hashlib.sha256(source.encode()).hexdigest())
            item = AgendaItem(number="1", title="Aktuellt", text=text, start=0, end=len(text))
            mid, _, _ = arc.write_document(doc, MeetingMeta(kind="minutes", body=body, date=date), [item])
            if tag_moped and theme == "moped":
                [item_id] = arc.item_ids(mid)
                arc.write_enrichment(item_id, [], [TopicTag("motorburen-ungdom", "Motorburen ungdom", 0.9)])
    return arc


def _theme_of(arc: Archive) -> dict[int, str]:
    out = {}
    for row in arc.items():
        out[row.id] = next(t for t, texts in THEMES.items() if row.text in texts)
    return out


def _synthetic_vectors(arc: Archive) -> dict[int, np.ndarray]:
    """Three well-separated directions plus noise (seeded), one per theme."""
    rng = np.random.default_rng(7)
    centres = {t: rng.normal(size=64) for t in THEMES}
    theme = _theme_of(arc)
    return {i: centres[theme[i]] + 0.3 * rng.normal(size=64) for i in sorted(theme)}


def _check_three_clusters(arc: Archive, clusters: list[dict]) -> dict[str, dict]:
    theme = _theme_of(arc)
    assert len(clusters) == 3
    found = {}
    for c in clusters:
        themes = {theme[i] for i in c["item_ids"]}
        assert len(themes) == 1, c
        found[themes.pop()] = c
        assert c["size"] == 5 == len(c["item_ids"])
        assert c["bodies"] == ["Förebyggande rådet", "Trygghetsråd"]
        assert c["label"] == ", ".join(c["terms"][:3])
    assert set(found) == set(THEMES)
    terms = {t: " ".join(c["terms"]) for t, c in found.items()}
    assert "mopedbilar" in terms["moped"] or "traktorer" in terms["moped"]
    assert "klotter" in terms["klotter"]
    assert "livräddare" in terms["bad"] or "badplatsen" in terms["bad"]
    # Stop words and boilerplate never make it into the terms.
    for c in clusters:
        assert not {"och", "på", "av", "som", "beslut"} & set(c["terms"])
    return found


def test_analyse_terms_drops_stop_words():
    pairs = analyse_terms("Klottret på skolan och i tunneln ska saneras av kommunen.")
    words = [w for _, w in pairs]
    assert "klottret" in words and "saneras" in words
    assert not {"på", "och", "av", "ska", "kommunen"} & set(words)


def test_the_archives_own_place_names_are_no_topic_terms():
    places = place_words(["Hallstahammar", "Västerås"])
    assert {"hallstahammar", "hallstahammars", "västerås"} <= places
    words = [w for _, w in analyse_terms("Klotter i Hallstahammars centrum och i Västerås.", places)]
    assert words == ["klotter", "centrum"]


def test_c_tf_idf_prefers_distinctive_terms():
    docs = [Counter({"klott": 5, "möte": 5}), Counter({"bad": 5, "möte": 5})]
    top = c_tf_idf(docs, n_terms=1)
    assert top[0][0][0] == "klott" and top[1][0][0] == "bad"


def test_discover_with_precomputed_vectors(tmp_path):
    arc = _archive(tmp_path, tag_moped=True)
    try:
        vectors = _synthetic_vectors(arc)
        clusters = discover_topics(arc, None, vectors=vectors, min_cluster=3)
        found = _check_three_clusters(arc, clusters)
        # The tagged cluster overlaps its known topic; the untagged ones are new.
        assert found["moped"]["overlaps"] == "motorburen-ungdom"
        assert found["moped"]["overlap_basis"] == "tags"
        assert found["klotter"]["overlaps"] == "ny"
        assert found["moped"]["first_date"] == "2020-01-01" and found["moped"]["last_date"] == "2024-05-01"
        # Deterministic: same input, same output.
        assert discover_topics(arc, None, vectors=vectors, min_cluster=3) == clusters
        # An array aligned with archive.items() works too.
        ids = [r.id for r in arc.items()]
        assert discover_topics(arc, None, vectors=np.vstack([vectors[i] for i in ids])) == clusters
        # min_cluster larger than any cluster reports nothing.
        assert discover_topics(arc, None, vectors=vectors, min_cluster=6) == []  # three clusters of 5
    finally:
        arc.close()


def test_discover_needs_vectors_or_embedder(tmp_path):
    arc = _archive(tmp_path)
    try:
        with pytest.raises(ValueError):
            discover_topics(arc, None)
    finally:
        arc.close()


@pytest.mark.slow
def test_discover_with_real_embeddings(tmp_path):
    from index.embeddings import load_embedder
    from radslag.config import load_settings

    arc = _archive(tmp_path)
    try:
        embedder = load_embedder(load_settings())
        clusters = discover_topics(arc, embedder, min_cluster=3)
        found = _check_three_clusters(arc, clusters)
        assert all(c["overlap_basis"] == "embedding" for c in clusters)
        # Swimming safety is in no topic of the taxonomy: it must show up as new.
        assert found["bad"]["overlaps"] == "ny"
    finally:
        arc.close()
