"""Pure helpers shared by every ``Repository`` implementation, so that they agree exactly:
UTC normalisation, the change fingerprint of a source event, and the plan that turns a
feed's stored events into its new set (``replace_source_events``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from event_bridge.errors import StoreError
from event_bridge.model import Block, SourceEvent, moment_key

Key = tuple[str, str]
"""A source event's key inside one feed: (UID, RECURRENCE-ID)."""

RUNS_KEPT = 500
"""Sync reports kept by ``record_run``; older ones are pruned (a daemon syncing every
15 minutes keeps about five days of history)."""


def as_utc(value: datetime) -> datetime:
    """``value`` as an aware UTC datetime; a naive datetime is a programming error (the
    store cannot know which zone it meant)."""
    if value.tzinfo is UTC:
        return value
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}: the store keeps timezone-aware UTC only")
    return value.astimezone(UTC)


def maybe_utc(value: datetime | None) -> datetime | None:
    return None if value is None else as_utc(value)


def event_hash(event: SourceEvent) -> str:
    """What makes a stored source event "changed": its ``EventData`` content hash plus the
    fields outside it that reach the output (SEQUENCE, CLASS, city).  LAST-MODIFIED is
    left out on purpose: producers such as Outlook bump it on every export."""
    text = "|".join((event.data.content_hash(), str(event.sequence), event.privacy, event.city))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def last_modified_key(event: SourceEvent) -> str:
    """LAST-MODIFIED as stored beside the hash (``""`` when absent), so that a newer
    LAST-MODIFIED alone rewrites the row without counting as a change."""
    return moment_key(event.last_modified) if event.last_modified else ""


def _rank(event: SourceEvent) -> tuple[int, str]:
    return (event.sequence, last_modified_key(event))


def collapse(feed_id: str, events: Sequence[SourceEvent]) -> dict[Key, SourceEvent]:
    """Index ``events`` by key; duplicates of one key keep the highest SEQUENCE, then the
    latest LAST-MODIFIED, then the first seen (RFC 5545 §3.8.7.4), as dedupe does."""
    out: dict[Key, SourceEvent] = {}
    for event in events:
        if event.key.feed_id != feed_id:
            raise ValueError(f"event {event.key} does not belong to feed {feed_id!r}")
        key = (event.key.uid, event.key.recurrence_id)
        kept = out.get(key)
        if kept is None or _rank(event) > _rank(kept):
            out[key] = event
    return out


@dataclass
class Plan:
    """What ``replace_source_events`` must write: rows to insert (``new``), rows whose
    content changed, rows that only got a newer LAST-MODIFIED (``touched``), keys to drop."""

    new: list[SourceEvent] = field(default_factory=list)
    changed: list[SourceEvent] = field(default_factory=list)
    touched: list[SourceEvent] = field(default_factory=list)
    removed: list[Key] = field(default_factory=list)
    hashes: dict[Key, str] = field(default_factory=dict)


def hash_all(incoming: Mapping[Key, SourceEvent]) -> dict[Key, str]:
    """``event_hash`` of every event (done before a write transaction opens: it is the
    costly part, about 15 µs an event)."""
    return {key: event_hash(event) for key, event in incoming.items()}


def plan_replace(stored: Mapping[Key, tuple[str, str]], incoming: Mapping[Key, SourceEvent],
                 hashes: Mapping[Key, str]) -> Plan:
    """Compare ``stored`` (key → (hash, last-modified key)) with ``incoming`` (whose hashes
    are ``hashes``).  Unchanged events are not written at all."""
    plan = Plan(hashes=dict(hashes))
    for key, event in incoming.items():
        digest = hashes[key]
        old = stored.get(key)
        if old is None:
            plan.new.append(event)
        elif old[0] != digest:
            plan.changed.append(event)
        elif old[1] != last_modified_key(event):
            plan.touched.append(event)
    plan.removed = sorted(k for k in stored if k not in incoming)
    return plan


def source_digest(rows: Iterable[tuple[str, str, str, str, str]]) -> str:
    """Digest of (feed, UID, RECURRENCE-ID, content hash, LAST-MODIFIED key) rows, in key
    order decided here, so both stores agree."""
    digest = hashlib.sha256()
    for row in sorted(rows):
        digest.update("\x1f".join(row).encode() + b"\x1e")
    return digest.hexdigest()[:32]


def check_unique(blocks: Sequence[Block]) -> None:
    """Mirror the SQL primary key: one block per (UID, RECURRENCE-ID)."""
    seen: set[Key] = set()
    for block in blocks:
        key = (block.uid, block.recurrence_id)
        if key in seen:
            raise StoreError(f"the database refused the data (duplicate block {key}): "
                             "this is a bug in event-bridge, please report it")
        seen.add(key)


def sort_events(events: Iterable[SourceEvent]) -> list[SourceEvent]:
    """Key order decided in Python (code points), never by a database collation."""
    return sorted(events, key=lambda e: (e.key.feed_id, e.key.uid, e.key.recurrence_id))
