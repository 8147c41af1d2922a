"""The frozen context a submission is judged in, passed from stage to stage.

Each stage (one module of this package) reads a ``Submission`` and returns a new one holding
what it found: new findings (``found``), and its outcomes as values (the documents' standards,
the fragments, the rule outcomes, the clause statuses…). Nothing is changed in place, so a
stage can be tested alone with the context it needs, and the run a worker serves is never
mutated: what a task used (standards, waiver matches, whether "today" was consulted) comes
back in its ``TaskResult``.

Findings are bounded as they are admitted (``FindingCaps``: per rule per file, per file):
the ones beyond the caps are *folded*, light values every later stage judges like the others
but that are never located, given a snippet or a message, and in the end only counted. A
finding that is shown is located once, when admitted: only findings pay for positions.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ocp_check.detect import Detection
from ocp_check.grouping import SubmissionTask
from ocp_check.i18n import _
from ocp_check.model import (
    ClauseResult,
    DocumentKind,
    DocumentResult,
    Finding,
    FindingState,
    FoldedFindings,
    InputFile,
    Level,
    Location,
    Severity,
    StandardInfo,
    StandardRef,
    Status,
    SubmissionResult,
)
from ocp_check.rules import RuleOutcome
from ocp_check.run import Run
from ocp_check.standards import Standard
from ocp_check.workspace import Loaded, Workspace

Progress = Callable[[str], None]
#: The progress label of the cross-document checks (a budget overrun there is reported as such).
CROSS_DOCUMENT = "stage:cross-document checks"
Snippet = tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Doc:
    """A file of a submission as the stages see it: loaded, then detected, then given a standard."""

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

    @property
    def judgeable(self) -> bool:
        """Loaded, and in a version of its format that the standards cover."""
        return self.loaded.document is not None and not (self.detection and self.detection.problem)


@dataclass(frozen=True)
class TaskResult:
    """What a worker sends back: the submission, and what the run needs to merge."""

    submission: SubmissionResult
    inputs: tuple[InputFile, ...]
    used: tuple[StandardRef, ...]
    consulted_today: bool
    waiver_usage: dict[tuple[str, str, str], int]
    #: Files outside the submission that ``$ref`` reached or looked for, with their SHA-256
    #: ("" when absent): the result depends on them (``cache.py`` checks them again).
    reads: tuple[tuple[str, str], ...] = ()
    #: False when the budget set a file or stage aside: such a result depends on timing and
    #: on the machine, so it is never cached.
    complete: bool = True
    #: What the report says about built-in standards this worker loaded for the result, each
    #: sent once per worker, so the parent need not load them again (``engine._work``); a
    #: result read from the cache carries it for every standard it used. A standard without
    #: one here is loaded by the parent.
    standards: tuple[StandardInfo, ...] = ()


@dataclass(frozen=True)
class Tally:
    """How many findings are shown so far, by (file, rule) and by file: what the caps count."""

    per_rule: Mapping[tuple[str, str], int] = field(default_factory=dict)
    per_file: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Submission:
    """One submission being judged: its inputs, and every stage's outcome so far."""

    run: Run
    task: SubmissionTask
    workspace: Workspace
    progress: Progress
    docs: tuple[Doc, ...] = ()
    #: The vendor's waivers files found in the bid folder, loaded with the documents.
    vendor_waivers: tuple[Loaded, ...] = ()
    findings: tuple[Finding, ...] = ()
    folded: tuple[Finding, ...] = ()
    tally: Tally = field(default_factory=Tally)
    used: frozenset[StandardRef] = frozenset()
    #: File -> pointers of the ``TODO`` placeholders it still holds.
    placeholders: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Files reached only by ``$ref``: parts of the documents, not documents.
    fragments: frozenset[str] = frozenset()
    #: File -> what it is, for the files that are no OCP document.
    unrecognised: Mapping[str, str] = field(default_factory=dict)
    #: The standard of each kind in play, present or not, so the clause matrix is complete.
    kind_standard: Mapping[DocumentKind, Standard] = field(default_factory=dict)
    #: Kinds the submission need not hold (the compliance report in a bid): a clause that needs
    #: one that is absent does not apply, rather than going unchecked.
    optional: frozenset[DocumentKind] = frozenset()
    #: (standard id, clause id) -> why the run's mode rules the clause out.
    not_applicable: Mapping[tuple[str, str], str] = field(default_factory=dict)
    outcomes: tuple[RuleOutcome, ...] = ()
    #: (standard ref, clause id) -> the status of an attestation answered without a finding.
    attested: Mapping[tuple[str, str], tuple[Status, str]] = field(default_factory=dict)
    waiver_usage: Mapping[tuple[str, str, str], int] = field(default_factory=dict)
    clauses: tuple[ClauseResult, ...] = ()
    consulted_today: bool = False

    # ------------------------------------------------------------------ derived views

    @cached_property
    def by_kind(self) -> dict[DocumentKind, list[Doc]]:
        """The documents of each kind, in file order."""
        out: dict[DocumentKind, list[Doc]] = {}
        for doc in self.docs:
            if doc.kind is not None:
                out.setdefault(doc.kind, []).append(doc)
        return out

    @cached_property
    def unloadable(self) -> frozenset[DocumentKind]:
        """Kinds announced by a file that could not be loaded (so not "missing" as well)."""
        return frozenset(DocumentKind(d.loaded.announced) for d in self.docs if d.loaded.announced)

    @cached_property
    def judged(self) -> dict[DocumentKind, tuple[str, ...]]:
        """The documents the rules judge, by kind: the (first) data manifest and retention
        policy, and every API description, since a vendor may publish several APIs (an
        open-data API and a city-only one) and each is held to the exchange standard. A
        document in a version no standard covers (Swagger 2.0, OpenAPI 3.2 under a standard
        without its schema) is reported and left out: judging it by the rules of another
        version would give wrong passes."""
        judged: dict[DocumentKind, tuple[str, ...]] = {}
        for kind, docs in self.by_kind.items():
            if kind is DocumentKind.OPENAPI:
                files = tuple(d.rel for d in docs if d.judgeable)
            else:
                files = (docs[0].rel,) if docs[0].judgeable else ()
            if files:
                judged[kind] = files
        return judged

    @cached_property
    def in_play(self) -> list[Standard]:
        """Every standard whose clauses the matrix shows: the standard of each kind, and of every
        judged document (several API descriptions may declare different versions)."""
        out = {s.ref: s for s in self.kind_standard.values()}
        for doc in self.docs:
            if doc.standard is not None and doc.kind is not None and doc.rel in self.judged.get(doc.kind, ()):
                out.setdefault(doc.standard.ref, doc.standard)
        return list(out.values())

    @cached_property
    def present(self) -> frozenset[DocumentKind]:
        """Kinds with a document the rules can judge."""
        return frozenset(k for k, docs in self.by_kind.items() if any(d.judgeable for d in docs))

    @cached_property
    def loaded_kinds(self) -> frozenset[DocumentKind]:
        """Kinds the submission holds, judgeable or not (loaded, or announced and failed)."""
        return frozenset({*self.by_kind, *self.unloadable})

    @property
    def manifest(self) -> Doc | None:
        """The (first) data manifest: it holds the attestations."""
        docs = self.by_kind.get(DocumentKind.DATA_MANIFEST)
        return docs[0] if docs else None

    @property
    def standalone(self) -> bool:
        """``--each``: a document judged alone (standard input is always a submission)."""
        return self.run.settings.each and self.task.stdin is None

    # ------------------------------------------------------------------ building the next context

    def but(self, **changes: Any) -> Submission:
        """This context with a stage's outcomes.

        A shallow copy with the changed fields, as ``dataclasses.replace`` makes, without
        re-running ``__init__`` over every field (a submission passes through some twenty of
        these, and a portal of 10,000 manifests is 10,000 submissions). The derived views are
        kept unless a field they are derived from changes.
        """
        unknown = changes.keys() - _FIELDS
        if unknown:
            raise TypeError(f"Submission has no field {sorted(unknown)[0]!r}")
        state = dict(self.__dict__)
        if not _DERIVED_FROM.isdisjoint(changes):
            for name in _DERIVED:
                state.pop(name, None)
        state.update(changes)
        new = object.__new__(Submission)
        new.__dict__.update(state)
        return new

    def found(self, new: Iterable[Finding], **changes: Any) -> Submission:
        """This context with a stage's new findings admitted (shown within the caps, else
        folded) and its other outcomes."""
        new = list(new)
        if not new:
            return self.but(**changes) if changes else self
        caps = self.run.settings.caps
        shown, folded = list(self.findings), list(self.folded)
        per_rule, per_file = Counter(self.tally.per_rule), Counter(self.tally.per_file)
        for finding in new:
            file, rule = finding.location.file, finding.rule
            if per_rule[(file, rule)] >= caps.per_rule or per_file[file] >= caps.per_document:
                folded.append(light(finding))
                continue
            per_rule[(file, rule)] += 1
            per_file[file] += 1
            shown.append(self.located(finding))
        return self.but(findings=tuple(shown), folded=tuple(folded), tally=Tally(per_rule, per_file), **changes)

    def with_states(self, findings: Iterable[Finding], folded: Iterable[Finding], **changes: Any) -> Submission:
        """This context with its findings judged again (levels, waivers, statuses change them)."""
        return self.but(findings=tuple(findings), folded=tuple(folded), **changes)

    # ------------------------------------------------------------------ positions

    def locate(self, file: str, pointer: str) -> tuple[Location, Snippet]:
        """Line, column and source snippet of a pointer in a file of the submission."""
        doc = self.workspace.document(file) if file and file != "<stdin>" else None
        if doc is None and file == "<stdin>":
            loaded = self.workspace.files.get("<stdin>")
            doc = loaded.document if loaded else None
        if doc is None:
            return Location(file, pointer), ()
        _offset, line, col = doc.nearest_position(pointer)
        snippet = tuple(doc.snippet(line, 1)) if self.run.settings.snippets else ()
        return Location(file, pointer, line, col), snippet

    def located(self, finding: Finding) -> Finding:
        """A finding with its line, column and snippet (a given line is kept, a pointer is found)."""
        where = finding.location
        if where.line is not None:
            doc = self.workspace.document(where.file) if self.run.settings.snippets and where.file else None
            snippet: Snippet = tuple(doc.snippet(where.line, 1)) if doc is not None else ()
            return dataclasses.replace(finding, snippet=snippet)
        location, snippet = self.locate(where.file, where.pointer)
        return dataclasses.replace(finding, location=location, snippet=snippet)

    # ------------------------------------------------------------------ the result

    def result(self) -> TaskResult:
        """The submission's result, and what the run merges from it."""
        task, files = self.task, self.workspace.files
        documents = tuple(
            DocumentResult(
                path=d.rel,
                kind=d.kind or (DocumentKind(d.loaded.announced) if d.loaded.announced else None),
                standard=d.standard.ref if d.standard else None,
                standard_reason=d.reason or (_("not judged: the file cannot be loaded") if d.loaded.announced else ""),
                sha256=d.loaded.sha256,
                declared=d.detection.declared if d.detection else None,
                unrecognised=self.unrecognised.get(d.rel, ""),
            )
            for d in sorted(self.docs, key=lambda d: d.rel)
            if d.rel not in self.fragments
        )
        inputs = tuple(InputFile(task.name, d.rel, d.loaded.sha256) for d in self.docs if d.loaded.sha256) + tuple(
            InputFile(task.name, c.rel, files[c.rel].sha256)
            for c in task.waiver_files
            if c.rel in files and files[c.rel].sha256
        )
        submission = SubmissionResult(
            name=task.name,
            root=task.root_display,
            documents=documents,
            findings=tuple(sorted(self.findings, key=Finding.sort_key)),
            clauses=self.clauses,
            fragments=tuple(sorted(self.fragments)),
            folded=fold(self.folded),
        )
        return TaskResult(
            submission=submission,
            inputs=inputs,
            used=tuple(sorted(self.used)),
            consulted_today=self.consulted_today,
            waiver_usage=dict(self.waiver_usage),
            reads=tuple(sorted(self.workspace.extra.items())),
            complete=not task.skipped,
        )


_FIELDS = frozenset(f.name for f in dataclasses.fields(Submission))
#: The cached views of a submission (``by_kind``, ``in_play``…), and the fields they read.
_DERIVED = tuple(name for name, value in vars(Submission).items() if isinstance(value, cached_property))
_DERIVED_FROM = frozenset({"docs", "kind_standard"})


def light(finding: Finding) -> Finding:
    """A folded finding: what every stage judges (rule, clause, level, file, pointer), and
    nothing that costs (no position, snippet, message or fix: it is only counted)."""
    return Finding(
        rule=finding.rule,
        clause=finding.clause,
        standard=finding.standard,
        level=finding.level,
        severity=finding.severity,
        message="",
        fix="",
        location=Location(finding.location.file, finding.location.pointer),
    )


def fold(findings: Iterable[Finding]) -> tuple[FoldedFindings, ...]:
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


#: A stage: the context in, the next context (with the stage's findings and outcomes) out.
Stage = Callable[[Submission], Submission]
