"""Progress of a long check on stderr: a bar on a terminal, a line now and then in a log.

A ``Watcher`` (``watch.py``) that the CLI hands to ``engine.check``. Nothing appears for the
first second (``DELAY``), so a quick check prints exactly what it printed before; after that,
on a terminal, a bar redrawn in place (rich's progress display, removed when the check ends so
that the report follows on a clean screen) says how many submissions are checked, of how many,
and for how long. When progress is asked for with ``--progress`` and stderr is not a terminal
(a CI log), it writes one plain line at most every ``LOG_EVERY`` seconds and one at the end,
because a log cannot redraw a line. Whether to show anything at all is ``terminal.py``'s
decision. The display is driven by the calls it receives (the pool ticks it while it waits),
never by a thread: the check forks worker processes, and a thread alive across a fork can hold
a lock that the worker then waits on for ever.

Its sentences are whole, with numbers in them, so that each can be translated as one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType
from typing import IO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from ocp_check.i18n import N_, _, current_language, ngettext
from ocp_check.l10n import format_int

#: Seconds before anything is shown: a check that ends sooner shows nothing.
DELAY = 1.0
#: Seconds between two redraws of the bar.
REDRAW = 0.1
#: Seconds between two lines in a log.
LOG_EVERY = 5.0


CHECKING = N_("Checking submissions")
WRITING = N_("Writing the reports")


def _checked(done: int, total: int, seconds: float) -> str:
    language = current_language()
    return ngettext(
        "ocp-check: {done} of {total} submissions checked in {seconds} s",
        "ocp-check: {done} of {total} submissions checked in {seconds} s",
        total,
        done=format_int(done, language),
        total=format_int(total, language),
        seconds=f"{seconds:.0f}",
    )


class ProgressDisplay:
    """The watcher that shows progress on ``stream`` (see the module docstring)."""

    def __init__(
        self,
        stream: IO[str],
        *,
        terminal: bool,
        color: bool = False,
        clock: Callable[[], float] = time.monotonic,
        delay: float | None = None,
    ) -> None:
        self.stream = stream
        self.terminal = terminal
        self.clock = clock
        self.delay = DELAY if delay is None else delay
        self.started_at = clock()
        self.total = 0
        self.done = 0
        self.shown = False
        self.last = 0.0
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._color = color
        self.ended = False
        self._last_line = ""

    # -- Watcher ---------------------------------------------------------------------------

    def planned(self, count: int) -> None:
        self.total += count
        self._update()

    def judged(self, count: int = 1) -> None:
        self.done += count
        self._update()

    def tick(self) -> None:
        self._update()

    # -- display ---------------------------------------------------------------------------

    def _update(self) -> None:
        now = self.clock()
        if not self.shown:
            if now - self.started_at < self.delay or self.total == 0:
                return
            self._start()
            self.shown = True
        elif now - self.last < (REDRAW if self.terminal else LOG_EVERY):
            return
        self.last = now
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, completed=self.done, total=self.total)
            self._bar.refresh()
        else:
            self._write(_checked(self.done, self.total, now - self.started_at))

    def _start(self) -> None:
        if not self.terminal:
            return
        console = Console(
            file=self.stream,
            force_terminal=True,
            force_interactive=True,
            color_system="standard" if self._color else None,
            no_color=not self._color,
            highlight=False,
            markup=False,
            emoji=False,
        )
        self._bar = Progress(
            TextColumn("{task.description}", markup=False),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            auto_refresh=False,  # redrawn on our own calls: no thread (see the module docstring)
            transient=True,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self._task = self._bar.add_task(_(CHECKING), total=self.total, completed=self.done)
        self._bar.start()

    def _write(self, line: str) -> None:
        if line == self._last_line:  # a log gains nothing from the same line twice
            return
        self._last_line = line
        try:
            self.stream.write(line + "\n")
            self.stream.flush()
        except (OSError, ValueError):  # stderr closed: progress is not worth failing for
            pass

    def writing(self) -> None:
        """The check is done and the reports are being made: the bar says so (rendering a
        report of hundreds of bids takes seconds); a log gets its last line now."""
        if not self.shown:
            return
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, description=_(WRITING), completed=self.done, total=self.total)
            self._bar.refresh()
        else:
            self._write(_checked(self.done, self.total, self.clock() - self.started_at))
            self.ended = True

    def close(self) -> None:
        """Remove the bar (the report follows), or end the log with a last line."""
        if not self.shown:
            return
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
        elif not self.ended:
            self._write(_checked(self.done, self.total, self.clock() - self.started_at))
        self.shown = False

    def __enter__(self) -> ProgressDisplay:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
