"""The variant datasets (``tests/data/variants``) are exactly what ``make_variants.py``
writes; ``test_scorer.py`` scores them with the same bars as sister-cities."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import DATA

VARIANTS = DATA / "variants"
NAMES = sorted(p.name for p in VARIANTS.iterdir() if (p / "truth.json").is_file())


def test_there_are_variants() -> None:
    assert len(NAMES) >= 2


def test_the_generator_reproduces_the_committed_data(tmp_path: Path) -> None:
    """The committed variants are exactly what make_variants.py writes (no hand edits)."""
    done = subprocess.run([sys.executable, str(VARIANTS / "make_variants.py"), str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert [p.parts[0] for p in written if len(p.parts) == 2 and p.name == "truth.json"] \
        == NAMES
    changed = [str(p) for p in written if (tmp_path / p).read_bytes()
               != (VARIANTS / p).read_bytes()]
    assert changed == []
