"""HTTP content negotiation and conditional requests, on raw header bytes.  Pure.

The feed paths parse these headers on every poll, so each function works on the bytes
ASGI hands over and the parsers of client-chosen strings are memoised (bounded).
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache

MEMO_SIZE = 512
"""Distinct header values remembered; clients send a handful of fixed strings."""


@lru_cache(maxsize=MEMO_SIZE)
def accepts_gzip(value: bytes) -> bool:
    """Whether ``Accept-Encoding`` allows gzip (RFC 9110 §12.5.3): an explicit ``gzip``
    (or ``x-gzip``) coding wins over ``*``; ``q=0`` means "not acceptable"."""
    explicit: float | None = None
    star: float | None = None
    for part in value.decode("latin-1").split(","):
        name, _, params = part.partition(";")
        coding = name.strip().lower()
        if coding in ("gzip", "x-gzip"):
            explicit = max(explicit or 0.0, _qvalue(params))
        elif coding == "*":
            star = _qvalue(params)
    chosen = explicit if explicit is not None else star
    return chosen is not None and chosen > 0


def _qvalue(params: str) -> float:
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.strip().lower() == "q":
            try:
                return float(value.strip())
            except ValueError:
                return 0.0
    return 1.0


def etag_matches(header: bytes, etag: bytes) -> bool:
    """``If-None-Match`` uses the weak comparison (RFC 9110 §13.1.2): ``W/"x"`` matches
    ``"x"``; ``*`` matches any current representation; the header may list several tags."""
    if header == etag:
        return True
    if header.strip() == b"*":
        return True
    opaque = etag.removeprefix(b"W/")
    return any(tag.strip().removeprefix(b"W/") == opaque for tag in header.split(b","))


@lru_cache(maxsize=MEMO_SIZE)
def http_date(value: bytes) -> datetime | None:
    """An HTTP-date (RFC 9110 §5.6.7) as aware UTC, or ``None`` when it is not one (an
    invalid ``If-Modified-Since`` is ignored, §13.1.3)."""
    try:
        when = parsedate_to_datetime(value.decode("latin-1"))
    except (TypeError, ValueError, IndexError):
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def not_modified(if_none_match: bytes | None, if_modified_since: bytes | None, etag: bytes,
                 last_modified: datetime) -> bool:
    """RFC 9110 §13.2.2 order: If-None-Match decides when present, and only otherwise
    If-Modified-Since (unchanged when Last-Modified is not later than the given date)."""
    if if_none_match is not None:
        return etag_matches(if_none_match, etag)
    if if_modified_since is not None:
        since = http_date(if_modified_since)
        return since is not None and last_modified <= since
    return False
