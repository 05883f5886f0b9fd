"""Incremental sync: the intake unit each source event was read from, and the input hash of
each rendered block.

``source_event.unit_hash`` names the VEVENT blocks (all blocks of one UID, volatile lines
left out, hashed with the feed's context) a stored event was read from, so a resync parses
only blocks whose hash is new; ``""`` means "read again next time".  ``block.input_hash`` is
the hash of everything a published VEVENT's text depends on, so a publication renders only
events whose inputs changed.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("source_event") as batch:
        batch.add_column(sa.Column("unit_hash", sa.String(), nullable=False,
                                   server_default=""))
        batch.create_index("ix_source_event_unit", ["feed_id", "unit_hash"])
    with op.batch_alter_table("block") as batch:
        batch.add_column(sa.Column("input_hash", sa.String(), nullable=False,
                                   server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("block") as batch:
        batch.drop_column("input_hash")
    with op.batch_alter_table("source_event") as batch:
        batch.drop_index("ix_source_event_unit")
        batch.drop_column("unit_hash")
