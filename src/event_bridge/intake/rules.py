"""The recurrence properties of one VEVENT (RFC 5545 §3.8.5): RRULE as text with UNTIL in
UTC (a DATE for all-day series, §3.3.10), RDATE and EXDATE as sorted moments of the same
kind as DTSTART.  Pure; only the first RRULE is kept (a note says so).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from dateutil.rrule import rrulestr
from icalendar import Event

from event_bridge.intake.props import first_value, ical_text, prop_value
from event_bridge.intake.times import FeedContext, Unusable, local_time, moment_of, to_utc
from event_bridge.model import Moment
from event_bridge.tz.names import Zone

MAX_INSTANTS_PER_DAY = 1_440
"""Most instants a day a DAILY-or-coarser RRULE may ask for (one a minute): a YEARLY rule
with every BY list filled is a SECONDLY rule in disguise, 31 million candidates a year."""

END_OF_DAY = time(23, 59, 59)
"""A DATE ``UNTIL`` on a timed series includes that whole day (RFC 5545 §3.3.10: inclusive)."""


def rrule_text(vevent: Event, start: Moment, zone: Zone, ctx: FeedContext, uid: str) -> str:
    """The RRULE text with UNTIL in UTC (timed series) or a DATE (all-day series)."""
    rules = prop_value(vevent, "RRULE")
    if isinstance(rules, list) and len(rules) > 1:
        ctx.note(uid, f"{len(rules)} RRULEs; only the first is kept")
    rule = first_value(rules)
    if rule is None:
        return ""
    _check_work(rule)
    rule = type(rule)(dict(rule))  # a copy: the parsed component stays as read
    until = rule.get("UNTIL")
    if until:
        rule["UNTIL"] = [_until(until[0], start, zone)]
    text = ical_text(rule)
    _check_readable(text, start)
    return text


def _check_readable(text: str, start: Moment) -> None:
    """:class:`Unusable` unless dateutil, which expands every series, reads the rule: an
    unreadable RRULE stored would fail every later publication."""
    first = start if isinstance(start, datetime) else datetime.combine(start, time())
    try:
        rrulestr(text, dtstart=first)
    except Exception as exc:  # dateutil raises ValueError, TypeError, AttributeError, …
        raise Unusable(f"RRULE {text[:80]!r} cannot be read ({type(exc).__name__}: "
                       f"{str(exc)[:80]}): VEVENT skipped") from exc


def _check_work(rule: Any) -> None:
    """:class:`Unusable` for a daily-or-coarser rule asking for more than
    :data:`MAX_INSTANTS_PER_DAY` instants a day (BYHOUR × BYMINUTE × BYSECOND)."""
    freq = str((rule.get("FREQ") or [""])[0]).upper()
    if freq in ("SECONDLY", "MINUTELY", "HOURLY"):
        return  # bounded by the expansion, and capped when published
    per_day = 1
    for part in ("BYHOUR", "BYMINUTE", "BYSECOND"):
        per_day *= max(len(rule.get(part) or ()), 1)
    if per_day > MAX_INSTANTS_PER_DAY:
        raise Unusable(f"RRULE asks for {per_day} instants a day (BYHOUR × BYMINUTE × "
                       f"BYSECOND; at most {MAX_INSTANTS_PER_DAY}): VEVENT skipped")


def _until(value: date, start: Moment, zone: Zone) -> Moment:
    if not isinstance(start, datetime):
        if isinstance(value, datetime):
            return (value.astimezone(UTC) if value.tzinfo else value).date()
        return value
    if not isinstance(value, datetime):
        return to_utc(datetime.combine(value, END_OF_DAY), zone)
    if value.tzinfo is None:
        return to_utc(value, zone)
    return value.astimezone(UTC)


def moment_set(vevent: Event, name: str, start: Moment, zone: Zone,
             ctx: FeedContext) -> tuple[Moment, ...]:
    """RDATE/EXDATE values as moments of the event's kind, sorted (RFC 5545 §3.8.5)."""
    values = prop_value(vevent, name)
    found: set[Any] = set()
    for group in values if isinstance(values, list) else [values]:
        tzid = getattr(group, "params", {}).get("TZID")
        for item in getattr(group, "dts", ()):
            found.add(_like(moment_of(item.dt, tzid, ctx, zone), start, zone))
    return tuple(sorted(found))


def _like(moment: Moment, start: Moment, zone: Zone) -> Moment:
    """A moment of the same kind as ``start``: a date on a timed series means the
    occurrence of that day; a date-time on an all-day series means its date."""
    if isinstance(start, datetime) and not isinstance(moment, datetime):
        return to_utc(datetime.combine(moment, local_time(start, zone).time()), zone)
    if not isinstance(start, datetime) and isinstance(moment, datetime):
        return moment.date()
    return moment
