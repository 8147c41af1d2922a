"""Reports in French, and no English left behind.

The pseudo-locale scan builds a language from the template at test time (every message
wrapped in ⟦…⟧, its letters changed, its placeholders kept), renders the report in it, masks
everything that comes from data (vendor text, the standards' text, identifiers), and fails on
any run of English letters left outside ⟦…⟧: a string that never reached the catalog. A French
golden file pins the real French of each translated format.
"""

from __future__ import annotations

import dataclasses
import html
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from ocp_check import i18n
from ocp_check.model import Report
from ocp_check.render import RENDERERS, RenderOptions
from ocp_check.sanitize import fix_surrogates, for_terminal, html_text, markdown_text, one_line, truncate

babel = pytest.importorskip("babel")
from babel.messages.pofile import read_po  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
POT = REPO / "ocp_check" / "locale" / "ocp_check.pot"
GOLDEN = REPO / "tests" / "golden"
UPDATE = os.environ.get("OCP_UPDATE_GOLDEN") == "1"

#: The formats whose every fixed word is translated.
TRANSLATED = ("markdown", "text", "html", "junit", "oscal", "github")

_FIELD = re.compile(r"(\{\{|\}\}|\{[A-Za-z_][A-Za-z0-9_]*\})")
_LOOK = str.maketrans("aeiouAEIOUcnyCNY", "áéíóúÁÉÍÓÚçñýÇÑÝ")


def _pseudo(text: str) -> str:
    parts = _FIELD.split(text)
    return "⟦" + "".join(p if _FIELD.fullmatch(p) else p.translate(_LOOK) for p in parts) + "⟧"


def _escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")


def pseudo_catalog() -> str:
    out = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"',
           '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', ""]  # fmt: skip
    with POT.open("rb") as fh:
        template = read_po(fh)
    for m in template:
        if not m.id:
            continue
        if m.context:
            out.append(f'msgctxt "{_escape(m.context)}"')
        if isinstance(m.id, tuple):
            out += [f'msgid "{_escape(m.id[0])}"', f'msgid_plural "{_escape(m.id[1])}"']
            out += [f'msgstr[0] "{_escape(_pseudo(m.id[0]))}"', f'msgstr[1] "{_escape(_pseudo(m.id[1]))}"']
        else:
            out += [f'msgid "{_escape(m.id)}"', f'msgstr "{_escape(_pseudo(m.id))}"']
        out.append("")
    return "\n".join(out)


@pytest.fixture
def speaking():
    """Render in a language, then back to English whatever happens."""

    def use(language: str) -> None:
        if language == "qps":
            i18n.install_catalog("qps", pseudo_catalog())
        i18n.set_language(language)

    yield use
    i18n.set_language("en")
    i18n._EXTRA.clear()
    i18n.translator.cache_clear()


def _data_strings(value: object) -> Iterator[str]:
    """Every string the report model holds: vendor text, standards text, identifiers."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        if "__str__" in type(value).__dict__:  # a reference the reports write whole: ocp-x@1.0.0
            yield str(value)
        for f in dataclasses.fields(value):
            yield from _data_strings(getattr(value, f.name))
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _data_strings(k)
            yield from _data_strings(v)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            yield from _data_strings(v)
    elif value is not None and not isinstance(value, (int, float, bool)):
        yield str(value)


#: Words that stay as they are in every language: product and format names, tokens of the
#: command line, units.
ALLOWED = {"ocp", "check", "JSON", "SHA", "sha", "OpenAPI", "SARIF", "OSCAL", "JUnit", "fail", "never",
           "DRAFT", "DRAFTS", "WITHDRAWN", "details", "summary"}  # fmt: skip


def english_left(rendered: str, report: Report) -> list[str]:
    text = rendered
    masks = sorted({s for s in _data_strings(report) if len(s) >= 2}, key=len, reverse=True)
    for s in masks:
        flat = " ".join(s.split())
        capital = s[:1].upper() + s[1:]  # a sentence the model holds, started with a capital
        shown = for_terminal(s)  # SARIF shows text as the terminal does
        shown_fixed = for_terminal(fix_surrogates(s))
        # The terminal report shows a value on one line, cut at one of a few lengths.
        lined = {one_line(s, n) for n in (28, 40, 46, 60, 80, 120, 160, 200, 300, 400, 10**6)}
        lined.add(html.unescape(html_text(s)))  # as an HTML page shows it
        for variant in {
            s,
            flat,
            capital,
            markdown_text(s),
            markdown_text(capital),
            markdown_text(truncate(s, 500)),
            shown,
            shown_fixed,
            *lined,
        }:
            text = text.replace(variant, " ")
    while True:  # messages inside messages: innermost first
        inner = re.sub(r"⟦[^⟦⟧]*⟧", " ", text)
        if inner == text:
            break
        text = inner
    text = re.sub(r"`[^`]*`", " ", text)  # code spans: paths and names as written
    text = re.sub(r"</?(details|summary)>", " ", text)
    words = re.findall(r"[A-Za-z]{3,}", text)
    return sorted({w for w in words if w not in ALLOWED})


def _human_text(name: str, rendered: str) -> str:
    """The text people read: a SARIF log's messages and descriptions, not its keys and tokens;
    an HTML page's text and labels, not its markup and style sheet."""
    if name == "html":
        labels = re.findall(r'aria-label="([^"]*)"', rendered)
        text = re.sub(r"<style>.*?</style>|<title>|</title>", " ", rendered, flags=re.S)
        text = re.sub(r"<[^>]*>", " ", text)
        return html.unescape(text + "\n" + "\n".join(labels))
    if name == "junit":
        import xml.etree.ElementTree as ET

        pieces = []
        for node in ET.fromstring(rendered).iter():
            if node.tag == "property":  # machine values: tokens, ids, hashes
                continue
            pieces += [node.text or "", node.get("message", ""), node.get("name", "")]
        return "\n".join(pieces)
    if name == "github":  # the messages, not the workflow commands and their properties
        from urllib.parse import unquote

        return "\n".join(unquote(line.split("::", 2)[-1]) for line in rendered.splitlines())
    if name not in ("sarif", "oscal"):
        return rendered
    import json

    found: list[str] = []
    #: The fields of a SARIF log and of an OSCAL document that hold sentences.
    fields = (
        ("text", "markdown", "justification")
        if name == "sarif"
        else ("title", "description", "remarks", "text")
    )

    def walk(node: object, key: str = "") -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "properties":  # machine values (tokens, ids, counts)
                    continue
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in fields:
            found.append(node)

    walk(json.loads(rendered))
    return "\n".join(found)


@pytest.mark.parametrize("name", (*TRANSLATED, "sarif"))
def test_no_english_is_left_outside_the_catalog(name: str, report: Report, speaking) -> None:
    speaking("qps")
    rendered = _human_text(name, RENDERERS[name](report, RenderOptions()))
    assert "⟦" in rendered
    assert english_left(rendered, report) == []


@pytest.mark.parametrize("name", TRANSLATED)
def test_the_scan_sees_english_that_bypasses_the_catalog(name: str, report: Report, speaking) -> None:
    speaking("qps")
    rendered = _human_text(name, RENDERERS[name](report, RenderOptions())) + "\nForgotten sentence here\n"
    assert english_left(rendered, report) == ["Forgotten", "here", "sentence"]


@pytest.mark.parametrize("name", TRANSLATED)
def test_matches_the_french_golden(name: str, report: Report, speaking, monkeypatch) -> None:
    from tests.render.test_golden import EPOCH

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)  # the English goldens' moment (JUnit, OSCAL)
    speaking("fr")
    rendered = RENDERERS[name](report, RenderOptions())
    suffix = {
        "markdown": "md",
        "text": "txt",
        "html": "html",
        "junit": "junit.xml",
        "oscal": "oscal.json",
        "github": "github.txt",
    }[name]
    path = GOLDEN / "fr" / f"report.{suffix}"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rendered.encode("utf-8"))  # bytes: a carriage return in vendor text stays one
    assert rendered == path.read_bytes().decode("utf-8"), f"{path} differs (OCP_UPDATE_GOLDEN=1 rewrites it)"
    i18n.set_language("en")
    assert rendered != RENDERERS[name](report, RenderOptions())


def test_the_html_page_declares_the_language_it_is_written_in(report: Report, speaking) -> None:
    assert '<html lang="en-CA">' in RENDERERS["html"](report, RenderOptions())
    speaking("fr")
    assert '<html lang="fr-CA">' in RENDERERS["html"](report, RenderOptions())


def test_machine_formats_say_which_language_their_text_is_in(report: Report, speaking) -> None:
    import json

    speaking("fr")
    sarif = json.loads(RENDERERS["sarif"](report, RenderOptions()))
    assert {run["language"] for run in sarif["runs"]} == {"fr-CA"}
    oscal = json.loads(RENDERERS["oscal"](report, RenderOptions()))
    props = oscal["assessment-results"]["metadata"]["props"]
    assert {"name": "language", "ns": props[0]["ns"], "value": "fr-CA"} in props
    junit = RENDERERS["junit"](report, RenderOptions())
    assert '<property name="language" value="fr-CA" />' in junit
    assert 'value="en-CA"' not in junit


def test_vendor_text_in_html_does_not_take_the_page_s_language(report: Report, speaking) -> None:
    """Source lines and waivers' reasons are in the vendor's language, which no document
    declares: marked unknown (``lang=""``), in either language of the page."""
    for language in ("en", "fr"):
        speaking(language)
        page = RENDERERS["html"](report, RenderOptions())
        snippets = re.findall(r"<pre[^>]*>", page)
        assert snippets and set(snippets) == {'<pre lang="">'}
        assert '<span lang="">pilot agreement' in page


@pytest.mark.parametrize("fmt", ["text", "markdown", "csv", "html"])
def test_the_compare_matrix_speaks_the_run_s_language(fmt: str, report: Report, speaking) -> None:
    """``compare`` in French: every fixed word and every status through the catalog; the
    JSON matrix keeps its tokens in every language."""
    from ocp_check.compare import build_matrix
    from ocp_check.render.matrix import MATRIX_RENDERERS, to_json

    matrix = build_matrix(report)
    english = MATRIX_RENDERERS[fmt](matrix)
    english_json = to_json(matrix)
    speaking("qps")
    rendered = MATRIX_RENDERERS[fmt](matrix)
    assert "⟦" in rendered
    assert english_left(_human_text(fmt, rendered), report) == []
    speaking("fr")
    french = MATRIX_RENDERERS[fmt](matrix)
    assert french != english
    assert "non satisfait" in french and "non conforme" in french
    assert to_json(matrix) == english_json


def test_a_bilingual_html_page_holds_each_language_in_its_own_half(report: Report, speaking) -> None:
    """``--lang fr,en``: the page is the first language's; each half declares its language
    and keeps its ids apart from the other's; the English half is the English report's body."""
    from ocp_check.render.html import render_languages

    english = RENDERERS["html"](report, RenderOptions())
    speaking("fr")
    page = render_languages([("fr", report), ("en", report)], RenderOptions())
    assert page.startswith('<!DOCTYPE html>\n<html lang="fr-CA">')
    assert '<section id="fr-CA" lang="fr-CA" aria-label="Français">' in page
    halves = page.split("</nav>")[1]
    french_half, english_half = halves.split('<section id="en-CA" lang="en-CA" aria-label="English">')
    assert "Rapport de conformité" in french_half and "Conformance report" not in french_half
    assert "<h1>Conformance report</h1>" in english_half and "Matrice des articles" not in english_half
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert page.count("<main>") == 1
    # The English half is the English page's body, its ids prefixed, its sections plain.
    body = english.split("<body>\n", 1)[1].split("\n</body>", 1)[0]
    body = re.sub(r'<section aria-labelledby="[^"]*">', "<section>", body).replace(' id="', ' id="en-CA-')
    assert body.replace("<main>", "<div>").replace("</main>", "</div>") in english_half
    assert page == render_languages([("fr", report), ("en", report)], RenderOptions())  # deterministic


def test_lang_with_two_languages_gives_a_bilingual_html_report(run, tmp_path: Path) -> None:
    """``--lang fr,en``: every format speaks French; the HTML report holds French and English."""
    bid = REPO / "examples" / "bids" / "qualite-air-val-des-cedres"
    target = tmp_path / "rapport.html"
    result = run("check", str(bid), "--lang", "fr,en", "--format", f"html:{target}", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    assert "conforme" in result.stdout and "conformant" not in result.stdout
    page = target.read_text("utf-8")
    assert page.startswith('<!DOCTYPE html>\n<html lang="fr-CA">')
    assert '<section id="fr-CA" lang="fr-CA"' in page and '<section id="en-CA" lang="en-CA"' in page
    assert "<h1>Rapport de conformité</h1>" in page and "<h1>Conformance report</h1>" in page
    refused = run("check", str(bid), "--lang", "fr,de")
    assert refused.exit_code == 2


def test_a_list_of_languages_is_resolved_in_order_without_repeats() -> None:
    assert i18n.resolve_languages("fr,en", {}) == ("fr", "en")
    assert i18n.resolve_languages("fr-CA,fr,en_CA", {}) == ("fr", "en")
    assert i18n.resolve_languages(None, {"OCP_CHECK_LANG": "en,fr"}) == ("en", "fr")
    assert i18n.resolve_language("fr,en", {}) == "fr"
    with pytest.raises(i18n.UnknownLanguage):
        i18n.resolve_languages("fr,", {})
