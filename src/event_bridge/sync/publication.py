"""The publishing half of a sync: stored source events → merged and per-city snapshots.

Composes the pure core (privacy filter, dedupe, link, publication window, revisions,
render) and writes the results through the repository in one go.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from event_bridge.config.settings import Settings
from event_bridge.matching import dedupe, link, semantic
from event_bridge.matching.semantic import Similarity
from event_bridge.model import Event, Link, PublishedRecord, Snapshot, SourceEvent
from event_bridge.publish import render as publish
from event_bridge.publish.revisions import revise
from event_bridge.recurrence import expand
from event_bridge.store.repository import Repository

PRIVATE_CLASSES = frozenset({"PRIVATE", "CONFIDENTIAL"})


@dataclass(frozen=True)
class Published:
    events: int
    links: int
    etag: str


def visible(events: Sequence[SourceEvent], allow_private: bool) -> list[SourceEvent]:
    """Privacy by default: CLASS:PRIVATE / CONFIDENTIAL are not republished (RFC 5545
    §3.8.1.3) unless the operator allows them."""
    if allow_private:
        return list(events)
    return [e for e in events if e.privacy.upper() not in PRIVATE_CLASSES]


def in_window(events: Sequence[Event], settings: Settings,
              now: datetime) -> tuple[list[Event], list[tuple[str, str]]]:
    """Keep an event or series while any occurrence falls in the publication window;
    overrides follow their master."""
    start = now - timedelta(days=settings.publish.past_days)
    end = now + timedelta(days=settings.publish.future_days)
    cap = settings.publish.max_occurrences
    keep_uids = {e.uid for e in events if not e.recurrence_id
                 and expand.any_in_window(e.data, start, end, cap)}
    masters = {e.uid for e in events if not e.recurrence_id}
    kept: list[Event] = []
    out: list[Event] = []
    for event in events:
        ok = event.uid in keep_uids if event.uid in masters else (
            expand.any_in_window(event.data, start, end, cap))
        (kept if ok else out).append(event)
    return kept, [e.key for e in out]


def find_links(events: Sequence[Event], settings: Settings,
               sources: Sequence[SourceEvent] = ()) -> list[Link]:
    """Cross-city links between the published events, with config ``link``/``no-link``
    rules applied (``link.find_links``); ``sources`` lets every merged source speak."""
    return link.find_links(events, settings.rules, settings.cities,
                           semantic_similarity(settings), {s.key: s for s in sources})


def semantic_similarity(settings: Settings) -> Similarity | None:
    """The optional cross-language title similarity, unless the config turns it off."""
    return semantic.load(settings.matching.semantic)


def publish_all(settings: Settings, repo: Repository, now: datetime) -> Published:
    """Dedupe, link and render everything stored; save the records and the snapshots.

    Each stage drops what the next no longer needs (source events after linking, the last
    records after revising, records after saving them), so the peak memory is that of the
    largest stage rather than of all of them at once."""
    last = repo.published()
    sources = visible(repo.source_events(), settings.publish.allow_private)
    events, retired = _matched(settings, sources, last, now)
    links = find_links(events, settings, sources)
    del sources
    grace = timedelta(days=settings.publish.tombstone_days)
    revised = revise(events, links, last, now, grace, retired)
    del events, last
    stamps = {k: publish.Stamp(r.sequence, r.changed_at) for k, r in revised.records.items()}
    rendered = _rendered(settings, repo, revised.events, links, stamps)
    del stamps
    repo.save_published(revised.records.values(), revised.deleted)
    published = Published(len(revised.events), len(links), rendered.etag)
    del revised
    _save_snapshots(settings, repo, rendered, now)
    return published


def _matched(settings: Settings, sources: Sequence[SourceEvent],
             last: Mapping[tuple[str, str], PublishedRecord],
             now: datetime) -> tuple[list[Event], list[tuple[str, str]]]:
    feeds = {f.id: f for f in settings.feeds}
    previous = dedupe.assignments(r.event for r in last.values() if r.gone_since is None)
    return in_window(dedupe.dedupe(sources, feeds, cities=settings.cities,
                                   rules=settings.rules, previous=previous,
                                   semantic=semantic_similarity(settings)), settings, now)


def _rendered(settings: Settings, repo: Repository, events: Sequence[Event],
              links: Sequence[Link], stamps: Mapping[tuple[str, str], publish.Stamp],
              ) -> publish.Rendered:
    """Rendered with the last publication's blocks: only events whose inputs changed are
    rendered again."""
    meta = publish.FeedMeta(settings.publish.name, settings.refresh_seconds)
    before = {(b.uid, b.recurrence_id): b for b in repo.blocks()[0]}
    return publish.render(events, links, stamps, settings.cities, meta, before)


def _save_snapshots(settings: Settings, repo: Repository, rendered: publish.Rendered,
                    now: datetime) -> None:
    """The merged feed with its blocks, then one feed per city assembled from those blocks
    (so a city's events keep their "Also in …" lines about the other city)."""
    repo.save_snapshot(_snapshot(repo, "calendar", rendered.body, now), rendered.blocks,
                       rendered.header, rendered.footer)
    for slug, city in sorted(settings.cities.items()):
        meta = publish.FeedMeta(f"{settings.publish.name} · {city.name}",
                                settings.refresh_seconds)
        header = publish.retitle(rendered.header, meta)
        body = publish.assemble(header, [b for b in rendered.blocks if b.city == slug])
        repo.save_snapshot(_snapshot(repo, f"city:{slug}", body, now))


def _snapshot(repo: Repository, name: str, body: bytes, now: datetime) -> Snapshot:
    """Last-Modified moves only when the bytes change, so If-Modified-Since keeps working."""
    tag = publish.etag(body)
    old = repo.snapshot(name)
    when = old.last_modified if old and old.etag == tag else now
    return Snapshot(name, body, tag, when)
