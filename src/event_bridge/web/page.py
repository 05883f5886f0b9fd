"""The ``/`` page's content: the coming weeks per city, linked pairs side by side,
subscribe links and feed health.  Pure: builds plain dicts for the jinja2 template
(which autoescapes everything, since summaries and locations come from strangers' feeds).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from urllib.parse import quote

from event_bridge.model import City
from event_bridge.web.agenda import Occurrence, local

PAGE_DAYS = 28
"""The page shows four weeks; ``?from=`` moves the window, prev/next links step by it."""

GOOGLE_ADD_BY_URL = "https://calendar.google.com/calendar/r?cid="


def subscribe_links(base_url: str, cities: Mapping[str, City]) -> list[dict[str, str]]:
    """For each feed: its https URL, the ``webcal://`` form (RFC 5545 clients open it as a
    subscription) and Google Calendar's add-by-URL link."""
    base = base_url.rstrip("/")
    feeds = [("Both cities", "/calendar.ics")]
    feeds += [(c.name, f"/cities/{slug}.ics") for slug, c in cities.items()]
    feeds.append(("Linked events only", "/linked.ics"))
    out = []
    for label, path in feeds:
        url = base + path
        webcal = "webcal://" + url.split("://", 1)[-1]
        out.append({"label": label, "url": url, "webcal": webcal,
                    "google": GOOGLE_ADD_BY_URL + quote(webcal, safe="")})
    return out


def _when(value: datetime | date) -> str:
    if isinstance(value, datetime):
        return value.strftime("%a %d %b, %H:%M %Z")
    return value.strftime("%a %d %b") + ", all day"


def card(occ: Occurrence, cities: Mapping[str, City],
         names: Mapping[str, str]) -> dict[str, object]:
    """One event as shown: its time in every city (its own first), what it is linked to."""
    order = sorted(cities, key=lambda slug: slug != occ.city)
    times = [{"city": cities[s].name, "text": _when(local(occ.start, cities[s].timezone)),
              "own": s == occ.city} for s in order if not occ.all_day or s == occ.city]
    return {"uid": occ.uid, "summary": occ.summary or "(untitled)", "location": occ.location,
            "url": occ.url if occ.url.startswith(("https://", "http://")) else "",
            "cancelled": occ.cancelled, "times": times, "categories": list(occ.categories),
            "city": cities[occ.city].name if occ.city in cities else occ.city, "slug": occ.city,
            "related": [names[r] for r in occ.related if r in names]}


def columns(occs: Sequence[Occurrence], cities: Mapping[str, City],
            names: Mapping[str, str]) -> list[dict[str, object]]:
    """One column per city, days in that city's local calendar."""
    out: list[dict[str, object]] = []
    for slug, city in cities.items():
        days: dict[date, list[dict[str, object]]] = {}
        for occ in occs:
            if occ.city == slug:
                when = local(occ.start, city.timezone)
                day = when.date() if isinstance(when, datetime) else when
                days.setdefault(day, []).append(card(occ, cities, names))
        out.append({"slug": slug, "name": city.name, "timezone": city.timezone,
                    "days": [{"label": d.strftime("%A %d %B"), "events": e}
                             for d, e in sorted(days.items())]})
    return out


def pairs(occs: Sequence[Occurrence], pool: Sequence[Occurrence], cities: Mapping[str, City],
          names: Mapping[str, str]) -> list[dict[str, object]]:
    """Linked counterparts side by side, the first configured city on the left: each linked
    occurrence in the window with its sibling's occurrence nearest in time, found in
    ``pool`` (which may reach outside the window: a Paris keynote and its San Francisco
    watch party weeks later are still one pair)."""
    order = {slug: i for i, slug in enumerate(cities)}
    by_uid: dict[str, list[Occurrence]] = {}
    for occ in (*occs, *pool):
        by_uid.setdefault(occ.uid, []).append(occ)
    seen: set[tuple[str, str, str, str]] = set()
    out: list[dict[str, object]] = []
    for occ in occs:
        for other_uid in occ.related:
            others = [o for o in by_uid.get(other_uid, []) if o.city != occ.city]
            if not others:
                continue
            near = min(others, key=lambda o: abs((o.instant - occ.instant).total_seconds()))
            left, right = sorted((occ, near), key=lambda o: order.get(o.city, len(order)))
            key = (left.uid, str(left.start), right.uid, str(right.start))
            if key not in seen:
                seen.add(key)
                out.append({"left": card(left, cities, names),
                            "right": card(right, cities, names)})
    return out


def steps(first_day: date) -> dict[str, str]:
    days = timedelta(days=PAGE_DAYS)
    return {"first": first_day.isoformat(), "last": (first_day + days - timedelta(days=1))
            .isoformat(), "prev": (first_day - days).isoformat(),
            "next": (first_day + days).isoformat()}


def error_html(reason: str) -> str:
    """A one-line HTML answer for a bad parameter (escaped: it may quote the URL)."""
    return ("<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Bad request</title>"
            f"<p>Bad request: {html.escape(reason)}</p></html>\n")
