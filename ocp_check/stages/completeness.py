"""Completeness: a bid holds one data manifest, one retention policy and its API descriptions.

Missing or duplicated documents fail the hub standard's completeness clause. A profile may
relax which kinds are required (``documents:``); duplicates are always reported; several API
descriptions are normal, and each is judged. With ``--each`` a document stands alone and the
clause is not applicable.
"""

from __future__ import annotations

from ocp_check.i18n import _
from ocp_check.model import DocumentKind, Finding
from ocp_check.stages import findings
from ocp_check.stages.context import Submission
from ocp_check.stages.versions import ALL_KINDS


def run(sub: Submission) -> Submission:
    hub = sub.kind_standard.get(DocumentKind.DATA_MANIFEST)
    if hub is None or hub.completeness_clause is None:
        return sub
    clause = hub.completeness_clause
    if sub.standalone:
        return sub.but(not_applicable={(hub.ref.id, clause): _("each document is checked on its own (--each)")})
    profile = sub.run.settings.profile
    needed = hub.completeness_requires if profile is None or profile.documents is None else profile.documents
    found: list[Finding] = []
    for kind in ALL_KINDS:
        if kind not in needed and kind not in sub.by_kind:
            continue
        docs = sub.by_kind.get(kind, [])
        if not docs and kind in needed and kind not in sub.unloadable:
            # A file that announces the kind but fails to load is already an error finding;
            # the document is there, so it is not reported as missing too.
            found.append(findings.missing_document(hub, clause, kind))
        # A second manifest or retention policy leaves the bid ambiguous.
        for extra in docs[1:] if kind is not DocumentKind.OPENAPI else ():
            found.append(findings.second_document(hub, clause, kind, extra.rel, docs[0].rel))
    return sub.found(found)
