"""``/metrics``: Prometheus text computed from the store at scrape time.

A custom collector reads the recorded syncs and feed states when Prometheus scrapes, so the
same numbers come out whether the syncs ran in this process (the daemon) or in another one
(`serve` beside a cron `sync --once`).  Figures that cover several syncs are over the
last ``RUNS_WINDOW`` recorded runs and are therefore gauges, not counters.  Each app owns
its ``CollectorRegistry``: no global state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime

from prometheus_client import CollectorRegistry
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
        yield from (outcomes, ratio, latency, events, failures, age, fetched)

    def _sync_metrics(self, runs: Sequence[SyncReport], now: datetime) -> Iterator[Metric]:
        duration = _gauge("sync_duration_seconds", "Duration of the latest recorded sync")
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
        yield from (duration, longest, recorded, age)

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


def registry(repo: Repository, clock: Clock, sizes: Sizes) -> CollectorRegistry:
    """A fresh registry holding only this app's collector."""
    reg = CollectorRegistry(auto_describe=False)
    reg.register(StoreCollector(repo, clock, sizes))
    return reg
