"""The engine's finding factories: one place for each finding's wording, level and fix."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from ocp_check import rules
from ocp_check.catalog import Catalog
from ocp_check.foreign import Foreign
from ocp_check.loader import LoadError
from ocp_check.model import DocumentKind, Finding, Level, Severity, StandardRef
from ocp_check.stages import findings as make
from ocp_check.standards import Standard

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


def _retired(status: str, successor: str | None) -> Standard:
    return dataclasses.replace(HUB, governance=dataclasses.replace(HUB.governance, status=status, superseded_by=successor))


def _rule_hit() -> Finding:
    rule = rules.compile_standard(HUB).rules[0]
    return make.rule_hit(rules.RuleOutcome(rule, True, "", []), rules.Hit("m.yaml", "/x", "the message"))


API = CATALOG.load(StandardRef("ocp-api-exchange", "1.0.0"))
SCHEMA = (HUB.schema_clause, HUB.ref)
NONE = (None, None)

#: Each factory: (rule, level, fix, file, pointer, (clause, standard)) of what it makes.
FACTORIES: list[tuple[Callable[[], Finding], tuple[str, Level, str, str, str, tuple[str | None, StandardRef | None]]]] = [
    (
        lambda: make.broken_reference("o.yaml", "/a", "gone", HUB),
        ("ref", Level.MUST, "Point $ref at a file inside the bid folder, with a JSON Pointer fragment.", "o.yaml", "/a/$ref", SCHEMA),
    ),
    (
        lambda: make.broken_reference("o.yaml", "/a", "gone", None),
        ("ref", Level.MUST, "Point $ref at a file inside the bid folder, with a JSON Pointer fragment.", "o.yaml", "/a/$ref", NONE),
    ),
    (
        lambda: make.circular_reference("o.yaml", "/a", "#/b", HUB),
        ("ref", Level.MUST, "Make one of the schemas in the chain a real schema instead of another $ref.", "o.yaml", "/a/$ref", SCHEMA),
    ),
    (
        lambda: make.foreign("f.json", Foreign("fides", "a Fides dataset", "Convert it.", "/dataset", None), Level.MUST),
        ("foreign", Level.MUST, "Convert it.", "f.json", "/dataset", NONE),
    ),
    (
        lambda: make.over_budget("took too long"),
        ("budget", Level.MUST, "Simplify the documents (fewer or smaller files), or raise --time-budget if this is legitimate.", "", "", NONE),
    ),
    (
        lambda: make.retired_version("m.yaml", "/standard", _retired("withdrawn", "ocp-data-governance@1.1.0")),
        ("version", Level.MUST, "Move the document to ocp-data-governance@1.1.0.", "m.yaml", "/standard", SCHEMA),
    ),
    (
        lambda: make.retired_version("m.yaml", "/standard", _retired("deprecated", None)),
        ("version", Level.SHOULD, "Move to a current version.", "m.yaml", "/standard", SCHEMA),
    ),
    (lambda: make.scan_note("link.yaml", "a link leaves the root"), ("scan", Level.SHOULD, make.SCAN_FIX, "link.yaml", "", NONE)),
    (
        lambda: make.schema_problem("m.yaml", "/a", "bad", "Fix a.", ("detail",), HUB),
        ("schema", Level.MUST, "Fix a.", "m.yaml", "/a", SCHEMA),
    ),
    (
        lambda: make.second_document(HUB, HUB.completeness_clause or "", DocumentKind.DATA_MANIFEST, "b.yaml", "a.yaml"),
        (
            "submission",
            HUB.clause_index[HUB.completeness_clause or ""].level,
            "Keep one document of each kind per bid folder; put other bids in their own folders.",
            "b.yaml",
            "",
            (HUB.completeness_clause, HUB.ref),
        ),
    ),
    (
        lambda: make.unused_waiver("W-1", "ocp-waivers.yaml", "/waivers/0"),
        ("waivers", Level.SHOULD, "Remove the waiver, or correct its rule, clause or scope.", "ocp-waivers.yaml", "/waivers/0", NONE),
    ),
    (
        lambda: make.waivers_problem("ocp-waivers.yaml", "bad", pointer="/waivers/1"),
        ("waivers", Level.MUST, make.WAIVERS_FIX, "ocp-waivers.yaml", "/waivers/1", NONE),
    ),
]


@pytest.mark.parametrize(("factory", "expected"), FACTORIES)
def test_each_factory_gives_its_finding_rule_level_fix_place_and_clause(
    factory: Callable[[], Finding], expected: tuple[str, Level, str, str, str, tuple[str | None, StandardRef | None]]
) -> None:
    finding = factory()
    rule, level, fix, file, pointer, (clause, standard) = expected
    assert (finding.rule, finding.level, finding.severity, finding.fix) == (rule, level, level.severity, fix)
    assert (finding.location.file, finding.location.pointer, finding.clause, finding.standard) == (
        file,
        pointer,
        clause,
        standard,
    )


def test_a_foreign_file_found_on_a_line_is_placed_at_its_start() -> None:
    finding = make.foreign("notes.md", Foreign("markdown", "a Markdown file", "Remove it.", "", 4), Level.SHOULD)
    assert (finding.location.line, finding.location.column) == (4, 1)


def test_a_rule_hit_is_a_finding_of_its_rule_clause_and_standard() -> None:
    finding = _rule_hit()
    rule = rules.compile_standard(HUB).rules[0]
    assert (finding.rule, finding.clause, finding.standard, finding.level) == (rule.id, rule.clause, HUB.ref, rule.level)
    assert (finding.message, finding.fix, finding.location.file, finding.location.pointer) == (
        "the message",
        rule.fix_text(),
        "m.yaml",
        "/x",
    )


def test_an_unsupported_format_names_the_versions_the_standard_covers() -> None:
    finding = make.unsupported_format("openapi.yaml", "/openapi", "OpenAPI 3.2 is not covered", API)
    assert (finding.rule, finding.clause, finding.standard) == ("schema", API.schema_clause, API.ref)
    covered = ", ".join(f"{k}.x" for k in API.schema_keys() if k)
    assert finding.fix.startswith(f"Describe the API in an OpenAPI version the standard covers ({covered}): ")
    assert finding.fix.endswith("or declare a version of the standard that covers the one you use.")
