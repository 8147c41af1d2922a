"""JSON Schema ``format`` checkers that actually assert.

python-jsonschema only asserts a format when a checker for it is registered, and several
(``uri``, ``email`` in any strict sense) need optional extras. Vendor documents are judged on
these formats, so the project registers its own small, documented checkers for every format
the shipped standards use, and ``standard_files.py`` refuses a standard whose schema uses a format
that is not in ``CHECKED_FORMATS`` (a silent pass would be a wrong verdict).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from urllib.parse import urlsplit

from jsonschema import FormatChecker

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})\Z"
)
_EMAIL = re.compile(
    r"[^@\s<>()\[\],;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\Z"
)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*\Z")
_URI_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*\Z")


def is_date(value: object) -> bool:
    """RFC 3339 full-date: exactly YYYY-MM-DD and a real calendar day."""
    if not isinstance(value, str):
        return True
    if not _DATE.match(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_date_time(value: object) -> bool:
    """RFC 3339 date-time with a mandatory offset."""
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.match(value):
        return False
    try:
        datetime.datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def is_email(value: object) -> bool:
    """A pragmatic addr-spec: one ``@``, a dotted domain, no spaces or brackets."""
    if not isinstance(value, str):
        return True
    return len(value) <= 254 and bool(_EMAIL.match(value))


def is_uri(value: object) -> bool:
    """An absolute URI (RFC 3986): a scheme, and only characters a URI may contain."""
    if not isinstance(value, str):
        return True
    if len(value) > 4096 or not _URI_CHARS.match(value):
        return False
    parts = urlsplit(value)
    if not parts.scheme or not _SCHEME.match(parts.scheme):
        return False
    return not (parts.scheme in ("http", "https") and not parts.netloc)


def is_uri_reference(value: object) -> bool:
    """A URI or a relative reference: only characters a URI may contain."""
    if not isinstance(value, str):
        return True
    return len(value) <= 4096 and bool(_URI_CHARS.match(value))


_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"  # noqa: S105 - an RFC 9110 token, not a secret
_MEDIA_RANGE = re.compile(rf"(\*/\*|{_TOKEN}/\*|{_TOKEN}/{_TOKEN})(\s*;\s*{_TOKEN}=({_TOKEN}|\"[^\"]*\"))*\Z")


def is_media_range(value: object) -> bool:
    """An RFC 9110 media range such as ``application/json`` or ``text/*; charset=utf-8``."""
    if not isinstance(value, str):
        return True
    return len(value) <= 1000 and bool(_MEDIA_RANGE.match(value.strip()))


def is_regex(value: object) -> bool:
    """Schemas in vendor documents are data, not executed; accept any string here."""
    return True


FORMAT_FUNCTIONS: dict[str, Callable[[object], bool]] = {
    "date": is_date,
    "date-time": is_date_time,
    "email": is_email,
    "uri": is_uri,
    "uri-reference": is_uri_reference,
    "regex": is_regex,
    "media-range": is_media_range,
}

CHECKED_FORMATS = frozenset(FORMAT_FUNCTIONS)


def make_format_checker() -> FormatChecker:
    """A FormatChecker with exactly the project's checkers (no optional-extra surprises)."""
    checker = FormatChecker(formats=())
    for name, func in FORMAT_FUNCTIONS.items():
        checker.checks(name)(func)
    return checker
