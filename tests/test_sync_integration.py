"""Issue 2, acceptance 2 and 3: the whole program (a subprocess) against a real HTTP server
serving the sister-cities feeds, with a real SQLite file."""

from __future__ import annotations

import shutil
import socket
import tomllib
from pathlib import Path

import icalendar
import pytest

from conftest import SISTER, run_cli
from feedserver import FeedServer, Override


def write_config(tmp_path: Path, urls: dict[str, str]) -> Path:
    raw = tomllib.loads((SISTER / "feeds.toml").read_text())
    lines = ['[database]', 'url = "sqlite:///bridge.db"', '']
    for slug, city in raw["cities"].items():
        lines += [f"[cities.{slug}]", f'name = "{city["name"]}"',
                  f'timezone = "{city["timezone"]}"', ""]
    for feed in raw["feeds"]:
        lines += ["[[feeds]]", f'id = "{feed["id"]}"', f'city = "{feed["city"]}"',
                  f'url = "{urls.get(feed["id"], feed["url"])}"', ""]
    path = tmp_path / "bridge.toml"
    path.write_text("\n".join(lines))
    return path


def source_pairs(ics: bytes) -> set[tuple[str, str]]:
    cal = icalendar.Calendar.from_ical(ics)
    pairs = set()
    for event in cal.walk("VEVENT"):
        props = event.get("X-EVENT-BRIDGE-SOURCE", [])
        for prop in props if isinstance(props, list) else [props]:
            pairs.add((str(prop.params["FEED"]), str(prop)))
    return pairs


def expected_pairs() -> set[tuple[str, str]]:
    raw = tomllib.loads((SISTER / "feeds.toml").read_text())
    pairs = set()
    for feed in raw["feeds"]:
        cal = icalendar.Calendar.from_ical((SISTER / feed["url"]).read_bytes())
        pairs |= {(feed["id"], str(e["UID"])) for e in cal.walk("VEVENT")}
    return pairs


@pytest.fixture
def served(feed_server: FeedServer, tmp_path: Path) -> tuple[FeedServer, Path]:
    raw = tomllib.loads((SISTER / "feeds.toml").read_text())
    urls = {}
    for feed in raw["feeds"]:
        name = Path(feed["url"]).name
        shutil.copy(SISTER / feed["url"], feed_server.root / name)
        urls[feed["id"]] = feed_server.url(name)
    return feed_server, write_config(tmp_path, urls)


def test_every_source_published_and_resync_is_conditional_and_identical(served, tmp_path):
    server, config = served
    first = run_cli("sync", "--once", config=config)
    assert first.returncode == 0, first.stdout + first.stderr
    export1 = run_cli("export", "--output", str(tmp_path / "a.ics"), config=config)
    assert export1.returncode == 0, export1.stderr
    merged = (tmp_path / "a.ics").read_bytes()
    assert expected_pairs() <= source_pairs(merged)
    assert len(expected_pairs()) == 183

    server.log.clear()
    second = run_cli("sync", "--once", config=config)
    assert second.returncode == 0, second.stdout + second.stderr
    assert len(server.log) == 8
    assert all("If-None-Match" in headers for _, headers in server.log)
    run_cli("export", "--output", str(tmp_path / "b.ics"), config=config)
    assert (tmp_path / "b.ics").read_bytes() == merged


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


FAILURES = {
    "refused": None,
    "http-500": Override(status=500, body=b"oops", content_type="text/plain"),
    "html": Override(body=b"<!doctype html><html><body>Maintenance</body></html>",
                     content_type="text/html"),
    "truncated": None,
}


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_failing_feed_is_reported_and_keeps_its_events(served, tmp_path, failure):
    server, config = served
    assert run_cli("sync", "--once", config=config).returncode == 0
    victim = "paris-tech-meetups.ics"
    if failure == "refused":
        text = config.read_text().replace(server.url(victim),
                                          f"http://127.0.0.1:{free_port()}/{victim}")
        config.write_text(text)
    elif failure == "truncated":
        body = (server.root / victim).read_bytes()
        server.overrides[victim] = Override(body=body[: len(body) // 2])
    else:
        server.overrides[victim] = FAILURES[failure]
    result = run_cli("sync", "--once", "--force", config=config)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "paris-meetup" in result.stdout and "failed" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    run_cli("export", "--output", str(tmp_path / "after.ics"), config=config)
    pairs = source_pairs((tmp_path / "after.ics").read_bytes())
    assert expected_pairs() <= pairs
    feeds = run_cli("feeds", config=config)
    assert "paris-meetup" in feeds.stdout
