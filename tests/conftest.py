"""Shared fixtures: the CLI runner, the conformant example bid, the JSON report schema.

Under ``CI=true`` nothing may be skipped: a test that would skip for a missing corpus file
(``../shared`` is beside the repository in CI), fixture or parser fails instead, and a module
skipped as a whole fails the session, so that CI never passes by not running a test.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from jsonschema import Draft202012Validator
from referencing import Registry
from typer.testing import CliRunner

from ocp_check import i18n
from ocp_check.cli import app
from ocp_check.formats import make_format_checker

# The suite's expectations are in English whatever the machine's locale; the language tests
# set or remove the variable themselves.
os.environ["OCP_CHECK_LANG"] = "en"

# Property tests judge answers, not speed (speed is measured by the benchmarks in bench/): a
# per-example deadline only fails a loaded machine, the way a busy CI runner with every core
# in use (`pytest -n auto`) is.
settings.register_profile("ocp-check", deadline=None)
settings.load_profile("ocp-check")

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_BID = REPO / "standards" / "_examples" / "northwind-cmi"
SHARED = REPO.parent / "shared"
REPORT_SCHEMA = json.loads((REPO / "ocp_check" / "schemas" / "report.schema.json").read_text())
_REPORT_VALIDATOR = Draft202012Validator(
    REPORT_SCHEMA, registry=Registry(), format_checker=make_format_checker()
)


class Result:
    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr

    def json(self) -> Any:
        data = json.loads(self.stdout)
        assert_valid_report(data)
        return data


def assert_valid_report(data: Any) -> None:
    errors = sorted(_REPORT_VALIDATOR.iter_errors(data), key=str)
    assert not errors, [e.message for e in errors[:5]]


@pytest.fixture(autouse=True)
def own_data_home(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Standards installed from bundles go to a folder of the test's own, never the user's."""
    monkeypatch.setenv("OCP_CHECK_DATA_HOME", str(tmp_path_factory.mktemp("data-home")))


@pytest.fixture(autouse=True)
def plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reports are laid out as for a file whatever the shell running the suite sets: pytest-xdist
    workers export ``COLUMNS=80``, and a CI runner may set ``FORCE_COLOR`` or ``NO_COLOR``. A test
    about them sets them itself."""
    for name in ("COLUMNS", "FORCE_COLOR", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def own_cache(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test's runs keep their result cache in a folder of the test's own: never in the
    repository, never shared between tests (a test may change code the key cannot see)."""
    monkeypatch.setenv("OCP_CHECK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """The checking code never opens a network connection: any attempt fails the test."""
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture
def run() -> Callable[..., Result]:
    """Invoke the CLI in-process (no traceback swallowed) and return exit code and output."""

    def invoke(*args: str, input: bytes | str | None = None) -> Result:
        runner = CliRunner()
        try:
            result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
        finally:
            i18n.set_language("en")  # a --lang fr run leaves no French behind for the next test
        return Result(result.exit_code, result.stdout, result.stderr)

    return invoke


@pytest.fixture
def bid(tmp_path: Path) -> Path:
    """A fresh copy of the conformant example bid."""
    target = tmp_path / "bid"
    shutil.copytree(EXAMPLE_BID, target)
    return target


def requires_shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the repository")
    return SHARED


def _in_ci() -> bool:
    return os.environ.get("CI") == "true"


def _reason(report: pytest.TestReport | pytest.CollectReport) -> str:
    longrepr = report.longrepr
    return str(longrepr[2]) if isinstance(longrepr, tuple) else str(longrepr)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if _in_ci() and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, where every corpus file, fixture and parser is required: {_reason(report)}"


_SKIPPED_MODULES: list[str] = []


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if _in_ci() and report.skipped:
        _SKIPPED_MODULES.append(f"{report.nodeid}: {_reason(report)}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _SKIPPED_MODULES and session.exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    if _SKIPPED_MODULES:
        terminalreporter.section("skipped under CI=true (a failure)")
        for line in _SKIPPED_MODULES:
            terminalreporter.write_line(line)
