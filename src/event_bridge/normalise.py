"""Calendar components → ``SourceEvent`` (RFC 5545 §3.6.1 VEVENT, §3.3.5 DATE-TIME, §3.8.5
recurrence).

Pure: the result depends only on the parsed feed, the feed's configuration and the cities,
never on the order of the components in the file.  Every instant becomes UTC and keeps the
zone it was written in (``zones.py`` resolves TZIDs); all-day values stay dates; a floating
time is placed in the feed's configured ``timezone``, else the calendar's X-WR-TIMEZONE,
else the feed city's zone.  Series stay series: the RRULE is kept as text with UNTIL in
UTC (a DATE for all-day series), RDATE/EXDATE become sorted moments.  A VEVENT that cannot
be used is returned as ``Skipped`` with the reason; repairs that keep the event are
``Skipped`` entries whose reason starts with ``parse.NOTE_PREFIX``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import groupby
from typing import Any

from icalendar import Event

from .model import City, EventData, FeedSource, Moment, Skipped, SourceEvent, SourceKey
from .model import moment_key as _moment_key
from .parse import NOTE_PREFIX, ParsedFeed
from .zones import TzidUsage, Zone, ZoneResolver, iana_zone, utc_zone, zone_from_name

UID_DOMAIN = "event-bridge"
"""A VEVENT without UID gets ``sha-<digest>@<feed id>.event-bridge`` (stable across runs)."""

SERIES_MATCH_YEARS = 1
"""A series without UNTIL counts this many years past its start when a custom VTIMEZONE is
matched against IANA zones."""

END_OF_DAY = time(23, 59, 59)
"""A DATE ``UNTIL`` on a timed series includes that whole day (RFC 5545 §3.3.10: inclusive)."""

_ONE_DAY = timedelta(days=1)


class _Unusable(Exception):
    """A VEVENT that cannot become a SourceEvent; the message is the reason."""


@dataclass
class _Context:
    feed: FeedSource
    cities: Mapping[str, City]
    resolver: ZoneResolver
    floating: Zone
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


def normalise(parsed: ParsedFeed, feed: FeedSource,
              cities: Mapping[str, City]) -> tuple[list[SourceEvent], list[Skipped]]:
    """Every usable VEVENT of ``parsed`` as a SourceEvent, sorted by key; the others (and
    notes on repairs) as Skipped, sorted."""
    vevents = _vevents(parsed, feed)
    ctx = _context(parsed, feed, cities, vevents)
    events: list[SourceEvent] = []
    for vevent in vevents:
        try:
            events.append(_source_event(vevent, ctx))
        except _Unusable as exc:
            ctx.notes.append(Skipped(feed.id, _raw_uid(vevent), str(exc)))
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
            reason = f"unusable VEVENT ({type(exc).__name__}: {exc})"
            ctx.notes.append(Skipped(feed.id, _raw_uid(vevent), reason))
    ctx.notes.extend(_zone_notes(ctx.resolver, feed.id))
    if ctx.derived_uids:
        ctx.note("", f"{ctx.derived_uids} VEVENT(s) without UID: UID derived from DTSTART "
                     "and SUMMARY")
    events = _sorted(events)
    return events, sorted(set(ctx.notes), key=lambda s: (s.uid, s.reason))


def _vevents(parsed: ParsedFeed, feed: FeedSource) -> list[Event]:
    """The VEVENTs as read, when the feed's configured zone overrides X-WR-TIMEZONE for
    floating times (to_standard already applied X-WR-TIMEZONE to ``events``)."""
    x_wr = parsed.properties.get("X-WR-TIMEZONE", "")
    if feed.timezone and x_wr and x_wr != feed.timezone and parsed.raw_events:
        return parsed.raw_events
    return parsed.events


def _context(parsed: ParsedFeed, feed: FeedSource, cities: Mapping[str, City],
             vevents: list[Event]) -> _Context:
    home = cities[feed.city].timezone if feed.city in cities else ""
    preferred = [home, *(cities[slug].timezone for slug in sorted(cities))]
    resolver = ZoneResolver(feed.id, parsed.timezones, list(dict.fromkeys(preferred)),
                            _tzid_usage(vevents))
    floating = _floating_zone(feed.timezone, parsed.properties.get("X-WR-TIMEZONE", ""), home)
    return _Context(feed, cities, resolver, floating)


def _floating_zone(*names: str) -> Zone:
    for name in names:
        zone = zone_from_name(name, names[-1:]) if name else None
        if zone is not None:
            return zone
    return utc_zone()


def _tzid_usage(vevents: Iterable[Event]) -> TzidUsage:
    """The years and wall-clock times each TZID is used for (for matching VTIMEZONEs)."""
    usage = TzidUsage()
    for vevent in vevents:
        start = _first(_get(vevent, "DTSTART"))
        if start is None or not isinstance(getattr(start, "dt", None), date):
            continue
        first = start.dt.year
        last = _series_last_year(vevent, first)
        usage.add_year(first, last)
        for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
            prop = _first(_get(vevent, name))
            tzid = getattr(prop, "params", {}).get("TZID")
            if tzid and isinstance(prop.dt, datetime):
                usage.add(str(tzid), prop.dt, first, last)
    return usage


def _series_last_year(vevent: Event, first: int) -> int:
    rule = _first(_get(vevent, "RRULE"))
    if rule is None or not hasattr(rule, "get"):
        return first
    until = rule.get("UNTIL")
    if until and isinstance(until[0], date):
        return max(first, until[0].year)
    return first + SERIES_MATCH_YEARS


def _zone_notes(resolver: ZoneResolver, feed_id: str) -> list[Skipped]:
    """Notes on TZIDs read by judgement (a published mapping is not news at every sync)."""
    return [Skipped(feed_id, "", NOTE_PREFIX + zone.note)
            for zone in resolver.resolved() if zone.note and zone.guessed]


def _sorted(events: list[SourceEvent]) -> list[SourceEvent]:
    """By key, then revision; events that tie on both (rare: a feed repeating a VEVENT with
    other content) by content digest, so component order never shows through."""
    events.sort(key=_revision_order)
    ordered: list[SourceEvent] = []
    for _, group in groupby(events, key=_revision_order):
        run = list(group)
        if len(run) > 1:
            run.sort(key=lambda e: (e.data.content_hash(), e.city, e.privacy))
        ordered.extend(run)
    return ordered


def _revision_order(event: SourceEvent) -> tuple[SourceKey, int, str]:
    modified = _moment_key(event.last_modified) if event.last_modified else ""
    return (event.key, event.sequence, modified)


# --- one VEVENT ------------------------------------------------------------------------


def _source_event(vevent: Event, ctx: _Context) -> SourceEvent:
    start_prop = _first(_get(vevent, "DTSTART"))
    if start_prop is None:
        raise _Unusable("no DTSTART (RFC 5545 §3.6.1 requires one)")
    uid = _uid(vevent, ctx)
    zone = _value_zone(start_prop, ctx)
    start = _moment(start_prop, ctx, zone)
    rid, this_and_future = _recurrence_id(vevent, ctx, zone, all_day=not isinstance(
        start, datetime))
    data = EventData(
        summary=_text(vevent, "SUMMARY"), description=_text(vevent, "DESCRIPTION"),
        location=_text(vevent, "LOCATION"), url=_text(vevent, "URL"),
        categories=_categories(vevent), status=_text(vevent, "STATUS").upper(),
        start=start, end=_end(vevent, start, zone, ctx, uid),
        tzid=zone.tzid if isinstance(start, datetime) else "",
        tz_definition=zone.definition if isinstance(start, datetime) else "",
        rrule=_rrule(vevent, start, zone, ctx, uid),
        rdates=_moments(vevent, "RDATE", start, zone, ctx),
        exdates=_moments(vevent, "EXDATE", start, zone, ctx),
        this_and_future=this_and_future, geo=_geo(vevent), organizer=_organizer(vevent),
    )
    return SourceEvent(
        key=SourceKey(ctx.feed.id, uid, rid), city=_city(data, ctx), data=data,
        sequence=_sequence(vevent), last_modified=_last_modified(vevent),
        privacy=_text(vevent, "CLASS").upper(),
    )


def _uid(vevent: Event, ctx: _Context) -> str:
    uid = _text(vevent, "UID")
    if uid:
        return uid
    start = _first(_get(vevent, "DTSTART"))
    stamp = _ical_text(start) if start is not None else ""
    seed = f"{ctx.feed.id}\n{stamp}\n{_text(vevent, 'SUMMARY')}"
    uid = f"sha-{hashlib.sha256(seed.encode()).hexdigest()[:16]}@{ctx.feed.id}.{UID_DOMAIN}"
    ctx.derived_uids += 1
    return uid


def _raw_uid(vevent: Event) -> str:
    return _text(vevent, "UID") or "?"


def _get(vevent: Event, name: str) -> Any:
    """A property value or ``None`` (icalendar's ``get`` pays for a KeyError when absent)."""
    if name in vevent:
        return vevent[name]
    return None


def _first(value: Any) -> Any:
    """One value of a property that may repeat (icalendar then gives a list)."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


# --- time values -----------------------------------------------------------------------


def _value_zone(prop: Any, ctx: _Context) -> Zone:
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


def _moment(prop: Any, ctx: _Context, zone: Zone) -> Moment:
    """A UTC instant or a date; floating values are placed in ``zone``."""
    return _moment_of(prop.dt, prop.params.get("TZID"), ctx, zone)


def _moment_of(value: Any, tzid: str | None, ctx: _Context, zone: Zone) -> Moment:
    if isinstance(value, tuple):
        value = value[0]  # RDATE;VALUE=PERIOD: the period starts the occurrence
    if not isinstance(value, date):
        raise _Unusable(f"{value!r} is not a date or a date-time")
    if not isinstance(value, datetime):
        return value
    if tzid:
        return _to_utc(value.replace(tzinfo=None), ctx.zone(str(tzid)))
    if value.tzinfo is not None:
        return value.astimezone(UTC)
    return _to_utc(value, zone)


def _to_utc(wall: datetime, zone: Zone) -> datetime:
    """Wall-clock time in ``zone`` → UTC.  fold=0 reads a repeated hour as its first
    occurrence and a skipped hour with the offset before the change (RFC 5545 §3.3.5)."""
    return wall.replace(tzinfo=zone.tzinfo, fold=0).astimezone(UTC)


def _local(instant: datetime, zone: Zone) -> datetime:
    return instant.astimezone(zone.tzinfo)


def _end(vevent: Event, start: Moment, zone: Zone, ctx: _Context, uid: str) -> Moment:
    """DTEND, else DTSTART + DURATION, else the RFC 5545 §3.6.1 default: one day for a
    DATE, zero for a DATE-TIME.  An end before the start becomes the default, noted."""
    default: Moment = start + _ONE_DAY if not isinstance(start, datetime) else start
    end_prop, duration = _first(_get(vevent, "DTEND")), _first(_get(vevent, "DURATION"))
    if end_prop is not None:
        end = _moment(end_prop, ctx, zone)
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
    nominal = _local(start, zone) + timedelta(days=duration.days)
    return nominal.astimezone(UTC) + timedelta(seconds=duration.seconds,
                                               microseconds=duration.microseconds)


def _recurrence_id(vevent: Event, ctx: _Context, zone: Zone, *,
                   all_day: bool) -> tuple[str, bool]:
    prop = _first(_get(vevent, "RECURRENCE-ID"))
    if prop is None:
        return "", False
    this_and_future = str(prop.params.get("RANGE", "")).upper() == "THISANDFUTURE"
    value = prop.dt
    if all_day and isinstance(value, datetime) and value.time() == time(0):
        # Exchange writes the RECURRENCE-ID of an all-day instance as local midnight in
        # a zone (";TZID=W. Europe Standard Time:20260226T000000"); the instance it
        # names is that day, and clients match it against a DATE master only as a DATE.
        return _moment_key(value.date()), this_and_future
    return _moment_key(_moment(prop, ctx, zone)), this_and_future


# --- recurrence ------------------------------------------------------------------------


def _rrule(vevent: Event, start: Moment, zone: Zone, ctx: _Context, uid: str) -> str:
    """The RRULE text with UNTIL in UTC (timed series) or a DATE (all-day series)."""
    rules = _get(vevent, "RRULE")
    if isinstance(rules, list) and len(rules) > 1:
        ctx.note(uid, f"{len(rules)} RRULEs; only the first is kept")
    rule = _first(rules)
    if rule is None:
        return ""
    rule = type(rule)(dict(rule))  # a copy: the parsed component stays as read
    until = rule.get("UNTIL")
    if until:
        rule["UNTIL"] = [_until(until[0], start, zone)]
    return _ical_text(rule)


def _until(value: date, start: Moment, zone: Zone) -> Moment:
    if not isinstance(start, datetime):
        if isinstance(value, datetime):
            return (value.astimezone(UTC) if value.tzinfo else value).date()
        return value
    if not isinstance(value, datetime):
        return _to_utc(datetime.combine(value, END_OF_DAY), zone)
    if value.tzinfo is None:
        return _to_utc(value, zone)
    return value.astimezone(UTC)


def _moments(vevent: Event, name: str, start: Moment, zone: Zone,
             ctx: _Context) -> tuple[Moment, ...]:
    """RDATE/EXDATE values as moments of the event's kind, sorted (RFC 5545 §3.8.5)."""
    values = _get(vevent, name)
    found: set[Any] = set()
    for group in values if isinstance(values, list) else [values]:
        tzid = getattr(group, "params", {}).get("TZID")
        for item in getattr(group, "dts", ()):
            found.add(_like(_moment_of(item.dt, tzid, ctx, zone), start, zone))
    return tuple(sorted(found))


def _like(moment: Moment, start: Moment, zone: Zone) -> Moment:
    """A moment of the same kind as ``start``: a date on a timed series means the
    occurrence of that day; a date-time on an all-day series means its date."""
    if isinstance(start, datetime) and not isinstance(moment, datetime):
        return _to_utc(datetime.combine(moment, _local(start, zone).time()), zone)
    if not isinstance(start, datetime) and isinstance(moment, datetime):
        return moment.date()
    return moment


# --- the other properties --------------------------------------------------------------


def _text(vevent: Event, name: str) -> str:
    value = _first(_get(vevent, name))
    return "" if value is None else str(value).strip()


def _ical_text(value: Any) -> str:
    """A property value in its RFC 5545 text form (icalendar gives bytes or str)."""
    text = value.to_ical()
    return (text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)).strip()


def _categories(vevent: Event) -> tuple[str, ...]:
    values = _get(vevent, "CATEGORIES")
    found: list[str] = []
    for group in values if isinstance(values, list) else [values]:
        for item in getattr(group, "cats", ()):
            text = str(item).strip()
            if text and text not in found:
                found.append(text)
    return tuple(found)


def _geo(vevent: Event) -> str:
    value = _first(_get(vevent, "GEO"))
    return "" if value is None else _ical_text(value)


def _organizer(vevent: Event) -> str:
    value = _first(_get(vevent, "ORGANIZER"))
    if value is None:
        return ""
    name = str(getattr(value, "params", {}).get("CN", "")).strip()
    return name or str(value).strip()


def _sequence(vevent: Event) -> int:
    try:
        return int(str(_first(_get(vevent, "SEQUENCE")) or 0).strip())
    except ValueError:
        return 0


def _last_modified(vevent: Event) -> datetime | None:
    value = getattr(_first(_get(vevent, "LAST-MODIFIED")), "dt", None)
    if not isinstance(value, datetime):
        return None
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def _city(data: EventData, ctx: _Context) -> str:
    """The feed's city, unless the event is written in another configured city's zone."""
    home = ctx.feed.city
    if not data.tzid or ctx.cities.get(home, City("", "", "")).timezone == data.tzid:
        return home
    others = sorted(s for s, c in ctx.cities.items() if c.timezone == data.tzid)
    return others[0] if others else home

