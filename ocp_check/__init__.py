"""ocp-check: executable Open City Platform data-governance standards.

The package checks vendor documents (data manifests, retention policies and OpenAPI
descriptions) against versioned standards shipped as data, and produces conformance
reports for procurement officers, vendors and CI pipelines.

The names in ``__all__`` are the public Python API (``ocp_check.api``, ``docs/api.md``),
imported on first use so that the command line starts without them::

    import ocp_check

    report = ocp_check.check(["examples/bids/harbourview-sensors"])
    print(ocp_check.render_report(report, "markdown"))
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from ocp_check.api import (
        FORMATS,
        MATRIX_FORMATS,
        ClauseInfo,
        ClauseResult,
        ConfigError,
        DocumentKind,
        DocumentResult,
        FailOn,
        Finding,
        FindingState,
        Level,
        Limits,
        Location,
        OcpCheckError,
        PinMismatch,
        Report,
        Severity,
        StandardError,
        StandardInvalid,
        StandardNotFound,
        StandardRef,
        StandardSummary,
        StandardVersion,
        Status,
        SubmissionResult,
        UsageError,
        Verification,
        check,
        check_documents,
        exit_code,
        list_standards,
        load_standard,
        render_matrix,
        render_report,
        verify_report,
    )

__all__ = [
    "FORMATS",
    "MATRIX_FORMATS",
    "ClauseInfo",
    "ClauseResult",
    "ConfigError",
    "DocumentKind",
    "DocumentResult",
    "FailOn",
    "Finding",
    "FindingState",
    "Level",
    "Limits",
    "Location",
    "OcpCheckError",
    "PinMismatch",
    "Report",
    "Severity",
    "StandardError",
    "StandardInvalid",
    "StandardNotFound",
    "StandardRef",
    "StandardSummary",
    "StandardVersion",
    "Status",
    "SubmissionResult",
    "UsageError",
    "Verification",
    "__version__",
    "check",
    "check_documents",
    "exit_code",
    "list_standards",
    "load_standard",
    "render_matrix",
    "render_report",
    "verify_report",
]


def __getattr__(name: str) -> Any:
    """The API's names, imported on first use (``import ocp_check`` stays cheap)."""
    if name in __all__ and name != "__version__":
        from ocp_check import api

        return getattr(api, name)
    raise AttributeError(f"module 'ocp_check' has no attribute {name!r}")
