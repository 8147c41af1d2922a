"""ocp-check: executable Open City Platform data-governance standards.

The package checks vendor documents (data manifests, retention policies and OpenAPI
descriptions) against versioned standards shipped as data, and produces conformance
reports for procurement officers, vendors and CI pipelines.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
