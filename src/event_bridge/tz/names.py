"""Zones read from a name alone (RFC 5545 §3.2.19 TZID, X-WR-TIMEZONE): :class:`Zone`.

Pure lookups, no VTIMEZONE involved: an IANA name or UTC alias (:func:`iana_zone`); a
globally unique TZID ending in an IANA name (:func:`global_tzid`); a Windows name through
icalendar's CLDR table (:func:`windows_zone`); a display name that mentions zones
(:func:`mentioned_zones`) or states a standard offset (:func:`zone_from_name`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

UTC_ALIASES = frozenset(
    {"UTC", "Z", "GMT", "UCT", "ZULU", "UNIVERSAL", "GREENWICH", "GMT0", "ETC/UTC",
     "ETC/GMT", "ETC/UCT", "ETC/ZULU", "ETC/UNIVERSAL", "ETC/GREENWICH", "ETC/GMT0",
     "ETC/GMT+0", "ETC/GMT-0"}
)

COMMON_ZONES = (
    "Europe/Paris", "America/Los_Angeles", "Europe/London", "Europe/Berlin", "Europe/Madrid",
    "Europe/Rome", "Europe/Amsterdam", "Europe/Brussels", "Europe/Zurich", "Europe/Stockholm",
    "Europe/Lisbon", "Europe/Dublin", "Europe/Helsinki", "Europe/Athens", "Europe/Istanbul",
    "Europe/Moscow", "America/New_York", "America/Chicago", "America/Denver",
    "America/Phoenix", "America/Anchorage", "Pacific/Honolulu", "America/Toronto",
    "America/Vancouver", "America/Mexico_City", "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires", "America/Bogota", "Asia/Tokyo", "Asia/Shanghai",
    "Asia/Hong_Kong", "Asia/Singapore", "Asia/Kolkata", "Asia/Dubai", "Asia/Seoul",
    "Asia/Bangkok", "Asia/Jakarta", "Australia/Sydney", "Australia/Brisbane",
    "Australia/Adelaide", "Australia/Perth", "Pacific/Auckland", "Africa/Johannesburg",
    "Africa/Cairo", "Africa/Lagos", "Africa/Nairobi", "UTC",
)
"""Tried (after the configured cities' zones) when matching a custom VTIMEZONE; every zone
of icalendar's Windows mapping is tried after these."""

IANA = frozenset(available_timezones())

_WINDOWS = {name.casefold(): zone for name, zone in WINDOWS_TO_OLSON.items()}

_OFFSET_VALUE = re.compile(r"^\(?\s*(?:UTC|GMT)\s*([+-])\s*(\d{1,2})(?:[:.]?(\d{2}))?",
                           re.IGNORECASE)

_OFFSET_PREFIX = re.compile(r"^\(?\s*(?:UTC|GMT)\s*[+-]?[\d:.]*\s*\)?\s*", re.IGNORECASE)

_CANONICAL_AREAS = ("Europe", "America", "Asia", "Africa", "Australia", "Pacific",
                    "Atlantic", "Indian", "Antarctica")


@dataclass(frozen=True)
class Zone:
    """A resolved zone: ``tzid`` is an IANA name, ``"UTC"`` or a namespaced TZID whose
    VTIMEZONE text is ``definition``; ``note`` says how a non-IANA name was read, and
    ``guessed`` whether that reading is a judgement (worth reporting) rather than a
    published mapping (CLDR's Windows table, RFC 5545 §3.2.19 global TZIDs)."""

    tzid: str
    tzinfo: tzinfo
    definition: str = ""
    note: str = ""
    guessed: bool = True


def utc_zone() -> Zone:
    return Zone("UTC", UTC)


def iana_zone(name: str) -> Zone | None:
    """The zone an IANA name (or UTC alias) names, else ``None``."""
    cleaned = name.strip().strip('"').strip()
    if cleaned.upper() in UTC_ALIASES:
        return utc_zone()
    if cleaned in IANA:
        return Zone(cleaned, ZoneInfo(cleaned))
    return None


def zone_from_name(name: str, preferred: Sequence[str] = ()) -> Zone | None:
    """Read a zone from its name alone (no VTIMEZONE): IANA, global TZID, Windows, a zone
    the name mentions (any case), or one with the standard offset it states (``preferred``
    zones first).  Used for TZIDs without VTIMEZONE and for X-WR-TIMEZONE."""
    zone = iana_zone(name) or global_tzid(name) or windows_zone(name)
    if zone is not None:
        return zone
    mentioned = mentioned_zones(name)
    mentioned.sort(key=lambda zone: zone not in preferred)  # a city's zone first (stable)
    guesses = mentioned or _zones_at_offset(name, preferred)
    if guesses:
        return Zone(guesses[0], ZoneInfo(guesses[0]), note=f"TZID {name!r} read as {guesses[0]}")
    return None


def _zones_at_offset(name: str, preferred: Sequence[str]) -> list[str]:
    """For ``(GMT +01:00)``-style names: the first preferred or common zone whose standard
    (winter) offset is the one the name states."""
    found = _OFFSET_VALUE.match(name.strip().strip('"'))
    if not found:
        return []
    sign = -1 if found.group(1) == "-" else 1
    offset = sign * timedelta(hours=int(found.group(2)), minutes=int(found.group(3) or 0))
    for zone in (*preferred, *COMMON_ZONES):
        if zone != "UTC" and _standard_offset(zone) == offset:
            return [zone]
    return []


def _standard_offset(zone: str) -> timedelta | None:
    """The smaller of the January and July offsets (DST only ever adds)."""
    tz = ZoneInfo(zone)
    offsets = [datetime(2026, m, 1, tzinfo=UTC).astimezone(tz).utcoffset() for m in (1, 7)]
    return min(o for o in offsets if o is not None)


def global_tzid(name: str) -> Zone | None:
    """RFC 5545 §3.2.19 globally unique TZIDs: the longest IANA name at the end."""
    parts = [p for p in name.strip().strip('"').split("/") if p]
    for start in range(1, len(parts)):
        candidate = "/".join(parts[start:])
        if candidate in IANA:
            note = f"TZID {name!r} read as {candidate}"
            return Zone(candidate, ZoneInfo(candidate), note=note, guessed=False)
    return None


def windows_zone(name: str) -> Zone | None:
    olson = _WINDOWS.get(name.strip().strip('"').strip().casefold())
    if olson is None or olson not in IANA:
        return None
    note = f"Windows zone {name!r} read as {olson}"
    return Zone(olson, ZoneInfo(olson), note=note, guessed=False)


def mentioned_zones(name: str) -> list[str]:
    """IANA zones a display name mentions, in order: ``(UTC+01:00) Brussels, Copenhagen``
    → Europe/Brussels, Europe/Copenhagen; ``Germany/Berlin`` → Europe/Berlin."""
    text = _OFFSET_PREFIX.sub("", name.strip().strip('"'))
    found: list[str] = []
    for part in re.split(r"[,/()]|\s-\s", text):
        key = part.strip().casefold()
        zone = _WINDOWS.get(key) or _city_index().get(key.replace(" ", "_"))
        if zone and zone in IANA and zone not in found:
            found.append(zone)
    return found


@lru_cache(maxsize=1)
def _city_index() -> dict[str, str]:
    """Last segment of every IANA name → the name (canonical areas win over legacy links)."""
    index: dict[str, str] = {}
    for zone in sorted(IANA, key=_zone_rank):
        index.setdefault(zone.rsplit("/", 1)[-1].casefold(), zone)
    return index


def _zone_rank(zone: str) -> tuple[int, str]:
    area = zone.split("/", 1)[0]
    return (0 if area in _CANONICAL_AREAS else 1, zone)
