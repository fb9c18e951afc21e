"""Comparing municipalities: the Wilson interval, kinds of council, shares, peers, verdicts, CLI and app.

Archives are real SQLite files built here with topic tags written directly
(no models), so every count below is known by construction.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import math

import pytest

from index.compare import MIN_MEETINGS, Share, compare, kind_of, share_text, summary, verdict_text, wilson
from index.store import Archive
from radslag.errors import RadslagError
from radslag.types import AgendaItem, Document, Filters, MeetingMeta, TopicTag

TOPIC = "motorburen-ungdom"


# -- Wilson -----------------------------------------------------------------------------


@pytest.mark.parametrize(("k", "n", "low", "high"), [
    # Newcombe (1998), Statistics in Medicine 17:857-872, table I, method 3 (Wilson, no continuity correction)
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718),
    # by hand: 5/10 is symmetric about 0.5
    (5, 10, 0.2366, 0.7634),
])
def test_wilson_matches_published_values(k, n, low, high):
    got = wilson(k, n)
    assert got is not None
    assert got[0] == pytest.approx(low, abs=5e-5) and got[1] == pytest.approx(high, abs=5e-5)


def test_wilson_edges_and_symmetry():
    assert wilson(0, 0) is None
    low, high = wilson(3, 3)
    assert high == 1.0 and 0.43 < low < 0.44  # not the empty interval [1, 1] of the plain formula
    for k, n in ((2, 7), (0, 4), (9, 11)):
        a, b = wilson(k, n), wilson(n - k, n)
        assert a[0] == pytest.approx(1 - b[1]) and a[1] == pytest.approx(1 - b[0])
        assert a[0] <= k / n <= a[1]
    # narrower with more data at the same share
    assert (lambda w: w[1] - w[0])(wilson(40, 100)) < (lambda w: w[1] - w[0])(wilson(4, 10))
    with pytest.raises(ValueError):
        wilson(5, 4)


def test_wilson_differs_from_the_plain_interval():
    # the plain (Wald) interval at 1/10 would reach below zero; Wilson's centre moves towards 0.5
    low, high = wilson(1, 10)
    wald_half = 1.96 * math.sqrt(0.1 * 0.9 / 10)
    assert low > 0.1 - wald_half and high > 0.1 + wald_half
    assert low == pytest.approx(0.0179, abs=5e-4) and high == pytest.approx(0.4042, abs=5e-4)


# -- kinds ------------------------------------------------------------------------------


def test_kind_of_councils():
    assert kind_of("Trygghetsrådet", "Hallstahammar").id == "trygghet"
    assert kind_of("Förebyggande rådet", "Arboga").id == "trygghet"
    assert kind_of("Brottsförebyggande rådet (BRÅ)", "Köping").id == "trygghet"
    assert kind_of("Kommunstyrelsen", "Alingsås").id == "kommunstyrelse"
    social = kind_of("Socialnämnden", "Alingsås")
    assert social.id.startswith("body:") and social == kind_of("socialnämnd", "Kungsbacka")
    assert social != kind_of("Tekniska nämnden", "Alingsås")


# -- the comparison ---------------------------------------------------------------------


def _meeting(arc, municipality, body, date, tagged, untagged=1, kind="minutes"):
    """A meeting with ``tagged`` items about the topic and ``untagged`` others."""
    items = [(f"Punkt {i}", f"Text {i} {municipality} {date}") for i in range(tagged + untagged)]
    text = "\n\n".join(f"{a}\n{b}" for a, b in items)
    source = f"{municipality}-{body}-{date}-{kind}.txt"
    doc = Document(source=source, text=text, reader="txt", content_hash=hashlib.sha256(source.encode()).hexdigest())
    meta = MeetingMeta(kind=kind, body=body, municipality=municipality, date=dt.date.fromisoformat(date))
    agenda = [AgendaItem(number=str(n), title=a, text=b, start=0, end=1) for n, (a, b) in enumerate(items, 1)]
    mid, _, _ = arc.write_document(doc, meta, agenda)
    for item_id in arc.item_ids(mid)[:tagged]:
        arc.write_enrichment(item_id, [], [TopicTag(TOPIC, "Motorburen ungdom", 0.9)])
    return mid


@pytest.fixture()
def archive(tmp_settings):
    arc = Archive(tmp_settings.db_path)
    # Hallstahammar 2021: 8 meetings, the topic at 6 (one of them with 2 items on it)
    for month in range(1, 9):
        _meeting(arc, "Hallstahammar", "Trygghetsråd", f"2021-{month:02d}-10",
                 tagged=2 if month == 1 else (1 if month <= 6 else 0))
    # Hallstahammar 2019: 2 meetings, 1 with the topic (too few)
    _meeting(arc, "Hallstahammar", "Trygghetsråd", "2019-03-01", tagged=1)
    _meeting(arc, "Hallstahammar", "Trygghetsråd", "2019-10-01", tagged=0)
    # Arboga 2021: 8 meetings, 1 with the topic; Västerås 2021: 6 meetings, none
    for month in range(1, 9):
        _meeting(arc, "Arboga", "Förebyggande rådet", f"2021-{month:02d}-12", tagged=1 if month == 3 else 0)
    for month in range(1, 7):
        _meeting(arc, "Västerås", "Trygghetsrådet", f"2021-{month:02d}-14", tagged=0)
    # a news item is no meeting; a board with no peers
    _meeting(arc, "Västerås", "Trygghetsrådet", "2021-09-01", tagged=3, kind="news")
    _meeting(arc, "Alingsås", "Kommunstyrelsen", "2021-05-05", tagged=1)
    yield arc
    arc.close()


def _rows(result, name_part, year):
    return [r for r in result.rows if name_part in r.name and r.year == year]


def test_shares_peers_and_verdicts(archive):
    result = compare(archive, TOPIC)
    (hall,) = _rows(result, "Hallstahammar", 2021)
    assert (hall.meetings.successes, hall.meetings.n) == (6, 8)
    assert (hall.items.successes, hall.items.n) == (7, 8 + 7)  # every meeting has one untagged item
    assert hall.meetings.low == pytest.approx(wilson(6, 8)[0])
    # peers: Arboga and Västerås pooled (not Hallstahammar itself, not the news item, not Alingsås' board)
    assert sorted(p.split()[0] for p in hall.peers) == ["Arboga", "Västerås"]
    assert (hall.peer_meetings.successes, hall.peer_meetings.n) == (1, 14)
    assert hall.verdict == "more"  # 41–93 % against 1–31 %
    (arboga,) = _rows(result, "Arboga", 2021)
    assert (arboga.peer_meetings.successes, arboga.peer_meetings.n) == (6, 14) and arboga.verdict == "same"
    (vasteras,) = _rows(result, "Västerås", 2021)
    assert (vasteras.meetings.successes, vasteras.meetings.n) == (0, 6)  # the news item is not counted
    assert vasteras.verdict == "same"  # 0–39 % overlaps Hallstahammar + Arboga, 7 of 16: 23–67 %
    (early,) = _rows(result, "Hallstahammar", 2019)
    assert early.meetings.n == 2 and early.verdict == "no_peers_year"  # nobody else met in 2019
    assert verdict_text(early, "sv") == "Inga råd av samma slag i andra kommuner har möten 2019 i arkivet."
    (whole,) = _rows(result, "Hallstahammar", None)
    assert (whole.meetings.successes, whole.meetings.n) == (7, 10) and whole.peer_meetings.n == 14
    (board,) = _rows(result, "Alingsås", 2021)
    assert board.verdict == "no_peers" and board.peers == []


def test_too_few_meetings_is_said_plainly(archive):
    result = compare(archive, TOPIC, min_meetings=9)
    (hall,) = _rows(result, "Hallstahammar", 2021)
    assert hall.verdict == "few"
    assert verdict_text(hall, "sv") == "För få möten för att jämföra (8; minst 9 behövs)."
    (arboga,) = _rows(compare(archive, TOPIC, since="2021-01-01", until="2021-01-31"), "Arboga", 2021)
    assert arboga.meetings.n == 1 and arboga.verdict == "few"
    # peers with too few meetings
    _meeting(archive, "Köping", "Brottsförebyggande rådet", "2019-05-05", tagged=0)
    (early,) = _rows(compare(archive, TOPIC), "Hallstahammar", 2019)
    assert early.verdict == "few" and early.peer_meetings.n == 1
    (early,) = _rows(compare(archive, TOPIC, min_meetings=2), "Hallstahammar", 2019)
    assert early.verdict == "few_peers"
    assert verdict_text(early, "en") == "Too few meetings of comparable councils to compare (1; at least 2 needed)."


def test_focus_keeps_peers_from_the_whole_archive(archive):
    result = compare(archive, TOPIC, focus=Filters(municipality="Hallstahammar"))
    assert {r.municipality for r in result.rows} == {"Hallstahammar"}
    assert [r.year for r in result.rows] == [2019, 2021, None]
    assert _rows(result, "Hallstahammar", 2021)[0].peer_meetings.n == 14
    lines = summary(result)
    assert len(lines) == 1 and "alla år" in lines[0] and "7 av 10" in lines[0]


def test_kind_all_counts_news_and_topic_by_label(archive):
    result = compare(archive, "Motorburen ungdom", kind=None)
    (vasteras,) = _rows(result, "Västerås", 2021)
    assert (vasteras.meetings.successes, vasteras.meetings.n) == (1, 7)
    with pytest.raises(RadslagError, match="'fotboll'"):
        compare(archive, "fotboll")


def test_undated_meetings_are_a_note(archive):
    text = "Punkt\nText"
    doc = Document(source="odaterat.txt", text=text, reader="txt", content_hash="x" * 64)
    archive.write_document(doc, MeetingMeta(kind="minutes", body="Trygghetsråd", municipality="Hallstahammar"),
                           [AgendaItem(number="1", title="Punkt", text="Text", start=0, end=1)])
    result = compare(archive, TOPIC)
    assert any("1 möte utan känt år" in n for n in result.notes)


def test_csv_and_json_carry_the_numbers(archive):
    result = compare(archive, TOPIC, focus=Filters(municipality="Hallstahammar"), lang="en")
    rows = list(csv.DictReader(io.StringIO(result.to_csv())))
    assert [r["year"] for r in rows] == ["2019", "2021", ""]
    r2021 = rows[1]
    assert (r2021["meetings_topic"], r2021["meetings_total"], r2021["verdict"]) == ("6", "8", "more")
    assert float(r2021["meetings_low"]) == pytest.approx(round(wilson(6, 8)[0], 4))
    assert json.loads(r2021["peers"]) and r2021["verdict_text"] == "More often than comparable councils."
    data = result.to_json()
    assert data["topic"] == TOPIC and data["rows"][1]["peer_meetings_total"] == 14 and "Wilson" in data["rule"]


def test_share_text():
    assert share_text(Share.of(2, 7), "sv") == "2 av 7 (29 %; 8–64 %)"
    assert share_text(Share.of(2, 7), "en") == "2 of 7 (29%; 8–64%)"
    assert share_text(Share.of(0, 0), "sv") == "inga möten"


# -- command line and app ---------------------------------------------------------------


def _cli(tmp_settings, *args):
    from click.testing import CliRunner

    from radslag.cli import cli

    return CliRunner().invoke(cli, ["compare", *args, "--archive", str(tmp_settings.archive_dir)],
                              env={"RADSLAG_EMBED": "0", "RADSLAG_ENRICH": "0"}, catch_exceptions=False)


def test_compare_command(archive, tmp_settings, tmp_path):
    out = _cli(tmp_settings, "--topic", TOPIC, "--municipality", "Hallstahammar")
    assert out.exit_code == 0, out.output
    assert "Jämför kommuner: Motorburen ungdom" in out.output and "Oftare än jämförbara råd." in out.output
    assert "6 av 8 (75 %; 41–93 %)" in out.output and "Wilson" in out.output
    english = _cli(tmp_settings, "--topic", TOPIC, "--municipality", "Hallstahammar", "--lang", "en")
    assert "More often than comparable councils." in english.output and "Meetings with topic" in english.output
    rows = list(csv.DictReader(io.StringIO(_cli(tmp_settings, "--topic", TOPIC, "--format", "csv").output),
                               delimiter=";"))
    assert {r["municipality"] for r in rows} == {"Hallstahammar", "Arboga", "Västerås", "Alingsås"}
    data = json.loads(_cli(tmp_settings, "--topic", TOPIC, "--format", "json", "--council",
                           "Arboga förebyggande råd").output)
    assert [r["verdict"] for r in data["rows"]] == ["same"]
    target = tmp_path / "c.csv"
    assert _cli(tmp_settings, "--topic", TOPIC, "--format", "csv", "-o", str(target)).exit_code == 0
    assert target.read_bytes().startswith("\ufeff".encode())
    bad = _cli(tmp_settings, "--topic", TOPIC, "--municipality", "Hallstahamar")
    assert bad.exit_code == 1 and "Hallstahammar" in bad.output


def test_app_tab_plots_intervals_as_error_bars(archive, tmp_settings):
    from app.tabs.compare import run_compare

    answer, fig, rows, path = run_compare(tmp_settings, TOPIC, "Hallstahammar")
    assert "Oftare än jämförbara råd." in answer and "Wilson" in answer
    own, peers = fig.data
    hall = [i for i, x in enumerate(own.x) if x.endswith("2021")][0]
    low, high = wilson(6, 8)
    assert own.y[hall] == pytest.approx(75.0)
    assert own.error_y.array[hall] == pytest.approx(100 * (high - 0.75))
    assert own.error_y.arrayminus[hall] == pytest.approx(100 * (0.75 - low))
    assert peers.y[hall] == pytest.approx(100 / 14)
    assert rows[1][6] == "Oftare än jämförbara råd." and path.endswith(".csv")
    note, fig, rows, _ = run_compare(tmp_settings, "(alla)", "(alla)")
    assert "Välj ett ämne" in note and fig is None and rows == []
    assert MIN_MEETINGS == 4


def test_a_higher_share_with_overlapping_intervals_is_no_clear_difference(tmp_settings):
    with Archive(tmp_settings.db_path) as arc:
        for month in range(1, 9):
            _meeting(arc, "Kungsör", "Trygghetsråd", f"2022-{month:02d}-01", tagged=1 if month <= 4 else 0)
            _meeting(arc, "Köping", "BRÅ", f"2022-{month:02d}-02", tagged=1 if month <= 2 else 0)
        result = compare(arc, TOPIC)
    (kungsor,) = _rows(result, "Kungsör", 2022)
    assert kungsor.meetings.share == 0.5 and kungsor.peer_meetings.share == 0.25
    assert kungsor.verdict == "same" and verdict_text(kungsor, "sv") == "Ingen säker skillnad mot jämförbara råd."
    (koping,) = _rows(result, "Köping", 2022)
    assert koping.kind == "trygghet" and koping.verdict == "same"
