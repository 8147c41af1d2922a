"""``--shard I/N``: the submissions of a run split over N jobs of a CI matrix.

Every job scans the same paths and computes the same plan; job I judges only its part, and
``ocp-check merge`` joins the N JSON reports into the report the whole run would have made.

The plan must be the same on every machine, and the parts about equally long. Submissions
are placed greedily, largest first, each in the part with the fewest bytes so far (the
classic longest-processing-time rule, within 4/3 of the best split): sizes are the bytes of
the submission's files and ties are broken by the submission's name, so the plan depends only
on the files and the paths as given, never on the machine, the clock or the order of a folder
listing.

What cannot be split: a folder that holds no document is decided once the other submissions
of its root are judged (``engine.account``: its files may be fragments they reach by ``$ref``,
and its scan notes go to the first submission of the root). When no file of the root's other
submissions can hold a ``$ref`` at all, nothing can reach it, and it is a unit of its own
(a notes-only folder goes with the root's first submission). Otherwise the whole root is one
unit, judged in one part: correct first, balanced second.
"""

from __future__ import annotations

import contextlib
import hashlib
import heapq
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ocp_check.errors import UsageError
from ocp_check.grouping import SubmissionTask
from ocp_check.i18n import _
from ocp_check.reading import ReadError, read_file

#: A ``$ref`` as the bytes of a file may spell it: plainly, or with the ``$`` escaped in a
#: double-quoted YAML or JSON string.
_REF = re.compile(rb"\$ref|\\u0024ref|\\x24ref|\\U00000024ref", re.IGNORECASE)


@dataclass(frozen=True)
class Shard:
    """Part ``index`` (1-based) of ``count``."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(text: str) -> Shard:
    """``I/N`` with 1 ≤ I ≤ N; anything else is a usage error."""
    match = re.fullmatch(r"\s*(\d{1,6})\s*/\s*(\d{1,6})\s*", text)
    if match is None:
        raise UsageError(_("--shard {value} is not I/N (for example 2/4)", value=repr(text)))
    index, count = int(match.group(1)), int(match.group(2))
    if not 1 <= index <= count:
        raise UsageError(_("--shard {value}: I must be between 1 and N", value=text))
    return Shard(index, count)


#: The plan of a run with no submission at all.
EMPTY_PLAN = hashlib.sha256().hexdigest()


@dataclass(frozen=True)
class Placement:
    """This job's part of the plan: its tasks, their places in the whole run, the plan's digest."""

    tasks: list[SubmissionTask]
    positions: list[int]
    plan: str


def _size(task: SubmissionTask) -> int:
    total = 0
    for candidate in (*task.candidates, *task.waiver_files):
        with contextlib.suppress(OSError):
            total += candidate.path.stat().st_size
    return total


def _may_reference(task: SubmissionTask, max_bytes: int) -> bool:
    for candidate in task.candidates:
        try:
            raw = read_file(candidate.path, max_bytes, keep_head=True)
        except ReadError as err:
            raw = getattr(err, "head", b"")
        if _REF.search(raw):
            return True
    return False


def units(tasks: Sequence[SubmissionTask], max_bytes: int) -> list[list[int]]:
    """The indices of ``tasks`` grouped into what must be judged in one part (see the module)."""
    by_root: dict[str, list[int]] = {}
    for index, task in enumerate(tasks):
        by_root.setdefault(str(task.root), []).append(index)
    out: list[list[int]] = []
    for indices in by_root.values():
        documentless = [i for i in indices if tasks[i].documentless]
        if not documentless:
            out.extend([i] for i in indices)
            continue
        judged = [i for i in indices if not tasks[i].documentless]
        if any(_may_reference(tasks[i], max_bytes) for i in judged):
            out.append(indices)
            continue
        first = [judged[0]] if judged else []
        for i in documentless:
            if not tasks[i].candidates and first:
                first.append(i)  # its notes go to the root's first submission
            else:
                out.append([i])
        out.extend([i] for i in judged[1:])
        if first:
            out.append(first)
    return out


def place(tasks: Sequence[SubmissionTask], shard: Shard, max_bytes: int) -> Placement:
    """This job's tasks, in the run's order (see the module docstring)."""
    groups = units(tasks, max_bytes)
    sized = []
    for group in groups:
        group.sort()
        size = sum(_size(tasks[i]) for i in group)
        sized.append((size, tuple(tasks[i].name for i in group), group))
    # Largest first; equal sizes by name (never by a folder listing's order).
    sized.sort(key=lambda item: (-item[0], item[1]))
    loads = [(0, part) for part in range(shard.count)]
    heapq.heapify(loads)
    mine: list[int] = []
    plan = hashlib.sha256()
    for size, names, group in sized:
        load, part = heapq.heappop(loads)
        heapq.heappush(loads, (load + size, part))
        plan.update(
            f"{part}\0{size}\0{len(names)}\0".encode() + "\0".join(names).encode("utf-8", "surrogatepass")
        )
        if part == shard.index - 1:
            mine.extend(group)
    mine.sort()
    return Placement(tasks=[tasks[i] for i in mine], positions=mine, plan=plan.hexdigest())
