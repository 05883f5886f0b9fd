"""bytes → calendar components, tolerantly (RFC 5545 §3.1 content lines, §3.4 VCALENDAR).

Pure: no I/O, no clock.  ``parse_calendar`` decodes the body (UTF-8, else Windows-1252,
BOM stripped, folds undone at byte level so a fold inside a UTF-8 character heals, line
endings made CRLF), reads it with icalendar 7 and brings Google's ``X-WR-TIMEZONE`` into
standard form with ``x_wr_timezone.to_standard``.  When icalendar rejects the whole calendar
(one bad component is enough for that), the text is split into its VEVENT and VTIMEZONE
blocks and each block is read on its own, so one broken VEVENT is skipped and recorded and
the rest of the feed goes on.  Repairs that keep a component are reported as ``Skipped``
entries whose reason starts with :data:`NOTE_PREFIX`.

This module decodes, reads and assembles the result; the component-by-component fallback
lives in :mod:`.fallback`.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import x_wr_timezone
from icalendar import Calendar, Component, Event, Timezone
from icalendar.prop import vBroken, vUnknown

from event_bridge.errors import ParseError
from event_bridge.intake.fallback import note, read_blocks, read_whole, reason
from event_bridge.model import NOTE_PREFIX, Skipped
from event_bridge.tz.names import zone_from_name

CALENDAR_PROPERTIES = (
    "X-WR-TIMEZONE", "X-WR-CALNAME", "NAME", "REFRESH-INTERVAL", "X-PUBLISHED-TTL", "PRODID",
)
"""Calendar properties handed on as text (RFC 7986 §5.1 NAME, §5.7 REFRESH-INTERVAL)."""

PREVIEW_CHARS = 60
"""How much of a body that is not a calendar is quoted in the error message."""


DATETIME_PROPERTIES = ("DTSTART", "DTEND", "RECURRENCE-ID", "RDATE", "EXDATE")

_FOLD = re.compile(rb"(?:\r\n|\r|\n)[ \t]")
_EOL = re.compile(r"\r\n|\r|\n")
_TEXT_ESCAPE = re.compile(r"\\(.)")
_UNESCAPED = {"n": "\n", "N": "\n"}
_CALENDAR_START = re.compile(r"^BEGIN:(VCALENDAR|VEVENT)\s*$", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class ParsedFeed:
    """The readable components of one feed body.

    ``events`` are the VEVENTs after ``x_wr_timezone.to_standard``; ``raw_events`` the same
    VEVENTs as read (same order), for a configured zone that overrides X-WR-TIMEZONE;
    ``timezones`` the VTIMEZONEs by TZID as written; ``properties`` the calendar properties
    of :data:`CALENDAR_PROPERTIES` as text; ``skipped`` what could not be read, and notes.
    """

    events: list[Event]
    timezones: dict[str, Timezone]
    properties: dict[str, str]
    skipped: list[Skipped]
    raw_events: list[Event] = field(default_factory=list)


MAX_EVENTS_PER_FEED = 10_000
"""Most VEVENTs one feed may hold; a larger feed fails (its stored events stay published)
instead of costing minutes and gigabytes at every sync.  A city programme holds hundreds."""
MAX_PROPERTIES_PER_EVENT = 1_000
"""Most content lines one VEVENT may average (the whole body is bounded by [fetch]
max_bytes; this stops a feed of one VEVENT with a million X- properties)."""


def _require_bounded(text: str) -> None:
    """:class:`ParseError` for a feed over :data:`MAX_EVENTS_PER_FEED` VEVENTs or
    :data:`MAX_PROPERTIES_PER_EVENT` lines per VEVENT (counted before any parsing)."""
    events = text.count("BEGIN:VEVENT")
    if events > MAX_EVENTS_PER_FEED:
        raise ParseError(f"the feed holds {events} VEVENTs, more than {MAX_EVENTS_PER_FEED}",
                         hint="ask its publisher for a smaller feed (a date range)")
    lines = text.count("\n")
    if lines > MAX_PROPERTIES_PER_EVENT * max(events, 1) + MAX_PROPERTIES_PER_EVENT:
        raise ParseError(f"the feed has {lines} lines for {events} VEVENT(s), more than "
                         f"{MAX_PROPERTIES_PER_EVENT} a VEVENT",
                         hint="ask its publisher to fix the feed")


def parse_calendar(body: bytes, feed_id: str) -> ParsedFeed:
    """Read a feed body; raises :class:`ParseError` when it is not a calendar or nothing in
    it is readable.  Broken components are skipped and listed in ``skipped``."""
    text, skipped = _decode(body, feed_id)
    _require_calendar(text)
    _require_bounded(text)
    cause: Exception = ValueError("no complete VCALENDAR (missing END:VCALENDAR?)")
    try:
        calendars = read_whole(text)
    except Exception as exc:  # icalendar raises ValueError, AttributeError, KeyError, …
        calendars, cause = [], exc
    if not calendars:
        calendars = [read_blocks(text, feed_id, skipped, cause)]
    return _assemble(calendars, feed_id, skipped)


def _decode(body: bytes, feed_id: str) -> tuple[str, list[Skipped]]:
    """Bytes → text with CRLF line ends and no folds (RFC 5545 §3.1)."""
    notes: list[Skipped] = []
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        body = body.decode("utf-16").encode("utf-8")
    body = _FOLD.sub(b"", body.removeprefix(codecs.BOM_UTF8))
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = body.decode("cp1252", errors="replace")
        notes.append(note(feed_id, "", f"body is not UTF-8 ({exc.reason} at byte "
                                        f"{exc.start}); read as Windows-1252"))
    lines = _EOL.split(text.lstrip("\ufeff"))
    return "\r\n".join(line for line in lines if line.strip()) + "\r\n", notes


def _require_calendar(text: str) -> None:
    if not text.strip():
        raise ParseError("the body is empty, not an iCalendar stream")
    if not _CALENDAR_START.search(text):
        preview = text.strip()[:PREVIEW_CHARS]
        raise ParseError(f"not an iCalendar stream (no BEGIN:VCALENDAR); it starts {preview!r}",
                         hint="check the feed URL: it should answer text/calendar")


# --- assembling the result -----------------------------------------------------------


def _assemble(calendars: list[Component], feed_id: str, skipped: list[Skipped]) -> ParsedFeed:
    components = [c for c in _top_components(calendars) if _zone_bounded(c, feed_id, skipped)]
    raw_events = [e for e in (_usable(c, feed_id, skipped) for c in components) if e is not None]
    properties = _properties(calendars)
    events = _to_standard(raw_events, properties.get("X-WR-TIMEZONE", ""), feed_id, skipped)
    timezones = _timezones(c for c in components if isinstance(c, Timezone))
    return ParsedFeed(events, timezones, properties, skipped, raw_events)


MAX_ZONE_RULES = 1_000
"""Most STANDARD/DAYLIGHT rules (and RDATE values) one VTIMEZONE may hold: a real zone has a
handful (every IANA zone since 1970 fits in a few hundred); one with 100,000 transitions took
minutes and 800 MB to resolve."""


def _zone_bounded(component: Component, feed_id: str, skipped: list[Skipped]) -> bool:
    """Whether a top-level component may be used: anything but a VTIMEZONE over
    :data:`MAX_ZONE_RULES` (dropped with a note; its TZID then reads as unknown)."""
    if not isinstance(component, Timezone):
        return True
    rules = len(component.subcomponents)
    for sub in component.subcomponents[:MAX_ZONE_RULES + 1]:
        rdates = sub.get("RDATE")
        for group in rdates if isinstance(rdates, list) else [rdates] if rdates else []:
            rules += len(getattr(group, "dts", ()))
    if rules <= MAX_ZONE_RULES:
        return True
    tzid = str(component.get("TZID"))
    skipped.append(Skipped(feed_id, "", f"{NOTE_PREFIX}VTIMEZONE {tzid!r} has {rules} rules "
                           f"(at most {MAX_ZONE_RULES}): ignored"))
    return False


def _top_components(calendars: list[Component]) -> Iterator[Component]:
    """The components directly inside each VCALENDAR (a bare top-level one counts too)."""
    for calendar in calendars:
        if calendar.name == "VCALENDAR":
            yield from calendar.subcomponents
        else:
            yield calendar


def _usable(component: Component, feed_id: str, skipped: list[Skipped]) -> Event | None:
    """A VEVENT with its broken properties dropped; ``None`` (and a Skipped) when its
    DTSTART is unreadable.  icalendar keeps such values as ``vBroken`` and lists them in
    ``component.errors``."""
    if not isinstance(component, Event):
        return None
    uid = str(component.get("UID", "?")).strip() or "?"
    errors = component.errors
    broken_start = [msg for name, msg in errors if name == "DTSTART"]
    if broken_start:
        skipped.append(Skipped(feed_id, uid, f"unreadable DTSTART: {broken_start[0]}"))
        return None
    for name in sorted({name for name, _ in errors if name}):
        _drop_broken(component, name)
        skipped.append(note(feed_id, uid, f"unreadable {name} dropped"))
    lines = [msg for name, msg in errors if name is None]
    if lines:
        skipped.append(note(feed_id, uid, f"{len(lines)} unreadable line(s) dropped: {lines[0]}"))
    return component


def _drop_broken(component: Component, name: str) -> None:
    values = component.get(name)
    kept = [v for v in (values if isinstance(values, list) else [values])
            if not isinstance(v, vBroken)]
    component.pop(name, None)
    for value in kept:
        component.add(name, value, encode=False)


def _properties(calendars: list[Component]) -> dict[str, str]:
    found: dict[str, str] = {}
    for calendar in calendars:
        for name in CALENDAR_PROPERTIES:
            if name not in found and calendar.get(name) is not None:
                found[name] = _text(calendar[name])
    return found


def _text(value: Any) -> str:
    """Text of a calendar property; icalendar leaves X- and RFC 7986 names (vUnknown)
    escaped, so RFC 5545 §3.3.11 escapes are undone here."""
    if isinstance(value, list):
        value = value[0]
    if isinstance(value, vUnknown):
        return _TEXT_ESCAPE.sub(_unescape, str(value)).strip()
    if isinstance(value, str):
        return str(value).strip()
    return bytes(value.to_ical()).decode("utf-8", "replace").strip()


def _unescape(found: re.Match[str]) -> str:
    return _UNESCAPED.get(found.group(1), found.group(1))


def _to_standard(events: list[Event], x_wr_timezone_name: str, feed_id: str,
                 skipped: list[Skipped]) -> list[Event]:
    """Apply X-WR-TIMEZONE (floating and UTC values → that zone) to the VEVENTs that use no
    TZID.  Events with a TZID keep it: icalendar leaves a TZID it cannot resolve yet (its
    VTIMEZONE comes later in the file) naive, and to_standard would misread it as floating."""
    if not x_wr_timezone_name:
        return events
    zone = zone_from_name(x_wr_timezone_name)
    if zone is None:
        skipped.append(note(feed_id, "", f"X-WR-TIMEZONE {x_wr_timezone_name!r} is no known "
                                          "zone; ignored"))
        return events
    convertible = [e for e in events if not _uses_tzid(e)]
    try:
        holder = Calendar()
        holder.subcomponents = list(convertible)
        converted = x_wr_timezone.to_standard(holder, timezone=zone.tzinfo).subcomponents
    except Exception as exc:  # x-wr-timezone on odd values: keep the raw calendar
        skipped.append(note(feed_id, "", f"X-WR-TIMEZONE not applied: {reason(exc)}"))
        return events
    replaced = {id(old): new for old, new in zip(convertible, converted, strict=True)}
    return [replaced.get(id(e), e) for e in events]


def _uses_tzid(event: Event) -> bool:
    for name in DATETIME_PROPERTIES:
        values = event.get(name)
        for value in values if isinstance(values, list) else [values]:
            if value is not None and "TZID" in getattr(value, "params", {}):
                return True
    return False


def _timezones(components: Iterable[Timezone]) -> dict[str, Timezone]:
    """VTIMEZONEs by TZID; of two with the same TZID the one whose text sorts first wins,
    so the choice does not depend on component order."""
    found: dict[str, Timezone] = {}
    for component in components:
        tzid = component.get("TZID")
        if not isinstance(tzid, str):
            continue  # two TZIDs in one VTIMEZONE (WordPress): no usable identity
        tzid = str(tzid)
        if tzid not in found or component.to_ical() < found[tzid].to_ical():
            found[tzid] = component
    return found
