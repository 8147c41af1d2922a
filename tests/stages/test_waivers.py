"""The waivers stage: city then vendor waivers; problems of the vendor's file are findings."""

from __future__ import annotations

from pathlib import Path

from ocp_check.model import Finding, FindingCaps, FindingState, Level
from ocp_check.profiles import load_city_waivers, load_profile
from ocp_check.stages import findings as make
from ocp_check.stages import waivers
from tests.stages.conftest import CATALOG, before, new_findings

WAIVER = """kind: waivers
waivers:
  - id: W-1
    {what}
    reason: The city accepts it until the contract amendment is signed.
    approved_by: Jane Roe, Procurement Lead
    expires: 2030-01-01
"""


def test_a_city_waiver_covers_an_attestation_finding(bid: Path, edit, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    edit(bid, "data-manifest.yaml", 'answer: "yes"', 'answer: "no"')
    path = tmp_path / "city.yaml"
    path.write_text(WAIVER.format(what="clause: DG-6.4"))
    city, hashes = load_city_waivers([path])
    sub = before(waivers.run, bid, city_waivers=tuple(city), waiver_files=tuple(hashes))
    after = waivers.run(sub)
    [waived] = [f for f in after.findings if f.clause == "DG-6.4"]
    assert waived.rule == "attestation" and waived.state is FindingState.WAIVED and waived.waiver is not None
    assert list(after.waiver_usage.values()) == [1] and after.consulted_today


def test_an_unused_vendor_waiver_and_a_broken_file_are_findings(bid: Path) -> None:
    (bid / "ocp-waivers.yaml").write_text(WAIVER.format(what="rule: DG-9.4-notification-hours"))
    sub = before(waivers.run, bid)
    after = waivers.run(sub)
    [unused] = new_findings(sub, after)
    assert (unused.rule, unused.message) == ("waivers", "waiver W-1 matches no finding")
    assert after.waiver_usage == {}  # only city waivers are counted for the report
    (bid / "ocp-waivers.yaml").write_text("waivers: [\n")
    sub = before(waivers.run, bid)
    [broken] = new_findings(sub, waivers.run(sub))
    assert broken.message.startswith("the vendor waivers file cannot be read") and broken.location.line == 2
    [loaded] = sub.vendor_waivers
    assert loaded.error is not None and loaded.error.column is not None
    assert (broken.location.file, broken.location.column) == ("ocp-waivers.yaml", loaded.error.column)
    assert broken.message == f"the vendor waivers file cannot be read: {loaded.error.message}"


def test_an_unusable_vendor_waiver_is_a_finding_at_it(bid: Path) -> None:
    (bid / "ocp-waivers.yaml").write_text(WAIVER.format(what="rule: DG-9.4-notification-hours").replace("    reason:", "    rationale:"))
    sub = before(waivers.run, bid)
    found = new_findings(sub, waivers.run(sub))
    assert found and all(f.rule == "waivers" and f.location.file == "ocp-waivers.yaml" for f in found)
    assert all(f.location.pointer.startswith("/waivers/0") and f.message for f in found)


def _hits(n: int) -> list[Finding]:
    return [make.engine_finding("R-1", Level.MUST, f"hit {i}", "fix", "data-manifest.yaml", f"/x/{i}") for i in range(n)]


def test_a_city_waiver_covers_and_counts_the_folded_findings_too(bid: Path, tmp_path: Path) -> None:
    path = tmp_path / "city.yaml"
    path.write_text(WAIVER.format(what="rule: R-1\n    scope:\n      submission: bid"))
    city, hashes = load_city_waivers([path])
    sub = before(waivers.run, bid, city_waivers=tuple(city), waiver_files=tuple(hashes), caps=FindingCaps(per_rule=1))
    sub = sub.found(_hits(3))
    assert (len(sub.findings), len(sub.folded)) == (1, 2)
    after = waivers.run(sub)
    assert {f.state for f in (*after.findings, *after.folded) if f.rule == "R-1"} == {FindingState.WAIVED}
    assert list(after.waiver_usage.values()) == [3]


def test_in_a_city_evaluation_vendor_waivers_are_shown_not_honoured(bid: Path, tmp_path: Path) -> None:
    (bid / "ocp-waivers.yaml").write_text(WAIVER.format(what="rule: R-1"))
    profile = tmp_path / "p.yaml"
    profile.write_text("kind: profile\nid: p\ntitle: P\nevaluation: city\n")
    sub = before(waivers.run, bid, profile=load_profile(profile, CATALOG), caps=FindingCaps(per_rule=1)).found(_hits(2))
    after = waivers.run(sub)
    [shown] = [f for f in after.findings if f.rule == "R-1"]
    assert shown.state is FindingState.ACTIVE and shown.waiver is not None and not shown.waiver.honoured
    assert [f.state for f in after.folded if f.rule == "R-1"] == [FindingState.ACTIVE]
    assert not [f for f in new_findings(sub, after) if f.rule == "waivers"]  # it matched: not unused


def test_without_waivers_today_is_not_consulted(bid: Path) -> None:
    after = waivers.run(before(waivers.run, bid))
    assert not after.consulted_today and after.waiver_usage == {}
