"""Schema: each document against its standard's JSON Schema.

A description in a format version the standard does not cover is one finding (and left out
of the rules). Placeholders are checked leniently (``schema_check.lenient``): a placeholder
deep in a ``oneOf`` does not fail its ancestors, problems at or below one are folded into its
``incomplete`` finding, and only then is the list capped (``schema_check.cap``).
"""

from __future__ import annotations

from ocp_check import schema_check
from ocp_check.model import Finding
from ocp_check.stages import findings
from ocp_check.stages.context import Submission
from ocp_check.stages.placeholders import at_or_below


def run(sub: Submission) -> Submission:
    found: list[Finding] = []
    for doc in sub.docs:
        standard, detection, document = doc.standard, doc.detection, doc.loaded.document
        if standard is None or detection is None or document is None:
            continue
        if detection.problem:
            found.append(findings.unsupported_format(doc.rel, detection.problem_pointer, detection.problem, standard))
            continue
        sub.progress(f"file:{doc.rel}")
        spots = sub.placeholders.get(doc.rel, ())
        problems = [
            problem
            for problem in schema_check.validate(
                standard.validator(detection.schema_key),
                document.data,
                standard.fast_validator(detection.schema_key),
                placeholders=bool(spots),
            )
            if not at_or_below(problem.pointer, spots)
        ]
        found.extend(
            findings.schema_problem(doc.rel, p.pointer, p.message, p.fix, p.detail, standard)
            for p in schema_check.cap(problems)
        )
    return sub.found(found)
