"""Intake at the cost of what changed: a feed body is split into units of VEVENT blocks
(:mod:`event_bridge.intake.blocks`); units whose hash the store already holds keep their stored
source events, and only new units are parsed, in a process pool on every core when there are
many of them.

A body that cannot be read unit by unit (see ``split_feed``), or whose new units bring
notes (skipped components, repairs), is read whole exactly as before, so its notes are those of
a whole read; the units read without notes still get their hash.  Either way the stored result
is the one a read of the whole body into an empty store gives (``tests/test_incremental.py``).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field

from event_bridge import __version__
from event_bridge.intake.blocks import Split, Unit, UnitRead, read_units, split_feed
from event_bridge.intake.normalise import normalise
from event_bridge.intake.parse import parse_calendar
from event_bridge.model import City, FeedSource, Skipped, SourceEvent

POOL_MIN_UNITS = 1000
"""New units below this are parsed in the syncing process (starting workers costs ~1 s)."""

CHUNK_UNITS = 500
"""Units per pool task: large enough that pickling results is small beside parsing."""

Key = tuple[str, str]


@dataclass(frozen=True)
class Ingest:
    """What intake made of one feed body, ready for ``Repository.apply_source_units``."""

    kept: frozenset[str]  # units whose stored events stay as they are
    fresh: list[SourceEvent]  # the rest of the feed
    units: dict[Key, str]  # unit hash of each fresh event (absent: read again next sync)
    count: int  # source events the feed holds afterwards
    skipped: tuple[Skipped, ...]
    properties: dict[str, str]
    parsed_units: int = 0  # units parsed this time (0 when read whole)


@dataclass
class Pending:
    """A feed being read: its split, and the pool tasks reading its new units."""

    body: bytes
    feed: FeedSource
    split: Split | None
    known: Mapping[str, int]
    tasks: list[Future[list[UnitRead]]] = field(default_factory=list)
    local: list[Unit] = field(default_factory=list)


def salt(feed: FeedSource, cities: Mapping[str, City]) -> str:
    """What, besides the body, shapes how a unit reads (part of every unit hash)."""
    return repr((__version__, feed.id, feed.city, feed.timezone, sorted(cities.items())))


class Reader:
    """Reads feed bodies; owns the process pool (started on first need, closed by
    :meth:`close`)."""

    def __init__(self, cities: Mapping[str, City], workers: int | None = None) -> None:
        self.cities = dict(cities)
        self.workers = workers or os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None

    def start(self, body: bytes, feed: FeedSource, known: Mapping[str, int]) -> Pending:
        """Split ``body`` and hand its new units to the pool (if many); :meth:`finish`
        collects them.  Starting several feeds before finishing any keeps the pool busy."""
        split = split_feed(body, salt(feed, self.cities))
        pending = Pending(body, feed, split, known)
        if split is None:
            return pending
        new = [u for u in split.units if u.digest not in known]
        if len(new) < POOL_MIN_UNITS or self.workers < 2:
            pending.local = new
            return pending
        pool = self._executor()
        for at in range(0, len(new), CHUNK_UNITS):
            pending.tasks.append(pool.submit(read_units, split.context, split.header,
                                             new[at:at + CHUNK_UNITS], feed, self.cities))
        return pending

    def finish(self, pending: Pending) -> Ingest:
        """The feed's :class:`Ingest`; raises ``ParseError`` when the body is no calendar."""
        split, feed = pending.split, pending.feed
        if split is None:
            return self._whole(pending.body, feed, {})
        try:
            reads = [r for task in pending.tasks for r in task.result()]
            if pending.local:
                reads += read_units(split.context, split.header, pending.local, feed,
                                    self.cities)
        except Exception:  # the whole read below says what is wrong
            return self._whole(pending.body, feed, {})
        fresh = [e for r in reads for e in r.events]
        keys = {(e.key.uid, e.key.recurrence_id) for e in fresh}
        clean = {(e.key.uid, e.key.recurrence_id): r.digest
                 for r in reads if not r.skipped for e in r.events}
        if any(r.skipped for r in reads) or len(keys) != len(fresh):
            return self._whole(pending.body, feed, clean, _present(split, pending.known))
        kept = _present(split, pending.known)
        properties = parse_calendar(split.context.encode(), feed.id).properties
        return Ingest(kept, fresh, clean, sum(pending.known[d] for d in kept) + len(fresh),
                      (), properties, len(reads))

    def _whole(self, body: bytes, feed: FeedSource, units: dict[Key, str],
               kept: frozenset[str] = frozenset()) -> Ingest:
        parsed = parse_calendar(body, feed.id)
        events, skipped = normalise(parsed, feed, self.cities)
        return Ingest(kept, events, units, len(events), (*parsed.skipped, *skipped),
                      parsed.properties)

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn, not fork: the syncing process runs fetch threads (a fork could copy a
            # lock some thread holds)
            self._pool = ProcessPoolExecutor(self.workers,
                                             mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def _present(split: Split, known: Mapping[str, int]) -> frozenset[str]:
    return frozenset(u.digest for u in split.units if u.digest in known)
