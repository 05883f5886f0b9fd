"""A real ``event-bridge serve`` subprocess on a free loopback port, over a SQLite file filled
by a real ``sync --once`` of the sister-cities feeds (plus one hostile feed for escaping)."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import SISTER, run_cli

HOSTILE_SUMMARY = "<script>alert('x')</script> Hack & <b>Tell</b>"
HOSTILE_FEED = f"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//test//hostile//EN\r
BEGIN:VEVENT\r
UID:hostile-1@test\r
DTSTAMP:20260101T000000Z\r
DTSTART;TZID=Europe/Paris:20260610T190000\r
DTEND;TZID=Europe/Paris:20260610T210000\r
SUMMARY:{HOSTILE_SUMMARY}\r
LOCATION:<img src=x onerror=alert(1)>\r
END:VEVENT\r
END:VCALENDAR\r
"""


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def request(port: int, path: str, method: str = "GET",
            headers: dict[str, str] | None = None) -> Reply:
    """One raw HTTP/1.1 exchange (no automatic decompression, unlike httpx)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        body = resp.read()
        return Reply(resp.status, {k.lower(): v for k, v in resp.getheaders()}, body)
    finally:
        conn.close()


def write_config(folder: Path, extra: str = "", hostile: bool = True) -> Path:
    """The sister-cities config copied into ``folder`` with a SQLite database beside it."""
    shutil.copytree(SISTER / "feeds", folder / "feeds", dirs_exist_ok=True)
    text = (SISTER / "feeds.toml").read_text()
    if hostile:
        (folder / "feeds" / "hostile.ics").write_text(HOSTILE_FEED, newline="")
        text += '\n[[feeds]]\nid = "hostile"\ncity = "paris"\nurl = "feeds/hostile.ics"\n'
    config = folder / "bridge.toml"
    config.write_text('[database]\nurl = "sqlite:///bridge.db"\n' + extra + "\n" + text)
    return config


def sync(config: Path) -> None:
    done = run_cli("sync", "--once", config=config)
    assert done.returncode in (0, 1), done.stderr + done.stdout


class Serve:
    """``event-bridge serve`` as a subprocess; ``stop`` ends it (only this process)."""

    def __init__(self, config: Path, *options: str) -> None:
        self.port = free_port()
        log = config.parent / f"serve-{self.port}.log"
        self._log = log.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "event_bridge", "--config", str(config), "serve",
             "--host", "127.0.0.1", "--port", str(self.port), *options],
            stdout=self._log, stderr=subprocess.STDOUT, env={**os.environ})
        self.log_path = log
        self._wait_ready()

    def _wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("serve exited: " + self.log_path.read_text())
            try:
                request(self.port, "/healthz")
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("serve did not start: " + self.log_path.read_text())

    def get(self, path: str, method: str = "GET", **headers: str) -> Reply:
        return request(self.port, path, method, {k.replace("_", "-"): v
                                                 for k, v in headers.items()})

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._log.close()


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--no-first-run")
"""The machine's Chromium and the flags it needs here (no sandbox as root, no network)."""

needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="chromium is not installed (Debian package `chromium`; .ci/run installs it)")


def synced_server(folder: Path) -> Serve:
    """``serve`` on a fresh sync of the sister-cities config (plus the hostile feed)."""
    config = write_config(folder)
    sync(config)
    return Serve(config)
