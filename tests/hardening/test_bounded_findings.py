"""Findings are bounded: per rule per document and per document, the report shows at most a
cap and counts the rest ("folded"). The verdict, the exit code, the counts and every clause's
status are those of all findings; the caps and what was folded are stated in every format;
``verify`` reproduces a capped report.

The hostile case is a manifest whose ``data_categories`` is thousands of zeros: each item
fails fourteen rules, so 20,000 zeros made 280,070 findings, a 279 MB JSON report and 6.6 GB
in the parent at 100 KB. The 2,000-zero manifest here made 28,053 findings and a 33 MB
report; its timing and memory at full size are measured in ``bench/``.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import assert_valid_report

ZEROS = 2000


@pytest.fixture
def zeros(bid: Path) -> Path:
    """The example bid whose manifest lists ``ZEROS`` zeros as its data categories."""
    manifest = bid / "data-manifest.yaml"
    text = manifest.read_text()
    start = text.index("\ndata_categories:")
    end = re.search(r"\n[a-z_]+:", text[start + 2 :])
    assert end is not None
    rest = text[start + 2 + end.start() :]
    manifest.write_text(text[:start] + "\ndata_categories: [" + ",".join(["0"] * ZEROS) + "]" + rest)
    return bid


def _report(run, path: Path, *options: str) -> dict:
    result = run("check", str(path), "--format", "json", *options)
    assert result.exit_code == 1, result.stderr
    return result.json()


def _total(sub: dict) -> int:
    return len(sub["findings"]) + sum(g["count"] for g in sub.get("folded", []))


def test_caps_bound_the_report_and_change_nothing_that_decides(run, zeros):
    full = _report(run, zeros, "--max-findings-per-rule", "100000", "--max-findings-per-document", "1000000")
    capped = _report(run, zeros)
    full_sub, sub = full["submissions"][0], capped["submissions"][0]
    assert "folded" not in full_sub
    # Everything that decides is the same: verdict, counts, each clause's status and count.
    assert capped["verdict"] == full["verdict"] == "nonconformant"
    assert capped["counts"] == full["counts"]
    assert sub["counts"] == full_sub["counts"]
    assert sub["clauses"] == full_sub["clauses"]
    assert _total(sub) == len(full_sub["findings"]) > 14 * ZEROS
    # ... and the report is bounded: at most 100 per rule per document, 1,000 per document.
    per_rule = Counter((f["location"]["file"], f["rule"]) for f in sub["findings"])
    per_file = Counter(f["location"]["file"] for f in sub["findings"])
    assert max(per_rule.values()) <= 100 and max(per_file.values()) <= 1000
    assert capped["options"]["limits"]["max_findings_per_rule"] == 100
    assert capped["options"]["limits"]["max_findings_per_document"] == 1000
    assert len(json.dumps(capped)) < len(json.dumps(full)) / 10
    # Each folded group says what it holds; shown + folded = all, rule by rule.
    folded = Counter()
    for group in sub["folded"]:
        assert group["count"] > 0
        folded[(group["file"], group["rule"])] += group["count"]
    everything = Counter((f["location"]["file"], f["rule"]) for f in full_sub["findings"])
    assert {k: per_rule[k] + folded[k] for k in everything} == dict(everything)
    # The findings shown are the first ones of each rule, in document order.
    shown = [f["location"]["pointer"] for f in sub["findings"] if f["rule"] == "DG-2.1-origin"]
    assert [p.split("/")[2] for p in shown[:3]] == ["0", "1", "2"]


def test_a_rule_capped_to_one_finding_still_fails_its_clause(run, zeros):
    report = _report(run, zeros, "--max-findings-per-rule", "1")
    sub = report["submissions"][0]
    per_rule = Counter((f["location"]["file"], f["rule"]) for f in sub["findings"])
    assert set(per_rule.values()) == {1}
    clause = next(c for c in sub["clauses"] if c["clause"] == "DG-2.1")
    assert clause["status"] == "fail" and clause["findings"] == ZEROS
    assert report["counts"]["error"] + report["counts"]["warning"] >= 14 * ZEROS


def test_only_folded_errors_still_make_the_verdict(run, zeros, tmp_path):
    """Waive every shown finding of the manifest: the folded ones are still active errors."""
    waivers = tmp_path / "w.yaml"
    waivers.write_text(
        "kind: waivers\nwaivers:\n"
        "  - id: W-1\n    rule: DG-2.1-origin\n    scope: {files: [data-manifest.yaml], pointer: /data_categories/0}\n"
        "    reason: The first category is being rewritten.\n    approved_by: Test Officer\n"
        "    expires: 2099-01-01\n"
    )
    report = _report(run, zeros, "--waivers", str(waivers), "--max-findings-per-rule", "1")
    sub = report["submissions"][0]
    shown_states = [f["state"] for f in sub["findings"] if f["rule"] == "DG-2.1-origin"]
    assert shown_states == ["waived"]
    groups = [g for g in sub["folded"] if g["rule"] == "DG-2.1-origin"]
    assert [(g["state"], g["count"]) for g in groups] == [("active", ZEROS - 1)]
    assert next(c for c in sub["clauses"] if c["clause"] == "DG-2.1")["status"] == "fail"
    assert report["verdict"] == "nonconformant"
    assert report["waivers"][0]["matched"] == 1


def test_a_waiver_reaches_folded_findings(run, zeros, tmp_path):
    waivers = tmp_path / "w.yaml"
    waivers.write_text(
        "kind: waivers\nwaivers:\n"
        "  - id: W-2\n    rule: DG-2.1-origin\n    scope: {pointer: /data_categories/1999}\n"
        "    reason: The last category is being rewritten.\n    approved_by: Test Officer\n"
        "    expires: 2099-01-01\n"
    )
    report = _report(run, zeros, "--waivers", str(waivers), "--max-findings-per-rule", "10")
    groups = {
        g["state"]: g["count"] for g in report["submissions"][0]["folded"] if g["rule"] == "DG-2.1-origin"
    }
    assert groups == {"active": ZEROS - 11, "waived": 1}
    assert report["waivers"][0]["matched"] == 1
    assert report["counts"]["waived"] == 1


def test_every_format_states_the_caps_and_what_was_folded(run, zeros, tmp_path):
    from ocp_check.render import RENDERERS

    options = ("--max-findings-per-rule", "7", "--max-findings-per-document", "50")
    report = _report(run, zeros, *options)
    folded = sum(g["count"] for g in report["submissions"][0]["folded"])
    assert folded > 0
    outputs = {}
    for name in RENDERERS:
        target = tmp_path / f"report.{name}"
        result = run("check", str(zeros), "--format", f"{name}:{target}", *options)
        assert result.exit_code == 1, result.stderr
        outputs[name] = target.read_text()
    assert_valid_report(json.loads(outputs["json"]))
    ET.fromstring(outputs["junit"])
    groups = json.loads(outputs["json"])["submissions"][0]["folded"]
    assert sum(g["count"] for g in groups) == folded
    for name, text in outputs.items():
        plain = text.replace(",", "")
        if name != "json":  # the JSON report has the counts by group (summed just above)
            assert str(folded) in plain, f"{name} does not say how many findings were folded"
        assert "7" in plain and "50" in plain, name
        assert re.search(r"not shown|folded", text), name


def test_verify_reproduces_a_capped_report_and_catches_an_edited_folded_count(run, zeros, tmp_path):
    report = tmp_path / "r.json"
    result = run("check", str(zeros), "--format", f"json:{report}", "--max-findings-per-rule", "20")
    assert result.exit_code == 1
    assert run("verify", str(report)).exit_code == 0
    data = json.loads(report.read_text())
    data["submissions"][0]["folded"][0]["count"] -= 1
    report.write_text(json.dumps(data))
    result = run("verify", str(report))
    assert result.exit_code == 1
    assert "not shown" in result.stdout


def test_verify_does_not_take_a_recorded_cap_beyond_the_largest_accepted(run, bid, tmp_path):
    report = tmp_path / "r.json"
    assert run("check", str(bid), "--format", f"json:{report}").exit_code == 0
    data = json.loads(report.read_text())
    data["options"]["limits"]["max_findings_per_rule"] = 10**12
    report.write_text(json.dumps(data))
    result = run("verify", str(report))
    assert result.exit_code == 1  # re-run with the largest accepted cap: the options differ
    assert "Traceback" not in result.stderr


def test_a_megabyte_key_quoted_in_a_message_is_cut(run, bid):
    """A finding stays small whatever the vendor names things: its message is cut at 2,000
    characters (its pointer stays exact, so waivers and locations still work)."""
    import yaml

    key = "k" * 1_000_000
    api = yaml.safe_load((bid / "openapi.yaml").read_text())
    api["components"]["securitySchemes"][key] = {"type": "http", "scheme": "basic"}
    (bid / "openapi.yaml").unlink()
    (bid / "openapi.json").write_text(json.dumps(api))  # YAML caps implicit keys at 1,024 characters
    report = _report(run, bid, "--fail-on", "warning")
    [finding] = [f for f in report["submissions"][0]["findings"] if f["rule"] == "DX-2.5-no-basic-auth"]
    assert len(finding["message"]) == 2000 and finding["message"].endswith("…")
    assert finding["location"]["pointer"] == f"/components/securitySchemes/{key}/scheme"
