"""Test-case tables kept as data (tests/data/rule_cases.yaml) rather than as literals in each test file."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

CASES = Path(__file__).resolve().parent / "data" / "rule_cases.yaml"


@cache
def _all() -> dict:
    return yaml.safe_load(CASES.read_text(encoding="utf-8"))


def cases(name: str) -> list[tuple]:
    """The rows of table ``name``, each a tuple for ``pytest.mark.parametrize``."""
    return [tuple(row) for row in _all()[name]]
