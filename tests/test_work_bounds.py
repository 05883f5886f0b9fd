"""Issue 10: values checked at intake and work bounded by named limits, each exceeded
limit degrading only its item or feed with a note."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from event_bridge.errors import ParseError
from event_bridge.intake.normalise import normalise
from event_bridge.intake.parse import MAX_EVENTS_PER_FEED, MAX_ZONE_RULES, parse_calendar
from event_bridge.intake.rules import MAX_INSTANTS_PER_DAY
from event_bridge.intake.values import MAX_TEXT_CHARS
from event_bridge.model import City, EventData, FeedSource
from event_bridge.recurrence.expand import occurrences

CITIES = {"paris": City("paris", "Paris", "Europe/Paris")}
FEED = FeedSource(id="f", city="paris", url="f.ics")


def vevent(uid: str, extra: str = "", start: str = "20260601T180000Z") -> str:
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:{start}\r\n"
            f"DTEND:20260601T200000Z\r\nSUMMARY:S {uid}\r\n{extra}END:VEVENT\r\n")


def read(*parts: str) -> tuple[list, list[str]]:
    body = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n" + "".join(parts)
            + "END:VCALENDAR\r\n").encode()
    parsed = parse_calendar(body, "f")
    events, skipped = normalise(parsed, FEED, CITIES)
    return events, [s.reason for s in (*parsed.skipped, *skipped)]


def test_out_of_range_years_skip_the_vevent_only() -> None:
    events, notes = read(vevent("old", start="09990101T000000Z"), vevent("ok"))
    assert [e.key.uid for e in events] == ["ok"]
    assert any("year 999" in n and "skipped" in n for n in notes)


def test_text_is_cleaned_and_cut_before_the_store() -> None:
    events, notes = read(vevent("n\x01ul", "DESCRIPTION:" + "d" * (MAX_TEXT_CHARS + 10)
                                + "\r\nLOCATION:a\x00b\x1b[2Jc\r\n"))
    (event,) = events
    assert event.key.uid == "nul" and event.data.location == "ab[2Jc"
    assert len(event.data.description) == MAX_TEXT_CHARS
    assert any("DESCRIPTION longer than" in n for n in notes)


def test_a_rule_that_never_occurs_ends_fast() -> None:
    data = EventData(start=datetime(2026, 3, 1, tzinfo=UTC), end=datetime(2026, 3, 1, 1,
                     tzinfo=UTC), tzid="Europe/Paris",
                     rrule="FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30")
    began = time.process_time()
    found = occurrences(data, datetime(2026, 1, 1, tzinfo=UTC),
                        datetime(2030, 1, 1, tzinfo=UTC), 100)
    assert found == [data.start]  # DTSTART only: the rule adds nothing
    assert time.process_time() - began < 3


def test_a_yearly_rule_with_every_by_list_is_skipped() -> None:
    every = ",".join(map(str, range(60)))
    rule = f"FREQ=YEARLY;BYHOUR={','.join(map(str, range(24)))};BYMINUTE={every};BYSECOND={every}"
    events, notes = read(vevent("bomb", f"RRULE:{rule}\r\n"), vevent("ok"))
    assert [e.key.uid for e in events] == ["ok"]
    assert any(f"at most {MAX_INSTANTS_PER_DAY}" in n for n in notes)


def test_a_vtimezone_over_the_rule_bound_is_ignored() -> None:
    rules = "".join(f"BEGIN:STANDARD\r\nDTSTART:{1971 + i // 12:04d}{1 + i % 12:02d}01T020000"
                    "\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n"
                    for i in range(MAX_ZONE_RULES + 1))
    zone = f"BEGIN:VTIMEZONE\r\nTZID:Big/Zone\r\n{rules}END:VTIMEZONE\r\n"
    event = vevent("z").replace("DTSTART:20260601T180000Z",
                                "DTSTART;TZID=Big/Zone:20260601T180000")
    events, notes = read(zone, *(vevent(f"pad{i}") for i in range(6)), event)
    assert len(events) == 7
    assert any("VTIMEZONE 'Big/Zone'" in n and "ignored" in n for n in notes)


def test_too_many_events_fail_the_feed() -> None:
    with pytest.raises(ParseError, match=f"more than {MAX_EVENTS_PER_FEED}"):
        read(*(vevent(f"e{i}") for i in range(MAX_EVENTS_PER_FEED + 1)))


@pytest.mark.parametrize("rule", ["EQ=DAILY;UNTIL=20080323T235959Z", "DAILY",
                                  "EXDATE;VALUE=DATE:20080311"])
def test_an_unreadable_rrule_is_skipped_at_intake(rule: str) -> None:
    """Found by the corpus fuzz: it used to be stored and fail every publication."""
    events, notes = read(vevent("bad", f"RRULE:{rule}\r\n"), vevent("ok"))
    assert [e.key.uid for e in events] == ["ok"]
    assert any("cannot be read" in n for n in notes)
