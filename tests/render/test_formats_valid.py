"""Each format is valid for its consumers and safe against the hostile values of the fixture.

SARIF is validated against the SARIF 2.1.0 schema and JUnit against the Ant ``JUnit.xsd``,
both vendored in ``tests/schemas/``. The XSD needs the ``xmlschema`` package (a test
dependency); a hand-written check of the same rules (required attributes, element order) runs
as well. Markdown is rendered with markdown-it to check that
no vendor value becomes HTML, a link, a heading or an extra table cell; GitHub commands are
decoded as the runner decodes them to check that no value starts a command of its own.
"""

from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from jsonschema.validators import validator_for
from referencing import Registry

from ocp_check import formats
from ocp_check.model import FindingState, Report, Status
from ocp_check.render import RENDERERS, RenderOptions
from ocp_check.sanitize import BIDI_CONTROLS

REPORT_SCHEMA = Path(__file__).resolve().parents[2] / "ocp_check" / "schemas" / "report.schema.json"
GOLDEN_JSON = Path(__file__).resolve().parents[1] / "golden" / "report.json"
OUTPUT_SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"

# C0 controls but newline and tab, DEL, C1 controls, bidi controls, lone surrogates.
TERMINAL_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff" + "".join(chr(c) for c in sorted(BIDI_CONTROLS)) + "]"
)


def render(name: str, report: Report) -> str:
    return RENDERERS[name](report, RenderOptions())


def validator(schema: dict[str, Any], **kwargs: Any) -> Any:
    """A validator of the schema's own draft that resolves nothing outside the schema."""
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, registry=Registry(), **kwargs)


# --- JSON -----------------------------------------------------------------------------------


def test_json_report_validates_against_the_report_schema(report: Report) -> None:
    schema = json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))
    check = validator(schema, format_checker=formats.make_format_checker())
    check.validate(json.loads(render("json", report)))
    if GOLDEN_JSON.exists():
        check.validate(json.loads(GOLDEN_JSON.read_text(encoding="utf-8")))


# --- SARIF ----------------------------------------------------------------------------------


@pytest.fixture
def sarif(report: Report) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(render("sarif", report))
    return data


def test_sarif_validates_against_the_sarif_schema(sarif: dict[str, Any]) -> None:
    path = OUTPUT_SCHEMAS / "sarif" / "sarif-schema-2.1.0.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    errors = sorted(validator(schema).iter_errors(sarif), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def _locations(sarif: dict[str, Any]) -> list[dict[str, Any]]:
    run = sarif["runs"][0]
    out = [loc["physicalLocation"]["artifactLocation"] for r in run["results"] for loc in r["locations"]]
    out += [a["location"] for a in run.get("artifacts", [])]
    return out


def test_sarif_uris_are_relative_percent_encoded_and_based(sarif: dict[str, Any]) -> None:
    run = sarif["runs"][0]
    bases = run["originalUriBaseIds"]
    for location in _locations(sarif):
        uri = location["uri"]
        assert location["uriBaseId"] in bases
        assert not re.search(r"[\s#?\\<>\"{}|^`\[\]]", uri), uri
        assert not re.search(r"%(?![0-9A-F]{2})", uri), uri
        assert ":" not in uri and not uri.startswith("/"), uri
        assert all(ord(c) < 0x80 for c in uri), uri
    for base in bases.values():
        if "uri" in base:
            assert base["uri"].endswith("/")
            assert base.get("uriBaseId", "%SRCROOT%") in bases


def test_sarif_rules_and_results_agree(sarif: dict[str, Any], report: Report) -> None:
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids)) and ids == sorted(ids)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    for rule in rules:
        if rule["properties"]["clause"]:
            assert rule["helpUri"].startswith("https://schemas.opencity.example/ocp-check/standards/")
    folded = [sub for sub in report.submissions if sub.folded]
    [invocation] = run["invocations"]
    assert invocation["executionSuccessful"] is True
    notes = invocation.get("toolExecutionNotifications", [])
    assert len(notes) == len(folded) == 1  # the fixture folds findings in one submission
    assert f"{folded[0].folded_count():,} more findings not listed" in notes[0]["message"]["text"]


def test_sarif_states(sarif: dict[str, Any], report: Report) -> None:
    results = sarif["runs"][0]["results"]
    findings = list(report.all_findings())
    assert len(results) == len(findings)
    for result, finding in zip(results, findings, strict=True):
        assert result["properties"]["state"] == finding.state.value
        if finding.state is FindingState.WAIVED:
            (suppression,) = result["suppressions"]
            assert suppression["kind"] == "external" and suppression["status"] == "accepted"
            assert finding.waiver is not None
            assert finding.waiver.expires in suppression["justification"]
        else:
            assert "suppressions" not in result, "an unwaived finding must never look suppressed"
        if finding.state in (FindingState.NOT_IN_FORCE, FindingState.DISABLED):
            # Neither counts: never a failing result (SARIF requires level none for them).
            assert (result["kind"], result["level"]) == ("informational", "none")
        else:
            assert result["kind"] == "fail"
            assert (
                result["level"]
                == {"error": "error", "warning": "warning", "info": "note"}[finding.severity.value]
            )
        region = result["locations"][0]["physicalLocation"].get("region")
        assert (region is not None) == (finding.location.line is not None and bool(finding.location.file))
    assert any(r.get("properties", {}).get("waiver", {}).get("honoured") is False for r in results)
    assert {f.state for f in findings} == set(FindingState), "the fixture has every finding state"


def test_sarif_fingerprints_are_stable_and_distinct(sarif: dict[str, Any], report: Report) -> None:
    moved = dataclasses.replace(
        report,
        submissions=tuple(
            dataclasses.replace(
                sub,
                findings=tuple(
                    dataclasses.replace(
                        f, location=dataclasses.replace(f.location, line=(f.location.line or 0) + 5)
                    )
                    for f in sub.findings
                ),
            )
            for sub in report.submissions
        ),
    )
    moved_sarif = json.loads(render("sarif", moved))

    def prints(data: dict[str, Any]) -> list[str]:
        return [r["partialFingerprints"]["ocpCheckFinding/v1"] for r in data["runs"][0]["results"]]

    assert prints(sarif) == prints(moved_sarif)
    assert len(set(prints(sarif))) == len(prints(sarif))


def test_sarif_text_shows_no_controls(sarif: dict[str, Any]) -> None:
    def texts(node: Any) -> list[str]:
        if isinstance(node, dict):
            return [s for k, v in node.items() if k != "uri" for s in texts(v)]
        if isinstance(node, list):
            return [s for v in node for s in texts(v)]
        return [node] if isinstance(node, str) else []

    for text in texts(sarif):
        assert not TERMINAL_UNSAFE.search(text.replace("\n", "")), repr(text)


# --- JUnit ----------------------------------------------------------------------------------


@pytest.fixture
def junit_text(report: Report) -> str:
    return render("junit", report)


def test_junit_reparses_and_keeps_hostile_text_as_text(junit_text: str) -> None:
    root = ET.fromstring(junit_text.encode("utf-8"))
    failures = list(root.iter("failure"))
    assert any("<script>alert(1)</script>" in (f.text or "") for f in failures)
    assert any("]]>" in (f.get("message") or "") for f in failures)
    assert not root.findall(".//script")
    for element in root.iter():
        for value in [element.text or "", *element.attrib.values()]:
            assert not TERMINAL_UNSAFE.search(value.replace("\n", "")), repr(value)


def test_junit_validates_against_the_xsd(junit_text: str) -> None:
    import xmlschema

    schema = xmlschema.XMLSchema(str(OUTPUT_SCHEMAS / "junit" / "JUnit.xsd"))
    schema.validate(junit_text)


_SUITE_ATTRS = {
    "name",
    "timestamp",
    "hostname",
    "tests",
    "failures",
    "errors",
    "time",
    "package",
    "id",
}


def test_junit_follows_the_xsd_structure(junit_text: str) -> None:
    """The rules of JUnit.xsd, checked by hand so they hold without an XSD validator."""
    xsd = (OUTPUT_SCHEMAS / "junit" / "JUnit.xsd").read_text(encoding="utf-8")
    assert 'name="testsuites"' in xsd and 'name="system-err"' in xsd  # the schema these rules come from
    root = ET.fromstring(junit_text)
    assert root.tag == "testsuites" and not root.attrib
    for number, suite in enumerate(root):
        assert suite.tag == "testsuite"
        assert _SUITE_ATTRS <= set(suite.attrib) <= _SUITE_ATTRS | {"skipped"}
        assert suite.get("id") == str(number)
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", suite.get("timestamp", ""))
        assert " ".join(suite.get("name", "").split()) and suite.get("hostname") == "localhost"
        tags = [child.tag for child in suite]
        assert tags[0] == "properties" and tags[-2:] == ["system-out", "system-err"]
        assert set(tags[1:-2]) <= {"testcase"}
        for prop in suite[0]:
            assert prop.tag == "property" and set(prop.attrib) == {"name", "value"} and prop.get("name")
        cases = suite.findall("testcase")
        assert int(suite.get("tests", "")) == len(cases)
        assert int(suite.get("failures", "")) == sum(1 for c in cases if c.find("failure") is not None)
        assert int(suite.get("skipped", "")) == sum(1 for c in cases if c.find("skipped") is not None)
        assert suite.get("errors") == "0" and suite.get("time") == "0"
        for case in cases:
            assert set(case.attrib) == {"name", "classname", "time"}
            assert len(case) <= 1
            for outcome in case:
                assert outcome.tag in ("failure", "skipped") and len(outcome) == 0
                allowed = {"message", "type"} if outcome.tag == "failure" else {"message"}
                assert set(outcome.attrib) <= allowed
                if outcome.tag == "failure":
                    assert outcome.get("type") in ("error", "warning", "info")


def _cases(junit_text: str) -> dict[tuple[str, str], ET.Element]:
    root = ET.fromstring(junit_text)
    return {
        (suite.get("name", ""), case.get("name", "").split(" ")[0]): case
        for suite in root
        for case in suite.findall("testcase")
    }


def test_junit_maps_statuses_and_places_clauses(junit_text: str, report: Report) -> None:
    acme, beta = report.submissions
    cases = _cases(junit_text)
    manifest = f"{acme.name}: {acme.documents[1].path}"
    retention = f"{acme.name}: {acme.documents[4].path}"
    assert cases[(manifest, "DG-1.2")].find("failure") is not None
    assert cases[(manifest, "DG-1.3")].find("*") is None  # pass
    assert cases[(manifest, "XD-3")].find("*") is None  # attested
    assert cases[(manifest, "DG-4.3")].find("skipped") is not None  # not in force
    assert cases[(manifest, "XD-4")].find("skipped") is not None  # not applicable
    # A cross-document clause is a test case in each document holding its findings; the
    # retention policy's findings are all waived, so there it is skipped, not failed.
    assert cases[(manifest, "XD-1")].find("failure") is not None
    assert cases[(retention, "XD-1")].find("skipped") is not None
    waived = cases[(retention, "DR-2.1")].find("skipped")
    assert waived is not None and "waived" in (waived.get("message") or "")
    # Findings without a clause still fail.
    assert any(k[1] == "load" and c.find("failure") is not None for k, c in cases.items())
    # Beta: no retention policy, so its clauses have no document: the submission-level suite.
    level = f"{beta.name}: (submission)"
    skipped = cases[(level, "DR-1.0")].find("skipped")
    assert skipped is not None and "no retention policy" in (skipped.get("message") or "")
    assert cases[(level, "XD-11")].find("skipped") is not None  # waived, on no file
    assert cases[(f"{beta.name}: {beta.documents[1].path}", "DG-5.2")].find("skipped") is not None  # disabled
    assert "attested, not verified" in junit_text
    statuses = {c.status for s in report.submissions for c in s.clauses}
    assert statuses == set(Status), "the fixture must cover every clause status"


# --- Markdown -------------------------------------------------------------------------------

_ALLOWED_TAGS = {
    "h2",
    "h3",
    "p",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "code",
    "details",
    "summary",
}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.rows: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        if tag == "tr":
            self.rows.append(0)
        if tag in ("td", "th"):
            self.rows[-1] += 1


def test_markdown_renders_no_vendor_html_links_or_headings(report: Report) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    text = render("markdown", report)
    html = markdown_it.MarkdownIt("commonmark").enable("table").render(text)
    parser = _Tags()
    parser.feed(html)
    tags = {tag for tag, _ in parser.tags}
    assert tags <= _ALLOWED_TAGS, tags - _ALLOWED_TAGS
    assert not any(attrs for tag, attrs in parser.tags if tag not in ("th", "td"))
    assert "<a " not in html and "href" not in html and "<img" not in html
    # Every table row has as many cells as its header: no vendor "|" made a new cell.
    for table in re.findall(r"<table>.*?</table>", html, flags=re.S):
        rows = _Tags()
        rows.feed(table)
        assert len(set(rows.rows)) == 1, rows.rows
    # "# Approved" in a value never becomes a heading.
    assert "Approved</h" not in html


def test_markdown_raw_html_is_only_details_and_summary(report: Report) -> None:
    text = render("markdown", report)
    for line in text.splitlines():
        outside_code = re.sub(r"(`+).*?\1", "", line)
        for tag in re.findall(r"</?([A-Za-z][\w-]*)", outside_code.replace("\\<", "")):
            assert tag in ("details", "summary"), line
    assert "](javascript:" not in text


# --- GitHub ---------------------------------------------------------------------------------

_COMMAND = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


def _decode(s: str) -> str:
    return (
        s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
    )


def test_github_one_command_per_finding_and_no_forgery(report: Report) -> None:
    lines = render("github", report).splitlines()
    *commands, summary = lines
    assert not summary.startswith("::") and summary.startswith("ocp-check: nonconformant")
    shown = [f for f in report.all_findings() if f.state in (FindingState.ACTIVE, FindingState.WAIVED)]
    folded = [g for sub in report.submissions for g in sub.folded]
    *commands, = commands[: len(shown)]
    folded_commands = lines[len(shown) : -1]
    assert len(folded_commands) == len(folded)  # one annotation per group the caps left out
    for line, group in zip(folded_commands, folded, strict=True):
        assert f"{group.count:,} more" in line and "not shown" in line
    for line, finding in zip(commands, shown, strict=True):
        match = _COMMAND.match(line)
        assert match, line
        command, properties, message = match.groups()
        expected = (
            "notice"
            if finding.state is FindingState.WAIVED
            else {"error": "error", "warning": "warning", "info": "notice"}[finding.severity.value]
        )
        assert command == expected
        names = [p.split("=", 1)[0] for p in properties.split(",")]
        assert set(names) <= {"file", "line", "col", "title"} and len(names) == len(set(names))
        for decoded_line in _decode(message).split("\n"):
            assert not decoded_line.lstrip().startswith("::"), line
        assert not TERMINAL_UNSAFE.search(line)
    assert any("%250A::error::forged" in line for line in commands)


# --- Text -----------------------------------------------------------------------------------


def test_text_has_no_terminal_controls(report: Report) -> None:
    assert not TERMINAL_UNSAFE.search(render("text", report).replace("\n", "").replace("\t", ""))


def test_text_has_no_terminal_controls_outside_the_document_list(report: Report) -> None:
    """Everything but the known leak above: the report with a harmless standard_reason."""
    cleaned = dataclasses.replace(
        report,
        submissions=tuple(
            dataclasses.replace(
                sub,
                documents=tuple(dataclasses.replace(d, standard_reason="declared") for d in sub.documents),
            )
            for sub in report.submissions
        ),
    )
    for verbose in (0, 1):
        text = RENDERERS["text"](cleaned, RenderOptions(verbose=verbose))
        assert not TERMINAL_UNSAFE.search(text.replace("\n", "").replace("\t", ""))
