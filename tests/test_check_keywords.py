"""Every check keyword of the rule language, on its own: a value it accepts, one it refuses,
and an option it refuses when the pack loads.

The rules of the shipped standards exercise the keywords through whole bids; here each
keyword is compiled and run directly on a small document, so a keyword no shipped rule uses
(``max_items``) is tested as well as the others, and the test names the keyword that broke.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from ocp_check.catalog import Catalog
from ocp_check.check_base import CheckSpecError, Env, Failure
from ocp_check.checks import CHECKS, compile_check, compile_named_conditions, named_conditions
from ocp_check.loader import Limits
from ocp_check.selectors import Selected, Walker
from ocp_check.workspace import Workspace, load_raw

STANDARD = Catalog([]).resolve("ocp-data-governance@1.1")
DOC = "data-manifest.json"


def run_check(
    spec: Mapping[str, Any],
    data: Any,
    others: Mapping[str, tuple[str, Any]] | None = None,
    params: Mapping[str, Any] | None = None,
    conditions: Mapping[str, Any] | None = None,
) -> Failure | None:
    """Compile ``spec`` against the 1.1 governance standard and judge the root of ``data``.

    ``others`` maps a document kind to (file, data) for the keywords that read other documents.
    """
    named = compile_named_conditions(conditions or {}, STANDARD, "test", {})
    with named_conditions(named):
        check = compile_check(dict(spec), STANDARD, "test")
    files = {DOC: load_raw(DOC, json.dumps(data).encode(), Limits(), fmt="json")}
    documents: dict[str, tuple[str, ...]] = {"data-manifest": (DOC,)}
    for kind, (name, value) in (others or {}).items():
        files[name] = load_raw(name, json.dumps(value).encode(), Limits(), fmt="json")
        documents[kind] = (name,)
    workspace = Workspace(Path("/nonexistent"), Limits(), files)
    root = Selected(DOC, "", data, "")
    env = Env(params or {}, Walker(workspace), documents, root, root)
    return check.evaluate(root, env)[0]


POLICY = {
    "kind": "retention-policy",
    "standard": "ocp-data-retention@1.0",
    "categories": [{"id": "trips"}, {"id": "vehicles"}],
}

#: keyword -> (check, a document it accepts, a document it refuses[, other documents]).
CASES: dict[str, tuple[dict[str, Any], Any, Any, dict[str, tuple[str, Any]]]] = {
    "present": ({"path": "/a", "present": True}, {"a": 1}, {"b": 1}, {}),
    "not_empty": ({"path": "/a", "not_empty": True}, {"a": "x"}, {"a": "  "}, {}),
    "type": ({"path": "/a", "type": "integer"}, {"a": 3}, {"a": True}, {}),
    "equals": ({"path": "/a", "equals": 1}, {"a": 1.0}, {"a": True}, {}),
    "in": ({"path": "/a", "in": ["x", "y"]}, {"a": "y"}, {"a": "z"}, {}),
    "not_in": ({"path": "/a", "not_in": ["x"]}, {"a": "y"}, {"a": "x"}, {}),
    "any_in": ({"path": "/a", "any_in": ["x", "y"]}, {"a": ["q", "y"]}, {"a": ["q"]}, {}),
    "pattern": ({"path": "/a", "pattern": "^[a-z]+$"}, {"a": "abc"}, {"a": "ab1"}, {}),
    "compare": ({"path": "/a", "compare": {"op": "<=", "value": 72}}, {"a": 72}, {"a": 73}, {}),
    "duration": ({"path": "/a", "duration": {"op": "<=", "value": "P1Y"}}, {"a": "P12M"}, {"a": "P13M"}, {}),
    "date": ({"path": "/a", "date": {"op": "<", "value": "2027-01-01"}}, {"a": "2026-12-31"}, {"a": "2027-01-01"}, {}),
    "min_items": ({"path": "/a", "min_items": 2}, {"a": [1, 2]}, {"a": [1]}, {}),
    "max_items": ({"path": "/a", "max_items": 2}, {"a": [1, 2]}, {"a": [1, 2, 3]}, {}),
    "unique": ({"path": "/a", "unique": "/id"}, {"a": [{"id": 1}, {"id": 2}]}, {"a": [{"id": 1}, {"id": 1}]}, {}),
    "schema": ({"path": "/a", "schema": {"type": "string", "maxLength": 3}}, {"a": "abc"}, {"a": "abcd"}, {}),
    "all": ({"all": [{"path": "/a", "present": True}, {"path": "/b", "present": True}]}, {"a": 1, "b": 2}, {"a": 1}, {}),
    "any": ({"any": [{"path": "/a", "present": True}, {"path": "/b", "present": True}]}, {"b": 2}, {"c": 3}, {}),
    "not": ({"not": {"path": "/a", "present": True}}, {"b": 1}, {"a": 1}, {}),
    "count_in": (
        {"path": "/category", "count_in": {"document": "retention-policy", "select": "/categories/*", "key": "/id", "min": 1, "max": 1}},
        {"category": "trips"},
        {"category": "people"},
        {"retention-policy": ("retention-policy.json", POLICY)},
    ),
    "exists_in": (
        {"path": "/category", "exists_in": {"document": "retention-policy", "select": "/categories/*", "key": "/id"}},
        {"category": "vehicles"},
        {"category": "people"},
        {"retention-policy": ("retention-policy.json", POLICY)},
    ),
    "subset_of": (
        {"path": "/categories", "subset_of": {"document": "retention-policy", "select": "/categories/*", "key": "/id"}},
        {"categories": ["trips", "vehicles"]},
        {"categories": ["trips", "people"]},
        {"retention-policy": ("retention-policy.json", POLICY)},
    ),
    "count": (
        {"count": {"select": "/items/*", "where": [{"path": "/ok", "equals": True}], "min": 2}},
        {"items": [{"ok": True}, {"ok": True}, {"ok": False}]},
        {"items": [{"ok": True}, {"ok": False}]},
        {},
    ),
    "same_major_as": (
        {"path": "/standard", "same_major_as": {"document": "retention-policy", "path": "/standard"}},
        {"standard": "ocp-data-governance@1.1"},
        {"standard": "ocp-data-governance@2.0"},
        {"retention-policy": ("retention-policy.json", POLICY)},
    ),
}


def test_every_keyword_has_a_case() -> None:
    assert set(CASES) | {"condition"} == set(CHECKS)


@pytest.mark.parametrize("keyword", sorted(CASES))
def test_a_keyword_accepts_and_refuses(keyword: str) -> None:
    spec, good, bad, others = CASES[keyword]
    assert run_check(spec, good, others) is None
    failure = run_check(spec, bad, others)
    assert failure is not None and failure.detail


def test_condition_uses_a_named_condition() -> None:
    conditions = {"has-owner": [{"path": "/owner", "not_empty": True}]}
    spec = {"path": "/system", "condition": "has-owner"}
    assert run_check(spec, {"system": {"owner": "city"}}, conditions=conditions) is None
    failure = run_check(spec, {"system": {"owner": ""}}, conditions=conditions)
    assert failure is not None and failure.detail == "the condition has-owner does not hold"
    with pytest.raises(CheckSpecError, match="unknown condition"):
        run_check({"path": "/system", "condition": "nobody"}, {})


def test_max_items_counts_and_names_the_limit() -> None:
    failure = run_check({"path": "/a", "max_items": 1}, {"a": ["x", "y", "z"]})
    assert failure == Failure("it has 3 item(s)", "at most 1 item(s)", count=3)
    assert run_check({"path": "/a", "max_items": 0}, {"a": []}) is None
    assert run_check({"path": "/a", "max_items": 1}, {}) is None  # absent: nothing to judge
    not_a_list = run_check({"path": "/a", "max_items": 1}, {"a": "xy"})
    assert not_a_list is not None and not_a_list.detail == "it is string, not a list"


def test_absent_subjects_fail_only_presence_like_checks() -> None:
    """Documented in the module: when the subject is absent, only presence-like checks fail."""
    presence = {"present", "not_empty", "equals", "type", "min_items", "any_in"}
    for keyword in presence:
        spec = {"path": "/missing", keyword: CASES[keyword][0][keyword]}
        assert run_check(spec, {}) is not None, keyword
    for keyword in ("in", "not_in", "pattern", "compare", "duration", "date", "max_items", "unique", "schema"):
        spec = {"path": "/missing", keyword: CASES[keyword][0][keyword]}
        assert run_check(spec, {}) is None, keyword


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"path": "/a", "present": "yes"}, "present takes true or false"),
        ({"path": "/a", "not_empty": False}, "not_empty takes true"),
        ({"path": "/a", "type": "text"}, "type must be one of"),
        ({"path": "/a", "in": "x"}, "a value set is a list"),
        ({"path": "/a", "pattern": "(a"}, "invalid pattern"),
        ({"path": "/a", "compare": {"op": "~", "value": 1}}, "op must be one of"),
        ({"path": "/a", "duration": {"op": "<=", "value": "a year"}}, "is not an ISO 8601 duration"),
        ({"path": "/a", "date": {"op": "<"}}, "date takes"),
        ({"path": "/a", "min_items": -1}, "min_items takes a non-negative integer"),
        ({"path": "/a", "max_items": True}, "max_items takes a non-negative integer"),
        ({"path": "/a", "unique": "id"}, "unique takes a relative pointer"),
        ({"path": "/a", "schema": {"$ref": "https://example.org/s.json"}}, "only use local $ref"),
        ({"count_in": {"document": "retention-policy", "select": "/x"}}, "count_in needs min and/or max"),
        ({"exists_in": {"document": "invoice", "select": "/x"}}, "document must be"),
        ({"count": {"select": "/x"}}, "count needs min and/or max"),
        ({"same_major_as": {"document": "openapi"}}, "same_major_as takes"),
        ({"path": "/a", "present": True, "in": ["x"]}, "exactly one check is needed"),
        ({"path": "a", "present": True}, "path must be a relative JSON Pointer"),
        ({"path": "/a", "present": True, "ignore_case": True}, "unknown option(s) for present"),
    ],
)
def test_a_check_written_wrongly_is_refused_when_it_compiles(spec: dict[str, Any], message: str) -> None:
    with pytest.raises(CheckSpecError) as caught:
        compile_check(spec, STANDARD, "test")
    assert message in str(caught.value)
