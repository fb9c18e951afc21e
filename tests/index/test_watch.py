"""Saved searches: new items only, relevance, filters, re-ingests, the ingest hook, Atom feeds, e-mail digests.

Archives are real SQLite files built here; query watches run in keyword mode
(no model), so the relevance rule under test is "every query term". The
e-mail digest goes through a real SMTP exchange with aiosmtpd on 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import email
import hashlib
import socket
import xml.etree.ElementTree as ET
from email import policy

import pytest

from index.atom import ATOM_NS, watch_feed, xml_text
from index.store import Archive
from index.watch import add_watch, after_ingest, feed_url, item_url, remove_watch, run_watches, send_digest, why
from radslag.errors import RadslagError
from radslag.types import AgendaItem, Document, Filters, MeetingMeta, TopicTag

A = f"{{{ATOM_NS}}}"


def _meeting(archive, source, date, items, municipality="Hallstahammar", body="Trygghetsråd"):
    text = "\n\n".join(f"{t}\n{b}" for t, b in items)
    doc = Document(source=source, text=text, reader="txt",
                   content_hash=hashlib.sha256((source + text).encode()).hexdigest())
    meta = MeetingMeta(kind="minutes", body=body, municipality=municipality, date=dt.date.fromisoformat(date))
    agenda = [AgendaItem(number=str(n), title=t, text=b, start=0, end=1) for n, (t, b) in enumerate(items, 1)]
    mid, _, _ = archive.write_document(doc, meta, agenda)
    return mid


@pytest.fixture()
def settings(tmp_settings):
    return tmp_settings.with_(base_url="http://radslag.example:7860")


@pytest.fixture()
def archive(settings):
    arc = Archive(settings.db_path)
    _meeting(arc, "m1.txt", "2021-01-20", [("Lägesbild", "Buskörning med epatraktorer vid torget."),
                                           ("Klotter", "Klotter på skolan.")])
    yield arc
    arc.close()


def _titles(alerts):
    return sorted(a.title for a in alerts)


def test_only_items_stored_after_saving_alert(archive, settings):
    watch = add_watch(archive, query="epatraktorer", mode="keyword")
    first = run_watches(archive, settings)
    assert first[0].alerts == [] and first[0].checked == 0  # the archive's items are history

    _meeting(archive, "m2.txt", "2021-02-25", [("Trafik", "Fler epatraktorer och hög musik."),
                                               ("Övrigt", "Inget att rapportera.")])
    run = run_watches(archive, settings)[0]
    assert run.checked == 2
    assert _titles(run.alerts) == ["Trafik"]
    alert = run.alerts[0]
    assert alert.reason in ("cutoff", "terms") and alert.date == "2021-02-25" and alert.municipality == "Hallstahammar"
    # keyword mode: no similarity to show, and no fused rank score either
    assert why(alert) in ("Alla sökord finns i punkten.", "Över sökningens relevansgräns: sökorden finns i punkten.")
    assert "epatraktorer" in alert.snippet
    assert archive.watch(watch.id).alert_count == 1

    assert run_watches(archive, settings)[0].alerts == []  # a second check adds nothing
    assert len(archive.alerts(watch.id)) == 1


def test_a_hit_must_be_relevant_not_just_found(archive, settings):
    # one of three query terms passes neither the search's cutoff (half the terms) nor "every term"
    add_watch(archive, query="klotter skolan stationen", mode="keyword")
    _meeting(archive, "m2.txt", "2021-03-01", [("Klotter", "Klotter i tunneln."),
                                               ("Skolan", "Klotter på skolan och vid stationen igen.")])
    run = run_watches(archive, settings)[0]
    assert _titles(run.alerts) == ["Skolan"] and run.alerts[0].reason in ("cutoff", "terms")


def test_filters_of_the_saved_search_apply(archive, settings):
    add_watch(archive, query="epatraktorer", mode="keyword", filters=Filters(municipality="Hallstahammar"))
    _meeting(archive, "v1.txt", "2021-03-01", [("Lägesbild", "Epatraktorer i Västerås.")], municipality="Västerås")
    _meeting(archive, "h2.txt", "2021-03-02", [("Lägesbild", "Epatraktorer vid skolan.")])
    alerts = run_watches(archive, settings)[0].alerts
    assert [a.municipality for a in alerts] == ["Hallstahammar"]


def test_reingested_file_does_not_alert_twice(archive, settings):
    watch = add_watch(archive, query="epatraktorer", mode="keyword")
    _meeting(archive, "m2.txt", "2021-02-25", [("Trafik", "Fler epatraktorer.")])
    assert len(run_watches(archive, settings)[0].alerts) == 1
    # The same file written again (a changed sidecar, say): new item ids, the same item.
    mid = _meeting(archive, "m2.txt", "2021-02-25", [("Trafik", "Fler epatraktorer.")])
    assert run_watches(archive, settings, new_item_ids=archive.item_ids(mid))[0].alerts == []
    old = archive.alerts(watch.id)[0]
    assert old.item_id is None and old.title == "Trafik"  # the alert outlives its item
    # A corrected title is a new item.
    mid = _meeting(archive, "m2.txt", "2021-02-25", [("Trafik och buskörning", "Fler epatraktorer.")])
    assert _titles(run_watches(archive, settings, new_item_ids=archive.item_ids(mid))[0].alerts) == \
        ["Trafik och buskörning"]


def test_topic_watch_needs_enrichment(archive, settings):
    watch = add_watch(archive, filters=Filters(topic="motorburen-ungdom"))
    assert watch.query is None and watch.name == "Motorburen ungdom"
    mid = _meeting(archive, "m2.txt", "2021-02-25", [("Trafik", "Fler epatraktorer."), ("Övrigt", "Inget.")])
    ids = archive.item_ids(mid)
    waiting = run_watches(archive, settings)[0]  # tmp_settings: enrichment off
    assert waiting.alerts == [] and waiting.notes
    assert archive.watch(watch.id).last_item_id == watch.last_item_id  # not skipped for good
    archive.write_enrichment(ids[0], [], [TopicTag("motorburen-ungdom", "Motorburen ungdom", 0.91)])
    run = run_watches(archive, settings.with_(enrich=True))[0]
    assert _titles(run.alerts) == ["Trafik"] and run.alerts[0].reason == "topic" and run.alerts[0].score == 0.91


def test_add_and_remove_errors_name_the_problem(archive):
    with pytest.raises(RadslagError, match="sökfråga eller ett ämne"):
        add_watch(archive, query="   ")
    with pytest.raises(RadslagError, match="'fuzzy'"):
        add_watch(archive, query="klotter", mode="fuzzy")
    with pytest.raises(RadslagError, match="'nobody'"):
        add_watch(archive, query="klotter", email="nobody")
    w = add_watch(archive, query="klotter")
    with pytest.raises(RadslagError, match="nummer 99"):
        remove_watch(archive, 99)
    assert remove_watch(archive, w.id).name == "klotter" and archive.watches() == []
    # ids are never reused: an old feed URL cannot come to mean another search
    assert add_watch(archive, query="belysning").id == w.id + 1


def test_after_ingest_hook_through_the_pipeline(settings, tmp_path):
    from ingest.pipeline import ingest_paths

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "jan.txt").write_text("Hallstahammars trygghetsråd 2021-01-20\n\n1. Klotter\n\nKlotter vid torget.\n",
                                    encoding="utf-8")
    assert not ingest_paths([str(folder)], settings).notes
    with Archive(settings.db_path) as arc:
        watch = add_watch(arc, query="motorburen ungdom", mode="keyword")
    (folder / "feb.txt").write_text(
        "Hallstahammars trygghetsråd 2021-02-25\n\n1. Motorburen ungdom\n\nMotorburen ungdom kör runt torget."
        "\n\n2. Övrigt\n\nInget.\n", encoding="utf-8")
    report = ingest_paths([str(folder)], settings)
    assert any("1 nya träffar" in n for n in report.notes), report.notes
    with Archive(settings.db_path) as arc:
        assert _titles(arc.alerts(watch.id)) == ["Motorburen ungdom"]


def test_after_ingest_failure_is_a_note(archive, settings):
    add_watch(archive, query="epatraktorer", mode="dense")  # no vector index: dense search cannot run
    mid = _meeting(archive, "m2.txt", "2021-02-25", [("Trafik", "Fler epatraktorer.")])
    notes = after_ingest(archive, settings, [mid])
    assert notes and "kunde inte kontrolleras" in notes[0]


# -- Atom -------------------------------------------------------------------------------


def _feed(archive, settings, watch):
    return ET.fromstring(watch_feed(archive.watch(watch.id), archive.alerts(watch.id), settings))


def test_feed_is_valid_atom_with_escaped_text(archive, settings):
    watch = add_watch(archive, query="epatraktorer", mode="keyword")
    nasty = 'Epatraktorer <script>alert("x")</script> & "Bråk" \x0c\x01'
    _meeting(archive, "m&2.txt", "2021-02-25", [(nasty, "Fler epatraktorer & <b>buller</b>.")])
    run_watches(archive, settings)
    raw = watch_feed(archive.watch(watch.id), archive.alerts(watch.id), settings)
    assert raw.startswith(b"<?xml") and b"<script>" not in raw
    root = ET.fromstring(raw)  # parses: text escaped, control characters dropped
    assert root.tag == f"{A}feed"
    for tag in ("id", "title", "updated", "author"):
        assert root.find(f"{A}{tag}") is not None, tag
    assert root.find(f"{A}id").text == f"urn:uuid:{watch.uid}"
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{A}link")}
    assert links["self"] == feed_url(settings, watch.id) == f"http://radslag.example:7860/feeds/{watch.id}.atom"
    entries = root.findall(f"{A}entry")
    assert len(entries) == 1
    entry = entries[0]
    for tag in ("id", "title", "updated", "summary", "link"):
        assert entry.find(f"{A}{tag}") is not None, tag
    assert entry.find(f"{A}id").text.startswith("urn:uuid:")
    assert nasty.replace("\x0c", "").replace("\x01", "") in entry.find(f"{A}title").text
    assert "& <b>buller</b>" in entry.find(f"{A}summary").text
    alert = archive.alerts(watch.id)[0]
    assert entry.find(f"{A}link").get("href") == item_url(settings, alert.item_id)
    dt.datetime.strptime(entry.find(f"{A}updated").text, "%Y-%m-%dT%H:%M:%SZ")


def test_feed_reads_in_a_feed_reader_library(archive, settings):
    feedparser = pytest.importorskip("feedparser", reason="feedparser not installed (pip install -e .[test])")
    watch = add_watch(archive, query="epatraktorer", mode="keyword")
    _meeting(archive, "m2.txt", "2021-02-25", [("Trafik & <buller>", "Fler epatraktorer.")])
    _meeting(archive, "m3.txt", "2021-03-25", [("Torget", "Epatraktorer igen.")])
    run_watches(archive, settings)
    parsed = feedparser.parse(watch_feed(archive.watch(watch.id), archive.alerts(watch.id), settings))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title == "Rådslag: epatraktorer"
    assert sorted(e.title.split(" · ")[-1] for e in parsed.entries) == ["1. Torget", "1. Trafik & <buller>"]
    assert all(e.link.startswith("http://radslag.example:7860/?item=") for e in parsed.entries)


def test_xml_text_drops_what_xml_cannot_hold():
    assert xml_text("a\x00b\x0bc\ud800d\tok\n") == "abcd\tok\n"


def test_replaced_item_entry_carries_content(archive, settings):
    watch = add_watch(archive, query="epatraktorer", mode="keyword")
    _meeting(archive, "m2.txt", "2021-02-25", [("Trafik", "Fler epatraktorer.")])
    run_watches(archive, settings)
    _meeting(archive, "m2.txt", "2021-02-25", [("Trafik", "Fler epatraktorer.")])  # item replaced
    entry = _feed(archive, settings, watch).find(f"{A}entry")
    assert entry.find(f"{A}link") is None and "epatraktorer" in entry.find(f"{A}content").text


# -- e-mail -----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def smtp_server():
    controller_mod = pytest.importorskip("aiosmtpd.controller", reason="aiosmtpd not installed (pip install -e .[test])")

    class Inbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
            return "250 OK"

    inbox = Inbox()
    controller = controller_mod.Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield controller.port, inbox
    finally:
        controller.stop()


def test_digest_goes_out_over_smtp_with_the_new_items(archive, settings, smtp_server):
    port, inbox = smtp_server
    mail = settings.with_(smtp_host="127.0.0.1", smtp_port=port, smtp_to="samordnare@kommun.example",
                          smtp_from="radslag@kommun.example")
    watch = add_watch(archive, query="epatraktorer", mode="keyword")
    other = add_watch(archive, query="klotter", mode="keyword", email="polis@example.org")
    _meeting(archive, "m2.txt", "2021-02-25", [("Trafik", "Fler epatraktorer och hög musik."),
                                               ("Klotter", "Nytt klotter på skolan.")])
    run_watches(archive, mail)
    digest = send_digest(archive, mail)
    assert digest.messages == 2 and digest.alerts == 2
    by_rcpt = {tuple(rcpts): email.message_from_bytes(content, policy=policy.default)
               for _, rcpts, content in inbox.messages}
    msg = by_rcpt[("samordnare@kommun.example",)]
    assert msg["From"] == "radslag@kommun.example"
    assert "epatraktorer" in msg["Subject"]
    body = msg.get_content()
    alert = archive.alerts(watch.id)[0]
    assert "2021-02-25" in body and "1. Trafik" in body and item_url(mail, alert.item_id) in body
    assert feed_url(mail, watch.id) in body and "Klotter" not in body.split("Flöde")[1]
    assert "Nytt klotter" in by_rcpt[("polis@example.org",)].get_content()
    assert all(a.emailed_at for a in archive.alerts(watch.id) + archive.alerts(other.id))
    assert send_digest(archive, mail).messages == 0  # nothing new: nothing sent
    assert len(inbox.messages) == 2


def test_after_ingest_sends_the_digest_when_configured(archive, settings, smtp_server):
    port, inbox = smtp_server
    mail = settings.with_(smtp_host="127.0.0.1", smtp_port=port, smtp_to="samordnare@kommun.example")
    add_watch(archive, query="epatraktorer", mode="keyword")
    mid = _meeting(archive, "m2.txt", "2021-02-25", [("Trafik", "Fler epatraktorer.")])
    after_ingest(archive, mail, [mid])
    assert len(inbox.messages) == 1 and b"Trafik" in inbox.messages[0][2]


def test_unreachable_server_is_an_error_and_nothing_is_marked_sent(archive, settings):
    mail = settings.with_(smtp_host="127.0.0.1", smtp_port=_free_port(), smtp_to="a@b.example", smtp_timeout_s=5)
    watch = add_watch(archive, query="epatraktorer", mode="keyword")
    _meeting(archive, "m2.txt", "2021-02-25", [("Trafik", "Fler epatraktorer.")])
    run_watches(archive, mail)
    with pytest.raises(RadslagError, match=r"127\.0\.0\.1:\d+"):
        send_digest(archive, mail)
    assert archive.alerts(watch.id, unsent=True)
    with pytest.raises(RadslagError, match="RADSLAG_SMTP_HOST"):
        send_digest(archive, settings)


# -- command line -----------------------------------------------------------------------


def test_watch_commands_add_run_alerts_feed_remove(archive, settings, tmp_path):
    import json

    from click.testing import CliRunner

    from radslag.cli import cli

    env = {"RADSLAG_EMBED": "0", "RADSLAG_ENRICH": "0", "RADSLAG_BASE_URL": "http://radslag.example:7860"}

    def run(*args):
        out = CliRunner().invoke(cli, [*args, "--archive", str(settings.archive_dir)], env=env,
                                 catch_exceptions=False)
        return out

    added = run("watch", "add", "epatraktorer", "--mode", "keyword", "--municipality", "Hallstahammar")
    assert added.exit_code == 0, added.output
    assert "Bevakning 1 sparad" in added.output and "http://radslag.example:7860/feeds/1.atom" in added.output
    assert run("watch", "add", "--mode", "keyword").exit_code == 1  # neither query nor topic
    _meeting(archive, "m2.txt", "2021-02-25", [("Trafik", "Fler epatraktorer."), ("Övrigt", "Inget.")])
    ran = run("watch", "run")
    assert ran.exit_code == 0 and "1 nya av 2 nya punkter" in ran.output, ran.output
    listed = [json.loads(line) for line in run("watch", "list", "--json").output.splitlines()]
    assert [(w["id"], w["alert_count"], w["filters"]) for w in listed] == [(1, 1, {"municipality": "Hallstahammar"})]
    alerts = [json.loads(line) for line in run("watch", "alerts", "1", "--json").output.splitlines()]
    assert [a["title"] for a in alerts] == ["Trafik"] and alerts[0]["url"].startswith("http://radslag.example:7860/?item=")
    out = tmp_path / "f.atom"
    assert run("watch", "feed", "1", "-o", str(out)).exit_code == 0
    assert ET.parse(out).getroot().find(f"{A}entry/{A}title").text.endswith("1. Trafik")
    english = run("watch", "list", "--lang", "en")
    assert "Looks for" in english.output and "Matches" in english.output
    gone = run("watch", "remove", "7")
    assert gone.exit_code == 1 and "nummer 7" in gone.output
    assert "borttagen" in run("watch", "remove", "1").output
    assert "Inga bevakningar" in run("watch", "list").output


# -- app tab and feed route -------------------------------------------------------------


def test_app_tab_saves_checks_shows_and_removes(archive, settings):
    from app.tabs.watch import check_now, delete_watch, save_watch, show_alerts, watch_rows

    message, rows, pick = save_watch(settings, "epatraktorer", "keyword", "(alla)", "Hallstahammar", "(alla)", "",
                                     "")
    assert "Bevakning 1 sparad" in message and "/feeds/1.atom" in message
    assert rows[0][:4] == [1, "epatraktorer", "”epatraktorer” · kommun: Hallstahammar", 0] and pick["value"] == "1"
    bad, _, _ = save_watch(settings, "", "keyword", "(alla)", "(alla)", "(alla)", "", "")
    assert "sökfråga eller ett ämne" in bad
    _meeting(archive, "m2.txt", "2021-02-25", [("Trafik <i>", "Fler epatraktorer.")])
    message, rows, _ = check_now(settings, "1")
    assert "1 nya av 1 nya punkter" in message and rows[0][3] == 1
    shown = show_alerts(settings, "1")
    assert "Trafik &lt;i&gt;" in shown and "<i>" not in shown and "?item=" in shown
    message, rows, pick = delete_watch(settings, "1")
    assert "borttagen" in message and rows == [] and pick["choices"] == []


def test_feed_route_serves_atom_behind_the_apps_login(archive, settings):
    import base64

    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from app.tabs.watch import add_feed_routes

    watch = add_watch(archive, query="epatraktorer", mode="keyword")
    _meeting(archive, "m2.txt", "2021-02-25", [("Trafik", "Fler epatraktorer, ring 070-123 45 67.")])
    run_watches(archive, settings)
    server = FastAPI()
    add_feed_routes(server, settings, auth=("samordnare", "hemligt"))
    client = TestClient(server)
    url = f"/feeds/{watch.id}.atom"
    refused = client.get(url)
    assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Basic")
    wrong = "Basic " + base64.b64encode(b"samordnare:fel").decode()
    assert client.get(url, headers={"Authorization": wrong}).status_code == 401
    login = {"Authorization": "Basic " + base64.b64encode(b"samordnare:hemligt").decode()}
    ok = client.get(url, headers=login)
    assert ok.status_code == 200 and ok.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(ok.content)
    assert root.find(f"{A}entry/{A}title").text.endswith("1. Trafik")
    assert client.get(url, headers=login | {"If-None-Match": ok.headers["etag"]}).status_code == 304
    assert client.get("/feeds/99.atom", headers=login).status_code == 404
    assert client.get("/feeds/x.atom", headers=login).status_code == 404

    from radslag.safe import masking

    open_server = FastAPI()
    add_feed_routes(open_server, settings)  # no login on loopback
    with masking(True):
        masked = TestClient(open_server).get(url).text
    assert "070-123 45 67" not in masked and "Trafik" in masked
    assert "070-123 45 67" in TestClient(open_server).get(url).text


def test_feed_route_on_a_running_gradio_app(archive, settings):
    """What radslag.serve does after launching: the route on the live server, next to Gradio's own."""
    import gradio as gr
    import httpx

    from app.tabs.watch import add_feed_routes

    watch = add_watch(archive, query="epatraktorer", mode="keyword")
    _meeting(archive, "m2.txt", "2021-02-25", [("Trafik", "Fler epatraktorer.")])
    run_watches(archive, settings)
    with gr.Blocks() as blocks:
        gr.Markdown("Rådslag")
    blocks.launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=_free_port(), quiet=True)
    try:
        add_feed_routes(blocks.app, settings, None)
        reply = httpx.get(f"{blocks.local_url.rstrip('/')}/feeds/{watch.id}.atom", timeout=30)
        assert reply.status_code == 200 and reply.headers["content-type"].startswith("application/atom+xml")
        assert ET.fromstring(reply.content).find(f"{A}id").text == f"urn:uuid:{watch.uid}"
    finally:
        blocks.close()


def test_alert_of_a_meeting_dated_by_year_says_so(archive, settings):
    """A meeting known only by its year alerts as "2021 (år)", as `radslag meetings` shows it, not "okänt datum"."""
    watch = add_watch(archive, query="epatraktorer", mode="keyword")
    doc = Document(source="arboga-2021.txt", text="Lägesbild\nEpatraktorer i centrum.", reader="txt",
                   content_hash="year-only")
    meta = MeetingMeta(kind="minutes", body="Förebyggande rådet", municipality="Arboga", year=2021)
    archive.write_document(doc, meta, [AgendaItem(number="1", title="Lägesbild", text="Epatraktorer i centrum.",
                                                  start=0, end=1)])
    run_watches(archive, settings)
    alert = archive.alerts(watch.id)[0]
    assert alert.date == "2021"
    title = _feed(archive, settings, watch).find(f"{A}entry").find(f"{A}title").text
    assert title.startswith("2021 (år) · Arboga Förebyggande rådet")
