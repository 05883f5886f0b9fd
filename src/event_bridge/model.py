"""Value objects that flow one way through the pipeline.

fetch → ``FetchResult``; parse + normalise → ``SourceEvent``; dedupe → ``Event``;
link → ``Link``; pipeline → ``SyncReport``.  All are frozen.  Instants are timezone-aware
UTC ``datetime``; all-day values are plain ``date``.  Identity keys are explicit:
a source VEVENT is ``SourceKey(feed_id, uid, recurrence_id)``, a published VEVENT is
``(uid, recurrence_id)``.  ``recurrence_id`` is ``""`` for a plain event or a series master,
else the RFC 5545 form of the original instant in UTC (``20260324T180000Z``) or a date
(``20260324``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from typing import Literal

Moment = datetime | date
"""A UTC instant (aware ``datetime``) or an all-day ``date``."""

Role = Literal["primary", "aggregator"]


def moment_key(value: Moment) -> str:
    """The RFC 5545 text of a moment: ``YYYYMMDDTHHMMSSZ`` (UTC) or ``YYYYMMDD`` (date)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return value.strftime("%Y%m%d")


def parse_moment_key(text: str) -> Moment:
    """Inverse of :func:`moment_key` (sliced by hand: ``strptime`` dominated store reads)."""
    day = date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    if len(text) == 8:
        return day
    if len(text) != 16 or text[8] != "T" or text[15] != "Z":
        raise ValueError(f"not a moment key: {text!r}")
    return datetime(day.year, day.month, day.day, int(text[9:11]), int(text[11:13]),
                    int(text[13:15]), tzinfo=UTC)


@dataclass(frozen=True)
class City:
    slug: str
    name: str
    timezone: str


@dataclass(frozen=True)
class FeedSource:
    """One configured feed.  ``rank`` is its authority: 0 is the most authoritative
    (primaries before aggregators, then config order)."""

    id: str
    city: str
    url: str
    timezone: str = ""  # zone for floating times; "" = the city's zone
    role: Role = "primary"
    auth_env: str = ""
    rank: int = 0
    name: str = ""
    language: str = ""  # BCP 47 tag of the feed's text (config default: the city's)


@dataclass(frozen=True)
class FeedValidators:
    """What the previous successful fetch told us, for a conditional GET."""

    etag: str = ""
    last_modified: str = ""
    body_hash: str = ""


@dataclass(frozen=True)
class FetchResult:
    """The outcome of one successful fetch.  ``body`` is ``None`` when unchanged (304)."""

    feed_id: str
    body: bytes | None
    validators: FeedValidators
    status: int = 200
    url: str = ""
    refresh_hint_seconds: int | None = None  # Cache-Control max-age, if the server sent one

    @property
    def not_modified(self) -> bool:
        return self.body is None


@dataclass(frozen=True, order=True)
class SourceKey:
    feed_id: str
    uid: str
    recurrence_id: str = ""


@dataclass(frozen=True)
class EventData:
    """The meaningful content of one VEVENT, already normalised.

    ``start``/``end`` are UTC instants or dates (``end`` is always set: RFC 5545 §3.6.1
    defaults applied).  ``tzid`` names the zone the event was written in: an IANA name,
    ``"UTC"``, a namespaced custom TZID (its definition in ``tz_definition``), or ``""``
    for all-day events.  Recurrence is kept as rules: ``rrule`` is the RRULE value text
    (UNTIL in UTC), ``rdates``/``exdates`` are moments.
    """

    summary: str = ""
    description: str = ""
    location: str = ""
    url: str = ""
    categories: tuple[str, ...] = ()
    status: str = ""  # CONFIRMED | TENTATIVE | CANCELLED | ""
    start: Moment = date(1970, 1, 1)
    end: Moment = date(1970, 1, 2)
    tzid: str = ""
    rrule: str = ""
    rdates: tuple[Moment, ...] = ()
    exdates: tuple[Moment, ...] = ()
    this_and_future: bool = False  # RECURRENCE-ID;RANGE=THISANDFUTURE
    tz_definition: str = ""  # VTIMEZONE text for a namespaced custom tzid
    geo: str = ""
    organizer: str = ""

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)

    @property
    def cancelled(self) -> bool:
        return self.status == "CANCELLED"

    @property
    def recurring(self) -> bool:
        return bool(self.rrule or self.rdates)

    def content_hash(self) -> str:
        """A digest of every meaningful field (RFC 5545 §3.8.7.4: the fields whose change
        bumps SEQUENCE).  Volatile properties are not part of ``EventData`` at all.

        Cached on the instance (it is frozen; the cache is not a field, so equality and
        repr are unaffected): dedupe, revisions and the store all ask for it."""
        cached = self.__dict__.get("_content_hash")
        if cached is None:
            cached = _digest(self)
            object.__setattr__(self, "_content_hash", cached)
        return str(cached)


def _jsonable(value: object) -> object:
    if isinstance(value, datetime | date):
        return moment_key(value)
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return value


def _digest(data: object) -> str:
    payload = {f.name: _jsonable(getattr(data, f.name)) for f in fields(data)}  # type: ignore[arg-type]
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class SourceEvent:
    """One source VEVENT after normalisation.

    ``city`` is where the event takes place (the feed's city unless its zone or location
    says otherwise); ``sequence`` and ``last_modified`` only decide between revisions of the
    same key and are not meaningful content.
    """

    key: SourceKey
    city: str
    data: EventData
    sequence: int = 0
    last_modified: datetime | None = None
    privacy: str = ""  # CLASS value: PUBLIC | PRIVATE | CONFIDENTIAL | ""

    @property
    def feed_id(self) -> str:
        return self.key.feed_id


NOTE_PREFIX = "note: "
"""Marks a ``Skipped`` entry that only reports a repair (the component was used)."""


@dataclass(frozen=True)
class Skipped:
    """A component that could not be used, and why (reported, never fatal); or, when the
    reason starts with ``NOTE_PREFIX``, a note on how a component was repaired."""

    feed_id: str
    uid: str
    reason: str

    @property
    def is_note(self) -> bool:
        return self.reason.startswith(NOTE_PREFIX)


@dataclass(frozen=True)
class Event:
    """One published VEVENT: a canonical event (or one override of a series).

    ``uid`` is derived from the identity of the sources (stable across runs and databases);
    ``sources`` lists every source VEVENT merged into it; ``reasons`` explains the merge.
    """

    uid: str
    city: str
    data: EventData
    sources: tuple[SourceKey, ...]
    recurrence_id: str = ""
    reasons: tuple[str, ...] = ()
    score: float = 1.0

    @property
    def key(self) -> tuple[str, str]:
        return (self.uid, self.recurrence_id)


@dataclass(frozen=True)
class Link:
    """A cross-city relation between two published events (RFC 9253 RELTYPE=SIBLING)."""

    a_uid: str
    b_uid: str
    score: float
    reason: str


@dataclass(frozen=True)
class FeedOutcome:
    feed_id: str
    status: Literal["ok", "unchanged", "failed", "held"]
    events: int = 0
    new: int = 0
    changed: int = 0
    removed: int = 0
    seconds: float = 0.0
    error: str = ""
    skipped: tuple[Skipped, ...] = ()
    note: str = ""
    bytes: int = 0  # body size fetched (0 when unchanged or failed)


@dataclass(frozen=True)
class SyncReport:
    started: datetime
    finished: datetime
    feeds: tuple[FeedOutcome, ...] = ()
    published_events: int = 0
    links: int = 0
    etag: str = ""
    notes: tuple[str, ...] = field(default=())
    fingerprint: str = ""  # inputs of the publication (see pipeline.publication_inputs)

    @property
    def failed(self) -> bool:
        return any(f.status == "failed" for f in self.feeds)


# Stored state the core reads (the store keeps them; the core must not import the store).

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
    input_hash: str = ""  # digest of everything ``ics`` was rendered from ("" = unknown)
