"""Properties that must hold for any input (hypothesis)."""

from __future__ import annotations

import contextlib
import datetime
import json
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ocp_check.catalog import Catalog
from ocp_check.engine import Settings, check
from ocp_check.loader import LoadError, load_bytes
from ocp_check.model import Finding, FindingState, Level, Location, Severity, exit_code_for
from ocp_check.render import RENDERERS, RenderOptions
from ocp_check.waivers import CITY, VENDOR, Waiver, apply
from tests.conftest import assert_valid_report

CATALOG = Catalog(use_env=False)

json_scalars = st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=20)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=25,
)
kinds = st.sampled_from(["data-manifest", "retention-policy", None])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=json_values, kind=kinds, as_json=st.booleans())
def test_any_document_goes_through_every_stage_and_renderer(body, kind, as_json):
    doc: object = body
    if kind is not None:
        doc = {"kind": kind, "standard": "ocp-data-governance@1.0", "body": body}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("doc.json" if as_json else "doc.yaml")
        path.write_text(json.dumps(doc) if as_json else yaml.safe_dump(doc, allow_unicode=True))
        # Whatever a vendor's file holds, it is judged: never a tool error (exit 2).
        report = check([str(path)], Settings(jobs=0, today=datetime.date(2026, 1, 1)), CATALOG)
    (sub,) = report.submissions
    assert sub.findings, "a file that is no conformant bid always has a finding"
    assert not sub.conformant and exit_code_for(report, "error") == 1
    assert {f.location.file for f in sub.findings} <= {path.name, ""}  # "": the submission itself
    outputs = {name: renderer(report, RenderOptions()) for name, renderer in RENDERERS.items()}
    for name, text in outputs.items():
        text.encode("utf-8")
        if name in ("text", "markdown", "github", "html"):
            assert path.name in text, name
    assert_valid_report(json.loads(outputs["json"]))
    for name in ("sarif", "oscal"):
        json.loads(outputs[name])
    ET.fromstring(outputs["junit"])


@settings(max_examples=60, deadline=None)
@given(raw=st.binary(max_size=300))
def test_arbitrary_bytes_raise_only_load_errors(raw):
    for fmt in ("yaml", "json"):
        with contextlib.suppress(LoadError):
            load_bytes(raw, "x", fmt=fmt)  # type: ignore[arg-type]


YAML11 = st.sampled_from(
    [
        "NO",
        "no",
        "No",
        "yes",
        "Yes",
        "on",
        "off",
        "On",
        "OFF",
        "y",
        "n",
        "1:30",
        "190:20:30",
        "0755",
        "0o17",
        "0x1F",
        "1_000",
        "2024-01-31",
        "2024-01-31T10:00:00Z",
        "+12",
        ".5e3x",
        "~x",
    ]
)


@given(value=YAML11, key=st.sampled_from(["country", "consent", "at", "mode", "version"]))
def test_yaml_11_style_scalars_load_as_text(value, key):
    data = load_bytes(f"{key}: {value}\n".encode(), "x.yaml").data
    assert data == {key: value}


def _finding(i: int, rule: str, state: FindingState) -> Finding:
    return Finding(
        rule,
        "C-1",
        None,
        Level.MUST,
        Severity.ERROR,
        f"m{i}",
        "f",
        Location("a.yaml", f"/x/{i}", 1, 1),
        state=state,
    )


@given(
    rules=st.lists(st.sampled_from(["r1", "r2", "r3"]), max_size=12),
    states=st.lists(st.sampled_from(list(FindingState)), max_size=12),
    waived_rules=st.lists(st.sampled_from(["r1", "r2", "r4"]), max_size=3),
    issuer=st.sampled_from([CITY, VENDOR]),
    city=st.booleans(),
    expires=st.sampled_from(["2025-01-01", "2030-01-01"]),
)
def test_waivers_only_move_findings_between_active_and_waived(
    rules, states, waived_rules, issuer, city, expires
):
    findings = [
        _finding(i, r, states[i % len(states)] if states else FindingState.ACTIVE)
        for i, r in enumerate(rules)
    ]
    waivers = [
        Waiver(
            f"W{i}",
            r,
            None,
            None,
            None,
            (),
            None,
            "reason",
            "someone",
            expires,
            issuer,
            "w.yaml",
            f"/waivers/{i}",
        )
        for i, r in enumerate(waived_rules)
    ]
    out, _ = apply(findings, waivers, submission="bid", city_evaluation=city, today=datetime.date(2026, 1, 1))
    assert len(out) == len(findings)
    for before, after in zip(findings, out, strict=False):
        assert (before.rule, before.location, before.message) == (after.rule, after.location, after.message)
        if before.state is not FindingState.ACTIVE:
            assert after == before
        else:
            assert after.state in (FindingState.ACTIVE, FindingState.WAIVED)


@given(
    severities=st.lists(st.sampled_from(list(Severity)), max_size=6),
    states=st.lists(st.sampled_from(list(FindingState)), max_size=6),
)
def test_exit_code_is_monotonic_in_fail_on(severities, states):
    from ocp_check.model import InputFile, Report, SubmissionResult

    level = {Severity.ERROR: Level.MUST, Severity.WARNING: Level.SHOULD, Severity.INFO: Level.MAY}
    findings = tuple(
        Finding(
            "r",
            "C",
            None,
            level[s],
            s,
            "m",
            "f",
            Location("a", "", 1, 1),
            state=states[i % len(states)] if states else FindingState.ACTIVE,
        )
        for i, s in enumerate(severities)
    )
    report = Report(
        "0", (SubmissionResult("b", "b", (), findings, ()),), (), (InputFile("b", "a", "0" * 64),)
    )
    codes = [exit_code_for(report, t) for t in ("never", "error", "warning", "info")]
    assert codes == sorted(codes)


# --- the shortcuts taken for speed agree with the plain definitions ---------------------------

_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.floats(-3, 3, allow_nan=False)
    | st.sampled_from("abcXY"),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from("kmz"), inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(_json_values, st.lists(_json_values, max_size=20))
def test_membership_and_counts_agree_with_json_equality(value, values):
    from ocp_check.check_base import _count, _member, json_equal

    assert _member(value, values) == any(json_equal(value, v) for v in values)
    assert _count(value, values) == sum(1 for v in values if json_equal(value, v))


@settings(max_examples=300, deadline=None)
@given(_json_values, st.integers(5, 120))
def test_show_cuts_the_same_text_as_encoding_everything(value, limit):
    from ocp_check.check_base import show

    if isinstance(value, str):
        text = value
    else:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))
    text = " ".join(text.split())
    expected = text if len(text) <= limit else text[: limit - 1] + "…"
    assert show(value, limit) == expected


def test_line_starts_agree_with_the_break_pattern():
    import re

    from ocp_check.loader import _JSON_BREAKS, _YAML_BREAKS, _Lines

    for text in ["", "a", "a\n", "a\nb", "\n\n", "ab\ncd\n\nx", "a\rb\r\nc", "a\x85b\u2028c", "\r\n\r"]:
        for breaks in (_YAML_BREAKS, _JSON_BREAKS):
            assert _Lines(text, breaks).starts() == [0, *(m.end() for m in re.finditer(breaks, text))]


def _escape_some(text: str, chosen: list[bool]) -> str:
    """JSON string body with some characters written as ``\\uXXXX`` escapes."""
    out = []
    for index, char in enumerate(text):
        if char in '"\\' or ord(char) < 0x20 or (chosen and chosen[index % len(chosen)]):
            out.append(f"\\u{ord(char):04x}" if ord(char) < 0x10000 else json.dumps(char)[1:-1])
        else:
            out.append(char)
    return "".join(out)


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(
        st.sampled_from(["TODO", "TODO: x", "TOD", "xTODO", "ok"]) | st.text(max_size=8), max_size=4
    ),
    chosen=st.lists(st.booleans(), max_size=5),
    as_yaml=st.booleans(),
)
def test_placeholder_precheck_never_hides_a_placeholder(values, chosen, as_yaml):
    """The text search that lets a large document skip the placeholder walk may say "maybe"
    wrongly, never "no" wrongly, however the values are escaped."""
    from ocp_check.stages.placeholders import may_hold_placeholder as _may_hold_placeholder
    from ocp_check.stages.placeholders import placeholders as _placeholders

    items = ", ".join(f'"{_escape_some(v, chosen)}"' for v in values)
    text = f"values: [{items}]\n" if as_yaml else f'{{"values": [{items}]}}'
    try:
        doc = load_bytes(text.encode("utf-8"), "doc", fmt=None if as_yaml else "json")
    except LoadError:
        return
    if _placeholders(doc.data):
        assert _may_hold_placeholder(doc.text)


def test_placeholder_precheck_sees_a_yaml_line_continuation() -> None:
    """A YAML double-quoted scalar joins ``TO\\`` + line break + ``DO`` into ``TODO``."""
    from ocp_check.stages.placeholders import may_hold_placeholder as _may_hold_placeholder
    from ocp_check.stages.placeholders import placeholders as _placeholders

    doc = load_bytes(b'a: "TO\\\n  DO: fill me"\n', "doc")
    assert _placeholders(doc.data) == [("/a", "fill me")]
    assert _may_hold_placeholder(doc.text)
    assert not _may_hold_placeholder('a: "TO DO"\n')
