"""Bids side by side: one matrix of clause × bid from a report of several submissions.

An evaluation committee compares bids, not single reports. Rows are clauses keyed by standard
id and clause id, so bids that declared different versions of a standard are still compared
clause by clause; the version each bid was judged against is shown per bid, and a clause a
bid's version does not have is shown as absent ("—").
"""

from __future__ import annotations

from dataclasses import dataclass

from ocp_check.model import Report, Status, SubmissionResult


@dataclass(frozen=True)
class Row:
    standard: str
    clause: str
    title: str
    levels: tuple[str, ...]
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Column:
    name: str
    verdict: str
    counts: dict[str, int]
    versions: dict[str, str]
    failing_must: int


@dataclass(frozen=True)
class Matrix:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]


def _clause_key(clause: str) -> tuple[object, ...]:
    prefix, _, numbers = clause.partition("-")
    parts: list[object] = [prefix]
    for piece in numbers.split("."):
        parts.append(int(piece) if piece.isascii() and piece.isdigit() else piece)
    return tuple(parts)


def build_matrix(report: Report) -> Matrix:
    subs: list[SubmissionResult] = list(report.submissions)
    columns = []
    for sub in subs:
        versions: dict[str, str] = {}
        for c in sub.clauses:
            versions.setdefault(c.standard.id, c.standard.version)
        failing_must = sum(
            1 for c in sub.clauses if c.status is Status.FAIL and c.level.severity.value == "error"
        )
        label = f"{sub.name} [{sub.evaluation}]" if sub.evaluation else sub.name
        columns.append(Column(label, sub.verdict, sub.counts(), versions, failing_must))
    keys: dict[tuple[str, str], str] = {}
    for sub in subs:
        for c in sub.clauses:
            keys.setdefault((c.standard.id, c.clause), c.title)
    # Each bid's clauses indexed once: a search per cell made the matrix quadratic in clauses.
    indexed = [{(c.standard.id, c.clause): c for c in reversed(sub.clauses)} for sub in subs]
    rows = []
    for (sid, cid), title in sorted(keys.items(), key=lambda kv: (kv[0][0], _clause_key(kv[0][1]))):
        cells = []
        levels = []
        for clauses in indexed:
            found = clauses.get((sid, cid))
            cells.append(found.status.value if found else "—")
            levels.append(found.level.value if found else "—")
        rows.append(Row(sid, cid, title, tuple(levels), tuple(cells)))
    return Matrix(tuple(columns), tuple(rows))
