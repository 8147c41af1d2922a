"""The report model: plain frozen values shared by every stage and renderer.

Nothing here does I/O. Renderers read these types and nothing else, which is what lets a
report be re-rendered, compared by ``verify`` and golden-tested without running a check.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    """How bad a finding is. Ordered: info < warning < error."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class Level(str, Enum):
    """RFC 2119 requirement level of a clause; it decides the severity of its findings."""

    MUST = "MUST"
    MUST_NOT = "MUST NOT"
    SHOULD = "SHOULD"
    SHOULD_NOT = "SHOULD NOT"
    MAY = "MAY"

    @property
    def severity(self) -> Severity:
        if self in (Level.MUST, Level.MUST_NOT):
            return Severity.ERROR
        if self in (Level.SHOULD, Level.SHOULD_NOT):
            return Severity.WARNING
        return Severity.INFO

    @property
    def rank(self) -> int:
        """Strength of the level: MAY < SHOULD(/NOT) < MUST(/NOT)."""
        return self.severity.rank


class Status(str, Enum):
    """Clause statuses (CONVENTIONS.md): one list, used by every renderer."""

    PASS = "pass"  # noqa: S105 - a clause status, not a secret
    FAIL = "fail"
    WAIVED = "waived"
    NOT_APPLICABLE = "not-applicable"
    ATTESTED = "attested"
    NOT_IN_FORCE = "not-in-force"
    DISABLED = "disabled"
    NOT_CHECKED = "not-checked"


class DocumentKind(str, Enum):
    """The three document kinds a submission holds."""

    DATA_MANIFEST = "data-manifest"
    RETENTION_POLICY = "retention-policy"
    OPENAPI = "openapi"


class FindingState(str, Enum):
    """Whether a finding counts towards the verdict and the exit code."""

    ACTIVE = "active"
    WAIVED = "waived"
    NOT_IN_FORCE = "not-in-force"
    DISABLED = "disabled"  # its clause was disabled by the city's profile


@dataclass(frozen=True, slots=True, order=True)
class StandardRef:
    """A fully resolved standard version, e.g. ``ocp-data-governance@1.0.0``."""

    id: str
    version: str

    def __str__(self) -> str:
        return f"{self.id}@{self.version}"


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding is: a file (relative to the submission root) and a JSON Pointer.

    ``line``/``column`` are 1-based and present whenever the file could be read.
    """

    file: str
    pointer: str = ""
    line: int | None = None
    column: int | None = None

    def display(self) -> str:
        if self.line is None:
            return self.file
        return f"{self.file}:{self.line}:{self.column or 1}"


@dataclass(frozen=True, slots=True)
class WaiverRef:
    """The waiver that matched a finding, as shown in every report."""

    id: str
    issuer: str
    approved_by: str
    expires: str
    reason: str
    honoured: bool
    note: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in one place.

    ``rule`` is a rule id, or one of the engine's own ids: ``load`` (the file could not be
    read as a JSON-model document), ``schema`` (structural validation), ``detect`` (unknown
    document kind), ``version`` (declared standard version problems) or ``submission``
    (submission completeness).
    """

    rule: str
    clause: str | None
    standard: StandardRef | None
    level: Level
    severity: Severity
    message: str
    fix: str
    location: Location
    state: FindingState = FindingState.ACTIVE
    waiver: WaiverRef | None = None
    snippet: tuple[tuple[int, str], ...] = ()
    detail: tuple[str, ...] = ()
    effective_from: str | None = None

    @property
    def active(self) -> bool:
        return self.state is FindingState.ACTIVE

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        loc = self.location
        return (loc.file, loc.line or 0, loc.column or 0, self.rule, loc.pointer, self.message)

    def check_tuple(self) -> tuple[str, str]:
        """(rule, pointer): what tests compare."""
        return (self.rule, self.location.pointer)


@dataclass(frozen=True, slots=True)
class ClauseResult:
    """The status of one clause of one standard version for one submission."""

    standard: StandardRef
    clause: str
    title: str
    level: Level
    status: Status
    reason: str = ""
    findings: int = 0


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """A document of a submission: what it is and which standard version judged it, and why."""

    path: str
    kind: DocumentKind | None
    standard: StandardRef | None
    standard_reason: str
    sha256: str
    declared: str | None = None


@dataclass(frozen=True, slots=True)
class SubmissionResult:
    """Everything about one submission (a bid): documents, findings, clause matrix, verdict."""

    name: str
    root: str
    documents: tuple[DocumentResult, ...]
    findings: tuple[Finding, ...]
    clauses: tuple[ClauseResult, ...]
    fragments: tuple[str, ...] = ()
    evaluation: str = ""
    judged_against: str = ""  # "judged against a DRAFT of …" when a standard used is a draft or withdrawn

    @property
    def conformant(self) -> bool:
        """No unwaived MUST/MUST NOT failure and no active error finding."""
        return not any(f.active and f.severity is Severity.ERROR for f in self.findings)

    @property
    def verdict(self) -> str:
        return "conformant" if self.conformant else "nonconformant"

    def counts(self) -> dict[str, int]:
        return count_findings(self.findings)


@dataclass(frozen=True, slots=True)
class StandardInfo:
    """A standard version used in a run, with its content hash for provenance."""

    ref: StandardRef
    title: str
    status: str
    sha256: str
    status_date: str = ""
    approval: str = ""  # "body, date, reference" when a body approved it; "" when none did
    provenance: str = "built-in"  # built-in | standards folder | bundle: signed … / unsigned / untrusted

    def status_text(self) -> str:
        """``draft since 2026-06-01; approved by no body`` — what a reader must know."""
        since = f" since {self.status_date}" if self.status_date else ""
        who = f"; approval: {self.approval}" if self.approval else "; approved by no body"
        origin = "" if self.provenance in ("built-in", "standards folder") else f"; {self.provenance}"
        return f"{self.status}{since}{who}{origin}"


@dataclass(frozen=True, slots=True)
class InputFile:
    """An input file and its SHA-256 (path relative to its submission root)."""

    submission: str
    path: str
    sha256: str


@dataclass(frozen=True, slots=True)
class VersionDelta:
    """One submission judged against several versions of a standard, and what changes."""

    submission: str
    standard: str
    verdicts: tuple[tuple[str, str], ...]
    summary: str
    new_failures: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class WaiverUse:
    """A city waiver of the run and how many findings it matched (0: it matched nothing)."""

    id: str
    issuer: str
    source: str
    approved_by: str
    expires: str
    matched: int
    expired: bool


@dataclass(frozen=True, slots=True)
class Report:
    """The canonical result of a run; every output format is rendered from it."""

    tool_version: str
    submissions: tuple[SubmissionResult, ...]
    standards: tuple[StandardInfo, ...]
    inputs: tuple[InputFile, ...]
    options: dict[str, object] = field(default_factory=dict)
    today: str | None = None
    profile: dict[str, object] | None = None
    waivers: tuple[WaiverUse, ...] = ()
    deltas: tuple[VersionDelta, ...] = ()

    @property
    def conformant(self) -> bool:
        return all(s.conformant for s in self.submissions)

    def checked_phrase(self) -> str:
        """``3 submissions checked``; with several versions of a standard, how many evaluations.

        A run over two versions holds each submission once per version; counting those as
        submissions would double the bids a committee sees.
        """
        bids = len({s.name for s in self.submissions})
        noun = "submission" if bids == 1 else "submissions"
        if bids != len(self.submissions) and bids:
            return f"{bids} {noun} checked in {len(self.submissions)} evaluations"
        return f"{bids} {noun} checked"

    def judged_against(self, sub: SubmissionResult | None = None) -> str:
        """``judged against a DRAFT of …`` when a standard ``sub`` (or, without it, any
        submission) was judged by is a draft or withdrawn; empty otherwise. Every verdict
        sentence carries it."""
        from ocp_check.governance import judged_against

        status = {s.ref: s.status for s in self.standards}
        if sub is None:
            return judged_against((str(s.ref), s.status) for s in self.standards)
        used = {c.standard for c in sub.clauses} | {d.standard for d in sub.documents if d.standard}
        return judged_against((str(ref), status.get(ref, "")) for ref in used)

    def all_findings(self) -> Iterable[Finding]:
        for sub in self.submissions:
            yield from sub.findings

    def counts(self) -> dict[str, int]:
        return count_findings(self.all_findings())


def count_findings(findings: Iterable[Finding]) -> dict[str, int]:
    """Counts by severity for active findings, plus waived, not-in-force and disabled totals."""
    counts = {"error": 0, "warning": 0, "info": 0, "waived": 0, "not-in-force": 0, "disabled": 0}
    for f in findings:
        if f.state is FindingState.ACTIVE:
            counts[f.severity.value] += 1
        else:
            counts[f.state.value] += 1
    return counts


def exit_code_for(report: Report, fail_on: str) -> int:
    """0 when no active finding is at or above ``fail_on``; 1 otherwise.

    ``fail_on`` is ``error``, ``warning``, ``info`` or ``never``. Monotonic by construction:
    a lower threshold can only turn 0 into 1.
    """
    if fail_on == "never":
        return 0
    threshold = Severity(fail_on).rank
    for f in report.all_findings():
        if f.active and f.severity.rank >= threshold:
            return 1
    return 0
