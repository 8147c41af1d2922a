"""How a run tells whoever started it how far it has got, without printing anything.

The core stays pure: ``engine.check`` accepts a ``Watcher`` and calls it; what the calls turn
into (a progress bar on a terminal, lines in a CI log, nothing) is the CLI's business
(``cli/progress.py``). A watcher never changes a result, and the report does not depend on one.
"""

from __future__ import annotations

from typing import Protocol

#: While workers run, the pool calls ``tick`` at least this often (seconds), so a display can
#: move without a thread of its own (a thread alive when workers are forked could hold a lock
#: that the forked worker then waits on for ever).
TICK = 0.1


class Watcher(Protocol):
    """What a run reports as it goes."""

    def planned(self, count: int) -> None:
        """``count`` more submissions are to be judged."""

    def judged(self, count: int = 1) -> None:
        """``count`` submissions are done (judged, or found to be no submission after all)."""

    def tick(self) -> None:
        """Nothing new; called at least every ``TICK`` seconds while the run waits on workers."""


class Unwatched:
    """The watcher of a run nobody watches."""

    def planned(self, count: int) -> None:
        return None

    def judged(self, count: int = 1) -> None:
        return None

    def tick(self) -> None:
        return None
