"""The references stage: $refs followed inside the root; fragments; quiet documents."""

from __future__ import annotations

from pathlib import Path

from ocp_check.stages import references
from tests.stages.conftest import before, new_findings


def test_reached_files_are_fragments(bid: Path) -> None:
    after = references.run(before(references.run, bid))
    assert after.fragments == frozenset({"models/trip.yaml"})
    assert not after.findings


def test_a_ref_leaving_the_root_is_a_finding_on_the_ref(bid: Path, edit) -> None:  # type: ignore[no-untyped-def]
    edit(bid, "openapi.yaml", "$ref: 'models/trip.yaml#/Trip'", "$ref: '../elsewhere.yaml#/Trip'")
    sub = before(references.run, bid)
    after = references.run(sub)
    [finding] = new_findings(sub, after)
    assert finding.rule == "ref" and finding.location.pointer.endswith("/$ref")
    assert "leaves the root folder" in finding.message
    assert str(finding.standard) == "ocp-api-exchange@1.0.0"


def test_a_circular_chain_is_a_finding(tmp_path: Path) -> None:
    (tmp_path / "openapi.yaml").write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "components:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n"
    )
    sub = before(references.run, tmp_path)
    messages = [f.message for f in new_findings(sub, references.run(sub))]
    assert any(m.startswith("circular $ref chain") for m in messages)


def test_a_document_the_run_does_not_judge_only_says_what_it_reaches(bid: Path, edit) -> None:  # type: ignore[no-untyped-def]
    edit(bid, "openapi.yaml", "$ref: 'models/trip.yaml#/Trip'", "$ref: '../elsewhere.yaml#/Trip'")
    sub = before(references.run, bid, standards=("ocp-data-retention@1.0",))
    after = references.run(sub)
    assert new_findings(sub, after) == []
