"""A hit carries its meeting's most precise known time, shown the same in the CLI as in `radslag meetings`."""

from __future__ import annotations

import datetime as dt

from click.testing import CliRunner

from index.search import search
from index.store import Archive
from radslag.cli import cli
from radslag.types import AgendaItem, Document, MeetingMeta
from tests.archives import write_arboga_year_only


def _archive(settings) -> None:
    with Archive(settings.db_path) as arc:
        write_arboga_year_only(arc, "Förebyggande rådet 2021", "a1", "Epatraktorer", "Epatraktorer i centrum.")
        text = "Epatraktorer vid torget."
        arc.write_document(Document("hallstahammar.txt", text, "txt", "h1"),
                           MeetingMeta(kind="minutes", body="Trygghetsråd", municipality="Hallstahammar",
                                       date=dt.date(2021, 9, 15)),
                           [AgendaItem("1", "Epatraktorer vid torget", text, 0, len(text))])


def test_hit_when_is_the_year_of_a_year_only_meeting_and_orders_by_it(tmp_settings):
    _archive(tmp_settings)
    with Archive(tmp_settings.db_path) as arc:
        result = search(arc, "epatraktorer", settings=tmp_settings, mode="keyword", order="date")
    assert [(h.date, h.when) for h in result.hits] == [("2021-09-15", "2021-09-15"), (None, "2021")]


def test_cli_search_shows_the_year_not_unknown_date(tmp_settings):
    _archive(tmp_settings)
    out = CliRunner().invoke(cli, ["search", "epatraktorer", "--mode", "keyword",
                                   "--archive", str(tmp_settings.db_path.parent)]).output
    assert "2021 (år)  Arboga" in out and "okänt datum" not in out
