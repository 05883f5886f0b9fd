"""RRULE text as ordered ``(NAME, value)`` parts (RFC 5545 §3.3.10), and the forms a rule
must take before it is expanded or published.

:func:`normalised_rule` puts UNTIL in its required form (a DATE for all-day series, else
UTC) and makes the days a late-month DTSTART implies explicit; :func:`local_start` and
:func:`build_rule` give the dateutil rule on the event's wall clock.  Parts keep their
order so a rule that needs no change is written back byte for byte.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta, tzinfo
from functools import lru_cache

from dateutil.rrule import rrule, rrulestr

from event_bridge.model import EventData
from event_bridge.tz.lookup import event_zone

SUBDAILY_SECONDS = {"SECONDLY": 1, "MINUTELY": 60, "HOURLY": 3600}
"""Seconds per step of the sub-daily frequencies (bounded and fast-forwarded specially)."""

MAX_PERIODS = 100_000
"""Periods of its FREQ over which a rule is examined from its DTSTART (100,000 seconds of a
SECONDLY rule, 273 years of a DAILY one): a bound on the work, whatever the BY parts match.
A rule that does match in every period reaches ``expand.MAX_SCAN`` instances first."""
PERIOD_SECONDS = {**SUBDAILY_SECONDS, "DAILY": 86_400, "WEEKLY": 7 * 86_400,
                  "MONTHLY": 31 * 86_400, "YEARLY": 366 * 86_400}
"""The longest span of one period of each FREQ."""

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


def build_rule(parts: RuleParts, start: datetime) -> Iterable[datetime]:
    """The rule's instances from ``start`` (dateutil), examined over at most
    :data:`MAX_PERIODS` periods of its FREQ: a rule whose BY parts rarely or never match
    (``FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30``) ends there instead of scanning to year 9999.
    COUNT is applied here, on the bounded rule."""
    count = rule_value(parts, "COUNT")
    if not _days_possible(format_rule(parts), start):
        return ()
    rule = rrulestr(format_rule(with_part(parts, "COUNT", None)), dtstart=start)
    assert isinstance(rule, rrule)  # one RRULE text never yields a set
    horizon = _horizon(parts, start)
    until = getattr(rule, "_until", None)
    if horizon is not None and (until is None or until > horizon):
        rule = rule.replace(until=horizon)
    return itertools.islice(rule, int(count)) if count else rule


_DAY_PARTS = ("BYMONTH", "BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY")


@lru_cache(maxsize=1024)
def _days_possible(text: str, start: datetime) -> bool:
    """Whether a rule finer than YEARLY can have an instance: dateutil steps through every
    period of a rule whose days never match (``FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30``) up to
    year 9999 without yielding, so no bound on instances stops it.  The same day parts
    under FREQ=YEARLY (ordinals and BYSETPOS dropped: a superset of days) take one step a
    year; a rule whose days never occur yields nothing."""
    parts = parse_rule(text)
    days = [(k, v) for k, v in parts if k in _DAY_PARTS]
    if rule_value(parts, "FREQ") == "YEARLY" or not days:
        return True
    weekdays = ",".join(sorted({d.strip()[-2:] for d in rule_value(parts, "BYDAY").split(",")
                                if d.strip()}))
    yearly = [("FREQ", "YEARLY"), *((k, weekdays if k == "BYDAY" else v) for k, v in days)]
    first = datetime(start.year, 1, 1, tzinfo=start.tzinfo)
    rule = rrulestr(format_rule(yearly), dtstart=first)
    return next(iter(rule), None) is not None


def _horizon(parts: RuleParts, start: datetime) -> datetime | None:
    """``start`` plus :data:`MAX_PERIODS` periods, or ``None`` past the calendar's end."""
    step = PERIOD_SECONDS.get(rule_value(parts, "FREQ"), PERIOD_SECONDS["YEARLY"])
    interval = rule_value(parts, "INTERVAL")
    periods = MAX_PERIODS * (int(interval) if interval.isdigit() and int(interval) else 1)
    try:
        return start + timedelta(seconds=step * periods)
    except OverflowError:
        return None
