"""Issue 5, acceptance 1: ``event-bridge serve`` as a subprocess over a real synced SQLite
file; every header and status of the HTTP contract (DESIGN.md) checked on the wire."""

from __future__ import annotations

import gzip
import json
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from urllib.parse import quote

import icalendar
import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import run_cli
from event_bridge.web.conditional import accepts_gzip, etag_matches, not_modified
from live_server import HOSTILE_SUMMARY, Serve, sync, write_config

REFRESH = 1800  # [publish] refresh_interval_seconds in the test config


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("served")
    path = write_config(folder, f"[publish]\nrefresh_interval_seconds = {REFRESH}\n")
    sync(path)
    return path


@pytest.fixture(scope="module")
def live(config: Path) -> Iterator[Serve]:
    server = Serve(config)
    yield server
    server.stop()


def vevents(body: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(body).walk("VEVENT"))


def test_feed_is_the_stored_snapshot_with_every_header(live: Serve, config: Path) -> None:
    reply = live.get("/calendar.ics")
    assert reply.status == 200
    h = reply.headers
    assert h["content-type"] == "text/calendar; charset=utf-8"
    assert re.fullmatch(r'"[^"]+"', h["etag"]), "a strong, quoted ETag"
    assert parsedate_to_datetime(h["last-modified"]).tzinfo is not None
    assert h["cache-control"] == f"public, max-age={REFRESH}"
    assert h["content-disposition"] == 'inline; filename="calendar.ics"'
    assert h["vary"] == "Accept-Encoding"
    assert int(h["content-length"]) == len(reply.body)
    assert "content-encoding" not in h
    target = config.parent / "exported.ics"
    assert run_cli("export", "--output", str(target), config=config).returncode == 0
    assert reply.body == target.read_bytes()


def test_calendar_refresh_interval_matches_max_age(live: Serve) -> None:
    cal = icalendar.Calendar.from_ical(live.get("/calendar.ics").body)
    assert cal["REFRESH-INTERVAL"].dt.total_seconds() == REFRESH
    ttl = icalendar.vDuration.from_ical(str(cal["X-PUBLISHED-TTL"]))
    assert ttl.total_seconds() == REFRESH


@pytest.mark.parametrize("header", ["{etag}", '"nope", {etag}', "W/{etag}", "*"])
def test_if_none_match_gives_304(live: Serve, header: str) -> None:
    etag = live.get("/calendar.ics").headers["etag"]
    reply = live.get("/calendar.ics", if_none_match=header.format(etag=etag))
    assert reply.status == 304
    assert reply.body == b""
    assert reply.headers["etag"] == etag
    assert reply.headers["cache-control"] == f"public, max-age={REFRESH}"


def test_other_etag_gives_the_body(live: Serve) -> None:
    reply = live.get("/calendar.ics", if_none_match='"something-else"')
    assert reply.status == 200 and reply.body.startswith(b"BEGIN:VCALENDAR")


def test_if_modified_since(live: Serve) -> None:
    first = live.get("/calendar.ics")
    stamp = first.headers["last-modified"]
    assert live.get("/calendar.ics", if_modified_since=stamp).status == 304
    earlier = format_datetime(parsedate_to_datetime(stamp).replace(year=2000), usegmt=True)
    assert live.get("/calendar.ics", if_modified_since=earlier).status == 200
    # RFC 9110 §13.2.2: a present If-None-Match decides, If-Modified-Since is ignored
    mixed = live.get("/calendar.ics", if_modified_since=stamp, if_none_match='"other"')
    assert mixed.status == 200
    assert live.get("/calendar.ics", if_modified_since="not a date").status == 200


def test_head_has_headers_and_no_body(live: Serve) -> None:
    full = live.get("/calendar.ics")
    head = live.get("/calendar.ics", method="HEAD")
    assert head.status == 200 and head.body == b""
    assert head.headers["content-length"] == str(len(full.body))
    assert head.headers["etag"] == full.headers["etag"]


def test_gzip_is_the_same_bytes_with_its_own_etag(live: Serve) -> None:
    plain = live.get("/calendar.ics")
    packed = live.get("/calendar.ics", accept_encoding="br, gzip;q=0.8")
    assert packed.headers["content-encoding"] == "gzip"
    assert gzip.decompress(packed.body) == plain.body
    assert packed.headers["etag"] != plain.headers["etag"]
    assert packed.headers["vary"] == "Accept-Encoding"
    again = live.get("/calendar.ics", accept_encoding="gzip",
                     if_none_match=packed.headers["etag"])
    assert again.status == 304
    refused = live.get("/calendar.ics", accept_encoding="gzip;q=0, identity")
    assert "content-encoding" not in refused.headers and refused.body == plain.body


@pytest.mark.parametrize("slug", ["paris", "san-francisco"])
def test_city_feed_holds_only_its_city(live: Serve, slug: str) -> None:
    reply = live.get(f"/cities/{slug}.ics")
    assert reply.status == 200
    assert reply.headers["content-disposition"] == f'inline; filename="{slug}.ics"'
    events = vevents(reply.body)
    assert events
    assert {str(e["X-EVENT-BRIDGE-CITY"]) for e in events} == {slug}
    assert live.get(f"/cities/{slug}.ics", if_none_match=reply.headers["etag"]).status == 304


def test_unknown_city_is_404_with_the_known_ones(live: Serve) -> None:
    reply = live.get("/cities/lyon.ics")
    assert reply.status == 404
    assert b"lyon" in reply.body and b"/cities/paris.ics" in reply.body


def test_only_get_and_head(live: Serve) -> None:
    reply = live.get("/calendar.ics", method="POST")
    assert reply.status == 405 and reply.headers["allow"] == "GET, HEAD"


def test_category_filter(live: Serve) -> None:
    everything = vevents(live.get("/calendar.ics").body)
    counts: dict[str, int] = {}
    for event in everything:
        for cat in _categories(event):
            counts[cat] = counts.get(cat, 0) + 1
    category = max(counts, key=lambda c: counts[c])
    reply = live.get(f"/calendar.ics?category={quote(category.upper())}")
    assert reply.status == 200 and re.fullmatch(r'"[^"]+"', reply.headers["etag"])
    chosen = vevents(reply.body)
    assert 0 < len(chosen) < len(everything)
    assert all(category in _categories(e) for e in chosen)
    assert live.get(f"/calendar.ics?category={quote(category)}",
                    if_none_match=reply.headers["etag"]).status == 304


def _categories(event: icalendar.Event) -> set[str]:
    return {c.lower() for c in event.categories}


def test_text_filter_on_a_city(live: Serve) -> None:
    reply = live.get("/cities/paris.ics?q=HACK%20%26%20%3Cb%3Etell")  # "hack & <b>tell"
    chosen = vevents(reply.body)
    assert [str(e["SUMMARY"]) for e in chosen] == [HOSTILE_SUMMARY]
    assert live.get("/calendar.ics?q=no-such-words-anywhere").status == 200
    assert vevents(live.get("/calendar.ics?q=no-such-words-anywhere").body) == []


def test_linked_feed_holds_only_linked_events(live: Serve) -> None:
    reply = live.get("/linked.ics")
    assert reply.status == 200
    assert reply.headers["content-disposition"] == 'inline; filename="linked.ics"'
    linked = vevents(reply.body)
    assert linked, "the sister-cities data has cross-city counterparts"
    assert all("RELATED-TO" in e for e in linked)


def test_healthz_reports_each_feed(live: Serve) -> None:
    reply = live.get("/healthz")
    assert reply.status == 200
    body = json.loads(reply.body)
    assert body["status"] == "ok"
    feeds = {f["id"]: f for f in body["feeds"]}
    assert "paris-fes" in feeds and feeds["paris-fes"]["status"] == "ok"
    assert feeds["paris-fes"]["events"] > 0


def test_metrics_parse_as_prometheus_text(live: Serve) -> None:
    reply = live.get("/metrics")
    assert reply.status == 200 and reply.headers["content-type"].startswith("text/plain")
    families = {f.name: f for f in text_string_to_metric_families(reply.body.decode())}
    events = {s.labels["feed"]: s.value for s in families["event_bridge_feed_events"].samples}
    assert events["paris-fes"] > 0
    outcomes = families["event_bridge_feed_fetch_outcomes"].samples
    assert any(s.labels == {"feed": "paris-fes", "outcome": "ok"} and s.value == 1
               for s in outcomes)
    for name in ("event_bridge_published_events", "event_bridge_sync_duration_seconds",
                 "event_bridge_feed_last_success_age_seconds", "event_bridge_links",
                 "event_bridge_merged_events", "event_bridge_feed_not_modified_ratio",
                 "event_bridge_feed_fetch_seconds"):
        assert families[name].samples, name
    assert families["event_bridge_published_events"].samples[0].value > 0
    fetched = {s.labels["feed"]: s.value
               for s in families["event_bridge_feed_fetched_bytes"].samples}
    assert fetched["paris-fes"] > 1000


def test_api_events_in_both_local_times(live: Serve) -> None:
    reply = live.get("/api/events?city=paris&from=2026-06-01&to=2026-07-01")
    assert reply.status == 200
    events = json.loads(reply.body)["events"]
    assert events and all(e["city"] == "paris" for e in events)
    for event in events:
        assert set(event["local"]) == {"paris", "san-francisco"}
        assert "2026-06-01" <= event["start"][:10] <= "2026-07-01"
    hostile = [e for e in events if e["summary"] == HOSTILE_SUMMARY]
    assert hostile[0]["local"]["paris"]["start"] == "2026-06-10T19:00:00+02:00"
    assert hostile[0]["local"]["san-francisco"]["start"] == "2026-06-10T10:00:00-07:00"
    assert live.get("/api/events?city=lyon").status == 404
    assert live.get("/api/events?from=June").status == 400


def test_page_escapes_what_feeds_say(live: Serve) -> None:
    reply = live.get("/?from=2026-06-01")
    assert reply.status == 200 and reply.headers["content-type"].startswith("text/html")
    page = reply.body.decode()
    assert "Paris" in page and "San Francisco" in page
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<img src=x" not in page
    assert "webcal://127.0.0.1" in page
    assert "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2F127.0.0.1" in page
    assert live.get("/?from=tomorrow").status == 400


def test_before_the_first_sync_feeds_are_503(tmp_path: Path) -> None:
    server = Serve(write_config(tmp_path, hostile=False))
    try:
        reply = server.get("/calendar.ics")
        assert reply.status == 503 and b"sync --once" in reply.body
        assert server.get("/cities/paris.ics").status == 503
        assert server.get("/linked.ics").status == 503
        health = server.get("/healthz")
        assert health.status == 503 and json.loads(health.body)["status"] == "no sync yet"
        assert server.get("/").status == 200
    finally:
        server.stop()


def test_healthz_turns_503_when_stale(tmp_path: Path) -> None:
    config = write_config(tmp_path, "[server]\nhealthz_max_age_seconds = 1\n", hostile=False)
    sync(config)
    server = Serve(config)
    try:
        time.sleep(2.2)
        reply = server.get("/healthz")
        assert reply.status == 503
        body = json.loads(reply.body)
        assert body["status"] == "stale" and body["max_age_seconds"] == 1
        assert {f["id"] for f in body["feeds"]} >= {"paris-fes", "sf-citris"}
        assert server.get("/calendar.ics").status == 200, "stale feeds are still served"
    finally:
        server.stop()


# the header logic on its own (pure functions, no server) --------------------------------

@pytest.mark.parametrize(("header", "expected"), [
    (b"gzip", True), (b"gzip, deflate, br", True), (b"GZIP;q=0.5", True), (b"x-gzip", True),
    (b"*", True), (b"br", False), (b"gzip;q=0", False), (b"gzip;q=0.0, *", False),
    (b"*;q=0", False), (b"identity", False), (b"", False), (b"gzip;q=nonsense", False),
])
def test_accepts_gzip(header: bytes, expected: bool) -> None:
    assert accepts_gzip(header) is expected


@pytest.mark.parametrize(("header", "expected"), [
    (b'"a"', True), (b'W/"a"', True), (b'"b", "a"', True), (b'"b",W/"a"', True), (b"*", True),
    (b'"b"', False), (b'"A"', False), (b"a", False), (b'"a-gz"', False),
])
def test_etag_matches_weakly(header: bytes, expected: bool) -> None:
    assert etag_matches(header, b'"a"') is expected


def test_if_none_match_wins_over_if_modified_since() -> None:
    modified = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    later = format_datetime(modified.replace(hour=13), usegmt=True).encode()
    assert not_modified(None, later, b'"a"', modified)
    assert not not_modified(b'"b"', later, b'"a"', modified)
    earlier = format_datetime(modified.replace(hour=11), usegmt=True).encode()
    assert not not_modified(None, earlier, b'"a"', modified)
    assert not not_modified(None, b"yesterday", b'"a"', modified)


def test_serve_with_two_workers(config: Path) -> None:
    server = Serve(config, "--workers", "2")
    try:
        reply = server.get("/calendar.ics")
        assert reply.status == 200
        assert server.get("/calendar.ics", if_none_match=reply.headers["etag"]).status == 304
    finally:
        server.stop()
