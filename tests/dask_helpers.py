"""A chunk function for the Dask tests that kills its worker on one submission (imported by
the cluster's worker processes, so it lives in a module of its own)."""

from __future__ import annotations

import os

from ocp_check.dask_executor import judge_chunk
from ocp_check.grouping import SubmissionTask
from ocp_check.stages.context import TaskResult

DOOMED = "panoptic-insights"


def killing_chunk(payload: bytes, digest: str, tasks: list[SubmissionTask]) -> list[TaskResult]:
    if any(task.name.endswith(DOOMED) for task in tasks):
        os._exit(1)  # the worker process dies, as one killed by the system would
    return judge_chunk(payload, digest, tasks)
