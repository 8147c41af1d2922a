import pytest

from ocp_check import formats


@pytest.mark.parametrize(
    ("name", "value", "ok"),
    [
        ("date", "2026-01-31", True),
        ("date", "2026-02-30", False),
        ("date", "20260131", False),
        ("date", "2026-1-31", False),
        ("date", 5, True),
        ("date-time", "2026-01-31T10:00:00Z", True),
        ("date-time", "2026-01-31T10:00:00", False),
        ("email", "privacy@harbourview.example", True),
        ("email", "not-an-email", False),
        ("email", "a b@c.example", False),
        ("uri", "https://vendor.example/notice", True),
        ("uri", "https://", False),
        ("uri", "not a uri", False),
        ("uri", "mailto:privacy@city.example", True),
        ("uri-reference", "../x#y", True),
        ("uri-reference", "a b", False),
    ],
)
def test_format_functions(name, value, ok):
    assert formats.FORMAT_FUNCTIONS[name](value) is ok


def test_checker_asserts_every_listed_format():
    checker = formats.make_format_checker()
    assert set(checker.checkers) == set(formats.CHECKED_FORMATS)
    assert not checker.conforms("2024-13-45", "date")
    assert not checker.conforms("nope", "email")
