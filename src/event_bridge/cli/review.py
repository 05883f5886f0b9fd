"""``event-bridge ambiguous``: the merge and link decisions closest to the line, with their
evidence and the ``[[rules]]`` entry that would reverse each (registered by ``cli.app``)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from event_bridge.cli.context import out, repository, settings
from event_bridge.matching.review import Close, close_links, close_merges
from event_bridge.model import Event
from event_bridge.sync.publication import semantic_similarity


def ambiguous_command(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per pair.")] = False,
) -> None:
    """List the merges and links the matcher found hardest to decide, with the rule to
    add to the config to decide them the other way."""
    s = settings()
    repo = repository(s)
    sources = repo.source_events()
    similarity = semantic_similarity(s)
    feeds = {f.id: f for f in s.feeds}
    events: list[Event] = [r.event for r in repo.published().values() if r.gone_since is None]
    found = [*close_merges(sources, feeds, s.cities, similarity),
             *close_links(events, s.cities, {e.key: e for e in sources}, similarity)]
    if as_json:
        for close in found:
            out.print_json(json.dumps({**asdict(close), "rule": close.rule}))
        return
    _table(found)


def _table(found: list[Close]) -> None:
    table = Table("kind", "a", "b", "probability", "decided", "evidence", "rule to reverse",
                  title=f"{len(found)} decisions near the line")
    for c in found:
        table.add_row(c.kind, escape(f"{c.a}\n{c.a_title}"), escape(f"{c.b}\n{c.b_title}"),
                      f"{c.probability:.2f}", "yes" if c.decided else "no",
                      escape("\n".join(c.evidence)), escape(c.rule))
    out.print(table)
