"""Recurrence sets: bounded expansion and a form every client reads the same way.

The recurrence set of an :class:`~event_bridge.model.EventData` is (RFC 5545 §3.8.5):
``{DTSTART} ∪ RRULE ∪ RDATE − EXDATE``.  The rule is evaluated on the wall clock of the
event's zone (so a 18:00 Paris series stays at 18:00 across DST changes); instances are then
returned as UTC instants, or as dates for all-day events.

One reading is chosen where clients disagree.  RFC 5545 §3.3.10 says "the DTSTART property
value always counts as the first occurrence" of COUNT, so when DTSTART is *not* an instance of
its own rule it takes one of the COUNT slots: the set is DTSTART plus the first ``COUNT - 1``
rule instances.  (vobject reads it so; libical and icalendar add DTSTART on top of COUNT;
ical.js and node-ical drop DTSTART.)  :func:`client_safe` rewrites such a series into a form
that leaves no room for readings: DTSTART moved onto the first rule instance, COUNT reduced
by one, and the original DTSTART kept as an RDATE.

Expansion is bounded: at most ``cap`` instances are returned and at most :data:`MAX_SCAN`
rule instances are examined per call, so a ``FREQ=SECONDLY`` bomb stops fast.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta, tzinfo

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrule, rrulestr

from .model import EventData, Moment
from .vtimezone import zone_for

MAX_SCAN = 100_000
"""Rule instances examined per expansion (about 0.2 s); later instances are not seen."""

VERIFY_LIMIT = 1_000
"""Instances compared before :func:`client_safe` trusts a rewritten series."""

FAR_FUTURE = datetime(9000, 1, 1, tzinfo=UTC)
"""Window end used when a whole series is compared."""

_SUBDAILY_SECONDS = {"SECONDLY": 1, "MINUTELY": 60, "HOURLY": 3600}
_UNITS = {"YEARLY": "years", "MONTHLY": "months", "WEEKLY": "weeks", "DAILY": "days",
          "HOURLY": "hours", "MINUTELY": "minutes", "SECONDLY": "seconds"}

RuleParts = list[tuple[str, str]]


def parse_rule(text: str) -> RuleParts:
    """``"FREQ=WEEKLY;COUNT=3"`` → ``[("FREQ", "WEEKLY"), ("COUNT", "3")]`` (order kept)."""
    parts: RuleParts = []
    for chunk in text.strip().removeprefix("RRULE:").split(";"):
        if chunk:
            key, _, value = chunk.partition("=")
            parts.append((key.strip().upper(), value.strip()))
    return parts


def format_rule(parts: RuleParts) -> str:
    return ";".join(f"{key}={value}" for key, value in parts)


def _get(parts: RuleParts, key: str) -> str:
    return next((value for k, value in parts if k == key), "")


def _set(parts: RuleParts, key: str, value: str | None) -> RuleParts:
    """``parts`` with ``key`` replaced (kept in place), appended, or removed (``None``)."""
    if value is None:
        return [(k, v) for k, v in parts if k != key]
    if any(k == key for k, _ in parts):
        return [(k, value if k == key else v) for k, v in parts]
    return [*parts, (key, value)]


def _until_text(raw: str, all_day: bool, zone: tzinfo) -> str:
    """UNTIL in the form §3.3.10 requires: a DATE for all-day series, else UTC.  A DATE
    UNTIL on a timed series means "through that local day"; a floating one is local time."""
    if all_day:
        return raw[:8]
    if "T" not in raw:
        day = datetime.strptime(raw[:8], "%Y%m%d")
        local = datetime.combine(day.date(), time(23, 59, 59), zone)
    elif raw.endswith("Z"):
        return raw
    else:
        local = datetime.strptime(raw, "%Y%m%dT%H%M%S").replace(tzinfo=zone)
    return local.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


MAX_PUBLISHED_SUBDAILY = 1_000
"""A sub-daily rule (SECONDLY, MINUTELY, HOURLY) is published with at most this many
instances: clients expand series eagerly (node-ical stops at 10,000 iterations, icalendar
consumers can hang), so an unbounded ``FREQ=SECONDLY`` would break subscribers' calendars."""

_BY_PARTS = {"BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO",
             "BYMONTH", "BYSETPOS"}


def normalised_rule(data: EventData) -> str:
    """``data.rrule`` with UNTIL in its required form (§3.3.10), the days it implies made
    explicit, and sub-daily rules bounded; ``""`` without a rule."""
    if not data.rrule:
        return ""
    parts = parse_rule(data.rrule)
    until = _get(parts, "UNTIL")
    if until:
        parts = _set(parts, "UNTIL", _until_text(until, data.all_day, _zone(data)))
    return format_rule(_explicit_days(parts, _local_start(data)))


def _explicit_days(parts: RuleParts, start: datetime) -> RuleParts:
    """A rule whose days come from a DTSTART late in the month, written with explicit BY
    parts.  §3.3.10 says months without that day are skipped (a yearly 29 February recurs
    in leap years only); ical.js and node-ical instead shift to 1 March or 28 February when
    the day is implied, but all of them skip correctly when BYMONTHDAY is explicit."""
    if any(key in _BY_PARTS for key, _ in parts) or start.day < 29:
        return parts
    freq = _get(parts, "FREQ")
    if freq == "YEARLY":
        return [*parts, ("BYMONTH", str(start.month)), ("BYMONTHDAY", str(start.day))]
    if freq == "MONTHLY":
        return [*parts, ("BYMONTHDAY", str(start.day))]
    return parts


def bounded(data: EventData) -> EventData:
    """For publication: a sub-daily rule capped at :data:`MAX_PUBLISHED_SUBDAILY` instances
    (see there); any other series is returned as is."""
    parts = parse_rule(data.rrule)
    if _get(parts, "FREQ") not in _SUBDAILY_SECONDS:
        return data
    rule = _build(parts, _local_start(data))
    if sum(1 for _ in itertools.islice(rule, MAX_PUBLISHED_SUBDAILY + 1)) <= MAX_PUBLISHED_SUBDAILY:
        return data
    parts = _set(_set(parts, "UNTIL", None), "COUNT", str(MAX_PUBLISHED_SUBDAILY))
    return replace(data, rrule=format_rule(parts))


def _zone(data: EventData) -> tzinfo:
    return UTC if data.all_day else zone_for(data.tzid, data.tz_definition)


def _local_start(data: EventData) -> datetime:
    """DTSTART on the event's wall clock (naive midnight for all-day series)."""
    if isinstance(data.start, datetime):
        return data.start.astimezone(_zone(data))
    return datetime.combine(data.start, time())


def _as_moment(value: datetime, all_day: bool) -> Moment:
    return value.date() if all_day else value.astimezone(UTC)


def _build(parts: RuleParts, start: datetime) -> rrule:
    rule = rrulestr(format_rule(parts), dtstart=start)
    assert isinstance(rule, rrule)  # one RRULE text never yields a set
    return rule


def _effective(data: EventData) -> tuple[RuleParts, bool]:
    """The rule parts to expand and whether DTSTART is itself a rule instance.  When it is
    not, COUNT loses the slot DTSTART takes (§3.3.10, see the module docstring)."""
    parts = parse_rule(normalised_rule(data))
    start = _local_start(data)
    first = next(iter(_build(parts, start)), None)
    on_rule = first == start
    count = _get(parts, "COUNT")
    if count and not on_rule:
        parts = _set(parts, "COUNT", str(int(count) - 1))
    return parts, on_rule


def _fast_forward(parts: RuleParts, start: datetime, window_start: datetime) -> datetime:
    """A later DTSTART on the same instance grid, for sub-daily rules without COUNT, so the
    scan begins near the window instead of at a DTSTART years ago."""
    step = _SUBDAILY_SECONDS.get(_get(parts, "FREQ"))
    if step is None or _get(parts, "COUNT"):
        return start
    period = step * int(_get(parts, "INTERVAL") or "1")
    lag = (window_start.astimezone(start.tzinfo) - start).total_seconds() if start.tzinfo \
        else (window_start.replace(tzinfo=None) - start).total_seconds()
    periods = int(lag // period) - 1
    return start + timedelta(seconds=period * periods) if periods > 0 else start


def _rule_instances(data: EventData, window_start: datetime) -> Iterator[Moment]:
    if not data.rrule:
        return iter(())
    parts, _on_rule = _effective(data)
    if _get(parts, "COUNT") == "0":
        return iter(())
    start = _fast_forward(parts, _local_start(data), window_start)
    rule = _build(parts, start)
    scanned = itertools.islice(iter(rule), MAX_SCAN)
    return (_as_moment(value, data.all_day) for value in scanned)


def _instant(value: Moment) -> datetime:
    """A moment on the UTC line, to compare with the window."""
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time(), UTC)


def _extras(data: EventData) -> list[Moment]:
    """DTSTART and the RDATEs, in the moment type of DTSTART."""
    values: list[Moment] = [data.start]
    for value in data.rdates:
        if data.all_day and isinstance(value, datetime):
            value = value.date()
        elif not data.all_day and not isinstance(value, datetime):
            value = datetime.combine(value, _local_start(data).timetz()).astimezone(UTC)
        values.append(value)
    return values


def occurrences(data: EventData, window_start: datetime, window_end: datetime,
                cap: int) -> list[Moment]:
    """The first ``cap`` starts of the recurrence set inside [window_start, window_end),
    sorted: UTC instants, or dates for all-day events (a date is inside when its midnight
    UTC is).  A plain event yields its start if that is inside the window."""
    if cap <= 0:
        return []
    excluded = {_instant(v) for v in data.exdates}
    found: list[Moment] = []
    for value in _rule_instances(data, window_start):
        instant = _instant(value)
        if instant >= window_end or len(found) >= cap:
            break
        if instant >= window_start and instant not in excluded:
            found.append(value)
    for value in _extras(data):
        instant = _instant(value)
        if window_start <= instant < window_end and instant not in excluded:
            found.append(value)
    unique = {_instant(v): v for v in found}
    return [unique[k] for k in sorted(unique)][:cap]


def any_in_window(data: EventData, window_start: datetime, window_end: datetime,
                  cap: int) -> bool:
    """Whether any instance of the set starts inside the window (a bounded scan)."""
    return bool(occurrences(data, window_start, window_end, min(cap, 1)))


def whole_set(data: EventData) -> list[Moment]:
    """The first :data:`VERIFY_LIMIT` instances of the whole set, for comparing forms."""
    begin = min([_instant(data.start), *(_instant(v) for v in data.rdates)])
    return occurrences(data, begin, FAR_FUTURE, VERIFY_LIMIT)


def _moved(data: EventData, parts: RuleParts) -> EventData:
    """DTSTART on the first rule instance, the old DTSTART kept as an RDATE."""
    rule = _build(parts, _local_start(data))
    first = None if _get(parts, "COUNT") == "0" else next(iter(rule), None)
    if first is None:  # the rule adds nothing: DTSTART and RDATEs are the whole set
        return replace(data, rrule="")
    start = _as_moment(first, data.all_day)
    end = data.end + (_instant(start) - _instant(data.start))  # the duration is kept
    rdates = data.rdates
    if _instant(data.start) not in {_instant(v) for v in data.exdates}:
        rdates = (*rdates, data.start)
    return replace(data, start=start, end=end, rrule=format_rule(parts),
                   rdates=tuple(sorted(set(rdates), key=_instant)))


def client_safe(data: EventData) -> EventData:
    """An equivalent series that every client expands the same way (see module docstring).

    UNTIL is put in its required form; a DTSTART that is not an instance of its rule moves
    onto the first instance, COUNT drops by one and the old DTSTART becomes an RDATE.  The
    rewrite is kept only if the first :data:`VERIFY_LIMIT` instances are unchanged; an
    unparsable rule is returned as is (normalise reports those)."""
    if not data.rrule:
        return data
    try:
        safe = bounded(replace(data, rrule=normalised_rule(data)))
        parts, on_rule = _effective(safe)
        if on_rule:
            return safe
        moved = _moved(safe, parts)
        return moved if whole_set(moved) == whole_set(safe) else safe
    except (ValueError, TypeError, OverflowError):
        return data


@dataclass(frozen=True)
class Anchored:
    """A series whose DTSTART is off its rule, as a master on the rule plus one moved instance.

    ``master`` starts on ``recurrence_id``, the rule instance just before the original DTSTART
    (COUNT unchanged: that instance takes the slot DTSTART took); ``instance`` is the original
    DTSTART/DTEND, published as the RECURRENCE-ID override of that instance.  Unlike the RDATE
    form of :func:`client_safe`, this needs nothing node-ical lacks (it ignores RDATE).
    """

    master: EventData
    recurrence_id: Moment
    instance: EventData


def _grid_before(data: EventData, parts: RuleParts) -> datetime | None:
    """The last instance of the unbounded rule before DTSTART, on the grid DTSTART sets."""
    unit = _UNITS.get(_get(parts, "FREQ"))
    if unit is None:
        return None
    start = _local_start(data)
    step = relativedelta(**{unit: int(_get(parts, "INTERVAL") or "1")})  # type: ignore[arg-type]
    free = _set(_set(parts, "COUNT", None), "UNTIL", None)
    before = None
    for value in itertools.islice(iter(_build(free, start - step)), MAX_SCAN):
        if value >= start:
            break
        before = value
    return before


def anchored(data: EventData) -> Anchored | None:
    """The anchored form of a series whose DTSTART is not an instance of its rule (and not
    excluded), or ``None`` when none is needed or none keeps the set: the set with the
    override applied must equal the original set (first :data:`VERIFY_LIMIT` instances)."""
    if not data.rrule:
        return None
    try:
        safe = replace(data, rrule=normalised_rule(data))
        _parts, on_rule = _effective(safe)
        if on_rule or _instant(safe.start) in {_instant(v) for v in safe.exdates}:
            return None
        anchor = _grid_before(safe, parse_rule(safe.rrule))
        if anchor is None:
            return None
        rid = _as_moment(anchor, safe.all_day)
        master = replace(safe, start=rid, end=safe.end + (_instant(rid) - _instant(safe.start)))
        original = whole_set(safe)
        expected = sorted({*original, rid} - {safe.start}, key=_instant)
        if rid in original or whole_set(master) != expected:
            return None
    except (ValueError, TypeError, OverflowError):
        return None
    instance = replace(safe, rrule="", rdates=(), exdates=(), this_and_future=False)
    return Anchored(master=master, recurrence_id=rid, instance=instance)
