"""One way to name outputs, one set of status words, one verdict wording, everywhere.

``check`` and ``compare`` take ``--output/-o`` and ``--format FORMAT[:PATH]`` with the same
rules and the same messages; every format of both commands writes a clause's status as the
report does (``not-in-force``, ``not-applicable``, ``fail`` ...), never ``future``, ``n/a``
or ``FAIL``; a verdict is ``conformant`` or ``nonconformant``, never "not conformant"; and
the HTML report lists failing MUST clauses before SHOULD ones.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from ocp_check.compare import build_matrix
from ocp_check.model import Level, Status
from ocp_check.render import RENDERERS, RenderOptions
from ocp_check.render.matrix import MATRIX_RENDERERS
from tests.render.conftest import build_report

REPO = Path(__file__).resolve().parents[1]
BIDS = sorted(str(p) for p in (REPO / "examples" / "bids").iterdir() if p.is_dir())
STATUS_WORDS = {s.value for s in Status}

#: Words other outputs once used for a status or a verdict.
RETIRED = re.compile(
    r"\bfuture\b|\bn/a\b|(?-i:\bFAIL\b)|not applicable|not yet in force|not in force|not checked|"
    r"clause disabled|in disabled clauses|not conformant|non-conformant",
    re.IGNORECASE,
)


# -- --output and --format in both commands ----------------------------------------------------


@pytest.mark.parametrize("command", ["check", "compare"])
def test_output_writes_the_one_report_to_a_file(run, tmp_path: Path, command: str) -> None:
    target = tmp_path / "out.json"
    result = run(command, *BIDS, "--today", "2026-12-01", "--format", "json", "--output", str(target))
    assert result.exit_code in (0, 1), result.stderr
    assert result.stdout == ""
    assert json.loads(target.read_text())
    assert result.stderr.startswith("ocp-check: ") and f"reports: json:{target}" in result.stderr
    short = tmp_path / "short.json"
    again = run(command, *BIDS, "--today", "2026-12-01", "-f", "json", "-o", str(short))
    assert again.exit_code == result.exit_code and short.read_text() == target.read_text()


@pytest.mark.parametrize("command", ["check", "compare"])
def test_format_path_and_stdout_together(run, tmp_path: Path, command: str) -> None:
    target = tmp_path / "out.json"
    result = run(command, *BIDS, "--today", "2026-12-01", "--format", "text", "--format", f"json:{target}")
    assert result.exit_code in (0, 1)
    assert json.loads(target.read_text())
    assert result.stdout.strip() and result.stderr == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "json", "--format", "text", "--output", "x"], "--output takes one format"),
        (["--format", "json:a.json", "--output", "x"], "--output takes one format"),
        (["--format", "nope"], "unknown format 'nope'"),
        (["--format", "json:"], "no path after 'json:'"),
        (["--format", "json", "--format", "text"], "only one format can go to standard output"),
        (
            ["--output", "missing-folder/x.txt"],
            "cannot write missing-folder/x.txt: the folder missing-folder",
        ),
    ],
)
def test_both_commands_refuse_the_same_way(run, args: list[str], message: str) -> None:
    for command in ("check", "compare"):
        result = run(command, BIDS[0], *args)
        assert result.exit_code == 2, (command, result.stderr)
        assert result.stderr.startswith(f"error: {message}"), (command, result.stderr)


# -- status words ----------------------------------------------------------------------------


def test_the_canonical_report_holds_every_status() -> None:
    report = build_report()
    assert {c.status.value for s in report.submissions for c in s.clauses} == STATUS_WORDS


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_report_formats_use_the_status_words(name: str) -> None:
    text = RENDERERS[name](build_report(), RenderOptions(verbose=1))
    assert not RETIRED.search(text), RETIRED.search(text)


@pytest.mark.parametrize("name", sorted(MATRIX_RENDERERS))
def test_matrix_formats_use_the_status_words(name: str) -> None:
    text = MATRIX_RENDERERS[name](build_matrix(build_report()))
    assert not RETIRED.search(text), RETIRED.search(text)


def test_matrix_cells_are_status_words() -> None:
    matrix = build_matrix(build_report())
    rows = list(csv.reader(io.StringIO(MATRIX_RENDERERS["csv"](matrix))))[4:]
    cells = {cell for row in rows for cell in row[3:]}
    assert cells <= STATUS_WORDS | {"—"}
    assert cells & {"not-in-force", "not-applicable", "fail", "not-checked"} == {
        "not-in-force",
        "not-applicable",
        "fail",
        "not-checked",
    }
    text = MATRIX_RENDERERS["text"](matrix)
    for word in ("not-in-force", "not-applicable", "not-checked", "fail"):
        assert re.search(rf"(^|\s){word}(\s|$)", text, re.M), word


# -- verdict wording --------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_one_verdict_wording(run, name: str, tmp_path: Path) -> None:
    target = tmp_path / "report"
    result = run("check", *BIDS, "--today", "2026-12-01", "--format", f"{name}:{target}")
    assert result.exit_code == 1
    text = target.read_text()
    assert not re.search(r"not[\s-]+conformant|non-conformant", text, re.IGNORECASE)
    assert re.search("nonconformant", text, re.IGNORECASE) or name == "github"


# -- the HTML clause matrix -------------------------------------------------------------------


def test_html_lists_failing_must_clauses_first(run, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    run("check", str(REPO / "examples" / "bids" / "panoptic-insights"), "--format", f"html:{target}")
    html = target.read_text()
    matrix = html.split("<caption>Clause matrix</caption>")[1].split("</table>")[0]
    rows = re.findall(
        r"<tr><th scope=\"row\">.*?</th><td>([A-Z ]+)</td>.*?<span class=\"badge [^\"]+\">([^<]+)</span>",
        matrix,
    )
    failing = [Level(level).rank for level, status in rows if status.endswith(" fail")]
    assert len(failing) > 10 and len(set(failing)) > 1
    assert failing == sorted(failing, reverse=True)
