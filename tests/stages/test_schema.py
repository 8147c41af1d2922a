"""The schema stage: structural problems, unsupported format versions, placeholders folded."""

from __future__ import annotations

from pathlib import Path

from ocp_check.stages import schema
from tests.stages.conftest import before, new_findings


def test_a_structural_problem_is_a_schema_finding(bid: Path, edit) -> None:  # type: ignore[no-untyped-def]
    edit(bid, "data-manifest.yaml", "manifest_revision: 3", "manifest_revision: three")
    sub = before(schema.run, bid)
    after = schema.run(sub)
    [finding] = new_findings(sub, after)
    assert (finding.rule, finding.location.pointer) == ("schema", "/manifest_revision")
    assert finding.location.line == 6  # located when admitted


def test_a_problem_at_a_placeholder_is_folded_into_it(bid: Path, edit) -> None:  # type: ignore[no-untyped-def]
    edit(bid, "data-manifest.yaml", "manifest_revision: 3", 'manifest_revision: "TODO: a number"')
    sub = before(schema.run, bid)
    assert new_findings(sub, schema.run(sub)) == []


def test_an_unsupported_openapi_version_is_one_finding(bid: Path, edit) -> None:  # type: ignore[no-untyped-def]
    edit(bid, "openapi.yaml", "openapi: 3.1.0", "openapi: 3.2.0")
    sub = before(schema.run, bid)
    [finding] = new_findings(sub, schema.run(sub))
    assert (finding.rule, finding.location.pointer) == ("schema", "/openapi")
    assert "convert it" in finding.fix


def test_progress_names_each_document_validated(bid: Path) -> None:
    labels: list[str] = []
    schema.run(before(schema.run, bid).but(progress=labels.append))
    assert sorted(labels) == ["file:data-manifest.yaml", "file:openapi.yaml", "file:retention-policy.yaml"]
