"""``run_once``: one full pass — fetch every feed (in parallel, each isolated), parse,
normalise, store, then dedupe, link, publish over everything stored.

A failing feed never stops the others and keeps its stored events; the mass-deletion guard
holds a feed that suddenly lost most of its events until the loss persists or is forced.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial
from typing import TypeVar

from event_bridge import __version__
from event_bridge.clock import Clock
from event_bridge.config.settings import GuardSettings, Settings
from event_bridge.errors import EventBridgeError
from event_bridge.fetch.http import Fetcher
from event_bridge.intake.values import clean
from event_bridge.model import (
    FeedOutcome,
    FeedSource,
    FeedState,
    FetchResult,
    SyncReport,
)
from event_bridge.store.repository import Repository
from event_bridge.sync.ingest import Ingest, Pending, Reader
from event_bridge.sync.publication import Published, publish_all
from event_bridge.sync.schedule import duration_hint

ERROR_CHARS = 500
"""Longest reason kept for a failed feed (it is stored, printed and served)."""

Progress = Callable[[FeedOutcome], None]


@dataclass(frozen=True)
class Fetched:
    """A feed's fetch outcome, before anything is stored."""

    feed: FeedSource
    result: FetchResult | None
    error: str
    seconds: float


def run_once(settings: Settings, fetcher: Fetcher, repo: Repository, clock: Clock, *,
             feed_ids: Sequence[str] | None = None, force: bool = False,
             progress: Progress | None = None) -> SyncReport:
    """One sync of ``feed_ids`` (default: all), then a publication of everything stored
    (skipped when its inputs are those of the last recorded run).

    The caller holds the sync lock (:mod:`event_bridge.store.lock`): one writer per
    database, released by the OS or PostgreSQL if the process dies."""
    started, began = clock.now(), clock.monotonic()
    feeds = [f for f in settings.feeds if feed_ids is None or f.id in feed_ids]
    outcomes = _sync_feeds(settings, fetcher, repo, clock, feeds, force, progress)
    return publish_stored(settings, repo, clock, started, outcomes, force=force, began=began)


def sync_feed(settings: Settings, fetcher: Fetcher, repo: Repository, clock: Clock,
              feed_id: str) -> FeedOutcome:
    """Fetch and store one feed, without publishing (a cluster job: publication is a job
    of its own, one at a time)."""
    return _sync_feeds(settings, fetcher, repo, clock, [settings.feed(feed_id)], False, None)[0]


def publish_stored(settings: Settings, repo: Repository, clock: Clock, started: datetime,
                   outcomes: Sequence[FeedOutcome], *, force: bool = False,
                   began: float | None = None) -> SyncReport:
    """Forget feeds no longer configured, publish what is stored (unless its inputs are those
    of the last run) and record the run (``began``: the monotonic clock at ``started``)."""
    began = clock.monotonic() if began is None else began
    removed = _forget_removed_feeds(settings, repo)
    fingerprint = publication_inputs(settings, clock.now(), repo.source_digest())
    published = _publish(settings, repo, clock, outcomes, bool(removed) or force, fingerprint)
    # the wall clock is read in whole seconds; the duration comes from the monotonic one
    elapsed = timedelta(milliseconds=round((clock.monotonic() - began) * 1000))
    report = SyncReport(started, started + elapsed, tuple(outcomes), published.events,
                        published.links, published.etag, tuple(removed), fingerprint)
    repo.record_run(report)
    return report


def publication_inputs(settings: Settings, now: datetime, stored: str) -> str:
    """What the publication depends on: the program version, the settings that shape the
    feed, the day (the window and tombstone grace move daily) and the stored source events
    (``Repository.source_digest``: a run that stored events but died before publishing
    leaves a different fingerprint, so the next run publishes them; a feed re-sent with only
    its DTSTAMPs changed leaves the same one, so nothing is published again)."""
    shape = (__version__, sorted(settings.cities.items()), settings.feeds, settings.rules,
             settings.publish, settings.refresh_seconds, now.date().isoformat(), stored)
    return hashlib.sha256(repr(shape).encode()).hexdigest()[:32]


def _publish(settings: Settings, repo: Repository, clock: Clock,
             outcomes: Sequence[FeedOutcome], changed: bool, fingerprint: str) -> Published:
    """Republish unless nothing can have changed: no feed brought new content and the last
    publication had the same inputs.  This keeps a resync of unchanged feeds cheap."""
    changed = changed or any(o.status == "ok" and (o.new or o.changed or o.removed)
                             for o in outcomes)
    last = repo.runs(1)
    if not changed and last and last[0].fingerprint == fingerprint:
        return Published(last[0].published_events, last[0].links, last[0].etag)
    return publish_all(settings, repo, clock.now())


def _sync_feeds(settings: Settings, fetcher: Fetcher, repo: Repository, clock: Clock,
                feeds: Sequence[FeedSource], force: bool,
                progress: Progress | None) -> list[FeedOutcome]:
    states = {f.id: repo.feed_state(f.id) for f in feeds}
    outcomes: list[FeedOutcome] = []
    reader = Reader(settings.cities)
    waiting: list[tuple[Fetched, Pending | FeedOutcome, float]] = []

    def finish() -> None:
        fetched, started, spent = waiting.pop(0)
        t0 = clock.monotonic()
        outcome = started if isinstance(started, FeedOutcome) else _isolated(
            repo, clock, fetched, states,
            lambda: _read(settings, repo, clock, fetched, states, force, reader, started))
        # the feed's time: fetching plus reading and storing it
        spent += clock.monotonic() - t0
        outcome = replace(outcome, seconds=fetched.seconds + spent)
        outcomes.append(outcome)
        if progress:
            progress(outcome)

    try:
        with ThreadPoolExecutor(max_workers=settings.fetch.parallel) as pool:
            futures = [pool.submit(_fetch, fetcher, clock, f, states[f.id], force)
                       for f in feeds]
            for future in futures:  # config order: the store is written from this thread only
                fetched = future.result()
                t0 = clock.monotonic()
                started = _isolated(repo, clock, fetched, states,
                                    partial(_start, repo, clock, fetched, states, force, reader))
                waiting.append((fetched, started, clock.monotonic() - t0))
                if len(waiting) > 1:  # the pool reads this feed while the last one is stored
                    finish()
            while waiting:
                finish()
    finally:
        reader.close()
    return outcomes


def _fetch(fetcher: Fetcher, clock: Clock, feed: FeedSource, state: FeedState,
           force: bool) -> Fetched:
    t0 = clock.monotonic()
    try:
        result = fetcher.fetch(feed, state.validators, force=force)
    except Exception as exc:  # one feed's failure, whatever it is, stays that feed's
        return Fetched(feed, None, _one_line(exc), clock.monotonic() - t0)
    return Fetched(feed, result, "", clock.monotonic() - t0)


def _one_line(exc: Exception) -> str:
    """The reason a feed failed, on one clean line: an error of ours with its hint, or an
    unexpected exception named by its type (it is a bug to report, never a traceback)."""
    if isinstance(exc, EventBridgeError):
        text = f"{exc} ({exc.hint})" if exc.hint else str(exc)
    else:
        text = (f"unexpected {type(exc).__name__}: {exc} (the feed was skipped; "
                "please report this as a bug of event-bridge)")
    return " ".join(clean(text).split())[:ERROR_CHARS]


T = TypeVar("T")


def _isolated(repo: Repository, clock: Clock, fetched: Fetched, states: dict[str, FeedState],
              step: Callable[[], T]) -> T | FeedOutcome:
    """``step()``, where an unexpected exception fails this feed only (its stored events
    stay as they were: every write is one transaction)."""
    try:
        return step()
    except Exception as exc:  # hostile input must not stop the other feeds
        state = replace(states[fetched.feed.id], last_attempt=clock.now())
        return _failed(repo, state, fetched, _one_line(exc))


def _start(repo: Repository, clock: Clock, fetched: Fetched, states: dict[str, FeedState],
           force: bool, reader: Reader) -> Pending | FeedOutcome:
    """A feed's outcome when there is nothing to read, else its body handed to the reader."""
    feed, now = fetched.feed, clock.now()
    state = replace(states[feed.id], last_attempt=now)
    if fetched.result is None:
        return _failed(repo, state, fetched, fetched.error)
    result = fetched.result
    unchanged = result.not_modified or (
        not force and result.validators.body_hash == state.validators.body_hash
        and state.last_success is not None)
    if unchanged:
        repo.save_feed_state(_succeeded(state, result, now, state.event_count))
        return FeedOutcome(feed.id, "unchanged", state.event_count, seconds=fetched.seconds)
    known = {} if force else repo.source_units(feed.id)  # --force reads every unit again
    return reader.start(result.body or b"", feed, known)


def _read(settings: Settings, repo: Repository, clock: Clock, fetched: Fetched,
          states: dict[str, FeedState], force: bool, reader: Reader,
          pending: Pending) -> FeedOutcome:
    feed, now = fetched.feed, clock.now()
    state = replace(states[feed.id], last_attempt=now)
    result = fetched.result
    assert result is not None  # a failed fetch never reaches the reader
    try:
        ingest = reader.finish(pending)
    except EventBridgeError as exc:
        return _failed(repo, state, fetched, _one_line(exc))
    result = replace(result, refresh_hint_seconds=calendar_hint(ingest.properties)
                     or result.refresh_hint_seconds)
    ingest = replace(ingest, skipped=tuple(replace(s, uid=clean(s.uid), reason=clean(s.reason))
                                           for s in ingest.skipped))
    return _apply(settings.guard, repo, state, result, fetched, ingest, force, now)


def _apply(guard: GuardSettings, repo: Repository, state: FeedState, result: FetchResult,
           fetched: Fetched, ingest: Ingest, force: bool, now: datetime) -> FeedOutcome:
    feed, skipped = fetched.feed, ingest.skipped
    hold = _guard(guard, state, ingest.count)
    if hold and not force:
        # the old validators stay, so the next sync fetches and re-reads the new body
        repo.save_feed_state(replace(state, held_syncs=state.held_syncs + 1, held_note=hold,
                                     last_error="", consecutive_failures=0))
        return FeedOutcome(feed.id, "held", state.event_count, seconds=fetched.seconds,
                           skipped=skipped, note=hold)
    diff = repo.apply_source_units(feed.id, ingest.kept, ingest.fresh, ingest.units, now)
    repo.save_feed_state(replace(_succeeded(state, result, now, ingest.count),
                                 held_syncs=0, held_note=""))
    return FeedOutcome(feed.id, "ok", ingest.count, diff.new, diff.changed, diff.removed,
                       fetched.seconds, skipped=skipped, bytes=len(result.body or b""))


def _guard(guard: GuardSettings, state: FeedState, count: int) -> str:
    """Why a feed's new content should be held back, or ``""``.  A feed that had events
    and now has none, or lost more than ``mass_deletion_fraction`` of them, is more likely
    broken upstream than emptied on purpose; the change applies once it persists for
    ``confirm_syncs`` syncs."""
    before = state.event_count
    if before == 0 or state.last_success is None:
        return ""
    lost = (before - count) / before
    if count and lost <= guard.mass_deletion_fraction:
        return ""
    if state.held_syncs + 1 >= guard.confirm_syncs:
        return ""
    return (f"held: {before} → {count} events; applies after "
            f"{guard.confirm_syncs - state.held_syncs - 1} more sync(s) or with --force")


def calendar_hint(properties: dict[str, str]) -> int | None:
    """The refresh interval a calendar asks for (RFC 7986 REFRESH-INTERVAL, else
    X-PUBLISHED-TTL), in seconds."""
    return (duration_hint(properties.get("REFRESH-INTERVAL", ""))
            or duration_hint(properties.get("X-PUBLISHED-TTL", "")))


def _succeeded(state: FeedState, result: FetchResult, now: datetime, count: int) -> FeedState:
    hint = result.refresh_hint_seconds or state.refresh_hint_seconds  # a 304 has no body
    return replace(state, validators=result.validators, last_success=now, last_error="",
                   consecutive_failures=0, event_count=count, refresh_hint_seconds=hint)


def _failed(repo: Repository, state: FeedState, fetched: Fetched, error: str) -> FeedOutcome:
    repo.save_feed_state(replace(state, last_error=error,
                                 consecutive_failures=state.consecutive_failures + 1))
    return FeedOutcome(fetched.feed.id, "failed", state.event_count, seconds=fetched.seconds,
                       error=error)


def _forget_removed_feeds(settings: Settings, repo: Repository) -> list[str]:
    """Feeds no longer configured: forget their source events; their published events then
    become tombstones like vanished ones."""
    known = set(settings.feed_ids)
    notes = []
    for state in repo.feed_states():
        if state.feed_id not in known:
            repo.delete_feed(state.feed_id)
            notes.append(f"feed {state.feed_id!r} is no longer configured: its events are "
                         "published as cancelled until the grace period ends")
    return notes
