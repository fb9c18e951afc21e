"""A few hundred malformed files, mixed with good ones, through the isolated parse step.

The full run (over 1,000 files, with figures) is ``bench/fuzz.py``; the
generator and the judge are ``tests/tools/fuzz.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import fuzz  # noqa: E402

from radslag.config import load_settings  # noqa: E402

#: Fewer copies of the same good files than the full run: they cost the most time.
CI_WEIGHTS = {"good": 0.05, "good_generated": 0.04}


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("fuzz") / "filer"
    cases = fuzz.generate(out, count=340, seed=1, weights=CI_WEIGHTS)
    direct = fuzz.direct_paths(out)
    settings = load_settings(archive_dir=out.parent / "archive", embed=False, enrich=False, file_timeout_s=30.0)
    return fuzz.check(out, cases, settings, direct=direct, workers=2, watchdog_s=600.0)


def test_every_file_gets_exactly_one_clean_outcome(report):
    assert report["cases"] >= 250
    assert report["files"] == report["cases"]
    assert report["problems"] == []
    assert report["hangs"] == 0 and report["tracebacks"] == 0


def test_every_kind_was_exercised(report):
    assert set(report["by_kind"]) >= set(fuzz.WEIGHTS)
    # hostile kinds were refused for the right reason
    assert set(report["by_kind"]["docx_zip_bomb"]) <= {"too_large", "corrupt_docx"}
    assert set(report["by_kind"]["docx_paragraph_bomb"]) == {"too_large"}
    assert set(report["by_kind"]["pdf_pages"]) == {"too_large"}
    assert set(report["by_kind"]["fifo"]) == {"not_regular"}
    assert set(report["by_kind"]["good"]) == {"parsed"}
