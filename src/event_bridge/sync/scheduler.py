"""One scheduler interface, two engines, chosen by the database: SQLite (the embedded
default) keeps the in-process APScheduler daemon (:mod:`.daemon`); PostgreSQL makes every
``run`` process a member of one procrastinate cluster (:mod:`.cluster`).  Both serve the
HTTP app beside their scheduling and both hold the sync lock, so ``sync --once`` cannot
collide with them."""

from __future__ import annotations

from typing import Any, Protocol

from event_bridge.clock import Clock
from event_bridge.config.settings import Settings
from event_bridge.fetch.http import Fetcher
from event_bridge.store.lock import is_postgres, sync_lock
from event_bridge.store.repository import Repository
from event_bridge.sync.daemon import Daemon


class Scheduler(Protocol):
    def serve(self, app: Any, host: str, port: int) -> bool:
        """Schedule syncs and serve ``app`` until SIGTERM/SIGINT; ``True`` if nothing is
        left running (else the caller exits at once: the OS and the database release what
        the process held)."""
        ...


def scheduler_for(settings: Settings, repo: Repository, fetcher: Fetcher, clock: Clock, *,
                  interval: int | None = None) -> Scheduler:
    url = settings.database_url
    if is_postgres(url):
        from event_bridge.sync.cluster import ClusterMember  # procrastinate: PostgreSQL only

        return ClusterMember(settings, repo, fetcher, clock, interval=interval)
    return Daemon(settings, repo, fetcher, clock, interval=interval, lock=sync_lock(url))
