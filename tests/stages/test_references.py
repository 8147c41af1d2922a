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
    assert finding.location.file == "openapi.yaml"
    assert "leaves the root folder" in finding.message
    assert str(finding.standard) == "ocp-api-exchange@1.0.0"


def test_a_circular_chain_is_a_finding(tmp_path: Path) -> None:
    (tmp_path / "openapi.yaml").write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "components:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n"
    )
    sub = before(references.run, tmp_path)
    found = new_findings(sub, references.run(sub))
    circular = [f for f in found if f.message.startswith("circular $ref chain")]
    assert circular and {(f.location.file, str(f.standard)) for f in circular} == {
        ("openapi.yaml", "ocp-api-exchange@1.0.0")
    }


def test_a_document_the_run_does_not_judge_only_says_what_it_reaches(bid: Path, edit) -> None:  # type: ignore[no-untyped-def]
    edit(bid, "openapi.yaml", "$ref: 'models/trip.yaml#/Trip'", "$ref: '../elsewhere.yaml#/Trip'")
    sub = before(references.run, bid, standards=("ocp-data-retention@1.0",))
    after = references.run(sub)
    assert new_findings(sub, after) == []


def test_the_references_of_fragments_are_followed_each_file_once(bid: Path) -> None:
    # openapi.yaml reaches models/trip.yaml twice; trip.yaml reaches models/common.yaml.
    with (bid / "models" / "trip.yaml").open("a") as trip:
        trip.write("Extra:\n  gone: {$ref: '#/Missing'}\n  id: {$ref: 'common.yaml#/Id'}\n  lost: {$ref: '#/Lost'}\n")
    (bid / "models" / "common.yaml").write_text("Id: {type: string}\n")
    sub = before(references.run, bid)
    after = references.run(sub)
    assert after.fragments == frozenset({"models/trip.yaml", "models/common.yaml"})
    assert [(f.location.file, f.location.pointer) for f in new_findings(sub, after)] == [
        ("models/trip.yaml", "/Extra/gone/$ref"),
        ("models/trip.yaml", "/Extra/lost/$ref"),
    ]


def test_a_chain_of_references_is_a_finding_only_when_it_loops(tmp_path: Path) -> None:
    (tmp_path / "openapi.yaml").write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\nx-count: 3\n"
        "components:\n  schemas:\n"
        "    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/C'}\n    C: {type: string}\n"
        "    D: {$ref: '#/components/schemas/E'}\n    E: {$ref: '#/components/schemas/Missing'}\n"
        "    F: {$ref: '#/x-count'}\n"
    )
    sub = before(references.run, tmp_path)
    [finding] = new_findings(sub, references.run(sub))  # E's broken reference, not a loop through D
    assert finding.location.pointer == "/components/schemas/E/$ref"
    assert not finding.message.startswith("circular")


def test_a_file_that_is_no_document_has_its_references_left_alone(bid: Path) -> None:
    (bid / "notes.yaml").write_text("owner: procurement\nsee: {$ref: 'missing.yaml'}\n")
    sub = before(references.run, bid)
    after = references.run(sub)
    assert new_findings(sub, after) == []
    assert after.fragments == frozenset({"models/trip.yaml"})


def test_a_document_the_run_judges_reports_its_references(bid: Path, edit) -> None:  # type: ignore[no-untyped-def]
    edit(bid, "openapi.yaml", "$ref: 'models/trip.yaml#/Trip'", "$ref: '../elsewhere.yaml#/Trip'")
    sub = before(references.run, bid, standards=("ocp-api-exchange@1.0",))
    [finding] = new_findings(sub, references.run(sub))
    assert "leaves the root folder" in finding.message
