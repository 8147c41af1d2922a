"""Reading a standard version from its folder, every file checked against the meta-schemas.

A standard version is a folder of data (``docs/standards-format.md``). Each file is validated
against the project's meta-schemas in ``standards/_meta/`` when it loads; a malformed
standard is the tool's own input, so it raises ``StandardInvalid`` (exit 2) with the file,
line and column of the problem. Standards shipped with the tool are trusted for speed
(``trusted``: their JSON Schemas are not re-checked against the JSON Schema meta-schemas);
the test suite loads every one of them with all checks on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, cast

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError, best_match
from jsonschema.validators import validator_for
from referencing import Registry

from ocp_check import formats
from ocp_check.errors import StandardInvalid
from ocp_check.governance import parse_governance, semantic_problems
from ocp_check.jsondata import JSON
from ocp_check.loader import LoadError, SourceDocument, load_path
from ocp_check.model import DocumentKind, Level, StandardRef
from ocp_check.schema_validators import first_unsafe_pattern, refuse_retrieval
from ocp_check.standards import (
    Clause,
    Parameter,
    RulePackSource,
    Source,
    Standard,
    Term,
    Vocabulary,
    VocabularySource,
    check_parameter_value,
)


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
                registry=Registry(retrieve=refuse_retrieval),  # type: ignore[call-arg]
                format_checker=formats.make_format_checker(),
            )
            cls._cache[name] = found
        return found


def load_data_file(path: Path, display: str) -> SourceDocument:
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


def as_dict(value: JSON) -> dict[str, Any]:
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
    meta_doc = load_data_file(directory / "standard.yaml", f"{display}/standard.yaml")
    check = validate_against_meta if not trusted else _skip_meta
    check(meta_doc, "standard")
    meta = as_dict(meta_doc.data)
    ref = StandardRef(str(meta["id"]), str(meta["version"]))
    if directory.parent.name != ref.id or directory.name != ref.version:
        raise StandardInvalid(
            f"{display}/standard.yaml: declares {ref} but lives in {directory.parent.name}/{directory.name}"
        )

    clauses: list[Clause] = []
    for rel in meta["clause_files"]:
        doc = load_data_file(directory / rel, f"{display}/{rel}")
        check(doc, "clauses")
        for raw in as_dict(doc.data)["clauses"]:
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
        doc = load_data_file(directory / rel, f"{display}/{rel}")
        check(doc, "vocabulary")
        vocab = _vocabulary(as_dict(doc.data))
        if vocab.id in vocabularies:
            raise StandardInvalid(f"{display}/{rel}: vocabulary {vocab.id} is defined twice")
        vocabularies[vocab.id] = vocab

    parameters = {
        name: _parameter(name, spec, f"{display}/standard.yaml", vocabularies)
        for name, spec in as_dict(meta.get("parameters", {})).items()
    }

    raw_schema = meta["schema"]
    schema_files = {"": raw_schema} if isinstance(raw_schema, str) else dict(raw_schema)
    schemas = {key: _load_schema(directory, rel, display, trusted) for key, rel in schema_files.items()}
    extras = tuple(_load_schema(directory, rel, display, trusted) for rel in meta.get("extra_schemas", []))

    completeness = as_dict(meta.get("completeness", {}))
    if completeness and completeness["clause"] not in seen:
        raise StandardInvalid(
            f"{display}/standard.yaml: completeness clause {completeness['clause']} is not a clause"
        )

    packs = []
    for rel in meta.get("rule_packs", []):
        doc = load_data_file(directory / rel, f"{display}/{rel}")
        check(doc, "rule-pack")
        packs.append(RulePackSource(rel, doc))

    governance = parse_governance(as_dict(meta["governance"]))
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
    doc = load_data_file(path, name)
    schema = as_dict(doc.data)
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
