"""The parent of a one-submission run takes the standards' report information from its
worker instead of loading the standards a second time (``engine._work``)."""

from __future__ import annotations

import multiprocessing
import sys
from pathlib import Path
from typing import Any

import pytest

import ocp_check
from ocp_check import catalog
from ocp_check.engine import standard_info

REPO = Path(__file__).resolve().parents[2]
BID = str(REPO / "examples/bids/harbourview-sensors")

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods() or sys.platform == "darwin",
    reason="the parent's loads are counted apart from the worker's only when workers are forked",
)


def test_the_parent_does_not_load_the_standards_its_worker_used(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded: list[Path] = []
    original = catalog.load_standard

    def counted(directory: Path, *args: Any, **kwargs: Any) -> Any:
        loaded.append(directory)  # only the parent's calls land in this list
        return original(directory, *args, **kwargs)

    monkeypatch.setattr(catalog, "load_standard", counted)
    report = ocp_check.check([BID], today="2026-12-01", jobs=1)
    assert loaded == []
    monkeypatch.undo()
    assert report.standards
    fresh = catalog.Catalog([])
    assert report.standards == tuple(standard_info(fresh.load(info.ref)) for info in report.standards)
