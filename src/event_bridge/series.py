"""Occurrences of a recurring series, for matching instances published one by one elsewhere.
Pure.

RFC 5545 §3.8.5.3: an RRULE recurs in the zone the series was written in (a weekly 19:00 in
``Europe/Paris`` stays 19:00 across the DST change), so the rule is expanded from the local
start, then each instance is turned back into UTC.  RDATEs are added and EXDATEs removed
(§3.8.5.1/2); an override (a VEVENT with RECURRENCE-ID, §3.8.4.4) moves or cancels one
instance, which keeps its original instant as its identity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo

from dateutil.rrule import rrulestr

from .model import EventData, Moment, SourceEvent, moment_key
from .vtimezone import zone_for

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


def _zone(data: EventData) -> tzinfo:
    try:
        return zone_for(data.tzid, data.tz_definition)
    except Exception:  # an unknown zone name: expand in UTC rather than fail the sync
        return UTC


def instants(data: EventData, cap: int = MAX_OCCURRENCES) -> list[Moment]:
    """The series' original instants (UTC datetimes or dates), EXDATEs removed, sorted."""
    found: set[Moment] = {data.start, *data.rdates} if data.recurring else {data.start}
    if data.rrule:
        found.update(_expand(data, cap))
    excluded = set(data.exdates)
    return sorted((m for m in found if m not in excluded), key=_sort_key)[:cap]


def _expand(data: EventData, cap: int) -> list[Moment]:
    if isinstance(data.start, datetime):
        local = data.start.astimezone(_zone(data))
        rule = rrulestr(data.rrule, dtstart=local, forceset=False, cache=False)
        out: list[Moment] = []
        for value in rule:
            out.append(value.astimezone(UTC))
            if len(out) >= cap:
                break
        return out
    start = datetime.combine(data.start, datetime.min.time())
    rule = rrulestr(data.rrule.replace("Z", ""), dtstart=start, cache=False)
    dates: list[Moment] = []
    for value in rule:
        dates.append(value.date())
        if len(dates) >= cap:
            break
    return dates


def _sort_key(moment: Moment) -> datetime:
    if isinstance(moment, datetime):
        return moment
    return datetime(moment.year, moment.month, moment.day, tzinfo=UTC)


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
