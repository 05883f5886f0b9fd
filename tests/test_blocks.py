"""Splitting a feed body into units of VEVENT blocks and hashing them (issue 11): what makes
a unit's hash move, and which bodies are read whole instead."""

from __future__ import annotations

from event_bridge.intake.blocks import read_units, split_feed
from event_bridge.intake.normalise import normalise
from event_bridge.intake.parse import parse_calendar
from event_bridge.model import City, FeedSource

CITIES = {"paris": City("paris", "Paris", "Europe/Paris")}
FEED = FeedSource("main", "paris", "main.ics")


def vevent(uid: str, summary: str = "Atelier", stamp: str = "20270101T000000Z",
           extra: str = "", tzid: str = "Europe/Paris") -> str:
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:{stamp}\r\n"
            f"DTSTART;TZID={tzid}:20270310T180000\r\nDURATION:PT1H\r\n"
            f"SUMMARY:{summary}\r\n{extra}END:VEVENT\r\n")


def calendar(*events: str, name: str = "Agenda") -> bytes:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
            f"X-WR-CALNAME:{name}\r\n" + "".join(events) + "END:VCALENDAR\r\n").encode()


def digests(body: bytes, salt: str = "s") -> dict[str, str]:
    split = split_feed(body, salt)
    assert split is not None
    return {u.uid: u.digest for u in split.units}


def test_dtstamp_order_and_folding_do_not_move_a_hash() -> None:
    base = digests(calendar(vevent("a"), vevent("b")))
    folded = vevent("a", "Atelier").replace("SUMMARY:Atelier", "SUMMARY:Ate\r\n lier")
    assert digests(calendar(vevent("b", stamp="20991231T235959Z"), folded)) == base


def test_a_changed_line_moves_only_its_unit() -> None:
    base = digests(calendar(vevent("a"), vevent("b")))
    after = digests(calendar(vevent("a", "Concert"), vevent("b")))
    assert after["a"] != base["a"] and after["b"] == base["b"]


def test_context_and_salt_move_every_hash() -> None:
    base = digests(calendar(vevent("a"), vevent("b")))
    renamed = digests(calendar(vevent("a"), vevent("b"), name="Other"))
    salted = digests(calendar(vevent("a"), vevent("b")), salt="other config")
    assert not set(base.values()) & set(renamed.values())
    assert not set(base.values()) & set(salted.values())


def test_a_series_and_its_overrides_are_one_unit() -> None:
    override = vevent("s", "Moved").replace(
        "DTSTART;", "RECURRENCE-ID;TZID=Europe/Paris:20270317T180000\r\nDTSTART;")
    split = split_feed(calendar(vevent("s", extra="RRULE:FREQ=WEEKLY;COUNT=3\r\n"), override),
                       "s")
    assert split is not None and [len(u.blocks) for u in split.units] == [2]


def test_bodies_read_whole() -> None:
    assert split_feed(calendar(vevent("a", tzid="Romance Standard Time")), "s") is None
    assert split_feed(calendar(vevent("a").replace("UID:a\r\n", "")), "s") is None
    assert split_feed(calendar(vevent("a"))[:-40], "s") is None  # cut inside END:VEVENT
    assert split_feed(calendar(vevent("a")).replace(b"Atelier", b"Atelier \xe9"), "s") is None
    assert split_feed(calendar(), "s") is None
    twice = calendar(vevent("a")) + calendar(vevent("b"))
    assert split_feed(twice, "s") is None


def test_units_read_as_the_whole_body_reads() -> None:
    body = calendar(vevent("a"), vevent("b", "Concert, jazz"),
                    vevent("c", extra="STATUS:CANCELLED\r\nCATEGORIES:Musique\r\n"))
    split = split_feed(body, "s")
    assert split is not None
    reads = read_units(split.context, split.header, split.units, FEED, CITIES)
    assert all(not r.skipped for r in reads)
    whole, _ = normalise(parse_calendar(body, "main"), FEED, CITIES)
    assert sorted((e for r in reads for e in r.events), key=lambda e: e.key) == whole


def test_a_unit_with_a_note_is_reported() -> None:
    body = calendar(vevent("a"), vevent("b").replace("DTSTART;TZID=Europe/Paris:20270310T180000",
                                                     "DTSTART;TZID=Europe/Paris:2027-03-10"))
    split = split_feed(body, "s")
    assert split is not None
    reads = {r.digest: r for r in read_units(split.context, split.header, split.units, FEED,
                                             CITIES)}
    by_uid = {u.uid: reads[u.digest] for u in split.units}
    assert not by_uid["a"].skipped and by_uid["a"].events
    assert by_uid["b"].skipped and not by_uid["b"].events
