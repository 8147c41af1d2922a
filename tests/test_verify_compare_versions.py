"""Verifiable reports, standards versions side by side, bids side by side, editor schemas.

The commands a city uses to trust a vendor's report (`verify`), to plan against the next
version of a standard (several `--standard`, `standards diff`), to compare bids (`compare`)
and that vendors use to start (`schema export`), run as a user would run them.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

REPO = Path(__file__).resolve().parents[1]
BIDS = REPO / "examples" / "bids"
NAMES = ("harbourview-sensors", "lakeshore-micromobility", "panoptic-insights")


@pytest.fixture
def bids(tmp_path: Path) -> Path:
    target = tmp_path / "bids"
    shutil.copytree(BIDS, target)
    return target


def _report(run: Any, bid: Path, tmp_path: Path) -> Path:
    out = tmp_path / "report.json"
    result = run("check", str(bid), "--format", f"json:{out}", "--today", "2026-06-01")
    assert result.exit_code in (0, 1), result.stderr
    return out


# ----------------------------------------------------------------------------- verify


def test_verify_accepts_an_untouched_report(run, bids, tmp_path):
    report = _report(run, bids / "lakeshore-micromobility", tmp_path)
    result = run("verify", str(report))
    assert result.exit_code == 0, result.stdout + result.stderr


def test_verify_rejects_an_edited_finding_even_with_every_hash_kept(run, bids, tmp_path):
    report = _report(run, bids / "panoptic-insights", tmp_path)
    data = json.loads(report.read_text())
    finding = data["submissions"][0]["findings"][0]
    finding["message"] = "all good"
    report.write_text(json.dumps(data, indent=2))
    result = run("verify", str(report))
    assert result.exit_code == 1
    assert f"finding {finding['rule']} at" in result.stdout and "was edited (message)" in result.stdout


def test_verify_rejects_an_edited_verdict(run, bids, tmp_path):
    report = _report(run, bids / "panoptic-insights", tmp_path)
    data = json.loads(report.read_text())
    data["submissions"][0]["verdict"] = "conformant"
    report.write_text(json.dumps(data, indent=2))
    name = bids / "panoptic-insights"
    result = run("verify", str(report))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1:] == [
        f"  - submission {name}: verdict conformant in the report, nonconformant now"
    ]
    data["verdict"] = "conformant"
    report.write_text(json.dumps(data, indent=2))
    assert run("verify", str(report)).stdout.splitlines()[1:] == [
        "  - verdict: the report says conformant, the files give nonconformant",
        f"  - submission {name}: verdict conformant in the report, nonconformant now",
    ]


def test_verify_rejects_edited_counts_even_when_nothing_else_changed(run, bids, tmp_path):
    report = _report(run, bids / "panoptic-insights", tmp_path)
    data = json.loads(report.read_text())
    assert data["counts"]["error"] > 0
    data["counts"]["error"] = 0
    data["submissions"][0]["counts"]["error"] = 0
    report.write_text(json.dumps(data, indent=2))
    result = run("verify", str(report))
    assert result.exit_code == 1
    assert result.stdout == (
        f"{report}: does NOT match (1 difference):\n"
        "  - the report differs from a fresh run in other fields (counts, options or layout)\n"
    )


def test_verify_names_a_changed_profile(run, bids, tmp_path):
    profile = tmp_path / "city.yaml"
    profile.write_text("kind: profile\nid: city\ntitle: City\n")
    out = tmp_path / "report.json"
    bid = bids / "harbourview-sensors"
    result = run(
        "check", str(bid), "--profile", str(profile), "--format", f"json:{out}", "--today", "2026-06-01"
    )
    assert result.exit_code == 0, result.stderr
    assert run("verify", str(out)).exit_code == 0
    profile.write_text("kind: profile\nid: city\ntitle: Another city\n")
    result = run("verify", str(out))
    assert result.exit_code == 1
    assert "  - profile: differs (path, content or hash)\n" in result.stdout


def test_verify_rejects_a_changed_input_byte(run, bids, tmp_path):
    bid = bids / "harbourview-sensors"
    report = _report(run, bid, tmp_path)
    manifest = bid / "data-manifest.yaml"
    manifest.write_bytes(manifest.read_bytes() + b"\n")  # same findings, another input
    result = run("verify", str(report))
    assert result.exit_code == 1
    assert "data-manifest.yaml" in result.stdout + result.stderr


def test_verify_finds_moved_files_under_a_new_path(run, bids, tmp_path):
    report = _report(run, bids / "harbourview-sensors", tmp_path)
    moved = tmp_path / "elsewhere"
    shutil.copytree(bids / "harbourview-sensors", moved)
    assert run("verify", str(report), str(moved)).exit_code == 0


def test_verify_of_a_report_read_from_stdin_is_exit_2(run, tmp_path):
    manifest = (BIDS / "harbourview-sensors" / "data-manifest.yaml").read_text()
    result = run("check", "-", "--format", "json", input=manifest)
    assert result.exit_code in (0, 1)
    report = tmp_path / "stdin.json"
    report.write_text(result.stdout)
    assert run("verify", str(report)).exit_code == 2


# ----------------------------------------------------------------------------- versions


def test_standards_diff_lists_what_changed_from_1_0_to_1_1(run):
    result = run("standards", "diff", "ocp-data-governance@1.0", "ocp-data-governance@1.1")
    assert result.exit_code == 0
    out = result.stdout
    assert "Class: BREAKING" in out and "The versioning rules number this 2.0.0 after 1.0.0." in out
    assert "[breaking] DG-5.5 (MUST, in force from 2027-07-01)" in out
    assert "[additive] DG-3.5 (SHOULD)" in out
    assert "[breaking] DG-5.2: level SHOULD → MUST (tightened)" in out
    assert "[breaking] breach_notification_max_hours: default 72 → 24 (tightened)" in out
    assert "pd:CurrentLocation" in out
    assert "DG-3.5-broad-purpose-paired" in out


def _both_versions(run: Any, fmt: str) -> Any:
    """The bid that sells data, against ocp-data-governance 1.0 and 1.1 at once."""
    versions = ("-s", "ocp-data-governance@1.0", "-s", "ocp-data-governance@1.1")
    return run("check", str(BIDS / "panoptic-insights"), *versions, "--format", fmt)


def test_two_versions_at_once_report_clauses_tightened_in_the_newer(run):
    result = _both_versions(run, "json")
    assert result.exit_code == 1
    data = result.json()
    text = json.dumps(data["evaluations"])
    assert "DG-5.2" in text and "DG-9.3" in text and "tightened" in text


def test_two_versions_summary_in_text(run):
    result = _both_versions(run, "text")
    assert "fails 2 clauses new or tightened in ocp-data-governance@1.1.0 (2 tightened: DG-5.2, DG-9.3)" in (
        " ".join(result.stdout.split())
    )
    assert "1 submission checked in 2 evaluations" in result.stdout


def test_a_clause_not_yet_in_force_fails_only_from_its_date(run, bid_with_foreign_storage):
    def at(today: str) -> dict[str, Any]:
        args = ("--standard", "ocp-data-governance@1.1", "--today", today, "--format", "json")
        report: dict[str, Any] = run("check", str(bid_with_foreign_storage), *args).json()
        return report

    before, after = at("2027-06-30"), at("2027-07-01")

    def status(report: dict[str, Any]) -> str:
        [clause] = [c for c in report["submissions"][0]["clauses"] if c["clause"] == "DG-5.5"]
        return str(clause["status"])

    assert status(before) == "not-in-force"
    assert status(after) == "fail"


@pytest.fixture
def bid_with_foreign_storage(tmp_path: Path) -> Path:
    """A bid whose pseudonymised category is stored abroad, without the transfer assessment."""
    bid = tmp_path / "bid"
    shutil.copytree(BIDS / "harbourview-sensors", bid)
    manifest = bid / "data-manifest.yaml"
    text = manifest.read_text()
    assert text.count("transfer_assessment:") == 1
    manifest.write_text(text.replace("transfer_assessment:", "x-transfer-assessment:"))
    return bid


def test_a_withdrawn_declared_version_names_its_successor(run, tmp_path, bid):
    root = tmp_path / "older"
    old = root / "ocp-data-governance" / "0.9.0"
    shutil.copytree(REPO / "standards" / "ocp-data-governance" / "1.0.0", old)
    meta = old / "standard.yaml"
    meta.write_text(
        meta.read_text()
        .replace("version: 1.0.0", "version: 0.9.0", 1)
        .replace("  status: draft\n", "  status: withdrawn\n  withdrawal: Replaced.\n", 1)
        .replace("  trial_use: true\n", "", 1)
        + '    - date: "2026-12-06"\n      status: withdrawn\n      summary: Withdrawn.\n'
    )
    manifest = bid / "data-manifest.yaml"
    text = manifest.read_text()
    declared = text.split("standard:", 1)[1].split("\n", 1)[0].strip()
    manifest.write_text(text.replace(declared, "ocp-data-governance@0.9", 1))
    result = run("check", str(bid), "--standards-path", str(root), "--format", "json")
    messages = [f["message"] for s in result.json()["submissions"] for f in s["findings"]]
    assert any("withdrawn" in m and "ocp-data-governance@1.1.0" in m for m in messages), messages


# ----------------------------------------------------------------------------- compare


@pytest.mark.parametrize("fmt", ["text", "markdown", "csv", "json", "html"])
def test_compare_renders_every_format(run, fmt):
    # Bids that share a folder are labelled by their own names; counts per bid are shown.
    result = run("compare", *(str(BIDS / n) for n in NAMES), "--format", fmt)
    assert result.exit_code == 0, result.stderr
    for name in NAMES:
        assert (name.replace("-", "\\-") if fmt == "markdown" else name) in result.stdout
    for verdict in ("conformant", "nonconformant"):
        assert verdict in result.stdout


def test_compare_in_french(run):
    result = run("compare", *(str(BIDS / n) for n in NAMES), "--lang", "fr")
    assert result.exit_code == 0, result.stderr
    assert "soumissions dans " in result.stdout and "non conforme" in result.stdout
    assert "nonconformant" not in result.stdout and "errors / warnings" not in result.stdout


def test_compare_json_has_verdict_counts_and_versions_per_bid(run):
    data = json.loads(run("compare", *(str(BIDS / n) for n in NAMES), "--format", "json").stdout)
    by_name = {b["name"].rsplit("/", 1)[-1]: b for b in data["bids"]}
    assert by_name["harbourview-sensors"]["verdict"] == "conformant"
    assert by_name["panoptic-insights"]["counts"]["error"] > 0
    assert by_name["lakeshore-micromobility"]["counts"]["waived"] == 1
    assert (
        by_name["harbourview-sensors"]["versions"]["ocp-data-governance"] == "2.0.0"
    )  # the draft it declares in full
    statuses = {c["clause"]: c for c in data["clauses"]}
    assert "DG-5.2" in statuses


def test_compare_csv_neutralises_formulas_in_bid_names(run, tmp_path):
    hostile = tmp_path / "=HYPERLINK(1)"
    shutil.copytree(BIDS / "harbourview-sensors", hostile)
    result = run("compare", str(hostile), str(BIDS / "panoptic-insights"), "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    cells = [cell for row in rows for cell in row]
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in cells)
    assert any("HYPERLINK" in cell for cell in cells)


def test_compare_with_a_profile_and_city_waivers(run):
    result = run(
        "compare",
        *(str(BIDS / n) for n in NAMES),
        "--profile",
        str(REPO / "examples" / "profiles" / "ontario-municipality.yaml"),
        "--waivers",
        str(REPO / "examples" / "waivers" / "harbourview-city-waivers.yaml"),
        "--format",
        "json",
        "--today",
        "2026-12-01",
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    verdicts = {b["name"].rsplit("/", 1)[-1]: (b["verdict"], b["counts"]) for b in data["bids"]}
    # The profile makes residency (DG-5.2) a MUST in Ontario: Harbourview's backup in Quebec fails.
    assert verdicts["harbourview-sensors"][0] == "nonconformant"
    assert verdicts["harbourview-sensors"][1]["error"] == 1
    # The city's waiver covers Lakeshore's legacy query-string key.
    assert verdicts["lakeshore-micromobility"][0] == "conformant"
    assert verdicts["lakeshore-micromobility"][1]["waived"] == 1
    # DX-7.1 is disabled by the profile: its findings are disabled, not counted.
    assert verdicts["panoptic-insights"][1]["disabled"] == 4
    cells = {c["clause"]: [(x["status"], x["level"]) for x in c["cells"]] for c in data["clauses"]}
    assert cells["DX-7.1"] == [("disabled", "SHOULD")] * 3
    assert cells["DG-5.2"] == [("fail", "MUST"), ("pass", "MUST"), ("fail", "MUST")]
    assert cells["DX-2.7"][1] == ("waived", "MUST NOT")


# ----------------------------------------------------------------------------- schema export


def test_schema_export_writes_valid_json_schemas(run, tmp_path):
    target = tmp_path / "schemas"
    result = run("schema", "export", str(target))
    assert result.exit_code == 0, result.stderr
    files = sorted(target.glob("*.json"))
    assert files
    names = " ".join(p.name for p in files)
    assert "ocp-data-governance-1.1.0" in names and "ocp-data-retention-1.0.0" in names
    for path in files:
        schema = json.loads(path.read_text())
        if schema.get("$schema", "").startswith("https://json-schema.org/draft/2020-12"):
            Draft202012Validator.check_schema(schema)


# ----------------------------------------------------------------------------- report paths


def test_report_paths_are_checked_before_the_run(run, tmp_path):
    bid = str(BIDS / "harbourview-sensors")
    same = tmp_path / "same.out"
    result = run("check", bid, "--format", f"json:{same}", "--format", f"sarif:{same}")
    assert result.exit_code == 2 and "both be written" in result.stderr
    assert not same.exists()
    result = run("check", bid, "--format", f"json:{tmp_path / 'missing' / 'r.json'}")
    assert result.exit_code == 2 and "does not exist" in result.stderr
    result = run("check", bid, "--format", f"json:{tmp_path}")
    assert result.exit_code == 2 and "is a folder" in result.stderr
    result = run("check", bid, "--format", "json:")
    assert result.exit_code == 2 and "no path" in result.stderr
    assert "internal error" not in result.stderr


def test_verify_never_raises_limits_beyond_the_defaults(run, bids, tmp_path):
    """Limits come from the untrusted report: edited upwards, they are capped, not obeyed."""
    bid = bids / "harbourview-sensors"
    bomb = "kind: data-manifest\na0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)
    )
    (bid / "bomb.yaml").write_text(bomb)
    report = _report(run, bid, tmp_path)
    data = json.loads(report.read_text())
    data["options"]["limits"] = {"max_bytes": 10**12, "max_depth": 10**6, "max_nodes": 10**15, "bogus": 1}
    report.write_text(json.dumps(data, indent=2))
    result = run("verify", str(report))
    # The bomb is refused exactly as in the original run, so only the edited limits differ
    # (had they been obeyed, the bomb's findings would differ too).
    assert result.exit_code == 1, result.stderr
    assert result.stdout == (
        f"{report}: does NOT match (1 difference):\n"
        "  - the report differs from a fresh run in other fields (counts, options or layout)\n"
    )


def test_two_versions_summary_in_markdown(run):
    result = _both_versions(run, "markdown")
    assert "**Versions side by side**" in result.stdout
    assert "new or tightened" in result.stdout and "DG\\-5\\.2" in result.stdout


def test_two_versions_in_sarif_have_distinct_fingerprints(run):
    sarif = json.loads(_both_versions(run, "sarif").stdout)
    prints = [
        next(iter(r["partialFingerprints"].values())) for run_ in sarif["runs"] for r in run_["results"]
    ]
    assert prints and len(prints) == len(set(prints))


def test_the_version_delta_diffs_each_pair_of_versions_once_for_every_bid(run, monkeypatch):
    """The difference between two versions is the same for every bid: computed once, not once
    per bid (a portal of thousands of submissions)."""
    import ocp_check.diff as diff

    calls = 0
    real = diff.diff_standards

    def counting(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(diff, "diff_standards", counting)
    versions = ("-s", "ocp-data-governance@1.0", "-s", "ocp-data-governance@1.1")
    result = run("check", str(BIDS), *versions, "--format", "json")
    bids = [p for p in BIDS.iterdir() if p.is_dir()]
    assert len(bids) > 1
    assert len(result.json()["evaluations"]) == len(bids)
    assert calls == 1
