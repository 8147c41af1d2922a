"""Under CI=true a skip is a failure: a missing corpus, fixture or parser must not let CI pass
by running less. The hooks in tests/conftest.py are run on a small suite of their own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CONFTEST = (
    "from tests.conftest import (pytest_collectreport, pytest_runtest_makereport,\n"
    "    pytest_sessionfinish, pytest_terminal_summary)\n"
)
SKIPS_A_TEST = "import pytest\n\ndef test_needs_corpus():\n    pytest.skip('corpus not found')\n\ndef test_ok():\n    pass\n"
SKIPS_A_MODULE = "import pytest\n\npytest.skip('schema not available', allow_module_level=True)\n"


def _pytest(folder: Path, ci: bool) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PYTHONPATH"] = str(REPO)
    if ci:
        env["CI"] = "true"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", str(folder)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _suite(tmp_path: Path, body: str) -> Path:
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_suite.py").write_text(body)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    return tmp_path


def test_a_skipped_test_fails_under_ci(tmp_path):
    suite = _suite(tmp_path, SKIPS_A_TEST)
    assert _pytest(suite, ci=False).returncode == 0
    result = _pytest(suite, ci=True)
    assert result.returncode == 1, result.stdout
    assert "1 failed, 1 passed" in result.stdout
    assert "skipped under CI=true" in result.stdout and "corpus not found" in result.stdout


def test_a_skipped_module_fails_the_session_under_ci(tmp_path):
    suite = _suite(tmp_path, SKIPS_A_MODULE)
    assert _pytest(suite, ci=False).returncode in (0, 5)
    result = _pytest(suite, ci=True)
    assert result.returncode == 1, result.stdout
    assert "skipped under CI=true (a failure)" in result.stdout and "schema not available" in result.stdout
