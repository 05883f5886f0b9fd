"""Recurrence sets: the one bounded expansion (RFC 5545 §3.8.5).  Matching
(:mod:`.series`), publishing (window checks, client-safe forms), the page and ``/api/events``
all read instances from here, so none of them can disagree with another.

The recurrence set of an :class:`~event_bridge.model.EventData` is
``{DTSTART} ∪ RRULE ∪ RDATE − EXDATE``.  The rule is evaluated on the wall clock of the
event's zone (so a 18:00 Paris series stays at 18:00 across DST changes); instances are then
returned as UTC instants, or as dates for all-day events.

One reading is chosen where clients disagree.  RFC 5545 §3.3.10 says "the DTSTART property
value always counts as the first occurrence" of COUNT, so when DTSTART is *not* an instance of
its own rule it takes one of the COUNT slots: the set is DTSTART plus the first ``COUNT - 1``
rule instances.  (vobject reads it so; libical and icalendar add DTSTART on top of COUNT;
ical.js and node-ical drop DTSTART.)  ``recurrence.client_safe`` rewrites such a series so
that no reading is left to clients.

Expansion is bounded: at most ``cap`` instances are returned and at most :data:`MAX_SCAN`
rule instances are examined per call, so a ``FREQ=SECONDLY`` bomb stops fast.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta

from event_bridge.model import EventData, Moment
from event_bridge.recurrence.rules import (
    SUBDAILY_SECONDS,
    RuleParts,
    build_rule,
    local_start,
    normalised_rule,
    parse_rule,
    rule_value,
    with_part,
)

MAX_SCAN = 100_000
"""Rule instances examined per expansion (about 0.2 s); later instances are not seen."""

VERIFY_LIMIT = 1_000
"""Instances compared before :func:`client_safe` trusts a rewritten series."""

FAR_FUTURE = datetime(9000, 1, 1, tzinfo=UTC)
"""Window end used when a whole series is compared."""


def as_moment(value: datetime, all_day: bool) -> Moment:
    return value.date() if all_day else value.astimezone(UTC)


def effective(data: EventData) -> tuple[RuleParts, bool]:
    """The rule parts to expand and whether DTSTART is itself a rule instance.  When it is
    not, COUNT loses the slot DTSTART takes (§3.3.10, see the module docstring)."""
    parts = parse_rule(normalised_rule(data))
    start = local_start(data)
    first = next(iter(build_rule(parts, start)), None)
    on_rule = first == start
    count = rule_value(parts, "COUNT")
    if count and not on_rule:
        parts = with_part(parts, "COUNT", str(int(count) - 1))
    return parts, on_rule


def _fast_forward(parts: RuleParts, start: datetime, window_start: datetime) -> datetime:
    """A later DTSTART on the same instance grid, for sub-daily rules without COUNT, so the
    scan begins near the window instead of at a DTSTART years ago."""
    step = SUBDAILY_SECONDS.get(rule_value(parts, "FREQ"))
    if step is None or rule_value(parts, "COUNT"):
        return start
    period = step * int(rule_value(parts, "INTERVAL") or "1")
    lag = (window_start.astimezone(start.tzinfo) - start).total_seconds() if start.tzinfo \
        else (window_start.replace(tzinfo=None) - start).total_seconds()
    periods = int(lag // period) - 1
    return start + timedelta(seconds=period * periods) if periods > 0 else start


def _rule_instances(data: EventData, window_start: datetime) -> Iterator[Moment]:
    if not data.rrule:
        return iter(())
    parts, _on_rule = effective(data)
    if rule_value(parts, "COUNT") == "0":
        return iter(())
    start = _fast_forward(parts, local_start(data), window_start)
    rule = build_rule(parts, start)
    scanned = itertools.islice(iter(rule), MAX_SCAN)
    return (as_moment(value, data.all_day) for value in scanned)


def utc_instant(value: Moment) -> datetime:
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
            value = datetime.combine(value, local_start(data).timetz()).astimezone(UTC)
        values.append(value)
    return values


def occurrences(data: EventData, window_start: datetime, window_end: datetime,
                cap: int) -> list[Moment]:
    """The first ``cap`` starts of the recurrence set inside [window_start, window_end),
    sorted: UTC instants, or dates for all-day events (a date is inside when its midnight
    UTC is).  A plain event yields its start if that is inside the window."""
    if cap <= 0:
        return []
    excluded = {utc_instant(v) for v in data.exdates}
    found: list[Moment] = []
    for value in _rule_instances(data, window_start):
        instant = utc_instant(value)
        if instant >= window_end or len(found) >= cap:
            break
        if instant >= window_start and instant not in excluded:
            found.append(value)
    for value in _extras(data):
        instant = utc_instant(value)
        if window_start <= instant < window_end and instant not in excluded:
            found.append(value)
    unique = {utc_instant(v): v for v in found}
    return [unique[k] for k in sorted(unique)][:cap]


def any_in_window(data: EventData, window_start: datetime, window_end: datetime,
                  cap: int) -> bool:
    """Whether any instance of the set starts inside the window (a bounded scan)."""
    return bool(occurrences(data, window_start, window_end, min(cap, 1)))


def first_instances(data: EventData, cap: int) -> list[Moment]:
    """The first ``cap`` instances of the whole set, sorted (matching, comparing forms)."""
    begin = min([utc_instant(data.start), *(utc_instant(v) for v in data.rdates)])
    return occurrences(data, begin, FAR_FUTURE, cap)


def whole_set(data: EventData) -> list[Moment]:
    """The first :data:`VERIFY_LIMIT` instances of the whole set, for comparing forms."""
    return first_instances(data, VERIFY_LIMIT)
