"""Catch-up brief: sections, order, body matching, Swedish and English."""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from make_series import write_series  # noqa: E402

from index.brief import brief, render_markdown  # noqa: E402
from index.followups import update_status  # noqa: E402
from index.store import Archive  # noqa: E402
from index.threads import build_threads  # noqa: E402
from ingest.pipeline import detect_meeting_followups  # noqa: E402
from radslag.errors import FilterError  # noqa: E402
from radslag.filters import name_matches  # noqa: E402
from radslag.types import AgendaItem, Document, MeetingMeta, TopicTag  # noqa: E402
from tests.archives import write_arboga_year_only  # noqa: E402


@pytest.fixture()
def archive(tmp_path):
    a = Archive(tmp_path / "a.sqlite")
    write_series(a)
    text = "Västerås trygghetsråd träffades för första gången."
    a.write_document(
        Document(source="vasteras.txt", text=text, reader="txt", content_hash=hashlib.sha256(b"v").hexdigest()),
        MeetingMeta(kind="minutes", body="Trygghetsråd", municipality="Västerås", date=dt.date(2021, 4, 22)),
        [AgendaItem(number=None, title="Första mötet", text=text, start=0, end=len(text))],
    )
    detect_meeting_followups(a)
    yield a
    a.close()


def test_body_is_matched_by_the_filter_rule():
    assert name_matches("trygghetsråd", "Hallstahammar Trygghetsråd")
    assert name_matches("Hallstahammar trygghetsråd", "Hallstahammar Trygghetsråd")
    assert name_matches("Hallstahammars trygghetsråd", "Hallstahammar Trygghetsråd")
    assert name_matches("TRYGGHETSRÅD", "Västerås trygghetsråd")
    assert not name_matches("Hallstahammar trygghetsråd", "Västerås Trygghetsråd")
    with pytest.raises(FilterError):
        brief(None, "%")  # checked before the archive is read


def test_sections_present_and_ordered(archive):
    build_threads(archive, method="tfidf")
    update_status(archive)
    b = brief(archive, "Exempelstad trygghetsrådet")
    assert b["bodies"] == ["Exempelstad – Trygghetsrådet"] and b["council_key"] == "exempelstad/trygghetsråd"
    s = b["sections"]
    assert s["meetings"]["count"] == 8
    assert (s["meetings"]["first_date"], s["meetings"]["last_date"]) == ("2022-02-10", "2023-11-16")
    assert s["recurring"]["topics"][0]["meeting_count"] >= 4
    assert s["recurring"]["threads"]
    assert s["followups"] and all(f["what"] for f in s["followups"])
    assert {p["name"] for p in s["people"]} >= {"Karin Lund", "Erik Holm"}
    assert s["latest"]["date"] == "2023-11-16" and 1 <= len(s["latest"]["summary"]) <= 4
    md = render_markdown(b)
    heads = ["## Möten", "## Återkommande frågor", "## Öppna uppföljningar", "## Personer och roller", "## Senaste mötet"]
    positions = [md.index(h) for h in heads]
    assert positions == sorted(positions)
    assert "2022-02-10" in md and "Karin Lund" in md
    en = render_markdown(brief(archive, "exempelstad", lang="en"))
    assert "## Recurring issues" in en and "## Möten" not in en


def test_brief_with_unassessed_followups_and_several_bodies(archive):
    b = brief(archive, "Exempelstad trygghetsrådet")
    assert any("reindex" in n for n in b["notes"])  # status not assessed yet: said so
    assert b["sections"]["followups"]  # assessed on the fly
    # Two municipalities' trygghetsråd: an error listing both, never a brief mixing them.
    with pytest.raises(FilterError) as several:
        brief(archive, "trygghetsråd")
    assert "Exempelstad" in str(several.value) and "Västerås" in str(several.value)
    # A council nobody wrote: an error naming the closest, not an empty brief.
    with pytest.raises(FilterError) as unknown:
        brief(archive, "Västerås trygghetsnämnd")
    assert "Västerås – Trygghetsråd" in str(unknown.value)
    one = brief(archive, "västerås")
    assert one["council_key"] == "västerås/trygghetsråd" and one["sections"]["meetings"]["count"] == 1


def test_year_only_meeting_is_dated_by_its_year_with_its_source(tmp_path):
    with Archive(tmp_path / "a.sqlite") as a:
        write_arboga_year_only(a, "Möte.", "h1", "Lägesbild", "Lugnt i centrum under våren och sommaren.")
        a.write_document(Document("arboga2.txt", "Möte två.", "txt", "h2"),
                         MeetingMeta(kind="minutes", body="Förebyggande rådet", municipality="Arboga",
                                     date=dt.date(2020, 5, 25), provenance={"date": "text:Datum"}),
                         [AgendaItem("1", "Lägesbild", "Oroligt vid stationen.", 0, 1)])
        b = brief(a, "Arboga förebyggande råd")
    m = b["sections"]["meetings"]
    assert m["undated"] == [] and (m["first_date"], m["last_date"]) == ("2020-05-25", "2021")
    assert [(x["date"], x["precision"], x["date_source"]) for x in m["list"]] == [
        ("2020-05-25", "day", "text:Datum"), ("2021", "year", "text:ort den år")]
    assert b["sections"]["latest"]["date"] == "2021"
    md = render_markdown(b)
    assert "**2021 (år)**" in md and "okänt datum" not in md


def test_procedural_topics_are_not_recurring_issues(tmp_path):
    with Archive(tmp_path / "a.sqlite") as arc:
        for n, day in enumerate(("2021-03-01", "2021-06-01")):
            doc = Document(f"m{n}.txt", "x", "txt", f"h{n}")
            items = [AgendaItem("1", "Val av justerare", "Val av justerare.", 0, 1),
                     AgendaItem("2", "Klotter", "Klotter vid stationen.", 1, 2)]
            mid, _, _ = arc.write_document(doc, MeetingMeta(kind="minutes", body="Trygghetsråd",
                                                            date=dt.date.fromisoformat(day)), items)
            first, second = arc.item_ids(mid)
            arc.write_enrichment(first, [], [TopicTag("motesformalia", "Mötesformalia och administration", 0.9)])
            arc.write_enrichment(second, [], [TopicTag("klotter-skadegorelse", "Klotter och skadegörelse", 0.9)])
        labels = [t["label"] for t in brief(arc, "trygghetsråd")["sections"]["recurring"]["topics"]]
    assert labels == ["Klotter och skadegörelse"]


def test_empty_archive_says_so_in_the_language_asked(tmp_path):
    from radslag.errors import RadslagError
    from radslag.i18n import t

    with Archive(tmp_path / "empty.sqlite") as empty:
        with pytest.raises(RadslagError) as sv:
            brief(empty, "Hallstahammar trygghetsråd")
        with pytest.raises(RadslagError) as en:
            brief(empty, "Hallstahammar trygghetsråd", lang="en")
    assert not isinstance(sv.value, FilterError)  # not "unknown council, closest: –"
    assert str(sv.value) == t("brief_empty_archive", "sv") != t("brief_empty_archive", "en") == str(en.value)
    assert str(sv.value).startswith("Arkivet är tomt") and "radslag ingest" in str(sv.value)
    assert str(en.value).startswith("The archive is empty") and "radslag ingest" in str(en.value)


def test_brief_command_on_an_empty_archive_exits_non_zero_with_the_message(tmp_path):
    from click.testing import CliRunner

    from radslag.cli import cli

    folder = tmp_path / "archive"
    folder.mkdir()
    for lang, start in (("sv", "Arkivet är tomt"), ("en", "The archive is empty")):
        done = CliRunner().invoke(cli, ["brief", "Hallstahammar trygghetsråd", "--archive", str(folder),
                                        "--lang", lang])
        assert done.exit_code == 1, done.output
        assert done.output.strip().startswith(start) and "radslag ingest" in done.output, done.output


def test_two_secretaries_signing_side_by_side_are_two_people(tmp_path):
    with Archive(tmp_path / "a.sqlite") as a:
        a.write_document(Document("riksbank.txt", "Protokoll.", "txt", "r1"),
                         MeetingMeta(kind="minutes", body="Direktionen", municipality="Arboga",
                                     date=dt.date(2025, 3, 19), secretary="Jesper Johansson, Stefania Mammos"),
                         [AgendaItem("1", "Beslut", "Beslutades.", 0, 1)])
        b = brief(a, "Arboga direktionen")
    people = {p["name"]: p["roles"] for p in b["sections"]["people"]}
    assert people == {"Jesper Johansson": ["sekreterare"], "Stefania Mammos": ["sekreterare"]}
