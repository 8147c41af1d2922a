"""The clause statuses stage: one status per clause; nothing judged is never conformant."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from ocp_check.model import ClauseResult, DocumentKind, FindingState, Level, StandardRef, Status
from ocp_check.stages import statuses
from tests.conftest import REPO
from tests.stages.conftest import CATALOG, before


def _statuses(sub) -> dict[str, Status]:  # type: ignore[no-untyped-def]
    return {c.clause: c.status for c in sub.clauses}


def test_every_clause_of_every_standard_in_play_gets_one_status(bid: Path) -> None:
    sub = before(statuses.run, bid)
    after = statuses.run(sub)
    expected = sum(len(s.clauses) for s in sub.in_play)
    assert len(after.clauses) == expected
    assert _statuses(after)["DG-6.4"] is Status.ATTESTED
    assert Status.FAIL not in _statuses(after).values()


def test_a_clause_not_yet_in_force_keeps_its_findings_marked(bid: Path, edit) -> None:  # type: ignore[no-untyped-def]
    edit(bid, "data-manifest.yaml", "standard: ocp-data-governance@1.0", "standard: ocp-data-governance@1.1")
    sub = before(statuses.run, bid)
    after = statuses.run(sub)
    not_in_force = [c for c in after.clauses if c.status is Status.NOT_IN_FORCE]
    assert not_in_force and all(c.reason.startswith(("in force from", "fails from")) for c in not_in_force)
    assert after.consulted_today
    assert all(f.state is not FindingState.NOT_IN_FORCE for f in sub.findings)


def test_a_missing_document_makes_its_clauses_not_checked(bid: Path) -> None:
    (bid / "openapi.yaml").unlink()
    after = statuses.run(before(statuses.run, bid))
    dx = [c for c in after.clauses if c.clause.startswith("DX-")]
    assert dx and {c.status for c in dx} == {Status.NOT_CHECKED}
    assert {c.reason for c in dx} == {"no API description in the submission"}


def test_an_absent_optional_document_makes_the_clauses_that_need_it_not_applicable(tmp_path: Path) -> None:
    bid = tmp_path / "bid"
    shutil.copytree(REPO / "standards" / "_examples" / "northwind-cmi-2", bid)
    after = statuses.run(before(statuses.run, bid))
    needing = [c for c in after.clauses if c.reason == "no compliance report in this submission (an optional document)"]
    assert needing and {c.status for c in needing} == {Status.NOT_APPLICABLE}
    assert not [c for c in after.clauses if c.status is Status.NOT_CHECKED]


def test_nothing_judged_gets_an_error_of_its_own() -> None:
    ref = StandardRef("x", "1.0.0")
    assert statuses.unjudged([ClauseResult(ref, "X-1", "t", Level.MUST, Status.PASS)], []) is None
    net = statuses.unjudged([ClauseResult(ref, "X-1", "t", Level.MUST, Status.NOT_CHECKED)], [])
    assert net is not None and (net.rule, net.level) == ("unjudged", Level.MUST)


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_a_clause_whose_document_is_absent_unloaded_or_optional_says_which(kind: DocumentKind) -> None:
    hub = CATALOG.load(StandardRef("ocp-data-governance", "1.0.0"))
    clause = dataclasses.replace(hub.clause_index[hub.schema_clause], applies_to=kind.value)
    assert clause.verification != "attestation"  # it needs its own document only
    assert statuses.missing_document(clause, [], frozenset(), frozenset()) == (False, f"no {kind.label} in the submission")
    assert statuses.missing_document(clause, [], frozenset(), frozenset({kind})) == (
        False,
        f"the {kind.label} could not be loaded or is in an unsupported version",
    )
    assert statuses.missing_document(clause, [], frozenset(), frozenset(), frozenset({kind})) == (
        True,
        f"no {kind.label} in this submission (an optional document)",
    )
    assert statuses.missing_document(clause, [], frozenset({kind}), frozenset({kind})) is None


def test_a_submission_whose_files_are_errors_gets_no_second_error_for_nothing_judged(tmp_path: Path) -> None:
    (tmp_path / "data-manifest.yaml").write_text("kind: data-manifest\nsystem: [\n")
    sub = before(statuses.run, tmp_path / "data-manifest.yaml", each=True)
    assert "load" in {f.rule for f in sub.findings} and not sub.folded
    after = statuses.run(sub)
    assert not any(c.status in statuses.JUDGED for c in after.clauses)
    assert after.findings == sub.findings  # the errors already say it: no "unjudged"
