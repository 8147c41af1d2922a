"""Snapshots of every command's ``--help`` and of the usage errors, byte for byte.

The text comes from Typer, so a Typer release that renders it differently (metavars such as
``<list[str]>``, error wording of its own) shows up here rather than in front of a user; the
range of Typer versions in ``pyproject.toml`` is the one these snapshots were taken with.
After checking that a change is intended, rewrite them with
``OCP_UPDATE_GOLDEN=1 pytest tests/test_cli_help.py``.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from ocp_check.cli import app

GOLDEN = Path(__file__).resolve().parent / "golden" / "cli"
UPDATE = os.environ.get("OCP_UPDATE_GOLDEN") == "1"
#: A fixed width, so the wrapping does not depend on the terminal the tests run in.
ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}


def _commands(command: Any, path: list[str]) -> Iterator[list[str]]:
    yield path
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _commands(sub, [*path, name])


COMMANDS = list(_commands(typer.main.get_command(app), []))

USAGE_ERRORS = {
    "no-command": [],
    "unknown-command": ["frobnicate"],
    "unknown-option": ["check", "--frobnicate", "bid"],
    "missing-paths": ["check"],
    "bad-choice": ["check", "bid", "--fail-on", "critical"],
    "bad-integer": ["check", "bid", "--jobs", "many"],
    "bad-float": ["check", "bid", "--time-budget", "soon"],
    "missing-option-value": ["check", "bid", "--standard"],
    "missing-argument": ["standards", "show"],
    "no-subcommand": ["rules"],
    "unknown-subcommand": ["standards", "frobnicate"],
}


def _snapshot(name: str, args: list[str]) -> str:
    result = CliRunner().invoke(app, args, env=ENV, catch_exceptions=False)
    return f"$ {' '.join(['ocp-check', *args])}\nexit code {result.exit_code}\n--- stdout\n{result.stdout}--- stderr\n{result.stderr}"


def _check(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.txt"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no snapshot {path.name}: run with OCP_UPDATE_GOLDEN=1 once the text is right"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "ocp-check")
def test_help(path: list[str]) -> None:
    name = "help-" + "-".join(path or ["ocp-check"])
    _check(name, _snapshot(name, [*path, "--help"]))


@pytest.mark.parametrize(("name", "args"), list(USAGE_ERRORS.items()), ids=list(USAGE_ERRORS))
def test_usage_error(name: str, args: list[str]) -> None:
    _check(f"usage-{name}", _snapshot(name, args))


def test_help_shows_plain_metavars() -> None:
    """What the Typer range was chosen for: no Python type names, no braces around arguments."""
    text = (GOLDEN / "help-check.txt").read_text(encoding="utf-8")
    assert "PATHS..." in text and "--standard TEXT" in text and "--jobs INTEGER" in text
    for leak in ("<list[", "<str>", "<int>", "{paths}", "Value error", "Input should be"):
        assert leak not in text
    for name in USAGE_ERRORS:
        errors = (GOLDEN / f"usage-{name}.txt").read_text(encoding="utf-8")
        assert "Value error" not in errors and "Input should be" not in errors


def test_every_snapshot_belongs_to_a_command_or_an_error() -> None:
    expected = {"help-" + "-".join(p or ["ocp-check"]) for p in COMMANDS} | {
        f"usage-{n}" for n in USAGE_ERRORS
    }
    assert {p.stem for p in GOLDEN.glob("*.txt")} == expected


# --------------------------------------------------------------------------- French

FRENCH = GOLDEN / "fr"

_CHILD = """
import json, sys
from ocp_check import i18n
language = sys.argv[1]
if language == "qps":
    from tests.render.test_languages import pseudo_catalog
    i18n.install_catalog("qps", pseudo_catalog())
# As the console script does (entry.py): the language is chosen before the commands are declared.
i18n.set_language(language)
i18n.mark_chosen_at_start()
from tests import test_cli_help as t
prefix = ["--lang", language] if language in i18n.LANGUAGES else []
out = {}
for path in t.COMMANDS:
    out["help-" + "-".join(path or ["ocp-check"])] = t._snapshot("", [*prefix, *path, "--help"])
for name, args in t.USAGE_ERRORS.items():
    out["usage-" + name] = t._snapshot(name, [*prefix, *args])
sys.stdout.write(json.dumps(out))
"""


@functools.cache
def snapshots_in(language: str) -> dict[str, str]:
    """Every help text and usage error in ``language``, from one process that chose it before
    importing the commands (help texts are translated when the commands are declared)."""
    repo = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, language],
        cwd=repo,
        env={**os.environ, **ENV, "OCP_CHECK_LANG": "en"},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    result: dict[str, str] = json.loads(done.stdout)
    return result


SNAPSHOT_NAMES = ["help-" + "-".join(p or ["ocp-check"]) for p in COMMANDS] + [f"usage-{n}" for n in USAGE_ERRORS]


@pytest.mark.parametrize("name", SNAPSHOT_NAMES)
def test_help_and_usage_errors_in_french(name: str) -> None:
    path = FRENCH / f"{name}.txt"
    text = snapshots_in("fr")[name]
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no snapshot fr/{path.name}: run with OCP_UPDATE_GOLDEN=1 once the text is right"
    assert text == path.read_text(encoding="utf-8")


def test_every_french_snapshot_belongs_to_a_command_or_an_error() -> None:
    assert {p.stem for p in FRENCH.glob("*.txt")} == set(SNAPSHOT_NAMES)
