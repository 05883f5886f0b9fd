"""``event-bridge cluster``: the members of a PostgreSQL cluster, the job queue's workers and
their heartbeats, queued and running jobs (registered by ``cli.app``)."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

import typer
from rich.table import Table

from event_bridge.cli.context import out, settings
from event_bridge.store.lock import is_postgres

MEMBER_PREFIX = "event-bridge "
"""The ``application_name`` a member's connections carry (then ``host:pid``)."""


def cluster_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
    = False,
) -> None:
    """Show the cluster (PostgreSQL): members, worker heartbeats, queued and running jobs."""
    s = settings()
    if not is_postgres(s.database_url):
        out.print("this bridge stores in SQLite: `event-bridge run` is one daemon, not a "
                  "cluster (point [database] url at PostgreSQL to run several)", markup=False)
        return
    from event_bridge.sync.cluster import cluster_status  # procrastinate: PostgreSQL only

    status = cluster_status(s.database_url)
    if as_json:
        out.print_json(json.dumps(asdict(status), default=_plain))
        return
    _print_tables(status.members, status.workers, status.jobs, status.running)


def _plain(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _print_tables(members: list[dict[str, Any]], workers: list[dict[str, Any]],
                  jobs: list[dict[str, Any]], running: list[dict[str, Any]]) -> None:
    table = Table("process", "role", "connected since", title=f"{len(members)} lock holders")
    for m in members:
        role = "cluster member" if m["mode"] == "ShareLock" else "sync --once"
        name = str(m["application_name"] or m["pid"]).removeprefix(MEMBER_PREFIX)
        table.add_row(name, role, _when(m["backend_start"]))
    out.print(table)
    table = Table("worker", "last heartbeat", "age", title=f"{len(workers)} workers")
    for w in workers:
        table.add_row(str(w["id"]), _when(w["last_heartbeat"]), f"{w['age']:.1f}s")
    out.print(table)
    table = Table("task", "status", "jobs", title="jobs not yet succeeded")
    for j in jobs:
        table.add_row(j["task"], j["status"], str(j["jobs"]))
    out.print(table)
    table = Table("job", "task", "feed", "worker", "attempts", title=f"{len(running)} running")
    for r in running:
        table.add_row(str(r["id"]), r["task"], r["feed"] or "", str(r["worker"] or "-"),
                      str(r["attempts"]))
    out.print(table)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%SZ") if value else "-"
