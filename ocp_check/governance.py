"""Governance of a standard version: who stands behind its text, at what stage, since when.

A standard is only usable as a procurement requirement when anyone can see who approved which
version, after what public consultation, and that the text relied on is that text
(``docs/standards-governance.md``). This module reads the ``governance`` block of
``standard.yaml`` into values, decides which version a bare standard id means, checks the
lock file of published versions, and phrases a version's status for reports.

Pure: values in, values out; reading files goes through the project's bounded loader.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ocp_check.i18n import _, current_language, ngettext, pgettext

# The lifecycle, in order: draft, candidate, approved, deprecated, withdrawn. W3C's Process
# has Working Draft → Candidate Recommendation → Recommendation, then
# Superseded/Obsolete/Rescinded; the lifecycle keeps the same shape with the words a
# procurement officer reads (standards/_meta/standard.schema.json lists them).

# Statuses whose text was made public as a fixed version: comments (candidate) and contracts
# (approved, and what an approved version later becomes) refer to exactly that text, so its
# content is locked (``standards/published.lock.json``). A draft may still change; every
# change is recorded in its revision history and changes the content hash reports record.
PUBLISHED_STATUSES = frozenset({"candidate", "approved", "deprecated", "withdrawn"})

LOCK_FILE = "published.lock.json"


@dataclass(frozen=True, slots=True)
class Decision:
    """A body's recorded decision: who, when, under what reference, where to read it."""

    body: str
    decision: str
    date: str
    reference: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class CommentPeriod:
    """A public comment period: its dates, where comments were taken, and where the
    disposition of every comment is published."""

    opened: str
    closed: str
    url: str | None = None
    disposition_url: str | None = None


@dataclass(frozen=True, slots=True)
class Maintainer:
    name: str
    role: str
    contact: str | None = None


@dataclass(frozen=True, slots=True)
class Language:
    """A language the text exists in. Exactly one is authoritative; the others are
    translations of it, approved by a body (``approval``) or not (then informative only)."""

    tag: str
    authoritative: bool
    translation_of: str | None = None
    approval: Decision | None = None
    files: tuple[str, ...] = ()

    def describe(self) -> str:
        """``fr-CA (translation of en-CA, not approved: informative only)``, in the run's language."""
        if self.authoritative:
            return _("{tag} (authoritative)", tag=self.tag)
        if self.approval is not None:
            return _(
                "{tag} (translation of {source}, approved by {body})",
                tag=self.tag,
                source=self.translation_of,
                body=self.approval.body,
            )
        return _(
            "{tag} (translation of {source}, not approved: informative only)",
            tag=self.tag,
            source=self.translation_of,
        )


@dataclass(frozen=True, slots=True)
class Notice:
    """An attribution or licence notice that a source of the text requires."""

    source: str
    notice: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Revision:
    """One entry of the revision history (newest last)."""

    date: str
    status: str
    summary: str
    changes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class VersioningNote:
    """A published number that contradicts the versioning rules, declared rather than hidden:
    the number the changes called for, and why the published one stays."""

    should_have_been: str
    explanation: str


@dataclass(frozen=True)
class Governance:
    status: str
    status_date: str
    trial_use: bool
    approval: Decision | None
    public_comment: CommentPeriod | None
    maintainers: tuple[Maintainer, ...]
    contact: str
    languages: tuple[Language, ...]
    licence: str
    notices: tuple[Notice, ...]
    next_review: str | None
    revisions: tuple[Revision, ...]
    superseded_by: str | None = None
    versioning_note: VersioningNote | None = None
    withdrawal: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def published(self) -> bool:
        return self.status in PUBLISHED_STATUSES

    def status_phrase(self) -> str:
        """``draft for trial use since 2026-06-01`` / ``approved 2027-03-01 by …``, in the run's
        language (in French the dates are written out: « depuis le 1er juin 2026 »)."""
        since = _day(self.status_date)
        if self.status == "draft":
            if self.trial_use:
                return _("draft released for trial use since {date}; approved by no body", date=since)
            return _("draft since {date}; approved by no body", date=since)
        if self.status == "candidate":
            return _("candidate since {date}, open to public comment; not yet approved", date=since)
        status = _status_word(self.status)
        if self.approval is not None:
            return _(
                "{status} since {date}; approved {approved} by {body}",
                status=status,
                date=since,
                approved=_day(self.approval.date),
                body=self.approval.body,
            )
        return _("{status} since {date}", status=status, date=since)


def _day(text: str) -> str:
    """A record's date as the record writes it (ISO) in English, written out in French."""
    if current_language() != "fr":
        return text
    import datetime as dt

    from ocp_check.l10n import format_date_long

    try:
        return format_date_long(dt.date.fromisoformat(text), "fr")
    except ValueError:
        return text


def _status_word(status: str) -> str:
    from ocp_check.model import standard_status_word

    return standard_status_word(status)


def _decision(raw: Any) -> Decision | None:
    if not isinstance(raw, dict):
        return None
    return Decision(
        body=str(raw["body"]),
        decision=str(raw["decision"]),
        date=str(raw["date"]),
        reference=raw.get("reference"),
        url=raw.get("url"),
    )


def parse_governance(raw: Mapping[str, Any]) -> Governance:
    """The governance block of a ``standard.yaml`` already checked against its meta-schema."""
    comment = raw.get("public_comment")
    return Governance(
        status=str(raw["status"]),
        status_date=str(raw["status_date"]),
        trial_use=bool(raw.get("trial_use", False)),
        approval=_decision(raw.get("approval")),
        public_comment=CommentPeriod(
            opened=str(comment["opened"]),
            closed=str(comment["closed"]),
            url=comment.get("url"),
            disposition_url=comment.get("disposition_url"),
        )
        if isinstance(comment, dict)
        else None,
        maintainers=tuple(
            Maintainer(name=str(m["name"]), role=str(m["role"]), contact=m.get("contact"))
            for m in raw.get("maintainers", [])
        ),
        contact=str(raw["contact"]),
        languages=tuple(
            Language(
                tag=str(lang["tag"]),
                authoritative=bool(lang.get("authoritative", False)),
                translation_of=lang.get("translation_of"),
                approval=_decision(lang.get("approval")),
                files=tuple(lang.get("files", [])),
            )
            for lang in raw.get("languages", [])
        ),
        licence=str(raw["licence"]["id"]),
        notices=tuple(
            Notice(source=str(n["source"]), notice=" ".join(str(n["notice"]).split()), url=n.get("url"))
            for n in raw["licence"].get("notices", [])
        ),
        next_review=raw.get("next_review"),
        revisions=tuple(
            Revision(
                date=str(r["date"]),
                status=str(r["status"]),
                summary=" ".join(str(r["summary"]).split()),
                changes=tuple(" ".join(str(c).split()) for c in r.get("changes", [])),
            )
            for r in raw.get("revisions", [])
        ),
        superseded_by=raw.get("superseded_by"),
        versioning_note=VersioningNote(
            should_have_been=str(raw["versioning_note"]["should_have_been"]),
            explanation=" ".join(str(raw["versioning_note"]["explanation"]).split()),
        )
        if isinstance(raw.get("versioning_note"), dict)
        else None,
        withdrawal=raw.get("withdrawal"),
    )


def semantic_problems(gov: Governance) -> list[str]:
    """What the meta-schema cannot say: dates in order, one authoritative language,
    translations of a language the text has."""
    problems: list[str] = []
    tags = [lang.tag for lang in gov.languages]
    if len(set(tags)) != len(tags):
        problems.append("a language is listed twice")
    if sum(1 for lang in gov.languages if lang.authoritative) != 1:
        problems.append("exactly one language must be authoritative")
    for lang in gov.languages:
        if not lang.authoritative and lang.translation_of not in tags:
            problems.append(f"language {lang.tag} is a translation of {lang.translation_of!r}, not listed")
    if gov.public_comment and gov.public_comment.closed < gov.public_comment.opened:
        problems.append("the public comment period closes before it opens")
    if gov.approval and gov.public_comment and gov.approval.date < gov.public_comment.closed:
        problems.append("the approval is dated before the public comment period closed")
    dates = [r.date for r in gov.revisions]
    if dates != sorted(dates):
        problems.append("the revision history is not in date order (oldest first)")
    if gov.revisions and gov.revisions[-1].status != gov.status:
        problems.append(
            f"the last revision records status {gov.revisions[-1].status!r}, the version says {gov.status!r}"
        )
    if gov.next_review and gov.next_review <= gov.status_date:
        problems.append("the next review is not after the status date")
    return problems


# --------------------------------------------------------------------------- default version

# Which version a bare id (``ocp-data-governance``, or no version declared) means: the newest
# approved one; without any, the newest candidate; without any, the newest draft its
# maintainers released for trial use. A plain draft, a deprecated or a withdrawn version is
# used only when named. Before statuses were governed this was "the newest stable version".
_DEFAULT_PREFERENCE = ("approved", "candidate", "trial-use draft")


def default_rank(status: str, trial_use: bool) -> int | None:
    """Preference of a version as the default (0 best), or None when it is never the default."""
    key = "trial-use draft" if status == "draft" and trial_use else status
    return _DEFAULT_PREFERENCE.index(key) if key in _DEFAULT_PREFERENCE else None


# --------------------------------------------------------------------------- verdict wording


def judged_against(statuses: Iterable[tuple[str, str]]) -> str:
    """``judged against a DRAFT of ocp-data-governance@1.1.0`` for the versions that a
    verdict must not hide: drafts (nobody approved them) and withdrawn versions. Empty when
    every version used is a candidate, approved or deprecated one."""
    statuses = list(statuses)  # read twice below: a generator would leave nothing the second time
    drafts = sorted({ref for ref, status in statuses if status == "draft"})
    withdrawn = sorted({ref for ref, status in statuses if status == "withdrawn"})
    parts = []
    if drafts:
        parts.append(ngettext("a DRAFT of {refs}", "DRAFTS of {refs}", len(drafts), refs=", ".join(drafts)))
    if withdrawn:
        parts.append(
            ngettext(
                "a WITHDRAWN version, {refs}",
                "WITHDRAWN versions, {refs}",
                len(withdrawn),
                refs=", ".join(withdrawn),
            )
        )
    if not parts:
        return ""
    what = parts[0] if len(parts) == 1 else _("{first} and {second}", first=parts[0], second=parts[1])
    return _("judged against {what}", what=what)


# --------------------------------------------------------------------------- the lock file


@dataclass(frozen=True, slots=True)
class LockEntry:
    status: str
    sha256: str


def read_lock(data: Any) -> dict[str, LockEntry]:
    """The lock file's entries, ``id@version`` → (status when locked, content SHA-256)."""
    versions = data.get("versions", {}) if isinstance(data, dict) else {}
    out = {}
    for ref, entry in versions.items():
        out[str(ref)] = LockEntry(status=str(entry["status"]), sha256=str(entry["sha256"]))
    return out


def render_lock(entries: Mapping[str, LockEntry]) -> str:
    """The lock file's text: sorted, one entry per version, newline at the end."""
    data = {
        "comment": (
            "Content SHA-256 of every published standard version (status candidate, approved, "
            "deprecated or withdrawn). A published version's content never changes: the self-check "
            "fails when it does. See docs/standards-governance.md."
        ),
        "versions": {ref: {"status": e.status, "sha256": e.sha256} for ref, e in sorted(entries.items())},
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


@dataclass(frozen=True, slots=True)
class VersionState:
    """What the lock check needs to know of one version folder."""

    ref: str
    status: str
    sha256: str


def lock_problems(versions: Sequence[VersionState], lock: Mapping[str, LockEntry]) -> list[str]:
    """Every way the versions on disk break the lock: a published version whose content
    changed, one missing from the lock, a locked version that disappeared or went back to draft."""
    problems = []
    present = {v.ref: v for v in versions}
    for v in versions:
        entry = lock.get(v.ref)
        if entry is None:
            if v.status in PUBLISHED_STATUSES:
                problems.append(
                    f"{v.ref} is {v.status} but not in {LOCK_FILE}: record its content hash "
                    f"(ocp-check standards lock) when it is published"
                )
            continue
        if v.status not in PUBLISHED_STATUSES:
            problems.append(
                f"{v.ref} is locked as {entry.status} but now says {v.status}: a published version never returns to draft"
            )
        if entry.sha256 != v.sha256:
            problems.append(
                f"{v.ref} was published with content sha256:{entry.sha256} and now has sha256:{v.sha256}: "
                "a published version is immutable; publish the change as a new version"
            )
    for ref in sorted(set(lock) - set(present)):
        problems.append(
            f"{ref} is in {LOCK_FILE} but its folder is gone: a published version is never removed"
        )
    return problems


# --------------------------------------------------------------------------- description


def facts(gov: Governance) -> list[tuple[str, str]]:
    """The governance record as (label, text) pairs, in reading order, for ``standards show``
    and the generated documentation. Absences are said, not hidden: a draft says that no body
    approved it and that no comment period was held."""
    out = [("status", gov.status_phrase())]
    if gov.approval is not None:
        a = gov.approval
        url = f" <{a.url}>" if a.url else ""
        decision = (
            _(
                "{body}, {date}, {reference}: {decision}",
                body=a.body,
                date=a.date,
                reference=a.reference,
                decision=a.decision,
            )
            if a.reference
            else _("{body}, {date}: {decision}", body=a.body, date=a.date, decision=a.decision)
        )
        out.append(("approval", decision + url))
    else:
        out.append(("approval", _("none: no body has approved this version")))
    if gov.public_comment is not None:
        c = gov.public_comment
        period = (
            _("{opened} to {closed} at {url}", opened=c.opened, closed=c.closed, url=c.url)
            if c.url
            else _("{opened} to {closed}", opened=c.opened, closed=c.closed)
        )
        text = (
            _("{period}; disposition of comments: {url}", period=period, url=c.disposition_url)
            if c.disposition_url
            else _("{period}; disposition not yet published", period=period)
        )
        out.append(("public comment", text))
    else:
        out.append(("public comment", pgettext("public comment", "none held")))
    out.append(
        (
            "maintainers",
            "; ".join(
                f"{m.name} ({m.role})" + (f" <{m.contact}>" if m.contact else "") for m in gov.maintainers
            ),
        )
    )
    out.append(("contact", gov.contact))
    out.append(("languages", ", ".join(lang.describe() for lang in gov.languages)))
    out.append(("licence", gov.licence))
    for n in gov.notices:
        out.append(("notice", _("{source}: {notice}", source=n.source, notice=n.notice)))
    out.append(("next review", gov.next_review or _("not scheduled (set when a body approves a version)")))
    if gov.superseded_by:
        out.append(("superseded by", gov.superseded_by))
    if gov.withdrawal:
        out.append(("withdrawn because", gov.withdrawal))
    if gov.versioning_note is not None:
        v = gov.versioning_note
        out.append(
            (
                "version number",
                _(
                    "should have been {version}: {explanation}",
                    version=v.should_have_been,
                    explanation=v.explanation,
                ),
            )
        )
    for r in gov.revisions:
        text = f"{r.date} [{r.status}] {r.summary}"
        if r.changes:
            text += " " + " ".join(f"({i}) {c}" for i, c in enumerate(r.changes, 1))
        out.append(("revision", text))
    return out
