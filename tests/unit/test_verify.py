"""verify: reading a recorded report, trusting its limits only up to the defaults, and naming
every difference between it and a fresh run, one kind at a time."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from ocp_check.errors import UsageError
from ocp_check.loader import Limits
from ocp_check.verify import differences, read_report

FINDING = {
    "rule": "DG-1.1-x",
    "location": {"file": "m.yaml", "pointer": "/a"},
    "message": "m",
    "state": "active",
}
REPORT: dict[str, Any] = {
    "report_format": "1.0",
    "tool": {"name": "ocp-check", "version": "1.0.0"},
    "verdict": "nonconformant",
    "counts": {"error": 73, "warning": 33},
    "options": {"paths": ["bids/a"], "limits": {"max_bytes": 100, "max_depth": 10, "max_nodes": 1000}},
    "standards": [{"id": "ocp-data-governance", "version": "1.1.0", "sha256": "a" * 64}],
    "inputs": [{"submission": "bids/a", "path": "m.yaml", "sha256": "1" * 64}],
    "profile": None,
    "submissions": [
        {
            "name": "bids/a",
            "verdict": "nonconformant",
            "clauses": [
                {
                    "standard": "ocp-data-governance@1.1.0",
                    "clause": "DG-1.1",
                    "status": "fail",
                    "findings": 1,
                },
                {
                    "standard": "ocp-data-governance@1.1.0",
                    "clause": "DG-1.2",
                    "status": "pass",
                    "findings": 0,
                },
            ],
            "findings": [FINDING],
        }
    ],
}


def edited(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(REPORT)
    for path, value in changes.items():
        node: Any = data
        parts = path.split("__")
        for part in parts[:-1]:
            node = node[int(part)] if isinstance(node, list) else node[part]
        last = parts[-1]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return data


def test_identical_reports_have_no_difference() -> None:
    assert differences(REPORT, copy.deepcopy(REPORT)) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"tool": {"name": "ocp-check", "version": "0.9.0"}},
            "tool version: the report was made by 0.9.0, this is 1.0.0",
        ),
        (
            {"inputs__0__sha256": "2" * 64},
            "input bids/a/m.yaml: changed (sha256 222222222222… now 111111111111…)",
        ),
        (
            {"standards__0__version": "1.0.0"},
            "standard ocp-data-governance: version 1.0.0 in the report, 1.1.0 now",
        ),
        (
            {"standards__0__sha256": "b" * 64},
            "standard ocp-data-governance@1.1.0: its content differs from the one the report used",
        ),
        ({"profile": {"path": "p.yaml", "sha256": "c" * 64}}, "profile: differs (path, content or hash)"),
        ({"verdict": "conformant"}, "verdict: the report says conformant, the files give nonconformant"),
        (
            {"counts": {"error": 0, "warning": 33}},
            "the report differs from a fresh run in other fields (counts, options or layout)",
        ),
        (
            {"options__limits__max_bytes": 10**12},
            "the report differs from a fresh run in other fields (counts, options or layout)",
        ),
        (
            {"submissions__0__clauses__0__status": "pass"},
            "submission bids/a: clause DG-1.1 (ocp-data-governance@1.1.0): status pass in the report, fail now",
        ),
        (
            {"submissions__0__clauses__1__findings": 2},
            "submission bids/a: clause DG-1.2 (ocp-data-governance@1.1.0): details differ",
        ),
        (
            {"submissions__0__findings__0__message": "all good"},
            "submission bids/a: finding DG-1.1-x at m.yaml#/a was edited (message)",
        ),
        (
            {"submissions__0__findings": []},
            "submission bids/a: finding DG-1.1-x at m.yaml#/a: 0 in the report, 1 now",
        ),
    ],
)
def test_each_kind_of_difference_is_named(change: dict[str, Any], expected: str) -> None:
    assert differences(edited(**change), REPORT) == [expected]


def test_inputs_added_and_removed() -> None:
    extra = {"submission": "bids/a", "path": "r.yaml", "sha256": "3" * 64}
    more = edited(inputs=[*REPORT["inputs"], extra])
    assert differences(more, REPORT) == ["input bids/a/r.yaml: missing now (a file was removed or renamed)"]
    assert differences(REPORT, more) == ["input bids/a/r.yaml: not in the report (a file was added)"]


def test_standards_used_by_one_side_only() -> None:
    other = {"id": "ocp-api-exchange", "version": "1.0.0", "sha256": "d" * 64}
    more = edited(standards=[*REPORT["standards"], other])
    assert differences(more, REPORT) == ["standard ocp-api-exchange: used by the report only"]
    assert differences(REPORT, more) == ["standard ocp-api-exchange: used by this run only"]


def test_submissions_and_their_verdicts() -> None:
    assert differences(edited(submissions=[]), REPORT) == ["submission bids/a: only in the re-run"]
    assert differences(REPORT, edited(submissions=[])) == ["submission bids/a: only in the report"]
    assert differences(edited(submissions__0__verdict="conformant"), REPORT) == [
        "submission bids/a: verdict conformant in the report, nonconformant now"
    ]


def test_a_clause_only_on_one_side() -> None:
    fewer = edited()
    del fewer["submissions"][0]["clauses"][1]
    assert differences(fewer, REPORT) == [
        "submission bids/a: clause DG-1.2 (ocp-data-governance@1.1.0): status absent in the report, pass now"
    ]
    assert differences(REPORT, fewer) == [
        "submission bids/a: clause DG-1.2 (ocp-data-governance@1.1.0): status pass in the report, absent now"
    ]


def test_a_finding_at_the_document_root_names_only_the_file() -> None:
    at_root = edited(submissions__0__findings__0__location={"file": "m.yaml", "pointer": ""})
    fresh = copy.deepcopy(at_root)
    at_root["submissions"][0]["findings"][0]["state"] = "waived"
    assert differences(at_root, fresh) == ["submission bids/a: finding DG-1.1-x at m.yaml was edited (state)"]


def test_differences_are_capped_with_a_count_of_the_rest() -> None:
    inputs = [{"submission": "s", "path": f"f{i:03}.yaml", "sha256": "0"} for i in range(60)]
    found = differences(edited(inputs=inputs), REPORT, limit=50)
    assert len(found) == 51
    assert found[-1] == "… and 11 more differences"
    assert len(differences(edited(inputs=inputs[:49]), REPORT, limit=50)) == 50
    assert differences(edited(inputs=inputs[:49]), REPORT, limit=50)[-1].startswith("input ")


# --- reading ---------------------------------------------------------------------------------


def read(data: Any) -> Any:
    return read_report(json.dumps(data), "r.json")


def test_read_report_takes_what_a_re_run_needs() -> None:
    data = edited(
        options={
            "paths": ["bids/a", "bids/b"],
            "standards": ["ocp-data-governance@1.0"],
            "profile": "city.yaml",
            "waivers": [{"path": "w.yaml", "sha256": "e"}, "v.yaml", ""],
            "root": "bids",
            "snippets": False,
            "limits": {"max_bytes": 1000},
        },
        today="2026-06-01",
    )
    recorded = read(data)
    assert recorded.paths == ("bids/a", "bids/b")
    assert recorded.standards == ("ocp-data-governance@1.0",)
    assert (recorded.profile, recorded.root, recorded.snippets, recorded.today) == (
        "city.yaml",
        "bids",
        False,
        "2026-06-01",
    )
    assert recorded.waivers == ("w.yaml", "v.yaml")
    assert recorded.limits == {"max_bytes": 1000}
    assert recorded.data == data
    defaults = read(edited(options={"paths": ["x"]}))
    assert (defaults.standards, defaults.profile, defaults.waivers, defaults.root) == ((), None, (), None)
    assert (defaults.snippets, defaults.limits, defaults.today) == (True, {}, None)


def test_recorded_limits_are_capped_at_the_defaults() -> None:
    limits = {"max_bytes": 10**12, "max_depth": 0, "max_nodes": True, "bogus": 5}
    recorded = read(edited(options={"paths": ["x"], "limits": limits}))
    assert recorded.limits == {"max_bytes": Limits().max_bytes, "max_depth": 1}
    assert read(edited(options={"paths": ["x"], "limits": [1, 2]})).limits == {}
    lower = {"max_bytes": 5, "max_depth": 7, "max_nodes": Limits().max_nodes}
    assert read(edited(options={"paths": ["x"], "limits": lower})).limits == lower


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "r.json: not a JSON report: "),
        ("[]", "r.json: not an ocp-check JSON report (report_format 1.0)"),
        (json.dumps(edited(report_format="2.0")), "r.json: not an ocp-check JSON report (report_format 1.0)"),
        (json.dumps(edited(options=[])), "r.json: not an ocp-check JSON report (report_format 1.0)"),
        (
            json.dumps(edited(options={"paths": []})),
            "r.json: the report does not record the paths it checked",
        ),
        (json.dumps(edited(options={})), "r.json: the report does not record the paths it checked"),
        (
            json.dumps(edited(options={"paths": ["-"]})),
            "r.json: input read from standard input cannot be verified",
        ),
    ],
)
def test_what_is_not_a_verifiable_report_is_a_usage_error(text: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        read_report(text, "r.json")
    assert str(caught.value).startswith(message)
