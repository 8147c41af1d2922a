"""``$ref`` resolution in the workspace: JSON Pointer indices, and chains followed once.

Timing belongs to ``bench/``; here the subject is behaviour: the right target, the same
errors as a walk that remembers nothing, and a number of resolutions linear in the chain.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ocp_check.loader import Limits, SourceDocument, load_bytes
from ocp_check.workspace import MISSING, Loaded, Node, RefError, Workspace, resolve_pointer


def _workspace(data_text: str, name: str = "api.json") -> Workspace:
    doc: SourceDocument = load_bytes(data_text.encode(), name, fmt="json")
    return Workspace(Path("/nonexistent-root"), Limits(), {name: Loaded(name, "0" * 64, doc, None)})


def test_array_indices_are_ascii_digits_only() -> None:
    data = {"allOf": [{"a": 1}, {"b": 2}, {"c": 3}]}
    assert resolve_pointer(data, "/allOf/2") == {"c": 3}
    for token in ("²", "١", "０", "02", "-1", "+1", " 1", "1 "):
        assert resolve_pointer(data, f"/allOf/{token}") is MISSING, token


def _chain(length: int) -> str:
    links = ", ".join(f'"C{i}": {{"$ref": "#/s/C{i + 1}"}}' for i in range(length))
    return f'{{"s": {{{links}, "C{length}": {{"type": "object"}}}}}}'


def test_a_long_chain_resolves_every_link_to_its_end_with_linear_work(monkeypatch) -> None:
    length = 3000
    workspace = _workspace(_chain(length))
    calls = 0
    real = Workspace.resolve

    def counting(self: Workspace, current_file: str, ref: str) -> Node:
        nonlocal calls
        calls += 1
        return real(self, current_file, ref)

    monkeypatch.setattr(Workspace, "resolve", counting)
    doc = workspace.document("api.json")
    assert doc is not None
    for i in range(length):
        start = Node("api.json", f"/s/C{i}", doc.data["s"][f"C{i}"])  # type: ignore[index,call-overload]
        end = workspace.follow(start)
        assert (end.pointer, end.value) == (f"/s/C{length}", {"type": "object"})
    assert calls <= 2 * length  # a walk that remembers nothing makes length²/2


def _naive_follow(workspace: Workspace, node: Node) -> tuple[Node, list[tuple[str, str, str]]]:
    """The walk without memory, as it was: the reference for what ``follow`` must return."""
    errors: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    current = node
    while isinstance(current.value, dict) and isinstance(current.value.get("$ref"), str):
        key = (current.file, current.pointer)
        if key in seen:
            errors.append((node.file, node.pointer, "circular $ref chain"))
            return current, errors
        seen.add(key)
        try:
            current = Workspace.resolve(workspace, current.file, current.value["$ref"])  # type: ignore[arg-type]
        except RefError as err:
            errors.append((current.file, current.pointer, str(err)))
            return current, errors
    return current, errors


@settings(max_examples=150, deadline=None)
@given(
    targets=st.lists(st.one_of(st.none(), st.integers(0, 7), st.just(-1)), min_size=1, max_size=8),
    order=st.permutations(range(8)),
)
def test_memoised_follow_agrees_with_the_walk_that_remembers_nothing(targets, order) -> None:
    """Random reference graphs (chains, cycles, tails into cycles, dangling references),
    followed from every node in a random order: same target, same reported problem."""
    nodes = {}
    for index, target in enumerate(targets):
        if target is None:
            nodes[f"N{index}"] = {"type": "string", "n": index}
        elif target == -1:
            nodes[f"N{index}"] = {"$ref": "#/n/missing"}
        else:
            nodes[f"N{index}"] = {"$ref": f"#/n/N{target % len(targets)}"}
    import json

    text = json.dumps({"n": nodes})
    memo = _workspace(text)
    plain = _workspace(text)
    for index in (i for i in order if i < len(targets)):
        doc = memo.document("api.json")
        assert doc is not None
        start = Node("api.json", f"/n/N{index}", doc.data["n"][f"N{index}"])  # type: ignore[index,call-overload]
        reported: list[tuple[str, str, str]] = []
        end = memo.follow(start, lambda at, message, sink=reported: sink.append((at.file, at.pointer, message)))
        expected, expected_errors = _naive_follow(plain, start)
        assert (end.file, end.pointer) == (expected.file, expected.pointer)
        assert reported == expected_errors
