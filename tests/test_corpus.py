"""Every real-world file of tests/data/corpus (see its README) through parse + normalise.

``expect=parses`` files must parse and normalise without an exception, keep every VEVENT
icalendar reads (normalised or skipped with a reason) and not depend on component order;
``expect=malformed`` files must end as a ParseError or as skipped components, never as
another exception.
"""

from __future__ import annotations

import csv
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from event_bridge.errors import ParseError
from event_bridge.intake.normalise import normalise
from event_bridge.intake.parse import parse_calendar
from event_bridge.model import NOTE_PREFIX, City, FeedSource, Skipped, SourceEvent
from event_bridge.tz.names import iana_zone
from event_bridge.tz.resolve import NAMESPACE
from test_normalise import reverse_components

CORPUS = Path(__file__).parent / "data" / "corpus"
CITIES = {
    "paris": City("paris", "Paris", "Europe/Paris"),
    "san-francisco": City("san-francisco", "San Francisco", "America/Los_Angeles"),
}
FEED = FeedSource("corpus", "paris", "corpus.ics")


def _rows() -> list[dict[str, str]]:
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8", newline="") as manifest:
        return list(csv.DictReader(manifest, delimiter="\t"))


ROWS = _rows()
PARSES = [r for r in ROWS if r["expect"] == "parses"]
MALFORMED = [r for r in ROWS if r["expect"] == "malformed"]


def _read(row: dict[str, str]) -> tuple[list[SourceEvent], list[Skipped]]:
    parsed = parse_calendar((CORPUS / row["file"]).read_bytes(), FEED.id)
    events, skipped = normalise(parsed, FEED, CITIES)
    return events, [*parsed.skipped, *skipped]


def _icalendar_events(row: dict[str, str]) -> int:
    found = re.match(r"ok (\d+) events", row["icalendar7"])
    return int(found.group(1)) if found else 0


def test_manifest_lists_every_copied_file() -> None:
    listed = {row["file"] for row in ROWS}
    on_disk = {str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*.ics")}
    assert listed == on_disk
    assert len(PARSES) > 70 and len(MALFORMED) > 20


@pytest.mark.parametrize("row", PARSES, ids=[r["file"] for r in PARSES])
def test_parses_files_normalise_and_keep_every_vevent(row: dict[str, str]) -> None:
    events, skipped = _read(row)
    expected = _icalendar_events(row)
    if expected:
        assert events
    dropped = [s for s in skipped if not s.reason.startswith(NOTE_PREFIX)]
    assert len(events) + len(dropped) == expected, [s.reason for s in dropped]
    for event in events:
        _check(event)


@pytest.mark.parametrize("row", MALFORMED, ids=[r["file"] for r in MALFORMED])
def test_malformed_files_end_as_parse_error_or_skipped_components(row: dict[str, str]) -> None:
    try:
        events, skipped = _read(row)
    except ParseError as error:
        assert str(error)
        return
    for event in events:
        _check(event)
    assert all(s.reason for s in skipped)


@pytest.mark.parametrize("row", PARSES, ids=[r["file"] for r in PARSES])
def test_parses_files_do_not_depend_on_component_order(row: dict[str, str]) -> None:
    text = (CORPUS / row["file"]).read_bytes().decode("utf-8", "replace")
    if text.upper().count("BEGIN:VCALENDAR") != 1:
        pytest.skip("not exactly one VCALENDAR: the reversing helper needs one")
    as_written = _read_text(text)
    assert _read_text(reverse_components(text)) == as_written


def _read_text(text: str) -> tuple[list[SourceEvent], list[Skipped]]:
    parsed = parse_calendar(text.encode(), FEED.id)
    return normalise(parsed, FEED, CITIES)


def _check(event: SourceEvent) -> None:
    """The EventData contract: UTC instants or dates, an end, a zone for timed events."""
    data = event.data
    if isinstance(data.start, datetime):
        assert data.start.tzinfo is UTC and isinstance(data.end, datetime)
        assert data.end.tzinfo is UTC
        namespaced = data.tzid.startswith(NAMESPACE + "/")
        assert namespaced or iana_zone(data.tzid) is not None
        assert bool(data.tz_definition) == namespaced
    else:
        assert isinstance(data.end, date) and not isinstance(data.end, datetime)
        assert data.tzid == ""
    assert data.end >= data.start  # type: ignore[operator]
    assert event.city in CITIES
