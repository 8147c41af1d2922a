"""Rule test cases: each rule of a standard proves itself on a conformant example.

A case file (``docs/standards-format.md``) names a conformant base submission and, per rule,
mutations (RFC 6902 ``add``/``remove``/``replace``) that keep it passing and mutations that
make exactly that rule fail, with the expected (rule, pointer) findings; a case may set
parameter values as a city profile would, so that a rule is seen to follow its parameter
rather than a number that happens to equal the default. The same data drives the test suite,
``ocp-check standards test`` and the examples that ``ocp-check rules explain`` prints.
"""

from __future__ import annotations

import copy
import json
import tempfile
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ocp_check.catalog import Catalog
from ocp_check.detect import detect
from ocp_check.errors import StandardInvalid
from ocp_check.i18n import _
from ocp_check.jsondata import JSON, split_pointer
from ocp_check.loader import LoadError, load_path
from ocp_check.model import Report
from ocp_check.standard_files import builtin_standards_dir
from ocp_check.standards import Standard, check_parameter_value

CASES_DIR = "cases"


@dataclass(frozen=True)
class Case:
    rule: str
    document: str | None
    passing: tuple[tuple[dict[str, Any], ...], ...]
    failing: tuple[dict[str, Any], ...]
    expect: tuple[tuple[str, str], ...]
    today: str | None = None
    parameters: tuple[tuple[str, JSON], ...] = ()
    # ``fail: []`` is a failing case too: the base itself fails once ``parameters`` are set.
    has_failing: bool = False


@dataclass(frozen=True)
class CaseFile:
    path: Path
    standard: str
    base: Path
    cases: tuple[Case, ...]
    today: str | None = None


def find_case_files(standard: Standard) -> list[Path]:
    """The case files of a standard version: ``cases/*.yaml``, in name order."""
    folder = standard.directory / CASES_DIR
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def load_case_file(path: Path) -> CaseFile:
    try:
        doc = load_path(path, path.name)
    except LoadError as err:
        raise StandardInvalid(f"{path}:{err.line}:{err.column}: {err.message}") from None
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise StandardInvalid(f"{path}: a case file has 'standard', 'base' and a list of 'cases'")
    base = (path.parent / str(data.get("base", ""))).resolve()
    if not base.is_dir():
        base = (builtin_standards_dir() / str(data.get("base", ""))).resolve()
    cases = []
    raw_cases: Any = data["cases"]
    for raw in raw_cases:
        if not isinstance(raw, dict) or "rule" not in raw:
            raise StandardInvalid(f"{path}: every case names its rule")
        passing = raw.get("pass") or []
        if passing and isinstance(passing[0], dict):
            passing = [passing]
        parameters = raw.get("parameters") or {}
        if not isinstance(parameters, dict):
            raise StandardInvalid(f"{path}: case of {raw['rule']}: parameters is a mapping of names to values")
        cases.append(
            Case(
                rule=str(raw["rule"]),
                document=raw.get("document"),
                passing=tuple(tuple(p) for p in passing),
                failing=tuple(raw.get("fail") or ()),
                expect=tuple((str(r), str(p)) for r, p in raw.get("expect") or ()),
                today=str(raw["today"]) if raw.get("today") else None,
                parameters=tuple(sorted(parameters.items())),
                has_failing=raw.get("fail") is not None,
            )
        )
    today = str(data["today"]) if data.get("today") else None
    return CaseFile(path, str(data.get("standard", "")), base, tuple(cases), today)


class MutationError(ValueError):
    pass


def apply_mutations(data: JSON, ops: Sequence[dict[str, Any]]) -> JSON:
    """Apply RFC 6902 add/remove/replace operations to a deep copy of ``data``."""
    result = copy.deepcopy(data)
    for op in ops:
        kind, path = op.get("op"), str(op.get("path", ""))
        tokens = split_pointer(path)
        if not tokens:
            if kind in ("add", "replace"):
                result = copy.deepcopy(op["value"])
                continue
            raise MutationError("cannot remove the root")
        parent: Any = result
        for token in tokens[:-1]:
            parent = parent[int(token)] if isinstance(parent, list) else parent[token]
        last = tokens[-1]
        if isinstance(parent, list):
            index = len(parent) if last == "-" else int(last)
            if kind == "add":
                parent.insert(index, copy.deepcopy(op["value"]))
            elif kind == "remove":
                del parent[index]
            elif kind == "replace":
                parent[index] = copy.deepcopy(op["value"])
            else:
                raise MutationError(f"unknown op {kind!r}")
        elif isinstance(parent, dict):
            if kind in ("add", "replace"):
                if kind == "replace" and last not in parent:
                    raise MutationError(f"replace: {path} does not exist")
                parent[last] = copy.deepcopy(op["value"])
            elif kind == "remove":
                if last not in parent:
                    raise MutationError(f"remove: {path} does not exist")
                del parent[last]
            else:
                raise MutationError(f"unknown op {kind!r}")
        else:
            raise MutationError(f"{path}: parent is not a container")
    return result


def _describe_ops(ops: Sequence[dict[str, Any]]) -> list[str]:
    lines = []
    for op in ops:
        value = ""
        if "value" in op:
            value = " " + json.dumps(op["value"], ensure_ascii=False)[:100]
        lines.append(f"{op.get('op')} {op.get('path')}{value}")
    return lines


def examples_for_rule(standard: Standard, rule_id: str) -> list[str]:
    """Lines describing the passing and failing example of a rule, or [] when none."""
    for path in find_case_files(standard):
        case_file = load_case_file(path)
        for case in case_file.cases:
            if case.rule != rule_id:
                continue
            doc = case.document or standard.kind.value
            folder = f"standards/_examples/{case_file.base.name}/"
            lines = [_("passes: the conformant example {document} in {folder}", document=doc, folder=folder)]
            for ops in case.passing:
                lines.append(_("passes too after: {changes}", changes="; ".join(_describe_ops(ops))))
            if case.failing:
                lines.append(_("fails after: {changes}", changes="; ".join(_describe_ops(case.failing))))
                for rule, pointer in case.expect:
                    lines.append("  " + _("→ finding {rule} at {pointer}", rule=rule, pointer=pointer or "/"))
            return lines
    return []


# --------------------------------------------------------------------------- running


@dataclass(frozen=True)
class CaseOutcome:
    rule: str
    variant: str
    ok: bool
    message: str


def _base_documents(base: Path) -> dict[str, tuple[str, JSON]]:
    """kind -> (relative path, data) for the base submission's documents."""
    out: dict[str, tuple[str, JSON]] = {}
    for path in sorted(base.rglob("*")):
        if path.suffix not in (".yaml", ".yml", ".json") or not path.is_file():
            continue
        doc = load_path(path, path.name)
        found = detect(doc.data)
        if found.kind is not None:
            out[found.kind.value] = (path.relative_to(base).as_posix(), doc.data)
    return out


def _write_tree(base: Path, target: Path, replace: dict[str, JSON]) -> None:
    for path in sorted(base.rglob("*")):
        rel = path.relative_to(base).as_posix()
        dest = target / rel
        if path.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        if rel in replace:
            dest.write_text(json.dumps(replace[rel], indent=1, ensure_ascii=False), "utf-8")
        else:
            dest.write_bytes(path.read_bytes())


def _run_case(
    catalog: Catalog,
    case_file: CaseFile,
    doc_kind: str,
    ops: Sequence[dict[str, Any]],
    today: str | None = None,
    parameters: Mapping[str, Mapping[str, JSON]] | None = None,
) -> tuple[Report, str]:
    """Run the engine on the base submission with ``ops`` applied to one document, and the
    standard's ``parameters`` set as a city profile would set them."""
    import datetime

    from ocp_check.engine import Settings, check

    documents = _base_documents(case_file.base)
    replace: dict[str, JSON] = {}
    if ops:
        rel, data = documents[doc_kind]
        replace[rel] = apply_mutations(data, ops)
    with tempfile.TemporaryDirectory(prefix="ocp-case-") as tmp:
        root = Path(tmp) / "bid"
        root.mkdir()
        _write_tree(case_file.base, root, replace)
        when = today or case_file.today
        settings = Settings(
            standards=(case_file.standard,) if case_file.standard else (),
            narrow=False,  # the version under test, and the other standards as a bid meets them
            today=datetime.date.fromisoformat(when) if when else None,
            parameters={sid: dict(values) for sid, values in (parameters or {}).items()},
            jobs=0,  # in-process: the shipped standards are trusted and cases are many and small
        )
        report = check([str(root)], settings, catalog)
    return report, documents[doc_kind][0] if doc_kind in documents else ""


def findings_for(
    catalog: Catalog,
    case_file: CaseFile,
    doc_kind: str,
    ops: Sequence[dict[str, Any]],
    today: str | None = None,
    parameters: Mapping[str, Mapping[str, JSON]] | None = None,
) -> list[tuple[str, str]]:
    """(rule, pointer) of every active finding once ``ops`` are applied to one document."""
    report, mutated = _run_case(catalog, case_file, doc_kind, ops, today, parameters)
    pairs = []
    for sub in report.submissions:
        for f in sub.findings:
            if not f.active:
                continue
            pointer = f.location.pointer
            if f.location.file != mutated:
                pointer = f"{f.location.file}#{pointer}"
            pairs.append((f.rule, pointer))
    return sorted(pairs)


def base_clause_statuses(catalog: Catalog, case_file: CaseFile, standard: Standard) -> dict[str, str]:
    """The status of each clause of ``standard`` on the unmodified base submission.

    A rule whose clause is ``not-applicable`` on the base needs a passing case of its own:
    the base alone would let a rule that never applies count as tested.
    """
    report, _outcomes = _run_case(catalog, case_file, standard.kind.value, [])
    return {
        c.clause: c.status.value
        for sub in report.submissions
        for c in sub.clauses
        if c.standard == standard.ref
    }


def _parameter_problem(standard: Standard, case: Case) -> str:
    """Why a case's parameter values are not ones a profile could set ("" when they are)."""
    for name, value in case.parameters:
        param = standard.parameters.get(name)
        if param is None:
            return f"unknown parameter {name!r} of {standard.ref}"
        problem = check_parameter_value(param, value)
        if problem:
            return f"parameter {name}: {problem}"
    return ""


def run_cases(
    catalog: Catalog, standard: Standard, rules: Collection[str] | None = None
) -> Iterator[CaseOutcome]:
    """Every case of a standard version: base clean, passes pass, failures fail exactly.

    With ``rules``, only the bases and the cases of those rules run (the test suite changes
    one rule at a time and needs only what judges it).
    """
    paths = find_case_files(standard)
    if not paths:
        yield CaseOutcome("-", "cases", False, f"{standard.ref} has no {CASES_DIR}/*.yaml")
        return
    for path in paths:
        case_file = load_case_file(path)
        base = findings_for(catalog, case_file, standard.kind.value, [])
        yield CaseOutcome(
            "-", f"{path.name}: base", not base, f"base submission findings: {base}" if base else "ok"
        )
        for case in case_file.cases:
            if rules is not None and case.rule not in rules:
                continue
            doc_kind = case.document or standard.kind.value
            problem = _parameter_problem(standard, case)
            if problem:
                yield CaseOutcome(case.rule, "parameters", False, problem)
                continue
            params = {standard.ref.id: dict(case.parameters)}
            for i, ops in enumerate(case.passing):
                got = findings_for(catalog, case_file, doc_kind, ops, case.today, params)
                yield CaseOutcome(
                    case.rule, f"pass[{i}]", not got, f"expected no findings, got {got}" if got else "ok"
                )
            if case.has_failing:
                got = findings_for(catalog, case_file, doc_kind, case.failing, case.today, params)
                want = sorted(case.expect)
                yield CaseOutcome(
                    case.rule, "fail", got == want, "ok" if got == want else f"expected {want}, got {got}"
                )
