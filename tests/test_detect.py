import pytest

from ocp_check.detect import detect
from ocp_check.model import DocumentKind


@pytest.mark.parametrize(
    ("data", "kind", "declared", "key", "problem"),
    [
        (
            {"kind": "data-manifest", "standard": "ocp-data-governance@1.0"},
            DocumentKind.DATA_MANIFEST,
            "ocp-data-governance@1.0",
            "",
            None,
        ),
        ({"kind": "retention-policy"}, DocumentKind.RETENTION_POLICY, None, "", None),
        (
            {"openapi": "3.1.0", "info": {"x-ocp-standard": "ocp-api-exchange@1.0"}},
            DocumentKind.OPENAPI,
            "ocp-api-exchange@1.0",
            "3.1",
            None,
        ),
        ({"openapi": "3.0.3"}, DocumentKind.OPENAPI, None, "3.0", None),
        ({"swagger": "2.0"}, DocumentKind.OPENAPI, None, "", "Swagger 2.0"),
        ({"openapi": "3.2.0"}, DocumentKind.OPENAPI, None, "3.2", None),
        ({"openapi": "4.0.0"}, DocumentKind.OPENAPI, None, "", "4.0.0 is not supported"),
        ({"openapi": 3.1}, DocumentKind.OPENAPI, None, "", "version string"),
        ({"kind": "openapi"}, None, None, "", None),
        ({"kind": "something-else"}, None, None, "", None),
        ({"kind": ["data-manifest"]}, None, None, "", None),
        ([1, 2], None, None, "", None),
        ("text", None, None, "", None),
    ],
)
def test_detect(data, kind, declared, key, problem):
    found = detect(data)
    assert found.kind == kind
    assert found.declared == declared
    assert found.schema_key == key
    if problem is None:
        assert found.problem is None
    else:
        assert problem in found.problem


def test_declared_standard_must_be_text():
    assert detect({"kind": "data-manifest", "standard": 1.0}).declared is None
