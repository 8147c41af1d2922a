"""The step of the GitHub Action (``action.yml``): run the check, then tell GitHub about it.

The Action installs ocp-check from its own checkout and runs ``python -m
ocp_check.github_action``. This module is an entry point like ``cli/`` (it prints and exits);
the pieces that decide what GitHub is told are pure functions, tested without a runner.

It runs ``ocp-check check`` as a user would, with the text report in the job log and the
reports a workflow needs written to a folder: the canonical JSON, the full Markdown report,
SARIF for code scanning and the GitHub annotations (the first ten of each kind printed to the
log after the run, where the runner turns them into annotations: GitHub keeps no more per
step). Then, from the JSON report:

- a **job summary** that stays small whatever the run: the verdict, the counts, and one row
  per submission (nonconformant first) within a byte budget well under GitHub's 1 MiB limit
  for a step's summary (a larger one is refused whole); the rest is in the full report, named
  with the artifact it is uploaded as;
- **step outputs** (verdict, counts, report paths) in ``$GITHUB_OUTPUT``, each value written
  with a random delimiter as GitHub documents for values that may hold newlines.

The script's own exit code is 0 once GitHub has been told (so the upload steps run); the
check's exit code is an output, and the Action's last step exits with it. Inputs arrive as
``INPUT_*`` environment variables set by ``action.yml``, never spliced into a shell command.
"""

from __future__ import annotations

import json
import os
import secrets
import shlex
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ocp_check.sanitize import markdown_code, markdown_text, truncate

#: GitHub refuses a step summary over 1 MiB; the summary stays under this many bytes.
SUMMARY_BUDGET = 900 * 1024
#: At most this many submission rows: past a thousand, a table is a report, not a summary.
MAX_ROWS = 1000
_NAME_LIMIT = 200
_FAIL_ON = ("error", "warning", "info", "never")
REPORT_FILES = {
    "json": "ocp-check.json",
    "markdown": "ocp-check.md",
    "sarif": "ocp-check.sarif",
    "github": "ocp-check-annotations.txt",
}
_COUNTS = (("error", "errors"), ("warning", "warnings"), ("info", "info"), ("waived", "waived"))
#: GitHub keeps 10 error and 10 warning annotations per step; more commands only fill the log.
ANNOTATIONS_PER_KIND = 10


class InputError(Exception):
    """An input of the Action that cannot be used; the step fails with this message."""


@dataclass(frozen=True)
class Inputs:
    paths: tuple[str, ...]
    profile: str
    waivers: tuple[str, ...]
    fail_on: str
    formats: tuple[str, ...]
    args: tuple[str, ...]
    annotations: bool
    sarif: bool
    artifact: str
    report_dir: Path


def _split(value: str, name: str) -> tuple[str, ...]:
    """Split an input like a shell would (quotes for spaces), without any expansion."""
    try:
        return tuple(shlex.split(value))
    except ValueError as err:
        raise InputError(f"input '{name}': {err}") from None


def _flag(env: Mapping[str, str], key: str, name: str, default: bool) -> bool:
    value = env.get(key, "").strip().lower()
    if not value:
        return default
    if value in ("true", "false"):
        return value == "true"
    raise InputError(f"input '{name}' must be true or false, not {value!r}")


def read_inputs(env: Mapping[str, str]) -> Inputs:
    """The Action's inputs from the ``INPUT_*`` variables that ``action.yml`` sets."""
    fail_on = env.get("INPUT_FAIL_ON", "").strip()
    if fail_on and fail_on not in _FAIL_ON:
        raise InputError(f"input 'fail-on' must be one of {', '.join(_FAIL_ON)}, not {fail_on!r}")
    paths = _split(env.get("INPUT_PATHS", ""), "paths") or (".",)
    if "-" in paths:
        raise InputError("input 'paths' cannot read standard input ('-')")
    report_dir = env.get("INPUT_REPORT_DIR", "").strip()
    if not report_dir:
        report_dir = str(Path(env.get("RUNNER_TEMP") or ".") / "ocp-check-report")
    return Inputs(
        paths=paths,
        profile=env.get("INPUT_PROFILE", "").strip(),
        waivers=_split(env.get("INPUT_WAIVERS", ""), "waivers"),
        fail_on=fail_on,
        formats=_split(env.get("INPUT_FORMATS", ""), "formats"),
        args=_split(env.get("INPUT_ARGS", ""), "args"),
        annotations=_flag(env, "INPUT_ANNOTATIONS", "annotations", True),
        sarif=_flag(env, "INPUT_UPLOAD_SARIF", "upload-sarif", True),
        artifact=env.get("INPUT_ARTIFACT_NAME", "").strip(),
        report_dir=Path(report_dir),
    )


def report_paths(inputs: Inputs) -> dict[str, Path]:
    """The reports the Action itself writes, by format."""
    wanted = (
        {"json", "markdown"}
        | ({"sarif"} if inputs.sarif else set())
        | ({"github"} if inputs.annotations else set())
    )
    return {fmt: inputs.report_dir / name for fmt, name in REPORT_FILES.items() if fmt in wanted}


def command(inputs: Inputs, python: str = sys.executable) -> list[str]:
    """The ``ocp-check check`` command line. A format the user gives without a path goes to
    the log in place of the text report (only one report can go to standard output)."""
    cmd = [python, "-m", "ocp_check", "check", *inputs.paths]
    if inputs.profile:
        cmd += ["--profile", inputs.profile]
    for waiver in inputs.waivers:
        cmd += ["--waivers", waiver]
    if inputs.fail_on:
        cmd += ["--fail-on", inputs.fail_on]
    if not any(":" not in spec for spec in inputs.formats):
        cmd += ["--format", "text"]
    for spec in inputs.formats:
        cmd += ["--format", spec]
    for fmt, path in report_paths(inputs).items():
        cmd += ["--format", f"{fmt}:{path}"]
    return [*cmd, *inputs.args]


def _evaluated(sub: Mapping[str, Any]) -> str:
    name = markdown_code(truncate(str(sub.get("name", "")), _NAME_LIMIT))
    evaluation = sub.get("evaluation")
    return f"{name} {markdown_text(str(evaluation))}" if evaluation else name


def _verdict(verdict: str) -> str:
    return "✅ conformant" if verdict == "conformant" else "❌ nonconformant"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def submission_verdicts(report: Mapping[str, Any]) -> dict[str, bool]:
    """Each submission's name → conformant; one evaluation that fails makes it nonconformant."""
    verdicts: dict[str, bool] = {}
    for sub in report.get("submissions", []):
        name = str(sub.get("name", ""))
        verdicts[name] = verdicts.get(name, True) and sub.get("verdict") == "conformant"
    return verdicts


def summary_markdown(
    report: Mapping[str, Any],
    *,
    artifact: str = "",
    run_url: str = "",
    report_file: str = "",
    budget: int = SUMMARY_BUDGET,
    max_rows: int = MAX_ROWS,
) -> str:
    """The job summary: verdict, counts, a row per submission within ``budget`` bytes."""
    verdicts = submission_verdicts(report)
    bad = sum(1 for ok in verdicts.values() if not ok)
    counts = report.get("counts", {})
    count_text = ", ".join(f"{int(counts.get(key, 0)):,} {label}" for key, label in _COUNTS)
    evaluations = len(report.get("submissions", []))
    checked = _plural(len(verdicts), "submission") + " checked"
    if evaluations != len(verdicts):
        checked += f" in {evaluations:,} evaluations"
    head = [
        f"### ocp-check: {_verdict(str(report.get('verdict')))}",
        "",
        f"{checked}: {len(verdicts) - bad:,} conformant, {bad:,} nonconformant; {count_text}.",
        "",
    ]
    where = "The full reports (Markdown, JSON, SARIF) are "
    if artifact:
        where += f"in the artifact {markdown_code(artifact, in_table=False)} of this run"
        where += f": {run_url}" if run_url else "."
    elif report_file:
        where += f"on the runner, beside {markdown_code(report_file, in_table=False)}."
    else:
        where = ""
    rows = sorted(report.get("submissions", []), key=lambda s: s.get("verdict") == "conformant")
    table = [
        "| submission | verdict | errors | warnings | info | waived |",
        "|:--|:--|--:|--:|--:|--:|",
    ]
    used = sum(len(line.encode("utf-8")) + 1 for line in [*head, *table]) + len(where.encode("utf-8")) + 400
    shown = 0
    for sub in rows:
        c = sub.get("counts", {})
        cells = [f"{int(c.get(key, 0)):,}" for key, _ in _COUNTS]
        line = f"| {_evaluated(sub)} | {_verdict(str(sub.get('verdict')))} | {' | '.join(cells)} |"
        size = len(line.encode("utf-8")) + 1
        if shown >= max_rows or used + size > budget:
            break
        table.append(line)
        used += size
        shown += 1
    lines = head + (table if shown else [])
    left = rows[shown:]
    if left:
        left_bad = sum(1 for s in left if s.get("verdict") != "conformant")
        lines += [
            "",
            f"… and {_plural(len(left), 'more row')} ({left_bad:,} nonconformant), in the full report.",
        ]
    elif shown:
        lines += ["", "Nonconformant submissions first."]
    if where:
        lines += ["", where]
    return "\n".join(lines) + "\n"


def error_summary(exit_code: int, stderr: str) -> str:
    """The job summary when the check could not run (exit 2): what it said, escaped."""
    said = "\n".join(stderr.strip().splitlines()[-10:]) or f"exit code {exit_code}"
    quoted = "\n".join(f"> {markdown_text(truncate(line, 500))}" for line in said.splitlines())
    return f"### ocp-check: ⚠️ could not run (exit code {exit_code})\n\n{quoted}\n"


def outputs(report: Mapping[str, Any] | None, exit_code: int, paths: Mapping[str, Path]) -> dict[str, str]:
    """The step outputs: verdict, exit code, counts and report paths."""
    out = {"exit-code": str(exit_code)}
    if report is None:
        out["verdict"] = "error"
        return out
    verdicts = submission_verdicts(report)
    counts = report.get("counts", {})
    out["verdict"] = "conformant" if report.get("verdict") == "conformant" else "nonconformant"
    out["submissions"] = str(len(verdicts))
    out["conformant"] = str(sum(verdicts.values()))
    out["nonconformant"] = str(len(verdicts) - sum(verdicts.values()))
    for key, label in _COUNTS:
        out[label] = str(int(counts.get(key, 0)))
    out["report"] = str(paths["json"])
    out["markdown"] = str(paths["markdown"])
    out["sarif"] = str(paths["sarif"]) if "sarif" in paths else ""
    return out


def write_outputs(path: Path, values: Mapping[str, str]) -> None:
    """Append ``name<<DELIMITER`` blocks to ``$GITHUB_OUTPUT`` (safe for any value)."""
    with path.open("a", encoding="utf-8") as handle:
        for name, value in values.items():
            delimiter = f"ghadelimiter_{secrets.token_hex(16)}"
            while delimiter in value:  # pragma: no cover - 128 random bits
                delimiter = f"ghadelimiter_{secrets.token_hex(16)}"
            handle.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")


def select_annotations(text: str, per_kind: int = ANNOTATIONS_PER_KIND) -> tuple[str, int]:
    """The first ``per_kind`` annotation commands of each kind, in report order, and how many
    were left out (all of them are in the SARIF upload and the reports)."""
    kept: list[str] = []
    seen: dict[str, int] = {}
    left = 0
    for line in text.splitlines(keepends=True):
        if line.startswith("::"):
            kind = line[2:].split(" ", 1)[0].split("::", 1)[0]
            seen[kind] = seen.get(kind, 0) + 1
            if seen[kind] > per_kind:
                left += 1
                continue
        kept.append(line)
    return "".join(kept), left


def _append(path_value: str | None, text: str) -> None:
    if path_value:
        with Path(path_value).open("a", encoding="utf-8") as handle:
            handle.write(text)


def _run_url(env: Mapping[str, str]) -> str:
    server, repo, run_id = (
        env.get(k, "") for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")
    )
    return f"{server}/{repo}/actions/runs/{run_id}" if server and repo and run_id else ""


def main(env: Mapping[str, str] | None = None) -> int:
    """Run the step; the return value is the script's exit code (see the module text)."""
    env = os.environ if env is None else env
    try:
        inputs = read_inputs(env)
    except InputError as err:
        sys.stdout.write(f"::error title=ocp-check::{err}\n")
        _append(env.get("GITHUB_STEP_SUMMARY"), f"### ocp-check: ⚠️ {markdown_text(str(err))}\n")
        return 2
    paths = report_paths(inputs)
    inputs.report_dir.mkdir(parents=True, exist_ok=True)
    for stale in paths.values():  # a report left by an earlier run must not pass for this one
        stale.unlink(missing_ok=True)
    sys.stdout.flush()
    # No shell: the inputs are arguments of this interpreter's own ``-m ocp_check``.
    done = subprocess.run(  # noqa: S603
        command(inputs), stderr=subprocess.PIPE, text=True, errors="replace", check=False
    )
    sys.stderr.write(done.stderr)
    report: dict[str, Any] | None = None
    if done.returncode in (0, 1) and paths["json"].is_file():
        with paths["json"].open(encoding="utf-8") as handle:
            report = json.load(handle)
    if report is None:
        summary = error_summary(done.returncode, done.stderr)
    else:
        summary = summary_markdown(
            report, artifact=inputs.artifact, run_url=_run_url(env), report_file=str(paths["markdown"])
        )
        if "github" in paths and paths["github"].is_file():
            shown, left = select_annotations(paths["github"].read_text("utf-8"))
            sys.stdout.write(shown)
            if left:
                sys.stdout.write(
                    f"ocp-check: {left:,} more findings are not annotated (GitHub keeps "
                    f"{ANNOTATIONS_PER_KIND} of each kind per step); all are in the SARIF and the reports\n"
                )
    _append(env.get("GITHUB_STEP_SUMMARY"), summary)
    values = outputs(report, done.returncode, paths)
    values["report-dir"] = str(inputs.report_dir) if report is not None else ""
    if env.get("GITHUB_OUTPUT"):
        write_outputs(Path(env["GITHUB_OUTPUT"]), values)
    return 0 if report is not None else 2


if __name__ == "__main__":  # pragma: no cover - the Action's entry point
    sys.exit(main())
