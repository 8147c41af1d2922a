"""The selector language: parsing (what is refused) and walking (what is selected)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ocp_check.loader import Limits, load_bytes
from ocp_check.selectors import Selected, Token, Walker, parse_selector
from ocp_check.workspace import Loaded, Workspace


def select(selector: str, value: Any, files: dict[str, str] | None = None) -> list[tuple[str, str, Any]]:
    loaded = {
        rel: Loaded(rel, "", load_bytes(text.encode(), rel), None) for rel, text in (files or {}).items()
    }
    errors: list[tuple[str, str, str]] = []
    walker = Walker(
        Workspace(Path("/nonexistent"), Limits(), loaded), lambda f, p, m: errors.append((f, p, m))
    )
    found = walker.select(Selected("doc.yaml", "", value, ""), parse_selector(selector))
    return [(s.file, s.pointer, s.key) for s in found]


def test_tokens() -> None:
    assert parse_selector("").tokens == ()
    assert parse_selector("/a/*/{b,c}/**/d~1e~0f").tokens == (
        Token("key", ("a",)),
        Token("any"),
        Token("alt", ("b", "c")),
        Token("deep"),
        Token("key", ("d/e~f",)),
    )


def test_blanks_around_alternative_names_are_not_part_of_the_names() -> None:
    assert parse_selector("/{a, b}").tokens == (Token("alt", ("a", "b")),)
    assert parse_selector("/{ a ,b }").tokens == (Token("alt", ("a", "b")),)
    assert select("/{get, put}", {"get": 1, "put": 2, " put": 3}) == [
        ("doc.yaml", "/get", "get"),
        ("doc.yaml", "/put", "put"),
    ]


@pytest.mark.parametrize("text", ["/{a,,b}", "/{a,}", "/{,a}", "/{ }", "/{a, ,b}"])
def test_an_empty_alternative_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"empty name in"):
        parse_selector(text)


def test_a_selector_starts_with_a_slash() -> None:
    with pytest.raises(ValueError, match="must be empty or start with '/'"):
        parse_selector("a/b")


@pytest.mark.parametrize("token", ["{}", "{a", "a}", "{{a}}"])
def test_braces_that_are_not_an_alternative_are_a_name(token: str) -> None:
    assert parse_selector(f"/{token}").tokens == (Token("key", (token,)),)


def test_array_indices_are_decimal_without_leading_zeros() -> None:
    items = ["a", "b", "c"]
    assert select("/1", items) == [("doc.yaml", "/1", "1")]
    assert select("/0", items) == [("doc.yaml", "/0", "0")]
    assert select("/01", items) == []
    assert select("/00", items) == []
    assert select("/-1", items) == []
    assert select("/3", items) == []
    assert select("/ 1", items) == []
    assert select("/{0,01,2}", items) == [("doc.yaml", "/0", "0"), ("doc.yaml", "/2", "2")]


def test_member_names_that_look_like_indices_are_names() -> None:
    assert select("/01", {"01": True, "1": False}) == [("doc.yaml", "/01", "01")]


def test_wildcards_and_deep_selection() -> None:
    doc = {"a": {"x": 1, "y": [2, 3]}, "b/c": 4}
    assert select("/*", doc) == [("doc.yaml", "/a", "a"), ("doc.yaml", "/b~1c", "b/c")]
    assert select("/a/y/*", doc) == [("doc.yaml", "/a/y/0", "0"), ("doc.yaml", "/a/y/1", "1")]
    assert [p for _, p, _ in select("/**", doc)] == ["", "/a", "/a/x", "/a/y", "/a/y/0", "/a/y/1", "/b~1c"]
    assert select("/*/*", {"a": 1}) == []
    assert select("/b~1c", doc) == [("doc.yaml", "/b~1c", "b/c")]


def test_references_are_followed_once_and_keep_the_referring_name() -> None:
    text = (
        "paths:\n  /a: {$ref: '#/components/A'}\n  /b: {$ref: '#/components/A'}\n"
        "components:\n  A: {get: {$ref: 'other.yaml#/Op'}}\n"
    )
    files = {"doc.yaml": text, "other.yaml": "Op: {summary: hi}\n"}
    doc = load_bytes(text.encode(), "doc.yaml").data
    assert select("/paths/*", doc, files) == [("doc.yaml", "/components/A", "/a")]
    assert select("/paths/*/get", doc, files) == [("other.yaml", "/Op", "get")]


def test_relative_lookups_with_and_without_a_shared_cache() -> None:
    doc = {"a": {"b": [10, 20]}}
    for lookups in (None, {}):
        walker = Walker(Workspace(Path("/nonexistent"), Limits(), {}), lookups=lookups)
        root = Selected("doc.yaml", "", doc, "")
        found = walker.at(root, "/a/b/1")
        assert found is not None and (found.pointer, found.value, found.key) == ("/a/b/1", 20, "1")
        assert walker.at(root, "/a/c") is None
        assert walker.at(root, "/a/b/01") is None
        # The node itself keeps the name it was reached by, even from a shared cache.
        first = walker.at(Selected("doc.yaml", "/a", doc["a"], "a"), "")
        second = walker.at(Selected("doc.yaml", "/a", doc["a"], "alias"), "")
        assert (first.key, second.key) == ("a", "alias")  # type: ignore[union-attr]
        if lookups is not None:
            assert ("doc.yaml", "", "/a/b/1") in lookups and not any(k[2] == "" for k in lookups)


def _walker(files: dict[str, str]) -> tuple[Walker, list[tuple[str, str, str]]]:
    loaded = {rel: Loaded(rel, "", load_bytes(text.encode(), rel), None) for rel, text in files.items()}
    errors: list[tuple[str, str, str]] = []
    return Walker(
        Workspace(Path("/nonexistent"), Limits(), loaded), lambda f, p, m: errors.append((f, p, m))
    ), errors


def test_a_reference_that_cannot_be_followed_is_reported_with_its_reason() -> None:
    walker, errors = _walker({"doc.yaml": "a: {$ref: 'missing.yaml#/X'}\n"})
    doc = load_bytes(b"a: {$ref: 'missing.yaml#/X'}\n", "doc.yaml").data
    walker.select(Selected("doc.yaml", "", doc, ""), parse_selector("/a"))
    assert len(errors) == 1
    file, pointer, message = errors[0]
    assert (file, pointer) == ("doc.yaml", "/a") and isinstance(message, str) and "missing.yaml" in message


def test_a_shared_deep_walk_visits_a_subtree_once_for_all_owners() -> None:
    text = "x: {$ref: '#/c'}\ny: {$ref: '#/c'}\nc: {k: 1}\n"
    walker, _ = _walker({"doc.yaml": text})
    doc = load_bytes(text.encode(), "doc.yaml").data
    assert isinstance(doc, dict)
    walker.shared_deep = set()
    first = walker.select(Selected("doc.yaml", "/x", doc["x"], "x"), parse_selector("/**"))
    second = walker.select(Selected("doc.yaml", "/y", doc["y"], "y"), parse_selector("/**"))
    assert [s.pointer for s in first] == ["/c", "/c/k"]
    assert second == []  # already judged for the first owner
    walker.shared_deep = None
    again = walker.select(Selected("doc.yaml", "/y", doc["y"], "y"), parse_selector("/**"))
    assert [s.pointer for s in again] == ["/c", "/c/k"]
