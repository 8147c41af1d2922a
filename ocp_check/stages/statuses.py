"""Clause statuses: from findings and rule outcomes to one status per clause.

Every clause of every standard in play gets exactly one status (docs/decisions.md, "Every
clause gets a status"), so no clause is silently skipped: a clause whose document is absent
is ``not-checked`` (``not-applicable`` when that document is optional, as a compliance
report in a bid is), a clause not yet in force is ``not-in-force`` (its findings are kept,
marked so, and do not count), a disabled clause says why, an attestation clause answered
"yes" is ``attested``. A submission in which no clause could be judged gets an error of its
own (``unjudged``): nothing judged is never conformant.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Collection, Mapping, Sequence

from ocp_check.i18n import _, current_language, ngettext
from ocp_check.model import ClauseResult, DocumentKind, Finding, FindingState, Level, Severity, Status
from ocp_check.rules import RuleOutcome
from ocp_check.stages import findings as make
from ocp_check.stages.context import Submission
from ocp_check.standards import Clause, Standard
from ocp_check.translations import Texts

#: Clause statuses that mean a clause was judged on a document (not-applicable, not-checked,
#: not-in-force and disabled say it was not).
JUDGED = frozenset({Status.PASS, Status.FAIL, Status.WAIVED, Status.ATTESTED})


def run(sub: Submission) -> Submission:
    profile = sub.run.settings.profile
    findings = [*sub.findings, *sub.folded]
    results, judged, consulted = judge(
        standards=sub.in_play,
        findings=findings,
        outcomes=sub.outcomes,
        present=sub.present,
        loaded_kinds=sub.loaded_kinds,
        attested=sub.attested,
        today=sub.run.today,
        disabled=disabled_reasons(profile.id, profile.disabled) if profile else None,
        levels=profile.levels if profile else None,
        not_applicable=sub.not_applicable,
        optional=sub.optional,
    )
    shown, folded = judged[: len(sub.findings)], judged[len(sub.findings) :]
    net = unjudged(results, shown, folded)
    if net is not None:
        shown.append(sub.located(net))  # always shown: the caps do not hide the verdict's reason
    return sub.with_states(shown, folded, clauses=results, consulted_today=sub.consulted_today or consulted)


def disabled_reasons(profile: str, disabled: Mapping[tuple[str, str], str]) -> dict[tuple[str, str], str]:
    """Why each clause the profile disables is disabled, in the run's language: the profile
    gives its own reason (the city's words, quoted as written); the sentence around it is the
    tool's, worded while judging so that each language of a bilingual report has its own."""
    return {key: _("disabled by profile {id}: {reason}", id=profile, reason=reason) for key, reason in disabled.items()}


def judge(
    *,
    standards: Sequence[Standard],
    findings: Sequence[Finding],
    outcomes: Sequence[RuleOutcome],
    present: Collection[DocumentKind],
    loaded_kinds: Collection[DocumentKind],
    attested: Mapping[tuple[str, str], tuple[Status, str]],
    today: datetime.date,
    disabled: Mapping[tuple[str, str], str] | None = None,
    levels: Mapping[tuple[str, str], Level] | None = None,
    not_applicable: Mapping[tuple[str, str], str] | None = None,
    optional: Collection[DocumentKind] = frozenset(),
) -> tuple[tuple[ClauseResult, ...], list[Finding], bool]:
    """The status of every clause of ``standards``, the findings with their states (disabled,
    not in force) in the same order, and whether today's date was consulted.

    ``disabled`` and ``levels`` come from a profile: a disabled clause reports ``disabled``
    with its reason (its findings no longer count); a raised level is shown in the matrix.
    ``not_applicable`` names clauses the run's mode rules out (the completeness clause under
    ``--each``). ``optional`` are the document kinds the submission need not hold: a clause
    that needs one that is absent is ``not-applicable``, not ``not-checked`` (nothing is
    missing). ``attested`` holds the attestation clauses answered without a finding
    (``attestations.attest``); the others have their findings among ``findings``.
    """
    disabled = disabled or {}
    levels = levels or {}
    not_applicable = not_applicable or {}
    findings = list(findings)
    by_rule_clause = outcomes_by_clause(outcomes)
    by_clause: dict[tuple[object, str | None], list[int]] = {}
    for i, f in enumerate(findings):
        by_clause.setdefault((f.standard, f.clause), []).append(i)
    consulted = False
    day = today.isoformat()
    results: list[ClauseResult] = []
    for standard in sorted(standards, key=lambda s: s.ref.id):
        for original in standard.clauses:
            raised = levels.get((standard.ref.id, original.id))
            clause = dataclasses.replace(original, level=raised) if raised else original
            key = (str(standard.ref), clause.id)
            mine = by_clause.get((standard.ref, clause.id), [])
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
            missing = missing_document(clause, by_rule_clause.get(key, []), present, loaded_kinds, optional)
            if missing is not None and not mine:
                absent = Status.NOT_APPLICABLE if missing[0] else Status.NOT_CHECKED
                results.append(_result(standard, clause, absent, missing[1], 0))
                continue
            answer = attested.get(key) if clause.verification == "attestation" and not mine else None
            if answer is not None:
                results.append(_result(standard, clause, answer[0], answer[1], 0))
                continue
            if clause.effective_from:
                consulted = True
                if clause.effective_from > day:
                    for i in mine:
                        findings[i] = dataclasses.replace(
                            findings[i], state=FindingState.NOT_IN_FORCE, effective_from=clause.effective_from
                        )
                    reason = _("in force from {date}", date=clause.effective_from)
                    if mine:
                        reason = ngettext(
                            "fails from {date} ({count} finding)",
                            "fails from {date} ({count} findings)",
                            len(mine),
                            date=clause.effective_from,
                        )
                    results.append(_result(standard, clause, Status.NOT_IN_FORCE, reason, len(mine)))
                    continue
            results.append(_judged(standard, clause, [findings[i] for i in mine], by_rule_clause.get(key, [])))
    return tuple(results), findings, consulted


def _judged(standard: Standard, clause: Clause, mine: list[Finding], outcomes: list[RuleOutcome]) -> ClauseResult:
    """The status of a clause in force, from its findings and its rules' outcomes."""
    if any(f.state is FindingState.ACTIVE for f in mine):
        return _result(standard, clause, Status.FAIL, "", len(mine))
    if any(f.state is FindingState.WAIVED for f in mine):
        return _result(standard, clause, Status.WAIVED, _("all findings waived"), len(mine))
    if outcomes and not any(o.applicable for o in outcomes):
        reasons = sorted({o.reason for o in outcomes if o.reason})
        return _result(standard, clause, Status.NOT_APPLICABLE, "; ".join(reasons) or _("nothing to check"), 0)
    return _result(standard, clause, Status.PASS, "", 0)


def unjudged(clauses: Sequence[ClauseResult], findings: Sequence[Finding], folded: Sequence[Finding] = ()) -> Finding | None:
    """A submission in which no clause could be judged is never conformant: with no other
    error to say so (the files are already errors in every case the tool knows of), it gets
    one, so that a submission of nothing judgeable can never read "conformant"."""
    if any(c.status in JUDGED for c in clauses):
        return None
    if any(f.active and f.severity is Severity.ERROR for f in (*findings, *folded)):
        return None
    return make.unjudged()


def outcomes_by_clause(outcomes: Sequence[RuleOutcome]) -> dict[tuple[str, str], list[RuleOutcome]]:
    """Rule outcomes by (standard ref, clause id)."""
    by_rule_clause: dict[tuple[str, str], list[RuleOutcome]] = {}
    for outcome in outcomes:
        by_rule_clause.setdefault((str(outcome.rule.standard), outcome.rule.clause), []).append(outcome)
    return by_rule_clause


def missing_document(
    clause: Clause,
    outcomes: Sequence[RuleOutcome],
    present: Collection[DocumentKind],
    loaded_kinds: Collection[DocumentKind],
    optional: Collection[DocumentKind] = frozenset(),
) -> tuple[bool, str] | None:
    """Why a clause cannot be checked: the first document it needs that is absent (or did not
    load), as (whether it is an optional kind, so the clause does not apply, the reason); None
    when none is missing."""
    needed: set[str] = set()
    if clause.applies_to != "submission":
        needed.add(clause.applies_to)
    if clause.verification == "attestation":
        needed.add("data-manifest")
    for outcome in outcomes:
        needed.update(k.value for k in outcome.rule.requires)
    for kind in sorted(needed):
        if DocumentKind(kind) not in present:
            if DocumentKind(kind) in loaded_kinds:
                return False, _unloaded(DocumentKind(kind))
            if DocumentKind(kind) in optional:
                return True, _absent_optional(DocumentKind(kind))
            return False, _absent(DocumentKind(kind))
    return None


def _absent(kind: DocumentKind) -> str:
    """``no data manifest in the submission``: whole sentences, as French agrees with the kind."""
    return {
        DocumentKind.DATA_MANIFEST: _("no data manifest in the submission"),
        DocumentKind.RETENTION_POLICY: _("no retention policy in the submission"),
        DocumentKind.OPENAPI: _("no API description in the submission"),
        DocumentKind.COMPLIANCE_REPORT: _("no compliance report in the submission"),
    }.get(kind, f"no {kind.label} in the submission")


def _absent_optional(kind: DocumentKind) -> str:
    return {
        DocumentKind.DATA_MANIFEST: _("no data manifest in this submission (an optional document)"),
        DocumentKind.RETENTION_POLICY: _("no retention policy in this submission (an optional document)"),
        DocumentKind.OPENAPI: _("no API description in this submission (an optional document)"),
        DocumentKind.COMPLIANCE_REPORT: _("no compliance report in this submission (an optional document)"),
    }.get(kind, f"no {kind.label} in this submission (an optional document)")


def _unloaded(kind: DocumentKind) -> str:
    return {
        DocumentKind.DATA_MANIFEST: _("the data manifest could not be loaded or is in an unsupported version"),
        DocumentKind.RETENTION_POLICY: _(
            "the retention policy could not be loaded or is in an unsupported version"
        ),
        DocumentKind.OPENAPI: _("the API description could not be loaded or is in an unsupported version"),
        DocumentKind.COMPLIANCE_REPORT: _(
            "the compliance report could not be loaded or is in an unsupported version"
        ),
    }.get(kind, f"the {kind.label} could not be loaded or is in an unsupported version")


def _result(standard: Standard, clause: Clause, status: Status, reason: str, count: int) -> ClauseResult:
    return ClauseResult(
        standard=standard.ref,
        clause=clause.id,
        title=Texts(standard, current_language()).clause(clause.id, "title", clause.title),
        level=clause.level,
        status=status,
        reason=reason,
        findings=count,
    )
