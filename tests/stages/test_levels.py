"""The levels stage: a profile raises a clause's level, and its findings follow."""

from __future__ import annotations

from pathlib import Path

from ocp_check.model import Finding, Level, Location, Severity, StandardRef
from ocp_check.profiles import load_profile
from ocp_check.stages import levels
from tests.stages.conftest import CATALOG, before

REF = StandardRef("ocp-data-governance", "1.0.0")


def _finding(clause: str, level: Level) -> Finding:
    return Finding("r", clause, REF, level, level.severity, "m", "f", Location("data-manifest.yaml", "/x"))


def test_a_raised_level_raises_the_findings_of_its_clause_only() -> None:
    out = levels.raised(
        [_finding("DG-2.4", Level.SHOULD), _finding("DG-2.5", Level.SHOULD), _finding("DG-2.4", Level.MUST)],
        {("ocp-data-governance", "DG-2.4"): Level.MUST},
    )
    assert [(f.clause, f.level, f.severity) for f in out] == [
        ("DG-2.4", Level.MUST, Severity.ERROR),
        ("DG-2.5", Level.SHOULD, Severity.WARNING),
        ("DG-2.4", Level.MUST, Severity.ERROR),
    ]
    assert levels.raised([_finding("DG-2.4", Level.MUST)], {("ocp-data-governance", "DG-2.4"): Level.SHOULD})[
        0
    ].level is Level.MUST  # never lowered


def test_a_finding_already_at_the_raised_strength_keeps_its_own_level() -> None:
    # A rule may carry a level of its own (docs/standards-format.md): a MUST rule under a
    # clause the profile sets to MUST NOT is no weaker, so it is not rewritten.
    [out] = levels.raised([_finding("DG-2.4", Level.MUST)], {("ocp-data-governance", "DG-2.4"): Level.MUST_NOT})
    assert (out.level, out.severity) == (Level.MUST, Severity.ERROR)


def test_findings_of_no_clause_pass_through() -> None:
    load = Finding("load", None, None, Level.MUST, Severity.ERROR, "m", "f", Location("broken.yaml"))
    assert levels.raised([load], {("ocp-data-governance", "DG-2.4"): Level.MUST}) == [load]


def test_the_stage_raises_shown_and_folded_findings(bid: Path, tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("kind: profile\nid: p\ntitle: P\nlevels:\n  ocp-data-governance:\n    DG-2.4: MUST\n")
    sub = before(levels.run, bid, profile=load_profile(path, CATALOG))
    sub = sub.but(findings=(_finding("DG-2.4", Level.SHOULD),), folded=(_finding("DG-2.4", Level.SHOULD),))
    after = levels.run(sub)
    assert [f.level for f in (*after.findings, *after.folded)] == [Level.MUST, Level.MUST]


def test_without_a_profile_nothing_changes(bid: Path) -> None:
    sub = before(levels.run, bid)
    assert levels.run(sub) is sub
