"""A pool of worker processes with per-file time and memory budgets.

Vendor files are untrusted and a check runs unattended, so no single file may hang a run or
exhaust the machine. Each task (a submission) runs in a worker process; before each file the
worker reports which file it is on, so when the time since the last report exceeds the
per-file budget the parent kills the worker, starts a new one, and re-queues the task with
that file marked as over budget (the file becomes an error finding; the rest of the
submission is still checked). On POSIX each worker also runs under an address-space limit
(``RLIMIT_AS``), so a file that needs too much memory fails inside its worker instead of
taking the machine down; Windows has no such limit (documented in docs/SECURITY.md).

The same pool gives ``--jobs``: tasks are spread over N workers, each of which builds its
validators and compiled rules once (inherited from the parent when processes are forked),
and results are returned in task order, so a parallel run is identical to a serial one.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

from ocp_check import signals
from ocp_check.i18n import _, current_language
from ocp_check.l10n import localize_number
from ocp_check.watch import TICK, Watcher

P = TypeVar("P")
R = TypeVar("R")
Progress = Callable[[str], None]


#: The longest per-file budget accepted (a week): far beyond any real file, and far below the
#: largest timeout the wait on the workers can take.
MAX_TIME_BUDGET = 7 * 24 * 3600.0
#: The largest per-worker address space accepted, in MiB (16 TiB); 0 means no limit.
MAX_MEMORY_BUDGET_MIB = 16 * 1024 * 1024


@dataclass(frozen=True)
class Budget:
    """Limits for one file: wall-clock seconds, and bytes of address space per worker."""

    seconds: float = 60.0
    memory: int | None = 4 * 1024**3


@dataclass(frozen=True)
class Overrun:
    """Why a task was cut short: the file it was on (``""`` before any) and what happened."""

    label: str
    reason: str


class Stuck(Exception):
    """A task failed again without any progress: retrying it could only loop."""


class _ParentGone(BaseException):
    """The parent closed its end of the pipe: nothing is left to report to. A
    ``BaseException`` so that the nets which turn a file's trouble into a finding let it by."""


def _child(
    conn: Connection,
    evaluate: Callable[[Any, Progress], Any],
    memory: int | None,
    fatal: tuple[type[Exception], ...],
    parent: int,
    inherited: tuple[int, ...],
) -> None:
    signals.for_worker(parent)
    # A forked worker holds copies of the parent's ends of every worker's pipe, its own
    # included: while any copy is open, no worker sees end-of-file when the parent dies.
    for fd in inherited:
        with contextlib.suppress(OSError):
            os.close(fd)
    if memory and sys.platform != "win32":
        import resource

        try:
            _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            limit = memory if hard == resource.RLIM_INFINITY else min(memory, hard)
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        except (ValueError, OSError):
            pass

    def send(message: tuple[str, int, Any]) -> None:
        try:
            conn.send(message)
        except OSError:  # BrokenPipeError, ConnectionResetError: the parent is gone
            raise _ParentGone from None

    try:
        _serve(conn, evaluate, fatal, send)
    except _ParentGone:
        return


def _serve(
    conn: Connection,
    evaluate: Callable[[Any, Progress], Any],
    fatal: tuple[type[Exception], ...],
    send: Callable[[tuple[str, int, Any]], None],
) -> None:
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, payload = message

        def progress(label: str, index: int = index) -> None:
            send(("progress", index, label))

        try:
            result = evaluate(payload, progress)
        except MemoryError:
            send(("failed", index, _("ran out of its memory budget")))
            return
        except fatal as err:  # the tool's own inputs are broken: the whole run stops
            send(("fatal", index, err))
            return
        except Exception as err:  # reported by the parent as a finding on the current file
            detail = "".join(traceback.format_exception_only(type(err), err)).strip()
            send(("failed", index, _("internal error while checking it: {detail}", detail=detail)))
            return
        send(("done", index, result))


class _Worker:
    def __init__(
        self,
        ctx: Any,
        evaluate: Callable[[Any, Progress], Any],
        memory: int | None,
        fatal: tuple[type[Exception], ...],
        others: tuple[int, ...],
    ) -> None:
        parent, child = ctx.Pipe()
        self.conn: Connection = parent
        # Only a forked child inherits descriptors (a spawned one starts with its own).
        inherited = (parent.fileno(), *others) if ctx.get_start_method() == "fork" else ()
        self.process = ctx.Process(
            target=_child, args=(child, evaluate, memory, fatal, os.getpid(), inherited), daemon=True
        )
        self.process.start()
        child.close()
        self.task: int | None = None
        self.label = ""
        self.since = 0.0
        self.stopped = False

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()
        self.stopped = True


class Pool(Generic[P, R]):
    """Evaluate payloads in worker processes under a budget; see the module docstring.

    ``on_overrun(payload, overrun)`` returns either a new payload to retry (typically the
    same submission with the culprit file excluded) or a final result. A retry that equals
    the payload that just failed could only fail the same way, so it raises ``Stuck``
    instead of looping. Exceptions of the ``fatal`` types raised by ``evaluate`` in a worker
    (the tool's own inputs are invalid) are re-raised in the parent.
    """

    def __init__(
        self,
        evaluate: Callable[[P, Progress], R],
        on_overrun: Callable[[P, Overrun], P | R],
        *,
        jobs: int,
        budget: Budget,
        is_result: Callable[[object], bool],
        fatal: tuple[type[Exception], ...] = (),
    ) -> None:
        self.evaluate = evaluate
        self.fatal = fatal
        self.on_overrun = on_overrun
        self.jobs = max(1, jobs)
        self.budget = budget
        self.is_result = is_result
        method = (
            "fork"
            if "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin"
            else "spawn"
        )
        self.ctx = multiprocessing.get_context(method)
        # Every worker started and not yet stopped, registered the moment it exists: whatever
        # ends the run (a result, an error, a signal), the ``finally`` of ``run`` stops them.
        self.live: list[_Worker] = []

    def run(self, payloads: Sequence[P], watch: Watcher | None = None) -> list[R]:
        """Every payload's result, in order. ``watch`` hears of each result as it comes and
        gets a ``tick`` at least every ``watch.TICK`` seconds while workers are busy."""
        own = address_space()
        if self.budget.memory and own is not None and own >= self.budget.memory and payloads:
            # A forked worker starts as large as this process: under a smaller limit it fails
            # wherever its next allocation happens to be, sometimes after a few files.
            raise Stuck(
                _(
                    "the memory budget of {budget} MiB is smaller than the checker itself ({own} MiB of address space)",
                    budget=self.budget.memory // 2**20,
                    own=own // 2**20,
                )
            )
        results: dict[int, R] = {}
        current: dict[int, P] = dict(enumerate(payloads))
        queue: deque[int] = deque(range(len(payloads)))
        workers: list[_Worker] = []
        try:
            workers = [self._spawn() for _ in range(min(self.jobs, len(payloads)))]
            while len(results) < len(payloads):
                for worker in workers:
                    if worker.task is None and queue:
                        index = queue.popleft()
                        worker.task, worker.label, worker.since = index, "", time.monotonic()
                        worker.conn.send((index, current[index]))
                busy = [w for w in workers if w.task is not None]
                if not busy:
                    break
                deadline = min(w.since for w in busy) + self.budget.seconds
                timeout = max(0.0, deadline - time.monotonic())
                ready = wait([w.conn for w in busy], timeout=min(timeout, TICK) if watch else timeout)
                for worker in busy:
                    if worker.conn in ready:
                        before = len(results)
                        self._receive(worker, workers, current, results, queue)
                        if watch is not None and len(results) > before:
                            watch.judged(len(results) - before)
                if watch is not None:
                    watch.tick()
                now = time.monotonic()
                for worker in list(workers):
                    if worker.task is not None and now - worker.since > self.budget.seconds:
                        seconds = localize_number(f"{self.budget.seconds:g}", current_language())
                        reason = _("took longer than the time budget of {seconds} s", seconds=seconds)
                        self._overrun(worker, workers, current, results, queue, reason)
        finally:
            self._stop_all()
        return [results[i] for i in range(len(payloads))]

    def _stop_all(self) -> None:
        for worker in self.live:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        for worker in self.live:
            worker.stop()
        self.live.clear()

    def _spawn(self) -> _Worker:
        others = tuple(w.conn.fileno() for w in self.live if not w.stopped)
        with signals.deferred():
            worker = _Worker(self.ctx, self.evaluate, self.budget.memory, self.fatal, others)
            self.live.append(worker)
        return worker

    def _receive(
        self,
        worker: _Worker,
        workers: list[_Worker],
        current: dict[int, P],
        results: dict[int, R],
        queue: deque[int],
    ) -> None:
        try:
            kind, index, value = worker.conn.recv()
        except (EOFError, OSError):
            code = worker.process.exitcode
            why = (
                _("the worker checking it stopped (signal {signal})", signal=-code)
                if code and code < 0
                else _("the worker checking it stopped")
            )
            if code == -9 or code == 137:
                why = _("ran out of memory (the worker was killed)")
            self._overrun(worker, workers, current, results, queue, why)
            return
        if kind == "progress":
            worker.label, worker.since = value, time.monotonic()
        elif kind == "done":
            results[index] = value
            worker.task = None
        elif kind == "fatal":
            raise value
        else:
            self._overrun(worker, workers, current, results, queue, value)

    def _overrun(
        self,
        worker: _Worker,
        workers: list[_Worker],
        current: dict[int, P],
        results: dict[int, R],
        queue: deque[int],
        reason: str,
    ) -> None:
        index = worker.task
        label = worker.label
        worker.stop()
        self.live.remove(worker)
        workers[workers.index(worker)] = self._spawn()
        if index is None:
            return
        outcome = self.on_overrun(current[index], Overrun(label, reason))
        if self.is_result(outcome):
            results[index] = outcome  # type: ignore[assignment]
        elif outcome == current[index]:
            raise Stuck(reason)
        else:
            current[index] = outcome  # type: ignore[assignment]
            queue.appendleft(index)


def address_space() -> int | None:
    """Bytes of address space this process uses now (Linux), None where it is not known."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            pages = int(handle.read().split()[0])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def available_cores() -> int:
    """Cores this process may use (the affinity mask where the platform has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)
