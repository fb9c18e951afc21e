"""App tests: files the handlers make for downloads are removed after each test.

The handlers write downloads into the process's download folder
(:func:`radslag.serve.download_file`); removing them after each test keeps
one test's files out of the next (e.g. the sweep test in test_serve.py).
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _clean_downloads():
    yield
    from radslag.serve import sweep_downloads

    sweep_downloads(0)
