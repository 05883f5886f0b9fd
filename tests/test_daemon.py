"""Issue 5, daemon (acceptance 3): ``event-bridge run`` as a subprocess against a loopback
feed server — the served feed follows a changed source, SIGTERM exits 0 within 10 s, a
``sync --once`` beside the daemon is refused (the daemon holds the sync lock while it runs),
and a sync running at SIGTERM is finished (or abandoned after the grace period)."""

from __future__ import annotations

import io
import json
import logging
import shutil
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import icalendar
import pytest

from cluster_support import Member
from conftest import SISTER, run_cli
from event_bridge.clock import FixedClock
from event_bridge.config import reader as config_mod
from event_bridge.fetch.http import HttpFetcher
from event_bridge.model import FeedOutcome, SyncReport
from event_bridge.store.lock import FileLock
from event_bridge.store.memory import MemoryRepository
from event_bridge.sync.daemon import Daemon, effective_settings, tick_seconds
from event_bridge.sync.logs import JsonFormatter, log_sync, sync_line
from event_bridge.sync.schedule import Policy
from feedserver import FeedServer, Override

MEETUP, FRENCHTECH = "paris-tech-meetups.ics", "sf-french-tech.ics"
STOP_DEADLINE = 10.0


# -- helpers -----------------------------------------------------------------------------

def write_config(tmp_path: Path, urls: dict[str, str], log_format: str = "plain") -> Path:
    lines = ['[database]', 'url = "sqlite:///bridge.db"', '',
             '[logging]', f'format = "{log_format}"', '',
             '[cities.paris]', 'name = "Paris"', 'timezone = "Europe/Paris"', '',
             '[cities.san-francisco]', 'name = "San Francisco"',
             'timezone = "America/Los_Angeles"', '']
    for feed_id, url in urls.items():
        city = "paris" if feed_id.startswith("paris") else "san-francisco"
        lines += ["[[feeds]]", f'id = "{feed_id}"', f'city = "{city}"', f'url = "{url}"', ""]
    path = tmp_path / "bridge.toml"
    path.write_text("\n".join(lines))
    return path


def wait_for(what: str, predicate: Callable[[], object], timeout: float,
             daemon: Member | None = None) -> object:
    """Poll ``predicate``; fail early if ``daemon`` died, with its log in the message."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if daemon is not None and daemon.proc.poll() is not None:
            raise AssertionError(f"daemon exited ({daemon.proc.returncode}) before {what}:\n"
                                 f"{daemon.log()}")
        time.sleep(0.2)
    log = f"; daemon log:\n{daemon.log()}" if daemon else ""
    raise AssertionError(f"timed out after {timeout}s waiting for {what}{log}")


def get(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return bytes(response.read())
    except OSError:
        return None


def summaries(ics: bytes | None) -> set[str]:
    if not ics:
        return set()
    return {str(e.get("SUMMARY")) for e in icalendar.Calendar.from_ical(ics).walk("VEVENT")}


@pytest.fixture
def daemons() -> Iterator[list[Member]]:
    started: list[Member] = []
    yield started
    for daemon in started:
        daemon.close()


class SlowFeed:
    """A loopback feed server whose answers wait until ``release()``: holds a daemon's sync
    open for as long as a test needs."""

    def __init__(self, body: bytes) -> None:
        self.body, self.requested, self.released = body, threading.Event(), threading.Event()
        slow = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                slow.requested.set()
                slow.released.wait(60)
                self.send_response(200)
                self.send_header("Content-Type", "text/calendar; charset=utf-8")
                self.send_header("Content-Length", str(len(slow.body)))
                self.end_headers()
                self.wfile.write(slow.body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/slow.ics"

    def release(self) -> None:
        self.released.set()

    def stop(self) -> None:
        self.release()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def slow_feed() -> Iterator[SlowFeed]:
    feed = SlowFeed((SISTER / "feeds" / FRENCHTECH).read_bytes())
    yield feed
    feed.stop()


@pytest.fixture
def served(feed_server: FeedServer, tmp_path: Path) -> tuple[FeedServer, Path]:
    for name in (MEETUP, FRENCHTECH):
        shutil.copy(SISTER / "feeds" / name, feed_server.root / name)
    urls = {"paris-meetup": feed_server.url(MEETUP), "sf-frenchtech": feed_server.url(FRENCHTECH)}
    return feed_server, write_config(tmp_path, urls, log_format="json")


# -- acceptance 3 ------------------------------------------------------------------------

def test_run_follows_a_changed_feed_and_stops_cleanly_on_sigterm(served, daemons):
    server, config = served
    daemon = Member(config, "--interval", "5", name="daemon")
    daemons.append(daemon)
    calendar = f"{daemon.base}/calendar.ics"
    first = wait_for("the first sync to be served",
                     lambda: "Paris.js #118" in summaries(get(calendar)), 30, daemon)
    assert first

    feed = server.root / MEETUP
    feed.write_bytes(feed.read_bytes().replace(b"SUMMARY:Paris.js #118",
                                               b"SUMMARY:Paris.js #118 moved to Station F"))
    t0 = time.monotonic()
    wait_for("the change to be served",
             lambda: "Paris.js #118 moved to Station F" in summaries(get(calendar)), 15,
             daemon)
    assert time.monotonic() - t0 < 15

    code, seconds = daemon.terminate()
    assert code == 0, daemon.log()
    assert seconds < STOP_DEADLINE
    records = [json.loads(line) for line in daemon.log().splitlines() if line.strip()]
    syncs = [r for r in records if r.get("event") == "sync"]
    assert len(syncs) >= 2 and all(r["msg"].startswith("sync: ") for r in syncs)
    assert any(r["feeds"] >= 1 and r["ok"] >= 1 and r["events"] > 0 for r in syncs)


def daemon_inside_a_fetch(tmp_path, slow_feed, daemons):  # type: ignore[no-untyped-def]
    """A daemon whose first sync is held inside the slow feed's fetch (holding the lock)."""
    config = write_config(tmp_path, {"sf-frenchtech": slow_feed.url})
    daemon = Member(config, "--interval", "5", name="daemon")
    daemons.append(daemon)
    wait_for("the daemon's fetch", slow_feed.requested.is_set, 30, daemon)
    return config, daemon


def test_sync_once_beside_the_daemon_is_refused(
        tmp_path, slow_feed, daemons):
    config, daemon = daemon_inside_a_fetch(tmp_path, slow_feed, daemons)

    beside = run_cli("sync", "--once", config=config, timeout=60)
    assert beside.returncode == 1, beside.stdout + beside.stderr
    assert "another sync is running" in beside.stderr
    assert "stop the other event-bridge process" in beside.stderr

    slow_feed.release()
    wait_for("the daemon's sync to finish", lambda: "sync: 1 feed, 1 ok" in daemon.log(), 30,
             daemon)
    code, seconds = daemon.terminate()
    assert code == 0 and seconds < STOP_DEADLINE, daemon.log()


def test_sigterm_lets_a_running_sync_finish(tmp_path, slow_feed, daemons):
    _, daemon = daemon_inside_a_fetch(tmp_path, slow_feed, daemons)
    threading.Timer(1.5, slow_feed.release).start()

    code, seconds = daemon.terminate()
    assert code == 0 and seconds < STOP_DEADLINE, daemon.log()
    assert "sync: 1 feed, 1 ok" in daemon.log()
    assert "abandoning" not in daemon.log()


def test_sigterm_abandons_a_stuck_sync_within_the_deadline_and_the_lock_goes_with_it(
        tmp_path, slow_feed, daemons):
    config, daemon = daemon_inside_a_fetch(tmp_path, slow_feed, daemons)

    code, seconds = daemon.terminate()
    assert code == 0 and seconds < STOP_DEADLINE, daemon.log()
    assert "abandoning" in daemon.log()
    slow_feed.release()
    after = run_cli("sync", "--once", config=config, timeout=60)
    assert after.returncode == 0, after.stdout + after.stderr


def test_run_rejects_a_zero_interval(served):
    _, config = served
    result = run_cli("run", "--interval", "0", config=config, timeout=30)
    assert result.returncode == 2
    assert "--interval" in result.stderr


# -- the tick, in process (real feed server, memory store, fixed clock) -------------------

@pytest.fixture
def ticking(served) -> Iterator[tuple[Daemon, FeedServer, FixedClock, MemoryRepository]]:
    server, config = served
    settings = config_mod.load(config)
    clock, repo = FixedClock(), MemoryRepository()
    with HttpFetcher(settings.fetch, settings.base_dir, clock) as fetcher:
        yield Daemon(settings, repo, fetcher, clock), server, clock, repo


def test_tick_syncs_due_feeds_only(ticking):
    daemon, server, clock, _ = ticking
    first = daemon.tick()
    assert first is not None and [o.status for o in first.feeds] == ["ok", "ok"]
    assert first.published_events > 0
    assert daemon.tick() is None  # nothing due yet: no fetch, no publish
    assert len(server.log) == 2
    clock.advance(timedelta(seconds=3600 * 1.1 + 1))
    again = daemon.tick()
    assert again is not None and [o.status for o in again.feeds] == ["unchanged", "unchanged"]


def test_failing_feed_backs_off_while_the_other_keeps_its_interval(ticking):
    daemon, server, clock, repo = ticking
    server.overrides[MEETUP] = Override(status=404)
    report = daemon.tick()
    assert report is not None and report.failed
    assert repo.feed_state("paris-meetup").consecutive_failures == 1
    clock.advance(timedelta(seconds=3600 * 1.1 + 1))
    assert daemon.due() == ["sf-frenchtech"]  # the failing one waits 2 h
    clock.advance(timedelta(seconds=3600 * 1.1))
    assert daemon.due() == ["paris-meetup", "sf-frenchtech"]


def test_tick_skips_while_another_process_holds_the_lock_and_says_so_once(ticking, caplog,
                                                                         tmp_path):
    daemon, _, _, _ = ticking
    daemon.lock = FileLock(tmp_path / "bridge.db.lock")
    elsewhere = FileLock(tmp_path / "bridge.db.lock")  # another open file: another holder
    assert elsewhere.try_acquire()
    with caplog.at_level(logging.INFO, logger="event_bridge"):
        assert daemon.tick() is None
        assert daemon.tick() is None
    skips = [r for r in caplog.records if "sync skipped" in r.getMessage()]
    assert len(skips) == 1 and "another sync is running" in skips[0].getMessage()
    elsewhere.release()
    assert daemon.tick() is not None
    assert not elsewhere.try_acquire()  # the daemon keeps the lock until it stops
    assert daemon.stop(grace=0.1) and elsewhere.try_acquire()


def test_no_sync_starts_after_stop(ticking):
    daemon, server, _, _ = ticking
    assert daemon.stop(grace=0.1) is True
    assert daemon.tick() is None
    assert server.log == []


def test_interval_option_reaches_the_published_refresh_interval_and_tick(served):
    _, config = served
    settings = config_mod.load(config)
    assert effective_settings(settings, None) is settings
    assert effective_settings(settings, 5).refresh_seconds == 5
    assert tick_seconds(Policy.from_settings(settings.schedule, 5)) == 1.0
    assert tick_seconds(Policy.from_settings(settings.schedule)) == 5.0


# -- log lines (pure) --------------------------------------------------------------------

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def report(*outcomes: FeedOutcome) -> SyncReport:
    return SyncReport(T0, T0 + timedelta(seconds=2.1), outcomes, published_events=123, links=4,
                      etag='"abc"')


def test_sync_line_counts_and_names_the_failing_feed():
    line = sync_line(report(FeedOutcome("a", "ok", 10), FeedOutcome("b", "unchanged", 5),
                            FeedOutcome("c", "ok", 1),
                            FeedOutcome("paris-agenda", "failed", error="HTTP 503 from x")))
    assert line == ("sync: 4 feeds, 3 ok, 1 failed (paris-agenda: HTTP 503 from x), "
                    "123 events, 4 links, 2.1s")


def test_sync_line_mentions_held_feeds_and_shortens_long_errors():
    line = sync_line(report(FeedOutcome("a", "held", note="held: 10 → 0"),
                            FeedOutcome("b", "failed", error="x" * 1000)))
    assert "1 held" in line and "0 ok" in line
    assert len(line) < 320 and line.count("x") < 250


def test_sync_line_prefers_the_measured_duration():
    assert sync_line(report(FeedOutcome("a", "ok", 1)), seconds=0.25).endswith(", 0.2s")


def test_json_log_lines_carry_the_numbers_and_one_line_per_failing_feed():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("event_bridge")
    logger.addHandler(handler)
    try:
        log_sync(report(FeedOutcome("a", "ok", 10), FeedOutcome("b", "failed", error="HTTP 503")),
                 {"b": 3})
    finally:
        logger.removeHandler(handler)
    sync, failed = (json.loads(line) for line in stream.getvalue().splitlines())
    assert sync["level"] == "warning" and sync["event"] == "sync"
    assert sync["ok"] == 1 and sync["failed"] == ["b"] and sync["events"] == 123
    assert sync["msg"].startswith("sync: 2 feeds, 1 ok, 1 failed (b: HTTP 503)")
    assert failed["event"] == "feed_failed" and failed["feed"] == "b"
    assert failed["consecutive_failures"] == 3 and "3 in a row" in failed["msg"]
