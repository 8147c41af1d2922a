"""``verify_report`` reads back what ``render_report`` and the command line write;
``list_standards`` and ``load_standard`` describe what reports use."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import ocp_check

REPO = Path(__file__).resolve().parents[2]
TODAY = "2026-12-01"


@pytest.fixture
def bid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(REPO / "examples/bids/harbourview-sensors", tmp_path / "bid")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "bid"


def test_a_report_verifies_as_object_bytes_and_path(bid: Path, tmp_path: Path) -> None:
    report = ocp_check.check(["bid"], today=TODAY, jobs=1)
    text = ocp_check.render_report(report, "json")
    (tmp_path / "report.json").write_text(text)
    for given in (report, text.encode(), tmp_path / "report.json", "report.json"):
        outcome = ocp_check.verify_report(given)
        assert outcome.matches and outcome.differences == (), given
    assert ocp_check.verify_report("report.json").source == "report.json"


def test_a_changed_file_is_a_difference_as_the_command_line_says(bid: Path, tmp_path: Path) -> None:
    report = ocp_check.check(["bid"], today=TODAY, jobs=1)
    (tmp_path / "report.json").write_text(ocp_check.render_report(report, "json"))
    manifest = bid / "data-manifest.yaml"
    manifest.write_text(manifest.read_text() + "# edited after the report\n")
    outcome = ocp_check.verify_report(tmp_path / "report.json")
    assert not outcome.matches
    cli = subprocess.run(
        [sys.executable, "-m", "ocp_check", "verify", "report.json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert cli.returncode == 1
    assert [f"  - {line}" for line in outcome.differences] == cli.stdout.splitlines()[1:]


def test_a_report_moved_elsewhere_verifies_against_a_path(bid: Path, tmp_path: Path) -> None:
    report = ocp_check.check(["bid"], today=TODAY, jobs=1)
    shutil.copytree(bid, tmp_path / "copy")
    assert ocp_check.verify_report(report, tmp_path / "copy").matches


def test_what_is_not_a_report_is_a_usage_error(tmp_path: Path) -> None:
    for given in (b"{}", b"not json", tmp_path / "missing.json"):
        with pytest.raises(ocp_check.UsageError):
            ocp_check.verify_report(given)
    with pytest.raises(ocp_check.UsageError):
        ocp_check.verify_report(b"{}", max_report_size=0)


def test_the_listing_has_one_default_per_standard_and_load_standard_resolves_it() -> None:
    listing = ocp_check.list_standards()
    ids = {s.id for s in listing}
    assert {"ocp-data-governance", "ocp-data-retention", "ocp-api-exchange"} <= ids
    defaults = [s for s in listing if s.default]
    # At most one default per standard; a standard whose versions are all drafts not
    # released for trial use has none (a document must then name its version).
    assert len({s.id for s in defaults}) == len(defaults)
    assert {"ocp-data-governance", "ocp-data-retention", "ocp-api-exchange"} <= {s.id for s in defaults}
    for summary in defaults:
        loaded = ocp_check.load_standard(summary.id)
        assert loaded.ref == summary.ref
        assert loaded.document_kind == summary.document_kind
        assert loaded.clauses and all(isinstance(c.level, ocp_check.Level) for c in loaded.clauses)


def test_a_report_records_the_content_hash_load_standard_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    report = ocp_check.check(
        ["examples/bids/harbourview-sensors"], standards="ocp-data-governance@1.1", today=TODAY, jobs=1
    )
    recorded = {
        f"{s['id']}@{s['version']}": s["sha256"]
        for s in json.loads(ocp_check.render_report(report, "json"))["standards"]
    }
    loaded = ocp_check.load_standard("ocp-data-governance@1.1")
    assert recorded[loaded.ref] == loaded.sha256
    pinned = ocp_check.load_standard(f"{loaded.ref}#sha256:{loaded.sha256}")
    assert pinned == loaded


def test_standard_errors_are_typed() -> None:
    with pytest.raises(ocp_check.StandardNotFound) as missing:
        ocp_check.load_standard("ocp-data-governance@9")
    assert isinstance(missing.value, ocp_check.StandardError)
    assert isinstance(missing.value, ocp_check.OcpCheckError)
    assert missing.value.hint and "ocp-data-governance@1.0.0" in missing.value.hint
    with pytest.raises(ocp_check.PinMismatch):
        ocp_check.load_standard("ocp-data-governance@1.0.0#sha256:" + "0" * 64)
    with pytest.raises(ocp_check.StandardNotFound):
        ocp_check.check(["examples/bids/harbourview-sensors"], standards="no-such@1", jobs=1)
