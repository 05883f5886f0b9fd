"""The CLI's commands (registered by ``cli.app``).  Each composes the edges and the core and
prints tables with rich; errors go through ``cli.explain``."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from event_bridge.cli.context import (
    EXIT_FEED_FAILED,
    EXIT_USAGE,
    clock,
    err,
    out,
    repository,
    settings,
    shown,
)
from event_bridge.config.settings import Settings
from event_bridge.errors import ConfigError, EventBridgeError
from event_bridge.fetch.http import Fetcher, HttpFetcher
from event_bridge.fetch.messages import display_url
from event_bridge.model import FeedOutcome, SyncReport
from event_bridge.store.repository import Repository
from event_bridge.sync import pipeline


def check_config() -> None:
    """Validate the configuration and list its cities and feeds."""
    s = settings()
    table = Table("feed", "city", "role", "rank", "url", title=f"{s.path}")
    for feed in s.feeds:
        table.add_row(feed.id, feed.city, feed.role, str(feed.rank), shown(display_url(feed.url)))
    out.print(table)
    out.print(shown(f"configuration OK: {len(s.cities)} cities, {len(s.feeds)} feeds, "
                    f"database {re.sub('//[^/@]*@', '//', s.database_url)}"))


def sync(
    once: Annotated[bool, typer.Option("--once", help="One full pass, then exit.")] = False,
    feed: Annotated[list[str] | None,
                    typer.Option("--feed", help="Limit to this feed id.")] = None,
    force: Annotated[bool,
                     typer.Option("--force", help="Ignore validators and held changes.")] = False,
) -> None:
    """Fetch every feed once, store, deduplicate, link and publish."""
    if not once:
        err.print("use `event-bridge sync --once` for one pass, or `event-bridge run` for the "
                  "daemon")
        raise typer.Exit(EXIT_USAGE)
    s = settings()
    for feed_id in feed or ():
        s.feed(feed_id)  # unknown id → ConfigError → exit 2
    repo = repository(s)
    with HttpFetcher(s.fetch, s.base_dir, clock()) as fetcher:
        report = _sync_with_progress(s, fetcher, repo, feed, force)
    _print_report(report)
    raise typer.Exit(EXIT_FEED_FAILED if report.failed else 0)


def _sync_with_progress(s: Settings, fetcher: Fetcher, repo: Repository,
                        feed_ids: list[str] | None, force: bool) -> SyncReport:
    """Run the sync with one progress bar per feed (on a terminal only)."""
    columns = (TextColumn("{task.description:<24}"), BarColumn(),
               TextColumn("{task.fields[status]}"), TimeElapsedColumn())
    ids = feed_ids or list(s.feed_ids)
    with Progress(*columns, console=err, transient=False, disable=not err.is_terminal) as bar:
        tasks = {fid: bar.add_task(fid, total=1, status="…") for fid in ids}

        def done(outcome: FeedOutcome) -> None:
            bar.update(tasks[outcome.feed_id], completed=1, status=outcome.status)

        return pipeline.run_once(s, fetcher, repo, clock(), feed_ids=feed_ids, force=force,
                                 progress=done)


def _print_report(report: SyncReport) -> None:
    table = Table("feed", "status", "events", "new", "changed", "removed", "time",
                  title="sync summary")
    for o in report.feeds:
        style = {"failed": "red", "held": "yellow"}.get(o.status, "")
        table.add_row(shown(o.feed_id), o.status, str(o.events), str(o.new), str(o.changed),
                      str(o.removed), f"{o.seconds:.2f}s", style=style)
    out.print(table)
    for o in report.feeds:
        if o.error:
            out.print(shown(f"{o.feed_id}: {o.error}", "red"), highlight=False)
        if o.note:
            out.print(shown(f"{o.feed_id}: {o.note}", "yellow"), highlight=False)
        for skip in o.skipped:
            what = skip.reason if skip.is_note else f"skipped: {skip.reason}"
            out.print(shown(f"{o.feed_id}: {skip.uid or '-'}: {what}"), highlight=False)
    for note in report.notes:
        out.print(shown(note), highlight=False)
    links = "1 link" if report.links == 1 else f"{report.links} links"
    out.print(f"published {report.published_events} events, {links} "
              f"(ETag {report.etag}) in {(report.finished - report.started).total_seconds():.1f}s")


def export(
    output: Annotated[str, typer.Option("--output", "-o", help="File to write, '-' for stdout.")],
    city: Annotated[str | None, typer.Option("--city", help="Only this city's feed.")] = None,
) -> None:
    """Write the merged feed (as last published by a sync) to a file or stdout."""
    s = settings()
    if city is not None and city not in s.cities:
        raise ConfigError(f"unknown city {city!r}; known: {', '.join(s.cities)}")
    repo = repository(s)
    snap = repo.snapshot(f"city:{city}" if city else "calendar")
    if snap is None:
        raise EventBridgeError("nothing published yet", hint="run `event-bridge sync --once` first")
    if output == "-":
        sys.stdout.buffer.write(snap.body)
        sys.stdout.flush()
    else:
        Path(output).write_bytes(snap.body)
        err.print(f"wrote {len(snap.body)} bytes to {output}")


def feeds() -> None:
    """Per-feed health: last success, last error, events, held changes."""
    s = settings()
    repo = repository(s)
    table = Table("feed", "city", "events", "last success", "failures", "last error / note")
    for feed in s.feeds:
        st = repo.feed_state(feed.id)
        last = st.last_success.strftime("%Y-%m-%d %H:%M:%SZ") if st.last_success else "never"
        note = st.last_error or st.held_note
        style = "red" if st.last_error else ("yellow" if st.held_note else "")
        table.add_row(feed.id, feed.city, str(st.event_count), last,
                      str(st.consecutive_failures), shown(note), style=style)
    out.print(table)


def db_upgrade() -> None:
    """Create or migrate the database schema to the current version."""
    from event_bridge.store.schema import upgrade

    s = settings()
    upgrade(s.database_url)
    out.print(f"database {s.database_url} is up to date")


