"""Cold start of the command line: fresh processes, wall time, beside raw baselines.

Each case is a new Python process started the way a user starts it, timed
from start to exit (median, min and max of ``--runs``):

* ``radslag --help``
* ``radslag search QUERY --mode keyword`` (no model)
* ``radslag search QUERY`` (hybrid: keyword + the embedding model) with the
  configured encoder backend (``auto`` = ONNX fp32 when exported) and, with
  ``--torch``, with ``RADSLAG_BACKEND=torch`` for comparison
* ``search_hybrid_no_preload`` (bytecode-cached only): the same hybrid search
  with the CLI's background model load switched off, so the overlap it buys
  is measured rather than assumed

Baselines in the same run, on the same machine and load: ``python -c pass``
(the interpreter), ``import torch``, the raw model loads: sentence-transformers
loading the model folder on torch, an onnxruntime session on the ONNX file
plus one query encoded (with the whole ``tokenizer.json``), and
``Tokenizer.from_file`` alone (what the search's piece table avoids).

Python's bytecode cache matters: a process that may not write ``.pyc``
files (``PYTHONDONTWRITEBYTECODE=1``, as in some sandboxes and CI) compiles
every project module on every start. The radslag cases therefore run twice:
``as_configured`` (the environment as it is) and ``bytecode_cached``
(``PYTHONPYCACHEPREFIX`` pointing at a temporary folder, filled by the
unmeasured warm-up run; what an installed package gets).

``breakdown`` times the phases of one keyword and one hybrid search inside
a fresh process (imports, opening the compound lexicon, the first search,
the model load, the topic seeds), wall and CPU seconds, and says what got
loaded whole (lexicon tables, the full tokenizer), so a missed target says
where the time goes. The machine's load
average and core count are printed with the figures: on a shared machine
the same command is several times slower under load, so each case also
reports the child's CPU seconds (user + system), which moves far less.

Usage::

    python -m bench.coldstart --archive archive/          # an archive with vectors
    python -m bench.coldstart --runs 3 --query "motorburen ungdom" --torch   # also hybrid on torch
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS_S = {"search_keyword": 1.0, "search_hybrid": 4.0}


def _radslag() -> list[str]:
    """How to start the ``radslag`` console script of this interpreter."""
    script = Path(sys.executable).with_name("radslag")
    if script.exists():
        return [str(script)]
    found = shutil.which("radslag")
    return [found] if found else [sys.executable, "-c", "from radslag.cli import main; main()"]


def wall(cmd: list[str], env: dict[str, str], runs: int) -> dict:
    """Median/min/max wall seconds of ``runs`` fresh processes of ``cmd`` (one unmeasured warm-up for the disk cache)."""
    times, cpu = [], []
    for i in range(runs + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        elapsed = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            return {"error": proc.stderr.strip()[-500:], "rc": proc.returncode}
        if i:  # the first run fills the page cache: what "cold process" means here is a new process
            times.append(elapsed)
            cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    # CPU seconds (user + system, all threads) barely move with other processes' load, where
    # wall time on a shared 2-core machine can be several times the idle figure.
    return {"median_s": round(statistics.median(times), 3), "min_s": round(min(times), 3),
            "max_s": round(max(times), 3), "cpu_median_s": round(statistics.median(cpu), 3), "runs": len(times)}


BREAKDOWN = r"""
import json, sys, time
t0 = time.perf_counter(); c0 = time.process_time(); out = {}; cpu = out["cpu_s"] = {}
def mark(key, since):
    global c0
    now = time.perf_counter(); out[key] = round(now - since, 3)
    c = time.process_time(); cpu[key] = round(c - c0, 3); c0 = c
    return now
import radslag.cli
t = mark("import_cli_s", t0)
from index import search as S
from index.store import Archive
from radslag.config import load_settings
t = mark("import_search_and_store_s", t)
from index.compounds import get_lexicon
get_lexicon()
t = mark("compound_lexicon_s", t)
settings = load_settings()
with Archive(settings.db_path) as arc:
    S.search(arc, sys.argv[1], settings=settings, mode="keyword")
    t = mark("first_keyword_search_s", t)
    S.search(arc, sys.argv[1], settings=settings, mode="keyword")
    t = mark("second_keyword_search_s", t)
    if sys.argv[2] == "1":
        from index.embeddings import load_embedder
        emb = load_embedder(settings)
        out["backend"] = emb.backend
        t = mark("model_load_s", t)
        if hasattr(S, "_topic_seeds"):
            S._topic_seeds()  # the taxonomy's seed terms, analysed once per process by the hybrid side
            t = mark("topic_seeds_s", t)
        S.search(arc, sys.argv[1], settings=settings, mode="hybrid")
        t = mark("first_hybrid_search_s", t)
        model = getattr(emb, "model", None)
        if hasattr(model, "_full_tok"):
            out["full_tokenizer_loaded"] = model._full_tok is not None
out["total_s"] = round(time.perf_counter() - t0, 3)
out["cpu_total_s"] = round(time.process_time(), 3)
out["torch_imported"] = "torch" in sys.modules
out["numpy_imported"] = "numpy" in sys.modules
lex = get_lexicon()
out["lexicon_tables_loaded"] = sorted(k for k, v in vars(lex).items() if getattr(v, "loaded", False))
print(json.dumps(out))
"""

#: The hybrid search with the CLI's background model load switched off (A/B of the overlap).
NO_PRELOAD = r"""
import sys
import radslag.cli.search as s
s._preload_model = lambda settings: None
from radslag.cli import main
sys.argv[0] = "radslag"
main()
"""

RAW_TORCH = r"""
import sys
from sentence_transformers import SentenceTransformer
m = SentenceTransformer(sys.argv[1], device="cpu", local_files_only=True)
m.encode(["query: motorburen ungdom"])
"""

RAW_ONNX = r"""
import sys
import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer
tok = Tokenizer.from_file(sys.argv[2])
s = ort.InferenceSession(sys.argv[1], providers=["CPUExecutionProvider"])
enc = tok.encode("query: motorburen ungdom")
feed = {"input_ids": np.array([enc.ids], dtype=np.int64), "attention_mask": np.array([enc.attention_mask], dtype=np.int64)}
if "token_type_ids" in {i.name for i in s.get_inputs()}:
    feed["token_type_ids"] = np.zeros_like(feed["input_ids"])
s.run(None, feed)
"""


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--archive", help="Archive with vectors (default: the configured archive).")
    ap.add_argument("--query", default="motorburen ungdom")
    ap.add_argument("--runs", type=int, default=3, help="Measured fresh processes per case (median reported).")
    ap.add_argument("--no-baselines", action="store_true", help="Skip import torch and the raw model loads.")
    ap.add_argument("--torch", action="store_true", help="Also time a hybrid search with RADSLAG_BACKEND=torch.")
    args = ap.parse_args(argv)

    env = dict(os.environ)
    if args.archive:
        env["RADSLAG_ARCHIVE"] = str(Path(args.archive).resolve())
    from radslag.config import load_settings

    settings = load_settings(archive_dir=env.get("RADSLAG_ARCHIVE"))
    if not settings.db_path.exists():
        sys.exit(f"no archive at {settings.db_path}: ingest first (radslag ingest corpus/ --archive DIR)")
    env["RADSLAG_ARCHIVE"] = str(settings.archive_dir)
    cli = _radslag()
    py = sys.executable
    out: dict = {
        "machine": {"cpus": os.cpu_count(), "loadavg_1m_before": round(os.getloadavg()[0], 2)},
        "archive": str(settings.archive_dir), "query": args.query, "targets_s": TARGETS_S,
        "cases": {}, "baselines": {},
    }
    out["machine"]["python_dont_write_bytecode"] = bool(env.get("PYTHONDONTWRITEBYTECODE"))
    pycache = tempfile.mkdtemp(prefix="radslag-pycache-")
    cached_env = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cached_env["PYTHONPYCACHEPREFIX"] = pycache
    for label, case_env in (("bytecode_cached", cached_env), ("as_configured", env)):
        cases = out["cases"][label] = {}
        cases["help"] = wall([*cli, "--help"], case_env, args.runs)
        cases["search_keyword"] = wall([*cli, "search", args.query, "--mode", "keyword"], case_env, args.runs)
        cases["search_hybrid"] = wall([*cli, "search", args.query], case_env, args.runs)
        if label == "bytecode_cached":
            cases["search_hybrid_no_preload"] = wall([sys.executable, "-c", NO_PRELOAD, "search", args.query],
                                                     case_env, args.runs)
        if args.torch:
            cases["search_hybrid_torch"] = wall([*cli, "search", args.query],
                                                {**case_env, "RADSLAG_BACKEND": "torch"}, args.runs)
    cases = out["cases"]["bytecode_cached"]
    env = cached_env

    base = out["baselines"]
    base["python_pass"] = wall([py, "-c", "pass"], env, args.runs)
    if not args.no_baselines:
        base["import_torch"] = wall([py, "-c", "import torch"], env, args.runs)
        from index.provision import find_onnx_files, model_status

        status = model_status(settings)
        folder = Path(status["path"]) if status.get("path") else None
        if folder and status.get("provisioned"):
            base["raw_torch_model_load_and_encode"] = wall([py, "-c", RAW_TORCH, str(folder)], env, args.runs)
            onnx = find_onnx_files(folder, settings).get("onnx")
            tokenizer = folder / "tokenizer.json"
            if onnx and tokenizer.exists():
                base["raw_onnx_session_and_encode"] = wall([py, "-c", RAW_ONNX, str(onnx), str(tokenizer)], env,
                                                           args.runs)
            if tokenizer.exists():  # what the piece table spares a query (index.embeddings.PieceTokenizer)
                base["raw_tokenizer_from_file"] = wall(
                    [py, "-c", "import sys; from tokenizers import Tokenizer; Tokenizer.from_file(sys.argv[1])",
                     str(tokenizer)], env, args.runs)

    out["breakdown"] = {}
    for name, hybrid in (("keyword", "0"), ("hybrid", "1")):
        proc = subprocess.run([py, "-c", BREAKDOWN, args.query, hybrid], env=env, capture_output=True, text=True)
        out["breakdown"][name] = (json.loads(proc.stdout.strip().splitlines()[-1]) if proc.returncode == 0
                                  else {"error": proc.stderr.strip()[-500:]})
    out["machine"]["loadavg_1m_after"] = round(os.getloadavg()[0], 2)
    out["met"] = {label: {k: (c[k].get("median_s") is not None and c[k]["median_s"] <= v) for k, v in TARGETS_S.items()}
                  for label, c in out["cases"].items()}
    shutil.rmtree(pycache, ignore_errors=True)
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
