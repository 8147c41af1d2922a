"""The report model's verdict arithmetic: levels, counts, verdicts, exit codes, phrases."""

from __future__ import annotations

import pytest

from ocp_check.model import (
    Finding,
    FindingState,
    Level,
    Location,
    Report,
    Severity,
    StandardRef,
    SubmissionResult,
    count_findings,
    exit_code_for,
)

SEVERITY = {Level.MUST: Severity.ERROR, Level.SHOULD: Severity.WARNING, Level.MAY: Severity.INFO}


def finding(level: Level = Level.MUST, state: FindingState = FindingState.ACTIVE, **where: object) -> Finding:
    return Finding(
        rule=str(where.get("rule", "r")),
        clause="C-1",
        standard=None,
        level=level,
        severity=level.severity,
        message=str(where.get("message", "m")),
        fix="f",
        location=Location(
            str(where.get("file", "a.yaml")),
            str(where.get("pointer", "")),
            where.get("line", 1),  # type: ignore[arg-type]
            where.get("column", 1),  # type: ignore[arg-type]
        ),
        state=state,
    )


def sub(name: str, *findings: Finding) -> SubmissionResult:
    return SubmissionResult(name, name, (), tuple(findings), ())


def report(*subs: SubmissionResult) -> Report:
    return Report("0", tuple(subs), (), ())


def test_levels_rank_and_map_to_severities() -> None:
    assert [lv.severity for lv in Level] == [
        Severity.ERROR,
        Severity.ERROR,
        Severity.WARNING,
        Severity.WARNING,
        Severity.INFO,
    ]
    assert [lv.rank for lv in Level] == [2, 2, 1, 1, 0]
    assert [s.rank for s in (Severity.INFO, Severity.WARNING, Severity.ERROR)] == [0, 1, 2]


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (Level.MUST, {"error": 1, "warning": 1, "info": 1, "never": 0}),
        (Level.MUST_NOT, {"error": 1, "warning": 1, "info": 1, "never": 0}),
        (Level.SHOULD, {"error": 0, "warning": 1, "info": 1, "never": 0}),
        (Level.SHOULD_NOT, {"error": 0, "warning": 1, "info": 1, "never": 0}),
        (Level.MAY, {"error": 0, "warning": 0, "info": 1, "never": 0}),
    ],
)
def test_exit_code_for_every_level_and_threshold(level: Level, expected: dict[str, int]) -> None:
    one = report(sub("bid", finding(level)))
    assert {threshold: exit_code_for(one, threshold) for threshold in expected} == expected


@pytest.mark.parametrize("state", [FindingState.WAIVED, FindingState.NOT_IN_FORCE, FindingState.DISABLED])
def test_only_active_findings_decide(state: FindingState) -> None:
    quiet = report(sub("bid", finding(Level.MUST, state)))
    assert all(exit_code_for(quiet, t) == 0 for t in ("error", "warning", "info"))
    assert quiet.conformant and quiet.submissions[0].verdict == "conformant"


def test_any_submission_with_an_active_error_makes_the_run_nonconformant() -> None:
    good, bad = sub("a", finding(Level.SHOULD)), sub("b", finding(Level.MUST))
    run = report(good, bad)
    assert good.conformant and not bad.conformant
    assert (good.verdict, bad.verdict) == ("conformant", "nonconformant")
    assert not run.conformant and exit_code_for(run, "error") == 1
    assert report(good, good).conformant and report().conformant


def test_a_later_error_is_found_after_earlier_lesser_findings() -> None:
    run = report(
        sub("a", finding(Level.MAY), finding(Level.SHOULD, FindingState.WAIVED)),
        sub("b", finding(Level.MUST)),
    )
    assert exit_code_for(run, "error") == 1


def test_counts_by_severity_and_state() -> None:
    findings = [
        finding(Level.MUST),
        finding(Level.MUST),
        finding(Level.SHOULD),
        finding(Level.MAY),
        finding(Level.MUST, FindingState.WAIVED),
        finding(Level.SHOULD, FindingState.NOT_IN_FORCE),
        finding(Level.MAY, FindingState.DISABLED),
        finding(Level.MAY, FindingState.DISABLED),
    ]
    expected = {"error": 2, "warning": 1, "info": 1, "waived": 1, "not-in-force": 1, "disabled": 2}
    assert count_findings(findings) == expected
    assert sub("a", *findings).counts() == expected
    run = report(sub("a", *findings[:4]), sub("b", *findings[4:]))
    assert run.counts() == expected
    assert list(run.all_findings()) == findings


@pytest.mark.parametrize(
    ("names", "phrase"),
    [
        ((), "0 submissions checked, 0 conformant, 0 nonconformant"),
        (("a",), "1 submission checked, 1 conformant, 0 nonconformant"),
        (("a", "b"), "2 submissions checked, 2 conformant, 0 nonconformant"),
        (("a", "a"), "1 submission checked in 2 evaluations. Evaluations: 2 conformant, 0 nonconformant"),
        (
            ("a", "a", "b", "b"),
            "2 submissions checked in 4 evaluations. Evaluations: 4 conformant, 0 nonconformant",
        ),
    ],
)
def test_tally_counts_bids_not_evaluations(names: tuple[str, ...], phrase: str) -> None:
    assert report(*(sub(n) for n in names)).tally() == phrase


def test_locations_display_and_sort() -> None:
    assert Location("a.yaml", "/x", 3, 7).display() == "a.yaml:3:7"
    assert Location("a.yaml", "/x", 3, None).display() == "a.yaml:3:1"
    assert Location("a.yaml", "/x").display() == "a.yaml"
    f = finding(rule="R", pointer="/p", line=4, column=2, message="msg", file="b.yaml")
    assert f.sort_key() == ("b.yaml", 4, 2, "R", "/p", "msg")
    assert finding(line=None, column=None).sort_key()[1:3] == (0, 0)
    assert f.active and not finding(state=FindingState.WAIVED).active
    assert str(StandardRef("ocp-x", "1.2.3")) == "ocp-x@1.2.3"


# --- what a verdict says about the standards that judged it ---------------------------------


def test_status_text_names_date_approval_and_origin() -> None:
    from ocp_check.model import StandardInfo

    ref = StandardRef("ocp-x", "1.0.0")
    assert StandardInfo(ref, "t", "draft", "0").status_text() == "draft; approved by no body"
    info = StandardInfo(
        ref, "t", "approved", "0", "2026-06-01", "City council, 2026-06-01, CC-12", "built-in"
    )
    assert info.status_text() == "approved since 2026-06-01; approval: City council, 2026-06-01, CC-12"
    assert StandardInfo(ref, "t", "draft", "0", provenance="standards folder").status_text() == (
        "draft; approved by no body"
    )
    assert StandardInfo(ref, "t", "draft", "0", provenance="bundle: unsigned").status_text() == (
        "draft; approved by no body; bundle: unsigned"
    )


def test_judged_against_names_only_the_drafts_a_submission_used() -> None:
    from ocp_check.model import ClauseResult, DocumentKind, DocumentResult, StandardInfo, Status

    draft, approved, other = (
        StandardRef("ocp-a", "1.0.0"),
        StandardRef("ocp-b", "1.0.0"),
        StandardRef("ocp-c", "2.0.0"),
    )
    standards = (
        StandardInfo(draft, "A", "draft", "0"),
        StandardInfo(approved, "B", "approved", "0"),
        StandardInfo(other, "C", "withdrawn", "0"),
    )
    clause = ClauseResult(approved, "B-1", "t", Level.MUST, Status.PASS)
    document = DocumentResult("a.yaml", DocumentKind.DATA_MANIFEST, draft, "declared", "0")
    uses_draft = SubmissionResult("x", "x", (document,), (), (clause,))
    uses_approved = SubmissionResult("y", "y", (), (), (clause,))
    run = Report("0", (uses_draft, uses_approved), standards, ())
    assert run.judged_against(uses_draft) == "judged against a DRAFT of ocp-a@1.0.0"
    assert run.judged_against(uses_approved) == ""
    assert run.judged_against() == (
        "judged against a DRAFT of ocp-a@1.0.0 and a WITHDRAWN version, ocp-c@2.0.0"
    )
    unknown = SubmissionResult(
        "z", "z", (), (), (ClauseResult(StandardRef("ocp-d", "1.0.0"), "D", "t", Level.MAY, Status.PASS),)
    )
    assert run.judged_against(unknown) == ""


def test_copied_reads_each_field_from_the_same_name_and_takes_the_given_ones() -> None:
    from dataclasses import dataclass

    from ocp_check.model import copied

    @dataclass(frozen=True)
    class Shown:
        id: str
        level: Level
        matched: int

    @dataclass(frozen=True)
    class Source:
        id: str
        level: Level
        other: str

    assert copied(Shown, Source("W-1", Level.MUST, "x"), matched=3) == Shown("W-1", Level.MUST, 3)


def test_results_pickle_as_their_fields_and_come_back_equal() -> None:
    """Every submission's result crosses the pipe from its worker: the report's records are
    pickled as their fields (``cls(*fields)``), not through the generic slots state."""
    import copy
    import pickle

    ref = StandardRef("ocp-data-governance", "1.0.0")
    finding = Finding(
        rule="DG-1",
        clause="DG-1",
        standard=ref,
        level=Level.MUST,
        severity=Severity.ERROR,
        message="m",
        fix="f",
        location=Location("m.yaml", "/a", 3, 4),
        state=FindingState.WAIVED,
    )
    sub = SubmissionResult(name="bid", root="bid", documents=(), findings=(finding,), clauses=())
    for value in (ref, finding, sub):
        assert value.__reduce__()[0] is type(value)
        assert pickle.loads(pickle.dumps(value)) == value
        assert copy.deepcopy(value) == value
