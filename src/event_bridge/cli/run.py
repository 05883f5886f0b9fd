"""``event-bridge run``: the daemon (scheduler + HTTP server in one process); on PostgreSQL a
member of the cluster (:mod:`event_bridge.sync.scheduler` picks the engine)."""

from __future__ import annotations

import logging
import os
import sys
from typing import Annotated

import typer

from event_bridge.cli.context import (
    HostOption,
    PortOption,
    check_port,
    clock,
    repository,
    settings,
)
from event_bridge.fetch.http import HttpFetcher
from event_bridge.sync import logs
from event_bridge.sync.daemon import effective_settings
from event_bridge.sync.scheduler import scheduler_for


def run(
    host: HostOption = None,
    port: PortOption = None,
    interval: Annotated[int | None, typer.Option(
        "--interval", min=1, help="Sync every feed every SECONDS, ignoring source hints and "
                                  "[schedule] bounds.")] = None,
) -> None:
    """Run the daemon: sync feeds on schedule and serve them; SIGTERM stops it cleanly.
    On PostgreSQL every `run` process joins one cluster (work split by feed)."""
    s = effective_settings(settings(), interval)
    host, port = host or s.server.host, port if port is not None else s.server.port
    check_port(host, port)
    logs.setup(s.log_format)
    repo = repository(s)
    from event_bridge.web.app import create_app  # imported late: the server pulls in the web stack

    the_clock = clock()
    with HttpFetcher(s.fetch, s.base_dir, the_clock) as fetcher:
        scheduler = scheduler_for(s, repo, fetcher, the_clock, interval=interval)
        clean = scheduler.serve(create_app(repo, s, the_clock), host, port)
        if not clean:
            _exit_now()


def _exit_now() -> None:
    """Exit 0 although a sync thread is still inside a fetch: a normal interpreter exit
    would join that (non-daemon) thread and outlive the stop deadline."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
