"""Which ``tzinfo`` a stored value lives in: an event's zone (its TZID, or its own VTIMEZONE
for custom zones) and a configured city's zone.  Unknown names fall back to UTC where a sync
must not fail on them (matching, descriptions); :func:`zone_for` itself raises."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from event_bridge.model import City, EventData
from event_bridge.tz.vtimezone import custom_tzinfo


def zone_for(tzid: str, definition: str = "") -> tzinfo:
    """The ``tzinfo`` an event's ``tzid`` names: UTC, its own VTIMEZONE, or an IANA zone."""
    if tzid in ("", "UTC"):
        return UTC
    if definition:
        return _cached_custom(definition)
    return ZoneInfo(tzid)


@lru_cache(maxsize=64)
def _cached_custom(definition: str) -> tzinfo:
    return custom_tzinfo(definition)


def event_zone(data: EventData) -> tzinfo:
    """The zone an event's wall clock (and its RRULE) lives in; UTC for all-day events."""
    return UTC if data.all_day else zone_for(data.tzid, data.tz_definition)


def city_zone(slug: str, cities: Mapping[str, City]) -> tzinfo | None:
    """The configured zone of a city, or ``None`` for a city not configured."""
    city = cities.get(slug)
    return ZoneInfo(city.timezone) if city else None
