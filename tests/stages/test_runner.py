"""The runner: the stages in their documented order; a worker's run is never changed."""

from __future__ import annotations

import re
from pathlib import Path

from ocp_check.stages import STAGES, judge
from tests.stages.conftest import start

REPO = Path(__file__).resolve().parents[2]


def test_the_architecture_diagram_is_the_list_of_stages() -> None:
    """docs/ARCHITECTURE.md names the stages in the order the runner walks them."""
    text = (REPO / "docs" / "ARCHITECTURE.md").read_text()
    diagram = re.search(r"\[worker pool: (.*?)\]", text, re.S)
    assert diagram is not None
    named = [" ".join(name.split()) for name in diagram.group(1).split("─►")]
    assert named == [stage.__module__.rsplit(".", 1)[1].replace("_", " ") for stage in STAGES]


def test_judging_leaves_the_run_as_it_was(bid: Path) -> None:
    sub = start(bid)
    before = dict(vars(sub.run))
    result = judge(sub.run, sub.task, lambda label: None)
    assert vars(sub.run) == before
    assert result.submission.name == sub.task.name and result.used
    assert not result.consulted_today  # the example bid's clauses are all in force, no waivers


def test_every_stage_returns_a_new_context_and_changes_none(bid: Path) -> None:
    sub = start(bid)
    for stage in STAGES:
        findings = sub.findings
        after = stage(sub)
        assert sub.findings is findings  # frozen: the stage built a new context
        sub = after
    assert sub.clauses
