"""The HTTP session every fetch shares, and the per-fetch deadline its retries obey.

``new_session`` mounts one urllib3 ``Retry`` policy (:class:`BoundedRetry`): exponential
backoff on connection errors and :data:`RETRY_STATUSES`, Retry-After honoured (RFC 9110
§10.2.3) but capped at ``[fetch] max_retry_after`` and at the deadline of the fetch running
in this thread (:data:`DEADLINE`, set by ``fetch.HttpFetcher``).  ``body_chunks`` reads a
streamed body piece by piece so the size cap and the deadline are checked between pieces.
"""

from __future__ import annotations

import contextlib
import contextvars
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.util.retry import Retry

from event_bridge import __version__
from event_bridge.clock import Clock
from event_bridge.config.settings import FetchSettings

USER_AGENT = f"event-bridge/{__version__} (+https://github.com/event-bridge/event-bridge)"
ACCEPT = "text/calendar, */*;q=0.5"
MAX_REDIRECTS = 10
"""Redirects followed per fetch (requests' own default, 30, is generous for a feed)."""
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
"""Answers worth retrying: rate-limited or a server/gateway failure (RFC 9110 §15.6)."""
CHUNK_BYTES = 64 * 1024
"""Largest piece read at once; the size cap and deadline are checked after every piece."""


@dataclass
class Deadline:
    """The end of one fetch on ``clock.monotonic``: retries, sleeps and reads stop there.

    Checks between reads cannot stop a read that blocks (a server dripping its headers one
    byte a second never lets ``read_timeout`` expire), so :meth:`watchdog` also enforces the
    deadline from outside: a timer that shuts down every socket the fetch opened, which
    wakes the blocked read with an error."""

    clock: Clock
    end: float
    expired: bool = False
    last_status: int = 0  # the last HTTP status a retry was made for, for the message
    sockets: list[socket.socket] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def remaining(self) -> float:
        return 0.0 if self.expired else self.end - self.clock.monotonic()

    def watch(self, sock: socket.socket) -> None:
        """Shut ``sock`` down when the deadline passes (at once if it has)."""
        with self.lock:
            self.sockets.append(sock)
            if self.expired:
                _shut(sock)

    def expire(self) -> None:
        with self.lock:
            self.expired = True
            for sock in self.sockets:
                _shut(sock)

    def watchdog(self, seconds: float) -> threading.Timer:
        """A started timer that calls :meth:`expire` after ``seconds`` (cancel it after)."""
        timer = threading.Timer(max(seconds, 0.0), self.expire)
        timer.daemon = True
        timer.start()
        return timer


def _shut(sock: socket.socket) -> None:
    # already closed, or detached into a TLS socket that is watched as well
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class _WatchedHTTPConnection(HTTPConnection):
    """A connection whose sockets the running fetch's :class:`Deadline` can shut down."""

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _watch(sock)
        return sock


class _WatchedHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _watch(sock)
        return sock

    def connect(self) -> None:
        super().connect()
        if self.sock is not None:
            _watch(self.sock)  # the TLS socket took over the raw one's descriptor


def _watch(sock: socket.socket) -> None:
    deadline = DEADLINE.get()
    if deadline is not None:
        deadline.watch(sock)


class _WatchedPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection

    def _get_conn(self, timeout: float | None = None) -> Any:
        conn = super()._get_conn(timeout)
        sock = getattr(conn, "sock", None)
        if sock is not None:  # a kept-alive connection: the new fetch watches it too
            _watch(sock)
        return conn


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection

    def _get_conn(self, timeout: float | None = None) -> Any:
        conn = super()._get_conn(timeout)
        sock = getattr(conn, "sock", None)
        if sock is not None:
            _watch(sock)
        return conn


class _WatchedAdapter(HTTPAdapter):
    """Requests' adapter, with connections the fetch deadline can shut down."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _WatchedPool,
                                                   "https": _WatchedHTTPSPool}


# The deadline of the fetch running in this thread: urllib3 copies ``Retry`` objects on every
# attempt and shares the adapter's between threads, so per-fetch state cannot live on them.
DEADLINE: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar(
    "event_bridge_fetch_deadline", default=None)


class BoundedRetry(Retry):
    """``Retry`` whose sleeps stop at ``max_retry_after`` and at the fetch deadline.

    urllib3 would otherwise sleep as long as a Retry-After header asks (an hour, say).
    """

    max_retry_after: float = 30.0

    def new(self, **kw: Any) -> BoundedRetry:
        fresh = super().new(**kw)
        fresh.max_retry_after = self.max_retry_after
        return fresh

    def get_retry_after(self, response: Any) -> float | None:
        seconds = super().get_retry_after(response)
        return None if seconds is None else _within_deadline(min(seconds, self.max_retry_after))

    def get_backoff_time(self) -> float:
        return _within_deadline(super().get_backoff_time())

    def increment(self, *args: Any, **kw: Any) -> BoundedRetry:
        response = kw.get("response")
        deadline = DEADLINE.get()
        if deadline is not None and response is not None:
            deadline.last_status = response.status
        return super().increment(*args, **kw)

    def is_exhausted(self) -> bool:
        deadline = DEADLINE.get()
        return super().is_exhausted() or (deadline is not None and deadline.remaining() <= 0)


def _within_deadline(seconds: float) -> float:
    deadline = DEADLINE.get()
    return seconds if deadline is None else max(0.0, min(seconds, deadline.remaining()))


def new_session(settings: FetchSettings) -> requests.Session:
    """One session for every feed: retry policy, redirect limit, identifying headers."""
    retry = BoundedRetry(
        total=settings.retries, backoff_factor=settings.backoff_factor,
        status_forcelist=sorted(RETRY_STATUSES), allowed_methods=frozenset({"GET"}),
        respect_retry_after_header=True, raise_on_status=False)
    retry.max_retry_after = settings.max_retry_after
    adapter = _WatchedAdapter(max_retries=retry, pool_maxsize=max(settings.parallel, 1))
    session = requests.Session()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.max_redirects = MAX_REDIRECTS
    session.headers.update({"User-Agent": USER_AGENT, "Accept": ACCEPT,
                            "Accept-Encoding": "gzip"})
    return session


def body_chunks(raw: Any) -> Iterator[bytes]:
    """Decoded pieces as they arrive: ``read1`` returns after one socket read, so a server
    that trickles bytes cannot hold a read past the deadline (urllib3 < 2.3 lacks it)."""
    if not hasattr(raw, "read1"):
        yield from raw.stream(CHUNK_BYTES, decode_content=True)
        return
    while chunk := raw.read1(CHUNK_BYTES, decode_content=True):
        yield chunk
