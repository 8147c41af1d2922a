"""Golden files: every registered renderer, on the canonical report, byte for byte.

A renderer change shows up as a diff of ``tests/golden/report.*``. After checking that the
change is intended, rewrite the files with ``OCP_UPDATE_GOLDEN=1 pytest tests/render``.
A renderer added to ``RENDERERS`` fails here until its golden file exists.

The OSCAL golden file is stored with its UUIDs numbered in order of first appearance
(``uuid-1``, ``uuid-2``, ...): they are derived from the content (UUID v5), so one changed
finding would otherwise change most of them and hide the real difference. That they are
version 5, unique and that every reference resolves is checked on the raw output.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ocp_check.model import Report
from ocp_check.render import RENDERERS, RenderOptions

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
UPDATE = os.environ.get("OCP_UPDATE_GOLDEN") == "1"

#: File name suffix per format; a format not listed here uses its own name.
EXTENSIONS = {
    "json": "json",
    "text": "txt",
    "sarif": "sarif.json",
    "junit": "junit.xml",
    "markdown": "md",
    "github": "github.txt",
    "html": "html",
    "oscal": "oscal.json",
}

#: Any fixed time would do; it is not the epoch so the SOURCE_DATE_EPOCH path is the one taken.
EPOCH = "1764547200"  # 2025-12-01T00:00:00Z


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def golden_path(name: str) -> Path:
    return GOLDEN / f"report.{EXTENSIONS.get(name, name)}"


def _render(name: str, report: Report) -> bytes:
    return RENDERERS[name](report, RenderOptions()).encode("utf-8")


_UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _number_uuids(rendered: bytes) -> bytes:
    numbers: dict[bytes, bytes] = {}

    def number(match: re.Match[bytes]) -> bytes:
        return numbers.setdefault(match.group(), b"uuid-%d" % (len(numbers) + 1))

    return _UUID.sub(number, rendered)


#: How a format is compared with its golden file (identity for most).
NORMALISE = {"oscal": _number_uuids}


def test_oscal_uuids_are_v5_unique_and_every_reference_resolves(report: Report) -> None:
    data = json.loads(_render("oscal", report))
    owned: list[str] = []
    referenced: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "uuid":
                    owned.append(value)
                elif key.endswith("-uuid") and isinstance(value, str):
                    referenced.append(value)
                elif key == "href" and isinstance(value, str) and value.startswith("#"):
                    referenced.append(value[1:])
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    assert owned and len(owned) == len(set(owned))
    assert all(uuid.UUID(u).version == 5 for u in owned)
    assert referenced and set(referenced) <= set(owned)


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_matches_golden(name: str, report: Report) -> None:
    rendered = NORMALISE.get(name, lambda raw: raw)(_render(name, report))
    path = golden_path(name)
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rendered)
    if not path.exists():
        pytest.fail(f"{path} is missing: run OCP_UPDATE_GOLDEN=1 pytest tests/render")
    expected = path.read_bytes()
    assert rendered == expected, f"{name} output differs from {path.name} (OCP_UPDATE_GOLDEN=1 rewrites it)"


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_rendering_is_deterministic(name: str, report: Report) -> None:
    assert _render(name, report) == _render(name, report)


def test_junit_timestamp_follows_source_date_epoch(report: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    with_epoch = _render("junit", report)
    assert b'timestamp="2025-12-01T00:00:00"' in with_epoch
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert b'timestamp="1970-01-01T00:00:00"' in _render("junit", report)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a number")
    assert b'timestamp="1970-01-01T00:00:00"' in _render("junit", report)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99999999999999")
    assert b'timestamp="1970-01-01T00:00:00"' in _render("junit", report)


def test_only_junit_and_oscal_depend_on_the_clock(report: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    names = list(RENDERERS)
    first = {name: _render(name, report) for name in names}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    second = {name: _render(name, report) for name in names}
    assert {name for name in names if first[name] != second[name]} == {"junit", "oscal"}


def test_json_written_in_pieces_is_the_canonical_text(report: Report) -> None:
    """The JSON report is encoded one submission at a time; joined, the pieces must be the
    canonical encoding of the whole report, for one submission and for several."""
    import dataclasses

    from ocp_check.render import render_chunks
    from ocp_check.render.json import dumps, report_to_dict

    several = dataclasses.replace(report, submissions=report.submissions * 3)
    empty = dataclasses.replace(report, submissions=())
    for case in (report, several, empty):
        pieces = list(render_chunks("json", case, RenderOptions()))
        assert "".join(pieces) == dumps(report_to_dict(case))
    assert len(list(render_chunks("json", several, RenderOptions()))) > 3


_LEAVES = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
_JSON_VALUES = st.recursive(
    _LEAVES,
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner) | st.tuples(inner, inner),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(_JSON_VALUES, st.integers(0, 3))
def test_json_encoder_writes_what_the_standard_library_writes(value: Any, level: int) -> None:
    """The report's own encoder (fast, for indented output) must be byte-identical to
    ``json.dumps(indent=2, ensure_ascii=False, allow_nan=False)``, NaN refused alike."""
    from ocp_check.render.json import dumps
    from ocp_check.sanitize import fix_surrogates

    try:
        expected = json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)
    except ValueError:
        with pytest.raises(ValueError):
            dumps(value, level)
        return
    assert dumps(value, level) == fix_surrogates(expected.replace("\n", "\n" + "  " * level)) + "\n"


def test_json_encoder_defers_unusual_values_to_the_standard_library() -> None:
    """A str or int subclass and a non-string key are written as ``json`` writes them."""
    from enum import Enum

    from ocp_check.render.json import dumps

    class Colour(str, Enum):
        RED = "red"

    value = {"a": [Colour.RED, True, 1.5], 1: {"b": None}, "c": ()}
    assert dumps(value) == json.dumps(value, indent=2, ensure_ascii=False) + "\n"
