"""Events + links → one deterministic iCalendar feed (RFC 5545, RFC 7986, RFC 9253).

The calendar text is built here line by line (icalendar only escapes TEXT values and folds
lines at 75 octets, §3.1 and §3.3.11) so that the same input gives the same bytes: VEVENTs are
ordered by ``(uid, recurrence_id)`` (a master always precedes its overrides, whichever order
the events arrive in), VTIMEZONEs by TZID, and DTSTAMP / LAST-MODIFIED come from the store's
``Stamp`` of each VEVENT, never from the wall clock.

Times are never floating: IANA and namespaced custom zones are written as ``TZID=`` local
time with a VTIMEZONE in the feed (compact RRULE form, see :mod:`event_bridge.vtimezone`),
``UTC`` as ``...Z``, all-day values as ``VALUE=DATE``.  Series masters go through
:func:`event_bridge.recurrence.client_safe` first.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar.parser import Contentline, Parameters
from icalendar.prop import vCategory, vDuration, vText

from . import __version__
from .model import City, Event, EventData, Link, Moment, moment_key, parse_moment_key
from .recurrence import anchored, client_safe, whole_set
from .store.repository import Block
from .vtimezone import vtimezone, zone_for

PRODID = f"-//event-bridge//event-bridge {__version__}//EN"
CRLF = "\r\n"
FOOTER = "END:VCALENDAR" + CRLF
STATUSES = frozenset({"TENTATIVE", "CONFIRMED", "CANCELLED"})  # §3.8.1.11, VEVENT values
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")  # all but TAB and LF
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # not strftime: locale-free
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class FeedMeta:
    name: str  # NAME / X-WR-CALNAME
    refresh_seconds: int  # REFRESH-INTERVAL;VALUE=DURATION and X-PUBLISHED-TTL
    description: str = ""


@dataclass(frozen=True)
class Stamp:
    """What the store remembers of one published VEVENT."""

    sequence: int
    changed_at: datetime  # DTSTAMP and LAST-MODIFIED: stable across runs


@dataclass(frozen=True)
class Rendered:
    body: bytes  # the whole VCALENDAR: UTF-8, CRLF, folded at 75 octets
    etag: str  # strong ETag: '"' + sha256(body)[:32] + '"'
    blocks: list[Block]  # one per VEVENT, in output order
    header: str  # BEGIN:VCALENDAR, calendar properties, VTIMEZONEs
    footer: str  # END:VCALENDAR


# -- content lines ---------------------------------------------------------------------

def _clean(text: str) -> str:
    """One newline style, no other control characters (they break the §3.1 syntax)."""
    if text.isprintable():
        return text
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _line(name: str, value: str, params: Mapping[str, str] | None = None) -> str:
    """One folded content line; ``value`` is already in its value type's syntax."""
    head = name + (_params(tuple(sorted(params.items()))) if params else "")
    line = f"{head}:{value}"
    if len(line) <= 75 and (line.isascii() or len(line.encode()) <= 75):
        return line + CRLF  # nothing to fold: skip icalendar's per-character loop
    return Contentline(line).to_ical().decode() + CRLF


@lru_cache(maxsize=4096)
def _params(items: tuple[tuple[str, str], ...]) -> str:
    """``;NAME=value`` text, quoted where §3.2 requires (icalendar decides)."""
    return ";" + Parameters(dict(items)).to_ical(sorted=True).decode()


def _text(name: str, value: str, params: Mapping[str, str] | None = None) -> str:
    """A TEXT property, escaped as §3.3.11 says (``\\\\ \\; \\, \\n``)."""
    return _line(name, vText(_clean(value)).to_ical().decode(), params)


def etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


# -- zones -----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Form:
    """How the moments of one VEVENT are written: in ``tzid`` ("" = UTC or DATE)."""

    tzid: str
    definition: str = ""

    def write(self, name: str, value: Moment, extra: Mapping[str, str] | None = None,
              wall: bool = False) -> str:
        params = dict(extra or {})
        if not isinstance(value, datetime):
            return _line(name, value.strftime("%Y%m%d"), {**params, "VALUE": "DATE"})
        local = self.local(value, wall)
        if local is None:
            return _line(name, value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ"), params)
        return _line(name, local.strftime("%Y%m%dT%H%M%S"), {**params, "TZID": self.tzid})

    def local(self, value: datetime, wall: bool = False) -> datetime | None:
        """Local time in the zone, or ``None`` when UTC must name the instant: a UTC event,
        or a local time the fall-back change repeats.  §3.3.5 says such a time is its first
        pass, but ical.js, libical and node-ical read the second, so only the DTSTART of a
        series (``wall``: its rule needs the wall clock) keeps the first pass in local time."""
        if self.tzid in ("", "UTC"):
            return None
        zone = zone_for(self.tzid, self.definition)
        local = value.astimezone(zone)
        first, second = (local.replace(fold=f).astimezone(UTC) for f in (0, 1))
        if first != value or (first != second and not wall):
            return None
        return local


@lru_cache(maxsize=4096)
def _form(data: EventData) -> _Form:
    """The zone form of an event.  A namespaced custom zone is written in UTC whenever that
    names the same instants (plain events, overrides, series no DST change moves): node-ical
    reads an unknown TZID as UTC and ignores its VTIMEZONE.  Only a series whose wall-clock
    rule needs the zone keeps ``TZID=`` and the feed's own VTIMEZONE."""
    if data.all_day:
        return _Form("")
    if data.tz_definition and (not data.recurring or whole_set(data) == whole_set(
            replace(data, tzid="UTC", tz_definition=""))):
        return _Form("UTC")
    return _Form(data.tzid, data.tz_definition)


def _city_zone(slug: str, cities: Mapping[str, City]) -> tzinfo | None:
    city = cities.get(slug)
    return ZoneInfo(city.timezone) if city else None


# -- human lines -----------------------------------------------------------------------

def _day(value: date, year: bool = True) -> str:
    text = f"{_DAYS[value.weekday()]} {value.day} {_MONTHS[value.month - 1]}"
    return f"{text} {value.year}" if year else text


def _all_day_line(data: EventData) -> str:
    assert isinstance(data.start, date)
    last = data.end - timedelta(days=1)
    if isinstance(last, date) and last > data.start:
        return f"All day, {_day(data.start)} – {_day(last)}"
    return f"All day, {_day(data.start)}"


def _city_order(own: str, cities: Mapping[str, City]) -> list[City]:
    return sorted(cities.values(), key=lambda c: (c.slug != own, c.slug))


def when_line(city: str, data: EventData, cities: Mapping[str, City]) -> str:
    """The start in every city, own city first: ``18:00 Paris · 09:00 San Francisco``;
    a city whose local date differs gets it in brackets.  All-day events: the date(s)."""
    if data.all_day:
        return _all_day_line(data)
    assert isinstance(data.start, datetime)
    parts: list[str] = []
    first_day: date | None = None
    for each in _city_order(city, cities):
        local = data.start.astimezone(ZoneInfo(each.timezone))
        first_day = first_day or local.date()
        note = f" ({_day(local.date(), year=False)})" if local.date() != first_day else ""
        parts.append(f"{local:%H:%M} {each.name}{note}")
    return " · ".join(parts)


def _also_line(other: Event, here: str, cities: Mapping[str, City]) -> str:
    """``Also in San Francisco: <summary>, 09:00 PDT / 18:00 CEST (Tue 24 Mar 2026)``."""
    where = cities[other.city].name if other.city in cities else other.city
    head = f"Also in {where}: {other.data.summary}"
    start = other.data.start
    if not isinstance(start, datetime):
        return f"{head}, all day {_day(start)}"
    zones = [z for z in (_city_zone(other.city, cities), _city_zone(here, cities)) if z]
    locals_ = [start.astimezone(z) for z in zones or [UTC]]
    times = " / ".join(dict.fromkeys(f"{t:%H:%M} {t.tzname()}" for t in locals_))
    return f"{head}, {times} ({_day(locals_[0].date())})"


def _description(event: Event, data: EventData, others: Sequence[Event],
                 cities: Mapping[str, City]) -> str:
    """Source text, a blank line, then the generated lines."""
    generated = [when_line(event.city, data, cities)]
    generated += [_also_line(o, event.city, cities) for o in others]
    lines = "\n".join(g for g in generated if g)
    source = _clean(data.description).strip()
    return f"{source}\n\n{lines}" if source and lines else source or lines


# -- one VEVENT ------------------------------------------------------------------------

def _optional(data: EventData) -> str:
    """SUMMARY … ORGANIZER, each only when set."""
    out = _text("SUMMARY", data.summary) if data.summary else ""
    out += _text("LOCATION", data.location) if data.location else ""
    geo = data.geo.replace(",", ";").split(";")
    if len(geo) == 2 and all(_is_float(g) for g in geo):
        out += _line("GEO", f"{float(geo[0])};{float(geo[1])}")
    if data.url.strip():
        out += _line("URL", _clean(data.url).strip().replace(" ", "%20"))
    categories = list(dict.fromkeys(c for c in data.categories if c))
    if categories:
        out += _line("CATEGORIES", vCategory(categories).to_ical().decode())
    if data.status in STATUSES:
        out += _line("STATUS", data.status)
    organizer = _clean(data.organizer).strip()
    if organizer:
        uri = organizer if ":" in organizer else f"mailto:{organizer}"
        out += _line("ORGANIZER", uri.replace(" ", "%20"))
    return out


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _times(data: EventData, form: _Form) -> str:
    """DTSTART, DTEND (later than DTSTART for dates, §3.6.1), RRULE, RDATE, EXDATE."""
    end = data.end
    if data.all_day and end <= data.start:
        end = data.start + timedelta(days=1)
    out = form.write("DTSTART", data.start, wall=data.recurring) + form.write("DTEND", end)
    if data.rrule:
        out += _line("RRULE", data.rrule)
    # one value per property: unambiguous for every reader, and sorted for stable bytes
    out += "".join(form.write("RDATE", v) for v in sorted(set(data.rdates), key=moment_key))
    out += "".join(form.write("EXDATE", v) for v in sorted(set(data.exdates), key=moment_key))
    return out


def _vevent(event: Event, rid_form: _Form, stamp: Stamp, related: Sequence[str],
            masters: Mapping[str, Event], cities: Mapping[str, City]) -> str:
    data, form = event.data, _form(event.data)
    out = "BEGIN:VEVENT" + CRLF + _text("UID", event.uid)
    if event.recurrence_id:
        extra = {"RANGE": "THISANDFUTURE"} if data.this_and_future else None
        out += rid_form.write("RECURRENCE-ID", parse_moment_key(event.recurrence_id), extra)
    changed = stamp.changed_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    out += _line("DTSTAMP", changed) + _line("LAST-MODIFIED", changed)
    out += _line("SEQUENCE", str(stamp.sequence)) + _times(data, form)
    out += _optional(data)
    others = [masters[uid] for uid in related if uid in masters]
    description = _description(event, data, others, cities)
    out += _text("DESCRIPTION", description) if description else ""
    for uid in related:
        out += _text("RELATED-TO", uid, {"RELTYPE": "SIBLING"})
    out += _text("X-EVENT-BRIDGE-CITY", event.city)
    for feed, uid in sorted({(s.feed_id, s.uid) for s in event.sources}):
        out += _text("X-EVENT-BRIDGE-SOURCE", uid, {"FEED": feed})
    return out + "END:VEVENT" + CRLF


def _block(event: Event, masters: Mapping[str, Event], links: Mapping[str, list[str]],
           stamp: Stamp, cities: Mapping[str, City]) -> Block:
    master = masters.get(event.uid, event)
    rid_form = _form(master.data) if event.recurrence_id else _form(event.data)
    related = [] if event.recurrence_id else links.get(event.uid, [])
    tzids = {f.tzid for f in (_form(event.data), rid_form) if f.tzid not in ("", "UTC")}
    data = event.data
    return Block(uid=event.uid, recurrence_id=event.recurrence_id, city=event.city,
                 categories=data.categories,
                 text="\n".join((data.summary, data.description, data.location)).lower(),
                 linked=event.uid in links,
                 ics=_vevent(event, rid_form, stamp, related, masters, cities),
                 tzids=tuple(sorted(tzids)))


# -- the calendar ----------------------------------------------------------------------

def calendar_header(meta: FeedMeta) -> str:
    """BEGIN:VCALENDAR and the calendar properties (RFC 5545 §3.7, RFC 7986 §5)."""
    refresh = vDuration(timedelta(seconds=meta.refresh_seconds)).to_ical().decode()
    out = "BEGIN:VCALENDAR" + CRLF + _line("VERSION", "2.0") + _text("PRODID", PRODID)
    out += _line("CALSCALE", "GREGORIAN") + _line("METHOD", "PUBLISH")
    out += _text("NAME", meta.name) + _text("X-WR-CALNAME", meta.name)
    if meta.description:
        out += _text("DESCRIPTION", meta.description) + _text("X-WR-CALDESC", meta.description)
    return out + _line("REFRESH-INTERVAL", refresh, {"VALUE": "DURATION"}) + \
        _line("X-PUBLISHED-TTL", refresh)


def _ordered(events: Sequence[Event]) -> list[Event]:
    ordered = sorted(events, key=lambda e: e.key)
    for before, after in itertools.pairwise(ordered):
        if before.key == after.key:
            raise ValueError(f"two events share the key {before.key!r}")
    return ordered


def _linked(links: Sequence[Link], masters: Mapping[str, Event]) -> dict[str, list[str]]:
    """uid → the sorted UIDs at the other ends of its links.  The other end may be missing
    from this render (a per-city feed): RELATED-TO still names it (RFC 9253 §7.1)."""
    pairs: dict[str, set[str]] = {}
    for link in links:
        for here, there in ((link.a_uid, link.b_uid), (link.b_uid, link.a_uid)):
            if here in masters and here != there:
                pairs.setdefault(here, set()).add(there)
    return {uid: sorted(others) for uid, others in pairs.items()}


def _year_span(events: Sequence[Event]) -> tuple[int, int]:
    """The years the timed moments of the feed fall in, widened by one year each side."""
    years = [m.year for e in events for m in (e.data.start, e.data.end, *e.data.rdates,
                                               *e.data.exdates) if isinstance(m, datetime)]
    years += [int(e.recurrence_id[:4]) for e in events if e.recurrence_id]
    return (min(years) - 1, max(years) + 1) if years else (1970, 1970)


def _definition(text: str) -> str:
    """A feed's own VTIMEZONE text, unfolded, stripped of blank lines, refolded in CRLF."""
    unfolded: list[str] = []
    for raw in _clean(text).split("\n"):
        if raw[:1] in (" ", "\t") and unfolded:
            unfolded[-1] += raw[1:]
        elif raw.strip():
            unfolded.append(raw.rstrip())
    return "".join(Contentline(line).to_ical().decode() + CRLF for line in unfolded)


def _timezones(events: Sequence[Event], blocks: Sequence[Block]) -> str:
    used = sorted({tzid for block in blocks for tzid in block.tzids})
    custom: dict[str, set[str]] = {}
    for e in events:
        if e.data.tz_definition:
            custom.setdefault(e.data.tzid, set()).add(_definition(e.data.tz_definition))
    first, last = _year_span(events)
    return "".join(min(custom[t]) if t in custom else vtimezone(t, first, last) for t in used)


def _client_safe(events: Sequence[Event], stamps: Mapping[tuple[str, str], Stamp],
                 ) -> tuple[list[Event], dict[tuple[str, str], Stamp]]:
    """Masters in a form every client expands alike (RFC 5545 §3.8.5.3): anchored on their
    rule with the original DTSTART as an override (stamped like its master) when that keeps
    the set, else :func:`client_safe`'s RDATE form."""
    keys, out, stamped = {e.key for e in events}, [], dict(stamps)
    for event in events:
        fixed = None if event.recurrence_id else anchored(event.data)
        rid = moment_key(fixed.recurrence_id) if fixed else ""
        if fixed is not None and (event.uid, rid) not in keys:
            out += [replace(event, data=fixed.master),
                    replace(event, data=fixed.instance, recurrence_id=rid)]
            stamped[(event.uid, rid)] = stamps[event.key]
        elif not event.recurrence_id:
            out.append(replace(event, data=client_safe(event.data)))
        else:
            out.append(event)
    return sorted(out, key=lambda e: e.key), stamped


def render(events: Sequence[Event], links: Sequence[Link], stamps: Mapping[tuple[str, str], Stamp],
           cities: Mapping[str, City], meta: FeedMeta) -> Rendered:
    """The feed for ``events`` (any order, same bytes).  Every event needs a stamp under its
    ``(uid, recurrence_id)`` key; a missing one or two events with one key is a ValueError."""
    missing = [e.key for e in _ordered(events) if e.key not in stamps]
    if missing:
        raise ValueError(f"no stamp for published event(s) {missing[:5]!r}")
    ordered, stamps = _client_safe(_ordered(events), stamps)
    masters = {e.uid: e for e in ordered if not e.recurrence_id}
    related = _linked(links, masters)
    blocks = [_block(e, masters, related, stamps[e.key], cities) for e in ordered]
    header = calendar_header(meta) + _timezones(ordered, blocks)
    body = (header + "".join(b.ics for b in blocks) + FOOTER).encode()
    return Rendered(body=body, etag=etag(body), blocks=blocks, header=header, footer=FOOTER)


# -- filtered feeds --------------------------------------------------------------------

def split_header(header: str) -> tuple[str, dict[str, str]]:
    """A rendered header → (calendar properties, {TZID: VTIMEZONE text})."""
    props, zones, current = "", {}, ""
    for line in header.splitlines(keepends=True):
        if line.startswith("BEGIN:VTIMEZONE") or current:
            current += line
            if line.startswith("END:VTIMEZONE"):
                unfolded = current.replace(CRLF + " ", "")
                tzid = next(x for x in unfolded.split(CRLF) if x.startswith("TZID:"))[5:]
                zones[tzid], current = current, ""
        else:
            props += line
    return props, zones


def assemble(header_props: str, blocks: Sequence[Block]) -> bytes:
    """A valid calendar of ``blocks`` (ordered by key) under ``header_props``, a rendered
    header: of its VTIMEZONEs only those the blocks use are kept (RFC 5545 §3.6.5)."""
    props, zones = split_header(header_props)
    used = sorted({tzid for block in blocks for tzid in block.tzids})
    missing = [tzid for tzid in used if tzid not in zones]
    if missing:
        raise ValueError(f"the header has no VTIMEZONE for {missing!r}")
    ordered = sorted(blocks, key=lambda b: (b.uid, b.recurrence_id))
    text = props + "".join(zones[t] for t in used) + "".join(b.ics for b in ordered) + FOOTER
    return text.encode()


def retitle(header: str, meta: FeedMeta) -> str:
    """``header`` with the calendar properties of ``meta`` (its VTIMEZONEs kept)."""
    _props, zones = split_header(header)
    return calendar_header(meta) + "".join(zones[t] for t in sorted(zones))
