"""The real program, run on the variant datasets (``tests/data/variants``: other events,
venues, dates and proportions of tricks than sister-cities, written by ``make_variants.py``),
meets the same bars as on sister-cities: the rules must not be tuned to one dataset."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, run_cli
from scoring import Scores, score
from test_scorer import DEDUP_PRECISION, DEDUP_RECALL, LINK_PRECISION, LINK_RECALL

VARIANTS = DATA / "variants"
NAMES = sorted(p.name for p in VARIANTS.iterdir() if (p / "truth.json").is_file())


def _config(dataset: Path, tmp_path: Path) -> Path:
    """The dataset's feeds.toml with absolute feed paths and the database in ``tmp_path``."""
    text = (dataset / "feeds.toml").read_text(encoding="utf-8")
    text = text.replace('url = "feeds/', f'url = "{dataset.resolve()}/feeds/')
    text += f'\n[database]\nurl = "sqlite:///{tmp_path / "bridge.sqlite"}"\n'
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module", params=NAMES)
def scores(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Scores:
    dataset = VARIANTS / request.param
    tmp = tmp_path_factory.mktemp(request.param)
    config = _config(dataset, tmp)
    synced = run_cli("sync", "--once", config=config)
    assert synced.returncode == 0, synced.stdout + synced.stderr
    merged = tmp / "merged.ics"
    exported = run_cli("export", "--output", str(merged), config=config)
    assert exported.returncode == 0, exported.stderr
    return score(merged, dataset)


def test_there_are_variants() -> None:
    assert len(NAMES) >= 2


def test_dedup_meets_the_bars(scores: Scores) -> None:
    assert scores.dedup_precision >= DEDUP_PRECISION
    assert scores.dedup_recall >= DEDUP_RECALL


def test_links_meet_the_bars(scores: Scores) -> None:
    assert scores.link_precision >= LINK_PRECISION
    assert scores.link_recall >= LINK_RECALL


def test_no_source_is_missing(scores: Scores) -> None:
    assert scores.missing == []


def test_every_start_is_right(scores: Scores) -> None:
    assert scores.start_share == 1.0


def test_every_cancellation_is_published(scores: Scores) -> None:
    assert scores.cancelled_share == 1.0


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
