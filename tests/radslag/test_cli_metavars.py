"""Every command's --help names its positional arguments and metavars in the UI's language.

The Swedish UI had English argument names left (``PATHS...``, ``[QUERY]``, ``COUNCIL``, ``COMMAND
[ARGS]...``) beside Swedish metavars (HELTAL, SÖKVÄG, MAPP); the English UI keeps English ones.
"""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from radslag.cli import cli
from radslag.cli.base import localise_click
from radslag.i18n import keys, t


def _commands(group: click.Group, path: tuple[str, ...] = ()):
    yield path, group
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))
        else:
            yield (*path, name), command


def _help(path: tuple[str, ...]) -> str:
    result = CliRunner().invoke(cli, [*path, "--help"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _metavars(text: str) -> str:
    """The usage line (with its continuation) and each option's metavar column of a --help text."""
    usage = text.split("\n\n", 1)[0]
    options = [line.split("  ")[1] if line.startswith("  -") else "" for line in text.splitlines()]
    return " ".join([usage, *options])


@pytest.fixture
def english():
    localise_click("en")
    try:
        yield
    finally:
        localise_click("sv")  # the test process's UI language (no --lang on its command line)


ENGLISH_WORDS = {t(k, "en") for k in keys("cli_metavar_")} | {"OPTIONS", "INTEGER", "FLOAT", "PATH", "FILENAME",
                                                              "DIRECTORY", "FILE", "RANGE"}


def test_swedish_help_has_no_english_metavar_left():
    seen_arguments = 0
    for path, command in _commands(cli):
        text = _help(path)
        words = set(re.findall(r"[A-Z][A-Z0-9_]+", _metavars(text)))
        assert not words & ENGLISH_WORDS, (" ".join(path) or "radslag", words & ENGLISH_WORDS)
        seen_arguments += sum(isinstance(p, click.Argument) for p in command.params)
    assert seen_arguments >= 10  # every command was looked at, not an empty walk
    usage = _help(("ingest",)).splitlines()[0]
    assert usage.endswith("[FLAGGOR] SÖKVÄGAR..."), usage
    assert _help(()).splitlines()[0].endswith("[FLAGGOR] KOMMANDO [ARGUMENT]...")
    assert "[FRÅGA]" in _help(("search",)) and "BEVAKNINGS-ID" in _help(("watch", "feed"))
    assert "--since ÅÅÅÅ-MM-DD" in _help(("meetings",)) and "--ray-address ADRESS" in _help(("ingest",))


def test_every_positional_argument_has_a_swedish_word():
    """A new argument without a ``cli_metavar_<name>`` entry fails here, not in a user's terminal."""
    ctx = click.Context(cli)
    for path, command in _commands(cli):
        for param in command.params:
            if isinstance(param, click.Argument) and not isinstance(param.type, click.Choice):
                assert param.name.upper() not in param.make_metavar(ctx), (" ".join(path), param.name)


def test_missing_argument_error_names_it_in_swedish():
    result = CliRunner().invoke(cli, ["publish", "-o", "x"])
    assert result.exit_code == 2 and "Argument saknas 'RÅD'" in result.output


def test_english_help_keeps_english_metavars(english):
    assert _help(("ingest",)).splitlines()[0].endswith("[OPTIONS] PATHS...")
    assert _help(()).splitlines()[0].endswith("[OPTIONS] COMMAND [ARGS]...")
    assert "[QUERY]" in _help(("search",)) and "WATCH_ID" in _help(("watch", "feed"))
    assert "COUNCIL" in _help(("publish",)) and "[ITEM_ID]" in _help(("threads",))
    assert "--since YYYY-MM-DD" in _help(("meetings",)) and "--ray-address ADDRESS" in _help(("ingest",))
    swedish = {t(k, "sv") for k in keys("cli_metavar_")} - {t(k, "en") for k in keys("cli_metavar_")}
    for path, _ in _commands(cli):
        # the usage line: click.Path's names are fixed when a command is defined, which the real CLI does after
        # choosing the language (see test_english_cli_process)
        words = set(re.findall(r"[A-ZÅÄÖ][A-ZÅÄÖ0-9_-]+", _help(path).split("\n\n", 1)[0]))
        assert not words & swedish, (" ".join(path) or "radslag", words & swedish)


def test_english_cli_process():
    """``--lang en`` on the command line, as a user runs it: every metavar English."""
    import subprocess
    import sys

    code = "import sys; from radslag.cli import main; sys.argv[0] = 'radslag'; main()"
    for args in (["ingest", "--help", "--lang", "en"], ["history", "--lang=en", "--help"]):
        out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True).stdout
        assert not re.search(r"\b(SÖKVÄG|SÖKVÄGAR|MAPP|HELTAL\w*|FRÅGA|ÅÅÅÅ|ADRESS|FLAGGOR|FIL)\b", out), out
    assert "Usage: radslag ingest [OPTIONS] PATHS..." in subprocess.run(
        [sys.executable, "-c", code, "ingest", "--help", "--lang", "en"], capture_output=True, text=True).stdout
