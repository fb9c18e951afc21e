"""Load: many searches at once against the running app while an ingest writes to its archive.

Starts ``radslag serve`` in its own process on 127.0.0.1 over a fresh archive
of ``corpus/`` (or a copy of ``--archive``), measures a single search (the
baseline: searches one after another, each query new to the app), then, in
the same run:

- **closed loop, the issue's** (``load``): ``--searches`` searches from
  ``--threads`` threads, each sending its next search as soon as the last one
  is answered, cycling the list :data:`QUERIES` (so most are repeats:
  ``repeats`` says how many), while ``radslag ingest`` adds ``--docs`` new
  meetings to the same archive in another process;
- **closed loop, distinct queries** (``load_distinct``): the same, every
  query different (no ingest), the figure no cache can help;
- **open loop** (``open``): ``--users`` people each searching, then reading
  for a random ``--think`` seconds, for ``--duration`` seconds: how 25 people
  actually search. Queries distinct.

Each simulated user keeps one Gradio session (as a browser tab does;
``--fresh-sessions``: a new one per search, as a bare API client does).
``--cache both`` runs everything twice, with the app's caches on and off
(``RADSLAG_SEARCH_CACHE=0``), each against its own app and archive copy.
Prints one JSON object::

    python bench/load.py                          # 200 searches, 25 threads, hybrid, cache on
    python bench/load.py --threads 25 --cache both --archive /tmp/arch
    python bench/load.py --mode keyword --searches 40 --threads 8

``errors`` counts searches that failed in any way (HTTP error, an error event,
no answer); ``seen_after`` says whether the new meetings were found once the
ingest had finished; ``during_ingest`` is how many searches started while it
ran; ``app_cpu_ms_per_search`` is the app process's CPU time (all threads)
per answered search, the figure a loaded machine changes least.

``floor_over_single`` (closed loops) is the least ``p50``/single any server
could reach with that CPU per search: with ``--threads`` searches always in
flight on C cores, answers come at most C / CPU-per-search a second, so the
mean latency is at least threads × CPU per search / C (Little's law), while a
single search takes at least its own CPU. On 2 cores, 25 threads put it near
12.5 × (CPU per search / single search time) whatever the code does: the
issue's "p95 within 2× a single search" holds for a closed loop only when a
single search mostly waits. ``open`` is how 25 people actually search.

``p95_over_single`` sets a run's p95 against the single searches' p50 (the
issue's figure); ``p95_over_single_p95`` against their p95, like against like:
the distinct queries differ 3-4x in cost among themselves (a common word
brings many more hits to read), so even searches that never overlap have a
p95 well above their p50.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import uuid
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
#: Words of the kind the archive holds; :func:`distinct_queries` combines them.
WORDS = [
    "klotter", "skadegörelse", "trygghet", "ungdomar", "polisen", "narkotika", "belysning", "parken", "skolan",
    "centrum", "brott", "våld", "inbrott", "medborgarlöften", "trygghetsvandring", "fritidsgård", "alkohol",
    "föräldrar", "kameraövervakning", "stationen", "nattvandring", "motorburen", "ungdom", "epa-traktor",
    "buller", "rattfylleri", "socialtjänsten", "fältassistenter", "otrygghet", "kvinnofrid", "sommarlov",
    "lägesbild", "samverkan", "kommunen", "fastighetsägare", "bostadsområde", "missbruk", "brand", "cykelstölder",
    "mopeder", "torget", "biblioteket", "kollektivtrafik", "hastighet", "trafiksäkerhet", "grannsamverkan",
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

    def call(self, endpoint: str, data: list[Any], session: str | None = None) -> list[Any]:
        """Run ``endpoint`` with ``data`` (in Gradio session ``session``, else a new one); its outputs, or
        RuntimeError with the event's message."""
        payload_in: dict[str, Any] = {"data": data}
        if session:
            payload_in["session_hash"] = session
        body = json.dumps(payload_in).encode("utf-8")
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

    def search(self, query: str, mode: str = "hybrid", session: str | None = None) -> str:
        """The hits HTML of a search with no filters (in Gradio session ``session``, else a new one)."""
        # the search tab's inputs: query, mode, body, municipality, kind, topic, since, until, order, nearest
        out = self.call(self.search_endpoint,
                        [query, mode, "(alla)", "(alla)", "(alla)", "(alla)", "", "", "relevance", False], session)
        return out[0] if isinstance(out[0], str) else str(out[0])


def hit_count(html: str) -> int:
    """Hit cards in the hits HTML."""
    return html.count('class="hit"')


def distinct_queries(n: int, seed: int = 15, avoid: set[str] | None = None) -> list[str]:
    """``n`` different queries of one to three :data:`WORDS` each (none in ``avoid``), in a fixed random order."""
    rng = random.Random(seed)
    seen = set(avoid or ())
    out: list[str] = []
    while len(out) < n:
        query = " ".join(rng.sample(WORDS, rng.choice((1, 2, 2, 3))))
        if query not in seen:
            seen.add(query)
            out.append(query)
    return out


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of process ``pid`` so far (all its threads), or None where unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


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


def start_app(archive: Path, port: int, embed: bool, log: Path, wait_s: float = 300.0,
              extra_env: dict[str, str] | None = None) -> subprocess.Popen:
    """``radslag serve`` on 127.0.0.1:``port`` in its own process; returns once it answers."""
    empty = archive.parent / "empty-corpus"
    empty.mkdir(exist_ok=True)
    proc = subprocess.Popen(radslag("serve", "--archive", str(archive), "--port", str(port), "--corpus", str(empty)),
                            cwd=ROOT, env={**_env(embed), **(extra_env or {})}, stdout=log.open("w"),
                            stderr=subprocess.STDOUT)
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
             ingest: subprocess.Popen | None = None, queries: list[str] | None = None,
             fresh_sessions: bool = False, app_pid: int | None = None) -> dict[str, Any]:
    """Closed loop: ``searches`` searches from ``threads`` threads, each sending its next as soon as the last
    is answered; latencies, errors, overlap with ``ingest``.

    Queries cycle through ``queries`` (default :data:`QUERIES`); ``repeats`` counts searches whose query came
    earlier in the run. Each thread is one Gradio session unless ``fresh_sessions``.
    """
    queries = list(queries or QUERIES)
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    during = [0]
    sessions = {}

    def one(i: int) -> None:
        query = queries[i % len(queries)]
        name = threading.current_thread().name
        session = None if fresh_sessions else sessions.setdefault(name, uuid.uuid4().hex[:11])
        running = ingest is not None and ingest.poll() is None
        t0 = time.perf_counter()
        try:
            html = client.search(query, mode, session)
            if "Traceback" in html:
                raise RuntimeError("traceback in the answer")
        except Exception as exc:  # noqa: BLE001 - every failure counts, whatever it is
            with lock:
                errors.append(f"{query[:40]!r}: {type(exc).__name__}: {str(exc)[:200]}")
            return
        with lock:
            latencies.append(time.perf_counter() - t0)
            during[0] += running

    used = [queries[i % len(queries)] for i in range(searches)]
    cpu0 = cpu_seconds(app_pid) if app_pid else None
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(one, range(searches)))
    wall = time.perf_counter() - t0
    cpu1 = cpu_seconds(app_pid) if app_pid else None
    out = {
        "searches": searches, "threads": threads, "distinct_queries": len(set(used)),
        "repeats": searches - len(set(used)), "errors": len(errors), "error_examples": errors[:5],
        "p50_s": _r(statistics.median(latencies) if latencies else None), "p95_s": _r(pct(latencies, 0.95)),
        "max_s": _r(max(latencies) if latencies else None), "wall_s": _r(wall),
        "searches_per_s": _r(len(latencies) / wall if wall else None), "during_ingest": during[0],
    }
    if cpu0 is not None and cpu1 is not None and latencies:
        out["app_cpu_ms_per_search"] = round(1000 * (cpu1 - cpu0) / len(latencies), 1)
    return out


def run_open(client: GradioHTTP, users: int, duration: float, think: tuple[float, float], mode: str,
             queries: list[str], seed: int = 25, app_pid: int | None = None) -> dict[str, Any]:
    """Open loop: ``users`` people, each in a session of their own, search, read the answer for a random
    ``think`` (min, max) seconds and search again, for ``duration`` seconds (starts spread over one think time).

    Queries are taken in turn from ``queries`` (shared by all users), so none repeats while there are enough.
    """
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    taken = [0]
    in_flight = [0, 0]  # now, most at once
    stop_at = time.perf_counter() + duration

    def user(u: int) -> None:
        rng = random.Random(seed * 1000 + u)
        session = uuid.uuid4().hex[:11]
        time.sleep(rng.uniform(0, think[1]))
        while time.perf_counter() < stop_at:
            with lock:
                query = queries[taken[0] % len(queries)]
                taken[0] += 1
                in_flight[0] += 1
                in_flight[1] = max(in_flight)
            t0 = time.perf_counter()
            try:
                html = client.search(query, mode, session)
                if "Traceback" in html:
                    raise RuntimeError("traceback in the answer")
                with lock:
                    latencies.append(time.perf_counter() - t0)
            except Exception as exc:  # noqa: BLE001 - every failure counts
                with lock:
                    errors.append(f"{query[:40]!r}: {type(exc).__name__}: {str(exc)[:200]}")
            finally:
                with lock:
                    in_flight[0] -= 1
            time.sleep(max(0.0, min(rng.uniform(*think), stop_at - time.perf_counter())))

    cpu0 = cpu_seconds(app_pid) if app_pid else None
    t0 = time.perf_counter()
    workers = [threading.Thread(target=user, args=(u,), daemon=True) for u in range(users)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    wall = time.perf_counter() - t0
    cpu1 = cpu_seconds(app_pid) if app_pid else None
    used = queries[: taken[0]] if taken[0] <= len(queries) else queries
    out = {
        "users": users, "think_s": list(think), "duration_s": duration, "searches": taken[0],
        "distinct_queries": len(set(used)), "repeats": taken[0] - len(set(used)),
        "errors": len(errors), "error_examples": errors[:5],
        "p50_s": _r(statistics.median(latencies) if latencies else None), "p95_s": _r(pct(latencies, 0.95)),
        "max_s": _r(max(latencies) if latencies else None), "wall_s": _r(wall),
        "searches_per_s": _r(len(latencies) / wall if wall else None), "most_in_flight": in_flight[1],
    }
    if cpu0 is not None and cpu1 is not None and latencies:
        out["app_cpu_ms_per_search"] = round(1000 * (cpu1 - cpu0) / len(latencies), 1)
    return out


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _start_env(cache: bool, batch: bool) -> dict[str, str]:
    return {"RADSLAG_SEARCH_CACHE": "1" if cache else "0", "RADSLAG_QUERY_BATCH": "1" if batch else "0"}


def run_arm(args: argparse.Namespace, archive: Path, work: Path, cache: bool, batch: bool = True) -> dict[str, Any]:
    """Everything measured against one app (its caches and query batching on or off) over its own copy of
    ``archive``."""
    embed = args.mode != "keyword"
    here = work / f"cache-{'on' if cache else 'off'}-batch-{'on' if batch else 'off'}"
    here.mkdir(parents=True, exist_ok=True)
    mine = here / "archive"
    shutil.copytree(archive, mine)
    result: dict[str, Any] = {"cache": cache, "query_batching": batch}
    app = ingest = None
    try:
        port = free_port()
        app = start_app(mine, port, embed, here / "app.log", extra_env=_start_env(cache, batch))
        client = GradioHTTP(f"http://127.0.0.1:{port}")
        for q in QUERIES[:3]:
            client.search(q, args.mode)  # warm: first-call costs (model, FTS pages, Gradio) are not load
        fresh = distinct_queries(args.baseline + args.searches + 2000, seed=args.seed, avoid=set(QUERIES))
        baseline_q, closed_q, open_q = fresh[:args.baseline], fresh[args.baseline:args.baseline + args.searches], \
            fresh[args.baseline + args.searches:]
        session = uuid.uuid4().hex[:11]
        single = []
        cpu0 = cpu_seconds(app.pid)
        for q in baseline_q:  # one after another, each new to the app: no cache helps
            t = time.perf_counter()
            client.search(q, args.mode, session)
            single.append(time.perf_counter() - t)
        cpu1 = cpu_seconds(app.pid)
        result["single_p50_s"] = _r(statistics.median(single))
        result["single_p95_s"] = _r(pct(single, 0.95))
        if cpu0 is not None and cpu1 is not None:
            result["single_app_cpu_ms"] = round(1000 * (cpu1 - cpu0) / len(single), 1)
        result["seen_before"] = hit_count(client.search(MARKER, "keyword")) > 0

        new_meetings(here / "new", args.docs)
        ingest = subprocess.Popen(radslag("ingest", "--archive", str(mine), "-q", str(here / "new")), cwd=ROOT,
                                  env=_env(embed), stdout=(here / "ingest.log").open("w"), stderr=subprocess.STDOUT)
        result["load"] = run_load(client, args.searches, args.threads, args.mode, ingest,
                                  fresh_sessions=args.fresh_sessions, app_pid=app.pid)
        result["ingest_status"] = ingest.wait(timeout=1800)
        result["ingest_overlapped"] = result["load"]["during_ingest"] > 0
        hits = hit_count(client.search(MARKER, "keyword"))
        result["seen_after"] = hits > 0
        result["new_hits_after"] = hits
        if args.mode != "keyword":
            result["seen_after_" + args.mode] = hit_count(client.search(f"{MARKER} klotter", args.mode)) > 0
        if not args.no_distinct:
            result["load_distinct"] = run_load(client, args.searches, args.threads, args.mode, queries=closed_q,
                                               fresh_sessions=args.fresh_sessions, app_pid=app.pid)
        if args.duration > 0:
            result["open"] = run_open(client, args.users, args.duration, (args.think[0], args.think[1]),
                                      args.mode, open_q, seed=args.seed, app_pid=app.pid)
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        for name in ("load", "load_distinct", "open"):
            run = result.get(name)
            if run and run.get("p95_s") and result["single_p50_s"]:
                run["p95_over_single"] = round(run["p95_s"] / result["single_p50_s"], 2)
                # like against like: queries differ in cost (a common word's hits cost 3-4x a rare word's), so
                # the p95 under load is also set against the p95 of the same kind of queries one at a time
                run["p95_over_single_p95"] = round(run["p95_s"] / result["single_p95_s"], 2)
            if name != "open" and run and run.get("app_cpu_ms_per_search") and result["single_p50_s"]:
                # closed loop: `threads` searches always in flight share the cores, so no scheduler answers
                # faster on average than threads * CPU per search / cores (Little's law)
                floor = run["threads"] * run["app_cpu_ms_per_search"] / 1000 / cores
                run["mean_latency_floor_s"] = _r(floor)
                run["floor_over_single"] = round(floor / result["single_p50_s"], 2)
        result["p95_over_single"] = result["load"].get("p95_over_single")
    finally:
        if ingest is not None and ingest.poll() is None:
            stop(ingest)
        if app is not None:
            stop(app)
    return result


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--searches", type=int, default=200)
    ap.add_argument("--threads", type=int, default=25, help="closed loop: searches in flight (the issue's 25)")
    ap.add_argument("--mode", choices=["hybrid", "keyword", "dense"], default="hybrid")
    ap.add_argument("--docs", type=int, default=30, help="new meetings ingested during the load")
    ap.add_argument("--corpus", default=str(ROOT / "corpus"), help="what the archive holds before the load")
    ap.add_argument("--archive", help="copy this prepared archive instead of ingesting --corpus")
    ap.add_argument("--baseline", type=int, default=40,
                    help="searches one after another for the baseline (enough for its p95)")
    ap.add_argument("--users", type=int, default=25, help="open loop: people searching")
    ap.add_argument("--think", type=float, nargs=2, default=(5.0, 10.0), metavar=("MIN", "MAX"),
                    help="open loop: seconds each person reads an answer before the next search")
    ap.add_argument("--duration", type=float, default=45.0, help="open loop: seconds (0: no open loop)")
    ap.add_argument("--no-distinct", action="store_true", help="skip the closed loop over distinct queries")
    ap.add_argument("--cache", choices=["on", "off", "both"], default="on", help="the app's caches")
    ap.add_argument("--batch", choices=["on", "off", "both"], default="on",
                    help="query embeddings of concurrent searches in shared calls (index/query_batch.py)")
    ap.add_argument("--fresh-sessions", action="store_true", help="a new Gradio session per search")
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--keep", action="store_true", help="keep the temporary archive and logs")
    args = ap.parse_args(argv)

    embed = args.mode != "keyword"
    work = Path(tempfile.mkdtemp(prefix="radslag-load-"))
    archive = work / "archive"
    result: dict[str, Any] = {"bench": "load", "mode": args.mode, "cores": os.cpu_count(),
                              "loadavg_start": [round(x, 2) for x in os.getloadavg()],
                              "sessions": "fresh per search" if args.fresh_sessions else "one per user"}
    try:
        t0 = time.perf_counter()
        if args.archive:
            shutil.copytree(args.archive, archive)
        else:
            subprocess.run(radslag("ingest", "--archive", str(archive), "-q", args.corpus), cwd=ROOT,
                           env=_env(embed), check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        result["prepare_s"] = _r(time.perf_counter() - t0)
        switch = {"on": [True], "off": [False], "both": [True, False]}
        arms = [(c, b) for b in switch[args.batch] for c in switch[args.cache]]
        runs = {f"cache_{'on' if c else 'off'}" + ("" if args.batch == "on" else f"_batch_{'on' if b else 'off'}"):
                run_arm(args, archive, work, c, b) for c, b in arms}
        if len(runs) == 1:
            result.update(next(iter(runs.values())))
        else:
            result.update(runs)
        result["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            result["work"] = str(work)
    return result


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False, indent=2))
