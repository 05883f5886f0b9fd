#!/usr/bin/env python3
"""Fit the matcher's evidence model (``src/event_bridge/matching/weights.py``) on labelled
datasets, offline.  Run by hand after a change to the features or the training data:

    python scripts/fit_matching.py tests/data/sister-cities tests/data/variants/* \
        tests/data/blind/blind-health-2027 tests/data/blind/blind-culture-2026 --write

Each dataset is a folder with ``feeds.toml``, ``feeds/`` and ``truth.json``.  Its feeds go
through the real intake (parse, normalise); the candidate pairs are those the matcher itself
scores (same city, starts within the tolerance: plain events, a plain event against a series
occurrence, two series at a shared occurrence), labelled by the truth (same cluster or not).
A logistic regression with an L2 penalty (Newton's method, numpy) is fitted twice: on the
word-level features, and with the semantic feature when the ``semantic`` extra is installed.
``--write`` rewrites the FITTED block of weights.py, naming the datasets and pair counts.
Never fit on a dataset kept out for an honest measure (blind-mobility-energy-2027).
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from event_bridge.config.reader import load
from event_bridge.config.settings import Settings
from event_bridge.intake.normalise import normalise
from event_bridge.intake.parse import parse_calendar
from event_bridge.intake.place import city_terms
from event_bridge.matching import link as link_mod
from event_bridge.matching import semantic as semantic_mod
from event_bridge.matching.dedupe import dedupe, latest_revisions
from event_bridge.matching.evidence import (
    Corpus,
    Unit,
    build_units,
    candidate_pairs,
    corpus,
    features,
    probes,
    slot,
)
from event_bridge.matching.weights import FEATURES, LINK_FEATURES
from event_bridge.model import Event, SourceEvent
from event_bridge.recurrence.series import occurrences

ROOT = Path(__file__).resolve().parents[1]
WEIGHTS = ROOT / "src" / "event_bridge" / "matching" / "weights.py"
L2 = 1.0
Rows = list[dict[str, float]]


def truth_of(dataset: Path) -> tuple[dict[tuple[str, str], str], set[frozenset[str]]]:
    """Source ``(feed, UID)`` → truth cluster, and the linked cluster pairs."""
    truth = json.loads((dataset / "truth.json").read_text(encoding="utf-8"))
    clusters: dict[tuple[str, str], str] = {}
    for cluster in truth["clusters"]:
        for feed, uid, _rid in cluster["members"]:
            clusters.setdefault((feed, uid), cluster["id"])
    return clusters, {frozenset((a, b)) for a, b, *_ in truth["links"]}


def read(dataset: Path) -> tuple[Settings, list[SourceEvent]]:
    """The dataset's settings and its feeds through the real intake."""
    text = (dataset / "feeds.toml").read_text(encoding="utf-8")
    text = text.replace('url = "feeds/', f'url = "{dataset.resolve()}/feeds/')
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "feeds.toml"
        path.write_text(text, encoding="utf-8")
        settings = load(path)
    events: list[SourceEvent] = []
    for feed in settings.feeds:
        body = Path(feed.url).read_bytes()
        found, _ = normalise(parse_calendar(body, feed.id), feed, settings.cities)
        events.extend(found)
    return settings, events


def merge_pairs(units: list[Unit], c: Corpus) -> list[tuple[Unit, Unit, dict[str, float]]]:
    """The pairs the matcher scores: plain events, a plain event against a series
    occurrence."""
    series = [u for u in units if u.recurring]
    plain = [u for u in units if not u.recurring]
    out = []
    for u, v in candidate_pairs(plain):
        found = features(u, v, c)
        if found is not None:
            out.append((u, v, found))
    index = defaultdict(list)
    for s in series:
        for o in occurrences(s.head, s.overrides):
            index[(s.city, slot(o.start, s.zone))].append((s, o))
    for p in plain:
        seen = set()
        for probe in probes(p.start, p.zone):
            for s, o in index.get((p.city, probe), []):
                if s.feed_id == p.feed_id or (s.key, o.rid) in seen:
                    continue
                seen.add((s.key, o.rid))
                found = features(p, s, c, p.start, o.start)
                if found is not None:
                    out.append((p, s, found))
    return out


def merge_rows(dataset: Path, similarity: semantic_mod.Similarity | None
               ) -> tuple[Rows, list[float]]:
    clusters, _ = truth_of(dataset)
    settings, events = read(dataset)
    feeds = {f.id: f for f in settings.feeds}
    units = build_units(latest_revisions(events), feeds, settings.cities)
    rows, labels = [], []
    for u, v, found in merge_pairs(units, corpus(units, similarity)):
        a, b = clusters.get((u.feed_id, u.key.uid)), clusters.get((v.feed_id, v.key.uid))
        rows.append(found)
        labels.append(1.0 if a is not None and a == b else 0.0)
    return rows, labels


def _cluster_of(event: Event, clusters: dict[tuple[str, str], str]) -> str | None:
    votes = Counter(clusters.get((k.feed_id, k.uid)) for k in event.sources)
    return votes.most_common(1)[0][0] if votes else None


def link_rows(dataset: Path, similarity: semantic_mod.Similarity | None
              ) -> tuple[Rows, list[float]]:
    """Candidate link pairs of the dataset's published events, labelled by its links."""
    clusters, linked = truth_of(dataset)
    settings, events = read(dataset)
    feeds = {f.id: f for f in settings.feeds}
    published = dedupe(events, feeds, cities=settings.cities, semantic=similarity)
    terms = city_terms(settings.cities)
    by_key = {s.key: s for s in events}
    sides = [link_mod._side(e, terms, by_key) for e in published if not e.recurrence_id]
    weights = link_mod._weights(sides)
    rows, labels = [], []
    for a, b in link_mod._candidates(sides):
        pair = frozenset((_cluster_of(a.event, clusters), _cluster_of(b.event, clusters)))
        rows.append(link_mod.features(a, b, weights, similarity))
        labels.append(1.0 if pair in linked else 0.0)
    return rows, labels


def fit(x: np.ndarray, y: np.ndarray, balanced: bool = False) -> np.ndarray:
    """Logistic regression with an L2 penalty on the weights (not the intercept).
    ``balanced`` weighs each class by the inverse of its share (links are rare among the
    candidate pairs: unweighted, the fit buys precision the one-link-each rule already
    gives with recall)."""
    x1 = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(x1.shape[1])
    penalty = np.full(x1.shape[1], L2)
    penalty[0] = 0.0
    share = y.mean() if balanced else 0.5
    s = np.where(y == 1, 0.5 / share, 0.5 / (1 - share))
    for _ in range(50):
        p = 1 / (1 + np.exp(-x1 @ w))
        grad = x1.T @ (s * (p - y)) + penalty * w
        hess = (x1.T * (s * p * (1 - p))) @ x1 + np.diag(penalty) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def block(name: str, names: list[str], w: np.ndarray) -> str:
    lines, line = [], "   "
    for n, v in zip(names, w[1:], strict=True):
        item = f' "{n}": {v:.3f},'
        if len(line) + len(item) > 92:
            lines.append(line)
            line = "   "
        line += item
    lines.append(line.rstrip(","))
    body = "\n".join(lines)
    return f"{name} = Model(intercept={w[0]:.3f}, weights={{\n{body}}})"


def fitted(kind: str, names_all: tuple[str, ...], rows: Rows, y: np.ndarray,
           with_semantic: bool) -> str:
    word, sem = ("LINK_WORD_MODEL", "LINK_SEMANTIC_MODEL") if kind == "links" else (
        "WORD_MODEL", "SEMANTIC_MODEL")
    name = sem if with_semantic else word
    names = [f for f in names_all if with_semantic or f != "semantic"]
    x = np.array([[r.get(f, 0.0) for f in names] for r in rows])
    w = fit(x, y, balanced=kind == "links")
    p = 1 / (1 + np.exp(-(w[0] + x @ w[1:])))
    tp = int(((p >= 0.5) & (y == 1)).sum())
    fp = int(((p >= 0.5) & (y == 0)).sum())
    fn = int(((p < 0.5) & (y == 1)).sum())
    print(f"{name}: pairs {len(y)}, precision {tp / max(tp + fp, 1):.3f}, "
          f"recall {tp / max(tp + fn, 1):.3f}")
    for cut in (0.5, 0.6, 0.7, 0.8, 0.9, 0.95):
        tp = int(((p >= cut) & (y == 1)).sum())
        fp = int(((p >= cut) & (y == 0)).sum())
        print(f"  at {cut}: precision {tp / max(tp + fp, 1):.3f}, recall {tp / y.sum():.3f}")
    return block(name, names, w)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("datasets", nargs="+", type=Path)
    parser.add_argument("--links", action="store_true", help="fit the link model")
    parser.add_argument("--write", action="store_true", help="rewrite weights.py")
    parser.add_argument("--no-semantic", action="store_true",
                        help="fit the word model only (faster)")
    args = parser.parse_args()
    similarity = semantic_mod.load(not args.no_semantic)
    kind = "links" if args.links else "merge"
    make = link_rows if args.links else merge_rows
    rows: Rows = []
    labels: list[float] = []
    counts = []
    for dataset in args.datasets:
        found, marks = make(dataset, similarity)
        rows += found
        labels += marks
        counts.append(f"{dataset.name} ({len(found)} pairs, {int(sum(marks))} positive)")
        print(counts[-1])
    y = np.array(labels)
    names = LINK_FEATURES if args.links else FEATURES
    models = [fitted(kind, names, rows, y, False)]
    if similarity is None:
        print("semantic extra absent: the semantic model is the word model")
        models.append("LINK_SEMANTIC_MODEL = LINK_WORD_MODEL" if args.links
                       else "SEMANTIC_MODEL = WORD_MODEL")
    else:
        models.append(fitted(kind, names, rows, y, True))
    print("\n".join(models))
    if args.write:
        tag = "LINK FITTED" if args.links else "FITTED"
        text = WEIGHTS.read_text(encoding="utf-8")
        provenance = "\n".join(f"#   {c}" for c in counts)
        block_text = (f"# BEGIN {tag} (scripts/fit_matching.py{' --links' if args.links else ''}"
                      f" rewrites this block)\n# Fitted (L2 {L2}) on:\n{provenance}\n"
                      + "\n".join(models) + f"\n# END {tag}")
        text = re.sub(rf"# BEGIN {tag} .*?# END {tag}", lambda _m: block_text, text,
                      flags=re.S)
        WEIGHTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
