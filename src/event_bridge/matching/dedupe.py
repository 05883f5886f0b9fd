"""Source events → canonical published events.  Pure and order-independent.

Revisions of one source key ``(feed, UID, RECURRENCE-ID)`` collapse first (the highest
SEQUENCE wins, then the latest LAST-MODIFIED: RFC 5545 §3.8.7.4).  ``clusters`` then groups
what several feeds say about one real-world event (``match`` holds the evidence), and each
cluster becomes one published event — a series master with its overrides, where instances
another feed publishes one by one become overrides carrying their own sources.

Which copy speaks: each field comes from the best-ranked source that has it (feeds ranked by
``FeedSource.rank``), except the start, where the most precise source wins (a timed start
beats an all-day date; among timed starts, the best-ranked feed).  Any cancelled copy (its
STATUS, or a marker such as ``ANNULÉ –`` in its title) cancels the event.

The published UID is derived from the cluster's anchor source, unless ``previous`` (source
``(feed, UID)`` → published UID of the last run) says which UID the cluster had: a source
joining or leaving an event does not change its UID.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from event_bridge.matching.clusters import Cluster, Rules, cluster
from event_bridge.matching.evidence import Unit, build_units, corpus
from event_bridge.matching.identity import uid_for, uid_for_instance
from event_bridge.matching.semantic import Similarity
from event_bridge.matching.text import is_cancelled_title, strip_markers
from event_bridge.model import City, Event, EventData, FeedSource, SourceEvent, SourceKey
from event_bridge.recurrence.series import occurrences, shifted

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
TEXT_FIELDS = ("summary", "description", "location", "url", "categories", "geo", "organizer")
"""Fields taken from the best-ranked source that has them."""


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


def rules_from(config_rules: Iterable[object]) -> Rules:
    """``merge`` / ``no-merge`` rules of the config (``feed-id:UID`` on each side)."""
    merge, forbid = set(), set()
    for rule in config_rules:
        kind, a, b = (getattr(rule, n, "") for n in ("kind", "a", "b"))
        pair = frozenset((_source(a), _source(b)))
        if kind == "merge":
            merge.add(pair)
        elif kind == "no-merge":
            forbid.add(pair)
    return Rules(frozenset(merge), frozenset(forbid))


def _source(text: str) -> tuple[str, str]:
    feed, _, uid = text.partition(":")
    return (feed, uid)


def assignments(published: Iterable[Event]) -> dict[tuple[str, str], str]:
    """Source ``(feed, UID)`` → published UID, from the previously published events (pass
    live ones: a tombstone's UID is not worth keeping)."""
    out: dict[tuple[str, str], str] = {}
    for event in sorted(published, key=lambda e: e.key):
        for key in event.sources:
            out.setdefault((key.feed_id, key.uid), event.uid)
    return out


def dedupe(events: Iterable[SourceEvent], feeds: Mapping[str, FeedSource], *,
           cities: Mapping[str, City] | None = None, rules: Iterable[object] = (),
           previous: Mapping[tuple[str, str], str] | None = None,
           semantic: Similarity | None = None) -> list[Event]:
    """Canonical events for every cluster, sorted by ``(uid, recurrence_id)``; ``semantic``
    is the optional cross-language title similarity (:mod:`.semantic`)."""
    units = build_units(latest_revisions(events), feeds, cities or {})
    clusters = cluster(units, corpus(units, semantic), rules_from(rules))
    uids = assign_uids(clusters, previous or {})
    published: list[Event] = []
    for c in clusters:
        published.extend(events_of(c, uids[id(c)], feeds))
    return sorted(published, key=lambda e: e.key)


def anchor(c: Cluster) -> Unit:
    """The unit whose identity names a new published event: the best-ranked one."""
    return min(c.units, key=lambda u: (u.rank, u.key))


def derived_uid(c: Cluster) -> str:
    key = anchor(c).key
    return uid_for_instance(key, key.recurrence_id) if key.recurrence_id else uid_for(key)


def assign_uids(clusters: Sequence[Cluster],
                previous: Mapping[tuple[str, str], str]) -> dict[int, str]:
    """Each cluster keeps the UID most of its sources had last time (the cluster with most
    such sources wins a contested UID); the others get the UID derived from their anchor."""
    claims = []
    for c in clusters:
        for uid, count in Counter(previous[k] for k in c.sources() if k in previous).items():
            claims.append((-count, uid != derived_uid(c), uid, anchor(c).key, c))
    out: dict[int, str] = {}
    taken: set[str] = set()
    for _, _, uid, _, c in sorted(claims, key=lambda x: x[:4]):
        if id(c) not in out and uid not in taken:
            out[id(c)] = uid
            taken.add(uid)
    for c in sorted(clusters, key=lambda c: anchor(c).key):
        if id(c) not in out:
            uid = derived_uid(c)
            n = 0
            while uid in taken:
                n += 1
                uid = uid_for_instance(anchor(c).key, f"split-{n}")
            out[id(c)] = uid
            taken.add(uid)
    return out


def events_of(c: Cluster, uid: str, feeds: Mapping[str, FeedSource]) -> list[Event]:
    """The published VEVENTs of one cluster: its master (or plain event) and overrides."""
    reasons = tuple(c.reasons) or ("single source",)
    heads = [u.head for u in c.units]
    main = anchor(c)
    if not c.recurring:
        data = merged(heads, feeds)
        return [Event(uid, main.city, data, _keys(heads), "", reasons, c.score)]
    masters = [u for u in c.units if u.recurring]
    main = min(masters, key=lambda u: (u.rank, u.key))
    master = merged([u.head for u in masters], feeds, recurrence_from=main.head)
    events = [Event(uid, main.city, master, _keys(heads), "", reasons, c.score)]
    unit_keys = {u.key for u in c.units}
    for rid, sources in _instances(c, main).items():
        data = merged(sources, feeds)
        keys = _keys([s for s in sources if s.key not in unit_keys])
        events.append(Event(uid, main.city, replace(data, this_and_future=False),
                            keys, rid, reasons, c.score))
    return events


def _instances(c: Cluster, main: Unit) -> dict[str, list[SourceEvent]]:
    """RECURRENCE-ID → the sources that speak for that instance: overrides of every series
    copy and absorbed stand-alone events, plus the anchor series' own occurrence."""
    out: dict[str, list[SourceEvent]] = {}
    for unit in c.units:
        for o in unit.overrides:
            out.setdefault(o.key.recurrence_id, []).append(o)
    plan = {o.rid: o for o in occurrences(main.head, ())}
    for rid, units in c.instances.items():
        group = out.setdefault(rid, [])
        group.extend(u.head for u in units)
        if rid in plan and not any(s.key.feed_id == main.feed_id for s in group):
            occurrence = shifted(main.head.data, plan[rid].start)
            group.append(replace(main.head, data=occurrence))
    return dict(sorted(out.items()))


def merged(sources: Sequence[SourceEvent], feeds: Mapping[str, FeedSource],
           recurrence_from: SourceEvent | None = None) -> EventData:
    """One event's fields from its ranked sources (see the module docstring)."""
    ranked = sorted(sources, key=lambda e: (_rank(feeds, e.key.feed_id), e.key))
    timed = [e for e in ranked if not e.data.all_day]
    when = (timed or ranked)[0].data
    base = (recurrence_from or ranked[0]).data
    fields: dict[str, Any] = {name: _first(ranked, name) for name in TEXT_FIELDS}
    fields["summary"] = strip_markers(str(fields["summary"]))
    cancelled = any(e.data.cancelled or is_cancelled_title(e.data.summary) for e in ranked)
    status = "CANCELLED" if cancelled else next((e.data.status for e in ranked
                                                 if e.data.status), "")
    return replace(base, **fields, status=status, start=when.start, end=when.end,
                   tzid=when.tzid, tz_definition=when.tz_definition)


def _first(ranked: Sequence[SourceEvent], name: str) -> object:
    for event in ranked:
        value = getattr(event.data, name)
        if value:
            return value
    return getattr(ranked[0].data, name)


def _rank(feeds: Mapping[str, FeedSource], feed_id: str) -> int:
    feed = feeds.get(feed_id)
    return feed.rank if feed else len(feeds)


def _keys(events: Iterable[SourceEvent]) -> tuple[SourceKey, ...]:
    return tuple(sorted({e.key for e in events}))
