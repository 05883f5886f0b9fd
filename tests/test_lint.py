"""ruff and mypy stay clean (the quality bar), checked on every CI run."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("tool", [["ruff", "check", "src", "tests"], ["mypy"]])
def test_clean(tool: list[str]) -> None:
    if shutil.which(tool[0]) is None and tool[0] != "mypy":
        pytest.fail(f"{tool[0]} is not installed: pip install '.[test]'")
    result = subprocess.run([sys.executable, "-m", *tool], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
