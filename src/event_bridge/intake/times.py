"""The time values of one VEVENT → moments (RFC 5545 §3.3.5 DATE-TIME, §3.3.4 DATE,
§3.6.1 DTEND/DURATION, §3.8.4.4 RECURRENCE-ID).

A DATE-TIME becomes a UTC instant read in the zone it was written in (a TZID through the
feed's :class:`~event_bridge.zones.ZoneResolver`, else a floating time in the feed's
floating zone); a DATE stays a date.  :class:`FeedContext` carries what the reading needs
and collects notes; :class:`Unusable` is raised when a value makes the VEVENT unusable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from icalendar import Event

from event_bridge.intake.place import CityTerms
from event_bridge.intake.props import first_prop
from event_bridge.model import NOTE_PREFIX, City, FeedSource, Moment, Skipped
from event_bridge.model import moment_key as _moment_key
from event_bridge.tz.names import Zone, iana_zone, utc_zone
from event_bridge.tz.resolve import ZoneResolver

_ONE_DAY = timedelta(days=1)


class Unusable(Exception):
    """A VEVENT that cannot become a SourceEvent; the message is the reason."""


@dataclass
class FeedContext:
    """What reading one feed's VEVENTs needs (its zones, its floating zone, the cities) and
    what it collects (repair notes, the count of derived UIDs)."""

    feed: FeedSource
    cities: Mapping[str, City]
    resolver: ZoneResolver
    floating: Zone
    terms: CityTerms
    floating_is_home: bool = False  # no feed timezone, no X-WR-TIMEZONE: the city's zone
    notes: list[Skipped] = field(default_factory=list)
    derived_uids: int = 0
    _unresolved: set[str] = field(default_factory=set)

    def note(self, uid: str, text: str) -> None:
        self.notes.append(Skipped(self.feed.id, uid, NOTE_PREFIX + text))

    def zone(self, tzid: str) -> Zone:
        """The zone of a TZID; an unknown TZID without VTIMEZONE is read as floating."""
        zone = self.resolver.resolve(tzid)
        if zone is not None:
            return zone
        if tzid not in self._unresolved:
            self._unresolved.add(tzid)
            self.note("", f"TZID {tzid!r} is unknown and has no usable VTIMEZONE; "
                          f"read as floating time in {self.floating.tzid}")
        return self.floating


def value_zone(prop: Any, ctx: FeedContext) -> Zone:
    """The zone a DATE-TIME value is written in (RFC 5545 §3.3.5 forms 1-3)."""
    tzid = prop.params.get("TZID")
    if tzid:
        return ctx.zone(str(tzid))
    value = prop.dt
    if not isinstance(value, datetime) or value.tzinfo is None:
        return ctx.floating
    key = getattr(value.tzinfo, "key", None)
    zone = iana_zone(key) if isinstance(key, str) else None
    return zone or utc_zone()


def moment(prop: Any, ctx: FeedContext, zone: Zone) -> Moment:
    """A UTC instant or a date; floating values are placed in ``zone``."""
    return moment_of(prop.dt, prop.params.get("TZID"), ctx, zone)


def moment_of(value: Any, tzid: str | None, ctx: FeedContext, zone: Zone) -> Moment:
    """``value`` (a date, date-time or PERIOD) as a moment; ``tzid`` names its zone."""
    if isinstance(value, tuple):
        value = value[0]  # RDATE;VALUE=PERIOD: the period starts the occurrence
    if not isinstance(value, date):
        raise Unusable(f"{value!r} is not a date or a date-time")
    if not isinstance(value, datetime):
        return value
    if tzid:
        return to_utc(value.replace(tzinfo=None), ctx.zone(str(tzid)))
    if value.tzinfo is not None:
        return value.astimezone(UTC)
    return to_utc(value, zone)


def to_utc(wall: datetime, zone: Zone) -> datetime:
    """Wall-clock time in ``zone`` → UTC.  fold=0 reads a repeated hour as its first
    occurrence and a skipped hour with the offset before the change (RFC 5545 §3.3.5)."""
    return wall.replace(tzinfo=zone.tzinfo, fold=0).astimezone(UTC)


def local_time(instant: datetime, zone: Zone) -> datetime:
    return instant.astimezone(zone.tzinfo)


def end_moment(vevent: Event, start: Moment, zone: Zone, ctx: FeedContext, uid: str) -> Moment:
    """DTEND, else DTSTART + DURATION, else the RFC 5545 §3.6.1 default: one day for a
    DATE, zero for a DATE-TIME.  An end before the start becomes the default, noted."""
    default: Moment = start + _ONE_DAY if not isinstance(start, datetime) else start
    end_prop, duration = first_prop(vevent, "DTEND"), first_prop(vevent, "DURATION")
    if end_prop is not None:
        end = moment(end_prop, ctx, zone)
    elif duration is not None and isinstance(duration.dt, timedelta):
        end = _plus(start, duration.dt, zone)
    else:
        return default
    if isinstance(end, datetime) != isinstance(start, datetime):
        ctx.note(uid, "DTEND and DTSTART differ in value type; default end used")
        return default
    if end < start:  # both dates or both datetimes here
        ctx.note(uid, "end before start; default end used")
        return default
    return end


def _plus(start: Moment, duration: timedelta, zone: Zone) -> Moment:
    """RFC 5545 §3.3.6: days and weeks are nominal (wall clock), the rest exact."""
    if not isinstance(start, datetime):
        return start + timedelta(days=duration.days)
    nominal = local_time(start, zone) + timedelta(days=duration.days)
    return nominal.astimezone(UTC) + timedelta(seconds=duration.seconds,
                                               microseconds=duration.microseconds)


def recurrence_id(vevent: Event, ctx: FeedContext, zone: Zone, *,
                   all_day: bool) -> tuple[str, bool]:
    prop = first_prop(vevent, "RECURRENCE-ID")
    if prop is None:
        return "", False
    this_and_future = str(prop.params.get("RANGE", "")).upper() == "THISANDFUTURE"
    value = prop.dt
    if all_day and isinstance(value, datetime) and value.time() == time(0):
        # Exchange writes the RECURRENCE-ID of an all-day instance as local midnight in
        # a zone (";TZID=W. Europe Standard Time:20260226T000000"); the instance it
        # names is that day, and clients match it against a DATE master only as a DATE.
        return _moment_key(value.date()), this_and_future
    return _moment_key(moment(prop, ctx, zone)), this_and_future
