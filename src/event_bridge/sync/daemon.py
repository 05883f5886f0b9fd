"""The daemon: an APScheduler 3.x ``BackgroundScheduler`` syncing due feeds, beside a
uvicorn server answering subscribers, in one process.

- One *tick* job runs every few seconds (``max_instances=1``, ``coalesce=True``: never two
  syncs from this process, missed ticks collapse into one).  It asks :mod:`.schedule` which
  feeds are due and calls ``pipeline.run_once(feed_ids=due)``, which republishes from
  everything stored; the server reads snapshots from the same store, so the next request
  sees the new feed.
- The sync lock (:mod:`event_bridge.store.lock`, an OS file lock beside a SQLite database)
  is taken by the first tick and held until the daemon stops, so a ``sync --once`` beside a
  running daemon is refused at once; a daemon that finds the lock taken (a ``sync --once``
  or a second daemon on the same database) logs the skip once and tries again on a later
  tick.  The OS drops the lock when the process dies, so a SIGKILLed daemon blocks nothing.
- SIGTERM / SIGINT: uvicorn stops accepting and drains its connections; no new sync starts;
  a running sync gets ``SHUTDOWN_GRACE_SECONDS`` to finish.  If it does not, ``run`` says so
  and the caller exits without it (its uncommitted writes roll back, the lock goes with the
  process; the next sync redoes the work).
"""

from __future__ import annotations

import logging
import signal
import threading
from dataclasses import replace
from datetime import UTC
from types import FrameType
from typing import Any

import uvicorn
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from event_bridge.clock import Clock
from event_bridge.config.settings import Settings
from event_bridge.errors import EventBridgeError
from event_bridge.fetch.http import Fetcher
from event_bridge.model import SyncReport
from event_bridge.store.lock import LocalLock, SyncLock, refused
from event_bridge.store.repository import Repository
from event_bridge.sync import pipeline
from event_bridge.sync.logs import log_sync
from event_bridge.sync.schedule import Policy, base_interval, due_feeds

log = logging.getLogger("event_bridge.sync.daemon")

MIN_TICK_SECONDS = 0.5
MAX_TICK_SECONDS = 5.0
"""How often due feeds are looked for: a fifth of the shortest interval, within these bounds
(each tick reads one state row per feed, cheap enough every few seconds)."""

SHUTDOWN_GRACE_SECONDS = 6.0
"""How long a running sync may take to finish after SIGTERM (systemd and Docker wait 10 s
before SIGKILL; uvicorn's own drain below comes out of the same budget)."""

HTTP_DRAIN_SECONDS = 2
"""How long open HTTP connections get to complete once the server stops accepting."""


def effective_settings(settings: Settings, interval: int | None) -> Settings:
    """With ``run --interval``, the published REFRESH-INTERVAL and the server's
    Cache-Control follow the interval actually used."""
    if interval is None:
        return settings
    return replace(settings, schedule=replace(settings.schedule, interval_seconds=interval))


def tick_seconds(policy: Policy) -> float:
    shortest = base_interval(policy, policy.min_interval)
    return min(MAX_TICK_SECONDS, max(MIN_TICK_SECONDS, shortest / 5))


class Daemon:
    """Scheduler + sync loop; ``serve`` adds the HTTP server in the calling (main) thread."""

    def __init__(self, settings: Settings, repo: Repository, fetcher: Fetcher, clock: Clock,
                 *, interval: int | None = None, lock: SyncLock | None = None) -> None:
        self.settings, self.repo, self.fetcher, self.clock = settings, repo, fetcher, clock
        self.lock = lock or LocalLock()
        self.policy = Policy.from_settings(settings.schedule, interval)
        self._guard = threading.Lock()  # orders "stopping" against "a sync starts"
        self._stopping = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._skipping = False
        self.scheduler = BackgroundScheduler(timezone=UTC, daemon=True)

    # -- the sync side -------------------------------------------------------------------

    def due(self) -> list[str]:
        states = [self.repo.feed_state(f.id) for f in self.settings.feeds]
        return due_feeds(self.policy, states, self.clock.now())

    def tick(self) -> SyncReport | None:
        """Sync the feeds that are due, if any and if not stopping; never raises (a tick
        that fails is logged and the next one tries again)."""
        try:
            due = self.due()
        except EventBridgeError as exc:
            log.error("cannot read feed states: %s", exc)
            return None
        if not due or not self._begin():
            return None
        try:
            return self._sync(due)
        finally:
            self._idle.set()

    def _begin(self) -> bool:
        with self._guard:
            if self._stopping.is_set():
                return False
            self._idle.clear()
            return True

    def _sync(self, due: list[str]) -> SyncReport | None:
        t0 = self.clock.monotonic()
        try:
            if not self.lock.try_acquire():  # held from the first tick until the daemon stops
                raise refused()
            report = pipeline.run_once(self.settings, self.fetcher, self.repo, self.clock,
                                       feed_ids=due)
        except EventBridgeError as exc:
            if not self._skipping:  # once per streak: a long `sync --once` spans many ticks
                hint = f" ({exc.hint})" if exc.hint else ""
                log.warning("sync skipped: %s%s; retrying on a later tick", exc, hint)
            self._skipping = True
            return None
        self._skipping = False
        failures = {o.feed_id: self.repo.feed_state(o.feed_id).consecutive_failures
                    for o in report.feeds if o.status == "failed"}
        log_sync(report, failures, self.clock.monotonic() - t0)
        return report

    def start(self) -> None:
        """Start ticking in the background; the first tick runs at once."""
        period = tick_seconds(self.policy)
        self.scheduler.add_job(self.tick, IntervalTrigger(seconds=period, timezone=UTC),
                               id="tick", name="sync due feeds", max_instances=1,
                               coalesce=True, misfire_grace_time=None,
                               next_run_time=self.clock.now())
        self.scheduler.start()
        mode = (f"every {self.policy.interval:g}s (--interval)" if self.policy.fixed else
                f"every {self.policy.interval:g}s or the feed's hint within "
                f"[{self.policy.min_interval:g}s, {self.policy.max_interval:g}s]")
        n = len(self.settings.feeds)
        log.info("scheduler: %d feed%s, %s, jitter ≤ %d%%, checking every %gs",
                 n, "" if n == 1 else "s", mode, round(self.policy.jitter_fraction * 100),
                 period)

    def request_stop(self) -> None:
        """Signal-safe: no sync starts after this returns."""
        self._stopping.set()

    def stop(self, grace: float = SHUTDOWN_GRACE_SECONDS) -> bool:
        """Stop scheduling and wait up to ``grace`` seconds for a running sync; ``True`` if
        none is left running."""
        with self._guard:
            self._stopping.set()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if self._idle.is_set() or self._wait_idle(grace):
            self.lock.release()
            return True
        # the lock stays held: the process is about to exit, and its death releases it
        log.warning("sync still running after %gs: abandoning it (its uncommitted writes "
                    "roll back; the next sync redoes them)", grace)
        return False

    def _wait_idle(self, grace: float) -> bool:
        log.info("waiting up to %gs for the running sync to finish", grace)
        return self._idle.wait(grace)

    # -- the HTTP side -------------------------------------------------------------------

    def serve(self, app: Any, host: str, port: int) -> bool:
        """Run ``app`` with uvicorn in this (main) thread and the scheduler beside it, until
        SIGTERM/SIGINT; return ``stop()``'s verdict."""
        # the same server choices as `serve` (uvloop + httptools, by measurement: bench/)
        config = uvicorn.Config(app, host=host, port=port, loop="uvloop", http="httptools",
                                log_config=None, access_log=False, server_header=False,
                                timeout_graceful_shutdown=HTTP_DRAIN_SECONDS)
        server = StoppingServer(config, self.request_stop)
        absorb_reraised_signals()
        self.start()
        try:
            server.run()
        finally:
            clean = self.stop()
        return clean


class StoppingServer(uvicorn.Server):
    """uvicorn's server, also telling the daemon to stop scheduling the moment a signal
    arrives (not only once the HTTP side has drained)."""

    def __init__(self, config: uvicorn.Config, on_exit: Any) -> None:
        super().__init__(config)
        self._on_exit = on_exit

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self._on_exit()
        super().handle_exit(sig, frame)


def absorb_reraised_signals() -> None:
    """uvicorn re-raises the signal that stopped it once it is done, expecting the default
    handler to end the process; we still have a sync to wind down and want exit status 0,
    so the handlers that are in place when uvicorn returns only note the signal."""
    def noted(sig: int, frame: FrameType | None) -> None:
        log.info("stopped by %s", signal.Signals(sig).name)

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, noted)
