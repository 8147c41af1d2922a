"""Shared fixtures: the CLI runner, the conformant example bid, the JSON report schema."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry
from typer.testing import CliRunner

from ocp_check.cli import app
from ocp_check.formats import make_format_checker

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
        result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
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
