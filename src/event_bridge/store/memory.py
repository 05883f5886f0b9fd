"""``MemoryRepository``: the ``Repository`` contract in plain dicts, for tests and dry runs.

It is the reference the SQL implementation is held to by ``tests/test_store_contract.py``:
same results, same order, same errors for the same calls.  Not shared between processes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from event_bridge.model import (
    Block,
    FeedDiff,
    FeedState,
    PublishedRecord,
    Snapshot,
    SourceEvent,
    SyncReport,
)
from event_bridge.store.plan import (
    RUNS_KEPT,
    Key,
    as_utc,
    check_unique,
    collapse,
    hash_all,
    last_modified_key,
    maybe_utc,
    plan_replace,
    sort_events,
    source_digest,
)


class MemoryRepository:
    """A ``Repository`` held in memory; every datetime is normalised to UTC on the way in."""

    def __init__(self) -> None:
        self._states: dict[str, FeedState] = {}
        self._events: dict[str, dict[Key, tuple[str, SourceEvent]]] = {}
        self._units: dict[str, dict[Key, str]] = {}  # unit hash of each stored event
        self._published: dict[Key, PublishedRecord] = {}
        self._snapshots: dict[str, Snapshot] = {}
        self._blocks: tuple[list[Block], str, str] = ([], "", "")
        self._runs: list[SyncReport] = []

    # feed state -----------------------------------------------------------------------
    def feed_state(self, feed_id: str) -> FeedState:
        return self._states.get(feed_id) or FeedState(feed_id=feed_id)

    def feed_states(self) -> list[FeedState]:
        return [self._states[k] for k in sorted(self._states)]

    def save_feed_state(self, state: FeedState) -> None:
        self._states[state.feed_id] = replace(
            state, last_attempt=maybe_utc(state.last_attempt),
            last_success=maybe_utc(state.last_success))

    # source events --------------------------------------------------------------------
    def source_events(self, feed_ids: Iterable[str] | None = None) -> list[SourceEvent]:
        wanted = self._events.keys() if feed_ids is None else set(feed_ids)
        rows = (e for f in wanted for _, e in self._events.get(f, {}).values())
        return sort_events(rows)

    def replace_source_events(self, feed_id: str, events: Sequence[SourceEvent],
                              now: datetime) -> FeedDiff:
        return self.apply_source_units(feed_id, (), events, {}, now)

    def source_units(self, feed_id: str) -> dict[str, int]:
        return dict(Counter(u for u in self._units.get(feed_id, {}).values() if u))

    def apply_source_units(self, feed_id: str, kept: Collection[str],
                           fresh: Sequence[SourceEvent], units: Mapping[Key, str],
                           now: datetime) -> FeedDiff:
        as_utc(now)
        incoming = collapse(feed_id, fresh)
        keep = set(kept) - {""}
        labels = self._units.get(feed_id, {})
        stored = self._events.get(feed_id, {})
        held = {k: v for k, v in stored.items() if labels.get(k, "") in keep}
        incoming = {k: e for k, e in incoming.items() if k not in held}
        stored_keys = {k: (h, last_modified_key(e)) for k, (h, e) in stored.items()
                       if k not in held}
        plan = plan_replace(stored_keys, incoming, hash_all(incoming))
        self._events[feed_id] = {**held, **{k: (plan.hashes[k], e) for k, e in incoming.items()}}
        self._units[feed_id] = {**{k: labels[k] for k in held},
                                **{k: units.get(k, "") for k in incoming}}
        if not self._events[feed_id]:
            del self._events[feed_id]
        return FeedDiff(len(plan.new), len(plan.changed), len(plan.removed))

    def source_digest(self) -> str:
        return source_digest((f, k[0], k[1], h, last_modified_key(e))
                             for f, events in self._events.items()
                             for k, (h, e) in events.items())

    def delete_feed(self, feed_id: str) -> None:
        self._events.pop(feed_id, None)
        self._units.pop(feed_id, None)
        self._states.pop(feed_id, None)

    # published ------------------------------------------------------------------------
    def published(self) -> dict[Key, PublishedRecord]:
        return dict(self._published)

    def save_published(self, records: Iterable[PublishedRecord],
                       deleted: Iterable[Key] = ()) -> None:
        """Deletions are applied first, so a key both deleted and saved stays saved."""
        fresh = [replace(r, changed_at=as_utc(r.changed_at), gone_since=maybe_utc(r.gone_since))
                 for r in records]
        for key in deleted:
            self._published.pop(key, None)
        self._published.update({(r.uid, r.recurrence_id): r for r in fresh})

    # snapshots ------------------------------------------------------------------------
    def save_snapshot(self, snapshot: Snapshot, blocks: Sequence[Block] | None = None,
                      header: str = "", footer: str = "") -> None:
        snapshot = replace(snapshot, body=bytes(snapshot.body),
                           last_modified=as_utc(snapshot.last_modified))
        if blocks is not None:
            check_unique(blocks)
            self._blocks = (list(blocks), header, footer)
        self._snapshots[snapshot.name] = snapshot

    def snapshot(self, name: str) -> Snapshot | None:
        return self._snapshots.get(name)

    def blocks(self) -> tuple[list[Block], str, str]:
        blocks, header, footer = self._blocks
        return list(blocks), header, footer

    # runs ------------------------------------------------------------------------
    def record_run(self, report: SyncReport) -> None:
        report = replace(report, started=as_utc(report.started),
                         finished=as_utc(report.finished))
        self._runs.append(report)
        self._runs = self._ordered_runs()[:RUNS_KEPT][::-1]

    def runs(self, limit: int = 20) -> list[SyncReport]:
        return self._ordered_runs()[:limit]

    def _ordered_runs(self) -> list[SyncReport]:
        """Newest first: by start time, then by recording order."""
        indexed = sorted(enumerate(self._runs), key=lambda p: (p[1].started, p[0]),
                         reverse=True)
        return [r for _, r in indexed]


