"""The Gradio app in a real headless Chromium: search, see the meeting, open it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import ARTIFACTS, free_port, launch, need_chromium

pytestmark = [pytest.mark.slow, pytest.mark.browser]



@pytest.fixture(scope="module")
def app_url(corpus_settings):
    need_chromium()
    import search_app

    port = free_port()
    app = search_app.main(settings=corpus_settings, port=port, block=False)
    yield f"http://127.0.0.1:{port}"
    app.close()


@pytest.fixture(scope="module")
def page(app_url):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1280, "height": 1800})
        page.goto(app_url, wait_until="domcontentloaded")  # Gradio keeps a stream open: no networkidle
        page.get_by_label("Sökfråga").wait_for(timeout=60_000)
        yield page
        browser.close()


def test_search_shows_meeting_and_opens_it(page):
    page.get_by_label("Sökfråga").fill("när diskuterade vi motorburen ungdom")
    page.locator("#search-btn").click()
    results = page.locator("#results")
    results.get_by_text("Fokusgrupp motorburen ungdom").first.wait_for(timeout=60_000)
    assert "Förebyggande rådet" in results.inner_text()
    assert results.locator("mark").count() > 0  # matched words highlighted
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "app-search.png"), full_page=True)

    page.locator("#open-meeting").click()
    detail = page.locator("#detail")
    detail.get_by_text("Närvaro deltagare").wait_for(timeout=30_000)
    text = detail.inner_text()
    assert "Trygghetsvandring hösten 2021" in text and "Övriga frågor" in text

    page.locator("#open-item").click()
    detail.get_by_text("Fokusgruppen kring problematiken").wait_for(timeout=30_000)


def _body_tab(page, tab: str, button: str, output: str, wait_text: str) -> str:
    """Open ``tab``, choose body "Trygghetsråd", press ``button``; return the text of ``output``.

    Every tab has its own "Organ" dropdown (hidden in the other tabs): the visible one is used.
    """
    page.get_by_role("tab", name=tab).click()
    boxes = page.get_by_label("Organ", exact=True)
    visible = [boxes.nth(i) for i in range(boxes.count()) if boxes.nth(i).is_visible()]
    assert len(visible) == 1, f"{len(visible)} visible body dropdowns"
    visible[0].click()
    page.get_by_role("option", name="Trygghetsråd", exact=True).click()
    page.get_by_role("button", name=button).click()
    # attached, not visible: a Gradio table keeps its cell text in hidden wrappers
    page.locator(output).get_by_text(wait_text).first.wait_for(state="attached", timeout=60_000)
    return page.locator(output).text_content()


def test_brief_tab_writes_the_brief(page):
    page.get_by_role("tab", name="Lägesbrev").click()
    page.locator("#brief-council input").first.click()
    page.get_by_role("option", name="Hallstahammar – Trygghetsråd", exact=True).click()
    page.get_by_role("button", name="Skapa lägesbrev").click()
    page.locator("#brief-text").get_by_text("Återkommande frågor").first.wait_for(state="attached", timeout=60_000)
    text = page.locator("#brief-text").text_content()
    for heading in ("Möten", "Öppna uppföljningar", "Personer och roller", "Senaste mötet"):
        assert heading in text
    assert "2021-09-15" in text  # the Hallstahammar meeting is among those covered
    page.screenshot(path=str(ARTIFACTS / "app-brief.png"), full_page=True)


def test_followups_tab_lists_the_promises(page):
    text = _body_tab(page, "Uppföljningar", "Visa uppföljningar", "#followups-table", "2021-09-15")
    assert "Trygghetsråd" in text and ("öppen" in text or "besvarad" in text)
    assert "frågan" in text  # "Vi tar med oss frågan" (Hallstahammar, 2021-09-15)
    page.screenshot(path=str(ARTIFACTS / "app-followups.png"), full_page=True)


def test_topic_explorer_draws_heatmap_and_topic_timeline(page):
    page.get_by_role("tab", name="Ämnen").click()
    page.get_by_label("Organ (ämnesutforskare)").click()
    page.get_by_role("option", name="Trygghetsråd", exact=True).click()
    page.get_by_role("button", name="Visa ämnen över tid").click()
    visible_plots = page.locator(".js-plotly-plot:visible")  # the Sök tab keeps its own, hidden
    visible_plots.first.wait_for(timeout=60_000)
    page.get_by_label("Tidslinje för ett ämne").click()
    page.get_by_role("option", name="Motorburen ungdom", exact=True).click()
    page.get_by_role("button", name="Visa tidslinje").click()
    page.get_by_text("Räknat: punkter som har ämnet.").wait_for(timeout=60_000)
    assert visible_plots.count() >= 2
    page.screenshot(path=str(ARTIFACTS / "app-topics.png"), full_page=True)


SCREENS = Path("/tmp/screens")


def _shot(page, name: str) -> None:
    """Screenshot for people to look at: bench/out and /tmp/screens."""
    for folder in (ARTIFACTS, SCREENS):
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / name), full_page=True)


def test_history_of_one_issue_in_one_council(page):
    page.get_by_role("tab", name="Frågans historia").click()
    page.locator("#hist-council input").first.click()
    page.get_by_role("option", name="Hallstahammar – Trygghetsråd", exact=True).click()
    page.locator("#hist-issue textarea, #hist-issue input").first.fill("motorburen ungdom")
    page.locator("#hist-btn").click()
    history = page.locator("#history")
    history.locator(".entry").first.wait_for(timeout=90_000)
    text = history.inner_text()
    assert "Frågans historia: motorburen ungdom – Hallstahammar – Trygghetsråd" in text
    dates = [d for d in history.locator(".entry time").all_inner_texts()]
    assert dates and dates == sorted(dates, reverse=True) and "2021-09-15" in dates
    # every entry is this council's (the council is named once, in the title); other councils apart, labelled
    assert "Samma fråga i andra råd" in text and "Arboga – Förebyggande rådet" in text.split("Samma fråga i andra råd")[1]
    assert "samma fråga i ett annat råd" in text
    _shot(page, "app-history.png")
    # a click on an entry opens it beside the list, with its meeting facts, and puts it in the address
    history.locator(".entry a.open-item").first.click()
    detail = page.locator("#hist-detail .item-view")
    detail.wait_for(timeout=30_000)
    assert "Hallstahammar – Trygghetsråd" in detail.locator("table.facts").inner_text()
    page.wait_for_url("**item=*", timeout=10_000)
    _shot(page, "app-history-open.png")


def test_click_on_a_hit_opens_it_in_place_with_its_decision(page, app_url):
    page.get_by_role("tab", name="Sök").click()
    page.get_by_label("Sökfråga").fill("skolpliktsuppföljning")
    page.locator("#search-btn").click()
    results = page.locator("#results")
    hit = results.locator(".hit").filter(has_text="Skolpliktsuppföljning").first
    hit.wait_for(timeout=60_000)
    hit.locator(".snippet").click()  # anywhere on the card, not only the title
    view = page.locator("#detail .item-view")
    view.get_by_text("Skolpliktsuppföljning").first.wait_for(timeout=30_000)
    # beside the list, not below it
    list_box, view_box = results.bounding_box(), view.bounding_box()
    assert view_box["x"] > list_box["x"] + list_box["width"] - 5 and view_box["y"] < list_box["y"] + 200
    decision = view.locator(".decision")
    assert decision.locator("h4").first.inner_text().startswith("Beslut")
    assert view.inner_html().index('class="decision"') < view.inner_html().index('class="item-text"')
    facts = view.locator("table.facts").inner_text()
    assert "Kungsbacka" in facts and "fg-2025-10-15-protokoll.md" in facts
    page.wait_for_url("**item=*", timeout=10_000)
    item_id = view.get_attribute("data-item")
    assert f"item={item_id}" in page.url and "q=skolpliktsuppf" in page.url
    _shot(page, "app-open-in-place.png")
    # the whole meeting, the item marked
    page.locator("#open-meeting").click()
    marked = page.locator("#detail .meeting-view .meeting-item.marked")
    marked.wait_for(timeout=30_000)
    assert marked.get_attribute("data-item") == item_id and "vald punkt" in marked.inner_text()
    assert page.locator("#detail .meeting-view .meeting-item").count() > 3
    _shot(page, "app-meeting-marked.png")
    # the address opens the same item for someone else
    other = page.context.browser.new_page(viewport={"width": 1280, "height": 1200})
    other.goto(page.url, wait_until="domcontentloaded")
    shared = other.locator(f'#detail .item-view[data-item="{item_id}"]')
    shared.wait_for(timeout=60_000)
    assert other.locator("#query textarea, #query input").first.input_value() == "skolpliktsuppföljning"
    assert other.locator("#results .hit").count() > 0
    other.close()
