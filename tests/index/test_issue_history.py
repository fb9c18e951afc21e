"""Issue history: one council's dated items, follow-ups and answers, links, other councils, safe CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from index.followups import update_status
from index.history import ELSEWHERE, issue_history
from index.store import Archive
from index.threads import build_threads
from ingest.pipeline import detect_meeting_followups
from radslag.errors import FilterError
from radslag.types import AgendaItem, Document, Filters, MeetingMeta, TopicTag

MU = TopicTag("motorburen-ungdom", "Motorburen ungdom", 0.9)


def _meeting(a, source, municipality, body, items, date=None, year=None):
    """items: (title, text, dnr, tagged) per agenda item."""
    text = "\n".join(f"{t}\n{x}" for t, x, _, _ in items)
    mid, _, _ = a.write_document(
        Document(source, text, "txt", source),
        MeetingMeta(kind="minutes", body=body, municipality=municipality, year=year,
                    date=dt.date.fromisoformat(date) if date else None),
        [AgendaItem(None if t.startswith("=") else str(n), t, x, 0, 1, dnr=d)
         for n, (t, x, d, _) in enumerate(items, 1)])
    ids = a.item_ids(mid)
    for item_id, (_, _, _, tagged) in zip(ids, items):
        a.write_enrichment(item_id, [], [MU] if tagged else [])
    return ids


@pytest.fixture()
def archive(tmp_path):
    a = Archive(tmp_path / "a.sqlite")
    _meeting(a, "k2019.txt", "Köping", "Trygghetsrådet",
             [("Mopeder", "Buskörning med epatraktorer vid torget. Vi tar med oss frågan om fartgupp vid torget.",
               None, True)], year=2019)
    _meeting(a, "k2021.txt", "Köping", "Trygghetsråd",
             [("=HYPERLINK(\"http://x\")", "Fartgupp vid torget är beställda mot buskörning med epatraktorer.",
               "KS 2021/12", True)], date="2021-03-01")
    _meeting(a, "ks2021.txt", "Köping", "Kommunstyrelsen",
             [("Fartgupp", "Kommunstyrelsen beviljar medel.", "KS-2021-00012", False)], date="2021-04-01")
    _meeting(a, "a2021.txt", "Arboga", "Förebyggande rådet",
             [("Fokusgrupp", "Epatraktorer på torget i Arboga.", None, True)], date="2021-05-25")
    detect_meeting_followups(a)
    build_threads(a, method="tfidf")
    update_status(a)
    yield a
    a.close()


def test_one_council_dated_with_followups_links_and_elsewhere(archive):
    h = issue_history(archive, None, topic="motorburen ungdom", filters=Filters(council="köping/trygghetsråd"))
    assert h.council == "Köping – Trygghetsrådet" and h.council_key == "köping/trygghetsråd"
    # newest first; the meeting known only by its year is dated "2021"-style, not undated
    assert [(e.when, e.precision) for e in h.entries] == [("2021-03-01", "day"), ("2019", "year")]
    promise = h.entries[1].followups[0]
    assert promise.who == "Köping – Trygghetsrådet"  # "vi" is the council
    assert promise.answered and promise.answered_when == "2021-03-01"
    # the case number carried to KS is the link nobody else makes, and it says why
    [link] = h.entries[0].linked
    assert link.council == "Köping – Kommunstyrelsen" and link.reason.startswith("samma diarienummer")
    assert [(x.council, x.reason) for x in h.elsewhere] == [("Arboga – Förebyggande rådet", ELSEWHERE)]
    oldest = issue_history(archive, None, topic="motorburen-ungdom", order="oldest",
                           filters=Filters(council="köping/trygghetsråd"))
    assert [e.when for e in oldest.entries] == ["2019", "2021-03-01"]


def test_csv_cells_cannot_run_as_formulas(archive):
    h = issue_history(archive, None, topic="motorburen-ungdom", filters=Filters(council="köping/trygghetsråd"))
    text = h.to_csv()
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    cells = [c for row in rows for c in row]
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    assert "2019 (år)" in cells  # dates as every other view shows them


def test_unknown_council_is_an_error_naming_the_closest(archive):
    with pytest.raises(FilterError) as err:
        issue_history(archive, None, topic="motorburen-ungdom", filters=Filters(council="köping/trygghetsnämnd"))
    assert "Köping – Trygghetsrådet" in str(err.value)


def test_default_name_says_what_and_where_in_ascii(archive):
    from index.history import default_name

    h = issue_history(archive, None, topic="motorburen ungdom", filters=Filters(council="köping/trygghetsråd"))
    assert default_name(h, "csv") == "historia-motorburen-ungdom-koping-trygghetsrad.csv"
    assert default_name(h, "markdown") == default_name(h, "md") == "historia-motorburen-ungdom-koping-trygghetsrad.md"
    everywhere = issue_history(archive, None, topic="motorburen-ungdom")
    assert default_name(everywhere, "json") == "historia-motorburen-ungdom.json"


def test_cli_and_app_name_the_history_file_alike(archive, tmp_path):
    """`radslag history -o FOLDER` and the app's downloads both use index.history.default_name."""
    from click.testing import CliRunner

    from app.tabs.history import history_files
    from index.history import default_name
    from radslag.cli import cli

    h = issue_history(archive, None, topic="motorburen ungdom", filters=Filters(council="köping/trygghetsråd"))
    app_names = [p.rsplit("/", 1)[-1] for p in history_files(h, "sv", False)]
    assert app_names == [default_name(h, ext) for ext in ("csv", "json", "md")]
    folder = tmp_path / "out"
    folder.mkdir()
    (tmp_path / "arc").mkdir()
    archive.close()
    (tmp_path / "a.sqlite").rename(tmp_path / "arc" / "archive.sqlite")
    done = CliRunner().invoke(cli, ["history", "--topic", "motorburen ungdom", "--council", "köping/trygghetsråd",
                                    "--format", "csv", "-o", f"{folder}/", "--archive", str(tmp_path / "arc")])
    assert done.exit_code == 0, done.output
    assert [p.name for p in folder.iterdir()] == [app_names[0]]
