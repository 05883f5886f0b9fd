from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from feedserver import FeedServer

DATA = Path(__file__).parent / "data"
SISTER = DATA / "sister-cities"
SCORES: dict[str, Any] = {}
"""Matching scores of the labelled datasets, filled by test_scorer and printed at the end."""


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The figures of every scored dataset, so every CI run shows them."""
    if not SCORES:
        return
    terminalreporter.section("matching scores (dedup P/R, links P/R, starts, cancelled)")
    for name, s in sorted(SCORES.items()):
        terminalreporter.write_line(
            f"{name:42s} dedup {s.dedup_precision:.3f}/{s.dedup_recall:.3f}  "
            f"links {s.link_precision:.3f}/{s.link_recall:.3f}  start {s.start_share:.3f}  "
            f"cancelled {s.cancelled_share:.2f}  missing {len(s.missing)}")


@pytest.fixture
def feed_server(tmp_path: Path) -> Iterator[FeedServer]:
    root = tmp_path / "served"
    root.mkdir()
    server = FeedServer(root).start()
    yield server
    server.stop()


def run_cli(*args: str, config: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the real ``event-bridge`` program in a subprocess."""
    cmd = [sys.executable, "-m", "event_bridge"]
    if config is not None:
        cmd += ["--config", str(config)]
    full_env = {**os.environ, "COLUMNS": "200", **(env or {})}
    return subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=timeout,
                          env=full_env)
