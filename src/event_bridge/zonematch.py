"""Does a feed's VTIMEZONE (RFC 5545 §3.6.5) behave like an IANA zone?  Offset sampling.

:func:`read_reference` turns VTIMEZONE text into a tzinfo with its UTC offsets sampled every
:data:`SAMPLE_STEP` over a span of years (at most :data:`MAX_MATCH_YEARS`, see
:func:`clamp_span`); :func:`agrees` says whether an IANA zone has the same offsets at every
sample and every hour around each change, :func:`same_days` and :func:`same_walls` the
looser test (same change days, and every wall time the feed wrote placed alike).  Pure and
cached; ``zones.ZoneResolver`` decides what to try in which order.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from icalendar.timezone import tzp
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from .zonenames import IANA, Zone

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
