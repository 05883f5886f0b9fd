"""Initial schema: feed state, source events, published events, snapshots and blocks, sync
runs and the sync lock.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _instant(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _text(name: str) -> sa.Column:
    return sa.Column(name, sa.Text(), nullable=False)


def _string(name: str, primary_key: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(), nullable=False, primary_key=primary_key)


def _int(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "feed_state",
        _string("feed_id", primary_key=True),
        _string("etag"), _string("last_modified"), _string("body_hash"),
        _instant("last_attempt", nullable=True), _instant("last_success", nullable=True),
        _text("last_error"), _int("consecutive_failures"), _int("event_count"),
        _int("held_syncs"), _text("held_note"), _int("refresh_hint_seconds", nullable=True),
    )
    op.create_table(
        "source_event",
        _string("feed_id", primary_key=True), _string("uid", primary_key=True),
        _string("recurrence_id", primary_key=True),
        _string("content_hash"), _string("last_modified"), _text("payload"),
        _instant("first_seen"), _instant("last_changed"),
    )
    op.create_table(
        "published",
        _string("uid", primary_key=True), _string("recurrence_id", primary_key=True),
        _string("content_hash"), _int("sequence"), _instant("changed_at"), _text("payload"),
        _instant("gone_since", nullable=True),
    )
    op.create_table(
        "snapshot",
        _string("name", primary_key=True),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        _string("etag"), _instant("last_modified"), _string("digest"),
    )
    op.create_table(
        "feed_header",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        _text("header"), _text("footer"), _string("blocks_digest"),
    )
    op.create_table(
        "block",
        _string("uid", primary_key=True), _string("recurrence_id", primary_key=True),
        _int("position"), _string("city"), _text("categories"), _text("text"),
        sa.Column("linked", sa.Boolean(), nullable=False),
        _text("ics"), _text("tzids"),
    )
    op.create_table(
        "sync_run",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _instant("started"), _instant("finished"), _text("report"),
    )
    op.create_index("ix_sync_run_started", "sync_run", ["started"])
    op.create_table(
        "sync_lock",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        _string("owner"), _instant("expires_at"),
    )


def downgrade() -> None:
    for table in ("sync_lock", "sync_run", "block", "feed_header", "snapshot", "published",
                  "source_event", "feed_state"):
        op.drop_table(table)
