"""Alembic environment for event-bridge: online only, on the connection that
``event_bridge.store.schema.upgrade`` passes in ``config.attributes["connection"]``."""

from __future__ import annotations

from alembic import context

from event_bridge.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `event-bridge db upgrade` "
                       "(event_bridge.store.schema.upgrade), not the alembic command")

context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite cannot ALTER most things: later revisions rebuild tables in batch mode.
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
