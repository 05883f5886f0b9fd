"""Text folded for comparison: case, accents, ligatures, HTML entities and punctuation
ignored.  One folding for intake (places), matching (titles) and the web search filter, so
``numerique`` finds ``numérique`` exactly when matching would call them one word.  Pure."""

from __future__ import annotations

import functools
import html
import re
import unicodedata

FOLD_CACHE_SIZE = 1 << 16
"""Folded texts kept in memory: dedupe and link fold the same titles and descriptions
several times each (about five per event)."""


@functools.lru_cache(maxsize=FOLD_CACHE_SIZE)
def fold(text: str) -> str:
    """Case-, accent- and entity-insensitive form with punctuation turned into spaces."""
    text = html.unescape(html.unescape(text))
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"[’'`´]", " ", text)
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())
