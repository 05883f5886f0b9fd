"""TOML configuration → frozen ``Settings``.

Every problem is collected with its key path and reported at once in one ``ConfigError``;
``config.example.toml`` documents every key and its default.  This module is an edge: it
reads one file and the environment, and imports nothing from the core.

Here: finding and reading the file (``config_path``, ``load``) and assembles ``Settings``
(``parse``); the settings types live in :mod:`.settings`, the per-section validators in
:mod:`.checks`.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from event_bridge.config import checks

# Re-exported: callers and tests read the settings types and the known keys here.
from event_bridge.config.settings import (
    FetchSettings,
    GuardSettings,
    MatchingSettings,
    PublishSettings,
    ScheduleSettings,
    ServerSettings,
    Settings,
)
from event_bridge.errors import ConfigError

ENV_CONFIG = "EVENT_BRIDGE_CONFIG"
DEFAULT_CONFIG = "event-bridge.toml"


def config_path(explicit: str | os.PathLike[str] | None) -> Path:
    """``--config``, else ``$EVENT_BRIDGE_CONFIG``, else ``./event-bridge.toml``."""
    return Path(explicit or os.environ.get(ENV_CONFIG) or DEFAULT_CONFIG)


def load(path: str | os.PathLike[str]) -> Settings:
    """Read and validate a configuration file; raise ``ConfigError`` listing every problem."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"config file {str(path)!r} not found; copy config.example.toml there "
            f"or pass --config PATH (or set ${ENV_CONFIG})"
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"not valid TOML: {exc}", path=str(path)) from None
    return parse(raw, path.resolve())


def parse(raw: dict[str, Any], path: Path) -> Settings:
    """Validate a decoded TOML document (``path`` anchors relative paths)."""
    problems: list[str] = []
    cities = checks.cities(raw.get("cities"), problems)
    feeds = checks.feeds(raw.get("feeds"), cities, path.parent, problems)
    sections = {
        "schedule": checks.section(raw, "schedule", ScheduleSettings, problems),
        "server": checks.section(raw, "server", ServerSettings, problems),
        "publish": checks.section(raw, "publish", PublishSettings, problems),
        "fetch": checks.section(raw, "fetch", FetchSettings, problems),
        "guard": checks.section(raw, "guard", GuardSettings, problems),
        "matching": checks.section(raw, "matching", MatchingSettings, problems),
    }
    database_url = checks.database_url(raw.get("database", {}), path.parent, problems)
    rules = checks.rules(raw.get("rules", []), problems)
    log_format = checks.log_format(raw.get("logging", {}), problems)
    checks.check_known(raw, problems)
    checks.check_ranges(sections, problems)
    if problems:
        raise ConfigError(problems, path=str(path))
    return Settings(path, database_url, cities, feeds, rules=rules, log_format=log_format,
                    **sections)


