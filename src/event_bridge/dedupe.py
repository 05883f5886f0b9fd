"""Source events → canonical published events.  Pure and order-independent.

First cut (issue 2): revisions of the same source key ``(feed, UID, RECURRENCE-ID)``
collapse — the highest SEQUENCE wins, then the latest LAST-MODIFIED (RFC 5545 §3.8.7.4) —
and each ``(feed, UID)`` becomes one cluster: a plain event or a series master with its
overrides.  Cross-feed matching plugs in at ``clusters``: it merges clusters; everything
after (choosing fields, UIDs) already works on clusters of any size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from .identity import uid_for, uid_for_instance
from .model import Event, FeedSource, SourceEvent, SourceKey

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Cluster:
    """Source events that describe one real-world event (one series counts as one)."""

    members: tuple[SourceEvent, ...]
    reasons: tuple[str, ...] = ()

    @property
    def anchor(self) -> SourceKey:
        """The member whose identity names the published event: the smallest master key."""
        masters = [m.key for m in self.members if not m.key.recurrence_id]
        return min(masters or [m.key for m in self.members])


def latest_revisions(events: Iterable[SourceEvent]) -> list[SourceEvent]:
    """One event per source key: highest SEQUENCE, then latest LAST-MODIFIED, then the
    content hash (so the choice never depends on input order)."""
    best: dict[SourceKey, SourceEvent] = {}
    for event in events:
        current = best.get(event.key)
        if current is None or _revision_rank(event) > _revision_rank(current):
            best[event.key] = event
    return [best[k] for k in sorted(best)]


def _revision_rank(event: SourceEvent) -> tuple[int, datetime, str]:
    return (event.sequence, event.last_modified or _EPOCH, event.data.content_hash())


def clusters_by_source(events: Sequence[SourceEvent]) -> list[Cluster]:
    """Group by ``(feed, UID)``: a plain event, or a series master with its overrides."""
    groups: dict[tuple[str, str], list[SourceEvent]] = defaultdict(list)
    for event in events:
        groups[(event.key.feed_id, event.key.uid)].append(event)
    return [Cluster(tuple(sorted(g, key=lambda e: e.key)), ("same feed and UID",))
            for _, g in sorted(groups.items())]


def dedupe(events: Iterable[SourceEvent], feeds: Mapping[str, FeedSource]) -> list[Event]:
    """Canonical events for every cluster, sorted by ``(uid, recurrence_id)``."""
    revisions = latest_revisions(events)
    published: list[Event] = []
    for cluster in clusters_by_source(revisions):
        published.extend(events_of(cluster, feeds))
    return sorted(published, key=lambda e: e.key)


def events_of(cluster: Cluster, feeds: Mapping[str, FeedSource]) -> list[Event]:
    """The published VEVENTs of one cluster: its master (or plain event) and overrides.

    An override whose master is missing (an orphan, RFC 5545 §3.8.4.4 allows it) is
    published as a stand-alone event rather than dropped.
    """
    anchor = cluster.anchor
    masters = [m for m in cluster.members if not m.key.recurrence_id]
    overrides = [m for m in cluster.members if m.key.recurrence_id]
    if not masters:
        return [_standalone(o, anchor, cluster.reasons) for o in overrides]
    uid = uid_for(anchor)
    master = _best(masters, feeds)
    events = [Event(uid, master.city, master.data, _keys(cluster.members), "", cluster.reasons)]
    for rid, group in _by_recurrence_id(overrides).items():
        best = _best(group, feeds)
        events.append(Event(uid, master.city, best.data, _keys(group), rid, cluster.reasons))
    return events


def _standalone(override: SourceEvent, anchor: SourceKey, reasons: tuple[str, ...]) -> Event:
    uid = uid_for_instance(anchor, override.key.recurrence_id)
    data = replace(override.data, this_and_future=False)
    return Event(uid, override.city, data, (override.key,),
                 "", (*reasons, "override without its master: published on its own"))


def _by_recurrence_id(events: Sequence[SourceEvent]) -> dict[str, list[SourceEvent]]:
    groups: dict[str, list[SourceEvent]] = defaultdict(list)
    for event in events:
        groups[event.key.recurrence_id].append(event)
    return dict(sorted(groups.items()))


def _best(events: Sequence[SourceEvent], feeds: Mapping[str, FeedSource]) -> SourceEvent:
    """The most authoritative copy: the best-ranked feed, then the key (stable)."""
    return min(events, key=lambda e: (_rank(feeds, e.key.feed_id), e.key))


def _rank(feeds: Mapping[str, FeedSource], feed_id: str) -> int:
    feed = feeds.get(feed_id)
    return feed.rank if feed else len(feeds)


def _keys(events: Iterable[SourceEvent]) -> tuple[SourceKey, ...]:
    return tuple(sorted({e.key for e in events}))
