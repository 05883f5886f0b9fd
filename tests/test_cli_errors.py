"""Errors reach the user as clear lines with the documented exit status, never a
traceback (the real program in a subprocess)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def example(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "config.example.toml", tmp_path)
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    return tmp_path / "config.example.toml"


def assert_clean(result, code: int, *needles: str) -> None:  # type: ignore[no-untyped-def]
    text = result.stdout + result.stderr
    assert result.returncode == code, text
    assert "Traceback" not in text
    for needle in needles:
        assert needle in text


def test_missing_config_file(tmp_path: Path) -> None:
    result = run_cli("sync", "--once", config=tmp_path / "nope.toml")
    assert_clean(result, 2, "not found", "config.example.toml")


def test_invalid_config_lists_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[cities.paris]\nname = "P"\ntimezone = "Europe/Pariss"\n'
                   '[[feeds]]\nid = "a"\ncity = "x"\nurl = "ftp://x"\n')
    assert_clean(run_cli("check-config", config=bad), 2,
                 "Europe/Pariss", "'x' is not a key of [cities]", "unsupported scheme")


def test_unknown_city_and_feed(example: Path) -> None:
    assert_clean(run_cli("export", "--output", "-", "--city", "nowhere", config=example), 2,
                 "unknown city 'nowhere'")
    assert_clean(run_cli("sync", "--once", "--feed", "nope", config=example), 2,
                 "no feed with id 'nope'")


def test_export_before_any_sync(example: Path) -> None:
    assert_clean(run_cli("export", "--output", "-", config=example), 1,
                 "nothing published yet", "sync --once")


def test_sync_without_once_is_a_usage_error(example: Path) -> None:
    assert_clean(run_cli("sync", config=example), 2, "--once")
