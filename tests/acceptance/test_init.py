"""The vendor's first hour: ``ocp-check init``, the "still to fill in" list, a filled bid that passes.

A vendor runs ``ocp-check init submission bid/``, gets three commented templates, runs the check
and sees every ``TODO`` placeholder listed as ``incomplete``. Filling each placeholder with a
real value must give a conformant bid: the templates' structure and pre-filled values are
what the standards ask for, so only the vendor's facts are left to write.

The filled bid below is a realistic one: Ridgeway Parking Technologies' pay-by-plate app for
the City of Harbourview, with one personal category (parking sessions) and one anonymised
open-data aggregate (hourly occupancy). ``FILL`` maps each placeholder, by file and JSON
Pointer, to its value. A list given for a placeholder that is an array item replaces that item
with the list's items (``pd_categories: ["TODO: ..."]`` becomes two categories).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO

STANDARDS = REPO / "standards"
TODAY = "2026-12-01"

MANIFEST: dict[str, Any] = {
    "/system/id": "ridgeway-parkhere",
    "/system/name": "ParkHere Harbourview",
    "/system/version": "4.0.2",
    "/system/vendor": "Ridgeway Parking Technologies Inc.",
    "/system/description": (
        "Drivers pay for on-street parking in Harbourview with the ParkHere app by entering their "
        "licence plate and zone; enforcement officers check plates against the paid sessions."
    ),
    "/system/deployment_context": "online",
    "/system/website": "https://ridgeway.example/parkhere",
    "/accountable_organization/name": "City of Harbourview",
    "/accountable_organization/jurisdiction": "loc:CA-ON",
    "/accountable_organization/contact_email": "parking-data@harbourview.example",
    "/accountable_organization/privacy_officer/name": "Amira Okafor",
    "/accountable_organization/privacy_officer/title": "Access and Privacy Officer, City Clerk's Office",
    "/accountable_organization/privacy_officer/email": "privacy@harbourview.example",
    "/operators/0/name": "Ridgeway Parking Technologies Inc.",
    "/operators/0/jurisdiction": "loc:CA-ON",
    "/operators/0/services": "Operates the ParkHere app and the enforcement back office for the City.",
    "/operators/0/contact_email": "privacy@ridgeway.example",
    "/operators/1/name": "Maple Region Hosting Inc.",
    "/operators/1/jurisdiction": "loc:CA-ON",
    "/operators/1/services": "Hosting and encrypted backups in its Toronto data centres.",
    # The personal category: paid parking sessions.
    "/data_categories/0/id": "parking_sessions",
    "/data_categories/0/label": "Paid parking sessions",
    "/data_categories/0/description": (
        "One record per paid session: licence plate, parking zone, start and end time and amount paid. "
        "Seven days after the session the plate is replaced by a keyed hash."
    ),
    "/data_categories/0/nature": "dpv:PersonalData",
    "/data_categories/0/pd_categories/0": ["pd:VehicalLicenseNumber", "pd:Location"],
    "/data_categories/0/sensitive": True,
    "/data_categories/0/origin": "provided",
    "/data_categories/0/source": "dpv:DataSubjectDataSource",
    "/data_categories/0/collection_tech/0": "ocp:mobile_app",
    "/data_categories/0/purposes/0": ["dpv:PaymentManagement", "dpv:LegalCompliance"],
    "/data_categories/0/legal_basis/0": "ocp:MunicipalStatutoryAuthority",
    "/data_categories/0/necessity": (
        "Officers can only check payment against the plate; the zone and times set the fee and the "
        "time limit. No name, address or payment card reaches the City."
    ),
    "/data_categories/0/deidentification/applied": True,
    "/data_categories/0/deidentification/point": "at_rest",
    "/data_categories/0/deidentification/techniques/0": "dpv:Pseudonymisation",
    "/data_categories/0/storage/locations/0": "loc:CA-ON",
    "/data_categories/0/storage/backup_locations/0": "loc:CA-ON",
    "/data_categories/0/storage/cloud_provider": "Maple Region Hosting Inc.",
    "/data_categories/0/storage/cross_border": False,
    "/data_categories/0/access/1": "dtpr:available_to_vendor",
    "/data_categories/0/retention_ref": "parking_sessions",
    # The anonymised aggregate published as open data.
    "/data_categories/1/id": "hourly_occupancy",
    "/data_categories/1/label": "Hourly paid occupancy by block face",
    "/data_categories/1/description": "Number of paid sessions per block face and hour; cells under 10 are suppressed.",
    "/data_categories/1/derived_from/0": "parking_sessions",
    "/data_categories/1/purposes/0": "dpv:PublicPolicyMaking",
    "/data_categories/1/deidentification/params/k": 10,
    "/data_categories/1/deidentification/params/minimum_cell_count": 10,
    "/data_categories/1/deidentification/params/spatial_resolution": "block face",
    "/data_categories/1/deidentification/params/temporal_resolution": "PT1H",
    "/data_categories/1/storage/locations/0": "loc:CA-ON",
    "/data_categories/1/storage/backup_locations/0": "loc:CA-ON",
    "/data_categories/1/storage/cloud_provider": "Maple Region Hosting Inc.",
    "/data_categories/1/storage/cross_border": False,
    "/data_categories/1/retention_ref": "hourly_occupancy",
    "/data_categories/1/open_data/portal_url": "https://open.harbourview.example/dataset/paid-parking-occupancy",
    "/ownership/notes": "Parking services agreement HV-2026-052, schedule B (data).",
    "/portability/exit_plan_url": "https://ridgeway.example/harbourview/exit-plan.pdf",
    "/assessments/pia/date": "2026-09-15",
    "/assessments/pia/url": "https://www.harbourview.example/privacy/pia/parkhere",
    "/assessments/pia/assessor": "City of Harbourview Access and Privacy Office",
    "/transparency/public_notice_url": "https://www.harbourview.example/parking/data",
    "/security/breach_contact/name": "Ridgeway Security Operations",
    "/security/breach_contact/email": "security@ridgeway.example",
    "/security/breach_contact/phone": "+1-905-555-0166",
    "/attestations/DG-6.4/answer": "yes",
    "/attestations/DG-6.4/statement": "Plate look-ups are limited to the enforcement role, logged, and reviewed monthly.",
    "/attestations/DG-6.4/evidence_url": "https://ridgeway.example/trust/access-review.pdf",
    "/attestations/DG-9.5/answer": "yes",
    "/attestations/DG-9.5/statement": "Every incident involving City data is entered in the incident register and kept 24 months.",
    "/attestations/DG-9.5/evidence_url": "https://ridgeway.example/trust/incident-register.pdf",
    "/attestations/DG-9.6/answer": "yes",
    "/attestations/DG-9.6/statement": "An independent firm tests the app and back office every year.",
    "/attestations/DG-9.6/evidence_url": "https://ridgeway.example/trust/pentest-2026.pdf",
    "/attestations/DR-3.6/answer": "yes",
    "/attestations/DR-3.6/statement": "A nightly job applies the schedule at Ridgeway and at the host and logs each run.",
    "/attestations/DR-3.6/evidence_url": "https://ridgeway.example/trust/disposition.pdf",
    "/attestations/DR-4.3/answer": "yes",
    "/attestations/DR-4.3/statement": "Backups expire after 35 days; restores re-apply the schedule.",
    "/attestations/DR-4.3/evidence_url": "https://ridgeway.example/trust/backups.pdf",
    "/attestations/DX-5.3/answer": "yes",
    "/attestations/DX-5.3/statement": "Operations are deprecated and announced 180 days before removal.",
    "/attestations/DX-5.3/evidence_url": "https://ridgeway.example/parkhere/api/deprecation",
}

RETENTION: dict[str, Any] = {
    "/policy_version": "1.0.0",
    "/title": "ParkHere Harbourview: retention and disposition schedule",
    "/system_id": "ridgeway-parkhere",
    "/effective_date": "2026-11-01",
    "/review_date": "2027-10-31",
    "/owner/name": "Ridgeway Parking Technologies Inc., Privacy Office",
    "/owner/role": "Privacy Officer",
    "/owner/contact_email": "privacy@ridgeway.example",
    "/rules/0/data_category": "parking_sessions",
    "/rules/0/description": "Paid parking sessions (plate, zone, times, amount).",
    "/rules/0/personal_information": True,
    "/rules/0/raw_location": False,
    "/rules/0/jurisdiction": "loc:CA-ON",
    "/rules/0/trigger": "last_use",
    "/rules/0/minimum_retention": "P1Y",
    "/rules/0/active_retention": "P2Y",
    "/rules/0/maximum_retention": "P2Y",
    "/rules/0/disposition/method": "dpv:Erase",
    "/rules/0/disposition/standard": "NIST SP 800-88 Rev. 1 (Purge)",
    "/rules/0/backups/included": True,
    "/rules/0/backups/max_backup_lag": "P35D",
    "/rules/0/backups/locations/0": "loc:CA-ON",
    "/rules/0/derived_data/categories/0": "hourly_occupancy",
    "/rules/0/retention_basis": (
        "MFIPPA, R.R.O. 1990, Reg. 823, s. 5 (one year after last use); the City's records schedule "
        "keeps parking payment records two years."
    ),
    "/rules/1/data_category": "hourly_occupancy",
    "/rules/1/description": "Hourly paid occupancy per block face, aggregated from parking_sessions.",
    "/rules/1/jurisdiction": "loc:CA-ON",
    "/rules/1/active_retention": "P10Y",
    "/rules/1/backups/included": True,
    "/rules/1/backups/max_backup_lag": "P35D",
    "/rules/1/backups/locations/0": "loc:CA-ON",
    "/rules/1/retention_basis": "City of Harbourview records schedule, transportation statistics (ten years).",
    "/legal_holds/process_url": "https://ridgeway.example/harbourview/legal-holds",
    "/contract_end/deletion_after_return": "P30D",
    "/transparency/notice_url": "https://www.harbourview.example/parking/data",
}

OPENAPI: dict[str, Any] = {
    "/info/title": "ParkHere Harbourview API",
    "/info/version": "4.0.0",
    "/info/description": (
        "Paid parking sessions for City enforcement systems (personal information, OAuth 2.0 client "
        "credentials) and hourly occupancy as open data."
    ),
    "/info/contact/name": "Ridgeway API support",
    "/info/contact/email": "api@ridgeway.example",
    "/servers/0/url": "https://api.parkhere.ridgeway.example",
    "/servers/0/description": "Production, hosted in Toronto (Ontario).",
    "/paths/~1v1~1records/get/summary": "Paid parking sessions in a time window",
    "/paths/~1v1~1records/get/x-ocp-data-categories/0": "parking_sessions",
    "/paths/~1v1~1records/get/x-ocp-purpose/0": "dpv:LegalCompliance",
    "/paths/~1v1~1records/get/responses/200/description": "The sessions that started in the window.",
    "/paths/~1v1~1open-data/get/summary": "Hourly paid occupancy per block face (open data)",
    "/paths/~1v1~1open-data/get/x-ocp-data-categories/0": "hourly_occupancy",
    "/paths/~1v1~1open-data/get/responses/200/description": "Occupancy per block face and hour, suppressed under 10.",
    "/paths/~1v1~1exports~1{category}/get/x-ocp-data-categories/0": ["parking_sessions", "hourly_occupancy"],
    "/components/securitySchemes/cityOAuth/flows/clientCredentials/tokenUrl": (
        "https://auth.parkhere.ridgeway.example/oauth2/token"
    ),
    "/components/parameters/Category/schema/enum/0": ["parking_sessions", "hourly_occupancy"],
    "/components/responses/TooManyRequests/description": "The client exceeded 300 requests per minute.",
    "/components/schemas/Record/description": "One paid parking session.",
    "/components/schemas/Record/x-ocp-data-categories/0": "parking_sessions",
    "/components/schemas/Record/properties/id/description": "Random identifier of the session.",
    "/components/schemas/Record/properties/recorded_at/description": "When the session started.",
    "/components/schemas/OpenDataRow/description": "Paid occupancy of one block face during one hour.",
    "/components/schemas/OpenDataRow/x-ocp-data-categories/0": "hourly_occupancy",
    "/components/schemas/OpenDataRow/properties/area/description": "Identifier of the block face.",
}

FILL: dict[str, dict[str, Any]] = {
    "data-manifest.yaml": MANIFEST,
    "retention-policy.yaml": RETENTION,
    "openapi.yaml": OPENAPI,
}


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def placeholders(data: Any, pointer: str = "") -> list[str]:
    """JSON Pointers of every string starting with TODO, in document order."""
    if isinstance(data, str):
        return [pointer] if data.startswith("TODO") else []
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in placeholders(v, f"{pointer}/{_escape(str(k))}")]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in placeholders(v, f"{pointer}/{i}")]
    return []


def fill(data: Any, values: dict[str, Any]) -> Any:
    """Replace each placeholder by its value; splice a list given for an array item.

    Items are replaced from the end of each array so that splicing does not move the
    positions of the placeholders still to be replaced.
    """
    for pointer in sorted(
        values, key=lambda p: [int(t) if t.isdigit() else -1 for t in p.split("/")[1:]], reverse=True
    ):
        *parents, last = [_unescape(t) for t in pointer.split("/")[1:]]
        node = data
        for token in parents:
            node = node[int(token)] if isinstance(node, list) else node[token]
        current = node[int(last)] if isinstance(node, list) else node[last]
        assert isinstance(current, str) and current.startswith("TODO"), (
            f"{pointer} is not a placeholder: {current!r}"
        )
        value = values[pointer]
        if isinstance(node, list) and isinstance(value, list):
            node[int(last) : int(last) + 1] = value
        elif isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return data


def fill_bid(bid: Path) -> None:
    for name, values in FILL.items():
        path = bid / name
        data = yaml.safe_load(path.read_text("utf-8"))
        path.write_text(yaml.safe_dump(fill(data, values), sort_keys=False, allow_unicode=True), "utf-8")


def check(run, bid: Path, *extra: str, today: str = TODAY) -> tuple[int, dict[str, Any]]:
    result = run("check", str(bid), "--format", "json", "--today", today, *extra)
    return result.exit_code, result.json()["submissions"][0]


@pytest.fixture
def initialised(run, tmp_path: Path) -> Path:
    bid = tmp_path / "bid"
    result = run("init", "submission", str(bid))
    assert result.exit_code == 0, result.stderr
    for name in ("data-manifest.yaml", "retention-policy.yaml", "openapi.yaml"):
        assert f"wrote {bid / name}" in result.stdout
    assert f"ocp-check check {bid}" in result.stdout
    return bid


def test_a_fresh_submission_lists_every_placeholder_as_still_to_fill_in(run, initialised):
    code, submission = check(run, initialised)
    assert code == 1
    assert submission["verdict"] == "nonconformant"
    # Every template loads and is recognised as the document it is meant to be.
    kinds = {d["path"]: d["kind"] for d in submission["documents"]}
    assert kinds == {
        "data-manifest.yaml": "data-manifest",
        "retention-policy.yaml": "retention-policy",
        "openapi.yaml": "openapi",
    }
    assert not [f for f in submission["findings"] if f["rule"] == "load"]
    incomplete = [f for f in submission["findings"] if f["rule"] == "incomplete"]
    reported = {(f["location"]["file"], f["location"]["pointer"]) for f in incomplete}
    in_files = {
        (name, pointer)
        for name in FILL
        for pointer in placeholders(yaml.safe_load((initialised / name).read_text("utf-8")))
    }
    assert reported == in_files
    # The test's fill-in covers exactly the placeholders of the shipped templates.
    assert in_files == {(name, pointer) for name, values in FILL.items() for pointer in values}
    for f in incomplete:
        assert f["severity"] == "error"
        assert f["message"].startswith("still to fill in: ")
        assert len(f["message"]) > len("still to fill in: ") + 3, f
        assert "TODO" not in f["message"]
    messages = {f["message"] for f in incomplete}
    assert "still to fill in: the system's public name" in messages


def test_filling_every_placeholder_gives_a_conformant_bid(run, initialised):
    fill_bid(initialised)
    code, submission = check(run, initialised, "--fail-on", "info")
    assert submission["findings"] == []
    assert code == 0
    assert submission["verdict"] == "conformant"
    standards = {d["path"]: d["standard"] for d in submission["documents"]}
    assert standards == {
        "data-manifest.yaml": "ocp-data-governance@1.1.0",
        "retention-policy.yaml": "ocp-data-retention@1.0.0",
        "openapi.yaml": "ocp-api-exchange@1.0.0",
    }
    # Once DG-5.5 is in force the filled bid still passes (nothing leaves the province).
    code, submission = check(run, initialised, "--fail-on", "info", today="2027-07-02")
    assert (code, submission["findings"]) == (0, [])


def test_one_placeholder_left_is_the_only_finding(run, initialised):
    values = dict(MANIFEST)
    del values["/security/breach_contact/phone"]
    one_left = {**FILL, "data-manifest.yaml": values}
    for name, vals in one_left.items():
        path = initialised / name
        data = yaml.safe_load(path.read_text("utf-8"))
        path.write_text(yaml.safe_dump(fill(data, vals), sort_keys=False), "utf-8")
    code, submission = check(run, initialised)
    assert code == 1
    assert [
        (f["rule"], f["location"]["file"], f["location"]["pointer"], f["message"])
        for f in submission["findings"]
    ] == [
        (
            "incomplete",
            "data-manifest.yaml",
            "/security/breach_contact/phone",
            "still to fill in: the urgent breach telephone number",
        ),
    ]


def test_the_1_0_manifest_template_fills_the_same_way(run, initialised):
    """``init`` writes the newest version's template; the 1.0 one must work as well."""
    shutil.copyfile(
        STANDARDS / "ocp-data-governance/1.0.0/templates/data-manifest.yaml",
        initialised / "data-manifest.yaml",
    )
    code, submission = check(run, initialised)
    assert code == 1
    manifest_todo = {
        f["location"]["pointer"]
        for f in submission["findings"]
        if f["rule"] == "incomplete" and f["location"]["file"] == "data-manifest.yaml"
    }
    assert manifest_todo == set(MANIFEST)
    fill_bid(initialised)
    code, submission = check(run, initialised, "--fail-on", "info")
    assert (code, submission["findings"]) == (0, [])
    standards = {d["path"]: d["standard"] for d in submission["documents"]}
    assert standards["data-manifest.yaml"] == "ocp-data-governance@1.0.0"


@pytest.mark.parametrize(
    ("template", "declared"),
    [
        ("ocp-data-governance/1.0.0/templates/data-manifest.yaml", "ocp-data-governance@1.0"),
        ("ocp-data-governance/1.1.0/templates/data-manifest.yaml", "ocp-data-governance@1.1"),
        ("ocp-data-retention/1.0.0/templates/retention-policy.yaml", "ocp-data-retention@1.0"),
        ("ocp-api-exchange/1.0.0/templates/openapi.yaml", "ocp-api-exchange@1.0"),
    ],
)
def test_each_template_declares_the_version_of_its_folder(template, declared):
    data = yaml.safe_load((STANDARDS / template).read_text("utf-8"))
    found = data["info"]["x-ocp-standard"] if "openapi" in data else data["standard"]
    assert found == declared
    version = template.split("/")[1]
    assert version.startswith(declared.split("@")[1] + ".")


def test_every_top_level_section_of_a_template_is_commented():
    """A comment above each top-level section says what it is for and which clause needs it."""
    for template in sorted(STANDARDS.glob("*/*/templates/*.yaml")):
        lines = template.read_text("utf-8").splitlines()
        for number, line in enumerate(lines):
            if not line or line.startswith((" ", "#", "-")):
                continue
            # A comment may cover a group of adjacent one-line fields (kind and standard).
            above = number - 1
            while above >= 0 and lines[above] and not lines[above].startswith((" ", "#", "-")):
                above -= 1
            assert above >= 0 and lines[above].startswith("#"), (
                f"{template}:{number + 1}: no comment above {line!r}"
            )


def test_init_refuses_to_overwrite(run, initialised):
    result = run("init", "submission", str(initialised))
    assert result.exit_code == 2
    assert "already exists" in result.stderr


def test_a_fresh_submission_reports_its_placeholders_and_nothing_else(run, initialised):
    """Each unfilled value is one finding at its own line: the schema problems a placeholder
    causes (``tokenUrl: "TODO…"`` failing ``format: uri`` inside a ``oneOf``, reported as
    "Unevaluated properties are not allowed ('flows' was unexpected)"), the rules that judge a
    list holding one, the attestations answered "TODO: yes or no", and the "N more schema
    problems were not listed" summary with nothing listed above it are all gone."""
    code, submission = check(run, initialised)
    assert code == 1
    rules = {f["rule"] for f in submission["findings"]}
    assert rules == {"incomplete"}, [f for f in submission["findings"] if f["rule"] != "incomplete"]
    lines = [(f["location"]["file"], f["location"]["line"]) for f in submission["findings"]]
    assert len(lines) == len(set(lines))  # one finding per line, each at its own
    # An attestation still to answer fails its own clause, through the placeholder.
    statuses = {c["clause"]: c["status"] for c in submission["clauses"]}
    assert statuses["DG-6.4"] == statuses["DX-5.3"] == statuses["DR-3.6"] == "fail"
    answers = [f for f in submission["findings"] if f["location"]["pointer"] == "/attestations/DG-6.4/answer"]
    assert [(f["clause"], f["standard"]) for f in answers] == [("DG-6.4", "ocp-data-governance@1.1.0")]


def test_a_placeholder_one_level_down_is_one_finding(run, initialised):
    fill_bid(initialised)
    api = initialised / "openapi.yaml"
    data = yaml.safe_load(api.read_text("utf-8"))
    flows = data["components"]["securitySchemes"]["cityOAuth"]["flows"]
    flows["clientCredentials"]["tokenUrl"] = "TODO: the token endpoint, starting with https://"
    api.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    code, submission = check(run, initialised)
    assert code == 1
    assert [(f["rule"], f["location"]["pointer"]) for f in submission["findings"]] == [
        ("incomplete", "/components/securitySchemes/cityOAuth/flows/clientCredentials/tokenUrl")
    ]


def test_the_schema_summary_follows_what_it_summarises(run, initialised):
    """Placeholders are folded before the cap: the summary counts only the problems not
    listed, and sits where the first of them is, after every problem listed. Sixty servers
    with a number for a URL, in a description that still holds its placeholders: fifty are
    listed, then "10 more schema problems from here on were not listed"."""
    api = initialised / "openapi.yaml"
    data = yaml.safe_load(api.read_text("utf-8"))
    data["servers"] = [{"url": 5} for _ in range(60)]
    api.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    code, submission = check(run, initialised)
    assert code == 1
    schema = [f for f in submission["findings"] if f["rule"] == "schema"]
    assert len(schema) == 51
    *listed, summary = schema  # the report's order: by line
    assert [f["location"]["pointer"] for f in listed] == [f"/servers/{i}/url" for i in range(50)]
    assert summary["message"] == "10 more schema problems from here on were not listed"
    assert summary["location"]["pointer"] == "/servers/50/url"
    assert summary["location"]["line"] > listed[-1]["location"]["line"]
    placeholders = [f for f in submission["findings"] if f["rule"] == "incomplete" and f["location"]["file"] == "openapi.yaml"]
    assert placeholders


def test_examples_readme_says_what_the_check_of_a_fresh_submission_prints(run, initialised):
    """examples/README.md quotes a placeholder finding and the closing lines of the check of
    a fresh ``init submission``: the tool prints exactly those lines."""
    readme = (REPO / "examples" / "README.md").read_text("utf-8")
    blocks = [b.split("```", 1)[0] for b in readme.split("```text\n")[1:]]
    finding, closing = blocks[0], blocks[1]
    result = run("check", str(initialised), "--no-color", "--today", TODAY)
    assert result.exit_code == 1
    printed = "\n".join(line.strip() for line in result.stdout.replace(str(initialised), "my-bid").splitlines())
    assert "\n".join(line.strip() for line in finding.strip().splitlines()) in printed
    assert printed.rstrip().endswith("\n".join(line.strip() for line in closing.strip().splitlines()))


def test_the_2_0_drafts_templates_and_the_report_template_report_only_their_placeholders(run, tmp_path):
    """The templates of the 2.0 drafts carry every section the drafts ask for (government
    access, prohibited uses, AI components, sovereignty, records, processors, devices, ongoing
    compliance, equity, records schedules, archival transfer, records search), and the
    compliance report's template beside them: a fresh copy of the four is one `incomplete`
    finding per placeholder and nothing else, the report's cross-checks included."""
    folder = tmp_path / "drafts"
    folder.mkdir()
    for template in (
        "ocp-data-governance/2.0.0/templates/data-manifest.yaml",
        "ocp-data-retention/2.0.0/templates/retention-policy.yaml",
        "ocp-api-exchange/2.0.0/templates/openapi.yaml",
        "ocp-compliance-report/1.0.0/templates/compliance-report.yaml",
    ):
        shutil.copy(STANDARDS / template, folder)
    # The manifest template holds more placeholders than a report lists per rule by default.
    code, submission = check(run, folder, "--max-findings-per-rule", "1000")
    assert code == 1
    assert {d["kind"]: d["standard"] for d in submission["documents"]} == {
        "data-manifest": "ocp-data-governance@2.0.0",
        "retention-policy": "ocp-data-retention@2.0.0",
        "openapi": "ocp-api-exchange@2.0.0",
        "compliance-report": "ocp-compliance-report@1.0.0",
    }
    others = [f for f in submission["findings"] if f["rule"] != "incomplete"]
    assert others == []
    reported = {(f["location"]["file"], f["location"]["pointer"]) for f in submission["findings"]}
    in_files = {
        (path.name, pointer)
        for path in folder.glob("*.yaml")
        for pointer in placeholders(yaml.safe_load(path.read_text("utf-8")))
    }
    assert reported == in_files
