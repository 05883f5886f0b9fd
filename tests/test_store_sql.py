"""What only the SQL store has: engine settings, URL handling, error messages that say what
to do, and writes skipped when nothing changed.  Real SQLite files and a real PostgreSQL."""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from event_bridge.errors import StoreError
from event_bridge.model import EventData, Snapshot, SourceEvent, SourceKey
from event_bridge.store import tables
from event_bridge.store.engine import make_engine, normalise_url
from event_bridge.store.sql import SqlRepository, open_repository
from store_support import pg_schema

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture
def repo(sqlite_url: str) -> Iterator[SqlRepository]:
    opened = open_repository(sqlite_url)
    yield opened
    opened.close()


def ev(uid: str, summary: str = "Talk") -> SourceEvent:
    return SourceEvent(SourceKey("fse", uid, ""), "paris",
                       EventData(summary=summary, start=T0, end=T0 + timedelta(hours=1),
                                 tzid="Europe/Paris"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# URLs and engines -------------------------------------------------------------------------
@pytest.mark.parametrize(("given", "expected"), [
    ("postgresql://u@h:5/db", "postgresql+psycopg://u@h:5/db"),
    ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ("sqlite:///x.db", "sqlite:///x.db"),
])
def test_postgresql_urls_use_psycopg_3(given: str, expected: str) -> None:
    assert normalise_url(given) == expected


def test_plain_postgresql_url_opens_with_psycopg() -> None:
    with pg_schema() as url:
        repo = open_repository(url.replace("postgresql+psycopg://", "postgresql://"))
        try:
            assert repo.engine.dialect.driver == "psycopg"
            assert repo.feed_states() == []
        finally:
            repo.close()


def test_sqlite_engine_runs_wal_with_foreign_keys_and_busy_timeout(repo: SqlRepository) -> None:
    with repo.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 15_000


def test_unsupported_database_is_refused() -> None:
    with pytest.raises(StoreError, match=r"unsupported database 'mysql'.*sqlite:///"):
        make_engine("mysql://u@h/db")
    with pytest.raises(StoreError, match=r"cannot read database URL"):
        make_engine("not a url")


# errors that say what to do ---------------------------------------------------------------
def test_postgresql_that_is_not_running_is_explained() -> None:
    port = _free_port()
    with pytest.raises(StoreError, match=f"cannot connect to PostgreSQL at 127.0.0.1:{port}: "
                                         r"is it running"):
        open_repository(f"postgresql://postgres@127.0.0.1:{port}/test")


def test_sqlite_in_a_missing_directory_is_explained(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"cannot open SQLite database .*directory exists"):
        open_repository(f"sqlite:///{tmp_path / 'missing' / 'store.db'}")


def test_database_never_migrated_asks_for_db_upgrade(sqlite_url: str) -> None:
    with pytest.raises(StoreError, match=r"at revision none.*run `event-bridge db upgrade`"):
        open_repository(sqlite_url, upgrade=False)
    repo = SqlRepository(make_engine(sqlite_url))
    try:
        with pytest.raises(StoreError, match=r"no event-bridge tables.*db upgrade"):
            repo.feed_states()
    finally:
        repo.close()


def test_migrated_database_opens_without_upgrade(sqlite_url: str) -> None:
    open_repository(sqlite_url).close()
    repo = open_repository(sqlite_url, upgrade=False)
    assert repo.runs() == []
    repo.close()


def test_locked_database_names_the_likely_cause(sqlite_url: str, tmp_path: Path) -> None:
    open_repository(sqlite_url).close()
    holder = sqlite3.connect(tmp_path / "store.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process in the middle of a sync
    repo = SqlRepository(make_engine(sqlite_url, busy_timeout_ms=50))
    try:
        with pytest.raises(StoreError, match=r"database is locked.*another event-bridge process"):
            repo.replace_source_events("fse", [ev("a")], T0)
        assert repo.source_events() == []  # WAL: readers are not blocked by the writer
    finally:
        holder.rollback()
        holder.close()
        repo.close()


# unchanged data is not rewritten ----------------------------------------------------------
def _changed_at(repo: SqlRepository) -> dict[str, tuple[datetime, datetime]]:
    c = tables.source_event.c
    with repo.engine.connect() as conn:
        rows = conn.execute(select(c.uid, c.first_seen, c.last_changed)).all()
    return {r[0]: (r[1], r[2]) for r in rows}


def test_resync_writes_only_what_changed(repo: SqlRepository) -> None:
    later = T0 + timedelta(hours=1)
    repo.replace_source_events("fse", [ev("a"), ev("b")], T0)
    repo.replace_source_events("fse", [ev("a"), ev("b", "Talk (moved)")], later)
    assert _changed_at(repo) == {"a": (T0, T0), "b": (T0, later)}


def test_identical_snapshot_and_blocks_are_not_rewritten(repo: SqlRepository) -> None:
    snap = Snapshot("calendar", b"body", '"e"', T0)
    repo.save_snapshot(snap, [], "H", "F")
    with repo.engine.begin() as conn:  # mark the stored rows behind the repository's back
        conn.execute(tables.snapshot.update().values(etag='"marked"', digest="x"))
        conn.execute(tables.feed_header.update().values(header="marked"))
    repo.save_snapshot(snap, [], "H", "F")
    assert repo.snapshot("calendar") == snap  # digest differs: rewritten
    assert repo.blocks() == ([], "marked", "F")  # blocks digest equal: left alone
