"""The runner: the stages in their documented order; a worker's run is never changed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from ocp_check.engine import _tasks
from ocp_check.run import Run
from ocp_check.settings import Settings
from ocp_check.stages import STAGES, judge
from tests.conftest import EXAMPLE_BID
from tests.stages.conftest import CATALOG, TODAY, start

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


def test_a_fragment_outside_the_bid_folder_is_loaded_within_the_root(tmp_path: Path) -> None:
    """A shared ``models/`` folder beside the bid, inside the root, is loaded when a $ref
    reaches it, under the run's limits."""
    root = tmp_path / "bids"
    shutil.copytree(EXAMPLE_BID, root / "good")
    shutil.move(str(root / "good" / "models"), str(root / "models"))
    api = root / "good" / "openapi.yaml"
    api.write_text(api.read_text().replace("models/", "../models/"))
    options = Settings(jobs=0, today=TODAY, paths=(str(root),))
    [task] = [t for t in _tasks([str(root)], options, None) if Path(t.name) == root / "good"]
    result = judge(Run(CATALOG, options), task, lambda label: None).submission
    assert result.fragments == ("models/trip.yaml",)
    assert result.conformant and not result.findings
