"""Shared fixtures: settings on a temp archive, and the corpus archive built once.

Model caches are shared across the session (and across runs) in
``$RADSLAG_CACHE`` or ``~/.cache/radslag`` so the e5 conversion and the
efselab build happen once per machine, as they do for users.
"""

from __future__ import annotations

import contextlib
import os
import shutil

import pytest

from radslag.config import CORPUS_DIR, load_settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


@pytest.fixture
def tmp_settings(tmp_path):
    """Settings for an empty archive in tmp_path, with no models (fast tests)."""
    return load_settings(archive_dir=tmp_path / "archive", embed=False, enrich=False)


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory):
    """Settings for an archive holding the whole bundled corpus, built with the
    real pipeline: readers, segmentation, e5 embeddings, efselab + topic enrichment,
    threads and follow-ups."""
    from ingest.pipeline import ingest_paths

    archive_dir = tmp_path_factory.mktemp("corpus") / "archive"
    settings = load_settings(archive_dir=archive_dir, embed=True, enrich=True)
    report = ingest_paths([str(CORPUS_DIR)], settings, progress=False)
    assert not report.failed, [(f.source, f.message) for f in report.failed]
    assert not report.notes, report.notes
    return settings


@pytest.fixture
def corpus_copy(corpus_settings, tmp_path):
    """A private copy of the corpus archive for tests that modify it."""
    dst = tmp_path / "archive"
    shutil.copytree(corpus_settings.archive_dir, dst)
    return corpus_settings.with_(archive_dir=dst)


@contextlib.contextmanager
def unprivileged():
    """Drop the effective uid to 'nobody' while running as root.

    Root reads every file whatever its mode, so permission errors can only be
    produced for real by a process without that privilege.
    """
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        yield
        return
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)
