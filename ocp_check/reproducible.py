"""The moment a reproducible build names: ``SOURCE_DATE_EPOCH``.

The command line takes "today" from it when ``--today`` is not given, and the renderers whose
formats carry a timestamp (JUnit, OSCAL) write its moment, so a report is byte-identical from
one run to the next (https://reproducible-builds.org/specs/source-date-epoch/). The command
line rejects a malformed value (exit 2); a renderer falls back to the Unix epoch instead,
because rendering must not fail after the check has run.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Mapping

from ocp_check.i18n import _

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def source_date_epoch(environ: Mapping[str, str] | None = None) -> datetime.datetime | None:
    """The moment ``SOURCE_DATE_EPOCH`` names, in UTC; None when unset; ValueError when malformed."""
    raw = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    try:
        return datetime.datetime.fromtimestamp(int(raw), datetime.timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise ValueError(_("SOURCE_DATE_EPOCH={value} is not a Unix timestamp", value=repr(raw))) from None


def render_moment(first_year: int, last_year: int) -> datetime.datetime:
    """The moment a report carries: ``SOURCE_DATE_EPOCH``, else (unset, malformed, or outside
    the years the format accepts) the Unix epoch."""
    try:
        moment = source_date_epoch()
    except ValueError:
        return EPOCH
    if moment is None or not first_year <= moment.year <= last_year:
        return EPOCH
    return moment
