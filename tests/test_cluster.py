"""Issue 12, acceptance 1: three ``event-bridge run`` processes on one PostgreSQL with 30
loopback feeds form one cluster.  Each feed is fetched about once per interval in total and
never twice at once; when the member caught in the middle of a fetch is SIGKILLed, the others
fetch every feed again within 60 s; all live servers serve the same ETag; SIGTERM stops them
with exit 0; the export equals a one-process ``sync --once`` of the same feeds (stamps and
refresh hints aside).

The interval is 5 s instead of the issue's 10 s to keep the test near a minute; the
properties are the same (the tick is a fifth of the interval, as in the daemon).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import urllib.request
from collections.abc import Iterator

import pytest

from cluster_support import (
    CountingServer,
    Member,
    cli,
    export,
    feed_body,
    socket_owner,
    wait_for,
    without_stamps,
    write_config,
)
from event_bridge.sync.cluster import (
    FETCH,
    PLAN,
    apply_schema,
    build_app,
    defer_fetch,
    feeds_in_queue,
    sweep_stalled,
)
from store_support import pg_schema

N_FEEDS, INTERVAL, JITTER = 30, 5.0, 0.1
WINDOW = 20.0
RECOVERY = 60.0
STOP_DEADLINE = 10.0


def feed_ids() -> list[str]:
    return [f"{'paris' if i < N_FEEDS // 2 else 'sf'}-{i:02d}" for i in range(N_FEEDS)]


@pytest.fixture
def server() -> Iterator[CountingServer]:
    bodies = {f"{fid}.ics": feed_body(i, "Europe/Paris" if fid.startswith("paris")
                                      else "America/Los_Angeles")
              for i, fid in enumerate(feed_ids())}
    srv = CountingServer(bodies, delay=0.2).start()  # a fetch lasts: overlaps would show
    yield srv
    srv.stop()


def etag(member: Member) -> str:
    request = urllib.request.Request(f"{member.base}/calendar.ics", method="HEAD")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return str(response.headers.get("ETag") or "")
    except OSError:
        return ""


def fetched_since(server: CountingServer, since: float) -> set[str]:
    return {h.path for h in list(server.hits) if h.start >= since}


def test_three_members_share_the_feeds_survive_a_sigkill_and_agree(server, tmp_path):
    names = [f"{fid}.ics" for fid in feed_ids()]
    with pg_schema() as url, pg_schema() as clean_url:
        feeds = {fid: server.url(f"{fid}.ics") for fid in feed_ids()}
        (tmp_path / "clean").mkdir()
        config = write_config(tmp_path / "bridge.toml", url, feeds)
        clean = write_config(tmp_path / "clean" / "bridge.toml", clean_url, feeds)
        upgrade = cli(config, "db", "upgrade")
        assert upgrade.returncode == 0 and "job queue schema" in upgrade.stdout, upgrade.stderr

        members = [Member(config, "--interval", str(int(INTERVAL)), name=f"member{i}")
                   for i in range(3)]
        try:
            _exercise(server, members, names)
            live = [m for m in members if m.proc.poll() is None]
            served = {m.port: etag(m) for m in live}
            for member in live:
                code, seconds = member.terminate()
                assert code == 0 and seconds < STOP_DEADLINE, member.log()
        finally:
            for member in members:
                member.close()
        assert len(live) == 2 and len(set(served.values())) == 1, served

        assert cli(clean, "sync", "--once").returncode == 0
        assert without_stamps(export(config)) == without_stamps(export(clean))


def _exercise(server: CountingServer, members: list[Member], names: list[str]) -> None:
    procs = tuple(members)
    wait_for("every feed fetched once", lambda: fetched_since(server, 0) >= set(names), 60,
             procs)

    # about once per interval in total, across the three members
    t0 = time.monotonic()
    time.sleep(WINDOW)
    t1 = time.monotonic()
    counts = {n: len([s for s in server.starts(n) if t0 <= s < t1]) for n in names}
    per_feed = WINDOW / (INTERVAL * (1 + JITTER / 2) + 1.0)  # + tick, queue and fetch time
    total = sum(counts.values())
    assert 0.7 * per_feed * N_FEEDS <= total <= (WINDOW / INTERVAL + 1) * N_FEEDS, counts
    odd = {n: c for n, c in counts.items() if not 1 <= c <= WINDOW / INTERVAL + 1}
    assert not odd, (odd, counts)
    print(f"fetches in {WINDOW:g}s: {total} for {N_FEEDS} feeds (ideal {WINDOW / INTERVAL:g} "
          f"each), per feed {min(counts.values())}..{max(counts.values())}")

    # `event-bridge cluster` sees the three members and their workers
    shown = cli(members[0].log_path.parent / "bridge.toml", "cluster", "--json")
    assert shown.returncode == 0, shown.stderr
    state = json.loads(shown.stdout)
    assert [m["mode"] for m in state["members"]] == ["ShareLock"] * 3
    pids = sorted(int(m["application_name"].rsplit(":", 1)[1]) for m in state["members"])
    assert pids == sorted(m.pid for m in members)
    assert len(state["workers"]) == 3 and all(w["age"] < 10 for w in state["workers"])

    # SIGKILL the member caught inside a fetch
    server.hold = {names[3]}
    wait_for("a member inside the held fetch", server.held.is_set, 30, procs)
    held = next(h for h in reversed(server.hits) if h.path == names[3])
    pid = socket_owner(held.client_port, [m.pid for m in members])
    victim = next(m for m in members if m.pid == pid)
    victim.kill()
    killed = time.monotonic()
    server.release.set()
    survivors = tuple(m for m in members if m is not victim)
    wait_for("every feed fetched again by the others",
             lambda: fetched_since(server, killed) >= set(names), RECOVERY, survivors)
    recovered = time.monotonic() - killed
    assert recovered < RECOVERY
    print(f"every feed fetched again {recovered:.1f}s after the SIGKILL")

    # never two fetches of one feed at the same moment, never two in a row
    for name in names:
        hits = sorted((h for h in server.hits if h.path == name), key=lambda h: h.start)
        for before, after in itertools.pairwise(hits):
            assert after.start >= before.end, f"{name} fetched twice at once"
            assert after.start - before.start >= INTERVAL / 2, f"{name} fetched twice in a row"

    # every live server answers from the latest stored snapshot
    wait_for("the same ETag on every live server",
             lambda: len({etag(m) for m in survivors}) == 1 and etag(survivors[0]), 30,
             survivors)


def test_sigterm_inside_a_fetch_hands_the_job_back_and_exits_0(server, tmp_path):
    server.hold = {"paris-00.ics"}
    with pg_schema() as url:
        config = write_config(tmp_path / "bridge.toml", url,
                              {fid: server.url(f"{fid}.ics") for fid in feed_ids()[:3]})
        member = Member(config, "--interval", "60")
        try:
            wait_for("the member inside the held fetch", server.held.is_set, 60, (member,))
            code, seconds = member.terminate()
        finally:
            member.close()
        assert code == 0 and seconds < STOP_DEADLINE, member.log()
        assert "abandoned" in member.log()
        server.release.set()
        after = cli(config, "sync", "--once")  # the lock went with the process
        assert after.returncode == 0, after.stdout + after.stderr
        state = json.loads(cli(config, "cluster", "--json").stdout)
        assert state["members"] == [] and state["running"] == []
        assert {"task": "bridge:fetch", "status": "aborted", "jobs": 1} in state["jobs"]


def test_cluster_command_explains_sqlite_and_a_missing_queue(tmp_path):
    sqlite = write_config(tmp_path / "bridge.toml", "sqlite:///bridge.db", {"paris-x": "x.ics"})
    shown = cli(sqlite, "cluster")
    assert shown.returncode == 0 and "not a cluster" in shown.stdout
    with pg_schema() as url:
        (tmp_path / "pg").mkdir()
        empty = write_config(tmp_path / "pg" / "bridge.toml", url, {"paris-x": "x.ics"})
        shown = cli(empty, "cluster")
        assert shown.returncode == 1 and "event-bridge db upgrade" in shown.stderr


def test_sweep_requeues_the_jobs_of_a_silent_worker_even_the_plan_itself():
    """A job caught in a dead worker goes back to the queue, or is closed when its successor
    already waits (a plan job would otherwise hold the plan lock for ever)."""
    with pg_schema() as url:
        assert apply_schema(url) and not apply_schema(url)  # created once, then present
        asyncio.run(_sweep(build_app(url)))


async def _sweep(app) -> None:  # type: ignore[no-untyped-def]
    async with app.open_async():
        manager = app.job_manager
        dead = await manager.register_worker()
        plan = await app.tasks[PLAN].configure(queueing_lock="plan", lock="plan") \
            .defer_async(timestamp=1)
        await defer_fetch(app, "paris-00")
        taken = [await manager.fetch_job(queues=None, worker_id=dead) for _ in range(2)]
        assert {j.id for j in taken} >= {plan}
        await app.tasks[PLAN].configure(queueing_lock="plan", lock="plan") \
            .defer_async(timestamp=2)  # the next tick's plan waits behind the lock
        assert await sweep_stalled(app) == []  # the worker is not silent yet
        await app.connector.execute_query_async(
            "UPDATE procrastinate_workers SET last_heartbeat = NOW() - INTERVAL '1 minute'")
        assert sorted(await sweep_stalled(app)) == sorted(j.id for j in taken)
        status = {j.task_name: j.status for j in await manager.list_jobs_async()
                  if j.id in {t.id for t in taken}}
        assert status == {PLAN: "failed", FETCH: "todo"}
        assert "paris-00" in await feeds_in_queue(app)
