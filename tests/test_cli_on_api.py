"""The command line is built on the Python API: ``check``, ``compare`` and ``verify`` prepare
their settings and run their checks through ``ocp_check.api``, so there is one path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import ocp_check.api as api
from tests.conftest import EXAMPLE_BID


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    prepare, run = api._prepare, api._run

    def spy_prepare(options: Any) -> Any:
        seen.append("prepare")
        return prepare(options)

    def spy_run(*args: Any, **kwargs: Any) -> Any:
        seen.append("run")
        return run(*args, **kwargs)

    monkeypatch.setattr(api, "_prepare", spy_prepare)
    monkeypatch.setattr(api, "_run", spy_run)
    return seen


@pytest.mark.parametrize("command", ["check", "compare"])
def test_check_and_compare_run_through_the_api(run: Any, calls: list[str], command: str) -> None:
    result = run(command, str(EXAMPLE_BID), "--today", "2026-12-01", "--jobs", "1")
    assert result.exit_code in (0, 1), result.stderr
    assert calls == ["prepare", "run"]


def test_verify_runs_through_the_api(run: Any, calls: list[str], tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    assert (
        run(
            "check", str(EXAMPLE_BID), "--today", "2026-12-01", "--jobs", "1", "-f", f"json:{report}"
        ).exit_code
        == 0
    )
    calls.clear()
    result = run("verify", str(report))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert calls == ["prepare", "run"]
