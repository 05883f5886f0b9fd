"""Issue 10 item 6 and issue 12 acceptance 2: the sync lock is one the operating system or
PostgreSQL releases when its holder dies.  ``sync --once`` beside a running daemon or
cluster member is refused at once (exit 1, a clear line); after SIGKILL of ``sync --once``
or of the daemon, on SQLite and on PostgreSQL, the next sync starts at once and publishes
what a clean run publishes.  Real processes, a real loopback feed server, real databases."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from cluster_support import (
    SRC,
    CountingServer,
    Member,
    Proc,
    cli,
    export,
    feed_body,
    wait_for,
    without_stamps,
    write_config,
)
from event_bridge.store.lock import AdvisoryLock, FileLock, pg_conninfo, sync_lock
from store_support import pg_schema

FEEDS = {"paris-a": "Europe/Paris", "paris-b": "Europe/Paris", "sf-slow": "America/Los_Angeles"}
STARTS_AT_ONCE = 15.0
"""A `sync --once` of three loopback feeds, process start included (the old lock made the
next sync wait 15 minutes)."""


@contextmanager
def database(kind: str, tmp_path: Path, name: str) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / name}.db"
    else:
        with pg_schema() as url:
            yield url


@pytest.fixture
def server() -> Iterator[CountingServer]:
    srv = CountingServer({f"{fid}.ics": feed_body(i, tz) for i, (fid, tz) in
                          enumerate(FEEDS.items())}).start()
    yield srv
    srv.stop()


def configs(tmp_path: Path, server: CountingServer, url: str, clean_url: str) -> tuple[Path, Path]:
    feeds = {fid: server.url(f"{fid}.ics") for fid in FEEDS}
    (tmp_path / "clean").mkdir()
    return (write_config(tmp_path / "bridge.toml", url, feeds),
            write_config(tmp_path / "clean" / "bridge.toml", clean_url, feeds))


# -- the lock itself ----------------------------------------------------------------------

_HOLD = """
import sys, time
from event_bridge.store.lock import sync_lock
lock = sync_lock(sys.argv[1], member=sys.argv[2] == "member")
print(lock.try_acquire(), flush=True)
time.sleep(600)
"""


def holder(url: str, role: str = "sync") -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", _HOLD, url, role], stdout=subprocess.PIPE,
                            text=True, env={"PYTHONPATH": SRC})
    assert proc.stdout is not None and proc.stdout.readline().strip() == "True"
    return proc


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_the_lock_dies_with_its_holder(kind: str, tmp_path: Path) -> None:
    with database(kind, tmp_path, "lock") as url:
        proc = holder(url)
        mine = sync_lock(url)
        assert not mine.try_acquire()  # held by a live process
        proc.kill()
        proc.wait(10)
        t0 = time.monotonic()
        while not mine.try_acquire():  # PostgreSQL notices the closed socket at once
            assert time.monotonic() - t0 < 5, "the lock outlived its holder"
            time.sleep(0.05)
        mine.release()


def test_file_lock_lives_beside_the_database_and_is_exclusive(tmp_path: Path) -> None:
    first, second = sync_lock(f"sqlite:///{tmp_path}/x.db"), sync_lock(f"sqlite:///{tmp_path}/x.db")
    assert isinstance(first, FileLock) and first.path == tmp_path / "x.db.lock"
    assert first.try_acquire() and first.try_acquire()  # re-entrant for its holder
    assert not second.try_acquire()
    first.release()
    assert second.try_acquire()
    second.release()


def test_cluster_members_share_the_lock_and_exclude_sync_once() -> None:
    with pg_schema() as url, pg_schema() as elsewhere:
        members = [sync_lock(url, member=True) for _ in range(3)]
        assert all(isinstance(m, AdvisoryLock) for m in members)
        assert all(m.try_acquire() for m in members)
        once = sync_lock(url)
        assert not once.try_acquire()
        assert sync_lock(elsewhere).try_acquire()  # another schema, another bridge
        for m in members:
            m.release()
        assert once.try_acquire()
        assert not sync_lock(url, member=True).try_acquire()  # a member waits for sync --once
        once.release()


def test_conninfo_keeps_the_search_path() -> None:
    url = "postgresql+psycopg://u@h:5432/db?options=-csearch_path%3Dx"
    assert pg_conninfo(url) == "postgresql://u@h:5432/db?options=-csearch_path%3Dx"


# -- acceptance 2: SIGKILL, then the next sync -----------------------------------------------

@pytest.mark.parametrize("victim", ["sync", "daemon"])
@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_sigkill_mid_fetch_never_blocks_the_next_sync(kind: str, victim: str, tmp_path: Path,
                                                      server: CountingServer) -> None:
    with ExitStack() as stack:
        url = stack.enter_context(database(kind, tmp_path, "bridge"))
        clean_url = stack.enter_context(database(kind, tmp_path, "clean"))
        config, clean = configs(tmp_path, server, url, clean_url)
        server.hold = {"sf-slow.ics"}
        proc: Proc = (Proc(config, "sync", "--once", name="victim") if victim == "sync"
                      else Member(config, "--interval", "60", name="victim"))
        stack.callback(proc.close)
        wait_for("the victim inside a fetch", server.held.is_set, 60, (proc,))

        t0 = time.monotonic()
        beside = cli(config, "sync", "--once")
        assert beside.returncode == 1, beside.stdout + beside.stderr
        assert "another sync is running" in beside.stderr
        assert "stop the other event-bridge process" in beside.stderr
        assert time.monotonic() - t0 < STARTS_AT_ONCE

        proc.kill()
        server.release.set()
        t0 = time.monotonic()
        after = cli(config, "sync", "--once")
        assert after.returncode == 0, after.stdout + after.stderr
        assert time.monotonic() - t0 < STARTS_AT_ONCE
        assert "published" in after.stdout

        assert cli(clean, "sync", "--once").returncode == 0
        assert without_stamps(export(config)) == without_stamps(export(clean))


@pytest.mark.parametrize("moment", [0.8, 1.6, 2.4])
def test_sigkill_of_sync_once_at_several_moments_on_sqlite(moment: float, tmp_path: Path,
                                                          server: CountingServer) -> None:
    server.delay = 0.3  # each fetch takes a while: the kill lands in a different phase
    config, clean = configs(tmp_path, server, f"sqlite:///{tmp_path}/bridge.db",
                            f"sqlite:///{tmp_path}/clean/bridge.db")
    proc = Proc(config, "sync", "--once", name="victim")
    try:
        time.sleep(moment)
        proc.kill()
    finally:
        proc.close()
    t0 = time.monotonic()
    after = cli(config, "sync", "--once")
    assert after.returncode == 0, after.stdout + after.stderr
    assert time.monotonic() - t0 < STARTS_AT_ONCE
    assert cli(clean, "sync", "--once").returncode == 0
    assert without_stamps(export(config)) == without_stamps(export(clean))
