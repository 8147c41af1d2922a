"""The selector language: JSON Pointers with wildcards that follow ``$ref``.

Syntax (``docs/rules-language.md``): RFC 6901 tokens, plus ``*`` (every member or item),
``{a,b,c}`` (any of the listed member names) and ``**`` (the node and all descendants).
The walk follows ``$ref`` wherever it meets one, through the workspace (so confined to the
root), and visits each (file, pointer) at most once per selection, which makes cycles in
component schemas harmless and keeps the cost linear in the size of what is reachable.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ocp_check.jsondata import JSON, array_index, escape_token, split_pointer
from ocp_check.workspace import Node, Workspace

_ALT = re.compile(r"^\{([^{}]+)\}$")


@dataclass(frozen=True, slots=True)
class Token:
    """One selector step: ``key`` (a name), ``any`` (``*``), ``alt`` (names) or ``deep``."""

    kind: str
    names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Selector:
    text: str
    tokens: tuple[Token, ...]


@dataclass(frozen=True, slots=True)
class Selected:
    """A selected node: where it lives (after following ``$ref``) and the name it had."""

    file: str
    pointer: str
    value: JSON
    key: str


def parse_selector(text: str) -> Selector:
    """Parse a selector; raise ValueError with a readable reason when it is malformed."""
    if text and not text.startswith("/"):
        raise ValueError(f"selector {text!r} must be empty or start with '/'")
    tokens: list[Token] = []
    for raw in split_pointer(text):
        if raw == "*":
            tokens.append(Token("any"))
        elif raw == "**":
            tokens.append(Token("deep"))
        else:
            m = _ALT.match(raw)
            if m:
                names = tuple(n.strip() for n in m.group(1).split(","))
                if not all(names):
                    raise ValueError(f"selector {text!r}: empty name in {raw!r}")
                tokens.append(Token("alt", names))
            else:
                tokens.append(Token("key", (raw,)))
    return Selector(text, tuple(tokens))


RefErrorFn = Callable[[str, str, str], None]


@functools.lru_cache(maxsize=1024)
def _tokens(relative: str) -> tuple[str, ...]:
    """The tokens of a rule's relative path, split once: rules ask for the same few paths on
    every node of every document."""
    return tuple(split_pointer(relative))


def _children(node: Selected) -> Iterator[Selected]:
    value = node.value
    if isinstance(value, dict):
        for key, child in value.items():
            yield Selected(node.file, f"{node.pointer}/{escape_token(key)}", child, key)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield Selected(node.file, f"{node.pointer}/{index}", child, str(index))


def _child(node: Selected, name: str) -> Selected | None:
    value = node.value
    if isinstance(value, dict):
        if name in value:
            return Selected(node.file, f"{node.pointer}/{escape_token(name)}", value[name], name)
        return None
    if isinstance(value, list):
        index = array_index(name)
        if index is not None and index < len(value):
            return Selected(node.file, f"{node.pointer}/{index}", value[index], name)
    return None


class Walker:
    """Follows ``$ref`` for one selection; remembers visited nodes and reference errors."""

    def __init__(
        self,
        workspace: Workspace,
        on_ref_error: RefErrorFn | None = None,
        lookups: dict[tuple[str, str, str], Selected | None] | None = None,
    ) -> None:
        self.workspace = workspace
        self.on_ref_error = on_ref_error
        self.shared_deep: set[tuple[str, str]] | None = None
        # (file, pointer, relative path) -> what ``at`` found: shared by the rules judging one
        # document, which ask the same few paths (``personal``, ``purposes``) of the same nodes.
        self.lookups = lookups

    def deref(self, node: Selected) -> Selected:
        value = node.value
        if type(value) is not dict or not isinstance(value.get("$ref"), str):
            return node

        def report(at: Node, message: str) -> None:
            if self.on_ref_error:
                self.on_ref_error(at.file, at.pointer, message)

        target = self.workspace.follow(Node(node.file, node.pointer, node.value), report)
        return Selected(target.file, target.pointer, target.value, node.key)

    def select(self, start: Selected, selector: Selector) -> list[Selected]:
        current = [self.deref(start)]
        for token in selector.tokens:
            seen: set[tuple[str, str]] = set()
            following: list[Selected] = []

            def add(
                candidate: Selected, bucket: list[Selected] = following, seen: set[tuple[str, str]] = seen
            ) -> None:
                resolved = self.deref(candidate)
                ident = (resolved.file, resolved.pointer)
                if ident not in seen:
                    seen.add(ident)
                    bucket.append(resolved)

            for node in current:
                if token.kind == "key":
                    child = _child(node, token.names[0])
                    if child is not None:
                        add(child)
                elif token.kind == "alt":
                    for name in token.names:
                        child = _child(node, name)
                        if child is not None:
                            add(child)
                elif token.kind == "any":
                    for child in _children(node):
                        add(child)
                else:
                    # With a shared set (``for_each`` over many owners), a subtree already
                    # walked for an earlier owner is not walked again: linear overall.
                    deep_seen = self.shared_deep if self.shared_deep is not None else seen
                    stack = [node]
                    while stack:
                        item = stack.pop()
                        resolved = self.deref(item)
                        ident = (resolved.file, resolved.pointer)
                        if ident in deep_seen and (deep_seen is not seen or ident in seen):
                            continue
                        deep_seen.add(ident)
                        seen.add(ident)
                        following.append(resolved)
                        stack.extend(reversed(list(_children(resolved))))
            current = following
        return current

    def at(self, node: Selected, relative: str) -> Selected | None:
        """The node at a relative pointer below ``node`` (following ``$ref``), or None."""
        lookups = self.lookups
        if lookups is None or not relative:  # the node itself keeps its own key: not shared
            return self._at(node, relative)
        key = (node.file, node.pointer, relative)
        if key in lookups:
            return lookups[key]
        found = lookups[key] = self._at(node, relative)
        return found

    def _at(self, node: Selected, relative: str) -> Selected | None:
        current: Selected | None = self.deref(node)
        for token in _tokens(relative):
            if current is None:
                return None
            child = _child(current, token)
            current = self.deref(child) if child is not None else None
        return current
