"""The rules of one evaluation share a walker and their lookups' results (``rules._Scope``):
every rule judged with a scope of its own must give the same findings and clause statuses, on
every shipped rule's failing case and on every example bid. A difference would mean a
lookup's values depend on the rule that asked first."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ocp_check import rules
from ocp_check.api import _options, _prepare, _run
from ocp_check.cases import _run_case, find_case_files, load_case_file
from ocp_check.catalog import Catalog
from ocp_check.model import Report

BIDS = Path(__file__).resolve().parents[2] / "examples" / "bids"


def _alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Judge every rule with a scope (walker, lookup cache) of its own, as before they shared."""
    shared = rules._evaluate_rule

    def alone(rule: Any, roots: Any, ctx: Any, scope: Any) -> Any:
        own = rules._Scope(ctx, {})
        own.documents = scope.documents
        return shared(rule, roots, ctx, own)

    monkeypatch.setattr(rules, "_evaluate_rule", alone)


def _judged(report: Report) -> list[object]:
    out: list[object] = []
    for sub in report.submissions:
        out.append([(f.rule, f.location.file, f.location.pointer, f.message, f.state) for f in sub.findings])
        out.append(list(sub.clauses))
        out.append(sub.folded)
    return out


def _looks_up(rule: rules.Rule) -> bool:
    """Whether a rule reads values through a lookup (what the shared cache holds)."""
    return any(c.documents for c in (rule.check, *rule.when, *rule.for_each_when))


def _failing_cases() -> Iterator[tuple[Any, ...]]:
    """The failing case of every shipped rule that looks values up (the others share only the
    walker, which the example bids cover)."""
    catalog = Catalog([])
    for entry in catalog.entries():
        standard = catalog.load(entry.ref)
        looking = {r.id for r in rules.compile_standard(standard).rules if _looks_up(r)}
        for path in find_case_files(standard):
            case_file = load_case_file(path)
            for case in case_file.cases:
                if case.has_failing and case.rule in looking:
                    kind = case.document or standard.kind.value
                    params = {standard.ref.id: dict(case.parameters)}
                    yield catalog, case_file, kind, case.failing, case.today, params


def test_every_failing_case_is_judged_alike_with_a_scope_per_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    cases = list(_failing_cases())
    assert len(cases) > 10
    shared = [_judged(_run_case(*case)[0]) for case in cases]
    _alone(monkeypatch)
    alone = [_judged(_run_case(*case)[0]) for case in cases]
    for case, one, other in zip(cases, shared, alone, strict=True):
        assert one == other, case[1].path


def test_every_example_bid_is_judged_alike_with_a_scope_per_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    given = {
        "standards": (),
        "profile": None,
        "waivers": (),
        "each": False,
        "today": "2026-12-01",
        "limits": None,
        "jobs": 1,
        "snippets": True,
        "standards_path": (),
        "config": False,
    }
    setup = _prepare(_options((str(BIDS),), given))
    setup = dataclasses.replace(setup, settings=dataclasses.replace(setup.settings, jobs=0))
    shared = _judged(_run(setup, (str(BIDS),)))
    _alone(monkeypatch)
    assert _judged(_run(setup, (str(BIDS),))) == shared
