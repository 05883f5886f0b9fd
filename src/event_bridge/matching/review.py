"""Decisions close to the line, for an operator to confirm or overturn.  Pure.

The evidence model gives each candidate pair a probability; a pair whose log-odds lie
within :data:`REVIEW_LOGIT` of the threshold (merges), or whose link probability lies within
:data:`REVIEW_LINK` of the link threshold, is listed with its evidence and the ``[[rules]]``
entry that would settle it (``merge`` / ``no-merge``, ``link`` / ``no-link``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from event_bridge.matching.clusters import MERGE_THRESHOLD
from event_bridge.matching.dedupe import latest_revisions
from event_bridge.matching.evidence import build_units, candidate_pairs, compare, corpus
from event_bridge.matching.link import LINK_THRESHOLD, Side, candidate_links
from event_bridge.matching.semantic import Similarity
from event_bridge.model import City, Event, FeedSource, SourceEvent, SourceKey

REVIEW_LOGIT = 2.0
"""Merge decisions whose log-odds are within this of the threshold's (probabilities from
about 0.12 to 0.88 around 0.5) are worth a look."""

REVIEW_LINK = 0.25
"""Link decisions whose probability is within this of the link threshold."""


@dataclass(frozen=True)
class Close:
    """One pair near the line: what it is, which way it went, and why."""

    kind: str  # "merge" or "link"
    a: str  # feed-id:UID, as a [[rules]] entry names it
    b: str
    a_title: str
    b_title: str
    probability: float
    decided: bool  # merged / linked by the model
    evidence: tuple[str, ...]

    @property
    def rule(self) -> str:
        """The ``[[rules]]`` entry that reverses the model's decision."""
        kind = f"no-{self.kind}" if self.decided else self.kind
        return f'[[rules]]\nkind = "{kind}"\na = "{self.a}"\nb = "{self.b}"'


def close_merges(events: Sequence[SourceEvent], feeds: Mapping[str, FeedSource],
                 cities: Mapping[str, City], semantic: Similarity | None = None
                 ) -> list[Close]:
    """Candidate merges near the threshold, closest first."""
    units = build_units(latest_revisions(events), feeds, cities)
    c = corpus(units, semantic)
    line = math.log(MERGE_THRESHOLD / (1 - MERGE_THRESHOLD))
    found = []
    for u, v in candidate_pairs([x for x in units if not x.recurring]):
        m = compare(u, v, c)
        if m is not None and abs(m.logit - line) <= REVIEW_LOGIT:
            found.append(Close("merge", _name(u.key), _name(v.key), u.head.data.summary,
                               v.head.data.summary, m.score, m.score >= MERGE_THRESHOLD,
                               m.reasons))
    return sorted(found, key=lambda x: (abs(x.probability - MERGE_THRESHOLD), x.a, x.b))


def close_links(events: Sequence[Event], cities: Mapping[str, City],
                sources: Mapping[SourceKey, SourceEvent] | None = None,
                semantic: Similarity | None = None) -> list[Close]:
    """Candidate links near the link threshold, closest first."""
    found = []
    for a, b, link in candidate_links(events, cities, sources, semantic):
        if abs(link.score - LINK_THRESHOLD) <= REVIEW_LINK:
            found.append(Close("link", _source(a), _source(b), a.event.data.summary,
                               b.event.data.summary, link.score,
                               link.score >= LINK_THRESHOLD, tuple(link.reason.split("; "))))
    return sorted(found, key=lambda x: (abs(x.probability - LINK_THRESHOLD), x.a, x.b))


def _name(key: SourceKey) -> str:
    return f"{key.feed_id}:{key.uid}"


def _source(side: Side) -> str:
    """A source of a published event, as a link rule names it."""
    return _name(min(side.event.sources)) if side.event.sources else side.event.uid

