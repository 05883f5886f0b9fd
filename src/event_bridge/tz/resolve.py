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

Reading a zone from its name alone lives in :mod:`.names` (steps 1-3 and 5).  This module holds
the order (:class:`ZoneResolver`), what a feed tells about its TZIDs (:class:`TzidUsage`), and
step 4, whether a feed's VTIMEZONE behaves like an IANA zone: :func:`read_reference` samples
its UTC offsets every :data:`SAMPLE_STEP` over at most :data:`MAX_MATCH_YEARS`, :func:`agrees`
asks an IANA zone for the same offset at every sample and every hour around each change, and
:func:`same_days` / :func:`same_walls` are the looser test (same change days, every wall time
the feed wrote placed alike).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from icalendar.timezone import tzp
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from event_bridge.tz.names import (
    COMMON_ZONES,
    IANA,
    Zone,
    global_tzid,
    iana_zone,
    mentioned_zones,
    windows_zone,
    zone_from_name,
)

MAX_MATCH_YEARS = 4
"""Offsets are compared over at most this many years (the latest of the feed's span): old
Outlook VTIMEZONEs describe today's rules from 1601 on, which IANA zones did not follow in
the 1990s, and a longer span costs time without telling zones apart any better."""

SAMPLE_STEP = timedelta(hours=12)
"""Offsets are compared every 12 h; around each change they are compared every hour."""


def named_zone(zone: str, note: str) -> Zone:
    """The zone an IANA name (or ``"UTC"``) names, with how it was found."""
    return Zone("UTC", UTC, note=note) if zone == "UTC" else Zone(zone, ZoneInfo(zone), note=note)


def ical_text(component: Any) -> str:
    """A VTIMEZONE component as text (the cache key of :func:`read_reference`)."""
    return bytes(component.to_ical()).decode("utf-8", "replace")


def same_days(a: Sequence[timedelta | None], b: Sequence[timedelta | None]) -> bool:
    """Offsets that differ only next to a change of either (the same change, hours apart)."""
    def changes(i: int) -> bool:
        window = range(max(i - 1, 0), min(i + 2, len(a)))
        return len({a[j] for j in window} | {b[j] for j in window}) > 1

    if len(a) != len(b):
        return False
    return all(x == y or changes(i) for i, (x, y) in enumerate(zip(a, b, strict=True)))


def same_walls(reference: tzinfo, candidate: str, walls: Iterable[datetime]) -> bool:
    tz: tzinfo = UTC if candidate == "UTC" else ZoneInfo(candidate)
    return all(w.replace(tzinfo=reference).astimezone(UTC) == w.replace(tzinfo=tz).astimezone(UTC)
               for w in walls)


@lru_cache(maxsize=1)
def windows_zones() -> tuple[str, ...]:
    """Every IANA zone of icalendar's Windows table, once each, in a stable order."""
    return tuple(dict.fromkeys(z for _, z in sorted(WINDOWS_TO_OLSON.items()) if z in IANA))


def clamp_span(span: tuple[int, int]) -> tuple[int, int]:
    """The years to compare: at most :data:`MAX_MATCH_YEARS`, ending at the last one."""
    first, last = span
    first = max(first, last - MAX_MATCH_YEARS + 1, 1900)
    last = min(max(last, first), 2199)
    return (min(first, last), last)


@dataclass(frozen=True)
class Reference:
    """A feed VTIMEZONE as a tzinfo, with its offsets at the sample instants."""

    tz: tzinfo
    offsets: tuple[timedelta | None, ...]


@lru_cache(maxsize=256)
def read_reference(vtimezone_text: str, first: int, last: int) -> Reference | None:
    """Build a tzinfo from a VTIMEZONE (dateutil's tzical, through icalendar); ``None`` when
    the component cannot be read (bad offsets, year 0001 starts, no observances)."""
    from icalendar import Timezone  # local: keeps zone matching free of parse state

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            component: Any = Timezone.from_ical(vtimezone_text)
            tz = component.to_tz(tzp, lookup_tzid=False)
            offsets = tuple(_offsets(tz, _samples(first, last)))
    except Exception:  # a third-party reader on untrusted input: any failure = unusable
        return None
    if all(o is None for o in offsets):
        return None
    return Reference(tz, offsets)


def _samples(first: int, last: int) -> Iterator[datetime]:
    moment = datetime(first, 1, 1, tzinfo=UTC)
    end = datetime(last + 1, 1, 1, tzinfo=UTC)
    while moment < end:
        yield moment
        moment += SAMPLE_STEP


def _offsets(tz: tzinfo, instants: Iterable[datetime]) -> Iterator[timedelta | None]:
    for instant in instants:
        yield instant.astimezone(tz).utcoffset()


@lru_cache(maxsize=512)
def zone_offsets(zone: str, first: int, last: int) -> tuple[timedelta | None, ...]:
    """An IANA zone's UTC offsets at the sample instants of the years."""
    tz: tzinfo = UTC if zone == "UTC" else ZoneInfo(zone)
    return tuple(_offsets(tz, _samples(first, last)))


def agrees(reference: Sequence[timedelta | None], reference_tz: tzinfo, candidate: str,
            span: tuple[int, int]) -> bool:
    """Whether ``candidate`` has the reference's UTC offset every 12 h of the span and every
    hour of each 12 h window in which either of them changes offset."""
    candidate_tz: tzinfo = UTC if candidate == "UTC" else ZoneInfo(candidate)
    if not _same_at(reference_tz, candidate_tz, _probes(span[1])):
        return False  # cheap rejection before the full comparison
    offsets = zone_offsets(candidate, *span)
    if offsets != tuple(reference):
        return False
    start = datetime(span[0], 1, 1, tzinfo=UTC)
    for i in range(len(offsets) - 1):
        if offsets[i] != offsets[i + 1] and not _same_hourly(
            reference_tz, candidate_tz, start + i * SAMPLE_STEP
        ):
            return False
    return True


def _probes(year: int) -> tuple[datetime, ...]:
    return tuple(datetime(year, month, 15, 12, tzinfo=UTC) for month in (1, 4, 7, 10))


def _same_at(a: tzinfo, b: tzinfo, moments: Iterable[datetime]) -> bool:
    return all(m.astimezone(a).utcoffset() == m.astimezone(b).utcoffset() for m in moments)


def _same_hourly(a: tzinfo, b: tzinfo, start: datetime) -> bool:
    hours = int(SAMPLE_STEP / timedelta(hours=1))
    return _same_at(a, b, (start + timedelta(hours=h) for h in range(1, hours)))


NAMESPACE = "X-EVENT-BRIDGE"
_TZID_UNSAFE = re.compile('[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029\\\\;,"^]')
"""What a namespaced TZID does not keep: the same text must read alike as a TEXT value
(``TZID:`` of the VTIMEZONE) and as a parameter (``;TZID=``), so no escapable character."""
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
        name = f"{NAMESPACE}/{self.feed_id}/{_TZID_UNSAFE.sub('-', tzid)}"
        component = self._component(tzid).copy(recursive=True)
        component["TZID"] = name
        definition = component.to_ical().decode("utf-8", "replace")
        note = f"VTIMEZONE {tzid!r} matches no IANA zone; kept as {name}"
        return Zone(name, reference.tz, definition=definition, note=note)


