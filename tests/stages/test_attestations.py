"""The attestations stage: answers from the manifest; findings made before waivers."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ocp_check.model import DocumentKind, Level, Status
from ocp_check.profiles import load_profile
from ocp_check.stages import attestations
from tests.stages.conftest import CATALOG, before, new_findings


def test_yes_is_attested_and_no_is_a_finding_of_the_clause(bid: Path, edit) -> None:  # type: ignore[no-untyped-def]
    edit(bid, "data-manifest.yaml", 'answer: "yes"', 'answer: "no"')  # DG-6.4, the first answer
    sub = before(attestations.run, bid)
    after = attestations.run(sub)
    [finding] = new_findings(sub, after)
    assert (finding.rule, finding.clause, finding.location.pointer) == ("attestation", "DG-6.4", "/attestations/DG-6.4")
    assert finding.message.startswith("the vendor answers 'no' to DG-6.4")
    assert finding.location.line is not None  # located when admitted
    statuses = {clause: status for (_, clause), (status, _) in after.attested.items()}
    assert "DG-6.4" not in statuses and set(statuses.values()) == {Status.ATTESTED}


def test_a_missing_answer_points_at_the_map(bid: Path, edit) -> None:  # type: ignore[no-untyped-def]
    edit(bid, "data-manifest.yaml", "  DG-6.4:\n", "  XX-0.0:\n")
    sub = before(attestations.run, bid)
    [finding] = new_findings(sub, attestations.run(sub))
    assert finding.message.startswith("no attestation for DG-6.4") and finding.location.pointer == "/attestations/DG-6.4"


def test_without_a_manifest_attestation_clauses_are_left_to_the_statuses(bid: Path) -> None:
    (bid / "data-manifest.yaml").unlink()
    sub = before(attestations.run, bid)
    after = attestations.run(sub)
    assert new_findings(sub, after) == [] and after.attested == {}  # "no data manifest": not checked


def test_a_clause_with_findings_of_its_own_or_disabled_is_left_alone(bid: Path, edit) -> None:  # type: ignore[no-untyped-def]
    edit(bid, "data-manifest.yaml", 'answer: "yes"', 'answer: "TODO: yes or no"')
    sub = before(attestations.run, bid)
    assert [f for f in new_findings(sub, attestations.run(sub)) if f.clause == "DG-6.4"] == []


def test_an_optional_clause_left_unanswered_is_not_applicable(bid: Path, edit) -> None:  # type: ignore[no-untyped-def]
    edit(bid, "data-manifest.yaml", "  DG-6.4:\n", "  XX-0.0:\n")
    sub = before(attestations.run, bid)
    standard = sub.kind_standard[DocumentKind.DATA_MANIFEST]
    optional = dataclasses.replace(standard.clause_index["DG-6.4"], level=Level.MAY)
    manifest = sub.manifest
    assert manifest is not None and manifest.loaded.document is not None
    assert attestations.answer(standard, optional, (manifest.rel, manifest.loaded.document)) == (
        Status.NOT_APPLICABLE,
        "optional; not attested",
        None,
    )
    assert attestations.answer(standard, optional, None)[:2] == (Status.NOT_CHECKED, "no data manifest in the submission")


def test_a_clause_the_profile_disables_is_left_alone_and_the_next_ones_are_judged(
    bid: Path, tmp_path: Path
) -> None:
    text = (bid / "data-manifest.yaml").read_text()
    (bid / "data-manifest.yaml").write_text(text.replace('answer: "yes"', 'answer: "no"', 2))  # DG-6.4 and DG-9.5
    path = tmp_path / "p.yaml"
    path.write_text(
        "kind: profile\nid: p\ntitle: P\ndisable:\n  ocp-data-governance:\n    DG-6.4: The city audits access itself.\n"
    )
    sub = before(attestations.run, bid, profile=load_profile(path, CATALOG))
    assert [f.clause for f in new_findings(sub, attestations.run(sub))] == ["DG-9.5"]
