"""The ``event-bridge`` command: the composition root.

Builds settings, repository, fetcher and clock, runs a command, and maps errors to exit
codes: 0 success (warnings listed), 1 one or more feeds failed, 2 usage or configuration
error.  ``explain`` is the one place where exceptions become user messages.
"""

from __future__ import annotations

import errno
import json
import re
import socket
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from event_bridge.clock import SystemClock
from event_bridge.config import reader as config_mod
from event_bridge.config.settings import Settings
from event_bridge.errors import ConfigError, EventBridgeError, StoreError
from event_bridge.store.repository import Repository

EXIT_OK, EXIT_FEED_FAILED, EXIT_USAGE = 0, 1, 2

err = Console(stderr=True)
out = Console()

_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069]")
"""Control characters (ANSI/OSC escapes start with ESC), line and paragraph separators and
bidirectional overrides: a feed's text must not move the cursor, recolour, hyperlink or
reorder the terminal."""


def shown(text: object, style: str = "") -> Text:
    """Text from outside (a feed, a server, an error message) as a terminal shows it: never
    read as Rich markup, every unshowable character replaced by U+FFFD."""
    return Text(_UNSHOWABLE.sub("\ufffd", str(text)), style=style)


HostOption = Annotated[str | None, typer.Option(
    "--host", help="Listen address (default: the config's server.host).")]
PortOption = Annotated[int | None, typer.Option(
    "--port", min=0, max=65535, help="Listen port (default: the config's server.port).")]
"""The listen options shared by ``serve`` and ``run``."""

JsonOption = Annotated[bool, typer.Option(
    "--json", help="Print JSON instead of a table (for scripts).")]
"""Every listing command takes ``--json``."""

WIDEST_TABLE = 10_000
"""Piped tables are printed at their natural width, up to this many columns."""


class State:
    config: Path | None = None


def explain(exc: BaseException) -> str:
    """One clear line (plus a hint) for any error a user can meet."""
    if isinstance(exc, ConfigError):
        lines = [f"configuration error in {exc.path}:" if exc.path else "configuration error:"]
        lines += [f"  - {p}" for p in exc.problems]
        lines.append(f"  ({exc.hint})")
        return "\n".join(lines)
    if isinstance(exc, EventBridgeError):
        return f"error: {exc}" + (f" ({exc.hint})" if exc.hint else "")
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    return f"unexpected error: {type(exc).__name__}: {exc} (please report this as a bug)"


def fail(exc: BaseException, code: int) -> NoReturn:
    """Inside a command: print the message and end the command with ``code``."""
    err.print(shown(explain(exc)), highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def exit_with(exc: BaseException, code: int) -> NoReturn:
    """Outside the Typer app (errors a command let through): print and exit."""
    err.print(shown(explain(exc)), highlight=False, soft_wrap=True)
    sys.exit(code)


def settings() -> Settings:
    try:
        return config_mod.load(config_mod.config_path(State.config))
    except ConfigError as exc:
        fail(exc, EXIT_USAGE)


def repository(s: Settings) -> Repository:
    from event_bridge.store.sql import open_repository

    try:
        return open_repository(s.database_url)
    except StoreError as exc:
        fail(exc, EXIT_FEED_FAILED)


def clock() -> SystemClock:
    return SystemClock()


def show(table: Table) -> None:
    """Print a table.  Piped, it gets its natural width, so no UID, URL or error is cut
    (scripts and ``grep`` read whole values); on a terminal, long cells fold onto more lines
    instead of ending in an ellipsis."""
    if out.is_terminal:
        for column in table.columns:
            column.overflow = "fold"
        out.print(table)
        return
    natural = Measurement.get(out, out.options.update_width(WIDEST_TABLE), table).maximum
    wide = Console(file=out.file, width=max(natural, out.width), no_color=out.no_color,
                   color_system=None, highlight=False)
    wide.print(table)


def print_json(rows: Any) -> None:
    """JSON on stdout: UTF-8 as is, two-space indent, one trailing newline."""
    sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()


def check_port(host: str, port: int) -> None:
    """Fail with a usage error (exit 2) when ``host:port`` cannot be listened on, before the
    server starts (uvicorn would log a traceback-like error and exit 3)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            what = ("is already in use" if exc.errno == errno.EADDRINUSE
                    else f"cannot be listened on ({exc.strerror})")
            fail(EventBridgeError(f"port {port} on {host} {what}",
                                  hint="stop the other server, or pass another --port"),
                 EXIT_USAGE)
