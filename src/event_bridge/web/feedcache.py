"""The feed server's memory: the current snapshots as ready-to-send responses.

Subscribers' calendar apps poll the feeds for years, mostly to hear "304 Not Modified", so
everything a response needs is computed once per snapshot ETag, not once per request: the
identity and gzip bodies, their strong ETags and the header lists for 200 and 304.  The
store is asked at most once per ``CHECK_SECONDS`` whether a newer sync ran (one cheap
``runs(limit=1)`` query); only then are the snapshots reloaded, and only a changed one is
re-compressed.  Filtered variants (``?category=``, ``?q=``, ``/linked.ics``) are assembled
from the stored per-event blocks and kept in a small LRU keyed by (snapshot ETag, filter).

Thread-safety: ``refresh`` and ``variant`` run in worker threads; they build new objects
and publish them with one assignment, so readers on the event loop never see a half-made
state.
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from email.utils import format_datetime

from event_bridge.intake.folding import fold
from event_bridge.model import Block, EventData, Snapshot
from event_bridge.publish import render as publish
from event_bridge.recurrence import expand
from event_bridge.store.repository import Repository

CHECK_SECONDS = 1.0
"""How stale the in-memory feeds may be after a sync finished (one store query per period)."""

GZIP_LEVEL = 6
"""zlib's default trade-off: a 5 MB feed compresses ~8x in ~0.1 s, once per ETag."""

MAX_VARIANTS = 64
"""Filtered feeds kept in memory; query strings come from strangers, so the cache is bounded."""

MAX_QUERY_CHARS = 200
"""Longer ``?q=`` / ``?category=`` values are refused (400) rather than searched."""

MERGED = "calendar"

FUTURE_REACH = timedelta(days=3660)
"""How far past ``from=`` a series is searched for a next occurrence (beyond any
publication window)."""

CANCELLED_LINE = "\nSTATUS:CANCELLED\r\n"


@dataclass(frozen=True)
class Representation:
    """One encoding of one feed, with its pre-built header lists (ASGI byte pairs)."""

    body: bytes
    etag: bytes  # quoted strong ETag, RFC 9110 §8.8.3
    ok_headers: list[tuple[bytes, bytes]]  # for 200 and HEAD
    not_modified_headers: list[tuple[bytes, bytes]]  # for 304 (RFC 9110 §15.4.5)


@dataclass(frozen=True)
class Feed:
    """A feed as served: both encodings and the Last-Modified instant (whole seconds)."""

    source_etag: str
    last_modified: datetime
    identity: Representation
    gzipped: Representation


@dataclass(frozen=True)
class FeedFilter:
    """What a filtered URL selects from the merged feed's blocks.  ``q`` is folded with
    matching's ``fold`` (accents, case, ligatures, dashes) and so is each block's text;
    ``since`` keeps only events with an instance ending after the start of that local day
    (``from=today``): timed events after its first midnight in any city (``since_instant``),
    all-day events whose dates reach the day."""

    city: str = ""
    category: str = ""
    q: str = ""
    linked: bool = False
    hide_cancelled: bool = False
    since: date | None = None
    since_instant: datetime | None = None

    @property
    def plain(self) -> bool:
        return not (self.category or self.q or self.linked or self.hide_cancelled
                    or self.since is not None)

    def accepts(self, block: Block, folded: str = "") -> bool:
        if self.city and block.city != self.city:
            return False
        if self.linked and not block.linked:
            return False
        if self.hide_cancelled and CANCELLED_LINE in block.ics:
            return False
        if self.category and self.category.casefold() not in {
                c.casefold() for c in block.categories}:
            return False
        return not self.q or self.q in (folded or fold(block.text))


def whole_series(blocks: Sequence[Block], chosen: Sequence[Block]) -> list[Block]:
    """``chosen``, with each series kept or left whole: an override (RECURRENCE-ID, RFC 5545
    §3.8.4.4) goes with its master when the feed has one, whatever the filter said of the
    override itself.  Dropping a moved or cancelled override alone would make clients show
    that instance again at its original time, as if it were on."""
    masters = {b.uid for b in blocks if not b.recurrence_id}
    kept = {b.uid for b in chosen if not b.recurrence_id}
    own = {(b.uid, b.recurrence_id) for b in chosen}
    return [b for b in blocks
            if (b.uid in kept if b.uid in masters else (b.uid, b.recurrence_id) in own)]


def still_on(data: EventData, day: date, instant: datetime) -> bool:
    """Whether an instance of ``data`` ends after ``instant`` (timed) or on or after
    ``day`` (all-day, whose dates ``expand`` places at midnight UTC); one bounded expansion."""
    since = instant if isinstance(data.start, datetime) else datetime.combine(
        day, time(0), UTC) + timedelta(microseconds=1)
    length = _length(data)
    return bool(expand.occurrences(data, since - length, since + FUTURE_REACH, 1))


def _length(data: EventData) -> timedelta:
    first, last = data.start, data.end
    if isinstance(first, datetime) and isinstance(last, datetime):
        return max(last - first, timedelta(0))
    if not isinstance(first, datetime) and not isinstance(last, datetime):
        return max(last - first, timedelta(0))
    return timedelta(0)


def quote_etag(etag: str) -> str:
    """Snapshots may store the opaque tag bare; on the wire it is quoted (RFC 9110 §8.8.3)."""
    return etag if etag.startswith('"') else f'"{etag}"'


def build_feed(body: bytes, etag: str, last_modified: datetime, filename: str,
               max_age: int) -> Feed:
    """Both representations of ``body``; the gzip one gets its own ETag (``-gz`` suffix)
    because it is a different sequence of bytes (RFC 9110 §8.8.3.3), and every response
    says ``Vary: Accept-Encoding`` so shared caches keep them apart."""
    tag = quote_etag(etag)
    lm = last_modified.replace(microsecond=0)
    common = _common_headers(lm, filename, max_age)
    plain = _representation(body, tag, common, filename, b"")
    packed = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
    zipped = _representation(packed, tag[:-1] + '-gz"', common, filename, b"gzip")
    return Feed(etag, lm, plain, zipped)


def _common_headers(lm: datetime, filename: str, max_age: int) -> list[tuple[bytes, bytes]]:
    return [
        (b"last-modified", format_datetime(lm, usegmt=True).encode()),
        (b"cache-control", f"public, max-age={max_age}".encode()),
        (b"vary", b"Accept-Encoding"),
    ]


def _representation(body: bytes, etag: str, common: list[tuple[bytes, bytes]],
                    filename: str, encoding: bytes) -> Representation:
    validators = [(b"etag", etag.encode()), *common]
    ok = [(b"content-type", b"text/calendar; charset=utf-8"),
          (b"content-length", str(len(body)).encode()),
          (b"content-disposition", f'inline; filename="{filename}"'.encode()),
          *validators]
    if encoding:
        ok.append((b"content-encoding", encoding))
    return Representation(body, etag.encode(), ok, validators)


class FeedCache:
    """Current feeds of one repository; see the module docstring for the refresh policy."""

    def __init__(self, repo: Repository, cities: Sequence[str], max_age: int) -> None:
        self.repo = repo
        self.cities = tuple(cities)
        self.max_age = max_age
        self.feeds: dict[str, Feed] = {}  # "calendar", "city:<slug>"
        self.version: object = None
        self._variants: OrderedDict[tuple[str, FeedFilter], Feed] = OrderedDict()
        self._blocks: tuple[str, list[Block], str, str] | None = None
        self._folded: tuple[str, dict[tuple[str, str], str]] | None = None
        self._data: tuple[str, Mapping[tuple[str, str], EventData]] | None = None
        self._lock = threading.Lock()
        self._refreshing = threading.Lock()

    def refresh(self) -> bool:
        """Reload the snapshots if a sync ran since the last look; say whether any changed.
        One reload at a time (the event loop and ``/metrics`` may both ask)."""
        with self._refreshing:
            return self._refresh()

    def _refresh(self) -> bool:
        runs = self.repo.runs(limit=1)
        version = (runs[0].started, runs[0].finished, runs[0].etag) if runs else None
        if version is not None and version == self.version and self.feeds:
            return False
        fresh = dict(self.feeds)
        changed = False
        for name in (MERGED, *(f"city:{slug}" for slug in self.cities)):
            snap = self.repo.snapshot(name)
            if snap is None or (name in fresh and fresh[name].source_etag == snap.etag):
                continue
            fresh[name] = self._feed(snap)
            changed = True
        self.feeds, self.version = fresh, version
        return changed

    def _feed(self, snap: Snapshot) -> Feed:
        filename = snap.name.removeprefix("city:") + ".ics"
        return build_feed(snap.body, snap.etag, snap.last_modified, filename, self.max_age)

    def cached_variant(self, flt: FeedFilter) -> Feed | None:
        """The filtered feed for the current merged ETag if already built (no I/O)."""
        base = self.feeds.get(MERGED)
        if base is None:
            return None
        key = (base.source_etag, flt)
        with self._lock:
            hit = self._variants.get(key)
            if hit is not None:
                self._variants.move_to_end(key)
            return hit

    def variant(self, filename: str, flt: FeedFilter) -> Feed | None:
        """A filtered feed assembled from the merged feed's blocks, cached per merged ETag;
        ``None`` before the first sync."""
        base = self.feeds.get(MERGED)
        if base is None:
            return None
        hit = self.cached_variant(flt)
        if hit is not None:
            return hit
        feed = self._assemble(base, filename, flt)
        with self._lock:
            self._variants[(base.source_etag, flt)] = feed
            while len(self._variants) > MAX_VARIANTS:
                self._variants.popitem(last=False)
        return feed

    def _assemble(self, base: Feed, name: str, flt: FeedFilter) -> Feed:
        blocks, header, _footer = self._current_blocks(base.source_etag)
        folded = self._folded_texts(base.source_etag, blocks) if flt.q else {}
        chosen = [b for b in blocks if flt.accepts(b, folded.get((b.uid, b.recurrence_id), ""))]
        if flt.since is not None:
            data = self._event_data(base.source_etag)
            chosen = [b for b in chosen if (b.uid, b.recurrence_id) not in data
                      or still_on(data[(b.uid, b.recurrence_id)], flt.since,
                                  flt.since_instant or datetime.min.replace(tzinfo=UTC))]
        body = publish.assemble(header, whole_series(blocks, chosen))
        return build_feed(body, publish.etag(body), base.last_modified, name, self.max_age)

    def _folded_texts(self, etag: str, blocks: list[Block]) -> dict[tuple[str, str], str]:
        """Each block's searchable text folded once per snapshot, not once per query."""
        cached = self._folded
        if cached is None or cached[0] != etag:
            cached = (etag, {(b.uid, b.recurrence_id): fold(b.text) for b in blocks})
            self._folded = cached
        return cached[1]

    def _event_data(self, etag: str) -> Mapping[tuple[str, str], EventData]:
        cached = self._data
        if cached is None or cached[0] != etag:
            cached = (etag, {k: r.event.data for k, r in self.repo.published().items()})
            self._data = cached
        return cached[1]

    def _current_blocks(self, etag: str) -> tuple[list[Block], str, str]:
        cached = self._blocks
        if cached is not None and cached[0] == etag:
            return cached[1], cached[2], cached[3]
        blocks, header, footer = self.repo.blocks()
        self._blocks = (etag, blocks, header, footer)
        return blocks, header, footer
