"""Issue 13, acceptance 3: the shared ``check_feed`` tool (real calendar clients: ical.js,
libical, icalendar, vobject, node-ical) passes on a parametrised sample of the filtered feed
URLs the page's builder composes (city path × category, q, cancelled=hide, from=today), plus
dated ``from=`` forms.  Skipped where the tool is not beside the checkout (``shared/`` next
to the repository, or ``$EVENT_BRIDGE_CHECK_FEED``) or node is missing.

ics-py is left out: it keeps one VEVENT per UID, so a series with RECURRENCE-ID overrides
loses its master in it, filtered or not (the tool's README lists the limitation)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from live_server import Serve, sync, write_config

ROOT = Path(__file__).resolve().parents[1]
TOOL = Path(os.environ.get("EVENT_BRIDGE_CHECK_FEED")
            or ROOT.parent / "shared" / "tools" / "check-feed" / "check_feed")
CLIENTS = "ical.js,libical,icalendar,vobject,node-ical"

pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    not TOOL.is_file() or shutil.which("node") is None,
    reason="check_feed (shared/tools/check-feed) or node is not available here")]

SAMPLE = [
    "/calendar.ics", "/cities/paris.ics", "/cities/san-francisco.ics",
    "/calendar.ics?category=Festival", "/calendar.ics?q=numerique",
    "/calendar.ics?cancelled=hide", "/calendar.ics?from=today",
    "/cities/paris.ics?q=s%C5%93urs&cancelled=hide",
    "/cities/san-francisco.ics?category=Meetup&from=today",
    "/cities/paris.ics?category=Festival&q=numerique&cancelled=hide&from=today",
    "/calendar.ics?from=2026-06-15&cancelled=hide",
    "/cities/san-francisco.ics?from=2026-03-20",
    "/linked.ics?q=paris-sf&from=2026-06-01",
]


@pytest.fixture(scope="module")
def checker() -> Path:
    """A private, writable copy of the tool: it installs its clients (a venv, node_modules,
    libical's adapter) beside itself, and the shared folder is never written to.  Kept in
    the temp folder between runs, so the install happens once."""
    home = Path(tempfile.gettempdir()) / "event-bridge-check-feed"
    skip = shutil.ignore_patterns(".venv", "node_modules", ".build", "__pycache__")
    shutil.copytree(TOOL.parent, home, ignore=skip, dirs_exist_ok=True)
    for path in (home, *home.rglob("*")):
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | 0o200)
    return home / TOOL.name


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    config = write_config(tmp_path_factory.mktemp("check-feed"))
    sync(config)
    server = Serve(config)
    yield server
    server.stop()


@pytest.mark.parametrize("path", SAMPLE)
def test_check_feed_passes(checker: Path, live: Serve, path: str) -> None:
    done = subprocess.run(
        [sys.executable, str(checker), live.url + path, "--no-khal", "--clients", CLIENTS],
        capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "VERDICT: PASS" in done.stdout
