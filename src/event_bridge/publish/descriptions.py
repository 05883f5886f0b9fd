"""The human lines publish adds to DESCRIPTION: the start in every city (``18:00 Paris ·
09:00 San Francisco``) and one ``Also in …`` line per linked event in another city.

Pure and locale-free (day and month names are constants, not ``strftime``): the same event
gives the same text on every machine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from event_bridge.model import City, Event, EventData
from event_bridge.publish.icstext import clean
from event_bridge.tz.lookup import city_zone

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # not strftime: locale-free
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_text(value: date, year: bool = True) -> str:
    text = f"{_DAYS[value.weekday()]} {value.day} {_MONTHS[value.month - 1]}"
    return f"{text} {value.year}" if year else text


def _all_day_line(data: EventData) -> str:
    assert isinstance(data.start, date)
    last = data.end - timedelta(days=1)
    if isinstance(last, date) and last > data.start:
        return f"All day, {day_text(data.start)} – {day_text(last)}"
    return f"All day, {day_text(data.start)}"


def _city_order(own: str, cities: Mapping[str, City]) -> list[City]:
    return sorted(cities.values(), key=lambda c: (c.slug != own, c.slug))


def when_line(city: str, data: EventData, cities: Mapping[str, City]) -> str:
    """The start in every city, own city first: ``18:00 Paris · 09:00 San Francisco``;
    a city whose local date differs gets it in brackets.  All-day events: the date(s)."""
    if data.all_day:
        return _all_day_line(data)
    assert isinstance(data.start, datetime)
    parts: list[str] = []
    first_day: date | None = None
    for each in _city_order(city, cities):
        local = data.start.astimezone(ZoneInfo(each.timezone))
        first_day = first_day or local.date()
        note = f" ({day_text(local.date(), year=False)})" if local.date() != first_day else ""
        parts.append(f"{local:%H:%M} {each.name}{note}")
    return " · ".join(parts)


def _also_line(other: Event, here: str, cities: Mapping[str, City]) -> str:
    """``Also in San Francisco: <summary>, 09:00 PDT / 18:00 CEST (Tue 24 Mar 2026)``."""
    where = cities[other.city].name if other.city in cities else other.city
    head = f"Also in {where}: {other.data.summary}"
    start = other.data.start
    if not isinstance(start, datetime):
        return f"{head}, all day {day_text(start)}"
    zones = [z for z in (city_zone(other.city, cities), city_zone(here, cities)) if z]
    locals_ = [start.astimezone(z) for z in zones or [UTC]]
    times = " / ".join(dict.fromkeys(f"{t:%H:%M} {t.tzname()}" for t in locals_))
    return f"{head}, {times} ({day_text(locals_[0].date())})"


def description_text(event: Event, data: EventData, others: Sequence[Event],
                 cities: Mapping[str, City]) -> str:
    """Source text, a blank line, then the generated lines."""
    generated = [when_line(event.city, data, cities)]
    generated += [_also_line(o, event.city, cities) for o in others]
    lines = "\n".join(g for g in generated if g)
    source = clean(data.description).strip()
    return f"{source}\n\n{lines}" if source and lines else source or lines
