"""Issue 3, acceptance 1 and 2: golden files, one input .ics per behaviour, run through the
whole pipeline (file fetch, parse, normalise, dedupe, revise, render) on the in-memory store
with a fixed clock.  Each input also runs with its components in reversed order and must
give the same bytes.

Inputs: ``tests/data/normalise/*.ics`` (time-zone and recurrence cases) and
``tests/data/golden/in/*.ics``; expected outputs in ``tests/data/golden/out/``.
Regenerate after a deliberate change with ``UPDATE_GOLDEN=1 pytest tests/test_golden.py``
and review the diff.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import DATA
from event_bridge.clock import FixedClock
from event_bridge.config import reader as config
from event_bridge.fetch.http import HttpFetcher
from event_bridge.store.memory import MemoryRepository
from event_bridge.sync import pipeline

INPUTS = sorted([*(DATA / "normalise").glob("*.ics"), *(DATA / "golden/in").glob("*.ics")])
OUT = DATA / "golden" / "out"
NOW = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)
COMPONENT = re.compile(rb"BEGIN:(VEVENT|VTIMEZONE)\r?\n.*?END:\1\r?\n", re.S)


def reverse_components(body: bytes) -> bytes:
    """The same calendar with its VEVENT/VTIMEZONE components in reversed order."""
    blocks = [m.group(0) for m in COMPONENT.finditer(body)]
    if len(blocks) < 2:
        return body
    first = body.index(blocks[0])
    last = body.index(blocks[-1]) + len(blocks[-1])
    return body[:first] + b"".join(reversed(blocks)) + body[last:]


def publish(source: bytes, folder: Path) -> bytes:
    (folder / "feed.ics").write_bytes(source)
    (folder / "bridge.toml").write_text(
        '[cities.paris]\nname = "Paris"\ntimezone = "Europe/Paris"\n'
        '[cities.san-francisco]\nname = "San Francisco"\ntimezone = "America/Los_Angeles"\n'
        '[publish]\nfuture_days = 1000\n'
        '[[feeds]]\nid = "feed"\ncity = "paris"\nurl = "feed.ics"\n')
    settings = config.load(folder / "bridge.toml")
    repo = MemoryRepository()
    clock = FixedClock(NOW)
    with HttpFetcher(settings.fetch, settings.base_dir, clock) as fetcher:
        pipeline.run_once(settings, fetcher, repo, clock)
    snap = repo.snapshot("calendar")
    assert snap is not None
    return snap.body


@pytest.mark.parametrize("source", INPUTS, ids=lambda p: p.stem)
@pytest.mark.parametrize("order", ["as-written", "reversed"])
def test_golden(source: Path, order: str, tmp_path: Path) -> None:
    body = source.read_bytes()
    if order == "reversed":
        body = reverse_components(body)
    got = publish(body, tmp_path)
    expected = OUT / source.name
    if os.environ.get("UPDATE_GOLDEN") and order == "as-written":
        expected.write_bytes(got)
    assert expected.exists(), f"no golden file: run UPDATE_GOLDEN=1 pytest {__file__}"
    assert got == expected.read_bytes()


def test_reverse_really_reverses() -> None:
    body = (DATA / "golden/in/recurrence-bomb.ics").read_bytes()
    assert reverse_components(body) != body
    assert reverse_components(reverse_components(body)) == body
