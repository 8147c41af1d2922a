"""Standards as values: one version, its clauses, parameters, vocabularies and rule packs.

A standard version is a folder of data (``docs/standards-format.md``), read by
``standard_files.py`` and found by ``catalog.py``; this module holds what it is once loaded,
the references that name it (``ID@VERSION``, pinned with ``#sha256:…``), the order of
versions and the content hash that identifies its text.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, cast

from jsonschema import Draft202012Validator
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from referencing import Registry

from ocp_check import formats
from ocp_check.errors import UsageError
from ocp_check.governance import Governance
from ocp_check.jsondata import JSON
from ocp_check.loader import LoadError, SourceDocument
from ocp_check.model import DocumentKind, Level, StandardRef
from ocp_check.schema_validators import (
    build_fast_validator,
    ecma_validator_class,
    refuse_retrieval,
    schema_resource,
)

_VERSION_RE = re.compile(r"^([0-9]+)\.([0-9]+)\.([0-9]+)$")


_PIN_RE = re.compile(r"^sha256:([0-9a-f]{64})$")


def split_pin(text: str) -> tuple[str, str | None]:
    """``id@1.1.0#sha256:HEX`` → (``id@1.1.0``, ``HEX``); without ``#``, (text, None).

    A pin names the exact content a city relies on (the content hash reports record); it is
    accepted on the command line and in profiles, never from a vendor's document.
    """
    ref, sep, pin = text.strip().partition("#")
    if not sep:
        return ref, None
    found = _PIN_RE.match(pin)
    if not found:
        raise UsageError(f"{text!r}: a pin is #sha256: followed by 64 lower-case hex digits")
    return ref, found.group(1)






@dataclass(frozen=True, slots=True)
class Source:
    """A structured citation: what the source is, where, what it supports, how it was read."""

    title: str
    supports: str
    basis: str
    url: str | None = None
    locator: str | None = None


@dataclass(frozen=True, slots=True)
class Clause:
    """A numbered requirement of a standard version."""

    id: str
    title: str
    text: str
    level: Level
    applies_to: str
    verification: str
    sources: tuple[Source, ...]
    attestation: str | None = None
    effective_from: str | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class Parameter:
    """A policy threshold with a documented default that a city profile may override."""

    name: str
    type: str
    default: JSON
    description: str
    items: str | None = None
    basis: str | None = None
    minimum: float | None = None  # for numbers (or numeric array items)
    vocabulary: str | None = None  # strings (or string items) must be terms of this vocabulary
    terms: frozenset[str] = frozenset()
    stricter: str | None = None  # lower | higher | fewer | more: which way of changing it is stricter


@dataclass(frozen=True, slots=True)
class Term:
    id: str
    label: str
    tags: frozenset[str]
    deprecated: bool = False
    replaced_by: str | None = None
    description: str = ""
    source: str | None = None  # where the term comes from, when not the vocabulary's own source
    iri: str | None = None


@dataclass(frozen=True, slots=True)
class VocabularySource:
    """A source a vocabulary draws terms from; ``prefix`` names the terms it covers."""

    title: str
    url: str | None = None
    locator: str | None = None
    basis: str | None = None
    prefix: str | None = None


@dataclass(frozen=True)
class Vocabulary:
    """A controlled vocabulary, versioned with its source."""

    id: str
    title: str
    version: str
    source_title: str
    source_url: str | None
    terms: Mapping[str, Term]
    description: str = ""
    source_locator: str | None = None
    source_basis: str | None = None
    source_notes: str = ""
    namespaces: Mapping[str, str] = field(default_factory=dict)
    sources: tuple[VocabularySource, ...] = ()

    def iri(self, term: Term) -> str | None:
        """The term's IRI: its own, or its prefix expanded with the vocabulary's namespaces."""
        if term.iri:
            return term.iri
        prefix, sep, local = term.id.partition(":")
        base = self.namespaces.get(prefix) if sep else None
        return base + local if base else None

    def source_of(self, term: Term) -> str:
        """Where a term comes from: its own note, else the source for its prefix, else the
        vocabulary's source (title and locator)."""
        if term.source:
            return term.source
        prefix = term.id.partition(":")[0]
        for src in self.sources:
            if src.prefix == prefix:
                return src.title + (f", {src.locator}" if src.locator else "")
        return self.source_title + (f", {self.source_locator}" if self.source_locator else "")

    def ids(self, tags: Iterable[str] = ()) -> frozenset[str]:
        wanted = frozenset(tags)
        if not wanted:
            return frozenset(self.terms)
        return frozenset(t.id for t in self.terms.values() if t.tags & wanted)


@dataclass(frozen=True)
class RulePackSource:
    """A rule pack file as loaded (compiled later by ``rules.py``, which needs positions)."""

    path: str
    document: SourceDocument


@dataclass
class Standard:
    """One standard version, fully loaded and validated."""

    ref: StandardRef
    title: str
    governance: Governance
    supersedes: str | None
    publisher: str
    summary: str
    kind: DocumentKind
    schema_files: Mapping[str, str]
    schema_clause: str
    clauses: tuple[Clause, ...]
    parameters: Mapping[str, Parameter]
    vocabularies: Mapping[str, Vocabulary]
    rule_packs: tuple[RulePackSource, ...]
    directory: Path
    schemas: Mapping[str, dict[str, Any]]
    extra_schemas: tuple[dict[str, Any], ...] = ()
    completeness_clause: str | None = None
    completeness_requires: tuple[DocumentKind, ...] = ()
    # Kinds a submission may hold but need not (the yearly compliance report): judged when
    # present; when absent their standard is not in play and the hub's clauses that need them
    # are not applicable, unless a city profile lists the kind in ``documents:``.
    completeness_optional: tuple[DocumentKind, ...] = ()
    trusted: bool = False  # shipped with the tool; see load_standard
    _validators: dict[str, Validator] = field(default_factory=dict, repr=False)
    _fast: dict[str, Any] = field(default_factory=dict, repr=False)

    @cached_property
    def clause_index(self) -> dict[str, Clause]:
        return {c.id: c for c in self.clauses}

    @property
    def status(self) -> str:
        return self.governance.status

    @property
    def superseded_by(self) -> str | None:
        return self.governance.superseded_by

    @property
    def licence(self) -> str:
        return self.governance.licence

    @cached_property
    def sha256(self) -> str:
        return hash_directory(self.directory)

    @property
    def version_key(self) -> tuple[int, int, int]:
        return version_key(self.ref.version)

    def schema_keys(self) -> list[str]:
        return sorted(self.schema_files)

    def validator(self, key: str = "") -> Validator:
        """The JSON Schema validator for this standard, built once and cached.

        ``key`` selects among several schemas (OpenAPI "3.0" / "3.1"); "" means the only one.
        """
        if key == "":
            key = next(iter(sorted(self.schema_files)))
        cached = self._validators.get(key)
        if cached is None:
            schema = self.schemas[key]
            cls = ecma_validator_class(validator_for(schema, default=Draft202012Validator))
            cached = cls(
                schema,
                registry=self.registry,
                format_checker=formats.make_format_checker(),
            )
            self._validators[key] = cached
        return cached

    def fast_validator(self, key: str = "") -> Any | None:
        """A jsonschema-rs validator with the same semantics, or None when there is none.

        Used only to answer "is this document valid?" quickly (validation of a 13 MB OpenAPI
        description drops from seconds to tens of milliseconds). Findings always come from
        the python-jsonschema path, so reports are identical either way. Its patterns are the
        same ECMA-262 translation (``ecmaregex``) rendered for Rust's ``regex`` crate, and it
        uses the project's own format checkers.
        """
        if key == "":
            key = next(iter(sorted(self.schema_files)))
        if key not in self._fast:
            self._fast[key] = build_fast_validator(self.schemas[key])
        return self._fast[key]

    @cached_property
    def registry(self) -> Registry[Any]:
        """A registry of this standard's schemas that never retrieves anything else.

        Passing an explicit registry is what stops python-jsonschema from fetching remote
        ``$ref``s (docs/decisions.md, "No network, ever"); the ``retrieve`` callable refuses every URI.
        """
        resources = []
        for schema in [*self.schemas.values(), *self.extra_schemas]:
            uri = schema.get("$id", schema.get("id"))
            if isinstance(uri, str):
                resources.append((uri.rstrip("#"), schema_resource(schema)))
        registry: Registry[Any] = Registry(retrieve=refuse_retrieval)  # type: ignore[call-arg]
        return registry.with_resources(resources).crawl()


























def version_key(version: str) -> tuple[int, int, int]:
    m = _VERSION_RE.match(version)
    if not m:
        return (0, 0, 0)
    return (int(m.group(1)), int(m.group(2)), int(m.group(3)))


def hash_directory(directory: Path) -> str:
    """The content SHA-256 of a standard version: every file, in sorted path order.

    Each file contributes its POSIX relative path, a NUL, its bytes with CRLF/CR normalised
    to LF, and a NUL, so a Windows checkout with CRLF line endings hashes the same.
    ``standard.yaml`` contributes its canonical JSON (sorted keys) without its ``governance``
    block: the lifecycle of a version (status, approval, supersession, revision history)
    changes after publication, its content never does, and a city that pinned the content
    keeps its pin when the version is approved or deprecated (``docs/standards-format.md``).
    """
    digest = hashlib.sha256()
    files = sorted(
        (p for p in directory.rglob("*") if p.is_file() and not p.is_symlink()),
        key=lambda p: p.relative_to(directory).as_posix(),
    )
    for path in files:
        rel = path.relative_to(directory).as_posix()
        if "__pycache__" in rel:
            continue
        data = path.read_bytes().replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        if rel == "standard.yaml":
            data = _content_of_metadata(data, rel)
        digest.update(rel.encode("utf-8") + b"\0" + data + b"\0")
    return digest.hexdigest()


def _content_of_metadata(data: bytes, name: str) -> bytes:
    """``standard.yaml`` as canonical JSON without ``governance`` (its bytes if unreadable)."""
    from ocp_check.loader import load_bytes

    try:
        doc = load_bytes(data, name)
    except LoadError:
        return data
    if not isinstance(doc.data, dict):
        return data
    content = {k: v for k, v in doc.data.items() if k != "governance"}
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# --------------------------------------------------------------------------- meta-schemas












# --------------------------------------------------------------------------- loading
















_PARAM_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "duration": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
}


def check_parameter_value(param: Parameter, value: JSON) -> str | None:
    """Return why ``value`` is not valid for ``param``, or None when it is."""
    from ocp_check.durations import DurationError, parse_duration

    def one(kind: str, v: JSON) -> str | None:
        allowed = _PARAM_TYPES[kind]
        if isinstance(v, bool) and bool not in allowed:
            return f"expected {kind}, got a boolean"
        if not isinstance(v, allowed):
            return f"expected {kind}, got {type(v).__name__}"
        if kind == "duration":
            try:
                parse_duration(cast(str, v))
            except DurationError as err:
                return str(err)
        return None

    def bounded(v: JSON) -> str | None:
        if param.minimum is not None and isinstance(v, int | float) and v < param.minimum:
            return f"{v} is below the minimum {param.minimum:g}"
        if param.vocabulary is not None and isinstance(v, str) and v not in param.terms:
            return f"{v!r} is not a term of the {param.vocabulary} vocabulary"
        return None

    values = value if param.type == "array" else [value]
    if param.type == "array" and not isinstance(value, list):
        return "expected an array"
    kind = (param.items or "string") if param.type == "array" else param.type
    for item in cast(list[JSON], values):
        problem = one(kind, item) or bounded(item)
        if problem:
            return problem
    return None




# --------------------------------------------------------------------------- the catalog






