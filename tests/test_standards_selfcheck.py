"""The shipped standards check themselves: valid, complete, sourced, tested, documented.

A standard version fails this suite when a JSON Schema is invalid against its meta-schema,
a rule has no test case, a clause has neither a rule nor an attestation, a rule case does not
give exactly its expected findings, or the generated documentation is stale.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ocp_check.cases import base_clause_statuses, find_case_files, load_case_file, run_cases
from ocp_check.docgen import page_name, standard_markdown
from ocp_check.publication import check_tree
from ocp_check.rules import compile_standard
from ocp_check.standards import Catalog, load_standard

REPO = Path(__file__).resolve().parents[1]
CATALOG = Catalog(use_env=False)
ENTRIES = CATALOG.entries()
IDS = [str(e.ref) for e in ENTRIES]


def test_published_versions_are_unchanged_and_numbers_agree_with_changes():
    """The lock file holds for every published version, and every version number agrees with
    its structured diff from the version it supersedes (or declares what it should have been)."""
    result = check_tree(REPO / "standards")
    assert result.versions == len(ENTRIES)
    assert result.problems == ()


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_standard_loads_with_every_check_on(entry):
    # The runtime trusts the shipped schemas (check_schema is slow); here they are checked.
    standard = load_standard(entry.directory, "standards", trusted=False)
    assert standard.clauses and compile_standard(standard).rules


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_every_clause_is_verifiable_and_sourced(entry):
    standard = CATALOG.load(entry.ref)
    rules = compile_standard(standard).rules
    with_rules = {r.clause for r in rules}
    engine_clauses = {standard.schema_clause, standard.completeness_clause}
    for clause in standard.clauses:
        assert clause.sources, clause.id
        if clause.verification == "attestation":
            assert clause.attestation, clause.id
            assert clause.id not in with_rules, clause.id
        else:
            assert clause.id in with_rules or clause.id in engine_clauses, f"{clause.id} has no rule"


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_every_rule_has_a_failing_case(entry):
    standard = CATALOG.load(entry.ref)
    covered: set[str] = set()
    for path in find_case_files(standard):
        for case in load_case_file(path).cases:
            if case.failing:
                covered.add(case.rule)
    missing = sorted(r.id for r in compile_standard(standard).rules if r.id not in covered)
    assert not missing, f"rules without a failing case: {missing}"


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_every_rule_has_a_passing_case_where_it_applies(entry):
    """An explicit passing case, or a clause that the conformant base really passes."""
    standard = CATALOG.load(entry.ref)
    rules = compile_standard(standard).rules
    with_pass: set[str] = set()
    passing_clauses: set[str] = set()
    for path in find_case_files(standard):
        case_file = load_case_file(path)
        with_pass |= {case.rule for case in case_file.cases if case.passing}
        statuses = base_clause_statuses(CATALOG, case_file, standard)
        passing_clauses |= {c for c, status in statuses.items() if status in ("pass", "attested")}
    missing = [r.id for r in rules if r.id not in with_pass and r.clause not in passing_clauses]
    assert not missing, f"rules never seen passing: {missing}"


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_rule_cases_give_exactly_their_findings(entry):
    standard = CATALOG.load(entry.ref)
    failures = [f"{o.rule} {o.variant}: {o.message}" for o in run_cases(CATALOG, standard) if not o.ok]
    assert not failures, "\n".join(failures[:20])


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_generated_docs_are_current(entry):
    standard = CATALOG.load(entry.ref)
    page = REPO / "docs" / "standards" / page_name(standard)
    assert page.is_file(), f"missing {page}; run: ocp-check standards docs docs/standards"
    assert page.read_text() == standard_markdown(standard), (
        f"{page.name} is stale; run: ocp-check standards docs docs/standards"
    )


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_literal_rule_texts_do_not_escape_braces(entry):
    # Only messages are templates (where `{{` stands for `{`); fix, rationale, help and
    # not_applicable are shown as written, so a doubled brace there would reach the reader.
    for rule in compile_standard(CATALOG.load(entry.ref)).rules:
        for name in ("fix", "rationale", "help", "not_applicable"):
            assert "{{" not in getattr(rule, name), (rule.id, name)
