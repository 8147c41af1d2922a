"""--lang on the command line, OCP_CHECK_LANG, the locale; the French bid checked in French."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest

from tests.conftest import REPO

BID = "examples/bids/qualite-air-val-des-cedres"
QUEBEC = "examples/profiles/municipalite-quebec.yaml"
BILINGUAL = "examples/profiles/ville-bilingue-ottawa.yaml"


def test_check_in_french_after_the_command_and_before_it(run: Any) -> None:
    after = run("check", BID, "--profile", QUEBEC, "--lang", "fr", "--format", "markdown")
    before = run("--lang", "fr", "check", BID, "--profile", QUEBEC, "--format", "markdown")
    assert after.exit_code == before.exit_code == 0
    assert after.stdout == before.stdout
    assert after.stdout.startswith("## ocp-check: ✅ conforme\n")
    assert "soumission vérifiée" in after.stdout


def test_the_bilingual_profile_fails_the_french_notice_in_french(run: Any) -> None:
    result = run("check", BID, "--profile", BILINGUAL, "--lang", "fr", "--format", "markdown")
    assert result.exit_code == 1
    assert "non conforme\u00a0: 1 erreur" in result.stdout
    assert "L\\'avis public est publié dans chaque langue qu\\'exige la ville" in result.stdout
    assert "l\\'avis public n\\'est pas déclaré dans chaque langue qu\\'exige la ville" in result.stdout


def test_the_variable_and_the_locale_choose_when_no_option_does(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def verdict_line() -> str:
        return run("check", BID, "--format", "markdown").stdout.splitlines()[0]

    monkeypatch.setenv("OCP_CHECK_LANG", "fr")
    assert verdict_line() == "## ocp-check: ✅ conforme"
    monkeypatch.delenv("OCP_CHECK_LANG")
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "fr_CA.UTF-8")
    assert verdict_line() == "## ocp-check: ✅ conforme"
    monkeypatch.setenv("LC_ALL", "C")
    assert verdict_line() == "## ocp-check: ✅ conformant"
    monkeypatch.setenv("OCP_CHECK_LANG", "fr")
    assert run("check", BID, "--lang", "en", "--format", "markdown").stdout.startswith(
        "## ocp-check: ✅ conformant"
    )


def test_an_unknown_language_is_an_invocation_error(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run("check", BID, "--lang", "de")
    assert result.exit_code == 2
    assert "unknown language 'de' (--lang)" in result.stderr
    assert "languages: en, fr" in result.stderr
    monkeypatch.setenv("OCP_CHECK_LANG", "xx")
    result = run("check", BID)
    assert result.exit_code == 2
    assert "(OCP_CHECK_LANG)" in result.stderr


def _console(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("OCP_CHECK_LANG", "LC_ALL", "LANG")}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-c", "from ocp_check.entry import main; main()", *args],
        cwd=REPO,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_console_script_declares_help_texts_in_the_language_chosen() -> None:
    french = _console("check", "--help", "--lang", "fr")
    assert french.returncode == 0
    assert "Langue des messages et des rapports" in french.stdout
    english = _console("check", "--help")
    assert "Language of messages and reports" in english.stdout
    wrong = _console("check", BID, "--lang", "de", LANG="fr_CA.UTF-8")
    assert wrong.returncode == 2
    assert "langue inconnue" in wrong.stderr


def test_the_json_report_records_the_language_and_verify_reproduces_it(
    run: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    report = tmp_path / "rapport.json"
    made = run("check", BID, "--profile", BILINGUAL, "--lang", "fr", "--format", f"json:{report}")
    assert made.exit_code == 1
    data = json.loads(report.read_text("utf-8"))
    assert data["options"]["language"] == "fr"
    titles = {c["clause"]: c["title"] for s in data["submissions"] for c in s["clauses"]}
    assert titles["DG-21.1"] == "L'avis public est publié dans chaque langue qu'exige la ville"
    # Verified in English (the caller's language), re-run in French (the report's).
    checked = run("verify", str(report))
    assert checked.exit_code == 0, checked.stdout
    assert "verified" in checked.stdout
    # An English report records no language and is verified in English under a French locale.
    english = tmp_path / "report.json"
    run("check", BID, "--format", f"json:{english}")
    assert "language" not in json.loads(english.read_text("utf-8"))["options"]
    monkeypatch.setenv("OCP_CHECK_LANG", "fr")
    assert run("verify", str(english)).exit_code == 0


def test_the_project_configuration_chooses_the_language(
    run: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".ocp-check.yaml").write_text("lang: fr\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("OCP_CHECK_LANG")
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "LANG"):
        monkeypatch.delenv(name, raising=False)
    bid = str(REPO / BID)
    assert run("check", bid, "--format", "markdown").stdout.startswith("## ocp-check: ✅ conforme\n")
    monkeypatch.setenv("OCP_CHECK_LANG", "en")
    assert run("check", bid, "--format", "markdown").stdout.startswith("## ocp-check: ✅ conformant\n")


@pytest.mark.parametrize("configured", ["lang: [fr, en]\n", "lang: fr,en\n"])
def test_the_project_configuration_takes_a_list_of_languages_as_lang_does(
    run: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch, configured: str
) -> None:
    """``lang`` accepts what ``--lang`` and ``OCP_CHECK_LANG`` accept: the first language is the
    run's, the others join the HTML report (it refused a list, and a list was the only way to
    ask for a bilingual report from the configuration)."""
    (tmp_path / ".ocp-check.yaml").write_text(configured, "utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("OCP_CHECK_LANG")
    page = tmp_path / "rapport.html"
    result = run("check", str(REPO / BID), "--format", f"html:{page}", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("## ocp-check: ✅ conforme\n")
    html = page.read_text("utf-8")
    assert '<section id="fr-CA" lang="fr-CA"' in html and '<section id="en-CA" lang="en-CA"' in html


def test_a_configured_lang_that_is_not_a_language_or_a_list_is_refused_in_the_run_s_language() -> None:
    from pathlib import Path

    from ocp_check import i18n
    from ocp_check.config import parse_config
    from ocp_check.errors import ConfigError

    with pytest.raises(ConfigError, match=r"'lang' must be a language \(en or fr\) or a list of them"):
        parse_config({"lang": 3}, ".ocp-check.yaml", Path())
    with i18n.using("fr"), pytest.raises(ConfigError, match="doit être une langue"):
        parse_config({"lang": []}, ".ocp-check.yaml", Path())
