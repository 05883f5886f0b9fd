"""vtimezone: compact RRULE VTIMEZONEs that every reader maps to zoneinfo's offsets."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from event_bridge.tz.lookup import zone_for
from event_bridge.tz.vtimezone import patterns, transitions, vtimezone

SPAN = (2005, 2030)


def instants(step_hours: int = 5) -> list[datetime]:
    start, end = datetime(SPAN[0], 1, 1, tzinfo=UTC), datetime(SPAN[1] + 1, 1, 1, tzinfo=UTC)
    return [start + timedelta(hours=h) for h in range(0, int((end - start).total_seconds()
                                                             // 3600), step_hours)]


def rfc_offsets(component: icalendar.Timezone) -> Callable[[datetime], timedelta]:
    """The offset in force at an instant, from icalendar's list of the VTIMEZONE's onsets."""
    times, info = component.get_transitions()

    def offset(at: datetime) -> timedelta:
        index = bisect.bisect_right(times, at.replace(tzinfo=None)) - 1
        assert index >= 0, f"no observance covers {at}"
        return info[index][0]
    return offset


@pytest.mark.parametrize("tzid", ["Europe/Paris", "America/Los_Angeles", "Asia/Tokyo",
                                  "Australia/Sydney"])
def test_offsets_match_zoneinfo(tzid: str) -> None:
    """Read back two ways (icalendar's tzinfo, and its list of onsets) at ~45,000 instants."""
    component = icalendar.Calendar.from_ical(
        "BEGIN:VCALENDAR\r\n" + vtimezone(tzid, *SPAN) + "END:VCALENDAR\r\n"
    ).walk("VTIMEZONE")[0]
    assert isinstance(component, icalendar.Timezone)
    tz, ref, rfc_offset = component.to_tz(lookup_tzid=False), ZoneInfo(tzid), rfc_offsets(component)
    for at in instants():
        expected = at.astimezone(ref).utcoffset()
        assert at.astimezone(tz).utcoffset() == expected, at
        assert rfc_offset(at) == expected, at


@pytest.mark.parametrize("tzid", ["America/Santiago", "Africa/Casablanca", "Europe/Istanbul",
                                  "Asia/Pyongyang", "Africa/Windhoek", "Australia/Lord_Howe",
                                  "Pacific/Chatham", "Europe/Moscow", "America/Sao_Paulo"])
def test_irregular_zones_by_their_onsets(tzid: str) -> None:
    """Rule changes, abolished DST, negative DST, 30-minute DST, Ramadan pauses."""
    component = icalendar.Timezone.from_ical(vtimezone(tzid, *SPAN))
    assert isinstance(component, icalendar.Timezone)
    rfc_offset = rfc_offsets(component)
    ref = ZoneInfo(tzid)
    for at in instants(step_hours=11):
        assert rfc_offset(at) == at.astimezone(ref).utcoffset(), at


def test_paris_is_two_rules() -> None:
    text = vtimezone("Europe/Paris", *SPAN)
    assert text == "\r\n".join([
        "BEGIN:VTIMEZONE", "TZID:Europe/Paris", "X-LIC-LOCATION:Europe/Paris",
        "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST",
        "DTSTART:20040328T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
        "BEGIN:STANDARD", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET",
        "DTSTART:20041031T030000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
        "END:VTIMEZONE", ""])


def test_los_angeles_rule_changed_in_2007() -> None:
    text = vtimezone("America/Los_Angeles", *SPAN)
    assert text.count("BEGIN:DAYLIGHT") == 2 and text.count("BEGIN:STANDARD") == 2
    assert "RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU;UNTIL=20060403T100000Z" in text
    assert "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU;UNTIL=20061030T090000Z" in text
    assert "DTSTART:20070311T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\n" in text
    assert "DTSTART:20071104T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\n" in text


def test_tokyo_has_one_standard_observance() -> None:
    text = vtimezone("Asia/Tokyo", *SPAN)
    assert "BEGIN:STANDARD\r\nTZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900\r\nTZNAME:JST\r\n" \
           "DTSTART:19700101T000000\r\nEND:STANDARD" in text
    assert "DAYLIGHT" not in text and "RRULE" not in text


def test_sydney_daylight_spans_new_year() -> None:
    text = vtimezone("Australia/Sydney", *SPAN)
    assert "DTSTART:20081005T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=1SU\r\n" in text
    assert "DTSTART:20080406T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU\r\n" in text


@pytest.mark.parametrize("tzid", ["Europe/Paris", "America/Santiago", "Africa/Casablanca",
                                  "Australia/Sydney"])
def test_never_rdate_lists_and_wire_form(tzid: str) -> None:
    text = vtimezone(tzid, *SPAN)
    assert "RDATE" not in text and f"X-LIC-LOCATION:{tzid}\r\n" in text
    lines = text.split("\r\n")
    assert lines[-1] == "" and all(0 < len(line.encode()) <= 75 for line in lines[:-1])


def test_span_bounds_the_rules() -> None:
    """A rule still running at the end of the span is open-ended (the caller pads the span by
    a year, so what comes after does not matter); earlier ones stop."""
    short = vtimezone("America/Los_Angeles", 2026, 2026)
    assert "UNTIL" not in short and short.count("RRULE") == 2
    assert vtimezone("America/Los_Angeles", 2006, 2006).count("UNTIL") == 0
    assert vtimezone("America/Los_Angeles", 2006, 2007).count("UNTIL") == 2


def test_transitions_found_to_the_second() -> None:
    found = transitions(ZoneInfo("Europe/Paris"), 2026, 2026)
    assert [t.at for t in found] == [datetime(2026, 3, 29, 1, tzinfo=UTC),
                                     datetime(2026, 10, 25, 1, tzinfo=UTC)]
    assert found[0].local == datetime(2026, 3, 29, 2) and found[0].dst
    assert found[1].local == datetime(2026, 10, 25, 3) and not found[1].dst


def test_day_patterns() -> None:
    assert patterns(date(2026, 3, 29)) == {("last", -1), ("ge", 23), ("ge", 24), ("ge", 25)}
    assert patterns(date(2026, 3, 22)) == {("nth", 4), *(("ge", d) for d in range(16, 23))}
    assert ("nth", 2) in patterns(date(2026, 3, 8)) and ("last", -1) not in patterns(
        date(2026, 3, 8))


def test_zone_for() -> None:
    assert zone_for("UTC") is UTC and zone_for("") is UTC
    assert zone_for("Europe/Paris") == ZoneInfo("Europe/Paris")
    custom = zone_for("X-EVENT-BRIDGE/f/Custom", vtimezone("Asia/Kolkata", 2026, 2026))
    assert datetime(2026, 1, 1, tzinfo=UTC).astimezone(custom).utcoffset() == timedelta(
        hours=5, minutes=30)
