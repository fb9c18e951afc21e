"""Small helpers shared by the bench scripts: timing, percentiles, peak RSS, JSON output."""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np


class Timer:
    """Wall-clock timer; ``seconds`` is set when the ``with`` block ends."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._t0 = 0.0

    def __enter__(self) -> "Timer":
        self._t0 = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self._t0


@contextmanager
def timed(results: dict[str, Any], key: str, digits: int = 3) -> Iterator[None]:
    """Store the block's wall time in ``results[key]`` (seconds, rounded)."""
    t0 = time.perf_counter()
    try:
        yield
    finally:
        results[key] = round(time.perf_counter() - t0, digits)


def percentiles_ms(samples_s: Sequence[float], qs: Sequence[int] = (50, 95)) -> dict[str, float]:
    """Return ``{"p50_ms": …, "p95_ms": …}`` for latencies given in seconds."""
    arr = np.asarray(samples_s, dtype=np.float64) * 1000.0
    if arr.size == 0:
        return {f"p{q}_ms": float("nan") for q in qs}
    return {f"p{q}_ms": round(float(np.percentile(arr, q)), 3) for q in qs}


def latencies(fn, inputs: Sequence[Any], warmup: int = 3) -> list[float]:
    """Call ``fn(x)`` for each input after ``warmup`` calls; return per-call seconds."""
    for x in list(inputs)[:warmup]:
        fn(x)
    out = []
    for x in inputs:
        t0 = time.perf_counter()
        fn(x)
        out.append(time.perf_counter() - t0)
    return out


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MiB (Linux reports KiB)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(rss / 1024.0 if sys.platform != "darwin" else rss / (1024.0 * 1024.0), 1)


def print_json(obj: Any) -> None:
    """Print ``obj`` as one JSON object on stdout (numpy values converted)."""

    def default(o: Any) -> Any:
        if isinstance(o, np.generic):
            return o.item()
        if isinstance(o, np.ndarray):
            return o.tolist()
        return str(o)

    print(json.dumps(obj, ensure_ascii=False, default=default, indent=1))
    sys.stdout.flush()


def log(msg: str) -> None:
    """Progress note on stderr (stdout is reserved for the JSON result)."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)
