"""The storage seam: one ``Repository`` protocol, implemented by ``MemoryRepository``
(tests, dry runs) and ``SqlRepository`` (SQLite by default, PostgreSQL to scale out).

The pipeline only talks to this protocol; the contract tests in ``tests/test_store_contract.py``
run against every implementation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from ..model import Event, FeedValidators, SourceEvent, SyncReport


@dataclass(frozen=True)
class FeedState:
    """Everything remembered about one feed between runs."""

    feed_id: str
    validators: FeedValidators = field(default_factory=FeedValidators)
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    last_error: str = ""
    consecutive_failures: int = 0
    event_count: int = 0
    held_syncs: int = 0  # consecutive syncs that would have deleted most events (guard)
    held_note: str = ""
    refresh_hint_seconds: int | None = None


@dataclass(frozen=True)
class FeedDiff:
    new: int = 0
    changed: int = 0
    removed: int = 0


@dataclass(frozen=True)
class PublishedRecord:
    """The last published form of one VEVENT: drives SEQUENCE, DTSTAMP and tombstones.

    ``gone_since`` is set when the event stopped being produced (source vanished or feed
    removed); it is then published as a ``STATUS:CANCELLED`` tombstone until the grace
    period ends.
    """

    uid: str
    recurrence_id: str
    content_hash: str
    sequence: int
    changed_at: datetime
    event: Event
    gone_since: datetime | None = None


@dataclass(frozen=True)
class Snapshot:
    """One rendered feed as subscribers receive it."""

    name: str  # "calendar", "city:<slug>", "linked"
    body: bytes
    etag: str
    last_modified: datetime


@dataclass(frozen=True)
class Block:
    """One published VEVENT's rendered text, for filtered feeds assembled on request."""

    uid: str
    recurrence_id: str
    city: str
    categories: tuple[str, ...]
    text: str  # lower-cased summary + description + location, for ?q=
    linked: bool
    ics: str  # the VEVENT's lines, CRLF-terminated
    tzids: tuple[str, ...] = ()


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

    def acquire_lock(self, owner: str, now: datetime, ttl_seconds: int) -> bool:
        """Take the store-wide sync lock unless another owner holds an unexpired one."""
        ...

    def release_lock(self, owner: str) -> None: ...


def counts_by_feed(events: Iterable[SourceEvent]) -> Mapping[str, int]:
    out: dict[str, int] = {}
    for event in events:
        out[event.key.feed_id] = out.get(event.key.feed_id, 0) + 1
    return out
