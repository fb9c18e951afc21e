"""The published site's files: escaping, masking, relative links that resolve, Beslut first, atomic writes."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner

from publish import publish
from publish.easy import SummaryItem, decision_line, lix, shorten, summarise
from publish.site import MARKER, write_site
from radslag.errors import FilterError, RadslagError
from tests.publish.conftest import COUNCIL, EMAIL, PHONE, PNR


class Page(HTMLParser):
    """Every element with its attributes, the ids, and the text of a page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if attrs.get("id"):
            self.ids.add(attrs["id"])

    def handle_data(self, data):
        self.text.append(data)

    def all_text(self) -> str:
        return "".join(self.text)


def pages(site: Path) -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def meeting_page(site: Path, day: str) -> Path:
    found = sorted((site / "meetings").glob(f"{day}-*.html"))
    assert len(found) == 1, found
    return found[0]


def search_index(site: Path) -> dict:
    text = (site / "assets" / "search-index.js").read_text(encoding="utf-8")
    prefix = "window.RADSLAG_INDEX = "
    assert text.startswith(prefix) and text.rstrip().endswith(";")
    return json.loads(text[len(prefix):].rstrip().rstrip(";"))


# -- the files ------------------------------------------------------------------------


def test_site_has_every_page_and_only_this_council(site):
    names = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert {"index.html", "followups.html", "issues/index.html", "assets/style.css", "assets/search.js",
            "assets/search-index.js", MARKER} <= names
    assert len([n for n in names if n.startswith("meetings/")]) == 2
    assert {"issues/trygghetsvandring.html", "issues/motorburen-ungdom.html"} <= names
    everything = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*") if p.is_file())
    assert "Kolbäck" in everything and "zebrafink" not in everything.lower()  # the Arboga council stays out
    index = Page((site / "index.html").read_text(encoding="utf-8"))
    hrefs = [a.get("href") for tag, a in index.tags if tag == "a"]
    meetings = [h for h in hrefs if h.startswith("meetings/")]
    assert meetings[:2] == [meeting_page(site, "2022-03-10").relative_to(site).as_posix(),
                            meeting_page(site, "2021-09-15").relative_to(site).as_posix()]  # newest first


def test_hostile_document_html_appears_as_text(site):
    for path, text in pages(site).items():
        page = Page(text)
        # the site's own search form is the only form, with one text box
        tags = [tag for tag, a in page.tags if not (tag == "form" and a.get("id") == "search-form"
                                                    or tag == "input" and a.get("id") == "q" and a.get("type") == "search")]
        for bad in ("img", "form", "input", "iframe", "video", "audio", "svg", "object", "embed", "style"):
            assert bad not in tags, (path, bad)
        for tag, attrs in page.tags:
            assert "style" not in attrs and not any(k.startswith("on") for k in attrs), (path, tag, attrs)
            if tag == "script":
                assert attrs.get("src", "").endswith((".js",)) and "assets/" in attrs["src"], (path, attrs)
            for key in ("href", "src", "action"):
                assert not (attrs.get(key) or "").lower().startswith("javascript:"), (path, attrs)
    page = meeting_page(site, "2022-03-10").read_text(encoding="utf-8")
    shown = Page(page).all_text()
    # what the attacker wrote is on the page, as text
    assert "Klotter <img src=x onerror=alert(9)> vid stationen" in shown
    assert "<script>alert(1)</script>" in shown
    assert '<img src="http://evil.example/beacon.png">' in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "evil.example" not in "".join(str(a) for _, a in Page(page).tags)


def test_personal_data_masked_everywhere(site):
    for path in site.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            for secret in (PNR, EMAIL, PHONE, "811218"):
                assert secret not in text, (path, secret)
    page = Page(meeting_page(site, "2022-03-10").read_text(encoding="utf-8")).all_text()
    assert "[personnummer]" in page and "[e-post]" in page and "[telefon]" in page
    assert "Anna Svensson" in page  # names of officials are public; only the numbers are masked
    blob = json.dumps(search_index(site), ensure_ascii=False)
    assert "[personnummer]" in blob and PNR not in blob


def test_unmasked_when_asked(publish_settings, tmp_path):
    report = publish(publish_settings, COUNCIL, tmp_path / "open", mask=False)
    assert not report.masked
    text = meeting_page(tmp_path / "open", "2022-03-10").read_text(encoding="utf-8")
    assert PNR in text and EMAIL in text


def test_links_are_relative_and_resolve(site):
    checked = 0
    for path, text in pages(site).items():
        page = Page(text)
        for tag, attrs in page.tags:
            for key in ("href", "src"):
                url = attrs.get(key)
                if url is None or (tag == "meta"):
                    continue
                parts = urlsplit(url)
                assert not parts.scheme and not parts.netloc and not url.startswith("/"), (path, url)
                target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
                assert target.is_file(), (path, url)
                assert site.resolve() in target.parents, (path, url)  # never outside the site
                if parts.fragment and target.suffix == ".html":
                    assert parts.fragment in Page(target.read_text(encoding="utf-8")).ids, (path, url)
                checked += 1
    assert checked > 50
    for entry in search_index(site)["entries"]:
        parts = urlsplit(entry["u"])
        assert not parts.scheme and (site / parts.path).is_file()
        assert parts.fragment in Page((site / parts.path).read_text(encoding="utf-8")).ids


def test_decision_comes_first_in_item_and_summary(site):
    page = meeting_page(site, "2022-03-10").read_text(encoding="utf-8")
    article = re.search(r'<article class="item" id="punkt-1">.*?</article>', page, re.S).group()
    decision = article.index('class="decision"')
    intro = article.index("Rådet diskuterade trygghetsvandringen")
    assert decision < intro
    assert "Rådet beslutar att genomföra en ny trygghetsvandring i Kolbäck i maj." in article[decision:intro]
    easy = re.search(r'<section class="easy".*?</section>', page, re.S).group()
    first = Page(easy).all_text().split("Beslut:", 1)
    assert len(first) == 2 and first[1].strip().startswith("Rådet beslutar att genomföra en ny trygghetsvandring")
    assert "Inga övriga frågor" not in easy  # procedure stays out of the summary


def test_issue_history_links_to_the_items(site):
    issues = Page((site / "issues" / "index.html").read_text(encoding="utf-8"))
    assert "Trygghetsvandring" in issues.all_text()
    history = Page((site / "issues" / "trygghetsvandring.html").read_text(encoding="utf-8"))
    links = [a["href"] for tag, a in history.tags if tag == "a" and a.get("href", "").startswith("../meetings/")]
    target = "../meetings/" + meeting_page(site, "2022-03-10").name + "#punkt-1"
    assert target in links
    assert "2022-03-10" in history.all_text()


def test_open_followups_listed_with_their_meeting(site):
    page = Page((site / "followups.html").read_text(encoding="utf-8"))
    assert "Vi återkommer med en lägesbild till nästa möte." in page.all_text()
    hrefs = [a["href"] for tag, a in page.tags if tag == "a"]
    assert any(h.startswith("meetings/" + meeting_page(site, "2022-03-10").name + "#punkt-2") for h in hrefs)


def test_english_site(publish_settings, tmp_path):
    publish(publish_settings, COUNCIL, tmp_path / "en", lang="en")
    text = (tmp_path / "en" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in text and "Open follow-ups" in text and "Öppna uppföljningar" not in text
    assert search_index(tmp_path / "en")["strings"]["none"] == "No matches."


def test_unknown_council_names_the_closest(publish_settings, tmp_path):
    with pytest.raises(FilterError) as err:
        publish(publish_settings, "Hallstahamar", tmp_path / "x")
    assert "Hallstahammar – Trygghetsråd" in str(err.value)
    assert not (tmp_path / "x").exists()


def test_display_name_accepted(publish_settings, tmp_path):
    report = publish(publish_settings, "Hallstahammar – Trygghetsråd", tmp_path / "y")
    assert report.council_key == COUNCIL and report.items > 5


# -- atomic output -------------------------------------------------------------------


def test_foreign_folder_refused_and_untouched(publish_settings, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.docx").write_text("important", encoding="utf-8")
    with pytest.raises(RadslagError, match="radslag publish"):
        publish(publish_settings, COUNCIL, out)
    assert [p.name for p in out.iterdir()] == ["thesis.docx"]


def test_republish_replaces_the_old_site(publish_settings, tmp_path):
    out = tmp_path / "site"
    publish(publish_settings, COUNCIL, out)
    (out / "meetings" / "stale.html").write_text("old", encoding="utf-8")
    publish(publish_settings, COUNCIL, out)
    assert not (out / "meetings" / "stale.html").exists() and (out / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no temporary folders left


def test_failed_write_keeps_the_old_site(tmp_path):
    out = tmp_path / "site"
    write_site({"index.html": "v1", MARKER: "x\n"}, out)
    with pytest.raises(ValueError):
        write_site({"index.html": "v2", "bad\0name.html": "x", MARKER: "x\n"}, out)
    assert (out / "index.html").read_text() == "v1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


# -- command line --------------------------------------------------------------------


def test_cli_publish(publish_settings, tmp_path):
    from radslag.cli import cli

    out = tmp_path / "cli-site"
    runner = CliRunner()
    res = runner.invoke(cli, ["publish", COUNCIL, "-o", str(out), "--archive", str(publish_settings.archive_dir)])
    assert res.exit_code == 0, res.output
    assert "3 möten" not in res.output and "2 möten" in res.output and (out / "index.html").is_file()
    bad = runner.invoke(cli, ["publish", "Hallstahamar", "-o", str(tmp_path / "z"), "--archive",
                              str(publish_settings.archive_dir)])
    assert bad.exit_code == 1 and "Hallstahammar – Trygghetsråd" in bad.output


# -- lätt svenska ----------------------------------------------------------------------


def test_decision_lead_in_joined_with_its_point():
    item = SummaryItem("punkt-1", "Resursfördelning", "Nämnden beslutar att:\n\n1. Godkänna modellen för 2026.\n\n"
                       "2. Ge förvaltningen i uppdrag att följa upp.", "")
    assert decision_line(item) == "Nämnden beslutar att godkänna modellen för 2026."


def test_changing_decisions_before_noting_ones_and_procedure_left_out():
    items = [
        SummaryItem("punkt-1", "Val av justerare", "Rådet beslutar att välja Per som justerare.", ""),
        SummaryItem("punkt-2", "Information", "Nämnden har tagit del av informationen.", ""),
        SummaryItem("punkt-3", "Ansökan om bidrag", "Nämnden avslår ansökan om bidrag till festivalen.", ""),
        SummaryItem("punkt-4", "Lägesbild", None, "Polisen berättade om läget. Inbrotten i Kolbäck har minskat "
                    "sedan grannsamverkan startade. Grannsamverkan finns nu i tre områden i Kolbäck. Det var allt."),
    ]
    lines = summarise(items)
    assert [(x.kind, x.anchor) for x in lines] == [("beslut", "punkt-3"), ("beslut", "punkt-2"),
                                                  ("punkt", "punkt-4")]
    assert "Kolbäck" in lines[2].text


def test_plainness_measures():
    assert lix("Vi ses i maj. Det blir bra.") < 20 < lix("Förvaltningsövergripande samverkansöverenskommelser "
                                                        "implementerades organisationsgemensamt.")
    assert shorten(" ".join(["ord"] * 40), 30).endswith("…") and len(shorten(" ".join(["ord"] * 40), 30).split()) == 31


# -- the real corpus, enriched by the real models -------------------------------------------


@pytest.mark.slow
def test_corpus_councils_publish_with_histories_and_decisions(corpus_settings, tmp_path):
    report = publish(corpus_settings, "Hallstahammar – Trygghetsråd", tmp_path / "hh")
    assert report.issues > 0 and report.meetings == 2
    test_links_are_relative_and_resolve(tmp_path / "hh")
    for page in (tmp_path / "hh" / "issues").glob("*.html"):
        if page.name != "index.html":
            links = [a["href"] for tag, a in Page(page.read_text(encoding="utf-8")).tags if tag == "a"]
            assert any(h.startswith("../meetings/") for h in links), page  # each history reaches its items

    # Kungsbacka's minutes have a Beslut section in every item: decisions lead each summary.
    report = publish(corpus_settings, "Kungsbacka – Nämnden för Förskola & Grundskola", tmp_path / "kb")
    page = next((tmp_path / "kb" / "meetings").glob("*.html")).read_text(encoding="utf-8")
    easy = Page(re.search(r'<section class="easy".*?</section>', page, re.S).group())
    lines = [a.get("class") for tag, a in easy.tags if tag == "li"]
    assert lines[:3] == ["beslut"] * 3
    assert page.count('class="decision"') >= 10
