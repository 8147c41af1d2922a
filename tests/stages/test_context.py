"""The frozen context: findings admitted within the caps, the rest folded; the task's result."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import pytest

from ocp_check.engine import _tasks
from ocp_check.model import DocumentKind, FindingCaps, FindingState, Level
from ocp_check.run import Run
from ocp_check.settings import Settings
from ocp_check.stages import STAGES, load
from ocp_check.stages import findings as make
from ocp_check.stages.context import Submission, fold, light
from ocp_check.workspace import Workspace
from tests.stages.conftest import CATALOG, TODAY, start


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


def _judged(sub: Submission) -> Submission:
    for stage in STAGES:
        sub = stage(sub)
    return sub


def test_the_result_describes_each_file_that_is_not_a_fragment(bid: Path) -> None:
    (bid / "notes.yaml").write_text("owner: procurement\n")
    (bid / "z-broken.yaml").write_text("kind: retention-policy\nperiods: [\n")
    sub = _judged(start(bid))
    documents = {d.path: d for d in sub.result().submission.documents}
    assert list(documents) == ["data-manifest.yaml", "notes.yaml", "openapi.yaml", "retention-policy.yaml", "z-broken.yaml"]
    manifest = documents["data-manifest.yaml"]
    assert (manifest.kind, str(manifest.standard), manifest.standard_reason, manifest.unrecognised) == (
        DocumentKind.DATA_MANIFEST,
        "ocp-data-governance@1.0.0",
        "declared in the document (ocp-data-governance@1.0)",
        "",
    )
    assert manifest.sha256 == hashlib.sha256((bid / "data-manifest.yaml").read_bytes()).hexdigest()
    assert manifest.declared == "ocp-data-governance@1.0"
    notes = documents["notes.yaml"]
    assert (notes.kind, notes.standard, notes.standard_reason) == (None, None, "")
    assert notes.unrecognised == sub.unrecognised["notes.yaml"] != ""
    broken = documents["z-broken.yaml"]  # it announces its kind but cannot be loaded
    assert (broken.kind, broken.standard) == (DocumentKind.RETENTION_POLICY, None)
    assert broken.standard_reason == "not judged: the file cannot be loaded"


def test_the_result_holds_the_clause_statuses_and_the_findings_in_file_order(bid: Path) -> None:
    sub = _judged(start(bid))
    assert sub.clauses
    sub = sub.found(
        [
            make.engine_finding("B", Level.MUST, "m", "f", "b.yaml"),
            make.engine_finding("A", Level.MUST, "m", "f", "c.yaml"),
            make.engine_finding("C", Level.MUST, "m", "f", "a.yaml"),
        ]
    )
    result = sub.result().submission
    assert result.clauses == sub.clauses
    assert [f.location.file for f in result.findings] == ["a.yaml", "b.yaml", "c.yaml"]
    assert result.root == str(bid)


def test_the_inputs_include_the_vendor_s_waivers_file(bid: Path) -> None:
    waivers = bid / "ocp-waivers.yaml"
    waivers.write_text("kind: waivers\nwaivers: []\n")
    inputs = {i.path: i.sha256 for i in _judged(start(bid)).result().inputs}
    assert inputs["ocp-waivers.yaml"] == hashlib.sha256(waivers.read_bytes()).hexdigest()


def test_a_finding_in_standard_input_is_located(tmp_path: Path) -> None:
    options = Settings(jobs=0, today=TODAY, paths=("-",))
    [task] = _tasks(["-"], options, b"kind: data-manifest\nstandard: ocp-data-governance@1.0\nmanifest_revision: x\n")
    sub = Submission(Run(CATALOG, options), task, Workspace(task.root, options.limits, {}), lambda label: None)
    sub = _judged(sub)
    [finding] = [f for f in sub.findings if f.location.pointer == "/manifest_revision"]
    assert (finding.location.file, finding.location.line) == ("<stdin>", 3)


def test_a_finding_with_its_own_line_gets_the_snippet_of_that_line(bid: Path) -> None:
    sub = start(bid).found([make.engine_finding("R", Level.MUST, "m", "f", "data-manifest.yaml", line=3, column=1)])
    [shown] = sub.findings
    text = (bid / "data-manifest.yaml").read_text().splitlines()
    assert (3, text[2]) in shown.snippet


def test_a_folded_finding_keeps_what_the_stages_judge() -> None:
    [finding] = _hits(1)
    folded = light(finding)
    assert (folded.rule, folded.clause, folded.level, folded.location.file, folded.location.pointer) == (
        finding.rule,
        finding.clause,
        finding.level,
        finding.location.file,
        finding.location.pointer,
    )


def test_folded_findings_are_grouped_by_clause_in_clause_order() -> None:
    hits = [
        light(dataclasses.replace(f, clause=c, level=Level.SHOULD))
        for f, c in zip(_hits(3), ("DG-2", "DG-1", "DG-2"), strict=True)
    ]
    groups = fold(hits)
    assert [(g.clause, g.level, g.count) for g in groups] == [("DG-1", Level.SHOULD, 1), ("DG-2", Level.SHOULD, 2)]
