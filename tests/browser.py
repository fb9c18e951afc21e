"""Shared pieces of the tests that drive a real headless Chromium (Debian's package)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.load import free_port  # noqa: F401  (re-exported for the browser tests)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "bench" / "out"
# no network of its own, no GPU, no updates: the browser only talks to what the test serves
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-dev-shm-usage")


def need_chromium() -> None:
    """Skip the calling test or fixture where Debian's chromium is not installed."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (./run.sh test installs it as root with apt-get)")


def launch(playwright, *extra_args: str):
    """A headless Chromium started from ``playwright`` with the shared arguments."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *extra_args])
