"""The official output schemas in ``tests/schemas/`` are the upstream files, unmodified.

Their README lists each file with the SHA-256 of the upstream copy; a schema edited by hand
(to make a failing report pass, say) no longer matches and fails here. Every vendored file is
listed, and every listed file has its licence beside it.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

SCHEMAS = Path(__file__).resolve().parent / "schemas"
_ROW = re.compile(r"^\| `(?P<file>[^`]+)` \|.*\| `(?P<sha>[0-9a-f]{64})` \|$", re.MULTILINE)


def _listed() -> dict[str, str]:
    return {m["file"]: m["sha"] for m in _ROW.finditer((SCHEMAS / "README.md").read_text("utf-8"))}


def test_every_vendored_schema_is_the_upstream_file() -> None:
    listed = _listed()
    assert len(listed) == 5
    for name, sha in listed.items():
        assert hashlib.sha256((SCHEMAS / name).read_bytes()).hexdigest() == sha, name


def test_every_file_is_listed_and_licensed() -> None:
    present = {
        p.relative_to(SCHEMAS).as_posix()
        for p in SCHEMAS.rglob("*")
        if p.is_file() and not p.name.startswith(("README", "LICENSE"))
    }
    assert present == set(_listed())
    for name in present:
        folder = (SCHEMAS / name).parent
        licences = [*folder.glob("LICENSE*"), *folder.parent.glob("LICENSE*")]
        assert licences, f"no licence beside {name}"
