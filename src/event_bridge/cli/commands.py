"""The CLI's commands (registered by ``cli.app``).  Each composes the edges and the core and
prints tables with rich; errors go through ``cli.explain``."""

from __future__ import annotations

import os
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
    JsonOption,
    clock,
    err,
    out,
    print_json,
    repository,
    settings,
    show,
    shown,
)
from event_bridge.config.checks import URL_SCHEMES
from event_bridge.config.settings import Settings
from event_bridge.errors import ConfigError, EventBridgeError
from event_bridge.fetch.http import Fetcher, HttpFetcher
from event_bridge.fetch.messages import display_url
from event_bridge.model import FeedOutcome, FeedSource, FeedValidators, SyncReport
from event_bridge.store.lock import holding, is_postgres, sync_lock
from event_bridge.store.repository import Repository
from event_bridge.sync import pipeline
from event_bridge.web.health import size_warnings


def check_config(
    online: Annotated[bool, typer.Option(
        "--online", help="Also fetch each feed once (a GET, as a sync would) and report it.")
    ] = False,
) -> None:
    """Validate the configuration, check that feed files exist and are readable, and list
    its cities and feeds (``--online``: also fetch every feed)."""
    s = settings()
    problems = [p for feed in s.feeds if (p := _file_problem(feed))]
    if problems:
        raise ConfigError(problems, path=str(s.path))
    table = Table("feed", "city", "role", "rank", "url", title=f"{s.path}")
    for feed in s.feeds:
        table.add_row(feed.id, feed.city, feed.role, str(feed.rank), shown(display_url(feed.url)))
    show(table)
    out.print(shown(f"configuration OK: {len(s.cities)} cities, {len(s.feeds)} feeds, "
                    f"database {re.sub('//[^/@]*@', '//', s.database_url)}"))
    if online and not _fetch_each(s):
        raise typer.Exit(EXIT_FEED_FAILED)


def _file_problem(feed: FeedSource) -> str:
    """Why a file feed cannot be read ("" for a readable file or a URL)."""
    if feed.url.startswith(URL_SCHEMES):
        return ""
    path = Path(feed.url)
    if not path.exists():
        return f"[[feeds]] {feed.id!r} url: no such file {feed.url}"
    if not path.is_file():
        return f"[[feeds]] {feed.id!r} url: {feed.url} is not a file"
    if not os.access(path, os.R_OK):
        return f"[[feeds]] {feed.id!r} url: {feed.url} is not readable by this user"
    return ""


def _fetch_each(s: Settings) -> bool:
    """Fetch every feed once with the sync's own fetcher (limits, redirects, credentials);
    print one line per feed; say whether all answered."""
    ok = True
    with HttpFetcher(s.fetch, s.base_dir, clock()) as fetcher:
        for feed in s.feeds:
            try:
                result = fetcher.fetch(feed, FeedValidators())
            except EventBridgeError as exc:
                ok = False
                err.print(shown(f"{feed.id}: {exc}"))
                continue
            size = len(result.body or b"")
            out.print(f"{feed.id}: ok, {size} bytes", markup=False, highlight=False)
    return ok


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
    # refused at once beside a running daemon, cluster member or other sync; the OS or
    # PostgreSQL frees the lock if this process dies, so a crash never blocks the next sync
    with holding(sync_lock(s.database_url)), HttpFetcher(s.fetch, s.base_dir, clock()) as fetcher:
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
    show(table)
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


def feeds(as_json: JsonOption = False) -> None:
    """Per-feed health: last success, last error, events, held changes; and a warning for
    each published feed too large for Google Calendar."""
    s = settings()
    repo = repository(s)
    names = ["calendar", *(f"city:{c}" for c in s.cities)]
    sizes = {n: len(snap.body) for n in names if (snap := repo.snapshot(n)) is not None}
    warnings = size_warnings(sizes, list(s.cities))
    states = [(feed, repo.feed_state(feed.id)) for feed in s.feeds]
    if as_json:
        print_json({"feeds": [
            {"id": feed.id, "city": feed.city, "events": st.event_count,
             "last_success": st.last_success.isoformat() if st.last_success else None,
             "consecutive_failures": st.consecutive_failures, "last_error": st.last_error,
             "note": st.held_note} for feed, st in states], "warnings": warnings})
        return
    table = Table("feed", "city", "events", "last success", "failures", "last error / note")
    for feed, st in states:
        last = st.last_success.strftime("%Y-%m-%d %H:%M:%SZ") if st.last_success else "never"
        note = st.last_error or st.held_note
        style = "red" if st.last_error else ("yellow" if st.held_note else "")
        table.add_row(feed.id, feed.city, str(st.event_count), last,
                      str(st.consecutive_failures), shown(note), style=style)
    show(table)
    for warning in warnings:
        out.print(shown(f"warning: {warning['message']}"), style="yellow", soft_wrap=True)


def db_upgrade() -> None:
    """Create or migrate the database schema to the current version (on PostgreSQL also
    the cluster's job queue schema)."""
    from event_bridge.store.schema import upgrade

    s = settings()
    upgrade(s.database_url)
    if is_postgres(s.database_url):
        from event_bridge.sync.cluster import apply_schema  # procrastinate: PostgreSQL only

        created = apply_schema(s.database_url)
        out.print("job queue schema (procrastinate) " + ("created" if created else "present"))
    out.print(f"database {s.database_url} is up to date")


