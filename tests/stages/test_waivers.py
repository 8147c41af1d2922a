"""The waivers stage: city then vendor waivers; problems of the vendor's file are findings."""

from __future__ import annotations

from pathlib import Path

from ocp_check.model import FindingState
from ocp_check.profiles import load_city_waivers
from ocp_check.stages import waivers
from tests.stages.conftest import before, new_findings

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


def test_without_waivers_today_is_not_consulted(bid: Path) -> None:
    after = waivers.run(before(waivers.run, bid))
    assert not after.consulted_today and after.waiver_usage == {}
