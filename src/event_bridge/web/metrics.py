"""``/metrics``: Prometheus text, in Prometheus conventions.

A custom collector reads the recorded syncs and feed states when Prometheus scrapes, so the
same numbers come out whether the syncs ran in this process (the daemon) or in another one
(`serve` beside a cron `sync --once`).  Figures over the last ``RUNS_WINDOW`` recorded runs
are gauges.  Counters and histograms of syncs and fetches (``*_total``, ``*_duration_seconds``)
are fed at each scrape from the recorded runs this process has not counted yet
(:class:`SyncCounters`), so ``rate()`` works; HTTP requests are counted and timed by
:class:`Instrumented` around the whole app; the process collector adds CPU, memory and file
descriptors.  Each app owns its ``CollectorRegistry``: no global state.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, ProcessCollector
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from event_bridge.clock import Clock
from event_bridge.model import FeedOutcome, SyncReport
from event_bridge.store.repository import Repository

RUNS_WINDOW = 20
"""Recorded syncs the per-feed outcome counts and the 304 ratio are computed over."""

OUTCOMES = ("ok", "unchanged", "failed", "held")
PREFIX = "event_bridge_"

Sizes = Callable[[], dict[str, tuple[int, int]]]


class StoreCollector(Collector):
    """Feed and sync figures from ``repo``; ``sizes`` gives served bytes per snapshot."""

    def __init__(self, repo: Repository, clock: Clock, sizes: Sizes) -> None:
        self.repo = repo
        self.clock = clock
        self.sizes = sizes
        self._merges: tuple[object, int] = (None, 0)

    def collect(self) -> Iterator[Metric]:
        runs = self.repo.runs(limit=RUNS_WINDOW)
        now = self.clock.now()
        yield from self._feed_metrics(runs, now)
        yield from self._sync_metrics(runs, now)
        yield from self._published_metrics(runs)

    def _feed_metrics(self, runs: Sequence[SyncReport], now: datetime) -> Iterator[Metric]:
        outcomes = _gauge("feed_fetch_outcomes", "Fetch outcomes per feed over the last "
                          f"{RUNS_WINDOW} recorded syncs", ["feed", "outcome"])
        ratio = _gauge("feed_not_modified_ratio", "Share of successful fetches answered "
                       "304 / unchanged, over the same window", ["feed"])
        latency = _gauge("feed_fetch_seconds", "Duration of the feed's latest fetch", ["feed"])
        stamp = _gauge("feed_last_success_timestamp_seconds", "Unix time of the feed's latest "
                       "successful fetch", ["feed"])
        events = _gauge("feed_events", "Events stored for the feed", ["feed"])
        failures = _gauge("feed_consecutive_failures", "Failed fetches in a row", ["feed"])
        age = _gauge("feed_last_success_age_seconds", "Seconds since the feed last fetched "
                     "successfully", ["feed"])
        fetched = _gauge("feed_fetched_bytes", "Body bytes fetched over the same window "
                         "(0 for 304 / unchanged answers)", ["feed"])
        per_feed = _outcomes_by_feed(runs)
        for state in self.repo.feed_states():
            feed, seen = state.feed_id, per_feed.get(state.feed_id, [])
            for outcome in OUTCOMES:
                outcomes.add_metric([feed, outcome], sum(o.status == outcome for o in seen))
            good = [o for o in seen if o.status in ("ok", "unchanged")]
            if good:
                ratio.add_metric([feed], sum(o.status == "unchanged" for o in good) / len(good))
            if seen:
                latency.add_metric([feed], seen[0].seconds)
            fetched.add_metric([feed], sum(o.bytes for o in seen))
            events.add_metric([feed], state.event_count)
            failures.add_metric([feed], state.consecutive_failures)
            if state.last_success is not None:
                age.add_metric([feed], (now - state.last_success).total_seconds())
                stamp.add_metric([feed], state.last_success.timestamp())
        yield from (outcomes, ratio, latency, events, failures, age, fetched, stamp)

    def _sync_metrics(self, runs: Sequence[SyncReport], now: datetime) -> Iterator[Metric]:
        duration = _gauge("sync_last_duration_seconds", "Duration of the latest recorded sync")
        stamp = _gauge("sync_last_success_timestamp_seconds", "Unix time when a sync last "
                       "finished with at least one feed fetched")
        longest = _gauge("sync_duration_max_seconds", f"Longest of the last {RUNS_WINDOW} syncs")
        recorded = _gauge("syncs_recorded", f"Syncs among the last {RUNS_WINDOW}, by result",
                          ["result"])
        age = _gauge("sync_last_success_age_seconds", "Seconds since a sync last finished with "
                     "at least one feed fetched")
        if runs:
            duration.add_metric([], _seconds(runs[0]))
            longest.add_metric([], max(_seconds(r) for r in runs))
        recorded.add_metric(["ok"], sum(not r.failed for r in runs))
        recorded.add_metric(["failed"], sum(r.failed for r in runs))
        last = last_good_sync(runs)
        if last is not None:
            age.add_metric([], (now - last).total_seconds())
            stamp.add_metric([], last.timestamp())
        yield from (duration, longest, recorded, age, stamp)

    def _published_metrics(self, runs: Sequence[SyncReport]) -> Iterator[Metric]:
        events = _gauge("published_events", "Events in the merged feed (tombstones included)")
        links = _gauge("links", "Cross-city links in the merged feed")
        merges = _gauge("merged_events", "Published events merged from two or more sources")
        size = _gauge("published_bytes", "Size of each served feed", ["feed", "encoding"])
        if runs:
            events.add_metric([], runs[0].published_events)
            links.add_metric([], runs[0].links)
            merges.add_metric([], self._merge_count(runs[0]))
        for name, (plain, packed) in sorted(self.sizes().items()):
            size.add_metric([name, "identity"], plain)
            size.add_metric([name, "gzip"], packed)
        yield from (events, links, merges, size)

    def _merge_count(self, run: SyncReport) -> int:
        """Counted once per sync: reading every published record is the costly part."""
        version = (run.started, run.etag)
        if self._merges[0] != version:
            records = self.repo.published().values()
            self._merges = (version, sum(len(r.event.sources) > 1 for r in records))
        return self._merges[1]


def _gauge(name: str, doc: str, labels: Sequence[str] = ()) -> GaugeMetricFamily:
    return GaugeMetricFamily(PREFIX + name, doc, labels=list(labels))


def _seconds(run: SyncReport) -> float:
    return (run.finished - run.started).total_seconds()


def _outcomes_by_feed(runs: Sequence[SyncReport]) -> dict[str, list[FeedOutcome]]:
    """Newest first, like ``runs``."""
    out: dict[str, list[FeedOutcome]] = {}
    for run in runs:
        for outcome in run.feeds:
            out.setdefault(outcome.feed_id, []).append(outcome)
    return out


def last_good_sync(runs: Sequence[SyncReport]) -> datetime | None:
    """When the latest sync that fetched at least one feed finished (a sync where every
    feed failed published nothing new, so it does not show the bridge working)."""
    for run in runs:
        if not run.feeds or any(o.status != "failed" for o in run.feeds):
            return run.finished
    return None


SYNC_BUCKETS = (0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, float("inf"))
FETCH_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, float("inf"))
REQUEST_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
                   float("inf"))


class SyncCounters:
    """Counters and histograms of the recorded syncs: each run is counted once, the first
    time a scrape sees it among the latest ``RUNS_WINDOW`` (Prometheus sees a reset when the
    process restarts, which ``rate()`` handles)."""

    def __init__(self, reg: CollectorRegistry) -> None:
        self.syncs = Counter(PREFIX + "syncs", "Syncs recorded, by outcome (ok: no feed "
                             "failed)", ["outcome"], registry=reg)
        self.fetches = Counter(PREFIX + "feed_fetches", "Feed fetches, by feed and outcome",
                               ["feed", "outcome"], registry=reg)
        self.sync_seconds = Histogram(PREFIX + "sync_duration_seconds", "Duration of a sync",
                                      buckets=SYNC_BUCKETS, registry=reg)
        self.fetch_seconds = Histogram(PREFIX + "feed_fetch_duration_seconds", "Duration of "
                                       "one feed's fetch and intake", ["feed"],
                                       buckets=FETCH_BUCKETS, registry=reg)
        self.syncs.labels("ok")
        self.syncs.labels("failed")
        self._seen: set[tuple[object, ...]] = set()

    def update(self, runs: Sequence[SyncReport]) -> None:
        """Count the runs in ``runs`` (newest first) not counted yet, oldest first."""
        keys = [(r.started, r.finished, r.fingerprint, r.etag) for r in runs]
        for key, run in reversed(list(zip(keys, runs, strict=True))):
            if key in self._seen:
                continue
            self.syncs.labels("failed" if run.failed else "ok").inc()
            self.sync_seconds.observe(_seconds(run))
            for outcome in run.feeds:
                self.fetches.labels(outcome.feed_id, outcome.status).inc()
                self.fetch_seconds.labels(outcome.feed_id).observe(outcome.seconds)
        self._seen = set(keys)


ASGI = Callable[..., Any]


class Instrumented:
    """ASGI middleware: ``http_requests_total{route,method,status}`` and
    ``http_request_duration_seconds{route}``.  ``route`` is a path template (never the raw
    path: strangers choose paths, and a label per path would grow without bound)."""

    def __init__(self, app: ASGI, reg: CollectorRegistry, cities: Sequence[str]) -> None:
        self.app = app
        self.requests = Counter(PREFIX + "http_requests", "HTTP requests answered, by route, "
                                "method and status", ["route", "method", "status"], registry=reg)
        self.latency = Histogram(PREFIX + "http_request_duration_seconds", "Time to answer "
                                 "an HTTP request", ["route"], buckets=REQUEST_BUCKETS,
                                 registry=reg)
        self.fixed = frozenset({"/", "/calendar.ics", "/linked.ics", "/api/events", "/healthz",
                                "/metrics", *(f"/cities/{c}.ics" for c in cities)})

    def route(self, path: str) -> str:
        if path.startswith("/cities/") and path in self.fixed:
            return "/cities/{slug}.ics"
        return path if path in self.fixed else "other"

    async def __call__(self, scope: Any, receive: ASGI, send: ASGI) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        t0 = time.perf_counter()

        async def sending(message: Any) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = self.route(scope["path"])
            method = scope["method"] if scope["method"] in ("GET", "HEAD") else "other"
            self.requests.labels(route, method, str(status)).inc()
            self.latency.labels(route).observe(time.perf_counter() - t0)


class Metrics:
    """This app's registry: the store collector, the sync counters and the process
    collector (HTTP metrics join it through :class:`Instrumented`)."""

    def __init__(self, repo: Repository, clock: Clock, sizes: Sizes) -> None:
        self.repo = repo
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(StoreCollector(repo, clock, sizes))
        self.counters = SyncCounters(self.registry)
        ProcessCollector(registry=self.registry)

    def before_scrape(self) -> None:
        self.counters.update(self.repo.runs(limit=RUNS_WINDOW))
