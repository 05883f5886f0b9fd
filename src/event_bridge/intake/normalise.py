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

This module assembles the event and decides what is feed-wide (zones, floating zone, UID,
city, order); :mod:`.props` reads single properties, :mod:`.times` turns time
values into moments, :mod:`.rules` reads RRULE, RDATE and EXDATE.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from itertools import groupby

from icalendar import Event

from event_bridge.intake.parse import ParsedFeed
from event_bridge.intake.place import city_of, city_terms
from event_bridge.intake.props import (
    categories,
    first_prop,
    geo,
    ical_text,
    last_modified,
    organizer,
    prop_text,
    raw_uid,
    sequence,
)
from event_bridge.intake.rules import moment_set, rrule_text
from event_bridge.intake.times import (
    FeedContext,
    Unusable,
    end_moment,
    moment,
    recurrence_id,
    value_zone,
)
from event_bridge.intake.values import (
    MAX_TEXT_CHARS,
    OutOfRange,
    bounded_text,
    checked_data,
    checked_moment,
)
from event_bridge.model import (
    NOTE_PREFIX,
    City,
    EventData,
    FeedSource,
    Skipped,
    SourceEvent,
    SourceKey,
    parse_moment_key,
)
from event_bridge.model import moment_key as _moment_key
from event_bridge.tz.names import Zone, iana_zone, utc_zone, zone_from_name
from event_bridge.tz.resolve import TzidUsage, ZoneResolver

UID_DOMAIN = "event-bridge"
"""A VEVENT without UID gets ``sha-<digest>@<feed id>.event-bridge`` (stable across runs)."""

SERIES_MATCH_YEARS = 1
"""A series without UNTIL counts this many years past its start when a custom VTIMEZONE is
matched against IANA zones."""


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
        except Unusable as exc:
            ctx.notes.append(Skipped(feed.id, raw_uid(vevent), str(exc)))
        except OutOfRange as exc:
            ctx.notes.append(Skipped(feed.id, raw_uid(vevent), str(exc)))
        except Exception as exc:  # hostile input: whatever a VEVENT trips, skip it alone
            reason = f"unusable VEVENT ({type(exc).__name__}: {str(exc)[:200]})"
            ctx.notes.append(Skipped(feed.id, raw_uid(vevent), reason))
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
             vevents: list[Event]) -> FeedContext:
    home = cities[feed.city].timezone if feed.city in cities else ""
    preferred = [home, *(cities[slug].timezone for slug in sorted(cities))]
    resolver = ZoneResolver(feed.id, parsed.timezones, list(dict.fromkeys(preferred)),
                            _tzid_usage(vevents))
    x_wr = parsed.properties.get("X-WR-TIMEZONE", "")
    floating = _floating_zone(feed.timezone, x_wr, home)
    at_home = bool(home) and not (feed.timezone or x_wr)
    return FeedContext(feed, cities, resolver, floating, city_terms(cities), at_home)


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
        start = first_prop(vevent, "DTSTART")
        if start is None or not isinstance(getattr(start, "dt", None), date):
            continue
        first = start.dt.year
        last = _series_last_year(vevent, first)
        usage.add_year(first, last)
        for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
            prop = first_prop(vevent, name)
            tzid = getattr(prop, "params", {}).get("TZID")
            if tzid and isinstance(prop.dt, datetime):
                usage.add(str(tzid), prop.dt, first, last)
    return usage


def _series_last_year(vevent: Event, first: int) -> int:
    rule = first_prop(vevent, "RRULE")
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


def _source_event(vevent: Event, ctx: FeedContext) -> SourceEvent:
    start_prop = first_prop(vevent, "DTSTART")
    if start_prop is None:
        raise Unusable("no DTSTART (RFC 5545 §3.6.1 requires one)")
    uid = _uid(vevent, ctx)
    zone = value_zone(start_prop, ctx)
    # RFC 5545 TEXT has no entities, but WordPress plugins (The Events Calendar, All-in-One)
    # write HTML ones into SUMMARY and LOCATION (&#8211;, &amp;): subscribers want the dash
    summary = html.unescape(prop_text(vevent, "SUMMARY"))
    location = html.unescape(prop_text(vevent, "LOCATION"))
    city = city_of(summary, location, geo(vevent), zone.tzid, ctx.feed.city, ctx.cities,
                   ctx.terms)
    zone = _relocated(zone, city, ctx)
    start = moment(start_prop, ctx, zone)
    rid, this_and_future = recurrence_id(vevent, ctx, zone, all_day=not isinstance(
        start, datetime))
    data = EventData(
        summary=summary, description=prop_text(vevent, "DESCRIPTION"),
        location=location, url=prop_text(vevent, "URL"),
        categories=categories(vevent), status=prop_text(vevent, "STATUS").upper(),
        start=start, end=end_moment(vevent, start, zone, ctx, uid),
        tzid=zone.tzid if isinstance(start, datetime) else "",
        tz_definition=zone.definition if isinstance(start, datetime) else "",
        rrule=rrule_text(vevent, start, zone, ctx, uid),
        rdates=moment_set(vevent, "RDATE", start, zone, ctx),
        exdates=moment_set(vevent, "EXDATE", start, zone, ctx),
        this_and_future=this_and_future, geo=geo(vevent), organizer=organizer(vevent),
    )
    data, cut = checked_data(data)
    if rid:
        checked_moment("RECURRENCE-ID", parse_moment_key(rid))
    for name in cut:
        ctx.note(uid, f"{name} longer than {MAX_TEXT_CHARS} characters: cut")
    return SourceEvent(
        key=SourceKey(ctx.feed.id, uid, rid), city=city, data=data,
        sequence=sequence(vevent), last_modified=last_modified(vevent),
        privacy=prop_text(vevent, "CLASS").upper(),
    )


def _uid(vevent: Event, ctx: FeedContext) -> str:
    uid = bounded_text(prop_text(vevent, "UID"))[0].strip()
    if uid:
        return uid
    start = first_prop(vevent, "DTSTART")
    stamp = ical_text(start) if start is not None else ""
    seed = f"{ctx.feed.id}\n{stamp}\n{prop_text(vevent, 'SUMMARY')}"
    uid = f"sha-{hashlib.sha256(seed.encode()).hexdigest()[:16]}@{ctx.feed.id}.{UID_DOMAIN}"
    ctx.derived_uids += 1
    return uid


def _relocated(zone: Zone, city: str, ctx: FeedContext) -> Zone:
    """A floating time of an event held in another city than the feed's is that city's
    wall-clock time (a Paris feed without zone lists an SF session at 18:00 SF time); the
    feed's X-WR-TIMEZONE or configured timezone, when it has one, still wins."""
    if zone is not ctx.floating or not ctx.floating_is_home or city == ctx.feed.city:
        return zone
    there = ctx.cities.get(city)
    return (iana_zone(there.timezone) if there else None) or zone
