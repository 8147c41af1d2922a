"""The terminal experience: colour, width, the closing summary, --compact, --max-findings.

Colour and width follow the rules of ``ocp_check/terminal.py`` (FORCE_COLOR, NO_COLOR,
COLUMNS, whether stdout is a terminal); the text report wraps at word boundaries in that
width and not at all for a file; a run of several submissions ends with one row per
submission; ``--compact`` and ``--max-findings`` change the text rendering only.
"""

from __future__ import annotations

import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ocp_check import terminal
from ocp_check.render import RenderOptions
from ocp_check.render.text import render
from tests.render.conftest import build_report

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "bids"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


# -- the rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flag", "tty", "env", "expected"),
    [
        (None, True, {}, True),
        (None, False, {}, False),
        (None, True, {"NO_COLOR": "1"}, False),
        (None, True, {"NO_COLOR": ""}, True),  # empty is unset, as no-color.org says
        (None, False, {"FORCE_COLOR": "1"}, True),
        (None, False, {"FORCE_COLOR": "0"}, True),  # any non-empty value, as force-color.org says
        (None, False, {"FORCE_COLOR": ""}, False),
        (None, False, {"FORCE_COLOR": "1", "NO_COLOR": "1"}, True),  # FORCE_COLOR is read last
        (None, True, {"TERM": "dumb"}, False),
        (None, False, {"TERM": "dumb", "FORCE_COLOR": "1"}, True),
        (False, True, {"FORCE_COLOR": "1"}, False),  # the command line wins
        (True, False, {"NO_COLOR": "1"}, True),
    ],
)
def test_colour_precedence(flag: bool | None, tty: bool, env: dict[str, str], expected: bool) -> None:
    assert terminal.use_color(flag, tty, env) is expected


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        raise OSError("no real terminal")


def test_width_from_columns_else_terminal_else_none() -> None:
    assert terminal.text_width(io.StringIO(), {"COLUMNS": "80"}) == 80
    assert terminal.text_width(io.StringIO(), {}) is None  # a file or a pipe: no wrapping
    assert terminal.text_width(io.StringIO(), {"COLUMNS": "wide"}) is None
    assert terminal.text_width(io.StringIO(), {"COLUMNS": "0"}) is None
    assert terminal.text_width(io.StringIO(), {"COLUMNS": "5"}) == terminal.MIN_WIDTH
    assert terminal.text_width(_Tty(), {}) is None  # a terminal whose size cannot be read
    assert terminal.table_width(io.StringIO(), {}) == terminal.TABLE_WIDTH


@pytest.mark.parametrize(
    ("flag", "quiet", "tty", "env", "expected"),
    [
        (None, False, True, {}, True),
        (None, False, False, {}, False),
        (None, True, True, {}, False),
        (None, False, True, {"CI": "true"}, False),
        (None, False, True, {"CI": "false"}, True),
        (None, False, True, {"TERM": "dumb"}, False),
        (True, True, False, {"CI": "true"}, True),  # asked for: shown in a CI log too
        (False, False, True, {}, False),
    ],
)
def test_progress_rules(
    flag: bool | None, quiet: bool, tty: bool, env: dict[str, str], expected: bool
) -> None:
    assert terminal.show_progress(flag, quiet, tty, env) is expected


# -- the text report --------------------------------------------------------------------------


@pytest.fixture
def report():
    return build_report()


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository, so that reports name ``examples/bids/...`` as a user sees it."""
    monkeypatch.chdir(REPO)


def test_eighty_columns_wrap_between_words(report) -> None:
    text = render(report, RenderOptions(width=80))
    for line in text.splitlines():
        assert len(line) <= 80, line
    words = set(re.findall(r"[A-Za-z]{4,}", render(report, RenderOptions())))
    # Every word of the wrapped text is a word of the unwrapped one: nothing was cut in two.
    for word in re.findall(r"[A-Za-z]{4,}", text):
        assert word in words, word


def test_no_width_no_wrapping(report) -> None:
    text = render(report, RenderOptions())
    assert max(len(line) for line in text.splitlines()) > 100


def test_wrapped_lines_keep_their_indentation(report) -> None:
    lines = render(report, RenderOptions(width=60)).splitlines()
    fixes = [i for i, line in enumerate(lines) if line.startswith("          fix: ")]
    assert fixes
    wrapped = [i for i in fixes if lines[i + 1].startswith("               ") and lines[i + 1].strip()]
    assert wrapped, "some fix is longer than 60 columns and continues under its first word"


def test_summary_table_closes_a_run_of_several(report) -> None:
    text = render(report, RenderOptions())
    _, _, tail = text.partition("Summary by submission:")
    assert tail, text[-400:]
    rows = tail.strip().splitlines()
    assert rows[0].split()[-5:] == ["verdict", "errors", "warnings", "info", "waived"]
    for sub in report.submissions:
        row = next(r for r in rows if r.startswith(sub.name) or sub.name.endswith(r.split("  ")[0]))
        counts = sub.counts()
        assert row.split()[-5:] == [
            sub.verdict,
            f"{counts['error']:,}",
            f"{counts['warning']:,}",
            f"{counts['info']:,}",
            f"{counts['waived']:,}",
        ]
    assert tail.rstrip().splitlines()[-1].startswith("✘ nonconformant")  # the verdict stays last


def test_one_submission_has_no_summary(run, bid) -> None:
    result = run("check", str(bid))
    assert result.exit_code == 0
    assert "Summary by submission" not in result.stdout


def test_compact_is_one_line_per_finding(run, in_repo) -> None:
    result = run("check", "examples/bids", "--today", "2026-12-01", "--compact")
    report = json.loads(run("check", "examples/bids", "--today", "2026-12-01", "--format", "json").stdout)
    active = sum(
        1 for s in report["submissions"] for f in s["findings"] if f["state"] in ("active", "waived")
    )
    lines = [line for line in result.stdout.splitlines() if re.match(r"^examples/bids/\S+:\d+:\d+: ", line)]
    assert len(lines) == active
    assert "fix:" not in result.stdout and " | " not in result.stdout  # no fixes, no snippets
    assert re.search(
        r": error: DX-2\.7: security scheme \S+ sends its API key in the query string \[", result.stdout
    )
    assert "Summary by submission:" in result.stdout


def test_compact_lines_are_not_wrapped_in_a_width(run, in_repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """A width (COLUMNS, a terminal) wraps the other lines, never a compact finding's."""
    args = ("check", "examples/bids", "--today", "2026-12-01", "--compact")
    wide = run(*args).stdout
    monkeypatch.setenv("COLUMNS", "60")
    narrow = run(*args).stdout
    findings = [line for line in wide.splitlines() if re.match(r"^examples/bids/\S+:\d+:\d+: ", line)]
    assert max(len(line) for line in findings) > 60
    assert all(line in narrow.splitlines() for line in findings)


def test_max_findings_lists_the_most_severe_and_counts_the_rest(run) -> None:
    bid = EXAMPLES / "panoptic-insights"
    full = run("check", str(bid), "--today", "2026-12-01", "--compact")
    cut = run("check", str(bid), "--today", "2026-12-01", "--compact", "--max-findings", "5")
    assert full.exit_code == cut.exit_code == 1
    pattern = re.compile(r"^\S+:\d+:\d+: (error|warning|info|waived|not-in-force|disabled): ", re.M)
    everything = pattern.findall(full.stdout)
    kept = pattern.findall(cut.stdout)
    assert len(kept) == 5 and set(kept) == {"error"}
    left = len(everything) - 5
    errors = everything.count("error") - 5
    warnings = everything.count("warning")
    assert f"{left} more findings of this submission not shown here (--max-findings 5): " in cut.stdout
    assert f"{errors} errors, {warnings} warnings. They count in the verdict" in cut.stdout
    assert f"{left} findings are not shown here because of --max-findings 5" in cut.stdout
    # The verdict line and the JSON report are those of the full run.
    assert full.stdout.splitlines()[-1] == cut.stdout.splitlines()[-1]
    json_full = run("check", str(bid), "--today", "2026-12-01", "--format", "json").stdout
    json_cut = run(
        "check", str(bid), "--today", "2026-12-01", "--format", "json", "--max-findings", "5"
    ).stdout
    assert json_full == json_cut


def test_max_findings_zero_and_negative(run, bid) -> None:
    assert run("check", str(bid), "--max-findings", "0").exit_code == 0
    result = run("check", str(bid), "--max-findings", "-1")
    assert result.exit_code == 2 and "--max-findings must be 0 or more" in result.stderr


def test_colour_on_stdout_follows_force_color(run, bid, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = run("check", str(bid)).stdout
    assert ANSI.search(coloured)
    monkeypatch.setenv("NO_COLOR", "1")
    assert ANSI.search(run("check", str(bid)).stdout)  # FORCE_COLOR wins over NO_COLOR
    assert not ANSI.search(run("check", str(bid), "--no-color").stdout)  # the flag wins over both
    monkeypatch.delenv("FORCE_COLOR")
    assert not ANSI.search(run("check", str(bid)).stdout)
    assert ANSI.search(run("check", str(bid), "--color").stdout)


def test_report_files_never_get_colour_or_wrapping(
    run, bid, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "50")
    target = tmp_path / "report.txt"
    run("check", str(bid), "--format", f"text:{target}")
    text = target.read_text()
    assert not ANSI.search(text)
    assert max(len(line) for line in text.splitlines()) > 50


def test_columns_wraps_the_text_on_stdout(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    result = run("check", str(EXAMPLES), "--today", "2026-12-01")
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_standards_list_fits_the_terminal(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    narrow = run("standards", "list").stdout
    assert max(len(line.rstrip()) for line in narrow.splitlines()) <= 80
    monkeypatch.delenv("COLUMNS")
    wide = run("standards", "list").stdout  # a pipe: one line per version, nothing wrapped
    assert len(wide.splitlines()) < len(narrow.splitlines())
    assert all(line.split()[0].startswith("ocp-") for line in wide.splitlines()[1:])


def _readme_commands() -> list[str]:
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme[readme.index("## Terminal output") : readme.index("## Verifiable reports")]
    block = re.search(r"```sh\n(.*?)\n```", section, re.S)
    assert block
    return [line.split("  #")[0].strip() for line in block[1].splitlines() if line.strip()]


@pytest.mark.parametrize("command", _readme_commands())
def test_readme_terminal_commands_run_as_written(command: str, tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "bids")
    args = shlex.split(command)[1:]
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "FORCE_COLOR")}
    result = subprocess.run(
        [sys.executable, "-m", "ocp_check", *args, "--today", "2026-12-01"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert result.returncode == 1, result.stderr  # two example bids are nonconformant
    if "--compact" in args:
        assert re.search(r"^bids/panoptic-insights/\S+:\d+:\d+: error: ", result.stdout, re.M)
    if "--max-findings" in args:
        assert "more findings of this submission not shown here (--max-findings 5)" in result.stdout
    if "--format" in args:
        assert (tmp_path / "r.json").is_file() and result.stdout == ""
    else:
        assert "Summary by submission:" in result.stdout
