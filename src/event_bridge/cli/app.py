"""The composition root: the Typer app, its global ``--config`` option, and every command
registered from the modules that define them (none of which imports this one)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from event_bridge.cli import cluster, commands, listing, review, run, serve
from event_bridge.cli.context import EXIT_FEED_FAILED, EXIT_USAGE, State, exit_with
from event_bridge.errors import ConfigError, EventBridgeError

app = typer.Typer(help="Bridge the Paris and San Francisco event calendars into one feed.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@app.callback()
def _root(config: Annotated[Path | None, typer.Option(
        "--config", help="Config file (else $EVENT_BRIDGE_CONFIG, else ./event-bridge.toml).",
        dir_okay=False)] = None) -> None:
    State.config = config


app.command("check-config")(commands.check_config)
app.command("sync")(commands.sync)
app.command("export")(commands.export)
app.command("feeds")(commands.feeds)
app.command("events")(listing.events_command)
app.command("links")(listing.links_command)
app.command("ambiguous")(review.ambiguous_command)
app.command("serve")(serve.serve)
app.command("run")(run.run)
app.command("cluster")(cluster.cluster_command)
db_app.command("upgrade")(commands.db_upgrade)


def main() -> None:

    try:
        app()
    except EventBridgeError as exc:
        exit_with(exc, EXIT_USAGE if isinstance(exc, ConfigError) else EXIT_FEED_FAILED)
    except typer.Exit:
        raise
    except SystemExit:
        raise
    except BaseException as exc:  # the translator is the last line: never a traceback
        if "--debug" in sys.argv:
            raise
        exit_with(exc, EXIT_FEED_FAILED)
