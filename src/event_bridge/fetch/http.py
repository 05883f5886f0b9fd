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

This module holds the ``Fetcher`` seam, ``HttpFetcher`` and what a request carries (URL,
credentials, validators); the session and its retry policy live in :mod:`.session`,
failure messages and the body check in :mod:`.messages`.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import os
import re
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Protocol
from urllib.parse import urlsplit
from urllib.request import url2pathname

import requests
from urllib3.exceptions import HTTPError as Urllib3Error

from event_bridge.clock import Clock
from event_bridge.config.settings import FetchSettings
from event_bridge.errors import FeedUnavailable
from event_bridge.fetch.messages import (
    SERVER_HINT,
    check_calendar,
    display_url,
    status_error,
    too_large,
    transport_error,
)
from event_bridge.fetch.session import DEADLINE, Deadline, body_chunks, new_session
from event_bridge.model import FeedSource, FeedValidators, FetchResult


class Fetcher(Protocol):
    """The seam the pipeline fetches through; tests may pass any real implementation."""

    def fetch(self, feed: FeedSource, validators: FeedValidators, *,
              force: bool = False) -> FetchResult: ...


class HttpFetcher:
    """Fetches feeds over HTTP(S) and from files; see the module docstring for the rules."""

    def __init__(self, settings: FetchSettings, base_dir: Path, clock: Clock,
                 env: Mapping[str, str] | None = None) -> None:
        self.settings = settings
        self.base_dir = base_dir
        self.clock = clock
        self.env: Mapping[str, str] = os.environ if env is None else env
        self.session = new_session(settings)

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
            check_calendar(feed.id, body, "")
            result = FetchResult(feed.id, body, FeedValidators(body_hash=_sha256(body)),
                                 url=str(target))
        else:
            deadline = Deadline(self.clock, started + self.settings.deadline_seconds)
            token = DEADLINE.set(deadline)
            watchdog = deadline.watchdog(self.settings.deadline_seconds)
            try:
                result = self._fetch_http(feed, target, validators, force)
            finally:
                watchdog.cancel()
                DEADLINE.reset(token)
        return result

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
            raise transport_error(feed.id, url, exc, self.settings) from exc
        except (ValueError, OverflowError, UnicodeError) as exc:
            # a malformed Location ("http://[oops") or Retry-After ("… 99999 …"): the
            # libraries raise plain ValueErrors for headers they cannot read
            self._check_deadline(feed)
            raise FeedUnavailable(
                feed.id, f"malformed answer from {display_url(url)} ({type(exc).__name__}: "
                f"{str(exc)[:120]})", hint="a header such as Location or Retry-After could "
                "not be read; tell the feed's publisher") from exc

    def _answer(self, feed: FeedSource, url: str, response: requests.Response,
                validators: FeedValidators) -> FetchResult:
        self._check_deadline(feed, f" (last answer: HTTP {response.status_code})")
        where = display_url(response.url or url)
        hint = _max_age(response.headers.get("Cache-Control", ""))
        if response.status_code == 304:
            fresh = _validators(response, validators.body_hash, validators)
            return FetchResult(feed.id, None, fresh, 304, where, refresh_hint_seconds=hint)
        if not 200 <= response.status_code < 300:
            raise status_error(feed, where, response, self.settings.retries)
        body = self._read_body(feed, where, response)
        check_calendar(feed.id, body, response.headers.get("Content-Type", ""))
        fresh = _validators(response, _sha256(body), FeedValidators())
        return FetchResult(feed.id, body, fresh, response.status_code, where,
                           refresh_hint_seconds=hint)

    def _read_body(self, feed: FeedSource, where: str, response: requests.Response) -> bytes:
        cap = self.settings.max_bytes
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > cap:
            raise too_large(feed.id, cap, f"Content-Length {length}")
        body = bytearray()
        try:
            for chunk in body_chunks(response.raw):
                body += chunk
                if len(body) > cap:
                    raise too_large(feed.id, cap, "streamed body")
                self._check_deadline(feed)
        except (Urllib3Error, OSError) as exc:
            self._check_deadline(feed)
            raise FeedUnavailable(feed.id, f"transfer from {where} was cut off after "
                                  f"{len(body)} bytes ({type(exc).__name__})",
                                  hint="try again later; " + SERVER_HINT) from exc
        self._check_deadline(feed)  # the watchdog's shutdown reads as the end of the body
        return bytes(body)

    def _timeouts(self) -> tuple[float, float]:
        deadline = DEADLINE.get()
        left = deadline.remaining() if deadline else self.settings.deadline_seconds
        left = max(left, 0.001)
        return (min(self.settings.connect_timeout, left), min(self.settings.read_timeout, left))

    def _check_deadline(self, feed: FeedSource, detail: str = "") -> None:
        deadline = DEADLINE.get()
        if deadline is not None and deadline.remaining() <= 0:
            if not detail and deadline.last_status:
                detail = f" (last answer: HTTP {deadline.last_status})"
            raise FeedUnavailable(
                feed.id, f"took longer than {self.settings.deadline_seconds:g} s{detail}",
                hint="the server is too slow; raise [fetch] deadline_seconds if this is normal")


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
        raise too_large(feed_id, cap, "file")
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


