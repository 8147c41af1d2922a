"""Editor support: the schemas ``schema export`` writes, their catalog, and the modeline.

Editors validate and complete YAML while it is typed when they know a file's JSON Schema.
``schema export`` writes every schema a user edits a file against: the documents' schemas
(one per standard version, and per OpenAPI version for the API description) and the tool's
own file formats (city profile, waivers file, project configuration). Next to them it writes
a catalog in SchemaStore's format (``https://json.schemastore.org/schema-catalog.json``) that
maps file names to schemas, for editors that read a catalog.

``init`` starts each template with a yaml-language-server modeline pointing at the schema by
a path relative to the template (the language server reads a relative path from the file's
own folder), so completion works as soon as the file is opened, with nothing to configure
and no network. A relative path, not a URL: the standards are data that a city may install
anywhere, and no URL is promised to serve them.

Pure functions: the CLI writes what they return.
"""

from __future__ import annotations

import copy
import json
import os
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ocp_check.config import CONFIG_NAMES
from ocp_check.errors import UsageError
from ocp_check.scan import WAIVER_FILE_NAMES
from ocp_check.standards import Standard, version_key

CATALOG_NAME = "catalog.json"
CATALOG_SCHEMA = "https://json.schemastore.org/schema-catalog.json"
MODELINE_PREFIX = "# yaml-language-server: $schema="
_DOCUMENT_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class SchemaFile:
    """One schema to write, with what the catalog says about it.

    ``group`` joins the versions of one schema into one catalog entry (its ``versions``);
    ``version`` is None for the tool's own formats, which have one version per release.
    """

    file_name: str
    group: str
    name: str
    description: str
    file_match: tuple[str, ...]
    version: str | None
    schema: dict[str, Any]

    def text(self) -> str:
        return json.dumps(self.schema, indent=2, ensure_ascii=False) + "\n"


def document_schema_name(standard: Standard, key: str = "") -> str:
    """``ID-VERSION.schema.json``, or ``ID-VERSION-openapi-KEY.schema.json`` for keyed schemas."""
    suffix = f"-openapi-{key}" if key else ""
    return f"{standard.ref.id}-{standard.ref.version}{suffix}.schema.json"


def _tool_schema(name: str) -> dict[str, Any]:
    text = resources.files("ocp_check").joinpath(f"schemas/{name}.schema.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def bundled_profile_schema() -> dict[str, Any]:
    """The profile schema with the waiver definition copied in.

    The tool resolves the profile schema's ``$ref`` to the waivers schema through its own
    registry; an editor would try to fetch the ``$id`` URL, which serves nothing. Exported,
    the profile schema therefore carries the definition itself and refers to it locally.
    """
    profile = copy.deepcopy(_tool_schema("profile"))
    waivers = _tool_schema("waivers")
    external = f"{waivers['$id']}#/$defs/waiver"
    items = profile["properties"]["waivers"]["items"]
    if items.get("$ref") != external:  # the shipped schema changed shape: say so, loudly
        raise AssertionError(f"profile schema no longer refers to {external}")
    items["$ref"] = "#/$defs/waiver"
    profile.setdefault("$defs", {})["waiver"] = copy.deepcopy(waivers["$defs"]["waiver"])
    return profile


def tool_schemas() -> list[SchemaFile]:
    """The schemas of the files ``ocp-check`` reads besides the vendor's documents."""
    return [
        SchemaFile(
            "ocp-check-profile.schema.json",
            "profile",
            "ocp-check city profile",
            "A city's profile for ocp-check: versions, parameters, raised levels, disabled "
            "clauses, required documents, local rule packs and waivers.",
            (),
            None,
            bundled_profile_schema(),
        ),
        SchemaFile(
            "ocp-check-waivers.schema.json",
            "waivers",
            "ocp-check waivers file",
            "Accepted deviations from an ocp-check standard: reason, approver, scope, expiry.",
            WAIVER_FILE_NAMES,
            None,
            _tool_schema("waivers"),
        ),
        SchemaFile(
            "ocp-check-config.schema.json",
            "config",
            "ocp-check project configuration",
            "Defaults for 'ocp-check check' in a repository (.ocp-check.yaml).",
            CONFIG_NAMES,
            None,
            _tool_schema("config"),
        ),
    ]


def document_schemas(standards: Sequence[Standard]) -> list[SchemaFile]:
    """Each standard's document schemas. Only single-schema kinds get file names to match:
    an ``openapi.yaml`` may be 3.0 or 3.1, and the catalog cannot tell which."""
    out = []
    for std in standards:
        kind = std.kind.value
        for key, schema in sorted(std.schemas.items()):
            if key:
                what = f"OpenAPI {key} description"
                match: tuple[str, ...] = ()
            else:
                what = std.kind.label
                match = tuple(f"{kind}{suffix}" for suffix in _DOCUMENT_SUFFIXES)
            out.append(
                SchemaFile(
                    document_schema_name(std, key),
                    f"{std.ref.id}{'-openapi-' + key if key else ''}",
                    f"{std.ref.id} {what}",
                    f"{std.title}{f' (OpenAPI {key})' if key else ''}",
                    match,
                    std.ref.version,
                    schema,
                )
            )
    return out


def _url(base_url: str | None, directory: Path, file_name: str) -> str:
    if base_url:
        return f"{base_url.rstrip('/')}/{quote(file_name)}"
    return (directory.resolve() / file_name).as_uri()


def check_base_url(base_url: str | None) -> None:
    """SchemaStore's catalog format allows only https URLs."""
    if base_url is not None and not (base_url.startswith("https://") and len(base_url) > len("https://")):
        raise UsageError(
            f"--base-url {base_url!r} is not an https URL",
            hint="the catalog format accepts only https:// URLs; leave it out for file: URLs",
        )


def catalog(files: Sequence[SchemaFile], directory: Path, base_url: str | None) -> dict[str, Any]:
    """A SchemaStore catalog of ``files``, each group of versions as one entry.

    The entry's ``url`` is the newest version written; ``versions`` lists every version
    written. URLs are
    ``base_url`` + file name, or ``file:`` URIs of the written files when there is no base URL
    (for an editor on the same machine; SchemaStore itself accepts only https).
    """
    groups: dict[str, list[SchemaFile]] = {}
    for item in files:
        groups.setdefault(item.group, []).append(item)
    entries = []
    for members in groups.values():
        members.sort(key=lambda m: version_key(m.version or ""))
        newest = members[-1]
        entry: dict[str, Any] = {
            "name": newest.name,
            "description": newest.description,
        }
        if newest.file_match:
            entry["fileMatch"] = list(newest.file_match)
        entry["url"] = _url(base_url, directory, newest.file_name)
        versions = {m.version: _url(base_url, directory, m.file_name) for m in members if m.version}
        if versions:
            entry["versions"] = versions
        entries.append(entry)
    return {"$schema": CATALOG_SCHEMA, "version": 1, "schemas": entries}


def relative_schema_path(document: Path, schema: Path) -> str:
    """The path of ``schema`` as seen from ``document``'s folder, with forward slashes."""
    rel = os.path.relpath(schema.absolute(), document.absolute().parent)
    return posixpath.join(*Path(rel).parts)


def with_modeline(text: str, schema_path: str) -> str:
    """``text`` with a yaml-language-server modeline first (replacing one already there)."""
    line = f"{MODELINE_PREFIX}{schema_path}\n"
    if text.startswith(MODELINE_PREFIX):
        text = text.split("\n", 1)[1] if "\n" in text else ""
    return line + text
