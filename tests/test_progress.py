"""Progress on stderr: a bar on a terminal for runs longer than a second, lines in a log when
asked for, nothing otherwise; the report is the same with or without it.

The end-to-end test runs ``ocp-check check`` on 300 generated bids (``bench/generate.py``)
with stderr on a pseudo-terminal (Python's ``pty``), as a person at a terminal would.
"""

from __future__ import annotations

import fcntl
import io
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from ocp_check.cli.progress import ProgressDisplay
from ocp_check.watch import TICK

REPO = Path(__file__).resolve().parents[1]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_nothing_in_the_first_second() -> None:
    clock, stream = Clock(), io.StringIO()
    with ProgressDisplay(stream, terminal=False, clock=clock) as display:
        display.planned(3)
        clock.now += 0.9
        display.judged(3)
    assert stream.getvalue() == ""


def test_log_lines_every_few_seconds_and_at_the_end() -> None:
    clock, stream = Clock(), io.StringIO()
    with ProgressDisplay(stream, terminal=False, clock=clock) as display:
        display.planned(300)
        for _ in range(300):
            clock.now += 0.0625  # exact in binary: 16 a second
            display.judged()
    lines = stream.getvalue().splitlines()
    # 18.75 s in all: a first line after a second, then one every 5 s, and the last one.
    assert lines == [
        "ocp-check: 16 of 300 submissions checked in 1 s",
        "ocp-check: 96 of 300 submissions checked in 6 s",
        "ocp-check: 176 of 300 submissions checked in 11 s",
        "ocp-check: 256 of 300 submissions checked in 16 s",
        "ocp-check: 300 of 300 submissions checked in 19 s",
    ]
    assert not ANSI.search(stream.getvalue())


def test_terminal_bar_is_redrawn_and_removed() -> None:
    clock, stream = Clock(), Terminal()
    with ProgressDisplay(stream, terminal=True, clock=clock) as display:
        display.planned(10)
        clock.now += 1.5
        display.judged(4)
        clock.now += TICK * 2
        display.tick()
    text = stream.getvalue()
    assert "Checking submissions" in text and "4/10" in text
    assert text.endswith("\x1b[2K") or "\x1b[2K" in text[-20:]  # the bar is erased at the end


def test_writing_the_reports_is_shown_too() -> None:
    clock, stream = Clock(), Terminal()
    with ProgressDisplay(stream, terminal=True, clock=clock) as display:
        display.planned(2)
        clock.now += 2
        display.judged(2)
        display.writing()
    assert "Writing the reports" in stream.getvalue()
    clock, log = Clock(), io.StringIO()
    with ProgressDisplay(log, terminal=False, clock=clock) as display:
        display.planned(2)
        clock.now += 2
        display.judged(2)
        display.writing()
        clock.now += 3  # the reports take their time; the log said its last word already
    assert log.getvalue().splitlines()[-1] == "ocp-check: 2 of 2 submissions checked in 2 s"
    assert log.getvalue().count("2 of 2") == 1


def test_no_submissions_shows_nothing() -> None:
    clock, stream = Clock(), io.StringIO()
    with ProgressDisplay(stream, terminal=False, clock=clock) as display:
        clock.now += 5
        display.tick()
    assert stream.getvalue() == ""


def test_progress_in_a_log_when_asked(run, bid, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ocp_check.cli.progress.DELAY", 0.0)
    asked = run("check", str(bid), "--progress")
    assert "ocp-check: 1 of 1 submissions checked in" in asked.stderr
    plain = run("check", str(bid))
    assert plain.stderr == ""  # not a terminal: nothing unless asked
    assert asked.stdout == plain.stdout


def _generate(tmp: Path, count: int) -> Path:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import generate  # bench/generate.py
    finally:
        sys.path.remove(str(REPO / "bench"))
    generate.OUT = tmp
    generate.gen_bids(count)
    return tmp / f"bids-{count}"


@pytest.fixture(scope="module")
def bids_300(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generate(tmp_path_factory.mktemp("bench"), 300)


def _on_a_terminal(args: list[str], cwd: Path, stdout: Path) -> tuple[int, bytes]:
    """Run ``ocp-check ARGS`` with stderr on an 80 × 24 pseudo-terminal; return the exit code
    and everything written to the terminal."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "COLUMNS", "NO_COLOR", "FORCE_COLOR")}
    env["TERM"] = "xterm-256color"
    with stdout.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "ocp_check", *args],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=follower,
            cwd=cwd,
            env=env,
        )
    os.close(follower)
    seen = bytearray()
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the other end closed: the process has exited
            break
        if not data:
            break
        seen.extend(data)
    os.close(leader)
    return process.wait(timeout=600), bytes(seen)


@pytest.mark.slow
def test_three_hundred_bids_show_progress_on_a_terminal_and_end_with_the_summary(
    bids_300: Path, tmp_path: Path
) -> None:
    stdout = tmp_path / "report.txt"
    code, seen = _on_a_terminal(["check", str(bids_300), "--today", "2026-12-01"], bids_300.parent, stdout)
    assert code == 1
    screen = seen.decode("utf-8", "replace")
    counts = [int(n) for n in re.findall(r"(\d+)/300", screen)]
    assert counts and counts[-1] == 300, screen[-500:]
    assert counts == sorted(counts)  # it only moves forward
    assert len(set(counts)) > 3  # and it moved while the bids were checked
    assert "Checking submissions" in screen and "Writing the reports" in screen
    assert screen.rstrip("\r\n").endswith("\x1b[2K")  # the bar is gone before the report
    report = stdout.read_text()
    assert not ANSI.search(report)  # the report went to a file
    tail = report.split("Summary by submission:")[1].strip().splitlines()
    assert tail[0].split()[:3] == ["submission", "in", f"{bids_300}/"]
    rows = [r for r in tail if r.startswith("bid-")]
    assert len(rows) == 300
    assert tail[-1].startswith("✘ nonconformant") and "300 submissions checked" in tail[-1]


@pytest.mark.slow
def test_quiet_on_a_terminal_shows_no_progress(bids_300: Path, tmp_path: Path) -> None:
    some = [str(p) for p in sorted(bids_300.iterdir())[:60]]  # several seconds of work
    code, seen = _on_a_terminal(
        ["check", *some, "--today", "2026-12-01", "-q"], bids_300.parent, tmp_path / "r"
    )
    assert code == 1
    assert seen == b""


class Recorder:
    def __init__(self) -> None:
        self.planned_total = 0
        self.judged_total = 0
        self.ticks = 0
        self.steps: list[tuple[int, int]] = []

    def planned(self, count: int) -> None:
        self.planned_total += count

    def judged(self, count: int = 1) -> None:
        self.judged_total += count
        self.steps.append((self.judged_total, self.planned_total))

    def tick(self) -> None:
        self.ticks += 1


@pytest.mark.parametrize("jobs", [0, 2])
def test_the_engine_counts_every_submission_once(tmp_path: Path, jobs: int) -> None:
    """Bids, a broken bid, and a shared models/ folder that turns out to be no submission."""
    import shutil

    from ocp_check.catalog import Catalog
    from ocp_check.engine import Settings, check
    from ocp_check.render.json import report_to_dict

    root = tmp_path / "bids"
    shutil.copytree(REPO / "examples" / "bids", root)
    (root / "broken").mkdir()
    (root / "broken" / "data-manifest.yaml").write_text("kind: [unclosed\n")
    (root / "models").mkdir()
    (root / "models" / "shared.yaml").write_text("name: Shared\n")
    (root / "referring").mkdir()
    (root / "referring" / "data-manifest.yaml").write_text(
        "kind: data-manifest\nsystem:\n  $ref: ../models/shared.yaml\n"
    )
    watched = Recorder()
    settings = Settings(paths=(str(root),), jobs=jobs)
    report = check([str(root)], settings, Catalog([]), watch=watched)
    names = sorted(Path(s.name).name for s in report.submissions)
    bids = [p.name for p in (REPO / "examples" / "bids").iterdir() if p.is_dir()]
    assert names == sorted([*bids, "broken", "referring"])
    # models/ was planned as a folder of its own, and turned out to be a fragment of "referring".
    assert watched.judged_total == watched.planned_total == len(report.submissions) + 1
    assert all(done <= planned for done, planned in watched.steps)
    unwatched = check([str(root)], settings, Catalog([]))
    assert report_to_dict(report) == report_to_dict(unwatched)  # watching changes nothing


def test_compare_shows_progress_too(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ocp_check.cli.progress.DELAY", 0.0)
    bids = [str(p) for p in sorted((REPO / "examples" / "bids").iterdir()) if p.is_dir()]
    asked = run("compare", *bids, "--today", "2026-12-01", "--progress")
    assert asked.exit_code == 0
    assert asked.stderr.splitlines()[-1].startswith(
        f"ocp-check: {len(bids)} of {len(bids)} submissions checked in"
    )
    assert run("compare", *bids, "--today", "2026-12-01").stderr == ""
