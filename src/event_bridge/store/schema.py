"""Schema versions: Alembic, configured in code (no ``alembic.ini`` at run time).

The migration scripts ship inside the package (``store/migrations``).  ``upgrade`` runs them
all in one transaction; on PostgreSQL an advisory lock makes concurrent upgrades wait for
each other, on SQLite ``BEGIN IMMEDIATE`` does the same.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, text

from event_bridge.errors import StoreError
from event_bridge.store.engine import IMMEDIATE, make_engine, translated

MIGRATIONS = Path(__file__).parent / "migrations"

_PG_UPGRADE_LOCK = 0x6576_6272  # "evbr": advisory lock key serialising upgrades


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration pointing at the packaged scripts; ``env.py`` uses
    ``connection`` (``config.attributes["connection"]``)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head() -> str:
    """The newest revision these migration scripts know."""
    revision = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert revision is not None
    return revision


def upgrade(url_or_engine: str | Engine) -> None:
    """Bring the schema of a database URL or engine up to the newest revision (idempotent)."""
    engine = make_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
    try:
        with translated(engine), engine.connect() as conn:
            conn.execution_options(**{IMMEDIATE: True})
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"),
                                 {"k": _PG_UPGRADE_LOCK})
                _run_upgrade(conn)
    finally:
        if isinstance(url_or_engine, str):
            engine.dispose()


def _run_upgrade(conn: Connection) -> None:
    try:
        command.upgrade(alembic_config(conn), "head")
    except CommandError as exc:
        raise StoreError(f"cannot migrate the database ({exc}): it was probably written by a "
                         "newer event-bridge; upgrade event-bridge") from exc


def current(engine: Engine) -> str | None:
    """The revision the database is at (``None``: never migrated)."""
    with translated(engine), engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def check_current(engine: Engine) -> None:
    """Refuse a database whose schema is not at ``head`` (with the command that fixes it)."""
    found, wanted = current(engine), head()
    if found != wanted:
        raise StoreError(f"the database schema is at revision {found or 'none'}, this "
                         f"event-bridge needs {wanted}: run `event-bridge db upgrade`")
