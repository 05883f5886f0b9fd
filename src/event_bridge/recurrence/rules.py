"""RRULE text as ordered ``(NAME, value)`` parts (RFC 5545 §3.3.10), and the forms a rule
must take before it is expanded or published.

:func:`normalised_rule` puts UNTIL in its required form (a DATE for all-day series, else
UTC) and makes the days a late-month DTSTART implies explicit; :func:`local_start` and
:func:`build_rule` give the dateutil rule on the event's wall clock.  Parts keep their
order so a rule that needs no change is written back byte for byte.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, tzinfo

from dateutil.rrule import rrule, rrulestr

from event_bridge.model import EventData
from event_bridge.tz.lookup import event_zone

SUBDAILY_SECONDS = {"SECONDLY": 1, "MINUTELY": 60, "HOURLY": 3600}
"""Seconds per step of the sub-daily frequencies (bounded and fast-forwarded specially)."""

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


def rule_value(parts: RuleParts, key: str) -> str:
    return next((value for k, value in parts if k == key), "")


def with_part(parts: RuleParts, key: str, value: str | None) -> RuleParts:
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


_BY_PARTS = {"BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO",
             "BYMONTH", "BYSETPOS"}


def normalised_rule(data: EventData) -> str:
    """``data.rrule`` with UNTIL in its required form (§3.3.10), the days it implies made
    explicit, and sub-daily rules bounded; ``""`` without a rule."""
    if not data.rrule:
        return ""
    parts = parse_rule(data.rrule)
    until = rule_value(parts, "UNTIL")
    if until:
        parts = with_part(parts, "UNTIL", _until_text(until, data.all_day, event_zone(data)))
    return format_rule(_explicit_days(parts, local_start(data)))


def _explicit_days(parts: RuleParts, start: datetime) -> RuleParts:
    """A rule whose days come from a DTSTART late in the month, written with explicit BY
    parts.  §3.3.10 says months without that day are skipped (a yearly 29 February recurs
    in leap years only); ical.js and node-ical instead shift to 1 March or 28 February when
    the day is implied, but all of them skip correctly when BYMONTHDAY is explicit."""
    if any(key in _BY_PARTS for key, _ in parts) or start.day < 29:
        return parts
    freq = rule_value(parts, "FREQ")
    if freq == "YEARLY":
        return [*parts, ("BYMONTH", str(start.month)), ("BYMONTHDAY", str(start.day))]
    if freq == "MONTHLY":
        return [*parts, ("BYMONTHDAY", str(start.day))]
    return parts



def local_start(data: EventData) -> datetime:
    """DTSTART on the event's wall clock (naive midnight for all-day series)."""
    if isinstance(data.start, datetime):
        return data.start.astimezone(event_zone(data))
    return datetime.combine(data.start, time())


def build_rule(parts: RuleParts, start: datetime) -> rrule:
    rule = rrulestr(format_rule(parts), dtstart=start)
    assert isinstance(rule, rrule)  # one RRULE text never yields a set
    return rule
