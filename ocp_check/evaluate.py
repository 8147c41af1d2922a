"""Judging one submission: the stages after loading, in order.

detect → resolve versions → completeness → placeholders → ``$ref`` pass → schema → rules →
levels (profile) → waivers → clause statuses. Pure apart from reading the submission's files;
runs inside a budgeted worker (``pool.py``) and reports progress before each file so the
parent can tell which file overran its budget.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ocp_check import clause_status, foreign, rules, schema_check
from ocp_check import waivers as waivers_stage
from ocp_check.detect import Detection, detect
from ocp_check.grouping import SubmissionTask, announced_kind
from ocp_check.loader import JSON, Limits, LoadError, escape_token, gc_paused
from ocp_check.model import (
    ClauseResult,
    DocumentKind,
    DocumentResult,
    Finding,
    FindingCaps,
    FindingState,
    FoldedFindings,
    InputFile,
    Level,
    Location,
    Severity,
    StandardRef,
    Status,
    SubmissionResult,
)
from ocp_check.reading import ReadError, TooLarge, read_file
from ocp_check.run import Run
from ocp_check.sanitize import truncate
from ocp_check.scan import Candidate
from ocp_check.standards import Standard
from ocp_check.waivers import Waiver, load_vendor_waivers
from ocp_check.workspace import (
    Loaded,
    Node,
    RefError,
    Workspace,
    iter_refs,
    load_file,
    load_raw,
)

Progress = Callable[[str], None]
#: The longest message a finding carries: far above any real one; a vendor's megabyte-long
#: key quoted in a message is cut, so a shown finding stays small (docs/SECURITY.md).
MAX_MESSAGE = 2000
CROSS_DOCUMENT = "stage:cross-document checks"
SCAN_FIX = "Send the file itself inside the bid folder."
ALL_KINDS = tuple(DocumentKind)
KIND_LABELS = {
    DocumentKind.DATA_MANIFEST: "data manifest",
    DocumentKind.RETENTION_POLICY: "retention policy",
    DocumentKind.OPENAPI: "API description (OpenAPI)",
    DocumentKind.COMPLIANCE_REPORT: "compliance report",
}


@dataclass(frozen=True)
class TaskResult:
    """What a worker sends back: the submission and what the run needs to merge."""

    submission: SubmissionResult
    inputs: tuple[InputFile, ...]
    used: tuple[StandardRef, ...]
    consulted_today: bool
    waiver_usage: dict[tuple[str, str, str], int]


@dataclass
class DocState:
    """A file of a submission as the pipeline sees it."""

    loaded: Loaded
    detection: Detection | None = None
    standard: Standard | None = None
    reason: str = ""

    @property
    def rel(self) -> str:
        return self.loaded.rel

    @property
    def kind(self) -> DocumentKind | None:
        return self.detection.kind if self.detection else None


# --------------------------------------------------------------------------- evaluation


class _Collector:
    """Collects findings and stamps locations (line, column, snippet) lazily, once each.

    Findings beyond the caps (``FindingCaps``: per rule per file, per file) go to ``folded``
    instead: judged like the others by every later stage, but never located, given a snippet
    or a message, and in the end only counted. Which ones are shown is decided as they are
    made, so a hostile list of 20,000 items costs 20,000 light values, not 20,000 located,
    rendered findings.
    """

    def __init__(self, workspace: Workspace, snippets: bool, caps: FindingCaps) -> None:
        self.workspace = workspace
        self.snippets = snippets
        self.caps = caps
        self.findings: list[Finding] = []
        self.folded: list[Finding] = []
        self._per_rule: Counter[tuple[str, str]] = Counter()
        self._per_file: Counter[str] = Counter()

    def admit(self, file: str, rule: str) -> bool:
        """Whether one more finding of ``rule`` in ``file`` is shown (and count it if so)."""
        if self._per_rule[(file, rule)] >= self.caps.per_rule or self._per_file[file] >= self.caps.per_document:
            return False
        self._per_rule[(file, rule)] += 1
        self._per_file[file] += 1
        return True

    def location(self, file: str, pointer: str) -> tuple[Location, tuple[tuple[int, str], ...]]:
        doc = self.workspace.document(file) if file and file != "<stdin>" else None
        if doc is None and file == "<stdin>":
            loaded = self.workspace.files.get("<stdin>")
            doc = loaded.document if loaded else None
        if doc is None:
            return Location(file, pointer), ()
        _, line, col = doc.nearest_position(pointer)
        snippet = tuple(doc.snippet(line, 1)) if self.snippets else ()
        return Location(file, pointer, line, col), snippet

    def add(self, **kwargs: Any) -> None:
        """Build a finding (see ``make``) and keep it, or fold it when a cap is reached."""
        if self.admit(kwargs["file"], kwargs["rule"]):
            self.findings.append(self.make(**kwargs))
        else:
            self.folded.append(unlocated(**kwargs))

    def make(
        self,
        *,
        rule: str,
        clause: str | None,
        standard: StandardRef | None,
        level: Level,
        message: str,
        fix: str,
        file: str,
        pointer: str = "",
        line: int | None = None,
        column: int | None = None,
        detail: tuple[str, ...] = (),
        severity: Severity | None = None,
    ) -> Finding:
        """A finding with its location resolved to line, column and source snippet."""
        snippet: tuple[tuple[int, str], ...] = ()
        if line is not None:
            location = Location(file, pointer, line, column)
            doc = self.workspace.document(file) if self.snippets and file else None
            if doc is not None:
                snippet = tuple(doc.snippet(line, 1))
        else:
            location, snippet = self.location(file, pointer)
        return Finding(
            rule=rule,
            clause=clause,
            standard=standard,
            level=level,
            severity=severity or level.severity,
            message=truncate(message, MAX_MESSAGE),  # a megabyte key in a message stays in the file
            fix=fix,
            location=location,
            snippet=snippet,
            detail=detail,
        )


def unlocated(
    *,
    rule: str,
    clause: str | None,
    standard: StandardRef | None,
    level: Level,
    file: str,
    pointer: str = "",
    severity: Severity | None = None,
    **_unused: Any,
) -> Finding:
    """A folded finding: what every stage judges (rule, clause, level, file, pointer), and
    nothing that costs (no position, snippet, message or fix: it is only counted)."""
    return Finding(
        rule=rule,
        clause=clause,
        standard=standard,
        level=level,
        severity=severity or level.severity,
        message="",
        fix="",
        location=Location(file, pointer),
    )


def fold(findings: list[Finding]) -> tuple[FoldedFindings, ...]:
    """Folded findings counted by file, rule, clause, level and state, in a fixed order."""
    groups: Counter[tuple[str, str, str | None, StandardRef | None, Level, Severity, FindingState]] = Counter(
        (f.location.file, f.rule, f.clause, f.standard, f.level, f.severity, f.state) for f in findings
    )
    return tuple(
        FoldedFindings(file, rule, clause, standard, level, severity, state, count)
        for (file, rule, clause, standard, level, severity, state), count in sorted(
            groups.items(),
            key=lambda item: (item[0][0], item[0][1], item[0][2] or "", str(item[0][3]), item[0][6].value),
        )
    )


def _resolve_standard(run: Run, state: DocState, out: _Collector) -> None:
    """Pick the standard version for a document (CONVENTIONS.md resolution order)."""
    detection = state.detection
    assert detection is not None and detection.kind is not None
    kind = detection.kind
    if kind in run.overrides:
        state.standard = run.use(run.overrides[kind])
        state.reason = "chosen with --standard" if kind in run.cli_kinds else run.profile_reason
        return
    declared = detection.declared
    if declared:
        entry = run.catalog.match(declared)
        if entry is not None and entry.kind == kind.value:
            state.standard = run.use(run.catalog.load(entry.ref))
            state.reason = f"declared in the document ({declared})"
            _check_lifecycle(run, state, out)
            return
        fallback = run.catalog.newest_for_kind(kind)
        why = (
            f"governs {entry.kind} documents, not {kind.value}"
            if entry is not None
            else "is not a known standard version"
        )
        clause = fallback.schema_clause if fallback else None
        out.add(
            rule="version",
            clause=clause,
            standard=fallback.ref if fallback else None,
            level=Level.MUST,
            message=f"the document declares '{declared}', which {why}"
            + (f"; checked against {fallback.ref} instead" if fallback else ""),
            fix="Declare a published standard version, e.g. "
            + (
                f"'{fallback.ref.id}@{'.'.join(fallback.ref.version.split('.')[:2])}'"
                if fallback
                else "one from 'ocp-check standards list'"
            )
            + ".",
            file=state.rel,
            pointer=detection.declared_pointer,
        )
        if fallback:
            state.standard = run.use(fallback)
            state.reason = f"the default version (declared '{declared}' is unknown)"
        return
    newest = run.catalog.newest_for_kind(kind)
    if newest:
        state.standard = run.use(newest)
        state.reason = "no version declared: the default version"
        return
    # Only drafts exist for this kind (the compliance report): they judge only what names them.
    out.add(
        rule="version",
        clause=None,
        standard=None,
        level=Level.MUST,
        message=f"the {KIND_LABELS[kind]} declares no standard version, and no version of its "
        "standard is released for use by default, so it is not checked",
        fix="Declare the version it follows, e.g. 'standard: "
        + next((str(e.ref) for e in reversed(run.catalog.entries()) if e.kind == kind.value), "ID@VERSION")
        + "'.",
        file=state.rel,
        pointer=detection.declared_pointer,
    )


def _check_format_version(state: DocState) -> None:
    """A description in a format version the chosen standard ships no schema for (OpenAPI 3.2
    under ocp-api-exchange 1.0) cannot be judged by it: judging it by another version's schema
    and rules would give wrong passes, so it is reported and left out, as an unknown version is."""
    detection, standard = state.detection, state.standard
    if detection is None or standard is None or detection.problem or not detection.schema_key:
        return
    if detection.schema_key in standard.schema_files:
        return
    covered = ", ".join(k for k in standard.schema_keys() if k)
    data = state.loaded.document.data if state.loaded.document is not None else None
    version = data.get("openapi") if isinstance(data, dict) else None
    state.detection = dataclasses.replace(
        detection,
        problem=(
            f"OpenAPI {version if isinstance(version, str) else detection.schema_key} is not covered by "
            f"{standard.ref}, which judges OpenAPI {covered}: convert the description, or declare a "
            "version of the standard that covers it"
        ),
        problem_pointer="/openapi",
    )


def _check_lifecycle(run: Run, state: DocState, out: _Collector) -> None:
    standard = state.standard
    assert standard is not None and state.detection is not None
    if standard.status in ("deprecated", "withdrawn"):
        successor = standard.superseded_by
        level = Level.MUST if standard.status == "withdrawn" else Level.SHOULD
        out.add(
            rule="version",
            clause=standard.schema_clause,
            standard=standard.ref,
            level=level,
            message=f"the document declares {standard.ref}, which is {standard.status}"
            + (f"; its successor is {successor}" if successor else ""),
            fix=f"Move the document to {successor}." if successor else "Move to a current version.",
            file=state.rel,
            pointer=state.detection.declared_pointer,
        )


def _load_stdin(raw: bytes, limits: Limits) -> Loaded:
    """Standard input, read by the command line up to ``max_bytes + 1`` bytes: more is a finding."""
    if len(raw) > limits.max_bytes:
        error = LoadError("size", f"standard input is more than {limits.max_bytes} bytes; the limit is {limits.max_bytes}")
        return Loaded("<stdin>", "", None, error)
    fmt: Literal["json", "yaml"] = "json" if raw.lstrip()[:1] in (b"{", b"[") else "yaml"
    return load_raw("<stdin>", raw, limits, fmt=fmt)


def _skipped_file(candidate: Candidate, reason: str, limits: Limits) -> Loaded:
    """A file a worker could not finish: hashed for provenance, reported, not parsed again."""
    raw: bytes | None
    try:
        raw = read_file(candidate.path, limits.max_bytes, keep_head=True)
    except TooLarge as err:
        raw = err.head or None
    except ReadError:
        raw = None
    digest = hashlib.sha256(raw).hexdigest() if raw is not None else ""
    error = LoadError("budget", f"{reason}; not checked")
    return Loaded(candidate.rel, digest, None, error, announced_kind(raw) if raw is not None else None)


def evaluate_task(run: Run, task: SubmissionTask, progress: Progress) -> TaskResult:
    """Load and judge one submission (this runs inside a budgeted worker)."""
    with gc_paused():
        return _evaluate_task(run, task, progress)


def _evaluate_task(run: Run, task: SubmissionTask, progress: Progress) -> TaskResult:
    limits = run.settings.limits
    files: dict[str, Loaded] = {}
    for candidate in task.candidates:
        if candidate.rel in task.skipped:
            files[candidate.rel] = _skipped_file(candidate, task.skipped[candidate.rel], limits)
            continue
        progress(f"file:{candidate.rel}")
        files[candidate.rel] = load_file(candidate.path, candidate.rel, limits)
    workspace = Workspace(task.root, limits, files)
    if task.stdin is not None:
        files["<stdin>"] = _load_stdin(task.stdin, limits)
    # Markdown is read for its front matter only: never an OCP document, whatever it says.
    states = [
        DocState(
            loaded,
            detect(loaded.document.data) if loaded.document and not foreign.is_markdown(loaded.rel) else None,
        )
        for loaded in files.values()
    ]
    used_before = set(run.used)
    usage_before = dict(run.waiver_usage)
    run.clock.consulted = False
    result = _evaluate(run, task, states, workspace, progress)
    # This submission's own waiver matches: a worker's run serves many submissions, and the
    # parent sums what each task reports.
    usage = {key: count - usage_before.get(key, 0) for key, count in run.waiver_usage.items()}
    run.waiver_usage.clear()
    run.waiver_usage.update(usage_before)
    inputs = tuple(InputFile(task.name, s.rel, s.loaded.sha256) for s in states if s.loaded.sha256) + tuple(
        InputFile(task.name, c.rel, workspace.files[c.rel].sha256)
        for c in task.waiver_files
        if c.rel in workspace.files and workspace.files[c.rel].sha256
    )
    return TaskResult(
        submission=result,
        inputs=inputs,
        used=tuple(sorted(set(run.used) | used_before)),
        consulted_today=run.clock.consulted,
        waiver_usage=usage,
    )


def _evaluate(
    run: Run,
    task: SubmissionTask,
    states: list[DocState],
    workspace: Workspace,
    progress: Progress,
) -> SubmissionResult:
    name, notes, waiver_files = task.name, task.notes, task.waiver_files
    out = _Collector(workspace, run.settings.snippets, run.settings.caps)

    for rel, message in notes:
        out.add(
            rule="scan",
            clause=None,
            standard=None,
            level=Level.SHOULD,
            message=message,
            fix=SCAN_FIX,
            file=rel,
        )

    # Load failures and detection.
    for state in states:
        loaded = state.loaded
        if loaded.foreign is not None:
            _foreign_finding(out, state.rel, loaded.foreign, Level.MUST)
            continue
        if loaded.error is not None:
            err = loaded.error
            out.add(
                rule="load",
                clause=None,
                standard=None,
                level=Level.MUST,
                message=f"cannot be checked: {err.message}",
                fix=_load_fix(err.code),
                file=state.rel,
                # An empty file has no place but its start.
                line=err.line if err.line is not None or err.code != "empty" else 1,
                column=err.column if err.line is not None or err.code != "empty" else 1,
            )
            continue
        if state.kind is not None:
            left_out = run.left_out(state.kind)
            if left_out is not None:
                state.reason = left_out
                continue
            _resolve_standard(run, state, out)
            _check_format_version(state)

    # Template placeholders left by 'ocp-check init' make a document incomplete.
    placeholders: dict[str, list[str]] = {}
    for state in states:
        if state.loaded.document is not None and state.kind is not None and state.standard is not None:
            document = state.loaded.document
            if not _may_hold_placeholder(document.text):
                continue
            for pointer, text in _placeholders(document.data):
                placeholders.setdefault(state.rel, []).append(pointer)
                out.add(
                    rule="incomplete",
                    clause=state.standard.schema_clause if state.standard else None,
                    standard=state.standard.ref if state.standard else None,
                    level=Level.MUST,
                    message=f"still to fill in: {text}",
                    fix="Replace the TODO placeholder with the real value (see the comment above it).",
                    file=state.rel,
                    pointer=pointer,
                )

    # References: broken or forbidden ones are findings; reached files are fragments.
    not_judged = {s.rel for s in states if s.kind is not None and run.left_out(s.kind) is not None}
    fragments = _reference_pass(states, workspace, out, quiet=not_judged)

    # Every other file says what it is (docs/ARCHITECTURE.md, "Every file is accounted for"):
    # a format handed in instead of an OCP document is an error; a mapping of no known format
    # is a warning beside the bid's documents, and an error where it is all there is.
    has_documents = any(s.kind is not None or s.loaded.announced for s in states)
    unrecognised: dict[str, str] = {}
    for state in states:
        if state.rel in fragments:
            continue
        if state.loaded.foreign is not None:
            unrecognised[state.rel] = state.loaded.foreign.message
        elif state.loaded.document is not None and state.kind is None:
            what = foreign.recognise(state.loaded.document.data, state.rel)
            unrecognised[state.rel] = what.message
            level = Level.MUST if what.specific or not has_documents else Level.SHOULD
            _foreign_finding(out, state.rel, what, level)
        elif state.loaded.error is not None and not state.loaded.announced:
            unrecognised[state.rel] = f"cannot be loaded: {state.loaded.error.message}"

    by_kind: dict[DocumentKind, list[DocState]] = {}
    for state in states:
        if state.kind is not None:
            by_kind.setdefault(state.kind, []).append(state)
    unloadable = frozenset(DocumentKind(s.loaded.announced) for s in states if s.loaded.announced)

    # The standard for each kind the hub requires, present or not, so the clause matrix is
    # complete; an optional kind (the compliance report) only when present or when the profile
    # requires it. With --each a document stands alone: only its own standard is in play, and
    # the hub's completeness clause (a bid holds one document of each kind) does not apply.
    standalone = run.settings.each and task.stdin is None
    profile = run.settings.profile
    required = _required_kinds(run, by_kind, profile.documents if profile else None)
    kind_standard: dict[DocumentKind, Standard] = {}
    for kind in ALL_KINDS:
        docs = by_kind.get(kind, [])
        if run.left_out(kind) is not None or (not docs and (standalone or kind not in required)):
            continue
        chosen = docs[0].standard if docs and docs[0].standard else None
        if chosen is None:
            chosen = run.overrides.get(kind) or run.catalog.newest_for_kind(kind)
        if chosen is not None:
            kind_standard[kind] = run.use(chosen)

    not_applicable: dict[tuple[str, str], str] = {}
    hub = kind_standard.get(DocumentKind.DATA_MANIFEST)
    if standalone:
        if hub is not None and hub.completeness_clause is not None:
            not_applicable[(hub.ref.id, hub.completeness_clause)] = (
                "each document is checked on its own (--each)"
            )
    else:
        _completeness(kind_standard, by_kind, out, profile.documents if profile else None, unloadable)

    evaluations: list[rules.RuleOutcome] = []
    params_for = {ref: _parameters(run, std) for ref, std in run.used.items()}
    judged = _judged_documents(by_kind)

    for state in states:
        standard, detection, doc = state.standard, state.detection, state.loaded.document
        if standard is None or detection is None or doc is None:
            continue
        if detection.problem:
            out.add(
                rule="schema",
                clause=standard.schema_clause,
                standard=standard.ref,
                level=Level.MUST,
                message=detection.problem,
                fix="Describe the API in an OpenAPI version the standard covers ("
                + ", ".join(f"{k}.x" for k in standard.schema_keys() if k)
                + "): convert it (converters from Swagger 2.0 exist in common OpenAPI tools) or start "
                "from the commented template of 'ocp-check init openapi DIR'; or declare a version of "
                "the standard that covers the one you use.",
                file=state.rel,
                pointer=detection.problem_pointer,
            )
            continue
        validator = standard.validator(detection.schema_key)
        # A template's placeholders are reported once each, as `incomplete`: the schema
        # problems they explain are folded into them before the list is capped.
        spots = placeholders.get(state.rel, [])
        problems = [
            problem
            for problem in schema_check.validate(
                validator, doc.data, standard.fast_validator(detection.schema_key), placeholders=bool(spots)
            )
            if not _at_or_below(problem.pointer, spots)
        ]
        for problem in schema_check.cap(problems):
            out.add(
                rule="schema",
                clause=standard.schema_clause,
                standard=standard.ref,
                level=Level.MUST,
                message=problem.message,
                fix=problem.fix,
                file=state.rel,
                pointer=problem.pointer,
                detail=problem.detail,
            )
        if state.rel not in judged.get(detection.kind, ()):  # type: ignore[arg-type]
            continue
        progress(f"file:{state.rel}")
        ctx = rules.Context(
            workspace=workspace,
            file=state.rel,
            documents=judged,
            params=params_for[standard.ref],
            message_limit=run.settings.caps.per_rule,
        )
        for compiled in _compiled(run, standard):
            evaluations.extend(rules.evaluate_document(compiled, ctx))

    progress(CROSS_DOCUMENT)
    if CROSS_DOCUMENT in task.skipped:
        out.add(
            rule="budget",
            clause=None,
            standard=None,
            level=Level.MUST,
            message=f"the cross-document checks {task.skipped[CROSS_DOCUMENT]}; not checked",
            fix="Simplify the documents (fewer or smaller files), or raise --time-budget if this is legitimate.",
            file="",
        )
    else:
        for standard in {s.ref: s for s in kind_standard.values()}.values():
            ctx = rules.Context(
                workspace=workspace,
                file="",
                documents=judged,
                params=params_for.get(standard.ref, {}),
                message_limit=run.settings.caps.per_rule,
            )
            for compiled in _compiled(run, standard):
                evaluations.extend(rules.evaluate_submission(compiled, ctx))

    for outcome in evaluations:
        for hit in outcome.hits:
            out.add(
                rule=outcome.rule.id,
                clause=outcome.rule.clause,
                standard=outcome.rule.standard,
                level=outcome.rule.level,
                message=hit.message,
                fix=outcome.rule.fix,
                file=hit.file,
                pointer=hit.pointer,
            )

    levels = profile.levels if profile else {}
    manifest_rel = by_kind[DocumentKind.DATA_MANIFEST][0].rel if DocumentKind.DATA_MANIFEST in by_kind else None
    findings = _attestation_placeholders(out.findings, manifest_rel, list(kind_standard.values()))
    folded = _attestation_placeholders(out.folded, manifest_rel, list(kind_standard.values()))
    findings = _raise_levels(_without_placeholder_noise(findings, placeholders), levels)
    folded = _raise_levels(_without_placeholder_noise(folded, placeholders), levels)
    manifest = by_kind.get(DocumentKind.DATA_MANIFEST, [])
    manifest_doc = manifest[0].loaded.document if manifest else None
    # Every standard that judged a document is in the matrix: several API descriptions may
    # declare different versions of the exchange standard.
    in_play = {s.ref: s for s in kind_standard.values()}
    for state in states:
        if state.standard is not None and state.rel in judged.get(state.kind, ()):  # type: ignore[arg-type]
            in_play.setdefault(state.standard.ref, state.standard)
    present = {k for k, v in by_kind.items() if any(_judgeable(s) for s in v)}
    disabled = profile.disabled if profile else None
    # Attestations before waivers: an unanswered attestation is a finding a waiver may cover.
    attestation_findings, attested = clause_status.attestations(
        standards=list(in_play.values()),
        findings=[*findings, *folded],
        outcomes=evaluations,
        present=present,
        loaded_kinds={*by_kind, *unloadable},
        manifest=(manifest[0].rel, manifest_doc) if manifest_doc is not None else None,
        locate=out.location,
        disabled=disabled,
        levels=levels,
        not_applicable=not_applicable,
    )
    for extra in attestation_findings:
        (findings if out.admit(extra.location.file, extra.rule) else folded).append(extra)
    findings, folded = _apply_waivers(run, name, workspace, waiver_files, findings, folded, out)

    clauses, statused = clause_status.evaluate(
        standards=list(in_play.values()),
        findings=[*findings, *folded],
        outcomes=evaluations,
        present=present,
        loaded_kinds={*by_kind, *unloadable},
        attested=attested,
        clock=run.clock,
        disabled=disabled,
        levels=levels,
        not_applicable=not_applicable,
        optional=frozenset(ALL_KINDS) - required,
    )
    findings, folded = statused[: len(findings)], statused[len(findings) :]

    findings = _judged_or_not(clauses, findings, out, folded)
    documents = tuple(
        DocumentResult(
            path=s.rel,
            kind=s.kind or (DocumentKind(s.loaded.announced) if s.loaded.announced else None),
            standard=s.standard.ref if s.standard else None,
            standard_reason=s.reason or ("not judged: the file cannot be loaded" if s.loaded.announced else ""),
            sha256=s.loaded.sha256,
            declared=s.detection.declared if s.detection else None,
            unrecognised=unrecognised.get(s.rel, ""),
        )
        for s in sorted(states, key=lambda s: s.rel)
        if s.rel not in fragments
    )
    return SubmissionResult(
        name=name,
        root=task.root_display,
        documents=documents,
        findings=tuple(sorted(findings, key=Finding.sort_key)),
        clauses=clauses,
        fragments=tuple(sorted(fragments)),
        folded=fold(folded),
    )


#: Clause statuses that mean a clause was judged on a document (not-applicable, not-checked,
#: not-in-force and disabled say it was not).
JUDGED = frozenset({Status.PASS, Status.FAIL, Status.WAIVED, Status.ATTESTED})


def _judged_or_not(
    clauses: tuple[ClauseResult, ...], findings: list[Finding], out: _Collector, folded: Sequence[Finding] = ()
) -> list[Finding]:
    """A submission in which no clause could be judged is never conformant: with no other
    error to say so (the files are already errors in every case the tool knows of), it gets
    one, so that a submission of nothing judgeable can never read "conformant"."""
    if any(c.status in JUDGED for c in clauses):
        return findings
    if any(f.active and f.severity is Severity.ERROR for f in (*findings, *folded)):
        return findings
    return [
        *findings,
        out.make(
            rule="unjudged",
            clause=None,
            standard=None,
            level=Level.MUST,
            message="no clause of any standard could be judged: the submission holds no document "
            "the standards in play cover",
            fix="Add the documents the standards judge (a data manifest, a retention policy and an "
            "OpenAPI description; 'ocp-check init submission DIR' writes templates), or name the "
            "standard that covers the documents with --standard.",
            file="",
        ),
    ]


def _foreign_finding(out: _Collector, rel: str, what: foreign.Foreign, level: Level) -> None:
    """The finding that names a file that is not an OCP document, where that shows."""
    out.add(
        rule="foreign" if what.specific else "detect",
        clause=None,
        standard=None,
        level=level,
        message=what.message,
        fix=what.fix,
        file=rel,
        pointer=what.pointer,
        line=what.line,
        column=1 if what.line is not None else None,
    )


#: Findings of the engine itself: their place is the problem (a broken $ref, a schema error
#: the lenient validation kept), never a container that merely holds a placeholder.
_ENGINE_RULES = frozenset(
    {"load", "schema", "detect", "version", "submission", "ref", "scan", "budget", "waivers", "foreign", "unjudged"}
)


def _at_or_below(pointer: str, spots: list[str] | tuple[str, ...]) -> bool:
    return any(pointer == p or pointer.startswith(p + "/") for p in spots)


def _holds(pointer: str, spots: list[str] | tuple[str, ...]) -> bool:
    """Whether a value other than the whole document holds a placeholder."""
    return bool(pointer) and any(p.startswith(pointer + "/") for p in spots)


def _without_placeholder_noise(findings: list[Finding], placeholders: dict[str, list[str]]) -> list[Finding]:
    """A value still written as a TODO placeholder is reported once, as ``incomplete``: the
    findings about that value, or about a value that holds it (a rule judging a list of
    categories one of which is still "TODO: …"), would only repeat it, and go once it is
    filled in. The engine's own findings are folded only at or below a placeholder."""
    if not placeholders:
        return findings
    out = []
    for f in findings:
        if f.rule != "incomplete":
            spots = placeholders.get(f.location.file, ())
            pointer = f.location.pointer
            if _at_or_below(pointer, spots) or (f.rule not in _ENGINE_RULES and _holds(pointer, spots)):
                continue
        out.append(f)
    return out


def _attestation_placeholders(
    findings: list[Finding], manifest: str | None, standards: list[Standard]
) -> list[Finding]:
    """A placeholder in an attestation answer (``attestations.DG-6.4.answer: "TODO: yes or
    no"``) belongs to the clause it answers: that clause fails for it, and no second finding
    ("not answered yes or no") repeats it."""
    if manifest is None:
        return findings
    owners = {
        clause.id: standard
        for standard in standards
        for clause in standard.clauses
        if clause.verification == "attestation"
    }
    out = []
    for f in findings:
        parts = f.location.pointer.split("/")
        if f.rule == "incomplete" and f.location.file == manifest and len(parts) > 2 and parts[1] == "attestations":
            owner = owners.get(parts[2].replace("~1", "/").replace("~0", "~"))
            if owner is not None:
                clause = owner.clause_index[parts[2].replace("~1", "/").replace("~0", "~")]
                f = dataclasses.replace(f, clause=clause.id, standard=owner.ref)
        out.append(f)
    return out


# How a "T", "O" or "D" can be written without the letter itself (JSON and YAML escapes), and
# a YAML double-quoted line continuation, which joins "TO\<newline>DO" into "TODO".
_ESCAPED_TODO_LETTER = re.compile(
    r"\\(?:u00(?:54|4[fF]|44)|x(?:54|4[fF]|44)|U0000(?:0054|004[fF]|0044)|[\r\n\x85\u2028\u2029])"
)


def _may_hold_placeholder(text: str) -> bool:
    """False only when no string value of the document can start with ``TODO``: the text has
    neither the word nor an escape that could spell it. Walking every value of a 13 MB API
    description to find none costs a tenth of its check; searching its text, a hundredth."""
    return "TODO" in text or _ESCAPED_TODO_LETTER.search(text) is not None


def _placeholders(data: JSON, limit: int = 200) -> list[tuple[str, str]]:
    """``TODO`` placeholders (as written by ``ocp-check init``), in document order.

    The walk keeps each node's path as a link to its parent's and builds a pointer only for a
    placeholder found: formatting a pointer for every node of a 13 MB API description cost
    more than checking it."""
    found: list[tuple[str, str]] = []
    stack: list[tuple[Any, JSON]] = [(None, data)]
    while stack and len(found) < limit:
        link, value = stack.pop()
        if isinstance(value, str):
            if value.startswith("TODO"):
                tokens: list[str] = []
                while link is not None:
                    link, token = link
                    tokens.append(token)
                pointer = "".join("/" + escape_token(t) for t in reversed(tokens))
                found.append((pointer, value[4:].lstrip(" :") or "a value"))
        elif isinstance(value, dict):
            stack.extend(((link, k), v) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend(((link, str(i)), v) for i, v in reversed(list(enumerate(value))))
    return found


def _parameters(run: Run, standard: Standard) -> dict[str, JSON]:
    """Defaults, then the profile's values, then explicit settings."""
    values = {name: p.default for name, p in standard.parameters.items()}
    profile = run.settings.profile
    if profile is not None:
        values.update(profile.parameters.get(standard.ref.id, {}))
    values.update(run.settings.parameters.get(standard.ref.id, {}))
    return values


def _compiled(run: Run, standard: Standard) -> list[rules.CompiledStandard]:
    """The standard's own rules, plus local rule packs the profile attaches to it."""
    out = [rules.compile_standard(standard)]
    profile = run.settings.profile
    if profile is not None:
        packs = tuple(pack for sid, pack in profile.rule_packs if sid == standard.ref.id)
        if packs:
            out.append(rules.compile_extra(standard, packs))
    return out


def _raise_levels(findings: list[Finding], levels: dict[tuple[str, str], Level]) -> list[Finding]:
    """A profile may raise a clause's level (SHOULD → MUST): its findings follow."""
    if not levels:
        return findings
    out = []
    for f in findings:
        level = levels.get((f.standard.id, f.clause)) if f.standard and f.clause else None
        if level is not None and level.rank > f.level.rank:
            f = dataclasses.replace(f, level=level, severity=level.severity)
        out.append(f)
    return out


def _apply_waivers(
    run: Run,
    name: str,
    workspace: Workspace,
    waiver_files: list[Candidate],
    findings: list[Finding],
    folded: list[Finding],
    out: _Collector,
) -> tuple[list[Finding], list[Finding]]:
    """City waivers, then the vendor's waivers file(s) found in the bid folder; they reach the
    folded findings too. Returns the shown and the folded findings."""
    vendor: list[Waiver] = []
    problems: list[Finding] = []
    folded_problems: list[Finding] = []

    def problem(
        message: str,
        file: str,
        *,
        pointer: str = "",
        level: Level = Level.MUST,
        line: int | None = None,
        column: int | None = None,
        fix: str = "",
    ) -> None:
        spec: dict[str, Any] = {
            "rule": "waivers",
            "clause": None,
            "standard": None,
            "level": level,
            "file": file,
            "pointer": pointer,
        }
        if not out.admit(file, "waivers"):  # a waivers file of 100,000 unused waivers
            folded_problems.append(unlocated(**spec))
            return
        problems.append(
            out.make(
                **spec,
                message=message,
                fix=fix
                or "Fix the waivers file (see docs/profiles.md): a waiver needs id, rule or "
                "clause, reason, approved_by and expires.",
                line=line,
                column=column,
            )
        )

    for candidate in waiver_files:
        loaded = load_file(candidate.path, candidate.rel, run.settings.limits)
        workspace.files.setdefault(candidate.rel, loaded)
        if loaded.document is None:
            err = loaded.error
            problem(
                f"the vendor waivers file cannot be read: {err.message if err else 'unknown error'}",
                candidate.rel,
                line=err.line if err else None,
                column=err.column if err else None,
            )
            continue
        items, issues = load_vendor_waivers(loaded.document)
        vendor.extend(items)
        for issue in issues:
            problem(issue.message, candidate.rel, pointer=issue.pointer)
    everything = [*run.city_waivers(), *vendor]
    if not everything:
        return findings + problems, folded + folded_problems
    city_evaluation = bool(run.settings.profile and run.settings.profile.city_evaluation)
    applied, usage = waivers_stage.apply(
        findings, everything, submission=name, city_evaluation=city_evaluation, today=run.clock.today()
    )
    applied_folded, usage_folded = waivers_stage.apply(
        folded, everything, submission=name, city_evaluation=city_evaluation, today=run.clock.today()
    )
    for key, count in usage_folded.items():
        usage[key] = usage.get(key, 0) + count
    for key, count in usage.items():
        if key in run.waiver_usage:
            run.waiver_usage[key] += count
    for w in vendor:
        if usage.get(w.key, 0) == 0:
            problem(
                f"waiver {w.id} matches no finding",
                w.source,
                pointer=w.source_pointer,
                level=Level.SHOULD,
                fix="Remove the waiver, or correct its rule, clause or scope.",
            )
    return applied + problems, applied_folded + folded_problems


def _load_fix(code: str) -> str:
    return {
        "duplicate-key": "Keep one entry per key; YAML and JSON tools silently keep only the last one.",
        "alias-bomb": "Write the data out without deeply nested YAML aliases.",
        "alias-cycle": "Remove the alias that refers to the node containing it.",
        "depth": "Flatten the document; nesting this deep is not needed for any OCP document.",
        "encoding": "Save the file as UTF-8.",
        "merge-key": "Expand the merged mapping: write its keys out where '<<' is used.",
        "nan": "Use a number or a string instead of NaN or Infinity.",
        "tag": "Remove the YAML tag; OCP documents use plain YAML values only.",
        "multi-document": "Put each document in its own file.",
        "empty": "Fill it in from a template ('ocp-check init data-manifest|retention-policy|openapi DIR'), "
        "or remove the empty file.",
        "merge-conflict": "Resolve the conflict: keep the right side of each block between '<<<<<<<' and "
        "'>>>>>>>', delete the marker lines, and commit the result.",
        "size": "Split the document, or raise the limit with --max-file-size if it is legitimate.",
        "syntax": "Fix the YAML/JSON syntax at the position shown.",
        "key-type": "Use plain text keys.",
        "unreadable": "Check that the file exists and can be read.",
        "not-regular": "Replace the special file by a regular file.",
        "budget": "Simplify or split the file, or raise --time-budget / --memory-budget if it is legitimate.",
    }.get(code, "Fix the file so it loads as YAML or JSON.")


def _reference_pass(
    states: list[DocState], workspace: Workspace, out: _Collector, quiet: frozenset[str] | set[str] = frozenset()
) -> set[str]:
    """Check every ``$ref`` of every document; return the files reached only by reference.

    Documents in ``quiet`` (of a kind the run does not judge) only say which files they
    reach: their broken references are not this run's findings."""
    reached: set[str] = set()
    for state in states:
        doc = state.loaded.document
        if doc is None or state.kind is None:
            continue
        sink = _Collector(workspace, False, out.caps) if state.rel in quiet else out
        clause = state.standard.schema_clause if state.standard else None
        ref = state.standard.ref if state.standard else None
        queue = [(state.rel, doc.data)]
        visited_files = {state.rel}
        while queue:
            file, data = queue.pop()
            for pointer, target in sorted(iter_refs(data)):
                try:
                    node = workspace.resolve(file, target)
                except RefError as err:
                    sink.add(
                        rule="ref",
                        clause=clause,
                        standard=ref,
                        level=Level.MUST,
                        message=str(err),
                        fix="Point $ref at a file inside the bid folder, with a JSON Pointer fragment.",
                        file=file,
                        pointer=f"{pointer}/$ref",
                    )
                    continue
                if isinstance(node.value, dict) and "$ref" in node.value:
                    cycle: list[str] = []
                    workspace.follow(node, functools.partial(_record_ref_problem, cycle))
                    if cycle and cycle[0] == "circular $ref chain":
                        sink.add(
                            rule="ref",
                            clause=clause,
                            standard=ref,
                            level=Level.MUST,
                            message=f"circular $ref chain: {target[:120]} leads back to itself without any content",
                            fix="Make one of the schemas in the chain a real schema instead of another $ref.",
                            file=file,
                            pointer=f"{pointer}/$ref",
                        )
                if node.file != file:
                    reached.add(node.file)
                    if node.file not in visited_files:
                        visited_files.add(node.file)
                        target_doc = workspace.document(node.file)
                        if target_doc is not None:
                            queue.append((node.file, target_doc.data))
    documents = {s.rel for s in states if s.kind is not None}
    return reached - documents


def _record_ref_problem(sink: list[str], at: Node, message: str) -> None:
    sink.append(message)


def _completeness(
    kind_standard: dict[DocumentKind, Standard],
    by_kind: dict[DocumentKind, list[DocState]],
    out: _Collector,
    required: tuple[DocumentKind, ...] | None,
    unloadable: frozenset[DocumentKind] = frozenset(),
) -> None:
    """Missing or duplicated documents fail the hub standard's completeness clause.

    A profile may relax which kinds are required (``documents:``); duplicates are always
    reported.
    """
    hub = kind_standard.get(DocumentKind.DATA_MANIFEST)
    if hub is None or hub.completeness_clause is None:
        return
    needed = hub.completeness_requires if required is None else required
    for kind in ALL_KINDS:
        if kind not in needed and kind not in by_kind:
            continue
        docs = by_kind.get(kind, [])
        if not docs and kind in needed and kind not in unloadable:
            # A file that announces the kind but fails to load is already an error finding;
            # the document is there, so it is not reported as missing too.
            out.add(
                rule="submission",
                clause=hub.completeness_clause,
                standard=hub.ref,
                level=hub.clause_index[hub.completeness_clause].level,
                message=f"the submission has no {KIND_LABELS[kind]}",
                fix=f"Add the {KIND_LABELS[kind]} to the bid folder (see 'ocp-check init').",
                file="",
            )
        # Several API descriptions are normal, and each is judged; a second manifest or
        # retention policy leaves the bid ambiguous.
        for extra in docs[1:] if kind is not DocumentKind.OPENAPI else ():
            out.add(
                rule="submission",
                clause=hub.completeness_clause,
                standard=hub.ref,
                level=hub.clause_index[hub.completeness_clause].level,
                message=f"a second {KIND_LABELS[kind]} in the same submission (the first is {docs[0].rel})",
                fix="Keep one document of each kind per bid folder; put other bids in their own folders.",
                file=extra.rel,
            )


def _judged_documents(by_kind: dict[DocumentKind, list[DocState]]) -> dict[DocumentKind, tuple[str, ...]]:
    """The documents the rules judge, by kind: the (first) data manifest and retention policy,
    and every API description, since a vendor may publish several APIs (an open-data API and
    a city-only one) and each is held to the exchange standard. A document in a version no
    standard covers (Swagger 2.0, OpenAPI 3.2 under a standard without its schema) is reported
    and left out: judging it by the rules of another version would give wrong passes."""
    judged: dict[DocumentKind, tuple[str, ...]] = {}
    for kind, docs in by_kind.items():
        if kind is DocumentKind.OPENAPI:
            files = tuple(s.rel for s in docs if _judgeable(s))
        else:
            files = (docs[0].rel,) if _judgeable(docs[0]) else ()
        if files:
            judged[kind] = files
    return judged


def _required_kinds(
    run: Run, by_kind: dict[DocumentKind, list[DocState]], documents: tuple[DocumentKind, ...] | None
) -> frozenset[DocumentKind]:
    """The kinds whose standards are in play even when the document is absent: those the hub
    (the manifest's standard) requires, and those the profile's ``documents:`` names. A profile
    that relaxes a required kind still sees its clauses as not checked; an optional kind (the
    compliance report) is required only when the profile names it."""
    manifests = by_kind.get(DocumentKind.DATA_MANIFEST, [])
    hub = manifests[0].standard if manifests and manifests[0].standard else None
    hub = (
        hub
        or run.overrides.get(DocumentKind.DATA_MANIFEST)
        or run.catalog.newest_for_kind(DocumentKind.DATA_MANIFEST)
    )
    core = hub.completeness_requires if hub is not None else ALL_KINDS[:3]
    return frozenset(core) | frozenset(documents or ())


def _judgeable(state: DocState) -> bool:
    """Loaded, and in a version of its format that the standards cover."""
    return state.loaded.document is not None and not (state.detection and state.detection.problem)
