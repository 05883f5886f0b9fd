"""A loopback server that misbehaves on purpose (issue 10's fault-injection suite).

Raw sockets, not ``http.server``: most faults are below what a well-formed HTTP library
lets one write (a header dripped one byte a second, a reason phrase with terminal escapes,
a Location no URL parser accepts).  ``modes`` maps a path to a :data:`FAULTS` name or to
``"good"`` (serve ``good[path]``); every connection is handled on its own daemon thread and
stops when the server stops.
"""

from __future__ import annotations

import functools
import gzip
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

HEAD_OK = b"HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nConnection: close\r\n"


def ics(uid: str, summary: str, extra: str = "", start: str = "20260601T180000Z") -> bytes:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//hostile//EN\r\nBEGIN:VEVENT\r\n"
            f"UID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:{start}\r\n"
            f"DTEND:20260601T200000Z\r\nSUMMARY:{summary}\r\n{extra}END:VEVENT\r\n"
            "END:VCALENDAR\r\n").encode()


def _answer(body: bytes, head: bytes = HEAD_OK) -> bytes:
    return head + b"Content-Length: %d\r\n\r\n" % len(body) + body


@dataclass
class HostileServer:
    modes: dict[str, str] = field(default_factory=dict)
    good: dict[str, bytes] = field(default_factory=dict)
    stopping: threading.Event = field(default_factory=threading.Event)

    def start(self) -> HostileServer:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.sock.close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/{path}"

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            try:
                request = b""
                while b"\r\n\r\n" not in request and len(request) < 65536:
                    piece = conn.recv(4096)
                    if not piece:
                        return
                    request += piece
                path = request.split(b" ", 2)[1].decode().lstrip("/").split("?")[0]
                mode = self.modes.get(path, "good" if path in self.good else "redirect-loop")
                if mode == "good":
                    conn.sendall(_answer(self.good[path]))
                else:
                    FAULTS[mode](self, conn)
            except OSError:
                return

    def drip(self, conn: socket.socket, data: bytes, pause: float = 1.0) -> None:
        for byte in data:
            if self.stopping.is_set():
                return
            conn.sendall(bytes([byte]))
            time.sleep(pause)

    def hang(self) -> None:
        self.stopping.wait(600)


@functools.cache
def _bomb() -> bytes:
    """100 MiB that gzip makes about 100 KiB."""
    return gzip.compress(b"BEGIN:VCALENDAR\r\n" + b"X" * (100 * 1024 * 1024), 9)


def _gzip_bomb(server: HostileServer, conn: socket.socket) -> None:
    conn.sendall(_answer(_bomb(), HEAD_OK + b"Content-Encoding: gzip\r\n"))


def _huge(server: HostileServer, conn: socket.socket) -> None:
    conn.sendall(HEAD_OK + b"\r\nBEGIN:VCALENDAR\r\n")
    chunk = b"X-FILL:" + b"x" * 65000 + b"\r\n"
    while not server.stopping.is_set():
        conn.sendall(chunk)


FAULTS: dict[str, Callable[[HostileServer, socket.socket], None]] = {
    "header-drip": lambda s, c: s.drip(c, HEAD_OK + b"X-Slow: " + b"a" * 1000),
    "body-drip": lambda s, c: (c.sendall(HEAD_OK + b"Content-Length: 100000\r\n\r\n"),
                               s.drip(c, b"BEGIN:VCALENDAR\r\n" * 1000, 0.5)),
    "hang": lambda s, c: s.hang(),
    "close": lambda s, c: None,
    "garbage": lambda s, c: c.sendall(b"\x00\xff\x1b[2J not http at all\r\n\r\n"),
    "status-500": lambda s, c: c.sendall(_answer(b"oops", b"HTTP/1.1 500 Boom\r\n")),
    "reason-escape": lambda s, c: c.sendall(
        _answer(b"no", b"HTTP/1.1 404 \x1b[31mred\x1b]8;;http://x\x07[link=x]y[/x]\r\n")),
    "html": lambda s, c: c.sendall(_answer(b"<html><body>login</body></html>",
                                           b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")),
    "empty": lambda s, c: c.sendall(_answer(b"")),
    "truncated": lambda s, c: c.sendall(HEAD_OK + b"Content-Length: 5000\r\n\r\nBEGIN:VCAL"),
    "bad-location": lambda s, c: c.sendall(
        _answer(b"", b"HTTP/1.1 301 Moved\r\nLocation: http://[oops\r\n")),
    "retry-after-99999": lambda s, c: c.sendall(
        _answer(b"", b"HTTP/1.1 503 Busy\r\nRetry-After: Fri, 31 Dec 99999 23:59:59 GMT\r\n")),
    "redirect-loop": lambda s, c: c.sendall(
        _answer(b"", b"HTTP/1.1 302 Found\r\nLocation: /loop\r\n")),
    "file-redirect": lambda s, c: c.sendall(
        _answer(b"", b"HTTP/1.1 302 Found\r\nLocation: file:///etc/passwd\r\n")),
    "gzip-bomb": _gzip_bomb,
    "huge": _huge,
    "nul-summary": lambda s, c: c.sendall(_answer(ics("t-1", "Nul\x00here"))),
    "year-999": lambda s, c: c.sendall(_answer(ics("t-1", "Old", start="09990101T000000Z"))),
    "injection": lambda s, c: c.sendall(_answer(ics("t-1", "Talk", extra=(
        'ORGANIZER;CN="a^nEND:VEVENT^nBEGIN:VEVENT^nUID:owned^nSUMMARY:evil^n'
        + "x" * 300 + '":mailto:a@example.org\r\n')))),
    "markup": lambda s, c: c.sendall(_answer(ics(
        "t-1", "\x1b[31m[link=http://evil]click[/link] [/x] \x1b[2J"))),
}
