"""Structural validation of a document against its standard's JSON Schema.

Validators are built once per standard and schema (``Standard.validator``). Each top-level
validation error becomes one finding at the failing value's JSON Pointer; for ``anyOf`` /
``oneOf`` failures the headline is jsonschema's ``best_match`` among the sub-errors and the
number of alternatives tried is kept in ``detail``. The number of schema findings per
document is capped (``cap``), after the problems a template's placeholders explain are set
aside, so an adversarial document cannot produce gigabytes of output.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from jsonschema import validators
from jsonschema.exceptions import ValidationError, best_match
from jsonschema.protocols import Validator

from ocp_check.jsondata import JSON, pointer_join

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


def validate(
    validator: Validator, data: JSON, fast: Any | None = None, *, placeholders: bool = False
) -> Iterator[SchemaProblem]:
    """Yield every structural problem, in the order of the document (see ``cap``).

    ``fast`` (a jsonschema-rs validator with the same semantics) answers "valid?" first;
    only an invalid document is walked by python-jsonschema, which produces the findings.
    With ``placeholders`` (the document still holds ``TODO`` values of a template), a
    placeholder string passes the keywords that judge a string's content (``lenient``):
    ``tokenUrl: "TODO…"`` is one unfilled value, reported once as such, not a failed
    ``format: uri`` that makes its whole security scheme fail a ``oneOf`` two levels up.
    """
    if fast is not None and _fast_says_valid(fast, data):
        return
    judge = lenient(validator) if placeholders else validator
    order = _DocumentOrder(data)
    errors = sorted(judge.iter_errors(data), key=lambda e: (order.key(e.absolute_path), e.message))
    for error in errors:
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


def cap(problems: list[SchemaProblem], limit: int = MAX_SCHEMA_FINDINGS) -> list[SchemaProblem]:
    """The first ``limit`` problems, then one summary of the rest, placed where the first
    problem not listed is: it follows every listed problem in the report and counts exactly
    the problems it stands for. Nothing is summarised when nothing is left out."""
    if len(problems) <= limit:
        return problems
    rest = len(problems) - limit
    return [
        *problems[:limit],
        SchemaProblem(
            problems[limit].pointer,
            f"{rest} more schema problem{'s' if rest != 1 else ''} from here on were not listed",
            "Fix the problems listed above and run the check again.",
        ),
    ]


class _DocumentOrder:
    """Sort keys that put schema errors in the order their values appear in the document:
    each step of a path is the member's position in its mapping (mappings keep the order of
    the file) or the item's index. Sorting paths as strings put ``/10`` before ``/2``."""

    def __init__(self, data: JSON) -> None:
        self.data = data
        self.positions: dict[int, dict[str, int]] = {}

    def key(self, path: Iterable[str | int]) -> tuple[int, ...]:
        out: list[int] = []
        node: Any = self.data
        for step in path:
            if isinstance(node, dict):
                places = self.positions.get(id(node))
                if places is None:
                    places = self.positions[id(node)] = {k: i for i, k in enumerate(node)}
                out.append(places.get(str(step), len(places)))
                node = node.get(str(step))
            elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
                out.append(step)
                node = node[step]
            else:
                out.append(0)
                node = None
        return tuple(out)


#: The keywords that judge what a string says rather than what it is: a TODO placeholder
#: passes them (a placeholder where a number is expected still fails ``type``).
_CONTENT_KEYWORDS = ("format", "pattern", "enum", "const", "minLength", "maxLength")
_LENIENT: dict[int, tuple[Validator, Validator]] = {}


def is_placeholder(value: object) -> bool:
    """A template value still to fill in (``ocp-check init`` writes ``"TODO: ..."``)."""
    return isinstance(value, str) and value.startswith("TODO")


def lenient(validator: Validator) -> Validator:
    """``validator`` with placeholder strings passing the content keywords (built once)."""
    found = _LENIENT.get(id(validator))
    if found is not None and found[0] is validator:
        return found[1]
    cls: Any = type(validator)

    def wrap(check: Any) -> Any:
        def checked(v: Any, value: Any, instance: Any, schema: Any) -> Any:
            if is_placeholder(instance):
                return
            yield from check(v, value, instance, schema)

        return checked

    keywords = {k: wrap(cls.VALIDATORS[k]) for k in _CONTENT_KEYWORDS if k in cls.VALIDATORS}
    extended: Any = validators.extend(cls, keywords)  # type: ignore[no-untyped-call]
    built: Validator = extended(
        validator.schema,
        registry=validator._registry,  # type: ignore[attr-defined]
        format_checker=validator.format_checker,  # type: ignore[attr-defined]
    )
    _LENIENT[id(validator)] = (validator, built)
    return built
