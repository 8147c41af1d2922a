"""The JSON data model every stage works on, and RFC 6901 JSON Pointers into it.

Whatever a vendor wrote (YAML or JSON), the loader turns it into this model: string keys,
no NaN, no dates, no cycles. Findings name places in it by JSON Pointer.
"""

from __future__ import annotations

import re
from typing import TypeAlias

JSON: TypeAlias = bool | int | float | str | list["JSON"] | dict[str, "JSON"] | None


def escape_token(token: str) -> str:
    """Escape one reference token (``~`` first, so ``/`` never turns into ``~01``)."""
    if "~" not in token and "/" not in token:
        return token
    return token.replace("~", "~0").replace("/", "~1")


def pointer_join(pointer: str, token: str | int) -> str:
    """Append one token: ``pointer_join("/a", "b/c") == "/a/b~1c"``."""
    return f"{pointer}/{escape_token(str(token))}"


def split_pointer(pointer: str) -> list[str]:
    """Unescaped tokens; ``""`` (the root) gives ``[]``. A pointer without a leading ``/`` is a
    bug in the caller, not in the vendor's file, so it raises ValueError."""
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON pointer: {pointer!r}")
    if "~" not in pointer:
        return pointer[1:].split("/")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


_INDEX = re.compile(r"0|[1-9][0-9]{0,17}")  # an array index token: decimal, no leading zero


def array_index(token: str) -> int | None:
    """The array index a pointer token names, or None (RFC 6901: ASCII digits, no leading
    zero). ``str.isdigit`` is not the test: it accepts ``²`` and ``١``, which ``int`` then
    rejects or, worse, reads as 1."""
    return int(token) if _INDEX.fullmatch(token) else None
