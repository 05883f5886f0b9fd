"""Recurrence sets in a form every client reads the same way (RFC 5545 §3.8.5).

Clients disagree on a series whose DTSTART is not an instance of its own rule (see
:mod:`.expand` for the reading chosen here: DTSTART takes one COUNT slot).
:func:`client_safe` rewrites such a series into a form that leaves no room for readings:
DTSTART moved onto the first rule instance, COUNT reduced by one, and the original DTSTART
kept as an RDATE; :func:`anchored` instead keeps DTSTART on the rule and publishes the
original start as an override.  :func:`bounded` caps sub-daily rules for publication.  A
rewrite is kept only when the first :data:`VERIFY_LIMIT` instances are unchanged.

Expansion lives in :mod:`.expand` (the one expansion: matching, publishing, the page and
the API all read it) and the RRULE text in :mod:`.rules`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from datetime import datetime

from dateutil.relativedelta import relativedelta

from event_bridge.model import EventData, Moment

# Re-exported: callers and tests expand series through this module.
from event_bridge.recurrence.expand import MAX_SCAN, as_moment, effective, utc_instant, whole_set
from event_bridge.recurrence.rules import (
    SUBDAILY_SECONDS,
    RuleParts,
    build_rule,
    format_rule,
    local_start,
    normalised_rule,
    parse_rule,
    rule_value,
    with_part,
)

_UNITS = {"YEARLY": "years", "MONTHLY": "months", "WEEKLY": "weeks", "DAILY": "days",
          "HOURLY": "hours", "MINUTELY": "minutes", "SECONDLY": "seconds"}


MAX_PUBLISHED_SUBDAILY = 1_000
"""A sub-daily rule (SECONDLY, MINUTELY, HOURLY) is published with at most this many
instances: clients expand series eagerly (node-ical stops at 10,000 iterations, icalendar
consumers can hang), so an unbounded ``FREQ=SECONDLY`` would break subscribers' calendars."""


def bounded(data: EventData) -> EventData:
    """For publication: a sub-daily rule capped at :data:`MAX_PUBLISHED_SUBDAILY` instances
    (see there); any other series is returned as is."""
    parts = parse_rule(data.rrule)
    if rule_value(parts, "FREQ") not in SUBDAILY_SECONDS:
        return data
    rule = build_rule(parts, local_start(data))
    if sum(1 for _ in itertools.islice(rule, MAX_PUBLISHED_SUBDAILY + 1)) <= MAX_PUBLISHED_SUBDAILY:
        return data
    parts = with_part(with_part(parts, "UNTIL", None), "COUNT", str(MAX_PUBLISHED_SUBDAILY))
    return replace(data, rrule=format_rule(parts))


def _moved(data: EventData, parts: RuleParts) -> EventData:
    """DTSTART on the first rule instance, the old DTSTART kept as an RDATE."""
    rule = build_rule(parts, local_start(data))
    first = None if rule_value(parts, "COUNT") == "0" else next(iter(rule), None)
    if first is None:  # the rule adds nothing: DTSTART and RDATEs are the whole set
        return replace(data, rrule="")
    start = as_moment(first, data.all_day)
    end = data.end + (utc_instant(start) - utc_instant(data.start))  # the duration is kept
    rdates = data.rdates
    if utc_instant(data.start) not in {utc_instant(v) for v in data.exdates}:
        rdates = (*rdates, data.start)
    return replace(data, start=start, end=end, rrule=format_rule(parts),
                   rdates=tuple(sorted(set(rdates), key=utc_instant)))


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
        parts, on_rule = effective(safe)
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
    unit = _UNITS.get(rule_value(parts, "FREQ"))
    if unit is None:
        return None
    start = local_start(data)
    step = relativedelta(**{unit: int(rule_value(parts, "INTERVAL") or "1")})  # type: ignore[arg-type]
    free = with_part(with_part(parts, "COUNT", None), "UNTIL", None)
    before = None
    for value in itertools.islice(iter(build_rule(free, start - step)), MAX_SCAN):
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
        _parts, on_rule = effective(safe)
        if on_rule or utc_instant(safe.start) in {utc_instant(v) for v in safe.exdates}:
            return None
        anchor = _grid_before(safe, parse_rule(safe.rrule))
        if anchor is None:
            return None
        rid = as_moment(anchor, safe.all_day)
        shift = utc_instant(rid) - utc_instant(safe.start)
        master = replace(safe, start=rid, end=safe.end + shift)
        original = whole_set(safe)
        expected = sorted({*original, rid} - {safe.start}, key=utc_instant)
        if rid in original or whole_set(master) != expected:
            return None
    except (ValueError, TypeError, OverflowError):
        return None
    instance = replace(safe, rrule="", rdates=(), exdates=(), this_and_future=False)
    return Anchored(master=master, recurrence_id=rid, instance=instance)
