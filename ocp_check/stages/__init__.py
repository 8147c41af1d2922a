"""Judging one submission: the stages, in order, each a module of this package.

Each stage is a function from the frozen context (``context.Submission``) to the next one,
holding its findings and outcomes; the runner walks the list. This is the diagram of
docs/ARCHITECTURE.md, as code.
"""

from __future__ import annotations

from ocp_check.gcpause import gc_paused
from ocp_check.grouping import SubmissionTask
from ocp_check.run import Run
from ocp_check.stages import (
    accounting,
    attestations,
    completeness,
    cross_document,
    detect,
    document_rules,
    levels,
    load,
    placeholder_echoes,
    placeholders,
    references,
    schema,
    statuses,
    versions,
    waivers,
)
from ocp_check.stages.context import Progress, Stage, Submission, TaskResult
from ocp_check.workspace import Workspace

STAGES: tuple[Stage, ...] = (
    load.run,  # every file, standard input, the vendor's waivers files; what does not load
    detect.run,  # kind and declared version, from content
    versions.run,  # the standard of each document and of each kind in play
    placeholders.run,  # TODO values left from a template
    references.run,  # every $ref followed inside the root; fragments
    accounting.run,  # what every other file is
    completeness.run,  # one document of each kind
    schema.run,  # each document against its standard's JSON Schema
    document_rules.run,  # each document against its rule packs
    cross_document.run,  # the submission as a whole
    placeholder_echoes.run,  # a placeholder is one finding
    attestations.run,  # what the vendor attests in the manifest
    levels.run,  # the profile's raised levels
    waivers.run,  # accepted deviations
    statuses.run,  # one status per clause
)


def judge(run: Run, task: SubmissionTask, progress: Progress) -> TaskResult:
    """Load and judge one submission (this runs inside a budgeted worker)."""
    with gc_paused():  # nothing built here is cyclic garbage; collections would only re-scan it
        return _walk(run, task, progress)


def _walk(run: Run, task: SubmissionTask, progress: Progress) -> TaskResult:
    """The stages in order. A function of its own so that the context (the loaded documents,
    tens of thousands of objects) is freed before the collector is back: otherwise the first
    collection after each submission scans them all, and promotes them for the full ones."""
    submission = Submission(run, task, Workspace(task.root, run.settings.limits, {}), progress)
    for stage in STAGES:
        submission = stage(submission)
    return submission.result()
