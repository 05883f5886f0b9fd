"""Issue 13: the page's language from ``?lang=`` or ``Accept-Language`` (q-values honoured),
and a feed's text language from its config or its city's country."""

from __future__ import annotations

import pytest

from event_bridge.config.checks import zone_language
from event_bridge.web.page import choose_language


@pytest.mark.parametrize(("asked", "header", "expected"), [
    ("", "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7", "fr"),
    ("", "en-US,en;q=0.9", "en"),
    ("", "de-DE,fr;q=0.5,en;q=0.4", "fr"),
    ("", "en;q=0.2,fr-CA;q=0.8", "fr"),
    ("", "fr;q=0,en", "en"),
    ("", "de, it", "en"),
    ("", "", "en"),
    ("en", "fr-FR", "en"),
    ("fr", "en-US", "fr"),
    ("xx", "fr-FR", "fr"),
])
def test_choose_language(asked: str, header: str, expected: str) -> None:
    assert choose_language(asked, header) == expected


@pytest.mark.parametrize(("zone", "language"), [
    ("Europe/Paris", "fr"), ("America/Los_Angeles", "en"), ("Europe/Berlin", "de"),
    ("UTC", "en")])
def test_language_of_a_city_from_its_zone(zone: str, language: str) -> None:
    assert zone_language(zone) == language


def _config(tmp_path, language: str):  # type: ignore[no-untyped-def]
    from event_bridge.config import reader

    (tmp_path / "f.ics").write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    line = f'language = "{language}"\n' if language else ""
    path = tmp_path / "c.toml"
    path.write_text('[cities.paris]\ntimezone = "Europe/Paris"\n'
                    '[cities.sf]\ntimezone = "America/Los_Angeles"\n'
                    '[[feeds]]\nid = "a"\ncity = "paris"\nurl = "f.ics"\n'
                    f'[[feeds]]\nid = "b"\ncity = "sf"\nurl = "f.ics"\n{line}')
    return reader.load(path)


def test_feed_language_defaults_from_its_city(tmp_path) -> None:  # type: ignore[no-untyped-def]
    s = _config(tmp_path, "")
    assert [f.language for f in s.feeds] == ["fr", "en"]
    assert [f.language for f in _config(tmp_path, "es").feeds] == ["fr", "es"]


def test_feed_language_must_be_a_tag(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from event_bridge.errors import ConfigError

    with pytest.raises(ConfigError, match="language: must be a language tag"):
        _config(tmp_path, "French")


def test_json_ld_marks_moved_and_cancelled_instances() -> None:
    import json
    from datetime import UTC, datetime

    from event_bridge.model import City
    from event_bridge.web.agenda import Occurrence
    from event_bridge.web.page import json_ld

    cities = {"paris": City("paris", "Paris", "Europe/Paris")}
    at = datetime(2026, 3, 24, 19, tzinfo=UTC)

    def occ(rid: str, start: datetime, cancelled: bool = False) -> Occurrence:
        return Occurrence("u@x", rid, "paris", "Meetup </script><b>", "", "", (), start,
                          start, cancelled, ())

    text = json_ld([occ("", at), occ("20260324T190000Z", at.replace(hour=20)),
                    occ("20260331T190000Z", at.replace(day=31), cancelled=True)], cities, {})
    assert "</script>" not in text and "<b>" not in text
    events = json.loads(text)
    assert [e["eventStatus"].rsplit("/", 1)[1] for e in events] == [
        "EventScheduled", "EventRescheduled", "EventCancelled"]
    assert events[1]["previousStartDate"] == "2026-03-24T19:00:00Z"
    assert events[0]["name"] == "Meetup </script><b>"
