"""The shipped standards check themselves: valid, complete, sourced, tested, documented.

A standard version fails this suite when a JSON Schema is invalid against its meta-schema,
a rule has no test case, a clause has neither a rule nor an attestation, a rule case does not
give exactly its expected findings, the generated documentation is stale, or a rule's cases
would not notice the rule being changed: every threshold needs a case exactly at it and one
just past it, every parameter a case that sets it, every ``when`` condition a case where it is
false (tests/rule_mutations.py makes each change in memory and runs the cases).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ocp_check.cases import base_clause_statuses, find_case_files, load_case_file, run_cases
from ocp_check.catalog import Catalog
from ocp_check.docgen import languages_with_pages, page_folder, page_name, standard_markdown
from ocp_check.publication import check_tree
from ocp_check.rules import compile_standard
from ocp_check.standard_files import load_standard
from tests.rule_mutations import EQUIVALENT, Mutation, caught, mutations

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
    for language in languages_with_pages(standard)[1:]:
        page = REPO / "docs" / page_folder(language) / page_name(standard)
        fix = f"run: ocp-check standards docs docs/{page_folder(language)} --lang {language}"
        assert page.is_file(), f"missing {page}; {fix}"
        assert page.read_text() == standard_markdown(standard, language), f"{page.name} is stale; {fix}"


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_literal_rule_texts_do_not_escape_braces(entry):
    # Only messages are templates (where `{{` stands for `{`); fix, rationale, help and
    # not_applicable are shown as written, so a doubled brace there would reach the reader.
    for rule in compile_standard(CATALOG.load(entry.ref)).rules:
        for name in ("fix", "rationale", "help", "not_applicable"):
            assert "{{" not in getattr(rule, name), (rule.id, name)


# --- rule cases that notice a changed rule ------------------------------------------------------

_WHAT = {
    "operator": "no case exactly at the threshold",
    "short": "no passing case exactly at the threshold",
    "past": "no failing case just past the threshold",
    "literal": "no case that sets the parameter",
    "condition": "no case where the condition is false and the rule stays silent",
}


def _unnoticed(entry, kinds: tuple[str, ...]) -> list[Mutation]:
    standard = CATALOG.load(entry.ref)
    return [
        m
        for m in mutations(standard)
        if m.kind in kinds
        and (str(entry.ref), m.rule, m.where) not in EQUIVALENT
        and not caught(CATALOG, standard, m)
    ]


def _no_gaps(found: list[Mutation]) -> None:
    """Every shipped rule's cases notice every change: no allow-list, no exception but the
    equivalent changes of tests/rule_mutations.py, each with its reason."""
    assert not found, _explain(found)


def _explain(found: list[Mutation]) -> str:
    return "\n".join(f"{m.rule} {m.where}: {_WHAT[m.kind]} ({m.description})" for m in found)


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_every_threshold_has_a_case_at_it_and_one_just_past_it(entry):
    """A threshold moved one step either way, or an operator made strict or not, must make
    ``standards test`` fail (and so must the same change to a count or a list-size bound)."""
    _no_gaps(_unnoticed(entry, ("operator", "past", "short")))


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_every_parameter_is_seen_to_be_followed(entry):
    """A parameter replaced by its default written as a literal must make a case fail: the
    rule would then ignore what a city profile sets."""
    _no_gaps(_unnoticed(entry, ("literal",)))


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_every_when_condition_has_a_case_where_it_is_false(entry):
    """A `when` condition dropped must make a case fail: each has a case where it is false
    and the rule stays silent, in a document where the rule would otherwise fire."""
    _no_gaps(_unnoticed(entry, ("condition",)))


def test_equivalent_rule_changes_still_exist():
    """Each recorded equivalent names a change the mutations still make."""
    made = {(str(e.ref), m.rule, m.where) for e in ENTRIES for m in mutations(CATALOG.load(e.ref))}
    assert set(EQUIVALENT) <= made, sorted(set(EQUIVALENT) - made)


@pytest.mark.parametrize(
    ("ref", "rule", "where", "value"),
    [
        # The changes a review found the suite blind to: each lands between a passing and a
        # failing case, or leaves the value a city sets unread.
        ("ocp-data-governance@1.1.0", "DG-8.2-exit-plan-days", "/assert/all/1/compare/value", 119),
        ("ocp-data-governance@1.1.0", "DG-4.2-k-parameter", "/assert/all/1/compare/value", 4),
        ("ocp-data-governance@1.0.0", "DG-9.4-notification-hours", "/assert/all/1/compare/value", 72),
    ],
)
def test_standards_test_fails_for_a_changed_threshold(ref, rule, where, value):
    import copy

    standard = CATALOG.resolve(ref)
    raw = next(r for pack in standard.rule_packs for r in pack.document.data["rules"] if r["id"] == rule)
    changed = copy.deepcopy(raw)
    node = changed
    parts = where.strip("/").split("/")
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[parts[-1]] = value
    assert caught(CATALOG, standard, Mutation(rule, "past", where, f"{where} → {value}", changed))


def test_standards_test_fails_without_the_raw_location_condition():
    standard = CATALOG.resolve("ocp-data-retention@1.0.0")
    raw = next(
        r
        for pack in standard.rule_packs
        for r in pack.document.data["rules"]
        if r["id"] == "DR-2.7-raw-location-max"
    )
    kept = [c for c in raw["when"] if c.get("path") != "/raw_location"]
    assert len(kept) == len(raw["when"]) - 1
    changed = dict(raw, when=kept)
    assert caught(
        CATALOG, standard, Mutation(raw["id"], "condition", "/when/1", "raw_location dropped", changed)
    )


#: How many texts of each version have no French yet (``translations.missing``): clause
#: titles, texts, notes and attestation questions; rule titles, messages, fixes, rationales,
#: help and not-applicable reasons; parameter descriptions; vocabulary titles, descriptions and
#: labels. A draft may lack French; the count may only shrink (a new English text needs its French, and a version that
#: gains French lowers its number here). An approved version must lack none.
FRENCH_MISSING: dict[str, int] = {
    "ocp-api-exchange@1.0.0": 0,
    "ocp-api-exchange@2.0.0": 0,
    "ocp-compliance-report@1.0.0": 0,
    "ocp-data-governance@1.0.0": 0,
    "ocp-data-governance@1.1.0": 0,
    "ocp-data-governance@2.0.0": 0,
    "ocp-data-retention@1.0.0": 0,
    "ocp-data-retention@2.0.0": 0,
}


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_french_text_is_sound_and_what_lacks_french_only_shrinks(entry):
    from ocp_check import translations

    standard = CATALOG.load(entry.ref)
    assert translations.problems(standard) == []
    gaps = translations.missing(standard, "fr")
    if standard.governance.status == "approved":
        assert gaps == [], f"an approved version needs French for every text: {gaps[:10]}"
    expected = FRENCH_MISSING[str(entry.ref)]
    assert len(gaps) <= expected, f"{len(gaps) - expected} new texts without French, e.g. {gaps[:5]}"
    assert len(gaps) == expected, f"French added: lower FRENCH_MISSING[{str(entry.ref)!r}] to {len(gaps)}"
