"""Issue 10, acceptance 1: the fault-injection suite.  The real program (a subprocess)
syncs two feeds from a loopback server that misbehaves; for each fault, the feed that first
served good data keeps every stored event published, the other feed goes on, the run ends
within its deadline with a one-line reason, and no traceback is printed."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import icalendar
import pytest

from conftest import run_cli
from hostileserver import FAULTS, HostileServer, ics

DEADLINE = 3.0
STARTUP = 8.0  # a subprocess's Python start, imports and SQLite, on a busy 2-core machine
FETCH_FAULTS = {"header-drip", "body-drip", "hang", "close", "garbage", "status-500",
                "reason-escape", "html", "empty", "truncated", "bad-location",
                "retry-after-99999", "redirect-loop", "file-redirect", "gzip-bomb", "huge"}


@pytest.fixture
def hostile() -> Iterator[HostileServer]:
    server = HostileServer().start()
    server.good = {"target.ics": ics("t-1", "Target talk"), "other.ics": ics("o-1", "Other")}
    yield server
    server.stop()


def write_config(tmp_path: Path, server: HostileServer) -> Path:
    path = tmp_path / "bridge.toml"
    path.write_text(f"""[database]
url = "sqlite:///bridge.db"
[cities.paris]
name = "Paris"
timezone = "Europe/Paris"
[fetch]
deadline_seconds = {DEADLINE}
connect_timeout = 1.0
read_timeout = 2.0
retries = 2
backoff_factor = 0.1
max_retry_after = 1.0
max_bytes = 1048576
[[feeds]]
id = "target"
city = "paris"
url = "{server.url('target.ics')}"
[[feeds]]
id = "other"
city = "paris"
url = "{server.url('other.ics')}"
""")
    return path


def published(config: Path) -> dict[tuple[str, str], str]:
    """(feed, source UID) → SUMMARY of every published VEVENT."""
    out = run_cli("export", "--output", "-", config=config)
    assert out.returncode == 0, out.stderr
    found = {}
    for event in icalendar.Calendar.from_ical(out.stdout.encode()).walk("VEVENT"):
        props = event["X-EVENT-BRIDGE-SOURCE"]
        for prop in props if isinstance(props, list) else [props]:
            found[(str(prop.params["FEED"]), str(prop))] = str(event.get("SUMMARY", ""))
    return found


def test_every_fault_is_covered() -> None:
    assert set(FAULTS) > FETCH_FAULTS


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_misbehaving_feed_fails_alone(hostile: HostileServer, tmp_path: Path,
                                        fault: str) -> None:
    config = write_config(tmp_path, hostile)
    first = run_cli("sync", "--once", config=config)
    assert first.returncode == 0, first.stdout + first.stderr
    assert set(published(config)) == {("target", "t-1"), ("other", "o-1")}

    hostile.modes["target.ics"] = fault
    hostile.good["other.ics"] = ics("o-2", "Other, later")
    t0 = time.monotonic()
    second = run_cli("sync", "--once", config=config, timeout=60)
    took = time.monotonic() - t0
    output = second.stdout + second.stderr
    assert "Traceback" not in output and "\x1b" not in output, output
    assert took < DEADLINE * 2 + STARTUP, (took, output)
    events = published(config)
    assert ("other", "o-2") in events  # the other feed went on
    assert ("target", "t-1") in events  # the stored events stay published
    target_lines = [line for line in output.splitlines() if "target" in line]
    if fault in FETCH_FAULTS:
        assert second.returncode == 1, output
        assert len(target_lines) >= 1 and any("fail" in x.lower() for x in target_lines), output
        assert events[("target", "t-1")] == "Target talk"
    else:
        assert second.returncode in (0, 1), output
    assert "owned" not in {uid for _feed, uid in events}  # no VEVENT of the feed's making
    assert [x for x in events.values() if "\x00" in x or "\x1b" in x] == []


TOKEN = "private-8f14e45fceea167a5a36dedd4bea2543"


def test_secret_path_segments_never_shown_nor_stored(hostile: HostileServer,
                                                     tmp_path: Path) -> None:
    """Google's secret addresses (…/private-<token>/basic.ics) and query tokens appear in
    no output, no stored error and no served health report."""
    config = write_config(tmp_path, hostile)
    secret = hostile.url(f"{TOKEN}/basic.ics") + "?key=s3cr3t"
    config.write_text(config.read_text().replace(hostile.url("target.ics"), secret))
    hostile.modes[f"{TOKEN}/basic.ics"] = "status-500"
    outputs = [run_cli("sync", "--once", config=config), run_cli("feeds", config=config),
               run_cli("check-config", config=config)]
    text = "".join(o.stdout + o.stderr for o in outputs)
    assert "private-…" in text, text
    stored = (tmp_path / "bridge.db").read_bytes()
    for leak in ("8f14e45fceea", "s3cr3t"):
        assert leak not in text and leak.encode() not in stored, text


@pytest.mark.parametrize("fault", ["bad-location", "retry-after-99999", "status-500"])
def test_a_failing_feed_backs_off_alone(hostile: HostileServer, tmp_path: Path,
                                        fault: str) -> None:
    """In process, as the daemon runs it: each failure, unexpected ones included, counts in
    the feed's consecutive_failures, so its interval grows (capped); a success resets it,
    and the other feed is never held back."""
    from datetime import timedelta

    from event_bridge.clock import FixedClock
    from event_bridge.config.reader import load
    from event_bridge.fetch.http import HttpFetcher
    from event_bridge.store.memory import MemoryRepository
    from event_bridge.sync.pipeline import run_once
    from event_bridge.sync.schedule import Policy, interval_for

    settings = load(write_config(tmp_path, hostile))
    clock, repo = FixedClock(), MemoryRepository()
    policy = Policy.from_settings(settings.schedule)
    with HttpFetcher(settings.fetch, tmp_path, clock) as fetcher:
        run_once(settings, fetcher, repo, clock)
        hostile.modes["target.ics"] = fault
        intervals = []
        for _ in range(4):
            clock.advance(timedelta(hours=1))
            report = run_once(settings, fetcher, repo, clock)
            assert {o.feed_id: o.status for o in report.feeds}["other"] != "failed"
            intervals.append(interval_for(policy, repo.feed_state("target")))
        assert repo.feed_state("target").consecutive_failures == 4
        assert intervals[1] > intervals[0] * 1.5  # exponential, jitter aside
        assert intervals[-1] <= settings.schedule.max_backoff_seconds * 1.2
        hostile.modes["target.ics"] = "good"
        clock.advance(timedelta(hours=1))
        run_once(settings, fetcher, repo, clock)
        assert repo.feed_state("target").consecutive_failures == 0
