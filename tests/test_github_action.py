"""The GitHub Action: its script on a simulated runner, its summary's size, its ``action.yml``.

A runner hands a step its inputs as environment variables and reads back two files:
``$GITHUB_OUTPUT`` (outputs) and ``$GITHUB_STEP_SUMMARY`` (Markdown shown on the run's page,
refused whole above 1 MiB). The tests give the script those files and read them as the runner
does. ``action.yml`` is then run step by step as a runner would run it: ``run`` steps in
bash, with ``${{ }}`` expressions evaluated by a small evaluator of the few forms the file
uses, and ``uses`` steps checked for the files they would upload.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from ocp_check import github_action as gha
from tests.conftest import REPO, assert_valid_report

BIDS = REPO / "examples" / "bids"
ACTION = yaml.safe_load((REPO / "action.yml").read_text("utf-8"))
MIB = 1024 * 1024


def read_outputs(path: Path) -> dict[str, str]:
    """``$GITHUB_OUTPUT`` as the runner reads it: ``name=value`` or ``name<<DELIM`` blocks."""
    values: dict[str, str] = {}
    lines = path.read_text("utf-8").split("\n") if path.exists() else []
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line:
            continue
        if "<<" in line:
            name, delimiter = line.split("<<", 1)
            body = []
            while lines[i] != delimiter:
                body.append(lines[i])
                i += 1
            i += 1
            values[name] = "\n".join(body)
        else:
            name, value = line.split("=", 1)
            values[name] = value
    return values


@pytest.fixture
def runner(tmp_path: Path) -> dict[str, Any]:
    """A workspace holding the example bids, and the runner's files and variables."""
    workspace = tmp_path / "workspace"
    shutil.copytree(BIDS, workspace / "bids")
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("INPUT_", "GITHUB_", "RUNNER_"))},
        "RUNNER_TEMP": str(temp),
        "GITHUB_OUTPUT": str(temp / "output"),
        "GITHUB_STEP_SUMMARY": str(temp / "summary"),
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "city-of-harbourview/procurement",
        "GITHUB_RUN_ID": "4242",
        "GITHUB_WORKSPACE": str(workspace),
        "SOURCE_DATE_EPOCH": "1764547200",  # 2025-12-01: waivers and effective dates stay put
    }
    return {"workspace": workspace, "temp": temp, "env": env}


def run_script(runner: dict[str, Any], **inputs: str) -> subprocess.CompletedProcess[str]:
    env = {**runner["env"], **{f"INPUT_{k.upper()}": v for k, v in inputs.items()}}
    return subprocess.run(
        [sys.executable, "-m", "ocp_check.github_action"],
        cwd=runner["workspace"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


# ---------------------------------------------------------------------------- the script


def test_a_nonconformant_run_is_summarised_and_reported(runner):
    done = run_script(runner, paths="bids", artifact_name="ocp-check-report")
    assert done.returncode == 0, done.stderr  # the Action's last step fails the job, not this one
    out = read_outputs(runner["temp"] / "output")
    report = json.loads(Path(out["report"]).read_text("utf-8"))
    assert_valid_report(report)
    assert out["exit-code"] == "1" and out["verdict"] == "nonconformant"
    assert (out["submissions"], out["conformant"], out["nonconformant"]) == ("8", "3", "5")
    for key, label in (("error", "errors"), ("warning", "warnings"), ("info", "info"), ("waived", "waived")):
        assert out[label] == str(report["counts"][key])
    for name in ("markdown", "sarif"):
        assert Path(out[name]).is_file() and Path(out[name]).parent == Path(out["report-dir"])
    json.loads(Path(out["sarif"]).read_text("utf-8"))
    # The log has the text report, then the annotations.
    assert "bids/lakeshore-micromobility  NONCONFORMANT" in done.stdout
    assert re.search(r"^::error file=bids/panoptic-insights/", done.stdout, re.M)
    assert len(re.findall(r"^::error ", done.stdout, re.M)) == 10
    assert re.search(r"^ocp-check: [\d,]+ more findings are not annotated", done.stdout, re.M)
    summary = (runner["temp"] / "summary").read_text("utf-8")
    assert summary.startswith("### ocp-check: ❌ nonconformant\n")
    assert "8 submissions checked: 3 conformant, 5 nonconformant;" in summary
    rows = [line for line in summary.splitlines() if line.startswith("| `")]
    # Nonconformant bids first, each group in report order.
    assert [r.split("|")[2].strip() for r in rows] == ["❌ nonconformant"] * 5 + ["✅ conformant"] * 3
    assert "airshed-air-quality" in rows[5] and "harbourview-sensors" in rows[6]
    assert "artifact `ocp-check-report`" in summary
    assert "https://github.com/city-of-harbourview/procurement/actions/runs/4242" in summary


def test_a_conformant_run_without_sarif_or_annotations(runner):
    done = run_script(
        runner,
        paths="bids/harbourview-sensors",
        upload_sarif="false",
        annotations="false",
        formats="junit:ocp-junit.xml markdown",
        fail_on="warning",
    )
    assert done.returncode == 0, done.stderr
    out = read_outputs(runner["temp"] / "output")
    assert (out["verdict"], out["exit-code"], out["sarif"]) == ("conformant", "0", "")
    assert not list(Path(out["report-dir"]).glob("*.sarif"))
    assert (runner["workspace"] / "ocp-junit.xml").is_file()
    # A format without a path takes the text report's place in the log.
    assert done.stdout.startswith("## ocp-check: ✅ conformant\n")
    assert "harbourview-sensors  CONFORMANT" not in done.stdout
    assert "::error" not in done.stdout and "::warning" not in done.stdout
    summary = (runner["temp"] / "summary").read_text("utf-8")
    assert "on the runner, beside" in summary  # no artifact: the reports stay in report-dir


def test_a_run_that_cannot_start_says_why(runner):
    done = run_script(runner, paths="bids/no-such-bid", artifact_name="ocp-check-report")
    assert done.returncode == 2
    out = read_outputs(runner["temp"] / "output")
    assert (out["verdict"], out["exit-code"], out["report-dir"]) == ("error", "2", "")
    summary = (runner["temp"] / "summary").read_text("utf-8")
    assert "could not run (exit code 2)" in summary and "no\\-such\\-bid" in summary


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"fail_on": "sometimes"}, "input 'fail-on' must be one of"),
        ({"upload_sarif": "yes"}, "input 'upload-sarif' must be true or false"),
        ({"paths": "'unclosed"}, "input 'paths'"),
        ({"paths": "-"}, "standard input"),
    ],
)
def test_unusable_inputs_fail_the_step_with_a_message(runner, inputs, message):
    done = run_script(runner, **inputs)
    assert done.returncode == 2
    assert done.stdout.startswith("::error title=ocp-check::") and message in done.stdout
    assert "⚠️" in (runner["temp"] / "summary").read_text("utf-8")


def test_a_stale_report_is_not_taken_for_this_run(runner):
    first = run_script(runner, paths="bids")
    assert first.returncode == 0
    done = run_script(runner, paths="bids/missing")
    assert done.returncode == 2
    report_dir = runner["temp"] / "ocp-check-report"
    assert not (report_dir / "ocp-check.json").exists()


def test_only_the_annotations_github_keeps_are_printed():
    text = "".join(f"::error file=a,line={i}::e{i}\n" for i in range(25))
    text += "::warning file=b::w\n::notice file=c,title=x::n\nocp-check: nonconformant: ...\n"
    shown, left = gha.select_annotations(text)
    assert left == 15
    assert shown.count("::error ") == 10 and "line=9::" in shown and "line=10::" not in shown
    assert "::warning file=b::w\n" in shown and "::notice file=c" in shown
    assert shown.endswith("ocp-check: nonconformant: ...\n")


def test_outputs_survive_values_with_new_lines(tmp_path):
    path = tmp_path / "output"
    gha.write_outputs(path, {"report": "a\nb=c", "verdict": "conformant"})
    assert read_outputs(path) == {"report": "a\nb=c", "verdict": "conformant"}


# ------------------------------------------------------------------------- summary size


def _huge_report(count: int, name: str) -> dict[str, Any]:
    subs = [
        {
            "name": f"bids/{name}-{i:05d}",
            "verdict": "nonconformant" if i % 3 == 0 else "conformant",
            "counts": {"error": (i % 3 == 0) * 7, "warning": 2, "info": 0, "waived": 1},
        }
        for i in range(count)
    ]
    return {"verdict": "nonconformant", "counts": {"error": 99, "warning": 9}, "submissions": subs}


def test_the_summary_of_a_huge_run_stays_far_under_a_mebibyte():
    report = _huge_report(20_000, "v" * 400)  # long names: a row is as wide as it gets
    text = gha.summary_markdown(report, artifact="ocp-check-report", run_url="https://x/runs/1")
    assert len(text.encode("utf-8")) <= gha.SUMMARY_BUDGET < MIB
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert 0 < len(rows) <= gha.MAX_ROWS
    nonconformant = sum(1 for s in report["submissions"] if s["verdict"] != "conformant")
    assert all("nonconformant" in r for r in rows[: min(len(rows), nonconformant)])
    left = len(report["submissions"]) - len(rows)
    assert f"… and {left:,} more rows ({nonconformant - len(rows):,} nonconformant)" in text
    assert "20,000 submissions checked" in text


def test_the_byte_budget_cuts_rows_before_the_row_limit():
    report = _huge_report(50, "b")
    text = gha.summary_markdown(report, budget=3_000)
    assert len(text.encode("utf-8")) <= 3_000
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert 0 < len(rows) < 50
    assert f"… and {50 - len(rows)} more rows" in text


def test_vendor_names_cannot_break_the_summary():
    from markdown_it import MarkdownIt

    hostile = "x` | <script>alert(1)</script> | [link](javascript:1) ![i](http://x/i.png)\n# heading"
    report = {
        "verdict": "nonconformant",
        "counts": {},
        "submissions": [{"name": hostile, "verdict": "nonconformant", "counts": {}, "evaluation": "a|b*c"}],
    }
    html = MarkdownIt("commonmark").enable("table").render(gha.summary_markdown(report))
    assert "<script" not in html and "<a " not in html and "<img" not in html and "<h1" not in html
    (row,) = re.findall(r"<tr>\s*(<td.*?)</tr>", html, re.S)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert len(cells) == 6  # the name can neither end its cell early nor add one
    assert "&lt;script&gt;" in cells[0] and "a|b*c" in cells[0]


def test_several_versions_count_submissions_not_evaluations():
    report = {
        "verdict": "nonconformant",
        "counts": {},
        "submissions": [
            {"name": "bid", "evaluation": "ocp-data-governance@1.0.0", "verdict": "conformant", "counts": {}},
            {
                "name": "bid",
                "evaluation": "ocp-data-governance@1.1.0",
                "verdict": "nonconformant",
                "counts": {},
            },
        ],
    }
    text = gha.summary_markdown(report)
    assert "1 submission checked in 2 evaluations: 0 conformant, 1 nonconformant" in text
    out = gha.outputs(report, 1, {"json": Path("r.json"), "markdown": Path("r.md")})
    assert (out["submissions"], out["conformant"], out["nonconformant"]) == ("1", "0", "1")


# ------------------------------------------------------------------------ action.yml


_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
_TOKEN = re.compile(
    r"\s*(&&|\|\||==|!=|\(|\)|'[^']*'|[A-Za-z_][A-Za-z0-9_.\-]*\(\)|[A-Za-z_][A-Za-z0-9_.\-]*)"
)


def evaluate(expression: str, context: dict[str, Any]) -> Any:
    """The expressions action.yml uses: names, 'strings', ==, !=, &&, ||, always()."""
    tokens = _TOKEN.findall(expression)
    assert "".join(tokens).replace(" ", "") == expression.replace(" ", ""), expression

    def value(token: str) -> Any:
        if token.startswith("'"):
            return token[1:-1]
        if token == "always()":
            return True
        node: Any = context
        for part in token.split("."):
            node = node.get(part, "") if isinstance(node, dict) else ""
        return node

    def parse_or(i: int) -> tuple[Any, int]:
        left, i = parse_and(i)
        while i < len(tokens) and tokens[i] == "||":
            right, i = parse_and(i + 1)
            left = left or right
        return left, i

    def parse_and(i: int) -> tuple[Any, int]:
        left, i = parse_cmp(i)
        while i < len(tokens) and tokens[i] == "&&":
            right, i = parse_cmp(i + 1)
            left = left and right
        return left, i

    def parse_cmp(i: int) -> tuple[Any, int]:
        left = value(tokens[i])
        i += 1
        if i < len(tokens) and tokens[i] in ("==", "!="):
            right = value(tokens[i + 1])
            left = (str(left) == str(right)) == (tokens[i] == "==")
            i += 2
        return left, i

    result, end = parse_or(0)
    assert end == len(tokens), expression
    return result


def substitute(text: str, context: dict[str, Any]) -> str:
    return _EXPR.sub(lambda m: str(evaluate(m.group(1), context)), text)


def run_action(runner: dict[str, Any], with_: dict[str, str]) -> dict[str, Any]:
    """Run action.yml's steps as a runner would; ``uses`` steps are recorded, not run."""
    unknown = set(with_) - set(ACTION["inputs"])
    assert not unknown, f"not inputs of the Action: {unknown}"
    inputs = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    inputs.update(with_)
    context: dict[str, Any] = {"inputs": inputs, "steps": {}}
    # The install step makes a virtual environment and pip-installs the Action's checkout; the
    # test's own environment has this checkout installed already, so it stands in for it.
    venv_bin = runner["temp"] / "ocp-check-venv" / "bin"
    venv_bin.mkdir(parents=True)
    (venv_bin / "python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    (venv_bin / "python").chmod(0o755)
    results: dict[str, Any] = {"uses": [], "codes": {}}
    for step in ACTION["runs"]["steps"]:
        condition = step.get("if", "success()").replace("success()", "always()")
        if not evaluate(condition, context):
            continue
        env = {**runner["env"], "GITHUB_ACTION_PATH": str(REPO)}
        env.update({k: substitute(str(v), context) for k, v in step.get("env", {}).items()})
        if "uses" in step:
            results["uses"].append(
                (step["uses"], {k: substitute(str(v), context) for k, v in step["with"].items()})
            )
            continue
        if step["name"] == "Install ocp-check":
            continue
        output = runner["temp"] / f"output-{step.get('id', 'x')}"
        env["GITHUB_OUTPUT"] = str(output)
        done = subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            cwd=runner["workspace"],
            env=env,
            capture_output=True,
            text=True,
        )
        results["codes"][step["name"]] = done.returncode
        results["log"] = results.get("log", "") + done.stdout + done.stderr
        if "id" in step:
            context["steps"][step["id"]] = {"outputs": read_outputs(output)}
        if done.returncode != 0:
            break
    results["outputs"] = {k: substitute(v["value"], context) for k, v in ACTION["outputs"].items()}
    return results


def readme_action_inputs() -> dict[str, str]:
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme[readme.index("## CI recipes") : readme.index("**GitLab CI**")]
    (block,) = re.findall(r"```yaml\n(.*?)```", section, re.S)
    steps = yaml.safe_load(block)["jobs"]["ocp-check"]["steps"]
    (step,) = [s for s in steps if s["uses"].split("@")[0].endswith("/ocp-check")]
    return {k: str(v) for k, v in step["with"].items()}


def test_the_readme_recipe_runs_through_action_yml(runner):
    with_ = readme_action_inputs()
    profile = runner["workspace"] / with_["profile"]
    profile.parent.mkdir(parents=True)
    shutil.copy(REPO / "examples" / "profiles" / "ontario-municipality.yaml", profile)
    # The profile's local rule pack (the City's records by-law) is found beside it.
    shutil.copy(REPO / "examples" / "profiles" / "harbourview-records-schedule.yaml", profile.parent)
    results = run_action(runner, with_)
    assert results["codes"] == {"Check": 0, "Verdict": 1}, results["log"]  # nonconformant: the job fails
    out = results["outputs"]
    assert out["verdict"] == "nonconformant" and out["exit-code"] == "1"
    assert (runner["workspace"] / "ocp-junit.xml").is_file()
    uploads = dict(results["uses"])
    sarif = uploads["github/codeql-action/upload-sarif@v4"]
    assert Path(sarif["sarif_file"]).is_file() and sarif["category"] == "ocp-check"
    artifact = uploads["actions/upload-artifact@v7"]
    assert artifact["name"] == "ocp-check-report" and Path(artifact["path"]).is_dir()
    assert {p.name for p in Path(artifact["path"]).iterdir()} >= {"ocp-check.json", "ocp-check.md"}
    report = json.loads(Path(out["report"]).read_text("utf-8"))
    assert report["options"]["profile"].endswith("city-profile.yaml")


def test_action_yml_without_uploads_uploads_nothing(runner):
    results = run_action(
        runner, {"paths": "bids/harbourview-sensors", "upload-sarif": "false", "upload-artifact": "false"}
    )
    assert results["codes"] == {"Check": 0, "Verdict": 0}, results["log"]
    assert results["uses"] == []
    assert results["outputs"]["verdict"] == "conformant" and results["outputs"]["sarif"] == ""


def test_action_yml_and_the_script_agree():
    steps = ACTION["runs"]["steps"]
    assert ACTION["runs"]["using"] == "composite"
    (check,) = [s for s in steps if s.get("id") == "check"]
    source = (REPO / "ocp_check" / "github_action.py").read_text("utf-8")
    # Every input is handed to the script (or used by a step), and the script reads no other.
    handed = {k for k in check["env"] if k.startswith("INPUT_")}
    assert handed == set(re.findall(r'"(INPUT_[A-Z_]+)"', source))
    used = " ".join(json.dumps(s) for s in steps)
    for name, spec in ACTION["inputs"].items():
        assert spec["description"] and f"inputs.{name}" in used, name
    # Every output is one the script writes.
    written = set(gha.outputs({"counts": {}}, 0, {"json": Path(), "markdown": Path()})) | {
        "report-dir",
        "sarif",
    }
    for name, spec in ACTION["outputs"].items():
        assert spec["value"] == f"${{{{ steps.check.outputs.{name} }}}}" and name in written, name
    for step in steps:
        # No expression is spliced into a shell script: inputs reach it as variables only.
        assert "${{" not in step.get("run", ""), step["name"]
        if "uses" in step:
            assert re.fullmatch(r"[\w-]+/[\w/-]+@v\d+", step["uses"]), step["uses"]
        else:
            assert step["shell"] == "bash"
    assert '"$GITHUB_ACTION_PATH"' in steps[0]["run"]  # installs from the Action's own checkout
