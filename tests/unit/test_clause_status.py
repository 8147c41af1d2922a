"""Clause statuses, one rule of the matrix at a time.

The two stages that decide them (``attestations`` answers the attestation clauses, then
``statuses`` judges every clause) are called directly with a small stand-in standard, so each
test states exactly which findings and outcomes a clause has and which status (and reason) it
must get.
"""

from __future__ import annotations

import dataclasses
import datetime
from types import SimpleNamespace
from typing import Any

import pytest

from ocp_check.loader import load_bytes
from ocp_check.model import (
    DocumentKind,
    Finding,
    FindingState,
    Level,
    Location,
    Severity,
    StandardRef,
    Status,
)
from ocp_check.rules import RuleOutcome
from ocp_check.stages import attestations
from ocp_check.stages.statuses import judge
from ocp_check.standards import Clause

REF = StandardRef("ocp-data-governance", "1.1.0")
OTHER = StandardRef("ocp-api-exchange", "1.0.0")
ALL_KINDS = {DocumentKind.DATA_MANIFEST, DocumentKind.RETENTION_POLICY, DocumentKind.OPENAPI}
TODAY = datetime.date(2026, 12, 1)


def clause(
    id: str = "DG-1.1",
    *,
    level: Level = Level.MUST,
    applies_to: str = "data-manifest",
    verification: str = "automated",
    attestation: str | None = None,
    effective_from: str | None = None,
) -> Clause:
    return Clause(
        id=id,
        title=f"title of {id}",
        text="text",
        level=level,
        applies_to=applies_to,
        verification=verification,
        sources=(),
        attestation=attestation,
        effective_from=effective_from,
    )


def standard(*clauses: Clause, ref: StandardRef = REF) -> Any:
    return SimpleNamespace(ref=ref, clauses=clauses)


def finding(
    clause_id: str = "DG-1.1", state: FindingState = FindingState.ACTIVE, ref: StandardRef = REF
) -> Finding:
    return Finding(
        rule=f"{clause_id}-rule",
        clause=clause_id,
        standard=ref,
        level=Level.MUST,
        severity=Severity.ERROR,
        message="m",
        fix="f",
        location=Location("data-manifest.yaml", "/x", 1, 1),
        state=state,
    )


def outcome(
    clause_id: str, applicable: bool, reason: str = "", requires: tuple[DocumentKind, ...] = ()
) -> RuleOutcome:
    rule: Any = SimpleNamespace(standard=REF, clause=clause_id, requires=frozenset(requires))
    return RuleOutcome(rule=rule, applicable=applicable, reason=reason, hits=[])


def locate(rel: str, pointer: str) -> tuple[Location, tuple[tuple[int, str], ...]]:
    return Location(rel, pointer, 7, 3), ((7, "snippet"),)


def manifest(text: str) -> tuple[str, Any]:
    return "data-manifest.yaml", load_bytes(text.encode(), "data-manifest.yaml")


def run(
    standards: list[Any],
    findings: list[Finding] = (),  # type: ignore[assignment]
    *,
    outcomes: list[RuleOutcome] = (),  # type: ignore[assignment]
    present: set[DocumentKind] = ALL_KINDS,
    loaded: set[DocumentKind] | None = None,
    doc: tuple[str, Any] | None = None,
    today: datetime.date = TODAY,
    **kwargs: Any,
) -> tuple[list[Any], list[Finding]]:
    loaded_kinds = loaded if loaded is not None else present
    settings = {k: kwargs[k] for k in ("disabled", "levels", "not_applicable") if k in kwargs}
    made, attested = attestations.attest(
        standards=standards,
        findings=list(findings),
        outcomes=outcomes,
        present=present,
        loaded_kinds=loaded_kinds,
        manifest=doc,
        **settings,
    )
    # Findings are located when a submission admits them (stages/context.py); here, by ``locate``.
    located = [dataclasses.replace(f, location=loc, snippet=snippet) for f in made for loc, snippet in [locate(f.location.file, f.location.pointer)]]
    results, out, _ = judge(
        standards=standards,
        findings=[*findings, *located],
        outcomes=outcomes,
        present=present,
        loaded_kinds=loaded_kinds,
        attested=attested,
        today=today,
        **kwargs,
    )
    return list(results), out


def status_of(results: list[Any], clause_id: str = "DG-1.1") -> tuple[Status, str, int]:
    (r,) = [r for r in results if r.clause == clause_id]
    return r.status, r.reason, r.findings


# --- pass, fail, waived ----------------------------------------------------------------------


def test_a_clause_without_findings_passes_and_one_with_an_active_finding_fails() -> None:
    results, _ = run([standard(clause("DG-1.1"), clause("DG-1.2"))], [finding("DG-1.2"), finding("DG-1.2")])
    assert status_of(results, "DG-1.1") == (Status.PASS, "", 0)
    assert status_of(results, "DG-1.2") == (Status.FAIL, "", 2)


def test_waived_only_when_every_finding_is_waived() -> None:
    all_waived = [finding(state=FindingState.WAIVED), finding(state=FindingState.WAIVED)]
    assert status_of(run([standard(clause())], all_waived)[0]) == (Status.WAIVED, "all findings waived", 2)
    mixed = [finding(state=FindingState.WAIVED), finding()]
    assert status_of(run([standard(clause())], mixed)[0]) == (Status.FAIL, "", 2)


def test_findings_of_another_standard_do_not_touch_the_clause() -> None:
    results, _ = run([standard(clause())], [finding(ref=OTHER)])
    assert status_of(results) == (Status.PASS, "", 0)


def test_results_follow_the_standards_by_id_and_clauses_in_order() -> None:
    results, _ = run(
        [standard(clause("DG-1.2"), clause("DG-1.1")), standard(clause("DX-1.1"), ref=OTHER)],
    )
    assert [(str(r.standard), r.clause) for r in results] == [
        ("ocp-api-exchange@1.0.0", "DX-1.1"),
        ("ocp-data-governance@1.1.0", "DG-1.2"),
        ("ocp-data-governance@1.1.0", "DG-1.1"),
    ]
    assert results[1].title == "title of DG-1.2" and results[1].level is Level.MUST


# --- not applicable --------------------------------------------------------------------------


def test_rules_that_found_nothing_to_check_make_the_clause_not_applicable() -> None:
    outcomes = [
        outcome("DG-1.1", False, "no camera"),
        outcome("DG-1.1", False, "no audio"),
        outcome("DG-1.1", False),
    ]
    assert status_of(run([standard(clause())], outcomes=outcomes)[0]) == (
        Status.NOT_APPLICABLE,
        "no audio; no camera",
        0,
    )
    silent = [outcome("DG-1.1", False)]
    assert status_of(run([standard(clause())], outcomes=silent)[0]) == (
        Status.NOT_APPLICABLE,
        "nothing to check",
        0,
    )
    one_applies = [outcome("DG-1.1", False, "no camera"), outcome("DG-1.1", True)]
    assert status_of(run([standard(clause())], outcomes=one_applies)[0]) == (Status.PASS, "", 0)


def test_not_applicable_never_hides_a_clause_with_findings() -> None:
    na = {(REF.id, "DG-1.1"): "judged alone (--each)"}
    results, _ = run([standard(clause())], [finding()], not_applicable=na)
    assert status_of(results) == (Status.FAIL, "", 1)
    results, _ = run([standard(clause())], not_applicable=na)
    assert status_of(results) == (Status.NOT_APPLICABLE, "judged alone (--each)", 0)
    outcomes = [outcome("DG-1.1", False, "no camera")]
    results, _ = run([standard(clause())], [finding()], outcomes=outcomes)
    assert status_of(results) == (Status.FAIL, "", 1)


# --- documents -------------------------------------------------------------------------------


def test_a_clause_whose_document_is_absent_is_not_checked() -> None:
    c = clause(applies_to="openapi")
    present = {DocumentKind.DATA_MANIFEST}
    assert status_of(run([standard(c)], present=present)[0]) == (
        Status.NOT_CHECKED,
        "no API description in the submission",
        0,
    )
    loaded = {DocumentKind.DATA_MANIFEST, DocumentKind.OPENAPI}
    assert status_of(run([standard(c)], present=present, loaded=loaded)[0]) == (
        Status.NOT_CHECKED,
        "the API description could not be loaded or is in an unsupported version",
        0,
    )
    # A finding of the clause (on another file) still fails it.
    assert status_of(run([standard(c)], [finding()], present=present)[0]) == (Status.FAIL, "", 1)


def test_documents_a_rule_requires_count_too() -> None:
    c = clause(applies_to="submission")
    outcomes = [outcome("DG-1.1", True, requires=(DocumentKind.RETENTION_POLICY,))]
    present = {DocumentKind.DATA_MANIFEST, DocumentKind.OPENAPI}
    assert status_of(run([standard(c)], outcomes=outcomes, present=present)[0]) == (
        Status.NOT_CHECKED,
        "no retention policy in the submission",
        0,
    )
    assert status_of(run([standard(c)], outcomes=outcomes)[0]) == (Status.PASS, "", 0)
    assert status_of(run([standard(c)], present=present)[0]) == (Status.PASS, "", 0)


# --- disabled, levels, effective dates -------------------------------------------------------


def test_a_disabled_clause_keeps_its_findings_marked_disabled() -> None:
    disabled = {(REF.id, "DG-1.1"): "the city has no such register"}
    results, out = run(
        [standard(clause(), clause("DG-1.2"))], [finding(), finding("DG-1.2")], disabled=disabled
    )
    assert status_of(results) == (Status.DISABLED, "the city has no such register", 0)
    assert [f.state for f in out] == [FindingState.DISABLED, FindingState.ACTIVE]
    assert status_of(results, "DG-1.2") == (Status.FAIL, "", 1)


def test_a_raised_level_is_shown() -> None:
    c = clause(level=Level.SHOULD)
    results, _ = run([standard(c)], levels={(REF.id, "DG-1.1"): Level.MUST})
    assert results[0].level is Level.MUST
    results, _ = run([standard(c)], levels={(OTHER.id, "DG-1.1"): Level.MUST})
    assert results[0].level is Level.SHOULD


def test_a_clause_not_yet_in_force_keeps_its_findings_and_says_from_when() -> None:
    c = clause(effective_from="2026-12-02")
    results, out = run([standard(c)], [finding(), finding()])
    assert status_of(results) == (Status.NOT_IN_FORCE, "fails from 2026-12-02 (2 findings)", 2)
    assert [(f.state, f.effective_from) for f in out] == [(FindingState.NOT_IN_FORCE, "2026-12-02")] * 2
    results, _ = run([standard(c)], [finding()])
    assert status_of(results) == (Status.NOT_IN_FORCE, "fails from 2026-12-02 (1 finding)", 1)
    results, _ = run([standard(c)])
    assert status_of(results) == (Status.NOT_IN_FORCE, "in force from 2026-12-02", 0)


def test_a_clause_is_in_force_on_its_effective_date() -> None:
    c = clause(effective_from="2026-12-01")
    results, out = run([standard(c)], [finding()])
    assert status_of(results) == (Status.FAIL, "", 1)
    assert out[0].state is FindingState.ACTIVE


# --- attestations ----------------------------------------------------------------------------

ATTESTED = clause(
    "DG-5.1", verification="attestation", attestation="Staff are trained.", applies_to="submission"
)


def attest(answer_yaml: str, c: Clause = ATTESTED) -> tuple[tuple[Status, str, int], list[Finding]]:
    doc = manifest(f"kind: data-manifest\nattestations:\n  {c.id}:\n{answer_yaml}")
    results, out = run([standard(c)], doc=doc)
    return status_of(results, c.id), out


@pytest.mark.parametrize(
    "answer",
    [
        "    answer: yes\n",  # YAML 1.2: the string "yes"
        "    answer: true\n",  # a YAML boolean
        "    answer: 'yes'\n",
    ],
)
def test_a_yes_answer_is_attested(answer: str) -> None:
    assert attest(answer) == ((Status.ATTESTED, "attested by the vendor, not verified", 0), [])


def test_the_statement_is_shown_on_one_line_and_cut() -> None:
    (status, reason, _), _ = attest("    answer: yes\n    statement: |\n      Trained\n        yearly.\n")
    assert (status, reason) == (Status.ATTESTED, "attested by the vendor, not verified: Trained yearly.")
    (_, reason, _), _ = attest(f"    answer: yes\n    statement: {'x' * 300}\n")
    assert reason == "attested by the vendor, not verified: " + "x" * 200
    (_, reason, _), _ = attest("    answer: yes\n    statement: '  '\n")
    assert reason == "attested by the vendor, not verified"


@pytest.mark.parametrize("answer", ["    answer: no\n", "    answer: false\n", "    answer: 'no'\n"])
def test_a_no_answer_fails_the_clause(answer: str) -> None:
    (status, _, count), out = attest(answer)
    assert (status, count) == (Status.FAIL, 1)
    (f,) = out
    assert f.message == "the vendor answers 'no' to DG-5.1: Staff are trained."
    assert (f.rule, f.clause, f.standard, f.level, f.severity) == (
        "attestation",
        "DG-5.1",
        REF,
        Level.MUST,
        Severity.ERROR,
    )
    assert (f.location.file, f.location.pointer, f.location.line, f.snippet) == (
        "data-manifest.yaml",
        "/attestations/DG-5.1",
        7,
        ((7, "snippet"),),
    )
    assert f.fix.startswith("Answer attestations.DG-5.1 with answer: yes")


@pytest.mark.parametrize(
    "answer",
    ["    answer: 'true'\n", "    answer: 1\n", "    answer: 0\n", "    answer: Yes\n", "    statement: x\n"],
)
def test_anything_else_is_not_an_answer(answer: str) -> None:
    (status, _, count), out = attest(answer)
    assert (status, count) == (Status.FAIL, 1)
    assert out[0].message == "the attestation for DG-5.1 is not answered yes or no: Staff are trained."


def test_a_missing_attestation_fails_and_points_where_it_belongs() -> None:
    doc = manifest("kind: data-manifest\nattestations:\n  DG-9.9: {answer: yes}\n")
    results, out = run([standard(ATTESTED)], doc=doc)
    assert status_of(results, "DG-5.1") == (Status.FAIL, "", 1)
    assert out[0].message == "no attestation for DG-5.1: Staff are trained."
    assert out[0].location.pointer == "/attestations/DG-5.1"
    doc = manifest("kind: data-manifest\n")
    _, out = run([standard(ATTESTED)], doc=doc)
    assert out[0].location.pointer == ""
    untitled = clause("DG-5.2", verification="attestation", applies_to="submission")
    _, out = run([standard(untitled)], doc=doc)
    assert out[0].message == "no attestation for DG-5.2: title of DG-5.2"


def test_an_optional_attestation_left_unanswered_is_not_applicable() -> None:
    c = clause("DG-5.3", level=Level.MAY, verification="attestation", applies_to="submission")
    results, out = run([standard(c)], doc=manifest("kind: data-manifest\n"))
    assert status_of(results, "DG-5.3") == (Status.NOT_APPLICABLE, "optional; not attested", 0)
    assert out == []


def test_an_attestation_without_a_manifest_is_not_checked() -> None:
    results, _ = run([standard(ATTESTED)], present={DocumentKind.OPENAPI})
    assert status_of(results, "DG-5.1") == (Status.NOT_CHECKED, "no data manifest in the submission", 0)
    results, _ = run([standard(ATTESTED)])
    assert status_of(results, "DG-5.1") == (Status.NOT_CHECKED, "no data manifest in the submission", 0)


def test_an_attestation_clause_with_findings_is_judged_by_them() -> None:
    doc = manifest("kind: data-manifest\nattestations:\n  DG-5.1: {answer: yes}\n")
    results, _ = run([standard(ATTESTED)], [finding("DG-5.1")], doc=doc)
    assert status_of(results, "DG-5.1") == (Status.FAIL, "", 1)


def test_a_disabled_attestation_clause_adds_no_finding() -> None:
    disabled = {(REF.id, "DG-5.1"): "not in this city"}
    results, out = run([standard(ATTESTED)], doc=manifest("kind: data-manifest\n"), disabled=disabled)
    assert status_of(results, "DG-5.1") == (Status.DISABLED, "not in this city", 0)
    assert out == []


def test_an_unanswered_attestation_not_yet_in_force_does_not_count() -> None:
    c = clause("DG-5.4", verification="attestation", applies_to="submission", effective_from="2027-07-01")
    results, out = run([standard(c)], doc=manifest("kind: data-manifest\n"))
    assert status_of(results, "DG-5.4") == (Status.NOT_IN_FORCE, "fails from 2027-07-01 (1 finding)", 1)
    assert out[0].state is FindingState.NOT_IN_FORCE
