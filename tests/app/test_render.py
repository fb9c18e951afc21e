"""What the app renders: time-axis timelines, hit cards in words, the opened item with its decision first."""

from __future__ import annotations

import datetime as dt

from app.render import council_colours, period_date, render_hits, render_item_view, timeline_figure, undated_note
from index.search import Hit, SearchResult
from index.store import Archive
from radslag.types import AgendaItem, Document, MeetingMeta, Section


def _row(period, precision, count, key="a/tr", council="A – Trygghetsråd"):
    return {"period": period, "precision": precision, "item_count": count, "meeting_count": 1, "body": "Trygghetsråd",
            "council": council, "council_key": key}


def test_timeline_on_a_time_axis_with_undated_apart():
    rows = [_row("2021-09-15", "meeting", 2), _row("2024-03-12", "meeting", 1), _row("2023", "year", 3),
            _row("okänt datum", None, 4), _row("2021-Q3", "quarter", 1, "b/brå", "B – Brå")]
    colours = council_colours(["a/tr", "b/brå"])
    fig = timeline_figure(rows, "Motorburen ungdom", "sv", colours)
    assert fig.layout.xaxis.type == "date" and fig.layout.yaxis.tickformat == "d" and fig.layout.yaxis.dtick == 1
    a, b = fig.data
    assert list(a.x) == ["2021-09-15", "2024-03-12", "2023-07-01"] and list(a.y) == [2, 1, 3]  # undated left out
    assert list(b.x) == ["2021-08-15"]  # the middle of the quarter
    assert list(a.marker.opacity) == [1.0, 1.0, 0.4]  # the year-wide bar does not hide dated bars under it
    assert a.marker.color == colours["a/tr"] and b.marker.color == colours["b/brå"] != colours["a/tr"]
    # the same council has the same colour in another plot, whatever else is in it
    alone = timeline_figure([_row("2022-01-01", "meeting", 1, "b/brå", "B – Brå")], "x", "sv", colours)
    assert alone.data[0].marker.color == colours["b/brå"]
    assert undated_note(rows, "sv") == "Utan datum (inte i diagrammet): 4 punkter – A – Trygghetsråd"
    assert undated_note(rows[:2], "sv") == ""
    assert period_date("2021-09", "month") == "2021-09-15" and period_date("okänt datum", None) is None


def test_empty_timeline_says_so():
    fig = timeline_figure([], "x", "sv")
    assert [a.text for a in fig.layout.annotations] == ["Inga omnämnanden"] and fig.layout.xaxis.visible is False
    assert [a.text for a in timeline_figure([], "x", "en").layout.annotations] == ["No mentions"]
    big = timeline_figure([_row("2021-01-01", "meeting", 23)], "x", "sv")
    assert big.layout.yaxis.dtick == 5  # whole-number steps


def test_hit_cards_in_plain_words():
    hit = Hit(rank=1, score=0.87, item_id=5, meeting_id=2, source="corpus/a.txt", date="2021-09-15", body="Förebyggande rådet",
              municipality="Arboga", kind="minutes", item_number="5", item_title="Fokusgrupp <b>motorburen</b> ungdom",
              snippet="Motorburen ungdom kör epa-traktor.", topics=[{"label": "Motorburen ungdom", "score": 0.87}])
    markup = render_hits(SearchResult(query="motorburen", mode="hybrid", hits=[hit], modes_used=["keyword", "dense"],
                                      elapsed_ms=31.0), "sv")
    assert ">5. Fokusgrupp &lt;b&gt;motorburen&lt;/b&gt; ungdom</a></h4>" in markup  # one number, tags as text
    assert 'href="?q=motorburen&amp;item=5"' in markup  # the title is a shareable address
    assert "1. 5." not in markup and "0.87" not in markup and "keyword" not in markup and "dense" not in markup
    assert "1 träff" in markup and "Arboga – Förebyggande rådet" in markup and "<mark>Motorburen</mark>" in markup


def test_item_view_shows_the_decision_first(tmp_settings):
    text = ("§ 12 Klotter vid stationen\nKlotter har ökat kraftigt under hösten.\nBeslut\n"
            "Rådet beslutar att sanera inom 48 timmar.\n")
    heading_end = text.index("\n") + 1
    decision = text.index("Beslut\n")
    item = AgendaItem("§ 12", "Klotter vid stationen", text[heading_end:], 0, len(text), pages=[3],
                      sections=[Section("beslut", "Beslut", decision, len(text))])
    with Archive(tmp_settings.db_path) as arc:
        arc.write_document(Document("corpus/arboga.txt", text, "txt", "h"),
                           MeetingMeta(kind="minutes", body="Trygghetsråd", municipality="Arboga",
                                       date=dt.date(2021, 9, 15), place="Stadshuset"), [item])
        stored = arc.items()[0]
        meeting = arc.meeting(stored.meeting_id)
    view = render_item_view(stored, meeting, "sv", query="klotter")
    assert view.index('<div class="decision"><h4>Beslut</h4>') < view.index('<div class="item-text">')
    assert "Rådet beslutar att sanera inom 48 timmar." in view
    assert view.count("Rådet beslutar att sanera") == 1  # not repeated in the text below
    assert '<th scope="row">Plats</th><td>Stadshuset</td>' in view
    assert '<th scope="row">Fil</th><td>arboga.txt, sida 3</td>' in view
    assert "<mark>Klotter</mark> har ökat" in view


def test_ocr_items_carry_the_badge(tmp_settings):
    from app.detail import item_view

    text = "1. Klotter\nKlotter vid stationen.\n2. Belysning\nBelysningen i parken.\n"
    first, second = text.index("1."), text.index("2.")
    doc = Document("corpus/skannad.pdf", text, "pdf", "o", front_matter={"ocr": {
        "engine": "tesseract 5.3.0",
        "page_confidence": [{"page": 1, "confidence": 0.87, "words": 10}, {"page": 2, "confidence": 0.5, "words": 0}]}})
    items = [AgendaItem("1", "Klotter", "Klotter vid stationen.\n", first, second, pages=[1]),
             AgendaItem("2", "Belysning", "Belysningen i parken.\n", second, len(text), pages=[2])]
    with Archive(tmp_settings.db_path) as arc:
        arc.write_document(doc, MeetingMeta(kind="minutes", body="Trygghetsråd", municipality="Arboga"), items)
        ids = [it.id for it in arc.items()]
    assert '<span class="badge ocr"' in item_view(tmp_settings, ids[0]) and "OCR-text, säkerhet 87" in item_view(tmp_settings, ids[0])
    assert "badge ocr" not in item_view(tmp_settings, ids[1])  # its page had no OCR words
    assert "OCR text, confidence 87%" in item_view(tmp_settings.with_(language="en"), ids[0])


def test_the_apps_timeline_plot_is_the_figures_own_json():
    """timeline_plot skips building the plotly figure; what it sends must be what the figure's to_json writes."""
    import json

    from app.render import timeline_plot

    cases = [
        ([_row("2021-09-15", "meeting", 2), _row("2024-03-12", "meeting", 1), _row("2023", "year", 3),
          _row("okänt datum", None, 4), _row("2021-Q3", "quarter", 1, "b/brå", "B – Brå"),
          _row("2022-05", "month", 7, "c/ks", 'C – "KS" <b>')], "Motorburen ungdom", "sv"),
        ([], "x", "sv"),
        ([_row("2021-01-01", "meeting", 23)], "klotter & ”citat”", "en"),
    ]
    for rows, title, lang in cases:
        colours = council_colours(["a/tr", "b/brå"])
        sent = timeline_plot(rows, title, lang, colours)
        assert sent.type == "plotly"
        assert json.loads(sent.plot) == json.loads(timeline_figure(rows, title, lang, colours).to_json())


def test_no_hits_shows_the_nearest_only_when_given_and_marks_them():
    hit = Hit(rank=1, score=0.83, item_id=7, meeting_id=3, source="corpus/b.txt", date="2021-09-15", body="Trygghetsråd",
              municipality="Hallstahammar", kind="minutes", item_number="4", item_title="Lägesbild",
              snippet="Polisen berättar om lägesbilden.")
    plain = SearchResult(query="hemlöshet", mode="hybrid", hits=[], modes_used=["keyword", "dense"])
    assert "Inga träffar." in render_hits(plain, "sv") and 'class="hit"' not in render_hits(plain, "sv")
    asked = SearchResult(query="hemlöshet", mode="hybrid", hits=[], modes_used=["keyword", "dense"], nearest=[hit])
    markup = render_hits(asked, "sv")
    assert markup.index("Inga träffar.") < markup.index("Närmast under relevansgränsen") < markup.index('data-item="7"')
    assert "Hallstahammar – Trygghetsråd" in markup and ">4. Lägesbild</a>" in markup
    assert "Nearest below the relevance cutoff" in render_hits(asked, "en")
