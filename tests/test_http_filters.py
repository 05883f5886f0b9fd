"""Issue 13 (and issue 10 item 9): feed filters (folded search, ``cancelled=hide``,
``from=``), HEAD on every GET route, and out-of-range dates answered 400 with one line,
never 500, never a traceback in the log.  Over a real ``serve`` of a real synced store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from event_bridge.intake.folding import fold
from live_server import Serve, sync, write_config

ZONES = ("Europe/Paris", "America/Los_Angeles")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    config = write_config(tmp_path_factory.mktemp("filters"))
    sync(config)
    server = Serve(config)
    yield server
    server.stop()


def calendar(live: Serve, path: str) -> icalendar.Calendar:
    reply = live.get(path)
    assert reply.status == 200, reply.body
    return icalendar.Calendar.from_ical(reply.body)


def uids(live: Serve, path: str) -> set[str]:
    return {str(e["UID"]) for e in calendar(live, path).walk("VEVENT")}


@pytest.mark.parametrize(("plain", "written"), [
    ("numerique", "numérique"), ("soeurs", "sœurs"), ("Hotel de Ville", "Hôtel de Ville"),
    ("paris-sf", "Paris–SF"), ("PARIS SF", "paris – sf")])
def test_search_folds_like_matching(live: Serve, plain: str, written: str) -> None:
    assert fold(plain) == fold(written), "the pair is one word for the matcher"
    found = uids(live, f"/calendar.ics?q={quote(plain)}")
    assert found, f"{plain!r} finds the events that write {written!r}"
    assert found == uids(live, f"/calendar.ics?q={quote(written)}")
    assert found < uids(live, "/calendar.ics")


def test_cancelled_hide(live: Serve) -> None:
    everything = list(calendar(live, "/calendar.ics").walk("VEVENT"))
    cancelled = {str(e["UID"]) for e in everything if e.get("STATUS") == "CANCELLED"
                 and "RECURRENCE-ID" not in e}
    assert cancelled, "the sister-cities data has cancelled events"
    kept = list(calendar(live, "/calendar.ics?cancelled=hide").walk("VEVENT"))
    live_masters = {str(e["UID"]) for e in kept if "RECURRENCE-ID" not in e}
    assert live_masters and not live_masters & cancelled
    for event in kept:
        if event.get("STATUS") == "CANCELLED":  # a cancelled instance of a series that is on
            assert "RECURRENCE-ID" in event and str(event["UID"]) in live_masters
    wanted = {str(e["UID"]) for e in everything if "RECURRENCE-ID" not in e} - cancelled
    assert live_masters == wanted
    assert live.get("/calendar.ics?cancelled=maybe").status == 400


def still_on(cal: icalendar.Calendar, since: datetime) -> set[str]:
    """The oracle: UIDs with an occurrence ending after ``since`` (recurring-ical-events)."""
    found = recurring_ical_events.of(cal).between(since, since + timedelta(days=3650))
    return {str(e["UID"]) for e in found}


@pytest.mark.parametrize("day", ["2026-06-15", "2026-09-01"])
def test_from_a_day_keeps_what_is_still_on(live: Serve, day: str) -> None:
    since = min(datetime.fromisoformat(day).replace(tzinfo=ZoneInfo(z)) for z in ZONES)
    full = calendar(live, "/calendar.ics")
    got = uids(live, f"/calendar.ics?from={day}")
    assert got == still_on(full, since)
    assert 0 < len(got) < len({str(e["UID"]) for e in full.walk("VEVENT")})


def test_from_today(live: Serve) -> None:
    now = datetime.now(UTC)
    today = min(now.astimezone(ZoneInfo(z)).date() for z in ZONES)
    since = min(datetime.combine(today, datetime.min.time(), ZoneInfo(z)) for z in ZONES)
    before = uids(live, "/cities/paris.ics?from=today&cancelled=hide")
    full = calendar(live, "/cities/paris.ics")
    cancelled = {str(e["UID"]) for e in full.walk("VEVENT") if e.get("STATUS") == "CANCELLED"}
    assert before == still_on(full, since) - cancelled
    reply = live.get("/cities/paris.ics?from=today&cancelled=hide")
    again = live.get("/cities/paris.ics?from=today&cancelled=hide",
                     if_none_match=reply.headers["etag"])
    assert again.status == 304, "a filtered feed keeps its ETag and 304"
    zipped = live.get("/cities/paris.ics?from=today&cancelled=hide", accept_encoding="gzip")
    assert zipped.headers["content-encoding"] == "gzip"


GET_ROUTES = ["/", "/?from=2026-06-01", "/api/events", "/metrics", "/healthz",
              "/calendar.ics", "/linked.ics", "/cities/paris.ics",
              "/calendar.ics?q=numerique&cancelled=hide&from=today"]


@pytest.mark.parametrize("path", GET_ROUTES)
def test_head_on_every_get_route(live: Serve, path: str) -> None:
    got = live.get(path)
    head = live.get(path, method="HEAD")
    assert got.status == head.status == 200
    assert head.body == b""
    assert head.headers["content-type"] == got.headers["content-type"]


BAD = [("/?from=9999-12-31", "text/html"), ("/?from=0001-01-01", "text/html"),
       ("/?from=June", "text/html"),
       ("/api/events?from=0001-01-01", "application/json"),
       ("/api/events?from=9999-12-31", "application/json"),
       ("/api/events?from=2026-01-01&to=9999-12-31", "application/json"),
       ("/api/events?to=0001-01-01", "application/json"),
       ("/calendar.ics?from=9999-12-31", "text/plain"),
       ("/calendar.ics?from=0001-01-01", "text/plain")]


@pytest.mark.parametrize(("path", "kind"), BAD)
def test_out_of_range_dates_are_a_one_line_400(live: Serve, path: str, kind: str) -> None:
    reply = live.get(path)
    assert reply.status == 400
    assert reply.headers["content-type"].startswith(kind)
    text = reply.body.decode().strip()
    if kind == "application/json":
        text = json.loads(text)["detail"]
    assert "\n" not in text and ("YYYY-MM-DD" in text or "out of range" in text)
    assert "Traceback" not in Path(live.log_path).read_text()


@pytest.mark.parametrize("query", ["cancelled=hide", "from=2026-06-15", "q=apero",
                                   "category=meetup", "from=2026-03-20&cancelled=hide"])
def test_filters_keep_series_whole(live: Serve, query: str) -> None:
    """An override never leaves without its master (clients would show the instance again
    at its original time), and a kept master keeps all its overrides."""
    def series(path: str) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for e in calendar(live, path).walk("VEVENT"):
            rid = e.get("RECURRENCE-ID")
            out.setdefault(str(e["UID"]), set()).add(rid.to_ical().decode() if rid else "")
        return out

    full, part = series("/calendar.ics"), series(f"/calendar.ics?{query}")
    assert part, query
    assert any(len(v) > 1 for v in full.values()), "the data has series with overrides"
    for uid, keys in part.items():
        if "" in full[uid]:
            assert keys == full[uid], f"{uid}: series cut by {query}"


def test_city_parameter(live: Serve) -> None:
    assert live.get("/calendar.ics?city=paris").body == live.get("/cities/paris.ics").body
    narrowed = uids(live, "/calendar.ics?city=san-francisco&cancelled=hide")
    assert narrowed == uids(live, "/cities/san-francisco.ics?cancelled=hide")
    assert uids(live, "/linked.ics?city=paris") < uids(live, "/linked.ics")
    for bad in ("/calendar.ics?city=lyon", "/cities/paris.ics?city=san-francisco"):
        reply = live.get(bad)
        assert reply.status == 400 and reply.body.decode().startswith("city: ")
