"""The FastAPI part of the server: ``/healthz``, ``/metrics``, ``/api/events`` and ``/``.

Everything here reads the store (never fetches); the endpoints are plain ``def`` so FastAPI
runs them in its thread pool and a slow query never blocks the feed paths on the event loop.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from event_bridge.clock import Clock
from event_bridge.config.settings import Settings
from event_bridge.model import Event, moment_key
from event_bridge.store.repository import Repository
from event_bridge.web import agenda, health, metrics, page
from event_bridge.web.feedcache import FeedCache
from event_bridge.web.params import BadParameter, parse_day

MAX_API_DAYS = 366
"""The widest ``/api/events`` window, so one request cannot ask for every occurrence ever."""

API_DEFAULT_DAYS = 28

PAIR_REACH_DAYS = 183
"""How far outside the page's weeks a linked sibling is looked for (a watch party may
follow its keynote by months)."""


class StoreView:
    """Published events and their links, reloaded only when a new sync was recorded."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self._lock = threading.Lock()
        self._cached: tuple[object, list[Event], dict[str, tuple[str, ...]]] = (None, [], {})

    def current(self) -> tuple[list[Event], dict[str, tuple[str, ...]]]:
        runs = self.repo.runs(limit=1)
        version = (runs[0].started, runs[0].etag) if runs else None
        with self._lock:
            if version is not None and self._cached[0] == version:
                return self._cached[1], self._cached[2]
            events = [_with_tombstone(r.event, r.gone_since) for r in
                      self.repo.published().values()]
            related = agenda.related_uids(self.repo.blocks()[0])
            self._cached = (version, events, related)
            return events, related


def _with_tombstone(event: Event, gone_since: datetime | None) -> Event:
    """A vanished event is published as ``STATUS:CANCELLED``; show it the same way."""
    if gone_since is None or event.data.cancelled:
        return event
    return replace(event, data=replace(event.data, status="CANCELLED"))


GET_HEAD = ["GET", "HEAD"]
"""Every route answers HEAD too (uptime monitors use it): same headers, no body."""


def build(repo: Repository, settings: Settings, clock: Clock, cache: FeedCache,
          registry: metrics.Metrics) -> FastAPI:
    """The FastAPI app for every path the lean feed handler does not answer."""
    app = FastAPI(title="event-bridge", docs_url=None, redoc_url=None, openapi_url=None)
    store = StoreView(repo)
    env = Environment(loader=PackageLoader("event_bridge.web", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True))

    @app.exception_handler(BadParameter)
    def bad_parameter(request: Request, exc: BadParameter) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": str(exc)}, status_code=400)
        return HTMLResponse(page.error_html(str(exc)), status_code=400)

    @app.api_route("/healthz", methods=GET_HEAD)
    def healthz() -> JSONResponse:
        cache.refresh()
        ok, body = health.health(settings, repo.runs(limit=metrics.RUNS_WINDOW),
                                 repo.feed_states(), clock.now(), plain_sizes(cache))
        return JSONResponse(body, status_code=200 if ok else 503,
                            headers={"cache-control": "no-store"})

    @app.api_route("/metrics", methods=GET_HEAD)
    def metrics_text() -> Response:
        cache.refresh()  # so the served sizes are current even before any feed request
        registry.before_scrape()
        return Response(generate_latest(registry.registry), media_type=CONTENT_TYPE_LATEST)

    @app.api_route("/api/events", methods=GET_HEAD)
    def api_events(city: str = "", first: Annotated[str, Query(alias="from")] = "",
                   to: str = "") -> JSONResponse:
        return JSONResponse(_events_json(settings, store, clock, city, first, to))

    @app.api_route("/", methods=GET_HEAD, response_class=HTMLResponse)
    def index(request: Request, first: Annotated[str, Query(alias="from")] = "",
              lang: str = "") -> HTMLResponse:
        base = settings.server.base_url or str(request.base_url)
        chosen = page.choose_language(lang, request.headers.get("accept-language", ""))
        context = _page_context(settings, store, repo, clock, first, base, chosen,
                                plain_sizes(cache))
        text = env.get_template("index.html").render(**context)
        return HTMLResponse(text, headers={"content-language": chosen,
                                           "vary": "Accept-Language"})

    return app


def plain_sizes(cache: FeedCache) -> dict[str, int]:
    return {name: len(f.identity.body) for name, f in cache.feeds.items()}


def sizes(cache: FeedCache) -> dict[str, tuple[int, int]]:
    return {name: (len(f.identity.body), len(f.gzipped.body)) for name, f in cache.feeds.items()}


def _events_json(settings: Settings, store: StoreView, clock: Clock, city: str, first: str,
                 to: str) -> dict[str, Any]:
    if city and city not in settings.cities:
        raise HTTPException(404, f"no city {city!r}; known: {', '.join(settings.cities)}")
    start = parse_day(first, "from") if first else clock.now().date()
    end = parse_day(to, "to") if to else start + timedelta(days=API_DEFAULT_DAYS)
    if not start < end or (end - start).days > MAX_API_DAYS:
        raise HTTPException(400, f"'to' must be after 'from', at most {MAX_API_DAYS} days on")
    zones = [c.timezone for c in settings.cities.values()]
    lo, hi = agenda.window(start, (end - start).days, zones)
    events, related = store.current()
    names = {e.uid: e for e in events if not e.recurrence_id}
    occs = agenda.occurrences(events, related, lo, hi, city)
    return {"from": start.isoformat(), "to": end.isoformat(),
            "events": [_occurrence_json(o, settings, names) for o in occs]}


def _occurrence_json(occ: agenda.Occurrence, settings: Settings,
                     masters: dict[str, Event]) -> dict[str, Any]:
    links = [{"uid": uid, "summary": masters[uid].data.summary, "city": masters[uid].city}
             for uid in occ.related if uid in masters]
    return {"uid": occ.uid, "recurrence_id": occ.recurrence_id, "city": occ.city,
            "summary": occ.summary, "location": occ.location, "url": occ.url,
            "categories": list(occ.categories), "cancelled": occ.cancelled,
            "all_day": occ.all_day, "start": _moment(occ.start), "end": _moment(occ.end),
            "local": agenda.local_times(occ, settings.cities), "links": links,
            "occurrence_key": moment_key(occ.start)}


def _moment(value: datetime | date) -> str:
    return value.isoformat().replace("+00:00", "Z")


def _counterparts(events: list[Event], related: dict[str, tuple[str, ...]],
                  occs: list[agenda.Occurrence], lo: datetime,
                  hi: datetime) -> list[agenda.Occurrence]:
    """Occurrences of linked siblings around the window, for pairs whose other half falls
    outside it."""
    wanted = {uid for occ in occs for uid in occ.related}
    around = timedelta(days=PAIR_REACH_DAYS)
    return agenda.occurrences([e for e in events if e.uid in wanted], related, lo - around,
                              hi + around)


def _page_context(settings: Settings, store: StoreView, repo: Repository, clock: Clock,
                  first: str, base: str, lang: str, sizes: dict[str, int]) -> dict[str, Any]:
    now = clock.now()
    first_day = parse_day(first, "from") if first else now.date()
    zones = [c.timezone for c in settings.cities.values()]
    lo, hi = agenda.window(first_day, page.PAGE_DAYS, zones)
    events, related = store.current()
    names = {e.uid: e.data.summary for e in events if not e.recurrence_id}
    languages = _languages(settings, events)
    occs = agenda.occurrences(events, related, lo, hi)
    ok, state = health.health(settings, repo.runs(limit=metrics.RUNS_WINDOW),
                              repo.feed_states(), now, sizes)
    pool = _counterparts(events, related, occs, lo, hi)
    categories = sorted({c for e in events for c in e.data.categories}, key=str.casefold)
    return {"title": settings.publish.name, "cities": list(settings.cities.values()),
            "lang": lang, "t": page.TEXT[lang], "colon": " :" if lang == "fr" else ":",
            "other_lang": "fr" if lang == "en" else "en",
            "steps": page.steps(first_day, lang), "published": bool(events),
            "pairs": page.pairs(occs, pool, settings.cities, names, lang, languages),
            "columns": page.columns(occs, settings.cities, names, lang, languages),
            "subscribe": page.subscribe_links(base, settings.cities, lang),
            "base": base.rstrip("/"), "categories": categories,
            "json_ld": page.json_ld(occs, settings.cities, languages),
            "healthy": ok, "health": state, "count": len(occs)}


def _languages(settings: Settings, events: list[Event]) -> dict[str, str]:
    """UID → the language of its text: the configured language of its first source's feed."""
    by_feed = {f.id: f.language for f in settings.feeds}
    return {e.uid: by_feed.get(e.sources[0].feed_id, "") for e in events if e.sources}
