"""SEQUENCE, DTSTAMP and tombstones: what changed since subscribers last looked.  Pure.

RFC 5545 §3.8.7.4: SEQUENCE increases when a meaningful field changes, and only then.  The
content hash covers ``EventData`` (start, end, zone, rule, texts, status, URL...) and the
published links; volatile properties (DTSTAMP, LAST-MODIFIED, CREATED, PRODID, property
order, VTIMEZONE form) are not part of it.  An event that stops being produced becomes a
``STATUS:CANCELLED`` tombstone for a grace period, then leaves the feed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from event_bridge.model import Event, Link, PublishedRecord


@dataclass(frozen=True)
class Revisions:
    """The events to publish (tombstones included) with their records, and what to delete."""

    events: list[Event]
    records: dict[tuple[str, str], PublishedRecord]
    deleted: list[tuple[str, str]]
    changed: int


def content_hash(event: Event, related: Iterable[str]) -> str:
    text = event.data.content_hash() + "|" + ",".join(sorted(related)) + "|" + event.city
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def related_uids(links: Sequence[Link]) -> dict[str, set[str]]:
    related: dict[str, set[str]] = {}
    for link in links:
        related.setdefault(link.a_uid, set()).add(link.b_uid)
        related.setdefault(link.b_uid, set()).add(link.a_uid)
    return related


def revise(events: Sequence[Event], links: Sequence[Link],
           previous: Mapping[tuple[str, str], PublishedRecord], now: datetime,
           grace: timedelta, retired: Iterable[tuple[str, str]] = ()) -> Revisions:
    """Assign SEQUENCE/changed_at to ``events`` against ``previous``; turn previously
    published events that are gone into tombstones (or delete them after ``grace``).

    ``retired`` keys left on purpose (outside the publication window) are deleted without a
    tombstone.
    """
    related = related_uids(links)
    records: dict[tuple[str, str], PublishedRecord] = {}
    changed = 0
    for event in events:
        record = _revise_one(event, related.get(event.uid, set()), previous.get(event.key), now)
        changed += record.changed_at == now and previous.get(event.key) != record
        records[event.key] = record
    retired_set = set(retired)
    deleted: list[tuple[str, str]] = []
    out = list(events)
    for key, old in sorted(previous.items()):
        if key in records:
            continue
        if _drop(key, old, records, retired_set, now, grace):
            deleted.append(key)
            continue
        tomb = _tombstone(old, now)
        records[key] = tomb
        out.append(tomb.event)
        changed += tomb is not old and old.gone_since is None
    return Revisions(out, records, deleted, changed)


def _drop(key: tuple[str, str], old: PublishedRecord,
          live: Mapping[tuple[str, str], PublishedRecord], retired: set[tuple[str, str]],
          now: datetime, grace: timedelta) -> bool:
    """Delete rather than tombstone: left the window, grace over, or an override whose
    master is still live (the instance simply reverts to its rule)."""
    if key in retired or (old.gone_since is not None and now - old.gone_since >= grace):
        return True
    master = live.get((key[0], ""))
    return bool(key[1]) and master is not None and master.gone_since is None


def _revise_one(event: Event, related: set[str], old: PublishedRecord | None,
                now: datetime) -> PublishedRecord:
    digest = content_hash(event, related)
    if old is None:
        return PublishedRecord(event.uid, event.recurrence_id, digest, 0, now, event)
    if old.content_hash == digest and old.gone_since is None:
        return replace(old, event=event)
    return PublishedRecord(event.uid, event.recurrence_id, digest, old.sequence + 1, now, event)


def _tombstone(old: PublishedRecord, now: datetime) -> PublishedRecord:
    """The cancelled form of an event that vanished (kept: subscribers see it cancelled)."""
    if old.gone_since is not None:
        return old
    cancelled = replace(old.event, data=replace(old.event.data, status="CANCELLED"),
                        reasons=(*old.event.reasons, "no longer in any source feed"))
    return PublishedRecord(old.uid, old.recurrence_id, old.content_hash + "-gone",
                           old.sequence + 1, now, cancelled, gone_since=now)
