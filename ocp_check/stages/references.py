"""References: every ``$ref`` of every document is followed inside the root, once.

A broken or forbidden reference (remote, absolute, leaving the root, a missing target, a
chain that leads back to itself) is a finding; the files reached only by reference are
fragments of the documents, not documents. Documents of a kind the run does not judge only
say which files they reach: their broken references are not this run's findings.
"""

from __future__ import annotations

import functools

from ocp_check.model import Finding
from ocp_check.stages import findings
from ocp_check.stages.context import Submission
from ocp_check.workspace import Node, RefError, iter_refs


def run(sub: Submission) -> Submission:
    workspace = sub.workspace
    found: list[Finding] = []
    reached: set[str] = set()
    for doc in sub.docs:
        document = doc.loaded.document
        if document is None or doc.kind is None:
            continue
        quiet = sub.run.left_out(doc.kind) is not None
        sink: list[Finding] = [] if quiet else found
        queue = [(doc.rel, document.data)]
        visited_files = {doc.rel}
        while queue:
            file, data = queue.pop()
            for pointer, target in sorted(iter_refs(data)):
                try:
                    node = workspace.resolve(file, target)
                except RefError as err:
                    sink.append(findings.broken_reference(file, pointer, str(err), doc.standard))
                    continue
                if isinstance(node.value, dict) and "$ref" in node.value:
                    cycle: list[str] = []
                    workspace.follow(node, functools.partial(_record, cycle))
                    if cycle and cycle[0] == "circular $ref chain":
                        sink.append(findings.circular_reference(file, pointer, target, doc.standard))
                if node.file != file:
                    reached.add(node.file)
                    if node.file not in visited_files:
                        visited_files.add(node.file)
                        target_doc = workspace.document(node.file)
                        if target_doc is not None:
                            queue.append((node.file, target_doc.data))
    documents = {d.rel for d in sub.docs if d.kind is not None}
    return sub.found(found, fragments=frozenset(reached - documents))


def _record(sink: list[str], at: Node, message: str) -> None:
    sink.append(message)
