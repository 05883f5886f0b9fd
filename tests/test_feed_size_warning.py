"""Issue 13: a published feed past 1 MB (Google Calendar stops reading subscriptions there)
is reported to the operator in ``feeds``, ``/healthz`` and the page's health section, with
the smaller URLs to offer; those URLs are indeed smaller."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import run_cli
from event_bridge.web.health import SUBSCRIPTION_MAX_BYTES
from live_server import Serve, sync

EVENTS = 700  # per city: each city's feed stays under 1 MB, the merged one does not
FILLER = "Atelier ouvert à tous autour des données publiques et de la ville numérique. " * 8


def big_feed(count: int, zone: str = "Europe/Paris") -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//big//EN"]
    for i in range(count):
        day = 1 + i % 28
        month = 1 + (i // 28) % 12
        lines += ["BEGIN:VEVENT", f"UID:big-{i}@test", "DTSTAMP:20260101T000000Z",
                  f"DTSTART;TZID={zone}:2026{month:02d}{day:02d}T{8 + i % 10:02d}0000",
                  f"DTEND;TZID={zone}:2026{month:02d}{day:02d}T{9 + i % 10:02d}0000",
                  f"SUMMARY:Rencontre {i}", f"DESCRIPTION:{FILLER}",
                  *(["STATUS:CANCELLED"] if i % 5 == 0 else []), "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("big")
    (folder / "big.ics").write_text(big_feed(EVENTS), newline="")
    sf = big_feed(EVENTS, "America/Los_Angeles").replace("big-", "sf-")
    (folder / "sf.ics").write_text(sf, newline="")
    path = folder / "bridge.toml"
    path.write_text("""[database]
url = "sqlite:///bridge.db"
[cities.paris]
name = "Paris"
timezone = "Europe/Paris"
[cities.san-francisco]
name = "San Francisco"
timezone = "America/Los_Angeles"
[[feeds]]
id = "big"
city = "paris"
url = "big.ics"
[[feeds]]
id = "sf"
city = "san-francisco"
url = "sf.ics"
""")
    sync(path)
    return path


@pytest.fixture(scope="module")
def live(config: Path) -> Iterator[Serve]:
    server = Serve(config)
    yield server
    server.stop()


def test_feeds_warns_past_one_megabyte(config: Path) -> None:
    done = run_cli("feeds", "--json", config=config)
    assert done.returncode == 0, done.stderr
    warnings = {w["feed"]: w for w in json.loads(done.stdout)["warnings"]}
    assert set(warnings) == {"/calendar.ics"}
    merged = warnings["/calendar.ics"]
    assert merged["bytes"] > SUBSCRIPTION_MAX_BYTES
    assert merged["smaller"] == ["/cities/paris.ics", "/cities/san-francisco.ics",
                                 "/calendar.ics?from=today",
                                 "/calendar.ics?from=today&cancelled=hide"]
    table = run_cli("feeds", config=config)
    assert "warning: /calendar.ics is" in table.stdout
    assert "Google Calendar stops reading" in table.stdout


def test_healthz_and_page_warn_and_the_smaller_urls_are_smaller(live: Serve) -> None:
    health = json.loads(live.get("/healthz").body)
    warned = {w["feed"]: w for w in health["warnings"]}
    assert set(warned) == {"/calendar.ics"}
    full = len(live.get("/calendar.ics").body)
    assert full == warned["/calendar.ics"]["bytes"]
    for url in warned["/calendar.ics"]["smaller"]:
        reply = live.get(url)
        assert reply.status == 200 and len(reply.body) < full, url
    hidden = len(live.get("/calendar.ics?cancelled=hide").body)
    assert hidden < full * 0.9, "a fifth of the events are cancelled"
    page = live.get("/").body.decode()
    assert 'class="banner size-warning"' in page and "/calendar.ics?from=today" in page
