"""Issue 2 acceptance 1: the README's first command on the bundled example config leaves a
merged feed whose events come from every example feed (run as a real subprocess, offline)."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import icalendar

from conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]


def test_example_config_syncs_and_exports_every_feed(tmp_path: Path) -> None:
    shutil.copy(ROOT / "config.example.toml", tmp_path)
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    config = tmp_path / "config.example.toml"
    sync = run_cli("sync", "--once", config=config)
    assert sync.returncode == 0, sync.stdout + sync.stderr
    assert (tmp_path / "event-bridge.db").exists()  # relative to the config file
    export = run_cli("export", "--output", str(tmp_path / "merged.ics"), config=config)
    assert export.returncode == 0, export.stderr
    cal = icalendar.Calendar.from_ical((tmp_path / "merged.ics").read_bytes())
    feeds = {str(p.params["FEED"]) for e in cal.walk("VEVENT")
             for p in _as_list(e.get("X-EVENT-BRIDGE-SOURCE"))}
    configured = {f["id"] for f in tomllib.loads(config.read_text())["feeds"]}
    assert feeds == configured
    assert any("RELATED-TO" in e for e in cal.walk("VEVENT"))  # the keynote ⇄ watch party
    uids = {str(p) for e in cal.walk("VEVENT") for p in _as_list(e.get("X-EVENT-BRIDGE-SOURCE"))}
    assert "fes2027-diner-partenaires@futurenseine.example" not in uids  # CLASS:PRIVATE


def _as_list(value: object) -> list[object]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
