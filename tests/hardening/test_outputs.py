"""Report destinations: a regular file is replaced atomically; a device, FIFO or symbolic link
is never replaced. Character devices and FIFOs (``/dev/null``, ``/dev/stdout``, a named pipe)
are written through; anything else is refused with exit 2 and one line, before the run.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.hardening.devices import FULL, NULL, block_device, char_device, same_node


def _one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_a_replica_of_dev_null_is_written_through_not_replaced(run, bid, tmp_path):
    null = char_device(tmp_path, "null", NULL)
    result = run("check", str(bid), "-o", str(null))
    assert result.exit_code == 0, result.stderr
    assert same_node(null, stat.S_IFCHR, NULL)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bid", "null"]  # no temporary file left


def test_format_path_at_a_replica_of_dev_null_is_written_through(run, bid, tmp_path):
    null = char_device(tmp_path, "null", NULL)
    report = tmp_path / "r.json"
    result = run("check", str(bid), "--format", f"json:{report}", "--format", f"sarif:{null}")
    assert result.exit_code == 0, result.stderr
    assert same_node(null, stat.S_IFCHR, NULL)
    assert json.loads(report.read_text())["verdict"] == "conformant"


def test_a_replica_of_dev_full_fails_the_run_with_one_line(run, bid, tmp_path):
    full = char_device(tmp_path, "full", FULL)
    result = run("check", str(bid), "--format", "json", "-o", str(full))
    assert result.exit_code == 2
    line = _one_line(result.stderr)
    assert "full" in line and "No space left on device" in line
    assert same_node(full, stat.S_IFCHR, FULL)


def test_a_fifo_is_written_through(run, bid, tmp_path):
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def reader() -> None:
        with open(fifo, "rb") as handle:
            received.append(handle.read())

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    result = run("check", str(bid), "--format", f"json:{fifo}")
    thread.join(30)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert json.loads(received[0])["verdict"] == "conformant"


def test_a_symlink_to_a_regular_file_is_refused_before_the_run(run, bid, tmp_path):
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    link = tmp_path / "report.json"
    link.symlink_to(target)
    result = run("check", str(bid), "--format", "json", "-o", str(link))
    assert result.exit_code == 2
    line = _one_line(result.stderr)
    assert "report.json" in line and "symbolic link" in line
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == "keep me"


def test_a_dangling_symlink_is_refused(run, bid, tmp_path):
    link = tmp_path / "report.json"
    link.symlink_to(tmp_path / "nowhere.json")
    result = run("check", str(bid), "--format", f"json:{link}")
    assert result.exit_code == 2
    assert "symbolic link" in _one_line(result.stderr)
    assert link.is_symlink() and not (tmp_path / "nowhere.json").exists()


def test_a_symlink_to_a_replica_of_dev_null_is_written_through(run, bid, tmp_path):
    null = char_device(tmp_path, "null", NULL)
    link = tmp_path / "out.json"
    link.symlink_to(null)
    result = run("check", str(bid), "--format", "json", "-o", str(link))
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and same_node(null, stat.S_IFCHR, NULL)


def test_a_block_device_is_refused_and_never_opened(run, bid, tmp_path):
    block = block_device(tmp_path, "loop0")
    result = run("check", str(bid), "-o", str(block))
    assert result.exit_code == 2
    assert "block device" in _one_line(result.stderr)
    assert same_node(block, stat.S_IFBLK, (7, 0))


def test_a_socket_is_refused(run, bid, tmp_path):
    import socket

    path = tmp_path / "s.sock"
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(path))
        result = run("check", str(bid), "-o", str(path))
    finally:
        sock.close()
    assert result.exit_code == 2
    assert "socket" in _one_line(result.stderr)


def test_compare_and_schema_export_refuse_symlinks_too(run, bid, tmp_path):
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    link = tmp_path / "m.csv"
    link.symlink_to(target)
    result = run("compare", str(bid), "--format", f"csv:{link}")
    assert result.exit_code == 2 and "symbolic link" in _one_line(result.stderr)
    assert target.read_text() == "keep me"
    out = tmp_path / "schemas"
    out.mkdir()
    (out / "ocp-data-governance-1.0.0.schema.json").symlink_to(target)
    result = run("schema", "export", str(out), "--standard", "ocp-data-governance@1.0.0")
    assert result.exit_code == 2 and "symbolic link" in result.stderr
    assert target.read_text() == "keep me"


def test_a_regular_file_is_still_replaced_atomically(run, bid, tmp_path):
    report = tmp_path / "r.json"
    report.write_text("old")
    os.chmod(report, 0o600)
    result = run("check", str(bid), "--format", f"json:{report}")
    assert result.exit_code == 0
    assert json.loads(report.read_text())["verdict"] == "conformant"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bid", "r.json"]


def _cli(*args: str, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **kwargs}
    return subprocess.run([sys.executable, "-m", "ocp_check", *args], timeout=120, check=False, **streams)


def test_a_replica_of_dev_stdout_writes_through_to_the_pipe(bid, tmp_path):
    """``/dev/stdout`` is a link to ``/proc/self/fd/1``: a pipe here, written through."""
    if not Path("/proc/self/fd/1").exists():
        pytest.skip("no /proc/self/fd on this platform")
    stdout = tmp_path / "stdout"
    stdout.symlink_to("/proc/self/fd/1")
    result = _cli("check", str(bid), "--format", "json", "-o", str(stdout))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["verdict"] == "conformant"
    assert stdout.is_symlink() and os.readlink(stdout) == "/proc/self/fd/1"


def test_standard_output_on_a_full_device_is_exit_2_not_0(bid, tmp_path):
    full = char_device(tmp_path, "full", FULL)
    with open(full, "wb") as sink:
        result = _cli("check", str(bid), "--format", "json", stdout=sink, stderr=subprocess.PIPE)
    assert result.returncode == 2
    line = _one_line(result.stderr.decode())
    assert "standard output" in line and "No space left on device" in line


def test_the_benchmarks_never_give_a_device_as_a_report_path():
    """bench/ wrote ``-o /dev/null``: as root with the old writer that replaced the machine's
    null device. Reports the harness discards go to standard output, which it opens itself."""
    import re

    from tests.conftest import REPO

    for script in sorted((REPO / "bench").glob("*.py")):
        source = script.read_text()
        assert not re.search(r'"(?:-o|--output)",\s*"/dev/', source), script.name
        assert not re.search(r'"[a-z]+:/dev/', source), script.name


_BIDS = Path(__file__).resolve().parents[2] / "examples" / "bids"


@pytest.mark.parametrize("name", ["\r=3+4", "\n=3+4", " =3+4", "\t@SUM(1)"])
def test_compare_csv_keeps_a_bid_named_with_a_line_break_in_its_cell(run, tmp_path, name):
    """A folder named ``\\r=3+4`` split the header row (CR was not quoted) and the part after
    it became a live formula."""
    folder = tmp_path / "bids"
    shutil.copytree(_BIDS / "harbourview-sensors", folder / name)
    shutil.copytree(_BIDS / "panoptic-insights", folder / "panoptic")
    result = run("compare", str(folder), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert len({len(row) for row in rows}) == 1, rows[:2]
    header = rows[0]
    assert any(cell.endswith(name) for cell in header), header
    for row in rows:
        for cell in row:
            assert not cell.lstrip(" \t\r\n").startswith(("=", "+", "@")) or cell.startswith("'"), cell


def test_a_standards_bundle_never_replaces_a_device_or_a_link(run, tmp_path):
    """``standards pack`` writes its bundle through the same writer as the reports."""
    null = char_device(tmp_path, "null", NULL)
    result = run("standards", "pack", "ocp-data-retention@1.0.0", str(null))
    assert result.exit_code == 0, result.stderr
    assert same_node(null, stat.S_IFCHR, NULL)
    target = tmp_path / "precious.bin"
    target.write_text("keep me")
    link = tmp_path / "bundle.tar.gz"
    link.symlink_to(target)
    result = run("standards", "pack", "ocp-data-retention@1.0.0", str(link))
    assert result.exit_code == 2 and "symbolic link" in result.stderr
    assert target.read_text() == "keep me" and link.is_symlink()
    plain = tmp_path / "plain.tar.gz"
    assert run("standards", "pack", "ocp-data-retention@1.0.0", str(plain)).exit_code == 0
    assert stat.S_IMODE(plain.stat().st_mode) == 0o644
