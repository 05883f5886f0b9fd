"""``/healthz``: is the bridge itself working?  Pure.

The answer is "yes" (HTTP 200) while some sync fetched at least one feed within the limit;
one upstream feed being down shows in the per-feed JSON (and in ``/metrics``) but must not
get the container restarted, so only "nothing synced for too long" is a 503.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from event_bridge.config.settings import Settings
from event_bridge.model import FeedState, SyncReport
from event_bridge.web.metrics import last_good_sync

STALE_INTERVALS = 3
"""With ``healthz_max_age_seconds = 0`` the limit is this many sync intervals."""


def max_age_seconds(settings: Settings) -> int:
    return settings.server.healthz_max_age_seconds or (
        STALE_INTERVALS * settings.schedule.interval_seconds)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _age(now: datetime, value: datetime | None) -> float | None:
    return round((now - value).total_seconds(), 3) if value else None


def feed_rows(settings: Settings, states: Sequence[FeedState],
              now: datetime) -> list[dict[str, object]]:
    """One row per configured feed, in config order."""
    by_id = {s.feed_id: s for s in states}
    rows = []
    for feed in settings.feeds:
        st = by_id.get(feed.id) or FeedState(feed.id)
        status = ("never synced" if st.last_attempt is None and st.last_success is None
                  else "failing" if st.last_error else "held" if st.held_note else "ok")
        rows.append({"id": feed.id, "city": feed.city, "status": status,
                     "events": st.event_count, "last_success": _iso(st.last_success),
                     "age_seconds": _age(now, st.last_success),
                     "consecutive_failures": st.consecutive_failures,
                     "error": st.last_error, "note": st.held_note})
    return rows


def health(settings: Settings, runs: Sequence[SyncReport], states: Sequence[FeedState],
           now: datetime, sizes: Mapping[str, int] | None = None
           ) -> tuple[bool, dict[str, object]]:
    """(healthy, JSON body).  The freshest evidence counts: the latest sync that fetched
    something, or any feed's latest success."""
    seen = [t for t in (last_good_sync(runs), *(s.last_success for s in states)) if t]
    last = max(seen) if seen else None
    limit = max_age_seconds(settings)
    healthy = last is not None and (now - last).total_seconds() <= limit
    body: dict[str, object] = {
        "status": "ok" if healthy else ("no sync yet" if last is None else "stale"),
        "last_success": _iso(last), "age_seconds": _age(now, last),
        "max_age_seconds": limit,
        "last_sync": _iso(runs[0].finished) if runs else None,
        "feeds": feed_rows(settings, states, now),
        "warnings": size_warnings(sizes or {}, list(settings.cities)),
    }
    return healthy, body


SUBSCRIPTION_MAX_BYTES = 1_000_000
"""Google Calendar stops reading a subscribed feed past about 1 MB (about 1,100 events of
this bridge): beyond it, the operator is warned and offered smaller URLs."""


def feed_path(snapshot: str) -> str:
    """``calendar`` → ``/calendar.ics``, ``city:paris`` → ``/cities/paris.ics``."""
    slug = snapshot.removeprefix("city:")
    return "/calendar.ics" if snapshot == "calendar" else f"/cities/{slug}.ics"


def size_warnings(sizes: Mapping[str, int], cities: Sequence[str]) -> list[dict[str, object]]:
    """One warning per published feed (snapshot name → bytes) past
    :data:`SUBSCRIPTION_MAX_BYTES`, with the smaller URLs to offer subscribers instead."""
    out: list[dict[str, object]] = []
    for name, size in sorted(sizes.items()):
        if size <= SUBSCRIPTION_MAX_BYTES:
            continue
        path = feed_path(name)
        small_cities = [c for c in cities if sizes.get(f"city:{c}", 0) <= SUBSCRIPTION_MAX_BYTES]
        smaller = [feed_path(f"city:{c}") for c in small_cities] if name == "calendar" else []
        smaller += [f"{path}?from=today", f"{path}?from=today&cancelled=hide"]
        out.append({"feed": path, "bytes": size, "limit": SUBSCRIPTION_MAX_BYTES,
                    "message": f"{path} is {size / 1e6:.1f} MB: Google Calendar stops reading "
                               f"subscriptions past about 1 MB; offer {', '.join(smaller)}",
                    "smaller": smaller})
    return out
