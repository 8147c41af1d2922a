"""Pausing the cyclic garbage collector where it only re-scans (docs/decisions.md).

Loading, judging a submission and rendering a report build or walk millions of objects that
are never cyclic garbage; a full collection over them re-scans every one for nothing.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic GC while millions of acyclic objects are built or walked: it made big
    loads 2-4x slower (docs/decisions.md, "Pausing the garbage collector") and has nothing to collect there. Also used around the
    evaluation of a submission and the rendering of a report (whose large trees every full
    collection would re-scan). Restored even on errors; cycles made meanwhile are collected
    by the next collection after it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
