"""Detect a document's kind and its declared standard from its content.

Kinds are recognised by content, never by file name (docs/decisions.md, "Kinds come from content"): a manifest or
retention policy says ``kind:``; an OpenAPI description says ``openapi:`` (or ``swagger:``
for the unsupported 2.0). The declared standard is ``standard:`` at the top of a manifest or
retention policy and ``info.x-ocp-standard`` in OpenAPI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ocp_check.i18n import _
from ocp_check.jsondata import JSON
from ocp_check.model import DocumentKind

_OPENAPI_VERSION = re.compile(r"^([0-9]+)\.([0-9]+)\.([0-9]+)(-[0-9A-Za-z.-]+)?$")


@dataclass(frozen=True, slots=True)
class Detection:
    """What the content says about itself.

    ``problem`` is set when the document is recognisably one kind but cannot be checked as
    such (Swagger 2.0, OpenAPI 4, a malformed ``openapi`` field); ``schema_key`` selects
    the schema among several (OpenAPI "3.0", "3.1" or "3.2"). Whether the standard that
    judges the document ships a schema for that key is decided once the standard is known.
    """

    kind: DocumentKind | None
    declared: str | None = None
    declared_pointer: str = ""
    schema_key: str = ""
    problem: str | None = None
    problem_pointer: str = ""


def detect(data: JSON) -> Detection:
    if not isinstance(data, dict):
        return Detection(None)
    if "openapi" in data or "swagger" in data:
        return _detect_openapi(data)
    kind = data.get("kind")
    if isinstance(kind, str):
        try:
            found = DocumentKind(kind)
        except ValueError:
            return Detection(None)
        if found is DocumentKind.OPENAPI:
            return Detection(None)
        declared = data.get("standard")
        return Detection(
            found,
            declared=declared if isinstance(declared, str) else None,
            declared_pointer="/standard",
        )
    return Detection(None)


def _detect_openapi(data: dict[str, JSON]) -> Detection:
    info = data.get("info")
    declared_raw = info.get("x-ocp-standard") if isinstance(info, dict) else None
    declared = declared_raw if isinstance(declared_raw, str) else None

    def found(schema_key: str = "", problem: str | None = None, pointer: str = "") -> Detection:
        return Detection(
            DocumentKind.OPENAPI,
            declared=declared,
            declared_pointer="/info/x-ocp-standard",
            schema_key=schema_key,
            problem=problem,
            problem_pointer=pointer,
        )

    if "swagger" in data and "openapi" not in data:
        return found(
            problem=_("Swagger 2.0 is not supported: convert the description to OpenAPI 3.0, 3.1 or 3.2"),
            pointer="/swagger",
        )
    version = data.get("openapi")
    m = _OPENAPI_VERSION.match(version) if isinstance(version, str) else None
    if not m:
        shown = repr(version)[:60]
        return found(
            problem=_("'openapi' must be a version string such as \"3.1.0\", not {value}", value=shown),
            pointer="/openapi",
        )
    major, minor = int(m.group(1)), int(m.group(2))
    if (major, minor) in ((3, 0), (3, 1), (3, 2)):
        return found(schema_key=f"{major}.{minor}")
    return found(
        problem=_("OpenAPI {version} is not supported: convert it to OpenAPI 3.0, 3.1 or 3.2", version=version),
        pointer="/openapi",
    )
