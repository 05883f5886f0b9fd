"""Published events → dated occurrences in a window, for ``/api/events`` and the page.  Pure.

Series are expanded with ``recurrence.occurrences`` (bounded); an instance replaced by a
``RECURRENCE-ID`` override (RFC 5545 §3.8.4.4) shows as the override, not twice.  Links come
from the published blocks' ``RELATED-TO;RELTYPE=SIBLING`` lines (RFC 9253 §9.1), so the page
shows exactly what subscribers receive.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from event_bridge.model import Block, City, Event, Moment, moment_key
from event_bridge.recurrence import expand

MAX_OCCURRENCES_PER_EVENT = 500
"""A daily series over a long window is cut here rather than flooding a page or a reply."""

_SIBLING = re.compile(r"^RELATED-TO;[^:\r\n]*RELTYPE=SIBLING[^:\r\n]*:(.+)$", re.MULTILINE)


@dataclass(frozen=True)
class Occurrence:
    """One dated instance of a published event (times are UTC instants or all-day dates)."""

    uid: str
    recurrence_id: str
    city: str
    summary: str
    location: str
    url: str
    categories: tuple[str, ...]
    start: Moment
    end: Moment
    cancelled: bool
    related: tuple[str, ...]

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)

    @property
    def instant(self) -> datetime:
        """Sort key: all-day dates sort at midnight UTC of their day."""
        return as_instant(self.start)


def as_instant(value: Moment) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time(0), tzinfo=UTC)


def related_uids(blocks: Iterable[Block]) -> dict[str, tuple[str, ...]]:
    """UID → UIDs of its cross-city siblings, read from the rendered blocks (unfolded,
    RFC 5545 §3.1)."""
    out: dict[str, set[str]] = {}
    for block in blocks:
        if not block.linked:
            continue
        text = block.ics.replace("\r\n ", "").replace("\r\n\t", "")
        for match in _SIBLING.finditer(text.replace("\r\n", "\n")):
            out.setdefault(block.uid, set()).add(match.group(1).strip())
    return {uid: tuple(sorted(uids)) for uid, uids in out.items()}


def occurrences(events: Iterable[Event], related: Mapping[str, Sequence[str]],
                start: datetime, end: datetime, city: str = "") -> list[Occurrence]:
    """Every occurrence starting in ``[start, end)`` (of ``city`` only when given), sorted by
    start then UID."""
    chosen = [e for e in events if not city or e.city == city]
    replaced = {(e.uid, e.recurrence_id) for e in chosen if e.recurrence_id}
    out: list[Occurrence] = []
    for event in chosen:
        rel = tuple(related.get(event.uid, ()))
        for first, last in _instances(event, start, end):
            if not event.recurrence_id and (event.uid, moment_key(first)) in replaced:
                continue
            out.append(_occurrence(event, first, last, rel))
    out.sort(key=lambda o: (o.instant, o.uid, o.recurrence_id))
    return out


def _instances(event: Event, start: datetime, end: datetime) -> list[tuple[Moment, Moment]]:
    """(start, end) of each instance; an override is one instance, never expanded."""
    data = event.data
    if event.recurrence_id:
        data = replace(data, rrule="", rdates=(), exdates=())
    length = _length(data.start, data.end)
    starts = expand.occurrences(data, start, end, MAX_OCCURRENCES_PER_EVENT)
    return [(first, first + length) for first in starts]


def _length(first: Moment, last: Moment) -> timedelta:
    if isinstance(first, datetime) and isinstance(last, datetime):
        return last - first
    if not isinstance(first, datetime) and not isinstance(last, datetime):
        return last - first
    return timedelta(0)


def _occurrence(event: Event, first: Moment, last: Moment,
                related: tuple[str, ...]) -> Occurrence:
    d = event.data
    return Occurrence(event.uid, event.recurrence_id, event.city, d.summary, d.location,
                      web_url(d.url), d.categories, first, last, d.cancelled, related)


def web_url(url: str) -> str:
    """``url`` when a browser may follow it (http or https), else ``""``: a feed's
    ``javascript:`` or ``data:`` URL never reaches the page or ``/api/events``."""
    text = url.strip()
    return text if text.lower().startswith(("https://", "http://")) else ""


def local(value: Moment, zone: str) -> datetime | date:
    """A moment as wall-clock time in ``zone`` (dates stay dates)."""
    return value.astimezone(ZoneInfo(zone)) if isinstance(value, datetime) else value


def local_times(occ: Occurrence, cities: Mapping[str, City]) -> dict[str, dict[str, str]]:
    """Start and end in every city, ISO 8601 with offset, plus the zone abbreviation."""
    out = {}
    for slug, city in cities.items():
        first, last = local(occ.start, city.timezone), local(occ.end, city.timezone)
        out[slug] = {"start": first.isoformat(), "end": last.isoformat(),
                     "zone": city.timezone,
                     "abbreviation": first.strftime("%Z") if isinstance(first, datetime) else ""}
    return out


def window(first_day: date, days: int, zones: Sequence[str]) -> tuple[datetime, datetime]:
    """From the first midnight of ``first_day`` anywhere in ``zones`` to the last midnight
    ``days`` later, so every city's local days are whole."""
    starts = [datetime.combine(first_day, time(0), ZoneInfo(z)) for z in zones] or [
        datetime.combine(first_day, time(0), UTC)]
    ends = [s + timedelta(days=days) for s in starts]
    return min(starts).astimezone(UTC), max(ends).astimezone(UTC)
