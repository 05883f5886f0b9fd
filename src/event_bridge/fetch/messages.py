"""What a fetch says when it fails, and whether a body is a calendar at all.

Every function here turns an HTTP answer, a transport exception or a body into one
``FetchError`` whose message names the problem and whose hint says what to do next.  URLs
in messages go through :func:`display_url` (no userinfo, no query string: tokens live
there).  :func:`check_calendar` accepts an RFC 5545 §3.4 ``BEGIN:VCALENDAR`` …
``END:VCALENDAR`` stream (or bare VEVENTs) and describes anything else (HTML, JSON, XML).
"""

from __future__ import annotations

import codecs
import re
from urllib.parse import urlsplit, urlunsplit

import requests
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError, ReadTimeoutError

from event_bridge.config.settings import FetchSettings
from event_bridge.errors import FeedTooLarge, FeedUnavailable, NotACalendar
from event_bridge.fetch.session import MAX_REDIRECTS, RETRY_STATUSES
from event_bridge.model import FeedSource

TAIL_BYTES = 64 * 1024
"""How far from the end ``END:VCALENDAR`` is looked for (trailing junk is tolerated)."""
SNIPPET_CHARS = 40
"""Printable characters quoted from a body that is not a calendar."""
UTF8_BOM = b"\xef\xbb\xbf"
SERVER_HINT = "is the server up? check url in config"
AUTH_HINT = ("set credentials via auth_env (an environment variable holding user:password "
             "or a token)")


def too_large(feed_id: str, cap: int, what: str) -> FeedTooLarge:
    return FeedTooLarge(feed_id, f"feed is larger than [fetch] max_bytes = {cap} bytes "
                        f"({what})", hint="raise [fetch] max_bytes if the feed is that big")


def display_url(url: str) -> str:
    """The URL as the bridge prints, logs, serves or stores it: without userinfo, query
    string or fragment, and with every path segment that looks like a token (``private-…``
    as Google Calendar's secret addresses, or a long random string) replaced by ``…``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(a malformed URL)"
    host = parts.netloc.rpartition("@")[2]
    path = "/".join(_redacted(segment) for segment in parts.path.split("/"))
    return urlunsplit((parts.scheme, host, path, "…" if parts.query else "", ""))


_TOKEN = re.compile(r"[A-Za-z0-9_\-.~%]{20,}")
_SECRET_PREFIXES = ("private-", "secret-", "token-", "key-")


def _redacted(segment: str) -> str:
    """A path segment, or its redaction when it may be a secret."""
    lower = segment.lower()
    for prefix in _SECRET_PREFIXES:
        if lower.startswith(prefix) and len(segment) > len(prefix):
            return segment[:len(prefix)] + "…"
    if _TOKEN.fullmatch(segment) and _random_looking(segment):
        return "…"
    return segment


def _random_looking(segment: str) -> bool:
    """Letters and digits mixed, few separators: a token, not a file or slug name."""
    stem = segment.rsplit(".", 1)[0]
    digits = sum(c.isdigit() for c in stem)
    letters = sum(c.isalpha() for c in stem)
    return len(stem) >= 20 and digits >= 3 and letters >= 3 and stem.count("-") < 4


def status_error(feed: FeedSource, where: str, response: requests.Response,
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


def transport_error(feed_id: str, url: str, exc: requests.RequestException,
                     settings: FetchSettings) -> FeedUnavailable:
    where = display_url(url)
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


def check_calendar(feed_id: str, body: bytes, content_type: str) -> None:
    """Raise ``NotACalendar`` unless ``body`` is a whole RFC 5545 §3.4 iCalendar stream
    (UTF-8, or UTF-16 with its byte-order mark: intake reads both)."""
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            body = body.decode("utf-16").encode()
        except UnicodeDecodeError as exc:
            raise NotACalendar(feed_id, f"UTF-16 body that does not decode ({exc.reason})",
                               hint="check the feed URL") from exc
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
