"""The validators standards and rule packs use: ECMA-262 patterns, the fast path, no network.

Every JSON Schema the tool runs (a standard's document schemas, a rule's inline schema) is
validated by python-jsonschema with ``pattern`` and ``patternProperties`` answered by the
ECMA-262 translation of ``ecmaregex`` (linear time, vetted when loaded), given a registry
that refuses to retrieve anything (docs/decisions.md, "No network, ever"), and shadowed by
a jsonschema-rs validator of the same semantics that only ever answers "valid?".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jsonschema import validators
from jsonschema.exceptions import ValidationError
from referencing import Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT202012

from ocp_check import formats
from ocp_check.ecmaregex import SafePattern, UnsafePattern, compile_safe

_SAFE_PATTERNS: dict[str, SafePattern] = {}


_ECMA_CLASSES: dict[type[Any], type[Any]] = {}


def safe_pattern(source: str) -> SafePattern:
    """A schema pattern compiled once for linear-time, ECMA-262 matching."""
    found = _SAFE_PATTERNS.get(source)
    if found is None:
        found = compile_safe(source)
        _SAFE_PATTERNS[source] = found
    return found


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not safe_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties(
    validator: Any, patterns: dict[str, Any], instance: Any, schema: Any
) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        compiled = safe_pattern(pattern)
        for key, value in instance.items():
            if compiled.search(key):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


def ecma_validator_class(cls: type[Any]) -> type[Any]:
    """``cls`` with ``pattern``/``patternProperties`` matched by ``ecmaregex``.

    JSON Schema patterns are ECMA-262 regular expressions; Python's ``re`` differs (``$``
    matches before a final newline, ``\\d`` matches other scripts' digits) and backtracks
    without a time limit. Every pattern of a standard is compiled when the standard loads.
    """
    found = _ECMA_CLASSES.get(cls)
    if found is None:
        keywords = {"pattern": _pattern, "patternProperties": _pattern_properties}
        found = validators.extend(cls, keywords)  # type: ignore[no-untyped-call]
        _ECMA_CLASSES[cls] = found
    return found


def _portable_schema(node: Any) -> Any:
    """A copy of a schema with every pattern in the Rust rendering of its ECMA-262 meaning.

    Raises ValueError where the copy would not mean the same: two ``patternProperties`` that
    translate alike (one would replace the other), or a pattern that cannot be matched safely.
    """
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str) and not isinstance(node.get("properties"), dict):
                out[key] = _rust_pattern(value)
            elif key == "patternProperties" and isinstance(value, dict):
                props = {}
                for pattern, sub in value.items():
                    rewritten = _rust_pattern(pattern)
                    if rewritten in props:
                        raise ValueError(pattern)
                    props[rewritten] = _portable_schema(sub)
                out[key] = props
            else:
                out[key] = _portable_schema(value)
        return out
    if isinstance(node, list):
        return [_portable_schema(item) for item in node]
    return node


def _rust_pattern(pattern: str) -> str:
    try:
        return safe_pattern(pattern).rust
    except UnsafePattern:
        raise ValueError(pattern) from None


def build_fast_validator(schema: dict[str, Any]) -> Any | None:
    """A jsonschema-rs validator for ``schema`` with the same meaning, or None (see
    ``Standard.fast_validator``).

    Patterns are given in their Rust rendering and matched by Rust's ``regex`` crate, a
    finite automaton (``RegexOptions``): linear in the input, as the python path is. None
    when jsonschema-rs is not installed or rejects the schema (python-jsonschema then does
    all the work); a jsonschema-rs whose API does not fit raises, so tests notice.
    """
    try:
        import jsonschema_rs
    except ImportError:  # the fast path is optional; the python path is always complete
        return None
    try:
        portable = _portable_schema(schema)
    except ValueError:
        return None

    def refuse(uri: str) -> Any:
        raise ValueError(f"no network access: {uri}")

    try:
        return jsonschema_rs.validator_for(
            portable,
            formats=dict(formats.FORMAT_FUNCTIONS),
            validate_formats=True,
            retriever=refuse,
            pattern_options=jsonschema_rs.RegexOptions(),
        )
    except (ValueError, getattr(jsonschema_rs, "ReferencingError", ValueError)):
        return None  # a schema jsonschema-rs does not accept: the python path does it all


def _walk_patterns(node: object) -> Iterator[str]:
    """Every regular expression of a schema: ``pattern`` values and ``patternProperties`` keys.

    A ``pattern`` member of a ``properties`` object names a property, not a regex.
    """
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            pattern = current.get("pattern")
            if isinstance(pattern, str) and not isinstance(current.get("properties"), dict):
                yield pattern
            props = current.get("patternProperties")
            if isinstance(props, dict):
                yield from (k for k in props if isinstance(k, str))
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


def first_unsafe_pattern(schema: object) -> tuple[str, UnsafePattern] | None:
    """The first regular expression of a schema that cannot be matched safely, and why.

    Compiling each one here also fills the cache the validators match with.
    """
    for pattern in sorted(set(_walk_patterns(schema))):
        try:
            safe_pattern(pattern)
        except UnsafePattern as err:
            return pattern, err
    return None


def schema_resource(schema: dict[str, Any]) -> Resource[Any]:
    return Resource.from_contents(schema, default_specification=DRAFT202012)


def refuse_retrieval(uri: str) -> Resource[Any]:
    raise NoSuchResource(ref=uri)  # type: ignore[call-arg]
