"""The Gradio app in a real headless Chromium: search, see the meeting, open it."""

from __future__ import annotations

import re
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
    # the timeline is drawn by Plotly after the results: its bars, not only its frame
    page.locator(".js-plotly-plot .bars path").first.wait_for(timeout=30_000)
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
    visible_plots.nth(1).wait_for(timeout=30_000)  # Plotly draws after the note is shown
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
    # the original file, served by the app: a text file as it is, a PDF at the item's page
    link = page.locator("#original a.original")
    assert "fg-2025-10-15-protokoll.md" in link.inner_text() and link.get_attribute("href") == f"original/{item_id}"
    got = page.request.get(f"{app_url}/original/{item_id}")
    assert got.ok and "Skolpliktsuppföljning" in got.text()
    pdf_hit = results.locator(".hit").filter(has_text="alingsas_barn-och-ungdomsnamnden").first
    pdf_hit.locator(".snippet").click()
    page.locator("#detail .item-view").filter(has_text="Alingsås").wait_for(timeout=30_000)
    href = link.get_attribute("href")
    assert re.fullmatch(r"original/\d+#page=\d+", href), href
    pdf = page.request.get(f"{app_url}/{href.split('#')[0]}")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:5] == b"%PDF-"
    hit.locator(".snippet").click()  # back to the first hit
    view.filter(has_text="Kungsbacka").wait_for(timeout=30_000)
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


#: The interface's own text on screen: tabs, buttons, labels, notes, table headers, plot titles, inputs.
#: Document text (snippets, items, meeting entries, hit facts, legends) is left out: it is the minutes' own.
CHROME_JS = """
() => {
  const shown = el => el.getClientRects().length > 0;
  const content = '.item-text, .snippet, .decision p, .meeting-item, .topics, .meta, td, .entry h4, .hit h4, .history-title, .item-view h3, .meeting-view h3, option';
  const out = [];
  document.querySelectorAll('button, [role=tab], label, th, .count, .note, .rule, h1, h2, h4, p, a.original, .gtitle, .xtitle, .ytitle, .legendtitletext')
    .forEach(el => { if (shown(el) && !el.closest(content)) out.push(el.innerText || el.textContent || ''); });
  // values too ("(all)" in a picker), but not the opened hit's name: that is the minutes' own
  document.querySelectorAll('textarea, input[type=text], input:not([type])')
    .forEach(el => { if (shown(el) && !el.closest('[id$=pick]')) out.push(el.placeholder || '', el.value || ''); });
  return out.filter(s => s.trim());
}
"""
#: Swedish interface words that must not show in the English interface.
SWEDISH_WORDS = {"och", "att", "för", "med", "sök", "sökfråga", "visa", "välj", "alla", "inga", "möte", "mötet",
                 "möten", "punkt", "punkter", "datum", "ladda", "kommun", "organ", "råd", "ämne", "ämnen", "träffar",
                 "träff", "sökt", "nyckelord", "semantik", "tidslinje", "originalfilen", "lägesbrev", "uppföljningar",
                 "arkivet", "sortering", "sida", "sidor", "okänt", "besvarad", "öppen", "frågans", "historia", "tid",
                 "plats", "ordförande", "typ", "beslut", "klicka", "här", "sidorna", "laddar", "modellen"}
#: What the Swedish interface showed in English or jargon (issue 11, point 6), as patterns.
ENGLISH_IN_SWEDISH = (r"\b(keyword|dense|hybrid)\b", r"\bPlot\b", r"item_topics", r"\bcosin", r"\b1 (möten|punkter|träffar)\b",
                      r"\{'", r"\(0[.,]\d+\)", r"(?m)^\d+\. \d+\. ", r"\b(Search|Show|Download|Date|Council)\b")


def _english_leftovers(texts: list[str]) -> list[str]:
    import re

    bad = []
    for text in texts:
        rest = text.replace("Rådslag", "")
        words = {w.casefold() for w in re.findall(r"[^\W\d_]+", rest)}
        if words & SWEDISH_WORDS or re.search(r"[åäöÅÄÖ]", rest):
            bad.append(text)
    return bad


def _plot_texts(page) -> str:
    return " ".join(page.locator(".js-plotly-plot:visible").all_text_contents())


def test_swedish_ui_has_none_of_the_english_words(page):
    import re

    page.get_by_role("tab", name="Sök").click()
    page.get_by_label("Sökfråga").fill("motorburen ungdom")
    page.locator("#search-btn").click()
    page.locator("#results .hit").first.wait_for(timeout=60_000)
    page.locator(".js-plotly-plot:visible").first.wait_for(timeout=60_000)
    page.locator("#results .hit .snippet").first.click()
    page.locator("#detail .item-view").wait_for(timeout=30_000)
    texts = [page.locator("body").inner_text(), _plot_texts(page)]
    for tab in ("Frågans historia", "Ämnen", "Uppföljningar", "Arkivet", "Lägg till protokoll"):
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(300)
        texts += [page.locator("body").inner_text(), _plot_texts(page)]
    text = "\n".join(texts)
    found = [m.group(0) for pattern in ENGLISH_IN_SWEDISH for m in re.finditer(pattern, text)]
    assert not found, found
    assert "sökt med nyckelord och semantik" in text  # the search said how it ran, in Swedish
    page.get_by_role("tab", name="Sök").click()


@pytest.fixture(scope="module")
def page_en(page, corpus_settings):
    """The same archive in an English app (``--lang en``), in a new page of the same browser."""
    import search_app

    port = free_port()
    app = search_app.main(settings=corpus_settings.with_(language="en"), port=port, block=False)
    english = page.context.browser.new_page(viewport={"width": 1280, "height": 1600})
    english.goto(f"http://127.0.0.1:{port}", wait_until="domcontentloaded")
    english.get_by_label("Search query").wait_for(timeout=60_000)
    yield english
    english.close()
    app.close()


def test_english_ui_has_no_swedish_left(page_en):
    page = page_en
    texts = page.evaluate(CHROME_JS)
    page.get_by_text("Filters and order").click()
    page.get_by_label("Search query").fill("motorburen ungdom")
    page.locator("#search-btn").click()
    page.locator("#results .hit").first.wait_for(timeout=60_000)
    page.locator(".js-plotly-plot:visible").first.wait_for(timeout=60_000)
    page.locator("#results .hit .snippet").first.click()
    page.locator("#detail .item-view table.facts").wait_for(timeout=30_000)
    assert "searched by" in page.locator("#results .count").inner_text()
    texts += page.evaluate(CHROME_JS)
    _shot(page, "app-search-en.png")
    page.locator("#open-meeting").click()
    page.locator("#detail .meeting-view").wait_for(timeout=30_000)
    texts += page.evaluate(CHROME_JS)
    page.get_by_role("tab", name="Issue history").click()
    page.locator("#hist-issue textarea, #hist-issue input").first.fill("motorburen ungdom")
    page.locator("#hist-btn").click()
    page.locator("#history .entry").first.wait_for(timeout=90_000)
    texts += page.evaluate(CHROME_JS)
    _shot(page, "app-history-en.png")
    for tab in ("Topics", "Catch-up brief", "Follow-ups", "Saved searches", "Compare municipalities", "Archive",
                "Add minutes"):
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(300)
        texts += page.evaluate(CHROME_JS)
    assert len(texts) > 40  # the interface was read, tab by tab
    leftovers = _english_leftovers(texts)
    assert not leftovers, leftovers


def test_no_answer_says_so_and_shows_the_nearest_only_when_asked(page):
    page.get_by_label("Sökfråga").fill("insatser mot hemlöshet")
    page.locator("#search-btn").click()
    results = page.locator("#results")
    results.get_by_text("Inga träffar.").wait_for(timeout=60_000)
    assert results.locator(".hit").count() == 0 and "Närmast under relevansgränsen" not in results.inner_text()
    accordion = page.get_by_text("Filter och sortering")
    if not page.get_by_label("Visa de närmaste när inget når relevansgränsen").is_visible():
        accordion.click()
    page.get_by_label("Visa de närmaste när inget når relevansgränsen").check()
    page.locator("#search-btn").click()
    results.get_by_text("Närmast under relevansgränsen").wait_for(timeout=60_000)
    assert "Inga träffar." in results.inner_text() and 1 <= results.locator(".hit").count() <= 3
    _shot(page, "app-nearest.png")
    page.get_by_label("Visa de närmaste när inget når relevansgränsen").uncheck()
