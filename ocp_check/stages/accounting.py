"""Accounting: every file that is neither a document nor a fragment says what it is.

docs/ARCHITECTURE.md, "Every file is accounted for": a format handed in instead of an OCP
document is an error; a mapping of no known format is a warning beside the bid's documents,
and an error where it is all there is.
"""

from __future__ import annotations

from ocp_check import foreign
from ocp_check.i18n import _
from ocp_check.model import Finding, Level
from ocp_check.stages import findings
from ocp_check.stages.context import Submission


def run(sub: Submission) -> Submission:
    has_documents = any(d.kind is not None or d.loaded.announced for d in sub.docs)
    found: list[Finding] = []
    unrecognised: dict[str, str] = {}
    for doc in sub.docs:
        loaded = doc.loaded
        if doc.rel in sub.fragments:
            continue
        if loaded.foreign is not None:
            unrecognised[doc.rel] = loaded.foreign.message
        elif loaded.document is not None and doc.kind is None:
            what = foreign.recognise(loaded.document.data, doc.rel)
            unrecognised[doc.rel] = what.message
            level = Level.MUST if what.specific or not has_documents else Level.SHOULD
            found.append(findings.foreign(doc.rel, what, level))
        elif loaded.error is not None and not loaded.announced:
            unrecognised[doc.rel] = _("cannot be loaded: {reason}", reason=loaded.error.message)
    return sub.found(found, unrecognised=unrecognised)
