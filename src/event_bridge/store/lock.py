"""The sync lock: which process may write feeds into a database, released by the operating
system or the database the moment its holder dies (SIGKILL, OOM, power loss), so a crash
never blocks the next sync.

- SQLite: an advisory ``flock`` on a lock file beside the database (``bridge.db.lock``);
  the kernel drops it when the holder's file descriptor closes, which process death does.
- PostgreSQL: a session advisory lock on a dedicated connection; the server drops it when
  the session ends, which the holder's death does (its socket closes; TCP keepalives set on
  the session catch a vanished host).  A cluster member (``run``) holds it *shared*, so any
  number of members coexist; ``sync --once`` wants it *exclusive*, so it is refused while a
  member lives and a member waits while a ``sync --once`` runs.  The key is derived from the
  schema the store lives in, so two bridges in two schemas of one database do not collide.
- A database only this process sees (``sqlite://`` in memory, the memory repository): a
  plain thread lock.

The locks are tried, never waited on: a caller that cannot have one says so (see
``refused``) or tries again later.
"""

from __future__ import annotations

import fcntl
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.engine import make_url

from event_bridge.errors import StoreError
from event_bridge.store.engine import normalise_url

PG_KEEPALIVE = {"tcp_keepalives_idle": 10, "tcp_keepalives_interval": 5,
                "tcp_keepalives_count": 3}
"""Server-side TCP keepalives on the lock's session: a member whose host vanishes without
closing its socket loses the lock after about 25 s instead of the kernel default (hours)."""

PG_KEY_QUERY = "SELECT hashtext('event-bridge sync lock:' || current_schema())::bigint"
"""The advisory lock's key: one per schema (``event-bridge cluster`` finds the holders by it)."""


class SyncLock(Protocol):
    """Tried, never waited on; released explicitly or by the holder's death."""

    def try_acquire(self) -> bool: ...

    def release(self) -> None: ...


class LocalLock:
    """For a database no other process can open.  Like the others, held by the object (any
    of its owner's threads may try it again), not by a thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held = False

    def try_acquire(self) -> bool:
        if not self._held:
            self._held = self._lock.acquire(blocking=False)
        return self._held

    def release(self) -> None:
        if self._held:
            self._held = False
            self._lock.release()


class FileLock:
    """``flock(LOCK_EX | LOCK_NB)`` on ``path`` (created if missing, never deleted: deleting
    a lock file lets two processes lock two different files)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        if self._fd is not None:
            return True
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"cannot open the sync lock file {str(self.path)!r} ({exc})",
                             hint="check that the database's directory is writable") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing the descriptor drops the flock


class AdvisoryLock:
    """A PostgreSQL session advisory lock, exclusive or shared, on its own connection."""

    def __init__(self, conninfo: str, *, shared: bool = False) -> None:
        self.conninfo, self.shared = conninfo, shared
        self._conn: Any = None

    def try_acquire(self) -> bool:
        if self._conn is not None:
            return True
        import psycopg

        try:
            conn = psycopg.connect(self.conninfo, autocommit=True, connect_timeout=10,
                                   application_name=f"event-bridge {holder_name()}")
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to PostgreSQL for the sync lock ({exc})",
                             hint="is it running, and is [database] url right?") from exc
        try:
            for name, value in PG_KEEPALIVE.items():
                conn.execute(f"SET {name} = {int(value)}")
            key = _one(conn, PG_KEY_QUERY)
            call = "pg_try_advisory_lock_shared" if self.shared else "pg_try_advisory_lock"
            got = bool(_one(conn, f"SELECT {call}({int(key)})"))
        except BaseException:
            conn.close()
            raise
        if not got:
            conn.close()
            return False
        self._conn = conn
        return True

    def release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()  # the session ends: the server drops its advisory locks


def holder_name() -> str:
    """``host:pid``: how ``event-bridge cluster`` names the lock's holders."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _one(conn: Any, query: str) -> Any:
    row = conn.execute(query).fetchone()
    assert row is not None
    return row[0]


def pg_conninfo(url: str) -> str:
    """A libpq URI for a SQLAlchemy PostgreSQL URL (``options=`` and the like kept)."""
    parsed = make_url(normalise_url(url)).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


def is_postgres(url: str) -> bool:
    return normalise_url(url).startswith("postgresql+psycopg://")


def sync_lock(url: str, *, member: bool = False) -> SyncLock:
    """The lock guarding the database at ``url``.  ``member``: a cluster member's shared
    hold (PostgreSQL only; elsewhere the lock is exclusive whatever the caller)."""
    if is_postgres(url):
        return AdvisoryLock(pg_conninfo(url), shared=member)
    parsed = make_url(url)
    path = parsed.database or ""
    if parsed.get_backend_name() == "sqlite" and path and path != ":memory:":
        return FileLock(Path(f"{path}.lock"))
    return LocalLock()


def refused() -> StoreError:
    """What a caller says when the lock is held elsewhere."""
    return StoreError("another sync is running on this database (lock held by a "
                      "`sync --once`, an `event-bridge run` daemon or a cluster member)",
                      hint="wait for it to finish, or stop the other event-bridge process")


@contextmanager
def holding(lock: SyncLock) -> Iterator[None]:
    """Hold ``lock`` for the block, or raise ``refused()`` at once."""
    if not lock.try_acquire():
        raise refused()
    try:
        yield
    finally:
        lock.release()
