"""Small shared types of the pipeline that several stages need (kept apart to avoid cycles)."""

from __future__ import annotations

import datetime


class Clock:
    """Today's date, remembering whether anything consulted it (the report records it then).

    "Today" decides waiver expiry and clause effective dates, so it is an explicit input
    (``--today``, ``SOURCE_DATE_EPOCH``, else the UTC date) and is recorded in the report
    whenever it mattered, which is what lets ``verify`` re-run with the same date.
    """

    def __init__(self, today: datetime.date | None) -> None:
        self._today = today or datetime.datetime.now(datetime.timezone.utc).date()
        self.consulted = False

    def today(self) -> datetime.date:
        self.consulted = True
        return self._today
