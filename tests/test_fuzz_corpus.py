"""Issue 10, acceptance 5: Hypothesis mutates the corpus files (tests/data/corpus) and
sends each mutant through intake → store → publication.  Nothing may raise outside the
project's error tree, and every publication must be a calendar icalendar reads back with
one VEVENT per published event.  ``EVENT_BRIDGE_FUZZ_EXAMPLES`` sets the number of cases
(default 50; the closing note of issue 10 reports a longer run)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import icalendar
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from event_bridge.config.reader import parse
from event_bridge.errors import EventBridgeError
from event_bridge.intake.normalise import normalise
from event_bridge.intake.parse import parse_calendar
from event_bridge.store.memory import MemoryRepository
from event_bridge.sync.publication import publish_all

CORPUS = sorted((Path(__file__).parent / "data" / "corpus").rglob("*.ics"))
EXAMPLES = int(os.environ.get("EVENT_BRIDGE_FUZZ_EXAMPLES", "50"))
NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
SETTINGS = parse({"cities": {"paris": {"name": "Paris", "timezone": "Europe/Paris"}},
                  "feeds": [{"id": "fuzz", "city": "paris", "url": "fuzz.ics"}]},
                 Path("bridge.toml"))
NASTY = [b"\x00", b"\r", b"\n", b"\x1b[31m", b"^n", b"\\", b";", b":", b",", b'"', b"\xff",
         b"\xef\xbb\xbf", b"END:VEVENT\r\n", b"BEGIN:VEVENT\r\n", b"BEGIN:VTIMEZONE\r\n",
         b"DTSTART:00010101T000000Z\r\n", b"DTSTART:99991231\r\n", b"RRULE:FREQ=SECONDLY\r\n",
         b"RRULE:FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=31\r\n", b"RECURRENCE-ID:20260101\r\n",
         b'ORGANIZER;CN="a^nEND:VEVENT^nBEGIN:VEVENT":mailto:x\r\n', b";TZID=Nowhere",
         b"EXDATE:2026", b"\r\n ", "é".encode(), b"\xf0\x9f\x8e\x89"]


@st.composite
def mutants(draw: st.DrawFn) -> bytes:
    body = bytearray(draw(st.sampled_from(CORPUS)).read_bytes())
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(body)))
        kind = draw(st.sampled_from(["insert", "delete", "replace", "duplicate"]))
        size = draw(st.integers(1, 40))
        if kind == "insert":
            body[at:at] = draw(st.sampled_from(NASTY) | st.binary(max_size=12))
        elif kind == "delete":
            del body[at:at + size]
        elif kind == "replace":
            body[at:at + size] = draw(st.binary(min_size=1, max_size=size))
        else:
            body[at:at] = body[at:at + size * 10]
    return bytes(body)


def run_through(body: bytes) -> None:
    try:
        parsed = parse_calendar(body, "fuzz")
    except EventBridgeError:
        return  # refused with a message: allowed
    feed = SETTINGS.feeds[0]
    events, _skipped = normalise(parsed, feed, SETTINGS.cities)
    repo = MemoryRepository()
    repo.replace_source_events("fuzz", events, NOW)
    published = publish_all(SETTINGS, repo, NOW)
    snapshot = repo.snapshot("calendar")
    assert snapshot is not None
    calendar = icalendar.Calendar.from_ical(snapshot.body)
    assert len(calendar.walk("VEVENT")) >= published.events
    lines = snapshot.body.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]
    begins = [x for x in lines if x.startswith("BEGIN:")]
    assert begins.count("BEGIN:VCALENDAR") == 1
    assert all(":" in x or ";" in x for x in lines)


def test_the_corpus_itself_goes_through() -> None:
    assert len(CORPUS) > 50
    for path in CORPUS:
        run_through(path.read_bytes())


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(body=mutants())
def test_mutated_corpus_files_never_escape_the_error_tree(body: bytes) -> None:
    run_through(body)
