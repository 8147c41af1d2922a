"""Governed waivers: accepted deviations with a reason, an approver, a scope and an expiry.

Applied as their own stage, after every finding is known and before clause statuses. A waived
finding stays in every report, marked ``waived`` with the waiver that covers it, and is
counted; an expired waiver leaves the finding active and says so; a waiver that matches
nothing is reported. The issuer is where a waiver came from, never a field (docs/decisions.md, "Waivers: the issuer is where the file came from"):
a file inside the bid is the vendor's, ``--waivers`` and the profile are the city's. In a city
evaluation vendor waivers are shown and not honoured, and a vendor file that claims to be the
city's is itself a finding.
"""

from __future__ import annotations

import dataclasses
import datetime
import fnmatch
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from referencing import Registry

from ocp_check import formats
from ocp_check.i18n import _
from ocp_check.jsondata import JSON, pointer_join
from ocp_check.loader import SourceDocument
from ocp_check.model import Finding, FindingState, StandardRef, WaiverRef

CITY = "city"
VENDOR = "vendor"


@dataclass(frozen=True, slots=True)
class Waiver:
    """One accepted deviation, with where it came from."""

    id: str
    rule: str | None
    clause: str | None
    standard: str | None
    submission: str | None
    files: tuple[str, ...]
    pointer: str | None
    reason: str
    approved_by: str
    expires: str
    issuer: str
    source: str
    source_pointer: str
    claims_city: bool = False

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.source, self.source_pointer, self.id)


@dataclass(frozen=True, slots=True)
class WaiverProblem:
    """A problem with a waivers file (a finding for a vendor file, exit 2 for the city's)."""

    pointer: str
    message: str


@cache
def _validator() -> Draft202012Validator:
    text = resources.files("ocp_check").joinpath("schemas/waivers.schema.json").read_text("utf-8")
    return Draft202012Validator(
        json.loads(text), registry=Registry(), format_checker=formats.make_format_checker()
    )


def validate_waivers_data(data: JSON) -> list[WaiverProblem]:
    """Structural problems of a waivers document, best first, in the run's language (the
    schema's headline as ``schema_check.headline`` says it: jsonschema's own in English)."""
    from ocp_check.schema_check import headline as schema_headline

    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    problems = []
    for error in errors[:20]:
        headline = best_match(error.context) if error.context else error
        pointer = ""
        for part in headline.absolute_path:
            pointer = pointer_join(pointer, part)
        problems.append(WaiverProblem(pointer, " ".join(schema_headline(headline).split())[:240]))
    if not problems:
        # Reports, usage counts and approvals name a waiver by its id: it must be unique.
        items = data.get("waivers", []) if isinstance(data, dict) else data
        base = "/waivers" if isinstance(data, dict) else ""
        first: dict[str, int] = {}
        for index, raw in enumerate(items if isinstance(items, list) else []):
            wid = raw.get("id") if isinstance(raw, dict) else None
            if not isinstance(wid, str):
                continue
            if wid in first:
                problems.append(
                    WaiverProblem(
                        f"{base}/{index}/id",
                        _(
                            "waiver id {id} is used twice (first at {pointer})",
                            id=repr(wid),
                            pointer=f"{base}/{first[wid]}/id",
                        ),
                    )
                )
            else:
                first[wid] = index
    return problems


def parse_waivers(data: JSON, *, issuer: str, source: str, base_pointer: str = "/waivers") -> list[Waiver]:
    """Waivers from validated data (``{"kind": "waivers", "waivers": [...]}`` or a bare list)."""
    items: Any = data.get("waivers", []) if isinstance(data, dict) else data
    out = []
    for index, raw in enumerate(items if isinstance(items, list) else []):
        scope = raw.get("scope", {})
        out.append(
            Waiver(
                id=raw["id"],
                rule=raw.get("rule"),
                clause=raw.get("clause"),
                standard=raw.get("standard"),
                submission=scope.get("submission"),
                files=tuple(scope.get("files", ())),
                pointer=scope.get("pointer"),
                reason=" ".join(raw["reason"].split()),
                approved_by=" ".join(raw["approved_by"].split()),
                expires=raw["expires"],
                issuer=issuer,
                source=source,
                source_pointer=f"{base_pointer}/{index}",
                claims_city=issuer == VENDOR and raw.get("issued_by") == CITY,
            )
        )
    return out


def load_vendor_waivers(doc: SourceDocument) -> tuple[list[Waiver], list[WaiverProblem]]:
    """A waivers file found inside a bid: its problems are findings, not exit 2."""
    problems = validate_waivers_data(doc.data)
    if problems:
        return [], problems
    waivers = parse_waivers(doc.data, issuer=VENDOR, source=doc.name)
    for w in waivers:
        if w.claims_city:
            problems.append(
                WaiverProblem(
                    pointer_join(w.source_pointer, "issued_by"),
                    _(
                        "waiver {id} claims to be issued by the city, but a waivers file inside the bid is "
                        "the vendor's; it is treated as a vendor waiver",
                        id=w.id,
                    ),
                )
            )
    return waivers, problems


def _matches_standard(spec: str | None, ref: StandardRef | None) -> bool:
    if spec is None:
        return True
    if ref is None:
        return False
    sid, _at, version = spec.partition("@")
    if sid != ref.id:
        return False
    return not version or ref.version == version or ref.version.startswith(version + ".")


def _matches(w: Waiver, f: Finding, submission: str) -> bool:
    if w.rule is not None and w.rule != f.rule:
        return False
    if w.clause is not None and w.clause != f.clause:
        return False
    if not _matches_standard(w.standard, f.standard):
        return False
    if w.submission is not None:
        last = submission.rstrip("/").rsplit("/", 1)[-1]
        if not (fnmatch.fnmatchcase(submission, w.submission) or fnmatch.fnmatchcase(last, w.submission)):
            return False
    if w.files and not any(fnmatch.fnmatchcase(f.location.file, g) for g in w.files):
        return False
    if w.pointer is not None:
        p = f.location.pointer
        if not (p == w.pointer or p.startswith(w.pointer.rstrip("/") + "/") or w.pointer in ("", "/")):
            return False
    return True


def apply(
    findings: Sequence[Finding],
    waivers: Sequence[Waiver],
    *,
    submission: str,
    city_evaluation: bool,
    today: datetime.date,
) -> tuple[list[Finding], dict[tuple[str, str, str], int]]:
    """Mark the findings that waivers cover; return them and how often each waiver matched.

    City waivers are tried before vendor waivers, each in file order; the first match wins.
    Only the state of findings changes (active ↔ waived), so applying waivers never adds or
    removes a finding.
    """
    ordered = sorted(waivers, key=lambda w: (w.issuer != CITY, w.source, w.source_pointer))
    usage: dict[tuple[str, str, str], int] = {w.key: 0 for w in ordered}
    out = []
    for f in findings:
        if f.state is not FindingState.ACTIVE:
            out.append(f)
            continue
        match = next((w for w in ordered if _matches(w, f, submission)), None)
        if match is None:
            out.append(f)
            continue
        usage[match.key] += 1
        expired = match.expires < today.isoformat()
        note = ""
        honoured = True
        if expired:
            honoured, note = False, _("expired on {date}: the finding counts again", date=match.expires)
        elif match.issuer == VENDOR and city_evaluation:
            honoured, note = False, _("vendor waivers are shown but not honoured in a city evaluation")
        ref = WaiverRef(
            id=match.id,
            issuer=match.issuer,
            approved_by=match.approved_by,
            expires=match.expires,
            reason=match.reason,
            honoured=honoured,
            note=note,
        )
        state = FindingState.WAIVED if honoured else FindingState.ACTIVE
        out.append(dataclasses.replace(f, state=state, waiver=ref))
    return out, usage
