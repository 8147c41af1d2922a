"""The cross-document stage: the submission as a whole, or a budget finding when it overran."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ocp_check.stages import cross_document
from ocp_check.stages.context import CROSS_DOCUMENT
from tests.stages.conftest import before, new_findings


def test_submission_rules_run_once_per_standard_in_play(bid: Path) -> None:
    labels: list[str] = []
    sub = before(cross_document.run, bid).but(progress=labels.append)
    after = cross_document.run(sub)
    added = after.outcomes[len(sub.outcomes) :]
    assert added and all(o.rule.applies_to == "submission" for o in added)
    assert labels == [CROSS_DOCUMENT]
    assert new_findings(sub, after) == []  # the example bid passes


def test_checks_that_overran_are_reported_not_run(bid: Path) -> None:
    sub = before(cross_document.run, bid)
    task = dataclasses.replace(sub.task, skipped={CROSS_DOCUMENT: "took more than 60 s"})
    after = cross_document.run(sub.but(task=task))
    [finding] = new_findings(sub, after)
    assert (finding.rule, finding.message) == ("budget", "the cross-document checks took more than 60 s; not checked")
    assert after.outcomes == sub.outcomes
