"""The findings the engine makes itself, one factory each.

Rule findings say what a rule pack says; these say what the engine found on its way (a file
that does not load, a broken ``$ref``, a missing document…). Each is made here, once, with
its message and its fix, so every stage asks for "a broken reference at …" instead of
spelling out a finding. Findings are made without a position: the context locates the ones
it shows (``Submission.found``).
"""

from __future__ import annotations

from ocp_check.catalog import Catalog
from ocp_check.foreign import Foreign
from ocp_check.i18n import N_, _
from ocp_check.loader import LoadError
from ocp_check.model import DocumentKind, Finding, Level, Location, StandardRef
from ocp_check.rules import Hit, RuleOutcome
from ocp_check.sanitize import truncate
from ocp_check.standards import Clause, Standard

#: The longest message a finding carries: far above any real one; a vendor's megabyte-long
#: key quoted in a message is cut, so a shown finding stays small (docs/SECURITY.md).
MAX_MESSAGE = 2000
SCAN_FIX = N_("Send the file itself inside the bid folder.")
WAIVERS_FIX = N_(
    "Fix the waivers file (see docs/profiles.md): a waiver needs id, rule or clause, reason, "
    "approved_by and expires."
)

#: How to fix a file that does not load, by ``LoadError.code``.
LOAD_FIXES = {
    "duplicate-key": N_("Keep one entry per key; YAML and JSON tools silently keep only the last one."),
    "alias-bomb": N_("Write the data out without deeply nested YAML aliases."),
    "alias-cycle": N_("Remove the alias that refers to the node containing it."),
    "depth": N_("Flatten the document; nesting this deep is not needed for any OCP document."),
    "encoding": N_("Save the file as UTF-8."),
    "merge-key": N_("Expand the merged mapping: write its keys out where '<<' is used."),
    "nan": N_("Use a number or a string instead of NaN or Infinity."),
    "tag": N_("Remove the YAML tag; OCP documents use plain YAML values only."),
    "multi-document": N_("Put each document in its own file."),
    "empty": N_("Fill it in from a template ('ocp-check init data-manifest|retention-policy|openapi DIR'), "
    "or remove the empty file."),
    "merge-conflict": N_("Resolve the conflict: keep the right side of each block between '<<<<<<<' and "
    "'>>>>>>>', delete the marker lines, and commit the result."),
    "size": N_("Split the document, or raise the limit with --max-file-size if it is legitimate."),
    "syntax": N_("Fix the YAML/JSON syntax at the position shown."),
    "key-type": N_("Use plain text keys."),
    "unreadable": N_("Check that the file exists and can be read."),
    "not-regular": N_("Replace the special file by a regular file."),
    "budget": N_("Simplify or split the file, or raise --time-budget / --memory-budget if it is legitimate."),
}
LOAD_FIX = N_("Fix the file so it loads as YAML or JSON.")


def engine_finding(
    rule: str,
    level: Level,
    message: str,
    fix: str,
    file: str,
    pointer: str = "",
    *,
    clause: str | None = None,
    standard: StandardRef | None = None,
    line: int | None = None,
    column: int | None = None,
    detail: tuple[str, ...] = (),
) -> Finding:
    """The one constructor behind every factory here (and every rule finding)."""
    return Finding(
        rule=rule,
        clause=clause,
        standard=standard,
        level=level,
        severity=level.severity,
        message=truncate(message, MAX_MESSAGE),  # a megabyte key in a message stays in the file
        fix=fix,
        location=Location(file, pointer, line, column),
        detail=detail,
    )


def scan_note(file: str, message: str) -> Finding:
    """Something the scan set aside in a bid folder (a link leaving the root…)."""
    return engine_finding("scan", Level.SHOULD, message, _(SCAN_FIX), file)


def not_loaded(file: str, error: LoadError) -> Finding:
    """A file that cannot be read as a JSON-model document; an empty file has no place but its start."""
    at_start = error.line is None and error.code == "empty"
    return engine_finding(
        "load",
        Level.MUST,
        _("cannot be checked: {reason}", reason=error.message),
        _(LOAD_FIXES.get(error.code, LOAD_FIX)),
        file,
        line=1 if at_start else error.line,
        column=1 if at_start else error.column,
    )


def foreign(file: str, what: Foreign, level: Level) -> Finding:
    """A file that is not an OCP document, named where that shows."""
    return engine_finding(
        "foreign" if what.specific else "detect",
        level,
        what.message,
        what.fix,
        file,
        what.pointer,
        line=what.line,
        column=1 if what.line is not None else None,
    )


def unknown_version(file: str, pointer: str, declared: str, why: str, fallback: Standard | None) -> Finding:
    """A declared standard version that is unknown or governs another kind."""
    if fallback:
        example = f"'{fallback.ref.id}@{'.'.join(fallback.ref.version.split('.')[:2])}'"
        message = _(
            "the document declares '{declared}', which {why}; checked against {standard} instead",
            declared=declared,
            why=why,
            standard=fallback.ref,
        )
        fix = _("Declare a published standard version, e.g. {example}.", example=example)
    else:
        message = _("the document declares '{declared}', which {why}", declared=declared, why=why)
        fix = _("Declare a published standard version, e.g. one from 'ocp-check standards list'.")
    return engine_finding(
        "version",
        Level.MUST,
        message,
        fix,
        file,
        pointer,
        clause=fallback.schema_clause if fallback else None,
        standard=fallback.ref if fallback else None,
    )


def undeclared_draft_only(file: str, pointer: str, kind: DocumentKind, catalog: Catalog) -> Finding:
    """A document that declares no version, of a kind whose standard has only drafts (the
    compliance report): a draft judges only what names it, so the document is not checked."""
    example = next((str(e.ref) for e in reversed(catalog.entries()) if e.kind == kind.value), "ID@VERSION")
    return engine_finding(
        "version",
        Level.MUST,
        _(
            "the {kind} declares no standard version, and no version of its standard is released for "
            "use by default, so it is not checked",
            kind=kind.label_with_format,
        ),
        _("Declare the version it follows, e.g. 'standard: {example}'.", example=example),
        file,
        pointer,
    )


def retired_version(file: str, pointer: str, standard: Standard) -> Finding:
    """A declared version that is deprecated (a warning) or withdrawn (an error)."""
    successor = standard.superseded_by
    return engine_finding(
        "version",
        Level.MUST if standard.status == "withdrawn" else Level.SHOULD,
        _(
            "the document declares {standard}, which is {status}; its successor is {successor}",
            standard=standard.ref,
            status=standard.status,
            successor=successor,
        )
        if successor
        else _("the document declares {standard}, which is {status}", standard=standard.ref, status=standard.status),
        _("Move the document to {successor}.", successor=successor) if successor else _("Move to a current version."),
        file,
        pointer,
        clause=standard.schema_clause,
        standard=standard.ref,
    )


def placeholder(file: str, pointer: str, text: str, standard: Standard) -> Finding:
    """A template value still ``TODO``."""
    return engine_finding(
        "incomplete",
        Level.MUST,
        _("still to fill in: {text}", text=text),
        _("Replace the TODO placeholder with the real value (see the comment above it)."),
        file,
        pointer,
        clause=standard.schema_clause,
        standard=standard.ref,
    )


def broken_reference(file: str, pointer: str, message: str, standard: Standard | None) -> Finding:
    """A ``$ref`` that cannot be followed (remote, outside the root, missing target…)."""
    return engine_finding(
        "ref",
        Level.MUST,
        message,
        _("Point $ref at a file inside the bid folder, with a JSON Pointer fragment."),
        file,
        f"{pointer}/$ref",
        clause=standard.schema_clause if standard else None,
        standard=standard.ref if standard else None,
    )


def circular_reference(file: str, pointer: str, target: str, standard: Standard | None) -> Finding:
    """A ``$ref`` chain that leads back to itself without any content."""
    return engine_finding(
        "ref",
        Level.MUST,
        _("circular $ref chain: {target} leads back to itself without any content", target=target[:120]),
        _("Make one of the schemas in the chain a real schema instead of another $ref."),
        file,
        f"{pointer}/$ref",
        clause=standard.schema_clause if standard else None,
        standard=standard.ref if standard else None,
    )


def missing_document(hub: Standard, clause: str, kind: DocumentKind) -> Finding:
    """A document kind the submission must hold and does not."""
    return engine_finding(
        "submission",
        hub.clause_index[clause].level,
        _("the submission has no {kind}", kind=kind.label_with_format),
        _("Add the {kind} to the bid folder (see 'ocp-check init').", kind=kind.label_with_format),
        "",
        clause=clause,
        standard=hub.ref,
    )


def second_document(hub: Standard, clause: str, kind: DocumentKind, file: str, first: str) -> Finding:
    """A second manifest or retention policy: the bid is ambiguous."""
    return engine_finding(
        "submission",
        hub.clause_index[clause].level,
        _("a second {kind} in the same submission (the first is {first})", kind=kind.label_with_format, first=first),
        _("Keep one document of each kind per bid folder; put other bids in their own folders."),
        file,
        clause=clause,
        standard=hub.ref,
    )


def unsupported_format(file: str, pointer: str, problem: str, standard: Standard) -> Finding:
    """A description in a format version the standard covers no schema for (Swagger 2.0…)."""
    return engine_finding(
        "schema",
        Level.MUST,
        problem,
        _(
            "Describe the API in an OpenAPI version the standard covers ({versions}): convert it (converters "
            "from Swagger 2.0 exist in common OpenAPI tools) or start from the commented template of "
            "'ocp-check init openapi DIR'; or declare a version of the standard that covers the one you use.",
            versions=", ".join(f"{k}.x" for k in standard.schema_keys() if k),
        ),
        file,
        pointer,
        clause=standard.schema_clause,
        standard=standard.ref,
    )


def schema_problem(
    file: str, pointer: str, message: str, fix: str, detail: tuple[str, ...], standard: Standard
) -> Finding:
    """A structural problem the standard's JSON Schema reports."""
    return engine_finding(
        "schema",
        Level.MUST,
        message,
        fix,
        file,
        pointer,
        clause=standard.schema_clause,
        standard=standard.ref,
        detail=detail,
    )


def over_budget(reason: str) -> Finding:
    """The cross-document checks overran the time budget of the submission."""
    return engine_finding(
        "budget",
        Level.MUST,
        _("the cross-document checks {reason}; not checked", reason=reason),
        _("Simplify the documents (fewer or smaller files), or raise --time-budget if this is legitimate."),
        "",
    )


def rule_hit(outcome: RuleOutcome, hit: Hit) -> Finding:
    """What a rule found, at the place it found it."""
    rule = outcome.rule
    return engine_finding(
        rule.id, rule.level, hit.message, rule.fix_text(), hit.file, hit.pointer, clause=rule.clause, standard=rule.standard
    )


def waivers_problem(
    file: str,
    message: str,
    *,
    pointer: str = "",
    line: int | None = None,
    column: int | None = None,
) -> Finding:
    """A vendor waivers file, or one of its waivers, that cannot be used."""
    return engine_finding("waivers", Level.MUST, message, _(WAIVERS_FIX), file, pointer, line=line, column=column)


def unused_waiver(waiver_id: str, file: str, pointer: str) -> Finding:
    """A vendor waiver that matches no finding."""
    return engine_finding(
        "waivers",
        Level.SHOULD,
        _("waiver {id} matches no finding", id=waiver_id),
        _("Remove the waiver, or correct its rule, clause or scope."),
        file,
        pointer,
    )


def attestation(standard: Standard, clause: Clause, message: str, file: str, pointer: str) -> Finding:
    """An attestation clause the vendor did not answer "yes"."""
    return engine_finding(
        "attestation",
        clause.level,
        message,
        _(
            "Answer attestations.{clause} with answer: yes, a statement and evidence_url, once the requirement is met.",
            clause=clause.id,
        ),
        file,
        pointer,
        clause=clause.id,
        standard=standard.ref,
    )


def unjudged() -> Finding:
    """No clause of any standard could be judged: never conformant."""
    return engine_finding(
        "unjudged",
        Level.MUST,
        _("no clause of any standard could be judged: the submission holds no document the standards in play cover"),
        _(
            "Add the documents the standards judge (a data manifest, a retention policy and an OpenAPI description; "
            "'ocp-check init submission DIR' writes templates), or name the standard that covers the documents "
            "with --standard."
        ),
        "",
    )
