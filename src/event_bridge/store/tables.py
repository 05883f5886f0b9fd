"""The SQLModel tables behind ``SqlRepository``.

Every change here needs a new Alembic revision in ``migrations/versions/``;
``tests/test_migrations.py`` fails when the two disagree.  Value objects are stored as JSON
text written by :mod:`event_bridge.store.codec` (moments as RFC 5545 text), so the same data reads
back the same from SQLite and PostgreSQL.  Instants go through :class:`UTCDateTime`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Index, LargeBinary, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator[datetime]):
    """An instant stored as UTC and always returned timezone-aware UTC.

    PostgreSQL keeps ``timestamptz``; SQLite stores text without an offset, so values are
    converted to UTC before they are written and given back their UTC zone when read.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: the store keeps timezone-aware UTC")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class FeedStateRow(SQLModel, table=True):
    __tablename__ = "feed_state"

    feed_id: str = Field(primary_key=True)
    etag: str = ""
    last_modified: str = ""  # the HTTP validator, as the server wrote it
    body_hash: str = ""
    last_attempt: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_success: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str = Field(default="", sa_type=Text)
    consecutive_failures: int = 0
    event_count: int = 0
    held_syncs: int = 0
    held_note: str = Field(default="", sa_type=Text)
    refresh_hint_seconds: int | None = None


class SourceEventRow(SQLModel, table=True):
    """One source VEVENT.  ``content_hash`` decides "changed"; ``last_modified`` (RFC 5545
    text or ``""``) lets a newer LAST-MODIFIED alone refresh ``payload`` without a change."""

    __tablename__ = "source_event"

    feed_id: str = Field(primary_key=True)
    uid: str = Field(primary_key=True)
    recurrence_id: str = Field(primary_key=True)
    content_hash: str
    last_modified: str = ""
    payload: str = Field(sa_type=Text)  # codec.source_event_to_json
    first_seen: datetime = Field(sa_type=UTCDateTime)
    last_changed: datetime = Field(sa_type=UTCDateTime)
    # the intake unit (blocks of one UID) it was read from; "" = read it again next sync
    unit_hash: str = Field(default="", sa_column_kwargs={"server_default": ""})


class PublishedRow(SQLModel, table=True):
    __tablename__ = "published"

    uid: str = Field(primary_key=True)
    recurrence_id: str = Field(primary_key=True)
    content_hash: str
    sequence: int
    changed_at: datetime = Field(sa_type=UTCDateTime)
    payload: str = Field(sa_type=Text)  # codec.event_to_json
    gone_since: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SnapshotRow(SQLModel, table=True):
    """A rendered feed; ``digest`` (SHA-256 of ``body``) lets an identical save skip the
    rewrite of a large body."""

    __tablename__ = "snapshot"

    name: str = Field(primary_key=True)
    body: bytes = Field(sa_type=LargeBinary)
    etag: str
    last_modified: datetime = Field(sa_type=UTCDateTime)
    digest: str


class FeedHeaderRow(SQLModel, table=True):
    """The text around the merged feed's blocks (one row, ``id`` = 1) and a digest of the
    blocks, so an unchanged set is not rewritten."""

    __tablename__ = "feed_header"

    id: int = Field(primary_key=True)
    header: str = Field(sa_type=Text)
    footer: str = Field(sa_type=Text)
    blocks_digest: str


class BlockRow(SQLModel, table=True):
    __tablename__ = "block"

    uid: str = Field(primary_key=True)
    recurrence_id: str = Field(primary_key=True)
    position: int
    city: str
    categories: str = Field(sa_type=Text)  # JSON list
    text: str = Field(sa_type=Text)
    linked: bool
    ics: str = Field(sa_type=Text)
    tzids: str = Field(sa_type=Text)  # JSON list
    input_hash: str = Field(default="", sa_column_kwargs={"server_default": ""})


class SyncRunRow(SQLModel, table=True):
    __tablename__ = "sync_run"

    id: int | None = Field(default=None, primary_key=True)
    started: datetime = Field(sa_type=UTCDateTime, index=True)
    finished: datetime = Field(sa_type=UTCDateTime)
    report: str = Field(sa_type=Text)  # JSON, see sql.report_to_json


class SyncLockRow(SQLModel, table=True):
    """Unused since issue 12: the sync lock is now one the OS or PostgreSQL releases when
    its holder dies (:mod:`event_bridge.store.lock`).  The table stays until a migration
    drops it (kept so that schema and migrations still agree)."""

    __tablename__ = "sync_lock"

    id: int = Field(primary_key=True)
    owner: str
    expires_at: datetime = Field(sa_type=UTCDateTime)


metadata = SQLModel.metadata

feed_state = FeedStateRow.__table__  # type: ignore[attr-defined]
source_event = SourceEventRow.__table__  # type: ignore[attr-defined]
Index("ix_source_event_unit", source_event.c.feed_id, source_event.c.unit_hash)
published = PublishedRow.__table__  # type: ignore[attr-defined]
snapshot = SnapshotRow.__table__  # type: ignore[attr-defined]
feed_header = FeedHeaderRow.__table__  # type: ignore[attr-defined]
block = BlockRow.__table__  # type: ignore[attr-defined]
sync_run = SyncRunRow.__table__  # type: ignore[attr-defined]
sync_lock = SyncLockRow.__table__  # type: ignore[attr-defined]
