"""Occurrences of a recurring series, for matching instances published one by one elsewhere.
Pure.

The instants come from the one expansion in :mod:`.expand` (RFC 5545 §3.8.5: the rule on
the series' wall clock, RDATEs added, EXDATEs removed, DTSTART off its rule read as documented
there).  An override (a VEVENT with RECURRENCE-ID, §3.8.4.4) moves or cancels one
instance, which keeps its original instant as its identity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfoNotFoundError

from event_bridge.model import EventData, Moment, SourceEvent, moment_key
from event_bridge.recurrence.expand import first_instances

MAX_OCCURRENCES = 500
"""Instances of one series considered for matching (a weekly series: almost ten years)."""


@dataclass(frozen=True)
class Occurrence:
    """One instance: ``rid`` is its RECURRENCE-ID text, ``start`` where it actually starts
    (moved by an override, if any)."""

    rid: str
    original: Moment
    start: Moment
    cancelled: bool = False


def instants(data: EventData, cap: int = MAX_OCCURRENCES) -> list[Moment]:
    """The series' original instants (UTC datetimes or dates), EXDATEs removed, sorted: the
    first ``cap`` of the one expansion (:func:`.expand.first_instances`), so matching sees
    exactly the instances publishing writes.  A series whose zone or rule cannot be read
    counts as its DTSTART alone (intake reports those; matching must not fail on them)."""
    try:
        return first_instances(data, cap)
    except (ValueError, TypeError, OverflowError, KeyError, ZoneInfoNotFoundError):
        return [data.start]


def occurrences(master: SourceEvent, overrides: Sequence[SourceEvent],
                cap: int = MAX_OCCURRENCES) -> list[Occurrence]:
    """Every instance of ``master`` with its overrides applied."""
    moved = {o.key.recurrence_id: o for o in overrides}
    out = []
    for original in instants(master.data, cap):
        rid = moment_key(original)
        override = moved.get(rid)
        if override is None:
            out.append(Occurrence(rid, original, original, master.data.cancelled))
        else:
            out.append(Occurrence(rid, original, override.data.start, override.data.cancelled))
    return out


def shifted(data: EventData, start: Moment) -> EventData:
    """The master's content for one instance starting at ``start`` (same duration)."""
    duration = _duration(data.start, data.end)
    end: Moment
    if isinstance(start, datetime):
        end = start + duration
    else:
        end = start + timedelta(days=max(duration.days, 1))
    return replace(data, start=start, end=end, rrule="", rdates=(), exdates=(),
                   this_and_future=False)


def _duration(start: Moment, end: Moment) -> timedelta:
    if isinstance(start, datetime) and isinstance(end, datetime):
        return end - start
    if isinstance(start, date) and isinstance(end, date) and not isinstance(end, datetime):
        return end - start
    return timedelta(0)
