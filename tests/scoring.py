"""Scores an exported merged feed against a dataset's ``truth.json`` (see the dataset README,
"Output contract" and "Scoring"): dedup and link precision/recall, missing sources, start
share, cancelled share.  Used by ``test_scorer.py``."""

from __future__ import annotations

import itertools
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import icalendar


def _utc(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


@dataclass
class Pub:
    uid: str
    sources: list[tuple[str, str]]
    related: list[str]
    cancelled: bool
    rrule: bool
    start: Any
    rid: Any
    cluster: str | None = None


@dataclass
class Scores:
    dedup_precision: float
    dedup_recall: float
    link_precision: float
    link_recall: float
    missing: list[tuple[str, str]]
    start_share: float
    cancelled_share: float
    details: dict[str, Any] = field(default_factory=dict)


def _prf(correct: int, predicted: int, true: int) -> tuple[float, float]:
    p = correct / predicted if predicted else (1.0 if not true else 0.0)
    r = correct / true if true else 1.0
    return p, r


def load(path: Path) -> list[Pub]:
    pubs = []
    for ev in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"):
        sources = [(str(p.params.get("FEED")), str(p))
                   for p in _list(ev.get("X-EVENT-BRIDGE-SOURCE"))]
        related = [str(p) for p in _list(ev.get("RELATED-TO"))
                   if str(p.params.get("RELTYPE", "PARENT")).upper() == "SIBLING"]
        rid = ev.get("RECURRENCE-ID")
        pubs.append(Pub(str(ev.get("UID")), sources, related,
                        str(ev.get("STATUS", "")).upper() == "CANCELLED",
                        ev.get("RRULE") is not None, ev.get("DTSTART").dt,
                        rid.dt if rid is not None else None))
    return pubs


def _as_utc(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else None  # floating never matches
    return value


def score(merged: Path, truth_dir: Path) -> Scores:
    truth = json.loads((truth_dir / "truth.json").read_text(encoding="utf-8"))
    unit_cluster = {(f, u): c["id"] for c in truth["clusters"] for f, u, _ in c["members"]}
    rids: dict[tuple[str, str], list[str | None]] = defaultdict(list)
    for c in truth["clusters"]:
        for f, u, r in c["members"]:
            rids[(f, u)].append(r)
    pubs = load(merged)
    series: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for p in pubs:
        series[p.uid].update(p.sources)
    series_cluster = {uid: _majority(us, unit_cluster) for uid, us in series.items()}
    for p in pubs:
        p.cluster = _majority(p.sources, unit_cluster) or series_cluster.get(p.uid)
    dp, dr = _dedup(series, unit_cluster)
    lp, lr = _links(pubs, series_cluster, truth)
    found = {u for us in series.values() for u in us}
    missing = sorted(set(unit_cluster) - found)
    clusters = {c["id"]: c for c in truth["clusters"]}
    start = _start_share(pubs, clusters, rids)
    cancelled = _cancelled_share(pubs, clusters, rids)
    return Scores(dp, dr, lp, lr, missing, start, cancelled)


def _majority(units: Any, unit_cluster: dict[tuple[str, str], str]) -> str | None:
    counts = Counter(unit_cluster[u] for u in units if u in unit_cluster)
    if not counts:
        return None
    best = max(counts.values())
    return sorted(c for c, n in counts.items() if n == best)[0]


def _dedup(series: dict[str, set[tuple[str, str]]],
           unit_cluster: dict[tuple[str, str], str]) -> tuple[float, float]:
    predicted = set()
    for units in series.values():
        known = sorted(u for u in units if u in unit_cluster)
        predicted.update(itertools.combinations(known, 2))
    by_cluster: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for unit, cid in unit_cluster.items():
        by_cluster[cid].append(unit)
    true = {pair for us in by_cluster.values() for pair in itertools.combinations(sorted(us), 2)}
    return _prf(len(predicted & true), len(predicted), len(true))


def _links(pubs: list[Pub], series_cluster: dict[str, str | None],
           truth: dict[str, Any]) -> tuple[float, float]:
    predicted = set()
    for p in pubs:
        for target in p.related:
            a, b = series_cluster.get(p.uid), series_cluster.get(target)
            if a and b and a != b:
                predicted.add(frozenset((a, b)))
    true = {frozenset((a, b)) for a, b, _ in truth["links"]}
    return _prf(len(predicted & true), len(predicted), len(true))


def _instance(p: Pub, rids: dict[tuple[str, str], list[str | None]]) -> datetime | None:
    for unit in p.sources:
        found = rids.get(unit, [])
        if len(found) == 1 and found[0] is not None:
            return _utc(found[0])
    return None


def _expected(p: Pub, c: dict[str, Any], rids: dict[tuple[str, str], list[str | None]]) -> Any:
    rec = c.get("recurrence")
    overrides = (rec or {}).get("overrides", [])
    moved = {_utc(o["recurrence_id"]): _utc(o["start_utc"]) for o in overrides}
    if rec and p.rid is not None:
        rid = _as_utc(p.rid)
        occurrences = {_utc(x) for x in rec.get("occurrences_utc", [])}
        return moved.get(rid, rid) if rid in occurrences else "bad"
    inst = _instance(p, rids)
    if rec and not p.rrule and inst is not None:
        return moved.get(inst, inst)
    if c["start_utc"]:
        return _utc(c["start_utc"])
    return date.fromisoformat(c["start_date"])


def _start_share(pubs: list[Pub], clusters: dict[str, Any],
                 rids: dict[tuple[str, str], list[str | None]]) -> float:
    checked = [p for p in pubs if p.cluster]
    ok = sum(1 for p in checked
             if _as_utc(p.start) == _expected(p, clusters[p.cluster or ""], rids)
             and type(_as_utc(p.start)) is type(_expected(p, clusters[p.cluster or ""], rids)))
    return ok / len(checked) if checked else 0.0


def _cancelled_share(pubs: list[Pub], clusters: dict[str, Any],
                     rids: dict[tuple[str, str], list[str | None]]) -> float:
    by_cluster: dict[str, list[Pub]] = defaultdict(list)
    for p in pubs:
        if p.cluster:
            by_cluster[p.cluster].append(p)
    total = handled = 0
    for cid, c in clusters.items():
        if c["cancelled"]:
            total += 1
            mains = [p for p in by_cluster[cid] if p.rid is None]
            handled += bool(mains) and all(p.cancelled for p in mains)
        for o in (c.get("recurrence") or {}).get("overrides", []):
            if o["cancelled"]:
                total += 1
                rid = _utc(o["recurrence_id"])
                handled += any(p.cancelled and (_as_utc(p.rid) == rid or (
                    p.rid is None and not p.rrule and _instance(p, rids) == rid))
                    for p in by_cluster[cid])
    return handled / total if total else 1.0
