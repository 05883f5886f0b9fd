"""parse_calendar: tolerant intake of real-world bytes (RFC 5545 §3.1, §3.4)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from event_bridge.errors import ParseError
from event_bridge.intake.parse import ParsedFeed, parse_calendar
from event_bridge.model import NOTE_PREFIX

EVENT = ("BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART:20260611T100000Z\r\nSUMMARY:{summary}\r\n"
         "END:VEVENT\r\n")


def calendar(*events: str, head: str = "") -> str:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + head
            + "".join(events) + "END:VCALENDAR\r\n")


def event(uid: str, summary: str = "Talk", extra: str = "") -> str:
    return EVENT.format(uid=uid, summary=summary).replace("END:VEVENT", extra + "END:VEVENT")


def uids(parsed: ParsedFeed) -> list[str]:
    return sorted(str(e["UID"]) for e in parsed.events)


def notes(parsed: ParsedFeed) -> list[str]:
    return [s.reason for s in parsed.skipped if s.reason.startswith(NOTE_PREFIX)]


def skips(parsed: ParsedFeed) -> list[tuple[str, str]]:
    return [(s.uid, s.reason) for s in parsed.skipped if not s.reason.startswith(NOTE_PREFIX)]


# --- bytes and lines -------------------------------------------------------------------


def test_reads_a_plain_calendar() -> None:
    parsed = parse_calendar(calendar(event("a"), event("b")).encode(), "f")
    assert uids(parsed) == ["a", "b"]
    assert parsed.skipped == []
    assert parsed.properties == {"PRODID": "-//test//EN"}


@pytest.mark.parametrize("eol", ["\r\n", "\n", "\r"], ids=["crlf", "lf", "lone-cr"])
def test_any_line_ending(eol: str) -> None:
    body = calendar(event("a", "Café")).replace("\r\n", eol).encode()
    parsed = parse_calendar(body, "f")
    assert [str(e["SUMMARY"]) for e in parsed.events] == ["Café"]


def test_mixed_line_endings() -> None:
    text = calendar(event("a"), event("b"))
    body = text.replace("\r\n", "\n", 5).encode()
    assert uids(parse_calendar(body, "f")) == ["a", "b"]


def test_utf8_bom_is_stripped() -> None:
    parsed = parse_calendar(b"\xef\xbb\xbf" + calendar(event("a")).encode(), "f")
    assert uids(parsed) == ["a"]


def test_non_utf8_body_is_read_as_windows_1252_with_a_note() -> None:
    body = calendar(event("a", "Soirée d’ouverture")).encode("cp1252")
    parsed = parse_calendar(body, "f")
    assert [str(e["SUMMARY"]) for e in parsed.events] == ["Soirée d’ouverture"]
    assert len(notes(parsed)) == 1 and "Windows-1252" in notes(parsed)[0]


def test_fold_inside_a_utf8_character_heals() -> None:
    summary = "Villes sœurs numériques".encode()
    cut = summary.index("œ".encode()) + 1  # between the two bytes of "œ"
    folded = summary[:cut] + b"\r\n " + summary[cut:]
    body = calendar(event("a", "@@")).encode().replace(b"@@", folded)
    parsed = parse_calendar(body, "f")
    assert [str(e["SUMMARY"]) for e in parsed.events] == ["Villes sœurs numériques"]
    assert notes(parsed) == []


# --- not calendars ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"", "empty"),
        (b"   \r\n", "empty"),
        (b"<!DOCTYPE html><html><body>Maintenance</body></html>", "<!DOCTYPE html>"),
        (b'{"events": []}', '{"events"'),
    ],
    ids=["empty", "blank", "html", "json"],
)
def test_not_a_calendar_is_a_parse_error_saying_what_came(body: bytes, words: str) -> None:
    with pytest.raises(ParseError) as raised:
        parse_calendar(body, "f")
    assert words in str(raised.value)


def test_calendar_with_nothing_readable_is_a_parse_error() -> None:
    body = b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nEND:VE\r\n"
    with pytest.raises(ParseError, match="no readable VEVENT"):
        parse_calendar(body, "f")


def test_calendar_without_events_is_empty_not_an_error() -> None:
    parsed = parse_calendar(calendar().encode(), "f")
    assert parsed.events == [] and parsed.skipped == []


# --- one broken component does not sink the feed -----------------------------------------


def test_broken_vevent_is_skipped_and_the_rest_kept() -> None:
    broken = event("broken", extra="END:VALARM\r\n")  # END without BEGIN: icalendar raises
    parsed = parse_calendar(calendar(event("a"), broken, event("b")).encode(), "f")
    assert uids(parsed) == ["a", "b"]
    ((uid, reason),) = skips(parsed)
    assert uid == "broken" and "END encountered without an accompanying BEGIN" in reason
    assert any("component by component" in n for n in notes(parsed))


def test_vevent_cut_short_is_skipped() -> None:
    cut = "BEGIN:VEVENT\r\nUID:cut\r\nDTSTART:20260611T100000Z\r\n"
    parsed = parse_calendar(calendar(cut, event("a")).encode(), "f")
    assert uids(parsed) == ["a"]
    assert skips(parsed) == [("cut", "VEVENT cut short (no END:VEVENT)")]


def test_truncated_calendar_keeps_its_complete_events() -> None:
    body = calendar(event("a"), event("b")).removesuffix("END:VCALENDAR\r\n")
    parsed = parse_calendar(body.encode(), "f")
    assert uids(parsed) == ["a", "b"]
    assert any("missing END:VCALENDAR" in n for n in notes(parsed))


def test_broken_vtimezone_does_not_sink_the_events() -> None:
    vtimezone = ("BEGIN:VTIMEZONE\r\nTZID:Bad\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
                 "TZOFFSETFROM:+5328\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n")
    parsed = parse_calendar(calendar(event("a"), head=vtimezone).encode(), "f")
    assert uids(parsed) == ["a"]
    assert parsed.timezones == {}
    assert [uid for uid, _ in skips(parsed)] == ["?"]


def test_unreadable_dtstart_skips_the_event_with_the_reason() -> None:
    bad = "BEGIN:VEVENT\r\nUID:bad\r\nDTSTART:INVALID-DATE\r\nEND:VEVENT\r\n"
    parsed = parse_calendar(calendar(bad, event("a")).encode(), "f")
    assert uids(parsed) == ["a"]
    ((uid, reason),) = skips(parsed)
    assert uid == "bad" and "unreadable DTSTART" in reason and "INVALID-DATE" in reason


def test_other_broken_properties_are_dropped_with_a_note() -> None:
    extra = "EXDATE:20260618T100000Z\r\nEXDATE:not-a-date\r\nSEQUENCE:two\r\n"
    parsed = parse_calendar(calendar(event("a", extra=extra)).encode(), "f")
    (vevent,) = parsed.events
    assert "SEQUENCE" not in vevent
    assert str(vevent["EXDATE"].to_ical().decode()) == "20260618T100000Z"  # the good one stays
    assert sorted(notes(parsed)) == [NOTE_PREFIX + "unreadable EXDATE dropped",
                                     NOTE_PREFIX + "unreadable SEQUENCE dropped"]


def test_several_vcalendars_in_one_body() -> None:
    body = calendar(event("a")) + calendar(event("b"))
    assert uids(parse_calendar(body.encode(), "f")) == ["a", "b"]


# --- calendar properties, VTIMEZONEs, X-WR-TIMEZONE --------------------------------------

HEAD = ("X-WR-CALNAME:Futur en Seine\\, programme\r\nNAME:Futur en Seine\r\n"
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\nX-PUBLISHED-TTL:PT1H\r\n"
        "X-WR-TIMEZONE:Europe/Paris\r\n")


def test_calendar_properties_as_text() -> None:
    parsed = parse_calendar(calendar(event("a"), head=HEAD).encode(), "f")
    assert parsed.properties == {
        "PRODID": "-//test//EN", "X-WR-CALNAME": "Futur en Seine, programme",
        "NAME": "Futur en Seine", "REFRESH-INTERVAL": "PT1H", "X-PUBLISHED-TTL": "PT1H",
        "X-WR-TIMEZONE": "Europe/Paris",
    }


def test_x_wr_timezone_is_applied_at_intake() -> None:
    floating = "BEGIN:VEVENT\r\nUID:f\r\nDTSTART:20260611T180000\r\nEND:VEVENT\r\n"
    parsed = parse_calendar(calendar(floating, head=HEAD).encode(), "f")
    paris = ZoneInfo("Europe/Paris")
    assert parsed.events[0]["DTSTART"].dt == datetime(2026, 6, 11, 18, tzinfo=paris)
    assert parsed.raw_events[0]["DTSTART"].dt == datetime(2026, 6, 11, 18)  # as read


def test_x_wr_timezone_leaves_tzid_values_even_before_their_vtimezone() -> None:
    zoned = ("BEGIN:VEVENT\r\nUID:z\r\nDTSTART;TZID=My Zone:20260611T180000\r\nEND:VEVENT\r\n"
             "BEGIN:VTIMEZONE\r\nTZID:My Zone\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
             "TZOFFSETFROM:+0300\r\nTZOFFSETTO:+0300\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n")
    parsed = parse_calendar(calendar(zoned, head=HEAD).encode(), "f")
    start = parsed.events[0]["DTSTART"]
    assert start.params["TZID"] == "My Zone"
    assert start.dt.replace(tzinfo=None) == datetime(2026, 6, 11, 18)
    assert list(parsed.timezones) == ["My Zone"]


def test_unknown_x_wr_timezone_is_noted_and_ignored() -> None:
    head = "X-WR-TIMEZONE:Atlantis/Capital\r\n"
    floating = "BEGIN:VEVENT\r\nUID:f\r\nDTSTART:20260611T180000\r\nEND:VEVENT\r\n"
    parsed = parse_calendar(calendar(floating, head=head).encode(), "f")
    assert parsed.events[0]["DTSTART"].dt.tzinfo is None
    assert any("Atlantis/Capital" in n for n in notes(parsed))


def test_windows_x_wr_timezone_is_understood() -> None:
    head = "X-WR-TIMEZONE:Pacific Standard Time\r\n"
    floating = "BEGIN:VEVENT\r\nUID:f\r\nDTSTART:20260611T180000\r\nEND:VEVENT\r\n"
    parsed = parse_calendar(calendar(floating, head=head).encode(), "f")
    assert parsed.events[0]["DTSTART"].dt.utcoffset().total_seconds() == -7 * 3600


def test_parsing_is_repeatable() -> None:
    body = calendar(event("a"), event("b"), head=HEAD).encode()
    first, second = parse_calendar(body, "f"), parse_calendar(body, "f")
    assert [e.to_ical() for e in first.events] == [e.to_ical() for e in second.events]
    assert (first.properties, first.skipped) == (second.properties, second.skipped)
