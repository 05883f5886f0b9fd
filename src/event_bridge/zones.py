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
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from icalendar.timezone import tzp
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

NAMESPACE = "X-EVENT-BRIDGE"
"""Prefix of the TZID under which a VTIMEZONE that matches no IANA zone is kept."""

MAX_MATCH_YEARS = 4
"""Offsets are compared over at most this many years (the latest of the feed's span): old
Outlook VTIMEZONEs describe today's rules from 1601 on, which IANA zones did not follow in
the 1990s, and a longer span costs time without telling zones apart any better."""

SAMPLE_STEP = timedelta(hours=12)
"""Offsets are compared every 12 h; around each change they are compared every hour."""

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

_IANA = frozenset(available_timezones())
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
    if cleaned in _IANA:
        return Zone(cleaned, ZoneInfo(cleaned))
    return None


def zone_from_name(name: str, preferred: Sequence[str] = ()) -> Zone | None:
    """Read a zone from its name alone (no VTIMEZONE): IANA, global TZID, Windows, a zone
    the name mentions (any case), or one with the standard offset it states (``preferred``
    zones first).  Used for TZIDs without VTIMEZONE and for X-WR-TIMEZONE."""
    zone = iana_zone(name) or _global_tzid(name) or _windows(name)
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


def _global_tzid(name: str) -> Zone | None:
    """RFC 5545 §3.2.19 globally unique TZIDs: the longest IANA name at the end."""
    parts = [p for p in name.strip().strip('"').split("/") if p]
    for start in range(1, len(parts)):
        candidate = "/".join(parts[start:])
        if candidate in _IANA:
            note = f"TZID {name!r} read as {candidate}"
            return Zone(candidate, ZoneInfo(candidate), note=note, guessed=False)
    return None


def _windows(name: str) -> Zone | None:
    olson = _WINDOWS.get(name.strip().strip('"').strip().casefold())
    if olson is None or olson not in _IANA:
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
        if zone and zone in _IANA and zone not in found:
            found.append(zone)
    return found


@lru_cache(maxsize=1)
def _city_index() -> dict[str, str]:
    """Last segment of every IANA name → the name (canonical areas win over legacy links)."""
    index: dict[str, str] = {}
    for zone in sorted(_IANA, key=_zone_rank):
        index.setdefault(zone.rsplit("/", 1)[-1].casefold(), zone)
    return index


def _zone_rank(zone: str) -> tuple[int, str]:
    area = zone.split("/", 1)[0]
    return (0 if area in _CANONICAL_AREAS else 1, zone)


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
        return _clamp(self.years.get(tzid) or self.every or (2000, 2000))


class ZoneResolver:
    """Resolves the TZIDs of one feed (cached per TZID): ``timezones`` are the feed's
    VTIMEZONEs by TZID, ``preferred`` the configured cities' zones (the feed city's first)."""

    def __init__(self, feed_id: str, timezones: Mapping[str, Any], preferred: Sequence[str],
                 usage: TzidUsage) -> None:
        self.feed_id = feed_id
        self.timezones = timezones
        self.preferred = tuple(z for z in preferred if z in _IANA)
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
        zone = iana_zone(tzid) or _global_tzid(tzid)
        if zone is not None:
            return zone
        span = self.usage.span(tzid)
        zone = _windows(tzid)
        if zone is not None:
            return self._prefer_city(zone, span)
        component = self._component(tzid)
        reference = _reference(_ical(component), *span) if component is not None else None
        if reference is not None:
            return self._match(tzid, reference, span)
        return zone_from_name(tzid, self.preferred)

    def _prefer_city(self, zone: Zone, span: tuple[int, int]) -> Zone:
        """A configured city's zone instead of an equivalent one (Berlin → Paris)."""
        if zone.tzid in self.preferred:
            return zone
        offsets = _zone_offsets(zone.tzid, *span)
        for city_zone in self.preferred:
            if _agrees(offsets, ZoneInfo(zone.tzid), city_zone, span):
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

    def _match(self, tzid: str, reference: _Reference, span: tuple[int, int]) -> Zone:
        """Strictly (every hour around each change) first; else a zone that changes on the
        same days, at another hour, when that places every time the feed wrote the same."""
        years = f"{span[0]}–{span[1]}"
        for candidate in self._candidates(tzid):
            if _agrees(reference.offsets, reference.tz, candidate, span):
                return _named(candidate, f"VTIMEZONE {tzid!r} matches {candidate} over {years}")
        walls = sorted(self.usage.walls.get(tzid, ()))
        for candidate in self._candidates(tzid):
            offsets = _zone_offsets(candidate, *span)
            if _same_days(reference.offsets, offsets) and _same_walls(reference.tz, candidate,
                                                                       walls):
                note = (f"VTIMEZONE {tzid!r} matches {candidate} over {years} except the hour "
                        "of its changes, which no event of the feed uses")
                return _named(candidate, note)
        return self._namespaced(tzid, reference)

    def _candidates(self, tzid: str) -> Iterator[str]:
        seen: set[str] = set()
        for zone in (*self.preferred, *mentioned_zones(tzid), *COMMON_ZONES, *_windows_zones()):
            if zone not in seen:
                seen.add(zone)
                yield zone

    def _namespaced(self, tzid: str, reference: _Reference) -> Zone:
        """Keep the feed's VTIMEZONE under ``X-EVENT-BRIDGE/<feed id>/<tzid>``."""
        name = f"{NAMESPACE}/{self.feed_id}/{tzid}"
        component = self._component(tzid).copy(recursive=True)
        component["TZID"] = name
        definition = component.to_ical().decode("utf-8", "replace")
        note = f"VTIMEZONE {tzid!r} matches no IANA zone; kept as {name}"
        return Zone(name, reference.tz, definition=definition, note=note)


def _named(zone: str, note: str) -> Zone:
    return Zone("UTC", UTC, note=note) if zone == "UTC" else Zone(zone, ZoneInfo(zone), note=note)


def _ical(component: Any) -> str:
    return bytes(component.to_ical()).decode("utf-8", "replace")


def _same_days(a: Sequence[timedelta | None], b: Sequence[timedelta | None]) -> bool:
    """Offsets that differ only next to a change of either (the same change, hours apart)."""
    def changes(i: int) -> bool:
        window = range(max(i - 1, 0), min(i + 2, len(a)))
        return len({a[j] for j in window} | {b[j] for j in window}) > 1

    if len(a) != len(b):
        return False
    return all(x == y or changes(i) for i, (x, y) in enumerate(zip(a, b, strict=True)))


def _same_walls(reference: tzinfo, candidate: str, walls: Iterable[datetime]) -> bool:
    tz: tzinfo = UTC if candidate == "UTC" else ZoneInfo(candidate)
    return all(w.replace(tzinfo=reference).astimezone(UTC) == w.replace(tzinfo=tz).astimezone(UTC)
               for w in walls)


@lru_cache(maxsize=1)
def _windows_zones() -> tuple[str, ...]:
    return tuple(dict.fromkeys(z for _, z in sorted(WINDOWS_TO_OLSON.items()) if z in _IANA))


def _clamp(span: tuple[int, int]) -> tuple[int, int]:
    first, last = span
    first = max(first, last - MAX_MATCH_YEARS + 1, 1900)
    last = min(max(last, first), 2199)
    return (min(first, last), last)


@dataclass(frozen=True)
class _Reference:
    """A feed VTIMEZONE as a tzinfo, with its offsets at the sample instants."""

    tz: tzinfo
    offsets: tuple[timedelta | None, ...]


@lru_cache(maxsize=256)
def _reference(vtimezone_text: str, first: int, last: int) -> _Reference | None:
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
    return _Reference(tz, offsets)


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
def _zone_offsets(zone: str, first: int, last: int) -> tuple[timedelta | None, ...]:
    tz: tzinfo = UTC if zone == "UTC" else ZoneInfo(zone)
    return tuple(_offsets(tz, _samples(first, last)))


def _agrees(reference: Sequence[timedelta | None], reference_tz: tzinfo, candidate: str,
            span: tuple[int, int]) -> bool:
    """Whether ``candidate`` has the reference's UTC offset every 12 h of the span and every
    hour of each 12 h window in which either of them changes offset."""
    candidate_tz: tzinfo = UTC if candidate == "UTC" else ZoneInfo(candidate)
    if not _same_at(reference_tz, candidate_tz, _probes(span[1])):
        return False  # cheap rejection before the full comparison
    offsets = _zone_offsets(candidate, *span)
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
