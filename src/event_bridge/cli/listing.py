"""``event-bridge links`` and ``event-bridge events [--explain UID]``: what was published and
why (registered by ``cli.app``).

Both read the published events from the repository.  Links are not stored with their score,
so ``links`` recomputes them from the published and source events with
``publication.find_links`` (what the sync used, on the same events).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer
from rich.table import Table

from event_bridge.cli.context import (
    EXIT_USAGE,
    JsonOption,
    err,
    out,
    print_json,
    repository,
    settings,
    show,
    shown,
)
from event_bridge.config.settings import Settings
from event_bridge.model import Event, Moment, moment_key
from event_bridge.sync.publication import find_links

SHOWN_CANDIDATES = 5
"""An ambiguous ``--explain`` prefix lists this many of the UIDs it matches."""


def _published() -> tuple[Settings, list[Event]]:
    """The settings and the live published events (tombstones left out), by start."""
    s = settings()
    records = repository(s).published()
    events = [r.event for r in records.values() if r.gone_since is None]
    return s, sorted(events, key=lambda e: (_instant(e.data.start), e.key))


def _instant(value: Moment) -> datetime:
    return value if isinstance(value, datetime) else datetime.combine(value, time(0), UTC)


def local_start(event: Event, s: Settings) -> str:
    """The start as wall-clock time in the event's city (``2026-06-10 19:00 CEST``); a
    date for an all-day event."""
    start = event.data.start
    if not isinstance(start, datetime):
        return start.isoformat()
    city = s.cities.get(event.city)
    here = start.astimezone(ZoneInfo(city.timezone)) if city else start
    return here.strftime("%Y-%m-%d %H:%M %Z")


def _iso(value: date) -> str:
    return value.isoformat().replace("+00:00", "Z")


def links_command(as_json: JsonOption = False) -> None:
    """List the cross-city links with their score and reason."""
    s, events = _published()
    by_uid = {e.uid: e for e in events if not e.recurrence_id}
    found = find_links(events, s, repository(s).source_events())
    if as_json:
        print_json([{"a": _brief(by_uid[x.a_uid]), "b": _brief(by_uid[x.b_uid]),
                     "score": round(x.score, 4), "reason": x.reason} for x in found])
        return
    table = Table("event", "city", "counterpart", "city", "score", "reason",
                  title=f"{len(found)} cross-city links")
    for x in found:
        a, b = by_uid[x.a_uid], by_uid[x.b_uid]
        table.add_row(shown(a.data.summary), a.city, shown(b.data.summary), b.city,
                      f"{x.score:.2f}", shown(x.reason))
    show(table)


def _brief(event: Event) -> dict[str, str]:
    return {"uid": event.uid, "city": event.city, "summary": event.data.summary}


def events_command(
    explain: Annotated[str | None, typer.Option(
        "--explain", help="Show the sources of the published event whose UID starts with "
                          "this prefix, and why they were merged.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List the published events (by start, in each city's local time), or explain one."""
    s, events = _published()
    if explain is None:
        if as_json:
            print_json([_event_json(e, s) for e in events])
        else:
            _table(events, s)
        return
    chosen = _by_prefix(events, explain)
    if as_json:
        print_json([_event_json(e, s) | {"reasons": list(e.reasons)} for e in chosen])
        return
    for event in chosen:
        _explain(event)


def _by_prefix(events: list[Event], prefix: str) -> list[Event]:
    """The events of the one UID that starts with ``prefix`` (an exact UID always wins)."""
    exact = [e for e in events if e.uid == prefix]
    if exact:
        return exact
    uids = sorted({e.uid for e in events if e.uid.startswith(prefix)})
    if len(uids) == 1:
        return [e for e in events if e.uid == uids[0]]
    if not uids:
        err.print(shown(f"no published event with a UID starting {prefix!r}; "
                        "`event-bridge events` lists them"), highlight=False, soft_wrap=True)
    else:
        listed = ", ".join(uids[:SHOWN_CANDIDATES]) + (", …" if len(uids) > SHOWN_CANDIDATES
                                                      else "")
        err.print(shown(f"{len(uids)} published UIDs start with {prefix!r} ({listed}); give "
                        "more of the UID"), highlight=False, soft_wrap=True)
    raise typer.Exit(EXIT_USAGE)


def _event_json(e: Event, s: Settings) -> dict[str, Any]:
    return {"uid": e.uid, "recurrence_id": e.recurrence_id, "city": e.city,
            "start": _iso(e.data.start), "end": _iso(e.data.end),
            "local_start": local_start(e, s), "summary": e.data.summary,
            "status": e.data.status, "cancelled": e.data.cancelled,
            "sources": [{"feed": k.feed_id, "uid": k.uid, "recurrence_id": k.recurrence_id}
                        for k in e.sources]}


def _table(events: list[Event], s: Settings) -> None:
    table = Table("uid", "instance", "city", "start (local)", "title", "sources", "status",
                  title=f"{len(events)} published events")
    for e in events:
        table.add_row(shown(e.uid), e.recurrence_id, e.city, local_start(e, s),
                      shown(e.data.summary), str(len(e.sources)), shown(e.data.status))
    show(table)


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
