"""Cross-city links (issue 4): counterparts linked, same-topic events not."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from conftest import SISTER, run_cli
from event_bridge.config.settings import Rule
from event_bridge.matching.link import find_links
from event_bridge.model import City, Event, EventData, SourceKey

CITIES = {"paris": City("paris", "Paris", "Europe/Paris"),
          "san-francisco": City("san-francisco", "San Francisco", "America/Los_Angeles")}


def event(uid: str, city: str, summary: str, start: datetime, description: str = "",
          url: str = "") -> Event:
    data = EventData(summary=summary, description=description, url=url, start=start, end=start)
    return Event(uid, city, data, (SourceKey("f-" + city, uid),))


JUNE = datetime(2026, 6, 11, 16, tzinfo=UTC)
OCT = datetime(2026, 10, 29, 21, tzinfo=UTC)
EVENTS = [
    event("keynote", "paris", "Keynote d'ouverture : Paris & San Francisco, villes sœurs", JUNE,
          "Retransmise en direct : watch party à San Francisco."),
    event("watch", "san-francisco", "Watch party: opening keynote, live from Paris", JUNE,
          "Watch the Paris opening keynote live with the sister cities community."),
    event("demo-p", "paris", "Demo Day Paris–San Francisco Startup Exchange", JUNE,
          url="https://example.org/startup-exchange"),
    event("demo-sf", "san-francisco", "Paris–SF Startup Exchange Demo Day", OCT,
          url="https://example.org/startup-exchange"),
    event("forum-p", "paris", "Forum Smart City Paris 2026", OCT),
    event("forum-sf", "san-francisco", "SF Smart City Forum 2026", OCT),
    event("wit-p", "paris", "Women in Tech Paris : data & diversité", OCT),
    event("wit-sf", "san-francisco", "Women in Tech SF — Data & Diversity Night", OCT),
]


def pairs(links: list) -> set[frozenset[str]]:  # type: ignore[type-arg]
    return {frozenset((x.a_uid, x.b_uid)) for x in links}


def test_counterparts_are_linked_and_same_topic_events_are_not() -> None:
    links = find_links(EVENTS, (), CITIES)
    assert pairs(links) == {frozenset(("keynote", "watch")), frozenset(("demo-p", "demo-sf"))}
    assert all(x.reason and x.score > 0 for x in links)


def test_events_of_one_city_are_never_linked() -> None:
    same_city = [e for e in EVENTS if e.city == "paris"]
    assert find_links(same_city, (), CITIES) == []


def test_rules_add_and_forbid_links() -> None:
    rules = [Rule("no-link", "f-paris:keynote", "f-san-francisco:watch"),
             Rule("link", "f-paris:wit-p", "f-san-francisco:wit-sf")]
    got = pairs(find_links(EVENTS, rules, CITIES))
    assert frozenset(("keynote", "watch")) not in got
    assert frozenset(("wit-p", "wit-sf")) in got


def test_order_does_not_matter() -> None:
    assert find_links(list(reversed(EVENTS)), (), CITIES) == find_links(EVENTS, (), CITIES)


def test_links_command_lists_the_links_with_score_and_reason(tmp_path: Path) -> None:
    text = (SISTER / "feeds.toml").read_text(encoding="utf-8")
    config = tmp_path / "feeds.toml"
    config.write_text(text.replace('url = "feeds/', f'url = "{SISTER.resolve()}/feeds/'),
                      encoding="utf-8")
    assert run_cli("sync", "--once", config=config).returncode == 0
    shown = run_cli("links", config=config)
    assert shown.returncode == 0, shown.stderr
    assert "8 cross-city links" in shown.stdout and "both_refer" in shown.stdout
    listed = run_cli("events", config=config)
    uid = next(line.split()[1] for line in listed.stdout.splitlines()
               if "@event-bridge" in line and "Demo Day" in line)
    explained = run_cli("events", "--explain", uid, config=config)
    assert explained.returncode == 0 and "sources:" in explained.stdout
    assert "reasons:" in explained.stdout
    assert run_cli("events", "--explain", "nope", config=config).returncode == 2
