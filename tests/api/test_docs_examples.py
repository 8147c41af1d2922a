"""The examples of docs/api.md are run as written, from the root of the repository."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def test_the_examples_of_the_api_page_run_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    page = REPO / "docs" / "api.md"
    result = doctest.testfile(
        str(page),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.IGNORE_EXCEPTION_DETAIL,
        raise_on_error=False,
        verbose=False,
    )
    assert result.attempted >= 20, "the page lost its examples"
    assert result.failed == 0
