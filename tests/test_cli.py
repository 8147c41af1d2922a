"""End-to-end behaviour of ``ocp-check check`` as a user sees it (exit codes, messages)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from tests.conftest import REPO, assert_valid_report


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("ocp-check ")


def test_conformant_example_exits_0(run, bid):
    result = run("check", str(bid), "--no-color")
    assert result.exit_code == 0, result.stdout
    assert "✔ conformant" in result.stdout


def test_missing_path_is_one_line_exit_2(run, tmp_path):
    result = run("check", str(tmp_path / "missing.yaml"))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'missing.yaml'}: no such file or folder"
    ]
    assert "Traceback" not in result.stderr


def test_unknown_standard_is_exit_2_with_the_available_ones(run, bid):
    result = run("check", str(bid), "--standard", "ocp-data-governance@9.9")
    assert result.exit_code == 2
    assert "unknown standard 'ocp-data-governance@9.9'" in result.stderr
    assert "ocp-data-governance@1.0.0" in result.stderr


def test_bad_option_is_exit_2(run, bid):
    assert run("check", str(bid), "--fail-on", "sometimes").exit_code == 2
    assert run("check", str(bid), "--format", "pdf").exit_code == 2


def test_schema_finding_names_file_line_col_and_fix(run, bid):
    _edit(bid / "data-manifest.yaml", "kind: data-manifest", "kind: data-manifest\nunexpected_field: 1")
    result = run("check", str(bid), "--format", "json")
    assert result.exit_code == 1
    report = result.json()
    schema = [f for f in report["submissions"][0]["findings"] if f["rule"] == "schema"]
    assert schema, report["submissions"][0]["findings"]
    f = schema[0]
    assert f["location"]["file"] == "data-manifest.yaml"
    assert f["location"]["line"] >= 1 and f["location"]["column"] >= 1
    assert f["clause"] == "DG-1.1" and f["severity"] == "error"
    assert f["fix"]


def test_duplicate_keys_name_both_lines(run, tmp_path):
    doc = tmp_path / "m.yaml"
    doc.write_text("kind: data-manifest\nstandard: ocp-data-governance@1.0\nkind: retention-policy\n")
    result = run("check", str(doc), "--format", "json")
    assert result.exit_code == 1
    finding = next(f for f in result.json()["submissions"][0]["findings"] if f["rule"] == "load")
    assert "duplicate key 'kind'" in finding["message"] and "line 1" in finding["message"]
    assert finding["location"]["line"] == 3


def test_alias_bomb_refused_fast_and_other_files_still_checked(run, bid):
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        prev = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{prev}]")
    (bid / "bomb.yaml").write_text("\n".join(lines) + "\n")
    assert len((bid / "bomb.yaml").read_bytes()) < 600
    start = time.monotonic()
    result = run("check", str(bid), "--format", "json")
    assert time.monotonic() - start < 30  # a hang guard, not a performance assertion
    assert result.exit_code == 1
    sub = result.json()["submissions"][0]
    bomb = [f for f in sub["findings"] if f["location"]["file"] == "bomb.yaml"]
    assert [f["rule"] for f in bomb] == ["load"]
    assert "alias" in bomb[0]["message"]
    assert {d["path"] for d in sub["documents"]} >= {
        "data-manifest.yaml",
        "retention-policy.yaml",
        "openapi.yaml",
    }


def test_norway_stays_text(run, bid):
    # 'NO' in a YAML 1.1 loader becomes false; here it must stay the string "NO" (a location code
    # that is not in the vocabulary is a rule finding about "NO", never about a boolean).
    _edit(bid / "data-manifest.yaml", "jurisdiction: loc:CA-ON", "jurisdiction: NO")
    report = run("check", str(bid), "--format", "json").json()
    messages = " ".join(f["message"] for f in report["submissions"][0]["findings"])
    assert "NO" in messages
    assert "False" not in messages and "boolean" not in messages


def test_stdin_document(run, bid):
    text = (bid / "data-manifest.yaml").read_bytes()
    result = run("check", "-", "--format", "json", input=text)
    report = result.json()
    assert report["submissions"][0]["name"] == "<stdin>"
    assert report["submissions"][0]["documents"][0]["kind"] == "data-manifest"


def test_json_report_is_deterministic(run, bid):
    first = run("check", str(bid), "--format", "json").stdout
    second = run("check", str(bid), "--format", "json").stdout
    assert first == second
    assert_valid_report(json.loads(first))


def test_output_file_and_several_formats(run, bid, tmp_path):
    out = tmp_path / "report.json"
    result = run("check", str(bid), "--format", "text", "--format", f"json:{out}", "--no-color")
    assert result.exit_code == 0
    assert "conformant" in result.stdout
    assert_valid_report(json.loads(out.read_text()))
    assert not list(tmp_path.glob(".report.json.*.tmp"))


def test_vendor_strings_are_not_markup_or_escapes_in_text(run, bid):
    evil_name = "evil[bold red]PASS\x1b[2J\u202e.yaml"
    (bid / evil_name).write_text('kind: "x [/] \\e]8;;https://evil\\e\\\\y"\n')
    result = run("check", str(bid), "--no-color")
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "evil[bold red]PASS" in result.stdout


def test_folder_of_bids_is_several_submissions(run, bid, tmp_path):
    bids = tmp_path / "bids"
    bids.mkdir()
    bid.rename(bids / "northwind")
    second = bids / "other"
    second.mkdir()
    (second / "data-manifest.yaml").write_text((bids / "northwind" / "data-manifest.yaml").read_text())
    report = run("check", str(bids), "--format", "json").json()
    names = [s["name"] for s in report["submissions"]]
    assert names == [f"{bids}/northwind", f"{bids}/other"]
    assert [s["verdict"] for s in report["submissions"]] == ["conformant", "nonconformant"]
    missing = [f for f in report["submissions"][1]["findings"] if f["rule"] == "submission"]
    assert {f["clause"] for f in missing} == {"XD-11"} and len(missing) == 2


def test_each_checks_every_document_on_its_own(run, bid):
    """A portal of manifests: each file is a submission judged against its own standard only;
    the completeness clause (a bid holds all three documents) does not apply."""
    report = run("check", str(bid), "--each", "--format", "json").json()
    subs = {Path(s["name"]).name: s for s in report["submissions"]}
    assert set(subs) == {"openapi.yaml", "data-manifest.yaml", "retention-policy.yaml"}
    assert all(s["verdict"] == "conformant" for s in subs.values())
    assert not any(f["rule"] == "submission" for s in subs.values() for f in s["findings"])
    manifest = subs["data-manifest.yaml"]
    assert {c["standard"].split("@")[0] for c in manifest["clauses"]} == {"ocp-data-governance"}
    xd11 = [c for c in manifest["clauses"] if c["clause"] == "XD-11"]
    assert xd11[0]["status"] == "not-applicable" and "--each" in xd11[0]["reason"]
    retention = subs["retention-policy.yaml"]
    assert {c["standard"].split("@")[0] for c in retention["clauses"]} == {"ocp-data-retention"}
    # The same folder as one bid is still held to completeness.
    whole = run("check", str(bid), "--format", "json").json()["submissions"][0]
    assert [c["status"] for c in whole["clauses"] if c["clause"] == "XD-11"] == ["pass"]


def test_declared_unknown_version_is_a_finding_not_exit_2(run, bid):
    _edit(
        bid / "data-manifest.yaml", "standard: ocp-data-governance@1.0", "standard: ocp-data-governance@7.0"
    )
    result = run("check", str(bid), "--format", "json")
    assert result.exit_code == 1
    findings = result.json()["submissions"][0]["findings"]
    assert [f["rule"] for f in findings if f["rule"] == "version"] == ["version"]


def test_standard_option_wins_and_report_says_why(run, bid):
    report = run("check", str(bid), "--standard", "ocp-data-governance@1.1", "--format", "json").json()
    doc = next(d for d in report["submissions"][0]["documents"] if d["kind"] == "data-manifest")
    assert doc["standard"] == "ocp-data-governance@1.1.0"
    assert doc["standard_reason"] == "chosen with --standard"


def test_clause_matrix_is_complete(run, bid):
    report = run("check", str(bid), "--format", "json").json()
    clauses = report["submissions"][0]["clauses"]
    standards = {c["standard"] for c in clauses}
    assert standards == {"ocp-data-governance@1.0.0", "ocp-data-retention@1.0.0", "ocp-api-exchange@1.0.0"}
    assert all(c["status"] in {"pass", "not-applicable", "attested"} for c in clauses)


def test_rules_explain_and_list(run):
    listed = run("rules", "list", "--standard", "ocp-data-governance@1.0")
    assert listed.exit_code == 0 and "DG-2.3" in listed.stdout
    explained = run("rules", "explain", "DG-2.3")
    assert explained.exit_code == 0
    assert "MUST" in explained.stdout and "Sources:" in explained.stdout
    # A clause is explained with each of its rules in full: why, how to fix, examples.
    for part in ("How to fix:", "Why:", "passes:", "fails after:", "→ finding DG-2.3"):
        assert part in explained.stdout, part
    rule = run("rules", "explain", "DG-5.2-primary-residency").stdout
    for part in ("How to fix:", "fails after:", "Sources:", "DG-5.2  Personal data stays"):
        assert part in rule, part
    assert run("rules", "explain", "NOPE-1").exit_code == 2


def test_standards_list_and_show(run):
    listed = run("standards", "list")
    assert listed.exit_code == 0
    for sid in ("ocp-data-governance", "ocp-data-retention", "ocp-api-exchange"):
        assert sid in listed.stdout
    shown = run("standards", "show", "ocp-data-governance@1.1")
    assert shown.exit_code == 0 and "1.1.0" in shown.stdout


def test_python_dash_m_entry_point():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "ocp_check", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and result.stdout.startswith("ocp-check")


def test_the_example_loads_with_the_projects_own_loader(bid):
    # A guard for the test data itself, read as the tool reads it (YAML 1.2 core typing, no
    # duplicate keys, no merge keys): not with PyYAML's defaults, which accept more.
    from ocp_check.loader import load_path

    for name in ("data-manifest.yaml", "retention-policy.yaml", "openapi.yaml"):
        doc = load_path(bid / name, name)
        assert isinstance(doc.data, dict), name
    assert load_path(bid / "data-manifest.yaml", "m").data["kind"] == "data-manifest"


def test_version_fast_path_does_not_import_the_cli():
    import subprocess
    import sys

    # entry.main() ends the process itself (os._exit), so the check runs after _run(), which
    # returns the exit code instead: an assertion placed after main() would never run.
    code = (
        "import sys; sys.argv=['ocp-check','--version']; from ocp_check.entry import _run; code = _run(); "
        "print('exit', code, sorted(m for m in ('typer', 'click', 'jsonschema', 'rich', 'ocp_check.api', 'ocp_check.loader') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    version, verdict = result.stdout.splitlines()
    assert version.startswith("ocp-check ")
    assert verdict == "exit 0 []"


def test_a_quiet_check_does_not_import_the_progress_display(tmp_path):
    """Rich (the progress bar) costs start-up time; a run that shows no progress never loads it."""
    import subprocess
    import sys

    bid = Path(__file__).resolve().parents[1] / "examples" / "bids" / "harbourview-sensors"
    report = tmp_path / "report.json"
    code = (
        f"import sys; sys.argv=['ocp-check','check',{str(bid)!r},'-q','--format','json:{report}']; "
        "from ocp_check.entry import _run; code = _run(); "
        "print('exit', code, 'rich' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split()[-1] == "False", result.stdout
    assert report.is_file()


def test_a_run_that_finds_nothing_to_check_is_a_usage_error(run, tmp_path):
    """A gate that checked nothing must not pass: exit 2 with one line, in every command."""
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "README.txt").write_text("not a candidate\n")
    expected = f"error: nothing to check: no YAML or JSON document in {empty}\n"
    for args in (("check", str(empty)), ("check", "--each", str(empty)), ("compare", str(empty))):
        result = run(*args)
        assert (result.exit_code, result.stderr, result.stdout) == (2, expected, ""), args
    # A report that recorded nothing (made before this rule) verifies nothing either.
    report = tmp_path / "report.json"
    report.write_text(
        json.dumps(
            {
                "report_format": "1.0",
                "tool": {"name": "ocp-check"},
                "options": {"paths": [str(empty)]},
                "submissions": [],
            }
        )
    )
    result = run("verify", str(report))
    assert (result.exit_code, result.stderr) == (2, expected)
    # Next to a real bid, an empty folder is a bid without documents: nonconformant, not an error.
    both = run(
        "check", str(empty), str(REPO / "examples" / "bids" / "harbourview-sensors"), "--format", "json"
    )
    assert both.exit_code == 1
    assert [s["verdict"] for s in both.json()["submissions"]] == ["nonconformant", "conformant"]
