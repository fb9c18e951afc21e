"""Follow-up detection on seed sentences, negatives, and answered vs open."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from make_series import DEFAULT_OUT, write_series  # noqa: E402

from index.followups import assess, followups, update_status  # noqa: E402
from index.store import Archive  # noqa: E402
from index.threads import build_threads  # noqa: E402
from ingest.followups import detect_followups  # noqa: E402
from ingest.pipeline import detect_meeting_followups, relink  # noqa: E402
from radslag.config import load_settings  # noqa: E402
from radslag.errors import ModelError  # noqa: E402
from radslag.lang import split_sentences  # noqa: E402
from radslag.types import Filters  # noqa: E402
from dataclasses import replace  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "text, who, due",
    [
        ("Kommunchefen Carin Becker ska undersöka detta närmare och återkoppla.", "Kommunchefen Carin Becker", None),
        ("Vi tar med oss frågan.", "vi", None),
        ("Polisen tar med sig vad vi kan göra här.", "Polisen", None),
        ("På nästa möte ska deltagarna ta del av den nya trygghetsundersökningen.", "deltagarna", "På nästa möte"),
        ("Detta tar vi med oss och återkopplar i nästa möte.", "vi", "i nästa möte"),
        ("Kommunen bjuder in dom som kan frågorna till nästa råd", "Kommunen", "till nästa råd"),
        ("Gruppen som var tänkt att fungera tillfälligt kommer att diskutera formerna för det fortsatta arbetet "
         "vid nästa möte.", "Gruppen", "vid nästa möte"),
        ("En separat inbjudan kommer att skickas ut till rådets representanter.", None, None),
        ("Nämnden ger förvaltningen i uppdrag att ta fram en plan och återredovisa den i oktober.", "förvaltningen", "i oktober"),
        ("Socialtjänsten återkommer med en redovisning senast 2022-03-01.", "Socialtjänsten", "senast 2022-03-01"),
        # an assignment that asks for something back is a follow-up
        ("Nämnden uppdrar åt förvaltningschefen att göra omfördelningar och informera nämnden om dessa.",
         "förvaltningschefen", None),
        ("Nämnden ger förvaltningen i uppdrag att upprätta en plan till nästa möte.", "förvaltningen", "till nästa möte"),
    ],
)
def test_positive_sentences(text, who, due):
    found = detect_followups(f"Polisen berättar om lägesbilden.\n\n{text}")
    assert len(found) == 1, found
    fu = found[0]
    assert fu.who == who and fu.due == due
    assert fu.what and fu.sentence.startswith(text[:20])
    assert fu.context == "Polisen berättar om lägesbilden."


@pytest.mark.parametrize(
    "text",
    [
        "Polisen berättar om lägesbilden.",
        "Nästa möte 4 juni kl.17.00-19.00",
        "Lina Marklund skrivit anteckningar och kallar till nästa möte.",
        "Minnesanteckningar från förra mötet godkänns och läggs till handlingarna.",
        "Nämnden beslutade att uppdra åt förvaltningen att ta kontakt med polisen.",
        "Byggnadsnämnden gav den 2025-08-21 samhällsbyggnadskontoret i uppdrag att ta fram ett program.",
        "Ordföranden yrkar på tillägget att förvaltningen ska återkomma till nämnden.",
        "Polisen återkopplar från förra mötet: kontroller har genomförts.",
        "Vi kommer ha 3-4 träffar under året och sedan utvärdera.",
        # decisions carried out, not promises to come back (issue 10)
        "Nämnden uppdrar åt förvaltningschefen att upprätta Förvaltningsbudget för 2026.",
        "Kommunfullmäktige ger nämnden för Teknik i uppdrag att genomföra projektet inom ramen för avtalet.",
    ],
)
def test_negative_sentences(text):
    assert detect_followups(text) == []


def test_offsets_and_pdf_line_breaks():
    text = "Kan man samordna arbetet? Vi \ntar med oss frågan och skickar den vidare \n \nPå nästa möte vi deltagarna ta del av rapporten."
    found = detect_followups(text)
    assert [f.who for f in found] == ["vi", "vi"]
    assert text[found[0].start : found[0].end].startswith("Vi \ntar med oss")
    assert found[0].context == "Kan man samordna arbetet?"
    assert len(split_sentences(text)) == 3


def test_seed_documents():
    h2019 = detect_followups((ROOT / "corpus/hallstahammar-trygghetsrad-2019.txt").read_text(encoding="utf-8"))
    assert [f.who for f in h2019] == ["Kommunchefen Carin Becker", "Kommunen", "Polisen", "vi"]
    h2021 = detect_followups((ROOT / "corpus/hallstahammar-trygghetsrad-2021-09-15.txt").read_text(encoding="utf-8"))
    assert sum("tar med oss frågan" in f.sentence for f in h2021) == 2
    assert any(f.sentence.startswith("På nästa möte") for f in h2021)
    arboga = detect_followups((ROOT / "corpus/arboga-forebyggande-radet-2021.txt").read_text(encoding="utf-8"))
    assert any("diskutera formerna" in f.what for f in arboga)


def test_answered_and_open_on_series(tmp_path):
    a = Archive(tmp_path / "a.sqlite")
    refs = write_series(a)
    build_threads(a, method="tfidf")
    detected = detect_meeting_followups(a)
    assert not a.followups_assessed()
    n = update_status(a)
    labels = json.loads((DEFAULT_OUT / "labels.json").read_text(encoding="utf-8"))
    assert n == detected == len(labels["followups"]) and a.followups_assessed()
    stored = {(f.item_id, f.sentence[:30]): f for f in followups(a)}
    agree = 0
    for lab in labels["followups"]:
        got = stored[(refs[lab["item"]], lab["sentence"][:30])]
        want_by = refs[lab["answered_by"]] if lab["answered_by"] else None
        agree += got.status == lab["status"] and got.answered_by_item_id == want_by
    assert agree >= 8
    answered = followups(a, Filters(body="trygghetsråd"), status="besvarad")
    assert answered and all(f.answered_by_item_id and f.answered_reason for f in answered)
    assert all(f.answered_date > f.date for f in answered)
    assert all(f.status == "öppen" for f in followups(a, status="open"))
    # a new detection marks the statuses stale until they are assessed again
    detect_meeting_followups(a, [answered[0].meeting_id])
    assert not a.followups_assessed()
    a.close()


def test_relink_assesses_what_the_pipeline_detected(tmp_path):
    a = Archive(tmp_path / "a.sqlite")
    write_series(a)
    detect_meeting_followups(a)
    notes = relink(a, load_settings(archive_dir=tmp_path, embed=False))
    assert notes == []  # TF-IDF because embedding is off: asked for, not a fallback
    assert a.followups_assessed() and a.get_setting("threads_method") == "tfidf"
    assert {f.status for f in followups(a)} == {"öppen", "besvarad"}
    a.close()


@pytest.mark.slow  # tries to load a model (imports sentence-transformers)
def test_an_embedder_that_cannot_load_is_an_error_not_a_silent_fallback(tmp_path):
    """The dense answer test used to swallow every exception; a missing model must say so."""
    a = Archive(tmp_path / "a.sqlite")
    write_series(a)
    detect_meeting_followups(a)
    broken = load_settings(archive_dir=tmp_path, model=str(tmp_path / "no-such-model"))
    vectors = {i.id: [1.0, 0.0] for i in a.items()}
    with pytest.raises(ModelError):
        assess(a, broken, vectors=vectors, embed=True)
    a.close()


def _meeting(a, source, date, texts, municipality="Hallstahammar", body="Trygghetsrådet", year=None):
    import datetime as dt

    from radslag.types import AgendaItem, Document, MeetingMeta

    mid, _, _ = a.write_document(
        Document(source, "\n".join(texts), "txt", source),
        MeetingMeta(kind="minutes", body=body, municipality=municipality, year=year,
                    date=dt.date.fromisoformat(date) if date else None),
        [AgendaItem(str(n), f"Punkt {n}", t, 0, 1) for n, t in enumerate(texts, 1)])
    return mid


def test_listing_names_the_council_resolves_vi_and_merges_near_duplicates(tmp_path):
    from index.followups import near_duplicates, present, surely_after

    with Archive(tmp_path / "a.sqlite") as a:
        mid = _meeting(a, "h.txt", "2021-09-15", [
            "Kan vi få fler ordningsvakter i centrum? Vi tar med oss frågan.",
            "Ärendet: Nämnden ger förvaltningen i uppdrag att ta fram en trygghetsplan för centrum "
            "och återredovisa den till nämnden.",
            "Beslut: Nämnden ger förvaltningen i uppdrag att ta fram en trygghetsplan för centrum och "
            "återredovisa den till nämnden.",
        ])
        _meeting(a, "v.txt", "2021-09-20", ["Vi tar med oss frågan om belysningen i parken."], municipality="Västerås")
        detect_meeting_followups(a)
        rows = followups(a)
        mine = [r for r in rows if r.meeting_id == mid]
        assert [(r.who, r.who_written) for r in mine] == [("Hallstahammar – Trygghetsrådet", "vi"), ("förvaltningen", None)]
        assert len(mine[1].duplicates) == 1 and mine[0].council_key == "hallstahammar/trygghetsråd"
        other = [r for r in rows if r.meeting_id != mid]
        assert other[0].who == "Västerås – Trygghetsrådet"  # each "vi" is its own council
        assert len(followups(a, merge=False)) == 4
        # merging never joins two meetings
        raw = a.followups()
        assert len(near_duplicates(raw + [replace(raw[1], id=99, meeting_id=raw[1].meeting_id + 100)])) == 4
        assert present(raw, merge=False)[0].who != "vi"
    assert surely_after("2021", "2022-03-01") and surely_after("2021-09-15", "2021-10")
    assert not surely_after("2021-09-15", "2021") and not surely_after(None, "2021")


def test_a_year_only_meeting_can_be_answered_by_a_later_year(tmp_path):
    with Archive(tmp_path / "a.sqlite") as a:
        _meeting(a, "a1.txt", None, ["Polisen tar med sig frågan om mopedbuskörning vid skolgården."], year=2021)
        answer = _meeting(a, "a2.txt", "2022-03-01",
                          ["Polisen redovisar mopedbuskörning vid skolgården: fler kontroller under våren."])
        detect_meeting_followups(a)
        (row,) = assess(a)
    assert row.status == "besvarad" and row.answered_date == "2022-03-01"
    assert a is not None and answer
