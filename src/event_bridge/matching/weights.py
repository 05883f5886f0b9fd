"""The evidence model's weights: a logistic model of "same event" over the features of
:func:`.evidence.features`, fitted offline by ``scripts/fit_matching.py`` on labelled pairs.

``P(same) = 1 / (1 + exp(-(intercept + Σ weight × feature)))``.  A weight is how much one
unit of its feature moves the log-odds; ``events --explain`` prints each contribution.
Two models: :data:`WORD_MODEL` uses word-level evidence only (titles folded, French and
English calendar words mapped together); :data:`SEMANTIC_MODEL` adds the cross-language
similarity of a multilingual embedding model, used when the optional ``semantic`` extra is
installed.  Regenerate both with the script; the data they came from is named below.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Model:
    intercept: float
    weights: dict[str, float]


FEATURES = ("title", "contained", "semantic", "same_start", "minutes_off", "date_only",
            "place", "no_place", "url", "description", "uid", "organizer")
"""What :func:`.evidence.features` measures for a candidate pair (same city, starts within
the tolerance): title similarity and containment (weighted words), semantic similarity
(embeddings), start agreement (equal instant, minutes apart as a share of the tolerance, a
date against a start), location similarity (or none given), and equal URL, description,
UID and organiser."""

# BEGIN FITTED (scripts/fit_matching.py rewrites this block)
# Fitted on: sister-cities (125 pairs, 64 same); ai-autumn-2026 (31 pairs, 16 same); climate-health-2027 (48 pairs, 30 same); blind-mobility (59 pairs, 38 same); blind-health-2027 (293 pairs, 245 same); blind-culture-2026 (243 pairs, 219 same); L2 1.0.
WORD_MODEL = Model(intercept=-4.847, weights={"title": 3.369, "contained": 1.642, "same_start": 1.244, "minutes_off": 0.017, "date_only": -2.014, "place": 3.560, "no_place": 1.329, "url": 0.227, "description": 1.830, "uid": 0.116, "organizer": 0.000})
SEMANTIC_MODEL = Model(intercept=-5.329, weights={"title": 3.013, "contained": 1.557, "semantic": 1.359, "same_start": 1.218, "minutes_off": 0.072, "date_only": -2.027, "place": 3.495, "no_place": 1.279, "url": 0.216, "description": 1.840, "uid": 0.101, "organizer": 0.000})
# END FITTED
