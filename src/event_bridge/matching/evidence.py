"""Evidence that two source events describe the same real-world event.  Pure.

A *unit* is what one feed says about one event: a plain VEVENT, or a series master with its
overrides.  Units are compared only inside a block (same city, start days next to each
other), so the cost grows with the number of events, not its square.  The score of a pair
combines, each with a reason kept for ``event-bridge events --explain``:

* the titles: canonical tokens (``text.tokens``) weighted by rarity (a word shared by
  many events, such as a festival's name, says little), without the words that only restate
  the event's own city, year or weekday; the shorter title's unmatched words count against;
* the start: equal, or within :data:`START_TOLERANCE`; an all-day date matches a timed start
  on that local day;
* corroboration: the same URL or description (unless the feed uses it for several events),
  the same UID, a similar location.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo

from rapidfuzz import fuzz

from event_bridge.intake.place import CityTerms, city_of, city_terms
from event_bridge.matching.text import (
    WEEKDAYS,
    fold,
    is_cancelled_title,
    strip_label,
    strip_markers,
    tokens,
)
from event_bridge.matching.weights import SEMANTIC_MODEL, WORD_MODEL
from event_bridge.model import City, FeedSource, Moment, SourceEvent, SourceKey
from event_bridge.tz.lookup import city_zone

START_TOLERANCE = timedelta(minutes=45)
"""Copies of one event may disagree on its start by up to this much (a less careful feed
rounds or shifts the time); further apart they are different events."""

FUZZY_WORD = 80.0
"""rapidfuzz ratio above which two words count as one (``economie`` / ``economy``)."""

MIN_FUZZY_LEN = 5
"""Shorter words must match exactly (``ai`` vs ``vr`` are not spelling variants)."""

EXTRA_WORDS = 0.25
"""Share of the words only the longer title has that counts against the match: a feed
adds a venue or a qualifier (``Climate Hack Night @ Noisebridge``), but a festival's name
alone is not one of its sessions (``SF AI Week`` / ``SF AI Week – Opening keynote``)."""

MIN_SHARED_WEIGHT = 0.8
"""The matched words must weigh at least this much (a word found in no other event weighs
1) for the title alone to be convincing; less, and the title score shrinks in proportion."""

MIN_DESCRIPTION = 24
"""A description shorter than this (``Meetup.``) identifies nothing."""


@dataclass(frozen=True)
class Unit:
    """One feed's record of one event: a plain VEVENT, or a series master with overrides."""

    head: SourceEvent
    overrides: tuple[SourceEvent, ...]
    city: str
    zone: tzinfo
    rank: int
    day: date
    titles: tuple[tuple[str, ...], ...]
    cancelled: bool
    ids: frozenset[str] = frozenset()  # URL and description, normalised (see _identifiers)
    place: str = ""  # folded location
    organizer: str = ""  # folded organiser name or address
    label: str = ""  # the title as written, without markers and labels (semantic model)

    @property
    def key(self) -> SourceKey:
        return self.head.key

    @property
    def feed_id(self) -> str:
        return self.head.key.feed_id

    @property
    def recurring(self) -> bool:
        return self.head.data.recurring and not self.head.key.recurrence_id

    @property
    def members(self) -> tuple[SourceEvent, ...]:
        return (self.head, *self.overrides)

    @property
    def start(self) -> Moment:
        return self.head.data.start


@dataclass(frozen=True)
class Corpus:
    """What the whole input says about words and values: rarity weights, and the URLs and
    descriptions a feed uses for several events (boilerplate, not identity)."""

    weights: Mapping[str, float]
    boilerplate: frozenset[tuple[str, str]]
    default_weight: float = 1.0
    semantic: Callable[[str, str], float] | None = None  # cross-language title similarity


@dataclass(frozen=True)
class Match:
    score: float  # the probability of one event
    reasons: tuple[str, ...] = field(default=())
    logit: float = 0.0  # the log-odds behind ``score`` (compared where scores saturate)


def local_day(moment: Moment, zone: tzinfo) -> date:
    if isinstance(moment, datetime):
        return moment.astimezone(zone).date()
    return moment


def build_units(events: Sequence[SourceEvent], feeds: Mapping[str, FeedSource],
                cities: Mapping[str, City]) -> list[Unit]:
    """Group source events by ``(feed, UID)`` into units; an override without its master
    is a unit of its own."""
    terms = city_terms(cities)
    groups: dict[tuple[str, str], list[SourceEvent]] = defaultdict(list)
    for event in events:
        groups[(event.key.feed_id, event.key.uid)].append(event)
    units = []
    for _, group in sorted(groups.items()):
        group.sort(key=lambda e: e.key)
        masters = [e for e in group if not e.key.recurrence_id]
        if masters:
            units.append(_unit(masters[0], tuple(group[1:]), feeds, cities, terms))
        else:
            units.extend(_unit(o, (), feeds, cities, terms) for o in group)
    return units


def _unit(head: SourceEvent, overrides: tuple[SourceEvent, ...],
          feeds: Mapping[str, FeedSource], cities: Mapping[str, City],
          terms: CityTerms) -> Unit:
    feed = feeds.get(head.key.feed_id)
    home = feed.city if feed else head.city
    data = head.data
    city = city_of(data.summary, data.location, data.geo, data.tzid, home, cities, terms)
    zone = city_zone(city, cities) or UTC
    day = local_day(head.data.start, zone)
    drop = _restated(head.data.start, day, terms.words(city))
    title = head.data.summary
    variants = {tokens(terms.unify(strip_markers(t)), drop)
                for t in (title, strip_label(title))}
    cancelled = head.data.cancelled or is_cancelled_title(title)
    return Unit(head, overrides, city, zone, feed.rank if feed else len(feeds), day,
                tuple(sorted(variants)), cancelled, frozenset(_identifiers(head)),
                fold(head.data.location), fold(head.data.organizer),
                strip_label(strip_markers(title)))


def _restated(start: Moment, day: date, city_words: Iterable[str]) -> set[str]:
    """Words a title may add that only restate the event's own year, weekday or city."""
    year = start.year
    return {str(year), f"{year % 100:02d}", WEEKDAYS[day.weekday()], *city_words}


def corpus(units: Sequence[Unit],
           semantic: Callable[[str, str], float] | None = None) -> Corpus:
    """Rarity weights (smoothed inverse document frequency) and boilerplate values."""
    df: Counter[str] = Counter()
    for unit in units:
        df.update({t for variant in unit.titles for t in variant})
    weights = rarity(df, len(units))
    seen: Counter[tuple[str, str]] = Counter()
    for unit in units:
        for value in unit.ids:
            seen[(unit.feed_id, value)] += 1
    boiler = frozenset(k for k, c in seen.items() if c > 1)
    return Corpus(weights, boiler, 1.0, semantic)


def rarity(df: Mapping[str, int], n: int) -> dict[str, float]:
    """Smoothed inverse document frequency scaled to 1 for a word found in one title only,
    so that limits do not depend on how many events there are."""
    top = math.log(1 + max(n, 1))
    return {t: math.log(1 + max(n, 1) / c) / top for t, c in df.items()}


def _identifiers(event: SourceEvent) -> set[str]:
    out = set()
    if event.data.url.strip():
        out.add("url:" + _url(event.data.url))
    description = fold(event.data.description)
    if len(description) >= MIN_DESCRIPTION:
        out.add("desc:" + description)
    return out


def _url(url: str) -> str:
    text = url.strip().lower().split("#")[0].rstrip("/")
    for prefix in ("https://", "http://", "www."):
        text = text.removeprefix(prefix)
    return text


def title_similarity(a: Sequence[str], b: Sequence[str], weights: Mapping[str, float],
                     default: float = 1.0) -> float:
    """Weighted overlap: matched weight over matched weight plus the unmatched weight of
    the title that has less of it, and a share (:data:`EXTRA_WORDS`) of the other's: a
    title that only adds words scores high, but not as high as the same title."""
    pairs = aligned(a, b)
    def w(t: str) -> float:
        return weights.get(t, default)
    matched = sum((w(x) + w(y)) / 2 for x, y in pairs)
    if matched == 0:
        return 0.0
    un_a = sum(w(t) for t in a) - sum(w(x) for x, _ in pairs)
    un_b = sum(w(t) for t in b) - sum(w(y) for _, y in pairs)
    extra = max(min(un_a, un_b), 0.0) + EXTRA_WORDS * max(un_a, un_b, 0.0)
    score = matched / (matched + extra)
    return score * min(1.0, matched / MIN_SHARED_WEIGHT)


def aligned(a: Sequence[str], b: Sequence[str]) -> list[tuple[str, str]]:
    """Word pairs: equal words first, then spelling variants (rapidfuzz ratio)."""
    pairs = [(t, t) for t in a if t in b]
    rest_b = [t for t in b if t not in a]
    for t in a:
        if t in b or len(t) < MIN_FUZZY_LEN:
            continue
        best = max(((fuzz.ratio(t, u), u) for u in rest_b if len(u) >= MIN_FUZZY_LEN),
                   default=(0.0, ""))
        if best[0] >= FUZZY_WORD:
            pairs.append((t, best[1]))
            rest_b.remove(best[1])
    return pairs


def best_title(u: Unit, v: Unit, c: Corpus) -> float:
    return max(title_similarity(x, y, c.weights, c.default_weight)
               for x in u.titles for y in v.titles)


def contained(u: Unit, v: Unit, c: Corpus) -> float:
    """Weighted share of the shorter title's words found in the other title (a series'
    name inside a talk's title, a title with a venue appended), best over the variants."""
    best = 0.0
    for x in u.titles:
        for y in v.titles:
            short, long_ = (x, y) if len(x) <= len(y) else (y, x)
            total = sum(c.weights.get(t, c.default_weight) for t in short)
            if total:
                found = sum(c.weights.get(s, c.default_weight) for s, _ in aligned(short, long_))
                best = max(best, found / total * min(1.0, found / MIN_SHARED_WEIGHT))
    return best


def offset(a: Moment, b: Moment, day_a: date, day_b: date) -> timedelta | None:
    """How far apart two starts are, or ``None`` when they cannot be the same start.
    A date matches a timed start on that local day (an all-day listing of a timed event)."""
    if isinstance(a, datetime) and isinstance(b, datetime):
        delta = abs(a - b)
        return delta if delta <= START_TOLERANCE else None
    return timedelta(0) if day_a == day_b else None


def features(u: Unit, v: Unit, c: Corpus, start_u: Moment | None = None,
             start_v: Moment | None = None) -> dict[str, float] | None:
    """The evidence that ``u`` and ``v`` are one event, one value per feature of
    :data:`~.weights.FEATURES`, or ``None`` if they cannot be (another city, starts too far
    apart)."""
    if u.city != v.city:
        return None
    a, b = start_u or u.start, start_v or v.start
    delta = offset(a, b, _day(a, u), _day(b, v))
    if delta is None:
        return None
    timed = _timed(a, b)
    shared = {value for value in u.ids & v.ids
              if (u.feed_id, value) not in c.boilerplate
              and (v.feed_id, value) not in c.boilerplate}
    place = _place_similarity(u.place, v.place)
    title, inside = best_title(u, v, c), contained(u, v, c)
    found = {
        "title": title,
        "contained": inside,
        "part_of": inside * (1.0 - title),
        "same_start": 1.0 if timed and not delta else 0.0,
        "minutes_off": delta / START_TOLERANCE if timed else 0.0,
        "date_only": 0.0 if timed else 1.0,
        "place": place,
        "no_place": 0.0 if u.place and v.place else 1.0,
        "url": 1.0 if any(s.startswith("url:") for s in shared) else 0.0,
        "description": 1.0 if any(s.startswith("desc:") for s in shared) else 0.0,
        "uid": 1.0 if u.key.uid == v.key.uid else 0.0,
        "organizer": 1.0 if u.organizer and u.organizer == v.organizer else 0.0,
    }
    if c.semantic is not None:
        found["semantic"] = c.semantic(u.label, v.label)
    return found


def compare(u: Unit, v: Unit, c: Corpus, start_u: Moment | None = None,
            start_v: Moment | None = None) -> Match | None:
    """The probability that ``u`` and ``v`` are one event (the logistic model of
    :mod:`.weights` over :func:`features`), with each feature's contribution as reasons, or
    ``None`` if they cannot be one event."""
    found = features(u, v, c, start_u, start_v)
    if found is None:
        return None
    model = SEMANTIC_MODEL if c.semantic is not None else WORD_MODEL
    logit, reasons = model.intercept, []
    for name, value in found.items():
        part = model.weights.get(name, 0.0) * value
        logit += part
        if value:
            reasons.append(f"{name} {value:.2f} ({part:+.2f})")
    return Match(round(1.0 / (1.0 + math.exp(-logit)), 4), tuple(reasons), round(logit, 4))


def _day(moment: Moment, unit: Unit) -> date:
    return local_day(moment, unit.zone)


def _timed(a: Moment, b: Moment) -> bool:
    return isinstance(a, datetime) and isinstance(b, datetime)


def _place_similarity(fa: str, fb: str) -> float:
    if not fa or not fb:
        return 0.0
    return float(fuzz.token_set_ratio(fa, fb)) / 100.0


Slot = tuple[date, int]
"""A block: a local day and hour (timed starts) or a local day and -1 (all-day dates)."""


def slot(moment: Moment, zone: tzinfo) -> Slot:
    if isinstance(moment, datetime):
        local = moment.astimezone(zone)
        return (local.date(), local.hour)
    return (moment, -1)


def probes(moment: Moment, zone: tzinfo) -> list[Slot]:
    """The blocks that can hold a start compatible with ``moment``: the hours around a timed
    start (the tolerance is under an hour) and its day's date; every hour of a date."""
    if isinstance(moment, datetime):
        hour = timedelta(hours=1)
        found = {slot(moment + d, zone) for d in (-hour, timedelta(0), hour)}
        found.add((local_day(moment, zone), -1))
        return sorted(found)
    return [(moment, h) for h in range(-1, 24)]


def candidate_pairs(units: Sequence[Unit]) -> Iterator[tuple[Unit, Unit]]:
    """Pairs from different feeds in one city whose starts may be compatible, each once,
    in a stable order; blocks are an hour wide, so the work grows with the events."""
    index: dict[tuple[str, Slot], list[Unit]] = defaultdict(list)
    for unit in units:
        index[(unit.city, slot(unit.start, unit.zone))].append(unit)
    for u in sorted(units, key=lambda x: x.key):
        for probe in probes(u.start, u.zone):
            for v in index.get((u.city, probe), ()):
                if u.feed_id != v.feed_id and u.key < v.key:
                    yield (u, v)
