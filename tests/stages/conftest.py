"""Helpers to test one stage: a submission brought up to the stage, then the stage alone."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ocp_check.catalog import Catalog
from ocp_check.engine import _tasks
from ocp_check.model import Finding
from ocp_check.run import Run
from ocp_check.settings import Settings
from ocp_check.stages import STAGES
from ocp_check.stages.context import Stage, Submission
from ocp_check.workspace import Workspace

CATALOG = Catalog([])
TODAY = datetime.date(2026, 6, 1)


def start(path: Path, catalog: Catalog = CATALOG, **settings: Any) -> Submission:
    """The context a submission is judged in, before any stage."""
    options = Settings(jobs=0, today=TODAY, paths=(str(path),), **settings)
    [task] = _tasks([str(path)], options, None)
    run = Run(catalog, options)
    labels: list[str] = []
    return Submission(run, task, Workspace(task.root, options.limits, {}), labels.append)


def before(stage: Stage, path: Path, **settings: Any) -> Submission:
    """The context as ``stage`` receives it: every earlier stage has run."""
    sub = start(path, **settings)
    for earlier in STAGES[: STAGES.index(stage)]:
        sub = earlier(sub)
    return sub


def new_findings(was: Submission, now: Submission) -> list[Finding]:
    """The findings a stage added (shown and folded)."""
    return [*now.findings[len(was.findings) :], *now.folded[len(was.folded) :]]


@pytest.fixture
def edit() -> Callable[[Path, str, str, str], None]:
    """Replace text in a file of a bid (the text must be there)."""

    def replace(bid: Path, name: str, old: str, new: str) -> None:
        path = bid / name
        text = path.read_text()
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1))

    return replace
