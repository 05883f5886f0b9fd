"""Real processes and a real feed server for the lock and cluster tests: ``event-bridge run``
and ``sync --once`` subprocesses, a loopback server that records every request (start, end,
path) and can hold chosen feeds inside their fetch, small generated feeds, and exports
compared without their stamps."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SRC = str(Path(__file__).resolve().parents[1] / "src")
T_EPOCH = "2026"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def feed_body(i: int, city_tz: str) -> bytes:
    """A small feed with two events of its own (distinct titles, so no cross-feed merge)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//test//feed {i}//EN"]
    for j in range(2):
        day = 10 + (i % 15)
        lines += ["BEGIN:VEVENT", f"UID:e{j}@feed{i}", "DTSTAMP:20260101T000000Z",
                  f"DTSTART;TZID={city_tz}:{T_EPOCH}07{day:02d}T{9 + j * 3:02d}0000",
                  f"DTEND;TZID={city_tz}:{T_EPOCH}07{day:02d}T{10 + j * 3:02d}0000",
                  f"SUMMARY:Rencontre {i}-{j} ({'matin' if j == 0 else 'soir'})",
                  f"LOCATION:Salle {i}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


@dataclass
class Hit:
    path: str
    start: float
    client_port: int = 0
    end: float = 0.0


@dataclass
class CountingServer:
    """Serves ``bodies`` by path, after ``delay`` seconds; records each request; a path in
    ``hold`` waits (up to ``hold_seconds``) before answering its first request."""

    bodies: dict[str, bytes]
    delay: float = 0.0
    hold: set[str] = field(default_factory=set)
    hold_seconds: float = 120.0
    hits: list[Hit] = field(default_factory=list)
    held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    def start(self) -> CountingServer:
        srv = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                name = self.path.lstrip("/")
                hit = Hit(name, time.monotonic(), self.client_address[1])
                srv.hits.append(hit)
                if name in srv.hold:
                    srv.hold.discard(name)
                    srv.held.set()
                    srv.release.wait(srv.hold_seconds)
                time.sleep(srv.delay)
                body = srv.bodies.get(name)
                try:
                    self.send_response(200 if body is not None else 404)
                    self.send_header("Content-Type", "text/calendar; charset=utf-8")
                    self.send_header("Content-Length", str(len(body or b"")))
                    self.end_headers()
                    self.wfile.write(body or b"")
                except OSError:
                    pass  # the client died while we held it
                hit.end = time.monotonic()

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/{name}"

    def stop(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def starts(self, name: str, since: float = 0.0) -> list[float]:
        return sorted(h.start for h in list(self.hits) if h.path == name and h.start >= since)


def socket_owner(client_port: int, pids: list[int]) -> int | None:
    """Which of ``pids`` holds the loopback TCP socket whose local port is ``client_port``
    (read from /proc: the inode of the connection, then each process's descriptors)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as lines:
            for line in list(lines)[1:]:
                cols = line.split()
                if int(cols[1].rsplit(":", 1)[1], 16) == client_port:
                    inodes.add(f"socket:[{cols[9]}]")
    for pid in pids:
        fd_dir = f"/proc/{pid}/fd"
        for fd in os.listdir(fd_dir):
            try:
                if os.readlink(f"{fd_dir}/{fd}") in inodes:
                    return pid
            except OSError:
                continue
    return None


def write_config(path: Path, db_url: str, feeds: dict[str, str]) -> Path:
    """A config with one feed per entry (id → URL); ids starting with ``sf`` are in San
    Francisco, the others in Paris."""
    lines = ["[database]", f'url = "{db_url}"', "",
             "[cities.paris]", 'name = "Paris"', 'timezone = "Europe/Paris"', "",
             "[cities.san-francisco]", 'name = "San Francisco"',
             'timezone = "America/Los_Angeles"', ""]
    for feed_id, url in feeds.items():
        city = "san-francisco" if feed_id.startswith("sf") else "paris"
        lines += ["[[feeds]]", f'id = "{feed_id}"', f'city = "{city}"', f'url = "{url}"', ""]
    path.write_text("\n".join(lines))
    return path


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": SRC, "COLUMNS": "200"}


class Proc:
    """An ``event-bridge`` subprocess whose output goes to a file (no pipe to fill)."""

    def __init__(self, config: Path, *args: str, name: str = "proc") -> None:
        self.log_path = config.parent / f"{name}.log"
        self.log_file = self.log_path.open("w")
        cmd = [sys.executable, "-m", "event_bridge", "--config", str(config), *args]
        self.proc = subprocess.Popen(cmd, stdout=self.log_file, stderr=subprocess.STDOUT,
                                     env=env())

    @property
    def pid(self) -> int:
        return self.proc.pid

    def log(self) -> str:
        return self.log_path.read_text()

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def terminate(self, timeout: float = 15) -> tuple[int, float]:
        t0 = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise AssertionError(f"no exit after SIGTERM; log:\n{self.log()}") from None
        return code, time.monotonic() - t0

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.log_file.close()


class Member(Proc):
    """``event-bridge run`` on a free port."""

    def __init__(self, config: Path, *args: str, name: str = "member") -> None:
        self.port = free_port()
        super().__init__(config, "run", "--host", "127.0.0.1", "--port", str(self.port),
                         *args, name=name)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def cli(config: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "event_bridge", "--config", str(config), *args],
                          capture_output=True, text=True, timeout=timeout, env=env())


def wait_for(what: str, predicate: Callable[[], object], timeout: float,
             procs: tuple[Proc, ...] = ()) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        for p in procs:
            if p.proc.poll() is not None:
                raise AssertionError(f"{p.log_path.name} exited ({p.proc.returncode}) "
                                     f"before {what}:\n{p.log()}")
        time.sleep(0.2)
    logs = "".join(f"\n--- {p.log_path.name}\n{p.log()[-3000:]}" for p in procs)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}{logs}")


VOLATILE = re.compile(r"^(DTSTAMP|LAST-MODIFIED|REFRESH-INTERVAL|X-PUBLISHED-TTL)[;:]")


def without_stamps(ics: bytes) -> list[str]:
    """The feed's unfolded lines minus stamps and refresh hints."""
    text = ics.decode().replace("\r\n ", "").replace("\r\n\t", "")
    return [line for line in text.split("\r\n") if not VOLATILE.match(line)]


def export(config: Path) -> bytes:
    result = subprocess.run([sys.executable, "-m", "event_bridge", "--config", str(config),
                             "export", "--output", "-"], capture_output=True, timeout=60,
                            env=env())
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout
