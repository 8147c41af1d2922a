"""The pipeline's orchestration: scan → group → evaluate (in budgeted workers) → report.

Pure orchestration: no printing, no exits. Every problem inside a vendor's file becomes a
finding on that file and the run goes on; only problems with the invocation or the tool's
own inputs raise (``OcpCheckError``), which the CLI turns into exit code 2.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from ocp_check import __version__
from ocp_check.catalog import Catalog
from ocp_check.errors import OcpCheckError
from ocp_check.gcpause import gc_paused
from ocp_check.grouping import SubmissionTask, group
from ocp_check.i18n import _, ngettext
from ocp_check.model import (
    ClauseResult,
    Finding,
    InputFile,
    Report,
    ShardInfo,
    StandardInfo,
    StandardRef,
    SubmissionResult,
    VersionDelta,
    WaiverUse,
    copied,
)
from ocp_check.pool import Overrun, Pool, Progress, Stuck
from ocp_check.run import Run
from ocp_check.scan import scan_paths
from ocp_check.settings import Settings
from ocp_check.stages import judge
from ocp_check.stages.context import CROSS_DOCUMENT, TaskResult
from ocp_check.stages.findings import scan_note
from ocp_check.stages.versions import versions_to_compare
from ocp_check.standards import Standard, version_key
from ocp_check.watch import Unwatched, Watcher

if TYPE_CHECKING:
    from ocp_check.cache import ResultCache

__all__ = ["Executor", "Settings", "check"]


class Executor(Protocol):
    """Where submissions are judged instead of the local worker pool (``dask_executor.py``):
    their results in order, ``watch`` told as they come back."""

    def judge(self, run: Run, tasks: Sequence[SubmissionTask], watch: Watcher) -> list[TaskResult]: ...


def check(
    paths: Sequence[str],
    settings: Settings,
    catalog: Catalog,
    stdin: bytes | None = None,
    watch: Watcher | None = None,
    *,
    cache: ResultCache | None = None,
    executor: Executor | None = None,
) -> Report:
    """Check every submission named by ``paths`` and return the canonical report.

    When ``--standard`` names several versions of one standard, the submissions are judged
    once per version and the report carries the difference ("passes 1.0; fails 3 clauses
    new or tightened in 1.1"). ``watch`` hears how far the run has got (``watch.py``). With a
    ``cache`` (``cache.py``), a submission whose result is kept there is not judged again; an
    ``executor`` judges the others elsewhere (a Dask cluster). Either way the report is the
    same byte for byte.
    """
    watcher: Watcher = watch if watch is not None else Unwatched()
    sid, versions, others = versions_to_compare(catalog, settings.standards)
    if not sid:
        return _check_once(paths, settings, catalog, stdin, "", watcher, cache, executor)
    reports = [
        _check_once(
            paths,
            dataclasses.replace(settings, standards=(*others, ref)),
            catalog,
            stdin,
            ref,
            watcher,
            cache,
            executor,
        )
        for ref in versions
    ]
    return _merge(reports, settings, catalog, sid, versions)


def _merge(
    reports: list[Report], settings: Settings, catalog: Catalog, sid: str, versions: list[str]
) -> Report:
    """One report from several evaluations, with the delta per submission."""
    from ocp_check.diff import diff_standards

    standards: dict[StandardRef, StandardInfo] = {}
    inputs: dict[tuple[str, str], InputFile] = {}
    for r in reports:
        for info in r.standards:
            standards[info.ref] = info
        for item in r.inputs:
            inputs[(item.submission, item.path)] = item
    # What changed between consecutive versions is the same for every submission: computed
    # once per pair, not once per submission (a portal of thousands of bids).
    changes: list[tuple[set[str], set[str]]] = []
    for i in range(1, len(versions)):
        diff = diff_standards(catalog.resolve(versions[i - 1]), catalog.resolve(versions[i]))
        changes.append((diff.clauses_added(), diff.clauses_tightened()))
    deltas = []
    for position, sub in enumerate(reports[0].submissions):
        verdicts = []
        failing_sets = []
        for ref, r in zip(versions, reports, strict=False):
            other = r.submissions[position]
            verdicts.append((ref, other.verdict))
            failing_sets.append(
                {c.clause: c for c in other.clauses if c.status.value == "fail" and c.standard.id == sid}
            )
        new_failures: list[tuple[str, str, str]] = []
        parts = [_verdict_in(verdicts[0][1], versions[0])]
        for i in range(1, len(versions)):
            added, tightened = changes[i - 1]
            before = failing_sets[i - 1]
            # A clause that fails in both versions is still news when its level rose (a
            # SHOULD made a MUST turns a warning into a failure of the bid).
            fresh = sorted(
                cid
                for cid, result in failing_sets[i].items()
                if cid not in before or result.level.rank > before[cid].level.rank
            )
            kinds = []
            for cid in fresh:
                why = "new" if cid in added else "tightened" if cid in tightened else "changed"
                new_failures.append((versions[i], cid, why))
                kinds.append(why)
            fixed = sorted(set(failing_sets[i - 1]) - set(failing_sets[i]))
            if fresh:
                detail = ", ".join(_why_count(w, n) for w, n in sorted(_count(kinds).items()))
                parts.append(
                    ngettext(
                        "fails {count} clause new or tightened in {version} ({detail}: {clauses})",
                        "fails {count} clauses new or tightened in {version} ({detail}: {clauses})",
                        len(fresh),
                        version=versions[i],
                        detail=detail,
                        clauses=", ".join(fresh),
                    )
                )
            elif verdicts[i][1] == "conformant":
                parts.append(_("passes {version} with no new failing clause", version=versions[i]))
            else:
                parts.append(_("fails {version} with no new failing clause", version=versions[i]))
            if fixed:
                # The English says "clause(s)" in both forms, as its reports always have; the
                # French agrees with the count.
                parts.append(
                    ngettext(
                        "{count} clause(s) failing in {before} pass in {after}: {clauses}",
                        "{count} clause(s) failing in {before} pass in {after}: {clauses}",
                        len(fixed),
                        before=versions[i - 1],
                        after=versions[i],
                        clauses=", ".join(fixed),
                    )
                )
        deltas.append(
            VersionDelta(
                submission=sub.name,
                standard=sid,
                verdicts=tuple(verdicts),
                summary="; ".join(parts),
                new_failures=tuple(new_failures),
            )
        )
    today = next((r.today for r in reports if r.today), None)
    return Report(
        tool_version=__version__,
        submissions=tuple(s for r in reports for s in r.submissions),
        standards=tuple(sorted(standards.values(), key=lambda i: (i.ref.id, version_key(i.ref.version)))),
        inputs=tuple(sorted(inputs.values(), key=lambda i: (i.submission, i.path))),
        options=settings.options(),
        today=today,
        profile=reports[0].profile,
        waivers=reports[0].waivers,
        deltas=tuple(deltas),
        left_out=tuple(sorted({line for r in reports for line in r.left_out})),
        caps=settings.caps,
        shard=_shards(reports),
        json_texts={key: kept for r in reports for key, kept in r.json_texts.items()},
    )


def _verdict_in(verdict: str, version: str) -> str:
    """How the first version judged the submission, as the versions-side-by-side summary
    opens (whole sentences per verdict: the French is not the English word order)."""
    if verdict == "conformant":
        return _("passes {version}", version=version)
    return _("fails {version}", version=version)


def _why_count(why: str, n: int) -> str:
    """``2 tightened``: how many of the clauses newly failing are new, tightened or changed
    in the newer version (the token stays in ``new_failures``; this is the reader's word,
    which agrees with the count in French)."""
    if why == "new":
        return ngettext("{count} new", "{count} new", n)
    if why == "tightened":
        return ngettext("{count} tightened", "{count} tightened", n)
    return ngettext("{count} changed", "{count} changed", n)


def _shards(reports: list[Report]) -> ShardInfo | None:
    """The places of a sharded run's submissions, one evaluation after the other."""
    first = reports[0].shard
    if first is None:
        return None
    places = tuple(p for r in reports if r.shard is not None for p in r.shard.positions)
    return dataclasses.replace(first, positions=places)


def _count(items: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in items:
        out[item] = out.get(item, 0) + 1
    return out


_WORKER_RUN: Run | None = None
#: The standards whose information a worker has sent, by the run they belong to (``_work``).
_SENT_INFO: dict[int, set[StandardRef]] = {}


def _work(settings: Settings, roots: tuple[str, ...], task: SubmissionTask, progress: Progress) -> TaskResult:
    """Worker entry point: reuse the run inherited from the parent (fork), or build one.

    ``settings`` and ``roots`` are bound once per worker (``functools.partial``), so a task
    carries only its own files: sending the settings with every task would pickle the list of
    all paths once per submission, quadratic in a portal of thousands of manifests, and a
    freshly unpickled copy would never match the inherited run, recompiling the standards for
    every submission.
    """
    global _WORKER_RUN
    if _WORKER_RUN is None or _WORKER_RUN.settings is not settings:
        from pathlib import Path

        _WORKER_RUN = Run(Catalog([Path(r) for r in roots], use_env=False), settings)
    result = judge(_WORKER_RUN, task, progress)
    # The report lists the standards used, with their hashes. A worker has them loaded; the
    # parent of a run without warm-up has not, and loading them there again cost about a
    # tenth of a one-file check. Built-in ones only: their provenance needs no language.
    sent = _SENT_INFO.setdefault(id(_WORKER_RUN), set())
    infos = []
    for ref in result.used:
        if ref not in sent:
            standard = _WORKER_RUN.catalog.load(ref)
            if standard.trusted:
                infos.append(standard_info(standard))
            sent.add(ref)
    return dataclasses.replace(result, standards=tuple(infos)) if infos else result


def _overrun(task: SubmissionTask, overrun: Overrun) -> SubmissionTask | TaskResult:
    """Retry the submission without the file (or stage) that overran its budget."""
    skipped = dict(task.skipped)
    label = overrun.label
    if label.startswith("file:"):
        skipped[label[5:]] = overrun.reason
    elif label == CROSS_DOCUMENT:
        skipped[CROSS_DOCUMENT] = overrun.reason
    else:
        for candidate in task.candidates:
            skipped.setdefault(candidate.rel, overrun.reason)
        skipped.setdefault(CROSS_DOCUMENT, overrun.reason)
    return dataclasses.replace(task, skipped=skipped)


def _tasks(paths: Sequence[str], settings: Settings, stdin: bytes | None) -> list[SubmissionTask]:
    tasks: list[SubmissionTask] = []
    for scan in scan_paths(paths, settings.root, stdin):
        grouped = group(scan)
        if settings.each and scan.stdin is None:
            grouped = _each(grouped)
        tasks.extend(grouped)
    return tasks


def _each(tasks: list[SubmissionTask]) -> list[SubmissionTask]:
    """``--each``: every document is a submission of its own (a portal of manifests).

    Files that announce no document kind become submissions of their own too, unless a
    ``$ref`` of another submission reaches them (a ``models/`` fragment): they are marked
    ``documentless`` and decided once the documents are judged. A folder whose files all
    announce nothing keeps every one, so each still gets its finding.
    """
    out: list[SubmissionTask] = []
    for task in tasks:
        announcing = set(task.announcing)
        for index, candidate in enumerate(task.candidates):
            name = (
                f"{task.root_display}/{candidate.rel}"
                if task.root_display not in ("", ".")
                else candidate.rel
            )
            notes = task.notes if index == 0 else []
            out.append(
                dataclasses.replace(
                    task,
                    name=name,
                    candidates=[candidate],
                    notes=notes,
                    waiver_files=[],
                    announcing=[candidate.rel] if candidate.rel in announcing else [],
                    documentless=(candidate.rel not in announcing and bool(announcing)) or task.documentless,
                )
            )
        if not task.candidates and task.notes:
            out.append(task)
    return out


def account(
    tasks: Sequence[SubmissionTask], results: Sequence[TaskResult | None]
) -> tuple[list[SubmissionTask | None], dict[int, list[tuple[str, str]]]]:
    """Which documentless tasks are submissions, once every other submission is judged.

    A documentless task's files that another submission of the same root reaches by
    ``$ref`` are fragments of that submission and leave the task; a task left with files is
    a submission (judged like any other: every file gets its finding), one left with none is
    no submission, and its scan notes go to the first judged submission of its root. Returns
    the tasks still to judge (None where there is nothing to judge) and the notes to move, by
    the index of the result that receives them.
    """
    reached: dict[str, set[str]] = {}
    first_of_root: dict[str, int] = {}
    for index, (task, result) in enumerate(zip(tasks, results, strict=True)):
        if result is None:
            continue
        reached.setdefault(str(task.root), set()).update(result.submission.fragments)
        first_of_root.setdefault(str(task.root), index)
    pending: list[SubmissionTask | None] = []
    moved: dict[int, list[tuple[str, str]]] = {}
    for task, result in zip(tasks, results, strict=True):
        if result is not None:
            pending.append(None)
            continue
        fragments = reached.get(str(task.root), set())
        left = [c for c in task.candidates if c.rel not in fragments]
        if left:
            pending.append(dataclasses.replace(task, candidates=left))
            continue
        pending.append(None)
        receiver = first_of_root.get(str(task.root))
        if receiver is not None and task.notes:
            moved.setdefault(receiver, []).extend(task.notes)
    return pending, moved


def _with_notes(result: TaskResult, notes: list[tuple[str, str]]) -> TaskResult:
    """Scan notes of a folder that turned out to hold only fragments, as warnings of the
    submission that received them (as notes of that submission's own folder are)."""
    if not notes:
        return result
    sub = result.submission
    # Located as the submission's own notes are: a note names a file, not a place in it.
    extra = [scan_note(rel, message) for rel, message in notes]
    findings = tuple(sorted((*sub.findings, *extra), key=Finding.sort_key))
    return dataclasses.replace(result, submission=dataclasses.replace(sub, findings=findings))


def _judge(
    run: Run,
    settings: Settings,
    tasks: list[SubmissionTask],
    warm: bool,
    watch: Watcher,
    cache: ResultCache | None = None,
    executor: Executor | None = None,
) -> list[TaskResult]:
    """Evaluate tasks in the worker pool (or in this process with ``jobs`` 0), in order;
    with a cache, only the tasks it holds no result for; with an executor, there."""
    global _WORKER_RUN
    if not tasks:
        return []
    if cache is not None:
        hits = cache.hits
        results = cache.judge(
            run, tasks, lambda misses: _judge(run, settings, misses, warm and len(misses) > 1, watch, None, executor)
        )
        watch.judged(cache.hits - hits)
        return results
    if executor is not None:
        return executor.judge(run, tasks, watch)
    if settings.jobs <= 0:
        done = []
        for task in tasks:
            done.append(judge(run, task, lambda label: None))
            watch.judged(1)
        return done
    roots = tuple(str(r) for r in run.catalog.roots[1:])
    if warm:
        # Compiled once here and inherited by every forked worker; a single submission
        # compiles only the standards it uses, inside its worker.
        with gc_paused():
            run.warm_up()
    # What exists now lives as long as the run: frozen, it is neither re-scanned by the
    # workers' collections nor copied page by page into them (copy-on-write).
    gc.freeze()
    _WORKER_RUN = run
    pool: Pool[SubmissionTask, TaskResult] = Pool(
        functools.partial(_work, settings, roots),
        _overrun,
        jobs=settings.jobs,
        budget=settings.budget,
        is_result=lambda value: isinstance(value, TaskResult),
        fatal=(OcpCheckError,),
    )
    try:
        return pool.run(tasks, watch)
    except Stuck as err:
        # Every file of the submission was already set aside and the worker still
        # failed: the budget cannot hold the checker itself (a vendor file is not at fault).
        raise OcpCheckError(
            _("a worker failed before it could check any file: {error}", error=err),
            hint=_("Raise --memory-budget (0 for no limit) or --time-budget."),
        ) from None
    finally:
        _WORKER_RUN = None
        gc.unfreeze()


def _check_once(
    paths: Sequence[str],
    settings: Settings,
    catalog: Catalog,
    stdin: bytes | None,
    evaluation: str,
    watch: Watcher,
    cache: ResultCache | None = None,
    executor: Executor | None = None,
) -> Report:
    run = Run(catalog, settings)
    tasks = _tasks(paths, settings, stdin)
    placement = None
    if settings.shard is not None:
        from ocp_check.shard import place

        placement = place(tasks, settings.shard, settings.limits.max_bytes)
        tasks = placement.tasks
    watch.planned(len(tasks))
    # Submissions with documents first; then the folders (or, with --each, the files) that
    # hold none, less what those submissions reach by $ref (see ``account``).
    first = [None if task.documentless else task for task in tasks]
    results = _judge(run, settings, [t for t in first if t is not None], len(tasks) > 1, watch, cache, executor)
    merged: list[TaskResult | None] = []
    done = iter(results)
    for task in first:
        merged.append(None if task is None else next(done))
    pending, moved = account(tasks, merged)
    # Documentless tasks that turned out to hold only fragments are done without judging.
    watch.judged(sum(1 for t, r in zip(pending, merged, strict=True) if t is None and r is None))
    later = iter(
        _judge(run, settings, [t for t in pending if t is not None], len(tasks) > 1, watch, cache, executor)
    )
    final: list[TaskResult] = []
    kept: list[int] = []  # the task of each result (a sharded run records their places)
    for index, (task, result) in enumerate(zip(pending, merged, strict=True)):
        if task is not None:
            final.append(next(later))
            kept.append(index)
        elif result is not None:
            final.append(_with_notes(result, moved.get(index, [])))
            kept.append(index)
    submissions: list[SubmissionResult] = []
    inputs: list[InputFile] = []
    used: set[StandardRef] = set()
    infos: dict[StandardRef, StandardInfo] = {}
    consulted = False
    city_waivers = run.city_waivers()
    usage = {w.key: 0 for w in city_waivers}
    # Results come back from workers as separate copies; most clause results of a portal's
    # thousands of manifests are equal, so equal ones share one object (memory, not output).
    shared: dict[ClauseResult, ClauseResult] = {}
    # Clause lists already made of shared results, by identity (each kept alive here): the
    # cache reads equal lists back as one object, so most of a warm run's lists are known.
    lists: dict[int, tuple[ClauseResult, ...]] = {}
    for result in final:
        sub = result.submission
        clauses = sub.clauses
        if lists.get(id(clauses)) is not clauses:
            fresh = tuple(shared.setdefault(c, c) for c in clauses)
            if any(a is not b for a, b in zip(fresh, clauses, strict=True)):
                clauses = fresh
            lists[id(clauses)] = clauses
        if clauses is not sub.clauses or evaluation:
            sub = dataclasses.replace(sub, clauses=clauses, evaluation=evaluation or sub.evaluation)
        submissions.append(sub)
        inputs.extend(result.inputs)
        used.update(result.used)
        infos.update((info.ref, info) for info in result.standards)
        consulted = consulted or result.consulted_today
        for key, count in result.waiver_usage.items():
            usage[key] = usage.get(key, 0) + count
    standards = tuple(
        infos[r] if r in infos else standard_info(catalog.load(r))
        for r in sorted(used, key=lambda r: (r.id, version_key(r.version)))
    )
    today = run.today.isoformat()
    draft = Report(tool_version=__version__, submissions=(), standards=standards, inputs=())
    # A submission's verdict line depends on the standards its clauses and documents name:
    # worked out once per clause list and set of document standards.
    lines: dict[tuple[int, tuple[StandardRef | None, ...]], str] = {}
    for index, sub in enumerate(submissions):
        which = (id(sub.clauses), tuple(d.standard for d in sub.documents))
        line = lines.get(which) if lists.get(id(sub.clauses)) is sub.clauses else None
        if line is None:
            line = lines[which] = draft.judged_against(sub)
        if line != sub.judged_against:
            submissions[index] = dataclasses.replace(sub, judged_against=line)
    # The cache stores the fresh results with their report text, and says where the text of
    # each submission it served or stored is kept (the JSON report copies it).
    texts = (
        cache.finish(list(zip(final, submissions, strict=True)), {info.ref: info for info in standards})
        if cache is not None
        else {}
    )
    return Report(
        tool_version=__version__,
        submissions=tuple(submissions),
        standards=standards,
        inputs=tuple(sorted(inputs, key=lambda i: (i.submission, i.path))),
        options=settings.options(),
        today=today if consulted or city_waivers else None,
        profile=settings.profile.info() if settings.profile else None,
        left_out=run.left_out_standards(),
        waivers=tuple(
            copied(WaiverUse, w, matched=usage.get(w.key, 0), expired=w.expires < today) for w in city_waivers
        ),
        caps=settings.caps,
        shard=None
        if placement is None or settings.shard is None
        else ShardInfo(
            settings.shard.index, settings.shard.count, placement.plan, tuple(placement.positions[i] for i in kept)
        ),
        json_texts=texts,
    )


def standard_info(standard: Standard) -> StandardInfo:
    """What a report says about a standard version it used: hash, status, who approved it,
    where it came from (a bundle's signature status is recorded by ``bundles``)."""
    from ocp_check.bundles import provenance_of

    gov = standard.governance
    approval = ""
    if gov.approval is not None:
        a = gov.approval
        approval = ", ".join(x for x in (a.body, a.date, a.reference or "") if x)
    return StandardInfo(
        standard.ref,
        standard.title,
        standard.status,
        standard.sha256,
        status_date=gov.status_date,
        approval=approval,
        provenance=provenance_of(standard),
    )
