"""Query parameters shared by the feeds, the API and the page.  Pure.

Every value comes from a stranger's URL, so each parser either returns a value the rest of
the server can compute with, or raises :class:`BadParameter` with one line that says what
was expected (the caller answers 400 with it, never 500).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)
"""Dates accepted in ``from=`` / ``to=``: far enough for any calendar, near enough that a
window, a zone conversion and the page's previous/next steps stay inside ``datetime``."""


class BadParameter(ValueError):
    """A query parameter the server cannot use; ``str()`` is the one-line reason."""


def parse_day(text: str, name: str) -> date:
    """``YYYY-MM-DD`` between :data:`FIRST_DAY` and :data:`LAST_DAY`."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise BadParameter(f"{name}: expected a date as YYYY-MM-DD, got {text[:40]!r}") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise BadParameter(f"{name}: {day.isoformat()} is out of range; use a date from "
                           f"{FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}")
    return day


def day_start(day: date, zones: Sequence[str]) -> datetime:
    """The first midnight of ``day`` anywhere in ``zones`` (UTC): "from today" keeps what
    is still today in any of the cities."""
    starts = [datetime.combine(day, time(0), ZoneInfo(z)) for z in zones]
    return min(starts, default=datetime.combine(day, time(0), UTC)).astimezone(UTC)


def local_today(now: datetime, zones: Sequence[str]) -> date:
    """The earliest local date among ``zones`` at ``now`` (the westernmost city's today)."""
    return min((now.astimezone(ZoneInfo(z)).date() for z in zones), default=now.date())
