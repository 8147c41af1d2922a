"""The check keywords that judge one value: presence, type, membership, patterns, numbers,
durations, dates, list sizes, uniqueness, inline schemas.

Each compiler validates its options when the pack loads (a typo is exit 2 naming the rule)
and returns the check function. When the subject is absent only the presence-like checks
fail (``present: true``, ``not_empty``, ``equals``, ``type``, ``min_items``, ``any_in``,
``superset_of`` of a non-empty set); the others have nothing to judge and pass.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Mapping, Sequence

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from referencing import Registry

from ocp_check import durations, formats
from ocp_check.check_base import (
    _OP_WORDS,
    _OPS,
    CheckFn,
    CheckSpecError,
    Compiler,
    Env,
    Failure,
    Subject,
    _hashable,
    _member,
    _op,
    _operand,
    _suggest,
    _type_name,
    json_equal,
    show,
)
from ocp_check.check_lookups import _value_set
from ocp_check.ecmaregex import SafePattern, UnsafePattern, compile_safe
from ocp_check.i18n import _
from ocp_check.jsondata import JSON
from ocp_check.schema_check import headline
from ocp_check.schema_validators import build_fast_validator, ecma_validator_class, first_unsafe_pattern
from ocp_check.selectors import Selected
from ocp_check.standards import Standard


def _c_present(
    arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
) -> tuple[CheckFn, frozenset[str]]:
    if not isinstance(arg, bool):
        raise CheckSpecError(_("{where}: present takes true or false", where=where))

    def run(s: Subject, env: Env) -> Failure | None:
        if arg and not s.present:
            return Failure(_("it is missing"), _("a value"))
        if not arg and s.present:
            return Failure(_("it is present ({value})", value=show(s.value)), _("no value"))
        return None

    return run, frozenset()


def _c_not_empty(
    arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
) -> tuple[CheckFn, frozenset[str]]:
    if arg is not True:
        raise CheckSpecError(_("{where}: not_empty takes true", where=where))

    def run(s: Subject, env: Env) -> Failure | None:
        if not s.present:
            return Failure(_("it is missing"), _("a non-empty value"))
        if s.value in ("", [], {}) or (isinstance(s.value, str) and not s.value.strip()):
            return Failure(_("it is empty"), _("a non-empty value"))
        return None

    return run, frozenset()


_TYPES = ("string", "number", "integer", "boolean", "array", "object", "null")


def _c_type(
    arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
) -> tuple[CheckFn, frozenset[str]]:
    if arg not in _TYPES:
        raise CheckSpecError(_("{where}: type must be one of {list}", where=where, list=', '.join(_TYPES)))

    def run(s: Subject, env: Env) -> Failure | None:
        actual = _type_name(s.value) if s.present else "missing"
        ok = actual == arg or (arg == "number" and actual == "integer")
        if ok:
            return None
        if actual == "missing":
            return Failure(_("it is missing"), _("a {type}", type=arg))
        return Failure(_("it is {type}", type=actual), _("a {type}", type=arg))

    return run, frozenset()


def _c_equals(
    arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
) -> tuple[CheckFn, frozenset[str]]:
    def run(s: Subject, env: Env) -> Failure | None:
        if s.present and json_equal(s.value, arg):
            return None
        return Failure(_("it is {value}", value=show(s.value)) if s.present else _("it is missing"), show(arg))

    return run, frozenset()


def _c_in(arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str) -> tuple[CheckFn, frozenset[str]]:
    vs = _value_set(arg, std, where)

    def run(s: Subject, env: Env) -> Failure | None:
        if not s.present:
            return None
        values = vs.resolve(env)
        items = s.value if isinstance(s.value, list) else [s.value]
        for item in items:
            if not _member(item, values):
                words = vs.words(values)
                return Failure(
                    _("'{value}' is not in {values}", value=show(item), values=words), words, _suggest(item, values)
                )
        return None

    return run, vs.documents


def _c_not_in(
    arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
) -> tuple[CheckFn, frozenset[str]]:
    vs = _value_set(arg, std, where)

    def run(s: Subject, env: Env) -> Failure | None:
        if not s.present:
            return None
        values = vs.resolve(env)
        items = s.value if isinstance(s.value, list) else [s.value]
        for item in items:
            if _member(item, values):
                words = vs.words(values)
                return Failure(
                    _("'{value}' is in {values}", value=show(item), values=words), _("nothing from {values}", values=words)
                )
        return None

    return run, vs.documents


def _c_any_in(
    arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
) -> tuple[CheckFn, frozenset[str]]:
    vs = _value_set(arg, std, where)

    def run(s: Subject, env: Env) -> Failure | None:
        values = vs.resolve(env)
        items = s.value if isinstance(s.value, list) else ([s.value] if s.present else [])
        if any(_member(item, values) for item in items):
            return None
        return Failure(
            _("none of {value} is in {values}", value=show(s.value), values=vs.words(values))
            if s.present
            else _("none of nothing is in {values}", values=vs.words(values)),
            _("at least one of {values}", values=vs.words(values)),
        )

    return run, vs.documents


def _c_superset_of(
    arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
) -> tuple[CheckFn, frozenset[str]]:
    """``superset_of: SET``: an array holding every value of SET (a city's list of prohibited
    uses, all of which a vendor must exclude). An absent subject holds nothing, so it fails
    unless SET is empty; the message names the values missing."""
    vs = _value_set(arg, std, where)

    def run(s: Subject, env: Env) -> Failure | None:
        values = vs.resolve(env)
        items = s.value if isinstance(s.value, list) else ([s.value] if s.present else [])
        missing = [v for v in values if not _member(v, items)]
        if not missing:
            return None
        shown = ", ".join(show(v, 40) for v in missing[:8]) + (" …" if len(missing) > 8 else "")
        return Failure(_("missing {values}", values=shown), _("every value of {values}", values=vs.words(values)))

    return run, vs.documents


def _compile_patterns(patterns: Sequence[JSON], ignore_case: bool, where: str) -> list[SafePattern]:
    compiled = []
    for pattern in patterns:
        if not isinstance(pattern, str):
            raise CheckSpecError(_("{where}: patterns must be strings", where=where))
        if ignore_case and re.search(r"[A-Z]", re.sub(r"\\.", "", pattern)):
            # Case-insensitive matching lower-cases the text, so the pattern must be lower case.
            raise CheckSpecError(
                _("{where}: with ignore_case: true, write the pattern in lower case: {pattern}", where=where, pattern=repr(pattern))
            )
        try:
            compiled.append(compile_safe(pattern))
        except UnsafePattern as err:
            raise CheckSpecError(_("{where}: unsafe or invalid pattern {pattern}: {err}", where=where, pattern=repr(pattern), err=err)) from None
    return compiled


def _c_pattern(
    arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
) -> tuple[CheckFn, frozenset[str]]:
    """``pattern: REGEX``, a list of them, or ``{param: NAME}``: passes when any one matches."""
    ignore_case = extra.get("ignore_case", False)
    if not isinstance(ignore_case, bool):
        raise CheckSpecError(_("{where}: ignore_case must be true or false", where=where))
    param_name: str | None = None
    if isinstance(arg, str):
        sources: list[JSON] = [arg]
    elif isinstance(arg, list) and arg:
        sources = list(arg)
    elif isinstance(arg, dict) and set(arg) == {"param"}:
        param_name = str(arg["param"])
        param = std.parameters.get(param_name)
        if param is None or param.type != "array":
            raise CheckSpecError(_("{where}: {param_name} is not an array parameter of {ref}", where=where, param_name=repr(param_name), ref=std.ref))
        sources = list(param.default) if isinstance(param.default, list) else []
    else:
        raise CheckSpecError(
            _("{where}: pattern takes a regular expression, a list of them or {{param: NAME}}", where=where)
        )
    default = _compile_patterns(sources, ignore_case, where)
    described = " or ".join(str(p) for p in sources[:3]) + (" …" if len(sources) > 3 else "")
    cache: dict[str, list[SafePattern]] = {}

    def patterns(env: Env) -> list[SafePattern]:
        if param_name is None or param_name not in env.params:
            return default
        value = env.params[param_name]
        key = json.dumps(value, sort_keys=True)
        if key not in cache:
            # Profile values are validated when the profile loads; a bad one here is skipped.
            try:
                cache[key] = _compile_patterns(value if isinstance(value, list) else [], ignore_case, where)
            except CheckSpecError:
                cache[key] = default
        return cache[key]

    def run(s: Subject, env: Env) -> Failure | None:
        if not s.present:
            return None
        if not isinstance(s.value, str):
            return Failure(
                _("it is {type}, not text", type=_type_name(s.value)), _("text matching {pattern}", pattern=described)
            )
        text = s.value.lower() if ignore_case else s.value
        ok = any(p.search(text) for p in patterns(env))
        return (
            None
            if ok
            else Failure(
                _("'{value}' does not match {pattern}", value=show(s.value), pattern=described),
                _("text matching {pattern}", pattern=described),
            )
        )

    return run, frozenset()


def _c_compare(
    arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
) -> tuple[CheckFn, frozenset[str]]:
    if not isinstance(arg, dict) or set(arg) != {"op", "value"}:
        raise CheckSpecError(_("{where}: compare takes {{op, value}}", where=where))
    op = _op(arg, where)
    label, operand = _operand(arg["value"], std, where)

    def run(s: Subject, env: Env) -> Failure | None:
        if not s.present:
            return None
        ok, other = operand(env)
        if not ok:
            return None
        if not _is_number(s.value) or not _is_number(other):
            return Failure(
                _("{value} is not a number", value=show(s.value)),
                _("a number {op} {limit}", op=_OP_WORDS[op], limit=label),
            )
        if _OPS[op](s.value, other):
            return None
        return Failure(
            _("{value} is not {op} {limit}", value=show(s.value), op=_OP_WORDS[op], limit=show(other)),
            f"{_OP_WORDS[op]} {show(other)}",
        )

    return run, frozenset()


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _c_duration(
    arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
) -> tuple[CheckFn, frozenset[str]]:
    if not isinstance(arg, dict) or set(arg) != {"op", "value"}:
        raise CheckSpecError(_("{where}: duration takes {{op, value}}", where=where))
    op = _op(arg, where)
    if op == "!=":
        raise CheckSpecError(_("{where}: duration comparisons use <, <=, ==, >=, >", where=where))
    raw = arg["value"]
    if isinstance(raw, str):
        try:
            durations.parse_duration(raw)
        except durations.DurationError as err:
            raise CheckSpecError(_("{where}: {raw} is not an ISO 8601 duration: {err}", where=where, raw=repr(raw), err=err)) from None
    label, operand = _operand(raw, std, where)
    tests = {"<": durations.lt, "<=": durations.le, ">": durations.gt, ">=": durations.ge}

    def run(s: Subject, env: Env) -> Failure | None:
        if not s.present:
            return None
        try:
            mine = durations.parse_duration(str(s.value)) if isinstance(s.value, str) else None
        except durations.DurationError:
            mine = None
        if mine is None:
            return Failure(
                _("'{value}' is not an ISO 8601 duration", value=show(s.value)),
                _("an ISO 8601 duration such as P1Y or P90D"),
            )
        ok, other_raw = operand(env)
        if not ok:
            return None
        try:
            other = durations.parse_duration(str(other_raw))
        except durations.DurationError:
            return None
        holds = durations.compare(mine, other) == "==" if op == "==" else tests[op](mine, other)
        if holds:
            return None
        return Failure(
            _(
                "{value} is not {op} {limit}",
                value=durations.describe(mine),
                op=_OP_WORDS[op],
                limit=durations.describe(other),
            ),
            f"{_OP_WORDS[op]} {other.text} ({label})",
        )

    return run, frozenset()


def _c_date(
    arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
) -> tuple[CheckFn, frozenset[str]]:
    if not isinstance(arg, dict) or not {"op", "value"} <= set(arg) <= {"op", "value", "plus"}:
        raise CheckSpecError(_("{where}: date takes {{op, value, plus}}", where=where))
    op = _op(arg, where)
    label, operand = _operand(arg["value"], std, where)
    plus_raw = arg.get("plus")
    plus_label, plus_operand = ("", None)
    if plus_raw is not None:
        if isinstance(plus_raw, str):
            try:
                durations.parse_duration(plus_raw)
            except durations.DurationError as err:
                raise CheckSpecError(_("{where}: plus must be an ISO 8601 duration: {err}", where=where, err=err)) from None
        plus_label, plus_operand = _operand(plus_raw, std, where)

    def run(s: Subject, env: Env) -> Failure | None:
        if not s.present:
            return None
        mine = _date(s.value)
        if mine is None:
            return Failure(_("'{value}' is not a date (YYYY-MM-DD)", value=show(s.value)), _("a date"))
        ok, other_raw = operand(env)
        other = _date(other_raw) if ok else None
        if other is None:
            return None
        plus = None
        if plus_operand is not None:
            has, plus_raw_value = plus_operand(env)
            try:
                plus = durations.parse_duration(str(plus_raw_value)) if has else None
            except durations.DurationError:
                return None
        bound = durations.add_to_date(other, plus) if plus else other
        if _OPS[op](mine, bound):
            return None
        described = f"{other.isoformat()} + {plus.text}" if plus else other.isoformat()
        return Failure(
            _(
                "{value} is not {op} {limit} ({described})",
                value=mine.isoformat(),
                op=_OP_WORDS[op],
                limit=bound.isoformat(),
                described=described,
            ),
            _("a date {op} {limit}", op=_OP_WORDS[op], limit=f"{label}{' + ' + plus_label if plus_label else ''}"),
        )

    return run, frozenset()


def _date(value: JSON) -> datetime.date | None:
    if isinstance(value, str) and formats.is_date(value):
        return datetime.date.fromisoformat(value)
    return None


def _c_items(minimum: bool) -> Compiler:
    def compile_(
        arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
    ) -> tuple[CheckFn, frozenset[str]]:
        if not isinstance(arg, int) or isinstance(arg, bool) or arg < 0:
            raise CheckSpecError(_("{where}: {keyword} takes a non-negative integer", where=where, keyword="min_items" if minimum else "max_items"))

        def run(s: Subject, env: Env) -> Failure | None:
            if not s.present:
                return Failure(_("it is missing"), _("at least {count} item(s)", count=arg)) if minimum and arg > 0 else None
            if not isinstance(s.value, list):
                return Failure(_("it is {type}, not a list", type=_type_name(s.value)), _("a list"))
            n = len(s.value)
            if minimum and n < arg:
                return Failure(_("it has {count} item(s)", count=n), _("at least {count} item(s)", count=arg), count=n)
            if not minimum and n > arg:
                return Failure(_("it has {count} item(s)", count=n), _("at most {count} item(s)", count=arg), count=n)
            return None

        return run, frozenset()

    return compile_


def _c_unique(
    arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
) -> tuple[CheckFn, frozenset[str]]:
    if not isinstance(arg, str) or (arg and not arg.startswith("/")):
        raise CheckSpecError(_("{where}: unique takes a relative pointer such as /id or ''", where=where))

    def run(s: Subject, env: Env) -> Failure | None:
        if not s.present or not isinstance(s.value, list) or s.node is None:
            return None
        seen: dict[object, int] = {}
        for index, item in enumerate(s.value):
            if arg:
                node = env.walker.at(
                    Selected(s.node.file, f"{s.node.pointer}/{index}", item, str(index)), arg
                )
                if node is None:
                    continue
                key_value: JSON = node.value
            else:
                key_value = item
            key = _hashable(key_value)
            if key in seen:
                return Failure(
                    _("'{value}' appears at items {first} and {second}", value=show(key_value), first=seen[key], second=index),
                    _("unique values"),
                )
            seen[key] = index
        return None

    return run, frozenset()


def _schema_refs(node: object) -> list[str]:
    found: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            for key, value in current.items():
                if key in ("$ref", "$dynamicRef") and isinstance(value, str):
                    found.append(value)
                else:
                    stack.append(value)
        elif isinstance(current, list):
            stack.extend(current)
    return found


def _c_schema(
    arg: JSON, extra: Mapping[str, JSON], std: Standard, where: str
) -> tuple[CheckFn, frozenset[str]]:
    if not isinstance(arg, dict):
        raise CheckSpecError(_("{where}: schema takes a JSON Schema object", where=where))
    fragment = dict(arg)
    fragment.setdefault("$schema", "https://json-schema.org/draft/2020-12/schema")
    if not std.trusted:  # shipped standards are checked by the test suite (load_standard)
        try:
            Draft202012Validator.check_schema(fragment)
        except SchemaError as err:
            raise CheckSpecError(_("{where}: invalid inline schema: {message}", where=where, message=err.message)) from None
    if any(not ref.startswith("#") for ref in _schema_refs(fragment)):
        raise CheckSpecError(_("{where}: inline schemas may only use local $ref ('#/...')", where=where))
    # The same guarantee as for the standards' schemas: every pattern is vetted when the pack
    # loads and matched in linear time with ECMA-262 semantics, never by Python's ``re``.
    unsafe = first_unsafe_pattern(fragment)
    if unsafe is not None:
        raise CheckSpecError(_("{where}: schema: unsafe or invalid pattern {value}: {reason}", where=where, value=repr(unsafe[0]), reason=unsafe[1]))
    validator = ecma_validator_class(Draft202012Validator)(
        fragment, registry=Registry(), format_checker=formats.make_format_checker()
    )
    # As for documents (standards.fast_validator): jsonschema-rs only answers "valid?", and
    # every message still comes from python-jsonschema, so reports do not depend on it.
    fast = build_fast_validator(fragment)

    def run(s: Subject, env: Env) -> Failure | None:
        if not s.present:
            return None
        if fast is not None and fast.is_valid(s.value):
            return None
        error = next(iter(validator.iter_errors(s.value)), None)
        if error is None:
            return None
        return Failure(" ".join(headline(error).split())[:200], _("a value matching the rule's schema"))

    return run, frozenset()
