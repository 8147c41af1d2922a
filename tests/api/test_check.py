"""``check`` and the command line give one report: the same verdict, counts and bytes in
every format, for a conformant and a nonconformant example bid."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import ocp_check

REPO = Path(__file__).resolve().parents[2]
TODAY = "2026-12-01"
BIDS = ["examples/bids/harbourview-sensors", "examples/bids/panoptic-insights"]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ocp_check", *args], cwd=REPO, capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def cli_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, dict[str, str]]]:
    """Every format of ``ocp-check check`` for each bid, written by one run per bid."""
    out: dict[str, tuple[int, dict[str, str]]] = {}
    for bid in BIDS:
        folder = tmp_path_factory.mktemp(Path(bid).name)
        specs = [f"--format={name}:{folder / name}" for name in ocp_check.FORMATS]
        result = _cli("check", bid, "--today", TODAY, *specs)
        assert result.returncode in (0, 1), result.stderr
        out[bid] = (result.returncode, {n: (folder / n).read_text("utf-8") for n in ocp_check.FORMATS})
    return out


@pytest.fixture(scope="module")
def api_reports() -> dict[str, ocp_check.Report]:
    old = Path.cwd()
    try:
        import os

        os.chdir(REPO)
        return {bid: ocp_check.check([bid], today=TODAY) for bid in BIDS}
    finally:
        os.chdir(old)


@pytest.mark.parametrize("bid", BIDS)
def test_verdict_counts_and_exit_code_are_the_command_lines(
    bid: str, cli_reports: dict[str, tuple[int, dict[str, str]]], api_reports: dict[str, ocp_check.Report]
) -> None:
    code, texts = cli_reports[bid]
    report = api_reports[bid]
    recorded = json.loads(texts["json"])
    assert ocp_check.exit_code(report) == code
    assert ("conformant" if report.conformant else "nonconformant") == recorded["verdict"]
    assert report.counts() == recorded["counts"]
    [submission] = report.submissions
    assert submission.verdict == recorded["submissions"][0]["verdict"]
    assert len(submission.clauses) == len(recorded["submissions"][0]["clauses"])


def test_the_examples_differ_so_the_comparison_means_something(
    api_reports: dict[str, ocp_check.Report],
) -> None:
    assert [api_reports[bid].conformant for bid in BIDS] == [True, False]


@pytest.mark.parametrize("fmt", ocp_check.FORMATS)
@pytest.mark.parametrize("bid", BIDS)
def test_every_format_renders_as_the_command_line_writes_it(
    bid: str,
    fmt: str,
    cli_reports: dict[str, tuple[int, dict[str, str]]],
    api_reports: dict[str, ocp_check.Report],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(REPO)  # SARIF writes paths relative to the working folder, as the command line does
    rendered = ocp_check.render_report(api_reports[bid], fmt)
    assert isinstance(rendered, str) and rendered
    assert rendered == cli_reports[bid][1][fmt]


@pytest.mark.parametrize("fmt", ocp_check.MATRIX_FORMATS)
def test_every_matrix_format_is_the_one_compare_writes(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    report = ocp_check.check(BIDS, today=TODAY, jobs=1)
    result = _cli("compare", *BIDS, "--today", TODAY, f"--format={fmt}:{tmp_path / 'matrix'}")
    assert result.returncode == 0, result.stderr
    assert ocp_check.render_matrix(report, fmt) == (tmp_path / "matrix").read_text("utf-8")


def test_the_fail_on_threshold_is_the_command_lines(api_reports: dict[str, ocp_check.Report]) -> None:
    report = api_reports["examples/bids/panoptic-insights"]
    assert [ocp_check.exit_code(report, t) for t in ("error", "warning", "info", "never")] == [1, 1, 1, 0]
    with pytest.raises(ocp_check.UsageError):
        ocp_check.exit_code(report, "sometimes")  # type: ignore[arg-type]
    assert "under --fail-on" not in ocp_check.render_report(report, "text", fail_on="never").splitlines()[2]


def test_options_reach_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each keyword is honoured, as its option is: a standard named narrows the run, limits
    bound what a file may be, ``each`` makes every document a submission."""
    monkeypatch.chdir(REPO)
    bid = "examples/bids/harbourview-sensors"
    narrowed = ocp_check.check(bid, standards="ocp-data-governance@1.1", today=TODAY, jobs=1)
    assert {str(s.ref) for s in narrowed.standards} == {"ocp-data-governance@1.1.0"}
    small = ocp_check.check(bid, today=TODAY, jobs=1, limits=ocp_check.Limits(max_file_size=100))
    assert not small.conformant
    assert any("100" in f.message for f in small.submissions[0].findings)
    each = ocp_check.check(bid, today=TODAY, jobs=1, each=True)
    assert len(each.submissions) == 3
    assert narrowed.options["standards"] == ["ocp-data-governance@1.1"]
