"""Escaping of vendor-controlled strings for every output medium.

Every string that comes from a vendor (document values *and* file names) is untrusted: a bid can
carry terminal escape sequences that repaint the screen ("ALL CHECKS PASSED"), bidirectional
overrides that make ``invoice_\\u202egnp.exe`` look like ``invoice_exe.png`` (Trojan Source,
CVE-2021-42574), HTML that runs script in a report, characters that make an XML report
unparseable, Markdown that forges a heading in a pull-request comment, or a spreadsheet formula.
docs/decisions.md ("Output safety") requires escaping for the medium at
the point of output; these functions are the single place where that is done, so every renderer
escapes the same way.

Functions here make things *visible* rather than silently deleting them wherever a human reads
the result: an evaluator should see that a vendor's value contains an escape sequence.  Where a
format cannot carry a character at all (XML, HTML), it becomes U+FFFD.

Rich markup is deliberately not handled here: callers pass strings to Rich as ``rich.text.Text``,
which never interprets markup.  All functions are pure and total: any ``str``, including lone
surrogates, is accepted.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable

__all__ = [
    "BIDI_CONTROLS",
    "csv_cell",
    "csv_row",
    "fix_surrogates",
    "for_terminal",
    "html_text",
    "markdown_code",
    "markdown_text",
    "one_line",
    "truncate",
    "xml_text",
]

#: Bidirectional formatting characters: embeddings and overrides (U+202A-U+202E), isolates
#: (U+2066-U+2069), the left-to-right / right-to-left marks and the Arabic letter mark.
BIDI_CONTROLS = frozenset([*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C])

_ELLIPSIS = "…"
_REPLACEMENT = "\ufffd"


def _hex_escape(code: int) -> str:
    return f"\\x{code:02x}"


def _unicode_escape(code: int) -> str:
    return f"\\u{code:04x}"


def _build_terminal_table() -> dict[int, str]:
    """C0 (but newline and tab), DEL, C1, bidi controls and surrogates as visible escapes.

    Lone surrogates are included because writing one to a UTF-8 terminal raises
    ``UnicodeEncodeError``, which would end the run on a hostile value.
    """
    table: dict[int, str] = {}
    for code in [*range(0x20), 0x7F, *range(0x80, 0xA0)]:
        if code not in (0x0A, 0x09):
            table[code] = _hex_escape(code)
    for code in [*BIDI_CONTROLS, *range(0xD800, 0xE000)]:
        table[code] = _unicode_escape(code)
    return table


_TERMINAL = _build_terminal_table()
_ONE_LINE = {**_TERMINAL, 0x0A: "\\n", 0x09: "\\t"}
_SURROGATES = re.compile("[\ud800-\udfff]")
# HTML text must not hold controls (form feed is allowed by HTML but replaced anyway, as it has
# no place in a report), lone surrogates or noncharacters.
_HTML_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(1, 17))
    + "]"
)
_HTML_BIDI = {code: _unicode_escape(code) for code in BIDI_CONTROLS}
# Complement of the XML 1.0 Char production.
_XML_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Every ASCII punctuation character: CommonMark lets any of them be backslash-escaped and then
# renders it literally, so escaping all of them also defeats GitHub extensions that the usual
# list misses (autolinks after "www." or "https:", e-mail autolinks, "$" maths, ":emoji:",
# "&entity;" references).
_MARKDOWN_SPECIAL = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")
_LINE_BREAKS = re.compile("\r\n|[\r\n\t]")
_CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
_CSV_FORMULA = "=+-@"


def fix_surrogates(s: str) -> str:
    """Replace lone surrogates with U+FFFD.

    YAML and JSON escapes can produce them, and any UTF-8 writer (reports, terminal, files)
    raises ``UnicodeEncodeError`` on one, so they are repaired before a string reaches output.
    """
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATES.sub(_REPLACEMENT, s)
    return s


def truncate(s: str, limit: int) -> str:
    """Cut ``s`` to at most ``limit`` characters, ending with "…" when anything was removed.

    A 10 MB value in a message must not become a 10 MB report line (docs/decisions.md, "Output safety"), and
    the ellipsis tells the reader the value goes on.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if len(s) <= limit:
        return s
    return s[: limit - 1] + _ELLIPSIS


def for_terminal(s: str) -> str:
    r"""Make control characters visible for a terminal: ESC becomes the four characters ``\x1b``.

    Rich passes ESC and most C0/C1 controls straight through, so a vendor value could clear the
    screen, move the cursor, set the window title or plant an OSC-8 hyperlink.  Newlines and tabs
    are kept because multi-line snippets need them; bidi controls become ``\u202e``-style text so
    reordering tricks are exposed.  Lone surrogates become ``\udcxx`` text as they cannot be
    encoded.  Backslashes in the input are left alone, so an escape in the output may also be
    literal text from the vendor; both read the same, which is the point.
    """
    return s.translate(_TERMINAL)


def one_line(s: str, limit: int = 200) -> str:
    r"""A terminal-safe single line: :func:`for_terminal`, then ``\n`` / ``\t`` shown as text.

    Used in tables and one-line messages where a newline in a vendor value would break the
    layout or forge an extra line.  Truncation never splits an escape such as ``\x1b``: the
    result has at most ``limit`` characters including the trailing "…".
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    escaped = s.translate(_ONE_LINE)
    if len(escaped) <= limit:
        return escaped
    pieces: list[str] = []
    used = 0
    for char in s:
        piece = _ONE_LINE.get(ord(char), char)
        if used + len(piece) > limit - 1:
            break
        pieces.append(piece)
        used += len(piece)
    return "".join(pieces) + _ELLIPSIS


def html_text(s: str) -> str:
    r"""Escape for HTML text and quoted attribute values.

    ``html.escape(quote=True)`` covers ``& < > " '``.  Characters HTML does not allow in text
    (controls other than tab, newline and carriage return, lone surrogates, noncharacters)
    become U+FFFD, and bidi controls become visible ``\u202e``-style text so a file name cannot
    be displayed reversed.  Values still belong only in text and quoted
    attributes, never in ``href``, ``src``, ``style`` or ``<script>`` (docs/decisions.md, "Output safety": HTML).
    """
    cleaned = _HTML_FORBIDDEN.sub(_REPLACEMENT, s).translate(_HTML_BIDI)
    return html.escape(cleaned, quote=True)


def xml_text(s: str) -> str:
    """Replace characters outside the XML 1.0 ``Char`` production with U+FFFD.

    ``xml.etree`` writes NUL, VT, ESC and lone surrogates as they are, which makes a JUnit or
    OSCAL report unparseable (docs/decisions.md, "Output safety": XML).  ``& < >`` are left to the serialiser.
    Carriage returns are normalised to newlines (``\\r\\n`` and lone ``\\r``): every XML parser
    does that to text content on reading, so doing it first makes the written value the one
    readers get back.
    """
    return _XML_FORBIDDEN.sub(_REPLACEMENT, s.replace("\r\n", "\n").replace("\r", "\n"))


def _visible_controls(s: str) -> str:
    """Line breaks and tabs to spaces, other controls and bidi marks to visible escapes."""
    return _LINE_BREAKS.sub(" ", s).translate(_TERMINAL)


def markdown_text(s: str) -> str:
    """Escape for Markdown text, including a GitHub table cell.

    Every ASCII punctuation character is backslash-escaped (a superset of the list in
    docs/decisions.md, "Output safety": ``\\ ` * _ { } [ ] ( ) # + - . ! | < >`` and ``~``), so the value renders
    literally on GitHub: no links, images, raw HTML, emphasis, headings, table cells, autolinks or
    maths.  Line breaks become spaces so the value cannot start a new block; control and bidi
    characters become visible escapes (whose backslash is itself escaped).
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _visible_controls(s))


def markdown_code(s: str, *, in_table: bool = True) -> str:
    r"""Show ``s`` as a Markdown inline code span, exactly as written.

    The fence is one backtick longer than the longest run of backticks inside, and the content
    is padded with a space when it starts or ends with a backtick or a space (CommonMark strips
    one space from each side of a padded span).  Line breaks become spaces because a code span
    is inline; control and bidi characters become visible escapes.

    Inside a GitHub table a ``|`` ends the cell even within a code span, so by default it is
    written ``\|``, which the table parser turns back into ``|``.  Pass ``in_table=False`` when
    the span is not in a table, where ``\|`` would show the backslash.
    """
    content = _visible_controls(s)
    if in_table:
        content = content.replace("|", "\\|")
    if not content:
        return "` `"
    longest = max((len(run) for run in re.findall("`+", content)), default=0)
    fence = "`" * (longest + 1)
    if (content[0] in "` " or content[-1] in "` ") and content.strip(" "):
        content = f" {content} "
    return f"{fence}{content}{fence}"


def csv_cell(s: str) -> str:
    """Neutralise spreadsheet formulas: prefix ``'`` to a cell whose first visible character is
    ``= + - @``, or that starts with a tab or a line break.

    The csv module quotes fields but does not stop Excel or LibreOffice from evaluating
    ``=HYPERLINK(...)`` (OWASP CSV injection, CWE-1236), and importers that trim blanks find
    a formula behind leading spaces, line breaks or invisible characters (U+FEFF, U+200B) as
    well; so everything Unicode calls a space, a control or a format character is looked past.
    Lone surrogates and NUL become U+FFFD, so writing and reading the file cannot fail (CSV
    readers, Python's own before 3.11 among them, refuse NUL); anything else is unchanged.
    """
    s = fix_surrogates(s).replace("\x00", "\ufffd")
    if s.startswith(_CSV_TRIGGERS) or _hides_formula(s):
        return "'" + s
    return s


def _hides_formula(s: str) -> bool:
    for ch in s:
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"):
            continue
        return ch in _CSV_FORMULA
    return False


def csv_row(fields: Iterable[str]) -> str:
    """One CSV record (RFC 4180 quoting) ending in ``\\n``.

    A field is quoted when it holds a comma, a double quote, a carriage return or a line
    feed. The csv module quotes only the characters of its line terminator, so a lone CR in a
    bid's folder name (``\\r=3+4``) ended the row for a spreadsheet, and the rest of the name
    began a row of its own, as a live formula.
    """
    return ",".join(_csv_field(field) for field in fields) + "\n"


def _csv_field(field: str) -> str:
    if any(ch in field for ch in ',"\r\n'):
        return '"' + field.replace('"', '""') + '"'
    return field
