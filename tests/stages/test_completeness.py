"""The completeness stage: one document of each kind, unless --each or a profile says otherwise."""

from __future__ import annotations

from pathlib import Path

from ocp_check.model import DocumentKind
from ocp_check.profiles import Profile, load_profile
from ocp_check.stages import completeness
from tests.stages.conftest import CATALOG, before, new_findings


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


def _profile(tmp_path: Path, documents: str) -> Profile:
    path = tmp_path / "p.yaml"
    path.write_text(f"kind: profile\nid: p\ntitle: P\ndocuments: {documents}\n")
    return load_profile(path, CATALOG)


def test_a_profile_s_documents_decide_which_kinds_are_missing(bid: Path, tmp_path: Path) -> None:
    (bid / "retention-policy.yaml").unlink()
    (bid / "openapi.yaml").unlink()
    sub = before(completeness.run, bid, profile=_profile(tmp_path, "[data-manifest, openapi]"))
    findings = new_findings(sub, completeness.run(sub))
    assert [f.message for f in findings] == ["the submission has no API description (OpenAPI)"]


def test_a_second_document_of_a_kind_the_profile_does_not_require_is_still_a_finding(
    bid: Path, tmp_path: Path
) -> None:
    (bid / "z-second.yaml").write_text((bid / "retention-policy.yaml").read_text())
    sub = before(completeness.run, bid, profile=_profile(tmp_path, "[data-manifest, openapi]"))
    [finding] = new_findings(sub, completeness.run(sub))
    assert finding.location.file == "z-second.yaml"


def test_several_api_descriptions_are_no_finding(bid: Path) -> None:
    (bid / "z-second-api.yaml").write_text((bid / "openapi.yaml").read_text())
    sub = before(completeness.run, bid)
    assert len(sub.by_kind[DocumentKind.OPENAPI]) == 2
    assert new_findings(sub, completeness.run(sub)) == []


def test_a_lone_api_description_checked_on_its_own_has_no_completeness_clause(bid: Path) -> None:
    sub = before(completeness.run, bid / "openapi.yaml", each=True)
    assert DocumentKind.DATA_MANIFEST not in sub.kind_standard
    assert completeness.run(sub) is sub
