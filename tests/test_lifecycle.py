"""Issue 3, revisions and lifecycle, through the real pipeline: file feeds, a real SQLite
file, an injected clock.  SEQUENCE moves on meaningful change only; cancellations and
vanished events are published as tombstones; the mass-deletion guard holds sudden losses;
removed feeds and the publication window; privacy by default."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import pytest

from event_bridge.clock import FixedClock
from event_bridge.config import reader as config
from event_bridge.fetch.http import HttpFetcher
from event_bridge.intake.normalise import normalise
from event_bridge.intake.parse import parse_calendar
from event_bridge.store.sql import open_repository
from event_bridge.sync import pipeline

T0 = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)


def vevent(uid: str, summary: str, start: str, *, stamp: str = "20270101T000000Z",
           extra: str = "") -> str:
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:{stamp}\r\nLAST-MODIFIED:{stamp}\r\n"
            f"DTSTART;TZID=Europe/Paris:{start}\r\nDURATION:PT1H\r\nSUMMARY:{summary}\r\n"
            f"{extra}END:VEVENT\r\n")


def calendar(*events: str, prodid: str = "-//test//one//EN") -> bytes:
    return (f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:{prodid}\r\n" + "".join(events)
            + "END:VCALENDAR\r\n").encode()


EVENTS = [vevent(f"e{i}@test", f"Atelier numéro {i}", f"202703{10 + i:02d}T180000")
          for i in range(6)]


class Bridge:
    """A config with two feeds on files, a SQLite store and a clock we move by hand."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.clock = FixedClock(T0)
        self.write("main.ics", calendar(*EVENTS))
        self.write("other.ics", calendar(vevent("o1@test", "Other", "20270320T100000")))
        self.config_text = (
            '[database]\nurl = "sqlite:///b.db"\n'
            '[cities.paris]\nname = "Paris"\ntimezone = "Europe/Paris"\n'
            '[cities.san-francisco]\nname = "San Francisco"\n'
            'timezone = "America/Los_Angeles"\n'
            '[[feeds]]\nid = "main"\ncity = "paris"\nurl = "main.ics"\n'
            '[[feeds]]\nid = "other"\ncity = "paris"\nurl = "other.ics"\n')
        self.reload()

    def reload(self, text: str | None = None) -> None:
        if text is not None:
            self.config_text = text
        (self.folder / "b.toml").write_text(self.config_text)
        self.settings = config.load(self.folder / "b.toml")

    def write(self, name: str, body: bytes) -> None:
        (self.folder / name).write_bytes(body)

    def sync(self, force: bool = False) -> pipeline.SyncReport:
        repo = open_repository(self.settings.database_url)
        with HttpFetcher(self.settings.fetch, self.settings.base_dir, self.clock) as fetcher:
            return pipeline.run_once(self.settings, fetcher, repo, self.clock, force=force)

    def feed(self) -> bytes:
        snap = open_repository(self.settings.database_url).snapshot("calendar")
        assert snap is not None
        return snap.body

    def events(self) -> dict[str, icalendar.Event]:
        cal = icalendar.Calendar.from_ical(self.feed())
        return {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}


@pytest.fixture
def bridge(tmp_path: Path) -> Bridge:
    return Bridge(tmp_path)


def sequences(bridge: Bridge) -> dict[str, int]:
    return {k: int(e["SEQUENCE"]) for k, e in bridge.events().items()}


def test_volatile_changes_keep_bytes_and_sequence(bridge: Bridge) -> None:
    bridge.sync()
    before = bridge.feed()
    volatile = [e.replace("20270101T000000Z", "20270105T101010Z") for e in EVENTS]
    bridge.write("main.ics", calendar(*reversed(volatile), prodid="-//other producer//EN"))
    bridge.clock.advance(timedelta(hours=1))
    report = bridge.sync()
    assert report.feeds[0].status == "ok"  # the bytes did change, so it was re-read
    assert bridge.feed() == before


def test_changed_summary_bumps_exactly_that_sequence(bridge: Bridge) -> None:
    bridge.sync()
    seq0 = sequences(bridge)
    edited = [*EVENTS]
    edited[2] = edited[2].replace("Atelier numéro 2", "Atelier numéro 2 (salle B)")
    bridge.write("main.ics", calendar(*edited))
    bridge.clock.advance(timedelta(hours=1))
    bridge.sync()
    seq1 = sequences(bridge)
    assert seq1.pop("Atelier numéro 2 (salle B)") == seq0.pop("Atelier numéro 2") + 1
    assert seq1 == seq0
    stamp = bridge.events()["Atelier numéro 2 (salle B)"]["DTSTAMP"].dt
    assert stamp == T0 + timedelta(hours=1)


def test_source_cancellation_is_published_cancelled(bridge: Bridge) -> None:
    bridge.sync()
    cancelled = [*EVENTS]
    cancelled[1] = cancelled[1].replace("END:VEVENT", "STATUS:CANCELLED\r\nEND:VEVENT")
    bridge.write("main.ics", calendar(*cancelled))
    bridge.sync()
    event = bridge.events()["Atelier numéro 1"]
    assert event["STATUS"] == "CANCELLED" and int(event["SEQUENCE"]) == 1


def test_vanished_event_becomes_tombstone_then_leaves(bridge: Bridge) -> None:
    bridge.sync()
    bridge.write("main.ics", calendar(*EVENTS[:5]))
    bridge.sync()
    tomb = bridge.events()["Atelier numéro 5"]
    assert tomb["STATUS"] == "CANCELLED" and int(tomb["SEQUENCE"]) == 1
    bridge.clock.advance(timedelta(days=6))
    bridge.sync()
    assert "Atelier numéro 5" in bridge.events()
    bridge.clock.advance(timedelta(days=1, minutes=1))
    bridge.sync()
    assert "Atelier numéro 5" not in bridge.events()


def test_mass_deletion_is_held_until_it_persists(bridge: Bridge) -> None:
    bridge.sync()
    bridge.write("main.ics", calendar(*EVENTS[:2]))
    held = bridge.sync()
    assert held.feeds[0].status == "held" and "held" in held.feeds[0].note
    assert len([s for s in bridge.events() if s.startswith("Atelier")]) == 6
    assert not any(e.get("STATUS") == "CANCELLED" for e in bridge.events().values())
    bridge.sync()
    applied = bridge.sync()  # third sync in a row: confirm_syncs = 3
    assert applied.feeds[0].status == "ok"
    cancelled = [k for k, e in bridge.events().items() if e.get("STATUS") == "CANCELLED"]
    assert len(cancelled) == 4


def test_empty_answer_is_held_and_force_applies_it(bridge: Bridge) -> None:
    bridge.sync()
    bridge.write("main.ics", calendar())
    assert bridge.sync().feeds[0].status == "held"
    assert bridge.sync(force=True).feeds[0].status == "ok"
    statuses = {k: str(e.get("STATUS")) for k, e in bridge.events().items()}
    assert all(statuses[f"Atelier numéro {i}"] == "CANCELLED" for i in range(6))


def test_removed_feed_becomes_tombstones(bridge: Bridge) -> None:
    bridge.sync()
    text = bridge.config_text.split('[[feeds]]\nid = "other"')[0]
    bridge.reload(text)
    report = bridge.sync()
    assert any("other" in note for note in report.notes)
    assert bridge.events()["Other"]["STATUS"] == "CANCELLED"


def test_publication_window_drops_old_events(bridge: Bridge) -> None:
    bridge.write("other.ics", calendar(vevent("old@test", "Ancient", "20240101T100000")))
    bridge.sync()
    assert "Ancient" not in bridge.events()
    text = bridge.config_text + "[publish]\npast_days = 2000\n"
    bridge.reload(text)
    bridge.sync()
    assert "Ancient" in bridge.events()


def test_private_events_and_personal_data_are_not_republished(bridge: Bridge) -> None:
    alarm = ("ATTENDEE;CN=Jane:mailto:jane@example.org\r\nATTACH:https://x.example/a.pdf\r\n"
             "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:hi\r\nTRIGGER:-PT10M\r\n"
             "END:VALARM\r\n")
    events = [vevent("p@test", "Secret", "20270301T100000", extra="CLASS:PRIVATE\r\n"),
              vevent("c@test", "Hidden", "20270302T100000", extra="CLASS:CONFIDENTIAL\r\n"),
              vevent("a@test", "Public", "20270303T100000", extra=alarm)]
    bridge.write("other.ics", calendar(*events))
    bridge.sync()
    body = bridge.feed()
    assert b"Secret" not in body and b"Hidden" not in body and b"Public" in body
    assert b"VALARM" not in body and b"ATTENDEE" not in body and b"ATTACH" not in body
    bridge.reload(bridge.config_text + "[publish]\nallow_private = true\n")
    bridge.sync()
    assert b"Secret" in bridge.feed()


def test_failed_feed_keeps_events_and_resync_is_cheap(bridge: Bridge) -> None:
    first = bridge.sync()
    (bridge.folder / "other.ics").unlink()
    report = bridge.sync()
    assert report.failed and report.feeds[1].status == "failed"
    assert "Other" in bridge.events() and report.etag == first.etag


def test_unchanged_resync_skips_republishing(bridge: Bridge) -> None:
    first = bridge.sync()
    second = bridge.sync()
    assert [f.status for f in second.feeds] == ["unchanged", "unchanged"]
    assert second.fingerprint == first.fingerprint and second.etag == first.etag
    later = replace(bridge.clock, current=T0 + timedelta(days=1))
    bridge.clock = later
    assert bridge.sync().fingerprint != first.fingerprint


def test_events_stored_by_a_run_that_died_before_publishing_get_published(
        bridge: Bridge) -> None:
    """A run that stored a feed and then died (no run recorded) must not leave the next,
    otherwise unchanged, sync skipping the publication."""
    bridge.sync()
    grown = calendar(*EVENTS, vevent("late@test", "Arrivé tard", "20270330T100000"))
    bridge.write("main.ics", grown)
    # what the dead run left behind: the feed's new events and state, nothing published
    settings = bridge.settings
    repo = open_repository(settings.database_url)
    with HttpFetcher(settings.fetch, settings.base_dir, bridge.clock) as fetcher:
        result = fetcher.fetch(settings.feed("main"), repo.feed_state("main").validators)
    stored = normalise(parse_calendar(result.body or b"", "main"),
                       settings.feed("main"), settings.cities)[0]
    repo.replace_source_events("main", stored, bridge.clock.now())
    repo.save_feed_state(replace(repo.feed_state("main"), validators=result.validators,
                                 event_count=len(stored)))
    assert "Arrivé tard" not in bridge.events()
    report = bridge.sync()
    assert report.feeds[0].status == "unchanged"
    assert "Arrivé tard" in bridge.events()
