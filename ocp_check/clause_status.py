"""Clause statuses: from findings and rule outcomes to the clause-by-clause matrix.

Every clause of every standard in play gets exactly one status (CONVENTIONS.md), so no
clause is silently skipped: a clause whose document is absent is ``not-checked``, or
``not-applicable`` when that document is optional (a compliance report in a bid), a clause
not yet in force is ``not-in-force`` (its findings are kept, marked so, and do not count),
an attestation clause is answered from the manifest's ``attestations`` map.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from ocp_check.engine_types import Clock
from ocp_check.loader import SourceDocument, pointer_join
from ocp_check.model import (
    ClauseResult,
    DocumentKind,
    Finding,
    FindingState,
    Level,
    Location,
    Status,
)
from ocp_check.rules import RuleOutcome
from ocp_check.standards import Clause, Standard

LocateFn = Callable[[str, str], tuple[Location, tuple[tuple[int, str], ...]]]

_KIND_NAMES = {
    "data-manifest": "data manifest",
    "retention-policy": "retention policy",
    "openapi": "API description",
    "compliance-report": "compliance report",
}


def attestations(
    *,
    standards: Sequence[Standard],
    findings: Sequence[Finding],
    outcomes: Sequence[RuleOutcome],
    present: set[DocumentKind],
    loaded_kinds: set[DocumentKind],
    manifest: tuple[str, SourceDocument] | None,
    locate: LocateFn,
    disabled: dict[tuple[str, str], str] | None = None,
    levels: dict[tuple[str, str], Level] | None = None,
    not_applicable: dict[tuple[str, str], str] | None = None,
) -> tuple[list[Finding], dict[tuple[str, str], tuple[Status, str]]]:
    """Answer every attestation clause no finding already speaks for, from the manifest.

    Returns the findings of the clauses not attested (made before waivers, so a waiver can
    cover them like any other finding) and, by ``(standard ref, clause id)``, the status of
    those answered without a finding (attested, optional, no manifest). A clause the status
    stage decides on other grounds (disabled, not applicable, its document missing) is left
    alone, as is one with findings of its own (a placeholder answer).
    """
    disabled = disabled or {}
    levels = levels or {}
    not_applicable = not_applicable or {}
    with_findings = {(f.standard, f.clause) for f in findings}
    by_rule_clause = _outcomes_by_clause(outcomes)
    made: list[Finding] = []
    answered: dict[tuple[str, str], tuple[Status, str]] = {}
    for standard in sorted(standards, key=lambda s: s.ref.id):
        for original in standard.clauses:
            if original.verification != "attestation" or (standard.ref, original.id) in with_findings:
                continue
            if (standard.ref.id, original.id) in disabled or (standard.ref.id, original.id) in not_applicable:
                continue
            key = (str(standard.ref), original.id)
            if _missing_document(original, by_rule_clause.get(key, []), present, loaded_kinds) is not None:
                continue
            raised = levels.get((standard.ref.id, original.id))
            clause = dataclasses.replace(original, level=raised) if raised else original
            status, reason, new = _attestation(standard, clause, manifest, locate)
            if new is not None:
                made.append(new)
            elif status is not None:
                answered[key] = (status, reason)
    return made, answered


def _outcomes_by_clause(outcomes: Sequence[RuleOutcome]) -> dict[tuple[str, str], list[RuleOutcome]]:
    by_rule_clause: dict[tuple[str, str], list[RuleOutcome]] = {}
    for outcome in outcomes:
        key = (str(outcome.rule.standard), outcome.rule.clause)
        by_rule_clause.setdefault(key, []).append(outcome)
    return by_rule_clause


def evaluate(
    *,
    standards: Sequence[Standard],
    findings: list[Finding],
    outcomes: Sequence[RuleOutcome],
    present: set[DocumentKind],
    loaded_kinds: set[DocumentKind],
    attested: dict[tuple[str, str], tuple[Status, str]],
    clock: Clock,
    disabled: dict[tuple[str, str], str] | None = None,
    levels: dict[tuple[str, str], Level] | None = None,
    not_applicable: dict[tuple[str, str], str] | None = None,
    optional: frozenset[DocumentKind] = frozenset(),
) -> tuple[tuple[ClauseResult, ...], list[Finding]]:
    """Return the clause results and the findings (with in-force and disabled changes).

    ``disabled`` and ``levels`` come from a profile: a disabled clause reports ``disabled``
    with its reason (its findings no longer count); a raised level is shown in the matrix.
    ``not_applicable`` names clauses the run's mode rules out (the completeness clause under
    ``--each``), with the reason shown. ``optional`` are the document kinds the submission
    need not hold: a clause that needs one that is absent is ``not-applicable``, not
    ``not-checked`` (nothing is missing). ``attested`` holds the attestation clauses answered
    without a finding (``attestations``); the others have their findings among ``findings``.
    """
    disabled = disabled or {}
    levels = levels or {}
    not_applicable = not_applicable or {}
    results: list[ClauseResult] = []
    findings = list(findings)
    by_rule_clause = _outcomes_by_clause(outcomes)

    by_clause: dict[tuple[object, str | None], list[int]] = {}
    for i, f in enumerate(findings):
        by_clause.setdefault((f.standard, f.clause), []).append(i)

    for standard in sorted(standards, key=lambda s: s.ref.id):
        for original in standard.clauses:
            raised = levels.get((standard.ref.id, original.id))
            clause = dataclasses.replace(original, level=raised) if raised else original
            key = (str(standard.ref), clause.id)
            mine = list(by_clause.get((standard.ref, clause.id), ()))
            reason_disabled = disabled.get((standard.ref.id, clause.id))
            if reason_disabled is not None:
                results.append(_result(standard, clause, Status.DISABLED, reason_disabled, 0))
                for i in mine:
                    findings[i] = dataclasses.replace(findings[i], state=FindingState.DISABLED)
                continue

            reason_na = not_applicable.get((standard.ref.id, clause.id))
            if reason_na is not None and not mine:
                results.append(_result(standard, clause, Status.NOT_APPLICABLE, reason_na, 0))
                continue

            missing = _missing_document(clause, by_rule_clause.get(key, []), present, loaded_kinds, optional)
            if missing is not None and not mine:
                absent = Status.NOT_APPLICABLE if missing[0] else Status.NOT_CHECKED
                results.append(_result(standard, clause, absent, missing[1], 0))
                continue

            answer = attested.get(key) if clause.verification == "attestation" and not mine else None
            if answer is not None:
                results.append(_result(standard, clause, answer[0], answer[1], 0))
                continue

            if clause.effective_from and clause.effective_from > clock.today().isoformat():
                for i in mine:
                    findings[i] = dataclasses.replace(
                        findings[i],
                        state=FindingState.NOT_IN_FORCE,
                        effective_from=clause.effective_from,
                    )
                reason = f"in force from {clause.effective_from}"
                if mine:
                    reason = f"fails from {clause.effective_from} ({len(mine)} finding{'s' if len(mine) != 1 else ''})"
                results.append(_result(standard, clause, Status.NOT_IN_FORCE, reason, len(mine)))
                continue

            active = [i for i in mine if findings[i].state is FindingState.ACTIVE]
            waived = [i for i in mine if findings[i].state is FindingState.WAIVED]
            if active:
                results.append(_result(standard, clause, Status.FAIL, "", len(mine)))
            elif waived:
                results.append(_result(standard, clause, Status.WAIVED, "all findings waived", len(mine)))
            else:
                rule_outcomes = by_rule_clause.get(key, [])
                if rule_outcomes and not any(o.applicable for o in rule_outcomes):
                    reasons = sorted({o.reason for o in rule_outcomes if o.reason})
                    results.append(
                        _result(
                            standard,
                            clause,
                            Status.NOT_APPLICABLE,
                            "; ".join(reasons) or "nothing to check",
                            0,
                        )
                    )
                else:
                    results.append(_result(standard, clause, Status.PASS, "", 0))
    return tuple(results), findings


def _result(standard: Standard, clause: Clause, status: Status, reason: str, count: int) -> ClauseResult:
    return ClauseResult(
        standard=standard.ref,
        clause=clause.id,
        title=clause.title,
        level=clause.level,
        status=status,
        reason=reason,
        findings=count,
    )


def _missing_document(
    clause: Clause,
    outcomes: Sequence[RuleOutcome],
    present: set[DocumentKind],
    loaded_kinds: set[DocumentKind],
    optional: frozenset[DocumentKind] = frozenset(),
) -> tuple[bool, str] | None:
    """The first document the clause needs that the submission lacks: (whether it is an
    optional kind, so the clause does not apply, the reason), or None when none is missing."""
    needed: set[str] = set()
    if clause.applies_to != "submission":
        needed.add(clause.applies_to)
    if clause.verification == "attestation":
        needed.add("data-manifest")
    for outcome in outcomes:
        needed.update(k.value for k in outcome.rule.requires)
    for kind in sorted(needed):
        if DocumentKind(kind) not in present:
            what = _KIND_NAMES[kind]
            if DocumentKind(kind) in loaded_kinds:
                return False, f"the {what} could not be loaded or is in an unsupported version"
            if DocumentKind(kind) in optional:
                return True, f"no {what} in this submission (an optional document)"
            return False, f"no {what} in the submission"
    return None


def _attestation(
    standard: Standard,
    clause: Clause,
    manifest: tuple[str, SourceDocument] | None,
    locate: LocateFn,
) -> tuple[Status | None, str, Finding | None]:
    """Answer an attestation clause from ``attestations.<clause id>`` in the manifest."""
    if manifest is None:
        return Status.NOT_CHECKED, "no data manifest in the submission", None
    rel, doc = manifest
    data = doc.data if isinstance(doc.data, dict) else {}
    answers = data.get("attestations")
    answer = answers.get(clause.id) if isinstance(answers, dict) else None
    pointer = pointer_join("/attestations", clause.id) if isinstance(answers, dict) else "/attestations"
    value = answer.get("answer") if isinstance(answer, dict) else None
    if value == "yes" or value is True:
        statement = answer.get("statement") if isinstance(answer, dict) else None
        reason = "attested by the vendor, not verified"
        if isinstance(statement, str) and statement.strip():
            reason += f": {' '.join(statement.split())[:200]}"
        return Status.ATTESTED, reason, None
    if answer is None:
        message = f"no attestation for {clause.id}: {clause.attestation or clause.title}"
        pointer_here = pointer if isinstance(answers, dict) else ""
    elif value == "no" or value is False:
        message = f"the vendor answers 'no' to {clause.id}: {clause.attestation or clause.title}"
        pointer_here = pointer
    else:
        message = (
            f"the attestation for {clause.id} is not answered yes or no: {clause.attestation or clause.title}"
        )
        pointer_here = pointer
    location, snippet = locate(rel, pointer_here)
    finding = Finding(
        rule="attestation",
        clause=clause.id,
        standard=standard.ref,
        level=clause.level,
        severity=clause.level.severity,
        message=message,
        fix=f"Answer attestations.{clause.id} with answer: yes, a statement and evidence_url, "
        "once the requirement is met.",
        location=location,
        snippet=snippet,
    )
    if clause.level in (Level.MAY,):
        return Status.NOT_APPLICABLE, "optional; not attested", None
    return None, "", finding
