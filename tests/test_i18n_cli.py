"""No English left in the command line's own text in another language.

The pseudo-language of ``tests/render/test_languages.py`` (every catalog message wrapped in
⟦…⟧) is chosen before the commands are declared, every ``--help`` and usage error of the
help snapshots is rendered in it, and so are the messages of the commands; what is left once
the ⟦…⟧ parts, the command line's own tokens (command and option names, metavars, quoted
values) and the data are masked must hold no English word: a string that bypasses the
catalog.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("babel")

from tests.render.test_languages import pseudo_catalog
from tests.test_cli_help import COMMANDS, SNAPSHOT_NAMES, snapshots_in

#: Words of the command line itself: the program, its commands and their option values.
TOKENS = {"ocp", "check", "error", "warning", "info", "never", "critical", "frobnicate", "many", "soon",
          "bid", "https", "text", "json", "markdown", "html", "csv", "sarif", "junit", "github", "oscal"}  # fmt: skip
COMMAND_WORDS = {word for path in COMMANDS for word in path}


def english_left(text: str, data: tuple[str, ...] = ()) -> list[str]:
    """The English words of ``text`` that no catalog message accounts for.

    A pseudo-language word has accented letters (``çhéçkéd``), so a word made of plain ASCII
    letters only did not go through the catalog; the brackets themselves are dropped rather
    than what they hold, so English put inside a translated message (a value) still shows."""
    for s in sorted(data, key=len, reverse=True):
        text = text.replace(s, " ")
    text = text.replace("⟦", " ").replace("⟧", " ")
    text = re.sub(r"[^\s⟦⟧]*/[^\s⟦⟧]*", " ", text)  # paths
    text = re.sub(r"\b[A-Z]+-[0-9][\w.-]*", " ", text)  # clause, rule and waiver ids
    text = re.sub(r"(?m)^\$ .*$|^exit code \d+$|^--- std(out|err)$", " ", text)  # the snapshot's frame
    text = re.sub(r"(?<![\w-])(--?|no-)[a-z][a-z-]*", " ", text)  # options, and --no-x's default
    text = re.sub(r"'[^'\n]*'|\[[a-z|]+\]|\{[a-z|\-\s]+\}", " ", text)  # quoted values, choices
    text = re.sub(r"\b[A-Z][A-Z_.]*\b", " ", text)  # metavars: PATHS, TEXT, [OPTIONS]
    words = [w for w in re.findall(r"\w+", text) if w.isascii() and w.isalpha() and len(w) >= 3]
    return sorted({w for w in words if w not in TOKENS | COMMAND_WORDS})


def test_the_scan_sees_english_that_bypasses_the_catalog() -> None:
    assert english_left("⟦Éxít çódés⟧: 0 conformant") == ["conformant"]
    assert english_left("⟦érrór: the report records nothing⟧") == ["nothing", "records", "report", "the"]
    assert english_left("Usage: ocp-check check [OPTIONS] PATHS...") == ["Usage"]


@pytest.mark.parametrize("name", SNAPSHOT_NAMES)
def test_help_and_usage_errors_hold_no_english(name: str) -> None:
    assert english_left(snapshots_in("qps")[name]) == []


@pytest.fixture
def pseudo(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Run a command in the pseudo-language (as if the console script had chosen it)."""
    from typer.testing import CliRunner

    from ocp_check import i18n
    from ocp_check.cli import app

    i18n.install_catalog("qps", pseudo_catalog())
    monkeypatch.setattr(i18n, "_chosen_at_start", True)

    def invoke(*args: str) -> str:
        i18n.set_language("qps")
        try:
            result = CliRunner().invoke(app, list(args), catch_exceptions=False)
        finally:
            i18n.set_language("en")
        return result.stdout + result.stderr

    yield invoke
    i18n._EXTRA.clear()
    i18n.translator.cache_clear()


BID = "examples/bids/harbourview-sensors"


def test_messages_of_the_commands_hold_no_english(pseudo: Any, run: Any, tmp_path: Path) -> None:
    english = tmp_path / "english.json"
    assert run("check", BID, "--format", f"json:{english}").exit_code == 0
    run = pseudo
    report = tmp_path / "report.json"
    outputs = [
        run("check", BID, "--format", f"json:{report}", "--format", f"sarif:{tmp_path / 'r.sarif'}"),
        run("check", BID, "--format", "nope"),
        run("check", BID, "--format", "json:"),
        run("check", BID, "--format", "json", "--format", "text"),
        run("check", BID, "--format", f"json:{tmp_path}"),
        run("check", BID, "--format", f"json:{tmp_path / 'no' / 'r.json'}"),
        run("check", BID, "--max-findings", "-1"),
        run("compare", BID, "--format", f"csv:{tmp_path / 'm.csv'}"),
        run("verify", str(english)),
        run("verify", str(tmp_path / "none.json")),
        run("init", "submission", str(tmp_path / "new")),
        run("init", "submission", str(tmp_path / "new")),
        run("waivers", "validate", "examples/waivers/harbourview-city-waivers.yaml", "--today", "2030-01-01"),
        run("waivers", "validate", str(tmp_path / "none.yaml")),
    ]
    data = ("harbourview-sensors", "Daniel Tremblay, Director of Procurement, City of Harbourview")
    for text in outputs:
        assert text.strip()
        assert english_left(text, data) == [], text
