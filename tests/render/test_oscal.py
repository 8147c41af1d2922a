"""OSCAL assessment results: valid against NIST's 1.2.1 schema, deterministic, complete, honest.

The report is built here from model types (no engine run) so this file stands on its own:
every clause status, findings in every state, findings on no clause and on no file, the same
clause id under two standards, a clause id that is not an OSCAL token, and hostile vendor
text. The shared canonical report of ``conftest.py`` is validated as well when it exists.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import referencing
from jsonschema import ValidationError, validators

from ocp_check.formats import make_format_checker
from ocp_check.model import (
    ClauseResult,
    DocumentKind,
    DocumentResult,
    Finding,
    FindingState,
    InputFile,
    Level,
    Location,
    Report,
    StandardInfo,
    StandardRef,
    Status,
    SubmissionResult,
    WaiverRef,
)
from ocp_check.render import RenderOptions
from ocp_check.render.oscal import render

regex = pytest.importorskip("regex")

REPO = Path(__file__).resolve().parents[2]
OSCAL_DIR = REPO / "tests" / "schemas" / "oscal"
SCHEMA_PATH = OSCAL_DIR / "oscal_assessment-results_schema-1.2.1.json"


# --- Validating with ECMAScript pattern semantics --------------------------------------------
#
# JSON Schema patterns are ECMA-262 regular expressions. NIST's schema uses Unicode property
# escapes (``\p{L}``, ``\p{N}`` in the ``token`` type), which Python's ``re`` rejects, so
# python-jsonschema's own ``pattern`` keyword cannot evaluate this schema at all. The third-party
# ``regex`` module implements Unicode properties and is otherwise compatible with ``re``, which
# covers the rest of these patterns (classes, groups, quantifiers, alternation, anchors).
#
# Where Python and ECMAScript disagree on the *same* syntax, the pattern is rewritten first so
# the verdict is ECMAScript's and never more lenient:
# * ``$`` (no multiline flag): ECMAScript matches only at the very end; Python also matches
#   before a final newline, so ``"title\n"`` would pass ``^[^\n]+$``. Rewritten to ``\Z``.
# * ``.``: ECMAScript excludes all line terminators (``\n \r \u2028 \u2029``); Python only
#   ``\n``. Rewritten to that negated class.
# * ``\s``/``\S``/``\d``/``\D``: rewritten to ECMAScript's exact sets (Python's Unicode ``\s``
#   has U+001C-U+001F and lacks U+FEFF; its ``\d`` matches every decimal digit).
# Anything the rewriter does not understand raises, so the helper fails loudly rather than
# validating with the wrong semantics. This schema uses no ``format: regex`` (a test checks), so
# only ``pattern`` and ``patternProperties`` need replacing.

_ECMA_SPACE = "\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
_OUTSIDE_CLASS = {
    "\\s": f"[{_ECMA_SPACE}]",
    "\\S": f"[^{_ECMA_SPACE}]",
    "\\d": "[0-9]",
    "\\D": "[^0-9]",
}
_INSIDE_CLASS = {"\\s": _ECMA_SPACE, "\\d": "0-9"}


def ecma_to_python(pattern: str) -> str:
    """Rewrite an ECMAScript pattern so ``regex`` gives ECMAScript's answer (see above)."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            escape = pattern[i : i + 2]
            if in_class and escape in ("\\S", "\\D"):
                raise ValueError(f"negated class escape inside a class: {pattern!r}")
            table = _INSIDE_CLASS if in_class else _OUTSIDE_CLASS
            out.append(table.get(escape, escape))
            i += 2
            continue
        if in_class:
            in_class = char != "]"
            out.append(char)
        elif char == "[":
            if pattern.startswith(("[]", "[^]"), i):
                raise ValueError(f"empty or any-character class differs in Python: {pattern!r}")
            in_class = True
            out.append(char)
        elif char == ".":
            out.append("[^\\n\\r\\u2028\\u2029]")
        elif char == "$":
            out.append("\\Z")
        else:
            out.append(char)
        i += 1
    if in_class:
        raise ValueError(f"unterminated class: {pattern!r}")
    return "".join(out)


@functools.cache
def _compiled(pattern: str) -> Any:
    return regex.compile(ecma_to_python(pattern))


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not _compiled(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties(
    validator: Any, properties: Any, instance: Any, schema: Any
) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in properties.items():
        for key, value in instance.items():
            if _compiled(pattern).search(key):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


@functools.lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return data


@functools.lru_cache(maxsize=1)
def oscal_validator() -> Any:
    schema = _schema()
    base = validators.validator_for(schema)
    keywords = {"pattern": _pattern, "patternProperties": _pattern_properties}
    ecma = validators.extend(base, keywords)  # type: ignore[no-untyped-call]
    # An empty registry: references resolve inside the schema and nothing is ever fetched.
    return ecma(schema, registry=referencing.Registry(), format_checker=make_format_checker())


def schema_errors(data: Any) -> list[str]:
    errors = sorted(oscal_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}" for e in errors]


# --- The report ------------------------------------------------------------------------------

DG = StandardRef("ocp-data-governance", "1.1.0")
DR = StandardRef("ocp-data-retention", "1.0.0")
SCRIPT = "<script>alert(1)</script>"
LINK = "[click](javascript:alert(1))"
IMAGE = "![x](https://evil.example/pixel.png)"
HOSTILE = f"{SCRIPT} {LINK} {IMAGE} \x1b[2J \u202e \x00 \ud800 line\nbreak\r\ncr\u2028ls \ufefftrail\n"
BID = f"bids/acme {SCRIPT} \u202e"
MANIFEST = f"{BID}/manifest {LINK}.yaml"
RETENTION = f"{BID}/retention\n\ud800.yaml"
ODD_CLAUSE = "3 odd:clause"


def _finding(
    rule: str,
    clause: str | None,
    standard: StandardRef | None,
    message: str,
    location: Location,
    **extra: Any,
) -> Finding:
    level = extra.pop("level", Level.MUST)
    return Finding(
        rule=rule,
        clause=clause,
        standard=standard,
        level=level,
        severity=level.severity,
        message=message,
        fix=extra.pop("fix", f"Fix {rule}."),
        location=location,
        **extra,
    )


def build_report() -> Report:
    city = WaiverRef("W-1", "city", "Records Manager", "2027-01-31", f"pilot {HOSTILE}", True)
    vendor = WaiverRef(
        f"V-1 {SCRIPT}", "vendor", f"ACME {LINK}", "2030-01-01", HOSTILE, False, "not honoured"
    )
    findings = (
        _finding(
            "load", None, None, f"cannot be read: {HOSTILE}", Location(f"{BID}/broken\x00.yaml", "", 2, 3)
        ),
        _finding(
            "schema", "DG-1.1", DG, HOSTILE, Location(MANIFEST, "", 1, 1), detail=(HOSTILE, "at /system")
        ),
        _finding(
            "DG-1.2-name", "DG-1.2", DG, f"bad name {HOSTILE}", Location(MANIFEST, "/system/name", 4, None)
        ),
        _finding("submission", "DG-1.2", DG, "the submission has no API description", Location("")),
        _finding(
            "DR-2.1-bounded",
            "DR-2.1",
            DR,
            "unbounded",
            Location(RETENTION, "/rules/0/period", 9, 11),
            state=FindingState.WAIVED,
            waiver=city,
        ),
        _finding(
            "DG-5.1-https",
            "DG-5.1",
            DG,
            "http server",
            Location(MANIFEST, "/servers/0", 7, 3),
            waiver=vendor,
        ),
        _finding(
            "DG-4.3-transfer",
            "DG-4.3",
            DG,
            "no transfer assessment",
            Location(MANIFEST, "/storage/0", 30, 5),
            state=FindingState.NOT_IN_FORCE,
            effective_from="2027-07-01",
        ),
        _finding(
            "attestation",
            "DG-6.1",
            DG,
            f"the vendor answers 'no' to DG-6.1: {HOSTILE}",
            Location(MANIFEST, "/attestations/DG-6.1", 50, 3),
        ),
        _finding(
            "DG-9.9-disabled",
            "DG-9.9",
            DG,
            "found but the clause is disabled",
            Location(MANIFEST, "/x", 60, 1),
            state=FindingState.NOT_IN_FORCE,
            level=Level.SHOULD,
        ),
        # Same clause id under the other standard: must not be linked to DG's XD-1.
        _finding(
            "XD-1-rule", "XD-1", DR, "retention rule without category", Location(RETENTION, "/rules/3", 40, 3)
        ),
        _finding("odd", ODD_CLAUSE, DG, "odd clause id", Location(MANIFEST, "/odd", 70, 1), level=Level.MAY),
    )

    def clause(std: StandardRef, cid: str, status: Status, reason: str = "", count: int = 0) -> ClauseResult:
        return ClauseResult(std, cid, f"Title of {cid} {HOSTILE}", Level.MUST, status, reason, count)

    clauses = (
        clause(DG, "DG-1.0", Status.PASS),
        clause(DG, "DG-1.1", Status.FAIL, count=1),
        clause(DG, "DG-1.2", Status.FAIL, count=2),
        clause(DR, "DR-2.1", Status.WAIVED, "all findings waived", 1),
        clause(DG, "DG-5.1", Status.FAIL, count=1),
        clause(DG, "DG-2.4", Status.NOT_APPLICABLE, f"no sensitive category {LINK}"),
        clause(DG, "DG-3.3", Status.ATTESTED, f"attested by the vendor, not verified: {HOSTILE}"),
        clause(DG, "DG-4.3", Status.NOT_IN_FORCE, "fails from 2027-07-01 (1 finding)", 1),
        clause(DG, "DG-4.4", Status.NOT_IN_FORCE, "in force from 2027-07-01"),
        clause(DG, "DG-6.1", Status.FAIL, count=1),
        clause(DG, "DG-9.9", Status.DISABLED, f"not in this tender {HOSTILE}"),
        clause(DR, "DR-3.1", Status.NOT_CHECKED, "no retention policy in the submission"),
        clause(DG, "XD-1", Status.PASS),
        clause(DR, "XD-1", Status.FAIL, count=1),
        clause(DG, ODD_CLAUSE, Status.FAIL, count=1),
    )
    documents = (
        DocumentResult(
            MANIFEST, DocumentKind.DATA_MANIFEST, DG, "declared", "a" * 64, "ocp-data-governance@1.1"
        ),
        DocumentResult(RETENTION, DocumentKind.RETENTION_POLICY, DR, "newest stable", "b" * 64),
        DocumentResult(f"{BID}/broken\x00.yaml", None, None, "", "c" * 64),
    )
    acme = SubmissionResult(BID, "bids", documents, findings, clauses)
    # The same bid judged against another version, with nothing to report: the include-all path.
    acme_old = SubmissionResult(BID, "bids", (), (), (), evaluation="ocp-data-governance@1.0.0")
    return Report(
        tool_version="0.1.0",
        submissions=(acme, acme_old),
        standards=(
            StandardInfo(DG, "Data governance", "approved", "d" * 64),
            StandardInfo(DR, "Data retention", "approved", "e" * 64),
        ),
        inputs=(InputFile(BID, MANIFEST, "a" * 64),),
        options={"fail_on": "error"},
        today="2026-01-15",
    )


@pytest.fixture
def oscal_report() -> Report:
    return build_report()


@pytest.fixture(autouse=True)
def _no_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def _render(report: Report) -> str:
    return render(report, RenderOptions())


def _doc(report: Report) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_render(report))
    return data


def _unescape(markdown: str) -> str:
    """Markdown backslash escapes removed, to compare the text a reader sees."""
    return re.sub(r"\\(.)", r"\1", markdown, flags=re.DOTALL)


def _prop(obj: dict[str, Any], name: str) -> str | None:
    values = [p["value"] for p in obj.get("props", []) if p["name"] == name]
    assert len(values) <= 1, (name, values)
    return values[0] if values else None


# --- The validator itself --------------------------------------------------------------------


def test_schema_uses_no_regex_format() -> None:
    """Only ``pattern`` is replaced; a ``format: regex`` would need the same treatment."""
    text = SCHEMA_PATH.read_text(encoding="utf-8")
    assert not re.search(r'"format"\s*:\s*"regex"', text)


def test_nist_examples_validate() -> None:
    examples = sorted((OSCAL_DIR / "examples").glob("*.json"))
    assert len(examples) == 2
    for path in examples:
        assert schema_errors(json.loads(path.read_text(encoding="utf-8"))) == [], path.name


def test_stdlib_re_cannot_read_the_token_pattern() -> None:
    """Why the extension exists: Python's ``re`` rejects ``\\p{L}``."""
    token = _schema()["definitions"]["TokenDatatype"]["pattern"]
    with pytest.raises(re.error):
        re.compile(token)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("DG-1.2", True),
        ("_x.y-z", True),
        ("équipe-٣", True),  # Unicode letter first, Unicode digit later: \p{L} / \p{N}
        ("٣x", False),  # a digit cannot start a token
        ("1bad", False),
        ("has space", False),
        ("a:b", False),
        ("", False),
    ],
)
def test_token_pattern_is_applied(oscal_report: Report, value: str, valid: bool) -> None:
    data = _doc(oscal_report)
    data["assessment-results"]["results"][0]["findings"][0]["target"]["target-id"] = value
    errors = schema_errors(data)
    assert (errors == []) is valid, errors


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "a title\n"),  # Python's $ would accept the final newline; ECMAScript's not
        ("title", ""),
        ("uuid", "not-a-uuid"),
        ("start", "2025-12-01 00:00:00"),
        ("start", "2025-12-01T00:00:00"),  # no zone
    ],
)
def test_invalid_values_fail(oscal_report: Report, field: str, value: str) -> None:
    data = _doc(oscal_report)
    data["assessment-results"]["results"][0][field] = value
    assert schema_errors(data), (field, value)


@pytest.mark.parametrize(
    "value", ["trailing ", " leading", "two\nlines", "cr\rinside", "ls\u2028inside", "\ufeffbom", ""]
)
def test_string_datatype_follows_ecmascript(oscal_report: Report, value: str) -> None:
    data = _doc(oscal_report)
    data["assessment-results"]["metadata"]["version"] = value
    assert schema_errors(data), repr(value)


def test_ecma_rewrite() -> None:
    assert ecma_to_python("^a.$") == "^a[^\\n\\r\\u2028\\u2029]\\Z"
    assert ecma_to_python("^[.$]\\.\\$$") == "^[.$]\\.\\$\\Z"
    assert ecma_to_python("^(\\p{L}|_)$") == "^(\\p{L}|_)\\Z"
    for bad in ("[]", "[^]", "[\\S]", "[abc"):
        with pytest.raises(ValueError):
            ecma_to_python(bad)


# --- The output ------------------------------------------------------------------------------


def test_output_is_valid(oscal_report: Report) -> None:
    assert schema_errors(_doc(oscal_report)) == []


def test_output_with_epoch_is_valid(oscal_report: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")
    assert schema_errors(_doc(oscal_report)) == []


def test_empty_report_is_valid() -> None:
    data = _doc(Report(tool_version="0.1.0", submissions=(), standards=(), inputs=()))
    assert schema_errors(data) == []
    assert len(data["assessment-results"]["results"]) == 1


def test_shared_canonical_report_is_valid(request: pytest.FixtureRequest) -> None:
    """The other renderers' canonical report (tests/render/conftest.py), when it is there."""
    try:
        report = request.getfixturevalue("report")
    except pytest.FixtureLookupError:
        pytest.skip("no shared 'report' fixture")
    assert isinstance(report, Report)
    assert schema_errors(_doc(report)) == []


def test_text_form(oscal_report: Report) -> None:
    text = _render(oscal_report)
    assert text.endswith("}\n")
    data = json.loads(text)
    assert text == json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    text.encode("utf-8")  # lone surrogates were replaced
    assert "\ufffd" in text


def test_deterministic(oscal_report: Report) -> None:
    assert _render(oscal_report) == _render(build_report())


def _timestamps(data: Any) -> set[str]:
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("last-modified", "start", "end", "collected") and isinstance(value, str):
                    found.add(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    return found


def test_timestamps_follow_source_date_epoch(oscal_report: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _timestamps(_doc(oscal_report)) == {"1970-01-01T00:00:00Z"}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")
    with_epoch = _render(oscal_report)
    assert _timestamps(json.loads(with_epoch)) == {"2025-12-01T00:00:00Z"}
    assert with_epoch == _render(oscal_report)
    for bad in ("not a number", "99999999999999", "-9999999999"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", bad)
        assert _timestamps(_doc(oscal_report)) == {"1970-01-01T00:00:00Z"}


def _all_uuids(data: Any) -> list[str]:
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("uuid"), str):
                out.append(node["uuid"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    return out


def test_uuids_are_v5_unique_and_references_resolve(oscal_report: Report) -> None:
    data = _doc(oscal_report)
    ids = _all_uuids(data)
    assert len(ids) == len(set(ids))
    assert all(uuid.UUID(i).version == 5 for i in ids)
    ar = data["assessment-results"]
    plan = ar["import-ap"]["href"]
    assert plan.startswith("#")
    assert plan[1:] in {r["uuid"] for r in ar["back-matter"]["resources"]}
    for result in ar["results"]:
        tools = {
            c["uuid"]
            for c in result.get("local-definitions", {}).get("assessment-assets", {}).get("components", [])
        }
        observations = {o["uuid"] for o in result.get("observations", [])}
        for item in result.get("observations", []) + result.get("findings", []):
            for origin in item["origins"]:
                assert {a["actor-uuid"] for a in origin["actors"]} <= tools
        for finding in result.get("findings", []):
            for rel in finding.get("related-observations", []):
                assert rel["observation-uuid"] in observations


def test_uuids_depend_on_content(oscal_report: Report) -> None:
    other = dataclasses.replace(oscal_report, today="2026-01-16")
    first, second = _doc(oscal_report), _doc(other)
    assert first["assessment-results"]["uuid"] != second["assessment-results"]["uuid"]
    assert not set(_all_uuids(first)) & set(_all_uuids(second))


def test_metadata_names_standards_and_hashes(oscal_report: Report) -> None:
    meta = _doc(oscal_report)["assessment-results"]["metadata"]
    assert meta["oscal-version"] == "1.2.1"
    assert meta["version"] == "0.1.0"
    pairs: dict[str, dict[str, str]] = {}
    for prop in meta["props"]:
        if prop["name"] in ("standard", "standard-sha256"):
            pairs.setdefault(prop["group"], {})[prop["name"]] = prop["value"]
    assert sorted((p["standard"], p["standard-sha256"]) for p in pairs.values()) == [
        (str(DG), "d" * 64),
        (str(DR), "e" * 64),
    ]


def test_every_clause_is_a_finding(oscal_report: Report) -> None:
    results = _doc(oscal_report)["assessment-results"]["results"]
    assert len(results) == len(oscal_report.submissions)
    for sub, result in zip(oscal_report.submissions, results, strict=True):
        got = [(_prop(f, "standard"), _prop(f, "clause")) for f in result.get("findings", [])]
        assert got == [(str(c.standard), c.clause) for c in sub.clauses]
        controls = {
            c["control-id"]
            for sel in result["reviewed-controls"]["control-selections"]
            for c in sel.get("include-controls", [])
        }
        assert {f["target"]["target-id"] for f in result.get("findings", [])} == controls
        if not sub.clauses:
            assert "include-all" in result["reviewed-controls"]["control-selections"][0]


EXPECTED_STATE = {
    "DG-1.0": ("satisfied", "pass"),
    "DG-1.1": ("not-satisfied", "fail"),
    "DR-2.1": ("not-satisfied", "waived"),
    "DG-2.4": ("satisfied", "not-applicable"),
    "DG-3.3": ("satisfied", "attested"),
    "DG-4.3": ("not-satisfied", "not-in-force"),  # fails once in force
    "DG-4.4": ("satisfied", "not-in-force"),  # nothing found
    "DG-9.9": ("not-satisfied", "disabled"),
    "DR-3.1": ("not-satisfied", "not-checked"),
}


def test_status_mapping(oscal_report: Report) -> None:
    findings = _doc(oscal_report)["assessment-results"]["results"][0]["findings"]
    by_clause = {(_prop(f, "standard"), _prop(f, "clause")): f for f in findings}
    seen_statuses = set()
    for f in findings:
        status = f["target"]["status"]
        assert status["reason"] == _prop(f, "status")
        seen_statuses.add(status["reason"])
    assert seen_statuses == {s.value for s in Status}
    for cid, (state, reason) in EXPECTED_STATE.items():
        std = str(DR) if cid.startswith("DR") else str(DG)
        status = by_clause[(std, cid)]["target"]["status"]
        assert (status["state"], status["reason"]) == (state, reason), cid
    na = by_clause[(str(DG), "DG-2.4")]["target"]
    assert na["implementation-status"] == {"state": "not-applicable"}
    attested = by_clause[(str(DG), "DG-3.3")]["target"]["status"]
    assert "attested by the vendor, not verified" in attested["remarks"].lower()


def test_observations_one_per_finding(oscal_report: Report) -> None:
    sub = oscal_report.submissions[0]
    result = _doc(oscal_report)["assessment-results"]["results"][0]
    observations = result["observations"]
    from_findings = [o for o in observations if _prop(o, "rule") is not None]
    assert len(from_findings) == len(sub.findings)
    for finding, obs in zip(sub.findings, from_findings, strict=True):
        assert _prop(obs, "rule") == finding.rule
        assert _prop(obs, "severity") == finding.severity.value
        assert _prop(obs, "state") == finding.state.value
        assert obs["methods"] == (["EXAMINE"] if finding.rule == "attestation" else ["TEST"])
        assert obs["collected"] == "1970-01-01T00:00:00Z"
        evidence = obs["relevant-evidence"][0]
        if finding.location.line is not None:
            assert f"line {finding.location.line}" in evidence["description"]
            assert _prop(evidence, "line") == str(finding.location.line)
        if finding.location.pointer:
            assert _prop(evidence, "pointer") == finding.location.pointer
        assert "Fix:" in obs["description"]
    waived = from_findings[4]
    assert "W-1" in waived["remarks"] and _prop(waived, "waiver") == "W-1"
    assert "not honoured" in from_findings[5]["remarks"]
    assert "2027-07-01" in _unescape(from_findings[6]["remarks"])


def test_related_observations_match_clause_and_standard(oscal_report: Report) -> None:
    result = _doc(oscal_report)["assessment-results"]["results"][0]
    observations = {o["uuid"]: o for o in result["observations"]}
    for finding in result["findings"]:
        key = (_prop(finding, "standard"), _prop(finding, "clause"))
        related = [observations[r["observation-uuid"]] for r in finding.get("related-observations", [])]
        for obs in related:
            assert (_prop(obs, "standard"), _prop(obs, "clause")) == key
        expected = sum(
            1
            for f in oscal_report.submissions[0].findings
            if f.standard is not None and (str(f.standard), f.clause) == key
        )
        status = finding["target"]["status"]["reason"]
        assert len(related) == expected + (1 if status == "attested" else 0), key
    dg_xd1 = next(
        f for f in result["findings"] if _prop(f, "clause") == "XD-1" and _prop(f, "standard") == str(DG)
    )
    assert "related-observations" not in dg_xd1
    attested = next(f for f in result["findings"] if f["target"]["status"]["reason"] == "attested")
    evidence = observations[attested["related-observations"][0]["observation-uuid"]]
    assert evidence["methods"] == ["EXAMINE"]
    assert "not verified" in evidence["remarks"]
    # findings on no clause are observations only, and the result says so
    assert "1 finding belongs to no clause" in result["remarks"]


def test_odd_clause_id_becomes_a_token(oscal_report: Report) -> None:
    result = _doc(oscal_report)["assessment-results"]["results"][0]
    odd = next(f for f in result["findings"] if _prop(f, "clause") == ODD_CLAUSE)
    assert odd["target"]["target-id"] == "_3_odd_clause"


_CODE_SPAN = re.compile(r"(`+)(.*?[^`])\1(?!`)|(`+) \3", re.DOTALL)
_MARKUP_KEYS = {"title", "description", "remarks", "text"}


def _markup_values(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _MARKUP_KEYS and isinstance(value, str):
                yield value
            else:
                yield from _markup_values(value)
    elif isinstance(node, list):
        for item in node:
            yield from _markup_values(item)


def test_vendor_text_is_inert_markdown(oscal_report: Report) -> None:
    """Outside code spans, no vendor HTML, link or image survives in OSCAL's Markdown fields."""
    values = list(_markup_values(_doc(oscal_report)))
    assert values
    for value in values:
        # Backslash-escaped characters are literal in CommonMark; what is left is live Markdown.
        live = re.sub(r"\\.", "", _CODE_SPAN.sub("", value), flags=re.DOTALL)
        assert "<" not in live, value
        assert "](" not in live, value
        assert "\x1b" not in value and "\u202e" not in value, value


def test_plain_props_keep_vendor_text(oscal_report: Report) -> None:
    """Property values are plain strings: whitespace collapsed, nothing else changed."""
    result = _doc(oscal_report)["assessment-results"]["results"][0]
    assert _prop(result, "submission") == " ".join(BID.split())
    schema_obs = result["observations"][1]
    assert _prop(schema_obs["relevant-evidence"][0], "file") == MANIFEST
