"""publish.render: one golden .ics per behaviour, identical bytes in any input order.

Regenerate the golden files with ``UPDATE_GOLDEN=1`` (then read the diff before committing).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events

from event_bridge.model import City, Event, EventData, Link, SourceKey, moment_key
from event_bridge.publish.descriptions import when_line
from event_bridge.publish.render import FeedMeta, Stamp, assemble, render, retitle
from event_bridge.recurrence.expand import occurrences

GOLDEN = Path(__file__).parent / "data" / "publish"
CITIES = {"paris": City("paris", "Paris", "Europe/Paris"),
          "san-francisco": City("san-francisco", "San Francisco", "America/Los_Angeles")}
META = FeedMeta("Paris ⇄ San Francisco", 3600, "Events of two sister cities")
CHANGED = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
CUSTOM_TZID = "X-EVENT-BRIDGE/outlook-centre/Custom Zone"
CUSTOM_VTIMEZONE = "\r\n".join([
    "BEGIN:VTIMEZONE", f"TZID:{CUSTOM_TZID}",
    "BEGIN:STANDARD", "DTSTART:16010101T030000", "TZOFFSETFROM:+0630", "TZOFFSETTO:+0530",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=2SU", "END:STANDARD",
    "BEGIN:DAYLIGHT", "DTSTART:16010101T020000", "TZOFFSETFROM:+0530", "TZOFFSETTO:+0630",
    "RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=2SU", "END:DAYLIGHT", "END:VTIMEZONE", ""])


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def event(uid: str, data: EventData, city: str = "paris", rid: str = "",
          feed: str = "agenda") -> Event:
    return Event(uid=uid, city=city, data=data, recurrence_id=rid,
                 sources=(SourceKey(feed, f"src-{uid}", rid),))


def paris_series() -> tuple[list[Event], list[Link]]:
    """Tuesdays 18:00 Paris across both DST changes (US 8 March, EU 29 March 2026), one
    moved instance and one EXDATE."""
    master = EventData(summary="Atelier vélo", start=utc(2026, 3, 3, 17), tzid="Europe/Paris",
                       end=utc(2026, 3, 3, 19), rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=6",
                       exdates=(utc(2026, 3, 31, 16),), location="12 rue de la Paix, Paris")
    moved = EventData(summary="Atelier vélo (salle B)", start=utc(2026, 3, 17, 18, 30),
                      end=utc(2026, 3, 17, 20, 30), tzid="Europe/Paris")
    return [event("series-1", master),
            event("series-1", moved, rid=moment_key(utc(2026, 3, 17, 17)))], []


def all_day() -> tuple[list[Event], list[Link]]:
    one = EventData(summary="Fête de la musique", start=date(2026, 6, 21),
                    end=date(2026, 6, 22), categories=("music", "street"))
    three = EventData(summary="Pride weekend", start=date(2026, 6, 26), end=date(2026, 6, 29),
                      status="CONFIRMED", rrule="FREQ=YEARLY;UNTIL=20280626T000000Z")
    return [event("allday-1", one), event("allday-2", three, city="san-francisco")], []


def utc_event() -> tuple[list[Event], list[Link]]:
    data = EventData(summary="Global hackathon kickoff", start=utc(2026, 4, 1, 15),
                     end=utc(2026, 4, 1, 16, 30), tzid="UTC", url="https://example.org/hack")
    return [event("utc-1", data, city="san-francisco")], []


def la_dst_days() -> tuple[list[Event], list[Link]]:
    """The US change days: 10:00 PDT on 8 March, and 01:30 twice on 1 November: a repeated
    local time is written in UTC (clients disagree on which pass a TZID form means)."""
    spring = EventData(summary="Spring forward brunch", start=utc(2026, 3, 8, 17),
                       end=utc(2026, 3, 8, 19), tzid="America/Los_Angeles")
    first = EventData(summary="Night owls (PDT)", start=utc(2026, 11, 1, 8, 30),
                      end=utc(2026, 11, 1, 9), tzid="America/Los_Angeles")
    second = EventData(summary="Night owls (PST)", start=utc(2026, 11, 1, 9, 30),
                       end=utc(2026, 11, 1, 10), tzid="America/Los_Angeles")
    return [event(f"la-{i}", d, city="san-francisco")
            for i, d in enumerate((spring, first, second))], []


def custom_zone() -> tuple[list[Event], list[Link]]:
    """A zone that matches no IANA zone: a series no DST change moves is written in UTC (as
    node-ical would read it), a plain event too; only a series crossing the zone's own DST
    change needs ``TZID=`` and the feed's VTIMEZONE."""
    data = EventData(summary="Seminar", start=utc(2026, 5, 5, 8), end=utc(2026, 5, 5, 9),
                     tzid=CUSTOM_TZID, tz_definition=CUSTOM_VTIMEZONE,
                     rrule="FREQ=MONTHLY;BYMONTHDAY=5;COUNT=3")
    crossing = replace(data, summary="Colloquium", start=utc(2026, 9, 20, 8),
                       end=utc(2026, 9, 20, 9), rrule="FREQ=MONTHLY;BYMONTHDAY=20;COUNT=3")
    once = replace(data, summary="Open day", rrule="")
    return [event("custom-1", data, feed="outlook-centre"),
            event("custom-2", crossing, feed="outlook-centre"),
            event("custom-3", once, feed="outlook-centre")], []


def cancelled_override() -> tuple[list[Event], list[Link]]:
    master = EventData(summary="Board games", start=utc(2026, 10, 20, 2), end=utc(2026, 10, 20, 4),
                       tzid="America/Los_Angeles", rrule="FREQ=WEEKLY;COUNT=4")
    gone = EventData(summary="Board games", start=utc(2026, 10, 27, 2), end=utc(2026, 10, 27, 4),
                     tzid="America/Los_Angeles", status="CANCELLED")
    return [event("games", master, "san-francisco"),
            event("games", gone, "san-francisco", rid=moment_key(utc(2026, 10, 27, 2)))], []


def this_and_future() -> tuple[list[Event], list[Link]]:
    master = EventData(summary="Yoga", start=utc(2026, 9, 7, 7), end=utc(2026, 9, 7, 8),
                       tzid="Europe/Paris", rrule="FREQ=WEEKLY;UNTIL=20261130T235959Z")
    later = EventData(summary="Yoga (new room)", start=utc(2026, 10, 5, 7, 30),
                      end=utc(2026, 10, 5, 8, 30), tzid="Europe/Paris", this_and_future=True)
    return [event("yoga", master), event("yoga", later, rid=moment_key(utc(2026, 10, 5, 7)))], []


def link_pair() -> tuple[list[Event], list[Link]]:
    paris = EventData(summary="Futur en Seine: IA & villes", start=utc(2026, 3, 24, 17),
                      end=utc(2026, 3, 24, 19), tzid="Europe/Paris",
                      description="Table ronde.\nEntrée libre.")
    sf = EventData(summary="Future of Cities: AI", start=utc(2026, 3, 24, 16),
                   end=utc(2026, 3, 24, 18), tzid="America/Los_Angeles")
    one, two = event("link-paris", paris), event("link-sf", sf, "san-francisco", feed="meetup")
    two = Event(two.uid, two.city, two.data, (*two.sources, SourceKey("sfgov", "x-1"),
                                              SourceKey("meetup", "src-link-sf")))
    return [one, two], [Link("link-paris", "link-sf", 0.9, "same talk, both cities")]


def escaping() -> tuple[list[Event], list[Link]]:
    data = EventData(summary="Concert; jazz, blues \\ soul", start=utc(2026, 7, 14, 19),
                     end=utc(2026, 7, 14, 21), tzid="Europe/Paris",
                     description="Ligne 1\r\nLigne 2, avec virgule; point-virgule\n" + "é" * 60,
                     location="Café \"Le Zinc\", 5 place d'Italie", geo="48.831;2.355",
                     organizer="mailto:jazz@example.org", categories=("jazz, blues", "live"))
    return [event("escape-1", data)], []


def client_safe_series() -> tuple[list[Event], list[Link]]:
    """DTSTART on a Wednesday, rule on Mondays, COUNT=4: published moved onto the rule."""
    data = EventData(summary="Code club", start=utc(2026, 2, 4, 17), end=utc(2026, 2, 4, 18),
                     tzid="Europe/Paris", rrule="FREQ=WEEKLY;BYDAY=MO;COUNT=4")
    return [event("club", data)], []


CASES: dict[str, Callable[[], tuple[list[Event], list[Link]]]] = {
    "paris-series-dst-override-exdate": paris_series, "all-day": all_day, "utc": utc_event,
    "la-dst-change-days": la_dst_days, "custom-zone": custom_zone,
    "cancelled-override": cancelled_override, "this-and-future": this_and_future,
    "link-pair": link_pair, "text-escaping": escaping, "client-safe-dtstart": client_safe_series,
}


def stamps_for(events: list[Event]) -> dict[tuple[str, str], Stamp]:
    return {e.key: Stamp(len(e.uid) % 3, CHANGED + timedelta(minutes=len(e.recurrence_id)))
            for e in events}


def rendered(name: str, reverse: bool = False) -> bytes:
    events, links = CASES[name]()
    ordered = list(reversed(events)) if reverse else events
    links = list(reversed(links)) if reverse else links
    return render(ordered, links, stamps_for(events), CITIES, META).body


@pytest.mark.parametrize("reverse", [False, True], ids=["given-order", "reversed"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name: str, reverse: bool) -> None:
    body = rendered(name, reverse)
    path = GOLDEN / f"{name}.ics"
    if os.environ.get("UPDATE_GOLDEN") == "1" and not reverse:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
    assert body == path.read_bytes()


@pytest.mark.parametrize("name", sorted(CASES))
def test_wire_format(name: str) -> None:
    """RFC 5545 §3.1: CRLF lines, folded at 75 octets, no blank lines, valid UTF-8."""
    body = rendered(name)
    assert body.endswith(b"END:VCALENDAR\r\n")
    lines = body.split(b"\r\n")[:-1]
    assert all(0 < len(line) <= 75 for line in lines)
    assert b"\n" not in b"".join(lines) and b"\r" not in b"".join(lines)
    body.decode("utf-8")


def _instants(body: bytes) -> dict[tuple[str, str], tuple[object, object]]:
    cal = icalendar.Calendar.from_ical(body)
    out = {}
    for ve in cal.walk("VEVENT"):
        assert isinstance(ve, icalendar.Event)
        rid = ve.get("RECURRENCE-ID")
        key = (str(ve["UID"]), moment_key(rid.dt) if rid else "")
        out[key] = (_utc(ve.start), _utc(ve.end))
    return out


def _utc(value: object) -> object:
    """PEP 495: an ambiguous local time never equals an instant of another zone, so compare
    in UTC."""
    return value.astimezone(UTC) if isinstance(value, datetime) else value


@pytest.mark.parametrize("name", sorted(CASES))
def test_instants_survive(name: str) -> None:
    """Read back with icalendar: every VEVENT starts and ends at the instant it was given."""
    events, _links = CASES[name]()
    seen = _instants(rendered(name))
    if name == "client-safe-dtstart":  # the first Monday carries the original DTSTART
        events = [replace(events[0], recurrence_id=moment_key(utc(2026, 2, 2, 17)))]
    for e in events:
        start, end = seen[e.key]
        assert start == e.data.start and end == e.data.end


@pytest.mark.parametrize("name", ["paris-series-dst-override-exdate", "client-safe-dtstart",
                                  "custom-zone", "all-day", "cancelled-override"])
def test_series_expand_the_same(name: str) -> None:
    """recurring-ical-events, reading the output, finds the set recurrence.occurrences finds
    in the input: an independent reader of the published form.  Overrides the input had are
    left out; an override the publisher added (client-safe form) is applied."""
    events, _ = CASES[name]()
    given = {e.key for e in events}
    cal = icalendar.Calendar.from_ical(rendered(name))
    lo, hi = utc(2025, 1, 1), utc(2030, 1, 1)
    for master in (e for e in events if not e.recurrence_id):
        only = icalendar.Calendar()
        for ve in cal.walk("VEVENT"):
            rid = ve.get("RECURRENCE-ID")
            key = (str(ve["UID"]), moment_key(rid.dt) if rid else "")
            if ve["UID"] == master.uid and (not rid or key not in given):
                only.add_component(ve)
        for tz in cal.walk("VTIMEZONE"):
            only.add_component(tz)
        got = [o.start for o in recurring_ical_events.of(only).between(lo, hi)]
        got = [g.astimezone(UTC) if isinstance(g, datetime) else g for g in got]
        assert got == occurrences(master.data, lo, hi, 100)


def test_text_escaping_round_trips() -> None:
    body = rendered("text-escaping")
    assert b"SUMMARY:Concert\\; jazz\\, blues \\\\ soul\r\n" in body
    assert b"CATEGORIES:jazz\\, blues,live\r\n" in body
    ve = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
    assert str(ve["SUMMARY"]) == "Concert; jazz, blues \\ soul"
    assert str(ve["DESCRIPTION"]).startswith("Ligne 1\nLigne 2, avec virgule; point-virgule\n")
    assert str(ve["LOCATION"]) == "Café \"Le Zinc\", 5 place d'Italie"
    events, _ = escaping()
    bell = replace(events[0], data=replace(events[0].data, summary="Bell\x07 \x00rings\x7f"))
    out = render([bell], [], stamps_for([bell]), CITIES, META).body
    assert b"SUMMARY:Bell rings\r\n" in out


def test_links_on_both_masters_only() -> None:
    body = rendered("link-pair").decode()
    assert body.count("RELATED-TO;RELTYPE=SIBLING:link-sf\r\n") == 1
    assert body.count("RELATED-TO;RELTYPE=SIBLING:link-paris\r\n") == 1
    flat = body.replace("\r\n ", "")
    assert "Also in San Francisco: Future of Cities: AI\\, 09:00 PDT / 17:00 CET" in flat
    assert "Also in Paris: Future of Cities" not in flat
    assert "Also in Paris: Futur en Seine: IA & villes\\, 18:00 CET / 10:00 PDT" in flat
    assert flat.count("X-EVENT-BRIDGE-SOURCE;FEED=meetup:src-link-sf") == 1
    assert "X-EVENT-BRIDGE-SOURCE;FEED=sfgov:x-1" in flat
    series = rendered("paris-series-dst-override-exdate").decode()
    assert "RELATED-TO" not in series


def test_when_line_is_dst_correct() -> None:
    """8 h between Paris and San Francisco from 8 to 29 March 2026, 9 h otherwise."""
    def line(day: int) -> str:
        data = EventData(start=utc(2026, 3, day, 17), end=utc(2026, 3, day, 18),
                         tzid="Europe/Paris")
        return when_line("paris", data, CITIES)
    assert line(3) == "18:00 Paris · 09:00 San Francisco"
    assert line(10) == "18:00 Paris · 10:00 San Francisco"
    assert line(31) == "19:00 Paris · 10:00 San Francisco"
    early = EventData(start=utc(2026, 3, 3, 7), end=utc(2026, 3, 3, 8), tzid="Europe/Paris")
    assert when_line("san-francisco", early, CITIES) == \
        "23:00 San Francisco · 08:00 Paris (Tue 3 Mar)"
    day = EventData(start=date(2026, 6, 26), end=date(2026, 6, 29))
    assert when_line("paris", day, CITIES) == "All day, Fri 26 Jun 2026 – Sun 28 Jun 2026"


def test_zones_and_calendar_properties() -> None:
    body = rendered("paris-series-dst-override-exdate").decode()
    assert "DTSTART;TZID=Europe/Paris:20260303T180000\r\n" in body
    assert "RECURRENCE-ID;TZID=Europe/Paris:20260317T180000\r\n" in body
    assert "EXDATE;TZID=Europe/Paris:20260331T180000\r\n" in body
    assert body.count("BEGIN:VTIMEZONE") == 1 and "RDATE" not in body.split("BEGIN:VEVENT")[0]
    for prop in ("VERSION:2.0", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
                 "REFRESH-INTERVAL;VALUE=DURATION:PT1H", "X-PUBLISHED-TTL:PT1H",
                 "X-WR-CALNAME:Paris ⇄ San Francisco", "PRODID:-//event-bridge//event-bridge "):
        assert prop in body
    la = rendered("la-dst-change-days").decode()
    assert "DTSTART;TZID=America/Los_Angeles:20260308T100000\r\n" in la
    assert "DTSTART:20261101T083000Z\r\n" in la  # 01:30 PDT
    assert "DTSTART:20261101T093000Z\r\n" in la  # 01:30 PST
    assert "DTSTART:20260401T150000Z\r\n" in rendered("utc").decode()
    assert "DTSTART;VALUE=DATE:20260621\r\n" in rendered("all-day").decode()
    assert "RRULE:FREQ=YEARLY;UNTIL=20280626\r\n" in rendered("all-day").decode()
    custom = rendered("custom-zone").decode().split("BEGIN:VEVENT")
    assert "DTSTART:20260505T080000Z\r\n" in custom[1]
    assert f"DTSTART;TZID={CUSTOM_TZID}:20260920T143000\r\n" in custom[2]  # +06:30
    assert "DTSTART:20260505T080000Z\r\n" in custom[3]
    assert custom[0].count(f"TZID:{CUSTOM_TZID}") == 1


def test_this_and_future_and_cancelled() -> None:
    body = rendered("this-and-future").decode()
    assert "RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Paris:20261005T090000\r\n" in body
    games = rendered("cancelled-override").decode().split("BEGIN:VEVENT")
    assert "STATUS:CANCELLED" in games[2] and "STATUS" not in games[1]
    assert "X-EVENT-BRIDGE-CITY:san-francisco" in games[2]


def test_stamps_drive_dtstamp_and_sequence() -> None:
    events, _ = paris_series()
    stamps = {events[0].key: Stamp(7, utc(2026, 2, 1, 8)), events[1].key: Stamp(2, CHANGED)}
    body = render(events, [], stamps, CITIES, META).body.decode()
    assert "DTSTAMP:20260201T080000Z\r\nLAST-MODIFIED:20260201T080000Z\r\nSEQUENCE:7" in body
    with pytest.raises(ValueError, match="series-1"):
        render(events, [], {events[0].key: stamps[events[0].key]}, CITIES, META)
    with pytest.raises(ValueError, match="share the key"):
        render([events[0], events[0]], [], stamps, CITIES, META)


def test_etag_and_parts() -> None:
    events, links = link_pair()
    out = render(events, links, stamps_for(events), CITIES, META)
    assert out.etag == '"' + hashlib.sha256(out.body).hexdigest()[:32] + '"'
    assert out.body == (out.header + "".join(b.ics for b in out.blocks) + out.footer).encode()
    assert [b.uid for b in out.blocks] == ["link-paris", "link-sf"]
    assert all(b.linked for b in out.blocks)
    assert out.blocks[0].tzids == ("Europe/Paris",)
    assert "futur en seine" in out.blocks[0].text


def test_assemble_keeps_only_used_zones() -> None:
    events = link_pair()[0] + utc_event()[0] + all_day()[0]
    out = render(events, [], stamps_for(events), CITIES, META)
    assert assemble(out.header, out.blocks) == out.body
    paris = [b for b in out.blocks if b.city == "paris"]
    body = assemble(out.header, list(reversed(paris))).decode()
    assert "TZID:Europe/Paris" in body and "America/Los_Angeles" not in body
    assert body == assemble(out.header, paris).decode()
    cal = icalendar.Calendar.from_ical(body)
    assert [str(v["UID"]) for v in cal.walk("VEVENT")] == ["allday-1", "link-paris"]
    with pytest.raises(ValueError, match="Europe/Paris"):
        assemble(out.header.split("BEGIN:VTIMEZONE")[0], paris)
    renamed = retitle(out.header, FeedMeta("Paris only", 600))
    assert "NAME:Paris only" in renamed and renamed.count("BEGIN:VTIMEZONE") == 2
