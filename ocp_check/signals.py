"""Stopping on a signal: promptly, with every cleanup run, and in one line.

CI runners and ``kill PID`` send SIGTERM, a terminal sends SIGINT (Ctrl-C) to the whole
process group and SIGHUP when it closes. By default SIGTERM and SIGHUP kill the process on
the spot: no ``finally`` runs, so the workers would be orphaned (holding the caller's stdout
and stderr open) and a report's temporary file would stay behind. So the command line turns
each of them into an exception, ``Stopped``, that unwinds the run like any other (the pool
kills its workers, the writer removes its temporary file) and ends with exit 128 + the signal
number (130, 143, 129) and one line on stderr.

Once the first signal is being handled, further ones are ignored, so a second Ctrl-C cannot
cut the cleanup short. A signal that was ignored when the command started (``nohup``, a
background job of a non-interactive shell) stays ignored.

Workers do not handle signals themselves: they ignore SIGINT (the parent, which gets the same
Ctrl-C, stops them) and die of SIGTERM and SIGHUP; on Linux they also die with their parent
(``PR_SET_PDEATHSIG``), which covers the one signal nobody can handle, SIGKILL.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from types import FrameType

from ocp_check.i18n import N_

HANDLED = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
_WORDS = {"SIGINT": N_("interrupted"), "SIGTERM": N_("terminated"), "SIGHUP": N_("hung up")}


class Stopped(BaseException):
    """The run was stopped by a signal. A ``BaseException``, like ``KeyboardInterrupt``, so
    that the ``except Exception`` nets that turn a vendor file's trouble into a finding do
    not swallow it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    @property
    def word(self) -> str:
        from ocp_check.i18n import _  # the language is chosen after this module is imported

        return _(_WORDS.get(signal.Signals(self.signum).name, N_("stopped by a signal")))


def _stop(signum: int, frame: FrameType | None) -> None:
    for sig in HANDLED:
        if signal.getsignal(sig) is _stop:
            signal.signal(sig, signal.SIG_IGN)
    raise Stopped(signum)


def install() -> None:
    """Turn SIGINT, SIGTERM and SIGHUP into ``Stopped`` (main thread of the command line)."""
    for sig in HANDLED:
        if signal.getsignal(sig) is not signal.SIG_IGN:
            signal.signal(sig, _stop)


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Hold the handled signals back while a worker is forked.

    The child starts with the parent's handlers; a signal arriving before it has set its own
    would raise ``Stopped`` inside it (and print a traceback). Blocked, the signal waits: the
    child unblocks it once its handlers are set, the parent when the worker is registered.
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, HANDLED)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def for_worker(parent: int) -> None:
    """First thing in a worker: its own dispositions, then the signals held back at fork."""
    for sig in HANDLED:
        signal.signal(sig, signal.SIG_IGN if sig == signal.SIGINT else signal.SIG_DFL)
    _die_with_parent(parent)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, HANDLED)


def _die_with_parent(parent: int) -> None:
    """Linux: the kernel kills this process when its parent dies, however the parent died."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - no prctl: the pipe's end-of-file remains
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(0)
