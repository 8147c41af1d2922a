from ocp_check.model import (
    Finding,
    FindingState,
    InputFile,
    Level,
    Location,
    Report,
    Severity,
    SubmissionResult,
    exit_code_for,
)


def _finding(severity: Severity, state: FindingState = FindingState.ACTIVE) -> Finding:
    level = {Severity.ERROR: Level.MUST, Severity.WARNING: Level.SHOULD, Severity.INFO: Level.MAY}[severity]
    return Finding(
        rule="r",
        clause="C-1",
        standard=None,
        level=level,
        severity=severity,
        message="m",
        fix="f",
        location=Location("a.yaml", "", 1, 1),
        state=state,
    )


def _report(*findings: Finding) -> Report:
    sub = SubmissionResult("bid", "bid", (), tuple(findings), ())
    return Report("0", (sub,), (), (InputFile("bid", "a.yaml", "0" * 64),))


def test_levels_map_to_severities():
    assert Level.MUST.severity is Severity.ERROR
    assert Level.MUST_NOT.severity is Severity.ERROR
    assert Level.SHOULD.severity is Severity.WARNING
    assert Level.SHOULD_NOT.severity is Severity.WARNING
    assert Level.MAY.severity is Severity.INFO


def test_exit_code_thresholds():
    warning_only = _report(_finding(Severity.WARNING))
    assert exit_code_for(warning_only, "error") == 0
    assert exit_code_for(warning_only, "warning") == 1
    assert exit_code_for(warning_only, "info") == 1
    assert exit_code_for(warning_only, "never") == 0
    assert exit_code_for(_report(_finding(Severity.ERROR)), "error") == 1


def test_waived_and_future_findings_do_not_count():
    report = _report(
        _finding(Severity.ERROR, FindingState.WAIVED), _finding(Severity.ERROR, FindingState.NOT_IN_FORCE)
    )
    assert exit_code_for(report, "info") == 0
    assert report.conformant
    assert report.counts() == {
        "error": 0,
        "warning": 0,
        "info": 0,
        "waived": 1,
        "not-in-force": 1,
        "disabled": 0,
    }


def test_conformant_ignores_warnings():
    report = _report(_finding(Severity.WARNING))
    assert report.conformant
    assert not _report(_finding(Severity.ERROR)).conformant
