"""The ``{detail}`` and ``{expected}`` values checks put inside rule messages, in the run's language."""

from __future__ import annotations

from typing import Any

from ocp_check import i18n
from ocp_check.check_base import Subject
from ocp_check.check_keywords import _c_present, _c_type


def _fail(make: Any, arg: Any, subject: Subject) -> Any:
    run, _docs = make(arg, {}, None, "test")
    return run(subject, None)


def test_details_are_english_in_english_and_french_in_french() -> None:
    missing = Subject(False, None, None)
    text = Subject(True, "yes", None)
    assert _fail(_c_present, True, missing).detail == "it is missing"
    assert _fail(_c_type, "integer", text).detail == "it is string"
    assert _fail(_c_type, "integer", text).expected == "a integer"
    with i18n.using("fr"):
        assert _fail(_c_present, True, missing).detail == "la valeur est absente"
        assert _fail(_c_type, "integer", text).detail == "la valeur est de type string"
        assert _fail(_c_type, "integer", text).expected == "une valeur de type integer"
