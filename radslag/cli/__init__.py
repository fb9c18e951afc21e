"""The ``radslag`` command line: a thin layer that parses options and calls functions.

Every command accepts ``--archive DIR`` (default ``./archive`` or
``$RADSLAG_ARCHIVE``). Output is human-readable Swedish by default;
``--lang en`` switches to English, ``--json`` (where offered) gives JSON.
Filter options are parsed once, by :func:`radslag.filters.parse_filters`.

One module per command group; each registers its commands on the group
:data:`radslag.cli.base.cli` when imported, so adding a command module is one
import line below. Commands import what they run inside their own body:
spaCy, torch, FAISS and scikit-learn take seconds to load, and ``radslag
--help`` or ``radslag meetings`` should not wait for them.
"""

from __future__ import annotations

from radslag.cli.base import cli, main

# Command modules: importing one registers its commands (one line each).
from radslag.cli import archive  # noqa: E402,F401  ingest, meetings, export, reindex
from radslag.cli import inspect  # noqa: E402,F401  inspect
from radslag.cli import history  # noqa: E402,F401  history
from radslag.cli import search  # noqa: E402,F401  search
from radslag.cli import models  # noqa: E402,F401  models
from radslag.cli import app  # noqa: E402,F401  serve
from radslag.cli import enrichment  # noqa: E402,F401  entities, topics
from radslag.cli import recurrence  # noqa: E402,F401  timeline, brief, followups, threads
from radslag.cli import status  # noqa: E402,F401  status
from radslag.cli import publish  # noqa: E402,F401  publish
from radslag.cli import watch  # noqa: E402,F401  watch add|list|run|alerts|feed|remove
from radslag.cli import compare  # noqa: E402,F401  compare

__all__ = ["cli", "main"]
