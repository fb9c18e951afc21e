"""Load: many searches at once against the running app while an ingest writes to its archive.

Starts ``radslag serve`` in its own process on 127.0.0.1 over a fresh archive
of ``corpus/``, measures a single search (the baseline: searches one after
another), then runs ``--searches`` searches from ``--threads`` threads through
Gradio's HTTP API while ``radslag ingest`` adds ``--docs`` new meetings to the
same archive in another process. Afterwards it searches for a word that only
the new meetings contain. Prints one JSON object::

    python bench/load.py                          # 200 searches, 20 threads, hybrid
    python bench/load.py --mode keyword --searches 40 --threads 8

``errors`` counts searches that failed in any way (HTTP error, an error event,
no answer); ``seen_after`` says whether the new meetings were found once the
ingest had finished; ``during_ingest`` is how many searches started while it
ran.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

#: Queries of the kind users type: words, phrases, a paraphrase, FTS syntax, a long one.
QUERIES = [
    "motorburen ungdom", "klotter", "trygghetsvandring", "narkotika i centrum", "medborgarlöften",
    "ungdomar som kör epa-traktor och spelar hög musik", "belysning i parken", "polisen", "skadegörelse skolan",
    '"trygghetsvandring" NEAR(klotter', "klotter*", "AND OR", "", "brott " * 300,
]
#: A word that only the meetings ingested during the load contain.
MARKER = "belastningsprovet"


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class GradioHTTP:
    """The app's search over Gradio's HTTP API (``/gradio_api/call/<endpoint>``), no client library.

    Args:
        url: The app's address, e.g. ``http://127.0.0.1:7860``.
        timeout: Seconds one call may take.
    """

    def __init__(self, url: str, timeout: float = 120.0):
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.search_endpoint = self._find_search()

    def _get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.url + path, timeout=self.timeout) as resp:
            return resp.read()

    def _find_search(self) -> str:
        """The endpoint whose parameters are the search tab's (its name is Gradio's choice)."""
        info = json.loads(self._get("/gradio_api/info"))
        for name, endpoint in info["named_endpoints"].items():
            params = [p.get("parameter_name") for p in endpoint["parameters"]]
            if params[:2] == ["query", "mode"] and "order" in params:
                return name.lstrip("/")
        raise RuntimeError("the app has no search endpoint (query, mode, …, order)")

    def call(self, endpoint: str, data: list[Any]) -> list[Any]:
        """Run ``endpoint`` with ``data``; its outputs, or RuntimeError with the event's message."""
        body = json.dumps({"data": data}).encode("utf-8")
        request = urllib.request.Request(f"{self.url}/gradio_api/call/{endpoint}", data=body,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=self.timeout) as resp:
            event_id = json.loads(resp.read())["event_id"]
        stream = self._get(f"/gradio_api/call/{endpoint}/{event_id}").decode("utf-8")
        event, payload = None, None
        for line in stream.splitlines():
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:"):
                payload = line.split(":", 1)[1].strip()
                if event in ("complete", "error"):
                    break
        if event != "complete":
            raise RuntimeError(f"{event}: {payload}")
        return json.loads(payload)

    def search(self, query: str, mode: str = "hybrid") -> str:
        """The hits HTML of a search with no filters."""
        out = self.call(self.search_endpoint, [query, mode, "(alla)", "(alla)", "(alla)", "(alla)", "", "", "relevance"])
        return out[0] if isinstance(out[0], str) else str(out[0])


def hit_count(html: str) -> int:
    """Hit cards in the hits HTML."""
    return html.count('class="hit"')


def new_meetings(folder: Path, n: int) -> list[Path]:
    """``n`` new, distinct meetings that contain :data:`MARKER`."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        day = f"2030-{1 + i % 12:02d}-{1 + i % 28:02d}"
        text = (
            f"Protokoll Trygghetsråd\nBelastningskommun\nSammanträdesdatum: {day}\n\n"
            f"§ 1 Mötets öppnande\nOrdföranden öppnade mötet nummer {i}.\n\n"
            f"§ 2 Klotter och {MARKER} {i}\nI {MARKER} {i} gicks klotter vid stationen igenom. "
            f"Skadegörelsen har ökat sedan förra mötet och fastighetsägaren sanerar inom en vecka.\n\n"
            f"§ 3 Övriga frågor\nNästa möte hålls {day} i kommunhuset, ärende {i}.\n"
        )
        path = folder / f"belastning-{i:03d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _env(embed: bool) -> dict[str, str]:
    env = dict(os.environ, GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1", PYTHONUNBUFFERED="1")
    env["RADSLAG_EMBED"] = "1" if embed else "0"
    env["RADSLAG_ENRICH"] = "0"
    env.pop("RADSLAG_PASSWORD", None)
    env.pop("RADSLAG_PASSWORD_FILE", None)
    return env


def radslag(*args: str) -> list[str]:
    """The command line of ``radslag ARGS`` with this interpreter."""
    return [sys.executable, "-c", "from radslag.cli import main; main()", *args]


def start_app(archive: Path, port: int, embed: bool, log: Path, wait_s: float = 300.0) -> subprocess.Popen:
    """``radslag serve`` on 127.0.0.1:``port`` in its own process; returns once it answers."""
    empty = archive.parent / "empty-corpus"
    empty.mkdir(exist_ok=True)
    proc = subprocess.Popen(radslag("serve", "--archive", str(archive), "--port", str(port), "--corpus", str(empty)),
                            cwd=ROOT, env=_env(embed), stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.time() + wait_s
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the app stopped with status {proc.returncode}: {log.read_text()[-2000:]}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/gradio_api/info", timeout=5).read()
            return proc
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError(f"the app did not answer within {wait_s:.0f} s: {log.read_text()[-2000:]}")


def stop(proc: subprocess.Popen) -> None:
    """Stop a process this script started."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def pct(values: list[float], q: float) -> float | None:
    """The ``q`` quantile (0..1) of ``values`` by the nearest-rank rule."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered) + 0.5)) - 1))]


def run_load(client: GradioHTTP, searches: int, threads: int, mode: str,
             ingest: subprocess.Popen | None = None) -> dict[str, Any]:
    """``searches`` searches from ``threads`` threads; latencies, errors, overlap with ``ingest``."""
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    during = [0]

    def one(i: int) -> None:
        query = QUERIES[i % len(QUERIES)]
        running = ingest is not None and ingest.poll() is None
        t0 = time.perf_counter()
        try:
            html = client.search(query, mode)
            if "Traceback" in html:
                raise RuntimeError("traceback in the answer")
        except Exception as exc:  # noqa: BLE001 - every failure counts, whatever it is
            with lock:
                errors.append(f"{query[:40]!r}: {type(exc).__name__}: {str(exc)[:200]}")
            return
        with lock:
            latencies.append(time.perf_counter() - t0)
            during[0] += running

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(one, range(searches)))
    wall = time.perf_counter() - t0
    return {
        "searches": searches, "threads": threads, "errors": len(errors), "error_examples": errors[:5],
        "p50_s": _r(statistics.median(latencies) if latencies else None), "p95_s": _r(pct(latencies, 0.95)),
        "max_s": _r(max(latencies) if latencies else None), "wall_s": _r(wall),
        "searches_per_s": _r(len(latencies) / wall if wall else None), "during_ingest": during[0],
    }


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--searches", type=int, default=200)
    ap.add_argument("--threads", type=int, default=20)
    ap.add_argument("--mode", choices=["hybrid", "keyword", "dense"], default="hybrid")
    ap.add_argument("--docs", type=int, default=30, help="new meetings ingested during the load")
    ap.add_argument("--corpus", default=str(ROOT / "corpus"), help="what the archive holds before the load")
    ap.add_argument("--baseline", type=int, default=10, help="searches one after another for the baseline")
    ap.add_argument("--keep", action="store_true", help="keep the temporary archive and logs")
    args = ap.parse_args(argv)

    embed = args.mode != "keyword"
    work = Path(tempfile.mkdtemp(prefix="radslag-load-"))
    archive = work / "archive"
    result: dict[str, Any] = {"bench": "load", "mode": args.mode, "cores": os.cpu_count()}
    app = ingest = None
    try:
        t0 = time.perf_counter()
        subprocess.run(radslag("ingest", "--archive", str(archive), "-q", args.corpus), cwd=ROOT, env=_env(embed),
                       check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        result["prepare_s"] = _r(time.perf_counter() - t0)
        port = free_port()
        app = start_app(archive, port, embed, work / "app.log")
        client = GradioHTTP(f"http://127.0.0.1:{port}")
        for q in QUERIES[:3]:
            client.search(q, args.mode)  # warm: first-call costs (model, FTS pages, Gradio) are not load
        single = []
        for i in range(args.baseline):
            t = time.perf_counter()
            client.search(QUERIES[i % 9], args.mode)
            single.append(time.perf_counter() - t)
        result["single_p50_s"] = _r(statistics.median(single))
        result["seen_before"] = hit_count(client.search(MARKER, "keyword")) > 0

        new_meetings(work / "new", args.docs)
        ingest = subprocess.Popen(radslag("ingest", "--archive", str(archive), "-q", str(work / "new")), cwd=ROOT,
                                  env=_env(embed), stdout=(work / "ingest.log").open("w"), stderr=subprocess.STDOUT)
        result["load"] = run_load(client, args.searches, args.threads, args.mode, ingest)
        result["ingest_status"] = ingest.wait(timeout=1800)
        result["ingest_overlapped"] = result["load"]["during_ingest"] > 0
        hits = hit_count(client.search(MARKER, "keyword"))
        result["seen_after"] = hits > 0
        result["new_hits_after"] = hits
        if args.mode != "keyword":
            result["seen_after_" + args.mode] = hit_count(client.search(f"{MARKER} klotter", args.mode)) > 0
        load = result["load"]
        if load["p95_s"] and result["single_p50_s"]:
            result["p95_over_single"] = round(load["p95_s"] / result["single_p50_s"], 2)
    finally:
        if ingest is not None and ingest.poll() is None:
            stop(ingest)
        if app is not None:
            stop(app)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            result["work"] = str(work)
    return result


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False, indent=2))
