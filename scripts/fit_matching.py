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
import re
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np

from event_bridge.config.reader import load
from event_bridge.intake.normalise import normalise
from event_bridge.intake.parse import parse_calendar
from event_bridge.matching import semantic as semantic_mod
from event_bridge.matching.dedupe import latest_revisions
from event_bridge.matching.evidence import (
    Unit,
    build_units,
    candidate_pairs,
    corpus,
    features,
    probes,
    slot,
)
from event_bridge.matching.weights import FEATURES
from event_bridge.recurrence.series import occurrences

ROOT = Path(__file__).resolve().parents[1]
WEIGHTS = ROOT / "src" / "event_bridge" / "matching" / "weights.py"
L2 = 1.0


def truth_of(dataset: Path) -> dict[tuple[str, str], str]:
    import json

    truth = json.loads((dataset / "truth.json").read_text(encoding="utf-8"))
    out = {}
    for cluster in truth["clusters"]:
        for feed, uid, _rid in cluster["members"]:
            out.setdefault((feed, uid), cluster["id"])
    return out


def units_of(dataset: Path, semantic: semantic_mod.Similarity | None):  # noqa: ANN201
    text = (dataset / "feeds.toml").read_text(encoding="utf-8")
    text = text.replace('url = "feeds/', f'url = "{dataset.resolve()}/feeds/')
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "feeds.toml"
        path.write_text(text, encoding="utf-8")
        settings = load(path)
    events = []
    for feed in settings.feeds:
        body = Path(feed.url).read_bytes()
        found, _ = normalise(parse_calendar(body, feed.id), feed, settings.cities)
        events.extend(found)
    feeds = {f.id: f for f in settings.feeds}
    units = build_units(latest_revisions(events), feeds, settings.cities)
    return units, corpus(units, semantic)


def pairs_of(units: list[Unit], c) -> list[tuple[Unit, Unit, dict[str, float]]]:  # noqa: ANN001
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


def fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Logistic regression with an L2 penalty on the weights (not the intercept)."""
    x1 = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(x1.shape[1])
    penalty = np.full(x1.shape[1], L2)
    penalty[0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-x1 @ w))
        grad = x1.T @ (p - y) + penalty * w
        hess = (x1.T * (p * (1 - p))) @ x1 + np.diag(penalty) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def block(name: str, names: list[str], w: np.ndarray) -> str:
    parts = ", ".join(f'"{n}": {v:.3f}' for n, v in zip(names, w[1:], strict=True))
    return f"{name} = Model(intercept={w[0]:.3f}, weights={{{parts}}})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("datasets", nargs="+", type=Path)
    parser.add_argument("--write", action="store_true", help="rewrite weights.py")
    args = parser.parse_args()
    similarity = semantic_mod.load()
    rows, labels, counts = [], [], []
    for dataset in args.datasets:
        truth = truth_of(dataset)
        units, c = units_of(dataset, similarity)
        pairs = pairs_of(units, c)
        for u, v, found in pairs:
            a, b = truth.get((u.feed_id, u.key.uid)), truth.get((v.feed_id, v.key.uid))
            rows.append(found)
            labels.append(1.0 if a is not None and a == b else 0.0)
        positives = sum(labels[-len(pairs):]) if pairs else 0
        counts.append(f"{dataset.name} ({len(pairs)} pairs, {int(positives)} same)")
        print(counts[-1])
    y = np.array(labels)
    models = []
    for name, with_semantic in (("WORD_MODEL", False), ("SEMANTIC_MODEL", True)):
        if with_semantic and similarity is None:
            print("semantic extra absent: SEMANTIC_MODEL = WORD_MODEL")
            models.append("SEMANTIC_MODEL = WORD_MODEL")
            continue
        names = [f for f in FEATURES if with_semantic or f != "semantic"]
        x = np.array([[r.get(f, 0.0) for f in names] for r in rows])
        w = fit(x, y)
        p = 1 / (1 + np.exp(-(w[0] + x @ w[1:])))
        tp = int(((p >= 0.5) & (y == 1)).sum())
        fp = int(((p >= 0.5) & (y == 0)).sum())
        fn = int(((p < 0.5) & (y == 1)).sum())
        print(f"{name}: pairs {len(y)}, precision {tp / max(tp + fp, 1):.3f}, "
              f"recall {tp / max(tp + fn, 1):.3f}")
        models.append(block(name, names, w))
    print("\n".join(models))
    if args.write:
        text = WEIGHTS.read_text(encoding="utf-8")
        fitted = ("# BEGIN FITTED (scripts/fit_matching.py rewrites this block)\n"
                  "# Fitted on: " + "; ".join(counts) + f"; L2 {L2}.\n"
                  + "\n".join(models) + "\n# END FITTED")
        text = re.sub(r"# BEGIN FITTED.*# END FITTED", lambda _m: fitted, text, flags=re.S)
        WEIGHTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
