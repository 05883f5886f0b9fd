"""RFC 5545 content lines as text: deterministic, folded at 75 octets (§3.1).

:func:`prop_line` writes one property whose value is already in its type's syntax;
:func:`text_line` escapes a TEXT value first (§3.3.11); :func:`clean` (intake's) drops
control characters that would break the syntax.  :class:`Form` writes the moments of one VEVENT in
its zone (``TZID=`` local time, ``...Z`` UTC or ``VALUE=DATE``; §3.3.5, §3.3.4) and
:func:`form_of` chooses that zone; :func:`refolded` normalises a feed's own VTIMEZONE text.
Pure: no clock, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import lru_cache

from icalendar.parser import Contentline

from event_bridge.intake.values import clean
from event_bridge.model import EventData, Moment
from event_bridge.recurrence.expand import whole_set
from event_bridge.tz.lookup import zone_for

CRLF = "\r\n"

_NOT_IN_VALUE = re.compile("[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]")  # §3.1 VALUE-CHAR
_NAME = re.compile("[A-Z][A-Z0-9-]*")  # §3.1 name: iana-token / x-name
_QUOTE_IF = re.compile(r"[,;:\\]")  # §3.2 must quote; a backslash too: readers unescape
_URI_UNSAFE = re.compile('[\x00-\x20\x7f"<>\\\\^`{|}\x85\u2028\u2029]')  # RFC 3986 §2


def text_value(value: str) -> str:
    """A TEXT value escaped as §3.3.11 says (``\\\\ \\; \\, \\n``): no line break left."""
    return (clean(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def param_value(value: str) -> str:
    """A parameter value: RFC 6868 (``^^``, ``^n``, ``^'``), quoted where §3.2 requires."""
    text = clean(value).replace("^", "^^").replace("\n", "^n").replace('"', "^'")
    quote = _QUOTE_IF.search(text) or text != text.strip()  # readers strip bare spaces
    return f'"{text}"' if quote else text


def uri_value(value: str) -> str:
    """A URI / CAL-ADDRESS value (§3.3.13, §3.3.3): what RFC 3986 forbids percent-encoded."""
    return _URI_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m[0].encode()),
                           clean(value).strip())


def prop_line(name: str, value: str, params: Mapping[str, str] | None = None) -> str:
    """The one writer of content lines (§3.1): ``value`` is already in its type's syntax
    (TEXT through :func:`text_value`, URIs through :func:`uri_value`); every parameter goes
    through :func:`param_value`.  Whatever the arguments hold, the result is one property
    line, folded at 75 octets: control characters and line breaks never reach it."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"not a property name: {name!r}")
    head = name + (_params(tuple(sorted(params.items()))) if params else "")
    line = f"{head}:{_NOT_IN_VALUE.sub('', value)}"
    if len(line) <= 75 and (line.isascii() or len(line.encode()) <= 75):
        return line + CRLF  # nothing to fold: skip icalendar's per-character loop
    return Contentline(line).to_ical().decode() + CRLF


@lru_cache(maxsize=4096)
def _params(items: tuple[tuple[str, str], ...]) -> str:
    """``;NAME=value`` text, each value through :func:`param_value`."""
    for key, _value in items:
        if not _NAME.fullmatch(key):
            raise ValueError(f"not a parameter name: {key!r}")
    return "".join(f";{key}={param_value(value)}" for key, value in items)


def text_line(name: str, value: str, params: Mapping[str, str] | None = None) -> str:
    """A TEXT property, escaped as §3.3.11 says (``\\\\ \\; \\, \\n``)."""
    return prop_line(name, text_value(value), params)


@dataclass(frozen=True)
class Form:
    """How the moments of one VEVENT are written: in ``tzid`` ("" = UTC or DATE)."""

    tzid: str
    definition: str = ""

    def write(self, name: str, value: Moment, extra: Mapping[str, str] | None = None,
              wall: bool = False) -> str:
        params = dict(extra or {})
        if not isinstance(value, datetime):
            return prop_line(name, value.strftime("%Y%m%d"), {**params, "VALUE": "DATE"})
        local = self.local(value, wall)
        if local is None:
            return prop_line(name, value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ"), params)
        return prop_line(name, local.strftime("%Y%m%dT%H%M%S"), {**params, "TZID": self.tzid})

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
def form_of(data: EventData) -> Form:
    """The zone form of an event.  A namespaced custom zone is written in UTC whenever that
    names the same instants (plain events, overrides, series no DST change moves): node-ical
    reads an unknown TZID as UTC and ignores its VTIMEZONE.  Only a series whose wall-clock
    rule needs the zone keeps ``TZID=`` and the feed's own VTIMEZONE."""
    if data.all_day:
        return Form("")
    if data.tz_definition and (not data.recurring or whole_set(data) == whole_set(
            replace(data, tzid="UTC", tz_definition=""))):
        return Form("UTC")
    return Form(data.tzid, data.tz_definition)


def refolded(text: str) -> str:
    """A feed's own VTIMEZONE text, unfolded, stripped of blank lines, refolded in CRLF."""
    unfolded: list[str] = []
    for raw in clean(text).split("\n"):
        if raw[:1] in (" ", "\t") and unfolded:
            unfolded[-1] += raw[1:]
        elif raw.strip():
            unfolded.append(raw.rstrip())
    return "".join(Contentline(line).to_ical().decode() + CRLF
                   for line in unfolded if _zone_line(line))


_ZONE_PARTS = frozenset({"VTIMEZONE", "STANDARD", "DAYLIGHT"})
_LINE_HEAD = re.compile("[A-Za-z0-9-]+[;:]")


def _zone_line(line: str) -> bool:
    """Whether a line may stand in a VTIMEZONE: a property, or the boundary of the zone or of
    one of its rules (§3.6.5) — never of another component."""
    if not _LINE_HEAD.match(line):
        return False
    name, _, value = line.partition(":")
    return name.upper() not in ("BEGIN", "END") or value.upper() in _ZONE_PARTS
