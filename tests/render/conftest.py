"""The canonical report every renderer test uses, built from model types (no engine run).

It is meant to be nasty: two submissions under one root (one conformant, one not), several
documents per submission, findings of every severity and state (active, waived by the city,
a vendor waiver shown but not honoured, not in force yet, under a clause a profile disabled),
every clause status, findings with and without line, column and snippet, findings on no file
and on no clause, findings folded by the caps (shown only as counts), and hostile text wherever a vendor controls it: messages, snippets, file and
folder names, waiver fields, attestation statements, declared standards. The golden files in
``tests/golden`` are these renderings; a renderer change shows up there byte for byte.
"""

from __future__ import annotations

import dataclasses
import hashlib

import pytest

from ocp_check.model import (
    ClauseResult,
    DocumentKind,
    DocumentResult,
    Finding,
    FindingCaps,
    FindingState,
    FoldedFindings,
    InputFile,
    Level,
    Location,
    Report,
    Severity,
    StandardInfo,
    StandardRef,
    Status,
    SubmissionResult,
    WaiverRef,
    WaiverUse,
)

SCRIPT = "<script>alert(1)</script>"
QUOTES = "\"'&"
CDATA_END = "]]>"
NUL = "\x00"
VT = "\x0b"
CLEAR = "\x1b[2J"
OSC8 = "\x1b]8;;https://evil\x1b\\x\x1b]8;;\x1b\\"
BIDI = "\u202e"
SURROGATE = "\ud800"
TABLE = "| x |\n# Approved"
LINK = "[click](javascript:alert(1))"
FORMULA = '=HYPERLINK("http://evil")'
FORGED = "%0A::error::forged"
CRLF_FORGED = "\r\n::error file=x::forged again"

HOSTILE = (
    SCRIPT,
    QUOTES,
    CDATA_END,
    NUL,
    VT,
    CLEAR,
    OSC8,
    BIDI,
    SURROGATE,
    TABLE,
    LINK,
    FORMULA,
    FORGED,
    CRLF_FORGED,
)
#: One string holding every hostile piece, for the places where one value is enough.
ALL_HOSTILE = " ".join(HOSTILE)

DG = StandardRef("ocp-data-governance", "1.1.0")
DG_OLD = StandardRef("ocp-data-governance", "1.0.0")
DR = StandardRef("ocp-data-retention", "1.0.0")
DX = StandardRef("ocp-api-exchange", "1.0.0")

ROOT = "bids"
ACME = f"acme #1 50% {SCRIPT}"
ACME_MANIFEST = f"{ACME}/data manifest.yaml"
ACME_RETENTION = f"{ACME}/retention {QUOTES}{CDATA_END}.yaml"
ACME_API = f"{ACME}/openapi {CLEAR}{BIDI}nosj.json"
ACME_BROKEN = f"{ACME}/broken{NUL}{VT}{SURROGATE}.yaml"
ACME_NOTES = f"{ACME}/notes {FORGED}.yaml"
ACME_FRAGMENT = f"{ACME}/components/common {LINK}.yaml"
BETA = "beta"
BETA_MANIFEST = f"{BETA}/manifest.yaml"
BETA_API = f"{BETA}/api spec #2 %20 {FORMULA}.json"


def _sha(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()


def _finding(
    rule: str,
    clause: str | None,
    standard: StandardRef | None,
    level: Level,
    message: str,
    file: str,
    pointer: str = "",
    line: int | None = None,
    column: int | None = None,
    *,
    fix: str = "",
    state: FindingState = FindingState.ACTIVE,
    waiver: WaiverRef | None = None,
    snippet: tuple[tuple[int, str], ...] = (),
    detail: tuple[str, ...] = (),
    effective_from: str | None = None,
    severity: Severity | None = None,
) -> Finding:
    return Finding(
        rule=rule,
        clause=clause,
        standard=standard,
        level=level,
        severity=severity or level.severity,
        message=message,
        fix=fix or f"Fix it ({clause or rule}).",
        location=Location(file, pointer, line, column),
        state=state,
        waiver=waiver,
        snippet=snippet,
        detail=detail,
        effective_from=effective_from,
    )


def _clause(
    standard: StandardRef,
    clause: str,
    title: str,
    level: Level,
    status: Status,
    reason: str = "",
    findings: int = 0,
) -> ClauseResult:
    return ClauseResult(standard, clause, title, level, status, reason, findings)


def _acme() -> SubmissionResult:
    city_waiver = WaiverRef(
        id=f"W-7 {SCRIPT}",
        issuer="city",
        approved_by=f"Chief Privacy Officer {BIDI}<cpo@city.example>",
        expires="2027-01-31",
        reason=f"pilot agreement {TABLE} {LINK}",
        honoured=True,
    )
    cross_waiver = WaiverRef(
        id="W-8",
        issuer="city",
        approved_by="Records Manager",
        expires="2027-03-31",
        reason=f"legacy categories {CDATA_END} {FORMULA}",
        honoured=True,
    )
    vendor_waiver = WaiverRef(
        id=f"V-1 {OSC8}",
        issuer="vendor",
        approved_by=f"ACME Legal {CLEAR}",
        expires="2030-01-01",
        reason=f"we think HTTP is fine {FORGED}",
        honoured=False,
        note="vendor waivers are shown but not honoured in a city evaluation",
    )
    findings = [
        _finding(
            "load",
            None,
            None,
            Level.MUST,
            f"cannot be checked: found character '{NUL}' that cannot start any token {SCRIPT}",
            ACME_BROKEN,
            line=3,
            column=5,
            fix="Save the file as UTF-8 YAML without control characters.",
        ),
        _finding(
            "schema",
            "DG-1.1",
            DG,
            Level.MUST,
            f"'kind' is a required property {QUOTES}",
            ACME_MANIFEST,
            "",
            1,
            1,
            detail=(f"at /: {SCRIPT}", f"at /system: {CLEAR}"),
            snippet=((1, f"standard: ocp-data-governance@1.1 # {OSC8}"), (2, "system:")),
        ),
        _finding(
            "DG-1.2-system-identified",
            "DG-1.2",
            DG,
            Level.MUST,
            f"system name '{SCRIPT}{QUOTES}{CDATA_END}' {OSC8} is not a name {CRLF_FORGED}",
            ACME_MANIFEST,
            "/system/name",
            4,
            9,
            fix=f"Give the system a plain name, not {SCRIPT}.",
            snippet=(
                (3, "system:"),
                (4, f"  name: {CLEAR}{SCRIPT}{BIDI}{VT}"),
                (5, f"  id: {SURROGATE}x"),
            ),
        ),
        _finding(
            "DG-2.1-purpose-specific",
            "DG-2.1",
            DG,
            Level.SHOULD,
            f"purpose is too broad: {TABLE} {LINK}",
            ACME_MANIFEST,
            "/data_categories/0/purpose",
            12,
            None,
        ),
        _finding(
            "XD-1-category-has-one-rule",
            "XD-1",
            DG,
            Level.MUST,
            f"data category {FORMULA} has 0 rules in the retention policy; exactly one is required",
            ACME_MANIFEST,
            "/data_categories/1",
            20,
            7,
            snippet=(
                (19, "  - id: cam"),
                (20, f"  - id: '{FORMULA}'"),
                (21, "    nature: personal"),
            ),
        ),
        _finding(
            "DG-3.4-sharing-listed",
            "DG-3.4",
            DG,
            Level.MAY,
            f"sharing could list recipients {FORMULA}",
            ACME_MANIFEST,
            "/sharing",
        ),
        _finding(
            "DG-4.3-transfer-assessment",
            "DG-4.3",
            DG,
            Level.MUST,
            "personal information stored outside the province has no transfer assessment",
            ACME_MANIFEST,
            "/storage/0",
            30,
            5,
            state=FindingState.NOT_IN_FORCE,
            effective_from="2027-07-01",
        ),
        _finding(
            "DX-2.1-https-only",
            "DX-2.1",
            DX,
            Level.MUST,
            f"server 'http://api.acme.example' is not HTTPS {FORGED} {CRLF_FORGED}",
            ACME_API,
            "/servers/0/url",
            7,
            3,
            waiver=vendor_waiver,
            snippet=((7, "  - url: http://api.acme.example"),),
        ),
        _finding(
            "detect",
            None,
            None,
            Level.SHOULD,
            f"not a recognised document {TABLE}; ignored",
            ACME_NOTES,
        ),
        _finding(
            "DR-2.1-period-bounded",
            "DR-2.1",
            DR,
            Level.MUST,
            f"retention period of {SCRIPT} is unbounded",
            ACME_RETENTION,
            "/rules/0/period",
            9,
            11,
            state=FindingState.WAIVED,
            waiver=city_waiver,
        ),
        _finding(
            "XD-1-rule-has-category",
            "XD-1",
            DG,
            Level.MUST,
            f"retention rule for {QUOTES} refers to no manifest category",
            ACME_RETENTION,
            "/rules/3",
            40,
            3,
            state=FindingState.WAIVED,
            waiver=cross_waiver,
        ),
    ]
    clauses = (
        _clause(DX, "DX-1.1", "A valid OpenAPI 3.0 or 3.1 description", Level.MUST, Status.PASS),
        _clause(DX, "DX-2.1", "Servers are reached over HTTPS", Level.MUST, Status.FAIL, findings=1),
        _clause(
            DG,
            "DG-1.1",
            "The manifest declares the standard it meets and is well formed",
            Level.MUST,
            Status.FAIL,
            findings=1,
        ),
        _clause(DG, "DG-1.2", "The system is identified", Level.MUST, Status.FAIL, findings=1),
        _clause(DG, "DG-1.3", "One accountable organization", Level.MUST, Status.PASS),
        _clause(DG, "DG-2.1", "Purposes are specific", Level.SHOULD, Status.FAIL, findings=1235),
        _clause(DG, "DG-3.4", "Recipients may be listed", Level.MAY, Status.FAIL, findings=1),
        _clause(
            DG,
            "DG-4.3",
            "Transfers outside the province are assessed",
            Level.MUST,
            Status.NOT_IN_FORCE,
            "fails from 2027-07-01 (1 finding)",
            findings=1,
        ),
        _clause(
            DG,
            "XD-1",
            "Every data category has exactly one retention rule",
            Level.MUST,
            Status.FAIL,
            findings=9,
        ),
        _clause(
            DG,
            "XD-3",
            "Personal data is served only to authenticated clients",
            Level.MUST,
            Status.ATTESTED,
            f"attested by the vendor, not verified: all endpoints use OAuth {CLEAR}{TABLE}",
        ),
        _clause(
            DG,
            "XD-4",
            "Shared categories have recipients",
            Level.SHOULD,
            Status.NOT_APPLICABLE,
            f"no category is shared {LINK}",
        ),
        _clause(DR, "DR-1.0", "The retention policy is well formed", Level.MUST, Status.PASS),
        _clause(
            DR,
            "DR-2.1",
            "Every retention period is bounded",
            Level.MUST,
            Status.WAIVED,
            "all findings waived",
            findings=1,
        ),
    )
    documents = (
        DocumentResult(ACME_BROKEN, None, None, "", _sha(ACME_BROKEN)),
        DocumentResult(
            ACME_MANIFEST,
            DocumentKind.DATA_MANIFEST,
            DG,
            "declared in the document (ocp-data-governance@1.1)",
            _sha(ACME_MANIFEST),
            "ocp-data-governance@1.1",
        ),
        DocumentResult(ACME_NOTES, None, None, "", _sha(ACME_NOTES)),
        DocumentResult(
            ACME_API,
            DocumentKind.OPENAPI,
            DX,
            f"newest stable version (declared 'ocp-api-exchange@9{CLEAR}{BIDI}' is unknown)",
            _sha(ACME_API),
            f"ocp-api-exchange@9{CLEAR}{BIDI}",
        ),
        DocumentResult(
            ACME_RETENTION,
            DocumentKind.RETENTION_POLICY,
            DR,
            "no version declared: newest stable version",
            _sha(ACME_RETENTION),
        ),
    )
    # Beyond the caps (``build_report``: 2 per rule, 5 per document): counted, not listed.
    folded = (
        FoldedFindings(
            ACME_MANIFEST, "DG-2.1-purpose-specific", "DG-2.1", DG, Level.SHOULD, Severity.WARNING,
            FindingState.ACTIVE, 1234,
        ),
        FoldedFindings(
            ACME_MANIFEST, "XD-1-category-has-one-rule", "XD-1", DG, Level.MUST, Severity.ERROR,
            FindingState.WAIVED, 7,
        ),
        FoldedFindings(
            f"{ACME}/.ocp-waivers.yaml", "waivers", None, None, Level.SHOULD, Severity.WARNING,
            FindingState.ACTIVE, 3,
        ),
    )
    return SubmissionResult(
        name=f"{ROOT}/{ACME}",
        root=ROOT,
        documents=tuple(sorted(documents, key=lambda d: d.path)),
        findings=tuple(sorted(findings, key=Finding.sort_key)),
        clauses=clauses,
        fragments=(ACME_FRAGMENT,),
        folded=folded,
    )


def _beta() -> SubmissionResult:
    city_waiver = WaiverRef(
        id="W-9",
        issuer="city",
        approved_by="Procurement Officer",
        expires="2027-06-30",
        reason="the retention policy follows by 1 March",
        honoured=True,
    )
    findings = [
        _finding(
            "submission",
            "XD-11",
            DG_OLD,
            Level.MUST,
            "the submission has no retention policy",
            "",
            state=FindingState.WAIVED,
            waiver=city_waiver,
            fix="Add the retention policy to the bid folder (see 'ocp-check init').",
        ),
        _finding(
            "DX-1.3-licence-stated",
            "DX-1.3",
            DX,
            Level.SHOULD,
            f"the API states no licence {OSC8} {BIDI}txt.exe",
            BETA_API,
            "/info",
            2,
            3,
            snippet=(
                (1, "{"),
                (2, f'  "info": {{"title": "{SCRIPT}"}},'),
                (3, '  "openapi": "3.1.0"'),
            ),
        ),
        _finding(
            "DX-3.2-examples",
            "DX-3.2",
            DX,
            Level.MAY,
            "operations could carry examples",
            BETA_API,
            "/paths",
        ),
        _finding(
            "DG-5.2-no-advertising",
            "DG-5.2",
            DG_OLD,
            Level.MUST,
            f"advertising use is not excluded {SURROGATE}",
            BETA_MANIFEST,
            "/uses",
            14,
            3,
            state=FindingState.DISABLED,
        ),
    ]
    clauses = (
        _clause(DX, "DX-1.1", "A valid OpenAPI 3.0 or 3.1 description", Level.MUST, Status.PASS),
        _clause(DX, "DX-1.3", "The API's licence is stated", Level.SHOULD, Status.FAIL, findings=1),
        _clause(DX, "DX-3.2", "Operations carry examples", Level.MAY, Status.FAIL, findings=1),
        _clause(
            DG_OLD,
            "DG-1.1",
            "The manifest declares the standard it meets and is well formed",
            Level.MUST,
            Status.PASS,
        ),
        _clause(
            DG_OLD,
            "DG-5.2",
            "No advertising use",
            Level.MUST,
            Status.DISABLED,
            f"disabled by profile city-pilot: {SCRIPT} not relevant to a pilot",
        ),
        _clause(
            DG_OLD,
            "XD-3",
            "Personal data is served only to authenticated clients",
            Level.MUST,
            Status.ATTESTED,
            "attested by the vendor, not verified",
        ),
        _clause(
            DG_OLD,
            "XD-11",
            "The submission is complete",
            Level.MUST,
            Status.WAIVED,
            "all findings waived",
            findings=1,
        ),
        _clause(
            DR,
            "DR-1.0",
            "The retention policy is well formed",
            Level.MUST,
            Status.NOT_CHECKED,
            "no retention policy in the submission",
        ),
        _clause(
            DR,
            "DR-2.1",
            "Every retention period is bounded",
            Level.MUST,
            Status.NOT_CHECKED,
            "no retention policy in the submission",
        ),
    )
    documents = (
        DocumentResult(
            BETA_API,
            DocumentKind.OPENAPI,
            DX,
            "no version declared: newest stable version",
            _sha(BETA_API),
        ),
        DocumentResult(
            BETA_MANIFEST,
            DocumentKind.DATA_MANIFEST,
            DG_OLD,
            "declared in the document (ocp-data-governance@1.0)",
            _sha(BETA_MANIFEST),
            "ocp-data-governance@1.0",
        ),
    )
    return SubmissionResult(
        name=f"{ROOT}/{BETA}",
        root=ROOT,
        documents=documents,
        findings=tuple(sorted(findings, key=Finding.sort_key)),
        clauses=clauses,
    )


def build_report() -> Report:
    # One draft among approved versions: the first bid is judged against it, the second is not.
    acme = _acme()
    subs = (dataclasses.replace(acme, judged_against=f"judged against a DRAFT of {DX}"), _beta())
    approved = "Harbourview City Council, 2027-03-01, Resolution 2027-41"
    standards = (
        StandardInfo(DX, "OCP Data Exchange API — the OpenAPI description", "draft", _sha(str(DX)), "2026-06-01"),
        StandardInfo(
            DG_OLD, "OCP Data Governance — the data manifest", "deprecated", _sha(str(DG_OLD)), "2027-03-01", approved
        ),
        StandardInfo(
            DG,
            "OCP Data Governance — the data manifest",
            "approved",
            _sha(str(DG)),
            "2027-03-01",
            approved,
            "bundle signed by ed25519:0123456789abcdef",
        ),
        StandardInfo(
            DR, "OCP Data Retention — the retention policy", "approved", _sha(str(DR)), "2027-03-01", approved
        ),
    )
    inputs = tuple(InputFile(sub.name, d.path, d.sha256) for sub in subs for d in sub.documents)
    return Report(
        tool_version="0.1.0",
        submissions=subs,
        standards=standards,
        inputs=inputs,
        options={"paths": [ROOT], "standards": [], "profile": "city-pilot.yaml", "snippets": True},
        today="2026-12-01",
        profile={"id": "city-pilot", "evaluation": "city"},
        waivers=(
            WaiverUse("W-7", "city", "waivers.yaml", "Chief Privacy Officer", "2027-01-31", 1, False),
            WaiverUse("W-8", "city", "waivers.yaml", "Records Manager", "2027-03-31", 1, False),
            WaiverUse("W-9", "city", "waivers.yaml", "Procurement Officer", "2027-06-30", 1, False),
            WaiverUse("W-0", "city", "waivers.yaml", "Nobody", "2025-01-01", 0, True),
        ),
        caps=FindingCaps(per_rule=2, per_document=5),
    )


@pytest.fixture
def report() -> Report:
    return build_report()


@pytest.fixture
def hostile() -> tuple[str, ...]:
    """Every hostile piece the report carries."""
    return HOSTILE
