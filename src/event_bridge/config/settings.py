"""The validated configuration as frozen value objects: ``Settings`` and one dataclass per
TOML section.  Field defaults are the documented defaults (``config.example.toml``); a
field's type is the TOML type ``checks.section`` accepts for it.  No I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from event_bridge.errors import ConfigError
from event_bridge.model import City, FeedSource


@dataclass(frozen=True)
class ScheduleSettings:
    interval_seconds: int = 3600
    min_interval_seconds: int = 300
    max_interval_seconds: int = 86400
    jitter_fraction: float = 0.1
    max_backoff_seconds: int = 6 * 3600


@dataclass(frozen=True)
class ServerSettings:
    host: str = "127.0.0.1"
    port: int = 8080
    base_url: str = ""  # public URL for subscribe links; "" = derived from the request
    healthz_max_age_seconds: int = 0  # 0 = three sync intervals


@dataclass(frozen=True)
class PublishSettings:
    name: str = "Paris ⇄ San Francisco"
    past_days: int = 365
    future_days: int = 730
    tombstone_days: int = 7
    allow_private: bool = False
    max_occurrences: int = 1000
    refresh_interval_seconds: int = 0  # 0 = the schedule interval


@dataclass(frozen=True)
class FetchSettings:
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    deadline_seconds: float = 120.0
    max_bytes: int = 20 * 1024 * 1024
    retries: int = 3
    backoff_factor: float = 0.5
    max_retry_after: float = 30.0
    parallel: int = 4


@dataclass(frozen=True)
class GuardSettings:
    mass_deletion_fraction: float = 0.5
    confirm_syncs: int = 3


@dataclass(frozen=True)
class MatchingSettings:
    semantic: bool = True  # use the optional semantic extra when it is installed


@dataclass(frozen=True)
class Rule:
    """An operator's decision: force or forbid a merge or a link between two sources,
    each written ``feed-id:UID``."""

    kind: str
    a: str
    b: str


@dataclass(frozen=True)
class Settings:
    path: Path
    database_url: str
    cities: dict[str, City]
    feeds: tuple[FeedSource, ...]
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    server: ServerSettings = field(default_factory=ServerSettings)
    publish: PublishSettings = field(default_factory=PublishSettings)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    guard: GuardSettings = field(default_factory=GuardSettings)
    matching: MatchingSettings = field(default_factory=MatchingSettings)
    rules: tuple[Rule, ...] = ()
    log_format: str = "plain"

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    def feed(self, feed_id: str) -> FeedSource:
        for feed in self.feeds:
            if feed.id == feed_id:
                return feed
        raise ConfigError(f"no feed with id {feed_id!r}; known: {', '.join(self.feed_ids)}")

    @property
    def feed_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.feeds)

    @property
    def refresh_seconds(self) -> int:
        return self.publish.refresh_interval_seconds or self.schedule.interval_seconds
