"""The report model: plain frozen values shared by every stage and renderer.

Nothing here does I/O. Renderers read these types and nothing else, which is what lets a
report be re-rendered, compared by ``verify`` and golden-tested without running a check.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from ocp_check.i18n import N_, _, current_language, ngettext, pgettext
from ocp_check.l10n import format_int, written_date

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    D = TypeVar("D", bound=DataclassInstance)


def _pickled_by_fields(cls: type[D]) -> type[D]:
    """Pickle instances as ``cls(*fields)``. A frozen dataclass with slots is otherwise pickled
    through the generic ``__getstate__``/``__setstate__`` of ``dataclasses``, which walk the
    field list in Python for every object: every submission's result (its clauses and
    findings) crosses the pipe from its worker, and that walk cost more than making them."""
    get = operator.attrgetter(*(f.name for f in dataclasses.fields(cls)))

    def __reduce__(self: Any) -> tuple[Any, tuple[Any, ...]]:
        values = get(self)
        return type(self), values if isinstance(values, tuple) else (values,)

    cls.__reduce__ = __reduce__  # type: ignore[method-assign]
    return cls


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
        return _LEVEL_SEVERITY[self]

    @property
    def rank(self) -> int:
        """Strength of the level: MAY < SHOULD(/NOT) < MUST(/NOT)."""
        return self.severity.rank


_LEVEL_SEVERITY = {
    Level.MUST: Severity.ERROR,
    Level.MUST_NOT: Severity.ERROR,
    Level.SHOULD: Severity.WARNING,
    Level.SHOULD_NOT: Severity.WARNING,
    Level.MAY: Severity.INFO,
}


class Status(str, Enum):
    """Clause statuses (docs/decisions.md, "Every clause gets a status"): one list, used by every renderer."""

    PASS = "pass"  # noqa: S105 - a clause status, not a secret
    FAIL = "fail"
    WAIVED = "waived"
    NOT_APPLICABLE = "not-applicable"
    ATTESTED = "attested"
    NOT_IN_FORCE = "not-in-force"
    DISABLED = "disabled"
    NOT_CHECKED = "not-checked"


class DocumentKind(str, Enum):
    """The document kinds a submission may hold: the three a bid is made of, and the yearly
    compliance report a vendor files once the system is in service (optional unless a city
    profile requires it, see ``standards.Standard.completeness_optional``)."""

    DATA_MANIFEST = "data-manifest"
    RETENTION_POLICY = "retention-policy"
    OPENAPI = "openapi"
    COMPLIANCE_REPORT = "compliance-report"

    @property
    def label(self) -> str:
        """What the kind is called in a sentence ("no API description in the submission")."""
        return _(_KIND_LABELS[self])

    @property
    def label_with_format(self) -> str:
        """The label naming the format where the name alone is not enough to act on."""
        return f"{self.label} (OpenAPI)" if self is DocumentKind.OPENAPI else self.label


#: The kinds a document names with a top-level ``kind:`` (an API description starts with
#: ``openapi:`` instead): what the folder sniff and the foreign-document check look for.
KEYED_KINDS = tuple(k for k in DocumentKind if k is not DocumentKind.OPENAPI)

#: The one place the kinds are named in prose.
_KIND_LABELS = {
    DocumentKind.DATA_MANIFEST: N_("data manifest"),
    DocumentKind.RETENTION_POLICY: N_("retention policy"),
    DocumentKind.OPENAPI: N_("API description"),
    DocumentKind.COMPLIANCE_REPORT: N_("compliance report"),
}


class FindingState(str, Enum):
    """Whether a finding counts towards the verdict and the exit code."""

    ACTIVE = "active"
    WAIVED = "waived"
    NOT_IN_FORCE = "not-in-force"
    DISABLED = "disabled"  # its clause was disabled by the city's profile


@_pickled_by_fields
@dataclass(frozen=True, slots=True, order=True)
class StandardRef:
    """A fully resolved standard version, e.g. ``ocp-data-governance@1.0.0``."""

    id: str
    version: str

    def __str__(self) -> str:
        return f"{self.id}@{self.version}"


@_pickled_by_fields
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


@_pickled_by_fields
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


@_pickled_by_fields
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


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class FindingCaps:
    """How many findings a report shows: per rule per document, and per document.

    One hostile list (a manifest whose 20,000 data categories are all ``0``) fails every rule
    once per item: 280,053 findings, a 330 MB report. Beyond the caps findings are *folded*:
    counted by rule, file and state, judged like every other (levels, waivers, clause
    statuses, verdict, exit code), but not listed one by one. The shown ones of a rule are its
    first ones in document order.
    """

    per_rule: int = 100
    per_document: int = 1000

    def describe(self) -> str:
        language = current_language()
        return _(
            "at most {per_rule} per rule and {per_document} per document",
            per_rule=format_int(self.per_rule, language),
            per_document=format_int(self.per_document, language),
        )


#: The largest cap accepted for either (``--max-findings-per-rule``, ``--max-findings-per-document``).
MAX_FINDINGS_CAP = 1_000_000


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class FoldedFindings:
    """Findings of one rule in one file, in one state, left out of the list by a cap: counted."""

    file: str
    rule: str
    clause: str | None
    standard: StandardRef | None
    level: Level
    severity: Severity
    state: FindingState
    count: int

    @property
    def active(self) -> bool:
        return self.state is FindingState.ACTIVE


@_pickled_by_fields
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


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class DocumentResult:
    """A file of a submission that is not a fragment: what it is, which standard version
    judged it and why (``kind`` is None, with ``unrecognised`` saying why, for anything else)."""

    path: str
    kind: DocumentKind | None
    standard: StandardRef | None
    standard_reason: str
    sha256: str
    declared: str | None = None
    # Not a document of any OCP kind: what the file is instead (a Fides manifest, a file that
    # cannot be loaded...). Every candidate file is a document, a fragment or one of these.
    unrecognised: str = ""


@_pickled_by_fields
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
    folded: tuple[FoldedFindings, ...] = ()

    @property
    def conformant(self) -> bool:
        """No unwaived MUST/MUST NOT failure and no active error finding, shown or folded."""
        return not any(f.active and f.severity is Severity.ERROR for f in self.findings) and not any(
            g.active and g.severity is Severity.ERROR for g in self.folded
        )

    @property
    def verdict(self) -> str:
        return "conformant" if self.conformant else "nonconformant"

    def counts(self) -> dict[str, int]:
        return count_findings(self.findings, self.folded)

    def folded_count(self) -> int:
        return sum(g.count for g in self.folded)


@_pickled_by_fields
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

    def status_text(self, prose: bool = False) -> str:
        """``draft since 2026-06-01; approved by no body`` — what a reader must know. ``prose``
        for a report's header, a sentence a person reads: there a French report writes the date
        out (« depuis le 1er juin 2026 ») like the rest of its French; a machine field (a JUnit or
        SARIF property) keeps the record's ISO date, and English is the same either way."""
        status = standard_status_word(self.status)
        day = written_date(self.status_date, current_language()) if prose else self.status_date
        since = _(" since {date}", date=day) if self.status_date else ""
        who = _("; approval: {approval}", approval=self.approval) if self.approval else _("; approved by no body")
        origin = "" if self.provenance in ("built-in", "standards folder") else f"; {self.provenance}"
        return f"{status}{since}{who}{origin}"


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class InputFile:
    """An input file and its SHA-256 (path relative to its submission root)."""

    submission: str
    path: str
    sha256: str


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class VersionDelta:
    """One submission judged against several versions of a standard, and what changes."""

    submission: str
    standard: str
    verdicts: tuple[tuple[str, str], ...]
    summary: str
    new_failures: tuple[tuple[str, str, str], ...] = ()


@_pickled_by_fields
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


def copied(cls: type[D], source: object, **given: Any) -> D:
    """An instance of the dataclass ``cls`` with each field read from the attribute of the same
    name of ``source``, except those ``given``: a record that shows another one (a waiver as the
    report lists it, a clause as the Python API gives it) is made in one line, and a field added
    to both cannot be forgotten in one place."""
    values = {f.name: getattr(source, f.name) for f in dataclasses.fields(cls) if f.name not in given}
    return cls(**values, **given)


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class ShardInfo:
    """A report of one part of a sharded run (``--shard``): which part, the digest of the plan
    every part shares, and each submission's place in the whole run (``merge`` orders by it)."""

    index: int
    count: int
    plan: str
    positions: tuple[int, ...]


class KeptText(Protocol):
    """A submission's JSON report text kept elsewhere (``cache.StoredText``)."""

    def read(self) -> str | None:
        """The text, or None when it can no longer be had (the renderer then encodes)."""


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
    # Standards not judged because --standard named others, each with the reason.
    left_out: tuple[str, ...] = ()
    caps: FindingCaps = field(default_factory=FindingCaps)
    shard: ShardInfo | None = None
    #: The JSON report's text of submissions whose result came from the result cache, which
    #: keeps it beside the result (``cache.py``), by the identity of the submission object:
    #: the JSON renderer writes it instead of encoding the submission again. Only an object
    #: present here is covered, so a submission replaced after judging (any change makes a
    #: new object) is encoded afresh. Not part of what the report is.
    json_texts: Mapping[int, tuple[SubmissionResult, KeptText]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def conformant(self) -> bool:
        return all(s.conformant for s in self.submissions)

    def tally(self) -> str:
        """``3 submissions checked, 1 conformant, 2 nonconformant``.

        A run over several versions of a standard holds each submission once per version:
        bids and evaluations are counted in sentences of their own, so a committee never reads
        six verdicts as six bids (``3 submissions checked in 6 evaluations, one per version of
        ocp-data-governance. Evaluations: 2 conformant, 4 nonconformant``).
        """
        bids = len({s.name for s in self.submissions})
        good = sum(1 for s in self.submissions if s.conformant)
        bad = len(self.submissions) - good
        good_phrase = ngettext("{count} conformant", "{count} conformant", good)
        bad_phrase = ngettext("{count} nonconformant", "{count} nonconformant", bad)
        if bids != len(self.submissions) and bids:
            standards = sorted({d.standard for d in self.deltas})
            per = _(", one per version of {standards}", standards=", ".join(standards)) if standards else ""
            return ngettext(
                "{count} submission checked in {evaluations} evaluations{per}. Evaluations: {good}, {bad}",
                "{count} submissions checked in {evaluations} evaluations{per}. Evaluations: {good}, {bad}",
                bids,
                evaluations=len(self.submissions),
                per=per,
                good=good_phrase,
                bad=bad_phrase,
            )
        return ngettext(
            "{count} submission checked, {good}, {bad}",
            "{count} submissions checked, {good}, {bad}",
            bids,
            good=good_phrase,
            bad=bad_phrase,
        )

    def accounting(self) -> dict[str, int]:
        """Every file read, and where it ended: a document of a submission, a fragment reached
        by ``$ref``, or an unrecognised file (each file once, however many submissions or
        evaluations name it), so that nothing can vanish from a report unseen."""
        documents: set[tuple[str, str]] = set()
        unrecognised: set[tuple[str, str]] = set()
        fragments: set[tuple[str, str]] = set()
        for sub in self.submissions:
            for d in sub.documents:
                (documents if d.kind is not None else unrecognised).add((sub.root, d.path))
            fragments.update((sub.root, f) for f in sub.fragments)
        fragments -= documents | unrecognised
        return {
            "files": len(documents | unrecognised | fragments),
            "documents": len(documents),
            "fragments": len(fragments),
            "unrecognised": len(unrecognised),
        }

    def accounting_phrase(self) -> str:
        """``14 files read: 9 documents, 3 fragments, 2 unrecognised``."""
        a = self.accounting()
        return ngettext(
            "{count} file read: {documents}, {fragments}, {unrecognised}",
            "{count} files read: {documents}, {fragments}, {unrecognised}",
            a["files"],
            documents=ngettext("{count} document", "{count} documents", a["documents"]),
            fragments=ngettext("{count} fragment", "{count} fragments", a["fragments"]),
            unrecognised=ngettext("{count} unrecognised", "{count} unrecognised", a["unrecognised"]),
        )

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
        return count_findings(self.all_findings(), (g for s in self.submissions for g in s.folded))

    def folded_count(self) -> int:
        return sum(s.folded_count() for s in self.submissions)


def count_findings(findings: Iterable[Finding], folded: Iterable[FoldedFindings] = ()) -> dict[str, int]:
    """Counts by severity for active findings, plus waived, not-in-force and disabled totals;
    folded findings count like the ones shown."""
    counts = {"error": 0, "warning": 0, "info": 0, "waived": 0, "not-in-force": 0, "disabled": 0}
    for f in findings:
        if f.state is FindingState.ACTIVE:
            counts[f.severity.value] += 1
        else:
            counts[f.state.value] += 1
    for g in folded:
        counts[g.severity.value if g.state is FindingState.ACTIVE else g.state.value] += g.count
    return counts


def verdict_headline(report: Report, fail_on: str = "error") -> str:
    """The verdict as the exit code has it, with what decided it.

    ``conformant`` and ``nonconformant: 3 errors`` under the default threshold; ``nonconformant
    under --fail-on warning: 4 warnings`` when a lower threshold fails a run whose submissions
    are conformant; ``exit 0 under --fail-on never, though nonconformant: 3 errors`` when no
    threshold applies. Every renderer that states a run's verdict, and the command line's
    summary, use this sentence, so the verdict never disagrees with the exit code.
    """
    counts = report.counts()

    def phrase(severity: Severity, n: int) -> str:
        if severity is Severity.ERROR:
            return ngettext("{count} error", "{count} errors", n)
        if severity is Severity.WARNING:
            return ngettext("{count} warning", "{count} warnings", n)
        return ngettext("{count} info", "{count} info", n)

    def decided(threshold: int) -> str:
        parts = [
            phrase(s, counts[s.value])
            for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
            if s.rank >= threshold and counts[s.value]
        ]
        return ", ".join(parts)

    errors = decided(Severity.ERROR.rank)
    if fail_on == "never":
        if report.conformant:
            return pgettext("verdict", "conformant")
        return _("exit 0 under --fail-on never, though nonconformant: {counts}", counts=errors)
    if exit_code_for(report, fail_on) == 0:
        return pgettext("verdict", "conformant")
    if not report.conformant:
        if fail_on == "error":
            return _("nonconformant: {counts}", counts=errors)
        return _(
            "nonconformant: {counts} at or above --fail-on {fail_on}",
            counts=decided(Severity(fail_on).rank),
            fail_on=fail_on,
        )
    return _(
        "nonconformant under --fail-on {fail_on}: {counts}", fail_on=fail_on, counts=decided(Severity(fail_on).rank)
    )


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
    for sub in report.submissions:
        if any(g.active and g.severity.rank >= threshold for g in sub.folded):
            return 1
    return 0


def standard_status_word(status: str) -> str:
    """A standard version's status (draft, candidate, approved, deprecated, withdrawn) in
    the run's language; an unknown token as written."""
    words = {
        "draft": pgettext("standard status", "draft"),
        "candidate": pgettext("standard status", "candidate"),
        "approved": pgettext("standard status", "approved"),
        "deprecated": pgettext("standard status", "deprecated"),
        "withdrawn": pgettext("standard status", "withdrawn"),
    }
    return words.get(status, status)
