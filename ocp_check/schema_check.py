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

from ocp_check import i18n
from ocp_check.i18n import N_, _, ngettext
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


_REQUIRED = " is a required property"


def _extra_properties(error: ValidationError) -> list[str]:
    """The properties ``additionalProperties: false`` (or ``unevaluatedProperties``) refused."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    if not isinstance(error.instance, dict):
        return []
    props = schema.get("properties", {}) if isinstance(schema.get("properties"), dict) else {}
    patterns = schema.get("patternProperties", {}) if isinstance(schema.get("patternProperties"), dict) else {}
    from ocp_check.schema_validators import safe_pattern

    def allowed(key: object) -> bool:
        if key in props:
            return True
        try:
            return isinstance(key, str) and any(safe_pattern(p).search(key) for p in patterns)
        except Exception:  # a pattern the tool cannot run: the English message stands
            return True

    return [k for k in error.instance if not allowed(k)]


def headline(error: ValidationError) -> str:
    """What a schema error says, in the run's language.

    English keeps jsonschema's own message (reports stay as they were). Another language
    cannot translate that message (it is built from values), so the headline is made again
    from the error's keyword and parameters, one catalog message per keyword; a keyword not
    listed here gets a general sentence naming it."""
    if i18n.current_language() == "en":
        return error.message
    keyword, value, instance = error.validator, error.validator_value, error.instance
    shown = repr(instance)
    if keyword == "required" and error.message.endswith(_REQUIRED):
        return _("{name} is a required property", name=error.message[: -len(_REQUIRED)])
    if keyword in ("additionalProperties", "unevaluatedProperties"):
        extra = _extra_properties(error)
        if extra:
            return ngettext(
                "{names} is not allowed here (unexpected property)",
                "{names} are not allowed here (unexpected properties)",
                len(extra),
                names=", ".join(repr(k) for k in extra),
            )
    if keyword == "type":
        types = value if isinstance(value, list) else [value]
        return _("{value} is not of type {types}", value=shown, types=", ".join(repr(t) for t in types))
    if keyword == "enum" and isinstance(value, list):
        return _("{value} is not one of {options}", value=shown, options=repr(value))
    if keyword == "const":
        return _("{expected} was expected", expected=repr(value))
    if keyword == "format":
        return _("{value} is not a valid {format}", value=shown, format=repr(value))
    if keyword == "pattern":
        return _("{value} does not match {pattern}", value=shown, pattern=repr(value))
    if keyword in ("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"):
        messages = {
            "minLength": N_("{value} is shorter than {limit} characters"),
            "maxLength": N_("{value} is longer than {limit} characters"),
            "minItems": N_("{value} has fewer than {limit} items"),
            "maxItems": N_("{value} has more than {limit} items"),
            "minProperties": N_("{value} has fewer than {limit} properties"),
            "maxProperties": N_("{value} has more than {limit} properties"),
        }
        return _(messages[keyword], value=shown, limit=value)
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"):
        messages = {
            "minimum": N_("{value} is less than the minimum of {limit}"),
            "maximum": N_("{value} is greater than the maximum of {limit}"),
            "exclusiveMinimum": N_("{value} is less than or equal to the minimum of {limit}"),
            "exclusiveMaximum": N_("{value} is greater than or equal to the maximum of {limit}"),
            "multipleOf": N_("{value} is not a multiple of {limit}"),
        }
        return _(messages[keyword], value=shown, limit=repr(value))
    if keyword == "uniqueItems":
        return _("{value} has non-unique elements", value=shown)
    if keyword in ("oneOf", "anyOf"):
        return _("{value} is not valid under any of the given schemas", value=shown)
    if keyword == "not":
        return _("{value} should not be valid here", value=shown)
    if keyword == "dependentRequired" or keyword == "dependencies":
        return _("a property another one depends on is missing ({keyword})", keyword=keyword)
    if keyword == "contains":
        return _("{value} does not contain an item the schema asks for", value=shown)
    if keyword is None or error.schema is False:
        return _("{value} is not allowed here", value=shown)
    return _("the value does not match the schema (keyword {keyword})", keyword=keyword)


def _fix_for(error: ValidationError) -> str:
    keyword = error.validator
    value: Any = error.validator_value
    schema = error.schema if isinstance(error.schema, dict) else {}
    if keyword == "required":
        missing = [name for name in value if isinstance(error.instance, dict) and name not in error.instance]
        names = ", ".join(repr(n) for n in missing) or _("the required properties")
        described = ""
        props = schema.get("properties", {})
        if len(missing) == 1 and isinstance(props, dict):
            described = _describe(props.get(missing[0]))
        if described:
            return _("Add {names}. ({description})", names=names, description=described)
        return _("Add {names}.", names=names)
    if keyword == "additionalProperties":
        return _("Remove or rename the unexpected properties (names are case-sensitive).")
    if keyword == "enum":
        options = ", ".join(repr(v) for v in value[:12])
        return _("Use one of: {options}.", options=options)
    if keyword == "type":
        expected = error.validator_value
        if expected == "string" and isinstance(error.instance, (int, float, bool)):
            return _(
                'Give a value of type {type}. Quote the value in YAML (e.g. "1.10") so it stays text.', type=expected
            )
        return _("Give a value of type {type}.", type=expected)
    if keyword == "format":
        return _("Write the value in {format} format.", format=error.validator_value)
    described = _describe(schema)
    if described:
        return _("Make the value match the schema: {description}", description=described)
    return _("Make the value match the schema.")


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
        closest = error
        detail: tuple[str, ...] = ()
        if error.context:
            closest = best_match(error.context)
            detail = (
                ngettext(
                    "{count} alternatives tried; this was the closest",
                    "{count} alternatives tried; this was the closest",
                    len(error.context),
                ),
            )
        yield SchemaProblem(
            pointer=_pointer(closest),
            message=_shorten(headline(closest)),
            fix=_fix_for(closest),
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
            ngettext(
                "{count} more schema problem from here on were not listed",
                "{count} more schema problems from here on were not listed",
                rest,
            ),
            _("Fix the problems listed above and run the check again."),
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
