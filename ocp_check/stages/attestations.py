"""Attestations: clauses a machine cannot verify are answered by the vendor in the manifest.

An attestation clause is answered from ``attestations.<clause id>`` of the data manifest:
"yes" makes it ``attested`` (not verified, and the report says so); no answer, "no" or
anything else is a finding of the clause, made here, before waivers, so a waiver covers it
like any other. A clause some other stage already speaks for (a placeholder answer), or that
the status stage decides on other grounds (disabled, not applicable, its document missing),
is left alone.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping, Sequence

from ocp_check.i18n import _, current_language
from ocp_check.jsondata import pointer_join
from ocp_check.loader import SourceDocument
from ocp_check.model import DocumentKind, Finding, Level, Status
from ocp_check.rules import RuleOutcome
from ocp_check.stages import findings
from ocp_check.stages.context import Submission
from ocp_check.stages.statuses import missing_document, outcomes_by_clause
from ocp_check.standards import Clause, Standard
from ocp_check.translations import Texts


def run(sub: Submission) -> Submission:
    profile = sub.run.settings.profile
    manifest = sub.manifest
    made, answered = attest(
        standards=sub.in_play,
        findings=(*sub.findings, *sub.folded),
        outcomes=sub.outcomes,
        present=sub.present,
        loaded_kinds=sub.loaded_kinds,
        manifest=(manifest.rel, manifest.loaded.document) if manifest and manifest.loaded.document else None,
        disabled=profile.disabled if profile else None,
        levels=profile.levels if profile else None,
        not_applicable=sub.not_applicable,
    )
    return sub.found(made, attested=answered)


def attest(
    *,
    standards: Sequence[Standard],
    findings: Sequence[Finding],
    outcomes: Sequence[RuleOutcome],
    present: Collection[DocumentKind],
    loaded_kinds: Collection[DocumentKind],
    manifest: tuple[str, SourceDocument] | None,
    disabled: Mapping[tuple[str, str], str] | None = None,
    levels: Mapping[tuple[str, str], Level] | None = None,
    not_applicable: Mapping[tuple[str, str], str] | None = None,
) -> tuple[list[Finding], dict[tuple[str, str], tuple[Status, str]]]:
    """The findings of the attestation clauses not attested (unlocated), and the status of those
    answered without one, by (standard ref, clause id)."""
    disabled = disabled or {}
    levels = levels or {}
    not_applicable = not_applicable or {}
    with_findings = {(f.standard, f.clause) for f in findings}
    by_clause = outcomes_by_clause(outcomes)
    made: list[Finding] = []
    answered: dict[tuple[str, str], tuple[Status, str]] = {}
    for standard in sorted(standards, key=lambda s: s.ref.id):
        for original in standard.clauses:
            if original.verification != "attestation" or (standard.ref, original.id) in with_findings:
                continue
            if (standard.ref.id, original.id) in disabled or (standard.ref.id, original.id) in not_applicable:
                continue
            key = (str(standard.ref), original.id)
            if missing_document(original, by_clause.get(key, []), present, loaded_kinds) is not None:
                continue
            raised = levels.get((standard.ref.id, original.id))
            clause = dataclasses.replace(original, level=raised) if raised else original
            status, reason, finding = answer(standard, clause, manifest)
            if finding is not None:
                made.append(finding)
            elif status is not None:
                answered[key] = (status, reason)
    return made, answered


def answer(
    standard: Standard, clause: Clause, manifest: tuple[str, SourceDocument] | None
) -> tuple[Status | None, str, Finding | None]:
    """The status of an attestation clause answered without a finding, or its finding."""
    if manifest is None:
        return Status.NOT_CHECKED, _("no data manifest in the submission"), None
    rel, document = manifest
    data = document.data if isinstance(document.data, dict) else {}
    answers = data.get("attestations")
    given = answers.get(clause.id) if isinstance(answers, dict) else None
    pointer = pointer_join("/attestations", clause.id) if isinstance(answers, dict) else "/attestations"
    value = given.get("answer") if isinstance(given, dict) else None
    if value == "yes" or value is True:
        statement = given.get("statement") if isinstance(given, dict) else None
        reason = _("attested by the vendor, not verified")
        if isinstance(statement, str) and statement.strip():
            reason = _(
                "attested by the vendor, not verified: {statement}", statement=" ".join(statement.split())[:200]
            )
        return Status.ATTESTED, reason, None
    if clause.level is Level.MAY:
        return Status.NOT_APPLICABLE, _("optional; not attested"), None
    what = question(standard, clause)
    if given is None:
        message = _("no attestation for {clause}: {question}", clause=clause.id, question=what)
        pointer = pointer if isinstance(answers, dict) else ""
    elif value == "no" or value is False:
        message = _("the vendor answers 'no' to {clause}: {question}", clause=clause.id, question=what)
    else:
        message = _("the attestation for {clause} is not answered yes or no: {question}", clause=clause.id, question=what)
    return None, "", findings.attestation(standard, clause, message, rel, pointer)


def question(standard: Standard, clause: Clause) -> str:
    """What the vendor is asked about ``clause`` (its attestation question, else its title), in
    the run's language when the standard's translation gives it: the finding quotes it, and a
    French report quoting the English question would ask the vendor in the wrong language."""
    texts = Texts(standard, current_language())
    if clause.attestation:
        return texts.clause(clause.id, "attestation", clause.attestation)
    return texts.clause(clause.id, "title", clause.title)
