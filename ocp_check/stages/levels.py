"""Levels: a city profile may raise a clause's level (SHOULD → MUST); its findings follow.

Raising only: a profile never lowers a level (it disables a clause instead, with a reason,
which the clause statuses record).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from ocp_check.model import Finding, Level
from ocp_check.stages.context import Submission


def run(sub: Submission) -> Submission:
    profile = sub.run.settings.profile
    levels = profile.levels if profile else {}
    if not levels:
        return sub
    return sub.with_states(raised(sub.findings, levels), raised(sub.folded, levels))


def raised(findings: Sequence[Finding], levels: Mapping[tuple[str, str], Level]) -> list[Finding]:
    """The findings, each at the level the profile gives its clause when that is higher."""
    out = []
    for f in findings:
        level = levels.get((f.standard.id, f.clause)) if f.standard and f.clause else None
        if level is not None and level.rank > f.level.rank:
            f = dataclasses.replace(f, level=level, severity=level.severity)
        out.append(f)
    return out
