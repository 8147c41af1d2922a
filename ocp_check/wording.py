"""The words reports use for the model's tokens, in the run's language.

Machine formats (JSON, SARIF and OSCAL properties, JUnit types) keep the tokens (``pass``,
``fail``, ``MUST``, ``error``); what a person reads goes through here, so that every renderer
says a status the same way in each language. The tokens are never upper-cased or capitalised
in code: a word that needs another form is a message of its own.
"""

from __future__ import annotations

from ocp_check.i18n import ngettext, pgettext
from ocp_check.model import FindingState, Level, Severity, Status


def status_word(status: Status) -> str:
    """A clause status as a short word: ``pass`` / ``satisfait``."""
    words = {
        Status.PASS: pgettext("clause status", "pass"),
        Status.FAIL: pgettext("clause status", "fail"),
        Status.WAIVED: pgettext("clause status", "waived"),
        Status.NOT_APPLICABLE: pgettext("clause status", "not-applicable"),
        Status.ATTESTED: pgettext("clause status", "attested"),
        Status.NOT_IN_FORCE: pgettext("clause status", "not-in-force"),
        Status.DISABLED: pgettext("clause status", "disabled"),
        Status.NOT_CHECKED: pgettext("clause status", "not-checked"),
    }
    return words[status]


def status_count(status: Status, n: int) -> str:
    """``3 pass``, ``1 not-applicable``: a count of clauses in a status (French agrees:
    « 3 satisfaits »)."""
    phrases = {
        Status.PASS: lambda: ngettext("{count} pass", "{count} pass", n),
        Status.FAIL: lambda: ngettext("{count} fail", "{count} fail", n),
        Status.WAIVED: lambda: ngettext("{count} waived", "{count} waived", n),
        Status.NOT_APPLICABLE: lambda: ngettext("{count} not-applicable", "{count} not-applicable", n),
        Status.ATTESTED: lambda: ngettext("{count} attested", "{count} attested", n),
        Status.NOT_IN_FORCE: lambda: ngettext("{count} not-in-force", "{count} not-in-force", n),
        Status.DISABLED: lambda: ngettext("{count} disabled", "{count} disabled", n),
        Status.NOT_CHECKED: lambda: ngettext("{count} not-checked", "{count} not-checked", n),
    }
    return phrases[status]()


def severity_word(severity: Severity) -> str:
    words = {
        Severity.ERROR: pgettext("severity", "error"),
        Severity.WARNING: pgettext("severity", "warning"),
        Severity.INFO: pgettext("severity", "info"),
    }
    return words[severity]


def state_word(state: FindingState) -> str:
    words = {
        FindingState.ACTIVE: pgettext("finding state", "active"),
        FindingState.WAIVED: pgettext("finding state", "waived"),
        FindingState.NOT_IN_FORCE: pgettext("finding state", "not-in-force"),
        FindingState.DISABLED: pgettext("finding state", "disabled"),
    }
    return words[state]


def level_word(level: Level) -> str:
    """An RFC 2119 keyword: ``MUST`` / ``DOIT``."""
    words = {
        Level.MUST: pgettext("level", "MUST"),
        Level.MUST_NOT: pgettext("level", "MUST NOT"),
        Level.SHOULD: pgettext("level", "SHOULD"),
        Level.SHOULD_NOT: pgettext("level", "SHOULD NOT"),
        Level.MAY: pgettext("level", "MAY"),
    }
    return words[level]


def kind_word(kind: str) -> str:
    """A document kind as people call it; the token stays in code spans and machine fields."""
    words = {
        "data-manifest": pgettext("document kind", "data-manifest"),
        "retention-policy": pgettext("document kind", "retention-policy"),
        "openapi": pgettext("document kind", "openapi"),
        "compliance-report": pgettext("document kind", "compliance-report"),
        "unrecognised": pgettext("document kind", "unrecognised"),
    }
    return words.get(kind, kind)


def issuer_word(issuer: str) -> str:
    """Who issued a waiver: ``city`` / ``ville`` (an unknown value is shown as written)."""
    words = {"vendor": pgettext("waiver issuer", "vendor"), "city": pgettext("waiver issuer", "city")}
    return words.get(issuer, issuer)


def finding_label(kind: Severity | FindingState) -> str:
    """What a report calls a finding: its severity when it is active, else its state."""
    return severity_word(kind) if isinstance(kind, Severity) else state_word(kind)


def finding_label_count(kind: Severity | FindingState, n: int, shown: str) -> str:
    """``5 errors``, ``1 waived``: ``n`` findings of a severity or state, ``shown`` being ``n``
    as the report writes it (with or without a thousands separator)."""
    phrases = {
        Severity.ERROR: lambda: ngettext("{count} error", "{count} errors", n, count=shown),
        Severity.WARNING: lambda: ngettext("{count} warning", "{count} warnings", n, count=shown),
        Severity.INFO: lambda: ngettext("{count} info", "{count} info", n, count=shown),
        FindingState.WAIVED: lambda: ngettext("{count} waived", "{count} waived", n, count=shown),
        FindingState.NOT_IN_FORCE: lambda: ngettext(
            "{count} not-in-force", "{count} not-in-force", n, count=shown
        ),
        FindingState.DISABLED: lambda: ngettext("{count} disabled", "{count} disabled", n, count=shown),
    }
    return phrases[kind]()
