"""TZID → IANA zone resolution (RFC 5545 §3.2.19 TZID, §3.6.5 VTIMEZONE).

A feed's TZID is resolved once per feed by :class:`ZoneResolver`, in this order:

1. an IANA name (or a UTC alias) is used as is;
2. a "globally unique" TZID (``/mozilla.org/20050126_1/Europe/Paris``) is read as the IANA
   name at its end;
3. a Windows name (``Romance Standard Time``) goes through icalendar's CLDR mapping, then
   becomes a configured city's zone when the two agree over the feed's years;
4. a custom or misspelled name with a VTIMEZONE in the feed is matched by its own offsets:
   the first IANA zone whose UTC offset agrees with it at every hour that matters over the
   years the feed's events span (the feed city's zone first, then the other cities', then
   zones the name mentions, then common zones); if none agrees, the feed's VTIMEZONE is kept
   under a namespaced TZID ``X-EVENT-BRIDGE/<feed id>/<tzid>``;
5. a name without a usable VTIMEZONE that mentions a zone (``(UTC+01:00) Brussels, …``) is
   read as that zone.

Anything else is unresolved (``None``); the caller then treats the time as floating.

Reading a zone from its name alone lives in :mod:`.zonenames` (steps 1-3 and 5), comparing a
VTIMEZONE's offsets with IANA zones in :mod:`.zonematch` (step 4); this module holds the
order (:class:`ZoneResolver`) and what a feed tells about its TZIDs (:class:`TzidUsage`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from .zonematch import (
    Reference,
    agrees,
    clamp_span,
    ical_text,
    named_zone,
    read_reference,
    same_days,
    same_walls,
    windows_zones,
    zone_offsets,
)
from .zonenames import COMMON_ZONES, IANA, global_tzid, windows_zone

# Re-exported: callers read zones through this module.
from .zonenames import UTC_ALIASES as UTC_ALIASES
from .zonenames import Zone as Zone
from .zonenames import iana_zone as iana_zone
from .zonenames import mentioned_zones as mentioned_zones
from .zonenames import utc_zone as utc_zone
from .zonenames import zone_from_name as zone_from_name

NAMESPACE = "X-EVENT-BRIDGE"
"""Prefix of the TZID under which a VTIMEZONE that matches no IANA zone is kept."""


@dataclass
class TzidUsage:
    """Where a feed uses each TZID: the years its events span and the wall-clock times
    written in it (the times a loosely matching zone must still place right)."""

    years: dict[str, tuple[int, int]] = field(default_factory=dict)
    walls: dict[str, set[datetime]] = field(default_factory=dict)
    every: tuple[int, int] | None = None

    def add(self, tzid: str, wall: datetime | None, first: int, last: int) -> None:
        old = self.years.get(tzid, (first, last))
        self.years[tzid] = (min(old[0], first), max(old[1], last))
        if wall is not None:
            self.walls.setdefault(tzid, set()).add(wall.replace(tzinfo=None))

    def add_year(self, first: int, last: int) -> None:
        old = self.every or (first, last)
        self.every = (min(old[0], first), max(old[1], last))

    def span(self, tzid: str) -> tuple[int, int]:
        return clamp_span(self.years.get(tzid) or self.every or (2000, 2000))


class ZoneResolver:
    """Resolves the TZIDs of one feed (cached per TZID): ``timezones`` are the feed's
    VTIMEZONEs by TZID, ``preferred`` the configured cities' zones (the feed city's first)."""

    def __init__(self, feed_id: str, timezones: Mapping[str, Any], preferred: Sequence[str],
                 usage: TzidUsage) -> None:
        self.feed_id = feed_id
        self.timezones = timezones
        self.preferred = tuple(z for z in preferred if z in IANA)
        self.usage = usage
        self._cache: dict[str, Zone | None] = {}

    def resolve(self, tzid: str) -> Zone | None:
        """The zone a TZID stands for, or ``None`` when nothing can be made of it."""
        if tzid not in self._cache:
            self._cache[tzid] = self._resolve(tzid)
        return self._cache[tzid]

    def resolved(self) -> list[Zone]:
        """The zones resolved so far, by TZID (for reporting how names were read)."""
        return [zone for _, zone in sorted(self._cache.items()) if zone is not None]

    def _resolve(self, tzid: str) -> Zone | None:
        zone = iana_zone(tzid) or global_tzid(tzid)
        if zone is not None:
            return zone
        span = self.usage.span(tzid)
        zone = windows_zone(tzid)
        if zone is not None:
            return self._prefer_city(zone, span)
        component = self._component(tzid)
        reference = read_reference(ical_text(component), *span) if component is not None else None
        if reference is not None:
            return self._match(tzid, reference, span)
        return zone_from_name(tzid, self.preferred)

    def _prefer_city(self, zone: Zone, span: tuple[int, int]) -> Zone:
        """A configured city's zone instead of an equivalent one (Berlin → Paris)."""
        if zone.tzid in self.preferred:
            return zone
        offsets = zone_offsets(zone.tzid, *span)
        for city_zone in self.preferred:
            if agrees(offsets, ZoneInfo(zone.tzid), city_zone, span):
                note = f"{zone.note}, same as {city_zone}"
                return Zone(city_zone, ZoneInfo(city_zone), note=note, guessed=False)
        return zone

    def _component(self, tzid: str) -> Any:
        """The feed's VTIMEZONE for a TZID; spaces around the name are not significant
        (Outlook writes ``TZID: 1`` in one place and ``TZID= 1`` in another)."""
        if tzid in self.timezones:
            return self.timezones[tzid]
        for name in sorted(self.timezones):
            if name.strip() == tzid.strip():
                return self.timezones[name]
        return None

    def _match(self, tzid: str, reference: Reference, span: tuple[int, int]) -> Zone:
        """Strictly (every hour around each change) first; else a zone that changes on the
        same days, at another hour, when that places every time the feed wrote the same."""
        years = f"{span[0]}–{span[1]}"
        for candidate in self._candidates(tzid):
            if agrees(reference.offsets, reference.tz, candidate, span):
                return named_zone(candidate, f"VTIMEZONE {tzid!r} matches {candidate} over {years}")
        walls = sorted(self.usage.walls.get(tzid, ()))
        for candidate in self._candidates(tzid):
            offsets = zone_offsets(candidate, *span)
            if same_days(reference.offsets, offsets) and same_walls(reference.tz, candidate,
                                                                       walls):
                note = (f"VTIMEZONE {tzid!r} matches {candidate} over {years} except the hour "
                        "of its changes, which no event of the feed uses")
                return named_zone(candidate, note)
        return self._namespaced(tzid, reference)

    def _candidates(self, tzid: str) -> Iterator[str]:
        seen: set[str] = set()
        for zone in (*self.preferred, *mentioned_zones(tzid), *COMMON_ZONES, *windows_zones()):
            if zone not in seen:
                seen.add(zone)
                yield zone

    def _namespaced(self, tzid: str, reference: Reference) -> Zone:
        """Keep the feed's VTIMEZONE under ``X-EVENT-BRIDGE/<feed id>/<tzid>``."""
        name = f"{NAMESPACE}/{self.feed_id}/{tzid}"
        component = self._component(tzid).copy(recursive=True)
        component["TZID"] = name
        definition = component.to_ical().decode("utf-8", "replace")
        note = f"VTIMEZONE {tzid!r} matches no IANA zone; kept as {name}"
        return Zone(name, reference.tz, definition=definition, note=note)


