"""Waivers, one scope at a time: what a waiver covers, who wins, when it expires.

Each test builds findings and waivers directly, so a scope that covers too much or too little
shows up as a finding in the wrong state, without a whole check around it.
"""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from ocp_check.model import Finding, FindingState, Level, Location, Severity, StandardRef
from ocp_check.waivers import (
    CITY,
    VENDOR,
    Waiver,
    WaiverProblem,
    apply,
    load_vendor_waivers,
    parse_waivers,
    validate_waivers_data,
)

TODAY = datetime.date(2026, 12, 1)
DG_1_1 = StandardRef("ocp-data-governance", "1.1.0")


def finding(
    rule: str = "DG-9.4-notification-hours",
    clause: str | None = "DG-9.4",
    standard: StandardRef | None = DG_1_1,
    file: str = "data-manifest.yaml",
    pointer: str = "/security/breach_notification_hours",
    state: FindingState = FindingState.ACTIVE,
) -> Finding:
    return Finding(
        rule=rule,
        clause=clause,
        standard=standard,
        level=Level.MUST,
        severity=Severity.ERROR,
        message="m",
        fix="f",
        location=Location(file, pointer, 3, 5),
        state=state,
    )


def waiver(
    id: str = "W1",
    *,
    rule: str | None = None,
    clause: str | None = None,
    standard: str | None = None,
    submission: str | None = None,
    files: tuple[str, ...] = (),
    pointer: str | None = None,
    expires: str = "2027-06-30",
    issuer: str = CITY,
    source: str = "city-waivers.yaml",
    index: int = 0,
) -> Waiver:
    return Waiver(
        id=id,
        rule=rule,
        clause=clause,
        standard=standard,
        submission=submission,
        files=files,
        pointer=pointer,
        reason="a reason",
        approved_by="Jane Roe",
        expires=expires,
        issuer=issuer,
        source=source,
        source_pointer=f"/waivers/{index}",
    )


def covers(w: Waiver, f: Finding | None = None, *, submission: str = "bids/harbourview") -> bool:
    out, usage = apply([f or finding()], [w], submission=submission, city_evaluation=False, today=TODAY)
    assert usage[w.key] == (1 if out[0].state is FindingState.WAIVED else 0)
    return out[0].state is FindingState.WAIVED


# --- scopes ----------------------------------------------------------------------------------


def test_a_waiver_without_scope_covers_every_finding() -> None:
    assert covers(waiver())


def test_rule_scope() -> None:
    assert covers(waiver(rule="DG-9.4-notification-hours"))
    assert not covers(waiver(rule="DG-9.4-notification"))
    assert not covers(waiver(rule="DG-9.4-notification-hours-x"))


def test_clause_scope() -> None:
    assert covers(waiver(clause="DG-9.4"))
    assert not covers(waiver(clause="DG-9.5"))
    assert not covers(waiver(clause="DG-9"))
    assert not covers(waiver(clause="DG-9.4"), finding(clause=None))


@pytest.mark.parametrize(
    ("spec", "version", "expected"),
    [
        ("ocp-data-governance", "1.1.0", True),
        ("ocp-data-governance@1", "1.1.0", True),
        ("ocp-data-governance@1.1", "1.1.0", True),
        ("ocp-data-governance@1.1.0", "1.1.0", True),
        ("ocp-data-governance@1.0", "1.1.0", False),
        ("ocp-data-governance@1", "10.0.0", False),  # a prefix is whole version parts
        ("ocp-data-governance@1.1", "1.10.0", False),
        ("ocp-data-governance@2", "1.1.0", False),
        ("ocp-data-retention", "1.1.0", False),
        ("ocp-data", "1.1.0", False),
    ],
)
def test_standard_and_version_prefix_scope(spec: str, version: str, expected: bool) -> None:
    f = finding(standard=StandardRef("ocp-data-governance", version))
    assert covers(waiver(standard=spec), f) is expected


def test_standard_scope_never_covers_a_finding_without_a_standard() -> None:
    assert not covers(waiver(standard="ocp-data-governance"), finding(standard=None))
    assert covers(waiver(), finding(standard=None))


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (("data-manifest.yaml",), True),
        (("*.yaml",), True),
        (("retention.yaml", "data-*.yaml"), True),
        (("retention.yaml",), False),
        (("data-manifest.yml",), False),
        (("manifest.yaml",), False),  # a name, not a suffix
        (("Data-Manifest.yaml",), False),  # case matters, on every platform
    ],
)
def test_files_scope(files: tuple[str, ...], expected: bool) -> None:
    assert covers(waiver(files=files)) is expected


def test_files_scope_matches_paths_inside_the_submission() -> None:
    f = finding(file="api/openapi.yaml")
    assert covers(waiver(files=("api/*.yaml",)), f)
    assert not covers(waiver(files=("openapi.yaml",)), f)


@pytest.mark.parametrize(
    ("pointer", "expected"),
    [
        ("/security/breach_notification_hours", True),  # the node itself
        ("/security", True),  # an ancestor
        ("/security/", True),  # the same, written with a trailing slash
        ("", True),  # the whole document
        ("/", True),
        ("/securit", False),  # not at a segment boundary
        ("/security/breach", False),
        ("/security/breach_notification_hours/0", False),  # a descendant does not cover its parent
        ("/data_categories", False),
    ],
)
def test_pointer_scope_respects_segment_boundaries(pointer: str, expected: bool) -> None:
    assert covers(waiver(pointer=pointer)) is expected


def test_pointer_scope_does_not_cover_a_sibling_whose_name_it_prefixes() -> None:
    assert not covers(waiver(pointer="/security"), finding(pointer="/securityX/hours"))
    assert not covers(waiver(pointer="/security"), finding(pointer="/securityX"))
    assert covers(waiver(pointer="/security"), finding(pointer="/security"))


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("bids/harbourview", True),
        ("harbourview", True),  # the folder's own name
        ("harbour*", True),
        ("bids/*", True),
        ("lakeshore", False),
        ("harbour", False),
        ("view", False),
    ],
)
def test_submission_scope(pattern: str, expected: bool) -> None:
    assert covers(waiver(submission=pattern)) is expected


def test_every_scope_must_hold() -> None:
    full = waiver(
        rule="DG-9.4-notification-hours",
        clause="DG-9.4",
        standard="ocp-data-governance@1",
        submission="harbourview",
        files=("data-manifest.yaml",),
        pointer="/security",
    )
    assert covers(full)
    for change in (
        {"rule": "DG-9.1-x"},
        {"clause": "DG-9.1"},
        {"standard": "ocp-data-retention"},
        {"submission": "lakeshore"},
        {"files": ("retention.yaml",)},
        {"pointer": "/ownership"},
    ):
        assert not covers(dataclasses.replace(full, **change)), change


# --- issuers, order, expiry ------------------------------------------------------------------


def test_city_waivers_are_tried_before_vendor_waivers_whatever_their_order() -> None:
    vendor = waiver("V1", issuer=VENDOR, source="ocp-waivers.yaml")
    city = waiver("C1", issuer=CITY, source="z-city.yaml")
    for given in ([vendor, city], [city, vendor]):
        out, usage = apply([finding()], given, submission="bid", city_evaluation=True, today=TODAY)
        assert out[0].state is FindingState.WAIVED
        assert out[0].waiver is not None and out[0].waiver.id == "C1" and out[0].waiver.honoured
        assert usage == {city.key: 1, vendor.key: 0}


def test_in_a_city_evaluation_a_vendor_waiver_is_shown_and_not_honoured() -> None:
    vendor = waiver("V1", issuer=VENDOR, source="ocp-waivers.yaml")
    out, usage = apply([finding()], [vendor], submission="bid", city_evaluation=True, today=TODAY)
    assert out[0].state is FindingState.ACTIVE
    assert out[0].waiver is not None
    assert (out[0].waiver.id, out[0].waiver.issuer, out[0].waiver.honoured) == ("V1", VENDOR, False)
    assert out[0].waiver.note == "vendor waivers are shown but not honoured in a city evaluation"
    assert usage[vendor.key] == 1
    honoured, _ = apply([finding()], [vendor], submission="bid", city_evaluation=False, today=TODAY)
    assert honoured[0].state is FindingState.WAIVED and honoured[0].waiver.note == ""  # type: ignore[union-attr]


def test_within_one_issuer_the_first_waiver_in_file_order_wins() -> None:
    first = waiver("A", source="w.yaml", index=0, expires="2027-01-01")
    second = waiver("B", source="w.yaml", index=1, expires="2028-01-01")
    out, usage = apply([finding()], [second, first], submission="bid", city_evaluation=False, today=TODAY)
    assert out[0].waiver is not None and out[0].waiver.id == "A"
    assert usage == {first.key: 1, second.key: 0}


def test_a_waiver_is_valid_through_its_expiry_date() -> None:
    w = waiver(expires="2026-12-01")
    out, _ = apply([finding()], [w], submission="bid", city_evaluation=False, today=TODAY)
    assert out[0].state is FindingState.WAIVED
    later, usage = apply(
        [finding()], [w], submission="bid", city_evaluation=False, today=TODAY + datetime.timedelta(days=1)
    )
    assert later[0].state is FindingState.ACTIVE
    assert later[0].waiver is not None and not later[0].waiver.honoured
    assert later[0].waiver.note == "expired on 2026-12-01: the finding counts again"
    assert usage[w.key] == 1


def test_an_expired_city_waiver_does_not_let_a_vendor_waiver_take_over() -> None:
    """The first matching waiver decides, honoured or not: an expired approval is not replaced
    by a later one silently."""
    city = waiver("C1", expires="2020-01-01")
    vendor = waiver("V1", issuer=VENDOR, source="ocp-waivers.yaml")
    out, _ = apply([finding()], [vendor, city], submission="bid", city_evaluation=False, today=TODAY)
    assert out[0].state is FindingState.ACTIVE and out[0].waiver is not None and out[0].waiver.id == "C1"


def test_the_waiver_reference_carries_everything_a_report_shows() -> None:
    out, _ = apply([finding()], [waiver()], submission="bid", city_evaluation=False, today=TODAY)
    ref = out[0].waiver
    assert ref is not None
    assert (ref.id, ref.issuer, ref.approved_by, ref.expires, ref.reason, ref.honoured, ref.note) == (
        "W1",
        CITY,
        "Jane Roe",
        "2027-06-30",
        "a reason",
        True,
        "",
    )
    assert dataclasses.replace(out[0], state=FindingState.ACTIVE, waiver=None) == finding()


@pytest.mark.parametrize("state", [FindingState.WAIVED, FindingState.NOT_IN_FORCE, FindingState.DISABLED])
def test_only_active_findings_are_waived(state: FindingState) -> None:
    f = finding(state=state)
    out, usage = apply([f], [waiver()], submission="bid", city_evaluation=False, today=TODAY)
    assert out == [f]
    assert usage[waiver().key] == 0


def test_applying_waivers_keeps_every_finding_in_order() -> None:
    findings = [finding(pointer=f"/security/{n}") for n in range(3)] + [
        finding(rule="other", clause="DG-1.1")
    ]
    out, usage = apply(
        findings, [waiver(clause="DG-9.4")], submission="bid", city_evaluation=False, today=TODAY
    )
    assert [f.location.pointer for f in out] == [f.location.pointer for f in findings]
    assert [f.state for f in out] == [FindingState.WAIVED] * 3 + [FindingState.ACTIVE]
    assert usage[waiver().key] == 3


# --- files -----------------------------------------------------------------------------------

ENTRY = {
    "id": "HV-1",
    "rule": "DG-9.4-notification-hours",
    "clause": "DG-9.4",
    "standard": "ocp-data-governance@1",
    "scope": {"submission": "harbourview", "files": ["data-manifest.yaml"], "pointer": "/security"},
    "reason": "  Parent   company\npolicy.  ",
    "approved_by": " Jane\tRoe ",
    "expires": "2027-06-30",
}


def test_parse_waivers_reads_every_field_and_normalises_whitespace() -> None:
    (w,) = parse_waivers({"kind": "waivers", "waivers": [ENTRY]}, issuer=CITY, source="w.yaml")
    assert w == Waiver(
        id="HV-1",
        rule="DG-9.4-notification-hours",
        clause="DG-9.4",
        standard="ocp-data-governance@1",
        submission="harbourview",
        files=("data-manifest.yaml",),
        pointer="/security",
        reason="Parent company policy.",
        approved_by="Jane Roe",
        expires="2027-06-30",
        issuer=CITY,
        source="w.yaml",
        source_pointer="/waivers/0",
        claims_city=False,
    )
    (bare,) = parse_waivers([ENTRY], issuer=VENDOR, source="v.yaml", base_pointer="")
    assert bare.source_pointer == "/0" and bare.issuer == VENDOR


def test_only_a_vendor_file_can_falsely_claim_the_city() -> None:
    claim = dict(ENTRY, issued_by="city")
    (vendor,) = parse_waivers([claim], issuer=VENDOR, source="v.yaml")
    (city,) = parse_waivers([claim], issuer=CITY, source="c.yaml")
    (plain,) = parse_waivers([ENTRY], issuer=VENDOR, source="v.yaml")
    assert (vendor.claims_city, city.claims_city, plain.claims_city) == (True, False, False)


def test_a_vendor_file_claiming_the_city_is_a_problem_at_the_field() -> None:
    from ocp_check.loader import load_bytes

    text = (
        "kind: waivers\nwaivers:\n  - id: V1\n    clause: DG-9.4\n    issued_by: city\n"
        "    reason: a contract clause\n    approved_by: Jane Roe\n    expires: 2027-01-01\n"
    )
    waivers, problems = load_vendor_waivers(load_bytes(text.encode(), "ocp-waivers.yaml"))
    assert [w.id for w in waivers] == ["V1"] and waivers[0].issuer == VENDOR
    assert problems == [
        WaiverProblem(
            "/waivers/0/issued_by",
            "waiver V1 claims to be issued by the city, but a waivers file inside the bid is the "
            "vendor's; it is treated as a vendor waiver",
        )
    ]


def test_duplicate_ids_are_named_with_both_places() -> None:
    data = {"kind": "waivers", "waivers": [ENTRY, dict(ENTRY, id="HV-2"), ENTRY]}
    assert validate_waivers_data(data) == [
        WaiverProblem("/waivers/2/id", "waiver id 'HV-1' is used twice (first at /waivers/0/id)")
    ]
    assert validate_waivers_data({"kind": "waivers", "waivers": [ENTRY]}) == []


def test_structural_problems_are_located() -> None:
    problems = validate_waivers_data({"kind": "waivers", "waivers": [dict(ENTRY, expires="soon")]})
    assert [p.pointer for p in problems] == ["/waivers/0/expires"]
    assert "soon" in problems[0].message


# --- edges found by mutation testing ---------------------------------------------------------


@pytest.mark.parametrize(
    ("submission", "pattern", "expected"),
    [
        ("harbourview", "harbourview", True),  # a submission named on its own, without a folder
        ("root/bids/harbourview", "harbourview", True),  # the last part, however deep
        ("root/bids/harbourview", "bids/harbourview", False),
        ("bids/harbourview/", "harbourview", True),  # a trailing slash is not part of the name
        ("bids/ACME-X", "ACME-X", True),
        ("bids/ACME-X", "ACME-", False),
    ],
)
def test_submission_names_by_their_last_part(submission: str, pattern: str, expected: bool) -> None:
    assert covers(waiver(submission=pattern), submission=submission) is expected


def test_pointer_scope_edges() -> None:
    assert not covers(waiver(pointer="/securityX"), finding(pointer="/security/a"))
    assert covers(waiver(pointer="/securityX"), finding(pointer="/securityX/a"))
    assert covers(waiver(pointer="/"), finding(pointer=""))  # the whole document, root included
    assert covers(waiver(pointer=""), finding(pointer=""))


def test_a_finding_that_is_not_active_does_not_stop_the_others() -> None:
    findings = [
        finding(state=FindingState.WAIVED),
        finding(),
        finding(state=FindingState.DISABLED),
        finding(),
    ]
    out, usage = apply(findings, [waiver()], submission="bid", city_evaluation=False, today=TODAY)
    assert [f.state for f in out] == [
        FindingState.WAIVED,
        FindingState.WAIVED,
        FindingState.DISABLED,
        FindingState.WAIVED,
    ]
    assert usage[waiver().key] == 2


def test_vendor_waivers_remember_their_file() -> None:
    from ocp_check.loader import load_bytes

    text = (
        "kind: waivers\nwaivers:\n  - id: V1\n    clause: DG-9.4\n"
        "    reason: a contract clause\n    approved_by: Jane Roe\n    expires: 2027-01-01\n"
    )
    (w,) = load_vendor_waivers(load_bytes(text.encode(), "sub/ocp-waivers.yaml"))[0]
    assert (w.source, w.source_pointer, w.key) == (
        "sub/ocp-waivers.yaml",
        "/waivers/0",
        ("sub/ocp-waivers.yaml", "/waivers/0", "V1"),
    )


def test_validation_messages() -> None:
    # Neither rule nor clause: the headline is the most telling part of the anyOf.
    no_scope = {k: v for k, v in ENTRY.items() if k not in ("rule", "clause")}
    assert validate_waivers_data({"kind": "waivers", "waivers": [no_scope]}) == [
        WaiverProblem("/waivers/0", "'rule' is a required property")
    ]
    bad_date = validate_waivers_data({"kind": "waivers", "waivers": [dict(ENTRY, expires="soon")]})
    assert bad_date == [WaiverProblem("/waivers/0/expires", "'soon' is not a 'date'")]
    long_id = validate_waivers_data({"kind": "waivers", "waivers": [dict(ENTRY, id="x" * 300 + " y")]})
    assert len(long_id) == 1 and len(long_id[0].message) == 240 and long_id[0].message.startswith("'xxx")
    many = validate_waivers_data({"kind": "waivers", "waivers": [dict(ENTRY, expires="soon")] * 25})
    assert len(many) == 20  # the first twenty, best first
