"""The cluster engine: with PostgreSQL, every ``event-bridge run`` process is a procrastinate
worker beside its HTTP server, and the work is split by feed.

Jobs (procrastinate tasks, one queue, stored in the bridge's own database):

- ``plan`` — a periodic task (one job per tick for the whole cluster, whatever the number
  of workers: procrastinate's periodic defers are unique per tick).  It defers one ``fetch``
  job per due feed (the daemon's schedule: interval, source hint, backoff, jitter) and a
  ``publish`` job when the stored inputs differ from the last publication's.
- ``sweep`` — periodic too, without a lock: puts the jobs of workers whose heartbeat stopped
  (``get_stalled_jobs``) back into the queue, and hourly deletes old failed jobs.
- ``fetch`` — fetch and store one feed.  Queueing lock = execution lock = the feed id: a
  feed is queued at most once and fetched by one worker at a time.  The job re-checks that
  the feed is still due when it starts, so a job queued while another was fetching the same
  feed does not fetch it a second time.  A feed whose content changed defers ``publish``.
- ``publish`` — dedupe, link, render and store the snapshots; queueing lock and execution
  lock ``publish``: one at a time, at most one waiting.

Every member's server answers from the latest stored snapshot (its feed cache notices a new
run in the database).  A member holds the sync lock *shared* for its lifetime
(:mod:`event_bridge.store.lock`), so ``sync --once`` is refused while the cluster runs.
SIGTERM: the server stops accepting, the worker takes no new job, a running job gets
``SHUTDOWN_GRACE_SECONDS`` to finish and is otherwise aborted (the next ``plan`` tick queues
its feed again) and the process exits 0.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

import procrastinate
import psycopg
import uvicorn
import uvloop
from procrastinate import exceptions as pexc
from procrastinate.job_context import JobContext
from procrastinate.jobs import Status
from procrastinate.schema import SchemaManager
from psycopg.rows import dict_row

from event_bridge.clock import Clock
from event_bridge.config.settings import Settings
from event_bridge.errors import EventBridgeError, StoreError
from event_bridge.fetch.http import Fetcher
from event_bridge.model import FeedOutcome, FeedState, SyncReport
from event_bridge.store.lock import (
    PG_KEY_QUERY,
    SyncLock,
    holder_name,
    pg_conninfo,
    sync_lock,
)
from event_bridge.store.repository import Repository
from event_bridge.sync import pipeline
from event_bridge.sync.daemon import (
    HTTP_DRAIN_SECONDS,
    SHUTDOWN_GRACE_SECONDS,
    StoppingServer,
    absorb_reraised_signals,
    tick_seconds,
)
from event_bridge.sync.schedule import Policy, due_feeds

log = logging.getLogger("event_bridge.sync.cluster")

PLAN, FETCH, PUBLISH, SWEEP = "bridge:plan", "bridge:fetch", "bridge:publish", "bridge:sweep"
HEARTBEAT_SECONDS = 2.0
"""How often a worker proves it is alive (procrastinate's default is 10 s)."""
STALLED_SECONDS = 10.0
"""A worker silent this long is presumed dead: its running jobs go back to the queue.  Five
missed heartbeats: a busy event loop never looks dead, a dead worker's feeds wait ~10 s."""
POLL_SECONDS = 1.0
"""A worker also looks for work this often: a job whose execution lock frees up (the next
``publish`` waiting for the running one) sends no notification (procrastinate polls every
5 s by default)."""
JOIN_RETRY_SECONDS = 1.0
"""How often a member waiting for a ``sync --once`` to end tries the lock again."""
KEEP_FAILED_HOURS = 24
"""Succeeded jobs are deleted at once; failed and aborted ones stay this long (shown by
``event-bridge cluster``), then the hourly clean-up removes them."""
SCHEMA_LOCK = 0x6576_6272  # the key store.schema uses to serialise upgrades


# -- what the jobs work with --------------------------------------------------------------

@dataclass
class Bridge:
    """The member's view of the bridge: what its jobs need, and the jobs' blocking bodies
    (run in threads by the async tasks)."""

    settings: Settings
    repo: Repository
    fetcher: Fetcher
    clock: Clock
    policy: Policy
    threads: int = 4
    busy: int = 0
    _count: threading.Lock = field(default_factory=threading.Lock)
    executor: ThreadPoolExecutor = field(init=False)

    def __post_init__(self) -> None:
        # our own pool, not the loop's default one: asyncio.run() would wait for a thread
        # stuck in a fetch on the way out, and a leaving member must not
        self.executor = ThreadPoolExecutor(self.threads, thread_name_prefix="job")

    def due(self, feed_ids: Sequence[str] | None = None) -> list[str]:
        """The configured feeds (or those of ``feed_ids``) due now: one query for all of
        them, one per feed for a few."""
        if feed_ids is None:
            stored = {st.feed_id: st for st in self.repo.feed_states()}
            states = [stored.get(fid) or FeedState(fid) for fid in self.settings.feed_ids]
        else:
            states = [self.repo.feed_state(fid) for fid in feed_ids
                      if fid in self.settings.feed_ids]
        return due_feeds(self.policy, states, self.clock.now())

    def publication_stale(self) -> bool:
        """The stored inputs differ from those of the last publication."""
        fingerprint = pipeline.publication_inputs(self.settings, self.clock.now(),
                                                  self.repo.source_digest())
        last = self.repo.runs(1)
        return not last or last[0].fingerprint != fingerprint

    def fetch(self, feed_id: str) -> FeedOutcome | None:
        """Fetch and store one feed if it is (still) due; ``None`` if it was not."""
        if not self.due([feed_id]):  # fetched meanwhile, or no longer configured
            return None
        return pipeline.sync_feed(self.settings, self.fetcher, self.repo, self.clock, feed_id)

    def publish(self) -> SyncReport | None:
        if not self.publication_stale():
            return None
        started, began = self.clock.now(), self.clock.monotonic()
        outcomes = [FeedOutcome(st.feed_id, "failed" if st.last_error else "ok",
                                st.event_count, error=st.last_error)
                    for st in self.repo.feed_states() if st.feed_id in self.settings.feed_ids]
        return pipeline.publish_stored(self.settings, self.repo, self.clock, started, outcomes,
                                       began=began)

    async def run(self, body: Callable[..., Any], *args: Any) -> Any:
        """``body(*args)`` in a job thread, counted there (a member leaving must know whether
        a job thread still runs, even one whose job was aborted)."""
        def counted() -> Any:
            with self._count:
                self.busy += 1
            try:
                return body(*args)
            finally:
                with self._count:
                    self.busy -= 1

        return await asyncio.get_running_loop().run_in_executor(self.executor, counted)


def _bridge(context: JobContext) -> Bridge:
    bridge = context.additional_context["bridge"]
    assert isinstance(bridge, Bridge)
    return bridge


# -- the procrastinate app ------------------------------------------------------------------

def build_app(url: str, tick: float = 5.0) -> procrastinate.App:
    """The app every member builds alike (same task names, same periodic ``plan``)."""
    conninfo = pg_conninfo(url)
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(
        conninfo=conninfo, min_size=1, max_size=4,
        kwargs={"application_name": f"event-bridge {worker_name()}"}))

    @app.task(name=FETCH, pass_context=True)
    async def fetch(context: JobContext, feed_id: str) -> None:
        bridge = _bridge(context)
        outcome = await bridge.run(bridge.fetch, feed_id)
        if outcome is None:
            return
        log.info("%s: %s, %d events (%s)", feed_id, outcome.status, outcome.events,
                 context.worker_name)
        if outcome.status == "ok" and (outcome.new or outcome.changed or outcome.removed):
            await defer_publish(app)  # anything subtler (a crash before this) `plan` notices

    @app.task(name=PUBLISH, pass_context=True)
    async def publish(context: JobContext) -> None:
        bridge = _bridge(context)
        t0 = bridge.clock.monotonic()
        report = await bridge.run(bridge.publish)
        if report is not None:
            seconds = bridge.clock.monotonic() - t0
            log.info("published %d events, %d links (ETag %s) in %.1fs (%s)",
                     report.published_events, report.links, report.etag, seconds,
                     context.worker_name)

    @app.periodic(cron=cron_every(tick), periodic_id="tick")
    @app.task(name=PLAN, pass_context=True, queueing_lock="plan", lock="plan")
    async def plan(context: JobContext, timestamp: int) -> None:
        bridge = _bridge(context)
        due = await bridge.run(bridge.due)
        busy = await feeds_in_queue(app)
        for feed_id in due:
            if feed_id not in busy:  # the job there will do (or has just done) the fetch
                await defer_fetch(app, feed_id)
        if await bridge.run(bridge.publication_stale):
            await defer_publish(app)

    # Not part of `plan`: a plan job caught in a dead worker holds the "plan" lock, and only
    # a sweep that does not wait for that lock can free it.
    @app.periodic(cron=cron_every(tick), periodic_id="tick")
    @app.task(name=SWEEP, queueing_lock="sweep")
    async def sweep(timestamp: int) -> None:
        await sweep_stalled(app)
        if timestamp % 3600 < tick:  # hourly: failed and aborted jobs kept a day, for `cluster`
            await app.job_manager.delete_old_jobs(nb_hours=KEEP_FAILED_HOURS, include_failed=True,
                                                  include_cancelled=True, include_aborted=True)

    return app


def cron_every(seconds: float) -> str:
    """A six-field cron (seconds last, croniter's form) ticking every ``seconds`` (1–30,
    rounded to a divisor of 60 so ticks stay evenly spaced across minutes)."""
    step = min((d for d in (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30) if d >= round(seconds)),
               default=30)
    return f"* * * * * */{step}"


async def defer_fetch(app: procrastinate.App, feed_id: str) -> None:
    task = app.tasks[FETCH]
    with suppress(pexc.AlreadyEnqueued):  # already waiting in the queue: once is enough
        await task.configure(queueing_lock=f"feed:{feed_id}", lock=f"feed:{feed_id}") \
            .defer_async(feed_id=feed_id)


async def feeds_in_queue(app: procrastinate.App) -> set[str]:
    """Feeds with a fetch job waiting or running: one query, instead of one refused insert
    per such feed on every tick (10,000 feeds would make that the plan's main cost)."""
    found = set()
    for status in ("todo", "doing"):
        for job in await app.job_manager.list_jobs_async(task=FETCH, status=status):
            found.add(str(job.task_kwargs.get("feed_id")))
    return found


async def defer_publish(app: procrastinate.App) -> None:
    with suppress(pexc.AlreadyEnqueued):  # the waiting one will see this change too
        await app.tasks[PUBLISH].configure(queueing_lock="publish", lock="publish") \
            .defer_async()


async def sweep_stalled(app: procrastinate.App) -> list[int]:
    """Put the jobs of workers whose heartbeat stopped back in the queue; a fetch job whose
    feed is already queued again is closed as failed instead (the queued one does the work).
    Returns the ids handled."""
    manager = app.job_manager
    handled = []
    for job in await manager.get_stalled_jobs(seconds_since_heartbeat=STALLED_SECONDS):
        assert job.id is not None
        try:
            await manager.retry_job(job)
            log.warning("job %s (%s) of a dead worker queued again", job.id, job.call_string)
        except pexc.ConnectorException:
            try:
                await manager.finish_job(job, status=Status.FAILED, delete_job=False)
            except pexc.ConnectorException:
                continue  # finished meanwhile
        handled.append(job.id)
    return handled


def worker_name() -> str:
    return holder_name()


def apply_schema(url: str) -> bool:
    """Create procrastinate's tables, types and functions in the bridge's database (its own
    ``SchemaManager.get_schema()`` SQL), unless present; ``True`` if applied.  Serialised
    with ``event-bridge db upgrade`` by the same advisory lock."""
    sql = SchemaManager.get_schema()
    try:
        with psycopg.connect(pg_conninfo(url), connect_timeout=10) as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
            row = conn.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()
            if row is not None and row[0] is not None:
                return False
            conn.execute(sql)  # procrastinate's own script, no parameters
            return True
    except psycopg.Error as exc:
        raise StoreError(f"cannot apply the job queue schema ({str(exc).strip()})",
                         hint="check [database] url and that the user may create tables") \
            from exc


# -- a member -------------------------------------------------------------------------------

class ClusterMember:
    """One ``run`` process on PostgreSQL: a procrastinate worker plus the HTTP server."""

    def __init__(self, settings: Settings, repo: Repository, fetcher: Fetcher, clock: Clock,
                 *, interval: int | None = None, lock: SyncLock | None = None) -> None:
        policy = Policy.from_settings(settings.schedule, interval)
        self.concurrency = max(1, settings.fetch.parallel)
        self.bridge = Bridge(settings, repo, fetcher, clock, policy, self.concurrency + 2)
        self.url = settings.database_url
        self.lock = lock or sync_lock(self.url, member=True)
        self.app = build_app(self.url, tick_seconds(policy))
        self._worker: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def serve(self, app: Any, host: str, port: int) -> bool:
        """Serve and work until SIGTERM/SIGINT; ``True`` if no job thread is left running
        (else the caller exits without waiting for it)."""
        apply_schema(self.url)
        # the same server choices as the daemon (uvloop + httptools, by measurement: bench/)
        config = uvicorn.Config(app, host=host, port=port, http="httptools", log_config=None,
                                access_log=False, server_header=False,
                                timeout_graceful_shutdown=HTTP_DRAIN_SECONDS)
        server = StoppingServer(config, self.request_stop)
        absorb_reraised_signals()
        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            return runner.run(self._main(server))

    def request_stop(self) -> None:
        """Signal-safe: the worker takes no new job after this."""
        if self._loop is not None and self._worker is not None:
            self._loop.call_soon_threadsafe(self._worker.cancel)

    async def _main(self, server: uvicorn.Server) -> bool:
        self._loop = asyncio.get_running_loop()
        self._worker = asyncio.create_task(self._work(), name="cluster worker")
        http = asyncio.create_task(server.serve(), name="http server")
        done, _ = await asyncio.wait({http, self._worker}, return_when=asyncio.FIRST_COMPLETED)
        if self._worker in done and not self._worker.cancelled():
            server.should_exit = True  # the worker failed: no point serving a stale bridge
            await http
            self.lock.release()
            error = self._worker.exception()
            raise error if isinstance(error, EventBridgeError) else StoreError(
                f"the cluster worker stopped: {error}",
                hint="check the database connection, then start `event-bridge run` again")
        await asyncio.wait({http, self._worker})
        self.bridge.executor.shutdown(wait=False)
        clean = self.bridge.busy == 0
        if clean:
            self.lock.release()  # else the process exit releases it
        else:
            log.warning("a job still running after %gs: abandoned (the next plan tick queues "
                        "its feed again)", SHUTDOWN_GRACE_SECONDS)
        return clean

    async def _work(self) -> None:
        await self._join()
        async with self.app.open_async():
            log.info("cluster member %s: %d feeds, up to %d jobs at once",
                     worker_name(), len(self.bridge.settings.feeds), self.concurrency)
            await self.app.run_worker_async(
                name=worker_name(), concurrency=self.concurrency, install_signal_handlers=False,
                update_heartbeat_interval=HEARTBEAT_SECONDS,
                stalled_worker_timeout=STALLED_SECONDS,
                shutdown_graceful_timeout=SHUTDOWN_GRACE_SECONDS, delete_jobs="successful",
                fetch_job_polling_interval=POLL_SECONDS,
                additional_context={"bridge": self.bridge})

    async def _join(self) -> None:
        """Take the shared sync lock, waiting while a ``sync --once`` holds it."""
        said = False
        while not await asyncio.to_thread(self.lock.try_acquire):
            if not said:
                log.warning("a `sync --once` is running on this database: joining the "
                            "cluster when it ends")
                said = True
            await asyncio.sleep(JOIN_RETRY_SECONDS)


# -- what `event-bridge cluster` shows ---------------------------------------------------------

@dataclass(frozen=True)
class ClusterStatus:
    members: list[dict[str, Any]]   # processes holding the sync lock: cluster members or a sync
    workers: list[dict[str, Any]]   # procrastinate workers and their heartbeats
    jobs: list[dict[str, Any]]      # counts by task and status (todo, doing, failed, aborted)
    running: list[dict[str, Any]]   # jobs in progress: task, feed, worker


_MEMBERS = """
SELECT a.pid, a.application_name, a.client_addr::text AS client, a.backend_start, l.mode
  FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
 WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
   AND l.classid = %(classid)s::bigint::oid AND l.objid = %(objid)s::bigint::oid
 ORDER BY a.backend_start"""
_WORKERS = """
SELECT id, last_heartbeat, EXTRACT(EPOCH FROM NOW() - last_heartbeat)::float AS age
  FROM procrastinate_workers ORDER BY id"""
_JOBS = """
SELECT task_name AS task, status::text AS status, COUNT(*) AS jobs FROM procrastinate_jobs
 WHERE status <> 'succeeded' GROUP BY 1, 2 ORDER BY 1, 2"""
_RUNNING = """
SELECT id, task_name AS task, args->>'feed_id' AS feed, worker_id AS worker, attempts
  FROM procrastinate_jobs WHERE status = 'doing' ORDER BY id"""


def cluster_status(url: str) -> ClusterStatus:
    """Read the cluster's state from PostgreSQL (the lock holders, procrastinate's tables)."""
    try:
        with psycopg.connect(pg_conninfo(url), connect_timeout=10,
                             row_factory=dict_row) as conn:
            if conn.execute("SELECT to_regclass('procrastinate_jobs') AS t").fetchone() \
                    in (None, {"t": None}):
                raise StoreError("the database has no job queue yet",
                                 hint="run `event-bridge db upgrade` (or start `event-bridge run`)")
            key = conn.execute(PG_KEY_QUERY).fetchone()
            assert key is not None
            unsigned = int(next(iter(key.values()))) & 0xFFFF_FFFF_FFFF_FFFF
            members = conn.execute(_MEMBERS, {"classid": unsigned >> 32,
                                              "objid": unsigned & 0xFFFF_FFFF}).fetchall()
            return ClusterStatus(members, conn.execute(_WORKERS).fetchall(),
                                 conn.execute(_JOBS).fetchall(), conn.execute(_RUNNING).fetchall())
    except psycopg.Error as exc:
        raise StoreError(f"cannot read the cluster's state ({str(exc).strip()})",
                         hint="is PostgreSQL running, and is [database] url right?") from exc
