"""The jsonschema-rs fast path answers "valid?" exactly as the python-jsonschema path does.

Reports must be byte-identical with or without the fast path, so for every document it may
see, ``fast.is_valid(doc)`` must equal "python-jsonschema finds no error".
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from referencing import Registry

from ocp_check import schema_validators
from ocp_check.catalog import Catalog
from ocp_check.detect import detect
from ocp_check.loader import LoadError, load_path
from ocp_check.schema_validators import build_fast_validator, ecma_validator_class

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CATALOG = Catalog(use_env=False)

pytest.importorskip("jsonschema_rs")


def _documents() -> list[Path]:
    paths = sorted((REPO / "standards" / "_examples").rglob("*.yaml"))
    paths += sorted((REPO / "examples" / "bids").rglob("*.yaml"))
    if SHARED.is_dir():
        for folder in ("oai-examples", "invalid", "mds-openapi/reference"):
            paths += sorted((SHARED / "corpus" / "openapi" / folder).rglob("*.y*ml"))
            paths += sorted((SHARED / "corpus" / "openapi" / folder).rglob("*.json"))
    return paths


def _standard_for(data):
    found = detect(data)
    if found.kind is None or found.problem:
        return None, ""
    newest = CATALOG.newest_for_kind(found.kind)
    if newest is not None and found.schema_key and found.schema_key not in newest.schema_files:
        # OpenAPI 3.2 is covered by a later version of the standard (a draft) only.
        covering = [
            CATALOG.load(e.ref)
            for e in CATALOG.entries()
            if e.kind == found.kind.value and found.schema_key in CATALOG.load(e.ref).schema_files
        ]
        newest = covering[-1] if covering else None
    return newest, found.schema_key


def _mutations(data):
    yield data
    if isinstance(data, dict):
        if "openapi" in data:
            for version in ("3.0.٣", "3.1.0-\r", "3.1.0\n", "3.0.3"):
                yield {**data, "openapi": version}
        if "standard" in data:
            yield {**data, "standard": "ocp-data-governance@١.0"}
        broken = copy.deepcopy(data)
        broken["x-extra"] = {"nested": [1, "two", None]}
        yield broken
        for key in list(data)[:5]:
            trimmed = dict(data)
            del trimmed[key]
            yield trimmed


def _checkable() -> list[Path]:
    """The documents a standard judges; the others (unloadable or of no known kind: the
    invalid corpus holds both) have no validator to compare."""
    found = []
    for path in _documents():
        try:
            data = load_path(path, path.name).data
        except LoadError:
            continue
        if _standard_for(data)[0] is not None:
            found.append(path)
    return found


@pytest.mark.parametrize("path", _checkable(), ids=lambda p: p.name)
def test_fast_path_agrees_with_python(path: Path) -> None:
    data = load_path(path, path.name).data
    standard, key = _standard_for(data)
    assert standard is not None
    fast = standard.fast_validator(key)
    assert fast is not None
    slow = standard.validator(key)
    for variant in _mutations(data):
        expected = next(iter(slow.iter_errors(variant)), None) is None
        assert fast.is_valid(variant) is expected


def _inline_schemas(node: Any) -> list[dict[str, Any]]:
    """The ``schema:`` checks of a rule pack, as the check compiles them."""
    found = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            if isinstance(current.get("schema"), dict):
                fragment = dict(current["schema"])
                fragment.setdefault("$schema", "https://json-schema.org/draft/2020-12/schema")
                found.append(fragment)
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    return found


def _schemas() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for entry in CATALOG.entries():
        standard = CATALOG.load(entry.ref)
        out += [(f"{entry.ref}:{key}", standard.schemas[key]) for key in standard.schema_keys()]
    for path in sorted((REPO / "standards").glob("*/*/rules/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for index, fragment in enumerate(_inline_schemas(data)):
            out.append((f"{path.relative_to(REPO)}#{index}", fragment))
    return out


@pytest.mark.parametrize(("name", "schema"), _schemas(), ids=[name for name, _ in _schemas()])
def test_every_shipped_schema_has_a_fast_path(name: str, schema: dict[str, Any]) -> None:
    """A fast path that silently turns itself off (an API change, a rejected pattern) fails here."""
    assert build_fast_validator(schema) is not None, name


def test_an_api_that_does_not_fit_is_an_error_not_a_silent_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Failing on jsonschema-rs's keyword arguments is a bug of ours, not "no fast path"."""
    import jsonschema_rs

    def validator_for(*args: object, **kwargs: object) -> None:
        raise TypeError("validator_for() got an unexpected keyword argument 'validate_formats'")

    monkeypatch.setattr(jsonschema_rs, "validator_for", validator_for)
    with pytest.raises(TypeError):
        build_fast_validator({"type": "string"})


def test_a_schema_jsonschema_rs_rejects_has_no_fast_path() -> None:
    assert build_fast_validator({"$ref": "https://example.org/remote.json"}) is None


def test_pattern_properties_that_translate_alike_turn_the_fast_path_off() -> None:
    """``^\\d`` and ``^[0-9]`` are one Rust pattern: one key would replace the other."""
    schema = {"patternProperties": {r"^\d": {"type": "string"}, "^[0-9]": {"maxLength": 1}}}
    assert build_fast_validator(schema) is None
    schema_validators._SAFE_PATTERNS.clear()


# Patterns whose Rust rendering needs care: ASCII word boundaries, classes with surrogates,
# lookaheads the translation removes, the end of the input, line terminators.
PATTERN_CASES = [
    r"\bab\b",
    r"^\B.",
    r"[^a]$",
    r"^a(?!$)",
    r"^(?=\d)\w+$",
    r"^.$",
    r"\s$",
    "^[]|x",
    r"^\uD83D\uDE00",
]


@pytest.mark.parametrize("pattern", PATTERN_CASES)
@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="ab1 _\n\r\u2028é😀", max_size=6))
def test_fast_and_python_paths_agree_on_patterns(pattern: str, text: str) -> None:
    schema = {
        "type": "object",
        "properties": {"v": {"pattern": pattern}},
        "patternProperties": {pattern: {"type": "integer"}},
    }
    slow = ecma_validator_class(Draft202012Validator)(schema, registry=Registry())
    fast = build_fast_validator(schema)
    assert fast is not None
    for instance in ({"v": text}, {text: 1}, {text: "x"}):
        assert fast.is_valid(instance) is slow.is_valid(instance), (pattern, instance)
