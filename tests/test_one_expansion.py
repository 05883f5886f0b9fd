"""One recurrence expansion (issue 8): matching, publishing, the page and ``/api/events``
see the same instances of a series, and the expansion agrees with recurring-ical-events (the
oracle) on generated rules, DST weeks included.

The reading chosen for a DTSTART off its rule is documented in ``recurrence.expand``:
DTSTART counts as the first instance and takes one COUNT slot (RFC 5545 §3.3.10).  The oracle
is compared on rules whose DTSTART is on the rule (where every reader agrees); the off-rule
case is pinned by the end-to-end test below, whose published form every client reads alike.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run_cli
from event_bridge.model import EventData
from event_bridge.recurrence.expand import first_instances
from event_bridge.recurrence.series import instants
from live_server import Serve

PARIS = ZoneInfo("Europe/Paris")
# Monday 1 June 2026, 18:00 in Paris; the rule says Tuesdays, three times.
SERIES = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//test//one expansion//EN\r
BEGIN:VEVENT\r
UID:monday-tuesdays@test\r
DTSTAMP:20260101T000000Z\r
DTSTART;TZID=Europe/Paris:20260601T180000\r
DTEND;TZID=Europe/Paris:20260601T200000\r
RRULE:FREQ=WEEKLY;COUNT=3;BYDAY=TU\r
SUMMARY:Atelier du mardi\r
LOCATION:Paris\r
END:VEVENT\r
END:VCALENDAR\r
"""
EXPECTED = [datetime(2026, 6, d, 18, tzinfo=PARIS).astimezone(UTC) for d in (1, 2, 9)]


def test_an_off_rule_dtstart_gives_the_same_instances_everywhere(tmp_path: Path) -> None:
    (tmp_path / "series.ics").write_text(SERIES, newline="")
    config = tmp_path / "bridge.toml"
    config.write_text('[database]\nurl = "sqlite:///bridge.db"\n'
                      '[cities.paris]\nname = "Paris"\ntimezone = "Europe/Paris"\n'
                      '[cities.san-francisco]\nname = "San Francisco"\n'
                      'timezone = "America/Los_Angeles"\n'
                      '[publish]\npast_days = 3650\n'
                      '[[feeds]]\nid = "ateliers"\ncity = "paris"\nurl = "series.ics"\n')
    assert run_cli("sync", "--once", config=config).returncode == 0
    merged = tmp_path / "merged.ics"
    assert run_cli("export", "--output", str(merged), config=config).returncode == 0

    data = EventData(start=EXPECTED[0], end=EXPECTED[0] + timedelta(hours=2),
                     tzid="Europe/Paris", rrule="FREQ=WEEKLY;COUNT=3;BYDAY=TU")
    assert instants(data) == EXPECTED  # matching

    calendar = icalendar.Calendar.from_ical(merged.read_bytes())  # publishing, as a client
    published = [o.start.astimezone(UTC) for o in recurring_ical_events.of(calendar)
                 .between(datetime(2026, 1, 1), datetime(2027, 1, 1))]
    assert published == EXPECTED

    server = Serve(config)
    try:
        api = json.loads(server.get("/api/events?from=2026-05-25&to=2026-06-30").body)
        starts = [datetime.fromisoformat(e["start"]).astimezone(UTC) for e in api["events"]]
        assert starts == EXPECTED  # the API
        page = server.get("/?from=2026-06-01").body.decode()
        cards = re.findall(r'class="summary"[^>]*>Atelier du mardi<', page)
        assert len(cards) == len(EXPECTED)  # the page (its JSON-LD names them too)
    finally:
        server.stop()


ZONES = ["Europe/Paris", "America/Los_Angeles"]
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


@st.composite
def series(draw: st.DrawFn) -> tuple[EventData, str]:
    """A series whose DTSTART is on its rule, often in a DST-change week, and its ICS text."""
    zone = draw(st.sampled_from(ZONES))
    day = draw(st.sampled_from([date(2026, 3, 5), date(2026, 3, 27), date(2026, 10, 22),
                                date(2026, 10, 30), date(2026, 6, 15), date(2027, 1, 29)]))
    day += timedelta(days=draw(st.integers(0, 6)))
    hour = draw(st.sampled_from([0, 1, 2, 3, 9, 18, 23]))
    freq = draw(st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]))
    parts = [f"FREQ={freq}", f"INTERVAL={draw(st.integers(1, 3))}"]
    if freq == "WEEKLY" and draw(st.booleans()):
        extra = draw(st.sets(st.sampled_from(DAYS), max_size=3))
        parts.append("BYDAY=" + ",".join(sorted({DAYS[day.weekday()], *extra}, key=DAYS.index)))
    local = datetime.combine(day, datetime.min.time()).replace(hour=hour, tzinfo=ZoneInfo(zone))
    start = local.astimezone(UTC)
    if draw(st.booleans()):
        parts.append(f"COUNT={draw(st.integers(1, 40))}")
    else:  # not before DTSTART, or DTSTART would be off its rule
        until = start + timedelta(days=draw(st.integers(0, 400)), hours=draw(st.integers(0, 30)))
        parts.append("UNTIL=" + until.strftime("%Y%m%dT%H%M%SZ"))
    rule = ";".join(parts)
    data = EventData(start=start, end=start + timedelta(hours=1), tzid=zone, rrule=rule)
    text = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
            f"UID:x\r\nDTSTAMP:20260101T000000Z\r\n"
            f"DTSTART;TZID={zone}:{local.strftime('%Y%m%dT%H%M%S')}\r\n"
            f"DTEND;TZID={zone}:{(local + timedelta(hours=1)).strftime('%Y%m%dT%H%M%S')}\r\n"
            f"RRULE:{rule}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    return data, text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(series())
def test_expansion_agrees_with_recurring_ical_events(case: tuple[EventData, str]) -> None:
    data, text = case
    oracle = recurring_ical_events.of(icalendar.Calendar.from_ical(text))
    horizon = datetime(2100, 1, 1, tzinfo=UTC)  # the oracle's window; ours is not windowed
    expected = [o.start.astimezone(UTC) for o in oracle.between(datetime(2000, 1, 1),
                                                                   datetime(2100, 1, 1))]
    ours = [m for m in first_instances(data, 1000) if m < horizon]
    assert ours == expected[:len(ours)] and len(ours) == min(len(expected), 1000)
    assert instants(data, 1000) == first_instances(data, 1000)  # matching reads the same
