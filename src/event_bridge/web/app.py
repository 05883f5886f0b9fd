"""``create_app``: the HTTP server as one ASGI callable, built from a repository (no globals).

Layout (HTTP contract in ``DESIGN.md``):

- ``/calendar.ics``, ``/cities/{slug}.ics``, ``/linked.ics`` (+ ``?category=``, ``?q=``):
  answered by the lean handler in ``feedapp`` from pre-built responses in ``feedcache``
  (strong ETag per encoding, Last-Modified, Cache-Control, 304, gzip, HEAD);
- ``/healthz``, ``/metrics``, ``/api/events``, ``/``: the FastAPI app in ``views``.

The ASGI server is uvicorn with uvloop + httptools (``serve``); the choice and the figures
are in ``bench/README.md``.
"""

from __future__ import annotations

from datetime import date

from event_bridge.clock import Clock
from event_bridge.config.settings import Settings
from event_bridge.store.repository import Repository
from event_bridge.web import metrics
from event_bridge.web.feedapp import ASGIApp, FeedEndpoint
from event_bridge.web.feedcache import FeedCache
from event_bridge.web.params import local_today
from event_bridge.web.views import build, sizes


def create_app(repo: Repository, settings: Settings, clock: Clock) -> ASGIApp:
    """The whole server for ``repo``; feeds are cached for ``settings.refresh_seconds``
    (``Cache-Control: max-age``), matching the calendar's REFRESH-INTERVAL."""
    cache = FeedCache(repo, list(settings.cities), settings.refresh_seconds)
    measured = metrics.Metrics(repo, clock, lambda: sizes(cache))
    fallback = build(repo, settings, clock, cache, measured)
    zones = [c.timezone for c in settings.cities.values()]

    def today() -> date:
        return local_today(clock.now(), zones)

    feeds = FeedEndpoint(cache, fallback, list(settings.cities), zones, today)
    return metrics.Instrumented(feeds, measured.registry, list(settings.cities))
