"""The schema stage: structural problems, unsupported format versions, placeholders folded."""

from __future__ import annotations

from pathlib import Path

from ocp_check import schema_check
from ocp_check.model import DocumentKind
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



def test_a_schema_finding_carries_the_fix_and_detail_of_its_problem(bid: Path, edit) -> None:  # type: ignore[no-untyped-def]
    edit(bid, "openapi.yaml", "RFC 3339.\n      schema:", "RFC 3339.\n      schemx:")  # neither schema nor content
    sub = before(schema.run, bid)
    findings = new_findings(sub, schema.run(sub))
    [doc] = sub.by_kind[DocumentKind.OPENAPI]
    assert doc.standard is not None and doc.detection is not None and doc.loaded.document is not None
    problems = list(
        schema_check.validate(doc.standard.validator(doc.detection.schema_key), doc.loaded.document.data)
    )
    assert [(f.location.pointer, f.message, f.fix, f.detail) for f in findings] == [
        (p.pointer, p.message, p.fix, p.detail) for p in problems
    ]
    assert all(f.fix for f in findings) and any(f.detail for f in findings)  # "N alternatives tried"


def test_an_unsupported_version_leaves_the_next_documents_judged(bid: Path, edit) -> None:  # type: ignore[no-untyped-def]
    edit(bid, "openapi.yaml", "openapi: 3.1.0", "openapi: 3.2.0")
    edit(bid, "retention-policy.yaml", "kind: retention-policy", "kind: retention-policy\nextra_key: 1")
    sub = before(schema.run, bid)
    assert [d.rel for d in sub.docs if d.standard] == ["data-manifest.yaml", "openapi.yaml", "retention-policy.yaml"]
    found = new_findings(sub, schema.run(sub))
    assert [f.location.file for f in found] == ["openapi.yaml", "retention-policy.yaml"]
    assert "extra_key" in found[1].message


def test_a_placeholder_deep_in_a_one_of_fails_no_ancestor(bid: Path, edit) -> None:  # type: ignore[no-untyped-def]
    # The template's "TODO" in a URL is one unfilled value (the placeholders stage reports
    # it), not a failed format that makes the whole security scheme fail its oneOf.
    edit(bid, "openapi.yaml", "tokenUrl: https://auth.cmi.northwind.example/oauth2/token", 'tokenUrl: "TODO: the token URL"')
    sub = before(schema.run, bid)
    assert sub.placeholders["openapi.yaml"]
    assert new_findings(sub, schema.run(sub)) == []
