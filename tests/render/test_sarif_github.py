"""SARIF as GitHub code scanning ingests it, checked against what GitHub documents.

``DESCRIPTOR`` and ``RESULT`` transcribe the tables of GitHub's "SARIF support for code
scanning" (reportingDescriptor, result and physicalLocation objects): which properties are
required, which recommended, their limits and allowed values. A real run over the example
bids and the foreign-format fixtures (so the engine's own rules are in it too) must meet
every line, so the README's upload recipe works on the first try.

On the code before this change rules had no ``fullDescription``, ``help`` only when every
finding had the same fix, no tags, precision or ``problem.severity``; fingerprints hashed the
path as typed, so an absolute path gave a new fingerprint in every clone; and a vendor value
``{0}`` in a message was a SARIF placeholder.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLE_BID, REPO

FIXTURES = REPO / "tests" / "fixtures" / "foreign"

#: reportingDescriptor: property path -> (required, recommended, check of the value)
DESCRIPTOR: dict[str, tuple[bool, bool, Any]] = {
    "id": (True, False, lambda v: isinstance(v, str) and v),
    "name": (False, False, lambda v: isinstance(v, str) and 0 < len(v) <= 255),
    "shortDescription.text": (True, False, lambda v: isinstance(v, str) and 0 < len(v) <= 1024),
    "fullDescription.text": (True, False, lambda v: isinstance(v, str) and 0 < len(v) <= 1024),
    "defaultConfiguration.level": (False, False, lambda v: v in ("note", "warning", "error")),
    "help.text": (True, False, lambda v: isinstance(v, str) and v),
    "help.markdown": (False, True, lambda v: isinstance(v, str) and v),
    "properties.tags": (False, False, lambda v: isinstance(v, list) and all(isinstance(t, str) and t for t in v)),
    "properties.precision": (False, True, lambda v: v in ("very-high", "high", "medium", "low")),
    "properties.problem.severity": (False, True, lambda v: v in ("error", "warning", "recommendation")),
}
#: result (and its location) -> (required, check)
RESULT: dict[str, tuple[bool, Any]] = {
    "ruleId": (False, lambda v: isinstance(v, str) and v),
    "ruleIndex": (False, lambda v: isinstance(v, int) and 0 <= v < 2**63),
    "level": (False, lambda v: v in ("none", "note", "warning", "error")),
    "message.text": (True, lambda v: isinstance(v, str) and v),
    "locations": (True, lambda v: isinstance(v, list) and 1 <= len(v) <= 10),
    "partialFingerprints": (True, lambda v: isinstance(v, dict) and v),
}
REGION = ("startLine", "startColumn", "endLine", "endColumn")


def _get(node: Any, path: str) -> Any:
    """A property by dotted path; ``problem.severity`` is one key of the property bag."""
    if path == "properties.problem.severity":
        return node.get("properties", {}).get("problem.severity")
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from typer.testing import CliRunner

    from ocp_check.cli import app

    root = tmp_path_factory.mktemp("sarif") / "bids"
    for bid in (REPO / "examples" / "bids").iterdir():
        shutil.copytree(bid, root / bid.name)
    shutil.copytree(FIXTURES, root / "foreign")
    (root / "braces").mkdir()
    (root / "braces" / "notes.yaml").write_text("kind: '{0} and {{1}}'\n")
    result = CliRunner().invoke(app, ["check", str(root), "--format", "sarif", "--today", "2026-12-01"])
    assert result.exit_code == 1, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_every_rule_carries_what_github_documents(log: dict[str, Any]) -> None:
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert len(rules) > 40  # clauses of the three standards and the engine's own rules
    engine = {r["id"] for r in rules if "/" not in r["id"]}
    assert {"foreign", "load"} <= engine
    for rule in rules:
        for path, (required, recommended, valid) in DESCRIPTOR.items():
            value = _get(rule, path)
            if value is None:
                assert not (required or recommended), (rule["id"], path)
                continue
            assert valid(value), (rule["id"], path, value)
        # Results of a rule with a security-severity would be security alerts: none is.
        assert "security-severity" not in rule["properties"]
        if rule["properties"]["clause"]:
            assert rule["fullDescription"]["text"].startswith(rule["properties"]["standard"])
            assert len(rule["fullDescription"]["text"]) > len(rule["shortDescription"]["text"])


def test_every_result_carries_what_github_documents(log: dict[str, Any]) -> None:
    run = log["runs"][0]
    assert run["results"]
    for result in run["results"]:
        for path, (required, valid) in RESULT.items():
            value = _get(result, path)
            if value is None:
                assert not required, (result["ruleId"], path)
                continue
            assert valid(value), (result["ruleId"], path, value)
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"]
        if "region" in physical:
            assert all(isinstance(physical["region"].get(k), int) for k in REGION), physical
            assert physical["region"]["endColumn"] > physical["region"]["startColumn"]


def test_artifacts_are_relative_to_srcroot_and_messages_escape_braces(log: dict[str, Any]) -> None:
    run = log["runs"][0]
    for result in run["results"]:
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location["uri"].startswith("file:///") or location["uriBaseId"] == "%SRCROOT%"
        text = result["message"]["text"]
        assert not re.search(r"[{}]", text.replace("{{", "").replace("}}", "")), text
    [braces] = [r for r in run["results"] if "notes.yaml" in r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]]
    assert "'kind: {{0}} and {{{{1}}}}' is not an OCP document kind" in braces["message"]["text"]
    for rule in run["tool"]["driver"]["rules"]:
        for text in (rule["shortDescription"]["text"], rule["fullDescription"]["text"], rule["help"]["text"]):
            assert not re.search(r"[{}]", text.replace("{{", "").replace("}}", "")), text


def _sarif(run: Any, path: Path) -> dict[str, Any]:
    result = run("check", str(path), "--format", "sarif", "--today", "2026-12-01")
    assert result.exit_code == 1
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_fingerprints_do_not_depend_on_where_the_checkout_is(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prints = []
    uris = []
    for clone in ("checkout-a", "elsewhere/checkout-b"):
        bid = tmp_path / clone / "bids" / "northwind"
        shutil.copytree(EXAMPLE_BID, bid)
        (bid / "retention-policy.yaml").unlink()  # something to report
        monkeypatch.chdir(tmp_path / clone)
        for given in (bid, Path("bids") / "northwind"):  # absolute, and as typed in the checkout
            log = _sarif(run, given)
            results = log["runs"][0]["results"]
            prints.append(sorted(r["partialFingerprints"]["ocpCheckFinding/v1"] for r in results))
            uris.append(sorted(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results))
    # Inside the working directory an absolute root is written relative to it, like a typed one.
    assert uris[0] == uris[1] == uris[2] == uris[3]
    assert all(not u.startswith("file:") for u in uris[0])
    # An absolute path gives the same fingerprints in both clones.
    assert prints[0] == prints[2]
    assert prints[1] == prints[3]


def test_a_root_outside_the_working_directory_is_an_absolute_uri(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bid = tmp_path / "bids" / "northwind"
    shutil.copytree(EXAMPLE_BID, bid)
    (bid / "retention-policy.yaml").unlink()
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    log = _sarif(run, bid)
    for result in log["runs"][0]["results"]:
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location["uri"].startswith("file://" + tmp_path.as_posix())
        assert "uriBaseId" not in location
