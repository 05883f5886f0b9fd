"""Issue 5, daemon (acceptance 3): ``event-bridge run`` as a subprocess against a loopback
feed server — the served feed follows a changed source, SIGTERM exits 0 within 10 s, a
``sync --once`` beside the daemon is refused while the daemon's sync holds the store lock,
and a sync running at SIGTERM is finished (or abandoned after the grace period)."""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import icalendar
import pytest

from conftest import SISTER, run_cli
from event_bridge.logs import JsonFormatter, log_sync, sync_line
from event_bridge.model import FeedOutcome, SyncReport
from feedserver import FeedServer

MEETUP, FRENCHTECH = "paris-tech-meetups.ics", "sf-french-tech.ics"
STOP_DEADLINE = 10.0


# -- helpers -----------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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


def wait_for(what: str, predicate: Callable[[], object], timeout: float) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


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


class Daemon:
    """``event-bridge run`` in a subprocess; its stderr goes to a file (no pipe to fill)."""

    def __init__(self, config: Path, *args: str) -> None:
        self.port = free_port()
        self.log_path = config.parent / "daemon.log"
        self.log_file = self.log_path.open("w")
        cmd = [sys.executable, "-m", "event_bridge", "--config", str(config), "run",
               "--host", "127.0.0.1", "--port", str(self.port), *args]
        self.proc = subprocess.Popen(cmd, stdout=self.log_file, stderr=subprocess.STDOUT,
                                     env={**os.environ, "COLUMNS": "200"})

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text()

    def terminate(self) -> tuple[int, float]:
        """SIGTERM; the exit status and how long it took."""
        t0 = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=STOP_DEADLINE + 5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise AssertionError(f"no exit after SIGTERM; log:\n{self.log()}") from None
        return code, time.monotonic() - t0

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.log_file.close()


@pytest.fixture
def daemons() -> Iterator[list[Daemon]]:
    started: list[Daemon] = []
    yield started
    for daemon in started:
        daemon.close()


class SlowFeed:
    """A loopback feed server whose answers wait until ``release()``: holds a daemon's sync
    (and so the store lock) open for as long as a test needs."""

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
    daemon = Daemon(config, "--interval", "5")
    daemons.append(daemon)
    calendar = f"{daemon.base}/calendar.ics"
    first = wait_for("the first sync to be served",
                     lambda: "Paris.js #118" in summaries(get(calendar)), 30)
    assert first

    feed = server.root / MEETUP
    feed.write_bytes(feed.read_bytes().replace(b"SUMMARY:Paris.js #118",
                                               b"SUMMARY:Paris.js #118 moved to Station F"))
    t0 = time.monotonic()
    wait_for("the change to be served",
             lambda: "Paris.js #118 moved to Station F" in summaries(get(calendar)), 15)
    assert time.monotonic() - t0 < 15

    code, seconds = daemon.terminate()
    assert code == 0, daemon.log()
    assert seconds < STOP_DEADLINE
    records = [json.loads(line) for line in daemon.log().splitlines() if line.strip()]
    syncs = [r for r in records if r.get("event") == "sync"]
    assert len(syncs) >= 2 and all(r["msg"].startswith("sync: ") for r in syncs)
    assert any(r["feeds"] >= 1 and r["ok"] >= 1 and r["events"] > 0 for r in syncs)


def test_sync_once_beside_the_daemon_is_refused_while_a_daemon_sync_holds_the_lock(
        tmp_path, slow_feed, daemons):
    config = write_config(tmp_path, {"sf-frenchtech": slow_feed.url})
    daemon = Daemon(config, "--interval", "5")
    daemons.append(daemon)
    assert slow_feed.requested.wait(30), daemon.log()  # the daemon's sync is inside a fetch

    beside = run_cli("sync", "--once", config=config, timeout=60)
    assert beside.returncode == 1, beside.stdout + beside.stderr
    assert "another sync is running" in beside.stderr
    assert "stop the other event-bridge process" in beside.stderr

    slow_feed.release()
    wait_for("the daemon's sync to finish", lambda: "sync: 1 feed, 1 ok" in daemon.log(), 30)
    code, seconds = daemon.terminate()
    assert code == 0 and seconds < STOP_DEADLINE, daemon.log()


def test_sigterm_lets_a_running_sync_finish(tmp_path, slow_feed, daemons):
    config = write_config(tmp_path, {"sf-frenchtech": slow_feed.url})
    daemon = Daemon(config, "--interval", "5")
    daemons.append(daemon)
    assert slow_feed.requested.wait(30), daemon.log()
    threading.Timer(1.5, slow_feed.release).start()

    code, seconds = daemon.terminate()
    assert code == 0 and seconds < STOP_DEADLINE, daemon.log()
    assert "sync: 1 feed, 1 ok" in daemon.log()
    assert "abandoning" not in daemon.log()


def test_sigterm_abandons_a_stuck_sync_within_the_deadline_and_frees_the_lock(
        tmp_path, slow_feed, daemons):
    config = write_config(tmp_path, {"sf-frenchtech": slow_feed.url})
    daemon = Daemon(config, "--interval", "5")
    daemons.append(daemon)
    assert slow_feed.requested.wait(30), daemon.log()

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
