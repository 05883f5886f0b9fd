"""The storage seam: one ``Repository`` protocol, implemented by ``MemoryRepository``
(tests, dry runs) and ``SqlRepository`` (SQLite by default, PostgreSQL to scale out).

The pipeline only talks to this protocol; the contract tests in ``tests/test_store_contract.py``
run against every implementation.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from event_bridge.model import (
    Block,
    FeedDiff,
    FeedState,
    PublishedRecord,
    Snapshot,
    SourceEvent,
    SyncReport,
)


class Repository(Protocol):
    def feed_state(self, feed_id: str) -> FeedState: ...

    def feed_states(self) -> list[FeedState]: ...

    def save_feed_state(self, state: FeedState) -> None: ...

    def source_events(self, feed_ids: Iterable[str] | None = None) -> list[SourceEvent]: ...

    def replace_source_events(self, feed_id: str, events: Sequence[SourceEvent],
                              now: datetime) -> FeedDiff:
        """Make ``events`` the stored set of ``feed_id`` (upsert, delete the rest) and say
        how many keys were new, changed in content, or removed."""
        ...

    def source_units(self, feed_id: str) -> dict[str, int]:
        """Intake unit hash → how many stored events of ``feed_id`` were read from it
        (events stored without a unit hash are left out: they are read again)."""
        ...

    def apply_source_units(self, feed_id: str, kept: Collection[str],
                           fresh: Sequence[SourceEvent], units: Mapping[tuple[str, str], str],
                           now: datetime) -> FeedDiff:
        """Keep the stored events read from the units in ``kept`` untouched; make ``fresh``
        the rest of the feed (as ``replace_source_events`` does), each stored with its unit
        hash from ``units`` (by (UID, RECURRENCE-ID); ``""`` when absent).  A fresh event
        whose key a kept event holds is ignored (the kept one is the same reading)."""
        ...

    def source_digest(self) -> str:
        """A digest of every stored source event's content (what a publication reads)."""
        ...

    def delete_feed(self, feed_id: str) -> None:
        """Forget a feed removed from the config (its source events and state)."""
        ...

    def published(self) -> dict[tuple[str, str], PublishedRecord]: ...

    def save_published(self, records: Iterable[PublishedRecord],
                       deleted: Iterable[tuple[str, str]] = ()) -> None: ...

    def save_snapshot(self, snapshot: Snapshot, blocks: Sequence[Block] | None = None,
                      header: str = "", footer: str = "") -> None:
        """Store a rendered feed; for the merged feed also its per-event blocks and the
        text before/after them (VCALENDAR header with VTIMEZONEs, END:VCALENDAR)."""
        ...

    def snapshot(self, name: str) -> Snapshot | None: ...

    def blocks(self) -> tuple[list[Block], str, str]:
        """The merged feed's blocks, header and footer (see ``save_snapshot``)."""
        ...

    def record_run(self, report: SyncReport) -> None: ...

    def runs(self, limit: int = 20) -> list[SyncReport]: ...
