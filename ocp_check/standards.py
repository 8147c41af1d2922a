"""Standards as data: discovery, validation against the meta-schemas, version resolution.

A standard version is a folder of data (``docs/standards-format.md``). This module finds
them (the copy shipped in the package, ``--standards-path`` folders and the
``OCP_CHECK_STANDARDS_PATH`` environment variable), validates every file against the
project's meta-schemas, and resolves references such as ``ocp-data-governance@1.0``.
A malformed standard is the tool's own input, so it raises ``StandardInvalid`` (exit 2) with
the file, line and column of the problem.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, cast

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import SchemaError, ValidationError, best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT202012

from ocp_check import formats
from ocp_check.ecmaregex import SafePattern, UnsafePattern, compile_safe
from ocp_check.errors import PinMismatch, StandardInvalid, StandardNotFound, UsageError
from ocp_check.governance import Governance, default_rank, parse_governance, semantic_problems
from ocp_check.loader import JSON, LoadError, SourceDocument, load_path
from ocp_check.model import DocumentKind, Level, StandardRef

ENV_STANDARDS_PATH = "OCP_CHECK_STANDARDS_PATH"
_REF_RE = re.compile(r"^([a-z][a-z0-9-]*)(?:@([0-9]+)(?:\.([0-9]+)(?:\.([0-9]+))?)?)?$")
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


def builtin_standards_dir() -> Path:
    """Where the standards shipped with the tool live.

    In a wheel they are copied into the package (``ocp_check/standards``); in a source
    checkout or editable install they are the repository's top-level ``standards/``.
    """
    packaged = Path(__file__).resolve().parent / "standards"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "standards"


def meta_dir() -> Path:
    return builtin_standards_dir() / "_meta"


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
        ``$ref``s (RELIABILITY.md §0.1); the ``retrieve`` callable refuses every URI.
        """
        resources = []
        for schema in [*self.schemas.values(), *self.extra_schemas]:
            uri = schema.get("$id", schema.get("id"))
            if isinstance(uri, str):
                resources.append((uri.rstrip("#"), _resource(schema)))
        registry: Registry[Any] = Registry(retrieve=_refuse_retrieval)  # type: ignore[call-arg]
        return registry.with_resources(resources).crawl()


_SAFE_PATTERNS: dict[str, SafePattern] = {}
_ECMA_CLASSES: dict[type[Any], type[Any]] = {}


def safe_pattern(source: str) -> SafePattern:
    """A schema pattern compiled once for linear-time, ECMA-262 matching."""
    found = _SAFE_PATTERNS.get(source)
    if found is None:
        found = compile_safe(source)
        _SAFE_PATTERNS[source] = found
    return found


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not safe_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties(
    validator: Any, patterns: dict[str, Any], instance: Any, schema: Any
) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        compiled = safe_pattern(pattern)
        for key, value in instance.items():
            if compiled.search(key):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


def ecma_validator_class(cls: type[Any]) -> type[Any]:
    """``cls`` with ``pattern``/``patternProperties`` matched by ``ecmaregex``.

    JSON Schema patterns are ECMA-262 regular expressions; Python's ``re`` differs (``$``
    matches before a final newline, ``\\d`` matches other scripts' digits) and backtracks
    without a time limit. Every pattern of a standard is compiled when the standard loads.
    """
    found = _ECMA_CLASSES.get(cls)
    if found is None:
        keywords = {"pattern": _pattern, "patternProperties": _pattern_properties}
        found = validators.extend(cls, keywords)  # type: ignore[no-untyped-call]
        _ECMA_CLASSES[cls] = found
    return found


def _portable_schema(node: Any) -> Any:
    """A copy of a schema with every pattern in the Rust rendering of its ECMA-262 meaning.

    Raises ValueError where the copy would not mean the same: two ``patternProperties`` that
    translate alike (one would replace the other), or a pattern that cannot be matched safely.
    """
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str) and not isinstance(node.get("properties"), dict):
                out[key] = _rust_pattern(value)
            elif key == "patternProperties" and isinstance(value, dict):
                props = {}
                for pattern, sub in value.items():
                    rewritten = _rust_pattern(pattern)
                    if rewritten in props:
                        raise ValueError(pattern)
                    props[rewritten] = _portable_schema(sub)
                out[key] = props
            else:
                out[key] = _portable_schema(value)
        return out
    if isinstance(node, list):
        return [_portable_schema(item) for item in node]
    return node


def _rust_pattern(pattern: str) -> str:
    try:
        return safe_pattern(pattern).rust
    except UnsafePattern:
        raise ValueError(pattern) from None


def build_fast_validator(schema: dict[str, Any]) -> Any | None:
    """A jsonschema-rs validator for ``schema`` with the same meaning, or None (see
    ``Standard.fast_validator``).

    Patterns are given in their Rust rendering and matched by Rust's ``regex`` crate, a
    finite automaton (``RegexOptions``): linear in the input, as the python path is. None
    when jsonschema-rs is not installed or rejects the schema (python-jsonschema then does
    all the work); a jsonschema-rs whose API does not fit raises, so tests notice.
    """
    try:
        import jsonschema_rs
    except ImportError:  # the fast path is optional; the python path is always complete
        return None
    try:
        portable = _portable_schema(schema)
    except ValueError:
        return None

    def refuse(uri: str) -> Any:
        raise ValueError(f"no network access: {uri}")

    try:
        return jsonschema_rs.validator_for(
            portable,
            formats=dict(formats.FORMAT_FUNCTIONS),
            validate_formats=True,
            retriever=refuse,
            pattern_options=jsonschema_rs.RegexOptions(),
        )
    except (ValueError, getattr(jsonschema_rs, "ReferencingError", ValueError)):
        return None  # a schema jsonschema-rs does not accept: the python path does it all


def _walk_patterns(node: object) -> Iterator[str]:
    """Every regular expression of a schema: ``pattern`` values and ``patternProperties`` keys.

    A ``pattern`` member of a ``properties`` object names a property, not a regex.
    """
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            pattern = current.get("pattern")
            if isinstance(pattern, str) and not isinstance(current.get("properties"), dict):
                yield pattern
            props = current.get("patternProperties")
            if isinstance(props, dict):
                yield from (k for k in props if isinstance(k, str))
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


def first_unsafe_pattern(schema: object) -> tuple[str, UnsafePattern] | None:
    """The first regular expression of a schema that cannot be matched safely, and why.

    Compiling each one here also fills the cache the validators match with.
    """
    for pattern in sorted(set(_walk_patterns(schema))):
        try:
            safe_pattern(pattern)
        except UnsafePattern as err:
            return pattern, err
    return None


def _resource(schema: dict[str, Any]) -> Resource[Any]:
    return Resource.from_contents(schema, default_specification=DRAFT202012)


def _refuse_retrieval(uri: str) -> Resource[Any]:
    raise NoSuchResource(ref=uri)  # type: ignore[call-arg]


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


class _Meta:
    """The meta-schema validators, built once per process."""

    _cache: dict[str, Draft202012Validator] = {}  # noqa: RUF012 - deliberate process cache

    @classmethod
    def validator(cls, name: str) -> Draft202012Validator:
        found = cls._cache.get(name)
        if found is None:
            schema = json.loads((meta_dir() / f"{name}.schema.json").read_text("utf-8"))
            found = Draft202012Validator(
                schema,
                registry=Registry(retrieve=_refuse_retrieval),  # type: ignore[call-arg]
                format_checker=formats.make_format_checker(),
            )
            cls._cache[name] = found
        return found


def _load_data_file(path: Path, display: str) -> SourceDocument:
    try:
        return load_path(path, display)
    except LoadError as err:
        where = f"{display}:{err.line}:{err.column}" if err.line else display
        raise StandardInvalid(f"{where}: {err.message}") from None


def validate_against_meta(doc: SourceDocument, meta: str) -> None:
    """Raise StandardInvalid naming file:line:col when ``doc`` breaks meta-schema ``meta``."""
    validator = _Meta.validator(meta)
    errors = list(validator.iter_errors(doc.data))
    if not errors:
        return
    err = best_match(errors)
    pointer = "".join(f"/{_escape(str(p))}" for p in err.absolute_path)
    _, line, col = doc.nearest_position(pointer)
    more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
    raise StandardInvalid(
        f"{doc.name}:{line}:{col}: {pointer or '/'}: {_short(err.message)}{more}",
        hint=f"the file must follow standards/_meta/{meta}.schema.json",
    )


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _short(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------- loading


def _as_dict(value: JSON) -> dict[str, Any]:
    return cast(dict[str, Any], value) if isinstance(value, dict) else {}


def _walk_formats(node: object) -> Iterator[str]:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            fmt = current.get("format")
            if isinstance(fmt, str) and not isinstance(current.get("properties"), dict):
                yield fmt
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


def _skip_meta(doc: SourceDocument, meta: str) -> None:
    """Meta-schema validation is skipped for the shipped standards (see ``load_standard``)."""


def load_standard(directory: Path, display_root: str, *, trusted: bool = False) -> Standard:
    """Load and validate one standard version folder.

    ``trusted`` is set for the standards shipped with the tool: the test suite loads every
    one of them with all checks on (meta-schemas, ``check_schema`` of their JSON Schemas,
    which takes seconds for the OpenAPI schemas, and of the inline schemas in their rules),
    so at run time those passes are skipped. The semantic checks (clause references, parameters, patterns, formats) and rule
    compilation always run, and standards from ``--standards-path`` are always checked in full.
    """
    display = f"{display_root}/{directory.parent.name}/{directory.name}"
    meta_doc = _load_data_file(directory / "standard.yaml", f"{display}/standard.yaml")
    check = validate_against_meta if not trusted else _skip_meta
    check(meta_doc, "standard")
    meta = _as_dict(meta_doc.data)
    ref = StandardRef(str(meta["id"]), str(meta["version"]))
    if directory.parent.name != ref.id or directory.name != ref.version:
        raise StandardInvalid(
            f"{display}/standard.yaml: declares {ref} but lives in {directory.parent.name}/{directory.name}"
        )

    clauses: list[Clause] = []
    for rel in meta["clause_files"]:
        doc = _load_data_file(directory / rel, f"{display}/{rel}")
        check(doc, "clauses")
        for raw in _as_dict(doc.data)["clauses"]:
            clauses.append(_clause(raw))
    seen: set[str] = set()
    for clause in clauses:
        if clause.id in seen:
            raise StandardInvalid(f"{display}: clause {clause.id} is defined twice")
        seen.add(clause.id)
    if meta["schema_clause"] not in seen:
        raise StandardInvalid(
            f"{display}/standard.yaml: schema_clause {meta['schema_clause']} is not a clause"
        )

    vocabularies: dict[str, Vocabulary] = {}
    for rel in meta.get("vocabularies", []):
        doc = _load_data_file(directory / rel, f"{display}/{rel}")
        check(doc, "vocabulary")
        vocab = _vocabulary(_as_dict(doc.data))
        if vocab.id in vocabularies:
            raise StandardInvalid(f"{display}/{rel}: vocabulary {vocab.id} is defined twice")
        vocabularies[vocab.id] = vocab

    parameters = {
        name: _parameter(name, spec, f"{display}/standard.yaml", vocabularies)
        for name, spec in _as_dict(meta.get("parameters", {})).items()
    }

    raw_schema = meta["schema"]
    schema_files = {"": raw_schema} if isinstance(raw_schema, str) else dict(raw_schema)
    schemas = {key: _load_schema(directory, rel, display, trusted) for key, rel in schema_files.items()}
    extras = tuple(_load_schema(directory, rel, display, trusted) for rel in meta.get("extra_schemas", []))

    completeness = _as_dict(meta.get("completeness", {}))
    if completeness and completeness["clause"] not in seen:
        raise StandardInvalid(
            f"{display}/standard.yaml: completeness clause {completeness['clause']} is not a clause"
        )

    packs = []
    for rel in meta.get("rule_packs", []):
        doc = _load_data_file(directory / rel, f"{display}/{rel}")
        check(doc, "rule-pack")
        packs.append(RulePackSource(rel, doc))

    governance = parse_governance(_as_dict(meta["governance"]))
    problems = semantic_problems(governance)
    if problems:
        _, line, col = meta_doc.nearest_position("/governance")
        raise StandardInvalid(f"{display}/standard.yaml:{line}:{col}: governance: {problems[0]}")

    return Standard(
        ref=ref,
        title=str(meta["title"]),
        governance=governance,
        supersedes=meta.get("supersedes"),
        publisher=str(meta["publisher"]),
        summary=str(meta["summary"]).strip(),
        kind=DocumentKind(meta["document_kind"]),
        schema_files=schema_files,
        schema_clause=str(meta["schema_clause"]),
        clauses=tuple(clauses),
        parameters=parameters,
        vocabularies=vocabularies,
        rule_packs=tuple(packs),
        directory=directory,
        schemas=schemas,
        extra_schemas=extras,
        completeness_clause=completeness.get("clause"),
        completeness_requires=tuple(DocumentKind(k) for k in completeness.get("requires", [])),
        completeness_optional=tuple(DocumentKind(k) for k in completeness.get("optional", [])),
        trusted=trusted,
    )


def _load_schema(directory: Path, rel: str, display: str, trusted: bool = False) -> dict[str, Any]:
    path = directory / rel
    name = f"{display}/{rel}"
    doc = _load_data_file(path, name)
    schema = _as_dict(doc.data)
    if not schema:
        raise StandardInvalid(f"{name}: a JSON Schema must be an object")
    dialect = schema.get("$schema")
    if dialect not in (
        "https://json-schema.org/draft/2020-12/schema",
        "http://json-schema.org/draft-04/schema#",
    ):
        raise StandardInvalid(
            f"{name}: unsupported JSON Schema dialect {dialect!r}",
            hint="standards use JSON Schema draft 2020-12",
        )
    cls = validator_for(schema, default=Draft202012Validator)
    try:
        if not trusted:
            cls.check_schema(schema)
    except SchemaError as err:
        pointer = "".join(f"/{_escape(str(p))}" for p in err.absolute_path)
        _, line, col = doc.nearest_position(pointer)
        raise StandardInvalid(f"{name}:{line}:{col}: invalid JSON Schema: {_short(err.message)}") from None
    unsafe = first_unsafe_pattern(schema)
    if unsafe is not None:
        raise StandardInvalid(f"{name}: pattern {unsafe[0]!r} cannot be used: {unsafe[1]}")
    unknown = sorted(set(_walk_formats(schema)) - formats.CHECKED_FORMATS)
    if unknown:
        raise StandardInvalid(
            f"{name}: uses formats ocp-check cannot assert: {', '.join(unknown)}",
            hint=f"supported formats: {', '.join(sorted(formats.CHECKED_FORMATS))}",
        )
    return schema


def _clause(raw: dict[str, Any]) -> Clause:
    return Clause(
        id=raw["id"],
        title=raw["title"].strip(),
        text=" ".join(raw["text"].split()),
        level=Level(raw["level"]),
        applies_to=raw["applies_to"],
        verification=raw["verification"],
        sources=tuple(
            Source(
                title=s["title"],
                supports=" ".join(s["supports"].split()),
                basis=s["basis"],
                url=s.get("url"),
                locator=s.get("locator"),
            )
            for s in raw["sources"]
        ),
        attestation=" ".join(raw["attestation"].split()) if raw.get("attestation") else None,
        effective_from=raw.get("effective_from"),
        notes=raw.get("notes"),
    )


def _vocabulary(raw: dict[str, Any]) -> Vocabulary:
    terms = {}
    for t in raw["terms"]:
        terms[t["id"]] = Term(
            id=t["id"],
            label=t.get("label", t["id"]),
            tags=frozenset(t.get("tags", [])),
            deprecated=bool(t.get("deprecated", False)),
            replaced_by=t.get("replaced_by"),
            description=" ".join(str(t.get("description", "")).split()),
            source=t.get("source"),
            iri=t.get("iri"),
        )
    src = raw["source"]
    return Vocabulary(
        id=raw["id"],
        title=raw["title"],
        version=str(raw["version"]),
        source_title=src["title"],
        source_url=src.get("url"),
        terms=terms,
        description=" ".join(str(raw.get("description", "")).split()),
        source_locator=src.get("locator"),
        source_basis=src.get("basis"),
        source_notes=" ".join(str(src.get("notes", "")).split()),
        namespaces=dict(raw.get("namespaces", {})),
        sources=tuple(
            VocabularySource(
                title=str(x["title"]),
                url=x.get("url"),
                locator=x.get("locator"),
                basis=x.get("basis"),
                prefix=x.get("prefix"),
            )
            for x in raw.get("sources", [])
            if isinstance(x, dict) and "title" in x
        ),
    )


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


def _parameter(
    name: str, spec: dict[str, Any], where: str, vocabularies: Mapping[str, Vocabulary]
) -> Parameter:
    vocabulary = spec.get("vocabulary")
    if vocabulary is not None and vocabulary not in vocabularies:
        raise StandardInvalid(f"{where}: parameter {name}: no vocabulary {vocabulary!r} in this standard")
    param = Parameter(
        name=name,
        type=spec["type"],
        default=spec["default"],
        description=" ".join(spec["description"].split()),
        items=spec.get("items"),
        basis=spec.get("basis"),
        minimum=spec.get("minimum"),
        vocabulary=vocabulary,
        terms=frozenset(vocabularies[vocabulary].terms) if vocabulary else frozenset(),
        stricter=spec.get("stricter"),
    )
    problem = check_parameter_value(param, param.default)
    if problem:
        raise StandardInvalid(f"{where}: parameter {name}: default is invalid: {problem}")
    return param


# --------------------------------------------------------------------------- the catalog


@dataclass(frozen=True, slots=True)
class StandardEntry:
    """A standard version found on disk (metadata only; loaded on demand)."""

    ref: StandardRef
    status: str
    kind: str
    title: str
    directory: Path
    trial_use: bool = False

    @property
    def default_rank(self) -> int | None:
        """Preference as the default version (0 best); None: used only when named."""
        return default_rank(self.status, self.trial_use)


def _default_entry(entries: Sequence[StandardEntry]) -> StandardEntry | None:
    """The default version among versions of one standard (see ``Catalog.match``)."""
    ranked = [e for e in entries if e.default_rank is not None]
    if not ranked:
        return None
    return min(ranked, key=lambda e: (e.default_rank, tuple(-n for n in version_key(e.ref.version))))


class Catalog:
    """Every standard version available to a run, and reference resolution.

    Folders are searched in order: the built-in standards, then ``--standards-path``
    folders, then the folders in ``OCP_CHECK_STANDARDS_PATH``, then the user standards folder
    that ``standards install`` writes to (``bundles.user_standards_dir``). The same ``id@version`` in
    two places is an error: a city's standard must never silently shadow a published one.
    """

    def __init__(self, extra_paths: Sequence[Path] = (), *, use_env: bool = True) -> None:
        roots = [builtin_standards_dir(), *extra_paths]
        if use_env:
            env = os.environ.get(ENV_STANDARDS_PATH, "")
            roots.extend(Path(p) for p in env.split(os.pathsep) if p)
            from ocp_check.bundles import user_standards_dir

            installed = user_standards_dir()  # where 'standards install' puts bundles
            if installed.is_dir() and installed.resolve() not in {r.resolve() for r in roots if r.is_dir()}:
                roots.append(installed)
        self.roots = roots
        self._entries: dict[StandardRef, StandardEntry] = {}
        self._loaded: dict[StandardRef, Standard] = {}
        for root in roots:
            self._discover(root)

    def _discover(self, root: Path) -> None:
        if not root.is_dir():
            from ocp_check.errors import UsageError

            raise UsageError(f"standards path {root} is not a folder")
        for std_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))):
            for ver_dir in sorted(p for p in std_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
                meta_path = ver_dir / "standard.yaml"
                if not meta_path.is_file():
                    continue
                display = f"{root.name}/{std_dir.name}/{ver_dir.name}/standard.yaml"
                doc = _load_data_file(meta_path, display)
                if root.resolve() != builtin_standards_dir().resolve():
                    validate_against_meta(doc, "standard")
                meta = _as_dict(doc.data)
                ref = StandardRef(str(meta["id"]), str(meta["version"]))
                if ref in self._entries:
                    raise StandardInvalid(
                        f"{ref} is defined twice: in {self._entries[ref].directory} and in {ver_dir}"
                    )
                gov = _as_dict(meta.get("governance"))
                self._entries[ref] = StandardEntry(
                    ref=ref,
                    status=str(gov.get("status", "draft")),
                    trial_use=gov.get("trial_use") is True,
                    kind=str(meta["document_kind"]),
                    title=str(meta["title"]),
                    directory=ver_dir,
                )

    def entries(self) -> list[StandardEntry]:
        return sorted(self._entries.values(), key=lambda e: (e.ref.id, version_key(e.ref.version)))

    def ids(self) -> list[str]:
        return sorted({e.ref.id for e in self._entries.values()})

    def load(self, ref: StandardRef) -> Standard:
        found = self._loaded.get(ref)
        if found is None:
            entry = self._entries.get(ref)
            if entry is None:
                raise StandardNotFound(f"unknown standard {ref}")
            trusted = entry.directory.parent.parent.resolve() == builtin_standards_dir().resolve()
            found = load_standard(entry.directory, entry.directory.parent.parent.name, trusted=trusted)
            self._loaded[ref] = found
        return found

    def match(self, text: str) -> StandardEntry | None:
        """Resolve ``id``, ``id@1``, ``id@1.0`` or ``id@1.0.2`` to an entry, or None.

        A partial version means the newest matching version that is not withdrawn (``@1.0``
        is the newest 1.0.x), a withdrawn one only when nothing else matches (so a document
        that declares it is told its successor); no version means the default version: the
        newest approved one, else the newest candidate, else the newest draft released for
        trial use (``governance.DEFAULT_RULE``).
        """
        m = _REF_RE.match(text.strip())
        if not m:
            return None
        sid, major, minor, patch = m.groups()
        candidates = [e for e in self._entries.values() if e.ref.id == sid]
        if major is not None:
            candidates = [e for e in candidates if version_key(e.ref.version)[0] == int(major)]
        if minor is not None:
            candidates = [e for e in candidates if version_key(e.ref.version)[1] == int(minor)]
        if patch is not None:
            candidates = [e for e in candidates if version_key(e.ref.version)[2] == int(patch)]
        if major is None:
            return _default_entry(candidates)
        if patch is None:  # a withdrawn version only when nothing else matches
            candidates = [e for e in candidates if e.status != "withdrawn"] or candidates
        if not candidates:
            return None
        return max(candidates, key=lambda e: version_key(e.ref.version))

    def resolve(self, text: str) -> Standard:
        """Like ``match`` but raises StandardNotFound with the available versions, and checks
        a content pin (``ID@VERSION#sha256:…``): other content is ``PinMismatch`` (exit 2)."""
        ref_text, pin = split_pin(text)
        entry = self.match(ref_text)
        if entry is None:
            available = ", ".join(str(e.ref) for e in self.entries()) or "none"
            raise StandardNotFound(f"unknown standard {ref_text!r}", hint=f"available: {available}")
        standard = self.load(entry.ref)
        if pin is not None and standard.sha256 != pin:
            raise PinMismatch(
                f"{standard.ref} is pinned to content sha256:{pin}, but the copy here "
                f"({standard.directory}) has sha256:{standard.sha256}",
                hint="the text differs from the one pinned; get the pinned text (a bundle) or change the pin deliberately",
            )
        return standard

    def newest_for_kind(self, kind: DocumentKind) -> Standard | None:
        """The default version of the standard that governs documents of ``kind``."""
        entries = [e for e in self._entries.values() if e.kind == kind.value and e.default_rank is not None]
        if not entries:
            return None
        ids = sorted({e.ref.id for e in entries})
        # One standard id per kind is the norm; with several, the first id in order wins.
        best = _default_entry([e for e in entries if e.ref.id == ids[0]])
        return self.load(best.ref) if best else None

    def newest_draft_for_kind(self, kind: DocumentKind) -> Standard | None:
        """The newest draft for ``kind`` when the kind has no default version: what ``init``
        starts a document from while its standard is still a draft."""
        entries = [e for e in self._entries.values() if e.kind == kind.value and e.status == "draft"]
        if not entries:
            return None
        return self.load(max(entries, key=lambda e: (e.ref.id, version_key(e.ref.version))).ref)

    def find_ref(self, ref_text: str) -> StandardRef | None:
        entry = self.match(ref_text)
        return entry.ref if entry else None
