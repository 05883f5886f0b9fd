"""Database engines and the one place database exceptions become ``StoreError``.

SQLite (the default) runs in WAL mode, so the server reads while a sync writes, with a busy
timeout so a second process waits instead of failing at once; write transactions start with
``BEGIN IMMEDIATE`` so two writers queue up front instead of deadlocking on the upgrade from
reader to writer.  PostgreSQL goes through psycopg 3.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, SQLAlchemyError

from event_bridge.errors import StoreError

SQLITE_BUSY_TIMEOUT_MS = 15_000
"""How long a SQLite writer waits for another one (a sync holds the write lock for at most a
few seconds per feed) before reporting "database is locked"."""

IMMEDIATE = "event_bridge_immediate"
"""Execution option marking a SQLite connection whose transactions are writes."""

_UPGRADE_HINT = "run `event-bridge db upgrade` to create or migrate the schema"


def normalise_url(url: str) -> str:
    """Use psycopg 3 for every PostgreSQL URL (``postgresql://``, ``postgres://``)."""
    for prefix in ("postgresql://", "postgres://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_engine(url: str, *, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> Engine:
    """An engine for a ``sqlite:///path`` or ``postgresql://…`` URL, configured as the module
    docstring says.  Other databases are refused with a ``StoreError``."""
    try:
        parsed = make_url(normalise_url(url))
    except ArgumentError as exc:
        raise StoreError(f"cannot read database URL {url!r}: use sqlite:///PATH or "
                         "postgresql://USER@HOST:PORT/DATABASE") from exc
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, busy_timeout_ms)
    if parsed.get_backend_name() == "postgresql":
        try:
            return create_engine(parsed, pool_pre_ping=True)
        except ModuleNotFoundError as exc:  # psycopg is the optional `postgres` extra
            raise StoreError(f"no PostgreSQL driver ({exc.name} is not installed)",
                             hint="install it with `pip install 'event-bridge[postgres]'`"
                             ) from exc
    raise StoreError(f"unsupported database {parsed.get_backend_name()!r} in {url!r}: "
                     "use sqlite:///PATH or postgresql://USER@HOST:PORT/DATABASE")


def _sqlite_engine(url: Any, busy_timeout_ms: int) -> Engine:
    # check_same_thread=False: the server's worker threads share the pool's connections.
    engine = create_engine(url, connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module (it would BEGIN lazily and
        # never IMMEDIATE); the "begin" hook below issues BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        _enable_wal(cursor, busy_timeout_ms)
        cursor.execute("PRAGMA synchronous = NORMAL")  # durable enough in WAL mode, faster
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _enable_wal(cursor: Any, busy_timeout_ms: int) -> None:
    """Switch the file to WAL (a persistent setting).  The switch needs an exclusive lock
    and SQLite does not wait for it through the busy timeout, so retry until the timeout:
    several processes may open a new database at once."""
    deadline = time.monotonic() + busy_timeout_ms / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")  # in-memory databases stay "memory"
            return
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)


@contextmanager
def translated(engine: Engine) -> Iterator[None]:
    """Turn any database exception raised inside into a ``StoreError`` that says what to do."""
    try:
        yield
    except SQLAlchemyError as exc:
        raise StoreError(explain(exc, engine)) from exc


def explain(exc: SQLAlchemyError, engine: Engine) -> str:
    """One line: what the database said, and what to do about it."""
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    low = text.lower()
    url = engine.url
    if isinstance(exc, IntegrityError):
        return (f"the database refused the data ({text}): this is a bug in event-bridge, "
                "please report it")
    if "locked" in low or "busy" in low:
        return (f"database is locked ({url.database}); another event-bridge process may be "
                "running: wait for it to finish, then retry")
    if "no such table" in low or ("relation" in low and "does not exist" in low):
        return f"the database has no event-bridge tables or an old schema ({text}): {_UPGRADE_HINT}"
    if url.get_backend_name() == "sqlite":
        return _explain_sqlite(text, low, url.database or "")
    if (isinstance(exc, DBAPIError) and exc.connection_invalidated) or _is_connect_error(low):
        return (f"cannot connect to PostgreSQL at {url.host or 'localhost'}:{url.port or 5432}"
                f": is it running, and are the user and database in the URL right? ({text})")
    return f"database error: {text}"


def _is_connect_error(low: str) -> bool:
    return any(m in low for m in ("connection failed", "connection refused", "could not connect",
                                  "connection to server", "timeout expired",
                                  "authentication failed"))


def _explain_sqlite(text: str, low: str, path: str) -> str:
    if "unable to open" in low:
        return (f"cannot open SQLite database {path!r} ({text}): check that its directory "
                "exists and is writable")
    if "readonly" in low:
        return f"SQLite database {path!r} is read-only ({text}): check the file's permissions"
    if "disk" in low and "full" in low:
        return f"no space left for SQLite database {path!r} ({text}): free some disk space"
    if "malformed" in low or "not a database" in low:
        return (f"SQLite database {path!r} is damaged or not a database ({text}): restore it "
                "from a backup or point [database] url at a new file")
    return f"SQLite database {path!r}: {text}"
