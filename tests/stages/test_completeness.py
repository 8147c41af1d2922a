"""The completeness stage: one document of each kind, unless --each or a profile says otherwise."""

from __future__ import annotations

from pathlib import Path

from ocp_check.model import DocumentKind
from ocp_check.stages import completeness
from tests.stages.conftest import before, new_findings


def test_a_missing_document_fails_the_completeness_clause(bid: Path) -> None:
    (bid / "retention-policy.yaml").unlink()
    sub = before(completeness.run, bid)
    [finding] = new_findings(sub, completeness.run(sub))
    assert (finding.rule, finding.location.file) == ("submission", "")
    assert finding.message == "the submission has no retention policy"
    hub = sub.kind_standard[DocumentKind.DATA_MANIFEST]
    assert (finding.clause, finding.standard) == (hub.completeness_clause, hub.ref)


def test_a_second_manifest_is_a_finding_on_it(bid: Path) -> None:
    (bid / "z-second.yaml").write_text((bid / "data-manifest.yaml").read_text())
    sub = before(completeness.run, bid)
    [finding] = new_findings(sub, completeness.run(sub))
    assert finding.location.file == "z-second.yaml"
    assert finding.message == "a second data manifest in the same submission (the first is data-manifest.yaml)"


def test_a_missing_api_description_names_its_format(bid: Path) -> None:
    (bid / "openapi.yaml").unlink()
    sub = before(completeness.run, bid)
    [finding] = new_findings(sub, completeness.run(sub))
    assert finding.message == "the submission has no API description (OpenAPI)"


def test_with_each_the_clause_is_not_applicable(bid: Path) -> None:
    sub = before(completeness.run, bid / "data-manifest.yaml", each=True)
    after = completeness.run(sub)
    assert new_findings(sub, after) == []
    assert list(after.not_applicable.values()) == ["each document is checked on its own (--each)"]
