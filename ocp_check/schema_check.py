"""Structural validation of a document against its standard's JSON Schema.

Validators are built once per standard and schema (``Standard.validator``). Each top-level
validation error becomes one finding at the failing value's JSON Pointer; for ``anyOf`` /
``oneOf`` failures the headline is jsonschema's ``best_match`` among the sub-errors and the
number of alternatives tried is kept in ``detail``. The number of schema findings per
document is capped so an adversarial document cannot produce gigabytes of output
(RELIABILITY.md D10).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from jsonschema.exceptions import ValidationError, best_match
from jsonschema.protocols import Validator

from ocp_check.loader import JSON, pointer_join

MAX_SCHEMA_FINDINGS = 50


@dataclass(frozen=True, slots=True)
class SchemaProblem:
    """One structural problem, before it is stamped into a finding."""

    pointer: str
    message: str
    fix: str
    detail: tuple[str, ...] = ()


def _pointer(error: ValidationError) -> str:
    pointer = ""
    for part in error.absolute_path:
        pointer = pointer_join(pointer, part)
    return pointer


def _shorten(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _describe(schema: Any) -> str:
    if isinstance(schema, dict):
        desc = schema.get("description")
        if isinstance(desc, str) and desc.strip():
            return _shorten(desc, 200)
    return ""


def _fix_for(error: ValidationError) -> str:
    keyword = error.validator
    value: Any = error.validator_value
    schema = error.schema if isinstance(error.schema, dict) else {}
    if keyword == "required":
        missing = [name for name in value if isinstance(error.instance, dict) and name not in error.instance]
        names = ", ".join(repr(n) for n in missing) or "the required properties"
        described = ""
        props = schema.get("properties", {})
        if len(missing) == 1 and isinstance(props, dict):
            described = _describe(props.get(missing[0]))
        return f"Add {names}." + (f" ({described})" if described else "")
    if keyword == "additionalProperties":
        return "Remove or rename the unexpected properties (names are case-sensitive)."
    if keyword == "enum":
        options = ", ".join(repr(v) for v in value[:12])
        return f"Use one of: {options}."
    if keyword == "type":
        expected = error.validator_value
        hint = ""
        if expected == "string" and isinstance(error.instance, (int, float, bool)):
            hint = ' Quote the value in YAML (e.g. "1.10") so it stays text.'
        return f"Give a value of type {expected}.{hint}"
    if keyword == "format":
        return f"Write the value in {error.validator_value} format."
    described = _describe(schema)
    return f"Make the value match the schema{': ' + described if described else '.'}"


def _fast_says_valid(fast: Any, data: JSON) -> bool:
    try:
        return bool(fast.is_valid(data))
    except Exception:  # any doubt: the complete python path decides
        return False


def validate(validator: Validator, data: JSON, fast: Any | None = None) -> Iterator[SchemaProblem]:
    """Yield structural problems, at most ``MAX_SCHEMA_FINDINGS`` plus one summary.

    ``fast`` (a jsonschema-rs validator with the same semantics) answers "valid?" first;
    only an invalid document is walked by python-jsonschema, which produces the findings.
    """
    if fast is not None and _fast_says_valid(fast, data):
        return
    errors = sorted(validator.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    for count, error in enumerate(errors):
        if count == MAX_SCHEMA_FINDINGS:
            yield SchemaProblem(
                "",
                f"{len(errors) - MAX_SCHEMA_FINDINGS} more schema problems were not listed",
                "Fix the problems above and run the check again.",
            )
            return
        headline = error
        detail: tuple[str, ...] = ()
        if error.context:
            headline = best_match(error.context)
            detail = (f"{len(error.context)} alternatives tried; this was the closest",)
        yield SchemaProblem(
            pointer=_pointer(headline),
            message=_shorten(headline.message),
            fix=_fix_for(headline),
            detail=detail,
        )
