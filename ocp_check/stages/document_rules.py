"""Rules: each judged document against the rule packs of its standard (and the profile's).

Progress is reported before each document, so a rule that overruns the time budget is
reported on the document it judges. A rule's hits become findings; its outcome (applicable or
not, and why) is kept for the clause statuses.
"""

from __future__ import annotations

from collections.abc import Mapping

from ocp_check import rules
from ocp_check.jsondata import JSON
from ocp_check.model import Finding
from ocp_check.stages import findings
from ocp_check.stages.context import Submission
from ocp_check.standards import Standard


def run(sub: Submission) -> Submission:
    outcomes: list[rules.RuleOutcome] = []
    for doc in sub.docs:
        standard, detection = doc.standard, doc.detection
        if standard is None or detection is None or detection.kind is None or doc.loaded.document is None:
            continue
        if detection.problem or doc.rel not in sub.judged.get(detection.kind, ()):
            continue
        sub.progress(f"file:{doc.rel}")
        ctx = context(sub, doc.rel, standard)
        for compiled in compiled_rules(sub, standard):
            outcomes.extend(rules.evaluate_document(compiled, ctx))
    return sub.found(hits(outcomes), outcomes=(*sub.outcomes, *outcomes))


def context(sub: Submission, file: str, standard: Standard) -> rules.Context:
    """What the rules of ``standard`` read: the workspace, the judged documents, the parameters."""
    return rules.Context(
        workspace=sub.workspace,
        file=file,
        documents=sub.judged,
        params=parameters(sub, standard),
        message_limit=sub.run.settings.caps.per_rule,
    )


def parameters(sub: Submission, standard: Standard) -> Mapping[str, JSON]:
    """The standard's parameters: its defaults, then the profile's values, then the settings'
    (a standard's rule cases set them as a profile would)."""
    values = {name: p.default for name, p in standard.parameters.items()}
    profile = sub.run.settings.profile
    if profile is not None:
        values.update(profile.parameters.get(standard.ref.id, {}))
    values.update(sub.run.settings.parameters.get(standard.ref.id, {}))
    return values


def compiled_rules(sub: Submission, standard: Standard) -> list[rules.CompiledStandard]:
    """The standard's own rules, plus local rule packs the profile attaches to it."""
    out = [rules.compile_standard(standard)]
    profile = sub.run.settings.profile
    if profile is not None:
        packs = tuple(pack for sid, pack in profile.rule_packs if sid == standard.ref.id)
        if packs:
            out.append(rules.compile_extra(standard, packs))
    return out


def hits(outcomes: list[rules.RuleOutcome]) -> list[Finding]:
    """The findings of the rules' hits, in order."""
    return [findings.rule_hit(outcome, hit) for outcome in outcomes for hit in outcome.hits]
