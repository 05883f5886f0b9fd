"""Events + links → one deterministic iCalendar feed (RFC 5545, RFC 7986, RFC 9253).

The calendar text is built here line by line (icalendar only escapes TEXT values and folds
lines at 75 octets, §3.1 and §3.3.11) so that the same input gives the same bytes: VEVENTs are
ordered by ``(uid, recurrence_id)`` (a master always precedes its overrides, whichever order
the events arrive in), VTIMEZONEs by TZID, and DTSTAMP / LAST-MODIFIED come from the store's
``Stamp`` of each VEVENT, never from the wall clock.

Times are never floating: IANA and namespaced custom zones are written as ``TZID=`` local
time with a VTIMEZONE in the feed (compact RRULE form, see :mod:`event_bridge.tz.vtimezone`),
``UTC`` as ``...Z``, all-day values as ``VALUE=DATE``.  Series masters go through
:func:`event_bridge.recurrence.client_safe` first.

This module assembles VEVENTs and calendars (``render``, ``assemble``, ``retitle``); content
lines and zone forms are :mod:`.icstext`, the generated human lines of DESCRIPTION are
:mod:`.descriptions`.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from icalendar.prop import vDuration

from event_bridge import __version__
from event_bridge.model import Block, City, Event, EventData, Link, moment_key, parse_moment_key
from event_bridge.publish.descriptions import description_text
from event_bridge.publish.icstext import (
    CRLF,
    Form,
    clean,
    form_of,
    prop_line,
    refolded,
    text_line,
    text_value,
    uri_value,
)
from event_bridge.recurrence.published import anchored, client_safe
from event_bridge.tz.vtimezone import vtimezone

PRODID = f"-//event-bridge//event-bridge {__version__}//EN"
FOOTER = "END:VCALENDAR" + CRLF
STATUSES = frozenset({"TENTATIVE", "CONFIRMED", "CANCELLED"})  # §3.8.1.11, VEVENT values


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


def etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


# -- one VEVENT ------------------------------------------------------------------------

def _optional(data: EventData) -> str:
    """SUMMARY … ORGANIZER, each only when set."""
    out = text_line("SUMMARY", data.summary) if data.summary else ""
    out += text_line("LOCATION", data.location) if data.location else ""
    geo = data.geo.replace(",", ";").split(";")
    if len(geo) == 2 and all(_is_float(g) for g in geo):
        out += prop_line("GEO", f"{float(geo[0])};{float(geo[1])}")
    if data.url.strip():
        out += prop_line("URL", uri_value(data.url))
    categories = list(dict.fromkeys(c for c in map(clean, data.categories) if c))
    if categories:
        out += prop_line("CATEGORIES", ",".join(text_value(c) for c in categories))
    if data.status in STATUSES:
        out += prop_line("STATUS", data.status)
    organizer = clean(data.organizer).strip()
    if organizer:
        uri = organizer if ":" in organizer else f"mailto:{organizer}"
        out += prop_line("ORGANIZER", uri_value(uri))
    return out


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _times(data: EventData, form: Form) -> str:
    """DTSTART, DTEND (later than DTSTART for dates, §3.6.1), RRULE, RDATE, EXDATE."""
    end = data.end
    if data.all_day and end <= data.start:
        end = data.start + timedelta(days=1)
    out = form.write("DTSTART", data.start, wall=data.recurring) + form.write("DTEND", end)
    if data.rrule:
        out += prop_line("RRULE", data.rrule)
    # one value per property: unambiguous for every reader, and sorted for stable bytes
    out += "".join(form.write("RDATE", v) for v in sorted(set(data.rdates), key=moment_key))
    out += "".join(form.write("EXDATE", v) for v in sorted(set(data.exdates), key=moment_key))
    return out


def _vevent(event: Event, rid_form: Form, stamp: Stamp, related: Sequence[str],
            masters: Mapping[str, Event], cities: Mapping[str, City]) -> str:
    data, form = event.data, form_of(event.data)
    out = "BEGIN:VEVENT" + CRLF + text_line("UID", event.uid)
    if event.recurrence_id:
        extra = {"RANGE": "THISANDFUTURE"} if data.this_and_future else None
        out += rid_form.write("RECURRENCE-ID", parse_moment_key(event.recurrence_id), extra)
    changed = stamp.changed_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    out += prop_line("DTSTAMP", changed) + prop_line("LAST-MODIFIED", changed)
    out += prop_line("SEQUENCE", str(stamp.sequence)) + _times(data, form)
    out += _optional(data)
    others = [masters[uid] for uid in related if uid in masters]
    description = description_text(event, data, others, cities)
    out += text_line("DESCRIPTION", description) if description else ""
    for uid in related:
        out += text_line("RELATED-TO", uid, {"RELTYPE": "SIBLING"})
    out += text_line("X-EVENT-BRIDGE-CITY", event.city)
    for feed, uid in sorted({(s.feed_id, s.uid) for s in event.sources}):
        out += text_line("X-EVENT-BRIDGE-SOURCE", uid, {"FEED": feed})
    return out + "END:VEVENT" + CRLF


def input_hash(event: Event, masters: Mapping[str, Event], links: Mapping[str, list[str]],
               stamp: Stamp, cities: Mapping[str, City]) -> str:
    """A digest of everything :func:`_block` reads: the event, its master (an override's
    RECURRENCE-ID is written in the master's form), its stamp, the events it links to (their
    "Also in …" lines), the cities and the program version."""
    master = masters.get(event.uid, event)
    related = [] if event.recurrence_id else links.get(event.uid, [])
    others = [(o.uid, o.city, o.data.content_hash()) for o in (masters[u] for u in related
                                                                if u in masters)]
    parts: tuple[object, ...] = (
        __version__, event.uid, event.recurrence_id, event.city, event.data.content_hash(),
        sorted(map(repr, event.sources)), master.data.content_hash(), stamp.sequence,
        stamp.changed_at.astimezone(UTC).isoformat(), related, others, event.uid in links,
        sorted((k, repr(v)) for k, v in cities.items()))
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _block(event: Event, masters: Mapping[str, Event], links: Mapping[str, list[str]],
           stamp: Stamp, cities: Mapping[str, City],
           previous: Mapping[tuple[str, str], Block]) -> Block:
    digest = input_hash(event, masters, links, stamp, cities)
    kept = previous.get(event.key)
    if kept is not None and kept.input_hash == digest:
        return kept
    master = masters.get(event.uid, event)
    rid_form = form_of(master.data) if event.recurrence_id else form_of(event.data)
    related = [] if event.recurrence_id else links.get(event.uid, [])
    tzids = {f.tzid for f in (form_of(event.data), rid_form) if f.tzid not in ("", "UTC")}
    data = event.data
    return Block(uid=event.uid, recurrence_id=event.recurrence_id, city=event.city,
                 categories=data.categories,
                 text="\n".join((data.summary, data.description, data.location)).lower(),
                 linked=event.uid in links,
                 ics=_vevent(event, rid_form, stamp, related, masters, cities),
                 tzids=tuple(sorted(tzids)), input_hash=digest)


# -- the calendar ----------------------------------------------------------------------

def calendar_header(meta: FeedMeta) -> str:
    """BEGIN:VCALENDAR and the calendar properties (RFC 5545 §3.7, RFC 7986 §5)."""
    refresh = vDuration(timedelta(seconds=meta.refresh_seconds)).to_ical().decode()
    out = "BEGIN:VCALENDAR" + CRLF + prop_line("VERSION", "2.0") + text_line("PRODID", PRODID)
    out += prop_line("CALSCALE", "GREGORIAN") + prop_line("METHOD", "PUBLISH")
    out += text_line("NAME", meta.name) + text_line("X-WR-CALNAME", meta.name)
    if meta.description:
        out += text_line("DESCRIPTION", meta.description)
        out += text_line("X-WR-CALDESC", meta.description)
    return out + prop_line("REFRESH-INTERVAL", refresh, {"VALUE": "DURATION"}) + \
        prop_line("X-PUBLISHED-TTL", refresh)


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


def _timezones(events: Sequence[Event], blocks: Sequence[Block]) -> str:
    used = sorted({tzid for block in blocks for tzid in block.tzids})
    custom: dict[str, set[str]] = {}
    for e in events:
        if e.data.tz_definition:
            custom.setdefault(e.data.tzid, set()).add(refolded(e.data.tz_definition))
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
           cities: Mapping[str, City], meta: FeedMeta,
           previous: Mapping[tuple[str, str], Block] | None = None) -> Rendered:
    """The feed for ``events`` (any order, same bytes).  Every event needs a stamp under its
    ``(uid, recurrence_id)`` key; a missing one or two events with one key is a ValueError.
    ``previous`` (the blocks of the last render, by key) are reused where their
    :func:`input_hash` is unchanged, so only changed events are rendered."""
    missing = [e.key for e in _ordered(events) if e.key not in stamps]
    if missing:
        raise ValueError(f"no stamp for published event(s) {missing[:5]!r}")
    ordered, stamps = _client_safe(_ordered(events), stamps)
    masters = {e.uid: e for e in ordered if not e.recurrence_id}
    related = _linked(links, masters)
    blocks = [_block(e, masters, related, stamps[e.key], cities, previous or {})
              for e in ordered]
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
