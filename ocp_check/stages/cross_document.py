"""Cross-document rules: each standard in play against the submission as a whole.

These rules read several documents at once (every category of the manifest has a retention
period in the policy…). They run under a progress label of their own: when they overrun the
time budget the submission is re-run without them and says so (a ``budget`` finding).
"""

from __future__ import annotations

from ocp_check import rules
from ocp_check.model import Finding
from ocp_check.stages import findings
from ocp_check.stages.context import CROSS_DOCUMENT, Submission
from ocp_check.stages.document_rules import compiled_rules, context, hits


def run(sub: Submission) -> Submission:
    sub.progress(CROSS_DOCUMENT)
    skipped = sub.task.skipped.get(CROSS_DOCUMENT)
    if skipped is not None:
        return sub.found([findings.over_budget(skipped)])
    outcomes: list[rules.RuleOutcome] = []
    for standard in {s.ref: s for s in sub.kind_standard.values()}.values():
        ctx = context(sub, "", standard)
        for compiled in compiled_rules(sub, standard):
            outcomes.extend(rules.evaluate_submission(compiled, ctx))
    found: list[Finding] = hits(outcomes)
    return sub.found(found, outcomes=(*sub.outcomes, *outcomes))
