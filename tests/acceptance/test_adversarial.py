"""The adversarial bids of examples/adversarial/: each one games one class of loophole or error
of the 1.x standards with a small edit of the conformant bid, and the 2.0 drafts find it
nonconformant at the clause that closes the class, on the right line.

The expected results are in tests/acceptance/expected/adversarial.yaml, reviewed by hand: the
2.0 findings are exactly the class (the rest of the bid is conformant), and the statuses under
1.x record the loophole the bid exploits (the gamed clause passes, is not applicable or is not
yet in force). Every check pins --today.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from ocp_check.catalog import Catalog
from tests.conftest import REPO

EXPECTED = yaml.safe_load((Path(__file__).parent / "expected" / "adversarial.yaml").read_text("utf-8"))
TODAY = EXPECTED["today"]
BIDS = sorted(EXPECTED["bids"])
OLD = (
    "--standard",
    "ocp-data-governance@1.1",
    "--standard",
    "ocp-data-retention@1.0",
    "--standard",
    "ocp-api-exchange@1.0",
)
_REPORTS: dict[tuple[str, ...], dict[str, Any]] = {}


@pytest.fixture(autouse=True)
def _from_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def _check(run, *args: str) -> dict[str, Any]:
    if args not in _REPORTS:
        result = run("check", *args, "--format", "json", "--today", TODAY)
        assert result.exit_code in (0, 1), result.stderr
        _REPORTS[args] = result.json()
    return copy.deepcopy(_REPORTS[args])


def test_every_adversarial_bid_is_pinned():
    folders = sorted(p.name for p in (REPO / "examples" / "adversarial").iterdir() if p.is_dir())
    assert folders == BIDS
    for bid in BIDS:
        assert (REPO / "examples" / "adversarial" / bid / "README.md").is_file()


@pytest.mark.parametrize("bid", BIDS)
def test_the_2_0_drafts_find_the_class_at_its_clause_and_line(run, bid):
    want = EXPECTED["bids"][bid]
    (submission,) = _check(run, f"examples/adversarial/{bid}")["submissions"]
    assert submission["verdict"] == "nonconformant"
    found = sorted(
        [f["rule"], f["clause"], f["location"]["file"], f["location"]["pointer"], f["location"]["line"]]
        for f in submission["findings"]
        if f["state"] == "active"
    )
    assert found == sorted(want["findings_2_0"])
    assert {f[1] for f in found} <= set(want["closes"]) | {"DG-2.3"}
    failed = {c["clause"] for c in submission["clauses"] if c["status"] == "fail"}
    assert set(want["closes"]) <= failed
    assert {d["standard"] for d in submission["documents"]} == {
        "ocp-data-governance@2.0.0",
        "ocp-data-retention@2.0.0",
        "ocp-api-exchange@2.0.0",
    }


@pytest.mark.parametrize("bid", BIDS)
def test_under_1_x_the_gamed_clauses_let_the_bid_through(run, bid):
    want = EXPECTED["bids"][bid]["statuses_1_x"]
    (submission,) = _check(run, f"examples/adversarial/{bid}", *OLD)["submissions"]
    statuses = {c["clause"]: c["status"] for c in submission["clauses"]}
    assert {clause: statuses[clause] for clause in want} == want


def test_the_bid_they_are_made_from_is_conformant_under_2_0(run):
    (submission,) = _check(run, "examples/bids/harbourview-sensors")["submissions"]
    assert submission["verdict"] == "conformant"
    assert not submission["findings"]


def test_ontario_one_year_rule_read_right(run):
    """DR-2.4 of 1.0 asked a year's minimum of every rule for personal information, so the
    harbourview bid, which erases raw Wi-Fi presence records after 30 days and never uses them
    about anyone, failed it; 2.0 keeps the year for information used about a person only."""
    (old,) = _check(run, "examples/bids/harbourview-sensors", *OLD)["submissions"]
    old_rules = {f["rule"] for f in old["findings"] if f["clause"] == "DR-2.4"}
    assert old_rules == {"DR-2.4-statutory-minimum", "DR-2.4-counted-from-last-use"}
    (new,) = _check(run, "examples/bids/harbourview-sensors")["submissions"]
    assert {c["clause"]: c["status"] for c in new["clauses"]}["DR-2.4"] == "pass"


def test_the_2_0_drafts_judge_only_documents_that_name_them():
    """The 2.0.0 drafts are not released for trial use: a bare id still means the 1.x version
    (docs/standards-governance.md, Lifecycle), while `@2` selects the draft."""
    catalog = Catalog(use_env=False)
    for sid, default in (
        ("ocp-data-governance", "1.1.0"),
        ("ocp-data-retention", "1.0.0"),
        ("ocp-api-exchange", "1.0.0"),
    ):
        entry = catalog.match(sid)
        assert entry is not None and entry.ref.version == default
        draft = catalog.match(f"{sid}@2")
        assert draft is not None and draft.ref.version == "2.0.0" and draft.status == "draft"
        governance = catalog.load(draft.ref).governance
        assert governance.trial_use is False and governance.approval is None
