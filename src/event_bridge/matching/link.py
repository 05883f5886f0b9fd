"""Cross-city links: the Paris and San Francisco counterparts of one programme.  Pure.

Two published events in different cities are linked (RFC 9253 ``RELTYPE=SIBLING``) when
they are organised as one programme across the two cities, or one explicitly relays the
other (a satellite session, a livestream or watch party, a twin session).  Sharing a topic,
a brand or a date is not enough, so a link needs both:

* an explicit reference: one of the two names the other's city (``Paris–SF``, ``live from
  Paris``, ``laureates will visit Silicon Valley``);
* agreement on what the event is: their titles (city names left out, French and English
  folded together by ``matching.text``) or each title found in the other's text.

Candidates come from an inverted index on title words, skipping words so common that they
cannot single out a programme, so the cost stays near-linear.  Each event is linked to at
most one counterpart, strongest first.  Config rules add (``link``) or forbid (``no-link``)
links between the events holding two given sources.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from event_bridge.intake.folding import fold
from event_bridge.intake.place import CityTerms, city_terms
from event_bridge.matching.evidence import aligned, rarity
from event_bridge.matching.semantic import Similarity
from event_bridge.matching.text import GLOSSARY, strip_label, strip_markers, tokens
from event_bridge.matching.weights import LINK_SEMANTIC_MODEL, LINK_WORD_MODEL
from event_bridge.model import City, Event, Link, SourceEvent, SourceKey

LINK_THRESHOLD = 0.7
"""Probability (the link model of :mod:`.weights`) from which two events of different
cities are linked.  The model is fitted with both classes weighed alike (links are rare
among candidates), so its 0.5 favours recall; 0.7 is where the labelled pairs of the
training sets reach a precision of 0.9 at a recall of 0.9 (``scripts/fit_matching.py``
prints the curve)."""

PREFIX = 5
"""Title words meet in the candidate index by their first letters (``résidence`` /
``residency``, ``colloque`` / ``colloquium``); scoring then aligns them properly."""

MAX_POSTINGS = 50
"""A title word shared by more events than this does not propose candidates (a programme
is named by rarer words; a festival's name still qualifies in a feed of thousands)."""

SAME_TIME = timedelta(minutes=30)
"""Starts this close are one moment (a livestream, a duplex)."""

MIN_SHARED_WEIGHT = 1.4
"""Shared words must weigh at least this much (a word found in one title only weighs 1;
this is about two words found in only a few events) for
the agreement to count fully; less, and it shrinks in proportion.  One common word
(``panel``) left over once the city names are removed does not make a programme."""

KIND_WORDS = frozenset({*GLOSSARY.values(), "demo", "day", "keynote", "panel", "talk",
                        "meetup", "hackathon", "party", "ceremony", "forum", "showcase"})
"""Words naming a kind of event (the glossary's calendar words and a few more): two events
of the same kind are not one programme, so these words weigh less."""

KIND_WEIGHT = 0.6
"""How much a kind word weighs compared to a word of the same rarity naming the programme."""


@dataclass(frozen=True)
class Side:
    event: Event
    title: tuple[str, ...]
    text: frozenset[str]
    refers: bool  # the event, or a source merged into it, names the other city
    label: str  # the title as written, without markers (semantic model)
    titles: tuple[tuple[str, ...], ...] = ()  # its own and its sources' titles, as tokens


def find_links(events: Sequence[Event], rules: Iterable[object] = (),
               cities: Mapping[str, City] | None = None,
               semantic: Similarity | None = None,
               sources: Mapping[SourceKey, SourceEvent] | None = None) -> list[Link]:
    """Links between published events (masters and plain events) of different cities;
    ``sources`` (the source events by key) lets every source's title and text speak."""
    scored = [link for _a, _b, link in candidate_links(events, cities, sources, semantic)
              if link.score >= LINK_THRESHOLD]
    sides = _sides(events, cities, sources)
    forced, forbidden = _rules(rules, sides)
    scored = [x for x in scored if frozenset((x.a_uid, x.b_uid)) not in forbidden]
    return _one_each(scored, forced)


def candidate_links(events: Sequence[Event], cities: Mapping[str, City] | None = None,
                    sources: Mapping[SourceKey, SourceEvent] | None = None,
                    semantic: Similarity | None = None) -> list[tuple[Side, Side, Link]]:
    """Every candidate pair with its scored link (whatever its probability)."""
    sides = _sides(events, cities, sources)
    weights = _weights(sides)
    return [(a, b, _score(a, b, weights, semantic)) for a, b in _candidates(sides)]


def _sides(events: Sequence[Event], cities: Mapping[str, City] | None,
           sources: Mapping[SourceKey, SourceEvent] | None) -> list[Side]:
    terms = city_terms(cities or {})
    return [_side(e, terms, sources) for e in events if not e.recurrence_id]


MAX_TITLES = 4
"""Titles of one event compared (its own and those of the sources merged into it: a Paris
event listed in French and in English meets its San Francisco counterpart in either)."""


def _side(event: Event, terms: CityTerms,
          sources: Mapping[SourceKey, SourceEvent] | None = None) -> Side:
    words = {w for slug in terms.by_city for w in terms.words(slug)}
    drop = words | {str(event.data.start.year), "edition"}
    said = [event.data] + [sources[k].data for k in event.sources if sources and k in sources]
    summaries = list(dict.fromkeys(strip_markers(d.summary) for d in said))[:MAX_TITLES]
    titles = tuple(dict.fromkeys(tokens(terms.unify(s), drop) for s in summaries))
    writing = " ".join(f"{d.summary} {d.description}" for d in said)
    text = frozenset(tokens(terms.unify(writing), drop))
    other = set(terms.by_city) - {event.city}
    mentioned = terms.mentioned(writing)
    return Side(event, titles[0], text, bool(mentioned & other), strip_label(summaries[0]),
                titles)


def _weights(sides: Sequence[Side]) -> dict[str, float]:
    df: Counter[str] = Counter()
    for side in sides:
        df.update({w for title in side.titles for w in title})
    weights = rarity(df, len(sides))
    return {t: w * KIND_WEIGHT if t in KIND_WORDS else w for t, w in weights.items()}


def _candidates(sides: Sequence[Side]) -> list[tuple[Side, Side]]:
    """Pairs of events of different cities, one of which names the other's city (the
    explicit reference a link needs), sharing a title word (by its first :data:`PREFIX`
    letters, so ``résidence`` meets ``residency``); a word shared by more than
    :data:`MAX_POSTINGS` events proposes nothing, so the work stays near-linear."""
    postings: dict[str, list[Side]] = defaultdict(list)
    for side in sides:
        for word in {w[:PREFIX] for title in side.titles for w in title}:
            postings[word].append(side)
    pairs: dict[tuple[str, str], tuple[Side, Side]] = {}
    for found in postings.values():
        if len(found) > MAX_POSTINGS:
            continue
        for r in found:
            for other in found:
                if other.event.city > r.event.city and (r.refers or other.refers):
                    pairs.setdefault((r.event.uid, other.event.uid), (r, other))
    return [pairs[k] for k in sorted(pairs)]


def features(a: Side, b: Side, weights: Mapping[str, float],
             semantic: Similarity | None = None) -> dict[str, float]:
    """The evidence that two events of different cities are one programme (or one relays
    the other), one value per feature of :data:`.weights.LINK_FEATURES`."""
    a_in_b = max(_found_in(x, b.text, weights) for x in a.titles or (a.title,))
    b_in_a = max(_found_in(y, a.text, weights) for y in b.titles or (b.title,))
    same = _same_time(a.event, b.event)
    relaying = _relays(a), _relays(b)
    if relaying == (True, False):  # a relay's title names what it relays
        relay = a_in_b
    elif relaying == (False, True):
        relay = b_in_a
    else:
        relay = max(a_in_b, b_in_a)
    found = {
        "title": max(overlap(x, y, weights) for x in a.titles or (a.title,)
                     for y in b.titles or (b.title,)),
        "cross": min(a_in_b, b_in_a),
        "relay": relay if same else 0.0,
        "same_moment": 1.0 if same else 0.0,
        "both_refer": 1.0 if a.refers and b.refers else 0.0,
        "url": 1.0 if a.event.data.url and
        _norm_url(a.event.data.url) == _norm_url(b.event.data.url) else 0.0,
        "months_apart": min(_days_apart(a.event, b.event) / 30.0, 12.0),
    }
    if semantic is not None:
        found["semantic"] = semantic(a.label, b.label)
    return found


def _score(a: Side, b: Side, weights: Mapping[str, float],
           semantic: Similarity | None = None) -> Link:
    """The link between ``a`` and ``b`` with its probability and the contribution of each
    feature as its reason."""
    found = features(a, b, weights, semantic)
    model = LINK_SEMANTIC_MODEL if semantic is not None else LINK_WORD_MODEL
    logit, reasons = model.intercept, []
    for name, value in found.items():
        part = model.weights.get(name, 0.0) * value
        logit += part
        if value:
            reasons.append(f"{name} {value:.2f} ({part:+.2f})")
    score = 1.0 / (1.0 + math.exp(-logit))
    return Link(a.event.uid, b.event.uid, round(score, 4), "; ".join(reasons))


RELAY_WORDS = frozenset(("livestream", "live", "watch"))
"""Title tokens (after the glossary: retransmission, duplex, en direct...) of an event that
relays another one."""


def _relays(side: Side) -> bool:
    return any(w in RELAY_WORDS for title in side.titles or (side.title,) for w in title)


def _days_apart(a: Event, b: Event) -> float:
    x, y = a.data.start, b.data.start
    day_x = x.date() if isinstance(x, datetime) else x
    day_y = y.date() if isinstance(y, datetime) else y
    return float(abs((day_x - day_y).days))


def overlap(a: Sequence[str], b: Sequence[str], weights: Mapping[str, float]) -> float:
    """Weighted Jaccard of two titles (spelling variants count as one word): both titles
    describe a whole event, so words either side lacks count against."""
    pairs = aligned(a, b)
    matched = sum((weights.get(x, 1.0) + weights.get(y, 1.0)) / 2 for x, y in pairs)
    total = sum(weights.get(t, 1.0) for t in (*a, *b)) - matched
    if total <= 0:
        return 0.0
    return matched / total * min(1.0, matched / MIN_SHARED_WEIGHT)


def _found_in(title: Sequence[str], text: frozenset[str], weights: Mapping[str, float]) -> float:
    """Weighted share of a title's words present in another event's text (spelling
    variants and cognates count: ``colloquium`` / ``colloque``)."""
    total = sum(weights.get(t, 1.0) for t in title)
    if not total:
        return 0.0
    found = sum(weights.get(t, 1.0) for t, _ in aligned(title, sorted(text)))
    return found / total * min(1.0, found / MIN_SHARED_WEIGHT)


def _norm_url(url: str) -> str:
    return fold(url.split("#")[0].rstrip("/"))


def _same_time(a: Event, b: Event) -> bool:
    x, y = a.data.start, b.data.start
    return isinstance(x, datetime) and isinstance(y, datetime) and abs(x - y) <= SAME_TIME


def _rules(rules: Iterable[object], sides: Sequence[Side]
           ) -> tuple[list[Link], set[frozenset[str]]]:
    holder = {(k.feed_id, k.uid): s.event.uid for s in sides for k in s.event.sources}
    forced, forbidden = [], set()
    for rule in rules:
        kind = getattr(rule, "kind", "")
        a = holder.get(_source(getattr(rule, "a", "")))
        b = holder.get(_source(getattr(rule, "b", "")))
        if not a or not b or a == b:
            continue
        if kind == "link":
            forced.append(Link(min(a, b), max(a, b), 1.0, "config rule: link"))
        elif kind == "no-link":
            forbidden.add(frozenset((a, b)))
    return forced, forbidden


def _source(text: object) -> tuple[str, str]:
    feed, _, uid = str(text).partition(":")
    return (feed, uid)


def _one_each(scored: Sequence[Link], forced: Sequence[Link]) -> list[Link]:
    """Strongest first, each event in at most one automatic link; rule links always."""
    taken: set[str] = set()
    out = []
    for link in sorted(scored, key=lambda x: (-x.score, x.a_uid, x.b_uid)):
        if link.a_uid in taken or link.b_uid in taken:
            continue
        taken.update((link.a_uid, link.b_uid))
        out.append(link)
    unique = {(min(x.a_uid, x.b_uid), max(x.a_uid, x.b_uid)): x for x in [*out, *forced]}
    return [unique[k] for k in sorted(unique)]
