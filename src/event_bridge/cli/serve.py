"""``event-bridge serve``: the HTTP server alone (feeds, page, health, metrics), for operators
who run ``sync --once`` from a timer beside it."""

from __future__ import annotations

import os
from typing import Annotated, Any

import typer

from event_bridge.cli.context import (
    HostOption,
    PortOption,
    check_port,
    clock,
    repository,
    settings,
)
from event_bridge.config.reader import ENV_CONFIG
from event_bridge.sync import logs
from event_bridge.web.feedapp import ASGIApp

ACCESS_LOG = False
"""Calendar clients poll all day; one log line per poll would drown the sync lines."""


def serve(
    host: HostOption = None,
    port: PortOption = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Worker processes, each "
                                         "with its own feed cache.")] = 1,
) -> None:
    """Serve the published feeds, the page, /healthz and /metrics (never fetches).

    uvicorn with uvloop + httptools, chosen by measurement (bench/README.md, "## server")."""
    import uvicorn

    from event_bridge.web.app import create_app  # imported late: the server pulls in the web stack

    s = settings()
    logs.setup(s.log_format)
    options: dict[str, Any] = dict(
        host=host or s.server.host, port=port if port is not None else s.server.port,
        loop="uvloop", http="httptools", log_config=None, access_log=ACCESS_LOG,
        server_header=False)
    check_port(options["host"], options["port"])
    if workers == 1:
        uvicorn.run(create_app(repository(s), s, clock()), **options)
        return
    getattr(repository(s), "close", lambda: None)()  # schema upgraded once, before workers
    os.environ[ENV_CONFIG] = str(s.path)
    uvicorn.run("event_bridge.cli.serve:worker_app", factory=True, workers=workers,
                **options)


def worker_app() -> ASGIApp:
    """Factory for ``serve --workers N``: each worker process builds its own app (and its
    own in-memory feed cache) from the config that ``serve`` named in ``$EVENT_BRIDGE_CONFIG``
    before starting the workers."""
    from event_bridge.web.app import create_app

    s = settings()
    return create_app(repository(s), s, clock())
