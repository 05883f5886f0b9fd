"""The network edge: one feed URL (or file) → ``FetchResult`` bytes, or a ``FetchError``.

One ``requests.Session`` serves every feed (safe for the pipeline's parallel GETs).  Per fetch:

* URLs: ``http(s)://``; ``webcal://`` is fetched as ``https://`` except on a loopback host
  (``localhost``, ``127.0.0.0/8``, ``::1``), where it is fetched as ``http://`` so a local
  server (and the tests) can serve it; ``webcals://`` is always ``https://``; ``file://`` and
  plain paths (relative to ``base_dir``) are read from disk.
* Conditional GET (RFC 9110 §13.1.1 If-None-Match, §13.1.3 If-Modified-Since) unless
  ``force``; 304 (RFC 9110 §15.4.5) returns ``body=None`` with the validators kept.
* ``(connect_timeout, read_timeout)`` per attempt and an overall ``deadline_seconds``
  covering retries, their sleeps and the streamed read (measured with ``clock.monotonic``).
* Retries with exponential backoff on connection errors, 429 and 5xx (urllib3 ``Retry``),
  honouring Retry-After (RFC 9110 §10.2.3) but never sleeping longer than ``max_retry_after``
  nor past the deadline.
* A streamed size cap (``[fetch] max_bytes``) on the decoded body; Content-Length is checked
  first.
* Credentials come from the environment variable named by the feed's ``auth_env`` and never
  appear in messages.  URLs in messages lose any userinfo and query string (tokens live there).
* The body must be iCalendar (RFC 5545 §3.4: ``BEGIN:VCALENDAR`` … ``END:VCALENDAR``).
"""

from __future__ import annotations

import base64
import contextvars
import hashlib
import ipaddress
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit
from urllib.request import url2pathname

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError, ReadTimeoutError
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.util.retry import Retry

from . import __version__
from .clock import Clock
from .config import FetchSettings
from .errors import FeedTooLarge, FeedUnavailable, NotACalendar
from .model import FeedSource, FeedValidators, FetchResult

USER_AGENT = f"event-bridge/{__version__} (+https://github.com/event-bridge/event-bridge)"
ACCEPT = "text/calendar, */*;q=0.5"
MAX_REDIRECTS = 10
"""Redirects followed per fetch (requests' own default, 30, is generous for a feed)."""
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
"""Answers worth retrying: rate-limited or a server/gateway failure (RFC 9110 §15.6)."""
CHUNK_BYTES = 64 * 1024
"""Largest piece read at once; the size cap and deadline are checked after every piece."""
TAIL_BYTES = 64 * 1024
"""How far from the end ``END:VCALENDAR`` is looked for (trailing junk is tolerated)."""
SNIPPET_CHARS = 40
"""Printable characters quoted from a body that is not a calendar."""
UTF8_BOM = b"\xef\xbb\xbf"
SERVER_HINT = "is the server up? check url in config"
AUTH_HINT = ("set credentials via auth_env (an environment variable holding user:password "
             "or a token)")


class Fetcher(Protocol):
    """The seam the pipeline fetches through; tests may pass any real implementation."""

    def fetch(self, feed: FeedSource, validators: FeedValidators, *,
              force: bool = False) -> FetchResult: ...


@dataclass(frozen=True)
class _Deadline:
    clock: Clock
    end: float

    def remaining(self) -> float:
        return self.end - self.clock.monotonic()


# The deadline of the fetch running in this thread: urllib3 copies ``Retry`` objects on every
# attempt and shares the adapter's between threads, so per-fetch state cannot live on them.
_DEADLINE: contextvars.ContextVar[_Deadline | None] = contextvars.ContextVar(
    "event_bridge_fetch_deadline", default=None)


class _BoundedRetry(Retry):
    """``Retry`` whose sleeps stop at ``max_retry_after`` and at the fetch deadline.

    urllib3 would otherwise sleep as long as a Retry-After header asks (an hour, say).
    """

    max_retry_after: float = 30.0

    def new(self, **kw: Any) -> _BoundedRetry:
        fresh = super().new(**kw)
        fresh.max_retry_after = self.max_retry_after
        return fresh

    def get_retry_after(self, response: Any) -> float | None:
        seconds = super().get_retry_after(response)
        return None if seconds is None else _within_deadline(min(seconds, self.max_retry_after))

    def get_backoff_time(self) -> float:
        return _within_deadline(super().get_backoff_time())

    def is_exhausted(self) -> bool:
        deadline = _DEADLINE.get()
        return super().is_exhausted() or (deadline is not None and deadline.remaining() <= 0)


def _within_deadline(seconds: float) -> float:
    deadline = _DEADLINE.get()
    return seconds if deadline is None else max(0.0, min(seconds, deadline.remaining()))


class HttpFetcher:
    """Fetches feeds over HTTP(S) and from files; see the module docstring for the rules."""

    def __init__(self, settings: FetchSettings, base_dir: Path, clock: Clock,
                 env: Mapping[str, str] | None = None) -> None:
        self.settings = settings
        self.base_dir = base_dir
        self.clock = clock
        self.env: Mapping[str, str] = os.environ if env is None else env
        self.session = _session(settings)

    def __enter__(self) -> HttpFetcher:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self.session.close()

    def fetch(self, feed: FeedSource, validators: FeedValidators, *,
              force: bool = False) -> FetchResult:
        """Fetch ``feed``; raise ``FeedUnavailable``, ``FeedTooLarge`` or ``NotACalendar``."""
        started = self.clock.monotonic()
        target = _resolve(feed, self.base_dir)
        if isinstance(target, Path):
            body = _read_file(feed.id, target, self.settings.max_bytes)
            _check_calendar(feed.id, body, "")
            result = FetchResult(feed.id, body, FeedValidators(body_hash=_sha256(body)),
                                 url=str(target))
        else:
            token = _DEADLINE.set(_Deadline(self.clock, started + self.settings.deadline_seconds))
            try:
                result = self._fetch_http(feed, target, validators, force)
            finally:
                _DEADLINE.reset(token)
        return replace(result, elapsed=self.clock.monotonic() - started)

    def _fetch_http(self, feed: FeedSource, url: str, validators: FeedValidators,
                    force: bool) -> FetchResult:
        headers = _auth_header(feed, self.env)
        if not force:
            headers |= _conditional_headers(validators)
        try:
            with self.session.get(url, headers=headers, timeout=self._timeouts(),
                                  stream=True) as response:
                return self._answer(feed, url, response, validators)
        except requests.RequestException as exc:
            self._check_deadline(feed)
            raise _transport_error(feed.id, url, exc, self.settings) from exc

    def _answer(self, feed: FeedSource, url: str, response: requests.Response,
                validators: FeedValidators) -> FetchResult:
        self._check_deadline(feed, f" (last answer: HTTP {response.status_code})")
        where = _display(response.url or url)
        hint = _max_age(response.headers.get("Cache-Control", ""))
        if response.status_code == 304:
            fresh = _validators(response, validators.body_hash, validators)
            return FetchResult(feed.id, None, fresh, 304, where, refresh_hint_seconds=hint)
        if not 200 <= response.status_code < 300:
            raise _status_error(feed, where, response, self.settings.retries)
        body = self._read_body(feed, where, response)
        _check_calendar(feed.id, body, response.headers.get("Content-Type", ""))
        fresh = _validators(response, _sha256(body), FeedValidators())
        return FetchResult(feed.id, body, fresh, response.status_code, where,
                           refresh_hint_seconds=hint)

    def _read_body(self, feed: FeedSource, where: str, response: requests.Response) -> bytes:
        cap = self.settings.max_bytes
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > cap:
            raise _too_large(feed.id, cap, f"Content-Length {length}")
        body = bytearray()
        try:
            for chunk in _chunks(response.raw):
                body += chunk
                if len(body) > cap:
                    raise _too_large(feed.id, cap, "streamed body")
                self._check_deadline(feed)
        except (Urllib3Error, OSError) as exc:
            self._check_deadline(feed)
            raise FeedUnavailable(feed.id, f"transfer from {where} was cut off after "
                                  f"{len(body)} bytes ({type(exc).__name__})",
                                  hint="try again later; " + SERVER_HINT) from exc
        return bytes(body)

    def _timeouts(self) -> tuple[float, float]:
        deadline = _DEADLINE.get()
        left = deadline.remaining() if deadline else self.settings.deadline_seconds
        left = max(left, 0.001)
        return (min(self.settings.connect_timeout, left), min(self.settings.read_timeout, left))

    def _check_deadline(self, feed: FeedSource, detail: str = "") -> None:
        deadline = _DEADLINE.get()
        if deadline is not None and deadline.remaining() <= 0:
            raise FeedUnavailable(
                feed.id, f"took longer than {self.settings.deadline_seconds:g} s{detail}",
                hint="the server is too slow; raise [fetch] deadline_seconds if this is normal")


def _session(settings: FetchSettings) -> requests.Session:
    retry = _BoundedRetry(
        total=settings.retries, backoff_factor=settings.backoff_factor,
        status_forcelist=sorted(RETRY_STATUSES), allowed_methods=frozenset({"GET"}),
        respect_retry_after_header=True, raise_on_status=False)
    retry.max_retry_after = settings.max_retry_after
    adapter = HTTPAdapter(max_retries=retry, pool_maxsize=max(settings.parallel, 1))
    session = requests.Session()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.max_redirects = MAX_REDIRECTS
    session.headers.update({"User-Agent": USER_AGENT, "Accept": ACCEPT,
                            "Accept-Encoding": "gzip"})
    return session


def _chunks(raw: Any) -> Iterator[bytes]:
    """Decoded pieces as they arrive: ``read1`` returns after one socket read, so a server
    that trickles bytes cannot hold a read past the deadline (urllib3 < 2.3 lacks it)."""
    if not hasattr(raw, "read1"):
        yield from raw.stream(CHUNK_BYTES, decode_content=True)
        return
    while chunk := raw.read1(CHUNK_BYTES, decode_content=True):
        yield chunk


def _resolve(feed: FeedSource, base_dir: Path) -> str | Path:
    """The URL to GET, or the file to read."""
    url = feed.url.strip()
    scheme, _, rest = url.partition("://")
    scheme = scheme.lower() if rest else ""
    if scheme in ("http", "https"):
        return url
    if scheme == "webcals" or (scheme == "webcal" and not _loopback(rest)):
        return "https://" + rest
    if scheme == "webcal":
        return "http://" + rest
    if scheme == "file":
        return Path(url2pathname(urlsplit(url).path))
    if scheme:
        raise FeedUnavailable(feed.id, f"unsupported URL scheme {scheme}://",
                              hint="use http(s)://, webcal://, or a file path")
    path = Path(url).expanduser()
    return path if path.is_absolute() else base_dir / path


def _loopback(rest: str) -> bool:
    host = urlsplit("//" + rest).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _read_file(feed_id: str, path: Path, cap: int) -> bytes:
    try:
        with path.open("rb") as handle:
            body = handle.read(cap + 1)
    except FileNotFoundError:
        raise FeedUnavailable(feed_id, f"file not found: {path}",
                              hint="check url in config (relative paths are relative "
                                   "to the config file)") from None
    except OSError as exc:
        raise FeedUnavailable(feed_id, f"cannot read {path}: {exc.strerror or exc}") from exc
    if len(body) > cap:
        raise _too_large(feed_id, cap, "file")
    return body


def _auth_header(feed: FeedSource, env: Mapping[str, str]) -> dict[str, str]:
    """``user:password`` → Basic (RFC 7617); ``Bearer …``/``Basic …`` as is; else a bearer
    token (RFC 6750).  Sent per request so requests drops it on a cross-host redirect."""
    if not feed.auth_env:
        return {}
    value = env.get(feed.auth_env, "").strip()
    if not value:
        raise FeedUnavailable(feed.id, f"credentials missing: environment variable "
                              f"{feed.auth_env} is not set (named by auth_env)",
                              hint=f"set {feed.auth_env} to user:password or a bearer token")
    if value.startswith(("Bearer ", "Basic ")):
        return {"Authorization": value}
    if ":" in value:
        return {"Authorization": "Basic " + base64.b64encode(value.encode()).decode("ascii")}
    return {"Authorization": "Bearer " + value}


def _conditional_headers(validators: FeedValidators) -> dict[str, str]:
    headers = {}
    if validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    return headers


def _validators(response: requests.Response, body_hash: str,
                old: FeedValidators) -> FeedValidators:
    """New validators from the answer; a 304 may omit them, so the old ones stay then."""
    return FeedValidators(etag=response.headers.get("ETag", old.etag),
                          last_modified=response.headers.get("Last-Modified", old.last_modified),
                          body_hash=body_hash)


def _max_age(cache_control: str) -> int | None:
    """``max-age`` from Cache-Control (RFC 9111 §5.2.2.1), a hint for the scheduler."""
    match = re.search(r"(?:^|[,\s])max-age\s*=\s*\"?(\d+)", cache_control, re.IGNORECASE)
    return int(match.group(1)) if match else None


def _sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _too_large(feed_id: str, cap: int, what: str) -> FeedTooLarge:
    return FeedTooLarge(feed_id, f"feed is larger than [fetch] max_bytes = {cap} bytes "
                        f"({what})", hint="raise [fetch] max_bytes if the feed is that big")


def _display(url: str) -> str:
    """The URL without userinfo or query string: either may carry a secret."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, "…" if parts.query else "", ""))


def _status_error(feed: FeedSource, where: str, response: requests.Response,
                  retries: int) -> FeedUnavailable:
    status = response.status_code
    if status in RETRY_STATUSES:
        # urllib3 hands the last answer back only once every retry is used up
        tried = f" after {retries} retries" if retries else ""
        return FeedUnavailable(feed.id, f"HTTP {status}{tried} from {where}",
                               hint="the server is failing or busy; try again later")
    if status in (401, 403):
        hint = f"check the credentials in {feed.auth_env}" if feed.auth_env else AUTH_HINT
        return FeedUnavailable(feed.id, f"refused: HTTP {status} from {where}", hint=hint)
    if status in (404, 410):
        return FeedUnavailable(feed.id, f"not found: HTTP {status} from {where}",
                               hint="check url in config")
    reason = f" {response.reason}" if response.reason else ""
    return FeedUnavailable(feed.id, f"HTTP {status}{reason} from {where}",
                           hint="check url in config")


def _transport_error(feed_id: str, url: str, exc: requests.RequestException,
                     settings: FetchSettings) -> FeedUnavailable:
    where = _display(url)
    if isinstance(exc, requests.TooManyRedirects):
        return FeedUnavailable(feed_id, f"more than {MAX_REDIRECTS} redirects from {where}",
                               hint="check url in config")
    if isinstance(exc, requests.exceptions.SSLError):
        return FeedUnavailable(feed_id, f"TLS handshake with {where} failed",
                               hint="check the server's certificate and url in config")
    if isinstance(exc, requests.ConnectionError):
        what = _connection_problem(exc, where, settings)
    else:
        what = f"invalid request for {where} ({type(exc).__name__})"
    return FeedUnavailable(feed_id, what, hint=SERVER_HINT)


def _connection_problem(exc: requests.ConnectionError, where: str,
                        settings: FetchSettings) -> str:
    # requests reports a read timeout that used up urllib3's retries as a plain
    # ConnectionError wrapping MaxRetryError: look at the underlying reason.
    arg = exc.args[0] if exc.args else None
    reason = getattr(arg, "reason", arg)
    text = f"{exc} {reason}"
    if "NameResolution" in text or "Name or service not known" in text:
        return f"cannot resolve the host of {where} (DNS)"
    if "Connection refused" in text or "Errno 111" in text:
        return f"connection to {where} refused"
    # urllib3's NewConnectionError is a ConnectTimeoutError subclass: rule it out first
    if isinstance(reason, ConnectTimeoutError) and not isinstance(reason, NewConnectionError):
        return f"connecting to {where} timed out ({settings.connect_timeout:g} s)"
    if isinstance(exc, requests.ReadTimeout) or isinstance(reason, ReadTimeoutError):
        return f"no answer from {where} within {settings.read_timeout:g} s"
    return f"cannot connect to {where} ({type(reason).__name__})"


def _check_calendar(feed_id: str, body: bytes, content_type: str) -> None:
    """Raise ``NotACalendar`` unless ``body`` is a whole RFC 5545 §3.4 iCalendar stream."""
    head = body.removeprefix(UTF8_BOM).lstrip()
    if head[:15].upper() == b"BEGIN:VCALENDAR":
        if b"END:VCALENDAR" not in head.rstrip()[-TAIL_BYTES:].upper():
            raise NotACalendar(feed_id, f"truncated: no END:VCALENDAR; the transfer was cut "
                               f"off after {len(body)} bytes or the server failed mid-feed",
                               hint="try again later")
        return
    if head[:12].upper() == b"BEGIN:VEVENT" and b"END:VEVENT" in head[-TAIL_BYTES:].upper():
        return  # bare VEVENTs without their VCALENDAR (some exporters): parse wraps them
    raise NotACalendar(feed_id, _describe(head, content_type))


def _describe(head: bytes, content_type: str) -> str:
    """What came back instead of a calendar, for the one-line message."""
    media = content_type.split(";")[0].strip().lower()
    shown = f" (Content-Type {media})" if media else ""
    sniff = head[:512].lower()
    if not head:
        return f"empty body{shown}, not iCalendar; check the feed URL"
    if "html" in media or sniff.startswith((b"<!doctype html", b"<html")):
        return f"got HTML{shown}, not iCalendar; check the feed URL"
    if "json" in media or sniff.startswith((b"{", b"[")):
        return f"got JSON{shown}, not iCalendar; check the feed URL"
    if "xml" in media or sniff.startswith(b"<"):
        return f"got XML{shown}, not iCalendar; check the feed URL"
    text = "".join(c for c in head[:400].decode("utf-8", "replace") if c.isprintable())
    snippet = " ".join(text.split())[:SNIPPET_CHARS].rstrip()
    return f"got {snippet!r}{shown}, not iCalendar; check the feed URL"
