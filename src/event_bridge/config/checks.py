"""Validators for each part of a decoded TOML configuration.

Each function takes the raw value and the shared ``problems`` list, appends one message per
problem (key path first, then what is wrong and what is expected) and returns its best
reading, so ``config.parse`` can report every problem at once.  Relative paths are anchored
at the config file's folder.  Pure apart from checking IANA zone names with ``zoneinfo``.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.languages import get_official_languages

from event_bridge.config.settings import Rule
from event_bridge.model import City, FeedSource

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")

URL_SCHEMES = ("http://", "https://", "webcal://", "webcals://")

RULE_KINDS = ("merge", "no-merge", "link", "no-link")

TOP_LEVEL = {"database", "cities", "feeds", "schedule", "server", "publish", "fetch", "guard",
             "matching", "rules", "logging"}


def check_known(raw: dict[str, Any], problems: list[str]) -> None:
    for key in sorted(set(raw) - TOP_LEVEL):
        problems.append(f"[{key}]: unknown section (known: {', '.join(sorted(TOP_LEVEL))})")


def _zone_ok(name: object) -> bool:
    if not isinstance(name, str) or not name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def cities(raw: object, problems: list[str]) -> dict[str, City]:
    if not isinstance(raw, dict) or not raw:
        problems.append("[cities]: required; add at least one [cities.<slug>] table")
        return {}
    cities: dict[str, City] = {}
    for slug, table in raw.items():
        where = f"[cities.{slug}]"
        if not SLUG.match(slug):
            problems.append(f"{where}: the slug must be lowercase letters, digits and '-'")
        if not isinstance(table, dict):
            problems.append(f"{where}: must be a table with name and timezone")
            continue
        _unknown_keys(table, {"name", "timezone"}, where, problems)
        tz = table.get("timezone")
        if not _zone_ok(tz):
            problems.append(f"{where} timezone: {tz!r} is not an IANA time zone "
                            "(for example 'Europe/Paris')")
        cities[slug] = City(slug, str(table.get("name") or slug), str(tz or "UTC"))
    return cities


FEED_KEYS = {"id", "city", "url", "timezone", "role", "auth_env", "name", "language"}

LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
"""A BCP 47 language tag (``fr``, ``en``, ``pt-BR``), as HTML's ``lang`` takes it."""

DEFAULT_LANGUAGE = "en"


@functools.cache
def zone_language(zone: str) -> str:
    """The first official language of the country of an IANA zone (``Europe/Paris`` →
    ``fr``, ``America/Los_Angeles`` → ``en``), from tzdata's ``zone.tab`` and CLDR (Babel);
    ``en`` when either does not say."""
    table = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text("utf-8")
    for line in table.splitlines():
        fields = line.split("\t")
        if len(fields) >= 3 and fields[2] == zone:
            found = get_official_languages(fields[0], de_facto=True)
            return str(found[0]) if found else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def feeds(raw: object, cities: dict[str, City], base: Path,
           problems: list[str]) -> tuple[FeedSource, ...]:
    if not isinstance(raw, list) or not raw:
        problems.append("[[feeds]]: required; add at least one [[feeds]] table with id, city, url")
        return ()
    feeds = [f for i, t in enumerate(raw) if (f := _feed(i, t, cities, base, problems))]
    seen: set[str] = set()
    for feed in feeds:
        if feed.id in seen:
            problems.append(f"[[feeds]] id {feed.id!r}: used twice; ids must be unique")
        seen.add(feed.id)
    ordered = sorted(feeds, key=lambda f: (f.role != "primary", feeds.index(f)))
    return tuple(_with_rank(f, rank, cities) for rank, f in enumerate(ordered))


def _with_rank(feed: FeedSource, rank: int, cities: dict[str, City]) -> FeedSource:
    city = cities.get(feed.city)
    language = feed.language or (zone_language(city.timezone) if city else DEFAULT_LANGUAGE)
    return FeedSource(feed.id, feed.city, feed.url, feed.timezone, feed.role, feed.auth_env,
                      rank, feed.name, language)


def _feed(index: int, table: object, cities: dict[str, City], base: Path,
          problems: list[str]) -> FeedSource | None:
    where = f"[[feeds]] #{index + 1}"
    if not isinstance(table, dict):
        problems.append(f"{where}: must be a table")
        return None
    fid = table.get("id")
    if isinstance(fid, str) and fid:
        where = f"[[feeds]] {fid!r}"
    _unknown_keys(table, FEED_KEYS, where, problems)
    if not isinstance(fid, str) or not SLUG.match(fid):
        problems.append(f"{where} id: required slug (lowercase letters, digits, '-'), got {fid!r}")
    city = table.get("city")
    if city not in cities:
        problems.append(f"{where} city: {city!r} is not a key of [cities] "
                        f"(known: {', '.join(cities) or 'none'})")
    url = _feed_url(table.get("url"), base, where, problems)
    tz = table.get("timezone", "")
    if tz and not _zone_ok(tz):
        problems.append(f"{where} timezone: {tz!r} is not an IANA time zone")
    role = table.get("role", "primary")
    if role not in ("primary", "aggregator"):
        problems.append(f"{where} role: must be 'primary' or 'aggregator', got {role!r}")
    auth_env = table.get("auth_env", "")
    if auth_env and not (isinstance(auth_env, str) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*",
                                                                      auth_env)):
        problems.append(f"{where} auth_env: must name an environment variable, got {auth_env!r}")
    language = table.get("language", "")
    if language and not (isinstance(language, str) and LANGUAGE_TAG.match(language)):
        problems.append(f"{where} language: must be a language tag such as 'fr' or 'en', "
                        f"got {language!r}")
    return FeedSource(str(fid), str(city), url, str(tz or ""), role, str(auth_env or ""),
                      name=str(table.get("name", "")), language=str(language or ""))


def _feed_url(url: object, base: Path, where: str, problems: list[str]) -> str:
    if not isinstance(url, str) or not url:
        problems.append(f"{where} url: required (http(s)://, webcal:// or a file path)")
        return ""
    if url.startswith(URL_SCHEMES):
        if "@" in url.split("/")[2]:
            problems.append(f"{where} url: credentials in the URL are not allowed; "
                            "put them in an environment variable named by auth_env")
        return url
    if "://" in url and not url.startswith("file://"):
        problems.append(f"{where} url: unsupported scheme in {url!r}")
        return url
    path = Path(url.removeprefix("file://"))
    return str(path if path.is_absolute() else (base / path))


def _unknown_keys(table: dict[str, Any], known: set[str], where: str,
                  problems: list[str]) -> None:
    for key in sorted(set(table) - known):
        problems.append(f"{where}: unknown key {key!r} (known: {', '.join(sorted(known))})")


def section(raw: dict[str, Any], name: str, cls: type, problems: list[str]) -> Any:
    table = raw.get(name, {})
    if not isinstance(table, dict):
        problems.append(f"[{name}]: must be a table")
        return cls()
    defaults = cls()
    values: dict[str, Any] = {}
    for key, value in table.items():
        if not hasattr(defaults, key):
            known = ", ".join(sorted(defaults.__dataclass_fields__))
            problems.append(f"[{name}] {key}: unknown key (known: {known})")
            continue
        expected = type(getattr(defaults, key))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if type(value) is not expected:
            problems.append(f"[{name}] {key}: expected {expected.__name__}, got {value!r}")
            continue
        values[key] = value
    return cls(**values)


def check_ranges(sections: dict[str, Any], problems: list[str]) -> None:
    checks = [
        ("schedule", "interval_seconds", 1, None), ("schedule", "min_interval_seconds", 1, None),
        ("schedule", "jitter_fraction", 0, 0.1), ("publish", "past_days", 0, None),
        ("publish", "future_days", 0, None), ("publish", "tombstone_days", 0, None),
        ("publish", "max_occurrences", 1, None), ("fetch", "max_bytes", 1, None),
        ("fetch", "retries", 0, 10), ("fetch", "parallel", 1, 64),
        ("guard", "mass_deletion_fraction", 0, 1), ("guard", "confirm_syncs", 1, None),
        ("server", "port", 0, 65535),
    ]
    for section, key, low, high in checks:
        value = getattr(sections[section], key)
        if value < low or (high is not None and value > high):
            bound = f"between {low} and {high}" if high is not None else f">= {low}"
            problems.append(f"[{section}] {key}: must be {bound}, got {value!r}")


def database_url(table: object, base: Path, problems: list[str]) -> str:
    if not isinstance(table, dict):
        problems.append("[database]: must be a table")
        return ""
    _unknown_keys(table, {"url"}, "[database]", problems)
    url = table.get("url", "sqlite:///event-bridge.db")
    if not isinstance(url, str) or "://" not in url:
        problems.append(f"[database] url: expected a SQLAlchemy URL such as "
                        f"'sqlite:///event-bridge.db', got {url!r}")
        return ""
    return resolve_sqlite(url, base)


def resolve_sqlite(url: str, base: Path) -> str:
    """A relative SQLite path is relative to the config file's folder."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and url != prefix + ":memory:":
        path = Path(url[len(prefix):])
        if not path.is_absolute():
            return prefix + str(base / path)
    return url


def rules(raw: object, problems: list[str]) -> tuple[Rule, ...]:
    if not isinstance(raw, list):
        problems.append("[[rules]]: must be an array of tables")
        return ()
    rules = []
    for i, table in enumerate(raw):
        where = f"[[rules]] #{i + 1}"
        if not isinstance(table, dict):
            problems.append(f"{where}: must be a table with kind, a, b")
            continue
        _unknown_keys(table, {"kind", "a", "b"}, where, problems)
        kind, a, b = table.get("kind"), table.get("a"), table.get("b")
        if kind not in RULE_KINDS:
            problems.append(f"{where} kind: one of {', '.join(RULE_KINDS)}, got {kind!r}")
        for name, value in (("a", a), ("b", b)):
            if not isinstance(value, str) or ":" not in value:
                problems.append(f"{where} {name}: write the source as 'feed-id:UID', got {value!r}")
        rules.append(Rule(str(kind), str(a), str(b)))
    return tuple(rules)


def log_format(table: object, problems: list[str]) -> str:
    if not isinstance(table, dict):
        problems.append("[logging]: must be a table")
        return "plain"
    _unknown_keys(table, {"format"}, "[logging]", problems)
    fmt = table.get("format", "plain")
    if fmt not in ("plain", "json"):
        problems.append(f"[logging] format: 'plain' or 'json', got {fmt!r}")
    return str(fmt)
