"""The published site opened from disk (file://) in a real headless Chromium: search it, follow a hit."""

from __future__ import annotations

import pytest

from tests.browser import ARTIFACTS, launch, need_chromium

pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="module")
def browser_page(site):
    need_chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    requests: list[str] = []
    problems: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        page.on("request", lambda r: requests.append(r.url))
        # a blocked script or style (CSP) or a script error shows here
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto((site / "index.html").as_uri(), wait_until="load")
        yield page, requests, problems
        browser.close()


def test_search_from_disk_finds_the_meeting(browser_page, site):
    page, requests, problems = browser_page
    box = page.get_by_label("Sök i protokollen")
    box.fill("trygghetsvandring kolbäck")
    page.locator("#search-form button").click()
    results = page.locator("#search-results")
    results.get_by_text("Trygghetsvandring i Kolbäck").first.wait_for(timeout=10_000)
    first = results.locator("li").first
    assert "2022-03-10" in first.inner_text()
    assert "1 träff" in page.locator("#search-status").inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "publish-search.png"), full_page=True)

    box.fill("motorburen ungdom")  # typing searches as well
    results.get_by_text("2021-09-15").first.wait_for(timeout=10_000)
    assert "2022-03-10" not in results.inner_text()

    box.fill("trygghetsvandring kolbäck")
    results.locator("a").first.click()
    page.wait_for_url("**/meetings/2022-03-10-*.html#punkt-1")
    heading = page.locator("#punkt-1 h3").inner_text()
    assert heading == "1. Trygghetsvandring i Kolbäck"
    # the hostile item is text on the page, and nothing covers it
    assert page.locator("img, form[action], iframe, video, audio, svg").count() == 0
    assert "<script>alert(1)</script>" in page.locator("#punkt-2").inner_text()
    page.screenshot(path=str(ARTIFACTS / "publish-meeting.png"), full_page=True)

    assert requests and all(url.startswith("file://") for url in requests), [u for u in requests
                                                                           if not u.startswith("file://")]
    assert not problems, problems


def test_search_from_another_page_via_query(browser_page, site):
    page, requests, problems = browser_page
    page.goto((site / "index.html").as_uri() + "?q=klotter", wait_until="load")
    results = page.locator("#search-results")
    results.get_by_text("vid stationen").first.wait_for(timeout=10_000)
    assert page.get_by_label("Sök i protokollen").input_value() == "klotter"
    assert all(url.startswith("file://") for url in requests)
    assert not problems, problems
