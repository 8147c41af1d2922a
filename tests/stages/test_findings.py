"""The engine's finding factories: one place for each finding's wording, level and fix."""

from __future__ import annotations

from ocp_check.catalog import Catalog
from ocp_check.loader import LoadError
from ocp_check.model import DocumentKind, Level, Severity, StandardRef
from ocp_check.stages import findings as make

CATALOG = Catalog([])
HUB = CATALOG.load(StandardRef("ocp-data-governance", "1.0.0"))


def test_every_finding_is_cut_to_a_bounded_message_and_gets_its_severity() -> None:
    finding = make.engine_finding("R", Level.SHOULD, "k" * 10 * make.MAX_MESSAGE, "fix", "f.yaml", "/a")
    assert len(finding.message) == make.MAX_MESSAGE and finding.message.endswith("…")
    assert finding.severity is Severity.WARNING and finding.location.pointer == "/a"


def test_a_file_that_does_not_load_gets_the_fix_of_its_error() -> None:
    syntax = make.not_loaded("f.yaml", LoadError("syntax", "bad", 3, 7))
    assert (syntax.rule, syntax.location.line, syntax.location.column) == ("load", 3, 7)
    assert syntax.fix == make.LOAD_FIXES["syntax"]
    empty = make.not_loaded("f.yaml", LoadError("empty", "the file is empty"))
    assert (empty.location.line, empty.location.column) == (1, 1)  # an empty file has only its start
    assert make.not_loaded("f.yaml", LoadError("novel", "x")).fix == make.LOAD_FIX


def test_a_missing_or_second_document_fails_the_hub_s_completeness_clause() -> None:
    clause = HUB.completeness_clause
    assert clause is not None
    missing = make.missing_document(HUB, clause, DocumentKind.OPENAPI)
    assert missing.message == "the submission has no API description (OpenAPI)"
    assert (missing.clause, missing.standard, missing.location.file) == (clause, HUB.ref, "")
    second = make.second_document(HUB, clause, DocumentKind.RETENTION_POLICY, "b.yaml", "a.yaml")
    assert second.message == "a second retention policy in the same submission (the first is a.yaml)"
    assert second.location.file == "b.yaml"


def test_an_unknown_version_names_the_version_that_judges_instead() -> None:
    finding = make.unknown_version("m.yaml", "/standard", "x@9", "is not a known standard version", HUB)
    assert finding.message.endswith(f"checked against {HUB.ref} instead")
    assert "'ocp-data-governance@1.0'" in finding.fix and finding.clause == HUB.schema_clause
    alone = make.unknown_version("m.yaml", "/standard", "x@9", "is not a known standard version", None)
    assert alone.standard is None and "ocp-check standards list" in alone.fix


def test_a_document_of_a_kind_with_only_drafts_is_told_to_name_one() -> None:
    finding = make.undeclared_draft_only("r.yaml", "", DocumentKind.COMPLIANCE_REPORT, CATALOG)
    assert finding.message.startswith("the compliance report declares no standard version")
    assert finding.fix.startswith("Declare the version it follows, e.g. 'standard: ocp-compliance-report@")
    assert finding.level is Level.MUST and finding.standard is None


def test_nothing_judged_is_an_error() -> None:
    finding = make.unjudged()
    assert finding.rule == "unjudged" and finding.severity is Severity.ERROR
