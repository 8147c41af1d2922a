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
            {"kind": "compliance-report", "standard": "ocp-compliance-report@1.0"},
            DocumentKind.COMPLIANCE_REPORT,
            "ocp-compliance-report@1.0",
            "",
            None,
        ),
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


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"# year two\nkind: compliance-report\nstandard: ocp-compliance-report@1.0\n", "compliance-report"),
        (b'{"kind": "compliance-report"}', "compliance-report"),
        (b"kind: retention-policy\n", "retention-policy"),
        (b"kind: data-manifest\n", "data-manifest"),
        (b"kind: compliance-reports\n", None),
    ],
)
def test_a_compliance_report_announces_its_folder_as_a_submission(head, kind):
    """Grouping draws submission boundaries from the kind a file announces, before parsing: a
    folder holding only a compliance report is a submission of its own, not a fragment."""
    from ocp_check.grouping import announced_kind

    assert announced_kind(head) == kind
