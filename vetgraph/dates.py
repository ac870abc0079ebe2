"""The day vetgraph's outputs are about: today, or ``SOURCE_DATE_EPOCH`` for outputs that must be reproducible.

``SOURCE_DATE_EPOCH`` (https://reproducible-builds.org/specs/source-date-epoch/) is the number of
seconds since 1970-01-01 UTC. With it, the report's and the catalogue's dates and the mandate period
followed up by default are the same on every run; the tests set it, so that none of them changes when
the calendar moves into the next mandate period. Times of events (when a submission was accepted,
when Kolada was asked) stay the real time.
"""

from __future__ import annotations

import datetime
import os

from vetgraph.errors import VetgraphError


def today() -> datetime.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None or epoch == "":
        return datetime.date.today()
    if not epoch.isdigit():
        raise VetgraphError(f"SOURCE_DATE_EPOCH is '{epoch}'; it is a whole number of seconds since 1970-01-01 UTC")
    try:
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()
    except (OverflowError, ValueError, OSError):
        raise VetgraphError(f"SOURCE_DATE_EPOCH is {epoch}: too far from today to be a date") from None
