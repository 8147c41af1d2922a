"""Governed waivers and city profiles, end to end."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ocp_check.model import Finding, FindingState, Level, Location, Severity
from ocp_check.waivers import CITY, VENDOR, Waiver, apply

REPO = Path(__file__).resolve().parents[1]


def _late_breach_notice(bid: Path, hours: int = 96) -> None:
    path = bid / "data-manifest.yaml"
    text = path.read_text()
    assert "breach_notification_hours: 24" in text
    path.write_text(text.replace("breach_notification_hours: 24", f"breach_notification_hours: {hours}"))


WAIVER = """kind: waivers
waivers:
  - id: HV-2026-014
    rule: DG-9.4-notification-hours
    scope: {{files: [data-manifest.yaml], pointer: /security}}
    reason: The vendor's parent company policy is 96 hours; a contract clause binds it to 72 hours.
    approved_by: Jane Roe, Procurement Lead, City of Harbourview
    expires: {expires}
"""


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_city_waiver_accepts_a_deviation_with_approver_and_expiry(run, bid, tmp_path):
    _late_breach_notice(bid)
    assert run("check", str(bid)).exit_code == 1
    waivers = _write(tmp_path / "city-waivers.yaml", WAIVER.format(expires="2027-06-30"))
    result = run("check", str(bid), "--waivers", str(waivers), "--today", "2026-12-01", "--format", "json")
    assert result.exit_code == 0, result.stdout
    report = result.json()
    waived = [f for f in report["submissions"][0]["findings"] if f["state"] == "waived"]
    assert len(waived) == 1
    w = waived[0]["waiver"]
    assert (w["id"], w["issuer"], w["approved_by"], w["expires"], w["honoured"]) == (
        "HV-2026-014",
        "city",
        "Jane Roe, Procurement Lead, City of Harbourview",
        "2027-06-30",
        True,
    )
    clause = next(c for c in report["submissions"][0]["clauses"] if c["clause"] == "DG-9.4")
    assert clause["status"] == "waived"
    assert report["counts"]["waived"] == 1
    assert report["today"] == "2026-12-01"
    assert report["waivers"][0]["matched"] == 1
    text = run("check", str(bid), "--waivers", str(waivers), "--today", "2026-12-01", "--no-color").stdout
    assert "approved by Jane Roe" in text and "expires 2027-06-30" in text


def test_expired_waiver_fails_again_and_says_why(run, bid, tmp_path):
    _late_breach_notice(bid)
    waivers = _write(tmp_path / "city-waivers.yaml", WAIVER.format(expires="2027-06-30"))
    result = run("check", str(bid), "--waivers", str(waivers), "--today", "2027-07-01", "--format", "json")
    assert result.exit_code == 1
    finding = next(f for f in result.json()["submissions"][0]["findings"] if f.get("waiver"))
    assert finding["state"] == "active"
    assert finding["waiver"]["honoured"] is False
    assert "expired on 2027-06-30" in finding["waiver"]["note"]


def test_vendor_waiver_is_not_honoured_in_a_city_evaluation(run, bid, tmp_path):
    _late_breach_notice(bid)
    _write(bid / "ocp-waivers.yaml", WAIVER.format(expires="2027-06-30"))
    self_assessment = run("check", str(bid), "--today", "2026-12-01", "--format", "json")
    assert self_assessment.exit_code == 0
    profile = _write(
        tmp_path / "city.yaml",
        "kind: profile\nid: harbourview\ntitle: City of Harbourview\nevaluation: city\n",
    )
    city = run("check", str(bid), "--profile", str(profile), "--today", "2026-12-01", "--format", "json")
    assert city.exit_code == 1
    finding = next(f for f in city.json()["submissions"][0]["findings"] if f.get("waiver"))
    assert finding["waiver"]["issuer"] == "vendor" and finding["waiver"]["honoured"] is False
    assert "not honoured in a city evaluation" in finding["waiver"]["note"]


def test_vendor_file_claiming_to_be_the_city_is_a_finding(run, bid):
    _late_breach_notice(bid)
    text = WAIVER.format(expires="2027-06-30").replace("    expires:", "    issued_by: city\n    expires:")
    _write(bid / "ocp-waivers.yaml", text)
    report = run("check", str(bid), "--today", "2026-12-01", "--format", "json").json()
    claims = [f for f in report["submissions"][0]["findings"] if f["rule"] == "waivers"]
    assert claims and "claims to be issued by the city" in claims[0]["message"]
    assert claims[0]["location"]["file"] == "ocp-waivers.yaml"


def test_unused_city_waiver_is_reported_in_text_and_json(run, bid, tmp_path):
    """A city waiver that matches nothing is shown: it may be stale, or aimed at the wrong file."""
    waivers = _write(tmp_path / "city-waivers.yaml", WAIVER.format(expires="2027-06-30"))
    result = run("check", str(bid), "--waivers", str(waivers), "--today", "2026-12-01", "--no-color")
    assert result.exit_code == 0
    assert "HV-2026-014" in result.stdout and "matched no finding" in result.stdout
    assert "today: 2026-12-01" in result.stdout
    report = run("check", str(bid), "--waivers", str(waivers), "--format", "json").json()
    assert report["waivers"][0]["matched"] == 0


def test_unused_vendor_waiver_is_reported(run, bid):
    _write(bid / "ocp-waivers.yaml", WAIVER.format(expires="2027-06-30"))
    report = run("check", str(bid), "--today", "2026-12-01", "--format", "json").json()
    unused = [f for f in report["submissions"][0]["findings"] if f["rule"] == "waivers"]
    assert unused and "matches no finding" in unused[0]["message"]


def test_invalid_city_waivers_file_is_exit_2_with_position(run, bid, tmp_path):
    bad = _write(
        tmp_path / "w.yaml", "kind: waivers\nwaivers:\n  - id: X1\n    rule: DG-9.4-notification-hours\n"
    )
    result = run("check", str(bid), "--waivers", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:" in result.stderr and "required" in result.stderr


def test_waivers_validate_command(run, tmp_path):
    good = _write(tmp_path / "w.yaml", WAIVER.format(expires="2027-06-30"))
    assert run("waivers", "validate", str(good), "--today", "2026-12-01").exit_code == 0
    assert run("waivers", "validate", str(good), "--today", "2028-01-01").exit_code == 1
    bad = _write(tmp_path / "bad.yaml", "kind: waivers\nwaivers: [{id: 1}]\n")
    assert run("waivers", "validate", str(bad)).exit_code == 2
    entry = WAIVER.format(expires="2027-06-30").split("waivers:\n", 1)[1]
    twice = _write(tmp_path / "twice.yaml", "kind: waivers\nwaivers:\n" + entry + entry)
    result = run("waivers", "validate", str(twice))
    assert result.exit_code == 2 and "used twice" in result.stderr


def test_profile_tightens_a_parameter_and_the_verdict_changes(run, bid, tmp_path):
    _late_breach_notice(bid, hours=48)
    assert run("check", str(bid)).exit_code == 0
    profile = _write(
        tmp_path / "p.yaml",
        "kind: profile\nid: strict\ntitle: Strict city\n"
        "parameters:\n  ocp-data-governance:\n    breach_notification_max_hours: 24\n",
    )
    result = run("check", str(bid), "--profile", str(profile), "--format", "json")
    assert result.exit_code == 1
    report = result.json()
    assert report["profile"]["id"] == "strict" and len(report["profile"]["sha256"]) == 64
    assert any(f["rule"] == "DG-9.4-notification-hours" for f in report["submissions"][0]["findings"])


def test_profile_disables_raises_and_relaxes(run, bid, tmp_path):
    (bid / "openapi.yaml").unlink()
    (bid / "models" / "trip.yaml").unlink()
    profile = _write(
        tmp_path / "p.yaml",
        "kind: profile\nid: relaxed\ntitle: Relaxed\n"
        "documents: [data-manifest, retention-policy]\n"
        "disable:\n  ocp-data-governance:\n    DG-9.3: The city publishes its own notice for every sensor.\n"
        "levels:\n  ocp-data-governance:\n    DG-2.4: MUST\n",
    )
    report = run("check", str(bid), "--profile", str(profile), "--format", "json").json()
    sub = report["submissions"][0]
    assert not [f for f in sub["findings"] if f["rule"] == "submission"]
    by_clause = {(c["standard"], c["clause"]): c for c in sub["clauses"]}
    dg93 = by_clause[("ocp-data-governance@1.0.0", "DG-9.3")]
    assert dg93["status"] == "disabled" and "publishes its own notice" in dg93["reason"]
    assert by_clause[("ocp-data-governance@1.0.0", "DG-2.4")]["level"] == "MUST"
    assert by_clause[("ocp-api-exchange@1.0.0", "DX-1.1")]["status"] == "not-checked"


def test_findings_of_a_disabled_clause_are_marked_disabled_and_do_not_count(run, tmp_path):
    bid = tmp_path / "bid"
    shutil.copytree(REPO / "examples" / "bids" / "panoptic-insights", bid)
    profile = _write(
        tmp_path / "p.yaml",
        "kind: profile\nid: no-rate-limits\ntitle: No rate limits\n"
        "disable:\n  ocp-api-exchange:\n    DX-7.1: The city's gateway enforces rate limits.\n",
    )
    report = run("check", str(bid), "--profile", str(profile), "--format", "json").json()
    sub = report["submissions"][0]
    dx71 = [f for f in sub["findings"] if f["clause"] == "DX-7.1"]
    assert dx71 and {f["state"] for f in dx71} == {"disabled"}
    assert sub["counts"]["disabled"] == len(dx71) and sub["counts"]["not-in-force"] == 0
    text = run("check", str(bid), "--profile", str(profile), "--no-color").stdout
    assert f"{len(dx71)} disabled" in text.splitlines()[-1]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "kind: profile\nid: x\ntitle: X\nlevels:\n  ocp-data-governance:\n    DG-1.1: SHOULD\n",
            "raise a level, not lower",
        ),
        (
            "kind: profile\nid: x\ntitle: X\nlevels:\n  ocp-data-governance:\n    DG-5.2: MUST NOT\n",
            "not invert it",
        ),
        (
            "kind: profile\nid: x\ntitle: X\nparameters:\n  ocp-data-governance:\n    nope: 1\n",
            "no parameter 'nope'",
        ),
        (
            "kind: profile\nid: x\ntitle: X\ndisable:\n  ocp-data-governance:\n    DG-99.9: for a good reason\n",
            "no clause DG-99.9",
        ),
        (
            "kind: profile\nid: x\ntitle: X\nparameters:\n  ocp-data-governance:\n"
            "    residency_allow_list: [loc:XX-NOPE]\n",
            "not a term of the locations vocabulary",
        ),
        (
            "kind: profile\nid: x\ntitle: X\nparameters:\n  ocp-data-governance:\n"
            "    breach_notification_max_hours: -5\n",
            "below the minimum 1",
        ),
        ("kind: profile\nid: x\ntitle: X\nstandards: [ocp-data-governance@5]\n", "unknown standard"),
        ("kind: profile\nid: x\n", "title"),
    ],
)
def test_invalid_profile_is_exit_2_naming_the_problem(run, bid, tmp_path, text, message):
    profile = _write(tmp_path / "p.yaml", text)
    result = run("check", str(bid), "--profile", str(profile))
    assert result.exit_code == 2
    assert message in result.stderr and f"{profile}:" in result.stderr


def test_project_configuration_file(run, bid, tmp_path, monkeypatch):
    _late_breach_notice(bid)
    _write(tmp_path / "city-waivers.yaml", WAIVER.format(expires="2027-06-30"))
    _write(tmp_path / ".ocp-check.yaml", "waivers: [city-waivers.yaml]\nfail_on: error\n")
    monkeypatch.chdir(tmp_path)
    assert run("check", "bid", "--today", "2026-12-01").exit_code == 0
    _write(tmp_path / ".ocp-check.yaml", "fail_on: sometimes\n")
    assert run("check", "bid").exit_code == 2


def _finding(rule: str, state: FindingState = FindingState.ACTIVE) -> Finding:
    return Finding(
        rule, "C-1", None, Level.MUST, Severity.ERROR, "m", "f", Location("a.yaml", "/x", 1, 1), state=state
    )


def _waiver(issuer: str, expires: str = "2030-01-01", rule: str = "r1") -> Waiver:
    return Waiver(
        "W1", rule, None, None, None, (), None, "a reason", "someone", expires, issuer, "w.yaml", "/waivers/0"
    )


def test_apply_only_moves_findings_between_active_and_waived():
    import datetime

    findings = [_finding("r1"), _finding("r2"), _finding("r1", FindingState.NOT_IN_FORCE)]
    out, usage = apply(
        findings, [_waiver(CITY)], submission="bid", city_evaluation=False, today=datetime.date(2026, 1, 1)
    )
    assert [f.rule for f in out] == [f.rule for f in findings]
    assert [f.state for f in out] == [FindingState.WAIVED, FindingState.ACTIVE, FindingState.NOT_IN_FORCE]
    assert list(usage.values()) == [1]
    out, _ = apply(
        findings, [_waiver(VENDOR)], submission="bid", city_evaluation=True, today=datetime.date(2026, 1, 1)
    )
    assert out[0].state is FindingState.ACTIVE and out[0].waiver is not None and not out[0].waiver.honoured


def test_a_city_waiver_applies_to_an_attestation_clause(run, tmp_path):
    """An unanswered attestation is a finding like any other: a city waiver on its clause
    covers it (the attestation finding used to be made after the waivers had run, so the
    waiver matched nothing and the clause stayed failed)."""
    bid = REPO / "examples" / "bids" / "panoptic-insights"
    waivers = _write(
        tmp_path / "city.yaml",
        """kind: waivers
waivers:
  - id: PI-2026-001
    clause: DG-6.4
    standard: ocp-data-governance@2.0.0
    reason: The algorithmic impact assessment is filed with the City under separate cover.
    approved_by: Jane Roe, Procurement Lead, City of Harbourview
    expires: 2027-01-01
""",
    )
    before = run("check", str(bid), "--format", "json", "--today", "2026-06-01").json()
    mine = [f for f in before["submissions"][0]["findings"] if f["clause"] == "DG-6.4"]
    assert [f["rule"] for f in mine] == ["attestation"]  # the clause is an attestation in 2.0.0
    result = run("check", str(bid), "--waivers", str(waivers), "--format", "json", "--today", "2026-06-01")
    report = result.json()
    assert [w["matched"] for w in report["waivers"]] == [1]
    sub = report["submissions"][0]
    clause = next(c for c in sub["clauses"] if c["clause"] == "DG-6.4")
    assert clause["status"] == "waived"
    waived = [f for f in sub["findings"] if f["clause"] == "DG-6.4"]
    assert [(f["rule"], f["state"], f["waiver"]["id"]) for f in waived] == [("attestation", "waived", "PI-2026-001")]
