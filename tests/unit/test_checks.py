"""The check keywords, one edge at a time.

Each test compiles a check as a rule pack would write it and judges small JSON values with it,
so an off-by-one bound, a boolean taken for a number or a blank string taken for a value shows
up as a pass or failure where the other was due.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ocp_check.catalog import Catalog
from ocp_check.check_base import CheckSpecError, Env, Failure, json_equal, show
from ocp_check.checks import compile_check
from ocp_check.loader import Limits, load_bytes
from ocp_check.model import StandardRef
from ocp_check.selectors import Selected, Walker
from ocp_check.workspace import Loaded, Workspace

STANDARD = Catalog(use_env=False).load(StandardRef("ocp-data-governance", "1.1.0"))


def judge(
    spec: dict[str, Any],
    value: Any,
    *,
    params: dict[str, Any] | None = None,
    others: dict[str, Any] | None = None,
) -> Failure | None:
    """Judge ``value`` (the document root, or the node at ``/v`` when ``others`` gives more
    documents) with the check ``spec``."""
    check = compile_check(spec, STANDARD, "test")
    files: dict[str, Loaded] = {}
    documents: dict[str, list[str]] = {}
    for kind, data in (others or {}).items():
        rel = f"{kind}.json"
        doc = load_bytes(json.dumps(data).encode(), rel, fmt="json")
        files[rel] = Loaded(rel, "", doc, None)
        documents[kind] = [rel]
    walker = Walker(Workspace(Path("/nonexistent"), Limits(), files))
    root = Selected("doc.json", "", value, "")
    env = Env(params=params or {}, walker=walker, documents=documents, node=root, root=root)
    return check.evaluate(root, env)[0]


def passes(spec: dict[str, Any], value: Any, **kwargs: Any) -> bool:
    return judge(spec, value, **kwargs) is None


def compile_error(spec: dict[str, Any]) -> str:
    with pytest.raises(CheckSpecError) as caught:
        compile_check(spec, STANDARD, "test")
    return str(caught.value)


# --- present, not_empty, type, equals --------------------------------------------------------


def test_present() -> None:
    assert passes({"present": True}, 0) and passes({"present": True}, False) and passes({"present": True}, "")
    assert not passes({"present": True}, None)
    assert judge({"path": "/x", "present": True}, {}) == Failure("it is missing", "a value")
    assert passes({"path": "/x", "present": False}, {})
    assert judge({"path": "/x", "present": False}, {"x": 1}) == Failure("it is present (1)", "no value")
    assert "present takes true or false" in compile_error({"present": "yes"})


@pytest.mark.parametrize("value", ["", " ", "\t\n", "\u00a0", [], {}])
def test_not_empty_refuses_empty_and_blank_values(value: Any) -> None:
    assert judge({"not_empty": True}, value) == Failure("it is empty", "a non-empty value")


@pytest.mark.parametrize("value", ["x", " x ", 0, False, [None], {"a": None}])
def test_not_empty_accepts_any_value_with_content(value: Any) -> None:
    assert passes({"not_empty": True}, value)


def test_not_empty_on_a_missing_subject() -> None:
    assert judge({"path": "/x", "not_empty": True}, {}) == Failure("it is missing", "a non-empty value")
    assert "not_empty takes true" in compile_error({"not_empty": False})


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        ("number", [1, 0, -3, 1.5, 10**20], [True, False, "1", None]),
        ("integer", [1, 0, -3, 10**20], [1.5, True, "1"]),
        ("boolean", [True, False], [0, 1, "true"]),
        ("string", ["", "x"], [1, None, []]),
        ("array", [[], [1]], [{}, "[]"]),
        ("object", [{}, {"a": 1}], [[], None]),
        ("null", [], [0, "", False, None]),  # null is judged as absent (docs/rules-language.md)
    ],
)
def test_type(kind: str, good: list[Any], bad: list[Any]) -> None:
    for value in good:
        assert passes({"type": kind}, value), (kind, value)
    for value in bad:
        assert not passes({"type": kind}, value), (kind, value)


def test_type_failures_say_what_the_value_is() -> None:
    assert judge({"type": "number"}, True) == Failure("it is boolean", "a number")
    assert judge({"type": "integer"}, 1.5) == Failure("it is number", "a integer")
    assert judge({"path": "/x", "type": "string"}, {}) == Failure("it is missing", "a string")
    assert "type must be one of string, number" in compile_error({"type": "float"})


def test_equals_uses_json_equality() -> None:
    assert passes({"equals": 1}, 1) and passes({"equals": 1}, 1.0)
    assert not passes({"equals": 1}, True) and not passes({"equals": True}, 1)
    assert not passes({"equals": 0}, False) and not passes({"equals": False}, 0)
    assert not passes({"equals": "1"}, 1)
    assert passes({"equals": [1, {"a": True}]}, [1.0, {"a": True}])
    assert not passes({"equals": [1, {"a": True}]}, [1, {"a": 1}])
    assert judge({"equals": "x"}, "y") == Failure("it is y", "x")
    assert judge({"path": "/x", "equals": "x"}, {}) == Failure("it is missing", "x")


def test_json_equal_never_equates_booleans_and_numbers() -> None:
    for a, b in [(True, 1), (False, 0), (1, True), ([True], [1]), ({"a": False}, {"a": 0}), (True, 1.0)]:
        assert not json_equal(a, b), (a, b)
    assert json_equal(True, True) and json_equal(1, 1.0) and json_equal({"a": [1]}, {"a": [1.0]})
    assert not json_equal({"a": 1}, {"a": 1, "b": 2}) and not json_equal([1], [1, 1])
    assert not json_equal(None, 0) and json_equal(None, None) and not json_equal("a", "b")


# --- value sets: in, not_in, any_in, superset_of ---------------------------------------------

SHORT = [1, "a", None]
LONG = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, "x"]  # eight or more: looked up in a set


@pytest.mark.parametrize("values", [SHORT, LONG], ids=["short", "long"])
def test_in_never_takes_a_boolean_for_a_number(values: list[Any]) -> None:
    assert passes({"in": values}, 1) and passes({"in": values}, 1.0)
    assert not passes({"in": values}, True)
    assert not passes({"in": values}, "1")
    assert passes({"not_in": values}, True)
    assert not passes({"not_in": values}, 1)
    assert not passes({"any_in": values}, [True, False])
    assert passes({"any_in": values}, [True, 1])


@pytest.mark.parametrize("values", [[True, "a"], [True, 2, 3, 4, 5, 6, 7, 8, 9]], ids=["short", "long"])
def test_in_never_takes_a_number_for_a_boolean(values: list[Any]) -> None:
    assert passes({"in": values}, True)
    assert not passes({"in": values}, 1)
    assert passes({"not_in": values}, 1)


def test_in_with_arrays_checks_every_item_and_names_the_first_outsider() -> None:
    assert passes({"in": ["a", "b"]}, ["a", "b", "a"])
    assert passes({"in": ["a", "b"]}, [])
    failure = judge({"in": ["alpha", "beta"]}, ["alpha", "betta", "gamma"])
    assert failure is not None
    assert failure.detail == "'betta' is not in alpha, beta"
    assert failure.expected == "alpha, beta"
    assert failure.suggestion_text() == " (did you mean 'beta'?)"
    assert judge({"not_in": ["a", "b"]}, ["c", "b"]) == Failure("'b' is in a, b", "nothing from a, b")


def test_in_passes_an_absent_subject_and_any_in_does_not() -> None:
    assert passes({"path": "/x", "in": ["a"]}, {})
    assert passes({"path": "/x", "not_in": ["a"]}, {})
    assert judge({"path": "/x", "any_in": ["a"]}, {}) == Failure(
        "none of nothing is in a", "at least one of a"
    )
    assert judge({"any_in": ["a"]}, ["b"]) == Failure('none of ["b"] is in a', "at least one of a")
    assert passes({"any_in": ["a"]}, "a") and not passes({"any_in": ["a"]}, "b")


def test_superset_of_needs_every_value_of_the_set_and_names_the_missing_ones() -> None:
    assert passes({"superset_of": ["a", "b"]}, ["b", "c", "a"])
    assert passes({"superset_of": ["a"]}, "a")  # a single value holds itself
    assert judge({"superset_of": ["a", "b", "c"]}, ["b"]) == Failure("missing a, c", "every value of a, b, c")
    many = [f"v{i}" for i in range(10)]
    failure = judge({"superset_of": many}, [])
    assert failure is not None and failure.detail == "missing v0, v1, v2, v3, v4, v5, v6, v7 …"


def test_superset_of_fails_an_absent_subject_unless_the_set_is_empty() -> None:
    assert judge({"path": "/x", "superset_of": ["a"]}, {}) == Failure("missing a", "every value of a")
    assert passes({"path": "/x", "superset_of": []}, {})
    assert passes({"superset_of": []}, [])


@pytest.mark.parametrize("values", [[1, "a"], [1, 2, 3, 4, 5, 6, 7, 8, 9]], ids=["short", "long"])
def test_superset_of_never_takes_a_boolean_for_a_number(values: list[Any]) -> None:
    assert passes({"superset_of": values}, [*values, True])
    assert not passes({"superset_of": values}, [True, *values[1:]])


def test_superset_of_a_parameter_follows_the_value_in_force() -> None:
    name = next(n for n, p in STANDARD.parameters.items() if p.type == "array")
    assert passes({"superset_of": {"param": name}}, ["CA-ON", "CA-QC"], params={name: ["CA-QC"]})
    failure = judge({"superset_of": {"param": name}}, ["CA-ON"], params={name: ["CA-ON", "CA-QC"]})
    assert failure == Failure("missing CA-QC", f"every value of parameter {name} (CA-ON, CA-QC)")
    assert "a value set is a list" in compile_error({"superset_of": "a"})


def test_a_parameter_value_set_shows_the_values_in_force() -> None:
    name = next(n for n, p in STANDARD.parameters.items() if p.type == "array")
    failure = judge({"in": {"param": name}}, "nowhere", params={name: ["CA-ON", "CA-QC"]})
    assert failure is not None
    assert failure.detail == f"'nowhere' is not in parameter {name} (CA-ON, CA-QC)"
    assert passes({"in": {"param": name}}, "CA-QC", params={name: ["CA-ON", "CA-QC"]})
    empty = judge({"in": {"param": name}}, "x", params={name: []})
    assert empty is not None and empty.detail == f"'x' is not in parameter {name} (empty)"
    assert "unknown parameter 'nope'" in compile_error({"in": {"param": "nope"}})


def test_value_sets_are_validated_when_the_pack_loads() -> None:
    assert "unknown vocabulary 'nope'" in compile_error({"in": {"vocabulary": "nope"}})
    assert "a value set is a list" in compile_error({"in": "a"})


# --- pattern ---------------------------------------------------------------------------------


def test_pattern() -> None:
    assert passes({"pattern": "^CA-"}, "CA-ON") and not passes({"pattern": "^CA-"}, "US-NY")
    assert passes({"pattern": ["^a", "^b"]}, "bc")
    assert passes({"pattern": "^ca-", "ignore_case": True}, "CA-ON")
    assert not passes({"pattern": "^ca-"}, "CA-ON")
    assert judge({"pattern": "^a"}, 1) == Failure("it is integer, not text", "text matching ^a")
    assert judge({"pattern": "^a"}, "b") == Failure("'b' does not match ^a", "text matching ^a")
    assert passes({"path": "/x", "pattern": "^a"}, {})
    assert "write the pattern in lower case" in compile_error({"pattern": "^CA", "ignore_case": True})
    assert "ignore_case must be true or false" in compile_error({"pattern": "^a", "ignore_case": "yes"})
    assert "unsafe or invalid pattern" in compile_error({"pattern": "(a"})


# --- compare, duration, date -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "below", "at", "above"),
    [
        ("<", True, False, False),
        ("<=", True, True, False),
        ("==", False, True, False),
        ("!=", True, False, True),
        (">=", False, True, True),
        (">", False, False, True),
    ],
)
def test_compare_at_and_around_the_limit(op: str, below: bool, at: bool, above: bool) -> None:
    spec = {"compare": {"op": op, "value": 72}}
    assert (passes(spec, 71), passes(spec, 72), passes(spec, 73)) == (below, at, above)
    assert passes(spec, 72.0) is at


def test_compare_refuses_booleans_and_text_as_numbers() -> None:
    spec = {"compare": {"op": "<=", "value": 72}}
    assert judge(spec, True) == Failure("true is not a number", "a number ≤ 72")
    assert judge(spec, "24") == Failure("24 is not a number", "a number ≤ 72")
    assert judge(spec, 96) == Failure("96 is not ≤ 72", "≤ 72")
    assert passes({"path": "/x", "compare": {"op": "<=", "value": 72}}, {})


def test_compare_with_a_path_operand() -> None:
    spec = {"path": "/min", "compare": {"op": "<=", "value": {"path": "/max"}}}
    assert passes(spec, {"min": 1, "max": 2}) and not passes(spec, {"min": 3, "max": 2})
    assert passes(spec, {"min": 3})  # nothing to compare with
    assert "must start with '/'" in compile_error({"compare": {"op": "<", "value": {"path": "max"}}})
    assert "op must be one of" in compile_error({"compare": {"op": "=<", "value": 1}})


@pytest.mark.parametrize(
    ("op", "value", "expected"),
    [
        ("<=", "P90D", True),
        ("<=", "P89D", False),
        ("<", "P90D", False),
        ("<", "P91D", True),
        (">=", "P90D", True),
        (">=", "P91D", False),
        (">", "P89D", True),
        (">", "P90D", False),
        ("==", "PT2160H", True),
        ("==", "P3M", False),  # 89 to 92 days: not equal from every start
    ],
)
def test_duration_at_the_limit(op: str, value: str, expected: bool) -> None:
    assert passes({"duration": {"op": op, "value": value}}, "P90D") is expected


def test_duration_messages_and_bad_values() -> None:
    failure = judge({"duration": {"op": "<=", "value": "P183D"}}, "P6M")
    assert failure == Failure("P6M (181–184 days) is not ≤ P183D (183 days)", "≤ P183D (P183D)")
    assert judge({"duration": {"op": "<=", "value": "P1D"}}, "90 days") == Failure(
        "'90 days' is not an ISO 8601 duration", "an ISO 8601 duration such as P1Y or P90D"
    )
    assert not passes({"duration": {"op": "<=", "value": "P1D"}}, 90)
    assert "duration comparisons use" in compile_error({"duration": {"op": "!=", "value": "P1D"}})
    assert "is not an ISO 8601 duration" in compile_error({"duration": {"op": "<", "value": "90"}})


def test_date_with_and_without_a_duration() -> None:
    spec = {"path": "/end", "date": {"op": "<=", "value": {"path": "/start"}, "plus": "P1M"}}
    assert passes(spec, {"start": "2024-01-31", "end": "2024-02-29"})
    failure = judge(spec, {"start": "2024-01-31", "end": "2024-03-01"})
    assert failure == Failure("2024-03-01 is not ≤ 2024-02-29 (2024-01-31 + P1M)", "a date ≤ start + P1M")
    plain = {"path": "/end", "date": {"op": ">", "value": {"path": "/start"}}}
    assert passes(plain, {"start": "2024-01-01", "end": "2024-01-02"})
    assert not passes(plain, {"start": "2024-01-01", "end": "2024-01-01"})
    assert judge(plain, {"start": "2024-01-01", "end": "soon"}) == Failure(
        "'soon' is not a date (YYYY-MM-DD)", "a date"
    )
    assert passes(plain, {"start": "later", "end": "2024-01-01"})


# --- items, unique, count --------------------------------------------------------------------


def test_min_items_both_sides_of_the_bound() -> None:
    spec = {"min_items": 2}
    assert judge(spec, [1]) == Failure("it has 1 item(s)", "at least 2 item(s)", count=1)
    assert passes(spec, [1, 2]) and passes(spec, [1, 2, 3])
    assert judge({"path": "/x", "min_items": 1}, {}) == Failure("it is missing", "at least 1 item(s)")
    assert passes({"path": "/x", "min_items": 0}, {})
    assert judge(spec, "ab") == Failure("it is string, not a list", "a list")


def test_max_items_both_sides_of_the_bound() -> None:
    spec = {"max_items": 2}
    assert passes(spec, []) and passes(spec, [1]) and passes(spec, [1, 2])
    assert judge(spec, [1, 2, 3]) == Failure("it has 3 item(s)", "at most 2 item(s)", count=3)
    assert passes({"path": "/x", "max_items": 0}, {})
    assert passes({"max_items": 0}, []) and not passes({"max_items": 0}, [None])
    assert judge(spec, {"a": 1}) == Failure("it is object, not a list", "a list")
    assert "max_items takes a non-negative integer" in compile_error({"max_items": -1})
    assert "max_items takes a non-negative integer" in compile_error({"max_items": True})
    assert "min_items takes a non-negative integer" in compile_error({"min_items": 1.5})


def test_unique() -> None:
    assert passes({"unique": ""}, [1, "1", True])
    assert judge({"unique": ""}, [1, 2, 1]) == Failure("'1' appears at items 0 and 2", "unique values")
    assert passes({"unique": "/id"}, [{"id": "a"}, {"id": "b"}, {}])
    assert judge({"unique": "/id"}, [{"id": "a"}, {"id": "a"}]) == Failure(
        "'a' appears at items 0 and 1", "unique values"
    )
    assert "unique takes a relative pointer" in compile_error({"unique": "id"})


@pytest.mark.parametrize(
    ("bounds", "results"),
    [
        ({"min": 2}, (False, True, True)),
        ({"max": 2}, (True, True, False)),
        ({"min": 2, "max": 2}, (False, True, False)),
    ],
)
def test_count_bounds_on_both_sides(bounds: dict[str, int], results: tuple[bool, bool, bool]) -> None:
    spec = {"count": {"select": "/*", "where": [{"path": "/on", "equals": True}], **bounds}}
    docs = [[{"on": True}] * n + [{"on": False}, {"on": 1}] for n in (1, 2, 3)]
    assert tuple(passes(spec, d) for d in docs) == results


def test_count_message_names_both_bounds() -> None:
    spec = {"count": {"select": "/*", "min": 1, "max": 2}}
    assert judge(spec, []) == Failure("0 matching node(s) found", "at least 1 and at most 2", count=0)
    assert judge(spec, [1, 2, 3]) == Failure("3 matching node(s) found", "at least 1 and at most 2", count=3)
    assert judge({"path": "/x", "count": {"select": "/*", "min": 1}}, {}) == Failure(
        "0 matching node(s) found", "at least 1", count=0
    )
    assert passes({"path": "/x", "count": {"select": "/*", "max": 1}}, {})
    assert "count needs min and/or max" in compile_error({"count": {"select": "/*"}})
    assert "non-negative integers" in compile_error({"count": {"select": "/*", "min": -1}})
    assert "non-negative integers" in compile_error({"count": {"select": "/*", "max": False}})


# --- schema ----------------------------------------------------------------------------------


def test_inline_schema() -> None:
    spec = {
        "schema": {
            "type": "object",
            "required": ["a"],
            "$defs": {"s": {"type": "string"}},
            "properties": {"a": {"$ref": "#/$defs/s"}},
        }
    }
    assert passes(spec, {"a": "x"})
    failure = judge(spec, {"a": 1})
    assert failure == Failure("1 is not of type 'string'", "a value matching the rule's schema")
    assert passes({"path": "/x", **spec}, {})


@pytest.mark.parametrize(
    "ref", ["other.json", "other.json#/x", "https://example.org/s.json", "file:///etc/passwd", "/abs#/x"]
)
def test_inline_schemas_refuse_every_non_local_ref(ref: str) -> None:
    for key in ("$ref", "$dynamicRef"):
        message = compile_error({"schema": {"properties": {"a": {"items": [{key: ref}]}}}})
        assert message == "test: schema: inline schemas may only use local $ref ('#/...')"


# --- combinations ----------------------------------------------------------------------------


def test_all_any_not() -> None:
    both = {"all": [{"type": "string"}, {"pattern": "^a"}]}
    assert passes(both, "ab") and not passes(both, "b") and not passes(both, 1)
    either = {"any": [{"equals": 1}, {"equals": 2}]}
    assert passes(either, 2)
    assert judge(either, 3) == Failure("it is 3 and it is 3", "1 or 2")
    assert judge({"not": {"equals": 1}}, 1) == Failure("the excluded condition holds", "the opposite")
    assert passes({"not": {"equals": 1}}, 2)
    assert "not takes a check" in compile_error({"not": [{"equals": 1}]})
    assert "any takes a list of checks" in compile_error({"any": []})


# --- cross-document --------------------------------------------------------------------------

MANIFEST = {"data_categories": [{"id": "trips", "personal": True}, {"id": "counts"}, {"id": "trips"}]}


def test_count_in_bounds_on_both_sides() -> None:
    lookup = {"document": "data-manifest", "select": "/data_categories/*", "key": "/id"}
    once = {"count_in": {**lookup, "max": 1}}
    assert passes(once, "counts", others={"data-manifest": MANIFEST})
    assert judge(once, "trips", others={"data-manifest": MANIFEST}) == Failure(
        "'trips' appears 2 time(s) in the data manifest; expected at most 1",
        "at most 1 in the data manifest",
        "",
        count=2,
    )
    twice = {"count_in": {**lookup, "min": 2}}
    assert passes(twice, "trips", others={"data-manifest": MANIFEST})
    failure = judge(twice, "counts", others={"data-manifest": MANIFEST})
    assert failure is not None and failure.detail.endswith(
        "appears 1 time(s) in the data manifest; expected at least 2"
    )
    exactly = {"count_in": {**lookup, "min": 1, "max": 1}}
    assert passes(exactly, "counts", others={"data-manifest": MANIFEST})
    failure = judge(exactly, "nothing", others={"data-manifest": MANIFEST})
    assert failure is not None and failure.expected == "exactly 1 in the data manifest" and failure.count == 0
    between = {"count_in": {**lookup, "min": 1, "max": 3}}
    failure = judge(between, "zzz", others={"data-manifest": MANIFEST})
    assert failure is not None and failure.expected == "between 1 and 3 in the data manifest"
    # Without the document there is nothing to count against.
    assert passes(twice, "counts")


def test_count_in_bounds_are_non_negative_integers() -> None:
    lookup = {"document": "data-manifest", "select": "/data_categories/*", "key": "/id"}
    for bad in ("1", True, -1, 1.5):
        assert "min and max are non-negative integers" in compile_error({"count_in": {**lookup, "max": bad}})
        assert "min and max are non-negative integers" in compile_error({"count_in": {**lookup, "min": bad}})
    assert "count_in needs min and/or max" in compile_error({"count_in": lookup})


def test_exists_in_and_subset_of() -> None:
    lookup = {"document": "data-manifest", "select": "/data_categories/*", "key": "/id"}
    where = {**lookup, "where": [{"path": "/personal", "equals": True}]}
    assert passes({"exists_in": lookup}, ["trips", "counts"], others={"data-manifest": MANIFEST})
    assert not passes({"exists_in": where}, "counts", others={"data-manifest": MANIFEST})
    assert judge({"path": "/x", "exists_in": lookup}, {}, others={"data-manifest": MANIFEST}) == Failure(
        "it is missing, so it cannot be found in the data manifest",
        "a value present in the data manifest",
        count=0,
    )
    failure = judge({"subset_of": lookup}, ["trips", "trip"], others={"data-manifest": MANIFEST})
    assert failure is not None
    assert failure.detail == "'trip' is not among the values in the data manifest (trips, counts, trips)"
    assert failure.suggestion_text() == " (did you mean 'trips'?)"
    assert passes({"path": "/x", "subset_of": lookup}, {}, others={"data-manifest": MANIFEST})


def test_a_lookup_by_member_name() -> None:
    doc = {"components": {"schemas": {"Trip": {}, "Count": {}}}}
    spec = {"in": {"document": "openapi", "select": "/components/schemas/*", "use": "key"}}
    assert passes(spec, "Trip", others={"openapi": doc}) and not passes(spec, "Bike", others={"openapi": doc})


# --- compiling -------------------------------------------------------------------------------


def test_a_check_is_one_keyword_with_its_own_options() -> None:
    assert "exactly one check is needed (found: equals, type)" in compile_error(
        {"equals": 1, "type": "string"}
    )
    assert "exactly one check is needed (found: none)" in compile_error({"path": "/x"})
    assert "unknown option(s) for equals: ignore_case" in compile_error({"equals": 1, "ignore_case": True})
    assert "path must be a relative JSON Pointer" in compile_error({"path": "x", "equals": 1})
    assert "subject may only be 'key'" in compile_error({"subject": "value", "equals": 1})
    assert "use either path or subject: key" in compile_error({"subject": "key", "path": "/x", "equals": 1})


def test_show_cuts_long_values_on_one_line() -> None:
    assert show("a\n  b") == "a b"
    assert show("x" * 100) == "x" * 79 + "…"
    assert show(True) == "true" and show(None) == "null"
    assert show({"b": 1, "a": [1, 2]}) == '{"a": [1, 2], "b": 1}'


# --- named conditions, versions of other documents, the registry ------------------------------


def test_condition_holds_when_every_check_of_the_named_condition_does() -> None:
    from ocp_check.checks import compile_named_conditions, named_conditions

    named = compile_named_conditions({"has-owner": [{"path": "/owner", "not_empty": True}]}, STANDARD, "test", {})
    with named_conditions(named):
        check = {"path": "/system", "condition": "has-owner"}
        compiled = compile_check(check, STANDARD, "test")
    root = Selected("doc.json", "", {"system": {"owner": "city"}}, "")
    env = Env(params={}, walker=Walker(Workspace(Path("/nonexistent"), Limits(), {})), documents={}, node=root, root=root)
    assert compiled.evaluate(root, env)[0] is None
    blank = Selected("doc.json", "", {"system": {"owner": " "}}, "")
    failure = compiled.evaluate(blank, env.moved(blank, blank))[0]
    assert failure == Failure("the condition has-owner does not hold", "a node meeting the condition has-owner")
    assert "unknown condition 'nobody' (defined: none)" in compile_error({"condition": "nobody"})


def test_same_major_as_compares_major_versions_with_every_document_of_the_kind() -> None:
    spec = {"path": "/v", "same_major_as": {"document": "retention-policy", "path": "/standard"}}
    policy = {"retention-policy": {"standard": "ocp-data-retention@1.0"}}
    assert passes(spec, {"v": "ocp-data-governance@1.1"}, others=policy)
    failure = judge(spec, {"v": "ocp-data-governance@2.0"}, others=policy)
    assert failure is not None and failure.expected == "major version 1, as in the retention policy"
    assert judge(spec, {"v": "governance"}, others=policy) == Failure(
        "'governance' is not a standard reference such as id@1.0", "id@MAJOR.MINOR"
    )
    assert passes(spec, {"v": "ocp-data-governance@2.0"})  # no retention policy: nothing to compare
    assert "same_major_as takes" in compile_error({"same_major_as": {"document": "openapi"}})


#: Every keyword of the registry, each tested above on both sides of what it asks.
TESTED = {
    "present", "not_empty", "type", "equals", "in", "not_in", "any_in", "pattern", "compare",
    "duration", "date", "min_items", "max_items", "unique", "schema", "all", "any", "not",
    "count_in", "exists_in", "subset_of", "superset_of", "count", "condition", "same_major_as",
}  # fmt: skip


def test_every_keyword_of_the_rule_language_is_tested_here() -> None:
    from ocp_check.checks import CHECKS

    assert set(CHECKS) == TESTED


@pytest.mark.parametrize(
    ("keyword", "arg"),
    [
        ("in", ["x"]), ("not_in", ["x"]), ("pattern", "^x$"), ("compare", {"op": "<", "value": 1}),
        ("duration", {"op": "<", "value": "P1D"}), ("date", {"op": "<", "value": "2026-01-01"}),
        ("max_items", 1), ("unique", ""), ("schema", {"type": "string"}),
    ],
)  # fmt: skip
def test_an_absent_subject_passes_every_check_that_is_not_about_presence(keyword: str, arg: Any) -> None:
    """Documented in checks.py: only the presence-like checks fail when the subject is absent."""
    assert passes({"path": "/missing", keyword: arg}, {})
