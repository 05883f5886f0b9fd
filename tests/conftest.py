from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from feedserver import FeedServer

DATA = Path(__file__).parent / "data"
SISTER = DATA / "sister-cities"


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
