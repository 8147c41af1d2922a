"""Errors are typed exceptions, raised before any work, never exits."""

from __future__ import annotations

from pathlib import Path

import pytest

import ocp_check

REPO = Path(__file__).resolve().parents[2]
BID = str(REPO / "examples/bids/harbourview-sensors")


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: ocp_check.check([str(REPO / "no-such-folder")]), ocp_check.UsageError),
        (lambda: ocp_check.check([]), ocp_check.UsageError),
        (lambda: ocp_check.check(["-"]), ocp_check.UsageError),
        (lambda: ocp_check.check(BID, today="yesterday"), ocp_check.UsageError),
        (lambda: ocp_check.check(BID, limits=ocp_check.Limits(max_depth=0)), ocp_check.UsageError),
        (
            lambda: ocp_check.check(BID, limits=ocp_check.Limits(time_budget=float("nan"))),
            ocp_check.UsageError,
        ),
        (lambda: ocp_check.check(BID, jobs=0), ocp_check.UsageError),
        (lambda: ocp_check.check(BID, profile=REPO / "no-such-profile.yaml"), ocp_check.ConfigError),
        (lambda: ocp_check.check(BID, config=REPO / "no-such-config.yaml"), ocp_check.ConfigError),
        (lambda: ocp_check.check(BID, standards=["no-such-standard@1"]), ocp_check.StandardNotFound),
        (lambda: ocp_check.check(str(REPO / "docs")), ocp_check.UsageError),  # nothing to check
    ],
)
def test_bad_inputs_raise_the_documented_exception(call: object, error: type[Exception]) -> None:
    with pytest.raises(error) as raised:
        call()  # type: ignore[operator]
    assert isinstance(raised.value, ocp_check.OcpCheckError)
    assert raised.value.message


def test_an_unknown_format_is_a_usage_error_with_the_choices() -> None:
    report = ocp_check.check_documents({"data-manifest.yaml": "kind: data-manifest\n"}, jobs=1)
    with pytest.raises(ocp_check.UsageError) as raised:
        ocp_check.render_report(report, "pdf")
    assert raised.value.hint and "sarif" in raised.value.hint
    with pytest.raises(ocp_check.UsageError):
        ocp_check.render_matrix(report, "sarif")
    with pytest.raises(ocp_check.UsageError):
        ocp_check.render_report(report, "text", fail_on="sometimes")  # type: ignore[arg-type]


def test_a_project_configuration_applies_unless_told_not_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".ocp-check.yaml").write_text("standards: [ocp-data-governance@1.0]\n")
    monkeypatch.chdir(tmp_path)
    found = ocp_check.check(BID, jobs=1, today="2026-12-01")
    assert found.options["standards"] == ["ocp-data-governance@1.0"]
    ignored = ocp_check.check(BID, jobs=1, today="2026-12-01", config=False)
    assert ignored.options["standards"] == []
    named = ocp_check.check(BID, jobs=1, today="2026-12-01", config=tmp_path / ".ocp-check.yaml")
    assert named.options["standards"] == ["ocp-data-governance@1.0"]
