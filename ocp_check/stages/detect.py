"""Detect: the kind of each loaded file and the standard version it declares, from its content.

Kinds are recognised by content, never by file name (``ocp_check/detect.py``). Markdown is
read for its front matter only: never an OCP document, whatever it says.
"""

from __future__ import annotations

import dataclasses

from ocp_check import foreign
from ocp_check.detect import detect
from ocp_check.stages.context import Submission


def run(sub: Submission) -> Submission:
    docs = tuple(
        dataclasses.replace(doc, detection=detect(doc.loaded.document.data))
        if doc.loaded.document is not None and not foreign.is_markdown(doc.rel)
        else doc
        for doc in sub.docs
    )
    return sub.but(docs=docs)
