"""The versions stage: the one place a document's and a kind's standard version is chosen."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ocp_check.errors import UsageError
from ocp_check.model import DocumentKind
from ocp_check.profiles import load_profile
from ocp_check.stages import versions
from tests.conftest import REPO
from tests.stages.conftest import CATALOG, before, new_findings

YEAR_TWO = REPO / "standards" / "_examples" / "northwind-cmi-2-year2"


def _standards(sub) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {d.rel: str(d.standard.ref) if d.standard else "" for d in sub.docs}


def test_the_declared_version_judges_the_document(bid: Path) -> None:
    after = versions.run(before(versions.run, bid))
    assert _standards(after)["data-manifest.yaml"] == "ocp-data-governance@1.0.0"
    manifest = next(d for d in after.docs if d.rel == "data-manifest.yaml")
    assert manifest.reason == "declared in the document (ocp-data-governance@1.0)"
    # A bid holds no compliance report: that optional kind's standard is not in play.
    assert set(after.kind_standard) == set(DocumentKind) - {DocumentKind.COMPLIANCE_REPORT}
    assert after.optional == {DocumentKind.COMPLIANCE_REPORT}
    assert {s.ref for s in after.kind_standard.values()} <= after.used


def test_an_optional_document_that_is_there_brings_its_standard_into_play(tmp_path: Path) -> None:
    year_two = tmp_path / "bid"
    shutil.copytree(YEAR_TWO, year_two)
    after = versions.run(before(versions.run, year_two))
    assert _standards(after)["compliance-report.yaml"] == "ocp-compliance-report@1.0.0"
    assert str(after.kind_standard[DocumentKind.COMPLIANCE_REPORT].ref) == "ocp-compliance-report@1.0.0"


def test_a_profile_that_names_an_optional_kind_requires_it(bid: Path) -> None:
    profile = load_profile(REPO / "examples" / "profiles" / "ontario-municipality-annual-review.yaml", CATALOG)
    assert DocumentKind.COMPLIANCE_REPORT in (profile.documents or ())
    sub = before(versions.run, bid, profile=profile)
    assert DocumentKind.COMPLIANCE_REPORT in versions.required_kinds(sub)
    after = versions.run(sub)
    assert DocumentKind.COMPLIANCE_REPORT in after.kind_standard and not after.optional


def test_a_document_of_a_kind_with_only_drafts_must_name_its_version(tmp_path: Path) -> None:
    year_two = tmp_path / "bid"
    shutil.copytree(YEAR_TWO, year_two)
    report = year_two / "compliance-report.yaml"
    report.write_text(report.read_text().replace("standard: ocp-compliance-report@1.0\n", "", 1))
    sub = before(versions.run, year_two)
    after = versions.run(sub)
    [finding] = new_findings(sub, after)
    assert (finding.rule, finding.location.file) == ("version", "compliance-report.yaml")
    assert finding.message.startswith("the compliance report declares no standard version")
    assert "'standard: ocp-compliance-report@" in finding.fix
    assert _standards(after)["compliance-report.yaml"] == ""  # not judged by a draft it does not name


def test_an_unknown_declared_version_is_a_finding_and_the_default_judges(bid: Path, edit) -> None:  # type: ignore[no-untyped-def]
    edit(bid, "data-manifest.yaml", "standard: ocp-data-governance@1.0", "standard: ocp-data-governance@9.9")
    sub = before(versions.run, bid)
    after = versions.run(sub)
    [finding] = new_findings(sub, after)
    assert (finding.rule, finding.location.pointer) == ("version", "/standard")
    assert "'ocp-data-governance@9.9', which is not a known standard version" in finding.message
    default = CATALOG.newest_for_kind(DocumentKind.DATA_MANIFEST)
    assert default is not None and _standards(after)["data-manifest.yaml"] == str(default.ref)


def test_a_named_standard_overrides_the_declared_one_and_narrows(bid: Path) -> None:
    after = versions.run(before(versions.run, bid, standards=("ocp-data-retention@2.0.0",)))
    assert _standards(after)["retention-policy.yaml"] == "ocp-data-retention@2.0.0"
    assert _standards(after)["data-manifest.yaml"] == ""  # read, not judged
    manifest = next(d for d in after.docs if d.rel == "data-manifest.yaml")
    assert manifest.reason.startswith("not judged: --standard names only")
    assert set(after.kind_standard) == {DocumentKind.RETENTION_POLICY}


def test_an_openapi_version_the_standard_has_no_schema_for_is_marked(bid: Path, edit) -> None:  # type: ignore[no-untyped-def]
    edit(bid, "openapi.yaml", "openapi: 3.1.0", "openapi: 3.2.0")
    after = versions.run(before(versions.run, bid))
    api = next(d for d in after.docs if d.rel == "openapi.yaml")
    assert api.detection is not None and api.detection.problem is not None and api.standard is not None
    covered = ", ".join(k for k in api.standard.schema_keys() if k)
    assert covered and api.detection.problem == (
        f"OpenAPI 3.2.0 is not covered by ocp-api-exchange@1.0.0, which judges OpenAPI {covered}: "
        "convert the description, or declare a version of the standard that covers it"
    )
    assert api.detection.problem_pointer == "/openapi"


def test_each_keeps_only_the_document_s_own_standard(bid: Path) -> None:
    after = versions.run(before(versions.run, bid / "retention-policy.yaml", each=True))
    assert set(after.kind_standard) == {DocumentKind.RETENTION_POLICY}


def test_two_versions_of_one_kind_cannot_both_be_imposed() -> None:
    with pytest.raises(UsageError, match="names two versions"):
        versions.overrides(CATALOG, ["ocp-data-retention@1.0", "ocp-data-retention@2.0.0"], [])
    chosen = versions.overrides(CATALOG, ["ocp-data-retention@1.0"], ["ocp-data-retention@2.0.0"])
    assert str(chosen[DocumentKind.RETENTION_POLICY].ref) == "ocp-data-retention@1.0.0"  # the command line wins


def test_several_versions_of_one_standard_are_compared_in_order() -> None:
    sid, refs, others = versions.versions_to_compare(
        CATALOG, ["ocp-data-governance@1.1", "ocp-api-exchange@1.0", "ocp-data-governance@1.0"]
    )
    assert (sid, refs, others) == (
        "ocp-data-governance",
        ["ocp-data-governance@1.0.0", "ocp-data-governance@1.1.0"],
        ("ocp-api-exchange@1.0.0",),
    )
    assert versions.versions_to_compare(CATALOG, ["ocp-data-governance@1.0"]) == ("", [], ())
    with pytest.raises(UsageError):
        versions.versions_to_compare(
            CATALOG,
            ["ocp-data-governance@1.0", "ocp-data-governance@1.1", "ocp-data-retention@1.0", "ocp-data-retention@2.0.0"],
        )


def test_a_document_that_declares_no_version_is_judged_by_the_default(bid: Path, edit) -> None:  # type: ignore[no-untyped-def]
    edit(bid, "retention-policy.yaml", "standard: ocp-data-retention@1.0\n", "")
    after = versions.run(before(versions.run, bid))
    policy = next(d for d in after.docs if d.rel == "retention-policy.yaml")
    default = CATALOG.newest_for_kind(DocumentKind.RETENTION_POLICY)
    assert default is not None and policy.standard is not None and policy.standard.ref == default.ref
    assert policy.reason == "no version declared: the default version"


def test_every_standard_a_document_is_judged_by_is_used(bid: Path, edit) -> None:  # type: ignore[no-untyped-def]
    # A second API description declaring another version: judged by it, not the kind's.
    (bid / "openapi-2.yaml").write_text(
        (bid / "openapi.yaml").read_text().replace("x-ocp-standard: ocp-api-exchange@1.0", "x-ocp-standard: ocp-api-exchange@2.0")
    )
    after = versions.run(before(versions.run, bid))
    refs = {d.standard.ref for d in after.docs if d.standard}
    assert "ocp-api-exchange@2.0.0" in {str(r) for r in refs}
    assert after.used == refs | {s.ref for s in after.kind_standard.values()}
