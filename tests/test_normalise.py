"""Golden tests for normalise: one .ics per behaviour under tests/data/normalise/.

Every test runs twice through the ``order`` fixture: with the components as written and with
them reversed (VTIMEZONEs after the VEVENTs that use them, overrides before their master);
the reversed run must give exactly the output of the one as written.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from event_bridge.intake.normalise import normalise
from event_bridge.intake.parse import parse_calendar
from event_bridge.model import NOTE_PREFIX, City, FeedSource, Moment, SourceEvent, moment_key

DATA = Path(__file__).parent / "data" / "normalise"
CITIES = {
    "paris": City("paris", "Paris", "Europe/Paris"),
    "san-francisco": City("san-francisco", "San Francisco", "America/Los_Angeles"),
}
PARIS = FeedSource("test", "paris", "test.ics")
SF = FeedSource("test", "san-francisco", "test.ics")


def reverse_components(text: str) -> str:
    """The same calendar with its top-level components in reverse order."""
    lines = text.replace("\r\n", "\n").strip("\n").split("\n")
    head: list[str] = []
    blocks: list[list[str]] = []
    depth = 0
    for line in lines[1:-1]:  # inside BEGIN:VCALENDAR … END:VCALENDAR
        upper = line.upper()
        if upper.startswith("BEGIN:"):
            if depth == 0:
                blocks.append([])
            depth += 1
        if depth:
            blocks[-1].append(line)
        else:
            head.append(line)
        if upper.startswith("END:") and depth:
            depth -= 1
    body = [line for block in reversed(blocks) for line in block]
    return "\r\n".join([lines[0], *head, *body, lines[-1]]) + "\r\n"


def _run(body: bytes, feed: FeedSource) -> tuple[list[SourceEvent], list[str]]:
    """Parse and normalise as the pipeline does; reasons of both steps."""
    parsed = parse_calendar(body, feed.id)
    events, skipped = normalise(parsed, feed, CITIES)
    return events, [s.reason for s in [*parsed.skipped, *skipped]]


@pytest.fixture(params=["as-written", "reversed"])
def order(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def load(order: str):  # type: ignore[no-untyped-def]
    """load(name, feed) → (events by uid+recurrence id, skip/notes reasons)."""

    def run(name: str, feed: FeedSource = PARIS) -> tuple[dict[str, SourceEvent], list[str]]:
        text = (DATA / name).read_text(encoding="utf-8")
        events, reasons = _run(text.encode(), feed)
        if order == "reversed":
            assert reverse_components(text) != text.replace("\n", "\r\n")
            assert _run(reverse_components(text).encode(), feed) == (events, reasons)
        found = {_label(e): e for e in events}
        assert len(found) == len(events)
        return found, reasons

    return run


def _label(event: SourceEvent) -> str:
    rid = event.key.recurrence_id
    return f"{event.key.uid}#{rid}" if rid else event.key.uid


def keys(moments: tuple[Moment, ...]) -> list[str]:
    return [moment_key(m) for m in moments]


# --- Windows zones (every Windows name found in the corpus, plus the dataset's Romance) ---

WINDOWS = [
    ("win-romance@test", "Europe/Paris", "20260715T080000Z"),
    ("win-w-europe@test", "Europe/Paris", "20260715T080000Z"),  # Berlin = Paris: city wins
    ("win-w-europe-quoted@test", "Europe/Paris", "20260115T090000Z"),
    ("win-central-european@test", "Europe/Paris", "20260715T080000Z"),  # Warsaw = Paris
    ("win-pacific@test", "America/Los_Angeles", "20260715T170000Z"),
    ("win-eastern@test", "America/New_York", "20260715T140000Z"),
    ("win-central@test", "America/Chicago", "20260115T160000Z"),
    ("win-us-mountain@test", "America/Phoenix", "20260715T170000Z"),
    ("win-gmt@test", "Europe/London", "20260715T090000Z"),
    ("win-greenwich@test", "Atlantic/Reykjavik", "20260715T100000Z"),
    ("win-new-zealand@test", "Pacific/Auckland", "20260714T220000Z"),
    ("win-tokyo@test", "Asia/Tokyo", "20260715T010000Z"),
    ("win-turkey@test", "Europe/Istanbul", "20260715T070000Z"),
    ("win-south-africa@test", "Africa/Johannesburg", "20260715T080000Z"),
    ("win-se-asia@test", "Asia/Bangkok", "20260715T030000Z"),
    ("win-jordan@test", "Asia/Amman", "20260715T070000Z"),
]


@pytest.mark.parametrize(("uid", "tzid", "start"), WINDOWS)
def test_windows_zone_names_become_iana(load, uid: str, tzid: str, start: str) -> None:
    events, _ = load("windows-zones.ics")
    assert events[uid].data.tzid == tzid
    assert moment_key(events[uid].data.start) == start


def test_windows_names_are_a_published_mapping_not_worth_a_note(load) -> None:
    events, reasons = load("windows-zones.ics")
    assert len(events) == len(WINDOWS)
    assert reasons == []


def test_windows_zone_in_another_city_moves_the_event_there(load) -> None:
    events, _ = load("windows-zones.ics")
    assert events["win-pacific@test"].city == "san-francisco"
    assert events["win-eastern@test"].city == "paris"  # no configured city in New York


def test_windows_zone_with_outlook_vtimezone(load) -> None:
    events, _ = load("windows-zone-with-vtimezone.ics", SF)
    (event,) = events.values()
    assert event.data.tzid == "America/Los_Angeles"
    assert moment_key(event.data.start) == "20260310T190000Z"  # PDT since March 8
    assert moment_key(event.data.end) == "20260310T203000Z"
    assert event.data.tz_definition == ""


# --- floating times and X-WR-TIMEZONE ------------------------------------------------


def test_x_wr_timezone_places_utc_and_floating_times_in_its_zone(load) -> None:
    events, _ = load("x-wr-timezone.ics", SF)
    assert moment_key(events["xwr-utc@google.com"].data.start) == "20260312T020000Z"
    assert events["xwr-utc@google.com"].data.tzid == "America/Los_Angeles"
    floating = events["xwr-floating@google.com"].data
    assert (moment_key(floating.start), floating.tzid) == ("20260312T020000Z",
                                                            "America/Los_Angeles")


def test_x_wr_timezone_leaves_an_explicit_tzid_alone(load) -> None:
    events, _ = load("x-wr-timezone.ics", SF)
    event = events["xwr-tzid@google.com"]
    assert (moment_key(event.data.start), event.data.tzid) == ("20260311T180000Z", "Europe/Paris")
    assert event.city == "paris"  # an SF feed listing a Paris event


def test_feed_timezone_overrides_x_wr_timezone_for_floating_times(load) -> None:
    feed = FeedSource("test", "san-francisco", "test.ics", timezone="America/New_York")
    events, _ = load("x-wr-timezone.ics", feed)
    floating = events["xwr-floating@google.com"].data
    assert (moment_key(floating.start), floating.tzid) == ("20260311T230000Z", "America/New_York")
    assert moment_key(events["xwr-utc@google.com"].data.start) == "20260312T020000Z"


@pytest.mark.parametrize(
    ("feed", "tzid", "start", "until", "exdate"),
    [
        (PARIS, "Europe/Paris", "20260305T080000Z", "20260402T070000Z", "20260319T080000Z"),
        (SF, "America/Los_Angeles", "20260305T170000Z", "20260402T160000Z", "20260319T160000Z"),
        (FeedSource("test", "san-francisco", "x", timezone="America/New_York"),
         "America/New_York", "20260305T140000Z", "20260402T130000Z", "20260319T130000Z"),
    ],
    ids=["paris-city", "sf-city", "feed-timezone"],
)
def test_floating_times_without_x_wr_timezone(load, feed: FeedSource, tzid: str, start: str,
                                               until: str, exdate: str) -> None:
    events, _ = load("floating.ics", feed)
    series = events["floating-2@localhost"].data
    assert (series.tzid, moment_key(series.start)) == (tzid, start)
    assert series.rrule == f"FREQ=WEEKLY;UNTIL={until}"  # a floating UNTIL, converted too
    assert keys(series.exdates) == [exdate]


# --- all-day values and the Paris/SF date line ------------------------------------------


def test_all_day_values_stay_dates(load) -> None:
    events, _ = load("all-day.ics")
    one = events["allday-one@test"].data
    assert (one.start, one.end, one.tzid, one.all_day) == (date(2026, 6, 11),
                                                            date(2026, 6, 12), "", True)
    assert events["allday-three@test"].data.end == date(2026, 6, 14)
    assert events["allday-one@test"].city == "paris"


def test_sf_evening_is_the_next_day_in_utc(load) -> None:
    events, _ = load("all-day.ics")
    evening = events["sf-evening@test"]
    assert moment_key(evening.data.start) == "20260612T013000Z"
    assert evening.data.start.astimezone(ZoneInfo("America/Los_Angeles")).day == 11
    assert evening.city == "san-francisco"


def test_all_day_series_keeps_dates_in_until_and_exdate(load) -> None:
    events, _ = load("all-day.ics")
    series = events["allday-series@test"].data
    assert series.rrule == "FREQ=WEEKLY;UNTIL=20260629"
    assert series.exdates == (date(2026, 6, 15),)
    assert series.end == date(2026, 6, 2)


# --- DST change days of both schedules (2026: US Mar 8 / Nov 1, EU Mar 29 / Oct 25) ------

DST = [
    ("us-before@test", "20260307T180000Z"),  # PST, UTC-8
    ("us-change@test", "20260308T170000Z"),  # PDT, UTC-7
    ("us-gap@test", "20260308T103000Z"),  # 02:30 does not exist: offset before the change
    ("eu-before@test", "20260328T090000Z"),  # CET
    ("eu-change@test", "20260329T080000Z"),  # CEST
    ("eu-gap@test", "20260329T013000Z"),
    ("eu-autumn-before@test", "20261024T080000Z"),
    ("eu-autumn-change@test", "20261025T090000Z"),
    ("eu-repeated@test", "20261025T003000Z"),  # 02:30 happens twice: the first one
    ("us-autumn-before@test", "20261031T170000Z"),
    ("us-autumn-change@test", "20261101T180000Z"),
]


@pytest.mark.parametrize(("uid", "start"), DST)
def test_dst_change_days(load, uid: str, start: str) -> None:
    events, _ = load("dst-days.ics")
    assert moment_key(events[uid].data.start) == start


def test_series_across_the_gap_weeks_converts_until_with_the_local_offset(load) -> None:
    events, _ = load("dst-days.ics")
    series = events["gap-weeks-series@test"].data
    assert moment_key(series.start) == "20260302T170000Z"
    assert series.rrule == "FREQ=WEEKLY;UNTIL=20260406T160000Z"  # 09:00 PDT


# --- recurrence: overrides, cancellations, THISANDFUTURE, RDATE/EXDATE -------------------


def test_moved_and_cancelled_instances_are_keyed_by_their_original_instant(load) -> None:
    events, _ = load("series-overrides.ics")
    uid = "event_ai_tinkerers@meetup.com"
    assert sorted(events) == [uid, f"{uid}#20260324T180000Z", f"{uid}#20260331T170000Z"]
    master = events[uid].data
    assert master.rrule == "FREQ=WEEKLY;COUNT=10;BYDAY=TU"
    assert keys(master.exdates) == ["20260407T170000Z"]
    moved = events[f"{uid}#20260324T180000Z"]
    assert (moment_key(moved.data.start), moved.sequence) == ("20260325T183000Z", 3)
    cancelled = events[f"{uid}#20260331T170000Z"].data
    assert (cancelled.status, cancelled.cancelled) == ("CANCELLED", True)


def test_this_and_future_override(load) -> None:
    events, _ = load("this-and-future.ics", SF)
    override = events["standup@test#20260302T170000Z"].data
    assert override.this_and_future is True
    assert moment_key(override.start) == "20260302T173000Z"
    assert events["standup@test"].data.this_and_future is False


def test_rdates_and_exdates_become_sorted_utc_instants(load) -> None:
    events, _ = load("rdate-exdate.ics", SF)
    series = events["rdates@test"].data
    assert keys(series.rdates) == ["20260312T010000Z", "20260313T010000Z", "20260320T020000Z"]
    # EXDATE;VALUE=DATE on a timed series removes that day's occurrence (18:00 PDT)
    assert keys(series.exdates) == ["20260317T010000Z", "20260324T010000Z"]


def test_date_until_on_a_timed_series_includes_the_whole_day(load) -> None:
    events, _ = load("rdate-exdate.ics", SF)
    assert events["until-date-on-timed@test"].data.rrule == "FREQ=DAILY;UNTIL=20260306T075959Z"


# --- ends: missing DTEND, DURATION, repairs ----------------------------------------------


def test_missing_dtend_defaults(load) -> None:
    events, _ = load("no-dtend.ics")
    all_day = events["date-no-end@test"].data
    assert (all_day.start, all_day.end) == (date(2026, 6, 21), date(2026, 6, 22))
    timed = events["datetime-no-end@test"].data
    assert timed.start == timed.end and isinstance(timed.end, datetime)


def test_duration(load) -> None:
    events, _ = load("duration.ics")
    assert moment_key(events["duration-exact@test"].data.end) == "20260610T133000Z"
    nominal = events["duration-nominal-day@test"].data  # 12:00 CET → 12:00 CEST: 23 h
    assert (moment_key(nominal.start), moment_key(nominal.end)) == ("20260328T110000Z",
                                                                    "20260329T100000Z")
    assert events["duration-date@test"].data.end == date(2026, 6, 13)


def test_repairs_are_noted_and_unusable_events_skipped(load) -> None:
    events, reasons = load("repairs.ics")
    derived = [uid for uid in events if uid.startswith("sha-")]
    assert derived == ["sha-48d629c35d1d73e8@test.event-bridge"]  # stable across runs
    end_first = events["end-before-start@test"].data
    assert end_first.end == end_first.start
    assert events["two-rrules@test"].data.rrule == "FREQ=WEEKLY;COUNT=3"
    assert "no-start@test" not in events
    assert "no DTSTART (RFC 5545 §3.6.1 requires one)" in reasons
    notes = [r for r in reasons if r.startswith(NOTE_PREFIX)]
    assert len(notes) == 3  # no UID, end before start, two RRULEs


# --- custom VTIMEZONEs ---------------------------------------------------------------------


def test_custom_vtimezone_matching_paris_becomes_europe_paris(load) -> None:
    events, reasons = load("custom-vtimezone-paris.ics")
    spring, autumn = events["custom-paris@test"].data, events["custom-paris-winter@test"].data
    assert (spring.tzid, spring.tz_definition) == ("Europe/Paris", "")
    assert moment_key(spring.start) == "20260402T160000Z"  # CEST
    assert moment_key(autumn.start) == "20261105T170000Z"  # CET
    assert any("'Heure de Paris (perso)' matches Europe/Paris" in r for r in reasons)


def test_custom_vtimezone_matching_nothing_is_kept_namespaced(load) -> None:
    events, _ = load("custom-vtimezone-none.ics")
    winter, spring = events["custom-none@test"].data, events["custom-none-summer@test"].data
    assert winter.tzid == "X-EVENT-BRIDGE/test/Olympus Mons Time"
    assert "TZID:X-EVENT-BRIDGE/test/Olympus Mons Time" in winter.tz_definition
    assert "TZOFFSETTO:+0417" in winter.tz_definition
    assert moment_key(winter.start) == "20260115T054300Z"  # +04:17 until March
    assert moment_key(spring.start) == "20260415T064300Z"  # +03:17 from March to June
    assert spring.tz_definition == winter.tz_definition


def test_prefixed_and_display_names(load) -> None:
    events, reasons = load("prefixed-tzids.ics")
    assert events["mozilla@test"].data.tzid == "Europe/Paris"
    assert moment_key(events["display-name@test"].data.start) == "20260715T080000Z"
    offset_only = events["offset-only@test"]
    assert (offset_only.data.tzid, offset_only.city) == ("America/Los_Angeles", "san-francisco")
    unknown = events["unknown@test"].data  # no VTIMEZONE, no known name: floating in Paris
    assert (unknown.tzid, moment_key(unknown.start)) == ("Europe/Paris", "20260115T090000Z")
    assert any("'FOO' is unknown" in r for r in reasons)


# --- city, properties, order -------------------------------------------------------------


def test_joint_feed_events_go_to_the_city_of_their_zone(load) -> None:
    events, _ = load("joint-feed.ics")
    assert events["joint-paris@test"].city == "paris"
    assert events["joint-sf@test"].city == "san-francisco"
    assert moment_key(events["joint-sf@test"].data.start) == "20261028T003000Z"
    assert (events["joint-utc@test"].city, events["joint-utc@test"].data.tzid) == ("paris", "UTC")


def test_text_and_other_properties(load) -> None:
    events, reasons = load("properties.ics")
    event = events["props@test"]
    data = event.data
    assert data.summary == "Futur en Seine — Keynote, « villes sœurs »"
    assert data.description == "Line one\nLine two"
    assert data.location == "Grand Palais, Paris"
    assert data.url == "https://futurenseine.paris/keynote"
    assert data.categories == ("Tech", "IA", "Ville")
    assert (data.status, event.privacy, event.sequence) == ("TENTATIVE", "PUBLIC", 0)
    assert event.last_modified == datetime.fromisoformat("2026-03-01T10:15:00+00:00")
    assert (data.geo, data.organizer) == ("48.8661;2.3125", "Cap Digital")
    other = events["organizer-mailto@test"]
    assert (other.data.organizer, other.privacy, other.sequence) == ("mailto:agenda@paris.fr",
                                                                     "PRIVATE", 4)
    assert any("SEQUENCE" in r and r.startswith(NOTE_PREFIX) for r in reasons)


def test_output_is_sorted_by_key() -> None:
    body = (DATA / "dst-days.ics").read_bytes()
    events, _ = _run(body, PARIS)
    assert [e.key for e in events] == sorted(e.key for e in events)


def test_reverse_components_helper_really_reverses() -> None:
    text = (DATA / "series-overrides.ics").read_text(encoding="utf-8")
    reversed_text = reverse_components(text)
    assert reversed_text.index("STATUS:cancelled") < reversed_text.index("RRULE:")
    assert reverse_components(reversed_text) == text.replace("\n", "\r\n")
