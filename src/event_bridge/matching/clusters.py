"""Units → clusters (one per real-world event).  Pure and order-independent.

Three passes, each greedy from the strongest evidence down (ties broken by keys, so the
input order never matters), precision first:

1. series copies: two series of one city whose occurrences mostly coincide and whose
   titles agree are one series (a series copied under another UID);
2. instances: a plain event that coincides with an occurrence of a series and agrees with
   its title is that occurrence (instances a feed publishes one by one);
3. plain events: pairs scoring at least :data:`MERGE_THRESHOLD` are joined, unless that
   would put two events of one feed into one cluster (a feed lists an event once: two of
   its events at the same time are parallel sessions), join starts further apart than the
   tolerance, or break a ``no-merge`` rule.  When one event matches two events of the same
   feed almost equally well, it is ambiguous and merged with neither.

``merge`` rules then join what the operator says belongs together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from event_bridge.matching.evidence import (
    Corpus,
    Match,
    Slot,
    Unit,
    candidate_pairs,
    compare,
    local_day,
    offset,
    probes,
    slot,
)
from event_bridge.model import SourceKey
from event_bridge.recurrence.series import Occurrence, occurrences

MERGE_THRESHOLD = 0.5
"""Probability (the evidence model of :mod:`.weights`) from which two source events are
merged."""

AMBIGUITY_MARGIN = 1.0
"""An event whose two best candidates in one feed are closer than this in log-odds (a
factor e ≈ 2.7 in odds) is ambiguous: parallel sessions in one venue and slot all look
likely, and only a clear winner is merged."""

MIN_SERIES_OVERLAP = 0.5
"""Share of the shorter series' occurrences that must coincide with the other's."""

@dataclass
class Cluster:
    """Units that describe one event: series masters or plain events (``units``) and plain
    events absorbed as one instance of the series (``instances``: RECURRENCE-ID → units)."""

    units: list[Unit]
    instances: dict[str, list[Unit]] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    score: float = 1.0

    @property
    def recurring(self) -> bool:
        return any(u.recurring for u in self.units)

    def feeds(self) -> set[str]:
        return {u.feed_id for u in self.units}

    def sources(self) -> set[tuple[str, str]]:
        found = {(u.feed_id, u.key.uid) for u in self.units}
        found.update((u.feed_id, u.key.uid) for us in self.instances.values() for u in us)
        return found


@dataclass(frozen=True)
class Rules:
    """Operator decisions on ``(feed, UID)`` pairs (config ``[[rules]]``)."""

    merge: frozenset[frozenset[tuple[str, str]]] = frozenset()
    forbid: frozenset[frozenset[tuple[str, str]]] = frozenset()

    def forbids(self, a: Cluster, b: Cluster) -> bool:
        if not self.forbid:
            return False
        return any(frozenset((x, y)) in self.forbid for x in a.sources() for y in b.sources())


def cluster(units: Sequence[Unit], c: Corpus, rules: Rules = Rules()) -> list[Cluster]:
    """Every unit in exactly one cluster."""
    series = [u for u in units if u.recurring]
    plain = [u for u in units if not u.recurring]
    clusters = {u.key: Cluster([u]) for u in units}
    owner = {u.key: u.key for u in units}
    occ = {u.key: occurrences(u.head, u.overrides) for u in series}
    _join_all(_series_pairs(series, occ, c), clusters, owner, rules)
    absorbed = _absorb(plain, series, occ, c, clusters, owner, rules)
    rest = [u for u in plain if u.key not in absorbed]
    pairs = _unambiguous(_scored(candidate_pairs(rest), c))
    _join_all(pairs, clusters, owner, rules)
    _apply_merge_rules(units, clusters, owner, rules)
    live = {_root(owner, k) for k in owner if k not in absorbed}
    return [clusters[k] for k in sorted(live)]


def _scored(pairs: Iterable[tuple[Unit, Unit]], c: Corpus) -> list[tuple[Unit, Unit, Match]]:
    out = []
    for u, v in pairs:
        found = compare(u, v, c)
        if found is not None:
            out.append((u, v, found))
    return out


def _unambiguous(scored: list[tuple[Unit, Unit, Match]]) -> list[tuple[Unit, Unit, Match]]:
    """Pairs above the threshold, without those where one side could as well be another
    event of the same feed (parallel sessions told apart by nothing)."""
    above = [p for p in scored if p[2].score >= MERGE_THRESHOLD]
    best: dict[tuple[SourceKey, str], list[float]] = defaultdict(list)
    for u, v, m in scored:
        best[(u.key, v.feed_id)].append(m.logit)
        best[(v.key, u.feed_id)].append(m.logit)
    keep = []
    for u, v, m in above:
        if _clear(best[(u.key, v.feed_id)], m.logit) and _clear(best[(v.key, u.feed_id)], m.logit):
            keep.append((u, v, m))
    return keep


def _clear(scores: list[float], mine: float) -> bool:
    """``mine`` is the best of ``scores`` by at least the margin (or the only one)."""
    others = sorted(scores, reverse=True)
    if others[0] > mine:
        return False
    return len(others) == 1 or others[1] <= mine - AMBIGUITY_MARGIN


def _join_all(pairs: Iterable[tuple[Unit, Unit, Match]], clusters: dict[SourceKey, Cluster],
              owner: dict[SourceKey, SourceKey], rules: Rules) -> None:
    for u, v, m in sorted(pairs, key=lambda p: (-p[2].score, p[0].key, p[1].key)):
        a, b = _root(owner, u.key), _root(owner, v.key)
        if a == b or not _compatible(clusters[a], clusters[b], rules):
            continue
        _union(a, b, clusters, owner, f"{_name(v)} ↔ {_name(u)}: {m.score:.2f} "
               f"({', '.join(m.reasons)})", m.score)


def _compatible(a: Cluster, b: Cluster, rules: Rules) -> bool:
    if a.feeds() & b.feeds() or rules.forbids(a, b):
        return False
    return all(_near(x, y) for x in a.units for y in b.units)


def _near(x: Unit, y: Unit) -> bool:
    if x.recurring or y.recurring:
        return True
    return offset(x.start, y.start, x.day, y.day) is not None


def _root(owner: dict[SourceKey, SourceKey], key: SourceKey) -> SourceKey:
    while owner[key] != key:
        owner[key] = owner[owner[key]]
        key = owner[key]
    return key


def _union(a: SourceKey, b: SourceKey, clusters: dict[SourceKey, Cluster],
           owner: dict[SourceKey, SourceKey], reason: str, score: float) -> None:
    keep, gone = min(a, b), max(a, b)
    owner[gone] = keep
    into, other = clusters[keep], clusters.pop(gone)
    into.units.extend(other.units)
    for rid, units in other.instances.items():
        into.instances.setdefault(rid, []).extend(units)
    into.reasons.extend([*other.reasons, reason])
    into.score = min(into.score, other.score, score)


def _name(unit: Unit) -> str:
    rid = f" @{unit.key.recurrence_id}" if unit.key.recurrence_id else ""
    return f"{unit.feed_id}:{unit.key.uid}{rid}"


def _series_pairs(series: Sequence[Unit], occ: Mapping[SourceKey, list[Occurrence]],
                  c: Corpus) -> list[tuple[Unit, Unit, Match]]:
    """Series of one city with coinciding occurrences, scored on their first shared one."""
    index: dict[tuple[str, Slot], set[SourceKey]] = defaultdict(set)
    by_key = {s.key: s for s in series}
    for s in series:
        for o in occ[s.key]:
            index[(s.city, slot(o.original, s.zone))].add(s.key)
    out = []
    for s in sorted(series, key=lambda u: u.key):
        near = {k for o in occ[s.key] for p in probes(o.original, s.zone)
                for k in index.get((s.city, p), ())}
        for key in sorted(k for k in near if k > s.key):
            t = by_key[key]
            found = None if t.feed_id == s.feed_id else _series_match(s, t, occ, c)
            if found is not None:
                out.append((s, t, found))
    return out


def _series_match(s: Unit, t: Unit, occ: Mapping[SourceKey, list[Occurrence]],
                  c: Corpus) -> Match | None:
    mine, theirs = occ[s.key], occ[t.key]
    by_day: dict[date, list[Occurrence]] = defaultdict(list)
    for p in theirs:
        by_day[local_day(p.original, t.zone)].append(p)
    shared = [(o, p) for o in mine for p in _coinciding(o, by_day, s)]
    fewest = min(len(mine), len(theirs))
    if not shared or len(shared) < MIN_SERIES_OVERLAP * fewest:
        return None
    o, p = shared[0]
    found = compare(s, t, c, o.original, p.original)
    if found is None or found.score < MERGE_THRESHOLD:
        return None
    return Match(found.score, (*found.reasons, f"{len(shared)}/{fewest} occurrences coincide"))


def _coinciding(o: Occurrence, by_day: Mapping[date, list[Occurrence]],
                s: Unit) -> list[Occurrence]:
    day = local_day(o.original, s.zone)
    for p in by_day.get(day, []):
        if offset(o.original, p.original, day, local_day(p.original, s.zone)) is not None:
            return [p]
    return []


def _absorb(plain: Sequence[Unit], series: Sequence[Unit],
            occ: Mapping[SourceKey, list[Occurrence]], c: Corpus,
            clusters: dict[SourceKey, Cluster], owner: dict[SourceKey, SourceKey],
            rules: Rules) -> set[SourceKey]:
    """Plain events that are one occurrence of a series, attached to it as that instance."""
    index: dict[tuple[str, Slot], list[tuple[Unit, Occurrence]]] = defaultdict(list)
    for s in series:
        for o in occ[s.key]:
            index[(s.city, slot(o.start, s.zone))].append((s, o))
    found = []
    for p in plain:
        for probe in probes(p.start, p.zone):
            for s, o in index.get((p.city, probe), []):
                m = None if s.feed_id == p.feed_id else compare(p, s, c, p.start, o.start)
                if m is not None and m.score >= MERGE_THRESHOLD:
                    found.append((m, p, s, o))
    found.sort(key=lambda f: (-f[0].score, f[1].key, f[2].key, f[3].rid))
    absorbed: set[SourceKey] = set()
    for m, p, s, o in found:
        root = _root(owner, s.key)
        target = clusters[root]
        taken = target.instances.get(o.rid, [])
        if p.key in absorbed or p.feed_id in target.feeds() | {u.feed_id for u in taken}:
            continue
        if rules.forbids(target, Cluster([p])):
            continue
        target.instances.setdefault(o.rid, []).append(p)
        target.reasons.append(f"{_name(p)} is the {o.rid} instance of {_name(s)}: "
                              f"{m.score:.2f} ({', '.join(m.reasons)})")
        target.score = min(target.score, m.score)
        absorbed.add(p.key)
        owner[p.key] = root
        clusters.pop(p.key, None)
    return absorbed


def _apply_merge_rules(units: Sequence[Unit], clusters: dict[SourceKey, Cluster],
                       owner: dict[SourceKey, SourceKey], rules: Rules) -> None:
    """``merge`` rules join the two clusters whatever the evidence says."""
    by_source: dict[tuple[str, str], list[SourceKey]] = defaultdict(list)
    for u in units:
        by_source[(u.feed_id, u.key.uid)].append(u.key)
    for pair in sorted(sorted(p) for p in rules.merge):
        if len(pair) != 2 or not by_source.get(pair[0]) or not by_source.get(pair[1]):
            continue
        a = _root(owner, by_source[pair[0]][0])
        b = _root(owner, by_source[pair[1]][0])
        if a != b:
            _union(a, b, clusters, owner, f"config rule: merge {pair[0][0]}:{pair[0][1]} "
                   f"with {pair[1][0]}:{pair[1][1]}", 1.0)
