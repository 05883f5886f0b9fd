"""When is each feed due?  Pure scheduling arithmetic for the daemon.

A feed's base interval is the source's own refresh hint (``REFRESH-INTERVAL`` /
``X-PUBLISHED-TTL``, RFC 7986 §5.7 and the de-facto Microsoft property, or HTTP
``Cache-Control: max-age``, RFC 9111 §5.2.2.1) clamped to the operator's
``[min_interval_seconds, max_interval_seconds]``, else the configured interval.  An operator's
``--interval`` replaces all of that with one interval for every feed.  A failing feed backs
off exponentially; every interval gets a small positive jitter so that many bridges (or many
feeds on one host) do not hit a server at the same second.

No wall clock is read here: ``now`` and the feed states are parameters, and the jitter is a
deterministic function of the feed and its last attempt (stable across ticks and restarts,
different after every attempt).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from event_bridge.config.settings import ScheduleSettings
from event_bridge.model import FeedState

MAX_JITTER_FRACTION = 0.1
"""Jitter never exceeds this share of an interval (the issue's bound), whatever the config."""

MAX_BACKOFF_EXPONENT = 20
"""2**20 × any sane interval is past every cap; bounding the exponent avoids huge floats."""


@dataclass(frozen=True)
class Policy:
    """The operator's scheduling choices, in seconds.

    ``fixed`` (from ``run --interval``) makes ``interval`` apply to every feed, ignoring
    source hints and the min/max bounds; backoff for failing feeds still applies.
    """

    interval: float
    min_interval: float
    max_interval: float
    jitter_fraction: float
    max_backoff: float
    fixed: bool = False

    @classmethod
    def from_settings(cls, schedule: ScheduleSettings, override: float | None = None) -> Policy:
        if override is not None:
            return cls(override, override, override, schedule.jitter_fraction,
                       schedule.max_backoff_seconds, fixed=True)
        return cls(schedule.interval_seconds, schedule.min_interval_seconds,
                   schedule.max_interval_seconds, schedule.jitter_fraction,
                   schedule.max_backoff_seconds)


def base_interval(policy: Policy, hint_seconds: float | None) -> float:
    """The feed's interval before backoff and jitter: its hint (or the configured interval)
    clamped to the operator's bounds, or the fixed ``--interval``."""
    if policy.fixed:
        return policy.interval
    wanted = hint_seconds if hint_seconds and hint_seconds > 0 else policy.interval
    low = min(policy.min_interval, policy.max_interval)
    return min(max(wanted, low), policy.max_interval)


def backoff_interval(base: float, failures: int, max_backoff: float) -> float:
    """``base × 2**failures`` capped at ``max_backoff``; never shorter than ``base``
    (a cap below the feed's own interval must not make a failing feed polled *more* often)."""
    if failures <= 0:
        return base
    grown = base * 2 ** min(failures, MAX_BACKOFF_EXPONENT)
    return max(base, min(grown, max_backoff))


def jitter_unit(feed_id: str, last_attempt: datetime | None) -> float:
    """A number in ``[0, 1)`` fixed for one feed and one attempt (sha256, not ``random``,
    so ticks and restarts agree on when a feed is due)."""
    seed = f"{feed_id}|{last_attempt.isoformat() if last_attempt else ''}".encode()
    return int.from_bytes(hashlib.sha256(seed).digest()[:8], "big") / 2**64


def interval_for(policy: Policy, state: FeedState) -> float:
    """Seconds from the feed's last attempt to its next one (hint, bounds, backoff, jitter)."""
    base = base_interval(policy, state.refresh_hint_seconds)
    backed = backoff_interval(base, state.consecutive_failures, policy.max_backoff)
    fraction = min(max(policy.jitter_fraction, 0.0), MAX_JITTER_FRACTION)
    return backed * (1 + fraction * jitter_unit(state.feed_id, state.last_attempt))


def next_due(policy: Policy, state: FeedState) -> datetime | None:
    """When the feed should next be fetched; ``None`` = never attempted, due at once."""
    if state.last_attempt is None:
        return None
    return state.last_attempt + timedelta(seconds=interval_for(policy, state))


def due_feeds(policy: Policy, states: Iterable[FeedState], now: datetime) -> list[str]:
    """The ids of the feeds due at ``now``, in the order given."""
    due = []
    for state in states:
        when = next_due(policy, state)
        if when is None or when <= now:
            due.append(state.feed_id)
    return due


def seconds_until_next(policy: Policy, states: Iterable[FeedState], now: datetime) -> float:
    """Seconds until the earliest feed is due (0 if one is due now); for log lines."""
    waits = [0.0 if (w := next_due(policy, s)) is None else (w - now).total_seconds()
             for s in states]
    return max(0.0, min(waits, default=0.0))


_DURATION = re.compile(
    r"^(?P<sign>[+-])?P(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?"
    r"(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+)S)?)?$")


def duration_hint(value: str) -> int | None:
    """Seconds in an RFC 5545 §3.3.6 DURATION such as ``REFRESH-INTERVAL;VALUE=DURATION:PT1H``
    or ``X-PUBLISHED-TTL:P1D``; ``None`` for anything unusable (negative, zero, malformed)."""
    match = _DURATION.match(value.strip().upper())
    if not match or match["sign"] == "-" or value.strip().upper() in ("P", "PT"):
        return None
    parts = {k: int(v) for k, v in match.groupdict().items() if k != "sign" and v}
    seconds = (parts.get("w", 0) * 7 * 86400 + parts.get("d", 0) * 86400
               + parts.get("h", 0) * 3600 + parts.get("m", 0) * 60 + parts.get("s", 0))
    return seconds or None
