"""A feed body → its context and its *units* of VEVENT blocks, each with a hash, so a resync
parses only the units whose hash is new (RFC 5545 §3.4, §3.6.1).

A unit is every VEVENT block of one UID: a series master and its RECURRENCE-ID overrides are
read together.  Its hash covers its blocks with the :data:`VOLATILE` lines left out (in sorted
order: block order never shows through) and the feed's *context* digest, which covers the text
outside the VEVENT blocks (calendar properties, VTIMEZONEs) plus whatever else the caller says
shapes the reading (the feed's configuration, the program version).  A change of context
therefore gives every unit a new hash and re-reads the whole feed.

:func:`split_feed` is a line scanner (regular expressions over the unfolded text) and never
parses a property value; it returns ``None`` for a body whose reading is not unit by unit:
one that needs a repair note (not UTF-8), that is cut or nested oddly, that has a VEVENT
without UID, a second VCALENDAR, or a TZID that is not an IANA name (a custom VTIMEZONE is
matched against IANA zones over the years *all* the feed's events span, so one unit cannot be
read without the others).  Such a body is read whole, as before.

:func:`read_units` reads units with icalendar, many at once (one calendar text per chunk,
without the VTIMEZONEs, which come parsed from the context), then normalises each unit on
its own.  It is a pure, top-level function so that a process pool can run it.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from event_bridge.intake.normalise import normalise
from event_bridge.intake.parse import ParsedFeed, parse_calendar
from event_bridge.model import City, FeedSource, Skipped, SourceEvent
from event_bridge.tz.names import iana_zone

VOLATILE = ("DTSTAMP",)
"""Properties left out of a block's hash: they change without the event changing, and intake
never reads them.  DTSTAMP is the time the file was written for Google Calendar's ICS export,
Nextcloud/SabreDAV, Meetup and most WordPress calendar plugins, so every poll brings new
bytes.  Not in the set, on purpose: LAST-MODIFIED (Outlook/Exchange rewrite it on every export,
but intake stores it and a newer one refreshes the stored row, so it must reach the store),
SEQUENCE (a real revision), and X-MICROSOFT-CDO-* / X-GOOGLE-* lines (not read either, but
stable from one export to the next in the samples we have; adding a property here is safe only
if nothing in intake reads it)."""

_BEGIN, _END = "\r\nBEGIN:VEVENT\r\n", "\r\nEND:VEVENT\r\n"  # a lower-case one: read whole
_UID = re.compile(r"^UID(?:;[^:\r\n]*)?:(.*)$", re.MULTILINE | re.IGNORECASE)
_TZID = re.compile(r'TZID[:=]("[^"]*"|[^;:\r\n]*)', re.IGNORECASE)
_TOP = re.compile(r"^BEGIN:(?:VEVENT|VCALENDAR|VTODO|VJOURNAL|VFREEBUSY|VTIMEZONE|"
                  r"VAVAILABILITY)\s*$", re.MULTILINE | re.IGNORECASE)
_FOLD = re.compile(rb"(?:\r\n|\r|\n)[ \t]")
_BLANK = re.compile(r"\n(?:[ \t]*\n)+")
_ESCAPE = re.compile(r"\\(.)")
_COMPONENT = re.compile(r"^(BEGIN|END):", re.IGNORECASE)


@dataclass(frozen=True)
class Unit:
    uid: str  # the UID as written, unescaped
    blocks: tuple[str, ...]  # the VEVENT blocks, unfolded CRLF text, in file order
    digest: str


@dataclass(frozen=True)
class Split:
    context: str  # the body without its VEVENT blocks
    header: str  # BEGIN:VCALENDAR and the calendar property lines
    units: list[Unit]


@dataclass(frozen=True)
class UnitRead:
    """What one unit reads as: its source events and its notes (a unit with notes is read
    again at every sync, so its notes are never lost)."""

    digest: str
    events: list[SourceEvent]
    skipped: list[Skipped]


def split_feed(body: bytes, salt: str) -> Split | None:
    """The units of ``body``, or ``None`` when it must be read whole (see the module doc)."""
    text = _lines(body)
    if text is None:
        return None
    scanned = _scan(text)
    if scanned is None:
        return None
    blocks, context = scanned
    if not blocks or len(_TOP.findall(context)) - context.upper().count("BEGIN:VTIMEZONE") != 1:
        return None  # no VEVENT, a VEVENT cut short, a second VCALENDAR, a VTODO, …
    if any("\r\nBEGIN:V" in b and _TOP.search(b, 1) for b in blocks) or not _simple_zones(text):
        return None
    grouped: dict[str, list[str]] = {}
    for block in blocks:
        key = _uid(block)
        if not key:
            return None
        grouped.setdefault(key, []).append(block)
    seed = hashlib.sha256((salt + "\x1d" + context).encode()).hexdigest()
    units = [Unit(uid, tuple(group), _digest(seed, group)) for uid, group in grouped.items()]
    return Split(context, _header(context), units)


def _scan(text: str) -> tuple[list[str], str] | None:
    """The VEVENT blocks (BEGIN:VEVENT to END:VEVENT lines) and the text around them."""
    blocks, gaps, at = [], [], 0
    while (start := text.find(_BEGIN, max(at - 2, 0))) >= 0:
        end = text.find(_END, start)
        if end < 0:
            return None
        end += len(_END)
        gaps.append(text[at:start + 2])
        blocks.append(text[start + 2:end])
        at = end
    gaps.append(text[at:])
    return blocks, "".join(gaps)


def _lines(body: bytes) -> str | None:
    """The body as unfolded CRLF text without blank lines (what ``parse`` reads), or ``None``
    when reading it takes a repair (not UTF-8, UTF-16)."""
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    try:
        text = _FOLD.sub(b"", body.removeprefix(codecs.BOM_UTF8)).decode("utf-8")
    except UnicodeDecodeError:
        return None
    text = _BLANK.sub("\n", text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))
    return text.lstrip("\n").replace("\n", "\r\n")


def _uid(block: str) -> str:
    at = block.find("\r\nUID:")
    if at >= 0:
        raw = block[at + 6:block.find("\r\n", at + 6)]
    else:
        found = _UID.search(block)
        raw = found.group(1) if found else ""
    return (_ESCAPE.sub(_unescape, raw) if "\\" in raw else raw).strip()


def _stable(block: str) -> str:
    """``block`` without its :data:`VOLATILE` lines (as written in upper case; another spelling
    stays in and only costs a re-read)."""
    for name in VOLATILE:
        at = block.find("\r\n" + name)
        while at >= 0:
            end = block.find("\r\n", at + 2)
            if block[at + 2 + len(name)] in ":;":
                block = block[:at] + block[end:]
            else:
                at = end
            at = block.find("\r\n" + name, at)
    return block


def _unescape(found: re.Match[str]) -> str:
    return "\n" if found.group(1) in "nN" else found.group(1)


def _digest(seed: str, blocks: Sequence[str]) -> str:
    digest = hashlib.sha256(seed.encode())
    for block in sorted(_stable(b) for b in blocks):
        digest.update(block.encode())
    return digest.hexdigest()[:32]


def _simple_zones(text: str) -> bool:
    """Every TZID (property or parameter) is an IANA name or a UTC alias."""
    return all(iana_zone(name) is not None for name in set(_TZID.findall(text)))


def _header(context: str) -> str:
    """The context's calendar property lines (outside every component)."""
    lines, depth = [], 0
    for line in context.split("\r\n"):
        begin = _COMPONENT.match(line)
        if begin and begin.group(1).upper() == "BEGIN":
            depth += 1
            if depth == 1:
                lines.append(line)
            continue
        if begin:
            depth -= 1
            continue
        if depth == 1:
            lines.append(line)
    return "\r\n".join(lines) + "\r\n"


# --- reading units ---------------------------------------------------------------------


def read_units(context: str, header: str, units: Sequence[Unit], feed: FeedSource,
               cities: Mapping[str, City]) -> list[UnitRead]:
    """Read ``units`` (with the feed ``context`` they were split from): one icalendar pass
    over all their blocks, then one ``normalise`` per unit.  A chunk icalendar reads with
    notes is read again unit by unit, so each note lands on its own unit."""
    frame = parse_calendar(context.encode(), feed.id)
    if frame.skipped:  # a note on the context (an unknown X-WR-TIMEZONE, …): read whole
        return [UnitRead(u.digest, [], list(frame.skipped)) for u in units]
    text = header + "".join(b for u in units for b in u.blocks) + "END:VCALENDAR\r\n"
    parsed = parse_calendar(text.encode(), feed.id)
    count = sum(len(u.blocks) for u in units)
    if parsed.skipped or len(parsed.events) != count or len(parsed.raw_events) != count:
        return [r for u in units for r in _read_alone(frame, header, u, feed, cities)]
    out, at = [], 0
    for unit in units:
        end = at + len(unit.blocks)
        part = replace(frame, events=parsed.events[at:end], raw_events=parsed.raw_events[at:end])
        events, skipped = normalise(part, feed, cities)
        out.append(UnitRead(unit.digest, events, skipped))
        at = end
    return out


def _read_alone(frame: ParsedFeed, header: str, unit: Unit, feed: FeedSource,
                cities: Mapping[str, City]) -> list[UnitRead]:
    text = header + "".join(unit.blocks) + "END:VCALENDAR\r\n"
    try:
        parsed = parse_calendar(text.encode(), feed.id)
    except Exception as exc:  # any failure: a note, so the feed is then read whole
        return [UnitRead(unit.digest, [], [Skipped(feed.id, unit.uid, f"unreadable: {exc}")])]
    part = replace(frame, events=parsed.events, raw_events=parsed.raw_events)
    events, skipped = normalise(part, feed, cities)
    return [UnitRead(unit.digest, events, [*parsed.skipped, *skipped])]
