"""The compliance report, a document kind a bid does not hold: judged when it is there,
cross-checked against the manifest by the 2.0 hub, and otherwise out of the way (its standard
is not in play, and the hub's clauses that need it are not applicable)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from tests.conftest import REPO

YEAR_TWO = REPO / "standards" / "_examples" / "northwind-cmi-2-year2"
BID_2_0 = REPO / "standards" / "_examples" / "northwind-cmi-2"
REPORT_CLAUSES = {f"XD-{n}" for n in range(18, 27)}


def _submission(run, *args: str) -> dict:
    result = run("check", *args, "--format", "json", "--today", "2028-01-10")
    assert result.exit_code in (0, 1), result.stderr
    (sub,) = result.json()["submissions"]
    return sub


def _clauses(sub: dict) -> dict[tuple[str, str], dict]:
    return {(c["standard"].split("@")[0], c["clause"]): c for c in sub["clauses"]}


def test_a_bid_without_a_report_is_not_judged_by_the_report_standard(run):
    result = run("check", str(BID_2_0), "--format", "json")
    report = result.json()
    assert result.exit_code == 0
    assert "ocp-compliance-report" not in {s["id"] for s in report["standards"]}
    (sub,) = report["submissions"]
    clauses = _clauses(sub)
    assert not [c for c in sub["clauses"] if c["standard"].startswith("ocp-compliance-report")]
    assert not [c for c in sub["clauses"] if c["status"] == "not-checked"]
    for clause in REPORT_CLAUSES:
        got = clauses[("ocp-data-governance", clause)]
        assert got["status"] == "not-applicable", clause
        assert got["reason"] == "no compliance report in this submission (an optional document)"


def test_a_report_in_the_submission_is_judged_and_cross_checked(run):
    sub = _submission(run, str(YEAR_TWO))
    assert sub["verdict"] == "conformant" and sub["findings"] == []
    kinds = {d["kind"]: d["standard"] for d in sub["documents"]}
    assert kinds["compliance-report"] == "ocp-compliance-report@1.0.0"
    clauses = _clauses(sub)
    assert {clauses[("ocp-data-governance", c)]["status"] for c in REPORT_CLAUSES} == {"pass"}
    assert clauses[("ocp-compliance-report", "CR-3.1")]["status"] == "pass"


def test_a_report_that_contradicts_the_manifest_fails_the_hub(run, tmp_path):
    bid = tmp_path / "bid"
    shutil.copytree(YEAR_TWO, bid)
    path = bid / "compliance-report.yaml"
    data = yaml.safe_load(path.read_text())
    data["subject"]["manifest_revision"] = 2
    data["incidents"][0]["hours_to_notify"] = 30
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    sub = _submission(run, str(bid))
    found = sorted((f["rule"], f["location"]["file"], f["location"]["pointer"]) for f in sub["findings"])
    assert found == [
        ("XD-18-manifest-revision", "compliance-report.yaml", "/subject/manifest_revision"),
        ("XD-22-incident-notice", "compliance-report.yaml", "/incidents/0/hours_to_notify"),
    ]


def test_a_profile_can_require_the_report(run, tmp_path):
    profile = tmp_path / "annual-review.yaml"
    profile.write_text(
        "kind: profile\nid: annual-review\ntitle: Annual review\n"
        "standards: [ocp-compliance-report@1.0.0]\n"
        "documents: [data-manifest, retention-policy, openapi, compliance-report]\n"
    )
    sub = _submission(run, str(BID_2_0), "--profile", str(profile))
    assert sub["verdict"] == "nonconformant"
    (missing,) = [f for f in sub["findings"] if f["rule"] == "submission"]
    assert missing["clause"] == "XD-11" and missing["message"] == "the submission has no compliance report"
    clauses = _clauses(sub)
    assert clauses[("ocp-compliance-report", "CR-1.2")]["status"] == "not-checked"
    assert clauses[("ocp-data-governance", "XD-18")]["status"] == "not-checked"
    assert clauses[("ocp-data-governance", "XD-18")]["reason"] == "no compliance report in the submission"
    # The same profile with the report: complete, conformant.
    assert _submission(run, str(YEAR_TWO), "--profile", str(profile))["verdict"] == "conformant"


def test_a_relaxed_required_document_is_still_not_checked_rather_than_optional(run, tmp_path):
    """Relaxing a kind the hub requires keeps its standard in the matrix (not checked): only
    kinds the hub does not require drop out when absent."""
    bid = tmp_path / "bid"
    shutil.copytree(BID_2_0, bid)
    (bid / "openapi.yaml").unlink()
    profile = tmp_path / "p.yaml"
    profile.write_text("kind: profile\nid: p\ntitle: P\ndocuments: [data-manifest, retention-policy]\n")
    sub = _submission(run, str(bid), "--profile", str(profile))
    clauses = _clauses(sub)
    assert clauses[("ocp-api-exchange", "DX-1.1")]["status"] == "not-checked"
    assert clauses[("ocp-data-governance", "XD-18")]["status"] == "not-applicable"


def test_a_report_that_declares_no_standard_is_a_finding_not_silence(run, tmp_path):
    """The report standard has no version released for use by default, so a report that names
    none cannot be judged; it says so instead of passing unjudged."""
    bid = tmp_path / "bid"
    shutil.copytree(YEAR_TWO, bid)
    path = bid / "compliance-report.yaml"
    path.write_text(path.read_text().replace("standard: ocp-compliance-report@1.0\n", ""))
    sub = _submission(run, str(bid))
    version = [f for f in sub["findings"] if f["rule"] == "version"]
    assert len(version) == 1 and version[0]["location"]["file"] == "compliance-report.yaml"
    assert "declares no standard version" in version[0]["message"]
    assert "ocp-compliance-report@1.0.0" in version[0]["fix"]


def test_a_1_x_bid_with_a_report_judges_the_report_on_its_own(run, tmp_path):
    """The 1.x hub knows no compliance report: the report is judged by its own standard and
    nothing cross-checks it (XD-18 does not exist in 1.1)."""
    bid = tmp_path / "bid"
    shutil.copytree(REPO / "standards" / "_examples" / "northwind-cmi", bid)
    shutil.copy(YEAR_TWO / "compliance-report.yaml", bid)
    sub = _submission(run, str(bid))
    assert {d["kind"] for d in sub["documents"]} >= {"compliance-report"}
    clauses = _clauses(sub)
    assert ("ocp-data-governance", "XD-18") not in clauses
    assert clauses[("ocp-compliance-report", "CR-1.2")]["status"] == "pass"


def test_init_writes_a_report_template_that_check_reports_as_unfilled(run, tmp_path):
    result = run("init", "compliance-report", str(tmp_path / "report"))
    assert result.exit_code == 0, result.stderr
    written = tmp_path / "report" / "compliance-report.yaml"
    assert written.is_file()
    assert (tmp_path / "report" / ".ocp-schemas" / "ocp-compliance-report-1.0.0.schema.json").is_file()
    sub = _submission(run, str(tmp_path / "report"))
    assert {d["kind"] for d in sub["documents"]} == {"compliance-report"}
    assert [f for f in sub["findings"] if f["rule"] == "incomplete"]


def test_the_year_two_base_repeats_the_bid_it_reports_on():
    """The year-two case base holds the 2.0 case base's documents unchanged plus the report, so
    the report's cases and the bid's cases judge the same manifest."""
    for path in sorted(BID_2_0.rglob("*")):
        if path.is_file():
            twin = YEAR_TWO / path.relative_to(BID_2_0)
            assert twin.read_bytes() == path.read_bytes(), twin
    extra = {p.relative_to(YEAR_TWO).as_posix() for p in YEAR_TWO.rglob("*") if p.is_file()} - {
        p.relative_to(BID_2_0).as_posix() for p in BID_2_0.rglob("*") if p.is_file()
    }
    assert extra == {"compliance-report.yaml"}


def test_standards_diff_classes_the_optional_report_as_additive(run):
    result = run(
        "standards", "diff", "ocp-data-governance@1.1", "ocp-data-governance@2.0.0", "--format", "json"
    )
    changes = json.loads(result.stdout)["changes"]
    (optional,) = [c for c in changes if c["kind"] == "documents-optional"]
    assert optional["class"] == "additive" and "compliance-report" in optional["summary"]
    assert Path(REPO / "standards" / "ocp-compliance-report" / "1.0.0" / "standard.yaml").is_file()
