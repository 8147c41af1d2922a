"""A program using the API type-checks under ``mypy --strict``, and a wrong use does not."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = """
from __future__ import annotations

import datetime

import ocp_check
from ocp_check.api import Report


def gate(paths: list[str]) -> int:
    report: Report = ocp_check.check(
        paths,
        standards=["ocp-data-governance@1.1"],
        today=datetime.date(2026, 12, 1),
        limits=ocp_check.Limits(max_file_size=1_000_000),
        jobs=1,
    )
    for submission in report.submissions:
        for finding in submission.findings:
            if finding.active and finding.severity is ocp_check.Severity.ERROR:
                where: str = finding.location.file
                line: int | None = finding.location.line
                print(where, line, finding.message)
    text: str = ocp_check.render_report(report, "sarif", fail_on="warning")
    matrix: str = ocp_check.render_matrix(report, "csv")
    outcome: ocp_check.Verification = ocp_check.verify_report(text.encode())
    memory = ocp_check.check_documents({"data-manifest.yaml": b"kind: data-manifest\\n"}, name="x")
    listed: tuple[ocp_check.StandardSummary, ...] = ocp_check.list_standards()
    clauses = ocp_check.load_standard(listed[0].ref).clauses
    level: ocp_check.Level = clauses[0].level
    try:
        ocp_check.load_standard("x")
    except ocp_check.StandardError as err:
        hint: str | None = err.hint
        print(hint)
    print(matrix, outcome.matches, memory.conformant, level)
    return ocp_check.exit_code(report, "warning")
"""

BAD = """
import ocp_check

report = ocp_check.check(["a"])
code: str = ocp_check.exit_code(report, "sometimes")
"""


def _mypy(tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    if (
        shutil.which("mypy") is None
        and subprocess.run(
            [sys.executable, "-m", "mypy", "--version"], capture_output=True, check=False
        ).returncode
    ):
        pytest.skip("mypy is not installed")
    (tmp_path / "usage.py").write_text(source)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(tmp_path / ".cache"),
            "--follow-imports=silent",
            "usage.py",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )


def test_typed_usage_passes_mypy_strict(tmp_path: Path) -> None:
    result = _mypy(tmp_path, GOOD)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_wrong_use_is_caught(tmp_path: Path) -> None:
    result = _mypy(tmp_path, BAD)
    assert result.returncode == 1
    assert 'Argument 2 to "exit_code" has incompatible type' in result.stdout
    assert "Incompatible types in assignment" in result.stdout
