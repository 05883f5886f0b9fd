"""recurrence: bounded expansion on the local wall clock, and client-safe series forms."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from event_bridge.model import EventData, Moment
from event_bridge.recurrence.expand import MAX_SCAN, any_in_window, occurrences, whole_set
from event_bridge.recurrence.published import anchored, client_safe
from event_bridge.recurrence.rules import normalised_rule

LO, HI = datetime(2020, 1, 1, tzinfo=UTC), datetime(2030, 1, 1, tzinfo=UTC)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def paris(start: datetime, rule: str, **kw: object) -> EventData:
    return EventData(start=start, end=start + timedelta(hours=1), tzid="Europe/Paris",
                     rrule=rule, **kw)  # type: ignore[arg-type]


def test_rule_follows_the_wall_clock_across_dst() -> None:
    """18:00 Paris every Tuesday: 17:00Z in winter, 16:00Z after 29 March 2026."""
    data = paris(utc(2026, 3, 17, 17), "FREQ=WEEKLY;COUNT=3")
    assert occurrences(data, LO, HI, 10) == [utc(2026, 3, 17, 17), utc(2026, 3, 24, 17),
                                             utc(2026, 3, 31, 16)]


def test_rdate_exdate_window_and_cap() -> None:
    data = paris(utc(2026, 1, 6, 17), "FREQ=WEEKLY", rdates=(utc(2026, 1, 8, 10),),
                 exdates=(utc(2026, 1, 13, 17),))
    got = occurrences(data, LO, HI, 4)
    assert got == [utc(2026, 1, 6, 17), utc(2026, 1, 8, 10), utc(2026, 1, 20, 17),
                   utc(2026, 1, 27, 17)]
    assert occurrences(data, utc(2026, 1, 7), utc(2026, 1, 21), 10) == [
        utc(2026, 1, 8, 10), utc(2026, 1, 20, 17)]
    assert occurrences(data, LO, HI, 0) == []
    later = occurrences(data, utc(2029, 12, 1), HI, 100)
    assert len(later) == 4 and all(v.weekday() == 1 for v in later if isinstance(v, datetime))


def test_plain_event_and_all_day_series() -> None:
    plain = EventData(start=utc(2026, 5, 1, 9), end=utc(2026, 5, 1, 10), tzid="UTC")
    assert occurrences(plain, LO, HI, 5) == [utc(2026, 5, 1, 9)]
    assert occurrences(plain, utc(2026, 5, 2), HI, 5) == []
    fair = EventData(start=date(2026, 6, 26), end=date(2026, 6, 27),
                     rrule="FREQ=YEARLY;UNTIL=20280626T000000Z", exdates=(date(2027, 6, 26),))
    assert occurrences(fair, LO, HI, 5) == [date(2026, 6, 26), date(2028, 6, 26)]


@pytest.mark.parametrize("rule", ["FREQ=SECONDLY", "FREQ=SECONDLY;COUNT=1000000000",
                                  "FREQ=MINUTELY;INTERVAL=1", "FREQ=HOURLY;BYMINUTE=0,30"])
def test_bombs_stop_fast(rule: str) -> None:
    """A bomb that starts inside the window stops at the cap; one that started years before
    is fast-forwarded (no COUNT) or stops after MAX_SCAN instances (COUNT)."""
    inside = paris(utc(2026, 3, 1), rule)
    began = time.monotonic()
    assert len(occurrences(inside, LO, HI, 500)) == 500
    assert time.monotonic() - began < 1
    old = paris(utc(2021, 3, 1), rule)
    began = time.monotonic()
    found = occurrences(old, utc(2026, 1, 1), HI, 50)
    assert time.monotonic() - began < 2
    if "COUNT" in rule:
        assert found == []  # beyond MAX_SCAN instances: not seen, by design
    else:
        first = found[0]
        assert len(found) == 50 and isinstance(first, datetime)
        assert timedelta(0) <= first - utc(2026, 1, 1) < timedelta(hours=1)
    assert MAX_SCAN >= 10_000


def test_fast_forward_keeps_the_grid() -> None:
    data = paris(utc(2025, 12, 31, 23, 7), "FREQ=HOURLY;INTERVAL=5")
    got = occurrences(data, utc(2026, 2, 1), HI, 3)
    first, start = got[0], data.start
    assert isinstance(first, datetime) and isinstance(start, datetime)
    assert got == [first + timedelta(hours=5 * i) for i in range(3)]
    assert (first - start) % timedelta(hours=5) == timedelta(0)


def test_any_in_window() -> None:
    data = paris(utc(2026, 1, 6, 17), "FREQ=WEEKLY;COUNT=2")
    assert any_in_window(data, utc(2026, 1, 10), utc(2026, 1, 20), 100)
    assert not any_in_window(data, utc(2026, 1, 14), utc(2027, 1, 1), 100)
    assert not any_in_window(data, LO, HI, 0)


def test_until_gets_its_required_form() -> None:
    """§3.3.10: a DATE UNTIL for all-day series, UTC for timed ones."""
    timed = paris(utc(2026, 1, 6, 17), "FREQ=WEEKLY;UNTIL=20260120")
    assert normalised_rule(timed) == "FREQ=WEEKLY;UNTIL=20260120T225959Z"
    floating = paris(utc(2026, 1, 6, 17), "FREQ=WEEKLY;UNTIL=20260120T180000")
    assert normalised_rule(floating) == "FREQ=WEEKLY;UNTIL=20260120T170000Z"
    day = EventData(start=date(2026, 1, 6), end=date(2026, 1, 7),
                    rrule="FREQ=DAILY;UNTIL=20260110T000000Z;BYDAY=TU")
    assert client_safe(day).rrule == "FREQ=DAILY;UNTIL=20260110;BYDAY=TU"


OFF_RULE = [
    paris(utc(2026, 2, 4, 17), "FREQ=WEEKLY;BYDAY=MO;COUNT=4"),
    paris(utc(2026, 2, 4, 17), "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR"),
    paris(utc(2026, 3, 10, 17), "FREQ=MONTHLY;BYMONTHDAY=1;UNTIL=20260901T000000Z"),
    paris(utc(2026, 3, 26, 17), "FREQ=DAILY;BYDAY=SU;COUNT=3", exdates=(utc(2026, 3, 29, 16),)),
    paris(utc(2026, 2, 4, 17), "FREQ=WEEKLY;BYDAY=MO;COUNT=1"),
    EventData(start=date(2026, 3, 18), end=date(2026, 3, 20),
              rrule="FREQ=MONTHLY;BYMONTHDAY=1;COUNT=5"),
    paris(utc(2026, 2, 4, 17), "FREQ=WEEKLY;BYDAY=MO;COUNT=3", exdates=(utc(2026, 2, 4, 17),)),
]


@pytest.mark.parametrize("data", OFF_RULE, ids=range(len(OFF_RULE)))
def test_client_safe_keeps_the_set(data: EventData) -> None:
    safe = client_safe(data)
    assert whole_set(safe) == whole_set(data)
    if safe.rrule:  # DTSTART is now an instance of its own rule
        assert occurrences(replace(safe, rdates=(), exdates=()), LO, HI, 1) == [safe.start]


def test_count_counts_dtstart_once() -> None:
    """§3.3.10: DTSTART takes one COUNT slot; moved onto the rule, COUNT drops by one."""
    data = OFF_RULE[0]
    assert whole_set(data) == [utc(2026, 2, 4, 17), utc(2026, 2, 9, 17), utc(2026, 2, 16, 17),
                               utc(2026, 2, 23, 17)]
    safe = client_safe(data)
    assert (safe.start, safe.rrule, safe.rdates) == (
        utc(2026, 2, 9, 17), "FREQ=WEEKLY;BYDAY=MO;COUNT=3", (utc(2026, 2, 4, 17),))
    assert _instant(safe.end) - _instant(safe.start) == _instant(data.end) - _instant(data.start)
    only = client_safe(OFF_RULE[4])
    assert only.rrule == "" and whole_set(only) == [utc(2026, 2, 4, 17)]


def test_client_safe_leaves_good_series_alone() -> None:
    good = paris(utc(2026, 3, 17, 17), "FREQ=WEEKLY;COUNT=3")
    assert client_safe(good) == good and anchored(good) is None
    assert client_safe(replace(good, rrule="")) == replace(good, rrule="")
    broken = replace(good, rrule="FREQ=DAILY;BYHOUR=25")
    assert client_safe(broken) == broken and anchored(broken) is None


def _instant(value: Moment) -> datetime:
    return value if isinstance(value, datetime) else utc(value.year, value.month, value.day)


def _applied(master: EventData, rid: Moment, moved: Moment) -> list[Moment]:
    return sorted({*whole_set(master)} - {rid} | {moved}, key=_instant)


@pytest.mark.parametrize("data", OFF_RULE[:3] + OFF_RULE[5:6], ids=range(4))
def test_anchored_keeps_the_set_with_its_override(data: EventData) -> None:
    """Master on the rule instance before DTSTART, that instance moved to DTSTART: with the
    override applied the set is the original one, and no RDATE is needed."""
    fixed = anchored(data)
    assert fixed is not None and not fixed.master.rdates
    assert fixed.master.start == fixed.recurrence_id
    assert fixed.instance.start == data.start and not fixed.instance.rrule
    assert _applied(fixed.master, fixed.recurrence_id, data.start) == whole_set(data)


def test_anchored_first_instance() -> None:
    fixed = anchored(OFF_RULE[0])
    assert fixed is not None
    assert fixed.recurrence_id == utc(2026, 2, 2, 17)
    assert fixed.master.rrule == "FREQ=WEEKLY;BYDAY=MO;COUNT=4"
    assert anchored(OFF_RULE[6]) is None  # DTSTART excluded: nothing to carry
