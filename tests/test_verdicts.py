"""What a run says about itself: which standards it judged, a verdict that agrees with the
exit code, a line on stderr when every report goes to a file, and separate counts of bids
and evaluations.

Each test fails on the code before this change: ``--standard ocp-api-exchange@1.0`` on one
OpenAPI file reported the governance hub's missing-document and version errors; a
warnings-only run under ``--fail-on warning`` printed "✔ conformant … 4 warnings" and exited
1; ``--format json:FILE`` printed nothing at all; and a run over two versions said "3
submissions checked in 6 evaluations, 2 conformant, 4 nonconformant".
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from ocp_check.model import Report, verdict_headline
from tests.conftest import EXAMPLE_BID, REPO

LAKESHORE = REPO / "examples" / "bids" / "lakeshore-micromobility"
CITY_WAIVERS = REPO / "examples" / "waivers" / "harbourview-city-waivers.yaml"


def _last_line(text: str) -> str:
    return text.rstrip().splitlines()[-1]


# --------------------------------------------------------------------------- --standard narrows


def test_naming_the_exchange_standard_judges_only_its_clauses(run: Any, bid: Path) -> None:
    result = run("check", str(bid / "openapi.yaml"), "--standard", "ocp-api-exchange@1.0", "--format", "json")
    report = result.json()
    [submission] = report["submissions"]
    assert {c["standard"] for c in submission["clauses"]} == {"ocp-api-exchange@1.0.0"}
    assert not [f for f in submission["findings"] if f["standard"] != "ocp-api-exchange@1.0.0"]
    assert result.exit_code == 0, submission["findings"]
    assert report["left_out"] == [
        # The standard of the optional fourth kind is left out too, report or no report.
        "ocp-compliance-report: not judged, --standard names only ocp-api-exchange@1.0.0",
        "ocp-data-governance and its cross-document clauses: not judged, --standard names only "
        "ocp-api-exchange@1.0.0",
        "ocp-data-retention: not judged, --standard names only ocp-api-exchange@1.0.0",
    ]


def test_documents_of_other_kinds_are_read_not_judged(run: Any, bid: Path) -> None:
    result = run("check", str(bid), "--standard", "ocp-data-retention@1.0", "--format", "json")
    [submission] = result.json()["submissions"]
    documents = {d["path"]: d for d in submission["documents"]}
    assert documents["retention-policy.yaml"]["standard"] == "ocp-data-retention@1.0.0"
    for name in ("data-manifest.yaml", "openapi.yaml"):
        assert documents[name]["standard"] is None
        assert documents[name]["standard_reason"] == "not judged: --standard names only ocp-data-retention@1.0.0"
    assert {c["standard"] for c in submission["clauses"]} == {"ocp-data-retention@1.0.0"}


def test_the_hub_cross_document_clauses_come_with_the_governance_standard(run: Any, bid: Path) -> None:
    (bid / "openapi.yaml").unlink()
    result = run("check", str(bid), "--standard", "ocp-data-governance@1.0", "--format", "json")
    [submission] = result.json()["submissions"]
    assert {c["standard"] for c in submission["clauses"]} == {"ocp-data-governance@1.0.0"}
    assert "XD-1" in {c["clause"] for c in submission["clauses"]}
    missing = [f["message"] for f in submission["findings"] if f["rule"] == "submission"]
    assert missing == ["the submission has no API description (OpenAPI)"]
    assert result.exit_code == 1


def test_narrowed_to_a_standard_with_nothing_to_judge_is_never_conformant(run: Any, bid: Path) -> None:
    result = run("check", str(bid / "data-manifest.yaml"), "--standard", "ocp-api-exchange@1.0", "--format", "json")
    [submission] = result.json()["submissions"]
    # The exchange standard is in play, and none of its clauses could be judged.
    assert {c["status"] for c in submission["clauses"]} == {"not-checked"}
    assert {c["standard"] for c in submission["clauses"]} == {"ocp-api-exchange@1.0.0"}
    assert [f["rule"] for f in submission["findings"]] == ["unjudged"]
    assert result.exit_code == 1


# --------------------------------------------------------------------------- the verdict line


@pytest.fixture
def warnings_only(tmp_path: Path) -> Path:
    """Lakeshore with the City's waiver: its one error is waived, warnings remain."""
    target = tmp_path / "lakeshore-micromobility"
    shutil.copytree(LAKESHORE, target)
    return target


def _check_warnings(run: Any, folder: Path, *args: str) -> Any:
    return run("check", str(folder), "--waivers", str(CITY_WAIVERS), "--today", "2026-12-01", *args)


def _warnings(run: Any, folder: Path) -> int:
    """How many warnings the warnings-only bid has (its waived error aside), from the report."""
    report = _check_warnings(run, folder, "--format", "json").json()
    assert report["counts"]["error"] == 0 and report["counts"]["waived"] >= 1
    count: int = report["counts"]["warning"]
    assert count >= 2
    return count


def test_the_verdict_line_agrees_with_the_exit_code_and_says_why(run: Any, warnings_only: Path) -> None:
    n = _warnings(run, warnings_only)
    result = _check_warnings(run, warnings_only, "--fail-on", "warning")
    assert result.exit_code == 1
    assert _last_line(result.stdout).startswith(f"✘ nonconformant under --fail-on warning: {n} warnings; ")
    result = _check_warnings(run, warnings_only)
    assert result.exit_code == 0
    assert _last_line(result.stdout).startswith("✔ conformant; 1 submission checked, 1 conformant")
    for fmt in ("github", "markdown", "html"):
        result = _check_warnings(run, warnings_only, "--fail-on", "warning", "--format", fmt)
        assert result.exit_code == 1
        assert f"nonconformant under --fail-on warning: {n} warnings" in result.stdout.lower(), fmt


def test_fail_on_never_says_the_run_is_nonconformant_all_the_same(run: Any, tmp_path: Path) -> None:
    result = run("check", str(LAKESHORE), "--fail-on", "never", "--today", "2026-12-01")
    assert result.exit_code == 0
    assert _last_line(result.stdout).startswith("✔ exit 0 under --fail-on never, though nonconformant: 1 error; ")


def test_reports_written_to_files_leave_one_line_on_stderr(run: Any, warnings_only: Path, tmp_path: Path) -> None:
    n = _warnings(run, warnings_only)
    out = tmp_path / "report.json"
    result = _check_warnings(run, warnings_only, "--fail-on", "warning", "--format", f"json:{out}")
    assert result.exit_code == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"ocp-check: nonconformant under --fail-on warning: {n} warnings; 1 submission checked")
    assert line.endswith(f"; reports: json:{out}")
    quiet = _check_warnings(run, warnings_only, "--fail-on", "warning", "--format", f"json:{out}", "-q")
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (1, "", "")
    # A report on stdout is the summary: nothing more on stderr.
    shown = _check_warnings(run, warnings_only, "--format", "text", "--format", f"json:{out}")
    assert shown.stderr == ""


@pytest.mark.parametrize("fail_on", ["error", "warning", "info", "never"])
def test_the_headline_never_contradicts_the_exit_code(run: Any, fail_on: str) -> None:
    from ocp_check.model import exit_code_for
    from tests.render.conftest import build_report

    report: Report = build_report()
    headline = verdict_headline(report, fail_on)
    failed = exit_code_for(report, fail_on) == 1
    assert headline.startswith("nonconformant") == failed
    assert (headline == "conformant") == (not failed and report.conformant)


# --------------------------------------------------------------------------- several versions


def test_submissions_and_evaluations_are_counted_apart(run: Any, tmp_path: Path) -> None:
    bids = tmp_path / "bids"
    for name in ("a", "b", "c"):
        shutil.copytree(EXAMPLE_BID, bids / name)
    result = run(
        "check", str(bids), "-s", "ocp-data-governance@1.0", "-s", "ocp-data-governance@1.1", "--today", "2026-12-01"
    )
    line = _last_line(result.stdout)
    assert "3 submissions checked in 6 evaluations, one per version of ocp-data-governance. Evaluations: " in line
    assert "3 submissions checked in 6 evaluations, 3" not in line
