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

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from event_bridge.intake.place import CityTerms, city_terms
from event_bridge.matching.evidence import aligned, rarity
from event_bridge.matching.text import GLOSSARY, fold, strip_markers, tokens
from event_bridge.model import City, Event, Link

LINK_THRESHOLD = 0.6
"""Score from which two events of different cities are linked."""

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

BONUS_URL, BONUS_SAME_TIME, BONUS_BOTH_REFER = 0.15, 0.1, 0.05

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
    refers: bool  # names the other city


def find_links(events: Sequence[Event], rules: Iterable[object] = (),
               cities: Mapping[str, City] | None = None) -> list[Link]:
    """Links between published events (masters and plain events) of different cities."""
    terms = city_terms(cities or {})
    sides = [_side(e, terms) for e in events if not e.recurrence_id]
    weights = _weights(sides)
    scored = [found for a, b in _candidates(sides) if (found := _score(a, b, weights))]
    forced, forbidden = _rules(rules, sides)
    scored = [x for x in scored if frozenset((x.a_uid, x.b_uid)) not in forbidden]
    return _one_each(scored, forced)


def _side(event: Event, terms: CityTerms) -> Side:
    words = {w for slug in terms.by_city for w in terms.words(slug)}
    drop = words | {str(event.data.start.year), "edition"}
    summary = strip_markers(event.data.summary)
    title = tokens(terms.unify(summary), drop)  # a festival's name in the title links too
    text = frozenset(tokens(terms.unify(summary + " " + event.data.description), drop))
    other = set(terms.by_city) - {event.city}
    mentioned = terms.mentioned(event.data.summary + " " + event.data.description)
    return Side(event, title, text, bool(mentioned & other))


def _weights(sides: Sequence[Side]) -> dict[str, float]:
    df: Counter[str] = Counter()
    for side in sides:
        df.update(set(side.title))
    weights = rarity(df, len(sides))
    return {t: w * KIND_WEIGHT if t in KIND_WORDS else w for t, w in weights.items()}


def _candidates(sides: Sequence[Side]) -> list[tuple[Side, Side]]:
    """Pairs of events of different cities, one of which names the other's city, sharing
    a title word; a word shared by more than ``MAX_POSTINGS`` events proposes nothing, and
    only events naming the other city look partners up, so the work stays near-linear."""
    postings: dict[str, list[Side]] = defaultdict(list)
    for side in sides:
        for word in side.title:
            postings[word].append(side)
    pairs: dict[tuple[str, str], tuple[Side, Side]] = {}
    for r in sides:
        if not r.refers:
            continue
        for word in r.title:
            found = postings[word]
            if len(found) > MAX_POSTINGS:
                continue
            for other in found:
                if other.event.city != r.event.city:
                    a, b = (r, other) if r.event.city < other.event.city else (other, r)
                    pairs.setdefault((a.event.uid, b.event.uid), (a, b))
    return [pairs[k] for k in sorted(pairs)]


def _score(a: Side, b: Side, weights: Mapping[str, float]) -> Link | None:
    """The link between ``a`` and ``b`` with its score and reason, or ``None``."""
    if not (a.refers or b.refers):
        return None
    title = overlap(a.title, b.title, weights)
    a_in_b, b_in_a = _found_in(a.title, b.text, weights), _found_in(b.title, a.text, weights)
    cross = min(a_in_b, b_in_a)
    score = max(title, cross)
    reasons = [f"titles {title:.2f}", f"each title in the other's text {cross:.2f}"]
    if _same_time(a.event, b.event) and max(a_in_b, b_in_a) > score:
        # a relay (livestream, watch party, duplex) names what it relays, at that moment
        score = max(a_in_b, b_in_a)
        reasons.append(f"one title in the other's text {score:.2f}, at the same moment")
    if a.event.data.url and _norm_url(a.event.data.url) == _norm_url(b.event.data.url):
        score += BONUS_URL
        reasons.append("same URL")
    if _same_time(a.event, b.event):
        score += BONUS_SAME_TIME
        reasons.append("same moment")
    if a.refers and b.refers:
        score += BONUS_BOTH_REFER
        reasons.append("each names the other city")
    else:
        reasons.append("one names the other city")
    if score < LINK_THRESHOLD:
        return None
    return Link(a.event.uid, b.event.uid, round(score, 4), "; ".join(reasons))


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
