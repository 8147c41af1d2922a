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

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from ocp_check.api import *  # noqa: F403  (the names of ``ocp_check.api.__all__``)


def __getattr__(name: str) -> Any:
    """The API's names, imported on first use (``import ocp_check`` stays cheap). ``__all__``
    is read from ``ocp_check.api`` too, so the public names are listed in one place."""
    if name.startswith("_") and name != "__all__":  # ``from ocp_check import api`` asks for it
        raise AttributeError(f"module 'ocp_check' has no attribute {name!r}")
    if importlib.util.find_spec(f"{__name__}.{name}") is not None:
        # ``from ocp_check import signals`` asks the package for ``signals`` before importing
        # the submodule: answering from the API would import it (and the whole core) for
        # every such import, ``ocp-check --version`` included.
        raise AttributeError(f"module 'ocp_check' has no attribute {name!r}")
    api = importlib.import_module("ocp_check.api")
    if name == "__all__":
        return ["__version__", *api.__all__]
    if name in api.__all__:
        return getattr(api, name)
    raise AttributeError(f"module 'ocp_check' has no attribute {name!r}")
