"""``event-bridge links`` and ``event-bridge events [--explain UID]``: what was published and
why (registered by ``cli.app``).

Both read the published events from the repository.  Links are not stored with their score,
so ``links`` recomputes them from the published events with ``link.find_links`` (the same
pure function the sync used, on the same events).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from event_bridge.cli.context import EXIT_USAGE, err, out, repository, settings, shown
from event_bridge.config.settings import Settings
from event_bridge.matching import link
from event_bridge.model import Event, moment_key


def _published() -> tuple[Settings, list[Event]]:
    """The settings and the live published events (tombstones left out)."""
    s = settings()
    records = repository(s).published()
    events = [r.event for r in records.values() if r.gone_since is None]
    return s, sorted(events, key=lambda e: e.key)


def links_command() -> None:
    """List the cross-city links with their score and reason."""
    s, events = _published()
    by_uid = {e.uid: e for e in events if not e.recurrence_id}
    found = link.find_links(events, s.rules, s.cities)
    table = Table("event", "city", "counterpart", "city", "score", "reason",
                  title=f"{len(found)} cross-city links")
    for x in found:
        a, b = by_uid[x.a_uid], by_uid[x.b_uid]
        table.add_row(shown(a.data.summary), a.city, shown(b.data.summary), b.city,
                      f"{x.score:.2f}", shown(x.reason))
    out.print(table)


def events_command(
    explain: Annotated[str | None, typer.Option(
        "--explain", help="Show the sources of this published UID and why they were merged.")
    ] = None,
) -> None:
    """List the published events, or explain one of them."""
    _, events = _published()
    if explain is None:
        _table(events)
        return
    chosen = [e for e in events if e.uid == explain]
    if not chosen:
        err.print(shown(f"no published event with UID {explain!r}; `event-bridge events` "
                        "lists them"), highlight=False)
        raise typer.Exit(EXIT_USAGE)
    for event in chosen:
        _explain(event)


def _table(events: list[Event]) -> None:
    table = Table("uid", "instance", "city", "start", "title", "sources", "status",
                  title=f"{len(events)} published events")
    for e in events:
        table.add_row(shown(e.uid), e.recurrence_id, e.city, moment_key(e.data.start),
                      shown(e.data.summary), str(len(e.sources)), shown(e.data.status))
    out.print(table)


def _explain(event: Event) -> None:
    which = f" (instance {event.recurrence_id})" if event.recurrence_id else ""
    out.print(shown(event.data.summary, "bold") + which, highlight=False)
    out.print(shown(f"uid {event.uid} · city {event.city} · start "
                    f"{moment_key(event.data.start)} · merge score {event.score:.2f}"),
              highlight=False)
    out.print("sources:")
    for key in event.sources:
        rid = f" @{key.recurrence_id}" if key.recurrence_id else ""
        out.print(shown(f"  - {key.feed_id}:{key.uid}{rid}"), highlight=False)
    out.print("reasons:")
    for reason in event.reasons:
        out.print(shown(f"  - {reason}"), highlight=False)
