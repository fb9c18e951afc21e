"""Frågans historia in the app: one council's dated list, promises and answers, three downloads."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from make_series import write_series  # noqa: E402

from app.tabs.history import show_history  # noqa: E402
from index.store import Archive  # noqa: E402
from radslag.filters import ALL  # noqa: E402
from radslag.types import TopicTag  # noqa: E402
from tests.archives import write_vasteras  # noqa: E402

COUNCIL = "exempelstad/trygghetsråd"


def _archive(settings) -> None:
    with Archive(settings.db_path) as arc:
        write_series(arc)
        write_vasteras(arc, "Klotter på busshållplatser diskuterades. Västerås trygghetsråd följer upp.",
                       "minutes", dt.date(2023, 3, 1), "2", "Klotter vid hållplatser")
        # the series tags its own topic ids: tag the klotter items with the taxonomy's topic too
        for item in arc.items():
            if any(tp.id == "klotter" for tp in item.topics):
                arc.write_enrichment(item.id, item.entities,
                                     [*item.topics, TopicTag("klotter-skadegorelse", "Klotter och skadegörelse", 0.9)])


def _entries(markup: str) -> list[tuple[str, str]]:
    """(date, title) of each history entry, in the order shown."""
    found = re.findall(r'<div class="entry".*?<time>([^<]*)</time>.*?<h4><a [^>]*>([^<]*)</a>', markup)
    return [(html.unescape(d), html.unescape(t)) for d, t in found]


def test_one_council_newest_first_with_promises_and_answers(tmp_settings):
    _archive(tmp_settings)
    view, csv_path, json_path, md_path = show_history(tmp_settings, COUNCIL, "klotter", ALL, "newest")
    entries = _entries(view)
    dates = [d for d, _ in entries]
    assert len(entries) >= 3 and dates == sorted(dates, reverse=True)
    assert "2023-03-01" not in dates  # Västerås is another council
    assert ("2023-02-09", "3. Klotter på skolor") in entries
    # the promise of 2023-02-09 and its answer in the meeting of 2023-11-16, with a link that opens it
    entry = view[view.index("3. Klotter på skolor"):]
    entry = entry[:entry.index('<div class="entry"') if '<div class="entry"' in entry else None]
    assert "Utlovat:" in entry and 'class="status answered">besvarad' in entry and "2023-11-16" in entry
    assert re.search(r'<a class="open-item" data-item="\d+"[^>]*>3\. Handlingsplan mot klotter</a>', entry)
    meetings = len(set(re.findall(r'<div class="entry" data-item="\d+" data-meeting="(\d+)"', view)))
    assert f"{len(entries)} punkter på {meetings} möten." in view
    # same council, oldest first: the same entries reversed
    oldest = _entries(show_history(tmp_settings, COUNCIL, "klotter", ALL, "oldest")[0])
    assert oldest == entries[::-1]
    # downloads: CSV for Swedish Excel (BOM, ';'), JSON and Markdown, named after the issue and council
    raw = Path(csv_path).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and Path(csv_path).name == "historia-klotter-exempelstad-trygghetsrad.csv"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Datum" and [r[0] for r in rows[1:]] == dates
    data = json.loads(Path(json_path).read_text(encoding="utf-8"))
    assert data["council_key"] == COUNCIL and len(data["entries"]) == len(entries)
    assert Path(md_path).read_text(encoding="utf-8").startswith("# Frågans historia")


def test_all_councils_labels_each_entry_and_english(tmp_settings):
    _archive(tmp_settings)
    view = show_history(tmp_settings, ALL, "klotter", ALL, "newest")[0]
    assert "2023-03-01</time> · Västerås – Trygghetsråd" in view
    english = show_history(tmp_settings.with_(language="en"), COUNCIL, "klotter", ALL, "newest")[0]
    assert "Issue history: klotter" in english and "Promised:" in english and "Utlovat" not in english


def test_topic_history_and_bad_input(tmp_settings):
    _archive(tmp_settings)
    view = show_history(tmp_settings, COUNCIL, "", "klotter-skadegorelse", "oldest")[0]
    by_topic = _entries(view)
    assert len(by_topic) >= 3 and [d for d, _ in by_topic] == sorted(d for d, _ in by_topic)
    assert "Frågans historia: Klotter och skadegörelse" in view and "Med: punkter som har ämnet." in view
    assert show_history(tmp_settings, COUNCIL, "  ", ALL, "newest")[0].count("Skriv en fråga eller välj ett ämne.") == 1
    view, *files = show_history(tmp_settings, "Ingenstans trygghetsråd", "klotter", ALL, "newest")
    assert 'class="note"' in view and "Ingenstans" in view and files == [None, None, None]
    none = show_history(tmp_settings, COUNCIL, "kvantdatorer", ALL, "newest")[0]
    assert "Frågan har inte kommit upp i de valda mötena." in none and "0 punkter på 0 möten." in none
