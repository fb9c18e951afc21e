"""Adding minutes from the browser, in a real headless Chromium, on a small archive of its own.

The app starts on an empty archive (no models: keyword search), so the
uploads are all it holds and the tests need not ingest the bundled corpus.
"""

from __future__ import annotations

import re

import pytest

from tests.browser import ARTIFACTS, free_port, launch, need_chromium

pytestmark = [pytest.mark.slow, pytest.mark.browser]

MINUTES = """Protokoll Trygghetsrådet i Ljusdal {date}

1. Klotter vid stationen
Klotter vid stationen har ökat. Kommunen sanerar inom ett dygn.

2. Trygghetsvandring
En trygghetsvandring i {month} planeras med polisen.
"""


@pytest.fixture(scope="module")
def add_page(tmp_path_factory):
    need_chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    import search_app
    from radslag.config import load_settings

    root = tmp_path_factory.mktemp("add")
    settings = load_settings(archive_dir=root / "archive", embed=False, enrich=False)
    port = free_port()
    app = search_app.main(settings=settings, port=port, corpus=root / "no-corpus", block=False)
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1280, "height": 1400})
        page.goto(f"http://127.0.0.1:{port}", wait_until="domcontentloaded")
        page.get_by_label("Sökfråga").wait_for(timeout=60_000)
        yield page, root
        browser.close()
    app.close()


def _upload(page, paths) -> str:
    """Choose ``paths`` in the add tab, press the button, return the report's text once it is there."""
    page.get_by_role("tab", name="Lägg till protokoll").click()
    page.locator("#add-files input[type=file]").set_input_files([str(p) for p in paths])
    for p in paths:  # uploaded and listed (by its stem: the suffix is shown apart)
        page.locator("#add-files").get_by_text(p.stem).first.wait_for(state="attached", timeout=30_000)
    report = page.locator("#add-report")
    before = report.inner_text()
    page.locator("#add-btn").click()
    page.wait_for_function("(old) => { const r = document.querySelector('#add-report .ingest-report');"
                           " return r && r.innerText !== old; }", arg=before, timeout=120_000)
    assert page.locator("#add-files").get_by_text(paths[0].stem).count() == 0  # emptied for the next batch
    return report.locator(".ingest-report").inner_text()


def _options(page, label: str) -> list[str]:
    """The choices of the visible dropdown labelled ``label`` (opened, read, closed)."""
    boxes = page.get_by_label(label, exact=True)
    for _ in range(150):  # an accordion or tab just clicked may still be opening
        visible = [boxes.nth(i) for i in range(boxes.count()) if boxes.nth(i).is_visible()]
        if visible:
            break
        page.wait_for_timeout(200)
    else:
        raise AssertionError(f"no visible dropdown labelled {label!r}")
    visible[0].click()
    page.get_by_role("option").first.wait_for(timeout=30_000)
    options = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    return options


def test_two_uploads_show_in_pickers_and_search_without_restart(add_page):
    page, root = add_page
    page.get_by_role("tab", name="Sök").click()
    page.get_by_text("Filter och sortering").click()
    assert "Ljusdal" not in _options(page, "Kommun")
    files = []
    for date, month in (("2024-03-12", "april"), ("2024-05-14", "juni")):
        path = root / "uploads" / f"ljusdal-trygghetsrad-{date}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(MINUTES.format(date=date, month=month), encoding="utf-8")
        files.append(path)
    text = _upload(page, files)
    assert "ljusdal-trygghetsrad-2024-03-12.txt" in text and "ljusdal-trygghetsrad-2024-05-14.txt" in text
    assert "Klart: 2 inlästa" in text and "inbox" not in text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "app-add.png"), full_page=True)
    # the same page, no reload: the pickers know the new council, search finds the new items
    page.get_by_role("tab", name="Sök").click()
    assert "Ljusdal" in _options(page, "Kommun")
    page.get_by_role("tab", name="Frågans historia").click()
    assert any(option.startswith("Ljusdal – ") for option in _options(page, "Råd"))
    page.get_by_role("tab", name="Sök").click()
    page.get_by_label("Sökfråga").fill("klotter vid stationen")
    page.locator("#search-btn").click()
    hits = page.locator("#results .hit")
    hits.first.wait_for(timeout=60_000)
    metas = " ".join(hits.locator(".meta").all_inner_texts())
    assert "2024-03-12" in metas and "2024-05-14" in metas and "Ljusdal" in metas


def test_a_bad_upload_is_reported_by_name(add_page):
    page, root = add_page
    folder = root / "bad"
    folder.mkdir()
    broken_zip = folder / "paket.zip"
    broken_zip.write_bytes(b"PK\x03\x04 inte en riktig zip")
    fake_pdf = folder / "protokoll-2024-06-11.pdf"
    fake_pdf.write_bytes(b"det har ar ingen pdf")
    text = _upload(page, [broken_zip, fake_pdf])
    assert "paket.zip: zip-filen är trasig och kunde inte packas upp." in text
    assert "protokoll-2024-06-11.pdf" in text and re.search(r"Klart: 0 inlästa, .*\b1 misslyckad\b", text), text
    assert "ljusdal" not in text  # only this batch
    assert "Traceback" not in text
    bad = page.locator("#add-report li.error")
    assert bad.count() >= 2  # both shown as errors
    page.screenshot(path=str(ARTIFACTS / "app-add-bad.png"), full_page=True)


def _upload_box_text(page) -> str:
    page.get_by_role("tab", name=re.compile("Lägg till protokoll|Add minutes")).click()
    box = page.locator("#add-files")
    box.wait_for(timeout=30_000)
    return box.inner_text()


def test_upload_box_speaks_the_apps_language_whatever_the_browsers(add_page, tmp_path):
    """Gradio draws the upload box's words by the browser's language; the app's language wins."""
    page, root = add_page
    text = _upload_box_text(page)  # a Swedish app in Chromium's default (English) locale
    assert "Släpp filer här" in text and "eller" in text and "Klicka för att välja filer" in text, text
    assert "Drop File Here" not in text and "Click to Upload" not in text, text
    import search_app
    from radslag.config import load_settings

    settings = load_settings(archive_dir=root / "archive", embed=False, enrich=False, language="en")
    port = free_port()
    app = search_app.main(settings=settings, port=port, corpus=root / "no-corpus", block=False)
    try:
        context = page.context.browser.new_context(locale="sv-SE")  # an English app in a Swedish browser
        english = context.new_page()
        english.goto(f"http://127.0.0.1:{port}", wait_until="domcontentloaded")
        english.get_by_label("Search query").wait_for(timeout=60_000)
        text = _upload_box_text(english)
        assert "Drop File Here" in text and "Click to Upload" in text, text
        assert "Släpp" not in text and "Klicka" not in text, text
        context.close()
    finally:
        app.close()
