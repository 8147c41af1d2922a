"""The jsonschema-rs fast path answers "valid?" exactly as the python-jsonschema path does.

Reports must be byte-identical with or without the fast path, so for every document it may
see, ``fast.is_valid(doc)`` must equal "python-jsonschema finds no error".
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from ocp_check.detect import detect
from ocp_check.loader import LoadError, load_path
from ocp_check.standards import Catalog, portable_pattern

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


@pytest.mark.parametrize("path", _documents(), ids=lambda p: p.name)
def test_fast_path_agrees_with_python(path: Path) -> None:
    try:
        data = load_path(path, path.name).data
    except LoadError:
        pytest.skip("not loadable")
    standard, key = _standard_for(data)
    if standard is None:
        pytest.skip("not a checkable document")
    fast = standard.fast_validator(key)
    assert fast is not None
    slow = standard.validator(key)
    for variant in _mutations(data):
        expected = next(iter(slow.iter_errors(variant)), None) is None
        assert fast.is_valid(variant) is expected


@pytest.mark.parametrize(
    ("pattern", "portable"),
    [
        (r"^3\.0\.\d(-.+)?$", r"^3\.0\.[0-9](-[^\n\r\u2028\u2029]+)?$"),
        (r"^[a-z\d_]+$", r"^[a-z0-9_]+$"),
        (r"^x-", r"^x-"),
        (r"\bword", None),
        (r"[\S]", None),
    ],
)
def test_portable_patterns(pattern: str, portable: str | None) -> None:
    assert portable_pattern(pattern) == portable
