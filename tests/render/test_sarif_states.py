"""SARIF from a real city evaluation: only active findings are failing results, and every rule
descriptor carries the level its results have (raised by the profile where it is)."""

from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LEVELS = {"MUST": "error", "MUST NOT": "error", "SHOULD": "warning", "SHOULD NOT": "warning", "MAY": "note"}
RANK = {"MAY": 0, "SHOULD": 1, "SHOULD NOT": 1, "MUST": 2, "MUST NOT": 2}


def test_disabled_clauses_give_no_failing_results_and_levels_follow_the_profile(run):
    result = run(
        "check",
        str(REPO / "examples" / "bids" / "panoptic-insights"),
        "--profile",
        str(REPO / "examples" / "profiles" / "ontario-municipality.yaml"),
        "--format",
        "sarif",
        "--today",
        "2026-12-01",
    )
    assert result.exit_code == 1
    (sarif_run,) = json.loads(result.stdout)["runs"]
    results = sarif_run["results"]
    rules = sarif_run["tool"]["driver"]["rules"]

    disabled = [r for r in results if r["properties"]["state"] == "disabled"]
    # The profile disables DX-7.1 (the city's gateway documents rate limits).
    assert len(disabled) == 4 and {r["properties"]["clause"] for r in disabled} == {"DX-7.1"}
    for r in disabled:
        assert (r["kind"], r["level"]) == ("informational", "none")
        assert "suppressions" not in r
    for r in results:
        if r["properties"]["state"] == "active":
            assert r["kind"] == "fail"
            assert r["level"] == LEVELS[r["properties"]["level"]], r["ruleId"]
        else:
            assert r["kind"] != "fail", r

    # DG-5.2 is a SHOULD in 1.0; the profile makes it a MUST: its results are errors.
    residency = [r for r in results if r["properties"]["clause"] == "DG-5.2"]
    assert residency and {(r["properties"]["level"], r["level"]) for r in residency} == {("MUST", "error")}

    for index, descriptor in enumerate(rules):
        mine = [r for r in results if r["ruleIndex"] == index]
        assert mine, descriptor["id"]
        assert all(r["ruleId"] == descriptor["id"] for r in mine)
        strongest = max((r["properties"]["level"] for r in mine), key=RANK.__getitem__)
        assert RANK[descriptor["properties"]["level"]] == RANK[strongest], descriptor["id"]
        assert descriptor["defaultConfiguration"]["level"] == LEVELS[descriptor["properties"]["level"]]
