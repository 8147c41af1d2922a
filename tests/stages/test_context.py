"""The frozen context: findings admitted within the caps, the rest folded; the task's result."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from ocp_check.model import FindingCaps, FindingState, Level
from ocp_check.stages import findings as make
from ocp_check.stages import load
from ocp_check.stages.context import fold, light
from tests.stages.conftest import start


def _hits(n: int, file: str = "data-manifest.yaml", rule: str = "R-1") -> list:  # type: ignore[type-arg]
    return [make.engine_finding(rule, Level.MUST, f"hit {i}", "fix it", file, f"/x/{i}") for i in range(n)]


def test_findings_beyond_the_per_rule_cap_are_folded_not_dropped(bid: Path) -> None:
    sub = start(bid, caps=FindingCaps(per_rule=2, per_document=10))
    after = sub.found(_hits(5))
    assert [f.message for f in after.findings] == ["hit 0", "hit 1"]
    assert len(after.folded) == 3 and all(f.message == "" and f.fix == "" for f in after.folded)
    assert after.tally.per_rule[("data-manifest.yaml", "R-1")] == 2
    again = after.found(_hits(1))  # the cap counts what is already shown
    assert len(again.findings) == 2 and len(again.folded) == 4


def test_the_per_document_cap_counts_every_rule_of_a_file(bid: Path) -> None:
    sub = start(bid, caps=FindingCaps(per_rule=10, per_document=3))
    after = sub.found([*_hits(2, rule="A"), *_hits(2, rule="B"), *_hits(2, rule="C", file="other.yaml")])
    assert [(f.location.file, f.rule) for f in after.findings] == [
        ("data-manifest.yaml", "A"),
        ("data-manifest.yaml", "A"),
        ("data-manifest.yaml", "B"),
        ("other.yaml", "C"),
        ("other.yaml", "C"),
    ]
    assert [(f.location.file, f.rule) for f in after.folded] == [("data-manifest.yaml", "B")]


def test_a_shown_finding_is_located_when_admitted(bid: Path) -> None:
    sub = start(bid)
    after = sub.found([make.engine_finding("R", Level.MUST, "m", "f", "data-manifest.yaml", "/standard")])
    [shown] = after.findings
    assert shown.location.line is not None and shown.location.column is not None
    assert any(line == shown.location.line and text.startswith("standard:") for line, text in shown.snippet)


def test_the_context_is_frozen_and_found_leaves_it_unchanged(bid: Path) -> None:
    sub = start(bid)
    after = sub.found(_hits(1), consulted_today=True)
    assert sub.findings == () and not sub.consulted_today
    assert after.consulted_today
    with pytest.raises(dataclasses.FrozenInstanceError):
        sub.findings = ()  # type: ignore[misc]


def test_the_run_refuses_changes_once_built(bid: Path) -> None:
    run = start(bid).run
    with pytest.raises(AttributeError, match="does not change once built"):
        run.today = run.today  # type: ignore[misc]


def test_the_result_carries_what_the_worker_used(bid: Path) -> None:
    sub = load.run(start(bid)).but(consulted_today=True, waiver_usage={("w", "f", "R"): 2})
    result = sub.found(_hits(1)).result()
    assert result.consulted_today and result.waiver_usage == {("w", "f", "R"): 2}
    assert result.submission.findings[0].message == "hit 0"
    assert {i.path for i in result.inputs} >= {"data-manifest.yaml", "retention-policy.yaml", "openapi.yaml"}


def test_a_view_is_derived_again_when_its_fields_change(bid: Path) -> None:
    loaded = load.run(start(bid))
    assert loaded.by_kind == {}  # not detected yet: no kinds
    kept = loaded.but(consulted_today=True)
    assert kept.by_kind is loaded.by_kind  # the view is kept while its fields are unchanged
    detected = loaded.but(docs=(*loaded.docs[1:],))
    assert detected.by_kind is not loaded.by_kind
    with pytest.raises(TypeError, match="no field 'nope'"):
        loaded.but(nope=1)


def test_folded_findings_are_counted_by_file_rule_and_state() -> None:
    hits = [light(f) for f in _hits(3)]
    hits[2] = dataclasses.replace(hits[2], state=FindingState.WAIVED)
    groups = fold(hits)
    assert [(g.rule, g.state, g.count) for g in groups] == [("R-1", FindingState.ACTIVE, 2), ("R-1", FindingState.WAIVED, 1)]
