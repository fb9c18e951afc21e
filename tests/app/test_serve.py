"""Exposure: where the app listens, who may log in, what it serves, what it accepts.

- ``--host 0.0.0.0`` refuses to start without a login unless ``--no-auth``
  is given, and says so; passwords never come from the command line.
- A busy port is one sentence and exit status 3, not a traceback.
- No route serves a file outside what the app made: ``/file=`` and
  ``/gradio_api/file=`` with ``/etc/passwd``, ``../`` and the archive itself.
- Uploads over the size limit are refused.
- A 10,000-character query, an empty query and FTS syntax never give a
  traceback, through the search handler and through the HTTP API.
- Files made for downloads are swept.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from radslag import serve as server
from radslag.config import CORPUS_DIR, load_settings

FTS_QUERIES = ['"', '"klotter', "NEAR(", "NEAR(klotter", "*", "klotter*", "AND OR", "OR", "NOT", "a:b", "^klotter",
               "klotter -", "(((", "{}", "\\", "'; DROP TABLE items; --", "\ud800", "\x00\x01", "trygg\u202ehet"]
LONG_QUERY = ("motorburen ungdom klotter " * 400)[:10_000]


def _cli(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    run_env = {k: v for k, v in os.environ.items() if not k.startswith("RADSLAG_PASSWORD")}
    run_env.update(env or {})
    return subprocess.run([sys.executable, "-c", "from radslag.cli import main; main()", *args],
                          capture_output=True, text=True, env=run_env, timeout=timeout)


# -- exposure rules ------------------------------------------------------------------


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10"])
def test_open_address_without_login_is_refused(tmp_settings, host):
    with pytest.raises(server.ServeError) as err:
        server.check_exposure(host, tmp_settings)
    assert err.value.exit_code == server.EXIT_EXPOSED
    assert "RADSLAG_PASSWORD" in str(err.value) and "--no-auth" in str(err.value)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_needs_no_login(tmp_settings, host):
    assert server.check_exposure(host, tmp_settings) is None


def test_no_auth_opens_and_a_password_logs_in(tmp_settings, tmp_path):
    assert server.check_exposure("0.0.0.0", tmp_settings, no_auth=True) is None
    with_password = tmp_settings.with_(auth_password="hemligt ord")
    assert server.check_exposure("0.0.0.0", with_password) == ("radslag", "hemligt ord")
    secret = tmp_path / "pw"
    secret.write_text("från fil\nandra raden\n", encoding="utf-8")
    from_file = tmp_settings.with_(auth_password="env", auth_password_file=secret, auth_user="anna")
    assert server.check_exposure("0.0.0.0", from_file) == ("anna", "från fil")  # the file wins, first line
    options = server.launch_options(from_file, "0.0.0.0", 7860, ("anna", "från fil"))
    assert options["auth"] == [("anna", "från fil")]


def test_empty_or_unreadable_password_is_refused(tmp_settings, tmp_path):
    for settings in (tmp_settings.with_(auth_password="  "),
                     tmp_settings.with_(auth_password_file=tmp_path / "missing")):
        with pytest.raises(server.ServeError) as err:
            server.check_exposure("0.0.0.0", settings)
        assert err.value.exit_code == server.EXIT_EXPOSED
    empty = tmp_path / "empty"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(server.ServeError):
        server.check_exposure("127.0.0.1", tmp_settings.with_(auth_password_file=empty))


def test_cli_refuses_open_host_in_words_before_loading_anything(tmp_path):
    started = time.monotonic()
    done = _cli("serve", "--archive", str(tmp_path / "a"), "--host", "0.0.0.0", "--port", "1")
    assert done.returncode == server.EXIT_EXPOSED
    assert "utan inloggning" in done.stderr and "--no-auth" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert not (tmp_path / "a").exists()  # refused before the archive was touched
    assert time.monotonic() - started < 60  # no Gradio or model loaded first (generous bound)


def test_cli_takes_no_password_on_the_command_line(tmp_path):
    help_text = _cli("serve", "--help").stdout
    assert "--no-auth" in help_text and "RADSLAG_PASSWORD" in help_text
    assert "--password" not in help_text
    done = _cli("serve", "--archive", str(tmp_path / "a"), "--host", "0.0.0.0", "--password", "x")
    assert done.returncode != 0 and "Traceback" not in done.stderr


def test_cli_refuses_unreadable_password_file(tmp_path):
    done = _cli("serve", "--archive", str(tmp_path / "a"), "--host", "0.0.0.0",
                env={"RADSLAG_PASSWORD_FILE": str(tmp_path / "no-such-file")})
    assert done.returncode == server.EXIT_EXPOSED
    assert "no-such-file" in done.stderr and "Traceback" not in done.stderr


def test_busy_port_is_one_sentence():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(server.ServeError) as err:
            server.check_port("127.0.0.1", port)
    assert err.value.exit_code == server.EXIT_PORT_BUSY
    assert str(port) in str(err.value) and str(port + 1) in str(err.value)


def test_launch_options_block_archive_and_cache_and_limit_uploads(tmp_settings):
    options = server.launch_options(tmp_settings.with_(upload_max_mb=3), "127.0.0.1", 7860, None)
    blocked = options["blocked_paths"]
    assert str(Path(tmp_settings.archive_dir).resolve()) in blocked
    assert str(Path(tmp_settings.cache_dir).expanduser().resolve()) in blocked
    assert options["allowed_paths"] == [] and options["share"] is False
    assert options["max_file_size"] == "3mb" and options["show_error"] is False and options["auth"] is None


def test_concurrency_from_cores_or_setting(tmp_settings):
    assert server.concurrency(tmp_settings.with_(app_concurrency=5)) == 5
    assert 8 <= server.concurrency(tmp_settings) <= 64


def test_download_files_are_swept(monkeypatch):
    monkeypatch.setitem(server._DOWNLOADS, "dir", None)  # a folder of its own: other tests' files are not counted
    made = [server.download_file("träffar.csv") for _ in range(3)]
    for path in made:
        path.write_text("x", encoding="utf-8")
    assert made[0].name == "träffar.csv" and len({p.parent for p in made}) == 3
    old = time.time() - 10
    for path in made[:2]:
        os.utime(path.parent, (old, old))
    assert server.sweep_downloads(older_than_s=5) == 2
    assert not made[0].exists() and not made[1].exists() and made[2].exists()
    assert server.sweep_downloads(older_than_s=0) >= 1 and not made[2].exists()


# -- the search handler never fails on odd queries ---------------------------------------


PERSONAL = ("800101-1234", "19750315-5678", "070-123 45 67", "021-39 45 67", "anna.svensson@arboga.se")
PERSONAL_TEXT = f"""Protokoll Trygghetsråd
Arboga kommun
Sammanträdesdatum: 2022-03-10

§ 1 Grannsamverkan i Nybyn
Kontaktperson för grannsamverkan är Anna Svensson, personnummer {PERSONAL[0]}, telefon {PERSONAL[2]},
e-post {PERSONAL[4]}. Ersättare har personnummer {PERSONAL[1]} och nås på {PERSONAL[3]}.
Ärende KS 2022/0415 behandlades 2022-03-10 kl. 0915-1130; budget 12 500 kr.

§ 2 Övriga frågor
Inga övriga frågor.
"""


@pytest.fixture(scope="module")
def small_archive(tmp_path_factory):
    """Settings over an archive of two corpus files, no models (keyword search)."""
    from ingest.pipeline import ingest_paths

    root = tmp_path_factory.mktemp("serve")
    corpus = root / "corpus"
    corpus.mkdir()
    for name in ("hallstahammar-trygghetsrad-2021-09-15.txt", "arboga-forebyggande-radet-2021.txt"):
        (corpus / name).write_bytes((CORPUS_DIR / name).read_bytes())
    (corpus / "arboga-trygghetsrad-2022-03-10.txt").write_text(PERSONAL_TEXT, encoding="utf-8")
    settings = load_settings(archive_dir=root / "archive", embed=False, enrich=False, upload_max_mb=1,
                             mask_personal="on")
    report = ingest_paths([str(corpus)], settings, progress=False)
    assert not report.failed
    return settings


@pytest.mark.parametrize("mode", ["keyword", "hybrid"])
def test_search_handler_takes_any_query(small_archive, mode):
    from search_app import run_search

    for query in ["", "   ", LONG_QUERY, *FTS_QUERIES]:
        html, *_ = run_search(small_archive, query, mode, "(alla)", "(alla)", "(alla)", "(alla)", "", "", "relevance")
        assert isinstance(html, str) and "Traceback" not in html, query[:30]
    html, *_ = run_search(small_archive, "klotter", mode, "(alla)", "(alla)", "(alla)", "(alla)", "", "", "relevance")
    assert 'class="hit"' in html  # the same handler does find things


# -- the running app ------------------------------------------------------------------


@pytest.fixture(scope="module")
def running(small_archive):
    from bench.load import free_port

    from radslag.safe import set_masking

    port = free_port()
    app = server.serve(small_archive, port=port, corpus=Path("/nonexistent"), block=False)
    try:
        yield port, small_archive
    finally:
        app.close()
        set_masking(False)  # serve switched masking on for this process (mask_personal = on)


def _get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)  # sent as written: no client-side normalisation of ../
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, body


@pytest.mark.slow
def test_no_route_serves_files_outside_the_app(running, tmp_path):
    port, settings = running
    db = Path(settings.db_path).resolve()
    outside = tmp_path / "hemlig.txt"
    outside.write_text("HEMLIGT-INNEHÅLL", encoding="utf-8")
    targets = ["/etc/passwd", "../../../../../../etc/passwd", "..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
               "%2fetc%2fpasswd", "/proc/self/environ", str(db), str(outside), str(settings.cache_dir)]
    prefixes = ["/file=", "/gradio_api/file=", "/gradio_api/file/", "/static/", "/assets/", "/gradio_api/static/",
                "/gradio_api/file=/tmp/../"]
    served = []
    for prefix in prefixes:
        for target in targets:
            path = prefix + target
            status, body = _get(port, path)
            if status == 200 and (b"root:" in body or b"HEMLIGT" in body or body.startswith(b"SQLite format")
                                  or b"PATH=" in body):
                served.append(path)
    assert served == []
    # the check above can see a served file: the app's own page is served
    status, body = _get(port, "/")
    assert status == 200 and b"<html" in body.lower()


@pytest.mark.slow
def test_upload_over_the_limit_is_refused(running):
    port, _ = running

    def upload(size: int) -> int:
        boundary = "radslagboundary"
        head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"p.txt\"\r\n"
                "Content-Type: text/plain\r\n\r\n").encode()
        body = head + b"a" * size + f"\r\n--{boundary}--\r\n".encode()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("POST", "/gradio_api/upload", body=body,
                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        status = conn.getresponse().status
        conn.close()
        return status

    assert upload(2 * 1024 * 1024) == 413  # upload_max_mb = 1
    assert upload(1000) == 200  # the same route takes a small file: the size is what is refused


@pytest.mark.slow
def test_odd_queries_over_http_give_answers_not_tracebacks(running):
    from bench.load import GradioHTTP, hit_count

    port, _ = running
    client = GradioHTTP(f"http://127.0.0.1:{port}")
    for query in ["", LONG_QUERY, '"', "NEAR(", "*", "AND OR", "\ud800 klotter"]:
        html = client.search(query, "keyword")  # raises on an error event
        assert "Traceback" not in html and "OperationalError" not in html
    assert hit_count(client.search("klotter", "keyword")) > 0


# -- personal data masked in what the app shows and offers for download ------------------------


def _grannsamverkan(settings) -> tuple[str, str, str, list[str]]:
    """Search for the item with personal data; (hits HTML, item view, meeting view, download texts)."""
    from search_app import open_item, open_meeting, run_search

    html, picks, _, csv_path, json_path, *_ = run_search(
        settings, "grannsamverkan", "keyword", "(alla)", "(alla)", "(alla)", "(alla)", "", "", "relevance")
    item_id = picks["value"]
    assert item_id, "the item with personal data is found"
    item, meeting = str(open_item(settings, item_id)), str(open_meeting(settings, item_id))
    downloads = [Path(p).read_text(encoding="utf-8-sig") for p in (csv_path, json_path) if p]
    return html, item, meeting, downloads


def test_personal_data_masked_in_app_output_when_switched_on(small_archive):
    from radslag.safe import masking

    assert small_archive.masks("app") and not load_settings(mask_personal="publish").masks("app")
    with masking(False):
        html, item, meeting, _ = _grannsamverkan(small_archive)
    shown = html + item + meeting
    assert "800101" in shown and "anna.svensson" in shown  # without masking the numbers are there to find
    with masking(small_archive.masks("app")):
        html, item, meeting, downloads = _grannsamverkan(small_archive)
    for where, text in (("hits", html), ("item", item), ("meeting", meeting)):
        for secret in ("800101", "19750315", "123 45 67", "39 45 67", "anna.svensson", "arboga.se"):
            assert secret not in text, f"{secret} shown in the {where} view"
        assert "[personnummer]" in text or where == "hits"
    assert "[telefon]" in item and "[e-post]" in item
    assert "KS 2022" in item and "2022-03-10" in item and "12" in item  # case numbers and dates stay


def test_personal_data_masked_in_app_downloads_when_switched_on(small_archive):
    from radslag.safe import masking

    with masking(small_archive.masks("app")):
        *_, downloads = _grannsamverkan(small_archive)
    assert len(downloads) == 2 and all("Grannsamverkan" in text for text in downloads)
    for text in downloads:
        for secret in ("800101", "19750315", "anna.svensson"):
            assert secret not in text, f"{secret} in a download"


@pytest.mark.slow
def test_masking_setting_reaches_the_running_app(running):
    from bench.load import GradioHTTP, hit_count

    port, _ = running
    html = GradioHTTP(f"http://127.0.0.1:{port}").search("grannsamverkan personnummer", "keyword")
    assert hit_count(html) > 0
    assert "800101" not in html and "anna.svensson" not in html and "070-123" not in html


def test_personal_data_masked_in_exports_when_switched_on(small_archive, tmp_path):
    done = _cli("export", "items", "--archive", str(small_archive.archive_dir), "--format", "csv",
                env={"RADSLAG_MASK_PERSONAL": "on"})
    assert done.returncode == 0 and "Grannsamverkan" in done.stdout
    assert "800101-1234" not in done.stdout and "anna.svensson" not in done.stdout


# -- Gradio's queue waits for work instead of polling for it ---------------------------------


def test_idle_poll_sleep_is_woken_and_other_sleeps_are_asyncios(monkeypatch):
    import asyncio

    monkeypatch.setattr(server, "QUEUE_IDLE_S", 60.0)  # only a wake-up can end the idle sleep in time
    shim = server._WakeableAsyncio(asyncio, 0.001)

    async def scenario():
        idle = asyncio.create_task(shim.sleep(0.001, "woken"))
        await asyncio.sleep(0)
        assert not idle.done()
        shim.wake()
        woken = await asyncio.wait_for(idle, 10)
        other = await asyncio.wait_for(shim.sleep(0.002, "slept"), 10)  # not the poll: asyncio's own sleep
        return woken, other

    assert asyncio.run(scenario()) == ("woken", "slept")
    assert shim.Event is asyncio.Event  # everything else is asyncio's


def test_running_app_queue_is_woken_by_requests(running, monkeypatch):
    from gradio import queueing

    from bench.load import GradioHTTP, hit_count

    assert isinstance(queueing.asyncio, server._WakeableAsyncio)
    # an idle queue now looks for work only every 10 minutes: a request that does not wake it gets no answer
    # before the client's 10-second socket timeout (Gradio's SSE heartbeat comes every 15 s), and the test fails
    monkeypatch.setattr(server, "QUEUE_IDLE_S", 600.0)
    port, _ = running
    client = GradioHTTP(f"http://127.0.0.1:{port}", timeout=10.0)
    for query in ("klotter", "trygghetsvandring", "klotter", "skolan"):
        assert hit_count(client.search(query, "keyword")) > 0


def test_gradio_queue_still_polls_as_quiet_queue_expects():
    from gradio import queueing

    assert server._relies_on(queueing)  # a Gradio upgrade that changes the poll shows here, not as slow searches

    class Other:  # a queue class without the poll: left alone
        async def start_processing(self):
            return None

    class FakeQueueing:
        Queue = Other

    assert not server._relies_on(FakeQueueing)
