"""The ``/`` page's content: the coming weeks per city, linked pairs side by side,
subscribe links (webcal, Google, Outlook) with a builder for filtered feeds, feed health, and
schema.org ``Event`` JSON-LD.  French or English, dates and times in that locale's
conventions (Babel / CLDR).  Pure: builds plain dicts for the jinja2 template (which
autoescapes everything, since summaries and locations come from strangers' feeds).
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from urllib.parse import quote, urlencode

from babel.core import negotiate_locale
from babel.dates import format_date, format_skeleton, format_time

from event_bridge.model import City, moment_key, parse_moment_key
from event_bridge.web.agenda import Occurrence, local

PAGE_DAYS = 28
"""The page shows four weeks; ``?from=`` moves the window, prev/next links step by it."""

GOOGLE_ADD_BY_URL = "https://calendar.google.com/calendar/r?cid="
OUTLOOK_ADD_FROM_WEB = {
    "outlook_live": "https://outlook.live.com/calendar/0/addfromweb",
    "outlook_office": "https://outlook.office.com/calendar/0/addfromweb",
}
"""Outlook.com (personal accounts) and Microsoft 365 (work accounts) subscribe dialogs."""

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"
LOCALES = {"en": "en_US", "fr": "fr_FR"}

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "events_from": "{count} events from {first} to {last}, each with its time in every city.",
        "previous": "← previous weeks", "today": "today", "next": "next weeks →",
        "subscribe_both": "Subscribe to both cities", "add_google": "Add to Google Calendar",
        "stale": "The feeds have not been refreshed recently ({status}): what you see may be "
                 "out of date.",
        "nothing": "Nothing has been published yet: the first sync has not finished.",
        "linked_title": "Linked across the cities", "no_linked": "No linked events in these weeks.",
        "no_events": "No events in these weeks.", "cancelled": "cancelled",
        "all_day": "all day", "details": "details", "linked_with": "linked with",
        "subscribe": "Subscribe", "webcal": "Subscribe (Apple, webcal)",
        "outlook_live": "Outlook.com", "outlook_office": "Outlook (Microsoft 365)",
        "feed_url": "feed URL for", "both": "Both cities", "linked_only": "Linked events only",
        "builder": "Build your own feed", "city": "City", "any_city": "Both cities",
        "category": "Category", "any_category": "Any category", "words": "Words in the title "
        "or description", "hide_cancelled": "Leave out cancelled events",
        "future_only": "Future events only", "your_url": "Your feed URL",
        "health": "Feed health", "feed": "Feed", "status": "Status", "events": "Events",
        "last_success": "Last success", "failures": "Failures", "note": "Note",
        "never": "never", "size_warning": "Feed size", "language": "Français",
        "linked_events": "linked events",
    },
    "fr": {
        "events_from": "{count} événements du {first} au {last}, chacun à l’heure de chaque "
                       "ville.",
        "previous": "← semaines précédentes", "today": "aujourd’hui",
        "next": "semaines suivantes →", "subscribe_both": "S’abonner aux deux villes",
        "add_google": "Ajouter à Google Agenda",
        "stale": "Les flux n’ont pas été actualisés récemment ({status}) : ce que vous voyez "
                 "n’est peut-être plus à jour.",
        "nothing": "Rien n’est encore publié : la première synchronisation n’est pas finie.",
        "linked_title": "Liés d’une ville à l’autre",
        "no_linked": "Aucun événement lié ces semaines-ci.",
        "no_events": "Aucun événement ces semaines-ci.", "cancelled": "annulé",
        "all_day": "toute la journée", "details": "détails", "linked_with": "lié à",
        "subscribe": "S’abonner", "webcal": "S’abonner (Apple, webcal)",
        "outlook_live": "Outlook.com", "outlook_office": "Outlook (Microsoft 365)",
        "feed_url": "adresse du flux", "both": "Les deux villes",
        "linked_only": "Événements liés seulement", "builder": "Composer votre flux",
        "city": "Ville", "any_city": "Les deux villes", "category": "Catégorie",
        "any_category": "Toutes les catégories", "words": "Mots du titre ou de la description",
        "hide_cancelled": "Sans les événements annulés",
        "future_only": "Événements à venir seulement", "your_url": "Adresse de votre flux",
        "health": "État des flux", "feed": "Flux", "status": "État", "events": "Événements",
        "last_success": "Dernier succès", "failures": "Échecs", "note": "Remarque",
        "never": "jamais", "size_warning": "Taille du flux", "language": "English",
        "linked_events": "événements liés",
    },
}
"""The page's own words; event text stays as the feeds wrote it (marked with its ``lang``)."""


def choose_language(asked: str, accept_language: str) -> str:
    """``?lang=`` when it names a supported language, else the best match of the
    browser's ``Accept-Language`` (RFC 9110 §12.5.4, q-values honoured), else English."""
    if asked in LANGUAGES:
        return asked
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")[:32]):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if tag and q > 0:
            ranked.append((-q, index, tag.strip()))
    preferred = [tag for _, _, tag in sorted(ranked)]
    return negotiate_locale(preferred, list(LANGUAGES), sep="-") or DEFAULT_LANGUAGE


def subscribe_links(base_url: str, cities: Mapping[str, City],
                    lang: str = DEFAULT_LANGUAGE) -> list[dict[str, str]]:
    """For each feed: its https URL, the ``webcal://`` form (RFC 5545 clients open it as a
    subscription), Google Calendar's add-by-URL link and Outlook's two add-from-web links."""
    words = TEXT[lang]
    base = base_url.rstrip("/")
    feeds = [(words["both"], "/calendar.ics")]
    feeds += [(c.name, f"/cities/{slug}.ics") for slug, c in cities.items()]
    feeds.append((words["linked_only"], "/linked.ics"))
    return [{"label": label, **feed_links(base + path, label)} for label, path in feeds]


def feed_links(url: str, name: str) -> dict[str, str]:
    """The subscribe links of one feed URL (the builder's script computes the same)."""
    webcal = "webcal://" + url.split("://", 1)[-1]
    out = {"url": url, "webcal": webcal, "google": GOOGLE_ADD_BY_URL + quote(webcal, safe="")}
    for key, dialog in OUTLOOK_ADD_FROM_WEB.items():
        out[key] = f"{dialog}?{urlencode({'url': url, 'name': name})}"
    return out


def _when(value: datetime | date, lang: str) -> str:
    locale = LOCALES[lang]
    if isinstance(value, datetime):
        day = format_skeleton("MMMEd", value, locale=locale)
        return f"{day}, {format_time(value, 'short', tzinfo=value.tzinfo, locale=locale)}"
    return f"{format_skeleton('MMMEd', value, locale=locale)}, {TEXT[lang]['all_day']}"


def long_date(day: date, lang: str) -> str:
    return format_date(day, "full", locale=LOCALES[lang])


def card(occ: Occurrence, cities: Mapping[str, City], names: Mapping[str, str],
         lang: str = DEFAULT_LANGUAGE,
         languages: Mapping[str, str] | None = None) -> dict[str, object]:
    """One event as shown: its time in every city (its own first), what it is linked to,
    and the language of its text when it is not the page's (``lang`` attribute)."""
    order = sorted(cities, key=lambda slug: slug != occ.city)
    colon = " :" if lang == "fr" else ":"
    times = [{"city": cities[s].name + colon,
              "text": _when(local(occ.start, cities[s].timezone), lang),
              "own": s == occ.city} for s in order if not occ.all_day or s == occ.city]
    text_lang = (languages or {}).get(occ.uid, lang)
    return {"uid": occ.uid, "summary": occ.summary or "(untitled)", "location": occ.location,
            "url": occ.url if occ.url.startswith(("https://", "http://")) else "",
            "cancelled": occ.cancelled, "times": times, "categories": list(occ.categories),
            "city": cities[occ.city].name if occ.city in cities else occ.city, "slug": occ.city,
            "related": [names[r] for r in occ.related if r in names],
            "lang": text_lang if text_lang != lang else ""}


def columns(occs: Sequence[Occurrence], cities: Mapping[str, City],
            names: Mapping[str, str], lang: str = DEFAULT_LANGUAGE,
            languages: Mapping[str, str] | None = None) -> list[dict[str, object]]:
    """One column per city, days in that city's local calendar."""
    out: list[dict[str, object]] = []
    for slug, city in cities.items():
        days: dict[date, list[dict[str, object]]] = {}
        for occ in occs:
            if occ.city == slug:
                when = local(occ.start, city.timezone)
                day = when.date() if isinstance(when, datetime) else when
                days.setdefault(day, []).append(card(occ, cities, names, lang, languages))
        out.append({"slug": slug, "name": city.name, "timezone": city.timezone,
                    "days": [{"label": long_date(d, lang), "events": e}
                             for d, e in sorted(days.items())]})
    return out


def pairs(occs: Sequence[Occurrence], pool: Sequence[Occurrence], cities: Mapping[str, City],
          names: Mapping[str, str], lang: str = DEFAULT_LANGUAGE,
          languages: Mapping[str, str] | None = None) -> list[dict[str, object]]:
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
                out.append({"left": card(left, cities, names, lang, languages),
                            "right": card(right, cities, names, lang, languages)})
    return out


def steps(first_day: date, lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    days = timedelta(days=PAGE_DAYS)
    last = first_day + days - timedelta(days=1)
    return {"first": first_day.isoformat(), "last": last.isoformat(),
            "prev": (first_day - days).isoformat(), "next": (first_day + days).isoformat(),
            "first_text": format_date(first_day, "long", locale=LOCALES[lang]),
            "last_text": format_date(last, "long", locale=LOCALES[lang])}


def _iso(value: datetime | date) -> str:
    return value.isoformat().replace("+00:00", "Z")


def json_ld(occs: Sequence[Occurrence], cities: Mapping[str, City],
            languages: Mapping[str, str] | None = None) -> str:
    """One schema.org ``Event`` per listed occurrence (``EventCancelled``; ``EventRescheduled``
    with ``previousStartDate`` for a series instance moved by a RECURRENCE-ID override), as
    the text of a
    ``<script type="application/ld+json">`` (``<`` escaped, so no feed text can close it)."""
    events = []
    for occ in occs:
        city = cities.get(occ.city)
        place = {"@type": "Place", "name": occ.location or (city.name if city else occ.city),
                 "address": occ.location or (city.name if city else occ.city)}
        moved = bool(occ.recurrence_id) and moment_key(occ.start) != occ.recurrence_id
        status = "EventCancelled" if occ.cancelled else (
            "EventRescheduled" if moved else "EventScheduled")
        event: dict[str, object] = {
            "@context": "https://schema.org", "@type": "Event",
            "name": occ.summary or "(untitled)", "identifier": occ.uid,
            "startDate": _iso(occ.start), "endDate": _iso(occ.end),
            "eventStatus": f"https://schema.org/{status}",
            "location": place, "inLanguage": (languages or {}).get(occ.uid, "")}
        if moved and not occ.cancelled:  # an instance of a series moved by an override
            event["previousStartDate"] = _iso(parse_moment_key(occ.recurrence_id))
        if occ.url.startswith(("https://", "http://")):
            event["url"] = occ.url
        events.append({k: v for k, v in event.items() if v != ""})
    text = json.dumps(events, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def error_html(reason: str) -> str:
    """A one-line HTML answer for a bad parameter (escaped: it may quote the URL)."""
    return ("<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Bad request</title>"
            f"<p>Bad request: {html.escape(reason)}</p></html>\n")
