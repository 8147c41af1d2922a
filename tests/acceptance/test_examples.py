"""The example bids of examples/, checked as a procurement officer would check them.

The expected findings live in tests/acceptance/expected/<bid>.yaml. They were written by hand
after reviewing each finding of the bid, so a change in a rule or a standard that moves one
of them must be looked at, not regenerated: either the example or the expectation is wrong.

Every check pins ``--today`` so that waiver expiry and clause effective dates (DG-5.5 is in
force from 2027-07-01) do not depend on the day the tests run.
"""

from __future__ import annotations

import copy
import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO

BIDS = (
    "airshed-air-quality",
    "curbside-lpr-enforcement",
    "harbourview-sensors",
    "lakeshore-micromobility",
    "panoptic-insights",
    "qualite-air-val-des-cedres",
    "riverside-traffic-vision",
    "waterfront-kiosk-wifi",
)
# The bids whose expectation gives every finding under the Ontario profile (Lakeshore gives
# the findings the profile adds and Panoptic only its verdict; each has its own test below).
PROFILE_BIDS = (
    "airshed-air-quality",
    "curbside-lpr-enforcement",
    "harbourview-sensors",
    "riverside-traffic-vision",
    "waterfront-kiosk-wifi",
)
EXPECTED = Path(__file__).parent / "expected"
PROFILE = "examples/profiles/ontario-municipality.yaml"
ANNUAL_REVIEW = "examples/profiles/ontario-municipality-annual-review.yaml"
YEAR_TWO = "examples/compliance/harbourview-sensors-year2"
CITY_WAIVERS = "examples/waivers/harbourview-city-waivers.yaml"
TODAY = "2026-12-01"

Finding = tuple[str, str, str, str]


@pytest.fixture(autouse=True)
def _from_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository root, with the paths the README gives."""
    monkeypatch.chdir(REPO)


def expected(bid: str) -> dict[str, Any]:
    return yaml.safe_load((EXPECTED / f"{bid}.yaml").read_text("utf-8"))


def expected_profile(bid: str) -> dict[str, Any]:
    profile: dict[str, Any] = expected(bid).get("profile", {})
    return profile


def as_tuples(items: list[list[str]]) -> Counter[Finding]:
    return Counter((rule, clause or "", file, pointer) for rule, clause, file, pointer in items)


def found(submission: dict[str, Any], prefix: str = "") -> Counter[Finding]:
    out: Counter[Finding] = Counter()
    for f in submission["findings"]:
        file = f["location"]["file"]
        assert file.startswith(prefix), file
        out[(f["rule"], f["clause"] or "", file[len(prefix) :], f["location"].get("pointer", ""))] += 1
    return out


def counts(submission: dict[str, Any]) -> dict[str, int]:
    return {k: submission["counts"][k] for k in ("error", "warning", "info", "waived")}


_REPORTS: dict[tuple[str, ...], tuple[int, dict[str, Any]]] = {}


def check(run, *args: str) -> tuple[int, dict[str, Any]]:
    """``ocp-check check ARGS --format json --today TODAY``; the examples do not change during
    a test session, so each distinct check runs once (the report is validated against its schema)."""
    if args not in _REPORTS:
        result = run("check", *args, "--format", "json", "--today", TODAY)
        _REPORTS[args] = (result.exit_code, result.json())
    code, report = _REPORTS[args]
    return code, copy.deepcopy(report)


def by_rule(submission: dict[str, Any], rule: str, pointer: str | None = None) -> dict[str, Any]:
    matches = [
        f
        for f in submission["findings"]
        if f["rule"] == rule and (pointer is None or f["location"]["pointer"] == pointer)
    ]
    assert len(matches) == 1, (rule, pointer, matches)
    return matches[0]


# --- each bid on its own -------------------------------------------------------------------


@pytest.mark.parametrize("bid", BIDS)
def test_each_bid_has_its_reviewed_verdict_and_findings(run, bid):
    want = expected(bid)
    code, report = check(run, f"examples/bids/{bid}")
    (submission,) = report["submissions"]
    assert submission["name"] == f"examples/bids/{bid}"
    assert submission["verdict"] == want["verdict"]
    assert code == (0 if want["verdict"] == "conformant" else 1)
    assert found(submission) == as_tuples(want["findings"])
    assert counts(submission) == want["counts"]


@pytest.mark.parametrize("bid", BIDS)
def test_every_document_of_every_bid_loads_and_is_recognised(run, bid):
    """Even the bad bid is a bad bid, not a broken file: no load, schema or detection finding."""
    _, report = check(run, f"examples/bids/{bid}")
    (submission,) = report["submissions"]
    assert sorted(d["kind"] for d in submission["documents"]) == [
        "data-manifest",
        "openapi",
        "retention-policy",
    ]
    assert not [
        f for f in submission["findings"] if f["rule"] in ("load", "schema", "detect", "ref", "incomplete")
    ]
    declared = {d["kind"]: d["standard"] for d in submission["documents"]}
    assert declared == {
        "data-manifest": "ocp-data-governance@2.0.0",
        "retention-policy": "ocp-data-retention@2.0.0",
        "openapi": "ocp-api-exchange@2.0.0",
    }


@pytest.mark.parametrize("bid", BIDS)
def test_findings_do_not_depend_on_the_date(run, bid):
    """No example's findings change with the date (DG-5.5 of 1.1 came into force on 2027-07-01;
    in 2.0 it is in force for Québec public bodies)."""
    _, before = check(run, f"examples/bids/{bid}")
    result = run("check", f"examples/bids/{bid}", "--format", "json", "--today", "2027-07-02")
    after = result.json()
    assert found(after["submissions"][0]) == found(before["submissions"][0])


def test_the_quick_start_bid_is_clean_even_at_info_level(run):
    result = run("check", "examples/bids/harbourview-sensors", "--fail-on", "info", "--no-color")
    assert result.exit_code == 0, result.stdout
    assert "✔ conformant" in result.stdout
    assert "0 errors, 0 warnings, 0 info, 0 waived" in result.stdout
    _, report = check(run, "examples/bids/harbourview-sensors")
    (submission,) = report["submissions"]
    # The second schema file is reached through $ref, so it is a fragment, not a document.
    assert submission["fragments"] == ["schemas/counts.yaml"]
    statuses = Counter(c["status"] for c in submission["clauses"])
    assert statuses["fail"] == 0
    # DG-6.4, DG-9.5, DG-9.6, DG-10.4 (government requests recorded), DR-3.6, DR-4.3, DX-5.3.
    assert statuses["attested"] == 7


def test_the_bad_bid_fails_the_clauses_it_was_written_to_fail(run):
    _, report = check(run, "examples/bids/panoptic-insights")
    (submission,) = report["submissions"]
    failed = {c["clause"] for c in submission["clauses"] if c["status"] == "fail"}
    # Sale, residency, retention, ownership, portability, unauthenticated personal data.
    assert {"DG-3.2", "DG-5.2", "DG-5.3", "DR-2.2", "DG-7.1", "DG-8.1", "DX-4.1", "XD-3", "DX-6.2"} <= failed
    errors = [f for f in submission["findings"] if f["severity"] == "error"]
    assert len(errors) >= 50
    assert {f["level"] for f in errors} <= {"MUST", "MUST NOT"}


# --- a folder of bids ----------------------------------------------------------------------


def test_the_folder_of_bids_is_one_submission_per_bid(run):
    code, report = check(run, "examples/bids/")
    names = [s["name"] for s in report["submissions"]]
    assert names == [f"examples/bids/{bid}" for bid in BIDS]
    assert code == 1
    assert report["verdict"] == "nonconformant"
    for bid, submission in zip(BIDS, report["submissions"], strict=True):
        want = expected(bid)
        assert submission["verdict"] == want["verdict"], bid
        # The root is the folder given, so file names carry the bid's folder.
        assert found(submission, prefix=f"{bid}/") == as_tuples(want["findings"]), bid
        assert counts(submission) == want["counts"], bid


def test_the_folder_of_bids_with_the_city_waivers(run):
    code, report = check(run, "examples/bids/", "--waivers", CITY_WAIVERS)
    verdicts = {s["name"].rsplit("/", 1)[-1]: s["verdict"] for s in report["submissions"]}
    assert verdicts == {
        "airshed-air-quality": "conformant",
        "curbside-lpr-enforcement": "nonconformant",
        "harbourview-sensors": "conformant",
        "lakeshore-micromobility": "conformant",
        "panoptic-insights": "nonconformant",
        "qualite-air-val-des-cedres": "conformant",
        "riverside-traffic-vision": "nonconformant",
        "waterfront-kiosk-wifi": "nonconformant",
    }
    assert code == 1
    (waiver,) = report["waivers"]
    assert (waiver["id"], waiver["matched"], waiver["expired"]) == ("HV-2026-021", 1, False)


@pytest.mark.parametrize("jobs", ["1", "2", "3"])
def test_parallel_runs_give_the_serial_report(run, jobs):
    """Workers serve several bids each: the report (waiver usage included) must not depend on
    how many workers there are or which bid each one took."""
    serial = run(
        "check", "examples/bids/", "--waivers", CITY_WAIVERS, "-f", "json", "--today", TODAY, "-j", "1"
    )
    parallel = run(
        "check", "examples/bids/", "--waivers", CITY_WAIVERS, "-f", "json", "--today", TODAY, "-j", jobs
    )
    assert parallel.stdout == serial.stdout
    assert json.loads(serial.stdout)["waivers"][0]["matched"] == 1


# --- the city's waiver ---------------------------------------------------------------------


def test_without_the_waiver_lakeshore_is_nonconformant_because_of_one_must(run):
    code, report = check(run, "examples/bids/lakeshore-micromobility")
    (submission,) = report["submissions"]
    assert code == 1
    active_errors = [f for f in submission["findings"] if f["state"] == "active" and f["severity"] == "error"]
    assert [f["rule"] for f in active_errors] == ["DX-2.7-no-key-in-query"]


def test_the_city_waiver_makes_lakeshore_conformant_and_is_shown(run):
    want = expected("lakeshore-micromobility")["with_city_waiver"]
    code, report = check(run, "examples/bids/lakeshore-micromobility", "--waivers", CITY_WAIVERS)
    (submission,) = report["submissions"]
    assert code == 0
    assert submission["verdict"] == want["verdict"]
    assert counts(submission) == want["counts"]
    # Waiving never hides a finding: the set of findings is the same as without the waiver.
    assert found(submission) == as_tuples(expected("lakeshore-micromobility")["findings"])
    waived = sorted(
        (f["rule"], f["waiver"]["id"], f["waiver"]["issuer"])
        for f in submission["findings"]
        if f["state"] == "waived"
    )
    assert waived == sorted(tuple(w) for w in want["waived"])
    key = by_rule(submission, "DX-2.7-no-key-in-query")
    assert key["waiver"]["approved_by"] == "Daniel Tremblay, Director of Procurement, City of Harbourview"
    assert key["waiver"]["expires"] == "2027-06-30"
    assert key["waiver"]["honoured"] is True
    assert "CurbWatch" in key["waiver"]["reason"]
    status = {c["clause"]: c["status"] for c in submission["clauses"]}
    assert status["DX-2.7"] == "waived"

    text = run(
        "check",
        "examples/bids/lakeshore-micromobility",
        "--waivers",
        CITY_WAIVERS,
        "--today",
        TODAY,
        "--no-color",
        "--no-snippets",
    )
    assert text.exit_code == 0
    assert (
        "waiver HV-2026-021 (city, honoured): approved by Daniel Tremblay, Director of Procurement, "
        "City of Harbourview, expires 2027-06-30"
    ) in text.stdout
    assert "✔ conformant" in text.stdout


@pytest.mark.parametrize(("today", "code"), [("2027-06-30", 0), ("2027-07-01", 1)])
def test_the_waiver_holds_until_its_last_day_and_then_fails_again(run, today, code):
    result = run(
        "check",
        "examples/bids/lakeshore-micromobility",
        "--waivers",
        CITY_WAIVERS,
        "--format",
        "json",
        "--today",
        today,
    )
    assert result.exit_code == code
    (submission,) = result.json()["submissions"]
    key = by_rule(submission, "DX-2.7-no-key-in-query")
    assert key["waiver"]["id"] == "HV-2026-021"
    if code == 0:
        assert (key["state"], key["waiver"]["honoured"]) == ("waived", True)
    else:
        assert (key["state"], key["waiver"]["honoured"]) == ("active", False)
        assert "expired on 2027-06-30" in key["waiver"]["note"]
        assert submission["verdict"] == "nonconformant"


def test_the_city_waivers_file_validates(run):
    assert run("waivers", "validate", CITY_WAIVERS, "--today", TODAY).exit_code == 0
    assert run("waivers", "validate", CITY_WAIVERS, "--today", "2027-07-01").exit_code == 1


# --- the Ontario profile -------------------------------------------------------------------


def test_the_ontario_profile_turns_the_quick_start_bid_nonconformant(run):
    """The verdict change described in examples/README.md."""
    want = expected("harbourview-sensors")["profile"]
    code_default, default = check(run, "examples/bids/harbourview-sensors")
    code, report = check(run, "examples/bids/harbourview-sensors", "--profile", PROFILE)
    (submission,) = report["submissions"]
    assert (code_default, default["submissions"][0]["verdict"]) == (0, "conformant")
    assert (code, submission["verdict"]) == (1, want["verdict"])
    assert found(submission) == as_tuples(want["findings"])
    assert counts(submission) == want["counts"]
    residency = by_rule(submission, "DG-5.2-backup-residency")
    assert (residency["level"], residency["severity"]) == ("MUST", "error")
    assert residency["standard"] == "ocp-data-governance@2.0.0"
    status = {c["clause"]: c for c in submission["clauses"]}
    assert status["DG-5.2"]["status"] == "fail"
    assert status["DX-7.1"]["status"] == "disabled"


def test_the_ontario_profile_does_not_honour_the_vendors_own_waiver(run):
    want = expected("lakeshore-micromobility")
    code, report = check(run, "examples/bids/lakeshore-micromobility", "--profile", PROFILE)
    (submission,) = report["submissions"]
    assert (code, submission["verdict"]) == (1, want["profile"]["verdict"])
    assert counts(submission) == want["profile"]["counts"]
    assert found(submission) == as_tuples(want["findings"]) + as_tuples(want["profile"]["extra_findings"])
    trips = by_rule(submission, "DR-2.7-raw-location-max", "/rules/0/maximum_retention")
    assert trips["state"] == "active"
    assert (trips["waiver"]["id"], trips["waiver"]["issuer"], trips["waiver"]["honoured"]) == (
        "LMS-2026-01",
        "vendor",
        False,
    )
    assert "not honoured in a city evaluation" in trips["waiver"]["note"]
    # With the City's own waiver, the City's evaluation accepts the bid.
    code, report = check(
        run, "examples/bids/lakeshore-micromobility", "--profile", PROFILE, "--waivers", CITY_WAIVERS
    )
    assert (code, report["submissions"][0]["verdict"]) == (0, "conformant")


@pytest.mark.parametrize("bid", PROFILE_BIDS)
def test_each_bid_under_the_ontario_profile(run, bid):
    want = expected_profile(bid)
    code, report = check(run, f"examples/bids/{bid}", "--profile", PROFILE)
    (submission,) = report["submissions"]
    assert (code, submission["verdict"]) == (0 if want["verdict"] == "conformant" else 1, want["verdict"])
    assert found(submission) == as_tuples(want["findings"])
    assert counts(submission) == want["counts"]


def test_the_profile_makes_the_prohibited_uses_binding(run):
    """The City's policy raises DG-11.1 to MUST NOT and adds a use to the standard's list."""
    _, default = check(run, "examples/bids/curbside-lpr-enforcement")
    _, profiled = check(run, "examples/bids/curbside-lpr-enforcement", "--profile", PROFILE)
    before = by_rule(default["submissions"][0], "DG-11.1-no-prohibited-capability")
    after = by_rule(profiled["submissions"][0], "DG-11.1-no-prohibited-capability")
    assert (before["level"], before["severity"]) == ("SHOULD NOT", "warning")
    assert (after["level"], after["severity"]) == ("MUST NOT", "error")
    excluded = by_rule(profiled["submissions"][0], "DG-11.2-excluded-uses")
    assert "ocp:PredictiveRiskScoringOfIndividuals" in excluded["message"]


def test_the_records_bylaw_pack_finds_an_item_the_bylaw_does_not_have(run, tmp_path):
    """Every bid names items of the City's by-law; an item it does not have is an error under
    the profile (DR-12.1 raised to MUST, the local rule attached to it)."""
    for bid in BIDS:
        _, report = check(run, f"examples/bids/{bid}", "--profile", PROFILE)
        rules = {f["rule"] for f in report["submissions"][0]["findings"]}
        assert "HV-RECORDS-bylaw-item" not in rules, bid
    bid = tmp_path / "bid"
    shutil.copytree(REPO / "examples" / "bids" / "harbourview-sensors", bid)
    policy = bid / "retention-policy.yaml"
    policy.write_text(policy.read_text("utf-8").replace("item: T-4.3", "item: T-4.7"), "utf-8")
    result = run("check", str(bid), "--profile", PROFILE, "--format", "json", "--today", TODAY)
    assert result.exit_code == 1
    (submission,) = result.json()["submissions"]
    finding = by_rule(submission, "HV-RECORDS-bylaw-item")
    assert finding["clause"] == "DR-12.1"
    assert finding["location"]["pointer"] == "/rules/1/records_schedule/item"
    assert (finding["level"], finding["severity"]) == ("MUST", "error")
    assert "T-4.7" in finding["message"]


def test_the_low_risk_bid_is_not_applicable_for_the_right_reasons(run):
    """No personal information: the privacy clauses do not apply, and each says why."""
    _, report = check(run, "examples/bids/airshed-air-quality")
    (submission,) = report["submissions"]
    status = {c["clause"]: c for c in submission["clauses"]}
    assert not [c for c in submission["clauses"] if c["status"] in ("fail", "not-checked")]
    reasons = {
        "DG-5.2": "no data category holds personal information",
        "DG-11.3": "the system does not observe people in the public realm",
        "DG-11.4": "the system is not determined to be surveillance technology",
        "DG-12.2": "the manifest declares no AI component",
        "DG-16.1": "no data category holds personal information",
        "DR-2.3": "no retention rule covers personal information",
        "XD-18": "no compliance report in this submission (an optional document)",
    }
    for clause, reason in reasons.items():
        assert status[clause]["status"] == "not-applicable", clause
        assert reason in status[clause]["reason"], (clause, status[clause]["reason"])
    # Clauses about the system as a whole still apply, and pass.
    for clause in ("DG-7.1", "DG-9.4", "DG-13.1", "DG-14.3", "DG-18.1", "DG-20.1", "DR-12.1"):
        assert status[clause]["status"] in ("pass", "attested"), clause


def test_the_bad_bid_stays_nonconformant_under_the_profile(run):
    code, report = check(run, "examples/bids/panoptic-insights", "--profile", PROFILE)
    assert (code, report["submissions"][0]["verdict"]) == (1, "nonconformant")


# --- a system in service: the year-two compliance report ------------------------------------


def test_the_year_two_report_is_checked_with_the_documents_beside_it(run):
    want = expected("harbourview-sensors-year2")
    code, report = check(run, YEAR_TWO)
    (submission,) = report["submissions"]
    assert (code, submission["verdict"]) == (1, want["verdict"])
    assert found(submission) == as_tuples(want["findings"])
    assert counts(submission) == want["counts"]
    declared = {d["kind"]: d["standard"] for d in submission["documents"]}
    assert declared == {
        "data-manifest": "ocp-data-governance@2.0.0",
        "retention-policy": "ocp-data-retention@2.0.0",
        "openapi": "ocp-api-exchange@2.0.0",
        "compliance-report": "ocp-compliance-report@1.0.0",
    }
    assert submission["fragments"] == ["schemas/counts.yaml"]
    status = {c["clause"]: c["status"] for c in submission["clauses"]}
    # Every cross-check of the report against the manifest is judged, not skipped.
    assert {status[f"XD-{n}"] for n in range(18, 27)} <= {"pass", "fail"}
    assert not [c for c in submission["clauses"] if c["status"] == "not-checked"]


def test_the_year_two_documents_are_the_bids_but_for_what_the_report_says_changed():
    """The API and its schemas are the bid's, byte for byte; the manifest differs from the
    bid's only in its revision, date, system version and retrained model."""
    bid = REPO / "examples" / "bids" / "harbourview-sensors"
    year2 = REPO / YEAR_TWO
    for name in ("openapi.yaml", "schemas/counts.yaml"):
        assert (year2 / name).read_bytes() == (bid / name).read_bytes(), name
    before = yaml.safe_load((bid / "data-manifest.yaml").read_text("utf-8"))
    after = yaml.safe_load((year2 / "data-manifest.yaml").read_text("utf-8"))
    assert (before["manifest_revision"], after["manifest_revision"]) == (2, 3)
    assert after["surveillance_review"]["council_approval"]["approved_manifest_revision"] == 2
    for key in ("manifest_revision", "last_updated", "system", "ai_components"):
        before.pop(key), after.pop(key)
    assert after == before


def test_the_annual_review_profile_requires_the_report(run):
    want = expected("harbourview-sensors-year2")["profile"]
    code, report = check(run, YEAR_TWO, "--profile", ANNUAL_REVIEW)
    (submission,) = report["submissions"]
    assert (code, submission["verdict"]) == (1, want["verdict"])
    assert found(submission) == as_tuples(want["findings"])
    assert counts(submission) == want["counts"]
    council = by_rule(submission, "CR-5.3-council-reapproval")
    assert (council["level"], council["severity"]) == ("MUST", "error")
    # A bid, which has no report, is incomplete for a yearly review.
    code, report = check(run, "examples/bids/harbourview-sensors", "--profile", ANNUAL_REVIEW)
    (submission,) = report["submissions"]
    missing = by_rule(submission, "submission")
    assert "no compliance report" in missing["message"]
    assert missing["severity"] == "error"


# --- the documentation ---------------------------------------------------------------------


def test_the_examples_readme_names_every_bid_and_command():
    text = (REPO / "examples" / "README.md").read_text("utf-8")
    for needle in (
        *BIDS,
        "ocp-check check examples/bids/",
        f"--waivers {CITY_WAIVERS} --today 2026-12-01",
        "--today 2027-07-01",
        f"--profile {PROFILE}",
        "ocp-check init submission",
    ):
        assert needle in text, needle
    for bid in BIDS:
        assert (REPO / "examples" / "bids" / bid / "README.md").is_file()


# --- the bid written in French, for a Québec municipality ---------------------------------

FRENCH_BID = "examples/bids/qualite-air-val-des-cedres"


@pytest.mark.parametrize(
    ("profile", "key"),
    [("examples/profiles/municipalite-quebec.yaml", "quebec_profile"),
     ("examples/profiles/ville-bilingue-ottawa.yaml", "bilingual_profile")],
)  # fmt: skip
def test_the_french_bid_under_the_quebec_and_the_bilingual_profiles(run, profile, key):
    """The notice in French only meets a Québec municipality's requirement (DG-21.1: French)
    and not a bilingual city's (English and French)."""
    want = expected("qualite-air-val-des-cedres")[key]
    code, report = check(run, FRENCH_BID, "--profile", profile)
    (submission,) = report["submissions"]
    assert submission["verdict"] == want["verdict"]
    assert code == (0 if want["verdict"] == "conformant" else 1)
    assert found(submission) == as_tuples(want["findings"])
    assert counts(submission) == want["counts"]


def test_the_french_bid_declares_a_notice_in_french_and_the_profiles_require_it():
    manifest = yaml.safe_load((REPO / FRENCH_BID / "data-manifest.yaml").read_text("utf-8"))
    assert manifest["transparency"]["languages"] == ["fr"]
    assert manifest["accountable_organization"]["jurisdiction"] == "loc:CA-QC"
    for name, langs in (("municipalite-quebec", ["fr"]), ("ville-bilingue-ottawa", ["en", "fr"])):
        profile = yaml.safe_load((REPO / "examples" / "profiles" / f"{name}.yaml").read_text("utf-8"))
        assert profile["parameters"]["ocp-data-governance"]["required_notice_languages"] == langs
