"""Configuration: the example config loads and documents every key; every problem in a bad
config is reported at once with its key path; feed rank; where the config file is looked for.

The example feeds are checked here too, since the example config is only as good as the
files it points at: clean RFC 5545 (CRLF, folded at 75 octets, §3.1) and inside the default
publication window of the example's edition.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any

import icalendar
import pytest

from event_bridge.config import checks
from event_bridge.config import reader as config
from event_bridge.config.settings import Rule, Settings
from event_bridge.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "config.example.toml"
EXAMPLE_FEEDS = ROOT / "examples" / "feeds"
EDITION_TODAY = date(2026, 11, 25)
"""The day the example edition was written for; its events sit in the default window."""

HEADER = re.compile(r"^#?\s*(\[\[?)([a-z0-9.\-]+)\]\]?\s*$")
KEY_LINE = re.compile(r"^(#\s*)?([a-z_]+)\s*=\s*(.+)$")


# --- the example config -------------------------------------------------------------------


def test_example_loads_with_four_feeds_resolved_to_files() -> None:
    settings = config.load(EXAMPLE)
    assert set(settings.cities) == {"paris", "san-francisco"}
    assert settings.cities["san-francisco"].timezone == "America/Los_Angeles"
    assert len(settings.feeds) == 4
    for feed in settings.feeds:
        assert Path(feed.url).is_absolute() and Path(feed.url).is_file(), feed


def test_example_ranks_primaries_before_the_aggregator() -> None:
    settings = config.load(EXAMPLE)
    assert settings.feed_ids == ("futur-en-seine", "ggcuc-research", "franco-tech-sf",
                                 "paris-agenda")
    assert [f.rank for f in settings.feeds] == [0, 1, 2, 3]
    assert settings.feed("paris-agenda").role == "aggregator"


def test_example_sqlite_path_is_relative_to_the_config_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the working directory must not matter
    settings = config.load(EXAMPLE)
    assert settings.database_url == f"sqlite:///{ROOT / 'event-bridge.db'}"


def test_example_keeps_defaults_except_cities_feeds_database() -> None:
    settings = config.load(EXAMPLE)
    defaults = Settings(settings.path, "", {}, ())
    for name in ("schedule", "server", "publish", "fetch", "guard", "rules", "log_format"):
        assert getattr(settings, name) == getattr(defaults, name), name


def _documented(text: str) -> dict[str, list[dict[str, tuple[Any, bool]]]]:
    """Every ``key = value`` line of the example, commented or not, grouped by the table
    (or array-of-tables entry) it sits in: {table: [{key: (value, commented)}]}."""
    tables: dict[str, list[dict[str, tuple[Any, bool]]]] = {"": [{}]}
    current = tables[""][0]
    for line in text.splitlines():
        if header := HEADER.match(line):
            current = {}
            tables.setdefault(header.group(2), []).append(current)
        elif key_line := KEY_LINE.match(line):
            commented, key, rest = key_line.groups()
            value = tomllib.loads(f"{key} = {rest}")[key]
            current[key] = (value, commented is not None)
    return tables


def _keys(tables: dict[str, list[dict[str, tuple[Any, bool]]]], name: str) -> set[str]:
    return {key for entry in tables.get(name, []) for key in entry}


def _settings_sections() -> dict[str, type]:
    """Section name → settings dataclass, straight from ``Settings`` so a new section
    cannot be forgotten."""
    sections: dict[str, type] = {}
    for f in dataclasses.fields(Settings):
        factory = f.default_factory
        if factory is not dataclasses.MISSING and dataclasses.is_dataclass(factory):
            sections[f.name] = factory
    return sections


EXAMPLE_TABLES = _documented(EXAMPLE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("section", sorted(_settings_sections()))
def test_example_documents_every_key_of_every_section(section: str) -> None:
    cls = _settings_sections()[section]
    fields = {f.name for f in dataclasses.fields(cls)}
    assert section in EXAMPLE_TABLES, f"[{section}] missing from config.example.toml"
    assert _keys(EXAMPLE_TABLES, section) == fields, f"[{section}] documentation drifted"


@pytest.mark.parametrize("section", sorted(_settings_sections()))
def test_example_commented_keys_show_the_real_default(section: str) -> None:
    defaults = _settings_sections()[section]()
    for key, (value, commented) in EXAMPLE_TABLES[section][0].items():
        if commented:
            assert value == getattr(defaults, key), f"[{section}] {key}"
            assert type(value) is type(getattr(defaults, key)), f"[{section}] {key} type"


def test_example_documents_feeds_cities_rules_logging_database() -> None:
    assert _keys(EXAMPLE_TABLES, "feeds") == checks.FEED_KEYS
    assert _keys(EXAMPLE_TABLES, "rules") == {f.name for f in dataclasses.fields(Rule)}
    assert _keys(EXAMPLE_TABLES, "logging") == {"format"}
    assert EXAMPLE_TABLES["logging"][0]["format"] == (Settings.log_format, True)
    assert _keys(EXAMPLE_TABLES, "database") == {"url"}
    for city in ("cities.paris", "cities.san-francisco"):
        assert _keys(EXAMPLE_TABLES, city) == {"name", "timezone"}
    documented = {name.split(".")[0] for name in EXAMPLE_TABLES if name}
    assert documented == checks.TOP_LEVEL


def test_example_rule_sample_is_valid_once_uncommented(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    sample = text[text.index("# [[rules]]"):]
    uncommented = re.sub(r"(?m)^# ?", "", sample)
    path = tmp_path / "event-bridge.toml"
    path.write_text(text + "\n" + uncommented, encoding="utf-8")
    settings = config.load(path)
    assert [r.kind for r in settings.rules] == ["no-merge"]
    feed_ids = {rule.split(":", 1)[0] for rule in (settings.rules[0].a, settings.rules[0].b)}
    assert feed_ids <= set(settings.feed_ids)


# --- the example feeds --------------------------------------------------------------------


@pytest.mark.parametrize("feed", sorted(p.name for p in EXAMPLE_FEEDS.glob("*.ics")))
def test_example_feed_is_clean_rfc5545(feed: str) -> None:
    data = (EXAMPLE_FEEDS / feed).read_bytes()
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b""), "CRLF only"
    assert max(len(line) for line in data.split(b"\r\n")) <= 75, "folded at 75 octets"
    calendar = icalendar.Calendar.from_ical(data)
    assert [(c.name, c.errors) for c in calendar.walk() if c.errors] == []
    low = EDITION_TODAY.toordinal() - 365
    high = EDITION_TODAY.toordinal() + 730
    for event in calendar.events:
        start = event.start
        day = start.date() if isinstance(start, datetime) else start
        assert low <= day.toordinal() <= high, (feed, event["UID"])


def test_example_feeds_hold_a_dozen_events_from_every_config_feed() -> None:
    settings = config.load(EXAMPLE)
    masters = 0
    for feed in settings.feeds:
        events = icalendar.Calendar.from_ical(Path(feed.url).read_bytes()).walk("VEVENT")
        assert events, feed.id
        masters += sum("RECURRENCE-ID" not in e for e in events)
    assert masters >= 12


# --- error reporting ----------------------------------------------------------------------

BAD = """
[cities.paris]
name = "Paris"
timezone = "Europe/Pariss"

[[feeds]]
id = "fest"
city = "paris"
url = "feeds/fest.ics"

[[feeds]]
id = "fest"
city = "lyon"
url = "https://user:s3cret@agenda.example/cal.ics"
role = "mirror"
colour = "blue"

[schedule]
interval_seconds = "hourly"

[server]
port = true

[sheduel]
interval_seconds = 60
"""

BAD_PROBLEMS = [
    "[cities.paris] timezone: 'Europe/Pariss' is not an IANA time zone",
    "[[feeds]] id 'fest': used twice",
    "[[feeds]] 'fest' city: 'lyon' is not a key of [cities]",
    "[[feeds]] 'fest' url: credentials in the URL are not allowed",
    "[[feeds]] 'fest' role: must be 'primary' or 'aggregator', got 'mirror'",
    "[[feeds]] 'fest': unknown key 'colour'",
    "[schedule] interval_seconds: expected int, got 'hourly'",
    "[server] port: expected int, got True",
    "[sheduel]: unknown section",
]


def _load_error(tmp_path: Path, text: str) -> ConfigError:
    path = tmp_path / "event-bridge.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        config.load(path)
    assert caught.value.path == str(path.resolve())
    return caught.value


def test_every_problem_is_reported_at_once_with_its_key_path(tmp_path: Path) -> None:
    error = _load_error(tmp_path, BAD)
    for expected in BAD_PROBLEMS:
        matches = [p for p in error.problems if p.startswith(expected)]
        assert len(matches) == 1, (expected, error.problems)
    assert len(error.problems) == len(BAD_PROBLEMS), error.problems
    assert "config.example.toml" in error.hint


def test_credentials_never_echoed_in_problems(tmp_path: Path) -> None:
    error = _load_error(tmp_path, BAD)
    assert "s3cret" not in str(error)


def test_missing_cities_is_reported_with_the_feeds_that_need_one(tmp_path: Path) -> None:
    error = _load_error(tmp_path, '[[feeds]]\nid = "a"\ncity = "paris"\nurl = "a.ics"\n')
    assert error.problems[0].startswith("[cities]: required")
    assert "[[feeds]] 'a' city: 'paris' is not a key of [cities] (known: none)" in error.problems
    assert len(error.problems) == 2


def test_empty_config_asks_for_cities_and_feeds(tmp_path: Path) -> None:
    error = _load_error(tmp_path, "")
    assert [p.split(":")[0] for p in error.problems] == ["[cities]", "[[feeds]]"]


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    error = _load_error(tmp_path, "[cities\n")
    assert error.problems[0].startswith("not valid TOML")
    assert str(tmp_path) in str(error)


def test_missing_file_points_at_the_example_and_the_option(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        config.load(tmp_path / "nowhere.toml")
    message = str(caught.value)
    assert "nowhere.toml" in message
    assert "config.example.toml" in message and "--config" in message


# --- feed rank, paths ---------------------------------------------------------------------

CITY = '[cities.paris]\ntimezone = "Europe/Paris"\n'


def _feed(fid: str, url: str, role: str = "primary") -> str:
    return f'[[feeds]]\nid = "{fid}"\ncity = "paris"\nurl = "{url}"\nrole = "{role}"\n'


def _parse(text: str, base: Path) -> Settings:
    return config.parse(tomllib.loads(text), base / "event-bridge.toml")


def test_rank_is_primaries_before_aggregators_then_config_order(tmp_path: Path) -> None:
    text = CITY + "".join([
        _feed("agenda-a", "a.ics", "aggregator"), _feed("org-b", "b.ics"),
        _feed("agenda-c", "c.ics", "aggregator"), _feed("org-d", "d.ics"),
    ])
    settings = _parse(text, tmp_path)
    assert settings.feed_ids == ("org-b", "org-d", "agenda-a", "agenda-c")
    assert [f.rank for f in settings.feeds] == [0, 1, 2, 3]


@pytest.mark.parametrize(("url", "expected"), [
    ("feeds/a.ics", "{base}/feeds/a.ics"),
    ("file://feeds/a.ics", "{base}/feeds/a.ics"),
    ("/srv/feeds/a.ics", "/srv/feeds/a.ics"),
    ("file:///srv/feeds/a.ics", "/srv/feeds/a.ics"),
    ("webcal://agenda.example/a.ics", "webcal://agenda.example/a.ics"),
    ("https://agenda.example/a.ics?token=x", "https://agenda.example/a.ics?token=x"),
])
def test_feed_urls_and_paths(tmp_path: Path, url: str, expected: str) -> None:
    settings = _parse(CITY + _feed("a", url), tmp_path)
    assert settings.feeds[0].url == expected.format(base=tmp_path)


@pytest.mark.parametrize(("url", "expected"), [
    ("sqlite:///state/bridge.db", "sqlite:///{base}/state/bridge.db"),
    ("sqlite:////var/lib/bridge.db", "sqlite:////var/lib/bridge.db"),
    ("sqlite:///:memory:", "sqlite:///:memory:"),
    ("postgresql+psycopg://postgres@127.0.0.1:5432/test",
     "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
])
def test_database_url_relative_sqlite_is_anchored(tmp_path: Path, url: str,
                                                   expected: str) -> None:
    text = CITY + _feed("a", "a.ics") + f'[database]\nurl = "{url}"\n'
    assert _parse(text, tmp_path).database_url == expected.format(base=tmp_path)


# --- where the config file is looked for --------------------------------------------------


def test_config_path_prefers_option_then_environment_then_default(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(config.ENV_CONFIG, "/etc/event-bridge/bridge.toml")
    assert config.config_path("mine.toml") == Path("mine.toml")
    assert config.config_path(None) == Path("/etc/event-bridge/bridge.toml")
    monkeypatch.delenv(config.ENV_CONFIG)
    assert config.config_path(None) == Path("event-bridge.toml")


def test_environment_config_is_the_one_loaded(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "elsewhere.toml"
    path.write_text(CITY + _feed("from-env", "a.ics"), encoding="utf-8")
    monkeypatch.setenv(config.ENV_CONFIG, str(path))
    assert config.load(config.config_path(None)).feed_ids == ("from-env",)
