"""The Gradio app in a real headless Chromium: search, see the meeting, open it."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "bench" / "out"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(corpus_settings):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (./run.sh test installs it as root with apt-get)")
    import search_app

    port = _free_port()
    app = search_app.main(settings=corpus_settings, port=port, block=False)
    yield f"http://127.0.0.1:{port}"
    app.close()


@pytest.fixture(scope="module")
def page(app_url):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-dev-shm-usage"],
        )
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
    text = _body_tab(page, "Lägesbrev", "Skapa lägesbrev", "#brief-text", "Återkommande frågor")
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
    page.get_by_text("Omnämnande = punkten har ämnet").wait_for(timeout=60_000)
    assert visible_plots.count() >= 2
    page.screenshot(path=str(ARTIFACTS / "app-topics.png"), full_page=True)
