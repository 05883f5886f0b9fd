"""Deduplication (issue 4): one real-world event, one published entry."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from event_bridge.config.settings import Rule
from event_bridge.matching.dedupe import assignments, dedupe
from event_bridge.model import City, EventData, FeedSource, SourceEvent, SourceKey

CITIES = {"paris": City("paris", "Paris", "Europe/Paris"),
          "san-francisco": City("san-francisco", "San Francisco", "America/Los_Angeles")}
FEEDS = {f.id: f for f in (
    FeedSource("organiser", "paris", "x", rank=0),
    FeedSource("community", "paris", "x", rank=1),
    FeedSource("agenda", "paris", "x", role="aggregator", rank=2),
    FeedSource("sf-feed", "san-francisco", "x", rank=3),
)}
TZ = {"paris": "Europe/Paris", "san-francisco": "America/Los_Angeles"}


def at(day: int, hour: int, minute: int = 0, month: int = 6) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def ev(feed: str, uid: str, summary: str, start: datetime | date, *, rid: str = "",
       city: str = "", **data: object) -> SourceEvent:
    city = city or FEEDS[feed].city
    end = start + timedelta(hours=2) if isinstance(start, datetime) else start + timedelta(days=1)
    tzid = TZ[city] if isinstance(start, datetime) else ""
    fields = {"summary": summary, "start": start, "end": end, "tzid": tzid, **data}
    return SourceEvent(SourceKey(feed, uid, rid), city, EventData(**fields))  # type: ignore[arg-type]


def run(events: list[SourceEvent], **kw: object) -> list:
    return dedupe(events, FEEDS, cities=CITIES, **kw)  # type: ignore[arg-type]


def sources(event) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {(k.feed_id, k.uid) for k in event.sources}


KEYNOTE = [
    ev("organiser", "k1", "Futur en Seine 2026 — Keynote d’ouverture : villes sœurs numériques",
       at(11, 16), location="La Gaîté Lyrique, 3 bis rue Papin, 75003 Paris",
       url="https://fes.example/keynote"),
    ev("agenda", "a-9", "FES 2026 – Keynote d'ouverture : villes soeurs numeriques",
       at(11, 16, 15), location="Gaîté Lyrique", url="https://fes.example/keynote/"),
    ev("community", "c-3", "[Futur en Seine] Opening keynote: digital sister cities",
       at(11, 16), location="La Gaîté Lyrique, Paris"),
]


def test_copies_written_differently_are_one_event_taking_fields_by_rank() -> None:
    [event] = run(KEYNOTE)
    assert sources(event) == {("organiser", "k1"), ("agenda", "a-9"), ("community", "c-3")}
    assert event.data.summary.startswith("Futur en Seine 2026 — Keynote")
    assert event.data.start == at(11, 16)  # the best-ranked timed start, not the agenda's
    assert event.reasons and event.score > 0.5


def test_a_timed_start_beats_an_all_day_date_from_a_better_feed() -> None:
    events = [ev("organiser", "f", "Festival du numérique", date(2026, 6, 11),
                 description="Quatre jours de conférences et de démonstrations."),
              ev("agenda", "g", "Festival du numérique", at(11, 8),
                 description="Quatre jours de conférences et de démonstrations.")]
    [event] = run(events)
    assert event.data.start == at(11, 8) and event.data.summary == "Festival du numérique"


def test_a_cancelled_copy_cancels_the_event_and_a_title_marker_counts() -> None:
    events = [ev("organiser", "v", "Atelier VR pour les enfants", at(13, 8)),
              ev("agenda", "w", "ANNULÉ – Atelier VR pour les enfants", at(13, 8))]
    [event] = run(events)
    assert event.data.cancelled and event.data.summary == "Atelier VR pour les enfants"


def test_the_same_uid_in_two_feeds_for_different_events_is_not_a_match() -> None:
    events = [ev("community", "ai1ec-118@localhost", "Visas & relocation Q&A", at(16, 19, 0, 4)),
              ev("agenda", "ai1ec-118@localhost", "Python packaging night", at(12, 1, 30, 3))]
    assert len(run(events)) == 2


def test_parallel_sessions_stay_apart_and_a_copy_joins_the_right_one() -> None:
    events = [ev("organiser", "a", "Smart City Lab — Session A : mobilité et données", at(12, 12),
                 location="Carreau du Temple — Salle Spuller"),
              ev("organiser", "b", "Smart City Lab — Session B : énergie et bâtiments", at(12, 12),
                 location="Carreau du Temple — Salle Perrée"),
              ev("agenda", "x", "[Futur en Seine] Smart City Lab : mobilité", at(12, 12),
                 location="Carreau du Temple")]
    published = run(events)
    assert {frozenset(sources(e)) for e in published} == {
        frozenset({("organiser", "a"), ("agenda", "x")}), frozenset({("organiser", "b")})}


def test_the_same_weekly_meetup_name_in_both_cities_is_two_events() -> None:
    weekly = "FREQ=WEEKLY;COUNT=8;BYDAY=TH"
    events = [ev("community", "p", "French Tech Apéro", at(5, 18, 0, 3), rrule=weekly),
              ev("sf-feed", "s", "French Tech Apéro", at(6, 2, 30, 3), rrule=weekly)]
    assert len({e.uid for e in run(events)}) == 2


def test_instances_published_one_by_one_become_overrides_of_the_series() -> None:
    master = ev("community", "m", "Paris AI Tinkerers", at(3, 18, 0, 3),
                rrule="FREQ=WEEKLY;COUNT=10;BYDAY=TU")
    moved = ev("community", "m", "Paris AI Tinkerers", at(25, 18, 30, 3), rid="20260324T180000Z")
    copies = [ev("agenda", "i1", "Paris AI Tinkerers — meetup hebdo", at(10, 18, 0, 3)),
              ev("agenda", "i2", "Paris AI Tinkerers — meetup hebdo", at(25, 18, 30, 3))]
    published = run([master, moved, *copies])
    assert len({e.uid for e in published}) == 1
    by_rid = {e.recurrence_id: e for e in published}
    assert sources(by_rid["20260310T180000Z"]) == {("agenda", "i1")}
    assert by_rid["20260310T180000Z"].data.start == at(10, 18, 0, 3)
    assert sources(by_rid["20260324T180000Z"]) == {("agenda", "i2"), ("community", "m")}
    assert by_rid["20260324T180000Z"].data.start == at(25, 18, 30, 3)


def test_a_series_copied_under_another_uid_is_one_series() -> None:
    rule = "FREQ=WEEKLY;UNTIL=20260430T215959Z;BYDAY=TH"
    events = [ev("community", "s1", "French Tech Apéro", at(5, 18, 0, 3), rrule=rule),
              ev("agenda", "s2", "French Tech Apéro (Paris) — chaque jeudi", at(5, 18, 0, 3),
                 rrule=rule)]
    [event] = run(events)
    assert sources(event) == {("community", "s1"), ("agenda", "s2")} and event.data.rrule == rule


def test_an_event_listed_by_the_other_city_feed_takes_place_where_its_zone_says() -> None:
    sf_copy = ev("community", "j", "Watch party: opening keynote", at(11, 16),
                 city="san-francisco")
    events = [ev("sf-feed", "w", "Watch party: opening keynote", at(11, 16)), sf_copy,
              ev("organiser", "k", "Opening keynote", at(11, 16))]
    published = run(events)
    assert sorted(len(e.sources) for e in published) == [1, 2]
    assert {e.city for e in published if len(e.sources) == 2} == {"san-francisco"}


def test_rules_force_and_forbid_merges() -> None:
    two = KEYNOTE[:2]
    assert len(run(two, rules=[Rule("no-merge", "organiser:k1", "agenda:a-9")])) == 2
    other = ev("agenda", "z", "Something else entirely", at(11, 16))
    forced = run([KEYNOTE[0], other], rules=[Rule("merge", "organiser:k1", "agenda:z")])
    assert len(forced) == 1 and "config rule" in " ".join(forced[0].reasons)


def test_the_uid_stays_when_a_source_joins_or_leaves() -> None:
    first = run(KEYNOTE[1:])
    previous = assignments(first)
    joined = run(KEYNOTE, previous=previous)  # the best-ranked source joins
    assert [e.uid for e in joined] == [e.uid for e in first]
    left = run([KEYNOTE[0], KEYNOTE[2]], previous=assignments(joined))
    assert [e.uid for e in left] == [e.uid for e in first]
    assert run(KEYNOTE)[0].uid != first[0].uid  # without history the anchor names it


CORPUS = [*KEYNOTE,
          ev("organiser", "a", "Smart City Lab — Session A : mobilité", at(12, 12)),
          ev("organiser", "b", "Smart City Lab — Session B : énergie", at(12, 12)),
          ev("agenda", "x", "Smart City Lab : mobilité", at(12, 12)),
          ev("community", "m", "Paris AI Tinkerers", at(3, 18, 0, 3),
             rrule="FREQ=WEEKLY;COUNT=4;BYDAY=TU"),
          ev("agenda", "i1", "Paris AI Tinkerers", at(10, 18, 0, 3)),
          ev("sf-feed", "s", "Paris AI Tinkerers", at(10, 18, 0, 3))]


@settings(max_examples=30, deadline=None)
@given(st.randoms(use_true_random=False))
def test_order_of_feeds_and_events_does_not_matter(rnd: random.Random) -> None:
    shuffled = list(CORPUS)
    rnd.shuffle(shuffled)
    feeds = list(FEEDS.items())
    rnd.shuffle(feeds)
    assert dedupe(shuffled, dict(feeds), cities=CITIES) == run(CORPUS)


def test_dedupe_is_idempotent() -> None:
    once = run(CORPUS)
    keys = {k for e in once for k in e.sources}
    again = run([e for e in CORPUS if e.key in keys], previous=assignments(once))
    assert again == once and run(CORPUS, previous=assignments(again)) == once


def test_the_latest_revision_of_a_source_wins() -> None:
    old = KEYNOTE[0]
    new = replace(old, sequence=2, data=replace(old.data, status="CANCELLED"))
    [event] = run([new, old])
    assert event.data.cancelled
