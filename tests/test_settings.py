"""One way to build a run's settings, for every command that runs a check.

``check``, ``compare`` and ``verify`` read the same options, the same environment and the
same project configuration (found by walking up to the repository root) in one order.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from ocp_check.config import find_config
from ocp_check.settings import Options, build

REPO = Path(__file__).resolve().parents[1]
BIDS = REPO / "examples" / "bids"
PROFILE = REPO / "examples" / "profiles" / "ontario-municipality.yaml"


@pytest.fixture
def hv(tmp_path: Path) -> Path:
    target = tmp_path / "hv"
    shutil.copytree(BIDS / "harbourview-sensors", target)
    return target


def _verdicts(result: Any) -> dict[str, str]:
    assert result.exit_code == 0, result.stderr
    return {b["name"].rsplit("/", 1)[-1]: b["verdict"] for b in json.loads(result.stdout)["bids"]}


# ----------------------------------------------------------------------------- verify


def test_verify_accepts_a_report_written_with_each(run, tmp_path):
    """``verify`` re-runs with every recorded option, ``--each`` included (it used to leave it
    out and find ten differences in an untouched report)."""
    bids = tmp_path / "bids"
    shutil.copytree(BIDS, bids)
    report = tmp_path / "report.json"
    result = run("check", "--each", str(bids), "--format", f"json:{report}", "--today", "2026-06-01")
    assert result.exit_code in (0, 1), result.stderr
    assert json.loads(report.read_text())["options"]["each"] is True
    verified = run("verify", str(report))
    assert verified.exit_code == 0, verified.stdout + verified.stderr


# ----------------------------------------------------------------------------- compare


def test_compare_honours_the_project_configuration(run, hv, tmp_path, monkeypatch):
    """A profile named in the configuration judges ``compare`` as it judges ``check``."""
    (tmp_path / ".ocp-check.yaml").write_text(f"profile: {PROFILE}\n")
    monkeypatch.chdir(tmp_path)
    assert run("check", "hv", "--today", "2026-06-01").exit_code == 1
    assert _verdicts(run("compare", "hv", "--format", "json", "--today", "2026-06-01")) == {"hv": "nonconformant"}


def test_compare_takes_the_limits_and_root_of_check(run, hv, tmp_path):
    small = run("compare", str(hv), "--format", "json", "--max-file-size", "100")
    assert _verdicts(small) == {"hv": "nonconformant"}
    confined = run("compare", str(hv), "--format", "json", "--root", str(hv))
    assert _verdicts(confined) == {"hv": "conformant"}


def test_compare_runs_as_many_workers_as_check(run, hv, monkeypatch):
    """``compare`` used to run every bid in one worker whatever ``--jobs`` said."""
    import ocp_check.engine as engine

    seen: list[int] = []
    real = engine.check

    def spy(paths: Any, settings: Any, catalog: Any, stdin: Any = None, watch: Any = None, **more: Any) -> Any:
        seen.append(settings.jobs)
        return real(paths, settings, catalog, stdin, watch, **more)

    monkeypatch.setattr(engine, "check", spy)
    assert run("compare", str(hv), "--jobs", "2", "--format", "json").exit_code == 0
    assert run("check", str(hv), "--jobs", "2", "--format", "json").exit_code == 0
    assert seen == [2, 2]


def test_compare_rejects_what_check_rejects(run, hv):
    assert run("compare", str(hv), "--jobs", "0").exit_code == 2
    assert run("compare", str(hv), "--max-depth", "0").exit_code == 2


# ----------------------------------------------------------------------------- project configuration


def test_the_configuration_is_found_up_to_the_repository_root(tmp_path):
    repo = tmp_path / "repo"
    deep = repo / "bids" / "2026"
    deep.mkdir(parents=True)
    (repo / ".git").mkdir()
    (repo / ".ocp-check.yaml").write_text("fail_on: warning\n")
    assert find_config(None, deep).fail_on == "warning"
    assert find_config(None, deep).source == str(repo / ".ocp-check.yaml")


def test_the_nearest_configuration_wins_and_pyproject_needs_its_table(tmp_path):
    repo = tmp_path / "repo"
    sub = repo / "sub"
    sub.mkdir(parents=True)
    (repo / ".git").mkdir()
    (repo / ".ocp-check.yaml").write_text("fail_on: warning\n")
    (sub / "pyproject.toml").write_text("[tool.other]\nx = 1\n")
    assert find_config(None, sub).fail_on == "warning"  # a pyproject without the table is passed over
    (sub / "pyproject.toml").write_text("[tool.ocp-check]\nfail_on = 'info'\n")
    assert find_config(None, sub).fail_on == "info"


def test_a_configuration_above_the_repository_root_is_not_used(tmp_path):
    (tmp_path / ".ocp-check.yaml").write_text("fail_on: warning\n")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    assert find_config(None, repo).source is None


def test_the_configuration_applies_to_every_command(run, tmp_path, monkeypatch):
    """``standards_path`` of the configuration reaches ``standards list`` too."""
    root = tmp_path / "city-standards"
    target = root / "harbourview-sensors" / "1.0.0"
    shutil.copytree(REPO / "standards" / "ocp-data-retention" / "1.0.0", target)
    meta = target / "standard.yaml"
    meta.write_text(meta.read_text().replace("id: ocp-data-retention", "id: harbourview-sensors", 1))
    (tmp_path / ".git").mkdir()
    (tmp_path / ".ocp-check.yaml").write_text("standards_path: [city-standards]\n")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    assert "harbourview-sensors" in run("standards", "list").stdout


# ----------------------------------------------------------------------------- the order


def test_options_win_over_the_environment_and_the_configuration(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".ocp-check.yaml").write_text("fail_on: warning\nstandards: [ocp-data-retention@1.0]\n")
    env = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01
    built = build(Options(), cwd=tmp_path, environ=env)
    assert built.fail_on == "warning"
    assert built.settings.standards == ("ocp-data-retention@1.0",)
    assert str(built.settings.today) == "2026-01-01"
    given = build(
        Options(fail_on="never", standards=("ocp-data-retention@1.1",), today="2026-05-05"), cwd=tmp_path, environ=env
    )
    assert (given.fail_on, given.settings.standards, str(given.settings.today)) == (
        "never",
        ("ocp-data-retention@1.1",),
        "2026-05-05",
    )


def test_recorded_options_leave_the_configuration_out(tmp_path):
    """``verify`` re-runs what the report records, not what the configuration says today."""
    (tmp_path / ".git").mkdir()
    (tmp_path / ".ocp-check.yaml").write_text(f"profile: {PROFILE}\nstandards: [ocp-data-retention@1.0]\n")
    built = build(Options(recorded=True), cwd=tmp_path, environ={"SOURCE_DATE_EPOCH": "0"})
    assert built.settings.profile is None and built.settings.standards == () and built.settings.today is None
    assert build(Options(), cwd=tmp_path, environ={}).settings.profile is not None


def test_defaults_without_configuration(tmp_path):
    (tmp_path / ".git").mkdir()
    built = build(Options(paths=("x",)), cwd=tmp_path, environ={})
    assert built.fail_on == "error" and built.formats == ("text",)
    assert built.settings.paths == ("x",) and built.settings.jobs >= 1
