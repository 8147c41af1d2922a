"""City profiles: tailoring the standards to a jurisdiction without forking them.

A profile selects standard versions, sets parameters, raises clause levels (never lowers
them), disables clauses with a recorded reason, relaxes the documents a submission must hold,
marks the evaluation as the city's, adds local rule packs and carries the city's waivers.
It is the tool's own input: anything wrong with it is a ``ConfigError`` (exit 2) naming the
file, line and column.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from ocp_check import formats
from ocp_check.catalog import Catalog
from ocp_check.errors import ConfigError, OcpCheckError
from ocp_check.i18n import _
from ocp_check.jsondata import JSON, pointer_join
from ocp_check.loader import Limits, LoadError, SourceDocument, load_bytes
from ocp_check.model import DocumentKind, Level
from ocp_check.reading import TOOL_INPUT_LIMIT, ReadError, read_file
from ocp_check.schema_check import headline
from ocp_check.standard_files import validate_against_meta
from ocp_check.standards import RulePackSource, Standard, check_parameter_value
from ocp_check.waivers import CITY, Waiver, parse_waivers


@dataclass(frozen=True)
class Profile:
    """A validated profile, ready for the engine."""

    id: str
    title: str
    source: str
    sha256: str
    city_evaluation: bool
    standards: tuple[str, ...] = ()
    parameters: dict[str, dict[str, JSON]] = field(default_factory=dict)
    levels: dict[tuple[str, str], Level] = field(default_factory=dict)
    #: The clauses the profile disables, with its reason as written (the report's sentence
    #: around it is worded in the run's language by the statuses stage).
    disabled: dict[tuple[str, str], str] = field(default_factory=dict)
    documents: tuple[DocumentKind, ...] | None = None
    rule_packs: tuple[tuple[str, RulePackSource], ...] = ()
    waivers: tuple[Waiver, ...] = ()
    pack_hashes: tuple[tuple[str, str], ...] = ()

    def info(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "path": self.source,
            "sha256": self.sha256,
            "evaluation": "city" if self.city_evaluation else "self-assessment",
            "rule_packs": [{"path": p, "sha256": h} for p, h in self.pack_hashes],
        }


def _negative(level: Level) -> bool:
    return level in (Level.MUST_NOT, Level.SHOULD_NOT)


def _schema(name: str) -> dict[str, Any]:
    text = resources.files("ocp_check").joinpath(f"schemas/{name}.schema.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def _validator() -> Draft202012Validator:
    waivers = _schema("waivers")
    registry: Registry[Any] = Registry().with_resource(
        waivers["$id"], Resource.from_contents(waivers, default_specification=DRAFT202012)
    )
    return Draft202012Validator(
        _schema("profile"), registry=registry, format_checker=formats.make_format_checker()
    )


def _fail(doc: SourceDocument, pointer: str, message: str) -> ConfigError:
    _file, line, col = doc.nearest_position(pointer)
    return ConfigError(f"{doc.name}:{line}:{col}: {message}", hint=_("see docs/profiles.md"))


def read_config(path: Path, display: str, max_bytes: int = TOOL_INPUT_LIMIT) -> tuple[SourceDocument, str]:
    """Load a tool input (profile, rule pack, city waivers) and the SHA-256 of the bytes read.

    Read once, bounded, regular files only (``reading.py``): a FIFO, a device or a file over
    ``max_bytes`` is a ConfigError (exit 2), and the hash is of exactly the bytes judged.
    """
    try:
        raw = read_file(path, max_bytes)
    except ReadError as err:
        if err.missing:
            raise ConfigError(_("{file}: no such file", file=display)) from None
        why = _("cannot read: {reason}", reason=err.reason) if err.code == "unreadable" else err.reason
        raise ConfigError(f"{display}: {why}") from None
    try:
        doc = load_bytes(
            raw, display, fmt="json" if path.suffix == ".json" else "yaml", limits=Limits(max_bytes=max_bytes)
        )
    except LoadError as err:
        where = f"{display}:{err.line}:{err.column}" if err.line else display
        raise ConfigError(f"{where}: {err.message}") from None
    return doc, hashlib.sha256(raw).hexdigest()


def load_profile(path: Path, catalog: Catalog) -> Profile:
    """Read and validate a profile against its schema and against the standards it names."""
    display = str(path)
    doc, digest = read_config(path, display)
    errors = list(_validator().iter_errors(doc.data))
    if errors:
        err = best_match(errors)
        pointer = ""
        for part in err.absolute_path:
            pointer = pointer_join(pointer, part)
        raise _fail(doc, pointer, f"{pointer or '/'}: {' '.join(headline(err).split())[:240]}")
    data: dict[str, Any] = doc.data  # type: ignore[assignment]

    chosen: dict[str, Standard] = {}
    for index, ref in enumerate(data.get("standards", [])):
        try:
            standard = catalog.resolve(ref)
        except OcpCheckError as err:
            raise _fail(doc, f"/standards/{index}", f"{err.message} ({err.hint})") from None
        if standard.ref.id in chosen:
            raise _fail(doc, f"/standards/{index}", _("two versions of {id}", id=standard.ref.id))
        chosen[standard.ref.id] = standard

    def standard_for(sid: str, pointer: str) -> Standard:
        if sid in chosen:
            return chosen[sid]
        entry = catalog.match(sid)
        if entry is None:
            raise _fail(doc, pointer, _("unknown standard {ref}", ref=repr(sid)))
        return catalog.load(entry.ref)

    parameters: dict[str, dict[str, JSON]] = {}
    for sid, values in data.get("parameters", {}).items():
        standard = standard_for(sid, f"/parameters/{sid}")
        for name, value in values.items():
            pointer = f"/parameters/{sid}/{name}"
            param = standard.parameters.get(name)
            if param is None:
                known = ", ".join(sorted(standard.parameters)) or "none"
                raise _fail(
                    doc,
                    pointer,
                    _("{standard} has no parameter {name} (known: {known})", standard=standard.ref, name=repr(name), known=known),
                )
            problem = check_parameter_value(param, value)
            if problem:
                raise _fail(doc, pointer, _("parameter {name}: {problem}", name=name, problem=problem))
        parameters[sid] = dict(values)

    levels: dict[tuple[str, str], Level] = {}
    for sid, clauses in data.get("levels", {}).items():
        standard = standard_for(sid, f"/levels/{sid}")
        for clause_id, level_text in clauses.items():
            pointer = f"/levels/{sid}/{clause_id}"
            clause = standard.clause_index.get(clause_id)
            if clause is None:
                raise _fail(doc, pointer, _("{standard} has no clause {clause}", standard=standard.ref, clause=clause_id))
            level = Level(level_text)
            if level.rank < clause.level.rank:
                raise _fail(
                    doc,
                    pointer,
                    f"a profile may raise a level, not lower it ({clause_id} is {clause.level.value})",
                )
            if _negative(level) != _negative(clause.level) and clause.level is not Level.MAY:
                # SHOULD → MUST NOT would turn "do this" into "never do this".
                raise _fail(
                    doc,
                    pointer,
                    f"a profile may raise a level, not invert it ({clause_id} is {clause.level.value}; "
                    f"{'MUST NOT' if _negative(clause.level) else 'MUST'} is its stronger form)",
                )
            levels[(sid, clause_id)] = level

    disabled: dict[tuple[str, str], str] = {}
    for sid, clauses in data.get("disable", {}).items():
        standard = standard_for(sid, f"/disable/{sid}")
        for clause_id, reason in clauses.items():
            if clause_id not in standard.clause_index:
                raise _fail(
                    doc,
                    f"/disable/{sid}/{clause_id}",
                    _("{standard} has no clause {clause}", standard=standard.ref, clause=clause_id),
                )
            disabled[(sid, clause_id)] = " ".join(reason.split())

    packs: list[tuple[str, RulePackSource]] = []
    pack_hashes: list[tuple[str, str]] = []
    for index, item in enumerate(data.get("rule_packs", [])):
        pack_path = (path.parent / item["path"]).resolve()
        pack_display = str(path.parent / item["path"])
        pack_doc, pack_digest = read_config(pack_path, pack_display)
        try:
            validate_against_meta(pack_doc, "rule-pack")
        except OcpCheckError as err:
            raise ConfigError(err.message, hint=err.hint) from None
        standard = standard_for(item["standard"], f"/rule_packs/{index}/standard")
        source = RulePackSource(item["path"], pack_doc)
        from ocp_check.rules import compile_extra

        try:
            compile_extra(standard, (source,))
        except OcpCheckError as err:
            raise ConfigError(err.message, hint=err.hint) from None
        packs.append((item["standard"], source))
        pack_hashes.append((pack_display, pack_digest))

    documents = tuple(DocumentKind(k) for k in data["documents"]) if "documents" in data else None
    waivers = tuple(
        parse_waivers(data.get("waivers", []), issuer=CITY, source=display, base_pointer="/waivers")
    )
    return Profile(
        id=data["id"],
        title=data["title"],
        source=display,
        sha256=digest,
        city_evaluation=data.get("evaluation") == "city",
        standards=tuple(data.get("standards", [])),
        parameters=parameters,
        levels=levels,
        disabled=disabled,
        documents=documents,
        rule_packs=tuple(packs),
        waivers=waivers,
        pack_hashes=tuple(pack_hashes),
    )


def load_city_waivers(paths: Sequence[Path]) -> tuple[list[Waiver], list[tuple[str, str]]]:
    """City waivers files (``--waivers``): invalid ones are ConfigError. Returns (waivers, hashes)."""
    from ocp_check.waivers import validate_waivers_data

    waivers: list[Waiver] = []
    hashes = []
    for path in paths:
        display = str(path)
        doc, digest = read_config(path, display)
        problems = validate_waivers_data(doc.data)
        if problems:
            first = problems[0]
            raise _fail(doc, first.pointer, f"{first.pointer or '/'}: {first.message}")
        waivers.extend(parse_waivers(doc.data, issuer=CITY, source=display))
        hashes.append((display, digest))
    return waivers, hashes
