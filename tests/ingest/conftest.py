"""Fixtures for the entity tests: one efselab build and one pipeline per session.

The efselab build (~45 s, once per cache folder) lives in ``$RADSLAG_CACHE``
or ``~/.cache/radslag``, like a user's, so it is reused across test runs.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from radslag.config import Settings


def _cache_dir() -> Path:
    env = os.environ.get("RADSLAG_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "radslag"


@pytest.fixture(scope="session")
def efselab_settings(tmp_path_factory) -> Settings:
    """Settings whose cache folder holds the shared efselab build (built here if missing)."""
    from ingest.nlp import ensure_efselab

    settings = Settings(archive_dir=tmp_path_factory.mktemp("nlp") / "archive", cache_dir=_cache_dir())
    ensure_efselab(settings, progress=False)
    return settings


@pytest.fixture(scope="session")
def extractor(efselab_settings):
    """One EntityExtractor (efselab weights loaded once) for the session."""
    from ingest.entities import EntityExtractor

    return EntityExtractor(efselab_settings, progress=False)
