"""Signals: SIGTERM and SIGINT, to the parent alone or to the whole process group, at several
moments of a run. Each must stop the workers promptly and leave no process, no temporary file
and no traceback: exit 143 (SIGTERM) or 130 (SIGINT) with one line on stderr, and the caller's
pipes closed (a caller waiting for end-of-file must not hang).

The run is made slow where the test needs a moment to last (a file that takes long to load, a
report written piece by piece) by a small wrapper around the real entry point; everything else
is the installed command as CI runs it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX signals and process groups")

# Runs the real entry point; OCP_TEST_SLOW_LOAD names a file whose loading sleeps (and says
# so through a marker file), OCP_TEST_SLOW_WRITE makes each piece of a report file take a while.
WRAPPER = """
import os, sys, time
slow_load = os.environ.get("OCP_TEST_SLOW_LOAD")
slow_write = os.environ.get("OCP_TEST_SLOW_WRITE")
marker = os.environ.get("OCP_TEST_MARKER", "")
if slow_load:
    import ocp_check.workspace as workspace
    real_load = workspace.load_bytes
    def load_bytes(raw, name, **kwargs):
        if name == slow_load:
            open(marker, "w").close()
            time.sleep(120)
        return real_load(raw, name, **kwargs)
    workspace.load_bytes = load_bytes
if slow_write:
    import ocp_check.render as render
    real_chunks = render.render_chunks
    def render_chunks(*args, **kwargs):
        for piece in real_chunks(*args, **kwargs):
            yield piece
            open(marker, "w").close()
            time.sleep(0.2)
    render.render_chunks = render_chunks
from ocp_check.entry import main
sys.argv[0] = "ocp-check"
main()
"""


def _start(args: list[str], env: dict[str, str], **kwargs: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", WRAPPER, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **env},
        start_new_session=True,
        **kwargs,  # type: ignore[call-overload]
    )


def _group(pgid: int) -> list[str]:
    """Processes still alive in the run's process group (zombies excluded)."""
    out = subprocess.run(["ps", "-eo", "pid=,pgid=,stat=,args="], capture_output=True, text=True, check=True)
    alive = []
    for line in out.stdout.splitlines():
        parts = line.split(None, 3)
        if len(parts) >= 3 and parts[1] == str(pgid) and not parts[2].startswith("Z"):
            alive.append(line)
    return alive


def _wait_for(path: Path, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the run never reached the moment to interrupt"
        time.sleep(0.02)


def _send(proc: subprocess.Popen[bytes], signum: int, target: str) -> None:
    if target == "group":
        os.killpg(proc.pid, signum)
    else:
        os.kill(proc.pid, signum)


def _finish(proc: subprocess.Popen[bytes], signum: int) -> str:
    start = time.monotonic()
    try:
        _stdout, stderr = proc.communicate(timeout=20)  # end-of-file on both pipes
    except subprocess.TimeoutExpired:
        for line in _group(proc.pid):
            os.kill(int(line.split()[0]), signal.SIGKILL)
        pytest.fail("the caller's pipes stayed open: the run or its workers did not stop")
    assert time.monotonic() - start < 10, "not stopped promptly"
    try:
        expected = 130 if signum == signal.SIGINT else 143
        assert proc.returncode == expected, (proc.returncode, stderr)
        text = stderr.decode()
        assert "Traceback" not in text and "Process " not in text, text
        lines = [line for line in text.splitlines() if line.strip()]
        assert lines == ["interrupted" if signum == signal.SIGINT else "terminated"], text
        time.sleep(0.2)
        assert _group(proc.pid) == [], "processes left behind"
    finally:
        for line in _group(proc.pid):
            os.kill(int(line.split()[0]), signal.SIGKILL)
    return text


def _bids(tmp_path: Path, bid: Path, count: int) -> Path:
    folder = tmp_path / "bids"
    folder.mkdir()
    manifest = (bid / "data-manifest.yaml").read_text()
    for index in range(count):
        (folder / f"m{index:03}.yaml").write_text(manifest)
    return folder


SIGNALS = [
    pytest.param(signal.SIGTERM, "parent", id="TERM-parent"),
    pytest.param(signal.SIGTERM, "group", id="TERM-group"),
    pytest.param(signal.SIGINT, "parent", id="INT-parent"),
    pytest.param(signal.SIGINT, "group", id="INT-group"),
]


@pytest.mark.parametrize(("signum", "target"), SIGNALS)
def test_a_signal_while_workers_check_files(tmp_path, bid, signum, target):
    folder = _bids(tmp_path, bid, 6)
    marker = tmp_path / "marker"
    report = tmp_path / "report.json"
    env = {"OCP_TEST_SLOW_LOAD": "m003.yaml", "OCP_TEST_MARKER": str(marker)}
    proc = _start(["check", "--each", str(folder), "--format", f"json:{report}", "--jobs", "2"], env)
    _wait_for(marker, proc)
    _send(proc, signum, target)
    _finish(proc, signum)
    assert not report.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bid", "bids", "marker"]


@pytest.mark.parametrize(("signum", "target"), SIGNALS)
def test_a_signal_while_the_report_is_written_leaves_the_old_report_and_no_temporary_file(
    tmp_path, bid, signum, target
):
    folder = _bids(tmp_path, bid, 30)
    marker = tmp_path / "marker"
    report = tmp_path / "report.json"
    report.write_text("previous report")
    env = {"OCP_TEST_SLOW_WRITE": "1", "OCP_TEST_MARKER": str(marker)}
    proc = _start(["check", "--each", str(folder), "--format", f"json:{report}", "--jobs", "2"], env)
    _wait_for(marker, proc)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")], "not writing yet"
    _send(proc, signum, target)
    _finish(proc, signum)
    assert report.read_text() == "previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bid", "bids", "marker", "report.json"]


@pytest.mark.parametrize(("signum", "target"), [SIGNALS[0], SIGNALS[3]])
def test_a_signal_while_reading_standard_input(tmp_path, signum, target):
    proc = _start(["check", "-"], {}, stdin=subprocess.PIPE)
    time.sleep(1.5)  # reading standard input, which never ends
    _send(proc, signum, target)
    _finish(proc, signum)
    assert proc.stdin is not None
    proc.stdin.close()


def test_a_signal_during_a_long_real_report_write(tmp_path, bid):
    """No wrapper: a real report of 400 submissions, interrupted once its temporary file exists."""
    folder = _bids(tmp_path, bid, 400)
    report = tmp_path / "report.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "ocp_check", "check", "--each", str(folder), "--format", f"json:{report}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]:
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.communicate()
            pytest.skip("the report was written before it could be interrupted")
        time.sleep(0.002)
    os.kill(proc.pid, signal.SIGTERM)
    _stdout, stderr = proc.communicate(timeout=20)
    if proc.returncode == 0:
        pytest.skip("the report was finished before the signal arrived")
    assert proc.returncode == 143, stderr
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert not report.exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux-only")
def test_workers_do_not_outlive_a_parent_killed_outright(tmp_path, bid):
    """SIGKILL cannot be handled: the workers still go, so they cannot hold the caller's pipes."""
    folder = _bids(tmp_path, bid, 6)
    marker = tmp_path / "marker"
    env = {"OCP_TEST_SLOW_LOAD": "m003.yaml", "OCP_TEST_MARKER": str(marker)}
    proc = _start(["check", "--each", str(folder), "--format", "json", "--jobs", "2"], env)
    _wait_for(marker, proc)
    os.kill(proc.pid, signal.SIGKILL)
    try:
        proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        for line in _group(proc.pid):
            os.kill(int(line.split()[0]), signal.SIGKILL)
        pytest.fail("workers outlived their parent and held its pipes")
    time.sleep(0.2)
    assert _group(proc.pid) == []


def test_a_run_that_is_not_interrupted_still_works_through_the_wrapper(tmp_path, bid):
    proc = _start(["check", str(bid), "--format", "json"], {})
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    assert json.loads(stdout)["verdict"] == "conformant"
