"""A city pins the text it relies on by content hash; other content is refused (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

from ocp_check.catalog import Catalog
from tests.conftest import REPO

# A bid that conforms to ocp-data-governance 1.1.0 (the example bids declare the 2.0 drafts).
BID = REPO / "standards" / "_examples" / "northwind-cmi"
SHA = Catalog(use_env=False).resolve("ocp-data-governance@1.1.0").sha256
WRONG = "0" * 64


def test_a_matching_pin_is_accepted(run):
    result = run(
        "check", str(BID), "--standard", f"ocp-data-governance@1.1.0#sha256:{SHA}", "--today", "2026-12-01"
    )
    assert result.exit_code == 0, result.stderr


def test_a_mismatching_pin_is_a_usage_error_naming_both_hashes(run):
    result = run("check", str(BID), "--standard", f"ocp-data-governance@1.1.0#sha256:{WRONG}")
    assert result.exit_code == 2
    assert f"pinned to content sha256:{WRONG}" in result.stderr and f"has sha256:{SHA}" in result.stderr


def test_a_malformed_pin_is_a_usage_error(run):
    result = run("check", str(BID), "--standard", "ocp-data-governance@1.1.0#md5:abc")
    assert result.exit_code == 2 and "#sha256:" in result.stderr


def test_a_profile_may_pin_and_a_mismatch_stops_the_run(run, tmp_path):
    profile = tmp_path / "profile.yaml"
    base = "kind: profile\nid: pinned\ntitle: Pinned city\nstandards:\n  - ocp-data-governance@1.1.0#sha256:{}\n"
    profile.write_text(base.format(SHA))
    assert run("check", str(BID), "--profile", str(profile), "--today", "2026-12-01").exit_code == 0
    profile.write_text(base.format(WRONG))
    result = run("check", str(BID), "--profile", str(profile))
    assert result.exit_code == 2 and WRONG in result.stderr and SHA in result.stderr


def test_verify_refuses_a_report_whose_standards_differ_from_the_pins(run, tmp_path):
    report = tmp_path / "report.json"
    pin = f"ocp-data-governance@1.1.0#sha256:{SHA}"
    result = run("check", str(BID), "--standard", pin, "--today", "2026-12-01", "--format", f"json:{report}")
    assert result.exit_code == 0
    assert run("verify", str(report)).exit_code == 0
    data = json.loads(report.read_text())
    for s in data["standards"]:
        if s["id"] == "ocp-data-governance":
            s["sha256"] = "f" * 64
    report.write_text(json.dumps(data, indent=2))
    refused = run("verify", str(report))
    assert refused.exit_code == 2
    assert "differ from the pinned ones" in refused.stderr and "f" * 64 in refused.stderr


def test_a_vendor_document_cannot_pin(run, tmp_path):
    bid = tmp_path / "bid"
    import shutil

    shutil.copytree(BID, bid)
    manifest = bid / "data-manifest.yaml"
    text = manifest.read_text()
    declared = text.split("standard:", 1)[1].split("\n", 1)[0].strip()
    manifest.write_text(text.replace(declared, f"ocp-data-governance@1.1.0#sha256:{WRONG}", 1))
    result = run("check", str(bid), "--format", "json", "--today", "2026-12-01")
    assert result.exit_code == 1  # a finding on the vendor's file, never a usage error
    messages = [
        f["message"] for s in result.json()["submissions"] for f in s["findings"] if f["rule"] == "version"
    ]
    assert messages and "not a known standard version" in messages[0]
    assert Path(manifest).is_file()
