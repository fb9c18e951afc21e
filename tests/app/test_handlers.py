"""The app's handlers are plain functions: settings and widget values in, widget values out."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from make_series import write_series  # noqa: E402

import html  # noqa: E402
import re  # noqa: E402

import search_app  # noqa: E402
from index.store import Archive  # noqa: E402
from radslag.filters import ALL  # noqa: E402
from tests.archives import write_vasteras  # noqa: E402


def _text(markup: str) -> str:
    """The text a reader sees in ``markup`` (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", markup)).strip()


def _archive(settings) -> None:
    with Archive(settings.db_path) as arc:
        write_series(arc)
        write_vasteras(arc, "Västerås trygghetsråd träffades för första gången.", "news",
                       dt.date(2021, 4, 22), None, "Första mötet")


def test_listing_and_opening(tmp_settings):
    _archive(tmp_settings)
    rows = search_app.list_meetings(tmp_settings)
    assert len(rows) == 9 and rows[0][2] == "nyhet" and rows[1][2] == "protokoll"
    english = search_app.list_meetings(tmp_settings.with_(language="en"))
    assert english[0][2] == "news item"
    with Archive(tmp_settings.db_path) as arc:
        item = arc.items()[1]
    assert search_app.open_item(tmp_settings, None) == "Välj en träff först."
    shown = search_app.open_item(tmp_settings, str(item.id))
    assert _text(shown).startswith(f"{item.number}. {item.title}")
    assert " ".join(item.text.split()) in " ".join(_text(shown).split())
    assert "<th scope=\"row\">Råd</th><td>Exempelstad – Trygghetsrådet</td>" in shown  # meeting facts as a table
    meeting = search_app.open_meeting(tmp_settings, str(item.id))
    assert "<th scope=\"row\">Deltagare</th><td>Karin Lund, ordförande;" in meeting
    assert meeting.count('class="meeting-item') == 6 and meeting.count('class="meeting-item marked"') == 1
    assert f'<div class="meeting-item marked" data-item="{item.id}">' in meeting  # the chosen item is marked


def test_followups_brief_and_choices(tmp_settings):
    _archive(tmp_settings)
    every = search_app.list_followups(tmp_settings, ALL, ALL)
    answered = search_app.list_followups(tmp_settings, "Exempelstad", "besvarad")
    assert answered and len(answered) < len(every) and all(r[5] == "besvarad" for r in answered)
    assert search_app.list_followups(tmp_settings, "Västerås", ALL) == []
    assert search_app.make_brief(tmp_settings, ALL) == "Välj ett råd."
    assert "## Återkommande frågor" in search_app.make_brief(tmp_settings, "exempelstad/trygghetsråd")
    assert "Ingenstans" in search_app.make_brief(tmp_settings, "Ingenstans trygghetsråd")  # named, no traceback
    options = search_app.choices(tmp_settings)
    assert options["bodies"] == [("(alla)", ALL), ("Trygghetsråd",) * 2, ("Trygghetsrådet",) * 2]
    english = search_app.choices(tmp_settings.with_(language="en"))
    assert english["bodies"][0] == ("(all)", ALL) and english["councils"][0] == ("(all)", ALL)
    assert search_app.list_followups(tmp_settings.with_(language="en"), "Exempelstad", "besvarad")[0][5] == "answered"
    assert ("nyhet", "news") in options["kinds"] and ("Motorburen ungdom", "motorburen-ungdom") in options["topics"]


def test_search_handler_reports_bad_filters(tmp_settings):
    _archive(tmp_settings)
    html, picks, fig, *_ = search_app.run_search(tmp_settings, "klotter", "keyword", ALL, ALL, ALL, ALL,
                                                 "2021-02-30", "", "relevance")
    assert "2021-02-30" in html and fig is None
    html, picks, *_ = search_app.run_search(tmp_settings, "klotter", "keyword", "Exempelstad", ALL, ALL, ALL,
                                            "", "", "relevance")
    assert 'class="hit"' in html and picks["choices"]


def test_search_tab_searches_once_for_hits_and_timeline(tmp_settings, monkeypatch):
    """The cards and the timeline come from one search (the timeline used to search again)."""
    import app.tabs.search as tab
    import index.timeline

    _archive(tmp_settings)
    calls = []
    real = tab.search

    def counted(*args, **kwargs):
        calls.append(kwargs.get("k"))
        return real(*args, **kwargs)

    monkeypatch.setattr(tab, "search", counted)
    monkeypatch.setattr(index.timeline, "search", counted)
    html, picks, fig, *_ = search_app.run_search(tmp_settings, "klotter", "keyword", ALL, ALL, ALL, ALL, "", "",
                                                 "date")
    bars = json.loads(fig.plot)["data"]  # the figure's JSON, as the app sends it (app.render.timeline_plot)
    assert len(calls) == 1 and fig is not None and sum(sum(bar["y"]) for bar in bars) >= 1
    assert 0 < html.count('class="hit"') <= tab.SHOWN
    dates = [label.split(" – ")[0] for label, _ in picks["choices"]]
    assert dates == sorted(dates, reverse=True)  # "date" order: newest first among the shown hits


def test_archive_table_dates_a_year_only_meeting_by_its_year(tmp_settings):
    """The archive tab shows "2021 (år)" like `radslag meetings`, not "okänt datum"."""
    from tests.archives import write_arboga_year_only

    with Archive(tmp_settings.db_path) as arc:
        write_arboga_year_only(arc, "Förebyggande rådet 2021", "a1", "Lägesbild", "Epatraktorer.")
    rows = search_app.list_meetings(tmp_settings)
    assert [r[1] for r in rows] == ["2021 (år)"]
    assert [r[1] for r in search_app.list_meetings(tmp_settings.with_(language="en"))] == ["2021 (year)"]
