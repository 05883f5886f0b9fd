"""The lean ASGI handler for the feed paths, in front of the FastAPI app.

``/calendar.ics``, ``/cities/{slug}.ics`` and ``/linked.ics`` are answered here straight
from ``FeedCache`` (pre-built bodies and header lists), because calendar clients poll them
constantly and FastAPI's routing, dependency and response layers cost more than the whole
answer; every other path goes to ``fallback``.  Measured in ``bench/README.md``.

The store is never queried on the request path: at most once per ``CHECK_SECONDS`` a worker
thread asks whether a sync ran, and requests keep being served from the previous snapshot
meanwhile (so a sync in progress does not slow a poll down).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from datetime import date
from typing import Any
from urllib.parse import parse_qs

from event_bridge.intake.folding import fold
from event_bridge.web.conditional import accepts_gzip, not_modified
from event_bridge.web.feedcache import (
    CHECK_SECONDS,
    MAX_QUERY_CHARS,
    MERGED,
    Feed,
    FeedCache,
    FeedFilter,
)
from event_bridge.web.params import BadParameter, day_start, parse_day

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger(__name__)

NOT_YET = ("nothing published yet: the first sync has not finished "
           "(run `event-bridge sync --once`, or wait for the daemon's first run)")
RETRY_AFTER_SECONDS = 30


class Route:
    """What a feed URL asks for: a stored snapshot, or a filter over the merged blocks."""

    __slots__ = ("filename", "filter", "snapshot")

    def __init__(self, snapshot: str, filename: str, flt: FeedFilter) -> None:
        self.snapshot = snapshot
        self.filename = filename
        self.filter = flt


class FeedEndpoint:
    """ASGI callable: feed paths from ``cache``, everything else to ``fallback``."""

    def __init__(self, cache: FeedCache, fallback: ASGIApp, cities: Sequence[str],
                 zones: Sequence[str], today: Callable[[], date]) -> None:
        self.cache = cache
        self.fallback = fallback
        self.cities = frozenset(cities)
        self.zones = tuple(zones)  # the cities' zones: a day starts at its first midnight
        self.today = today  # the day ``from=today`` means (``params.local_today``)
        self._checked = float("-inf")
        self._refreshing: asyncio.Future[bool] | None = None
        self._routes: dict[str, Route] = {
            "/calendar.ics": Route(MERGED, "calendar.ics", FeedFilter()),
            "/linked.ics": Route(MERGED, "linked.ics", FeedFilter(linked=True)),
            **{f"/cities/{c}.ics": Route(f"city:{c}", f"{c}.ics", FeedFilter(city=c))
               for c in cities}}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = scope["path"]
            route = self._routes.get(path)
            if route is not None or (path.startswith("/cities/") and path.endswith(".ics")):
                await self.serve(scope, send, path, route)
                return
        await self.fallback(scope, receive, send)

    async def serve(self, scope: Scope, send: Send, path: str, route: Route | None) -> None:
        if scope["method"] not in ("GET", "HEAD"):
            await _text(send, 405, "use GET or HEAD", [(b"allow", b"GET, HEAD")])
            return
        query = scope.get("query_string", b"")
        found = self.route(path, query) if route is None or query else route
        if isinstance(found, tuple):
            await _text(send, *found)
            return
        if self._loop_time() - self._checked >= CHECK_SECONDS or not self.cache.feeds:
            await self._refresh()
        feed = self.cache.feeds.get(found.snapshot) if found.filter.plain else (
            await self._variant(found))
        if feed is None:
            await _text(send, 503, NOT_YET, [(b"retry-after", str(RETRY_AFTER_SECONDS).encode())])
            return
        await _answer(scope, send, feed)

    def route(self, path: str, query: bytes) -> Route | tuple[int, str]:
        """The route for a feed path and query, or an error (status, message)."""
        route = self._routes.get(path)
        if route is None:
            slug = path.removeprefix("/cities/").removesuffix(".ics")
            known = ", ".join(f"/cities/{c}.ics" for c in sorted(self.cities))
            return 404, f"no city {slug!r} here; the city feeds are {known}"
        return (_with_query(route, query, self.today, self.zones, self.cities) if query
                else route)

    async def _variant(self, route: Route) -> Feed | None:
        hit = self.cache.cached_variant(route.filter)
        if hit is not None:
            return hit
        return await asyncio.to_thread(self.cache.variant, route.filename, route.filter)

    def _loop_time(self) -> float:
        return asyncio.get_running_loop().time()

    async def _refresh(self) -> None:
        """Start a reload in a worker thread when due; wait for it only while there is
        nothing at all to serve (right after start-up)."""
        now = self._loop_time()
        if now - self._checked >= CHECK_SECONDS:
            self._checked = now
            if self._refreshing is None or self._refreshing.done():
                self._refreshing = asyncio.ensure_future(asyncio.to_thread(self.cache.refresh))
                self._refreshing.add_done_callback(_log_failure)
        if not self.cache.feeds and self._refreshing is not None:
            await asyncio.wait([self._refreshing])


def _with_query(route: Route, query: bytes, today: Callable[[], date],
                zones: Sequence[str], cities: frozenset[str]) -> Route | tuple[int, str]:
    """The route narrowed by ``city``, ``category``, ``q``, ``cancelled=hide`` and
    ``from=today`` (or a ``YYYY-MM-DD``); anything else unusable is a 400 with its reason."""
    params = parse_qs(query.decode("latin-1"), keep_blank_values=False)
    city = params.get("city", [route.filter.city])[-1]
    if city and city not in cities:
        return 400, f"city: no city {city[:40]!r}; known: {', '.join(sorted(cities))}"
    if route.filter.city and city != route.filter.city:
        return 400, f"city: this feed is {route.filter.city!r}'s; use /calendar.ics?city={city}"
    category = " ".join(params.get("category", [])).strip()
    q = " ".join(params.get("q", [])).strip()
    if len(category) > MAX_QUERY_CHARS or len(q) > MAX_QUERY_CHARS:
        return 400, f"category and q are limited to {MAX_QUERY_CHARS} characters"
    cancelled = params.get("cancelled", ["show"])[-1]
    if cancelled not in ("show", "hide"):
        return 400, f"cancelled: expected 'hide' or 'show', got {cancelled[:40]!r}"
    since, first = None, params.get("from", [""])[-1]
    if first:
        try:
            since = today() if first == "today" else parse_day(first, "from")
        except BadParameter as exc:
            return 400, f"{exc} (or 'today')"
    old = route.filter
    flt = FeedFilter(city, category, fold(q), old.linked, cancelled == "hide", since,
                     day_start(since, zones) if since else None)
    if flt == old:
        return route
    if flt == FeedFilter(city=city):  # /calendar.ics?city=X is /cities/X.ics
        return Route(f"city:{city}", f"{city}.ics", flt)
    stem = route.filename.removesuffix(".ics")
    return Route(route.snapshot, f"{stem}-filtered.ics", flt)


def _log_failure(task: asyncio.Future[bool]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.warning("could not reload the feeds from the store (serving the previous ones): "
                    "%s", task.exception())


async def _answer(scope: Scope, send: Send, feed: Feed) -> None:
    inm = ims = None
    rep = feed.identity
    for name, value in scope["headers"]:
        if name == b"if-none-match":
            inm = value
        elif name == b"if-modified-since":
            ims = value
        elif name == b"accept-encoding" and accepts_gzip(value):
            rep = feed.gzipped
    if not_modified(inm, ims, rep.etag, feed.last_modified):
        await send({"type": "http.response.start", "status": 304,
                    "headers": rep.not_modified_headers})
        await send({"type": "http.response.body", "body": b""})
        return
    await send({"type": "http.response.start", "status": 200, "headers": rep.ok_headers})
    body = b"" if scope["method"] == "HEAD" else rep.body
    await send({"type": "http.response.body", "body": body})


async def _text(send: Send, status: int, message: str,
                extra: list[tuple[bytes, bytes]] | None = None) -> None:
    body = (message + "\n").encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"),
               (b"content-length", str(len(body)).encode()),
               (b"cache-control", b"no-store"), *(extra or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
