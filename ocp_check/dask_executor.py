"""Judging submissions on an existing Dask cluster (``--executor dask --scheduler ADDRESS``).

A portal or a provincial registry with tens of thousands of manifests can spread a run over
machines. The parent scans, groups and (with the result cache) looks up as in a local run;
the submissions left to judge are sent to the cluster in chunks, and each chunk runs on a
worker through the very code of a local run: ``engine._judge`` with one budgeted worker
process (``pool.py``), so the per-file time budget, the memory limit and the retry without a
file that overran are the same, and so are the results. The report is assembled in the parent.

What is shipped: the settings (profile, waivers and options, as values), the folders of extra
standards by path, and each submission's file *paths*, not their bytes. Workers therefore
need ocp-check installed (the same version: checked) and the submissions and any
``--standards-path`` folder at the same paths as the parent: a shared filesystem, or the same
checkout at the same place. Bytes are not shipped because a submission's ``$ref``s may reach
any file of its root, which nobody can list before the submission is parsed.

A worker that dies (killed, out of memory as a whole) loses its chunk: Dask runs it again on
another worker (``retries``); a chunk that still fails is split and each submission tried
alone, and a submission that fails alone is reported with an error finding on each of its
files (never dropped). An unreachable scheduler is a usage error naming the address, after a
bounded wait.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import multiprocessing
import pickle
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ocp_check import __version__, i18n
from ocp_check.catalog import Catalog
from ocp_check.errors import OcpCheckError, UsageError
from ocp_check.grouping import SubmissionTask
from ocp_check.i18n import _
from ocp_check.run import Run
from ocp_check.settings import Settings
from ocp_check.stages import judge
from ocp_check.stages.context import TaskResult
from ocp_check.watch import Unwatched, Watcher

#: Default seconds to wait for the scheduler before giving up.
CONNECT_TIMEOUT = 10.0
#: Times Dask runs a chunk again after its worker died or it raised.
RETRIES = 2
#: Submissions per chunk at most: a chunk runs one budgeted process on its worker.
MAX_CHUNK = 64

ChunkFunction = Callable[[bytes, str, list[SubmissionTask]], list[TaskResult]]

_LOCK = threading.Lock()
_RUNS: dict[str, Run] = {}
_LANGUAGES: dict[str, str] = {}


@dataclasses.dataclass(frozen=True)
class _Shipped:
    """What every chunk needs besides its submissions (pickled once, unpickled once per worker)."""

    version: str
    code: str
    settings: Settings
    roots: tuple[str, ...]
    #: The language the starting process speaks (``i18n``): the settings' except in the
    #: further runs of ``--lang fr,en``, which share the settings.
    language: str


def judge_chunk(payload: bytes, digest: str, tasks: list[SubmissionTask]) -> list[TaskResult]:
    """Run on a Dask worker: judge ``tasks`` exactly as a local run does (see the module)."""
    from ocp_check import engine
    from ocp_check.cache import code_digest

    with _LOCK:  # one budgeted process at a time per worker process (engine state is global)
        run = _RUNS.get(digest)
        if run is None:
            shipped: _Shipped = pickle.loads(payload)  # noqa: S301 - from our own parent, over the cluster
            if shipped.version != __version__ or shipped.code != code_digest():
                raise OcpCheckError(
                    _(
                        "a Dask worker runs another ocp-check ({theirs}) than the one sending it work "
                        "({ours}); install the same version on every worker",
                        theirs=__version__,
                        ours=shipped.version,
                    )
                )
            run = Run(Catalog([Path(r) for r in shipped.roots], use_env=False), shipped.settings)
            _RUNS.clear()
            _RUNS[digest] = run
            _LANGUAGES.clear()
            _LANGUAGES[digest] = shipped.language
        for task in tasks:
            if not task.root.is_dir():
                raise OcpCheckError(
                    _(
                        "a Dask worker cannot see {folder}: the Dask executor needs the submissions "
                        "at the same paths on every worker (a shared filesystem)",
                        folder=str(task.root),
                    )
                )
        settings = dataclasses.replace(run.settings, jobs=1)
        # The language is the process's (``i18n``): a worker speaks the starting process's
        # while it judges, so its messages are the local run's (each half of --lang fr,en too).
        with _may_have_children(), i18n.using(_LANGUAGES[digest]):
            return engine._judge(run, settings, list(tasks), True, Unwatched())


@contextlib.contextmanager
def _may_have_children() -> Iterator[None]:
    """Dask starts its worker processes as daemons, which ``multiprocessing`` forbids to start
    processes. The budgeted process of ``pool.py`` is stopped by the pool however the chunk
    ends (the reason the rule exists), so the flag is lifted while the chunk runs."""
    config: dict[str, Any] = multiprocessing.current_process()._config  # type: ignore[attr-defined]
    daemon = config.get("daemon")
    config["daemon"] = False
    try:
        yield
    finally:
        if daemon is not None:
            config["daemon"] = daemon


def connect(address: str, timeout: float = CONNECT_TIMEOUT) -> Any:
    """A ``distributed.Client`` for the scheduler at ``address``; a usage error when the extra
    is not installed or the scheduler does not answer within ``timeout`` seconds."""
    try:
        client_class = _distributed().Client
    except ImportError:
        raise UsageError(_("--executor dask needs the dask extra: pip install 'ocp-check[dask]'")) from None
    try:
        return client_class(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as err:
        detail = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise UsageError(
            _(
                "cannot reach the Dask scheduler at {address} within {seconds} s: {detail}",
                address=address,
                seconds=f"{timeout:g}",
                detail=detail,
            )
        ) from None


class DaskExecutor:
    """Judges submissions on a Dask cluster through ``client`` (a ``distributed.Client``).

    Give it to ``engine.check(..., executor=DaskExecutor(client))`` (``api.check(...,
    scheduler=...)`` does); the report is the one a local run makes, and the run's watcher
    hears of submissions as they come back.
    """

    def __init__(
        self,
        client: Any,
        *,
        retries: int = RETRIES,
        chunk: int | None = None,
        function: ChunkFunction = judge_chunk,
    ) -> None:
        self.client = client
        self.retries = retries
        self.chunk = chunk
        self.function = function

    def _chunks(self, count: int) -> int:
        if self.chunk is not None:
            return max(1, self.chunk)
        try:
            workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        except Exception:  # a scheduler that cannot say: small chunks are always correct
            workers = 1
        return max(1, min(MAX_CHUNK, count // (workers * 4) or 1))

    def judge(self, run: Run, tasks: Sequence[SubmissionTask], watch: Watcher) -> list[TaskResult]:
        """Results of ``tasks`` in order (see the module docstring)."""
        if not tasks:
            return []
        with self.client.as_current():
            return self._judge(run, tasks, watch)

    def _judge(self, run: Run, tasks: Sequence[SubmissionTask], watch: Watcher) -> list[TaskResult]:
        from ocp_check.cache import code_digest

        as_completed = _distributed().as_completed

        shipped = _Shipped(
            __version__,
            code_digest(),
            run.settings,
            tuple(str(r) for r in run.catalog.roots[1:]),
            i18n.current_language(),
        )
        payload = pickle.dumps(shipped)
        digest = hashlib.sha256(payload).hexdigest()
        # Sent with every chunk (a few kilobytes), not scattered: a scattered value lives on
        # workers, and when the workers holding it die every chunk waiting for it is cancelled.
        remote = payload
        size = self._chunks(len(tasks))
        groups = [list(range(i, min(i + size, len(tasks)))) for i in range(0, len(tasks), size)]
        results: dict[int, TaskResult] = {}
        futures = {}
        for group in groups:
            future = self.client.submit(
                self.function, remote, digest, [tasks[i] for i in group], retries=self.retries, pure=False
            )
            futures[future] = group
        tries: dict[int, int] = {}
        pending = as_completed(list(futures))
        for future in pending:
            group = futures.pop(future)
            try:
                values = future.result()
            except OcpCheckError:
                raise
            except Exception as err:
                # Which submission? Each alone, then; and a submission alone again (a worker
                # that dies takes the submissions queued on it along, innocent or not).
                again = [i for i in group if len(group) > 1 or tries.get(i, 0) < self.retries]
                if again:
                    for i in again:
                        tries[i] = tries.get(i, 0) + (len(group) == 1)
                        alone = self.client.submit(
                            self.function, remote, digest, [tasks[i]], retries=self.retries, pure=False
                        )
                        futures[alone] = [i]
                        pending.add(alone)
                    continue
                values = [_lost(run, tasks[group[0]], err)]
            for i, value in zip(group, values, strict=True):
                results[i] = value
            watch.judged(len(group))
        return [results[i] for i in range(len(tasks))]


def _distributed() -> Any:
    """``distributed``, an optional dependency (``ocp-check[dask]``), typed as what it is to us."""
    import importlib

    return importlib.import_module("distributed")


def _lost(run: Run, task: SubmissionTask, err: BaseException) -> TaskResult:
    """A submission the cluster could not judge: an error finding on each of its files."""
    name = type(err).__name__
    reason = f"the Dask cluster could not judge it ({name}: the worker died or failed on every try)"
    skipped = {c.rel: reason for c in task.candidates}
    result = judge(run, dataclasses.replace(task, skipped=skipped), lambda label: None)
    return dataclasses.replace(result, complete=False)
