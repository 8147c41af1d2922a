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
TOKENS = {"ocp", "check", "local", "error", "warning", "info", "never", "critical", "frobnicate", "many", "soon",
          "bid", "https", "text", "integer", "string", "object", "array", "boolean", "number", "openapi", "data", "manifest", "retention", "policy", "submission", "compliance", "report", "json", "markdown", "html", "csv", "sarif", "junit", "github", "oscal"}  # fmt: skip
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
    text = re.sub(r"\bocp-[a-z][\w.@-]*", " ", text)  # standard ids (ocp-data-governance@2.0.0)
    text = re.sub(r"(?m)^\$ .*$|^exit code \d+$|^--- std(out|err)$", " ", text)  # the snapshot's frame
    text = re.sub(r"(?<![\w-])(--?|no-)[a-z][a-z-]*", " ", text)  # options, and --no-x's default
    text = re.sub(r"'[^'\n]*'|\[[a-z|]+\]|\{[a-z|\-\s]+\}", " ", text)  # quoted values, choices
    text = re.sub(r"\b[A-Z][A-Z_.]*\b", " ", text)  # metavars: PATHS, TEXT, [OPTIONS]
    words = [w for w in re.findall(r"\w+", text) if w.isascii() and w.isalpha() and len(w) >= 3]
    return sorted({w for w in words if w not in TOKENS | COMMAND_WORDS})


def test_the_scan_sees_english_that_bypasses_the_catalog() -> None:
    assert english_left("⟦Éxít çódés⟧: 0 conformant") == ["conformant"]
    assert english_left("⟦érrór: the file records nothing⟧") == ["file", "nothing", "records", "the"]
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
    config = tmp_path / "config.yaml"
    config.write_text("profile: 3\n", "utf-8")
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
        run("check", BID, "--jobs", "0"),
        run("check", BID, "--standard", "nope@9"),
        run("check", BID, "--config", str(config)),
        run("rules", "explain", "NOPE-1"),
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


#: The findings the engine makes itself (rule findings say what the standards say: data).
ENGINE_RULES = {"load", "schema", "ref", "foreign", "detect", "incomplete", "version", "submission",
                "waivers", "scan", "budget", "attestation", "unjudged"}  # fmt: skip


def _broken_bid(tmp_path: Path) -> Path:
    """The example bid with one of each kind of engine finding."""
    import shutil

    bid = tmp_path / "bid"
    shutil.copytree(BID, bid)
    manifest = bid / "data-manifest.yaml"
    text = manifest.read_text("utf-8")
    text = text.replace("\nmanifest_revision: 2\n", "\nmanifest_revision: two\nsurprise: 1\n")
    manifest.write_text(text, "utf-8")
    (bid / "broken.yaml").write_text("kind: data-manifest\nsystem: [unclosed\n", "utf-8")
    (bid / "twice.yaml").write_text("kind: retention-policy\na: 1\na: 2\n", "utf-8")
    fixtures = Path(__file__).resolve().parent / "fixtures" / "foreign"
    for name in ("asyncapi.yaml", "swagger.yaml", "empty.yaml", "conflict.json", "datapackage.json"):
        shutil.copy(fixtures / name, bid / name)
    return bid


def test_engine_findings_hold_no_english(pseudo: Any, tmp_path: Path) -> None:
    import json

    bid = _broken_bid(tmp_path)
    out = tmp_path / "report.json"
    pseudo("check", str(bid), "--format", f"json:{out}")
    report = json.loads(out.read_text("utf-8"))
    findings = [f for s in report["submissions"] for f in s["findings"] if f["rule"] in ENGINE_RULES]
    assert {f["rule"] for f in findings} >= {"load", "schema", "foreign"}
    left = {
        f"{f['rule']}: {text}": english_left(text)
        for f in findings
        for text in (f["message"], f["fix"])
    }
    bad = {k: v for k, v in left.items() if v}
    assert not bad, '\n'.join(f'{k[:160]} -> {v}' for k, v in bad.items())


def test_engine_findings_in_french(run: Any, tmp_path: Path) -> None:
    """The schema headline is made from the keyword and its parameters; loading, version and
    foreign-file findings say themselves in French; English stays jsonschema's own words."""
    import json

    bid = _broken_bid(tmp_path)
    out = tmp_path / "rapport.json"
    run("check", str(bid), "--lang", "fr", "--format", f"json:{out}")
    french = {f["message"] for s in json.loads(out.read_text("utf-8"))["submissions"] for f in s["findings"]}
    assert "'two' n'est pas de type 'integer'" in french
    assert "'surprise' n'est pas permis ici (propriété inattendue)" in french
    assert "ne peut pas être vérifié\u00a0: le fichier est vide (aucun document YAML/JSON)" in french
    assert any(m.startswith("ne peut pas être vérifié\u00a0: clé en double 'a' à la ligne 3") for m in french)
    assert "un Data Package Frictionless (1 ressource), pas un document OCP" in french
    english_out = tmp_path / "report.json"
    run("check", str(bid), "--format", f"json:{english_out}")
    english = {f["message"] for s in json.loads(english_out.read_text("utf-8"))["submissions"] for f in s["findings"]}
    assert "'two' is not of type 'integer'" in english
    assert "'surprise' does not match any of the regexes: '^x-'" in english


def _flat(text: str) -> str:
    """``text`` on one line, as a terminal's wrapping left it before: the standards' text is
    wrapped, and a wrap after a hyphen (``breach-`` / ``notification``) is undone."""
    return re.sub(r"(?<=\w-) ", "", " ".join(text.split()))


def _standards_data() -> tuple[str, ...]:
    """Every string of the shipped standards (their own text is data, translated by their
    translation files, not the catalog), the governance records as ``standards show`` gives
    them (the change summaries of a diff go through the catalog)."""
    import yaml

    from ocp_check.catalog import Catalog
    from ocp_check.diff import _short
    from ocp_check.governance import facts
    from ocp_check.sanitize import markdown_text

    strings: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, str):
            strings.add(_flat(node))
        elif isinstance(node, dict):
            for k, v in node.items():
                walk(str(k))
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    root = Path(__file__).resolve().parents[1] / "standards"
    for path in root.rglob("*.yaml"):
        walk(yaml.safe_load(path.read_text("utf-8")))
    catalog = Catalog([])
    for entry in catalog.entries():
        standard = catalog.load(entry.ref)
        strings.update(_flat(text) for _label, text in facts(standard.governance))
        walk([v.source_of(t) for v in standard.vocabularies.values() for t in v.terms.values()])
        walk([v.iri(t) or "" for v in standard.vocabularies.values() for t in v.terms.values()])
    # A diff quotes a clause's text or a title cut short (``diff._short``): data too.
    cut = {_short(text, limit) for text in strings for limit in (60, 120) if len(text) > limit}
    strings.update(cut)
    strings.update({markdown_text(text) for text in strings})  # as the Markdown diff escapes them
    strings.update(("add", "remove", "replace"))  # JSON Patch operations of the rule cases' examples
    return tuple(s for s in strings if len(s) >= 3)


def test_the_standards_commands_hold_no_english(pseudo: Any) -> None:
    """``standards show/vocab/diff/list`` and ``rules list/explain``: their fixed words go
    through the catalog; what is left is the standards' own text (data)."""
    data = _standards_data()
    outputs = {
        "show": pseudo("standards", "show", "ocp-data-governance@1.1.0"),
        "vocab": pseudo("standards", "vocab", "ocp-data-governance@1.1.0"),
        "list": pseudo("standards", "list"),
        "rules list": pseudo("rules", "list"),
        "explain clause": pseudo("rules", "explain", "DG-2.3"),
        "explain rule": pseudo("rules", "explain", "DG-2.3-pd-categories"),
        "explain attestation": pseudo("rules", "explain", "DG-9.3", "-s", "ocp-data-governance@1.1.0"),
        "diff": pseudo("standards", "diff", "ocp-data-governance@1.0.0", "ocp-data-governance@1.1.0"),
        "diff markdown": pseudo(
            "standards", "diff", "ocp-data-governance@1.0.0", "ocp-data-governance@1.1.0", "--format", "markdown"
        ),
        "no diff": pseudo("standards", "diff", "ocp-data-governance@1.0.0", "ocp-data-governance@1.0.0"),
        "two standards": pseudo("standards", "diff", "ocp-data-governance@1.0.0", "ocp-data-retention@1.0.0"),
    }
    for name, text in outputs.items():
        assert text.strip(), name
        assert english_left(_flat(text), data) == [], name


def test_the_standards_commands_in_french(run: Any) -> None:
    """The fixed words from the catalog, the standard's own text from its translation file."""
    nbsp = "\u00a0"
    show = run("standards", "show", "ocp-data-governance@1.1.0", "--lang", "fr").stdout
    assert f"\nGouvernance{nbsp}:\n  statut{nbsp}:" in show
    assert "Gouvernance des données OCP — le manifeste de données" in show.splitlines()[0]
    assert f"\nArticles (51){nbsp}:\n" in show
    assert "  DG-2.3    DOIT       Les catégories personnelles nomment" in show
    vocab = run("standards", "vocab", "ocp-data-governance@1.1.0", "data-nature", "--lang", "fr").stdout
    assert f"dpv:PersonalData  Renseignements personnels  [étiquettes{nbsp}: personal]" in vocab
    explained = run("rules", "explain", "DG-2.3-pd-categories", "--lang", "fr").stdout
    assert f"\n  Ce que cela signifie pour un fournisseur{nbsp}:\n" in explained
    assert "  article DG-2.3 · DOIT · ocp-data-governance@1.1.0 · s'applique à data-manifest" in explained
    standards = run("standards", "list", "--lang", "fr").stdout
    assert "ébauche" in standards and "Gouvernance des données OCP — le manifeste de données" in standards
    listed = run("rules", "list", "--lang", "fr").stdout
    assert "ocp-data-governance@1.1.0 — " in listed and " règles\n" in listed
    diff = run("standards", "diff", "ocp-data-governance@1.0.0", "ocp-data-governance@1.1.0", "--lang", "fr").stdout
    assert diff.splitlines()[1].startswith(f"Classe{nbsp}: INCOMPATIBLE (une soumission conforme à ")
    assert f"\nArticles (9){nbsp}:\n" in diff and "[incompatible]" in diff
    english = run("standards", "diff", "ocp-data-governance@1.0.0", "ocp-data-governance@1.1.0").stdout
    assert english.splitlines()[1].startswith("Class: BREAKING (a submission that conforms to ")


@pytest.mark.parametrize("option", ["--lang", "--debug"])
def test_an_option_without_a_command_shows_the_help(run: Any, option: str) -> None:
    """``ocp-check --lang fr`` and ``ocp-check --debug`` do what ``ocp-check`` does: the help
    (on stderr, exit 2), in the run's language."""
    import subprocess
    import sys

    if option == "--lang":
        # A child process, as the console script: the help texts are declared in French.
        done = subprocess.run([sys.executable, "-m", "ocp_check", "--lang", "fr"], capture_output=True, text=True)
        assert done.returncode == 2
        assert done.stderr.startswith("Utilisation\u00a0: ") and "\n\n  Vérifie les manifestes" in done.stderr
        assert "manquante" not in done.stderr
    else:
        result = run(option)
        assert result.exit_code == 2
        assert result.stderr == run().stderr
        assert "Missing command" not in result.stderr


def test_bundle_waivers_and_budget_errors_hold_no_english(
    pseudo: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bundle install and pack errors, a waivers file's problems, a malformed
    ``SOURCE_DATE_EPOCH`` and a worker's budget reason go through the catalog."""
    import io
    import tarfile

    def bundle(path: Path, members: dict[str, bytes]) -> Path:
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
            for name, data in members.items():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        path.write_bytes(buffer.getvalue())
        return path

    unsigned = tmp_path / "unsigned.tar.gz"
    assert "1.1.0" in pseudo("standards", "pack", "ocp-data-governance@1.1.0", str(unsigned))
    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(b"not a bundle")
    key = tmp_path / "key.pem"
    key.write_text("not a key\n", "utf-8")
    twice = tmp_path / "twice.yaml"
    waiver = (
        "  - id: W-{n}\n    rule: DG-2.3-pd-categories\n    reason: The city accepted this deviation.\n"
        "    approved_by: Jane Doe, procurement\n"
        "    expires: '2031-01-01'\n"
    )
    twice.write_text("kind: waivers\nwaivers:\n" + waiver.format(n=1) + waiver.format(n=1), "utf-8")
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("kind: waivers\nwaivers:\n  - id: W-1\n", "utf-8")
    outputs = [
        pseudo("standards", "install", str(unsigned), "--into", str(tmp_path / "into")),
        pseudo("standards", "install", str(garbage), "--into", str(tmp_path / "into")),
        pseudo("standards", "install", str(bundle(tmp_path / "empty.tar.gz", {"x.txt": b"x"})), "--into", str(tmp_path)),
        pseudo("standards", "install", str(unsigned), "--trust", str(key)),
        pseudo("standards", "keygen", str(key)),
        pseudo("standards", "pack", "ocp-data-governance@1.1.0", str(tmp_path / "s.tar.gz"), "--sign-key", str(key)),
        pseudo("waivers", "validate", str(twice)),
        pseudo("waivers", "validate", str(wrong)),
        pseudo("check", BID, "--time-budget", "0.05"),
    ]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    outputs.append(pseudo("check", BID))
    # What a library says of its own input is data (cryptography's and tarfile's reasons).
    data = ("ReadError: not a gzip file", "yesterday", "The city accepted this deviation.", "Jane Doe, procurement")
    for text in outputs:
        assert text.strip()
        library = re.sub(r"Unable to load PEM file[^)]*", " ", text)
        left = [w for w in english_left(library, data) if w not in {"keygen", "pack", "install", "validate"}]
        assert left == [], text


def test_durations_and_source_date_epoch_in_french() -> None:
    """A duration inside a detail says its days in the run's language; English is unchanged."""
    from ocp_check import durations
    from ocp_check.i18n import using
    from ocp_check.reproducible import source_date_epoch

    def said(text: str) -> str:
        return durations.describe(durations.parse_duration(text))

    nbsp = "\u00a0"
    assert [said(t) for t in ("P6M", "P1D", "PT12H", "PT1H", "PT1S", "P10Y")] == [
        "P6M (181–184 days)", "P1D (1 day)", "PT12H (0.5 days)", "PT1H (≈0.042 days)", "PT1S (<0.001 days)",
        "P10Y (3651–3653 days)",
    ]  # fmt: skip
    with using("fr"):
        assert [said(t) for t in ("P6M", "P1D", "PT12H", "PT1H", "PT1S", "P10Y", "P3D")] == [
            f"P6M (181 à 184{nbsp}jours)", f"P1D (1{nbsp}jour)", f"PT12H (0,5{nbsp}jour)", f"PT1H (≈0,042{nbsp}jour)",
            f"PT1S (<0,001{nbsp}jour)", f"P10Y (3{nbsp}651 à 3{nbsp}653{nbsp}jours)", f"P3D (3{nbsp}jours)",
        ]  # fmt: skip
        with pytest.raises(ValueError, match="n'est pas un horodatage Unix"):
            source_date_epoch({"SOURCE_DATE_EPOCH": "yesterday"})


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("present: true}", "present: maybe}"),
        ("      path: /records_schedule/item\n", "      path: records_schedule/item\n"),
        ("    clause: DR-12.1\n", "    clause: DR-99.9\n"),
        ("    - {path: /records_schedule/item, present: true}\n", "    - {path: /records_schedule/item, duration: {op: '<'}}\n"),
    ],
)
def test_rule_pack_errors_hold_no_english(pseudo: Any, tmp_path: Path, before: str, after: str) -> None:
    """A city's rule pack that does not compile is said through the catalog."""
    import shutil

    for name in ("ontario-municipality.yaml", "harbourview-records-schedule.yaml"):
        shutil.copy(Path("examples/profiles") / name, tmp_path / name)
    pack = tmp_path / "harbourview-records-schedule.yaml"
    text = pack.read_text("utf-8")
    assert before in text
    pack.write_text(text.replace(before, after, 1), "utf-8")
    said = pseudo("check", BID, "--profile", str(tmp_path / "ontario-municipality.yaml"))
    assert "HV-RECORDS-bylaw-item" in said
    # The rule language's own words (where in the rule) are syntax.
    syntax = ("HV-RECORDS-bylaw-item", "'maybe'", "when[0]: present:", "when[0]: duration:", "assert:", "'DR-99.9'")
    assert english_left(said, syntax) == [], said
