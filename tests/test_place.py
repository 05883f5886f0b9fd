"""An event's city is decided from the event itself, and its floating times are read in that
city (issue 9, classes 1 and 2): a Paris feed without any zone lists San Francisco sessions
at San Francisco wall-clock time.  The feed (``tests/data/place/joint-programme.ics``) is
written for these tests: one VEVENT per way of telling the place."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from event_bridge.intake.normalise import normalise
from event_bridge.intake.parse import parse_calendar
from event_bridge.intake.place import city_of, city_terms
from event_bridge.model import City, FeedSource, SourceEvent

CITIES = {"paris": City("paris", "Paris", "Europe/Paris"),
          "san-francisco": City("san-francisco", "San Francisco", "America/Los_Angeles")}
FEED = Path(__file__).parent / "data" / "place" / "joint-programme.ics"
PARIS, SF = ZoneInfo("Europe/Paris"), ZoneInfo("America/Los_Angeles")


@pytest.fixture(scope="module")
def events() -> dict[str, SourceEvent]:
    feed = FeedSource("joint", "paris", str(FEED))
    found, _ = normalise(parse_calendar(FEED.read_bytes(), feed.id), feed, CITIES)
    return {e.key.uid: e for e in found}


@pytest.mark.parametrize(("uid", "city", "wall", "zone"), [
    ("paris-home@test", "paris", datetime(2026, 6, 10, 18, 30), PARIS),
    ("sf-by-address@test", "san-francisco", datetime(2026, 6, 11, 18, 0), SF),
    ("sf-by-marker@test", "san-francisco", datetime(2026, 6, 12, 9, 0), SF),
    ("sf-by-geo@test", "san-francisco", datetime(2026, 6, 13, 10, 0), SF),
    ("relay-in-paris@test", "paris", datetime(2026, 6, 14, 18, 0), PARIS),
    ("about-sf@test", "paris", datetime(2026, 6, 15, 19, 0), PARIS),
    ("consulate@test", "san-francisco", datetime(2026, 6, 16, 12, 0), SF),
])
def test_city_and_floating_time_follow_the_event(events: dict[str, SourceEvent], uid: str,
                                                 city: str, wall: datetime,
                                                 zone: ZoneInfo) -> None:
    event = events[uid]
    assert event.city == city
    assert event.data.start == wall.replace(tzinfo=zone)


def test_html_entities_in_titles_are_decoded(events: dict[str, SourceEvent]) -> None:
    assert events["consulate@test"].data.summary == "Déjeuner & échanges – French Tech"


def test_the_zone_of_another_city_moves_an_event_and_the_feeds_own_does_not() -> None:
    terms = city_terms(CITIES)
    assert city_of("Atelier", "", "", "America/Los_Angeles", "paris", CITIES, terms) \
        == "san-francisco"
    assert city_of("Workshop", "", "", "Europe/Paris", "paris", CITIES, terms) == "paris"
    # a Google calendar in Paris writes its SF sessions in Europe/Paris: the place wins
    assert city_of("Workshop", "Mission Bay, San Francisco", "", "Europe/Paris", "paris",
                   CITIES, terms) == "san-francisco"
    # a French postcode before its town; a US ZIP after the state
    assert terms.located("Mairie, 94200 Ivry-sur-Seine") == {"paris"}
    assert terms.located("500 Sansome St, San Francisco CA 94111") == {"san-francisco"}
