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


FEATURES = ("title", "contained", "part_of", "semantic", "same_start", "minutes_off",
            "date_only", "place", "no_place", "url", "description", "uid", "organizer")
"""What :func:`.evidence.features` measures for a candidate pair (same city, starts within
the tolerance): title similarity and containment (weighted words), one title inside the
other while the titles differ (a festival and one of its sessions), semantic similarity
(embeddings), start agreement (equal instant, minutes apart as a share of the tolerance, a
date against a start), location similarity (or none given), and equal URL, description,
UID and organiser."""

LINK_FEATURES = ("title", "cross", "relay", "same_moment", "both_refer", "url",
                 "months_apart", "semantic")
"""What :func:`.link.features` measures for two events of different cities sharing a title
word, one of which names the other's city: title overlap, each title found in the other's
text (the weaker of the two), one title found in the other's text at the same moment (a
relay), the same moment, both naming the other's city, the same URL, months apart (capped
at 12), semantic title similarity."""

# BEGIN LINK FITTED (scripts/fit_matching.py --links rewrites this block)
# With the semantic extra the link fit gave semantic a weight of -0.03: the same model.
# Fitted (L2 1.0) on:
#   sister-cities (146 pairs, 8 positive)
#   ai-autumn-2026 (76 pairs, 4 positive)
#   climate-health-2027 (84 pairs, 5 positive)
#   blind-mobility (48 pairs, 5 positive)
#   blind-health-2027 (400 pairs, 10 positive)
#   blind-culture-2026 (367 pairs, 15 positive)
LINK_WORD_MODEL = Model(intercept=-3.279, weights={
    "title": 1.896, "cross": 6.755, "relay": 1.343, "same_moment": 2.068,
    "both_refer": 1.172, "url": 0.046, "months_apart": -0.227})
LINK_SEMANTIC_MODEL = LINK_WORD_MODEL
# END LINK FITTED

# BEGIN FITTED (scripts/fit_matching.py rewrites this block)
# Fitted (L2 1.0) on:
#   sister-cities (125 pairs, 64 positive)
#   ai-autumn-2026 (28 pairs, 17 positive)
#   climate-health-2027 (45 pairs, 31 positive)
#   blind-mobility (59 pairs, 38 positive)
#   blind-health-2027 (293 pairs, 245 positive)
#   blind-culture-2026 (249 pairs, 225 positive)
WORD_MODEL = Model(intercept=-4.479, weights={
    "title": 3.375, "contained": 1.734, "part_of": -0.060, "same_start": 1.305,
    "minutes_off": -0.029, "date_only": -2.023, "place": 3.122, "no_place": 1.119,
    "url": 0.217, "description": 1.829, "uid": 0.099, "organizer": 0.000})
SEMANTIC_MODEL = Model(intercept=-4.965, weights={
    "title": 3.046, "contained": 1.625, "part_of": 0.065, "semantic": 1.299,
    "same_start": 1.274, "minutes_off": 0.030, "date_only": -2.036, "place": 3.073,
    "no_place": 1.083, "url": 0.209, "description": 1.836, "uid": 0.090, "organizer": 0.000})
# END FITTED
