"""Issue 13: the listing commands for people and for scripts: ``--json`` on ``feeds``,
``events`` and ``links``; piped tables that never cut an identifier; ``events`` by start in
local time; ``--explain`` by UID prefix; ``check-config`` that reads feed files (and
``--online`` fetches them); a port in use as a one-line error with exit status 2."""

from __future__ import annotations

import json
import socket
from datetime import datetime
from pathlib import Path

import pytest

from conftest import run_cli
from live_server import sync, write_config


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = write_config(tmp_path_factory.mktemp("listing"))
    sync(path)
    return path


def as_json(config: Path, *args: str) -> object:
    done = run_cli(*args, "--json", config=config)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_events_json_sorted_by_start(config: Path) -> None:
    events = as_json(config, "events")
    assert isinstance(events, list) and len(events) > 20
    starts = [datetime.fromisoformat(e["start"].replace("Z", "+00:00")) if "T" in e["start"]
              else datetime.fromisoformat(e["start"] + "T00:00:00+00:00") for e in events]
    assert starts == sorted(starts)
    hostile = next(e for e in events if e["uid"] and "Hack" in e["summary"])
    assert hostile["local_start"] == "2026-06-10 19:00 CEST"
    assert hostile["sources"] == [{"feed": "hostile", "uid": "hostile-1@test",
                                   "recurrence_id": ""}]
    assert {"uid", "city", "start", "end", "summary", "status", "cancelled"} <= set(events[0])


def test_feeds_and_links_json(config: Path) -> None:
    feeds = as_json(config, "feeds")
    assert isinstance(feeds, dict)
    rows = {f["id"]: f for f in feeds["feeds"]}
    assert rows["paris-fes"]["events"] > 0 and rows["paris-fes"]["last_success"]
    assert feeds["warnings"] == [], "the sister-cities feed is far below 1 MB"
    links = as_json(config, "links")
    assert isinstance(links, list) and links
    assert {links[0]["a"]["city"], links[0]["b"]["city"]} == {"paris", "san-francisco"}
    assert 0 < links[0]["score"] <= 1 and links[0]["reason"]


def test_piped_tables_keep_whole_identifiers(config: Path) -> None:
    uids = [e["uid"] for e in as_json(config, "events")]  # type: ignore[union-attr]
    done = run_cli("events", config=config, env={"COLUMNS": "80"})
    assert done.returncode == 0
    assert "…" not in done.stdout
    for uid in uids:
        assert uid in done.stdout, f"{uid} cut in the piped table"
    starts = [line.split("│")[4].strip() for line in done.stdout.splitlines()
              if line.startswith("│") and "@" in line and line.split("│")[4].strip()]
    assert any(s.endswith(("CEST", "CET")) for s in starts)
    assert any(s.endswith(("PDT", "PST")) for s in starts)


def test_explain_takes_a_unique_prefix(config: Path) -> None:
    events = as_json(config, "events")
    uids = sorted({e["uid"] for e in events})  # type: ignore[union-attr]
    target = uids[len(uids) // 2]
    prefix = next(target[:n] for n in range(1, len(target) + 1)
                  if sum(u.startswith(target[:n]) for u in uids) == 1)
    done = run_cli("events", "--explain", prefix, config=config)
    assert done.returncode == 0, done.stderr
    assert f"uid {target}" in done.stdout and "sources:" in done.stdout
    ambiguous = run_cli("events", "--explain", "", config=config)
    assert ambiguous.returncode == 2 and "give more of the UID" in ambiguous.stderr
    assert len(ambiguous.stderr.strip().splitlines()) == 1
    missing = run_cli("events", "--explain", "no-such-uid", config=config)
    assert missing.returncode == 2 and "no published event" in missing.stderr


def test_check_config_reads_feed_files(tmp_path: Path) -> None:
    path = write_config(tmp_path)
    assert run_cli("check-config", config=path).returncode == 0
    (tmp_path / "feeds" / "hostile.ics").unlink()
    done = run_cli("check-config", config=path)
    assert done.returncode == 2
    assert "no such file" in done.stderr and "hostile" in done.stderr
    assert "Traceback" not in done.stderr


def test_check_config_online_fetches_each_feed(tmp_path: Path, httpserver) -> None:  # type: ignore[no-untyped-def]
    body = (Path(__file__).parent / "data" / "sister-cities" / "feeds"
            / "sf-tech-week.ics").read_bytes()
    httpserver.expect_request("/ok.ics").respond_with_data(body, content_type="text/calendar")
    httpserver.expect_request("/gone.ics").respond_with_data("gone", status=404)
    path = tmp_path / "bridge.toml"
    path.write_text(f"""[cities.paris]
timezone = "Europe/Paris"
[[feeds]]
id = "up"
city = "paris"
url = "{httpserver.url_for('/ok.ics')}"
[[feeds]]
id = "down"
city = "paris"
url = "{httpserver.url_for('/gone.ics')}"
""")
    done = run_cli("check-config", "--online", config=path)
    assert done.returncode == 1
    assert f"up: ok, {len(body)} bytes" in done.stdout
    assert "down:" in done.stderr and "404" in done.stderr


@pytest.mark.parametrize("command", ["serve", "run"])
def test_port_in_use_is_a_usage_error(config: Path, command: str) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = run_cli(command, "--host", "127.0.0.1", "--port", str(port), config=config)
    assert done.returncode == 2
    assert done.stderr.strip() == (f"error: port {port} on 127.0.0.1 is already in use "
                                   "(stop the other server, or pass another --port)")
