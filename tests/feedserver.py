"""A real HTTP server on 127.0.0.1 serving .ics files like a well-behaved calendar host:
strong ETags, Last-Modified, 304 on conditional requests.  Tests can make a path fail
(status, HTML body, truncated body) and read the request log."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@dataclass
class Override:
    status: int = 200
    body: bytes | None = None
    content_type: str = "text/calendar; charset=utf-8"


@dataclass
class FeedServer:
    root: Path
    overrides: dict[str, Override] = field(default_factory=dict)
    log: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    last_modified: float = 1_780_000_000.0

    def start(self) -> FeedServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.log.append((self.path, dict(self.headers.items())))
                server.answer(self)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, name: str) -> str:
        return f"{self.base}/{name}"

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        name = handler.path.lstrip("/").split("?")[0]
        over = self.overrides.get(name)
        if over is not None and (over.status != 200 or over.body is not None):
            self._send(handler, over.status, over.body or b"", over.content_type, {})
            return
        path = self.root / name
        if not path.is_file():
            self._send(handler, 404, b"not found", "text/plain", {})
            return
        body = path.read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        headers = {"ETag": etag, "Last-Modified": formatdate(self.last_modified, usegmt=True)}
        if handler.headers.get("If-None-Match") == etag:
            self._send(handler, 304, b"", "", headers)
            return
        self._send(handler, 200, body, "text/calendar; charset=utf-8", headers)

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str,
              headers: dict[str, str]) -> None:
        handler.send_response(status)
        if ctype:
            handler.send_header("Content-Type", ctype)
        for key, value in headers.items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if status != 304:
            handler.wfile.write(body)
