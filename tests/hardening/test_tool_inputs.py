"""The tool's own inputs are read like vendor files: one bounded, regular-file-only,
non-blocking reader. Profiles, waivers files, project configurations and reports given to
``verify`` (whose recorded paths are untrusted) fail with exit 2 and one line; standard input
obeys ``--max-file-size`` and is a finding, like any vendor document.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.hardening.devices import ZERO, char_device

PROFILE = REPO / "examples" / "profiles" / "ontario-municipality.yaml"


def _cli(*args: str, timeout: float = 60, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """A real process with a deadline: a read that blocks must fail the test, not hang it."""
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "stdin": subprocess.DEVNULL, **kwargs}
    try:
        return subprocess.run(
            [sys.executable, "-m", "ocp_check", *args], timeout=timeout, check=False, text=True, **streams
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"ocp-check {' '.join(args)} blocked for {timeout} s")


def _one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    return lines[0]


@pytest.mark.parametrize("option", ["--profile", "--waivers"])
def test_a_fifo_as_a_tool_input_is_refused_without_blocking(bid, tmp_path, option):
    fifo = tmp_path / "input.yaml"
    os.mkfifo(fifo)
    result = _cli("check", str(bid), option, str(fifo))
    assert result.returncode == 2
    assert "not a regular file" in _one_line(result.stderr)


@pytest.mark.parametrize("option", ["--profile", "--waivers", "--config"])
def test_a_device_as_a_tool_input_is_refused(bid, tmp_path, option):
    zero = char_device(tmp_path, "zero.yaml", ZERO)
    result = _cli("check", str(bid), option, str(zero))
    assert result.returncode == 2
    line = _one_line(result.stderr)
    assert "zero.yaml" in line and "not a regular file" in line


@pytest.mark.parametrize("option", ["--profile", "--waivers", "--config"])
def test_a_tool_input_over_the_size_limit_is_exit_2(run, bid, tmp_path, option):
    """A sparse file just over the limit of the tool's own inputs (64 MiB): refused, not read."""
    big = tmp_path / "big.yaml"
    with open(big, "wb") as handle:
        handle.truncate(64 * 1024 * 1024 + 1)
    result = run("check", str(bid), option, str(big))
    assert result.exit_code == 2
    line = _one_line(result.stderr)
    assert "big.yaml" in line and "67108865 bytes" in line and "limit is 67108864" in line


def test_a_huge_profile_is_refused_before_it_is_read(run, bid, tmp_path):
    """A sparse 100 GB file: refused by its size, never read into memory."""
    big = tmp_path / "profile.yaml"
    with open(big, "wb") as handle:
        handle.truncate(100 * 1024**3)
    result = run("check", str(bid), "--profile", str(big))
    assert result.exit_code == 2
    assert "107374182400 bytes" in _one_line(result.stderr)


def test_a_rule_pack_named_by_a_profile_is_bounded_too(run, bid, tmp_path):
    os.mkfifo(tmp_path / "local.yaml")
    profile = tmp_path / "p.yaml"
    profile.write_text(
        "kind: profile\nid: p\ntitle: P\nrule_packs:\n  - {standard: ocp-data-governance, path: local.yaml}\n"
    )
    result = _cli("check", str(bid), "--profile", str(profile))
    assert result.returncode == 2
    assert "not a regular file" in _one_line(result.stderr)


def test_a_huge_pyproject_is_refused(bid, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    with open(project / "pyproject.toml", "wb") as handle:
        handle.truncate(100 * 1024**3)
    result = _cli("check", str(bid), cwd=project)
    assert result.returncode == 2
    assert "pyproject.toml" in _one_line(result.stderr)


def test_standard_input_obeys_max_file_size(run, bid):
    manifest = (bid / "data-manifest.yaml").read_text()
    result = run("check", "-", "--max-file-size", "1000", "--format", "json", input=manifest)
    assert result.exit_code == 1
    findings = [f for f in result.json()["submissions"][0]["findings"] if f["location"]["file"] == "<stdin>"]
    assert [f["rule"] for f in findings] == ["load"]
    assert "more than 1000 bytes" in findings[0]["message"]


def test_an_endless_standard_input_stops_at_the_limit(tmp_path):
    """A replica of /dev/zero as standard input: read up to the limit, then a finding."""
    zero = char_device(tmp_path, "zero", ZERO)
    with open(zero, "rb") as endless:
        result = _cli("check", "-", "--max-file-size", "5000000", "--format", "json", stdin=endless)
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["submissions"][0]["findings"]
    assert any("more than 5000000 bytes" in f["message"] for f in findings if f["rule"] == "load")


def test_verify_of_a_deeply_nested_array_is_not_a_json_report(run, tmp_path):
    report = tmp_path / "deep.json"
    report.write_text("[" * 100_000 + "]" * 100_000)
    result = run("verify", str(report))
    assert result.exit_code == 2
    assert "not a JSON report" in _one_line(result.stderr)


def test_verify_refuses_a_fifo_report_without_blocking(tmp_path):
    fifo = tmp_path / "report.json"
    os.mkfifo(fifo)
    result = _cli("verify", str(fifo))
    assert result.returncode == 2
    assert "not a regular file" in _one_line(result.stderr)


def test_verify_refuses_a_report_over_its_size_limit(run, bid, tmp_path):
    report = tmp_path / "r.json"
    assert run("check", str(bid), "--format", f"json:{report}").exit_code == 0
    result = run("verify", str(report), "--max-report-size", "1000")
    assert result.exit_code == 2
    assert "limit is 1000" in _one_line(result.stderr)


def _recorded(run, bid: Path, tmp_path: Path, **edits: object) -> Path:
    profile = tmp_path / "profile.yaml"
    shutil.copy(PROFILE, profile)
    # The profile's local rule pack (the City's records by-law) is named relative to it.
    shutil.copy(PROFILE.parent / "harbourview-records-schedule.yaml", tmp_path)
    report = tmp_path / "r.json"
    result = run("check", str(bid), "--profile", str(profile), "--format", f"json:{report}")
    assert result.exit_code in (0, 1), result.stderr
    data = json.loads(report.read_text())
    data["options"].update(edits)
    report.write_text(json.dumps(data))
    return report


def test_verify_does_not_block_on_a_recorded_profile_that_is_a_fifo(run, bid, tmp_path):
    fifo = tmp_path / "evil.yaml"
    os.mkfifo(fifo)
    report = _recorded(run, bid, tmp_path, profile=str(fifo))
    result = _cli("verify", str(report))
    assert result.returncode == 2
    assert "not a regular file" in _one_line(result.stderr)


def test_verify_does_not_read_a_recorded_device(run, bid, tmp_path):
    zero = char_device(tmp_path, "zero", ZERO)
    report = _recorded(run, bid, tmp_path, waivers=[{"path": str(zero), "sha256": "0" * 64}])
    result = _cli("verify", str(report))
    assert result.returncode == 2
    assert "not a regular file" in _one_line(result.stderr)


def test_verify_reads_a_recorded_profile_within_the_default_size_limit(run, bid, tmp_path):
    big = tmp_path / "huge.yaml"
    with open(big, "wb") as handle:
        handle.truncate(100 * 1024**3)
    report = _recorded(run, bid, tmp_path, profile=str(big))
    result = run("verify", str(report))
    assert result.exit_code == 2
    assert "huge.yaml" in _one_line(result.stderr)


def test_a_fifo_named_as_a_trusted_key_is_refused_without_blocking(tmp_path):
    bundle = tmp_path / "b.tar.gz"
    bundle.write_bytes(b"not a bundle")
    fifo = tmp_path / "key.pub"
    os.mkfifo(fifo)
    result = _cli("standards", "install", str(bundle), "--trust", str(fifo), "--into", str(tmp_path / "s"))
    assert result.returncode == 2
    assert "not a regular file" in _one_line(result.stderr)
