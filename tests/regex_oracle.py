"""Helpers shared by the regular-expression tests: the shipped patterns and a Python oracle.

The oracle is Python's ``re`` (ASCII mode) given the ECMA-262 meaning explicitly: ``$`` becomes
``\\Z``, ``.`` and ``\\s`` become their ECMA-262 classes.  On small inputs Python's
backtracking is harmless, and for the constructs both dialects share it is known to be right,
so it is the expectation the RE2 translation is tested against.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]

ECMA_SPACE = "\t\n\x0b\x0c\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_OUTSIDE = {"$": r"\Z", ".": "[^\n\r\u2028\u2029]"}
_ESCAPED_OUTSIDE = {"s": f"[{ECMA_SPACE}]", "S": f"[^{ECMA_SPACE}]"}


def python_oracle(pattern: str) -> str:
    """The Python ``re`` (ASCII) pattern with the ECMA-262 meaning of ``pattern``.

    Covers the constructs of the shipped standards and of the generated patterns in the tests:
    ``$``, ``.``, ``\\s`` and ``\\S`` outside classes (``\\s`` inside a class is not used).
    """
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            following = pattern[index + 1]
            if not in_class and following in _ESCAPED_OUTSIDE:
                out.append(_ESCAPED_OUTSIDE[following])
            else:
                out.append(pattern[index : index + 2])
            index += 2
            continue
        if in_class:
            in_class = char != "]"
            out.append(char)
        elif char == "[":
            in_class = True
            out.append(char)
        else:
            out.append(_OUTSIDE.get(char, char))
        index += 1
    return "".join(out)


def _patterns_in(node: Any) -> Iterator[str]:
    """``pattern`` values (strings or lists of strings) and ``patternProperties`` keys."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            value = current.get("pattern")
            if isinstance(value, str) and not isinstance(current.get("properties"), dict):
                yield value
            elif isinstance(value, list):
                yield from (v for v in value if isinstance(v, str))
            props = current.get("patternProperties")
            if isinstance(props, dict):
                yield from props
            for name, spec in current.items():
                if isinstance(name, str) and name.endswith("_patterns") and isinstance(spec, dict):
                    yield from (v for v in spec.get("default", []) if isinstance(v, str))
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


def shipped_patterns() -> list[str]:
    """Every regular expression of the shipped standards: schemas, rule packs, parameters."""
    found: set[str] = set()
    for path in sorted((REPO / "standards").rglob("*")):
        if path.suffix not in (".json", ".yaml", ".yml") or "_examples" in path.parts:
            continue
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)  # JSON is YAML too
        found.update(_patterns_in(data))
    return sorted(found)
